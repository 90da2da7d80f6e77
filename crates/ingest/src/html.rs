//! The article out of an HTML page.
//!
//! 1. A forgiving single-pass tokenizer walks the tags (no DOM is built; nesting depth is capped,
//!    so a page nested 100,000 levels deep costs no more than a flat one).
//! 2. Content inside furniture elements (`nav`, `footer`, `aside`, `form`, `figure`, captions, and
//!    elements whose class or id names share/related/comment/cookie/newsletter/… widgets) is skipped.
//! 3. Text is collected into blocks (paragraphs, headings, list items, block quotes) with their
//!    link density; when the page has an `<article>` or `<main>` with enough text, only it counts.
//! 4. Link lists and boilerplate blocks are dropped; the title comes from `og:title`, `<h1>` or
//!    `<title>`, the date from meta tags, JSON-LD, `<time>` or the URL, the byline from meta tags.

use crate::dates;
use crate::text::TextArticle;
use dyad_model::{BlockKind, DateSource};

const MAX_DEPTH: usize = 512;

const SKIP_TAGS: [&str; 16] = [
    "nav",
    "footer",
    "aside",
    "form",
    "figure",
    "figcaption",
    "button",
    "select",
    "iframe",
    "svg",
    "noscript",
    "template",
    "dialog",
    "menu",
    "audio",
    "video",
];

const FURNITURE_WORDS: [&str; 26] = [
    "share",
    "social",
    "related",
    "comment",
    "cookie",
    "consent",
    "newsletter",
    "subscribe",
    "promo",
    "advert",
    "sidebar",
    "breadcrumb",
    "caption",
    "credit",
    "footer",
    "navbar",
    "menu",
    "popup",
    "modal",
    "signup",
    "recommend",
    "trending",
    "most-read",
    "mostread",
    "outbrain",
    "taboola",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Para,
    Heading(u8),
    Item,
    Quote,
}

struct RawBlock {
    kind: Kind,
    text: String,
    link_chars: usize,
    in_article: bool,
}

#[derive(Default)]
struct State {
    blocks: Vec<RawBlock>,
    cur: String,
    cur_kind: Option<Kind>,
    cur_links: usize,
    in_link: usize,
    skip_depth: usize,
    article_depth: usize,
    title_tag: String,
    in_title: bool,
    h1: Option<String>,
    meta_title: Option<String>,
    author: Option<String>,
    date: Option<(chrono::NaiveDate, DateSource)>,
    time_date: Option<chrono::NaiveDate>,
    jsonld_date: Option<chrono::NaiveDate>,
}

impl State {
    fn flush(&mut self) {
        let text = self.cur.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            let kind = self.cur_kind.unwrap_or(Kind::Para);
            if let Kind::Heading(1) = kind {
                if self.h1.is_none() {
                    self.h1 = Some(text.clone());
                }
            }
            self.blocks.push(RawBlock { kind, text, link_chars: self.cur_links, in_article: self.article_depth > 0 });
        }
        self.cur.clear();
        self.cur_links = 0;
    }
    fn push_text(&mut self, t: &str) {
        if self.in_title {
            self.title_tag.push_str(t);
            return;
        }
        if self.skip_depth > 0 {
            return;
        }
        if self.in_link > 0 {
            self.cur_links += t.trim().chars().count();
        }
        self.cur.push_str(t);
    }
}

fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let rest = lower[at + name.len()..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let off = attrs.len() - rest.len() + 1;
        let v = attrs[off..].trim_start();
        return Some(match v.chars().next() {
            Some(q @ ('"' | '\'')) => v[1..].split(q).next().unwrap_or(""),
            _ => v.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or(""),
        });
    }
    None
}

fn is_furniture_attr(attrs: &str) -> bool {
    let class = attr(attrs, "class").unwrap_or("").to_ascii_lowercase();
    let id = attr(attrs, "id").unwrap_or("").to_ascii_lowercase();
    let role = attr(attrs, "role").unwrap_or("").to_ascii_lowercase();
    if matches!(role.as_str(), "navigation" | "banner" | "contentinfo" | "complementary" | "dialog") {
        return true;
    }
    if attr(attrs, "hidden").is_some() || attrs.to_ascii_lowercase().contains("aria-hidden=\"true\"") {
        return true;
    }
    // Class and id words are split at `-`, `_` and spaces; a part must start with a furniture word
    // ("share-buttons", "comments"), so "unsubscribed" or "article-commentary-body" are not caught.
    let mut words = class.split_whitespace().chain(std::iter::once(id.as_str()));
    words.any(|w| {
        if w.contains("article") || w.contains("content") || w.contains("body") || w.contains("story") {
            return false;
        }
        w.split(['-', '_']).any(|part| FURNITURE_WORDS.iter().any(|f| part.starts_with(f)))
    })
}

