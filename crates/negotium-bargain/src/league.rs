//! ANAC-style tournaments over prepared general problems (any size): the
//! schedule (bilateral domains: every ordered pair of strategies, so both
//! role orders; multilateral domains: every cyclic rotation of the
//! strategies over the parties), one negotiation per job with a seed derived
//! from the job's key (so results do not depend on order or thread count),
//! per-party rows with the usual scores, and a ranking. Files and resuming
//! live in `negotium-tournament`.

use serde::{Deserialize, Serialize};

use crate::engine::{negotiate_general, GeneralPrepared};
use crate::error::BargainError;
use crate::session::{Protocol, Settings};
use crate::strategy::{derive_seed, StrategySpec};

/// What to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeagueSpec {
    pub strategies: Vec<StrategySpec>,
    pub repetitions: u32,
    pub n_steps: u32,
    pub seed: u64,
    /// Whether a strategy may meet itself (bilateral domains).
    pub self_play: bool,
}

/// One scheduled negotiation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeagueJob {
    /// Position in the schedule (domain, assignment, repetition order).
    pub index: usize,
    /// Stable key: `domain|strategy,strategy,…|repetition`.
    pub key: String,
    pub domain: usize,
    /// Strategy index (into the spec) of each party, in party order.
    pub roles: Vec<usize>,
    pub repetition: u32,
    pub seed: u64,
}

/// FNV-1a, for seeds that depend only on a job's key.
fn fnv1a(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The schedule over `domains` (in order).
pub fn schedule(
    domains: &[&GeneralPrepared],
    spec: &LeagueSpec,
) -> Result<Vec<LeagueJob>, BargainError> {
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
    let names: Vec<String> = spec.strategies.iter().map(|s| s.name()).collect();
    {
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        if sorted.len() != names.len() {
            return Err(BargainError::Setting(
                "a strategy is listed twice; expected distinct strategies".into(),
            ));
        }
    }
    let mut jobs = Vec::new();
    for (di, d) in domains.iter().enumerate() {
        let n = d.problem.parties.len();
        let mut assignments: Vec<Vec<usize>> = Vec::new();
        if n == 2 {
            for a in 0..k {
                for b in 0..k {
                    if a != b || spec.self_play {
                        assignments.push(vec![a, b]);
                    }
                }
            }
        } else {
            for r in 0..k {
                assignments.push((0..n).map(|i| (i + r) % k).collect());
            }
        }
        for roles in assignments {
            for rep in 0..spec.repetitions {
                let key = format!(
                    "{}|{}|{rep}",
                    d.problem.name,
                    roles
                        .iter()
                        .map(|&r| names[r].as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                );
                jobs.push(LeagueJob {
                    index: jobs.len(),
                    seed: derive_seed(spec.seed, fnv1a(&key)),
                    key,
                    domain: di,
                    roles: roles.clone(),
                    repetition: rep,
                });
            }
        }
    }
    Ok(jobs)
}

/// One party's row of one negotiation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeagueRow {
    pub job: String,
    pub index: usize,
    pub domain: String,
    pub repetition: u32,
    pub seed: u64,
    pub party: usize,
    /// The party's profile name.
    pub profile: String,
    pub strategy: String,
    /// The other parties' strategies, in party order, comma-separated.
    pub opponents: String,
    pub agreement: bool,
    /// `agreement`, `timeout` or `broken`.
    pub end: String,
    pub step: u32,
    pub time: f64,
    /// Utility of the agreement (the reservation value without one).
    pub utility: f64,
    /// The same discounted by δ^t (ANAC's score).
    pub discounted: f64,
    pub reservation: f64,
    /// utility − reservation.
    pub advantage: f64,
    /// Sum of all parties' utilities.
    pub welfare: f64,
    /// Distance of the outcome (agreement, or the reservation point) to the
    /// nearest frontier point.
    pub dist_pareto: f64,
    pub dist_nash: Option<f64>,
    /// `enumerated` or `implicit`.
    pub method: String,
    /// The frontier's quality label.
    pub frontier: String,
}

/// Runs one job: one row per party.
pub fn run_job(
    domains: &[&GeneralPrepared],
    spec: &LeagueSpec,
    job: &LeagueJob,
) -> Result<Vec<LeagueRow>, BargainError> {
    let d = domains[job.domain];
    let settings = Settings {
        protocol: Protocol::Sao,
        strategies: job
            .roles
            .iter()
            .map(|&r| spec.strategies[r].clone())
            .collect(),
        n_steps: spec.n_steps,
        seed: job.seed,
        trace: false,
    };
    let r = negotiate_general(d, &settings)?;
    let dist = d.distances(&r.utilities);
    let welfare: f64 = r.utilities.iter().sum();
    let names: Vec<String> = settings.strategies.iter().map(|s| s.name()).collect();
    Ok((0..r.utilities.len())
        .map(|p| LeagueRow {
            job: job.key.clone(),
            index: job.index,
            domain: d.problem.name.clone(),
            repetition: job.repetition,
            seed: job.seed,
            party: p,
            profile: d.problem.parties[p].name.clone(),
            strategy: names[p].clone(),
            opponents: names
                .iter()
                .enumerate()
                .filter(|(q, _)| *q != p)
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join(","),
            agreement: r.agreement.is_some(),
            end: r.end.clone(),
            step: r.step,
            time: r.time,
            utility: r.utilities[p],
            discounted: r.discounted[p],
            reservation: d.problem.parties[p].reservation,
            advantage: r.utilities[p] - d.problem.parties[p].reservation,
            welfare,
            dist_pareto: dist.pareto,
            dist_nash: dist.nash,
            method: format!("{:?}", d.analysis.method).to_lowercase(),
            frontier: d.analysis.quality.label(),
        })
        .collect())
}

/// One strategy's scores over all the rows it played.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standing {
    pub rank: usize,
    pub strategy: String,
    /// Rows (negotiations × roles) played.
    pub negotiations: usize,
    pub agreement_rate: f64,
    pub mean_utility: f64,
    /// Mean discounted utility: the ranking key (ANAC's score).
    pub mean_discounted: f64,
    pub mean_advantage: f64,
    pub mean_welfare: f64,
    pub mean_dist_pareto: f64,
    /// Over rows whose domain has a Nash point.
    pub mean_dist_nash: Option<f64>,
}

