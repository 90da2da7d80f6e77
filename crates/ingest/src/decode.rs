//! Bytes to text: the character set from a byte-order mark, the transport's declaration (HTTP or
//! WARC header), the page's own `<meta charset>`, or Firefox's detector (`chardetng`); decoded
//! with `encoding_rs`. Bytes that are valid UTF-8 are read as UTF-8 whatever a header claims,
//! since mislabelled UTF-8 is far more common than Latin text that happens to be valid UTF-8.

use encoding_rs::Encoding;

/// How far into a page `<meta charset>` is looked for.
const PRESCAN: usize = 8 * 1024;

/// The text of `bytes` and the name of the encoding used.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> (String, &'static str) {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc.name());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), "UTF-8");
    }
    let enc = declared
        .and_then(|d| Encoding::for_label(d.trim().as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8)
        .or_else(|| meta_charset(&bytes[..bytes.len().min(PRESCAN)]))
        .filter(|e| *e != encoding_rs::UTF_8 && *e != encoding_rs::UTF_16LE && *e != encoding_rs::UTF_16BE)
        .unwrap_or_else(|| {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            det.guess(None, chardetng::Utf8Detection::Deny)
        });
    let (text, _, _) = enc.decode(bytes);
    (text.into_owned(), enc.name())
}

/// `<meta charset="…">` or `<meta http-equiv="Content-Type" content="…; charset=…">`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"charset") {
        let at = from + i + 7;
        from = at;
        let rest = &lower[at..];
        let rest = rest.iter().position(|&b| !b.is_ascii_whitespace()).map(|p| &rest[p..]).unwrap_or(&[]);
        let Some(rest) = rest.strip_prefix(b"=") else { continue };
        let rest: Vec<u8> =
            rest.iter().copied().skip_while(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'').collect();
        let end = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'>' | b'/'))
            .unwrap_or(rest.len());
        if let Some(e) = Encoding::for_label(&rest[..end]) {
            return Some(e);
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// ISO 639-1 code (or 639-3 where there is none) of the language `text` is written in, when the
/// detector is confident.
pub fn language(text: &str) -> Option<String> {
    let sample: String = text.chars().take(1200).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && sample.chars().count() > 200 {
        return None;
    }
    let code = info.lang().code();
    const TWO: [(&str, &str); 32] = [
        ("eng", "en"),
        ("fra", "fr"),
        ("deu", "de"),
        ("spa", "es"),
        ("por", "pt"),
        ("ita", "it"),
        ("nld", "nl"),
        ("rus", "ru"),
        ("ukr", "uk"),
        ("pol", "pl"),
        ("tur", "tr"),
        ("ara", "ar"),
        ("heb", "he"),
        ("pes", "fa"),
        ("hin", "hi"),
        ("urd", "ur"),
        ("ben", "bn"),
        ("cmn", "zh"),
        ("jpn", "ja"),
        ("kor", "ko"),
        ("vie", "vi"),
        ("ind", "id"),
        ("tha", "th"),
        ("swe", "sv"),
        ("dan", "da"),
        ("nob", "no"),
        ("fin", "fi"),
        ("ces", "cs"),
        ("ron", "ro"),
        ("hun", "hu"),
        ("ell", "el"),
        ("srp", "sr"),
    ];
    Some(TWO.iter().find(|(l, _)| *l == code).map(|(_, s)| s.to_string()).unwrap_or_else(|| code.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets() {
        // windows-1252 declared in the page.
        let page =
            b"<html><head><meta charset=\"windows-1252\"></head><body><p>caf\xe9 \x93quoted\x94</p></body></html>";
        let (t, enc) = decode(page, None);
        assert_eq!(enc, "windows-1252");
        assert!(t.contains("café “quoted”"), "{t}");
        // Mislabelled UTF-8 stays UTF-8.
        let (t, _) = decode("<meta charset=iso-8859-1><p>café</p>".as_bytes(), Some("iso-8859-1"));
        assert!(t.contains("café"));
        // UTF-16 with a BOM.
        let utf16: Vec<u8> =
            [0xff, 0xfe].into_iter().chain("hé".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode(&utf16, None).0, "hé");
        // Undeclared Cyrillic windows-1251 is detected.
        let (t, _) =
            decode(b"\xcf\xf0\xe5\xe7\xe8\xe4\xe5\xed\xf2 \xf1\xea\xe0\xe7\xe0\xeb \xe2 \xf1\xf0\xe5\xe4\xf3", None);
        assert!(t.starts_with("Президент"), "{t}");
    }

    #[test]
    fn languages() {
        assert_eq!(
            language("The foreign ministers met in Geneva on Tuesday and agreed to resume the talks.").as_deref(),
            Some("en")
        );
        assert_eq!(
            language(
                "Les ministres des affaires étrangères se sont réunis mardi à Genève pour reprendre les pourparlers."
            )
            .as_deref(),
            Some("fr")
        );
        assert_eq!(language(""), None);
    }
}
