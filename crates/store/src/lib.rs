//! The embedded event store: the only crate that knows the storage format.
//!
//! - [`Store`]: a SQLite file (bundled SQLite, WAL) with versioned migrations ([`SCHEMA_VERSION`]).
//! - Writing: [`prepare`] turns a [`CodedDocument`] into rows on any thread; [`Store::put_prepared`]
//!   writes them in one transaction per document. A document already stored (same id) is skipped.
//! - Events, not reports: every reported event is a *mention*; mentions with the same source,
//!   target, CAMEO code, event date and roll-up day (the date of the first document of the
//!   article's story cluster) are one *event*, with GDELT's `NumMentions`, `NumSources` and
//!   `NumArticles`. Ids are hashes of what defines the row, so reruns give the same ids.
//! - Queries ([`query`]): relations between two actors per period, events, quotes, evidence,
//!   full-text search (FTS5) over articles and quotations.
//! - Exports ([`export`]): GDELT 2.0 Events and Mentions TSV, PLOVER JSON, JSON Lines, CSV,
//!   Parquet (cargo feature `parquet`).
//! - Backends ([`DocumentStore`], [`DbUrl`]): the embedded SQLite [`Store`], and with the cargo
//!   feature `postgres` the shared [`pg::PgStore`] that `dyad worker` processes write together.
//! - [`synth`]: synthetic coded documents for tests and benchmarks.
//!
//! User text reaches SQL only as parameters.

use dyad_model::{CodedDocument, DocId};
use rusqlite::{Connection, ErrorCode, OptionalExtension};
use std::path::Path;

mod backend;
pub mod browse;
pub mod export;
mod mention;
#[cfg(feature = "postgres")]
pub mod pg;
#[cfg(feature = "postgres")]
mod pg_schema;
pub mod query;
mod read;
mod relations;
mod schema;
pub mod synth;
mod write;

pub use backend::{open_backend, open_for_reading, DbUrl, DocumentStore, EventTally, Tally};
pub use browse::{ActorCount, Cursor, EventPage, EventQuery, Speaker};
pub use query::EventFilter;
pub use query::{Period, PeriodRow, QuoteFilter, Relations, StoredEvent, StoredMention, StoredQuote};
pub use write::{event_id, outlet_of, prepare, Prepared};

/// The schema this dyad writes. Stores at older versions are migrated on open.
pub const SCHEMA_VERSION: i64 = 4;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {message}")]
    Open { path: String, message: String },
    #[error("{path}: not a dyad store or corrupt ({message})")]
    Corrupt { path: String, message: String },
    #[error("{path}: store was written by a newer dyad (schema {found}, this dyad knows up to {known})")]
    TooNew { path: String, found: i64, known: i64 },
    #[error("{path}: migration from schema {from} failed at document {doc}: {message}")]
    Migrate { path: String, from: i64, doc: String, message: String },
    #[error("database error: {0}")]
    Sql(rusqlite::Error),
    #[error("store is corrupt: {0} (rebuild it with `dyad run`, or restore a copy)")]
    Damaged(rusqlite::Error),
    #[error("stored record is not readable: {0}")]
    Decode(#[from] serde_json::Error),
    #[error("bad query: {0}")]
    BadQuery(String),
    #[error("write error: {0}")]
    Io(#[from] std::io::Error),
    #[error("parquet: {0}")]
    Parquet(String),
    /// A PostgreSQL error; `transient` when the same write can succeed later (connection
    /// lost, server restarting, deadlock), so that a worker retries instead of giving up.
    #[error("postgresql: {message}")]
    Postgres { message: String, transient: bool },
}

impl StoreError {
    /// Whether retrying the same operation later can succeed (the database is restarting or
    /// unreachable), as opposed to a bad document or a broken store.
    pub fn is_transient(&self) -> bool {
        match self {
            StoreError::Postgres { transient, .. } => *transient,
            StoreError::Sql(e) => {
                matches!(e.sqlite_error_code(), Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked))
            }
            _ => false,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => StoreError::Damaged(e),
            _ => StoreError::Sql(e),
        }
    }
}

/// What `put` did with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    Stored,
    AlreadyStored,
}

/// Row counts of the main tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub documents: u64,
    pub stories: u64,
    pub events: u64,
    pub mentions: u64,
    pub quotes: u64,
    pub actors: u64,
    pub entities: u64,
}

pub struct Store {
    pub(crate) conn: Connection,
}

