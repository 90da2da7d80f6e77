//! `dyad dict`: check actor dictionaries (dyad's own and PETRARCH/TABARI files).

use anyhow::Result;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Dictionary tools: check actor dictionaries (dyad's own and PETRARCH/TABARI files).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad dict check ../shared/reference/dictionaries/phoenix\n  dyad dict check --builtin my.actors.txt"
)]
pub struct Args {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(clap::Subcommand)]
enum Cmd {
    Check(CheckArgs),
}

/// Load dictionary files, print the entries read from each and every malformed line (file:line).
///
/// The kind of each file follows from its name: `*actors*`, `*agents*`, `*discards*`, `*issue*`,
/// `*prepositions*` in PETRARCH/TABARI format, or dyad's `countries.txt`, `leaders.txt`,
/// `organizations.txt`, `agents.txt`. Verb files (`*verbs*`, `CAMEO*`) are listed but read by the
/// event coder. Exit code 1 when any line is malformed.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad dict check ../shared/reference/dictionaries/phoenix\n  dyad dict check --replace PETR.Validate.actors.txt PETR.Validate.agents.txt"
)]
struct CheckArgs {
    /// Files or folders (their .txt files).
    paths: Vec<PathBuf>,
    /// Also check dyad's own built-in dictionaries (the default when no path is given).
    #[arg(long)]
    builtin: bool,
    /// Report the combined dictionary as if used with --replace (without dyad's own).
    #[arg(long)]
    replace: bool,
    /// Print at most this many malformed lines per file (0 = all).
    #[arg(long, default_value_t = 0)]
    max_errors: usize,
}

pub fn run(a: Args) -> Result<ExitCode> {
    match a.cmd {
        Cmd::Check(c) => check(c),
    }
}

fn check(a: CheckArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let mut bad = 0usize;
    if a.builtin || a.paths.is_empty() {
        let d = dyad_dict::ActorDict::builtin()?;
        writeln!(out, "{:<60} {:>8} {:>6}  dyad", "(dyad built-in)", d.entries().len(), 0)?;
    }
    let reports = dyad_dict::read_files(&a.paths)?;
    if !reports.is_empty() {
        writeln!(out, "{:<60} {:>8} {:>6}  kind", "file", "entries", "errors")?;
    }
    for r in &reports {
        let kind = match r.kind {
            Some(k) => format!("{k:?}").to_lowercase(),
            None => "unknown".into(),
        };
        let note = if r.kind == Some(dyad_dict::FileKind::Verbs) { " (read by the event coder)" } else { "" };
        writeln!(out, "{:<60} {:>8} {:>6}  {kind}{note}", r.file, r.count(), r.errors.len())?;
        bad += r.errors.len();
    }
    for r in &reports {
        let n = if a.max_errors == 0 { r.errors.len() } else { a.max_errors.min(r.errors.len()) };
        for e in &r.errors[..n] {
            writeln!(out, "{e}")?;
        }
        if n < r.errors.len() {
            writeln!(out, "{}: … {} more malformed lines", r.file, r.errors.len() - n)?;
        }
    }
    if !reports.is_empty() {
        let mode = if a.replace { dyad_dict::Mode::Replace } else { dyad_dict::Mode::Merge };
        let t0 = std::time::Instant::now();
        let d = dyad_dict::ActorDict::from_reports(&reports, mode)?;
        writeln!(
            out,
            "combined ({}): {} actor/agent entries, {} discards, {} issue phrases; built in {:.0} ms",
            if a.replace { "replace" } else { "merged with dyad's own" },
            d.entries().len(),
            d.discards().len(),
            d.issues().len(),
            t0.elapsed().as_secs_f64() * 1000.0
        )?;
    }
    writeln!(out, "{bad} malformed lines (each skipped)")?;
    Ok(if bad > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
