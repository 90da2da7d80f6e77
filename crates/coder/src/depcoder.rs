//! Coding on the dependency parse.
//!
//! For each verb or event noun of the lexicon in a sentence:
//! 1. **source**: the subject (`nsubj`), for passives the agent (`obl:agent`, a `by` phrase); a verb
//!    without a subject takes it from the verb it depends on (`xcomp` control, `conj`, `advcl`), a
//!    relative clause from the noun it modifies; object-control verbs ("urged Iran to negotiate")
//!    give their object.
//! 2. **target**: the object of the pattern's final preposition, else the indirect or direct object,
//!    else a prepositional argument; for passives the passive subject.
//! 3. **complements**: an event under a verb of a complement class is recoded (`cameo::compose`) and
//!    takes the upper verb's source: "agreed to meet" 036, "threatened to impose sanctions" 1312;
//!    reported speech keeps the reported event ("X said Y attacked Z": Y → Z).
//! 4. **actors**: a node is an actor when a resolved actor covers it, or covers its compound,
//!    possessive, flat, appositive or `of` dependent; conjuncts expand into several actors; consultation
//!    and cooperation among conjoined actors with no other target is reciprocal.
//! 5. **mode**: negation (`not`, `never`, `n't`, `no`), future (`will`, `shall`, `'ll`, "going to"),
//!    hypothetical (other modals, `if`), inherited down complement chains.
//!
//! Every walk is bounded in depth and in the number of nodes visited, so time is linear in the
//! sentence.

use crate::cameo;
use crate::lexicon::{Class, Lexicon, Match, Pattern};
use crate::tree::Tree;
use dyad_model::{Actor, Mode, Sentence, Upos};

/// Prepositions whose object may be the target of a verb.
const TARGET_PREPS: [&str; 14] = [
    "with", "against", "to", "on", "into", "toward", "towards", "upon", "at", "from", "over", "for", "onto", "between",
];

/// Verbs whose object is the subject of their `xcomp` ("urged Iran to negotiate").
const OBJECT_CONTROL: [&str; 24] = [
    "urge",
    "ask",
    "call",
    "tell",
    "invite",
    "press",
    "encourage",
    "force",
    "order",
    "request",
    "persuade",
    "pressure",
    "push",
    "allow",
    "permit",
    "help",
    "advise",
    "compel",
    "warn",
    "implore",
    "beg",
    "demand",
    "instruct",
    "appeal",
];

/// Nouns that stand for the people or body of their `of` dependent ("the leader of North Korea").
const OF_CONTAINERS: [&str; 68] = [
    "government",
    "leader",
    "leaders",
    "president",
    "minister",
    "ministers",
    "embassy",
    "army",
    "forces",
    "force",
    "troops",
    "people",
    "citizens",
    "officials",
    "official",
    "head",
    "chief",
    "members",
    "member",
    "delegation",
    "representatives",
    "representative",
    "ambassador",
    "navy",
    "military",
    "police",
    "parliament",
    "court",
    "ministry",
    "regime",
    "authorities",
    "residents",
    "soldiers",
    "envoy",
    "spokesman",
    "spokeswoman",
    "cabinet",
    "party",
    "administration",
    "rebels",
    "lawmakers",
    "legislators",
    "activists",
    "protesters",
    "demonstrators",
    "students",
    "workers",
    "farmers",
    "militants",
    "guerrillas",
    "fighters",
    "diplomats",
    "negotiators",
    "commanders",
    "villagers",
    "groups",
    "group",
    "opposition",
    "supporters",
    "youths",
    "refugees",
    "prisoners",
    "tens",
    "dozens",
    "hundreds",
    "thousands",
    "millions",
    "crowds",
];

/// Containers that are often outside their country ("troops in Iraq").
const ABROAD: [&str; 12] = [
    "army",
    "forces",
    "force",
    "troops",
    "soldiers",
    "navy",
    "military",
    "embassy",
    "ambassador",
    "envoy",
    "delegation",
    "representatives",
];

/// Nouns that refer back to the victims of an earlier abduction, arrest or attack.
pub const VICTIM_NOUNS: [&str; 14] = [
    "victim",
    "victims",
    "hostage",
    "hostages",
    "captive",
    "captives",
    "abductee",
    "abductees",
    "detainee",
    "detainees",
    "prisoner",
    "prisoners",
    "kidnappee",
    "kidnappees",
];

const MAX_VISIT: usize = 48;

/// Verbs of saying, for pronouns in reported speech.
const SAY: [&str; 20] = [
    "say", "tell", "state", "announce", "add", "claim", "insist", "report", "note", "declare", "confirm", "reveal",
    "warn", "stress", "indicate", "suggest", "believe", "think", "signal", "hint",
];

const TIME_WORDS: [&str; 12] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tonight",
    "weekend",
    "week",
];

/// One candidate event, before actors become events.
#[derive(Debug, Clone)]
pub struct Frame<'a> {
    pub trigger: usize,
    pub last: usize,
    pub code: String,
    pub pattern: &'a Pattern,
    pub noun: bool,
    pub sources: Vec<usize>,
    pub targets: Vec<usize>,
    pub reciprocal: bool,
    pub mode: Mode,
    pub rule: String,
    pub confidence: f32,
    /// Token of the upper verb that recoded this event, if any.
    pub upper: Option<usize>,
    pub notes: Vec<String>,
}

