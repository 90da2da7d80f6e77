//! `dyad code`: code documents and print them as JSON, storing nothing.

use crate::common;
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Print one JSON object per document (title, body, headings, actors, events, quotes, tone).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad code examples/summit.txt --date 2025-02-07\n  cat page.html | dyad code - --pretty"
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
    /// Indent the JSON.
    #[arg(long)]
    pretty: bool,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let code = common::for_each_document_with(&a.paths, a.date, &a.dict, |doc| {
        let v = view(doc);
        if a.pretty {
            serde_json::to_writer_pretty(&mut out, &v)?;
        } else {
            serde_json::to_writer(&mut out, &v)?;
        }
        writeln!(out)?;
        Ok(())
    })?;
    out.flush()?;
    Ok(code)
}

/// The printed shape: the article's fields first, then what was found.
pub fn view(d: &dyad_model::CodedDocument) -> serde_json::Value {
    let a = &d.article;
    serde_json::json!({
        "id": a.id,
        "source": a.source,
        "url": a.url,
        "title": a.title,
        "byline": a.byline,
        "date": d.date,
        "article_date": a.date,
        "language": a.language,
        "body": a.body,
        "headings": a.headings().collect::<Vec<_>>(),
        "blocks": a.blocks,
        "story": a.story,
        "sentences": d.sentences.len(),
        "actors": d.actors,
        "events": d.events,
        "quotes": d.quotes,
        "entities": d.entities,
        "tone": d.tone,
        "notes": d.notes,
        "pipeline": d.pipeline,
    })
}
