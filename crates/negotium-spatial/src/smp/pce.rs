//! Probabilistic Condorcet elections: votes, coalitions, victory odds, the
//! distribution over options, and risk attitudes inferred from it.

use crate::simd::{multiversion, LANE_PAD};

use super::params::{BigRAdjust, BigRRange, PceModel, VictoryProbModel, VotingRule};

/// Guard added to every coalition so that no contest is 0 against 0.
const MIN_COALITION: f64 = 1e-8;

/// Actor's vote for option 1 over option 2 with weight `w` (≥ 0; a zero
/// weight abstains) and utilities `u1`, `u2`. Positive favours option 1.
#[inline(always)]
pub(crate) fn vote(rule: VotingRule, w: f64, u1: f64, u2: f64) -> f64 {
    vote_gap(rule, w, u1 - u2)
}

/// [`vote`] given the difference of utilities `du = u1 − u2`.
#[inline(always)]
pub(crate) fn vote_gap(rule: VotingRule, w: f64, du: f64) -> f64 {
    if w <= 0.0 {
        return 0.0;
    }
    let bin = || (du / 1e-8).clamp(-1.0, 1.0);
    match rule {
        VotingRule::Binary => w * bin(),
        VotingRule::PropBin => w * (0.8 * du + 0.2 * bin()),
        VotingRule::Proportional => w * du,
        VotingRule::PropCubic => w * (0.5 * du + 0.5 * (du * du * du)),
        VotingRule::Cubic => w * (du * du * du),
        VotingRule::AsymProspect => {
            if du < 0.0 {
                w * du
            } else if du > 0.0 {
                (2.0 * w * du) / 3.0
            } else {
                0.0
            }
        }
    }
}

/// Probabilities that the side with strength `s1` beats the side with `s2`
/// and the converse.
pub(crate) fn victory_pair(model: VictoryProbModel, s1: f64, s2: f64) -> (f64, f64) {
    let (x1, x2) = match model {
        VictoryProbModel::Linear => (s1, s2),
        VictoryProbModel::Square => (s1 * s1, s2 * s2),
        VictoryProbModel::Quartic => (s1.powi(4), s2.powi(4)),
        VictoryProbModel::Octic => (s1.powi(8), s2.powi(8)),
        VictoryProbModel::Binary => {
            const THRESH: f64 = 1.10;
            if s1 >= THRESH * s2 {
                (1.0, 1e-6)
            } else if s2 >= THRESH * s1 {
                (1e-6, 1.0)
            } else {
                let r12 = s1 / (s1 + s2);
                let p12 = (r12 * (THRESH + 1.0) - 1.0) / (THRESH - 1.0);
                (p12, 1.0 - p12)
            }
        }
    };
    (x1 / (x1 + x2), x2 / (x1 + x2))
}

/// Evaluates `$body` with `$v` bound to the vote of `$rule`, monomorphised
/// for the proportional rule (KTAB's default), so that a loop over voters
/// tests no rule; the arithmetic is [`vote`]'s either way.
macro_rules! with_vote {
    ($rule:expr, $v:ident => $body:expr) => {{
        let rule: VotingRule = $rule;
        if rule == VotingRule::Proportional {
            let $v = |w, x, y| vote(VotingRule::Proportional, w, x, y);
            $body
        } else {
            let $v = |w, x, y| vote(rule, w, x, y);
            $body
        }
    }};
}

/// Square matrix (row-major) of coalition strengths `c[i][j]` for option `i`
/// against option `j`. `ut[i * weights.len() + k]` is voter `k`'s utility
/// of option `i` (option-major, so the inner loop runs over voters).
/// `unit` scales the guard (1 = KTAB's absolute 1e−8; see `Actors::unit`).
pub(crate) fn coalitions(
    rule: VotingRule,
    weights: &[f64],
    n_opt: usize,
    ut: &[f64],
    unit: f64,
) -> Vec<f64> {
    let mut c = Vec::new();
    coalitions_into(rule, weights, n_opt, ut, unit, &mut c);
    c
}

