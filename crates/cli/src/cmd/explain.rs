//! `dyad explain`: why each event was or was not coded.

use crate::common;
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Show, per sentence, the parse, the actors, each candidate verb with the patterns tried, and why
/// each event was or was not coded.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad explain \"Russia did not attack Ukraine.\" --date 2025-02-07\n  dyad explain page.txt --date 2025-02-07"
)]
pub struct Args {
    /// A file to read, or the text itself when no such file exists; `-` reads standard input.
    input: String,
    /// Document date (YYYY-MM-DD) for texts that carry none.
    #[arg(long, value_parser = common::parse_date)]
    date: Option<NaiveDate>,
    #[command(flatten)]
    dict: common::DictArgs,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let engine = a.dict.engine()?;
    let path = PathBuf::from(&a.input);
    let article = if a.input == "-" || path.exists() {
        let mut first = None;
        if let Some(input) = dyad_ingest::read_inputs(&[path]).next() {
            match input.and_then(|raw| dyad_ingest::extract(&raw)) {
                Ok(art) => first = Some(art),
                Err(e) => {
                    common::report_input_error(&e);
                    return Ok(ExitCode::from(1));
                }
            }
        }
        match first {
            Some(a) => a,
            None => anyhow::bail!("no document in {}", a.input),
        }
    } else {
        dyad_model::Article::from_text("argument", a.input.clone())
    };
    let text = engine.explain(&article, a.date);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
