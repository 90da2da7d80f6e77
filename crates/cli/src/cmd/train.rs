//! `dyad train`: train dyad's own NLP models from a treebank.

use anyhow::{Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Train the NLP models on a UD treebank's train split (deterministic with --seed): with --out-dir
/// the tagger, lemmatiser, sentence splitter and parser; with --out only the tagger; with
/// --sentences only the sentence splitter.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  dyad train ../shared/eval/nlp/UD_English-EWT --out-dir crates/nlp/models\n  \
                        dyad train ../shared/eval/nlp/UD_English-EWT --out crates/nlp/models/tagger.bin\n  \
                        dyad train ../shared/eval/nlp/UD_English-EWT --sentences")]
pub struct Args {
    /// A UD treebank folder with a `*-ud-train.conllu` file (and `*-ud-dev.conllu` for the report).
    ud: PathBuf,
    /// Where to write the tagger when training it alone.
    #[arg(long, default_value = "crates/nlp/models/tagger.bin")]
    out: PathBuf,
    /// Train all models and write `tagger.bin`, `lemma.txt` and `parser.bin` into this folder.
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Tagger epochs.
    #[arg(long, default_value_t = 10)]
    epochs: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Parser epochs.
    #[arg(long, default_value_t = 15)]
    parser_epochs: usize,
    /// Jack-knife folds for the tags the parser trains on (0: train on gold tags).
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Drop averaged parser weights smaller than this.
    #[arg(long, default_value_t = 0.02)]
    prune: f32,
    /// Then drop the smallest parser weights until the model fits in this many bytes.
    #[arg(long, default_value_t = 4_900_000)]
    max_bytes: usize,
    /// Train only the entity recogniser, from this Universal NER folder (`*-train*.iob2`; dev scored).
    #[arg(long)]
    ner: Option<PathBuf>,
    /// Where `--ner` writes its model.
    #[arg(long, default_value = "crates/nlp/models/ner.bin")]
    ner_out: PathBuf,
    /// Entity recogniser epochs.
    #[arg(long, default_value_t = 12)]
    ner_epochs: usize,
    /// Train the entity recogniser without gazetteer features from dyad's own dictionaries.
    #[arg(long)]
    no_gazetteer: bool,
    /// Train only the sentence splitter (on the train split's paragraphs; dev scored).
    #[arg(long)]
    sentences: bool,
    /// Where `--sentences` writes its model (with --out-dir: `sentence.bin` in that folder).
    #[arg(long, default_value = "crates/nlp/models/sentence.bin")]
    sentences_out: PathBuf,
    /// Sentence splitter epochs.
    #[arg(long, default_value_t = 8)]
    sentence_epochs: usize,
    /// Drop averaged sentence-splitter weights smaller than this.
    #[arg(long, default_value_t = 0.05)]
    sentence_prune: f32,
}

/// Trains the sentence splitter on the train split, writes it to `out` and scores dev (raw text).
fn train_sentences(a: &Args, train: &[dyad_nlp::conllu::ConlluSentence], out: &std::path::Path) -> Result<()> {
    let t0 = Instant::now();
    let examples = dyad_nlp::sentence_examples(train);
    let seg = dyad_nlp::sentence::train(&examples, a.sentence_epochs, a.seed, a.sentence_prune);
    let bytes = seg.to_bytes();
    write(out, &bytes)?;
    println!(
        "trained the sentence splitter on {} paragraphs, {} epochs, seed {} in {:.1} s: {} features, {} bytes -> {}",
        examples.len(),
        a.sentence_epochs,
        a.seed,
        t0.elapsed().as_secs_f64(),
        seg.feature_count(),
        bytes.len(),
        out.display()
    );
    if let Ok(dev) = split(&a.ud, "dev").and_then(|p| read(&p)) {
        for (name, s) in [("rules", &dyad_nlp::sentence::Segmenter::default()), ("new model", &seg)] {
            let r = dyad_nlp::evaluate_raw(s, &dev);
            let (p, r, f) = dyad_nlp::ner::prf(r.sentences.0, r.sentences.1, r.sentences.2);
            println!("dev ({name}): raw-text sentences P {:.2} R {:.2} F1 {:.2}", 100.0 * p, 100.0 * r, 100.0 * f);
        }
    }
    Ok(())
}

/// The `*-{name}*.iob2` file of a Universal NER folder.
pub fn iob2_split(dir: &std::path::Path, name: &str) -> Result<PathBuf> {
    let rd = std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    let mut found: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".iob2") && n.contains(&format!("-ud-{name}")))
        })
        .collect();
    found.sort();
    found.into_iter().next().with_context(|| format!("{}: no *-ud-{name}*.iob2 file", dir.display()))
}

pub fn read_iob2(path: &std::path::Path) -> Result<Vec<dyad_nlp::ner::NerSentence>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    dyad_nlp::ner::read_iob2(&text).map_err(|e| anyhow::anyhow!("{}:{}", path.display(), e))
}

/// The gazetteer the recogniser trains with: the names in dyad's own actor dictionaries.
fn gazetteer() -> Result<dyad_nlp::ner::Gazetteer> {
    use dyad_dict::EntryKind;
    use dyad_model::EntityLabel;
    let dict = dyad_dict::ActorDict::builtin().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut g = dyad_nlp::ner::Gazetteer::default();
    for e in dict.entries() {
        let label = match e.kind {
            EntryKind::Country | EntryKind::Capital => EntityLabel::LOC,
            EntryKind::Person => EntityLabel::PER,
            EntryKind::Organization => EntityLabel::ORG,
            _ => continue,
        };
        // Only proper names: adjectives and demonyms ("Japanese") are not entities in UNER.
        for name in &e.names {
            g.add(name, label);
        }
    }
    Ok(g)
}

