//! A greedy labelled dependency parser: the arc-hybrid transition system (Kuhlmann et al. 2011) with
//! the root at the end of the buffer, an averaged perceptron over hashed Zhang & Nivre (2011) style
//! features, trained by [`train`] with the dynamic oracle of Goldberg & Nivre (2013).
//!
//! Transitions: SHIFT; LEFT(l) pops the stack top `s0` and attaches it to the buffer front `b0`;
//! RIGHT(l) pops `s0` and attaches it to the next stack item `s1`. A sentence of `n` words takes
//! exactly `2n` transitions, so parsing is linear. Non-projective training trees are projectivised by
//! lifting. At parse time a single root is enforced. The model file (`DYADDEP1`) keeps, per feature,
//! the classes with non-negligible averaged weight quantised to `i16`.

use crate::conllu::ConlluSentence;
use std::collections::HashMap;

/// Model file magic and version.
const MAGIC: &[u8; 8] = b"DYADDEP1";
/// Sentences longer than this are parsed in chunks of this size.
pub const MAX_LEN: usize = 300;
const NONE: u32 = u32::MAX;
const ROOT_LABEL: &str = "root";

/// Training settings; training is deterministic given these.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub seed: u64,
    /// From this epoch on (0-based), follow the model's own wrong transition with `explore_p`.
    pub explore_from: usize,
    pub explore_p: f64,
    /// Averaged weights with a smaller magnitude are dropped from the model.
    pub prune: f32,
    /// Then the smallest weights go until the model file fits in this many bytes (0: no limit).
    pub max_bytes: usize,
}

impl Default for TrainOptions {
    fn default() -> TrainOptions {
        TrainOptions { epochs: 15, seed: 1, explore_from: 1, explore_p: 0.9, prune: 0.02, max_bytes: 4_900_000 }
    }
}

// ---------------------------------------------------------------------------------------------
// Hashing

#[inline]
fn mix(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(31)
}

#[inline]
fn fin(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h.max(1)
}

fn str_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    fin(h)
}

const H_NONE: u64 = 0x1111;
const H_ROOT: u64 = 0x2222;

// ---------------------------------------------------------------------------------------------
// Transition system

/// Class ids: 0 is SHIFT, `1 + 2l` is LEFT(l), `2 + 2l` is RIGHT(l).
#[inline]
fn left(l: usize) -> usize {
    1 + 2 * l
}
#[inline]
fn right(l: usize) -> usize {
    2 + 2 * l
}

/// A parser configuration plus the per-token facts the features read. Index `n` is the root.
#[derive(Debug, Default, Clone)]
pub struct State {
    n: usize,
    stack: Vec<u32>,
    b0: usize,
    on_stack: Vec<bool>,
    pub heads: Vec<u32>,
    pub labels: Vec<u8>,
    lc1: Vec<u32>,
    lc2: Vec<u32>,
    rc1: Vec<u32>,
    rc2: Vec<u32>,
    vl: Vec<u8>,
    vr: Vec<u8>,
    lset: Vec<u64>,
    rset: Vec<u64>,
    word: Vec<u64>,
    tag: Vec<u64>,
    /// Enforce one root (parsing and training); off only to test the oracle's exactness.
    single_root: bool,
}

/// What the transitions cost against a gold tree: counts of labelled arcs made unreachable.
struct Costs {
    shift: u32,
    left: u32,
    right: u32,
}

impl State {
    fn reset(&mut self, words: &[&str], tags: &[&str]) {
        let n = words.len();
        self.n = n;
        self.stack.clear();
        self.b0 = 0;
        let m = n + 1;
        for v in [&mut self.lc1, &mut self.lc2, &mut self.rc1, &mut self.rc2, &mut self.heads] {
            v.clear();
            v.resize(m, NONE);
        }
        self.on_stack.clear();
        self.on_stack.resize(m, false);
        self.labels.clear();
        self.labels.resize(m, u8::MAX);
        for v in [&mut self.vl, &mut self.vr] {
            v.clear();
            v.resize(m, 0);
        }
        for v in [&mut self.lset, &mut self.rset] {
            v.clear();
            v.resize(m, 0);
        }
        self.word.clear();
        self.word.extend(words.iter().map(|w| str_hash(&w.to_lowercase())));
        self.word.push(H_ROOT);
        self.tag.clear();
        self.tag.extend(tags.iter().map(|t| str_hash(t)));
        self.tag.push(H_ROOT);
        self.single_root = true;
    }

    fn terminal(&self) -> bool {
        self.b0 >= self.n && self.stack.is_empty()
    }

    fn s(&self, k: usize) -> u32 {
        let l = self.stack.len();
        if k < l {
            self.stack[l - 1 - k]
        } else {
            NONE
        }
    }

    /// Whether SHIFT, LEFT, RIGHT are legal (labels aside).
    fn legal(&self) -> (bool, bool, bool) {
        let at_root = self.b0 >= self.n;
        let sl = self.stack.len();
        let shift = !at_root;
        let left = sl >= 1 && (!at_root || !self.single_root || sl == 1);
        let right = sl >= 2;
        (shift, left, right)
    }

