//! Multi-actor (asymmetric) Nash bargaining solution on each dimension:
//! the point maximising Σ wᵢ·log(uᵢ(x) − dᵢ), found exactly by bisection on
//! the derivative of this concave objective.
//!
//! Utilities: with ρ = the dimension's scale width (max − min),
//! * linear: `uᵢ(x) = 1 − sᵢ·|x − xᵢ|/ρ`,
//! * quadratic: `uᵢ(x) = 1 − sᵢ·((x − xᵢ)/ρ)²`.
//!
//! Disagreement point `dᵢ = uᵢ(δ)` where δ is either the status quo (given
//! per dimension in the options) or, per actor, the actor position farthest
//! from its own ("worst position").
//!
//! Because the Nash product is unchanged when one actor's utility gain is
//! multiplied by a constant, an actor's salience cancels out of
//! `log(uᵢ − dᵢ)`; salience can matter only through the weights, hence the
//! default weights cᵢ·sᵢ.

use serde::{Deserialize, Serialize};

use crate::stats::{cs_weights, stats, unit_capabilities, weighted_median};
use crate::{Forecast, NashOptions, Problem, SpatialError};

/// Shape of each actor's utility over one dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NashUtility {
    /// `1 − s·|x − xᵢ|/ρ` (tent-shaped; the objective has kinks at positions).
    #[default]
    Linear,
    /// `1 − s·((x − xᵢ)/ρ)²` (smooth).
    Quadratic,
}

/// What each actor gets if bargaining fails.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disagreement {
    /// Each actor's utility of the actor position farthest from its own.
    #[default]
    WorstPosition,
    /// Every actor's utility of this status quo, one value per dimension
    /// (each within its dimension's scale).
    StatusQuo(Vec<f64>),
}

/// Exponents of the actors' gains in the Nash product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NashWeights {
    /// wᵢ = capability × salience (on the dimension at hand).
    #[default]
    CapabilitySalience,
    /// wᵢ = capability (asymmetric Nash with capability weights).
    Capability,
    /// wᵢ = 1 (the symmetric Nash bargaining solution).
    Equal,
}

/// One actor's terms on one dimension: weight, ideal point and the
/// normalised distance of its disagreement point.
#[derive(Debug, Clone, Copy)]
struct Term {
    w: f64,
    x: f64,
    /// φ(|δ − xᵢ|/ρ): the loss at the disagreement point.
    dloss: f64,
    s: f64,
}

/// The objective of one dimension.
struct Objective {
    terms: Vec<Term>,
    rho: f64,
    quadratic: bool,
}

impl Objective {
    fn loss(&self, t: f64) -> f64 {
        if self.quadratic {
            t * t
        } else {
            t
        }
    }
    /// The gain uᵢ(x) − dᵢ of one actor.
    fn gain(&self, term: &Term, x: f64) -> f64 {
        term.s * (term.dloss - self.loss((x - term.x).abs() / self.rho))
    }
    /// Σ wᵢ log(gainᵢ), −∞ where some gain is not positive.
    fn value(&self, x: f64) -> f64 {
        let mut f = 0.0;
        for t in &self.terms {
            let g = self.gain(t, x);
            if g <= 0.0 {
                return f64::NEG_INFINITY;
            }
            f += t.w * g.ln();
        }
        f
    }
    /// Sign information at x: `Some(true)` when the right derivative is
    /// positive (the maximum lies to the right), `Some(false)` when it is
    /// not. At an infeasible x it says on which side the feasible set is.
    fn goes_right(&self, x: f64) -> bool {
        let mut d = 0.0;
        for t in &self.terms {
            let g = self.gain(t, x);
            if g <= 0.0 {
                // Outside this actor's acceptable interval: move toward it.
                return x < t.x;
            }
            // Right derivative of the loss part; at x == xᵢ the linear
            // tent slopes down to the right.
            let dg = if self.quadratic {
                -t.s * 2.0 * (x - t.x) / (self.rho * self.rho)
            } else if x >= t.x {
                -t.s / self.rho
            } else {
                t.s / self.rho
            };
            d += t.w * dg / g;
        }
        d > 0.0
    }
}

