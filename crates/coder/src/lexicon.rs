//! dyad's verb and phrase lexicon (`data/verbs.txt`). Format, one entry per line, `#` comments:
//!
//! ```text
//! CODE | phrase; phrase; …          # verbs and event nouns coded CODE
//! @CLASS | word; word; …            # complement verbs (see below)
//! ```
//!
//! A **verb phrase** is a verb in its base form, then the words that must follow it in order
//! (particles, prepositions, object nouns), with at most two other words before each:
//! `meet`, `meet with`, `call on`, `impose sanction on`, `hold talks`. Every inflection of the verb
//! matches (`met`, `meets`, `meeting`). An object noun matches its plural too.
//! When the phrase ends in a preposition, the target is that preposition's object ("impose sanctions
//! **on** Russia"). A phrase ending in `!` reverses the roles: the object or prepositional actor is the
//! source and the subject the target (`receive aid from!`: "A received aid from B" is B → A).
//!
//! An **event noun** is written `n:noun …` (`n:summit`, `n:visit to`, `n:abduction`): the noun in the
//! singular (its plural matches too), with arguments from the parse: "between A and B", "of X by Y",
//! "A's invasion of B", "talks with B".
//!
//! A **complement class** names verbs (and adjectives) that take another event as their complement and
//! change its code: `@intent` ("agreed to meet" → 036, "vowed to attack" → 138), `@appeal` ("urged B
//! to negotiate" → 026), `@demand` (→ 10x), `@reject` ("refused to meet" → 125), `@threaten`
//! ("threatened to impose sanctions" → 1312), `@say` (reported speech: the reported event is coded
//! as reported), `@transparent` ("began to withdraw" codes the withdrawal), `@light` (verbs whose
//! event-noun object carries the event: "held talks", "launched an attack").

use crate::cameo::Table;
use crate::CoderError;
use std::collections::HashMap;
use std::sync::Arc;

/// One word of a pattern: a word (its plural matches too), or a PETRARCH synset, any of whose
/// phrases (consecutive words) matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Word {
    One(String),
    Set(Arc<Synset>),
}

/// A named set of phrases (`&CURRENCY`: `+DOLLARS`, `+SWISS FRANCS` …), lower-case words.
#[derive(Debug, Clone, PartialEq)]
pub struct Synset {
    pub name: String,
    pub phrases: Vec<Vec<String>>,
}

impl Word {
    /// The end of this word (or synset phrase) when it starts at `forms[at]`.
    fn at(&self, forms: &[&str], at: usize) -> Option<usize> {
        match self {
            Word::One(w) => forms.get(at).filter(|f| same_word(f, w)).map(|_| at + 1),
            Word::Set(s) => s
                .phrases
                .iter()
                .filter(|p| !p.is_empty())
                .find(|p| p.iter().enumerate().all(|(k, w)| forms.get(at + k).is_some_and(|f| same_word(f, w))))
                .map(|p| at + p.len()),
        }
    }
    /// The start of this word when it ends at `forms[end - 1]`.
    fn ending_at(&self, forms: &[&str], end: usize) -> Option<usize> {
        match self {
            Word::One(w) => (end > 0 && same_word(forms[end - 1], w)).then(|| end - 1),
            Word::Set(s) => s.phrases.iter().filter(|p| !p.is_empty() && p.len() <= end).find_map(|p| {
                let start = end - p.len();
                p.iter().enumerate().all(|(k, w)| same_word(forms[start + k], w)).then_some(start)
            }),
        }
    }
    /// The word itself, for a preposition test.
    pub fn text(&self) -> Option<&str> {
        match self {
            Word::One(w) => Some(w),
            Word::Set(_) => None,
        }
    }
}

/// A complement class (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    Intent,
    Appeal,
    Demand,
    Reject,
    Threaten,
    Say,
    Transparent,
    Light,
}

