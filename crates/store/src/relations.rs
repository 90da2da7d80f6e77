//! The relations series ([`Store::relations`]): events between two actors per period.
//!
//! Whole buckets come from the pre-aggregate of schema 3 (`relations_weekly`, `relations_codes`:
//! per first three letters of the source and target codes and per bucket, a week cut at month
//! ends), so a year of a busy pair reads about a hundred rows instead of thousands of events.
//! The days of a bucket that the requested range cuts, events of actors whose country is not
//! their code's prefix (`odd`), and requests the pre-aggregate cannot answer (day series, actor
//! codes longer than three letters, two actors one of which is a prefix of the other) are read
//! from the events themselves. Either way the answer is that of a scan of the events.

use crate::query::{actor_arg, Period, PeriodRow, Relations};
use crate::{Store, StoreError};
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::ToSql;
use std::collections::{HashMap, HashSet};

#[derive(Default)]
struct Acc {
    quad: [u64; 4],
    events: u64,
    mentions: u64,
    gold: f64,
    tone: f64,
    tone_n: u64,
    /// Event count per code, by the code's number in [`Series::names`].
    codes: Vec<(u32, u64)>,
}

/// Periods being summed. Rows name a day (or a bucket's first day): the period of each day
/// seen is kept, and that of the last one (rows come in date order) at hand.
struct Series {
    by: Period,
    codes: bool,
    /// (period name, sums), in order of first sight.
    periods: Vec<(String, Acc)>,
    /// Period name → index in `periods`.
    index: HashMap<String, usize>,
    /// Day → index in `periods`, `None` when the day is not a date.
    days: HashMap<String, Option<usize>>,
    last: Option<(String, Option<usize>)>,
    /// The CAMEO codes seen, numbered in order of first sight.
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Series {
    /// The period holding `day` (`YYYY-MM-DD`); `None` when it is not a date.
    fn slot(&mut self, day: &str) -> Option<&mut Acc> {
        let i = match &self.last {
            Some((d, i)) if d == day => *i,
            _ => {
                let i = match self.days.get(day) {
                    Some(i) => *i,
                    None => {
                        let i = parse_day(day).map(|d| {
                            let key = self.by.key(d);
                            match self.index.get(&key) {
                                Some(&i) => i,
                                None => {
                                    self.periods.push((key.clone(), Acc::default()));
                                    self.index.insert(key, self.periods.len() - 1);
                                    self.periods.len() - 1
                                }
                            }
                        });
                        self.days.insert(day.to_string(), i);
                        i
                    }
                };
                self.last = Some((day.to_string(), i));
                i
            }
        };
        Some(&mut self.periods[i?].1)
    }

    fn code_id(&mut self, code: &str) -> u32 {
        if let Some(&id) = self.ids.get(code) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(code.to_string());
        self.ids.insert(code.to_string(), id);
        id
    }

    fn count_code(e: &mut Acc, id: u32, n: u64) {
        match e.codes.iter_mut().find(|c| c.0 == id) {
            Some(c) => c.1 += n,
            None => e.codes.push((id, n)),
        }
    }
}

/// `YYYY-MM-DD` as chrono's `%Y-%m-%d` reads it, without its format interpreter for the usual
/// ten-digit shape.
fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + (c - b'0') as u32))
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) {
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The first day of the bucket holding `d`: its ISO week's Monday, or the first of its month
/// when the week began in the month before (as the triggers of schema 3 compute it).
pub(crate) fn bucket_start(d: NaiveDate) -> NaiveDate {
    let monday = d - Duration::days(d.weekday().num_days_from_monday() as i64);
    monday.max(d.with_day(1).unwrap_or(d))
}

/// The first day of the bucket after the one holding `d`.
fn next_bucket(d: NaiveDate) -> Option<NaiveDate> {
    let next_monday = d + Duration::days(7 - d.weekday().num_days_from_monday() as i64);
    let next_month = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    }?;
    Some(next_monday.min(next_month))
}

