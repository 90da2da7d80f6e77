use super::*;
use crate::export::ExportFormat;
use crate::query::{Period, Relations};
use crate::synth::Synth;
use chrono::NaiveDate;
use dyad_model::EventId;
use std::collections::HashMap;

fn small() -> Synth {
    Synth { documents: 200, events_per_doc: 4, days: 40, pool: 6, ..Synth::with_events(10) }
}

fn store_of(s: &Synth, order: impl Iterator<Item = usize>) -> Store {
    let mut st = Store::open_in_memory().unwrap();
    for k in order {
        st.put(&s.document(k)).unwrap();
    }
    st
}

#[test]
fn documents_read_back_exactly() {
    let s = small();
    let st = store_of(&s, 0..20);
    for k in 0..20 {
        let d = s.document(k);
        assert_eq!(st.document(d.article.id).unwrap().as_ref(), Some(&d), "document {k}");
    }
    st.check_fts().unwrap();
}

#[test]
fn rerun_adds_nothing_and_ids_are_deterministic() {
    let s = small();
    let mut a = store_of(&s, 0..s.documents);
    let before = a.digest().unwrap();
    for k in 0..s.documents {
        assert_eq!(a.put(&s.document(k)).unwrap(), Put::AlreadyStored);
    }
    assert_eq!(a.digest().unwrap(), before);
    let b = store_of(&s, 0..s.documents);
    assert_eq!(b.digest().unwrap(), before);
    let c = a.counts().unwrap();
    assert_eq!(c.documents, 200);
    assert_eq!(c.mentions, 800);
    assert!(c.events < c.mentions, "mentions should roll up: {c:?}");
}

fn doc_with(url: &str, outlet: Option<&str>, date: &str, reports: usize) -> dyad_model::CodedDocument {
    let mut d = Synth { documents: 1, events_per_doc: 1, pool: 1, ..Synth::with_events(1) }.document(0);
    d.article.id = DocId::from_url(url);
    d.article.url = Some(url.to_string());
    d.article.outlet = outlet.map(str::to_string);
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
    d.article.date = Some(date);
    d.date = Some(date);
    let mut e = d.events[0].clone();
    e.date = Some(date);
    d.events.clear();
    for i in 0..reports {
        let mut e = e.clone();
        e.id = EventId::derive(d.article.id, i, "X", "Y", "040", (i, i));
        e.tone = Some(i as f32);
        d.events.push(e);
    }
    for q in &mut d.quotes {
        q.id = dyad_model::QuoteId::derive(d.article.id, (q.content.start, q.content.end));
    }
    d
}

#[test]
fn mentions_roll_up_with_gdelt_counters() {
    let mut st = Store::open_in_memory().unwrap();
    st.put(&doc_with("https://a.example/1", None, "2024-05-01", 2)).unwrap();
    st.put(&doc_with("https://www.a.example/2", None, "2024-05-01", 1)).unwrap();
    st.put(&doc_with("https://b.example/1", Some("b.example"), "2024-05-01", 1)).unwrap();
    // Another day, not the same story (bodies are short): another event.
    st.put(&doc_with("https://c.example/1", None, "2024-05-02", 1)).unwrap();
    let evs = st.events(&EventFilter::default()).unwrap();
    assert_eq!(evs.len(), 2, "{evs:?}");
    let first = evs.iter().find(|e| e.day.as_deref() == Some("2024-05-01")).unwrap();
    assert_eq!((first.num_mentions, first.num_articles, first.num_sources), (4, 3, 2));
    assert_eq!(first.avg_tone, Some(0.25));
    let ms = st.evidence(first.id).unwrap();
    assert_eq!(ms.len(), 4);
    assert!(ms.iter().all(|m| m.sentence.contains(m.report.source.text.as_str())));
    assert_eq!(ms[0].url.as_deref(), Some("https://a.example/1"));
    let other = evs.iter().find(|e| e.day.as_deref() == Some("2024-05-02")).unwrap();
    assert_eq!((other.num_mentions, other.num_articles, other.num_sources), (1, 1, 1));
}

