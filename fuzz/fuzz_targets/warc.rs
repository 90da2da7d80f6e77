//! Any bytes as a WARC file: the reader must not panic or loop, and every record it yields
//! must extract without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("dyad-fuzz-{}.warc", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    for doc in dyad_ingest::sources::warc(&path).take(10_000).flatten() {
        let _ = dyad_ingest::extract(&doc);
    }
});
