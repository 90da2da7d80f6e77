//! dyad's English NLP core: sentences, tokens, tags, lemmas, dependency parses, entities.
//! Pure: no I/O, never fails on odd text, linear in the input.
//!
//! 1. [`tokenize`]: UD-English-style tokens with byte spans (clitics `n't 's 're 'll`, punctuation,
//!    abbreviations such as `U.S.` and `Gen.` kept whole, numbers, URLs and e-mail addresses).
//! 2. [`segment`]: sentence boundaries after `. ! ?` unless the period belongs to an abbreviation,
//!    with closing quotes and brackets kept in the sentence they close.
//!
//! 3. [`tagger`]: an averaged-perceptron tagger for UPOS and PTB XPOS (`models/tagger.bin`).
//! 4. [`lemma`]: an exception table plus suffix rules per XPOS (`models/lemma.txt`).
//! 5. [`parser`]: a greedy arc-hybrid dependency parser with UD relations (`models/parser.bin`).
//!
//! All three are trained by `dyad train` on UD English-EWT and embedded in the binary; [`Nlp`] holds
//! them. NER is not in this version.

use dyad_model::{AnnotatedDocument, Article, EntitySpan, Sentence, Span, Token, Upos};

pub mod conllu;
pub mod lemma;
pub mod ner;
pub mod parser;
mod perceptron;
pub mod sentence;
pub mod tagger;

/// Training examples from CoNLL-U sentences: words and their joint `UPOS|XPOS` tags.
pub fn tagging_examples(sentences: &[conllu::ConlluSentence]) -> Vec<(Vec<String>, Vec<String>)> {
    sentences
        .iter()
        .map(|s| {
            let words = s.words.iter().map(|w| w.form.clone()).collect();
            let tags = s.words.iter().map(|w| format!("{}|{}", w.upos, w.xpos)).collect();
            (words, tags)
        })
        .collect()
}

/// Copies of `sentences` whose UPOS/XPOS are predicted by taggers trained on the other `folds`
/// parts (jack-knifing), so a parser trains on tags as noisy as it will see.
pub fn jackknife_tags(
    sentences: &[conllu::ConlluSentence],
    folds: usize,
    epochs: usize,
    seed: u64,
) -> Vec<conllu::ConlluSentence> {
    let folds = folds.max(2);
    let mut out = sentences.to_vec();
    for k in 0..folds {
        let rest: Vec<conllu::ConlluSentence> =
            sentences.iter().enumerate().filter(|(i, _)| i % folds != k).map(|(_, s)| s.clone()).collect();
        let t = tagger::train(&tagging_examples(&rest), epochs, seed.wrapping_add(k as u64));
        for s in out.iter_mut().skip(k).step_by(folds) {
            let words: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            for (w, tag) in s.words.iter_mut().zip(t.tag(&words)) {
                let (u, x) = tag.split_once('|').unwrap_or(("X", "XX"));
                w.upos = u.to_string();
                w.xpos = x.to_string();
            }
        }
    }
    out
}

/// Abbreviations that keep their period (lower-case, without the final period).
const ABBREVIATIONS: [&str; 58] = [
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "sen", "rep", "gov", "pres",
    "rev", "st", "jr", "sr", "co", "corp", "inc", "ltd", "no", "nos", "vs", "etc", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "ave", "blvd", "dept", "univ", "approx", "est",
    "fig", "vol", "e.g", "i.e", "a.m", "p.m", "u.s", "u.n", "u.k", "d.c",
];

/// Words that start a new sentence even after an abbreviation ("… the U.S. The talks …").
const STARTERS: [&str; 16] =
    ["The", "A", "An", "He", "She", "It", "We", "They", "I", "But", "In", "This", "That", "These", "Those", "There"];

const CLITICS: [&str; 14] =
    ["n't", "n’t", "'s", "’s", "'re", "’re", "'ll", "’ll", "'ve", "’ve", "'d", "’d", "'m", "’m"];

fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    if ABBREVIATIONS.contains(&w.as_str()) {
        return true;
    }
    let letters: Vec<&str> = w.split('.').collect();
    // Initials and dotted abbreviations: "J.", "U.S.", "a.m."
    letters.iter().all(|l| l.chars().count() == 1 && l.chars().all(char::is_alphabetic))
}

