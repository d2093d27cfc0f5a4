//! negotium-tournament: ANAC-style tournaments over a folder of negotiation
//! domains (GENIUS or GeniusWeb, any size), as files.
//!
//! [`run`] finds every domain folder under a root, loads and prepares each
//! (a folder that fails to load is listed as skipped, with its error),
//! schedules the jobs of [`negotium_bargain::league`] (both role orders,
//! repetitions), and runs them in parallel. Every finished job is appended
//! as one JSON line to `results.jsonl` in the output folder and flushed, so
//! an interrupted tournament resumes where it stopped (`resume: true` skips
//! the jobs already there; a line cut short by the interruption is dropped).
//! When every job is done it writes, sorted by job then party:
//! `results.csv` and `results.parquet` (one row per negotiation and party),
//! `ranking.csv` and `ranking.md` (standings by mean discounted utility) and
//! `summary.json`. Each job's seed depends only on its key, so the files are
//! identical whatever the thread count or the interruptions.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use negotium_bargain::engine::{EngineSettings, GeneralPrepared};
use negotium_bargain::league::{run_job, schedule, standings, LeagueRow, LeagueSpec, Standing};
use negotium_tabular::{Column, Table};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Why a tournament could not run.
#[derive(Debug, thiserror::Error)]
pub enum TournamentError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Setting(String),
    /// A size above its limit (the message names both).
    #[error("{0}")]
    Limit(String),
    #[error("{path}: line {line}: {msg}")]
    Results {
        path: String,
        line: usize,
        msg: String,
    },
    #[error("{0}")]
    Bargain(#[from] negotium_bargain::BargainError),
    #[error("{0}")]
    Table(#[from] negotium_tabular::TableError),
}

impl TournamentError {
    /// Whether the error is a refused size (a step budget, repetitions or
    /// a schedule above its limit): the command line exits with 3.
    pub fn is_limit(&self) -> bool {
        matches!(
            self,
            TournamentError::Bargain(
                negotium_bargain::BargainError::TooManySteps { .. }
                    | negotium_bargain::BargainError::TooLarge { .. }
            ) | TournamentError::Limit(_)
        )
    }

    /// Whether the error is bad input (settings, a results file that does
    /// not parse): the command line exits with 2.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            TournamentError::Setting(_)
                | TournamentError::Results { .. }
                | TournamentError::Bargain(negotium_bargain::BargainError::Setting(_))
        )
    }
}

/// The most repetitions of each pairing.
pub const MAX_REPETITIONS: u32 = 100_000;

/// The most jobs (negotiations) a tournament schedules.
pub const MAX_JOBS: u128 = 10_000_000;

fn io(path: &Path) -> impl Fn(std::io::Error) -> TournamentError + '_ {
    move |source| TournamentError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// A tournament over the domain folders under `root`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FolderTournament {
    pub root: PathBuf,
    pub spec: LeagueSpec,
    /// Discretisation of GENIUS `real` issues.
    pub real_points: usize,
    pub engine: EngineSettings,
}

impl FolderTournament {
    /// A tournament from the command line's settings: strategy names
    /// (empty: every built-in), repetitions, steps, seed, whether a strategy
    /// meets itself, and the discretisation of `real` issues. The sizes are
    /// checked here, before any work.
    pub fn from_names(
        root: PathBuf,
        strategies: &[String],
        repetitions: u32,
        n_steps: u32,
        seed: u64,
        self_play: bool,
        real_points: usize,
    ) -> Result<FolderTournament, TournamentError> {
        negotium_bargain::error::check_steps(n_steps)?;
        if n_steps == 0 || repetitions == 0 {
            return Err(TournamentError::Setting(
                "steps and repetitions must be at least 1".into(),
            ));
        }
        if repetitions > MAX_REPETITIONS {
            return Err(TournamentError::Limit(format!(
                "{repetitions} repetitions, more than the limit of {MAX_REPETITIONS}"
            )));
        }
        let strategies = if strategies.is_empty() {
            negotium_bargain::StrategySpec::builtins()
        } else {
            strategies
                .iter()
                .map(|s| {
                    s.parse()
                        .map_err(|e| TournamentError::Setting(format!("strategy `{s}`: {e}")))
                })
                .collect::<Result<_, _>>()?
        };
        Ok(FolderTournament {
            root,
            spec: LeagueSpec {
                strategies,
                repetitions,
                n_steps,
                seed,
                self_play,
            },
            real_points,
            engine: EngineSettings::default(),
        })
    }
}

