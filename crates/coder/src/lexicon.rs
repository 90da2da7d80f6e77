//! dyad's verb and phrase lexicon: `CODE | phrase; phrase …` lines, `#` comments.
//! The first word of a phrase is a verb in its base form; it matches every inflection.

use crate::cameo::Table;
use crate::CoderError;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    pub code: String,
    /// The words after the verb, which must follow it in order.
    pub rest: Vec<String>,
    pub phrase: String,
    /// `file:line`.
    pub source: String,
}

#[derive(Debug, Default)]
pub struct Lexicon {
    /// Inflected verb form → patterns.
    by_form: HashMap<String, Vec<Pattern>>,
    fingerprint: String,
}

/// One phrase found in a sentence: tokens `[first, last)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    pub first: usize,
    pub last: usize,
    pub code: String,
    pub phrase: String,
    pub source: String,
}

const IRREGULAR: [(&str, &[&str]); 22] = [
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
    // -s
    if base.ends_with(['s', 'x', 'z']) || base.ends_with("ch") || base.ends_with("sh") {
        out.push(format!("{base}es"));
    } else if last == 'y' && n > 1 && cons(chars[n - 2]) {
        out.push(format!("{}ies", &base[..base.len() - 1]));
    } else {
        out.push(format!("{base}s"));
    }
    // -ed and -ing
    if last == 'e' {
        out.push(format!("{base}d"));
        out.push(format!("{}ing", &base[..base.len() - 1]));
    } else if last == 'y' && n > 1 && cons(chars[n - 2]) {
        out.push(format!("{}ied", &base[..base.len() - 1]));
        out.push(format!("{base}ing"));
    } else {
        let double =
            n >= 3 && cons(last) && !"wxy".contains(last) && !cons(chars[n - 2]) && cons(chars[n - 3]) && n <= 4;
        if double {
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

impl Lexicon {
    pub fn parse(file: &str, text: &str, cameo: &Table) -> Result<Lexicon, CoderError> {
        let mut by_form: HashMap<String, Vec<Pattern>> = HashMap::new();
        let mut h = blake3::Hasher::new();
        h.update(text.as_bytes());
        for (n, l) in text.lines().enumerate() {
            let l = l.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let bad = |m: String| CoderError { file: file.into(), line: n + 1, message: m };
            let Some((code, phrases)) = l.split_once('|') else { return Err(bad("expected `CODE | phrases`".into())) };
            let code = code.trim();
            if cameo.get(code).is_none() {
                return Err(bad(format!("{code:?} is not a CAMEO code in the table")));
            }
            for phrase in phrases.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                let words: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
                let pat = Pattern {
                    code: code.to_string(),
                    rest: words[1..].to_vec(),
                    phrase: phrase.to_string(),
                    source: format!("{file}:{}", n + 1),
                };
                for form in inflections(&words[0]) {
                    by_form.entry(form).or_default().push(pat.clone());
                }
            }
        }
        // Longer patterns first, so "impose sanctions on" wins over "impose".
        for pats in by_form.values_mut() {
            pats.sort_by_key(|p| std::cmp::Reverse(p.rest.len()));
        }
        Ok(Lexicon { by_form, fingerprint: h.finalize().to_hex()[..12].to_string() })
    }

    pub fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }

    pub fn len(&self) -> usize {
        self.by_form.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_form.is_empty()
    }

    /// Every phrase of the lexicon in the lower-cased token forms of a sentence. The words after the
    /// verb must follow in order, with at most two other words before each ("hold new talks").
    pub fn matches(&self, forms: &[String]) -> Vec<Match> {
        let mut out = Vec::new();
        for (i, f) in forms.iter().enumerate() {
            let Some(pats) = self.by_form.get(f.as_str()) else { continue };
            for p in pats {
                if let Some(last) = follow(forms, i + 1, &p.rest) {
                    out.push(Match {
                        first: i,
                        last,
                        code: p.code.clone(),
                        phrase: p.phrase.clone(),
                        source: p.source.clone(),
                    });
                    break;
                }
            }
        }
        out
    }
}

fn follow(forms: &[String], mut at: usize, rest: &[String]) -> Option<usize> {
    for w in rest {
        let window = &forms[at.min(forms.len())..forms.len().min(at + 3)];
        let k = window.iter().position(|f| f == w)?;
        at += k + 1;
    }
    Some(at)
}
