//! The sweep lens: Monte Carlo over a scenario's declared uncertainty (or a
//! stated perturbation) through every lens it has — the distribution of
//! each spatial forecast (quantiles, mean, label probabilities), how often
//! each conflict state is an equilibrium, how often each proposal on
//! record passes and who vetoes it, how often a bargaining agreement is
//! possible — plus Sobol indices of the spatial forecasts (with a tornado
//! table) and of those conflict, vote and bargaining outcomes. Draw k depends only on (seed, k): results are identical for
//! any thread count, and any split of the draws into blocks merges
//! ([`merge`]) into exactly the single run. See docs/sweep.md.

mod outcomes;
mod plan;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use negotium_conflict::Concept;
use negotium_scenario::Loaded;
use negotium_sweep::summary::{
    mean_std, nearest_label, Quantiles, LABEL_RULE, QUANTILE_DEFINITION,
};
use negotium_sweep::{Perturb, SobolOptions};
use negotium_tabular::{Column, Table};
use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::cap;
use crate::forecast::{specs, ForecastParams, ALL_MODELS};
use crate::params::{comma_list, comma_list_schema, opt_int, opt_number, opt_text, LenientInt};
use crate::tournament::Progress;
use crate::AnalysisError;
use plan::{sweep_error, Plan};

pub use plan::{MAX_BARGAIN_WORK, MAX_CONFLICT_WORK};

/// Most draws of one sweep.
pub const MAX_DRAWS: u64 = 1_000_000;
/// Most base rows of a Sobol design.
pub const MAX_SOBOL_N: usize = 1 << 16;
/// Most bootstrap replicates.
pub const MAX_BOOTSTRAP: usize = 10_000;
/// Default base rows of the Sobol design: with the stated perturbation,
/// kosovo-status's 29 to 34 inputs per issue cost 32 × (d + 2) runs of
/// every model per issue, about 6,000 runs in all, a few seconds on two
/// cores. Intervals at this size are wide: use 256 or more for indices
/// worth reading.
pub const DEFAULT_SOBOL_N: usize = 32;

/// Default cap of a grown Sobol design (`sobol_width`): on kosovo-status
/// 4,096 rows cost about four times the 1,024-row design (6 s on two
/// cores), about 25 s.
pub const DEFAULT_SOBOL_MAX_N: usize = 4096;

/// Parameters of `negotium sweep`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SweepParams {
    /// Monte Carlo draws of the whole sweep (1 to 1,000,000).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(min = 1, max = 1_000_000))]
    pub draws: u64,
    /// Seed of every draw (draw k uses streams keyed by (seed, k)).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt")]
    pub seed: u64,
    /// Spatial models: median, compromise, nash, eum, smp (empty: all five).
    #[serde(alias = "models", deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub model: Vec<String>,
    /// Only these issues (ids; empty: every issue): the spatial forecasts,
    /// the proposals voted on and the bargaining issues reported.
    #[serde(alias = "issues", deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub issue: Vec<String>,
    /// A stated blanket perturbation replacing the declared spatial ranges,
    /// e.g. `position=10,salience=0.2,capability=0.2` (± 10 scale points,
    /// ± 20 %), optionally `,distribution=triangular`.
    #[serde(deserialize_with = "opt_text")]
    pub perturb: Option<String>,
    /// Sobol indices (with bootstrap intervals) and a tornado table of the
    /// spatial forecasts, and Sobol indices of the conflict equilibria (the
    /// 10 most variable), the proposals' passing and the bargaining
    /// agreement over their uncertain inputs.
    pub sensitivity: bool,
    /// Only the tornado table of the spatial forecasts (each uncertain
    /// input at its low and high end, the others at their point values: two
    /// runs per input), without the Sobol indices; `sensitivity` includes it.
    pub tornado: bool,
    /// Base rows of the Sobol design (2 to 65536; default 32).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(min = 2, max = 65_536))]
    pub sobol_n: usize,
    /// Grow the Sobol design until every total-index interval (every
    /// uncertain input, every spatial forecast and yes/no outcome) is at
    /// most this wide, 0 < w ≤ 1: `sobol_n` rows first, then doubled (each
    /// size a fresh design) until the widest interval is narrow enough or
    /// `sobol_max_n` rows are reached. Unset: one design of `sobol_n` rows.
    #[serde(deserialize_with = "opt_number")]
    pub sobol_width: Option<f64>,
    /// The most rows `sobol_width` may grow the design to (2 to 65536;
    /// default 4096).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(min = 2, max = 65_536))]
    pub sobol_max_n: usize,
    /// Bootstrap replicates of the Sobol intervals (0 to 10000).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(min = 0, max = 10_000))]
    pub bootstrap: usize,
    /// Sharding: the first draw of this call's block (default 0).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt")]
    pub first_draw: u64,
    /// Sharding: compute only draws [first_draw, first_draw + block_draws)
    /// of the seeded sequence; the result then carries the draws
    /// (`block`), to be merged with the other blocks ([`merge`]).
    #[serde(deserialize_with = "opt_int")]
    #[schemars(with = "Option<LenientInt>", range(min = 1, max = 1_000_000))]
    pub block_draws: Option<u64>,
    /// Read the stances and capabilities in force on this date
    /// (`YYYY-MM-DD`; default: the scenario's `as_of`).
    #[serde(deserialize_with = "opt_text")]
    pub as_of: Option<String>,
}

impl Default for SweepParams {
    fn default() -> Self {
        SweepParams {
            draws: 1000,
            seed: 0,
            model: ALL_MODELS.iter().map(|m| m.to_string()).collect(),
            issue: Vec::new(),
            perturb: None,
            sensitivity: false,
            tornado: false,
            sobol_n: DEFAULT_SOBOL_N,
            sobol_width: None,
            sobol_max_n: DEFAULT_SOBOL_MAX_N,
            bootstrap: 200,
            first_draw: 0,
            block_draws: None,
            as_of: None,
        }
    }
}

/// One draw: the sampled inputs and every lens's result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DrawRecord {
    /// The draw's index in the seeded sequence.
    pub draw: u64,
    /// Sampled values of the continuous `inputs`, in their order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<f64>,
    /// The discrete `choices`, in their order (0 = the stated value, k =
    /// alternative k).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<u32>,
    /// Spatial forecasts, issue-major: issue i, model m at i × models + m.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forecasts: Vec<f64>,
    /// Per proposal: does it pass?
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passes: Vec<bool>,
    /// Per proposal: the members (indices in its institution) vetoing it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vetoes: Vec<Vec<u32>>,
    /// Bargaining: agreement possible for the package, then per issue.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agreement: Vec<bool>,
}

