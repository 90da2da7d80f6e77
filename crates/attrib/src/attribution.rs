//! Attributions: content, cue and source spans over the dependency parse.
//!
//! 1. Direct quotations are paired from the marks ([`crate::marks`]).
//! 2. Every reporting or stance verb of the cue lexicon with a clausal complement (`ccomp`) or
//!    a clause it hangs from as `parataxis` ("…, he said") makes an attribution: the complement's
//!    subtree is the content, the verb's `nsubj` subtree the source. Participles and
//!    coordinated verbs without a subject take their head's ("…, adding that …").
//! 3. "according to X" makes X the source and the rest of its clause the content.
//! 4. A content that covers a direct quotation takes the whole quotation, over sentences and
//!    paragraphs; with more words outside the marks it is a mixed quotation.
//! 5. A direct quotation no verb claimed looks for a cue next to its marks, or after a colon
//!    ending the previous paragraph ("Cruz continued:"), else keeps an unknown source.

use crate::marks::{direct_quotes, Marked};
use dyad_model::{Actor, AnnotatedDocument, Article, QuoteKind, Sentence, Span, Upos};

/// One attribution: what was said, through which words, by whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    pub kind: QuoteKind,
    /// The content as PolNeAR marks it: direct quotations with their marks, indirect ones from
    /// the complementiser ("that …"); one fragment or more.
    pub content: Vec<Span>,
    /// The words of the quotation alone (inside the marks, after "that").
    pub text: Span,
    pub cue: Option<Span>,
    /// The cue's lemma (`say`, `according to`).
    pub cue_lemma: Option<String>,
    pub source: Option<Span>,
    /// Index into the actors of the speaker, when the dictionary stage resolved one there.
    pub actor: Option<usize>,
    /// Index of the sentence of the cue (else of the content start).
    pub sentence: usize,
    /// Whether the quotation marks closed.
    pub closed: bool,
}

/// Reporting and stance verbs (lemmas), seeded from the most frequent cues of PolNeAR train.
const CUE_VERBS: &[&str] = &[
    "say",
    "tell",
    "write",
    "add",
    "ask",
    "note",
    "report",
    "announce",
    "suggest",
    "argue",
    "find",
    "show",
    "tweet",
    "think",
    "believe",
    "continue",
    "explain",
    "declare",
    "acknowledge",
    "recall",
    "claim",
    "insist",
    "state",
    "warn",
    "reply",
    "respond",
    "agree",
    "conclude",
    "hope",
    "predict",
    "promise",
    "vow",
    "pledge",
    "reveal",
    "indicate",
    "know",
    "feel",
    "fear",
    "expect",
    "worry",
    "complain",
    "admit",
    "concede",
    "confirm",
    "deny",
    "stress",
    "emphasize",
    "emphasise",
    "remark",
    "mention",
    "assert",
    "contend",
    "maintain",
    "observe",
    "estimate",
    "allege",
    "charge",
    "testify",
    "joke",
    "quip",
    "boast",
    "brag",
    "counter",
    "retort",
    "post",
    "caution",
    "proclaim",
    "speculate",
    "wonder",
    "question",
    "demand",
    "urge",
    "hint",
    "point",
    "learn",
    "recount",
    "reiterate",
    "describe",
    "read",
    "seem",
    "appear",
    "signal",
    "imply",
    "guess",
    "doubt",
    "assure",
    "inform",
    "remind",
    "announce",
    "write",
    "blog",
    "text",
    "email",
    "shout",
    "yell",
    "chant",
    "scream",
    "whisper",
    "muse",
    "lament",
    "concur",
    "grant",
    "bet",
    "figure",
    "suspect",
    "recognize",
    "realize",
    "understand",
    "see",
    "hear",
    "sense",
    "assume",
    "presume",
    "imagine",
    "anticipate",
    "forecast",
    "project",
    "calculate",
    "determine",
    "discover",
    "demonstrate",
    "prove",
    "suggest",
    "theorize",
    "articulate",
    "comment",
    "opine",
    "interject",
    "exclaim",
    "affirm",
    "aver",
    "attest",
    "decide",
    "rule",
];

