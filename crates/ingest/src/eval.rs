//! Scoring extraction against the two public benchmarks, with each benchmark's own metric.
//!
//! - Scrapinghub (`ground-truth.json` + `html/<id>.html.gz`): tokens are `\w+` runs (case kept),
//!   shingles are token 4-grams counted as a multiset; per page tp/fp/fn are normalised, P and R
//!   are averaged over pages (P only over pages with output), F1 comes from the averaged P and R.
//! - WCXB (`ground-truth/<id>.json` + `html/<id>.html[.gz]`): lower-cased `\w+` bag of words,
//!   per-page P, R and F1, each averaged over pages.
//!
//! `\w` is taken as Unicode alphanumeric or `_`, which is what Python's `re` matches for `\w`
//! on the letters and digits news text uses.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One benchmark page: its HTML bytes and what a perfect extractor returns.
#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub url: Option<String>,
    pub html: Vec<u8>,
    pub body: String,
    /// Gold publication date `YYYY-MM-DD`, when the benchmark has one.
    pub date: Option<String>,
    /// WCXB page type (`article`, `forum`, …); `article` for Scrapinghub.
    pub page_type: String,
}

/// Which metric a benchmark folder uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Scrapinghub,
    Wcxb,
}

/// Reads a benchmark folder in either layout. Errors name the file and what was expected.
pub fn load(dir: &Path) -> Result<(Layout, Vec<Page>), String> {
    let single = dir.join("ground-truth.json");
    if single.is_file() {
        return load_scrapinghub(dir, &single).map(|p| (Layout::Scrapinghub, p));
    }
    let many = dir.join("ground-truth");
    if many.is_dir() {
        return load_wcxb(dir, &many).map(|p| (Layout::Wcxb, p));
    }
    Err(format!("{}: expected ground-truth.json (Scrapinghub) or a ground-truth/ folder (WCXB)", dir.display()))
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: invalid JSON: {e}", path.display()))
}

fn read_html(dir: &Path, id: &str) -> Result<Vec<u8>, String> {
    let candidates = ["html.gz", "html"].map(|ext| dir.join("html").join(format!("{id}.{ext}")));
    let path = candidates
        .iter()
        .find(|p| p.is_file())
        .ok_or_else(|| format!("{}: no page for id {id} (expected {})", dir.display(), candidates[0].display()))?;
    crate::read_file(path).map(|raw| raw.bytes).map_err(|e| e.to_string())
}

fn load_scrapinghub(dir: &Path, gt: &Path) -> Result<Vec<Page>, String> {
    let v = read_json(gt)?;
    let obj = v.as_object().ok_or_else(|| format!("{}: expected an object of pages", gt.display()))?;
    let mut pages = Vec::new();
    for (id, g) in obj {
        let body = g["articleBody"].as_str().ok_or_else(|| format!("{}: {id} has no articleBody", gt.display()))?;
        pages.push(Page {
            id: id.clone(),
            url: g["url"].as_str().map(str::to_string),
            html: read_html(dir, id)?,
            body: body.to_string(),
            date: None,
            page_type: "article".into(),
        });
    }
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(pages)
}

fn load_wcxb(dir: &Path, gt_dir: &Path) -> Result<Vec<Page>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(gt_dir)
        .map_err(|e| format!("{}: {e}", gt_dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut pages = Vec::new();
    for f in files {
        let v = read_json(&f)?;
        let id = f.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let g = &v["ground_truth"];
        pages.push(Page {
            url: v["url"].as_str().map(str::to_string),
            html: read_html(dir, &id)?,
            body: g["main_content"].as_str().unwrap_or_default().to_string(),
            date: g["publish_date"].as_str().and_then(|d| d.get(..10)).map(str::to_string),
            page_type: v["_internal"]["page_type"]["primary"].as_str().unwrap_or("unknown").to_string(),
            id,
        });
    }
    Ok(pages)
}

/// `\w+` runs of `text`.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty())
}

