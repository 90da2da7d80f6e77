//! Event coding: here is a sentence with its actors — who did what to whom?
//!
//! 1. [`cameo`] holds dyad's own CAMEO table (code, Goldstein value, quad class) and the PLOVER type of
//!    each root.
//! 2. [`lexicon`] reads dyad's verb and phrase lexicon (`data/verbs.txt`) and matches every
//!    inflection of its verbs in a sentence.
//! 3. [`Coder::code`] pairs each matched verb with the nearest actor before it (source) and the first
//!    actor after it (target), keeps negation and modality as the event's mode, expands
//!    "A and B met" into both directions, dates the event from time expressions in the sentence, and
//!    drops repeats of the same (source, target, code) within the article.
//!
//! This first coder reads token order, not the dependency parse; every event names the phrase and
//! the rule that produced it, so a user can see why it exists.

use chrono::{Datelike, NaiveDate};
use dyad_model::{Actor, AnnotatedDocument, Article, Event, EventActor, EventId, Mode, QuadClass, Span};
use std::collections::HashSet;

pub mod cameo;
pub mod lexicon;

use lexicon::Lexicon;

#[derive(Debug)]
pub struct Coder {
    lexicon: Lexicon,
    cameo: cameo::Table,
}

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct CoderError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// How far before a verb a negation or modal may stand, in tokens.
const MODE_WINDOW: usize = 3;

impl Coder {
    /// dyad's own verb and phrase lexicon, embedded in the binary.
    pub fn builtin() -> Result<Coder, CoderError> {
        let cameo = cameo::Table::builtin()?;
        let lexicon = Lexicon::parse("verbs.txt", include_str!("../data/verbs.txt"), &cameo)?;
        Ok(Coder { lexicon, cameo })
    }

    pub fn cameo(&self) -> &cameo::Table {
        &self.cameo
    }

    pub fn fingerprint(&self) -> String {
        self.lexicon.fingerprint()
    }

    /// The events reported by the article.
    pub fn code(
        &self,
        article: &Article,
        doc: &AnnotatedDocument,
        actors: &[Actor],
        date: Option<NaiveDate>,
    ) -> Vec<Event> {
        let body = &article.body;
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        // Coded actors grouped by sentence once, so each sentence sees only its own.
        let mut by_sentence: Vec<Vec<&Actor>> = vec![Vec::new(); doc.sentences.len()];
        for a in actors.iter().filter(|a| !a.code.is_empty()) {
            if let Some(v) = by_sentence.get_mut(a.sentence) {
                v.push(a);
            }
        }
        for (si, sent) in doc.sentences.iter().enumerate() {
            let acts = &by_sentence[si];
            if acts.len() < 2 {
                continue;
            }
            let forms: Vec<String> = sent.tokens.iter().map(|t| t.span.text(body).to_lowercase()).collect();
            let (event_date, date_text, historical) = event_date(&forms, date);
            // (source, target) of the last verb coded in this sentence, for "X thanked Y and urged Z".
            let mut last_pair: Option<(usize, usize)> = None;
            for m in self.lexicon.matches(&forms) {
                // Where the tagger says the word is no verb ("emergency aid", "the host"), it is none.
                use dyad_model::Upos::*;
                if matches!(sent.tokens[m.first].upos, NOUN | PROPN | ADJ | ADP | DET | PRON | NUM) {
                    continue;
                }
                // Not inside an actor's own words ("the Security Council").
                if acts.iter().any(|a| a.tokens.0 <= m.first && m.first < a.tokens.1) {
                    continue;
                }
                let before: Vec<&&Actor> = acts.iter().filter(|a| a.tokens.1 <= m.first).collect();
                // The target stands in the verb's own clause: not past a comma that opens a
                // reporting clause ("…, Ukrainian officials said").
                let clause_end = (m.last..forms.len())
                    .find(|&k| forms[k] == "," && forms[k + 1..].iter().take(6).any(|w| is_reporting(w)))
                    .unwrap_or(forms.len());
                let after = acts.iter().find(|a| a.tokens.0 >= m.last && a.tokens.1 <= clause_end);
                let Some(mut source) = before.last().copied() else { continue };
                // A verb conjoined to an earlier one shares its subject.
                if let Some((ls, lt)) = last_pair {
                    if m.first > 0 && forms[m.first - 1] == "and" && source.tokens.0 == acts[lt].tokens.0 {
                        source = &acts[ls];
                    }
                }
                let mode = mode_of(&forms, m.first);
                let mut pairs: Vec<(&Actor, &Actor, &str)> = Vec::new();
                // "A and B met", "A and the B will work together": a reciprocal event between
                // conjoined actors, for consultation and cooperation.
                let conjoined = (before.len() >= 2)
                    .then(|| before[before.len() - 2])
                    .filter(|a| matches!(forms.get(a.tokens.1..source.tokens.0), Some([x] | [x, _]) if x == "and"))
                    .filter(|_| m.code.starts_with("04") || m.code.starts_with("05"));
                let together = m.phrase.ends_with("together");
                match (conjoined, after) {
                    (Some(a), t) if together || t.is_none() => {
                        pairs.push((a, source, "verb:conjoined-reciprocal"));
                        pairs.push((source, a, "verb:conjoined-reciprocal"));
                    }
                    (_, Some(t)) if !together => pairs.push((source, t, "verb:source-before-target-after")),
                    _ => {}
                }
                if let (Some(t), false) = (after, together) {
                    let si_ = acts.iter().position(|a| std::ptr::eq(*a, *source));
                    let ti_ = acts.iter().position(|a| std::ptr::eq(*a, *t));
                    if let (Some(a), Some(b)) = (si_, ti_) {
                        last_pair = Some((a, b));
                    }
                }
                for (s, t, rule) in pairs {
                    if s.code == t.code {
                        continue;
                    }
                    if !seen.insert((s.code.clone(), t.code.clone(), m.code.clone(), mode)) {
                        continue;
                    }
                    let Some(info) = self.cameo.get(&m.code) else { continue };
                    let trigger = Span::new(sent.tokens[m.first].span.start, sent.tokens[m.last - 1].span.end);
                    let root = m.code[..2].to_string();
                    let id =
                        EventId::derive(article.id, si, &s.code, &t.code, &m.code, (sent.span.start, sent.span.end));
                    out.push(Event {
                        id,
                        source: EventActor::from(s),
                        target: Some(EventActor::from(t)),
                        base: m.code[..m.code.len().min(3)].to_string(),
                        root: root.clone(),
                        cameo: m.code.clone(),
                        goldstein: info.goldstein,
                        quad_class: info.quad_class,
                        plover: cameo::plover_of_root(&root).map(str::to_string),
                        plover_context: Vec::new(),
                        mode,
                        date: event_date,
                        date_text: date_text.clone(),
                        historical,
                        sentence: si,
                        evidence: sent.span,
                        trigger,
                        rule: format!("{rule} lexicon {} {:?}", m.source, m.phrase),
                        confidence: if mode == Mode::Fact { 0.6 } else { 0.4 },
                        tone: None,
                    });
                }
            }
        }
        out
    }
}

