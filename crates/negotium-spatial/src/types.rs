//! Input and output types shared by every spatial model.

use serde::{Deserialize, Serialize};

/// An issue scale (one dimension of the space).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dimension {
    pub name: String,
    pub min: f64,
    pub max: f64,
}

/// Actors on one or more dimensions. Indexing is `[actor][dimension]`.
///
/// Invariants (checked by [`Problem::new`]): at least 2 actors and 1
/// dimension; all vectors of matching length; capabilities ≥ 0 and not all
/// zero; saliences in [0, 1]; positions finite and within [min, max].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    actors: Vec<String>,
    capability: Vec<f64>,
    dims: Vec<Dimension>,
    position: Vec<Vec<f64>>,
    salience: Vec<Vec<f64>>,
}

/// Why a problem or a model run was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpatialError {
    #[error("a spatial problem needs at least 2 actors, got {0}")]
    TooFewActors(usize),
    #[error("a spatial problem needs at least 1 dimension")]
    NoDimension,
    #[error("{what} has {got} entries, expected {expected}")]
    Shape {
        what: String,
        got: usize,
        expected: usize,
    },
    #[error("actor `{actor}`: {message}")]
    Actor { actor: String, message: String },
    #[error("dimension `{dim}`: {message}")]
    Dimension { dim: String, message: String },
    #[error("model option {option}: {message}")]
    Option { option: String, message: String },
}

impl Problem {
    /// Builds a problem, checking every invariant listed on the type.
    pub fn new(
        actors: Vec<String>,
        capability: Vec<f64>,
        dims: Vec<Dimension>,
        position: Vec<Vec<f64>>,
        salience: Vec<Vec<f64>>,
    ) -> Result<Self, SpatialError> {
        let n = actors.len();
        if n < 2 {
            return Err(SpatialError::TooFewActors(n));
        }
        if dims.is_empty() {
            return Err(SpatialError::NoDimension);
        }
        for (what, got) in [
            ("capability", capability.len()),
            ("position", position.len()),
            ("salience", salience.len()),
        ] {
            if got != n {
                return Err(SpatialError::Shape {
                    what: what.into(),
                    got,
                    expected: n,
                });
            }
        }
        for d in &dims {
            if !(d.min.is_finite() && d.max.is_finite() && d.min < d.max) {
                return Err(SpatialError::Dimension {
                    dim: d.name.clone(),
                    message: format!("expected finite min < max, got [{}, {}]", d.min, d.max),
                });
            }
        }
        let mut total = 0.0;
        for i in 0..n {
            let a = &actors[i];
            let err = |m: String| SpatialError::Actor {
                actor: a.clone(),
                message: m,
            };
            if !(capability[i].is_finite() && capability[i] >= 0.0) {
                return Err(err(format!(
                    "capability must be finite and ≥ 0, got {}",
                    capability[i]
                )));
            }
            total += capability[i];
            if position[i].len() != dims.len() || salience[i].len() != dims.len() {
                return Err(err(format!(
                    "expected {} position and salience values, got {} and {}",
                    dims.len(),
                    position[i].len(),
                    salience[i].len()
                )));
            }
            for (k, d) in dims.iter().enumerate() {
                let (x, s) = (position[i][k], salience[i][k]);
                if !(x.is_finite() && x >= d.min && x <= d.max) {
                    return Err(err(format!(
                        "position {x} on `{}` is outside [{}, {}]",
                        d.name, d.min, d.max
                    )));
                }
                if !(s.is_finite() && (0.0..=1.0).contains(&s)) {
                    return Err(err(format!(
                        "salience {s} on `{}` is outside [0, 1]",
                        d.name
                    )));
                }
            }
        }
        if total <= 0.0 {
            return Err(SpatialError::Option {
                option: "capability".into(),
                message: "all capabilities are zero".into(),
            });
        }
        Ok(Problem {
            actors,
            capability,
            dims,
            position,
            salience,
        })
    }

    pub fn actors(&self) -> &[String] {
        &self.actors
    }
    pub fn capability(&self) -> &[f64] {
        &self.capability
    }
    pub fn dims(&self) -> &[Dimension] {
        &self.dims
    }
    /// `[actor][dimension]`.
    pub fn position(&self) -> &[Vec<f64>] {
        &self.position
    }
    /// `[actor][dimension]`, in [0, 1].
    pub fn salience(&self) -> &[Vec<f64>] {
        &self.salience
    }
    pub fn n_actors(&self) -> usize {
        self.actors.len()
    }
    pub fn n_dims(&self) -> usize {
        self.dims.len()
    }
}

/// Which model to run, with its options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum ModelSpec {
    /// Capability×salience-weighted median (the Condorcet winner in one dimension).
    Median,
    /// Capability×salience-weighted mean.
    Compromise,
    /// Multi-actor Nash bargaining solution.
    Nash(NashOptions),
    /// Bueno de Mesquita's expected-utility model (Scholz, Calbert & Smith 2011).
    Eum(EumOptions),
    /// KTAB-style Spatial Model of Politics.
    Smp(SmpOptions),
}

impl ModelSpec {
    /// The short name used on the command line and in JSON (`median`, `eum`, …).
    pub fn name(&self) -> &'static str {
        match self {
            ModelSpec::Median => "median",
            ModelSpec::Compromise => "compromise",
            ModelSpec::Nash(_) => "nash",
            ModelSpec::Eum(_) => "eum",
            ModelSpec::Smp(_) => "smp",
        }
    }
}

