//! `dyad actors`: the actor mentions of each document, with their codes, the rule that coded each
//! and the dictionary lines (file:line) it came from.

use crate::common;
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Print the actor mentions of each document with codes, spans, the rule and the dictionary lines.
///
/// Columns: code, byte span in the article body, the text, the rule (name, short-name, title,
/// agent, possessive, capital, place, out-of-office, coreference, office, pronoun), the person's
/// canonical name when known, and every dictionary line that took part (file:line). The mentions
/// are the ones `dyad code` lists under `actors`.
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
    let engine = a.dict.engine()?;
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for input in dyad_ingest::read_inputs(&a.paths) {
        let article = match input.and_then(|raw| dyad_ingest::extract(&raw)) {
            Ok(article) => article,
            Err(e) => {
                common::report_input_error(&e);
                failed = true;
                continue;
            }
        };
        // As `Engine::code`: the page's own date wins over --date.
        let date = article.date.or(a.date);
        let ann = engine.nlp().annotate(&article);
        let mentions = engine.dict().resolve_traced(&article, &ann, date);
        match a.format {
            common::Format::Json => {
                for m in &mentions {
                    let v = serde_json::json!({
                        "source": article.source,
                        "actor": m.actor,
                        "rule": m.rule.as_str(),
                        "entries": m.sources,
                    });
                    serde_json::to_writer(&mut out, &v)?;
                    writeln!(out)?;
                }
            }
            common::Format::Table => {
                let day = date.map(|d| d.to_string()).unwrap_or_else(|| "no date: terms in force today".into());
                writeln!(out, "# {} ({day})", article.source)?;
                for m in &mentions {
                    let act = &m.actor;
                    writeln!(
                        out,
                        "{:<10} {:>6}..{:<6} {:<36} {:<13} {:<22} {}",
                        if act.code.is_empty() { "-" } else { &act.code },
                        act.span.start,
                        act.span.end,
                        act.text,
                        m.rule.as_str(),
                        act.name.as_deref().unwrap_or("-"),
                        m.sources.join(" ")
                    )?;
                }
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
