//! The tournament lens: every strategy assignment over one or more
//! bargaining problems, roles and repetitions, run in parallel (results do
//! not depend on the thread count), summarised per strategy.

use negotium_bargain::domain::MAX_OUTCOMES;
use negotium_bargain::session::{Prepared, Protocol};
use negotium_bargain::tournament::{
    run_job, schedule, summarize, Job, Record, Summary, TournamentSpec, MAX_JOBS,
};
use negotium_bargain::StrategySpec;
use negotium_scenario::Loaded;
use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::bargaining::{check_real_points, parse_strategies, BargainingProblem, ProtocolName};
use crate::error::cap;
use crate::params::{comma_list, comma_list_schema, LenientInt};
use crate::AnalysisError;

/// The most repetitions of each pairing.
pub const MAX_REPETITIONS: u32 = 100_000;

/// The most steps of each negotiation.
pub const MAX_STEPS: u32 = 1_000_000;

/// Parameters of `negotium tournament` (the output file prefix `--out` is
/// the command's own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct TournamentParams {
    /// Strategies to compare (empty: every built-in).
    #[serde(deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub strategies: Vec<String>,
    /// Repetitions of every pairing (1 to 100000).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(min = 1, max = 100_000))]
    pub repetitions: u32,
    /// Steps of each negotiation (1 to 1000000).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(min = 1, max = 1_000_000))]
    pub steps: u32,
    /// Base seed; each negotiation's seed is derived from it and its index.
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt")]
    pub seed: u64,
    /// Protocol: `sao` or `single-text`.
    pub protocol: ProtocolName,
    /// Mediator of the single-text protocol: random, hill-climb or nash.
    pub mediator: String,
    /// Do not pair a strategy with itself.
    pub no_self_play: bool,
    /// Also run every issue of each problem on its own (needs per-issue
    /// reservations; done anyway when the whole package has no zone of agreement).
    pub by_issue: bool,
    /// Points into which GENIUS `real` issues are discretised.
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(min = 2, max = 100_000))]
    pub real_points: usize,
}

impl Default for TournamentParams {
    fn default() -> Self {
        TournamentParams {
            strategies: Vec::new(),
            repetitions: 1,
            steps: 100,
            seed: 0,
            protocol: ProtocolName::Sao,
            mediator: "nash".into(),
            no_self_play: false,
            by_issue: false,
            real_points: 11,
        }
    }
}

/// A strategy as the tournament's spec records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub enum StrategyOut {
    /// Time-based aspiration (boulware, linear, conceder, tough,
    /// aspiration:E) with its exponent.
    Aspiration {
        label: String,
        exponent: f64,
    },
    TitForTat,
    Micro,
    Random,
    /// ANAC 2011 HardHeaded.
    HardHeaded,
    /// ANAC 2010 AgentK.
    AgentK,
    /// ANAC 2011 Nice Tit-for-Tat.
    NiceTitForTat,
    /// CUHKAgent-style frequency-model agent.
    Cuhk,
}

/// The protocol as the spec records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum ProtocolOut {
    Sao,
    SingleText {
        /// `random`, `hill-climb` or `nash`.
        mediator: String,
    },
}

/// What ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SpecOut {
    pub strategies: Vec<StrategyOut>,
    pub protocol: ProtocolOut,
    pub repetitions: u32,
    pub n_steps: u32,
    pub seed: u64,
    /// Whether a strategy may meet itself.
    pub self_play: bool,
}

/// One negotiation of the tournament.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordOut {
    pub index: usize,
    /// The problem's name.
    pub problem: String,
    pub repetition: u32,
    pub seed: u64,
    /// Per party (party order): its strategy.
    pub strategies: Vec<String>,
    pub agreement: bool,
    pub step: u32,
    pub offers: u32,
    /// Per party: utility of the agreement, or its reservation value.
    pub utilities: Vec<f64>,
    pub reservation: Vec<f64>,
    pub dist_pareto: f64,
    pub dist_nash: Option<f64>,
    /// Party names (party order).
    pub parties: Vec<String>,
}

