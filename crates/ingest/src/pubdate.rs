//! Page metadata: title, author, JSON-LD article body, and the publication date.
//!
//! The date follows this order of trust (measured on wcxb-dev: `<meta>` publication tags are right on
//! 94 % of the pages that have them, JSON-LD `datePublished` on 85 %, the shown date less often),
//! and gives no date rather than a doubtful one:
//! 1. `<meta>` publication tags (`article:published_time`, `datePublished`, Dublin Core, …);
//! 2. JSON-LD `datePublished` (then `dateCreated`) of an article-typed object;
//! 3. the date shown with the headline (a short date line or `<time>` next to the `<h1>`);
//! 4. JSON-LD `datePublished` of any object, then a `/YYYY/MM/DD/` date in the URL;
//! 5. `<time>` / `itemprop=datePublished` elements marked as the publication time, then the first
//!    `<time datetime>` in the article zone, then a short date line at the top of the zone.
//!
//! Modification dates are never taken for publication dates.

use crate::dates;
use crate::dom::{Dom, NodeId, NodeKind};
use chrono::NaiveDate;
use dyad_model::DateSource;

#[derive(Debug, Default)]
pub struct Meta {
    pub title_tag: Option<String>,
    pub og_title: Option<String>,
    pub headline: Option<String>,
    pub author: Option<String>,
    pub article_body: Option<String>,
    meta_date: Option<NaiveDate>,
    jsonld_date: Option<NaiveDate>,
    /// `datePublished` of a JSON-LD object of any type (a `WebPage`).
    jsonld_any_date: Option<NaiveDate>,
    marked_time: Option<NaiveDate>,
}

const META_DATE_KEYS: [&str; 24] = [
    "article:published_time",
    "article:published",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publish-date",
    "publish_date",
    "publishdate",
    "publication_date",
    "dc.date.issued",
    "dc.date.created",
    "dc.date",
    "dcterms.created",
    "dcterms.issued",
    "dcterms.date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "originalpublicationdate",
    "citation_publication_date",
    "date",
    "cxenseparse:recs:publishtime",
    "datecreated",
];

const ARTICLE_TYPES: [&str; 10] = [
    "newsarticle",
    "article",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "report",
    "scholarlyarticle",
    "techarticle",
    "liveblogposting",
];

impl Meta {
    pub fn read(dom: &Dom) -> Meta {
        let mut m = Meta::default();
        let mut meta_rank = usize::MAX;
        for (id, n) in dom.elements() {
            match n.tag() {
                "title" if m.title_tag.is_none() => {
                    let t = clean(dom.raw_text(id));
                    m.title_tag = (!t.is_empty()).then_some(t);
                }
                "meta" => {
                    let key = n.attr("property").or(n.attr("name")).or(n.attr("itemprop"));
                    let Some(key) = key.map(str::to_ascii_lowercase) else { continue };
                    let content = n.attr("content").unwrap_or("").trim();
                    if content.is_empty() {
                        continue;
                    }
                    match key.as_str() {
                        "og:title" | "twitter:title" if m.og_title.is_none() => m.og_title = Some(clean(content)),
                        "author" | "article:author" | "byl" | "dc.creator" | "parsely-author" | "sailthru.author"
                            if m.author.is_none() && !content.starts_with("http") =>
                        {
                            m.author = Some(clean(content.trim_start_matches("By ").trim_start_matches("by ")));
                        }
                        k => {
                            if let Some(rank) = META_DATE_KEYS.iter().position(|x| *x == k) {
                                if rank < meta_rank {
                                    if let Some(d) = dates::parse_any(content) {
                                        m.meta_date = Some(d);
                                        meta_rank = rank;
                                    }
                                }
                            }
                        }
                    }
                }
                "script" if n.attr("type").is_some_and(|t| t.contains("ld+json")) => {
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(dom.raw_text(id).trim()) {
                        m.json_ld(&v, 0);
                    }
                }
                "time" | "span" | "div" | "p" | "abbr" => {
                    if m.marked_time.is_some() {
                        continue;
                    }
                    let marked = n.attr("pubdate").is_some()
                        || n.attr("itemprop").is_some_and(|v| v.eq_ignore_ascii_case("datePublished"));
                    if marked {
                        let d = n.attr("datetime").or(n.attr("content")).and_then(dates::parse_any);
                        m.marked_time = d.or_else(|| dates::parse_any(&dom.text_of(id)));
                    }
                }
                _ => {}
            }
        }
        m
    }