/// Standings ranked by mean discounted utility (ties: mean advantage, then name).
pub fn standings(rows: &[LeagueRow]) -> Vec<Standing> {
    let mut names: Vec<&str> = rows.iter().map(|r| r.strategy.as_str()).collect();
    names.sort();
    names.dedup();
    let mut out: Vec<Standing> = names
        .into_iter()
        .map(|s| {
            let mine: Vec<&LeagueRow> = rows.iter().filter(|r| r.strategy == s).collect();
            let n = mine.len() as f64;
            let mean = |f: &dyn Fn(&LeagueRow) -> f64| mine.iter().map(|r| f(r)).sum::<f64>() / n;
            let nash: Vec<f64> = mine.iter().filter_map(|r| r.dist_nash).collect();
            Standing {
                rank: 0,
                strategy: s.to_string(),
                negotiations: mine.len(),
                agreement_rate: mean(&|r| r.agreement as u8 as f64),
                mean_utility: mean(&|r| r.utility),
                mean_discounted: mean(&|r| r.discounted),
                mean_advantage: mean(&|r| r.advantage),
                mean_welfare: mean(&|r| r.welfare),
                mean_dist_pareto: mean(&|r| r.dist_pareto),
                mean_dist_nash: (!nash.is_empty())
                    .then(|| nash.iter().sum::<f64>() / nash.len() as f64),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.mean_discounted
            .total_cmp(&a.mean_discounted)
            .then(b.mean_advantage.total_cmp(&a.mean_advantage))
            .then(a.strategy.cmp(&b.strategy))
    });
    for (i, s) in out.iter_mut().enumerate() {
        s.rank = i + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_depend_only_on_the_key() {
        assert_eq!(fnv1a("a|b,c|0"), fnv1a("a|b,c|0"));
        assert_ne!(fnv1a("a|b,c|0"), fnv1a("a|c,b|0"));
        // FNV-1a of "a" (reference value of the published algorithm).
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
