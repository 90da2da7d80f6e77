//! The learned sentence splitter: a binary averaged perceptron deciding, at every token boundary
//! with white space in the text, whether a new sentence starts there.
//!
//! Every boundary is a candidate, not only those after `. ! ?`: web and e-mail text often ends a
//! sentence with no mark at all. Features: the words around the boundary (lower-cased, shapes,
//! suffixes, pairs), whether the word before is a known abbreviation, its length, the white space
//! between the words (a space, several, a line break, a blank line), the rule segmenter's decision
//! ([`crate::segment`]), and how far the boundary is from the last sentence start and from the end
//! of the text. Decoding is greedy, left to right (the distance from the last start is the only
//! history). Two decisions are fixed: no boundary without white space, none after a title such as
//! "Mr." or "Gen.".
//!
//! Trained by [`train`] on paragraphs rebuilt from a treebank's `# text` lines ([`crate::raw_paragraphs`]).
//! The model file keeps one weight per feature (a binary perceptron's two class rows are
//! opposite), quantised to `i16`.

use crate::perceptron::{fnv, shape, shuffle, suffix, KeyMap, Reader, Trainer};
use dyad_model::Span;

/// Model file magic and version.
const MAGIC: &[u8; 8] = b"DYADSEG1";

/// Titles that never end a sentence ("Mr. Kim", "Gen. Lee"), lower-case without the period.
const TITLES: [&str; 18] = [
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "sen", "gov", "pres", "rev",
    "messrs", "mme",
];

/// A trained boundary model; the default (empty) one falls back to the rule segmenter.
#[derive(Debug, Default, Clone)]
pub struct Segmenter {
    weights: KeyMap<f32>,
}

/// What the features need of one text: its tokens lower-cased and the rule segmenter's starts.
struct Context<'a> {
    text: &'a str,
    tokens: &'a [Span],
    lower: Vec<String>,
    rule: Vec<bool>,
}

impl<'a> Context<'a> {
    fn new(text: &'a str, tokens: &'a [Span]) -> Context<'a> {
        let lower = tokens.iter().map(|t| t.text(text).to_lowercase()).collect();
        let mut rule = vec![false; tokens.len()];
        for s in crate::segment(text, tokens) {
            rule[s] = true;
        }
        Context { text, tokens, lower, rule }
    }

    /// Whether a sentence may start at token `j` (> 0): white space before it, no title before.
    fn candidate(&self, j: usize) -> bool {
        let gap = &self.text[self.tokens[j - 1].end..self.tokens[j].start];
        if gap.is_empty() {
            return false;
        }
        let prev = self.tokens[j - 1].text(self.text);
        !(prev.ends_with('.') && TITLES.contains(&prev[..prev.len() - 1].to_lowercase().as_str()))
    }

    /// The features of a sentence starting at token `j`, `since` tokens after the last start.
    fn features(&self, j: usize, since: usize, out: &mut Vec<u64>) {
        out.clear();
        let n = self.tokens.len();
        let word = |k: isize| -> &str {
            let i = j as isize + k;
            if i < 0 {
                "<s>"
            } else if i as usize >= n {
                "</s>"
            } else {
                &self.lower[i as usize]
            }
        };
        let raw = |k: usize| self.tokens[k].text(self.text);
        let (w0, w1) = (word(-1), word(0));
        let (t0, t1) = (raw(j - 1), raw(j));
        let (sh0, sh1) = (shape(t0), shape(t1));
        let rule = if self.rule[j] { "R" } else { "-" };
        let gap = &self.text[self.tokens[j - 1].end..self.tokens[j].start];
        let nl = gap.matches('\n').count();
        let ws = match nl {
            0 if gap.chars().count() == 1 => "sp",
            0 => "sp+",
            1 => "nl",
            _ => "nl2",
        };
        let abbr = t0.len() > 1 && t0.ends_with('.') && crate::is_abbreviation(t0);
        let len0 = t0.chars().count().min(6).to_string();
        let cap1 = match t1.chars().next() {
            Some(c) if c.is_uppercase() => "U",
            Some(c) if c.is_lowercase() => "l",
            Some(c) if c.is_numeric() => "d",
            _ => "p",
        };
        let bucket = |d: usize| match d {
            0..=3 => d as u8,
            4..=5 => 4,
            6..=9 => 5,
            10..=19 => 6,
            20..=39 => 7,
            _ => 8,
        };
        let (sb, eb) = (bucket(since).to_string(), bucket(n - j).to_string());
        out.push(fnv(&["b"]));
        out.push(fnv(&["r", rule]));
        out.push(fnv(&["w0", w0]));
        out.push(fnv(&["w1", w1]));
        out.push(fnv(&["w-1", word(-2)]));
        out.push(fnv(&["w2", word(1)]));
        out.push(fnv(&["sh0", &sh0]));
        out.push(fnv(&["sh1", &sh1]));
        out.push(fnv(&["w0w1", w0, w1]));
        out.push(fnv(&["w-1w0", word(-2), w0]));
        out.push(fnv(&["w1w2", w1, word(1)]));
        out.push(fnv(&["w0sh1", w0, &sh1]));
        out.push(fnv(&["sh0w1", &sh0, w1]));
        out.push(fnv(&["sh0sh1", &sh0, &sh1]));
        out.push(fnv(&["rsh1", rule, &sh1]));
        out.push(fnv(&["rw1", rule, w1]));
        out.push(fnv(&["rw0", rule, w0]));
        out.push(fnv(&["s3w0", suffix(w0, 3)]));
        out.push(fnv(&["abbr", if abbr { "1" } else { "0" }, cap1]));
        out.push(fnv(&["len0", &len0, if t0.ends_with('.') { "." } else { "" }]));
        out.push(fnv(&["ws", ws]));
        out.push(fnv(&["wscap", ws, cap1, rule]));
        out.push(fnv(&["cap1", cap1]));
        out.push(fnv(&["s", &sb]));
        out.push(fnv(&["e", &eb, rule]));
        out.push(fnv(&["sr", &sb, rule, cap1]));
    }
}

