//! The SQL of each schema version. Version 1 is kept verbatim so that old stores can be
//! recognised and migrated; a new store is created at the current version directly.

/// Schema 1 (the foundation): one JSON-bearing row per document, per reported event, per quote.
/// Only the tests create it now; it documents what [`V1_ASIDE`] moves.
#[cfg_attr(not(test), allow(dead_code))]
pub const V1: &str = r#"
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT,
    title TEXT,
    date TEXT,
    body TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    source_code TEXT NOT NULL,
    target_code TEXT,
    cameo TEXT NOT NULL,
    root TEXT NOT NULL,
    goldstein REAL NOT NULL,
    quad_class INTEGER NOT NULL,
    date TEXT,
    record TEXT NOT NULL
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_source ON events(source_code);
CREATE INDEX events_target ON events(target_code);
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    speaker_code TEXT,
    text TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE TABLE actors (
    doc INTEGER NOT NULL REFERENCES documents(id),
    code TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    PRIMARY KEY (doc, start, end, code)
);
CREATE INDEX actors_code ON actors(code);
"#;

/// Moves the tables of schema 1 aside before schema 2 is created (index names are global).
pub const V1_ASIDE: &str = r#"
DROP INDEX IF EXISTS events_date;
DROP INDEX IF EXISTS events_source;
DROP INDEX IF EXISTS events_target;
DROP INDEX IF EXISTS actors_code;
ALTER TABLE actors RENAME TO v1_actors;
ALTER TABLE quotes RENAME TO v1_quotes;
ALTER TABLE events RENAME TO v1_events;
ALTER TABLE documents RENAME TO v1_documents;
"#;

pub const V1_DROP: &str = r#"
DROP TABLE v1_actors;
DROP TABLE v1_quotes;
DROP TABLE v1_events;
DROP TABLE v1_documents;
"#;

/// Schema 2: documents with story clusters, evidence sentences, events rolled up from
/// mentions (one row per report), quotes, entities, actors seen, and FTS5 indexes.
///
/// Offsets (`start`, `end`) are byte offsets into `documents.body`; `*_char` columns are the
/// same positions in characters, as GDELT's Mentions table gives them.
pub const V2: &str = r#"
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    source TEXT NOT NULL,
    url TEXT,
    outlet TEXT NOT NULL,
    title TEXT,
    date TEXT,
    story INTEGER NOT NULL,
    fingerprint INTEGER NOT NULL,
    chars INTEGER NOT NULL,
    tone REAL NOT NULL,
    body TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX documents_date ON documents(date);

CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    first_doc INTEGER NOT NULL,
    first_date TEXT,
    fingerprint INTEGER NOT NULL
);
CREATE TABLE story_bands (
    band INTEGER NOT NULL,
    story INTEGER NOT NULL,
    PRIMARY KEY (band, story)
) WITHOUT ROWID;

-- Row ids of evidence and mentions are (documents.seq << 20) | position: the rows of one
-- document sit together, so a document's transaction touches few pages. The text of a piece
-- of evidence is `body` between `start` and `end` (bytes).
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
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
    odd INTEGER NOT NULL,
    cameo TEXT NOT NULL,
    base TEXT NOT NULL,
    root TEXT NOT NULL,
    quad_class INTEGER NOT NULL,
    goldstein REAL NOT NULL,
    plover TEXT,
    plover_context TEXT NOT NULL,
    date TEXT,
    day TEXT,
    first_doc INTEGER NOT NULL REFERENCES documents(id),
    first_mention INTEGER NOT NULL,
    num_mentions INTEGER NOT NULL,
    num_sources INTEGER NOT NULL,
    num_articles INTEGER NOT NULL,
    tone_sum REAL NOT NULL,
    tone_n INTEGER NOT NULL
);
-- Covers the relations query, so that a series over years reads only this index.
CREATE INDEX events_pair ON events(src3, tgt3, date, source_code, source_country, target_code, target_country,
    quad_class, goldstein, cameo, num_mentions, tone_sum, tone_n);
CREATE INDEX events_by_date ON events(date);
CREATE INDEX events_odd ON events(date) WHERE odd = 1;

