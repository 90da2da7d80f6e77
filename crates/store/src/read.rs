//! Reading a stored document back whole: the record plus the rows of its lists.

use crate::mention::{self, Columns};
use crate::{Store, StoreError};
use dyad_model::{Actor, ActorVia, CodedDocument, DocId, EntityLabel, EntityMention, Quote, Span};
use rusqlite::OptionalExtension;

impl Store {
    /// The coded document as it was stored, or `None` when no document has this id.
    pub fn document(&self, id: DocId) -> Result<Option<CodedDocument>, StoreError> {
        let id = id.as_i64();
        let row: Option<(String, String, i64)> = self
            .conn
            .prepare_cached("SELECT body, record, seq FROM documents WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let Some((body, record, seq)) = row else { return Ok(None) };
        let mut doc: CodedDocument = serde_json::from_str(&record)?;
        doc.article.body = body;

        let mut stmt = self.conn.prepare_cached(
            "SELECT m.record, m.id, m.sentence, m.start, m.end, m.mode, m.confidence, m.tone, m.rule,
                    e.source_code, e.target_code, e.cameo
             FROM mentions m JOIN events e ON e.id = m.event
             WHERE m.rid >= (?1 << 20) AND m.rid < ((?1 + 1) << 20) ORDER BY m.rid",
        )?;
        let rows = stmt.query_map([seq], |r| Ok((r.get::<_, String>(0)?, mention_columns(r, 1)?)))?;
        for r in rows {
            let (record, cols) = r?;
            doc.events.push(mention::event_of(&record, cols)?);
        }
        let mut stmt = self.conn.prepare_cached("SELECT record FROM quotes WHERE doc = ?1 ORDER BY ord")?;
        for r in stmt.query_map([id], |r| r.get::<_, String>(0))? {
            doc.quotes.push(serde_json::from_str::<Quote>(&r?)?);
        }
        let mut stmt =
            self.conn.prepare_cached(
                "SELECT label, name, code, spans FROM entities WHERE rid >= (?1 << 20) AND rid < ((?1 + 1) << 20) ORDER BY rid",
            )?;
        let rows = stmt.query_map([seq], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, String>(3)?))
        })?;
        for r in rows {
            let (label, name, code, spans) = r?;
            let spans: Vec<[usize; 2]> = serde_json::from_str(&spans)?;
            doc.entities.push(EntityMention {
                label: EntityLabel::parse(&label).unwrap_or(EntityLabel::MISC),
                name,
                code,
                spans: spans.into_iter().map(|[s, e]| Span::new(s, e.max(s))).collect(),
            });
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, country, role, name, text, sentence, start, end, tok_start, tok_end, via, entry
             FROM actors WHERE rid >= (?1 << 20) AND rid < ((?1 + 1) << 20) ORDER BY rid",
        )?;
        let rows = stmt.query_map([seq], |r| {
            let via: String = r.get(10)?;
            let (start, end): (i64, i64) = (r.get(6)?, r.get(7)?);
            Ok(Actor {
                code: r.get(0)?,
                country: r.get(1)?,
                role: r.get(2)?,
                name: r.get(3)?,
                text: r.get(4)?,
                sentence: r.get::<_, i64>(5)? as usize,
                span: Span::new(start as usize, end.max(start) as usize),
                tokens: (r.get::<_, i64>(8)? as usize, r.get::<_, i64>(9)? as usize),
                via: match via.as_str() {
                    "dictionary" => ActorVia::Dictionary,
                    "agent" => ActorVia::Agent,
                    "coreference" => ActorVia::Coreference,
                    _ => ActorVia::Entity,
                },
                entry: r.get(11)?,
            })
        })?;
        for r in rows {
            doc.actors.push(r?);
        }
        Ok(Some(doc))
    }

    /// Ids of the stored documents, in the order they were stored.
    pub fn document_ids(&self) -> Result<Vec<DocId>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT id FROM documents ORDER BY seq")?;
        let rows = stmt.query_map([], |r| r.get::<_, i64>(0))?;
        rows.map(|r| Ok(DocId::from_i64(r?))).collect()
    }
}

/// The mention columns `id, sentence, start, end, mode, confidence, tone, rule` and the event
/// columns `source_code, target_code, cameo`, in that order from column `at`.
pub(crate) fn mention_columns(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Columns> {
    Ok(Columns {
        id: r.get(at)?,
        sentence: r.get(at + 1)?,
        start: r.get(at + 2)?,
        end: r.get(at + 3)?,
        mode: r.get(at + 4)?,
        confidence: r.get(at + 5)?,
        tone: r.get(at + 6)?,
        rule: r.get(at + 7)?,
        source_code: r.get(at + 8)?,
        target_code: r.get(at + 9)?,
        cameo: r.get(at + 10)?,
    })
}
