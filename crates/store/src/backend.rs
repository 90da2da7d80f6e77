//! One interface over the two backends: the embedded SQLite [`Store`] and, with the cargo
//! feature `postgres`, [`crate::pg::PgStore`]. Workers write through [`DocumentStore`]; the
//! queries and exports read an SQLite [`Store`] ([`open_for_reading`] snapshots a PostgreSQL
//! store into one).

use crate::{Counts, Prepared, Put, Store, StoreError};
use dyad_model::{CodedDocument, DocId};
use std::path::PathBuf;

/// Where a store lives: `sqlite:PATH` (or a plain path) or `postgres://user@host:port/db`
/// (also `postgresql://`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DbUrl {
    pub fn parse(s: &str) -> Result<DbUrl, String> {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(DbUrl::Postgres(s.to_string()));
        }
        let path = s.strip_prefix("sqlite://").or_else(|| s.strip_prefix("sqlite:")).unwrap_or(s);
        if path.is_empty() {
            return Err(format!("expected sqlite:PATH, a path or postgres://…, got {s:?}"));
        }
        if let Some((scheme, _)) = path.split_once("://") {
            return Err(format!("unknown store kind {scheme:?}: expected sqlite:PATH or postgres://…"));
        }
        Ok(DbUrl::Sqlite(PathBuf::from(path)))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, DbUrl::Postgres(_))
    }
}

impl std::fmt::Display for DbUrl {
    /// The store for messages and logs: a PostgreSQL password is never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbUrl::Sqlite(p) => write!(f, "sqlite:{}", p.display()),
            DbUrl::Postgres(u) => f.write_str(&redact(u)),
        }
    }
}

/// A URL for messages: the password, if any, replaced by `***`.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    match rest.rsplit_once('@') {
        Some((auth, host)) => match auth.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// A rolled-up event as two stores of the same documents must agree on it whatever order
/// the documents arrived in (row ids and first documents depend on that order; these do not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTally {
    pub id: i64,
    pub num_mentions: i64,
    pub num_sources: i64,
    pub num_articles: i64,
    pub tone_n: i64,
    pub day: Option<String>,
}

/// The order-independent content of a store, sorted: document ids, events with their
/// counters, mentions as (document, position, mention id, event id), quote ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub documents: Vec<i64>,
    pub events: Vec<EventTally>,
    pub mentions: Vec<(i64, i64, i64, i64)>,
    pub quotes: Vec<i64>,
}

/// What a worker needs of a store, on either backend.
pub trait DocumentStore: Send {
    fn contains(&mut self, id: DocId) -> Result<bool, StoreError>;
    /// Stores one document in one transaction; a document already stored is skipped.
    fn put_prepared(&mut self, p: &Prepared) -> Result<Put, StoreError>;
    /// Stores several documents, each whole or not at all; a backend may commit them together.
    fn put_batch(&mut self, ps: &[&Prepared]) -> Result<Vec<Put>, StoreError> {
        ps.iter().map(|p| self.put_prepared(p)).collect()
    }
    fn counts(&mut self) -> Result<Counts, StoreError>;
    fn tally(&mut self) -> Result<Tally, StoreError>;
    fn document_ids(&mut self) -> Result<Vec<DocId>, StoreError>;
    fn document(&mut self, id: DocId) -> Result<Option<CodedDocument>, StoreError>;
}

impl DocumentStore for Store {
    fn contains(&mut self, id: DocId) -> Result<bool, StoreError> {
        Store::contains(self, id)
    }
    fn put_prepared(&mut self, p: &Prepared) -> Result<Put, StoreError> {
        Store::put_prepared(self, p)
    }
    fn counts(&mut self) -> Result<Counts, StoreError> {
        Store::counts(self)
    }
    fn tally(&mut self) -> Result<Tally, StoreError> {
        let mut t = Tally::default();
        let c = &self.conn;
        let mut stmt = c.prepare("SELECT id FROM documents ORDER BY id")?;
        for r in stmt.query_map([], |r| r.get(0))? {
            t.documents.push(r?);
        }
        let mut stmt =
            c.prepare("SELECT id, num_mentions, num_sources, num_articles, tone_n, day FROM events ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(EventTally {
                id: r.get(0)?,
                num_mentions: r.get(1)?,
                num_sources: r.get(2)?,
                num_articles: r.get(3)?,
                tone_n: r.get(4)?,
                day: r.get(5)?,
            })
        })?;
        for r in rows {
            t.events.push(r?);
        }
        let mut stmt = c.prepare("SELECT doc, ord, id, event FROM mentions ORDER BY doc, ord")?;
        for r in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))? {
            t.mentions.push(r?);
        }
        let mut stmt = c.prepare("SELECT id FROM quotes ORDER BY id")?;
        for r in stmt.query_map([], |r| r.get(0))? {
            t.quotes.push(r?);
        }
        Ok(t)
    }
    fn document_ids(&mut self) -> Result<Vec<DocId>, StoreError> {
        Store::document_ids(self)
    }
    fn document(&mut self, id: DocId) -> Result<Option<CodedDocument>, StoreError> {
        Store::document(self, id)
    }
}

