//! What `dyad enqueue`, `dyad worker` and `dyad status` share: the message format of a queued
//! document and the queue options.

use anyhow::Result;
use chrono::NaiveDate;
use dyad_model::RawDocument;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The version tag of a queued document's message.
pub const FORMAT: &str = "dyad.document/1";

/// One queued document: the bytes as read (so the worker extracts and codes them exactly as
/// `dyad run` would) and the date given on the command line.
#[derive(Serialize, Deserialize)]
pub struct QueuedDocument {
    pub format: String,
    pub date: Option<NaiveDate>,
    pub raw: RawDocument,
}

impl QueuedDocument {
    /// Reads a message; anything that is not a queued document is an error that says why.
    pub fn decode(payload: &[u8]) -> Result<QueuedDocument, String> {
        let q: QueuedDocument =
            serde_json::from_slice(payload).map_err(|e| format!("not a dyad document message: {e}"))?;
        if q.format != FORMAT {
            return Err(format!("unknown message format {:?} (this dyad reads {FORMAT:?})", q.format));
        }
        Ok(q)
    }
}

/// The queue options of the three commands.
#[derive(clap::Args, Clone)]
pub struct QueueArgs {
    /// The NATS server (JetStream enabled), e.g. nats://127.0.0.1:4222.
    #[arg(long, value_name = "URL", env = "DYAD_NATS")]
    pub nats: String,
    /// The JetStream stream of the queue; subjects are dyad.NAME.docs and dyad.NAME.dead.
    #[arg(long, value_name = "NAME", default_value = "DYAD")]
    pub stream: String,
    /// Deliveries of a failing message before it goes to the dead-letter subject (applies
    /// when the queue is created).
    #[arg(long, default_value_t = 5)]
    pub max_deliver: i64,
    /// Seconds a delivery may stay unacknowledged (a killed worker's) before it is
    /// redelivered (applies when the queue is created).
    #[arg(long, default_value_t = 60)]
    pub ack_wait: u64,
}

impl QueueArgs {
    pub fn config(&self) -> Result<dyad_queue::QueueConfig> {
        if self.stream.is_empty() || !self.stream.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            anyhow::bail!("--stream: expected letters, digits, '_' or '-', got {:?}", self.stream);
        }
        let mut c = dyad_queue::QueueConfig::new(&self.nats);
        c.stream = self.stream.clone();
        c.max_deliver = self.max_deliver.max(1);
        c.ack_wait = Duration::from_secs(self.ack_wait.max(1));
        Ok(c)
    }
}

pub fn parse_db(s: &str) -> Result<dyad_store::DbUrl, String> {
    dyad_store::DbUrl::parse(s)
}

/// A structured log line on stderr: one JSON object with the time, the worker and the fields.
pub fn log(worker: &str, level: &str, msg: &str, fields: serde_json::Value) {
    let mut o = serde_json::json!({
        "ts": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "level": level,
        "worker": worker,
        "msg": msg,
    });
    if let (Some(o), serde_json::Value::Object(f)) = (o.as_object_mut(), fields) {
        o.extend(f);
    }
    eprintln!("{o}");
}
