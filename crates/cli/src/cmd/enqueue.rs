//! `dyad enqueue`: publish documents to the work queue of a deployment.

use super::cluster::{QueueArgs, QueuedDocument, FORMAT};
use crate::common;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::path::PathBuf;
use std::process::ExitCode;

/// Publish documents to the JetStream work queue for `dyad worker` processes.
///
/// Each document is one message whose id is the document's id: publishing the same document
/// again within a day is dropped by the server, and a stored document is never stored twice.
#[derive(clap::Args)]
#[command(after_help = "Example:\n  dyad enqueue corpus/ --nats nats://127.0.0.1:4222 --date 2025-02-07")]
pub struct Args {
    /// Files or folders (recursive); `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    queue: QueueArgs,
    /// Document date (YYYY-MM-DD) for pages that carry none.
    #[arg(long, value_parser = common::parse_date)]
    date: Option<NaiveDate>,
}

/// Messages above this size are refused by a default NATS server (1 MB `max_payload`).
const MAX_MESSAGE: usize = 1024 * 1024 - 4096;

pub fn run(a: Args) -> Result<ExitCode> {
    let queue = dyad_queue::Queue::connect(a.queue.config()?)?;
    let mut failed = 0u64;
    let (mut new, mut dup) = (0u64, 0u64);
    let mut batch: Vec<(String, Vec<u8>)> = Vec::new();
    let mut flush = |batch: &mut Vec<(String, Vec<u8>)>| -> Result<()> {
        for p in queue.publish(std::mem::take(batch)).context("cannot publish to the queue")? {
            match p {
                dyad_queue::Published::New => new += 1,
                dyad_queue::Published::Duplicate => dup += 1,
            }
        }
        Ok(())
    };
    for input in dyad_ingest::read_inputs(&a.paths) {
        let raw = match input {
            Ok(r) => r,
            Err(e) => {
                common::report_input_error(&e);
                failed += 1;
                continue;
            }
        };
        // The id is the one the store will give the document, so that duplicates are dropped
        // by the queue before any worker codes them.
        let id = match dyad_ingest::extract(&raw) {
            Ok(article) => article.id,
            Err(e) => {
                common::report_input_error(&e);
                failed += 1;
                continue;
            }
        };
        let source = raw.source.clone();
        let payload = serde_json::to_vec(&QueuedDocument { format: FORMAT.into(), date: a.date, raw })?;
        if payload.len() > MAX_MESSAGE {
            eprintln!("dyad: skipped {source}: {} bytes, too large for one queue message", payload.len());
            failed += 1;
            continue;
        }
        batch.push((id.to_string(), payload));
        if batch.len() >= 256 {
            flush(&mut batch)?;
        }
    }
    flush(&mut batch)?;
    println!("enqueued {new} documents ({dup} already queued, {failed} failed) on stream {}", queue.config().stream);
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
