//! The work queue of a dyad deployment, on NATS JetStream.
//!
//! - [`Queue`]: a connection to a NATS server and the names of one queue ([`QueueConfig`]):
//!   the work stream (`NAME`, subject `dyad.NAME.docs`, work-queue retention, so a message
//!   leaves the stream when it is acknowledged), its durable pull consumer (`NAME_workers`),
//!   and the dead-letter stream (`NAME_DEAD`, subject `dyad.NAME.dead`).
//! - [`Queue::publish`]: one message per document, with the document's id as the JetStream
//!   message id, so the server drops a document published twice within the duplicate window.
//! - [`Queue::fetch`] gives [`Delivery`]s: the caller acknowledges one only after its result
//!   is stored ([`Queue::ack`]); [`Queue::retry_later`] hands it back with a delay;
//!   [`Queue::dead_letter`] publishes it with the reason to the dead-letter subject and stops
//!   its redelivery. A delivery neither acknowledged nor refused within the ack wait (a worker
//!   killed mid-document) is redelivered, to this or another worker.
//! - [`Queue::status`]: depth, in-flight and dead-lettered messages.
//!
//! The API is blocking: the queue owns a small tokio runtime, so that the coding workers stay
//! plain threads. Only the `dyad` binary knows this crate; the stage crates never do.

use async_nats::jetstream::{self, consumer, stream, AckKind};
use futures_util::StreamExt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("cannot connect to NATS at {url}: {message}")]
    Connect { url: String, message: String },
    #[error("nats: {0}")]
    Nats(String),
    #[error("cannot start the queue runtime: {0}")]
    Runtime(std::io::Error),
}

fn nats<E: std::fmt::Display>(e: E) -> QueueError {
    QueueError::Nats(e.to_string())
}

/// The names and limits of one queue.
#[derive(Debug, Clone)]
pub struct QueueConfig {
    /// `nats://host:port`.
    pub url: String,
    /// The work stream; the other names derive from it.
    pub stream: String,
    /// Deliveries of one message before it is dead-lettered.
    pub max_deliver: i64,
    /// How long a delivery may stay unacknowledged before the server redelivers it.
    pub ack_wait: Duration,
}

impl QueueConfig {
    pub fn new(url: &str) -> QueueConfig {
        QueueConfig { url: url.to_string(), stream: "DYAD".into(), max_deliver: 5, ack_wait: Duration::from_secs(60) }
    }
    pub fn subject(&self) -> String {
        format!("dyad.{}.docs", self.stream)
    }
    pub fn dead_subject(&self) -> String {
        format!("dyad.{}.dead", self.stream)
    }
    pub fn dead_stream(&self) -> String {
        format!("{}_DEAD", self.stream)
    }
    pub fn consumer(&self) -> String {
        format!("{}_workers", self.stream)
    }
}

/// What [`Queue::publish`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    New,
    /// The server had this message id already (within the duplicate window).
    Duplicate,
}

/// One delivery of a message to this worker.
pub struct Delivery {
    msg: jetstream::Message,
    /// How many times the message has been delivered, this one included.
    pub delivered: i64,
    /// The message's sequence number in the work stream.
    pub stream_seq: u64,
    /// The message id given when it was published (the document id), if any.
    pub id: Option<String>,
}

impl Delivery {
    pub fn payload(&self) -> &[u8] {
        &self.msg.message.payload
    }
}

/// Queue counters for `dyad status`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueStatus {
    /// Messages in the work stream: waiting plus in flight (acknowledged ones leave it).
    pub stream_messages: u64,
    /// Not yet delivered to any worker.
    pub pending: u64,
    /// Delivered, not yet acknowledged.
    pub in_flight: u64,
    /// Messages delivered more than once so far.
    pub redelivered: u64,
    /// Messages in the dead-letter stream.
    pub dead: u64,
}

/// A dead-lettered message: why, and what it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    pub reason: String,
    pub id: Option<String>,
    pub stream_seq: Option<u64>,
    pub bytes: usize,
}

pub struct Queue {
    rt: tokio::runtime::Runtime,
    js: jetstream::Context,
    client: async_nats::Client,
    cfg: QueueConfig,
    events: Arc<Mutex<Vec<String>>>,
}

