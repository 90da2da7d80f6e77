//! `dyad eval events file.xml`: PETRARCH validation records.

use anyhow::Result;
use dyad_engine::eval_petrarch::{engine_for, score, VerbSource};
use std::path::Path;
use std::process::ExitCode;

pub fn run(file: &Path, dict: Option<&Path>, misses: bool, verbs: VerbSource) -> Result<ExitCode> {
    let t0 = std::time::Instant::now();
    let (engine, notes) = engine_for(file, dict, verbs)?;
    if !notes.is_empty() {
        eprintln!("dyad: {} malformed dictionary lines skipped:", notes.len());
        for n in &notes {
            eprintln!("  {n}");
        }
    }
    let load = t0.elapsed();
    let t1 = std::time::Instant::now();
    let r = score(&engine, file)?;
    let secs = t1.elapsed().as_secs_f64();
    for p in &r.problems {
        eprintln!("dyad: {p}");
    }
    if misses {
        for (id, cat, text, gold, got) in &r.misses {
            println!("MISS {id} [{cat}] {text}\n     gold: {gold}\n     dyad: {got}");
        }
    }
    let verbs = match verbs {
        VerbSource::Petrarch => "the <Environment> verb file",
        VerbSource::Own => "dyad's own verbs",
        VerbSource::Both => "dyad's own verbs + the <Environment> verb file",
    };
    println!(
        "PETRARCH records ({verbs}; actors, agents, discards of the <Environment>): {} records, {} ({:.1}%) exact",
        r.records,
        r.exact,
        100.0 * r.exact as f64 / r.records.max(1) as f64
    );
    println!(
        "  events: precision {:.3} ({}/{}), recall {:.3} ({}/{}); root agreement {}/{} coded, right dyad {}/{} coded",
        r.precision(),
        r.matched_events,
        r.coded_events,
        r.recall(),
        r.matched_events,
        r.gold_events,
        r.matched_roots,
        r.coded_events,
        r.matched_dyads,
        r.coded_events
    );
    println!(
        "  no-event records: {}/{} right; {} discarded by the discards file; {:.2} s to load, {:.2} s to code ({:.0} records/s)",
        r.none_correct,
        r.none_records,
        r.discarded,
        load.as_secs_f64(),
        secs,
        r.records as f64 / secs.max(1e-9)
    );
    for (c, (n, h)) in &r.by_category {
        println!("  {c:<10} {h:>3}/{n:<3} {:.0}%", 100.0 * *h as f64 / (*n).max(1) as f64);
    }
    Ok(ExitCode::SUCCESS)
}
