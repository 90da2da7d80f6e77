//! Typed queries over the store: what the CLI and the HTTP server ask.
//!
//! Actor arguments match an actor by code prefix or by country: `USA` matches `USA`, `USAGOV`
//! and any actor whose country is `USA`. Text arguments are words, all of which must occur
//! (a trailing `*` matches a prefix); they never reach FTS5 as query syntax.

use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use dyad_model::{DocId, Event, EventId, Quote, QuoteId};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

/// Filters for [`Store::events`]; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Source or target matches this actor (code prefix or country).
    pub actor: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    /// CAMEO code prefix (`04` matches `040`…`046`).
    pub cameo_prefix: Option<String>,
    /// Inclusive event-date range, `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Words in an article that reports the event.
    pub text: Option<String>,
    pub limit: Option<usize>,
}

/// Filters for [`Store::quotes_where`].
#[derive(Debug, Clone, Default)]
pub struct QuoteFilter {
    /// Speaker code prefix, or a part of the speaker's name as written or resolved.
    pub speaker: Option<String>,
    /// An actor named inside the quotation (code prefix).
    pub mentions: Option<String>,
    /// Words of the quotation or the speaker's name.
    pub text: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<usize>,
}

/// An event rolled up from its mentions, with GDELT's counters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredEvent {
    pub id: EventId,
    pub date: Option<String>,
    /// The roll-up day: the date of the first document of the story that reported it.
    pub day: Option<String>,
    pub source: String,
    pub source_country: Option<String>,
    pub source_name: Option<String>,
    pub target: String,
    pub target_country: Option<String>,
    pub target_name: Option<String>,
    pub cameo: String,
    pub base: String,
    pub root: String,
    pub quad_class: u8,
    pub goldstein: f64,
    pub plover: Option<String>,
    pub plover_context: Vec<String>,
    pub num_mentions: u64,
    pub num_sources: u64,
    pub num_articles: u64,
    /// Mean tone of the mentions that have one.
    pub avg_tone: Option<f64>,
    pub first_doc: DocId,
    /// URL of the first document, else its source path.
    pub source_url: String,
}

/// One report of an event: where, with which sentence, how sure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredMention {
    pub id: EventId,
    pub event: EventId,
    pub doc: DocId,
    pub url: Option<String>,
    pub source: String,
    pub outlet: String,
    pub title: Option<String>,
    pub doc_date: Option<String>,
    pub sentence_index: usize,
    /// The sentence holding the mention, and its byte offsets in the body.
    pub sentence: String,
    pub sentence_start: usize,
    pub sentence_end: usize,
    /// The mention's own evidence span (byte offsets in the body).
    pub start: usize,
    pub end: usize,
    pub mode: String,
    pub confidence: f64,
    pub tone: Option<f64>,
    pub rule: String,
    /// The event as the coder reported it.
    pub report: Event,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredQuote {
    pub doc: DocId,
    pub url: Option<String>,
    pub doc_date: Option<String>,
    /// Actor codes named inside the quotation.
    pub mentions: Vec<String>,
    pub quote: Quote,
}

/// A document found by full-text search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundDocument {
    pub id: DocId,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: String,
    pub date: Option<String>,
    pub snippet: String,
}

/// The period of a relations series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    /// ISO week, named by its Monday.
    Week,
    Month,
    Year,
}

impl Period {
    /// The name of the period holding `d`: `2024-05-06` (day, or the Monday of the week), `2024-05`, `2024`.
    pub fn key(self, d: NaiveDate) -> String {
        match self {
            Period::Day => d.to_string(),
            Period::Week => (d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64)).to_string(),
            Period::Month => format!("{:04}-{:02}", d.year(), d.month()),
            Period::Year => format!("{:04}", d.year()),
        }
    }
}

/// What [`Store::relations`] asks.
#[derive(Debug, Clone)]
pub struct Relations {
    pub a: String,
    pub b: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub by: Period,
    /// Only events from `a` to `b`; by default both directions count.
    pub directed: bool,
    /// How many top event codes per period.
    pub top: usize,
}

