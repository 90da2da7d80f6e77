//! Replays every input kept in `fuzz/regressions/<target>/` (crashes found by fuzzing, and hand-made
//! hostile inputs) through the same code the fuzz targets drive.

use std::path::PathBuf;

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions").join(target);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    v.sort();
    assert!(!v.is_empty(), "no regression inputs in {}", dir.display());
    v
}

#[test]
fn html_regressions() {
    for p in inputs("html") {
        let mut raw = dyad_model::RawDocument::new(
            p.display().to_string(),
            dyad_model::ContentType::Html,
            std::fs::read(&p).unwrap(),
        );
        raw.url = Some("https://example.org/2024/01/02/x".into());
        if let Ok(a) = dyad_ingest::extract(&raw) {
            assert!(a.blocks.iter().all(|b| a.body.get(b.span.start..b.span.end).is_some()), "{}", p.display());
        }
    }
}

#[test]
fn warc_regressions() {
    for p in inputs("warc") {
        for doc in dyad_ingest::sources::warc(&p).take(10_000).flatten() {
            let _ = dyad_ingest::extract(&doc);
        }
    }
}

#[test]
fn hostile_pages() {
    // 100,000 levels of nesting, a 50 MB page, unclosed raw-text elements, a lying charset.
    let deep = "<div>".repeat(100_000) + "<p>Deep text about the talks in Geneva.</p>";
    let big = "<html><body>".to_string()
        + &"<p>The ministers met again on Tuesday in Geneva, officials said.</p>\n".repeat(750_000);
    assert!(big.len() > 50_000_000);
    let cases: Vec<Vec<u8>> = vec![
        deep.into_bytes(),
        big.into_bytes(),
        b"<script>never closed <p>text".to_vec(),
        b"<title>unclosed title and <p>more".to_vec(),
        b"<meta charset=\"utf-16\"><p>caf\xe9 au lait in the city centre.</p>".to_vec(),
        b"<meta charset=\"bogus-charset\"><p>\xff\xfe\xfd</p>".to_vec(),
        "<p>&#x110000; &#55296; &#xD800; &#99999999999; &amp</p>".as_bytes().to_vec(),
    ];
    for (i, bytes) in cases.into_iter().enumerate() {
        let raw = dyad_model::RawDocument::new(format!("case{i}.html"), dyad_model::ContentType::Html, bytes);
        let t0 = std::time::Instant::now();
        let r = dyad_ingest::extract(&raw);
        println!("case {i}: {:?} in {:?}", r.as_ref().map(|a| a.body.len()), t0.elapsed());
    }
}
