//! `dyad train`: train dyad's own NLP models from a treebank.

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Train the part-of-speech tagger on a UD treebank's train split (deterministic with --seed).
#[derive(clap::Args)]
#[command(after_help = "Example:\n  dyad train ../shared/eval/nlp/UD_English-EWT --out crates/nlp/models/tagger.bin")]
pub struct Args {
    /// A UD treebank folder with a `*-ud-train.conllu` file.
    ud: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "crates/nlp/models/tagger.bin")]
    out: PathBuf,
    #[arg(long, default_value_t = 6)]
    epochs: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn split(dir: &std::path::Path, name: &str) -> Result<PathBuf> {
    let rd = std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for e in rd.flatten() {
        let p = e.path();
        if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(&format!("-ud-{name}.conllu"))) {
            return Ok(p);
        }
    }
    anyhow::bail!("{}: no *-ud-{name}.conllu file", dir.display())
}

pub fn read(path: &std::path::Path) -> Result<Vec<dyad_nlp::conllu::ConlluSentence>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    dyad_nlp::conllu::parse(&text).map_err(|e| anyhow::anyhow!("{}:{}", path.display(), e))
}

pub fn run(a: Args) -> Result<ExitCode> {
    let train = read(&split(&a.ud, "train")?)?;
    let data = dyad_nlp::tagging_examples(&train);
    let t0 = Instant::now();
    let model = dyad_nlp::tagger::train(&data, a.epochs, a.seed);
    let bytes = model.to_bytes();
    std::fs::write(&a.out, &bytes).with_context(|| format!("cannot write {}", a.out.display()))?;
    println!(
        "trained the tagger on {} sentences, {} epochs, seed {} in {:.1} s: {} classes, {} bytes -> {}",
        data.len(),
        a.epochs,
        a.seed,
        t0.elapsed().as_secs_f64(),
        model.classes().len(),
        bytes.len(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
