//! `dyad actors`: the actor mentions of each document, with their codes and the entry that matched.

use crate::common;
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Print the actor mentions of each document with codes, spans and the dictionary entry.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad actors examples/01_border_talks.txt --date 2025-02-07\n  dyad actors page.html --format json"
)]
pub struct Args {
    /// Files or folders; `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Document date (YYYY-MM-DD) for pages that carry none.
    #[arg(long, value_parser = common::parse_date)]
    date: Option<NaiveDate>,
    #[command(flatten)]
    dict: common::DictArgs,
    #[arg(long, value_enum, default_value_t = common::Format::Table)]
    format: common::Format,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    common::for_each_document_with(&a.paths, a.date, &a.dict, |doc| {
        match a.format {
            common::Format::Json => {
                for act in &doc.actors {
                    serde_json::to_writer(&mut out, &serde_json::json!({"source": doc.article.source, "actor": act}))?;
                    writeln!(out)?;
                }
            }
            common::Format::Table => {
                writeln!(
                    out,
                    "# {} ({})",
                    doc.article.source,
                    doc.date.map(|d| d.to_string()).unwrap_or_else(|| "no date".into())
                )?;
                for act in &doc.actors {
                    writeln!(
                        out,
                        "{:<10} {:>6}..{:<6} {:<40} {:<12} {}",
                        if act.code.is_empty() { "-" } else { &act.code },
                        act.span.start,
                        act.span.end,
                        act.text,
                        format!("{:?}", act.via).to_lowercase(),
                        act.entry.as_deref().unwrap_or("")
                    )?;
                }
            }
        }
        Ok(())
    })
}
