//! Quotations and their speakers.

use crate::new_quote;
use dyad_model::{Actor, AnnotatedDocument, Article, Quote, QuoteKind, Span};

/// Longest direct quotation inside one block, in bytes; an unclosed mark never runs further.
const MAX_QUOTE: usize = 20_000;
/// How many tokens from a quote mark its cue may stand.
const CUE_WINDOW: usize = 6;

const CUES: [(&str, &str); 48] = [
    ("said", "say"),
    ("says", "say"),
    ("say", "say"),
    ("saying", "say"),
    ("stated", "state"),
    ("states", "state"),
    ("stating", "state"),
    ("told", "tell"),
    ("tells", "tell"),
    ("warned", "warn"),
    ("warns", "warn"),
    ("warning", "warn"),
    ("remarked", "remark"),
    ("remarks", "remark"),
    ("stressed", "stress"),
    ("stresses", "stress"),
    ("stressing", "stress"),
    ("articulated", "articulate"),
    ("added", "add"),
    ("adds", "add"),
    ("adding", "add"),
    ("noted", "note"),
    ("notes", "note"),
    ("noting", "note"),
    ("explained", "explain"),
    ("insisted", "insist"),
    ("emphasized", "emphasize"),
    ("emphasised", "emphasize"),
    ("emphasizing", "emphasize"),
    ("declared", "declare"),
    ("asked", "ask"),
    ("replied", "reply"),
    ("wrote", "write"),
    ("announced", "announce"),
    ("continued", "continue"),
    ("argued", "argue"),
    ("claimed", "claim"),
    ("urged", "urge"),
    ("recalled", "recall"),
    ("acknowledged", "acknowledge"),
    ("admitted", "admit"),
    ("confirmed", "confirm"),
    ("cautioned", "caution"),
    ("vowed", "vow"),
    ("pledged", "pledge"),
    ("tweeted", "tweet"),
    ("posted", "post"),
    ("according", "according to"),
];

fn cue_lemma(form: &str) -> Option<&'static str> {
    let f = form.to_lowercase();
    CUES.iter().find(|(w, _)| *w == f).map(|(_, l)| *l)
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

/// Direct quotation spans (content without the marks) in one block of text starting at `base`.
fn direct_spans(text: &str, base: usize) -> Vec<(Span, bool)> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let prev = if i > 0 { Some(chars[i - 1].1) } else { None };
        let opens = match c {
            '“' | '„' | '«' => true,
            // Straight and single marks open only at a word start, so 5'10" and don't are no quotes.
            '"' | '‘' => prev.is_none_or(|p| p.is_whitespace() || "([{—–-:".contains(p)),
            _ => false,
        };
        if !opens {
            i += 1;
            continue;
        }
        let close = closing_for(c);
        let start = at + c.len_utf8();
        let mut j = i + 1;
        let mut end = None;
        while j < chars.len() && chars[j].0 - start <= MAX_QUOTE {
            let (bj, cj) = chars[j];
            let next = chars.get(j + 1).map(|x| x.1);
            if close.contains(&cj)
                && !(cj == '’' && next.is_some_and(char::is_alphanumeric))
                && !(cj == '"' && chars[j - 1].1.is_ascii_digit())
            {
                end = Some(bj);
                break;
            }
            j += 1;
        }
        match end {
            Some(e) => {
                let s = Span::new(base + start, base + e);
                if text[start..e].split_whitespace().count() >= 2 {
                    out.push((s, true));
                }
                i = j + 1;
            }
            None => {
                // Unclosed: news style continues the quote in the next paragraph; keep it to the block end.
                let e = text.len().min(start + MAX_QUOTE);
                let e = (0..=e).rev().find(|&k| text.is_char_boundary(k)).unwrap_or(start);
                if text[start..e].split_whitespace().count() >= 3 {
                    out.push((Span::new(base + start, base + e), false));
                }
                break;
            }
        }
    }
    out
}

struct Tok<'a> {
    span: Span,
    sentence: usize,
    form: &'a str,
}

fn actor_at(actors: &[Actor], span: Span) -> Option<&Actor> {
    actors.iter().find(|a| a.span.overlaps(span))
}

fn set_speaker(q: &mut Quote, cue: &Tok, speaker: Option<(Span, Option<&Actor>)>) {
    q.cue = Some(cue.span);
    q.cue_lemma = cue_lemma(cue.form).map(str::to_string);
    if let Some((span, actor)) = speaker {
        q.speaker = Some(span);
        if let Some(a) = actor {
            q.speaker_text = Some(a.text.clone());
            q.speaker_name = a.name.clone().or_else(|| Some(a.text.clone()));
            q.speaker_code = Some(a.code.clone()).filter(|c| !c.is_empty());
            q.speaker = Some(a.span);
            q.confidence = 0.8;
        }
    }
}

