//! Writes synthetic plain-text news items for `dyad run`: `cargo run -p dyad-store --example news -- N DIR [SEED]`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let dir = std::path::PathBuf::from(args.get(1).cloned().unwrap_or_else(|| "news".into()));
    let seed: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(1);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("news: {}: {e}", dir.display());
        std::process::exit(2);
    }
    for k in 0..n {
        let p = dir.join(format!("{k:05}.txt"));
        if let Err(e) = std::fs::write(&p, dyad_store::synth::news_text(seed, k)) {
            eprintln!("news: {}: {e}", p.display());
            std::process::exit(2);
        }
    }
}
