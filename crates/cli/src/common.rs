//! Helpers shared by the commands.

use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The default store: `dyad.db` in the current folder, or `$DYAD_DB`.
pub fn default_db() -> PathBuf {
    std::env::var_os("DYAD_DB").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("dyad.db"))
}

pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("expected a date as YYYY-MM-DD, got {s:?}"))
}

/// Whether the store `--db` names exists (a PostgreSQL URL is checked when it is opened).
pub fn store_exists(path: &Path) -> bool {
    match path.to_str().map(dyad_store::DbUrl::parse) {
        Some(Ok(dyad_store::DbUrl::Postgres(_))) => true,
        Some(Ok(dyad_store::DbUrl::Sqlite(p))) => p.exists(),
        _ => path.exists(),
    }
}

/// Opens the store `--db` names: a path, `sqlite:PATH`, or `postgres://…` (read through an
/// in-memory snapshot, see `dyad_store::open_for_reading`).
pub fn open_store(path: &Path) -> Result<dyad_store::Store> {
    if let Some(url) = path.to_str().filter(|s| s.starts_with("postgres") || s.starts_with("sqlite:")) {
        let url = dyad_store::DbUrl::parse(url).map_err(anyhow::Error::msg)?;
        return dyad_store::open_for_reading(&url).with_context(|| format!("cannot open store {url}"));
    }
    dyad_store::Store::open(path).with_context(|| format!("cannot open store {}", path.display()))
}

pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// Prints a one-line error for a failed input.
pub fn report_input_error(e: &dyad_ingest::IngestError) {
    eprintln!("dyad: skipped {e}");
}

/// Output format of the listing commands.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// Codes every document under `paths` without storing it and hands each to `f`. A bad input is
/// reported on one line and skipped; the exit code is 1 when any input failed.
pub fn for_each_document(
    paths: &[PathBuf],
    date: Option<NaiveDate>,
    f: impl FnMut(&dyad_model::CodedDocument) -> Result<()>,
) -> Result<std::process::ExitCode> {
    for_each_document_with(paths, date, &DictArgs::default(), f)
}

/// Actor dictionaries given on the command line.
#[derive(clap::Args, Default, Clone)]
pub struct DictArgs {
    /// Extra actor dictionaries (files or folders of .txt; dyad's or PETRARCH/TABARI format),
    /// merged with dyad's own. Repeatable.
    #[arg(long = "dict", value_name = "PATH")]
    pub dict: Vec<PathBuf>,
    /// Use only the --dict dictionaries, not dyad's own.
    #[arg(long)]
    pub replace: bool,
    /// PETRARCH-2 (`CAMEO.2.0.txt`) or TABARI verb dictionaries, on top of dyad's own verbs (or
    /// alone with --replace). Verb files among the --dict paths (`*verbs*`, `CAMEO*`) count too.
    /// Codes outside CAMEO are reported (file:line) and their patterns skipped. Repeatable.
    #[arg(long = "verbs", value_name = "FILE")]
    pub verbs: Vec<PathBuf>,
}

impl DictArgs {
    /// The actor dictionary these arguments ask for. Malformed lines of the given files are
    /// reported on stderr (file:line) and skipped.
    pub fn load(&self) -> Result<dyad_dict::ActorDict> {
        if self.dict.is_empty() {
            return Ok(dyad_dict::ActorDict::builtin()?);
        }
        let mode = if self.replace { dyad_dict::Mode::Replace } else { dyad_dict::Mode::Merge };
        let (d, reports) = dyad_dict::ActorDict::load(&self.dict, mode)?;
        let bad: usize = reports.iter().map(|r| r.errors.len()).sum();
        if bad > 0 {
            eprintln!("dyad: {bad} malformed dictionary lines skipped (see `dyad dict check`)");
        }
        Ok(d)
    }

    pub fn engine(&self) -> Result<dyad_engine::Engine> {
        let mut verb_files = self.verbs.clone();
        for p in &self.dict {
            for f in dyad_dict::dictionary_files(p)? {
                let name = f.display().to_string();
                if dyad_dict::FileKind::of_name(&name) == Some(dyad_dict::FileKind::Verbs) {
                    verb_files.push(f);
                }
            }
        }
        if verb_files.is_empty() {
            if self.dict.is_empty() {
                return Ok(dyad_engine::Engine::builtin()?);
            }
            return Ok(dyad_engine::Engine::with_dict(self.load()?)?);
        }
        let actors = if self.dict.is_empty() { dyad_dict::ActorDict::builtin()? } else { self.load()? };
        let (engine, notes) = dyad_engine::eval_petrarch::engine_with_verbs(actors, &verb_files, !self.replace)?;
        if !notes.is_empty() {
            eprintln!("dyad: {} malformed verb dictionary lines skipped, e.g.:", notes.len());
            for n in notes.iter().take(5) {
                eprintln!("  {n}");
            }
        }
        Ok(engine)
    }
}

/// [`for_each_document`] with the actor dictionaries of `dict`.
pub fn for_each_document_with(
    paths: &[PathBuf],
    date: Option<NaiveDate>,
    dict: &DictArgs,
    mut f: impl FnMut(&dyad_model::CodedDocument) -> Result<()>,
) -> Result<std::process::ExitCode> {
    let engine = dict.engine()?;
    let mut failed = false;
    let mut stories = dyad_ingest::StoryIndex::new();
    for input in dyad_ingest::read_inputs(paths) {
        match input.and_then(|raw| engine.process(&raw, date, &mut dyad_engine::Timings::default())) {
            Ok(mut doc) => {
                stories.assign_article(&mut doc.article);
                f(&doc)?
            }
            Err(e) => {
                report_input_error(&e);
                failed = true;
            }
        }
    }
    Ok(if failed { std::process::ExitCode::from(1) } else { std::process::ExitCode::SUCCESS })
}
