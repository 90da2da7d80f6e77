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

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches(['.', ',']).to_ascii_lowercase();
    const NAMES: [&str; 12] = [
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
    if w.len() < 3 {
        return None;
    }
    NAMES
        .iter()
        .position(|n| *n == w || (w.len() >= 3 && n.starts_with(&w) && (w.len() == 3 || w == "sept")))
        .map(|i| i as u32 + 1)
}

fn number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches([',', '.']);
    let w = w.trim_end_matches("st").trim_end_matches("nd").trim_end_matches("rd").trim_end_matches("th");
    (!w.is_empty() && w.len() <= 4 && w.chars().all(|c| c.is_ascii_digit())).then(|| w.parse().ok()).flatten()
}

/// The first written date in `s`: `Month D, YYYY` or `D Month YYYY`.
pub fn parse_written(s: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = s.split_whitespace().take(200).collect();
    for i in 0..words.len() {
        let Some(m) = month(words[i]) else { continue };
        // Month D, YYYY
        if let (Some(d), Some(y)) = (words.get(i + 1).and_then(|w| number(w)), words.get(i + 2).and_then(|w| number(w)))
        {
            if d <= 31 && y >= 1000 {
                if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d).and_then(plausible) {
                    return Some(date);
                }
            }
        }
        // D Month YYYY
        if i > 0 {
            if let (Some(d), Some(y)) = (number(words[i - 1]), words.get(i + 1).and_then(|w| number(w))) {
                if d <= 31 && y >= 1000 {
                    if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d).and_then(plausible) {
                        return Some(date);
                    }
                }
            }
        }
    }
    None
}

/// Any date form: ISO first, then written.
pub fn parse_any(s: &str) -> Option<NaiveDate> {
    parse_iso(s).or_else(|| parse_written(s))
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
}
