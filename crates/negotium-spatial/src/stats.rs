//! Weighted median and mean of positions, and the per-dimension
//! capability×salience-weighted [`Stats`] every model reports.

use crate::{Problem, Stats};

/// Relative tolerance under which a cumulative weight counts as exactly half
/// the total (so that rounding in `c·s` products does not flip a tie).
const TIE_TOL: f64 = 1e-12;

/// Weighted median of `xs` with non-negative weights `ws`.
///
/// Definition (the *lower* weighted median): sort the points by position and
/// return the smallest position `x` such that the weight of all points at or
/// below `x` is at least half the total weight. When the cumulative weight
/// hits exactly half at some `x_k` (a tie between `x_k` and the next point
/// above it, within a relative tolerance of 1e-12), the lower point `x_k` is
/// returned. The result is therefore always one of the input positions with
/// positive weight, and it does not depend on the order of the inputs.
///
/// In one dimension, with single-peaked symmetric preferences and weighted
/// majority voting, this point is the Condorcet winner (when the tie case
/// arises, every point between `x_k` and the next position ties with it).
///
/// Negative or non-finite weights are treated as 0. If every weight is 0 the
/// points are weighted equally. Returns NaN for empty input.
/// Panics if `xs` and `ws` differ in length.
pub fn weighted_median(xs: &[f64], ws: &[f64]) -> f64 {
    assert_eq!(xs.len(), ws.len(), "weighted_median: length mismatch");
    if xs.is_empty() {
        return f64::NAN;
    }
    let mut pts: Vec<(f64, f64)> = xs.iter().zip(ws).map(|(&x, &w)| (x, clean(w))).collect();
    if pts.iter().all(|p| p.1 == 0.0) {
        pts.iter_mut().for_each(|p| p.1 = 1.0);
    }
    pts.retain(|p| p.1 > 0.0);
    unit_weights(&mut pts);
    // Sort by position, then weight, so that the summation order (and so the
    // rounding) is independent of the input order.
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let total: f64 = pts.iter().map(|p| p.1).sum();
    let half = 0.5 * total * (1.0 - TIE_TOL);
    let mut cum = 0.0;
    for &(x, w) in &pts {
        cum += w;
        if cum >= half {
            return x;
        }
    }
    pts[pts.len() - 1].0
}

/// Weighted mean `Σ w_i x_i / Σ w_i` with non-negative weights.
///
/// Negative or non-finite weights are treated as 0. If every weight is 0 the
/// plain mean is returned. Returns NaN for empty input.
/// Panics if `xs` and `ws` differ in length.
pub fn weighted_mean(xs: &[f64], ws: &[f64]) -> f64 {
    assert_eq!(xs.len(), ws.len(), "weighted_mean: length mismatch");
    if xs.is_empty() {
        return f64::NAN;
    }
    let mut pts: Vec<(f64, f64)> = xs.iter().zip(ws).map(|(&x, &w)| (x, clean(w))).collect();
    if pts.iter().all(|p| p.1 == 0.0) {
        pts.iter_mut().for_each(|p| p.1 = 1.0);
    }
    unit_weights(&mut pts);
    // Order-independent summation (see weighted_median).
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let total: f64 = pts.iter().map(|p| p.1).sum();
    let mean = pts.iter().map(|p| p.0 * p.1).sum::<f64>() / total;
    // Guard against rounding pushing the mean outside the data range.
    mean.clamp(pts[0].0, pts[pts.len() - 1].0)
}

/// Multiplies every weight by the power of two that brings the largest into
/// [1, 2). Exact (a power-of-two factor only changes exponents), so the
/// result is bit for bit what the unscaled weights give whenever their sums
/// neither overflow nor underflow — and huge (1e308) or tiny (1e-300)
/// weights can no longer overflow a sum.
fn unit_weights(pts: &mut [(f64, f64)]) {
    let max = pts.iter().map(|p| p.1).fold(0.0, f64::max);
    if max > 0.0 {
        let e = -exponent(max);
        pts.iter_mut().for_each(|p| p.1 = ldexp(p.1, e));
    }
}

/// The binary exponent `e` of a positive finite `x`: `2^e ≤ x < 2^(e+1)`.
pub(crate) fn exponent(x: f64) -> i32 {
    debug_assert!(x > 0.0 && x.is_finite());
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        // Subnormal: scale into the normal range first (exact).
        exponent(x * f64::from_bits(((1023 + 64) as u64) << 52)) - 64
    } else {
        biased - 1023
    }
}

