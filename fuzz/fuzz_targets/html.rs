//! Any bytes as an HTML page: extraction must not panic, and spans must lie in the body.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut raw = dyad_model::RawDocument::new("fuzz.html", dyad_model::ContentType::Html, data.to_vec());
    raw.url = Some("https://example.org/2024/01/02/x".into());
    if let Ok(a) = dyad_ingest::extract(&raw) {
        for b in &a.blocks {
            assert!(a.body.get(b.span.start..b.span.end).is_some());
        }
    }
});
