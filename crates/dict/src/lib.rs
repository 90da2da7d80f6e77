//! Actor dictionaries and dated actor resolution.
//!
//! FIRST IMPLEMENTATION (foundation): an empty dictionary; the actors issue fills it.

use chrono::NaiveDate;
use dyad_model::{Actor, AnnotatedDocument, Article};

/// Compiled, immutable actor lookups; build once and share.
#[derive(Debug, Default)]
pub struct ActorDict {}

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct DictError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl ActorDict {
    /// dyad's own dictionaries, embedded in the binary.
    pub fn builtin() -> Result<ActorDict, DictError> {
        Ok(ActorDict {})
    }

    /// The actor mentions of the article, with the codes they have on `date`.
    pub fn resolve(&self, _article: &Article, _doc: &AnnotatedDocument, _date: Option<NaiveDate>) -> Vec<Actor> {
        Vec::new()
    }

    /// A short hash of the loaded dictionaries, stored with every record.
    pub fn fingerprint(&self) -> String {
        "none".into()
    }
}
