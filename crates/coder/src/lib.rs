//! Event coding: here is a sentence with its parse and its actors — who did what to whom?
//!
//! 1. [`cameo`] holds dyad's CAMEO table (code, Goldstein value, quad class), its CAMEO → PLOVER
//!    mapping and the recoding of complement events ([`cameo::compose`]).
//! 2. [`lexicon`] reads dyad's verb and phrase lexicon (`data/verbs.txt`; the format is documented
//!    there): verbs with particles, prepositions and object nouns, event nouns, complement classes.
//! 3. [`tree`] repairs the parse (cycles, bad heads) so that every walk terminates.
//! 4. [`depcoder`] finds source, target and mode of each verb and event noun on the dependency parse;
//!    [`fallback`] codes on token order when a parse has no structure.
//! 5. [`dates`] resolves time expressions against the document date.
//! 6. [`Coder::code`] turns the frames into [`Event`]s with every field filled, victims of an earlier
//!    abduction ("released some victims") resolved, and repeats of the same (source, target, code)
//!    within the article dropped. [`Coder::explain`] says why each event was or was not coded.

use chrono::NaiveDate;
use dyad_model::{Actor, AnnotatedDocument, Article, Event, EventActor, EventId, Mode, Span};
use std::collections::HashMap;
use std::fmt::Write as _;

pub mod cameo;
pub mod dates;
pub mod depcoder;
pub mod fallback;
pub mod lexicon;
pub mod tree;
pub mod verbdict;

use depcoder::{Frame, Sent};
use lexicon::Lexicon;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Emit events whose target is unknown (PLOVER allows a missing recipient); CAMEO dyads only
    /// when false.
    pub one_sided: bool,
    /// Let named entities that no dictionary codes act as sources and targets, with an empty code
    /// and their text (PETRARCH's `new_actor_length`); off for CAMEO output.
    pub uncoded_actors: bool,
}

#[derive(Debug)]
pub struct Coder {
    lexicon: Lexicon,
    cameo: cameo::Table,
    plover: cameo::PloverTable,
    pub options: Options,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct CoderError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// How many sentences back "the victims" may find the abduction they refer to.
const VICTIM_REACH: usize = 3;

impl Coder {
    /// dyad's own verb and phrase lexicon, embedded in the binary.
    pub fn builtin() -> Result<Coder, CoderError> {
        let cameo = cameo::Table::builtin()?;
        let lexicon = Lexicon::parse("verbs.txt", include_str!("../data/verbs.txt"), &cameo)?;
        Ok(Coder { lexicon, cameo, plover: cameo::PloverTable::builtin()?, options: Options::default() })
    }

    /// A coder with another lexicon (PETRARCH verb files, see [`Coder::with_verbs`]).
    pub fn with_lexicon(lexicon: Lexicon) -> Result<Coder, CoderError> {
        Ok(Coder {
            lexicon,
            cameo: cameo::Table::builtin()?,
            plover: cameo::PloverTable::builtin()?,
            options: Options::default(),
        })
    }

    /// A coder with the verb files `dicts` on top of dyad's own lexicon (`merge`) or alone.
    pub fn with_verbs(dicts: &[verbdict::VerbDict], merge: bool) -> Result<Coder, CoderError> {
        let own = Coder::builtin()?;
        let mut lex = if merge { Some(own.lexicon) } else { None };
        for d in dicts {
            lex = Some(Lexicon::with_verbs(lex.as_ref(), d));
        }
        Coder::with_lexicon(lex.unwrap_or_default())
    }

    pub fn cameo(&self) -> &cameo::Table {
        &self.cameo
    }

    pub fn plover(&self) -> &cameo::PloverTable {
        &self.plover
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
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
        self.run(article, doc, actors, date, None)
    }

    /// Per sentence: the parse, the actors, each candidate verb or noun with the pattern tried, and
    /// why each event was or was not coded.
    pub fn explain(
        &self,
        article: &Article,
        doc: &AnnotatedDocument,
        actors: &[Actor],
        date: Option<NaiveDate>,
    ) -> String {
        let mut out = String::new();
        self.run(article, doc, actors, date, Some(&mut out));
        out
    }