    fn json_ld(&mut self, v: &serde_json::Value, depth: usize) {
        if depth > 8 {
            return;
        }
        match v {
            serde_json::Value::Array(a) => a.iter().for_each(|x| self.json_ld(x, depth + 1)),
            serde_json::Value::Object(o) => {
                if let Some(g) = o.get("@graph") {
                    self.json_ld(g, depth + 1);
                }
                let types: Vec<String> = match o.get("@type") {
                    Some(serde_json::Value::String(s)) => vec![s.to_ascii_lowercase()],
                    Some(serde_json::Value::Array(a)) => {
                        a.iter().filter_map(|x| x.as_str()).map(str::to_ascii_lowercase).collect()
                    }
                    _ => Vec::new(),
                };
                if self.jsonld_any_date.is_none() {
                    self.jsonld_any_date = o.get("datePublished").and_then(|d| d.as_str()).and_then(dates::parse_any);
                }
                if !types.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str())) {
                    return;
                }
                if self.jsonld_date.is_none() {
                    self.jsonld_date = ["datePublished", "dateCreated"]
                        .iter()
                        .find_map(|k| o.get(*k).and_then(|d| d.as_str()).and_then(dates::parse_any));
                }
                if self.headline.is_none() {
                    self.headline = o.get("headline").and_then(|h| h.as_str()).map(clean);
                }
                if self.author.is_none() {
                    self.author = author_name(o.get("author"));
                }
                if self.article_body.is_none() {
                    self.article_body = o.get("articleBody").and_then(|b| b.as_str()).map(str::to_string);
                }
            }
            _ => {}
        }
    }

    /// The headline: an `<h1>` the metadata agrees with, else `og:title`, JSON-LD `headline`,
    /// `<title>` without its site-name suffix, else the first `<h1>`.
    pub fn title(&self, dom: &Dom, hard: &[bool]) -> Option<String> {
        let h1s: Vec<String> = dom
            .elements()
            .filter(|(id, n)| n.tag() == "h1" && !hard[*id as usize])
            .map(|(id, _)| dom.text_of(id))
            .filter(|t| !t.is_empty())
            .take(5)
            .collect();
        let refs = [&self.og_title, &self.headline, &self.title_tag];
        for h in &h1s {
            let hl = h.to_lowercase();
            if refs.iter().any(|r| r.as_ref().is_some_and(|r| r.to_lowercase().contains(&hl) && hl.len() >= 10)) {
                return Some(h.clone());
            }
        }
        if let Some(t) = self.og_title.clone().or(self.headline.clone()) {
            return Some(strip_site(&t));
        }
        if let Some(t) = &self.title_tag {
            return Some(strip_site(t));
        }
        h1s.into_iter().next()
    }

    pub fn date(
        &self,
        url: Option<&str>,
        visible: Option<NaiveDate>,
        zone: Option<(NaiveDate, DateSource)>,
    ) -> Option<(NaiveDate, DateSource)> {
        self.meta_date
            .map(|d| (d, DateSource::Meta))
            .or(self.jsonld_date.map(|d| (d, DateSource::JsonLd)))
            .or(visible.map(|d| (d, DateSource::Text)))
            .or(self.jsonld_any_date.map(|d| (d, DateSource::JsonLd)))
            .or(url.and_then(dates::parse_url).map(|d| (d, DateSource::Url)))
            .or(self.marked_time.map(|d| (d, DateSource::TimeElement)))
            .or(zone)
    }
}

