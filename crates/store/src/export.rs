//! Exports of the stored events: GDELT 2.0 Events and Mentions (tab-separated, no header, the
//! columns of GDELT's codebook; what dyad does not know is left empty), PLOVER-style JSON,
//! JSON Lines (events with their mentions), CSV (one row per event, with a header) and
//! Parquet (cargo feature `parquet`). Rows come in (date, id) order, so exports are stable.

use crate::query::StoredEvent;
use crate::{Store, StoreError};
use dyad_model::EventId;
use std::io::Write;

/// What [`Store::export`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    GdeltEvents,
    GdeltMentions,
    Plover,
    JsonLines,
    Csv,
    Parquet,
}

/// The 61 columns of a GDELT 2.0 Events row.
pub const GDELT_EVENT_COLUMNS: usize = 61;
/// The 16 columns of a GDELT 2.0 Mentions row.
pub const GDELT_MENTION_COLUMNS: usize = 16;

/// One event with what the exports add to [`StoredEvent`].
struct Row {
    e: StoredEvent,
    source_role: Option<String>,
    target_role: Option<String>,
    first_date: Option<String>,
    first_sentence: i64,
    first_mode: String,
    first_text: String,
}

/// `YYYY-MM-DD` → `YYYYMMDD`.
fn compact(d: &str) -> String {
    d.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// A TSV field: tabs and line breaks would break the row.
fn tsv(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("")
}

/// CAMEO type codes are three letters each after the country: `GOVMIL` → `GOV`, `MIL`.
fn role_part(role: &Option<String>, i: usize) -> String {
    role.as_deref().map(|r| r.chars().skip(3 * i).take(3).collect()).unwrap_or_default()
}

/// CAMEO known-group codes (IGOs, NGOs, armed groups) keep the part after the type prefix.
fn known_group(code: &str) -> String {
    for p in ["IGO", "NGO", "IMG", "MNC"] {
        if let Some(rest) = code.strip_prefix(p) {
            return rest.chars().rev().take(3).collect::<Vec<_>>().into_iter().rev().collect();
        }
    }
    String::new()
}

impl Store {
    /// Writes every event (or mention) in `format` to `out`; returns the number of rows.
    pub fn export(&self, format: ExportFormat, out: &mut dyn Write) -> Result<u64, StoreError> {
        match format {
            ExportFormat::GdeltMentions => return self.export_mentions(out),
            ExportFormat::Parquet => return self.export_parquet(out),
            _ => {}
        }
        let mut n = 0u64;
        if format == ExportFormat::Csv {
            writeln!(
                out,
                "id,date,day,source,source_country,source_name,target,target_country,target_name,cameo,base,root,quad_class,goldstein,plover,plover_context,num_mentions,num_sources,num_articles,avg_tone,first_doc,source_url"
            )?;
        }
        if format == ExportFormat::Plover {
            writeln!(out, "[")?;
        }
        self.for_each_row(|r| {
            match format {
                ExportFormat::GdeltEvents => write_gdelt_event(out, &r)?,
                ExportFormat::Csv => write_csv(out, &r.e)?,
                ExportFormat::Plover => {
                    if n > 0 {
                        writeln!(out, ",")?;
                    }
                    write!(out, "{}", serde_json::to_string(&plover(&r))?)?;
                }
                ExportFormat::JsonLines => {
                    let mentions = self.evidence(r.e.id)?;
                    let mut v = serde_json::to_value(&r.e)?;
                    let ms: Vec<serde_json::Value> = mentions
                        .iter()
                        .map(|m| {
                            serde_json::json!({
                                "id": m.id, "doc": m.doc, "url": m.url, "source": m.source, "outlet": m.outlet,
                                "doc_date": m.doc_date, "sentence_index": m.sentence_index, "sentence": m.sentence,
                                "start": m.start, "end": m.end, "mode": m.mode, "confidence": m.confidence,
                                "tone": m.tone, "rule": m.rule,
                            })
                        })
                        .collect();
                    v["mentions"] = serde_json::Value::Array(ms);
                    writeln!(out, "{}", serde_json::to_string(&v)?)?;
                }
                ExportFormat::GdeltMentions | ExportFormat::Parquet => {}
            }
            n += 1;
            Ok(())
        })?;
        if format == ExportFormat::Plover {
            if n > 0 {
                writeln!(out)?;
            }
            writeln!(out, "]")?;
        }
        Ok(n)
    }

    fn for_each_row(&self, mut f: impl FnMut(Row) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.date, e.day, e.source_code, e.source_country, e.source_name, e.target_code,
                e.target_country, e.target_name, e.cameo, e.base, e.root, e.quad_class, e.goldstein, e.plover,
                e.plover_context, e.num_mentions, e.num_sources, e.num_articles, e.tone_sum, e.tone_n, e.first_doc,
                COALESCE(d.url, d.source), e.source_role, e.target_role, d.date, m.sentence, m.mode,
                CAST(substr(CAST(d.body AS BLOB), v.start + 1, v.end - v.start) AS TEXT)
             FROM events e JOIN documents d ON d.id = e.first_doc
             JOIN mentions m ON m.rid = e.first_mention JOIN evidence v ON v.id = m.evidence
             ORDER BY e.date, e.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let ctx: String = r.get(15)?;
            let (tone_sum, tone_n): (f64, i64) = (r.get(19)?, r.get(20)?);
            let e = StoredEvent {
                id: EventId::from_i64(r.get(0)?),
                date: r.get(1)?,
                day: r.get(2)?,
                source: r.get(3)?,
                source_country: r.get(4)?,
                source_name: r.get(5)?,
                target: r.get(6)?,
                target_country: r.get(7)?,
                target_name: r.get(8)?,
                cameo: r.get(9)?,
                base: r.get(10)?,
                root: r.get(11)?,
                quad_class: r.get::<_, i64>(12)? as u8,
                goldstein: r.get(13)?,
                plover: r.get(14)?,
                plover_context: ctx.split(';').filter(|s| !s.is_empty()).map(str::to_string).collect(),
                num_mentions: r.get::<_, i64>(16)? as u64,
                num_sources: r.get::<_, i64>(17)? as u64,
                num_articles: r.get::<_, i64>(18)? as u64,
                avg_tone: (tone_n > 0).then(|| tone_sum / tone_n as f64),
                first_doc: dyad_model::DocId::from_i64(r.get(21)?),
                source_url: r.get(22)?,
            };
            f(Row {
                e,
                source_role: r.get(23)?,
                target_role: r.get(24)?,
                first_date: r.get(25)?,
                first_sentence: r.get(26)?,
                first_mode: r.get(27)?,
                first_text: r.get(28)?,
            })?;
        }
        Ok(())
    }

    fn export_mentions(&self, out: &mut dyn Write) -> Result<u64, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT m.event, fd.date, d.date, d.url, d.source, m.outlet, m.sentence, m.source_char, m.target_char,
                    m.action_char, m.confidence, d.chars, d.tone
             FROM mentions m JOIN documents d ON d.id = m.doc JOIN events e ON e.id = m.event
             JOIN documents fd ON fd.id = e.first_doc
             ORDER BY m.rid",
        )?;
        let mut rows = stmt.query([])?;
        let mut n = 0u64;
        while let Some(r) = rows.next()? {
            let stamp = |d: Option<String>| d.map(|d| format!("{}000000", compact(&d))).unwrap_or_default();
            let url: Option<String> = r.get(3)?;
            let source: String = r.get(4)?;
            let target_char: Option<i64> = r.get(8)?;
            let fields: [String; GDELT_MENTION_COLUMNS] = [
                r.get::<_, i64>(0)?.to_string(),
                stamp(r.get(1)?),
                stamp(r.get(2)?),
                if url.is_some() { "1" } else { "2" }.to_string(),
                tsv(&r.get::<_, String>(5)?),
                tsv(url.as_deref().unwrap_or(&source)),
                (r.get::<_, i64>(6)? + 1).to_string(),
                r.get::<_, i64>(7)?.to_string(),
                target_char.unwrap_or(-1).to_string(),
                r.get::<_, i64>(9)?.to_string(),
                "1".to_string(),
                ((r.get::<_, f64>(10)? * 100.0).round() as i64).to_string(),
                r.get::<_, i64>(11)?.to_string(),
                format!("{:.6}", r.get::<_, f64>(12)?),
                String::new(),
                String::new(),
            ];
            writeln!(out, "{}", fields.join("\t"))?;
            n += 1;
        }
        Ok(n)
    }

    #[cfg(not(feature = "parquet"))]
    fn export_parquet(&self, _out: &mut dyn Write) -> Result<u64, StoreError> {
        Err(StoreError::Parquet("this dyad was built without Parquet (cargo feature `parquet`)".into()))
    }

    #[cfg(feature = "parquet")]
    fn export_parquet(&self, out: &mut dyn Write) -> Result<u64, StoreError> {
        use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder, UInt64Builder, UInt8Builder};
        use arrow_array::{ArrayRef, RecordBatch};
        use std::sync::Arc;
        const BATCH: usize = 65_536;
        let pq = |e: parquet::errors::ParquetError| StoreError::Parquet(e.to_string());
        let ar = |e: arrow_schema::ArrowError| StoreError::Parquet(e.to_string());
        struct B {
            id: Int64Builder,
            date: StringBuilder,
            source: StringBuilder,
            source_country: StringBuilder,
            source_name: StringBuilder,
            target: StringBuilder,
            target_country: StringBuilder,
            target_name: StringBuilder,
            cameo: StringBuilder,
            root: StringBuilder,
            quad: UInt8Builder,
            goldstein: Float64Builder,
            plover: StringBuilder,
            mentions: UInt64Builder,
            sources: UInt64Builder,
            articles: UInt64Builder,
            tone: Float64Builder,
            url: StringBuilder,
            len: usize,
        }
        fn fresh() -> B {
            B {
                id: Int64Builder::new(),
                date: StringBuilder::new(),
                source: StringBuilder::new(),
                source_country: StringBuilder::new(),
                source_name: StringBuilder::new(),
                target: StringBuilder::new(),
                target_country: StringBuilder::new(),
                target_name: StringBuilder::new(),
                cameo: StringBuilder::new(),
                root: StringBuilder::new(),
                quad: UInt8Builder::new(),
                goldstein: Float64Builder::new(),
                plover: StringBuilder::new(),
                mentions: UInt64Builder::new(),
                sources: UInt64Builder::new(),
                articles: UInt64Builder::new(),
                tone: Float64Builder::new(),
                url: StringBuilder::new(),
                len: 0,
            }
        }
        fn finish(b: &mut B) -> Result<RecordBatch, arrow_schema::ArrowError> {
            let cols: Vec<(&str, ArrayRef)> = vec![
                ("id", Arc::new(b.id.finish())),
                ("date", Arc::new(b.date.finish())),
                ("source", Arc::new(b.source.finish())),
                ("source_country", Arc::new(b.source_country.finish())),
                ("source_name", Arc::new(b.source_name.finish())),
                ("target", Arc::new(b.target.finish())),
                ("target_country", Arc::new(b.target_country.finish())),
                ("target_name", Arc::new(b.target_name.finish())),
                ("cameo", Arc::new(b.cameo.finish())),
                ("root", Arc::new(b.root.finish())),
                ("quad_class", Arc::new(b.quad.finish())),
                ("goldstein", Arc::new(b.goldstein.finish())),
                ("plover", Arc::new(b.plover.finish())),
                ("num_mentions", Arc::new(b.mentions.finish())),
                ("num_sources", Arc::new(b.sources.finish())),
                ("num_articles", Arc::new(b.articles.finish())),
                ("avg_tone", Arc::new(b.tone.finish())),
                ("source_url", Arc::new(b.url.finish())),
            ];
            b.len = 0;
            RecordBatch::try_from_iter(cols)
        }
        // ArrowWriter wants a `Send` sink: it writes into a buffer that is drained to `out`
        // after every row group (one per batch), so memory stays at one batch.
        let mut b = fresh();
        let mut writer: Option<parquet::arrow::ArrowWriter<Vec<u8>>> = None;
        let mut n = 0u64;
        let flush = |b: &mut B,
                     writer: &mut Option<parquet::arrow::ArrowWriter<Vec<u8>>>,
                     out: &mut dyn Write|
         -> Result<(), StoreError> {
            let batch = finish(b).map_err(ar)?;
            if writer.is_none() {
                *writer = Some(parquet::arrow::ArrowWriter::try_new(Vec::new(), batch.schema(), None).map_err(pq)?);
            }
            if let Some(w) = writer.as_mut() {
                w.write(&batch).map_err(pq)?;
                w.flush().map_err(pq)?;
                out.write_all(&std::mem::take(w.inner_mut()))?;
            }
            Ok(())
        };
        self.for_each_row(|r| {
            let e = r.e;
            b.id.append_value(e.id.as_i64());
            b.date.append_option(e.date.as_deref());
            b.source.append_value(&e.source);
            b.source_country.append_option(e.source_country.as_deref());
            b.source_name.append_option(e.source_name.as_deref());
            b.target.append_value(&e.target);
            b.target_country.append_option(e.target_country.as_deref());
            b.target_name.append_option(e.target_name.as_deref());
            b.cameo.append_value(&e.cameo);
            b.root.append_value(&e.root);
            b.quad.append_value(e.quad_class);
            b.goldstein.append_value(e.goldstein);
            b.plover.append_option(e.plover.as_deref());
            b.mentions.append_value(e.num_mentions);
            b.sources.append_value(e.num_sources);
            b.articles.append_value(e.num_articles);
            b.tone.append_option(e.avg_tone);
            b.url.append_value(&e.source_url);
            b.len += 1;
            n += 1;
            if b.len >= BATCH {
                flush(&mut b, &mut writer, &mut *out)?;
            }
            Ok(())
        })?;
        if b.len > 0 || writer.is_none() {
            flush(&mut b, &mut writer, &mut *out)?;
        }
        if let Some(w) = writer {
            out.write_all(&w.into_inner().map_err(pq)?)?;
        }
        Ok(n)
    }
}