#[test]
fn near_duplicates_share_a_story_and_roll_up_across_days() {
    let long = " The talks covered trade, security and the climate at length.".repeat(5);
    let mut d1 = doc_with("https://a.example/x", None, "2024-05-01", 1);
    let mut d2 = doc_with("https://b.example/y", None, "2024-05-03", 1);
    // Same event date in both reports; the second article is two days later.
    d2.events[0].date = d1.events[0].date;
    for d in [&mut d1, &mut d2] {
        d.article.body.push_str(&long);
    }
    d1.article.fingerprint = 0xdead_beef_0000_ffff;
    d2.article.fingerprint = 0xdead_beef_0000_ffff ^ 0b101; // 2 bits apart
    let mut st = Store::open_in_memory().unwrap();
    st.put(&d1).unwrap();
    st.put(&d2).unwrap();
    assert_eq!(st.counts().unwrap().stories, 1);
    let evs = st.events(&EventFilter::default()).unwrap();
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].num_articles, 2);
    assert_eq!(evs[0].day.as_deref(), Some("2024-05-01"));
    // Far apart fingerprints make separate stories.
    let mut d3 = doc_with("https://c.example/z", None, "2024-05-03", 1);
    d3.article.body.push_str(&long);
    d3.article.fingerprint = !0xdead_beef_0000_ffff;
    st.put(&d3).unwrap();
    assert_eq!(st.counts().unwrap().stories, 2);
}

fn side_matches(arg: &str, code: &str, country: &Option<String>) -> bool {
    code.starts_with(arg) || country.as_deref() == Some(arg)
}

/// What a scan of every stored event says a relations series must be: per period the event
/// count, quad classes, Goldstein sum, mentions, the sum and count of per-event mean tones, and
/// the event count per CAMEO code.
type Want = std::collections::BTreeMap<String, (u64, [u64; 4], f64, u64, f64, u64, HashMap<String, u64>)>;

fn scan_relations(st: &Store, rel: &Relations) -> Want {
    let all = st.events(&EventFilter::default()).unwrap();
    let from = rel.from.clone().unwrap_or_else(|| "0000-00-00".into());
    let to = rel.to.clone().unwrap_or_else(|| "9999-99-99".into());
    let (a, b) = (rel.a.as_str(), rel.b.as_str());
    let mut want = Want::new();
    for e in &all {
        let Some(d) = e.date.as_deref() else { continue };
        if !(from.as_str()..=to.as_str()).contains(&d) {
            continue;
        }
        let ab = side_matches(a, &e.source, &e.source_country) && side_matches(b, &e.target, &e.target_country);
        let ba = side_matches(b, &e.source, &e.source_country) && side_matches(a, &e.target, &e.target_country);
        if !(ab || (!rel.directed && ba)) {
            continue;
        }
        // A date that is not a day (changed underneath) is in no period.
        let Ok(date) = NaiveDate::parse_from_str(d, "%Y-%m-%d") else { continue };
        let w = want.entry(rel.by.key(date)).or_default();
        w.0 += 1;
        w.1[e.quad_class as usize - 1] += 1;
        w.2 += e.goldstein;
        w.3 += e.num_mentions;
        if let Some(t) = e.avg_tone {
            w.4 += t;
            w.5 += 1;
        }
        *w.6.entry(e.cameo.clone()).or_default() += 1;
    }
    want
}

/// Checks one series against a scan of all events; returns how many periods it has.
fn check_relations(st: &Store, rel: &Relations, what: &str) -> usize {
    let want = scan_relations(st, rel);
    let rows = st.relations(rel).unwrap();
    let (a, b) = (&rel.a, &rel.b);
    let what = format!("{what} {:?}..{:?} {:?} directed={}", rel.from, rel.to, rel.by, rel.directed);
    assert_eq!(rows.len(), want.len(), "{what} {a} {b}");
    for r in &rows {
        let w = &want[&r.period];
        assert_eq!((r.events, r.quad, r.mentions), (w.0, w.1, w.3), "{what} {a} {b} {}", r.period);
        assert!((r.mean_goldstein - w.2 / w.0 as f64).abs() < 1e-9, "{what} {a} {b} {}", r.period);
        match r.mean_tone {
            Some(t) => assert!(w.5 > 0 && (t - w.4 / w.5 as f64).abs() < 1e-9, "{what} tone {}", r.period),
            None => assert_eq!(w.5, 0, "{what} tone {}", r.period),
        }
        assert!(r.top_codes.len() <= rel.top && r.top_codes.len() <= w.6.len());
        let mut counts: Vec<u64> = w.6.values().copied().collect();
        counts.sort_unstable_by(|x, y| y.cmp(x));
        for (i, (code, n)) in r.top_codes.iter().enumerate() {
            assert_eq!(w.6.get(code), Some(n), "{what} {a} {b} {} code {code}", r.period);
            assert_eq!(*n, counts[i], "{what} {a} {b} {}: top codes in order", r.period);
        }
    }
    rows.len()
}

/// Date ranges for [`relations_cases`]: the first is aligned with weeks and months, the
/// others cut weeks (the pre-aggregate then reads the cut days from the events), fall inside
/// one bucket, or are open on one side.
const RANGES: &[(Option<&str>, Option<&str>)] = &[
    (Some("2015-03-01"), Some("2016-12-31")),
    (Some("2015-03-04"), Some("2016-11-17")),
    (Some("2015-06-29"), Some("2016-02-01")),
    (Some("2015-09-09"), Some("2015-09-13")),
    (None, Some("2016-02-03")),
    (Some("2016-01-07"), None),
];

