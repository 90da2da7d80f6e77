//! A lemmatiser learned from a treebank: an exception table keyed by (lower-cased form, XPOS) plus
//! suffix-rewrite rules per XPOS for unseen forms, both trained by [`train`].
//!
//! Every lemma is an [`Edit`] of its form: optionally lower-case it, strip `n` characters, append a
//! string (`was` → lower, strip 3, add `be`). Rules map (XPOS, last 0–5 characters of the lower-cased
//! form) to the most frequent edit among training words with that ending; the longest ending seen
//! at least [`MIN_RULE_COUNT`] times wins, unless a shorter one yields a lemma seen in training. The table keeps only the training words whose most frequent
//! edit the rules get wrong. The model is a small text file (`DYADLEM1`), one entry a line.

use std::collections::HashMap;

/// Model file magic and version (first line of the text file).
const MAGIC: &str = "DYADLEM1";
/// Longest form ending a rule looks at, in characters.
const MAX_SUFFIX: usize = 5;
/// A rule needs at least this many training word types behind it.
const MIN_RULE_COUNT: u32 = 2;

/// How a lemma is made from its form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Edit {
    pub lower: bool,
    pub strip: u8,
    pub add: String,
}

impl Edit {
    /// The edit turning `form` into `lemma`, preferring the one that strips fewest characters
    /// (ties: lower-case, except for proper nouns).
    pub fn between(form: &str, lemma: &str, proper: bool) -> Edit {
        let make = |base: &str, lower: bool| {
            let common = base.chars().zip(lemma.chars()).take_while(|(a, b)| a == b).count();
            let strip = base.chars().count() - common;
            let add: String = lemma.chars().skip(common).collect();
            if strip > u8::MAX as usize {
                Edit { lower, strip: u8::MAX, add: lemma.to_string() }
            } else {
                Edit { lower, strip: strip as u8, add }
            }
        };
        let keep = make(form, false);
        let low = make(&form.to_lowercase(), true);
        let cost = |e: &Edit| (e.strip as usize, e.add.len());
        match cost(&keep).cmp(&cost(&low)) {
            std::cmp::Ordering::Less => keep,
            std::cmp::Ordering::Greater => low,
            std::cmp::Ordering::Equal if proper => keep,
            std::cmp::Ordering::Equal => low,
        }
    }

    pub fn apply(&self, form: &str) -> String {
        let mut s = if self.lower { form.to_lowercase() } else { form.to_string() };
        let n = s.chars().count();
        let keep = n.saturating_sub(self.strip as usize);
        if let Some((i, _)) = s.char_indices().nth(keep) {
            s.truncate(i);
        }
        s.push_str(&self.add);
        s
    }

    fn write(&self) -> String {
        format!("{}{}:{}", if self.lower { 'L' } else { 'K' }, self.strip, self.add)
    }

    fn read(s: &str) -> Option<Edit> {
        let lower = match s.as_bytes().first()? {
            b'L' => true,
            b'K' => false,
            _ => return None,
        };
        let (n, add) = s[1..].split_once(':')?;
        Some(Edit { lower, strip: n.parse().ok()?, add: add.to_string() })
    }
}

#[derive(Debug, Default, Clone)]
pub struct Lemmatizer {
    /// lower-cased form -> (XPOS, edit) exceptions.
    table: HashMap<String, Vec<(String, Edit)>>,
    /// (XPOS, lower-cased ending) -> edit.
    rules: HashMap<(String, String), Edit>,
    /// Lower-cased lemmas seen in training: a rule whose output is one of them beats a longer one.
    known: std::collections::HashSet<String>,
}

fn is_proper(xpos: &str) -> bool {
    xpos.starts_with("NNP")
}

fn ending(lower: &str, k: usize) -> Option<&str> {
    if k == 0 {
        return Some("");
    }
    let (i, _) = lower.char_indices().rev().nth(k - 1)?;
    Some(&lower[i..])
}

