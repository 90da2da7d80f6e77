//! Persons and organisations that no dictionary knows are kept as uncoded actors, never coded.

use dyad_engine::{Engine, Timings};
use dyad_model::{ActorVia, Article};

#[test]
fn unknown_people_are_kept_uncoded_and_never_take_part_in_events() {
    let engine = Engine::builtin().unwrap();
    let text = "Maria Okonkwo, a spokeswoman for Halvorsen Logistics, said on Monday that the company \
                had met President Emmanuel Macron in Paris. Okonkwo criticized the delay.";
    let doc = engine.code(
        Article::from_text("t", text),
        chrono::NaiveDate::from_ymd_opt(2024, 3, 5),
        &mut Timings::default(),
    );
    let uncoded: Vec<&str> = doc.actors.iter().filter(|a| a.via == ActorVia::Entity).map(|a| a.text.as_str()).collect();
    assert!(uncoded.iter().any(|t| t.contains("Okonkwo")), "{:?}", doc.actors);
    for a in doc.actors.iter().filter(|a| a.via == ActorVia::Entity) {
        assert!(a.code.is_empty(), "{a:?}");
        assert_eq!(a.span.text(&doc.article.body), a.text);
        // Never on top of a dictionary actor.
        assert!(!doc.actors.iter().any(|b| b.via != ActorVia::Entity && b.span.overlaps(a.span)), "{a:?}");
    }
    assert!(doc.actors.windows(2).all(|w| w[0].span.start <= w[1].span.start));
    assert!(
        doc.events.iter().all(|e| !e.source.code.is_empty() && e.target.as_ref().is_none_or(|t| !t.code.is_empty())),
        "{:?}",
        doc.events
    );
    // Macron is known: coded, not an entity.
    assert!(doc.actors.iter().any(|a| a.text.contains("Macron") && a.code == "FRAGOV"), "{:?}", doc.actors);
}
