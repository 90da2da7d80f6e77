//! `dyad worker`: pull documents from the queue, code them, store them, acknowledge.
//!
//! Exactly-once results from at-least-once delivery: a delivery is acknowledged only after its
//! document is committed, and the store skips a document it already holds, so a redelivery
//! (a worker killed mid-document, a lost ack) changes nothing. A message that is not a
//! document, or a document that cannot be read, goes to the dead-letter subject with the
//! reason at once; a write that keeps failing for another reason goes there after the
//! queue's maximum deliveries. A lost database or NATS connection is retried with backoff
//! while the delivery is kept (and reported in progress, so it is not handed to another
//! worker); nothing is acknowledged before it is stored.
//!
//! Two threads: this one fetches, extracts and codes; a writer thread stores and acknowledges,
//! so the database round trips of one document overlap with the coding of the next. A
//! redelivered document that is stored already is coded again and skipped by the store (one
//! wasted coding per redelivery, in exchange for no lookup per document).

use super::cluster::{self, log, QueueArgs, QueuedDocument};
use crate::common;
use anyhow::{Context, Result};
use dyad_engine::{Engine, Timings};
use dyad_queue::{Delivery, Queue};
use dyad_store::{DbUrl, DocumentStore, Prepared, Put};
use serde_json::json;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Code documents from the queue into a shared store; run as many as you like.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  dyad worker --nats nats://127.0.0.1:4222 --db postgres://dyad@127.0.0.1:5432/dyad\n\nLogs are JSON lines on stderr."
)]
pub struct Args {
    #[command(flatten)]
    queue: QueueArgs,
    /// The store: postgres://user@host:port/db (shared by all workers) or sqlite:PATH.
    #[arg(long, value_parser = cluster::parse_db, env = "DYAD_STORE")]
    db: DbUrl,
    #[command(flatten)]
    dict: common::DictArgs,
    /// Messages fetched at once.
    #[arg(long, default_value_t = 4)]
    batch: usize,
    /// Exit when the queue has nothing left to deliver or in flight (for batch jobs and tests).
    #[arg(long)]
    drain: bool,
    /// The worker's name in logs (default: host-pid).
    #[arg(long)]
    name: Option<String>,
    /// Serve Prometheus metrics on this address (e.g. 127.0.0.1:9464) at /metrics.
    #[arg(long, value_name = "ADDR")]
    metrics: Option<std::net::SocketAddr>,
    /// Log every stored document, not only progress every 10 seconds and failures.
    #[arg(long, short)]
    verbose: bool,
}

/// Counters, shared with the metrics endpoint.
#[derive(Default)]
struct Metrics {
    stored: AtomicU64,
    already: AtomicU64,
    dead: AtomicU64,
    retries: AtomicU64,
    code_us: AtomicU64,
    store_us: AtomicU64,
}

impl Metrics {
    fn render(&self) -> String {
        let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
        format!(
            "# TYPE dyad_worker_documents_stored_total counter\ndyad_worker_documents_stored_total {}\n\
             # TYPE dyad_worker_documents_already_stored_total counter\ndyad_worker_documents_already_stored_total {}\n\
             # TYPE dyad_worker_dead_letters_total counter\ndyad_worker_dead_letters_total {}\n\
             # TYPE dyad_worker_retries_total counter\ndyad_worker_retries_total {}\n\
             # TYPE dyad_worker_code_seconds_total counter\ndyad_worker_code_seconds_total {:.6}\n\
             # TYPE dyad_worker_store_seconds_total counter\ndyad_worker_store_seconds_total {:.6}\n",
            g(&self.stored),
            g(&self.already),
            g(&self.dead),
            g(&self.retries),
            g(&self.code_us) as f64 / 1e6,
            g(&self.store_us) as f64 / 1e6,
        )
    }
}

/// A minimal HTTP endpoint for Prometheus: every request gets the metrics.
fn serve_metrics(addr: std::net::SocketAddr, m: Arc<Metrics>) -> Result<()> {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut s) = conn else { continue };
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf);
            let body = m.render();
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Ok(())
}

