//! Quotation and tone time against the NLP core's, per document: PolNeAR dev texts when
//! `../shared` is there, else dyad's own examples. `cargo bench -p dyad-attrib`.
//!
//! Prints, besides criterion's figures, the ratio quote+tone ÷ NLP core over the corpus (target:
//! under 15 %).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_model::{Article, Span};
use std::path::Path;
use std::time::Instant;

fn texts() -> Vec<Article> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dev = root.join("../shared/eval/quotes/polnear/dev/text");
    let dir = if dev.is_dir() { dev } else { root.join("examples") };
    let mut paths: Vec<_> =
        std::fs::read_dir(&dir).map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|x| x == "txt"));
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok().map(|t| Article::from_text(p.display().to_string(), t)))
        .collect()
}

/// What the engine does after the actors: quotes, entities, article, sentence and quote tone.
fn quotes_and_tone(a: &Article, ann: &dyad_model::AnnotatedDocument, actors: &[dyad_model::Actor]) -> usize {
    let mut quotes = dyad_attrib::quotes(a, ann, actors);
    let entities = dyad_attrib::entities(a, ann, actors);
    let tone = dyad_attrib::tone_of(a, ann, Span::new(0, a.body.len()));
    let sentences = dyad_attrib::sentence_tones(a, ann);
    for q in &mut quotes {
        q.tone = Some(dyad_attrib::tone_of(a, ann, q.content).tone);
    }
    quotes.len() + entities.len() + sentences.len() + tone.word_count as usize
}

fn bench(c: &mut Criterion) {
    let docs = texts();
    let nlp = dyad_nlp::Nlp::new();
    let dict = dyad_dict::ActorDict::builtin().expect("dictionary");
    let anns: Vec<_> = docs.iter().map(|a| nlp.annotate(a)).collect();
    let actors: Vec<_> = docs.iter().zip(&anns).map(|(a, d)| dict.resolve(a, d, None)).collect();
    let bytes: usize = docs.iter().map(|a| a.body.len()).sum();

    // One timed pass of each, for the ratio.
    let t0 = Instant::now();
    for a in &docs {
        std::hint::black_box(nlp.annotate(a));
    }
    let nlp_time = t0.elapsed();
    let t1 = Instant::now();
    for ((a, d), ac) in docs.iter().zip(&anns).zip(&actors) {
        std::hint::black_box(quotes_and_tone(a, d, ac));
    }
    let qt_time = t1.elapsed();
    eprintln!(
        "{} documents, {} bytes: nlp core {:.1} ms, quotes+tone {:.1} ms, ratio {:.1} %",
        docs.len(),
        bytes,
        nlp_time.as_secs_f64() * 1e3,
        qt_time.as_secs_f64() * 1e3,
        100.0 * qt_time.as_secs_f64() / nlp_time.as_secs_f64().max(1e-9)
    );

    let mut g = c.benchmark_group("attrib");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function(format!("nlp core, {} documents", docs.len()), |b| {
        b.iter(|| docs.iter().map(|a| nlp.annotate(a).sentences.len()).sum::<usize>())
    });
    g.bench_function(format!("quotes+tone, {} documents", docs.len()), |b| {
        b.iter(|| docs.iter().zip(&anns).zip(&actors).map(|((a, d), ac)| quotes_and_tone(a, d, ac)).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