impl Class {
    fn parse(s: &str) -> Option<Class> {
        Some(match s {
            "intent" => Class::Intent,
            "appeal" => Class::Appeal,
            "demand" => Class::Demand,
            "reject" => Class::Reject,
            "threaten" => Class::Threaten,
            "say" => Class::Say,
            "transparent" => Class::Transparent,
            "light" => Class::Light,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            Class::Intent => "intent",
            Class::Appeal => "appeal",
            Class::Demand => "demand",
            Class::Reject => "reject",
            Class::Threaten => "threaten",
            Class::Say => "say",
            Class::Transparent => "transparent",
            Class::Light => "light",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub code: String,
    /// The words after the head word, which must follow it in order.
    pub rest: Vec<Word>,
    pub phrase: String,
    /// `file:line`.
    pub source: String,
    /// The target is the object of this final preposition.
    pub prep: Option<String>,
    /// Roles reversed (`!`).
    pub reverse: bool,
    /// Words right before the head word (event nouns whose head is last: `n:hunger strike`).
    pub pre: Vec<Word>,
    /// The paired code of TABARI's `[CODE:PAIRED]`: the same event seen from the other side,
    /// coded target → source in addition ("A visited B" `[042:043]`: A → B 042 and B → A 043).
    /// An empty `code` with a paired one (`[:173]`) codes only the reversed event.
    pub paired: Option<String>,
    /// At most this many tokens between consecutive words of the pattern (before the first word
    /// of `rest` too); dyad's own phrases use [`GAP`].
    pub gap: usize,
    /// `pre` words may stand anywhere (in order) within `gap` tokens of each other before the head,
    /// not only right before it (PETRARCH's pre-verb nouns).
    pub loose_pre: bool,
    /// The subject's conjuncts act on each other (TABARI's `%`).
    pub reciprocal: bool,
}

/// Tokens allowed between consecutive words of one of dyad's own phrases.
pub const GAP: usize = 3;

impl Pattern {
    /// Whether `form` is one of the words (or synset phrases) of the pattern.
    pub fn mentions(&self, form: &str) -> bool {
        self.pre.iter().chain(&self.rest).any(|w| match w {
            Word::One(x) => same_word(form, x),
            Word::Set(s) => s.phrases.iter().flatten().any(|x| same_word(form, x)),
        })
    }
}

#[derive(Debug, Default)]
pub struct Lexicon {
    /// Inflected verb form → patterns, longest first.
    by_form: HashMap<String, Vec<Arc<Pattern>>>,
    /// Noun form (singular and plural) → patterns, longest first.
    by_noun: HashMap<String, Vec<Arc<Pattern>>>,
    classes: HashMap<String, Class>,
    entries: usize,
    fingerprint: String,
    /// Codes were not checked against the CAMEO table (TABARI's WEIS-coded validation file).
    foreign_codes: bool,
    has_reciprocal: bool,
}

/// One phrase found in a sentence: tokens `[first, last)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Match<'a> {
    pub first: usize,
    pub last: usize,
    pub pattern: &'a Pattern,
    pub noun: bool,
}

/// Prepositions that may end a phrase and name the target.
pub const PREPOSITIONS: [&str; 24] = [
    "with", "to", "on", "against", "into", "at", "toward", "towards", "from", "for", "over", "upon", "of", "in",
    "about", "by", "between", "among", "across", "onto", "off", "out", "up", "down",
];

const IRREGULAR: [(&str, &[&str]); 60] = [
    ("meet", &["met"]),
    ("hold", &["held"]),
    ("give", &["gave", "given"]),
    ("send", &["sent"]),
    ("fight", &["fought"]),
    ("strike", &["struck", "stricken"]),
    ("make", &["made"]),
    ("take", &["took", "taken"]),
    ("speak", &["spoke", "spoken"]),
    ("sell", &["sold"]),
    ("lead", &["led"]),
    ("break", &["broke", "broken"]),
    ("bring", &["brought"]),
    ("seek", &["sought"]),
    ("shoot", &["shot"]),
    ("tell", &["told"]),
    ("say", &["said"]),
    ("win", &["won"]),
    ("draw", &["drew", "drawn"]),
    ("cut", &["cut"]),
    ("hit", &["hit"]),
    ("put", &["put"]),
    ("set", &["set"]),
    ("shut", &["shut"]),
    ("let", &["let"]),
    ("quit", &["quit"]),
    ("beat", &["beaten"]),
    ("bid", &["bid"]),
    ("spread", &["spread"]),
    ("forbid", &["forbade", "forbidden"]),
    ("forgive", &["forgave", "forgiven"]),
    ("withdraw", &["withdrew", "withdrawn"]),
    ("overthrow", &["overthrew", "overthrown"]),
    ("throw", &["threw", "thrown"]),
    ("blow", &["blew", "blown"]),
    ("undertake", &["undertook", "undertaken"]),
    ("arise", &["arose", "arisen"]),
    ("flee", &["fled"]),
    ("feed", &["fed"]),
    ("keep", &["kept"]),
    ("lend", &["lent"]),
    ("spend", &["spent"]),
    ("build", &["built"]),
    ("buy", &["bought"]),
    ("teach", &["taught"]),
    ("catch", &["caught"]),
    ("seize", &["seized"]),
    ("stand", &["stood"]),
    ("understand", &["understood"]),
    ("uphold", &["upheld"]),
    ("withhold", &["withheld"]),
    ("swear", &["swore", "sworn"]),
    ("write", &["wrote", "written"]),
    ("ride", &["rode", "ridden"]),
    ("drive", &["drove", "driven"]),
    ("rise", &["rose", "risen"]),
    ("go", &["went", "gone", "goes"]),
    ("do", &["did", "done", "does"]),
    ("be", &["was", "were", "been", "is", "are", "am"]),
    ("have", &["had", "has"]),
];

/// Verbs whose final consonant doubles before -ed/-ing although they are longer than one syllable.
const DOUBLING: [&str; 12] = [
    "commit", "compel", "control", "equip", "expel", "occur", "patrol", "propel", "rebel", "regret", "submit",
    "transfer",
];

/// Every inflection of an English verb: base, -s, -ed, -ing, and irregular forms.
pub fn inflections(base: &str) -> Vec<String> {
    let mut out = vec![base.to_string()];
    let cons = |c: char| !"aeiou".contains(c);
    let chars: Vec<char> = base.chars().collect();
    let n = chars.len();
    if n == 0 {
        return out;
    }
    let last = chars[n - 1];
    if base.ends_with(['s', 'x', 'z']) || base.ends_with("ch") || base.ends_with("sh") {
        out.push(format!("{base}es"));
    } else if last == 'y' && n > 1 && cons(chars[n - 2]) {
        out.push(format!("{}ies", &base[..base.len() - 1]));
    } else {
        out.push(format!("{base}s"));
    }
    if last == 'e' {
        out.push(format!("{base}d"));
        if base.ends_with("ee") {
            out.push(format!("{base}ing"));
        } else {
            out.push(format!("{}ing", &base[..base.len() - 1]));
        }
    } else if last == 'y' && n > 1 && cons(chars[n - 2]) {
        out.push(format!("{}ied", &base[..base.len() - 1]));
        out.push(format!("{base}ing"));
    } else {
        let short =
            n >= 3 && cons(last) && !"wxy".contains(last) && !cons(chars[n - 2]) && cons(chars[n - 3]) && n <= 4;
        if short || DOUBLING.contains(&base) {
            out.push(format!("{base}{last}ed"));
            out.push(format!("{base}{last}ing"));
        }
        out.push(format!("{base}ed"));
        out.push(format!("{base}ing"));
    }
    if let Some((_, irr)) = IRREGULAR.iter().find(|(b, _)| *b == base) {
        out.retain(|f| !f.ends_with("ed") || f == base);
        out.extend(irr.iter().map(|s| s.to_string()));
    }
    out.sort();
    out.dedup();
    out
}

/// Singular and plural of a noun ("talk" → "talks", "party" → "parties", "talks" stays).
pub fn noun_forms(noun: &str) -> Vec<String> {
    let mut out = vec![noun.to_string()];
    let n = noun.len();
    if noun.ends_with("ss") || noun.ends_with(['x', 'z']) || noun.ends_with("ch") || noun.ends_with("sh") {
        out.push(format!("{noun}es"));
    } else if noun.ends_with('s') {
        // Already a plural ("talks", "sanctions"): the singular matches too.
        out.push(noun[..n - 1].to_string());
    } else if noun.ends_with('y') && n > 1 && !"aeiou".contains(&noun[n - 2..n - 1]) {
        out.push(format!("{}ies", &noun[..n - 1]));
    } else {
        out.push(format!("{noun}s"));
    }
    out
}

impl Lexicon {
    pub fn parse(file: &str, text: &str, cameo: &Table) -> Result<Lexicon, CoderError> {
        let mut lex = Lexicon::default();
        let mut h = blake3::Hasher::new();
        h.update(text.as_bytes());
        for (n, raw) in text.lines().enumerate() {
            let l = raw.split(" #").next().unwrap_or("").trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let bad = |m: String| CoderError { file: file.into(), line: n + 1, message: m };
            let Some((code, phrases)) = l.split_once('|') else {
                return Err(bad("expected `CODE | phrases` or `@class | words`".into()));
            };
            let code = code.trim();
            if let Some(class) = code.strip_prefix('@') {
                let class = Class::parse(class).ok_or_else(|| bad(format!("unknown complement class {class:?}")))?;
                for w in phrases.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                    for f in inflections(&w.to_lowercase()) {
                        lex.classes.insert(f, class);
                    }
                    lex.entries += 1;
                }
                continue;
            }
            if cameo.get(code).is_none() {
                return Err(bad(format!("{code:?} is not a CAMEO code in the table")));
            }
            for phrase in phrases.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                let (phrase_txt, reverse) = match phrase.strip_suffix('!') {
                    Some(p) => (p.trim(), true),
                    None => (phrase, false),
                };
                let (noun, body) = match phrase_txt.strip_prefix("n:") {
                    Some(p) => (true, p.trim()),
                    None => (false, phrase_txt),
                };
                let words: Vec<String> = body.split_whitespace().map(str::to_lowercase).collect();
                if words.is_empty() {
                    return Err(bad(format!("empty phrase in {phrase:?}")));
                }
                let prep = words[1..].last().filter(|w| PREPOSITIONS.contains(&w.as_str())).cloned();
                // The head of an event noun is the last word before the first preposition.
                let head = if noun {
                    words.iter().position(|w| PREPOSITIONS.contains(&w.as_str())).unwrap_or(words.len()).max(1) - 1
                } else {
                    0
                };
                let pat = Pattern {
                    code: code.to_string(),
                    rest: words[head + 1..].iter().cloned().map(Word::One).collect(),
                    phrase: phrase.to_string(),
                    source: format!("{file}:{}", n + 1),
                    prep,
                    reverse,
                    pre: words[..head].iter().cloned().map(Word::One).collect(),
                    paired: None,
                    gap: GAP,
                    loose_pre: false,
                    reciprocal: false,
                };
                lex.entries += 1;
                let pat = Arc::new(pat);
                if noun {
                    for form in noun_forms(&words[head]) {
                        lex.by_noun.entry(form).or_default().push(pat.clone());
                    }
                } else {
                    for form in inflections(&words[0]) {
                        lex.by_form.entry(form).or_default().push(pat.clone());
                    }
                }
            }
        }
        lex.sort();
        lex.fingerprint = h.finalize().to_hex()[..12].to_string();
        Ok(lex)
    }

