//! Tone is given per article, per sentence, per event and per quote.

use dyad_engine::{Engine, Timings};
use dyad_model::Article;

#[test]
fn every_sentence_has_a_tone_and_it_follows_its_words() {
    let engine = Engine::builtin().unwrap();
    let text = "The ministers praised the excellent, friendly and successful talks. \
                The talks were held in Geneva on Tuesday. \
                Rebels killed ten villagers in a brutal, horrific attack.";
    let doc = engine.code(
        Article::from_text("t", text),
        chrono::NaiveDate::from_ymd_opt(2024, 3, 5),
        &mut Timings::default(),
    );
    assert_eq!(doc.sentences.len(), 3, "{:?}", doc.sentences);
    assert_eq!(doc.sentence_tones.len(), doc.sentences.len());
    let t = &doc.sentence_tones;
    assert!(t[0] > 0.0 && t[2] < 0.0 && t[0] > t[1] && t[1] > t[2], "{t:?}");
    // The article's tone lies between its most negative and most positive sentence.
    assert!(doc.tone.tone < t[0] && doc.tone.tone > t[2], "{} {t:?}", doc.tone.tone);
    // The printed record carries them.
    let json = serde_json::to_value(&doc).unwrap();
    assert_eq!(json["sentence_tones"].as_array().map(Vec::len), Some(3));
}