    /// Whether class `c` is legal, with labels: only LEFT to the root carries `root`.
    fn legal_class(&self, c: usize, root_label: usize, lg: (bool, bool, bool)) -> bool {
        if c == 0 {
            return lg.0;
        }
        let l = (c - 1) / 2;
        let at_root = self.b0 >= self.n;
        if c % 2 == 1 {
            lg.1 && ((l == root_label) == at_root)
        } else {
            lg.2 && l != root_label
        }
    }

    fn add_arc(&mut self, h: u32, d: u32, label: u8) {
        let (hu, du) = (h as usize, d as usize);
        self.heads[du] = h;
        self.labels[du] = label;
        let bit = if label < 64 { 1u64 << label } else { 0 };
        if d < h {
            self.vl[hu] = self.vl[hu].saturating_add(1);
            self.lset[hu] |= bit;
            if self.lc1[hu] == NONE || d < self.lc1[hu] {
                self.lc2[hu] = self.lc1[hu];
                self.lc1[hu] = d;
            } else if self.lc2[hu] == NONE || d < self.lc2[hu] {
                self.lc2[hu] = d;
            }
        } else {
            self.vr[hu] = self.vr[hu].saturating_add(1);
            self.rset[hu] |= bit;
            if self.rc1[hu] == NONE || d > self.rc1[hu] {
                self.rc2[hu] = self.rc1[hu];
                self.rc1[hu] = d;
            } else if self.rc2[hu] == NONE || d > self.rc2[hu] {
                self.rc2[hu] = d;
            }
        }
    }

    /// Applies class `c` (assumed legal).
    fn apply(&mut self, c: usize) {
        if c == 0 {
            self.on_stack[self.b0] = true;
            self.stack.push(self.b0 as u32);
            self.b0 += 1;
            return;
        }
        let l = ((c - 1) / 2) as u8;
        let Some(s0) = self.stack.pop() else { return };
        self.on_stack[s0 as usize] = false;
        if c % 2 == 1 {
            self.add_arc(self.b0 as u32, s0, l);
        } else {
            let s1 = self.s(0);
            self.add_arc(s1, s0, l);
        }
    }

    /// Dynamic-oracle costs of the unlabelled transitions (Goldberg & Nivre 2013, arc-hybrid).
    fn costs(&self, gh: &[u32], deps: &[Vec<u32>]) -> Costs {
        let b0 = self.b0 as u32;
        let (s0, s1) = (self.s(0), self.s(1));
        let mut c = Costs { shift: 0, left: 0, right: 0 };
        if (b0 as usize) < self.n {
            c.shift = deps[b0 as usize].iter().filter(|&&d| self.on_stack[d as usize]).count() as u32;
            let h = gh[b0 as usize];
            if h != s0 && (h as usize) < self.n && self.on_stack[h as usize] {
                c.shift += 1;
            }
        }
        if s0 != NONE {
            let in_buffer = deps[s0 as usize].iter().filter(|&&d| d >= b0).count() as u32;
            let h = gh[s0 as usize];
            c.left = in_buffer + (h != b0 && ((s1 != NONE && h == s1) || h > b0)) as u32;
            c.right = in_buffer + (h >= b0) as u32;
        }
        c
    }

