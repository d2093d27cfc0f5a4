//! Bueno de Mesquita's expected-utility ("challenge") model as specified by
//! Scholz, Calbert & Smith (2011), each dimension run separately, with every
//! ambiguity of the specification exposed as an option.
//!
//! One round on one dimension (Scholz, appendix steps 3–12):
//! 1. μ = the c·s-weighted median (Condorcet winner) of the current positions.
//! 2. Security: every actor's risk exponent rᵢ is derived from
//!    `Secᵢ = Σ_{j≠i} E(U_ji)` (the expected utility others get from
//!    challenging i) via `Rᵢ = (2Secᵢ − max Sec − min Sec)/(max Sec − min Sec)`
//!    and `rᵢ = (1 − Rᵢ/3)/(1 + Rᵢ/3)`.
//! 3. With the new exponents, each actor i weighs, for every j at another
//!    position, `a = E(U_ij)` (i challenging j) against `b = E(U_ji)`:
//!    * confrontation it loses (b > a > 0): i moves to xⱼ;
//!    * compromise (b > 0 > a, b > |a|): i moves to `xᵢ + (xⱼ − xᵢ)·|a/b|`;
//!    * capitulation (b > 0 > a, b ≤ |a|; off by default, as in Scholz's
//!      code): i moves to xⱼ;
//!    * otherwise nothing,
//!
//!    and accepts one offer (see [`OfferChoice`]). All moves are applied
//!    together at the end of the round.
//!
//! with `E(U_ij) = sⱼ[P·Us + (1−P)·Uf] + (1−sⱼ)·Us − Q·Usq − (1−Q)[T·Ub + (1−T)·Uw]`,
//! `Us = 2 − 4(0.5 − 0.5dᵢⱼ)^r`, `Uf = 2 − 4(0.5 + 0.5dᵢⱼ)^r`,
//! `Ub = 2 − 4(0.5 − 0.25(dᵢμ + dᵢⱼ))^r`, `Uw = 2 − 4(0.5 + 0.25(dᵢμ + dᵢⱼ))^r`,
//! `Usq = 2 − 4·0.5^r`, `d = |·|/R`, and
//! `P(i,j) = Σₖ max(0, cₖsₖ(dₖⱼ^{rₖ} − dₖᵢ^{rₖ})) / denominator`.

use serde::{Deserialize, Serialize};

use crate::pow::{self, half_pow, powr};
use crate::simd::{multiversion, LANE_PAD as LANES};
use crate::stats::{cs_weights, stats, weighted_median};
use crate::{EumOptions, Forecast, Problem, Round, SpatialError, Stats};

/// How T is set in the no-challenge term `(1−Q)[T·Ub + (1−T)·Uw]`
/// (irrelevant when Q = 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TRule {
    /// T = 1 iff i is closer to the median than to xⱼ (j drifting toward
    /// the median then helps i).
    #[default]
    Distance,
    /// T = 1 always (things get better).
    Better,
    /// T = 0 always (things get worse).
    Worse,
}

/// Denominator of the probability of success P(i, j).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbDenominator {
    /// Σ over voters k and all ordered pairs of actors (a, b) of
    /// |cₖsₖ(dₖb^{rₖ} − dₖa^{rₖ})| — what Scholz's code does (reproduces
    /// Table 2); P is then small.
    #[default]
    AllPairs,
    /// Σₖ |cₖsₖ(dₖⱼ^{rₖ} − dₖᵢ^{rₖ})| — eq. 31 as printed, so
    /// P(i,j) + P(j,i) = 1.
    Pairwise,
}

/// Risk exponent of each voter k inside P.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoterRisk {
    /// The voter's own current rₖ (Scholz's code).
    #[default]
    Own,
    /// rₖ = 1 for every voter (risk-neutral votes, eqs. 26–29).
    Neutral,
}

/// Whose risk exponent prices the utilities inside E(U_ij) and E(U_ji)
/// when actor i decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Perspective {
    /// Both from the deciding actor i's exponent rᵢ (Scholz's code).
    #[default]
    Perceiver,
    /// E(U_ij) with rᵢ, E(U_ji) with rⱼ.
    Own,
}

/// How Secᵢ = Σ_{j≠i} E(U_ji) is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// Every rᵢ is reset to 1 before Sec is computed, each round (Scholz
    /// step 1 and code): the perspective question then does not arise.
    #[default]
    ResetRisk,
    /// E^i(U_ji) as printed: priced with the target i's previous-round rᵢ.
    TargetPerspective,
    /// E^j(U_ji) as in the prose: priced with the challenger j's
    /// previous-round rⱼ.
    ChallengerPerspective,
}

/// The range R that normalises distances on a dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RangeRule {
    /// max − min of the initial positions, fixed for the run (Scholz's code).
    #[default]
    InitialPositions,
    /// max − min of the current positions, recomputed every round.
    CurrentPositions,
    /// The width of the dimension's scale.
    Scale,
}

/// When an actor that faces b > 0 > a with b ≤ |a| gives in completely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capitulation {
    /// Never: such offers are ignored (what Scholz's code does in effect).
    #[default]
    Never,
    /// The actor moves all the way to xⱼ (the compromise ratio |a/b| ≥ 1,
    /// capped at a full move).
    WhenOutweighed,
}

/// Which offer an actor accepts when it has several. Categories are tried
/// in the order confrontation, compromise, capitulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferChoice {
    /// Least movement among confrontations and capitulations; among
    /// compromises the lowest `(|a|·xᵢ + |b|·xⱼ)/(|a| + |b|)` (Scholz's code;
    /// reproduces Table 2).
    #[default]
    ScholzCode,
    /// Least movement in every category (BDM 1997: "players move the least
    /// that they can").
    LeastMovement,
}

/// Which statistic of the final positions is the forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EumOutcome {
    /// The c·s-weighted median (BDM's prediction).
    #[default]
    Median,
    /// The c·s-weighted mean.
    Mean,
}

/// Refuse jobs above this many elementary steps (rounds × dims × n³).
const MAX_WORK: f64 = 2e10;

fn opt_err(option: &str, message: String) -> SpatialError {
    SpatialError::Option {
        option: option.into(),
        message,
    }
}

/// Runs the expected-utility model.
pub fn run(problem: &Problem, o: &EumOptions) -> Result<Forecast, SpatialError> {
    check_options(problem, o)?;
    let initial = stats(problem, problem.position());
    let played = play(problem, o, &initial, true);
    let rounds = played.rounds;
    let last = &rounds.last().expect("at least one round").stats;
    let forecast = match o.outcome {
        EumOutcome::Median => last.median.clone(),
        EumOutcome::Mean => last.mean.clone(),
    };
    Ok(Forecast {
        model: "eum".into(),
        forecast,
        initial,
        rounds,
        converged: played.converged,
        assumptions: describe(o),
    })
}

fn check_options(problem: &Problem, o: &EumOptions) -> Result<(), SpatialError> {
    if o.rounds == 0 {
        return Err(opt_err("rounds", "must be at least 1".into()));
    }
    if !(o.q.is_finite() && (0.0..=1.0).contains(&o.q)) {
        return Err(opt_err("q", format!("must be in [0, 1], got {}", o.q)));
    }
    if let Some(t) = o.stop_shift {
        if !(t.is_finite() && t >= 0.0) {
            return Err(opt_err(
                "stop_shift",
                format!("must be finite and ≥ 0, got {t}"),
            ));
        }
    }
    let n = problem.n_actors() as f64;
    let work = o.rounds as f64 * problem.n_dims() as f64 * n * n * n;
    if work > MAX_WORK {
        return Err(opt_err(
            "rounds",
            format!(
                "{} rounds × {} dimensions × {}³ actors = {work:.2e} steps exceeds the \
                 limit of {MAX_WORK:.0e}; use fewer rounds or actors",
                o.rounds,
                problem.n_dims(),
                problem.n_actors()
            ),
        ));
    }

    Ok(())
}

/// Only the forecast of [`run`] (bit for bit the same numbers), without
/// rounds or assumptions: for sweeps that run the model thousands of times.
pub fn forecast(problem: &Problem, o: &EumOptions) -> Result<Vec<f64>, SpatialError> {
    check_options(problem, o)?;
    let initial = stats(problem, problem.position());
    let played = play(problem, o, &initial, false);
    let last = stats(problem, &played.last);
    Ok(match o.outcome {
        EumOutcome::Median => last.median,
        EumOutcome::Mean => last.mean,
    })
}

struct Played {
    /// Every round (only when asked for).
    rounds: Vec<Round>,
    /// Positions after the last round played, `[actor][dimension]`.
    last: Vec<Vec<f64>>,
    converged: bool,
}

/// Plays the rounds. With `keep` false no round is recorded and the
/// per-round statistics are computed only when the early stop needs the
/// median; the moves are the same either way.
fn play(problem: &Problem, o: &EumOptions, initial: &Stats, keep: bool) -> Played {
    play_rounds(problem, o, initial, keep, true)
}

/// [`play`]; with `skip_settled` false every round of every dimension is
/// played (the tests' reference for skipping settled dimensions).
fn play_rounds(
    problem: &Problem,
    o: &EumOptions,
    initial: &Stats,
    keep: bool,
    skip_settled: bool,
) -> Played {
    let mut dims: Vec<DimState> = (0..problem.n_dims())
        .map(|k| DimState::new(problem, o, k))
        .collect();
    let mut rounds = Vec::with_capacity(if keep { o.rounds } else { 0 });
    let mut prev_median = initial.median.clone();
    let mut converged = false;
    let mut last = Vec::new();
    for t in 1..=o.rounds {
        let mut moved = false;
        // A settled dimension would replay the same round: skip it.
        for d in dims.iter_mut().filter(|d| !(skip_settled && d.settled)) {
            moved |= d.step(o);
        }
        let positions = || -> Vec<Vec<f64>> {
            (0..problem.n_actors())
                .map(|i| dims.iter().map(|d| d.x[i]).collect())
                .collect()
        };
        if keep || o.stop_shift.is_some() {
            let positions = positions();
            let st = stats(problem, &positions);
            let shift = st
                .median
                .iter()
                .zip(&prev_median)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            prev_median = st.median.clone();
            if keep {
                rounds.push(Round {
                    round: t,
                    positions: positions.clone(),
                    stats: st,
                });
            }
            if let Some(tol) = o.stop_shift {
                if shift <= tol {
                    converged = true;
                    last = positions;
                    break;
                }
            }
        }
        if o.stop_shift.is_none() && t == o.rounds {
            converged = !moved;
        }
        if t == o.rounds {
            last = positions();
        }
    }
    Played {
        rounds,
        last,
        converged,
    }
}