/// The upper bound of an event scan.
#[derive(Clone, Copy)]
enum Upper<'a> {
    Including(&'a str),
    Before(&'a str),
}

/// How a request is answered from the pre-aggregate: buckets starting in `lo..hi`, plus the
/// events of the cut days before `lo` (from `from`) and from `hi` (to `to`).
struct Plan {
    lo: String,
    hi: String,
    lower: Option<String>,
    upper: Option<String>,
}

/// A day bound as given: `Some(None)` when absent, `None` when it is not a plain date in the
/// years the pre-aggregate covers (then the events are scanned).
fn day_arg(s: &Option<String>) -> Option<Option<NaiveDate>> {
    match s {
        None => Some(None),
        Some(s) => {
            let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
            ((1..=9998).contains(&d.year()) && d.to_string() == *s).then_some(Some(d))
        }
    }
}

fn plan(q: &Relations, a: &str, b: &str) -> Option<Plan> {
    if q.by == Period::Day || a.len() > 3 || b.len() > 3 || (!q.directed && (a.starts_with(b) || b.starts_with(a))) {
        return None;
    }
    let (from, to) = (day_arg(&q.from)?, day_arg(&q.to)?);
    let (lo, lower) = match from {
        None => ("0000-00-00".to_string(), None),
        Some(f) if bucket_start(f) == f => (f.to_string(), None),
        Some(f) => (next_bucket(f)?.to_string(), Some(f.to_string())),
    };
    let (hi, upper) = match to {
        None => ("9999-99-99".to_string(), None),
        Some(t) => {
            let after = t.succ_opt()?;
            if bucket_start(after) == after {
                (after.to_string(), None)
            } else {
                (bucket_start(t).to_string(), Some(t.to_string()))
            }
        }
    };
    (lo < hi).then_some(Plan { lo, hi, lower, upper })
}

/// `col` holds a three-letter prefix that starts with `x` (the parameter `:{p}3`, and
/// `:{p}3hi` just above it when `x` is shorter).
fn seek(col: &str, p: &str, x: &str) -> String {
    if x.len() >= 3 {
        format!("{col} = :{p}3")
    } else {
        format!("{col} >= :{p}3 AND {col} < :{p}3hi")
    }
}

/// The actor `x` (parameter `:{p}`, `:{p}len` characters, upper case) matches this side of an
/// event: code prefix (as `LIKE 'x%'` would find it, ASCII case folded) or country. Not `LIKE`
/// itself: SQLite prepares a statement again whenever a `LIKE` pattern parameter is bound.
fn exact(side: &str, p: &str) -> String {
    format!("(upper(substr({side}_code, 1, :{p}len)) = :{p} OR {side}_country = :{p})")
}

/// The named parameters every relations statement may use.
struct Args {
    a: String,
    b: String,
    alen: i64,
    blen: i64,
    a3: String,
    b3: String,
    a3hi: String,
    b3hi: String,
}

impl Args {
    fn new(a: &str, b: &str) -> Args {
        let first3 = |x: &str| x.chars().take(3).collect::<String>();
        let hi = |x: &str| {
            let mut s: Vec<char> = first3(x).chars().collect();
            if let Some(c) = s.last_mut() {
                *c = char::from_u32(*c as u32 + 1).unwrap_or(char::MAX);
            }
            s.into_iter().collect::<String>()
        };
        Args {
            a: a.to_string(),
            b: b.to_string(),
            alen: a.chars().count() as i64,
            blen: b.chars().count() as i64,
            a3: first3(a),
            b3: first3(b),
            a3hi: hi(a),
            b3hi: hi(b),
        }
    }

    /// The parameters that `sql` names, with `extra` (SQLite refuses a name it does not see).
    fn bind<'s>(&'s self, sql: &str, extra: &[(&'s str, &'s dyn ToSql)]) -> Vec<(&'s str, &'s dyn ToSql)> {
        let all: [(&str, &dyn ToSql); 8] = [
            (":a", &self.a),
            (":b", &self.b),
            (":alen", &self.alen),
            (":blen", &self.blen),
            (":a3", &self.a3),
            (":b3", &self.b3),
            (":a3hi", &self.a3hi),
            (":b3hi", &self.b3hi),
        ];
        let named = |n: &str| {
            sql.match_indices(n)
                .any(|(i, _)| !sql[i + n.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
        };
        all.into_iter().chain(extra.iter().copied()).filter(|(n, _)| named(n)).collect()
    }
}

const EVENT_ROW: &str = "id, date, quad_class, goldstein, tone_sum, tone_n, cameo, num_mentions";

impl Store {
    /// Events between two actors per period: counts by quad class, mean Goldstein, mean tone
    /// and the top event codes. Periods without events are left out.
    pub fn relations(&self, q: &Relations) -> Result<Vec<PeriodRow>, StoreError> {
        let a = actor_arg(&q.a)?;
        let b = actor_arg(&q.b)?;
        let args = Args::new(&a, &b);
        let mut series = Series {
            by: q.by,
            codes: q.top > 0,
            periods: Vec::new(),
            index: HashMap::new(),
            days: HashMap::new(),
            last: None,
            names: Vec::new(),
            ids: HashMap::new(),
        };
        let mut seen = HashSet::new();
        match plan(q, &a, &b) {
            Some(p) => {
                self.read_rollup(q, &a, &b, &args, &p.lo, &p.hi, &mut series)?;
                self.read_odd(q, &a, &b, &args, &p.lo, &p.hi, &mut series, &mut seen)?;
                if let Some(from) = &p.lower {
                    self.scan_events(q, &a, &b, &args, from, Upper::Before(&p.lo), &mut series, &mut seen)?;
                }
                if let Some(to) = &p.upper {
                    self.scan_events(q, &a, &b, &args, &p.hi, Upper::Including(to), &mut series, &mut seen)?;
                }
            }
            None => {
                let from = q.from.as_deref().unwrap_or("0000-00-00");
                let to = q.to.as_deref().unwrap_or("9999-99-99");
                self.scan_events(q, &a, &b, &args, from, Upper::Including(to), &mut series, &mut seen)?;
            }
        }
        let names = &series.names;
        let mut periods = series.periods;
        periods.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        Ok(periods
            .into_iter()
            .filter(|(_, e)| e.events > 0)
            .map(|(period, mut e)| {
                let name = |id: u32| names[id as usize].as_str();
                e.codes.sort_unstable_by(|x, y| y.1.cmp(&x.1).then_with(|| name(x.0).cmp(name(y.0))));
                let codes = e.codes.iter().take(q.top).map(|&(id, n)| (name(id).to_string(), n)).collect();
                PeriodRow {
                    period,
                    events: e.events,
                    quad: e.quad,
                    mentions: e.mentions,
                    mean_goldstein: e.gold / e.events.max(1) as f64,
                    mean_tone: (e.tone_n > 0).then(|| e.tone / e.tone_n as f64),
                    top_codes: codes,
                }
            })
            .collect())
    }

    /// The statement over one pre-aggregate table for the pair, both directions unless directed.
    fn rollup_sql(q: &Relations, a: &str, b: &str, table: &str, columns: &str) -> String {
        let arm = |x: &str, px: &str, y: &str, py: &str| {
            format!(
                "SELECT {columns} FROM {table} WHERE {} AND {} AND bucket >= :lo AND bucket < :hi",
                seek("src3", px, x),
                seek("tgt3", py, y)
            )
        };
        let mut sql = arm(a, "a", b, "b");
        if !q.directed {
            sql = format!("{sql} UNION ALL {}", arm(b, "b", a, "a"));
        }
        sql
    }

    /// Adds the buckets starting in `lo..hi` of the pre-aggregate.
    #[allow(clippy::too_many_arguments)]
    fn read_rollup(
        &self,
        q: &Relations,
        a: &str,
        b: &str,
        args: &Args,
        lo: &str,
        hi: &str,
        series: &mut Series,
    ) -> Result<(), StoreError> {
        let range: [(&str, &dyn ToSql); 2] = [(":lo", &lo), (":hi", &hi)];
        let sql = Self::rollup_sql(
            q,
            a,
            b,
            "relations_weekly",
            "bucket, events, q1, q2, q3, q4, mentions, goldstein, tone, toned",
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(args.bind(&sql, &range).as_slice())?;
        while let Some(r) = rows.next()? {
            let Some(e) = series.slot(r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?) else { continue };
            let n = |i: usize| r.get::<_, i64>(i).map(|v| v.max(0) as u64);
            e.events += n(1)?;
            for k in 0..4 {
                e.quad[k] += n(2 + k)?;
            }
            e.mentions += n(6)?;
            e.gold += r.get::<_, f64>(7)?;
            e.tone += r.get::<_, f64>(8)?;
            e.tone_n += n(9)?;
        }
        if series.codes {
            let sql = Self::rollup_sql(q, a, b, "relations_codes", "bucket, cameo, events");
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(args.bind(&sql, &range).as_slice())?;
            while let Some(r) = rows.next()? {
                let id = series.code_id(r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?);
                let Some(e) = series.slot(r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?) else { continue };
                Series::count_code(e, id, r.get::<_, i64>(2)?.max(0) as u64);
            }
        }
        Ok(())
    }

    /// Adds the `odd` events dated in `lo..hi` that match but that the pre-aggregate rows read
    /// for the pair do not hold (their code's first letters are not the actor's).
    #[allow(clippy::too_many_arguments)]
    fn read_odd(
        &self,
        q: &Relations,
        a: &str,
        b: &str,
        args: &Args,
        lo: &str,
        hi: &str,
        series: &mut Series,
        seen: &mut HashSet<i64>,
    ) -> Result<(), StoreError> {
        let both = |x: &str, px: &str, y: &str, py: &str| {
            (
                format!("({} AND {})", exact("source", px), exact("target", py)),
                format!("({} AND {})", seek("src3", px, x), seek("tgt3", py, y)),
            )
        };
        let (mut matches, mut held) = both(a, "a", b, "b");
        if !q.directed {
            let (m, h) = both(b, "b", a, "a");
            matches = format!("({matches} OR {m})");
            held = format!("({held} OR {h})");
        }
        let sql = format!(
            "SELECT {EVENT_ROW} FROM events WHERE odd = 1 AND date >= :lo AND date < :hi AND {matches} AND NOT {held}"
        );
        let range: [(&str, &dyn ToSql); 2] = [(":lo", &lo), (":hi", &hi)];
        self.add_events(&sql, &args.bind(&sql, &range), series, seen)
    }

    /// Adds the matching events dated from `from` up to `upper`, read from the events table.
    #[allow(clippy::too_many_arguments)]
    fn scan_events(
        &self,
        q: &Relations,
        a: &str,
        b: &str,
        args: &Args,
        from: &str,
        upper: Upper,
        series: &mut Series,
        seen: &mut HashSet<i64>,
    ) -> Result<(), StoreError> {
        let (op, to) = match upper {
            Upper::Including(t) => ("<=", t),
            Upper::Before(t) => ("<", t),
        };
        // The pair index (src3, tgt3, date) finds rows by the first three letters of each code;
        // `odd` rows (an actor whose country is not its code's prefix) are read by date. An
        // event found by two arms is counted once.
        let directed = |x: &str, px: &str, y: &str, py: &str| {
            format!(
                "SELECT {EVENT_ROW} FROM events
                 WHERE {} AND {} AND date >= :from AND date {op} :to AND {} AND {}
                 UNION ALL
                 SELECT {EVENT_ROW} FROM events
                 WHERE odd = 1 AND date >= :from AND date {op} :to AND {} AND {}",
                seek("src3", px, x),
                seek("tgt3", py, y),
                exact("source", px),
                exact("target", py),
                exact("source", px),
                exact("target", py)
            )
        };
        let mut sql = directed(a, "a", b, "b");
        if !q.directed {
            sql = format!("{sql} UNION ALL {}", directed(b, "b", a, "a"));
        }
        let range: [(&str, &dyn ToSql); 2] = [(":from", &from), (":to", &to)];
        self.add_events(&sql, &args.bind(&sql, &range), series, seen)
    }

    fn add_events(
        &self,
        sql: &str,
        params: &[(&str, &dyn ToSql)],
        series: &mut Series,
        seen: &mut HashSet<i64>,
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params)?;
        let codes = series.codes;
        while let Some(r) = rows.next()? {
            if !seen.insert(r.get::<_, i64>(0)?) {
                continue;
            }
            let Some(date) = r.get_ref(1)?.as_str_or_null().map_err(rusqlite::Error::from)? else { continue };
            let id = if codes { series.code_id(r.get_ref(6)?.as_str().map_err(rusqlite::Error::from)?) } else { 0 };
            let Some(e) = series.slot(date) else { continue };
            let quad: i64 = r.get(2)?;
            if (1..=4).contains(&quad) {
                e.quad[quad as usize - 1] += 1;
            }
            e.events += 1;
            e.gold += r.get::<_, f64>(3)?;
            let (ts, tn): (f64, i64) = (r.get(4)?, r.get(5)?);
            if tn > 0 {
                e.tone += ts / tn as f64;
                e.tone_n += 1;
            }
            e.mentions += r.get::<_, i64>(7)? as u64;
            if codes {
                Series::count_code(e, id, 1);
            }
        }
        Ok(())
    }

    /// Compares the relations pre-aggregate with a recount from the events: the rows that
    /// disagree, described (none when it is right). Sums of floats may differ by rounding.
    pub fn check_relations_rollup(&self) -> Result<Vec<String>, StoreError> {
        type Row = (i64, [i64; 4], i64, f64, f64, i64);
        let read = |sql: &str| -> Result<HashMap<String, Row>, StoreError> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    format!("{}|{}|{}", r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?),
                    (
                        r.get(3)?,
                        [r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?],
                        r.get(8)?,
                        r.get(9)?,
                        r.get(10)?,
                        r.get(11)?,
                    ),
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let kept = read("SELECT * FROM relations_weekly")?;
        let want = read(crate::schema::V3_RECOUNT_WEEKLY)?;
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * (1.0 + x.abs().max(y.abs()));
        let mut bad = Vec::new();
        for (k, w) in &want {
            match kept.get(k) {
                None => bad.push(format!("{k}: missing")),
                Some(g) if (g.0, g.1, g.2, g.5) != (w.0, w.1, w.2, w.5) || !close(g.3, w.3) || !close(g.4, w.4) => {
                    bad.push(format!("{k}: kept {g:?}, recount {w:?}"))
                }
                Some(_) => {}
            }
        }
        bad.extend(kept.keys().filter(|k| !want.contains_key(*k)).map(|k| format!("{k}: not in the events")));
        let codes = |sql: &str| -> Result<HashMap<String, i64>, StoreError> {
            let mut stmt = self.conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    format!(
                        "{}|{}|{}|{}",
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?
                    ),
                    r.get(4)?,
                ))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let (kept, want) = (codes("SELECT * FROM relations_codes")?, codes(crate::schema::V3_RECOUNT_CODES)?);
        if kept != want {
            let n = want.iter().filter(|(k, v)| kept.get(*k) != Some(v)).count()
                + kept.keys().filter(|k| !want.contains_key(*k)).count();
            bad.push(format!("relations_codes: {n} rows disagree with a recount"));
        }
        bad.sort();
        Ok(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_as_chrono_parses_them() {
        for s in [
            "2024-05-06",
            "2024-02-29",
            "2023-02-29",
            "2024-13-01",
            "2024-1-5",
            "0000-01-01",
            "2024-05-0x",
            "+2024-05-06",
            "",
            "2024-05-06 ",
        ] {
            assert_eq!(parse_day(s), NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(), "{s:?}");
        }
    }

    #[test]
    fn buckets_are_weeks_cut_at_month_ends() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // 2024-05-01 is a Wednesday: its week began on Monday 2024-04-29, in April.
        assert_eq!(bucket_start(d("2024-05-01")), d("2024-05-01"));
        assert_eq!(bucket_start(d("2024-05-05")), d("2024-05-01"));
        assert_eq!(bucket_start(d("2024-05-06")), d("2024-05-06"));
        assert_eq!(bucket_start(d("2024-04-30")), d("2024-04-29"));
        assert_eq!(next_bucket(d("2024-04-29")), Some(d("2024-05-01")));
        assert_eq!(next_bucket(d("2024-05-02")), Some(d("2024-05-06")));
        assert_eq!(next_bucket(d("2024-12-30")), Some(d("2025-01-01")));
        // Every day's bucket starts at or before it, and the next one after it.
        let mut x = d("2015-01-01");
        while x < d("2017-01-01") {
            let (s, n) = (bucket_start(x), next_bucket(x).unwrap());
            assert!(s <= x && x < n && bucket_start(n) == n && bucket_start(n - Duration::days(1)) == s, "{x}");
            assert_eq!((s.year(), s.month(), s.iso_week()), (x.year(), x.month(), x.iso_week()), "{x}");
            x = x.succ_opt().unwrap();
        }
    }
}