/// How to run it.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Output folder (created if missing).
    pub out: PathBuf,
    /// Continue a tournament already in `out` (same settings).
    pub resume: bool,
    /// Run at most this many new jobs, then stop as if interrupted.
    pub stop_after: Option<usize>,
    /// Worker threads (default: rayon's).
    pub threads: Option<usize>,
    /// Run only this part of the schedule (for splitting a tournament over
    /// processes or machines; see [`Shard`]).
    pub shard: Option<Shard>,
}

/// Part `index` (1-based) of `count`: the jobs whose schedule position `p`
/// has `p % count == index - 1` (interleaved, so every part gets a share of
/// every domain). The parts of one tournament are disjoint and cover it;
/// their `results.jsonl` files, concatenated into one output folder (with
/// the same `spec.json`), resume into the whole tournament's outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Parses `i/n` (1 ≤ i ≤ n).
    pub fn parse(s: &str) -> Result<Shard, TournamentError> {
        let bad = || {
            TournamentError::Setting(format!(
                "jobs `{s}`: expected i/n, part i (from 1) of n parts, e.g. 2/4"
            ))
        };
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether the job at schedule position `p` is in this part.
    pub fn holds(&self, p: usize) -> bool {
        p % self.count == self.index - 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// One domain of the tournament.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DomainInfo {
    /// Path relative to the root (used as the domain's name in job keys).
    pub name: String,
    pub parties: usize,
    pub outcomes: String,
    pub method: String,
    pub frontier: String,
    pub notes: Vec<String>,
}

/// What a finished tournament produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub domains: Vec<DomainInfo>,
    /// Folders that could not be loaded or prepared, with the error.
    pub skipped: Vec<(String, String)>,
    pub jobs: usize,
    /// Jobs of the whole schedule (more than `jobs` when a part ran).
    pub total_jobs: usize,
    /// The part that ran (`i/n`), if not the whole schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// Jobs found done in `results.jsonl` when the run started.
    pub resumed: usize,
    pub standings: Vec<Standing>,
}

/// How [`run`] ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Completed(Summary),
    /// Stopped by `stop_after` with `done` of `total` jobs in `results.jsonl`.
    Interrupted {
        done: usize,
        total: usize,
    },
}

/// One line of `results.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct JobLine {
    key: String,
    rows: Vec<LeagueRow>,
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), TournamentError> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))
}

/// Reads the completed jobs, dropping (and cutting off) a last line that an
/// interruption left incomplete.
fn read_done(path: &Path) -> Result<Vec<JobLine>, TournamentError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let f = File::open(path).map_err(io(path))?;
    let mut out = Vec::new();
    let mut good_len = 0u64;
    let mut lines = BufReader::new(f).lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let line = line.map_err(io(path))?;
        match serde_json::from_str::<JobLine>(&line) {
            Ok(j) => {
                good_len += line.len() as u64 + 1;
                out.push(j);
            }
            Err(e) if lines.peek().is_none() => {
                // The interrupted write: drop it.
                let _ = e;
                let f = OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(io(path))?;
                f.set_len(good_len).map_err(io(path))?;
            }
            Err(e) => {
                return Err(TournamentError::Results {
                    path: path.display().to_string(),
                    line: i + 1,
                    msg: e.to_string(),
                })
            }
        }
    }
    Ok(out)
}

/// Runs (or resumes) a tournament; see the crate doc for the files.
pub fn run(t: &FolderTournament, opts: &RunOptions) -> Result<Outcome, TournamentError> {
    let pool = {
        let mut b = rayon::ThreadPoolBuilder::new();
        if let Some(n) = opts.threads {
            b = b.num_threads(n);
        }
        b.build()
            .map_err(|e| TournamentError::Setting(format!("thread pool: {e}")))?
    };
    pool.install(|| run_in_pool(t, opts))
}

