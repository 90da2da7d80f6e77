//! Extraction speed on real pages: the Scrapinghub benchmark pages when `../shared` is there,
//! else dyad's own examples. `cargo bench -p dyad-ingest`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_model::{ContentType, RawDocument};
use std::path::Path;

fn pages() -> Vec<RawDocument> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let sh = root.join("../shared/eval/extraction/scrapinghub/html");
    let dir = if sh.is_dir() { sh } else { root.join("examples") };
    dyad_ingest::read_inputs(&[dir])
        .filter_map(Result::ok)
        .map(|mut r| {
            if r.content_type == ContentType::Unknown {
                r.content_type = ContentType::Html;
            }
            r
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let pages = pages();
    let bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
    let mut g = c.benchmark_group("extract");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function(format!("{} pages", pages.len()), |b| {
        b.iter(|| pages.iter().filter(|p| dyad_ingest::extract(p).is_ok()).count())
    });
    let html: Vec<String> = pages.iter().map(|p| String::from_utf8_lossy(&p.bytes).into_owned()).collect();
    g.bench_function("dom parse only", |b| {
        b.iter(|| html.iter().map(|h| dyad_ingest::dom::Dom::parse(h).nodes.len()).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
