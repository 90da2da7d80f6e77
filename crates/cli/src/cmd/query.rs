//! `dyad query`: read back what is stored.

use crate::common;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use dyad_store::query::{FoundDocument, Period, QuoteFilter, Relations};
use dyad_store::{EventFilter, StoredEvent};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Read relations, events, evidence, quotes, documents and actors back from the store.
///
/// Actor arguments match codes by prefix or country: USA matches USA, USAGOV, USAMIL.
/// Text arguments are words that must all occur; `word*` matches a prefix.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  dyad query relations USA PRK --from 2017-01-01 --to 2025-12-31 --by month
  dyad query events --actor USA --cameo 04 --from 2025-01-01
  dyad query events --text 'sanctions nuclear'
  dyad query evidence 3f2a9c0d41b7e215
  dyad query quotes --speaker JPNGOV
  dyad query quotes --text 'missile*' --format csv
  dyad query documents --text 'summit'
  dyad query actors --format json")]
pub struct Args {
    #[command(subcommand)]
    what: What,
    /// The store to read.
    #[arg(long, global = true, default_value_os_t = common::default_db())]
    db: PathBuf,
    /// Output format: a table, JSON (one object per line) or CSV with a header.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum By {
    Day,
    Week,
    Month,
    Year,
}

#[derive(clap::Subcommand)]
enum What {
    /// Events between two actors per period: counts by quad class, mean Goldstein, mean tone, top codes.
    Relations {
        a: String,
        b: String,
        #[arg(long, value_parser = common::parse_date)]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = common::parse_date)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = By::Month)]
        by: By,
        /// Only events from the first actor to the second.
        #[arg(long)]
        directed: bool,
        /// How many top event codes per period.
        #[arg(long, default_value_t = 3)]
        top: usize,
    },
    /// Events (rolled up from their mentions), newest first.
    Events {
        /// Source or target (code prefix or country).
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        source: Option<String>,
        #[arg(long)]
        target: Option<String>,
        /// CAMEO code prefix.
        #[arg(long)]
        cameo: Option<String>,
        #[arg(long, value_parser = common::parse_date)]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = common::parse_date)]
        to: Option<NaiveDate>,
        /// Words in an evidence sentence.
        #[arg(long)]
        text: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Every mention of an event, with its sentence and source.
    Evidence {
        /// The event id (16 hex digits, as `query events` prints it).
        id: String,
    },
    /// Quotations by speaker, by actor named in them, by words.
    Quotes {
        /// Speaker code prefix or part of the speaker's name.
        #[arg(long)]
        speaker: Option<String>,
        /// An actor named inside the quotation (code prefix).
        #[arg(long)]
        mentions: Option<String>,
        /// Words of the quotation or of the speaker's name.
        #[arg(long)]
        text: Option<String>,
        #[arg(long, value_parser = common::parse_date)]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = common::parse_date)]
        to: Option<NaiveDate>,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Articles whose title or text contain all the words.
    Documents {
        #[arg(long)]
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Actor codes by number of mentions.
    Actors {
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_line(out: &mut impl Write, fields: &[String]) -> Result<()> {
    let f: Vec<String> = fields.iter().map(|s| csv_field(s)).collect();
    writeln!(out, "{}", f.join(","))?;
    Ok(())
}

fn opt<T: ToString>(x: &Option<T>) -> String {
    x.as_ref().map(|v| v.to_string()).unwrap_or_default()
}

fn event_fields(e: &StoredEvent) -> Vec<String> {
    vec![
        e.id.to_string(),
        opt(&e.date),
        e.source.clone(),
        e.target.clone(),
        e.cameo.clone(),
        e.quad_class.to_string(),
        format!("{:.1}", e.goldstein),
        e.num_mentions.to_string(),
        e.num_sources.to_string(),
        e.num_articles.to_string(),
        e.avg_tone.map(|t| format!("{t:.2}")).unwrap_or_default(),
        e.source_url.clone(),
    ]
}

const EVENT_HEADER: &[&str] = &[
    "id",
    "date",
    "source",
    "target",
    "cameo",
    "quad_class",
    "goldstein",
    "num_mentions",
    "num_sources",
    "num_articles",
    "avg_tone",
    "source_url",
];

fn header(h: &[&str]) -> Vec<String> {
    h.iter().map(|s| s.to_string()).collect()
}

pub fn run(a: Args) -> Result<ExitCode> {
    if !common::store_exists(&a.db) {
        anyhow::bail!("{}: no such store (run `dyad run <paths>` first)", a.db.display());
    }
    let store = common::open_store(&a.db)?;
    let ctx = || format!("cannot query store {}", a.db.display());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let d = |x: Option<NaiveDate>| x.map(|d| d.to_string());
    match a.what {
        What::Relations { a: x, b: y, from, to, by, directed, top } => {
            let by = match by {
                By::Day => Period::Day,
                By::Week => Period::Week,
                By::Month => Period::Month,
                By::Year => Period::Year,
            };
            let q = Relations { a: x, b: y, from: d(from), to: d(to), by, directed, top };
            let rows = store.relations(&q).with_context(ctx)?;
            let codes = |r: &dyad_store::PeriodRow| {
                r.top_codes.iter().map(|(c, n)| format!("{c}:{n}")).collect::<Vec<_>>().join(" ")
            };
            match a.format {
                Format::Json => {
                    for r in &rows {
                        writeln!(out, "{}", serde_json::to_string(r)?)?;
                    }
                }
                Format::Csv => {
                    csv_line(
                        &mut out,
                        &header(&[
                            "period",
                            "events",
                            "verbal_coop",
                            "material_coop",
                            "verbal_conflict",
                            "material_conflict",
                            "mentions",
                            "mean_goldstein",
                            "mean_tone",
                            "top_codes",
                        ]),
                    )?;
                    for r in &rows {
                        let mut f = vec![r.period.clone(), r.events.to_string()];
                        f.extend(r.quad.iter().map(|n| n.to_string()));
                        f.push(r.mentions.to_string());
                        f.push(format!("{:.3}", r.mean_goldstein));
                        f.push(r.mean_tone.map(|t| format!("{t:.3}")).unwrap_or_default());
                        f.push(codes(r));
                        csv_line(&mut out, &f)?;
                    }
                }
                Format::Table => {
                    writeln!(
                        out,
                        "{:<10} {:>6} {:>5} {:>5} {:>5} {:>5} {:>8} {:>6} {:>6}  top codes",
                        "period", "events", "q1", "q2", "q3", "q4", "mentions", "gold", "tone"
                    )?;
                    for r in &rows {
                        writeln!(
                            out,
                            "{:<10} {:>6} {:>5} {:>5} {:>5} {:>5} {:>8} {:>6.2} {:>6}  {}",
                            r.period,
                            r.events,
                            r.quad[0],
                            r.quad[1],
                            r.quad[2],
                            r.quad[3],
                            r.mentions,
                            r.mean_goldstein,
                            r.mean_tone.map(|t| format!("{t:.2}")).unwrap_or_else(|| "-".into()),
                            codes(r)
                        )?;
                    }
                    if rows.is_empty() {
                        eprintln!("dyad: no events between {} and {}", q.a, q.b);
                    }
                }
            }
        }
        What::Events { actor, source, target, cameo, from, to, text, limit } => {
            let f = EventFilter {
                actor,
                source,
                target,
                cameo_prefix: cameo,
                from: d(from),
                to: d(to),
                text,
                limit: Some(limit),
            };
            let evs = store.events(&f).with_context(ctx)?;
            match a.format {
                Format::Json => {
                    for e in &evs {
                        writeln!(out, "{}", serde_json::to_string(e)?)?;
                    }
                }
                Format::Csv => {
                    csv_line(&mut out, &header(EVENT_HEADER))?;
                    for e in &evs {
                        csv_line(&mut out, &event_fields(e))?;
                    }
                }
                Format::Table => {
                    writeln!(
                        out,
                        "{:<16} {:<10} {:<10} {:<10} {:<5} {:>6} {:>4} {:>4} {:>4}  first source",
                        "id", "date", "source", "target", "cameo", "gold", "ment", "src", "art"
                    )?;
                    for e in &evs {
                        writeln!(
                            out,
                            "{:<16} {:<10} {:<10} {:<10} {:<5} {:>6.1} {:>4} {:>4} {:>4}  {}",
                            e.id.to_string(),
                            opt(&e.date),
                            e.source,
                            if e.target.is_empty() { "-" } else { &e.target },
                            e.cameo,
                            e.goldstein,
                            e.num_mentions,
                            e.num_sources,
                            e.num_articles,
                            e.source_url
                        )?;
                    }
                }
            }
        }
        What::Evidence { id } => {
            let eid: dyad_model::EventId = id.trim().parse().map_err(|_| {
                anyhow::anyhow!("{id:?} is not an event id (16 hex digits, as `dyad query events` prints)")
            })?;
            let Some(e) = store.event(eid).with_context(ctx)? else {
                anyhow::bail!("no event {id} in {}", a.db.display());
            };
            let ms = store.evidence(eid).with_context(ctx)?;
            match a.format {
                Format::Json => {
                    writeln!(out, "{}", serde_json::json!({ "event": e, "mentions": ms }))?;
                }
                Format::Csv => {
                    csv_line(
                        &mut out,
                        &header(&[
                            "mention",
                            "doc",
                            "url",
                            "outlet",
                            "doc_date",
                            "sentence_index",
                            "start",
                            "end",
                            "mode",
                            "confidence",
                            "rule",
                            "sentence",
                        ]),
                    )?;
                    for m in &ms {
                        csv_line(
                            &mut out,
                            &[
                                m.id.to_string(),
                                m.doc.to_string(),
                                m.url.clone().unwrap_or_else(|| m.source.clone()),
                                m.outlet.clone(),
                                opt(&m.doc_date),
                                m.sentence_index.to_string(),
                                m.start.to_string(),
                                m.end.to_string(),
                                m.mode.clone(),
                                format!("{:.2}", m.confidence),
                                m.rule.clone(),
                                m.sentence.clone(),
                            ],
                        )?;
                    }
                }
                Format::Table => {
                    writeln!(
                        out,
                        "event {} on {}: {} -> {} {} (goldstein {:.1}, quad {}): {} mentions in {} articles from {} sources",
                        e.id,
                        opt(&e.date),
                        e.source,
                        if e.target.is_empty() { "-" } else { &e.target },
                        e.cameo,
                        e.goldstein,
                        e.quad_class,
                        e.num_mentions,
                        e.num_articles,
                        e.num_sources
                    )?;
                    for m in &ms {
                        writeln!(
                            out,
                            "\n{} {} sentence {} bytes {}..{} {} confidence {:.2} rule {}\n  {}",
                            opt(&m.doc_date),
                            m.url.as_deref().unwrap_or(&m.source),
                            m.sentence_index + 1,
                            m.start,
                            m.end,
                            m.mode,
                            m.confidence,
                            m.rule,
                            m.sentence.replace('\n', " ")
                        )?;
                    }
                }
            }
        }
        What::Quotes { speaker, mentions, text, from, to, limit } => {
            let f = QuoteFilter { speaker, mentions, text, from: d(from), to: d(to), limit: Some(limit) };
            let qs = store.quotes_where(&f).with_context(ctx)?;
            if a.format == Format::Csv {
                csv_line(
                    &mut out,
                    &header(&[
                        "quote",
                        "doc",
                        "doc_date",
                        "speaker",
                        "speaker_code",
                        "kind",
                        "mentions",
                        "text",
                        "url",
                    ]),
                )?;
            }
            for sq in &qs {
                let q = &sq.quote;
                let speaker = q.speaker_name.as_deref().or(q.speaker_text.as_deref()).unwrap_or("(unknown)");
                match a.format {
                    Format::Json => writeln!(out, "{}", serde_json::to_string(sq)?)?,
                    Format::Csv => csv_line(
                        &mut out,
                        &[
                            q.id.to_string(),
                            sq.doc.to_string(),
                            opt(&sq.doc_date),
                            speaker.to_string(),
                            opt(&q.speaker_code),
                            format!("{:?}", q.kind).to_lowercase(),
                            sq.mentions.join(" "),
                            q.text.clone(),
                            opt(&sq.url),
                        ],
                    )?,
                    Format::Table => writeln!(
                        out,
                        "{:<10} {:<20} {:<8} “{}”",
                        opt(&sq.doc_date),
                        speaker,
                        q.speaker_code.as_deref().unwrap_or("-"),
                        q.text
                    )?,
                }
            }
        }
        What::Documents { text, limit } => {
            let docs: Vec<FoundDocument> = store.search_documents(&text, Some(limit)).with_context(ctx)?;
            if a.format == Format::Csv {
                csv_line(&mut out, &header(&["doc", "date", "title", "url", "snippet"]))?;
            }
            for doc in &docs {
                match a.format {
                    Format::Json => writeln!(out, "{}", serde_json::to_string(doc)?)?,
                    Format::Csv => csv_line(
                        &mut out,
                        &[
                            doc.id.to_string(),
                            opt(&doc.date),
                            opt(&doc.title),
                            doc.url.clone().unwrap_or_else(|| doc.source.clone()),
                            doc.snippet.clone(),
                        ],
                    )?,
                    Format::Table => writeln!(
                        out,
                        "{} {:<10} {}\n  {}\n  {}",
                        doc.id,
                        opt(&doc.date),
                        doc.title.as_deref().unwrap_or("(no title)"),
                        doc.url.as_deref().unwrap_or(&doc.source),
                        doc.snippet.replace('\n', " ")
                    )?,
                }
            }
        }
        What::Actors { limit } => {
            if a.format == Format::Csv {
                csv_line(&mut out, &header(&["code", "mentions"]))?;
            }
            for (code, n) in store.actors(Some(limit)).with_context(ctx)? {
                match a.format {
                    Format::Json => writeln!(out, "{}", serde_json::json!({"code": code, "mentions": n}))?,
                    Format::Csv => csv_line(&mut out, &[code, n.to_string()])?,
                    Format::Table => writeln!(out, "{code:<12} {n}")?,
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