/// Every case of [`relations_cases`] over every range of [`RANGES`], checked; each range and
/// each case must find events somewhere, so that no check is vacuous.
fn check_all_relations(st: &Store, what: &str) {
    let cases = relations_cases();
    let mut per_case = vec![0; cases.len()];
    for (from, to) in RANGES {
        let mut periods = 0;
        for (i, rel) in cases.iter().enumerate() {
            let rel = Relations { from: from.map(str::to_string), to: to.map(str::to_string), ..rel.clone() };
            let n = check_relations(st, &rel, what);
            periods += n;
            per_case[i] += n;
        }
        assert!(periods > 0, "{what} {from:?}..{to:?}: the synthetic data should hold events in this range");
    }
    for (rel, n) in cases.iter().zip(per_case) {
        assert!(n > 0, "{what} {} {}: the synthetic data should hold such events", rel.a, rel.b);
    }
}

fn relations_cases() -> Vec<Relations> {
    [
        ("USA", "PRK", false, Period::Month),
        ("USAGOV", "CHN", true, Period::Week),
        ("IGO", "RU", false, Period::Year),
        ("CHN", "USA", true, Period::Day),
        ("USA", "PRK", false, Period::Week),
        ("PRK", "USA", true, Period::Month),
        ("RU", "CHN", false, Period::Week),
        ("US", "P", false, Period::Week),
        ("USAGOV", "PRKGOV", false, Period::Month),
    ]
    .into_iter()
    .map(|(a, b, directed, by)| Relations {
        a: a.into(),
        b: b.into(),
        from: Some("2015-03-01".into()),
        to: Some("2016-12-31".into()),
        by,
        directed,
        top: 3,
    })
    .collect()
}

#[test]
fn relations_agree_with_a_scan_of_all_events() {
    let s = Synth { documents: 3000, events_per_doc: 3, days: 800, pool: 8, ..Synth::with_events(10) };
    let mut st = store_of(&s, 0..s.documents);
    // Some events are reported by several documents, so mention counts above one are checked too.
    let reported_again: i64 =
        st.conn.query_row("SELECT COUNT(*) FROM events WHERE num_mentions > 1", [], |r| r.get(0)).unwrap();
    assert!(reported_again > 0);
    check_all_relations(&st, "fresh");
    assert_eq!(st.check_relations_rollup().unwrap(), Vec::<String>::new());
    // Storing the same input again counts nothing twice.
    let before: Vec<_> = relations_cases().iter().map(|r| st.relations(r).unwrap()).collect();
    for k in 0..s.documents {
        assert_eq!(st.put(&s.document(k)).unwrap(), Put::AlreadyStored);
    }
    let after: Vec<_> = relations_cases().iter().map(|r| st.relations(r).unwrap()).collect();
    assert_eq!(before, after);
    assert_eq!(st.check_relations_rollup().unwrap(), Vec::<String>::new());
    // Rows removed or changed underneath (no write path does this today): the triggers move the
    // pre-aggregate with them, so the series is that of the events as they are now. Actors whose
    // country is not their code's prefix (`odd`, none in the synthetic data) are made here too.
    st.conn.execute("DELETE FROM events WHERE id % 7 = 0 AND id NOT IN (SELECT event FROM mentions)", []).unwrap();
    st.conn
        .execute_batch("PRAGMA foreign_keys = OFF; DELETE FROM events WHERE id % 5 = 0; PRAGMA foreign_keys = ON;")
        .unwrap();
    st.conn.execute("UPDATE events SET date = '2016-01-01' WHERE id % 11 = 0", []).unwrap();
    st.conn.execute("UPDATE events SET tone_sum = tone_sum + 1, tone_n = tone_n + 1 WHERE id % 13 = 0", []).unwrap();
    st.conn.execute("UPDATE events SET cameo = '190', quad_class = 4, goldstein = -10 WHERE id % 17 = 0", []).unwrap();
    st.conn.execute("UPDATE events SET date = NULL WHERE id % 19 = 0", []).unwrap();
    st.conn.execute("UPDATE events SET date = '2016-02-30' WHERE id % 23 = 0", []).unwrap();
    st.conn.execute("UPDATE events SET source_country = 'PRK', odd = 1 WHERE id % 29 = 0", []).unwrap();
    st.conn.execute("UPDATE events SET target_country = 'RU', odd = 1 WHERE id % 31 = 0", []).unwrap();
    let odd: i64 = st.conn.query_row("SELECT COUNT(*) FROM events WHERE odd = 1", [], |r| r.get(0)).unwrap();
    assert!(odd > 0);
    check_all_relations(&st, "after deletes and updates");
    assert_eq!(st.check_relations_rollup().unwrap(), Vec::<String>::new());
    // A pre-aggregate changed behind the triggers' back is found by the recount.
    st.conn.execute("UPDATE relations_codes SET events = events + 1 WHERE cameo = '190'", []).unwrap();
    assert_eq!(st.check_relations_rollup().unwrap().len(), 1);
    st.conn.execute("UPDATE relations_weekly SET goldstein = goldstein + 0.5 WHERE src3 = 'USA'", []).unwrap();
    assert!(st.check_relations_rollup().unwrap().len() > 1);
    assert!(matches!(st.relations(&Relations { a: "U'SA".into(), ..rel0() }), Err(StoreError::BadQuery(_))));
}

