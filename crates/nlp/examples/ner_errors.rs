//! Prints the entity errors of a model on an IOB2 file: `ner_errors MODEL FILE [N]`.
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let ner = dyad_nlp::ner::Ner::from_bytes(&std::fs::read(&a[1]).unwrap()).unwrap();
    let sents = dyad_nlp::ner::read_iob2(&std::fs::read_to_string(&a[2]).unwrap()).unwrap();
    let n: usize = a.get(3).and_then(|x| x.parse().ok()).unwrap_or(40);
    let nlp = dyad_nlp::Nlp::new();
    let mut shown = 0;
    for s in &sents {
        let tags = nlp.tag_words(&s.words);
        let upos: Vec<&str> = tags.iter().map(|(u, _)| u.as_str()).collect();
        let pred = ner.recognize(
            &s.words,
            &upos,
            &dyad_nlp::ner::DocContext::new(sents.iter().filter(|x| x.doc == s.doc).map(|x| x.words.as_slice())),
        );
        let gold = dyad_nlp::ner::spans(&s.tags);
        if pred != gold && shown < n {
            shown += 1;
            let show = |v: &[(usize, usize, dyad_model::EntityLabel)]| {
                v.iter()
                    .map(|(b, e, l)| format!("{}:{}", l.as_str(), s.words[*b..*e].join(" ")))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            println!("{}\n  gold: {}\n  pred: {}", s.words.join(" "), show(&gold), show(&pred));
        }
    }
}
