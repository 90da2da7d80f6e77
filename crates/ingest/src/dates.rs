//! Publication dates from the forms news pages use: ISO 8601 (`2025-02-07`, `2025-02-07T08:30Z`),
//! written dates (`February 7, 2025`, `7 Feb. 2025`, `Friday, Feb 7 2025`), and URL paths
//! (`/2025/02/07/`). A date that does not parse or is implausible gives `None`, never a guess.

use chrono::NaiveDate;

/// Dates before this or after the year 2100 are taken for parse errors.
const MIN_YEAR: i32 = 1900;

fn plausible(d: NaiveDate) -> Option<NaiveDate> {
    use chrono::Datelike;
    (MIN_YEAR..=2100).contains(&d.year()).then_some(d)
}

/// An ISO 8601 date or date-time at the start of `s`.
pub fn parse_iso(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let head = s.get(..10)?;
    let b = head.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i32 = head[..4].parse().ok()?;
    let m: u32 = head[5..7].parse().ok()?;
    let d: u32 = head[8..10].parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d).and_then(plausible)
}

/// Month names and their usual abbreviations in the languages news is most often written in
/// (English, German, French, Spanish, Italian, Portuguese, Dutch, Swedish/Danish/Norwegian), lower-case.
const MONTHS: [&[&str]; 12] = [
    &[
        "january", "jan", "januar", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro", "januari",
        "jänner", "jän",
    ],
    &[
        "february",
        "feb",
        "februar",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "febrero",
        "febbraio",
        "fevereiro",
        "fev",
        "februari",
    ],
    &["march", "mar", "märz", "maerz", "mär", "mars", "marzo", "março", "marco", "maart", "mrt"],
    &["april", "apr", "avril", "avr", "abril", "abr", "aprile"],
    &["may", "mai", "mayo", "maggio", "mag", "maio", "mei", "maj"],
    &["june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho"],
    &["july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho"],
    &["august", "aug", "août", "aout", "agosto", "ago", "augusti", "augustus"],
    &["september", "sep", "sept", "septembre", "septiembre", "setiembre", "settembre", "set", "setembro"],
    &["october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out"],
    &["november", "nov", "novembre", "noviembre", "novembro"],
    &[
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
        "dicembre",
        "dezembro",
        "desember",
        "december",
    ],
];

/// The month a word names (`March`, `Mar.`, `März`, `mars`, `marzo`), case-insensitive.
pub fn month(word: &str) -> Option<u32> {
    let w = word.trim_matches(|c: char| matches!(c, '.' | ',' | '(' | ')' | ':' | ';')).to_lowercase();
    if w.chars().count() < 3 {
        return None;
    }
    MONTHS.iter().position(|names| names.contains(&w.as_str())).map(|i| i as u32 + 1)
}

fn number(word: &str) -> Option<u32> {
    let w = word.trim_matches(|c: char| matches!(c, ',' | '.' | '(' | ')' | ':' | ';' | '|'));
    let w = w
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd")
        .trim_end_matches("th")
        .trim_end_matches('º')
        .trim_end_matches('°')
        .trim_end_matches("er");
    (!w.is_empty() && w.len() <= 4 && w.chars().all(|c| c.is_ascii_digit())).then(|| w.parse().ok()).flatten()
}

/// Words between the parts of a written date that carry no meaning: `12 de marzo de 2024`,
/// `le 12 mars`, `3. März`.
fn filler(w: &str) -> bool {
    matches!(w.to_lowercase().as_str(), "de" | "del" | "of" | "the" | "," | "-" | "le" | "den" | "el")
}

fn ymd(y: u32, m: u32, d: u32) -> Option<NaiveDate> {
    (d <= 31 && (1000..=9999).contains(&y))
        .then(|| NaiveDate::from_ymd_opt(y as i32, m, d).and_then(plausible))
        .flatten()
}

