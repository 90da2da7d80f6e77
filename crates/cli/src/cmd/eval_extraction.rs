//! `dyad eval extraction`: score the extractor on a Scrapinghub or WCXB folder with the
//! benchmark's own metric, plus publication-date accuracy and pages per CPU-second.

use anyhow::{anyhow, Result};
use dyad_ingest::eval::{self, Layout, ShingleTotals};
use dyad_model::{ContentType, RawDocument};
use std::path::PathBuf;
use std::process::ExitCode;

/// Score article extraction on a benchmark folder (Scrapinghub or WCXB layout).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad eval extraction ../shared/eval/extraction/scrapinghub\n  dyad eval extraction ../shared/eval/extraction/wcxb-dev --worst 10"
)]
pub struct Args {
    /// The benchmark folder.
    dir: PathBuf,
    /// Also list the N pages with the lowest score.
    #[arg(long, default_value_t = 0)]
    worst: usize,
    /// Also list every page whose date is wrong or missing, with where dyad's date came from.
    #[arg(long)]
    dates: bool,
}

/// CPU time of the calling thread, in seconds.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own; the clock id is a constant.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

struct Scored {
    id: String,
    page_type: String,
    text: String,
    date: Option<String>,
    date_source: Option<dyad_model::DateSource>,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let (layout, pages) = eval::load(&a.dir).map_err(|e| anyhow!(e))?;
    let mut cpu = 0.0;
    let mut scored = Vec::with_capacity(pages.len());
    let mut failed = 0;
    for p in &pages {
        let mut raw = RawDocument::new(p.id.clone(), ContentType::Html, p.html.clone());
        raw.url = p.url.clone();
        let t0 = thread_cpu_seconds();
        let art = dyad_ingest::extract(&raw);
        cpu += thread_cpu_seconds() - t0;
        let (text, date, date_source) = match art {
            Ok(a) => (a.body, a.date.map(|d| d.to_string()), a.date_source),
            Err(_) => {
                failed += 1;
                (String::new(), None, None)
            }
        };
        scored.push(Scored { id: p.id.clone(), page_type: p.page_type.clone(), text, date, date_source });
    }
    println!("{}: {} pages, {failed} without article text", a.dir.display(), pages.len());
    let mut per_page: Vec<(f64, &str)> = Vec::new();
    match layout {
        Layout::Scrapinghub => {
            let mut t = ShingleTotals::default();
            for (p, s) in pages.iter().zip(&scored) {
                t.add(&s.text, &p.body);
                per_page.push((eval::word_scores(&s.text, &p.body).2, &p.id));
            }
            let (p, r, f) = t.result();
            println!("shingle P {p:.3}  R {r:.3}  F1 {f:.3}  (scrapinghub metric)");
        }
        Layout::Wcxb => {
            let mut by_type: std::collections::BTreeMap<&str, (f64, f64, f64, usize)> = Default::default();
            for (p, s) in pages.iter().zip(&scored) {
                let (wp, wr, wf) = eval::word_scores(&s.text, &p.body);
                for key in [s.page_type.as_str(), "all"] {
                    let e = by_type.entry(key).or_default();
                    e.0 += wp;
                    e.1 += wr;
                    e.2 += wf;
                    e.3 += 1;
                }
                if s.page_type == "article" {
                    per_page.push((wf, &p.id));
                }
            }
            for (k, (wp, wr, wf, n)) in &by_type {
                let n = *n as f64;
                println!("{k:>14}: {:>4} pages  word P {:.3}  R {:.3}  F1 {:.3}", n, wp / n, wr / n, wf / n);
            }
        }
    }
    let with_gold = pages.iter().filter(|p| p.date.is_some()).count();
    if with_gold > 0 {
        let (mut right, mut wrong, mut extra) = (0, 0, 0);
        for (p, s) in pages.iter().zip(&scored) {
            match (&p.date, &s.date) {
                (Some(g), Some(d)) if g == d => right += 1,
                (Some(_), Some(_)) => wrong += 1,
                (None, Some(_)) => extra += 1,
                _ => {}
            }
        }
        println!(
            "dates: {with_gold} pages with a gold date: {:.3} correct, {:.3} of given dates wrong ({wrong}/{}); a date on {extra} pages without a gold date",
            right as f64 / with_gold as f64,
            wrong as f64 / (right + wrong).max(1) as f64,
            right + wrong
        );
    }
    println!(
        "speed: {:.0} pages per CPU-second ({:.3} s CPU in extraction, one thread)",
        pages.len() as f64 / cpu,
        cpu
    );
    if a.dates {
        for (p, s) in pages.iter().zip(&scored) {
            if p.date.is_some() && p.date != s.date {
                println!("  date: {} gold {:?} dyad {:?} from {:?}", p.id, p.date, s.date, s.date_source);
            }
        }
    }
    if a.worst > 0 {
        per_page.sort_by(|x, y| x.0.total_cmp(&y.0));
        for (f, id) in per_page.iter().take(a.worst) {
            let s = scored.iter().find(|s| s.id == *id).map(|s| s.page_type.as_str()).unwrap_or("");
            println!("  worst: {id} ({s}) word F1 {f:.3}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
