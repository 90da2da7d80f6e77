//! A small, forgiving HTML tree builder: enough of the HTML5 rules for news pages, in one pass.
//!
//! - Elements and text nodes in an arena (`Vec<Node>`), children in document order.
//! - Void elements, raw-text elements (`script`, `style`, `title`, `textarea`, `noscript`), and the
//!   implied end tags news markup relies on (`<p>` closed by a block, `<li>`, `<td>`, `<tr>`,
//!   `<option>`, `<dt>/<dd>`).
//! - An end tag closes the nearest open element of its name; a stray one is ignored.
//! - Nesting is capped at [`MAX_DEPTH`]: deeper elements are flattened into their ancestor, so a
//!   page nested 100,000 levels costs no more than a flat one. Time and memory are linear.
//! - Only the attributes extraction reads are kept.

/// Deepest element nesting kept as a tree.
pub const MAX_DEPTH: usize = 256;

pub type NodeId = u32;

/// Kept attributes: lower-cased name and decoded value.
pub type Attrs = Vec<(Box<str>, Box<str>)>;

#[derive(Debug)]
pub enum NodeKind {
    Element { tag: Box<str>, attrs: Vec<(Box<str>, Box<str>)> },
    Text(String),
}

#[derive(Debug)]
pub struct Node {
    pub parent: NodeId,
    pub kind: NodeKind,
    pub children: Vec<NodeId>,
}

impl Node {
    pub fn tag(&self) -> &str {
        match &self.kind {
            NodeKind::Element { tag, .. } => tag,
            NodeKind::Text(_) => "",
        }
    }
    pub fn attr(&self, name: &str) -> Option<&str> {
        match &self.kind {
            NodeKind::Element { attrs, .. } => attrs.iter().find(|(k, _)| &**k == name).map(|(_, v)| &**v),
            NodeKind::Text(_) => None,
        }
    }
    pub fn text(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Text(t) => Some(t),
            NodeKind::Element { .. } => None,
        }
    }
}

/// A parsed page. Node 0 is the document root.
#[derive(Debug)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

const KEPT_ATTRS: [&str; 17] = [
    "id",
    "class",
    "role",
    "itemprop",
    "property",
    "name",
    "content",
    "datetime",
    "type",
    "hidden",
    "aria-hidden",
    "style",
    "charset",
    "http-equiv",
    "rel",
    "href",
    "pubdate",
];

fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

fn is_raw_text(tag: &str) -> bool {
    matches!(tag, "script" | "style" | "title" | "textarea" | "noscript" | "xmp" | "iframe" | "noembed" | "template")
}

/// Start tags that close an open `<p>`.
fn closes_p(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "details"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "section"
            | "table"
            | "ul"
    )
}

impl Dom {
    pub fn parse(html: &str) -> Dom {
        let mut b = Builder {
            dom: Dom {
                nodes: vec![Node {
                    parent: 0,
                    kind: NodeKind::Element { tag: "#root".into(), attrs: Vec::new() },
                    children: Vec::new(),
                }],
            },
            stack: vec![0],
        };
        b.run(html);
        b.dom
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// All text under `id`, whitespace collapsed, with a space between blocks.
    pub fn text_of(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.collect_text(id, &mut out);
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn collect_text(&self, id: NodeId, out: &mut String) {
        let n = self.node(id);
        match &n.kind {
            NodeKind::Text(t) => out.push_str(t),
            NodeKind::Element { tag, .. } => {
                if matches!(&**tag, "script" | "style" | "noscript" | "template" | "iframe") {
                    return;
                }
                for &c in &n.children {
                    self.collect_text(c, out);
                }
                if !is_inline(tag) {
                    out.push(' ');
                }
            }
        }
    }

    /// The raw text content of a raw-text element (`script`, `title`, …).
    pub fn raw_text(&self, id: NodeId) -> &str {
        self.node(id).children.first().and_then(|&c| self.node(c).text()).unwrap_or("")
    }

    /// Elements in document order.
    pub fn elements(&self) -> impl Iterator<Item = (NodeId, &Node)> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.kind, NodeKind::Element { .. }))
            .map(|(i, n)| (i as NodeId, n))
    }
}

/// Inline (phrasing) elements: their text joins the surrounding text without a break.
pub fn is_inline(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
            | "wbr"
            | "label"
            | "nobr"
            | "tt"
            | "strike"
            | "big"
    )
}

struct Builder {
    dom: Dom,
    stack: Vec<NodeId>,
}

impl Builder {
    fn top(&self) -> NodeId {
        *self.stack.last().unwrap_or(&0)
    }