fn write_gdelt_event(out: &mut dyn Write, r: &Row) -> Result<(), StoreError> {
    let e = &r.e;
    let mut f: Vec<String> = Vec::with_capacity(GDELT_EVENT_COLUMNS);
    f.push(e.id.as_i64().to_string());
    match e.date.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
        Some(d) => {
            use chrono::Datelike;
            f.push(d.format("%Y%m%d").to_string());
            f.push(d.format("%Y%m").to_string());
            f.push(d.year().to_string());
            f.push(format!("{:.4}", d.year() as f64 + (d.month() * 30 + d.day()) as f64 / 365.0));
        }
        None => f.resize(f.len() + 4, String::new()),
    }
    for (code, name, country, role) in [
        (&e.source, &e.source_name, &e.source_country, &r.source_role),
        (&e.target, &e.target_name, &e.target_country, &r.target_role),
    ] {
        f.push(tsv(code));
        f.push(tsv(&opt(name).to_uppercase()));
        f.push(opt(country).to_string());
        f.push(known_group(code));
        f.resize(f.len() + 3, String::new()); // ethnic, religion 1 and 2
        for i in 0..3 {
            f.push(role_part(role, i));
        }
    }
    f.push(if r.first_sentence == 0 { "1" } else { "0" }.to_string());
    f.push(e.cameo.clone());
    f.push(e.base.clone());
    f.push(e.root.clone());
    f.push(e.quad_class.to_string());
    f.push(format!("{:.1}", e.goldstein));
    f.push(e.num_mentions.to_string());
    f.push(e.num_sources.to_string());
    f.push(e.num_articles.to_string());
    f.push(e.avg_tone.map(|t| format!("{t:.6}")).unwrap_or_default());
    // Actor1Geo, Actor2Geo, ActionGeo: 8 fields each; dyad does not geocode yet.
    f.resize(f.len() + 24, String::new());
    f.push(r.first_date.as_deref().map(|d| format!("{}000000", compact(d))).unwrap_or_default());
    f.push(tsv(&e.source_url));
    debug_assert_eq!(f.len(), GDELT_EVENT_COLUMNS);
    writeln!(out, "{}", f.join("\t"))?;
    Ok(())
}

