//! Wires the stages into one pipeline and runs it over many inputs.
//!
//! `RawDocument → Article → AnnotatedDocument → actors → events, quotes, entities, tone →
//! CodedDocument → store`. Only this crate knows the order of the stages.

use chrono::NaiveDate;
use dyad_coder::Coder;
use dyad_dict::ActorDict;
use dyad_ingest::IngestError;
use dyad_model::{
    Actor, ActorVia, AnnotatedDocument, Article, CodedDocument, EntityLabel, RawDocument, PIPELINE_VERSION,
};
use dyad_nlp::Nlp;
use std::time::{Duration, Instant};

pub use dyad_coder::Options as CoderOptions;
pub use dyad_store::{Put, Store};

pub mod eval_events;
pub mod eval_petrarch;

/// Time spent in each stage, summed over documents.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub extract: Duration,
    pub nlp: Duration,
    pub actors: Duration,
    pub events: Duration,
    pub quotes: Duration,
    pub store: Duration,
}

impl Timings {
    pub fn add(&mut self, o: &Timings) {
        self.extract += o.extract;
        self.nlp += o.nlp;
        self.actors += o.actors;
        self.events += o.events;
        self.quotes += o.quotes;
        self.store += o.store;
    }
    pub fn rows(&self) -> [(&'static str, Duration); 6] {
        [
            ("extract", self.extract),
            ("nlp", self.nlp),
            ("actors", self.actors),
            ("events", self.events),
            ("quotes+tone", self.quotes),
            ("store", self.store),
        ]
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("actor dictionary: {0}")]
    Dict(#[from] dyad_dict::DictError),
    #[error("verb dictionary: {0}")]
    Coder(#[from] dyad_coder::CoderError),
}

/// The loaded pipeline: models and dictionaries, immutable and shareable across threads.
pub struct Engine {
    nlp: Nlp,
    dict: ActorDict,
    coder: Coder,
    pipeline: String,
}

impl Engine {
    /// The pipeline with dyad's own models and dictionaries.
    pub fn builtin() -> Result<Engine, EngineError> {
        Ok(Engine::with(Nlp::new(), ActorDict::builtin()?, Coder::builtin()?))
    }

    /// The builtin pipeline with other coding options (`one_sided` events for PLOVER scoring).
    pub fn builtin_with(options: dyad_coder::Options) -> Result<Engine, EngineError> {
        let mut coder = Coder::builtin()?;
        coder.options = options;
        Ok(Engine::with(Nlp::new(), ActorDict::builtin()?, coder))
    }

    /// The pipeline with dyad's own models and verbs and the given actor dictionaries.
    pub fn with_dict(dict: ActorDict) -> Result<Engine, EngineError> {
        Ok(Engine::with(Nlp::new(), dict, Coder::builtin()?))
    }

    pub fn with(nlp: Nlp, dict: ActorDict, coder: Coder) -> Engine {
        let pipeline = format!("dyad {PIPELINE_VERSION} actors:{} verbs:{}", dict.fingerprint(), coder.fingerprint());
        Engine { nlp, dict, coder, pipeline }
    }

    pub fn nlp(&self) -> &Nlp {
        &self.nlp
    }
    pub fn dict(&self) -> &ActorDict {
        &self.dict
    }
    pub fn coder(&self) -> &Coder {
        &self.coder
    }

    /// Extracts and codes one raw document. `date` is used when the page carries none.
    pub fn process(
        &self,
        raw: &RawDocument,
        date: Option<NaiveDate>,
        t: &mut Timings,
    ) -> Result<CodedDocument, IngestError> {
        let t0 = Instant::now();
        let article = dyad_ingest::extract(raw)?;
        t.extract += t0.elapsed();
        Ok(self.code(article, date, t))
    }

    /// Codes one article. The article's own date wins over `date`.
    pub fn code(&self, article: Article, date: Option<NaiveDate>, t: &mut Timings) -> CodedDocument {
        let date = article.date.or(date);
        let t0 = Instant::now();
        let ann = self.nlp.annotate(&article);
        let t1 = Instant::now();
        let actors = self.actors(&article, &ann, date);
        let t2 = Instant::now();
        let mut events = self.coder.code(&article, &ann, &actors, date);
        let t3 = Instant::now();
        let mut quotes = dyad_attrib::quotes(&article, &ann, &actors);
        let entities = dyad_attrib::entities(&article, &ann, &actors);
        let tone = dyad_attrib::tone_of(&article, &ann, dyad_model::Span::new(0, article.body.len()));
        let sentence_tones: Vec<f32> = dyad_attrib::sentence_tones(&article, &ann).iter().map(|t| t.tone).collect();
        for e in &mut events {
            // Most evidence is the whole sentence, whose tone is already known.
            let whole = ann.sentences.get(e.sentence).is_some_and(|s| s.span == e.evidence);
            e.tone = Some(match sentence_tones.get(e.sentence) {
                Some(&t) if whole => t,
                _ => dyad_attrib::tone_of(&article, &ann, e.evidence).tone,
            });
        }
        for q in &mut quotes {
            q.tone = Some(dyad_attrib::tone_of(&article, &ann, q.content).tone);
        }
        let t4 = Instant::now();
        t.nlp += t1 - t0;
        t.actors += t2 - t1;
        t.events += t3 - t2;
        t.quotes += t4 - t3;
        CodedDocument {
            sentences: ann.sentences.iter().map(|s| s.span).collect(),
            sentence_tones,
            article,
            date,
            actors,
            events,
            quotes,
            entities,
            tone,
            notes: Vec::new(),
            pipeline: self.pipeline.clone(),
        }
    }
}

impl Engine {
    /// The actor mentions of an article: what the dictionaries resolve, plus the persons and
    /// organisations the entity recogniser finds that no dictionary entry covers, kept uncoded
    /// (empty code, `via: entity`) with their text so that they can still be speakers and be
    /// counted, never turned into event participants with a guessed code.
    pub fn actors(&self, article: &Article, ann: &AnnotatedDocument, date: Option<NaiveDate>) -> Vec<Actor> {
        let mut actors = self.dict.resolve(article, ann, date);
        keep_uncoded_entities(&mut actors, article, ann);
        actors
    }

    /// `dyad explain`: per sentence the parse, the actors, each candidate verb or event noun with
    /// the patterns tried, and why each event was or was not coded.
    pub fn explain(&self, article: &Article, date: Option<NaiveDate>) -> String {
        let date = article.date.or(date);
        let ann = self.nlp.annotate(article);
        let actors = self.actors(article, &ann, date);
        self.coder.explain(article, &ann, &actors, date)
    }
}

/// Adds NER persons and organisations that overlap no resolved actor as uncoded actors, in
/// document order.
fn keep_uncoded_entities(actors: &mut Vec<Actor>, article: &Article, ann: &AnnotatedDocument) {
    let mut added = false;
    for e in &ann.entities {
        if !matches!(e.label, EntityLabel::PER | EntityLabel::ORG) || actors.iter().any(|a| a.span.overlaps(e.span)) {
            continue;
        }
        let Some(text) = article.body.get(e.span.start..e.span.end) else { continue };
        actors.push(Actor {
            code: String::new(),
            country: None,
            role: None,
            name: Some(text.to_string()),
            text: text.to_string(),
            span: e.span,
            sentence: e.sentence,
            tokens: e.tokens,
            via: ActorVia::Entity,
            entry: None,
        });
        added = true;
    }
    if added {
        actors.sort_by_key(|a| (a.span.start, a.span.end));
    }
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub documents: u64,
    pub already_stored: u64,
    pub failed: u64,
    pub sentences: u64,
    pub tokens: u64,
    pub events: u64,
    pub quotes: u64,
    pub actors: u64,
    pub timings: Timings,
    pub wall: Duration,
}
