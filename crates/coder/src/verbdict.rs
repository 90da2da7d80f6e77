//! Readers for PETRARCH verb dictionaries: PETRARCH-2's `CAMEO.2.0.txt` and the older
//! TABARI / PETRARCH-1 syntax of `PETR.Validate.verbs.txt`. Both are read by one reader; the
//! result becomes a [`crate::lexicon::Lexicon`] through [`Lexicon::with_verbs`](crate::lexicon::Lexicon::with_verbs).
//!
//! ```text
//! &CURRENCY                      a synset: `+WORD` / `+TWO WORDS` lines follow (`_` = space)
//! +DOLLARS
//! --- RUSH [---] ---             a verb block; `---` is the null code (the bare verb codes nothing)
//! RUSH                           verbs of the block: regular forms are generated …
//! SPEED {SPEEDS SPED SPEEDING}   … unless `{…}` lists them all
//! +ASK_FOR {+ASKED_FOR} [020]    multi-word verb, `+` marks the inflected word; own code
//! - * (TO BORDER)  [154]         pattern: words before and after the verb `*`, `{NOUN PHRASE}`,
//! - &MILITARY *    [154]         `(PREP NOUN)`, `&SYNSET`; `$` source, `+` target, `%` compound,
//! - * (TO)         [042:043]     `^` a skipped phrase; `[CODE:PAIRED]` codes
//! ~ a (a b ATTACK) SAY = a b 015 a transformation (counted, not applied)
//! ```
//!
//! How patterns become dyad patterns: the words after `*` must follow the verb in order, each
//! within [`PATTERN_GAP`] tokens of the previous one (PETRARCH matches phrase heads, which may be
//! a few modifiers away); the words before `*` must precede it in order within the same reach; a
//! final preposition names the target (`- * (TO)`: "rushed to Gondor"); `$` after the verb or `+`
//! before it reverses the roles; `%` marks a reciprocal event. Parentheses and braces only group
//! words and are otherwise ignored.
//!
//! The reader is total: a malformed line is reported as a [`CoderError`] naming `file:line` and
//! skipped; it never becomes a code. With [`Codes::Cameo`] a code outside the CAMEO table is such
//! an error (PETRARCH-2 silently maps it to its root); [`Codes::Any`] accepts any short alphanumeric
//! code, for the WEIS-coded validation file.

use crate::cameo::Table;
use crate::lexicon::{inflections, Pattern, Synset, Word, PREPOSITIONS};
use crate::CoderError;
use std::collections::HashMap;
use std::sync::Arc;

/// Tokens allowed between consecutive words of a PETRARCH pattern.
pub const PATTERN_GAP: usize = 6;

/// How deep synsets may nest (`+&TIETYPES` inside `&ACCORDSYN`).
const MAX_NESTING: usize = 4;

/// Which codes a verb file may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codes {
    /// Only codes of dyad's CAMEO table.
    Cameo,
    /// Any code of 1–6 letters and digits (KEDS/WEIS codes such as `075A`).
    Any,
}

/// One verb line of a block with the patterns that apply to it (its bare pattern first).
#[derive(Debug, Clone)]
pub struct VerbEntry {
    /// Lower-case forms of the inflected word.
    pub forms: Vec<String>,
    pub patterns: Vec<Arc<Pattern>>,
}

/// What a verb file held.
#[derive(Debug, Clone, Default)]
pub struct VerbDict {
    pub file: String,
    pub verbs: Vec<VerbEntry>,
    pub synsets: usize,
    pub blocks: usize,
    /// Verb lines.
    pub verb_lines: usize,
    /// Pattern lines read and kept.
    pub patterns: usize,
    /// `~` lines, counted but not applied.
    pub transformations: usize,
    /// Malformed lines, each skipped.
    pub errors: Vec<CoderError>,
    /// Codes were checked against the CAMEO table.
    pub cameo_codes: bool,
    pub fingerprint: String,
}

impl VerbDict {
    /// The first pattern whose text (as written after `-`) is `text`, for tests and `dict check`.
    pub fn pattern(&self, text: &str) -> Option<&Pattern> {
        let want = normalize(text);
        self.verbs.iter().flat_map(|v| v.patterns.iter()).map(|p| &**p).find(|p| normalize(&p.phrase) == want)
    }
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase()
}

