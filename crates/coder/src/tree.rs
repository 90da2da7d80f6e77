//! A dependency tree the coder can trust: heads checked, cycles broken, children indexed.
//!
//! The parse comes from outside the coder (dyad's parser, a CoNLL-U file, a test), so it may be
//! broken: heads out of range, a token that is its own head, cycles, no root or many roots. [`Tree::new`]
//! turns any of these into a forest in linear time and says what it repaired; the coder then walks
//! only real trees, so no walk can loop.

use dyad_model::Sentence;

#[derive(Debug, Clone)]
pub struct Tree {
    /// 0-based head of each token; `None` for a root.
    pub parent: Vec<Option<u32>>,
    /// Children of token `i`: `kids[start[i]..start[i + 1]]`, in token order.
    start: Vec<u32>,
    kids: Vec<u32>,
    /// What was repaired, for `dyad explain`.
    pub repairs: Vec<String>,
    /// True when the parse carries no usable structure (every token a root, or every relation `dep`):
    /// the coder then falls back to token order.
    pub degenerate: bool,
}

impl Tree {
    pub fn new(sent: &Sentence) -> Tree {
        let n = sent.tokens.len();
        let mut repairs = Vec::new();
        let mut parent: Vec<Option<u32>> = sent
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let h = t.head as usize;
                if h == 0 {
                    None
                } else if h > n || h == i + 1 {
                    repairs.push(format!("token {}: head {} out of range or itself; made a root", i + 1, h));
                    None
                } else {
                    Some((h - 1) as u32)
                }
            })
            .collect();
        // Break cycles: walk up from each token, colouring the path; meeting a token of the current
        // path closes a cycle, which is cut at the token where the walk met it. Each token is coloured
        // once, so this is linear.
        let mut state = vec![0u8; n]; // 0 new, 1 on the current path, 2 done
        let mut path = Vec::new();
        for s in 0..n {
            let mut k = s;
            path.clear();
            loop {
                if state[k] == 2 {
                    break;
                }
                if state[k] == 1 {
                    repairs.push(format!("token {}: on a cycle; made a root", k + 1));
                    parent[k] = None;
                    break;
                }
                state[k] = 1;
                path.push(k);
                match parent[k] {
                    Some(p) => k = p as usize,
                    None => break,
                }
            }
            for &p in &path {
                state[p] = 2;
            }
        }
        if n > 0 && parent.iter().all(|p| p.is_none()) && n > 2 {
            repairs.push("no token has a head".into());
        }
        let roots = parent.iter().filter(|p| p.is_none()).count();
        if n > 0 && roots == 0 {
            repairs.push("no root".into());
        }
        let all_dep = sent.tokens.iter().all(|t| t.deprel.is_empty() || t.deprel == "dep" || t.deprel == "_");
        let degenerate = n > 2 && (roots == n || all_dep);
        // Children in CSR form.
        let mut count = vec![0u32; n + 1];
        for p in parent.iter().flatten() {
            count[*p as usize + 1] += 1;
        }
        for i in 0..n {
            count[i + 1] += count[i];
        }
        let start = count.clone();
        let mut fill = count;
        let mut kids = vec![0u32; start[n] as usize];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                let at = &mut fill[*p as usize];
                kids[*at as usize] = i as u32;
                *at += 1;
            }
        }
        Tree { parent, start, kids, repairs, degenerate }
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    pub fn children(&self, i: usize) -> &[u32] {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.kids[a as usize..b as usize],
            _ => &[],
        }
    }

    pub fn parent(&self, i: usize) -> Option<usize> {
        self.parent.get(i).copied().flatten().map(|p| p as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_model::{Span, Token, Upos};

    fn sent(heads: &[u32]) -> Sentence {
        Sentence {
            span: Span::new(0, 0),
            tokens: heads
                .iter()
                .map(|&h| Token {
                    span: Span::new(0, 0),
                    lemma: String::new(),
                    upos: Upos::X,
                    xpos: String::new(),
                    head: h,
                    deprel: "nsubj".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn cycles_and_bad_heads_become_roots() {
        // 1→2→3→1 is a cycle; 4 points past the end; 5 is its own head.
        let t = Tree::new(&sent(&[2, 3, 1, 9, 5]));
        assert_eq!(t.parent.iter().filter(|p| p.is_none()).count(), 3);
        for s in 0..5 {
            let (mut k, mut steps) = (s, 0);
            while let Some(p) = t.parent(k) {
                k = p;
                steps += 1;
                assert!(steps <= 5, "loop from {s}");
            }
        }
        assert!(!t.repairs.is_empty());
    }

    #[test]
    fn children_in_order() {
        let t = Tree::new(&sent(&[2, 0, 2, 3]));
        assert_eq!(t.children(1), &[0, 2]);
        assert_eq!(t.children(2), &[3]);
        assert!(t.children(9).is_empty());
        assert!(!t.degenerate);
    }

    #[test]
    fn a_long_chain_is_linear() {
        let n = 100_000u32;
        let heads: Vec<u32> = (0..n).map(|i| if i == 0 { 0 } else { i }).collect();
        let t = Tree::new(&sent(&heads));
        assert_eq!(t.parent.iter().filter(|p| p.is_none()).count(), 1);
    }
}