fn run_in_pool(t: &FolderTournament, opts: &RunOptions) -> Result<Outcome, TournamentError> {
    negotium_bargain::error::check_steps(t.spec.n_steps)?;
    if t.spec.repetitions > MAX_REPETITIONS {
        return Err(TournamentError::Limit(format!(
            "{} repetitions, more than the limit of {MAX_REPETITIONS}",
            t.spec.repetitions
        )));
    }
    let out = &opts.out;
    std::fs::create_dir_all(out).map_err(io(out))?;
    let spec_path = out.join("spec.json");
    let spec_json = serde_json::to_string_pretty(t).expect("serialisable");
    if spec_path.exists() {
        if !opts.resume {
            return Err(TournamentError::Setting(format!(
                "{} already holds a tournament (spec.json); resume it or choose another output folder",
                out.display()
            )));
        }
        let old = std::fs::read_to_string(&spec_path).map_err(io(&spec_path))?;
        let a: serde_json::Value =
            serde_json::from_str(&old).map_err(|e| TournamentError::Results {
                path: spec_path.display().to_string(),
                line: e.line(),
                msg: e.to_string(),
            })?;
        let b: serde_json::Value = serde_json::from_str(&spec_json).expect("just written");
        if a != b {
            return Err(TournamentError::Setting(format!(
                "{}: the tournament there was run with other settings; resume with the same root, strategies, repetitions, steps, seed and engine settings",
                spec_path.display()
            )));
        }
    } else {
        write_atomic(&spec_path, spec_json.as_bytes())?;
    }

    // Domains, in path order, prepared in parallel (each deterministically).
    let dirs = negotium_scenario::domains::find(&t.root);
    if dirs.is_empty() {
        return Err(TournamentError::Setting(format!(
            "{}: no GENIUS or GeniusWeb domain folder found",
            t.root.display()
        )));
    }
    // The schedule's size before any domain is read: at most k² assignments
    // (k strategies) per domain.
    let k = t.spec.strategies.len() as u128;
    let bound = dirs.len() as u128 * k * k * t.spec.repetitions as u128;
    if bound > MAX_JOBS {
        return Err(TournamentError::Limit(format!(
            "{} domains × {k}² strategy assignments × {} repetitions = {bound} negotiations, more than the limit of {MAX_JOBS}; use fewer domains, strategies or repetitions",
            dirs.len(),
            t.spec.repetitions
        )));
    }
    let prepared: Vec<Result<GeneralPrepared, String>> = dirs
        .par_iter()
        .map(|d| {
            let name = d
                .strip_prefix(&t.root)
                .ok()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(d)
                .display()
                .to_string();
            let mut p =
                negotium_scenario::domains::load(d, t.real_points).map_err(|e| e.to_string())?;
            p.name = name;
            GeneralPrepared::with_settings(p, t.engine).map_err(|e| e.to_string())
        })
        .collect();
    let mut domains = Vec::new();
    let mut skipped = Vec::new();
    for (d, p) in dirs.iter().zip(prepared) {
        match p {
            Ok(p) => domains.push(p),
            Err(e) => skipped.push((d.display().to_string(), e)),
        }
    }
    let refs: Vec<&GeneralPrepared> = domains.iter().collect();
    let mut jobs = schedule(&refs, &t.spec)?;
    let total_jobs = jobs.len();
    if let Some(sh) = opts.shard {
        jobs.retain(|j| sh.holds(j.index));
    }

    let results_path = out.join("results.jsonl");
    let done = read_done(&results_path)?;
    let done_keys: std::collections::HashSet<&str> = done.iter().map(|j| j.key.as_str()).collect();
    let resumed = jobs
        .iter()
        .filter(|j| done_keys.contains(j.key.as_str()))
        .count();
    let mut todo: Vec<_> = jobs
        .iter()
        .filter(|j| !done_keys.contains(j.key.as_str()))
        .collect();
    let interrupted = match opts.stop_after {
        Some(k) if k < todo.len() => {
            todo.truncate(k);
            true
        }
        _ => false,
    };
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&results_path)
        .map_err(io(&results_path))?;
    let sink = Arc::new(Mutex::new(file));
    todo.par_iter()
        .try_for_each(|job| -> Result<(), TournamentError> {
            let rows = run_job(&refs, &t.spec, job)?;
            let mut line = serde_json::to_string(&JobLine {
                key: job.key.clone(),
                rows,
            })
            .expect("serialisable");
            line.push('\n');
            let mut f = sink.lock().expect("results file lock");
            f.write_all(line.as_bytes()).map_err(io(&results_path))?;
            f.flush().map_err(io(&results_path))
        })?;
    drop(sink);
    if interrupted {
        return Ok(Outcome::Interrupted {
            done: resumed + todo.len(),
            total: jobs.len(),
        });
    }

    // Everything is in results.jsonl: write the sorted outputs.
    let all = read_done(&results_path)?;
    let keys: std::collections::HashSet<&str> = jobs.iter().map(|j| j.key.as_str()).collect();
    let mut rows: Vec<LeagueRow> = all
        .into_iter()
        .filter(|j| keys.contains(j.key.as_str()))
        .flat_map(|j| j.rows)
        .collect();
    rows.sort_by(|a, b| a.index.cmp(&b.index).then(a.party.cmp(&b.party)));
    results_table(&rows)?.write_files(out, "results")?;
    let st = standings(&rows);
    write_ranking(out, &st)?;
    let summary = Summary {
        domains: domains
            .iter()
            .map(|d| DomainInfo {
                name: d.problem.name.clone(),
                parties: d.problem.parties.len(),
                outcomes: d.analysis.n_outcomes.clone(),
                method: format!("{:?}", d.analysis.method).to_lowercase(),
                frontier: d.analysis.quality.label(),
                notes: d.analysis.notes.clone(),
            })
            .collect(),
        skipped,
        jobs: jobs.len(),
        total_jobs,
        shard: opts.shard.map(|s| s.to_string()),
        resumed,
        standings: st,
    };
    write_atomic(
        &out.join("summary.json"),
        serde_json::to_string_pretty(&summary)
            .expect("serialisable")
            .as_bytes(),
    )?;
    Ok(Outcome::Completed(summary))
}

