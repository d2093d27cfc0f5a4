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
    /// An input that must be a finite number is NaN or infinite.
    #[error("{field} must be a finite number, got {value}")]
    NotFinite { field: String, value: f64 },
    /// A model produced a NaN or infinite number (a bug or an input the
    /// model cannot handle); the result is withheld rather than emitted.
    #[error("model {model} produced a non-finite {what} ({value}); no result is reported")]
    NonFiniteOutput {
        model: String,
        what: String,
        value: f64,
    },
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
            for (end, v) in [("min", d.min), ("max", d.max)] {
                if !v.is_finite() {
                    return Err(SpatialError::NotFinite {
                        field: format!("dimension `{}` {end}", d.name),
                        value: v,
                    });
                }
            }
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
            if !capability[i].is_finite() {
                return Err(SpatialError::NotFinite {
                    field: format!("capability of `{a}`"),
                    value: capability[i],
                });
            }
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
                for (what, v) in [("position", x), ("salience", s)] {
                    if !v.is_finite() {
                        return Err(SpatialError::NotFinite {
                            field: format!("{what} of `{a}` on `{}`", d.name),
                            value: v,
                        });
                    }
                }
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
    /// Stokman & van Oosten's exchange model of voting positions (equal
    /// gain, or with a random exchange rate). Couples dimensions: exchanges
    /// pair two issues.
    Exchange(ExchangeOptions),
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
            ModelSpec::Exchange(_) => "exchange",
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
    /// Use capabilities exactly as given, so that KTAB's guards (1e−8 added
    /// to every coalition, 1e−10 to challenge coalitions) are absolute as in
    /// KTAB, whatever the unit of capability. By default capabilities are
    /// first multiplied by the power of two that brings the largest into
    /// [64, 128) (see [`crate::stats::unit_capabilities`], exact) and the
    /// guards by the largest of those / 100: the guards are then relative to
    /// the largest capability and the forecast does not depend on the unit.
    /// The two readings coincide when the largest capability is 100 (KTAB's
    /// 0–100 indices) and differ by guard-sized amounts otherwise.
    pub absolute_guards: bool,
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
            absolute_guards: false,
        }
    }
}

/// Options of the exchange model. Defaults are those of the reference
/// implementation `decide-exchange-model` (10 rounds, equal gain, salience
/// weight 0.4, fixed weight 0.1); the model is documented in
/// [`crate::exchange`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExchangeOptions {
    /// Number of rounds (decide's `--iterations`, default 10). The run stops
    /// earlier, converged, after a round in which no exchange was possible.
    pub rounds: usize,
    /// How the exchange rate of each exchange is set.
    pub rate: crate::exchange::ExchangeRate,
    /// Seed of the random-rate variant (reported; unused by equal gain).
    pub seed: u64,
    /// Weight of (1 − salience) in the step from a preference position
    /// towards the voting position between rounds (decide: 0.4).
    pub salience_weight: f64,
    /// Fixed part of that step (decide: 0.1).
    pub fixed_weight: f64,
}

impl Default for ExchangeOptions {
    fn default() -> Self {
        ExchangeOptions {
            rounds: 10,
            rate: Default::default(),
            seed: 0,
            salience_weight: 0.4,
            fixed_weight: 0.1,
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

impl Forecast {
    /// Checks that every number of the result (forecast, initial
    /// statistics, every round) is finite; [`crate::run`] refuses to return
    /// a forecast that is not.
    pub fn check_finite(&self) -> Result<(), SpatialError> {
        let bad = |what: String, value: f64| SpatialError::NonFiniteOutput {
            model: self.model.clone(),
            what,
            value,
        };
        let stats_ok = |st: &Stats, at: &str| -> Result<(), SpatialError> {
            for (k, v) in st.median.iter().enumerate() {
                if !v.is_finite() {
                    return Err(bad(format!("median on dimension {k} ({at})"), *v));
                }
            }
            for (k, v) in st.mean.iter().enumerate() {
                if !v.is_finite() {
                    return Err(bad(format!("mean on dimension {k} ({at})"), *v));
                }
            }
            Ok(())
        };
        for (k, v) in self.forecast.iter().enumerate() {
            if !v.is_finite() {
                return Err(bad(format!("forecast on dimension {k}"), *v));
            }
        }
        stats_ok(&self.initial, "initial positions")?;
        for r in &self.rounds {
            stats_ok(&r.stats, &format!("round {}", r.round))?;
            for (i, p) in r.positions.iter().enumerate() {
                if let Some(v) = p.iter().find(|v| !v.is_finite()) {
                    return Err(bad(
                        format!("position of actor {i} in round {}", r.round),
                        *v,
                    ));
                }
            }
        }
        Ok(())
    }
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