    /// Longest patterns first; among equals, earlier ones (dyad's own, when merged) first.
    /// Among equals, reciprocal patterns (tried only for compound subjects) come first.
    fn sort(&mut self) {
        for pats in self.by_form.values_mut().chain(self.by_noun.values_mut()) {
            pats.sort_by_key(|p| (std::cmp::Reverse(p.rest.len() + p.pre.len()), !p.reciprocal));
        }
        self.has_reciprocal = self.by_form.values().flatten().any(|p| p.reciprocal);
    }

    /// A lexicon of verb patterns read from another format (see [`crate::verbdict`]), alone or on
    /// top of `base` (dyad's own, whose complement classes are kept).
    pub fn with_verbs(base: Option<&Lexicon>, dict: &crate::verbdict::VerbDict) -> Lexicon {
        let mut lex = Lexicon::default();
        let mut h = blake3::Hasher::new();
        if let Some(b) = base {
            lex.by_form = b.by_form.clone();
            lex.by_noun = b.by_noun.clone();
            lex.classes = b.classes.clone();
            lex.entries = b.entries;
            h.update(b.fingerprint.as_bytes());
        } else {
            // Syntax rather than vocabulary: verbs that pass a complement through unchanged
            // ("was seen to break", "began to withdraw") or report it ("said"). The classes that
            // recode the complement assume CAMEO codes and stay with dyad's own verbs.
            let own = include_str!("../data/verbs.txt");
            if let Some(b) = Table::builtin().ok().and_then(|c| Lexicon::parse("verbs.txt", own, &c).ok()) {
                lex.classes = b
                    .classes
                    .into_iter()
                    .filter(|(_, c)| matches!(c, Class::Transparent | Class::Say | Class::Light))
                    .collect();
            }
        }
        h.update(dict.fingerprint.as_bytes());
        for v in &dict.verbs {
            for form in &v.forms {
                lex.by_form.entry(form.clone()).or_default().extend(v.patterns.iter().cloned());
            }
            lex.entries += v.patterns.len();
        }
        lex.foreign_codes = !dict.cameo_codes;
        lex.sort();
        lex.fingerprint = h.finalize().to_hex()[..12].to_string();
        lex
    }

