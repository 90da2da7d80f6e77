//! Floors under the event-coding scores measured on 2026-12-03 (BENCHMARKS.md, "Event coding").
//! A regression that breaks them fails here; the scores themselves come from `dyad eval events`.
//! Skipped with a printed reason when `../shared` is missing; a failure then under `CI=true`.

use dyad_engine::{eval_events, eval_petrarch, CoderOptions, Engine};

#[test]
fn plover_gsr_floor() {
    let Some(path) = dyad_testkit::shared("eval/events/plover-gsr/PLOVER_GSR_CAMEO.json") else { return };
    // Measured: 149/322 (46.3%) with dyad's own dictionaries.
    let engine = Engine::builtin_with(CoderOptions { one_sided: true, uncoded_actors: false }).unwrap();
    let r = eval_events::gsr(&engine, &path).unwrap();
    eprintln!("GSR: {}/{}", r.hits, r.records);
    assert_eq!(r.records, 322);
    assert!(r.hits >= 143, "GSR hits fell to {}/{}", r.hits, r.records);
    // Measured: 165/322 (51.2%) when uncoded named entities may act.
    let engine = Engine::builtin_with(CoderOptions { one_sided: true, uncoded_actors: true }).unwrap();
    let r = eval_events::gsr(&engine, &path).unwrap();
    assert!(r.hits >= 158, "GSR hits (uncoded actors) fell to {}/{}", r.hits, r.records);
}

#[test]
fn petrarch_unit_records_floor() {
    let Some(path) = dyad_testkit::shared("eval/events/petrarch-unit/PETR.UnitTest.records.xml") else { return };
    // Measured: 145/284 exact, precision 0.819, recall 0.504 with the PETR.Validate dictionaries.
    let (engine, _) = eval_petrarch::engine_for(&path, None, eval_petrarch::VerbSource::Petrarch).unwrap();
    let r = eval_petrarch::score(&engine, &path).unwrap();
    eprintln!("PETRARCH records: {}/{} exact, P {:.3} R {:.3}", r.exact, r.records, r.precision(), r.recall());
    assert_eq!(r.records, 284);
    assert!(r.exact >= 139, "exact fell to {}/{}", r.exact, r.records);
    assert!(r.precision() >= 0.79 && r.recall() >= 0.48, "P {:.3} R {:.3}", r.precision(), r.recall());
}
