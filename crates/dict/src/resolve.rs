//! Resolution: the actor mentions of a parsed article, with the codes they have on its date.
//!
//! Per sentence, [`ActorDict::hits`] finds the longest dictionary key at each token; adjacent hits
//! that belong together (country word + agent or title + person, or a possessive "Japan's foreign
//! minister") form one mention; each mention gets its code on the document date and the [`Rule`]
//! that produced it. Mentions are remembered in document order so that later short names, offices
//! ("the prime minister") and pronouns resolve to earlier people and countries.

use crate::{key, ActorDict, Entry, EntryKind};
use chrono::NaiveDate;
use dyad_model::{Actor, ActorVia, AnnotatedDocument, Article, Sentence, Span};
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// Longest phrase, in tokens, that a dictionary key may span.
const MAX_TOKENS: usize = 8;

/// Words that make a following capital a place ("in Tokyo"), not its government.
const PLACE_PREPOSITIONS: &[&str] = &[
    "in", "to", "from", "at", "near", "into", "outside", "via", "around", "across", "through", "toward", "towards",
    "inside", "visit", "visited", "visiting", "of",
];

/// Words before a title that mean someone other than the holder of the day ("former president").
const NOT_THE_HOLDER: &[&str] = &["former", "ex", "ex-", "late", "then", "next", "future", "incoming", "would-be"];

/// Offices that coreference and titles understand, each with the titles and nouns that name it.
/// A dictionary title maps to every office whose aliases include it (so "prime minister and
/// foreign minister" holds both).
const OFFICES: &[(&str, &[&str])] = &[
    ("president", &["president", "acting president", "interim president", "president of the presidium"]),
    ("vice president", &["vice president", "vice-president", "first vice president"]),
    (
        "prime minister",
        &["prime minister", "premier", "interim prime minister", "taoiseach", "prime minister and foreign minister"],
    ),
    ("chancellor", &["chancellor"]),
    (
        "foreign minister",
        &[
            "foreign minister",
            "foreign secretary",
            "secretary of state",
            "minister of foreign affairs",
            "top diplomat",
            "prime minister and foreign minister",
        ],
    ),
    (
        "defence minister",
        &[
            "defence minister",
            "defense minister",
            "defence secretary",
            "defense secretary",
            "secretary of defense",
            "minister of defence",
            "minister of the armed forces",
        ],
    ),
    ("secretary-general", &["secretary-general", "secretary general"]),
    ("king", &["king"]),
    ("queen", &["queen"]),
    ("emir", &["emir"]),
    ("sultan", &["sultan"]),
    ("emperor", &["emperor"]),
    ("supreme leader", &["supreme leader"]),
    ("crown prince", &["crown prince"]),
    ("leader", &["leader"]),
];

/// A phrase in the form the office table compares: lower-case, no spaces or hyphens.
fn office_key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect()
}

/// An office: its index in [`OFFICES`].
pub(crate) type Office = u8;

/// Alias (as an [`office_key`]) → the offices it names, as a bit set over [`OFFICES`].
fn aliases() -> &'static HashMap<String, u32> {
    static T: OnceLock<HashMap<String, u32>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t: HashMap<String, u32> = HashMap::new();
        for (i, (_, names)) in OFFICES.iter().enumerate() {
            for n in *names {
                *t.entry(office_key(n)).or_default() |= 1 << i;
            }
        }
        t
    })
}

/// The offices a dictionary title (or a title noun in the text) names, as a bit set.
/// A combined title ("prime minister and defence minister", "president, defence minister") names
/// every office of its parts.
pub(crate) fn office_mask(title: &str) -> u32 {
    let whole = aliases().get(&office_key(title)).copied().unwrap_or(0);
    if !title.contains([',', ';', '&']) && !title.contains(" and ") {
        return whole;
    }
    title
        .split([',', ';', '&'])
        .flat_map(|p| p.split(" and "))
        .fold(whole, |m, part| m | aliases().get(&office_key(part)).copied().unwrap_or(0))
}