/// The first written date in `s`: `Month D, YYYY`, `D Month YYYY`, `D. Monat YYYY`,
/// `D de mes de YYYY`, in any of the languages [`month`] knows.
pub fn parse_written(s: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = s.split_whitespace().take(200).collect();
    let next = |mut j: usize| -> Option<&str> {
        while words.get(j).is_some_and(|w| filler(w)) {
            j += 1;
        }
        words.get(j).copied()
    };
    let next_idx = |mut j: usize| -> usize {
        while words.get(j).is_some_and(|w| filler(w)) {
            j += 1;
        }
        j
    };
    for i in 0..words.len() {
        let Some(m) = month(words[i]) else { continue };
        // Month D, YYYY
        let j = next_idx(i + 1);
        if let (Some(d), Some(y)) = (words.get(j).and_then(|w| number(w)), next(j + 1).and_then(number)) {
            if let Some(date) = ymd(y, m, d) {
                return Some(date);
            }
        }
        // D Month YYYY (D. Month YYYY, D de Month de YYYY)
        let mut k = i;
        while k > 0 && filler(words[k - 1]) {
            k -= 1;
        }
        if k > 0 {
            if let (Some(d), Some(y)) = (number(words[k - 1]), next(i + 1).and_then(number)) {
                if let Some(date) = ymd(y, m, d) {
                    return Some(date);
                }
            }
        }
    }
    None
}

/// Which way round a numeric `a/b/YYYY` date is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOrder {
    /// `03/12/2024` is March 12 (the United States, the Philippines, Canada's English press).
    MonthFirst,
    /// `03/12/2024` is 3 December (most of the world).
    DayFirst,
    /// Unknown: only dates whose order the numbers decide (`25/03/2024`) are read.
    Unknown,
}

/// The first numeric date in `s`: `YYYY/MM/DD`, `DD.MM.YYYY` (always day first), `a/b/YYYY` and
/// `a-b-YYYY` read by `order`. Times and version numbers are not dates: each part must be
/// delimited by a non-digit.
pub fn parse_numeric(s: &str, order: DayOrder) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'.' || b[i - 1] == b'/')) {
            i += 1;
            continue;
        }
        // Three digit groups separated by one repeated separator.
        let mut groups: Vec<(usize, usize)> = Vec::new();
        let mut j = i;
        let mut sep = 0u8;
        loop {
            let st = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            groups.push((st, j));
            if groups.len() == 3 || j >= b.len() {
                break;
            }
            let c = b[j];
            if !matches!(c, b'.' | b'/' | b'-') || (sep != 0 && c != sep) {
                break;
            }
            sep = c;
            j += 1;
            if j >= b.len() || !b[j].is_ascii_digit() {
                break;
            }
        }
        let end_ok = j >= b.len()
            || !(b[j].is_ascii_digit()
                || ((b[j] == b'.' || b[j] == b'/' || b[j] == b'-')
                    && b.get(j + 1).is_some_and(|c| c.is_ascii_digit())));
        if groups.len() == 3 && end_ok {
            let num = |g: (usize, usize)| s[g.0..g.1].parse::<u32>().ok();
            let lens: Vec<usize> = groups.iter().map(|g| g.1 - g.0).collect();
            let (a, bb, c) = (num(groups[0]), num(groups[1]), num(groups[2]));
            if let (Some(a), Some(bb), Some(c)) = (a, bb, c) {
                let found = if lens[0] == 4 && lens[1] <= 2 && lens[2] <= 2 && sep != b'.' {
                    ymd(a, bb, c)
                } else if lens[2] == 4 && lens[0] <= 2 && lens[1] <= 2 {
                    if sep == b'.' || a > 12 {
                        ymd(c, bb, a)
                    } else if bb > 12 {
                        ymd(c, a, bb)
                    } else if a == bb {
                        ymd(c, a, a)
                    } else {
                        match order {
                            DayOrder::MonthFirst => ymd(c, a, bb),
                            DayOrder::DayFirst => ymd(c, bb, a),
                            DayOrder::Unknown => None,
                        }
                    }
                } else {
                    None
                };
                if found.is_some() {
                    return found;
                }
            }
        }
        i = j.max(i + 1);
    }
    None
}

/// Any date form: ISO first, then written, then numeric where the numbers decide the order.
pub fn parse_any(s: &str) -> Option<NaiveDate> {
    parse_iso(s).or_else(|| parse_written(s)).or_else(|| parse_numeric(s, DayOrder::Unknown))
}