/// A store keyed in order of arrival but without the pre-aggregate (an unreleased schema 3 did
/// this): the migration to schema 4 fills the pre-aggregate and creates its triggers.
#[test]
fn migration_to_schema_4_fills_the_relations_pre_aggregate() {
    let s = Synth { documents: 600, events_per_doc: 3, days: 800, pool: 8, ..Synth::with_events(10) };
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("s.db");
    let digest = {
        let mut st = Store::open(&path).unwrap();
        for k in 0..s.documents {
            st.put(&s.document(k)).unwrap();
        }
        // No pre-aggregate, no triggers.
        st.conn
            .execute_batch(
                "DROP TRIGGER relations_add; DROP TRIGGER relations_remove; DROP TRIGGER relations_bump;
                 DROP TRIGGER relations_move; DROP TABLE relations_weekly; DROP TABLE relations_codes;
                 PRAGMA user_version = 3;",
            )
            .unwrap();
        st.digest().unwrap()
    };
    assert!(Store::open_read_only(&path).is_err(), "a schema-3 store must be migrated before it is read");
    let mut st = Store::open(&path).unwrap();
    assert_eq!(st.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(st.digest().unwrap(), digest, "the migration changes no stored row");
    assert_eq!(st.check_relations_rollup().unwrap(), Vec::<String>::new());
    check_all_relations(&st, "migrated");
    // The triggers work on the migrated store: more documents, some reporting stored events again.
    let more = Synth { documents: 900, ..s };
    for k in 0..more.documents {
        st.put(&more.document(k)).unwrap();
    }
    assert_eq!(st.check_relations_rollup().unwrap(), Vec::<String>::new());
    check_all_relations(&st, "migrated, then written");
}

fn rel0() -> Relations {
    Relations { a: "USA".into(), b: "PRK".into(), from: None, to: None, by: Period::Month, directed: false, top: 3 }
}

#[test]
fn full_text_queries_take_words_not_syntax() {
    let s = small();
    let st = store_of(&s, 0..s.documents);
    let qs = st.quotes_where(&QuoteFilter { text: Some("nuclear weapons".into()), ..Default::default() }).unwrap();
    assert!(!qs.is_empty());
    assert!(qs.iter().all(|q| q.quote.text.contains("nuclear weapons")));
    for odd in ["\"unbalanced", "AND OR NOT", "nucl* (", "-"] {
        let r = st.quotes_where(&QuoteFilter { text: Some(odd.into()), ..Default::default() });
        assert!(r.is_ok() || matches!(r, Err(StoreError::BadQuery(_))), "{odd}: {r:?}");
    }
    let prefix = st.quotes_where(&QuoteFilter { text: Some("nucl*".into()), ..Default::default() }).unwrap();
    assert_eq!(prefix.len(), qs.len());
    let by_speaker = st.quotes_where(&QuoteFilter { speaker: Some("Putin".into()), ..Default::default() }).unwrap();
    assert!(by_speaker.iter().all(|q| q.quote.speaker_name.as_deref() == Some("Vladimir Putin")));
    let mentioning = st.quotes_where(&QuoteFilter { mentions: Some("PRK".into()), ..Default::default() }).unwrap();
    assert!(!mentioning.is_empty() && mentioning.iter().all(|q| q.mentions.iter().any(|m| m.starts_with("PRK"))));
    let evs = st.events(&EventFilter { text: Some("sanctions".into()), ..Default::default() }).unwrap();
    assert!(!evs.is_empty() && evs.iter().any(|e| e.cameo == "163"));
    for e in &evs {
        let docs: Vec<_> = st.evidence(e.id).unwrap().into_iter().map(|m| m.doc).collect();
        assert!(docs.iter().any(|d| st.document(*d).unwrap().unwrap().article.body.contains("sanctions")));
    }
    let docs = st.search_documents("missile tests", Some(5)).unwrap();
    assert!(!docs.is_empty() && docs.len() <= 5);
}

#[test]
fn schema_1_store_is_migrated_without_loss() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("v1.db");
    let s = small();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(schema::V1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        for k in 0..30 {
            put_v1(&conn, &s.document(k));
        }
    }
    let st = Store::open(&path).unwrap();
    assert_eq!(st.schema_version().unwrap(), SCHEMA_VERSION);
    // Schema 1 kept no order of arrival: the migration replays documents in id order.
    let mut by_id: Vec<usize> = (0..30).collect();
    by_id.sort_by_key(|&k| s.document(k).article.id);
    let fresh = store_of(&s, by_id.into_iter());
    assert_eq!(st.digest().unwrap(), fresh.digest().unwrap());
    assert_eq!(st.check_relations_rollup().unwrap(), Vec::<String>::new());
    for k in 0..30 {
        let d = s.document(k);
        assert_eq!(st.document(d.article.id).unwrap().as_ref(), Some(&d));
    }
    drop(st);
    // Opening again is a no-op.
    let again = Store::open(&path).unwrap();
    assert_eq!(again.counts().unwrap().documents, 30);
}

