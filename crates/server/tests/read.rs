//! The read endpoints against a store filled by coding real and synthetic articles. Filters are
//! checked against the same rule applied by hand to every event.

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

fn server() -> &'static Server {
    static S: OnceLock<Server> = OnceLock::new();
    S.get_or_init(|| {
        start(
            |db| {
                assert!(fill(db) >= 20);
            },
            |_| {},
        )
    })
}

/// Every event, by following the cursors with small pages.
fn all_events(query: &str) -> Vec<Value> {
    let s = server();
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..1000 {
        let mut path = format!("/api/events?limit=3&{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let r = get(s.addr, &path);
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        out.extend(v["events"].as_array().expect("events").iter().cloned());
        match v["next"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
    panic!("pages never ended");
}

fn matches_actor(e: &Value, side: &str, a: &str) -> bool {
    e[side].as_str().is_some_and(|c| c.starts_with(a)) || e[format!("{side}_country")].as_str() == Some(a)
}

#[test]
fn healthz_counts_the_documents() {
    let s = server();
    let v = get(s.addr, "/healthz").json();
    assert_eq!(v["status"], "ok");
    let stored = dyad_store::Store::open_read_only(&s.db).expect("store").counts().expect("counts");
    assert_eq!(v["documents"].as_u64(), Some(stored.documents));
}

#[test]
fn pages_cover_every_event_once_newest_first() {
    let s = server();
    let events = all_events("");
    let stored = dyad_store::Store::open_read_only(&s.db).expect("store").counts().expect("counts");
    assert!(stored.events >= 10, "{stored:?}");
    assert_eq!(events.len() as u64, stored.events);
    let ids: BTreeSet<&str> = events.iter().map(|e| e["id"].as_str().expect("id")).collect();
    assert_eq!(ids.len(), events.len(), "an event on two pages");
    let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap_or("")).collect();
    for w in dates.windows(2) {
        assert!(w[0] >= w[1] || w[1].is_empty(), "not newest first: {w:?}");
    }
    // One page of 500 holds the same events.
    let big = get(s.addr, "/api/events?limit=500").json();
    let big_ids: BTreeSet<&str> =
        big["events"].as_array().expect("events").iter().map(|e| e["id"].as_str().expect("id")).collect();
    assert_eq!(big_ids, ids);
}

#[test]
fn event_filters_agree_with_the_rule_applied_by_hand() {
    let every = all_events("");
    let check = |query: &str, keep: &dyn Fn(&Value) -> bool| {
        let got: BTreeSet<String> =
            all_events(query).iter().map(|e| e["id"].as_str().expect("id").to_string()).collect();
        let want: BTreeSet<String> =
            every.iter().filter(|e| keep(e)).map(|e| e["id"].as_str().expect("id").to_string()).collect();
        assert_eq!(got, want, "filter {query}");
        want.len()
    };
    let pair = check("actors=USA,CHN", &|e| {
        (matches_actor(e, "source", "USA") && matches_actor(e, "target", "CHN"))
            || (matches_actor(e, "source", "CHN") && matches_actor(e, "target", "USA"))
    });
    assert!(pair > 0, "the synthetic news have USA-CHN events");
    check("actors=USA,CHN&directed=true", &|e| matches_actor(e, "source", "USA") && matches_actor(e, "target", "CHN"));
    let one = check("actors=USA", &|e| matches_actor(e, "source", "USA") || matches_actor(e, "target", "USA"));
    assert!(one >= pair);
    check("source=CHN", &|e| matches_actor(e, "source", "CHN"));
    check("target=RUS", &|e| matches_actor(e, "target", "RUS"));
    check("countries=RUS,PRK", &|e| {
        ["source_country", "target_country"].iter().any(|k| matches!(e[*k].as_str(), Some("RUS" | "PRK")))
    });
    let q1 = check("quad=1", &|e| e["quad_class"] == 1);
    assert!(q1 > 0);
    check("quad=3,4", &|e| e["quad_class"] == 3 || e["quad_class"] == 4);
    check("cameo=04", &|e| e["cameo"].as_str().is_some_and(|c| c.starts_with("04")));
    check("cameo=04,11", &|e| e["cameo"].as_str().is_some_and(|c| c.starts_with("04") || c.starts_with("11")));
    let consult = check("plover=CONSULT", &|e| e["plover"] == "CONSULT");
    assert!(consult > 0);
    check("from=2025-01-20&to=2025-02-10", &|e| {
        e["date"].as_str().is_some_and(|d| ("2025-01-20".."2025-02-11").contains(&d))
    });
    check("actors=USA&quad=1&from=2025-01-01", &|e| {
        (matches_actor(e, "source", "USA") || matches_actor(e, "target", "USA"))
            && e["quad_class"] == 1
            && e["date"].as_str().is_some_and(|d| d >= "2025-01-01")
    });
}

#[test]
fn text_filter_finds_events_of_matching_articles() {
    let s = server();
    // A word of one synthetic item's first sentence: its events must come back.
    let text = dyad_store::synth::news_text(7, 3);
    let word = text.split_whitespace().nth(1).expect("word").trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    let v = get(s.addr, &format!("/api/events?text={word}&limit=500")).json();
    let found = v["events"].as_array().expect("events");
    assert!(!found.is_empty(), "no event for {word:?}");
    let none = get(s.addr, "/api/events?text=zzqxwv").json();
    assert_eq!(none["events"].as_array().map(|a| a.len()), Some(0));
}

#[test]
fn an_event_has_its_evidence_sentence_inside_its_article() {
    let s = server();
    let events = all_events("");
    for e in events.iter().take(10) {
        let id = e["id"].as_str().expect("id");
        let v = get(s.addr, &format!("/api/events/{id}")).json();
        assert_eq!(v["event"]["id"], id);
        let ev = v["evidence"].as_array().expect("evidence");
        assert!(!ev.is_empty());
        for m in ev {
            let doc = get(s.addr, &format!("/api/documents/{}", m["doc"].as_str().expect("doc"))).json();
            let body = doc["body"].as_str().expect("body");
            let (a, b) =
                (m["sentence_start"].as_u64().expect("s") as usize, m["sentence_end"].as_u64().expect("e") as usize);
            assert_eq!(&body[a..b], m["sentence"].as_str().expect("sentence"));
            // The report of this mention is in the document, with spans inside the body.
            let rep = doc["events"].as_array().expect("events").iter().find(|x| x["id"] == m["id"]).expect("report");
            for span in [&rep["evidence"], &rep["trigger"], &rep["source"]["span"]] {
                let (x, y) = (span[0].as_u64().expect("x") as usize, span[1].as_u64().expect("y") as usize);
                assert!(x <= y && y <= body.len() && body.is_char_boundary(x) && body.is_char_boundary(y));
            }
            let (tx, ty) =
                (rep["trigger"][0].as_u64().expect("t") as usize, rep["trigger"][1].as_u64().expect("t") as usize);
            assert!(tx >= a && ty <= b, "trigger outside the sentence");
        }
    }
    assert_error(&get(s.addr, "/api/events/00000000000000ff"), 404, "not_found");
    assert_error(&get(s.addr, "/api/events/nothex"), 400, "bad_query");
    assert_error(&get(s.addr, "/api/documents/00000000000000ff"), 404, "not_found");
    assert_error(&get(s.addr, "/api/documents/12"), 400, "bad_query");
}

#[test]
fn relations_sum_to_the_events_between_the_pair() {
    let s = server();
    let pair = all_events("actors=USA,CHN");
    let v = get(s.addr, "/api/relations?a=USA&b=CHN&by=week").json();
    let periods = v["periods"].as_array().expect("periods");
    let total: u64 = periods.iter().map(|p| p["events"].as_u64().expect("n")).sum();
    assert_eq!(total as usize, pair.len());
    for p in periods {
        let quad: u64 = p["quad"].as_array().expect("quad").iter().map(|q| q.as_u64().expect("q")).sum();
        assert_eq!(quad, p["events"].as_u64().expect("n"));
        // Weeks are named by their Monday.
        let d = chrono::NaiveDate::parse_from_str(p["period"].as_str().expect("period"), "%Y-%m-%d").expect("date");
        assert_eq!(chrono::Datelike::weekday(&d), chrono::Weekday::Mon);
        let g = p["mean_goldstein"].as_f64().expect("g");
        assert!((-10.0..=10.0).contains(&g));
    }
    // Directed counts are a part of the whole.
    let d = get(s.addr, "/api/relations?a=USA&b=CHN&directed=true&by=month").json();
    let dt: u64 = d["periods"].as_array().expect("p").iter().map(|p| p["events"].as_u64().expect("n")).sum();
    assert!(dt <= total);
    assert_error(&get(s.addr, "/api/relations?a=USA"), 400, "bad_query");
    assert_error(&get(s.addr, "/api/relations?a=USA&b=CHN&by=fortnight"), 400, "bad_query");
    assert_error(&get(s.addr, "/api/relations?a=USA&b=CHN&from=2025-13-01"), 400, "bad_query");
}

#[test]
fn quotes_speakers_and_pages() {
    let s = server();
    let all = get(s.addr, "/api/quotes?limit=500").json();
    let quotes = all["quotes"].as_array().expect("quotes");
    assert!(quotes.len() >= 10);
    // Pages by offset give the same quotations in the same order.
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let v = get(s.addr, &format!("/api/quotes?limit=4&offset={offset}")).json();
        paged.extend(v["quotes"].as_array().expect("quotes").iter().map(|q| q["quote"]["id"].clone()));
        match v["next_offset"].as_u64() {
            Some(n) => offset = n,
            None => break,
        }
    }
    assert_eq!(paged, quotes.iter().map(|q| q["quote"]["id"].clone()).collect::<Vec<_>>());
    let speakers = get(s.addr, "/api/speakers").json();
    let sp = speakers["speakers"].as_array().expect("speakers");
    let total: u64 = sp.iter().map(|x| x["quotes"].as_u64().expect("n")).sum();
    assert_eq!(total as usize, quotes.len());
    for w in sp.windows(2) {
        assert!(w[0]["quotes"].as_u64() >= w[1]["quotes"].as_u64());
    }
    // By speaker code: every quotation returned has that speaker.
    let code = sp.iter().find_map(|x| x["code"].as_str()).expect("a resolved speaker");
    let by = get(s.addr, &format!("/api/quotes?speaker={code}&limit=500")).json();
    let by = by["quotes"].as_array().expect("quotes");
    assert!(!by.is_empty());
    for q in by {
        let c = q["quote"]["speaker_code"].as_str().unwrap_or("");
        let n = q["quote"]["speaker_name"].as_str().unwrap_or("");
        let t = q["quote"]["speaker_text"].as_str().unwrap_or("");
        assert!(c.starts_with(code) || n.contains(code) || t.contains(code), "{q}");
    }
    // By words: every quotation holds them.
    let word = "ready";
    let w = get(s.addr, &format!("/api/quotes?text={word}")).json();
    let w = w["quotes"].as_array().expect("quotes");
    assert!(!w.is_empty());
    for q in w {
        assert!(q["quote"]["text"].as_str().expect("text").to_lowercase().contains(word), "{q}");
    }
    assert_error(&get(s.addr, "/api/quotes?offset=10001"), 400, "bad_query");
}

#[test]
fn actors_are_most_mentioned_first_and_filter_by_prefix() {
    let s = server();
    let v = get(s.addr, "/api/actors").json();
    let a = v["actors"].as_array().expect("actors");
    assert!(a.len() >= 3);
    for w in a.windows(2) {
        assert!(w[0]["mentions"].as_u64() >= w[1]["mentions"].as_u64());
    }
    let usa = get(s.addr, "/api/actors?prefix=usa").json();
    let usa = usa["actors"].as_array().expect("actors");
    assert!(!usa.is_empty());
    assert!(usa.iter().all(|x| x["code"].as_str().is_some_and(|c| c.starts_with("USA"))));
    assert_error(&get(s.addr, "/api/actors?limit=0"), 400, "bad_query");
}

#[test]
fn search_finds_articles_and_quotations() {
    let s = server();
    let v = get(s.addr, "/api/search?q=officials").json();
    let docs = v["documents"].as_array().expect("documents");
    assert!(!docs.is_empty());
    for d in docs {
        let id = d["id"].as_str().expect("id");
        let doc = get(s.addr, &format!("/api/documents/{id}")).json();
        let hay =
            format!("{} {}", doc["title"].as_str().unwrap_or(""), doc["body"].as_str().expect("body")).to_lowercase();
        assert!(hay.contains("officials"));
    }
    let q = get(s.addr, "/api/search?q=ready").json();
    assert!(!q["quotes"].as_array().expect("quotes").is_empty());
    assert_error(&get(s.addr, "/api/search"), 400, "bad_query");
    assert_error(&get(s.addr, "/api/search?q=%22%22"), 400, "bad_query");
}

#[test]
fn bad_parameters_get_clear_400s_and_leave_the_store_alone() {
    let s = server();
    let before = dyad_store::Store::open_read_only(&s.db).expect("store").digest().expect("digest");
    assert_error(&get(s.addr, "/api/events?quad=5"), 400, "bad_query");
    assert_error(&get(s.addr, "/api/events?limit=501"), 400, "bad_query");
    assert_error(&get(s.addr, "/api/events?limit=-1"), 400, "bad_query");
    assert_error(&get(s.addr, "/api/events?from=yesterday"), 400, "bad_query");
    assert_error(&get(s.addr, "/api/events?cursor=garbage"), 400, "bad_query");
    assert_error(&get(s.addr, "/api/events?cameo=abc"), 400, "bad_query");
    assert_error(&get(s.addr, "/api/events?actors=A,B,C"), 400, "bad_query");
    assert_error(&get(s.addr, "/api/events?limit=1&limit=2"), 400, "bad_query");
    let v = assert_error(&get(s.addr, "/api/events?colour=red"), 400, "bad_query");
    assert!(v["message"].as_str().expect("m").contains("colour"));
    // SQL-looking strings are values, never SQL.
    let r = get(s.addr, "/api/events?actors=USA%27%3B%20DROP%20TABLE%20events%3B--");
    assert_error(&r, 400, "bad_query");
    let r = get(s.addr, "/api/events?text=%27%29%20OR%201%3D1%20--");
    assert_eq!(r.status, 200, "{}", r.text());
    let r = get(s.addr, "/api/quotes?speaker=%25%27%20OR%20%271%27%3D%271");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["quotes"].as_array().map(|a| a.len()), Some(0));
    // 10,000 values in one list.
    let many: Vec<String> = (0..10_000).map(|i| format!("A{i}")).collect();
    let r = get(s.addr, &format!("/api/events?countries={}", many.join(",")));
    assert!(r.status == 400, "{}", r.status);
    let code = r.json()["code"].as_str().expect("code").to_string();
    assert!(code == "too_many_values", "{code}");
    let after = dyad_store::Store::open_read_only(&s.db).expect("store").digest().expect("digest");
    assert_eq!(before, after);
}