/// A parsed `[CODE]`: `None` is the null code `---`; otherwise the active code and, for
/// `[CODE:PAIRED]`, the paired code of the reversed event (an empty string: no event that way).
type Code = Option<(String, Option<String>)>;

/// A verb of the block being read: its forms and the words around the inflected word.
struct BlockVerb {
    forms: Vec<String>,
    pre: Vec<String>,
    rest: Vec<String>,
    code: Code,
    entry: usize,
}

/// Reads a PETRARCH or TABARI verb file.
pub fn read(file: &str, text: &str, cameo: &Table, codes: Codes) -> VerbDict {
    let mut d = VerbDict { file: file.to_string(), cameo_codes: codes == Codes::Cameo, ..VerbDict::default() };
    let mut h = blake3::Hasher::new();
    h.update(text.as_bytes());
    d.fingerprint = h.finalize().to_hex()[..12].to_string();
    let mut synsets: HashMap<String, Arc<Synset>> = HashMap::new();
    // The synset being defined: (name, phrases).
    let mut open_set: Option<(String, Vec<Vec<String>>)> = None;
    let mut block: Option<(Code, Vec<BlockVerb>)> = None;
    let mut in_comment = false;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = strip_comment(raw, &mut in_comment);
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        let bad = |m: String| CoderError { file: file.into(), line: line_no, message: m };
        // A synset member continues the open synset; anything else closes it.
        if let Some((_, phrases)) = open_set.as_mut() {
            if let Some(m) = l.strip_prefix('+') {
                if let Some(inner) = m.trim().strip_prefix('&') {
                    match synsets.get(&set_name(inner)) {
                        Some(s) => phrases.extend(s.phrases.iter().cloned()),
                        None => d.errors.push(bad(format!("synset member refers to undefined synset &{inner}"))),
                    }
                } else {
                    let words = split_words(m);
                    if words.is_empty() {
                        d.errors.push(bad("empty synset member".into()));
                    } else {
                        phrases.push(words);
                    }
                }
                continue;
            }
            if let Some((name, phrases)) = open_set.take() {
                synsets.insert(name.clone(), Arc::new(Synset { name, phrases }));
            }
        }
        if l.starts_with("---") {
            let Some(code) = bracket(l) else {
                d.errors.push(bad(format!("verb block header without [CODE]: {l:?}")));
                block = None;
                continue;
            };
            // A bad block code is reported and the block read with the null code, so that its
            // verbs and patterns still count.
            let c = parse_code(code, cameo, codes).unwrap_or_else(|m| {
                d.errors.push(bad(format!("{m}; the block is read with the null code")));
                None
            });
            block = Some((c, Vec::new()));
            d.blocks += 1;
        } else if let Some(name) = l.strip_prefix('&') {
            let name = set_name(name.split_whitespace().next().unwrap_or(""));
            if name.is_empty() {
                d.errors.push(bad("synset without a name".into()));
                continue;
            }
            d.synsets += 1;
            open_set = Some((name, Vec::new()));
        } else if l.starts_with('~') {
            d.transformations += 1;
        } else if let Some(body) = l.strip_prefix('-') {
            let Some((_, verbs)) = block.as_mut() else {
                d.errors.push(bad("pattern outside a verb block".into()));
                continue;
            };
            match pattern(body, &synsets, cameo, codes) {
                Ok(p) => {
                    d.patterns += 1;
                    for v in verbs.iter() {
                        let mut q = p.clone();
                        q.source = format!("{file}:{line_no}");
                        let mut pre: Vec<Word> = q.pre.clone();
                        pre.extend(v.pre.iter().cloned().map(Word::One));
                        let mut rest: Vec<Word> = v.rest.iter().cloned().map(Word::One).collect();
                        rest.extend(q.rest.iter().cloned());
                        q.prep =
                            rest.last().and_then(Word::text).filter(|w| PREPOSITIONS.contains(w)).map(String::from);
                        q.pre = pre;
                        q.rest = rest;
                        d.verbs[v.entry].patterns.push(Arc::new(q));
                    }
                }
                Err(m) => d.errors.push(bad(m)),
            }
        } else {
            let Some((block_code, verbs)) = block.as_mut() else {
                d.errors.push(bad(format!("verb {l:?} outside a verb block")));
                continue;
            };
            match verb_line(l, cameo, codes) {
                Ok(mut v) => {
                    d.verb_lines += 1;
                    let code = v.code.clone().or_else(|| block_code.clone());
                    let mut patterns = Vec::new();
                    if let Some((active, paired)) = code {
                        patterns.push(Arc::new(Pattern {
                            code: active,
                            rest: v.rest.iter().cloned().map(Word::One).collect(),
                            phrase: l.split('[').next().unwrap_or(l).trim().to_string(),
                            source: format!("{file}:{line_no}"),
                            prep: None,
                            reverse: false,
                            pre: v.pre.iter().cloned().map(Word::One).collect(),
                            paired,
                            gap: crate::lexicon::GAP,
                            loose_pre: false,
                            reciprocal: false,
                        }));
                    }
                    v.entry = d.verbs.len();
                    d.verbs.push(VerbEntry { forms: v.forms.clone(), patterns });
                    verbs.push(v);
                }
                Err(m) => d.errors.push(bad(m)),
            }
        }
    }
    if let Some((name, phrases)) = open_set.take() {
        synsets.insert(name.clone(), Arc::new(Synset { name, phrases }));
    }
    d
}

