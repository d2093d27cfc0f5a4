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
    // Order-independent summation (see weighted_median).
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let total: f64 = pts.iter().map(|p| p.1).sum();
    let mean = pts.iter().map(|p| p.0 * p.1).sum::<f64>() / total;
    // Guard against rounding pushing the mean outside the data range.
    mean.clamp(pts[0].0, pts[pts.len() - 1].0)
}

fn clean(w: f64) -> f64 {
    if w.is_finite() && w > 0.0 {
        w
    } else {
        0.0
    }
}

/// Capability×salience weights of every actor on dimension `k`.
pub fn cs_weights(problem: &Problem, k: usize) -> Vec<f64> {
    problem
        .capability()
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
