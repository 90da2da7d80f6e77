//! Actor dictionaries and dated actor resolution: who is this, on this day?
//!
//! 1. [`ActorDict::builtin`] compiles dyad's own dictionaries (`data/*.txt`, embedded) into one
//!    immutable lookup: countries (names, adjectives, capitals), leaders with term dates,
//!    organisations, and agents (role nouns that give a sector).
//! 2. [`ActorDict::resolve`] walks each sentence's tokens, takes the longest dictionary match at
//!    each position (matching is on the token texts joined without spaces, so it does not depend on
//!    how the tokenizer splits "U.S."), combines country words with agents and titles
//!    ("Japanese Prime Minister Shigeru Ishiba" → `JPNGOV`, "Japanese citizens" → `JPNCVL`), checks
//!    each person's terms against the document date, and resolves later mentions ("Trump",
//!    "the president", "he") to earlier people of the document.
//!
//! With no document date, the terms in force today are used.

use chrono::NaiveDate;
use dyad_model::{Actor, ActorVia, AnnotatedDocument, Article, Span};
use std::collections::HashMap;

mod load;
pub mod petrarch;
pub use load::{parse_file, parse_file_lenient, DictError, Entry, EntryKind, Term};
pub use petrarch::{Dated, Discard, FileKind, FileReport, IssuePhrase};
use std::path::{Path, PathBuf};

/// Longest phrase, in tokens, that a dictionary key may span.
const MAX_TOKENS: usize = 8;

/// Compiled, immutable actor lookups; build once and share.
#[derive(Debug, Default)]
pub struct ActorDict {
    entries: Vec<Entry>,
    /// Key (lower-case, spaces removed) → indices into `entries`.
    index: HashMap<String, Vec<usize>>,
    discards: Vec<Discard>,
    issues: Vec<IssuePhrase>,
    fingerprint: String,
}

/// How dictionaries given by the user combine with dyad's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// dyad's own dictionaries plus the given files (all keys kept; dyad's entries come first).
    #[default]
    Merge,
    /// Only the given files.
    Replace,
}

/// The files under `path`: the path itself, or the `.txt` files of a folder (sorted, not recursive).
pub fn dictionary_files(path: &Path) -> Result<Vec<PathBuf>, DictError> {
    let io = |e: std::io::Error| DictError { file: path.display().to_string(), line: 0, message: e.to_string() };
    if path.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt") && p.is_file())
            .collect();
        v.sort();
        Ok(v)
    } else if path.exists() {
        Ok(vec![path.to_path_buf()])
    } else {
        Err(DictError { file: path.display().to_string(), line: 0, message: "no such file or folder".into() })
    }
}

/// Reads every dictionary file under `paths` (files or folders). Unreadable files are errors;
/// malformed lines are reported in each [`FileReport`] and skipped.
pub fn read_files(paths: &[PathBuf]) -> Result<Vec<FileReport>, DictError> {
    let mut out = Vec::new();
    for p in paths {
        for f in dictionary_files(p)? {
            let name = f.display().to_string();
            let bytes =
                std::fs::read(&f).map_err(|e| DictError { file: name.clone(), line: 0, message: e.to_string() })?;
            // The Phoenix files hold a few Latin-1 / mis-encoded bytes: read them lossily.
            let text = String::from_utf8_lossy(&bytes);
            out.push(petrarch::read_file(&name, &text, None));
        }
    }
    Ok(out)
}

/// A dictionary match before combination.
#[derive(Debug, Clone)]
struct Hit {
    first: usize,
    last: usize, // exclusive
    entry: usize,
}

impl ActorDict {
    /// dyad's own dictionaries, embedded in the binary.
    pub fn builtin() -> Result<ActorDict, DictError> {
        let mut entries = Vec::new();
        for (name, text) in load::BUILTIN {
            entries.extend(load::parse_file(name, text)?);
        }
        Ok(ActorDict::from_entries(entries))
    }

