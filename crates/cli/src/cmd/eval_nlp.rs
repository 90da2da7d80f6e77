//! `dyad eval nlp`: tagging, lemma and attachment scores on UD treebanks with gold tokens, and speed.

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;

/// Score the NLP core on the dev and test splits of a UD treebank (gold tokenization), and on the
/// dev split of UD English-GUM if it sits beside it (cross-genre; GUM is never trained on).
#[derive(clap::Args)]
#[command(after_help = "Example:\n  dyad eval nlp ../shared/eval/nlp/UD_English-EWT")]
pub struct Args {
    /// A UD treebank folder with `*-ud-dev.conllu` and/or `*-ud-test.conllu`.
    ud: PathBuf,
    /// Another treebank scored too (default: `UD_English-GUM` beside the first, if present).
    #[arg(long)]
    also: Option<PathBuf>,
    /// A Universal NER folder scored for entities (default: `UNER_English-EWT` beside the first, if present).
    #[arg(long)]
    ner: Option<PathBuf>,
    /// Score models from this folder (`tagger.bin`, `lemma.txt`, `parser.bin`; `ner.bin` and `sentence.bin`
    /// if present) instead of the embedded ones.
    #[arg(long)]
    models: Option<PathBuf>,
}

/// CPU seconds this process has used (user + system), from `/proc/self/stat`; 0 elsewhere.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the command name (which may hold spaces) : utime and stime are 14th and 15th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// One result line.
pub fn line(name: &str, s: &dyad_nlp::Scores) -> String {
    format!(
        "{name}: {} sentences, {} words; UPOS {:.2}  XPOS {:.2}  lemma {:.2}  UAS {:.2}  LAS {:.2}  (gold tokens); \
         tag+lemma+parse {:.0} words/s (wall clock)",
        s.sentences,
        s.words,
        s.upos,
        s.xpos,
        s.lemma,
        s.uas,
        s.las,
        s.words as f64 / s.seconds.max(1e-9)
    )
}

/// One entity result line: micro and per-type exact-span scores.
pub fn ner_line(name: &str, s: &dyad_nlp::ner::NerScores) -> String {
    let (p, r, f) = s.micro();
    let mut out = format!("{name}: NER exact spans P {p:.3}  R {r:.3}  F1 {f:.3}");
    for &(l, g, pr, c) in &s.per_label {
        let (_, _, f) = dyad_nlp::ner::prf(g, pr, c);
        out.push_str(&format!(";  {} F1 {f:.3} ({g} gold)", l.as_str()));
    }
    out.push_str(&format!(";  tag+NER {:.0} words/s", s.words as f64 / s.seconds.max(1e-9)));
    out
}

fn load(dir: &std::path::Path) -> Result<dyad_nlp::Nlp> {
    let read =
        |name: &str| std::fs::read(dir.join(name)).with_context(|| format!("cannot read {}", dir.join(name).display()));
    let err = |name: &'static str| move |e: String| anyhow::anyhow!("{}: {e}", dir.join(name).display());
    let tagger = dyad_nlp::tagger::Tagger::from_bytes(&read("tagger.bin")?).map_err(err("tagger.bin"))?;
    let text = String::from_utf8(read("lemma.txt")?).context("lemma.txt is not UTF-8")?;
    let lemmatizer = dyad_nlp::lemma::Lemmatizer::from_text(&text).map_err(err("lemma.txt"))?;
    let parser = dyad_nlp::parser::Parser::from_bytes(&read("parser.bin")?).map_err(err("parser.bin"))?;
    let nlp = dyad_nlp::Nlp::from_models(tagger, lemmatizer, parser);
    let nlp = match read("ner.bin") {
        Ok(b) => nlp.with_ner(dyad_nlp::ner::Ner::from_bytes(&b).map_err(err("ner.bin"))?),
        Err(_) => nlp,
    };
    Ok(match read("sentence.bin") {
        Ok(b) => nlp.with_segmenter(dyad_nlp::sentence::Segmenter::from_bytes(&b).map_err(err("sentence.bin"))?),
        Err(_) => nlp,
    })
}

pub fn run(a: Args) -> Result<ExitCode> {
    let t0 = std::time::Instant::now();
    let nlp = match &a.models {
        Some(dir) => load(dir)?,
        None => dyad_nlp::Nlp::new(),
    };
    println!("models loaded in {:.0} ms", 1000.0 * t0.elapsed().as_secs_f64());
    let also = a.also.clone().or_else(|| a.ud.parent().map(|p| p.join("UD_English-GUM"))).filter(|p| p.is_dir());
    let name = |p: &std::path::Path| p.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
    for (dir, splits) in [(Some(a.ud.clone()), &["dev", "test"][..]), (also, &["dev"][..])] {
        let Some(dir) = dir else { continue };
        for split in splits {
            let Ok(path) = super::train::split(&dir, split) else { continue };
            let sents = super::train::read(&path)?;
            let cpu = cpu_seconds();
            let s = nlp.evaluate(&sents);
            let cpu = cpu_seconds() - cpu;
            println!("{}", line(&format!("{} {split}", name(&dir)), &s));
            let r = dyad_nlp::evaluate_raw(nlp.segmenter(), &sents);
            let (_, _, wf) = dyad_nlp::ner::prf(r.words.0, r.words.1, r.words.2);
            let (sp, sr, sf) = dyad_nlp::ner::prf(r.sentences.0, r.sentences.1, r.sentences.2);
            println!(
                "  raw text: words F1 {:.2}; sentences P {:.2} R {:.2} F1 {:.2} ({} gold words not found in the text)",
                100.0 * wf,
                100.0 * sp,
                100.0 * sr,
                100.0 * sf,
                r.unaligned
            );
            if cpu > 0.0 {
                println!("  {:.0} words per CPU second ({:.2} CPU s)", s.words as f64 / cpu, cpu);
            }
        }
    }
    let uner = a.ner.clone().or_else(|| a.ud.parent().map(|p| p.join("UNER_English-EWT"))).filter(|p| p.is_dir());
    if let Some(dir) = uner {
        for split in ["dev", "test"] {
            let Ok(path) = super::train::iob2_split(&dir, split) else { continue };
            let sents = super::train::read_iob2(&path)?;
            let s = dyad_nlp::ner_scores(&nlp, nlp.ner(), &sents);
            println!("{}", ner_line(&format!("{} {split}", name(&dir)), &s));
        }
    }
    Ok(ExitCode::SUCCESS)
}
