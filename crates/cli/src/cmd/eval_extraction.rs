//! `dyad eval extraction`: score the extractor on a Scrapinghub or WCXB folder with the
//! benchmark's own metric, plus publication-date accuracy and pages per CPU-second.

use anyhow::{anyhow, Result};
use std::path::PathBuf;
use std::process::ExitCode;

/// Score article extraction on a benchmark folder (Scrapinghub or WCXB layout).
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad eval extraction ../shared/eval/extraction/scrapinghub\n  dyad eval extraction ../shared/eval/extraction/wcxb-dev --worst 10 --dates"
)]
pub struct Args {
    /// The benchmark folder.
    dir: PathBuf,
    /// Also list the N article pages with the lowest word F1.
    #[arg(long, default_value_t = 0)]
    worst: usize,
    /// Also list every page whose date is wrong or missing, with where dyad's date came from.
    #[arg(long)]
    dates: bool,
    /// Write every date candidate dyad saw on each page (meta, JSON-LD, `<time>`, URL, text
    /// lines, with their position and context) and the gold date to FILE as JSON Lines.
    #[arg(long, value_name = "FILE")]
    date_candidates: Option<PathBuf>,
    /// Score another extractor's output side by side: `NAME=FILE`, FILE being JSON Lines of
    /// `{"id", "text", "date", "cpu_seconds"}` (see scripts/compare_extractors.sh). Repeatable.
    #[arg(long, value_name = "NAME=FILE")]
    external: Vec<String>,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let r = dyad_ingest::eval::run(&a.dir).map_err(|e| anyhow!(e))?;
    println!("{}: {} pages, {} without article text", a.dir.display(), r.pages, r.failed);
    if let Some((p, rc, f)) = r.shingle {
        println!("shingle P {p:.3}  R {rc:.3}  F1 {f:.3}  (scrapinghub metric)");
    }
    for (k, t) in &r.by_type {
        println!("{k:>14}: {:>4} pages  word P {:.3}  R {:.3}  F1 {:.3}", t.pages, t.precision, t.recall, t.f1);
    }
    let d = r.dates;
    if d.with_gold > 0 {
        println!(
            "dates: {} pages with a gold date: {:.3} correct, {:.3} of given dates wrong ({}/{}); a date on {} pages without a gold date",
            d.with_gold,
            d.accuracy(),
            d.wrong_share(),
            d.wrong,
            d.right + d.wrong,
            d.unjudged
        );
    }
    println!(
        "speed: {:.0} pages per CPU-second ({:.3} s CPU in extraction, one thread)",
        r.pages_per_cpu_second(),
        r.cpu_seconds
    );
    if a.dates {
        for p in r.per_page.iter().filter(|p| p.gold_date.is_some() && p.gold_date != p.date) {
            println!("  date: {} gold {:?} dyad {:?} from {:?}", p.id, p.gold_date, p.date, p.date_source);
        }
    }
    if let Some(file) = &a.date_candidates {
        let rows = dyad_ingest::eval::date_diagnostics(&a.dir).map_err(|e| anyhow!(e))?;
        let mut text = String::new();
        for r in rows {
            text.push_str(&r.to_string());
            text.push('\n');
        }
        std::fs::write(file, text).map_err(|e| anyhow!("{}: {e}", file.display()))?;
        println!("date candidates written to {}", file.display());
    }
    if !a.external.is_empty() {
        let mut rows = vec![("dyad".to_string(), r.clone())];
        for spec in &a.external {
            let (name, file) = spec.split_once('=').ok_or_else(|| anyhow!("--external {spec}: expected NAME=FILE"))?;
            let other = dyad_ingest::eval::run_external(&a.dir, std::path::Path::new(file)).map_err(|e| anyhow!(e))?;
            rows.push((name.to_string(), other));
        }
        print_side_by_side(&rows);
    }
    if a.worst > 0 {
        let mut pages: Vec<_> = r.per_page.iter().filter(|p| p.page_type == "article").collect();
        pages.sort_by(|x, y| x.word_f1.total_cmp(&y.word_f1));
        for p in pages.iter().take(a.worst) {
            println!("  worst: {} ({}) word F1 {:.3}", p.id, p.page_type, p.word_f1);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One line per extractor, same pages and metric, with dyad's speed as a ratio of each.
fn print_side_by_side(rows: &[(String, dyad_ingest::eval::Report)]) {
    println!("\nside by side (same pages, same metric, same run):");
    println!(
        "{:<22} {:>7} {:>7} {:>9} {:>9} {:>9} {:>11} {:>10}",
        "extractor", "no text", "F1", "art. F1", "dates ok", "wrong", "pages/CPU-s", "dyad ×"
    );
    let dyad_speed = rows[0].1.pages_per_cpu_second();
    for (name, r) in rows {
        let f1 = r.shingle.map(|s| format!("{:.3}", s.2)).unwrap_or_else(|| "—".into());
        let art = r.by_type.get("article").map(|t| format!("{:.3}", t.f1)).unwrap_or_else(|| "—".into());
        let (ok, wrong) = if r.dates.with_gold > 0 {
            (format!("{:.3}", r.dates.accuracy()), format!("{:.3}", r.dates.wrong_share()))
        } else {
            ("—".into(), "—".into())
        };
        let speed = r.pages_per_cpu_second();
        println!(
            "{name:<22} {:>7} {f1:>7} {art:>9} {ok:>9} {wrong:>9} {speed:>11.0} {:>10.1}",
            r.failed,
            dyad_speed / speed.max(1e-9)
        );
    }
}
