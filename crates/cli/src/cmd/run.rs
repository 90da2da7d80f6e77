//! `dyad run`: ingest, code and store.
//!
//! With `--threads N`, N workers extract, code and prepare documents in parallel; this thread is
//! the one writer. It commits documents in input order, in groups (a transaction holds up to
//! [`GROUP_DOCS`] documents and is committed at least every [`GROUP_MS`] ms; each document is
//! written whole or not at all), so the store is the same whatever N is, and a run that was killed
//! leaves a prefix of the input stored: a rerun skips it and continues.

use crate::common;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use dyad_engine::{Engine, Put, Summary, Timings};
use dyad_ingest::IngestError;
use dyad_model::RawDocument;
use dyad_store::Prepared;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

/// Ingest files and folders into the store, coding every article.
///
/// Example: dyad run examples/ --db dyad.db --date 2025-02-07
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad run examples/\n  dyad run page.html --date 2025-02-07 --db news.db\n  dyad run corpus/ --threads 2"
)]
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
    #[command(flatten)]
    dict: common::DictArgs,
    /// Worker threads that code documents (0: one per core). One more thread writes the store.
    #[arg(long, short = 'j', default_value_t = 0)]
    threads: usize,
    /// Print no progress bar.
    #[arg(long, short)]
    quiet: bool,
}

/// Most documents one transaction holds.
const GROUP_DOCS: usize = 64;
/// Longest time, in ms, a coded document waits for its group to commit.
const GROUP_MS: u128 = 500;

/// Documents waiting for their transaction: prepared rows and, beside each, its sentence, quote
/// and actor counts and stage timings for the summary.
type Group = (Vec<Prepared>, Vec<(u64, u64, u64, Timings)>);

/// What a worker made of one input.
enum Outcome {
    Failed(IngestError),
    /// Found in the store before coding (a rerun): nothing to do.
    Skipped,
    Coded {
        prepared: Box<Prepared>,
        sentences: u64,
        quotes: u64,
        actors: u64,
        timings: Timings,
    },
}

/// Extracts, codes and prepares one input. `seen` tells whether a document id is stored
/// already, so that a rerun skips the costly stages.
fn code_one(
    engine: &Engine,
    input: &Result<RawDocument, IngestError>,
    date: Option<NaiveDate>,
    seen: &dyn Fn(dyad_model::DocId) -> bool,
) -> Result<Outcome> {
    let raw = match input {
        Ok(r) => r,
        Err(e) => return Ok(Outcome::Failed(e.clone())),
    };
    let mut t = Timings::default();
    let t0 = Instant::now();
    let article = match dyad_ingest::extract(raw) {
        Ok(a) => a,
        Err(e) => return Ok(Outcome::Failed(e)),
    };
    t.extract += t0.elapsed();
    if seen(article.id) {
        return Ok(Outcome::Skipped);
    }
    let doc = engine.code(article, date, &mut t);
    let t0 = Instant::now();
    let prepared =
        dyad_store::prepare(&doc).with_context(|| format!("{}: cannot prepare for the store", raw.source))?;
    t.store += t0.elapsed();
    Ok(Outcome::Coded {
        prepared: Box::new(prepared),
        sentences: doc.sentences.len() as u64,
        quotes: doc.quotes.len() as u64,
        actors: doc.actors.len() as u64,
        timings: t,
    })
}

