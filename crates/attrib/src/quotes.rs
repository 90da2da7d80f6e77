//! Quotations and their speakers, from the attributions.

use crate::attribution::{attributions, Attribution};
use crate::new_quote;
use dyad_model::{Actor, AnnotatedDocument, Article, Quote};

/// The quotation of one attribution, with the speaker's resolved actor.
pub fn quote_of(article: &Article, actors: &[Actor], a: &Attribution) -> Quote {
    let mut q = new_quote(article, a.kind, a.text, a.sentence);
    q.cue = a.cue;
    q.cue_lemma = a.cue_lemma.clone();
    q.speaker = a.source;
    q.speaker_text = a.source.map(|s| s.text(&article.body).to_string());
    if let Some(actor) = a.actor.and_then(|i| actors.get(i)) {
        q.speaker_text = Some(actor.text.clone());
        q.speaker_name = actor.name.clone().or_else(|| Some(actor.text.clone()));
        q.speaker_code = Some(actor.code.clone()).filter(|c| !c.is_empty());
        q.confidence = 0.8;
    }
    if !a.closed {
        q.confidence = 0.3;
    }
    q
}

/// Every quotation of the article, direct, indirect and mixed, with its cue and speaker where
/// found, in body order. Attributions of stance or evaluation alone ("criticized the plan") are
/// scored against PolNeAR but are no quotations (see [`Attribution::is_quotation`]).
pub fn quotes(article: &Article, doc: &AnnotatedDocument, actors: &[Actor]) -> Vec<Quote> {
    attributions(article, doc, actors)
        .iter()
        .filter(|a| a.is_quotation() && !a.text.is_empty())
        .map(|a| quote_of(article, actors, a))
        .collect()
}