pub struct Sent<'a> {
    pub sent: &'a Sentence,
    pub lower: Vec<String>,
    pub tree: Tree,
    /// Token → index into `acts`.
    pub actor_at: Vec<Option<u32>>,
    pub acts: Vec<&'a Actor>,
}

impl<'a> Sent<'a> {
    pub fn new(sent: &'a Sentence, body: &'a str, acts: Vec<&'a Actor>) -> Sent<'a> {
        let n = sent.tokens.len();
        let lower: Vec<String> = sent
            .tokens
            .iter()
            .map(|t| {
                let f = t.span.text(body);
                let f = f.replace('’', "'");
                f.to_lowercase()
            })
            .collect();
        let mut actor_at = vec![None; n];
        for (k, a) in acts.iter().enumerate() {
            for slot in actor_at.iter_mut().take(a.tokens.1.min(n)).skip(a.tokens.0) {
                slot.get_or_insert(k as u32);
            }
        }
        Sent { sent, lower, tree: Tree::new(sent), actor_at, acts }
    }

    pub fn forms(&self) -> Vec<&str> {
        self.lower.iter().map(String::as_str).collect()
    }

    pub fn rel(&self, i: usize) -> &str {
        self.sent.tokens.get(i).map(|t| t.deprel.as_str()).unwrap_or("")
    }

    fn base_rel(&self, i: usize) -> &str {
        let r = self.rel(i);
        r.split(':').next().unwrap_or(r)
    }

    fn upos(&self, i: usize) -> Upos {
        self.sent.tokens.get(i).map(|t| t.upos).unwrap_or(Upos::X)
    }

    fn lemma(&self, i: usize) -> &str {
        self.sent.tokens.get(i).map(|t| t.lemma.as_str()).unwrap_or("")
    }

    fn kids(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        self.tree.children(i).iter().map(|&k| k as usize)
    }

    fn kid_with(&self, i: usize, rels: &[&str]) -> Option<usize> {
        self.kids(i).find(|&k| rels.contains(&self.rel(k)))
    }

    /// The preposition (`case` or `mark`) of a nominal or clause.
    fn case_of(&self, i: usize) -> Option<&str> {
        self.kids(i).find(|&k| matches!(self.rel(k), "case" | "mark")).map(|k| self.lower[k].as_str())
    }

    /// The actor a nominal node stands for.
    pub fn actor_of_node(&self, i: usize) -> Option<usize> {
        if let Some(a) = self.actor_at.get(i).copied().flatten() {
            return Some(a as usize);
        }
        // Relative pronouns stand for the noun the clause modifies.
        if matches!(self.lower[i].as_str(), "who" | "which" | "that" | "whom") {
            let v = self.tree.parent(i)?;
            if self.rel(v) == "acl:relcl" {
                return self.actor_of_node(self.tree.parent(v)?);
            }
        }
        let mut stack: Vec<(usize, u8)> = vec![(i, 0)];
        let mut visited = 0;
        while let Some((k, d)) = stack.pop() {
            visited += 1;
            // Three levels: "Arab League Secretary-General Chedli Klibi" reaches "Arab League"
            // through the title.
            if visited > MAX_VISIT || d >= 3 {
                continue;
            }
            for c in self.kids(k) {
                let ok = match self.rel(c) {
                    "compound" | "flat" | "nmod:poss" | "appos" | "amod" | "flat:name" | "nmod:desc" => true,
                    // "the leader of X", "authorities in X", "soldiers from X".
                    // Not "troops in X": armies are often abroad.
                    // "tens of thousands of students throughout Indonesia": containers chain.
                    "nmod" => {
                        let host = self.lower[k].as_str();
                        OF_CONTAINERS.contains(&host)
                            && match self.case_of(c) {
                                Some("of" | "from") => true,
                                Some("in" | "throughout" | "across") => !ABROAD.contains(&host),
                                _ => false,
                            }
                    }
                    _ => false,
                };
                if !ok {
                    continue;
                }
                if let Some(a) = self.actor_at[c] {
                    return Some(a as usize);
                }
                stack.push((c, d + 1));
            }
        }
        None
    }

    /// The actors of a node and of its conjuncts ("Japan and the U.S.").
    pub fn actors_of(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        if let Some(a) = self.actor_of_node(i) {
            out.push(a);
        }
        for c in self.kids(i).filter(|&c| self.rel(c) == "conj").take(MAX_VISIT) {
            if let Some(a) = self.actor_of_node(c) {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
        out
    }

    fn is_passive(&self, v: usize) -> bool {
        self.kids(v).any(|k| matches!(self.rel(k), "nsubj:pass" | "aux:pass" | "csubj:pass"))
            || (self.rel(v) == "acl" && self.sent.tokens[v].xpos == "VBN")
    }

    /// The agent of a passive verb.
    fn agent(&self, v: usize) -> Vec<usize> {
        for k in self.kids(v) {
            if self.rel(k) == "obl:agent" || (self.base_rel(k) == "obl" && self.case_of(k) == Some("by")) {
                return self.actors_of(k);
            }
        }
        Vec::new()
    }

    /// The source of the verb `v` and how it was found.
    pub fn subjects(&self, v: usize, depth: u8) -> (Vec<usize>, &'static str) {
        if depth > 6 {
            return (Vec::new(), "");
        }
        if self.is_passive(v) {
            let a = self.agent(v);
            return (a, "passive-agent");
        }
        if let Some(s) = self.kid_with(v, &["nsubj", "csubj", "nsubj:outer", "expl"]) {
            let a = self.actors_of(s);
            if !a.is_empty() {
                return (a, "subject");
            }
            // "A first batch of Bangladeshi troops arrived", "one third of the guerrillas":
            // a part or a group of an actor.
            if let Some(c) = self.kids(s).find(|&c| self.base_rel(c) == "nmod" && self.case_of(c) == Some("of")) {
                let a = self.actors_of(c);
                if !a.is_empty() {
                    return (a, "subject-of");
                }
            }
            // "Syria says it is willing to withdraw": an unresolved pronoun in reported speech is
            // the speaker.
            if matches!(self.lower[s].as_str(), "it" | "they" | "we" | "he" | "she") {
                let mut cur = v;
                for _ in 0..4 {
                    let Some(h) = self.tree.parent(cur) else { break };
                    if matches!(self.rel(cur), "ccomp" | "parataxis")
                        && SAY.contains(&self.lemma(h).to_lowercase().as_str())
                    {
                        let (sp, _) = self.subjects(h, depth + 1);
                        if !sp.is_empty() {
                            return (sp, "pronoun-speaker");
                        }
                        break;
                    }
                    cur = h;
                }
            }
            // A misparsed subject (a day, a month): the actor before the verb.
            if TIME_WORDS.contains(&self.lower[s].as_str()) && depth == 0 {
                return (self.order_subject(v), "order-subject");
            }
            return (a, "subject");
        }
        // A noun's possessor: "Japan's willingness to support".
        if matches!(self.upos(v), Upos::NOUN) {
            if let Some(p) = self.kid_with(v, &["nmod:poss"]) {
                return (self.actors_of(p), "possessor");
            }
        }
        let Some(h) = self.tree.parent(v) else { return (Vec::new(), "") };
        match self.rel(v) {
            "xcomp" => {
                let hl = self.lemma(h).to_lowercase();
                if OBJECT_CONTROL.contains(&hl.as_str()) {
                    if let Some(o) = self.kid_with(h, &["obj", "iobj"]) {
                        return (self.actors_of(o), "object-control");
                    }
                }
                // "X was seen / known / believed to V": the passive subject does it.
                if self.is_passive(h) {
                    if let Some(ps) = self.kid_with(h, &["nsubj:pass"]) {
                        return (self.actors_of(ps), "raising");
                    }
                }
                let (s, _) = self.subjects(h, depth + 1);
                (s, "control")
            }
            "conj" | "advcl" | "ccomp" | "parataxis" => {
                let (s, _) = self.subjects(h, depth + 1);
                (s, "shared-subject")
            }
            "acl:relcl" => (self.actors_of(h), "relative-clause"),
            "acl" => {
                if self.sent.tokens[v].xpos == "VBG" {
                    let a = self.actors_of(h);
                    // "issued a declaration demanding …": the issuer demands.
                    if a.is_empty() && self.rel(h) == "obj" {
                        if let Some(g) = self.tree.parent(h).filter(|&g| self.is_verbish(g)) {
                            let (s, _) = self.subjects(g, depth + 1);
                            return (s, "participle-of-object");
                        }
                    }
                    (a, "participle")
                } else {
                    (Vec::new(), "")
                }
            }
            _ => (Vec::new(), ""),
        }
    }

    /// When the parse gives a finite verb no subject at all: the nearest actor before it in the same
    /// clause that is not the object of a preposition ("…at the White House, President Trump
    /// expressed …" with the subject misattached).
    pub fn order_subject(&self, v: usize) -> Vec<usize> {
        let mut k = v;
        let mut steps = 0;
        while k > 0 && steps < 40 {
            k -= 1;
            steps += 1;
            if let Some(a) = self.actor_at[k] {
                let a = a as usize;
                let first = self.acts[a].tokens.0;
                let prev = first.checked_sub(1);
                let after_prep = prev.is_some_and(|p| matches!(self.upos(p), Upos::ADP) || self.rel(p) == "case");
                if !after_prep {
                    return vec![a];
                }
                k = first;
                continue;
            }
            let w = self.lower[k].as_str();
            if matches!(self.upos(k), Upos::VERB)
                || matches!(
                    w,
                    ";" | ":" | "that" | "which" | "who" | "while" | "because" | "although" | "\"" | "“" | "”"
                )
            {
                break;
            }
        }
        Vec::new()
    }

    /// The target of the verb `v` under pattern `p`.
    pub fn targets(&self, v: usize, p: &Pattern, exclude: &[usize]) -> (Vec<usize>, &'static str) {
        let ok = |a: &Vec<usize>| a.iter().any(|x| !exclude.contains(x));
        let keep = |a: Vec<usize>| a.into_iter().filter(|x| !exclude.contains(x)).collect::<Vec<_>>();
        // 1. The pattern's own preposition, on the verb or on its object.
        if let Some(prep) = &p.prep {
            let hosts: Vec<usize> = std::iter::once(v)
                .chain(self.kids(v).filter(|&k| matches!(self.base_rel(k), "obj" | "obl")))
                .take(MAX_VISIT)
                .collect();
            for host in hosts {
                for k in self.kids(host) {
                    if matches!(self.base_rel(k), "obl" | "nmod") && self.case_of(k) == Some(prep.as_str()) {
                        let a = self.actors_of(k);
                        if ok(&a) {
                            return (keep(a), "pattern-preposition");
                        }
                    }
                }
            }
        }
        // 2. Indirect and direct objects.
        for rel in ["iobj", "obj"] {
            for k in self.kids(v).filter(|&k| self.rel(k) == rel) {
                let a = self.actors_of(k);
                if ok(&a) {
                    return (keep(a), "object");
                }
                if VICTIM_NOUNS.contains(&self.lower[k].as_str()) {
                    continue;
                }
                // "sanctions on Russia", "talks with Iran", "the embassy of the US", "an attack
                // by X", and down a chain of such phrases: "a resumption of ties with X".
                let mut level = vec![k];
                for _ in 0..3 {
                    let mut next = Vec::new();
                    for &h in &level {
                        for c in self.kids(h).filter(|&c| self.base_rel(c) == "nmod").take(MAX_VISIT) {
                            if self.case_of(c).is_some_and(|c| TARGET_PREPS.contains(&c) || c == "of" || c == "by") {
                                let a = self.actors_of(c);
                                if ok(&a) {
                                    return (keep(a), "object-argument");
                                }
                                next.push(c);
                            }
                        }
                    }
                    level = next;
                }
            }
        }
        // 3. Prepositional arguments, and the arguments of their nouns ("to the border with X",
        // "for help from X").
        let obls: Vec<usize> =
            self.kids(v).filter(|&k| self.base_rel(k) == "obl" && self.rel(k) != "obl:agent").take(MAX_VISIT).collect();
        for &k in &obls {
            if let Some(c) = self.case_of(k) {
                if TARGET_PREPS.contains(&c) {
                    let a = self.actors_of(k);
                    if ok(&a) {
                        return (keep(a), "prepositional");
                    }
                }
            }
        }
        for &k in &obls {
            if matches!(self.case_of(k), Some("to" | "for" | "with" | "on" | "into" | "against" | "at")) {
                for c in self.kids(k).filter(|&c| self.base_rel(c) == "nmod").take(MAX_VISIT) {
                    if self.case_of(c).is_some_and(|c| TARGET_PREPS.contains(&c) || c == "of") {
                        let a = self.actors_of(c);
                        if ok(&a) {
                            return (keep(a), "prepositional-argument");
                        }
                    }
                }
            }
        }
        // 4. Passive subject.
        if self.is_passive(v) {
            if let Some(s) = self.kid_with(v, &["nsubj:pass"]) {
                let a = self.actors_of(s);
                if ok(&a) {
                    return (keep(a), "passive-subject");
                }
            }
            if self.rel(v) == "acl" {
                if let Some(h) = self.tree.parent(v) {
                    let a = self.actors_of(h);
                    if ok(&a) {
                        return (keep(a), "participle-head");
                    }
                }
            }
        }
        // 5. What a statement is about: "expressed optimism about establishing relations with B".
        for k in self.kids(v).chain(self.kid_with(v, &["obj"]).into_iter().flat_map(|o| self.kids(o))) {
            if matches!(self.rel(k), "advcl" | "acl")
                && matches!(self.case_of(k), Some("about" | "on" | "over" | "regarding"))
            {
                for c in self.kids(k).filter(|&c| matches!(self.base_rel(c), "obj" | "obl")) {
                    for a in std::iter::once(c).chain(self.kids(c).filter(|&g| self.base_rel(g) == "nmod")) {
                        let acts = self.actors_of(a);
                        if ok(&acts) {
                            return (keep(acts), "topic");
                        }
                    }
                }
            }
        }
        (Vec::new(), "")
    }

    /// Negation and modality of a verb, from its own dependents.
    pub fn mode_of(&self, v: usize) -> Mode {
        let mut mode = Mode::Fact;
        for k in self.kids(v) {
            let w = self.lower[k].as_str();
            match (self.rel(k), w) {
                ("advmod", "not" | "never" | "n't" | "no") | ("det", "no") | ("aux", "n't") => return Mode::Negated,
                (_, "not" | "n't" | "never") if self.upos(k) == Upos::PART => return Mode::Negated,
                ("aux", "will" | "shall" | "'ll" | "wo") => mode = Mode::Future,
                ("aux", "may" | "might" | "could" | "would" | "should" | "must" | "can" | "ca" | "'d")
                | ("mark", "if" | "unless" | "whether")
                    if mode == Mode::Fact =>
                {
                    mode = Mode::Hypothetical
                }
                _ => {}
            }
        }
        mode
    }

    fn is_verbish(&self, i: usize) -> bool {
        !matches!(
            self.upos(i),
            Upos::NOUN
                | Upos::PROPN
                | Upos::ADJ
                | Upos::ADP
                | Upos::DET
                | Upos::PRON
                | Upos::NUM
                | Upos::PUNCT
                | Upos::CCONJ
        )
    }
}

fn is_negation(w: &str) -> bool {
    matches!(w, "not" | "n't" | "never" | "neither" | "no")
}

/// A light trace for `dyad explain`: `None` costs nothing.
pub type Trace<'t> = Option<&'t mut Vec<String>>;

macro_rules! note {
    ($t:expr, $($arg:tt)*) => {
        if let Some(t) = $t.as_deref_mut() {
            t.push(format!($($arg)*));
        }
    };
}

/// The frames of one sentence.
pub fn frames<'a>(s: &Sent<'_>, lex: &'a Lexicon, mut trace: Trace<'_>) -> Vec<Frame<'a>> {
    let n = s.sent.tokens.len();
    let forms = s.forms();
    let mut out: Vec<Frame<'a>> = Vec::new();
    let mut covered: Vec<(usize, usize, &Pattern)> = Vec::new();
    for i in 0..n {
        let lemma = s.lemma(i).to_lowercase();
        let in_actor = s.actor_at[i].is_some();
        let m: Option<Match<'a>> = if s.is_verbish(i) {
            // Reciprocal patterns (TABARI's `%`) need a compound subject.
            let compound = lex.has_reciprocal() && s.subjects(i, 0).0.len() >= 2;
            lex.verb_at_with(&forms, &lemma, i, compound)
        } else if matches!(s.upos(i), Upos::NOUN | Upos::PROPN) {
            lex.noun_at(&forms, &lemma, i).or_else(|| {
                // A verb the tagger called a noun, when the parse treats it as a predicate.
                (s.upos(i) == Upos::NOUN && matches!(s.rel(i), "root" | "conj") && s.kid_with(i, &["nsubj"]).is_some())
                    .then(|| lex.verb_at(&forms, &lemma, i))
                    .flatten()
            })
        } else {
            None
        };
        let Some(m) = m else { continue };
        if in_actor {
            note!(trace, "  {} `{}`: inside an actor's name; not an event", i + 1, s.lower[i]);
            continue;
        }
        // "lifted a curfew": the noun is part of the verb's phrase, not an event of its own.
        if m.noun && covered.iter().any(|&(a, b, p)| a < i && i < b && p.mentions(&s.lower[i])) {
            note!(trace, "  {} `{}`: part of a longer verb phrase; not an event of its own", i + 1, s.lower[i]);
            continue;
        }

        let p = m.pattern;
        let paired = p.paired.as_deref().filter(|c| !c.is_empty());
        let code = if p.code.is_empty() { paired.unwrap_or("") } else { p.code.as_str() };
        if code.is_empty() {
            note!(trace, "  {} `{}` pattern {:?} ({}): null code, no event", i + 1, s.lower[i], p.phrase, p.source);
            continue;
        }
        let mut f = if m.noun { noun_frame(s, &m, code, &mut trace) } else { verb_frame(s, &m, code, &mut trace) };
        // Only a verb phrase that is coded (it has a source) takes its nouns' place.
        if !m.noun && m.last > i + 1 && !f.sources.is_empty() {
            covered.push((i, m.last, m.pattern));
        }
        note!(
            trace,
            "  {} `{}` pattern {:?} [{}] ({}): sources {:?} targets {:?} mode {:?}",
            i + 1,
            s.lower[i],
            p.phrase,
            p.code,
            p.source,
            names(s, &f.sources),
            names(s, &f.targets),
            f.mode
        );
        compose_up(s, lex, &mut f, &mut trace);
        // "X will help B" states an intent (033), "X will attack B" a threat (1384): CAMEO codes
        // the statement; the mode stays future.
        // "X will not accept refugees", "would not meet demands": a refusal (CAMEO 12).
        let future_aux = s
            .kids(f.trigger)
            .any(|k| s.rel(k) == "aux" && matches!(s.lower[k].as_str(), "will" | "would" | "wo" | "shall" | "'ll"));
        if f.upper.is_none() && f.mode == Mode::Negated && future_aux && lex.has_classes() && !f.noun {
            if let Some(code) = cameo::compose(Class::Reject, &f.code) {
                note!(trace, "    refusal: [{}] -> [{code}]", f.code);
                f.code = code.to_string();
                f.mode = Mode::Fact;
                f.rule.push_str("+refusal");
            }
        }
        if f.upper.is_none() && f.mode == Mode::Future && lex.has_classes() {
            let root = f.code.get(..2).unwrap_or("").to_string();
            let class = match root.as_str() {
                "04" | "05" | "06" | "07" | "08" => Some(Class::Intent),
                "14" | "15" | "16" | "17" | "18" | "19" | "20" => Some(Class::Threaten),
                _ => None,
            };
            if let Some(code) = class.and_then(|c| cameo::compose(c, &f.code)) {
                note!(trace, "    future: [{}] -> [{code}]", f.code);
                f.code = code.to_string();
                f.rule.push_str("+future-statement");
            }
        }
        // `[CODE:PAIRED]`: the same event from the other side, target → source.
        if p.code.is_empty() {
            std::mem::swap(&mut f.sources, &mut f.targets);
            f.rule.push_str("+paired-only");
        } else if let Some(pc) = paired.filter(|_| !f.reciprocal && !f.targets.is_empty() && f.upper.is_none()) {
            let mut g = f.clone();
            std::mem::swap(&mut g.sources, &mut g.targets);
            g.code = pc.to_string();
            g.rule.push_str("+paired");
            note!(trace, "    paired code: [{pc}] from the target to the source");
            out.push(f);
            out.push(g);
            continue;
        }
        out.push(f);
    }
    if lex.has_classes() {
        class_heads(s, lex, &mut out, &mut trace);
    }
    // An upper verb that recoded a lower event is not coded again on its own.
    let uppers: Vec<usize> = out.iter().filter_map(|f| f.upper).collect();
    out.retain(|f| {
        let keep = !uppers.contains(&f.trigger);
        if !keep {
            note!(trace, "  {} `{}`: its complement carries the event", f.trigger + 1, s.lower[f.trigger]);
        }
        keep
    });
    out
}