/// Runs the Nash bargaining model on every dimension.
pub fn run(problem: &Problem, o: &NashOptions) -> Result<Forecast, SpatialError> {
    check(problem, o)?;
    let mut assumptions = describe(o);
    let mut forecast = Vec::with_capacity(problem.n_dims());
    for k in 0..problem.n_dims() {
        let (x, note) = solve_dim(problem, o, k);
        if let Some(n) = note {
            assumptions.push(format!("dimension `{}`: {n}", problem.dims()[k].name));
        }
        forecast.push(x);
    }
    Ok(Forecast {
        model: "nash".into(),
        forecast,
        initial: stats(problem, problem.position()),
        rounds: Vec::new(),
        converged: true,
        assumptions,
    })
}

/// Only the forecast of [`run`] (the same numbers), without statistics or
/// assumptions: for sweeps that run the model thousands of times.
pub fn forecast(problem: &Problem, o: &NashOptions) -> Result<Vec<f64>, SpatialError> {
    check(problem, o)?;
    Ok((0..problem.n_dims())
        .map(|k| solve_dim(problem, o, k).0)
        .collect())
}

fn check(problem: &Problem, o: &NashOptions) -> Result<(), SpatialError> {
    if let Disagreement::StatusQuo(q) = &o.disagreement {
        if q.len() != problem.n_dims() {
            return Err(SpatialError::Option {
                option: "disagreement.status_quo".into(),
                message: format!(
                    "expected one status-quo value per dimension ({}), got {}",
                    problem.n_dims(),
                    q.len()
                ),
            });
        }
        for (v, d) in q.iter().zip(problem.dims()) {
            if !(v.is_finite() && *v >= d.min && *v <= d.max) {
                return Err(SpatialError::Option {
                    option: "disagreement.status_quo".into(),
                    message: format!(
                        "status quo {v} on `{}` is outside [{}, {}]",
                        d.name, d.min, d.max
                    ),
                });
            }
        }
    }
    Ok(())
}

fn describe(o: &NashOptions) -> Vec<String> {
    let mut a = vec![
        "Each dimension is bargained separately; the outcome maximises the Nash product \
         Σ wᵢ·log(uᵢ(x) − dᵢ) over points x between the lowest and highest actor position \
         that leave every actor with positive weight and salience strictly better off than \
         disagreement."
            .to_string(),
    ];
    a.push(match o.utility {
        NashUtility::Linear => "Utility uᵢ(x) = 1 − sᵢ·|x − xᵢ|/ρ, with ρ = the width of the \
                                dimension's scale (linear loss)."
            .into(),
        NashUtility::Quadratic => "Utility uᵢ(x) = 1 − sᵢ·((x − xᵢ)/ρ)², with ρ = the width \
                                   of the dimension's scale (quadratic loss)."
            .into(),
    });
    a.push(match &o.disagreement {
        Disagreement::WorstPosition => "Disagreement point dᵢ = uᵢ at the actor position \
                                        farthest from actor i's own (its worst position)."
            .into(),
        Disagreement::StatusQuo(q) => format!(
            "Disagreement point dᵢ = uᵢ(status quo), status quo per dimension = {q:?}; \
             if no point makes every counted actor strictly better off, the outcome is the \
             status quo."
        ),
    });
    a.push(match o.weights {
        NashWeights::CapabilitySalience => "Weights wᵢ = capability × salience (asymmetric \
                                            Nash). Salience cancels out of log(uᵢ − dᵢ), so \
                                            it acts only through the weights."
            .into(),
        NashWeights::Capability => "Weights wᵢ = capability (asymmetric Nash). Salience \
                                    cancels out of log(uᵢ − dᵢ): it only decides whether an \
                                    actor counts (salience > 0)."
            .into(),
        NashWeights::Equal => "Equal weights (symmetric Nash). Salience cancels out of \
                               log(uᵢ − dᵢ): it only decides whether an actor counts \
                               (salience > 0)."
            .into(),
    });
    a.push(
        "Actors with zero weight or zero salience are indifferent and left out of the product."
            .into(),
    );
    a.push(
        "Solved exactly: the objective is concave in x, so the maximiser is found by \
         bisection on the sign of its right derivative down to adjacent floating-point \
         numbers, and the actor positions (the kinks of linear utilities) in the final \
         bracket are compared explicitly."
            .into(),
    );
    a
}

