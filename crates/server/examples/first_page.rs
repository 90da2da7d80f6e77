//! How long the dashboard's first page takes to be drawn, measured in headless Chromium.
//!
//! ```text
//! cargo run --release -p dyad-server --example first_page -- --db STORE [--runs 5] [--cache on|off|both] [--page FRAGMENT]...
//! ```
//!
//! Serves a store (opened as `dyad serve` opens it; give a copy, the server may write to it),
//! and for each page (`#/` and two relations views unless `--page` is given) opens a new tab
//! `--runs` times. A run's time is the page's own `dyad:drawn` performance mark: from the start of
//! the navigation until the API answers the page asked for are drawn (`assets/app.js`). Each API
//! request's time (Resource Timing) is printed too, to tell which one is slow. With `--cache off`
//! the relations cache is off (`dyad serve --cache 0`).

#[path = "../tests/common/cdp.rs"]
mod cdp;

use dyad_server::{App, Config};
use std::path::PathBuf;
use std::time::Duration;

struct Args {
    db: PathBuf,
    runs: usize,
    caches: Vec<bool>,
    pages: Vec<String>,
}

fn args() -> Result<Args, String> {
    let mut a = Args { db: PathBuf::new(), runs: 5, caches: vec![false, true], pages: Vec::new() };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut v = || it.next().ok_or(format!("{k} needs a value"));
        match k.as_str() {
            "--db" => a.db = PathBuf::from(v()?),
            "--runs" => a.runs = v()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--cache" => {
                a.caches = match v()?.as_str() {
                    "on" => vec![true],
                    "off" => vec![false],
                    "both" => vec![false, true],
                    o => return Err(format!("--cache {o}: expected on, off or both")),
                }
            }
            "--page" => a.pages.push(v()?),
            o => return Err(format!("unknown argument {o}")),
        }
    }
    if a.db.as_os_str().is_empty() {
        return Err("--db STORE is required".into());
    }
    if a.pages.is_empty() {
        a.pages = vec!["#/".into(), "#/?a=USA&b=PRK&from=2023-01-01&to=2023-12-31".into(), "#/?a=USA&b=PRK".into()];
    }
    Ok(a)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let a = args().unwrap_or_else(|e| {
        eprintln!("first_page: {e}");
        std::process::exit(2);
    });
    let exe = cdp::find_chromium().unwrap_or_else(|| {
        eprintln!("first_page: no Chromium (scripts/setup/browser.sh installs it)");
        std::process::exit(2);
    });
    for &cache in &a.caches {
        let mut cfg = Config::new(a.db.clone());
        cfg.addr = "127.0.0.1:0".parse().expect("addr");
        cfg.cache_entries = if cache { 1024 } else { 0 };
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
        let app = App::new(cfg).unwrap_or_else(|e| {
            eprintln!("first_page: {}: {e}", a.db.display());
            std::process::exit(1);
        });
        let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = rt.spawn(dyad_server::serve_on(listener, app, async {
            let _ = stopped.await;
        }));
        let log = std::env::temp_dir().join("dyad-first-page-chromium.log");
        let mut br = cdp::Browser::launch(&exe, &log).expect("browser");
        println!("cache {}", if cache { "on" } else { "off" });
        for page in &a.pages {
            let url = format!("http://{addr}/{page}");
            let mut times = Vec::new();
            for run in 1..=a.runs {
                let p = br.new_page().expect("tab");
                p.navigate(&mut br, &url).expect("navigate");
                p.wait_for(
                    &mut br,
                    "Number(document.documentElement?.dataset.drawn || 0) > 0 && document.documentElement?.dataset.pending === '0'",
                    Duration::from_secs(120),
                )
                .expect("drawn");
                let v = p
                    .eval(
                        &mut br,
                        "({ drawn: performance.getEntriesByName('dyad:drawn')[0].startTime,
                            api: performance.getEntriesByType('resource').filter(r => r.name.includes('/api/'))
                              .map(r => [new URL(r.name).pathname + new URL(r.name).search, r.responseEnd - r.startTime]) })",
                    )
                    .expect("timings");
                let ms = v["drawn"].as_f64().expect("mark");
                let calls: Vec<String> = v["api"]
                    .as_array()
                    .map(|c| {
                        c.iter()
                            .map(|c| format!("{} {:.0} ms", c[0].as_str().unwrap_or("?"), c[1].as_f64().unwrap_or(0.0)))
                            .collect()
                    })
                    .unwrap_or_default();
                println!("  {page} run {run}: drawn at {ms:.0} ms; {}", calls.join(", "));
                let errors = cdp::console_errors(&br.take_events(), &p.session);
                if !errors.is_empty() {
                    println!("    console errors: {errors:?}");
                }
                let _ = p.close(&mut br);
                times.push(ms);
            }
            let (lo, hi) = times.iter().fold((f64::MAX, 0f64), |(l, h), &t| (l.min(t), h.max(t)));
            println!("  {page}: median {:.0} ms, min {lo:.0}, max {hi:.0} over {} runs", median(&mut times), a.runs);
        }
        drop(br);
        let _ = stop.send(());
        let _ = rt.block_on(server);
    }
}