/// `x · 2^n`, exact unless the result is subnormal, overflows or underflows.
pub(crate) fn ldexp(mut x: f64, mut n: i32) -> f64 {
    let pow2 = |k: i32| f64::from_bits(((k + 1023) as u64) << 52);
    while n > 1000 {
        x *= pow2(1000);
        n -= 1000;
    }
    while n < -1000 {
        x *= pow2(-1000);
        n += 1000;
    }
    x * pow2(n)
}

/// The capabilities as the models use them: every capability multiplied by
/// the power of two that brings the largest into [64, 128).
///
/// The factor is exact, so the models see the same *ratios* of
/// capabilities as given (bit for bit when the problem is rescaled by a
/// power of two), sums of c·s weights can neither overflow nor underflow
/// whatever the unit of capability (any positive finite scale from 1e-300
/// to 1e308), and the SMP's small absolute guards (KTAB's 1e-8 added to
/// every coalition) become relative to the largest capability. Inputs whose
/// largest capability already lies in [64, 128) — KTAB's and negotium's
/// usual 0–100 indices — are used unchanged.
pub fn unit_capabilities(problem: &Problem) -> Vec<f64> {
    let c = problem.capability();
    let max = c.iter().copied().fold(0.0, f64::max);
    // Problem::new guarantees a positive finite maximum.
    let e = 6 - exponent(max);
    c.iter().map(|&v| ldexp(v, e)).collect()
}

fn clean(w: f64) -> f64 {
    if w.is_finite() && w > 0.0 {
        w
    } else {
        0.0
    }
}

/// Capability×salience weights of every actor on dimension `k`, with the
/// capabilities of [`unit_capabilities`].
pub fn cs_weights(problem: &Problem, k: usize) -> Vec<f64> {
    unit_capabilities(problem)
        .iter()
        .zip(problem.salience())
        .map(|(c, s)| c * s[k])
        .collect()
}

/// Per-dimension c·s-weighted median and mean of `positions`
/// (`[actor][dimension]`, same actors and dimensions as `problem`).
/// Panics if the shape of `positions` does not match the problem.
pub fn stats(problem: &Problem, positions: &[Vec<f64>]) -> Stats {
    assert_eq!(positions.len(), problem.n_actors(), "stats: actor count");
    let mut median = Vec::with_capacity(problem.n_dims());
    let mut mean = Vec::with_capacity(problem.n_dims());
    for k in 0..problem.n_dims() {
        let ws = cs_weights(problem, k);
        let xs: Vec<f64> = positions.iter().map(|p| p[k]).collect();
        median.push(weighted_median(&xs, &ws));
        mean.push(weighted_mean(&xs, &ws));
    }
    Stats { median, mean }
}

/// Per-dimension c·s-weighted median of the initial positions (the
/// `median` field of [`stats`], alone).
pub fn medians(problem: &Problem) -> Vec<f64> {
    column_stat(problem, weighted_median)
}

/// Per-dimension c·s-weighted mean of the initial positions (the `mean`
/// field of [`stats`], alone).
pub fn means(problem: &Problem) -> Vec<f64> {
    column_stat(problem, weighted_mean)
}

fn column_stat(problem: &Problem, f: fn(&[f64], &[f64]) -> f64) -> Vec<f64> {
    (0..problem.n_dims())
        .map(|k| {
            let xs: Vec<f64> = problem.position().iter().map(|p| p[k]).collect();
            f(&xs, &cs_weights(problem, k))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_basic_and_tie() {
        assert_eq!(weighted_median(&[1.0, 2.0, 3.0], &[1.0, 1.0, 1.0]), 2.0);
        // Exact tie at half: the lower point wins.
        assert_eq!(weighted_median(&[1.0, 3.0], &[1.0, 1.0]), 1.0);
        assert_eq!(weighted_median(&[3.0, 1.0], &[1.0, 1.0]), 1.0);
        // A heavy actor is the median.
        assert_eq!(weighted_median(&[0.0, 5.0, 10.0], &[1.0, 5.0, 1.0]), 5.0);
        assert_eq!(weighted_median(&[0.0, 5.0, 10.0], &[1.0, 0.0, 3.0]), 10.0);
        // Zero weights are ignored; all zero = equal weights.
        assert_eq!(weighted_median(&[0.0, 5.0, 10.0], &[1.0, 0.0, 1.0]), 0.0);
        assert_eq!(weighted_median(&[0.0, 5.0, 10.0], &[0.0, 0.0, 0.0]), 5.0);
        assert!(weighted_median(&[], &[]).is_nan());
    }

    #[test]
    fn mean_basic() {
        assert_eq!(weighted_mean(&[0.0, 10.0], &[1.0, 3.0]), 7.5);
        assert_eq!(weighted_mean(&[0.0, 10.0], &[0.0, 0.0]), 5.0);
    }
}