/// Per-page Scrapinghub shingle scores: `(precision, recall)`, each `None` when the page does
/// not count for it (no predicted shingles for precision, no gold shingles for recall).
pub fn shingle_scores(pred: &str, gold: &str) -> (Option<f64>, Option<f64>) {
    fn shingles(text: &str) -> HashMap<Vec<&str>, i64> {
        let toks: Vec<&str> = words(text).collect();
        let mut m = HashMap::new();
        if toks.is_empty() {
            return m;
        }
        if toks.len() < 4 {
            *m.entry(toks).or_insert(0) += 1;
            return m;
        }
        for w in toks.windows(4) {
            *m.entry(w.to_vec()).or_insert(0) += 1;
        }
        m
    }
    let (p, g) = (shingles(pred), shingles(gold));
    let (mut tp, mut fp, mut fnn) = (0i64, 0i64, 0i64);
    for (s, &n) in &p {
        let t = g.get(s).copied().unwrap_or(0);
        tp += n.min(t);
        fp += (n - t).max(0);
    }
    for (s, &t) in &g {
        fnn += (t - p.get(s).copied().unwrap_or(0)).max(0);
    }
    let total = (tp + fp + fnn) as f64;
    if total == 0.0 {
        return (None, None);
    }
    let (tp, fp, fnn) = (tp as f64 / total, fp as f64 / total, fnn as f64 / total);
    let both_clean = fp == 0.0 && fnn == 0.0;
    let precision = (tp + fp > 0.0).then(|| if both_clean { 1.0 } else { tp / (tp + fp) });
    let recall = (tp + fnn > 0.0).then(|| if both_clean { 1.0 } else { tp / (tp + fnn) });
    (precision, recall)
}

/// Per-page WCXB bag-of-words scores `(precision, recall, f1)` on lower-cased `\w+` words.
pub fn word_scores(pred: &str, gold: &str) -> (f64, f64, f64) {
    fn bag(text: &str) -> (HashMap<String, usize>, usize) {
        let mut m = HashMap::new();
        let mut n = 0;
        for w in words(text) {
            *m.entry(w.to_lowercase()).or_insert(0) += 1;
            n += 1;
        }
        (m, n)
    }
    let ((p, np), (g, ng)) = (bag(pred), bag(gold));
    if ng == 0 {
        return if np == 0 { (1.0, 1.0, 1.0) } else { (0.0, 0.0, 0.0) };
    }
    if np == 0 {
        return (0.0, 0.0, 0.0);
    }
    let overlap: usize = p.iter().map(|(w, &n)| n.min(g.get(w).copied().unwrap_or(0))).sum();
    let (pr, rc) = (overlap as f64 / np as f64, overlap as f64 / ng as f64);
    let f = if pr + rc > 0.0 { 2.0 * pr * rc / (pr + rc) } else { 0.0 };
    (pr, rc, f)
}

/// Running means of the Scrapinghub metric over pages.
#[derive(Debug, Default, Clone)]
pub struct ShingleTotals {
    p_sum: f64,
    p_n: usize,
    r_sum: f64,
    r_n: usize,
}