#[cfg(feature = "postgres")]
impl DocumentStore for crate::pg::PgStore {
    fn contains(&mut self, id: DocId) -> Result<bool, StoreError> {
        crate::pg::PgStore::contains(self, id)
    }
    fn put_prepared(&mut self, p: &Prepared) -> Result<Put, StoreError> {
        crate::pg::PgStore::put_prepared(self, p)
    }
    fn put_batch(&mut self, ps: &[&Prepared]) -> Result<Vec<Put>, StoreError> {
        crate::pg::PgStore::put_batch(self, ps)
    }
    fn counts(&mut self) -> Result<Counts, StoreError> {
        crate::pg::PgStore::counts(self)
    }
    fn tally(&mut self) -> Result<Tally, StoreError> {
        crate::pg::PgStore::tally(self)
    }
    fn document_ids(&mut self) -> Result<Vec<DocId>, StoreError> {
        crate::pg::PgStore::document_ids(self)
    }
    fn document(&mut self, id: DocId) -> Result<Option<CodedDocument>, StoreError> {
        crate::pg::PgStore::document(self, id)
    }
}

/// Opens the store at `url` for writing (creating and migrating it when needed).
pub fn open_backend(url: &DbUrl) -> Result<Box<dyn DocumentStore>, StoreError> {
    match url {
        DbUrl::Sqlite(p) => Ok(Box::new(Store::open(p)?)),
        #[cfg(feature = "postgres")]
        DbUrl::Postgres(u) => Ok(Box::new(crate::pg::PgStore::connect(u)?)),
        #[cfg(not(feature = "postgres"))]
        DbUrl::Postgres(_) => Err(StoreError::Postgres {
            message: "this dyad was built without PostgreSQL support (cargo feature `postgres`)".into(),
            transient: false,
        }),
    }
}

/// An SQLite store that answers the queries and exports for `url`: the file itself, or for
/// PostgreSQL an in-memory snapshot of it (every document replayed in stored order, which
/// gives the same events and counters). The snapshot costs a read of the whole store: fine
/// for exports and occasional queries, not for a busy server.
pub fn open_for_reading(url: &DbUrl) -> Result<Store, StoreError> {
    match url {
        DbUrl::Sqlite(p) => Store::open(p),
        #[cfg(feature = "postgres")]
        DbUrl::Postgres(u) => {
            let mut pg = crate::pg::PgStore::connect(u)?;
            let mut st = Store::open_in_memory()?;
            pg.snapshot(&mut st)?;
            Ok(st)
        }
        #[cfg(not(feature = "postgres"))]
        DbUrl::Postgres(_) => Err(StoreError::Postgres {
            message: "this dyad was built without PostgreSQL support (cargo feature `postgres`)".into(),
            transient: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_urls_parse() {
        assert_eq!(DbUrl::parse("sqlite:a.db"), Ok(DbUrl::Sqlite("a.db".into())));
        assert_eq!(DbUrl::parse("sqlite:///tmp/a.db"), Ok(DbUrl::Sqlite("/tmp/a.db".into())));
        assert_eq!(DbUrl::parse("dir/a.db"), Ok(DbUrl::Sqlite("dir/a.db".into())));
        let pg = DbUrl::parse("postgres://dyad:secret@127.0.0.1:5432/dyad").unwrap();
        assert!(pg.is_postgres());
        assert_eq!(pg.to_string(), "postgres://dyad:***@127.0.0.1:5432/dyad");
        assert!(DbUrl::parse("mysql://x").is_err());
        assert!(DbUrl::parse("sqlite:").is_err());
    }
}