impl Lemmatizer {
    /// The lemma of a word given its PTB tag.
    pub fn lemma(&self, form: &str, xpos: &str) -> String {
        let lower = form.to_lowercase();
        if let Some(es) = self.table.get(&lower) {
            if let Some((_, e)) = es.iter().find(|(x, _)| x == xpos) {
                return e.apply(form);
            }
        }
        self.by_rule(form, &lower, xpos).apply(form)
    }

    fn by_rule(&self, form: &str, lower: &str, xpos: &str) -> Edit {
        // Codes and dates with digits ("EB3326", "01-Feb-02") keep their form.
        if form.chars().any(|c| c.is_ascii_digit()) && form.chars().any(char::is_alphabetic) {
            return Edit { lower: false, strip: 0, add: String::new() };
        }
        let n = lower.chars().count();
        let mut key = (xpos.to_string(), String::new());
        let mut first = None;
        for k in (0..=MAX_SUFFIX.min(n)).rev() {
            let Some(end) = ending(lower, k) else { continue };
            key.1.clear();
            key.1.push_str(end);
            if let Some(e) = self.rules.get(&key) {
                if self.known.contains(&e.apply(lower)) {
                    return e.clone();
                }
                first.get_or_insert(e);
            }
        }
        if let Some(e) = first {
            return e.clone();
        }
        // No rule for this tag: numbers, symbols and names keep their form, other words lower-case.
        let keep = is_proper(xpos) || !form.chars().any(char::is_alphabetic);
        Edit { lower: !keep, strip: 0, add: String::new() }
    }

    pub fn len(&self) -> (usize, usize) {
        (self.table.values().map(Vec::len).sum(), self.rules.len())
    }

    /// Writes the model as text: `T form xpos edit` and `R xpos ending edit` lines, tab-separated.
    pub fn to_text(&self) -> String {
        let mut lines = Vec::new();
        for (form, es) in &self.table {
            for (x, e) in es {
                lines.push(format!("T\t{form}\t{x}\t{}", e.write()));
            }
        }
        for ((x, end), e) in &self.rules {
            lines.push(format!("R\t{x}\t{end}\t{}", e.write()));
        }
        for l in &self.known {
            lines.push(format!("W\t{l}"));
        }
        lines.sort();
        let mut out = format!("{MAGIC}\n");
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
        out
    }

    /// Reads a model written by [`Lemmatizer::to_text`]; errors name the line.
    pub fn from_text(text: &str) -> Result<Lemmatizer, String> {
        let mut lines = text.lines();
        if lines.next() != Some(MAGIC) {
            return Err("not a dyad lemmatiser model (bad magic)".into());
        }
        let mut m = Lemmatizer::default();
        for (n, line) in lines.enumerate() {
            let f: Vec<&str> = line.split('\t').collect();
            let bad = || format!("lemmatiser model line {}: malformed entry {line:?}", n + 2);
            if f.len() == 2 && f[0] == "W" {
                m.known.insert(f[1].to_string());
                continue;
            }
            if f.len() != 4 {
                return Err(bad());
            }
            let e = Edit::read(f[3]).ok_or_else(bad)?;
            match f[0] {
                "T" => m.table.entry(f[1].to_string()).or_default().push((f[2].to_string(), e)),
                "R" => {
                    m.rules.insert((f[1].to_string(), f[2].to_string()), e);
                }
                _ => return Err(bad()),
            }
        }
        Ok(m)
    }
}

