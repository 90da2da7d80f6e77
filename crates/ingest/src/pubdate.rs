//! Page metadata: title, author, JSON-LD article body, and the publication date.
//!
//! The date weighs two witnesses, the `<meta>` publication tag (`article:published_time`,
//! `datePublished`, Dublin Core, any key naming a publication) and the date shown with the
//! headline (short date lines and `<time>` elements just after the `<h1>`, or just before it,
//! outside comments, related lists and sidebars), and gives no date rather than a doubtful one.
//! Measured on wcxb-dev (`dyad eval extraction DIR --date-candidates FILE` lists every candidate):
//! 1. Tag and shown date agree, or only one exists: that date.
//! 2. They disagree (the shown date is often the "last updated" one; WCXB's gold follows the tag
//!    on about two thirds of these pages, too few to side with it blindly): the tag wins when the
//!    page also shows it, when the shown date is labelled a revision ("Updated",
//!    `class="date-modified"`: the tag is then right three times in four), or when the URL or an
//!    `itemprop=datePublished` element sides with it; the shown date wins when the URL sides with
//!    it (a marked element does not count for the shown date: it is usually that very element);
//!    else no date.
//! 3. No tag: the shown date beats JSON-LD `datePublished` (which, where the two differ, is the
//!    right one only 3 times in 30), unless the two are one numeric date read both ways round.
//! 4. Neither: JSON-LD `datePublished`, the URL date, a marked `<time>`, the zone's first
//!    `<time>` or date line, a "Published …" line of the body, a labelled date line anywhere
//!    outside furniture.
//!
//! Modification dates are never taken for publication dates, except as what the page shows.
//! Times with an offset keep their local date (`2024-03-12T23:30-05:00` is the 12th); a `<time>`
//! element's text, what the reader sees, is read before its `datetime`.

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