/// A speaker next to token `k` (the cue): an actor in the `dir` direction within three tokens, or
/// a capitalised word or pronoun right there.
fn speaker_near<'a>(
    toks: &[Tok],
    k: usize,
    dir: isize,
    actors: &'a [Actor],
    body: &str,
) -> Option<(Span, Option<&'a Actor>)> {
    for step in 1..=3isize {
        let idx = k as isize + dir * step;
        if idx < 0 || idx as usize >= toks.len() {
            break;
        }
        let t = &toks[idx as usize];
        if t.sentence != toks[k].sentence || matches!(t.form, "," | "." | "“" | "”" | "\"") {
            break;
        }
        if let Some(a) = actor_at(actors, t.span) {
            return Some((a.span, Some(a)));
        }
        let first = t.span.text(body).chars().next();
        if first.is_some_and(char::is_uppercase) || matches!(t.form.to_lowercase().as_str(), "he" | "she" | "they") {
            return Some((t.span, None));
        }
    }
    None
}

/// Every quotation of the article, direct and indirect, with its cue and speaker where found.
pub fn quotes(article: &Article, doc: &AnnotatedDocument, actors: &[Actor]) -> Vec<Quote> {
    let body = &article.body;
    let toks: Vec<Tok> = doc
        .sentences
        .iter()
        .enumerate()
        .flat_map(|(si, s)| s.tokens.iter().map(move |t| (si, t)))
        .map(|(si, t)| Tok { span: t.span, sentence: si, form: t.span.text(body) })
        .collect();
    let mut out: Vec<Quote> = Vec::new();
    for b in &article.blocks {
        let text = b.span.text(body);
        for (content, closed) in direct_spans(text, b.span.start) {
            let sentence = doc.sentence_at(content.start).unwrap_or(0);
            let mut q = new_quote(article, QuoteKind::Direct, content, sentence);
            if !closed {
                q.confidence = 0.3;
            }
            // Tokens right after the closing mark: `,” Trump stated`.
            let after = toks.partition_point(|t| t.span.start < content.end + 1);
            let before = toks.partition_point(|t| t.span.end < content.start);
            let mut found = false;
            for k in after..toks.len().min(after + CUE_WINDOW) {
                if toks[k].span.start > b.span.end || toks[k].form == "." {
                    break;
                }
                if cue_lemma(toks[k].form).is_some() {
                    let sp =
                        speaker_near(&toks, k, -1, actors, body).or_else(|| speaker_near(&toks, k, 1, actors, body));
                    set_speaker(&mut q, &toks[k], sp);
                    found = true;
                    break;
                }
            }
            // Tokens before the opening mark: `Ishiba warned, “` or `…, stating, “`.
            if !found {
                for k in (before.saturating_sub(CUE_WINDOW)..before).rev() {
                    if toks[k].span.start < b.span.start || toks[k].form == "." || toks[k].form == "”" {
                        break;
                    }
                    if cue_lemma(toks[k].form).is_some() {
                        let mut sp = speaker_near(&toks, k, -1, actors, body);
                        if toks[k].form.ends_with("ing") || sp.is_none() {
                            // A participle's speaker is the subject of the sentence.
                            let si = toks[k].sentence;
                            if let Some(a) =
                                actors.iter().find(|a| a.sentence == si && a.span.end <= toks[k].span.start)
                            {
                                sp = Some((a.span, Some(a)));
                            }
                        }
                        set_speaker(&mut q, &toks[k], sp);
                        break;
                    }
                }
            }
            out.push(q);
        }
    }
    // Indirect: `X said that …` outside any direct quotation.
    for (si, s) in doc.sentences.iter().enumerate() {
        for (k, t) in s.tokens.iter().enumerate() {
            let form = t.span.text(body);
            let Some(lemma) = cue_lemma(form) else { continue };
            if lemma == "according to" || s.tokens.get(k + 1).map(|n| n.span.text(body)) != Some("that") {
                continue;
            }
            let start = s.tokens[k + 1].span.end;
            let end = s
                .tokens
                .last()
                .map(|l| if l.span.text(body) == "." { l.span.start } else { l.span.end })
                .unwrap_or(start);
            if end <= start + 1 || out.iter().any(|q| q.content.overlaps(Span::new(start, end))) {
                continue;
            }
            let Some(a) = actors.iter().rev().find(|a| a.sentence == si && a.tokens.1 <= k && k - a.tokens.1 <= 2)
            else {
                continue;
            };
            let content = Span::new(start + body[start..end].len() - body[start..end].trim_start().len(), end);
            let mut q = new_quote(article, QuoteKind::Indirect, content, si);
            let cue = Tok { span: t.span, sentence: si, form };
            set_speaker(&mut q, &cue, Some((a.span, Some(a))));
            out.push(q);
        }
    }
    out.sort_by_key(|q| q.content.start);
    out
}