pub fn run(a: Args) -> Result<ExitCode> {
    let start = Instant::now();
    if a.db.to_str().is_some_and(|d| d.starts_with("postgres")) {
        anyhow::bail!(
            "dyad run writes the embedded SQLite store; to fill a PostgreSQL store, queue the documents \
             with `dyad enqueue` and code them with `dyad worker --db {}`",
            a.db.display()
        );
    }
    let engine: Engine = a.dict.engine()?;
    let mut store = common::open_store(&a.db)?;
    // Inputs are read lazily (a WARC may hold millions of pages), so their count is not known.
    let inputs = dyad_ingest::read_inputs(&a.paths);
    let pb =
        if a.quiet || !std::io::stderr().is_terminal() { ProgressBar::hidden() } else { ProgressBar::new_spinner() };
    pb.set_style(
        ProgressStyle::with_template("{spinner} {pos} documents {elapsed} {per_sec} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let threads = match a.threads {
        0 => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        n => n,
    };
    let mut s = Summary::default();
    // The group being written: the prepared documents and, beside each, what the summary counts.
    let mut group: Group = (Vec::new(), Vec::new());
    let mut last_commit = Instant::now();
    let mut commit = |group: &mut Group, s: &mut Summary| -> Result<()> {
        let (ps, meta) = group;
        if ps.is_empty() {
            return Ok(());
        }
        let t0 = Instant::now();
        let puts = store.put_batch(ps).with_context(|| {
            format!("cannot store {} documents from {} on in {}", ps.len(), ps[0].doc_id(), a.db.display())
        })?;
        let share = t0.elapsed() / ps.len() as u32;
        for ((p, put), (sentences, quotes, actors, mut timings)) in ps.drain(..).zip(puts).zip(meta.drain(..)) {
            timings.store += share;
            match put {
                Put::Stored => {
                    s.documents += 1;
                    s.sentences += sentences;
                    s.events += p.events() as u64;
                    s.quotes += quotes;
                    s.actors += actors;
                }
                Put::AlreadyStored => s.already_stored += 1,
            }
            s.timings.add(&timings);
        }
        Ok(())
    };
    let mut write = |o: Outcome, s: &mut Summary| -> Result<()> {
        pb.inc(1);
        match o {
            Outcome::Failed(e) => {
                pb.suspend(|| common::report_input_error(&e));
                s.failed += 1;
            }
            Outcome::Skipped => s.already_stored += 1,
            Outcome::Coded { prepared, sentences, quotes, actors, timings } => {
                group.0.push(*prepared);
                group.1.push((sentences, quotes, actors, timings));
            }
        }
        if group.0.len() >= GROUP_DOCS || (!group.0.is_empty() && last_commit.elapsed().as_millis() >= GROUP_MS) {
            commit(&mut group, s)?;
            last_commit = Instant::now();
        }
        Ok(())
    };
    if threads <= 1 {
        let reader = dyad_store::Store::open_read_only(&a.db).ok();
        let seen = |id| reader.as_ref().is_some_and(|r| r.contains(id).unwrap_or(false));
        for input in inputs {
            let o = code_one(&engine, &input, a.date, &seen)?;
            write(o, &mut s)?;
        }
    } else {
        parallel(&engine, inputs, a.date, threads, &a.db, |o| write(o, &mut s))?;
    }
    commit(&mut group, &mut s)?;
    pb.finish_and_clear();
    s.wall = start.elapsed();
    print_summary(&s, &a.db, threads);
    Ok(if s.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Codes `inputs` on `threads` workers and hands the outcomes to `write` on this thread, in
/// input order. Workers stay at most a window of documents ahead of the writer, which bounds
/// memory; the first error stops everything.
fn parallel(
    engine: &Engine,
    inputs: impl Iterator<Item = Result<RawDocument, IngestError>> + Send,
    date: Option<NaiveDate>,
    threads: usize,
    db: &std::path::Path,
    mut write: impl FnMut(Outcome) -> Result<()>,
) -> Result<()> {
    let window = 16 * threads;
    // The next input and its position; workers take them in turn.
    let next = Mutex::new((0usize, inputs));
    let stop = AtomicBool::new(false);
    // How many outcomes the writer has taken, for the window.
    let written = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Result<Outcome>)>(window);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, written) = (&next, &stop, &written);
            // A lookup that fails only costs the skip: the writer still refuses duplicates.
            let reader = dyad_store::Store::open_read_only(db).ok();
            let seen = move |id| reader.as_ref().is_some_and(|r| r.contains(id).unwrap_or(false));
            scope.spawn(move || loop {
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                let (i, input) = {
                    let mut n = next.lock().unwrap_or_else(|p| p.into_inner());
                    let Some(input) = n.1.next() else { return };
                    n.0 += 1;
                    (n.0 - 1, input)
                };
                {
                    let mut w = written.0.lock().unwrap_or_else(|p| p.into_inner());
                    while i >= *w + window && !stop.load(Ordering::SeqCst) {
                        w = written.1.wait(w).unwrap_or_else(|p| p.into_inner());
                    }
                }
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                let o = code_one(engine, &input, date, &seen);
                if tx.send((i, o)).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Result<Outcome>> = BTreeMap::new();
        let mut due = 0usize;
        let result = (|| -> Result<()> {
            for (i, o) in rx.iter() {
                pending.insert(i, o);
                while let Some(o) = pending.remove(&due) {
                    write(o?)?;
                    due += 1;
                    *written.0.lock().unwrap_or_else(|p| p.into_inner()) = due;
                    written.1.notify_all();
                }
            }
            Ok(())
        })();
        if result.is_err() {
            stop.store(true, Ordering::SeqCst);
            written.1.notify_all();
            // Let blocked senders finish.
            while rx.try_recv().is_ok() {}
        }
        drop(rx);
        result
    })
}

fn print_summary(s: &Summary, db: &std::path::Path, threads: usize) {
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
    let sum = if threads > 1 { format!(" (summed over {threads} workers)") } else { String::new() };
    println!("time per stage{sum}: {}; total {:.2} s", parts.join(", "), s.wall.as_secs_f64());
}