fn is_open_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '“'
            | '‘'
            | '\''
            | '('
            | '['
            | '{'
            | '«'
            | '„'
            | '¿'
            | '¡'
            | '$'
            | '€'
            | '£'
            | '¥'
            | '<'
            | '>'
            | '~'
            | '#'
    )
}

fn is_close_punct(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | ')' | ']' | '}' | '»' | ',' | ';' | ':' | '!' | '?' | '.' | '…' | '%' | '>')
}

/// Sentence-final marks; a run of them ("!!", "...", "?!") is one token.
fn is_final_mark(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Emoticons kept whole.
const EMOTICONS: [&str; 16] =
    [":)", ":(", ":-)", ":-(", ";)", ";-)", ":D", ":-D", ":P", ":p", ":/", "=)", "<3", ":'(", "^_^", "XD"];

/// Prefixes EWT keeps joined to the word after their hyphen ("e-mail", "co-workers").
const HYPHEN_PREFIXES: [&str; 14] =
    ["e", "co", "pre", "post", "non", "re", "semi", "anti", "multi", "ex", "mid", "sub", "inter", "pro"];

/// Words EWT writes as two ("cannot" → "can not", "gonna" → "gon na"): the split point.
fn fused(lower: &str) -> Option<usize> {
    match lower {
        "cannot" => Some(3),
        "gonna" | "wanna" | "gotta" => Some(3),
        _ => None,
    }
}

/// Splits a word at hyphens and slashes between letters or numbers the way EWT does: compounds
/// apart ("Coca - Cola", "15 - year", "East / West"), phone numbers, codes and common prefixes
/// ("e-mail") whole.
fn split_inner(text: &str, s: usize, e: usize, out: &mut Vec<Span>) {
    let word = &text[s..e];
    let alnum = |p: &str| !p.is_empty() && p.chars().all(char::is_alphanumeric);
    let mixed = |p: &str| p.chars().any(char::is_alphabetic) && p.chars().any(|c| c.is_ascii_digit());
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    for sep in ['-', '/'] {
        let parts: Vec<&str> = word.split(sep).collect();
        if parts.len() < 2 || !parts.iter().all(|p| alnum(p)) {
            continue;
        }
        let keep = match sep {
            '-' => {
                parts.iter().any(|p| mixed(p))
                    || parts.iter().all(|p| digits(p) && p.len() >= 3)
                    || HYPHEN_PREFIXES.contains(&parts[0].to_lowercase().as_str())
            }
            _ => !parts.iter().all(|p| p.chars().count() >= 2 && p.chars().all(char::is_alphabetic)),
        };
        if keep {
            break;
        }
        let mut at = s;
        for (k, p) in parts.iter().enumerate() {
            if k > 0 {
                out.push(Span::new(at, at + 1));
                at += 1;
            }
            out.push(Span::new(at, at + p.len()));
            at += p.len();
        }
        return;
    }
    if let Some(k) = fused(&word.to_lowercase()) {
        out.push(Span::new(s, s + k));
        out.push(Span::new(s + k, e));
        return;
    }
    out.push(Span::new(s, e));
}

/// Tokens of `text` as byte spans relative to `text`.
pub fn tokenize(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut chunk_start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if c.is_whitespace() || c.is_control() {
            if let Some(s) = chunk_start.take() {
                split_chunk(text, s, i, &mut out);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    out
}

fn split_chunk(text: &str, mut s: usize, mut e: usize, out: &mut Vec<Span>) {
    let chunk = &text[s..e];
    if chunk.contains("://") || chunk.starts_with("www.") || (chunk.contains('@') && chunk.contains('.')) {
        let trimmed = chunk.trim_end_matches(is_close_punct);
        out.push(Span::new(s, s + trimmed.len()));
        push_chars(text, s + trimmed.len(), e, out);
        return;
    }
    if EMOTICONS.contains(&chunk) {
        out.push(Span::new(s, e));
        return;
    }
    // Runs of periods ("Alike...both") and commas between words ("ago,they") split the chunk.
    if let Some((k, len)) = inner_break(chunk) {
        split_chunk(text, s, s + k, out);
        out.push(Span::new(s + k, s + k + len));
        split_chunk(text, s + k + len, e, out);
        return;
    }
    // Leading punctuation, one token each.
    while s < e {
        let c = text[s..e].chars().next().unwrap_or(' ');
        if !is_open_punct(c) || text[s..e].chars().count() == 1 {
            break;
        }
        out.push(Span::new(s, s + c.len_utf8()));
        s += c.len_utf8();
    }
    // Trailing punctuation, kept apart (a final period stays on abbreviations).
    let mut tail = Vec::new();
    while s < e {
        let c = text[s..e].chars().next_back().unwrap_or(' ');
        if !is_close_punct(c) || e - s == c.len_utf8() {
            break;
        }
        if c == '.' && is_abbreviation(&text[s..e]) {
            break;
        }
        if is_final_mark(c) {
            // The whole run of final marks is one token ("!!!", "...", "?!").
            let run: usize = text[s..e].chars().rev().take_while(|&c| is_final_mark(c)).map(char::len_utf8).sum();
            let start = if run == e - s { s } else { e - run };
            tail.push(Span::new(start, e));
            e = start;
            continue;
        }
        tail.push(Span::new(e - c.len_utf8(), e));
        e -= c.len_utf8();
    }
    // Clitics.
    let word = &text[s..e];
    let lower = word.to_lowercase();
    let mut split_at = None;
    for cl in CLITICS {
        if lower.len() > cl.len() && lower.ends_with(cl) && word.is_char_boundary(word.len() - cl.len()) {
            split_at = Some(e - cl.len());
            break;
        }
    }
    match split_at {
        Some(m) if m > s => {
            split_inner(text, s, m, out);
            out.push(Span::new(m, e));
        }
        _ if s < e => split_inner(text, s, e, out),
        _ => {}
    }
    out.extend(tail.into_iter().rev());
}

/// Where a chunk breaks inside: a run of two or more periods, or a comma, between letters;
/// returns the offset and length of the break.
fn inner_break(chunk: &str) -> Option<(usize, usize)> {
    let b = chunk.as_bytes();
    let mut i = 1;
    while i + 1 < b.len() {
        if b[i] == b',' && b[i - 1].is_ascii_alphabetic() && b[i + 1].is_ascii_alphabetic() {
            return Some((i, 1));
        }
        if b[i] == b'.' && b[i + 1] == b'.' && b[i - 1].is_ascii_alphanumeric() {
            let len = b[i..].iter().take_while(|&&c| c == b'.').count();
            if b.get(i + len).is_some_and(|c| c.is_ascii_alphanumeric()) {
                return Some((i, len));
            }
        }
        i += 1;
    }
    None
}

fn push_chars(text: &str, s: usize, e: usize, out: &mut Vec<Span>) {
    for (i, c) in text[s..e].char_indices() {
        out.push(Span::new(s + i, s + i + c.len_utf8()));
    }
}

/// Splits tokens into sentences: returns the index of the first token of each sentence.
pub fn segment(text: &str, tokens: &[Span]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].text(text);
        let ends = (!t.is_empty() && t.chars().all(is_final_mark))
            || (t.ends_with('.') && t.len() > 1 && tokens.get(i + 1).is_some_and(|n| STARTERS.contains(&n.text(text))));
        if ends {
            // Closing quotes and brackets belong to the sentence they close.
            let mut j = i + 1;
            while j < tokens.len() && matches!(tokens[j].text(text), "\"" | "”" | "’" | "'" | ")" | "]" | "»") {
                j += 1;
            }
            let next_starts = tokens.get(j).is_none_or(|n| {
                let c = n.text(text).chars().next().unwrap_or(' ');
                c.is_uppercase() || c.is_numeric() || is_open_punct(c)
            });
            if j < tokens.len() && next_starts {
                starts.push(j);
            }
            i = j;
            continue;
        }
        i += 1;
    }
    starts.dedup();
    starts
}

/// The models trained by `dyad train` on UD English-EWT (see `models/README.md`).
static TAGGER_MODEL: &[u8] = include_bytes!("../models/tagger.bin");
static LEMMA_MODEL: &str = include_str!("../models/lemma.txt");
static PARSER_MODEL: &[u8] = include_bytes!("../models/parser.bin");
static NER_MODEL: &[u8] = include_bytes!("../models/ner.bin");
static SENTENCE_MODEL: &[u8] = include_bytes!("../models/sentence.bin");

/// The loaded models, immutable and shareable across threads.
#[derive(Debug, Default)]
pub struct Nlp {
    tagger: tagger::Tagger,
    lemmatizer: lemma::Lemmatizer,
    parser: parser::Parser,
    ner: ner::Ner,
    segmenter: sentence::Segmenter,
}

/// Everything the core says about one word.
#[derive(Debug, Clone, PartialEq)]
pub struct WordAnalysis {
    pub upos: Upos,
    pub xpos: String,
    pub lemma: String,
    /// 1-based head within the sentence, 0 for the root.
    pub head: u32,
    pub deprel: String,
}

/// Scores on a treebank with gold tokens: word counts and percentages.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub sentences: usize,
    pub words: usize,
    pub upos: f64,
    pub xpos: f64,
    pub lemma: f64,
    pub uas: f64,
    pub las: f64,
    /// Time spent tagging, lemmatising and parsing.
    pub seconds: f64,
}