/// Options of the Nash bargaining model. The enums and their meaning are
/// documented in [`crate::nash`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NashOptions {
    /// Each actor's utility over a dimension (default linear).
    pub utility: crate::nash::NashUtility,
    /// The disagreement point (default: each actor's worst actor position).
    pub disagreement: crate::nash::Disagreement,
    /// Bargaining weights (default: capabilities — asymmetric Nash).
    pub weights: crate::nash::NashWeights,
}

/// Options of the expected-utility model. Defaults reproduce Scholz,
/// Calbert & Smith (2011) Table 2; the enums and their meaning are
/// documented in [`crate::eum`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EumOptions {
    /// Number of rounds to run.
    pub rounds: usize,
    /// Status-quo probability Q in [0, 1] (Scholz: 1.0 for BDM 1994).
    pub q: f64,
    /// How T (things get better/worse without a challenge) is set.
    pub t_rule: crate::eum::TRule,
    /// Denominator of the probability of success P.
    pub probability: crate::eum::ProbDenominator,
    /// Risk exponent of the voters inside P.
    pub voter_risk: crate::eum::VoterRisk,
    /// Whose risk exponent prices the utilities an actor weighs.
    pub perspective: crate::eum::Perspective,
    /// How the security (danger) level behind the risk exponent is computed.
    pub security: crate::eum::Security,
    /// The range R that normalises distances.
    pub range: crate::eum::RangeRule,
    /// When an outweighed actor capitulates fully.
    pub capitulation: crate::eum::Capitulation,
    /// Which of several offers an actor accepts.
    pub offer_choice: crate::eum::OfferChoice,
    /// Stop early once no dimension's median moves by more than this
    /// (in scale units) from one round to the next; `None` = run all rounds.
    pub stop_shift: Option<f64>,
    /// The statistic of the final round reported as the forecast.
    pub outcome: crate::eum::EumOutcome,
}

impl Default for EumOptions {
    fn default() -> Self {
        EumOptions {
            rounds: 10,
            q: 1.0,
            t_rule: Default::default(),
            probability: Default::default(),
            voter_risk: Default::default(),
            perspective: Default::default(),
            security: Default::default(),
            range: Default::default(),
            capitulation: Default::default(),
            offer_choice: Default::default(),
            stop_shift: None,
            outcome: Default::default(),
        }
    }
}

/// Options of the Spatial Model of Politics. Defaults are KTAB's; the
/// enums and their meaning are documented in [`crate::smp`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SmpOptions {
    /// Upper bound on rounds (KTAB: 100).
    pub max_rounds: usize,
    /// Seed for any random choice (reported in the output).
    pub seed: u64,
    /// Fewest rounds before the stopping rule may fire (KTAB: 2).
    pub min_rounds: usize,
    /// Stop when a round moves less than this fraction of the first round's
    /// movement (KTAB: 0.02).
    pub stop_ratio: f64,
    pub victory_prob: crate::smp::VictoryProbModel,
    pub pce: crate::smp::PceModel,
    pub transitions: crate::smp::StateTransitions,
    pub voting_rule: crate::smp::VotingRule,
    pub big_r_adjust: crate::smp::BigRAdjust,
    pub big_r_range: crate::smp::BigRRange,
    pub third_party_commit: crate::smp::ThirdPartyCommit,
    pub interpolation: crate::smp::InterVecBargain,
    pub bargain_model: crate::smp::BargainModel,
    /// Which summary of the final state is reported as the forecast.
    pub outcome: crate::smp::SmpOutcome,
    /// Scale down an actor's saliences when they sum to more than 1 (KTAB
    /// requires Σ ≤ 1); when false such input is refused.
    pub normalise_salience: bool,
    /// Group positions within 1e−3 of each other (for the reported winning
    /// probabilities and the forecast) scanning actors in input order, as
    /// KTAB does; by default they are scanned in order of position, so that
    /// relabelling actors cannot change the result.
    pub group_in_input_order: bool,
}

impl Default for SmpOptions {
    fn default() -> Self {
        SmpOptions {
            max_rounds: 100,
            seed: 0,
            min_rounds: 2,
            stop_ratio: 0.02,
            victory_prob: Default::default(),
            pce: Default::default(),
            transitions: Default::default(),
            voting_rule: Default::default(),
            big_r_adjust: Default::default(),
            big_r_range: Default::default(),
            third_party_commit: Default::default(),
            interpolation: Default::default(),
            bargain_model: Default::default(),
            outcome: Default::default(),
            normalise_salience: true,
            group_in_input_order: false,
        }
    }
}

/// Per-dimension summary statistics of a set of positions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Capability×salience-weighted median, per dimension.
    pub median: Vec<f64>,
    /// Capability×salience-weighted mean, per dimension.
    pub mean: Vec<f64>,
}

/// The state after one round of a dynamic model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Round {
    /// 1-based: round 1 is the state after the first round of moves.
    pub round: usize,
    /// `[actor][dimension]`.
    pub positions: Vec<Vec<f64>>,
    pub stats: Stats,
}

/// A model's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// Short model name (`median`, `compromise`, `nash`, `eum`, `smp`).
    pub model: String,
    /// Predicted outcome per dimension.
    pub forecast: Vec<f64>,
    /// Statistics of the initial positions.
    pub initial: Stats,
    /// Every round of a dynamic model; empty for static models.
    pub rounds: Vec<Round>,
    /// Whether a dynamic model met its stopping rule (static models: true).
    pub converged: bool,
    /// The assumptions behind the numbers (utility, disagreement point,
    /// options chosen for documented ambiguities, seed, …), in words.
    pub assumptions: Vec<String>,
}
