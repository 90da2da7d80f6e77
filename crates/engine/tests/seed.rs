//! The whole pipeline on the seed page, against its hand-made expected file.

use dyad_engine::{Engine, Timings};

#[test]
fn seed_page_required_events_and_no_furniture_actors() {
    let Some(dir) = dyad_testkit::shared("seeds") else { return };
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("000_d13cbc4c5b3b63ce.expected.json")).unwrap())
            .unwrap();
    let raw = dyad_ingest::read_file(&dir.join("000_d13cbc4c5b3b63ce.txt")).unwrap();
    let engine = Engine::builtin().unwrap();
    let doc = engine.process(&raw, chrono::NaiveDate::from_ymd_opt(2025, 2, 7), &mut Timings::default()).unwrap();
    let country = |a: &dyad_model::EventActor| a.country.clone().unwrap_or_default();
    let mut matched = Vec::new();
    for req in expected["events_required"].as_array().unwrap() {
        let sources: Vec<&str> = req["source_country"].as_str().unwrap().split('|').collect();
        let targets: Vec<&str> = req["target_country"].as_str().unwrap().split('|').collect();
        let roots: Vec<&str> = req["cameo_roots"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
        let hit = doc.events.iter().any(|e| {
            let t = e.target.as_ref().map(country).unwrap_or_default();
            sources.contains(&country(&e.source).as_str())
                && targets.contains(&t.as_str())
                && roots.contains(&e.root.as_str())
        });
        if hit {
            matched.push(req["id"].as_str().unwrap().to_string());
        }
    }
    eprintln!("required events matched: {matched:?}");
    // Floor: all five (E5, "North Korea released some victims", takes the victims of the abduction
    // named two sentences before: the coder's victim-reference rule).
    assert_eq!(matched.len(), 5, "matched only {matched:?}");
    for forbidden in expected["events_forbidden"].as_array().unwrap() {
        for bad in forbidden["any_actor_in"].as_array().unwrap() {
            let bad = bad.as_str().unwrap();
            assert!(doc.actors.iter().all(|a| !a.text.contains(bad)), "actor from furniture: {bad}");
        }
    }
    for e in &doc.events {
        assert!(!e.rule.is_empty());
        assert!(e.plover.is_some() || matches!(e.root.as_str(), "01" | "02"), "{e:?}");
        assert_eq!(e.reported, chrono::NaiveDate::from_ymd_opt(2025, 2, 7));
        assert!(e.evidence.contains(e.trigger));
        assert!(doc.article.body.get(e.evidence.start..e.evidence.end).is_some());
    }
}

#[test]
fn seed_page_six_quotes_with_their_speakers() {
    let Some(dir) = dyad_testkit::shared("seeds") else { return };
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("000_d13cbc4c5b3b63ce.expected.json")).unwrap())
            .unwrap();
    let raw = dyad_ingest::read_file(&dir.join("000_d13cbc4c5b3b63ce.txt")).unwrap();
    let engine = Engine::builtin().unwrap();
    let doc = engine.process(&raw, chrono::NaiveDate::from_ymd_opt(2025, 2, 7), &mut Timings::default()).unwrap();
    let want = expected["quotes"].as_array().unwrap();
    assert_eq!(want.len(), 6);
    for (i, w) in want.iter().enumerate() {
        let text = w["text"].as_str().unwrap();
        let q = doc.quotes.iter().find(|q| q.text == text).unwrap_or_else(|| panic!("quote {i} not found: {text}"));
        // The first three are Donald Trump's, the last three Shigeru Ishiba's.
        let (name, code) = if i < 3 { ("Donald Trump", "USAGOV") } else { ("Shigeru Ishiba", "JPNGOV") };
        assert_eq!(q.speaker_code.as_deref(), Some(code), "speaker of {text}");
        assert_eq!(q.speaker_name.as_deref(), Some(name), "speaker of {text}");
        assert!(q.cue.is_some() && q.tone.is_some());
        assert_eq!(&doc.article.body[q.content.start..q.content.end], q.text);
    }
}
