//! Named entities (PER, ORG, LOC): a greedy averaged perceptron over BILOU tags, decoded left to
//! right with the tag transitions BILOU allows, trained by [`train`] on Universal NER English-EWT.
//!
//! Features: the word, its shape, prefixes and suffixes, the predicted UPOS of the word and its
//! neighbours, neighbouring words and shapes, the two previous entity tags, and gazetteer hits —
//! the position of the word inside the longest phrase of a list of names (countries, capitals,
//! people, organisations) given at training time and stored with the model.

use crate::perceptron::{fnv, prefix, shape, shuffle, suffix, Reader, Weights};
use dyad_model::EntityLabel;
use std::collections::HashMap;

const MAGIC: &[u8; 8] = b"DYADNER2";
const PRUNE: f32 = 0.0005;
/// The entity types UNER marks and dyad keeps (UNER's `OTH` is dropped).
pub const LABELS: [EntityLabel; 3] = [EntityLabel::PER, EntityLabel::ORG, EntityLabel::LOC];
/// Gazetteer phrases longer than this many tokens are ignored.
const MAX_PHRASE: usize = 8;

/// One sentence of an IOB2 file: words and their tags (`O`, `B-PER`, `I-LOC` …).
#[derive(Debug, Clone, Default)]
pub struct NerSentence {
    pub words: Vec<String>,
    pub tags: Vec<String>,
    /// Index of the document (`# newdoc`) the sentence belongs to.
    pub doc: usize,
}

/// A malformed line of an IOB2 file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct IobError {
    pub line: usize,
    pub message: String,
}

/// Reads the IOB2 TSV of Universal NER (`index, word, tag[, -, annotator]`, `#` comments, blank
/// lines between sentences). Tags other than PER/ORG/LOC (UNER's `OTH`, stray `B-O`) become `O`.
pub fn read_iob2(text: &str) -> Result<Vec<NerSentence>, IobError> {
    let mut out = Vec::new();
    let mut cur = NerSentence::default();
    let mut doc = 0;
    for (k, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.starts_with("# newdoc") {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            doc += 1;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let err = |message: String| IobError { line: k + 1, message };
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            return Err(err(format!("expected index, word and tag separated by tabs, got {} column(s)", cols.len())));
        }
        if cols[0].parse::<usize>().is_err() {
            return Err(err(format!("expected a word index, got {:?}", cols[0])));
        }
        let tag = match cols[2].split_once('-') {
            Some((bi @ ("B" | "I"), t)) if EntityLabel::parse(t).is_some_and(|l| LABELS.contains(&l)) => {
                format!("{bi}-{t}")
            }
            Some(("B" | "I", _)) => "O".to_string(),
            None if cols[2] == "O" => "O".to_string(),
            _ => return Err(err(format!("expected a tag O, B-TYPE or I-TYPE, got {:?}", cols[2]))),
        };
        cur.doc = doc;
        cur.words.push(cols[1].to_string());
        cur.tags.push(tag);
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Entity spans `(first, last exclusive, label)` of a tag sequence, IOB2 or BILOU; an `I-` or `L-`
/// that does not continue an entity of its type starts one (the usual lenient reading).
pub fn spans(tags: &[impl AsRef<str>]) -> Vec<(usize, usize, EntityLabel)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityLabel)> = None;
    for (i, t) in tags.iter().enumerate() {
        let t = t.as_ref();
        let (pos, label) = match t.split_once('-') {
            Some((p, l)) => (p, EntityLabel::parse(l)),
            None => ("O", None),
        };
        let Some(label) = label else {
            if let Some((s, l)) = open.take() {
                out.push((s, i, l));
            }
            continue;
        };
        let continues = matches!(pos, "I" | "L") && open.is_some_and(|(_, l)| l == label);
        if !continues {
            if let Some((s, l)) = open.take() {
                out.push((s, i, l));
            }
            open = Some((i, label));
        }
        if matches!(pos, "L" | "U") {
            if let Some((s, l)) = open.take() {
                out.push((s, i + 1, l));
            }
        }
    }
    if let Some((s, l)) = open {
        out.push((s, tags.len(), l));
    }
    out
}

