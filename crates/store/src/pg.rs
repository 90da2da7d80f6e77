//! The PostgreSQL store (cargo feature `postgres`): the shared store of a deployment where many
//! `dyad worker` processes write at once.
//!
//! - Same rows as the SQLite store: [`PgStore::put_prepared`] is the SQLite write path
//!   (`write.rs`) statement for statement, on the tables of `pg_schema.rs`.
//! - Writers are serialised by one transaction-scoped advisory lock. Within the lock a document
//!   write sees every document committed before it, exactly as SQLite's single writer does, so
//!   story clustering, `seq`, and the counters of rolled-up events (a new outlet counts once, a
//!   document once per event) are computed the same way. The lock covers only the write
//!   transaction (milliseconds); coding, the costly part, runs in parallel in the workers.
//! - Idempotent: a document already stored (same id) is skipped inside the lock, so a message
//!   delivered twice, or by two workers, is stored once.
//! - Reads: [`PgStore::document`] and [`PgStore::document_ids`] give back the coded documents
//!   in the order they were stored; [`PgStore::snapshot`] replays them into an SQLite store,
//!   which then answers every query and export of the embedded store (same order, so same
//!   stories, events and counters).

use crate::write::{event_id, first3, local_id, Prepared, MAX_CLUSTER_BITS};
use crate::{Counts, Put, Store, StoreError};
use dyad_model::{Actor, ActorVia, CodedDocument, DocId, EntityLabel, EntityMention, Event, Quote, Span};
use postgres::{Client, NoTls, Statement};

/// Key of the advisory lock that serialises document writes (and migrations).
const WRITE_LOCK: i64 = 0x6479_6164_0001;

/// The schema version this dyad writes to PostgreSQL.
pub const PG_SCHEMA_VERSION: i64 = crate::pg_schema::MIGRATIONS.len() as i64;

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        let transient = e.is_closed()
            || e.code().is_none()
            || e.code().is_some_and(|c| {
                let c = c.code();
                // Connection exceptions, shutdown, too many connections, serialisation and
                // deadlock failures: the same statement can succeed later.
                c.starts_with("08") || c.starts_with("57P") || c.starts_with("53") || c == "40001" || c == "40P01"
            });
        // The source chain carries the server's message ("db error: ERROR: …").
        let mut message = e.to_string();
        if let Some(db) = e.as_db_error() {
            message = format!("{} ({})", db.message(), db.code().code());
        } else if let Some(src) = std::error::Error::source(&e) {
            message = format!("{e}: {src}");
        }
        StoreError::Postgres { message, transient }
    }
}

/// Prepared statements of one connection (PostgreSQL parses and plans each once).
struct Stmts {
    doc_exists: Statement,
    story_by_id: Statement,
    story_band: Statement,
    insert_story: Statement,
    insert_band: Statement,
    next_seq: Statement,
    insert_doc: Statement,
    insert_evidence: Statement,
    insert_event: Statement,
    seen_outlet: Statement,
    insert_mention: Statement,
    bump: Statement,
    insert_quote: Statement,
    insert_quote_actor: Statement,
    insert_entity: Statement,
    insert_actor: Statement,
}

pub struct PgStore {
    client: Client,
    stmts: Stmts,
}

impl PgStore {
    /// Connects to the PostgreSQL database at `url` (`postgres://user@host:port/db`) and brings
    /// its schema up to date.
    pub fn connect(url: &str) -> Result<PgStore, StoreError> {
        let mut client = Client::connect(url, NoTls).map_err(|e| {
            let StoreError::Postgres { message, transient } = StoreError::from(e) else { unreachable!() };
            StoreError::Postgres {
                message: format!("cannot connect to {}: {message}", crate::backend::redact(url)),
                transient,
            }
        })?;
        migrate(&mut client)?;
        let stmts = prepare_all(&mut client)?;
        Ok(PgStore { client, stmts })
    }

    /// The schema version of the connected database.
    pub fn schema_version(&mut self) -> Result<i64, StoreError> {
        Ok(self.client.query_one("SELECT version FROM dyad_schema", &[])?.get(0))
    }