/// The moving state of one dimension.
struct DimState {
    /// Current positions.
    x: Vec<f64>,
    /// Risk exponents from the previous round (1 before the first).
    r: Vec<f64>,
    /// c·s weights.
    w: Vec<f64>,
    /// Saliences on this dimension.
    s: Vec<f64>,
    /// Fixed range (initial positions or scale); None = recompute.
    fixed_range: Option<f64>,
    /// The last round left the state as it found it (no position moved
    /// and, unless the exponents are reset every round, no exponent
    /// changed): a round is a function of that state, so every later round
    /// would give the same state again and need not be played.
    settled: bool,
    /// Buffers reused from round to round (no effect on any number).
    work: RoundWork,
}

/// The tables of one round, kept to reuse their buffers.
#[derive(Default)]
struct RoundWork {
    table: TableWork,
    /// Probabilities with the exponents the security levels use, and with
    /// the new exponents.
    p_sec: ProbTable,
    p: ProbTable,
    /// The actors in order of position.
    by_pos: Vec<usize>,
    /// Every exponent 1 (the security levels' under `ResetRisk`).
    ones: Vec<f64>,
    /// The round's new positions.
    next: Vec<f64>,
    /// The offers' screen: one challenger's column P(j, i), which targets
    /// it keeps, and those targets in order of position.
    screen: ScreenWork,
    /// Each actor's status-quo utility 2 − 4·0.5^{rᵢ}.
    usq: Vec<f64>,
    /// One challenger's success utilities for its targets, then its
    /// failure utilities ([`success_failure_row`]).
    sf: Vec<f64>,
    security: SecurityWork,
}

/// Buffers of [`offer_candidates`].
#[derive(Default)]
struct ScreenWork {
    p_col: Vec<f64>,
    keep: Vec<bool>,
    targets: Vec<usize>,
}

/// The intermediate tables of [`prob_table_into`].
#[derive(Default)]
struct TableWork {
    /// Voter-major losses, padded rows.
    yt: Vec<f64>,
    /// One voter's losses in increasing order.
    col: Vec<f64>,
    /// Each voter's Σ_i (2i − n + 1)·y_(i) over its sorted losses.
    col_sums: Vec<f64>,
    /// Per position (numbered in order of position), the actors in the
    /// order a sorted column there met them (`[g * n..]`), whether it is
    /// known, and the positions (bits) they are for: the two tables of a
    /// round share them.
    orders: Vec<usize>,
    have_order: Vec<bool>,
    orders_x: Vec<u64>,
}

/// Probabilities P(i, j) for one set of voter exponents, `[i*n + j]`.
#[derive(Default)]
struct ProbTable {
    p: Vec<f64>,
    n: usize,
}

impl ProbTable {
    fn get(&self, i: usize, j: usize) -> f64 {
        self.p[i * self.n + j]
    }
}

impl DimState {
    fn new(problem: &Problem, o: &EumOptions, k: usize) -> Self {
        let x: Vec<f64> = problem.position().iter().map(|p| p[k]).collect();
        let fixed_range = match o.range {
            RangeRule::InitialPositions => Some(span(&x)),
            RangeRule::Scale => Some(problem.dims()[k].max - problem.dims()[k].min),
            RangeRule::CurrentPositions => None,
        };
        DimState {
            r: vec![1.0; x.len()],
            w: cs_weights(problem, k),
            s: problem.salience().iter().map(|s| s[k]).collect(),
            x,
            fixed_range,
            settled: false,
            work: RoundWork::default(),
        }
    }
}

multiversion! {
    /// P(i, j) for every pair, with voter k's exponent `exps[k]`; `by_pos`
    /// lists the actors in order of position ([`by_position`]). Compiled
    /// for the widest vector unit.
    fn prob_table_into(d: &DimState, o: &EumOptions, exps: &[f64], range: f64, by_pos: &[usize], work: &mut TableWork, out: &mut ProbTable) -> () = prob_table_kernel;
}

/// [`prob_table_into`] a new table.
#[cfg(test)]
fn prob_table(
    d: &DimState,
    o: &EumOptions,
    exps: &[f64],
    range: f64,
    by_pos: &[usize],
) -> ProbTable {
    let mut out = ProbTable::default();
    prob_table_into(
        d,
        o,
        exps,
        range,
        by_pos,
        &mut TableWork::default(),
        &mut out,
    );
    out
}

#[inline(always)]
fn prob_table_kernel(
    d: &DimState,
    o: &EumOptions,
    exps: &[f64],
    range: f64,
    by_pos: &[usize],
    TableWork {
        yt,
        col,
        col_sums,
        orders,
        have_order,
        orders_x,
    }: &mut TableWork,
    out: &mut ProbTable,
) {
    let n = d.x.len();
    let np = n.next_multiple_of(LANES);
    // yt[k*np + a] = (|xₖ − x_a|/R)^{rₖ}: voter k's loss at a's
    // position, voter-major so that a voter's losses are a row of
    // lanes; a row's powers are computed as lanes, padding included. Every
    // slot below n is written and the padding stays 0 (0ʸ = 0; it is never
    // read), so the buffer is zeroed only when its size changes.
    if yt.len() != n * np {
        yt.clear();
        yt.resize(n * np, 0.0);
    }
    let exp_of = |k: usize| match o.voter_risk {
        VoterRisk::Own => exps[k],
        VoterRisk::Neutral => 1.0,
    };
    for k in 0..n {
        let e = exp_of(k);
        let xk = d.x[k];
        let row = &mut yt[k * np..(k + 1) * np];
        for (v, &xa) in row.iter_mut().zip(&d.x) {
            *v = (xk - xa).abs() / range;
        }
        pow::powr_in_place(row, e);
    }
    let all_pairs = match o.probability {
        ProbDenominator::AllPairs => {
            // Σ_{a,b} |y_a − y_b| = 2 Σ_i (2i − n + 1)·y_(i) over sorted y.
            // (Every slot is written by `sorted_column`.)
            col.resize(n, 0.0);
            col_sums.clear();
            col_sums.resize(n, 0.0);
            // A voter's sum depends only on its position and exponent:
            // voters at the same position with the same exponent (next to
            // each other in `by_pos` when their exponents agree) share it.
            let mut last: Option<(u64, u64, f64)> = None;
            // Voters at one position meet the actors in the same order of
            // distance whatever their exponents: the first column merged
            // there records the order, and the others (in this table or
            // the round's other one) are read in that order and checked.
            if orders_x.len() != n || orders_x.iter().zip(&d.x).any(|(&b, x)| b != x.to_bits()) {
                orders_x.clear();
                orders_x.extend(d.x.iter().map(|x| x.to_bits()));
                have_order.clear();
            }
            have_order.resize(n, false);
            orders.resize(n * n, 0);
            for (k, g, _) in position_groups(&d.x, by_pos) {
                if d.w[k] == 0.0 {
                    continue;
                }
                let id = (d.x[k].to_bits(), exp_of(k).to_bits());
                col_sums[k] = match last {
                    Some((x, e, sum)) if (x, e) == id => sum,
                    _ => {
                        let yk = &yt[k * np..k * np + n];
                        let order = &mut orders[g * n..(g + 1) * n];
                        if have_order[g] {
                            for (c, &a) in col.iter_mut().zip(order.iter()) {
                                *c = yk[a];
                            }
                            sort_unless_sorted(col);
                        } else {
                            // Voter k's losses grow with the distance from
                            // xₖ, so its sorted column merges the actors
                            // left and right.
                            sorted_column(by_pos, k, |a| yk[a], col, order);
                            have_order[g] = true;
                        }
                        col.iter()
                            .enumerate()
                            .map(|(i, v)| (2.0 * i as f64 - n as f64 + 1.0) * v)
                            .sum()
                    }
                };
                last = Some((id.0, id.1, col_sums[k]));
            }
            let mut total = 0.0;
            for (&w, &sum) in d.w.iter().zip(col_sums.iter()) {
                if w != 0.0 {
                    total += w * 2.0 * sum;
                }
            }
            Some(total)
        }
        ProbDenominator::Pairwise => None,
    };
    out.n = n;
    let p = &mut out.p;
    // The all-pairs denominator (the default): a probability needs only
    // its own side's support, so the table goes row by row, every target
    // a lane, and every slot is written (resizing writes only new slots).
    if let Some(den) = all_pairs {
        p.resize(n * n, 0.0);
        all_pairs_rows(d, yt, np, range, den, by_pos, p);
        return;
    }
    // The pairwise denominator adds both sides' supports: support for xᵢ
    // over xⱼ (voters who lose more at xⱼ) and for xⱼ over xᵢ, with the
    // targets j > i as lanes in blocks of 8, 4, 2 and 1 (no lane past the
    // last actor): each lane keeps the four partial sums of `support` and
    // adds the same terms in the same order, so the numbers are
    // `support`'s bit for bit. The pairs at the same position keep 0.
    p.clear();
    p.resize(n * n, 0.0);
    for i in 0..n {
        let mut jc = i + 1;
        while jc < n {
            let block = match n - jc {
                r if r >= 8 => 8,
                r if r >= 4 => 4,
                r if r >= 2 => 2,
                _ => 1,
            };
            let ctx = SupportBlock {
                w: &d.w,
                yt,
                np,
                i,
                jc,
            };
            let (for_i, for_j) = match block {
                8 => widen(support_block::<8>(ctx)),
                4 => widen(support_block::<4>(ctx)),
                2 => widen(support_block::<2>(ctx)),
                _ => widen(support_block::<1>(ctx)),
            };
            for lane in 0..block {
                let j = jc + lane;
                if same(d.x[i], d.x[j], range) {
                    continue;
                }
                let (for_i, for_j) = (for_i[lane], for_j[lane]);
                let den = all_pairs.unwrap_or(for_i + for_j);
                let (pij, pji) = if den > 0.0 {
                    (for_i / den, for_j / den)
                } else {
                    (0.5, 0.5)
                };
                p[i * n + j] = pij;
                p[j * n + i] = pji;
            }
            jc += block;
        }
    }
}

