//! Scoring attribution against brat standoff gold data (PolNeAR).
//!
//! # Reading
//!
//! [`read_ann`] reads one `.ann` file of PolNeAR's `attributions/` folder against its text:
//!
//! - `T` lines `id TAB TYPE start end[;start end…] TAB text` hold spans, with offsets in
//!   characters of the `.txt`; they are turned into byte ranges of the text, so every span indexes
//!   the same string as dyad's own. Discontinuous spans keep each fragment.
//! - `E` lines `Attribution:T4 Content:T3 Cue:T2 Source:T1` (any order; the anchor may be
//!   `Attribution-no-source`; a second content is `Content2`) link spans into one [`Relation`].
//! - `Discuss`/`Discard` markers, `#` notes and the continuation lines of multi-line texts are
//!   ignored.
//!
//! [`read_dir`] pairs every `attributions/<stem>_<annotator>.ann` with `text/<stem>.txt`. A text
//! annotated by several people gives one [`GoldDoc`] per annotation, so it is predicted once and
//! scored against each annotator (dev has 94 annotations of 84 texts).
//!
//! # The metric
//!
//! Spans are first normalised: each fragment is trimmed of white space, empty fragments dropped,
//! and fragments separated only by white space merged; a role's span is the sorted list of its
//! fragments. Then, per document:
//!
//! - **Role spans** (content, source, cue): the distinct gold spans of the role, over all the
//!   relations of the document, against the distinct predicted ones.
//!   - *exact*: a predicted span is right when a gold span has exactly the same fragments;
//!   - *overlap*: a predicted span is right when it shares at least one byte with a gold span of
//!     the same role. Each gold span is matched at most once and each predicted span at most
//!     once, pairing the largest overlaps first.
//! - **Relations**: a predicted relation matches a gold one when their contents overlap and their
//!   sources overlap (or both have no source); *exact* asks for identical content and source
//!   spans. The cue is not required. Again one-to-one, largest overlaps first.
//!
//! Precision = matched ÷ predicted, recall = matched ÷ gold, F1 their harmonic mean, summed over
//! all documents before dividing (micro-average).

use crate::Attribution;
use dyad_model::Span;
use std::fmt;
use std::path::{Path, PathBuf};

/// One attribution: what was said (content), by whom (source), through which words (cue).
/// Each role is a list of fragments; an empty list means the role is absent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Relation {
    pub content: Vec<Span>,
    pub source: Vec<Span>,
    pub cue: Vec<Span>,
}

/// A text and one annotator's relations over it.
#[derive(Debug, Clone)]
pub struct GoldDoc {
    /// File stem of the text (`breitbart_2016-09-12_stealth-over-health-hillary-clin`).
    pub name: String,
    pub annotator: String,
    pub text: String,
    pub relations: Vec<Relation>,
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Format { path: PathBuf, line: usize, message: String },
    #[error("{0}: no attributions/ folder with .ann files")]
    Empty(PathBuf),
}

/// Byte offset of each character offset of `text` (one past the end included).
fn char_to_byte(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    v.push(text.len());
    v
}

/// Parses `start end;start end` into byte spans.
fn parse_fragments(s: &str, map: &[usize]) -> Option<Vec<Span>> {
    let mut out = Vec::new();
    for frag in s.split(';') {
        let mut it = frag.split_whitespace();
        let a: usize = it.next()?.parse().ok()?;
        let b: usize = it.next()?.parse().ok()?;
        if it.next().is_some() || a > b {
            return None;
        }
        out.push(Span::new(*map.get(a)?, *map.get(b)?));
    }
    Some(out)
}

/// The relations of one `.ann` file over `text`. `path` only names the file in errors.
pub fn read_ann(path: &Path, text: &str, ann: &str) -> Result<Vec<Relation>, EvalError> {
    let map = char_to_byte(text);
    let mut spans: std::collections::HashMap<&str, Vec<Span>> = std::collections::HashMap::new();
    let mut events: Vec<(usize, &str)> = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let err = |message: String| EvalError::Format { path: path.to_path_buf(), line: n + 1, message };
        let mut cols = line.split('\t');
        let (Some(id), Some(def)) = (cols.next(), cols.next()) else { continue };
        if id.starts_with('T') {
            let (_, offsets) = def.split_once(' ').ok_or_else(|| err(format!("no offsets in {def:?}")))?;
            let frags = parse_fragments(offsets, &map).ok_or_else(|| err(format!("bad offsets {offsets:?}")))?;
            spans.insert(id, frags);
        } else if id.starts_with('E') {
            events.push((n, def));
        }
    }
    let mut out = Vec::new();
    for (n, def) in events {
        let mut r = Relation::default();
        for arg in def.split_whitespace() {
            let Some((role, id)) = arg.split_once(':') else { continue };
            let frags = spans.get(id).ok_or_else(|| EvalError::Format {
                path: path.to_path_buf(),
                line: n + 1,
                message: format!("unknown span {id}"),
            })?;
            if role.starts_with("Content") {
                r.content.extend(frags);
            } else if role.starts_with("Source") {
                r.source.extend(frags);
            } else if role.starts_with("Cue") {
                r.cue.extend(frags);
            }
        }
        out.push(r);
    }
    Ok(out)
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|source| EvalError::Io { path: path.to_path_buf(), source })
}