/// The write path of schema 1, as the foundation had it.
fn put_v1(conn: &rusqlite::Connection, doc: &dyad_model::CodedDocument) {
    use rusqlite::params;
    let a = &doc.article;
    conn.execute(
        "INSERT INTO documents (id, source, url, title, date, body, pipeline, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![a.id.as_i64(), a.source, a.url, a.title, doc.date.map(|d| d.to_string()), a.body, doc.pipeline,
                serde_json::to_string(doc).unwrap()],
    )
    .unwrap();
    for e in &doc.events {
        conn.execute(
            "INSERT OR IGNORE INTO events (id, doc, source_code, target_code, cameo, root, goldstein, quad_class, date, record) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![e.id.as_i64(), a.id.as_i64(), e.source.code, e.target.as_ref().map(|t| t.code.clone()), e.cameo,
                    e.root, e.goldstein, e.quad_class.number(), e.date.map(|d| d.to_string()),
                    serde_json::to_string(e).unwrap()],
        )
        .unwrap();
    }
}

#[test]
fn a_broken_schema_1_record_fails_the_migration_and_keeps_the_store() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("v1.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(schema::V1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        put_v1(&conn, &small().document(0));
        conn.execute("UPDATE documents SET record = '{not json'", []).unwrap();
    }
    let err = Store::open(&path).err().expect("migration must fail");
    assert!(matches!(err, StoreError::Migrate { .. }), "{err}");
    assert!(err.to_string().contains("v1.db"), "{err}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, 1, "the failed migration is rolled back");
}

#[test]
fn corrupt_and_foreign_files_give_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let junk = tmp.path().join("junk.db");
    std::fs::write(&junk, b"this is not a database at all, just some bytes ".repeat(100)).unwrap();
    let e = Store::open(&junk).err().expect("junk must not open");
    let msg = e.to_string();
    assert!(msg.contains("junk.db") && msg.contains("not a dyad store or corrupt"), "{msg}");

    let foreign = tmp.path().join("foreign.db");
    rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    let e = Store::open(&foreign).err().expect("foreign must not open");
    assert!(e.to_string().contains("no dyad schema version"), "{e}");

    let newer = tmp.path().join("newer.db");
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 99).unwrap();
    assert!(matches!(Store::open(&newer), Err(StoreError::TooNew { found: 99, .. })));

    // A real store cut in half: the damage is reported, at open or at the first read.
    let cut = tmp.path().join("cut.db");
    {
        let s = small();
        let mut st = Store::open(&cut).unwrap();
        for k in 0..s.documents {
            st.put(&s.document(k)).unwrap();
        }
        st.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    }
    let bytes = std::fs::read(&cut).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let res = Store::open(&cut).and_then(|st| st.export(ExportFormat::Csv, &mut std::io::sink()));
    let e = res.expect_err("a truncated store must not read cleanly");
    let msg = e.to_string();
    assert!(msg.contains("corrupt") || msg.contains("malformed"), "{msg}");
}