/// One strategy's results over all its roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SummaryOut {
    pub strategy: String,
    /// Negotiations (counted once per role played).
    pub negotiations: usize,
    pub agreement_rate: f64,
    pub mean_utility: f64,
    /// Mean of utility minus reservation value.
    pub mean_advantage: f64,
    /// Mean of the sum of every party's utility in its negotiations.
    pub mean_welfare: f64,
    pub mean_dist_pareto: f64,
    /// Over negotiations whose problem has a Nash point.
    pub mean_dist_nash: Option<f64>,
}

/// The tournament's result (what `negotium tournament` writes to PREFIX.json).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TournamentResult {
    pub spec: SpecOut,
    /// Every problem's name, in order (issues run alone come before their whole problem).
    pub problems: Vec<String>,
    /// Per strategy, by decreasing mean utility.
    pub summary: Vec<SummaryOut>,
    /// One per negotiation, in schedule order.
    pub records: Vec<RecordOut>,
    /// What the lens did beyond the parameters, in words (e.g. issues run
    /// on their own because the whole package has no zone of agreement).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Progress of a long run: negotiations done of the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// A tournament on a scenario's `[bargaining]` problem.
pub fn run(
    scenario: &Loaded,
    params: &TournamentParams,
) -> Result<TournamentResult, AnalysisError> {
    run_problems(
        &[BargainingProblem::from_scenario(scenario)?],
        params,
        &|_| {},
    )
}