/// Verbs of stance and evaluation whose object is the content ("criticized the plan",
/// "called for a ban"), also seeded from PolNeAR train cues.
const EVAL_VERBS: &[&str] = &[
    "call",
    "describe",
    "decline",
    "accuse",
    "criticize",
    "criticise",
    "support",
    "seek",
    "endorse",
    "refuse",
    "defend",
    "offer",
    "cite",
    "propose",
    "praise",
    "oppose",
    "denounce",
    "reject",
    "dismiss",
    "blast",
    "attack",
    "blame",
    "back",
    "decry",
    "challenge",
    "mock",
    "like",
    "invoke",
    "want",
    "prefer",
    "plan",
    "refer",
    "focus",
    "rail",
    "talk",
    "thank",
    "condemn",
    "ridicule",
    "slam",
    "welcome",
    "applaud",
    "favor",
    "favour",
    "push",
    "advocate",
    "demand",
    "highlight",
    "stress",
    "emphasize",
    "tout",
    "hail",
    "lambaste",
    "berate",
    "knock",
    "question",
    "dispute",
    "doubt",
    "deny",
    "target",
    "characterize",
    "label",
    "brand",
    "dub",
    "spoke",
    "speak",
    "discuss",
    "address",
    "raise",
    "express",
    "voice",
    "echo",
    "recommend",
    "request",
    "list",
    "promise",
    "vow",
    "pledge",
    "urge",
    "hope",
    "expect",
    "fear",
    "love",
    "hate",
    "dislike",
    "appreciate",
    "regret",
    "vote",
    "respond",
    "look",
    "side",
    "aim",
    "lash",
    "weigh",
    "touch",
    "boast",
    "count",
    "campaign",
    "vouch",
    "release",
    "issue",
    "sign",
    "name",
    "consider",
    "mention",
    "order",
    "identify",
    "nominate",
    "deem",
    "view",
    "cast",
    "file",
    "unveil",
    "reiterate",
    "repeat",
    "recount",
    "pass",
    "veto",
    "approve",
    "comment",
    "write",
    "ask",
    "speak",
    "think",
    "complain",
    "warn",
    "joke",
    "testify",
];

impl Attribution {
    /// Whether this is a quotation (something said, written or reported) rather than a stance
    /// or evaluation ("criticized the plan", "continue to pose"): marks, a reporting verb,
    /// "according to" or a headline colon.
    pub fn is_quotation(&self) -> bool {
        let lemma = self.cue_lemma.as_deref().unwrap_or("");
        self.kind != QuoteKind::Indirect
            || matches!(lemma, "according to" | ":")
            || (CUE_VERBS.contains(&lemma) && !matches!(lemma, "continue" | "seem" | "appear" | "find" | "show"))
    }
}

fn is_cue_lemma(lemma: &str) -> bool {
    CUE_VERBS.contains(&lemma) || EVAL_VERBS.contains(&lemma)
}

/// Adjectives of stance with a holder as subject ("are worried about", "is confident that").
const STANCE_ADJ: &[&str] = &[
    "clear",
    "worried",
    "concerned",
    "frustrated",
    "confident",
    "critical",
    "sure",
    "certain",
    "convinced",
    "skeptical",
    "sceptical",
    "optimistic",
    "pessimistic",
    "angry",
    "upset",
    "happy",
    "glad",
    "proud",
    "afraid",
    "aware",
    "supportive",
    "opposed",
    "unhappy",
    "disappointed",
    "hopeful",
    "fearful",
    "eager",
    "adamant",
    "insistent",
    "wary",
    "furious",
    "outraged",
    "dismissive",
    "unconvinced",
    "doubtful",
];

/// Prepositions that carry the content of an evaluation verb ("called for", "railed against").
const CONTENT_CASES: &[&str] = &["for", "on", "to", "about", "against", "of", "at", "with"];

/// The cue lemma of a token: its lemma when the tagger saw a verb, else one recovered from an
/// inflected form the tagger took for something else ("stating" tagged as a noun).
fn cue_lemma(t: &dyad_model::Token, body: &str) -> Option<String> {
    let lemma = t.lemma.to_lowercase();
    if t.upos == Upos::VERB {
        return is_cue_lemma(&lemma).then_some(lemma);
    }
    if t.upos == Upos::ADJ {
        return STANCE_ADJ.contains(&lemma.as_str()).then_some(lemma);
    }
    if matches!(t.upos, Upos::PROPN | Upos::PRON | Upos::DET | Upos::ADP | Upos::PUNCT | Upos::NUM) {
        return None;
    }
    if t.span.text(body).starts_with(char::is_uppercase) && t.upos != Upos::VERB {
        // "States", "Says" in a title: a name or a headline word, not a verb the tagger missed.
        return None;
    }
    let f = t.span.text(body).to_lowercase();
    // Only participles: plural nouns ("tweets", "reports") are too often just nouns.
    for suffix in ["ing", "ed", "d"] {
        let Some(stem) = f.strip_suffix(suffix) else { continue };
        let undoubled = stem.char_indices().last().filter(|&(k, c)| stem[..k].ends_with(c)).map(|(k, _)| &stem[..k]);
        let tries = [Some(stem.to_string()), Some(format!("{stem}e")), undoubled.map(str::to_string)];
        if let Some(l) = tries.into_iter().flatten().find(|l| l.len() > 2 && is_cue_lemma(l)) {
            return Some(l);
        }
    }
    None
}

/// Subject relations whose subtree is the source.
fn is_subject(deprel: &str) -> bool {
    deprel == "nsubj" || deprel == "csubj"
}

/// Children of every token of a sentence (0-based).
fn children(s: &Sentence) -> Vec<Vec<usize>> {
    let mut ch = vec![Vec::new(); s.tokens.len()];
    for (i, t) in s.tokens.iter().enumerate() {
        let h = t.head as usize;
        if h >= 1 && h <= s.tokens.len() && h - 1 != i {
            ch[h - 1].push(i);
        }
    }
    ch
}

