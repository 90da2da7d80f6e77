//! Prints the parse and the attributions of a text given as the first argument:
//! `cargo run --release -p dyad-attrib --example attrib_debug -- "He said that …"`.

use dyad_model::Article;

fn main() {
    let text = std::env::args().nth(1).unwrap_or_default();
    let a = Article::from_text("arg", text);
    let ann = dyad_nlp::Nlp::new().annotate(&a);
    let actors = dyad_dict::ActorDict::builtin().expect("dictionary").resolve(
        &a,
        &ann,
        chrono::NaiveDate::from_ymd_opt(2025, 2, 7),
    );
    for s in &ann.sentences {
        for (i, t) in s.tokens.iter().enumerate() {
            println!(
                "{:>3} {:<15} {:<10} {:?} {:>3} {}",
                i + 1,
                t.span.text(&a.body),
                t.lemma,
                t.upos,
                t.head,
                t.deprel
            );
        }
        println!();
    }
    for x in dyad_attrib::attributions(&a, &ann, &actors) {
        let t = |s: Option<dyad_model::Span>| s.map(|s| s.text(&a.body).to_string()).unwrap_or_default();
        let c: Vec<&str> = x.content.iter().map(|s| s.text(&a.body)).collect();
        println!(
            "{:?} src [{}] cue [{}] actor {:?} content {:?}",
            x.kind,
            t(x.source),
            t(x.cue),
            x.actor.map(|i| &actors[i].code),
            c
        );
    }
}