/// The BILOU tags of IOB2 tags.
pub fn to_bilou(tags: &[String]) -> Vec<String> {
    let mut out = vec!["O".to_string(); tags.len()];
    for (s, e, l) in spans(tags) {
        let l = l.as_str();
        if e - s == 1 {
            out[s] = format!("U-{l}");
        } else {
            out[s] = format!("B-{l}");
            for t in &mut out[s + 1..e - 1] {
                *t = format!("I-{l}");
            }
            out[e - 1] = format!("L-{l}");
        }
    }
    out
}

/// Lists of names by entity type, matched on lower-cased tokens.
#[derive(Debug, Default, Clone)]
pub struct Gazetteer {
    /// Phrase (lower-cased tokens joined by a space) → bit set of `LABELS` indices.
    phrases: HashMap<String, u8>,
    max_len: usize,
}

impl Gazetteer {
    /// Adds a name of the given type; it is tokenized as running text would be.
    pub fn add(&mut self, name: &str, label: EntityLabel) {
        let Some(bit) = LABELS.iter().position(|&l| l == label) else { return };
        let toks = crate::tokenize(name);
        if toks.is_empty() || toks.len() > MAX_PHRASE {
            return;
        }
        let key = toks.iter().map(|s| s.text(name).to_lowercase()).collect::<Vec<_>>().join(" ");
        *self.phrases.entry(key).or_default() |= 1 << bit;
        self.max_len = self.max_len.max(toks.len());
    }

    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Per word, the gazetteer tag (`B-LOC`, `U-PER` … or empty) of the longest phrase covering it,
    /// phrases taken greedily from the left.
    fn tags(&self, lower: &[String]) -> Vec<String> {
        let mut out = vec![String::new(); lower.len()];
        if self.phrases.is_empty() {
            return out;
        }
        let mut i = 0;
        let mut key = String::new();
        while i < lower.len() {
            let mut best = None;
            key.clear();
            for n in 1..=self.max_len.min(lower.len() - i) {
                if n > 1 {
                    key.push(' ');
                }
                key.push_str(&lower[i + n - 1]);
                if let Some(&bits) = self.phrases.get(key.as_str()) {
                    best = Some((n, bits));
                }
            }
            let Some((n, bits)) = best else {
                i += 1;
                continue;
            };
            let types: String =
                LABELS.iter().enumerate().filter(|(b, _)| bits & (1 << b) != 0).map(|(_, l)| l.as_str()).collect();
            for (k, t) in out[i..i + n].iter_mut().enumerate() {
                let pos = match (n, k) {
                    (1, _) => "U",
                    (_, 0) => "B",
                    _ if k == n - 1 => "L",
                    _ => "I",
                };
                *t = format!("{pos}-{types}");
            }
            i += n;
        }
        out
    }

    fn write(&self, out: &mut Vec<u8>) {
        let mut keys: Vec<(&String, &u8)> = self.phrases.iter().collect();
        keys.sort();
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for (k, &bits) in keys {
            out.push(bits);
            out.extend_from_slice(&(k.len() as u16).to_le_bytes());
            out.extend_from_slice(k.as_bytes());
        }
    }

    fn read(b: &[u8]) -> Result<Gazetteer, String> {
        let mut r = Reader { b, at: 0 };
        let n = r.u32()? as usize;
        let mut g = Gazetteer::default();
        for _ in 0..n.min(b.len() / 3) {
            let bits = r.take(1)?[0];
            let len = u16::from_le_bytes(r.take(2)?.try_into().map_err(|_| "truncated")?) as usize;
            let k = std::str::from_utf8(r.take(len)?).map_err(|_| "gazetteer phrase is not UTF-8")?;
            g.max_len = g.max_len.max(k.split(' ').count());
            g.phrases.insert(k.to_string(), bits);
        }
        if g.phrases.len() != n {
            return Err("gazetteer truncated".into());
        }
        Ok(g)
    }
}

