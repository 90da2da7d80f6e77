//! Time expressions in a sentence, resolved against the document date.
//!
//! Recognised: years ("in 2018", "since 2019", "2018"), decades and parts of them ("in the 1970s",
//! "the 1970s and 1980s", "the early 2000s", "the late 1990s", "the mid-1980s"), months ("in March",
//! "March 2019", "on March 3", "3 March 2019"), weekdays ("on Tuesday", "last Tuesday"), and relative
//! days, weeks, months and years ("yesterday", "last week", "two years ago", "earlier this month").
//! Each expression is a period `[start, end]`; the event date is its start.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

#[derive(Debug, Clone, PartialEq)]
pub struct TimeExpr {
    /// Token range `[first, last)`.
    pub first: usize,
    pub last: usize,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub text: String,
}

impl TimeExpr {
    /// Before the document date by more than half a year (the whole period).
    pub fn historical(&self, doc: Option<NaiveDate>) -> bool {
        doc.is_some_and(|d| self.end < d - Duration::days(182))
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    MONTHS.iter().position(|m| *m == w || (w.len() == 3 && m.starts_with(w) && w != "may")).map(|i| i as u32 + 1).or(
        match w {
            "sept" => Some(9),
            _ => None,
        },
    )
}

fn weekday_of(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn year_of(w: &str) -> Option<i32> {
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|y| (1800..=2100).contains(y))
}

/// "1970s" → 1970; "'80s" is not handled.
fn decade_of(w: &str) -> Option<i32> {
    let y = year_of(w.strip_suffix('s')?)?;
    (y % 10 == 0).then_some(y)
}

fn number_word(w: &str) -> Option<i64> {
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "several" | "few" => 3,
        _ => return w.parse().ok().filter(|n| (1..=200).contains(n)),
    })
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Some(ymd(ny, nm, 1)? - Duration::days(1))
}

