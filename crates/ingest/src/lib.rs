//! Raw news in, the article out.
//!
//! 1. [`read_inputs`]: files, folders (recursive) and `-` (stdin) → [`RawDocument`]s.
//! 2. [`extract`]: a [`RawDocument`] → an [`Article`] (title, date, body without furniture).
//!
//! FIRST IMPLEMENTATION (foundation): plain text and simple HTML only; the ingest issue
//! replaces it with the full extractor.

use dyad_model::{Article, Block, BlockKind, ContentType, DateSource, DocId, RawDocument, Span};

pub mod dates;
pub mod decode;
pub mod dom;
pub mod eval;
pub mod html;
pub mod pubdate;
pub mod sources;
pub mod story;
pub use story::StoryIndex;
pub mod text;
use std::fmt;
use std::path::{Path, PathBuf};

/// Files larger than this are refused rather than read into memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// An input that could not be read or extracted. `source` names the file (and record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    pub source: String,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Io(String),
    TooLarge { bytes: u64, limit: u64 },
    Empty,
    Binary { offset: usize },
    NoReadableFiles,
    NoText,
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.source)?;
        match &self.kind {
            ErrorKind::NotFound => write!(f, "no such file or folder"),
            ErrorKind::Io(e) => write!(f, "cannot read: {e}"),
            ErrorKind::TooLarge { bytes, limit } => {
                write!(f, "file is {bytes} bytes, over the limit of {limit} bytes")
            }
            ErrorKind::Empty => write!(f, "file is empty"),
            ErrorKind::Binary { offset } => {
                write!(f, "binary data (control byte at byte offset {offset}), expected text or HTML")
            }
            ErrorKind::NoReadableFiles => write!(f, "folder holds no readable files"),
            ErrorKind::NoText => write!(f, "no article text found"),
        }
    }
}

impl std::error::Error for IngestError {}

pub(crate) fn err(source: &str, kind: ErrorKind) -> IngestError {
    IngestError { source: source.to_string(), kind }
}

pub(crate) fn io_error(source: &str, e: std::io::Error) -> IngestError {
    if e.kind() == std::io::ErrorKind::NotFound {
        err(source, ErrorKind::NotFound)
    } else {
        err(source, ErrorKind::Io(e.to_string()))
    }
}

/// Reads every input path lazily, one document at a time: files, folders (recursively, sorted),
/// `-` for stdin; WARC files, feeds and JSON Lines give one document per record.
pub fn read_inputs(paths: &[PathBuf]) -> impl Iterator<Item = Result<RawDocument, IngestError>> + Send {
    let mut files: Vec<Result<PathBuf, IngestError>> = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found);
            found.sort();
            if found.is_empty() {
                files.push(Err(err(&p.display().to_string(), ErrorKind::NoReadableFiles)));
            }
            files.extend(found.into_iter().map(Ok));
        } else {
            files.push(Ok(p.clone()));
        }
    }
    files.into_iter().flat_map(|f| -> sources::Docs {
        match f {
            Err(e) => Box::new(std::iter::once(Err(e))),
            Ok(p) if p.as_os_str() == "-" => Box::new(std::iter::once(read_stdin())),
            Ok(p) => open_path(&p),
        }
    })
}

fn read_stdin() -> Result<RawDocument, IngestError> {
    use std::io::Read;
    let mut buf = Vec::new();
    std::io::stdin()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|e| err("-", ErrorKind::Io(e.to_string())))?;
    if buf.len() as u64 > MAX_FILE_BYTES {
        return Err(err("-", ErrorKind::TooLarge { bytes: buf.len() as u64, limit: MAX_FILE_BYTES }));
    }
    Ok(RawDocument::new("-", ContentType::Unknown, buf))
}