/// The ranking table as Markdown.
pub fn ranking_markdown(st: &[Standing]) -> String {
    let mut s = String::from(
        "| rank | strategy | negotiations | agreement rate | mean utility | mean discounted utility | mean advantage | mean welfare | mean distance to Pareto | mean distance to Nash |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for x in st {
        s.push_str(&format!(
            "| {} | {} | {} | {:.3} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {} |\n",
            x.rank,
            x.strategy,
            x.negotiations,
            x.agreement_rate,
            x.mean_utility,
            x.mean_discounted,
            x.mean_advantage,
            x.mean_welfare,
            x.mean_dist_pareto,
            x.mean_dist_nash
                .map(|d| format!("{d:.4}"))
                .unwrap_or_else(|| "–".into())
        ));
    }
    s
}

fn write_ranking(out: &Path, st: &[Standing]) -> Result<(), TournamentError> {
    ranking_table(st)?.write_files(out, "ranking")?;
    write_atomic(&out.join("ranking.md"), ranking_markdown(st).as_bytes())
}

/// The results as a table (one row per negotiation and party), columns in
/// the order of [`LeagueRow`]'s fields.
pub fn results_table(rows: &[LeagueRow]) -> Result<Table, TournamentError> {
    let u = |f: &dyn Fn(&LeagueRow) -> u64| Column::U64(rows.iter().map(f).collect());
    let d = |f: &dyn Fn(&LeagueRow) -> f64| Column::F64(rows.iter().map(f).collect());
    let t = |f: &dyn Fn(&LeagueRow) -> &str| {
        Column::Str(rows.iter().map(|r| f(r).to_string()).collect())
    };
    Ok(Table::new(vec![
        ("job".into(), t(&|r| &r.job)),
        ("index".into(), u(&|r| r.index as u64)),
        ("domain".into(), t(&|r| &r.domain)),
        ("repetition".into(), u(&|r| r.repetition as u64)),
        (
            "seed".into(),
            Column::Uint64(rows.iter().map(|r| r.seed).collect()),
        ),
        ("party".into(), u(&|r| r.party as u64)),
        ("profile".into(), t(&|r| &r.profile)),
        ("strategy".into(), t(&|r| &r.strategy)),
        ("opponents".into(), t(&|r| &r.opponents)),
        (
            "agreement".into(),
            Column::Bool(rows.iter().map(|r| r.agreement).collect()),
        ),
        ("end".into(), t(&|r| &r.end)),
        ("step".into(), u(&|r| r.step as u64)),
        ("time".into(), d(&|r| r.time)),
        ("utility".into(), d(&|r| r.utility)),
        ("discounted".into(), d(&|r| r.discounted)),
        ("reservation".into(), d(&|r| r.reservation)),
        ("advantage".into(), d(&|r| r.advantage)),
        ("welfare".into(), d(&|r| r.welfare)),
        ("dist_pareto".into(), d(&|r| r.dist_pareto)),
        (
            "dist_nash".into(),
            Column::OptF64(rows.iter().map(|r| r.dist_nash).collect()),
        ),
        ("method".into(), t(&|r| &r.method)),
        ("frontier".into(), t(&|r| &r.frontier)),
    ])?)
}