    /// Whether the connection is still usable (a worker reconnects when it is not).
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    pub fn contains(&mut self, id: DocId) -> Result<bool, StoreError> {
        Ok(self.client.query_opt(&self.stmts.doc_exists, &[&id.as_i64()])?.is_some())
    }

    /// Stores one prepared document in one transaction; a document already stored is skipped.
    pub fn put_prepared(&mut self, p: &Prepared) -> Result<Put, StoreError> {
        let st = &self.stmts;
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
        if write(&mut tx, st, p)? {
            tx.commit()?;
            Ok(Put::Stored)
        } else {
            // Dropping the transaction rolls it back, which also releases the lock.
            Ok(Put::AlreadyStored)
        }
    }

    pub fn counts(&mut self) -> Result<Counts, StoreError> {
        let row = self.client.query_one(
            "SELECT (SELECT COUNT(*) FROM documents), (SELECT COUNT(*) FROM stories), (SELECT COUNT(*) FROM events),
                    (SELECT COUNT(*) FROM mentions), (SELECT COUNT(*) FROM quotes), (SELECT COUNT(*) FROM actors),
                    (SELECT COUNT(*) FROM entities)",
            &[],
        )?;
        let c = |i: usize| row.get::<_, i64>(i) as u64;
        Ok(Counts {
            documents: c(0),
            stories: c(1),
            events: c(2),
            mentions: c(3),
            quotes: c(4),
            actors: c(5),
            entities: c(6),
        })
    }

    /// What must agree between two stores of the same documents written in any order.
    pub fn tally(&mut self) -> Result<crate::Tally, StoreError> {
        let mut t = crate::Tally::default();
        for r in self.client.query("SELECT id FROM documents ORDER BY id", &[])? {
            t.documents.push(r.get(0));
        }
        for r in self
            .client
            .query("SELECT id, num_mentions, num_sources, num_articles, tone_n, day FROM events ORDER BY id", &[])?
        {
            t.events.push(crate::EventTally {
                id: r.get(0),
                num_mentions: r.get(1),
                num_sources: r.get(2),
                num_articles: r.get(3),
                tone_n: r.get(4),
                day: r.get(5),
            });
        }
        for r in self.client.query("SELECT doc, ord, id, event FROM mentions ORDER BY doc, ord", &[])? {
            t.mentions.push((r.get(0), r.get(1), r.get(2), r.get(3)));
        }
        for r in self.client.query("SELECT id FROM quotes ORDER BY id", &[])? {
            t.quotes.push(r.get(0));
        }
        Ok(t)
    }

    /// Ids of the stored documents, in the order they were stored.
    pub fn document_ids(&mut self) -> Result<Vec<DocId>, StoreError> {
        let rows = self.client.query("SELECT id FROM documents ORDER BY seq", &[])?;
        Ok(rows.iter().map(|r| DocId::from_i64(r.get(0))).collect())
    }

    /// The coded document as it was stored, or `None` when no document has this id.
    pub fn document(&mut self, id: DocId) -> Result<Option<CodedDocument>, StoreError> {
        let id = id.as_i64();
        let Some(row) = self.client.query_opt("SELECT body, record FROM documents WHERE id = $1", &[&id])? else {
            return Ok(None);
        };
        let mut doc: CodedDocument = serde_json::from_str(row.get::<_, &str>(1))?;
        doc.article.body = row.get(0);
        for r in self.client.query("SELECT record FROM mentions WHERE doc = $1 ORDER BY ord", &[&id])? {
            doc.events.push(serde_json::from_str::<Event>(r.get::<_, &str>(0))?);
        }
        for r in self.client.query("SELECT record FROM quotes WHERE doc = $1 ORDER BY ord", &[&id])? {
            doc.quotes.push(serde_json::from_str::<Quote>(r.get::<_, &str>(0))?);
        }
        for r in
            self.client.query("SELECT label, name, code, spans FROM entities WHERE doc = $1 ORDER BY ord", &[&id])?
        {
            let spans: Vec<[usize; 2]> = serde_json::from_str(r.get::<_, &str>(3))?;
            doc.entities.push(EntityMention {
                label: EntityLabel::parse(r.get::<_, &str>(0)).unwrap_or(EntityLabel::MISC),
                name: r.get(1),
                code: r.get(2),
                spans: spans.into_iter().map(|[s, e]| Span::new(s, e.max(s))).collect(),
            });
        }
        for r in self.client.query(
            r#"SELECT code, country, role, name, text, sentence, start, "end", tok_start, tok_end, via, entry
               FROM actors WHERE doc = $1 ORDER BY ord"#,
            &[&id],
        )? {
            let (start, end): (i64, i64) = (r.get(6), r.get(7));
            let (start, end) = (start.max(0) as usize, end.max(0) as usize);
            doc.actors.push(Actor {
                code: r.get(0),
                country: r.get(1),
                role: r.get(2),
                name: r.get(3),
                text: r.get(4),
                sentence: r.get::<_, i64>(5).max(0) as usize,
                span: Span::new(start, end.max(start)),
                tokens: (r.get::<_, i64>(8).max(0) as usize, r.get::<_, i64>(9).max(0) as usize),
                via: match r.get::<_, &str>(10) {
                    "dictionary" => ActorVia::Dictionary,
                    "agent" => ActorVia::Agent,
                    "coreference" => ActorVia::Coreference,
                    _ => ActorVia::Entity,
                },
                entry: r.get(11),
            });
        }
        Ok(Some(doc))
    }

