use super::*;
use chrono::NaiveDate;

fn run(text: &str) -> Vec<Quote> {
    let a = Article::from_text("t", text);
    let d = dyad_nlp::Nlp::new().annotate(&a);
    let actors = dyad_dict::ActorDict::builtin().unwrap().resolve(&a, &d, NaiveDate::from_ymd_opt(2025, 2, 7));
    quotes(&a, &d, &actors)
}

fn summary(qs: &[Quote]) -> Vec<(String, Option<String>, Option<String>)> {
    qs.iter().map(|q| (q.text.clone(), q.speaker_code.clone(), q.cue_lemma.clone())).collect()
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

#[test]
fn cue_after_and_before_the_quote() {
    let got =
        run("“We will meet again,” Prime Minister Shigeru Ishiba said. Later Donald Trump warned, “Time is short.”");
    assert_eq!(
        summary(&got),
        [("We will meet again,".into(), s("JPNGOV"), s("say")), ("Time is short.".into(), s("USAGOV"), s("warn"))]
    );
    assert_eq!(got[0].speaker_name.as_deref(), Some("Shigeru Ishiba"));
}

#[test]
fn pronoun_speakers_take_the_coreferent_code() {
    let got = run("Shigeru Ishiba spoke in Tokyo. He added, “We are ready to talk.”");
    assert_eq!(summary(&got), [("We are ready to talk.".into(), s("JPNGOV"), s("add"))]);
}

#[test]
fn no_cue_means_unknown_speaker_and_apostrophes_are_no_quotes() {
    let got = run("Donald Trump was there. “It’s a big day for everyone here.” The 5'10\" man didn't say 'no'.");
    assert_eq!(got.len(), 1, "{:?}", summary(&got));
    assert_eq!(got[0].speaker_code, None);
    assert_eq!(got[0].text, "It’s a big day for everyone here.");
}

#[test]
fn indirect_quotes() {
    let got = run("Narendra Modi said that India would send aid to the region.");
    assert_eq!(summary(&got), [("India would send aid to the region".into(), s("INDGOV"), s("say"))]);
    assert_eq!(got[0].kind, QuoteKind::Indirect);
}

#[test]
fn unclosed_quote_stays_in_its_paragraph() {
    let got = run("Emmanuel Macron said: “This never closes and goes on\n\nA new paragraph with no quote at all.");
    assert_eq!(got.len(), 1);
    assert!(!got[0].text.contains("new paragraph"));
    let long = format!("“{}", "word ".repeat(10_000));
    let got = run(&long);
    assert!(got.iter().all(|q| q.content.len() <= 20_000));
}

#[test]
fn tone_shape() {
    let t = tone("We welcome this good and great agreement, but the attack was terrible.");
    assert_eq!(t.word_count, 12);
    assert!(t.positive > 0.0 && t.negative > 0.0);
    assert!((t.tone - (t.positive - t.negative)).abs() < 1e-4);
    assert!((t.polarity - (t.positive + t.negative)).abs() < 1e-4);
    assert!(t.self_group_density > 0.0);
    assert_eq!(tone(""), Tone::default());
}

#[test]
fn seed_page_quotes_and_speakers() {
    let Some(dir) = dyad_testkit::shared("seeds") else { return };
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("000_d13cbc4c5b3b63ce.expected.json")).unwrap())
            .unwrap();
    let raw = dyad_ingest::read_file(&dir.join("000_d13cbc4c5b3b63ce.txt")).unwrap();
    let a = dyad_ingest::extract(&raw).unwrap();
    let d = dyad_nlp::Nlp::new().annotate(&a);
    let actors = dyad_dict::ActorDict::builtin().unwrap().resolve(&a, &d, NaiveDate::from_ymd_opt(2025, 2, 7));
    let got = quotes(&a, &d, &actors);
    for want in expected["quotes"].as_array().unwrap() {
        let text = want["text"].as_str().unwrap();
        let q = got
            .iter()
            .find(|q| q.text == text)
            .unwrap_or_else(|| panic!("quote not found: {text}\n{:#?}", summary(&got)));
        assert_eq!(q.speaker_code.as_deref(), want["speaker_actor"].as_str(), "speaker of {text}");
        assert_eq!(q.speaker_name.as_deref(), want["speaker"].as_str(), "speaker name of {text}");
    }
}
