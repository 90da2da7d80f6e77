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
use dyad_model::{Actor, ActorVia, CodedDocument, DocId, EntityLabel, EntityMention, Quote, Span};
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

/// Prepared statements of one connection (PostgreSQL parses and plans each once). The rows of
/// one table are written by one statement over arrays (`unnest`), so a document costs about 15
/// round trips to the server whatever its size.
struct Stmts {
    doc_exists: Statement,
    story_by_id: Statement,
    story_bands: Statement,
    insert_story: Statement,
    insert_bands: Statement,
    next_seq: Statement,
    insert_doc: Statement,
    insert_evidence: Statement,
    insert_events: Statement,
    seen_outlets: Statement,
    insert_mentions: Statement,
    bump: Statement,
    insert_quotes: Statement,
    insert_quote_actors: Statement,
    insert_entities: Statement,
    insert_actors: Statement,
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

    /// Stores several prepared documents in one transaction (one lock, one commit), in order; a
    /// document already stored is skipped. All commit together or none does.
    pub fn put_batch(&mut self, ps: &[&Prepared]) -> Result<Vec<Put>, StoreError> {
        let st = &self.stmts;
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
        let mut out = Vec::with_capacity(ps.len());
        for p in ps {
            out.push(if write(&mut tx, st, p)? { Put::Stored } else { Put::AlreadyStored });
        }
        tx.commit()?;
        Ok(out)
    }