#[test]
fn exports_have_the_gdelt_shapes() {
    let s = small();
    let st = store_of(&s, 0..s.documents);
    let c = st.counts().unwrap();
    let run = |f| {
        let mut out = Vec::new();
        let n = st.export(f, &mut out).unwrap();
        (n, String::from_utf8(out).unwrap())
    };
    let (n, ev) = run(ExportFormat::GdeltEvents);
    assert_eq!(n, c.events);
    for line in ev.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 61, "{line}");
        assert!(f[0].parse::<i64>().is_ok() && f[1].len() == 8 && f[26].len() == 3);
        let (m, src, art): (u64, u64, u64) = (f[31].parse().unwrap(), f[32].parse().unwrap(), f[33].parse().unwrap());
        assert!(m >= art && art >= src && src >= 1);
        assert!(f[60].starts_with("https://"));
    }
    let (n, ms) = run(ExportFormat::GdeltMentions);
    assert_eq!(n, c.mentions);
    assert!(ms.lines().all(|l| l.split('\t').count() == 16));
    let (_, csv) = run(ExportFormat::Csv);
    assert_eq!(csv.lines().count() as u64, c.events + 1);
    let (_, plover) = run(ExportFormat::Plover);
    let v: serde_json::Value = serde_json::from_str(&plover).unwrap();
    assert_eq!(v.as_array().unwrap().len() as u64, c.events);
    assert!(v[0]["actor"][0]["code"].is_string() && v[0]["event"].is_string());
    let (_, jl) = run(ExportFormat::JsonLines);
    let total: u64 = jl
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["mentions"].as_array().unwrap().len() as u64)
        .sum();
    assert_eq!(total, c.mentions);
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_export_writes_a_file() {
    let s = small();
    let st = store_of(&s, 0..s.documents);
    let mut out = Vec::new();
    let n = st.export(ExportFormat::Parquet, &mut out).unwrap();
    assert_eq!(n, st.counts().unwrap().events);
    assert_eq!(&out[..4], b"PAR1");
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("e.parquet");
    std::fs::write(&path, &out).unwrap();
    use parquet::file::reader::FileReader;
    let r = parquet::file::reader::SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
    assert_eq!(r.metadata().file_metadata().num_rows() as u64, n);
    assert_eq!(r.metadata().file_metadata().schema_descr().num_columns(), 18);
}

#[test]
fn event_counters_equal_a_recount_from_mentions() {
    let s = small();
    let st = store_of(&s, (0..s.documents).rev());
    let bad: i64 = st
        .conn
        .query_row(
            "SELECT COUNT(*) FROM events e WHERE num_mentions != (SELECT COUNT(*) FROM mentions WHERE event = e.id)
               OR num_articles != (SELECT COUNT(DISTINCT doc) FROM mentions WHERE event = e.id)
               OR num_sources != (SELECT COUNT(DISTINCT outlet) FROM mentions WHERE event = e.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0);
}

#[test]
fn every_field_of_a_reported_event_reads_back() {
    let s = small();
    let mut d = s.document(3);
    assert!(d.events.len() >= 3, "synth documents report several events");
    let e = &mut d.events[0];
    e.target = None;
    e.plover_context = vec!["a;b".into(), "c".into()];
    e.date_text = Some("last Tuesday".into());
    e.historical = true;
    e.date = None;
    e.mode = dyad_model::Mode::Negated;
    e.tone = None;
    e.plover_mode = Some("visit".into());
    e.source.name = Some("Name \"quoted\" ünïcode".into());
    let e = &mut d.events[1];
    e.mode = dyad_model::Mode::Hypothetical;
    e.plover = None;
    e.reported = None;
    e.source.country = None;
    e.source.role = None;
    if let Some(t) = e.target.as_mut() {
        t.code = String::new();
        t.country = Some("XYZ".into());
    }
    d.events[2].mode = dyad_model::Mode::Future;
    let mut st = Store::open_in_memory().unwrap();
    st.put(&d).unwrap();
    assert_eq!(st.document(d.article.id).unwrap().as_ref(), Some(&d));
    for e in &d.events {
        let eid = st
            .conn
            .query_row("SELECT event FROM mentions WHERE id = ?1", [e.id.as_i64()], |r| r.get::<_, i64>(0))
            .unwrap();
        let ms = st.evidence(EventId::from_i64(eid)).unwrap();
        assert!(ms.iter().any(|m| &m.report == e), "evidence of {eid} holds the report as given");
    }
}

/// Rows of a table in key order, as values.
fn rows_of(st: &Store, sql: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let mut stmt = st.conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    let rows = stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect::<Result<Vec<_>, _>>()).unwrap();
    rows.map(Result::unwrap).collect()
}

