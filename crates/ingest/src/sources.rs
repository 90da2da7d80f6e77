//! Containers that hold many documents: WARC (and `.warc.gz`), RSS/Atom feeds, JSON Lines.
//!
//! Each reader yields one [`RawDocument`] or one [`IngestError`] per record, so a corrupt record
//! costs that record only. Records are read one at a time from a stream: a WARC of any size
//! runs in bounded memory (a record over [`MAX_FILE_BYTES`] is skipped with an error).

use crate::{err, ErrorKind, IngestError, MAX_FILE_BYTES};
use dyad_model::{ContentType, RawDocument};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// What a file holds, judged by its name (and for feeds, by its first bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Warc,
    JsonLines,
    Feed,
    Single,
}

pub fn container_of(path: &Path) -> Container {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".warc") || name.ends_with(".arc") {
        Container::Warc
    } else if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        Container::JsonLines
    } else if name.ends_with(".rss") || name.ends_with(".atom") || name.ends_with(".xml") || name.ends_with(".feed") {
        Container::Feed
    } else {
        Container::Single
    }
}

/// Whether a document's bytes are a feed (for files whose name does not say).
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf")
}

/// Documents of one container, readable from any thread.
pub type Docs = Box<dyn Iterator<Item = Result<RawDocument, IngestError>> + Send>;

fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, IngestError> {
    let source = path.display().to_string();
    let mut f = std::fs::File::open(path).map_err(|e| crate::io_error(&source, e))?;
    let mut magic = [0u8; 2];
    let n = f.read(&mut magic).map_err(|e| crate::io_error(&source, e))?;
    let f = std::fs::File::open(path).map_err(|e| crate::io_error(&source, e))?;
    Ok(if n == 2 && magic == [0x1f, 0x8b] {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(BufReader::new(f))))
    } else {
        Box::new(BufReader::new(f))
    })
}

/// The documents inside a WARC file: `response` records (HTTP responses with HTML bodies) and
/// `resource` records with HTML, with their target URI and capture date.
pub fn warc(path: &Path) -> Docs {
    let source = path.display().to_string();
    match open(path) {
        Ok(r) => Box::new(WarcReader { r, source, offset: 0, done: false }),
        Err(e) => Box::new(std::iter::once(Err(e))),
    }
}

struct WarcReader {
    r: Box<dyn BufRead + Send>,
    source: String,
    /// Offset in the (decompressed) stream.
    offset: u64,
    done: bool,
}

/// Longest header line accepted.
const MAX_LINE: usize = 64 * 1024;

impl WarcReader {
    fn line(&mut self) -> Result<Option<String>, String> {
        let mut buf = Vec::new();
        let n = match (&mut self.r).take(MAX_LINE as u64).read_until(b'\n', &mut buf) {
            Ok(n) => n,
            Err(e) => {
                // A broken stream (truncated or corrupt gzip) cannot be resynchronised.
                self.done = true;
                return Err(format!("unreadable data: {e}"));
            }
        };
        if n == 0 {
            return Ok(None);
        }
        self.offset += n as u64;
        if !buf.ends_with(b"\n") && n >= MAX_LINE {
            return Err(format!("header line over {MAX_LINE} bytes"));
        }
        Ok(Some(String::from_utf8_lossy(&buf).trim_end_matches(['\r', '\n']).to_string()))
    }

