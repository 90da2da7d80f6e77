//! Times dyad's whole NLP core (segment → tokens → tags → lemmas → parse → NER) on raw text, one
//! thread: `core_speed FILE.conllu [--dump DOCS] [--runs N]`.
//!
//! The text is the treebank's `# text` lines: one document per `# newdoc`, paragraphs separated by
//! a blank line, sentences by a space. `--dump` writes the documents (NUL-separated) so another
//! tool can time the same text (`scripts/compare_spacy.sh`). Prints the model load time, the best
//! of `--runs` runs in tokens per second, and the peak resident memory.
use std::time::Instant;

fn rss_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: core_speed FILE.conllu [--dump DOCS] [--runs N]");
        std::process::exit(2);
    };
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let runs: usize = opt("--runs").and_then(|r| r.parse().ok()).unwrap_or(3);
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    let sents = dyad_nlp::conllu::parse(&text).unwrap_or_else(|e| {
        eprintln!("{path}:{e}");
        std::process::exit(1)
    });
    let mut docs: Vec<String> = Vec::new();
    for s in &sents {
        let t = s.text.clone().unwrap_or_default();
        match docs.last_mut() {
            Some(d) if !s.newdoc => {
                d.push_str(if s.newpar { "\n\n" } else { " " });
                d.push_str(&t);
            }
            _ => docs.push(t),
        }
    }
    if let Some(out) = opt("--dump") {
        if let Err(e) = std::fs::write(out, docs.join("\0")) {
            eprintln!("{out}: {e}");
            std::process::exit(1);
        }
    }
    let t0 = Instant::now();
    let nlp = dyad_nlp::Nlp::new();
    let load = t0.elapsed().as_secs_f64();
    let rss_loaded = rss_kb("VmRSS:");
    let articles: Vec<dyad_model::Article> =
        docs.iter().map(|d| dyad_model::Article::from_text("ewt", d.as_str())).collect();
    let mut best = f64::MAX;
    let (mut tokens, mut sentences, mut entities) = (0, 0, 0);
    for _ in 0..runs.max(1) {
        let t0 = Instant::now();
        (tokens, sentences, entities) = (0, 0, 0);
        for a in &articles {
            let d = nlp.annotate(a);
            tokens += d.sentences.iter().map(|s| s.tokens.len()).sum::<usize>();
            sentences += d.sentences.len();
            entities += d.entities.len();
        }
        best = best.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "dyad: {} documents, {sentences} sentences, {tokens} tokens, {entities} entities; best of {runs}: {:.3} s, \
         {:.0} tokens/s; model load {:.0} ms; resident {:.0} MB after load, peak {:.0} MB",
        docs.len(),
        best,
        tokens as f64 / best,
        1000.0 * load,
        rss_loaded as f64 / 1024.0,
        rss_kb("VmHWM:") as f64 / 1024.0
    );
}