fn train_ner(dir: &std::path::Path, a: &Args) -> Result<ExitCode> {
    let nlp = dyad_nlp::Nlp::new();
    let examples = |sents: Vec<dyad_nlp::ner::NerSentence>| -> Vec<dyad_nlp::ner::Example> {
        sents
            .into_iter()
            .map(|s| {
                let upos = nlp.tag_words(&s.words).into_iter().map(|(u, _)| u.as_str().to_string()).collect();
                dyad_nlp::ner::Example { doc: s.doc, words: s.words, upos, tags: s.tags }
            })
            .collect()
    };
    let train = examples(read_iob2(&iob2_split(dir, "train")?)?);
    let gaz = if a.no_gazetteer { dyad_nlp::ner::Gazetteer::default() } else { gazetteer()? };
    let t0 = Instant::now();
    let n_gaz = gaz.len();
    // Dev picks the epoch (early stopping); it is scored again below with the full pipeline.
    let dev_examples = match iob2_split(dir, "dev") {
        Ok(path) => examples(read_iob2(&path)?),
        Err(_) => Vec::new(),
    };
    let ner = dyad_nlp::ner::train(&train, &dev_examples, gaz, a.ner_epochs, a.seed, |epoch, f1| {
        println!("entity recogniser epoch {epoch}: dev micro-F1 {f1:.3}")
    });
    let bytes = ner.to_bytes();
    write(&a.ner_out, &bytes)?;
    println!(
        "trained the entity recogniser on {} sentences, {} epochs, seed {}, {n_gaz} gazetteer names in {:.1} s: \
         {} features, {} bytes -> {}",
        train.len(),
        a.ner_epochs,
        a.seed,
        t0.elapsed().as_secs_f64(),
        ner.feature_count(),
        bytes.len(),
        a.ner_out.display()
    );
    if let Ok(path) = iob2_split(dir, "dev") {
        let dev = read_iob2(&path)?;
        println!("{}", super::eval_nlp::ner_line("dev (new model)", &dyad_nlp::ner_scores(&nlp, &ner, &dev)));
    }
    Ok(ExitCode::SUCCESS)
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

fn write(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

pub fn run(a: Args) -> Result<ExitCode> {
    if let Some(dir) = &a.ner {
        return train_ner(dir, &a);
    }
    let train = read(&split(&a.ud, "train")?)?;
    if a.sentences {
        train_sentences(&a, &train, &a.sentences_out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let data = dyad_nlp::tagging_examples(&train);
    let t0 = Instant::now();
    let tagger = dyad_nlp::tagger::train(&data, a.epochs, a.seed);
    let bytes = tagger.to_bytes();
    let tagger_out = a.out_dir.as_ref().map_or(a.out.clone(), |d| d.join("tagger.bin"));
    write(&tagger_out, &bytes)?;
    println!(
        "trained the tagger on {} sentences, {} epochs, seed {} in {:.1} s: {} classes, {} bytes -> {}",
        data.len(),
        a.epochs,
        a.seed,
        t0.elapsed().as_secs_f64(),
        tagger.classes().len(),
        bytes.len(),
        tagger_out.display()
    );
    let Some(dir) = a.out_dir.clone() else { return Ok(ExitCode::SUCCESS) };
    train_sentences(&a, &train, &dir.join("sentence.bin"))?;

    let t0 = Instant::now();
    let lemmatizer = dyad_nlp::lemma::train(
        train.iter().flat_map(|s| s.words.iter().map(|w| (w.form.as_str(), w.xpos.as_str(), w.lemma.as_str()))),
    );
    let text = lemmatizer.to_text();
    write(&dir.join("lemma.txt"), text.as_bytes())?;
    let (entries, rules) = lemmatizer.len();
    println!(
        "trained the lemmatiser in {:.1} s: {entries} exceptions, {rules} rules, {} bytes -> {}",
        t0.elapsed().as_secs_f64(),
        text.len(),
        dir.join("lemma.txt").display()
    );

    let t0 = Instant::now();
    let tagged = if a.folds >= 2 { dyad_nlp::jackknife_tags(&train, a.folds, a.epochs, a.seed) } else { train.clone() };
    println!("jack-knifed tags ({} folds) in {:.1} s", a.folds, t0.elapsed().as_secs_f64());
    let t0 = Instant::now();
    let opts =
        dyad_nlp::parser::TrainOptions { epochs: a.parser_epochs, seed: a.seed, prune: a.prune, ..Default::default() };
    let parser = dyad_nlp::parser::train(&tagged, &opts, |epoch, acc| {
        println!(
            "  parser epoch {:>2}: {:.2} % transitions right ({:.0} s)",
            epoch + 1,
            100.0 * acc,
            t0.elapsed().as_secs_f64()
        )
    });
    let bytes = parser.to_bytes();
    write(&dir.join("parser.bin"), &bytes)?;
    println!(
        "trained the parser on {} sentences, {} epochs in {:.1} s: {} labels, {} features, {} bytes -> {}",
        tagged.len(),
        a.parser_epochs,
        t0.elapsed().as_secs_f64(),
        parser.labels().len(),
        parser.feature_count(),
        bytes.len(),
        dir.join("parser.bin").display()
    );
    if let Ok(dev) = split(&a.ud, "dev").and_then(|p| read(&p)) {
        let s = dyad_nlp::Nlp::from_models(tagger, lemmatizer, parser).evaluate(&dev);
        println!("{}", super::eval_nlp::line("dev (new models)", &s));
    }
    Ok(ExitCode::SUCCESS)
}