/// The first and last token of the subtree of `i` (the parse is nearly projective; gaps are
/// covered). Iterative, with a step bound, so a cyclic parse cannot hang it.
fn subtree(ch: &[Vec<usize>], i: usize) -> (usize, usize) {
    let (mut lo, mut hi) = (i, i);
    let mut stack = vec![i];
    let mut steps = 0;
    while let Some(k) = stack.pop() {
        steps += 1;
        if steps > ch.len() * 2 + 2 {
            break;
        }
        lo = lo.min(k);
        hi = hi.max(k);
        stack.extend(ch[k].iter().copied());
    }
    (lo, hi)
}

fn is_punct(s: &Sentence, body: &str, i: usize) -> bool {
    s.tokens[i].upos == Upos::PUNCT || !s.tokens[i].span.text(body).chars().any(char::is_alphanumeric)
}

fn is_quote_mark(text: &str) -> bool {
    text.chars().all(|c| "“”\"‘’'«»„".contains(c)) && !text.is_empty()
}

/// Byte span of tokens `lo..=hi`, with punctuation trimmed at both ends (quote marks kept).
fn trimmed(s: &Sentence, body: &str, mut lo: usize, mut hi: usize) -> Option<Span> {
    while lo <= hi && is_punct(s, body, lo) && !is_quote_mark(s.tokens[lo].span.text(body)) {
        lo += 1;
    }
    while hi >= lo && is_punct(s, body, hi) && !is_quote_mark(s.tokens[hi].span.text(body)) {
        if hi == 0 {
            return None;
        }
        hi -= 1;
    }
    (lo <= hi).then(|| Span::new(s.tokens[lo].span.start, s.tokens[hi].span.end))
}

/// An attribution found in the parse before the direct quotations are folded in.
struct Found {
    content: Vec<Span>,
    cue: Span,
    lemma: String,
    source: Option<Span>,
    source_head: Option<Span>,
    sentence: usize,
}

/// The subject of `i`, or of the verb it hangs from when it has none (participles, `conj`,
/// `xcomp`), as (head token, subtree).
fn subject_of(s: &Sentence, ch: &[Vec<usize>], i: usize) -> Option<(usize, (usize, usize))> {
    let mut k = i;
    // The passive subject of "was told" is the hearer; of "is focused on" the holder.
    let hearer = matches!(s.tokens[i].lemma.as_str(), "tell" | "ask" | "inform" | "remind" | "call" | "describe");
    for _ in 0..3 {
        if let Some(&n) = ch[k]
            .iter()
            .find(|&&c| is_subject(&s.tokens[c].deprel) || (!hearer && k == i && s.tokens[c].deprel == "nsubj:pass"))
        {
            return Some((n, subtree(ch, n)));
        }
        let t = &s.tokens[k];
        let base = t.deprel.split(':').next().unwrap_or("");
        if base == "acl" && t.head != 0 && k == i {
            // "emails showing that …", "O’Malley, calling Trump …": the noun the participle
            // modifies, up to the participle.
            let h = t.head as usize - 1;
            let (hlo, _) = subtree(ch, h);
            let (clo, _) = subtree(ch, k);
            if h < clo {
                return Some((h, (hlo, clo - 1)));
            }
            return None;
        }
        if !matches!(base, "advcl" | "conj" | "xcomp") || t.head == 0 {
            return None;
        }
        k = t.head as usize - 1;
    }
    None
}

/// Cue span: the verb and its particle or fixed words ("pointed out", "called for").
fn cue_span(s: &Sentence, ch: &[Vec<usize>], i: usize) -> Span {
    let mut sp = s.tokens[i].span;
    for &c in &ch[i] {
        if matches!(s.tokens[c].deprel.as_str(), "compound:prt" | "fixed") && c == i + 1 {
            sp = sp.cover(s.tokens[c].span);
        }
    }
    // Auxiliaries, negation and adverbs right before the verb belong to the cue ("has also said").
    let mut lo = i;
    while lo > 0
        && ch[i].contains(&(lo - 1))
        && (matches!(s.tokens[lo - 1].deprel.as_str(), "aux" | "advmod")
            || s.tokens[lo - 1].upos == Upos::PART && s.tokens[lo - 1].deprel != "mark")
    {
        lo -= 1;
    }
    sp.cover(s.tokens[lo].span)
}