impl DimState {
    /// E(U_ij): i challenging j, utilities priced with exponent `e`.
    #[allow(clippy::too_many_arguments)]
    fn eu(
        &self,
        o: &EumOptions,
        p: &ProbTable,
        i: usize,
        j: usize,
        e: f64,
        mu: Option<f64>,
        range: f64,
    ) -> f64 {
        let dij = (self.x[i] - self.x[j]).abs() / range;
        let (us, uf) = success_failure(dij, e);
        let usq = 2.0 - 4.0 * half_pow(e);
        self.eu_with(o, p, i, j, e, mu, range, (us, uf, usq))
    }

    /// E(U_ij) given the success, failure and status-quo utilities.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn eu_with(
        &self,
        o: &EumOptions,
        p: &ProbTable,
        i: usize,
        j: usize,
        e: f64,
        mu: Option<f64>,
        range: f64,
        (us, uf, usq): (f64, f64, f64),
    ) -> f64 {
        let mut eu = challenge_eu(self.s[j], p.get(i, j), (us, uf, usq), o.q);
        if o.q < 1.0 {
            let mu = mu.expect("the round's median is computed when Q < 1");
            let dij = (self.x[i] - self.x[j]).abs() / range;
            let dim = (self.x[i] - mu).abs() / range;
            let tt = match o.t_rule {
                TRule::Better => 1.0,
                TRule::Worse => 0.0,
                TRule::Distance => {
                    if (self.x[i] - mu).abs() < (self.x[i] - self.x[j]).abs() {
                        1.0
                    } else {
                        0.0
                    }
                }
            };
            let u = |base: f64| 2.0 - 4.0 * powr(base.max(0.0), e);
            let ub = u(0.5 - 0.25 * (dim + dij));
            let uw = u(0.5 + 0.25 * (dim + dij));
            eu -= (1.0 - o.q) * (tt * ub + (1.0 - tt) * uw);
        }
        eu
    }

    /// Plays one round; returns whether any position changed, and marks
    /// the dimension settled when the round changed nothing.
    fn step(&mut self, o: &EumOptions) -> bool {
        let n = self.x.len();
        let range = self.fixed_range.unwrap_or_else(|| span(&self.x));
        if range <= 0.0 || span(&self.x) == 0.0 {
            self.settled = true;
            return false;
        }
        // With `ResetRisk` a round reads no exponent of the previous one.
        let r_before = (o.security != Security::ResetRisk).then(|| self.r.clone());
        // The weighted median: only the no-challenge term (Q < 1) reads it.
        let mu = (o.q < 1.0).then(|| weighted_median(&self.x, &self.w));
        // The round's tables go into the buffers of the last round's.
        let mut work = std::mem::take(&mut self.work);
        let RoundWork {
            table,
            p_sec,
            p,
            by_pos,
            ones,
            next,
            screen: screen_work,
            usq,
            sf,
            security: security_work,
        } = &mut work;
        // The actors in order of position, for both probability tables and
        // the offers (the positions change only at the end of the round).
        by_position_into(&self.x, by_pos);
        let by_pos = &by_pos[..];

        // Security levels and new risk exponents.
        let sec_exps: &[f64] = match o.security {
            Security::ResetRisk => {
                ones.clear();
                ones.resize(n, 1.0);
                ones
            }
            _ => r_before.as_deref().expect("kept unless ResetRisk"),
        };
        prob_table_into(self, o, sec_exps, range, by_pos, table, p_sec);
        let sec = if o.security == Security::ResetRisk && o.q == 1.0 {
            security_reset_lanes(self, p_sec, range, by_pos, security_work)
        } else {
            self.security_levels(o, p_sec, sec_exps, mu, range)
        };
        let max = sec.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = sec.iter().copied().fold(f64::INFINITY, f64::min);
        for (r, sec_i) in self.r.iter_mut().zip(&sec) {
            let big_r = if max > min {
                (2.0 * sec_i - max - min) / (max - min)
            } else {
                0.0
            };
            *r = (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0);
        }

        // Offers, evaluated with the new exponents.
        prob_table_into(self, o, &self.r, range, by_pos, table, p);
        let p = &*p;
        next.clear();
        next.extend_from_slice(&self.x);
        let screen = no_offer_screen_applies(o, &self.s);
        usq.clear();
        usq.extend(self.r.iter().map(|&r| 2.0 - 4.0 * half_pow(r)));
        // Targets visited in order of position (the best offer does not
        // depend on the order: ties are broken by value).
        for (i, nx) in next.iter_mut().enumerate() {
            let mut best: [Option<(f64, f64)>; 3] = [None, None, None];
            let usq_i = usq[i];
            // With the screen, only the targets it keeps (in order of
            // position; none at i's position).
            let targets: &[usize] = if screen {
                offer_candidates(
                    self,
                    p,
                    i,
                    usq_i,
                    o.capitulation,
                    range,
                    by_pos,
                    screen_work,
                );
                &screen_work.targets
            } else {
                by_pos
            };
            // Success and failure utilities of i's offers, priced with
            // i's exponent: shared by a and b when the exponents agree.
            success_failure_row(&self.x, i, targets, self.r[i], range, sf);
            let m = targets.len();
            for (t, &j) in targets.iter().enumerate() {
                if same(self.x[j], self.x[i], range) {
                    continue;
                }
                let (ea, eb) = match o.perspective {
                    Perspective::Perceiver => (self.r[i], self.r[i]),
                    Perspective::Own => (self.r[i], self.r[j]),
                };
                let (us, uf) = (sf[t], sf[m + t]);
                let a = self.eu_with(o, p, i, j, ea, mu, range, (us, uf, usq_i));
                let b = if eb == ea {
                    self.eu_with(o, p, j, i, eb, mu, range, (us, uf, usq_i))
                } else {
                    self.eu(o, p, j, i, eb, mu, range)
                };
                let (xi, xj) = (self.x[i], self.x[j]);
                let (cat, pos) = if b > a && a > 0.0 {
                    (0, xj)
                } else if b > 0.0 && a < 0.0 && b > -a {
                    (1, xi + (xj - xi) * (a / b).abs())
                } else if b > 0.0
                    && a < 0.0
                    && b <= -a
                    && o.capitulation == Capitulation::WhenOutweighed
                {
                    (2, xj)
                } else {
                    continue;
                };
                let key = if cat == 1 && o.offer_choice == OfferChoice::ScholzCode {
                    (a.abs() * xi + b.abs() * xj) / (a.abs() + b.abs())
                } else {
                    (pos - xi).abs()
                };
                let better = match best[cat] {
                    None => true,
                    Some((k0, p0)) => key < k0 || (key == k0 && pos < p0),
                };
                if better {
                    best[cat] = Some((key, pos));
                }
            }
            if let Some((_, pos)) = best.iter().flatten().next() {
                *nx = *pos;
            }
        }
        let moved = *next != self.x;
        // Bit for bit (0.0 and −0.0 are equal but not the same state).
        let same_bits =
            |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(a, b)| a.to_bits() == b.to_bits());
        self.settled = same_bits(next, &self.x) && r_before.is_none_or(|r| same_bits(&r, &self.r));
        // The new positions in place; the old ones' buffer is next round's.
        std::mem::swap(&mut self.x, next);
        self.work = work;
        moved
    }
}

impl DimState {
    /// Secᵢ = Σ_{j≠i} E(U_ji), j in index order, priced with the exponent
    /// the security rule names (the definition [`security_reset_lanes`]
    /// reproduces).
    fn security_levels(
        &self,
        o: &EumOptions,
        p_sec: &ProbTable,
        sec_exps: &[f64],
        mu: Option<f64>,
        range: f64,
    ) -> Vec<f64> {
        let n = self.x.len();
        let mut sec = vec![0.0; n];
        for (i, sec_i) in sec.iter_mut().enumerate() {
            for j in 0..n {
                if j == i {
                    continue;
                }
                let e = match o.security {
                    Security::ResetRisk => 1.0,
                    Security::TargetPerspective => sec_exps[i],
                    Security::ChallengerPerspective => sec_exps[j],
                };
                *sec_i += self.eu(o, p_sec, j, i, e, mu, range);
            }
        }
        sec
    }
}

multiversion! {
    /// [`DimState::security_levels`] for `ResetRisk` and Q = 1 (every
    /// exponent 1, no no-challenge term) with the targets i as SIMD lanes:
    /// each lane adds E(U_ji) for j in index order with `eu`'s arithmetic
    /// (Usq = 2 − 4·0.5, success and failure utilities without a power), so
    /// the levels are the same bit for bit.
    fn security_reset_lanes(
        d: &DimState,
        p_sec: &ProbTable,
        range: f64,
        by_pos: &[usize],
        work: &mut SecurityWork,
    ) -> Vec<f64> = security_reset_kernel;
}

/// Buffers of [`security_reset_lanes`]: one row of E(U_ji) (lanes i) per
/// position, and each actor's row.
#[derive(Default)]
struct SecurityWork {
    rows: Vec<f64>,
    row_of: Vec<usize>,
}

