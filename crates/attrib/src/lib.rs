//! Who said what, who is named, and in what tone?
//!
//! 1. [`quotes`]: direct quotations between any pair of quote marks, with the cue verb and the
//!    speaker found next to them (`“…,” Trump stated`, `Ishiba warned, “…”`, `…, stating, “…”`), and
//!    indirect ones (`X said that …`); the speaker is the actor the dictionary stage resolved at that
//!    place (so "He" and "The president" carry the code coreference gave them). No cue, no speaker:
//!    the quote is kept with the speaker unknown.
//!    [`attributions`] gives the underlying [`Attribution`]s (content, cue and source spans as
//!    PolNeAR marks them); [`eval`] reads PolNeAR and scores them.
//! 2. [`entities`]: persons, organisations and places, GKG style, with every span.
//! 3. [`tone`], [`tone_of`] and [`sentence_tones`]: GDELT V2Tone from the VADER lexicon (MIT), per
//!    article, sentence, event or quote.

use dyad_model::{
    Actor, AnnotatedDocument, Article, EntityLabel, EntityMention, Quote, QuoteId, QuoteKind, Span, Tone, Upos,
};

mod attribution;
pub mod eval;
mod marks;
mod quotes;
pub use attribution::{attributions, Attribution};
pub use quotes::{quote_of, quotes};

/// Persons, organisations and places of the article with every place they are named.
pub fn entities(article: &Article, doc: &AnnotatedDocument, actors: &[Actor]) -> Vec<EntityMention> {
    let mut out: Vec<EntityMention> = Vec::new();
    let mut add = |label: EntityLabel, name: String, code: Option<String>, span: Span| {
        if let Some(e) = out.iter_mut().find(|e| e.label == label && e.name == name) {
            if !e.spans.contains(&span) {
                e.spans.push(span);
            }
            if e.code.is_none() {
                e.code = code;
            }
        } else {
            out.push(EntityMention { label, name, code, spans: vec![span] });
        }
    };
    for a in actors {
        if a.code.is_empty() && a.name.is_none() {
            continue;
        }
        let (label, name) = match &a.name {
            Some(n) => (EntityLabel::PER, n.clone()),
            None if a.code.starts_with("IGO") || a.code.starts_with("NGO") || a.role.is_some() => {
                (EntityLabel::ORG, a.text.clone())
            }
            None => (EntityLabel::LOC, a.text.clone()),
        };
        if matches!(a.text.to_lowercase().as_str(), "he" | "she") {
            continue;
        }
        add(label, name, Some(a.code.clone()).filter(|c| !c.is_empty()), a.span);
    }
    for e in &doc.entities {
        let code = actors.iter().find(|a| a.span.overlaps(e.span)).map(|a| a.code.clone()).filter(|c| !c.is_empty());
        add(e.label, e.span.text(&article.body).to_string(), code, e.span);
    }
    out
}

fn valence(word: &str) -> f64 {
    vader_sentiment::LEXICON.get(&unicase::UniCase::new(word)).copied().unwrap_or(0.0)
}

const SELF_GROUP: [&str; 14] =
    ["i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your", "they", "them"];

/// V2Tone of a text from words alone (activity density needs the tagger: see [`tone_of`]).
pub fn tone(text: &str) -> Tone {
    let words: Vec<&str> =
        text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')).filter(|w| !w.is_empty()).collect();
    tone_of_words(&words, 0)
}

fn tone_of_words(words: &[&str], verbs: usize) -> Tone {
    let n = words.len();
    if n == 0 {
        return Tone::default();
    }
    let (mut pos, mut neg, mut pron) = (0usize, 0usize, 0usize);
    for w in words {
        let v = valence(w);
        if v > 0.0 {
            pos += 1;
        } else if v < 0.0 {
            neg += 1;
        }
        if SELF_GROUP.contains(&w.to_lowercase().as_str()) {
            pron += 1;
        }
    }
    let pct = |k: usize| (100.0 * k as f64 / n as f64) as f32;
    Tone {
        tone: pct(pos) - pct(neg),
        positive: pct(pos),
        negative: pct(neg),
        polarity: pct(pos) + pct(neg),
        activity_density: pct(verbs),
        self_group_density: pct(pron),
        word_count: n as u32,
    }
}

/// V2Tone of a span of the article, from its tokens (activity = share of verbs).
pub fn tone_of(article: &Article, doc: &AnnotatedDocument, span: Span) -> Tone {
    let mut words = Vec::new();
    let mut verbs = 0;
    // Sentences are in body order: start at the first one that ends after the span starts.
    let first = doc.sentences.partition_point(|s| s.span.end <= span.start);
    for s in doc.sentences[first..].iter().take_while(|s| s.span.start < span.end) {
        for t in s.tokens.iter().filter(|t| span.contains(t.span)) {
            if t.upos == Upos::PUNCT || !t.span.text(&article.body).chars().any(char::is_alphanumeric) {
                continue;
            }
            if t.upos == Upos::VERB {
                verbs += 1;
            }
            words.push(t.span.text(&article.body));
        }
    }
    tone_of_words(&words, verbs)
}

/// V2Tone of every sentence, in order.
pub fn sentence_tones(article: &Article, doc: &AnnotatedDocument) -> Vec<Tone> {
    doc.sentences.iter().map(|s| tone_of(article, doc, s.span)).collect()
}

pub(crate) fn quote_id(article: &Article, content: Span) -> QuoteId {
    QuoteId::derive(article.id, (content.start, content.end))
}

pub(crate) fn new_quote(article: &Article, kind: QuoteKind, content: Span, sentence: usize) -> Quote {
    Quote {
        id: quote_id(article, content),
        kind,
        content,
        text: content.text(&article.body).to_string(),
        cue: None,
        cue_lemma: None,
        speaker: None,
        speaker_text: None,
        speaker_name: None,
        speaker_code: None,
        sentence,
        tone: Some(tone(content.text(&article.body)).tone),
        confidence: 0.5,
    }
}

#[cfg(test)]
mod tests;