/// One period of a relations series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodRow {
    pub period: String,
    pub events: u64,
    /// Events per quad class 1–4 (verbal/material cooperation, verbal/material conflict).
    pub quad: [u64; 4],
    pub mentions: u64,
    pub mean_goldstein: f64,
    pub mean_tone: Option<f64>,
    /// The most frequent CAMEO codes, with their event counts.
    pub top_codes: Vec<(String, u64)>,
}

pub(crate) fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Turns user words into an FTS5 query where every word is a quoted string (so no word can be
/// read as syntax); `word*` keeps its prefix star. `None` when there is no word.
pub fn fts_query(text: &str) -> Option<String> {
    let parts: Vec<String> = text
        .split_whitespace()
        .filter_map(|w| {
            let (w, star) = match w.strip_suffix('*') {
                Some(s) => (s, true),
                None => (w, false),
            };
            let w: String = w.chars().filter(|c| c.is_alphanumeric() || *c == '\'' || *c == '-').collect();
            (!w.is_empty()).then(|| format!("\"{}\"{}", w.replace('"', "\"\""), if star { "*" } else { "" }))
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

pub(crate) fn actor_arg(a: &str) -> Result<String, StoreError> {
    let a = a.trim().to_ascii_uppercase();
    if a.is_empty() || !a.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(StoreError::BadQuery(format!(
            "actor code {a:?}: expected letters and digits such as USA or USAGOV"
        )));
    }
    Ok(a)
}

pub(crate) const EVENT_COLUMNS: &str =
    "e.id, e.date, e.day, e.source_code, e.source_country, e.source_name, e.target_code,
    e.target_country, e.target_name, e.cameo, e.base, e.root, e.quad_class, e.goldstein, e.plover, e.plover_context,
    e.num_mentions, e.num_sources, e.num_articles, e.tone_sum, e.tone_n, e.first_doc, COALESCE(d.url, d.source)";

pub(crate) fn event_row(r: &Row) -> rusqlite::Result<StoredEvent> {
    let ctx: String = r.get(15)?;
    let tone_n: i64 = r.get(20)?;
    let tone_sum: f64 = r.get(19)?;
    Ok(StoredEvent {
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
        first_doc: DocId::from_i64(r.get(21)?),
        source_url: r.get(22)?,
    })
}

/// Maps SQLite's complaint about an FTS query to a user error.
pub(crate) fn fts_err(e: rusqlite::Error) -> StoreError {
    let msg = e.to_string();
    if msg.contains("fts5") {
        StoreError::BadQuery(msg)
    } else {
        e.into()
    }
}

impl Store {
    /// Events matching the filter, newest first.
    pub fn events(&self, f: &EventFilter) -> Result<Vec<StoredEvent>, StoreError> {
        let like = |a: &Option<String>| -> Result<Option<(String, String)>, StoreError> {
            a.as_deref().map(|a| actor_arg(a).map(|a| (format!("{}%", escape_like(&a)), a))).transpose()
        };
        let actor = like(&f.actor)?;
        let source = like(&f.source)?;
        let target = like(&f.target)?;
        let cameo = f.cameo_prefix.as_ref().map(|c| format!("{}%", escape_like(c.trim())));
        let text = match &f.text {
            Some(t) => Some(fts_query(t).ok_or_else(|| StoreError::BadQuery(format!("no words in {t:?}")))?),
            None => None,
        };
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e JOIN documents d ON d.id = e.first_doc
             WHERE (?1 IS NULL OR e.source_code LIKE ?1 ESCAPE '\\' OR e.target_code LIKE ?1 ESCAPE '\\'
                    OR e.source_country = ?2 OR e.target_country = ?2)
               AND (?3 IS NULL OR e.source_code LIKE ?3 ESCAPE '\\' OR e.source_country = ?4)
               AND (?5 IS NULL OR e.target_code LIKE ?5 ESCAPE '\\' OR e.target_country = ?6)
               AND (?7 IS NULL OR e.cameo LIKE ?7 ESCAPE '\\')
               AND (?8 IS NULL OR e.date >= ?8)
               AND (?9 IS NULL OR e.date <= ?9)
               AND (?10 IS NULL OR e.id IN (SELECT m.event FROM mentions m WHERE m.doc IN
                    (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?10)))
             ORDER BY e.date DESC, e.id LIMIT ?11"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let split = |x: &Option<(String, String)>| (x.as_ref().map(|x| x.0.clone()), x.as_ref().map(|x| x.1.clone()));
        let (a1, a2) = split(&actor);
        let (s1, s2) = split(&source);
        let (t1, t2) = split(&target);
        let limit = f.limit.map(|l| l as i64).unwrap_or(-1);
        let rows = stmt
            .query_map(params![a1, a2, s1, s2, t1, t2, cameo, f.from, f.to, text, limit], event_row)
            .map_err(fts_err)?;
        rows.map(|r| r.map_err(fts_err)).collect()
    }

    /// One event by id.
    pub fn event(&self, id: EventId) -> Result<Option<StoredEvent>, StoreError> {
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM events e JOIN documents d ON d.id = e.first_doc WHERE e.id = ?1");
        Ok(self.conn.prepare_cached(&sql)?.query_row([id.as_i64()], event_row).optional()?)
    }

    /// Every mention of an event with its sentence and source, in the order stored.
    pub fn evidence(&self, id: EventId) -> Result<Vec<StoredMention>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT m.id, m.event, m.doc, d.url, d.source, m.outlet, d.title, d.date, m.sentence, CAST(substr(CAST(d.body AS BLOB), v.start + 1, v.end - v.start) AS TEXT), v.start, v.end,
                    m.start, m.end, m.mode, m.confidence, m.tone, m.rule, m.record,
                    m.id, m.sentence, m.start, m.end, m.mode, m.confidence, m.tone, m.rule,
                    e.source_code, e.target_code, e.cameo
             FROM mentions m JOIN documents d ON d.id = m.doc JOIN evidence v ON v.id = m.evidence
                  JOIN events e ON e.id = m.event
             WHERE m.event = ?1 ORDER BY m.rid",
        )?;
        let rows = stmt.query_map([id.as_i64()], |r| {
            let record: String = r.get(18)?;
            let report: Event = crate::mention::event_of(&record, crate::read::mention_columns(r, 19)?)
                .map_err(|e| rusqlite::Error::FromSqlConversionFailure(18, rusqlite::types::Type::Text, Box::new(e)))?;
            Ok(StoredMention {
                id: EventId::from_i64(r.get(0)?),
                event: EventId::from_i64(r.get(1)?),
                doc: DocId::from_i64(r.get(2)?),
                url: r.get(3)?,
                source: r.get(4)?,
                outlet: r.get(5)?,
                title: r.get(6)?,
                doc_date: r.get(7)?,
                sentence_index: r.get::<_, i64>(8)? as usize,
                sentence: r.get(9)?,
                sentence_start: r.get::<_, i64>(10)? as usize,
                sentence_end: r.get::<_, i64>(11)? as usize,
                start: r.get::<_, i64>(12)? as usize,
                end: r.get::<_, i64>(13)? as usize,
                mode: r.get(14)?,
                confidence: r.get(15)?,
                tone: r.get(16)?,
                rule: r.get(17)?,
                report,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Quotations, optionally by speaker code prefix (kept for the first CLI).
    pub fn quotes(&self, speaker: Option<&str>, limit: Option<usize>) -> Result<Vec<Quote>, StoreError> {
        let f = QuoteFilter { speaker: speaker.map(str::to_string), limit, ..Default::default() };
        Ok(self.quotes_where(&f)?.into_iter().map(|q| q.quote).collect())
    }

    /// Quotations by speaker, by actor named inside them, by words, by document date: with
    /// words, best matches first; else in the order stored.
    pub fn quotes_where(&self, f: &QuoteFilter) -> Result<Vec<StoredQuote>, StoreError> {
        let sp_code = f.speaker.as_ref().map(|s| format!("{}%", escape_like(&s.trim().to_ascii_uppercase())));
        let sp_name = f.speaker.as_ref().map(|s| format!("%{}%", escape_like(s.trim())));
        let mentions = f.mentions.as_deref().map(actor_arg).transpose()?.map(|m| format!("{}%", escape_like(&m)));
        let text = match &f.text {
            Some(t) => Some(fts_query(t).ok_or_else(|| StoreError::BadQuery(format!("no words in {t:?}")))?),
            None => None,
        };
        // With words, the full-text index drives the query, best matches (BM25) first: CROSS
        // JOIN keeps that order, so only the rows returned are read from the tables. Otherwise
        // quotes come in the order they were stored.
        let (from, order) = if text.is_some() {
            (
                "(SELECT rowid AS qid FROM quotes_fts WHERE quotes_fts MATCH ?4 ORDER BY rank, rowid) f
                 CROSS JOIN quotes q ON q.id = f.qid CROSS JOIN documents d ON d.id = q.doc",
                "",
            )
        } else {
            ("quotes q JOIN documents d ON d.id = q.doc", "ORDER BY d.seq, q.ord")
        };
        let sql = format!(
            "SELECT q.record, q.doc, d.url, d.date, q.id FROM {from}
             WHERE (?1 IS NULL OR q.speaker_code LIKE ?1 ESCAPE '\\' OR q.speaker_name LIKE ?2 ESCAPE '\\'
                    OR q.speaker_text LIKE ?2 ESCAPE '\\')
               AND (?3 IS NULL OR q.id IN (SELECT quote FROM quote_actors WHERE code LIKE ?3 ESCAPE '\\'))
               AND (?5 IS NULL OR d.date >= ?5)
               AND (?6 IS NULL OR d.date <= ?6)
             {order} LIMIT ?7"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let limit = f.limit.map(|l| l as i64).unwrap_or(-1);
        let rows = stmt
            .query_map(params![sp_code, sp_name, mentions, text, f.from, f.to, limit], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .map_err(fts_err)?;
        let mut out = Vec::new();
        let mut actors = self.conn.prepare_cached("SELECT code FROM quote_actors WHERE quote = ?1 ORDER BY code")?;
        for r in rows {
            let (record, doc, url, doc_date, qid) = r.map_err(fts_err)?;
            let mentions = actors.query_map([qid], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
            out.push(StoredQuote {
                doc: DocId::from_i64(doc),
                url,
                doc_date,
                mentions,
                quote: serde_json::from_str(&record)?,
            });
        }
        Ok(out)
    }

    /// One quotation by id.
    pub fn quote(&self, id: QuoteId) -> Result<Option<Quote>, StoreError> {
        let rec: Option<String> = self
            .conn
            .prepare_cached("SELECT record FROM quotes WHERE id = ?1")?
            .query_row([id.as_i64()], |r| r.get(0))
            .optional()?;
        Ok(rec.map(|r| serde_json::from_str(&r)).transpose()?)
    }

    /// Documents whose title or body contain all the words, best match first.
    pub fn search_documents(&self, text: &str, limit: Option<usize>) -> Result<Vec<FoundDocument>, StoreError> {
        let q = fts_query(text).ok_or_else(|| StoreError::BadQuery(format!("no words in {text:?}")))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.title, d.url, d.source, d.date, snippet(documents_fts, 1, '[', ']', '…', 12)
             FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
             WHERE documents_fts MATCH ?1 ORDER BY rank, d.id LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![q, limit.map(|l| l as i64).unwrap_or(-1)], |r| {
                Ok(FoundDocument {
                    id: DocId::from_i64(r.get(0)?),
                    title: r.get(1)?,
                    url: r.get(2)?,
                    source: r.get(3)?,
                    date: r.get(4)?,
                    snippet: r.get(5)?,
                })
            })
            .map_err(fts_err)?;
        rows.map(|r| r.map_err(fts_err)).collect()
    }

    /// Actor codes with how often they were mentioned, most frequent first.
    pub fn actors(&self, limit: Option<usize>) -> Result<Vec<(String, u64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, COUNT(*) AS n FROM actors WHERE code != '' GROUP BY code ORDER BY n DESC, code LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit.map(|l| l as i64).unwrap_or(-1)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
