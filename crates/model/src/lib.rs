//! The data model of dyad: the values that flow between the stages of the pipeline.
//!
//! 1. [`RawDocument`]: bytes as they were read (a file, a WARC record, a feed item, a line of JSON).
//! 2. [`Article`]: the article extracted from it: title, byline, date, language, body, blocks.
//! 3. [`AnnotatedDocument`]: sentences, tokens, tags, lemmas, dependency parse, named entities.
//! 4. [`Actor`], [`Event`], [`Quote`], [`EntityMention`], [`Tone`]: what the coders find.
//! 5. [`CodedDocument`]: all of the above for one article, as stored and printed.
//!
//! **Invariant:** every [`Span`] is a byte range into [`Article::body`] and lies on `char`
//! boundaries. No type here does I/O.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

mod ids;
pub use ids::{DocId, EventId, QuoteId};

/// The version of dyad that produced a record; stored with every document.
pub const PIPELINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A half-open byte range `[start, end)` into [`Article::body`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    /// The text this span covers, or `""` when it does not fit `text` (never panics).
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// The smallest span covering both.
    pub fn cover(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// What kind of bytes a [`RawDocument`] holds, as far as the reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContentType {
    Html,
    Text,
    /// Not known yet: the extractor sniffs the bytes.
    Unknown,
}

/// Bytes as they were read, before any extraction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawDocument {
    /// Where the bytes came from: a file path, `path#offset` for a record inside a WARC or
    /// feed, or `-` for standard input. Used in every error message.
    pub source: String,
    /// The URL of the page, when known (WARC target URI, feed link, JSON Lines `url`).
    pub url: Option<String>,
    /// When the bytes were fetched (WARC date, file modification time), when known.
    pub fetched: Option<DateTime<Utc>>,
    /// A publication date given from outside (a feed item's date, JSON Lines `date`).
    pub date_hint: Option<NaiveDate>,
    /// A title given from outside (a feed item's title).
    pub title_hint: Option<String>,
    pub content_type: ContentType,
    /// The character set declared by the transport (HTTP header), when known.
    pub charset: Option<String>,
    #[serde(with = "bytes_as_string")]
    pub bytes: Vec<u8>,
}

impl RawDocument {
    pub fn new(source: impl Into<String>, content_type: ContentType, bytes: Vec<u8>) -> RawDocument {
        RawDocument {
            source: source.into(),
            url: None,
            fetched: None,
            date_hint: None,
            title_hint: None,
            content_type,
            charset: None,
            bytes,
        }
    }
}

mod bytes_as_string {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(b))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        Ok(String::deserialize(d)?.into_bytes())
    }
}

/// A paragraph or a heading of the article body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Paragraph,
    Heading,
    /// An item of a list inside the article.
    Item,
    /// A block quotation.
    Quote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
}

/// Where a publication date was found, for the evidence trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    /// `<meta>` tags (article:published_time, og, dc, parsely …).
    Meta,
    JsonLd,
    /// A `<time>` element.
    TimeElement,
    /// The URL (`/2025/02/07/`).
    Url,
    /// A visible date line in the text.
    Text,
    /// Given from outside: a feed, a WARC header, JSON Lines, `--date`.
    Given,
}

/// The article extracted from a [`RawDocument`]: what every later stage reads.
///
/// `body` holds the blocks in reading order separated by `"\n\n"`; every span of every later
/// stage indexes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: DocId,
    pub source: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub date: Option<NaiveDate>,
    pub date_source: Option<DateSource>,
    /// ISO 639-3 code (`eng`) when detected.
    pub language: Option<String>,
    /// The outlet (host name of the URL), used to count distinct sources.
    pub outlet: Option<String>,
    pub body: String,
    pub blocks: Vec<Block>,
    /// SimHash of the body's word shingles: near-duplicates differ in few bits.
    pub fingerprint: u64,
    /// Story cluster: articles whose bodies are near-duplicates share it. `None` until the
    /// engine's clusterer has seen the article.
    pub story: Option<u64>,
}

impl Article {
    /// An article whose body is `body`, one paragraph per blank-line-separated block.
    /// For tests, examples and text that needs no extraction.
    pub fn from_text(source: impl Into<String>, body: impl Into<String>) -> Article {
        let body = body.into();
        let mut blocks = Vec::new();
        let mut pos = 0;
        for part in body.split("\n\n") {
            let lead = part.len() - part.trim_start().len();
            let t = part.trim();
            if !t.is_empty() {
                let start = pos + lead;
                blocks.push(Block { kind: BlockKind::Paragraph, span: Span::new(start, start + t.len()) });
            }
            pos += part.len() + 2;
        }
        Article {
            id: DocId::from_content(&body),
            source: source.into(),
            url: None,
            title: None,
            byline: None,
            date: None,
            date_source: None,
            language: None,
            outlet: None,
            body,
            blocks,
            fingerprint: 0,
            story: None,
        }
    }