/// [`coalitions`] into a reused buffer (its contents are replaced).
pub(crate) fn coalitions_into(
    rule: VotingRule,
    weights: &[f64],
    n_opt: usize,
    ut: &[f64],
    unit: f64,
    c: &mut Vec<f64>,
) {
    if n_opt >= WIDE_OPTIONS {
        coalitions_wide(rule, weights, n_opt, ut, unit, c);
    } else {
        with_vote!(rule, v => coalitions_plain_with(weights, n_opt, ut, unit, v, c))
    }
}

/// [`coalitions`] pair by pair, voters in order (the tests' reference).
#[cfg(test)]
fn coalitions_plain(
    rule: VotingRule,
    weights: &[f64],
    n_opt: usize,
    ut: &[f64],
    unit: f64,
) -> Vec<f64> {
    let mut c = Vec::new();
    with_vote!(rule, v => coalitions_plain_with(weights, n_opt, ut, unit, v, &mut c));
    c
}

#[inline(always)]
fn coalitions_plain_with(
    weights: &[f64],
    n_opt: usize,
    ut: &[f64],
    unit: f64,
    vote: impl Fn(f64, f64, f64) -> f64,
    c: &mut Vec<f64>,
) {
    let guard = MIN_COALITION * unit;
    let nv = weights.len();
    debug_assert_eq!(ut.len(), n_opt * nv);
    // Every slot is written below (resizing writes only new slots).
    c.resize(n_opt * n_opt, 0.0);
    for i in 0..n_opt {
        let ui = &ut[i * nv..(i + 1) * nv];
        for j in 0..i {
            let uj = &ut[j * nv..(j + 1) * nv];
            let (mut cij, mut cji) = (guard, guard);
            for ((&w, &a), &b) in weights.iter().zip(ui).zip(uj) {
                let v = vote(w, a, b);
                // Branch-free positive and negative parts (adding 0 is exact).
                cij += if v > 0.0 { v } else { 0.0 };
                cji += if v < 0.0 { -v } else { 0.0 };
            }
            c[i * n_opt + j] = cij;
            c[j * n_opt + i] = cji;
        }
        c[i * n_opt + i] = guard;
    }
}

/// From this many options on, [`coalitions`] runs with the options as SIMD
/// lanes (below it, a turn's small queues, the plain loop is faster).
const WIDE_OPTIONS: usize = 8;

/// [`coalitions_into`] with the options as SIMD lanes (see
/// [`coalitions_voter_major_into`]).
fn coalitions_wide(
    rule: VotingRule,
    weights: &[f64],
    n_opt: usize,
    ut: &[f64],
    unit: f64,
    c: &mut Vec<f64>,
) {
    let nv = weights.len();
    debug_assert_eq!(ut.len(), n_opt * nv);
    let np = n_opt.next_multiple_of(LANE_PAD);
    // Voter-major, padded: t[k * np + j] = voter k's utility of option j.
    let mut t = vec![0.0; nv * np];
    for j in 0..n_opt {
        for k in 0..nv {
            t[k * np + j] = ut[j * nv + k];
        }
    }
    coalitions_voter_major_into(rule, weights, n_opt, &t, unit, c);
}

multiversion! {
    /// [`coalitions`] from a voter-major table, `t[k * np + j]` = voter k's
    /// utility of option j with rows padded to `np` = `n_opt` rounded up
    /// to [`LANE_PAD`], and the options j < i as SIMD lanes: each lane adds
    /// the voters' parts in voter order, exactly as the plain loop does for
    /// one pair, so the strengths are the same bit for bit.
    pub(crate) fn coalitions_voter_major_into(rule: VotingRule, weights: &[f64], n_opt: usize, t: &[f64], unit: f64, c: &mut Vec<f64>) -> () = coalitions_dispatch;
}

/// Monomorphises the lanes for the proportional rule (KTAB's default).
#[inline(always)]
fn coalitions_dispatch(
    rule: VotingRule,
    weights: &[f64],
    n_opt: usize,
    t: &[f64],
    unit: f64,
    c: &mut Vec<f64>,
) {
    with_vote!(rule, v => coalitions_lanes(weights, n_opt, t, unit, v, c))
}