impl ShingleTotals {
    pub fn add(&mut self, pred: &str, gold: &str) {
        let (p, r) = shingle_scores(pred, gold);
        if let Some(p) = p {
            self.p_sum += p;
            self.p_n += 1;
        }
        if let Some(r) = r {
            self.r_sum += r;
            self.r_n += 1;
        }
    }
    /// `(P, R, F1)`: F1 from the averaged P and R.
    pub fn result(&self) -> (f64, f64, f64) {
        let p = if self.p_n > 0 { self.p_sum / self.p_n as f64 } else { 0.0 };
        let r = if self.r_n > 0 { self.r_sum / self.r_n as f64 } else { 0.0 };
        let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
}

/// Mean word-metric scores of a group of pages.
#[derive(Debug, Default, Clone, Copy)]
pub struct WordTotals {
    pub pages: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Publication-date results on the pages that have a gold date.
#[derive(Debug, Default, Clone, Copy)]
pub struct DateTotals {
    pub with_gold: usize,
    pub right: usize,
    pub wrong: usize,
    /// Dates given on pages without a gold date (not judged).
    pub unjudged: usize,
}

impl DateTotals {
    /// Share of gold-dated pages given the right date.
    pub fn accuracy(&self) -> f64 {
        self.right as f64 / self.with_gold.max(1) as f64
    }
    /// Share of given dates (on gold-dated pages) that are wrong.
    pub fn wrong_share(&self) -> f64 {
        self.wrong as f64 / (self.right + self.wrong).max(1) as f64
    }
}

/// One page's outcome.
#[derive(Debug, Clone)]
pub struct PageResult {
    pub id: String,
    pub page_type: String,
    pub word_f1: f64,
    pub gold_date: Option<String>,
    pub date: Option<String>,
    pub date_source: Option<dyad_model::DateSource>,
}

/// Everything `dyad eval extraction` prints.
#[derive(Debug, Clone)]
pub struct Report {
    pub layout: Layout,
    pub pages: usize,
    pub failed: usize,
    /// Scrapinghub `(P, R, F1)`.
    pub shingle: Option<(f64, f64, f64)>,
    /// Word metric per page type, plus `all`.
    pub by_type: std::collections::BTreeMap<String, WordTotals>,
    pub dates: DateTotals,
    /// CPU seconds spent inside [`crate::extract`], on the calling thread.
    pub cpu_seconds: f64,
    pub per_page: Vec<PageResult>,
}

impl Report {
    pub fn pages_per_cpu_second(&self) -> f64 {
        self.pages as f64 / self.cpu_seconds.max(1e-9)
    }
}

/// CPU time of the calling thread, in seconds.
pub fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own; the clock id is a constant.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// What an extractor gave for one page: body text, date `YYYY-MM-DD` and where the date came from;
/// `None` when it found no article.
pub type Prediction = Option<(String, Option<String>, Option<dyad_model::DateSource>)>;

/// Extracts every page of a benchmark folder on this thread with dyad and scores it.
pub fn run(dir: &Path) -> Result<Report, String> {
    let (layout, pages) = load(dir)?;
    score(layout, pages, |p| {
        let mut raw = dyad_model::RawDocument::new(p.id.clone(), dyad_model::ContentType::Html, p.html.clone());
        raw.url = p.url.clone();
        let t0 = thread_cpu_seconds();
        let art = crate::extract(&raw);
        let cpu = thread_cpu_seconds() - t0;
        (art.ok().map(|a| (a.body, a.date.map(|d| d.to_string()), a.date_source)), cpu)
    })
}

/// Every date candidate dyad saw on each page of a benchmark folder, as one JSON object per page:
/// `{id, url, gold, dyad, source, headline, zone, nodes, candidates: [{source, key, value, date,
/// pos, context, hidden}]}`. For finding out why a date is wrong or missing.
pub fn date_diagnostics(dir: &Path) -> Result<Vec<serde_json::Value>, String> {
    let (_, pages) = load(dir)?;
    let mut out = Vec::with_capacity(pages.len());
    for p in pages {
        let (text, _) = crate::decode::decode(&p.html, None);
        let (art, dbg) = crate::html::extract_html_debug(&text, p.url.as_deref());
        let cands: Vec<serde_json::Value> = dbg
            .candidates
            .iter()
            .map(|c| {
                serde_json::json!({
                    "source": format!("{:?}", c.source),
                    "key": c.key,
                    "value": c.value,
                    "date": c.date.to_string(),
                    "pos": c.pos,
                    "context": c.context,
                    "hidden": c.hidden,
                })
            })
            .collect();
        out.push(serde_json::json!({
            "id": p.id,
            "url": p.url,
            "page_type": p.page_type,
            "gold": p.date,
            "dyad": art.date.map(|d| d.0.to_string()),
            "has_text": art.blocks.iter().any(|b| !b.1.is_empty()),
            "source": art.date.map(|d| format!("{:?}", d.1)),
            "headline": dbg.headline,
            "zone": dbg.zone,
            "nodes": dbg.nodes,
            "candidates": cands,
        }));
    }
    Ok(out)
}

/// Scores another extractor's output on a benchmark folder with the same metric: `predictions` is
/// JSON Lines of `{"id", "text", "date"?, "cpu_seconds"?}` (what `scripts/trafilatura_predictions.py`
/// writes). A page missing from the file counts as no output. Errors name the file and line.
pub fn run_external(dir: &Path, predictions: &Path) -> Result<Report, String> {
    let (layout, pages) = load(dir)?;
    let text = std::fs::read_to_string(predictions).map_err(|e| format!("{}: {e}", predictions.display()))?;
    let mut by_id: HashMap<String, (Prediction, f64)> = HashMap::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| format!("{}:{}: expected a JSON object per line: {e}", predictions.display(), i + 1))?;
        let id =
            v["id"].as_str().ok_or_else(|| format!("{}:{}: expected a string \"id\"", predictions.display(), i + 1))?;
        let body = v["text"].as_str().filter(|t| !t.trim().is_empty()).map(str::to_string);
        let date = v["date"].as_str().and_then(|d| d.get(..10)).map(str::to_string);
        let cpu = v["cpu_seconds"].as_f64().unwrap_or(0.0);
        by_id.insert(id.to_string(), (body.map(|b| (b, date, None)), cpu));
    }
    score(layout, pages, |p| by_id.remove(&p.id).unwrap_or((None, 0.0)))
}