/// Writes a schema 2 store at `to` holding what `from` holds, as the dyad of schema 2 wrote it:
/// events under their hash ids, and each mention's whole event as its record.
fn write_as_schema_2(from: &std::path::Path, st: &Store, to: &std::path::Path) {
    let conn = rusqlite::Connection::open(to).unwrap();
    conn.execute_batch(schema::V2).unwrap();
    conn.execute("ATTACH DATABASE ?1 AS src", [from.to_str().unwrap()]).unwrap();
    for (t, key) in schema::TABLES {
        let cols: Vec<String> = {
            let mut stmt = conn.prepare(&format!("SELECT name FROM pragma_table_info('{t}')")).unwrap();
            let names = stmt.query_map([], |r| r.get(0)).unwrap();
            names.map(Result::unwrap).collect()
        };
        let cols = cols.join(", ");
        let order = if *t == "actors" || *t == "entities" { "doc, ord" } else { key };
        conn.execute_batch(&format!("INSERT INTO main.{t} ({cols}) SELECT {cols} FROM src.{t} ORDER BY {order}"))
            .unwrap();
    }
    conn.execute_batch(
        "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild'); INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild');",
    )
    .unwrap();
    for id in st.document_ids().unwrap() {
        let doc = st.document(id).unwrap().unwrap();
        for (ord, e) in doc.events.iter().enumerate() {
            let n = conn
                .execute(
                    "UPDATE mentions SET record = ?1 WHERE doc = ?2 AND ord = ?3",
                    rusqlite::params![serde_json::to_string(e).unwrap(), id.as_i64(), ord as i64],
                )
                .unwrap();
            assert_eq!(n, 1);
        }
    }
    conn.pragma_update(None, "user_version", 2).unwrap();
}

#[test]
fn schema_2_store_is_migrated_without_loss() {
    let tmp = tempfile::tempdir().unwrap();
    let (v3, v2) = (tmp.path().join("v3.db"), tmp.path().join("v2.db"));
    let s = small();
    let mut fresh = Store::open(&v3).unwrap();
    for k in 0..120 {
        fresh.put(&s.document(k)).unwrap();
    }
    write_as_schema_2(&v3, &fresh, &v2);
    let old_records: i64 = rusqlite::Connection::open(&v2)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM mentions WHERE record LIKE '{\"id\":%'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(old_records, 480, "the schema 2 copy holds whole events as records");

    let mut st = Store::open(&v2).unwrap();
    assert_eq!(st.schema_version().unwrap(), SCHEMA_VERSION);
    let events = "SELECT * FROM events ORDER BY id";
    assert_eq!(rows_of(&st, events), rows_of(&fresh, events));
    for k in 0..120 {
        let d = s.document(k);
        assert_eq!(st.document(d.article.id).unwrap().as_ref(), Some(&d), "document {k}");
    }
    // New documents roll up into migrated events exactly as into a store written at schema 4.
    for k in 120..s.documents {
        st.put(&s.document(k)).unwrap();
        fresh.put(&s.document(k)).unwrap();
    }
    assert_eq!(rows_of(&st, events), rows_of(&fresh, events));
    let mention_cols =
        "SELECT rid, id, event, doc, ord, sentence, evidence, start, end, outlet FROM mentions ORDER BY rid";
    assert_eq!(rows_of(&st, mention_cols), rows_of(&fresh, mention_cols));
    for t in ["documents", "actors", "entities", "quotes", "stories", "evidence"] {
        let all = format!("SELECT * FROM {t} ORDER BY rowid");
        assert_eq!(rows_of(&st, &all), rows_of(&fresh, &all), "{t}");
    }
    for (id,) in rows_of(&st, "SELECT id FROM events ORDER BY id LIMIT 50").into_iter().map(|r| (r[0].clone(),)) {
        let rusqlite::types::Value::Integer(id) = id else { panic!("event id {id:?}") };
        let a = st.evidence(EventId::from_i64(id)).unwrap();
        let b = fresh.evidence(EventId::from_i64(id)).unwrap();
        assert!(!a.is_empty());
        assert_eq!(a.iter().map(|m| &m.report).collect::<Vec<_>>(), b.iter().map(|m| &m.report).collect::<Vec<_>>());
    }
    let broken: i64 = st.conn.query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(broken, 0);
    st.check_fts().unwrap();
    drop(st);
    let again = Store::open(&v2).unwrap();
    assert_eq!(again.counts().unwrap(), fresh.counts().unwrap());
}

/// Writes a schema 3 store at `to` holding what `from` holds: schema 2 (events under their hash
/// ids, whole events as mention records) with the relations pre-aggregate, filled and kept by
/// triggers on that `events` table.
fn write_as_schema_3(from: &std::path::Path, st: &Store, to: &std::path::Path) {
    write_as_schema_2(from, st, to);
    let conn = rusqlite::Connection::open(to).unwrap();
    conn.execute_batch(schema::V3_TABLES).unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO relations_weekly {}; INSERT INTO relations_codes {};",
        schema::V3_RECOUNT_WEEKLY,
        schema::V3_RECOUNT_CODES
    ))
    .unwrap();
    conn.execute_batch(schema::V3_TRIGGERS).unwrap();
    conn.pragma_update(None, "user_version", 3).unwrap();
}

