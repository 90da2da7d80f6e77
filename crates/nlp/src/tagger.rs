//! An averaged-perceptron part-of-speech tagger (greedy, left to right) predicting UPOS and PTB XPOS
//! together as one joint tag, trained by [`train`] on UD English-EWT.
//!
//! Features: the word, its lower case, prefix, suffixes of 1–3 characters, shape, the two previous
//! tags, and the neighbouring words. Features are hashed to 64 bits; the model file keeps, per
//! feature, the classes with non-negligible averaged weight quantised to `i16`.

use std::collections::HashMap;

/// Feature keys are already hashes: one multiply-xorshift is enough to spread them (SipHash cost
/// a quarter of the tagging time).
#[derive(Default)]
pub(crate) struct MixHasher(u64);

impl std::hash::Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(self.0 ^ b as u64);
        }
    }
    fn write_u64(&mut self, x: u64) {
        let h = (x ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = h ^ (h >> 29);
    }
}

type KeyMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<MixHasher>>;

/// Model file magic and version.
const MAGIC: &[u8; 8] = b"DYADPOS1";
/// Averaged weights smaller than this are dropped from the saved model.
const PRUNE: f32 = 0.02;

#[derive(Debug, Default, Clone)]
pub struct Tagger {
    classes: Vec<String>,
    weights: KeyMap<Vec<(u16, f32)>>,
}

fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

fn shape(w: &str) -> String {
    let mut out = String::new();
    for c in w.chars().take(6) {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if !out.ends_with(s) {
            out.push(s);
        }
    }
    out
}

fn suffix(w: &str, n: usize) -> &str {
    let k = w.char_indices().rev().nth(n.saturating_sub(1)).map(|(i, _)| i).unwrap_or(0);
    &w[k..]
}

fn prefix(w: &str) -> &str {
    w.char_indices().nth(1).map(|(i, _)| &w[..i]).unwrap_or(w)
}

fn features(words: &[String], lower: &[String], i: usize, p1: &str, p2: &str, out: &mut Vec<u64>) {
    out.clear();
    let w = &words[i];
    let l = &lower[i];
    let get = |k: isize| -> &str {
        let j = i as isize + k;
        if j < 0 {
            "<s>"
        } else if j as usize >= words.len() {
            "</s>"
        } else {
            &lower[j as usize]
        }
    };
    out.push(fnv(&["b"]));
    out.push(fnv(&["w", l]));
    out.push(fnv(&["s1", suffix(l, 1)]));
    out.push(fnv(&["s2", suffix(l, 2)]));
    out.push(fnv(&["s3", suffix(l, 3)]));
    out.push(fnv(&["s4", suffix(l, 4)]));
    out.push(fnv(&["w-1w", get(-1), l]));
    out.push(fnv(&["ww+1", l, get(1)]));
    out.push(fnv(&["p1", prefix(l)]));
    out.push(fnv(&["sh", &shape(w)]));
    out.push(fnv(&["t1", p1]));
    out.push(fnv(&["t12", p1, p2]));
    out.push(fnv(&["t1w", p1, l]));
    out.push(fnv(&["w-1", get(-1)]));
    out.push(fnv(&["w-2", get(-2)]));
    out.push(fnv(&["w+1", get(1)]));
    out.push(fnv(&["w+2", get(2)]));
    out.push(fnv(&["s3+1", suffix(get(1), 3)]));
    out.push(fnv(&["s3-1", suffix(get(-1), 3)]));
    out.push(fnv(&["first", if i == 0 { "1" } else { "0" }, &shape(w)]));
    out.push(fnv(&["W", w]));
    out.push(fnv(&["t1w+1", p1, get(1)]));
    out.push(fnv(&["t2w", p2, l]));
    out.push(fnv(&["w-1w+1", get(-1), get(1)]));
    out.push(fnv(&["pre3", prefix3(l)]));
    out.push(fnv(&["s2+1", suffix(get(1), 2)]));
    let flags = [w.chars().any(char::is_uppercase), w.contains('-'), w.chars().any(|c| c.is_ascii_digit())];
    out.push(fnv(&["fl", &format!("{flags:?}")]));
}

fn prefix3(w: &str) -> &str {
    w.char_indices().nth(3).map(|(i, _)| &w[..i]).unwrap_or(w)
}

impl Tagger {
    pub fn classes(&self) -> &[String] {
        &self.classes
    }

    fn scores(&self, feats: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        for f in feats {
            if let Some(ws) = self.weights.get(f) {
                for &(c, w) in ws {
                    scores[c as usize] += w;
                }
            }
        }
    }

    /// The joint tags (`UPOS|XPOS`) of a sentence's words.
    pub fn tag(&self, words: &[String]) -> Vec<&str> {
        if self.classes.is_empty() {
            return vec!["X|XX"; words.len()];
        }
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let mut out: Vec<&str> = Vec::with_capacity(words.len());
        let mut feats = Vec::new();
        let mut scores = vec![0.0; self.classes.len()];
        for i in 0..words.len() {
            let p1 = if i > 0 { out[i - 1] } else { "<s>" };
            let p2 = if i > 1 { out[i - 2] } else { "<s>" };
            features(words, &lower, i, p1, p2, &mut feats);
            self.scores(&feats, &mut scores);
            let best = scores.iter().enumerate().fold((0, f32::MIN), |b, (k, &s)| if s > b.1 { (k, s) } else { b }).0;
            out.push(&self.classes[best]);
        }
        out
    }

