//! The article out of an HTML page.
//!
//! 1. [`Dom::parse`] builds a small tree (linear time, depth capped).
//! 2. Metadata: title (`<h1>`, `og:title`, JSON-LD `headline`, `<title>` without the site name),
//!    author, and the publication date ([`crate::pubdate`]).
//! 3. The content zone: an element named as the article body (`itemprop=articleBody`,
//!    `entry-content`, `story-body`, …), else the `<article>` with the most text, else the
//!    best readability-scored element (paragraph text, commas, class weights, link density) with
//!    its qualifying siblings.
//! 4. Inside the zone, furniture is dropped: navigation, share/related/comment/newsletter/cookie
//!    widgets (class and id words), figures and captions, hidden elements, link lists.
//! 5. Text hygiene per block: link-only lines, button labels, bylines and date lines, copyright,
//!    the repeated headline, consecutive duplicates, a trailing heading.
//! 6. Too little text: JSON-LD `articleBody`, then every paragraph of the page.

use crate::dom::{is_inline, Dom, NodeId, NodeKind};
use crate::text::TextArticle;
use dyad_model::{BlockKind, DateSource};

/// Elements never holding article text.
fn is_hard_drop(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "iframe"
            | "svg"
            | "button"
            | "select"
            | "textarea"
            | "input"
            | "dialog"
            | "audio"
            | "video"
            | "canvas"
            | "object"
            | "embed"
            | "map"
            | "head"
            | "title"
            | "figure"
            | "figcaption"
            | "picture"
            | "label"
            | "option"
    )
}

/// Elements that are furniture unless they hold the article.
fn is_soft_drop(tag: &str) -> bool {
    matches!(tag, "nav" | "footer" | "aside" | "form" | "menu")
}

/// Class/id word parts that mark furniture.
const DISCARD: [&str; 60] = [
    "share",
    "sharing",
    "social",
    "related",
    "comment",
    "cookie",
    "consent",
    "newsletter",
    "subscribe",
    "subscription",
    "promo",
    "advert",
    "ad",
    "ads",
    "adv",
    "advertisement",
    "sponsor",
    "sponsored",
    "sidebar",
    "breadcrumb",
    "breadcrumbs",
    "caption",
    "credit",
    "credits",
    "footer",
    "navbar",
    "nav",
    "navigation",
    "menu",
    "popup",
    "modal",
    "signup",
    "recommend",
    "recommended",
    "trending",
    "mostread",
    "popular",
    "outbrain",
    "taboola",
    "widget",
    "tags",
    "byline",
    "author",
    "timestamp",
    "print",
    "toolbar",
    "pagination",
    "pager",
    "paywall",
    "banner",
    "masthead",
    "skip",
    "hidden",
    "overlay",
    "login",
    "tooltip",
    "teaser",
    "sr",
    "disqus",
    "rating",
];

/// Class/id tokens that name the article body.
const BODY_TOKENS: [&str; 34] = [
    "article-body",
    "article__body",
    "articlebody",
    "article-content",
    "article__content",
    "articlecontent",
    "article-text",
    "articletext",
    "article_body",
    "article-body-text",
    "entry-content",
    "entry_content",
    "post-content",
    "post_content",
    "postcontent",
    "post-body",
    "postbody",
    "post-entry",
    "story-body",
    "storybody",
    "story-content",
    "story__body",
    "story-text",
    "storytext",
    "body-text",
    "bodytext",
    "content-body",
    "field-body",
    "field-name-body",
    "td-post-content",
    "single-post-content",
    "article-body__content",
    "rich-text",
    "text-content",
];

/// Whole-line button labels and widget prompts.
const LABELS: [&str; 40] = [
    "advertisement",
    "ad",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "tweet",
    "email",
    "e-mail",
    "print",
    "facebook",
    "twitter",
    "linkedin",
    "whatsapp",
    "reddit",
    "pinterest",
    "read more",
    "continue reading",
    "related",
    "related articles",
    "related stories",
    "more on this story",
    "comments",
    "leave a comment",
    "subscribe",
    "sign up",
    "log in",
    "login",
    "close",
    "menu",
    "skip to content",
    "back to top",
    "next article",
    "previous article",
    "story continues below advertisement",
    "article continues below advertisement",
    "advertisement - scroll to continue",
    "copy link",
];

fn class_parts(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty())
}

