//! `dyad eval`: score dyad against a benchmark with the benchmark's own metric.
//! Each kind lives in its own module (`eval_<kind>.rs`), owned by the issue that builds it.

use anyhow::Result;
use std::process::ExitCode;

/// Score dyad against gold data and print precision, recall, F1 and speed.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  dyad eval extraction ../shared/eval/extraction/scrapinghub\n  dyad eval nlp ../shared/eval/nlp/UD_English-EWT"
)]
pub struct Args {
    #[command(subcommand)]
    kind: Kind,
}

#[derive(clap::Subcommand)]
enum Kind {
    /// Article extraction on a Scrapinghub or WCXB benchmark folder.
    Extraction(super::eval_extraction::Args),
    /// Part-of-speech tagging on a UD treebank (gold tokens).
    Nlp(super::eval_nlp::Args),
    /// Event coding on PLOVER GSR JSON or PETRARCH validation XML.
    Events(super::eval_events::Args),
    /// Quotation attribution on a PolNeAR folder (brat standoff).
    Quotes(super::eval_quotes::Args),
}

pub fn run(a: Args) -> Result<ExitCode> {
    match a.kind {
        Kind::Extraction(a) => super::eval_extraction::run(a),
        Kind::Nlp(a) => super::eval_nlp::run(a),
        Kind::Events(a) => super::eval_events::run(a),
        Kind::Quotes(a) => super::eval_quotes::run(a),
    }
}
