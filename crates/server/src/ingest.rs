//! `POST /api/documents`: code documents with the engine and store them.
//!
//! Bodies: `text/html` or `text/plain` (one document; `url`, `title`, `date` as query
//! parameters), or `application/json`: one record `{"url"?, "title"?, "date"?, "html" | "text"}`,
//! an array of them, or `{"documents": [...]}`. Every record is checked and every document
//! extracted before anything is stored, and all are stored in one transaction: a rejected
//! request stores nothing. Documents already stored (same id: canonical URL, else content) are
//! not stored twice.

use crate::error::{ApiError, ErrorCode};
use crate::params::Params;
use crate::{json, with_status, Shared};
use axum::body::Body;
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use chrono::NaiveDate;
use dyad_model::{ContentType, RawDocument};
use dyad_store::Put;
use http_body_util::BodyExt;
use serde::Serialize;

/// Checks `Authorization: Bearer <token>`: 401 without one, 403 with a wrong one, 503 when the
/// server has no token (writes are off).
pub fn authorize(app: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(want) = app.cfg.token.as_deref() else {
        return Err(ApiError::new(
            ErrorCode::Unavailable,
            "writes are off: start the server with DYAD_TOKEN set or --token-file",
        ));
    };
    let Some(got) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::new(ErrorCode::Unauthorized, "missing header Authorization: Bearer <token>"));
    };
    let got = got.to_str().unwrap_or("");
    let Some(tok) = got.strip_prefix("Bearer ").or_else(|| got.strip_prefix("bearer ")) else {
        return Err(ApiError::new(ErrorCode::Unauthorized, "Authorization must be \"Bearer <token>\""));
    };
    if !constant_time_eq(tok.trim().as_bytes(), want.as_bytes()) {
        return Err(ApiError::new(ErrorCode::Forbidden, "wrong token"));
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Reads the whole body, refusing it (413) past `limit` and (408) past the body timeout.
async fn read_body(app: &Shared, headers: &HeaderMap, body: Body) -> Result<Vec<u8>, ApiError> {
    let limit = app.cfg.max_body;
    let too_large = || ApiError::new(ErrorCode::PayloadTooLarge, format!("body over the limit of {limit} bytes"));
    if let Some(n) =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok())
    {
        if n > limit as u64 {
            return Err(too_large());
        }
    }
    let limited = http_body_util::Limited::new(body, limit);
    match tokio::time::timeout(app.cfg.body_timeout, limited.collect()).await {
        Err(_) => Err(ApiError::new(ErrorCode::Timeout, "the body did not arrive in time")),
        Ok(Err(e)) => {
            if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() {
                Err(too_large())
            } else {
                Err(ApiError::new(ErrorCode::BadBody, format!("cannot read the body: {e}")))
            }
        }
        Ok(Ok(c)) => Ok(c.to_bytes().to_vec()),
    }
}

fn parse_date(at: &str, d: &str) -> Result<NaiveDate, ApiError> {
    dyad_ingest::dates::parse_any(d).ok_or_else(|| {
        ApiError::new(ErrorCode::BadBody, format!("{at}: date {d:?} is not a date; expected YYYY-MM-DD"))
    })
}

/// The documents a JSON body holds.
fn json_records(app: &Shared, bytes: &[u8]) -> Result<Vec<RawDocument>, ApiError> {
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(ErrorCode::BadBody, format!("invalid JSON at line {} column {}: {e}", e.line(), e.column()))
    })?;
    let (list, prefix) = match v {
        serde_json::Value::Array(a) => (a, "body"),
        serde_json::Value::Object(mut o) if o.contains_key("documents") => match o.remove("documents") {
            Some(serde_json::Value::Array(a)) => (a, "documents"),
            _ => return Err(ApiError::new(ErrorCode::BadBody, "\"documents\" must be an array of records")),
        },
        o @ serde_json::Value::Object(_) => (vec![o], "body"),
        _ => {
            return Err(ApiError::new(
                ErrorCode::BadBody,
                "expected a record {\"html\" | \"text\", \"url\"?, \"title\"?, \"date\"?}, an array of them, or {\"documents\": [...]}",
            ))
        }
    };
    if list.is_empty() {
        return Err(ApiError::new(ErrorCode::BadBody, "no documents in the body"));
    }
    if list.len() > app.cfg.max_batch {
        return Err(ApiError::new(
            ErrorCode::TooManyValues,
            format!("{} documents in one request; at most {}", list.len(), app.cfg.max_batch),
        ));
    }
    let mut out = Vec::with_capacity(list.len());
    for (i, r) in list.iter().enumerate() {
        let at = if prefix == "body" && list.len() == 1 && r.is_object() {
            "body".to_string()
        } else {
            format!("{prefix}[{i}]")
        };
        let bad = |m: String| ApiError::new(ErrorCode::BadBody, format!("{at}: {m}"));
        let Some(o) = r.as_object() else { return Err(bad("expected an object".into())) };
        for k in o.keys() {
            if !["url", "title", "date", "html", "text"].contains(&k.as_str()) {
                return Err(bad(format!("unknown field {k:?}; expected url, title, date, html or text")));
            }
        }
        let str_field = |k: &str| -> Result<Option<String>, ApiError> {
            match o.get(k) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(bad(format!("field {k:?} must be a string"))),
            }
        };
        let (bytes, ct) = match (str_field("html")?, str_field("text")?) {
            (Some(_), Some(_)) => return Err(bad("give \"html\" or \"text\", not both".into())),
            (Some(h), None) => (h.into_bytes(), ContentType::Html),
            (None, Some(t)) => (t.into_bytes(), ContentType::Text),
            (None, None) => return Err(bad("record has neither \"html\" nor \"text\"".into())),
        };
        let mut raw = RawDocument::new(format!("POST /api/documents {at}"), ct, bytes);
        raw.url = str_field("url")?;
        raw.title_hint = str_field("title")?;
        if let Some(d) = str_field("date")? {
            raw.date_hint = Some(parse_date(&at, &d)?);
        }
        out.push(raw);
    }
    Ok(out)
}

