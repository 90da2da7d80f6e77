//! The embedded event store: the only crate that knows the storage format.
//!
//! SQLite (bundled), versioned migrations, WAL, one transaction per document. A document
//! already stored (same id) is skipped, so a rerun of the same input stores nothing twice.
//!
//! FIRST IMPLEMENTATION (foundation): documents, events, quotes and actors as JSON-bearing
//! rows; the store issue adds mentions roll-up, full-text search and exports.

use dyad_model::{CodedDocument, DocId, Event, Quote};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

pub const SCHEMA_VERSION: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {message}")]
    Open { path: String, message: String },
    #[error("{path}: store was written by a newer dyad (schema {found}, this dyad knows up to {known})")]
    TooNew { path: String, found: i64, known: i64 },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored record is not readable: {0}")]
    Decode(#[from] serde_json::Error),
}

pub struct Store {
    conn: Connection,
}

const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT,
    title TEXT,
    date TEXT,
    body TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    source_code TEXT NOT NULL,
    target_code TEXT,
    cameo TEXT NOT NULL,
    root TEXT NOT NULL,
    goldstein REAL NOT NULL,
    quad_class INTEGER NOT NULL,
    date TEXT,
    record TEXT NOT NULL
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_source ON events(source_code);
CREATE INDEX events_target ON events(target_code);
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    speaker_code TEXT,
    text TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE TABLE actors (
    doc INTEGER NOT NULL REFERENCES documents(id),
    code TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    PRIMARY KEY (doc, start, end, code)
);
CREATE INDEX actors_code ON actors(code);
"#];

/// What `put` did with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Stored,
    AlreadyStored,
}

/// Filters for [`Store::events`]; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Matches source or target code by prefix (`USA` matches `USAGOV`).
    pub actor: Option<String>,
    pub cameo_prefix: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<usize>,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let p = path.display().to_string();
        let conn = Connection::open(path).map_err(|e| StoreError::Open { path: p.clone(), message: e.to_string() })?;
        let mut s = Store { conn };
        s.init(&p)?;
        Ok(s)
    }

    pub fn open_in_memory() -> Result<Store, StoreError> {
        let mut s = Store { conn: Connection::open_in_memory()? };
        s.init(":memory:")?;
        Ok(s)
    }

    fn init(&mut self, p: &str) -> Result<(), StoreError> {
        let bad = |e: rusqlite::Error| StoreError::Open {
            path: p.to_string(),
            message: format!("not a dyad store or corrupt: {e}"),
        };
        self.conn.pragma_update(None, "journal_mode", "WAL").map_err(bad)?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        let version: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version > MIGRATIONS.len() as i64 {
            return Err(StoreError::TooNew { path: p.to_string(), found: version, known: MIGRATIONS.len() as i64 });
        }
        for (i, m) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(m)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    pub fn contains(&self, id: DocId) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT 1 FROM documents WHERE id = ?1", [id.as_i64()], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Stores one coded document in one transaction; a document already stored is skipped.
    pub fn put(&mut self, doc: &CodedDocument) -> Result<Put, StoreError> {
        let a = &doc.article;
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO documents (id, source, url, title, date, body, pipeline, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                a.id.as_i64(),
                a.source,
                a.url,
                a.title,
                doc.date.map(|d| d.to_string()),
                a.body,
                doc.pipeline,
                serde_json::to_string(doc)?
            ],
        )?;
        if n == 0 {
            return Ok(Put::AlreadyStored);
        }
        for e in &doc.events {
            tx.execute(
                "INSERT OR IGNORE INTO events (id, doc, source_code, target_code, cameo, root, goldstein, quad_class, date, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    e.id.as_i64(),
                    a.id.as_i64(),
                    e.source.code,
                    e.target.as_ref().map(|t| t.code.clone()),
                    e.cameo,
                    e.root,
                    e.goldstein,
                    e.quad_class.number(),
                    e.date.map(|d| d.to_string()),
                    serde_json::to_string(e)?
                ],
            )?;
        }
        for q in &doc.quotes {
            tx.execute(
                "INSERT OR IGNORE INTO quotes (id, doc, speaker_code, text, record) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![q.id.as_i64(), a.id.as_i64(), q.speaker_code, q.text, serde_json::to_string(q)?],
            )?;
        }
        for act in &doc.actors {
            tx.execute(
                "INSERT OR IGNORE INTO actors (doc, code, text, start, end) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![a.id.as_i64(), act.code, act.text, act.span.start as i64, act.span.end as i64],
            )?;
        }
        tx.commit()?;
        Ok(Put::Stored)
    }

    /// Counts of stored documents, events, quotes and actor mentions.
    pub fn counts(&self) -> Result<(u64, u64, u64, u64), StoreError> {
        let c = |t: &str| -> Result<u64, StoreError> {
            Ok(self.conn.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok((c("documents")?, c("events")?, c("quotes")?, c("actors")?))
    }

    /// Events matching the filter, newest first.
    pub fn events(&self, f: &EventFilter) -> Result<Vec<Event>, StoreError> {
        let actor = f.actor.as_ref().map(|a| format!("{}%", escape_like(a)));
        let cameo = f.cameo_prefix.as_ref().map(|c| format!("{}%", escape_like(c)));
        let mut stmt = self.conn.prepare(
            "SELECT record FROM events
             WHERE (?1 IS NULL OR source_code LIKE ?1 ESCAPE '\\' OR target_code LIKE ?1 ESCAPE '\\')
               AND (?2 IS NULL OR cameo LIKE ?2 ESCAPE '\\')
               AND (?3 IS NULL OR date >= ?3)
               AND (?4 IS NULL OR date <= ?4)
             ORDER BY date DESC, id LIMIT ?5",
        )?;
        let limit = f.limit.map(|l| l as i64).unwrap_or(-1);
        let rows = stmt.query_map(params![actor, cameo, f.from, f.to, limit], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for r in rows {
            out.push(serde_json::from_str(&r?)?);
        }
        Ok(out)
    }

    /// Quotations, optionally by speaker code prefix.
    pub fn quotes(&self, speaker: Option<&str>, limit: Option<usize>) -> Result<Vec<Quote>, StoreError> {
        let sp = speaker.map(|s| format!("{}%", escape_like(s)));
        let mut stmt = self.conn.prepare(
            "SELECT record FROM quotes WHERE (?1 IS NULL OR speaker_code LIKE ?1 ESCAPE '\\') ORDER BY doc, id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![sp, limit.map(|l| l as i64).unwrap_or(-1)], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for r in rows {
            out.push(serde_json::from_str(&r?)?);
        }
        Ok(out)
    }

    /// Actor codes with how often they were mentioned, most frequent first.
    pub fn actors(&self, limit: Option<usize>) -> Result<Vec<(String, u64)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT code, COUNT(*) AS n FROM actors WHERE code != '' GROUP BY code ORDER BY n DESC, code LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit.map(|l| l as i64).unwrap_or(-1)], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