/// A tournament over several problems; `progress` is called (from worker
/// threads) after each negotiation, and once with `done = 0` before the first.
pub fn run_problems(
    problems: &[BargainingProblem],
    params: &TournamentParams,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<TournamentResult, AnalysisError> {
    let plan = Plan::new(problems, params)?;
    let records = plan.run(0..plan.jobs.len(), progress)?;
    Ok(plan.assemble(records))
}

/// How many negotiations the tournament schedules (the parameters and the
/// size limits checked first): the range of [`run_block`]'s indices.
pub fn job_count(
    problems: &[BargainingProblem],
    params: &TournamentParams,
) -> Result<usize, AnalysisError> {
    Ok(Plan::new(problems, params)?.jobs.len())
}

/// Runs only the negotiations whose schedule index is in `jobs` (one block
/// of a sharded tournament, e.g. one Ray task): their records, in schedule
/// order, each identical to its record in the whole run (a negotiation's
/// seed depends only on the base seed and its index).
pub fn run_block(
    problems: &[BargainingProblem],
    params: &TournamentParams,
    jobs: std::ops::Range<usize>,
) -> Result<Vec<RecordOut>, AnalysisError> {
    let plan = Plan::new(problems, params)?;
    let n = plan.jobs.len();
    if jobs.start > jobs.end || jobs.end > n {
        return Err(AnalysisError::param(
            "jobs",
            format!(
                "block {}..{} is outside the tournament's {n} negotiations",
                jobs.start, jobs.end
            ),
        ));
    }
    let range = jobs.clone();
    let records = plan.run(jobs, &|_| {})?;
    Ok(records
        .into_iter()
        .zip(&plan.jobs[range])
        .map(|(r, j)| record_out(r, plan.parties[j.problem].clone()))
        .collect())
}

/// The whole tournament's result from the records of every block of
/// [`run_block`] (blocks in any order; every negotiation exactly once):
/// equal to [`run_problems`] with the same problems and parameters.
pub fn merge_blocks(
    problems: &[BargainingProblem],
    params: &TournamentParams,
    blocks: Vec<Vec<RecordOut>>,
) -> Result<TournamentResult, AnalysisError> {
    let plan = Plan::new(problems, params)?;
    let mut records: Vec<RecordOut> = blocks.into_iter().flatten().collect();
    records.sort_by_key(|r| r.index);
    let n = plan.jobs.len();
    if records.len() != n {
        return Err(AnalysisError::input(format!(
            "the blocks hold {} records; the tournament has {n} negotiations",
            records.len()
        )));
    }
    for (r, j) in records.iter().zip(&plan.jobs) {
        if r.index != j.index || r.seed != j.seed || r.repetition != j.repetition {
            return Err(AnalysisError::input(format!(
                "the blocks do not hold negotiation {} of this tournament exactly once (found index {}, seed {}): were they run with the same parameters?",
                j.index, r.index, r.seed
            )));
        }
    }
    let records = records
        .into_iter()
        .map(|r| Record {
            index: r.index,
            problem: r.problem,
            repetition: r.repetition,
            seed: r.seed,
            strategies: r.strategies,
            agreement: r.agreement,
            step: r.step,
            offers: r.offers,
            utilities: r.utilities,
            reservation: r.reservation,
            dist_pareto: r.dist_pareto,
            dist_nash: r.dist_nash,
        })
        .collect();
    Ok(plan.assemble(records))
}

/// A tournament ready to run: its problems prepared, its spec and its
/// schedule.
struct Plan {
    prepared: Vec<Prepared>,
    spec: TournamentSpec,
    jobs: Vec<Job>,
    /// Party names of each prepared problem.
    parties: Vec<Vec<String>>,
    /// What the plan changed and why (e.g. issues run alone).
    notes: Vec<String>,
}

impl Plan {
    fn new(
        problems: &[BargainingProblem],
        params: &TournamentParams,
    ) -> Result<Plan, AnalysisError> {
        check_real_points(params.real_points)?;
        if params.steps == 0 {
            return Err(AnalysisError::param("steps", "must be at least 1"));
        }
        if params.repetitions == 0 {
            return Err(AnalysisError::param("repetitions", "must be at least 1"));
        }
        cap("steps", params.steps as u64, MAX_STEPS as u64)?;
        cap(
            "repetitions",
            params.repetitions as u64,
            MAX_REPETITIONS as u64,
        )?;
        let mut prepared = Vec::new();
        let mut notes = Vec::new();
        for l in problems {
            // This lens runs enumerated linear-additive problems (it also runs
            // the single text and issue by issue); larger or non-linear domains
            // go through the folder tournament (`negotium tournament --domains`).
            let problem = match l.problem.to_problem(MAX_OUTCOMES) {
                Some(p) => p?,
                None => {
                    return Err(AnalysisError::limit(format!(
                        "`{}` has {} outcomes{}; this tournament enumerates linear additive spaces of at most {MAX_OUTCOMES} outcomes: run it with --domains DIR (the folder tournament, any size)",
                        l.problem.name,
                        l.problem.size_text(),
                        if l.problem.is_additive() { "" } else { " and a non-linear utility" }
                    )))
                }
            };
            let whole = Prepared::new(problem.clone());
            let splittable = problem.has_issue_reservations() && problem.domain.issues.len() > 1;
            let no_zone = whole.analysis.rational_outcomes == 0;
            if splittable && no_zone && !params.by_issue {
                notes.push(format!(
                    "`{}`: no package is at least as good as every party's alternative (empty zone of agreement), so no strategy can agree on the whole; every issue is also run on its own",
                    problem.name
                ));
            }
            if splittable && (params.by_issue || no_zone) {
                for k in 0..problem.domain.issues.len() {
                    prepared.push(Prepared::new(problem.restrict_to_issue(k)?));
                }
            }
            prepared.push(whole);
        }
        let strategies: Vec<StrategySpec> = if params.strategies.is_empty() {
            StrategySpec::builtins()
        } else {
            parse_strategies(&params.strategies)?
        };
        let spec = TournamentSpec {
            strategies,
            protocol: params.protocol.protocol(&params.mediator)?,
            repetitions: params.repetitions,
            n_steps: params.steps,
            seed: params.seed,
            self_play: !params.no_self_play,
        };
        // The size, before any work.
        let k = spec.strategies.len() as u128;
        let total: u128 = prepared
            .iter()
            .map(|p| k.pow(p.problem.parties.len() as u32) * spec.repetitions as u128)
            .sum();
        if total > MAX_JOBS as u128 {
            return Err(AnalysisError::limit(format!(
                "the tournament would run {total} negotiations, more than the limit of {MAX_JOBS}; use fewer strategies, repetitions or parties"
            )));
        }
        let jobs = schedule(&prepared, &spec)?;
        let parties = prepared
            .iter()
            .map(|p| p.problem.parties.iter().map(|x| x.name.clone()).collect())
            .collect();
        Ok(Plan {
            prepared,
            spec,
            jobs,
            parties,
            notes,
        })
    }

    /// The records of the jobs in `range` (in parallel; schedule order).
    fn run(
        &self,
        range: std::ops::Range<usize>,
        progress: &(dyn Fn(Progress) + Sync),
    ) -> Result<Vec<Record>, AnalysisError> {
        let jobs = &self.jobs[range];
        let n_jobs = jobs.len() as u64;
        progress(Progress {
            done: 0,
            total: n_jobs,
        });
        let done = std::sync::atomic::AtomicU64::new(0);
        let records = jobs
            .par_iter()
            .map(|j| {
                let r = run_job(&self.prepared, &self.spec, j);
                let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(Progress {
                    done: d,
                    total: n_jobs,
                });
                r
            })
            .collect::<Result<_, _>>()?;
        Ok(records)
    }

    /// The result from every job's record (schedule order).
    fn assemble(&self, records: Vec<Record>) -> TournamentResult {
        let summary = summarize(&self.spec, &records);
        let records: Vec<RecordOut> = records
            .into_iter()
            .zip(&self.jobs)
            .map(|(r, j)| record_out(r, self.parties[j.problem].clone()))
            .collect();
        TournamentResult {
            spec: spec_out(&self.spec),
            problems: self
                .prepared
                .iter()
                .map(|p| p.problem.name.clone())
                .collect(),
            summary: summary.iter().map(|s| summary_out(s, &records)).collect(),
            records,
            notes: self.notes.clone(),
        }
    }
}

fn spec_out(s: &TournamentSpec) -> SpecOut {
    SpecOut {
        strategies: s
            .strategies
            .iter()
            .map(|x| match x {
                StrategySpec::Aspiration { label, exponent } => StrategyOut::Aspiration {
                    label: label.clone(),
                    exponent: *exponent,
                },
                StrategySpec::TitForTat => StrategyOut::TitForTat,
                StrategySpec::Micro => StrategyOut::Micro,
                StrategySpec::Random => StrategyOut::Random,
                StrategySpec::HardHeaded => StrategyOut::HardHeaded,
                StrategySpec::AgentK => StrategyOut::AgentK,
                StrategySpec::NiceTitForTat => StrategyOut::NiceTitForTat,
                StrategySpec::Cuhk => StrategyOut::Cuhk,
            })
            .collect(),
        protocol: match s.protocol {
            Protocol::Sao => ProtocolOut::Sao,
            Protocol::SingleText { mediator } => ProtocolOut::SingleText {
                mediator: serde_json::to_value(mediator)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            },
        },
        repetitions: s.repetitions,
        n_steps: s.n_steps,
        seed: s.seed,
        self_play: s.self_play,
    }
}

fn summary_out(s: &Summary, records: &[RecordOut]) -> SummaryOut {
    // Welfare of each negotiation, counted once per role the strategy played.
    let (mut sum, mut n) = (0.0, 0usize);
    for r in records {
        let w: f64 = r.utilities.iter().sum();
        let k = r.strategies.iter().filter(|x| **x == s.strategy).count();
        sum += w * k as f64;
        n += k;
    }
    SummaryOut {
        mean_welfare: if n == 0 { 0.0 } else { sum / n as f64 },
        strategy: s.strategy.clone(),
        negotiations: s.negotiations,
        agreement_rate: s.agreement_rate,
        mean_utility: s.mean_utility,
        mean_advantage: s.mean_advantage,
        mean_dist_pareto: s.mean_dist_pareto,
        mean_dist_nash: s.mean_dist_nash,
    }
}

fn record_out(r: Record, parties: Vec<String>) -> RecordOut {
    RecordOut {
        index: r.index,
        problem: r.problem,
        repetition: r.repetition,
        seed: r.seed,
        strategies: r.strategies,
        agreement: r.agreement,
        step: r.step,
        offers: r.offers,
        utilities: r.utilities,
        reservation: r.reservation,
        dist_pareto: r.dist_pareto,
        dist_nash: r.dist_nash,
        parties,
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl TournamentResult {
    /// The long-format results table: one row per negotiation and party.
    pub fn records_csv(&self) -> String {
        let mut s = String::from(
            "index,problem,repetition,seed,party,role,strategy,agreement,step,offers,utility,reservation,dist_pareto,dist_nash\n",
        );
        for r in &self.records {
            for (k, st) in r.strategies.iter().enumerate() {
                s.push_str(&format!(
                    "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                    r.index,
                    csv_field(&r.problem),
                    r.repetition,
                    r.seed,
                    csv_field(r.parties.get(k).map(String::as_str).unwrap_or("")),
                    k,
                    csv_field(st),
                    r.agreement,
                    r.step,
                    r.offers,
                    r.utilities[k],
                    r.reservation[k],
                    r.dist_pareto,
                    r.dist_nash.map(|v| format!("{v}")).unwrap_or_default()
                ));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kosovo() -> BargainingProblem {
        let l = negotium_scenario::resolve("kosovo-status").unwrap();
        BargainingProblem::from_scenario(&l).unwrap()
    }

    #[test]
    fn blocks_in_any_order_merge_to_the_whole_run() {
        let problems = [kosovo()];
        let params = TournamentParams {
            strategies: vec!["boulware".into(), "conceder".into(), "random".into()],
            repetitions: 3,
            steps: 30,
            seed: 5,
            ..TournamentParams::default()
        };
        let whole = run_problems(&problems, &params, &|_| {}).unwrap();
        let n = job_count(&problems, &params).unwrap();
        assert_eq!(n, whole.records.len());
        assert!(n > 10);
        let cuts = [0, 4, 5, n - 3, n];
        let mut blocks: Vec<Vec<RecordOut>> = cuts
            .windows(2)
            .map(|w| run_block(&problems, &params, w[0]..w[1]).unwrap())
            .collect();
        // Each block is the slice of the whole run's records.
        for (w, b) in cuts.windows(2).zip(&blocks) {
            assert_eq!(b[..], whole.records[w[0]..w[1]]);
        }
        blocks.reverse();
        let merged = merge_blocks(&problems, &params, blocks.clone()).unwrap();
        assert_eq!(merged, whole);

        // A block missing, or one given twice, is refused.
        let short = blocks[1..].to_vec();
        assert!(merge_blocks(&problems, &params, short).is_err());
        let mut twice = blocks.clone();
        twice.push(blocks[0].clone());
        assert!(merge_blocks(&problems, &params, twice).is_err());
        // A block from another seed is refused.
        let other = TournamentParams {
            seed: 6,
            ..params.clone()
        };
        let mut mixed = blocks.clone();
        mixed[0] = run_block(&problems, &other, cuts[3]..cuts[4]).unwrap();
        assert!(merge_blocks(&problems, &params, mixed).is_err());
        // A range outside the schedule names the parameter.
        let e = run_block(&problems, &params, n..n + 1).unwrap_err();
        assert_eq!(e.exit_code(), 2);
    }
}
