//! `dyad eval events`: the coder against gold event data.
//!
//! - **PLOVER GSR** (`PLOVER_GSR_CAMEO.json`): each record's text is coded with dyad's own
//!   dictionaries; a record is a hit when some event has the gold PLOVER type (older type names
//!   mapped: FIGHT → ASSAULT, DEMAND → REQUEST, DISAPPROVE and INVESTIGATE → ACCUSE) and a source
//!   that matches a gold source (same country or code prefix, or overlapping actor text).
//! - **PETRARCH validation XML** (see [`crate::petrarch`]): exact match of the set of
//!   (source, target, code) per record, event precision and recall, root agreement.

use crate::Engine;
use dyad_model::{Article, Event};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Default, Clone)]
pub struct GsrReport {
    pub records: usize,
    /// Records whose gold event has the gold PLOVER type and a source that matches.
    pub hits: usize,
    /// Records with some event of the gold type, whatever its source.
    pub type_hits: usize,
    /// Records with any event at all.
    pub coded: usize,
    pub events: usize,
    /// Per gold type: (records, hits).
    pub by_type: BTreeMap<String, (usize, usize)>,
    /// Records missed, for reading: (id, gold type, text, what dyad coded).
    pub misses: Vec<(String, String, String, String)>,
}

impl GsrReport {
    pub fn rate(&self) -> f64 {
        self.hits as f64 / self.records.max(1) as f64
    }
}

/// The 2024 PLOVER name of an older GSR type.
pub fn plover_type(t: &str) -> &str {
    match t {
        "FIGHT" => "ASSAULT",
        "DEMAND" => "REQUEST",
        "DISAPPROVE" | "INVESTIGATE" => "ACCUSE",
        t => t,
    }
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 2).map(str::to_lowercase).collect()
}

fn source_matches(e: &Event, gold: &[serde_json::Value]) -> bool {
    gold.iter().any(|g| {
        let code = g["code"].as_str().unwrap_or("");
        let text = g["actorText"].as_str().unwrap_or("");
        let country = e.source.country.as_deref().unwrap_or("");
        let by_code = code.len() >= 3 && (country == code || e.source.code.starts_with(code));
        let (gw, ew) = (words(text), words(&e.source.text));
        let by_text = !gw.is_empty() && gw.iter().any(|w| ew.contains(w));
        by_code || by_text
    })
}

/// Scores the GSR file. The engine should code one-sided events (PLOVER allows a missing recipient).
pub fn gsr(engine: &Engine, path: &Path) -> anyhow::Result<GsrReport> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: not JSON: {e}", path.display()))?;
    let records = v.as_array().ok_or_else(|| anyhow::anyhow!("{}: expected a JSON array", path.display()))?;
    let mut r = GsrReport::default();
    for rec in records {
        let Some(gold_type) = rec["event"].as_str() else { continue };
        if gold_type == "DOCUMENT" {
            continue;
        }
        let gold_type = plover_type(gold_type).to_string();
        let sentence = rec["text"].as_str().unwrap_or("");
        let date = rec["date"].as_str().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let gold_sources: Vec<serde_json::Value> = rec["source"].as_array().cloned().unwrap_or_default();
        let article = Article::from_text(rec["id"].as_str().unwrap_or("gsr"), sentence);
        let doc = engine.code(article, date, &mut Default::default());
        r.records += 1;
        r.events += doc.events.len();
        if !doc.events.is_empty() {
            r.coded += 1;
        }
        let typed: Vec<&Event> = doc
            .events
            .iter()
            .filter(|e| e.mode == dyad_model::Mode::Fact || e.mode != dyad_model::Mode::Negated)
            .filter(|e| e.plover.as_deref() == Some(gold_type.as_str()))
            .collect();
        let hit = typed.iter().any(|e| source_matches(e, &gold_sources));
        if !typed.is_empty() {
            r.type_hits += 1;
        }
        let slot = r.by_type.entry(gold_type.clone()).or_default();
        slot.0 += 1;
        if hit {
            r.hits += 1;
            slot.1 += 1;
        } else {
            let got = doc
                .events
                .iter()
                .map(|e| {
                    format!(
                        "{}>{} {} {}",
                        e.source.code,
                        e.target.as_ref().map(|t| t.code.as_str()).unwrap_or("-"),
                        e.cameo,
                        e.plover.as_deref().unwrap_or("-")
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            r.misses.push((rec["id"].as_str().unwrap_or("").to_string(), gold_type, sentence.to_string(), got));
        }
    }
    Ok(r)
}