    /// The headings of the body, in order.
    pub fn headings(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter(|b| b.kind == BlockKind::Heading).map(move |b| b.span.text(&self.body))
    }

    /// The block containing byte `offset`, if any.
    pub fn block_at(&self, offset: usize) -> Option<&Block> {
        let i = self.blocks.partition_point(|b| b.span.end <= offset);
        self.blocks.get(i).filter(|b| b.span.start <= offset)
    }
}

/// Universal POS tags (UD v2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Upos {
    ADJ,
    ADP,
    ADV,
    AUX,
    CCONJ,
    DET,
    INTJ,
    NOUN,
    NUM,
    PART,
    PRON,
    PROPN,
    PUNCT,
    SCONJ,
    SYM,
    VERB,
    X,
}

impl Upos {
    pub const ALL: [Upos; 17] = [
        Upos::ADJ,
        Upos::ADP,
        Upos::ADV,
        Upos::AUX,
        Upos::CCONJ,
        Upos::DET,
        Upos::INTJ,
        Upos::NOUN,
        Upos::NUM,
        Upos::PART,
        Upos::PRON,
        Upos::PROPN,
        Upos::PUNCT,
        Upos::SCONJ,
        Upos::SYM,
        Upos::VERB,
        Upos::X,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Upos::ADJ => "ADJ",
            Upos::ADP => "ADP",
            Upos::ADV => "ADV",
            Upos::AUX => "AUX",
            Upos::CCONJ => "CCONJ",
            Upos::DET => "DET",
            Upos::INTJ => "INTJ",
            Upos::NOUN => "NOUN",
            Upos::NUM => "NUM",
            Upos::PART => "PART",
            Upos::PRON => "PRON",
            Upos::PROPN => "PROPN",
            Upos::PUNCT => "PUNCT",
            Upos::SCONJ => "SCONJ",
            Upos::SYM => "SYM",
            Upos::VERB => "VERB",
            Upos::X => "X",
        }
    }
    pub fn parse(s: &str) -> Option<Upos> {
        Upos::ALL.iter().copied().find(|u| u.as_str() == s)
    }
}

impl fmt::Display for Upos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One token of a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// Byte range into `Article.body`. The token's form is `span.text(body)`.
    pub span: Span,
    pub lemma: String,
    pub upos: Upos,
    /// Penn Treebank tag (`NNP`, `VBD` …).
    pub xpos: String,
    /// Index of the head token within the sentence, 1-based; 0 is the root.
    pub head: u32,
    /// Universal Dependencies relation, with subtype (`nsubj`, `obl:tmod` …).
    pub deprel: String,
}

/// A sentence: its span and its tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    pub span: Span,
    pub tokens: Vec<Token>,
}

impl Sentence {
    /// The token at 1-based index `i` (as used by `Token::head`).
    pub fn token(&self, i: u32) -> Option<&Token> {
        if i == 0 {
            None
        } else {
            self.tokens.get(i as usize - 1)
        }
    }
    /// 0-based indices of the dependents of the 0-based token `i`.
    pub fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.tokens.iter().enumerate().filter(move |(_, t)| t.head as usize == i + 1).map(|(j, _)| j)
    }
}

/// Named-entity classes (UNER: PER, ORG, LOC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityLabel {
    PER,
    ORG,
    LOC,
    MISC,
}

impl EntityLabel {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityLabel::PER => "PER",
            EntityLabel::ORG => "ORG",
            EntityLabel::LOC => "LOC",
            EntityLabel::MISC => "MISC",
        }
    }
    pub fn parse(s: &str) -> Option<EntityLabel> {
        match s {
            "PER" => Some(EntityLabel::PER),
            "ORG" => Some(EntityLabel::ORG),
            "LOC" => Some(EntityLabel::LOC),
            "MISC" => Some(EntityLabel::MISC),
            _ => None,
        }
    }
}

/// A named entity found by the NLP core.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntitySpan {
    pub label: EntityLabel,
    pub span: Span,
    /// Sentence index (0-based) and the 0-based token range `[first, last)` inside it.
    pub sentence: usize,
    pub tokens: (usize, usize),
}

