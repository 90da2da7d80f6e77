//! `dyad eval events file.xml`: PETRARCH validation records.

use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(_file: &Path, _dict: Option<&Path>, _misses: bool) -> Result<ExitCode> {
    anyhow::bail!("PETRARCH validation XML: not wired yet")
}
