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

/// Class/id word parts that always mark furniture.
const DISCARD: [&str; 28] = [
    "share",
    "sharing",
    "social",
    "related",
    "cookie",
    "consent",
    "newsletter",
    "subscribe",
    "subscription",
    "promo",
    "advert",
    "advertisement",
    "sponsor",
    "sponsored",
    "breadcrumb",
    "breadcrumbs",
    "footer",
    "navbar",
    "nav",
    "navigation",
    "menu",
    "recommend",
    "recommended",
    "trending",
    "mostread",
    "popular",
    "outbrain",
    "taboola",
];

/// Class/id word parts that mark furniture unless the element holds paragraphs of prose (layout
/// classes such as `sidebar-first-only` or `field--label-hidden` wrap articles too).
const WEAK_DISCARD: [&str; 24] = [
    "ad",
    "ads",
    "adv",
    "sidebar",
    "caption",
    "credit",
    "credits",
    "popup",
    "modal",
    "signup",
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
    "overlay",
    "login",
    "tooltip",
];

/// Whole class tokens of visually hidden elements.
const HIDDEN_TOKENS: [&str; 8] =
    ["hidden", "d-none", "hide", "visually-hidden", "sr-only", "screen-reader-text", "is-hidden", "invisible"];

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
    /// Removed with its subtree: never-text tags, hidden elements, furniture.
    hard: bool,
    /// Removed by tag or hidden only (the headline may sit in furniture such as a header bar).
    tag_hidden: bool,
    /// Text characters under the element (not in removed subtrees).
    len: u32,
    /// Of which inside links.
    link_len: u32,
    links: u32,
    /// Text in the element's own inline content (not in nested blocks) and its commas.
    own_len: u32,
    own_commas: u32,
    /// Text of prose blocks (own inline text of 30 characters or more) under the element.
    good: u32,
    /// Readability score.
    score: f32,
}

/// Extracts title, byline, date and body blocks from an HTML page.
pub fn extract_html(html: &str, url: Option<&str>) -> TextArticle {
    extract_html_with(html, url, None)
}

/// What the date choice saw on a page, for `dyad eval extraction --dates`.
#[derive(Debug, Default)]
pub struct DateDebug {
    pub candidates: Vec<crate::pubdate::Candidate>,
    pub headline: Option<usize>,
    pub zone: Vec<usize>,
    pub nodes: usize,
}

/// [`extract_html`], also returning every date candidate of the page.
pub fn extract_html_debug(html: &str, url: Option<&str>) -> (TextArticle, DateDebug) {
    let mut d = DateDebug::default();
    let a = extract_html_with(html, url, Some(&mut d));
    (a, d)
}

