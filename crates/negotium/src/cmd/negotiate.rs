//! `negotium negotiate`, `pareto` and `tournament`: the negotiation-protocols lens.

use std::io::IsTerminal;
use std::path::Path;

use clap::{Args, ValueEnum};
use negotium_analysis::bargaining::{BargainingProblem, ProtocolName};
use negotium_analysis::negotiate::{self, NegotiateParams, DEFAULT_PAIRS};
use negotium_analysis::pareto::{self, ParetoParams};
use negotium_analysis::tournament::{self, Progress, TournamentParams};

/// Which protocol to run.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolArg {
    /// Stacked alternating offers.
    Sao,
    /// Mediated single negotiating text (each party can veto a change).
    SingleText,
}

impl From<ProtocolArg> for ProtocolName {
    fn from(p: ProtocolArg) -> Self {
        match p {
            ProtocolArg::Sao => ProtocolName::Sao,
            ProtocolArg::SingleText => ProtocolName::SingleText,
        }
    }
}

#[derive(Args, Debug)]
pub struct NegotiateArgs {
    /// Built-in scenario id, scenario file, or a GENIUS or GeniusWeb domain folder (or one of its files).
    pub scenario: Option<String>,
    /// Protocol; without it (and without --strategies) a table of protocols × strategy pairs is shown.
    #[arg(long, value_enum)]
    pub protocol: Option<ProtocolArg>,
    /// Mediator of the single-text protocol: random, hill-climb or nash.
    #[arg(long, default_value = "nash")]
    pub mediator: String,
    /// Strategies, one per party in party order (or one for all): boulware,
    /// linear, conceder, hardheaded, aspiration:E, tft, micro, random.
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// Step budget (default: the scenario's `steps`, else 100; at most
    /// 1,000,000, above exits 3).
    #[arg(long)]
    pub steps: Option<u32>,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Print (or include in JSON) the full negotiation trace.
    #[arg(long)]
    pub trace: bool,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
    /// Points into which GENIUS `real` issues are discretised (at most 100,000; above exits 3).
    #[arg(long, default_value_t = 11)]
    pub real_points: usize,
}

#[derive(Args, Debug)]
pub struct ParetoArgs {
    /// Built-in scenario id, scenario file, or a GENIUS or GeniusWeb domain folder (or one of its files).
    pub scenario: Option<String>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
    /// Show at most this many frontier points in text output.
    #[arg(long, default_value_t = 40)]
    pub limit: usize,
    /// Seed of the search of non-linear utilities too large to enumerate.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Points into which GENIUS `real` issues are discretised (at most 100,000; above exits 3).
    #[arg(long, default_value_t = 11)]
    pub real_points: usize,
}

#[derive(Args, Debug)]
pub struct TournamentArgs {
    /// Scenarios or small domain folders (default: kosovo-status); see --domains for ANAC-style folders.
    pub scenarios: Vec<String>,
    /// Every GENIUS or GeniusWeb domain folder under DIR, any size (ANAC style:
    /// both role orders, CSV + Parquet + ranking in the --out folder, resumable).
    #[arg(long, value_name = "DIR")]
    pub domains: Option<std::path::PathBuf>,
    /// Strategies (agents) to compare (default: all built-ins).
    #[arg(long, value_delimiter = ',', alias = "agents")]
    pub strategies: Vec<String>,
    /// Repetitions of every pairing (at most 100,000; above exits 3).
    #[arg(long, default_value_t = 1)]
    pub repetitions: u32,
    /// Step budget of each negotiation (at most 1,000,000; above exits 3).
    #[arg(long, default_value_t = 100)]
    pub steps: u32,
    /// Base seed; each negotiation's seed is derived from it and its index.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[arg(long, value_enum, default_value = "sao")]
    pub protocol: ProtocolArg,
    /// Mediator of the single-text protocol: random, hill-climb or nash.
    #[arg(long, default_value = "nash")]
    pub mediator: String,
    /// Do not pair a strategy with itself.
    #[arg(long)]
    pub no_self_play: bool,
    /// Also run every issue on its own (needs per-issue reservations; done anyway when the whole package has no zone of agreement).
    #[arg(long)]
    pub by_issue: bool,
    /// Write the results to PREFIX.csv and PREFIX.json (with --domains: the output folder).
    #[arg(long, default_value = "tournament")]
    pub out: String,
    /// With --domains: continue the tournament in --out, skipping finished negotiations.
    #[arg(long)]
    pub resume: bool,
    /// With --domains: run only part i of n of the schedule (e.g. 2/4), to split a
    /// tournament over processes; concatenate the parts' results.jsonl and --resume to merge.
    #[arg(long, value_name = "I/N")]
    pub jobs: Option<String>,
    /// Print the summary as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Points into which GENIUS `real` issues are discretised (at most 100,000; above exits 3).
    #[arg(long, default_value_t = 11)]
    pub real_points: usize,
}

/// A GENIUS or GeniusWeb domain folder or a scenario's `[bargaining]`.
fn load_problem(arg: Option<&str>, real_points: usize) -> anyhow::Result<BargainingProblem> {
    match BargainingProblem::domain_folder(arg) {
        Some(dir) => BargainingProblem::from_dir(&dir, real_points).map_err(super::lens),
        None => BargainingProblem::from_scenario(&super::load_scenario(arg)?).map_err(super::lens),
    }
}