#[test]
fn unknown_routes_and_methods_answer_in_the_error_shape() {
    let s = server();
    assert_error(&get(s.addr, "/api/nothing"), 404, "not_found");
    assert_error(&request(s.addr, "DELETE", "/api/events", &[], b""), 405, "method_not_allowed");
}

#[test]
fn metrics_count_requests_and_documents() {
    let s = server();
    let _ = get(s.addr, "/healthz");
    let m = get(s.addr, "/metrics");
    assert_eq!(m.status, 200);
    assert!(m.header("content-type").is_some_and(|c| c.starts_with("text/plain")));
    let t = m.text();
    let docs = dyad_store::Store::open_read_only(&s.db).expect("store").counts().expect("counts").documents;
    assert!(t.lines().any(|l| l == format!("dyad_documents_stored {docs}")), "{t}");
    let n: u64 = t
        .lines()
        .find(|l| l.starts_with("dyad_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"}"))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("healthz counter");
    assert!(n >= 1);
    assert!(t.contains("dyad_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}"));
}

#[test]
fn openapi_lists_exactly_the_routes() {
    let s = server();
    let doc = get(s.addr, "/openapi.json").json();
    assert_eq!(doc["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    let mut in_doc = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in item.as_object().expect("item").keys() {
            in_doc.insert((m.to_uppercase(), path.clone()));
        }
    }
    let in_router: BTreeSet<(String, String)> =
        dyad_server::routes().into_iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
    assert_eq!(in_doc, in_router);
    // And the router answers each of them (not the fallback's "no route").
    for (m, p) in &in_router {
        let path = p.replace("{id}", "0000000000000001");
        let r = request(s.addr, m, &path, &[], b"");
        let text = r.text();
        assert!(!(r.status == 404 && text.contains("no route")), "{m} {path}: {text}");
    }
    // Every error code of the table is documented.
    let codes: BTreeSet<&str> =
        doc["x-error-codes"].as_array().expect("codes").iter().map(|c| c["code"].as_str().expect("c")).collect();
    let table: BTreeSet<&str> = dyad_server::error::ErrorCode::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(codes, table);
    // Every $ref points at a component that exists.
    let text = serde_json::to_string(&doc).expect("json");
    for part in text.split("\"$ref\":\"#/components/").skip(1) {
        let r = &part[..part.find('"').expect("end")];
        let (kind, name) = r.split_once('/').expect("kind/name");
        assert!(doc["components"][kind][name].is_object(), "dangling $ref {r}");
    }
}

#[test]
fn dashboard_is_served_from_the_binary_with_no_other_origin() {
    let s = server();
    let page = get(s.addr, "/");
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").is_some_and(|c| c.starts_with("text/html")));
    let csp = page.header("content-security-policy").expect("csp");
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
    let html = page.text();
    assert!(html.contains("/assets/app.js") && html.contains("/assets/app.css"));
    for asset in ["/assets/app.js", "/assets/app.css"] {
        let r = get(s.addr, asset);
        assert_eq!(r.status, 200);
        // The SVG namespace is a name, not a place anything is fetched from.
        let t = r.text().replace("http://www.w3.org/2000/svg", "");
        assert!(t.len() > 500, "{asset} is a stub");
        assert!(!t.contains("http://") && !t.contains("https://"), "{asset} refers to another origin");
    }
    assert!(!html.contains("https://") && !html.contains("http://"));
}
