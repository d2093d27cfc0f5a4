//! KTAB-style Spatial Model of Politics (SMP): each turn, every actor
//! challenges the target with the best expected gain, the pair's bargain is
//! interpolated, and every actor adopts the bargain that wins a
//! Probabilistic Condorcet Election in its own queue; stop when a turn moves
//! less than 2 % of the first turn's movement.
//!
//! The algorithm follows KTAB's `smp` (KAPSARC, MIT licence) as described in
//! the research notes; positions are mapped from each dimension's
//! `[min, max]` onto `[0, 1]` (KTAB divides 0–100 scales by 100), so for
//! 0–100 scales the arithmetic is KTAB's. [`simulate`] returns the full
//! trace (risk attitudes, challenges, bargains, choices, position
//! probabilities per turn); [`run`] summarises it as a [`Forecast`].

mod params;
mod pce;
mod turn;

pub use params::*;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::stats::{cs_weights, stats, unit_capabilities, weighted_mean, weighted_median};
use crate::{Forecast, Problem, Round, SmpOptions, SpatialError};
use turn::{Actors, Pos};

/// Largest number of actors accepted (KTAB's limit; work per turn grows as
/// N³).
pub const MAX_ACTORS: usize = 250;
/// Guard added to the first turn's movement in the stopping rule.
const MIN_SIG_DELTA: f64 = 1e-4;

/// An actor's chosen challenge in one turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmpChallenge {
    /// Index of the target actor.
    pub target: usize,
    /// The initiator's estimate of the probability that it beats the target.
    pub prob: f64,
    /// The initiator's expected utility gain from the challenge.
    pub gain: f64,
}

/// A proposed bargain (positions on the problem's scales).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmpBargain {
    pub initiator: usize,
    pub receiver: usize,
    /// Position proposed for the initiator, per dimension.
    pub initiator_position: Vec<f64>,
    /// Position proposed for the receiver, per dimension.
    pub receiver_position: Vec<f64>,
}

/// What happened in one turn (from state `turn` to state `turn + 1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmpTurn {
    /// 0-based index of the state the moves start from.
    pub turn: usize,
    /// Risk attitude of each actor in that state, in KTAB's range.
    pub risk: Vec<f64>,
    /// Probability that each actor's position (with the positions within
    /// 1e−3 of it on the unit scale) is the outcome, in that state
    /// (KTAB's "winning probabilities").
    pub position_prob: Vec<f64>,
    /// Each actor's challenge, or None if no target promised a gain.
    pub challenges: Vec<Option<SmpChallenge>>,
    /// Every bargain proposed this turn, in initiator order.
    pub bargains: Vec<SmpBargain>,
    /// Per actor: index into `bargains` of the one it adopted, or None.
    pub chosen: Vec<Option<usize>>,
    /// Σ over actors of the Euclidean distance moved (unit scale).
    pub movement: f64,
    /// `movement / (first turn's movement + 1e−4)`.
    pub ratio: f64,
}

/// The full trace of an SMP run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmpRun {
    /// Seed used by stochastic options (unused when deterministic).
    pub seed: u64,
    /// `[state][actor][dimension]` on the problem's scales; state 0 is the
    /// input, state t is after t turns.
    pub states: Vec<Vec<Vec<f64>>>,
    pub turns: Vec<SmpTurn>,
    /// Position probabilities in the final state (as in [`SmpTurn`]).
    pub final_prob: Vec<f64>,
    /// The distinct final positions (problem scales) with their
    /// probabilities of prevailing, in lexicographic order of position.
    pub final_outcomes: Vec<(Vec<f64>, f64)>,
    /// Whether the 2 % rule fired (false: stopped at `max_rounds`).
    pub converged: bool,
    /// Actors whose saliences were scaled down to sum to 1.
    pub normalised: Vec<usize>,
}

struct Scaled {
    actors: Actors,
    x0: Vec<f64>,
    normalised: Vec<usize>,
}