fn in_sentence(s: &Sentence, si: usize, body: &str, out: &mut Vec<Found>) {
    let ch = children(s);
    let n = s.tokens.len();
    for i in 0..n {
        let t = &s.tokens[i];
        let form = t.span.text(body);
        // "according to X": X is the head of "according".
        if form.eq_ignore_ascii_case("according") && s.tokens.get(i + 1).is_some_and(|x| x.span.text(body) == "to") {
            let cue = t.span.cover(s.tokens[i + 1].span);
            // X: the head of "according" when it follows, else the first noun after "to".
            let x = (t.head as usize)
                .checked_sub(1)
                .filter(|&h| h > i + 1 && h < n)
                .or_else(|| (i + 2..n).find(|&k| matches!(s.tokens[k].upos, Upos::NOUN | Upos::PROPN | Upos::PRON)));
            let Some(x) = x else { continue };
            let (_, xhi) = subtree(&ch, x);
            // The source runs from after "to" to the end of X's subtree, short of a comma.
            let mut hi = xhi.max(x);
            if let Some(c) = (i + 2..=hi).find(|&k| s.tokens[k].span.text(body) == ",") {
                hi = c.saturating_sub(1).max(i + 2);
            }
            let source = trimmed(s, body, i + 2, hi);
            // The content: the rest of the sentence on either side.
            let mut content = Vec::new();
            if i > 0 {
                content.extend(trimmed(s, body, 0, i - 1));
            }
            if hi + 1 < n {
                content.extend(trimmed(s, body, hi + 1, n - 1));
            }
            if content.is_empty() {
                continue;
            }
            out.push(Found {
                content,
                cue,
                lemma: "according to".into(),
                source,
                source_head: Some(s.tokens[x].span),
                sentence: si,
            });
            continue;
        }
        let Some(lemma) = cue_lemma(t, body) else { continue };
        let subj = subject_of(s, &ch, i);
        // The complement clause.
        let mut content = Vec::new();
        if let Some(&c) =
            ch[i].iter().find(|&&c| matches!(s.tokens[c].deprel.as_str(), "ccomp" | "csubj:pass" | "xcomp"))
        {
            let (lo, hi) = subtree(&ch, c);
            content.extend(trimmed(s, body, lo, hi));
            // One word ("say 'no'") is an object more than a report.
            if content.iter().map(|c| c.text(body).split_whitespace().count()).sum::<usize>() < 2 {
                content.clear();
            }
        } else if t.deprel == "parataxis" && t.head != 0 {
            // "…, he said(, …)": the clause the cue hangs from, minus the cue's own subtree.
            let h = t.head as usize - 1;
            let (hlo, hhi) = subtree(&ch, h);
            let (clo, chi) = subtree(&ch, i);
            if clo > hlo {
                content.extend(trimmed(s, body, hlo, clo - 1));
            }
            if chi < hhi {
                content.extend(trimmed(s, body, chi + 1, hhi));
            }
        }
        if content.is_empty() && SPEECH.contains(&lemma.as_str()) {
            content.extend(speech_fallback(s, &ch, body, i));
        }
        let mut cue = cue_span(s, &ch, i);
        let colon_last = s.tokens.last().is_some_and(|l| l.span.text(body) == ":");
        if colon_last && t.head == 0 {
            // "Cruz called them on it:" — the quotation after the colon is the content.
            content.clear();
        }
        if content.is_empty() && !colon_last && (EVAL_VERBS.contains(&lemma.as_str()) || t.upos == Upos::ADJ) {
            // The object, else a prepositional complement after the verb (the preposition joins
            // the cue). Speech verbs take no object ("asked him", "wrote a letter") but do take
            // the complement ("asked about", "wrote about").
            let speech = CUE_VERBS.contains(&lemma.as_str()) || t.upos == Upos::ADJ;
            if let Some(&o) =
                ch[i].iter().find(|&&c| !speech && matches!(s.tokens[c].deprel.as_str(), "obj" | "iobj") && c > i)
            {
                let (lo, hi) = subtree(&ch, o);
                content.extend(trimmed(s, body, lo, hi));
            } else if let Some(&o) = ch[i].iter().find(|&&c| {
                c > i
                    && s.tokens[c].deprel.starts_with("obl")
                    && ch[c].iter().any(|&k| {
                        s.tokens[k].deprel == "case"
                            && CONTENT_CASES.contains(&s.tokens[k].span.text(body).to_lowercase().as_str())
                    })
            }) {
                let (lo, hi) = subtree(&ch, o);
                let case = ch[o].iter().copied().find(|&k| s.tokens[k].deprel == "case").unwrap_or(lo);
                if case == lo && lo < hi {
                    cue = cue.cover(s.tokens[case].span);
                    content.extend(trimmed(s, body, lo + 1, hi));
                } else {
                    content.extend(trimmed(s, body, lo, hi));
                }
            }
        }
        if content.is_empty() {
            // "He said:" and the quotation follows; folded in with the direct quotations.
            let ends_colon =
                ch[i].iter().chain(std::iter::once(&i)).any(|&c| c + 1 < n && s.tokens[c + 1].span.text(body) == ":")
                    || s.tokens.last().is_some_and(|l| l.span.text(body) == ":");
            if !ends_colon {
                continue;
            }
        }
        // Only next to a closing mark ("…,” Adelson said") is a bare neighbour a speaker.
        let after_mark = (i.saturating_sub(4)..i).any(|k| is_quote_mark(s.tokens[k].span.text(body)));
        let adjacent =
            || if after_mark && CUE_VERBS.contains(&lemma.as_str()) { adjacent_name(s, body, i) } else { None };
        let (source, source_head) = match subj.or_else(adjacent) {
            Some((h, (lo, hi))) => (source_span(s, body, h, lo, hi), Some(s.tokens[h].span)),
            None => (None, None),
        };
        out.push(Found { content, cue, lemma, source, source_head, sentence: si });
    }
    headline(s, si, body, out);
    noun_cues(s, &ch, si, body, out);
}

