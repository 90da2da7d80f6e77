//! `dyad eval nlp`: tagging accuracy on a UD treebank with gold tokens, and tagging speed.

use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Score the tagger on the dev and test splits of a UD treebank (gold tokenization).
#[derive(clap::Args)]
#[command(after_help = "Example:\n  dyad eval nlp ../shared/eval/nlp/UD_English-EWT")]
pub struct Args {
    /// A UD treebank folder with `*-ud-dev.conllu` and/or `*-ud-test.conllu`.
    ud: PathBuf,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let nlp = dyad_nlp::Nlp::new();
    for name in ["dev", "test"] {
        let Ok(path) = super::train::split(&a.ud, name) else { continue };
        let sents = super::train::read(&path)?;
        let (mut n, mut upos, mut xpos) = (0usize, 0usize, 0usize);
        let t0 = Instant::now();
        for s in &sents {
            let words: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            let tags = nlp.tag_words(&words);
            for (w, (u, x)) in s.words.iter().zip(tags) {
                n += 1;
                upos += (u.as_str() == w.upos) as usize;
                xpos += (x == w.xpos) as usize;
            }
        }
        let secs = t0.elapsed().as_secs_f64();
        println!(
            "{name}: {} sentences, {n} tokens; UPOS {:.2}  XPOS {:.2}  (gold tokens); tagging {:.0} tokens/s",
            sents.len(),
            100.0 * upos as f64 / n.max(1) as f64,
            100.0 * xpos as f64 / n.max(1) as f64,
            n as f64 / secs.max(1e-9)
        );
    }
    Ok(ExitCode::SUCCESS)
}
