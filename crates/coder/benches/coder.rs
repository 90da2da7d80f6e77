//! Coding speed: sentences/s with the parse and actors given (dyad's own lexicon, and PETRARCH-2's
//! `CAMEO.2.0.txt` when `../shared` is there), and the whole path raw text → parse → actors →
//! events on one core. The corpus is the PLOVER GSR sentences (322 CAMEO-manual sentences) when
//! `../shared` is there, else a few built-in sentences. `cargo bench -p dyad-coder`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_coder::Coder;
use dyad_model::{Actor, AnnotatedDocument, Article};
use std::path::Path;

fn shared() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn texts() -> Vec<String> {
    let gsr = shared().join("eval/events/plover-gsr/PLOVER_GSR_CAMEO.json");
    if let Some(v) = std::fs::read_to_string(gsr).ok().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    {
        let out: Vec<String> = v
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["event"].as_str().is_some_and(|e| e != "DOCUMENT"))
            .filter_map(|r| r["text"].as_str().map(String::from))
            .collect();
        if !out.is_empty() {
            return out;
        }
    }
    eprintln!("../shared/eval/events/plover-gsr missing: built-in sentences");
    [
        "North Korea abducted Japanese citizens in the 1970s and 1980s.",
        "Japan and the United States held talks in Tokyo on Tuesday.",
        "Iran threatened to impose sanctions on Israel.",
        "The Russian army attacked Ukrainian positions near Kharkiv.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

fn bench(c: &mut Criterion) {
    let nlp = dyad_nlp::Nlp::new();
    let dict = dyad_dict::ActorDict::builtin().expect("dyad's dictionaries");
    let mut coder = Coder::builtin().expect("dyad's lexicon");
    coder.options.one_sided = true;
    let docs: Vec<(Article, AnnotatedDocument, Vec<Actor>)> = texts()
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let a = Article::from_text(format!("b{i}"), t);
            let ann = nlp.annotate(&a);
            let actors = dict.resolve(&a, &ann, None);
            (a, ann, actors)
        })
        .collect();
    let sentences: usize = docs.iter().map(|d| d.1.sentences.len()).sum();
    let mut g = c.benchmark_group("coder");
    g.sample_size(10);
    g.measurement_time(std::time::Duration::from_secs(3));
    g.throughput(Throughput::Elements(sentences as u64));
    g.bench_function(format!("code {sentences} sentences, parse and actors given, own lexicon"), |b| {
        b.iter(|| docs.iter().map(|(a, ann, act)| coder.code(a, ann, act, None).len()).sum::<usize>())
    });
    let phoenix = shared().join("reference/dictionaries/phoenix/CAMEO.2.0.txt");
    if let Ok(bytes) = std::fs::read(&phoenix) {
        let cameo = dyad_coder::cameo::Table::builtin().expect("cameo table");
        let d = dyad_coder::verbdict::read(
            "CAMEO.2.0.txt",
            &String::from_utf8_lossy(&bytes),
            &cameo,
            dyad_coder::verbdict::Codes::Cameo,
        );
        let mut pc = Coder::with_verbs(&[d], false).expect("coder");
        pc.options.one_sided = true;
        g.bench_function(format!("code {sentences} sentences, parse and actors given, CAMEO.2.0 verbs"), |b| {
            b.iter(|| docs.iter().map(|(a, ann, act)| pc.code(a, ann, act, None).len()).sum::<usize>())
        });
        g.bench_function("read CAMEO.2.0.txt into a lexicon", |b| {
            b.iter(|| {
                let d = dyad_coder::verbdict::read(
                    "CAMEO.2.0.txt",
                    &String::from_utf8_lossy(&bytes),
                    &cameo,
                    dyad_coder::verbdict::Codes::Cameo,
                );
                Coder::with_verbs(&[d], false).map(|c| c.lexicon().len()).unwrap_or(0)
            })
        });
    }
    let raw: Vec<Article> = docs.iter().map(|d| d.0.clone()).collect();
    g.bench_function(format!("raw text to events, {sentences} sentences (parse, actors, code)"), |b| {
        b.iter(|| {
            raw.iter()
                .map(|a| {
                    let ann = nlp.annotate(a);
                    let actors = dict.resolve(a, &ann, None);
                    coder.code(a, &ann, &actors, None).len()
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
