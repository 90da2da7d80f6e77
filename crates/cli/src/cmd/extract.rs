//! `dyad extract`: the article out of each input, as JSON Lines.

use crate::common;
use anyhow::Result;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Print one JSON object per document: {title, author, date, language, body, headings}.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad extract page.html\n  dyad extract crawl.warc.gz > articles.jsonl\n  dyad extract feed.rss --format text"
)]
pub struct Args {
    /// Files or folders; `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// `json`: one JSON object per line; `text`: the title and body, for reading.
    #[arg(long, default_value = "json", value_parser = ["json", "text"])]
    format: String,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    let mut stories = dyad_ingest::StoryIndex::new();
    for input in dyad_ingest::read_inputs(&a.paths) {
        match input.and_then(|raw| dyad_ingest::extract(&raw)) {
            Ok(mut art) => {
                stories.assign_article(&mut art);
                if a.format == "text" {
                    writeln!(out, "# {}\n{}\n", art.title.as_deref().unwrap_or(&art.source), art.body)?;
                    continue;
                }
                let v = serde_json::json!({
                    "source": art.source,
                    "url": art.url,
                    "title": art.title,
                    "author": art.byline,
                    "date": art.date.map(|d| d.to_string()),
                    "language": art.language,
                    "body": art.body,
                    "headings": art.headings().collect::<Vec<_>>(),
                    "story": art.story.map(|s| format!("{s:016x}")),
                    "fingerprint": format!("{:016x}", art.fingerprint),
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
