//! The OpenAPI 3 document, written by hand. A test checks that its paths and methods are
//! exactly [`crate::routes`].

use crate::error::ErrorCode;
use serde_json::{json, Value};

fn q(name: &str, desc: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": false, "description": desc, "schema": schema })
}

fn req(name: &str, desc: &str, schema: Value) -> Value {
    json!({ "name": name, "in": "query", "required": true, "description": desc, "schema": schema })
}

fn id_param(what: &str) -> Value {
    json!({ "name": "id", "in": "path", "required": true, "description": format!("{what} id: 16 hexadecimal digits"),
            "schema": { "type": "string", "pattern": "^[0-9a-f]{16}$" } })
}

fn s() -> Value {
    json!({ "type": "string" })
}
fn date() -> Value {
    json!({ "type": "string", "format": "date" })
}
fn int(lo: u64, hi: u64, default: u64) -> Value {
    json!({ "type": "integer", "minimum": lo, "maximum": hi, "default": default })
}
fn list(desc: &str) -> Value {
    json!({ "type": "string", "description": format!("{desc}; comma-separated or repeated, at most {} values", crate::params::MAX_LIST) })
}

fn ok(desc: &str, schema: Value) -> Value {
    json!({ "description": desc, "content": { "application/json": { "schema": schema } } })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn errors(codes: &[u16]) -> Value {
    let mut m = serde_json::Map::new();
    for c in codes {
        m.insert(c.to_string(), json!({ "$ref": "#/components/responses/Error" }));
    }
    Value::Object(m)
}

fn get(summary: &str, tag: &str, params: Vec<Value>, response: Value, errs: &[u16]) -> Value {
    let mut responses = errors(errs);
    responses["200"] = response;
    json!({ "get": { "summary": summary, "tags": [tag], "parameters": params, "responses": responses } })
}

fn page(mime: &str, desc: &str) -> Value {
    json!({ "get": { "summary": desc, "tags": ["dashboard"], "responses": {
        "200": { "description": desc, "content": { mime: { "schema": { "type": "string" } } } } } } })
}

/// The error table as Markdown (also in the document's description).
pub fn error_table() -> String {
    let mut t = String::from("| code | HTTP status | type | meaning |\n|---|---|---|---|\n");
    for c in ErrorCode::ALL {
        t.push_str(&format!("| `{}` | {} | `{}` | {} |\n", c.name(), c.status().as_u16(), c.kind(), c.meaning()));
    }
    t
}

pub fn document() -> Value {
    let actor_doc = "actor code: matches by code prefix (USA matches USAGOV) or by country";
    let mut paths = serde_json::Map::new();
    paths.insert("/".into(), page("text/html", "the dashboard"));
    paths.insert("/assets/app.js".into(), page("text/javascript", "the dashboard's script"));
    paths.insert("/assets/app.css".into(), page("text/css", "the dashboard's style sheet"));
    paths.insert(
        "/healthz".into(),
        get("liveness and store size", "meta", vec![], ok("the server can read the store", json!({
            "type": "object", "properties": { "status": s(), "documents": { "type": "integer" }, "schema": { "type": "integer" } } })), &[500]),
    );
    paths.insert(
        "/metrics".into(),
        json!({ "get": { "summary": "Prometheus metrics: dyad_http_requests_total, dyad_http_request_duration_seconds, dyad_documents_stored, dyad_documents_ingested_total",
            "tags": ["meta"], "responses": { "200": { "description": "text exposition format",
            "content": { "text/plain": { "schema": { "type": "string" } } } } } } }),
    );
    paths.insert(
        "/openapi.json".into(),
        get("this document", "meta", vec![], ok("OpenAPI 3.0 document", json!({ "type": "object" })), &[]),
    );
    paths.insert(
        "/api/events".into(),
        get(
            "events, newest first, a page at a time",
            "events",
            vec![
                q("actors", "one actor (source or target), or two (events between them)", list(actor_doc)),
                q("directed", "with two actors: only events from the first to the second", json!({ "type": "boolean", "default": false })),
                q("source", "source actor", s()),
                q("target", "target actor", s()),
                q("countries", "country of the source or the target (alpha-3)", list("country codes")),
                q("cameo", "CAMEO code prefixes (04 matches 040-046)", list("1-4 digits")),
                q("plover", "PLOVER event types", list("CONSULT, ACCUSE, ...")),
                q("quad", "quad classes: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict", list("1-4")),
                q("from", "first event date", date()),
                q("to", "last event date", date()),
                q("text", "words in an article reporting the event (all must occur; word* for a prefix)", s()),
                q("limit", "events per page", int(1, 500, 50)),
                q("cursor", "the `next` of the previous page", s()),
            ],
            ok("a page of events", reference("EventPage")),
            &[400, 500],
        ),
    );
    paths.insert(
        "/api/events/{id}".into(),
        json!({ "get": { "summary": "one event with every mention: source article, sentence, evidence span, rule",
            "tags": ["events"], "parameters": [id_param("event")],
            "responses": { "200": ok("the event and its evidence", json!({ "type": "object", "properties": {
                "event": reference("Event"), "evidence": { "type": "array", "items": reference("Mention") } } })),
                "400": { "$ref": "#/components/responses/Error" }, "404": { "$ref": "#/components/responses/Error" } } } }),
    );
    paths.insert(
        "/api/relations".into(),
        get(
            "events between two actors per period: counts by quad class, mean Goldstein, mean tone, top codes",
            "relations",
            vec![
                req("a", actor_doc, s()),
                req("b", actor_doc, s()),
                q("from", "first event date", date()),
                q("to", "last event date", date()),
                q("by", "period", json!({ "type": "string", "enum": ["day", "week", "month", "year"], "default": "week" })),
                q("directed", "only events from a to b", json!({ "type": "boolean", "default": false })),
                q("top", "top CAMEO codes per period", int(0, 20, 3)),
            ],
            ok("periods with events (empty periods are left out)", json!({ "type": "object", "properties": {
                "a": s(), "b": s(), "by": s(), "from": { "type": "string", "nullable": true }, "to": { "type": "string", "nullable": true },
                "directed": { "type": "boolean" }, "periods": { "type": "array", "items": reference("Period") } } })),
            &[400, 500],
        ),
    );
    paths.insert(
        "/api/quotes".into(),
        get(
            "quotations: by speaker, by actor named inside, by words",
            "quotes",
            vec![
                q("speaker", "speaker code prefix or part of the speaker's name", s()),
                q("mentions", "an actor named inside the quotation (code prefix)", s()),
                q("text", "words of the quotation (best matches first)", s()),
                q("from", "first document date", date()),
                q("to", "last document date", date()),
                q("limit", "quotations per page", int(1, 500, 50)),
                q("offset", "quotations to skip", int(0, 10000, 0)),
            ],
            ok(
                "a page of quotations",
                json!({ "type": "object", "properties": {
                "quotes": { "type": "array", "items": reference("StoredQuote") },
                "next_offset": { "type": "integer", "nullable": true } } }),
            ),
            &[400, 500],
        ),
    );
    paths.insert(
        "/api/speakers".into(),
        get(
            "speakers of quotations, most quoted first",
            "quotes",
            vec![q("name", "part of the code or name", s()), q("limit", "speakers", int(1, 1000, 100))],
            ok(
                "speakers",
                json!({ "type": "object", "properties": { "speakers": { "type": "array", "items": {
                "type": "object", "properties": { "code": { "type": "string", "nullable": true },
                "name": { "type": "string", "nullable": true }, "quotes": { "type": "integer" } } } } } }),
            ),
            &[400, 500],
        ),
    );
    paths.insert(
        "/api/actors".into(),
        get(
            "actor codes seen in articles, most mentioned first",
            "actors",
            vec![q("prefix", "code prefix", s()), q("limit", "actors", int(1, 1000, 100))],
            ok(
                "actors",
                json!({ "type": "object", "properties": { "actors": { "type": "array", "items": {
                "type": "object", "properties": { "code": s(), "country": { "type": "string", "nullable": true },
                "name": { "type": "string", "nullable": true }, "mentions": { "type": "integer" } } } } } }),
            ),
            &[400, 500],
        ),
    );
    paths.insert(
        "/api/search".into(),
        get(
            "full-text search over articles and quotations (FTS5, best matches first)",
            "search",
            vec![req("q", "words, all of which must occur; word* for a prefix", s()), q("limit", "results of each kind", int(1, 100, 20))],
            ok("documents and quotations", json!({ "type": "object", "properties": {
                "documents": { "type": "array", "items": { "type": "object", "properties": {
                    "id": s(), "title": { "type": "string", "nullable": true }, "url": { "type": "string", "nullable": true },
                    "source": s(), "date": { "type": "string", "nullable": true }, "snippet": s() } } },
                "quotes": { "type": "array", "items": reference("StoredQuote") } } })),
            &[400, 500],
        ),
    );
    paths.insert(
        "/api/documents/{id}".into(),
        json!({ "get": { "summary": "a stored document: body, sentences, and every coded event with the byte spans of its evidence, trigger and actors",
            "tags": ["documents"], "parameters": [id_param("document")],
            "responses": { "200": ok("the document", reference("DocumentView")),
                "400": { "$ref": "#/components/responses/Error" }, "404": { "$ref": "#/components/responses/Error" } } } }),
    );
    let record = json!({ "type": "object", "properties": { "url": s(), "title": s(), "date": date(), "html": s(), "text": s() },
        "description": "one of html or text" });
    paths.insert(
        "/api/documents".into(),
        json!({ "post": {
            "summary": "code documents and store them; a document already stored (same canonical URL, else same content) is not stored again",
            "tags": ["documents"],
            "security": [{ "bearer": [] }],
            "parameters": [
                q("url", "the page's URL (HTML or text bodies)", s()),
                q("title", "title (HTML or text bodies)", s()),
                q("date", "publication date when the page carries none (HTML or text bodies)", date()),
            ],
            "requestBody": { "required": true, "content": {
                "text/html": { "schema": { "type": "string" } },
                "text/plain": { "schema": { "type": "string" } },
                "application/json": { "schema": { "oneOf": [record.clone(), { "type": "array", "items": record.clone() },
                    { "type": "object", "properties": { "documents": { "type": "array", "items": record } } }] } } } },
            "responses": {
                "201": ok("at least one document was stored", reference("Ingested")),
                "200": ok("every document was stored already", reference("Ingested")),
                "400": { "$ref": "#/components/responses/Error" }, "401": { "$ref": "#/components/responses/Error" },
                "403": { "$ref": "#/components/responses/Error" }, "408": { "$ref": "#/components/responses/Error" },
                "413": { "$ref": "#/components/responses/Error" }, "415": { "$ref": "#/components/responses/Error" },
                "503": { "$ref": "#/components/responses/Error" } } } }),
    );
    let codes: Vec<Value> = ErrorCode::ALL
        .iter()
        .map(|c| json!({ "code": c.name(), "status": c.status().as_u16(), "type": c.kind(), "meaning": c.meaning() }))
        .collect();
    let names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.name()).collect();
    let nstr = json!({ "type": "string", "nullable": true });
    let span = json!({ "type": "array", "items": { "type": "integer" }, "minItems": 2, "maxItems": 2, "description": "[start, end) byte offsets in the body" });
    let actor_span =
        json!({ "type": "object", "properties": { "code": s(), "name": nstr, "text": s(), "span": span } });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "dyad",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!("Political event data from news: events, relations between actors, quotations, the documents behind them.\n\nEvery error answers `{{\"message\", \"code\", \"type\"}}`:\n\n{}", error_table()),
        },
        "x-error-codes": codes,
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "description": "the token of DYAD_TOKEN or --token-file" } },
            "responses": { "Error": { "description": "an error", "content": { "application/json": { "schema": reference("Error") } } } },
            "schemas": {
                "Error": { "type": "object", "required": ["message", "code", "type"], "properties": {
                    "message": s(), "code": { "type": "string", "enum": names },
                    "type": { "type": "string", "enum": ["invalid_request", "auth", "not_found", "server"] } } },
                "Event": { "type": "object", "properties": {
                    "id": s(), "date": nstr, "day": nstr, "source": s(), "source_country": nstr, "source_name": nstr,
                    "target": s(), "target_country": nstr, "target_name": nstr, "cameo": s(), "base": s(), "root": s(),
                    "quad_class": { "type": "integer" }, "goldstein": { "type": "number" }, "plover": nstr,
                    "plover_context": { "type": "array", "items": s() }, "num_mentions": { "type": "integer" },
                    "num_sources": { "type": "integer" }, "num_articles": { "type": "integer" },
                    "avg_tone": { "type": "number", "nullable": true }, "first_doc": s(), "source_url": s() } },
                "EventPage": { "type": "object", "properties": {
                    "events": { "type": "array", "items": reference("Event") }, "next": nstr } },
                "Mention": { "type": "object", "properties": {
                    "id": s(), "event": s(), "doc": s(), "url": nstr, "source": s(), "outlet": s(), "title": nstr,
                    "doc_date": nstr, "sentence_index": { "type": "integer" }, "sentence": s(),
                    "sentence_start": { "type": "integer" }, "sentence_end": { "type": "integer" },
                    "start": { "type": "integer" }, "end": { "type": "integer" }, "mode": s(),
                    "confidence": { "type": "number" }, "tone": { "type": "number", "nullable": true }, "rule": s(),
                    "report": { "type": "object" } } },
                "Period": { "type": "object", "properties": {
                    "period": s(), "events": { "type": "integer" },
                    "quad": { "type": "array", "items": { "type": "integer" }, "minItems": 4, "maxItems": 4 },
                    "mentions": { "type": "integer" }, "mean_goldstein": { "type": "number" },
                    "mean_tone": { "type": "number", "nullable": true },
                    "top_codes": { "type": "array", "items": { "type": "array", "items": {} } } } },
                "StoredQuote": { "type": "object", "properties": {
                    "doc": s(), "url": nstr, "doc_date": nstr, "mentions": { "type": "array", "items": s() },
                    "quote": { "type": "object" } } },
                "EventSpans": { "type": "object", "properties": {
                    "id": s(), "cameo": s(), "quad_class": { "type": "integer" }, "goldstein": { "type": "number" },
                    "plover": nstr, "date": nstr, "sentence": { "type": "integer" }, "source": actor_span,
                    "target": actor_span, "evidence": span, "trigger": span, "rule": s(),
                    "confidence": { "type": "number" }, "tone": { "type": "number", "nullable": true } } },
                "DocumentView": { "type": "object", "properties": {
                    "id": s(), "url": nstr, "source": s(), "title": nstr, "date": nstr, "outlet": nstr, "body": s(),
                    "sentences": { "type": "array", "items": span },
                    "events": { "type": "array", "items": reference("EventSpans") },
                    "quotes": { "type": "array", "items": { "type": "object" } },
                    "actors": { "type": "array", "items": actor_span } } },
                "Ingested": { "type": "object", "properties": { "documents": { "type": "array", "items": {
                    "type": "object", "properties": { "id": s(), "status": { "type": "string", "enum": ["stored", "already_stored"] },
                    "title": nstr, "url": nstr, "date": nstr, "events": { "type": "array", "items": reference("EventSpans") },
                    "quotes": { "type": "integer" } } } } } },
            }
        }
    })
}
