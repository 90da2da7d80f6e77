//! Plain text pasted from a news page: find the title, drop the page furniture, mark headings.
//!
//! Text copied from a browser keeps what the page showed around the article: an address block,
//! a photo caption and credit, the headline twice, share and newsletter prompts. The rules here
//! are about the shape of lines, never about particular sites:
//!
//! 1. split into blocks (blank lines, else single lines);
//! 2. drop furniture lines anywhere (addresses, credits, share/subscribe prompts, copyright);
//! 3. the title is the first headline-shaped block near the top, preferring one that is repeated;
//!    what stands before it is page furniture and is dropped, and repeats of it are removed;
//! 4. short headline-shaped blocks between paragraphs are headings.

use dyad_model::{BlockKind, DateSource};

/// The article found in a plain text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextArticle {
    pub title: Option<String>,
    pub blocks: Vec<(BlockKind, String)>,
    pub date: Option<(chrono::NaiveDate, DateSource)>,
    pub byline: Option<String>,
}

/// How many blocks from the top the title may be sought in.
const TITLE_WINDOW: usize = 8;

pub fn extract_text(text: &str) -> TextArticle {
    let blocks = split_blocks(text);
    let blocks: Vec<String> = blocks.into_iter().filter(|b| !is_furniture(b)).collect();
    let title_at = find_title(&blocks);
    // A visible date line near the top ("Published February 7, 2025"): short and dated.
    let date = blocks
        .iter()
        .take(TITLE_WINDOW + 2)
        .filter(|b| word_count(b) <= 12)
        .find_map(|b| crate::dates::parse_any(b))
        .map(|d| (d, DateSource::Text));
    let byline = blocks
        .iter()
        .take(TITLE_WINDOW + 2)
        .find(|b| word_count(b) <= 8 && b.to_lowercase().starts_with("by "))
        .map(|b| b[3..].trim().to_string());
    let mut out = TextArticle { date, byline: byline.clone(), ..TextArticle::default() };
    let start = match title_at {
        Some(i) => {
            out.title = Some(blocks[i].clone());
            // Before the title stands page furniture, unless it is real prose (a long paragraph).
            let prose_before = blocks[..i].iter().any(|b| is_paragraph(b) && word_count(b) >= 40);
            if prose_before {
                0
            } else {
                i + 1
            }
        }
        None => 0,
    };
    let n = blocks.len();
    for (j, b) in blocks.iter().enumerate().skip(start) {
        let is_byline = byline.as_deref().is_some_and(|by| b.len() == by.len() + 3 && b.ends_with(by));
        if Some(j) == title_at || out.title.as_deref() == Some(b.as_str()) || is_byline {
            continue;
        }
        let next_is_prose = blocks[j + 1..].iter().take(2).any(|n| is_paragraph(n) && word_count(n) >= 12);
        let kind = if j + 1 < n && is_headline_shaped(b) && word_count(b) <= 12 && next_is_prose {
            BlockKind::Heading
        } else {
            BlockKind::Paragraph
        };
        out.blocks.push((kind, b.clone()));
    }
    out
}

/// Blocks separated by blank lines; inside a block, lines are joined with spaces unless the text
/// uses one line per paragraph (no blank lines at all), where each line is a block.
fn split_blocks(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let has_blank = text.contains("\n\n") || text.lines().any(|l| l.trim().is_empty());
    let mut out = Vec::new();
    if has_blank {
        for part in text.split("\n\n") {
            let lines: Vec<&str> = part.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            if lines.is_empty() {
                continue;
            }
            // A block of several short lines (an address, a list of links) keeps its lines apart.
            if lines.len() > 1 && lines.iter().all(|l| word_count(l) <= 8) {
                out.extend(lines.iter().map(|l| normalize(l)));
            } else {
                out.push(normalize(&lines.join(" ")));
            }
        }
    } else {
        out.extend(text.lines().map(normalize).filter(|l| !l.is_empty()));
    }
    out
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
    s.ends_with(['.', '!', '?', '…', ':', ';', ','])
}

/// A full paragraph: ends like a sentence.
fn is_paragraph(s: &str) -> bool {
    ends_sentence(s) && word_count(s) >= 6
}

/// Short, no sentence-final punctuation, mostly capitalised words.
fn is_headline_shaped(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 25 || ends_sentence(s) {
        return false;
    }
    let first = words[0].chars().next().unwrap_or(' ');
    if !(first.is_uppercase() || first.is_numeric() || matches!(first, '"' | '“' | '‘' | '\'')) {
        return false;
    }
    let alpha = words.iter().filter(|w| w.chars().next().is_some_and(char::is_alphabetic)).count();
    if alpha == 0 {
        return false;
    }
    // Sentence case headlines are common too, so this only rules out lines of mostly digits.
    alpha * 2 >= words.len()
}