    /// Stores one prepared document in one transaction; a document already stored is skipped.
    pub fn put_prepared(&mut self, p: &Prepared) -> Result<Put, StoreError> {
        Ok(self.put_batch(&[p])?[0])
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
        for r in self.client.query(
            "SELECT m.record, m.id, m.sentence, m.start, m.\"end\", m.mode, m.confidence, m.tone, m.rule,
                    e.source_code, e.target_code, e.cameo
             FROM mentions m JOIN events e ON e.id = m.event WHERE m.doc = $1 ORDER BY m.ord",
            &[&id],
        )? {
            let cols = crate::mention::Columns {
                id: r.get(1),
                sentence: r.get(2),
                start: r.get(3),
                end: r.get(4),
                mode: r.get(5),
                confidence: r.get(6),
                tone: r.get(7),
                rule: r.get(8),
                source_code: r.get(9),
                target_code: r.get(10),
                cameo: r.get(11),
            };
            doc.events.push(crate::mention::event_of(r.get::<_, &str>(0), cols)?);
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
        story_bands: c.prepare(
            "SELECT s.id, s.first_date, s.fingerprint FROM story_bands b JOIN stories s ON s.id = b.story
             WHERE b.band = ANY($1::bigint[])",
        )?,
        insert_story: c
            .prepare("INSERT INTO stories (id, first_doc, first_date, fingerprint) VALUES ($1, $2, $3, $4)")?,
        insert_bands: c.prepare(
            "INSERT INTO story_bands (band, story) SELECT b, $2::bigint FROM unnest($1::bigint[]) AS b ON CONFLICT DO NOTHING",
        )?,
        next_seq: c.prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM documents")?,
        insert_doc: c.prepare(
            "INSERT INTO documents (id, seq, source, url, outlet, title, date, story, fingerprint, chars, tone, body,
             pipeline, record) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )?,
        insert_evidence: c.prepare(
            r#"INSERT INTO evidence (id, doc, sentence, start, "end")
               SELECT id, $2::bigint, sentence, start, e FROM unnest($1::bigint[], $3::bigint[], $4::bigint[], $5::bigint[])
               AS u(id, sentence, start, e)"#,
        )?,
        insert_events: c.prepare(
            "INSERT INTO events (id, source_code, source_country, source_role, source_name, src3,
             target_code, target_country, target_role, target_name, tgt3, odd, cameo, base, root, quad_class, goldstein,
             plover, plover_context, date, day, first_doc, first_mention, num_mentions, num_sources, num_articles,
             tone_sum, tone_n)
             SELECT id, sc, scn, sr, sn, s3, tc, tcn, tr, tn, t3, odd, cameo, base, root, quad, gold, plover, pc,
               date, $21::text, $22::bigint, fm, 0, 0, 0, 0, 0
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[],
               $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[],
               $13::text[], $14::text[], $15::text[], $16::bigint[], $17::float8[], $18::text[], $19::text[],
               $20::text[], $23::bigint[])
             AS u(id, sc, scn, sr, sn, s3, tc, tcn, tr, tn, t3, odd, cameo, base, root, quad, gold, plover, pc, date, fm)
             ON CONFLICT (id) DO NOTHING",
        )?,
        seen_outlets: c.prepare("SELECT DISTINCT event FROM mentions WHERE event = ANY($1::bigint[]) AND outlet = $2::text")?,
        insert_mentions: c.prepare(
            r#"INSERT INTO mentions (rid, id, event, doc, ord, sentence, evidence, start, "end", source_char,
             target_char, action_char, outlet, mode, confidence, tone, rule, record)
             SELECT rid, id, event, $3::bigint, ord, sentence, evidence, start, e, source_char, target_char, action_char, $4::text,
               mode, confidence, tone, rule, record
             FROM unnest($1::bigint[], $2::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
               $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::text[], $15::float8[],
               $16::float8[], $17::text[], $18::text[])
             AS u(rid, id, event, ord, sentence, evidence, start, e, source_char, target_char, action_char, mode,
               confidence, tone, rule, record)"#,
        )?,
        bump: c.prepare(
            "UPDATE events AS ev SET num_mentions = ev.num_mentions + u.n, num_articles = ev.num_articles + 1,
             num_sources = ev.num_sources + u.s, tone_sum = ev.tone_sum + u.ts, tone_n = ev.tone_n + u.tn
             FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::float8[], $5::bigint[]) AS u(id, n, s, ts, tn)
             WHERE ev.id = u.id",
        )?,
        insert_quotes: c.prepare(
            r#"INSERT INTO quotes (id, doc, ord, sentence, kind, start, "end", text, speaker_code, speaker_name,
             speaker_text, cue, tone, confidence, record)
             SELECT id, $2::bigint, ord, sentence, kind, start, e, text, speaker_code, speaker_name, speaker_text, cue, tone,
               confidence, record
             FROM unnest($1::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[],
               $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::float8[], $14::float8[],
               $15::text[])
             AS u(id, ord, sentence, kind, start, e, text, speaker_code, speaker_name, speaker_text, cue, tone,
               confidence, record)
             ON CONFLICT DO NOTHING RETURNING id"#,
        )?,
        insert_quote_actors: c.prepare(
            "INSERT INTO quote_actors (quote, code) SELECT * FROM unnest($1::bigint[], $2::text[])
             ON CONFLICT DO NOTHING",
        )?,
        insert_entities: c.prepare(
            "INSERT INTO entities (doc, ord, label, name, code, spans)
             SELECT $1::bigint, u.* FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u",
        )?,
        insert_actors: c.prepare(
            r#"INSERT INTO actors (doc, ord, code, country, role, name, text, sentence, start, "end", tok_start,
             tok_end, via, entry)
             SELECT $1::bigint, u.* FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
               $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::text[], $14::text[]) AS u"#,
        )?,
    })
}

