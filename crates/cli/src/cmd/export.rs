//! `dyad export`: every stored event in a standard format.

use crate::common;
use anyhow::{Context, Result};
use dyad_store::export::ExportFormat;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Export the stored events: GDELT 2.0 Events or Mentions TSV (no header; columns dyad does not
/// know are empty), PLOVER-style JSON, JSON Lines with mentions, CSV, or Parquet.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  dyad export --format gdelt-events --out events.tsv
  dyad export --format gdelt-mentions > mentions.tsv
  dyad export --format plover --out events.json
  dyad export --format parquet --out events.parquet")]
pub struct Args {
    #[arg(long, value_enum)]
    format: Format,
    /// The file to write (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The store to read.
    #[arg(long, default_value_os_t = common::default_db())]
    db: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    GdeltEvents,
    GdeltMentions,
    Plover,
    Jsonl,
    Csv,
    Parquet,
}

pub fn run(a: Args) -> Result<ExitCode> {
    if !common::store_exists(&a.db) {
        anyhow::bail!("{}: no such store (run `dyad run <paths>` first)", a.db.display());
    }
    let store = common::open_store(&a.db)?;
    let format = match a.format {
        Format::GdeltEvents => ExportFormat::GdeltEvents,
        Format::GdeltMentions => ExportFormat::GdeltMentions,
        Format::Plover => ExportFormat::Plover,
        Format::Jsonl => ExportFormat::JsonLines,
        Format::Csv => ExportFormat::Csv,
        Format::Parquet => ExportFormat::Parquet,
    };
    let n = match &a.out {
        Some(path) => {
            // Write beside the target and rename, so a failed export leaves no half file.
            let tmp = path.with_extension("partial");
            let f = std::fs::File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
            let mut w = std::io::BufWriter::new(f);
            let n = store.export(format, &mut w).with_context(|| format!("cannot export to {}", path.display()));
            let n = n.and_then(|n| {
                w.flush()?;
                Ok(n)
            });
            match n {
                Ok(n) => {
                    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
                    n
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e);
                }
            }
        }
        None => {
            if a.format == Format::Parquet && std::io::stdout().is_terminal() {
                anyhow::bail!("parquet is binary: give --out FILE or redirect standard output");
            }
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            let n = store.export(format, &mut w).context("cannot export")?;
            w.flush()?;
            n
        }
    };
    let what = if a.format == Format::GdeltMentions { "mentions" } else { "events" };
    eprintln!("dyad: exported {n} {what}");
    Ok(ExitCode::SUCCESS)
}