/// The documents of one file, by what it holds.
fn open_path(p: &Path) -> sources::Docs {
    match sources::container_of(p) {
        sources::Container::Warc => sources::warc(p),
        sources::Container::JsonLines => sources::json_lines(p),
        kind => match read_file(p) {
            Ok(raw) if kind == sources::Container::Feed || sources::looks_like_feed(&raw.bytes) => {
                sources::feed(&raw.source, &raw.bytes)
            }
            other => Box::new(std::iter::once(other)),
        },
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let hidden = p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, files);
        } else if p.is_file() {
            files.push(p);
        }
    }
}

/// Reads one file into a [`RawDocument`], sniffing HTML by extension.
pub fn read_file(path: &Path) -> Result<RawDocument, IngestError> {
    let source = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| io_error(&source, e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(err(&source, ErrorKind::TooLarge { bytes: meta.len(), limit: MAX_FILE_BYTES }));
    }
    let mut bytes = std::fs::read(path).map_err(|e| err(&source, ErrorKind::Io(e.to_string())))?;
    let mut name = path.file_name().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    if bytes.starts_with(&[0x1f, 0x8b]) {
        bytes = gunzip(&bytes, &source)?;
        name = name.trim_end_matches(".gz").to_string();
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_string()).unwrap_or_default();
    let ct = match ext.as_str() {
        "html" | "htm" | "xhtml" => ContentType::Html,
        "txt" | "text" | "md" => ContentType::Text,
        _ => ContentType::Unknown,
    };
    Ok(RawDocument::new(source, ct, bytes))
}

/// Decompresses gzip data, refusing output over [`MAX_FILE_BYTES`] (a gzip bomb) and naming the
/// byte offset where a truncated or corrupt stream stops.
fn gunzip(bytes: &[u8], source: &str) -> Result<Vec<u8>, IngestError> {
    use std::io::Read;
    let mut out = Vec::new();
    let mut dec = flate2::read::MultiGzDecoder::new(bytes).take(MAX_FILE_BYTES + 1);
    match dec.read_to_end(&mut out) {
        Ok(_) if out.len() as u64 > MAX_FILE_BYTES => {
            Err(err(source, ErrorKind::TooLarge { bytes: out.len() as u64, limit: MAX_FILE_BYTES }))
        }
        Ok(_) => Ok(out),
        Err(e) => Err(err(
            source,
            ErrorKind::Io(format!("corrupt or truncated gzip data after {} decompressed bytes: {e}", out.len())),
        )),
    }
}

/// Extracts the article from a raw document.
pub fn extract(raw: &RawDocument) -> Result<Article, IngestError> {
    if raw.bytes.is_empty() {
        return Err(err(&raw.source, ErrorKind::Empty));
    }
    let has_bom = encoding_rs::Encoding::for_bom(&raw.bytes).is_some();
    if let Some(offset) = raw.bytes.iter().position(|&b| b == 0).filter(|_| !has_bom) {
        return Err(err(&raw.source, ErrorKind::Binary { offset }));
    }
    if let Some(offset) = binary_at(&raw.bytes).filter(|_| !has_bom) {
        return Err(err(&raw.source, ErrorKind::Binary { offset }));
    }
    let (text, _) = decode::decode(&raw.bytes, raw.charset.as_deref());
    let is_html =
        raw.content_type == ContentType::Html || (raw.content_type == ContentType::Unknown && looks_like_html(&text));
    let found = if is_html { html::extract_html(&text, raw.url.as_deref()) } else { text::extract_text(&text) };
    build_article(raw, found.title, found.blocks, found.date, found.byline)
}

