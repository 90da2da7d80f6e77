//! Floors on PolNeAR dev: a regression breaks them; `dyad eval quotes` prints the figures.

use dyad_attrib::eval::{date_of, read_dir, score, Relation};
use dyad_model::Article;

#[test]
fn polnear_dev_floors() {
    let Some(dir) = dyad_testkit::shared("eval/quotes/polnear/dev") else { return };
    let docs = read_dir(&dir).expect("polnear dev");
    let nlp = dyad_nlp::Nlp::new();
    let dict = dyad_dict::ActorDict::builtin().unwrap();
    let s = score(&docs, |d| {
        let a = Article::from_text(&d.name, d.text.clone());
        let ann = nlp.annotate(&a);
        let actors = dict.resolve(&a, &ann, date_of(&d.name));
        dyad_attrib::attributions(&a, &ann, &actors).iter().map(Relation::from).collect()
    });
    eprintln!("{s}");
    assert_eq!(s.documents, 94);
    // Measured 2026-12-03: content 0.743, source 0.670, cue 0.687, relation 0.584, exact content 0.398.
    assert!(s.content.overlap.f1() >= 0.72, "content overlap F1 {:.3}", s.content.overlap.f1());
    assert!(s.source.overlap.f1() >= 0.65, "source overlap F1 {:.3}", s.source.overlap.f1());
    assert!(s.cue.overlap.f1() >= 0.66, "cue overlap F1 {:.3}", s.cue.overlap.f1());
    assert!(s.relation.overlap.f1() >= 0.56, "relation overlap F1 {:.3}", s.relation.overlap.f1());
    assert!(s.content.exact.f1() >= 0.38, "content exact F1 {:.3}", s.content.exact.f1());
}