const META_DATE_KEYS: [&str; 26] = [
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
    "citation_date",
    "citation_online_date",
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
                            // Known publication keys by rank, then any other key naming a
                            // publication (`og:publish_date`, `w-published-date`).
                            let generic = (k.contains("publish") || k.contains("pubdate"))
                                && !["modif", "updat", "last", "expir"].iter().any(|w| k.contains(w));
                            let rank =
                                META_DATE_KEYS.iter().position(|x| *x == k).or(generic.then_some(META_DATE_KEYS.len()));
                            if let Some(rank) = rank {
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

    /// The publication date, from what the page offers (see the module doc for the rules);
    /// `lines` is a "Published …" line found while cleaning the body.
    pub fn date(
        &self,
        url: Option<&str>,
        visible: &[Shown],
        zone: Option<(NaiveDate, DateSource)>,
        lines: Option<(NaiveDate, DateSource)>,
        labelled: impl FnOnce() -> Option<NaiveDate>,
    ) -> Option<(NaiveDate, DateSource)> {
        let url_date = url.and_then(dates::parse_url);
        // The shown date: the first one not labelled as a revision, else the first.
        let shown = visible.iter().find(|s| !s.updated).or(visible.first());
        let shows = |d: NaiveDate| visible.iter().any(|s| s.date == d);
        match (self.meta_date, shown.map(|s| s.date)) {
            (Some(m), Some(v)) if m == v => Some((m, DateSource::Meta)),
            (Some(m), Some(v)) => {
                // The shown date and the publication tag disagree (the shown one is often the
                // "last updated" date): a third source decides, else no date.
                // (The zone's first `<time>` and the first `itemprop=datePublished` element are
                // usually the shown date itself: they side with the tag only.)
                let third = [url_date, self.marked_time];
                if shows(m) || swapped(v) == Some(m) || shown.is_some_and(|s| s.updated) {
                    // The page shows the tag's date too (beside an "Updated" one), or the shown
                    // date is the tag's read the other way round, or it is labelled a revision.
                    Some((m, DateSource::Meta))
                } else if url_date == Some(v) {
                    Some((v, DateSource::Text))
                } else if third.contains(&Some(m)) {
                    Some((m, DateSource::Meta))
                } else {
                    None
                }
            }
            (Some(m), None) => Some((m, DateSource::Meta)),
            // JSON-LD dates are generated by the CMS and are often the page's creation or
            // template date; the date shown with the headline wins over them.
            (None, Some(v)) => match self.jsonld_date.or(self.jsonld_any_date) {
                // `09.10.2024` on a page whose JSON-LD says 2024-09-10: the site writes month first.
                Some(j) if swapped(v) == Some(j) && j != v => Some((j, DateSource::JsonLd)),
                _ => Some((v, DateSource::Text)),
            },
            (None, None) => self
                .jsonld_date
                .or(self.jsonld_any_date)
                .map(|d| (d, DateSource::JsonLd))
                .or(url_date.map(|d| (d, DateSource::Url)))
                .or(self.marked_time.map(|d| (d, DateSource::TimeElement)))
                .or(zone)
                .or(lines)
                .or_else(|| labelled().map(|d| (d, DateSource::Text))),
        }
    }
}

/// The same numeric date read the other way round (`09.10.2024` as 10 September), when both
/// readings are dates.
fn swapped(d: NaiveDate) -> Option<NaiveDate> {
    use chrono::Datelike;
    (d.day() <= 12).then(|| NaiveDate::from_ymd_opt(d.year(), d.day(), d.month())).flatten()
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

/// The dates shown with the headline, nearest first: short date lines and `<time>` elements
/// among the few text runs after the headline `<h1>` (or, failing that, just before it). The first
/// is what the reader sees as the page's date; the others (a "Published …" beside an "Updated …")
/// let a publication tag be confirmed. `anchor` is the headline, else the start of the article zone.
pub fn visible_dates(dom: &Dom, anchor: Option<NodeId>, hidden: &[bool], order: dates::DayOrder) -> Vec<Shown> {
    let mut found: Vec<Shown> = Vec::new();
    let Some(h) = anchor.map(|a| a as usize) else { return found };
    let n = dom.nodes.len();
    let read = |i: usize| -> Option<Shown> {
        if hidden[i] {
            return None;
        }
        let node = &dom.nodes[i];
        let (date, text) = match &node.kind {
            // What the reader sees first (a `datetime` in UTC can be a day off the local date).
            NodeKind::Element { tag, .. } if &**tag == "time" => {
                let t = dom.text_of(i as NodeId);
                let d = (t.split_whitespace().count() <= 14)
                    .then(|| shown_date(&t, order))
                    .flatten()
                    .or_else(|| node.attr("datetime").and_then(dates::parse_any))?;
                (d, t)
            }
            NodeKind::Text(t) => {
                let t = t.trim();
                let w = t.split_whitespace().count();
                ((w > 0 && w <= 14).then(|| shown_date(t, order)).flatten()?, t.to_string())
            }
            _ => return None,
        };
        // Dates of other pages and other people: related-article lists, comments, footers.
        let at = if node.text().is_some() { node.parent } else { i as NodeId };
        if in_dated_furniture(dom, at, false) {
            return None;
        }
        Some(Shown { date, updated: update_label(dom, i, &text) })
    };
    let push = |s: Shown, found: &mut Vec<Shown>| match found.iter_mut().find(|f| f.date == s.date) {
        Some(f) => f.updated |= s.updated,
        None => found.push(s),
    };
    let mut runs = 0;
    let mut chars = 0;
    #[allow(clippy::needless_range_loop)]
    for i in h + 1..n {
        if let Some(d) = read(i) {
            push(d, &mut found);
        }
        if let Some(t) = dom.nodes[i].text() {
            if !hidden[i] && !t.trim().is_empty() {
                runs += 1;
                chars += t.len();
            }
        }
        // The first date ends the search a few runs later: a second date belongs to the same
        // byline only when it is that close.
        if runs > 25 || chars > 1500 || (!found.is_empty() && runs > FOUND_RUNS) {
            break;
        }
    }
    if !found.is_empty() {
        return found;
    }
    let mut runs = 0;
    for i in (1..h).rev() {
        if runs >= BEFORE_RUNS {
            break;
        }
        if let Some(d) = read(i) {
            push(d, &mut found);
        }
        if dom.nodes[i].text().is_some_and(|t| !t.trim().is_empty()) && !hidden[i] {
            runs += 1;
        }
    }
    found
}

/// A date shown near the headline; `updated` when its label or class says it is the date of a
/// revision ("Updated", "Last modified", `class="date-modified"`), not of publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    pub date: NaiveDate,
    pub updated: bool,
}

/// Words that mark a revision date, in the languages [`dates::month`] reads.
const UPDATE_WORDS: [&str; 9] = [
    "updat",
    "modif",
    "revised",
    "aktualisiert",
    "mis à jour",
    "actualizado",
    "atualizado",
    "aggiornato",
    "bijgewerkt",
];

fn says_update(s: &str) -> bool {
    let l = s.to_lowercase();
    UPDATE_WORDS.iter().any(|w| l.contains(w))
}

/// Whether the date at node `i` (text `text`) is labelled as a revision date: by its own text
/// ("Updated March 3, 2024"), by a short label just before it (`<span>Updated:</span> <time>`),
/// or by its element's class (`date-modified`, `updated`) when that does not also say published.
fn update_label(dom: &Dom, i: usize, text: &str) -> bool {
    if says_update(text) {
        return true;
    }
    let mut j = i;
    for _ in 0..6 {
        if j <= 1 {
            break;
        }
        j -= 1;
        if let Some(t) = dom.nodes[j].text().map(str::trim).filter(|t| !t.is_empty()) {
            if t.split_whitespace().count() <= 3 && says_update(t) {
                return true;
            }
            break;
        }
    }
    let mut a = if dom.nodes[i].text().is_some() { dom.nodes[i].parent } else { i as NodeId };
    for _ in 0..2 {
        let c = dom.node(a).attr("class").unwrap_or("").to_ascii_lowercase();
        if c.contains("publish") {
            return false;
        }
        if c.contains("updat") || c.contains("modif") {
            return true;
        }
        a = dom.node(a).parent;
    }
    false
}

/// Labels that open a publication line, in the languages [`dates::month`] reads.
const DATE_LABELS: [&str; 12] = [
    "published",
    "posted",
    "updated",
    "last updated",
    "veröffentlicht",
    "aktualisiert",
    "publié",
    "mis à jour",
    "publicado",
    "actualizado",
    "pubblicato",
    "gepubliceerd",
];

/// Class words of furniture that carries other pages' or other people's dates.
const DATED_FURNITURE: [&str; 8] =
    ["comment", "related", "footer", "sidebar", "recommend", "teaser", "popular", "reply"];

/// Whether `id` sits in a comment, related-article list, sidebar or footer (its class or id, or
/// those of its nearest four ancestors; with `footer_tag`, also a `<footer>` element, which next
/// to a headline is often the article's own byline).
fn in_dated_furniture(dom: &Dom, id: NodeId, footer_tag: bool) -> bool {
    let mut a = id;
    for _ in 0..5 {
        let n = dom.node(a);
        if footer_tag && n.tag() == "footer" {
            return true;
        }
        for k in ["class", "id"] {
            if let Some(v) = n.attr(k) {
                let v = v.to_ascii_lowercase();
                if DATED_FURNITURE.iter().any(|f| v.contains(f)) {
                    return true;
                }
            }
        }
        if a == 0 {
            break;
        }
        a = n.parent;
    }
    false
}

/// A labelled date line anywhere on the page ("Published on 3 March 2024", "Posted: …"), outside
/// hidden elements and outside comments, related-article lists, sidebars and footers: the last
/// resort when the page offers no other date.
pub fn labelled_date(dom: &Dom, hidden: &[bool], order: dates::DayOrder) -> Option<NaiveDate> {
    for (i, n) in dom.nodes.iter().enumerate() {
        let Some(t) = n.text() else { continue };
        if hidden[i] {
            continue;
        }
        let t = t.trim();
        let w = t.split_whitespace().count();
        if !(2..=10).contains(&w) {
            continue;
        }
        let lower = t.trim_start_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        if !DATE_LABELS.iter().any(|l| lower.starts_with(l)) {
            continue;
        }
        let Some(d) = shown_date(t, order) else { continue };
        if in_dated_furniture(dom, n.parent, true) {
            continue;
        }
        return Some(d);
    }
    None
}

/// Text runs before the headline searched for its date.
const BEFORE_RUNS: usize = 8;
/// Text runs after the first shown date still read as part of the same byline.
const FOUND_RUNS: usize = 6;

/// A date in a short visible text: written (`12 March 2024`, `12. März 2024`), ISO, or numeric
/// (`12.03.2024`; `03/12/2024` read by `order`).
fn shown_date(t: &str, order: dates::DayOrder) -> Option<NaiveDate> {
    dates::parse_written(t).or_else(|| dates::parse_iso(t)).or_else(|| dates::parse_numeric(t, order))
}

/// How a page writes `a/b/YYYY`: day first under a country-code domain other than `.us`, else
/// unknown (only dates the numbers decide are read).
pub fn day_order(url: Option<&str>) -> dates::DayOrder {
    let host = url.and_then(|u| u.split("://").nth(1)).and_then(|r| r.split(['/', '?', '#', ':']).next()).unwrap_or("");
    let tld = host.rsplit('.').next().unwrap_or("");
    if tld.len() == 2 && tld != "us" && tld.bytes().all(|b| b.is_ascii_alphabetic()) {
        dates::DayOrder::DayFirst
    } else {
        dates::DayOrder::Unknown
    }
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

/// Where a date candidate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandSource {
    Meta,
    JsonLd,
    /// A `<time>` element or an element with `itemprop=datePublished|dateModified`.
    Time,
    Url,
    /// A short visible text run.
    Text,
}

/// One date a page offers, with what it says about itself.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub source: CandSource,
    /// The meta name/property, the JSON-LD `type.key`, the element's itemprop/class, or the
    /// text label.
    pub key: String,
    /// The raw value (attribute or text, cut to 100 characters).
    pub value: String,
    pub date: NaiveDate,
    /// Node index in document order (0 for the URL).
    pub pos: usize,
    /// Class and id words of the element and its ancestors (up to 6 levels).
    pub context: String,
    pub hidden: bool,
}