/// What the rest of the document says about each word: the words seen just before and after its
/// other occurrences ("in Miramar", "Miramar California"), and whether it also appears in lower case
/// or capitalised inside a sentence — non-local hints of its type.
#[derive(Debug, Default, Clone)]
pub struct DocContext {
    around: HashMap<String, (Vec<String>, Vec<String>)>,
    /// Lower-cased word → bit 1: seen in lower case, bit 2: seen capitalised after a sentence's first word.
    seen: HashMap<String, u8>,
}

/// At most this many distinct neighbours per side are kept per word.
const DOC_NEIGHBOURS: usize = 6;

impl DocContext {
    /// Indexes the sentences (their words) of one document.
    pub fn new<'a>(sentences: impl IntoIterator<Item = &'a [String]>) -> DocContext {
        let mut around: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
        let mut seen: HashMap<String, u8> = HashMap::new();
        for words in sentences {
            let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
            for (i, w) in words.iter().enumerate() {
                if *w == lower[i] && w.chars().any(char::is_alphabetic) {
                    *seen.entry(lower[i].clone()).or_default() |= 1;
                }
                // Only capitalised words: the others carry no entity hint worth the cost.
                if !w.starts_with(char::is_uppercase) {
                    continue;
                }
                if i > 0 {
                    *seen.entry(lower[i].clone()).or_default() |= 2;
                }
                let e = around.entry(lower[i].clone()).or_default();
                if let Some(p) = i.checked_sub(1).map(|j| &lower[j]) {
                    if e.0.len() < DOC_NEIGHBOURS && !e.0.contains(p) {
                        e.0.push(p.clone());
                    }
                }
                if let Some(n) = lower.get(i + 1) {
                    if e.1.len() < DOC_NEIGHBOURS && !e.1.contains(n) {
                        e.1.push(n.clone());
                    }
                }
            }
        }
        DocContext { around, seen }
    }
}

/// How the training text writes each word: lower-cased word hash → 1 when it is usually written in
/// lower case, 2 when usually capitalised (first words of sentences not counted).
#[derive(Debug, Default, Clone)]
pub struct Casing {
    words: HashMap<u64, u8>,
}

impl Casing {
    /// Counts the casing of the words of `sentences`; words seen fewer than twice are left out.
    pub fn from_sentences<'a>(sentences: impl IntoIterator<Item = &'a [String]>) -> Casing {
        let mut counts: HashMap<String, (u32, u32)> = HashMap::new();
        for words in sentences {
            for (i, w) in words.iter().enumerate() {
                if !w.chars().any(char::is_alphabetic) {
                    continue;
                }
                let l = w.to_lowercase();
                let lower = *w == l;
                let cap = i > 0 && w.starts_with(char::is_uppercase);
                if lower || cap {
                    let e = counts.entry(l).or_default();
                    e.0 += lower as u32;
                    e.1 += cap as u32;
                }
            }
        }
        let words = counts
            .into_iter()
            .filter(|(_, (lo, ca))| lo + ca >= 2)
            .map(|(w, (lo, ca))| (fnv(&[&w]), if lo > ca { 1 } else { 2 }))
            .collect();
        Casing { words }
    }

    fn get(&self, lower: &str) -> &'static str {
        match self.words.get(&fnv(&[lower])) {
            Some(1) => "low",
            Some(_) => "cap",
            None => "new",
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        let mut keys: Vec<(&u64, &u8)> = self.words.iter().collect();
        keys.sort();
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for (k, &v) in keys {
            out.extend_from_slice(&k.to_le_bytes());
            out.push(v);
        }
    }

    fn read(b: &[u8]) -> Result<(Casing, &[u8]), String> {
        let mut r = Reader { b, at: 0 };
        let n = r.u32()? as usize;
        let mut words = HashMap::with_capacity(n.min(b.len() / 9));
        for _ in 0..n {
            let k = u64::from_le_bytes(r.take(8)?.try_into().map_err(|_| "truncated")?);
            words.insert(k, r.take(1)?[0]);
        }
        Ok((Casing { words }, &b[r.at..]))
    }
}

/// The entity recogniser: weights, the gazetteer and the casing lexicon it was trained with.
#[derive(Debug, Default, Clone)]
pub struct Ner {
    model: Weights,
    gazetteer: Gazetteer,
    casing: Casing,
    /// Per class, which classes may follow it (BILOU); the last row is for the sentence start.
    allowed: Vec<Vec<bool>>,
}