/// The pattern of an event coded on a complement-taking verb itself.
static CLASS_HEAD: Pattern = Pattern {
    code: String::new(),
    rest: Vec::new(),
    phrase: String::new(),
    source: String::new(),
    prep: None,
    reverse: false,
    pre: Vec::new(),
    paired: None,
    gap: 0,
    loose_pre: false,
    reciprocal: false,
};

/// Complement-taking verbs that state an event of their own whatever the complement:
/// "agreed to set up a centre" (030), "refused to comment" (120), "threatened to retaliate" (130),
/// "urged B to act" (020), "demanded that B act" (100). Used only when the complement carried no
/// event of the lexicon, so "agreed to meet" stays 036.
const HEAD_CODES: [(&str, &str); 24] = [
    ("agree", "030"),
    ("pledge", "030"),
    ("promise", "030"),
    ("vow", "030"),
    ("offer", "030"),
    ("commit", "030"),
    ("committed", "030"),
    ("consent", "030"),
    ("volunteer", "030"),
    ("willing", "030"),
    ("ready", "030"),
    ("prepared", "030"),
    ("refuse", "120"),
    ("decline", "120"),
    ("reject", "120"),
    ("threaten", "130"),
    ("urge", "020"),
    ("appeal", "020"),
    ("implore", "020"),
    ("plead", "020"),
    ("exhort", "020"),
    ("demand", "100"),
    ("insist", "100"),
    ("require", "100"),
];