    /// dyad's own dictionaries merged with, or replaced by, the files under `paths`. Returns the
    /// report of every file read (counts and malformed lines, which were skipped).
    pub fn load(paths: &[PathBuf], mode: Mode) -> Result<(ActorDict, Vec<FileReport>), DictError> {
        let reports = read_files(paths)?;
        let dict = ActorDict::from_reports(&reports, mode)?;
        Ok((dict, reports))
    }

    /// Builds a dictionary from file reports (see [`read_files`]), with or without dyad's own.
    pub fn from_reports(reports: &[FileReport], mode: Mode) -> Result<ActorDict, DictError> {
        let mut entries = Vec::new();
        if mode == Mode::Merge {
            for (name, text) in load::BUILTIN {
                entries.extend(load::parse_file(name, text)?);
            }
        }
        let mut discards = Vec::new();
        let mut issues = Vec::new();
        for r in reports {
            entries.extend(r.entries.iter().cloned());
            discards.extend(r.discards.iter().cloned());
            issues.extend(r.issues.iter().cloned());
        }
        let mut d = ActorDict::from_entries(entries);
        d.discards = discards;
        d.issues = issues;
        Ok(d)
    }

    /// Discard phrases loaded from PETRARCH discards files.
    pub fn discards(&self) -> &[Discard] {
        &self.discards
    }

    /// The first discard phrase found in `text`, if any (`story` says what it discards).
    pub fn discard(&self, text: &str) -> Option<&Discard> {
        self.discards.iter().find(|d| d.matches(text))
    }

    /// Issue phrases loaded from PETRARCH issue files.
    pub fn issues(&self) -> &[IssuePhrase] {
        &self.issues
    }

    pub fn from_entries(entries: Vec<Entry>) -> ActorDict {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        let mut h = blake3::Hasher::new();
        for (i, e) in entries.iter().enumerate() {
            h.update(e.source.as_bytes());
            for k in &e.keys {
                index.entry(key(k)).or_default().push(i);
            }
        }
        let fingerprint = h.finalize().to_hex()[..12].to_string();
        ActorDict { entries, index, fingerprint, discards: Vec::new(), issues: Vec::new() }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// A short hash of the loaded dictionaries, stored with every record.
    pub fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }

    /// The actor mentions of the article, with the codes they have on `date`.
    pub fn resolve(&self, article: &Article, doc: &AnnotatedDocument, date: Option<NaiveDate>) -> Vec<Actor> {
        let date = date.unwrap_or_else(|| chrono::Utc::now().date_naive());
        let body = &article.body;
        let mut out: Vec<Actor> = Vec::new();
        // People seen so far in the document: (canonical name, code, title, country).
        let mut people: Vec<Actor> = Vec::new();
        for (si, sent) in doc.sentences.iter().enumerate() {
            let forms: Vec<&str> = sent.tokens.iter().map(|t| t.span.text(body)).collect();
            let hits = self.hits(&forms);
            let mut i = 0;
            let mut hi = 0;
            while i < forms.len() {
                while hi < hits.len() && hits[hi].first < i {
                    hi += 1;
                }
                if hi < hits.len() && hits[hi].first == i {
                    // Greedy: a run of adjacent hits (country word, agent/title, person) makes one actor.
                    let mut run = vec![hits[hi].clone()];
                    let mut j = hi + 1;
                    while j < hits.len() && hits[j].first == run.last().map(|h| h.last).unwrap_or(0) {
                        let prev = &self.entries[run.last().map(|h| h.entry).unwrap_or(0)];
                        let next = &self.entries[hits[j].entry];
                        if !combines(prev, next) {
                            break;
                        }
                        run.push(hits[j].clone());
                        j += 1;
                    }
                    hi = j;
                    let first = run[0].first;
                    let last = run.last().map(|h| h.last).unwrap_or(first + 1);
                    let prev = if first > 0 { forms[first - 1].to_ascii_lowercase() } else { String::new() };
                    if let Some(a) = self.actor_of(&run, &forms, &prev, date, &people) {
                        let span = Span::new(sent.tokens[first].span.start, sent.tokens[last - 1].span.end);
                        let mut a = a;
                        a.text = span.text(body).to_string();
                        a.span = span;
                        a.sentence = si;
                        a.tokens = (first, last);
                        if a.name.is_some() {
                            people.push(a.clone());
                        }
                        out.push(a);
                    }
                    i = last;
                    continue;
                }
                // Pronouns and bare titles refer back to the last person of the document.
                if let Some(a) = self.coreference(&forms, i, &people, date) {
                    let tok = &sent.tokens[i];
                    let end = if forms[i].eq_ignore_ascii_case("the") { i + 2 } else { i + 1 };
                    let span = Span::new(tok.span.start, sent.tokens[end - 1].span.end);
                    out.push(Actor { text: span.text(body).to_string(), span, sentence: si, tokens: (i, end), ..a });
                    i = end;
                    continue;
                }
                i += 1;
            }
        }
        out
    }