/// The offices of a bit set.
pub(crate) fn offices(mask: u32) -> impl Iterator<Item = Office> {
    (0..OFFICES.len() as u8).filter(move |i| mask & (1 << i) != 0)
}

/// The holder key of a code: the full code of an international body (`IGOUNO`), else the country.
pub(crate) fn holder_key(code: &str) -> String {
    match code.get(..3) {
        Some(c) if c != "IGO" && c != "NGO" => c.to_string(),
        _ => code.to_string(),
    }
}

/// Why a mention got its code; printed by `dyad actors` and useful in tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// A dictionary name matched (a country, an organisation, a person's full name).
    Name,
    /// A person's short name ("Trump") taken as the one person of that name in office that day.
    ShortName,
    /// A title or nationality before a name ("Japanese Prime Minister Shigeru Ishiba").
    Title,
    /// A country word with an agent noun ("Japanese citizens", "North Korean troops").
    Agent,
    /// A possessive country with an agent ("Japan's foreign minister").
    Possessive,
    /// A capital the parse makes an actor ("Tokyo said"): the government.
    Capital,
    /// A capital used as a place ("in Tokyo"): the country only.
    Place,
    /// A person out of office on the date: the country's elite (`ELI`) or the country.
    OutOfOffice,
    /// A later mention of a name already in the document ("Trump" after "Donald Trump").
    Coreference,
    /// An office ("the president", "the prime minister"): its holder among earlier mentions.
    Office,
    /// "he" / "she": the last person mentioned.
    Pronoun,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Name => "name",
            Rule::ShortName => "short-name",
            Rule::Title => "title",
            Rule::Agent => "agent",
            Rule::Possessive => "possessive",
            Rule::Capital => "capital",
            Rule::Place => "place",
            Rule::OutOfOffice => "out-of-office",
            Rule::Coreference => "coreference",
            Rule::Office => "office",
            Rule::Pronoun => "pronoun",
        }
    }

    fn via(self) -> ActorVia {
        match self {
            Rule::Agent | Rule::Possessive => ActorVia::Agent,
            Rule::Coreference | Rule::Office | Rule::Pronoun => ActorVia::Coreference,
            _ => ActorVia::Dictionary,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An actor mention with the rule that coded it and every dictionary line that took part.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub actor: Actor,
    pub rule: Rule,
    /// `file:line` of each entry used, in text order (country, agent, person term …).
    pub sources: Vec<String>,
}

/// A dictionary match: tokens `[first, last)` and the entries of its key.
#[derive(Debug, Clone, Copy)]
struct Hit<'a> {
    first: usize,
    last: usize,
    ids: &'a [usize],
    /// The first token is capitalised (names must be; agents need not be).
    cased: bool,
}

/// How a person hit was decided.
struct PersonPick {
    /// The term in office on the date, or (out of office) the nearest term.
    entry: usize,
    in_office: bool,
    rule: Rule,
}

/// Per-document state: the mentions so far, in order.
#[derive(Default)]
struct Memory {
    mentions: Vec<Actor>,
}

impl ActorDict {
    /// The actor mentions of the article, with the codes they have on `date` (with no date, the
    /// terms in force today).
    pub fn resolve(&self, article: &Article, doc: &AnnotatedDocument, date: Option<NaiveDate>) -> Vec<Actor> {
        self.resolve_traced(article, doc, date).into_iter().map(|r| r.actor).collect()
    }