/// Page furniture that can stand anywhere: addresses, credits, prompts, copyright lines.
fn is_furniture(s: &str) -> bool {
    let lower = s.to_lowercase();
    let words = word_count(s);
    if words <= 6 {
        const PROMPTS: [&str; 24] = [
            "physical address",
            "mailing address",
            "share this",
            "share on",
            "share:",
            "follow us",
            "subscribe",
            "sign up",
            "newsletter",
            "advertisement",
            "read more",
            "read next",
            "related:",
            "related articles",
            "related stories",
            "click here",
            "skip to",
            "log in",
            "sign in",
            "comments",
            "leave a comment",
            "print this",
            "email this",
            "back to top",
        ];
        if PROMPTS.iter().any(|p| lower == *p || lower.starts_with(p)) {
            return true;
        }
        if matches!(
            lower.as_str(),
            "share" | "tweet" | "email" | "print" | "facebook" | "twitter" | "whatsapp" | "menu"
        ) {
            return true;
        }
    }
    if lower.starts_with('©') || lower.starts_with("copyright ") || lower.starts_with("all rights reserved") {
        return words <= 20;
    }
    if words <= 12 {
        for p in ["photo:", "image:", "credit:", "photo credit", "image credit", "(photo", "(image", "getty images"] {
            if lower.starts_with(p) {
                return true;
            }
        }
    }
    is_street_address(s) || is_city_state_zip(s)
}

/// "304 North Cardinal St." — a house number, a few words, a street suffix, nothing more.
fn is_street_address(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() < 2 || words.len() > 7 || !words[0].chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    const SUFFIXES: [&str; 22] = [
        "st",
        "st.",
        "street",
        "ave",
        "ave.",
        "avenue",
        "rd",
        "rd.",
        "road",
        "blvd",
        "blvd.",
        "boulevard",
        "lane",
        "ln.",
        "drive",
        "dr.",
        "way",
        "suite",
        "floor",
        "place",
        "pl.",
        "square",
    ];
    words[1..].iter().any(|w| SUFFIXES.contains(&w.to_lowercase().trim_end_matches(',')))
}

/// "Dorchester Center, MA 02124" — a place, a comma, a two-letter region and a postal code.
fn is_city_state_zip(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() < 3 || words.len() > 7 {
        return false;
    }
    let n = words.len();
    let zip = words[n - 1].trim_end_matches('.');
    let region = words[n - 2];
    let zip_ok = (zip.len() == 5 || zip.len() == 10) && zip.chars().all(|c| c.is_ascii_digit() || c == '-');
    let region_ok = region.len() == 2 && region.chars().all(|c| c.is_ascii_uppercase());
    zip_ok && region_ok && words[n - 3].ends_with(',')
}

fn find_title(blocks: &[String]) -> Option<usize> {
    let window = blocks.len().min(TITLE_WINDOW);
    let candidates: Vec<usize> =
        (0..window).filter(|&i| is_headline_shaped(&blocks[i]) && (4..=25).contains(&word_count(&blocks[i]))).collect();
    // A headline printed twice (page title and article heading) is the strongest sign.
    if let Some(&i) = candidates.iter().find(|&&i| blocks[i + 1..].iter().take(TITLE_WINDOW).any(|b| b == &blocks[i])) {
        return Some(i);
    }
    // Else the first headline-shaped block that is followed by prose.
    candidates.into_iter().find(|&i| blocks.get(i + 1).is_some_and(|b| is_paragraph(b) && word_count(b) >= 15))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, title: Option<&str>, blocks: &[(BlockKind, &str)]) {
        let got = extract_text(input);
        assert_eq!(got.title.as_deref(), title);
        assert!(got.date.is_none());
        let got_blocks: Vec<(BlockKind, &str)> = got.blocks.iter().map(|(k, s)| (*k, s.as_str())).collect();
        assert_eq!(got_blocks, blocks);
    }

    const P1: &str = "The foreign ministers of two neighbouring countries met on Monday and agreed to reopen the border crossing for trade.";
    const P2: &str = "Officials said the talks would resume next month in the capital, where both delegations hope to sign a wider accord.";

    #[test]
    fn furniture_before_a_repeated_title_is_dropped() {
        let text = format!(
            "Mailing Address\n\n12 Harbour Road\nPort Town, NY 10001\n\nA photo of the harbour at dawn with ships in the bay.\n\nNeighbours Agree to Reopen Border\n\nNeighbours Agree to Reopen Border\n\n{P1}\n\nWhat Comes Next\n\n{P2}\n"
        );
        check(
            &text,
            Some("Neighbours Agree to Reopen Border"),
            &[(BlockKind::Paragraph, P1), (BlockKind::Heading, "What Comes Next"), (BlockKind::Paragraph, P2)],
        );
    }

    #[test]
    fn prose_only_text_has_no_title_and_no_headings() {
        let text = format!("{P1}\n\n{P2}");
        check(&text, None, &[(BlockKind::Paragraph, P1), (BlockKind::Paragraph, P2)]);
    }

    #[test]
    fn one_line_per_paragraph_text() {
        let text = format!("Ministers Meet at the Border\n{P1}\nSubscribe to our newsletter\n{P2}");
        check(&text, Some("Ministers Meet at the Border"), &[(BlockKind::Paragraph, P1), (BlockKind::Paragraph, P2)]);
    }

    #[test]
    fn a_last_short_line_is_not_a_heading() {
        let text = format!("{P1}\n\nMore to Come");
        check(&text, None, &[(BlockKind::Paragraph, P1), (BlockKind::Paragraph, "More to Come")]);
    }

    #[test]
    fn addresses() {
        assert!(is_street_address("304 North Cardinal St."));
        assert!(!is_street_address("2018 was a year of summits"));
        assert!(is_city_state_zip("Dorchester Center, MA 02124"));
        assert!(!is_city_state_zip("Seoul, South Korea"));
    }
}
