//! Store benchmarks on one million synthetic events (`dyad_store::synth`): the relations query
//! for one pair over ten years by month and over one year by week, a quotation full-text query, and storing events.
//!
//! The million-event store is built once at `$DYAD_BENCH_DB` (default: `target/dyad-bench-1m.db`)
//! and reused while it holds at least one million mentions.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dyad_store::query::{Period, QuoteFilter, Relations};
use dyad_store::{synth::Synth, Store};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const EVENTS: usize = 1_000_000;

fn bench_db() -> PathBuf {
    if let Some(p) = std::env::var_os("DYAD_BENCH_DB") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("target"));
    target.join("dyad-bench-1m.db")
}

fn million() -> Store {
    let path = bench_db();
    let mut st = Store::open(&path).expect("open bench store");
    if st.counts().expect("counts").mentions as usize >= EVENTS {
        return st;
    }
    let s = Synth::with_events(EVENTS);
    let t0 = Instant::now();
    for k in 0..s.documents {
        st.put(&s.document(k)).expect("put");
    }
    let dt = t0.elapsed().as_secs_f64();
    eprintln!(
        "built {} ({} events) in {dt:.1} s: {:.0} events/s, one transaction per document",
        path.display(),
        EVENTS,
        EVENTS as f64 / dt
    );
    st
}

fn queries(c: &mut Criterion) {
    let st = million();
    let rel = Relations {
        a: "USA".into(),
        b: "PRK".into(),
        from: Some("2015-01-01".into()),
        to: Some("2024-12-31".into()),
        by: Period::Month,
        directed: false,
        top: 3,
    };
    let rows = st.relations(&rel).expect("relations");
    eprintln!("relations USA PRK: {} months, {} events", rows.len(), rows.iter().map(|r| r.events).sum::<u64>());
    c.bench_function("relations USA PRK 10 years by month", |b| b.iter(|| st.relations(&rel).expect("relations")));
    // The request of the server benchmark (BENCHMARKS.md, Server): one year by week.
    let year =
        Relations { from: Some("2023-01-01".into()), to: Some("2023-12-31".into()), by: Period::Week, ..rel.clone() };
    c.bench_function("relations USA PRK 2023 by week", |b| b.iter(|| st.relations(&year).expect("relations")));
    let q = QuoteFilter { text: Some("nuclear weapons".into()), limit: Some(100), ..Default::default() };
    c.bench_function("quotes FTS \"nuclear weapons\" first 100", |b| b.iter(|| st.quotes_where(&q).expect("quotes")));
    let q2 = QuoteFilter {
        text: Some("semiconductor".into()),
        speaker: Some("PRK".into()),
        limit: Some(100),
        ..Default::default()
    };
    c.bench_function("quotes FTS \"semiconductor\" by PRK speakers", |b| {
        b.iter(|| st.quotes_where(&q2).expect("quotes"))
    });
}

fn storing(c: &mut Criterion) {
    let docs = 200;
    let s = Synth { seed: 7, ..Synth::with_events(EVENTS) };
    let events: usize = (0..docs).map(|k| s.document(k).events.len()).sum();
    let mut g = c.benchmark_group("store");
    g.throughput(Throughput::Elements(events as u64));
    g.sample_size(10);
    g.bench_function("put 200 documents (2,000 events), one transaction each", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let dir = tempfile::tempdir().expect("tempdir");
                let mut st = Store::open(&dir.path().join("b.db")).expect("open");
                let base = (i as usize * docs) % s.documents;
                let ds: Vec<_> = (base..base + docs).map(|k| s.document(k)).collect();
                let t0 = Instant::now();
                for d in &ds {
                    st.put(d).expect("put");
                }
                total += t0.elapsed();
            }
            total
        })
    });
    g.bench_function("put 200 documents (2,000 events), one transaction for all", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let dir = tempfile::tempdir().expect("tempdir");
                let mut st = Store::open(&dir.path().join("b.db")).expect("open");
                let base = (i as usize * docs) % s.documents;
                let ds: Vec<_> = (base..base + docs).map(|k| s.document(k)).collect();
                let t0 = Instant::now();
                let ps: Vec<_> = ds.iter().map(|d| dyad_store::prepare(d).expect("prepare")).collect();
                st.put_batch(&ps).expect("put");
                total += t0.elapsed();
            }
            total
        })
    });
    g.finish();
}

criterion_group!(benches, queries, storing);
criterion_main!(benches);