/// Decodes the HTML entities of a text run.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(|c: char| c == ';' || c.is_whitespace() || c == '&').map(|e| e + 1);
        let Some(end) = end.filter(|&e| e <= 12 && rest.as_bytes().get(e) == Some(&b';')) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let c = if let Some(num) = name.strip_prefix('#') {
            let v = if let Some(h) = num.strip_prefix(['x', 'X']) {
                u32::from_str_radix(h, 16).ok()
            } else {
                num.parse().ok()
            };
            v.and_then(char::from_u32)
        } else {
            Some(match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "rsquo" => '’',
                "lsquo" => '‘',
                "ldquo" => '“',
                "rdquo" => '”',
                "mdash" => '—',
                "ndash" => '–',
                "hellip" => '…',
                "eacute" => 'é',
                "copy" => '©',
                _ => '\u{0}',
            })
            .filter(|&c| c != '\u{0}')
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn block_kind(tag: &str) -> Option<Kind> {
    Some(match tag {
        "p" => Kind::Para,
        "h1" => Kind::Heading(1),
        "h2" => Kind::Heading(2),
        "h3" => Kind::Heading(3),
        "h4" | "h5" | "h6" => Kind::Heading(4),
        "li" | "dd" | "dt" => Kind::Item,
        "blockquote" => Kind::Quote,
        _ => return None,
    })
}

fn is_block_boundary(tag: &str) -> bool {
    block_kind(tag).is_some()
        || matches!(
            tag,
            "div"
                | "section"
                | "article"
                | "main"
                | "header"
                | "br"
                | "tr"
                | "td"
                | "table"
                | "ul"
                | "ol"
                | "pre"
                | "hr"
                | "body"
        )
}

fn meta(st: &mut State, attrs: &str) {
    let key = attr(attrs, "property").or_else(|| attr(attrs, "name")).or_else(|| attr(attrs, "itemprop"));
    let Some(key) = key.map(|k| k.to_ascii_lowercase()) else { return };
    let content = decode_entities(attr(attrs, "content").unwrap_or("").trim());
    if content.is_empty() {
        return;
    }
    match key.as_str() {
        "og:title" | "twitter:title" => {
            st.meta_title.get_or_insert(content);
        }
        "author" | "article:author" | "byl" | "dc.creator" | "parsely-author" | "sailthru.author"
            if !content.starts_with("http") =>
        {
            st.author.get_or_insert(content.trim_start_matches("By ").to_string());
        }
        "article:published_time"
        | "og:published_time"
        | "datepublished"
        | "date"
        | "pubdate"
        | "publish-date"
        | "publishdate"
        | "dc.date"
        | "dc.date.issued"
        | "dcterms.created"
        | "sailthru.date"
        | "parsely-pub-date"
        | "article.published"
        | "publication_date"
        | "originalpublicationdate"
            if st.date.is_none() =>
        {
            st.date = dates::parse_any(&content).map(|d| (d, DateSource::Meta));
        }
        _ => {}
    }
}