/// Nouns of stance whose prepositional complement is the content ("Trump’s attacks on the
/// press", "support for the deal"); a possessor is the source.
const EVAL_NOUNS: &[&str] = &[
    "support",
    "question",
    "attack",
    "criticism",
    "opposition",
    "endorsement",
    "accusation",
    "call",
    "request",
    "view",
    "comment",
    "remark",
    "concern",
    "claim",
    "statement",
    "demand",
    "praise",
    "complaint",
    "warning",
    "allegation",
    "promise",
    "pledge",
    "plan",
    "proposal",
    "defense",
    "defence",
    "response",
    "reaction",
    "position",
    "stance",
    "argument",
    "belief",
    "opinion",
    "description",
    "characterization",
    "assessment",
];

fn noun_cues(s: &Sentence, ch: &[Vec<usize>], si: usize, body: &str, out: &mut Vec<Found>) {
    for (i, t) in s.tokens.iter().enumerate() {
        if t.upos != Upos::NOUN || !EVAL_NOUNS.contains(&t.lemma.to_lowercase().as_str()) {
            continue;
        }
        let Some(&o) = ch[i].iter().find(|&&c| {
            c > i
                && s.tokens[c].deprel.starts_with("nmod")
                && ch[c].first().is_some_and(|&k| {
                    s.tokens[k].deprel == "case"
                        && k < c
                        && CONTENT_CASES.contains(&s.tokens[k].span.text(body).to_lowercase().as_str())
                })
        }) else {
            continue;
        };
        let (lo, hi) = subtree(ch, o);
        let case = ch[o][0];
        if case != lo || lo >= hi {
            continue;
        }
        let Some(content) = trimmed(s, body, lo + 1, hi) else { continue };
        // Without a possessor the holder is somewhere else in the text: left out.
        let Some(poss) = ch[i].iter().copied().find(|&c| s.tokens[c].deprel == "nmod:poss") else { continue };
        let poss = Some(poss);
        let (source, source_head) = match poss {
            Some(p) => {
                let (plo, phi) = subtree(ch, p);
                // Without the possessive marker: "Trump’s" → "Trump".
                let phi = if phi > plo && s.tokens[phi].deprel == "case" { phi - 1 } else { phi };
                (trimmed(s, body, plo, phi), Some(s.tokens[p].span))
            }
            None => (None, None),
        };
        out.push(Found {
            content: vec![content],
            cue: t.span.cover(s.tokens[case].span),
            lemma: t.lemma.to_lowercase(),
            source,
            source_head,
            sentence: si,
        });
    }
}

/// The source: the subject's subtree, from after a dateline dash ("FLINT, Mich. (UPI) — Bill
/// Clinton").
fn source_span(s: &Sentence, body: &str, h: usize, mut lo: usize, hi: usize) -> Option<Span> {
    if let Some(d) = (lo..h).rev().find(|&k| matches!(s.tokens[k].span.text(body), "—" | "--" | "–")) {
        lo = d + 1;
    }
    trimmed(s, body, lo, hi)
}

/// Speech verbs whose content is the clause around them even when the parse missed it.
const SPEECH: &[&str] = &[
    "say",
    "tell",
    "write",
    "add",
    "argue",
    "claim",
    "note",
    "report",
    "suggest",
    "insist",
    "believe",
    "think",
    "warn",
    "explain",
    "acknowledge",
    "announce",
    "predict",
    "agree",
    "conclude",
    "find",
    "show",
    "state",
    "contend",
    "assert",
    "tweet",
    "recall",
    "admit",
    "concede",
    "hope",
    "fear",
    "know",
    "feel",
];

/// When the parser gave a speech verb no complement: the words after it to the end of the
/// sentence (`Rubio says the latest polls … are wrong`, past a hearer after `tell`), or, for a
/// verb closing the sentence after a comma (`…, a source said.`), the words before.
fn speech_fallback(s: &Sentence, ch: &[Vec<usize>], body: &str, i: usize) -> Option<Span> {
    let n = s.tokens.len();
    let (clo, chi) = subtree(ch, i);
    let words_after = (i + 1..n).filter(|&k| !is_punct(s, body, k)).count();
    let next_punct = i + 1 < n && is_punct(s, body, i + 1);
    if words_after >= 3 && !next_punct {
        let mut from = i + 1;
        while from < n
            && ch[i].contains(&from)
            && matches!(s.tokens[from].deprel.as_str(), "iobj" | "obj")
            && s.tokens[from].upos == Upos::PRON
        {
            from += 1;
        }
        let has_verb = (from..n).any(|k| matches!(s.tokens[k].upos, Upos::VERB | Upos::AUX));
        if has_verb {
            return trimmed(s, body, from, n - 1);
        }
    }
    let ends = (chi + 1..n).all(|k| is_punct(s, body, k));
    if ends && clo >= 3 && s.tokens[clo - 1].span.text(body) == "," {
        return trimmed(s, body, 0, clo - 1);
    }
    None
}

