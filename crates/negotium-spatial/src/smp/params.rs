//! The nine KTAB model parameters and the forecast rule, as enums whose
//! `Default` is KTAB's default choice.

use serde::{Deserialize, Serialize};

/// How coalition strengths turn into a probability of victory
/// (`VictoryProbModel`). With strengths `a` (for) and `b` (against):
/// `g(a) / (g(a) + g(b))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VictoryProbModel {
    /// `g(x) = x`: a 2:1 advantage wins with probability 2/3.
    #[default]
    Linear,
    /// `g(x) = x²`.
    Square,
    /// `g(x) = x⁴`.
    Quartic,
    /// `g(x) = x⁸`.
    Octic,
    /// A 10 % advantage wins outright; linear in between.
    Binary,
}

/// How pairwise victory probabilities become a distribution over options
/// (Probabilistic Condorcet Election).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PceModel {
    /// `P_i ∝ Π_j V(i,j)`: the option beats every other one, conditional on
    /// some option doing so.
    #[default]
    Conditional,
    /// Markov chain where challenges come in proportion to the incentive
    /// (coalition strength × victory probability).
    MarkovIncentive,
    /// Markov chain with uniformly random challengers.
    MarkovUniform,
}

/// How each actor picks a bargain from its queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateTransitions {
    /// The bargain with the highest PCE probability (first on ties).
    #[default]
    Deterministic,
    /// A bargain drawn with its PCE probability (uses `SmpOptions::seed`).
    Stochastic,
}

/// An actor's vote between two options with utilities `u1`, `u2` and weight
/// `w`, as a function of `Δ = u1 − u2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VotingRule {
    /// `w · clip(Δ / 1e−8, −1, 1)`.
    Binary,
    /// `w · (0.8 Δ + 0.2 binary)`.
    PropBin,
    /// `w · Δ`.
    #[default]
    Proportional,
    /// `w · (0.5 Δ + 0.5 Δ³)`.
    PropCubic,
    /// `w · Δ³`.
    Cubic,
    /// `w · Δ` for losses, `(2/3) w · Δ` for gains.
    AsymProspect,
}

/// How actor `h` estimates actor `i`'s risk attitude from `r_h` and `r_i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BigRAdjust {
    /// `r_h` (projects its own attitude).
    None,
    /// `(2 r_h + r_i) / 3`.
    #[default]
    OneThird,
    /// `(r_h + r_i) / 2`.
    Half,
    /// `(r_h + 2 r_i) / 3`.
    TwoThirds,
    /// `r_i` (knows it exactly).
    Full,
}

/// The range onto which position probabilities are mapped as risk attitudes
/// (most probable position → most risk averse, `R = 1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BigRRange {
    /// `R ∈ [0, 1]`.
    Min,
    /// `R ∈ [−1/2, 1]`.
    #[default]
    Mid,
    /// `R ∈ [−1, 1]`.
    Max,
}

/// Whether a third party that joins a side in a challenge expects to move
/// to the winner's position too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThirdPartyCommit {
    /// The third party never moves.
    NoCommit,
    /// It moves only when its side loses.
    #[default]
    SemiCommit,
    /// It always ends at the winner's position.
    FullCommit,
}

/// How a bargain between initiator `i` and receiver `j` is interpolated on
/// each dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterVecBargain {
    /// Weights `s·p`.
    S1P1,
    /// Weights `s²·p²`.
    #[default]
    S2P2,
    /// Only the likely loser moves, by its probability disadvantage.
    S2PMax,
}

/// Whose probability estimate the bargain is built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BargainModel {
    /// The initiator's estimate only.
    #[default]
    InitOnly,
    /// Two bargains: from the initiator's and from the receiver's estimate.
    InitRcvr,
    /// The average of both, weighted by capability × total salience.
    PowerWeighted,
}

/// Which summary of the final state is reported as the forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmpOutcome {
    /// The expected position under KTAB's final-state distribution of
    /// "winning probabilities" over the distinct final positions.
    #[default]
    Expected,
    /// The single most probable distinct final position.
    MostProbable,
    /// The capability×salience-weighted median of the final positions.
    FinalMedian,
    /// The capability×salience-weighted mean of the final positions.
    FinalMean,
}