/// Removes `<!-- … -->` (which may span lines) and `#` comments.
fn strip_comment(raw: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = raw;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(p) => {
                    rest = &rest[p + 3..];
                    *in_comment = false;
                }
                None => break,
            }
        } else {
            match rest.find("<!--") {
                Some(p) => {
                    out.push_str(&rest[..p]);
                    rest = &rest[p + 4..];
                    *in_comment = true;
                }
                None => {
                    out.push_str(rest);
                    break;
                }
            }
        }
    }
    if let Some(p) = out.find('#') {
        out.truncate(p);
    }
    out
}

/// A synset's key: upper-case, without TABARI's trailing `_`.
fn set_name(s: &str) -> String {
    s.trim().trim_end_matches('_').to_uppercase()
}

/// Lower-case words of a phrase; `_` and spaces both separate words.
fn split_words(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == '_').filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The text inside the last `[…]` of a line.
fn bracket(l: &str) -> Option<&str> {
    let open = l.rfind('[')?;
    let close = l[open..].find(']')? + open;
    Some(l[open + 1..close].trim())
}

/// `CODE`, `ACTIVE:PASSIVE`, `:PASSIVE` or `---`. `None` is the null code; an empty string in a
/// half means that use yields no event.
fn parse_code(s: &str, cameo: &Table, codes: Codes) -> Result<Code, String> {
    let one = |c: &str| -> Result<String, String> {
        let c = c.trim();
        if c.is_empty() || c == "---" {
            return Ok(String::new());
        }
        let ok = match codes {
            Codes::Cameo => cameo.get(c).is_some(),
            Codes::Any => c.len() <= 6 && c.chars().all(|ch| ch.is_ascii_alphanumeric()),
        };
        if ok {
            Ok(c.to_string())
        } else if codes == Codes::Cameo {
            Err(format!("{c:?} is not a CAMEO code"))
        } else {
            Err(format!("{c:?} is not a code (1-6 letters or digits)"))
        }
    };
    if s == "---" {
        return Ok(None);
    }
    match s.split_once(':') {
        Some((a, p)) => Ok(Some((one(a)?, Some(one(p)?)))),
        None => Ok(Some((one(s)?, None))),
    }
}

