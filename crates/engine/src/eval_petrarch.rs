//! `dyad eval events file.xml`: the PETRARCH validation records (`PETR.UnitTest.records.xml`).
//!
//! Each `<Sentence date= id= category=>` holds gold `<EventCoding sourcecode= targetcode=
//! eventcode=>` elements (or `noevents="True"` / `error="…"`, which expect no event), the raw
//! `<Text>` and a Treebank `<Parse>`. dyad codes the text with its own parser (the Treebank parse
//! is not used) and the dictionaries named by the `<Environment>` block, read from the XML's
//! folder: actors, agents and discards by `dyad-dict`, verbs by [`dyad_coder::verbdict`] with any
//! code accepted (the file uses WEIS codes). A record is an exact match when the set of
//! (source, target, code) equals the gold set; event precision and recall are micro-averaged.
//!
//! Also here: [`load_verbs`], which reads PETRARCH/TABARI verb files for `--dict`/`--verbs`.

use crate::Engine;
use dyad_coder::verbdict::{self, Codes, VerbDict};
use dyad_coder::Coder;
use dyad_model::Article;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One validation record.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub id: String,
    pub category: String,
    pub date: Option<chrono::NaiveDate>,
    pub text: String,
    /// Gold (source, target, code); empty for `noevents` / `error` records.
    pub gold: Vec<(String, String, String)>,
    /// `noevents="True"` or `error=…`.
    pub expect_none: bool,
}

/// The file names of the `<Environment>` block.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub verbs: Option<String>,
    pub actors: Option<String>,
    pub agents: Option<String>,
    pub discards: Option<String>,
}

