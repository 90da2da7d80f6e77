//! The record of a mention: what a reported event holds beyond the columns of its mention row
//! and the key of its event row, as short JSON (about a third of the whole event's JSON).
//!
//! Schema 2 stored the whole [`Event`] as JSON in `mentions.record`; such rows are still read
//! (a record is tried as the short form first, then as a whole event).

use dyad_model::{Event, EventActor, EventId, Mode, QuadClass, Span};
use serde::{Deserialize, Serialize};

/// One side of the event: everything of [`EventActor`] but its code, which is part of the
/// event's key (`events.source_code` / `target_code`): country, role, name, text, start, end.
type Side = (Option<String>, Option<String>, Option<String>, String, usize, usize);

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Short {
    s: Side,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t: Option<Side>,
    b: String,
    r: String,
    g: f32,
    q: QuadClass,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pm: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pc: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    d: Option<chrono::NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rp: Option<chrono::NaiveDate>,
    #[serde(default, skip_serializing_if = "is_false")]
    h: bool,
    tr: (usize, usize),
}

fn side(a: &EventActor) -> Side {
    (a.country.clone(), a.role.clone(), a.name.clone(), a.text.clone(), a.span.start, a.span.end)
}

fn actor(code: String, s: Side) -> EventActor {
    let (country, role, name, text, start, end) = s;
    EventActor { code, country, role, name, text, span: Span { start, end } }
}

/// The record stored beside the columns of a mention of `e`.
pub(crate) fn record_of(e: &Event) -> Result<String, serde_json::Error> {
    serde_json::to_string(&Short {
        s: side(&e.source),
        t: e.target.as_ref().map(side),
        b: e.base.clone(),
        r: e.root.clone(),
        g: e.goldstein,
        q: e.quad_class,
        p: e.plover.clone(),
        pm: e.plover_mode.clone(),
        pc: e.plover_context.clone(),
        d: e.date,
        dt: e.date_text.clone(),
        rp: e.reported,
        h: e.historical,
        tr: (e.trigger.start, e.trigger.end),
    })
}

pub(crate) fn mode_of(s: &str) -> Mode {
    match s {
        "negated" => Mode::Negated,
        "future" => Mode::Future,
        "hypothetical" => Mode::Hypothetical,
        _ => Mode::Fact,
    }
}

/// The columns a mention's event is rebuilt from, besides its record.
pub(crate) struct Columns {
    pub id: i64,
    pub sentence: i64,
    pub start: i64,
    pub end: i64,
    pub mode: String,
    pub confidence: f64,
    pub tone: Option<f64>,
    pub rule: String,
    /// Of the event row.
    pub source_code: String,
    pub target_code: String,
    pub cameo: String,
}

/// The reported event of a mention, as it was given to the store.
pub(crate) fn event_of(record: &str, c: Columns) -> Result<Event, serde_json::Error> {
    let s: Short = match serde_json::from_str(record) {
        Ok(s) => s,
        // A whole event, as schema 2 stored it.
        Err(_) => return serde_json::from_str(record),
    };
    Ok(Event {
        id: EventId::from_i64(c.id),
        source: actor(c.source_code, s.s),
        target: s.t.map(|t| actor(c.target_code, t)),
        cameo: c.cameo,
        base: s.b,
        root: s.r,
        goldstein: s.g,
        quad_class: s.q,
        plover: s.p,
        plover_mode: s.pm,
        plover_context: s.pc,
        mode: mode_of(&c.mode),
        date: s.d,
        date_text: s.dt,
        reported: s.rp,
        historical: s.h,
        sentence: c.sentence.max(0) as usize,
        evidence: Span { start: c.start.max(0) as usize, end: c.end.max(0) as usize },
        trigger: Span { start: s.tr.0, end: s.tr.1 },
        rule: c.rule,
        confidence: c.confidence as f32,
        tone: c.tone.map(|t| t as f32),
    })
}
