//! Stable identifiers: a document id is a hash of its canonical URL, else of its content;
//! event and quote ids are hashes of the document id and what defines the record.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

fn hash64(parts: &[&[u8]]) -> u64 {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    let out = h.finalize();
    let b = out.as_bytes();
    // Keep it positive as an i64 so that it fits SQLite's INTEGER without surprises.
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) & (u64::MAX >> 1)
}

macro_rules! id_type {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:016x}", self.0)
            }
        }
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:016x})", stringify!($name), self.0)
            }
        }
        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                u64::from_str_radix(s, 16).map($name)
            }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
        impl $name {
            /// As SQLite's signed INTEGER (ids are kept below 2^63).
            pub fn as_i64(self) -> i64 {
                self.0 as i64
            }
            pub fn from_i64(v: i64) -> Self {
                $name(v as u64)
            }
        }
    };
}

id_type!(
    /// Stable document id: hash of the canonical URL when there is one, else of the body.
    DocId
);
id_type!(
    /// Deterministic event id: hash of the document id, sentence, actors, code and evidence.
    EventId
);
id_type!(
    /// Deterministic quote id: hash of the document id and the content span.
    QuoteId
);

impl DocId {
    pub fn from_url(url: &str) -> DocId {
        DocId(hash64(&[b"url", canonical_url(url).as_bytes()]))
    }
    pub fn from_content(body: &str) -> DocId {
        DocId(hash64(&[b"body", body.as_bytes()]))
    }
}

impl EventId {
    pub fn derive(
        doc: DocId,
        sentence: usize,
        source: &str,
        target: &str,
        cameo: &str,
        evidence: (usize, usize),
    ) -> EventId {
        EventId(hash64(&[
            &doc.0.to_le_bytes(),
            &(sentence as u64).to_le_bytes(),
            source.as_bytes(),
            target.as_bytes(),
            cameo.as_bytes(),
            &(evidence.0 as u64).to_le_bytes(),
            &(evidence.1 as u64).to_le_bytes(),
        ]))
    }
}

impl QuoteId {
    pub fn derive(doc: DocId, content: (usize, usize)) -> QuoteId {
        QuoteId(hash64(&[&doc.0.to_le_bytes(), &(content.0 as u64).to_le_bytes(), &(content.1 as u64).to_le_bytes()]))
    }
}

/// The canonical form of a URL for identity: lower-case scheme and host, no fragment, no
/// `www.`, no default port, no tracking parameters (`utm_*`, `fbclid`, `gclid`), no trailing
/// slash on the path.
pub fn canonical_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or("");
    let (scheme, rest) = match url.find("://") {
        Some(i) => (url[..i].to_ascii_lowercase(), &url[i + 3..]),
        None => (String::from("http"), url),
    };
    let scheme = if scheme == "https" { "http".to_string() } else { scheme };
    let (host, path_q) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let mut host = host.to_ascii_lowercase();
    if let Some(h) = host.strip_prefix("www.") {
        host = h.to_string();
    }
    for port in [":80", ":443"] {
        if let Some(h) = host.strip_suffix(port) {
            host = h.to_string();
        }
    }
    let (path, query) = match path_q.find('?') {
        Some(i) => (&path_q[..i], &path_q[i + 1..]),
        None => (path_q, ""),
    };
    let path = path.trim_end_matches('/');
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let k = p.split('=').next().unwrap_or("");
            !(k.starts_with("utm_") || k == "fbclid" || k == "gclid" || k == "ocid" || k == "cmpid")
        })
        .collect();
    params.sort_unstable();
    let mut out = format!("{scheme}://{host}{path}");
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_urls_agree() {
        let a = canonical_url("https://www.Example.com/news/story/?utm_source=x&id=3#top");
        let b = canonical_url("http://example.com:80/news/story?id=3");
        assert_eq!(a, b);
        assert_eq!(a, "http://example.com/news/story?id=3");
        assert_ne!(DocId::from_url("http://a.com/1"), DocId::from_url("http://a.com/2"));
    }

    #[test]
    fn ids_are_stable_and_round_trip() {
        let d = DocId::from_content("hello");
        assert_eq!(d, DocId::from_content("hello"));
        let s = d.to_string();
        assert_eq!(s.len(), 16);
        assert_eq!(s.parse::<DocId>().unwrap(), d);
        assert!(d.as_i64() >= 0);
        let e1 = EventId::derive(d, 1, "USA", "PRK", "042", (0, 5));
        let e2 = EventId::derive(d, 1, "USA", "PRK", "042", (0, 6));
        assert_ne!(e1, e2);
        let json = format!("\"{d}\"");
        let back: DocId = serde_json_roundtrip(&json);
        assert_eq!(back, d);
    }

    fn serde_json_roundtrip(s: &str) -> DocId {
        serde_json::from_str(s).unwrap()
    }
}