#[inline(always)]
fn coalitions_lanes(
    weights: &[f64],
    n_opt: usize,
    t: &[f64],
    unit: f64,
    vote: impl Fn(f64, f64, f64) -> f64,
    c: &mut Vec<f64>,
) {
    let guard = MIN_COALITION * unit;
    let nv = weights.len();
    let np = n_opt.next_multiple_of(LANE_PAD);
    assert_eq!(t.len(), nv * np, "voter-major table of padded rows");
    // Every slot is written below (resizing writes only new slots).
    c.resize(n_opt * n_opt, 0.0);
    for i in 0..n_opt {
        // Lanes j < i, one register of LANE_PAD options at a time, its two
        // sums kept in registers across the voters (the lanes past i are
        // computed and ignored).
        for jc in (0..i).step_by(LANE_PAD) {
            let mut cij = [guard; LANE_PAD];
            let mut cji = [guard; LANE_PAD];
            for k in 0..nv {
                let (w, uik) = (weights[k], t[k * np + i]);
                let row = &t[k * np + jc..k * np + jc + LANE_PAD];
                for ((p, q), &ukj) in cij.iter_mut().zip(&mut cji).zip(row) {
                    let v = vote(w, uik, ukj);
                    *p += if v > 0.0 { v } else { 0.0 };
                    *q += if v < 0.0 { -v } else { 0.0 };
                }
            }
            for (lane, j) in (jc..i.min(jc + LANE_PAD)).enumerate() {
                c[i * n_opt + j] = cij[lane];
                c[j * n_opt + i] = cji[lane];
            }
        }
        c[i * n_opt + i] = guard;
    }
}

/// Victory-probability matrix from coalition strengths (diagonal 1/2),
/// into a reused buffer (every slot is written).
fn victory_matrix_into(model: VictoryProbModel, c: &[f64], n: usize, p: &mut Vec<f64>) {
    p.resize(n * n, 0.0);
    for i in 0..n {
        for j in 0..i {
            let (pij, pji) = victory_pair(model, c[i * n + j], c[j * n + i]);
            p[i * n + j] = pij;
            p[j * n + i] = pji;
        }
        p[i * n + i] = 0.5;
    }
}

/// Distribution over `n` options from their coalition matrix (`unit` as in
/// [`coalitions`]).
pub(crate) fn pce(
    pcem: PceModel,
    vpm: VictoryProbModel,
    c: &[f64],
    n: usize,
    unit: f64,
) -> Vec<f64> {
    let mut out = Vec::new();
    pce_into(pcem, vpm, c, n, unit, &mut Vec::new(), &mut out);
    out
}

/// [`pce`] with reused buffers: `v` for the victory matrix, `out` for the
/// distribution (the contents of both are replaced).
pub(crate) fn pce_into(
    pcem: PceModel,
    vpm: VictoryProbModel,
    c: &[f64],
    n: usize,
    unit: f64,
    v: &mut Vec<f64>,
    out: &mut Vec<f64>,
) {
    victory_matrix_into(vpm, c, n, v);
    match pcem {
        PceModel::Conditional => conditional_into(v, n, out),
        PceModel::MarkovUniform => *out = markov_uniform(v, n),
        PceModel::MarkovIncentive => *out = markov_incentive(v, c, n, unit),
    }
}

/// `P_i ∝ Π_j V(i,j)`. Falls back to log space if the plain products all
/// underflow.
fn conditional_into(v: &[f64], n: usize, p: &mut Vec<f64>) {
    p.clear();
    p.extend((0..n).map(|i| v[i * n..(i + 1) * n].iter().product::<f64>()));
    let total: f64 = p.iter().sum();
    if total > 0.0 && total.is_finite() {
        p.iter_mut().for_each(|x| *x /= total);
        return;
    }
    let logs: Vec<f64> = (0..n)
        .map(|i| v[i * n..(i + 1) * n].iter().map(|x| x.ln()).sum())
        .collect();
    let top = logs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    p.clear();
    p.extend(logs.iter().map(|l| (l - top).exp()));
    let total: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= total);
}

