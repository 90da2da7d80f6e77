//! Story clusters: news is republished many times, with small edits. Articles whose body
//! SimHash fingerprints differ in at most [`MAX_DISTANCE`] of 64 bits are one story
//! (Manku et al., WWW 2007). Candidates are found through eight 8-bit bands: two fingerprints
//! within distance 7 agree exactly on at least one band, so each lookup costs a few hash probes.

use std::collections::HashMap;

/// Largest Hamming distance between fingerprints of the same story.
pub const MAX_DISTANCE: u32 = 6;

/// Bodies shorter than this many words get no cluster of their own beyond exact duplicates:
/// their fingerprints are too noisy.
const MIN_WORDS: usize = 30;

#[derive(Debug, Default)]
pub struct StoryIndex {
    bands: [HashMap<u8, Vec<(u64, u64)>>; 8],
}

impl StoryIndex {
    pub fn new() -> StoryIndex {
        StoryIndex::default()
    }

    /// The story of an article with this fingerprint: the story of an earlier near-duplicate, or
    /// `id` (the article's own id) as a new story. `words` is the body's word count.
    pub fn assign(&mut self, fingerprint: u64, words: usize, id: u64) -> u64 {
        if let Some(s) = self.find(fingerprint, if words >= MIN_WORDS { MAX_DISTANCE } else { 0 }) {
            return s;
        }
        self.insert(fingerprint, id);
        id
    }

    /// Sets `article.story`: call in input order (one writer) so story ids do not depend on
    /// thread scheduling.
    pub fn assign_article(&mut self, article: &mut dyad_model::Article) {
        let words = article.body.split_whitespace().count();
        article.story = Some(self.assign(article.fingerprint, words, article.id.0));
    }

    /// Records a known (fingerprint, story) pair, e.g. from the store at start-up.
    pub fn insert(&mut self, fingerprint: u64, story: u64) {
        for (b, map) in self.bands.iter_mut().enumerate() {
            map.entry((fingerprint >> (8 * b)) as u8).or_default().push((fingerprint, story));
        }
    }

    /// The story of the closest known fingerprint within `max` bits.
    pub fn find(&self, fingerprint: u64, max: u32) -> Option<u64> {
        let mut best: Option<(u32, u64)> = None;
        for (b, map) in self.bands.iter().enumerate() {
            if let Some(list) = map.get(&((fingerprint >> (8 * b)) as u8)) {
                for &(f, s) in list {
                    let d = crate::hamming(f, fingerprint);
                    if d <= max && best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, s));
                    }
                }
            }
        }
        best.map(|(_, s)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn republished_copies_join_the_first_story() {
        let base = "The foreign ministers of India and Pakistan met in Geneva on Tuesday and agreed to resume talks on the disputed border, officials from both governments said after the meeting, which lasted more than four hours and ended late in the evening with a joint statement on trade, water and prisoners held by each side.";
        let copy = base.replace("late in the evening", "in the evening");
        let other = "Russian troops shelled the city of Kharkiv overnight, killing three civilians and damaging a hospital and two schools, regional officials said on Wednesday morning in a statement that also reported power cuts across the eastern districts and called on residents to stay in shelters until the attacks stopped.";
        let mut idx = StoryIndex::new();
        let w = |t: &str| t.split_whitespace().count();
        let a = idx.assign(crate::simhash(base), w(base), 1);
        let b = idx.assign(crate::simhash(&copy), w(&copy), 2);
        let c = idx.assign(crate::simhash(other), w(other), 3);
        assert_eq!((a, b, c), (1, 1, 3), "distance {}", crate::hamming(crate::simhash(base), crate::simhash(&copy)));
    }
}