fn check(problem: &Problem, o: &SmpOptions) -> Result<Scaled, SpatialError> {
    let opt = |option: &str, message: String| SpatialError::Option {
        option: option.into(),
        message,
    };
    let n = problem.n_actors();
    if n > MAX_ACTORS {
        return Err(opt(
            "actors",
            format!(
                "the SMP accepts at most {MAX_ACTORS} actors (work per turn grows as N³), got {n}"
            ),
        ));
    }
    if o.max_rounds == 0 || o.max_rounds > 10_000 {
        return Err(opt(
            "max_rounds",
            format!("expected 1..=10000, got {}", o.max_rounds),
        ));
    }
    if !(o.stop_ratio.is_finite() && o.stop_ratio >= 0.0) {
        return Err(opt(
            "stop_ratio",
            format!("expected a finite value ≥ 0, got {}", o.stop_ratio),
        ));
    }
    let k = problem.n_dims();
    let mut sal = Vec::with_capacity(n * k);
    let mut normalised = Vec::new();
    for (i, row) in problem.salience().iter().enumerate() {
        let tot: f64 = row.iter().sum();
        if tot > 1.0 + 1e-9 {
            if !o.normalise_salience {
                return Err(SpatialError::Actor {
                    actor: problem.actors()[i].clone(),
                    message: format!(
                        "saliences sum to {tot}, the SMP needs a total ≤ 1 (or normalise_salience)"
                    ),
                });
            }
            normalised.push(i);
            sal.extend(row.iter().map(|s| s / tot));
        } else {
            sal.extend(row.iter().copied());
        }
    }
    let sal_tot = (0..n)
        .map(|i| sal[i * k..(i + 1) * k].iter().sum())
        .collect();
    let sal_sq = (0..n)
        .map(|i| sal[i * k..(i + 1) * k].iter().map(|s| s * s).sum())
        .collect();
    let dims = problem.dims();
    let mut x0 = Vec::with_capacity(n * k);
    for row in problem.position() {
        for (d, &v) in dims.iter().zip(row) {
            x0.push((v - d.min) / (d.max - d.min));
        }
    }
    // Capabilities in units that make KTAB's absolute guards relative (see
    // `unit_capabilities`), unless KTAB's absolute reading is asked for.
    let cap = if o.absolute_guards {
        problem.capability().to_vec()
    } else {
        unit_capabilities(problem)
    };
    let weight = (0..n).map(|i| sal_tot_of(&sal, k, i) * cap[i]).collect();
    let unit = if o.absolute_guards {
        1.0
    } else {
        cap.iter().copied().fold(0.0, f64::max) / 100.0
    };
    Ok(Scaled {
        actors: Actors {
            n,
            k,
            cap,
            sal,
            sal_tot,
            sal_sq,
            weight,
            unit,
        },
        x0,
        normalised,
    })
}

fn sal_tot_of(sal: &[f64], k: usize, i: usize) -> f64 {
    sal[i * k..(i + 1) * k].iter().sum()
}

fn unscale(problem: &Problem, x: &Pos) -> Vec<Vec<f64>> {
    let dims = problem.dims();
    x.chunks(dims.len())
        .map(|row| {
            row.iter()
                .zip(dims)
                .map(|(&u, d)| d.min + u * (d.max - d.min))
                .collect()
        })
        .collect()
}

fn state_dist(a: &Actors, x: &Pos, y: &Pos) -> f64 {
    x.chunks(a.k)
        .zip(y.chunks(a.k))
        .map(|(p, q)| {
            p.iter()
                .zip(q)
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>()
                .sqrt()
        })
        .sum()
}

/// Runs the SMP and returns every turn.
pub fn simulate(problem: &Problem, o: &SmpOptions) -> Result<SmpRun, SpatialError> {
    drive(problem, o, true)
}

/// Buffers of a run: the assessment, the turn's scratch and its result.
/// Every buffer is resized or refilled before it is read (the turn and
/// assessment reuse them from turn to turn already), so a run may start
/// on a previous run's buffers, of any size: no effect on any number.
#[derive(Default)]
struct RunWork {
    assessment: turn::Assessment,
    scratch: turn::Scratch,
    turn: turn::TurnResult,
}