    fn record(&mut self) -> Option<Result<Option<RawDocument>, IngestError>> {
        // Find the version line, skipping blank lines (and junk, after a corrupt record).
        let start;
        loop {
            let at = self.offset;
            match self.line() {
                Ok(None) => return None,
                Ok(Some(l)) if l.starts_with("WARC/") => {
                    start = at;
                    break;
                }
                Ok(Some(l)) if l.trim().is_empty() => continue,
                Ok(Some(_)) => {}
                Err(e) => return Some(Err(self.error(at, e))),
            }
        }
        let mut headers = Vec::new();
        loop {
            match self.line() {
                Ok(Some(l)) if l.is_empty() => break,
                Ok(Some(l)) => {
                    if let Some((k, v)) = l.split_once(':') {
                        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                    }
                }
                Ok(None) => return Some(Err(self.error(start, "record ends inside its header".into()))),
                Err(e) => return Some(Err(self.error(start, e))),
            }
        }
        let get = |k: &str| headers.iter().find(|(h, _)| h == k).map(|(_, v)| v.as_str());
        let Some(len) = get("content-length").and_then(|v| v.parse::<u64>().ok()) else {
            return Some(Err(self.error(start, "record has no valid Content-Length; expected a number".into())));
        };
        let kind = get("warc-type").unwrap_or("").to_ascii_lowercase();
        let uri = get("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string());
        let date = get("warc-date").and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok());
        let block_ct = get("content-type").unwrap_or("").to_ascii_lowercase();
        let wanted = matches!(kind.as_str(), "response" | "resource" | "conversion");
        if !wanted || len > MAX_FILE_BYTES {
            let copied = std::io::copy(&mut (&mut self.r).take(len), &mut std::io::sink());
            self.offset += copied.as_ref().copied().unwrap_or(0);
            if copied.map(|c| c < len).unwrap_or(true) {
                self.done = true;
                return Some(Err(self.error(start, format!("record is cut short: expected {len} bytes of content"))));
            }
            if len > MAX_FILE_BYTES && wanted {
                return Some(Err(err(
                    &format!("{}#{start}", self.source),
                    ErrorKind::TooLarge { bytes: len, limit: MAX_FILE_BYTES },
                )));
            }
            return Some(Ok(None));
        }
        let mut block = Vec::with_capacity(len as usize);
        let got = (&mut self.r).take(len).read_to_end(&mut block);
        self.offset += block.len() as u64;
        match got {
            Ok(n) if (n as u64) < len => {
                self.done = true;
                return Some(Err(self.error(start, format!("record is cut short: {n} of {len} bytes of content"))));
            }
            Err(e) => {
                self.done = true;
                return Some(Err(self.error(start, format!("unreadable record content: {e}"))));
            }
            _ => {}
        }
        let src = format!("{}#{start}", self.source);
        let (body, ct, charset) = if block_ct.contains("application/http") {
            match http_body(&block) {
                Some(x) => x,
                None => return Some(Err(err(&src, ErrorKind::Io("HTTP response without a header end".into())))),
            }
        } else {
            (block, block_ct.clone(), charset_of(&block_ct))
        };
        if !(ct.contains("html") || ct.is_empty()) {
            return Some(Ok(None));
        }
        let mut raw = RawDocument::new(src, ContentType::Html, body);
        raw.url = uri;
        raw.fetched = date.map(|d| d.with_timezone(&chrono::Utc));
        raw.charset = charset;
        Some(Ok(Some(raw)))
    }

    fn error(&self, at: u64, msg: String) -> IngestError {
        err(&format!("{}#{at}", self.source), ErrorKind::Io(format!("corrupt WARC record: {msg}")))
    }
}

impl Iterator for WarcReader {
    type Item = Result<RawDocument, IngestError>;
    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.record() {
                None => self.done = true,
                Some(Ok(None)) => continue,
                Some(Ok(Some(d))) => return Some(Ok(d)),
                Some(Err(e)) => return Some(Err(e)),
            }
        }
        None
    }
}

fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').find_map(|p| p.trim().strip_prefix("charset=")).map(|c| c.trim_matches('"').to_string())
}

/// The body of a raw HTTP response: its content type, charset, and bytes (chunked transfer and
/// gzip/deflate content encoding undone).
fn http_body(block: &[u8]) -> Option<(Vec<u8>, String, Option<String>)> {
    let end = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|p| (p, p + 4))
        .or_else(|| block.windows(2).position(|w| w == b"\n\n").map(|p| (p, p + 2)))?;
    let head = String::from_utf8_lossy(&block[..end.0]).to_string();
    let mut body = block[end.1..].to_vec();
    let header = |k: &str| {
        head.lines()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .find(|(h, _)| h.trim().eq_ignore_ascii_case(k))
            .map(|(_, v)| v.trim().to_ascii_lowercase())
    };
    let ct = header("content-type").unwrap_or_default();
    if header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        body = dechunk(&body).unwrap_or(body);
    }
    match header("content-encoding").as_deref() {
        Some("gzip") | Some("x-gzip") => {
            let mut out = Vec::new();
            if flate2::read::MultiGzDecoder::new(&body[..]).take(MAX_FILE_BYTES).read_to_end(&mut out).is_ok() {
                body = out;
            }
        }
        Some("deflate") => {
            let mut out = Vec::new();
            if flate2::read::ZlibDecoder::new(&body[..]).take(MAX_FILE_BYTES).read_to_end(&mut out).is_ok() {
                body = out;
            }
        }
        _ => {}
    }
    let charset = charset_of(&ct);
    Some((body, ct, charset))
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let nl = b.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&b[..nl]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        b = &b[nl + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size..)?;
        b = b.strip_prefix(b"\r\n").unwrap_or(b);
    }
}

