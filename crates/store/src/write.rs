//! Writing: [`prepare`] turns a coded document into rows (pure, any thread); the store's single
//! writer then assigns the story, rolls mentions up into events and commits, one transaction
//! per document.

use crate::{hash64, StoreError};
use dyad_model::{CodedDocument, Event};
use rusqlite::{params, OptionalExtension, Transaction};

/// Bodies shorter than this are never clustered: SimHash is unreliable on a few words.
const MIN_CLUSTER_BYTES: usize = 200;
/// Near-duplicates differ in at most this many fingerprint bits.
pub(crate) const MAX_CLUSTER_BITS: u32 = 3;

/// A coded document turned into rows, ready for the writer. Building it (JSON, character
/// offsets, evidence text) is the costly part of a write, so workers do it in parallel.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub(crate) id: i64,
    pub(crate) source: String,
    pub(crate) url: Option<String>,
    pub(crate) outlet: String,
    pub(crate) title: Option<String>,
    pub(crate) date: Option<String>,
    pub(crate) story: Option<i64>,
    pub(crate) fingerprint: i64,
    pub(crate) clusterable: bool,
    pub(crate) chars: i64,
    pub(crate) tone: f64,
    pub(crate) body: String,
    pub(crate) pipeline: String,
    pub(crate) record: String,
    pub(crate) evidence: Vec<EvidenceRow>,
    pub(crate) mentions: Vec<MentionRow>,
    pub(crate) quotes: Vec<QuoteRow>,
    pub(crate) entities: Vec<EntityRow>,
    pub(crate) actors: Vec<ActorRow>,
}