/// Every annotation of a PolNeAR compartment (`…/polnear/dev`), in file-name order.
pub fn read_dir(dir: &Path) -> Result<Vec<GoldDoc>, EvalError> {
    let ann_dir = dir.join("attributions");
    let entries = std::fs::read_dir(&ann_dir).map_err(|source| EvalError::Io { path: ann_dir.clone(), source })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ann"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(EvalError::Empty(dir.to_path_buf()));
    }
    let mut out = Vec::new();
    for f in files {
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        let (name, annotator) = stem.rsplit_once('_').unwrap_or((stem, ""));
        let text = read(&dir.join("text").join(format!("{name}.txt")))?;
        let relations = read_ann(&f, &text, &read(&f)?)?;
        out.push(GoldDoc { name: name.to_string(), annotator: annotator.to_string(), text, relations });
    }
    Ok(out)
}

/// Trimmed, merged, sorted fragments (see the module docs).
pub fn normalize(text: &str, frags: &[Span]) -> Vec<Span> {
    let mut v: Vec<Span> = frags
        .iter()
        .filter_map(|s| {
            let t = text.get(s.start..s.end)?;
            let lead = t.len() - t.trim_start().len();
            let t2 = t.trim();
            (!t2.is_empty()).then(|| Span::new(s.start + lead, s.start + lead + t2.len()))
        })
        .collect();
    v.sort_by_key(|s| (s.start, s.end));
    let mut out: Vec<Span> = Vec::with_capacity(v.len());
    for s in v {
        if let Some(last) = out.last_mut() {
            if s.start <= last.end || text.get(last.end..s.start).is_some_and(|g| g.trim().is_empty()) {
                last.end = last.end.max(s.end);
                continue;
            }
        }
        out.push(s);
    }
    out
}

/// Bytes shared by two fragment lists.
fn overlap(a: &[Span], b: &[Span]) -> usize {
    let mut n = 0;
    for x in a {
        for y in b {
            let (s, e) = (x.start.max(y.start), x.end.min(y.end));
            if s < e {
                n += e - s;
            }
        }
    }
    n
}

/// Predicted, gold and matched counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub matched: usize,
    pub predicted: usize,
    pub gold: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            0.0
        } else {
            self.matched as f64 / self.predicted as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            self.matched as f64 / self.gold as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.matched += o.matched;
        self.predicted += o.predicted;
        self.gold += o.gold;
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "P {:.3}  R {:.3}  F1 {:.3}  ({} matched, {} predicted, {} gold)",
            self.precision(),
            self.recall(),
            self.f1(),
            self.matched,
            self.predicted,
            self.gold
        )
    }
}

/// Exact and overlap counts of one element.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pair {
    pub exact: Counts,
    pub overlap: Counts,
}

impl Pair {
    fn add(&mut self, o: Pair) {
        self.exact.add(o.exact);
        self.overlap.add(o.overlap);
    }
}

/// Scores summed over documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    pub documents: usize,
    pub content: Pair,
    pub source: Pair,
    pub cue: Pair,
    pub relation: Pair,
}

