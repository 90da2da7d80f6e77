//! The averaged perceptron shared by the tagger and the entity recogniser: hashed features, one
//! weight row per feature, lazy averaging, and dyad's compact model format (weights quantised to
//! `i16`, only the classes with non-negligible averaged weight kept per feature).

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

pub(crate) type KeyMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<MixHasher>>;

/// FNV-1a over the parts, each followed by a separator byte: the feature hash.
pub(crate) fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The word's shape, runs collapsed: "Kim-Jong" → "Xx-Xx", "2025" → "d".
pub(crate) fn shape(w: &str) -> String {
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

/// The last `n` characters.
pub(crate) fn suffix(w: &str, n: usize) -> &str {
    let k = w.char_indices().rev().nth(n.saturating_sub(1)).map(|(i, _)| i).unwrap_or(0);
    &w[k..]
}

/// The first `n` characters.
pub(crate) fn prefix(w: &str, n: usize) -> &str {
    w.char_indices().nth(n).map(|(i, _)| &w[..i]).unwrap_or(w)
}

/// Index of the highest score among the allowed classes (all when `allowed` is `None`).
pub(crate) fn argmax(scores: &[f32], allowed: Option<&[bool]>) -> usize {
    let mut best = (0, f32::MIN);
    for (k, &s) in scores.iter().enumerate() {
        if allowed.is_none_or(|a| a[k]) && s > best.1 {
            best = (k, s);
        }
    }
    best.0
}

/// A trained model: class names and, per feature, the weights of its classes — packed in one
/// array, the table giving each feature's run in it (one allocation instead of one per feature,
/// so a lookup touches the table and one contiguous run).
#[derive(Debug, Default, Clone)]
pub(crate) struct Weights {
    pub classes: Vec<String>,
    index: KeyMap<(u32, u32)>,
    packed: Vec<(u16, f32)>,
}

impl Weights {
    /// Packs per-feature weight lists (features with no weight are left out).
    pub fn new(classes: Vec<String>, weights: impl IntoIterator<Item = (u64, Vec<(u16, f32)>)>) -> Weights {
        let mut w = Weights { classes, ..Default::default() };
        for (f, ws) in weights {
            w.insert(f, &ws);
        }
        w
    }

    fn insert(&mut self, f: u64, ws: &[(u16, f32)]) {
        if ws.is_empty() {
            return;
        }
        let run = (self.packed.len() as u32, ws.len() as u32);
        self.packed.extend_from_slice(ws);
        self.index.insert(f, run);
    }

    /// How many features carry weights.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Every feature with its weights, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &[(u16, f32)])> {
        self.index.iter().map(|(&f, &(start, len))| (f, &self.packed[start as usize..(start + len) as usize]))
    }

    /// The weights of one feature (empty when it has none).
    fn get(&self, f: u64) -> &[(u16, f32)] {
        match self.index.get(&f) {
            Some(&(start, len)) => &self.packed[start as usize..(start + len) as usize],
            None => &[],
        }
    }

    /// Adds up the weights of the features into `scores` (reset first). The features are resolved
    /// first, in chunks, so the table's cache misses overlap before the weights are added.
    pub fn scores(&self, feats: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        let mut runs = [(0u32, 0u32); 32];
        for chunk in feats.chunks(runs.len()) {
            for (r, f) in runs.iter_mut().zip(chunk) {
                *r = self.index.get(f).copied().unwrap_or((0, 0));
            }
            for &(start, len) in &runs[..chunk.len()] {
                for &(c, w) in &self.packed[start as usize..(start + len) as usize] {
                    if let Some(s) = scores.get_mut(c as usize) {
                        *s += w;
                    }
                }
            }
        }
    }

    /// Writes `magic`, the classes, the scale and the quantised weights.
    pub fn to_bytes(&self, magic: &[u8; 8]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(magic);
        out.extend_from_slice(&(self.classes.len() as u32).to_le_bytes());
        for c in &self.classes {
            out.push(c.len() as u8);
            out.extend_from_slice(c.as_bytes());
        }
        let max = self.packed.iter().map(|(_, w)| w.abs()).fold(0.0f32, f32::max).max(1e-6);
        let scale = 32767.0 / max;
        out.extend_from_slice(&scale.to_le_bytes());
        let mut keys: Vec<u64> = self.index.keys().copied().collect();
        keys.sort();
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for k in keys {
            let ws = self.get(k);
            out.extend_from_slice(&k.to_le_bytes());
            out.push(ws.len() as u8);
            for &(c, w) in ws {
                out.push(c as u8);
                out.extend_from_slice(&((w * scale).round() as i16).to_le_bytes());
            }
        }
        out
    }

    /// Reads what [`Weights::to_bytes`] wrote; returns the weights and the bytes after them.
    pub fn from_bytes<'a>(b: &'a [u8], magic: &[u8; 8], what: &str) -> Result<(Weights, &'a [u8]), String> {
        let mut r = Reader { b, at: 0 };
        if r.take(8)? != magic {
            return Err(format!("not a dyad {what} model (bad magic)"));
        }
        let n = r.u32()? as usize;
        if n > 255 {
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
        let mut weights = Weights { classes, ..Default::default() };
        weights.index.reserve(nf.min(b.len() / 9));
        let mut ws = Vec::new();
        for _ in 0..nf {
            let k = u64::from_le_bytes(r.take(8)?.try_into().map_err(|_| "truncated")?);
            let m = r.take(1)?[0] as usize;
            ws.clear();
            for _ in 0..m {
                let c = r.take(1)?[0] as u16;
                if c as usize >= weights.classes.len() {
                    return Err(format!("class {c} out of range at byte {}", r.at));
                }
                let w = i16::from_le_bytes(r.take(2)?.try_into().map_err(|_| "truncated")?) as f32 / scale;
                ws.push((c, w));
            }
            weights.insert(k, &ws);
        }
        Ok((weights, &b[r.at..]))
    }
}

