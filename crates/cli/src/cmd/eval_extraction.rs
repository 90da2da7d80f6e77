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
    if a.worst > 0 {
        let mut pages: Vec<_> = r.per_page.iter().filter(|p| p.page_type == "article").collect();
        pages.sort_by(|x, y| x.word_f1.total_cmp(&y.word_f1));
        for p in pages.iter().take(a.worst) {
            println!("  worst: {} ({}) word F1 {:.3}", p.id, p.page_type, p.word_f1);
        }
    }
    Ok(ExitCode::SUCCESS)
}