/// One-to-one matching of `pred` to `gold` by `score` (0 = no match), largest scores first.
fn greedy<T>(pred: &[T], gold: &[T], score: impl Fn(&T, &T) -> usize) -> usize {
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (i, p) in pred.iter().enumerate() {
        for (j, g) in gold.iter().enumerate() {
            let s = score(p, g);
            if s > 0 {
                pairs.push((s, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_p, mut used_g) = (vec![false; pred.len()], vec![false; gold.len()]);
    let mut n = 0;
    for (_, i, j) in pairs {
        if !used_p[i] && !used_g[j] {
            used_p[i] = true;
            used_g[j] = true;
            n += 1;
        }
    }
    n
}

fn role_pair(pred: Vec<Vec<Span>>, gold: Vec<Vec<Span>>) -> Pair {
    let dedup = |mut v: Vec<Vec<Span>>| {
        v.retain(|s| !s.is_empty());
        v.sort_by_key(|s| s.iter().map(|x| (x.start, x.end)).collect::<Vec<_>>());
        v.dedup();
        v
    };
    let (pred, gold) = (dedup(pred), dedup(gold));
    let exact = pred.iter().filter(|p| gold.contains(p)).count();
    let over = greedy(&pred, &gold, |p, g| overlap(p, g));
    let c = |matched| Counts { matched, predicted: pred.len(), gold: gold.len() };
    Pair { exact: c(exact), overlap: c(over) }
}

/// The scores of one document: `pred` against `gold`, both over `text`.
pub fn score_doc(text: &str, pred: &[Relation], gold: &[Relation]) -> Scores {
    let norm = |rs: &[Relation]| -> Vec<Relation> {
        rs.iter()
            .map(|r| Relation {
                content: normalize(text, &r.content),
                source: normalize(text, &r.source),
                cue: normalize(text, &r.cue),
            })
            .filter(|r| !r.content.is_empty())
            .collect()
    };
    let (p, g) = (norm(pred), norm(gold));
    let role = |f: fn(&Relation) -> &Vec<Span>| {
        role_pair(p.iter().map(|r| f(r).clone()).collect(), g.iter().map(|r| f(r).clone()).collect())
    };
    let rel_over = greedy(&p, &g, |a, b| {
        let c = overlap(&a.content, &b.content);
        let s = if a.source.is_empty() && b.source.is_empty() { 1 } else { overlap(&a.source, &b.source) };
        if c > 0 && s > 0 {
            c + s
        } else {
            0
        }
    });
    let rel_exact = greedy(&p, &g, |a, b| usize::from(a.content == b.content && a.source == b.source));
    let c = |matched| Counts { matched, predicted: p.len(), gold: g.len() };
    Scores {
        documents: 1,
        content: role(|r| &r.content),
        source: role(|r| &r.source),
        cue: role(|r| &r.cue),
        relation: Pair { exact: c(rel_exact), overlap: c(rel_over) },
    }
}

impl From<&Attribution> for Relation {
    fn from(a: &Attribution) -> Relation {
        Relation {
            content: a.content.clone(),
            source: a.source.into_iter().collect(),
            cue: a.cue.into_iter().collect(),
        }
    }
}

/// The publication date in a PolNeAR file name (`breitbart_2016-09-12_…`).
pub fn date_of(name: &str) -> Option<chrono::NaiveDate> {
    name.split('_').nth(1).and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// Scores `predict` over every gold document; a text annotated several times is predicted once.
pub fn score(docs: &[GoldDoc], mut predict: impl FnMut(&GoldDoc) -> Vec<Relation>) -> Scores {
    let mut total = Scores::default();
    let mut last: Option<(&str, Vec<Relation>)> = None;
    for d in docs {
        if last.as_ref().is_none_or(|(n, _)| *n != d.name) {
            last = Some((&d.name, predict(d)));
        }
        if let Some((_, pred)) = &last {
            total.add(&score_doc(&d.text, pred, &d.relations));
        }
    }
    total
}

impl Scores {
    pub fn add(&mut self, o: &Scores) {
        self.documents += o.documents;
        self.content.add(o.content);
        self.source.add(o.source);
        self.cue.add(o.cue);
        self.relation.add(o.relation);
    }
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "documents: {}", self.documents)?;
        for (name, p) in
            [("content", self.content), ("source", self.source), ("cue", self.cue), ("relation", self.relation)]
        {
            writeln!(f, "{name:<9} overlap  {}", p.overlap)?;
            writeln!(f, "{name:<9} exact    {}", p.exact)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A hand-written sentence (ours, not PolNeAR's): offsets in characters, "é" and "“" are
    // several bytes, so character and byte offsets differ.
    const TEXT: &str = "Renée said that “taxes will rise.” Bob agreed, officials said.";

    fn sp(text: &str, needle: &str) -> Span {
        let s = text.find(needle).unwrap();
        Span::new(s, s + needle.len())
    }

    fn rel(content: &str, source: &str, cue: &str) -> Relation {
        let opt = |x: &str| if x.is_empty() { vec![] } else { vec![sp(TEXT, x)] };
        Relation { content: opt(content), source: opt(source), cue: opt(cue) }
    }

    #[test]
    fn reads_brat_with_character_offsets_and_any_role_order() {
        let ann = "T1\tSource 0 5\tRenée\nT2\tCue 6 10\tsaid\nT3\tContent 11 34\tthat “taxes will rise.”\n\
                   T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Cue:T2 Content:T3 Source:T1\n\
                   T5\tContent 35 38;39 45\tBob agreed\nT6\tAttribution-no-source 39 45\tagreed\n\
                   continued text line\n#1\tAnnotatorNotes T5\tnote\nE2\tAttribution-no-source:T6 Content:T5\n";
        let got = read_ann(Path::new("x.ann"), TEXT, ann).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].source[0].text(TEXT), "Renée");
        assert_eq!(got[0].cue[0].text(TEXT), "said");
        assert_eq!(got[0].content[0].text(TEXT), "that “taxes will rise.”");
        assert_eq!(got[1].content.len(), 2);
        assert!(got[1].source.is_empty());
        assert_eq!(normalize(TEXT, &got[1].content), vec![sp(TEXT, "Bob agreed")]);
    }

    #[test]
    fn bad_offsets_are_errors_not_panics() {
        for ann in ["T1\tContent 5 2\tx\n", "T1\tContent 0 9999\tx\n", "T1\tContent a b\tx\n", "T1\tContent\n"] {
            assert!(read_ann(Path::new("x.ann"), TEXT, ann).is_err(), "{ann:?}");
        }
        let e = read_ann(Path::new("x.ann"), TEXT, "E1\tAttribution:T9 Content:T8\n").unwrap_err();
        assert!(e.to_string().contains("unknown span T9"));
    }

    #[test]
    fn exact_overlap_and_one_gold_once() {
        let gold = [rel("that “taxes will rise.”", "Renée", "said")];
        // Content overlaps (no "that"), source exact, cue wrong.
        let s = score_doc(TEXT, &[rel("“taxes will rise.”", "Renée", "Bob")], &gold);
        assert_eq!(s.content.overlap, Counts { matched: 1, predicted: 1, gold: 1 });
        assert_eq!(s.content.exact.matched, 0);
        assert_eq!(s.source.exact.matched, 1);
        assert_eq!(s.cue.overlap.matched, 0);
        assert_eq!(s.relation.overlap.matched, 1);
        assert_eq!(s.relation.exact.matched, 0);
        // Two predicted pieces of one gold content: one matches, the other is a false positive.
        let s = score_doc(TEXT, &[rel("that", "Renée", "said"), rel("taxes will rise", "Renée", "said")], &gold);
        assert_eq!(s.content.overlap, Counts { matched: 1, predicted: 2, gold: 1 });
        assert!((s.content.overlap.precision() - 0.5).abs() < 1e-9);
        assert!((s.content.overlap.f1() - 2.0 / 3.0).abs() < 1e-9);
        // The same source predicted twice counts once.
        assert_eq!(s.source.exact, Counts { matched: 1, predicted: 1, gold: 1 });
    }

    #[test]
    fn relations_need_content_and_source() {
        let gold = [rel("that “taxes will rise.”", "Renée", "said"), rel("Bob agreed", "officials", "said")];
        // Right contents, sources swapped: no relation matches, the role spans all do.
        let pred = [rel("that “taxes will rise.”", "officials", "said"), rel("Bob agreed", "Renée", "said")];
        let s = score_doc(TEXT, &pred, &gold);
        assert_eq!(s.relation.overlap.matched, 0);
        assert_eq!(s.content.exact.matched, 2);
        assert_eq!(s.source.exact.matched, 2);
        // No source on either side matches; a source on one side only does not.
        let g = [rel("Bob agreed", "", "agreed")];
        assert_eq!(score_doc(TEXT, &[rel("Bob agreed", "", "")], &g).relation.exact.matched, 1);
        assert_eq!(score_doc(TEXT, &[rel("Bob agreed", "Renée", "")], &g).relation.overlap.matched, 0);
        // Nothing predicted: recall 0, precision 0, no division by zero.
        let s = score_doc(TEXT, &[], &gold);
        assert_eq!(s.relation.overlap.f1(), 0.0);
        assert_eq!(s.content.overlap.gold, 2);
    }

    #[test]
    fn largest_overlap_wins_the_gold_span() {
        // Gold: two contents. Predicted: one covering most of the first and a bit of the second,
        // one inside the second. Both can be matched only if the first takes the first gold.
        let gold = [rel("that “taxes will rise.”", "", ""), rel("Bob agreed", "", "")];
        let wide = Span::new(sp(TEXT, "that").start, sp(TEXT, "Bob").end);
        let pred = [
            Relation { content: vec![wide], ..Relation::default() },
            Relation { content: vec![sp(TEXT, "agreed")], ..Relation::default() },
        ];
        assert_eq!(score_doc(TEXT, &pred, &gold).content.overlap.matched, 2);
    }

    #[test]
    fn normalisation_trims_and_merges() {
        let a = sp(TEXT, " said ");
        let b = sp(TEXT, "that");
        assert_eq!(normalize(TEXT, &[b, a]), vec![Span::new(sp(TEXT, "said").start, b.end)]);
        assert!(normalize(TEXT, &[Span::new(6, 7)]).is_empty());
    }
}
