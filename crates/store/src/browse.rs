//! Queries for browsing the store page by page (the HTTP server asks these): events with every
//! filter and a keyset cursor, speakers of quotations, actors by code prefix, cheap counters.
//!
//! Same rules as [`crate::query`]: actor arguments match by code prefix or by country, user
//! text reaches SQL only as parameters, words reach FTS5 only as quoted strings.

use crate::query::{actor_arg, escape_like, event_row, fts_err, fts_query, EVENT_COLUMNS};
use crate::{Store, StoreError, StoredEvent};
use dyad_model::EventId;
use rusqlite::types::Value;
use serde::Serialize;

/// Filters for [`Store::events_page`]. Empty lists mean any; several values in one list are
/// alternatives (OR), different fields must all hold (AND).
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// One actor: events where it is source or target. Two actors: events between them, in
    /// either direction unless `directed` (then the first is the source).
    pub actors: Vec<String>,
    pub directed: bool,
    pub source: Option<String>,
    pub target: Option<String>,
    /// Country of the source or the target (ISO 3166 alpha-3 as stored).
    pub countries: Vec<String>,
    /// CAMEO code prefixes.
    pub cameo: Vec<String>,
    /// PLOVER event types (`CONSULT`, `ACCUSE` …).
    pub plover: Vec<String>,
    /// Quad classes 1–4.
    pub quad: Vec<u8>,
    /// Inclusive event-date range, `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Words in an article that reports the event.
    pub text: Option<String>,
    /// Continue after this position (from [`EventPage::next`]).
    pub after: Option<Cursor>,
    pub limit: usize,
}

/// A position in the order of [`Store::events_page`]: newest date first, then id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub date: Option<String>,
    pub id: EventId,
}

impl Cursor {
    /// `DATE~ID` (`~ID` for an event without a date); opaque to clients.
    pub fn encode(&self) -> String {
        format!("{}~{}", self.date.as_deref().unwrap_or(""), self.id)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let (date, id) = s.split_once('~')?;
        let id: EventId = id.parse().ok()?;
        let date = match date {
            "" => None,
            d if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() => Some(d.to_string()),
            _ => return None,
        };
        Some(Cursor { date, id })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventPage {
    pub events: Vec<StoredEvent>,
    /// The cursor of the next page, when there is one.
    pub next: Option<String>,
}

/// A speaker of quotations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Speaker {
    /// The resolved actor code, when the speaker was resolved.
    pub code: Option<String>,
    /// The canonical name, else the name as written.
    pub name: Option<String>,
    pub quotes: u64,
}

/// An actor code seen in articles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorCount {
    pub code: String,
    pub country: Option<String>,
    pub name: Option<String>,
    pub mentions: u64,
}

/// Binds an SQL condition builder's parameters by position.
struct Sql {
    wh: Vec<String>,
    args: Vec<Value>,
}

impl Sql {
    fn arg(&mut self, v: impl Into<Value>) -> String {
        self.args.push(v.into());
        format!("?{}", self.args.len())
    }
}

/// The first three letters, and the upper bound of the range of `src3`/`tgt3` values that
/// start with a shorter code.
fn seek3(a: &str) -> (String, Option<String>) {
    let a3: String = a.chars().take(3).collect();
    if a.len() >= 3 {
        return (a3, None);
    }
    let mut hi: Vec<char> = a3.chars().collect();
    if let Some(c) = hi.last_mut() {
        *c = char::from_u32(*c as u32 + 1).unwrap_or(char::MAX);
    }
    (a3, Some(hi.into_iter().collect()))
}