fn ancestry(dom: &Dom, id: NodeId) -> String {
    let mut s = String::new();
    let mut a = id;
    for _ in 0..6 {
        let n = dom.node(a);
        for k in ["class", "id", "itemprop"] {
            if let Some(v) = n.attr(k) {
                s.push_str(&v.to_ascii_lowercase());
                s.push(' ');
            }
        }
        if matches!(n.tag(), "footer" | "aside" | "nav" | "header" | "article" | "main") {
            s.push_str(n.tag());
            s.push(' ');
        }
        if a == 0 {
            break;
        }
        a = n.parent;
    }
    s
}

fn cut(s: &str) -> String {
    s.chars().take(100).collect()
}

/// Every date a page offers: `<meta>` tags, JSON-LD date keys, `<time>` and itemprop elements,
/// the URL, and short text runs that hold a date.
pub fn candidates(dom: &Dom, url: Option<&str>, hidden: &[bool]) -> Vec<Candidate> {
    let mut out = Vec::new();
    if let Some(d) = url.and_then(dates::parse_url) {
        out.push(Candidate {
            source: CandSource::Url,
            key: "url".into(),
            value: cut(url.unwrap_or("")),
            date: d,
            pos: 0,
            context: String::new(),
            hidden: false,
        });
    }
    for (i, n) in dom.nodes.iter().enumerate() {
        let id = i as NodeId;
        match &n.kind {
            NodeKind::Element { tag, .. } => match &**tag {
                "meta" => {
                    let Some(key) = n.attr("property").or(n.attr("name")).or(n.attr("itemprop")) else { continue };
                    let content = n.attr("content").unwrap_or("").trim();
                    if let Some(d) = dates::parse_any(content) {
                        out.push(Candidate {
                            source: CandSource::Meta,
                            key: key.to_ascii_lowercase(),
                            value: cut(content),
                            date: d,
                            pos: i,
                            context: String::new(),
                            hidden: false,
                        });
                    }
                }
                "script" if n.attr("type").is_some_and(|t| t.contains("ld+json")) => {
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(dom.raw_text(id).trim()) {
                        json_ld_dates(&v, "", i, 0, &mut out);
                    }
                }
                _ => {
                    let prop = n.attr("itemprop").filter(|p| p.to_ascii_lowercase().starts_with("date"));
                    if &**tag == "time" || prop.is_some() || n.attr("pubdate").is_some() {
                        let attr = n.attr("datetime").or(n.attr("content"));
                        let text = dom.text_of(id);
                        let d = attr.and_then(dates::parse_any).or_else(|| dates::parse_any(&text));
                        if let Some(d) = d {
                            let key = prop.map(str::to_string).unwrap_or_else(|| tag.to_string());
                            out.push(Candidate {
                                source: CandSource::Time,
                                key,
                                value: cut(&format!("{} | {}", attr.unwrap_or(""), text)),
                                date: d,
                                pos: i,
                                context: ancestry(dom, id),
                                hidden: hidden[i],
                            });
                        }
                    }
                }
            },
            NodeKind::Text(t) => {
                let t = t.trim();
                let w = t.split_whitespace().count();
                if w == 0 || w > 20 || !t.bytes().any(|b| b.is_ascii_digit()) {
                    continue;
                }
                let p = dom.node(n.parent).tag();
                if matches!(p, "script" | "style" | "title" | "noscript" | "template") {
                    continue;
                }
                let d = dates::parse_written(t)
                    .or_else(|| dates::parse_iso(t))
                    .or_else(|| dates::parse_numeric(t, dates::DayOrder::Unknown));
                if let Some(d) = d {
                    out.push(Candidate {
                        source: CandSource::Text,
                        key: String::new(),
                        value: cut(t),
                        date: d,
                        pos: i,
                        context: ancestry(dom, n.parent),
                        hidden: hidden[i],
                    });
                }
            }
        }
    }
    out
}

