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

/// PLOVER type, mode and contexts of one CAMEO code.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plover {
    pub event: String,
    pub mode: Option<String>,
    pub context: Vec<String>,
}

/// dyad's CAMEO → PLOVER mapping (`data/plover.tsv`).
#[derive(Debug, Default)]
pub struct PloverTable {
    codes: HashMap<String, Plover>,
}

impl PloverTable {
    pub fn builtin() -> Result<PloverTable, CoderError> {
        PloverTable::parse("plover.tsv", include_str!("../data/plover.tsv"))
    }

    pub fn parse(file: &str, text: &str) -> Result<PloverTable, CoderError> {
        let mut codes = HashMap::new();
        for (n, l) in text.lines().enumerate() {
            if l.trim().is_empty() || l.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = l.split('\t').collect();
            let [code, event, mode, context] = f[..] else {
                return Err(CoderError {
                    file: file.into(),
                    line: n + 1,
                    message: format!("expected 4 tab-separated fields, found {}", f.len()),
                });
            };
            codes.insert(
                code.to_string(),
                Plover {
                    event: event.to_string(),
                    mode: (!mode.is_empty()).then(|| mode.to_string()),
                    context: context.split(';').filter(|c| !c.is_empty()).map(str::to_string).collect(),
                },
            );
        }
        Ok(PloverTable { codes })
    }

    /// The mapping of a code, else of its base, else of its root.
    pub fn get(&self, code: &str) -> Option<&Plover> {
        self.codes
            .get(code)
            .or_else(|| code.get(..3).and_then(|b| self.codes.get(b)))
            .or_else(|| code.get(..2).and_then(|r| self.codes.get(r)))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Plover)> {
        self.codes.iter()
    }
}

/// The PLOVER event type of a CAMEO root (`"04"` → `CONSULT`). Public statements (01) and appeals
/// (02) have no PLOVER type.
pub fn plover_of_root(root: &str) -> Option<&'static str> {
    Some(match root {
        "03" => "AGREE",
        "04" => "CONSULT",
        "05" => "SUPPORT",
        "06" => "COOPERATE",
        "07" => "AID",
        "08" => "CONCEDE",
        "09" | "11" => "ACCUSE",
        "10" => "REQUEST",
        "12" => "REJECT",
        "13" => "THREATEN",
        "14" => "PROTEST",
        "15" => "MOBILIZE",
        "16" => "SANCTION",
        "17" => "COERCE",
        "18" | "19" | "20" => "ASSAULT",
        _ => return None,
    })
}

/// The code of an event reported as the complement of a verb of class `class` ("agreed to *meet*",
/// "threatened to *impose sanctions*", "urged B to *negotiate*"), from CAMEO's definitions of the
/// intent (03), appeal (02), demand (10), reject (12) and threaten (13) families. `None` keeps the
/// lower event as it is.
pub fn compose(class: crate::lexicon::Class, lower: &str) -> Option<&'static str> {
    use crate::lexicon::Class::*;
    let root = lower.get(..2)?;
    let base = lower.get(..3).unwrap_or(root);
    let conflict = |threat: bool| -> Option<&'static str> {
        Some(match (root, base) {
            (_, "163") => "1312",
            (_, "161") => "1313",
            (_, "162") => "1311",
            (_, "164") => "134",
            (_, "165") => "135",
            (_, "166") => "136",
            ("16", _) => "131",
            ("17", "172") => "132",
            ("17", "173") | ("17", "174") | ("17", "175") => "137",
            ("17", "171") => "131",
            ("17", _) => "137",
            ("14", _) => "133",
            ("15", _) => "138",
            ("18", _) => "1383",
            ("19", "191") => "1381",
            ("19", "192") => "1382",
            ("19", _) => "1384",
            ("20", _) => "1385",
            ("13", _) => return None,
            _ if threat => "130",
            _ => return None,
        })
    };
    Some(match class {
        Intent => match (root, base) {
            ("03", _) => return None,
            (_, "045") | (_, "039") => "039",
            (_, "046") | ("04", _) => "036",
            (_, "057") => "037",
            ("05", _) => "032",
            ("06", "061") => "0311",
            ("06", "062") => "0312",
            ("06", "063") => "0313",
            ("06", "064") => "0314",
            ("06", _) => "031",
            ("07", "071") => "0331",
            ("07", "072") => "0332",
            ("07", "073") => "0333",
            ("07", "074") => "0334",
            ("07", _) => "033",
            ("08", "081") => "0351",
            ("08", "084") => "0353",
            ("08", "085") => "0354",
            ("08", "086") => "0355",
            ("08", "087") => "0356",
            ("08", "083") => "034",
            ("08", _) => "035",
            ("01", _) | ("02", _) => "030",
            _ => return conflict(false),
        },
        Threaten => match root {
            "03" | "04" | "05" | "06" | "07" | "08" => "130",
            _ => return conflict(true),
        },
        Appeal | Demand => {
            let d = class == Demand;
            match (root, base) {
                (_, "045") => {
                    if d {
                        "108"
                    } else {
                        "028"
                    }
                }
                (_, "057") => {
                    if d {
                        "107"
                    } else {
                        "027"
                    }
                }
                ("04", _) | ("03", "036") => {
                    if d {
                        "106"
                    } else {
                        "026"
                    }
                }
                ("05", _) => {
                    if d {
                        "102"
                    } else {
                        "022"
                    }
                }
                ("06", _) => {
                    if d {
                        "101"
                    } else {
                        "021"
                    }
                }
                ("07", _) => {
                    if d {
                        "103"
                    } else {
                        "023"
                    }
                }
                ("08", "084") => {
                    if d {
                        "1053"
                    } else {
                        "0253"
                    }
                }
                ("08", "085") => {
                    if d {
                        "1054"
                    } else {
                        "0254"
                    }
                }
                ("08", "087") => {
                    if d {
                        "1056"
                    } else {
                        "0256"
                    }
                }
                ("08", "083") => {
                    if d {
                        "104"
                    } else {
                        "024"
                    }
                }
                ("08", _) => {
                    if d {
                        "105"
                    } else {
                        "025"
                    }
                }
                _ => {
                    if d {
                        "100"
                    } else {
                        "020"
                    }
                }
            }
        }
        Reject => match (root, base) {
            (_, "045") => "126",
            (_, "057") => "127",
            ("04", _) | ("03", "036") => "125",
            ("06", _) => "121",
            ("07", _) => "122",
            ("08", "084") => "1243",
            ("08", "085") => "1244",
            ("08", "086") => "1245",
            ("08", "087") => "1246",
            ("08", "083") => "123",
            ("08", _) => "124",
            ("03", _) | ("05", _) | ("02", _) | ("10", _) => "120",
            _ => return None,
        },
        Say | Transparent | Light => return None,
    })
}
