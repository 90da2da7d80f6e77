//! Synthetic data: coded documents for store tests and benchmarks ([`Synth`]), and plain news
//! texts that the real pipeline codes ([`news_text`]). Both are pure functions of a seed and an
//! index, so any document can be made again alone.

use chrono::NaiveDate;
use dyad_model::{
    Actor, ActorVia, Article, CodedDocument, DocId, EntityLabel, EntityMention, Event, EventActor, EventId, Mode,
    QuadClass, Quote, QuoteId, QuoteKind, Span, Tone,
};

/// (code, country, name as written, canonical name, weight).
const ACTORS: &[(&str, &str, &str, Option<&str>, u32)] = &[
    ("USAGOV", "USA", "President Joe Biden", Some("Joe Biden"), 10),
    ("USA", "USA", "the United States", None, 10),
    ("USAMIL", "USA", "the Pentagon", None, 3),
    ("PRKGOV", "PRK", "Kim Jong Un", Some("Kim Jong Un"), 4),
    ("PRK", "PRK", "North Korea", None, 4),
    ("CHNGOV", "CHN", "President Xi Jinping", Some("Xi Jinping"), 8),
    ("CHN", "CHN", "China", None, 6),
    ("RUSGOV", "RUS", "President Vladimir Putin", Some("Vladimir Putin"), 7),
    ("RUS", "RUS", "Russia", None, 5),
    ("JPNGOV", "JPN", "the Japanese government", None, 4),
    ("KORGOV", "KOR", "Seoul", None, 4),
    ("FRAGOV", "FRA", "President Emmanuel Macron", Some("Emmanuel Macron"), 3),
    ("DEUGOV", "DEU", "the German chancellor", None, 3),
    ("GBRGOV", "GBR", "London", None, 3),
    ("UKRGOV", "UKR", "Kyiv", None, 4),
    ("IRNGOV", "IRN", "Tehran", None, 3),
    ("ISRGOV", "ISR", "Israel", None, 3),
    ("INDGOV", "IND", "New Delhi", None, 2),
    ("TURGOV", "TUR", "Ankara", None, 2),
    ("BRAGOV", "BRA", "Brasilia", None, 1),
    ("IGOUNO", "", "the United Nations", None, 3),
    ("IGOEUREEC", "", "the European Union", None, 3),
];

/// (CAMEO code, Goldstein, PLOVER type, verb as written).
const CODES: &[(&str, f32, &str, &str)] = &[
    ("040", 1.0, "CONSULT", "met"),
    ("042", 1.9, "CONSULT", "visited"),
    ("043", 2.8, "CONSULT", "hosted"),
    ("046", 7.0, "CONSULT", "negotiated with"),
    ("051", 3.4, "COOPERATE", "praised"),
    ("057", 8.0, "AGREE", "signed an accord with"),
    ("070", 7.0, "AID", "sent aid to"),
    ("111", -2.0, "ACCUSE", "criticized"),
    ("112", -2.0, "ACCUSE", "accused"),
    ("120", -4.0, "REJECT", "rejected a proposal by"),
    ("130", -4.4, "THREATEN", "warned"),
    ("163", -8.0, "SANCTION", "imposed sanctions on"),
];

const TOPICS: &[&str] = &[
    "nuclear weapons",
    "missile tests",
    "trade tariffs",
    "energy prices",
    "border security",
    "climate finance",
    "grain exports",
    "cyber attacks",
    "refugee flows",
    "semiconductor supplies",
    "maritime disputes",
    "humanitarian corridors",
];

const OUTLETS: &[&str] = &[
    "reuters.example",
    "apnews.example",
    "bbc.example",
    "aljazeera.example",
    "dw.example",
    "nhk.example",
    "yonhap.example",
    "france24.example",
    "cnn.example",
    "scmp.example",
    "tass.example",
    "hindustantimes.example",
];

/// A small deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    fn weighted(&mut self, weights: impl Iterator<Item = u32> + Clone) -> usize {
        let total: u32 = weights.clone().sum();
        let mut x = (self.next_u64() % total.max(1) as u64) as u32;
        for (i, w) in weights.enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        0
    }
}

/// Synthetic coded documents: `documents` articles spread evenly over `days` days from
/// `start`, each reporting `events_per_doc` events drawn from that day's pool of happenings,
/// so several outlets report the same event and mentions roll up.
#[derive(Debug, Clone)]
pub struct Synth {
    pub seed: u64,
    pub documents: usize,
    pub events_per_doc: usize,
    pub start: NaiveDate,
    pub days: u32,
    /// Happenings per day that documents draw their events from.
    pub pool: usize,
}