    fn add(&mut self, kind: NodeKind) -> NodeId {
        let parent = self.top();
        let id = self.dom.nodes.len() as NodeId;
        self.dom.nodes.push(Node { parent, kind, children: Vec::new() });
        self.dom.nodes[parent as usize].children.push(id);
        id
    }

    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let t = crate::html::decode_entities(raw);
        let parent = self.top();
        if let Some(&last) = self.dom.nodes[parent as usize].children.last() {
            if let NodeKind::Text(s) = &mut self.dom.nodes[last as usize].kind {
                s.push_str(&t);
                return;
            }
        }
        self.add(NodeKind::Text(t));
    }

    fn tag_at(&self, i: usize) -> &str {
        self.dom.nodes[self.stack[i] as usize].tag()
    }

    /// Pops up to and including the nearest open `tag`, unless a `boundary` element comes first.
    fn close(&mut self, tag: &str, boundaries: &[&str]) -> bool {
        for i in (1..self.stack.len()).rev() {
            let t = self.tag_at(i);
            if t == tag {
                self.stack.truncate(i);
                return true;
            }
            if boundaries.contains(&t) {
                return false;
            }
        }
        false
    }

    fn start(&mut self, tag: &str, attrs: Vec<(Box<str>, Box<str>)>) -> NodeId {
        const SCOPE: [&str; 7] = ["table", "td", "th", "caption", "button", "object", "template"];
        // The head ends where the first element that cannot be in it starts.
        if self.dom.node(self.top()).tag() == "head"
            && !matches!(tag, "meta" | "link" | "title" | "script" | "style" | "base" | "noscript" | "template")
        {
            self.stack.pop();
        }
        if closes_p(tag) {
            self.close("p", &SCOPE);
        }
        match tag {
            "li" => {
                self.close("li", &["ul", "ol", "menu", "table"]);
            }
            "dt" | "dd" if !self.close("dt", &["dl", "table"]) => {
                self.close("dd", &["dl", "table"]);
            }
            "td" | "th" if !self.close("td", &["tr", "table"]) => {
                self.close("th", &["tr", "table"]);
            }
            "tr" => {
                self.close("tr", &["table", "tbody", "thead", "tfoot"]);
            }
            "option" => {
                self.close("option", &["select"]);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                if matches!(self.dom.node(self.top()).tag(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    self.stack.pop();
                }
            }
            _ => {}
        }
        let id = self.add(NodeKind::Element { tag: tag.into(), attrs });
        if !is_void(tag) && self.stack.len() < MAX_DEPTH {
            self.stack.push(id);
        }
        id
    }

    fn end(&mut self, tag: &str) {
        if tag == "br" {
            self.start("br", Vec::new());
            return;
        }
        self.close(tag, &[]);
    }

    fn run(&mut self, html: &str) {
        let bytes = html.as_bytes();
        let mut i = 0;
        let mut text_from = 0;
        while i < bytes.len() {
            let Some(off) = bytes[i..].iter().position(|&b| b == b'<') else { break };
            let lt = i + off;
            let next = bytes.get(lt + 1).copied().unwrap_or(0);
            if next == b'!' || next == b'?' {
                self.text(&html[text_from..lt]);
                i = if html[lt..].starts_with("<!--") {
                    html[lt + 4..].find("-->").map(|e| lt + 4 + e + 3).unwrap_or(bytes.len())
                } else {
                    html[lt..].find('>').map(|e| lt + e + 1).unwrap_or(bytes.len())
                };
                text_from = i;
                continue;
            }
            let closing = next == b'/';
            let name_start = lt + 1 + closing as usize;
            if !bytes.get(name_start).is_some_and(|b| b.is_ascii_alphabetic()) {
                i = lt + 1;
                continue;
            }
            self.text(&html[text_from..lt]);
            let mut j = name_start;
            while j < bytes.len() && !matches!(bytes[j], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>') {
                j += 1;
            }
            let tag = html[name_start..j].to_ascii_lowercase();
            let (attrs, after) = parse_attrs(html, j);
            i = after;
            text_from = i;
            if closing {
                self.end(&tag);
                continue;
            }
            let id = self.start(&tag, attrs);
            if is_raw_text(&tag) {
                let end = find_end_tag(bytes, i, tag.as_bytes());
                let content = &html[i..end];
                if !content.is_empty() {
                    // Raw text is kept verbatim (entities decoded only where text is shown).
                    let t = if tag == "title" || tag == "textarea" {
                        crate::html::decode_entities(content)
                    } else {
                        content.to_string()
                    };
                    let tid = self.dom.nodes.len() as NodeId;
                    self.dom.nodes.push(Node { parent: id, kind: NodeKind::Text(t), children: Vec::new() });
                    self.dom.nodes[id as usize].children.push(tid);
                }
                if self.top() == id {
                    self.stack.pop();
                }
                i = html[end..].find('>').map(|e| end + e + 1).unwrap_or(bytes.len());
                text_from = i;
            }
        }
        self.text(&html[text_from.min(html.len())..]);
    }
}