/// The triggers on `events` by name.
fn triggers_on_events(st: &Store) -> Vec<Vec<rusqlite::types::Value>> {
    rows_of(st, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events' ORDER BY name")
}

/// The integer columns of the pre-aggregate, which do not depend on the order events were counted in.
const ROLLUP_COUNTS: &[&str] = &[
    "SELECT src3, tgt3, bucket, events, q1, q2, q3, q4, mentions, toned FROM relations_weekly ORDER BY 1, 2, 3",
    "SELECT * FROM relations_codes ORDER BY 1, 2, 3, 4",
];

/// Stores of schema 2 and 3, migrated to 4, equal a store written at 4: the same events, rows and
/// documents, the pre-aggregate equal to a recount and to a scan of the events, and the triggers
/// on the re-keyed `events` table keep it so as more documents (some reporting stored events
/// again, which takes the upsert's update path) arrive.
#[test]
fn schema_2_and_3_stores_migrated_to_4_equal_a_fresh_store() {
    let s = Synth { documents: 900, events_per_doc: 3, days: 800, pool: 8, ..Synth::with_events(10) };
    let tmp = tempfile::tempdir().unwrap();
    let fresh_path = tmp.path().join("fresh.db");
    let mut fresh = Store::open(&fresh_path).unwrap();
    // Even documents before the migration, odd ones after: those share days, so events.
    let (before, after) = ((0..s.documents).step_by(2), (1..s.documents).step_by(2));
    for k in before.clone() {
        fresh.put(&s.document(k)).unwrap();
    }
    assert_eq!(triggers_on_events(&fresh).len(), 4, "a fresh store has the four triggers");
    for from in [2, 3] {
        let old = tmp.path().join(format!("v{from}.db"));
        let _ = std::fs::remove_file(&old);
        if from == 2 {
            write_as_schema_2(&fresh_path, &fresh, &old);
        } else {
            write_as_schema_3(&fresh_path, &fresh, &old);
        }
        let what = format!("from schema {from}");
        let mut st = Store::open(&old).unwrap();
        assert_eq!(st.schema_version().unwrap(), SCHEMA_VERSION, "{what}");
        assert_eq!(triggers_on_events(&st), triggers_on_events(&fresh), "{what}");
        let events = "SELECT * FROM events ORDER BY id";
        assert_eq!(rows_of(&st, events), rows_of(&fresh, events), "{what}");
        // Re-keyed: events sit under their first mentions' row ids, as a fresh store puts them.
        let keys = "SELECT rowid, id FROM events ORDER BY rowid";
        assert_eq!(rows_of(&st, keys), rows_of(&fresh, keys), "{what}");
        for q in ROLLUP_COUNTS {
            assert_eq!(rows_of(&st, q), rows_of(&fresh, q), "{what}: {q}");
        }
        assert_eq!(st.check_relations_rollup().unwrap(), Vec::<String>::new(), "{what}");
        check_all_relations(&st, &what);
        for rel in relations_cases() {
            let (a, b) = (st.relations(&rel).unwrap(), fresh.relations(&rel).unwrap());
            assert_eq!(a.len(), b.len(), "{what}");
            for (x, y) in a.iter().zip(&b) {
                assert_eq!((&x.period, x.events, x.quad, x.mentions), (&y.period, y.events, y.quad, y.mentions));
                assert!((x.mean_goldstein - y.mean_goldstein).abs() < 1e-9, "{what} {}", x.period);
            }
        }
        // More documents: the triggers on the migrated table count them as a fresh store's do.
        let (last_event, last_mention): (i64, i64) = st
            .conn
            .query_row("SELECT (SELECT max(rowid) FROM events), (SELECT max(rid) FROM mentions)", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        for k in after.clone() {
            st.put(&s.document(k)).unwrap();
        }
        let reported_again: i64 = st
            .conn
            .query_row(
                "SELECT COUNT(*) FROM mentions m JOIN events e ON e.id = m.event WHERE e.rowid <= ?1 AND m.rid > ?2",
                [last_event, last_mention],
                |r| r.get(0),
            )
            .unwrap();
        assert!(reported_again > 0, "{what}: later documents report events stored before the migration");
        assert_eq!(st.check_relations_rollup().unwrap(), Vec::<String>::new(), "{what} after more documents");
        check_all_relations(&st, &format!("{what}, more documents"));
        let mut grown = Store::open_in_memory().unwrap();
        for k in before.clone().chain(after.clone()) {
            grown.put(&s.document(k)).unwrap();
        }
        assert_eq!(rows_of(&st, events), rows_of(&grown, events), "{what} after more documents");
        for q in ROLLUP_COUNTS {
            assert_eq!(rows_of(&st, q), rows_of(&grown, q), "{what} after more documents: {q}");
        }
    }
}