#[inline(always)]
fn security_reset_kernel(
    d: &DimState,
    p_sec: &ProbTable,
    range: f64,
    by_pos: &[usize],
    SecurityWork { rows, row_of }: &mut SecurityWork,
) -> Vec<f64> {
    let n = d.x.len();
    let (q, e) = (1.0, 1.0);
    let usq = 2.0 - 4.0 * powr(0.5, e);
    // E(U_ji) for every i depends only on j's position (its distances
    // and its row of the table, the same for every actor there): one row
    // per position, in order of position.
    rows.clear();
    row_of.clear();
    row_of.resize(n, 0);
    for (j, g, first) in position_groups(&d.x, by_pos) {
        row_of[j] = g;
        if first != j {
            continue;
        }
        let xj = d.x[j];
        let start = rows.len();
        rows.resize(start + n, 0.0);
        let p_row = &p_sec.p[j * n..(j + 1) * n];
        for ((eu, &xi), (&pji, &si)) in rows[start..]
            .iter_mut()
            .zip(&d.x)
            .zip(p_row.iter().zip(&d.s))
        {
            let dji = (xj - xi).abs() / range;
            let (us, uf) = success_failure(dji, e);
            *eu = challenge_eu(si, pji, (us, uf, usq), q);
        }
    }
    // The levels add E(U_ji) for j in index order.
    let mut sec = vec![0.0; n];
    for j in 0..n {
        let row = &rows[row_of[j] * n..(row_of[j] + 1) * n];
        for (i, (sec_i, &eu)) in sec.iter_mut().zip(row).enumerate() {
            // The challenger's own slot adds nothing (selected, not skipped).
            *sec_i = if i == j { *sec_i } else { *sec_i + eu };
        }
    }
    sec
}

/// E(U_ij) without its no-challenge term when Q < 1: j resists with its
/// salience `sj` and i then wins with probability `pij`; success,
/// failure and status-quo utilities `(us, uf, usq)`.
#[inline(always)]
fn challenge_eu(sj: f64, pij: f64, (us, uf, usq): (f64, f64, f64), q: f64) -> f64 {
    sj * (pij * us + (1.0 - pij) * uf) + (1.0 - sj) * us - q * usq
}

/// Margin of [`DimState::no_offer`]'s first test: far above the rounding
/// error of E(U_ij) and E(U_ji) (terms of size ≤ 4, a few 1e-15), far
/// below any difference that matters.
const NO_OFFER_MARGIN: f64 = 1e-9;

/// Margin of [`DimState::no_offer`]'s second test, on a ratio of utility
/// differences; with distances of at least [`NO_OFFER_MIN_DISTANCE`] it
/// keeps E(U_ji) at least 2e-9 below zero.
const NO_OFFER_RATIO_MARGIN: f64 = 1e-3;

/// Shortest distance (a share of the range) at which the second test is
/// used.
const NO_OFFER_MIN_DISTANCE: f64 = 1e-6;

/// Whether [`DimState::no_offer`]'s reasoning holds for these options and
/// saliences: Q = 1 (no no-challenge term), both sides priced with the
/// perceiver's exponent, saliences in [0, 1].
fn no_offer_screen_applies(o: &EumOptions, s: &[f64]) -> bool {
    o.q == 1.0
        && o.perspective == Perspective::Perceiver
        && s.iter().all(|s| (0.0..=1.0).contains(s))
}

impl DimState {
    /// True when j certainly makes i no offer, decided without a power
    /// (`usq_i` = Usq for rᵢ, already computed). Every kind of offer needs
    /// b = E(U_ji) > a = E(U_ij) and b > 0 (confrontation b > a > 0,
    /// compromise b > 0 > a with b > −a, capitulation b > 0 > a with
    /// b ≤ −a). With Q = 1 and both priced with rᵢ, writing u = (1+d)/2,
    /// v = (1−d)/2:
    ///
    /// * `b − a = (Us − Uf)·C` with `C = sⱼ(1 − P(i,j)) − sᵢ(1 − P(j,i))`,
    ///   and for rᵢ ∈ [0.5, 2] and dᵢⱼ ∈ [0, 1],
    ///   `Us − Uf = 4(u^r − v^r) ≥ 2d`. So when `2d·C < −NO_OFFER_MARGIN`,
    ///   b < a by far more than rounding.
    /// * `b = 4(u^r − v^r)·(t − sᵢ(1 − P(j,i)))` with
    ///   `t = (0.5^r − v^r)/(u^r − v^r)`, and t ≤ max(0.5, 0.5^r) on those
    ///   ranges (t → 1/2 as d → 0; t = 0.5^r at d = 1). So when
    ///   `sᵢ(1 − P(j,i)) ≥ max(0.5, 0.5^r) + NO_OFFER_RATIO_MARGIN` and
    ///   d ≥ `NO_OFFER_MIN_DISTANCE`, b < −2e-9, far beyond rounding.
    /// * `a + b = 4(u^r − v^r)·(2t − S)` with `S = sⱼ(1 − P(i,j)) +
    ///   sᵢ(1 − P(j,i))`. So when `S ≥ 2·max(0.5, 0.5^r) +
    ///   NO_OFFER_RATIO_MARGIN` and d ≥ `NO_OFFER_MIN_DISTANCE`,
    ///   a + b < −2e-9: neither a confrontation (a > 0 and b > a) nor a
    ///   compromise (b > −a). A capitulation is still possible, so this
    ///   test is made only when an outweighed actor never capitulates.
    ///
    /// Either way the full computation would find no offer. Anything else
    /// (an exponent or distance outside those ranges, a NaN) is left to
    /// the full computation. `d` is dᵢⱼ = |xᵢ − xⱼ|/R as the offer uses it.
    /// (The definition: the round makes these tests for every target at
    /// once in [`offer_candidates`], tested to agree pair for pair.)
    #[cfg(test)]
    fn no_offer(
        &self,
        p: &ProbTable,
        i: usize,
        j: usize,
        d: f64,
        usq_i: f64,
        capitulation: Capitulation,
    ) -> bool {
        let r = self.r[i];
        if !((0.5..=2.0).contains(&r) && (0.0..=1.0).contains(&d)) {
            return false;
        }
        let (pij, pji) = (p.get(i, j), p.get(j, i));
        if !((0.0..=1.0).contains(&pij) && (0.0..=1.0).contains(&pji)) {
            return false;
        }
        let (resist_j, resist_i) = (self.s[j] * (1.0 - pij), self.s[i] * (1.0 - pji));
        if 2.0 * d * (resist_j - resist_i) < -NO_OFFER_MARGIN {
            return true;
        }
        if d < NO_OFFER_MIN_DISTANCE {
            return false;
        }
        // 0.5^r from Usq = 2 − 4·0.5^r (its rounding is far inside the margin).
        let t_max = ((2.0 - usq_i) / 4.0).max(0.5);
        resist_i >= t_max + NO_OFFER_RATIO_MARGIN
            || (capitulation == Capitulation::Never
                && resist_j + resist_i >= 2.0 * t_max + NO_OFFER_RATIO_MARGIN)
    }
}

multiversion! {
    /// [`offer_candidates_kernel`] compiled for the widest vector unit.
    #[allow(clippy::too_many_arguments)]
    fn offer_candidates(d: &DimState, p: &ProbTable, i: usize, usq_i: f64, capitulation: Capitulation, range: f64, by_pos: &[usize], w: &mut ScreenWork) -> () = offer_candidates_kernel;
}

/// The targets j that challenger i's offers loop must visit when the
/// screen applies, in order of position, into `w.targets`: those not at
/// i's position for which [`DimState::no_offer`] is false. The tests
/// are `no_offer`'s, made for every target at once with no branch (the
/// same arithmetic, so the same answers), and the kept targets are
/// gathered without a branch too: which pairs are screened out varies
/// from pair to pair, so a branch per pair is mispredicted often.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn offer_candidates_kernel(
    d: &DimState,
    p: &ProbTable,
    i: usize,
    usq_i: f64,
    capitulation: Capitulation,
    range: f64,
    by_pos: &[usize],
    w: &mut ScreenWork,
) {
    let n = d.x.len();
    let (xi, si, r) = (d.x[i], d.s[i], d.r[i]);
    let r_ok = (0.5..=2.0).contains(&r);
    let t_max = ((2.0 - usq_i) / 4.0).max(0.5);
    let never = capitulation == Capitulation::Never;
    w.p_col.clear();
    w.p_col.extend((0..n).map(|j| p.get(j, i)));
    w.keep.clear();
    w.keep.resize(n, false);
    let row = &p.p[i * n..(i + 1) * n];
    let cols = d.x.iter().zip(&d.s).zip(row.iter().zip(&w.p_col));
    for (keep, ((&xj, &sj), (&pij, &pji))) in w.keep.iter_mut().zip(cols) {
        let dij = (xi - xj).abs() / range;
        let in_ranges = r_ok
            & (0.0..=1.0).contains(&dij)
            & (0.0..=1.0).contains(&pij)
            & (0.0..=1.0).contains(&pji);
        let (resist_j, resist_i) = (sj * (1.0 - pij), si * (1.0 - pji));
        let gap = 2.0 * dij * (resist_j - resist_i) < -NO_OFFER_MARGIN;
        // (Read only where d is in [0, 1], so not a NaN.)
        let far = dij >= NO_OFFER_MIN_DISTANCE;
        let loses = resist_i >= t_max + NO_OFFER_RATIO_MARGIN;
        let outweighed = never & (resist_j + resist_i >= 2.0 * t_max + NO_OFFER_RATIO_MARGIN);
        let screened = in_ranges & (gap | (far & (loses | outweighed)));
        *keep = !same(xj, xi, range) & !screened;
    }
    w.targets.clear();
    w.targets.resize(n, 0);
    let mut len = 0;
    for &j in by_pos {
        w.targets[len] = j;
        len += usize::from(w.keep[j]);
    }
    w.targets.truncate(len);
}