    /// The labelled cost of class `c`.
    fn class_cost(&self, c: usize, k: &Costs, gh: &[u32], gl: &[u8]) -> u32 {
        if c == 0 {
            return k.shift;
        }
        let l = ((c - 1) / 2) as u8;
        let s0 = self.s(0);
        if s0 == NONE {
            return u32::MAX;
        }
        let (h, gold_l) = (gh[s0 as usize], gl[s0 as usize]);
        if c % 2 == 1 {
            k.left + (h == self.b0 as u32 && l != gold_l) as u32
        } else {
            k.right + (h == self.s(1) && l != gold_l) as u32
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Features

/// Number of feature templates.
pub const NF: usize = 92;

fn dist_bucket(a: u32, b: u32) -> u64 {
    if a == NONE || b == NONE {
        return 0;
    }
    match a.abs_diff(b) {
        d @ 0..=4 => d as u64 + 1,
        5..=6 => 6,
        7..=9 => 7,
        _ => 8,
    }
}

fn features(st: &State, out: &mut [u64; NF]) {
    let w = |i: u32| if i == NONE { H_NONE } else { st.word[i as usize] };
    let p = |i: u32| if i == NONE { H_NONE } else { st.tag[i as usize] };
    let lab = |i: u32| if i == NONE { 0 } else { st.labels[i as usize] as u64 + 1 };
    let get = |v: &Vec<u32>, i: u32| if i == NONE { NONE } else { v[i as usize] };
    let n = st.n as u32;
    let s0 = st.s(0);
    let s1 = st.s(1);
    let s2 = st.s(2);
    let b0 = st.b0 as u32;
    let b1 = if b0 < n { b0 + 1 } else { NONE };
    let b2 = if b0 + 1 < n { b0 + 2 } else { NONE };
    let s0l = get(&st.lc1, s0);
    let s0l2 = get(&st.lc2, s0);
    let s0r = get(&st.rc1, s0);
    let s0r2 = get(&st.rc2, s0);
    let s1l = get(&st.lc1, s1);
    let s1r = get(&st.rc1, s1);
    let s1r2 = get(&st.rc2, s1);
    let b0l = st.lc1[b0 as usize];
    let b0l2 = st.lc2[b0 as usize];
    let (s0w, s0p, b0w, b0p) = (w(s0), p(s0), w(b0), p(b0));
    let (s1w, s1p, b1w, b1p, b2w, b2p) = (w(s1), p(s1), w(b1), p(b1), w(b2), p(b2));
    let d = dist_bucket(s0, b0);
    let d1 = dist_bucket(s1, s0);
    let val = |v: &Vec<u8>, i: u32| if i == NONE { 0 } else { v[i as usize].min(7) as u64 + 1 };
    let set = |v: &Vec<u64>, i: u32| if i == NONE { 0 } else { v[i as usize] };
    let (s0vl, s0vr, b0vl, s1vr) = (val(&st.vl, s0), val(&st.vr, s0), val(&st.vl, b0), val(&st.vr, s1));
    let (s0sl, s0sr, b0sl, s1sr) = (set(&st.lset, s0), set(&st.rset, s0), set(&st.lset, b0), set(&st.rset, s1));
    let f = [
        // bias and single words
        [1, 0, 0],
        [s0w, s0p, 0],
        [s0w, 0, 0],
        [s0p, 0, 0],
        [b0w, b0p, 0],
        [b0w, 0, 0],
        [b0p, 0, 0],
        [b1w, b1p, 0],
        [b1w, 0, 0],
        [b1p, 0, 0],
        [b2w, b2p, 0],
        [b2w, 0, 0],
        [b2p, 0, 0],
        [s1w, s1p, 0],
        [s1w, 0, 0],
        [s1p, 0, 0],
        [w(s2), 0, 0],
        [p(s2), 0, 0],
        // pairs
        [s0w ^ s0p.rotate_left(7), b0w, b0p],
        [s0w, s0p, b0w],
        [s0w, b0w, b0p],
        [s0w, s0p, b0p],
        [s0p, b0w, b0p],
        [s0w, b0w, 0],
        [s0p, b0p, 0],
        [b0p, b1p, 0],
        [s1w ^ s1p.rotate_left(7), s0w, s0p],
        [s1w, s0w, 0],
        [s1p, s0p, 0],
        [s1p, s0w, 0],
        [s1w, s0p, 0],
        [s1w, s0w, b0w],
        [s1p, b0p, 0],
        [s1w, b0w, 0],
        [b0w, b1w, 0],
        [b0w, b1p, 0],
        [b0p, b1w, 0],
        // triples of tags
        [b0p, b1p, b2p],
        [s0p, b0p, b1p],
        [s1p, s0p, b0p],
        [s0p, p(s0l), b0p],
        [s0p, p(s0r), b0p],
        [s0p, b0p, p(b0l)],
        [s1p, p(s1r), s0p],
        [s1p, s0p, p(s0l)],
        [s1p, s0p, p(s0r)],
        [s1p, p(s1l), s0p],
        [p(s2), s1p, s0p],
        [s0w, b0p, b1p],
        [s0p, b0w, b1p],
        // distance
        [s0w, d, 0],
        [s0p, d, 0],
        [b0w, d, 0],
        [b0p, d, 0],
        [s0w, b0w, d],
        [s0p, b0p, d],
        [s1p, s0p, d1],
        [s1w, s0w, d1],
        [s1w, d1, 0],
        [s0w, d1, 0],
        // valency
        [s0w, s0vr, 0],
        [s0p, s0vr, 0],
        [s0w, s0vl, 0],
        [s0p, s0vl, 0],
        [b0w, b0vl, 0],
        [b0p, b0vl, 0],
        [s1p, s1vr, 0],
        [s1w, s1vr, 0],
        // children
        [w(s0l), lab(s0l), 0],
        [p(s0l), lab(s0l), 0],
        [w(s0r), lab(s0r), 0],
        [p(s0r), lab(s0r), 0],
        [w(b0l), lab(b0l), 0],
        [p(b0l), lab(b0l), 0],
        [p(s1r), lab(s1r), 0],
        [p(s1l), lab(s1l), 0],
        [w(s0l2), p(s0l2), lab(s0l2)],
        [w(s0r2), p(s0r2), lab(s0r2)],
        [w(b0l2), p(b0l2), lab(b0l2)],
        [s0p, lab(s0l), lab(s0l2)],
        [s0p, lab(s0r), lab(s0r2)],
        [b0p, lab(b0l), lab(b0l2)],
        [s0p, p(s0l), p(s0l2)],
        [s0p, p(s0r), p(s0r2)],
        [b0p, p(b0l), p(b0l2)],
        [s1p, p(s1r), p(s1r2)],
        // label sets
        [s0w, s0sr, 0],
        [s0p, s0sr, 0],
        [s0w, s0sl, 0],
        [s0p, s0sl, 0],
        [b0p, b0sl, 0],
        [s1p, s1sr, 0],
    ];
    for ((o, [a, b, c]), t) in out.iter_mut().zip(f).zip(0u64..) {
        *o = fin(mix(mix(mix(t.wrapping_mul(0x2545_F491_4F6C_DD1D), a), b), c));
    }
}

// ---------------------------------------------------------------------------------------------
// Trees

/// Whether `h` dominates `k` (1-based heads, 0 is the root; cycles end the walk).
fn dominates(heads: &[u32], h: u32, mut k: u32) -> bool {
    for _ in 0..=heads.len() {
        if k == h {
            return true;
        }
        if k == 0 || k as usize > heads.len() {
            return false;
        }
        k = heads[k as usize - 1];
    }
    false
}

/// The non-projective arc with the shortest span, as its dependent's 0-based index: an arc is
/// non-projective when a word between its ends is not dominated by its head.
fn shortest_nonprojective(heads: &[u32]) -> Option<usize> {
    let mut best: Option<(usize, u32)> = None;
    for (d, &h) in heads.iter().enumerate() {
        if h == 0 || h as usize > heads.len() {
            continue;
        }
        let (dd, hh) = (d as u32 + 1, h);
        let (a, b) = (dd.min(hh), dd.max(hh));
        if (a + 1..b).any(|k| !dominates(heads, h, k)) && best.is_none_or(|(_, len)| b - a < len) {
            best = Some((d, b - a));
        }
    }
    best.map(|(d, _)| d)
}

/// Whether a tree (1-based heads, 0 is the root) is projective.
pub fn is_projective(heads: &[u32]) -> bool {
    shortest_nonprojective(heads).is_none()
}

/// Lifts non-projective arcs to the head's head (shortest first) until the tree is projective.
pub fn projectivize(heads: &mut [u32]) {
    for _ in 0..heads.len() * heads.len() {
        let Some(d) = shortest_nonprojective(heads) else { return };
        let h = heads[d] as usize;
        heads[d] = heads[h - 1];
    }
}

// ---------------------------------------------------------------------------------------------
// Model

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u64,
    start: u32,
    len: u32,
}

/// A trained parser, immutable and shareable across threads.
#[derive(Debug, Clone, Default)]
pub struct Parser {
    labels: Vec<String>,
    scale: f32,
    /// Open-addressing table from feature hash to a run of (class, weight) pairs.
    slots: Vec<Slot>,
    /// Class in the high 16 bits, `i16` weight in the low 16, so one cache line serves both.
    weights: Vec<u32>,
}

/// One parsed word: 1-based head (0 is the root) and relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Arc<'a> {
    pub head: u32,
    pub deprel: &'a str,
}

impl Parser {
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn feature_count(&self) -> usize {
        self.slots.iter().filter(|s| s.key != 0).count()
    }