    /// As [`ActorDict::resolve`], with the rule and the dictionary lines behind each mention.
    pub fn resolve_traced(&self, article: &Article, doc: &AnnotatedDocument, date: Option<NaiveDate>) -> Vec<Resolved> {
        let date = date.unwrap_or_else(|| chrono::Utc::now().date_naive());
        let body = &article.body;
        let mut out = Vec::new();
        let mut mem = Memory::default();
        let mut lower: Vec<String> = Vec::new();
        for (si, sent) in doc.sentences.iter().enumerate() {
            let forms: Vec<&str> =
                sent.tokens.iter().map(|t| body.get(t.span.start..t.span.end).unwrap_or("")).collect();
            lower.clear();
            lower.extend(forms.iter().map(|f| f.to_lowercase()));
            let hits = self.hits(&forms, &lower);
            let mut i = 0;
            let mut hi = 0;
            while i < forms.len() {
                while hi < hits.len() && hits[hi].first < i {
                    hi += 1;
                }
                let found = if hi < hits.len() && hits[hi].first == i {
                    let n = self.run_len(&hits[hi..], &lower);
                    let run = &hits[hi..hi + n];
                    hi += n;
                    let last = run[n - 1].last;
                    let r = self.mention(run, sent, &lower, date, &mem);
                    Some((r, last))
                } else {
                    // "the Prime Minister Shigeru Ishiba" names the person: no coreference.
                    let named =
                        |end: usize| hits[hi..].iter().any(|h| h.first == end && self.kind_of(h) == EntryKind::Person);
                    self.coreference(&lower, i, date, &mem)
                        .filter(|(_, end)| !named(*end))
                        .map(|(r, end)| (Some(r), end))
                };
                let Some((r, last)) = found else {
                    i += 1;
                    continue;
                };
                if let Some(mut r) = r {
                    let span = Span::new(sent.tokens[i].span.start, sent.tokens[last - 1].span.end);
                    r.actor.text = body.get(span.start..span.end).unwrap_or("").to_string();
                    r.actor.span = span;
                    r.actor.sentence = si;
                    r.actor.tokens = (i, last);
                    mem.mentions.push(r.actor.clone());
                    out.push(r);
                }
                i = last;
            }
        }
        out
    }