impl Synth {
    /// `events` events in total over ten years (2015–2024), ten per document.
    pub fn with_events(events: usize) -> Synth {
        Synth {
            seed: 1,
            documents: events.div_ceil(10),
            events_per_doc: 10,
            start: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default(),
            days: 3653,
            pool: 60,
        }
    }

    pub fn date_of(&self, k: usize) -> NaiveDate {
        let per_day = (self.documents as f64 / self.days.max(1) as f64).max(1e-9);
        let day = ((k as f64 / per_day) as u32).min(self.days.saturating_sub(1));
        self.start + chrono::Duration::days(day as i64)
    }

    /// Happening `j` of `day`: (source, target, code) indices.
    fn happening(&self, day: NaiveDate, j: usize) -> (usize, usize, usize) {
        let d = (day - self.start).num_days() as u64;
        let mut r = Rng::new(self.seed.wrapping_mul(31) ^ (d << 20) ^ j as u64);
        let w = ACTORS.iter().map(|a| a.4);
        let s = r.weighted(w.clone());
        let mut t = r.weighted(w);
        if ACTORS[t].1 == ACTORS[s].1 && !ACTORS[s].1.is_empty() {
            t = (t + 3) % ACTORS.len();
        }
        (s, t, r.below(CODES.len()))
    }

    /// Document `k` (`k < documents`).
    pub fn document(&self, k: usize) -> CodedDocument {
        let mut r = Rng::new(self.seed.wrapping_mul(1_000_003) ^ k as u64);
        let date = self.date_of(k);
        let outlet = OUTLETS[r.below(OUTLETS.len())];
        let url = format!("https://{outlet}/world/{}/{k}", date.format("%Y/%m/%d"));
        let mut body = String::new();
        let mut sentences = Vec::new();
        let mut actors = Vec::new();
        let mut events = Vec::new();
        let id = DocId::from_url(&url);
        for i in 0..self.events_per_doc {
            let (s, t, c) = self.happening(date, r.below(self.pool.max(1)));
            let topic = TOPICS[r.below(TOPICS.len())];
            if !body.is_empty() {
                body.push(' ');
            }
            let start = body.len();
            let (sa, ta, code) = (ACTORS[s], ACTORS[t], CODES[c]);
            let mut cap = sa.2.to_string();
            if let Some(f) = cap.get_mut(0..1) {
                f.make_ascii_uppercase();
            }
            body.push_str(&cap);
            let s_span = Span::new(start, body.len());
            body.push(' ');
            let v_start = body.len();
            body.push_str(code.3);
            let v_span = Span::new(v_start, body.len());
            body.push(' ');
            let t_start = body.len();
            body.push_str(ta.2);
            let t_span = Span::new(t_start, body.len());
            body.push_str(&format!(" over {topic} on {}.", date.format("%A")));
            let sent = Span::new(start, body.len());
            sentences.push(sent);
            let actor = |a: (&str, &str, &str, Option<&str>, u32), span: Span, n: usize| Actor {
                code: a.0.to_string(),
                country: (!a.1.is_empty()).then(|| a.1.to_string()),
                role: a.0.get(3..).filter(|r| !r.is_empty() && !a.1.is_empty()).map(str::to_string),
                name: a.3.map(str::to_string),
                text: span.text(&body).to_string(),
                span,
                sentence: i,
                tokens: (n, n + 1),
                via: ActorVia::Dictionary,
                entry: Some(format!("synth:{}", a.0)),
            };
            let (sx, tx) = (actor(sa, s_span, 0), actor(ta, t_span, 3));
            let cameo = code.0.to_string();
            let root_n: u8 = cameo[..2].parse().unwrap_or(1);
            let tone = (r.below(2001) as f32 - 1000.0) / 100.0;
            events.push(Event {
                id: EventId::derive(id, i, &sx.code, &tx.code, &cameo, (sent.start, sent.end)),
                source: EventActor::from(&sx),
                target: Some(EventActor::from(&tx)),
                base: cameo.clone(),
                root: cameo[..2].to_string(),
                cameo,
                goldstein: code.1,
                quad_class: QuadClass::of_root(root_n).unwrap_or(QuadClass::VerbalCooperation),
                plover: Some(code.2.to_string()),
                plover_mode: None,
                plover_context: vec![],
                mode: Mode::Fact,
                date: Some(date),
                date_text: None,
                reported: Some(date),
                historical: false,
                sentence: i,
                evidence: sent,
                trigger: v_span,
                rule: "synth".into(),
                confidence: 0.8,
                tone: Some(tone),
            });
            actors.push(sx);
            actors.push(tx);
        }
        // One quotation per document, by the first event's source.
        let speaker = ACTORS[self.happening(date, 0).0];
        let topic = TOPICS[r.below(TOPICS.len())];
        let other = ACTORS[r.below(ACTORS.len())];
        body.push(' ');
        let q_sent_start = body.len();
        body.push('"');
        let c_start = body.len();
        body.push_str(&format!("We will not accept threats over {topic} from {}", other.2));
        let content = Span::new(c_start, body.len());
        body.push_str("\", said ");
        let sp_start = body.len();
        body.push_str(speaker.3.unwrap_or(speaker.2));
        let sp = Span::new(sp_start, body.len());
        body.push('.');
        sentences.push(Span::new(q_sent_start, body.len()));
        let o_start = content.start + content.text(&body).rfind(other.2).unwrap_or(0);
        let o_span = Span::new(o_start, o_start + other.2.len());
        actors.push(Actor {
            code: other.0.into(),
            country: (!other.1.is_empty()).then(|| other.1.to_string()),
            role: None,
            name: other.3.map(str::to_string),
            text: other.2.into(),
            span: o_span,
            sentence: sentences.len() - 1,
            tokens: (8, 9),
            via: ActorVia::Dictionary,
            entry: Some(format!("synth:{}", other.0)),
        });
        let quote = Quote {
            id: QuoteId::derive(id, (content.start, content.end)),
            kind: QuoteKind::Direct,
            text: content.text(&body).to_string(),
            content,
            cue: None,
            cue_lemma: Some("say".into()),
            speaker: Some(sp),
            speaker_text: Some(sp.text(&body).to_string()),
            speaker_name: speaker.3.map(str::to_string),
            speaker_code: Some(speaker.0.to_string()),
            sentence: sentences.len() - 1,
            tone: Some(-2.5),
            confidence: 0.9,
        };
        let mut article = Article::from_text(format!("synth/{k}"), body);
        article.id = id;
        article.url = Some(url);
        article.outlet = Some(outlet.to_string());
        article.title = Some(format!("{} and {}", ACTORS[events.len() % ACTORS.len()].2, topic));
        article.date = Some(date);
        let entities = vec![EntityMention {
            label: EntityLabel::PER,
            name: speaker.3.unwrap_or(speaker.2).to_string(),
            code: Some(speaker.0.to_string()),
            spans: vec![sp],
        }];
        CodedDocument {
            article,
            date: Some(date),
            sentence_tones: vec![0.0; sentences.len()],
            sentences,
            actors,
            events,
            quotes: vec![quote],
            entities,
            tone: Tone { tone: -1.25, word_count: 100, ..Tone::default() },
            notes: vec![],
            pipeline: "dyad synth".into(),
        }
    }
}