    /// Replays every stored document, in the order they were stored, into `into` (an empty
    /// SQLite store): the same write path in the same order gives the same stories, events
    /// and counters, and the SQLite store then answers every query and export. Returns the
    /// number of documents copied.
    pub fn snapshot(&mut self, into: &mut Store) -> Result<u64, StoreError> {
        let ids = self.document_ids()?;
        let mut n = 0;
        for chunk in ids.chunks(256) {
            let mut batch = Vec::with_capacity(chunk.len());
            for id in chunk {
                if let Some(doc) = self.document(*id)? {
                    batch.push(crate::prepare(&doc)?);
                }
            }
            n += batch.len() as u64;
            into.put_batch(&batch)?;
        }
        Ok(n)
    }
}

fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS dyad_schema (version BIGINT NOT NULL)")?;
    let version: i64 = match tx.query_opt("SELECT version FROM dyad_schema", &[])? {
        Some(r) => r.get(0),
        None => {
            // A database with tables of its own but no dyad schema is not ours to write into.
            let tables: i64 = tx
                .query_one(
                    "SELECT COUNT(*) FROM information_schema.tables
                     WHERE table_schema = current_schema() AND table_name IN ('documents', 'events', 'mentions')",
                    &[],
                )?
                .get(0);
            if tables > 0 {
                return Err(StoreError::Postgres {
                    message: "the database has dyad's table names but no dyad schema version".into(),
                    transient: false,
                });
            }
            tx.execute("INSERT INTO dyad_schema (version) VALUES (0)", &[])?;
            0
        }
    };
    if version > PG_SCHEMA_VERSION {
        return Err(StoreError::TooNew { path: "postgres".into(), found: version, known: PG_SCHEMA_VERSION });
    }
    for (i, m) in crate::pg_schema::MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
        tx.batch_execute(m)?;
        tx.execute("UPDATE dyad_schema SET version = $1", &[&(i as i64 + 1)])?;
    }
    tx.commit()?;
    Ok(())
}

