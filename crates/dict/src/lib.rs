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
//!    "the president", "he") to earlier people of the document (`resolve.rs`).
//! 3. [`ActorDict::resolve_traced`] does the same and says, per mention, which [`Rule`] coded it
//!    and every dictionary line (`file:line`) that took part ([`Resolved`]).
//! 4. [`petrarch`] reads the PETRARCH/TABARI formats; [`ActorDict::load`] merges them with dyad's
//!    own or replaces them ([`Mode`]).
//!
//! With no document date, the terms in force today are used.

use std::collections::{HashMap, HashSet};

mod load;
pub mod petrarch;
mod resolve;
pub use load::{parse_file, parse_file_lenient, DictError, Entry, EntryKind, Term};
pub use petrarch::{Dated, Discard, FileKind, FileReport, IssuePhrase};
pub use resolve::{Resolved, Rule};
use std::path::{Path, PathBuf};

/// Compiled, immutable actor lookups; build once and share (`ActorDict` is `Send + Sync`).
#[derive(Debug, Default)]
pub struct ActorDict {
    entries: Vec<Entry>,
    /// Key (lower-case, spaces removed) → indices into `entries`, in file order.
    index: HashMap<String, Vec<usize>>,
    /// Every key, sorted: a phrase that is no key's prefix ends the longest-match scan early.
    sorted_keys: Vec<String>,
    /// Longest key in bytes.
    max_key: usize,
    /// Canonical name (as a key) → every term of that person, by start date.
    people: HashMap<String, Vec<usize>>,
    /// (country or IGO code, office) → the terms of everyone who held the office, by start date.
    offices: HashMap<(String, resolve::Office), Vec<usize>>,
    /// Per entry, the offices its title names (a bit set; 0 for all but people).
    office_masks: Vec<u32>,
    /// (key, entry) pairs of short names that only refer back (`=Kim` in `leaders.txt`).
    back_only: HashSet<(String, usize)>,
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

    /// Compiles entries (in priority order: the first entry of a key wins ties) into the lookups.
    pub fn from_entries(entries: Vec<Entry>) -> ActorDict {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        let mut people: HashMap<String, Vec<usize>> = HashMap::new();
        let mut offices: HashMap<(String, resolve::Office), Vec<usize>> = HashMap::new();
        let mut office_masks = vec![0u32; entries.len()];
        let mut back_only = HashSet::new();
        let mut h = blake3::Hasher::new();
        for (i, e) in entries.iter().enumerate() {
            h.update(e.source.as_bytes());
            for k in &e.keys {
                // `=Kim`: a short name that only refers back to the person named before.
                let k = match k.strip_prefix('=') {
                    Some(k) => {
                        back_only.insert((key(k), i));
                        k
                    }
                    None => k.as_str(),
                };
                let ids = index.entry(key(k)).or_default();
                // A key listed twice by one entry (a name and a short name alike) counts once.
                if ids.last() != Some(&i) {
                    ids.push(i);
                }
            }
            if e.kind == EntryKind::Person {
                if let Some(n) = e.names.first() {
                    people.entry(key(n)).or_default().push(i);
                }
                let m = resolve::office_mask(e.title.as_deref().unwrap_or(""));
                office_masks[i] = m;
                for o in resolve::offices(m) {
                    offices.entry((resolve::holder_key(&e.code), o)).or_default().push(i);
                }
            }
        }
        let start = |i: &usize| entries[*i].term.map(|t| t.from);
        for v in people.values_mut().chain(offices.values_mut()) {
            v.sort_by_key(start);
        }
        let mut sorted_keys: Vec<String> = index.keys().cloned().collect();
        sorted_keys.sort_unstable();
        let max_key = sorted_keys.iter().map(String::len).max().unwrap_or(0);
        let fingerprint = h.finalize().to_hex()[..12].to_string();
        ActorDict {
            entries,
            index,
            sorted_keys,
            max_key,
            people,
            offices,
            office_masks,
            back_only,
            fingerprint,
            discards: Vec::new(),
            issues: Vec::new(),
        }
    }

    /// Whether some key starts with `k`.
    fn has_prefix(&self, k: &str) -> bool {
        let p = self.sorted_keys.partition_point(|x| x.as_str() < k);
        self.sorted_keys.get(p).is_some_and(|x| x.starts_with(k))
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// A short hash of the loaded dictionaries, stored with every record.
    pub fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }
}

fn key(s: &str) -> String {
    s.split_whitespace().collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_petrarch;