/// Learns the lemmatiser from (form, XPOS, lemma) triples, e.g. every word of a treebank's train split.
pub fn train<'a>(words: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Lemmatizer {
    // Edit counts per (lower form, xpos), then rules from word types.
    let mut seen: HashMap<(String, String), HashMap<Edit, u32>> = HashMap::new();
    let mut literal: HashMap<(String, String), HashMap<&str, u32>> = HashMap::new();
    for (form, xpos, lemma) in words {
        let e = Edit::between(form, lemma, is_proper(xpos));
        let key = (form.to_lowercase(), xpos.to_string());
        *literal.entry(key.clone()).or_default().entry(lemma).or_default() += 1;
        *seen.entry(key).or_default().entry(e).or_default() += 1;
    }
    let best = |c: &HashMap<Edit, u32>| -> Edit {
        // Most frequent; ties broken by the edit's order so training is deterministic.
        c.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(e, _)| e.clone()).unwrap_or(Edit {
            lower: true,
            strip: 0,
            add: String::new(),
        })
    };
    let mut rule_counts: HashMap<(String, String), HashMap<Edit, u32>> = HashMap::new();
    for ((lower, xpos), c) in &seen {
        let e = best(c);
        let n = lower.chars().count();
        for k in (e.strip as usize)..=MAX_SUFFIX.min(n) {
            if let Some(end) = ending(lower, k) {
                *rule_counts.entry((xpos.clone(), end.to_string())).or_default().entry(e.clone()).or_default() += 1;
            }
        }
    }
    let mut m = Lemmatizer {
        known: literal.values().flat_map(|c| c.keys().map(|l| l.to_lowercase())).collect(),
        ..Lemmatizer::default()
    };
    for (key, c) in rule_counts {
        let e = best(&c);
        if c[&e] >= MIN_RULE_COUNT {
            m.rules.insert(key, e);
        }
    }
    let mut keys: Vec<&(String, String)> = seen.keys().collect();
    keys.sort();
    for key in keys {
        let e = best(&seen[key]);
        let (lower, xpos) = key;
        // A lemma whose case does not follow the form's ("i" and "I" are both "I") is kept
        // literally when that covers more occurrences than the best edit.
        let lit = literal[key].iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)));
        let e = match lit {
            Some((l, &n)) if n > seen[key][&e] => Edit { lower: true, strip: u8::MAX, add: l.to_string() },
            _ => e,
        };
        // Keep the entry unless the rule gives the same edit.
        if m.by_rule(lower, lower, xpos) != e {
            m.table.entry(lower.clone()).or_default().push((xpos.clone(), e));
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_round_trip() {
        for (f, l, p) in [
            ("was", "be", false),
            ("Dogs", "dog", false),
            ("Americans", "American", true),
            ("The", "the", false),
            ("Paris", "Paris", true),
            ("GOODWYN", "Goodwyn", true),
            ("running", "run", false),
            ("", "", false),
            ("🙂s", "🙂", false),
        ] {
            let e = Edit::between(f, l, p);
            assert_eq!(e.apply(f), l, "{f} -> {l} via {e:?}");
            assert_eq!(Edit::read(&e.write()), Some(e));
        }
        assert_eq!(Edit::between("Dogs", "dog", false), Edit { lower: true, strip: 1, add: "".into() });
    }

    #[test]
    fn rules_generalise_to_unseen_words() {
        let data = [
            ("walked", "VBD", "walk"),
            ("talked", "VBD", "talk"),
            ("jumped", "VBD", "jump"),
            ("cats", "NNS", "cat"),
            ("dogs", "NNS", "dog"),
            ("boxes", "NNS", "box"),
            ("foxes", "NNS", "fox"),
            ("went", "VBD", "go"),
            ("Paris", "NNP", "Paris"),
            ("Rome", "NNP", "Rome"),
            ("The", "DT", "the"),
        ];
        let m = train(data);
        assert_eq!(m.lemma("parked", "VBD"), "park");
        assert_eq!(m.lemma("Hats", "NNS"), "hat");
        assert_eq!(m.lemma("taxes", "NNS"), "tax");
        assert_eq!(m.lemma("went", "VBD"), "go");
        assert_eq!(m.lemma("London", "NNP"), "London");
        assert_eq!(m.lemma("THE", "DT"), "the");
        assert_eq!(m.lemma("3.5", "CD"), "3.5");
        assert_eq!(m.lemma("", "NN"), "");
        let back = Lemmatizer::from_text(&m.to_text()).unwrap();
        assert_eq!(back.to_text(), m.to_text());
        assert!(Lemmatizer::from_text("DYADLEM1\nT\tx\n").unwrap_err().contains("line 2"));
        assert!(Lemmatizer::from_text("").is_err());
    }
}
