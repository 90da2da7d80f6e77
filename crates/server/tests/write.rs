//! POST /api/documents: auth, limits, malformed bodies, idempotency; slow clients.

mod common;

use common::*;
use serde_json::json;
use std::io::{Read, Write};
use std::time::Duration;

fn auth() -> (&'static str, String) {
    ("Authorization", format!("Bearer {TOKEN}"))
}

fn post(s: &Server, path: &str, ctype: &str, body: &[u8], authz: Option<&str>) -> Resp {
    let mut h = vec![("Content-Type", ctype)];
    let bearer;
    if let Some(a) = authz {
        bearer = a.to_string();
        h.push(("Authorization", bearer.as_str()));
    }
    request(s.addr, "POST", path, &h, body)
}

fn counts(s: &Server) -> dyad_store::Counts {
    dyad_store::Store::open_read_only(&s.db).expect("store").counts().expect("counts")
}

fn digest(s: &Server) -> String {
    dyad_store::Store::open_read_only(&s.db).expect("store").digest().expect("digest")
}

const TEXT: &str = "Chinese President Xi Jinping met Russian President Vladimir Putin in Moscow on Tuesday.\n\nThe two leaders discussed energy prices, officials said.";

#[test]
fn documents_are_coded_stored_once_and_readable() {
    let s = start(|_| {}, |_| {});
    let bearer = format!("Bearer {TOKEN}");
    // Asked twice before anything is stored: the cached answer must not outlive the write.
    for _ in 0..2 {
        let before = get(s.addr, "/api/relations?a=CHN&b=RUS").json();
        assert_eq!(before["periods"].as_array().map(|p| p.len()), Some(0));
        let actors = get(s.addr, "/api/actors?limit=200").json();
        assert_eq!(actors["actors"].as_array().map(|a| a.len()), Some(0), "{actors}");
    }
    let r = post(
        &s,
        "/api/documents?date=2025-03-04&url=https://news.example/a1",
        "text/plain",
        TEXT.as_bytes(),
        Some(&bearer),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.json();
    let d = &v["documents"][0];
    assert_eq!(d["status"], "stored");
    let events = d["events"].as_array().expect("events");
    assert!(!events.is_empty(), "{v}");
    assert!(events.iter().any(|e| e["source"]["code"].as_str().is_some_and(|c| c.starts_with("CHN"))), "{v}");
    let id = d["id"].as_str().expect("id").to_string();
    let after_first = counts(&s);
    assert_eq!(after_first.documents, 1);
    // The same document again: nothing new.
    let r = post(
        &s,
        "/api/documents?date=2025-03-04&url=https://news.example/a1",
        "text/plain",
        TEXT.as_bytes(),
        Some(&bearer),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["documents"][0]["status"], "already_stored");
    assert_eq!(r.json()["documents"][0]["id"], id.as_str());
    assert_eq!(counts(&s), after_first);
    // It reads back, and its events are listed.
    let doc = get(s.addr, &format!("/api/documents/{id}")).json();
    assert_eq!(doc["body"].as_str().map(|b| b.contains("Vladimir Putin")), Some(true));
    let ev = get(s.addr, "/api/events?actors=CHN,RUS").json();
    assert!(!ev["events"].as_array().expect("events").is_empty());
    let h = get(s.addr, "/healthz").json();
    assert_eq!(h["documents"], 1);
    let rel = get(s.addr, "/api/relations?a=CHN&b=RUS").json();
    let n: u64 = rel["periods"].as_array().expect("periods").iter().map(|p| p["events"].as_u64().expect("n")).sum();
    assert!(n >= 1, "{rel}");
    let again = get(s.addr, "/api/relations?a=CHN&b=RUS").json();
    assert_eq!(rel, again);
    // The actor list asked before the write is not served again: the new actors are in it.
    let actors = get(s.addr, "/api/actors?limit=200").json();
    let codes: Vec<&str> =
        actors["actors"].as_array().expect("actors").iter().filter_map(|a| a["code"].as_str()).collect();
    assert!(codes.iter().any(|c| c.starts_with("CHN")) && codes.iter().any(|c| c.starts_with("RUS")), "{actors}");
    let m = get(s.addr, "/metrics").text();
    let hits: u64 =
        m.lines().find_map(|l| l.strip_prefix("dyad_cache_hits_total ")).and_then(|n| n.parse().ok()).expect("hits");
    // The second relations and actor-list answers before the write, and the relations answer again.
    assert_eq!(hits, 3, "{m}");

    // HTML body.
    let html = format!(
        "<html><head><title>Talks</title></head><body><article><p>{}</p></article></body></html>",
        dyad_store::synth::news_text(3, 1).replace("\n\n", "</p><p>")
    );
    let r = post(&s, "/api/documents?date=2025-03-05", "text/html; charset=utf-8", html.as_bytes(), Some(&bearer));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(counts(&s).documents, 2);

    // A JSON batch: one new, one a repeat of the first (by URL), one repeated inside the batch.
    let batch = json!({ "documents": [
        { "text": dyad_store::synth::news_text(3, 2), "date": "2025-03-06" },
        { "text": TEXT, "url": "https://news.example/a1", "date": "2025-03-04" },
        { "text": dyad_store::synth::news_text(3, 2), "date": "2025-03-06" },
    ]});
    let r = post(&s, "/api/documents", "application/json", batch.to_string().as_bytes(), Some(&bearer));
    assert_eq!(r.status, 201, "{}", r.text());
    let st: Vec<&str> = r.json()["documents"]
        .as_array()
        .expect("docs")
        .iter()
        .map(|d| d["status"].as_str().expect("s").to_string())
        .map(|s| if s == "stored" { "stored" } else { "already_stored" })
        .collect();
    assert_eq!(st, ["stored", "already_stored", "already_stored"]);
    assert_eq!(counts(&s).documents, 3);
    // A bare array and a single record work too.
    let r = post(
        &s,
        "/api/documents",
        "application/json",
        json!([{ "text": dyad_store::synth::news_text(3, 4) }]).to_string().as_bytes(),
        Some(&bearer),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = post(
        &s,
        "/api/documents",
        "application/json",
        json!({ "text": dyad_store::synth::news_text(3, 5) }).to_string().as_bytes(),
        Some(&bearer),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(counts(&s).documents, 5);
    let m = get(s.addr, "/metrics").text();
    assert!(m.lines().any(|l| l == "dyad_documents_ingested_total 5"), "{m}");
}

#[test]
fn writes_need_the_right_token() {
    let s = start(|_| {}, |_| {});
    let r = post(&s, "/api/documents", "text/plain", TEXT.as_bytes(), None);
    assert_error(&r, 401, "unauthorized");
    let r = post(&s, "/api/documents", "text/plain", TEXT.as_bytes(), Some("Bearer wrong-token-000000"));
    assert_error(&r, 403, "forbidden");
    let r = post(&s, "/api/documents", "text/plain", TEXT.as_bytes(), Some("Basic dXNlcjpwYXNz"));
    assert_error(&r, 401, "unauthorized");
    // One character off.
    let mut near = TOKEN.to_string();
    near.pop();
    near.push('X');
    let r = post(&s, "/api/documents", "text/plain", TEXT.as_bytes(), Some(&format!("Bearer {near}")));
    assert_error(&r, 403, "forbidden");
    assert_eq!(counts(&s).documents, 0);
    let (k, v) = auth();
    let r = request(s.addr, "POST", "/api/documents", &[("Content-Type", "text/plain"), (k, &v)], TEXT.as_bytes());
    assert_eq!(r.status, 201);

    // Without a token configured, writes are off.
    let off = start(|_| {}, |c| c.token = None);
    let r = request(off.addr, "POST", "/api/documents", &[("Content-Type", "text/plain"), (k, &v)], TEXT.as_bytes());
    assert_error(&r, 503, "unavailable");
    assert_eq!(counts(&off).documents, 0);
}

#[test]
fn bodies_over_the_limit_get_413_and_store_nothing() {
    let s = start(|_| {}, |c| c.max_body = 4096);
    let bearer = format!("Bearer {TOKEN}");
    let before = digest(&s);
    let big = "Xi Jinping met Vladimir Putin. ".repeat(300);
    assert!(big.len() > 4096);
    let r = post(&s, "/api/documents", "text/plain", big.as_bytes(), Some(&bearer));
    assert_error(&r, 413, "payload_too_large");
    // Chunked, with no Content-Length to refuse it early.
    let mut c = std::net::TcpStream::connect(s.addr).expect("connect");
    c.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    let head = format!(
        "POST /api/documents HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nAuthorization: {bearer}\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    c.write_all(head.as_bytes()).expect("head");
    for chunk in big.as_bytes().chunks(1000) {
        if c.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).is_err() {
            break;
        }
        let _ = c.write_all(chunk);
        let _ = c.write_all(b"\r\n");
    }
    let _ = c.write_all(b"0\r\n\r\n");
    let r = read_response(&mut c);
    assert_error(&r, 413, "payload_too_large");
    // A 1 GB upload announced: refused before it is read.
    let mut c = std::net::TcpStream::connect(s.addr).expect("connect");
    c.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    let head = format!(
        "POST /api/documents HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: text/plain\r\nAuthorization: {bearer}\r\nContent-Length: 1073741824\r\n\r\n"
    );
    c.write_all(head.as_bytes()).expect("head");
    c.write_all(&[b'a'; 8192]).expect("some body");
    let r = read_response(&mut c);
    assert_error(&r, 413, "payload_too_large");
    assert_eq!(digest(&s), before);
    // Under the limit is fine.
    let r = post(&s, "/api/documents", "text/plain", TEXT.as_bytes(), Some(&bearer));
    assert_eq!(r.status, 201, "{}", r.text());
}

#[test]
fn malformed_bodies_get_400_with_the_reason_and_store_nothing() {
    let s = start(|_| {}, |c| c.max_batch = 5);
    let bearer = format!("Bearer {TOKEN}");
    let before = digest(&s);
    let cases: &[(&str, &str, &str)] = &[
        ("application/json", "{\"text\": \"Xi met Putin.\"", "line 1"),
        ("application/json", "[1, 2]", "expected an object"),
        ("application/json", "{\"body\": \"Xi met Putin.\"}", "unknown field"),
        ("application/json", "{\"url\": \"https://x.example/\"}", "neither"),
        ("application/json", "{\"text\": \"Xi met Putin.\", \"html\": \"<p>x</p>\"}", "not both"),
        ("application/json", "{\"text\": 42}", "must be a string"),
        ("application/json", "{\"text\": \"Xi met Putin.\", \"date\": \"last week\"}", "not a date"),
        ("application/json", "[]", "no documents"),
        ("application/json", "{\"documents\": 3}", "array"),
        ("application/json", "\"just a string\"", "expected a record"),
        ("text/plain", "", "empty"),
        ("text/plain", "\u{0}\u{1}\u{2}\u{3}binary\u{0}\u{0}", "binary"),
    ];
    for (ct, body, reason) in cases {
        let r = post(&s, "/api/documents", ct, body.as_bytes(), Some(&bearer));
        let v = assert_error(&r, 400, "bad_body");
        let m = v["message"].as_str().expect("message").to_lowercase();
        assert!(m.contains(reason), "{body:?}: {m:?} should say {reason:?}");
    }
    // A batch with one bad record stores none of the good ones.
    let batch = json!([{ "text": TEXT }, { "text": TEXT, "date": "2025-02-30" }]);
    let r = post(&s, "/api/documents", "application/json", batch.to_string().as_bytes(), Some(&bearer));
    let v = assert_error(&r, 400, "bad_body");
    assert!(v["message"].as_str().expect("m").contains("body[1]"), "{v}");
    let many: Vec<_> = (0..6).map(|k| json!({ "text": dyad_store::synth::news_text(1, k) })).collect();
    let r = post(
        &s,
        "/api/documents",
        "application/json",
        serde_json::to_vec(&many).expect("json").as_slice(),
        Some(&bearer),
    );
    assert_error(&r, 400, "too_many_values");
    let r = post(&s, "/api/documents", "application/pdf", b"%PDF-1.4", Some(&bearer));
    assert_error(&r, 415, "unsupported_media_type");
    let r = post(&s, "/api/documents?date=soon", "text/plain", TEXT.as_bytes(), Some(&bearer));
    assert_error(&r, 400, "bad_body");
    let r = post(&s, "/api/documents?colour=red", "text/plain", TEXT.as_bytes(), Some(&bearer));
    assert_error(&r, 400, "bad_query");
    assert_eq!(digest(&s), before, "a rejected request changed the store");
}

#[test]
fn a_slow_client_is_cut_off_and_others_are_served_meanwhile() {
    let s = start(|_| {}, |c| c.header_timeout = Duration::from_secs(1));
    let mut slow = std::net::TcpStream::connect(s.addr).expect("connect");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").expect("part of a head");
    // Others are served while it dawdles.
    for _ in 0..5 {
        assert_eq!(get(s.addr, "/healthz").status, 200);
    }
    // The server closes the slow connection (with or without a 408 first).
    slow.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let mut buf = Vec::new();
    let r = slow.read_to_end(&mut buf);
    assert!(r.is_ok(), "the server did not close a connection whose head never ended: {r:?}");
    let head = String::from_utf8_lossy(&buf);
    assert!(head.is_empty() || head.starts_with("HTTP/1.1 408"), "{head}");
    assert_eq!(get(s.addr, "/healthz").status, 200);
}