struct Info {
    /// Removed with its subtree (tags and hidden only).
    hard: bool,
    /// Text characters under the element (not in removed subtrees).
    len: u32,
    /// Of which inside links.
    link_len: u32,
    links: u32,
    /// Readability score.
    score: f32,
}

/// Extracts title, byline, date and body blocks from an HTML page.
pub fn extract_html(html: &str, url: Option<&str>) -> TextArticle {
    let dom = Dom::parse(html);
    let n = dom.nodes.len();
    let mut info: Vec<Info> =
        (0..n).map(|_| Info { hard: false, len: 0, link_len: 0, links: 0, score: 0.0 }).collect();
    let mut in_link = vec![false; n];
    for i in 1..n {
        let node = &dom.nodes[i];
        let p = node.parent as usize;
        let own = match &node.kind {
            NodeKind::Element { tag, .. } => {
                in_link[i] = in_link[p] || &**tag == "a";
                is_hard_drop(tag) || is_hidden(&dom, i as NodeId)
            }
            NodeKind::Text(_) => {
                in_link[i] = in_link[p];
                false
            }
        };
        info[i].hard = info[p].hard || own;
    }
    // Text lengths bottom-up (children have larger ids than their parents).
    for i in (1..n).rev() {
        if info[i].hard {
            continue;
        }
        let node = &dom.nodes[i];
        if let NodeKind::Text(t) = &node.kind {
            let l = t.split_whitespace().map(|w| w.chars().count() as u32 + 1).sum::<u32>();
            info[i].len = l;
            if in_link[i] {
                info[i].link_len = l;
            }
        } else if node.tag() == "a" {
            info[i].links += 1;
        }
        let p = node.parent as usize;
        let (l, ll, lk) = (info[i].len, info[i].link_len, info[i].links);
        info[p].len += l;
        info[p].link_len += ll;
        info[p].links += lk;
    }
    score_paragraphs(&dom, &mut info);
    let meta = crate::pubdate::Meta::read(&dom);

    let zone = find_zone(&dom, &info);
    let mut out = TextArticle::default();
    let title = meta.title(&dom, &info.iter().map(|i| i.hard).collect::<Vec<_>>());
    out.title = title.clone();
    out.byline = meta.author.clone();
    let mut blocks = Vec::new();
    for &z in &zone {
        collect_blocks(&dom, &info, z, &mut blocks);
    }
    let mut kept = clean_blocks(blocks, title.as_deref(), &mut out);
    let chars: usize = kept.iter().map(|b| b.1.len()).sum();
    if chars < 250 {
        if let Some(body) = meta.article_body.as_deref().filter(|b| b.len() > chars.max(100)) {
            kept = body
                .split('\n')
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|l| !l.is_empty())
                .map(|l| (BlockKind::Paragraph, l))
                .collect();
        } else {
            let all = all_paragraphs(&dom, &info);
            let mut alt = TextArticle::default();
            let alt_blocks = clean_blocks(all, title.as_deref(), &mut alt);
            if alt_blocks.iter().map(|b| b.1.len()).sum::<usize>() > chars * 2 {
                kept = alt_blocks;
            }
        }
    }
    out.blocks = kept;
    let zone_dates = crate::pubdate::zone_date(&dom, &zone, &info.iter().map(|i| i.hard).collect::<Vec<_>>());
    out.date = meta.date(url, zone_dates).or(out.date);
    out
}

fn is_hidden(dom: &Dom, id: NodeId) -> bool {
    let n = dom.node(id);
    if n.attr("hidden").is_some() || n.attr("aria-hidden") == Some("true") {
        return true;
    }
    n.attr("style").is_some_and(|s| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

fn class_id(dom: &Dom, id: NodeId) -> String {
    let n = dom.node(id);
    let mut s = n.attr("class").unwrap_or("").to_ascii_lowercase();
    if let Some(i) = n.attr("id") {
        s.push(' ');
        s.push_str(&i.to_ascii_lowercase());
    }
    s
}

/// Whether class, id or role mark the element as page furniture.
fn is_furniture(dom: &Dom, id: NodeId) -> bool {
    let n = dom.node(id);
    if let Some(role) = n.attr("role") {
        if matches!(role, "navigation" | "contentinfo" | "complementary" | "dialog" | "banner" | "menu" | "alert") {
            return true;
        }
    }
    if n.attr("itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody")) {
        return false;
    }
    let ci = class_id(dom, id);
    ci.split_whitespace().any(|token| {
        if BODY_TOKENS.contains(&token) {
            return false;
        }
        class_parts(token).any(|p| DISCARD.contains(&p) || (p.len() > 5 && DISCARD.iter().any(|d| d.len() >= 5 && p.starts_with(d))))
    })
}

fn is_body_named(dom: &Dom, id: NodeId) -> bool {
    let n = dom.node(id);
    if n.attr("itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody")) {
        return true;
    }
    class_id(dom, id).split_whitespace().any(|t| BODY_TOKENS.contains(&t))
}

