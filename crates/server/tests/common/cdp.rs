//! A small client of the Chrome DevTools Protocol, enough to drive Debian's headless Chromium
//! from tests and benchmarks: the browser is started with `--remote-debugging-pipe`, so the
//! protocol's JSON messages (each ended by a NUL byte) go over two pipes (the browser reads
//! file descriptor 3 and writes 4) instead of a websocket on a port. Nothing is downloaded:
//! the browser is the one installed on the machine (`scripts/setup/browser.sh`).

#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// The installed Chromium: `DYAD_CHROMIUM` when set, else the first of the usual names on PATH.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DYAD_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// A running headless browser and the protocol connection to it.
pub struct Browser {
    child: Child,
    to: ChildStdin,
    from: Receiver<Result<Value, String>>,
    next_id: u64,
    /// Protocol events received while waiting for answers, oldest first.
    pub events: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts `exe` headless with a new profile; its own messages go to `log` (a file path).
    pub fn launch(exe: &std::path::Path, log: &std::path::Path) -> Result<Browser, String> {
        let profile = tempfile::tempdir().map_err(|e| format!("profile dir: {e}"))?;
        let log_file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        // The shell hands our pipes to the browser as descriptors 3 and 4.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" 3<&0 4>&1 </dev/null >/dev/null")
            .arg(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--mute-audio",
                "--hide-scrollbars",
                "--window-size=1280,1000",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file))
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
        let to = child.stdin.take().ok_or("no pipe to the browser")?;
        let out = child.stdout.take().ok_or("no pipe from the browser")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(out);
            loop {
                let mut msg = Vec::new();
                match r.read_until(0, &mut msg) {
                    Ok(0) => {
                        let _ = tx.send(Err("the browser closed the pipe".to_string()));
                        return;
                    }
                    Ok(_) => {
                        if msg.last() == Some(&0) {
                            msg.pop();
                        }
                        let v = serde_json::from_slice(&msg).map_err(|e| format!("bad message from the browser: {e}"));
                        if tx.send(v).is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Err(format!("reading from the browser: {e}")));
                        return;
                    }
                }
            }
        });
        Ok(Browser { child, to, from: rx, next_id: 0, events: Vec::new(), _profile: profile })
    }

    /// Sends `method` (to the page `session`, or the browser when `None`) and waits for its answer.
    pub fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).map_err(|e| e.to_string())?;
        bytes.push(0);
        self.to.write_all(&bytes).map_err(|e| format!("{method}: cannot write to the browser: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = match self.from.recv_timeout(left) {
                Ok(v) => v?,
                Err(RecvTimeoutError::Timeout) => return Err(format!("{method}: no answer within 30 s")),
                Err(RecvTimeoutError::Disconnected) => return Err(format!("{method}: the browser is gone")),
            };
            if v["id"].as_u64() == Some(id) {
                if let Some(e) = v.get("error") {
                    return Err(format!("{method}: {e}"));
                }
                return Ok(v["result"].clone());
            }
            self.events.push(v);
        }
    }

    /// Takes the protocol events that arrived so far (reading those waiting in the pipe too).
    pub fn take_events(&mut self) -> Vec<Value> {
        while let Ok(Ok(v)) = self.from.try_recv() {
            self.events.push(v);
        }
        std::mem::take(&mut self.events)
    }

    /// A new tab attached in flat mode, with the runtime, log and page domains on.
    pub fn new_page(&mut self) -> Result<Page, String> {
        let t = self.call(None, "Target.createTarget", json!({ "url": "about:blank" }))?;
        let target = t["targetId"].as_str().ok_or("no targetId")?.to_string();
        let a = self.call(None, "Target.attachToTarget", json!({ "targetId": target, "flatten": true }))?;
        let session = a["sessionId"].as_str().ok_or("no sessionId")?.to_string();
        for m in ["Runtime.enable", "Log.enable", "Page.enable"] {
            self.call(Some(&session), m, json!({}))?;
        }
        Ok(Page { target, session })
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.to.write_all(b"{\"id\":999999,\"method\":\"Browser.close\"}\0");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One tab.
pub struct Page {
    pub target: String,
    pub session: String,
}

impl Page {
    pub fn call(&self, b: &mut Browser, method: &str, params: Value) -> Result<Value, String> {
        b.call(Some(&self.session), method, params)
    }

    /// The value of a JavaScript expression (promises awaited); a thrown error is an `Err`.
    pub fn eval(&self, b: &mut Browser, expr: &str) -> Result<Value, String> {
        let r = self.call(
            b,
            "Runtime.evaluate",
            json!({ "expression": expr, "returnByValue": true, "awaitPromise": true }),
        )?;
        if let Some(x) = r.get("exceptionDetails") {
            return Err(format!("{expr}: {}", x["exception"]["description"].as_str().unwrap_or(&x.to_string())));
        }
        Ok(r["result"]["value"].clone())
    }

    /// Polls `expr` until it is true, for at most `limit`. Errors (a document being replaced
    /// while a navigation commits) count as not yet, and the last is reported at the end.
    pub fn wait_for(&self, b: &mut Browser, expr: &str, limit: Duration) -> Result<(), String> {
        let t0 = Instant::now();
        loop {
            let last = match self.eval(b, expr) {
                Ok(Value::Bool(true)) => return Ok(()),
                Ok(v) => v.to_string(),
                Err(e) => e,
            };
            if t0.elapsed() > limit {
                return Err(format!("still not true after {limit:?}: {expr} (last: {last})"));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn navigate(&self, b: &mut Browser, url: &str) -> Result<(), String> {
        let r = self.call(b, "Page.navigate", json!({ "url": url }))?;
        match r.get("errorText") {
            Some(e) => Err(format!("{url}: {e}")),
            None => Ok(()),
        }
    }

    /// Clicks the middle of the first element matching `selector` with the mouse, as a person would.
    pub fn click(&self, b: &mut Browser, selector: &str) -> Result<(), String> {
        let sel = serde_json::to_string(selector).map_err(|e| e.to_string())?;
        let at = self.eval(
            b,
            &format!(
                "(() => {{ const e = document.querySelector({sel}); if (!e) return null; e.scrollIntoView({{block: 'center'}});
                 const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()"
            ),
        )?;
        let (x, y) = match (at[0].as_f64(), at[1].as_f64()) {
            (Some(x), Some(y)) => (x, y),
            _ => return Err(format!("nothing matches {selector}")),
        };
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                b,
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            )?;
        }
        Ok(())
    }

    /// Focuses the field matching `selector`, empties it and types `text` into it.
    pub fn type_into(&self, b: &mut Browser, selector: &str, text: &str) -> Result<(), String> {
        let sel = serde_json::to_string(selector).map_err(|e| e.to_string())?;
        let ok = self.eval(
            b,
            &format!("(() => {{ const e = document.querySelector({sel}); if (!e) return false; e.focus(); e.select(); return true; }})()"),
        )?;
        if ok != Value::Bool(true) {
            return Err(format!("no field {selector}"));
        }
        self.call(b, "Input.insertText", json!({ "text": text }))?;
        Ok(())
    }

    /// Presses Enter in the focused element.
    pub fn press_enter(&self, b: &mut Browser) -> Result<(), String> {
        for kind in ["keyDown", "keyUp"] {
            let mut p = json!({ "type": kind, "key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13 });
            if kind == "keyDown" {
                p["text"] = json!("\r");
            }
            self.call(b, "Input.dispatchKeyEvent", p)?;
        }
        Ok(())
    }

    /// A PNG of the whole page.
    pub fn screenshot(&self, b: &mut Browser) -> Result<Vec<u8>, String> {
        let r = self.call(b, "Page.captureScreenshot", json!({ "format": "png", "captureBeyondViewport": true }))?;
        base64_decode(r["data"].as_str().ok_or("no screenshot data")?)
    }

    pub fn close(&self, b: &mut Browser) -> Result<(), String> {
        b.call(None, "Target.closeTarget", json!({ "targetId": self.target })).map(|_| ())
    }
}

/// The errors a person would see in the console among protocol `events` of `session`:
/// uncaught exceptions, `console.error` calls and error log entries (failed loads, CSP refusals).
pub fn console_errors(events: &[Value], session: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in events.iter().filter(|e| e["sessionId"].as_str() == Some(session)) {
        let p = &e["params"];
        match e["method"].as_str() {
            Some("Runtime.exceptionThrown") => {
                let d = &p["exceptionDetails"];
                out.push(format!(
                    "exception: {} {}",
                    d["text"].as_str().unwrap_or(""),
                    d["exception"]["description"].as_str().unwrap_or("")
                ));
            }
            Some("Runtime.consoleAPICalled") if matches!(p["type"].as_str(), Some("error" | "assert")) => {
                let args: Vec<String> = p["args"]
                    .as_array()
                    .map(|a| a.iter().map(|x| x["value"].to_string()).collect())
                    .unwrap_or_default();
                out.push(format!("console.{}: {}", p["type"].as_str().unwrap_or(""), args.join(" ")));
            }
            Some("Log.entryAdded") if p["entry"]["level"].as_str() == Some("error") => {
                out.push(format!(
                    "log: {} {}",
                    p["entry"]["text"].as_str().unwrap_or(""),
                    p["entry"]["url"].as_str().unwrap_or("")
                ));
            }
            _ => {}
        }
    }
    out
}

/// Standard base64 (the protocol's encoding of binary data).
pub fn base64_decode(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' | b'\n' | b'\r' => continue,
            _ => return Err(format!("not base64: byte {c}")),
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}