fn is_reporting(w: &str) -> bool {
    matches!(w, "said" | "say" | "says" | "told" | "reported" | "stated" | "added" | "according")
}

/// Negation and modality in the few tokens before the verb.
fn mode_of(forms: &[String], verb: usize) -> Mode {
    let from = verb.saturating_sub(MODE_WINDOW);
    let window = &forms[from..verb];
    if window.iter().any(|w| matches!(w.as_str(), "not" | "n't" | "never" | "no"))
        || window.last().is_some_and(|w| w.ends_with("n't"))
    {
        Mode::Negated
    } else if window.iter().any(|w| matches!(w.as_str(), "will" | "would" | "shall" | "'ll")) {
        Mode::Future
    } else if window.iter().any(|w| matches!(w.as_str(), "may" | "might" | "could" | "should" | "must")) {
        Mode::Hypothetical
    } else {
        Mode::Fact
    }
}

/// A year named in the sentence ("in 2018", "in the 1970s") dates the event; else the document date.
fn event_date(forms: &[String], doc_date: Option<NaiveDate>) -> (Option<NaiveDate>, Option<String>, bool) {
    for (i, w) in forms.iter().enumerate() {
        let prev = if i > 0 { forms[i - 1].as_str() } else { "" };
        let prev2 = if i > 1 { forms[i - 2].as_str() } else { "" };
        let year = w.strip_suffix('s').unwrap_or(w);
        if !(year.len() == 4 && year.chars().all(|c| c.is_ascii_digit())) {
            continue;
        }
        let Ok(y) = year.parse::<i32>() else { continue };
        if !(1900..=2100).contains(&y) || !(prev == "in" || prev == "since" || prev2 == "in") {
            continue;
        }
        let text = if prev == "in" { format!("in {w}") } else { format!("{prev2} {prev} {w}") };
        let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) else { continue };
        let historical = doc_date.is_some_and(|dd| dd.year() > y);
        return (Some(d), Some(text), historical);
    }
    (doc_date, None, false)
}

/// The quad class of a CAMEO root.
pub fn quad_class(root: u8) -> Option<QuadClass> {
    QuadClass::of_root(root)
}

#[cfg(test)]
mod tests;