fn class_heads<'a>(s: &Sent<'_>, lex: &'a Lexicon, out: &mut Vec<Frame<'a>>, trace: &mut Trace<'_>) {
    let n = s.sent.tokens.len();
    for h in 0..n {
        if s.actor_at[h].is_some() || !(s.is_verbish(h) || s.upos(h) == Upos::ADJ) {
            continue;
        }
        // "X said that Y must return the helicopter", with no event in the lexicon for the
        // complement: X demands something of Y (100).
        if lex.class_of(&s.lower[h]).or_else(|| lex.class_of(&s.lemma(h).to_lowercase())) == Some(Class::Say) {
            let must = s.kids(h).filter(|&k| matches!(s.rel(k), "ccomp" | "parataxis")).find(|&k| {
                s.kids(k).any(|a| s.rel(a) == "aux" && matches!(s.lower[a].as_str(), "must" | "should" | "ought"))
                    && s.mode_of(k) != Mode::Negated
            });
            if let Some(k) = must {
                if !out.iter().any(|f| f.trigger == k || f.upper == Some(h) || s.tree.parent(f.trigger) == Some(k)) {
                    let (sources, how_s) = s.subjects(h, 0);
                    let targets: Vec<usize> = s
                        .kid_with(k, &["nsubj", "nsubj:pass"])
                        .map(|x| s.actors_of(x))
                        .unwrap_or_default()
                        .into_iter()
                        .filter(|t| !sources.contains(t))
                        .collect();
                    note!(trace, "  {} `{}` reports an obligation with no event of its own: [100]", h + 1, s.lower[h]);
                    out.push(Frame {
                        trigger: h,
                        last: h + 1,
                        code: "100".into(),
                        pattern: &CLASS_HEAD,
                        noun: false,
                        notes: if sources.is_empty() {
                            vec!["no source: the speaker is not an actor".into()]
                        } else {
                            Vec::new()
                        },
                        sources,
                        targets,
                        reciprocal: false,
                        mode: s.mode_of(h),
                        rule: format!("dep:{how_s}+reported-obligation+subject"),
                        confidence: 0.55,
                        upper: None,
                    });
                }
            }
            continue;
        }
        let lemma = s.lemma(h).to_lowercase();
        // A cheap look-up first: only words of a complement class can be heads.
        if !matches!(
            lex.class_of(&s.lower[h]).or_else(|| lex.class_of(&lemma)),
            Some(Class::Intent | Class::Reject | Class::Threaten | Class::Appeal | Class::Demand)
        ) {
            continue;
        }
        let Some(&(_, code)) = HEAD_CODES.iter().find(|(w, _)| {
            *w == lemma || *w == s.lower[h] || crate::lexicon::inflections(w).iter().any(|f| *f == s.lower[h])
        }) else {
            continue;
        };
        let Some(k) = s.kids(h).find(|&k| matches!(s.rel(k), "xcomp" | "ccomp")) else { continue };
        if out.iter().any(|f| f.trigger == h || f.trigger == k || f.upper == Some(h)) {
            continue;
        }
        let (sources, how_s) = s.subjects(h, 0);
        let (targets, how_t) = if matches!(code, "020" | "100") {
            let t = s.kid_with(h, &["obj", "iobj"]).map(|o| s.actors_of(o)).unwrap_or_default();
            (t, "addressee")
        } else {
            s.targets(k, &CLASS_HEAD, &sources)
        };
        let targets: Vec<usize> = targets.into_iter().filter(|t| !sources.contains(t)).collect();
        note!(trace, "  {} `{}` takes a complement with no event of its own: [{code}]", h + 1, s.lower[h]);
        let notes = if sources.is_empty() {
            vec!["no source: the verb has no subject that is an actor".into()]
        } else {
            Vec::new()
        };
        out.push(Frame {
            trigger: h,
            last: h + 1,
            code: code.to_string(),
            pattern: &CLASS_HEAD,
            noun: false,
            sources,
            targets,
            reciprocal: false,
            mode: s.mode_of(h),
            rule: format!("dep:{how_s}+class-head:{lemma}+{how_t}"),
            confidence: 0.6,
            upper: None,
            notes,
        });
    }
}