/// The offset of the first control byte when control bytes (other than whitespace) make up
/// more than a tenth of the first KB: not text in any character set.
fn binary_at(bytes: &[u8]) -> Option<usize> {
    let head = &bytes[..bytes.len().min(1024)];
    let is_ctrl = |b: &u8| (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || *b == 0x7f;
    let n = head.iter().filter(|b| is_ctrl(b)).count();
    (n * 10 > head.len()).then(|| head.iter().position(is_ctrl).unwrap_or(0))
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(512).collect::<String>().to_ascii_lowercase();
    head.starts_with('<')
        && (head.contains("<html")
            || head.contains("<!doctype")
            || head.contains("<head")
            || head.contains("<body")
            || head.contains("<p"))
}

fn build_article(
    raw: &RawDocument,
    title: Option<String>,
    found: Vec<(BlockKind, String)>,
    date: Option<(chrono::NaiveDate, DateSource)>,
    byline: Option<String>,
) -> Result<Article, IngestError> {
    let mut body = String::new();
    let mut blocks = Vec::new();
    for (kind, p) in found {
        if p.is_empty() {
            continue;
        }
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        let start = body.len();
        body.push_str(&p);
        blocks.push(Block { kind, span: Span::new(start, body.len()) });
    }
    if body.is_empty() {
        return Err(err(&raw.source, ErrorKind::NoText));
    }
    let id = match &raw.url {
        Some(u) => DocId::from_url(u),
        None => DocId::from_content(&body),
    };
    let mut a = Article::from_text(raw.source.clone(), body);
    a.id = id;
    a.url = raw.url.clone();
    a.outlet = raw.url.as_deref().and_then(host_of);
    a.blocks = blocks;
    a.fingerprint = simhash(&a.body);
    a.title = raw.title_hint.clone().or(title);
    a.byline = byline;
    a.language = decode::language(&a.body);
    match (raw.date_hint, date) {
        (Some(d), _) => {
            a.date = Some(d);
            a.date_source = Some(DateSource::Given);
        }
        (None, Some((d, src))) => {
            a.date = Some(d);
            a.date_source = Some(src);
        }
        _ => {}
    }
    Ok(a)
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split("://").nth(1)?;
    let host = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty()).then_some(host)
}

/// 64-bit SimHash of the lower-cased word 3-shingles of `text` (FNV-1a per shingle): near-duplicate
/// bodies differ in few bits ([`hamming`]).
pub fn simhash(text: &str) -> u64 {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let mut counts = [0i32; 64];
    for sh in words.windows(3.min(words.len().max(1))) {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for w in sh {
            for b in w.bytes().chain(std::iter::once(b' ')) {
                h ^= b as u64;
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        for (bit, c) in counts.iter_mut().enumerate() {
            *c += if h >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    counts.iter().enumerate().fold(0u64, |acc, (bit, &c)| if c > 0 { acc | 1 << bit } else { acc })
}

/// Number of differing bits between two fingerprints.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_files_are_read_and_truncated_ones_are_errors() {
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("dyad-gz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(
            b"<html><body><p>Ministers met in Geneva on Tuesday to talk about trade and borders.</p></body></html>",
        )
        .unwrap();
        let gz = enc.finish().unwrap();
        let good = dir.join("page.html.gz");
        std::fs::write(&good, &gz).unwrap();
        let raw = read_file(&good).unwrap();
        assert_eq!(raw.content_type, ContentType::Html);
        assert!(extract(&raw).unwrap().body.contains("Geneva"));
        let bad = dir.join("cut.html.gz");
        std::fs::write(&bad, &gz[..gz.len() / 2]).unwrap();
        let e = read_file(&bad).unwrap_err();
        assert!(e.to_string().contains("cut.html.gz") && e.to_string().contains("gzip"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn near_duplicates_have_close_fingerprints() {
        let a = "The foreign ministers of India and Pakistan met in Geneva on Tuesday and agreed to resume talks on the disputed border, officials said after the meeting ended late in the evening.";
        let b = "The foreign ministers of India and Pakistan met in Geneva on Tuesday and agreed to resume talks on the disputed border, officials said after the meeting ended in the evening.";
        let c = "Russian troops shelled the city overnight, killing three civilians and damaging a hospital, regional officials said on Wednesday morning in a statement.";
        assert!(hamming(simhash(a), simhash(b)) < hamming(simhash(a), simhash(c)));
        assert!(hamming(simhash(a), simhash(b)) <= 16, "{}", hamming(simhash(a), simhash(b)));
        assert_eq!(simhash(""), 0);
    }
}