CREATE TABLE mentions (
    rid INTEGER PRIMARY KEY,
    id INTEGER NOT NULL,
    event INTEGER NOT NULL REFERENCES events(id),
    doc INTEGER NOT NULL REFERENCES documents(id),
    ord INTEGER NOT NULL,
    sentence INTEGER NOT NULL,
    evidence INTEGER NOT NULL REFERENCES evidence(id),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    source_char INTEGER NOT NULL,
    target_char INTEGER,
    action_char INTEGER NOT NULL,
    outlet TEXT NOT NULL,
    mode TEXT NOT NULL,
    confidence REAL NOT NULL,
    tone REAL,
    rule TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX mentions_event ON mentions(event, outlet);

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    ord INTEGER NOT NULL,
    sentence INTEGER NOT NULL,
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker_code TEXT,
    speaker_name TEXT,
    speaker_text TEXT,
    cue TEXT,
    tone REAL,
    confidence REAL NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX quotes_speaker ON quotes(speaker_code);
CREATE INDEX quotes_doc ON quotes(doc, ord);
CREATE TABLE quote_actors (
    quote INTEGER NOT NULL REFERENCES quotes(id),
    code TEXT NOT NULL,
    PRIMARY KEY (quote, code)
) WITHOUT ROWID;
CREATE INDEX quote_actors_code ON quote_actors(code);

CREATE TABLE entities (
    doc INTEGER NOT NULL REFERENCES documents(id),
    ord INTEGER NOT NULL,
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    code TEXT,
    spans TEXT NOT NULL,
    PRIMARY KEY (doc, ord)
) WITHOUT ROWID;
CREATE INDEX entities_name ON entities(name);

CREATE TABLE actors (
    doc INTEGER NOT NULL REFERENCES documents(id),
    ord INTEGER NOT NULL,
    code TEXT NOT NULL,
    country TEXT,
    role TEXT,
    name TEXT,
    text TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    tok_start INTEGER NOT NULL,
    tok_end INTEGER NOT NULL,
    via TEXT NOT NULL,
    entry TEXT,
    PRIMARY KEY (doc, ord)
) WITHOUT ROWID;
CREATE INDEX actors_code ON actors(code);

CREATE VIRTUAL TABLE documents_fts USING fts5(title, body, content='documents', content_rowid='id');
CREATE VIRTUAL TABLE quotes_fts USING fts5(text, speaker_name, content='quotes', content_rowid='id');
"#;

/// Schema 3: the same tables as schema 2, but rows are stored in order of arrival instead of
/// under hash ids, which scattered every transaction's rows over whole tables (each scattered
/// row dirties a page of its own, and every dirty page is written to the WAL at each commit):
/// an event under the row id of its first mention, an entity or actor under
/// `(documents.seq << 20) | position` like evidence and mentions. `events.id` stays the
/// event's public key (a unique index). The pair index also carries `id`, so the relations
/// query still reads only the index. Documents stay under their ids: every query that shows a
/// row's source joins them by id.
///
/// Applied to a schema 2 store as a migration, and after [`V2`] when a store is created. Needs
/// `foreign_keys` off (the old table is dropped while mentions point at it).
pub const V2_TO_V3: &str = r#"
CREATE TABLE events_v3 (
    id INTEGER NOT NULL UNIQUE,
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
    odd INTEGER NOT NULL,
    cameo TEXT NOT NULL,
    base TEXT NOT NULL,
    root TEXT NOT NULL,
    quad_class INTEGER NOT NULL,
    goldstein REAL NOT NULL,
    plover TEXT,
    plover_context TEXT NOT NULL,
    date TEXT,
    day TEXT,
    first_doc INTEGER NOT NULL REFERENCES documents(id),
    first_mention INTEGER PRIMARY KEY,
    num_mentions INTEGER NOT NULL,
    num_sources INTEGER NOT NULL,
    num_articles INTEGER NOT NULL,
    tone_sum REAL NOT NULL,
    tone_n INTEGER NOT NULL
);
INSERT INTO events_v3 SELECT id, source_code, source_country, source_role, source_name, src3,
    target_code, target_country, target_role, target_name, tgt3, odd, cameo, base, root, quad_class, goldstein,
    plover, plover_context, date, day, first_doc, first_mention, num_mentions, num_sources, num_articles,
    tone_sum, tone_n
    FROM events ORDER BY first_mention;
DROP TABLE events;
ALTER TABLE events_v3 RENAME TO events;
CREATE INDEX events_pair ON events(src3, tgt3, date, source_code, source_country, target_code, target_country,
    quad_class, goldstein, cameo, num_mentions, tone_sum, tone_n, id);
CREATE INDEX events_by_date ON events(date);
CREATE INDEX events_odd ON events(date) WHERE odd = 1;

CREATE TABLE entities_v3 (
    rid INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    ord INTEGER NOT NULL,
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    code TEXT,
    spans TEXT NOT NULL
);
INSERT INTO entities_v3 SELECT (d.seq << 20) | x.ord, x.doc, x.ord, x.label, x.name, x.code, x.spans
    FROM entities x JOIN documents d ON d.id = x.doc ORDER BY 1;
DROP TABLE entities;
ALTER TABLE entities_v3 RENAME TO entities;
CREATE INDEX entities_name ON entities(name);

CREATE TABLE actors_v3 (
    rid INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    ord INTEGER NOT NULL,
    code TEXT NOT NULL,
    country TEXT,
    role TEXT,
    name TEXT,
    text TEXT NOT NULL,
    sentence INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    tok_start INTEGER NOT NULL,
    tok_end INTEGER NOT NULL,
    via TEXT NOT NULL,
    entry TEXT
);
INSERT INTO actors_v3 SELECT (d.seq << 20) | x.ord, x.doc, x.ord, x.code, x.country, x.role, x.name, x.text,
    x.sentence, x.start, x.end, x.tok_start, x.tok_end, x.via, x.entry
    FROM actors x JOIN documents d ON d.id = x.doc ORDER BY 1;
DROP TABLE actors;
ALTER TABLE actors_v3 RENAME TO actors;
CREATE INDEX actors_code ON actors(code);
"#;

/// Tables and their keys, in the order [`crate::Store::digest`] reads them.
pub const TABLES: &[(&str, &str)] = &[
    ("documents", "id"),
    ("stories", "id"),
    ("story_bands", "band, story"),
    ("evidence", "id"),
    ("events", "id"),
    ("mentions", "rid"),
    ("quotes", "id"),
    ("quote_actors", "quote, code"),
    ("entities", "rid"),
    ("actors", "rid"),
];