/// The standings as a table (one row per strategy, by rank).
pub fn ranking_table(st: &[Standing]) -> Result<Table, TournamentError> {
    let d = |f: &dyn Fn(&Standing) -> f64| Column::F64(st.iter().map(f).collect());
    Ok(Table::new(vec![
        (
            "rank".into(),
            Column::U64(st.iter().map(|x| x.rank as u64).collect()),
        ),
        (
            "strategy".into(),
            Column::Str(st.iter().map(|x| x.strategy.clone()).collect()),
        ),
        (
            "negotiations".into(),
            Column::U64(st.iter().map(|x| x.negotiations as u64).collect()),
        ),
        ("agreement_rate".into(), d(&|x| x.agreement_rate)),
        ("mean_utility".into(), d(&|x| x.mean_utility)),
        ("mean_discounted".into(), d(&|x| x.mean_discounted)),
        ("mean_advantage".into(), d(&|x| x.mean_advantage)),
        ("mean_welfare".into(), d(&|x| x.mean_welfare)),
        ("mean_dist_pareto".into(), d(&|x| x.mean_dist_pareto)),
        (
            "mean_dist_nash".into(),
            Column::OptF64(st.iter().map(|x| x.mean_dist_nash).collect()),
        ),
    ])?)
}

/// What `negotium tournament --domains` prints: the domains (and the
/// skipped ones with their errors), the leaderboard, and where the files are.
pub fn summary_text(s: &Summary, steps: u32, seed: u64, out: &str) -> String {
    let mut text = format!(
        "{} domains ({} skipped), {} negotiations{} ({} already done), {steps} steps, seed {seed}\n",
        s.domains.len(),
        s.skipped.len(),
        s.jobs,
        s.shard
            .as_ref()
            .map(|p| format!(" of {} (part {p})", s.total_jobs))
            .unwrap_or_default(),
        s.resumed,
    );
    for d in &s.domains {
        text.push_str(&format!(
            "  {}: {} parties, {} outcomes, {} (frontier {})\n",
            d.name, d.parties, d.outcomes, d.method, d.frontier
        ));
    }
    for (d, e) in &s.skipped {
        text.push_str(&format!("  skipped {d}: {e}\n"));
    }
    text.push('\n');
    text.push_str(&ranking_text(&s.standings));
    text.push_str(&format!(
        "\nresults: {out}/results.csv, {out}/results.parquet, {out}/ranking.csv, {out}/summary.json\n"
    ));
    text
}

/// The leaderboard as fixed-width text (what `negotium tournament` prints).
pub fn ranking_text(st: &[Standing]) -> String {
    // Clamped: format widths are 16-bit; a longer name only widens its row.
    let w = st
        .iter()
        .map(|x| x.strategy.len())
        .max()
        .unwrap_or(8)
        .clamp(8, 40);
    let mut s = format!(
        "{:>4}  {:<w$}  {:>6}  {:>9}  {:>7}  {:>10}  {:>9}  {:>7}  {:>6}  {:>6}\n",
        "rank",
        "agent",
        "runs",
        "agreement",
        "utility",
        "discounted",
        "advantage",
        "welfare",
        "Pareto",
        "Nash"
    );
    for x in st {
        s.push_str(&format!(
            "{:>4}  {:<w$}  {:>6}  {:>8.1}%  {:>7.4}  {:>10.4}  {:>9.4}  {:>7.4}  {:>6.4}  {:>6}\n",
            x.rank,
            x.strategy,
            x.negotiations,
            100.0 * x.agreement_rate,
            x.mean_utility,
            x.mean_discounted,
            x.mean_advantage,
            x.mean_welfare,
            x.mean_dist_pareto,
            x.mean_dist_nash
                .map(|d| format!("{d:.4}"))
                .unwrap_or_else(|| "–".into())
        ));
    }
    s
}