pub(crate) struct Reader<'a> {
    pub b: &'a [u8],
    pub at: usize,
}

impl Reader<'_> {
    pub fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let s = self.b.get(self.at..self.at + n).ok_or_else(|| format!("model truncated at byte {}", self.at))?;
        self.at += n;
        Ok(s)
    }
    pub fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "truncated")?))
    }
}

/// Training state: dense weight rows per feature with totals and stamps for averaging.
pub(crate) struct Trainer {
    nc: usize,
    rows: KeyMap<usize>,
    w: Vec<f32>,
    tot: Vec<f32>,
    stamp: Vec<u32>,
    t: u32,
}

impl Trainer {
    pub fn new(nc: usize) -> Trainer {
        Trainer { nc, rows: KeyMap::default(), w: Vec::new(), tot: Vec::new(), stamp: Vec::new(), t: 0 }
    }

    /// Counts one training example (the clock of the averaging).
    pub fn tick(&mut self) {
        self.t += 1;
    }

    /// The current (not averaged) scores of the features.
    pub fn scores(&self, feats: &[u64], scores: &mut [f32]) {
        scores.iter_mut().for_each(|s| *s = 0.0);
        for f in feats {
            if let Some(&r) = self.rows.get(f) {
                for (c, s) in scores.iter_mut().enumerate() {
                    *s += self.w[r * self.nc + c];
                }
            }
        }
    }

    /// The perceptron update: towards `truth`, away from `guess`.
    pub fn update(&mut self, feats: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        self.add(feats, truth, 1.0);
        self.add(feats, guess, -1.0);
    }

    /// Adds `delta` to the weight of `class` for every feature (rows made on first sight).
    pub fn add(&mut self, feats: &[u64], class: usize, delta: f32) {
        let nc = self.nc;
        for f in feats {
            let r = *self.rows.entry(*f).or_insert_with(|| {
                self.w.extend(std::iter::repeat_n(0.0, nc));
                self.tot.extend(std::iter::repeat_n(0.0, nc));
                self.stamp.extend(std::iter::repeat_n(0, nc));
                self.w.len() / nc - 1
            });
            let k = r * nc + class;
            self.tot[k] += (self.t - self.stamp[k]) as f32 * self.w[k];
            self.stamp[k] = self.t;
            self.w[k] += delta;
        }
    }

    /// The averaged weights so far, dropping those under `prune` in absolute value.
    pub fn averaged(&self, classes: &[String], prune: f32) -> Weights {
        let mut weights = Vec::new();
        let t = self.t.max(1);
        for (&f, &r) in &self.rows {
            let mut ws = Vec::new();
            for c in 0..self.nc {
                let k = r * self.nc + c;
                let avg = (self.tot[k] + (t - self.stamp[k]) as f32 * self.w[k]) / t as f32;
                if avg.abs() >= prune {
                    ws.push((c as u16, avg));
                }
            }
            weights.push((f, ws));
        }
        // Deterministic layout: features in key order.
        weights.sort_unstable_by_key(|&(f, _)| f);
        Weights::new(classes.to_vec(), weights)
    }

    /// The averaged weights, dropping those under `prune` in absolute value.
    pub fn finish(self, classes: Vec<String>, prune: f32) -> Weights {
        self.averaged(&classes, prune)
    }
}

/// A deterministic shuffle (xorshift seeded by `rng`).
pub(crate) fn shuffle(order: &mut [usize], rng: &mut u64) {
    for i in (1..order.len()).rev() {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        order.swap(i, (*rng % (i as u64 + 1)) as usize);
    }
}
