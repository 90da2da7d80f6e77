//! dyad's CAMEO table (`data/cameo.tsv`) and the PLOVER type of each CAMEO root.

use crate::CoderError;
use dyad_model::QuadClass;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct CodeInfo {
    pub goldstein: f32,
    pub quad_class: QuadClass,
    pub name: String,
}

#[derive(Debug, Default)]
pub struct Table {
    codes: HashMap<String, CodeInfo>,
}

impl Table {
    pub fn builtin() -> Result<Table, CoderError> {
        Table::parse("cameo.tsv", include_str!("../data/cameo.tsv"))
    }

    pub fn parse(file: &str, text: &str) -> Result<Table, CoderError> {
        let mut codes = HashMap::new();
        for (n, l) in text.lines().enumerate() {
            if l.trim().is_empty() || l.starts_with('#') {
                continue;
            }
            let bad = |m: String| CoderError { file: file.into(), line: n + 1, message: m };
            let f: Vec<&str> = l.split('\t').collect();
            let [code, g, name] = f[..] else {
                return Err(bad(format!("expected 3 tab-separated fields, found {}", f.len())));
            };
            if !(2..=4).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_digit()) {
                return Err(bad(format!("not a CAMEO code: {code:?}")));
            }
            let goldstein: f32 = g.parse().map_err(|_| bad(format!("expected a Goldstein value, got {g:?}")))?;
            let root: u8 = code[..2].parse().unwrap_or(0);
            let quad_class = QuadClass::of_root(root).ok_or_else(|| bad(format!("no CAMEO root {root}")))?;
            codes.insert(code.to_string(), CodeInfo { goldstein, quad_class, name: name.to_string() });
        }
        Ok(Table { codes })
    }

    pub fn get(&self, code: &str) -> Option<&CodeInfo> {
        self.codes.get(code)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &CodeInfo)> {
        self.codes.iter()
    }
}

/// The PLOVER event type of a CAMEO root (`"04"` → `CONSULT`); our own mapping of the PLOVER
/// definitions. Public statements (01) have no PLOVER type.
pub fn plover_of_root(root: &str) -> Option<&'static str> {
    Some(match root {
        "02" => "REQUEST",
        "03" => "AGREE",
        "04" => "CONSULT",
        "05" => "SUPPORT",
        "06" => "COOPERATE",
        "07" => "AID",
        "08" => "CONCEDE",
        "09" => "INVESTIGATE",
        "10" => "DEMAND",
        "11" => "DISAPPROVE",
        "12" => "REJECT",
        "13" => "THREATEN",
        "14" => "PROTEST",
        "15" => "MOBILIZE",
        "16" => "SANCTION",
        "17" => "COERCE",
        "18" => "ASSAULT",
        "19" | "20" => "ASSAULT",
        _ => return None,
    })
}
