//! `negotium`: the command-line tool. Thin: it parses arguments, loads
//! scenarios through `negotium-scenario`, runs lenses through
//! `negotium-analysis` and prints JSON or the text of `negotium-report`.

use clap::{Parser, Subcommand};

mod cmd;

// mimalloc: the models allocate many small vectors per round; against the
// system allocator it takes about 6 % off a sweep (docs/perf/sweep.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Print the JSON Schema of a lens's `--json` result (or of its parameters).
    Schema(cmd::schema::SchemaArgs),
    /// The forecasts at every dated stance or capability change, with what changed and what followed.
    Replay(cmd::replay::ReplayArgs),
    /// Score the spatial models on recorded outcomes (DEU CSV, scenario files) against naive baselines.
    Backtest(cmd::backtest::BacktestArgs),
    /// Monte Carlo over the declared uncertainty: forecast quantiles, label, equilibrium, pass and agreement probabilities, Sobol indices.
    Sweep(cmd::sweep::SweepArgs),
    /// For one actor: the own move that brings each forecast nearest its ideal, and whom to persuade.
    Advise(cmd::advise::AdviseArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(cmd::completions::CompletionsArgs),
    /// Print the man page (roff) of negotium and its commands.
    Man(cmd::completions::ManArgs),
}

fn main() {
    restore_sigpipe();
    let json = cmd::errors::wants_json();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if json && e.use_stderr() => {
            cmd::emit(&format!("{:#}\n", cmd::errors::usage_object(&e)));
            e.exit()
        }
        Err(e) => e.exit(),
    };
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
        Command::Schema(a) => cmd::schema::run(a),
        Command::Replay(a) => cmd::replay::run(a),
        Command::Backtest(a) => cmd::backtest::run(a),
        Command::Sweep(a) => cmd::sweep::run(a),
        Command::Advise(a) => cmd::advise::run(a),
        Command::Completions(a) => cmd::completions::completions::<Cli>(a),
        Command::Man(a) => cmd::completions::man::<Cli>(a),
    };
    if let Err(e) = result {
        if json {
            cmd::emit(&format!("{:#}\n", cmd::errors::error_object(&e)));
        }
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
