//! dyad's English NLP core: sentences, tokens, tags, lemmas, dependency parses, entities.
//! Pure: no I/O, never fails on odd text.
//!
//! FIRST IMPLEMENTATION (foundation): a rule tokenizer and segmenter without tagging; the
//! NLP issue replaces it with trained models.

use dyad_model::{AnnotatedDocument, Article, Sentence, Span, Token, Upos};

/// The loaded models, immutable and shareable across threads.
#[derive(Debug, Default)]
pub struct Nlp {}

impl Nlp {
    /// Loads the models embedded in the binary.
    pub fn new() -> Nlp {
        Nlp {}
    }

    /// Annotates every block of the article body.
    pub fn annotate(&self, article: &Article) -> AnnotatedDocument {
        let mut doc = AnnotatedDocument::default();
        for b in &article.blocks {
            let text = b.span.text(&article.body);
            let mut tokens = Vec::new();
            let mut start = None;
            for (i, c) in text.char_indices() {
                let o = b.span.start + i;
                if c.is_alphanumeric() {
                    start.get_or_insert(o);
                } else {
                    if let Some(s) = start.take() {
                        tokens.push(Span::new(s, o));
                    }
                    if !c.is_whitespace() {
                        tokens.push(Span::new(o, o + c.len_utf8()));
                    }
                }
            }
            if let Some(s) = start {
                tokens.push(Span::new(s, b.span.end));
            }
            let mut cur: Vec<Token> = Vec::new();
            for t in tokens {
                let form = t.text(&article.body);
                cur.push(Token {
                    span: t,
                    lemma: form.to_lowercase(),
                    upos: Upos::X,
                    xpos: "XX".into(),
                    head: 0,
                    deprel: "dep".into(),
                });
                if matches!(form, "." | "!" | "?") {
                    push_sentence(&mut doc, std::mem::take(&mut cur));
                }
            }
            push_sentence(&mut doc, cur);
        }
        doc
    }
}

fn push_sentence(doc: &mut AnnotatedDocument, tokens: Vec<Token>) {
    if let (Some(f), Some(l)) = (tokens.first(), tokens.last()) {
        let span = Span::new(f.span.start, l.span.end);
        doc.sentences.push(Sentence { span, tokens });
    }
}