/// The actors' indices in order of position.
#[cfg(test)]
fn by_position(x: &[f64]) -> Vec<usize> {
    let mut by_pos = Vec::new();
    by_position_into(x, &mut by_pos);
    by_pos
}

/// [`by_position`] into a reused buffer.
fn by_position_into(x: &[f64], by_pos: &mut Vec<usize>) {
    by_pos.clear();
    by_pos.extend(0..x.len());
    by_pos.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
}

/// The actors in order of position (`by_pos`), each with the number of
/// its position (0, 1, … in that order) and the first actor there: actors
/// at the same position (the same bits) share both. What depends only on
/// an actor's position is computed for the first and shared by the rest.
fn position_groups<'a>(
    x: &'a [f64],
    by_pos: &'a [usize],
) -> impl Iterator<Item = (usize, usize, usize)> + 'a {
    let mut current: Option<(usize, usize)> = None;
    by_pos.iter().map(move |&a| {
        let (group, first) = match current {
            Some((g, f)) if x[f].to_bits() == x[a].to_bits() => (g, f),
            Some((g, _)) => (g + 1, a),
            None => (0, a),
        };
        current = Some((group, first));
        (a, group, first)
    })
}

/// Sorts `col` in `total_cmp`'s order unless it already is (the check is
/// cheap; an order known to be nearly always right needs no sort).
fn sort_unless_sorted(col: &mut [f64]) {
    if !col.is_sorted_by(|a, b| a.total_cmp(b).is_le()) {
        col.sort_by(f64::total_cmp);
    }
}

/// Voter k's losses `loss(a)` of every actor's position in increasing
/// order, into `out`: `by_pos` lists the actors by position, so walking
/// outwards from k on both sides meets growing distances, and merging the
/// two walks gives the sorted column. The merged column is checked and
/// sorted if it is not in order (a loss computed with rounding that is not
/// monotone in the distance), so the result is always the sorted column.
fn sorted_column(
    by_pos: &[usize],
    k: usize,
    loss: impl Fn(usize) -> f64,
    out: &mut [f64],
    order: &mut [usize],
) {
    merge_walks(by_pos, k, loss, out, order);
    sort_unless_sorted(out);
}

/// The merge of [`sorted_column`], without the check; `order` receives the
/// actor of each slot (a permutation of the actors, in merge order).
fn merge_walks(
    by_pos: &[usize],
    k: usize,
    loss: impl Fn(usize) -> f64,
    out: &mut [f64],
    order: &mut [usize],
) {
    let n = by_pos.len();
    let at = by_pos
        .iter()
        .position(|&a| a == k)
        .expect("every actor is in by_pos");
    // Left walk: by_pos[at-1], by_pos[at-2], …; right walk: by_pos[at+1], ….
    let (mut l, mut r) = (at, at + 1);
    out[0] = loss(k);
    order[0] = k;
    for (slot, who) in out.iter_mut().zip(order.iter_mut()).take(n).skip(1) {
        let left = (l > 0).then(|| loss(by_pos[l - 1]));
        let right = (r < n).then(|| loss(by_pos[r]));
        (*slot, *who) = match (left, right) {
            (Some(a), Some(b)) if b.total_cmp(&a).is_lt() => {
                r += 1;
                (b, by_pos[r - 1])
            }
            (Some(a), _) => {
                l -= 1;
                (a, by_pos[l])
            }
            (None, Some(b)) => {
                r += 1;
                (b, by_pos[r - 1])
            }
            (None, None) => unreachable!("n values for n slots"),
        };
    }
}

/// Positions closer than this fraction of R count as one position, so that
/// rounding noise (which depends on the order of summation) cannot create a
/// spurious challenge between actors that moved to the same point.
const SAME_POSITION: f64 = 1e-12;

fn same(a: f64, b: f64, range: f64) -> bool {
    (a - b).abs() <= SAME_POSITION * range
}

/// Partial sums of a support: Σ over voters k ≡ l (mod 4) for l = 0…3,
/// combined as (s₀ + s₁) + (s₂ + s₃), then the remaining voters in order.
const SUPPORT_LANES: usize = 4;

/// What a block of support lanes reads: the weights, the voter-major
/// losses `yt` (rows of `np`), the challenger i and the block's first
/// target `jc`.
#[derive(Clone, Copy)]
struct SupportBlock<'a> {
    w: &'a [f64],
    yt: &'a [f64],
    np: usize,
    i: usize,
    jc: usize,
}

/// The supports of the pairs (i, jc + lane) for W lanes: `support`'s
/// partial sums per lane, combined as `support` combines them, then the
/// remaining voters in order (a zero part added or subtracted leaves a sum
/// of non-negative parts unchanged).
#[inline(always)]
fn support_block<const W: usize>(b: SupportBlock<'_>) -> ([f64; W], [f64; W]) {
    let SupportBlock { w, yt, np, i, jc } = b;
    let n = w.len();
    let chunks = n / SUPPORT_LANES;
    let mut pos = [[0.0f64; W]; SUPPORT_LANES];
    let mut neg = [[0.0f64; W]; SUPPORT_LANES];
    let row = |k: usize| -> [f64; W] {
        yt[k * np + jc..k * np + jc + W]
            .try_into()
            .expect("W lanes")
    };
    for c in 0..chunks {
        for l in 0..SUPPORT_LANES {
            let k = c * SUPPORT_LANES + l;
            let (wk, yik, ykj) = (w[k], yt[k * np + i], row(k));
            for lane in 0..W {
                let v = wk * (ykj[lane] - yik);
                pos[l][lane] += if v > 0.0 { v } else { 0.0 };
                neg[l][lane] += if v < 0.0 { -v } else { 0.0 };
            }
        }
    }
    let mut for_i = [0.0f64; W];
    let mut for_j = [0.0f64; W];
    for lane in 0..W {
        for_i[lane] = (pos[0][lane] + pos[1][lane]) + (pos[2][lane] + pos[3][lane]);
        for_j[lane] = (neg[0][lane] + neg[1][lane]) + (neg[2][lane] + neg[3][lane]);
    }
    for k in chunks * SUPPORT_LANES..n {
        let (wk, yik, ykj) = (w[k], yt[k * np + i], row(k));
        for lane in 0..W {
            let v = wk * (ykj[lane] - yik);
            for_i[lane] += if v > 0.0 { v } else { 0.0 };
            for_j[lane] -= if v > 0.0 { 0.0 } else { v };
        }
    }
    (for_i, for_j)
}

/// The probability table under the all-pairs denominator `den`, row by
/// row with every target as a lane. Row r, lane c sums the positive parts
/// of `vₖ = wₖ(yₖc − yₖr)`: for r < c that is [`support_block`]'s support for
/// r over c; for r > c it is its support for c over r (the pair's other
/// side), because `wₖ(yₖr − yₖc)` is exactly `−vₖ` and the negative part of
/// `−vₖ` is the positive part of `vₖ`. The four partial sums, their order
/// and the remaining voters are `support_block`'s (for r > c the remaining
/// voters subtract as its second sum does, which differs only for a NaN),
/// so every probability is the block table's bit for bit; each pair is
/// summed twice, but in whole registers and with no per-pair division.
/// The two forms give the same sum for finite losses (a sum is never −0),
/// so a row depends only on its actor's position, and the rows are
/// computed in order of position, copied from the row before when the
/// position is the same.
#[inline(always)]
fn all_pairs_rows(
    d: &DimState,
    yt: &[f64],
    np: usize,
    range: f64,
    den: f64,
    by_pos: &[usize],
    p: &mut [f64],
) {
    const V: usize = LANES;
    let n = d.x.len();
    let w = &d.w[..n];
    let chunks = n / SUPPORT_LANES;
    let lane_row = |k: usize, cb: usize| -> [f64; V] {
        yt[k * np + cb..k * np + cb + V]
            .try_into()
            .expect("V lanes")
    };
    // A row depends only on its actor's position (its losses yt[k][r],
    // and which targets share it): the other actors there take a copy of
    // the first one's row.
    for (r, _, first) in position_groups(&d.x, by_pos) {
        if first != r {
            p.copy_within(first * n..(first + 1) * n, r * n);
            continue;
        }
        let xr = d.x[r];
        for cb in (0..np).step_by(V) {
            let mut acc = [[0.0f64; V]; SUPPORT_LANES];
            for c in 0..chunks {
                for (l, acc) in acc.iter_mut().enumerate() {
                    let k = c * SUPPORT_LANES + l;
                    let (wk, ykr, row) = (w[k], yt[k * np + r], lane_row(k, cb));
                    for lane in 0..V {
                        let v = wk * (row[lane] - ykr);
                        acc[lane] += if v > 0.0 { v } else { 0.0 };
                    }
                }
            }
            let mut sum = [0.0f64; V];
            for lane in 0..V {
                sum[lane] = (acc[0][lane] + acc[1][lane]) + (acc[2][lane] + acc[3][lane]);
            }
            for k in chunks * SUPPORT_LANES..n {
                let (wk, ykr, row) = (w[k], yt[k * np + r], lane_row(k, cb));
                for lane in 0..V {
                    let v = wk * (row[lane] - ykr);
                    let (vo, s) = (-v, sum[lane]);
                    let mirror = s - if vo > 0.0 { 0.0 } else { vo };
                    let direct = s + if v > 0.0 { v } else { 0.0 };
                    sum[lane] = if cb + lane < r { mirror } else { direct };
                }
            }
            let mut q = [0.5f64; V];
            if den > 0.0 {
                for lane in 0..V {
                    q[lane] = sum[lane] / den;
                }
            }
            let m = V.min(n - cb);
            for (lane, (pc, &xc)) in p[r * n + cb..r * n + cb + m]
                .iter_mut()
                .zip(&d.x[cb..cb + m])
                .enumerate()
            {
                *pc = if same(xr, xc, range) { 0.0 } else { q[lane] };
            }
        }
    }
}