pub(crate) fn hash64(parts: &[&[u8]]) -> u64 {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    let b = *h.finalize().as_bytes();
    // Positive as an i64, so that it is a plain SQLite INTEGER key.
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) & (u64::MAX >> 1)
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

    /// Opens an existing store for reading only, for lookups beside a writer (WAL lets readers
    /// and one writer work at once). The schema must be current: only [`Store::open`] migrates.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        use rusqlite::OpenFlags;
        let p = path.display().to_string();
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| StoreError::Open { path: p.clone(), message: e.to_string() })?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| StoreError::Corrupt { path: p.clone(), message: e.to_string() })?;
        if version != SCHEMA_VERSION {
            return Err(StoreError::Open {
                path: p,
                message: format!("schema {version}, expected {SCHEMA_VERSION}: open it for writing once to migrate"),
            });
        }
        Ok(Store { conn })
    }

    pub fn open_in_memory() -> Result<Store, StoreError> {
        let mut s = Store { conn: Connection::open_in_memory()? };
        s.init(":memory:")?;
        Ok(s)
    }

    fn init(&mut self, p: &str) -> Result<(), StoreError> {
        let corrupt = |e: rusqlite::Error| StoreError::Corrupt { path: p.to_string(), message: e.to_string() };
        // The first read of the file: garbage fails here with "file is not a database".
        let version: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(corrupt)?;
        self.conn.pragma_update(None, "journal_mode", "WAL").map_err(corrupt)?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Foreign keys are checked from the end of the migrations on (schema 4 replaces a table
        // that mentions point at).
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        // Fewer, larger checkpoints: a page rewritten by many small transactions (FTS segments,
        // index pages) is copied back to the database once per checkpoint, not once per 1,000
        // pages of WAL. The WAL grows to about 40 MB at most before it is folded back.
        self.conn.pragma_update(None, "wal_autocheckpoint", 10_000)?;
        self.conn.pragma_update(None, "cache_size", -65_536)?;
        self.conn.set_prepared_statement_cache_capacity(64);
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path: p.to_string(), found: version, known: SCHEMA_VERSION });
        }
        let tables: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0))
            .map_err(corrupt)?;
        if version == 0 && tables > 0 {
            return Err(StoreError::Corrupt {
                path: p.to_string(),
                message: "an SQLite database with tables but no dyad schema version".into(),
            });
        }
        match version {
            0 => {
                let tx = self.conn.transaction()?;
                tx.execute_batch(schema::V2)?;
                tx.execute_batch(schema::V3_TO_V4)?;
                tx.execute_batch(schema::V3_TABLES)?;
                tx.execute_batch(schema::V3_TRIGGERS)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
                tx.commit()?;
            }
            1 => self.migrate_1(p)?,
            2 | 3 => self.migrate_to_4(p, version)?,
            _ => {}
        }
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        if version != 0 {
            // A store whose schema is broken (a table missing) is not one we can use.
            for t in schema::TABLES.iter().map(|t| t.0).chain(schema::DERIVED.iter().copied()) {
                self.conn
                    .query_row(&format!("SELECT 1 FROM {t} LIMIT 1"), [], |_| Ok(()))
                    .optional()
                    .map_err(corrupt)?;
            }
        }
        Ok(())
    }

    /// Schema 1 kept each document's whole coded record: the current schema is rebuilt from
    /// those records by the same write path as new documents (the relations pre-aggregate filled
    /// by its triggers, as in a fresh store), in one transaction (all or nothing). Schema 1 kept
    /// no order of arrival, so documents are replayed in id order.
    fn migrate_1(&mut self, p: &str) -> Result<(), StoreError> {
        let fail = |doc: String, message: String| StoreError::Migrate { path: p.to_string(), from: 1, doc, message };
        let tx = self.conn.transaction()?;
        tx.execute_batch(schema::V1_ASIDE)?;
        tx.execute_batch(schema::V2)?;
        tx.execute_batch(schema::V3_TO_V4)?;
        tx.execute_batch(schema::V3_TABLES)?;
        tx.execute_batch(schema::V3_TRIGGERS)?;
        {
            let mut stmt = tx.prepare("SELECT id, record FROM v1_documents ORDER BY rowid")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let record: String = r.get(1)?;
                let doc: CodedDocument = serde_json::from_str(&record)
                    .map_err(|e| fail(DocId::from_i64(id).to_string(), format!("record unreadable: {e}")))?;
                let prepared = prepare(&doc)?;
                write::write(&tx, &prepared)?;
            }
        }
        let (old, new): (i64, i64) =
            tx.query_row("SELECT (SELECT COUNT(*) FROM v1_documents), (SELECT COUNT(*) FROM documents)", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if old != new {
            return Err(fail("-".into(), format!("{old} documents in schema 1 but {new} after migration")));
        }
        tx.execute_batch(schema::V1_DROP)?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// Schemas 2 and 3 kept events under their hash ids: schema 4 copies them under the row ids
    /// of their first mentions ([`schema::V3_TO_V4`]). Schema 2 had no relations pre-aggregate
    /// (schema 3's): it is created and filled from the stored events. Rebuilding `events` drops
    /// the triggers that keep the pre-aggregate, so they are created again on the new table. All
    /// in one transaction, which checks that every event, mention and foreign key survived before
    /// it commits.
    ///
    /// The re-keying reads columns by name, so it also takes a store already keyed so (an
    /// unreleased schema 3 had the re-keying but not the pre-aggregate; it is filled likewise).
    fn migrate_to_4(&mut self, p: &str, from: i64) -> Result<(), StoreError> {
        let fail = |message: String| StoreError::Migrate { path: p.to_string(), from, doc: "-".into(), message };
        let tx = self.conn.transaction()?;
        let before: i64 = tx.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))?;
        let has_rollup =
            tx.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'relations_weekly'")?.exists([])?;
        tx.execute_batch(schema::V3_TO_V4).map_err(|e| fail(e.to_string()))?;
        let after: i64 = tx.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))?;
        if before != after {
            return Err(fail(format!("{before} events in schema {from} but {after} after migration")));
        }
        let broken: i64 = tx.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        if broken > 0 {
            return Err(fail(format!("{broken} rows point at missing rows after migration")));
        }
        if !has_rollup {
            tx.execute_batch(schema::V3_TABLES)?;
            tx.execute_batch(&format!(
                "INSERT INTO relations_weekly {}; INSERT INTO relations_codes {};",
                schema::V3_RECOUNT_WEEKLY,
                schema::V3_RECOUNT_CODES
            ))?;
        }
        tx.execute_batch(schema::V3_TRIGGERS)?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    pub fn contains(&self, id: DocId) -> Result<bool, StoreError> {
        Ok(self.conn.prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?.exists([id.as_i64()])?)
    }

    /// Stores one coded document in one transaction; a document already stored is skipped.
    pub fn put(&mut self, doc: &CodedDocument) -> Result<Put, StoreError> {
        let p = prepare(doc)?;
        self.put_prepared(&p)
    }

    /// Stores one prepared document in one transaction; a document already stored is skipped.
    pub fn put_prepared(&mut self, p: &Prepared) -> Result<Put, StoreError> {
        let tx = self.conn.transaction()?;
        if !write::write(&tx, p)? {
            return Ok(Put::AlreadyStored);
        }
        tx.commit()?;
        Ok(Put::Stored)
    }

    /// Stores several prepared documents in one transaction (bulk loads); each is written
    /// whole or not at all, like [`Store::put_prepared`], but they commit together.
    pub fn put_batch(&mut self, ps: &[Prepared]) -> Result<Vec<Put>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut out = Vec::with_capacity(ps.len());
        for p in ps {
            out.push(if write::write(&tx, p)? { Put::Stored } else { Put::AlreadyStored });
        }
        tx.commit()?;
        Ok(out)
    }

    pub fn counts(&self) -> Result<Counts, StoreError> {
        let c = |t: &str| -> Result<u64, StoreError> {
            Ok(self.conn.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Counts {
            documents: c("documents")?,
            stories: c("stories")?,
            events: c("events")?,
            mentions: c("mentions")?,
            quotes: c("quotes")?,
            actors: c("actors")?,
            entities: c("entities")?,
        })
    }

    /// A hash of every row of every table, in key order: two stores with the same digest hold
    /// the same documents, events, mentions, quotes, ids and counters. The relations
    /// pre-aggregate is derived from the events and left out (see [`Store::check_relations_rollup`]).
    pub fn digest(&self) -> Result<String, StoreError> {
        let mut h = blake3::Hasher::new();
        for (t, key) in schema::TABLES {
            h.update(t.as_bytes());
            let mut stmt = self.conn.prepare(&format!("SELECT * FROM {t} ORDER BY {key}"))?;
            let n = stmt.column_count();
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                for i in 0..n {
                    use rusqlite::types::ValueRef;
                    match r.get_ref(i)? {
                        ValueRef::Null => h.update(b"N"),
                        ValueRef::Integer(v) => h.update(b"I").update(&v.to_le_bytes()),
                        ValueRef::Real(v) => h.update(b"R").update(&v.to_le_bytes()),
                        ValueRef::Text(v) => h.update(b"T").update(&(v.len() as u64).to_le_bytes()).update(v),
                        ValueRef::Blob(v) => h.update(b"B").update(&(v.len() as u64).to_le_bytes()).update(v),
                    };
                }
            }
        }
        Ok(h.finalize().to_hex().to_string())
    }

    /// Checks the full-text indexes against their tables (FTS5 `integrity-check`).
    pub fn check_fts(&self) -> Result<(), StoreError> {
        for t in ["documents_fts", "quotes_fts"] {
            self.conn.execute(&format!("INSERT INTO {t}({t}, rank) VALUES ('integrity-check', 1)"), [])?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
