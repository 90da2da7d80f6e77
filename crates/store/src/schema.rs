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

/// Schema 4: the same tables as schema 3, but rows are stored in order of arrival instead of
/// under hash ids, which scattered every transaction's rows over whole tables (each scattered
/// row dirties a page of its own, and every dirty page is written to the WAL at each commit):
/// an event under the row id of its first mention, an entity or actor under
/// `(documents.seq << 20) | position` like evidence and mentions. `events.id` stays the
/// event's public key (a unique index). The pair index also carries `id`, so the relations
/// query still reads only the index. Documents stay under their ids: every query that shows a
/// row's source joins them by id.
///
/// Applied to a schema 3 store as a migration, and after [`V2`] when a store is created. Needs
/// `foreign_keys` off (the old table is dropped while mentions point at it). Dropping `events`
/// drops its triggers too: [`V3_TRIGGERS`] must be run again after it.
pub const V3_TO_V4: &str = r#"
CREATE TABLE events_v4 (
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
INSERT INTO events_v4 SELECT id, source_code, source_country, source_role, source_name, src3,
    target_code, target_country, target_role, target_name, tgt3, odd, cameo, base, root, quad_class, goldstein,
    plover, plover_context, date, day, first_doc, first_mention, num_mentions, num_sources, num_articles,
    tone_sum, tone_n
    FROM events ORDER BY first_mention;
DROP TABLE events;
ALTER TABLE events_v4 RENAME TO events;
CREATE INDEX events_pair ON events(src3, tgt3, date, source_code, source_country, target_code, target_country,
    quad_class, goldstein, cameo, num_mentions, tone_sum, tone_n, id);
CREATE INDEX events_by_date ON events(date);
CREATE INDEX events_odd ON events(date) WHERE odd = 1;

CREATE TABLE entities_v4 (
    rid INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    ord INTEGER NOT NULL,
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    code TEXT,
    spans TEXT NOT NULL
);
INSERT INTO entities_v4 SELECT (d.seq << 20) | x.ord, x.doc, x.ord, x.label, x.name, x.code, x.spans
    FROM entities x JOIN documents d ON d.id = x.doc ORDER BY 1;
DROP TABLE entities;
ALTER TABLE entities_v4 RENAME TO entities;
CREATE INDEX entities_name ON entities(name);

CREATE TABLE actors_v4 (
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
INSERT INTO actors_v4 SELECT (d.seq << 20) | x.ord, x.doc, x.ord, x.code, x.country, x.role, x.name, x.text,
    x.sentence, x.start, x.end, x.tok_start, x.tok_end, x.via, x.entry
    FROM actors x JOIN documents d ON d.id = x.doc ORDER BY 1;
DROP TABLE actors;
ALTER TABLE actors_v4 RENAME TO actors;
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

/// Tables derived from the others, kept by triggers; not part of [`crate::Store::digest`]
/// (their float sums depend on the order in which events were counted, not on what is stored).
pub const DERIVED: &[&str] = &["relations_weekly", "relations_codes"];

/// Schema 3 (tables): the relations pre-aggregate. One row per (first three letters of the source and
/// target codes, bucket) with the event count, the count per quad class, mentions, Goldstein
/// sum, the sum of the events' mean tones and how many events have a tone; the event count per
/// CAMEO code sits beside it, keyed the same way plus the code. A bucket is a week cut at month
/// ends: it starts on the Monday of the event's ISO week, or on the first of the month when the
/// week began in the month before, so that a bucket lies in one week, one month and one year.
///
/// Triggers on `events` ([`V3_TRIGGERS`]) keep both tables in the transaction of every write (new event, counters
/// bumped by a new report, and any other change or delete, which no write path makes today).
/// Events whose date is not a plain `YYYY-MM-DD` day are left out (no series reads them from here).
pub const V3_TABLES: &str = r#"
CREATE TABLE relations_weekly (
    src3 TEXT NOT NULL,
    tgt3 TEXT NOT NULL,
    bucket TEXT NOT NULL,
    events INTEGER NOT NULL,
    q1 INTEGER NOT NULL,
    q2 INTEGER NOT NULL,
    q3 INTEGER NOT NULL,
    q4 INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    goldstein REAL NOT NULL,
    tone REAL NOT NULL,
    toned INTEGER NOT NULL,
    PRIMARY KEY (src3, tgt3, bucket)
) WITHOUT ROWID;

CREATE TABLE relations_codes (
    src3 TEXT NOT NULL,
    tgt3 TEXT NOT NULL,
    bucket TEXT NOT NULL,
    cameo TEXT NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (src3, tgt3, bucket, cameo)
) WITHOUT ROWID;
"#;

/// Schema 3 (triggers): keep [`V3_TABLES`] in step with `events`. Created with the tables, and
/// again after schema 4 rebuilds `events` ([`V3_TO_V4`]), which drops them with the old table.
pub const V3_TRIGGERS: &str = r#"
CREATE TRIGGER relations_add AFTER INSERT ON events WHEN date(NEW.date) = NEW.date BEGIN
    INSERT INTO relations_weekly VALUES (NEW.src3, NEW.tgt3,
        max(date(NEW.date, '-6 days', 'weekday 1'), date(NEW.date, 'start of month')),
        1, NEW.quad_class = 1, NEW.quad_class = 2, NEW.quad_class = 3, NEW.quad_class = 4, NEW.num_mentions,
        NEW.goldstein, CASE WHEN NEW.tone_n > 0 THEN NEW.tone_sum / NEW.tone_n ELSE 0.0 END, NEW.tone_n > 0)
    ON CONFLICT DO UPDATE SET events = events + 1, q1 = q1 + excluded.q1, q2 = q2 + excluded.q2,
        q3 = q3 + excluded.q3, q4 = q4 + excluded.q4, mentions = mentions + excluded.mentions,
        goldstein = goldstein + excluded.goldstein, tone = tone + excluded.tone, toned = toned + excluded.toned;
    INSERT INTO relations_codes VALUES (NEW.src3, NEW.tgt3,
        max(date(NEW.date, '-6 days', 'weekday 1'), date(NEW.date, 'start of month')), NEW.cameo, 1)
    ON CONFLICT DO UPDATE SET events = events + 1;
END;

CREATE TRIGGER relations_remove AFTER DELETE ON events WHEN date(OLD.date) = OLD.date BEGIN
    UPDATE relations_weekly SET events = events - 1, q1 = q1 - (OLD.quad_class = 1), q2 = q2 - (OLD.quad_class = 2),
        q3 = q3 - (OLD.quad_class = 3), q4 = q4 - (OLD.quad_class = 4), mentions = mentions - OLD.num_mentions,
        goldstein = goldstein - OLD.goldstein,
        tone = tone - CASE WHEN OLD.tone_n > 0 THEN OLD.tone_sum / OLD.tone_n ELSE 0.0 END,
        toned = toned - (OLD.tone_n > 0)
    WHERE src3 = OLD.src3 AND tgt3 = OLD.tgt3
        AND bucket = max(date(OLD.date, '-6 days', 'weekday 1'), date(OLD.date, 'start of month'));
    DELETE FROM relations_weekly WHERE src3 = OLD.src3 AND tgt3 = OLD.tgt3
        AND bucket = max(date(OLD.date, '-6 days', 'weekday 1'), date(OLD.date, 'start of month')) AND events <= 0;
    UPDATE relations_codes SET events = events - 1 WHERE src3 = OLD.src3 AND tgt3 = OLD.tgt3
        AND bucket = max(date(OLD.date, '-6 days', 'weekday 1'), date(OLD.date, 'start of month')) AND cameo = OLD.cameo;
    DELETE FROM relations_codes WHERE src3 = OLD.src3 AND tgt3 = OLD.tgt3
        AND bucket = max(date(OLD.date, '-6 days', 'weekday 1'), date(OLD.date, 'start of month')) AND cameo = OLD.cameo
        AND events <= 0;
END;

-- The update every new report makes (counters of a stored event) keeps the event in its row:
-- the row moves by the difference of mentions and mean tone only.
CREATE TRIGGER relations_bump AFTER UPDATE OF num_mentions, tone_sum, tone_n ON events
WHEN ifnull(date(NEW.date) = NEW.date, 0) AND NEW.date IS OLD.date AND NEW.src3 IS OLD.src3
    AND NEW.tgt3 IS OLD.tgt3 AND NEW.cameo IS OLD.cameo AND NEW.quad_class IS OLD.quad_class
    AND NEW.goldstein IS OLD.goldstein BEGIN
    UPDATE relations_weekly SET mentions = mentions + (NEW.num_mentions - OLD.num_mentions),
        tone = tone + ((CASE WHEN NEW.tone_n > 0 THEN NEW.tone_sum / NEW.tone_n ELSE 0.0 END)
            - (CASE WHEN OLD.tone_n > 0 THEN OLD.tone_sum / OLD.tone_n ELSE 0.0 END)),
        toned = toned + ((NEW.tone_n > 0) - (OLD.tone_n > 0))
    WHERE src3 = NEW.src3 AND tgt3 = NEW.tgt3
        AND bucket = max(date(NEW.date, '-6 days', 'weekday 1'), date(NEW.date, 'start of month'));
END;

-- Any other change: the event leaves its old row (as a delete would) and joins its new one (as an insert).
CREATE TRIGGER relations_move AFTER UPDATE ON events
WHEN NOT (ifnull(date(NEW.date) = NEW.date, 0) AND NEW.date IS OLD.date AND NEW.src3 IS OLD.src3
    AND NEW.tgt3 IS OLD.tgt3 AND NEW.cameo IS OLD.cameo AND NEW.quad_class IS OLD.quad_class
    AND NEW.goldstein IS OLD.goldstein)
    AND (ifnull(date(OLD.date) = OLD.date, 0) OR ifnull(date(NEW.date) = NEW.date, 0)) BEGIN
    UPDATE relations_weekly SET events = events - 1, q1 = q1 - (OLD.quad_class = 1), q2 = q2 - (OLD.quad_class = 2),
        q3 = q3 - (OLD.quad_class = 3), q4 = q4 - (OLD.quad_class = 4), mentions = mentions - OLD.num_mentions,
        goldstein = goldstein - OLD.goldstein,
        tone = tone - CASE WHEN OLD.tone_n > 0 THEN OLD.tone_sum / OLD.tone_n ELSE 0.0 END,
        toned = toned - (OLD.tone_n > 0)
    WHERE date(OLD.date) = OLD.date AND src3 = OLD.src3 AND tgt3 = OLD.tgt3
        AND bucket = max(date(OLD.date, '-6 days', 'weekday 1'), date(OLD.date, 'start of month'));
    DELETE FROM relations_weekly WHERE date(OLD.date) = OLD.date AND src3 = OLD.src3 AND tgt3 = OLD.tgt3
        AND bucket = max(date(OLD.date, '-6 days', 'weekday 1'), date(OLD.date, 'start of month')) AND events <= 0;
    UPDATE relations_codes SET events = events - 1 WHERE date(OLD.date) = OLD.date AND src3 = OLD.src3
        AND tgt3 = OLD.tgt3 AND cameo = OLD.cameo
        AND bucket = max(date(OLD.date, '-6 days', 'weekday 1'), date(OLD.date, 'start of month'));
    DELETE FROM relations_codes WHERE date(OLD.date) = OLD.date AND src3 = OLD.src3 AND tgt3 = OLD.tgt3
        AND cameo = OLD.cameo AND events <= 0
        AND bucket = max(date(OLD.date, '-6 days', 'weekday 1'), date(OLD.date, 'start of month'));
    INSERT INTO relations_weekly SELECT NEW.src3, NEW.tgt3,
        max(date(NEW.date, '-6 days', 'weekday 1'), date(NEW.date, 'start of month')),
        1, NEW.quad_class = 1, NEW.quad_class = 2, NEW.quad_class = 3, NEW.quad_class = 4, NEW.num_mentions,
        NEW.goldstein, CASE WHEN NEW.tone_n > 0 THEN NEW.tone_sum / NEW.tone_n ELSE 0.0 END, NEW.tone_n > 0
    WHERE date(NEW.date) = NEW.date
    ON CONFLICT DO UPDATE SET events = events + 1, q1 = q1 + excluded.q1, q2 = q2 + excluded.q2,
        q3 = q3 + excluded.q3, q4 = q4 + excluded.q4, mentions = mentions + excluded.mentions,
        goldstein = goldstein + excluded.goldstein, tone = tone + excluded.tone, toned = toned + excluded.toned;
    INSERT INTO relations_codes SELECT NEW.src3, NEW.tgt3,
        max(date(NEW.date, '-6 days', 'weekday 1'), date(NEW.date, 'start of month')), NEW.cameo, 1
    WHERE date(NEW.date) = NEW.date
    ON CONFLICT DO UPDATE SET events = events + 1;
END;
"#;

/// Recounts `relations_weekly` from the events (the migration from schema 2 fills it so).
pub const V3_RECOUNT_WEEKLY: &str = r#"
SELECT src3, tgt3, max(date(date, '-6 days', 'weekday 1'), date(date, 'start of month')) AS b, COUNT(*),
    SUM(quad_class = 1), SUM(quad_class = 2), SUM(quad_class = 3), SUM(quad_class = 4), SUM(num_mentions),
    SUM(goldstein), SUM(CASE WHEN tone_n > 0 THEN tone_sum / tone_n ELSE 0.0 END), SUM(tone_n > 0)
FROM events WHERE date(date) = date GROUP BY src3, tgt3, b
"#;

/// Recounts `relations_codes` from the events.
pub const V3_RECOUNT_CODES: &str = r#"
SELECT src3, tgt3, max(date(date, '-6 days', 'weekday 1'), date(date, 'start of month')) AS b, cameo, COUNT(*)
FROM events WHERE date(date) = date GROUP BY src3, tgt3, b, cameo
"#;