/// A block's supports as 8-lane arrays (the lanes past the block unused).
#[inline(always)]
fn widen<const W: usize>((a, b): ([f64; W], [f64; W])) -> ([f64; 8], [f64; 8]) {
    let (mut x, mut y) = ([0.0; 8], [0.0; 8]);
    x[..W].copy_from_slice(&a);
    y[..W].copy_from_slice(&b);
    (x, y)
}

/// `(Σₖ max(0, vₖ), Σₖ max(0, −vₖ))` with `vₖ = wₖ(yjₖ − yiₖ)`, summed in
/// four independent lanes: the definition the probability table's lanes
/// reproduce bit for bit (tested).
#[cfg(test)]
fn support(w: &[f64], yi: &[f64], yj: &[f64]) -> (f64, f64) {
    const L: usize = SUPPORT_LANES;
    let (mut pos, mut neg) = ([0.0f64; L], [0.0f64; L]);
    let chunks = w.len() / L;
    for c in 0..chunks {
        for l in 0..L {
            let k = c * L + l;
            let v = w[k] * (yj[k] - yi[k]);
            pos[l] += if v > 0.0 { v } else { 0.0 };
            neg[l] += if v < 0.0 { -v } else { 0.0 };
        }
    }
    let (mut p, mut q) = (
        (pos[0] + pos[1]) + (pos[2] + pos[3]),
        (neg[0] + neg[1]) + (neg[2] + neg[3]),
    );
    for k in chunks * L..w.len() {
        let v = w[k] * (yj[k] - yi[k]);
        if v > 0.0 {
            p += v;
        } else {
            q -= v;
        }
    }
    (p, q)
}

multiversion! {
    /// [`success_failure`] of challenger i against each of `targets`
    /// (distance |xᵢ − xⱼ|/R, exponent e), as lanes: `out[t]` is the
    /// success utility of the t-th target, `out[m + t]` its failure
    /// utility (m targets); the same doubles as `success_failure`.
    fn success_failure_row(
        x: &[f64],
        i: usize,
        targets: &[usize],
        e: f64,
        range: f64,
        out: &mut Vec<f64>,
    ) -> () = success_failure_row_kernel;
}

#[inline(always)]
fn success_failure_row_kernel(
    x: &[f64],
    i: usize,
    targets: &[usize],
    e: f64,
    range: f64,
    out: &mut Vec<f64>,
) {
    let m = targets.len();
    out.clear();
    out.resize((2 * m).next_multiple_of(pow::BLOCK), 1.0);
    let (us, uf) = out.split_at_mut(m);
    for ((u, f), &j) in us.iter_mut().zip(uf.iter_mut()).zip(targets) {
        let d = (x[i] - x[j]).abs() / range;
        *u = (0.5 - 0.5 * d).max(0.0);
        *f = 0.5 + 0.5 * d;
    }
    // Padding lanes (1) are computed and never read.
    pow::powr_in_place(out, e);
    for u in out.iter_mut() {
        *u = 2.0 - 4.0 * *u;
    }
}

/// Utilities of success and failure, `2 − 4(0.5 ∓ 0.5d)^e`.
fn success_failure(d: f64, e: f64) -> (f64, f64) {
    (
        2.0 - 4.0 * powr((0.5 - 0.5 * d).max(0.0), e),
        2.0 - 4.0 * powr(0.5 + 0.5 * d, e),
    )
}

fn span(x: &[f64]) -> f64 {
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    hi - lo
}