    /// Every dictionary match in a sentence, longest first at each position, non-overlapping.
    fn hits(&self, forms: &[&str]) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut i = 0;
        while i < forms.len() {
            let mut best: Option<Hit> = None;
            let mut k = String::new();
            for j in i..forms.len().min(i + MAX_TOKENS) {
                k.push_str(&forms[j].to_lowercase());
                if let Some(ids) = self.index.get(&k) {
                    // Names must be written with a capital; agents may be lower-case.
                    let cased = forms[i].chars().next().is_some_and(|c| c.is_uppercase());
                    if let Some(&e) = ids.iter().find(|&&e| cased || self.entries[e].kind == EntryKind::Agent) {
                        best = Some(Hit { first: i, last: j + 1, entry: e });
                    }
                }
            }
            match best {
                Some(h) => {
                    i = h.last;
                    hits.push(h);
                }
                None => i += 1,
            }
        }
        hits
    }

    /// The actor a run of adjacent hits stands for.
    fn actor_of(&self, run: &[Hit], forms: &[&str], prev: &str, date: NaiveDate, people: &[Actor]) -> Option<Actor> {
        let mut country: Option<String> = None;
        let mut sector: Option<String> = None;
        let mut code: Option<String> = None;
        let mut name: Option<String> = None;
        let mut via = ActorVia::Dictionary;
        let mut entry = None;
        let mut prefix: Option<String> = None;
        for h in run {
            let e = &self.entries[h.entry];
            entry = Some(e.source.clone());
            match &e.kind {
                EntryKind::Country => country = Some(e.code.clone()),
                EntryKind::Capital => {
                    country = Some(e.code.clone());
                    // A capital stands for its government unless it is a place ("in Tokyo").
                    if !matches!(prev, "in" | "to" | "from" | "at" | "near" | "into" | "outside" | "via") {
                        sector.get_or_insert("GOV".to_string());
                    }
                }
                EntryKind::Agent => {
                    if e.prepend {
                        prefix = Some(e.code.clone());
                    } else {
                        sector = Some(e.code.clone());
                    }
                }
                EntryKind::Actor => {
                    let (c, src) = e.code_on(date)?;
                    entry = Some(src.to_string());
                    if c.len() == 3 {
                        country = Some(c.to_string());
                    } else {
                        code = Some(c.to_string());
                    }
                }
                EntryKind::Organization => code = Some(e.code.clone()),
                EntryKind::Person => {
                    let text: String = forms[h.first..h.last].concat();
                    let short = e.names.first().is_none_or(|n| key(n) != key(&text));
                    let (p, how) = self.person(h.entry, short, date, people)?;
                    name = Some(p.0);
                    code = Some(p.1);
                    entry = Some(p.2);
                    if how == ActorVia::Coreference {
                        via = how;
                    }
                }
            }
        }
        let code = match (code, &country, &sector) {
            (Some(c), _, _) => c,
            (None, Some(c), Some(s)) => format!("{c}{s}"),
            (None, Some(c), None) => c.clone(),
            // An agent with no country ("the government") is not an actor by itself.
            (None, None, _) => return None,
        };
        let code = match prefix {
            Some(p) if !code.is_empty() => format!("{p}{code}"),
            _ => code,
        };
        let country = country.or_else(|| {
            (code.len() >= 3 && !code.starts_with("IGO") && !code.starts_with("NGO") && code.is_char_boundary(3))
                .then(|| code[..3].to_string())
        });
        let role = (code.len() > 3).then(|| code[3..].to_string());
        Some(Actor {
            code,
            country,
            role,
            name,
            text: String::new(),
            span: Span::default(),
            sentence: 0,
            tokens: (0, 0),
            via,
            entry,
        })
    }

    /// "he", "she", "the president", "the prime minister": the last person named before whose
    /// title on `date` fits the noun.
    fn coreference(&self, forms: &[&str], i: usize, people: &[Actor], date: NaiveDate) -> Option<Actor> {
        let w = forms[i].to_lowercase();
        let last = people.last()?;
        match w.as_str() {
            "he" | "she" => Some(Actor { via: ActorVia::Coreference, ..last.clone() }),
            "the" => {
                let noun = forms.get(i + 1)?.to_lowercase();
                if !matches!(
                    noun.as_str(),
                    "president" | "premier" | "chancellor" | "minister" | "leader" | "king" | "secretary-general"
                ) {
                    return None;
                }
                let p = people.iter().rev().find(|p| {
                    p.role.as_deref() == Some("GOV")
                        && (noun == "leader"
                            || self
                                .title_of(p.name.as_deref().unwrap_or(""), date)
                                .is_some_and(|t| t.contains(noun.as_str())))
                })?;
                Some(Actor { via: ActorVia::Coreference, ..p.clone() })
            }
            _ => None,
        }
    }

    /// The title a person holds on `date`.
    fn title_of(&self, name: &str, date: NaiveDate) -> Option<&str> {
        self.entries
            .iter()
            .filter(|e| e.kind == EntryKind::Person && e.names.first().map(String::as_str) == Some(name))
            .find(|e| e.term.is_some_and(|t| t.covers(date)))
            .and_then(|e| e.title.as_deref())
    }

    /// The (name, code, entry) of a person entry on `date`. A short name ("Trump") refers first to a
    /// person already named in the document, else to the one person of that name in office.
    fn person(
        &self,
        idx: usize,
        short: bool,
        date: NaiveDate,
        people: &[Actor],
    ) -> Option<((String, String, String), ActorVia)> {
        let e = &self.entries[idx];
        let full = e.names.first()?.clone();
        if short {
            if let Some(p) = people.iter().rev().find(|p| p.name.as_deref() == Some(full.as_str())) {
                return Some(((full, p.code.clone(), p.entry.clone().unwrap_or_default()), ActorVia::Coreference));
            }
        }
        // All terms of everyone with this name.
        let terms: Vec<&Entry> =
            self.entries.iter().filter(|o| o.kind == EntryKind::Person && o.names.first() == Some(&full)).collect();
        if let Some(t) = terms.iter().find(|t| t.term.as_ref().is_some_and(|t| t.covers(date))) {
            return Some(((full, t.code.clone(), t.source.clone()), ActorVia::Dictionary));
        }
        if short {
            // A short name of someone out of office is too ambiguous to code.
            return None;
        }
        // Out of office: the person's country, no sector.
        Some(((full, e.code[..3.min(e.code.len())].to_string(), e.source.clone()), ActorVia::Dictionary))
    }
}

/// Whether two adjacent dictionary hits form one actor.
fn combines(prev: &Entry, next: &Entry) -> bool {
    use EntryKind::*;
    matches!(
        (&prev.kind, &next.kind),
        (Country | Capital | Actor, Agent)
            | (Country, Person)
            | (Agent, Person)
            | (Country | Capital, Organization)
            | (Agent, Agent)
            | (Agent, Actor)
    )
}

fn key(s: &str) -> String {
    s.split_whitespace().collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_petrarch;
