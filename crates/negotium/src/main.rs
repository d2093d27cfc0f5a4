//! `negotium`: the command-line tool. Thin: it parses arguments, loads
//! scenarios through `negotium-scenario`, calls the lens crates and prints
//! through `negotium-report`.

use clap::{Parser, Subcommand};

mod cmd;

/// Model, forecast and simulate multi-party negotiations.
#[derive(Parser)]
#[command(name = "negotium", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse a scenario through every lens it supports (default: kosovo-status).
    Analyze(cmd::analyze::AnalyzeArgs),
    /// Run the spatial forecasting models on a scenario or a KTAB CSV file.
    Forecast(cmd::forecast::ForecastArgs),
    /// Check a scenario file and report every problem with its location.
    Validate(cmd::validate::ValidateArgs),
    /// List the built-in scenarios.
    Scenarios(cmd::scenarios::ScenariosArgs),
    /// The dated history of a scenario (talks, proposals, votes, rulings).
    History(cmd::history::HistoryArgs),
    /// Strategic conflict analysis (Graph Model for Conflict Resolution).
    Conflict(cmd::conflict::ConflictArgs),
    /// Voting power of each institution's members.
    Power(cmd::power::PowerArgs),
    /// Would a proposal pass an institution, and who decides it?
    Vote(cmd::power::VoteArgs),
    /// Run a negotiation protocol between the bargaining parties.
    Negotiate(cmd::negotiate::NegotiateArgs),
    /// Pareto frontier and bargaining solutions of a negotiation domain.
    Pareto(cmd::negotiate::ParetoArgs),
    /// Run every strategy pair over domains, roles and repetitions.
    Tournament(cmd::negotiate::TournamentArgs),
    /// Write a self-contained HTML report with charts of every lens.
    Report(cmd::report::ReportArgs),
    /// Start the web workbench (scenarios, runs stored in SQLite, charts, JSON API).
    Serve(cmd::serve::ServeArgs),
}

fn main() {
    restore_sigpipe();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(a) => cmd::analyze::run(a),
        Command::Forecast(a) => cmd::forecast::run(a),
        Command::Validate(a) => cmd::validate::run(a),
        Command::Scenarios(a) => cmd::scenarios::run(a),
        Command::History(a) => cmd::history::run(a),
        Command::Conflict(a) => cmd::conflict::run(a),
        Command::Power(a) => cmd::power::run_power(a),
        Command::Vote(a) => cmd::power::run_vote(a),
        Command::Negotiate(a) => cmd::negotiate::run_negotiate(a),
        Command::Pareto(a) => cmd::negotiate::run_pareto(a),
        Command::Tournament(a) => cmd::negotiate::run_tournament(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Serve(a) => cmd::serve::run(a),
    };
    if let Err(e) = result {
        eprintln!("error: {e:#}");
        std::process::exit(cmd::exit_code(&e));
    }
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`negotium … | head`)
/// would panic; restore the default so the process ends quietly instead, as
/// other command-line tools do.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any other thread exists;
    // setting a signal's disposition to its default has no other effect.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
