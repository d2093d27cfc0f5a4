//! The Pareto lens: the outcome space of a negotiation domain analysed — the
//! Pareto frontier (every point), Nash, Kalai–Smorodinsky, egalitarian and
//! max-welfare solutions, and the zones of agreement. Exact where the space
//! is enumerated or the utilities are linear additive (the frontier merged
//! issue by issue), labelled approximate (with ε) or heuristic (with its
//! seed) where not.

use std::collections::BTreeMap;

use negotium_bargain::engine::Held;
use negotium_scenario::Loaded;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::bargaining::{
    by_name, check_real_points, values, AnalysisOut, BargainingProblem, Values,
};
use crate::params::LenientInt;
use crate::AnalysisError;

/// Parameters of `negotium pareto`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ParetoParams {
    /// Show at most this many frontier points (text output only; the JSON has them all).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt")]
    pub limit: usize,
    /// Points into which GENIUS `real` issues are discretised.
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(min = 2, max = 100_000))]
    pub real_points: usize,
    /// Seed of the search of non-linear utilities on spaces too large to
    /// enumerate (reported in the frontier's quality label).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt")]
    pub seed: u64,
}

impl Default for ParetoParams {
    fn default() -> Self {
        ParetoParams {
            limit: 40,
            real_points: 11,
            seed: 0,
        }
    }
}

/// One point of the frontier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FrontierPoint {
    pub values: Values,
    /// Per party: its utility.
    pub utilities: BTreeMap<String, f64>,
}

/// The Pareto lens's result (the `pareto --json` contract): the analysis
/// plus every frontier point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ParetoResult {
    /// The problem's name.
    pub problem: String,
    /// The domain's issues, in order.
    pub issue_names: Vec<String>,
    /// Party names, in party order.
    pub parties: Vec<String>,
    /// Per party: its reservation value.
    pub reservation: BTreeMap<String, f64>,
    #[serde(flatten)]
    pub analysis: AnalysisOut,
    /// The frontier's outcomes, by decreasing welfare (enumerated linear
    /// additive spaces: every outcome on it; otherwise one outcome per
    /// distinct utility vector, as exact as `frontier_quality` says).
    pub frontier: Vec<FrontierPoint>,
}

/// Analyses a scenario's `[bargaining]` domain.
pub fn run(scenario: &Loaded, params: &ParetoParams) -> Result<ParetoResult, AnalysisError> {
    run_problem(&BargainingProblem::from_scenario(scenario)?, params)
}

/// Analyses any bargaining problem (a GENIUS or GeniusWeb domain's, of any size).
pub fn run_problem(
    problem: &BargainingProblem,
    params: &ParetoParams,
) -> Result<ParetoResult, AnalysisError> {
    check_real_points(params.real_points)?;
    let prep = problem.prepare(params.seed)?;
    let parties: Vec<String> = prep
        .problem
        .parties
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let frontier = match &prep.held {
        Held::Exact(p) => p
            .analysis
            .pareto
            .iter()
            .map(|&o| FrontierPoint {
                values: values(&p.problem.domain.labels(o)),
                utilities: by_name(&parties, &p.space.point(o)),
            })
            .collect(),
        _ => prep
            .analysis
            .pareto
            .iter()
            .map(|x| FrontierPoint {
                values: values(&x.values),
                utilities: by_name(&parties, &x.utilities),
            })
            .collect(),
    };
    Ok(ParetoResult {
        problem: prep.problem.name.clone(),
        issue_names: prep.problem.issues.iter().map(|i| i.name.clone()).collect(),
        reservation: by_name(&parties, &prep.analysis.reservation),
        analysis: AnalysisOut::of_prepared(&prep),
        frontier,
        parties,
    })
}