    /// Whether codes may lie outside the CAMEO table (a TABARI/WEIS verb file read leniently).
    pub fn foreign_codes(&self) -> bool {
        self.foreign_codes
    }

    /// Whether the classes that recode a complement (intent, threat …) are defined: dyad's own
    /// lexicon has them, PETRARCH files alone do not.
    pub fn has_classes(&self) -> bool {
        self.classes.values().any(|c| !matches!(c, Class::Transparent | Class::Say | Class::Light))
    }

    pub fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }

    /// Verb forms and nouns known.
    pub fn len(&self) -> usize {
        self.by_form.len() + self.by_noun.len()
    }

    /// Entries (phrases and class words) as written in the file.
    pub fn entries(&self) -> usize {
        self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.by_form.is_empty() && self.by_noun.is_empty()
    }

    pub fn class_of(&self, form: &str) -> Option<Class> {
        self.classes.get(form).copied()
    }

    pub fn verb_patterns(&self, form: &str) -> &[Arc<Pattern>] {
        self.by_form.get(form).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn noun_patterns(&self, form: &str) -> &[Arc<Pattern>] {
        self.by_noun.get(form).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The longest verb phrase at token `i`, trying the form and then the lemma.
    pub fn verb_at<'a>(&'a self, forms: &[&str], lemma: &str, i: usize) -> Option<Match<'a>> {
        self.verb_at_with(forms, lemma, i, false)
    }

    /// [`Lexicon::verb_at`]; reciprocal patterns (`%`) are tried only when the subject is compound.
    pub fn verb_at_with<'a>(&'a self, forms: &[&str], lemma: &str, i: usize, compound: bool) -> Option<Match<'a>> {
        let pats = match self.by_form.get(forms[i]) {
            Some(p) => p,
            None => self.by_form.get(lemma)?,
        };
        if compound || !self.has_reciprocal {
            best(pats, forms, i, false)
        } else {
            pats.iter().map(|p| &**p).filter(|p| !p.reciprocal).find_map(|p| best_one(p, forms, i, false))
        }
    }

    /// Whether any pattern is reciprocal (`%`).
    pub fn has_reciprocal(&self) -> bool {
        self.has_reciprocal
    }

    /// The longest event-noun phrase at token `i`.
    pub fn noun_at<'a>(&'a self, forms: &[&str], lemma: &str, i: usize) -> Option<Match<'a>> {
        let pats = match self.by_noun.get(forms[i]) {
            Some(p) => p,
            None => self.by_noun.get(lemma)?,
        };
        best(pats, forms, i, true)
    }

    /// Every verb phrase in a sentence, in token order (for the token-order fallback).
    pub fn matches<'a>(&'a self, forms: &[&str]) -> Vec<Match<'a>> {
        (0..forms.len()).filter_map(|i| self.by_form.get(forms[i]).and_then(|p| best(p, forms, i, false))).collect()
    }
}

