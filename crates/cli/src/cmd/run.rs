//! `dyad run`: ingest, code and store.

use crate::common;
use anyhow::Result;
use chrono::NaiveDate;
use dyad_engine::{Engine, Put, Summary, Timings};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Ingest files and folders into the store, coding every article.
///
/// Example: dyad run examples/ --db dyad.db --date 2025-02-07
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  dyad run examples/\n  dyad run page.html --date 2025-02-07 --db news.db")]
pub struct Args {
    /// Files or folders (recursive); `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The store to write (created if missing).
    #[arg(long, default_value_os_t = common::default_db())]
    db: PathBuf,
    /// Document date (YYYY-MM-DD) for pages that carry none.
    #[arg(long, value_parser = common::parse_date)]
    date: Option<NaiveDate>,
    /// Print no progress bar.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let start = Instant::now();
    let engine = Engine::builtin()?;
    let mut store = common::open_store(&a.db)?;
    // Inputs are read lazily (a WARC may hold millions of pages), so the count is not known.
    let inputs = dyad_ingest::read_inputs(&a.paths);
    let pb =
        if a.quiet || !std::io::stderr().is_terminal() { ProgressBar::hidden() } else { ProgressBar::new_spinner() };
    pb.set_style(
        ProgressStyle::with_template("{spinner} {pos} documents {elapsed} {per_sec} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let mut s = Summary::default();
    let mut stories = dyad_ingest::StoryIndex::new();
    for input in inputs {
        pb.inc(1);
        let raw = match input {
            Ok(r) => r,
            Err(e) => {
                pb.suspend(|| common::report_input_error(&e));
                s.failed += 1;
                continue;
            }
        };
        let mut t = Timings::default();
        let mut doc = match engine.process(&raw, a.date, &mut t) {
            Ok(d) => d,
            Err(e) => {
                pb.suspend(|| common::report_input_error(&e));
                s.failed += 1;
                continue;
            }
        };
        stories.assign_article(&mut doc.article);
        let t0 = Instant::now();
        match store.put(&doc)? {
            Put::Stored => {
                s.documents += 1;
                s.sentences += doc.sentences.len() as u64;
                s.events += doc.events.len() as u64;
                s.quotes += doc.quotes.len() as u64;
                s.actors += doc.actors.len() as u64;
            }
            Put::AlreadyStored => s.already_stored += 1,
        }
        t.store += t0.elapsed();
        s.timings.add(&t);
    }
    pb.finish_and_clear();
    s.wall = start.elapsed();
    print_summary(&s, &a.db);
    Ok(if s.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn print_summary(s: &Summary, db: &std::path::Path) {
    println!(
        "stored {} documents ({} already stored, {} failed): {} sentences, {} actor mentions, {} events, {} quotes in {}",
        s.documents,
        s.already_stored,
        s.failed,
        s.sentences,
        s.actors,
        s.events,
        s.quotes,
        db.display()
    );
    let parts: Vec<String> =
        s.timings.rows().iter().map(|(n, d)| format!("{n} {:.1} ms", d.as_secs_f64() * 1e3)).collect();
    println!("time per stage: {}; total {:.2} s", parts.join(", "), s.wall.as_secs_f64());
}