/// One document per JSON Lines record `{"url": …, "html" | "text": …, "date"?: …, "title"?: …}`.
pub fn json_lines(path: &Path) -> Docs {
    let source = path.display().to_string();
    let r = match open(path) {
        Ok(r) => r,
        Err(e) => return Box::new(std::iter::once(Err(e))),
    };
    let mut lineno = 0usize;
    Box::new(
        r.split(b'\n')
            .map(move |line| {
                lineno += 1;
                let at = format!("{source}:{lineno}");
                let line = line.map_err(|e| err(&at, ErrorKind::Io(e.to_string())))?;
                if line.iter().all(u8::is_ascii_whitespace) {
                    return Ok(None);
                }
                if line.len() as u64 > MAX_FILE_BYTES {
                    return Err(err(&at, ErrorKind::TooLarge { bytes: line.len() as u64, limit: MAX_FILE_BYTES }));
                }
                let v: serde_json::Value = serde_json::from_slice(&line).map_err(|e| {
                    err(&at, ErrorKind::Io(format!("invalid JSON ({e}); expected {{\"url\", \"html\" or \"text\"}}")))
                })?;
                let (bytes, ct) = match (v["html"].as_str(), v["text"].as_str()) {
                    (Some(h), _) => (h.as_bytes().to_vec(), ContentType::Html),
                    (None, Some(t)) => (t.as_bytes().to_vec(), ContentType::Text),
                    _ => {
                        return Err(err(
                            &at,
                            ErrorKind::Io("record has neither \"html\" nor \"text\" as a string".into()),
                        ))
                    }
                };
                let mut raw = RawDocument::new(at.clone(), ct, bytes);
                raw.url = v["url"].as_str().map(str::to_string);
                raw.title_hint = v["title"].as_str().map(str::to_string);
                if let Some(d) = v["date"].as_str() {
                    raw.date_hint = Some(crate::dates::parse_any(d).ok_or_else(|| {
                        err(&at, ErrorKind::Io(format!("date {d:?} is not a date; expected YYYY-MM-DD")))
                    })?);
                }
                Ok(Some(raw))
            })
            .filter_map(Result::transpose),
    )
}