fn class_weight(dom: &Dom, id: NodeId) -> f32 {
    let ci = class_id(dom, id);
    if ci.is_empty() {
        return 0.0;
    }
    let mut w = 0.0;
    let parts: Vec<&str> = class_parts(&ci).collect();
    if parts.iter().any(|p| matches!(*p, "comment" | "comments" | "footer" | "masthead" | "meta" | "related" | "sidebar" | "sponsor" | "widget" | "tags" | "share" | "promo" | "nav" | "menu")) {
        w -= 25.0;
    }
    if parts.iter().any(|p| matches!(*p, "article" | "body" | "content" | "entry" | "main" | "post" | "story" | "text" | "blog")) {
        w += 25.0;
    }
    w
}

/// Readability: paragraph-like elements give 1 + commas + length/100 (at most 3) to their
/// ancestors (parent fully, grandparent half, further ones less).
fn score_paragraphs(dom: &Dom, info: &mut [Info]) {
    let n = dom.nodes.len();
    for i in 1..n {
        if info[i].hard {
            continue;
        }
        let node = &dom.nodes[i];
        let tag = node.tag();
        let para_like = matches!(tag, "p" | "pre" | "td" | "blockquote")
            || (matches!(tag, "div" | "section") && node.children.iter().all(|&c| {
                let t = dom.node(c).tag();
                t.is_empty() || is_inline(t) || t == "br"
            }));
        if !para_like || info[i].len < 25 {
            continue;
        }
        let text_commas = count_commas(dom, i as NodeId);
        let s = 1.0 + text_commas as f32 + (info[i].len as f32 / 100.0).min(3.0);
        let mut a = node.parent as usize;
        for level in 0..5 {
            if a == 0 {
                break;
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            info[a].score += s / div;
            a = dom.nodes[a].parent as usize;
        }
    }
}

fn count_commas(dom: &Dom, id: NodeId) -> usize {
    let node = dom.node(id);
    node.children
        .iter()
        .map(|&c| match &dom.node(c).kind {
            NodeKind::Text(t) => t.matches([',', '，']).count(),
            NodeKind::Element { tag, .. } if is_inline(tag) => count_commas(dom, c),
            _ => 0,
        })
        .sum()
}

fn link_density(i: &Info) -> f32 {
    if i.len == 0 {
        0.0
    } else {
        i.link_len as f32 / i.len as f32
    }
}

/// The elements holding the article, in document order.
fn find_zone(dom: &Dom, info: &[Info]) -> Vec<NodeId> {
    // Readability's best candidate.
    let mut best: Option<(f32, NodeId)> = None;
    for (id, node) in dom.elements() {
        let i = &info[id as usize];
        if i.hard || i.score <= 0.0 || matches!(node.tag(), "html" | "body" | "#root") {
            continue;
        }
        let base = match node.tag() {
            "div" | "article" | "main" | "section" => 5.0,
            "pre" | "td" | "blockquote" => 3.0,
            "ol" | "ul" | "dl" | "form" | "li" => -3.0,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
            _ => 0.0,
        };
        let s = (i.score + base + class_weight(dom, id)) * (1.0 - link_density(i));
        if best.is_none_or(|(b, _)| s > b) {
            best = Some((s, id));
        }
    }
    let readability_len = best.map(|(_, id)| info[id as usize].len).unwrap_or(0);

    // A body-named element, or the biggest <article>: the zone when it holds a fair share of the
    // readability candidate's text.
    let mut named: Vec<NodeId> = dom
        .elements()
        .filter(|(id, _)| !info[*id as usize].hard && info[*id as usize].len >= 200 && is_body_named(dom, *id))
        .map(|(id, _)| id)
        .collect();
    // Keep the outermost of nested matches.
    let all = named.clone();
    named.retain(|&id| !has_ancestor_in(dom, id, &all));
    if let Some(&top) = named.iter().max_by_key(|&&id| info[id as usize].len) {
        let total: u32 = named.iter().map(|&id| info[id as usize].len).sum();
        if total * 2 >= readability_len && link_density(&info[top as usize]) < 0.5 {
            // Several body parts with the same class (a body split by ads) all count.
            let class = dom.node(top).attr("class");
            return named
                .into_iter()
                .filter(|&id| id == top || (class.is_some() && dom.node(id).attr("class") == class))
                .collect();
        }
    }
    let article = dom
        .elements()
        .filter(|(id, n)| n.tag() == "article" && !info[*id as usize].hard)
        .max_by_key(|(id, _)| info[*id as usize].len)
        .map(|(id, _)| id);
    if let Some(a) = article {
        if info[a as usize].len * 2 >= readability_len && info[a as usize].len >= 400 {
            return vec![a];
        }
    }
    let Some((best_score, top)) = best else { return vec![0] };
    // Siblings that qualify join the candidate.
    let parent = dom.node(top).parent;
    let threshold = (best_score * 0.2).max(10.0);
    let mut zone = Vec::new();
    for &s in &dom.node(parent).children {
        if s == top {
            zone.push(s);
            continue;
        }
        let i = &info[s as usize];
        if i.hard || dom.node(s).text().is_some() {
            continue;
        }
        let s_score = (i.score + class_weight(dom, s)) * (1.0 - link_density(i));
        let p_ok = dom.node(s).tag() == "p" && i.len > 80 && link_density(i) < 0.25;
        if s_score >= threshold || p_ok {
            zone.push(s);
        }
    }
    zone
}

fn has_ancestor_in(dom: &Dom, id: NodeId, set: &[NodeId]) -> bool {
    let mut a = dom.node(id).parent;
    while a != 0 {
        if set.contains(&a) {
            return true;
        }
        a = dom.node(a).parent;
    }
    false
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Para,
    Heading(u8),
    Item,
    Quote,
}

/// A block of text found in the zone, before hygiene.
pub(crate) struct RawBlock {
    kind: Kind,
    text: String,
    link_chars: usize,
}

fn block_kind(tag: &str) -> Option<Kind> {
    Some(match tag {
        "p" | "pre" | "td" | "th" | "dd" | "dt" | "address" => Kind::Para,
        "h1" => Kind::Heading(1),
        "h2" => Kind::Heading(2),
        "h3" => Kind::Heading(3),
        "h4" | "h5" | "h6" => Kind::Heading(4),
        "li" => Kind::Item,
        "blockquote" => Kind::Quote,
        _ => return None,
    })
}

struct Collector<'a> {
    dom: &'a Dom,
    info: &'a [Info],
    out: &'a mut Vec<RawBlock>,
    cur: String,
    cur_links: usize,
    kind: Kind,
}