fn author_name(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(clean(s)),
        serde_json::Value::Object(o) => o.get("name").and_then(|n| n.as_str()).map(clean),
        serde_json::Value::Array(a) => {
            let names: Vec<String> = a.iter().filter_map(|x| author_name(Some(x))).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
    .filter(|s| !s.is_empty())
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Headline | Site` → `Headline`.
fn strip_site(t: &str) -> String {
    let cut = [" | ", " - ", " — ", " – ", " :: ", " « "].iter().filter_map(|sep| t.rfind(sep)).max();
    match cut {
        Some(c) if c >= 15 => t[..c].trim().to_string(),
        _ => t.trim().to_string(),
    }
}

/// The date shown with the headline: the first short date line or `<time>` among the few text
/// runs after the headline `<h1>` (or, failing that, just before it). What the reader sees is what
/// the page says its date is; metadata often carries an older first-publication date.
/// Text runs before the headline searched for its date.
const BEFORE_RUNS: usize = 8;

pub fn visible_date(dom: &Dom, headline: Option<NodeId>, hidden: &[bool]) -> Option<NaiveDate> {
    let h = headline? as usize;
    let n = dom.nodes.len();
    let read = |i: usize| -> Option<NaiveDate> {
        if hidden[i] {
            return None;
        }
        let node = &dom.nodes[i];
        match &node.kind {
            NodeKind::Element { tag, .. } if &**tag == "time" => node.attr("datetime").and_then(dates::parse_any),
            NodeKind::Text(t) => {
                let t = t.trim();
                let w = t.split_whitespace().count();
                (w > 0 && w <= 14).then(|| dates::parse_written(t).or_else(|| dates::parse_iso(t))).flatten()
            }
            _ => None,
        }
    };
    let mut runs = 0;
    let mut chars = 0;
    #[allow(clippy::needless_range_loop)]
    for i in h + 1..n {
        if let Some(d) = read(i) {
            return Some(d);
        }
        if let Some(t) = dom.nodes[i].text() {
            if !hidden[i] && !t.trim().is_empty() {
                runs += 1;
                chars += t.len();
            }
        }
        if runs > 25 || chars > 1500 {
            break;
        }
    }
    let mut runs = 0;
    for i in (1..h).rev() {
        if runs >= BEFORE_RUNS {
            break;
        }
        if let Some(d) = read(i) {
            return Some(d);
        }
        if dom.nodes[i].text().is_some_and(|t| !t.trim().is_empty()) && !hidden[i] {
            runs += 1;
        }
    }
    None
}

/// A date from the article zone: the first `<time datetime>` inside it (or in its header), else
/// a short date line among its first blocks.
pub fn zone_date(dom: &Dom, zone: &[NodeId], hard: &[bool]) -> Option<(NaiveDate, DateSource)> {
    let first = *zone.first()?;
    // The zone and its nearest ancestors (a header above the body).
    let mut scope = vec![first];
    let mut a = dom.node(first).parent;
    for _ in 0..2 {
        if a == 0 {
            break;
        }
        scope.push(a);
        a = dom.node(a).parent;
    }
    for &root in scope.iter() {
        if let Some(d) = first_time(dom, root, 0) {
            return Some((d, DateSource::TimeElement));
        }
    }
    let mut lines = 0;
    find_date_line(dom, first, hard, &mut lines).map(|d| (d, DateSource::Text))
}

fn first_time(dom: &Dom, id: NodeId, depth: usize) -> Option<NaiveDate> {
    let n = dom.node(id);
    if depth > 64 {
        return None;
    }
    if n.tag() == "time" {
        if let Some(d) = n.attr("datetime").and_then(dates::parse_any) {
            return Some(d);
        }
    }
    n.children.iter().find_map(|&c| first_time(dom, c, depth + 1))
}

fn find_date_line(dom: &Dom, id: NodeId, hard: &[bool], lines: &mut usize) -> Option<NaiveDate> {
    if *lines > 12 || hard[id as usize] {
        return None;
    }
    let n = dom.node(id);
    match &n.kind {
        NodeKind::Text(t) => {
            let t = t.trim();
            if t.is_empty() {
                return None;
            }
            *lines += 1;
            let w = t.split_whitespace().count();
            let lower = t.to_lowercase();
            if w <= 12 && !lower.contains("updated") && !lower.contains("modified") {
                return dates::parse_written(t).or_else(|| dates::parse_iso(t));
            }
            None
        }
        NodeKind::Element { .. } => n.children.iter().find_map(|&c| find_date_line(dom, c, hard, lines)),
    }
}