    /// Every dictionary match in a sentence, longest first at each position, non-overlapping.
    fn hits<'a>(&'a self, forms: &[&str], lower: &[String]) -> Vec<Hit<'a>> {
        let mut hits = Vec::new();
        let mut k = String::new();
        let mut i = 0;
        while i < forms.len() {
            let cased = forms[i].chars().next().is_some_and(char::is_uppercase);
            let mut best: Option<Hit> = None;
            k.clear();
            for (j, w) in lower.iter().enumerate().take(i + MAX_TOKENS).skip(i) {
                k.extend(w.chars().filter(|c| !c.is_whitespace()));
                if k.len() > self.max_key || !self.has_prefix(&k) {
                    break;
                }
                if let Some(ids) = self.index.get(k.as_str()) {
                    if cased || ids.iter().any(|&e| self.entries[e].kind == EntryKind::Agent) {
                        best = Some(Hit { first: i, last: j + 1, ids, cased });
                    }
                }
            }
            match best {
                Some(h) => {
                    i = h.last;
                    hits.push(h);
                }
                None => i += 1,
            }
        }
        hits
    }

    /// The candidate entries of a hit: all of them for a capitalised phrase, else the agents.
    fn candidates<'a>(&'a self, h: &Hit<'a>) -> impl Iterator<Item = usize> + 'a {
        let cased = h.cased;
        h.ids.iter().copied().filter(move |&e| cased || self.entries[e].kind == EntryKind::Agent)
    }

    /// The kind a hit is taken as when forming runs: its first candidate's.
    fn kind_of(&self, h: &Hit) -> EntryKind {
        self.candidates(h).next().map(|e| self.entries[e].kind).unwrap_or_default()
    }

    /// How many hits from the start of `hits` form one mention: adjacent hits that combine
    /// ("Japanese" "Prime Minister" "Shigeru Ishiba"), or a country, a possessive `'s` and an agent
    /// or person ("Japan" "'s" "foreign minister").
    fn run_len(&self, hits: &[Hit], lower: &[String]) -> usize {
        let mut n = 1;
        while n < hits.len() {
            let (prev, next) = (&hits[n - 1], &hits[n]);
            let (a, b) = (self.kind_of(prev), self.kind_of(next));
            let adjacent = next.first == prev.last && combines(a, b);
            let possessive = next.first == prev.last + 1
                && lower.get(prev.last).is_some_and(|t| is_possessive(t))
                && matches!(a, EntryKind::Country | EntryKind::Capital | EntryKind::Actor)
                && matches!(b, EntryKind::Agent | EntryKind::Person)
                && n == 1;
            if !(adjacent || possessive) {
                break;
            }
            n += 1;
        }
        n
    }

    /// The mention a run of hits stands for, or `None` when it codes nothing (an agent alone,
    /// a short name of nobody in office).
    fn mention(
        &self,
        run: &[Hit],
        sent: &Sentence,
        lower: &[String],
        date: NaiveDate,
        mem: &Memory,
    ) -> Option<Resolved> {
        let mut country: Option<String> = None;
        let mut sector: Option<String> = None;
        let mut code: Option<String> = None;
        let mut name: Option<String> = None;
        let mut prefix: Option<String> = None;
        let mut entry: Option<String> = None;
        let mut sources = Vec::new();
        let mut rule = Rule::Name;
        // The office named by a title agent in the run ("Prime Minister" before a name).
        let mut office: Option<Office> = None;
        let mut has_agent = false;
        let mut person_found = false;
        let possessive = run.len() > 1 && run[1].first > run[0].last;
        for h in run {
            let text: String = lower[h.first..h.last].concat();
            let cands: Vec<usize> = self.candidates(h).collect();
            let person = if cands.iter().any(|&e| self.entries[e].kind == EntryKind::Person) {
                let persons: Vec<usize> =
                    cands.iter().copied().filter(|&e| self.entries[e].kind == EntryKind::Person).collect();
                self.pick_person(&persons, &text, office, date, mem)
            } else {
                None
            };
            if let Some(p) = person {
                person_found = true;
                let e = &self.entries[p.entry];
                name = e.names.first().cloned();
                sources.push(e.source.clone());
                entry = Some(e.source.clone());
                if p.in_office {
                    code = Some(e.code.clone());
                    country = Some(holder_key(&e.code)).filter(|c| c.len() == 3);
                    rule = if p.rule == Rule::Coreference {
                        Rule::Coreference
                    } else if run.len() > 1 {
                        Rule::Title
                    } else {
                        p.rule
                    };
                } else {
                    let (c, eli) = self.former(e.names.first().map(String::as_str).unwrap_or(""));
                    country = c;
                    code = Some(match (&country, eli) {
                        (Some(c), true) => format!("{c}ELI"),
                        (Some(c), false) => c.clone(),
                        (None, _) => String::new(),
                    });
                    rule = if p.rule == Rule::Coreference { Rule::Coreference } else { Rule::OutOfOffice };
                }
                continue;
            }
            // Not a person: the first candidate that has a code on the date.
            let Some((e, c, src)) = cands.iter().find_map(|&i| {
                let e = &self.entries[i];
                (e.kind != EntryKind::Person).then_some(())?;
                e.code_on(date).map(|(c, s)| (e, c, s))
            }) else {
                if run.len() == 1 {
                    return None;
                }
                continue;
            };
            sources.push(src.to_string());
            entry.get_or_insert_with(|| src.to_string());
            match e.kind {
                EntryKind::Country => country = Some(c.to_string()),
                EntryKind::Capital => {
                    country = Some(c.to_string());
                    if run.len() == 1 {
                        if capital_acts(sent, h.first, h.last, lower) {
                            sector = Some("GOV".into());
                            rule = Rule::Capital;
                        } else {
                            rule = Rule::Place;
                        }
                    }
                }
                EntryKind::Agent => {
                    has_agent = true;
                    if e.prepend {
                        prefix = Some(c.to_string());
                    } else {
                        sector = Some(c.to_string());
                    }
                    if let Some(o) = offices(office_mask(&text)).next() {
                        office = Some(o);
                    }
                }
                EntryKind::Actor => {
                    entry = Some(src.to_string());
                    if c.len() == 3 {
                        country = Some(c.to_string());
                    } else {
                        code = Some(c.to_string());
                    }
                }
                EntryKind::Organization => code = Some(c.to_string()),
                EntryKind::Person => {}
            }
        }
        // "former Japanese prime minister": someone out of office, not the holder; the elite.
        let first = run[0].first;
        let not_holder = first > 0 && NOT_THE_HOLDER.contains(&lower[first - 1].as_str());
        if not_holder && name.is_none() && code.is_none() && office.is_some() && sector.as_deref() == Some("GOV") {
            sector = Some("ELI".into());
        }
        // A country or an international body with a title and no name ("Japan's foreign
        // minister", "the UN secretary-general"): the holder that day.
        let body = match (&code, &country) {
            (Some(c), _) if c.starts_with("IGO") => Some(c.clone()),
            (None, c) => c.clone(),
            _ => None,
        };
        if name.is_none() && sector.as_deref() == Some("GOV") && !not_holder {
            if let (Some(c), Some(o)) = (&body, office) {
                if let Some(i) = self.holder(c, o, date) {
                    let e = &self.entries[i];
                    name = e.names.first().cloned();
                    code = Some(e.code.clone());
                    sources.push(e.source.clone());
                }
            }
        }
        if person_found {
            if possessive && matches!(rule, Rule::Title | Rule::Name | Rule::ShortName) {
                rule = Rule::Possessive;
            }
        } else if has_agent {
            rule = if possessive { Rule::Possessive } else { Rule::Agent };
        }
        let code = match (code, &country, &sector) {
            (Some(c), _, _) => c,
            (None, Some(c), Some(s)) => format!("{c}{s}"),
            (None, Some(c), None) => c.clone(),
            // An agent with no country ("the government") is not an actor by itself.
            (None, None, _) => return None,
        };
        let code = match prefix {
            Some(p) if !code.is_empty() => format!("{p}{code}"),
            _ => code,
        };
        let country = country.or_else(|| {
            (code.len() >= 3 && !code.starts_with("IGO") && !code.starts_with("NGO") && code.is_char_boundary(3))
                .then(|| code[..3].to_string())
        });
        let role = (code.len() > 3 && code.is_char_boundary(3)).then(|| code[3..].to_string());
        Some(Resolved {
            actor: Actor {
                code,
                country,
                role,
                name,
                text: String::new(),
                span: Span::default(),
                sentence: 0,
                tokens: (0, 0),
                via: rule.via(),
                entry,
            },
            rule,
            sources,
        })
    }

    /// Which person a person hit means on `date`, among the people whose key it is.
    ///
    /// A full name fixes the person; a short name ("Trump", "Clinton") means first someone of
    /// that name already mentioned in the document, else the one of them in office that day
    /// (preferring the office of a title before it: "President Clinton"). Among a person's terms
    /// the one covering the date wins, so a name that held several offices or served several
    /// countries ("Mark Rutte": NLDGOV, then IGOWSTNAT) gets the code of the day.
    fn pick_person(
        &self,
        cands: &[usize],
        text: &str,
        office: Option<Office>,
        date: NaiveDate,
        mem: &Memory,
    ) -> Option<PersonPick> {
        let name_of = |i: usize| self.entries[i].names.first().map(|n| key(n)).unwrap_or_default();
        let mut names: Vec<String> = Vec::new();
        for &c in cands {
            let n = name_of(c);
            if !names.contains(&n) {
                names.push(n);
            }
        }
        let full = names.iter().find(|n| n.as_str() == text).cloned();
        let mut rule = if full.is_some() { Rule::Name } else { Rule::ShortName };
        let fixed = full.or_else(|| {
            let m = mem.mentions.iter().rev().find_map(|m| {
                let n = key(m.name.as_deref()?);
                names.contains(&n).then_some(n)
            })?;
            rule = Rule::Coreference;
            Some(m)
        });
        match &fixed {
            Some(n) => names.retain(|x| x == n),
            None => {
                // Short names marked `=` ("Kim") stand only for someone named before.
                let open: Vec<String> = cands
                    .iter()
                    .filter(|&&c| !self.back_only.contains(&(text.to_string(), c)))
                    .map(|&c| name_of(c))
                    .collect();
                names.retain(|n| open.contains(n));
                if names.is_empty() {
                    return None;
                }
            }
        }
        let fits = |i: usize| office.is_none_or(|o| self.holds(i, o));
        // Everyone's terms covering the date; with a title, the ones of that office first.
        let terms: Vec<usize> =
            names.iter().flat_map(|n| self.people.get(n).map(Vec::as_slice).unwrap_or(&[])).copied().collect();
        let covering: Vec<usize> =
            terms.iter().copied().filter(|&i| self.entries[i].term.is_some_and(|t| t.covers(date))).collect();
        if let Some(&i) = covering.iter().rev().find(|&&i| fits(i)) {
            return Some(PersonPick { entry: i, in_office: true, rule });
        }
        // A title that the person in office does not hold ("President Clinton" in 2010) means
        // another person of that name when there is one.
        let other_holder = fixed.is_none() && office.is_some() && names.len() > 1;
        if let (Some(&i), false) = (covering.last(), other_holder) {
            return Some(PersonPick { entry: i, in_office: true, rule });
        }
        // Out of office. A fixed person is known; a short name only when a title leaves one.
        let who = match fixed {
            Some(n) => n,
            None => {
                let office = office?;
                let with: Vec<&String> = names
                    .iter()
                    .filter(|n| self.people.get(*n).is_some_and(|v| v.iter().any(|&i| self.holds(i, office))))
                    .collect();
                if with.len() != 1 {
                    return None;
                }
                with[0].clone()
            }
        };
        let v = self.people.get(&who)?;
        let nearest =
            v.iter().copied().min_by_key(|&i| self.entries[i].term.map(|t| distance(t, date)).unwrap_or(i64::MAX))?;
        Some(PersonPick { entry: nearest, in_office: false, rule })
    }

    /// A person's country out of office, and whether they held government office there
    /// (then they count as the country's elite, `ELI`, as CAMEO codes former officials and Phoenix
    /// codes politicians before office). The country is that of their latest national term;
    /// `None` for someone who held only international offices.
    fn former(&self, name: &str) -> (Option<String>, bool) {
        let Some(v) = self.people.get(&key(name)) else { return (None, false) };
        let national: Vec<&Entry> =
            v.iter().map(|&i| &self.entries[i]).filter(|e| holder_key(&e.code).len() == 3).collect();
        // The terms are sorted by start; the latest national one is the best guess of today's role.
        match national.last() {
            Some(e) => (Some(holder_key(&e.code)), e.code.ends_with("GOV")),
            None => (None, false),
        }
    }

    /// Who holds `office` for `country` (or an IGO code) on `date`.
    fn holder(&self, country: &str, office: Office, date: NaiveDate) -> Option<usize> {
        let v = self.offices.get(&(country.to_string(), office))?;
        v.iter().rev().copied().find(|&i| self.entries[i].term.is_some_and(|t| t.covers(date)))
    }

    /// "he", "she", "the president", "the prime minister" at token `i`: the resolved mention and
    /// the token after it. An office means the last person mentioned who holds it on the date,
    /// else the holder for the last country mentioned that has one.
    fn coreference(&self, lower: &[String], i: usize, date: NaiveDate, mem: &Memory) -> Option<(Resolved, usize)> {
        let w = lower[i].as_str();
        if matches!(w, "he" | "she") {
            let p = mem.mentions.iter().rev().find(|m| m.name.is_some())?;
            let actor = Actor { via: ActorVia::Coreference, ..p.clone() };
            return Some((
                Resolved { sources: actor.entry.iter().cloned().collect(), actor, rule: Rule::Pronoun },
                i + 1,
            ));
        }
        if w != "the" {
            return None;
        }
        // The longest office phrase after "the" ("the prime minister", "the secretary of state").
        let mut k = String::new();
        let mut found = None;
        for (j, w) in lower.iter().enumerate().take(i + 5).skip(i + 1) {
            k.push_str(&office_key(w));
            if let Some(o) = aliases().get(&k).and_then(|&m| offices(m).next()) {
                found = Some((o, j + 1));
            }
        }
        let (office, end) = found?;
        // "the president of the European Commission" describes someone else.
        if lower.get(end).is_some_and(|t| t == "of") {
            return None;
        }
        let fits = |m: &&Actor| -> Option<usize> {
            let n = key(m.name.as_deref()?);
            let v = self.people.get(&n)?;
            v.iter().rev().copied().find(|&t| {
                let e = &self.entries[t];
                e.term.is_some_and(|x| x.covers(date)) && self.holds(t, office)
            })
        };
        let by_person = mem.mentions.iter().rev().find_map(|m| fits(&m).map(|t| (m, t)));
        let (base, term) = match by_person {
            Some((m, t)) => (Some(m), t),
            None => {
                let t = mem.mentions.iter().rev().find_map(|m| {
                    let c = if m.code.starts_with("IGO") { m.code.clone() } else { m.country.clone()? };
                    self.holder(&c, office, date)
                })?;
                (None, t)
            }
        };
        let e = &self.entries[term];
        let actor = match base {
            Some(m) => Actor { via: ActorVia::Coreference, ..m.clone() },
            None => Actor {
                code: e.code.clone(),
                country: Some(holder_key(&e.code)).filter(|c| c.len() == 3),
                role: (e.code.len() > 3 && e.code.is_char_boundary(3)).then(|| e.code[3..].to_string()),
                name: e.names.first().cloned(),
                text: String::new(),
                span: Span::default(),
                sentence: 0,
                tokens: (0, 0),
                via: ActorVia::Coreference,
                entry: Some(e.source.clone()),
            },
        };
        Some((Resolved { sources: vec![e.source.clone()], actor, rule: Rule::Office }, end))
    }
}