impl Nlp {
    /// Loads the models embedded in the binary.
    pub fn new() -> Nlp {
        // The embedded models are checked by the tests; a broken one leaves its layer empty
        // (tokens untagged, lower-cased lemmas, flat parses).
        Nlp {
            tagger: tagger::Tagger::from_bytes(TAGGER_MODEL).unwrap_or_default(),
            lemmatizer: lemma::Lemmatizer::from_text(LEMMA_MODEL).unwrap_or_default(),
            parser: parser::Parser::from_bytes(PARSER_MODEL).unwrap_or_default(),
            ner: ner::Ner::from_bytes(NER_MODEL).unwrap_or_default(),
            segmenter: sentence::Segmenter::from_bytes(SENTENCE_MODEL).unwrap_or_default(),
        }
    }

    /// A pipeline from models loaded elsewhere (for example freshly trained ones).
    pub fn from_models(tagger: tagger::Tagger, lemmatizer: lemma::Lemmatizer, parser: parser::Parser) -> Nlp {
        Nlp {
            tagger,
            lemmatizer,
            parser,
            ner: ner::Ner::from_bytes(NER_MODEL).unwrap_or_default(),
            segmenter: sentence::Segmenter::from_bytes(SENTENCE_MODEL).unwrap_or_default(),
        }
    }