    fn nclasses(&self) -> usize {
        1 + 2 * self.labels.len()
    }

    fn build(labels: Vec<String>, scale: f32, rows: Vec<(u64, Vec<(u8, i16)>)>) -> Parser {
        let cap = (rows.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![Slot::default(); cap];
        let mut weights = Vec::new();
        for (key, ws) in rows {
            let mut i = key as usize & (cap - 1);
            while slots[i].key != 0 && slots[i].key != key {
                i = (i + 1) & (cap - 1);
            }
            slots[i] = Slot { key, start: weights.len() as u32, len: ws.len() as u32 };
            weights.extend(ws.into_iter().map(|(c, w)| (c as u32) << 16 | w as u16 as u32));
        }
        Parser { labels, scale, slots, weights }
    }

    #[inline]
    fn lookup(&self, key: u64) -> Option<Slot> {
        let mask = self.slots.len().wrapping_sub(1);
        if self.slots.is_empty() {
            return None;
        }
        let mut i = key as usize & mask;
        loop {
            let s = self.slots[i];
            if s.key == key {
                return Some(s);
            }
            if s.key == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    fn score(&self, feats: &[u64; NF], scores: &mut [i32]) {
        scores.iter_mut().for_each(|s| *s = 0);
        // Resolve every feature first so the table's cache misses overlap, then add the weights.
        let mut runs = [(0u32, 0u32); NF];
        for (r, &f) in runs.iter_mut().zip(feats) {
            if let Some(s) = self.lookup(f) {
                *r = (s.start, s.len);
            }
        }
        for &(start, len) in &runs {
            for &cw in &self.weights[start as usize..(start + len) as usize] {
                if let Some(x) = scores.get_mut((cw >> 16) as usize) {
                    *x += cw as u16 as i16 as i32;
                }
            }
        }
    }

    /// Parses a sentence given its words and tags (the tags used in training: `UPOS|XPOS`).
    /// Sentences over [`MAX_LEN`] words are parsed in chunks whose roots attach to the first root.
    pub fn parse(&self, words: &[&str], tags: &[&str]) -> Vec<Arc<'_>> {
        let n = words.len().min(tags.len());
        let mut out = Vec::with_capacity(n);
        if self.labels.is_empty() {
            out.extend((0..n).map(|i| Arc { head: if i == 0 { 0 } else { 1 }, deprel: "dep" }));
            return out;
        }
        let mut st = State::default();
        let mut first_root = 0u32;
        for start in (0..n).step_by(MAX_LEN) {
            let end = (start + MAX_LEN).min(n);
            self.parse_chunk(&mut st, &words[start..end], &tags[start..end]);
            for i in 0..end - start {
                let h = st.heads[i];
                let (head, deprel) = if h as usize >= end - start || h == NONE {
                    if first_root == 0 {
                        first_root = (start + i + 1) as u32;
                        (0, ROOT_LABEL)
                    } else {
                        (first_root, "parataxis")
                    }
                } else {
                    let l = self.labels.get(st.labels[i] as usize).map_or("dep", String::as_str);
                    ((start as u32) + h + 1, l)
                };
                out.push(Arc { head, deprel });
            }
        }
        out
    }

    fn parse_chunk(&self, st: &mut State, words: &[&str], tags: &[&str]) {
        st.reset(words, tags);
        let root_label = self.labels.iter().position(|l| l == ROOT_LABEL).unwrap_or(usize::MAX);
        let nc = self.nclasses();
        let mut scores = vec![0i32; nc];
        let mut feats = [0u64; NF];
        while !st.terminal() {
            features(st, &mut feats);
            self.score(&feats, &mut scores);
            let lg = st.legal();
            let mut best = (usize::MAX, i32::MIN);
            for (c, &s) in scores.iter().enumerate() {
                if (best.0 == usize::MAX || s > best.1) && st.legal_class(c, root_label, lg) {
                    best = (c, s);
                }
            }
            if best.0 == usize::MAX {
                // No labelled class legal (a model without a `root` label): fall back to structure.
                best.0 = if lg.0 {
                    0
                } else if lg.2 {
                    right(0)
                } else {
                    left(0)
                };
            }
            st.apply(best.0);
        }
    }

    /// Drops the smallest weights until [`Parser::to_bytes`] fits in `max_bytes` (a feature costs
    /// 9 bytes plus 3 per weight); returns the smallest weight magnitude kept.
    pub fn prune_to(&mut self, max_bytes: usize) -> i16 {
        let head = 16 + self.labels.iter().map(|l| l.len() + 1).sum::<usize>();
        let size = |min: i32| {
            let mut bytes = head;
            for s in self.slots.iter().filter(|s| s.key != 0) {
                let kept = self.weights[s.start as usize..(s.start + s.len) as usize]
                    .iter()
                    .filter(|&&cw| (cw as u16 as i16 as i32).abs() >= min)
                    .count();
                if kept > 0 {
                    bytes += 9 + 3 * kept;
                }
            }
            bytes
        };
        // The smallest threshold that fits, by bisection over 1..=32768.
        let (mut lo, mut hi) = (1i32, 32768i32);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if size(mid) <= max_bytes {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let min = lo;
        let mut rows = Vec::new();
        let mut slots: Vec<&Slot> = self.slots.iter().filter(|s| s.key != 0).collect();
        slots.sort_by_key(|s| s.key);
        for s in slots {
            let ws: Vec<(u8, i16)> = self.weights[s.start as usize..(s.start + s.len) as usize]
                .iter()
                .map(|&cw| ((cw >> 16) as u8, cw as u16 as i16))
                .filter(|&(_, w)| (w as i32).abs() >= min)
                .collect();
            if !ws.is_empty() {
                rows.push((s.key, ws));
            }
        }
        *self = Parser::build(std::mem::take(&mut self.labels), self.scale, rows);
        min.min(i16::MAX as i32) as i16
    }

    /// Writes the model in dyad's compact binary format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.labels.len() as u32).to_le_bytes());
        for l in &self.labels {
            out.push(l.len() as u8);
            out.extend_from_slice(l.as_bytes());
        }
        out.extend_from_slice(&self.scale.to_le_bytes());
        let mut slots: Vec<&Slot> = self.slots.iter().filter(|s| s.key != 0).collect();
        slots.sort_by_key(|s| s.key);
        out.extend_from_slice(&(slots.len() as u32).to_le_bytes());
        for s in slots {
            out.extend_from_slice(&s.key.to_le_bytes());
            out.push(s.len as u8);
            for &cw in &self.weights[s.start as usize..(s.start + s.len) as usize] {
                out.push((cw >> 16) as u8);
                out.extend_from_slice(&(cw as u16 as i16).to_le_bytes());
            }
        }
        out
    }

    /// Reads a model written by [`Parser::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Parser, String> {
        let mut r = Reader { b, at: 0 };
        if r.take(8)? != MAGIC {
            return Err("not a dyad parser model (bad magic)".into());
        }
        let n = r.u32()? as usize;
        if n > 127 {
            return Err(format!("implausible label count {n}"));
        }
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            let len = r.take(1)?[0] as usize;
            labels.push(String::from_utf8(r.take(len)?.to_vec()).map_err(|_| "label is not UTF-8")?);
        }
        let nc = 1 + 2 * n;
        let scale = f32::from_le_bytes(r.take(4)?.try_into().map_err(|_| "truncated")?);
        let nf = r.u32()? as usize;
        // Each feature takes at least 9 bytes: never reserve more than the file can hold.
        let mut rows = Vec::with_capacity(nf.min(b.len() / 9));
        for _ in 0..nf {
            let k = u64::from_le_bytes(r.take(8)?.try_into().map_err(|_| "truncated")?);
            if k == 0 {
                return Err(format!("zero feature key at byte {}", r.at));
            }
            let m = r.take(1)?[0] as usize;
            let mut ws = Vec::with_capacity(m);
            for _ in 0..m {
                let c = r.take(1)?[0];
                if c as usize >= nc {
                    return Err(format!("class {c} out of range at byte {}", r.at));
                }
                ws.push((c, i16::from_le_bytes(r.take(2)?.try_into().map_err(|_| "truncated")?)));
            }
            rows.push((k, ws));
        }
        if r.at != b.len() {
            return Err(format!("trailing bytes after byte {}", r.at));
        }
        Ok(Parser::build(labels, scale, rows))
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

// ---------------------------------------------------------------------------------------------
// Training

/// A gold tree prepared for the oracle: heads as indices with the root at `n`, labels as ids.
pub struct Gold {
    pub heads: Vec<u32>,
    pub labels: Vec<u8>,
    pub deps: Vec<Vec<u32>>,
}

impl Gold {
    /// From 1-based CoNLL-U heads; `labels` are label ids.
    pub fn new(heads: &[u32], labels: &[u8]) -> Gold {
        let n = heads.len();
        let h: Vec<u32> = heads.iter().map(|&h| if h == 0 || h as usize > n { n as u32 } else { h - 1 }).collect();
        let mut deps = vec![Vec::new(); n + 1];
        for (d, &hh) in h.iter().enumerate() {
            deps[hh as usize].push(d as u32);
        }
        Gold { heads: h, labels: labels.to_vec(), deps }
    }
}

/// Runs the static oracle (always the first zero-cost legal class) and returns the tree it builds:
/// 1-based heads and label ids. With `single_root` off the system is the plain arc-hybrid one.
pub fn oracle_parse(words: &[&str], gold: &Gold, nlabels: usize, root_label: usize) -> (Vec<u32>, Vec<u8>, bool) {
    let tags = vec![""; words.len()];
    let mut st = State::default();
    st.reset(words, &tags);
    let mut all_zero = true;
    while !st.terminal() {
        let lg = st.legal();
        let k = st.costs(&gold.heads, &gold.deps);
        let mut pick = None;
        for c in 0..1 + 2 * nlabels {
            if st.legal_class(c, root_label, lg) {
                let cost = st.class_cost(c, &k, &gold.heads, &gold.labels);
                if pick.is_none_or(|(_, pc)| cost < pc) {
                    pick = Some((c, cost));
                }
            }
        }
        let Some((c, cost)) = pick else { break };
        all_zero &= cost == 0;
        st.apply(c);
    }
    let n = words.len();
    let heads = (0..n).map(|i| if st.heads[i] as usize >= n { 0 } else { st.heads[i] + 1 }).collect();
    (heads, st.labels[..n].to_vec(), all_zero)
}

/// Follows random legal transitions (plain arc-hybrid, no single-root rule) and returns the sum of
/// the oracle costs of the transitions taken and the number of labelled errors in the final tree.
/// For a projective gold tree the two are equal: the oracle is exact.
pub fn random_walk_loss(gold: &Gold, nlabels: usize, root_label: usize, seed: u64) -> (u32, u32) {
    let n = gold.heads.len();
    let words = vec!["w"; n];
    let mut st = State::default();
    st.reset(&words, &words);
    st.single_root = false;
    let mut rng = Rng(seed | 1);
    let mut total = 0;
    let mut legal = Vec::new();
    while !st.terminal() {
        let lg = st.legal();
        legal.clear();
        legal.extend((0..1 + 2 * nlabels).filter(|&c| st.legal_class(c, root_label, lg)));
        let c = legal[(rng.next() % legal.len() as u64) as usize];
        let k = st.costs(&gold.heads, &gold.deps);
        total += st.class_cost(c, &k, &gold.heads, &gold.labels);
        st.apply(c);
    }
    let errors = (0..n).filter(|&i| st.heads[i] != gold.heads[i] || st.labels[i] != gold.labels[i]).count();
    (total, errors as u32)
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[derive(Default, Clone, Copy)]
struct TWeight {
    class: u8,
    stamp: u32,
    w: f32,
    total: f64,
}

#[derive(Default)]
struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys are hashed")
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

type IdMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<IdHasher>>;

/// Trains a parser on sentences whose `upos`/`xpos` are the tags it will see at parse time (for
/// example jack-knifed tagger output). `report` is called after each epoch with (epoch, training
/// accuracy of the chosen transitions).
pub fn train(sentences: &[ConlluSentence], o: &TrainOptions, mut report: impl FnMut(usize, f64)) -> Parser {
    let mut labels: Vec<String> = sentences.iter().flat_map(|s| s.words.iter().map(|w| w.deprel.clone())).collect();
    labels.sort();
    labels.dedup();
    labels.truncate(127);
    let index: HashMap<&str, u8> = labels.iter().enumerate().map(|(i, l)| (l.as_str(), i as u8)).collect();
    let root_label = labels.iter().position(|l| l == ROOT_LABEL).unwrap_or(usize::MAX);
    let nc = 1 + 2 * labels.len();
    struct Ex {
        words: Vec<String>,
        tags: Vec<String>,
        gold: Gold,
    }
    let data: Vec<Ex> = sentences
        .iter()
        .filter(|s| !s.words.is_empty() && s.words.len() <= MAX_LEN)
        .map(|s| {
            let mut heads: Vec<u32> = s.words.iter().map(|w| w.head).collect();
            if heads.iter().any(|&h| h as usize > heads.len()) {
                heads.iter_mut().for_each(|h| *h = 0);
            }
            projectivize(&mut heads);
            let ls: Vec<u8> = s.words.iter().map(|w| index.get(w.deprel.as_str()).copied().unwrap_or(0)).collect();
            Ex {
                words: s.words.iter().map(|w| w.form.clone()).collect(),
                tags: s.words.iter().map(|w| format!("{}|{}", w.upos, w.xpos)).collect(),
                gold: Gold::new(&heads, &ls),
            }
        })
        .collect();
    let mut wts: IdMap<Vec<TWeight>> = IdMap::default();
    let mut t: u32 = 0;
    let mut rng = Rng(o.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut st = State::default();
    let mut feats = [0u64; NF];
    let mut scores = vec![0f32; nc];
    let mut cost = vec![0u32; nc];
    for epoch in 0..o.epochs {
        for i in (1..order.len()).rev() {
            order.swap(i, (rng.next() % (i as u64 + 1)) as usize);
        }
        let (mut steps, mut right_steps) = (0usize, 0usize);
        for &si in &order {
            let ex = &data[si];
            let words: Vec<&str> = ex.words.iter().map(String::as_str).collect();
            let tags: Vec<&str> = ex.tags.iter().map(String::as_str).collect();
            st.reset(&words, &tags);
            while !st.terminal() {
                t += 1;
                features(&st, &mut feats);
                scores.iter_mut().for_each(|s| *s = 0.0);
                for f in &feats {
                    if let Some(v) = wts.get(f) {
                        for e in v {
                            scores[e.class as usize] += e.w;
                        }
                    }
                }
                let lg = st.legal();
                let k = st.costs(&ex.gold.heads, &ex.gold.deps);
                let mut min_cost = u32::MAX;
                for (c, slot) in cost.iter_mut().enumerate() {
                    *slot = if st.legal_class(c, root_label, lg) {
                        st.class_cost(c, &k, &ex.gold.heads, &ex.gold.labels)
                    } else {
                        u32::MAX
                    };
                    min_cost = min_cost.min(*slot);
                }
                if min_cost == u32::MAX {
                    break;
                }
                let argmax = |ok: &dyn Fn(usize) -> bool| {
                    let mut best = (usize::MAX, f32::MIN);
                    for (c, &s) in scores.iter().enumerate() {
                        if ok(c) && (best.0 == usize::MAX || s > best.1) {
                            best = (c, s);
                        }
                    }
                    best.0
                };
                let pred = argmax(&|c| cost[c] != u32::MAX);
                let gold = argmax(&|c| cost[c] == min_cost);
                steps += 1;
                let next = if cost[pred] > min_cost {
                    for f in &feats {
                        let v = wts.entry(*f).or_default();
                        for (c, delta) in [(gold, 1.0f32), (pred, -1.0)] {
                            let e = match v.iter_mut().position(|e| e.class as usize == c) {
                                Some(i) => &mut v[i],
                                None => {
                                    v.push(TWeight { class: c as u8, stamp: t, w: 0.0, total: 0.0 });
                                    v.last_mut().expect("just pushed")
                                }
                            };
                            e.total += (t - e.stamp) as f64 * e.w as f64;
                            e.stamp = t;
                            e.w += delta;
                        }
                    }
                    if epoch >= o.explore_from && rng.unit() < o.explore_p {
                        pred
                    } else {
                        gold
                    }
                } else {
                    right_steps += 1;
                    pred
                };
                st.apply(next);
            }
        }
        report(epoch, right_steps as f64 / steps.max(1) as f64);
    }
    // Average, prune and quantise.
    let mut rows: Vec<(u64, Vec<(u8, f32)>)> = Vec::new();
    let mut max = 1e-6f32;
    for (f, v) in wts {
        let mut ws: Vec<(u8, f32)> = v
            .iter()
            .map(|e| (e.class, ((e.total + (t - e.stamp) as f64 * e.w as f64) / t.max(1) as f64) as f32))
            .filter(|(_, a)| a.abs() >= o.prune)
            .collect();
        if ws.is_empty() {
            continue;
        }
        ws.sort_by_key(|x| x.0);
        max = ws.iter().fold(max, |m, x| m.max(x.1.abs()));
        rows.push((f, ws));
    }
    rows.sort_by_key(|r| r.0);
    let scale = 32767.0 / max;
    let rows = rows
        .into_iter()
        .filter_map(|(f, ws)| {
            let q: Vec<(u8, i16)> =
                ws.into_iter().map(|(c, w)| (c, (w * scale).round() as i16)).filter(|x| x.1 != 0).collect();
            (!q.is_empty()).then_some((f, q))
        })
        .collect();
    let mut p = Parser::build(labels, scale, rows);
    if o.max_bytes > 0 {
        p.prune_to(o.max_bytes);
    }
    p
}

/// Attachment scores over words (punctuation included): (words, heads right, heads and labels right).
pub fn attachment(gold: &[(u32, &str)], pred: &[Arc<'_>]) -> (usize, usize, usize) {
    let mut s = (gold.len(), 0, 0);
    for (g, p) in gold.iter().zip(pred) {
        if g.0 == p.head {
            s.1 += 1;
            if g.1 == p.deprel {
                s.2 += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "The cat sat on the mat ." with UD heads and labels.
    fn example() -> (Vec<&'static str>, Vec<u32>, Vec<&'static str>) {
        (
            vec!["The", "cat", "sat", "on", "the", "mat", "."],
            vec![2, 3, 0, 6, 6, 3, 3],
            vec!["det", "nsubj", "root", "case", "det", "obl", "punct"],
        )
    }

    fn label_ids(labels: &[&str]) -> (Vec<&'static str>, Vec<u8>, usize) {
        let all = vec!["case", "det", "nsubj", "obl", "punct", "root"];
        let ids = labels.iter().map(|l| all.iter().position(|a| a == l).unwrap() as u8).collect();
        (all, ids, 5)
    }

    #[test]
    fn oracle_reproduces_a_projective_tree() {
        let (words, heads, labels) = example();
        let (all, ids, root) = label_ids(&labels);
        let gold = Gold::new(&heads, &ids);
        let (h, l, zero) = oracle_parse(&words, &gold, all.len(), root);
        assert_eq!(h, heads);
        assert_eq!(l, ids);
        assert!(zero, "every transition on the gold path costs 0");
    }

    #[test]
    fn costs_count_lost_arcs_exactly() {
        let (_, heads, labels) = example();
        let (all, ids, root) = label_ids(&labels);
        let gold = Gold::new(&heads, &ids);
        for seed in 1..200 {
            let (cost, errors) = random_walk_loss(&gold, all.len(), root, seed);
            assert_eq!(cost, errors, "seed {seed}");
        }
    }

    /// On every projective EWT train tree the static oracle rebuilds the tree with zero-cost
    /// transitions only, and on a sample the costs of random paths equal the errors they make.
    #[test]
    fn oracle_on_ewt_train() {
        let Some(path) = dyad_testkit::shared("eval/nlp/UD_English-EWT/en_ewt-ud-train.conllu") else { return };
        let sents = crate::conllu::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut labels: Vec<&str> = sents.iter().flat_map(|s| s.words.iter().map(|w| w.deprel.as_str())).collect();
        labels.sort();
        labels.dedup();
        let root = labels.iter().position(|&l| l == ROOT_LABEL).unwrap();
        let (mut checked, mut lifted) = (0, 0);
        for (k, s) in sents.iter().enumerate() {
            let mut heads: Vec<u32> = s.words.iter().map(|w| w.head).collect();
            let ids: Vec<u8> =
                s.words.iter().map(|w| labels.iter().position(|&l| l == w.deprel).unwrap() as u8).collect();
            if !is_projective(&heads) {
                projectivize(&mut heads);
                assert!(is_projective(&heads));
                lifted += 1;
            }
            let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
            let gold = Gold::new(&heads, &ids);
            let (h, l, zero) = oracle_parse(&words, &gold, labels.len(), root);
            assert!(zero && h == heads && l == ids, "sentence {k}");
            if k % 20 == 0 {
                let (cost, errors) = random_walk_loss(&gold, labels.len(), root, k as u64 + 1);
                assert_eq!(cost, errors, "sentence {k}");
            }
            checked += 1;
        }
        assert_eq!(checked, 12_544);
        assert!((250..330).contains(&lifted), "{lifted} non-projective trees");
    }

    #[test]
    fn projectivize_lifts_crossing_arcs() {
        // 1 -> 3, 2 -> 4 cross.
        let mut heads = vec![3, 4, 0, 3];
        assert!(!is_projective(&heads));
        projectivize(&mut heads);
        assert!(is_projective(&heads));
        assert_eq!(heads, [3, 3, 0, 3]);
        let (_, h, _) = example();
        assert!(is_projective(&h));
    }

    #[test]
    fn an_empty_model_and_odd_input_do_not_panic() {
        let p = Parser::default();
        assert_eq!(
            p.parse(&["a", "b"], &["X|XX", "X|XX"]),
            [Arc { head: 0, deprel: "dep" }, Arc { head: 1, deprel: "dep" }]
        );
        assert!(p.parse(&[], &[]).is_empty());
        assert!(Parser::from_bytes(b"").is_err());
        assert!(Parser::from_bytes(b"DYADDEP1\xff\xff\xff\xff").is_err());
    }

    #[test]
    fn a_tiny_trained_model_parses_its_training_sentence() {
        let (words, heads, labels) = example();
        let s = ConlluSentence {
            text: None,
            words: words
                .iter()
                .zip(&heads)
                .zip(&labels)
                .map(|((w, h), l)| crate::conllu::Word {
                    form: w.to_string(),
                    lemma: w.to_string(),
                    upos: "X".into(),
                    xpos: "X".into(),
                    head: *h,
                    deprel: l.to_string(),
                    misc: String::new(),
                })
                .collect(),
            ..ConlluSentence::default()
        };
        let p = train(&[s], &TrainOptions { epochs: 5, prune: 0.0, ..TrainOptions::default() }, |_, _| {});
        let p = Parser::from_bytes(&p.to_bytes()).unwrap();
        let tags = vec!["X|X"; words.len()];
        let got = p.parse(&words, &tags);
        let want: Vec<Arc> = heads.iter().zip(&labels).map(|(&head, &deprel)| Arc { head, deprel }).collect();
        assert_eq!(got, want);
        // Long input is chunked and keeps exactly one root.
        let long: Vec<&str> = words.iter().cycle().take(MAX_LEN * 2 + 5).copied().collect();
        let ltags = vec!["X|X"; long.len()];
        let arcs = p.parse(&long, &ltags);
        assert_eq!(arcs.len(), long.len());
        assert_eq!(arcs.iter().filter(|a| a.head == 0).count(), 1);
        assert!(arcs.iter().all(|a| a.head as usize <= long.len()));
    }
}
