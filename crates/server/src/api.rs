//! The read endpoints.

use crate::error::ApiError;
use crate::params::Params;
use crate::{json, Shared};
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use dyad_model::{CodedDocument, DocId, EventId, Span};
use dyad_store::{Cursor, EventQuery, Period, QuoteFilter, Relations};
use serde::Serialize;
use std::sync::atomic::Ordering::Relaxed;

type Answer = Result<Response, ApiError>;

pub async fn healthz(State(app): State<Shared>) -> Answer {
    let (docs, schema) = app.db.read(|s| Ok((s.document_count()?, s.schema_version()?))).await?;
    Ok(json(&serde_json::json!({ "status": "ok", "documents": docs, "schema": schema })))
}

pub async fn metrics(State(app): State<Shared>) -> Answer {
    let docs = app.db.read(|s| Ok(s.document_count()?)).await.ok();
    let mut text = app.metrics.render(docs);
    let (hits, misses) = (app.cache.hits.load(Relaxed), app.cache.misses.load(Relaxed));
    text.push_str(
        "# HELP dyad_cache_hits_total Relations and actor-list answers served from the cache.\n# TYPE dyad_cache_hits_total counter\n",
    );
    text.push_str(&format!("dyad_cache_hits_total {hits}\n"));
    text.push_str(
        "# HELP dyad_cache_misses_total Relations and actor-list answers computed.\n# TYPE dyad_cache_misses_total counter\n",
    );
    text.push_str(&format!("dyad_cache_misses_total {misses}\n"));
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response())
}

pub async fn openapi() -> Response {
    json(&crate::openapi::document())
}

pub const EVENTS_PARAMS: &[&str] = &[
    "actors",
    "directed",
    "source",
    "target",
    "countries",
    "cameo",
    "plover",
    "quad",
    "from",
    "to",
    "text",
    "limit",
    "cursor",
];

pub async fn events(State(app): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let p = Params::parse(raw.as_deref(), EVENTS_PARAMS)?;
    let quad = p
        .list("quad")?
        .iter()
        .map(|q| match q.parse::<u8>() {
            Ok(n @ 1..=4) => Ok(n),
            _ => Err(ApiError::bad_query(format!("quad={q:?}: expected 1 to 4"))),
        })
        .collect::<Result<Vec<u8>, _>>()?;
    let after = match p.get("cursor")? {
        Some(c) => Some(
            Cursor::decode(c)
                .ok_or_else(|| ApiError::bad_query(format!("cursor={c:?}: not a cursor from a previous page")))?,
        ),
        None => None,
    };
    let actors = p.list("actors")?;
    if actors.len() > 2 {
        return Err(ApiError::bad_query(format!("actors: {} given; give one, or two for a pair", actors.len())));
    }
    let q = EventQuery {
        actors,
        directed: p.bool("directed")?,
        source: p.string("source")?,
        target: p.string("target")?,
        countries: p.list("countries")?,
        cameo: p.list("cameo")?,
        plover: p.list("plover")?,
        quad,
        from: p.date("from")?,
        to: p.date("to")?,
        text: p.string("text")?,
        after,
        limit: p.int("limit", 50, 1, 500)?,
    };
    let page = app.db.read(move |s| Ok(s.events_page(&q)?)).await?;
    Ok(json(&page))
}

fn parse_id<T: std::str::FromStr>(what: &str, s: &str) -> Result<T, ApiError> {
    if s.len() != 16 {
        return Err(ApiError::bad_query(format!("{what} id {s:?}: expected 16 hexadecimal digits")));
    }
    s.parse().map_err(|_| ApiError::bad_query(format!("{what} id {s:?}: expected 16 hexadecimal digits")))
}

pub async fn event(State(app): State<Shared>, Path(id): Path<String>) -> Answer {
    let id: EventId = parse_id("event", &id)?;
    let out = app
        .db
        .read(move |s| {
            let Some(e) = s.event(id)? else { return Ok(None) };
            Ok(Some((e, s.evidence(id)?)))
        })
        .await?;
    let Some((event, evidence)) = out else { return Err(ApiError::not_found(format!("no event {id}"))) };
    Ok(json(&serde_json::json!({ "event": event, "evidence": evidence })))
}