    /// The same pipeline with another sentence splitter (an empty one is the rule segmenter).
    pub fn with_segmenter(self, segmenter: sentence::Segmenter) -> Nlp {
        Nlp { segmenter, ..self }
    }

    /// The sentence splitter in use.
    pub fn segmenter(&self) -> &sentence::Segmenter {
        &self.segmenter
    }

    /// The same pipeline with another entity recogniser.
    pub fn with_ner(self, ner: ner::Ner) -> Nlp {
        Nlp { ner, ..self }
    }

    /// The entity recogniser in use.
    pub fn ner(&self) -> &ner::Ner {
        &self.ner
    }

    /// Tags, lemmas and dependencies of one sentence's words.
    pub fn analyze_words(&self, words: &[String]) -> Vec<WordAnalysis> {
        let joint = self.tagger.tag(words);
        let forms: Vec<&str> = words.iter().map(String::as_str).collect();
        let arcs = self.parser.parse(&forms, &joint);
        joint
            .iter()
            .zip(words)
            .zip(arcs)
            .map(|((t, w), a)| {
                let (u, x) = t.split_once('|').unwrap_or(("X", "XX"));
                WordAnalysis {
                    upos: Upos::parse(u).unwrap_or(Upos::X),
                    xpos: x.to_string(),
                    lemma: self.lemmatizer.lemma(w, x),
                    head: a.head,
                    deprel: a.deprel.to_string(),
                }
            })
            .collect()
    }

