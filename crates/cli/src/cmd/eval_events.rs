//! `dyad eval events`: the event coder against PLOVER GSR JSON or PETRARCH validation XML.

use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

/// Score event coding: a PLOVER GSR `.json` file (dyad's own dictionaries), or a PETRARCH
/// validation `.xml` file (with the `PETR.Validate.*` dictionaries beside it, or `--dict DIR`).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad eval events ../shared/eval/events/plover-gsr/PLOVER_GSR_CAMEO.json\n  dyad eval events ../shared/eval/events/petrarch-unit/PETR.UnitTest.records.xml"
)]
pub struct Args {
    /// The gold file.
    file: PathBuf,
    /// Folder with the PETRARCH dictionaries named by the XML's <Environment> (default: the XML's folder).
    #[arg(long)]
    dict: Option<PathBuf>,
    /// Print each missed record.
    #[arg(long)]
    misses: bool,
    /// Which verbs code the records: `petrarch` (the XML's `<Environment>` verb file, or the
    /// --verb-file for the GSR), `own` (dyad's) or `both`. Default: `petrarch` for XML, `own` for
    /// the GSR. Actors of the XML always come from its `<Environment>`.
    #[arg(long, value_name = "WHICH")]
    verbs: Option<String>,
    /// PLOVER GSR: a PETRARCH-2 verb file (`CAMEO.2.0.txt`) to code with, as --verbs says.
    #[arg(long, value_name = "FILE")]
    verb_file: Option<PathBuf>,
    /// PLOVER GSR: named entities that no dictionary codes may be sources and targets (matched on
    /// their text), as PETRARCH's `new_actor_length` allows.
    #[arg(long)]
    uncoded_actors: bool,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let is_xml = a.file.extension().is_some_and(|e| e == "xml");
    if is_xml {
        use dyad_engine::eval_petrarch::VerbSource;
        let verbs = match a.verbs.as_deref().unwrap_or("petrarch") {
            "petrarch" => VerbSource::Petrarch,
            "own" => VerbSource::Own,
            "both" => VerbSource::Both,
            v => anyhow::bail!("--verbs {v:?}: expected petrarch, own or both"),
        };
        return super::eval_petrarch::run(&a.file, a.dict.as_deref(), a.misses, verbs);
    }
    let options = dyad_engine::CoderOptions { one_sided: true, uncoded_actors: a.uncoded_actors };
    let engine = match (a.verbs.as_deref().unwrap_or("own"), &a.verb_file) {
        ("own", _) => dyad_engine::Engine::builtin_with(options)?,
        (v @ ("petrarch" | "both"), Some(f)) => {
            let (e, notes) = dyad_engine::eval_petrarch::engine_with_verbs_and(
                dyad_dict::ActorDict::builtin()?,
                std::slice::from_ref(f),
                v == "both",
                options,
            )?;
            if !notes.is_empty() {
                eprintln!("dyad: {} malformed verb dictionary lines skipped", notes.len());
            }
            e
        }
        ("petrarch" | "both", None) => anyhow::bail!("--verbs petrarch|both on the GSR needs --verb-file FILE"),
        (v, _) => anyhow::bail!("--verbs {v:?}: expected petrarch, own or both"),
    };
    let t0 = std::time::Instant::now();
    let r = dyad_engine::eval_events::gsr(&engine, &a.file)?;
    if a.misses {
        for (id, t, text, got) in &r.misses {
            println!("MISS {id} [{t}] {text}\n     dyad: {got}");
        }
    }
    println!(
        "PLOVER GSR: {} records with a gold event; {} ({:.1}%) get an event of the gold type with a matching source; \
         {} ({:.1}%) an event of the gold type; {} coded at all; {} events; {:.1} s",
        r.records,
        r.hits,
        100.0 * r.rate(),
        r.type_hits,
        100.0 * r.type_hits as f64 / r.records.max(1) as f64,
        r.coded,
        r.events,
        t0.elapsed().as_secs_f64()
    );
    for (t, (n, h)) in &r.by_type {
        println!("  {t:<10} {h:>3}/{n:<3} {:.0}%", 100.0 * *h as f64 / (*n).max(1) as f64);
    }
    Ok(ExitCode::SUCCESS)
}
