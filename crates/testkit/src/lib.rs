//! Helpers shared by dyad's tests.

use std::path::PathBuf;

/// The path `rel` inside `../shared`, the data folder beside the repository, when it exists.
/// When it is missing the test should skip: this prints why and returns `None`; under `CI=true`
/// missing data is a failure instead.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(rel);
    if path.exists() {
        return Some(path);
    }
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{} is missing and CI=true", path.display());
    eprintln!("skipped: {} is missing", path.display());
    None
}