    /// Scores the pipeline on CoNLL-U sentences with gold tokens. LAS compares full relations
    /// (`obl:tmod` is not `obl`); punctuation counts.
    pub fn evaluate(&self, sentences: &[conllu::ConlluSentence]) -> Scores {
        let mut s = Scores { sentences: sentences.len(), ..Scores::default() };
        let (mut upos, mut xpos, mut lemma, mut uas, mut las) = (0usize, 0usize, 0usize, 0usize, 0usize);
        let t0 = std::time::Instant::now();
        let mut out = Vec::with_capacity(sentences.len());
        for sent in sentences {
            let words: Vec<String> = sent.words.iter().map(|w| w.form.clone()).collect();
            out.push(self.analyze_words(&words));
        }
        s.seconds = t0.elapsed().as_secs_f64();
        for (sent, got) in sentences.iter().zip(&out) {
            for (g, p) in sent.words.iter().zip(got) {
                s.words += 1;
                upos += (p.upos.as_str() == g.upos) as usize;
                xpos += (p.xpos == g.xpos) as usize;
                lemma += (p.lemma == g.lemma) as usize;
                if p.head == g.head {
                    uas += 1;
                    las += (p.deprel == g.deprel) as usize;
                }
            }
        }
        let pct = |k: usize| 100.0 * k as f64 / s.words.max(1) as f64;
        (s.upos, s.xpos, s.lemma, s.uas, s.las) = (pct(upos), pct(xpos), pct(lemma), pct(uas), pct(las));
        s
    }

    /// UPOS and XPOS of pre-tokenized words.
    pub fn tag_words(&self, words: &[String]) -> Vec<(Upos, String)> {
        self.tagger
            .tag(words)
            .into_iter()
            .map(|t| {
                let (u, x) = t.split_once('|').unwrap_or(("X", "XX"));
                (Upos::parse(u).unwrap_or(Upos::X), x.to_string())
            })
            .collect()
    }

    /// Annotates every block of the article body; sentences never cross blocks. Entities are
    /// recognised once every sentence is known, with the whole article as their context.
    pub fn annotate(&self, article: &Article) -> AnnotatedDocument {
        let mut doc = AnnotatedDocument::default();
        let mut all_words: Vec<Vec<String>> = Vec::new();
        for b in &article.blocks {
            let text = b.span.text(&article.body);
            let spans = tokenize(text);
            let starts = self.segmenter.segment(text, &spans);
            for (k, &s) in starts.iter().enumerate() {
                let e = starts.get(k + 1).copied().unwrap_or(spans.len());
                if s >= e {
                    continue;
                }
                let words: Vec<String> = spans[s..e].iter().map(|sp| sp.text(text).to_string()).collect();
                let tokens: Vec<Token> = spans[s..e]
                    .iter()
                    .zip(self.analyze_words(&words))
                    .map(|(sp, a)| Token {
                        span: Span::new(b.span.start + sp.start, b.span.start + sp.end),
                        lemma: a.lemma,
                        upos: a.upos,
                        xpos: a.xpos,
                        head: a.head,
                        deprel: a.deprel,
                    })
                    .collect();
                let span = Span::new(tokens[0].span.start, tokens[tokens.len() - 1].span.end);
                doc.sentences.push(Sentence { span, tokens });
                all_words.push(words);
            }
        }
        let context = ner::DocContext::new(all_words.iter().map(Vec::as_slice));
        for (si, (sent, words)) in doc.sentences.iter().zip(&all_words).enumerate() {
            let upos: Vec<&str> = sent.tokens.iter().map(|t| t.upos.as_str()).collect();
            for (first, last, label) in self.ner.recognize(words, &upos, &context) {
                let span = Span::new(sent.tokens[first].span.start, sent.tokens[last - 1].span.end);
                doc.entities.push(EntitySpan { label, span, sentence: si, tokens: (first, last) });
            }
        }
        doc
    }
}

/// Tokenization and sentence segmentation from raw text, scored against a treebank.
#[derive(Debug, Clone, Default)]
pub struct RawScores {
    /// (gold, predicted, correct) word spans and sentence spans.
    pub words: (usize, usize, usize),
    pub sentences: (usize, usize, usize),
    /// Gold words whose form could not be found in the rebuilt text (not scored as gold).
    pub unaligned: usize,
}

/// One paragraph of a treebank as raw text, with its gold word and sentence spans (byte offsets).
#[derive(Debug, Clone, Default)]
pub struct RawParagraph {
    pub text: String,
    pub words: std::collections::HashSet<(usize, usize)>,
    pub sentences: Vec<(usize, usize)>,
    /// Gold words whose form could not be found in the text.
    pub unaligned: usize,
}