pub fn run_negotiate(a: NegotiateArgs) -> anyhow::Result<()> {
    let problem = load_problem(a.scenario.as_deref(), a.real_points)?;
    let params = NegotiateParams {
        protocol: a.protocol.map(Into::into),
        mediator: a.mediator.clone(),
        strategies: a.strategies.clone(),
        steps: a.steps,
        seed: a.seed,
        trace: a.trace,
        real_points: a.real_points,
    };
    let r = negotiate::run_problem(&problem, &params).map_err(super::lens)?;
    if a.json || a.protocol.is_some() || !a.strategies.is_empty() {
        return super::print(a.json, &r, || negotium_report::negotiate::run(&r, &params));
    }
    let runs = negotiate::compare(&problem, &params, &DEFAULT_PAIRS).map_err(super::lens)?;
    super::emit(&negotium_report::negotiate::comparison(&runs, &params));
    Ok(())
}

pub fn run_pareto(a: ParetoArgs) -> anyhow::Result<()> {
    let problem = load_problem(a.scenario.as_deref(), a.real_points)?;
    let params = ParetoParams {
        limit: a.limit,
        real_points: a.real_points,
        seed: a.seed,
    };
    let r = pareto::run_problem(&problem, &params).map_err(super::lens)?;
    super::print(a.json, &r, || {
        negotium_report::negotiate::pareto(&r, &params)
    })
}

pub fn run_tournament(a: TournamentArgs) -> anyhow::Result<()> {
    if let Some(dir) = a.domains.clone() {
        return run_folder_tournament(a, dir);
    }
    if a.resume || a.jobs.is_some() {
        return Err(super::input_error(
            "--resume and --jobs need --domains DIR (the folder tournament)",
        ));
    }
    let names: Vec<String> = if a.scenarios.is_empty() {
        vec![super::DEFAULT_SCENARIO.to_string()]
    } else {
        a.scenarios.clone()
    };
    let problems = names
        .iter()
        .map(|n| load_problem(Some(n), a.real_points))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let params = TournamentParams {
        strategies: a.strategies.clone(),
        repetitions: a.repetitions,
        steps: a.steps,
        seed: a.seed,
        protocol: a.protocol.into(),
        mediator: a.mediator.clone(),
        no_self_play: a.no_self_play,
        by_issue: a.by_issue,
        real_points: a.real_points,
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} negotiations, {eta} left",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let progress = |p: Progress| {
        if let Some(b) = &bar {
            if p.done == 0 {
                b.set_length(p.total);
            } else {
                b.inc(1);
            }
        }
    };
    let r = tournament::run_problems(&problems, &params, &progress).map_err(super::lens)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let csv_path = format!("{}.csv", a.out);
    let json_path = format!("{}.json", a.out);
    super::report::write_atomic(Path::new(&csv_path), r.records_csv().as_bytes())?;
    super::report::write_atomic(
        Path::new(&json_path),
        serde_json::to_string_pretty(&r)?.as_bytes(),
    )?;
    /// What `tournament --json` prints: the summary and where the files are.
    #[derive(serde::Serialize)]
    struct Written<'a> {
        summary: &'a [negotium_analysis::tournament::SummaryOut],
        csv: &'a str,
        json: &'a str,
    }
    let written = Written {
        summary: &r.summary,
        csv: &csv_path,
        json: &json_path,
    };
    super::print(a.json, &written, || {
        format!(
            "{}results: {csv_path}, {json_path}\n",
            negotium_report::negotiate::tournament(&r)
        )
    })
}

/// A folder error with the exit code of its kind (2 input, 3 size).
fn folder_error(e: negotium_tournament::TournamentError) -> anyhow::Error {
    use negotium_analysis::AnalysisError;
    if e.is_limit() {
        super::lens(AnalysisError::limit(e.to_string()))
    } else if e.is_input() {
        super::input_error(e.to_string())
    } else {
        anyhow::Error::new(e)
    }
}

/// `tournament --domains DIR`: the resumable folder tournament.
fn run_folder_tournament(a: TournamentArgs, dir: std::path::PathBuf) -> anyhow::Result<()> {
    use negotium_tournament::{FolderTournament, Outcome, RunOptions, Shard};
    if !a.scenarios.is_empty() || a.protocol != ProtocolArg::Sao || a.by_issue {
        return Err(super::input_error(
            "--domains runs SAO on whole domains: drop the scenario arguments, --protocol and --by-issue",
        ));
    }
    if !dir.is_dir() {
        return Err(super::input_error(format!(
            "--domains: {} is not a folder",
            dir.display()
        )));
    }
    let t = FolderTournament::from_names(
        dir,
        &a.strategies,
        a.repetitions,
        a.steps,
        a.seed,
        !a.no_self_play,
        a.real_points,
    )
    .map_err(folder_error)?;
    let shard = a
        .jobs
        .as_deref()
        .map(Shard::parse)
        .transpose()
        .map_err(folder_error)?;
    let opts = RunOptions {
        out: a.out.clone().into(),
        resume: a.resume,
        shard,
        ..RunOptions::default()
    };
    let Outcome::Completed(s) = negotium_tournament::run(&t, &opts).map_err(folder_error)? else {
        anyhow::bail!("the tournament stopped before its end; run again with --resume")
    };
    super::print(a.json, &s, || {
        negotium_tournament::summary_text(&s, a.steps, a.seed, &a.out)
    })
}