fn is_name(s: &Sentence, k: usize) -> bool {
    matches!(s.tokens[k].upos, Upos::PROPN | Upos::PRON)
}

/// A name or pronoun right before or after the cue when the parser gave it no subject
/// (`,” Adelson said`, `,” said Adelson`), as (head, token range).
fn adjacent_name(s: &Sentence, body: &str, i: usize) -> Option<(usize, (usize, usize))> {
    let run = |k: usize| {
        let (mut lo, mut hi) = (k, k);
        while lo > 0 && s.tokens[lo - 1].upos == Upos::PROPN && s.tokens[k].upos == Upos::PROPN {
            lo -= 1;
        }
        while hi + 1 < s.tokens.len() && s.tokens[hi + 1].upos == Upos::PROPN && s.tokens[k].upos == Upos::PROPN {
            hi += 1;
        }
        (k, (lo, hi))
    };
    if i > 0 && is_name(s, i - 1) {
        return Some(run(i - 1));
    }
    if i + 1 < s.tokens.len() && is_name(s, i + 1) && s.tokens[i + 1].span.text(body) != "I" {
        return Some(run(i + 1));
    }
    None
}

/// A headline or lead "Name: what they said" — a short run of names before a colon.
fn headline(s: &Sentence, si: usize, body: &str, out: &mut Vec<Found>) {
    let Some(c) = s.tokens.iter().take(7).position(|t| t.span.text(body) == ":") else { return };
    if c == 0 || c + 3 >= s.tokens.len() {
        return;
    }
    let before = &s.tokens[..c];
    let names = before.iter().filter(|t| t.span.text(body).starts_with(char::is_uppercase)).count();
    let fits = before.iter().all(|t| {
        matches!(t.upos, Upos::PROPN | Upos::PUNCT | Upos::PART) || t.span.text(body).starts_with(char::is_uppercase)
    });
    if names == 0 || !fits || out.iter().any(|f| f.sentence == si && f.cue.start < s.tokens[c].span.start) {
        return;
    }
    let Some(content) = trimmed(s, body, c + 1, s.tokens.len() - 1) else { return };
    let Some(source) = trimmed(s, body, 0, c - 1) else { return };
    let head = (0..c).rev().find(|&k| s.tokens[k].span.text(body).starts_with(char::is_uppercase)).unwrap_or(0);
    out.push(Found {
        content: vec![content],
        cue: s.tokens[c].span,
        lemma: ":".into(),
        source: Some(source),
        source_head: Some(s.tokens[head].span),
        sentence: si,
    });
}

/// The actor at the source's head token, else any actor inside the source.
fn actor_for(actors: &[Actor], head: Option<Span>, source: Option<Span>) -> Option<usize> {
    head.and_then(|h| actors.iter().position(|a| a.span.overlaps(h)))
        .or_else(|| source.and_then(|s| actors.iter().position(|a| s.contains(a.span))))
}

fn word_count(body: &str, spans: &[Span]) -> usize {
    spans.iter().map(|s| s.text(body).split_whitespace().count()).sum()
}

/// Words of `content` outside the quotations `qs` (punctuation and "that" not counted).
fn words_outside(body: &str, content: &[Span], qs: &[&Marked]) -> usize {
    let mut n = 0;
    for c in content {
        let mut pos = c.start;
        let mut pieces = Vec::new();
        for q in qs {
            if q.outer.start > pos && q.outer.start <= c.end {
                pieces.push(Span::new(pos, q.outer.start));
            }
            pos = pos.max(q.outer.end);
        }
        if pos < c.end {
            pieces.push(Span::new(pos, c.end));
        }
        for p in pieces {
            n += p
                .text(body)
                .split(|ch: char| !ch.is_alphanumeric())
                .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("that"))
                .count();
        }
    }
    n
}

/// Quotations of this many words or fewer without a cue are taken for scare quotes or titles.
const SHORT_QUOTE: usize = 3;

/// How many tokens from a quote mark a cue may stand in the fallback.
const CUE_WINDOW: usize = 6;

