//! `dyad quotes`: the quotations of each document with their speakers.

use crate::common;
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Print the quotations of each document: speaker, actor code, cue and text.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad quotes examples/02_sanctions.txt --date 2025-02-07\n  dyad quotes page.html --format json"
)]
pub struct Args {
    /// Files or folders; `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Document date (YYYY-MM-DD) for pages that carry none.
    #[arg(long, value_parser = common::parse_date)]
    date: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = common::Format::Table)]
    format: common::Format,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    common::for_each_document(&a.paths, a.date, |doc| {
        for q in &doc.quotes {
            match a.format {
                common::Format::Json => {
                    serde_json::to_writer(&mut out, &serde_json::json!({"source": doc.article.source, "quote": q}))?;
                    writeln!(out)?;
                }
                common::Format::Table => writeln!(
                    out,
                    "{:<22} {:<8} {:<8} “{}”",
                    q.speaker_name.as_deref().or(q.speaker_text.as_deref()).unwrap_or("(unknown)"),
                    q.speaker_code.as_deref().unwrap_or("-"),
                    q.cue_lemma.as_deref().unwrap_or("-"),
                    q.text
                )?,
            }
        }
        Ok(())
    })
}