/// Removes `<!-- … -->` comments (an unclosed one runs to the end).
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find("<!--") {
        out.push_str(&rest[..p]);
        match rest[p + 4..].find("-->") {
            Some(q) => rest = &rest[p + 4 + q + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The value of attribute `name` in a start tag (`name="v"`, spaces allowed around `=`).
fn attr(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find(name) {
        let at = from + p;
        from = at + name.len();
        let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
        let rest = tag[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let q = rest.chars().next()?;
        if q != '"' && q != '\'' {
            continue;
        }
        let end = rest[1..].find(q)?;
        return Some(unescape(&rest[1..1 + end]));
    }
    None
}

/// The text between `<name>` and `</name>` inside `s`.
fn element<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}");
    let p = s.find(&open)?;
    let gt = s[p..].find('>')? + p + 1;
    let end = s[gt..].find(&format!("</{name}>"))? + gt;
    Some(&s[gt..end])
}

/// Reads the records and the environment. Malformed records are reported as `id: reason` and
/// skipped; the reader never panics.
pub fn parse_records(xml: &str) -> (Environment, Vec<Record>, Vec<String>) {
    let xml = strip_comments(xml);
    let env_text = element(&xml, "Environment").unwrap_or("");
    let field = |n: &str| element(env_text, n).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let env = Environment {
        verbs: field("Verbfile"),
        actors: field("Actorfile"),
        agents: field("Agentfile"),
        discards: field("Discardfile"),
    };
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut rest = xml.as_str();
    while let Some(p) = rest.find("<Sentence ") {
        let s = &rest[p..];
        let Some(end) = s.find("</Sentence>") else {
            problems.push("a <Sentence> without </Sentence> at the end of the file".into());
            break;
        };
        let body = &s[..end];
        rest = &s[end + "</Sentence>".len()..];
        let tag_end = body.find('>').unwrap_or(body.len());
        let tag = &body[..tag_end];
        let id = attr(tag, "id").unwrap_or_default();
        let date = attr(tag, "date").and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y%m%d").ok());
        let Some(text) = element(body, "Text") else {
            problems.push(format!("{id}: no <Text>"));
            continue;
        };
        let mut r = Record {
            id,
            category: attr(tag, "category").unwrap_or_default(),
            date,
            text: unescape(&text.split_whitespace().collect::<Vec<_>>().join(" ")),
            ..Record::default()
        };
        let mut at = body;
        while let Some(q) = at.find("<EventCoding") {
            let t = &at[q..];
            let e = t.find('>').unwrap_or(t.len());
            let ec = &t[..e];
            at = &t[e.min(t.len())..];
            if attr(ec, "noevents").is_some() || attr(ec, "error").is_some() {
                r.expect_none = true;
                continue;
            }
            match (attr(ec, "sourcecode"), attr(ec, "targetcode"), attr(ec, "eventcode")) {
                (Some(s), Some(t), Some(c)) => r.gold.push((s, t, c)),
                _ => problems.push(format!("{}: an EventCoding without sourcecode, targetcode and eventcode", r.id)),
            }
        }
        if r.gold.is_empty() && !r.expect_none {
            problems.push(format!("{}: no EventCoding; scored as expecting no event", r.id));
            r.expect_none = true;
        }
        out.push(r);
    }
    (env, out, problems)
}

/// Reads PETRARCH/TABARI verb files. Each file's malformed lines are in its `errors`.
pub fn load_verbs(paths: &[PathBuf], codes: Codes) -> anyhow::Result<Vec<VerbDict>> {
    let cameo = dyad_coder::cameo::Table::builtin()?;
    let mut out = Vec::new();
    for p in paths {
        let bytes = std::fs::read(p).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
        out.push(verbdict::read(&p.display().to_string(), &String::from_utf8_lossy(&bytes), &cameo, codes));
    }
    Ok(out)
}

/// The pipeline with `actors` and the verb files `files` (CAMEO codes only) on top of dyad's
/// own verbs (`merge`) or alone. Returns the malformed verb lines (each skipped) as notes.
pub fn engine_with_verbs(
    actors: dyad_dict::ActorDict,
    files: &[PathBuf],
    merge: bool,
) -> anyhow::Result<(Engine, Vec<String>)> {
    engine_with_verbs_and(actors, files, merge, dyad_coder::Options::default())
}

/// [`engine_with_verbs`] with coding options (one-sided events for PLOVER scoring).
pub fn engine_with_verbs_and(
    actors: dyad_dict::ActorDict,
    files: &[PathBuf],
    merge: bool,
    options: dyad_coder::Options,
) -> anyhow::Result<(Engine, Vec<String>)> {
    let dicts = load_verbs(files, Codes::Cameo)?;
    let notes = dicts.iter().flat_map(|d| d.errors.iter().map(|e| e.to_string())).collect();
    let mut coder = Coder::with_verbs(&dicts, merge)?;
    coder.options = options;
    Ok((Engine::with(dyad_nlp::Nlp::new(), actors, coder), notes))
}

/// Which verbs code the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbSource {
    /// The verb file of the `<Environment>` (PETRARCH's own setting).
    Petrarch,
    /// dyad's own lexicon.
    Own,
    /// Both, dyad's first.
    Both,
}

#[derive(Debug, Default, Clone)]
pub struct Report {
    pub records: usize,
    pub exact: usize,
    pub gold_events: usize,
    pub coded_events: usize,
    pub matched_events: usize,
    /// Coded events whose source, target and root code (first two characters) match a gold one.
    pub matched_roots: usize,
    /// Coded events whose source and target match a gold event.
    pub matched_dyads: usize,
    /// Records expecting no event, and how many got none.
    pub none_records: usize,
    pub none_correct: usize,
    pub by_category: BTreeMap<String, (usize, usize)>,
    /// (id, category, text, gold, dyad).
    pub misses: Vec<(String, String, String, String, String)>,
    pub problems: Vec<String>,
    pub dictionary_errors: Vec<String>,
    pub discarded: usize,
}

impl Report {
    pub fn precision(&self) -> f64 {
        self.matched_events as f64 / self.coded_events.max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.matched_events as f64 / self.gold_events.max(1) as f64
    }
}

/// The engine for the records: actors, agents and discards of the environment (only them), and
/// the verbs `verbs` asks for.
pub fn engine_for(
    xml_path: &Path,
    dict_dir: Option<&Path>,
    verbs: VerbSource,
) -> anyhow::Result<(Engine, Vec<String>)> {
    let xml = std::fs::read_to_string(xml_path).map_err(|e| anyhow::anyhow!("{}: {e}", xml_path.display()))?;
    let (env, _, _) = parse_records(&xml);
    let dir =
        dict_dir.map(Path::to_path_buf).unwrap_or_else(|| xml_path.parent().unwrap_or(Path::new(".")).to_path_buf());
    let file = |n: &Option<String>| n.as_ref().map(|n| dir.join(n));
    let actor_files: Vec<PathBuf> =
        [file(&env.actors), file(&env.agents), file(&env.discards)].into_iter().flatten().collect();
    if actor_files.is_empty() {
        anyhow::bail!("{}: the <Environment> names no actor dictionary", xml_path.display());
    }
    let (dict, reports) = dyad_dict::ActorDict::load(&actor_files, dyad_dict::Mode::Replace)?;
    let mut notes: Vec<String> = reports.iter().flat_map(|r| r.errors.iter().map(|e| e.to_string())).collect();
    let coder = match verbs {
        VerbSource::Own => Coder::builtin()?,
        VerbSource::Petrarch | VerbSource::Both => {
            let Some(vf) = file(&env.verbs) else {
                anyhow::bail!("{}: the <Environment> names no verb dictionary", xml_path.display())
            };
            let dicts = load_verbs(&[vf], Codes::Any)?;
            notes.extend(dicts.iter().flat_map(|d| d.errors.iter().map(|e| e.to_string())));
            Coder::with_verbs(&dicts, verbs == VerbSource::Both)?
        }
    };
    Ok((Engine::with(dyad_nlp::Nlp::new(), dict, coder), notes))
}

/// Scores the records of `xml_path` with `engine`.
pub fn score(engine: &Engine, xml_path: &Path) -> anyhow::Result<Report> {
    let xml = std::fs::read_to_string(xml_path).map_err(|e| anyhow::anyhow!("{}: {e}", xml_path.display()))?;
    let (_, records, problems) = parse_records(&xml);
    let mut r = Report { problems, ..Report::default() };
    for rec in &records {
        r.records += 1;
        let gold: BTreeSet<(String, String, String)> = rec.gold.iter().cloned().collect();
        let got: BTreeSet<(String, String, String)> = if engine.dict().discard(&rec.text).is_some() {
            r.discarded += 1;
            BTreeSet::new()
        } else {
            let article = Article::from_text(&rec.id, &rec.text);
            let doc = engine.code(article, rec.date, &mut Default::default());
            doc.events
                .iter()
                // PETRARCH codes "will meet" and "may attack" as events; dyad keeps their mode.
                // Negated events are not events.
                .filter(|e| e.mode != dyad_model::Mode::Negated)
                .filter_map(|e| e.target.as_ref().map(|t| (e.source.code.clone(), t.code.clone(), e.cameo.clone())))
                .collect()
        };
        r.gold_events += gold.len();
        r.coded_events += got.len();
        r.matched_events += got.intersection(&gold).count();
        r.matched_roots += got
            .iter()
            .filter(|(s, t, c)| gold.iter().any(|(gs, gt, gc)| gs == s && gt == t && gc.get(..2) == c.get(..2)))
            .count();
        r.matched_dyads += got.iter().filter(|(s, t, _)| gold.iter().any(|(gs, gt, _)| gs == s && gt == t)).count();
        let exact = got == gold;
        if rec.expect_none {
            r.none_records += 1;
            if got.is_empty() {
                r.none_correct += 1;
            }
        }
        let slot = r.by_category.entry(rec.category.clone()).or_default();
        slot.0 += 1;
        if exact {
            r.exact += 1;
            slot.1 += 1;
        } else {
            let show = |s: &BTreeSet<(String, String, String)>| {
                if s.is_empty() {
                    "-".to_string()
                } else {
                    s.iter().map(|(a, b, c)| format!("{a}>{b} {c}")).collect::<Vec<_>>().join(", ")
                }
            };
            r.misses.push((rec.id.clone(), rec.category.clone(), rec.text.clone(), show(&gold), show(&got)));
        }
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_parse_with_comments_attributes_and_no_events() {
        let xml = r#"<Validation><Environment><Verbfile>v.txt</Verbfile><Actorfile> a.txt </Actorfile></Environment>
<!-- <Sentence date="1" id="GONE"><Text>x</Text></Sentence> -->
<Sentence date="19950101" id="DEMO-00" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<Text>
Arnor is about to &amp; restore
</Text>
<Parse>(ROOT)</Parse>
</Sentence>
<Sentence date="19950101" id="N-1" category="ERROR"><EventCoding noevents = "True"></EventCoding><Text>Nothing.</Text></Sentence>
<Sentence date="bad" id="B-1"><Text>No coding</Text></Sentence>
<Sentence id="U-1"><Text>unclosed"#;
        let (env, recs, problems) = parse_records(xml);
        assert_eq!(env.verbs.as_deref(), Some("v.txt"));
        assert_eq!(env.actors.as_deref(), Some("a.txt"));
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[0].gold, vec![("ARN".into(), "GON".into(), "064".into())]);
        assert_eq!(recs[0].text, "Arnor is about to & restore");
        assert_eq!(recs[0].date, chrono::NaiveDate::from_ymd_opt(1995, 1, 1));
        assert!(recs[1].expect_none && recs[1].gold.is_empty());
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn arbitrary_text_does_not_panic() {
        for s in
            ["", "<Sentence ", "<Sentence ></Sentence>", "<Sentence id='a'><Text></Sentence>", "<!--", "<EventCoding"]
        {
            let _ = parse_records(s);
        }
    }
}