fn extract_html_with(html: &str, url: Option<&str>, debug: Option<&mut DateDebug>) -> TextArticle {
    let dom = Dom::parse(html);
    let n = dom.nodes.len();
    let mut info: Vec<Info> = (0..n)
        .map(|_| Info {
            hard: false,
            tag_hidden: false,
            len: 0,
            link_len: 0,
            links: 0,
            own_len: 0,
            own_commas: 0,
            good: 0,
            score: 0.0,
        })
        .collect();
    // Elements that hold the article's anchors (the headline, a body-named element, <main>):
    // a furniture mark on them is layout (a page-wide <form>, `class="no-sidebar"`), not furniture.
    let mut key = vec![false; n];
    for i in (1..n).rev() {
        let node = &dom.nodes[i];
        if matches!(node.tag(), "h1" | "main") || (node.text().is_none() && is_body_named(&dom, i as NodeId)) {
            key[i] = true;
        }
        if key[i] {
            key[node.parent as usize] = true;
        }
    }
    // Text length before furniture is removed: an element holding most of the page is layout.
    let mut len0 = vec![0u32; n];
    let mut plen0 = vec![0u32; n];
    let mut hidden0 = vec![false; n];
    for i in 1..n {
        let node = &dom.nodes[i];
        hidden0[i] = hidden0[node.parent as usize]
            || node.text().is_none() && (is_hard_drop(node.tag()) || is_hidden(&dom, i as NodeId));
    }
    for i in (1..n).rev() {
        if hidden0[i] {
            continue;
        }
        if let Some(t) = dom.nodes[i].text() {
            len0[i] += t.len() as u32;
        }
        let p = dom.nodes[i].parent as usize;
        len0[p] += len0[i];
        plen0[p] += if dom.nodes[i].tag() == "p" { len0[i] } else { plen0[i] };
    }
    let layout = len0[0] / 10 * 6;
    let mut in_link = vec![false; n];
    for i in 1..n {
        let node = &dom.nodes[i];
        let p = node.parent as usize;
        let (by_tag, furniture) = match &node.kind {
            NodeKind::Element { tag, .. } => {
                in_link[i] = in_link[p] || &**tag == "a";
                let by_tag = is_hard_drop(tag) || is_hidden(&dom, i as NodeId);
                let container = matches!(&**tag, "html" | "body" | "main" | "article") || key[i] || len0[i] >= layout;
                let level = match &**tag {
                    "nav" | "menu" | "footer" => 2,
                    "aside" | "form" => 1,
                    _ => furniture_level(&dom, i as NodeId),
                };
                // Prose outweighs a furniture word: 1000 characters of paragraphs for a weak one,
                // half the page's paragraph text for a strong one.
                let prose = plen0[i] >= 1000;
                let most = plen0[i] * 2 >= plen0[0] && plen0[i] >= 500;
                (by_tag, level == 3 && !key[i] || !container && !most && (level == 2 || level == 1 && !prose))
            }
            NodeKind::Text(_) => {
                in_link[i] = in_link[p];
                (false, false)
            }
        };
        info[i].tag_hidden = info[p].tag_hidden || by_tag;
        info[i].hard = info[p].hard || by_tag || furniture;
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
            // Own inline text of the nearest block ancestor.
            let mut b = node.parent as usize;
            while b != 0 && is_inline(dom.nodes[b].tag()) {
                b = dom.nodes[b].parent as usize;
            }
            if !in_link[i] {
                info[b].own_len += l;
                info[b].own_commas += t.matches([',', '，']).count() as u32;
            }
        } else {
            if node.tag() == "a" {
                info[i].links += 1;
            }
            if info[i].own_len >= 30 {
                info[i].good += info[i].own_len;
            }
        }
        let p = node.parent as usize;
        info[p].good += info[i].good;
        let (l, ll, lk) = (info[i].len, info[i].link_len, info[i].links);
        info[p].len += l;
        info[p].link_len += ll;
        info[p].links += lk;
    }
    score_paragraphs(&dom, &mut info);
    let meta = crate::pubdate::Meta::read(&dom);

    let zone = find_zone(&dom, &info);
    let mut out = TextArticle::default();
    let title = meta.title(&dom, &info.iter().map(|i| i.tag_hidden).collect::<Vec<_>>());
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
    let hidden: Vec<bool> = info.iter().map(|i| i.tag_hidden).collect();
    let headline = dom
        .elements()
        .find(|(id, n)| {
            n.tag() == "h1" && !hidden[*id as usize] && title.as_deref().is_some_and(|t| dom.text_of(*id) == t)
        })
        .map(|(id, _)| id)
        .or_else(|| dom.elements().find(|(id, n)| n.tag() == "h1" && !hidden[*id as usize]).map(|(id, _)| id));
    let anchor = headline.or(zone.first().copied());
    let order = crate::pubdate::day_order(url);
    let visible = crate::pubdate::visible_dates(&dom, anchor, &hidden, order);
    let labelled = || crate::pubdate::labelled_date(&dom, &hidden, order);
    out.date = meta.date(url, &visible, zone_dates, out.date, labelled);
    if let Some(dbg) = debug {
        dbg.candidates = crate::pubdate::candidates(&dom, url, &hidden);
        dbg.headline = headline.map(|h| h as usize);
        dbg.zone = zone.iter().map(|&z| z as usize).collect();
        dbg.nodes = dom.nodes.len();
    }
    out
}

