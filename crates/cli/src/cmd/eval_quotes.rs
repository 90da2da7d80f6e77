//! `dyad eval quotes`: quotation attribution against PolNeAR (brat standoff).

use anyhow::{Context, Result};
use dyad_attrib::eval::{date_of, read_dir, score, Relation};
use dyad_model::Article;
use std::path::PathBuf;
use std::process::ExitCode;

/// Score attribution (content, source and cue spans, exact and overlap, and whole relations)
/// on a PolNeAR compartment: a folder with `text/` and `attributions/`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  dyad eval quotes\n  dyad eval quotes ../shared/eval/quotes/polnear/train")]
pub struct Args {
    /// The compartment folder.
    #[arg(default_value = "../shared/eval/quotes/polnear/dev")]
    dir: PathBuf,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let docs = read_dir(&a.dir).with_context(|| format!("reading {}", a.dir.display()))?;
    let engine = dyad_engine::Engine::builtin()?;
    let t0 = std::time::Instant::now();
    let scores = score(&docs, |d| {
        let article = Article::from_text(&d.name, d.text.clone());
        let ann = engine.nlp().annotate(&article);
        let actors = engine.dict().resolve(&article, &ann, date_of(&d.name));
        dyad_attrib::attributions(&article, &ann, &actors).iter().map(Relation::from).collect()
    });
    println!("PolNeAR {}: {} annotations", a.dir.display(), docs.len());
    print!("{scores}");
    println!("{:.1} s", t0.elapsed().as_secs_f64());
    Ok(ExitCode::SUCCESS)
}