/// People the pipeline's dictionaries know, with a country adjective, for [`news_text`].
const PEOPLE: &[&str] = &[
    "President Joe Biden",
    "Chinese President Xi Jinping",
    "Russian President Vladimir Putin",
    "French President Emmanuel Macron",
    "North Korean leader Kim Jong Un",
    "German Chancellor Olaf Scholz",
    "Japanese Prime Minister Fumio Kishida",
];
const PLACES: &[&str] = &["Beijing", "Paris", "Tokyo", "Berlin", "Moscow", "Seoul", "Geneva"];
const VERBS: &[&str] = &["met", "criticized", "accused", "praised", "warned", "visited", "hosted", "threatened"];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/// A short plain-text news item, different for each `k`, built from templates with actors the
/// built-in dictionaries know ("President Joe Biden met Chinese President Xi Jinping in Beijing
/// on Tuesday.").
pub fn news_text(seed: u64, k: usize) -> String {
    let mut r = Rng::new(seed ^ (k as u64).wrapping_mul(0x5851_f42d_4c95_7f2d));
    let pick = |r: &mut Rng, xs: &[&'static str]| xs[r.below(xs.len())];
    let a = pick(&mut r, PEOPLE);
    let mut b = pick(&mut r, PEOPLE);
    if a == b {
        b = PEOPLE[(PEOPLE.iter().position(|p| *p == a).unwrap_or(0) + 1) % PEOPLE.len()];
    }
    let topic = pick(&mut r, TOPICS);
    let mut s =
        format!("Item {k}: {a} {} {b} in {} on {}.\n\n", pick(&mut r, VERBS), pick(&mut r, PLACES), pick(&mut r, DAYS));
    s.push_str(&format!("The two sides discussed {topic} and {}, officials said.\n\n", pick(&mut r, TOPICS)));
    s.push_str(&format!("\"We are ready to talk about {topic},\" {b} said after the meeting.\n\n"));
    if r.below(2) == 0 {
        s.push_str(&format!("{} later {} {a}.\n", pick(&mut r, PEOPLE), pick(&mut r, VERBS)));
    }
    s
}