fn write_csv(out: &mut dyn Write, e: &StoredEvent) -> Result<(), StoreError> {
    let fields = [
        e.id.to_string(),
        opt(&e.date).to_string(),
        opt(&e.day).to_string(),
        e.source.clone(),
        opt(&e.source_country).to_string(),
        opt(&e.source_name).to_string(),
        e.target.clone(),
        opt(&e.target_country).to_string(),
        opt(&e.target_name).to_string(),
        e.cameo.clone(),
        e.base.clone(),
        e.root.clone(),
        e.quad_class.to_string(),
        format!("{:.1}", e.goldstein),
        opt(&e.plover).to_string(),
        e.plover_context.join(";"),
        e.num_mentions.to_string(),
        e.num_sources.to_string(),
        e.num_articles.to_string(),
        e.avg_tone.map(|t| format!("{t:.6}")).unwrap_or_default(),
        e.first_doc.to_string(),
        e.source_url.clone(),
    ];
    let line: Vec<String> = fields.iter().map(|s| csv(s)).collect();
    writeln!(out, "{}", line.join(","))?;
    Ok(())
}

/// A PLOVER-style record: actor and recipient lists, event type, mode and context.
fn plover(r: &Row) -> serde_json::Value {
    let e = &r.e;
    let side = |code: &str, name: &Option<String>, country: &Option<String>| {
        if code.is_empty() {
            serde_json::json!([])
        } else {
            serde_json::json!([{ "actorText": name.clone().unwrap_or_else(|| code.to_string()), "code": code,
                                 "country": country }])
        }
    };
    serde_json::json!({
        "id": e.id.to_string(),
        "date": e.date,
        "actor": side(&e.source, &e.source_name, &e.source_country),
        "recipient": side(&e.target, &e.target_name, &e.target_country),
        "event": e.plover,
        "mode": r.first_mode,
        "context": e.plover_context,
        "cameo": e.cameo,
        "goldstein": e.goldstein,
        "num_mentions": e.num_mentions,
        "num_sources": e.num_sources,
        "num_articles": e.num_articles,
        "text": r.first_text,
        "url": e.source_url,
    })
}