impl Prepared {
    pub fn doc_id(&self) -> dyad_model::DocId {
        dyad_model::DocId::from_i64(self.id)
    }
    pub fn events(&self) -> usize {
        self.mentions.len()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct EvidenceRow {
    pub(crate) sentence: i64,
    pub(crate) start: i64,
    pub(crate) end: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct MentionRow {
    pub(crate) id: i64,
    pub(crate) ord: i64,
    pub(crate) sentence: i64,
    pub(crate) evidence: i64,
    pub(crate) start: i64,
    pub(crate) end: i64,
    pub(crate) source_char: i64,
    pub(crate) target_char: Option<i64>,
    pub(crate) action_char: i64,
    pub(crate) mode: &'static str,
    pub(crate) confidence: f64,
    pub(crate) tone: Option<f64>,
    pub(crate) rule: String,
    pub(crate) record: String,
    // What the event row needs.
    pub(crate) source_code: String,
    pub(crate) source_country: Option<String>,
    pub(crate) source_role: Option<String>,
    pub(crate) source_name: Option<String>,
    pub(crate) target_code: String,
    pub(crate) target_country: Option<String>,
    pub(crate) target_role: Option<String>,
    pub(crate) target_name: Option<String>,
    pub(crate) cameo: String,
    pub(crate) base: String,
    pub(crate) root: String,
    pub(crate) quad_class: i64,
    pub(crate) goldstein: f64,
    pub(crate) plover: Option<String>,
    pub(crate) plover_context: String,
    pub(crate) date: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct QuoteRow {
    pub(crate) id: i64,
    pub(crate) ord: i64,
    pub(crate) sentence: i64,
    pub(crate) kind: &'static str,
    pub(crate) start: i64,
    pub(crate) end: i64,
    pub(crate) text: String,
    pub(crate) speaker_code: Option<String>,
    pub(crate) speaker_name: Option<String>,
    pub(crate) speaker_text: Option<String>,
    pub(crate) cue: Option<String>,
    pub(crate) tone: Option<f64>,
    pub(crate) confidence: f64,
    pub(crate) record: String,
    pub(crate) actors: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct EntityRow {
    pub(crate) ord: i64,
    pub(crate) label: &'static str,
    pub(crate) name: String,
    pub(crate) code: Option<String>,
    pub(crate) spans: String,
}

#[derive(Debug, Clone)]
pub(crate) struct ActorRow {
    pub(crate) ord: i64,
    pub(crate) code: String,
    pub(crate) country: Option<String>,
    pub(crate) role: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) text: String,
    pub(crate) sentence: i64,
    pub(crate) start: i64,
    pub(crate) end: i64,
    pub(crate) tok_start: i64,
    pub(crate) tok_end: i64,
    pub(crate) via: &'static str,
    pub(crate) entry: Option<String>,
}

/// The outlet of an article: `Article.outlet`, else the host of its URL, else `""` (unknown
/// outlets count as one source).
pub fn outlet_of(a: &dyad_model::Article) -> String {
    if let Some(o) = a.outlet.as_deref().filter(|o| !o.is_empty()) {
        return o.to_string();
    }
    a.url
        .as_deref()
        .and_then(|u| u.split("://").nth(1))
        .and_then(|r| r.split(['/', '?', '#']).next())
        .map(|h| h.to_ascii_lowercase())
        .map(|h| h.strip_prefix("www.").map(str::to_string).unwrap_or(h))
        .unwrap_or_default()
}

/// Character offset of byte `b` in `body` (clamped to the body, never panics).
fn char_at(body: &str, b: usize) -> i64 {
    let mut b = b.min(body.len());
    while !body.is_char_boundary(b) {
        b -= 1;
    }
    body[..b].chars().count() as i64
}

fn mode_str(m: dyad_model::Mode) -> &'static str {
    match m {
        dyad_model::Mode::Fact => "fact",
        dyad_model::Mode::Negated => "negated",
        dyad_model::Mode::Future => "future",
        dyad_model::Mode::Hypothetical => "hypothetical",
    }
}

/// Row id of the `i`-th evidence or mention row of the document stored as `seq`.
pub(crate) fn local_id(seq: i64, i: i64) -> i64 {
    (seq << 20) | (i & 0xf_ffff)
}

/// Turns a coded document into rows. Pure: safe to call on any thread.
pub fn prepare(doc: &CodedDocument) -> Result<Prepared, StoreError> {
    let a = &doc.article;
    let id = a.id.as_i64();
    let body = &a.body;
    // The record keeps what has no column; the lists are rebuilt from their own tables.
    let mut rest = doc.clone();
    rest.article.body = String::new();
    rest.actors.clear();
    rest.events.clear();
    rest.quotes.clear();
    rest.entities.clear();
    let record = serde_json::to_string(&rest)?;

    let sentence_span = |i: usize, fallback: dyad_model::Span| doc.sentences.get(i).copied().unwrap_or(fallback);
    let mut evidence: Vec<EvidenceRow> = Vec::new();
    // Returns the position of the evidence row within the document.
    let mut add_evidence = |i: usize, span: dyad_model::Span| -> i64 {
        let (start, end) = (span.start as i64, span.end as i64);
        match evidence.iter().position(|e| e.start == start && e.end == end) {
            Some(j) => j as i64,
            None => {
                evidence.push(EvidenceRow { sentence: i as i64, start, end });
                evidence.len() as i64 - 1
            }
        }
    };

    let mut mentions = Vec::with_capacity(doc.events.len());
    for (ord, e) in doc.events.iter().enumerate() {
        let s = sentence_span(e.sentence, e.evidence);
        let ev = add_evidence(e.sentence, s);
        mentions.push(mention_row(e, ord, ev, body, doc.date)?);
    }

    let mut quotes = Vec::with_capacity(doc.quotes.len());
    for (ord, q) in doc.quotes.iter().enumerate() {
        let mut actors: Vec<String> = doc
            .actors
            .iter()
            .filter(|x| !x.code.is_empty() && q.content.contains(x.span))
            .map(|x| x.code.clone())
            .collect();
        actors.sort();
        actors.dedup();
        quotes.push(QuoteRow {
            id: q.id.as_i64(),
            ord: ord as i64,
            sentence: q.sentence as i64,
            kind: match q.kind {
                dyad_model::QuoteKind::Direct => "direct",
                dyad_model::QuoteKind::Indirect => "indirect",
                dyad_model::QuoteKind::Mixed => "mixed",
            },
            start: q.content.start as i64,
            end: q.content.end as i64,
            text: q.text.clone(),
            speaker_code: q.speaker_code.clone().filter(|c| !c.is_empty()),
            speaker_name: q.speaker_name.clone(),
            speaker_text: q.speaker_text.clone(),
            cue: q.cue_lemma.clone(),
            tone: q.tone.map(f64::from),
            confidence: q.confidence as f64,
            record: serde_json::to_string(q)?,
            actors,
        });
    }

    let entities = doc
        .entities
        .iter()
        .enumerate()
        .map(|(ord, en)| {
            let spans: Vec<[usize; 2]> = en.spans.iter().map(|s| [s.start, s.end]).collect();
            Ok(EntityRow {
                ord: ord as i64,
                label: en.label.as_str(),
                name: en.name.clone(),
                code: en.code.clone(),
                spans: serde_json::to_string(&spans)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

    let actors = doc
        .actors
        .iter()
        .enumerate()
        .map(|(ord, x)| ActorRow {
            ord: ord as i64,
            code: x.code.clone(),
            country: x.country.clone(),
            role: x.role.clone(),
            name: x.name.clone(),
            text: x.text.clone(),
            sentence: x.sentence as i64,
            start: x.span.start as i64,
            end: x.span.end as i64,
            tok_start: x.tokens.0 as i64,
            tok_end: x.tokens.1 as i64,
            via: match x.via {
                dyad_model::ActorVia::Dictionary => "dictionary",
                dyad_model::ActorVia::Agent => "agent",
                dyad_model::ActorVia::Coreference => "coreference",
                dyad_model::ActorVia::Entity => "entity",
            },
            entry: x.entry.clone(),
        })
        .collect();

    Ok(Prepared {
        id,
        source: a.source.clone(),
        url: a.url.clone(),
        outlet: outlet_of(a),
        title: a.title.clone(),
        date: doc.date.map(|d| d.to_string()),
        story: a.story.map(|s| (s & (u64::MAX >> 1)) as i64),
        fingerprint: a.fingerprint as i64,
        clusterable: a.fingerprint != 0 && body.len() >= MIN_CLUSTER_BYTES,
        chars: body.chars().count() as i64,
        tone: doc.tone.tone as f64,
        body: body.clone(),
        pipeline: doc.pipeline.clone(),
        record,
        evidence,
        mentions,
        quotes,
        entities,
        actors,
    })
}

fn mention_row(
    e: &Event,
    ord: usize,
    evidence: i64,
    body: &str,
    doc_date: Option<chrono::NaiveDate>,
) -> Result<MentionRow, StoreError> {
    let t = e.target.as_ref();
    Ok(MentionRow {
        id: e.id.as_i64(),
        ord: ord as i64,
        sentence: e.sentence as i64,
        evidence,
        start: e.evidence.start as i64,
        end: e.evidence.end as i64,
        source_char: char_at(body, e.source.span.start),
        target_char: t.map(|t| char_at(body, t.span.start)),
        action_char: char_at(body, e.trigger.start),
        mode: mode_str(e.mode),
        confidence: e.confidence as f64,
        tone: e.tone.map(f64::from),
        rule: e.rule.clone(),
        record: crate::mention::record_of(e)?,
        source_code: e.source.code.clone(),
        source_country: e.source.country.clone(),
        source_role: e.source.role.clone(),
        source_name: e.source.name.clone(),
        target_code: t.map(|t| t.code.clone()).unwrap_or_default(),
        target_country: t.and_then(|t| t.country.clone()),
        target_role: t.and_then(|t| t.role.clone()),
        target_name: t.and_then(|t| t.name.clone()),
        cameo: e.cameo.clone(),
        base: e.base.clone(),
        root: e.root.clone(),
        quad_class: e.quad_class.number() as i64,
        goldstein: e.goldstein as f64,
        plover: e.plover.clone(),
        plover_context: e.plover_context.join(";"),
        date: e.date.or(doc_date).map(|d| d.to_string()),
    })
}

/// The id of the event a mention rolls up into: mentions agreeing on source, target, code,
/// event date and roll-up day are one event.
pub fn event_id(source: &str, target: &str, cameo: &str, date: Option<&str>, day: Option<&str>) -> i64 {
    hash64(&[
        b"event",
        source.as_bytes(),
        target.as_bytes(),
        cameo.as_bytes(),
        date.unwrap_or("").as_bytes(),
        day.unwrap_or("").as_bytes(),
    ]) as i64
}

pub(crate) fn first3(code: &str) -> String {
    code.chars().take(3).collect()
}

/// The story of a document and its roll-up day: given stories are kept; otherwise the first
/// stored story whose fingerprint is within [`MAX_CLUSTER_BITS`] bits (found through four
/// 16-bit bands: two fingerprints that close share at least one band), else a new story
/// named after the document. The roll-up day is the date of the story's first document.
fn assign_story(tx: &Transaction, p: &Prepared) -> Result<(i64, Option<String>), StoreError> {
    let fp = p.fingerprint as u64;
    let found: Option<(i64, Option<String>)> = if let Some(s) = p.story {
        tx.prepare_cached("SELECT id, first_date FROM stories WHERE id = ?1")?
            .query_row([s], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
    } else if p.clusterable {
        let mut best: Option<(i64, Option<String>)> = None;
        let mut stmt = tx.prepare_cached(
            "SELECT s.id, s.first_date, s.fingerprint FROM story_bands b JOIN stories s ON s.id = b.story
             WHERE b.band = ?1 ORDER BY s.id",
        )?;
        for band in 0..4u64 {
            let key = ((band << 16) | ((fp >> (16 * band)) & 0xffff)) as i64;
            let mut rows = stmt.query([key])?;
            while let Some(r) = rows.next()? {
                let (id, date, f): (i64, Option<String>, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
                if ((f as u64) ^ fp).count_ones() <= MAX_CLUSTER_BITS && !matches!(best, Some((b, _)) if b <= id) {
                    best = Some((id, date));
                }
            }
        }
        best
    } else {
        None
    };
    if let Some((id, first_date)) = found {
        return Ok((id, first_date.or_else(|| p.date.clone())));
    }
    let id = p.story.unwrap_or(p.id);
    tx.prepare_cached("INSERT INTO stories (id, first_doc, first_date, fingerprint) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![id, p.id, p.date, p.fingerprint])?;
    if p.story.is_none() && p.clusterable {
        let mut stmt = tx.prepare_cached("INSERT OR IGNORE INTO story_bands (band, story) VALUES (?1, ?2)")?;
        for band in 0..4u64 {
            let key = ((band << 16) | ((fp >> (16 * band)) & 0xffff)) as i64;
            stmt.execute(params![key, id])?;
        }
    }
    Ok((id, p.date.clone()))
}

/// Writes one prepared document inside `tx`. Returns false when it was already stored.
pub(crate) fn write(tx: &Transaction, p: &Prepared) -> Result<bool, StoreError> {
    if tx.prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?.exists([p.id])? {
        return Ok(false);
    }
    let (story, day) = assign_story(tx, p)?;
    let seq: i64 = tx.prepare_cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM documents")?.query_row([], |r| r.get(0))?;
    tx.prepare_cached(
        "INSERT INTO documents (id, seq, source, url, outlet, title, date, story, fingerprint, chars, tone, body, pipeline, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        p.id,
        seq,
        p.source,
        p.url,
        p.outlet,
        p.title,
        p.date,
        story,
        p.fingerprint,
        p.chars,
        p.tone,
        p.body,
        p.pipeline,
        p.record
    ])?;
    tx.prepare_cached("INSERT INTO documents_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?.execute(params![
        p.id,
        p.title.as_deref().unwrap_or(""),
        p.body
    ])?;

    {
        let mut ins =
            tx.prepare_cached("INSERT INTO evidence (id, doc, sentence, start, end) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        for (i, e) in p.evidence.iter().enumerate() {
            ins.execute(params![local_id(seq, i as i64), p.id, e.sentence, e.start, e.end])?;
        }
    }

    write_mentions(tx, p, seq, day.as_deref())?;

    {
        let mut ins = tx.prepare_cached(
            "INSERT OR IGNORE INTO quotes (id, doc, ord, sentence, kind, start, end, text, speaker_code, speaker_name,
             speaker_text, cue, tone, confidence, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        let mut fts = tx.prepare_cached("INSERT INTO quotes_fts (rowid, text, speaker_name) VALUES (?1, ?2, ?3)")?;
        let mut qa = tx.prepare_cached("INSERT OR IGNORE INTO quote_actors (code, quote) VALUES (?1, ?2)")?;
        for q in &p.quotes {
            let n = ins.execute(params![
                q.id,
                p.id,
                q.ord,
                q.sentence,
                q.kind,
                q.start,
                q.end,
                q.text,
                q.speaker_code,
                q.speaker_name,
                q.speaker_text,
                q.cue,
                q.tone,
                q.confidence,
                q.record
            ])?;
            if n > 0 {
                fts.execute(params![q.id, q.text, q.speaker_name])?;
                for c in &q.actors {
                    qa.execute(params![c, q.id])?;
                }
            }
        }
    }
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO entities (rid, doc, ord, label, name, code, spans) VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for en in &p.entities {
            ins.execute(params![p.id, en.ord, en.label, en.name, en.code, en.spans, local_id(seq, en.ord)])?;
        }
    }
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO actors (rid, doc, ord, code, country, role, name, text, sentence, start, end, tok_start, tok_end, via, entry)
             VALUES (?15, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?;
        for x in &p.actors {
            ins.execute(params![
                p.id,
                x.ord,
                x.code,
                x.country,
                x.role,
                x.name,
                x.text,
                x.sentence,
                x.start,
                x.end,
                x.tok_start,
                x.tok_end,
                x.via,
                x.entry,
                local_id(seq, x.ord)
            ])?;
        }
    }
    Ok(true)
}

/// Inserts the mentions of one document and updates the counters of their events: every
/// mention counts, the document counts once per event, its outlet once per event.
///
/// The document's mentions are grouped by event first, so that each event is written once per
/// document (one upsert: a new event is inserted with its counters, a known one has them
/// added), before the mentions that point at it.
fn write_mentions(tx: &Transaction, p: &Prepared, seq: i64, day: Option<&str>) -> Result<(), StoreError> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO events (id, source_code, source_country, source_role, source_name, src3,
         target_code, target_country, target_role, target_name, tgt3, odd, cameo, base, root, quad_class, goldstein,
         plover, plover_context, date, day, first_doc, first_mention, num_mentions, num_sources, num_articles, tone_sum, tone_n)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,
                 ?24, ?25, 1, ?26, ?27)
         ON CONFLICT (id) DO UPDATE SET num_mentions = num_mentions + excluded.num_mentions,
             num_articles = num_articles + 1, num_sources = num_sources + excluded.num_sources,
             tone_sum = tone_sum + excluded.tone_sum, tone_n = tone_n + excluded.tone_n",
    )?;
    let mut seen_outlet = tx.prepare_cached("SELECT 1 FROM mentions WHERE event = ?1 AND outlet = ?2 LIMIT 1")?;
    let mut ins = tx.prepare_cached(
        "INSERT INTO mentions (rid, id, event, doc, ord, sentence, evidence, start, end, source_char, target_char,
         action_char, outlet, mode, confidence, tone, rule, record)
         VALUES (?18, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?;
    // Events of this document, in first-mention order: (id, first mention, mentions, tone sum, tone n).
    let mut touched: Vec<(i64, usize, i64, f64, i64)> = Vec::new();
    let mut event_of: Vec<i64> = Vec::with_capacity(p.mentions.len());
    for (k, m) in p.mentions.iter().enumerate() {
        let eid = event_id(&m.source_code, &m.target_code, &m.cameo, m.date.as_deref(), day);
        event_of.push(eid);
        let i = match touched.iter().position(|t| t.0 == eid) {
            Some(i) => i,
            None => {
                touched.push((eid, k, 0, 0.0, 0));
                touched.len() - 1
            }
        };
        let t = &mut touched[i];
        t.2 += 1;
        if let Some(tone) = m.tone {
            t.3 += tone;
            t.4 += 1;
        }
    }
    for &(eid, k, n, tone_sum, tone_n) in &touched {
        let m = &p.mentions[k];
        // The document's own mentions are not stored yet: this asks about earlier documents.
        let new_outlet = !seen_outlet.exists(params![eid, p.outlet])?;
        let src3 = first3(&m.source_code);
        let tgt3 = first3(&m.target_code);
        let odd = m.source_country.as_deref().is_some_and(|c| c != src3)
            || m.target_country.as_deref().is_some_and(|c| c != tgt3);
        upsert.execute(params![
            eid,
            m.source_code,
            m.source_country,
            m.source_role,
            m.source_name,
            src3,
            m.target_code,
            m.target_country,
            m.target_role,
            m.target_name,
            tgt3,
            odd as i64,
            m.cameo,
            m.base,
            m.root,
            m.quad_class,
            m.goldstein,
            m.plover,
            m.plover_context,
            m.date,
            day,
            p.id,
            local_id(seq, m.ord),
            n,
            new_outlet as i64,
            tone_sum,
            tone_n
        ])?;
    }
    for (m, eid) in p.mentions.iter().zip(event_of) {
        ins.execute(params![
            m.id,
            eid,
            p.id,
            m.ord,
            m.sentence,
            local_id(seq, m.evidence),
            m.start,
            m.end,
            m.source_char,
            m.target_char,
            m.action_char,
            p.outlet,
            m.mode,
            m.confidence,
            m.tone,
            m.rule,
            m.record,
            local_id(seq, m.ord)
        ])?;
    }
    Ok(())
}