/// Extracts title, byline, date and body blocks from an HTML page.
pub fn extract_html(html: &str) -> TextArticle {
    let mut st = State::default();
    let mut stack: Vec<(String, bool, bool)> = Vec::new(); // (tag, skipping, article)
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if text_start < i {
            let t = decode_entities(&html[text_start..i]);
            st.push_text(&t);
        }
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map(|e| e + 3).unwrap_or(rest.len());
            text_start = i;
            continue;
        }
        let Some(close) = rest.find('>') else { break };
        let inner = &rest[1..close];
        i += close + 1;
        text_start = i;
        if inner.starts_with('!') || inner.starts_with('?') {
            continue;
        }
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/');
        let name_end = inner.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(inner.len());
        let tag = inner[..name_end].to_ascii_lowercase();
        let attrs = &inner[name_end..];
        if tag.is_empty() || !tag.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        if !closing && matches!(tag.as_str(), "script" | "style") {
            let end_tag = format!("</{tag}");
            let body_end = html[i..].to_ascii_lowercase().find(&end_tag).map(|e| i + e).unwrap_or(html.len());
            if tag == "script" && attr(attrs, "type").is_some_and(|t| t.contains("ld+json")) {
                let json = &html[i..body_end];
                if let Some(p) = json.find("\"datePublished\"") {
                    let after = &json[p + 15..];
                    if let Some(q) = after.find('"') {
                        let v = &after[q + 1..];
                        if let Some(d) = v.split('"').next().and_then(dates::parse_any) {
                            st.jsonld_date.get_or_insert(d);
                        }
                    }
                }
            }
            i = html[body_end..].find('>').map(|e| body_end + e + 1).unwrap_or(html.len());
            text_start = i;
            continue;
        }
        match tag.as_str() {
            "title" => {
                st.in_title = !closing;
                continue;
            }
            "meta" => {
                meta(&mut st, attrs);
                continue;
            }
            "time" if !closing && st.time_date.is_none() && st.skip_depth == 0 => {
                st.time_date = attr(attrs, "datetime").and_then(dates::parse_any);
            }
            "a" => {
                if closing {
                    st.in_link = st.in_link.saturating_sub(1);
                } else {
                    st.in_link += 1;
                }
                continue;
            }
            _ => {}
        }
        let void = matches!(tag.as_str(), "br" | "hr" | "img" | "input" | "link" | "wbr" | "source" | "area" | "col")
            || attrs.trim_end().ends_with('/');
        if is_block_boundary(&tag) {
            st.flush();
        }
        if closing {
            if let Some(pos) = stack.iter().rposition(|(t, _, _)| *t == tag) {
                for (_, skipping, article) in stack.drain(pos..) {
                    if skipping {
                        st.skip_depth -= 1;
                    }
                    if article {
                        st.article_depth -= 1;
                    }
                }
            }
            if block_kind(&tag).is_some() {
                st.cur_kind = None;
            }
            continue;
        }
        if void {
            continue;
        }
        if let Some(k) = block_kind(&tag) {
            st.cur_kind = Some(k);
        }
        if matches!(tag.as_str(), "p" | "li") {
            // An unclosed <p> or <li> is closed by the next one.
            if let Some(pos) = stack.iter().rposition(|(t, _, _)| *t == tag) {
                if stack.len() - pos <= 3 {
                    for (_, skipping, article) in stack.drain(pos..) {
                        if skipping {
                            st.skip_depth -= 1;
                        }
                        if article {
                            st.article_depth -= 1;
                        }
                    }
                }
            }
        }
        if stack.len() >= MAX_DEPTH {
            continue;
        }
        let container = matches!(tag.as_str(), "html" | "body" | "main" | "article");
        let skipping = SKIP_TAGS.contains(&tag.as_str()) || (!container && is_furniture_attr(attrs));
        let article = matches!(tag.as_str(), "article" | "main")
            || attr(attrs, "itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody"));
        if skipping {
            st.skip_depth += 1;
        }
        if article {
            st.article_depth += 1;
        }
        stack.push((tag, skipping, article));
    }
    if text_start < html.len() && !html[text_start..].contains('<') {
        let t = decode_entities(&html[text_start..]);
        st.push_text(&t);
    }
    st.flush();
    finish(st)
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

