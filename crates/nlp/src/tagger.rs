//! An averaged-perceptron part-of-speech tagger (greedy, left to right) predicting UPOS and PTB XPOS
//! together as one joint tag, trained by [`train`] on UD English-EWT.
//!
//! Features: the word, its lower case, prefix, suffixes of 1–3 characters, shape, the two previous
//! tags, and the neighbouring words. Features are hashed to 64 bits; the model file keeps, per
//! feature, the classes with non-negligible averaged weight quantised to `i16`.

use crate::perceptron::{argmax, fnv, prefix, shape, shuffle, suffix, Trainer, Weights};
use std::collections::HashMap;

/// Model file magic and version.
const MAGIC: &[u8; 8] = b"DYADPOS1";
/// Averaged weights smaller than this are dropped from the saved model.
const PRUNE: f32 = 0.02;

#[derive(Debug, Default, Clone)]
pub struct Tagger {
    model: Weights,
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
    out.push(fnv(&["p1", prefix(l, 1)]));
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
    out.push(fnv(&["pre3", prefix(l, 3)]));
    out.push(fnv(&["s2+1", suffix(get(1), 2)]));
    let flags = [w.chars().any(char::is_uppercase), w.contains('-'), w.chars().any(|c| c.is_ascii_digit())];
    out.push(fnv(&["fl", &format!("{flags:?}")]));
}

impl Tagger {
    pub fn classes(&self) -> &[String] {
        &self.model.classes
    }

    /// The joint tags (`UPOS|XPOS`) of a sentence's words.
    pub fn tag(&self, words: &[String]) -> Vec<&str> {
        let classes = &self.model.classes;
        if classes.is_empty() {
            return vec!["X|XX"; words.len()];
        }
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let mut out: Vec<&str> = Vec::with_capacity(words.len());
        let mut feats = Vec::new();
        let mut scores = vec![0.0; classes.len()];
        for i in 0..words.len() {
            let p1 = if i > 0 { out[i - 1] } else { "<s>" };
            let p2 = if i > 1 { out[i - 2] } else { "<s>" };
            features(words, &lower, i, p1, p2, &mut feats);
            self.model.scores(&feats, &mut scores);
            out.push(&classes[argmax(&scores, None)]);
        }
        out
    }

    /// Writes the model in dyad's compact binary format.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.model.to_bytes(MAGIC)
    }

    /// Reads a model written by [`Tagger::to_bytes`].
    pub fn from_bytes(b: &[u8]) -> Result<Tagger, String> {
        Ok(Tagger { model: Weights::from_bytes(b, MAGIC, "tagger")?.0 })
    }
}

/// Trains a tagger on (words, joint tags) sentences: `epochs` passes in an order shuffled by `seed`.
pub fn train(data: &[(Vec<String>, Vec<String>)], epochs: usize, seed: u64) -> Tagger {
    let mut classes: Vec<String> = data.iter().flat_map(|(_, t)| t.iter().cloned()).collect();
    classes.sort();
    classes.dedup();
    let index: HashMap<&str, usize> = classes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let mut trainer = Trainer::new(classes.len());
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = seed | 1;
    let mut feats = Vec::new();
    let mut scores = vec![0f32; classes.len()];
    for _ in 0..epochs {
        shuffle(&mut order, &mut rng);
        for &si in &order {
            let (words, gold) = &data[si];
            let lower: Vec<String> = words.iter().map(|x| x.to_lowercase()).collect();
            let mut pred: Vec<usize> = Vec::with_capacity(words.len());
            for i in 0..words.len() {
                trainer.tick();
                let p1 = if i > 0 { classes[pred[i - 1]].as_str() } else { "<s>" };
                let p2 = if i > 1 { classes[pred[i - 2]].as_str() } else { "<s>" };
                features(words, &lower, i, p1, p2, &mut feats);
                trainer.scores(&feats, &mut scores);
                let guess = argmax(&scores, None);
                trainer.update(&feats, index[gold[i].as_str()], guess);
                // Train on the predicted history, as the tagger will see it.
                pred.push(guess);
            }
        }
    }
    let model = trainer.finish(classes.clone(), PRUNE);
    Tagger { model }
}