impl Store {
    /// One page of events matching `q`, newest first, with the cursor of the next page.
    pub fn events_page(&self, q: &EventQuery) -> Result<EventPage, StoreError> {
        let mut s = Sql { wh: Vec::new(), args: Vec::new() };
        let actors: Vec<String> = q.actors.iter().map(|a| actor_arg(a)).collect::<Result<_, _>>()?;
        if actors.len() > 2 {
            return Err(StoreError::BadQuery(format!("{} actors: give one, or two for a pair", actors.len())));
        }
        let side = |s: &mut Sql, col: &str, a: &str| {
            let like = s.arg(format!("{}%", escape_like(a)));
            let exact = s.arg(a.to_string());
            format!("(e.{col}_code LIKE {like} ESCAPE '\\' OR e.{col}_country = {exact})")
        };
        // A pair is read arm by arm, each arm in date order from an index: the pair index
        // (src3, tgt3, date) for each direction, and the date index of the rows whose country
        // is not their code's prefix (`odd`). The arms are merged by date, so a page reads
        // little more than its own rows.
        let mut arms: Vec<String> = Vec::new();
        match actors.as_slice() {
            [a] => {
                let (x, y) = (side(&mut s, "source", a), side(&mut s, "target", a));
                s.wh.push(format!("({x} OR {y})"));
            }
            [a, b] => {
                let dirs: &[(&String, &String)] = if q.directed { &[(a, b)] } else { &[(a, b), (b, a)] };
                for (x, y) in dirs {
                    let seek = |s: &mut Sql, col: &str, v: &str| match seek3(v) {
                        (v3, None) => format!("e.{col} = {}", s.arg(v3)),
                        (v3, Some(hi)) => format!("e.{col} >= {} AND e.{col} < {}", s.arg(v3), s.arg(hi)),
                    };
                    let sx = seek(&mut s, "src3", x);
                    let sy = seek(&mut s, "tgt3", y);
                    let (px, py) = (side(&mut s, "source", x), side(&mut s, "target", y));
                    arms.push(format!("{sx} AND {sy} AND {px} AND {py}"));
                    arms.push(format!("e.odd = 1 AND {px} AND {py}"));
                }
            }
            _ => {}
        }
        if let Some(src) = &q.source {
            let a = actor_arg(src)?;
            let c = side(&mut s, "source", &a);
            s.wh.push(c);
        }
        if let Some(tgt) = &q.target {
            let a = actor_arg(tgt)?;
            let c = side(&mut s, "target", &a);
            s.wh.push(c);
        }
        if !q.countries.is_empty() {
            let mut alts = Vec::new();
            for c in &q.countries {
                let c = actor_arg(c)?;
                let p = s.arg(c);
                alts.push(format!("e.source_country = {p} OR e.target_country = {p}"));
            }
            s.wh.push(format!("({})", alts.join(" OR ")));
        }
        if !q.cameo.is_empty() {
            let mut alts = Vec::new();
            for c in &q.cameo {
                let c = c.trim();
                if c.is_empty() || c.len() > 4 || !c.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(StoreError::BadQuery(format!(
                        "CAMEO code {c:?}: expected 1 to 4 digits such as 04 or 042"
                    )));
                }
                let p = s.arg(format!("{c}%"));
                alts.push(format!("e.cameo LIKE {p}"));
            }
            s.wh.push(format!("({})", alts.join(" OR ")));
        }
        if !q.plover.is_empty() {
            let mut alts = Vec::new();
            for p in &q.plover {
                let p = p.trim().to_ascii_uppercase();
                if p.is_empty() || !p.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') {
                    return Err(StoreError::BadQuery(format!("PLOVER type {p:?}: expected a word such as CONSULT")));
                }
                alts.push(s.arg(p));
            }
            s.wh.push(format!("e.plover IN ({})", alts.join(", ")));
        }
        if !q.quad.is_empty() {
            if let Some(bad) = q.quad.iter().find(|c| !(1..=4).contains(*c)) {
                return Err(StoreError::BadQuery(format!("quad class {bad}: expected 1 to 4")));
            }
            let list: Vec<String> = q.quad.iter().map(|c| c.to_string()).collect();
            s.wh.push(format!("e.quad_class IN ({})", list.join(", ")));
        }
        for (d, op) in [(&q.from, ">="), (&q.to, "<=")] {
            if let Some(d) = d {
                if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                    return Err(StoreError::BadQuery(format!("date {d:?}: expected YYYY-MM-DD")));
                }
                let p = s.arg(d.clone());
                s.wh.push(format!("e.date {op} {p}"));
            }
        }
        if let Some(t) = &q.text {
            let fq = fts_query(t).ok_or_else(|| StoreError::BadQuery(format!("no words in {t:?}")))?;
            let p = s.arg(fq);
            s.wh.push(format!(
                "e.id IN (SELECT m.event FROM mentions m WHERE m.doc IN
                 (SELECT rowid FROM documents_fts WHERE documents_fts MATCH {p}))"
            ));
        }
        if let Some(c) = &q.after {
            let id = s.arg(c.id.as_i64());
            match &c.date {
                Some(d) => {
                    let d = s.arg(d.clone());
                    s.wh.push(format!("(e.date < {d} OR e.date IS NULL OR (e.date = {d} AND e.id > {id}))"));
                }
                None => s.wh.push(format!("(e.date IS NULL AND e.id > {id})")),
            }
        }
        let limit = q.limit.max(1);
        let lim = s.arg((limit + 1) as i64);
        let wh = if s.wh.is_empty() { "1".to_string() } else { s.wh.join(" AND ") };
        let sql = if arms.is_empty() {
            format!(
                "SELECT {EVENT_COLUMNS} FROM events e JOIN documents d ON d.id = e.first_doc
                 WHERE {wh} ORDER BY e.date DESC, e.id LIMIT {lim}"
            )
        } else {
            let parts: Vec<String> = arms
                .iter()
                .map(|arm| {
                    format!("SELECT {EVENT_COLUMNS} FROM events e JOIN documents d ON d.id = e.first_doc WHERE {arm} AND {wh}")
                })
                .collect();
            // Columns 2 and 1 are the date and the id.
            format!("{} ORDER BY 2 DESC, 1 LIMIT {lim}", parts.join(" UNION "))
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(s.args.iter()), event_row).map_err(fts_err)?;
        let mut events: Vec<StoredEvent> = rows.map(|r| r.map_err(fts_err)).collect::<Result<_, _>>()?;
        let next = if events.len() > limit {
            events.truncate(limit);
            events.last().map(|e| Cursor { date: e.date.clone(), id: e.id }.encode())
        } else {
            None
        };
        Ok(EventPage { events, next })
    }

    /// Speakers of quotations with how many they said, most first; `name` filters by a part
    /// of the code or name.
    pub fn speakers(&self, name: Option<&str>, limit: usize) -> Result<Vec<Speaker>, StoreError> {
        let pat = name.map(|n| format!("%{}%", escape_like(n.trim())));
        let mut stmt = self.conn.prepare_cached(
            "SELECT speaker_code, COALESCE(speaker_name, speaker_text) AS who, COUNT(*) AS n FROM quotes
             WHERE ?1 IS NULL OR speaker_code LIKE ?1 ESCAPE '\\' OR speaker_name LIKE ?1 ESCAPE '\\'
                OR speaker_text LIKE ?1 ESCAPE '\\'
             GROUP BY speaker_code, who ORDER BY n DESC, speaker_code, who LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![pat, limit as i64], |r| {
            Ok(Speaker { code: r.get(0)?, name: r.get(1)?, quotes: r.get::<_, i64>(2)? as u64 })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Actor codes starting with `prefix` (any when `None`), most mentioned first.
    pub fn actor_counts(&self, prefix: Option<&str>, limit: usize) -> Result<Vec<ActorCount>, StoreError> {
        let pat = match prefix {
            Some(p) => Some(format!("{}%", escape_like(&actor_arg(p)?))),
            None => None,
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, MAX(country), MAX(name), COUNT(*) AS n FROM actors
             WHERE code != '' AND (?1 IS NULL OR code LIKE ?1 ESCAPE '\\')
             GROUP BY code ORDER BY n DESC, code LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![pat, limit as i64], |r| {
            Ok(ActorCount {
                code: r.get(0)?,
                country: r.get(1)?,
                name: r.get(2)?,
                mentions: r.get::<_, i64>(3)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many documents are stored.
    pub fn document_count(&self) -> Result<u64, StoreError> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// A number that grows whenever a document is stored (the largest store order), for
    /// caches of query results: equal numbers mean the same documents.
    pub fn generation(&self) -> Result<u64, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM documents")?
            .query_row([], |r| r.get::<_, i64>(0))? as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::Synth;
    use std::collections::BTreeSet;

    fn store() -> Store {
        let s = Synth::with_events(3000);
        let mut st = Store::open_in_memory().expect("store");
        for i in 0..s.documents {
            st.put(&s.document(i)).expect("put");
        }
        st
    }

    fn side(e: &StoredEvent, src: bool, a: &str) -> bool {
        let (code, country) = if src { (&e.source, &e.source_country) } else { (&e.target, &e.target_country) };
        code.starts_with(a) || country.as_deref() == Some(a)
    }

    /// Every page of `q`, following the cursors.
    fn pages(st: &Store, mut q: EventQuery) -> Vec<StoredEvent> {
        let mut out = Vec::new();
        q.limit = 7;
        loop {
            let p = st.events_page(&q).expect("page");
            out.extend(p.events);
            match p.next {
                Some(c) => q.after = Some(Cursor::decode(&c).expect("cursor")),
                None => return out,
            }
        }
    }

    #[test]
    fn pair_pages_are_the_events_between_the_pair_newest_first() {
        let st = store();
        let all = st.events(&crate::EventFilter::default()).expect("all");
        assert!(all.len() > 500);
        for (a, b, directed) in [
            ("USA", "PRK", false),
            ("USA", "PRK", true),
            ("IGOUNO", "USA", false),
            ("US", "CH", false),
            ("RUS", "UKR", true),
        ] {
            let q = EventQuery { actors: vec![a.into(), b.into()], directed, ..Default::default() };
            let got = pages(&st, q);
            let want: BTreeSet<EventId> = all
                .iter()
                .filter(|e| {
                    (side(e, true, a) && side(e, false, b)) || (!directed && side(e, true, b) && side(e, false, a))
                })
                .map(|e| e.id)
                .collect();
            assert!(!want.is_empty(), "{a}-{b}");
            let ids: BTreeSet<EventId> = got.iter().map(|e| e.id).collect();
            assert_eq!(ids.len(), got.len(), "{a}-{b}: an event twice");
            assert_eq!(ids, want, "{a}-{b} directed={directed}");
            for w in got.windows(2) {
                assert!(
                    (w[0].date.as_deref(), std::cmp::Reverse(w[0].id))
                        >= (w[1].date.as_deref(), std::cmp::Reverse(w[1].id))
                );
            }
        }
    }

    #[test]
    fn filters_combine_and_bad_values_are_refused() {
        let st = store();
        let all = st.events(&crate::EventFilter::default()).expect("all");
        let q = EventQuery {
            actors: vec!["CHN".into()],
            quad: vec![3, 4],
            plover: vec!["accuse".into(), "SANCTION".into()],
            from: Some("2020-01-01".into()),
            ..Default::default()
        };
        let got: BTreeSet<EventId> = pages(&st, q).iter().map(|e| e.id).collect();
        let want: BTreeSet<EventId> = all
            .iter()
            .filter(|e| side(e, true, "CHN") || side(e, false, "CHN"))
            .filter(|e| e.quad_class >= 3)
            .filter(|e| matches!(e.plover.as_deref(), Some("ACCUSE" | "SANCTION")))
            .filter(|e| e.date.as_deref().is_some_and(|d| d >= "2020-01-01"))
            .map(|e| e.id)
            .collect();
        assert_eq!(got, want);
        for bad in [
            EventQuery { cameo: vec!["0x".into()], ..Default::default() },
            EventQuery { quad: vec![0], ..Default::default() },
            EventQuery { actors: vec!["A".into(), "B".into(), "C".into()], ..Default::default() },
            EventQuery { actors: vec!["US A".into()], ..Default::default() },
            EventQuery { from: Some("2020-02-30".into()), ..Default::default() },
            EventQuery { plover: vec!["DROP TABLE".into()], ..Default::default() },
        ] {
            assert!(matches!(st.events_page(&bad), Err(StoreError::BadQuery(_))), "{bad:?}");
        }
        assert_eq!(Cursor::decode("2020-01-01~zz"), None);
        assert_eq!(Cursor::decode("yesterday~0000000000000001"), None);
        let c = Cursor { date: None, id: EventId(5) };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
    }

    #[test]
    fn speakers_and_actor_counts_add_up() {
        let st = store();
        let total = st.counts().expect("counts");
        let sp = st.speakers(None, 100_000).expect("speakers");
        assert_eq!(sp.iter().map(|s| s.quotes).sum::<u64>(), total.quotes);
        let ac = st.actor_counts(None, 100_000).expect("actors");
        assert!(ac.windows(2).all(|w| w[0].mentions >= w[1].mentions));
        let usa = st.actor_counts(Some("usa"), 100).expect("usa");
        assert!(!usa.is_empty() && usa.iter().all(|a| a.code.starts_with("USA")));
        assert_eq!(st.document_count().expect("n"), total.documents);
        assert!(st.generation().expect("gen") >= total.documents.saturating_sub(1));
    }
}
