//! Prints the commonest lemma errors against a CoNLL-U file, with the gold and predicted XPOS:
//! `lemma_errors FILE [N]`.
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let sents = dyad_nlp::conllu::parse(&std::fs::read_to_string(&a[1]).unwrap()).unwrap();
    let n: usize = a.get(2).and_then(|x| x.parse().ok()).unwrap_or(60);
    let nlp = dyad_nlp::Nlp::new();
    let mut counts = std::collections::HashMap::<String, usize>::new();
    let (mut total, mut wrong, mut wrong_tag) = (0, 0, 0);
    for s in &sents {
        let words: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
        for (g, p) in s.words.iter().zip(nlp.analyze_words(&words)) {
            total += 1;
            if p.lemma != g.lemma {
                wrong += 1;
                wrong_tag += (p.xpos != g.xpos) as usize;
                let k = format!("{} gold {}/{} got {}/{}", g.form, g.lemma, g.xpos, p.lemma, p.xpos);
                *counts.entry(k).or_default() += 1;
            }
        }
    }
    println!("{wrong} of {total} lemmas wrong, {wrong_tag} of them with a wrong XPOS");
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by_key(|b| std::cmp::Reverse(b.1));
    for (k, c) in v.iter().take(n) {
        println!("{c:>3} {k}");
    }
}