thread_local! {
    /// Each thread's [`RunWork`] between runs, so that a sweep's thousands
    /// of runs do not allocate their buffers anew.
    static RUN_WORK: std::cell::Cell<Option<Box<RunWork>>> = const { std::cell::Cell::new(None) };
}

/// The SMP's run; with `trace` false only what the forecast needs is kept
/// (the first and last states and the final position probabilities: no
/// per-turn records, no per-turn position probabilities). The arithmetic of
/// the turns is the same either way, so the final state is the same bit for
/// bit.
fn drive(problem: &Problem, o: &SmpOptions, trace: bool) -> Result<SmpRun, SpatialError> {
    let Scaled {
        actors,
        x0,
        normalised,
    } = check(problem, o)?;
    let mut rng = ChaCha8Rng::seed_from_u64(o.seed);
    let mut x = x0;
    let mut states = vec![unscale(problem, &x)];
    let mut turns: Vec<SmpTurn> = Vec::new();
    let mut first = 0.0;
    let mut converged = false;
    // This thread's buffers from its last run (or new ones); they are put
    // back when the run ends.
    let mut work = RUN_WORK.take().unwrap_or_default();
    let RunWork {
        assessment,
        scratch,
        turn: t,
    } = &mut *work;
    turn::assess_into(&actors, &x, o, assessment);
    for iter in 1..=o.max_rounds {
        let position_prob = if trace {
            turn::position_probs(&actors, &x, assessment, o).0
        } else {
            Vec::new()
        };
        turn::step(&actors, &x, assessment, o, &mut rng, scratch, t);
        let movement = state_dist(&actors, &x, &t.next);
        if iter == 1 {
            first = movement + MIN_SIG_DELTA;
        }
        let ratio = movement / first;
        if trace {
            turns.push(SmpTurn {
                turn: iter - 1,
                risk: t.risk.clone(),
                position_prob,
                challenges: t
                    .challenges
                    .iter()
                    .map(|c| {
                        c.map(|c| SmpChallenge {
                            target: c.target,
                            prob: c.prob,
                            gain: c.gain,
                        })
                    })
                    .collect(),
                bargains: t
                    .bargains
                    .iter()
                    .map(|b| SmpBargain {
                        initiator: b.init,
                        receiver: b.rcvr,
                        initiator_position: unscale(problem, &b.pos_init).remove(0),
                        receiver_position: unscale(problem, &b.pos_rcvr).remove(0),
                    })
                    .collect(),
                chosen: t.chosen.clone(),
                movement,
                ratio,
            });
        }
        // The new positions in place; the old ones' buffer is refilled
        // by the next turn.
        std::mem::swap(&mut x, &mut t.next);
        if trace {
            states.push(unscale(problem, &x));
        }
        turn::assess_into(&actors, &x, o, assessment);
        if iter >= o.min_rounds && ratio < o.stop_ratio {
            converged = true;
            break;
        }
    }
    if !trace {
        states.push(unscale(problem, &x));
    }
    let (final_prob, uniq, probs) = turn::position_probs(&actors, &x, assessment, o);
    RUN_WORK.set(Some(work));
    let last = states.last().expect("state 0 always exists");
    let final_outcomes = uniq
        .iter()
        .zip(probs)
        .map(|(&u, p)| (last[u].clone(), p))
        .collect();
    Ok(SmpRun {
        seed: o.seed,
        states,
        turns,
        final_prob,
        final_outcomes,
        converged,
        normalised,
    })
}

/// Only the forecast of [`run`] (bit for bit the same numbers), without
/// the trace, the rounds or the assumptions: for sweeps that run the model
/// thousands of times.
pub fn forecast(problem: &Problem, o: &SmpOptions) -> Result<Vec<f64>, SpatialError> {
    let trace = drive(problem, o, false)?;
    Ok(outcome(problem, o, &trace))
}