fn describe(o: &EumOptions) -> Vec<String> {
    let mut a = vec![
        "Bueno de Mesquita's expected-utility (challenge) model as specified by Scholz, \
         Calbert & Smith (2011); each dimension is played separately with the actors' \
         saliences on it; all moves of a round are applied together."
            .to_string(),
        format!(
            "Rounds: {}{}; the forecast is the {} of the last round played (weights \
             capability × salience).",
            o.rounds,
            match o.stop_shift {
                Some(t) => format!(", stopping early once no median moves by more than {t}"),
                None => " (no early stop)".into(),
            },
            match o.outcome {
                EumOutcome::Median => "weighted median (BDM's prediction)",
                EumOutcome::Mean => "weighted mean",
            }
        ),
        format!(
            "Status-quo probability Q = {}{}.",
            o.q,
            if o.q < 1.0 {
                match o.t_rule {
                    TRule::Distance => {
                        "; T = 1 when the actor is closer to the median than to its target"
                    }
                    TRule::Better => "; T = 1 (things get better without a challenge)",
                    TRule::Worse => "; T = 0 (things get worse without a challenge)",
                }
            } else {
                " (T plays no role)"
            }
        ),
    ];
    a.push(
        match o.probability {
            ProbDenominator::AllPairs => {
                "P(i,j) = support for xᵢ over xⱼ divided by the summed |vote| of every voter \
                 over all ordered pairs of actors' positions (Scholz's code, not eq. 31)"
            }
            ProbDenominator::Pairwise => {
                "P(i,j) = support for xᵢ over xⱼ divided by the summed |vote| of every voter \
                 on that pair (eq. 31, P(i,j) + P(j,i) = 1)"
            }
        }
        .to_string()
            + match o.voter_risk {
                VoterRisk::Own => "; each voter's distances are raised to its own risk exponent.",
                VoterRisk::Neutral => "; voters are risk neutral (exponent 1).",
            },
    );
    a.push(
        match o.perspective {
            Perspective::Perceiver => {
                "Both E(U_ij) and E(U_ji) are priced with the deciding actor i's risk exponent \
                 (Scholz's code)."
            }
            Perspective::Own => {
                "E(U_ij) is priced with rᵢ and E(U_ji) with rⱼ (each actor's own exponent)."
            }
        }
        .into(),
    );
    a.push(
        match o.security {
            Security::ResetRisk => {
                "Risk: every exponent is reset to 1, Secᵢ = Σⱼ E(U_ji) is computed, then \
                 rᵢ = (1 − Rᵢ/3)/(1 + Rᵢ/3) with Rᵢ = (2Secᵢ − max − min)/(max − min), each \
                 round (Scholz step 1 and code)."
            }
            Security::TargetPerspective => {
                "Risk: Secᵢ = Σⱼ E^i(U_ji) priced with the target i's previous-round exponent \
                 (superscript as printed), then rᵢ = (1 − Rᵢ/3)/(1 + Rᵢ/3)."
            }
            Security::ChallengerPerspective => {
                "Risk: Secᵢ = Σⱼ E^j(U_ji) priced with each challenger j's previous-round \
                 exponent (as in the prose), then rᵢ = (1 − Rᵢ/3)/(1 + Rᵢ/3)."
            }
        }
        .to_string()
            + " When every Sec is equal, Rᵢ = 0 (r = 1).",
    );
    a.push(
        match o.range {
            RangeRule::InitialPositions => {
                "R = max − min of the initial positions on the dimension, fixed for the run \
                 (Scholz's code)."
            }
            RangeRule::CurrentPositions => {
                "R = max − min of the current positions, recomputed every round."
            }
            RangeRule::Scale => "R = the width of the dimension's scale.",
        }
        .into(),
    );
    a.push(
        match o.capitulation {
            Capitulation::Never => {
                "Capitulation (b > 0 > a with b ≤ |a|) never happens, as in Scholz's code."
            }
            Capitulation::WhenOutweighed => {
                "Capitulation: when b > 0 > a and b ≤ |a| the actor moves fully to xⱼ."
            }
        }
        .into(),
    );
    a.push(
        match o.offer_choice {
            OfferChoice::ScholzCode => {
                "Offers: a lost confrontation beats a compromise, which beats a capitulation; \
                 among confrontations/capitulations the least move wins, among compromises \
                 the lowest (|a|·xᵢ + |b|·xⱼ)/(|a| + |b|) (Scholz's code); ties go to the \
                 lower position."
            }
            OfferChoice::LeastMovement => {
                "Offers: a lost confrontation beats a compromise, which beats a capitulation; \
                 within a category the least move wins; ties go to the lower position."
            }
        }
        .into(),
    );
    a.push(
        "Positions closer than 1e-12·R count as one position: actors there do not \
         challenge each other and P = 0 between them; if no voter's weight separates two \
         positions, P = 0.5."
            .into(),
    );
    a.push(
        "Converged means: with an early-stop threshold, that it fired; otherwise that the \
         last round moved nobody. Scholz: results need not stabilise."
            .into(),
    );
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The merged column equals the sorted column bit for bit, with ties,
    /// equal positions and exponents ≠ 1 (the losses the model computes).
    #[test]
    fn merged_columns_are_the_sorted_columns() {
        let mut next = crate::simd::uniforms(0xe0e0_u64);
        for n in 1..24 {
            for _ in 0..50 {
                let x: Vec<f64> = (0..n).map(|_| (next() * 9.0).floor() * 12.5).collect();
                let e: Vec<f64> = (0..n).map(|_| 0.5 + 1.5 * next()).collect();
                let by_pos = by_position(&x);
                for k in 0..n {
                    let loss = |a: usize| powr((x[k] - x[a]).abs() / 100.0, e[k]);
                    let mut want: Vec<f64> = (0..n).map(loss).collect();
                    want.sort_by(f64::total_cmp);
                    // The merge alone, without the fallback sort.
                    let mut got = vec![0.0; n];
                    let mut order = vec![0; n];
                    merge_walks(&by_pos, k, loss, &mut got, &mut order);
                    // The order names the actors whose losses the slots hold.
                    let mut actors = order.clone();
                    actors.sort();
                    assert_eq!(actors, (0..n).collect::<Vec<_>>());
                    assert!(order
                        .iter()
                        .zip(&got)
                        .all(|(&a, v)| loss(a).to_bits() == v.to_bits()));
                    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                    assert_eq!(bits(&want), bits(&got), "n {n} voter {k}");
                }
            }
        }
    }

    /// The table as first written: position-major losses, one power per
    /// entry, each column sorted, each pair through `support`.
    fn probabilities_reference(d: &DimState, o: &EumOptions, exps: &[f64], range: f64) -> Vec<f64> {
        let n = d.x.len();
        let mut y = vec![0.0; n * n];
        for k in 0..n {
            let e = match o.voter_risk {
                VoterRisk::Own => exps[k],
                VoterRisk::Neutral => 1.0,
            };
            for a in 0..n {
                y[a * n + k] = powr((d.x[k] - d.x[a]).abs() / range, e);
            }
        }
        let all_pairs = (o.probability == ProbDenominator::AllPairs).then(|| {
            let mut total = 0.0;
            for k in (0..n).filter(|&k| d.w[k] != 0.0) {
                let mut col: Vec<f64> = (0..n).map(|a| y[a * n + k]).collect();
                col.sort_by(f64::total_cmp);
                let sum: f64 = col
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (2.0 * i as f64 - n as f64 + 1.0) * v)
                    .sum();
                total += d.w[k] * 2.0 * sum;
            }
            total
        });
        let mut p = vec![0.0; n * n];
        for i in 0..n {
            for j in (i + 1)..n {
                if same(d.x[i], d.x[j], range) {
                    continue;
                }
                let (fi, fj) = support(&d.w, &y[i * n..(i + 1) * n], &y[j * n..(j + 1) * n]);
                let den = all_pairs.unwrap_or(fi + fj);
                let (a, b) = if den > 0.0 {
                    (fi / den, fj / den)
                } else {
                    (0.5, 0.5)
                };
                p[i * n + j] = a;
                p[j * n + i] = b;
            }
        }
        p
    }

    /// The lane-parallel probability table (widest unit and baseline
    /// build) equals the reference bit for bit: both denominators, both
    /// voter-risk rules, equal positions, zero weights, 1 to 25 actors.
    #[test]
    fn lane_probability_table_is_the_reference_bit_for_bit() {
        let mut next = crate::simd::uniforms(0x7ab1e_u64);
        let (mut work, mut table) = (TableWork::default(), ProbTable::default());
        for n in 1..26 {
            for rep in 0..12 {
                let x: Vec<f64> = (0..n)
                    .map(|_| {
                        (next() * 7.0).floor() * 15.0 + if rep % 2 == 0 { 0.0 } else { next() }
                    })
                    .collect();
                let d = DimState {
                    r: vec![1.0; n],
                    w: (0..n)
                        .map(|_| if next() < 0.15 { 0.0 } else { 50.0 * next() })
                        .collect(),
                    s: vec![1.0; n],
                    fixed_range: None,
                    settled: false,
                    work: RoundWork::default(),
                    x,
                };
                let exps: Vec<f64> = (0..n).map(|_| 0.5 + 1.5 * next()).collect();
                let range = span(&d.x).max(1.0);
                for probability in [ProbDenominator::AllPairs, ProbDenominator::Pairwise] {
                    for voter_risk in [VoterRisk::Own, VoterRisk::Neutral] {
                        let o = EumOptions {
                            probability,
                            voter_risk,
                            ..EumOptions::default()
                        };
                        let want = probabilities_reference(&d, &o, &exps, range);
                        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                        let by_pos = by_position(&d.x);
                        let widest = prob_table(&d, &o, &exps, range, &by_pos).p;
                        // The baseline build, into buffers last used for
                        // other actors and other options.
                        prob_table_kernel(&d, &o, &exps, range, &by_pos, &mut work, &mut table);
                        let baseline = table.p.clone();
                        assert_eq!(
                            bits(&want),
                            bits(&widest),
                            "n {n} rep {rep} {probability:?} {voter_risk:?}"
                        );
                        assert_eq!(
                            bits(&want),
                            bits(&baseline),
                            "n {n} rep {rep} {probability:?} {voter_risk:?}"
                        );
                    }
                }
            }
        }
    }

    /// The security levels with the targets as lanes (widest vector unit
    /// and baseline build) equal the pair-by-pair definition bit for bit,
    /// on states with repeated positions, zero and full saliences, and
    /// both probability denominators.
    #[test]
    fn lane_security_levels_are_the_definition_bit_for_bit() {
        let mut next = crate::simd::uniforms(0x5ec_u64);
        let mut checked = 0;
        for rep in 0..200 {
            let n = 2 + rep % 23;
            let problem = Problem::new(
                (0..n).map(|i| format!("a{i}")).collect(),
                (0..n).map(|_| 1.0 + 99.0 * next()).collect(),
                vec![crate::Dimension {
                    name: "d".into(),
                    min: 0.0,
                    max: 100.0,
                }],
                (0..n)
                    .map(|_| vec![(next() * 9.0).floor() * 12.5])
                    .collect(),
                (0..n).map(|_| vec![[0.0, 1.0, next()][rep % 3]]).collect(),
            )
            .unwrap();
            for probability in [ProbDenominator::AllPairs, ProbDenominator::Pairwise] {
                let o = EumOptions {
                    probability,
                    ..EumOptions::default()
                };
                let mut d = DimState::new(&problem, &o, 0);
                // Risk exponents away from 1, as after a first round.
                d.r = (0..n).map(|_| 0.5 + 1.5 * next()).collect();
                let range = d.fixed_range.unwrap_or_else(|| span(&d.x));
                if range <= 0.0 {
                    continue;
                }
                let by_pos = by_position(&d.x);
                let ones = vec![1.0; n];
                let p = prob_table(&d, &o, &ones, range, &by_pos);
                let mu = Some(weighted_median(&d.x, &d.w));
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                let want = bits(&d.security_levels(&o, &p, &ones, mu, range));
                let mut work = SecurityWork::default();
                assert_eq!(
                    want,
                    bits(&security_reset_lanes(&d, &p, range, &by_pos, &mut work)),
                    "widest, rep {rep}"
                );
                assert_eq!(
                    want,
                    bits(&security_reset_kernel(&d, &p, range, &by_pos, &mut work)),
                    "baseline, rep {rep}"
                );
                checked += 1;
            }
        }
        assert!(checked > 300, "only {checked} states had a range");
    }

    /// Skipping settled dimensions changes nothing: the last positions, the
    /// rounds' records and the convergence flag are those of playing every
    /// round, bit for bit, for every security rule, both values of q and
    /// both stopping rules, on problems where most dimensions settle early
    /// (positions on a coarse grid). The test also checks that dimensions
    /// did settle, so that the skip was exercised.
    #[test]
    fn skipping_settled_dimensions_changes_nothing() {
        let mut next = crate::simd::uniforms(0x5e771e_u64);
        let mut settled_early = 0;
        for rep in 0..120 {
            let (n, k) = (2 + rep % 9, 1 + rep % 3);
            let problem = Problem::new(
                (0..n).map(|i| format!("a{i}")).collect(),
                (0..n).map(|_| 1.0 + 99.0 * next()).collect(),
                (0..k)
                    .map(|d| crate::Dimension {
                        name: format!("d{d}"),
                        min: 0.0,
                        max: 100.0,
                    })
                    .collect(),
                (0..n)
                    .map(|_| (0..k).map(|_| (next() * 5.0).floor() * 25.0).collect())
                    .collect(),
                (0..n).map(|_| (0..k).map(|_| next()).collect()).collect(),
            )
            .unwrap();
            for security in [
                Security::ResetRisk,
                Security::TargetPerspective,
                Security::ChallengerPerspective,
            ] {
                for (q, stop_shift) in [(1.0, None), (0.5, None), (1.0, Some(1e-9))] {
                    let o = EumOptions {
                        rounds: 25,
                        security,
                        q,
                        stop_shift,
                        ..EumOptions::default()
                    };
                    let initial = stats(&problem, problem.position());
                    let want = play_rounds(&problem, &o, &initial, true, false);
                    let got = play_rounds(&problem, &o, &initial, true, true);
                    let bits = |v: &[Vec<f64>]| {
                        v.iter()
                            .flat_map(|p| p.iter().map(|x| x.to_bits()))
                            .collect::<Vec<_>>()
                    };
                    let case = format!("rep {rep} {security:?} q {q} {stop_shift:?}");
                    assert_eq!(bits(&want.last), bits(&got.last), "{case}");
                    assert_eq!(want.converged, got.converged, "{case}");
                    assert_eq!(want.rounds.len(), got.rounds.len(), "{case}");
                    for (a, b) in want.rounds.iter().zip(&got.rounds) {
                        assert_eq!(bits(&a.positions), bits(&b.positions), "{case}");
                    }
                    // The lean path skips the same way.
                    let lean = play_rounds(&problem, &o, &initial, false, true);
                    assert_eq!(bits(&want.last), bits(&lean.last), "{case}");
                    // A dimension settled before the last round: the rounds
                    // after it repeat its positions.
                    let settled = |rounds: &[Round]| {
                        rounds.len() >= 2
                            && rounds[rounds.len() - 2].positions
                                == rounds[rounds.len() - 1].positions
                    };
                    if settled(&want.rounds) {
                        settled_early += 1;
                    }
                }
            }
        }
        assert!(
            settled_early > 100,
            "only {settled_early} runs settled early"
        );
    }

    /// The two inequalities the no-offer screen rests on, on a fine grid of
    /// exponents r ∈ [0.5, 2] and distances d ∈ [1e-6, 1] (u = (1+d)/2,
    /// v = (1−d)/2): `4(u^r − v^r) ≥ 2d`, and
    /// `(0.5^r − v^r)/(u^r − v^r) ≤ max(0.5, 0.5^r)` up to rounding (the
    /// screen's margin is 1e-3).
    #[test]
    fn the_no_offer_bounds_hold() {
        for ri in 0..=600 {
            let r = 0.5 + 1.5 * ri as f64 / 600.0;
            for di in 0..=1200 {
                let d = 10f64.powf(-6.0 + 6.0 * di as f64 / 1200.0);
                let (u, v) = ((1.0 + d) / 2.0, (1.0 - d) / 2.0);
                let gap = u.powf(r) - v.powf(r);
                assert!(4.0 * gap >= 2.0 * d, "r {r} d {d}");
                let t = (0.5f64.powf(r) - v.powf(r)) / gap;
                assert!(t <= 0.5f64.powf(r).max(0.5) + 1e-6, "r {r} d {d}: t {t}");
            }
        }
    }

    /// A dimension's state of `n` actors for the screen's tests, drawn
    /// from `next`: positions on a coarse grid, uniform, or in three
    /// clusters `tiny` wide (by `rep` mod 3), an exponent per actor from
    /// `exponent`, weights, and saliences 0, 1 or uniform.
    fn screen_state(
        (n, rep, tiny): (usize, usize, f64),
        next: &mut impl FnMut() -> f64,
        exponent: impl Fn(&mut dyn FnMut() -> f64) -> f64,
    ) -> DimState {
        let x = (0..n)
            .map(|_| match rep % 3 {
                0 => (next() * 6.0).floor() * 20.0,
                1 => 100.0 * next(),
                _ => (next() * 3.0).floor() * 40.0 + tiny * next(),
            })
            .collect();
        let r = (0..n).map(|_| exponent(next)).collect();
        let w = (0..n).map(|_| 50.0 * next()).collect();
        let s = (0..n)
            .map(|_| match (next() * 8.0) as usize {
                0 => 1.0,
                1 => 0.0,
                _ => next(),
            })
            .collect();
        DimState {
            r,
            w,
            s,
            fixed_range: None,
            settled: false,
            work: RoundWork::default(),
            x,
        }
    }

    /// The offers' utilities as lanes are `success_failure` target by
    /// target, bit for bit: any number of targets (padded blocks), equal
    /// and extreme distances (0.5 − 0.5d clamped at 0), exponent 1 and
    /// others.
    #[test]
    fn success_failure_rows_are_the_scalar_utilities() {
        let mut next = crate::simd::uniforms(0x5f5f);
        let mut out = Vec::new();
        for n in 1..30 {
            for rep in 0..20 {
                let x: Vec<f64> = (0..n)
                    .map(|_| {
                        if rep % 2 == 0 {
                            (next() * 5.0).floor() * 25.0
                        } else {
                            next() * 100.0
                        }
                    })
                    .collect();
                let range = if rep % 3 == 0 {
                    100.0
                } else {
                    span(&x).max(1.0)
                };
                let e = if rep % 5 == 0 {
                    1.0
                } else {
                    0.5 + 1.5 * next()
                };
                let i = (next() * n as f64) as usize;
                let targets: Vec<usize> = (0..n).filter(|_| next() < 0.7).collect();
                success_failure_row(&x, i, &targets, e, range, &mut out);
                let m = targets.len();
                for (t, &j) in targets.iter().enumerate() {
                    let (us, uf) = success_failure((x[i] - x[j]).abs() / range, e);
                    assert_eq!(
                        (out[t].to_bits(), out[m + t].to_bits()),
                        (us.to_bits(), uf.to_bits()),
                        "n {n} rep {rep} target {j}"
                    );
                }
            }
        }
    }

    /// The round's lanes ([`offer_candidates`]) keep exactly the targets
    /// that are not at i's position and that [`DimState::no_offer`] does
    /// not screen out, in order of position: random states with coarse,
    /// fine and near positions, exponents inside and outside the screen's
    /// range, both capitulation rules and both denominators.
    #[test]
    fn offer_candidates_are_the_pairs_the_screen_keeps() {
        let mut next = crate::simd::uniforms(0x5c2e_u64);
        let (mut kept, mut visited) = (0usize, 0usize);
        for n in 2..26 {
            for rep in 0..40 {
                // Exponents outside [0.5, 2] too, where the screen keeps
                // every pair.
                let d = screen_state((n, rep, 1e-10), &mut next, |next| {
                    match (next() * 10.0) as usize {
                        0 => 0.5,
                        1 => 2.0,
                        2 => 0.3,
                        3 => 2.5,
                        _ => 0.5 + 1.5 * next(),
                    }
                });
                let range = span(&d.x);
                if range <= 0.0 {
                    continue;
                }
                let by_pos = by_position(&d.x);
                let mut w = ScreenWork::default();
                for capitulation in [Capitulation::Never, Capitulation::WhenOutweighed] {
                    for probability in [ProbDenominator::AllPairs, ProbDenominator::Pairwise] {
                        let o = EumOptions {
                            probability,
                            capitulation,
                            ..EumOptions::default()
                        };
                        let p = prob_table(&d, &o, &d.r, range, &by_pos);
                        for i in 0..n {
                            let usq_i = 2.0 - 4.0 * half_pow(d.r[i]);
                            let scalar: Vec<usize> = by_pos
                                .iter()
                                .copied()
                                .filter(|&j| {
                                    let dij = (d.x[i] - d.x[j]).abs() / range;
                                    !same(d.x[j], d.x[i], range)
                                        && !d.no_offer(&p, i, j, dij, usq_i, capitulation)
                                })
                                .collect();
                            offer_candidates(
                                &d,
                                &p,
                                i,
                                usq_i,
                                capitulation,
                                range,
                                &by_pos,
                                &mut w,
                            );
                            assert_eq!(w.targets, scalar, "n {n} rep {rep} {o:?} i {i}");
                            kept += scalar.len();
                            visited += n;
                        }
                    }
                }
            }
        }
        // Both outcomes occur often.
        assert!(
            kept * 5 > visited && kept * 5 < 4 * visited,
            "{kept} of {visited} kept"
        );
    }

    /// Wherever the screen says j makes i no offer, the full computation
    /// agrees: no kind of offer's condition holds (confrontation
    /// b > a > 0, compromise b > 0 > a with b > −a, and, where an
    /// outweighed actor capitulates, any b > 0 > a; a = E(U_ij),
    /// b = E(U_ji)). Random states with exponents across [0.5, 2] (its ends
    /// included), saliences across [0, 1], coarse, fine and tiny distances,
    /// both denominators, both capitulation rules; each of the screen's
    /// three tests must also fire for a good share of the pairs.
    #[test]
    fn screened_pairs_make_no_offer() {
        let mut next = crate::simd::uniforms(0x0ffe_u64);
        let (mut fired, mut pairs, mut below_zero) = (0usize, 0usize, 0usize);
        let mut sum_test = 0usize;
        for n in 2..20 {
            for rep in 0..30 {
                let d = screen_state((n, rep, 1e-4), &mut next, |next| {
                    match (next() * 8.0) as usize {
                        0 => 0.5,
                        1 => 2.0,
                        _ => 0.5 + 1.5 * next(),
                    }
                });
                let range = span(&d.x);
                if range <= 0.0 {
                    continue;
                }
                let rules = [Capitulation::Never, Capitulation::WhenOutweighed];
                let denominators = [ProbDenominator::AllPairs, ProbDenominator::Pairwise];
                for (capitulation, probability) in
                    rules.into_iter().flat_map(|c| denominators.map(|p| (c, p)))
                {
                    let o = EumOptions {
                        probability,
                        capitulation,
                        ..EumOptions::default()
                    };
                    assert!(no_offer_screen_applies(&o, &d.s));
                    let by_pos = by_position(&d.x);
                    let p = prob_table(&d, &o, &d.r, range, &by_pos);
                    let mu = Some(weighted_median(&d.x, &d.w));
                    for i in 0..n {
                        for j in (0..n).filter(|&j| !same(d.x[i], d.x[j], range)) {
                            pairs += 1;
                            let usq_i = 2.0 - 4.0 * half_pow(d.r[i]);
                            let dij = (d.x[i] - d.x[j]).abs() / range;
                            if !d.no_offer(&p, i, j, dij, usq_i, capitulation) {
                                continue;
                            }
                            fired += 1;
                            let e = d.r[i];
                            let a = d.eu(&o, &p, i, j, e, mu, range);
                            let b = d.eu(&o, &p, j, i, e, mu, range);
                            // Without the third test (capitulation) only
                            // the second stops b > a; with it, only the
                            // third stops b > a and b > 0.
                            if b > a && capitulation == Capitulation::WhenOutweighed {
                                below_zero += 1;
                            }
                            if b > a && b > 0.0 {
                                sum_test += 1;
                            }
                            let at = format!("n {n} rep {rep} {o:?} i {i} j {j}: a {a} b {b}");
                            assert!(!(b > a && a > 0.0), "confrontation, {at}");
                            assert!(!(b > 0.0 && a < 0.0 && b > -a), "compromise, {at}");
                            if capitulation == Capitulation::WhenOutweighed {
                                assert!(!(b > 0.0 && a < 0.0), "capitulation, {at}");
                            }
                        }
                    }
                }
            }
        }
        assert!(
            fired * 3 > pairs,
            "the screen fired for only {fired} of {pairs} pairs"
        );
        // The second test (b < 0 although b > a) fired too (`pairs` counts
        // both capitulation rules, `below_zero` one).
        assert!(
            below_zero * 80 > pairs,
            "the second test fired for only {below_zero} of {pairs} pairs"
        );
        // And the third (a + b < 0 although b > a and b > 0).
        assert!(
            sum_test * 100 > pairs,
            "the third test fired for only {sum_test} of {pairs} pairs"
        );
    }

    /// A loss that is not monotone in the distance is still sorted (the
    /// merge alone would not be).
    #[test]
    fn a_non_monotone_loss_falls_back_to_sorting() {
        let by_pos = [0, 1, 2, 3];
        let loss = |a: usize| [0.0, 5.0, 1.0, 2.0][a];
        let (mut merged, mut order) = ([0.0; 4], [0; 4]);
        merge_walks(&by_pos, 0, loss, &mut merged, &mut order);
        assert_eq!(merged, [0.0, 5.0, 1.0, 2.0]);
        let mut out = [0.0; 4];
        sorted_column(&by_pos, 0, loss, &mut out, &mut order);
        assert_eq!(out, [0.0, 1.0, 2.0, 5.0]);
    }
}