/// Byte offset of `</tag` (ASCII case-insensitive) at or after `from`, else the end.
fn find_end_tag(bytes: &[u8], from: usize, tag: &[u8]) -> usize {
    let mut k = from;
    while k + 2 + tag.len() <= bytes.len() {
        let Some(off) = bytes[k..].windows(2).position(|w| w == b"</") else { break };
        let at = k + off;
        let name = &bytes[at + 2..(at + 2 + tag.len()).min(bytes.len())];
        if name.eq_ignore_ascii_case(tag) {
            return at;
        }
        k = at + 2;
    }
    bytes.len()
}

/// Attributes from `at` (just after the tag name) to the closing `>`; returns them and the
/// offset after the `>`.
fn parse_attrs(html: &str, mut at: usize) -> (Attrs, usize) {
    let b = html.as_bytes();
    let mut out = Vec::new();
    loop {
        while at < b.len() && (b[at].is_ascii_whitespace() || b[at] == b'/') {
            at += 1;
        }
        if at >= b.len() {
            return (out, b.len());
        }
        if b[at] == b'>' {
            return (out, at + 1);
        }
        let ns = at;
        while at < b.len() && !matches!(b[at], b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'=') {
            at += 1;
        }
        let name = &html[ns..at];
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value = "";
        if at < b.len() && b[at] == b'=' {
            at += 1;
            while at < b.len() && b[at].is_ascii_whitespace() {
                at += 1;
            }
            if at < b.len() && (b[at] == b'"' || b[at] == b'\'') {
                let q = b[at];
                let vs = at + 1;
                let ve = b[vs..].iter().position(|&c| c == q).map(|e| vs + e).unwrap_or(b.len());
                value = &html[vs..ve];
                at = (ve + 1).min(b.len());
            } else {
                let vs = at;
                while at < b.len() && !b[at].is_ascii_whitespace() && b[at] != b'>' {
                    at += 1;
                }
                value = &html[vs..at];
            }
        }
        if name.is_empty() {
            at += 1;
            continue;
        }
        let lname = name.to_ascii_lowercase();
        if KEPT_ATTRS.contains(&lname.as_str()) || lname.starts_with("data-") && lname.contains("date") {
            out.push((lname.into(), crate::html::decode_entities(value).into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(dom: &Dom, id: NodeId, out: &mut String) {
        let n = dom.node(id);
        match &n.kind {
            NodeKind::Text(t) => out.push_str(t.trim()),
            NodeKind::Element { tag, .. } => {
                out.push_str(&format!("<{tag}>"));
                for &c in &n.children {
                    shape(dom, c, out);
                }
                out.push_str(&format!("</{tag}>"));
            }
        }
    }

    #[test]
    fn implied_end_tags_and_raw_text() {
        let d = Dom::parse("<P class=x>one<p>two<div>three</div><ul><li>a<li>b</ul><script>if (a<b) {}</script>");
        let mut s = String::new();
        shape(&d, 0, &mut s);
        assert_eq!(
            s,
            "<#root><p>one</p><p>two</p><div>three</div><ul><li>a</li><li>b</li></ul><script>if (a<b) {}</script></#root>"
        );
        assert_eq!(d.node(1).attr("class"), Some("x"));
        // An unclosed head ends at the first body element.
        let d = Dom::parse("<html><head><title>t</title><div>body text</div>");
        assert_eq!(d.node(d.node(0).children[0]).children.len(), 2);
    }

    #[test]
    fn attributes_with_quotes_and_entities() {
        let d = Dom::parse(r#"<a href="x?a=1&amp;b=2" class='c > d' data-x=1 id=z>t</a>"#);
        let a = d.node(1);
        assert_eq!(a.attr("href"), Some("x?a=1&b=2"));
        assert_eq!(a.attr("class"), Some("c > d"));
        assert_eq!(a.attr("id"), Some("z"));
        assert_eq!(a.attr("data-x"), None);
        assert_eq!(d.text_of(0), "t");
    }

    #[test]
    fn deep_nesting_is_flattened_and_junk_survives() {
        let deep = "<div>".repeat(100_000) + "deep text" + &"</div>".repeat(100_000);
        let d = Dom::parse(&deep);
        assert_eq!(d.text_of(0), "deep text");
        for junk in ["<", "<<>>", "<a href='x", "</p></div>", "<script>never closed", "<!-- open", "<a b=\"c"] {
            let _ = Dom::parse(junk);
        }
    }
}
