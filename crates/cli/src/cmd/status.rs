//! `dyad status`: the queue and the store of a deployment at a glance.

use super::cluster::{self, QueueArgs};
use anyhow::{Context, Result};
use dyad_store::DbUrl;
use std::process::ExitCode;

/// Show queue depth, documents done and failures (dead letters) of a deployment.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  dyad status --nats nats://127.0.0.1:4222 --db postgres://dyad@127.0.0.1:5432/dyad\n\nExit code 1 when there are dead letters."
)]
pub struct Args {
    #[command(flatten)]
    queue: QueueArgs,
    /// The store the workers write.
    #[arg(long, value_parser = cluster::parse_db, env = "DYAD_STORE")]
    db: Option<DbUrl>,
    /// Dead letters to list (newest last).
    #[arg(long, default_value_t = 10)]
    dead: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let queue = dyad_queue::Queue::connect(a.queue.config()?)?;
    let s = queue.status().context("cannot read the queue state")?;
    let dead = if a.dead > 0 { queue.dead_letters(a.dead)? } else { Vec::new() };
    let counts = match &a.db {
        Some(db) => {
            let mut st = dyad_store::open_backend(db).with_context(|| format!("cannot open store {db}"))?;
            Some(st.counts()?)
        }
        None => None,
    };
    if a.json {
        let mut o = serde_json::json!({
            "stream": queue.config().stream,
            "queue": {"waiting": s.pending, "in_flight": s.in_flight, "in_stream": s.stream_messages,
                      "redelivered": s.redelivered, "dead_letters": s.dead},
            "dead_letters": dead.iter().map(|d| serde_json::json!({"reason": d.reason, "msg_id": d.id,
                      "stream_seq": d.stream_seq, "bytes": d.bytes})).collect::<Vec<_>>(),
        });
        if let Some(c) = counts {
            o["store"] = serde_json::json!({"documents": c.documents, "events": c.events, "mentions": c.mentions,
                "quotes": c.quotes, "stories": c.stories});
        }
        println!("{o}");
    } else {
        println!(
            "queue {}: {} waiting, {} in flight, {} redelivered, {} dead-lettered",
            queue.config().stream,
            s.pending,
            s.in_flight,
            s.redelivered,
            s.dead
        );
        if let (Some(c), Some(db)) = (counts, &a.db) {
            println!(
                "store {db}: {} documents done, {} events from {} mentions, {} quotes",
                c.documents, c.events, c.mentions, c.quotes
            );
        }
        if !dead.is_empty() {
            println!("dead letters (newest last):");
            for d in &dead {
                let id = d.id.as_deref().unwrap_or("-");
                println!("  message {} (id {id}, {} bytes): {}", d.stream_seq.unwrap_or(0), d.bytes, d.reason);
            }
        }
    }
    Ok(if s.dead > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