/// A block of consecutive draws, as one sharded call computes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SweepBlock {
    /// What the draws depend on (scenario text, seed, models, issues,
    /// perturbation): blocks merge only under the same key.
    pub key: String,
    pub first_draw: u64,
    pub records: Vec<DrawRecord>,
}

/// A continuous uncertain input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InputOut {
    /// `actor.capability`, `actor.position.issue`, `actor.salience.issue`,
    /// `actor.weight.issue`, `actor.reservation[.issue]`.
    pub name: String,
    /// `spatial` or `bargaining`.
    pub lens: String,
    pub actor: String,
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    pub point: f64,
    pub lo: f64,
    pub hi: f64,
    /// `uniform` or `triangular`.
    pub distribution: String,
}

/// One alternative of a discrete input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AlternativeOut {
    pub label: String,
    pub weight: f64,
}

/// A discrete uncertain input (a member's ballot, a DM's preferences).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChoiceOut {
    /// `institution.member.ballot` or `dm.preferences`.
    pub name: String,
    /// `vote` or `conflict`.
    pub lens: String,
    /// Choice 0 (the stated value, with the weight left over), then each
    /// declared alternative.
    pub alternatives: Vec<AlternativeOut>,
}

/// The 5th, 25th, 50th, 75th and 95th percentiles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuantilesOut {
    pub p05: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// How often one labelled point is the forecast's nearest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LabelProbability {
    pub label: String,
    pub at: f64,
    pub probability: f64,
}

/// One model's forecast distribution on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ModelDistribution {
    pub model: String,
    /// The forecast with every input at its point value.
    pub point: f64,
    pub quantiles: QuantilesOut,
    pub mean: f64,
    /// Sample standard deviation (n − 1).
    pub std: f64,
    pub min: f64,
    pub max: f64,
    /// Per labelled point of the scale, in scale order: the share of draws
    /// whose forecast lies nearest to it (they sum to 1).
    pub label_probabilities: Vec<LabelProbability>,
}

/// One issue's forecast distributions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueDistribution {
    pub issue: String,
    pub name: String,
    pub min: f64,
    pub max: f64,
    pub models: Vec<ModelDistribution>,
}

/// The spatial forecasts' distributions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SpatialOut {
    pub quantile_definition: String,
    pub label_rule: String,
    pub issues: Vec<IssueDistribution>,
}

/// How often one state is an equilibrium.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StateFrequency {
    /// GMCR state number.
    pub number: usize,
    /// Y/N per option (option 1 first).
    pub pattern: String,
    /// The ids of the options taken (empty: none).
    pub options: Vec<String>,
    /// Concepts under which it is an equilibrium with the stated preferences.
    pub point: Vec<String>,
    /// Per concept key: the share of draws in which it is an equilibrium.
    pub frequency: BTreeMap<String, f64>,
}

/// The conflict lens over the draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConflictOut {
    /// Concept keys, in order.
    pub concepts: Vec<String>,
    /// Distinct preference profiles drawn (each analysed once).
    pub profiles: usize,
    /// Every state that is an equilibrium in some draw or at the point
    /// values, by number.
    pub states: Vec<StateFrequency>,
}

/// How often one member vetoes a proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VetoOut {
    pub member: String,
    /// Whether it vetoes with the stated ballots.
    pub point: bool,
    pub frequency: f64,
}

/// One proposal on record over the draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProposalOut {
    pub institution: String,
    pub name: String,
    pub issue: String,
    pub proposal: f64,
    pub proposal_label: Option<String>,
    pub status_quo: f64,
    /// When it was first proposed, and the event's title.
    pub date: String,
    pub title: String,
    /// Whether it passes with every input at its point value.
    pub point_passes: bool,
    /// The share of draws in which it passes.
    pub p_pass: f64,
    /// Every veto holder: how often its no blocks the proposal.
    pub vetoes: Vec<VetoOut>,
}

/// The vote lens over the draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VoteOut {
    pub proposals: Vec<ProposalOut>,
}

/// Agreement over the draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AgreementOut {
    /// `package` or the issue id.
    pub scope: String,
    /// Agreement possible at the point values.
    pub point: bool,
    /// The share of draws in which it is possible.
    pub probability: f64,
}

/// The bargaining lens over the draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BargainingOut {
    /// What "agreement possible" means.
    pub definition: String,
    /// The package first, then each issue (issues only when every party
    /// gives per-issue reservations).
    pub agreement: Vec<AgreementOut>,
}

/// First-order and total Sobol indices of one input, with intervals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IndexOut {
    pub input: String,
    pub first: f64,
    pub first_ci: [f64; 2],
    pub total: f64,
    pub total_ci: [f64; 2],
}

/// One model's indices on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SensitivityModelOut {
    pub model: String,
    pub variance: f64,
    /// The forecast never moved: every index 0.
    pub constant: bool,
    /// By decreasing total index.
    pub indices: Vec<IndexOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SensitivityIssueOut {
    pub issue: String,
    pub models: Vec<SensitivityModelOut>,
}

/// Sobol indices of the spatial forecasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SensitivityOut {
    pub method: String,
    pub n: usize,
    pub bootstrap: usize,
    pub level: f64,
    pub seed: u64,
    /// Single-issue model runs spent.
    pub evaluations: u64,
    pub issues: Vec<SensitivityIssueOut>,
}

/// Sobol indices of one yes/no outcome of a lens (1 when it holds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IndicatorSobolOut {
    /// The share of the design's f_A ∪ f_B evaluations in which it holds.
    pub mean: f64,
    /// V = mean × (1 − mean), the variance the indices apportion.
    pub variance: f64,
    /// The outcome never changed in the design: every index 0.
    pub constant: bool,
    /// Every uncertain input the outcome can depend on, by decreasing
    /// total index.
    pub indices: Vec<IndexOut>,
}

/// "State `number` is an equilibrium under `concept`".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConflictSobolOut {
    /// Concept key (`nash`, `gmr`, …).
    pub concept: String,
    /// GMCR state number.
    pub number: usize,
    /// Y/N per option (option 1 first).
    pub pattern: String,
    /// The share of the Monte Carlo draws in which it is an equilibrium.
    pub frequency: f64,
    #[serde(flatten)]
    pub sobol: IndicatorSobolOut,
}

/// "The proposal passes".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VoteSobolOut {
    pub institution: String,
    pub issue: String,
    pub proposal: f64,
    pub proposal_label: Option<String>,
    pub status_quo: f64,
    pub date: String,
    /// The share of the Monte Carlo draws in which it passes.
    pub p_pass: f64,
    #[serde(flatten)]
    pub sobol: IndicatorSobolOut,
}

