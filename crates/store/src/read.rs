//! Reading a stored document back whole: the record plus the rows of its lists.

use crate::{Store, StoreError};
use dyad_model::{Actor, ActorVia, CodedDocument, DocId, EntityLabel, EntityMention, Event, Quote, Span};
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
            "SELECT record FROM mentions WHERE rid >= (?1 << 20) AND rid < ((?1 + 1) << 20) ORDER BY rid",
        )?;
        for r in stmt.query_map([seq], |r| r.get::<_, String>(0))? {
            doc.events.push(serde_json::from_str::<Event>(&r?)?);
        }
        let mut stmt = self.conn.prepare_cached("SELECT record FROM quotes WHERE doc = ?1 ORDER BY ord")?;
        for r in stmt.query_map([id], |r| r.get::<_, String>(0))? {
            doc.quotes.push(serde_json::from_str::<Quote>(&r?)?);
        }
        let mut stmt =
            self.conn.prepare_cached("SELECT label, name, code, spans FROM entities WHERE doc = ?1 ORDER BY ord")?;
        let rows = stmt.query_map([id], |r| {
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
             FROM actors WHERE doc = ?1 ORDER BY ord",
        )?;
        let rows = stmt.query_map([id], |r| {
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