fn finish(st: State) -> TextArticle {
    let article_words: usize = st.blocks.iter().filter(|b| b.in_article).map(|b| words(&b.text)).sum();
    let use_article = article_words >= 60;
    let title_tag = decode_entities(st.title_tag.trim());
    let title = st.h1.clone().or(st.meta_title.clone()).or_else(|| {
        let cut = [" | ", " - ", " — ", " – "].iter().filter_map(|sep| title_tag.find(sep)).min();
        let t = title_tag[..cut.unwrap_or(title_tag.len())].trim().to_string();
        (!t.is_empty()).then_some(t)
    });
    let mut out = TextArticle { title: title.clone(), byline: st.author.clone(), ..TextArticle::default() };
    let candidates: Vec<&RawBlock> = st.blocks.iter().filter(|b| !use_article || b.in_article).collect();
    let mut started = title.is_none() || !candidates.iter().any(|b| Some(&b.text) == title.as_ref());
    for b in candidates {
        if !started {
            // Body starts after the headline.
            started = Some(&b.text) == title.as_ref();
            continue;
        }
        if Some(&b.text) == title.as_ref() {
            continue;
        }
        let chars = b.text.chars().count().max(1);
        let link_density = b.link_chars as f32 / chars as f32;
        let n = words(&b.text);
        let heading = matches!(b.kind, Kind::Heading(_));
        if link_density > 0.5 {
            continue;
        }
        if !heading && n < 4 && !b.text.ends_with(['.', '!', '?', '"', '”']) {
            continue;
        }
        if heading && n > 25 {
            continue;
        }
        let lower = b.text.to_lowercase();
        if n <= 8 && (lower.starts_with("by ") || lower.starts_with("updated") || lower.starts_with("published")) {
            if lower.starts_with("by ") && out.byline.is_none() {
                out.byline = Some(b.text[3..].trim().to_string());
            }
            if out.date.is_none() {
                if let Some(d) = dates::parse_any(&b.text) {
                    out.date = Some((d, DateSource::Text));
                }
            }
            continue;
        }
        if lower.starts_with('©') || lower.starts_with("copyright") {
            continue;
        }
        let kind = match b.kind {
            Kind::Heading(_) => BlockKind::Heading,
            Kind::Item => BlockKind::Item,
            Kind::Quote => BlockKind::Quote,
            Kind::Para => BlockKind::Paragraph,
        };
        out.blocks.push((kind, b.text.clone()));
    }
    // Headings at the very end (a "Related" title left over) are dropped.
    while out.blocks.last().is_some_and(|(k, _)| *k == BlockKind::Heading) {
        out.blocks.pop();
    }
    out.date = st
        .date
        .or(st.jsonld_date.map(|d| (d, DateSource::JsonLd)))
        .or(st.time_date.map(|d| (d, DateSource::TimeElement)))
        .or(out.date);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_page() {
        let html = r#"<html><head><title>Talks resume | Site</title>
<meta property="article:published_time" content="2024-11-20T08:30:00Z"><meta name="author" content="A. Writer">
<script>var x = "<p>not text</p>";</script><style>p{}</style></head>
<body><nav><a href="/">Home</a></nav><article><h1>Talks resume</h1>
<p>The two governments agreed on Monday to resume talks on the border &amp; trade.</p>
<div class="share-buttons"><p>Share this on social media now please.</p></div>
<h2>Next steps</h2><p>Negotiators will meet again in Geneva next month, officials said.</p>
<figure><img src="x.jpg"><figcaption>A photo of the negotiators in the hall.</figcaption></figure>
<p>A third paragraph gives the article enough words to count as the article body for the test.</p>
</article><footer><p>Copyright Site, all rights reserved, and more words here.</p></footer></body></html>"#;
        let a = extract_html(html);
        assert_eq!(a.title.as_deref(), Some("Talks resume"));
        assert_eq!(a.byline.as_deref(), Some("A. Writer"));
        assert_eq!(a.date.map(|d| d.0.to_string()).as_deref(), Some("2024-11-20"));
        let texts: Vec<&str> = a.blocks.iter().map(|b| b.1.as_str()).collect();
        assert_eq!(
            texts,
            [
                "The two governments agreed on Monday to resume talks on the border & trade.",
                "Next steps",
                "Negotiators will meet again in Geneva next month, officials said.",
                "A third paragraph gives the article enough words to count as the article body for the test."
            ]
        );
        assert_eq!(a.blocks[1].0, BlockKind::Heading);
    }

    #[test]
    fn deep_nesting_and_junk_do_not_panic() {
        let deep = "<div>".repeat(100_000) + "Hello there, this is text." + &"</div>".repeat(100_000);
        let a = extract_html(&deep);
        assert!(a.blocks.iter().any(|b| b.1.contains("Hello")));
        for junk in ["<", "<<>>", "<a href='x", "&#xFFFFFFFF; &#0; &bogus;", "<p>unclosed <b>bold", "</p></div>"] {
            let _ = extract_html(junk);
        }
        assert_eq!(decode_entities("a &amp; b &#8217; &#x201C; &nope; &"), "a & b ’ “ &nope; &");
    }
}