/// Markov chain with uniform challengers, averaged until the largest change
/// is below 1e−6 (at most 10 000 iterations).
fn markov_uniform(v: &[f64], n: usize) -> Vec<f64> {
    let mut p = vec![1.0 / n as f64; n];
    let mut q = p.clone();
    for _ in 0..10_000 {
        let mut change: f64 = 0.0;
        for i in 0..n {
            let s: f64 = (0..n).map(|j| v[i * n + j] * (p[i] + p[j])).sum();
            q[i] = s / n as f64;
            change = change.max((q[i] - p[i]).abs());
        }
        for i in 0..n {
            p[i] = (p[i] + q[i]) / 2.0;
        }
        if change <= 1e-6 {
            break;
        }
    }
    p
}

/// Markov chain whose challenge probabilities follow incentives
/// `C(a,b)·V(a,b)` (B. P. Wise), averaged until the change is below 1e−8
/// (at most 10 000 iterations).
fn markov_incentive(v: &[f64], c: &[f64], n: usize, unit: f64) -> Vec<f64> {
    let own = 1e-10 * unit;
    let inc = |a: usize, b: usize| c[a * n + b] * v[a * n + b] + if a == b { own } else { 0.0 };
    let col_sum: Vec<f64> = (0..n).map(|b| (0..n).map(|a| inc(a, b)).sum()).collect();
    // chlg[a][b]: probability that a is the challenger when b is the favourite.
    let chlg: Vec<f64> = (0..n * n)
        .map(|ab| inc(ab / n, ab % n) / col_sum[ab % n])
        .collect();
    let mut p = vec![1.0 / n as f64; n];
    let mut q = p.clone();
    for _ in 0..10_000 {
        let mut change: f64 = 0.0;
        for i in 0..n {
            let mut qi = 0.0;
            for j in 0..n {
                let cij = p[i] * chlg[j * n + i];
                let cji = p[j] * chlg[i * n + j];
                qi += v[i * n + j] * (cij + cji);
            }
            q[i] = qi;
            change = change.max((q[i] - p[i]).abs());
        }
        for i in 0..n {
            p[i] = (p[i] + q[i]) / 2.0;
        }
        if change <= 1e-8 {
            break;
        }
    }
    p
}

/// Risk attitudes from position probabilities. If all probabilities are
/// equal (no spread to scale by) every actor is risk neutral, `R = 0`.
pub(crate) fn big_r(p: &[f64], range: BigRRange) -> Vec<f64> {
    let p_min = p.iter().cloned().fold(1.0, f64::min);
    let p_max = p.iter().cloned().fold(0.0, f64::max);
    if p_max - p_min <= 1e-15 {
        return vec![0.0; p.len()];
    }
    p.iter()
        .map(|&pi| match range {
            BigRRange::Min => (pi - p_min) / (p_max - p_min),
            BigRRange::Mid => (3.0 * pi - (p_max + 2.0 * p_min)) / (2.0 * (p_max - p_min)),
            BigRRange::Max => (2.0 * pi - p_max - p_min) / (p_max - p_min),
        })
        .collect()
}

