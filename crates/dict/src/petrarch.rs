//! Readers for the PETRARCH / TABARI dictionary formats: actors (with dated codes), agents,
//! discards and issues. (The CAMEO verb file is read by `dyad-coder`.)
//!
//! Every reader is total: a line that does not parse is reported as a [`DictError`] naming
//! `file:line` and skipped; it never becomes a code. See `ARCHITECTURE.md` (crates/dict) for the
//! rules chosen where the format is ambiguous (date boundaries, overlaps, plurals).

use crate::load::{DictError, Entry, EntryKind};
use chrono::NaiveDate;

/// One dated (or undated) code of a PETRARCH actor record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dated {
    /// The code; compound codes (`ELR/GAL`) keep their `/`. Empty for TABARI's null code `---`.
    pub code: String,
    /// First day the code applies (inclusive); `None` = since always.
    pub from: Option<NaiveDate>,
    /// First day it no longer applies (exclusive); `None` = still.
    pub to: Option<NaiveDate>,
    /// `file:line` of the restriction.
    pub source: String,
}

impl Dated {
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.from.is_none_or(|f| f <= d) && self.to.is_none_or(|t| d < t)
    }
    fn is_dated(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }
    fn lo(&self) -> NaiveDate {
        self.from.unwrap_or(NaiveDate::MIN)
    }
    fn hi(&self) -> NaiveDate {
        self.to.unwrap_or(NaiveDate::MAX)
    }
}

/// A phrase that discards the sentence (or, with `story`, the whole story) it occurs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discard {
    /// Lower-case words.
    pub words: Vec<String>,
    /// The last word must end there (`_` in the file); otherwise it is a stem.
    pub whole_word: bool,
    pub story: bool,
    pub source: String,
}

impl Discard {
    /// Whether the phrase occurs in `text` (case-insensitive, at a word start).
    pub fn matches(&self, text: &str) -> bool {
        let t = text.to_lowercase();
        let words: Vec<&str> =
            t.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-').filter(|w| !w.is_empty()).collect();
        let n = self.words.len();
        if n == 0 || words.len() < n {
            return false;
        }
        (0..=words.len() - n).any(|i| {
            (0..n).all(|k| {
                let (w, p) = (words[i + k], self.words[k].as_str());
                if k + 1 < n || self.whole_word {
                    w == p
                } else {
                    w.starts_with(p)
                }
            })
        })
    }
}

/// One issue phrase: every expanded variant of the phrase, lower-case words separated by spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuePhrase {
    pub category: String,
    /// Empty for a cancelling phrase (`~phrase`: no issue coding for the sentence).
    pub code: String,
    pub variants: Vec<String>,
    pub cancel: bool,
    pub source: String,
}

/// What a dictionary file turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Actors,
    Agents,
    Discards,
    Issues,
    /// CAMEO verbs: read by `dyad-coder`, not here.
    Verbs,
    /// One lower-case preposition a line.
    Prepositions,
    /// One of dyad's own files (`countries`, `leaders`, `organizations`, `agents` in dyad's format).
    Dyad,
}

impl FileKind {
    /// The kind a file name implies (`Phoenix.Countries.actors.txt` → actors …).
    pub fn of_name(name: &str) -> Option<FileKind> {
        let n = name.to_ascii_lowercase();
        let base = n.rsplit(['/', '\\']).next().unwrap_or(&n);
        let leaders = base.starts_with("leaders") && base.ends_with(".txt");
        if leaders || ["countries.txt", "organizations.txt", "agents.txt"].contains(&base) {
            return Some(FileKind::Dyad);
        }
        [
            ("actors", FileKind::Actors),
            ("agents", FileKind::Agents),
            ("discards", FileKind::Discards),
            ("issue", FileKind::Issues),
            ("preposition", FileKind::Prepositions),
            ("verbs", FileKind::Verbs),
            ("cameo", FileKind::Verbs),
        ]
        .into_iter()
        .find(|(k, _)| base.contains(k))
        .map(|(_, f)| f)
    }
}