/// A `/YYYY/MM/DD/` or `/YYYY-MM-DD` date in a URL path.
pub fn parse_url(url: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = url.split(['/', '?', '#']).collect();
    for w in parts.windows(3) {
        if w[0].len() == 4 && w[1].len() <= 2 && w[2].len() <= 2 && !w[1].is_empty() && !w[2].is_empty() {
            if let (Ok(y), Ok(m), Ok(d)) = (w[0].parse::<i32>(), w[1].parse::<u32>(), w[2].parse::<u32>()) {
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, d).and_then(plausible) {
                    return Some(date);
                }
            }
        }
    }
    parts.iter().find_map(|p| parse_iso(p).filter(|_| p.len() >= 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn forms() {
        assert_eq!(parse_any("2025-02-07T08:30:00Z"), d(2025, 2, 7));
        assert_eq!(parse_any("Published February 7, 2025 at 3 p.m."), d(2025, 2, 7));
        assert_eq!(parse_any("Fri 7 Feb. 2025"), d(2025, 2, 7));
        assert_eq!(parse_any("Sept. 30, 2019"), d(2019, 9, 30));
        assert_eq!(parse_any("May I say"), None);
        assert_eq!(parse_any("February 30, 2025"), None);
        assert_eq!(parse_any("2025-13-40"), None);
        assert_eq!(parse_url("https://x.com/news/2024/11/20/japan-aid"), d(2024, 11, 20));
        assert_eq!(parse_url("https://x.com/news/1234/56/78/x"), None);
    }

    #[test]
    fn local_date_of_a_timestamp_with_an_offset() {
        // 23:30 at UTC-5 is still the 12th where it was written (04:30 UTC on the 13th).
        assert_eq!(parse_any("2024-03-12T23:30:00-05:00"), d(2024, 3, 12));
        assert_eq!(parse_any("2024-03-12 23:30:00 +0000"), d(2024, 3, 12));
    }

    #[test]
    fn month_names_in_other_languages() {
        assert_eq!(parse_written("Veröffentlicht am 12. März 2024, 10:00 Uhr"), d(2024, 3, 12));
        assert_eq!(parse_written("publicado el 12 de marzo de 2024"), d(2024, 3, 12));
        assert_eq!(parse_written("Publié le 1er mars 2024"), d(2024, 3, 1));
        assert_eq!(parse_written("3 settembre 2023"), d(2023, 9, 3));
        assert_eq!(parse_written("5 de dezembro de 2022"), d(2022, 12, 5));
        assert_eq!(parse_written("7 januari 2021"), d(2021, 1, 7));
        assert_eq!(parse_written("December 15th 2025"), d(2025, 12, 15));
        assert_eq!(parse_written("29th August, 2023"), d(2023, 8, 29));
        // A month and a year are not a date; nor is a sentence with a number in it.
        assert_eq!(parse_written("März 2024"), None);
        assert_eq!(parse_written("the mar 12 people 2024 said"), None);
    }

    #[test]
    fn numeric_dates_and_their_order() {
        use DayOrder::*;
        assert_eq!(parse_numeric("12.03.2024", Unknown), d(2024, 3, 12));
        assert_eq!(parse_numeric("Stand: 1.2.2023, 14:00", Unknown), d(2023, 2, 1));
        assert_eq!(parse_numeric("2024/03/12", Unknown), d(2024, 3, 12));
        assert_eq!(parse_numeric("25/03/2024", Unknown), d(2024, 3, 25));
        assert_eq!(parse_numeric("03/25/2024", Unknown), d(2024, 3, 25));
        // Both parts could be the month: read by the page's convention, or not at all.
        assert_eq!(parse_numeric("03/12/2024", Unknown), None);
        assert_eq!(parse_numeric("03/12/2024", MonthFirst), d(2024, 3, 12));
        assert_eq!(parse_numeric("03/12/2024", DayFirst), d(2024, 12, 3));
        // Version numbers, IP addresses and longer digit runs are not dates.
        assert_eq!(parse_numeric("version 1.12.2024.5", Unknown), None);
        assert_eq!(parse_numeric("10.1.12.2024", Unknown), None);
        assert_eq!(parse_numeric("112.03.2024", Unknown), None);
        assert_eq!(parse_numeric("31.02.2024", Unknown), None);
    }
}