/// Every attribution of the article, in body order.
pub fn attributions(article: &Article, doc: &AnnotatedDocument, actors: &[Actor]) -> Vec<Attribution> {
    let body = &article.body;
    let marked = direct_quotes(body, &article.blocks);
    let mut found = Vec::new();
    for (si, s) in doc.sentences.iter().enumerate() {
        in_sentence(s, si, body, &mut found);
    }
    let mut claimed = vec![false; marked.len()];
    let mut out: Vec<Attribution> = Vec::new();
    for f in found {
        // A cue inside a quotation is the speaker's own words ("I think …"), not the quotation's.
        if marked.iter().any(|m| m.inner.contains(f.cue)) {
            continue;
        }
        // Quotations the content touches, or the one right after a colon-introduced cue.
        let mut qs: Vec<usize> = (0..marked.len())
            .filter(|&k| f.content.iter().any(|c| c.overlaps(marked[k].outer)) && !marked[k].outer.contains(f.cue))
            .collect();
        if f.content.is_empty() {
            let sent_end = doc.sentences[f.sentence].span.end;
            if let Some(k) = (0..marked.len()).find(|&k| {
                marked[k].outer.start >= sent_end
                    && body.get(sent_end..marked[k].outer.start).is_some_and(|g| g.trim().is_empty())
            }) {
                qs.push(k);
            }
        }
        let qrefs: Vec<&Marked> = qs.iter().map(|&k| &marked[k]).collect();
        // A quotation closing on a comma ends the content there: what follows ("…,” indicating
        // a …) is the writer's, however the parser attached it.
        let mut f = f;
        if let Some(last) = qrefs.last().filter(|q| q.outer.start > f.cue.end) {
            let after = body.get(last.outer.end..).unwrap_or_default().trim_start();
            if last.inner.text(body).trim_end().ends_with(',') || after.starts_with(',') {
                let cut = last.outer.end;
                f.content.retain(|c| c.start < cut);
                for c in &mut f.content {
                    c.end = c.end.min(cut);
                }
            }
        }
        let (kind, content, text, closed) = if qrefs.is_empty() {
            if f.content.is_empty() {
                continue;
            }
            let first = f.content[0];
            let t = first.text(body);
            let text = match t.split_once(char::is_whitespace) {
                Some((w, rest)) if w.eq_ignore_ascii_case("that") => {
                    Span::new(first.end - rest.trim_start().len(), f.content.last().map_or(first.end, |l| l.end))
                }
                _ => Span::new(first.start, f.content.last().map_or(first.end, |l| l.end)),
            };
            (QuoteKind::Indirect, f.content.clone(), text, true)
        } else {
            let outside = words_outside(body, &f.content, &qrefs);
            let q0 = qrefs[0];
            let ql = qrefs[qrefs.len() - 1];
            let closed = qrefs.iter().all(|q| q.closed);
            let short = qrefs.iter().all(|q| q.inner.text(body).split_whitespace().count() <= SHORT_QUOTE);
            if (outside >= 2 || short) && !f.content.is_empty() {
                // Mixed: the clause, stretched over the quotations it touches.
                let start = f.content[0].start.min(q0.outer.start);
                let end = f.content.last().map_or(ql.outer.end, |l| l.end).max(ql.outer.end);
                let sp = Span::new(start, end);
                (QuoteKind::Mixed, vec![sp], sp, closed)
            } else {
                let content: Vec<Span> = qrefs.iter().map(|q| q.outer).collect();
                (QuoteKind::Direct, content, Span::new(q0.inner.start, ql.inner.end), closed)
            }
        };
        for &k in &qs {
            claimed[k] = true;
        }
        if word_count(body, &content) == 0 {
            continue;
        }
        let source = f.source;
        out.push(Attribution {
            kind,
            content,
            text,
            cue: Some(f.cue),
            cue_lemma: Some(f.lemma),
            source,
            actor: source.and_then(|sp| actor_for(actors, f.source_head, Some(sp))),
            sentence: f.sentence,
            closed,
        });
    }
    for (k, m) in marked.iter().enumerate() {
        if claimed[k] || out.iter().any(|a| a.content.iter().any(|c| c.overlaps(m.outer))) {
            continue;
        }
        let mut a = fallback(article, doc, actors, m);
        if a.cue.is_none() {
            // No cue: a quotation right after an attributed one, in the same paragraph or the
            // next, continues it ("“…,” he said. “…”"); a short one is a scare quote or a title.
            let prev = out
                .iter()
                .filter(|p| p.cue.is_some() && p.content[0].end <= m.outer.start)
                .max_by_key(|p| p.content[0].end);
            let near = prev.filter(|p| {
                let gap = body.get(p.content.last().map_or(0, |c| c.end)..m.outer.start).unwrap_or_default();
                gap.matches("\n\n").count() <= 1 && gap.split_whitespace().count() <= 12
            });
            if let Some(p) = near {
                a.cue = p.cue;
                a.cue_lemma = p.cue_lemma.clone();
                a.source = p.source;
                a.actor = p.actor;
            } else if m.inner.text(body).split_whitespace().count() <= SHORT_QUOTE {
                continue;
            }
        }
        out.push(a);
    }
    out.sort_by_key(|a| (a.content[0].start, a.cue.map(|c| c.start)));
    // One cue, one attribution: the pieces of a quotation split around its cue
    // ("“…,” she said, “…”") and the quoted words of a mixed one are fragments of one content.
    let mut merged: Vec<Attribution> = Vec::with_capacity(out.len());
    for a in out {
        let same_cue = |m: &Attribution| m.cue.is_some_and(|c| a.cue.is_some_and(|d| c.overlaps(d)));
        match merged.iter_mut().find(|m| same_cue(m)) {
            Some(m) => {
                for c in a.content {
                    if !m.content.iter().any(|x| x.contains(c)) {
                        m.content.retain(|x| !c.contains(*x));
                        m.content.push(c);
                    }
                }
                m.content.sort_by_key(|c| c.start);
                m.text = m.text.cover(a.text);
                if m.source.is_none() {
                    m.source = a.source;
                    m.actor = a.actor;
                }
                if m.kind != a.kind {
                    m.kind = QuoteKind::Mixed;
                }
            }
            None => merged.push(a),
        }
    }
    let mut out = merged;
    // An attribution whose cue and content lie inside another's content is reported speech
    // within reported speech; the outer one is kept ("He said the party thinks …").
    {
        let keep: Vec<bool> = out
            .iter()
            .map(|a| {
                !out.iter().any(|b| {
                    !std::ptr::eq(a, b)
                        && a.cue.is_some_and(|c| b.content.iter().any(|bc| bc.contains(c)))
                        && a.content.iter().all(|ac| b.content.iter().any(|bc| bc.contains(*ac)))
                })
            })
            .collect();
        let mut k = keep.into_iter();
        out.retain(|_| k.next().unwrap_or(true));
    }
    out
}

