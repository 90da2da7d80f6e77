//! Prometheus metrics in the text exposition format: requests by route, method and status,
//! request latency histograms by route, and the documents stored (read at scrape time).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Hist {
    counts: Vec<u64>,
    sum: f64,
    n: u64,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Hist>>,
    ingested: Mutex<u64>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Escapes a label value.
fn label(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

impl Metrics {
    pub fn observe(&self, route: &str, method: &str, status: u16, took: Duration) {
        *lock(&self.requests).entry((route.to_string(), method.to_string(), status)).or_default() += 1;
        let mut l = lock(&self.latency);
        let h = l.entry(route.to_string()).or_default();
        if h.counts.is_empty() {
            h.counts = vec![0; BUCKETS.len()];
        }
        let s = took.as_secs_f64();
        for (i, b) in BUCKETS.iter().enumerate() {
            if s <= *b {
                h.counts[i] += 1;
            }
        }
        h.sum += s;
        h.n += 1;
    }

    pub fn add_ingested(&self, n: u64) {
        *lock(&self.ingested) += n;
    }

    /// The exposition text; `documents` is the count read from the store.
    pub fn render(&self, documents: Option<u64>) -> String {
        let mut out = String::new();
        out.push_str("# HELP dyad_http_requests_total HTTP requests answered, by route, method and status.\n");
        out.push_str("# TYPE dyad_http_requests_total counter\n");
        for ((route, method, status), n) in lock(&self.requests).iter() {
            let _ = writeln!(
                out,
                "dyad_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                label(route),
                label(method)
            );
        }
        out.push_str("# HELP dyad_http_request_duration_seconds Time from request to response head, by route.\n");
        out.push_str("# TYPE dyad_http_request_duration_seconds histogram\n");
        for (route, h) in lock(&self.latency).iter() {
            let r = label(route);
            for (b, c) in BUCKETS.iter().zip(&h.counts) {
                let _ = writeln!(out, "dyad_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"{b}\"}} {c}");
            }
            let _ = writeln!(out, "dyad_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"+Inf\"}} {}", h.n);
            let _ = writeln!(out, "dyad_http_request_duration_seconds_sum{{route=\"{r}\"}} {}", h.sum);
            let _ = writeln!(out, "dyad_http_request_duration_seconds_count{{route=\"{r}\"}} {}", h.n);
        }
        out.push_str("# HELP dyad_documents_ingested_total Documents stored through POST /api/documents.\n");
        out.push_str("# TYPE dyad_documents_ingested_total counter\n");
        let _ = writeln!(out, "dyad_documents_ingested_total {}", lock(&self.ingested));
        if let Some(d) = documents {
            out.push_str("# HELP dyad_documents_stored Documents in the store.\n");
            out.push_str("# TYPE dyad_documents_stored gauge\n");
            let _ = writeln!(out, "dyad_documents_stored {d}");
        }
        out
    }
}
