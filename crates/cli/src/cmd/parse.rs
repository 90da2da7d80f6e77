//! `dyad parse`: sentences, tokens, tags, lemmas, dependencies and entities, as CoNLL-U or JSON.

use anyhow::{Context, Result};
use dyad_model::Article;
use dyad_nlp::{ner, Nlp, WordAnalysis};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Input {
    /// Raw text: dyad splits sentences and tokens.
    Text,
    /// CoNLL-U: its sentences and words are kept, everything else is predicted.
    Conllu,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Conllu,
    /// One JSON object per sentence (JSON Lines).
    Json,
}

/// Parse text with dyad's NLP core: lemma, UPOS, XPOS, head, relation and the entity tag
/// (`NER=B-PER` in MISC) of every word.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  echo 'Kim Jong Un met Donald Trump in Singapore.' | dyad parse\n  \
                        dyad parse --input conllu --output json ../shared/eval/nlp/UD_English-EWT/en_ewt-ud-dev.conllu")]
pub struct Args {
    /// Files to parse; standard input when none (or `-`).
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Input::Text)]
    input: Input,
    #[arg(long, value_enum, default_value_t = Output::Conllu)]
    output: Output,
}

/// One parsed sentence: words (with byte spans into the text when known), analyses, entity tags.
struct Parsed<'a> {
    text: String,
    words: Vec<String>,
    spans: Vec<Option<(usize, usize)>>,
    misc: Vec<&'a str>,
    analyses: Vec<WordAnalysis>,
    entities: Vec<String>,
}

fn read(path: &std::path::Path) -> Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).context("cannot read standard input")?;
        return Ok(s);
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{}: byte {}: expected UTF-8 text", path.display(), e.utf8_error().valid_up_to()))
}

/// IOB2 tags of the sentences' words, the whole input as the entities' document context.
fn entity_tags(nlp: &Nlp, sentences: &[(Vec<String>, Vec<WordAnalysis>)]) -> Vec<Vec<String>> {
    let context = ner::DocContext::new(sentences.iter().map(|(w, _)| w.as_slice()));
    sentences
        .iter()
        .map(|(words, analyses)| {
            let upos: Vec<&str> = analyses.iter().map(|a| a.upos.as_str()).collect();
            let mut tags = vec!["O".to_string(); words.len()];
            for (first, last, label) in nlp.ner().recognize(words, &upos, &context) {
                for (k, t) in tags[first..last].iter_mut().enumerate() {
                    *t = format!("{}-{}", if k == 0 { "B" } else { "I" }, label.as_str());
                }
            }
            tags
        })
        .collect()
}

fn parse_text<'a>(nlp: &Nlp, name: &str, text: &str) -> Vec<Parsed<'a>> {
    let article = Article::from_text(name, text);
    let doc = nlp.annotate(&article);
    let body = &article.body;
    doc.sentences
        .iter()
        .enumerate()
        .map(|(si, s)| {
            let mut entities = vec!["O".to_string(); s.tokens.len()];
            for e in doc.entities.iter().filter(|e| e.sentence == si) {
                for (k, t) in entities[e.tokens.0..e.tokens.1].iter_mut().enumerate() {
                    *t = format!("{}-{}", if k == 0 { "B" } else { "I" }, e.label.as_str());
                }
            }
            Parsed {
                text: s.span.text(body).to_string(),
                words: s.tokens.iter().map(|t| t.span.text(body).to_string()).collect(),
                spans: s.tokens.iter().map(|t| Some((t.span.start, t.span.end))).collect(),
                misc: s
                    .tokens
                    .windows(2)
                    .map(|w| if w[0].span.end == w[1].span.start { "SpaceAfter=No" } else { "_" })
                    .chain(std::iter::once("_"))
                    .collect(),
                analyses: s
                    .tokens
                    .iter()
                    .map(|t| WordAnalysis {
                        upos: t.upos,
                        xpos: t.xpos.clone(),
                        lemma: t.lemma.clone(),
                        head: t.head,
                        deprel: t.deprel.clone(),
                    })
                    .collect(),
                entities,
            }
        })
        .collect()
}