/// Rebuilds the raw text of a treebank: each paragraph (`# newpar`, `# newdoc`) its own text, its
/// sentences' `# text` lines joined by a space; gold words are found in order in that text.
pub fn raw_paragraphs(sentences: &[conllu::ConlluSentence]) -> Vec<RawParagraph> {
    let mut out = Vec::new();
    for para in sentences.chunk_by(|_, b| !b.newpar) {
        let mut p = RawParagraph::default();
        for s in para {
            if !p.text.is_empty() {
                p.text.push(' ');
            }
            let base = p.text.len();
            let raw =
                s.text.clone().unwrap_or_else(|| s.words.iter().map(|w| w.form.as_str()).collect::<Vec<_>>().join(" "));
            p.text.push_str(&raw);
            // Words are found in order in the sentence text; a multi-word token's words
            // ("do" + "n't") are consecutive substrings of it.
            let mut at = 0;
            let (mut first, mut last) = (None, 0);
            for w in &s.words {
                match raw[at..].find(w.form.as_str()) {
                    Some(k) if raw[at..at + k].trim().is_empty() => {
                        let b = base + at + k;
                        p.words.insert((b, b + w.form.len()));
                        first.get_or_insert(b);
                        last = b + w.form.len();
                        at += k + w.form.len();
                    }
                    _ => p.unaligned += 1,
                }
            }
            if let Some(f) = first {
                p.sentences.push((f, last));
            }
        }
        out.push(p);
    }
    out
}

/// Training texts for the sentence splitter: the paragraphs of a treebank and their sentence starts.
pub fn sentence_examples(sentences: &[conllu::ConlluSentence]) -> Vec<sentence::Example> {
    raw_paragraphs(sentences)
        .into_iter()
        .map(|p| sentence::Example { starts: p.sentences.iter().map(|s| s.0).collect(), text: p.text })
        .collect()
}

/// Tokenizes and segments the raw text of a treebank ([`raw_paragraphs`]) with `segmenter` and
/// compares word and sentence spans exactly, as the CoNLL 2018 shared task scores them.
pub fn evaluate_raw(segmenter: &sentence::Segmenter, sentences: &[conllu::ConlluSentence]) -> RawScores {
    let mut out = RawScores::default();
    for p in raw_paragraphs(sentences) {
        let text = &p.text;
        let gold_sents: std::collections::HashSet<(usize, usize)> = p.sentences.iter().copied().collect();
        out.unaligned += p.unaligned;
        let spans = tokenize(text);
        let starts = segmenter.segment(text, &spans);
        out.words.0 += p.words.len();
        out.words.1 += spans.len();
        out.words.2 += spans.iter().filter(|sp| p.words.contains(&(sp.start, sp.end))).count();
        out.sentences.0 += gold_sents.len();
        for (k, &s) in starts.iter().enumerate() {
            let e = starts.get(k + 1).copied().unwrap_or(spans.len());
            if s < e {
                out.sentences.1 += 1;
                out.sentences.2 += gold_sents.contains(&(spans[s].start, spans[e - 1].end)) as usize;
            }
        }
    }
    out
}

