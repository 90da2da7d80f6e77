//! Prints the scores on a PolNeAR compartment and the gold contents missed, with what was
//! predicted near them: `cargo run --release -p dyad-attrib --example polnear_misses -- DIR [N]`.

use dyad_attrib::eval::{date_of, normalize, read_dir, score, Relation};
use dyad_model::Article;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "../shared/eval/quotes/polnear/train".into());
    let show: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(40);
    let docs = read_dir(std::path::Path::new(&dir)).expect("polnear folder");
    let nlp = dyad_nlp::Nlp::new();
    let dict = dyad_dict::ActorDict::builtin().expect("dictionary");
    let mut shown = 0;
    let scores = score(&docs, |d| {
        let a = Article::from_text(&d.name, d.text.clone());
        let ann = nlp.annotate(&a);
        let actors = dict.resolve(&a, &ann, date_of(&d.name));
        let pred: Vec<Relation> = dyad_attrib::attributions(&a, &ann, &actors).iter().map(Relation::from).collect();
        let t = &d.text;
        let txt = |v: &[dyad_model::Span]| v.iter().map(|s| s.text(t)).collect::<Vec<_>>().join(" … ");
        for g in &d.relations {
            let gc = normalize(t, &g.content);
            let hit = pred.iter().find(|p| normalize(t, &p.content).iter().any(|x| gc.iter().any(|y| x.overlaps(*y))));
            let ok = hit.is_some_and(|p| {
                let (ps, gs) = (normalize(t, &p.source), normalize(t, &g.source));
                (ps.is_empty() && gs.is_empty()) || ps.iter().any(|x| gs.iter().any(|y| x.overlaps(*y)))
            });
            if ok || shown >= show {
                continue;
            }
            shown += 1;
            println!("MISS {} | src [{}] cue [{}]\n  gold: {}", d.name, txt(&g.source), txt(&g.cue), txt(&gc));
            match hit {
                Some(p) => println!("  pred: src [{}] cue [{}] {}", txt(&p.source), txt(&p.cue), txt(&p.content)),
                None => println!("  pred: none"),
            }
        }
        if std::env::var("DUP").is_ok() {
            for g in &d.relations {
                let gc = normalize(t, &g.content);
                let ps: Vec<&Relation> = pred
                    .iter()
                    .filter(|p| normalize(t, &p.content).iter().any(|x| gc.iter().any(|y| x.overlaps(*y))))
                    .collect();
                if ps.len() >= 2 {
                    println!("DUP gold [{}] {}", txt(&g.cue), txt(&gc));
                    for p in ps {
                        println!(
                            "    pred [{}] src [{}] {}",
                            txt(&p.cue),
                            txt(&p.source),
                            txt(&normalize(t, &p.content))
                        );
                    }
                }
            }
        }
        if std::env::var("FP").is_ok() {
            for p in &pred {
                let pc = normalize(t, &p.content);
                let hit = d
                    .relations
                    .iter()
                    .any(|g| normalize(t, &g.content).iter().any(|y| pc.iter().any(|x| x.overlaps(*y))));
                if !hit {
                    println!("FP [{}] src [{}] {}", txt(&p.cue), txt(&p.source), txt(&pc));
                }
            }
        }
        pred
    });
    print!("{scores}");
}