/// Every time expression in the lower-cased forms of a sentence.
pub fn find(forms: &[&str], doc: Option<NaiveDate>) -> Vec<TimeExpr> {
    let mut out = Vec::new();
    let n = forms.len();
    let mut i = 0;
    let at = |k: usize| -> &str { forms.get(k).copied().unwrap_or("") };
    while i < n {
        let w = forms[i];
        let mut found: Option<(usize, usize, NaiveDate, NaiveDate)> = None;
        // Decades: "the (early|mid|late)? 1970s (and 1980s)?", "mid-1980s".
        let (part, dec_at) = match w {
            "early" | "mid" | "late" => (Some(w), i + 1),
            _ if w.starts_with("mid-") => (Some("mid"), i),
            _ => (None, i),
        };
        let dec_word = if dec_at == i && w.starts_with("mid-") { &w[4..] } else { at(dec_at) };
        if let Some(d) = decade_of(dec_word) {
            let mut last = dec_at + 1;
            let mut end_dec = d;
            if at(last) == "and" || at(last) == "to" || at(last) == "-" {
                if let Some(d2) = decade_of(at(last + 1)) {
                    end_dec = d2;
                    last += 2;
                }
            }
            let (a, b) = match part {
                Some("early") => (d, d + 3),
                Some("mid") => (d + 4, d + 6),
                Some("late") => (d + 7, end_dec + 9),
                _ => (d, end_dec + 9),
            };
            let b = if part.is_some() && end_dec != d { end_dec + 9 } else { b };
            let first = if i > 0 && at(i - 1) == "the" { i - 1 } else { i };
            let first = if first > 0 && matches!(at(first - 1), "in" | "during" | "since" | "throughout") {
                first - 1
            } else {
                first
            };
            if let (Some(s), Some(e)) = (ymd(a, 1, 1), ymd(b, 12, 31)) {
                found = Some((first, last, s, e));
            }
        }
        // Month (day)? (, year)? and day month year.
        if found.is_none() {
            if let Some(m) = month_of(w) {
                // "may" the modal is not a month unless a day or year follows.
                let day = at(i + 1).trim_end_matches(',').parse::<u32>().ok().filter(|d| (1..=31).contains(d));
                let mut last = i + 1 + usize::from(day.is_some());
                if at(last) == "," {
                    last += 1;
                }
                let year = year_of(at(last));
                if year.is_some() {
                    last += 1;
                } else if at(last - 1) == "," {
                    last -= 1;
                }
                let before_day =
                    (i > 0).then(|| at(i - 1).parse::<u32>().ok().filter(|d| (1..=31).contains(d))).flatten();
                let lead = matches!(
                    at(i.wrapping_sub(1)),
                    "in" | "on" | "since" | "during" | "last" | "this" | "next" | "early" | "late" | "mid"
                );
                let ok = (w != "may" && (day.is_some() || year.is_some() || before_day.is_some() || lead))
                    || (w == "may" && (day.is_some() || year.is_some()));
                if ok {
                    let y = year.or(doc.map(|d| {
                        // A month named without a year is the latest one not after the document date.
                        if at(i.wrapping_sub(1)) == "next" || (m > d.month() && at(i.wrapping_sub(1)) != "this") {
                            if at(i.wrapping_sub(1)) == "next" {
                                d.year() + 1
                            } else {
                                d.year() - 1
                            }
                        } else {
                            d.year()
                        }
                    }));
                    if let Some(y) = y {
                        let dd = day.or(before_day);
                        let first = if before_day.is_some() { i - 1 } else { i };
                        let r = match dd {
                            Some(d) => ymd(y, m, d).map(|x| (x, x)),
                            None => ymd(y, m, 1).zip(month_end(y, m)),
                        };
                        if let Some((s, e)) = r {
                            found = Some((first, last, s, e));
                        }
                    }
                }
            }
        }
        // A year alone: "in 2018", "since 2019", "2018 election".
        if found.is_none() {
            if let Some(y) = year_of(w) {
                let prev = at(i.wrapping_sub(1));
                let first = if matches!(prev, "in" | "since" | "during" | "by" | "until" | "of") { i - 1 } else { i };
                if let (Some(s), Some(e)) = (ymd(y, 1, 1), ymd(y, 12, 31)) {
                    found = Some((first, i + 1, s, e));
                }
            }
        }
        // Relative expressions need the document date.
        if let (None, Some(d)) = (&found, doc) {
            let next = at(i + 1);
            if let Some(wd) = weekday_of(w) {
                let prev = at(i.wrapping_sub(1));
                let back = (d.weekday().num_days_from_monday() as i64 - wd.num_days_from_monday() as i64 + 7) % 7;
                let (first, date) = match prev {
                    "next" => (i - 1, d + Duration::days((7 - back) % 7 + if back == 0 { 7 } else { 0 })),
                    "last" => (i - 1, d - Duration::days(if back == 0 { 7 } else { back })),
                    "this" | "on" => (i - 1, d - Duration::days(back)),
                    _ => (i, d - Duration::days(back)),
                };
                found = Some((first, i + 1, date, date));
            } else {
                match (w, next) {
                    ("yesterday", _) => found = Some((i, i + 1, d - Duration::days(1), d - Duration::days(1))),
                    ("today", _) | ("tonight", _) => found = Some((i, i + 1, d, d)),
                    ("tomorrow", _) => found = Some((i, i + 1, d + Duration::days(1), d + Duration::days(1))),
                    ("last", "week") => found = Some((i, i + 2, d - Duration::days(7), d - Duration::days(1))),
                    ("last", "month") => {
                        let (y, m) = if d.month() == 1 { (d.year() - 1, 12) } else { (d.year(), d.month() - 1) };
                        if let (Some(s), Some(e)) = (ymd(y, m, 1), month_end(y, m)) {
                            found = Some((i, i + 2, s, e));
                        }
                    }
                    ("last", "year") => {
                        if let (Some(s), Some(e)) = (ymd(d.year() - 1, 1, 1), ymd(d.year() - 1, 12, 31)) {
                            found = Some((i, i + 2, s, e));
                        }
                    }
                    ("earlier", "this") | ("this", _)
                        if matches!(at(i + if w == "earlier" { 2 } else { 1 }), "week" | "month" | "year") =>
                    {
                        let unit_at = i + if w == "earlier" { 2 } else { 1 };
                        let s = match at(unit_at) {
                            "week" => Some(d - Duration::days(d.weekday().num_days_from_monday() as i64)),
                            "month" => ymd(d.year(), d.month(), 1),
                            _ => ymd(d.year(), 1, 1),
                        };
                        if let Some(s) = s {
                            found = Some((i, unit_at + 1, s, d));
                        }
                    }
                    _ => {
                        // "two years ago", "three days ago"
                        if let (Some(k), Some(unit), "ago") = (number_word(w), Some(next), at(i + 2)) {
                            let days = match unit.trim_end_matches('s') {
                                "day" => Some(k),
                                "week" => Some(7 * k),
                                "month" => Some(30 * k),
                                "year" => Some(365 * k),
                                "decade" => Some(3652 * k),
                                _ => None,
                            };
                            if let Some(days) = days {
                                let s = d - Duration::days(days);
                                found = Some((i, i + 3, s, s));
                            }
                        }
                    }
                }
            }
        }
        match found {
            Some((first, last, start, end)) => {
                let last = last.min(n).max(i + 1);
                out.push(TimeExpr { first, last, start, end, text: forms[first..last].join(" ") });
                i = last;
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> (String, String, String, bool) {
        let forms: Vec<&str> = s.split(' ').collect();
        let doc = ymd(2025, 2, 7);
        let t = find(&forms, doc);
        let t = &t[0];
        (t.text.clone(), t.start.to_string(), t.end.to_string(), t.historical(doc))
    }

    #[test]
    fn years_decades_and_relative_days() {
        assert_eq!(one("trump met kim in 2018 in singapore").0, "in 2018");
        assert_eq!(one("trump met kim in 2018 in singapore").1, "2018-01-01");
        let d = one("abduction of citizens during the 1970s and 1980s .");
        assert_eq!(
            (d.0.as_str(), d.1.as_str(), d.2.as_str(), d.3),
            ("during the 1970s and 1980s", "1970-01-01", "1989-12-31", true)
        );
        let e = one("released some victims in the early 2000s ,");
        assert_eq!((e.1.as_str(), e.2.as_str()), ("2000-01-01", "2003-12-31"));
        // 2025-02-07 is a Friday.
        assert_eq!(one("they met last tuesday").1, "2025-02-04");
        assert_eq!(one("they met on friday").1, "2025-02-07");
        assert!(!one("they met last tuesday").3);
        assert_eq!(one("they met yesterday").1, "2025-02-06");
        assert_eq!(one("on march 3 , 2019 they met").1, "2019-03-03");
        assert_eq!(one("in march they met").1, "2024-03-01");
        assert_eq!(one("two years ago they met").1, "2023-02-08");
        assert_eq!(one("the late 1990s").1, "1997-01-01");
    }

    #[test]
    fn the_modal_may_is_no_month() {
        let forms: Vec<&str> = "they may meet".split(' ').collect();
        assert!(find(&forms, ymd(2025, 2, 7)).is_empty());
        let forms: Vec<&str> = "on may 5 they met".split(' ').collect();
        assert_eq!(find(&forms, ymd(2025, 2, 7))[0].start.to_string(), "2024-05-05");
    }
}
