//! Pairing quotation marks into direct quotations, tolerant of every imbalance.

use dyad_model::{Block, Span};

/// Longest direct quotation, in bytes; an unclosed mark never runs further.
pub(crate) const MAX_QUOTE: usize = 20_000;

/// A run of text between quotation marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marked {
    /// From the opening mark to the closing mark, both included (PolNeAR's content span).
    pub outer: Span,
    /// The words inside the marks.
    pub inner: Span,
    /// False when no closing mark was found and the quote was cut at the paragraph end.
    pub closed: bool,
}

fn closing_for(open: char) -> &'static [char] {
    match open {
        '“' => &['”'],
        '„' => &['“', '”'],
        '«' => &['»'],
        '‘' => &['’'],
        _ => &['"'],
    }
}

fn is_opening(c: char, prev: Option<char>) -> bool {
    match c {
        '“' | '„' | '«' => true,
        // Straight and single marks open only at a word start, so 5'10" and don't are no quotes.
        '"' | '‘' => prev.is_none_or(|p| p.is_whitespace() || "([{—–-:/".contains(p)),
        _ => false,
    }
}

/// The byte offset of the closing mark for `open` in `text[from..]`, if any within `limit` bytes.
fn find_close(text: &str, from: usize, open: char, limit: usize) -> Option<usize> {
    let close = closing_for(open);
    let mut prev = text[..from].chars().next_back();
    let mut it = text[from..].char_indices().peekable();
    while let Some((k, c)) = it.next() {
        if k > limit {
            return None;
        }
        let next = it.peek().map(|x| x.1);
        if close.contains(&c)
            && !(c == '’' && next.is_some_and(char::is_alphanumeric))
            && !(c == '"' && prev.is_some_and(|p| p.is_ascii_digit()))
        {
            return Some(from + k);
        }
        prev = Some(c);
    }
    None
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Direct quotations of a body split into blocks, in body order.
///
/// - A mark that closes in its paragraph makes a quotation of two words or more.
/// - News style runs a long quotation over several paragraphs by opening each with a mark and
///   closing only the last: an opening mark at a paragraph start with no close continues into the
///   next paragraph when that one opens with a mark too.
/// - Any other unclosed mark is cut at the end of its paragraph, so it never swallows the article.
pub(crate) fn direct_quotes(body: &str, blocks: &[Block]) -> Vec<Marked> {
    let mut out = Vec::new();
    // Body offset before which scanning is done (a quotation may end in a later block).
    let mut resume = 0usize;
    for (bi, b) in blocks.iter().enumerate() {
        let Some(text) = body.get(b.span.start..b.span.end) else { continue };
        let mut prev: Option<char> = None;
        for (at, c) in text.char_indices() {
            let abs = b.span.start + at;
            if abs < resume || !is_opening(c, prev) {
                prev = Some(c);
                continue;
            }
            let start = at + c.len_utf8();
            if let Some(e) = find_close(text, start, c, MAX_QUOTE) {
                let close_len = text[e..].chars().next().map_or(1, char::len_utf8);
                if words(&text[start..e]) >= 2 {
                    out.push(Marked {
                        outer: Span::new(abs, b.span.start + e + close_len),
                        inner: Span::new(b.span.start + start, b.span.start + e),
                        closed: true,
                    });
                }
                resume = b.span.start + e + close_len;
                prev = text[e..].chars().next();
                continue;
            }
            // Unclosed. At the start of a paragraph, follow the paragraphs that reopen.
            let mut end = None;
            if text[..at].trim().is_empty() {
                let mut nb = bi + 1;
                while let Some(next) = blocks.get(nb) {
                    let t = body.get(next.span.start..next.span.end).unwrap_or_default();
                    let Some(first) = t.chars().next() else { break };
                    if !is_opening(first, None) || next.span.end - abs > MAX_QUOTE {
                        break;
                    }
                    if let Some(e) = find_close(t, first.len_utf8(), first, MAX_QUOTE) {
                        let close_len = t[e..].chars().next().map_or(1, char::len_utf8);
                        end = Some((next.span.start + e, next.span.start + e + close_len));
                        break;
                    }
                    nb += 1;
                }
            }
            match end {
                Some((inner_end, outer_end)) => {
                    out.push(Marked {
                        outer: Span::new(abs, outer_end),
                        inner: Span::new(b.span.start + start, inner_end),
                        closed: true,
                    });
                    resume = outer_end;
                }
                None => {
                    let e = text.len().min(start + MAX_QUOTE);
                    let e = (start..=e).rev().find(|&k| text.is_char_boundary(k)).unwrap_or(start);
                    if words(&text[start..e]) >= 3 {
                        let s = Span::new(b.span.start + start, b.span.start + e);
                        out.push(Marked { outer: Span::new(abs, s.end), inner: s, closed: false });
                    }
                    resume = b.span.end;
                }
            }
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use dyad_model::Article;

    fn inner(text: &str) -> Vec<String> {
        let a = Article::from_text("t", text);
        direct_quotes(&a.body, &a.blocks).iter().map(|m| m.inner.text(&a.body).to_string()).collect()
    }

    #[test]
    fn pairs_marks_of_every_kind() {
        assert_eq!(
            inner("He said “we will go” and «nous irons» and \"we shall\"."),
            ["we will go", "nous irons", "we shall"]
        );
        assert_eq!(inner("„Wir gehen jetzt“, sagte er."), ["Wir gehen jetzt"]);
    }

    #[test]
    fn nested_quotes_stay_inside_the_outer_one() {
        assert_eq!(inner("“He told me ‘never again’ that day,” she said."), ["He told me ‘never again’ that day,"]);
        assert_eq!(inner("\"They say 'no way' now,\" he said."), ["They say 'no way' now,"]);
    }

    #[test]
    fn inch_and_minute_signs_are_no_quotes() {
        assert!(inner("He is 5'11\" tall and ran 4'30\" for the mile, don't ask.").is_empty());
    }

    #[test]
    fn quotes_run_over_paragraphs_that_reopen() {
        let got = inner("“First part goes here.\n\n“Second part goes on.\n\n“Last part ends,” he said.\n\nNext.");
        assert_eq!(got.len(), 1);
        assert!(got[0].starts_with("First part") && got[0].ends_with("Last part ends,"));
    }

    #[test]
    fn unclosed_quote_is_cut_at_its_paragraph() {
        let got = inner("He said “this never closes at all\n\nA new paragraph with “a real quote here” inside.");
        assert_eq!(got, ["this never closes at all", "a real quote here"]);
        // An opening at a paragraph start not followed by a reopening paragraph.
        let got = inner("“Open and never closed here\n\nPlain text follows.");
        assert_eq!(got, ["Open and never closed here"]);
    }

    #[test]
    fn long_and_unbalanced_input_is_bounded() {
        let long = format!("“{}", "word ".repeat(10_000));
        let got = inner(&long);
        assert!(got.iter().all(|q| q.len() <= MAX_QUOTE));
        let marks = "“ ” \" ‘ ’ « „ ".repeat(2_000);
        let t = std::time::Instant::now();
        let _ = inner(&marks);
        assert!(t.elapsed().as_secs() < 5);
    }
}
