//! `dyad`: political event data from news text.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod cmd;
mod common;

/// Exit codes: 0 success; 1 some inputs failed (the others were processed); 2 usage or fatal
/// error (bad arguments, unreadable store, broken dictionary).
#[derive(Parser)]
#[command(
    name = "dyad",
    version,
    about = "political event data from news: who did what to whom, when, and what they said"
)]
#[command(
    after_help = "Exit codes: 0 success, 1 some inputs failed (the rest were processed), 2 usage or fatal error.\n\nStart with:  dyad run examples/   then   dyad query events"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Run(cmd::run::Args),
    Code(cmd::code::Args),
    Explain(cmd::explain::Args),
    Query(cmd::query::Args),
    Export(cmd::export::Args),
    Extract(cmd::extract::Args),
    Actors(cmd::actors::Args),
    Dict(cmd::dict::Args),
    Quotes(cmd::quotes::Args),
    Parse(cmd::parse::Args),
    Train(cmd::train::Args),
    Eval(cmd::eval::Args),
    Serve(cmd::serve::Args),
    Enqueue(cmd::enqueue::Args),
    Worker(cmd::worker::Args),
    Status(cmd::status::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => cmd::run::run(a),
        Command::Code(a) => cmd::code::run(a),
        Command::Explain(a) => cmd::explain::run(a),
        Command::Query(a) => cmd::query::run(a),
        Command::Export(a) => cmd::export::run(a),
        Command::Extract(a) => cmd::extract::run(a),
        Command::Actors(a) => cmd::actors::run(a),
        Command::Dict(a) => cmd::dict::run(a),
        Command::Quotes(a) => cmd::quotes::run(a),
        Command::Parse(a) => cmd::parse::run(a),
        Command::Train(a) => cmd::train::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Enqueue(a) => cmd::enqueue::run(a),
        Command::Worker(a) => cmd::worker::run(a),
        Command::Status(a) => cmd::status::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if common::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("dyad: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