impl Queue {
    /// Connects and creates the streams and the consumer when they do not exist (idempotent:
    /// any number of workers and publishers may call it at once).
    pub fn connect(cfg: QueueConfig) -> Result<Queue, QueueError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(QueueError::Runtime)?;
        let url = cfg.url.clone();
        let events: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = events.clone();
        let client = rt
            .block_on(async {
                let opts = async_nats::ConnectOptions::new()
                    .connection_timeout(Duration::from_secs(5))
                    .request_timeout(Some(Duration::from_secs(10)))
                    // Reconnect for ever in the background: a worker rides out a NATS restart.
                    .max_reconnects(None)
                    .event_callback(move |e| {
                        let sink = sink.clone();
                        async move {
                            if let Ok(mut v) = sink.lock() {
                                // Bounded: a caller that never reads them loses the oldest.
                                if v.len() >= 1000 {
                                    v.remove(0);
                                }
                                v.push(e.to_string());
                            }
                        }
                    });
                tokio::time::timeout(Duration::from_secs(10), opts.connect(url.as_str())).await
            })
            .map_err(|_| QueueError::Connect { url: url.clone(), message: "timed out".into() })?
            .map_err(|e| QueueError::Connect { url: url.clone(), message: e.to_string() })?;
        // The context spawns its acker task: it must be made inside the runtime.
        let js = {
            let _guard = rt.enter();
            jetstream::new(client.clone())
        };
        let q = Queue { rt, js, client, cfg, events };
        q.ensure()?;
        Ok(q)
    }

    pub fn config(&self) -> &QueueConfig {
        &self.cfg
    }

    fn ensure(&self) -> Result<(), QueueError> {
        let cfg = &self.cfg;
        self.rt.block_on(async {
            let work = self
                .js
                .get_or_create_stream(stream::Config {
                    name: cfg.stream.clone(),
                    subjects: vec![cfg.subject()],
                    retention: stream::RetentionPolicy::WorkQueue,
                    storage: stream::StorageType::File,
                    // Publishing the same document again within a day is a no-op.
                    duplicate_window: Duration::from_secs(24 * 3600),
                    ..Default::default()
                })
                .await
                .map_err(nats)?;
            self.js
                .get_or_create_stream(stream::Config {
                    name: cfg.dead_stream(),
                    subjects: vec![cfg.dead_subject()],
                    storage: stream::StorageType::File,
                    ..Default::default()
                })
                .await
                .map_err(nats)?;
            work.get_or_create_consumer(
                &cfg.consumer(),
                consumer::pull::Config {
                    durable_name: Some(cfg.consumer()),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ack_wait: cfg.ack_wait,
                    max_deliver: cfg.max_deliver,
                    max_ack_pending: 1024,
                    ..Default::default()
                },
            )
            .await
            .map_err(nats)?;
            Ok(())
        })
    }

    /// Publishes messages `(id, payload)` and waits until the server has stored every one.
    /// Many are in flight at once, so a large batch costs about one round trip per window.
    pub fn publish(&self, items: Vec<(String, Vec<u8>)>) -> Result<Vec<Published>, QueueError> {
        let subject = self.cfg.subject();
        self.rt.block_on(async {
            let mut out = Vec::with_capacity(items.len());
            for chunk in items.chunks(256) {
                let mut acks = Vec::with_capacity(chunk.len());
                for (id, payload) in chunk {
                    let p = jetstream::message::PublishMessage::build()
                        .payload(bytes::Bytes::from(payload.clone()))
                        .message_id(id.as_str());
                    acks.push(self.js.send_publish(subject.clone(), p).await.map_err(nats)?);
                }
                for a in acks {
                    let ack = a.await.map_err(nats)?;
                    out.push(if ack.duplicate { Published::Duplicate } else { Published::New });
                }
            }
            Ok(out)
        })
    }

    /// Up to `max` deliveries, waiting at most `wait` for the first.
    pub fn fetch(&self, max: usize, wait: Duration) -> Result<Vec<Delivery>, QueueError> {
        let cfg = &self.cfg;
        self.rt.block_on(async {
            let stream = self.js.get_stream_no_info(&cfg.stream).await.map_err(nats)?;
            let c: consumer::PullConsumer = stream.get_consumer(&cfg.consumer()).await.map_err(nats)?;
            let mut msgs = c.fetch().max_messages(max).expires(wait).messages().await.map_err(nats)?;
            let mut out = Vec::new();
            while let Some(m) = msgs.next().await {
                let msg = m.map_err(nats)?;
                let (delivered, stream_seq) = match msg.info() {
                    Ok(i) => (i.delivered, i.stream_sequence),
                    Err(_) => (1, 0),
                };
                let id =
                    msg.message.headers.as_ref().and_then(|h| h.get("Nats-Msg-Id")).map(|v| v.as_str().to_string());
                out.push(Delivery { msg, delivered, stream_seq, id });
            }
            Ok(out)
        })
    }

    /// Acknowledges a delivery and waits for the server to confirm, so that a caller that
    /// returns knows the message is gone from the queue.
    pub fn ack(&self, d: &Delivery) -> Result<(), QueueError> {
        self.rt.block_on(d.msg.double_ack()).map_err(nats)
    }

    /// Tells the server that work on `d` goes on (a write waiting for the database), so that
    /// it is not redelivered to another worker meanwhile.
    pub fn in_progress(&self, d: &Delivery) -> Result<(), QueueError> {
        self.rt.block_on(d.msg.ack_with(AckKind::Progress)).map_err(nats)
    }

    /// Hands `d` back to be delivered again after `delay`.
    pub fn retry_later(&self, d: &Delivery, delay: Duration) -> Result<(), QueueError> {
        self.rt.block_on(d.msg.ack_with(AckKind::Nak(Some(delay)))).map_err(nats)
    }

    /// Publishes `d` with `reason` to the dead-letter subject, then stops its redelivery. The
    /// dead letter carries the original payload, its message id and stream sequence.
    pub fn dead_letter(&self, d: &Delivery, reason: &str) -> Result<(), QueueError> {
        let subject = self.cfg.dead_subject();
        self.rt.block_on(async {
            let mut h = async_nats::HeaderMap::new();
            // Header values are one line.
            let one_line: String = reason.chars().map(|c| if c.is_control() { ' ' } else { c }).take(1000).collect();
            h.insert("Dyad-Reason", one_line.as_str());
            h.insert("Dyad-Stream-Seq", d.stream_seq.to_string().as_str());
            h.insert("Dyad-Delivered", d.delivered.to_string().as_str());
            if let Some(id) = &d.id {
                h.insert("Dyad-Msg-Id", id.as_str());
            }
            let ack = self.js.publish_with_headers(subject, h, d.msg.message.payload.clone()).await.map_err(nats)?;
            ack.await.map_err(nats)?;
            d.msg.double_ack_with(AckKind::Term).await.map_err(nats)
        })
    }

    pub fn status(&self) -> Result<QueueStatus, QueueError> {
        let cfg = &self.cfg;
        self.rt.block_on(async {
            let mut work = self.js.get_stream(&cfg.stream).await.map_err(nats)?;
            let stream_messages = work.info().await.map_err(nats)?.state.messages;
            let mut c: consumer::PullConsumer = work.get_consumer(&cfg.consumer()).await.map_err(nats)?;
            let ci = c.info().await.map_err(nats)?;
            let (pending, in_flight, redelivered) =
                (ci.num_pending, ci.num_ack_pending as u64, ci.num_redelivered as u64);
            let mut dead = self.js.get_stream(cfg.dead_stream()).await.map_err(nats)?;
            let dead = dead.info().await.map_err(nats)?.state.messages;
            Ok(QueueStatus { stream_messages, pending, in_flight, redelivered, dead })
        })
    }

    /// The most recent dead letters, newest last (at most `limit`).
    pub fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, QueueError> {
        let cfg = &self.cfg;
        self.rt.block_on(async {
            let mut dead = self.js.get_stream(cfg.dead_stream()).await.map_err(nats)?;
            let state = dead.info().await.map_err(nats)?.state.clone();
            let mut out = Vec::new();
            if state.messages == 0 || limit == 0 {
                return Ok(out);
            }
            let first = state.first_sequence.max(state.last_sequence.saturating_sub(limit as u64 - 1));
            for seq in first..=state.last_sequence {
                let Ok(m) = dead.get_raw_message(seq).await else { continue };
                let h = |k: &str| m.headers.get(k).map(|v| v.as_str().to_string());
                out.push(DeadLetter {
                    reason: h("Dyad-Reason").unwrap_or_default(),
                    id: h("Dyad-Msg-Id"),
                    stream_seq: h("Dyad-Stream-Seq").and_then(|s| s.parse().ok()),
                    bytes: m.payload.len(),
                });
            }
            Ok(out)
        })
    }

    /// Connection events since the last call ("disconnected", "connected", server errors), for
    /// the caller's logs.
    pub fn take_events(&self) -> Vec<String> {
        self.events.lock().map(|mut v| std::mem::take(&mut *v)).unwrap_or_default()
    }

    /// Whether the connection to the server is up right now.
    pub fn connected(&self) -> bool {
        matches!(self.client.connection_state(), async_nats::connection::State::Connected)
    }
}
