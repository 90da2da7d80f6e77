//! dyad's dictionary files: `|`-separated fields, `;`-separated names, `#` comments.
//! The format of each file is given in its header; `data/README.md` describes them all.

use chrono::NaiveDate;

pub(crate) const BUILTIN: [(&str, &str); 8] = [
    ("countries.txt", include_str!("../data/countries.txt")),
    ("leaders.txt", include_str!("../data/leaders.txt")),
    ("leaders-europe.txt", include_str!("../data/leaders-europe.txt")),
    ("leaders-africa.txt", include_str!("../data/leaders-africa.txt")),
    ("leaders-americas.txt", include_str!("../data/leaders-americas.txt")),
    ("leaders-asia.txt", include_str!("../data/leaders-asia.txt")),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EntryKind {
    #[default]
    Country,
    Capital,
    Person,
    Organization,
    Agent,
    /// A record of a PETRARCH/TABARI actor file: an undated code and/or dated codes.
    Actor,
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
#[derive(Debug, Clone, PartialEq, Default)]
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
    /// Dated codes of a PETRARCH actor record, in file order; the first covering the date wins,
    /// else `code` applies. Empty for dyad's own entries (which use `term`).
    pub dated: Vec<crate::petrarch::Dated>,
    /// The record's undated code is TABARI's null code `---` (known, deliberately uncoded).
    pub null_code: bool,
    /// For PETRARCH agents written `CODE~`: the code goes before the actor's, not after.
    pub prepend: bool,
}

impl Entry {
    /// The code this entry gives on `date` and the `file:line` it comes from; `None` when the
    /// entry has no code that day (a leader out of office, a PETRARCH record with no covering
    /// restriction and no undated code). `Some("")` is a deliberately uncoded actor (`---`).
    pub fn code_on(&self, date: NaiveDate) -> Option<(&str, &str)> {
        if let Some(t) = &self.term {
            return t.covers(date).then_some((self.code.as_str(), self.source.as_str()));
        }
        if let Some(d) = self.dated.iter().find(|d| d.covers(date)) {
            return Some((d.code.as_str(), d.source.as_str()));
        }
        (!self.code.is_empty() || self.null_code).then_some((self.code.as_str(), self.source.as_str()))
    }
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

/// Whether a text is in dyad's `|`-separated format (rather than PETRARCH's).
pub(crate) fn looks_like_dyad(text: &str) -> bool {
    text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')).is_some_and(|l| l.contains('|'))
}

/// Parses one of dyad's dictionary files strictly: the first bad line is an error.
pub fn parse_file(file: &str, text: &str) -> Result<Vec<Entry>, DictError> {
    let (entries, errors) = parse_file_lenient(file, file, text);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(entries),
    }
}

/// Parses one of dyad's dictionary files, whose kind follows from `kind_name` (`countries…`,
/// `leaders…`, `organizations…`, `agents…`); sources are labelled with `file`. Every bad line is
/// reported and skipped.
pub fn parse_file_lenient(kind_name: &str, file: &str, text: &str) -> (Vec<Entry>, Vec<DictError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        match parse_line(kind_name, file, n + 1, raw) {
            Ok(es) => out.extend(es),
            Err(e) => errors.push(e),
        }
    }
    let mut kept: Vec<Entry> = Vec::with_capacity(out.len());
    for e in out {
        match overlap(&kept, &e) {
            Some(m) => {
                let (f, l) = e.source.rsplit_once(':').unwrap_or((&e.source, "0"));
                errors.push(DictError { file: f.into(), line: l.parse().unwrap_or(0), message: m });
            }
            None => kept.push(e),
        }
    }
    errors.sort_by_key(|e| e.line);
    (kept, errors)
}

fn parse_line(file: &str, label: &str, line: usize, raw: &str) -> Result<Vec<Entry>, DictError> {
    let mut out = Vec::new();
    let kind = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let file = label;
    {
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            return Ok(out);
        }
        let f: Vec<&str> = l.split('|').map(str::trim).collect();
        let bad = |m: String| DictError { file: file.into(), line, message: m };
        let source = format!("{file}:{line}");
        if kind.starts_with("countries") {
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
                ..Default::default()
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
                    ..Default::default()
                });
            }
        } else if kind.starts_with("leaders") {
            let [name, short, code, from, to, title] = f[..] else {
                return Err(bad(format!("expected 6 fields, found {}", f.len())));
            };
            if !valid_code(code) {
                return Err(bad(format!("expected an actor code, got {code:?}")));
            }
            let from = date(from, file, line)?.ok_or_else(|| bad("a term needs a start date".into()))?;
            let to = date(to, file, line)?;
            if to.is_some_and(|t| t <= from) {
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
                ..Default::default()
            });
        } else if kind.starts_with("organizations") {
            let (code, names, term) = match f[..] {
                [code, names] => (code, names, None),
                [code, names, from, to] => {
                    let from = date(from, file, line)?.unwrap_or(NaiveDate::MIN);
                    let to = date(to, file, line)?;
                    if to.is_some_and(|t| t <= from) {
                        return Err(bad("period ends before it starts".into()));
                    }
                    (code, names, Some(Term { from, to }))
                }
                _ => return Err(bad(format!("expected 2 or 4 fields, found {}", f.len()))),
            };
            if !valid_code(code) {
                return Err(bad(format!("expected an actor code, got {code:?}")));
            }
            let names = list(names);
            if names.is_empty() {
                return Err(bad("expected at least one name".into()));
            }
            out.push(Entry {
                kind: EntryKind::Organization,
                code: code.into(),
                keys: names.clone(),
                names,
                term,
                title: None,
                source,
                ..Default::default()
            });
        } else if kind.starts_with("agents") {
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
                ..Default::default()
            });
        } else {
            return Err(bad(
                "unknown dictionary file kind (expected countries, leaders, organizations or agents)".into()
            ));
        }
    }
    Ok(out)
}

/// The same person may not hold the same code twice at once: the message for `e` if it overlaps
/// a kept term.
fn overlap(kept: &[Entry], b: &Entry) -> Option<String> {
    if b.kind != EntryKind::Person {
        return None;
    }
    let y = b.term?;
    kept.iter().filter(|a| a.kind == EntryKind::Person).find_map(|a| {
        if a.names[0] != b.names[0] || a.code != b.code {
            return None;
        }
        let x = a.term?;
        let o = x.from < y.to.unwrap_or(NaiveDate::MAX) && y.from < x.to.unwrap_or(NaiveDate::MAX);
        o.then(|| format!("term of {} as {} overlaps the one at {}; skipped", b.names[0], b.code, a.source))
    })
}