fn best<'a>(pats: &'a [Arc<Pattern>], forms: &[&str], i: usize, noun: bool) -> Option<Match<'a>> {
    pats.iter().map(|p| &**p).find_map(|p| best_one(p, forms, i, noun))
}

fn best_one<'a>(p: &'a Pattern, forms: &[&str], i: usize, noun: bool) -> Option<Match<'a>> {
    {
        if p.pre.len() > i {
            return None;
        }
        if p.loose_pre {
            if !precede(forms, i, &p.pre, p.gap) {
                return None;
            }
        } else {
            let mut end = i;
            for w in p.pre.iter().rev() {
                match w.ending_at(forms, end) {
                    Some(s) => end = s,
                    None => return None,
                }
            }
        }
        follow(forms, i + 1, &p.rest, p.gap).map(|last| Match { first: i, last, pattern: p, noun })
    }
}

/// The words of `pre` in order before `at`, the last within `gap` tokens of `at` and each within
/// `gap` tokens of the next.
fn precede(forms: &[&str], at: usize, pre: &[Word], gap: usize) -> bool {
    let mut end = at;
    for w in pre.iter().rev() {
        let lo = end.saturating_sub(gap);
        match (lo + 1..=end).rev().find_map(|e| w.ending_at(forms, e)) {
            Some(s) => end = s,
            None => return false,
        }
    }
    true
}

fn same_word(f: &str, w: &str) -> bool {
    f == w || (f.len() == w.len() + 1 && f.ends_with('s') && f.starts_with(w)) || plural_y(f, w)
}

/// The words of `rest` in order from `at`, each within `gap` tokens of the previous one; a word
/// matches its plural too. Returns the end of the match.
fn follow(forms: &[&str], mut at: usize, rest: &[Word], gap: usize) -> Option<usize> {
    for w in rest {
        let end = forms.len().min(at + gap);
        at = (at..end).find_map(|k| w.at(forms, k))?;
    }
    Some(at)
}

fn plural_y(f: &str, w: &str) -> bool {
    w.ends_with('y') && f.ends_with("ies") && f.len() == w.len() + 2 && f[..f.len() - 3] == w[..w.len() - 1]
}