/// The story of a document and its roll-up day, as `write.rs` assigns them: the given story,
/// else the stored story with the smallest id whose fingerprint is within
/// [`MAX_CLUSTER_BITS`] bits, else a new one.
fn assign_story(tx: &mut postgres::Transaction, st: &Stmts, p: &Prepared) -> Result<(i64, Option<String>), StoreError> {
    let fp = p.fingerprint as u64;
    let bands: Vec<i64> = (0..4u64).map(|band| ((band << 16) | ((fp >> (16 * band)) & 0xffff)) as i64).collect();
    let found: Option<(i64, Option<String>)> = if let Some(s) = p.story {
        tx.query_opt(&st.story_by_id, &[&s])?.map(|r| (r.get(0), r.get(1)))
    } else if p.clusterable {
        let mut best: Option<(i64, Option<String>)> = None;
        for r in tx.query(&st.story_bands, &[&bands])? {
            let (id, date, f): (i64, Option<String>, i64) = (r.get(0), r.get(1), r.get(2));
            if ((f as u64) ^ fp).count_ones() <= MAX_CLUSTER_BITS && !matches!(best, Some((b, _)) if b <= id) {
                best = Some((id, date));
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
        tx.execute(&st.insert_bands, &[&bands, &id])?;
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
    if !p.evidence.is_empty() {
        let ev = &p.evidence;
        let ids: Vec<i64> = (0..ev.len()).map(|i| local_id(seq, i as i64)).collect();
        let sentence: Vec<i64> = ev.iter().map(|e| e.sentence).collect();
        let start: Vec<i64> = ev.iter().map(|e| e.start).collect();
        let end: Vec<i64> = ev.iter().map(|e| e.end).collect();
        tx.execute(&st.insert_evidence, &[&ids, &p.id, &sentence, &start, &end])?;
    }
    if !p.mentions.is_empty() {
        write_mentions(tx, st, p, seq, day.as_deref())?;
    }
    if !p.quotes.is_empty() {
        let q = &p.quotes;
        let ids: Vec<i64> = q.iter().map(|q| q.id).collect();
        let ord: Vec<i64> = q.iter().map(|q| q.ord).collect();
        let sentence: Vec<i64> = q.iter().map(|q| q.sentence).collect();
        let kind: Vec<&str> = q.iter().map(|q| q.kind).collect();
        let start: Vec<i64> = q.iter().map(|q| q.start).collect();
        let end: Vec<i64> = q.iter().map(|q| q.end).collect();
        let text: Vec<&str> = q.iter().map(|q| q.text.as_str()).collect();
        let speaker_code: Vec<Option<&str>> = q.iter().map(|q| q.speaker_code.as_deref()).collect();
        let speaker_name: Vec<Option<&str>> = q.iter().map(|q| q.speaker_name.as_deref()).collect();
        let speaker_text: Vec<Option<&str>> = q.iter().map(|q| q.speaker_text.as_deref()).collect();
        let cue: Vec<Option<&str>> = q.iter().map(|q| q.cue.as_deref()).collect();
        let tone: Vec<Option<f64>> = q.iter().map(|q| q.tone).collect();
        let confidence: Vec<f64> = q.iter().map(|q| q.confidence).collect();
        let record: Vec<&str> = q.iter().map(|q| q.record.as_str()).collect();
        let inserted: Vec<i64> = tx
            .query(
                &st.insert_quotes,
                &[
                    &ids,
                    &p.id,
                    &ord,
                    &sentence,
                    &kind,
                    &start,
                    &end,
                    &text,
                    &speaker_code,
                    &speaker_name,
                    &speaker_text,
                    &cue,
                    &tone,
                    &confidence,
                    &record,
                ],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        // The actors of the quotes this document stored (a quote already stored keeps its own).
        let (mut qa_quote, mut qa_code): (Vec<i64>, Vec<&str>) = (Vec::new(), Vec::new());
        for q in q.iter().filter(|q| inserted.contains(&q.id)) {
            for c in &q.actors {
                qa_quote.push(q.id);
                qa_code.push(c);
            }
        }
        if !qa_quote.is_empty() {
            tx.execute(&st.insert_quote_actors, &[&qa_quote, &qa_code])?;
        }
    }
    if !p.entities.is_empty() {
        let e = &p.entities;
        let ord: Vec<i64> = e.iter().map(|e| e.ord).collect();
        let label: Vec<&str> = e.iter().map(|e| e.label).collect();
        let name: Vec<&str> = e.iter().map(|e| e.name.as_str()).collect();
        let code: Vec<Option<&str>> = e.iter().map(|e| e.code.as_deref()).collect();
        let spans: Vec<&str> = e.iter().map(|e| e.spans.as_str()).collect();
        tx.execute(&st.insert_entities, &[&p.id, &ord, &label, &name, &code, &spans])?;
    }
    if !p.actors.is_empty() {
        let a = &p.actors;
        let ord: Vec<i64> = a.iter().map(|x| x.ord).collect();
        let code: Vec<&str> = a.iter().map(|x| x.code.as_str()).collect();
        let country: Vec<Option<&str>> = a.iter().map(|x| x.country.as_deref()).collect();
        let role: Vec<Option<&str>> = a.iter().map(|x| x.role.as_deref()).collect();
        let name: Vec<Option<&str>> = a.iter().map(|x| x.name.as_deref()).collect();
        let text: Vec<&str> = a.iter().map(|x| x.text.as_str()).collect();
        let sentence: Vec<i64> = a.iter().map(|x| x.sentence).collect();
        let start: Vec<i64> = a.iter().map(|x| x.start).collect();
        let end: Vec<i64> = a.iter().map(|x| x.end).collect();
        let tok_start: Vec<i64> = a.iter().map(|x| x.tok_start).collect();
        let tok_end: Vec<i64> = a.iter().map(|x| x.tok_end).collect();
        let via: Vec<&str> = a.iter().map(|x| x.via).collect();
        let entry: Vec<Option<&str>> = a.iter().map(|x| x.entry.as_deref()).collect();
        tx.execute(
            &st.insert_actors,
            &[
                &p.id, &ord, &code, &country, &role, &name, &text, &sentence, &start, &end, &tok_start, &tok_end, &via,
                &entry,
            ],
        )?;
    }
    Ok(true)
}

/// Inserts the mentions of one document and updates the counters of their events as
/// `write.rs` does: every mention counts, the document once per event, its outlet once per
/// event when no earlier document of that outlet reported it. A new event takes the values
/// of the document's first mention of it.
fn write_mentions(
    tx: &mut postgres::Transaction,
    st: &Stmts,
    p: &Prepared,
    seq: i64,
    day: Option<&str>,
) -> Result<(), StoreError> {
    let ms = &p.mentions;
    let eids: Vec<i64> =
        ms.iter().map(|m| event_id(&m.source_code, &m.target_code, &m.cameo, m.date.as_deref(), day)).collect();
    // Events touched, in first-mention order: (id, index of the first mention, mentions, tone sum, tone n).
    let mut touched: Vec<(i64, usize, i64, f64, i64)> = Vec::new();
    for (i, (m, &eid)) in ms.iter().zip(&eids).enumerate() {
        let t = match touched.iter().position(|t| t.0 == eid) {
            Some(j) => &mut touched[j],
            None => {
                touched.push((eid, i, 0, 0.0, 0));
                touched.last_mut().expect("pushed")
            }
        };
        t.2 += 1;
        if let Some(tone) = m.tone {
            t.3 += tone;
            t.4 += 1;
        }
    }
    let ids: Vec<i64> = touched.iter().map(|t| t.0).collect();
    // Outlets are checked before this document's mentions are in.
    let seen: Vec<i64> = tx.query(&st.seen_outlets, &[&ids, &p.outlet])?.iter().map(|r| r.get(0)).collect();

    {
        let first: Vec<&crate::write::MentionRow> = touched.iter().map(|t| &ms[t.1]).collect();
        let col = |f: fn(&crate::write::MentionRow) -> Option<&str>| -> Vec<Option<&str>> {
            first.iter().map(|m| f(m)).collect()
        };
        let source_code: Vec<&str> = first.iter().map(|m| m.source_code.as_str()).collect();
        let src3: Vec<String> = first.iter().map(|m| first3(&m.source_code)).collect();
        let target_code: Vec<&str> = first.iter().map(|m| m.target_code.as_str()).collect();
        let tgt3: Vec<String> = first.iter().map(|m| first3(&m.target_code)).collect();
        let odd: Vec<i64> = first
            .iter()
            .zip(src3.iter().zip(&tgt3))
            .map(|(m, (s3, t3))| {
                (m.source_country.as_deref().is_some_and(|c| c != s3)
                    || m.target_country.as_deref().is_some_and(|c| c != t3)) as i64
            })
            .collect();
        let cameo: Vec<&str> = first.iter().map(|m| m.cameo.as_str()).collect();
        let base: Vec<&str> = first.iter().map(|m| m.base.as_str()).collect();
        let root: Vec<&str> = first.iter().map(|m| m.root.as_str()).collect();
        let quad: Vec<i64> = first.iter().map(|m| m.quad_class).collect();
        let goldstein: Vec<f64> = first.iter().map(|m| m.goldstein).collect();
        let plover_context: Vec<&str> = first.iter().map(|m| m.plover_context.as_str()).collect();
        let first_mention: Vec<i64> = first.iter().map(|m| local_id(seq, m.ord)).collect();
        tx.execute(
            &st.insert_events,
            &[
                &ids,
                &source_code,
                &col(|m| m.source_country.as_deref()),
                &col(|m| m.source_role.as_deref()),
                &col(|m| m.source_name.as_deref()),
                &src3,
                &target_code,
                &col(|m| m.target_country.as_deref()),
                &col(|m| m.target_role.as_deref()),
                &col(|m| m.target_name.as_deref()),
                &tgt3,
                &odd,
                &cameo,
                &base,
                &root,
                &quad,
                &goldstein,
                &col(|m| m.plover.as_deref()),
                &plover_context,
                &col(|m| m.date.as_deref()),
                &day,
                &p.id,
                &first_mention,
            ],
        )?;
    }

    let rid: Vec<i64> = ms.iter().map(|m| local_id(seq, m.ord)).collect();
    let mid: Vec<i64> = ms.iter().map(|m| m.id).collect();
    let ord: Vec<i64> = ms.iter().map(|m| m.ord).collect();
    let sentence: Vec<i64> = ms.iter().map(|m| m.sentence).collect();
    let evidence: Vec<i64> = ms.iter().map(|m| local_id(seq, m.evidence)).collect();
    let start: Vec<i64> = ms.iter().map(|m| m.start).collect();
    let end: Vec<i64> = ms.iter().map(|m| m.end).collect();
    let source_char: Vec<i64> = ms.iter().map(|m| m.source_char).collect();
    let target_char: Vec<Option<i64>> = ms.iter().map(|m| m.target_char).collect();
    let action_char: Vec<i64> = ms.iter().map(|m| m.action_char).collect();
    let mode: Vec<&str> = ms.iter().map(|m| m.mode).collect();
    let confidence: Vec<f64> = ms.iter().map(|m| m.confidence).collect();
    let tone: Vec<Option<f64>> = ms.iter().map(|m| m.tone).collect();
    let rule: Vec<&str> = ms.iter().map(|m| m.rule.as_str()).collect();
    let record: Vec<&str> = ms.iter().map(|m| m.record.as_str()).collect();
    tx.execute(
        &st.insert_mentions,
        &[
            &rid,
            &mid,
            &p.id,
            &p.outlet,
            &eids,
            &ord,
            &sentence,
            &evidence,
            &start,
            &end,
            &source_char,
            &target_char,
            &action_char,
            &mode,
            &confidence,
            &tone,
            &rule,
            &record,
        ],
    )?;

    let n: Vec<i64> = touched.iter().map(|t| t.2).collect();
    let new_outlet: Vec<i64> = touched.iter().map(|t| (!seen.contains(&t.0)) as i64).collect();
    let tone_sum: Vec<f64> = touched.iter().map(|t| t.3).collect();
    let tone_n: Vec<i64> = touched.iter().map(|t| t.4).collect();
    tx.execute(&st.bump, &[&ids, &n, &new_outlet, &tone_sum, &tone_n])?;
    Ok(())
}