/// Scores what `extract` gives for each page (its prediction and the CPU seconds it took).
pub fn score(
    layout: Layout,
    pages: Vec<Page>,
    mut extract: impl FnMut(&Page) -> (Prediction, f64),
) -> Result<Report, String> {
    let mut cpu = 0.0;
    let mut failed = 0;
    let mut shingles = ShingleTotals::default();
    let mut by_type: std::collections::BTreeMap<String, WordTotals> = Default::default();
    let mut dates = DateTotals::default();
    let mut per_page = Vec::with_capacity(pages.len());
    for p in pages {
        let (pred, secs) = extract(&p);
        cpu += secs;
        let (text, date, date_source) = pred.unwrap_or_else(|| {
            failed += 1;
            (String::new(), None, None)
        });
        shingles.add(&text, &p.body);
        let (wp, wr, wf) = word_scores(&text, &p.body);
        for key in [p.page_type.as_str(), "all"] {
            let e = by_type.entry(key.to_string()).or_default();
            e.pages += 1;
            e.precision += wp;
            e.recall += wr;
            e.f1 += wf;
        }
        match (&p.date, &date) {
            (Some(g), Some(d)) if g == d => dates.right += 1,
            (Some(_), Some(_)) => dates.wrong += 1,
            (None, Some(_)) => dates.unjudged += 1,
            _ => {}
        }
        dates.with_gold += p.date.is_some() as usize;
        per_page.push(PageResult {
            id: p.id,
            page_type: p.page_type,
            word_f1: wf,
            gold_date: p.date,
            date,
            date_source,
        });
    }
    for t in by_type.values_mut() {
        let n = t.pages.max(1) as f64;
        t.precision /= n;
        t.recall /= n;
        t.f1 /= n;
    }
    Ok(Report {
        layout,
        pages: per_page.len(),
        failed,
        shingle: (layout == Layout::Scrapinghub).then(|| shingles.result()),
        by_type,
        dates,
        cpu_seconds: cpu,
        per_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingle_metric_follows_the_benchmark_conventions() {
        let gold = "one two three four five six";
        assert_eq!(shingle_scores(gold, gold), (Some(1.0), Some(1.0)));
        // Empty output counts for recall only.
        assert_eq!(shingle_scores("", gold), (None, Some(0.0)));
        // Three of six predicted shingles are right; three of three gold ones are found.
        let (p, r) = shingle_scores("one two three four five six seven eight nine", gold);
        assert!((p.unwrap() - 0.5).abs() < 1e-9 && (r.unwrap() - 1.0).abs() < 1e-9, "{p:?} {r:?}");
        // Short texts are one shingle of all their tokens; case is kept.
        assert_eq!(shingle_scores("A b", "a b"), (Some(0.0), Some(0.0)));
        let mut t = ShingleTotals::default();
        t.add(gold, gold);
        t.add("", gold);
        let (p, r, f) = t.result();
        assert!((p - 1.0).abs() < 1e-9 && (r - 0.5).abs() < 1e-9 && (f - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn word_metric_is_a_lower_cased_bag() {
        assert_eq!(word_scores("The cat, the hat", "the CAT the hat"), (1.0, 1.0, 1.0));
        let (p, r, f) = word_scores("a b c d", "a b");
        assert!((p - 0.5).abs() < 1e-9 && (r - 1.0).abs() < 1e-9 && (f - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(word_scores("", "a"), (0.0, 0.0, 0.0));
        assert_eq!(word_scores("", ""), (1.0, 1.0, 1.0));
    }

    #[test]
    fn external_predictions_are_scored_with_the_same_metric() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("ground-truth")).unwrap();
        std::fs::create_dir_all(root.join("html")).unwrap();
        let gt = r#"{"url": "https://example.org/a", "ground_truth": {"main_content": "the cat sat", "publish_date": "2024-05-01"}, "_internal": {"page_type": {"primary": "article"}}}"#;
        std::fs::write(root.join("ground-truth/0001.json"), gt).unwrap();
        std::fs::write(root.join("html/0001.html"), "<html><body><p>the cat sat</p></body></html>").unwrap();
        let preds = root.join("p.jsonl");
        std::fs::write(
            &preds,
            r#"{"id": "0001", "text": "the cat sat on", "date": "2024-05-01T10:00:00", "cpu_seconds": 0.5}"#,
        )
        .unwrap();
        let r = run_external(root, &preds).unwrap();
        let art = r.by_type["article"];
        assert!((art.precision - 0.75).abs() < 1e-9 && (art.recall - 1.0).abs() < 1e-9, "{art:?}");
        assert_eq!((r.dates.right, r.dates.wrong), (1, 0));
        assert!((r.cpu_seconds - 0.5).abs() < 1e-9);
        // A page missing from the predictions counts as no output; a broken line names its place.
        std::fs::write(&preds, "").unwrap();
        assert_eq!(run_external(root, &preds).unwrap().failed, 1);
        std::fs::write(&preds, "{\"id\": \"0001\"}\nnot json\n").unwrap();
        let e = run_external(root, &preds).unwrap_err();
        assert!(e.contains("p.jsonl:2:"), "{e}");
    }
}
