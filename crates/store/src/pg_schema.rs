//! The PostgreSQL schema: the tables of SQLite schema 2 ([`crate::schema::V2`]) with the same
//! columns, keys and meaning, in PostgreSQL's dialect (`BIGINT` for SQLite's `INTEGER`,
//! `DOUBLE PRECISION` for `REAL`, `"end"` quoted because it is a keyword there). Full-text
//! search is not part of it yet: queries that need it read a snapshot (see `pg.rs`).
//!
//! Versions are kept in `dyad_schema`; [`MIGRATIONS`]`[i]` takes a store from version `i` to
//! `i + 1`, inside one transaction under an advisory lock, so workers starting together
//! migrate once.

pub const MIGRATIONS: &[&str] = &[V1];

const V1: &str = r#"
CREATE TABLE documents (
    id BIGINT PRIMARY KEY,
    seq BIGINT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    url TEXT,
    outlet TEXT NOT NULL,
    title TEXT,
    date TEXT,
    story BIGINT NOT NULL,
    fingerprint BIGINT NOT NULL,
    chars BIGINT NOT NULL,
    tone DOUBLE PRECISION NOT NULL,
    body TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX documents_date ON documents(date);

CREATE TABLE stories (
    id BIGINT PRIMARY KEY,
    first_doc BIGINT NOT NULL,
    first_date TEXT,
    fingerprint BIGINT NOT NULL
);
CREATE TABLE story_bands (
    band BIGINT NOT NULL,
    story BIGINT NOT NULL,
    PRIMARY KEY (band, story)
);

CREATE TABLE evidence (
    id BIGINT PRIMARY KEY,
    doc BIGINT NOT NULL REFERENCES documents(id),
    sentence BIGINT NOT NULL,
    start BIGINT NOT NULL,
    "end" BIGINT NOT NULL
);

CREATE TABLE events (
    id BIGINT PRIMARY KEY,
    source_code TEXT NOT NULL,
    source_country TEXT,
    source_role TEXT,
    source_name TEXT,
    src3 TEXT NOT NULL,
    target_code TEXT NOT NULL,
    target_country TEXT,
    target_role TEXT,
    target_name TEXT,
    tgt3 TEXT NOT NULL,
    odd BIGINT NOT NULL,
    cameo TEXT NOT NULL,
    base TEXT NOT NULL,
    root TEXT NOT NULL,
    quad_class BIGINT NOT NULL,
    goldstein DOUBLE PRECISION NOT NULL,
    plover TEXT,
    plover_context TEXT NOT NULL,
    date TEXT,
    day TEXT,
    first_doc BIGINT NOT NULL REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    first_mention BIGINT NOT NULL,
    num_mentions BIGINT NOT NULL,
    num_sources BIGINT NOT NULL,
    num_articles BIGINT NOT NULL,
    tone_sum DOUBLE PRECISION NOT NULL,
    tone_n BIGINT NOT NULL
);
CREATE INDEX events_pair ON events(src3, tgt3, date);
CREATE INDEX events_by_date ON events(date);

CREATE TABLE mentions (
    rid BIGINT PRIMARY KEY,
    id BIGINT NOT NULL,
    event BIGINT NOT NULL REFERENCES events(id),
    doc BIGINT NOT NULL REFERENCES documents(id),
    ord BIGINT NOT NULL,
    sentence BIGINT NOT NULL,
    evidence BIGINT NOT NULL REFERENCES evidence(id),
    start BIGINT NOT NULL,
    "end" BIGINT NOT NULL,
    source_char BIGINT NOT NULL,
    target_char BIGINT,
    action_char BIGINT NOT NULL,
    outlet TEXT NOT NULL,
    mode TEXT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL,
    tone DOUBLE PRECISION,
    rule TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX mentions_event ON mentions(event, outlet);
CREATE INDEX mentions_doc ON mentions(doc);

CREATE TABLE quotes (
    id BIGINT PRIMARY KEY,
    doc BIGINT NOT NULL REFERENCES documents(id),
    ord BIGINT NOT NULL,
    sentence BIGINT NOT NULL,
    kind TEXT NOT NULL,
    start BIGINT NOT NULL,
    "end" BIGINT NOT NULL,
    text TEXT NOT NULL,
    speaker_code TEXT,
    speaker_name TEXT,
    speaker_text TEXT,
    cue TEXT,
    tone DOUBLE PRECISION,
    confidence DOUBLE PRECISION NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX quotes_speaker ON quotes(speaker_code);
CREATE INDEX quotes_doc ON quotes(doc, ord);
CREATE TABLE quote_actors (
    quote BIGINT NOT NULL REFERENCES quotes(id),
    code TEXT NOT NULL,
    PRIMARY KEY (quote, code)
);
CREATE INDEX quote_actors_code ON quote_actors(code);

CREATE TABLE entities (
    doc BIGINT NOT NULL REFERENCES documents(id),
    ord BIGINT NOT NULL,
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    code TEXT,
    spans TEXT NOT NULL,
    PRIMARY KEY (doc, ord)
);
CREATE INDEX entities_name ON entities(name);

CREATE TABLE actors (
    doc BIGINT NOT NULL REFERENCES documents(id),
    ord BIGINT NOT NULL,
    code TEXT NOT NULL,
    country TEXT,
    role TEXT,
    name TEXT,
    text TEXT NOT NULL,
    sentence BIGINT NOT NULL,
    start BIGINT NOT NULL,
    "end" BIGINT NOT NULL,
    tok_start BIGINT NOT NULL,
    tok_end BIGINT NOT NULL,
    via TEXT NOT NULL,
    entry TEXT,
    PRIMARY KEY (doc, ord)
);
CREATE INDEX actors_code ON actors(code);
"#;
