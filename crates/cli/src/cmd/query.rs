//! `dyad query`: read back what is stored.

use crate::common;
use anyhow::Result;
use chrono::NaiveDate;
use dyad_store::EventFilter;
use std::path::PathBuf;
use std::process::ExitCode;

/// Read events, quotes and actors back from the store.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad query events --actor USA --cameo 04 --from 2025-01-01\n  dyad query quotes --speaker JPNGOV\n  dyad query actors --format json"
)]
pub struct Args {
    #[command(subcommand)]
    what: What,
    /// The store to read.
    #[arg(long, global = true, default_value_os_t = common::default_db())]
    db: PathBuf,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Json,
}

#[derive(clap::Subcommand)]
enum What {
    /// Events, filtered by actor code prefix, CAMEO prefix and date range.
    Events {
        #[arg(long)]
        actor: Option<String>,
        #[arg(long)]
        cameo: Option<String>,
        #[arg(long, value_parser = common::parse_date)]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = common::parse_date)]
        to: Option<NaiveDate>,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Quotations, filtered by speaker code prefix.
    Quotes {
        #[arg(long)]
        speaker: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Actor codes by number of mentions.
    Actors {
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
}

pub fn run(a: Args) -> Result<ExitCode> {
    if !a.db.exists() {
        anyhow::bail!("{}: no such store (run `dyad run <paths>` first)", a.db.display());
    }
    let store = common::open_store(&a.db)?;
    match a.what {
        What::Events { actor, cameo, from, to, limit } => {
            let f = EventFilter {
                actor,
                cameo_prefix: cameo,
                from: from.map(|d| d.to_string()),
                to: to.map(|d| d.to_string()),
                limit: Some(limit),
            };
            let evs = store.events(&f)?;
            match a.format {
                Format::Json => {
                    for e in &evs {
                        println!("{}", serde_json::to_string(e)?);
                    }
                }
                Format::Table => {
                    println!("{:<10} {:<10} {:<10} {:<5} {:>6}  rule", "date", "source", "target", "cameo", "gold");
                    for e in &evs {
                        println!(
                            "{:<10} {:<10} {:<10} {:<5} {:>6.1}  {}",
                            e.date.map(|d| d.to_string()).unwrap_or_default(),
                            e.source.code,
                            e.target.as_ref().map(|t| t.code.as_str()).unwrap_or("-"),
                            e.cameo,
                            e.goldstein,
                            e.rule
                        );
                    }
                }
            }
        }
        What::Quotes { speaker, limit } => {
            let qs = store.quotes(speaker.as_deref(), Some(limit))?;
            for q in &qs {
                match a.format {
                    Format::Json => println!("{}", serde_json::to_string(q)?),
                    Format::Table => println!(
                        "{:<20} {:<8} “{}”",
                        q.speaker_name.as_deref().or(q.speaker_text.as_deref()).unwrap_or("(unknown)"),
                        q.speaker_code.as_deref().unwrap_or("-"),
                        q.text
                    ),
                }
            }
        }
        What::Actors { limit } => {
            for (code, n) in store.actors(Some(limit))? {
                match a.format {
                    Format::Json => {
                        println!("{}", serde_json::json!({"code": code, "mentions": n}))
                    }
                    Format::Table => println!("{code:<12} {n}"),
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