fn names(s: &Sent<'_>, a: &[usize]) -> Vec<String> {
    a.iter().map(|&k| format!("{}={}", s.acts[k].text, s.acts[k].code)).collect()
}

fn verb_frame<'a>(s: &Sent<'_>, m: &Match<'a>, code: &str, trace: &mut Trace<'_>) -> Frame<'a> {
    let v = m.first;
    let p = m.pattern;
    let (mut sources, mut how_s) = s.subjects(v, 0);
    let finite = matches!(s.base_rel(v), "root" | "conj" | "ccomp" | "parataxis" | "advcl" | "dep");
    if finite
        && sources.is_empty()
        && how_s.is_empty()
        && !s.is_passive(v)
        && s.kid_with(v, &["nsubj", "nsubj:pass", "csubj"]).is_none()
    {
        sources = s.order_subject(v);
        if !sources.is_empty() {
            how_s = "order-subject";
        }
    }
    let (mut targets, how_t) = s.targets(v, p, &sources);
    if p.reverse {
        std::mem::swap(&mut sources, &mut targets);
    }
    let together = p.phrase.ends_with("together")
        || (m.last..s.lower.len().min(m.last + 4)).any(|k| s.lower[k] == "together")
        || s.kids(v).any(|k| matches!(s.lower[k].as_str(), "together" | "jointly"));
    if together {
        targets.clear();
    }
    let root = code.get(..2).unwrap_or("");
    let reciprocal =
        targets.is_empty() && sources.len() >= 2 && (p.reciprocal || matches!(root, "03" | "04" | "05" | "06"));
    let mut mode = s.mode_of(v);
    // A pattern that spells out the negation ("- WILL NOT * [081]") codes the negated verb.
    if mode == Mode::Negated && p.pre.iter().chain(&p.rest).any(|w| w.text().is_some_and(is_negation)) {
        mode = Mode::Fact;
    }
    let mut notes = Vec::new();
    if sources.is_empty() {
        notes.push(format!(
            "no source: the verb has no subject that is an actor ({})",
            if how_s.is_empty() { "none found" } else { how_s }
        ));
    }
    note!(trace, "    source by {how_s:?}, target by {how_t:?}");
    Frame {
        trigger: v,
        last: m.last,
        code: code.to_string(),
        pattern: p,
        noun: false,
        confidence: match how_s {
            "subject" | "passive-agent" => 0.85,
            _ => 0.7,
        } * if how_t == "object" || how_t == "pattern-preposition" { 1.0 } else { 0.9 },
        rule: format!(
            "dep:{}{}+{}",
            how_s,
            if p.reverse { "-reversed" } else { "" },
            if reciprocal { "reciprocal" } else { how_t }
        ),
        sources,
        targets,
        reciprocal,
        mode,
        upper: None,
        notes,
    }
}

