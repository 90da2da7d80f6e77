//! CoNLL-U reading and writing (the subset dyad needs: words, multiword tokens, `# text`).

use crate::Error;

/// One syntactic word of a CoNLL-U sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    pub feats: String,
    /// 1-based head, 0 root.
    pub head: u32,
    pub deprel: String,
    pub misc: String,
}

/// A multiword (surface) token covering words `first..=last` (0-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Mwt {
    pub first: usize,
    pub last: usize,
    pub form: String,
    pub misc: String,
}

/// One sentence: comments, words, multiword tokens.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConlluSentence {
    pub comments: Vec<String>,
    pub words: Vec<Word>,
    pub mwts: Vec<Mwt>,
    /// Whether `# newpar` or `# newdoc` precedes the sentence.
    pub newpar: bool,
    pub newdoc: bool,
}

impl ConlluSentence {
    /// The `# text = …` comment.
    pub fn text(&self) -> Option<&str> {
        self.comments.iter().find_map(|c| c.strip_prefix("# text = "))
    }
    /// Surface tokens: (form, word range, space after).
    pub fn surface(&self) -> Vec<(String, std::ops::Range<usize>, bool)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.words.len() {
            if let Some(m) = self.mwts.iter().find(|m| m.first == i) {
                out.push((m.form.clone(), m.first..m.last + 1, !m.misc.contains("SpaceAfter=No")));
                i = m.last + 1;
            } else {
                let w = &self.words[i];
                out.push((w.form.clone(), i..i + 1, !w.misc.contains("SpaceAfter=No")));
                i += 1;
            }
        }
        out
    }
}

/// Reads CoNLL-U text. `name` names the source in errors.
pub fn read(text: &str, name: &str) -> Result<Vec<ConlluSentence>, Error> {
    let mut out = Vec::new();
    let mut cur = ConlluSentence::default();
    let err = |line: usize, msg: String| Error::Conllu { file: name.to_string(), line, msg };
    for (ln, raw) in text.lines().enumerate() {
        let ln = ln + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                out.push(std::mem::take(&mut cur));
            } else {
                cur = ConlluSentence::default();
            }
            continue;
        }
        if line.starts_with('#') {
            if line.starts_with("# newpar") {
                cur.newpar = true;
            }
            if line.starts_with("# newdoc") {
                cur.newdoc = true;
                cur.newpar = true;
            }
            cur.comments.push(line.to_string());
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(err(ln, format!("expected 10 tab-separated columns, found {}", cols.len())));
        }
        let id = cols[0];
        if id.contains('.') {
            continue;
        }
        if let Some((a, b)) = id.split_once('-') {
            let (a, b): (usize, usize) = match (a.parse(), b.parse()) {
                (Ok(a), Ok(b)) if a >= 1 && b >= a => (a, b),
                _ => return Err(err(ln, format!("bad multiword token range {id:?}"))),
            };
            cur.mwts.push(Mwt { first: a - 1, last: b - 1, form: cols[1].to_string(), misc: cols[9].to_string() });
            continue;
        }
        let n: usize = id.parse().map_err(|_| err(ln, format!("expected a word index, found {id:?}")))?;
        if n != cur.words.len() + 1 {
            return Err(err(ln, format!("expected word index {}, found {n}", cur.words.len() + 1)));
        }
        let head = if cols[6] == "_" {
            0
        } else {
            cols[6].parse().map_err(|_| err(ln, format!("expected a head index, found {:?}", cols[6])))?
        };
        if cols[1].is_empty() {
            return Err(err(ln, "empty form".into()));
        }
        cur.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            feats: cols[5].to_string(),
            head,
            deprel: cols[7].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if !cur.words.is_empty() {
        out.push(cur);
    }
    for s in &out {
        let n = s.words.len() as u32;
        if let Some(w) = s.words.iter().find(|w| w.head > n) {
            return Err(Error::Conllu {
                file: name.to_string(),
                line: 0,
                msg: format!("head {} beyond sentence length {n} (word {:?})", w.head, w.form),
            });
        }
        if s.mwts.iter().any(|m| m.last >= s.words.len()) {
            return Err(Error::Conllu { file: name.to_string(), line: 0, msg: "multiword token past sentence end".into() });
        }
    }
    Ok(out)
}

/// Writes sentences as CoNLL-U.
pub fn write(sents: &[ConlluSentence]) -> String {
    let mut s = String::new();
    for sent in sents {
        for c in &sent.comments {
            s.push_str(c);
            s.push('\n');
        }
        for (i, w) in sent.words.iter().enumerate() {
            if let Some(m) = sent.mwts.iter().find(|m| m.first == i) {
                s.push_str(&format!("{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}\n", m.first + 1, m.last + 1, m.form, m.misc));
            }
            let d = |x: &str| if x.is_empty() { "_".to_string() } else { x.to_string() };
            s.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t_\t{}\n",
                i + 1,
                w.form,
                d(&w.lemma),
                d(&w.upos),
                d(&w.xpos),
                d(&w.feats),
                w.head,
                d(&w.deprel),
                d(&w.misc)
            ));
        }
        s.push('\n');
    }
    s
}
