//! `dyad extract`: the article out of each input, as JSON Lines.

use crate::common;
use anyhow::Result;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Print one JSON object per document: {title, author, date, language, body, headings}.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  dyad extract page.html\n  dyad extract crawl.warc.gz > articles.jsonl")]
pub struct Args {
    /// Files or folders; `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for input in dyad_ingest::read_inputs(&a.paths) {
        match input.and_then(|raw| dyad_ingest::extract(&raw)) {
            Ok(art) => {
                let v = serde_json::json!({
                    "source": art.source,
                    "url": art.url,
                    "title": art.title,
                    "author": art.byline,
                    "date": art.date.map(|d| d.to_string()),
                    "language": art.language,
                    "body": art.body,
                    "headings": art.headings().collect::<Vec<_>>(),
                });
                serde_json::to_writer(&mut out, &v)?;
                writeln!(out)?;
            }
            Err(e) => {
                common::report_input_error(&e);
                failed = true;
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
