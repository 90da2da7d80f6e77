//! `dyad serve`: the HTTP API and the dashboard over a store.

use crate::common;
use anyhow::{bail, Context, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Serve the store: a JSON API (documented at /openapi.json) and a web dashboard.
///
/// Writes (POST /api/documents) need a bearer token, from DYAD_TOKEN or --token-file.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad serve --db dyad.db\n  DYAD_TOKEN=secret dyad serve --addr 127.0.0.1:9000\n  dyad serve --token-file token.txt --max-body 2000000"
)]
pub struct Args {
    /// The store to serve (created if missing).
    #[arg(long, default_value_os_t = common::default_db())]
    db: PathBuf,
    /// Address to listen on. Loopback by default; another address exposes the store to the network.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// A file holding the bearer token of write endpoints (first line). Overrides DYAD_TOKEN.
    #[arg(long)]
    token_file: Option<PathBuf>,
    /// Largest request body in bytes (413 above).
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    max_body: usize,
    /// Most documents in one JSON batch.
    #[arg(long, default_value_t = 100)]
    max_batch: usize,
    /// Read-only SQLite connections (concurrent queries).
    #[arg(long, default_value_t = 4)]
    readers: usize,
    /// Most connections served at once; more are closed when accepted.
    #[arg(long, default_value_t = 512)]
    max_connections: usize,
    /// Relations and actor-list answers kept in memory, each until the store changes (0: none).
    #[arg(long, default_value_t = 1024)]
    cache: usize,
}

fn token(a: &Args) -> Result<Option<String>> {
    let t = match &a.token_file {
        Some(f) => {
            let s = std::fs::read_to_string(f).with_context(|| format!("cannot read token file {}", f.display()))?;
            Some(s.lines().next().unwrap_or("").trim().to_string())
        }
        None => std::env::var("DYAD_TOKEN").ok().map(|t| t.trim().to_string()),
    };
    match t {
        Some(t) if t.is_empty() => bail!("the token is empty (DYAD_TOKEN or --token-file)"),
        Some(t) if t.len() < 8 => bail!("the token is shorter than 8 characters"),
        t => Ok(t),
    }
}

pub fn run(a: Args) -> Result<ExitCode> {
    let mut cfg = dyad_server::Config::new(a.db.clone());
    cfg.addr = a.addr;
    cfg.token = token(&a)?;
    cfg.max_body = a.max_body.max(1);
    cfg.max_batch = a.max_batch.max(1);
    cfg.readers = a.readers.clamp(1, 64);
    cfg.max_connections = a.max_connections.max(1);
    cfg.cache_entries = a.cache;
    if !a.addr.ip().is_loopback() {
        eprintln!("dyad: warning: listening on {}, not loopback: the store is reachable from the network", a.addr);
    }
    dyad_server::run(cfg).map_err(anyhow::Error::msg)?;
    Ok(ExitCode::SUCCESS)
}