/// The result of reading one dictionary file.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    pub file: String,
    pub kind: Option<FileKind>,
    /// Actor and agent entries (usable by [`crate::ActorDict`]).
    pub entries: Vec<Entry>,
    pub discards: Vec<Discard>,
    pub issues: Vec<IssuePhrase>,
    pub prepositions: Vec<String>,
    /// Every malformed line, in file order; each was skipped.
    pub errors: Vec<DictError>,
}

impl FileReport {
    /// Number of usable entries of any kind.
    pub fn count(&self) -> usize {
        self.entries.len() + self.discards.len() + self.issues.len() + self.prepositions.len()
    }
}

/// Removes `#` and legacy `;` comments and `<!-- … -->` comments (which may span lines).
/// Returns (line number, text without comments) for non-blank lines; a malformed comment opener
/// (`<! --`) is reported.
fn strip_comments(file: &str, text: &str, errors: &mut Vec<DictError>, semicolon: bool) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_xml = false;
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        let mut s = String::new();
        let mut rest = raw;
        loop {
            if in_xml {
                match rest.find("-->") {
                    Some(p) => {
                        rest = &rest[p + 3..];
                        in_xml = false;
                    }
                    None => break,
                }
            } else {
                match rest.find("<!--") {
                    Some(p) => {
                        s.push_str(&rest[..p]);
                        rest = &rest[p + 4..];
                        in_xml = true;
                    }
                    None => {
                        s.push_str(rest);
                        break;
                    }
                }
            }
        }
        if let Some(p) = s.find('#') {
            s.truncate(p);
        }
        if semicolon {
            if let Some(p) = s.find(';') {
                s.truncate(p);
            }
        }
        let t = s.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with("<!") || t.starts_with("-->") {
            errors.push(err(file, line, format!("malformed comment {t:?} (expected <!-- … -->)")));
            continue;
        }
        out.push((line, s.trim_end().to_string()));
    }
    out
}

fn err(file: &str, line: usize, message: String) -> DictError {
    DictError { file: file.to_string(), line, message }
}

/// A TABARI date: `YYYYMMDD`, or `YYMMDD` with YY 00–30 meaning 20YY and 31–99 meaning 19YY.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    if !s.bytes().all(|b| b.is_ascii_digit()) || !(s.len() == 6 || s.len() == 8) {
        return Err(format!("expected a date as YYYYMMDD or YYMMDD, got {s:?}"));
    }
    let (y, md) = if s.len() == 8 {
        (s[..4].parse::<i32>().unwrap_or(0), &s[4..])
    } else {
        let yy = s[..2].parse::<i32>().unwrap_or(0);
        (if yy <= 30 { 2000 + yy } else { 1900 + yy }, &s[2..])
    };
    let m = md[..2].parse::<u32>().unwrap_or(0);
    let d = md[2..].parse::<u32>().unwrap_or(0);
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("impossible date {s:?}"))
}

/// A code: upper-case letters and digits (lower case is accepted and raised, as PETRARCH does),
/// 3 to 15 characters; `/` joins the parts of a compound code; `---` is the null code.
fn parse_code(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s == "---" {
        return Ok(String::new());
    }
    let up = s.to_ascii_uppercase();
    for part in up.split('/') {
        if !(3..=15).contains(&part.len()) || !part.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            return Err(format!("expected a code of 3–15 letters and digits, got {s:?}"));
        }
    }
    Ok(up)
}

/// The inside of `[…]` in an actor file: `CODE`, `CODE <DATE`, `CODE >DATE`, `CODE DATE-DATE`.
fn parse_restriction(inner: &str, source: String) -> Result<Dated, String> {
    let inner = inner.trim();
    let (code, rest) = match inner.find(|c: char| c.is_whitespace() || c == '<' || c == '>') {
        Some(p) => (&inner[..p], inner[p..].trim()),
        None => (inner, ""),
    };
    let code = parse_code(code)?;
    let (from, to) = if rest.is_empty() {
        (None, None)
    } else if let Some(d) = rest.strip_prefix('<') {
        (None, Some(parse_date(d)?))
    } else if let Some(d) = rest.strip_prefix('>') {
        (Some(parse_date(d)?), None)
    } else if let Some((a, b)) = rest.split_once('-') {
        let (a, b) = (parse_date(a)?, parse_date(b)?);
        if b <= a {
            return Err(format!("date range {rest:?} is empty (it must end after it starts)"));
        }
        (Some(a), Some(b))
    } else {
        return Err(format!("expected `<DATE`, `>DATE` or `DATE-DATE` after the code, got {rest:?}"));
    };
    Ok(Dated { code, from, to, source })
}