/// Waits before retry `attempt` (0, 1, …): 0.2 s doubling up to 5 s.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis((200u64 << attempt.min(5)).min(5_000))
}

/// A coded document on its way from the coding thread to the writer thread.
/// Coded documents that may wait for the writer (and that one transaction holds at most).
const WAITING: usize = 8;

struct Job {
    d: Delivery,
    prepared: Box<Prepared>,
    source: String,
    code_ms: f64,
}

/// Publishes `d` to the dead-letter subject with `reason`. A failure to do so (NATS away) is
/// logged: the message is then redelivered after the ack wait and meets the same fate.
fn dead_letter(name: &str, queue: &Queue, metrics: &Metrics, d: &Delivery, reason: &str) {
    log(
        name,
        "error",
        "dead-lettered",
        json!({"reason": reason, "msg_id": d.id, "stream_seq": d.stream_seq, "delivered": d.delivered}),
    );
    metrics.dead.fetch_add(1, Ordering::Relaxed);
    if let Err(e) = queue.dead_letter(d, reason) {
        log(name, "warn", "dead letter not published, the message will come back", json!({"error": e.to_string()}));
    }
}

/// Decodes, extracts, codes and prepares one delivery; what cannot be read goes to the
/// dead-letter subject at once (retrying would not help).
fn code(engine: &Engine, name: &str, queue: &Queue, metrics: &Metrics, d: Delivery) -> Option<Job> {
    let t0 = Instant::now();
    let q = match QueuedDocument::decode(d.payload()) {
        Ok(q) => q,
        Err(reason) => {
            dead_letter(name, queue, metrics, &d, &reason);
            return None;
        }
    };
    let source = q.raw.source.clone();
    let article = match dyad_ingest::extract(&q.raw) {
        Ok(a) => a,
        Err(e) => {
            dead_letter(name, queue, metrics, &d, &e.to_string());
            return None;
        }
    };
    let doc = engine.code(article, q.date, &mut Timings::default());
    let prepared = match dyad_store::prepare(&doc) {
        Ok(p) => p,
        Err(e) => {
            dead_letter(name, queue, metrics, &d, &format!("{source}: cannot prepare for the store: {e}"));
            return None;
        }
    };
    metrics.code_us.fetch_add(t0.elapsed().as_micros() as u64, Ordering::Relaxed);
    Some(Job { d, prepared: Box::new(prepared), source, code_ms: t0.elapsed().as_secs_f64() * 1e3 })
}

/// The writer thread: stores what the coding thread prepared and acknowledges it, so that the
/// database round trips of one document overlap with the coding of the next.
struct Writer {
    name: String,
    db: DbUrl,
    store: Option<Box<dyn DocumentStore>>,
    queue: Arc<Queue>,
    metrics: Arc<Metrics>,
    verbose: bool,
}

impl Writer {
    /// The store, connecting (again) when needed; waits with backoff while the database is
    /// unreachable. Only a permanent error (a store of a newer dyad, bad credentials) is returned.
    fn store(&mut self, keep: Option<&Delivery>) -> Result<&mut Box<dyn DocumentStore>> {
        let mut attempt = 0;
        while self.store.is_none() {
            match dyad_store::open_backend(&self.db) {
                Ok(s) => {
                    if attempt > 0 {
                        log(&self.name, "info", "store reconnected", json!({"db": self.db.to_string()}));
                    }
                    self.store = Some(s);
                }
                Err(e) if e.is_transient() => {
                    log(
                        &self.name,
                        "warn",
                        "store unavailable, retrying",
                        json!({"db": self.db.to_string(), "error": e.to_string(), "attempt": attempt}),
                    );
                    self.metrics.retries.fetch_add(1, Ordering::Relaxed);
                    if let Some(d) = keep {
                        let _ = self.queue.in_progress(d);
                    }
                    std::thread::sleep(backoff(attempt));
                    attempt += 1;
                }
                Err(e) => return Err(e).with_context(|| format!("cannot open store {}", self.db)),
            }
        }
        Ok(self.store.as_mut().expect("connected above"))
    }