/// "Agreement is possible" (package or one issue).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AgreementSobolOut {
    /// `package` or the issue id.
    pub scope: String,
    /// The share of the Monte Carlo draws in which it is possible.
    pub probability: f64,
    #[serde(flatten)]
    pub sobol: IndicatorSobolOut,
}

/// Sobol indices of the conflict, vote and bargaining outcomes (each a 0/1
/// indicator) over every uncertain input it can depend on: discrete choices
/// (a DM's alternative preferences, a member's ballot) drawn from one
/// uniform each (the alternative whose cumulative weight covers it) and
/// continuous ranges (members' drawn positions, bargaining weights and
/// reservations).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutcomeSensitivityOut {
    pub method: String,
    pub n: usize,
    pub bootstrap: usize,
    pub level: f64,
    pub seed: u64,
    /// Outcome evaluations spent (n(d + 2) per design: one design for the
    /// conflict, one per proposal, one for the bargaining).
    pub evaluations: u64,
    /// At most this many conflict outcomes are analysed.
    pub conflict_cap: usize,
    /// Per concept and state that is an equilibrium in some but not all
    /// Monte Carlo draws, the most variable first (largest p(1 − p); ties
    /// by state number, then concept order), at most `conflict_cap`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflict: Vec<ConflictSobolOut>,
    /// Such (concept, state) outcomes left out by the cap.
    #[serde(default)]
    pub conflict_omitted: usize,
    /// Per proposal reached by some uncertain input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vote: Vec<VoteSobolOut>,
    /// The package, then each issue (as in `bargaining`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bargaining: Vec<AgreementSobolOut>,
}

/// One yes/no outcome of [`OutcomeSensitivityOut`]: its lens
/// (`conflict`, `vote` or `bargaining`), its label (`nash: state 3 NY`,
/// `council x 30 → 70 (2020-03-01)`, `agreement: package`), its share of
/// the Monte Carlo draws and its indices.
pub type OutcomeRow<'a> = (&'static str, String, f64, &'a IndicatorSobolOut);

impl OutcomeSensitivityOut {
    /// Every outcome with its label, share and indices, in report order
    /// (conflict, vote, bargaining): the one naming of outcomes that the
    /// reports and [`widest_interval`] share.
    pub fn rows(&self) -> Vec<OutcomeRow<'_>> {
        use crate::verdict::num;
        let mut rows = Vec::new();
        for c in &self.conflict {
            let label = format!("{}: state {} {}", c.concept, c.number, c.pattern);
            rows.push(("conflict", label, c.frequency, &c.sobol));
        }
        for v in &self.vote {
            let proposal = v
                .proposal_label
                .clone()
                .unwrap_or_else(|| num(v.proposal, 2));
            let label = format!(
                "{} {} {} → {proposal} ({})",
                v.institution,
                v.issue,
                num(v.status_quo, 2),
                v.date
            );
            rows.push(("vote", label, v.p_pass, &v.sobol));
        }
        for a in &self.bargaining {
            let label = format!("agreement: {}", a.scope);
            rows.push(("bargaining", label, a.probability, &a.sobol));
        }
        rows
    }
}

/// One input's one-at-a-time swing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TornadoRowOut {
    pub input: String,
    pub lo: f64,
    pub hi: f64,
    /// The forecast with this input at `lo` (others at their point values).
    pub forecast_lo: f64,
    pub forecast_hi: f64,
    /// |forecast_hi − forecast_lo|.
    pub swing: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TornadoModelOut {
    pub model: String,
    /// The forecast at the point values.
    pub base: f64,
    /// By decreasing swing.
    pub rows: Vec<TornadoRowOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TornadoIssueOut {
    pub issue: String,
    pub models: Vec<TornadoModelOut>,
}

/// One size of a grown Sobol design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SobolStepOut {
    /// Base rows.
    pub n: usize,
    /// Model and outcome evaluations this design spent.
    pub evaluations: u64,
    /// The widest total-index interval of any input on any output.
    pub widest: f64,
    /// The output it belongs to (`issue / model`, or an outcome's label).
    pub widest_output: String,
}

/// How `sobol_width` grew the Sobol design: every size run, in order (the
/// reported indices are the last one's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SobolGrowthOut {
    /// The width asked for.
    pub target: f64,
    /// The cap on rows.
    pub max_n: usize,
    /// True when the last design's widest interval is at most `target`;
    /// false when the cap stopped the growth.
    pub reached: bool,
    pub steps: Vec<SobolStepOut>,
}

/// The sweep lens's result (the `sweep --json` contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SweepResult {
    /// The scenario id and where it was read from.
    pub scenario: String,
    pub source: String,
    pub seed: u64,
    /// Draws summarised here (the block's size for a sharded call).
    pub draws: u64,
    /// The first of them (0 unless a sharded call).
    pub first_draw: u64,
    /// The stated perturbation, when one replaced the declared ranges.
    pub perturb: Option<String>,
    /// How draws are made, in words.
    pub sampling: String,
    /// What was swept and what was not, in words.
    pub notes: Vec<String>,
    pub inputs: Vec<InputOut>,
    pub choices: Vec<ChoiceOut>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spatial: Option<SpatialOut>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<ConflictOut>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote: Option<VoteOut>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bargaining: Option<BargainingOut>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<SensitivityOut>,
    /// Sobol indices of the conflict, vote and bargaining outcomes (with
    /// `sensitivity`, when those lenses have uncertain inputs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_sensitivity: Option<OutcomeSensitivityOut>,
    /// How the Sobol design grew (with `sobol_width`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sobol_growth: Option<SobolGrowthOut>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tornado: Option<Vec<TornadoIssueOut>>,
    /// Sharded calls only: the block's draws, for [`merge`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<SweepBlock>,
}

/// A checked plan with what the parameters ask.
struct Prepared {
    plan: Plan,
    source: String,
    scenario: String,
}