    fn run(
        &self,
        article: &Article,
        doc: &AnnotatedDocument,
        actors: &[Actor],
        date: Option<NaiveDate>,
        mut explain: Option<&mut String>,
    ) -> Vec<Event> {
        let body = &article.body;
        let mut out: Vec<Event> = Vec::new();
        let mut seen: HashMap<(String, String, String), usize> = HashMap::new();
        let mut by_sentence: Vec<Vec<&Actor>> = vec![Vec::new(); doc.sentences.len()];
        let usable =
            |a: &Actor| !a.code.is_empty() || (self.options.uncoded_actors && a.via == dyad_model::ActorVia::Entity);
        // Named people and organisations that no dictionary codes, as uncoded actors.
        let mut extra: Vec<Actor> = Vec::new();
        if self.options.uncoded_actors {
            for en in &doc.entities {
                if !matches!(en.label, dyad_model::EntityLabel::PER | dyad_model::EntityLabel::ORG) {
                    continue;
                }
                let covered = actors
                    .iter()
                    .any(|a| a.sentence == en.sentence && a.tokens.0 < en.tokens.1 && en.tokens.0 < a.tokens.1);
                if covered || en.span.end > body.len() {
                    continue;
                }
                extra.push(Actor {
                    code: String::new(),
                    country: None,
                    role: None,
                    name: None,
                    text: en.span.text(body).to_string(),
                    span: en.span,
                    sentence: en.sentence,
                    tokens: en.tokens,
                    via: dyad_model::ActorVia::Entity,
                    entry: None,
                });
            }
        }
        for a in actors.iter().chain(extra.iter()).filter(|a| usable(a)) {
            if let Some(v) = by_sentence.get_mut(a.sentence) {
                v.push(a);
            }
        }
        // The patients of the latest abduction, arrest or attack: (sentence, actors).
        let mut victims: Option<(usize, Vec<&Actor>)> = None;
        for (si, sent) in doc.sentences.iter().enumerate() {
            let acts = std::mem::take(&mut by_sentence[si]);
            let mut trace_lines: Vec<String> = Vec::new();
            let tracing = explain.is_some();
            if acts.is_empty() && !tracing {
                continue;
            }
            let s = Sent::new(sent, body, acts);
            let frames: Vec<Frame<'_>> = if s.acts.is_empty() {
                Vec::new()
            } else if s.tree.degenerate {
                fallback::frames(&s, &self.lexicon)
            } else {
                depcoder::frames(&s, &self.lexicon, tracing.then_some(&mut trace_lines))
            };
            let forms = s.forms();
            let times = dates::find(&forms, date);
            if let Some(x) = explain.as_deref_mut() {
                write_sentence(x, si, &s, body, &times);
                if s.acts.is_empty() {
                    let _ = writeln!(x, "  no actors: nothing to code");
                }
                if s.tree.degenerate {
                    let _ = writeln!(x, "  parse without structure: coded on token order");
                }
                for l in &trace_lines {
                    let _ = writeln!(x, "{l}");
                }
            }
            for f in &frames {
                let sources: Vec<&Actor> = f.sources.iter().map(|&k| s.acts[k]).collect();
                let mut targets: Vec<&Actor> = f.targets.iter().map(|&k| s.acts[k]).collect();
                let mut rule = f.rule.clone();
                let root = f.code.get(..2).unwrap_or("");
                // "released some victims": the victims of the latest abduction or attack.
                if targets.is_empty() && !f.reciprocal {
                    if let Some(o) = s.tree.children(f.trigger).iter().map(|&k| k as usize).find(|&k| s.rel(k) == "obj")
                    {
                        if depcoder::VICTIM_NOUNS.contains(&s.lower[o].as_str()) {
                            if let Some((vs, va)) = &victims {
                                if si - vs <= VICTIM_REACH {
                                    targets = va
                                        .iter()
                                        .copied()
                                        .filter(|a| !sources.iter().any(|s| s.code == a.code))
                                        .collect();
                                    rule.push_str("+victims-of-earlier-event");
                                }
                            }
                        }
                    }
                }
                if matches!(root, "17" | "18" | "19" | "20") && !targets.is_empty() {
                    victims = Some((si, targets.clone()));
                }
                let mut pairs: Vec<(&Actor, Option<&Actor>)> = Vec::new();
                if f.reciprocal {
                    for a in &sources {
                        for b in &sources {
                            if !std::ptr::eq(*a, *b) {
                                pairs.push((a, Some(b)));
                            }
                        }
                    }
                } else {
                    for a in &sources {
                        for b in &targets {
                            pairs.push((a, Some(b)));
                        }
                        if targets.is_empty() && self.options.one_sided {
                            pairs.push((a, None));
                        }
                    }
                }
                let why_not = if sources.is_empty() {
                    f.notes.first().cloned().unwrap_or_else(|| "no source".into())
                } else if pairs.is_empty() {
                    "no target: no object, prepositional argument or victim is an actor".to_string()
                } else {
                    String::new()
                };
                if let Some(x) = explain.as_deref_mut() {
                    if !why_not.is_empty() {
                        let _ = writeln!(
                            x,
                            "  not coded: {} [{}] `{}`: {why_not}",
                            f.trigger + 1,
                            f.code,
                            s.lower[f.trigger]
                        );
                    }
                }
                let time = pick_time(&s, &times, f.trigger);
                // A compound code (`ELR/GAL`: an actor entry that names several actors) stands
                // for each of its parts.
                let mut events = Vec::new();
                for (a, b) in pairs {
                    if b.is_some_and(|b| b.code == a.code && (!a.code.is_empty() || b.text == a.text)) {
                        continue;
                    }
                    let Some(e) = self.event(article, si, sent, a, b, f, &rule, time, date) else { continue };
                    events.extend(split_compound(e, article.id));
                }
                for e in events {
                    // An uncoded actor is known by its text.
                    let id = |a: &EventActor| if a.code.is_empty() { format!("'{}'", a.text) } else { a.code.clone() };
                    let key = (id(&e.source), e.target.as_ref().map(id).unwrap_or_default(), e.cameo.clone());
                    let line = format!(
                        "  EVENT {} -> {} [{}] {} {:?}{} rule {} ({})",
                        e.source.code,
                        e.target.as_ref().map(|t| t.code.as_str()).unwrap_or("-"),
                        e.cameo,
                        e.plover.as_deref().unwrap_or("-"),
                        e.mode,
                        e.date_text.as_ref().map(|d| format!(" date {d}")).unwrap_or_default(),
                        e.rule,
                        f.pattern.source
                    );
                    match seen.get(&key) {
                        Some(&k) => {
                            // A fact outranks the same event reported as negated, future or possible.
                            if out[k].mode != Mode::Fact && e.mode == Mode::Fact {
                                out[k] = e;
                            }
                            if let Some(x) = explain.as_deref_mut() {
                                let _ = writeln!(x, "{line} — repeat of an earlier event of this article, dropped");
                            }
                        }
                        None => {
                            if let Some(x) = explain.as_deref_mut() {
                                let _ = writeln!(x, "{line}");
                            }
                            seen.insert(key, out.len());
                            out.push(e);
                        }
                    }
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn event(
        &self,
        article: &Article,
        si: usize,
        sent: &dyad_model::Sentence,
        s: &Actor,
        t: Option<&Actor>,
        f: &Frame<'_>,
        rule: &str,
        time: Option<&dates::TimeExpr>,
        doc_date: Option<NaiveDate>,
    ) -> Option<Event> {
        let foreign = cameo::CodeInfo {
            goldstein: 0.0,
            quad_class: dyad_model::QuadClass::VerbalCooperation,
            name: String::new(),
        };
        // A TABARI/WEIS file read leniently codes outside CAMEO: such events keep their code and
        // carry no meaningful Goldstein value or quad class (the rule says so).
        let (info, foreign_note) = match self.cameo.get(&f.code) {
            Some(i) => (i, ""),
            None if self.lexicon.foreign_codes() && !f.code.is_empty() => (&foreign, " (code outside CAMEO)"),
            None => return None,
        };
        let code = f.code.clone();
        let last = f.last.max(f.trigger + 1).min(sent.tokens.len());
        let trigger = Span::new(
            sent.tokens[f.trigger].span.start,
            sent.tokens[last - 1].span.end.max(sent.tokens[f.trigger].span.start),
        );
        let evidence = sent.span.cover(trigger);
        let plover = self.plover.get(&code);
        let tcode = t.map(|t| t.code.as_str()).unwrap_or("");
        Some(Event {
            id: EventId::derive(article.id, si, &s.code, tcode, &code, (evidence.start, evidence.end)),
            source: EventActor::from(s),
            target: t.map(EventActor::from),
            base: code.get(..3).unwrap_or(&code).to_string(),
            root: code.get(..2).unwrap_or(&code).to_string(),
            cameo: code,
            goldstein: info.goldstein,
            quad_class: info.quad_class,
            plover: plover.map(|p| p.event.clone()),
            plover_mode: plover.and_then(|p| p.mode.clone()),
            plover_context: plover.map(|p| p.context.clone()).unwrap_or_default(),
            mode: f.mode,
            date: time.map(|t| t.start).or(doc_date),
            date_text: time.map(|t| t.text.clone()),
            reported: doc_date,
            historical: time.is_some_and(|t| t.historical(doc_date)),
            sentence: si,
            evidence,
            trigger,
            rule: format!("{rule} {} {:?}{foreign_note}", f.pattern.source, f.pattern.phrase),
            confidence: f.confidence
                * if f.mode == Mode::Fact { 1.0 } else { 0.8 }
                * if t.is_none() { 0.8 } else { 1.0 },
            tone: None,
        })
    }
}

/// One event per part of a compound source or target code (`FRO/BIL>ELR` → `FRO>ELR`, `BIL>ELR`).
fn split_compound(e: Event, doc: dyad_model::DocId) -> Vec<Event> {
    let parts =
        |c: &str| -> Vec<String> { c.split('/').map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect() };
    let sources = parts(&e.source.code);
    let targets = e.target.as_ref().map(|t| parts(&t.code)).unwrap_or_default();
    if sources.len() <= 1 && targets.len() <= 1 {
        return vec![e];
    }
    let mut out = Vec::new();
    for s in &sources {
        let mut with_source = e.clone();
        with_source.source.code = s.clone();
        if targets.is_empty() {
            let span = (e.evidence.start, e.evidence.end);
            with_source.id = EventId::derive(doc, e.sentence, s, "", &e.cameo, span);
            out.push(with_source);
            continue;
        }
        for t in &targets {
            if t == s {
                continue;
            }
            let mut x = with_source.clone();
            if let Some(tt) = x.target.as_mut() {
                tt.code = t.clone();
            }
            let span = (x.evidence.start, x.evidence.end);
            x.id = EventId::derive(doc, x.sentence, s, t, &x.cameo, span);
            out.push(x);
        }
    }
    out
}

/// The time expression of an event: one attached to the trigger in the parse, else the nearest.
fn pick_time<'t>(s: &Sent<'_>, times: &'t [dates::TimeExpr], trigger: usize) -> Option<&'t dates::TimeExpr> {
    let attached = |t: &dates::TimeExpr| {
        (t.first..t.last).any(|k| {
            let mut cur = Some(k);
            for _ in 0..6 {
                match cur {
                    Some(c) if c == trigger => return true,
                    Some(c) => cur = s.tree.parent(c),
                    None => return false,
                }
            }
            false
        })
    };
    times.iter().find(|t| attached(t)).or_else(|| {
        times.iter().min_by_key(|t| if t.first > trigger { t.first - trigger } else { trigger - t.last.min(trigger) })
    })
}

fn write_sentence(x: &mut String, si: usize, s: &Sent<'_>, body: &str, times: &[dates::TimeExpr]) {
    let _ = writeln!(x, "sentence {si}: {}", s.sent.span.text(body).replace('\n', " "));
    let _ = writeln!(x, "  parse:");
    for (i, t) in s.sent.tokens.iter().enumerate() {
        let _ = writeln!(
            x,
            "    {:>3} {:<16} {:<5} {:<4} {:>3} {}",
            i + 1,
            t.span.text(body),
            t.upos.as_str(),
            t.xpos,
            t.head,
            t.deprel
        );
    }
    for r in &s.tree.repairs {
        let _ = writeln!(x, "  parse repaired: {r}");
    }
    for a in &s.acts {
        let _ = writeln!(x, "  actor {}..{} {:?} = {} ({:?})", a.tokens.0 + 1, a.tokens.1, a.text, a.code, a.via);
    }
    for t in times {
        let _ = writeln!(x, "  time {:?} = {} .. {}", t.text, t.start, t.end);
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_verbdict;