fn parse_conllu<'a>(nlp: &Nlp, sentences: &'a [dyad_nlp::conllu::ConlluSentence]) -> Vec<Parsed<'a>> {
    let analysed: Vec<(Vec<String>, Vec<WordAnalysis>)> = sentences
        .iter()
        .map(|s| {
            let words: Vec<String> = s.words.iter().map(|w| w.form.clone()).collect();
            let a = nlp.analyze_words(&words);
            (words, a)
        })
        .collect();
    let tags = entity_tags(nlp, &analysed);
    sentences
        .iter()
        .zip(analysed)
        .zip(tags)
        .map(|((s, (words, analyses)), entities)| Parsed {
            text: s.text.clone().unwrap_or_else(|| words.join(" ")),
            spans: vec![None; words.len()],
            misc: s.words.iter().map(|w| w.misc.as_str()).collect(),
            words,
            analyses,
            entities,
        })
        .collect()
}

/// The MISC column: the input's entries but any old `NER=`, then the predicted entity tag.
fn misc(old: &str, tag: &str) -> String {
    let mut parts: Vec<&str> =
        old.split('|').filter(|p| !p.is_empty() && *p != "_" && !p.starts_with("NER=")).collect();
    let ner = format!("NER={tag}");
    if tag != "O" {
        parts.push(&ner);
    }
    if parts.is_empty() {
        "_".to_string()
    } else {
        parts.join("|")
    }
}

fn write(out: &mut impl Write, name: &str, parsed: &[Parsed], format: Output) -> Result<()> {
    for (k, p) in parsed.iter().enumerate() {
        match format {
            Output::Conllu => {
                writeln!(out, "# sent_id = {name}-{}", k + 1)?;
                writeln!(out, "# text = {}", p.text.replace('\n', " "))?;
                for (i, (w, a)) in p.words.iter().zip(&p.analyses).enumerate() {
                    writeln!(
                        out,
                        "{}\t{w}\t{}\t{}\t{}\t_\t{}\t{}\t_\t{}",
                        i + 1,
                        a.lemma,
                        a.upos.as_str(),
                        a.xpos,
                        a.head,
                        a.deprel,
                        misc(p.misc[i], &p.entities[i])
                    )?;
                }
                writeln!(out)?;
            }
            Output::Json => {
                let tokens: Vec<serde_json::Value> = p
                    .words
                    .iter()
                    .zip(&p.analyses)
                    .zip(&p.entities)
                    .zip(&p.spans)
                    .enumerate()
                    .map(|(i, (((w, a), e), sp))| {
                        serde_json::json!({
                            "id": i + 1, "form": w, "lemma": a.lemma, "upos": a.upos.as_str(), "xpos": a.xpos,
                            "head": a.head, "deprel": a.deprel, "ner": e,
                            "start": sp.map(|s| s.0), "end": sp.map(|s| s.1),
                        })
                    })
                    .collect();
                serde_json::to_writer(
                    &mut *out,
                    &serde_json::json!({"source": name, "sentence": k, "text": p.text, "tokens": tokens}),
                )?;
                writeln!(out)?;
            }
        }
    }
    Ok(())
}

pub fn run(a: Args) -> Result<ExitCode> {
    let nlp = Nlp::new();
    let paths = if a.paths.is_empty() { vec![PathBuf::from("-")] } else { a.paths };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut failed = false;
    for path in &paths {
        let name = if path.as_os_str() == "-" { "stdin".to_string() } else { path.display().to_string() };
        let text = match read(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("dyad: {e:#}");
                failed = true;
                continue;
            }
        };
        match a.input {
            Input::Text => write(&mut out, &name, &parse_text(&nlp, &name, &text), a.output)?,
            Input::Conllu => match dyad_nlp::conllu::parse(&text) {
                Ok(sents) => write(&mut out, &name, &parse_conllu(&nlp, &sents), a.output)?,
                Err(e) => {
                    eprintln!("dyad: {name}:{e}");
                    failed = true;
                }
            },
        }
    }
    out.flush()?;
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