/// Actor `h`'s estimate of actor `i`'s risk attitude.
#[inline]
pub(crate) fn est_nra(rh: f64, ri: f64, adj: BigRAdjust) -> f64 {
    match adj {
        BigRAdjust::Full => ri,
        BigRAdjust::TwoThirds => (rh + 2.0 * ri) / 3.0,
        BigRAdjust::Half => (rh + ri) / 2.0,
        BigRAdjust::OneThird => (2.0 * rh + ri) / 3.0,
        BigRAdjust::None => rh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_two_to_one_is_two_thirds() {
        let (a, b) = victory_pair(VictoryProbModel::Linear, 2.0, 1.0);
        assert!((a - 2.0 / 3.0).abs() < 1e-15 && (b - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn binary_victory_saturates_beyond_ten_percent() {
        let (a, _) = victory_pair(VictoryProbModel::Binary, 1.2, 1.0);
        assert!(a > 0.999);
        let (a, b) = victory_pair(VictoryProbModel::Binary, 1.0, 1.0);
        assert!((a - 0.5).abs() < 1e-12 && (b - 0.5).abs() < 1e-12);
    }

    #[test]
    fn pce_models_agree_on_a_clear_winner_and_sum_to_one() {
        // Three options, voters all prefer option 0 strongly.
        // ut[option][voter]: every voter prefers option 0.
        let ut = [1.0, 1.0, 0.9, 0.2, 0.5, 0.1, 0.1, 0.0, 0.3];
        let c = coalitions(VotingRule::Proportional, &[1.0, 2.0, 1.0], 3, &ut, 1.0);
        for m in [
            PceModel::Conditional,
            PceModel::MarkovUniform,
            PceModel::MarkovIncentive,
        ] {
            let p = pce(m, VictoryProbModel::Linear, &c, 3, 1.0);
            assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-6, "{m:?}");
            assert!(p[0] > p[1] && p[0] > p[2], "{m:?} {p:?}");
        }
    }

    /// The wide coalitions (widest unit and baseline build) equal the
    /// plain loop bit for bit, for every voting rule, with ties, abstainers
    /// and widths around the lane size.
    #[test]
    fn wide_coalitions_are_the_plain_ones_bit_for_bit() {
        let mut next = crate::simd::uniforms(0x5eed_u64);
        let (mut dirty, mut dirty_plain) = (vec![f64::NAN; 700], vec![f64::NAN; 700]);
        let rules = [
            VotingRule::Binary,
            VotingRule::PropBin,
            VotingRule::Proportional,
            VotingRule::PropCubic,
            VotingRule::Cubic,
            VotingRule::AsymProspect,
        ];
        for n_opt in [1, 2, 7, 8, 9, 16, 17, 25] {
            for nv in [1, 5, 18] {
                for rule in rules {
                    let w: Vec<f64> = (0..nv)
                        .map(|_| if next() < 0.2 { 0.0 } else { 100.0 * next() })
                        .collect();
                    // Coarse utilities so that equal utilities (zero votes) occur.
                    let ut: Vec<f64> = (0..n_opt * nv)
                        .map(|_| (next() * 6.0).floor() / 5.0)
                        .collect();
                    let bits = |c: &[f64]| c.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                    let plain = coalitions_plain(rule, &w, n_opt, &ut, 0.7);
                    // The widest vector unit of this CPU, and the baseline build.
                    let mut wide = Vec::new();
                    coalitions_wide(rule, &w, n_opt, &ut, 0.7, &mut wide);
                    let np = n_opt.next_multiple_of(LANE_PAD);
                    let mut t = vec![0.0; nv * np];
                    for j in 0..n_opt {
                        for k in 0..nv {
                            t[k * np + j] = ut[j * nv + k];
                        }
                    }
                    // The baseline build, into a buffer last used for other
                    // sizes (it starts as NaNs).
                    coalitions_dispatch(rule, &w, n_opt, &t, 0.7, &mut dirty);
                    let baseline = dirty.clone();
                    coalitions_into(rule, &w, n_opt, &ut, 0.7, &mut dirty_plain);
                    assert_eq!(
                        bits(&plain),
                        bits(&dirty_plain),
                        "reused buffer: {rule:?} {n_opt} options {nv} voters"
                    );
                    assert_eq!(
                        bits(&plain),
                        bits(&wide),
                        "{rule:?} {n_opt} options {nv} voters"
                    );
                    assert_eq!(
                        bits(&plain),
                        bits(&baseline),
                        "{rule:?} {n_opt} options {nv} voters"
                    );
                }
            }
        }
    }

    #[test]
    fn big_r_maps_extremes_onto_the_range() {
        let p = [0.1, 0.3, 0.6];
        let r = big_r(&p, BigRRange::Mid);
        assert!((r[0] + 0.5).abs() < 1e-12 && (r[2] - 1.0).abs() < 1e-12);
        let r = big_r(&p, BigRRange::Max);
        assert!((r[0] + 1.0).abs() < 1e-12 && (r[2] - 1.0).abs() < 1e-12);
        assert_eq!(big_r(&[0.5, 0.5], BigRRange::Min), vec![0.0, 0.0]);
    }
}