/// The output of the NLP core for one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct AnnotatedDocument {
    pub sentences: Vec<Sentence>,
    pub entities: Vec<EntitySpan>,
}

impl AnnotatedDocument {
    pub fn token_count(&self) -> usize {
        self.sentences.iter().map(|s| s.tokens.len()).sum()
    }
    /// The sentence containing byte `offset`.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= offset);
        (i < self.sentences.len() && self.sentences[i].span.start <= offset).then_some(i)
    }
}

/// How an actor mention got its code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActorVia {
    /// A dictionary entry matched the text (`entry` names it).
    Dictionary,
    /// A country word combined with an agent noun ("Japanese citizens").
    Agent,
    /// A later mention of an earlier actor ("Trump", "the president", "he").
    Coreference,
    /// Found by NER, not in any dictionary: kept uncoded.
    Entity,
}

/// A mention of an actor in the article, with the code it has on the document date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    /// CAMEO actor code, e.g. `USAGOV`, `JPNCVL`, `IGOUNO`; empty when unknown.
    pub code: String,
    /// ISO 3166-1 alpha-3 / CAMEO country code, when the actor belongs to one.
    pub country: Option<String>,
    /// Sector or role codes (`GOV`, `MIL`, `CVL` …) after the country.
    pub role: Option<String>,
    /// The canonical name of the person or body (`Donald Trump`), when known.
    pub name: Option<String>,
    /// The text that matched, as in the body.
    pub text: String,
    pub span: Span,
    pub sentence: usize,
    /// 0-based token range `[first, last)` in the sentence.
    pub tokens: (usize, usize),
    pub via: ActorVia,
    /// The dictionary entry (file:line or id) that produced the code.
    pub entry: Option<String>,
}

/// The four quad classes of CAMEO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuadClass {
    VerbalCooperation = 1,
    MaterialCooperation = 2,
    VerbalConflict = 3,
    MaterialConflict = 4,
}

impl QuadClass {
    pub fn number(self) -> u8 {
        self as u8
    }
    pub fn from_number(n: u8) -> Option<QuadClass> {
        match n {
            1 => Some(QuadClass::VerbalCooperation),
            2 => Some(QuadClass::MaterialCooperation),
            3 => Some(QuadClass::VerbalConflict),
            4 => Some(QuadClass::MaterialConflict),
            _ => None,
        }
    }
    /// The quad class of a CAMEO root code (`"01"`..`"20"`), as GDELT assigns it.
    pub fn of_root(root: u8) -> Option<QuadClass> {
        match root {
            1..=5 => Some(QuadClass::VerbalCooperation),
            6..=9 => Some(QuadClass::MaterialCooperation),
            10..=14 => Some(QuadClass::VerbalConflict),
            15..=20 => Some(QuadClass::MaterialConflict),
            _ => None,
        }
    }
}

/// PLOVER-style mode of an event: what the sentence claims about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Reported as having happened or happening.
    #[default]
    Fact,
    /// Negated ("did not attack").
    Negated,
    /// In the future ("will meet").
    Future,
    /// Possible, conditional or demanded ("may impose", "could meet").
    Hypothetical,
}

/// One side of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventActor {
    pub code: String,
    pub country: Option<String>,
    pub role: Option<String>,
    pub name: Option<String>,
    pub text: String,
    pub span: Span,
}

impl From<&Actor> for EventActor {
    fn from(a: &Actor) -> EventActor {
        EventActor {
            code: a.code.clone(),
            country: a.country.clone(),
            role: a.role.clone(),
            name: a.name.clone(),
            text: a.text.clone(),
            span: a.span,
        }
    }
}

/// Who did what to whom, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub source: EventActor,
    pub target: Option<EventActor>,
    /// Full CAMEO code (`"0421"`), its base (first three digits, `"042"`) and root (`"04"`).
    pub cameo: String,
    pub base: String,
    pub root: String,
    pub goldstein: f32,
    pub quad_class: QuadClass,
    /// PLOVER event type (`CONSULT`, `AGREE` …), mode and context, when mapped.
    pub plover: Option<String>,
    /// PLOVER mode of the type (`visit`, `abduct`, `arrest` …), when the code has one.
    #[serde(default)]
    pub plover_mode: Option<String>,
    pub plover_context: Vec<String>,
    pub mode: Mode,
    /// When the event happened: a date in the sentence resolved against the document date,
    /// else the document date.
    pub date: Option<NaiveDate>,
    /// The time expression that gave `date`, if any.
    pub date_text: Option<String>,
    /// The document date the event was reported on (kept beside `date`).
    #[serde(default)]
    pub reported: Option<NaiveDate>,
    /// True when the sentence places the event well before the document date.
    pub historical: bool,
    pub sentence: usize,
    /// The text that supports the event (usually the sentence or the clause).
    pub evidence: Span,
    /// The span of the verb or event noun that triggered the event.
    pub trigger: Span,
    /// The rule or dictionary pattern that produced the event.
    pub rule: String,
    pub confidence: f32,
    /// Tone of the sentence, when computed.
    pub tone: Option<f32>,
}