fn prepare_all(c: &mut Client) -> Result<Stmts, StoreError> {
    Ok(Stmts {
        doc_exists: c.prepare("SELECT 1 FROM documents WHERE id = $1")?,
        story_by_id: c.prepare("SELECT id, first_date FROM stories WHERE id = $1")?,
        story_band: c.prepare(
            "SELECT s.id, s.first_date, s.fingerprint FROM story_bands b JOIN stories s ON s.id = b.story
             WHERE b.band = $1 ORDER BY s.id",
        )?,
        insert_story: c
            .prepare("INSERT INTO stories (id, first_doc, first_date, fingerprint) VALUES ($1, $2, $3, $4)")?,
        insert_band: c.prepare("INSERT INTO story_bands (band, story) VALUES ($1, $2) ON CONFLICT DO NOTHING")?,
        next_seq: c.prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM documents")?,
        insert_doc: c.prepare(
            "INSERT INTO documents (id, seq, source, url, outlet, title, date, story, fingerprint, chars, tone, body,
             pipeline, record) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )?,
        insert_evidence: c
            .prepare(r#"INSERT INTO evidence (id, doc, sentence, start, "end") VALUES ($1, $2, $3, $4, $5)"#)?,
        insert_event: c.prepare(
            "INSERT INTO events (id, source_code, source_country, source_role, source_name, src3,
             target_code, target_country, target_role, target_name, tgt3, odd, cameo, base, root, quad_class, goldstein,
             plover, plover_context, date, day, first_doc, first_mention, num_mentions, num_sources, num_articles,
             tone_sum, tone_n)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
             $22, $23, 0, 0, 0, 0, 0) ON CONFLICT (id) DO NOTHING",
        )?,
        seen_outlet: c.prepare("SELECT 1 FROM mentions WHERE event = $1 AND outlet = $2 LIMIT 1")?,
        insert_mention: c.prepare(
            r#"INSERT INTO mentions (rid, id, event, doc, ord, sentence, evidence, start, "end", source_char,
             target_char, action_char, outlet, mode, confidence, tone, rule, record)
             VALUES ($18, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
             ON CONFLICT DO NOTHING"#,
        )?,
        bump: c.prepare(
            "UPDATE events SET num_mentions = num_mentions + $2, num_articles = num_articles + $3,
             num_sources = num_sources + $4, tone_sum = tone_sum + $5, tone_n = tone_n + $6 WHERE id = $1",
        )?,
        insert_quote: c.prepare(
            r#"INSERT INTO quotes (id, doc, ord, sentence, kind, start, "end", text, speaker_code, speaker_name,
             speaker_text, cue, tone, confidence, record)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING"#,
        )?,
        insert_quote_actor: c
            .prepare("INSERT INTO quote_actors (code, quote) VALUES ($1, $2) ON CONFLICT DO NOTHING")?,
        insert_entity: c
            .prepare("INSERT INTO entities (doc, ord, label, name, code, spans) VALUES ($1, $2, $3, $4, $5, $6)")?,
        insert_actor: c.prepare(
            r#"INSERT INTO actors (doc, ord, code, country, role, name, text, sentence, start, "end", tok_start,
             tok_end, via, entry) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"#,
        )?,
    })
}

/// The story of a document and its roll-up day, as `write.rs` assigns them.
fn assign_story(tx: &mut postgres::Transaction, st: &Stmts, p: &Prepared) -> Result<(i64, Option<String>), StoreError> {
    let fp = p.fingerprint as u64;
    let found: Option<(i64, Option<String>)> = if let Some(s) = p.story {
        tx.query_opt(&st.story_by_id, &[&s])?.map(|r| (r.get(0), r.get(1)))
    } else if p.clusterable {
        let mut best: Option<(i64, Option<String>)> = None;
        for band in 0..4u64 {
            let key = ((band << 16) | ((fp >> (16 * band)) & 0xffff)) as i64;
            for r in tx.query(&st.story_band, &[&key])? {
                let (id, date, f): (i64, Option<String>, i64) = (r.get(0), r.get(1), r.get(2));
                if ((f as u64) ^ fp).count_ones() <= MAX_CLUSTER_BITS && !matches!(best, Some((b, _)) if b <= id) {
                    best = Some((id, date));
                }
            }
        }
        best
    } else {
        None
    };
    if let Some((id, first_date)) = found {
        return Ok((id, first_date.or_else(|| p.date.clone())));
    }
    let id = p.story.unwrap_or(p.id);
    tx.execute(&st.insert_story, &[&id, &p.id, &p.date, &p.fingerprint])?;
    if p.story.is_none() && p.clusterable {
        for band in 0..4u64 {
            let key = ((band << 16) | ((fp >> (16 * band)) & 0xffff)) as i64;
            tx.execute(&st.insert_band, &[&key, &id])?;
        }
    }
    Ok((id, p.date.clone()))
}

