//! Quotations with their speakers, GKG-style entities, and tone.
//!
//! FIRST IMPLEMENTATION (foundation): nothing found yet; the quotes issue fills it.

use dyad_model::{Actor, AnnotatedDocument, Article, EntityMention, Quote, Tone};

pub fn quotes(_article: &Article, _doc: &AnnotatedDocument, _actors: &[Actor]) -> Vec<Quote> {
    Vec::new()
}

pub fn entities(_article: &Article, _doc: &AnnotatedDocument, _actors: &[Actor]) -> Vec<EntityMention> {
    Vec::new()
}

pub fn tone(text: &str) -> Tone {
    Tone { word_count: text.split_whitespace().count() as u32, ..Tone::default() }
}