impl Collector<'_> {
    fn flush(&mut self) {
        let text = self.cur.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            self.out.push(RawBlock { kind: self.kind, text, link_chars: self.cur_links });
        }
        self.cur.clear();
        self.cur_links = 0;
    }

    fn walk(&mut self, id: NodeId, in_link: bool, zone_len: u32) {
        let node = self.dom.node(id);
        let i = &self.info[id as usize];
        if i.hard {
            return;
        }
        match &node.kind {
            NodeKind::Text(t) => {
                if in_link {
                    self.cur_links += t.split_whitespace().map(|w| w.chars().count() + 1).sum::<usize>();
                }
                self.cur.push_str(t);
            }
            NodeKind::Element { tag, .. } => {
                let tag: &str = tag;
                let furniture = is_soft_drop(tag) || is_furniture(self.dom, id);
                // Furniture holding most of the zone is its layout, not furniture.
                if furniture && !(i.len * 10 >= zone_len * 6 && link_density(i) < 0.5) {
                    return;
                }
                // Link lists: menus and "related" boxes without a class name.
                if matches!(tag, "ul" | "ol" | "div" | "section" | "table") && i.links >= 3 && link_density(i) > 0.7 {
                    return;
                }
                if tag == "br" {
                    self.cur.push(' ');
                    return;
                }
                if is_inline(tag) {
                    for &c in &node.children {
                        self.walk(c, in_link || tag == "a", zone_len);
                    }
                    return;
                }
                self.flush();
                let saved = self.kind;
                if let Some(k) = block_kind(tag) {
                    self.kind = k;
                }
                for &c in &node.children {
                    self.walk(c, in_link || tag == "a", zone_len);
                }
                self.flush();
                self.kind = saved;
            }
        }
    }
}

