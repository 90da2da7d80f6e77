//! Query-string parameters, checked: unknown names, repeated single values, over-long values
//! and over-long lists are refused with a message that names the parameter.

use crate::error::{ApiError, ErrorCode};

/// Most values a list parameter (`actors=A,B`, or the name repeated) may hold.
pub const MAX_LIST: usize = 50;
/// Longest value of any parameter, in bytes.
pub const MAX_VALUE: usize = 1000;

pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses `raw` and refuses any name not in `known`.
    pub fn parse(raw: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let raw = raw.unwrap_or("");
        if raw.len() > 16 * 1024 {
            return Err(ApiError::new(ErrorCode::TooManyValues, "query string over 16 KiB"));
        }
        let mut pairs = Vec::new();
        for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
            if !known.contains(&k.as_ref()) {
                return Err(ApiError::bad_query(format!(
                    "unknown parameter {k:?}; this endpoint takes: {}",
                    known.join(", ")
                )));
            }
            if v.len() > MAX_VALUE {
                return Err(ApiError::bad_query(format!("parameter {k:?} is over {MAX_VALUE} bytes")));
            }
            pairs.push((k.into_owned(), v.into_owned()));
        }
        Ok(Params { pairs })
    }

    /// A single value (empty counts as absent); given twice is an error.
    pub fn get(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut it = self.pairs.iter().filter(|(k, v)| k == name && !v.trim().is_empty());
        let first = it.next().map(|(_, v)| v.trim());
        if it.next().is_some() {
            return Err(ApiError::bad_query(format!("parameter {name:?} given more than once")));
        }
        Ok(first)
    }

    pub fn string(&self, name: &str) -> Result<Option<String>, ApiError> {
        Ok(self.get(name)?.map(str::to_string))
    }

    /// Values separated by commas, and the parameter may be repeated.
    pub fn list(&self, name: &str) -> Result<Vec<String>, ApiError> {
        let mut out = Vec::new();
        for (_, v) in self.pairs.iter().filter(|(k, _)| k == name) {
            for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                out.push(part.to_string());
                if out.len() > MAX_LIST {
                    return Err(ApiError::new(
                        ErrorCode::TooManyValues,
                        format!("parameter {name:?} holds more than {MAX_LIST} values"),
                    ));
                }
            }
        }
        Ok(out)
    }

    /// An integer in `lo..=hi`, else `default`.
    pub fn int(&self, name: &str, default: usize, lo: usize, hi: usize) -> Result<usize, ApiError> {
        let Some(v) = self.get(name)? else { return Ok(default) };
        let n: usize = v.parse().map_err(|_| ApiError::bad_query(format!("{name}={v:?}: expected a whole number")))?;
        if n < lo || n > hi {
            return Err(ApiError::bad_query(format!("{name}={n}: expected {lo} to {hi}")));
        }
        Ok(n)
    }

    pub fn bool(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name)? {
            None => Ok(false),
            Some("true" | "1" | "yes") => Ok(true),
            Some("false" | "0" | "no") => Ok(false),
            Some(v) => Err(ApiError::bad_query(format!("{name}={v:?}: expected true or false"))),
        }
    }

    /// A date `YYYY-MM-DD`.
    pub fn date(&self, name: &str) -> Result<Option<String>, ApiError> {
        let Some(v) = self.get(name)? else { return Ok(None) };
        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| ApiError::bad_query(format!("{name}={v:?}: expected a date as YYYY-MM-DD")))?;
        Ok(Some(v.to_string()))
    }
}