fn json_ld_dates(v: &serde_json::Value, ty: &str, pos: usize, depth: usize, out: &mut Vec<Candidate>) {
    if depth > 8 {
        return;
    }
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_ld_dates(x, ty, pos, depth + 1, out)),
        serde_json::Value::Object(o) => {
            let t = match o.get("@type") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Array(a)) => a.first().and_then(|x| x.as_str()).unwrap_or("").to_string(),
                _ => ty.to_string(),
            };
            for (k, x) in o {
                if let Some(s) = x.as_str() {
                    let kl = k.to_ascii_lowercase();
                    if kl.starts_with("date") || kl == "uploaddate" || kl.contains("published") {
                        if let Some(d) = dates::parse_any(s) {
                            out.push(Candidate {
                                source: CandSource::JsonLd,
                                key: format!("{t}.{k}"),
                                value: cut(s),
                                date: d,
                                pos,
                                context: String::new(),
                                hidden: false,
                            });
                        }
                    }
                } else if x.is_object() || x.is_array() {
                    json_ld_dates(x, &t, pos, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::html::extract_html;
    use chrono::NaiveDate;

    const BODY: &str = "<p>The two governments agreed on Monday to resume talks on the border and on trade, \
        officials in both capitals said after a long meeting.</p><p>Negotiators will meet again next month \
        in Geneva, where the last round ended without an agreement on the disputed crossing points.</p>";

    /// The date dyad gives a page made of `head` and a `<body>` with an `<h1>`, `byline` under it,
    /// the article text, and `tail` after it.
    fn date_of(url: Option<&str>, head: &str, byline: &str, tail: &str) -> Option<String> {
        let html = format!(
            "<html><head><title>Talks resume</title>{head}</head><body><article><h1>Talks resume</h1>\
             {byline}{BODY}</article>{tail}</body></html>"
        );
        extract_html(&html, url).date.map(|d| d.0.to_string())
    }

    fn d(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    const PUB: &str = r#"<meta property="article:published_time" content="2024-03-01T08:00:00Z">"#;
    const LD: &str =
        r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2023-01-01T00:00:00Z"}</script>"#;

    #[test]
    fn tag_and_shown_date_agreeing() {
        assert_eq!(date_of(None, PUB, "<p>By A. Writer, March 1, 2024</p>", ""), d("2024-03-01"));
        assert_eq!(date_of(None, PUB, "", ""), d("2024-03-01"));
        assert_eq!(date_of(None, "", r#"<time datetime="2024-03-01">1 March 2024</time>"#, ""), d("2024-03-01"));
    }

    #[test]
    fn the_shown_date_beats_json_ld() {
        assert_eq!(date_of(None, LD, "<span>May 5, 2024</span>", ""), d("2024-05-05"));
        assert_eq!(date_of(None, LD, "", ""), d("2023-01-01"));
    }

    #[test]
    fn tag_and_shown_date_disagreeing_give_no_date_unless_something_decides() {
        assert_eq!(date_of(None, PUB, "<span>May 5, 2024</span>", ""), None);
        // The URL sides with the shown date.
        let url = Some("https://news.example/2024/05/05/talks");
        assert_eq!(date_of(url, PUB, "<span>May 5, 2024</span>", ""), d("2024-05-05"));
        // An `itemprop=datePublished` element sides with the tag; when it is the shown date itself
        // it is no third witness.
        let marked = r#"<span itemprop="datePublished" content="2024-03-01"></span><span>May 5, 2024</span>"#;
        assert_eq!(date_of(None, PUB, marked, ""), d("2024-03-01"));
        let marked = r#"<time itemprop="datePublished" datetime="2024-05-05">May 5, 2024</time>"#;
        assert_eq!(date_of(None, PUB, marked, ""), None);
        // The page shows the tag's date too, beside an update date.
        let both = "<span>Published March 1, 2024</span> <span>Updated May 5, 2024</span>";
        assert_eq!(date_of(None, PUB, both, ""), d("2024-03-01"));
        // The shown date is labelled as a revision: the tag has the publication date.
        assert_eq!(date_of(None, PUB, "<span>Updated:</span> <span>May 5, 2024</span>", ""), d("2024-03-01"));
        let by_class = r#"<time class="entry-date-modified" datetime="2024-05-05">May 5, 2024</time>"#;
        assert_eq!(date_of(None, PUB, by_class, ""), d("2024-03-01"));
    }

    #[test]
    fn what_the_reader_sees_in_a_time_element_first() {
        // The attribute is UTC, already the next day; the text is the local date.
        let t = r#"<time datetime="2024-03-13T04:30:00Z">March 12, 2024</time>"#;
        assert_eq!(date_of(None, "", t, ""), d("2024-03-12"));
        let t = r#"<time datetime="2024-03-12T23:30:00-05:00">2 hours ago</time>"#;
        assert_eq!(date_of(None, "", t, ""), d("2024-03-12"));
    }

    #[test]
    fn localised_and_numeric_shown_dates() {
        assert_eq!(date_of(None, "", "<p>Veröffentlicht am 12. März 2024</p>", ""), d("2024-03-12"));
        assert_eq!(date_of(None, "", "<p>12.03.2024</p>", ""), d("2024-03-12"));
        // `03/12/2024`: day first under a country-code domain, unreadable under `.com`.
        let uk = Some("https://news.example.co.uk/talks");
        assert_eq!(date_of(uk, "", "<p>03/12/2024</p>", ""), d("2024-12-03"));
        assert_eq!(date_of(Some("https://news.example.com/talks"), "", "<p>03/12/2024</p>", ""), None);
        // `09.10.2024` read day first contradicts the JSON-LD 2024-09-10: the site writes month first.
        let ld = r#"<script type="application/ld+json">{"@type":"BlogPosting","datePublished":"2024-09-10"}</script>"#;
        assert_eq!(date_of(None, ld, "<p>09.10.2024</p>", ""), d("2024-09-10"));
    }

    #[test]
    fn other_pages_dates_and_copyright_years_are_not_taken() {
        let related = "<aside class=\"related\"><p>More news</p><ul><li><a href=\"/a\">Another story</a> \
                       <span>Posted on June 2, 2023</span></li></ul></aside>";
        let comments = "<div class=\"comments\"><p>Posted on June 3, 2023 by a reader</p></div>";
        let footer = "<footer><p>© 2023 News Example. All rights reserved.</p></footer>";
        let tail = format!("{related}{comments}{footer}");
        assert_eq!(date_of(None, "", "", &tail), None);
        // An article's own `<footer>` under the headline is its byline.
        let byline = "<footer class=\"author__meta\"><span>March 30, 2023</span></footer>";
        assert_eq!(date_of(None, "", byline, ""), d("2023-03-30"));
        // A labelled date line elsewhere on the page is the last resort.
        let line = "<div class=\"post-info\"><p>Posted on April 13, 2023</p></div>";
        assert_eq!(date_of(None, "", "", &format!("{line}{tail}")), d("2023-04-13"));
    }

    #[test]
    fn publication_meta_keys_beyond_the_known_list() {
        let m = r#"<meta name="w-published-date" content="2025-05-27T06:03:43Z">"#;
        assert_eq!(date_of(None, m, "", ""), d("2025-05-27"));
        let m = r#"<meta name="last-published" content="2025-05-27"><meta name="article:modified_time" content="2025-06-01">"#;
        assert_eq!(date_of(None, m, "", ""), None);
        assert!(NaiveDate::from_ymd_opt(2025, 5, 27).is_some());
    }
}