fn collect_blocks(dom: &Dom, info: &[Info], zone: NodeId, out: &mut Vec<RawBlock>) {
    let zone_len = info[zone as usize].len;
    let mut c = Collector { dom, info, out, cur: String::new(), cur_links: 0, kind: Kind::Para };
    // The zone itself is never dropped as furniture: walk its children.
    let node = dom.node(zone);
    if node.text().is_some() {
        c.walk(zone, false, zone_len);
    } else {
        if let Some(k) = block_kind(node.tag()) {
            c.kind = k;
        }
        for &ch in &node.children {
            c.walk(ch, false, zone_len);
        }
    }
    c.flush();
}

/// Every paragraph of the page outside furniture: the last resort.
fn all_paragraphs(dom: &Dom, info: &[Info]) -> Vec<RawBlock> {
    let mut out = Vec::new();
    for (id, n) in dom.elements() {
        if matches!(n.tag(), "p" | "blockquote" | "pre") && !info[id as usize].hard && info[id as usize].len > 0 {
            let mut a = n.parent;
            let mut furniture = false;
            while a != 0 {
                if is_soft_drop(dom.node(a).tag()) || is_furniture(dom, a) {
                    furniture = true;
                    break;
                }
                a = dom.node(a).parent;
            }
            if !furniture {
                let t = dom.text_of(id);
                out.push(RawBlock { kind: Kind::Para, text: t, link_chars: info[id as usize].link_len as usize });
            }
        }
    }
    out
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

fn is_label(text: &str) -> bool {
    let t = text.trim().trim_end_matches([':', '.', '»', '›', '>']).trim().to_lowercase();
    LABELS.contains(&t.as_str())
}

fn is_credit(text: &str, n: usize) -> bool {
    if n > 20 {
        return false;
    }
    let l = text.to_lowercase();
    ["photo:", "image:", "credit:", "picture:", "photograph:", "photo by", "image by", "image source", "(photo", "file photo"]
        .iter()
        .any(|p| l.starts_with(p))
        || ["getty images", "/ap", "/reuters", "/afp", "shutterstock", "(ap)", "/ getty", "via getty"]
            .iter()
            .any(|s| l.ends_with(s) || l.ends_with(&format!("{s})")))
}

fn clean_blocks(blocks: Vec<RawBlock>, title: Option<&str>, out: &mut TextArticle) -> Vec<(BlockKind, String)> {
    let mut kept: Vec<(BlockKind, String)> = Vec::new();
    for b in blocks {
        let n = words(&b.text);
        let chars = b.text.chars().count().max(1);
        let ld = b.link_chars as f32 / chars as f32;
        let heading = matches!(b.kind, Kind::Heading(_));
        if Some(b.text.as_str()) == title {
            continue;
        }
        if ld > 0.8 || (ld > 0.5 && (chars < 200 || b.kind == Kind::Item)) {
            continue;
        }
        if is_label(&b.text) || is_credit(&b.text, n) {
            continue;
        }
        if heading && n > 30 {
            continue;
        }
        let lower = b.text.to_lowercase();
        if n <= 10
            && (lower.starts_with("by ")
                || lower.starts_with("updated")
                || lower.starts_with("published")
                || lower.starts_with("posted")
                || lower.starts_with("last updated"))
        {
            if lower.starts_with("by ") && out.byline.is_none() {
                out.byline = Some(b.text[3..].trim().to_string());
            }
            if out.date.is_none() {
                if let Some(d) = crate::dates::parse_any(&b.text) {
                    out.date = Some((d, DateSource::Text));
                }
            }
            continue;
        }
        if n <= 12 && (lower.starts_with('©') || lower.starts_with("copyright") || lower.starts_with("(c) ")) {
            continue;
        }
        if kept.last().is_some_and(|(_, t)| *t == b.text) {
            continue;
        }
        let kind = match b.kind {
            Kind::Heading(_) => BlockKind::Heading,
            Kind::Item => BlockKind::Item,
            Kind::Quote => BlockKind::Quote,
            Kind::Para => BlockKind::Paragraph,
        };
        kept.push((kind, b.text));
    }
    while kept.last().is_some_and(|(k, _)| *k == BlockKind::Heading) {
        kept.pop();
    }
    kept
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
        let end = rest[1..].find(|c: char| c == ';' || c.is_whitespace() || c == '&' || c == '<').map(|e| e + 1);
        let Some(end) = end.filter(|&e| e <= 32 && rest.as_bytes().get(e) == Some(&b';')) else {
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
            v.and_then(char::from_u32).map(|c| if c == '\u{0}' { '\u{FFFD}' } else { c })
        } else {
            named_entity(name)
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

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ensp" | "emsp" | "thinsp" => ' ',
        "shy" | "zwj" | "zwnj" | "lrm" | "rlm" => '\u{ad}',
        "rsquo" => '’',
        "lsquo" => '‘',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "sbquo" => '‚',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "mdash" => '—',
        "ndash" => '–',
        "minus" => '−',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "dagger" => '†',
        "prime" => '′',
        "iexcl" => '¡',
        "iquest" => '¿',
        "aacute" => 'á',
        "Aacute" => 'Á',
        "agrave" => 'à',
        "acirc" => 'â',
        "auml" => 'ä',
        "Auml" => 'Ä',
        "atilde" => 'ã',
        "aring" => 'å',
        "aelig" => 'æ',
        "ccedil" => 'ç',
        "eacute" => 'é',
        "Eacute" => 'É',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "iacute" => 'í',
        "igrave" => 'ì',
        "icirc" => 'î',
        "iuml" => 'ï',
        "ntilde" => 'ñ',
        "Ntilde" => 'Ñ',
        "oacute" => 'ó',
        "Oacute" => 'Ó',
        "ograve" => 'ò',
        "ocirc" => 'ô',
        "ouml" => 'ö',
        "Ouml" => 'Ö',
        "otilde" => 'õ',
        "oslash" => 'ø',
        "uacute" => 'ú',
        "ugrave" => 'ù',
        "ucirc" => 'û',
        "uuml" => 'ü',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "yacute" => 'ý',
        _ => return None,
    })
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
<p>A third paragraph gives the article enough words to count as the article body for the test,
with a few more words, commas, and clauses so that it is clearly the longest text on the page.</p>
<ul class="related"><li><a href="/a">Another story</a></li><li><a href="/b">And another</a></li></ul>
</article><footer><p>Copyright Site, all rights reserved, and more words here.</p></footer></body></html>"#;
        let a = extract_html(html, None);
        assert_eq!(a.title.as_deref(), Some("Talks resume"));
        assert_eq!(a.byline.as_deref(), Some("A. Writer"));
        assert_eq!(a.date.map(|d| d.0.to_string()).as_deref(), Some("2024-11-20"));
        let texts: Vec<&str> = a.blocks.iter().map(|b| b.1.as_str()).collect();
        assert_eq!(texts.len(), 4, "{texts:?}");
        assert_eq!(texts[0], "The two governments agreed on Monday to resume talks on the border & trade.");
        assert_eq!(texts[1], "Next steps");
        assert!(texts[3].starts_with("A third paragraph"));
        assert_eq!(a.blocks[1].0, BlockKind::Heading);
    }

    #[test]
    fn the_article_is_chosen_over_longer_comments() {
        let para = "<p>The minister said on Tuesday that the talks, which began in March, would continue.</p>";
        let html = format!(
            "<body><div class=\"story-body\">{}</div><div id=\"comments\">{}</div></body>",
            para.repeat(3),
            "<p>I disagree with this, strongly, and so do my friends, who read it too.</p>".repeat(10)
        );
        let a = extract_html(&html, None);
        assert_eq!(a.blocks.len(), 3);
        assert!(a.blocks.iter().all(|b| b.1.starts_with("The minister")));
    }

    #[test]
    fn junk_does_not_panic() {
        for junk in ["", "<", "<<>>", "<a href='x", "&#xFFFFFFFF; &#0; &bogus;", "<p>unclosed <b>bold", "</p></div>"] {
            let _ = extract_html(junk, Some("http://x"));
        }
        assert_eq!(decode_entities("a &amp; b &#8217; &#x201C; &nope; &"), "a & b ’ “ &nope; &");
    }
}
