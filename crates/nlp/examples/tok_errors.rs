//! Prints tokenization differences against a CoNLL-U file: `tok_errors FILE [N]`.
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let sents = dyad_nlp::conllu::parse(&std::fs::read_to_string(&a[1]).unwrap()).unwrap();
    let n: usize = a.get(2).and_then(|x| x.parse().ok()).unwrap_or(60);
    let mut counts = std::collections::HashMap::<String, usize>::new();
    for s in &sents {
        let text = s.text.clone().unwrap_or_default();
        let gold: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        let got: Vec<&str> = dyad_nlp::tokenize(&text).iter().map(|sp| sp.text(&text)).collect();
        if gold != got {
            // first difference
            let k = gold.iter().zip(&got).take_while(|(g, p)| g == p).count();
            let g = gold.get(k..(k + 3).min(gold.len())).unwrap_or(&[]).join(" ");
            let p = got.get(k..(k + 3).min(got.len())).unwrap_or(&[]).join(" ");
            *counts.entry(format!("gold [{g}]  got [{p}]")).or_default() += 1;
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by_key(|b| std::cmp::Reverse(b.1));
    for (k, c) in v.iter().take(n) {
        println!("{c:>3} {k}");
    }
}