impl Event {
    /// Code root as a number (`"04"` → 4).
    pub fn root_number(&self) -> u8 {
        self.root.parse().unwrap_or(0)
    }
}

/// How a quotation is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    Direct,
    Indirect,
    Mixed,
}

/// A quotation with its speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub id: QuoteId,
    pub kind: QuoteKind,
    /// The quoted content, without the quote marks.
    pub content: Span,
    pub text: String,
    /// The cue ("said", "according to") and its lemma.
    pub cue: Option<Span>,
    pub cue_lemma: Option<String>,
    /// The speaker as written here ("He"), and the resolved actor.
    pub speaker: Option<Span>,
    pub speaker_text: Option<String>,
    /// Canonical name of the speaker ("Shigeru Ishiba") when resolved.
    pub speaker_name: Option<String>,
    pub speaker_code: Option<String>,
    /// Index of the first sentence of the quote.
    pub sentence: usize,
    pub tone: Option<f32>,
    pub confidence: f32,
}

/// A person, organisation or place named in the article, GKG style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityMention {
    pub label: EntityLabel,
    /// The canonical name (the longest form seen in the article).
    pub name: String,
    pub code: Option<String>,
    /// Every place it is named.
    pub spans: Vec<Span>,
}

/// GDELT V2Tone: tone, positive score, negative score, polarity, activity reference density,
/// self/group reference density, word count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Tone {
    pub tone: f32,
    pub positive: f32,
    pub negative: f32,
    pub polarity: f32,
    pub activity_density: f32,
    pub self_group_density: f32,
    pub word_count: u32,
}

/// Everything dyad knows of one article: what `dyad code` prints and the store keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodedDocument {
    pub article: Article,
    /// The date used to resolve actors and events: the article's date, else the given one.
    pub date: Option<NaiveDate>,
    pub sentences: Vec<Span>,
    /// The V2Tone `tone` of each sentence, parallel to `sentences` (empty in records stored
    /// before it was computed).
    #[serde(default)]
    pub sentence_tones: Vec<f32>,
    pub actors: Vec<Actor>,
    pub events: Vec<Event>,
    pub quotes: Vec<Quote>,
    pub entities: Vec<EntityMention>,
    pub tone: Tone,
    /// Things worth knowing that are not errors (a skipped dictionary line, a clipped quote).
    pub notes: Vec<String>,
    /// `PIPELINE_VERSION` and the hash of the dictionaries used.
    pub pipeline: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_text_blocks_index_the_body() {
        let a = Article::from_text("t", "  One.\n\nTwo two.\n\n\n\nThree");
        let texts: Vec<_> = a.blocks.iter().map(|b| b.span.text(&a.body)).collect();
        assert_eq!(texts, ["One.", "Two two.", "Three"]);
        assert_eq!(a.block_at(a.body.find("two.").unwrap()).unwrap().span.text(&a.body), "Two two.");
        assert!(a.block_at(0).is_none());
    }

    #[test]
    fn span_text_never_panics() {
        let s = Span::new(1, 3);
        assert_eq!(s.text("é"), "");
        assert_eq!(s.text("abcd"), "bc");
        assert_eq!(Span::new(2, 9).text("ab"), "");
    }

    #[test]
    fn quad_class_of_roots() {
        assert_eq!(QuadClass::of_root(4), Some(QuadClass::VerbalCooperation));
        assert_eq!(QuadClass::of_root(8), Some(QuadClass::MaterialCooperation));
        assert_eq!(QuadClass::of_root(12), Some(QuadClass::VerbalConflict));
        assert_eq!(QuadClass::of_root(19), Some(QuadClass::MaterialConflict));
        assert_eq!(QuadClass::of_root(21), None);
    }

    #[test]
    fn upos_round_trip() {
        for u in Upos::ALL {
            assert_eq!(Upos::parse(u.as_str()), Some(u));
        }
        assert_eq!(Upos::parse("NN"), None);
    }
}