/// `VERB`, `VERB {FORMS}`, `+MULTI_WORD {…}`, `RE_+ARREST`, each with an optional `[CODE]`.
fn verb_line(l: &str, cameo: &Table, codes: Codes) -> Result<BlockVerb, String> {
    let code = match bracket(l) {
        Some(c) => parse_code(c, cameo, codes)?,
        None => None,
    };
    let head_part = l.split('[').next().unwrap_or(l);
    let (phrase, braces) = match head_part.split_once('{') {
        Some((p, b)) => {
            let Some(inner) = b.split('}').next().filter(|_| b.contains('}')) else {
                return Err(format!("unclosed `{{` in verb line {l:?}"));
            };
            (p.trim(), Some(inner))
        }
        None => (head_part.trim(), None),
    };
    let phrase = phrase.split_whitespace().next().ok_or_else(|| format!("empty verb line {l:?}"))?;
    let parts: Vec<&str> = phrase.split('_').filter(|w| !w.is_empty()).collect();
    if parts.is_empty() {
        return Err(format!("verb line without a verb {l:?}"));
    }
    let head = parts.iter().position(|w| w.starts_with('+')).unwrap_or(0);
    let word = |w: &str| w.trim_start_matches('+').to_lowercase();
    if word(parts[head]).is_empty() || !word(parts[head]).chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'') {
        return Err(format!("{:?} is not a verb", parts[head]));
    }
    let base = word(parts[head]);
    let mut forms = vec![base.clone()];
    match braces {
        Some(inner) => {
            for f in inner.split_whitespace() {
                let fp: Vec<&str> = f.split('_').filter(|w| !w.is_empty()).collect();
                let k = fp.iter().position(|w| w.starts_with('+')).unwrap_or(head.min(fp.len().saturating_sub(1)));
                if let Some(w) = fp.get(k) {
                    forms.push(word(w));
                }
            }
        }
        None => forms = inflections(&base),
    }
    forms.sort();
    forms.dedup();
    Ok(BlockVerb {
        forms,
        pre: parts[..head].iter().map(|w| word(w)).collect(),
        rest: parts[head + 1..].iter().map(|w| word(w)).collect(),
        code,
        entry: 0,
    })
}

/// One pattern line after the `-`.
fn pattern(body: &str, synsets: &HashMap<String, Arc<Synset>>, cameo: &Table, codes: Codes) -> Result<Pattern, String> {
    let Some(code_text) = bracket(body) else { return Err(format!("pattern without [CODE]: {:?}", body.trim())) };
    let code = parse_code(code_text, cameo, codes)?;
    let (active, paired) = code.unwrap_or_default();
    let text = body[..body.rfind('[').unwrap_or(body.len())].trim();
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '_' | '{' | '}' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    let Some(star) = tokens.iter().position(|t| *t == "*") else {
        return Err(format!("pattern without the verb marker `*`: {text:?}"));
    };
    if tokens.iter().filter(|t| **t == "*").count() > 1 {
        return Err(format!("pattern with more than one `*`: {text:?}"));
    }
    let mut pre = Vec::new();
    let mut rest = Vec::new();
    let mut reverse = false;
    let mut reciprocal = false;
    for (k, t) in tokens.iter().enumerate() {
        let after = k > star;
        let w = match *t {
            "*" | "^" => continue,
            "$" => {
                reverse |= after;
                continue;
            }
            "+" => {
                reverse |= !after;
                continue;
            }
            "%" => {
                reciprocal = true;
                continue;
            }
            t if t.starts_with('&') => {
                let name = set_name(&t[1..]);
                let s =
                    resolve(&name, synsets, 0).ok_or_else(|| format!("pattern refers to undefined synset &{name}"))?;
                Word::Set(s)
            }
            t => {
                let w = t.trim_start_matches(['+', '$', '%']).to_lowercase();
                if w.is_empty() {
                    continue;
                }
                Word::One(w)
            }
        };
        if after {
            rest.push(w);
        } else {
            pre.push(w);
        }
    }
    let prep = rest.last().and_then(Word::text).filter(|w| PREPOSITIONS.contains(w)).map(String::from);
    Ok(Pattern {
        code: active,
        rest,
        phrase: text.to_string(),
        source: String::new(),
        prep,
        reverse,
        pre,
        paired,
        gap: PATTERN_GAP,
        loose_pre: true,
        reciprocal,
    })
}

fn resolve(name: &str, synsets: &HashMap<String, Arc<Synset>>, depth: usize) -> Option<Arc<Synset>> {
    if depth > MAX_NESTING {
        return None;
    }
    synsets.get(name).cloned()
}