/// A direct quotation with no parse-found cue: a cue within a few tokens of its marks, with the
/// speaker next to it; else the speaker stays unknown.
fn fallback(article: &Article, doc: &AnnotatedDocument, actors: &[Actor], m: &Marked) -> Attribution {
    let body = &article.body;
    let sentence = doc.sentence_at(m.outer.start).unwrap_or(0);
    let mut a = Attribution {
        kind: QuoteKind::Direct,
        content: vec![m.outer],
        text: m.inner,
        cue: None,
        cue_lemma: None,
        source: None,
        actor: None,
        sentence,
        closed: m.closed,
    };
    let toks: Vec<(usize, usize)> =
        doc.sentences.iter().enumerate().flat_map(|(si, s)| (0..s.tokens.len()).map(move |k| (si, k))).collect();
    let tok = |x: (usize, usize)| &doc.sentences[x.0].tokens[x.1];
    let block = article.block_at(m.outer.start).map(|b| b.span).unwrap_or(m.outer);
    let after = toks.partition_point(|&x| tok(x).span.start < m.outer.end);
    let before = toks.partition_point(|&x| tok(x).span.end <= m.outer.start);
    let near = |k: usize| -> Option<usize> {
        let t = tok(toks[k]);
        let f = t.span.text(body);
        (cue_lemma(t, body).is_some() || f.eq_ignore_ascii_case("according")).then_some(k)
    };
    let mut cue = None;
    // After a full stop inside the marks the next words start a new sentence, not a cue.
    let skip_after = if m.inner.text(body).trim_end().ends_with('.') { CUE_WINDOW } else { 0 };
    for (k, &x) in toks.iter().enumerate().skip(after + skip_after).take(CUE_WINDOW - skip_after) {
        let t = tok(x);
        if t.span.start > block.end || t.span.text(body) == "." {
            break;
        }
        if let Some(c) = near(k) {
            cue = Some(c);
            break;
        }
    }
    if cue.is_none() {
        for k in (before.saturating_sub(CUE_WINDOW)..before).rev() {
            let t = tok(toks[k]);
            if t.span.start < block.start || matches!(t.span.text(body), "." | "”") {
                break;
            }
            if let Some(c) = near(k) {
                cue = Some(c);
                break;
            }
        }
    }
    let Some(c) = cue else { return a };
    let (si, ci) = toks[c];
    let s = &doc.sentences[si];
    let ch = children(s);
    a.cue = Some(s.tokens[ci].span);
    a.cue_lemma = cue_lemma(&s.tokens[ci], body).or_else(|| Some("according to".into()));
    a.sentence = si;
    // The cue's subject; for a participle with none ("…, stating, “…”"), the sentence's.
    let subject = subject_of(s, &ch, ci).or_else(|| {
        let root = s.tokens.iter().position(|t| t.head == 0)?;
        subject_of(s, &ch, root).filter(|&(h, _)| h < ci)
    });
    if let Some((h, (lo, hi))) = subject {
        // A subject inside the quotation is no speaker.
        let src = trimmed(s, body, lo, hi).filter(|sp| !sp.overlaps(m.outer));
        if let Some(src) = src {
            a.source = Some(src);
            a.actor = actor_for(actors, Some(s.tokens[h].span), Some(src));
        }
    } else if let Some(x) = actors.iter().position(|x| {
        x.sentence == si && !x.span.overlaps(m.outer) && x.tokens.0.abs_diff(ci) <= 3 && x.tokens.1.abs_diff(ci) <= 3
    }) {
        a.source = Some(actors[x].span);
        a.actor = Some(x);
    }
    a
}