impl ActorDict {
    /// Whether entry `i` is a term of `office`.
    fn holds(&self, i: usize, office: Office) -> bool {
        self.office_masks.get(i).is_some_and(|m| m & (1 << office) != 0)
    }
}

/// Days between a term and a date (0 inside it).
fn distance(t: crate::Term, d: NaiveDate) -> i64 {
    if d < t.from {
        (t.from - d).num_days()
    } else {
        t.to.map(|to| (d - to).num_days().max(0)).unwrap_or(0)
    }
}

fn is_possessive(t: &str) -> bool {
    matches!(t, "'s" | "’s" | "'" | "’")
}

/// Whether a capital at tokens `[first, last)` acts: the parse makes it a subject, an object or
/// a possessor ("Tokyo said", "urged Pyongyang", "Beijing's decision"), following conjunctions
/// ("Seoul and Tokyo said"), or a verb follows it directly ("Pyongyang fired", kept for parses
/// that get a sentence-initial name wrong). A preposition before it or a `case` dependent makes
/// it a place.
fn capital_acts(sent: &Sentence, first: usize, last: usize, lower: &[String]) -> bool {
    if first > 0 && PLACE_PREPOSITIONS.contains(&lower[first - 1].as_str()) {
        return false;
    }
    let toks = &sent.tokens;
    let verb_next = toks.get(last).is_some_and(|n| {
        matches!(n.upos, dyad_model::Upos::VERB | dyad_model::Upos::AUX) || n.xpos.starts_with("VB") || n.xpos == "MD"
    });
    // The token of the span whose head lies outside it.
    let inside = |h: u32| (h as usize) > first && (h as usize) <= last;
    let Some(mut t) = (first..last).find(|&t| !inside(toks[t].head)) else { return verb_next };
    for _ in 0..8 {
        if sent.children(t).any(|c| toks[c].deprel == "case" && !is_possessive(&lower[c])) {
            return false;
        }
        let rel = toks[t].deprel.as_str();
        let head = toks[t].head as usize;
        if rel == "conj" && head > 0 && head <= toks.len() {
            t = head - 1;
            continue;
        }
        let acts = rel.starts_with("nsubj") || rel.starts_with("csubj") || matches!(rel, "obj" | "iobj" | "nmod:poss");
        return acts || verb_next;
    }
    verb_next
}

/// Whether two adjacent dictionary hits form one actor.
fn combines(prev: EntryKind, next: EntryKind) -> bool {
    use EntryKind::*;
    matches!(
        (prev, next),
        (Country | Capital | Actor, Agent)
            | (Country, Person)
            | (Agent, Person)
            | (Country | Capital, Organization)
            | (Organization, Agent)
            | (Agent, Agent)
            | (Agent, Actor)
    )
}
