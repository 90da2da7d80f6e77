//! A server on 127.0.0.1:0 over a temporary store, and a small HTTP/1.1 client.

#![allow(dead_code)]

use dyad_server::{App, Config};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const TOKEN: &str = "test-token-123456";

pub struct Server {
    pub addr: SocketAddr,
    pub db: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Our example articles, the seed page (when `../shared` is there) and synthetic news items
/// with dates spread over a few weeks, coded by the real pipeline.
pub fn fill(db: &Path) -> usize {
    let engine = dyad_engine::Engine::builtin().expect("pipeline");
    let mut store = dyad_store::Store::open(db).expect("store");
    let mut raws = Vec::new();
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&examples).expect("examples/").map(|e| e.expect("entry").path()).collect();
    if let Some(seed) = dyad_testkit::shared("seeds/000_d13cbc4c5b3b63ce.txt") {
        files.push(seed);
    }
    files.sort();
    for f in files {
        if f.extension().is_some_and(|e| e == "txt" || e == "html") {
            raws.push(dyad_ingest::read_file(&f).expect("example"));
        }
    }
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 6).expect("date");
    for k in 0..24 {
        let text = dyad_store::synth::news_text(7, k);
        let mut raw =
            dyad_model::RawDocument::new(format!("synth{k}"), dyad_model::ContentType::Text, text.into_bytes());
        raw.date_hint = Some(start + chrono::Duration::days(3 * k as i64));
        raws.push(raw);
    }
    let fallback = chrono::NaiveDate::from_ymd_opt(2025, 2, 7);
    let mut n = 0;
    for raw in &raws {
        let doc = engine.process(raw, raw.date_hint.or(fallback), &mut Default::default()).expect("coded");
        if store.put(&doc).expect("put") == dyad_store::Put::Stored {
            n += 1;
        }
    }
    n
}

/// Starts a server over a new store; `setup` fills it and `tune` changes the config.
pub fn start(setup: impl FnOnce(&Path), tune: impl FnOnce(&mut Config)) -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("api.db");
    setup(&db);
    let mut cfg = Config::new(db.clone());
    cfg.addr = "127.0.0.1:0".parse().expect("addr");
    cfg.token = Some(TOKEN.into());
    cfg.readers = 2;
    tune(&mut cfg);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (atx, arx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        rt.block_on(async move {
            let addr = cfg.addr;
            let app = App::new(cfg).expect("app");
            let l = tokio::net::TcpListener::bind(addr).await.expect("bind");
            atx.send(l.local_addr().expect("addr")).expect("send");
            dyad_server::serve_on(l, app, async {
                let _ = rx.await;
            })
            .await
            .expect("serve");
        });
    });
    let addr = arx.recv_timeout(Duration::from_secs(60)).expect("server started");
    Server { addr, db, stop: Some(tx), thread: Some(thread), _dir: dir }
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One request on its own connection.
pub fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(120))).expect("timeout");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).expect("write");
    // The server may answer (413) and close before the whole body is sent.
    let _ = s.write_all(body);
    read_response(&mut s)
}

pub fn read_response(s: &mut TcpStream) -> Resp {
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| {
        panic!("no response head in {:?}", String::from_utf8_lossy(&raw));
    });
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|c| c.parse().ok()).expect("status");
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))).collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked")) {
        body = dechunk(&body);
    }
    Resp { status, headers, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else { return out };
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}

pub fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, &[], b"")
}

/// Checks the one error shape and that the status is the table's for the code.
pub fn assert_error(r: &Resp, status: u16, code: &str) -> Value {
    assert_eq!(r.status, status, "status for {}", r.text());
    let v = r.json();
    assert_eq!(v["code"], code, "{v}");
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    let t = v["type"].as_str().expect("type");
    assert!(["invalid_request", "auth", "not_found", "server"].contains(&t), "{v}");
    let table = dyad_server::error::ErrorCode::ALL.iter().find(|c| c.name() == code).expect("code in the table");
    assert_eq!(table.status().as_u16(), status);
    assert_eq!(table.kind(), t);
    v
}
