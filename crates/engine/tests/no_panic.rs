//! The whole pipeline on arbitrary text made of tricky pieces: it must never panic, and every
//! span it returns must slice the body on char boundaries.

use dyad_engine::{Engine, Timings};
use dyad_model::{Article, Span};

const PIECES: [&str; 40] = [
    "Japan",
    "North Korea",
    "and",
    "the",
    "met",
    "will",
    "not",
    "work together",
    "said",
    "“",
    "”",
    "\"",
    "‘",
    "’",
    "'",
    ",",
    ".",
    "!",
    "?",
    "U.S.",
    "President",
    "Donald Trump",
    "He",
    "The president",
    "in 2018",
    "sanctions",
    "impose sanctions on",
    "Russia",
    "\n\n",
    " ",
    "🙂",
    "é",
    "Mr.",
    "that",
    "according to",
    "\u{0}",
    "—",
    "(",
    ")",
    "Kim",
];

fn check_span(body: &str, s: Span) {
    assert!(s.start <= s.end && s.end <= body.len(), "span {s} out of body of {} bytes", body.len());
    assert!(body.is_char_boundary(s.start) && body.is_char_boundary(s.end), "span {s} not on char boundaries");
}

#[test]
fn random_texts_never_panic_and_spans_fit() {
    let engine = Engine::builtin().unwrap();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for round in 0..1500 {
        let mut text = String::new();
        let n = 1 + (round % 60);
        for _ in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            text.push_str(PIECES[(x % PIECES.len() as u64) as usize]);
            if x & 1 == 0 {
                text.push(' ');
            }
        }
        let a = Article::from_text("random", text);
        let doc = engine.code(a, chrono::NaiveDate::from_ymd_opt(2025, 2, 7), &mut Timings::default());
        let body = &doc.article.body;
        for s in &doc.sentences {
            check_span(body, *s);
        }
        for a in &doc.actors {
            check_span(body, a.span);
        }
        for e in &doc.events {
            check_span(body, e.evidence);
            check_span(body, e.trigger);
        }
        for q in &doc.quotes {
            check_span(body, q.content);
            assert_eq!(q.text, q.content.text(body));
        }
    }
}
