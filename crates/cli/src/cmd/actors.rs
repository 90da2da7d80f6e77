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
/// agent, possessive, capital, place, out-of-office, coreference, office, pronoun; `entity` for a
/// person or organisation the entity recogniser found and no dictionary knows, kept uncoded), the person's
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
        let mut mentions: Vec<(dyad_model::Actor, &str, Vec<String>)> = engine
            .dict()
            .resolve_traced(&article, &ann, date)
            .into_iter()
            .map(|m| (m.actor, m.rule.as_str(), m.sources))
            .collect();
        // The uncoded persons and organisations `dyad code` keeps beside them.
        let uncoded = engine.actors(&article, &ann, date).into_iter().filter(|a| a.via == dyad_model::ActorVia::Entity);
        mentions.extend(uncoded.map(|a| (a, "entity", Vec::new())));
        mentions.sort_by_key(|m| (m.0.span.start, m.0.span.end));
        match a.format {
            common::Format::Json => {
                for (actor, rule, sources) in &mentions {
                    let v = serde_json::json!({
                        "source": article.source,
                        "actor": actor,
                        "rule": rule,
                        "entries": sources,
                    });
                    serde_json::to_writer(&mut out, &v)?;
                    writeln!(out)?;
                }
            }
            common::Format::Table => {
                let day = date.map(|d| d.to_string()).unwrap_or_else(|| "no date: terms in force today".into());
                writeln!(out, "# {} ({day})", article.source)?;
                for (act, rule, sources) in &mentions {
                    writeln!(
                        out,
                        "{:<10} {:>6}..{:<6} {:<36} {:<13} {:<22} {}",
                        if act.code.is_empty() { "-" } else { &act.code },
                        act.span.start,
                        act.span.end,
                        act.text,
                        rule,
                        act.name.as_deref().unwrap_or("-"),
                        sources.join(" ")
                    )?;
                }
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