pub async fn relations(State(app): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let p = Params::parse(raw.as_deref(), &["a", "b", "from", "to", "by", "directed", "top"])?;
    let need = |n: &str| -> Result<String, ApiError> {
        p.string(n)?.ok_or_else(|| ApiError::bad_query(format!("parameter {n:?} is required (an actor code)")))
    };
    let by = match p.get("by")?.unwrap_or("week") {
        "day" => Period::Day,
        "week" => Period::Week,
        "month" => Period::Month,
        "year" => Period::Year,
        o => return Err(ApiError::bad_query(format!("by={o:?}: expected day, week, month or year"))),
    };
    let q = Relations {
        a: need("a")?,
        b: need("b")?,
        from: p.date("from")?,
        to: p.date("to")?,
        by,
        directed: p.bool("directed")?,
        top: p.int("top", 3, 0, 20)?,
    };
    let by_name = p.get("by")?.unwrap_or("week").to_string();
    let key = format!(
        "relations|{}|{}|{}|{}|{by_name}|{}|{}",
        q.a.trim().to_ascii_uppercase(),
        q.b.trim().to_ascii_uppercase(),
        q.from.as_deref().unwrap_or(""),
        q.to.as_deref().unwrap_or(""),
        q.directed,
        q.top
    );
    cached_json(&app, key, move |s| {
        let rows = s.relations(&q)?;
        encode(&RelationsAnswer {
            a: &q.a,
            b: &q.b,
            by: &by_name,
            directed: q.directed,
            from: &q.from,
            periods: Periods(&rows),
            to: &q.to,
        })
    })
    .await
}

/// A JSON answer kept per store generation under `key`: made by `make` on a miss and stored.
async fn cached_json(
    app: &Shared,
    key: String,
    make: impl FnOnce(&dyad_store::Store) -> Result<Vec<u8>, ApiError> + Send + 'static,
) -> Answer {
    let app2 = app.clone();
    let body = app
        .db
        .read(move |s| {
            let generation = s.generation()?;
            if let Some(hit) = app2.cache.get(&key, generation) {
                return Ok(hit);
            }
            let bytes = std::sync::Arc::new(make(s)?);
            app2.cache.put(key, generation, bytes.clone());
            Ok(bytes)
        })
        .await?;
    // Uncached, this request holds the only reference: the bytes are moved, not copied.
    let body = std::sync::Arc::try_unwrap(body).unwrap_or_else(|shared| shared.as_ref().clone());
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

fn encode(v: &impl Serialize) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(v).map_err(|e| ApiError::internal(format!("cannot encode the answer: {e}")))
}

/// The relations answer, encoded straight from the rows (no `serde_json::Value` in between),
/// keys in alphabetical order as the `json!` map gave them before.
#[derive(Serialize)]
struct RelationsAnswer<'a> {
    a: &'a str,
    b: &'a str,
    by: &'a str,
    directed: bool,
    from: &'a Option<String>,
    periods: Periods<'a>,
    to: &'a Option<String>,
}

struct Periods<'a>(&'a [dyad_store::PeriodRow]);

impl Serialize for Periods<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeSeq, SerializeStruct};
        struct Row<'a>(&'a dyad_store::PeriodRow);
        impl Serialize for Row<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let r = self.0;
                let mut m = s.serialize_struct("PeriodRow", 7)?;
                m.serialize_field("events", &r.events)?;
                m.serialize_field("mean_goldstein", &r.mean_goldstein)?;
                m.serialize_field("mean_tone", &r.mean_tone)?;
                m.serialize_field("mentions", &r.mentions)?;
                m.serialize_field("period", &r.period)?;
                m.serialize_field("quad", &r.quad)?;
                m.serialize_field("top_codes", &r.top_codes)?;
                m.end()
            }
        }
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for r in self.0 {
            seq.serialize_element(&Row(r))?;
        }
        seq.end()
    }
}

pub async fn quotes(State(app): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let p = Params::parse(raw.as_deref(), &["speaker", "mentions", "text", "from", "to", "limit", "offset"])?;
    let limit = p.int("limit", 50, 1, 500)?;
    let offset = p.int("offset", 0, 0, 10_000)?;
    let f = QuoteFilter {
        speaker: p.string("speaker")?,
        mentions: p.string("mentions")?,
        text: p.string("text")?,
        from: p.date("from")?,
        to: p.date("to")?,
        limit: Some(offset + limit + 1),
    };
    let mut all = app.db.read(move |s| Ok(s.quotes_where(&f)?)).await?;
    let more = all.len() > offset + limit;
    let page: Vec<_> = all.drain(..).skip(offset).take(limit).collect();
    let next = more.then_some(offset + limit);
    Ok(json(&serde_json::json!({ "quotes": page, "next_offset": next })))
}

pub async fn speakers(State(app): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let p = Params::parse(raw.as_deref(), &["name", "limit"])?;
    let limit = p.int("limit", 100, 1, 1000)?;
    let name = p.string("name")?;
    let rows = app.db.read(move |s| Ok(s.speakers(name.as_deref(), limit)?)).await?;
    Ok(json(&serde_json::json!({ "speakers": rows })))
}