#[derive(Serialize)]
struct Stored {
    id: dyad_model::DocId,
    /// `stored`, or `already_stored` when a document with this id was there before.
    status: &'static str,
    title: Option<String>,
    url: Option<String>,
    date: Option<String>,
    events: Vec<crate::api::EventSpans>,
    quotes: usize,
}

pub async fn post_documents(
    State(app): State<Shared>,
    RawQuery(raw): RawQuery,
    req: Request,
) -> Result<Response, ApiError> {
    authorize(&app, req.headers())?;
    let p = Params::parse(raw.as_deref(), &["url", "title", "date"])?;
    let headers = req.headers().clone();
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    let kind = match ctype.as_str() {
        "text/html" | "application/xhtml+xml" => Some(ContentType::Html),
        "text/plain" => Some(ContentType::Text),
        "application/json" => None,
        "" => {
            return Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "no Content-Type: send text/html, text/plain or application/json",
            ))
        }
        o => {
            return Err(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                format!("Content-Type {o:?}: expected text/html, text/plain or application/json"),
            ))
        }
    };
    let bytes = read_body(&app, &headers, req.into_body()).await?;
    let docs = match kind {
        None => {
            if p.get("url")?.is_some() || p.get("title")?.is_some() || p.get("date")?.is_some() {
                return Err(ApiError::bad_query("url, title and date go inside the JSON records"));
            }
            json_records(&app, &bytes)?
        }
        Some(ct) => {
            if bytes.is_empty() {
                return Err(ApiError::new(ErrorCode::BadBody, "empty body"));
            }
            let mut raw = RawDocument::new("POST /api/documents body", ct, bytes);
            raw.url = p.string("url")?;
            raw.title_hint = p.string("title")?;
            if let Some(d) = p.get("date")? {
                raw.date_hint = Some(parse_date("date", d)?);
            }
            vec![raw]
        }
    };
    let app2 = app.clone();
    // Extract and code on a blocking thread; a document that cannot be read fails the request.
    let coded = tokio::task::spawn_blocking(move || -> Result<Vec<dyad_model::CodedDocument>, ApiError> {
        let engine = app2.engine()?;
        let mut out = Vec::with_capacity(docs.len());
        for raw in &docs {
            let mut t = dyad_engine::Timings::default();
            let doc = engine
                .process(raw, raw.date_hint, &mut t)
                .map_err(|e| ApiError::new(ErrorCode::BadBody, e.to_string()))?;
            out.push(doc);
        }
        Ok(out)
    })
    .await
    .map_err(|e| ApiError::internal(format!("coding failed: {e}")))??;
    let prepared = coded
        .iter()
        .map(dyad_store::prepare)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ApiError::internal(format!("cannot prepare for the store: {e}")))?;
    let puts = app.db.write(move |s| Ok(s.put_batch(&prepared)?)).await?;
    let stored = puts.iter().filter(|p| **p == Put::Stored).count();
    app.metrics.add_ingested(stored as u64);
    let out: Vec<Stored> = coded
        .into_iter()
        .zip(puts)
        .map(|(doc, put)| {
            let quotes = doc.quotes.len();
            let v = crate::api::DocumentView::of(doc);
            Stored {
                id: v.id,
                status: if put == Put::Stored { "stored" } else { "already_stored" },
                title: v.title,
                url: v.url,
                date: v.date,
                events: v.events,
                quotes,
            }
        })
        .collect();
    let status = if stored > 0 { StatusCode::CREATED } else { StatusCode::OK };
    Ok(with_status(status, json(&serde_json::json!({ "documents": out }))))
}