/// Light verbs and the relations by which an event noun borrows the subject of its verb.
fn noun_frame<'a>(s: &Sent<'_>, m: &Match<'a>, code: &str, trace: &mut Trace<'_>) -> Frame<'a> {
    let nn = m.first;
    let p = m.pattern;
    let mut sources = Vec::new();
    let mut targets = Vec::new();
    let mut reciprocal = false;
    let mut how = "noun";
    for k in s.kids(nn) {
        let case = s.case_of(k);
        match (s.rel(k), case) {
            ("nmod:poss", _) | ("compound", _) | ("amod", _) => {
                if let Some(a) = s.actor_of_node(k) {
                    if !sources.contains(&a) {
                        sources.push(a)
                    }
                }
            }
            (r, Some("by")) if r.starts_with("nmod") => sources.extend(s.actors_of(k)),
            (r, Some("between" | "among")) if r.starts_with("nmod") => {
                sources.extend(s.actors_of(k));
                reciprocal = true;
                how = "noun-between";
            }
            (r, Some(c)) if r.starts_with("nmod") && (TARGET_PREPS.contains(&c) || c == "of") && targets.is_empty() => {
                targets = s.actors_of(k)
            }
            _ => {}
        }
    }
    // "during a meeting with B, A said": the noun borrows the subject of the clause it modifies;
    // so does the object of a light verb ("A held talks with B").
    let mut mode = Mode::Fact;
    if sources.is_empty() && !reciprocal {
        if let Some(h) = s.tree.parent(nn) {
            // Meetings, visits and talks frame the clause; attacks "after the invasion of X" are
            // seldom the subject's own.
            let framing = s.base_rel(nn) == "obl"
                && matches!(
                    s.case_of(nn),
                    Some("during" | "at" | "after" | "in" | "following" | "before" | "on" | "ahead")
                )
                && !matches!(code.get(..2), Some("15" | "16" | "17" | "18" | "19" | "20"));
            let light = s.rel(nn) == "obj" && s.is_verbish(h);
            if framing || light {
                let (mut subj, how_s) = s.subjects(h, 0);
                if subj.is_empty() && how_s.is_empty() && s.kid_with(h, &["nsubj", "nsubj:pass", "csubj"]).is_none() {
                    subj = s.order_subject(h);
                }
                sources = subj;
                how = if light { "noun-light-verb" } else { "noun-framing-clause" };
                if light {
                    mode = s.mode_of(h);
                    if targets.is_empty() {
                        for k in s.kids(h) {
                            if s.base_rel(k) == "obl" && s.case_of(k).is_some_and(|c| TARGET_PREPS.contains(&c)) {
                                targets = s.actors_of(k);
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
    if reciprocal && sources.len() < 2 {
        reciprocal = false;
        if sources.len() == 1 && targets.is_empty() {
            // "talks between A and officials": one side only.
        }
    }
    targets.retain(|t| !sources.contains(t));
    note!(trace, "    event noun: arguments by {how}");
    let mut notes = Vec::new();
    if sources.is_empty() {
        notes.push("no source: no possessor, `by` phrase or framing clause names an actor".into());
    }
    Frame {
        trigger: nn,
        last: m.last,
        code: code.to_string(),
        pattern: p,
        noun: true,
        sources,
        targets,
        reciprocal,
        mode,
        rule: format!("dep:{how}"),
        confidence: 0.65,
        upper: None,
        notes,
    }
}

/// Walk up from an event through complement verbs, recoding it.
fn compose_up(s: &Sent<'_>, lex: &Lexicon, f: &mut Frame<'_>, trace: &mut Trace<'_>) {
    let mut cur = f.trigger;
    for _ in 0..5 {
        let rel = s.rel(cur);
        let via_clause = matches!(rel, "xcomp" | "ccomp" | "advcl" | "acl");
        let via_noun = f.noun && matches!(s.base_rel(cur), "obj" | "obl" | "nmod" | "nsubj");
        // An event noun reached through "for", "to": "called for talks", "agreed to talks".
        let via_adj_clause = rel == "xcomp" || rel == "ccomp";
        if !(via_clause || via_noun || via_adj_clause) {
            return;
        }
        let Some(h) = s.tree.parent(cur) else { return };
        let Some(class) = lex.class_of(&s.lower[h]).or_else(|| lex.class_of(&s.lemma(h).to_lowercase())) else {
            return;
        };
        let upper_mode = s.mode_of(h);
        match class {
            Class::Transparent => {
                if upper_mode != Mode::Fact {
                    f.mode = upper_mode;
                }
                cur = h;
                continue;
            }
            Class::Say => {
                if rel == "ccomp" || rel == "parataxis" || rel == "xcomp" {
                    f.rule.push_str("+reported");
                    f.confidence *= 0.9;
                    note!(trace, "    reported by `{}`", s.lower[h]);
                    let aux =
                        |w: &[&str]| s.kids(f.trigger).any(|k| s.rel(k) == "aux" && w.contains(&s.lower[k].as_str()));
                    // "X said Y must hand over Z": the speaker demands it of Y.
                    if lex.has_classes() && f.mode != Mode::Negated && aux(&["must", "should", "ought"]) && !f.noun {
                        let (speaker, _) = s.subjects(h, 0);
                        if let Some(code) = cameo::compose(Class::Demand, &f.code).filter(|_| !speaker.is_empty()) {
                            note!(trace, "    obligation reported by `{}`: [{}] -> [{code}]", s.lower[h], f.code);
                            f.targets = f.sources.iter().copied().filter(|t| !speaker.contains(t)).collect();
                            f.sources = speaker;
                            f.code = code.to_string();
                            f.mode = s.mode_of(h);
                            f.reciprocal = false;
                            f.rule.push_str("+obligation");
                            f.upper = Some(h);
                            return;
                        }
                    }
                    // "said they would boycott": future in the past, not a hypothesis.
                    if f.mode == Mode::Hypothetical && aux(&["would", "'d"]) {
                        f.mode = Mode::Future;
                    }
                }
                return;
            }
            Class::Light => {
                cur = h;
                continue;
            }
            _ => {}
        }
        if matches!(class, Class::Intent | Class::Threaten | Class::Reject) && rel == "advcl" {
            return;
        }
        let Some(code) = cameo::compose(class, &f.code) else {
            note!(trace, "    `{}` ({}) leaves [{}] as it is", s.lower[h], class.name(), f.code);
            return;
        };
        let (up_sources, _) = s.subjects(h, 0);
        if up_sources.is_empty() {
            note!(trace, "    `{}` ({}) would give [{code}] but has no source", s.lower[h], class.name());
            return;
        }
        let addressee: Vec<usize> = s.kid_with(h, &["obj", "iobj"]).map(|o| s.actors_of(o)).unwrap_or_default();
        let addressee: Vec<usize> = if addressee.is_empty() {
            s.kids(h)
                .find(|&k| s.base_rel(k) == "obl" && matches!(s.case_of(k), Some("on" | "to" | "upon")))
                .map(|k| s.actors_of(k))
                .unwrap_or_default()
        } else {
            addressee
        };
        let targets = match class {
            Class::Appeal | Class::Demand if !addressee.is_empty() => addressee,
            _ if f.targets.is_empty() || f.targets.iter().all(|t| up_sources.contains(t)) => {
                if !addressee.is_empty() {
                    addressee
                } else {
                    f.targets.clone()
                }
            }
            _ => f.targets.clone(),
        };
        note!(trace, "    recoded by `{}` ({}): [{}] -> [{code}]", s.lower[h], class.name(), f.code);
        let reciprocal_ok = f.reciprocal && targets.is_empty();
        f.rule = format!("{}+{}:{}", f.rule, class.name(), s.lower[h]);
        f.code = code.to_string();
        f.sources = up_sources;
        f.targets = targets.into_iter().filter(|t| !f.sources.contains(t)).collect();
        f.reciprocal = reciprocal_ok || (f.targets.is_empty() && f.sources.len() >= 2 && code.starts_with("03"));
        f.mode = upper_mode;
        f.upper = Some(h);
        return;
    }
}