    /// Stores the jobs waiting together in one transaction (one lock and one commit for all),
    /// retrying while the database is away, then acknowledges each. A batch that fails for good
    /// is written job by job, so that only the failing document is redelivered (and, on its last
    /// delivery, dead-lettered). Returns an error only when the store cannot be opened for good.
    fn write_batch(&mut self, jobs: Vec<Job>) -> Result<()> {
        let Some(first) = jobs.first() else { return Ok(()) };
        let t1 = Instant::now();
        let mut attempt = 0;
        loop {
            let ps: Vec<&Prepared> = jobs.iter().map(|j| &*j.prepared).collect();
            match self.store(Some(&first.d))?.put_batch(&ps) {
                Ok(puts) => {
                    let share = t1.elapsed().as_micros() as u64 / jobs.len() as u64;
                    for (job, put) in jobs.iter().zip(puts) {
                        self.metrics.store_us.fetch_add(share, Ordering::Relaxed);
                        self.acknowledge(job, put, t1);
                    }
                    return Ok(());
                }
                Err(e) if e.is_transient() => {
                    // The database went away: drop the connection, keep the deliveries, wait.
                    log(
                        &self.name,
                        "warn",
                        "store write failed, retrying",
                        json!({"doc": first.prepared.doc_id().to_string(), "docs": jobs.len(),
                        "error": e.to_string(), "attempt": attempt}),
                    );
                    self.metrics.retries.fetch_add(1, Ordering::Relaxed);
                    self.store = None;
                    for j in &jobs {
                        let _ = self.queue.in_progress(&j.d);
                    }
                    std::thread::sleep(backoff(attempt));
                    attempt += 1;
                }
                Err(_) if jobs.len() > 1 => {
                    for job in jobs {
                        self.write_batch(vec![job])?;
                    }
                    return Ok(());
                }
                Err(e) => {
                    // Failed for good: redelivered until its last delivery, then dead-lettered.
                    let (d, reason) = (&first.d, format!("{}: {e}", first.source));
                    if d.delivered >= self.queue.config().max_deliver {
                        let reason = format!("after {} deliveries: {reason}", d.delivered);
                        dead_letter(&self.name, &self.queue, &self.metrics, d, &reason);
                    } else {
                        log(
                            &self.name,
                            "warn",
                            "write failed, redelivering later",
                            json!({"reason": reason, "delivered": d.delivered}),
                        );
                        self.metrics.retries.fetch_add(1, Ordering::Relaxed);
                        let _ = self.queue.retry_later(d, backoff(d.delivered as u32 + 2));
                    }
                    return Ok(());
                }
            }
        }
    }

    /// After the commit: acknowledges the delivery and counts it.
    fn acknowledge(&self, job: &Job, put: Put, t1: Instant) {
        let (d, id) = (&job.d, job.prepared.doc_id());
        // Committed: only now may the message leave the queue. A lost ack means a redelivery,
        // which the store skips.
        if let Err(e) = self.queue.ack(d) {
            log(
                &self.name,
                "warn",
                "ack failed, the document will be redelivered and skipped",
                json!({"doc": id.to_string(), "error": e.to_string()}),
            );
        }
        match put {
            Put::Stored => self.metrics.stored.fetch_add(1, Ordering::Relaxed),
            Put::AlreadyStored => self.metrics.already.fetch_add(1, Ordering::Relaxed),
        };
        if self.verbose {
            log(
                &self.name,
                "info",
                "stored",
                json!({"doc": id.to_string(), "source": job.source, "events": job.prepared.events(),
                "put": format!("{put:?}"), "delivered": d.delivered, "code_ms": job.code_ms,
                "store_ms": t1.elapsed().as_secs_f64() * 1e3}),
            );
        }
    }
}