/// Entity scores of `ner` on gold-tokenized sentences, with tags predicted by `nlp` (timed together).
pub fn ner_scores(nlp: &Nlp, ner: &ner::Ner, sentences: &[ner::NerSentence]) -> ner::NerScores {
    let t0 = std::time::Instant::now();
    let mut pred = Vec::with_capacity(sentences.len());
    for doc in sentences.chunk_by(|a, b| a.doc == b.doc) {
        let context = ner::DocContext::new(doc.iter().map(|s| s.words.as_slice()));
        for s in doc {
            let tags = nlp.tag_words(&s.words);
            let upos: Vec<&str> = tags.iter().map(|(u, _)| u.as_str()).collect();
            pred.push(ner.recognize(&s.words, &upos, &context));
        }
    }
    let seconds = t0.elapsed().as_secs_f64();
    let gold: Vec<_> = sentences.iter().map(|s| ner::spans(&s.tags)).collect();
    let mut scores = ner::score(gold.iter().map(Vec::as_slice).zip(pred.iter().map(Vec::as_slice)));
    scores.seconds = seconds;
    scores.words = sentences.iter().map(|s| s.words.len()).sum();
    scores
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|s| s.text(text)).collect()
    }

    fn sents(text: &str) -> Vec<String> {
        let a = Article::from_text("t", text);
        Nlp::new().annotate(&a).sentences.iter().map(|s| s.span.text(&a.body).to_string()).collect()
    }

    #[test]
    fn tokens() {
        assert_eq!(toks("“We don't know,” he said."), ["“", "We", "do", "n't", "know", ",", "”", "he", "said", "."]);
        assert_eq!(
            toks("The U.S. and Gen. Smith's $5.5 bn (2%)"),
            ["The", "U.S.", "and", "Gen.", "Smith", "'s", "$", "5.5", "bn", "(", "2", "%", ")"]
        );
        assert_eq!(
            toks("See https://example.org/a?b=1, or mail a@b.org."),
            ["See", "https://example.org/a?b=1", ",", "or", "mail", "a@b.org", "."]
        );
        assert_eq!(toks("at 3 p.m. Friday"), ["at", "3", "p.m.", "Friday"]);
    }

    #[test]
    fn sentences() {
        assert_eq!(
            sents("Mr. Kim met Gen. Lee at 3 p.m. on Friday. They talked."),
            ["Mr. Kim met Gen. Lee at 3 p.m. on Friday.", "They talked."]
        );
        assert_eq!(sents("He said, “It is over.” Then he left."), ["He said, “It is over.”", "Then he left."]);
        assert_eq!(sents("Talks with the U.S. The talks failed."), ["Talks with the U.S.", "The talks failed."]);
        assert_eq!(sents("It cost 3.5 million. No. 10 said so."), ["It cost 3.5 million.", "No. 10 said so."]);
    }

    #[test]
    fn spans_slice_back_and_odd_text_is_fine() {
        for text in ["", "   ", "\u{0}\u{1}abc", "🙂🙂🙂 🙂", "Привет, мир. Да!", "a\u{301}b", &"x".repeat(100_000)]
        {
            let a = Article::from_text("t", text);
            let d = Nlp::new().annotate(&a);
            for s in &d.sentences {
                for t in &s.tokens {
                    assert!(a.body.is_char_boundary(t.span.start) && a.body.is_char_boundary(t.span.end));
                    assert!(!t.span.text(&a.body).is_empty());
                }
            }
        }
    }
}

#[cfg(test)]
mod model_tests {
    use super::*;

    const LEMMA_FLOOR: f64 = 96.4;
    const UAS_FLOOR: f64 = 83.5;
    const LAS_FLOOR: f64 = 80.4;
    const NER_FLOOR: f64 = 0.68;

    /// The embedded tagger loads and keeps its accuracy on EWT test (floor a little under the
    /// 94.60 measured when it was trained).
    #[test]
    fn embedded_tagger_accuracy_floor() {
        assert!(tagger::Tagger::from_bytes(TAGGER_MODEL).is_ok());
        let Some(path) = dyad_testkit::shared("eval/nlp/UD_English-EWT/en_ewt-ud-test.conllu") else { return };
        let text = std::fs::read_to_string(&path).unwrap();
        let sents = conllu::parse(&text).unwrap();
        let nlp = Nlp::new();
        let (mut n, mut ok) = (0, 0);
        for s in &sents {
            let words: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            for (w, (u, _)) in s.words.iter().zip(nlp.tag_words(&words)) {
                n += 1;
                ok += (u.as_str() == w.upos) as usize;
            }
        }
        let acc = 100.0 * ok as f64 / n as f64;
        assert!(acc >= 94.0, "UPOS {acc:.2} under the floor of 94.0");
    }

    /// The whole embedded pipeline on EWT test with gold tokens: floors a little under the figures
    /// measured when the models were trained (see `models/README.md`).
    #[test]
    fn embedded_pipeline_floors() {
        assert!(parser::Parser::from_bytes(PARSER_MODEL).is_ok());
        assert!(lemma::Lemmatizer::from_text(LEMMA_MODEL).is_ok());
        let Some(path) = dyad_testkit::shared("eval/nlp/UD_English-EWT/en_ewt-ud-test.conllu") else { return };
        let sents = conllu::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let s = Nlp::new().evaluate(&sents);
        assert!(s.words > 25_000);
        assert!(s.lemma >= LEMMA_FLOOR, "lemma {:.2} under {LEMMA_FLOOR}", s.lemma);
        assert!(s.uas >= UAS_FLOOR, "UAS {:.2} under {UAS_FLOOR}", s.uas);
        assert!(s.las >= LAS_FLOOR, "LAS {:.2} under {LAS_FLOOR}", s.las);
    }

