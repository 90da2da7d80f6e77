//! Extraction quality on the public benchmarks, with floors a little under the figures reached
//! (BENCHMARKS.md), so a regression fails CI. Rerun the figures: `dyad eval extraction <dir>`.

use dyad_ingest::eval;

#[test]
fn scrapinghub_shingle_f1_floor() {
    let Some(dir) = dyad_testkit::shared("eval/extraction/scrapinghub") else { return };
    let r = eval::run(&dir).unwrap();
    assert_eq!(r.pages, 181);
    let (p, rc, f) = r.shingle.unwrap();
    println!("scrapinghub: P {p:.3} R {rc:.3} F1 {f:.3}, {} without text", r.failed);
    assert!(f >= 0.96, "shingle F1 {f:.3} under the floor 0.96");
    assert!(r.failed <= 2, "{} pages without text", r.failed);
}

#[test]
fn wcxb_article_word_f1_and_date_floors() {
    let Some(dir) = dyad_testkit::shared("eval/extraction/wcxb-dev") else { return };
    let r = eval::run(&dir).unwrap();
    let art = r.by_type["article"];
    println!(
        "wcxb articles: word F1 {:.3}; dates {:.3} correct, {:.3} wrong",
        art.f1,
        r.dates.accuracy(),
        r.dates.wrong_share()
    );
    assert!(art.pages >= 790);
    assert!(art.f1 >= 0.945, "article word F1 {:.3} under the floor 0.945", art.f1);
    assert!(r.dates.accuracy() >= 0.81, "date accuracy {:.3} under the floor 0.81", r.dates.accuracy());
    assert!(r.dates.wrong_share() <= 0.07, "wrong dates {:.3} over the ceiling 0.07", r.dates.wrong_share());
}