fn weight(problem: &Problem, caps: &[f64], o: &NashOptions, i: usize, k: usize) -> f64 {
    let c = caps[i];
    match o.weights {
        NashWeights::CapabilitySalience => c * problem.salience()[i][k],
        NashWeights::Capability => c,
        NashWeights::Equal => 1.0,
    }
}

/// Solves one dimension; returns the outcome and, for a degenerate case,
/// a note for the assumptions.
fn solve_dim(problem: &Problem, o: &NashOptions, k: usize) -> (f64, Option<String>) {
    let d = &problem.dims()[k];
    let rho = d.max - d.min;
    let quadratic = o.utility == NashUtility::Quadratic;
    let xs: Vec<f64> = problem.position().iter().map(|p| p[k]).collect();
    let lo_hull = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi_hull = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let caps = unit_capabilities(problem);
    let mut terms = Vec::new();
    for (i, &x) in xs.iter().enumerate() {
        let w = weight(problem, &caps, o, i, k);
        let s = problem.salience()[i][k];
        if !(w > 0.0 && s > 0.0) {
            continue;
        }
        let dist = match &o.disagreement {
            Disagreement::WorstPosition => (x - lo_hull).max(hi_hull - x),
            Disagreement::StatusQuo(q) => (q[k] - x).abs(),
        };
        let t = dist / rho;
        let dloss = if quadratic { t * t } else { t };
        terms.push(Term { w, x, dloss, s });
    }
    let fallback = || match &o.disagreement {
        Disagreement::StatusQuo(q) => q[k],
        Disagreement::WorstPosition => weighted_median(&xs, &cs_weights(problem, k)),
    };
    if terms.is_empty() {
        return (
            fallback(),
            Some("no actor has positive weight and salience; reported the fallback point".into()),
        );
    }
    if lo_hull == hi_hull {
        return (lo_hull, None);
    }
    // Feasible open interval: every counted actor strictly gains.
    let mut lo = lo_hull;
    let mut hi = hi_hull;
    for t in &terms {
        let r = t.dloss_dist(rho, quadratic);
        lo = lo.max(t.x - r);
        hi = hi.min(t.x + r);
    }
    if lo >= hi {
        return (
            fallback(),
            Some(
                "no point makes every counted actor strictly better off than \
                 disagreement; the outcome is the disagreement point"
                    .into(),
            ),
        );
    }
    let obj = Objective {
        terms,
        rho,
        quadratic,
    };
    // Bisection on the sign of the right derivative.
    let (mut a, mut b) = (lo, hi);
    loop {
        let m = 0.5 * (a + b);
        if m <= a || m >= b {
            break;
        }
        if obj.goes_right(m) {
            a = m;
        } else {
            b = m;
        }
    }
    let mut best = (f64::NEG_INFINITY, a);
    let mut cands = vec![a, b];
    cands.extend(obj.terms.iter().map(|t| t.x).filter(|&x| x >= a && x <= b));
    for c in cands {
        let v = obj.value(c);
        if v > best.0 || (v == best.0 && c < best.1) {
            best = (v, c);
        }
    }
    (best.1, None)
}

impl Term {
    /// The distance from xᵢ at which the gain falls to zero.
    fn dloss_dist(&self, rho: f64, quadratic: bool) -> f64 {
        if quadratic {
            self.dloss.sqrt() * rho
        } else {
            self.dloss * rho
        }
    }
}