fn prepare(scenario: &Loaded, p: &SweepParams) -> Result<Prepared, AnalysisError> {
    let scenario = &*crate::dated::at(scenario, p.as_of.as_deref())?;
    if p.draws == 0 {
        return Err(AnalysisError::param("draws", "expected at least 1 draw"));
    }
    cap("draws", p.draws, MAX_DRAWS)?;
    cap("sobol_n", p.sobol_n as u64, MAX_SOBOL_N as u64)?;
    cap("bootstrap", p.bootstrap as u64, MAX_BOOTSTRAP as u64)?;
    if p.sobol_n < 2 {
        return Err(AnalysisError::param("sobol_n", "expected at least 2 rows"));
    }
    if let Some(w) = p.sobol_width {
        if !p.sensitivity {
            return Err(AnalysisError::param(
                "sobol_width",
                "a width only applies with sensitivity (--sensitivity): it grows the Sobol design",
            ));
        }
        if !(w > 0.0 && w <= 1.0) {
            return Err(AnalysisError::param(
                "sobol_width",
                format!("expected a width in (0, 1], got {w}"),
            ));
        }
        cap("sobol_max_n", p.sobol_max_n as u64, MAX_SOBOL_N as u64)?;
        if p.sobol_max_n < p.sobol_n {
            return Err(AnalysisError::param(
                "sobol_max_n",
                format!(
                    "expected at least sobol_n = {} rows, got {}",
                    p.sobol_n, p.sobol_max_n
                ),
            ));
        }
    }
    let s = &scenario.scenario;
    for id in &p.issue {
        if s.issue(id).is_none() {
            return Err(AnalysisError::param(
                "issue",
                format!(
                    "unknown issue `{id}` in {}; expected one of {}",
                    scenario.source_name,
                    s.inputs
                        .issues
                        .iter()
                        .map(|i| i.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    let issues: Vec<String> = if p.issue.is_empty() {
        s.inputs.issues.iter().map(|i| i.id.clone()).collect()
    } else {
        p.issue.clone()
    };
    let models = specs(&ForecastParams {
        model: p.model.clone(),
        seed: p.seed,
        ..ForecastParams::default()
    })?;
    let perturb = match &p.perturb {
        Some(t) => Some(
            t.parse::<Perturb>()
                .map_err(|e| AnalysisError::param("perturb", e.to_string()))?,
        ),
        None => None,
    };
    let key = format!(
        "scenario={};seed={};model={};issue={};perturb={}",
        s.scenario.id,
        p.seed,
        models
            .iter()
            .map(|m| m.name())
            .collect::<Vec<_>>()
            .join(","),
        issues.join(","),
        perturb.map(|x| x.to_string()).unwrap_or_default()
    );
    let plan = Plan::new(scenario, &issues, models, perturb, key)?;
    // Sizes, before any draw.
    let per_draw = plan
        .spatial
        .as_ref()
        .map_or(0, |sp| sp.sweep.issues().len() * sp.sweep.models().len())
        + plan.n_values()
        + plan.n_choices()
        + plan.vote.as_ref().map_or(0, |v| v.proposals.len() * 2);
    let cells = p.draws.saturating_mul(per_draw as u64);
    if cells > negotium_sweep::spatial::MAX_CELLS {
        return Err(AnalysisError::param_limit(
            "draws",
            format!(
                "{} draws × {per_draw} numbers per draw = {cells} retained numbers is above the limit of {}",
                p.draws,
                negotium_sweep::spatial::MAX_CELLS
            ),
        ));
    }
    if let Some(b) = plan.bargain.as_ref().filter(|b| !b.inputs.is_empty()) {
        let work = p.draws.saturating_mul(b.size());
        if work > MAX_BARGAIN_WORK {
            return Err(AnalysisError::param_limit(
                "draws",
                format!(
                    "bargaining: {} draws × {} outcomes × parties = {work} is above the limit of {MAX_BARGAIN_WORK}",
                    p.draws,
                    b.size()
                ),
            ));
        }
    }
    Ok(Prepared {
        plan,
        source: scenario.source_name.clone(),
        scenario: s.scenario.id.clone(),
    })
}

fn block_range(p: &SweepParams) -> Result<Range<u64>, AnalysisError> {
    let n = p
        .block_draws
        .unwrap_or(p.draws.saturating_sub(p.first_draw));
    let end = p.first_draw.saturating_add(n);
    if n == 0 || end > p.draws {
        return Err(AnalysisError::param(
            "block_draws",
            format!(
                "the block [{}, {end}) must hold at least one draw and lie within the sweep's {} draws",
                p.first_draw, p.draws
            ),
        ));
    }
    Ok(p.first_draw..end)
}

fn compute_block(
    prep: &Prepared,
    seed: u64,
    range: Range<u64>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SweepBlock, AnalysisError> {
    let total = range.end - range.start;
    progress(Progress { done: 0, total });
    let done = AtomicU64::new(0);
    // Collected in full, then the first failing draw in index order is
    // reported: the same error whatever the thread count.
    let all: Vec<Result<DrawRecord, AnalysisError>> = range
        .clone()
        .into_par_iter()
        .map(|k| {
            let r = prep.plan.draw(seed, k);
            progress(Progress {
                done: done.fetch_add(1, Ordering::Relaxed) + 1,
                total,
            });
            r
        })
        .collect();
    Ok(SweepBlock {
        key: prep.plan.key.clone(),
        first_draw: range.start,
        records: all.into_iter().collect::<Result<_, _>>()?,
    })
}

/// Runs the sweep (or, with `block_draws`, one block of it).
pub fn run(scenario: &Loaded, params: &SweepParams) -> Result<SweepResult, AnalysisError> {
    run_with_progress(scenario, params, &|_| {})
}

/// [`run`], calling `progress` (from worker threads) after each draw, and
/// once with `done = 0` first.
pub fn run_with_progress(
    scenario: &Loaded,
    params: &SweepParams,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SweepResult, AnalysisError> {
    let prep = prepare(scenario, params)?;
    let range = block_range(params)?;
    if params.block_draws.is_some() {
        if params.sensitivity {
            return Err(AnalysisError::param(
                "sensitivity",
                "is computed once for the whole sweep, not per block: ask for it when merging",
            ));
        }
        let block = compute_block(&prep, params.seed, range, progress)?;
        let refs: Vec<&DrawRecord> = block.records.iter().collect();
        let mut r = summarise(&prep, params, &refs, block.first_draw)?;
        r.block = Some(block);
        return Ok(r);
    }
    if params.first_draw != 0 {
        return Err(AnalysisError::param(
            "first_draw",
            "needs `block_draws` (a sharded call); a whole sweep starts at draw 0",
        ));
    }
    let block = compute_block(&prep, params.seed, range, progress)?;
    merge_prepared(&prep, params, &[block])
}

/// Computes one block of draws (`first_draw`, `block_draws`; the rest of
/// the sweep when `block_draws` is not given) without summarising it.
pub fn run_block(
    scenario: &Loaded,
    params: &SweepParams,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SweepBlock, AnalysisError> {
    let prep = prepare(scenario, params)?;
    let range = block_range(params)?;
    compute_block(&prep, params.seed, range, progress)
}

/// Merges blocks computed by sharded calls (in any order) into the result
/// of the whole sweep — bit for bit the result of one call without
/// `block_draws`. `params` are the whole sweep's (`first_draw` 0, no
/// `block_draws`; `sensitivity` is computed here). The blocks must carry
/// the same key (scenario text, seed, models, issues, perturbation) and
/// cover draws 0..draws exactly once.
pub fn merge(
    scenario: &Loaded,
    params: &SweepParams,
    blocks: &[SweepBlock],
) -> Result<SweepResult, AnalysisError> {
    if params.block_draws.is_some() || params.first_draw != 0 {
        return Err(AnalysisError::param(
            "block_draws",
            "merge takes the whole sweep's parameters: leave first_draw and block_draws unset",
        ));
    }
    let prep = prepare(scenario, params)?;
    merge_prepared(&prep, params, blocks)
}

/// [`merge`] over the results of sharded calls (each with its `block`).
pub fn merge_results(
    scenario: &Loaded,
    params: &SweepParams,
    results: &[SweepResult],
) -> Result<SweepResult, AnalysisError> {
    let blocks = results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            r.block.clone().ok_or_else(|| {
                AnalysisError::input(format!(
                    "result {} carries no block: run each shard with block_draws",
                    i + 1
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    merge(scenario, params, &blocks)
}

fn merge_prepared(
    prep: &Prepared,
    params: &SweepParams,
    blocks: &[SweepBlock],
) -> Result<SweepResult, AnalysisError> {
    if let Some(b) = blocks.iter().find(|b| b.key != prep.plan.key) {
        return Err(AnalysisError::input(format!(
            "a block was computed under `{}`, not `{}`: merge only blocks of the same scenario, seed, models, issues and perturbation",
            b.key, prep.plan.key
        )));
    }
    let mut recs: Vec<&DrawRecord> = blocks.iter().flat_map(|b| &b.records).collect();
    recs.sort_by_key(|r| r.draw);
    if recs.len() as u64 != params.draws {
        return Err(AnalysisError::input(format!(
            "the blocks hold {} draws; the sweep has {}",
            recs.len(),
            params.draws
        )));
    }
    let shape = (prep.plan.n_values(), prep.plan.n_choices());
    for (i, r) in recs.iter().enumerate() {
        if r.draw != i as u64 {
            return Err(AnalysisError::input(format!(
                "the blocks do not cover draws 0..{} exactly once: draw {} where {i} was expected",
                params.draws, r.draw
            )));
        }
        if (r.values.len(), r.choices.len()) != shape {
            return Err(AnalysisError::input(format!(
                "draw {i} does not belong to this sweep (wrong shape)"
            )));
        }
    }
    let mut r = summarise(prep, params, &recs, 0)?;
    if params.tornado || params.sensitivity {
        if let Some(sp) = &prep.plan.spatial {
            r.tornado = Some(tornado(&sp.sweep)?);
        }
    }
    if !params.sensitivity {
        return Ok(r);
    }
    if params.sobol_width.is_some() {
        // The largest design growth may reach must be within the limits
        // before any of it runs.
        outcomes::check_work(&prep.plan, params.sobol_max_n, "sobol_max_n")?;
    }
    let mut n = params.sobol_n;
    let mut steps = Vec::new();
    loop {
        let opts = SobolOptions {
            n,
            bootstrap: params.bootstrap,
            level: 0.95,
            seed: params.seed,
        };
        r.outcome_sensitivity = outcomes::sensitivity(&prep.plan, params, &r, &opts)?;
        if let Some(sp) = &prep.plan.spatial {
            r.sensitivity = Some(spatial_sensitivity(&sp.sweep, &opts)?);
        }
        let (widest, widest_output) = widest_interval(&r);
        steps.push(SobolStepOut {
            n,
            evaluations: r.sensitivity.as_ref().map_or(0, |s| s.evaluations)
                + r.outcome_sensitivity.as_ref().map_or(0, |o| o.evaluations),
            widest,
            widest_output,
        });
        match params.sobol_width {
            Some(w) if widest > w && 2 * n <= params.sobol_max_n => n *= 2,
            _ => break,
        }
    }
    if let Some(target) = params.sobol_width {
        let reached = steps.last().is_some_and(|s| s.widest <= target);
        r.sobol_growth = Some(SobolGrowthOut {
            target,
            max_n: params.sobol_max_n,
            reached,
            steps,
        });
    }
    Ok(r)
}

/// The widest total-index interval of any input on any output of `r`'s
/// Sobol analyses (spatial forecasts and yes/no outcomes; outputs that
/// never moved have none), and the output's name.
pub fn widest_interval(r: &SweepResult) -> (f64, String) {
    let mut best = (0.0, String::new());
    let mut consider = |ci: [f64; 2], name: &dyn Fn() -> String| {
        let w = ci[1] - ci[0];
        if w > best.0 {
            best = (w, name());
        }
    };
    if let Some(s) = &r.sensitivity {
        for is in &s.issues {
            for m in is.models.iter().filter(|m| !m.constant) {
                for x in &m.indices {
                    consider(x.total_ci, &|| format!("{} / {}", is.issue, m.model));
                }
            }
        }
    }
    if let Some(o) = &r.outcome_sensitivity {
        for (_, name, _, sobol) in o.rows().into_iter().filter(|row| !row.3.constant) {
            for x in &sobol.indices {
                consider(x.total_ci, &|| name.clone());
            }
        }
    }
    best
}

/// The Sobol indices of the spatial forecasts, as the result carries them.
fn spatial_sensitivity(
    sweep: &negotium_sweep::SpatialSweep,
    opts: &SobolOptions,
) -> Result<SensitivityOut, AnalysisError> {
    let s = sweep.sensitivity(opts).map_err(sweep_error)?;
    Ok(SensitivityOut {
        method: s.method,
        n: s.n,
        bootstrap: s.bootstrap,
        level: s.level,
        seed: s.seed,
        evaluations: s.evaluations,
        issues: s
            .issues
            .into_iter()
            .map(|is| SensitivityIssueOut {
                issue: is.issue,
                models: is
                    .models
                    .into_iter()
                    .map(|m| {
                        let mut indices: Vec<IndexOut> = m
                            .indices
                            .into_iter()
                            .map(|x| IndexOut {
                                input: x.input,
                                first: x.index.first,
                                first_ci: x.index.first_ci,
                                total: x.index.total,
                                total_ci: x.index.total_ci,
                            })
                            .collect();
                        indices.sort_by(|a, b| b.total.total_cmp(&a.total));
                        SensitivityModelOut {
                            model: m.model,
                            variance: m.variance,
                            constant: m.constant,
                            indices,
                        }
                    })
                    .collect(),
            })
            .collect(),
    })
}

/// The tornado table of the spatial forecasts.
fn tornado(sweep: &negotium_sweep::SpatialSweep) -> Result<Vec<TornadoIssueOut>, AnalysisError> {
    let t = sweep.tornado().map_err(sweep_error)?;
    Ok(t.into_iter()
        .map(|is| TornadoIssueOut {
            issue: is.issue,
            models: is
                .models
                .into_iter()
                .map(|m| TornadoModelOut {
                    model: m.model,
                    base: m.base,
                    rows: m
                        .rows
                        .into_iter()
                        .map(|x| TornadoRowOut {
                            input: x.input,
                            lo: x.lo,
                            hi: x.hi,
                            forecast_lo: x.forecast_lo,
                            forecast_hi: x.forecast_hi,
                            swing: x.swing,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect())
}

fn share(count: usize, n: usize) -> f64 {
    count as f64 / n as f64
}

/// Summaries of the records `recs` (in draw order), which start at `first`.
fn summarise(
    prep: &Prepared,
    params: &SweepParams,
    recs: &[&DrawRecord],
    first: u64,
) -> Result<SweepResult, AnalysisError> {
    let plan = &prep.plan;
    let n = recs.len();
    let mut inputs = Vec::new();
    if let Some(sp) = &plan.spatial {
        for i in sp.sweep.input_info() {
            inputs.push(InputOut {
                name: i.name,
                lens: "spatial".into(),
                actor: i.actor,
                field: i.field,
                issue: i.issue,
                point: i.point,
                lo: i.lo,
                hi: i.hi,
                distribution: dist_name(i.distribution).into(),
            });
        }
    }
    if let Some(b) = &plan.bargain {
        for i in &b.inputs {
            inputs.push(InputOut {
                name: i.name.clone(),
                lens: "bargaining".into(),
                actor: i.actor.clone(),
                field: i.field.into(),
                issue: i.issue.clone(),
                point: i.input.point,
                lo: i.input.lo,
                hi: i.input.hi,
                distribution: dist_name(i.input.distribution).into(),
            });
        }
    }
    let mut choices = Vec::new();
    let rest = |ws: &mut dyn Iterator<Item = f64>| 1.0 - ws.sum::<f64>();
    if let Some(v) = &plan.vote {
        for r in &v.random {
            let mut alternatives = vec![AlternativeOut {
                label: "the ballot its stance gives".into(),
                weight: rest(&mut r.alternatives.iter().map(|a| a.0)),
            }];
            alternatives.extend(r.alternatives.iter().map(|(w, b)| AlternativeOut {
                label: b.as_str().into(),
                weight: *w,
            }));
            choices.push(ChoiceOut {
                name: r.name.clone(),
                lens: "vote".into(),
                alternatives,
            });
        }
    }
    if let Some(c) = &plan.conflict {
        for &i in &c.random {
            let alts = &c.input.alternatives[i];
            let mut alternatives = vec![AlternativeOut {
                label: "stated".into(),
                weight: rest(&mut alts.iter().map(|a| a.0)),
            }];
            alternatives.extend(alts.iter().enumerate().map(|(k, (w, _))| AlternativeOut {
                label: format!("alternative {}", k + 1),
                weight: *w,
            }));
            choices.push(ChoiceOut {
                name: format!("{}.preferences", c.input.spec.dms[i].id),
                lens: "conflict".into(),
                alternatives,
            });
        }
    }
    let spatial = match &plan.spatial {
        Some(sp) => Some(spatial_summary(sp, recs)?),
        None => None,
    };
    let vote = match &plan.vote {
        Some(v) => {
            let mut proposals = Vec::new();
            for (k, p) in v.proposals.iter().enumerate() {
                let (point_passes, point_vetoes) =
                    p.decide(None, &vec![0; v.random.len()], &v.random)?;
                let vetoes = p
                    .game
                    .vetoes()
                    .iter()
                    .enumerate()
                    .filter(|(_, &holds)| holds)
                    .map(|(i, _)| VetoOut {
                        member: p.members[i].label.clone(),
                        point: point_vetoes.contains(&(i as u32)),
                        frequency: share(
                            recs.iter()
                                .filter(|r| r.vetoes[k].contains(&(i as u32)))
                                .count(),
                            n,
                        ),
                    })
                    .collect();
                proposals.push(ProposalOut {
                    institution: p.institution.clone(),
                    name: p.name.clone(),
                    issue: p.issue.clone(),
                    proposal: p.proposal,
                    proposal_label: p.proposal_label.clone(),
                    status_quo: p.status_quo,
                    date: p.date.clone(),
                    title: p.title.clone(),
                    point_passes,
                    p_pass: share(recs.iter().filter(|r| r.passes[k]).count(), n),
                    vetoes,
                });
            }
            Some(VoteOut { proposals })
        }
        None => None,
    };
    let conflict = match &plan.conflict {
        Some(c) => Some(conflict_summary(plan, c, recs)?),
        None => None,
    };
    let bargaining = plan.bargain.as_ref().map(|b| {
        let scopes = std::iter::once("package".to_string()).chain(
            if b.per_issue { b.issues.clone() } else { Vec::new() },
        );
        BargainingOut {
            definition: "agreement possible: some outcome gives every party strictly more than its reservation value (for an issue: some value scores strictly above every party's reservation score on that issue), with the weights and reservations drawn".into(),
            agreement: scopes
                .enumerate()
                .filter(|(k, scope)| {
                    *k == 0 || params.issue.is_empty() || params.issue.contains(scope)
                })
                .map(|(k, scope)| AgreementOut {
                    scope,
                    point: b.point[k],
                    probability: share(recs.iter().filter(|r| r.agreement[k]).count(), n),
                })
                .collect(),
        }
    });
    Ok(SweepResult {
        scenario: prep.scenario.clone(),
        source: prep.source.clone(),
        seed: params.seed,
        draws: n as u64,
        first_draw: first,
        perturb: plan.perturb.map(|p| p.to_string()),
        sampling: format!(
            "Monte Carlo: draw k takes its numbers from ChaCha8 streams keyed by (seed {}, k): one uniform per continuous input in input order, mapped through its inverse CDF, then one per discrete choice (ballots, then preferences; the stated value takes the weight left over); inputs are independent. Results are identical for any thread count or split of the draws into blocks.",
            params.seed
        ),
        notes: plan.notes.clone(),
        inputs,
        choices,
        spatial,
        conflict,
        vote,
        bargaining,
        sensitivity: None,
        outcome_sensitivity: None,
        sobol_growth: None,
        tornado: None,
        block: None,
    })
}

fn dist_name(d: negotium_sweep::Distribution) -> &'static str {
    match d {
        negotium_sweep::Distribution::Uniform => "uniform",
        negotium_sweep::Distribution::Triangular => "triangular",
    }
}

fn spatial_summary(
    sp: &plan::SpatialPlan,
    recs: &[&DrawRecord],
) -> Result<SpatialOut, AnalysisError> {
    let point = sp.sweep.point_forecasts().map_err(sweep_error)?;
    let nm = sp.sweep.models().len();
    let n = recs.len();
    let issues = sp
        .issues
        .iter()
        .enumerate()
        .map(|(j, is)| IssueDistribution {
            issue: is.id.clone(),
            name: is.name.clone(),
            min: is.min,
            max: is.max,
            models: sp
                .sweep
                .models()
                .iter()
                .enumerate()
                .map(|(m, spec)| {
                    let sample: Vec<f64> = recs.iter().map(|r| r.forecasts[j * nm + m]).collect();
                    let (mean, std) = mean_std(&sample);
                    let q = Quantiles::of(&sample);
                    let mut counts = vec![0usize; is.labels.len()];
                    for &x in &sample {
                        if let Some(i) = nearest_label(&is.labels, x) {
                            counts[i] += 1;
                        }
                    }
                    ModelDistribution {
                        model: spec.name().into(),
                        point: point[j * nm + m],
                        quantiles: QuantilesOut {
                            p05: q.p05,
                            p25: q.p25,
                            p50: q.p50,
                            p75: q.p75,
                            p95: q.p95,
                        },
                        mean,
                        std,
                        min: sample.iter().copied().fold(f64::INFINITY, f64::min),
                        max: sample.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                        label_probabilities: is
                            .labels
                            .iter()
                            .zip(counts)
                            .map(|(l, c)| LabelProbability {
                                label: l.label.clone(),
                                at: l.at,
                                probability: share(c, n),
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    Ok(SpatialOut {
        quantile_definition: QUANTILE_DEFINITION.into(),
        label_rule: LABEL_RULE.into(),
        issues,
    })
}

fn conflict_summary(
    plan: &Plan,
    c: &plan::ConflictPlan,
    recs: &[&DrawRecord],
) -> Result<ConflictOut, AnalysisError> {
    let off = plan.vote.as_ref().map_or(0, |v| v.random.len());
    let mut counts: BTreeMap<Vec<u32>, usize> = BTreeMap::new();
    for r in recs {
        *counts
            .entry(r.choices[off..off + c.random.len()].to_vec())
            .or_default() += 1;
    }
    let profiles: Vec<(&Vec<u32>, &usize)> = counts.iter().collect();
    let eqs: Vec<Vec<negotium_conflict::BitSet>> = profiles
        .par_iter()
        .map(|(choice, _)| c.equilibria(&c.profile(choice)))
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<Result<_, _>>()?;
    let point = c.equilibria(&vec![0; c.input.alternatives.len()])?;
    let n = recs.len();
    let base = &c.base;
    let states = (0..base.len())
        .filter(|&s| {
            point.iter().any(|b| b.contains(s)) || eqs.iter().flatten().any(|b| b.contains(s))
        })
        .map(|s| {
            let code = base.code(s);
            StateFrequency {
                number: s + 1,
                pattern: base.pattern(s),
                options: base
                    .options()
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| code >> k & 1 == 1)
                    .map(|(_, o)| o.id.clone())
                    .collect(),
                point: Concept::ALL
                    .iter()
                    .zip(&point)
                    .filter(|(_, b)| b.contains(s))
                    .map(|(k, _)| k.key().to_string())
                    .collect(),
                frequency: Concept::ALL
                    .iter()
                    .enumerate()
                    .map(|(ci, k)| {
                        let hits: usize = profiles
                            .iter()
                            .zip(&eqs)
                            .filter(|(_, e)| e[ci].contains(s))
                            .map(|((_, &cnt), _)| cnt)
                            .sum();
                        (k.key().to_string(), share(hits, n))
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(ConflictOut {
        concepts: Concept::ALL.iter().map(|k| k.key().to_string()).collect(),
        profiles: counts.len(),
        states,
    })
}

/// Every draw of a block as tidy tables, by file stem: `forecasts`
/// (draw, issue, model, forecast, nearest_label), `inputs` (draw, input,
/// lens, actor, field, issue, value), `choices` (draw, choice, lens,
/// alternative, label), `votes` (draw, institution, issue, proposal,
/// passes, vetoed_by), `equilibria` (draw, concept, state, options),
/// `agreement` (draw, scope, possible) — each only when the lens was swept.
pub fn tables(
    scenario: &Loaded,
    params: &SweepParams,
    block: &SweepBlock,
) -> Result<Vec<(String, Table)>, AnalysisError> {
    let prep = prepare(scenario, params)?;
    let plan = &prep.plan;
    if block.key != plan.key {
        return Err(AnalysisError::input(format!(
            "the block was computed under `{}`, not `{}`",
            block.key, plan.key
        )));
    }
    let recs = &block.records;
    let bad = |e: negotium_tabular::TableError| AnalysisError::failed(e.to_string());
    let mut out = Vec::new();
    if let Some(sp) = &plan.spatial {
        let nm = sp.sweep.models().len();
        let (mut d, mut is, mut mo, mut f, mut l) = (vec![], vec![], vec![], vec![], vec![]);
        for r in recs {
            for (j, meta) in sp.issues.iter().enumerate() {
                for (m, spec) in sp.sweep.models().iter().enumerate() {
                    let x = r.forecasts[j * nm + m];
                    d.push(r.draw);
                    is.push(meta.id.clone());
                    mo.push(spec.name().to_string());
                    f.push(x);
                    l.push(
                        nearest_label(&meta.labels, x)
                            .map(|i| meta.labels[i].label.clone())
                            .unwrap_or_default(),
                    );
                }
            }
        }
        out.push((
            "forecasts".to_string(),
            Table::new(vec![
                ("draw".into(), Column::U64(d)),
                ("issue".into(), Column::Str(is)),
                ("model".into(), Column::Str(mo)),
                ("forecast".into(), Column::F64(f)),
                ("nearest_label".into(), Column::Str(l)),
            ])
            .map_err(bad)?,
        ));
    }
    let info = input_names(plan);
    if !info.is_empty() {
        let cols = 5;
        let mut c: Vec<Vec<String>> = vec![Vec::new(); cols];
        let (mut d, mut v) = (Vec::new(), Vec::new());
        for r in recs {
            for (i, x) in r.values.iter().enumerate() {
                d.push(r.draw);
                for (k, s) in info[i].iter().enumerate() {
                    c[k].push(s.clone());
                }
                v.push(*x);
            }
        }
        let mut it = c.into_iter();
        let mut next = || Column::Str(it.next().unwrap_or_default());
        out.push((
            "inputs".to_string(),
            Table::new(vec![
                ("draw".into(), Column::U64(d)),
                ("input".into(), next()),
                ("lens".into(), next()),
                ("actor".into(), next()),
                ("field".into(), next()),
                ("issue".into(), next()),
                ("value".into(), Column::F64(v)),
            ])
            .map_err(bad)?,
        ));
    }
    let labels = choice_labels(plan);
    if !labels.is_empty() {
        let (mut d, mut name, mut lens, mut alt, mut label) =
            (vec![], vec![], vec![], vec![], vec![]);
        for r in recs {
            for (i, &k) in r.choices.iter().enumerate() {
                d.push(r.draw);
                name.push(labels[i].0.clone());
                lens.push(labels[i].1.to_string());
                alt.push(k as u64);
                label.push(labels[i].2.get(k as usize).cloned().unwrap_or_default());
            }
        }
        out.push((
            "choices".to_string(),
            Table::new(vec![
                ("draw".into(), Column::U64(d)),
                ("choice".into(), Column::Str(name)),
                ("lens".into(), Column::Str(lens)),
                ("alternative".into(), Column::U64(alt)),
                ("label".into(), Column::Str(label)),
            ])
            .map_err(bad)?,
        ));
    }
    if let Some(v) = &plan.vote {
        let (mut d, mut inst, mut is, mut prop, mut pass, mut veto) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        for r in recs {
            for (k, p) in v.proposals.iter().enumerate() {
                d.push(r.draw);
                inst.push(p.institution.clone());
                is.push(p.issue.clone());
                prop.push(p.proposal);
                pass.push(r.passes[k] as u64);
                veto.push(
                    r.vetoes[k]
                        .iter()
                        .map(|&i| p.members[i as usize].label.clone())
                        .collect::<Vec<_>>()
                        .join(";"),
                );
            }
        }
        out.push((
            "votes".to_string(),
            Table::new(vec![
                ("draw".into(), Column::U64(d)),
                ("institution".into(), Column::Str(inst)),
                ("issue".into(), Column::Str(is)),
                ("proposal".into(), Column::F64(prop)),
                ("passes".into(), Column::U64(pass)),
                ("vetoed_by".into(), Column::Str(veto)),
            ])
            .map_err(bad)?,
        ));
    }
    if let Some(c) = &plan.conflict {
        let off = plan.vote.as_ref().map_or(0, |v| v.random.len());
        let mut cache: BTreeMap<Vec<u32>, Vec<negotium_conflict::BitSet>> = BTreeMap::new();
        let (mut d, mut con, mut st, mut opts) = (vec![], vec![], vec![], vec![]);
        for r in recs {
            let key = r.choices[off..off + c.random.len()].to_vec();
            if !cache.contains_key(&key) {
                let e = c.equilibria(&c.profile(&key))?;
                cache.insert(key.clone(), e);
            }
            for (ci, k) in Concept::ALL.iter().enumerate() {
                for s in cache[&key][ci].iter() {
                    let code = c.base.code(s);
                    d.push(r.draw);
                    con.push(k.key().to_string());
                    st.push(s as u64 + 1);
                    opts.push(
                        c.base
                            .options()
                            .iter()
                            .enumerate()
                            .filter(|(b, _)| code >> b & 1 == 1)
                            .map(|(_, o)| o.id.clone())
                            .collect::<Vec<_>>()
                            .join("+"),
                    );
                }
            }
        }
        out.push((
            "equilibria".to_string(),
            Table::new(vec![
                ("draw".into(), Column::U64(d)),
                ("concept".into(), Column::Str(con)),
                ("state".into(), Column::U64(st)),
                ("options".into(), Column::Str(opts)),
            ])
            .map_err(bad)?,
        ));
    }
    if let Some(b) = &plan.bargain {
        let scopes: Vec<String> = std::iter::once("package".to_string())
            .chain(if b.per_issue {
                b.issues.clone()
            } else {
                Vec::new()
            })
            .collect();
        let (mut d, mut sc, mut ok) = (vec![], vec![], vec![]);
        for r in recs {
            for (k, a) in r.agreement.iter().enumerate() {
                d.push(r.draw);
                sc.push(scopes[k].clone());
                ok.push(*a as u64);
            }
        }
        out.push((
            "agreement".to_string(),
            Table::new(vec![
                ("draw".into(), Column::U64(d)),
                ("scope".into(), Column::Str(sc)),
                ("possible".into(), Column::U64(ok)),
            ])
            .map_err(bad)?,
        ));
    }
    Ok(out)
}

/// Per continuous input: name, lens, actor, field, issue.
fn input_names(plan: &Plan) -> Vec<[String; 5]> {
    let mut out = Vec::new();
    if let Some(sp) = &plan.spatial {
        for i in sp.sweep.input_info() {
            out.push([
                i.name,
                "spatial".into(),
                i.actor,
                i.field,
                i.issue.unwrap_or_default(),
            ]);
        }
    }
    if let Some(b) = &plan.bargain {
        for i in &b.inputs {
            out.push([
                i.name.clone(),
                "bargaining".into(),
                i.actor.clone(),
                i.field.into(),
                i.issue.clone().unwrap_or_default(),
            ]);
        }
    }
    out
}

/// Per discrete choice: name, lens and the label of each alternative.
fn choice_labels(plan: &Plan) -> Vec<(String, &'static str, Vec<String>)> {
    let mut out = Vec::new();
    if let Some(v) = &plan.vote {
        for r in &v.random {
            let mut l = vec!["stance".to_string()];
            l.extend(r.alternatives.iter().map(|a| a.1.as_str().to_string()));
            out.push((r.name.clone(), "vote", l));
        }
    }
    if let Some(c) = &plan.conflict {
        for &i in &c.random {
            let mut l = vec!["stated".to_string()];
            l.extend((1..=c.input.alternatives[i].len()).map(|k| format!("alternative {k}")));
            out.push((
                format!("{}.preferences", c.input.spec.dms[i].id),
                "conflict",
                l,
            ));
        }
    }
    out
}