impl Segmenter {
    /// Whether a model is loaded (else [`Segmenter::segment`] is the rule segmenter).
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Number of features with a weight.
    pub fn feature_count(&self) -> usize {
        self.weights.len()
    }

    fn score(&self, feats: &[u64]) -> f32 {
        feats.iter().filter_map(|f| self.weights.get(f)).sum()
    }

    /// Splits tokens into sentences: the index of the first token of each sentence (always 0 first).
    pub fn segment(&self, text: &str, tokens: &[Span]) -> Vec<usize> {
        if self.is_empty() || tokens.is_empty() {
            return crate::segment(text, tokens);
        }
        let cx = Context::new(text, tokens);
        let mut starts = vec![0];
        let mut feats = Vec::with_capacity(32);
        for j in 1..tokens.len() {
            if !cx.candidate(j) {
                continue;
            }
            cx.features(j, j - starts[starts.len() - 1], &mut feats);
            if self.score(&feats) > 0.0 {
                starts.push(j);
            }
        }
        starts
    }

    /// Writes the model: magic, scale, then (feature, weight) pairs sorted by feature.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + 10 * self.weights.len());
        out.extend_from_slice(MAGIC);
        let max = self.weights.values().map(|w| w.abs()).fold(0.0f32, f32::max).max(1e-6);
        let scale = 32767.0 / max;
        out.extend_from_slice(&scale.to_le_bytes());
        let mut keys: Vec<&u64> = self.weights.keys().collect();
        keys.sort();
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for k in keys {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&((self.weights[k] * scale).round() as i16).to_le_bytes());
        }
        out
    }

    /// Reads a model written by [`Segmenter::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Segmenter, String> {
        let mut r = Reader { b, at: 0 };
        if r.take(8)? != MAGIC {
            return Err("not a dyad sentence model (bad magic)".into());
        }
        let scale = f32::from_le_bytes(r.take(4)?.try_into().map_err(|_| "truncated")?);
        if !(scale.is_finite() && scale > 0.0) {
            return Err(format!("bad weight scale {scale}"));
        }
        let n = r.u32()? as usize;
        if n.saturating_mul(10) != b.len() - r.at {
            return Err(format!("{n} features announced, {} bytes follow (10 each)", b.len() - r.at));
        }
        let mut weights = KeyMap::with_capacity_and_hasher(n, Default::default());
        for _ in 0..n {
            let k = u64::from_le_bytes(r.take(8)?.try_into().map_err(|_| "truncated")?);
            let w = i16::from_le_bytes(r.take(2)?.try_into().map_err(|_| "truncated")?) as f32 / scale;
            weights.insert(k, w);
        }
        Ok(Segmenter { weights })
    }
}

/// A training text: raw text and the byte offsets where its gold sentences start.
#[derive(Debug, Clone)]
pub struct Example {
    pub text: String,
    pub starts: Vec<usize>,
}

/// Trains the boundary model: `epochs` passes over the texts in an order shuffled by `seed`,
/// greedy decoding on the model's own history; averaged weights under `prune` are dropped.
pub fn train(data: &[Example], epochs: usize, seed: u64, prune: f32) -> Segmenter {
    let prepared: Vec<(Vec<Span>, Vec<bool>)> = data
        .iter()
        .map(|ex| {
            let tokens = crate::tokenize(&ex.text);
            let gold: std::collections::HashSet<usize> = ex.starts.iter().copied().collect();
            let labels = tokens.iter().map(|t| gold.contains(&t.start)).collect();
            (tokens, labels)
        })
        .collect();
    let mut trainer = Trainer::new(2);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = seed | 1;
    let mut feats = Vec::with_capacity(32);
    let mut scores = [0f32; 2];
    for _ in 0..epochs {
        shuffle(&mut order, &mut rng);
        for &i in &order {
            let (tokens, labels) = &prepared[i];
            let cx = Context::new(&data[i].text, tokens);
            let mut last = 0;
            for (j, &gold) in labels.iter().enumerate().take(tokens.len()).skip(1) {
                if !cx.candidate(j) {
                    continue;
                }
                trainer.tick();
                cx.features(j, j - last, &mut feats);
                trainer.scores(&feats, &mut scores);
                let guess = (scores[1] > scores[0]) as usize;
                trainer.update(&feats, gold as usize, guess);
                if guess == 1 {
                    last = j;
                }
            }
        }
    }
    // The two rows of a binary perceptron are opposite: keep the difference.
    let w = trainer.finish(vec!["0".into(), "1".into()], 0.0);
    let mut weights = KeyMap::default();
    for (f, ws) in w.iter() {
        let d: f32 = ws.iter().map(|&(c, x)| if c == 1 { x } else { -x }).sum();
        if d.abs() >= prune {
            weights.insert(f, d);
        }
    }
    Segmenter { weights }
}