pub async fn actors(State(app): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let p = Params::parse(raw.as_deref(), &["prefix", "limit"])?;
    let limit = p.int("limit", 100, 1, 1000)?;
    let prefix = p.string("prefix")?;
    // Counting every actor mention is slow on a big store (seconds on a million events), and
    // the answer is small: kept per store generation, like the relations answers.
    let key = format!("actors|{}|{limit}", prefix.as_deref().unwrap_or("").trim().to_ascii_uppercase());
    cached_json(&app, key, move |s| encode(&serde_json::json!({ "actors": s.actor_counts(prefix.as_deref(), limit)? })))
        .await
}

pub async fn search(State(app): State<Shared>, RawQuery(raw): RawQuery) -> Answer {
    let p = Params::parse(raw.as_deref(), &["q", "limit"])?;
    let q = p.string("q")?.ok_or_else(|| ApiError::bad_query("parameter \"q\" is required (words to find)"))?;
    let limit = p.int("limit", 20, 1, 100)?;
    let (docs, quotes) = app
        .db
        .read(move |s| {
            let d = s.search_documents(&q, Some(limit))?;
            let f = QuoteFilter { text: Some(q), limit: Some(limit), ..Default::default() };
            Ok((d, s.quotes_where(&f)?))
        })
        .await?;
    Ok(json(&serde_json::json!({ "documents": docs, "quotes": quotes })))
}

/// A document as the dashboard shows it: body, sentences, and every coded event with the byte
/// spans of its evidence, trigger and actors.
#[derive(Serialize)]
pub struct DocumentView {
    pub id: DocId,
    pub url: Option<String>,
    pub source: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub outlet: Option<String>,
    pub body: String,
    pub sentences: Vec<[usize; 2]>,
    pub events: Vec<EventSpans>,
    pub quotes: Vec<dyad_model::Quote>,
    pub actors: Vec<ActorSpan>,
}

#[derive(Serialize)]
pub struct EventSpans {
    /// The id of this report (a mention in the store).
    pub id: EventId,
    pub cameo: String,
    pub quad_class: u8,
    pub goldstein: f32,
    pub plover: Option<String>,
    pub date: Option<String>,
    pub sentence: usize,
    pub source: ActorSpan,
    pub target: Option<ActorSpan>,
    pub evidence: [usize; 2],
    pub trigger: [usize; 2],
    pub rule: String,
    pub confidence: f32,
    pub tone: Option<f32>,
}

#[derive(Serialize)]
pub struct ActorSpan {
    pub code: String,
    pub name: Option<String>,
    pub text: String,
    pub span: [usize; 2],
}

fn sp(s: Span) -> [usize; 2] {
    [s.start, s.end]
}

impl DocumentView {
    pub fn of(doc: CodedDocument) -> DocumentView {
        let a = doc.article;
        let actor = |e: &dyad_model::EventActor| ActorSpan {
            code: e.code.clone(),
            name: e.name.clone(),
            text: e.text.clone(),
            span: sp(e.span),
        };
        DocumentView {
            id: a.id,
            url: a.url,
            source: a.source,
            title: a.title,
            date: a.date.or(doc.date).map(|d| d.to_string()),
            outlet: a.outlet,
            body: a.body,
            sentences: doc.sentences.iter().map(|s| sp(*s)).collect(),
            events: doc
                .events
                .iter()
                .map(|e| EventSpans {
                    id: e.id,
                    cameo: e.cameo.clone(),
                    quad_class: e.quad_class as u8,
                    goldstein: e.goldstein,
                    plover: e.plover.clone(),
                    date: e.date.map(|d| d.to_string()),
                    sentence: e.sentence,
                    source: actor(&e.source),
                    target: e.target.as_ref().map(actor),
                    evidence: sp(e.evidence),
                    trigger: sp(e.trigger),
                    rule: e.rule.clone(),
                    confidence: e.confidence,
                    tone: e.tone,
                })
                .collect(),
            quotes: doc.quotes,
            actors: doc
                .actors
                .iter()
                .map(|x| ActorSpan {
                    code: x.code.clone(),
                    name: x.name.clone(),
                    text: x.text.clone(),
                    span: sp(x.span),
                })
                .collect(),
        }
    }
}

pub async fn document(State(app): State<Shared>, Path(id): Path<String>) -> Answer {
    let id: DocId = parse_id("document", &id)?;
    let doc = app.db.read(move |s| Ok(s.document(id)?)).await?;
    let Some(doc) = doc else { return Err(ApiError::not_found(format!("no document {id}"))) };
    Ok(json(&DocumentView::of(doc)))
}
