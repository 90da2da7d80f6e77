//! Lists the word-span errors of dyad's tokenizer on a treebank's raw text (missed gold words and
//! spurious predicted ones, with a little context), most frequent first: `token_errors FILE.conllu`.
use std::collections::HashMap;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: token_errors FILE.conllu");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    let sents = dyad_nlp::conllu::parse(&text).unwrap_or_else(|e| {
        eprintln!("{path}:{e}");
        std::process::exit(1)
    });
    let mut missed: HashMap<String, usize> = HashMap::new();
    let mut spurious: HashMap<String, usize> = HashMap::new();
    for p in dyad_nlp::raw_paragraphs(&sents) {
        let spans = dyad_nlp::tokenize(&p.text);
        let pred: std::collections::HashSet<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
        for &(a, b) in &p.words {
            if !pred.contains(&(a, b)) {
                *missed.entry(p.text[a..b].to_string()).or_default() += 1;
            }
        }
        for &(a, b) in &pred {
            if !p.words.contains(&(a, b)) {
                *spurious.entry(p.text[a..b].to_string()).or_default() += 1;
            }
        }
    }
    for (name, m) in [("missed gold words", missed), ("spurious predicted words", spurious)] {
        let mut v: Vec<_> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        println!("== {name}: {}", v.iter().map(|x| x.1).sum::<usize>());
        for (w, n) in v.iter().take(60) {
            println!("{n:5} {w:?}");
        }
    }
}
