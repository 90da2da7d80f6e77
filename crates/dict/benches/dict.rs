//! Dictionary build time and resolution cost: `cargo bench -p dyad-dict`.
//!
//! - `build/*`: dyad's own dictionaries (embedded text → compiled lookups), and the same merged
//!   with the Phoenix dictionaries from `../shared` (read + parse + compile) when they are there.
//! - `resolve/*` and `nlp/annotate`: on the same parsed news pages (the Scrapinghub benchmark
//!   pages from `../shared`, else dyad's examples), so resolution can be quoted as a share of
//!   the NLP time per document. The group names carry the page, token and mention counts; time
//!   per mention is the `resolve` time divided by the mentions.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_dict::{ActorDict, Mode};
use dyad_model::{AnnotatedDocument, Article, ContentType};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn phoenix() -> Option<PathBuf> {
    let p = root().join("../shared/reference/dictionaries/phoenix");
    p.is_dir().then_some(p)
}

/// The actor files of the Phoenix set (the verb file is the event coder's).
fn phoenix_files(dir: &Path) -> Vec<PathBuf> {
    [
        "Phoenix.Countries.actors.txt",
        "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt",
        "Phoenix.agents.txt",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect()
}

fn articles() -> Vec<Article> {
    let sh = root().join("../shared/eval/extraction/scrapinghub/html");
    let dir = if sh.is_dir() { sh } else { root().join("examples") };
    dyad_ingest::read_inputs(&[dir])
        .filter_map(Result::ok)
        .filter_map(|mut r| {
            if r.content_type == ContentType::Unknown {
                r.content_type = ContentType::Html;
            }
            dyad_ingest::extract(&r).ok()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("build");
    g.sample_size(10);
    g.bench_function("dyad builtin", |b| b.iter(|| ActorDict::builtin().unwrap().entries().len()));
    let merged = phoenix().map(|dir| {
        let files = phoenix_files(&dir);
        g.bench_function("phoenix actors+agents merged (read, parse, compile)", |b| {
            b.iter(|| ActorDict::load(&files, Mode::Merge).unwrap().0.entries().len())
        });
        let reports = dyad_dict::read_files(&files).unwrap();
        g.bench_function("phoenix actors+agents merged (compile only)", |b| {
            b.iter(|| ActorDict::from_reports(&reports, Mode::Merge).unwrap().entries().len())
        });
        ActorDict::from_reports(&reports, Mode::Merge).unwrap()
    });
    g.finish();

    let nlp = dyad_nlp::Nlp::new();
    let arts = articles();
    let docs: Vec<AnnotatedDocument> = arts.iter().map(|a| nlp.annotate(a)).collect();
    let tokens: usize = docs.iter().map(AnnotatedDocument::token_count).sum();
    let date = chrono::NaiveDate::from_ymd_opt(2016, 6, 1);
    let own = ActorDict::builtin().unwrap();
    let mentions = |d: &ActorDict| -> usize { arts.iter().zip(&docs).map(|(a, x)| d.resolve(a, x, date).len()).sum() };
    let label =
        |what: &str, d: &ActorDict| format!("{what} ({} pages, {tokens} tokens, {} mentions)", arts.len(), mentions(d));

    let mut g = c.benchmark_group("resolve");
    g.sample_size(10);
    g.throughput(Throughput::Elements(tokens as u64));
    g.bench_function(label("dyad builtin", &own), |b| {
        b.iter(|| arts.iter().zip(&docs).map(|(a, x)| own.resolve(a, x, date).len()).sum::<usize>())
    });
    if let Some(m) = &merged {
        g.bench_function(label("merged with phoenix", m), |b| {
            b.iter(|| arts.iter().zip(&docs).map(|(a, x)| m.resolve(a, x, date).len()).sum::<usize>())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("nlp");
    g.sample_size(10);
    g.throughput(Throughput::Elements(tokens as u64));
    g.bench_function(format!("annotate ({} pages, {tokens} tokens)", arts.len()), |b| {
        b.iter(|| arts.iter().map(|a| nlp.annotate(a).sentences.len()).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
