//! Builds a synthetic store: `cargo run --release -p dyad-store --example synth -- EVENTS DB [--batch N]`.
//! Prints how fast events were stored (one transaction per document unless `--batch`).

use dyad_store::{synth::Synth, Store};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let events: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let db = args.get(1).cloned().unwrap_or_else(|| "synth.db".into());
    let batch: usize = args
        .iter()
        .position(|a| a == "--batch")
        .and_then(|i| args.get(i + 1))
        .and_then(|b| b.parse().ok())
        .unwrap_or(1);
    let s = Synth::with_events(events);
    let mut st = match Store::open(std::path::Path::new(&db)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("synth: {e}");
            std::process::exit(2);
        }
    };
    let t0 = Instant::now();
    let mut stored = 0usize;
    let mut k = 0;
    while k < s.documents {
        let end = (k + batch).min(s.documents);
        let ps: Vec<_> =
            (k..end).map(|i| dyad_store::prepare(&s.document(i))).collect::<Result<_, _>>().unwrap_or_else(|e| {
                eprintln!("synth: {e}");
                std::process::exit(2)
            });
        stored += ps.iter().map(|p| p.events()).sum::<usize>();
        let r = if batch == 1 { st.put_prepared(&ps[0]).map(|_| ()) } else { st.put_batch(&ps).map(|_| ()) };
        if let Err(e) = r {
            eprintln!("synth: {e}");
            std::process::exit(2);
        }
        k = end;
    }
    let dt = t0.elapsed().as_secs_f64();
    let c = st.counts().unwrap_or_default();
    println!(
        "{} documents, {stored} reported events ({} rolled-up events) in {dt:.1} s: {:.0} events/s (generation and prepare included); {db}",
        c.documents, c.events, stored as f64 / dt
    );
}