/// One document per feed item: its link, title, date, and content (or summary).
pub fn feed(source: &str, bytes: &[u8]) -> Docs {
    let parsed = match feed_rs::parser::parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            return Box::new(std::iter::once(Err(err(
                source,
                ErrorKind::Io(format!("not a readable RSS/Atom feed: {e}")),
            ))))
        }
    };
    let source = source.to_string();
    Box::new(parsed.entries.into_iter().enumerate().map(move |(i, e)| {
        let at = format!("{source}#item{}", i + 1);
        let html = e
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
            .ok_or_else(|| err(&at, ErrorKind::NoText))?;
        let html = if html.trim_start().starts_with('<') { html } else { format!("<p>{html}</p>") };
        let mut raw = RawDocument::new(at, ContentType::Html, html.into_bytes());
        raw.url = e.links.first().map(|l| l.href.clone());
        raw.title_hint = e.title.map(|t| t.content.split_whitespace().collect::<Vec<_>>().join(" "));
        raw.date_hint = e.published.or(e.updated).map(|d| d.date_naive());
        Ok(raw)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn record(kind: &str, uri: &str, block: &[u8], ct: &str) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-17T10:00:00Z\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn page(text: &str) -> Vec<u8> {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>{text}</p></body></html>"
        )
        .into_bytes()
    }

    #[test]
    fn warc_records_with_a_corrupt_one_in_the_middle() {
        let dir = tempdir("warc");
        let mut w = Vec::new();
        w.extend(record("warcinfo", "", b"software: test", "application/warc-fields"));
        w.extend(record(
            "response",
            "https://news.example/a",
            &page("First story about the talks."),
            "application/http; msgtype=response",
        ));
        // A record whose Content-Length is not a number, then junk.
        w.extend(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: lots\r\n\r\ngarbage garbage\r\n\r\n");
        w.extend(record(
            "request",
            "https://news.example/b",
            b"GET /b HTTP/1.1\r\n\r\n",
            "application/http; msgtype=request",
        ));
        w.extend(record(
            "response",
            "https://news.example/b",
            &page("Second story about the border."),
            "application/http; msgtype=response",
        ));
        let plain = dir.join("crawl.warc");
        std::fs::write(&plain, &w).unwrap();
        let gz = dir.join("crawl.warc.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&w).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        for p in [&plain, &gz] {
            let got: Vec<_> = warc(p).collect();
            assert_eq!(got.len(), 3, "{got:?}");
            let a = got[0].as_ref().unwrap();
            assert_eq!(a.url.as_deref(), Some("https://news.example/a"));
            assert_eq!(a.fetched.unwrap().to_rfc3339(), "2024-05-17T10:00:00+00:00");
            assert!(crate::extract(a).unwrap().body.contains("First story"));
            let e = got[1].as_ref().unwrap_err().to_string();
            assert!(e.contains("crawl.warc") && e.contains('#') && e.contains("Content-Length"), "{e}");
            assert!(crate::extract(got[2].as_ref().unwrap()).unwrap().body.contains("Second story"));
        }
        // Truncated gzip: what came before is kept, then one error.
        let bytes = std::fs::read(&gz).unwrap();
        std::fs::write(&gz, &bytes[..bytes.len() * 2 / 3]).unwrap();
        let got: Vec<_> = warc(&gz).collect();
        assert!(got.iter().any(|r| r.is_err()));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn json_lines_records_and_errors_by_line() {
        let dir = tempdir("jsonl");
        let p = dir.join("docs.jsonl");
        std::fs::write(
            &p,
            "{\"url\":\"https://x.example/1\",\"text\":\"Talks resumed on Monday.\",\"date\":\"2024-01-02\"}\n\nnot json\n{\"url\":\"u\"}\n{\"html\":\"<p>Hello there, world.</p>\"}\n",
        )
        .unwrap();
        let got: Vec<_> = json_lines(&p).collect();
        assert_eq!(got.len(), 4);
        let a = got[0].as_ref().unwrap();
        assert_eq!(a.date_hint.unwrap().to_string(), "2024-01-02");
        assert!(got[1].as_ref().unwrap_err().to_string().contains("docs.jsonl:3"));
        assert!(got[2].as_ref().unwrap_err().to_string().contains("docs.jsonl:4"));
        assert_eq!(got[3].as_ref().unwrap().content_type, ContentType::Html);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn feeds_rss_atom_and_junk() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>
<item><title>Ministers meet</title><link>https://n.example/1</link><pubDate>Tue, 19 Nov 2024 08:00:00 GMT</pubDate>
<description>&lt;p&gt;The ministers met in Geneva on Tuesday.&lt;/p&gt;</description></item></channel></rss>"#;
        let got: Vec<_> = feed("f.rss", rss).collect();
        assert_eq!(got.len(), 1);
        let a = got[0].as_ref().unwrap();
        assert_eq!(a.url.as_deref(), Some("https://n.example/1"));
        assert_eq!(a.title_hint.as_deref(), Some("Ministers meet"));
        assert_eq!(a.date_hint.unwrap().to_string(), "2024-11-19");
        let art = crate::extract(a).unwrap();
        assert!(art.body.contains("Geneva"));
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>T</title>
<link href="https://a.example/2"/><updated>2024-03-01T00:00:00Z</updated><content type="html">&lt;p&gt;Aid arrived in the city.&lt;/p&gt;</content></entry></feed>"#;
        let got: Vec<_> = feed("f.atom", atom).collect();
        assert_eq!(got[0].as_ref().unwrap().date_hint.unwrap().to_string(), "2024-03-01");
        let bad: Vec<_> = feed("bad.rss", b"this is not xml at all {").collect();
        assert!(bad[0].as_ref().unwrap_err().to_string().contains("bad.rss"));
    }

    fn tempdir(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("dyad-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }
}
