//! Event coding: here is a parsed, actor-resolved sentence — who did what to whom?
//!
//! FIRST IMPLEMENTATION (foundation): no verb lexicon yet; the event-coding issue fills it.

use chrono::NaiveDate;
use dyad_model::{Actor, AnnotatedDocument, Article, Event};

#[derive(Debug, Default)]
pub struct Coder {}

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct CoderError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl Coder {
    /// dyad's own verb and phrase lexicon, embedded in the binary.
    pub fn builtin() -> Result<Coder, CoderError> {
        Ok(Coder {})
    }

    /// The events reported by the article.
    pub fn code(
        &self,
        _article: &Article,
        _doc: &AnnotatedDocument,
        _actors: &[Actor],
        _date: Option<NaiveDate>,
    ) -> Vec<Event> {
        Vec::new()
    }

    pub fn fingerprint(&self) -> String {
        "none".into()
    }
}