pub fn run(a: Args) -> Result<ExitCode> {
    let name = a.name.clone().unwrap_or_else(|| {
        let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_default();
        format!("{}-{}", if host.is_empty() { "worker" } else { &host }, std::process::id())
    });
    let metrics = Arc::new(Metrics::default());
    if let Some(addr) = a.metrics {
        serve_metrics(addr, metrics.clone())?;
    }
    let engine = a.dict.engine()?;
    let cfg = a.queue.config()?;
    let mut attempt = 0;
    let queue = Arc::new(loop {
        match Queue::connect(cfg.clone()) {
            Ok(q) => break q,
            Err(e) => {
                log(&name, "warn", "queue unavailable, retrying", json!({"error": e.to_string(), "attempt": attempt}));
                std::thread::sleep(backoff(attempt));
                attempt += 1;
            }
        }
    });
    let mut writer = Writer {
        name: name.clone(),
        db: a.db.clone(),
        store: None,
        queue: queue.clone(),
        metrics: metrics.clone(),
        verbose: a.verbose,
    };
    writer.store(None)?;
    log(&name, "info", "started", json!({"nats": cfg.url, "stream": cfg.stream, "db": a.db.to_string()}));
    let start = Instant::now();
    // Up to eight coded documents may wait for the writer, which stores what waits in one
    // transaction: coding does not stall while another worker holds the write lock, and a killed
    // worker leaves little to redeliver.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Job>(WAITING);
    let writing = std::thread::spawn(move || -> Result<()> {
        while let Ok(job) = rx.recv() {
            let mut jobs = vec![job];
            while jobs.len() < WAITING {
                match rx.try_recv() {
                    Ok(j) => jobs.push(j),
                    Err(_) => break,
                }
            }
            writer.write_batch(jobs)?;
        }
        Ok(())
    });
    let mut last_report = Instant::now();
    let mut attempt = 0u32;
    'fetch: loop {
        for e in queue.take_events() {
            let level = if e == "connected" { "info" } else { "warn" };
            log(&name, level, "queue connection", json!({"event": e}));
        }
        // A draining worker asks often, so that it notices the end of the queue soon.
        let wait = if a.drain { Duration::from_millis(250) } else { Duration::from_secs(2) };
        let batch = match queue.fetch(a.batch.max(1), wait) {
            Ok(b) => {
                attempt = 0;
                b
            }
            Err(e) => {
                log(&name, "warn", "fetch failed, retrying", json!({"error": e.to_string(), "attempt": attempt}));
                metrics.retries.fetch_add(1, Ordering::Relaxed);
                std::thread::sleep(backoff(attempt));
                attempt += 1;
                continue;
            }
        };
        // Done when nothing is waiting and nothing is in flight, ours included (the writer
        // acknowledges what it holds before the server counts it done).
        if batch.is_empty() && a.drain {
            match queue.status() {
                Ok(s) if s.pending == 0 && s.in_flight == 0 => break,
                Ok(_) => {}
                Err(e) => log(&name, "warn", "status failed", json!({"error": e.to_string()})),
            }
        }
        for d in batch {
            if let Some(job) = code(&engine, &name, &queue, &metrics, d) {
                if tx.send(job).is_err() {
                    // The writer stopped: its error says why.
                    break 'fetch;
                }
            }
        }
        if last_report.elapsed() >= Duration::from_secs(10) {
            last_report = Instant::now();
            progress(&name, &metrics, start, "progress");
        }
    }
    drop(tx);
    match writing.join() {
        Ok(r) => r?,
        Err(_) => anyhow::bail!("the writer thread panicked"),
    }
    progress(&name, &metrics, start, "drained");
    Ok(ExitCode::SUCCESS)
}

fn progress(name: &str, m: &Metrics, start: Instant, msg: &str) {
    let g = |a: &AtomicU64| a.load(Ordering::Relaxed);
    let secs = start.elapsed().as_secs_f64();
    log(
        name,
        "info",
        msg,
        json!({"stored": g(&m.stored), "already_stored": g(&m.already), "dead_letters": g(&m.dead),
               "retries": g(&m.retries), "docs_per_s": g(&m.stored) as f64 / secs.max(1e-9),
               "code_s": g(&m.code_us) as f64 / 1e6, "store_s": g(&m.store_us) as f64 / 1e6}),
    );
}