/// Runs the SMP and reports the forecast chosen by `SmpOptions::outcome`.
pub fn run(problem: &Problem, o: &SmpOptions) -> Result<Forecast, SpatialError> {
    let trace = simulate(problem, o)?;
    let forecast = outcome(problem, o, &trace);
    let rounds = trace
        .states
        .iter()
        .enumerate()
        .skip(1)
        .map(|(t, pos)| Round {
            round: t,
            positions: pos.clone(),
            stats: stats(problem, pos),
        })
        .collect();
    Ok(Forecast {
        model: "smp".into(),
        forecast,
        initial: stats(problem, problem.position()),
        rounds,
        converged: trace.converged,
        assumptions: assumptions(problem, o, &trace),
    })
}

/// The forecast per dimension from the final state.
fn outcome(problem: &Problem, o: &SmpOptions, trace: &SmpRun) -> Vec<f64> {
    let last = trace.states.last().expect("state 0 always exists");
    let k = problem.n_dims();
    let weights = |d: usize| -> Vec<f64> { cs_weights(problem, d) };
    let column = |d: usize| -> Vec<f64> { last.iter().map(|p| p[d]).collect() };
    match o.outcome {
        SmpOutcome::FinalMedian => (0..k)
            .map(|d| weighted_median(&column(d), &weights(d)))
            .collect(),
        SmpOutcome::FinalMean => (0..k)
            .map(|d| weighted_mean(&column(d), &weights(d)))
            .collect(),
        SmpOutcome::MostProbable => {
            let mut best = &trace.final_outcomes[0];
            for c in &trace.final_outcomes[1..] {
                if c.1 > best.1 {
                    best = c;
                }
            }
            best.0.clone()
        }
        SmpOutcome::Expected => {
            let total: f64 = trace.final_outcomes.iter().map(|c| c.1).sum();
            (0..k)
                .map(|d| {
                    trace
                        .final_outcomes
                        .iter()
                        .map(|(x, p)| p * x[d])
                        .sum::<f64>()
                        / total
                })
                .collect()
        }
    }
}