    /// Writes the model in dyad's compact binary format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.classes.len() as u32).to_le_bytes());
        for c in &self.classes {
            out.push(c.len() as u8);
            out.extend_from_slice(c.as_bytes());
        }
        let max = self.weights.values().flatten().map(|(_, w)| w.abs()).fold(0.0f32, f32::max).max(1e-6);
        let scale = 32767.0 / max;
        out.extend_from_slice(&scale.to_le_bytes());
        let mut keys: Vec<&u64> = self.weights.keys().collect();
        keys.sort();
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for k in keys {
            let ws = &self.weights[k];
            out.extend_from_slice(&k.to_le_bytes());
            out.push(ws.len() as u8);
            for &(c, w) in ws {
                out.push(c as u8);
                out.extend_from_slice(&((w * scale).round() as i16).to_le_bytes());
            }
        }
        out
    }

    /// Reads a model written by [`Tagger::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Tagger, String> {
        let mut r = Reader { b, at: 0 };
        if r.take(8)? != MAGIC {
            return Err("not a dyad tagger model (bad magic)".into());
        }
        let n = r.u32()? as usize;
        if n > 4096 {
            return Err(format!("implausible class count {n}"));
        }
        let mut classes = Vec::with_capacity(n);
        for _ in 0..n {
            let len = r.take(1)?[0] as usize;
            classes.push(String::from_utf8(r.take(len)?.to_vec()).map_err(|_| "class name is not UTF-8")?);
        }
        let scale = f32::from_le_bytes(r.take(4)?.try_into().map_err(|_| "truncated")?);
        let nf = r.u32()? as usize;
        // Each feature takes at least 9 bytes: never reserve more than the file can hold.
        let mut weights = KeyMap::with_capacity_and_hasher(nf.min(b.len() / 9), Default::default());
        for _ in 0..nf {
            let k = u64::from_le_bytes(r.take(8)?.try_into().map_err(|_| "truncated")?);
            let m = r.take(1)?[0] as usize;
            let mut ws = Vec::with_capacity(m);
            for _ in 0..m {
                let c = r.take(1)?[0] as u16;
                if c as usize >= classes.len() {
                    return Err(format!("class {c} out of range at byte {}", r.at));
                }
                let w = i16::from_le_bytes(r.take(2)?.try_into().map_err(|_| "truncated")?) as f32 / scale;
                ws.push((c, w));
            }
            weights.insert(k, ws);
        }
        Ok(Tagger { classes, weights })
    }
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let s = self.b.get(self.at..self.at + n).ok_or_else(|| format!("model truncated at byte {}", self.at))?;
        self.at += n;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "truncated")?))
    }
}

/// Trains a tagger on (words, joint tags) sentences: `epochs` passes in an order shuffled by `seed`.
pub fn train(data: &[(Vec<String>, Vec<String>)], epochs: usize, seed: u64) -> Tagger {
    let mut classes: Vec<String> = data.iter().flat_map(|(_, t)| t.iter().cloned()).collect();
    classes.sort();
    classes.dedup();
    let index: HashMap<&str, u16> = classes.iter().enumerate().map(|(i, c)| (c.as_str(), i as u16)).collect();
    let nc = classes.len();
    // Dense per-feature rows: weights, accumulated totals and last-update stamps for averaging.
    let mut rows: KeyMap<usize> = KeyMap::default();
    let mut w: Vec<f32> = Vec::new();
    let mut tot: Vec<f32> = Vec::new();
    let mut stamp: Vec<u32> = Vec::new();
    let mut t: u32 = 0;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = seed | 1;
    let mut feats = Vec::new();
    let mut scores = vec![0f32; nc];
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &si in &order {
            let (words, gold) = &data[si];
            let lower: Vec<String> = words.iter().map(|x| x.to_lowercase()).collect();
            let mut pred: Vec<usize> = Vec::with_capacity(words.len());
            for i in 0..words.len() {
                t += 1;
                let p1 = if i > 0 { classes[pred[i - 1]].as_str() } else { "<s>" };
                let p2 = if i > 1 { classes[pred[i - 2]].as_str() } else { "<s>" };
                features(words, &lower, i, p1, p2, &mut feats);
                scores.iter_mut().for_each(|s| *s = 0.0);
                for f in &feats {
                    if let Some(&r) = rows.get(f) {
                        for (c, s) in scores.iter_mut().enumerate() {
                            *s += w[r * nc + c];
                        }
                    }
                }
                let guess =
                    scores.iter().enumerate().fold((0, f32::MIN), |b, (k, &s)| if s > b.1 { (k, s) } else { b }).0;
                let truth = index[gold[i].as_str()] as usize;
                if guess != truth {
                    for f in &feats {
                        let r = *rows.entry(*f).or_insert_with(|| {
                            w.extend(std::iter::repeat_n(0.0, nc));
                            tot.extend(std::iter::repeat_n(0.0, nc));
                            stamp.extend(std::iter::repeat_n(0, nc));
                            w.len() / nc - 1
                        });
                        for (c, delta) in [(truth, 1.0f32), (guess, -1.0)] {
                            let k = r * nc + c;
                            tot[k] += (t - stamp[k]) as f32 * w[k];
                            stamp[k] = t;
                            w[k] += delta;
                        }
                    }
                }
                // Train on the predicted history, as the tagger will see it.
                pred.push(guess);
            }
        }
    }
    let mut weights = KeyMap::default();
    for (f, r) in rows {
        let mut ws = Vec::new();
        for c in 0..nc {
            let k = r * nc + c;
            let total = tot[k] + (t - stamp[k]) as f32 * w[k];
            let avg = total / t.max(1) as f32;
            if avg.abs() >= PRUNE {
                ws.push((c as u16, avg));
            }
        }
        if !ws.is_empty() {
            weights.insert(f, ws);
        }
    }
    Tagger { classes, weights }
}
