//! dyad's dictionary files: `|`-separated fields, `;`-separated names, `#` comments.
//! The format of each file is given in its header; `data/README.md` describes them all.

use chrono::NaiveDate;

pub(crate) const BUILTIN: [(&str, &str); 4] = [
    ("countries.txt", include_str!("../data/countries.txt")),
    ("leaders.txt", include_str!("../data/leaders.txt")),
    ("organizations.txt", include_str!("../data/organizations.txt")),
    ("agents.txt", include_str!("../data/agents.txt")),
];

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
#[error("{file}:{line}: {message}")]
pub struct DictError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Country,
    Capital,
    Person,
    Organization,
    Agent,
}

/// A term of office, `to` exclusive (the day the successor takes over); `None` = ongoing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Term {
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.from <= d && self.to.is_none_or(|t| d < t)
    }
}

/// One dictionary entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: EntryKind,
    /// The actor code (country, full code, or sector for agents).
    pub code: String,
    /// Canonical name first.
    pub names: Vec<String>,
    /// Every form that matches (names, short names, adjectives …).
    pub keys: Vec<String>,
    pub term: Option<Term>,
    pub title: Option<String>,
    /// `file:line` of the entry.
    pub source: String,
}

fn list(s: &str) -> Vec<String> {
    s.split(';').map(str::trim).filter(|x| !x.is_empty()).map(str::to_string).collect()
}

fn valid_code(c: &str) -> bool {
    (3..=15).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit())
}

fn date(s: &str, file: &str, line: usize) -> Result<Option<NaiveDate>, DictError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Some).map_err(|_| DictError {
        file: file.into(),
        line,
        message: format!("expected a date as YYYY-MM-DD, got {s:?}"),
    })
}

/// Parses one of dyad's dictionary files, named by `file` (its kind follows from the name).
pub fn parse_file(file: &str, text: &str) -> Result<Vec<Entry>, DictError> {
    let mut out = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = l.split('|').map(str::trim).collect();
        let bad = |m: String| DictError { file: file.into(), line, message: m };
        let source = format!("{file}:{line}");
        if file.starts_with("countries") {
            let [code, names, adjs, capitals] = f[..] else {
                return Err(bad(format!("expected 4 fields, found {}", f.len())));
            };
            if !valid_code(code) || code.len() != 3 {
                return Err(bad(format!("expected a 3-letter country code, got {code:?}")));
            }
            let names = list(names);
            let mut keys = names.clone();
            keys.extend(list(adjs));
            out.push(Entry {
                kind: EntryKind::Country,
                code: code.into(),
                names: names.clone(),
                keys,
                term: None,
                title: None,
                source: source.clone(),
            });
            let caps = list(capitals);
            let caps: Vec<String> = caps.into_iter().filter(|c| !names.contains(c)).collect();
            if !caps.is_empty() {
                out.push(Entry {
                    kind: EntryKind::Capital,
                    code: code.into(),
                    names: caps.clone(),
                    keys: caps,
                    term: None,
                    title: None,
                    source,
                });
            }
        } else if file.starts_with("leaders") {
            let [name, short, code, from, to, title] = f[..] else {
                return Err(bad(format!("expected 6 fields, found {}", f.len())));
            };
            if !valid_code(code) {
                return Err(bad(format!("expected an actor code, got {code:?}")));
            }
            let from = date(from, file, line)?.ok_or_else(|| bad("a term needs a start date".into()))?;
            let to = date(to, file, line)?;
            if to.is_some_and(|t| t < from) {
                return Err(bad("term ends before it starts".into()));
            }
            let mut keys = vec![name.to_string()];
            keys.extend(list(short));
            out.push(Entry {
                kind: EntryKind::Person,
                code: code.into(),
                names: vec![name.to_string()],
                keys,
                term: Some(Term { from, to }),
                title: Some(title.to_string()).filter(|t| !t.is_empty()),
                source,
            });
        } else if file.starts_with("organizations") {
            let [code, names] = f[..] else { return Err(bad(format!("expected 2 fields, found {}", f.len()))) };
            if !valid_code(code) {
                return Err(bad(format!("expected an actor code, got {code:?}")));
            }
            let names = list(names);
            out.push(Entry {
                kind: EntryKind::Organization,
                code: code.into(),
                keys: names.clone(),
                names,
                term: None,
                title: None,
                source,
            });
        } else if file.starts_with("agents") {
            let [sector, nouns, _titles] = f[..] else {
                return Err(bad(format!("expected 3 fields, found {}", f.len())));
            };
            if !(sector.len() == 3 && sector.chars().all(|c| c.is_ascii_uppercase())) {
                return Err(bad(format!("expected a 3-letter sector code, got {sector:?}")));
            }
            let nouns = list(nouns);
            out.push(Entry {
                kind: EntryKind::Agent,
                code: sector.into(),
                keys: nouns.clone(),
                names: nouns,
                term: None,
                title: None,
                source,
            });
        } else {
            return Err(bad(
                "unknown dictionary file kind (expected countries, leaders, organizations or agents)".into()
            ));
        }
    }
    check_overlaps(&out)?;
    Ok(out)
}

/// The same person may not hold the same code twice at once.
fn check_overlaps(entries: &[Entry]) -> Result<(), DictError> {
    let people: Vec<&Entry> = entries.iter().filter(|e| e.kind == EntryKind::Person).collect();
    for (i, a) in people.iter().enumerate() {
        for b in &people[i + 1..] {
            if a.names[0] != b.names[0] || a.code != b.code || a.title != b.title {
                continue;
            }
            let (Some(x), Some(y)) = (a.term, b.term) else { continue };
            let overlap = x.from < y.to.unwrap_or(NaiveDate::MAX) && y.from < x.to.unwrap_or(NaiveDate::MAX);
            if overlap {
                let (file, line) = b.source.rsplit_once(':').unwrap_or((&b.source, "0"));
                return Err(DictError {
                    file: file.into(),
                    line: line.parse().unwrap_or(0),
                    message: format!("term of {} overlaps the one at {}", b.names[0], a.source),
                });
            }
        }
    }
    Ok(())
}