fn assumptions(problem: &Problem, o: &SmpOptions, trace: &SmpRun) -> Vec<String> {
    let mut v = vec![
        "KTAB-style Spatial Model of Politics: each turn every actor challenges the target with \
         the best expected gain (> 1e-5); the pair's bargain is interpolated; each actor adopts \
         the bargain that wins a Probabilistic Condorcet Election (capability-weighted) in its \
         own queue of bargains (its status quo first, then bargains in initiator order)."
            .to_string(),
        format!(
            "Parameters: victory odds {:?}, PCE {:?}, transitions {:?}, voting rule {:?}, \
             BigRAdjust {:?}, BigRRange {:?}, third parties {:?}, interpolation {:?}, \
             bargains {:?} (KTAB defaults: Linear, Conditional, Deterministic, Proportional, \
             OneThird, Mid, SemiCommit, S2P2, InitOnly).",
            o.victory_prob,
            o.pce,
            o.transitions,
            o.voting_rule,
            o.big_r_adjust,
            o.big_r_range,
            o.third_party_commit,
            o.interpolation,
            o.bargain_model
        ),
        "Utility (1 − d)(1 + d·R) of the salience-weighted distance d, positions mapped from \
         each dimension's [min, max] onto [0, 1]; bargains rounded to 4 decimals on that scale \
         (so a position may leave the initial range by at most 5e-5 of the range). Ideals \
         track positions (KTAB's identity accommodation)."
            .to_string(),
        format!(
            "Stopping rule: stop when a turn moves less than {} × (first turn's movement + 1e-4), \
             after at least {} turns; at most {} turns. {} after {} turns.",
            o.stop_ratio,
            o.min_rounds,
            o.max_rounds,
            if trace.converged {
                "Converged"
            } else {
                "Did NOT converge"
            },
            trace.turns.len()
        ),
        match o.outcome {
            SmpOutcome::Expected => "Forecast: KTAB reports no single outcome, only each \
                final position's probability of prevailing (a PCE over the distinct final \
                positions); the forecast is the expected position under those probabilities."
                .to_string(),
            SmpOutcome::MostProbable => "Forecast: the distinct final position with the \
                highest probability of prevailing (KTAB's final-state PCE)."
                .to_string(),
            SmpOutcome::FinalMedian => {
                "Forecast: capability×salience-weighted median of the final positions.".into()
            }
            SmpOutcome::FinalMean => {
                "Forecast: capability×salience-weighted mean of the final positions.".into()
            }
        },
        if o.group_in_input_order {
            "Positions within 1e-3 (unit scale) count as one position, grouped scanning actors \
             in input order (as KTAB)."
                .to_string()
        } else {
            "Positions within 1e-3 (unit scale) count as one position, grouped scanning them in \
             order of position (KTAB scans in input order) so relabelling actors changes nothing."
                .to_string()
        },
        if o.absolute_guards {
            "Capabilities used as given: KTAB's guards (1e-8 on every coalition, 1e-10 on \
             challenge coalitions) are absolute, so the forecast depends on the unit of \
             capability (KTAB-faithful)."
                .to_string()
        } else {
            "Capabilities multiplied by the power of two that brings the largest into [64, 128) \
             (exact; inputs already there are unchanged) and KTAB's guards (1e-8 on every \
             coalition, 1e-10 on challenge coalitions) multiplied by the largest capability / \
             100 — KTAB's own values when the largest capability is 100 — so the unit of \
             capability does not matter."
                .to_string()
        },
        "Zero capability means no vote; an actor with zero total salience is indifferent \
         (distance 0 to every position). Risk attitudes are 0 when all positions are equally \
         probable (KTAB divides by zero there)."
            .to_string(),
    ];
    if matches!(
        o.bargain_model,
        BargainModel::InitRcvr | BargainModel::PowerWeighted
    ) {
        v.push(
            "The receiver's bargain uses its estimate of the victory probability and the \
             power-weighted compromise weighs each side by its own capability × total salience \
             (KTAB's code passes an expected-utility change and the initiator's capability \
             there; we follow its documented intent)."
                .into(),
        );
    }
    if o.transitions == StateTransitions::Stochastic {
        v.push(format!(
            "Stochastic transitions: bargains drawn with their PCE probabilities, ChaCha8 seed {}.",
            trace.seed
        ));
    } else {
        v.push("Deterministic: no randomness used (seed unused).".into());
    }
    if !trace.normalised.is_empty() {
        let names: Vec<&str> = trace
            .normalised
            .iter()
            .map(|&i| problem.actors()[i].as_str())
            .collect();
        v.push(format!(
            "Saliences summing to more than 1 were scaled to sum to 1 for: {}.",
            names.join(", ")
        ));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Dimension;

    /// A thread's spare bargains never outnumber one turn's bargains (at
    /// most two per actor), whatever the bargain model, over many runs.
    #[test]
    fn a_threads_spare_bargains_stay_bounded() {
        let n = 12;
        let p = Problem::new(
            (0..n).map(|i| format!("a{i}")).collect(),
            (0..n).map(|i| 10.0 + i as f64).collect(),
            vec![Dimension {
                name: "d".into(),
                min: 0.0,
                max: 100.0,
            }],
            (0..n).map(|i| vec![(i * 37 % 100) as f64]).collect(),
            (0..n).map(|i| vec![0.3 + 0.05 * (i % 7) as f64]).collect(),
        )
        .unwrap();
        for model in [
            BargainModel::InitOnly,
            BargainModel::InitRcvr,
            BargainModel::PowerWeighted,
        ] {
            let o = SmpOptions {
                bargain_model: model,
                ..SmpOptions::default()
            };
            let mut turns = 0;
            for _ in 0..20 {
                turns += simulate(&p, &o).unwrap().turns.len();
            }
            let work = RUN_WORK.take().expect("a run leaves its buffers");
            let kept = work.turn.bargains_kept();
            RUN_WORK.set(Some(work));
            assert!(turns > 20, "{model:?}: only {turns} turns");
            assert!(kept <= 2 * n, "{model:?}: {kept} bargains kept");
        }
    }
}