fn is_hidden(dom: &Dom, id: NodeId) -> bool {
    let n = dom.node(id);
    // React's streamed server rendering parks content in `<div hidden id="S:0">` for a script to
    // move into place: that is the page's text, not hidden furniture.
    let streamed = n.attr("id").is_some_and(|i| i.starts_with("S:") && i[2..].bytes().all(|b| b.is_ascii_digit()));
    if (n.attr("hidden").is_some() && !streamed) || n.attr("aria-hidden") == Some("true") {
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

/// Class/id word parts of comment sections: furniture however much prose they hold.
const COMMENTS: [&str; 5] = ["comment", "comments", "disqus", "respond", "replies"];

/// Whether class, id or role mark the element as page furniture: 0 no, 1 unless it holds
/// prose, 2 unless it holds most of the page's prose, 3 always.
fn furniture_level(dom: &Dom, id: NodeId) -> u8 {
    let n = dom.node(id);
    if let Some(role) = n.attr("role") {
        if matches!(role, "navigation" | "contentinfo" | "complementary" | "dialog" | "banner" | "menu" | "alert") {
            return 2;
        }
    }
    if n.attr("itemprop").is_some_and(|v| v.eq_ignore_ascii_case("articleBody")) {
        return 0;
    }
    let ci = class_id(dom, id);
    let mut level = 0;
    for token in ci.split_whitespace() {
        if BODY_TOKENS.contains(&token) {
            return 0;
        }
        if HIDDEN_TOKENS.contains(&token) {
            level = level.max(1);
        }
        // A furniture word inside a token that also names content (`content-nav-section`) is
        // only a weak mark: the prose under it decides.
        let names_content = class_parts(token).any(|p| matches!(p, "content" | "article" | "story" | "body"));
        for p in class_parts(token) {
            if COMMENTS.contains(&p) {
                return 3;
            }
            if DISCARD.contains(&p) || (p.len() > 6 && DISCARD.iter().any(|d| d.len() >= 6 && p.starts_with(d))) {
                level = if names_content { level.max(1) } else { 2 };
            } else if WEAK_DISCARD.contains(&p) {
                level = level.max(1);
            }
        }
    }
    level
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
    if parts.iter().any(|p| {
        matches!(
            *p,
            "comment"
                | "comments"
                | "footer"
                | "masthead"
                | "meta"
                | "related"
                | "sidebar"
                | "sponsor"
                | "widget"
                | "tags"
                | "share"
                | "promo"
                | "nav"
                | "menu"
        )
    }) {
        w -= 25.0;
    }
    if parts
        .iter()
        .any(|p| matches!(*p, "article" | "body" | "content" | "entry" | "main" | "post" | "story" | "text" | "blog"))
    {
        w += 25.0;
    }
    w
}

/// Readability: each paragraph (a `p`, `pre`, `td`, `blockquote`, or the inline text of any other
/// block) of 25 characters or more gives 1 + commas + length/100 (at most 3) to the element
/// holding it, half to the next ancestor, and less to three more.
fn score_paragraphs(dom: &Dom, info: &mut [Info]) {
    let n = dom.nodes.len();
    for i in 1..n {
        if info[i].hard || info[i].own_len < 25 {
            continue;
        }
        let node = &dom.nodes[i];

        let s = 1.0 + info[i].own_commas as f32 + (info[i].own_len as f32 / 100.0).min(3.0);
        // A paragraph element scores for its container; loose text scores for its own block.
        let mut a = if matches!(node.tag(), "p" | "pre" | "td" | "blockquote" | "li" | "dd" | "h2" | "h3") {
            node.parent as usize
        } else {
            i
        };
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

fn link_density(i: &Info) -> f32 {
    if i.len == 0 {
        0.0
    } else {
        i.link_len as f32 / i.len as f32
    }
}

/// The elements holding the article, in document order: the cascade's choice, unless one element
/// holds far more prose.
fn find_zone(dom: &Dom, info: &[Info]) -> Vec<NodeId> {
    let zone = cascade_zone(dom, info);
    // Coverage: the element with the most prose net of other text. Pages built from components
    // (one paragraph per widget) spread the article over many small parents that readability
    // scores one by one.
    let coverage = dom
        .elements()
        .filter(|(id, n)| !info[*id as usize].hard && n.tag() != "#root")
        .map(|(id, _)| {
            let i = &info[id as usize];
            (i.good as f32 - (i.len - i.good.min(i.len)) as f32, id)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id);
    let zone_good: u32 = zone.iter().map(|&z| info[z as usize].good).sum();
    let factor = 3;
    match coverage {
        Some(c) if info[c as usize].good > factor * zone_good => vec![c],
        _ => zone,
    }
}

fn cascade_zone(dom: &Dom, info: &[Info]) -> Vec<NodeId> {
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
    if zone.len() == 1 {
        if let Some(parts) = split_body(dom, info, top) {
            return parts;
        }
    }
    zone
}

/// A body cut into blocks between images or embeds (`<div class="block text">` … `<div
/// class="block image">` … `<div class="block text">`): the readability winner is one block, and
/// its peers — siblings of it or of one of its nearest ancestors, with the same tag and class,
/// holding prose with few links — are the rest of the body.
fn split_body(dom: &Dom, info: &[Info], top: NodeId) -> Option<Vec<NodeId>> {
    let mut a = top;
    for _ in 0..4 {
        let p = dom.node(a).parent;
        if p == 0 {
            return None;
        }
        let node = dom.node(a);
        if let Some(class) = node.attr("class").filter(|c| !c.trim().is_empty()) {
            let peers: Vec<NodeId> = dom
                .node(p)
                .children
                .iter()
                .copied()
                .filter(|&c| {
                    let (n, i) = (dom.node(c), &info[c as usize]);
                    c == a
                        || n.tag() == node.tag()
                            && n.attr("class") == Some(class)
                            && !i.hard
                            && i.len >= 100
                            && link_density(i) < 0.3
                })
                .collect();
            if peers.len() >= 2 {
                return Some(peers);
            }
        }
        // Only climb through wrappers: an ancestor holding much more text than the block is
        // a page region, not the block's frame.
        if info[p as usize].len > info[a as usize].len.saturating_mul(3) / 2 + 200 {
            return None;
        }
        a = p;
    }
    None
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

    fn walk(&mut self, id: NodeId, in_link: bool) {
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
                        self.walk(c, in_link || tag == "a");
                    }
                    return;
                }
                self.flush();
                let saved = self.kind;
                if let Some(k) = block_kind(tag) {
                    self.kind = k;
                }
                for &c in &node.children {
                    self.walk(c, in_link || tag == "a");
                }
                self.flush();
                self.kind = saved;
            }
        }
    }
}

fn collect_blocks(dom: &Dom, info: &[Info], zone: NodeId, out: &mut Vec<RawBlock>) {
    let mut c = Collector { dom, info, out, cur: String::new(), cur_links: 0, kind: Kind::Para };
    // The zone itself is never dropped as furniture: walk its children.
    let node = dom.node(zone);
    if node.text().is_some() {
        c.walk(zone, false);
    } else {
        if let Some(k) = block_kind(node.tag()) {
            c.kind = k;
        }
        for &ch in &node.children {
            c.walk(ch, false);
        }
    }
    c.flush();
}

/// Every paragraph of the page outside furniture: the last resort.
fn all_paragraphs(dom: &Dom, info: &[Info]) -> Vec<RawBlock> {
    let mut out = Vec::new();
    for (id, n) in dom.elements() {
        if matches!(n.tag(), "p" | "blockquote" | "pre") && !info[id as usize].hard && info[id as usize].len > 0 {
            {
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
    [
        "photo:",
        "image:",
        "credit:",
        "picture:",
        "photograph:",
        "photo by",
        "image by",
        "image source",
        "(photo",
        "file photo",
    ]
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
    fn a_body_cut_into_blocks_between_images_is_read_whole() {
        let para = |k: usize| {
            format!(
                "<p>Paragraph {k} of the article body, with enough words, commas, and clauses to count as prose \
                 for the scorer, and then a few more words so that it is clearly a paragraph of the story.</p>"
            )
        };
        let html = format!(
            r#"<html><body><nav><a href="/">Home</a> <a href="/b">Blog</a></nav><h1>A split story</h1>
<div class="blocks"><div class="block text"><section class="rich"><div class="html">{}</div></section></div>
<div class="block image"><figure><img src="a.png"><div class="credit">Photo courtesy of somebody</div></figure></div>
<div class="block text"><section class="rich"><div class="html">{}</div></section></div>
<div class="block image"><figure><img src="b.png"></figure></div>
<div class="block text"><section class="rich"><div class="html">{}</div></section></div></div>
<footer><p>Copyright Site, all rights reserved.</p></footer></body></html>"#,
            (1..=4).map(para).collect::<String>(),
            para(5),
            para(6)
        );
        let a = extract_html(&html, None);
        let texts: Vec<&str> = a.blocks.iter().map(|b| b.1.as_str()).collect();
        let numbers: Vec<usize> =
            (1..=6).filter(|k| texts.iter().any(|t| t.starts_with(&format!("Paragraph {k} ")))).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6], "{texts:?}");
        assert!(!texts.iter().any(|t| t.contains("courtesy") || t.contains("Copyright")), "{texts:?}");
    }

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
        let paras: String = ["Tuesday", "Wednesday", "Thursday"]
            .iter()
            .map(|d| format!("<p>The minister said on {d} that the talks, which began in March, would continue.</p>"))
            .collect();
        let html = format!(
            "<body><div class=\"story-body\">{paras}</div><div id=\"comments\">{}</div></body>",
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
