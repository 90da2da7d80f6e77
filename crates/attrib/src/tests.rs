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

/// Every quote lies inside the body on char boundaries and inside one paragraph or a run of
/// paragraphs that reopen with a mark.
fn check_spans(text: &str, qs: &[Quote]) {
    for q in qs {
        assert!(text.get(q.content.start..q.content.end).is_some(), "{q:?}");
        assert_eq!(q.text, &text[q.content.start..q.content.end]);
    }
}

#[test]
fn bad_input_unbalanced_marks_do_not_swallow_the_article() {
    let text = "Officials said “the talks failed and nobody knows why at this point.\n\n\
                The second paragraph has no quotation at all.\n\n\
                A third one says ” and \" and ‘ in odd places ” here.\n\n\
                Donald Trump said, “We will see what happens next.”";
    let got = run(text);
    check_spans(text, &got);
    let second = text.find("The second").unwrap();
    for q in &got {
        let inside_first = q.content.end <= second;
        let in_last = q.content.start > text.find("Donald").unwrap();
        let in_third = q.content.start > second && !q.text.contains("\n\n");
        assert!(inside_first || in_last || in_third, "quote runs over paragraphs: {:?}", q.text);
    }
    let last = got.iter().find(|q| q.text == "We will see what happens next.").expect("the closed quote");
    assert_eq!(last.speaker_code.as_deref(), Some("USAGOV"));
}

#[test]
fn bad_input_never_closing_quote_stops_at_its_paragraph() {
    let mut text = String::from("Emmanuel Macron said: “This quotation never closes and goes on");
    for i in 0..50 {
        text.push_str(&format!("\n\nParagraph {i} of plain reporting follows here."));
    }
    let got = run(&text);
    check_spans(&text, &got);
    assert!(got.iter().all(|q| !q.text.contains("Paragraph")), "{:?}", summary(&got));
}

#[test]
fn bad_input_nested_quotes_stay_one_quotation() {
    let text = "“He told me ‘we are done’ and walked away,” Shigeru Ishiba said.";
    let got = run(text);
    check_spans(text, &got);
    assert_eq!(summary(&got), [("He told me ‘we are done’ and walked away,".into(), s("JPNGOV"), s("say"))]);
}

#[test]
fn bad_input_ten_thousand_word_quotation_is_bounded() {
    let words = "we will keep talking to everyone ".repeat(2_000);
    for text in [format!("Donald Trump said, “{words}”"), format!("Donald Trump said, “{words}")] {
        let t = std::time::Instant::now();
        let got = run(&text);
        check_spans(&text, &got);
        assert!(!got.is_empty());
        assert!(got.iter().all(|q| q.content.len() <= 20_000));
        assert!(t.elapsed().as_secs() < 60, "took {:?}", t.elapsed());
    }
}

#[test]
fn bad_input_inch_and_minute_signs_are_no_quotes() {
    let text = "The 6'2\" guard ran the mile in 4'05\" flat. He said he was 5'11\" last year.\n\n\
                Coordinates 40°26'46\" N were given.";
    let got = run(text);
    check_spans(text, &got);
    // "He said he was 5'11\" last year" is reported speech; no sign opens a direct quotation.
    assert!(
        got.iter().all(|q| q.kind == QuoteKind::Indirect && !q.text.contains("Coordinates")),
        "{:?}",
        summary(&got)
    );
    assert_eq!(got.len(), 1, "{:?}", summary(&got));
}

#[test]
fn bad_input_only_marks_and_empty_text() {
    for text in ["", "“", "”", "\"\"\"\"", "“ ” “ ” ‘ ’ « » „ “", &"“".repeat(5_000), "said said said: according to"]
    {
        let got = run(text);
        check_spans(text, &got);
    }
}

#[test]
fn according_to_and_split_quotes() {
    let got = run("According to Shigeru Ishiba, Japan will send more aid to the region.");
    assert_eq!(got.len(), 1, "{:?}", summary(&got));
    assert_eq!(got[0].speaker_code.as_deref(), Some("JPNGOV"));
    assert_eq!(got[0].cue_lemma.as_deref(), Some("according to"));
    assert!(got[0].text.contains("Japan will send more aid"));
    // One quotation split around its cue is one quote with one speaker.
    let got = run("“We are ready,” Donald Trump said, “and we will go soon.”");
    assert_eq!(got.len(), 1, "{:?}", summary(&got));
    assert_eq!(got[0].speaker_code.as_deref(), Some("USAGOV"));
}

#[test]
fn quotation_over_paragraphs_keeps_its_speaker() {
    let text = "Donald Trump said:\n\n“We will meet them soon and talk.\n\n“And then we will decide what to do.”\n\nOther news.";
    let got = run(text);
    assert_eq!(got.len(), 1, "{:?}", summary(&got));
    assert!(got[0].text.starts_with("We will meet") && got[0].text.ends_with("what to do."));
    assert_eq!(got[0].speaker_code.as_deref(), Some("USAGOV"));
}