    /// Raw text on EWT test (text rebuilt from `# text`, spans compared exactly): floors a little
    /// under the word and sentence F1 measured with the embedded models (89.54 / 98.48).
    #[test]
    fn raw_text_floors() {
        let Some(path) = dyad_testkit::shared("eval/nlp/UD_English-EWT/en_ewt-ud-test.conllu") else { return };
        let sents = conllu::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let r = evaluate_raw(Nlp::new().segmenter(), &sents);
        let (_, _, words) = ner::prf(r.words.0, r.words.1, r.words.2);
        let (_, _, sentences) = ner::prf(r.sentences.0, r.sentences.1, r.sentences.2);
        assert!(words >= 0.980, "raw-text words F1 {words:.4} under 0.980");
        assert!(sentences >= 0.885, "raw-text sentences F1 {sentences:.4} under 0.885");
    }

    /// The embedded entity recogniser on UNER EWT test (gold tokens, predicted tags): a floor a
    /// little under the F1 measured when it was trained (see `models/README.md`).
    #[test]
    fn embedded_ner_floor() {
        assert!(ner::Ner::from_bytes(NER_MODEL).is_ok());
        let Some(path) = dyad_testkit::shared("eval/nlp/UNER_English-EWT/en_ewt-ud-test.iob2") else { return };
        let sents = ner::read_iob2(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let nlp = Nlp::new();
        let s = ner_scores(&nlp, nlp.ner(), &sents);
        let (_, _, f1) = s.micro();
        assert!(s.per_label.iter().map(|x| x.1).sum::<usize>() > 1000);
        assert!(f1 >= NER_FLOOR, "NER F1 {f1:.3} under {NER_FLOOR}");
    }

    #[test]
    fn entities_are_found_in_running_text() {
        let a = Article::from_text("t", "Kim Jong Un met Donald Trump in Singapore. The United Nations said so.");
        let d = Nlp::new().annotate(&a);
        let got: Vec<(&str, &str)> = d.entities.iter().map(|e| (e.label.as_str(), e.span.text(&a.body))).collect();
        assert!(got.contains(&("PER", "Kim Jong Un")), "{got:?}");
        assert!(got.contains(&("LOC", "Singapore")), "{got:?}");
        for e in &d.entities {
            let s = &d.sentences[e.sentence];
            assert_eq!(e.span.start, s.tokens[e.tokens.0].span.start);
            assert_eq!(e.span.end, s.tokens[e.tokens.1 - 1].span.end);
        }
    }

    #[test]
    fn parses_are_trees_on_odd_input() {
        let long = "word ".repeat(200_000);
        let nlp = Nlp::new();
        for text in ["", "\u{0}\u{7}\u{1b}[0m x \u{2028} y", "🙂🙂 🙂 👍🏽 ‼️", "a", long.as_str(), "( ( ( ) ) ) . . ."]
        {
            let a = Article::from_text("t", text);
            for s in &nlp.annotate(&a).sentences {
                let n = s.tokens.len() as u32;
                assert_eq!(s.tokens.iter().filter(|t| t.head == 0).count(), 1, "one root");
                for (i, t) in s.tokens.iter().enumerate() {
                    assert!(t.head <= n && t.head != i as u32 + 1, "head {} of token {i}", t.head);
                    assert!(!t.deprel.is_empty());
                }
                // Every token reaches the root: no cycles.
                for i in 0..s.tokens.len() {
                    let (mut k, mut steps) = (i as u32 + 1, 0);
                    while k != 0 && steps <= n {
                        k = s.tokens[k as usize - 1].head;
                        steps += 1;
                    }
                    assert_eq!(k, 0, "token {i} is on a cycle");
                }
            }
        }
    }

    #[test]
    fn a_broken_model_is_an_error_not_a_panic() {
        assert!(parser::Parser::from_bytes(&PARSER_MODEL[..PARSER_MODEL.len() / 2]).is_err());
        assert!(tagger::Tagger::from_bytes(b"").is_err());
        assert!(tagger::Tagger::from_bytes(&TAGGER_MODEL[..TAGGER_MODEL.len() / 2]).is_err());
        assert!(tagger::Tagger::from_bytes(b"DYADPOS1\xff\xff\xff\xff").is_err());
        assert!(ner::Ner::from_bytes(&NER_MODEL[..NER_MODEL.len() / 2]).is_err());
        assert!(ner::Ner::from_bytes(b"DYADNER1").is_err());
    }
}
