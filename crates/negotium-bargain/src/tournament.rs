//! Tournaments: every assignment of strategies to roles, over problems and
//! repetitions, each negotiation with its own seed derived from the base
//! seed and its index, so results are reproducible bit for bit whatever the
//! thread count. Jobs run in parallel with rayon; [`summarize`] gives per
//! strategy the mean utility, agreement rate and distances to Pareto/Nash.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analysis::{distance, distance_to_frontier};
use crate::error::BargainError;
use crate::session::{negotiate, Prepared, Protocol, Settings};
use crate::strategy::{derive_seed, StrategySpec};

/// The most negotiations one tournament may schedule.
pub const MAX_JOBS: usize = 10_000_000;

/// What to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TournamentSpec {
    pub strategies: Vec<StrategySpec>,
    pub protocol: Protocol,
    pub repetitions: u32,
    pub n_steps: u32,
    pub seed: u64,
    /// Whether a strategy may meet itself.
    pub self_play: bool,
}

/// One scheduled negotiation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub index: usize,
    pub problem: usize,
    /// Strategy index (into the spec) of each party, in party order.
    pub roles: Vec<usize>,
    pub repetition: u32,
    pub seed: u64,
}

/// One row of the results table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub index: usize,
    pub problem: String,
    pub repetition: u32,
    pub seed: u64,
    pub strategies: Vec<String>,
    pub agreement: bool,
    pub step: u32,
    pub offers: u32,
    pub utilities: Vec<f64>,
    pub reservation: Vec<f64>,
    pub dist_pareto: f64,
    pub dist_nash: Option<f64>,
}

/// All jobs, in a fixed order: problem, role assignment (odometer over
/// strategies, party 0 slowest), repetition.
pub fn schedule(problems: &[Prepared], spec: &TournamentSpec) -> Result<Vec<Job>, BargainError> {
    let k = spec.strategies.len();
    if k == 0 {
        return Err(BargainError::Setting("no strategies to compare".into()));
    }
    crate::error::check_steps(spec.n_steps)?;
    if spec.repetitions == 0 {
        return Err(BargainError::Setting(
            "repetitions must be at least 1".into(),
        ));
    }
    let mut total: u128 = 0;
    for p in problems {
        total += (k as u128).pow(p.problem.parties.len() as u32) * spec.repetitions as u128;
    }
    if total > MAX_JOBS as u128 {
        return Err(BargainError::Setting(format!(
            "the tournament would run {total} negotiations, more than the limit of {MAX_JOBS}; use fewer strategies, repetitions or parties"
        )));
    }
    let mut jobs = Vec::new();
    for (pi, p) in problems.iter().enumerate() {
        let n = p.problem.parties.len();
        let mut roles = vec![0usize; n];
        loop {
            let distinct = {
                let mut r = roles.clone();
                r.sort_unstable();
                r.dedup();
                r.len() == n
            };
            if spec.self_play || distinct {
                for rep in 0..spec.repetitions {
                    let index = jobs.len();
                    jobs.push(Job {
                        index,
                        problem: pi,
                        roles: roles.clone(),
                        repetition: rep,
                        seed: derive_seed(spec.seed, index as u64),
                    });
                }
            }
            // Odometer increment.
            let mut d = n;
            loop {
                if d == 0 {
                    break;
                }
                d -= 1;
                roles[d] += 1;
                if roles[d] < k {
                    break;
                }
                roles[d] = 0;
                if d == 0 {
                    d = usize::MAX;
                    break;
                }
            }
            if d == usize::MAX {
                break;
            }
        }
    }
    Ok(jobs)
}

/// Runs one job.
pub fn run_job(
    problems: &[Prepared],
    spec: &TournamentSpec,
    job: &Job,
) -> Result<Record, BargainError> {
    let prep = &problems[job.problem];
    let settings = Settings {
        protocol: spec.protocol,
        strategies: job
            .roles
            .iter()
            .map(|&r| spec.strategies[r].clone())
            .collect(),
        n_steps: spec.n_steps,
        seed: job.seed,
        trace: false,
    };
    let rep = negotiate(prep, &settings)?;
    let u = rep.utilities.clone();
    let dist_pareto = match &rep.distances {
        Some(d) => d.pareto,
        None => distance_to_frontier(&prep.space, &prep.analysis.pareto, &u),
    };
    let dist_nash = prep
        .analysis
        .nash
        .as_ref()
        .map(|n| distance(&n.utilities, &u));
    Ok(Record {
        index: job.index,
        problem: prep.problem.name.clone(),
        repetition: job.repetition,
        seed: job.seed,
        strategies: rep.strategies,
        agreement: rep.run.agreement.is_some(),
        step: rep.run.step,
        offers: rep.run.offers,
        utilities: u,
        reservation: prep.space.reservation.clone(),
        dist_pareto,
        dist_nash,
    })
}

/// Runs every job in parallel; the result is in job order.
pub fn run_all(problems: &[Prepared], spec: &TournamentSpec) -> Result<Vec<Record>, BargainError> {
    let jobs = schedule(problems, spec)?;
    jobs.par_iter()
        .map(|j| run_job(problems, spec, j))
        .collect()
}

/// Per-strategy summary over all its roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub strategy: String,
    /// Negotiations (counted once per role played).
    pub negotiations: usize,
    pub agreement_rate: f64,
    pub mean_utility: f64,
    /// Mean of utility minus reservation value.
    pub mean_advantage: f64,
    pub mean_dist_pareto: f64,
    /// Over negotiations whose problem has a Nash point.
    pub mean_dist_nash: Option<f64>,
}

/// Summaries sorted by decreasing mean utility (ties by name).
pub fn summarize(spec: &TournamentSpec, records: &[Record]) -> Vec<Summary> {
    let mut out = Vec::new();
    for s in &spec.strategies {
        let name = s.name();
        let (mut n, mut agree, mut su, mut sa, mut sp) = (0usize, 0usize, 0.0, 0.0, 0.0);
        let (mut nn, mut sn) = (0usize, 0.0);
        for r in records {
            for (p, st) in r.strategies.iter().enumerate() {
                if *st != name {
                    continue;
                }
                n += 1;
                agree += r.agreement as usize;
                su += r.utilities[p];
                sa += r.utilities[p] - r.reservation[p];
                sp += r.dist_pareto;
                if let Some(d) = r.dist_nash {
                    nn += 1;
                    sn += d;
                }
            }
        }
        if n == 0 {
            continue;
        }
        out.push(Summary {
            strategy: name,
            negotiations: n,
            agreement_rate: agree as f64 / n as f64,
            mean_utility: su / n as f64,
            mean_advantage: sa / n as f64,
            mean_dist_pareto: sp / n as f64,
            mean_dist_nash: (nn > 0).then(|| sn / nn as f64),
        });
    }
    out.sort_by(|a, b| {
        b.mean_utility
            .total_cmp(&a.mean_utility)
            .then(a.strategy.cmp(&b.strategy))
    });
    out
}