/// Splits `text [A] [B]…` into the text before the first bracket and the insides of the brackets.
/// Anything else after a bracket, or an unbalanced bracket, is an error.
fn brackets(s: &str) -> Result<(&str, Vec<&str>), String> {
    let head_end = s.find(['[', ']']).unwrap_or(s.len());
    let head = &s[..head_end];
    let mut rest = &s[head_end..];
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let Some(r) = rest.strip_prefix('[') else {
            return Err(format!("unbalanced or stray text {rest:?} (expected [CODE …])"));
        };
        let Some(close) = r.find(']') else {
            return Err(format!("unbalanced bracket: {rest:?} has no closing ]"));
        };
        if r[..close].contains('[') {
            return Err(format!("unbalanced brackets in {rest:?}"));
        }
        out.push(&r[..close]);
        rest = &r[close + 1..];
    }
    Ok((head, out))
}

/// A phrase as written (`NORTH_KOREA_`, `PRESIDENT HOSNI MURBARAK`) as words (`North Korea`).
fn phrase_words(p: &str) -> Vec<String> {
    p.trim().split(|c: char| c == '_' || c.is_whitespace()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

fn valid_phrase(words: &[String]) -> Result<(), String> {
    if words.is_empty() {
        return Err("empty phrase".into());
    }
    if let Some(w) = words.iter().find(|w| w.chars().any(|c| c.is_control() || matches!(c, '[' | ']' | '{' | '}'))) {
        return Err(format!("unexpected character in phrase word {w:?}"));
    }
    Ok(())
}

/// Reads a PETRARCH/TABARI actor file. Each record becomes one [`EntryKind::Actor`] entry whose
/// keys are its primary phrase and `+` synonyms, whose `code` is its undated code and whose
/// `dated` holds the dated codes in file order (the first that covers the date wins).
pub fn parse_actors(file: &str, text: &str) -> (Vec<Entry>, Vec<DictError>) {
    let mut errors = Vec::new();
    let lines = strip_comments(file, text, &mut errors, false);
    let mut entries: Vec<Entry> = Vec::new();
    // Whether the current record (the last entry) is still open to synonyms and restrictions.
    let mut open = false;
    // The current record's primary phrase was malformed: its lines are skipped with it.
    let mut skipping = false;
    let finish = |e: &mut Vec<Entry>, errors: &mut Vec<DictError>| {
        if let Some(last) = e.last() {
            if last.code.is_empty() && last.dated.is_empty() && !last.null_code {
                let (f, l) = split_source(&last.source);
                errors.push(err(&f, l, format!("actor {:?} has no code; skipped", last.names[0])));
                e.pop();
            }
        }
    };
    for (line, s) in lines {
        let t = s.trim();
        let source = format!("{file}:{line}");
        let (head, codes) = match brackets(t) {
            Ok(x) => x,
            Err(m) => {
                errors.push(err(file, line, m));
                continue;
            }
        };
        let head = head.trim();
        if skipping && (head.is_empty() || head.starts_with('+')) {
            continue;
        }
        if let Some(syn) = head.strip_prefix('+') {
            if !open {
                errors.push(err(file, line, "synonym (+) outside an actor record".into()));
                continue;
            }
            let words = phrase_words(syn);
            if let Err(m) = valid_phrase(&words) {
                errors.push(err(file, line, m));
                continue;
            }
            if let Some(e) = entries.last_mut() {
                e.keys.push(words.join(" "));
            }
        } else if !head.is_empty() {
            finish(&mut entries, &mut errors);
            let words = phrase_words(head);
            if let Err(m) = valid_phrase(&words) {
                errors.push(err(file, line, format!("{m}; the record, its synonyms and codes are skipped")));
                open = false;
                skipping = true;
                continue;
            }
            skipping = false;
            let name = words.join(" ");
            entries.push(Entry {
                kind: EntryKind::Actor,
                code: String::new(),
                names: vec![name.clone()],
                keys: vec![name],
                term: None,
                title: None,
                source: source.clone(),
                dated: Vec::new(),
                null_code: false,
                prepend: false,
            });
            open = true;
        } else if !open {
            errors.push(err(file, line, "code outside an actor record".into()));
            continue;
        }
        for c in codes {
            let d = match parse_restriction(c, source.clone()) {
                Ok(d) => d,
                Err(m) => {
                    errors.push(err(file, line, m));
                    continue;
                }
            };
            let Some(e) = entries.last_mut() else { continue };
            if let Err(m) = add_restriction(e, d) {
                errors.push(err(file, line, m));
            }
        }
    }
    finish(&mut entries, &mut errors);
    (entries, errors)
}

fn split_source(s: &str) -> (String, usize) {
    match s.rsplit_once(':') {
        Some((f, l)) => (f.to_string(), l.parse().unwrap_or(0)),
        None => (s.to_string(), 0),
    }
}

/// Adds a restriction to an actor record, refusing overlaps. A dated range may lie wholly inside
/// a range listed *after* it (TABARI's exception idiom: the narrower one, first in order, wins);
/// a range that overlaps an earlier one in any other way is ambiguous or dead and is refused.
fn add_restriction(e: &mut Entry, d: Dated) -> Result<(), String> {
    if !d.is_dated() {
        if !e.code.is_empty() || e.null_code {
            let prev = if e.code.is_empty() { "---" } else { &e.code };
            return Err(format!("second undated code {:?} for {:?} (already {prev}); skipped", d.code, e.names[0]));
        }
        if d.code.is_empty() {
            e.null_code = true;
        }
        e.code = d.code;
        return Ok(());
    }
    for p in &e.dated {
        let overlap = d.lo() < p.hi() && p.lo() < d.hi();
        if !overlap {
            continue;
        }
        let earlier_inside = d.lo() <= p.lo() && p.hi() <= d.hi();
        if earlier_inside && (d.lo(), d.hi()) != (p.lo(), p.hi()) {
            continue;
        }
        return Err(format!(
            "date range of {} for {:?} overlaps the range at {} ({} in the overlap); skipped",
            if d.code.is_empty() { "---" } else { &d.code },
            e.names[0],
            p.source,
            if p.code.is_empty() { "---" } else { &p.code },
        ));
    }
    e.dated.push(d);
    Ok(())
}

/// Regular English plural of a phrase's last word (`FARMER` → `FARMERS`, `ARMY` → `ARMIES`,
/// `BOSS` → `BOSSES`).
pub fn plural(p: &str) -> String {
    let u = p.to_ascii_uppercase();
    let vowel_y = u.len() >= 2 && matches!(u.as_bytes()[u.len() - 2], b'A' | b'E' | b'I' | b'O' | b'U');
    if u.ends_with('Y') && !vowel_y {
        format!("{}IES", &p[..p.len() - 1])
    } else if ["S", "SH", "CH", "X", "Z"].iter().any(|s| u.ends_with(s)) {
        format!("{p}ES")
    } else {
        format!("{p}S")
    }
}

/// Reads a PETRARCH agents file: `PHRASE {PLURALS} [~CODE]` (`~CODE` appends to the actor's code,
/// `CODE~` prepends), with `!NAME! = A, B, …` substitution sets expanded wherever `!NAME!` occurs.
/// Without `{…}` the regular plural of the phrase is added; `{}` means no plural.
pub fn parse_agents(file: &str, text: &str) -> (Vec<Entry>, Vec<DictError>) {
    let mut errors = Vec::new();
    let lines = strip_comments(file, text, &mut errors, false);
    let mut subst: Vec<(String, Vec<String>)> = Vec::new();
    let mut entries = Vec::new();
    for (line, s) in lines {
        let t = s.trim();
        if t.starts_with('!') && t.contains('=') && !t.contains('[') {
            let (name, vals) = t.split_once('=').unwrap_or((t, ""));
            let name = name.trim();
            let ok = name.len() > 2
                && name.ends_with('!')
                && name[1..name.len() - 1].bytes().all(|b| b.is_ascii_alphanumeric());
            let vals: Vec<String> = vals.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
            if !ok || vals.is_empty() {
                errors.push(err(file, line, format!("expected a substitution set `!NAME! = A, B`, got {t:?}")));
                continue;
            }
            subst.push((name.to_string(), vals));
            continue;
        }
        let (head, codes) = match brackets(t) {
            Ok(x) => x,
            Err(m) => {
                errors.push(err(file, line, m));
                continue;
            }
        };
        let [code] = codes[..] else {
            errors.push(err(file, line, format!("expected one [~CODE] after the agent, found {}", codes.len())));
            continue;
        };
        let code = code.trim();
        let (sector, prepend) = if let Some(c) = code.strip_prefix('~') {
            (c, false)
        } else if let Some(c) = code.strip_suffix('~') {
            (c, true)
        } else {
            errors.push(err(file, line, format!("expected an agent code ~CODE or CODE~, got {code:?}")));
            continue;
        };
        let sector = match parse_code(sector) {
            Ok(c) if !c.is_empty() && !c.contains('/') => c,
            _ => {
                errors.push(err(
                    file,
                    line,
                    format!("expected an agent code of 3–15 letters and digits, got {code:?}"),
                ));
                continue;
            }
        };
        // Phrase and optional {plurals}.
        let (phrase, plurals) = match head.find('{') {
            Some(p) => {
                let Some(q) = head[p..].find('}') else {
                    errors.push(err(file, line, "unbalanced brace: { without }".into()));
                    continue;
                };
                if !head[p + q + 1..].trim().is_empty() {
                    errors.push(err(file, line, format!("unexpected text after }}: {:?}", head[p + q + 1..].trim())));
                    continue;
                }
                let pl: Vec<String> = head[p + 1..p + q].split_whitespace().map(str::to_string).collect();
                (head[..p].trim(), Some(pl))
            }
            None if head.contains('}') => {
                errors.push(err(file, line, "unbalanced brace: } without {".into()));
                continue;
            }
            None => (head.trim(), None),
        };
        let mut forms = match expand(phrase, &subst) {
            Ok(f) => f,
            Err(m) => {
                errors.push(err(file, line, m));
                continue;
            }
        };
        match plurals {
            Some(pl) => {
                for p in pl {
                    match expand(&p, &subst) {
                        Ok(f) => forms.extend(f),
                        Err(m) => errors.push(err(file, line, m)),
                    }
                }
            }
            None => {
                let pl: Vec<String> = forms.iter().filter(|f| !f.ends_with('_')).map(|f| plural(f)).collect();
                forms.extend(pl);
            }
        }
        let mut keys: Vec<String> = Vec::new();
        for f in &forms {
            let w = phrase_words(f);
            if let Err(m) = valid_phrase(&w) {
                errors.push(err(file, line, m));
                continue;
            }
            let k = w.join(" ");
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        if keys.is_empty() {
            continue;
        }
        entries.push(Entry {
            kind: EntryKind::Agent,
            code: sector,
            names: vec![keys[0].clone()],
            keys,
            term: None,
            title: None,
            source: format!("{file}:{line}"),
            dated: Vec::new(),
            null_code: false,
            prepend,
        });
    }
    (entries, errors)
}

/// Expands every `!NAME!` in `p` with its substitution set.
fn expand(p: &str, subst: &[(String, Vec<String>)]) -> Result<Vec<String>, String> {
    let mut out = vec![p.to_string()];
    for _ in 0..4 {
        if !out.iter().any(|f| f.contains('!')) {
            return Ok(out);
        }
        let mut next = Vec::new();
        for f in &out {
            let Some(a) = f.find('!') else {
                next.push(f.clone());
                continue;
            };
            let Some(b) = f[a + 1..].find('!') else { return Err(format!("unbalanced ! in {p:?}")) };
            let name = &f[a..a + b + 2];
            let Some((_, vals)) = subst.iter().find(|(n, _)| n == name) else {
                return Err(format!("undefined substitution set {name} in {p:?}"));
            };
            for v in vals {
                next.push(format!("{}{}{}", &f[..a], v, &f[a + b + 2..]));
            }
        }
        out = next;
    }
    Err(format!("substitution sets nest too deeply in {p:?}"))
}

/// Reads a discards file: one phrase a line, `+PHRASE` discards the story, a trailing `_` makes
/// the last word whole (otherwise a stem).
pub fn parse_discards(file: &str, text: &str) -> (Vec<Discard>, Vec<DictError>) {
    let mut errors = Vec::new();
    let lines = strip_comments(file, text, &mut errors, true);
    let mut out = Vec::new();
    for (line, s) in lines {
        let t = s.trim();
        let (story, p) = match t.strip_prefix('+') {
            Some(p) => (true, p.trim()),
            None => (false, t),
        };
        if p.contains(['[', ']', '{', '}']) {
            errors.push(err(file, line, format!("unexpected bracket in discard phrase {p:?}")));
            continue;
        }
        let whole_word = p.ends_with('_');
        let words: Vec<String> = phrase_words(p).into_iter().map(|w| w.to_lowercase()).collect();
        if words.is_empty() {
            errors.push(err(file, line, "empty discard phrase".into()));
            continue;
        }
        out.push(Discard { words, whole_word, story, source: format!("{file}:{line}") });
    }
    (out, errors)
}

/// Reads an issues file: `<ISSUE CATEGORY="…">` … `</ISSUE>` blocks of `phrase [CODE]` lines,
/// with `n:` (noun: + plural), `v:` (verb: + s, ed, ing) and `a+b` (a b, a-b, ab) expansions, and
/// `~phrase` / `~~phrase` lines that cancel issue coding for the sentence.
pub fn parse_issues(file: &str, text: &str) -> (Vec<IssuePhrase>, Vec<DictError>) {
    let mut errors = Vec::new();
    let lines = strip_comments(file, text, &mut errors, false);
    let mut out = Vec::new();
    let mut category: Option<String> = None;
    for (line, s) in lines {
        let t = s.trim();
        if let Some(tag) = t.strip_prefix("<ISSUE") {
            let cat = tag.split("CATEGORY=\"").nth(1).and_then(|r| r.split('"').next());
            match cat {
                Some(c) if t.ends_with('>') && !c.is_empty() => category = Some(c.to_string()),
                _ => errors.push(err(file, line, format!("expected <ISSUE CATEGORY=\"…\">, got {t:?}"))),
            }
            continue;
        }
        if t == "</ISSUE>" {
            if category.take().is_none() {
                errors.push(err(file, line, "</ISSUE> without an open <ISSUE>".into()));
            }
            continue;
        }
        let Some(cat) = category.clone() else {
            errors.push(err(file, line, "issue phrase outside an <ISSUE> block".into()));
            continue;
        };
        let (cancel, body) = match t.strip_prefix("~~").or_else(|| t.strip_prefix('~')) {
            Some(b) => (true, b),
            None => (false, t),
        };
        let (phrase, code) = if cancel {
            if body.contains(['[', ']']) {
                errors.push(err(file, line, "a cancelling (~) phrase takes no code".into()));
                continue;
            }
            (body, String::new())
        } else {
            let (head, codes) = match brackets(body) {
                Ok(x) => x,
                Err(m) => {
                    errors.push(err(file, line, m));
                    continue;
                }
            };
            let [c] = codes[..] else {
                errors.push(err(file, line, format!("expected one [CODE] after the phrase, found {}", codes.len())));
                continue;
            };
            let c = c.trim();
            if c.is_empty() || !c.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') {
                errors.push(err(file, line, format!("expected an issue code of A–Z, 0–9 and _, got {c:?}")));
                continue;
            }
            (head, c.to_string())
        };
        let mut variants = vec![String::new()];
        for w in phrase.split_whitespace() {
            let forms = issue_word(&w.to_lowercase());
            let mut next = Vec::new();
            for v in &variants {
                for f in &forms {
                    next.push(if v.is_empty() { f.clone() } else { format!("{v} {f}") });
                }
            }
            variants = next;
        }
        if variants.iter().all(String::is_empty) {
            errors.push(err(file, line, "empty issue phrase".into()));
            continue;
        }
        out.push(IssuePhrase { category: cat, code, variants, cancel, source: format!("{file}:{line}") });
    }
    if category.is_some() {
        errors.push(err(file, text.lines().count(), "<ISSUE> block not closed".into()));
    }
    (out, errors)
}

/// The forms of one issue-phrase word.
fn issue_word(w: &str) -> Vec<String> {
    let (base, infl) = if let Some(x) = w.strip_prefix("n:") {
        (x, 'n')
    } else if let Some(x) = w.strip_prefix("v:") {
        (x, 'v')
    } else if let Some((a, b)) = w.split_once("+n:") {
        // `pre+n:school`: the joined word, then inflected.
        return issue_word(&format!("n:{a}+{b}"));
    } else {
        (w, ' ')
    };
    let joins: Vec<String> = if base.contains('+') {
        vec![base.replace('+', " "), base.replace('+', "-"), base.replace('+', "")]
    } else {
        vec![base.to_string()]
    };
    let mut out = Vec::new();
    for j in joins {
        out.push(j.clone());
        match infl {
            'n' => out.push(plural(&j).to_lowercase()),
            'v' => {
                let stem = j.strip_suffix('e').unwrap_or(&j).to_string();
                out.push(format!("{j}s"));
                out.push(format!("{stem}ed"));
                out.push(format!("{stem}ing"));
            }
            _ => {}
        }
    }
    out
}

/// Reads a prepositions file: one word a line.
pub fn parse_prepositions(file: &str, text: &str) -> (Vec<String>, Vec<DictError>) {
    let mut errors = Vec::new();
    let lines = strip_comments(file, text, &mut errors, false);
    let mut out = Vec::new();
    for (line, s) in lines {
        let t = s.trim();
        if t.split_whitespace().count() != 1 || !t.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'') {
            errors.push(err(file, line, format!("expected one preposition, got {t:?}")));
            continue;
        }
        out.push(t.to_lowercase());
    }
    (out, errors)
}

/// Reads one dictionary file of any supported kind; `kind` defaults to what the name implies.
pub fn read_file(file: &str, text: &str, kind: Option<FileKind>) -> FileReport {
    let kind = kind.or_else(|| FileKind::of_name(file));
    let mut r = FileReport { file: file.to_string(), kind, ..Default::default() };
    match kind {
        Some(FileKind::Actors) => (r.entries, r.errors) = parse_actors(file, text),
        Some(FileKind::Agents) if crate::load::looks_like_dyad(text) => {
            (r.entries, r.errors) = crate::load::parse_file_lenient("agents.txt", file, text)
        }
        Some(FileKind::Agents) => (r.entries, r.errors) = parse_agents(file, text),
        Some(FileKind::Discards) => (r.discards, r.errors) = parse_discards(file, text),
        Some(FileKind::Issues) => (r.issues, r.errors) = parse_issues(file, text),
        Some(FileKind::Prepositions) => (r.prepositions, r.errors) = parse_prepositions(file, text),
        Some(FileKind::Dyad) => {
            let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
            (r.entries, r.errors) = crate::load::parse_file_lenient(base, file, text)
        }
        Some(FileKind::Verbs) => {}
        None => r.errors.push(err(
            file,
            0,
            "cannot tell the dictionary kind from the name (expected …actors…, …agents…, …discards…, …issue…, \
             …prepositions…, or dyad's countries/leaders/organizations/agents.txt)"
                .into(),
        )),
    }
    r
}