/// Writes one prepared document inside `tx` (which holds the write lock). Returns false when
/// it was already stored.
fn write(tx: &mut postgres::Transaction, st: &Stmts, p: &Prepared) -> Result<bool, StoreError> {
    if tx.query_opt(&st.doc_exists, &[&p.id])?.is_some() {
        return Ok(false);
    }
    let (story, day) = assign_story(tx, st, p)?;
    let seq: i64 = tx.query_one(&st.next_seq, &[])?.get(0);
    tx.execute(
        &st.insert_doc,
        &[
            &p.id,
            &seq,
            &p.source,
            &p.url,
            &p.outlet,
            &p.title,
            &p.date,
            &story,
            &p.fingerprint,
            &p.chars,
            &p.tone,
            &p.body,
            &p.pipeline,
            &p.record,
        ],
    )?;
    for (i, e) in p.evidence.iter().enumerate() {
        tx.execute(&st.insert_evidence, &[&local_id(seq, i as i64), &p.id, &e.sentence, &e.start, &e.end])?;
    }

    // Events touched by this document, in first-mention order: (id, mentions, new outlet, tone sum, tone n).
    let mut touched: Vec<(i64, i64, i64, f64, i64)> = Vec::new();
    for m in &p.mentions {
        let eid = event_id(&m.source_code, &m.target_code, &m.cameo, m.date.as_deref(), day.as_deref());
        let src3 = first3(&m.source_code);
        let tgt3 = first3(&m.target_code);
        let odd = (m.source_country.as_deref().is_some_and(|c| c != src3)
            || m.target_country.as_deref().is_some_and(|c| c != tgt3)) as i64;
        let first_mention = local_id(seq, m.ord);
        tx.execute(
            &st.insert_event,
            &[
                &eid,
                &m.source_code,
                &m.source_country,
                &m.source_role,
                &m.source_name,
                &src3,
                &m.target_code,
                &m.target_country,
                &m.target_role,
                &m.target_name,
                &tgt3,
                &odd,
                &m.cameo,
                &m.base,
                &m.root,
                &m.quad_class,
                &m.goldstein,
                &m.plover,
                &m.plover_context,
                &m.date,
                &day,
                &p.id,
                &first_mention,
            ],
        )?;
        let i = match touched.iter().position(|t| t.0 == eid) {
            Some(i) => i,
            None => {
                let new_outlet = tx.query_opt(&st.seen_outlet, &[&eid, &p.outlet])?.is_none();
                touched.push((eid, 0, new_outlet as i64, 0.0, 0));
                touched.len() - 1
            }
        };
        let n = tx.execute(
            &st.insert_mention,
            &[
                &m.id,
                &eid,
                &p.id,
                &m.ord,
                &m.sentence,
                &local_id(seq, m.evidence),
                &m.start,
                &m.end,
                &m.source_char,
                &m.target_char,
                &m.action_char,
                &p.outlet,
                &m.mode,
                &m.confidence,
                &m.tone,
                &m.rule,
                &m.record,
                &first_mention,
            ],
        )?;
        if n > 0 {
            let t = &mut touched[i];
            t.1 += 1;
            if let Some(tone) = m.tone {
                t.3 += tone;
                t.4 += 1;
            }
        }
    }
    for (eid, n, new_outlet, tone_sum, tone_n) in touched {
        if n > 0 {
            tx.execute(&st.bump, &[&eid, &n, &1i64, &new_outlet, &tone_sum, &tone_n])?;
        }
    }

    for q in &p.quotes {
        let n = tx.execute(
            &st.insert_quote,
            &[
                &q.id,
                &p.id,
                &q.ord,
                &q.sentence,
                &q.kind,
                &q.start,
                &q.end,
                &q.text,
                &q.speaker_code,
                &q.speaker_name,
                &q.speaker_text,
                &q.cue,
                &q.tone,
                &q.confidence,
                &q.record,
            ],
        )?;
        if n > 0 {
            for c in &q.actors {
                tx.execute(&st.insert_quote_actor, &[c, &q.id])?;
            }
        }
    }
    for en in &p.entities {
        tx.execute(&st.insert_entity, &[&p.id, &en.ord, &en.label, &en.name, &en.code, &en.spans])?;
    }
    for x in &p.actors {
        tx.execute(
            &st.insert_actor,
            &[
                &p.id,
                &x.ord,
                &x.code,
                &x.country,
                &x.role,
                &x.name,
                &x.text,
                &x.sentence,
                &x.start,
                &x.end,
                &x.tok_start,
                &x.tok_end,
                &x.via,
                &x.entry,
            ],
        )?;
    }
    Ok(true)
}