/// Which of `classes` may follow each class (and, in the last row, start a sentence).
fn transitions(classes: &[String]) -> Vec<Vec<bool>> {
    fn split(c: &str) -> (&str, &str) {
        c.split_once('-').unwrap_or(("O", ""))
    }
    let mut rows = Vec::new();
    for prev in classes.iter().map(String::as_str).chain(std::iter::once("O")) {
        let (pp, pl) = split(prev);
        rows.push(
            classes
                .iter()
                .map(|c| {
                    let (p, l) = split(c);
                    match pp {
                        "B" | "I" => matches!(p, "I" | "L") && l == pl,
                        _ => matches!(p, "O" | "B" | "U"),
                    }
                })
                .collect(),
        );
    }
    rows
}

/// The feature key of a transition feature `base` after the class `prev`.
fn after(base: u64, prev: usize) -> u64 {
    let h = (base ^ (prev as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^ (h >> 31)
}

/// The case of a whole sentence: all lower, all upper, title case or ordinary.
fn sentence_case(words: &[String]) -> &'static str {
    let (mut alpha, mut caps, mut upper) = (0, 0, 0);
    for (i, w) in words.iter().enumerate() {
        if !w.chars().any(char::is_alphabetic) {
            continue;
        }
        alpha += 1;
        if w.chars().count() > 1 && !w.chars().any(char::is_lowercase) {
            upper += 1;
        }
        if i > 0 && w.starts_with(char::is_uppercase) {
            caps += 1;
        }
    }
    if alpha <= 2 {
        "short"
    } else if upper * 2 > alpha {
        "upper"
    } else if caps == 0 {
        "lower"
    } else if caps * 2 > alpha {
        "title"
    } else {
        "mixed"
    }
}

/// A sentence's features: per word, the features that do not depend on the entity tags
/// (`emit[start[i]..start[i + 1]]`) and the bases of those conjoined with the previous tag.
struct Features {
    emit: Vec<u64>,
    start: Vec<usize>,
    trans: Vec<[u64; TRANS]>,
}

const TRANS: usize = 6;

impl Features {
    fn emit(&self, i: usize) -> &[u64] {
        &self.emit[self.start[i]..self.start[i + 1]]
    }

    fn trans(&self, i: usize, prev: usize, out: &mut [u64; TRANS]) {
        for (o, &b) in out.iter_mut().zip(&self.trans[i]) {
            *o = after(b, prev);
        }
    }
}

fn features(words: &[String], upos: &[&str], gazetteer: &Gazetteer, casing: &Casing, doc: &DocContext) -> Features {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let shapes: Vec<String> = words.iter().map(|w| shape(w)).collect();
    let gaz = gazetteer.tags(&lower);
    let case = sentence_case(words);
    let lex: Vec<&str> = lower.iter().map(|l| casing.get(l)).collect();
    let n = words.len() as isize;
    fn at(v: &[String], i: usize, k: isize) -> &str {
        let n = v.len() as isize;
        let j = i as isize + k;
        if j < 0 {
            "<s>"
        } else if j >= n {
            "</s>"
        } else {
            &v[j as usize]
        }
    }
    let mut f = Features { emit: Vec::with_capacity(words.len() * 56), start: vec![0], trans: Vec::new() };
    for i in 0..words.len() {
        let pos = |k: isize| -> &str {
            let j = i as isize + k;
            if j < 0 || j >= n {
                "<s>"
            } else {
                upos.get(j as usize).copied().unwrap_or("X")
            }
        };
        let (w, l, sh, u, g) = (&words[i], &lower[i], &shapes[i], pos(0), &gaz[i]);
        let first = if i == 0 { "1" } else { "0" };
        let lx = lex[i];
        let dc = doc.seen.get(l.as_str()).copied().unwrap_or(0);
        let dc = ["0", "1", "2", "3"][dc as usize & 3];
        let out = &mut f.emit;
        out.push(fnv(&["b"]));
        out.push(fnv(&["w", l]));
        out.push(fnv(&["W", w]));
        out.push(fnv(&["sh", sh]));
        out.push(fnv(&["p1", prefix(w, 1)]));
        out.push(fnv(&["p2", prefix(l, 2)]));
        out.push(fnv(&["p3", prefix(l, 3)]));
        out.push(fnv(&["p4", prefix(l, 4)]));
        out.push(fnv(&["s1", suffix(l, 1)]));
        out.push(fnv(&["s2", suffix(l, 2)]));
        out.push(fnv(&["s3", suffix(l, 3)]));
        out.push(fnv(&["s4", suffix(l, 4)]));
        out.push(fnv(&["u", u]));
        out.push(fnv(&["ush", u, sh]));
        out.push(fnv(&["u-1", pos(-1)]));
        out.push(fnv(&["u+1", pos(1)]));
        out.push(fnv(&["u-2", pos(-2)]));
        out.push(fnv(&["u+2", pos(2)]));
        out.push(fnv(&["u-1u", pos(-1), u]));
        out.push(fnv(&["uu+1", u, pos(1)]));
        out.push(fnv(&["w-1", at(&lower, i, -1)]));
        out.push(fnv(&["w+1", at(&lower, i, 1)]));
        out.push(fnv(&["w-2", at(&lower, i, -2)]));
        out.push(fnv(&["w+2", at(&lower, i, 2)]));
        out.push(fnv(&["w-1w", at(&lower, i, -1), l]));
        out.push(fnv(&["ww+1", l, at(&lower, i, 1)]));
        out.push(fnv(&["w-1sh", at(&lower, i, -1), sh]));
        out.push(fnv(&["shw+1", sh, at(&lower, i, 1)]));
        out.push(fnv(&["sh-1", at(&shapes, i, -1)]));
        out.push(fnv(&["sh+1", at(&shapes, i, 1)]));
        out.push(fnv(&["sh-1sh", at(&shapes, i, -1), sh]));
        out.push(fnv(&["shsh+1", sh, at(&shapes, i, 1)]));
        out.push(fnv(&["first", first, sh]));
        out.push(fnv(&["sc", case, sh]));
        out.push(fnv(&["scfl", case, first, lx]));
        out.push(fnv(&["lx", lx, first, sh]));
        out.push(fnv(&["lxu", lx, u]));
        let lx_prev = if i == 0 { "<s>" } else { lex[i - 1] };
        out.push(fnv(&["lx-1", lx_prev, lx]));
        out.push(fnv(&["lx+1", lex.get(i + 1).copied().unwrap_or("</s>"), lx]));
        out.push(fnv(&["dc", dc, first, lx]));
        out.push(fnv(&["g", g]));
        out.push(fnv(&["gu", g, u]));
        out.push(fnv(&["g-1", at(&gaz, i, -1)]));
        out.push(fnv(&["g+1", at(&gaz, i, 1)]));
        if let Some((before, after)) = doc.around.get(l.as_str()) {
            for b in before {
                out.push(fnv(&["dp", b]));
            }
            for a in after {
                out.push(fnv(&["dn", a]));
            }
        }
        f.start.push(out.len());
        f.trans.push([
            fnv(&["t1"]),
            fnv(&["t1w", l]),
            fnv(&["t1sh", sh]),
            fnv(&["t1u", u]),
            fnv(&["t1g", g]),
            fnv(&["t1lx", lx, case]),
        ]);
    }
    f
}

/// The best class sequence under `score` (first-order Viterbi over the allowed BILOU transitions).
fn viterbi(f: &Features, nc: usize, allowed: &[Vec<bool>], score: impl Fn(&[u64], &mut [f32])) -> Vec<usize> {
    let n = f.start.len() - 1;
    if n == 0 {
        return Vec::new();
    }
    let mut back = vec![0u8; n * nc];
    let (mut delta, mut next) = (vec![f32::NEG_INFINITY; nc], vec![f32::NEG_INFINITY; nc]);
    let (mut emit, mut trans) = (vec![0f32; nc], vec![0f32; nc]);
    let mut keys = [0u64; TRANS];
    for i in 0..n {
        score(f.emit(i), &mut emit);
        next.iter_mut().for_each(|x| *x = f32::NEG_INFINITY);
        let prevs: Vec<(usize, f32)> = if i == 0 {
            vec![(nc, 0.0)]
        } else {
            (0..nc).filter(|&p| delta[p].is_finite()).map(|p| (p, delta[p])).collect()
        };
        for (p, d) in prevs {
            f.trans(i, p, &mut keys);
            score(&keys, &mut trans);
            for c in 0..nc {
                if !allowed[p][c] {
                    continue;
                }
                let s = d + trans[c] + emit[c];
                if s > next[c] {
                    next[c] = s;
                    back[i * nc + c] = p.min(255) as u8;
                }
            }
        }
        std::mem::swap(&mut delta, &mut next);
    }
    // The sentence must end on a class that may be followed by O (class 0): not inside an entity.
    let mut best = (0, f32::NEG_INFINITY);
    for (c, &d) in delta.iter().enumerate() {
        if allowed[c][0] && d > best.1 {
            best = (c, d);
        }
    }
    let mut out = vec![0; n];
    let mut c = best.0;
    for i in (0..n).rev() {
        out[i] = c;
        c = back[i * nc + c] as usize;
    }
    out
}

impl Ner {
    fn with(model: Weights, gazetteer: Gazetteer, casing: Casing) -> Ner {
        let allowed = transitions(&model.classes);
        Ner { model, gazetteer, casing, allowed }
    }

    /// The BILOU tags of a sentence's words, given their UPOS tags and the document around them.
    pub fn tag(&self, words: &[String], upos: &[&str], doc: &DocContext) -> Vec<&str> {
        let classes = &self.model.classes;
        if classes.is_empty() {
            return vec!["O"; words.len()];
        }
        let f = features(words, upos, &self.gazetteer, &self.casing, doc);
        let best = viterbi(&f, classes.len(), &self.allowed, |k, s| self.model.scores(k, s));
        best.into_iter().map(|c| classes[c].as_str()).collect()
    }

    /// The entities of a sentence: `(first word, last word exclusive, label)`.
    pub fn recognize(&self, words: &[String], upos: &[&str], doc: &DocContext) -> Vec<(usize, usize, EntityLabel)> {
        spans(&self.tag(words, upos, doc))
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    pub fn feature_count(&self) -> usize {
        self.model.len()
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.model.to_bytes(MAGIC);
        self.casing.write(&mut out);
        self.gazetteer.write(&mut out);
        out
    }

    pub fn from_bytes(b: &[u8]) -> Result<Ner, String> {
        let (model, rest) = Weights::from_bytes(b, MAGIC, "entity")?;
        let (casing, rest) = Casing::read(rest)?;
        Ok(Ner::with(model, Gazetteer::read(rest)?, casing))
    }
}

/// One training sentence: words, their UPOS tags (as the tagger predicts them) and IOB2 tags.
pub struct Example {
    pub doc: usize,
    pub words: Vec<String>,
    pub upos: Vec<String>,
    pub tags: Vec<String>,
}

fn doc_contexts(data: &[Example]) -> HashMap<usize, DocContext> {
    let mut docs: HashMap<usize, Vec<&[String]>> = HashMap::new();
    for e in data {
        docs.entry(e.doc).or_default().push(&e.words);
    }
    docs.into_iter().map(|(d, s)| (d, DocContext::new(s))).collect()
}

/// Exact-span scores of `ner` on examples (their own UPOS tags, document context from their documents).
pub fn evaluate(ner: &Ner, data: &[Example]) -> NerScores {
    let contexts = doc_contexts(data);
    let mut pairs = Vec::with_capacity(data.len());
    for e in data {
        let upos: Vec<&str> = e.upos.iter().map(String::as_str).collect();
        pairs.push((spans(&e.tags), ner.recognize(&e.words, &upos, &contexts[&e.doc])));
    }
    score(pairs.iter().map(|(g, p)| (g.as_slice(), p.as_slice())))
}

/// Trains the recogniser, a structured (Viterbi) averaged perceptron: `epochs` passes in an order
/// shuffled by `seed`. With `dev` examples, the model of the epoch that scores best on them is kept
/// (early stopping); `log` hears each epoch's dev micro-F1.
pub fn train(
    data: &[Example],
    dev: &[Example],
    gazetteer: Gazetteer,
    epochs: usize,
    seed: u64,
    mut log: impl FnMut(usize, f64),
) -> Ner {
    let mut classes = vec!["O".to_string()];
    for l in LABELS {
        for p in ["B", "I", "L", "U"] {
            classes.push(format!("{p}-{}", l.as_str()));
        }
    }
    let nc = classes.len();
    let index: HashMap<&str, usize> = classes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let allowed = transitions(&classes);
    let gold: Vec<Vec<usize>> =
        data.iter().map(|e| to_bilou(&e.tags).iter().map(|t| index[t.as_str()]).collect()).collect();
    let casing = Casing::from_sentences(data.iter().map(|e| e.words.as_slice()));
    let contexts = doc_contexts(data);
    let feats: Vec<Features> = data
        .iter()
        .map(|e| {
            let upos: Vec<&str> = e.upos.iter().map(String::as_str).collect();
            features(&e.words, &upos, &gazetteer, &casing, &contexts[&e.doc])
        })
        .collect();
    // The clock of the averaging ticks once per sentence.
    let mut tr = crate::perceptron::Trainer::new(nc);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = seed | 1;
    let mut best: Option<(f64, Weights)> = None;
    let mut keys = [0u64; TRANS];
    for epoch in 0..epochs {
        shuffle(&mut order, &mut rng);
        for &si in &order {
            tr.tick();
            let f = &feats[si];
            let pred = viterbi(f, nc, &allowed, |k, s| tr.scores(k, s));
            let g = &gold[si];
            if pred == *g {
                continue;
            }
            for i in 0..g.len() {
                if g[i] != pred[i] {
                    tr.add(f.emit(i), g[i], 1.0);
                    tr.add(f.emit(i), pred[i], -1.0);
                }
                let (gp, pp) = if i == 0 { (nc, nc) } else { (g[i - 1], pred[i - 1]) };
                if gp != pp || g[i] != pred[i] {
                    f.trans(i, gp, &mut keys);
                    tr.add(&keys, g[i], 1.0);
                    f.trans(i, pp, &mut keys);
                    tr.add(&keys, pred[i], -1.0);
                }
            }
        }
        if !dev.is_empty() {
            let ner = Ner::with(tr.averaged(&classes, PRUNE), gazetteer.clone(), casing.clone());
            let (_, _, f1) = evaluate(&ner, dev).micro();
            log(epoch + 1, f1);
            if best.as_ref().is_none_or(|(b, _)| f1 > *b) {
                best = Some((f1, ner.model));
            }
        }
    }
    let model = match best {
        Some((_, m)) => m,
        None => tr.averaged(&classes, PRUNE),
    };
    Ner::with(model, gazetteer, casing)
}

/// Exact-span scores per label and micro-averaged.
#[derive(Debug, Clone, Default)]
pub struct NerScores {
    /// `(label, gold, predicted, correct)`; the micro totals are their sums.
    pub per_label: Vec<(EntityLabel, usize, usize, usize)>,
    pub seconds: f64,
    pub words: usize,
}

impl NerScores {
    pub fn micro(&self) -> (f64, f64, f64) {
        let (g, p, c) = self.per_label.iter().fold((0, 0, 0), |a, x| (a.0 + x.1, a.1 + x.2, a.2 + x.3));
        prf(g, p, c)
    }
}

/// Precision, recall and F1 of `correct` among `predicted` and `gold`.
pub fn prf(gold: usize, predicted: usize, correct: usize) -> (f64, f64, f64) {
    let p = correct as f64 / predicted.max(1) as f64;
    let r = correct as f64 / gold.max(1) as f64;
    (p, r, if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 })
}

/// Scores predicted against gold spans, sentence by sentence.
pub fn score<'a>(
    pairs: impl IntoIterator<Item = (&'a [(usize, usize, EntityLabel)], &'a [(usize, usize, EntityLabel)])>,
) -> NerScores {
    let mut counts = [(0usize, 0usize, 0usize); LABELS.len()];
    let slot = |l: EntityLabel| LABELS.iter().position(|&x| x == l);
    for (gold, pred) in pairs {
        for g in gold {
            if let Some(k) = slot(g.2) {
                counts[k].0 += 1;
                counts[k].2 += pred.contains(g) as usize;
            }
        }
        for p in pred {
            if let Some(k) = slot(p.2) {
                counts[k].1 += 1;
            }
        }
    }
    let per_label = LABELS.iter().zip(counts).map(|(&l, (g, p, c))| (l, g, p, c)).collect();
    NerScores { per_label, ..NerScores::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_iob2_and_maps_other_types_to_o() {
        let text = "# sent_id = a\n1\tKim\tB-PER\t-\tx\n2\tJong\tI-PER\t-\tx\n3\tvisited\tO\n4\tSyrian\tB-OTH\t-\tx\n5\t.\tB-O\n\n1\tHi\tO\n";
        let s = read_iob2(text).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].tags, ["B-PER", "I-PER", "O", "O", "O"]);
        assert_eq!(spans(&s[0].tags), [(0, 2, EntityLabel::PER)]);
        let e = read_iob2("1\tKim\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert_eq!(read_iob2("# c\n1\tKim\tX-PER\n").unwrap_err().line, 2);
        assert!(read_iob2("x\tKim\tO\n").is_err());
    }

    #[test]
    fn bilou_round_trips() {
        let iob: Vec<String> = ["B-PER", "I-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG"].map(String::from).to_vec();
        let b = to_bilou(&iob);
        assert_eq!(b, ["B-PER", "I-PER", "L-PER", "O", "U-LOC", "U-LOC", "U-ORG"]);
        assert_eq!(spans(&b), spans(&iob));
    }

    #[test]
    fn transitions_follow_bilou() {
        let classes: Vec<String> = ["O", "B-PER", "I-PER", "L-PER", "U-PER", "B-LOC"].map(String::from).to_vec();
        let t = transitions(&classes);
        assert_eq!(t[1], [false, false, true, true, false, false]); // after B-PER: I-PER or L-PER
        assert_eq!(t[3], [true, true, false, false, true, true]); // after L-PER: anything that opens
        assert_eq!(t[6], t[0]); // sentence start is like O
    }

    #[test]
    fn gazetteer_marks_longest_phrases() {
        let mut g = Gazetteer::default();
        g.add("North Korea", EntityLabel::LOC);
        g.add("Korea", EntityLabel::LOC);
        g.add("Kim Jong Un", EntityLabel::PER);
        let lower: Vec<String> = "kim jong un visited north korea".split(' ').map(String::from).collect();
        assert_eq!(g.tags(&lower), ["B-PER", "I-PER", "L-PER", "", "B-LOC", "L-LOC"]);
        let mut bytes = Vec::new();
        g.write(&mut bytes);
        let back = Gazetteer::read(&bytes).unwrap();
        assert_eq!(back.tags(&lower), g.tags(&lower));
        assert!(Gazetteer::read(&bytes[..bytes.len() - 2]).is_err());
    }

    #[test]
    fn learns_a_toy_pattern() {
        let mk = |s: &str, t: &str| Example {
            doc: 0,
            words: s.split(' ').map(String::from).collect(),
            upos: s
                .split(' ')
                .map(|w| if w.starts_with(char::is_uppercase) { "PROPN" } else { "VERB" }.into())
                .collect(),
            tags: t.split(' ').map(String::from).collect(),
        };
        let data = vec![
            mk("Alice met Bob", "B-PER O B-PER"),
            mk("Bob visited Paris", "B-PER O B-LOC"),
            mk("Carol Smith visited Rome", "B-PER I-PER O B-LOC"),
        ];
        let ner = train(&data, &[], Gazetteer::default(), 10, 1, |_, _| {});
        let back = Ner::from_bytes(&ner.to_bytes()).unwrap();
        let words: Vec<String> = "Carol Smith visited Paris".split(' ').map(String::from).collect();
        let got = back.recognize(&words, &["PROPN", "PROPN", "VERB", "PROPN"], &DocContext::default());
        assert_eq!(got, [(0, 2, EntityLabel::PER), (3, 4, EntityLabel::LOC)]);
        assert!(Ner::from_bytes(&ner.to_bytes()[..10]).is_err());
    }
}
