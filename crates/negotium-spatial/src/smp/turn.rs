//! One SMP turn on the unit-scaled state: utilities and risk attitudes,
//! each actor's best challenge, interpolated bargains, and the choice each
//! actor makes from its queue of bargains.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::params::{
    BargainModel, InterVecBargain, StateTransitions, ThirdPartyCommit, VotingRule,
};
use super::pce::{
    big_r, coalitions, coalitions_into, coalitions_voter_major_into, est_nra, pce, pce_into,
    vote_gap,
};
use crate::simd::{multiversion, LANE_PAD};
use crate::SmpOptions;

/// Guard added to challenge coalitions.
const MIN_CHALLENGE_COALITION: f64 = 1e-10;
/// Smallest expected gain that makes a challenge worth proposing.
const MIN_SIG_GAIN: f64 = 1e-5;
/// Gains or probabilities closer than this count as tied, and the earlier
/// candidate wins (the earlier target; the status quo before any bargain):
/// KTAB compares exactly, so a tie in exact arithmetic would be decided by
/// the last bits of rounding, which depend on the order of the sums.
const TIE: f64 = 1e-12;
/// From this many actors on, the cubic parts of a turn run on several threads.
const PARALLEL_ACTORS: usize = 48;
/// Positions closer than this (Euclidean, unit scale) are the same position.
pub(crate) const POS_TOL: f64 = 1e-3;

/// The first index whose value `admit` accepts and is within [`TIE`] of
/// the largest such value (NaN is never the largest).
#[inline(always)]
fn first_of_best(values: &[f64], admit: impl Fn(usize, f64) -> bool) -> Option<usize> {
    let mut top = f64::NEG_INFINITY;
    for (m, &v) in values.iter().enumerate() {
        if admit(m, v) && v > top {
            top = v;
        }
    }
    (top > f64::NEG_INFINITY)
        .then(|| (0..values.len()).find(|&m| admit(m, values[m]) && values[m] >= top - TIE))
        .flatten()
}

/// The fixed part of the problem, scaled to the unit cube.
pub(crate) struct Actors {
    pub n: usize,
    pub k: usize,
    /// Capabilities (PCE vote weights).
    pub cap: Vec<f64>,
    /// `[actor * k + dim]`, in [0, 1], Σ over dims ≤ 1.
    pub sal: Vec<f64>,
    /// Σ_dims salience per actor.
    pub sal_tot: Vec<f64>,
    /// Σ_dims salience² per actor.
    pub sal_sq: Vec<f64>,
    /// Challenge vote weight: capability × total salience.
    pub weight: Vec<f64>,
    /// The capability unit KTAB's absolute guards are multiplied by: 1 with
    /// `absolute_guards` (KTAB), else the largest capability / 100, so that
    /// the guards are relative to the largest capability (and exactly
    /// KTAB's when it is 100).
    pub unit: f64,
}

impl Actors {
    fn sal(&self, i: usize) -> &[f64] {
        &self.sal[i * self.k..(i + 1) * self.k]
    }

    /// Salience-weighted distance from `ideal` (actor `i`'s) to `y`. An actor
    /// with no salience at all is indifferent: distance 0. (The definition
    /// the lane-parallel kernels reproduce; the tests compare with it.)
    #[cfg(test)]
    pub fn dist(&self, i: usize, ideal: &[f64], y: &[f64]) -> f64 {
        if self.sal_sq[i] <= 0.0 {
            return 0.0;
        }
        let mut ds = 0.0;
        for ((&s, &a), &b) in self.sal(i).iter().zip(ideal).zip(y) {
            let d = (a - b) * s;
            ds += d * d;
        }
        (ds / self.sal_sq[i]).sqrt()
    }
}

/// Utility of distance `d` for risk attitude `r` ∈ [−1, 1].
#[inline(always)]
pub(crate) fn bs_util(d: f64, r: f64) -> f64 {
    // `(1 − d)(1 + d·r)` for d ≤ 1, else `(1 − d)(1 + r)`: the factor is
    // selected rather than branched on, so that loops over d vectorise.
    let f = if d <= 1.0 { d * r } else { r };
    (1.0 - d) * (1.0 + f)
}

/// A distance split for [`bs_util_split`]: `(1 − d, min(d, 1))` (NaN
/// gives `(NaN, 1)`).
#[inline(always)]
pub(crate) fn split_distance(d: f64) -> (f64, f64) {
    (1.0 - d, if d <= 1.0 { d } else { 1.0 })
}

/// [`bs_util`] from a split distance, bit for bit: `(1 − d)(1 + min(d, 1)·r)`
/// multiplies r by d where d ≤ 1 and by exactly 1 elsewhere, so the factor
/// is `bs_util`'s. Three operations per utility instead of six, for the
/// challenge search's inner loop.
#[inline(always)]
pub(crate) fn bs_util_split(omd: f64, dcap: f64, r: f64) -> f64 {
    omd * (1.0 + dcap * r)
}

/// Distances, risk attitudes and every actor's estimate of everyone's
/// risk attitude, for one state.
#[derive(Default)]
pub(crate) struct Assessment {
    n: usize,
    /// `d[i * n + j]`: i's distance from its ideal to j's position.
    d: Vec<f64>,
    /// The distances split for [`bs_util_split`], in rows padded to whole
    /// registers (`[i * np + j]`, `np` = n rounded up to [`LANE_PAD`], the
    /// padding 0): `1 − d` and `min(d, 1)`. The challenge search reads
    /// them as lanes.
    omd: Vec<f64>,
    dcap: Vec<f64>,
    /// Risk attitudes.
    pub r: Vec<f64>,
    /// `rhi[h * n + i]`: h's estimate of i's risk attitude.
    rhi: Vec<f64>,
    /// Buffers the next assessment into this one reuses (no effect on
    /// any number).
    work: AssessWork,
}

/// The intermediate tables of [`assess_into`].
#[derive(Default)]
struct AssessWork {
    /// Dimension-major positions.
    xt: Vec<f64>,
    /// One actor's squared distances.
    ds: Vec<f64>,
    /// The PCE over the actors' positions.
    pce: PceWork,
}

impl Assessment {
    /// `U^h(i, j)`: h's estimate of i's utility of j's position.
    #[inline]
    pub fn u(&self, h: usize, i: usize, j: usize) -> f64 {
        bs_util(self.d[i * self.n + j], self.rhi[h * self.n + i])
    }
}

/// Row-major `[actor * k + dim]` positions in the unit cube.
pub(crate) type Pos = [f64];

fn pos(x: &Pos, k: usize, i: usize) -> &[f64] {
    &x[i * k..(i + 1) * k]
}

multiversion! {
    /// Steps 0–1 (distances, risk-neutral PCE, risk attitudes,
    /// perspectives) into `s`, whose previous contents are replaced (its
    /// buffers are reused).
    pub(crate) fn assess_into(a: &Actors, x: &Pos, o: &SmpOptions, s: &mut Assessment) -> () = assess_lanes;
}

/// [`assess_into`] a new assessment.
#[cfg(test)]
pub(crate) fn assess(a: &Actors, x: &Pos, o: &SmpOptions) -> Assessment {
    let mut s = Assessment::default();
    assess_into(a, x, o, &mut s);
    s
}

/// [`assess`] with the other actor j as SIMD lanes: each distance is
/// `Actors::dist`'s arithmetic (the tests' definition) in the same order,
/// and the risk-neutral utilities go straight into the voter-major table
/// the coalitions read.
#[inline(always)]
fn assess_lanes(a: &Actors, x: &Pos, o: &SmpOptions, s: &mut Assessment) {
    let (n, k) = (a.n, a.k);
    let Assessment {
        d, omd, dcap, work, ..
    } = s;
    let AssessWork { xt, ds, pce } = work;
    // Dimension-major positions: xt[dim * n + j].
    xt.clear();
    xt.extend((0..k * n).map(|dj| x[(dj % n) * k + dj / n]));
    // Every slot of `d` is written below (resizing writes only new
    // slots).
    d.resize(n * n, 0.0);
    ds.clear();
    ds.resize(n, 0.0);
    for i in 0..n {
        ds.fill(0.0);
        for dim in 0..k {
            let (xi, si) = (x[i * k + dim], a.sal[i * k + dim]);
            for (acc, &xj) in ds.iter_mut().zip(&xt[dim * n..(dim + 1) * n]) {
                let dd = (xi - xj) * si;
                *acc += dd * dd;
            }
        }
        let sq = a.sal_sq[i];
        for (out, &acc) in d[i * n..(i + 1) * n].iter_mut().zip(ds.iter()) {
            // Computed, then selected: an actor with no salience is
            // indifferent (distance 0).
            let v = (acc / sq).sqrt();
            *out = if sq <= 0.0 { 0.0 } else { v };
        }
    }
    let np = n.next_multiple_of(LANE_PAD);
    // The split distances: the padding is zeroed with the buffers (when
    // their size changes) and never written.
    for v in [&mut *omd, &mut *dcap] {
        if v.len() != n * np {
            v.clear();
            v.resize(n * np, 0.0);
        }
    }
    for ((o, c), src) in omd
        .chunks_exact_mut(np)
        .zip(dcap.chunks_exact_mut(np))
        .zip(d.chunks_exact(n))
    {
        for ((o, c), &dq) in o.iter_mut().zip(c.iter_mut()).zip(src) {
            (*o, *c) = split_distance(dq);
        }
    }
    // The risk-neutral utilities `u(d, 0) = 1 − d` (exactly: the factor is
    // 1 + 0) are the split distances' first half, voter-major in padded
    // rows: they are the table the coalitions read.
    coalitions_voter_major_into(o.voting_rule, &a.cap, n, omd, a.unit, &mut pce.c);
    risk_attitudes(a, o, s);
}

/// Steps 0–1 as first written (pair by pair, option-major utilities): the
/// reference [`assess`] is compared with.
#[cfg(test)]
fn assess_reference(a: &Actors, x: &Pos, o: &SmpOptions) -> Assessment {
    let n = a.n;
    let mut d = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            d[i * n + j] = a.dist(i, pos(x, a.k, i), pos(x, a.k, j));
        }
    }
    let ut: Vec<f64> = (0..n * n)
        .map(|jk| bs_util(d[(jk % n) * n + jk / n], 0.0))
        .collect();
    let mut s = Assessment {
        d,
        ..Assessment::default()
    };
    s.work.pce.c = coalitions(o.voting_rule, &a.cap, n, &ut, a.unit);
    risk_attitudes(a, o, &mut s);
    s
}

/// Step 1 from the distances (`s.d`) and the risk-neutral coalitions
/// (`s.work.pce.c`): the PCE over the actors' positions, risk attitudes and
/// everyone's estimates of them.
#[inline(always)]
fn risk_attitudes(a: &Actors, o: &SmpOptions, s: &mut Assessment) {
    let n = a.n;
    let PceWork { c, v, p } = &mut s.work.pce;
    pce_into(o.pce, o.victory_prob, c, n, a.unit, v, p);
    s.r = big_r(p, o.big_r_range);
    s.n = n;
    let (r, rhi) = (&s.r, &mut s.rhi);
    // Row h holds h's estimates (no division or remainder per entry).
    rhi.clear();
    rhi.resize(n * n, 0.0);
    for (row, &rh) in rhi.chunks_exact_mut(n).zip(r) {
        for (e, &ri) in row.iter_mut().zip(r) {
            *e = est_nra(rh, ri, o.big_r_adjust);
        }
    }
}

/// Whether two positions count as the same (Euclidean, unit scale).
fn close(p: &[f64], q: &[f64]) -> bool {
    let d2: f64 = p.iter().zip(q).map(|(a, b)| (a - b) * (a - b)).sum();
    d2.sqrt() < POS_TOL
}

/// Greedy equivalence classes of positions: `(unique, class_of_actor)`.
/// KTAB scans actors in input order (`input_order`); by default we scan them
/// in lexicographic order of position so that the classes (and their
/// representatives) do not depend on the order of the actors. Classes are
/// numbered in order of discovery.
pub(crate) fn unique_positions(a: &Actors, x: &Pos, input_order: bool) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..a.n).collect();
    order.sort_by(|&i, &j| {
        if input_order {
            return i.cmp(&j);
        }
        let (pi, pj) = (pos(x, a.k, i), pos(x, a.k, j));
        pi.iter()
            .zip(pj)
            .map(|(p, q)| p.total_cmp(q))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(i.cmp(&j))
    });
    let mut uniq: Vec<usize> = Vec::new();
    let mut class = vec![0; a.n];
    for &i in &order {
        let pi = pos(x, a.k, i);
        let found = uniq.iter().position(|&u| close(pi, pos(x, a.k, u)));
        class[i] = match found {
            Some(c) => c,
            None => {
                uniq.push(i);
                uniq.len() - 1
            }
        };
    }
    (uniq, class)
}

/// KTAB's "winning probability" of each actor's position: a PCE over the
/// distinct positions, each actor voting with its capability and its own
/// utilities. Returns per-actor probabilities, the representative actor of
/// each distinct position and that position's probability.
pub(crate) fn position_probs(
    a: &Actors,
    x: &Pos,
    s: &Assessment,
    o: &SmpOptions,
) -> (Vec<f64>, Vec<usize>, Vec<f64>) {
    let (uniq, class) = unique_positions(a, x, o.group_in_input_order);
    let ut: Vec<f64> = uniq
        .iter()
        .flat_map(|&m| (0..a.n).map(move |k| s.u(k, k, m)))
        .collect();
    let c = coalitions(o.voting_rule, &a.cap, uniq.len(), &ut, a.unit);
    let p = pce(o.pce, o.victory_prob, &c, uniq.len(), a.unit);
    let per_actor = if o.group_in_input_order {
        // KTAB reports the probability of the *last* distinct position
        // within tolerance of the actor's, which need not be its own class.
        (0..a.n)
            .map(|i| {
                let pi = pos(x, a.k, i);
                let last = uniq.iter().rposition(|&u| close(pi, pos(x, a.k, u)));
                p[last.unwrap_or(class[i])]
            })
            .collect()
    } else {
        class.iter().map(|&c| p[c]).collect()
    };
    (per_actor, uniq, p)
}

/// Actor h's whole perspective: `U^h(p, q)` stored column-major,
/// `m[q * n + p]`, so that a column (everyone's utility of q) is contiguous,
/// plus its diagonal `U^h(p, p)`.
pub(crate) struct Perspective {
    m: Vec<f64>,
    diag: Vec<f64>,
}

pub(crate) fn perspective(s: &Assessment, h: usize) -> Perspective {
    let mut out = Perspective {
        m: Vec::new(),
        diag: Vec::new(),
    };
    perspective_into(s, h, &mut out);
    out
}

/// [`perspective`] into reused buffers.
pub(crate) fn perspective_into(s: &Assessment, h: usize, out: &mut Perspective) {
    let n = s.n;
    out.m.clear();
    out.m.resize(n * n, 0.0);
    let m = &mut out.m;
    for p in 0..n {
        let r = s.rhi[h * n + p];
        let d = &s.d[p * n..(p + 1) * n];
        for q in 0..n {
            m[q * n + p] = bs_util(d[q], r);
        }
    }
    out.diag.clear();
    out.diag.extend((0..n).map(|p| m[p * n + p]));
}

/// Buffers reused from turn to turn (no effect on any number).
#[derive(Default)]
pub(crate) struct Scratch {
    lanes: Lanes,
    /// Option-major utilities of one actor's queue.
    ut: Vec<f64>,
    /// Squared distances of the bargain utilities.
    ds: Vec<f64>,
    /// Each actor's queue of bargains.
    queues: Vec<Vec<usize>>,
    /// Own utilities, position-major, padded rows.
    own_t: Vec<f64>,
    /// The status quo's utility to each actor, and its total over the
    /// positions (before dividing by n).
    sq_util: Vec<f64>,
    sq_total: Vec<f64>,
    /// Each bargain's utility to every actor, padded rows.
    butil: Vec<f64>,
    /// The PCE of one actor's queue.
    pce: PceWork,
}

/// Buffers of one PCE: coalitions, victory matrix, distribution.
#[derive(Default)]
pub(crate) struct PceWork {
    c: Vec<f64>,
    v: Vec<f64>,
    p: Vec<f64>,
}

/// Buffers of the all-targets challenge search ([`best_challenge_lanes`]);
/// every vector has `np` slots (n rounded up to [`LANE_PAD`]).
#[derive(Default)]
pub(crate) struct Lanes {
    /// The number of actors the buffers are sized for.
    n: usize,
    /// Row i of i's perspective: `U^i(i, q)`.
    row_i: Vec<f64>,
    /// Column i and the diagonal of i's perspective: `U^i(j, i)` and
    /// `U^i(j, j)`.
    col_i: Vec<f64>,
    diag: Vec<f64>,
    /// Vote weights and total saliences, padded with zeros.
    weight: Vec<f64>,
    sal_tot: Vec<f64>,
    c0ij: Vec<f64>,
    c0ji: Vec<f64>,
    /// The third parties' votes, net and total (see [`coalitions_from`]).
    net: Vec<f64>,
    total: Vec<f64>,
    /// Each target's gain and probability of success.
    gain: Vec<f64>,
    prob: Vec<f64>,
}

multiversion! {
    /// Step 2 for actor i with every target at once: the targets are SIMD
    /// lanes. Each lane performs exactly the operations of one
    /// [`prob_edu_cols`] call in the same order (the third parties' votes are
    /// added in actor order, a principal's slot adds nothing), so the gains
    /// are the same bit for bit; only the loops are interchanged, so that the
    /// inner loop runs over targets with no dependence between iterations.
    /// The winner is the first largest gain above 1e-5, as in the exhaustive
    /// search.
    fn best_challenge_lanes(a: &Actors, s: &Assessment, o: &SmpOptions, i: usize, l: &mut Lanes) -> Option<Challenge> = lanes_dispatch;
}

/// Monomorphises the lanes for KTAB's defaults (same arithmetic).
#[inline(always)]
fn lanes_dispatch(
    a: &Actors,
    s: &Assessment,
    o: &SmpOptions,
    i: usize,
    l: &mut Lanes,
) -> Option<Challenge> {
    if o.voting_rule == VotingRule::Proportional
        && o.third_party_commit == ThirdPartyCommit::SemiCommit
    {
        lanes_with(
            a,
            s,
            i,
            l,
            |w, du| vote_gap(VotingRule::Proportional, w, du),
            |i, j, n| commit_gaps(ThirdPartyCommit::SemiCommit, i, j, n),
        )
    } else {
        let (rule, tpc) = (o.voting_rule, o.third_party_commit);
        lanes_with(
            a,
            s,
            i,
            l,
            |w, du| vote_gap(rule, w, du),
            |i, j, n| commit_gaps(tpc, i, j, n),
        )
    }
}

#[inline(always)]
fn lanes_with(
    a: &Actors,
    s: &Assessment,
    i: usize,
    l: &mut Lanes,
    vote: impl Fn(f64, f64) -> f64,
    commit: impl Fn(f64, f64, f64) -> (f64, f64),
) -> Option<Challenge> {
    let n = a.n;
    let np = n.next_multiple_of(LANE_PAD);
    // The buffers take their sizes (zeros) when n changes; from then on
    // every slot below n is written before it is read, and the padding
    // lanes of the column and diagonal, the weights and saliences stay
    // zero. (The padding lanes compute numbers no one reads: they have
    // weight 0 and only the first n gains are looked at.)
    if l.n != n || l.row_i.len() != np {
        l.n = n;
        for v in [
            &mut l.row_i,
            &mut l.col_i,
            &mut l.diag,
            &mut l.weight,
            &mut l.sal_tot,
            &mut l.c0ij,
            &mut l.c0ji,
            &mut l.net,
            &mut l.total,
            &mut l.gain,
            &mut l.prob,
        ] {
            v.clear();
            v.resize(np, 0.0);
        }
    }
    // i's perspective `U^i(p, q) = u(d_pq, r̂_ip)` (the same numbers as
    // [`perspective`]'s) is never stored whole: its row i, column i and
    // diagonal here, and each third party's row as lanes in the loop below.
    let rhi = &s.rhi[i * n..(i + 1) * n];
    let rows = |p: usize| (&s.omd[p * np..(p + 1) * np], &s.dcap[p * np..(p + 1) * np]);
    for p in 0..n {
        let (omd, dcap) = rows(p);
        l.col_i[p] = bs_util_split(omd[i], dcap[i], rhi[p]);
        l.diag[p] = bs_util_split(omd[p], dcap[p], rhi[p]);
    }
    let (omd, dcap) = rows(i);
    for ((u, &o), &c) in l.row_i.iter_mut().zip(omd).zip(dcap) {
        *u = bs_util_split(o, c, rhi[i]);
    }
    l.weight[..n].copy_from_slice(&a.weight);
    l.sal_tot[..n].copy_from_slice(&a.sal_tot);
    let row_i = &l.row_i[..np];
    let uii = row_i[i];
    let guard = MIN_CHALLENGE_COALITION * a.unit;
    // The principals' votes, lane j: i votes U(i,i) vs U(i,j), j votes
    // U(j,i) vs U(j,j), added to the guard in that order. (The padding
    // lanes have weight 0 and are never read.)
    {
        let (c0ij, c0ji) = (&mut l.c0ij[..np], &mut l.c0ji[..np]);
        let (weight, col_i, diag) = (&l.weight[..np], &l.col_i[..np], &l.diag[..np]);
        let wi = a.weight[i];
        for j in 0..np {
            let (plus_i, minus_i) = parts(vote(wi, uii - row_i[j]));
            let (plus_j, minus_j) = parts(vote(weight[j], col_i[j] - diag[j]));
            c0ij[j] = (guard + plus_i) + plus_j;
            c0ji[j] = (guard + minus_i) + minus_j;
        }
    }
    // The third parties' votes summed as net and total; the final
    // coalitions are formed from them with the gains.
    l.net.fill(0.0);
    l.total.fill(0.0);
    let (c0ij, c0ji) = (&l.c0ij[..np], &l.c0ji[..np]);
    let (net, total) = (&mut l.net[..np], &mut l.total[..np]);
    // Third parties in actor order; party p adds nothing to its own lane
    // (there it is a principal) and is skipped when it is the initiator.
    let parties = a.weight.iter().zip(&l.col_i).zip(&l.diag).zip(rhi);
    for (p, (((&wp, &upi), &upp), &r)) in parties.enumerate() {
        if p == i {
            continue;
        }
        let (omd, dcap) = rows(p);
        for j in 0..np {
            let upj = bs_util_split(omd[j], dcap[j], r);
            let v = third_party_vote(&vote, &commit, (c0ij[j], c0ji[j]), wp, (upi, upj, upp));
            let v = if j == p { 0.0 } else { v };
            net[j] += v;
            total[j] += v.abs();
        }
    }
    // Every target's gain, as lanes; then the first largest above 1e-5.
    {
        let (gain, prob, sal_tot) = (&mut l.gain[..np], &mut l.prob[..np], &l.sal_tot[..np]);
        let (net, total) = (&l.net[..np], &l.total[..np]);
        for j in 0..np {
            let (cij, cji) = coalitions_from(c0ij[j], c0ji[j], net[j], total[j]);
            (prob[j], gain[j]) = challenge_outcome(uii, row_i[j], sal_tot[j], cij, cji);
        }
    }
    first_of_best(&l.gain[..n], |j, g| j != i && g > MIN_SIG_GAIN).map(|j| Challenge {
        target: j,
        prob: l.prob[j],
        gain: l.gain[j],
    })
}

/// The positive and negative parts of a vote, branch-free: `(max(v, 0),
/// max(−v, 0))`. Adding a zero part leaves a coalition bit-for-bit unchanged.
#[inline(always)]
pub(crate) fn parts(v: f64) -> (f64, f64) {
    (
        if v > 0.0 { v } else { 0.0 },
        if v < 0.0 { -v } else { 0.0 },
    )
}

/// h's estimate (from its perspective matrix `uh`) of the probability that
/// i beats j, and of the expected change in utility to k of i challenging j.
pub(crate) fn prob_edu_challenge(
    a: &Actors,
    uh: &Perspective,
    o: &SmpOptions,
    kij: (usize, usize, usize),
) -> (f64, f64) {
    let n = a.n;
    let (_, i, j) = kij;
    let cols = Cols {
        i: &uh.m[i * n..(i + 1) * n],
        j: &uh.m[j * n..(j + 1) * n],
        diag: &uh.diag,
    };
    prob_edu_cols(a, cols, o, kij, &mut Vec::new())
}

/// The columns of h's perspective a challenge of i to j reads: everyone's
/// utility of i's position, of j's position, and of its own.
#[derive(Clone, Copy)]
pub(crate) struct Cols<'a> {
    pub i: &'a [f64],
    pub j: &'a [f64],
    pub diag: &'a [f64],
}

/// [`prob_edu_challenge`] on the columns it reads; `votes` is a buffer
/// for the third parties' votes (its contents are overwritten).
#[inline(always)]
pub(crate) fn prob_edu_cols(
    a: &Actors,
    uh: Cols<'_>,
    o: &SmpOptions,
    kij: (usize, usize, usize),
    votes: &mut Vec<f64>,
) -> (f64, f64) {
    // Monomorphise the hot loop for KTAB's defaults (same arithmetic).
    if o.voting_rule == VotingRule::Proportional
        && o.third_party_commit == ThirdPartyCommit::SemiCommit
    {
        prob_edu_with(
            a,
            uh,
            |w, du| vote_gap(VotingRule::Proportional, w, du),
            |i, j, n| commit_gaps(ThirdPartyCommit::SemiCommit, i, j, n),
            kij,
            votes,
        )
    } else {
        let (rule, tpc) = (o.voting_rule, o.third_party_commit);
        prob_edu_with(
            a,
            uh,
            |w, du| vote_gap(rule, w, du),
            |i, j, n| commit_gaps(tpc, i, j, n),
            kij,
            votes,
        )
    }
}

/// Third party n's preference for joining i over joining j in each
/// outcome of the little contest, given its utilities of i's, j's and its
/// own position: `(ik_def_j − i_def_jk, j_def_ik − jk_def_i)`, the
/// differences of KTAB's utility sums of the four outcomes `(ik beats j,
/// j beats ik, i beats jk, jk beats i)` in closed form. With semi-commitment
/// these are `(2uni + unn) − 3uni` and `3unj − (2unj + unn)`; with full or no
/// commitment the two sums of each outcome are the same, so n never votes.
#[inline(always)]
fn commit_gaps(tpc: ThirdPartyCommit, uni: f64, unj: f64, unn: f64) -> (f64, f64) {
    match tpc {
        ThirdPartyCommit::SemiCommit => (unn - uni, unj - unn),
        ThirdPartyCommit::FullCommit | ThirdPartyCommit::NoCommit => (0.0, 0.0),
    }
}

#[inline(always)]
fn prob_edu_with(
    a: &Actors,
    uh: Cols<'_>,
    vote: impl Fn(f64, f64) -> f64,
    commit: impl Fn(f64, f64, f64) -> (f64, f64),
    (k, i, j): (usize, usize, usize),
    votes: &mut Vec<f64>,
) -> (f64, f64) {
    let (col_i, col_j) = (uh.i, uh.j);
    let u = |p: usize, q: usize| {
        if q == i {
            col_i[p]
        } else {
            col_j[p]
        }
    };
    let sj = a.sal_tot[j];

    let contrib_i = vote(a.weight[i], u(i, i) - u(i, j));
    let contrib_j = vote(a.weight[j], u(j, i) - u(j, j));
    let mut cij = MIN_CHALLENGE_COALITION * a.unit;
    let mut cji = MIN_CHALLENGE_COALITION * a.unit;
    for v in [contrib_i, contrib_j] {
        let (plus, minus) = parts(v);
        cij += plus;
        cji += minus;
    }
    let (c0ij, c0ji) = (cij, cji);
    let third = |wn: f64, uni: f64, unj: f64, unn: f64| -> f64 {
        third_party_vote(&vote, &commit, (c0ij, c0ji), wn, (uni, unj, unn))
    };
    // Two passes: every third party's vote first (independent of each
    // other, so the compiler can compute several at once), then their net
    // and total in actor order (the lanes' order). The principals' slots
    // are zeroed, which adds nothing.
    let n = a.n;
    votes.clear();
    votes.resize(n, 0.0);
    let (w, diag) = (&a.weight[..n], &uh.diag[..n]);
    let (ci, cj) = (&col_i[..n], &col_j[..n]);
    for m in 0..n {
        votes[m] = third(w[m], ci[m], cj[m], diag[m]);
    }
    votes[i] = 0.0;
    votes[j] = 0.0;
    let (mut net, mut total) = (0.0, 0.0);
    for &v in votes.iter() {
        net += v;
        total += v.abs();
    }
    let (cij, cji) = coalitions_from(c0ij, c0ji, net, total);
    challenge_outcome(u(k, i), u(k, j), sj, cij, cji)
}

/// The final coalitions from the principals' `(c0ij, c0ji)` and the third
/// parties' votes summed as `net = Σ v` and `total = Σ |v|`: their positive
/// parts are `(total + net) / 2` and their negative parts `(total − net) / 2`
/// (KTAB adds the parts one by one; the two agree to rounding, votes being
/// finite). Two sums of whole votes take fewer operations per vote than two
/// sums of parts.
#[inline(always)]
fn coalitions_from(c0ij: f64, c0ji: f64, net: f64, total: f64) -> (f64, f64) {
    (c0ij + (total + net) * 0.5, c0ji + (total - net) * 0.5)
}

/// Third party n's vote in a challenge of i to j, given the principals'
/// coalitions `(c0ij, c0ji)`: n weighs the outcomes of the "little" contest
/// (the principals plus n alone) by its utilities of i's, j's and its own
/// position `(uni, unj, unn)` and votes for the side it would rather join.
#[inline(always)]
fn third_party_vote(
    vote: &impl Fn(f64, f64) -> f64,
    commit: &impl Fn(f64, f64, f64) -> (f64, f64),
    (c0ij, c0ji): (f64, f64),
    wn: f64,
    (uni, unj, unn): (f64, f64, f64),
) -> f64 {
    let (plus, minus) = parts(vote(wn, uni - unj));
    let cni = c0ij + plus;
    let cnj = c0ji + minus;
    let pin = cni / (cni + cnj);
    // u_join_i − u_join_j = pin·gi + (1 − pin)·gj, written as gj + pin·(gi − gj).
    let (gi, gj) = commit(uni, unj, unn);
    vote(wn, (gi - gj) * pin + gj)
}

/// k's estimate of a challenge of i to j from the final coalitions: the
/// probability that i wins and the expected change in k's utility, given
/// k's utilities of i's and j's positions and j's total salience (the
/// chance that j resists).
#[inline(always)]
fn challenge_outcome(uki: f64, ukj: f64, sj: f64, cij: f64, cji: f64) -> (f64, f64) {
    let eu_sq = uki + ukj;
    let u_vict = uki + uki;
    let u_loss = ukj + ukj;
    let pij = cij / (cij + cji);
    let pji = cji / (cij + cji);
    let eu_contest = pij * u_vict + pji * u_loss;
    let eu_chlg = (1.0 - sj) * u_vict + sj * eu_contest;
    (pij, eu_chlg - eu_sq)
}

/// Interpolated bargain positions `(b_i, b_j)` between `xi` and `xj`.
pub(crate) fn interpolate(
    ivb: InterVecBargain,
    xi: (&[f64], &[f64], f64),
    xj: (&[f64], &[f64], f64),
) -> (Vec<f64>, Vec<f64>) {
    let (mut bi, mut bj) = (Vec::new(), Vec::new());
    interpolate_into(ivb, xi, xj, (&mut bi, &mut bj));
    (bi, bj)
}

/// [`interpolate`] into reused buffers (their contents are replaced).
pub(crate) fn interpolate_into(
    ivb: InterVecBargain,
    (xi, si, pi): (&[f64], &[f64], f64),
    (xj, sj, pj): (&[f64], &[f64], f64),
    (bi, bj): (&mut Vec<f64>, &mut Vec<f64>),
) {
    let round4 = |v: f64| ((0.5 + v * 10_000.0) as i64) as f64 / 10_000.0;
    const MIN_W: f64 = 1e-6;
    bi.clear();
    bj.clear();
    for d in 0..xi.len() {
        let (ti, tj, sik, sjk) = (xi[d], xj[d], si[d], sj[d]);
        let (a, b) = match ivb {
            InterVecBargain::S1P1 | InterVecBargain::S2P2 => {
                let (wi, wj) = if ivb == InterVecBargain::S1P1 {
                    (sik * pi, sjk * pj)
                } else {
                    (sik * sik * (pi * pi), sjk * sjk * (pj * pj))
                };
                let den = wi + MIN_W + wj;
                (
                    round4(((wi + MIN_W) * ti + wj * tj) / den),
                    round4((wi * ti + (MIN_W + wj) * tj) / den),
                )
            }
            InterVecBargain::S2PMax => {
                let di = (pj - pi).max(0.0);
                let dj = (pi - pj).max(0.0);
                let (si2, sj2) = (sik * sik, sjk * sjk);
                let dik = (di * sj2) / ((di * sj2) + MIN_W + ((1.0 - di) * si2));
                let djk = (dj * si2) / ((dj * si2) + MIN_W + ((1.0 - dj) * sj2));
                (ti + dik * (tj - ti), tj + djk * (ti - tj))
            }
        };
        bi.push(a);
        bj.push(b);
    }
}

/// An actor's best challenge in one turn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Challenge {
    pub target: usize,
    pub prob: f64,
    pub gain: f64,
}

/// A proposed bargain on the unit scale.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bargain {
    pub init: usize,
    pub rcvr: usize,
    pub pos_init: Vec<f64>,
    pub pos_rcvr: Vec<f64>,
}

/// Everything one turn produced. [`step`] fills it in place, so that a run
/// reuses one result's buffers from turn to turn.
#[derive(Default)]
pub(crate) struct TurnResult {
    pub risk: Vec<f64>,
    pub challenges: Vec<Option<Challenge>>,
    pub bargains: Vec<Bargain>,
    /// Per actor: index into `bargains` of the adopted one, or None (stays).
    pub chosen: Vec<Option<usize>>,
    /// Positions after the turn.
    pub next: Vec<f64>,
    /// The previous turns' bargains, kept for their position buffers.
    spare: Vec<Bargain>,
}

impl TurnResult {
    /// How many bargains the result holds, this turn's and spares.
    #[cfg(test)]
    pub(crate) fn bargains_kept(&self) -> usize {
        self.bargains.len() + self.spare.len()
    }
}

/// Adds a bargain of `init` and `rcvr` whose positions `fill` writes,
/// built on a spare bargain's buffers when there is one.
fn push_bargain(
    (bargains, spare): (&mut Vec<Bargain>, &mut Vec<Bargain>),
    (init, rcvr): (usize, usize),
    fill: impl FnOnce(&mut Vec<f64>, &mut Vec<f64>),
) {
    let mut b = spare.pop().unwrap_or(Bargain {
        init,
        rcvr,
        pos_init: Vec::new(),
        pos_rcvr: Vec::new(),
    });
    (b.init, b.rcvr) = (init, rcvr);
    fill(&mut b.pos_init, &mut b.pos_rcvr);
    bargains.push(b);
}

/// Maps `f` over `0..n`, on up to `available_parallelism` scoped threads
/// when the work is large enough; the result does not depend on threading.
pub(crate) fn par_map<T: Send>(n: usize, heavy: bool, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = if heavy {
        std::thread::available_parallelism()
            .map_or(1, |t| t.get())
            .min(n)
    } else {
        1
    };
    if threads <= 1 {
        return (0..n).map(f).collect();
    }
    let chunk = n.div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t * chunk..((t + 1) * chunk).min(n))
                        .map(f)
                        .collect::<Vec<T>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("SMP worker thread panicked"))
            .collect()
    })
}

multiversion! {
    /// Utility to each actor v of the state after bargain `b`: the mean
    /// over positions of v's utility, with the two principals at their
    /// bargained positions. `own_t[m * np + v]` is v's utility of m's
    /// current position, rows padded to `np` = n rounded up to
    /// [`LANE_PAD`], and `total[v]` its sum over every m (the status quo's
    /// total), so that a bargain costs O(n) rather than O(n²): v's sum is
    /// `((total − U(init's position)) − U(rcvr's position)) + U(b_init) +
    /// U(b_rcvr)`, which differs from adding the other positions one by one
    /// only by rounding (a few ulps of the total; see the tests). The
    /// actors are SIMD lanes (distances as the tests' `Actors::dist`).
    /// The utilities go into `sum[..n]` (`sum` has `np` slots).
    fn bargain_utils(a: &Actors, x: &Pos, r: &[f64], sq: StatusQuo<'_>, b: &Bargain, ds: &mut Vec<f64>, sum: &mut [f64]) -> () = bargain_utils_lanes;
}

/// The current positions' utilities a bargain's utilities start from.
#[derive(Clone, Copy)]
pub(crate) struct StatusQuo<'a> {
    /// `own_t[m * np + v]`: v's utility of m's position, padded rows.
    own_t: &'a [f64],
    /// `total[v]`: the sum of v's row over every position m, in order.
    total: &'a [f64],
}

#[inline(always)]
fn bargain_utils_lanes(
    a: &Actors,
    x: &Pos,
    r: &[f64],
    StatusQuo { own_t, total }: StatusQuo<'_>,
    b: &Bargain,
    ds: &mut Vec<f64>,
    sum: &mut [f64],
) {
    let (n, k) = (a.n, a.k);
    let np = n.next_multiple_of(LANE_PAD);
    assert_eq!(own_t.len(), n * np);
    assert_eq!(total.len(), n);
    assert_eq!(sum.len(), np);
    // Squared distances to the two bargained positions (a reused buffer).
    ds.clear();
    ds.resize(2 * n, 0.0);
    let (ds_init, ds_rcvr) = ds.split_at_mut(n);
    for dim in 0..k {
        let (yi, yr) = (b.pos_init[dim], b.pos_rcvr[dim]);
        for v in 0..n {
            let (xv, sv) = (x[v * k + dim], a.sal[v * k + dim]);
            let di = (xv - yi) * sv;
            ds_init[v] += di * di;
            let dr = (xv - yr) * sv;
            ds_rcvr[v] += dr * dr;
        }
    }
    sum[n..].fill(0.0);
    let own_init = &own_t[b.init * np..b.init * np + n];
    let own_rcvr = &own_t[b.rcvr * np..b.rcvr * np + n];
    for v in 0..n {
        let sq = a.sal_sq[v];
        // Computed, then selected: no branch in the lane.
        let dist = |ds: f64| {
            let d = (ds / sq).sqrt();
            if sq <= 0.0 {
                0.0
            } else {
                d
            }
        };
        let others = (total[v] - own_init[v]) - own_rcvr[v];
        let u_init = bs_util(dist(ds_init[v]), r[v]);
        let u_rcvr = bs_util(dist(ds_rcvr[v]), r[v]);
        sum[v] = ((others + u_init) + u_rcvr) / n as f64;
    }
}

/// The option an actor adopts from its queue (`ut[option * n + voter]`,
/// the status quo first): the most probable in a capability-weighted PCE
/// (probabilities within [`TIE`] of the largest count as tied and the
/// earliest wins), or, with stochastic transitions, one drawn with its
/// probability.
fn choose(
    o: &SmpOptions,
    cap: &[f64],
    unit: f64,
    ut: &[f64],
    n_opts: usize,
    rng: &mut ChaCha8Rng,
    pw: &mut PceWork,
) -> usize {
    let PceWork { c, v, p } = pw;
    coalitions_into(o.voting_rule, cap, n_opts, ut, unit, c);
    pce_into(o.pce, o.victory_prob, c, n_opts, unit, v, p);
    match o.transitions {
        StateTransitions::Deterministic => first_of_best(p, |_, _| true).unwrap_or(0),
        StateTransitions::Stochastic => {
            let draw: f64 = rng.random();
            let mut acc = 0.0;
            let mut pick = p.len() - 1;
            for (m, &pm) in p.iter().enumerate() {
                acc += pm;
                if draw < acc {
                    pick = m;
                    break;
                }
            }
            pick
        }
    }
}

/// Runs one turn from positions `x` (unit scale) with its assessment.
pub(crate) fn step(
    a: &Actors,
    x: &Pos,
    s: &Assessment,
    o: &SmpOptions,
    rng: &mut ChaCha8Rng,
    scratch: &mut Scratch,
    out: &mut TurnResult,
) {
    let (n, k) = (a.n, a.k);
    let heavy = n >= PARALLEL_ACTORS;
    let TurnResult {
        risk,
        challenges,
        bargains,
        chosen,
        next,
        spare,
    } = out;
    spare.append(bargains);
    challenges.clear();
    if heavy {
        challenges.extend(par_map(n, heavy, |i| {
            best_challenge_lanes(a, s, o, i, &mut Lanes::default())
        }));
    } else {
        challenges.extend((0..n).map(|i| best_challenge_lanes(a, s, o, i, &mut scratch.lanes)));
    }

    // Step 3: bargains, in initiator order.
    for (i, ch) in challenges.iter().enumerate() {
        let Some(ch) = ch else { continue };
        let j = ch.target;
        let (xi, xj) = (pos(x, k, i), pos(x, k, j));
        let (si, sj) = (a.sal(i), a.sal(j));
        let fill = |p: f64| {
            move |bi: &mut Vec<f64>, bj: &mut Vec<f64>| {
                interpolate_into(o.interpolation, (xi, si, p), (xj, sj, 1.0 - p), (bi, bj))
            }
        };
        let from = |p: f64| interpolate(o.interpolation, (xi, si, p), (xj, sj, 1.0 - p));
        // Positions computed whole still take a spare bargain, so that the
        // spares never outnumber one turn's bargains.
        let mut add = |(pi, pj): (Vec<f64>, Vec<f64>)| {
            push_bargain((&mut *bargains, &mut *spare), (i, j), |bi, bj| {
                (*bi, *bj) = (pi, pj);
            })
        };
        match o.bargain_model {
            BargainModel::InitOnly => push_bargain((bargains, spare), (i, j), fill(ch.prob)),
            BargainModel::InitRcvr | BargainModel::PowerWeighted => {
                // The receiver's estimate of the probability that i beats j.
                let (pj_est, _) = prob_edu_challenge(a, &perspective(s, j), o, (i, i, j));
                let bi = from(ch.prob);
                let bj = from(pj_est);
                if o.bargain_model == BargainModel::InitRcvr {
                    add(bi);
                    add(bj);
                } else {
                    let wi = a.cap[i] * a.sal_tot[i];
                    let wj = a.cap[j] * a.sal_tot[j];
                    let avg = |p: &[f64], q: &[f64]| -> Vec<f64> {
                        p.iter()
                            .zip(q)
                            .map(|(p, q)| (wi * p + wj * q) / (wi + wj))
                            .collect()
                    };
                    let b = if wi + wj > 0.0 {
                        (avg(&bi.0, &bj.0), avg(&bi.1, &bj.1))
                    } else {
                        bi
                    };
                    add(b);
                }
            }
        }
    }

    // Queues: status quo first, then every bargain naming the actor.
    let queues = &mut scratch.queues;
    queues.resize_with(n, Vec::new);
    for q in queues.iter_mut() {
        q.clear();
    }
    for (m, b) in bargains.iter().enumerate() {
        queues[b.init].push(m);
        queues[b.rcvr].push(m);
    }

    // Own utilities, `own_t[m * np + v] = U^v(v, m)`: v's utility of m's
    // position, rows padded to `np` lanes (the padding stays 0).
    let np = n.next_multiple_of(LANE_PAD);
    // (Zeroed only when n changes: the first n lanes of every row are
    // written below, and the padding lanes are never written.)
    let own_t = &mut scratch.own_t;
    if own_t.len() != n * np {
        own_t.clear();
        own_t.resize(n * np, 0.0);
    }
    for (m, row) in own_t.chunks_exact_mut(np).enumerate() {
        for (v, u) in row[..n].iter_mut().enumerate() {
            *u = s.u(v, v, m);
        }
    }
    // The status quo's utility to each actor: the mean over positions, in
    // the order of the positions.
    let (sq_total, sq_util) = (&mut scratch.sq_total, &mut scratch.sq_util);
    sq_total.clear();
    sq_total.extend((0..n).map(|v| (0..n).map(|m| own_t[m * np + v]).sum::<f64>()));
    sq_util.clear();
    sq_util.extend(sq_total.iter().map(|t| t / n as f64));
    // Utility to every actor of the state after each bargain, shared by
    // the two queues a bargain sits in: `butil[m * np + v]`.
    // Every slot of a row is written by `bargain_utils` (or copied from
    // its output), so the buffer is not zeroed.
    let butil = &mut scratch.butil;
    butil.resize(bargains.len() * np, 0.0);
    let sq = StatusQuo {
        own_t,
        total: sq_total,
    };
    if heavy {
        let rows = par_map(bargains.len(), heavy, |m| {
            let mut sum = vec![0.0; np];
            bargain_utils(a, x, &s.r, sq, &bargains[m], &mut Vec::new(), &mut sum);
            sum
        });
        for (row, sum) in butil.chunks_exact_mut(np).zip(rows) {
            row.copy_from_slice(&sum);
        }
    } else {
        let ds = &mut scratch.ds;
        for (b, row) in bargains.iter().zip(butil.chunks_exact_mut(np)) {
            bargain_utils(a, x, &s.r, sq, b, ds, row);
        }
    }

    chosen.clear();
    chosen.resize(n, None);
    next.clear();
    next.extend_from_slice(x);
    for kk in 0..n {
        if queues[kk].is_empty() {
            continue;
        }
        // Options: the status quo (option 0), then the queue's bargains.
        let n_opts = 1 + queues[kk].len();
        let ut = &mut scratch.ut;
        ut.clear();
        ut.extend_from_slice(sq_util);
        for &m in &queues[kk] {
            ut.extend_from_slice(&butil[m * np..m * np + n]);
        }
        let pick = choose(o, &a.cap, a.unit, ut, n_opts, rng, &mut scratch.pce);
        if let Some(&m) = pick.checked_sub(1).map(|q| &queues[kk][q]) {
            chosen[kk] = Some(m);
            let b = &bargains[m];
            let np = if b.init == kk {
                &b.pos_init
            } else {
                &b.pos_rcvr
            };
            next[kk * k..(kk + 1) * k].copy_from_slice(np);
        }
    }
    risk.clear();
    risk.extend_from_slice(&s.r);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::smp::params::{BigRAdjust, BigRRange};
    use crate::smp::pce::vote;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed};

    /// The plain step 2: every target in index order on the full
    /// perspective matrix, the first gain within `TIE` of the largest
    /// above 1e-5.
    fn best_challenge_exhaustive(
        a: &Actors,
        s: &Assessment,
        o: &SmpOptions,
        i: usize,
    ) -> Option<Challenge> {
        let uh = perspective(s, i);
        let all: Vec<(f64, f64)> = (0..a.n)
            .map(|j| {
                if j == i {
                    (0.0, f64::NEG_INFINITY)
                } else {
                    prob_edu_challenge(a, &uh, o, (i, i, j))
                }
            })
            .collect();
        let gains: Vec<f64> = all.iter().map(|c| c.1).collect();
        let j = first_of_best(&gains, |j, g| j != i && g > MIN_SIG_GAIN)?;
        let (prob, gain) = all[j];
        Some(Challenge {
            target: j,
            prob,
            gain,
        })
    }

    fn actors(cap: Vec<f64>, sal: Vec<f64>, k: usize) -> Actors {
        let n = cap.len();
        let sal_tot: Vec<f64> = (0..n)
            .map(|i| sal[i * k..(i + 1) * k].iter().sum())
            .collect();
        let sal_sq = (0..n)
            .map(|i| sal[i * k..(i + 1) * k].iter().map(|s| s * s).sum())
            .collect();
        let weight = (0..n).map(|i| sal_tot[i] * cap[i]).collect();
        Actors {
            n,
            k,
            cap,
            sal,
            sal_tot,
            sal_sq,
            weight,
            unit: 1.0,
        }
    }

    /// A random state of n actors on k dimensions from `seed`: capabilities
    /// `cap(u)` of uniforms u, saliences summing to at most 1, positions on
    /// a coarse grid so that ties and equal positions occur.
    fn random_state(n: usize, k: usize, seed: u64, cap: impl Fn(f64) -> f64) -> (Actors, Vec<f64>) {
        let mut next = crate::simd::uniforms(seed);
        let caps: Vec<f64> = (0..n).map(|_| cap(next())).collect();
        let sal: Vec<f64> = (0..n * k).map(|_| next() / k as f64).collect();
        let x: Vec<f64> = (0..n * k).map(|_| (next() * 5.0).floor() / 4.0).collect();
        (actors(caps, sal, k), x)
    }

    proptest! {
        #![proptest_config(Config { cases: 300, rng_seed: RngSeed::Fixed(7), failure_persistence: None, ..Config::default() })]

        /// Step 2 with the targets as lanes picks exactly the exhaustive
        /// one's challenge (target, probability and gain, bit for bit), on
        /// the widest vector unit and on the baseline build, including
        /// states with repeated positions (ties).
        #[test]
        fn lane_challenge_search_is_the_exhaustive_one(
            (n, k) in (2usize..30, 1usize..3),
            seed in any::<u64>(),
            adjust in prop::sample::select(vec![BigRAdjust::None, BigRAdjust::OneThird, BigRAdjust::Full]),
            range in prop::sample::select(vec![BigRRange::Min, BigRRange::Mid, BigRRange::Max]),
            tpc in prop::sample::select(vec![ThirdPartyCommit::NoCommit, ThirdPartyCommit::SemiCommit, ThirdPartyCommit::FullCommit]),
            rule in prop::sample::select(vec![VotingRule::Proportional, VotingRule::Binary, VotingRule::Cubic]),
        ) {
            let (a, x) = random_state(n, k, seed, |u| 1.0 + 99.0 * u);
            let o = SmpOptions { big_r_adjust: adjust, big_r_range: range, third_party_commit: tpc, voting_rule: rule, ..SmpOptions::default() };
            let s = assess(&a, &x, &o);
            let mut sc = Scratch::default();
            // Buffers last used for other actors (one more, and one fewer):
            // whatever they hold must not reach the answer.
            let mut dirty = [Lanes::default(), Lanes::default()];
            for (lanes, m) in dirty.iter_mut().zip([n + 1, n.saturating_sub(1).max(1)]) {
                let (b, y) = random_state(m, k, seed ^ 1, |u| 1.0 + 99.0 * u);
                let t = assess(&b, &y, &o);
                for h in 0..m {
                    best_challenge_lanes(&b, &t, &o, h, lanes);
                }
            }
            for i in 0..n {
                let want = best_challenge_exhaustive(&a, &s, &o, i);
                let key = |c: Option<Challenge>| c.map(|c| (c.target, c.prob.to_bits(), c.gain.to_bits()));
                // The widest vector unit of this CPU, and the baseline build.
                let widest = best_challenge_lanes(&a, &s, &o, i, &mut sc.lanes);
                prop_assert_eq!(key(want), key(widest), "widest lanes, actor {}", i);
                let baseline = lanes_dispatch(&a, &s, &o, i, &mut sc.lanes);
                prop_assert_eq!(key(want), key(baseline), "baseline lanes, actor {}", i);
                for lanes in &mut dirty {
                    let reused = best_challenge_lanes(&a, &s, &o, i, lanes);
                    prop_assert_eq!(key(want), key(reused), "reused lanes, actor {}", i);
                }
            }
        }

        /// The lane-parallel assessment (widest unit and baseline build)
        /// equals the pair-by-pair one bit for bit: distances, risk
        /// attitudes and every perspective estimate, with zero saliences,
        /// several dimensions and equal positions.
        #[test]
        fn lane_assessment_is_the_reference_bit_for_bit(
            (n, k) in (1usize..20, 1usize..4),
            seed in any::<u64>(),
            rule in prop::sample::select(vec![VotingRule::Proportional, VotingRule::Binary, VotingRule::AsymProspect]),
            adjust in prop::sample::select(vec![BigRAdjust::None, BigRAdjust::OneThird, BigRAdjust::Full]),
        ) {
            let (mut a, x) = random_state(n, k, seed, |u| 1.0 + 99.0 * u);
            // An actor with no salience at all (distance 0 to everything).
            if n > 2 {
                a.sal[k..2 * k].fill(0.0);
                a.sal_sq[1] = 0.0;
                a.sal_tot[1] = 0.0;
                a.weight[1] = 0.0;
            }
            let o = SmpOptions { voting_rule: rule, big_r_adjust: adjust, ..SmpOptions::default() };
            let want = assess_reference(&a, &x, &o);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            let baseline = {
                let mut s = Assessment::default();
                assess_lanes(&a, &x, &o, &mut s);
                s
            };
            // An assessment last used for more actors, then fewer: whatever
            // its buffers hold must not reach the answer.
            let reused = {
                let mut s = Assessment::default();
                for m in [n + 3, n.saturating_sub(1).max(1)] {
                    let (b, y) = random_state(m, k, seed ^ 2, |u| 1.0 + 99.0 * u);
                    assess_into(&b, &y, &o, &mut s);
                }
                assess_into(&a, &x, &o, &mut s);
                s
            };
            let np = n.next_multiple_of(LANE_PAD);
            for (name, got) in [("widest", assess(&a, &x, &o)), ("baseline", baseline), ("reused", reused)] {
                prop_assert_eq!(bits(&want.d), bits(&got.d), "{} d", name);
                prop_assert_eq!(bits(&want.r), bits(&got.r), "{} r", name);
                prop_assert_eq!(bits(&want.rhi), bits(&got.rhi), "{} rhi", name);
                // The split distances: the first n lanes of each padded row
                // are the reference's distances split, the padding is 0.
                prop_assert_eq!((got.omd.len(), got.dcap.len()), (n * np, n * np), "{} split size", name);
                for i in 0..n {
                    for j in 0..np {
                        let (o, c) = if j < n { split_distance(want.d[i * n + j]) } else { (0.0, 0.0) };
                        prop_assert_eq!(
                            (o.to_bits(), c.to_bits()),
                            (got.omd[i * np + j].to_bits(), got.dcap[i * np + j].to_bits()),
                            "{} split {} {}", name, i, j
                        );
                    }
                }
            }
        }

        /// The bargain utilities (widest unit and baseline build) are the
        /// mean over positions of v's utility with the principals at their
        /// bargained positions, written out here pair by pair: equal to
        /// within rounding (they start from the status quo's total instead
        /// of adding the other positions one by one), and bit for bit equal
        /// to that total-based formula computed one voter at a time.
        #[test]
        fn lane_bargain_utilities_are_the_mean_utility_after_the_bargain(
            (n, k) in (2usize..20, 1usize..4),
            seed in any::<u64>(),
        ) {
            let (mut a, x) = random_state(n, k, seed, |u| 1.0 + 99.0 * u);
            a.sal[..k].fill(0.0);
            a.sal_sq[0] = 0.0;
            let o = SmpOptions::default();
            let s = assess(&a, &x, &o);
            let own: Vec<f64> = (0..n * n).map(|an| s.u(an / n, an / n, an % n)).collect();
            let np = n.next_multiple_of(LANE_PAD);
            let mut own_t = vec![0.0; n * np];
            for m in 0..n {
                for v in 0..n {
                    own_t[m * np + v] = own[v * n + m];
                }
            }
            let total: Vec<f64> = (0..n).map(|v| (0..n).map(|m| own[v * n + m]).sum()).collect();
            let (init, rcvr) = ((seed % n as u64) as usize, ((seed / 7) % n as u64) as usize);
            let rcvr = if rcvr == init { (init + 1) % n } else { rcvr };
            let b = Bargain {
                init,
                rcvr,
                pos_init: (0..k).map(|d| (x[init * k + d] + x[rcvr * k + d]) / 2.0).collect(),
                pos_rcvr: (0..k).map(|d| x[rcvr * k + d] * 0.75).collect(),
            };
            let (mut pairwise, mut from_total) = (Vec::new(), Vec::new());
            for v in 0..n {
                let ideal = &x[v * k..(v + 1) * k];
                let u_init = bs_util(a.dist(v, ideal, &b.pos_init), s.r[v]);
                let u_rcvr = bs_util(a.dist(v, ideal, &b.pos_rcvr), s.r[v]);
                let mut sum = u_init + u_rcvr;
                for m in (0..n).filter(|&m| m != init && m != rcvr) {
                    sum += own[v * n + m];
                }
                pairwise.push(sum / n as f64);
                let others = (total[v] - own[v * n + init]) - own[v * n + rcvr];
                from_total.push(((others + u_init) + u_rcvr) / n as f64);
            }
            for (v, (p, t)) in pairwise.iter().zip(&from_total).enumerate() {
                // Utilities lie in [−3, 1]: a wrong term is off by far more.
                prop_assert!((p - t).abs() <= 1e-13, "voter {}: {} vs {}", v, p, t);
            }
            let want: Vec<u64> = from_total.iter().map(|x| x.to_bits()).collect();
            let bits = |v: &[f64]| v[..n].iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            // Output buffers holding earlier numbers: only `sum[..n]` is read.
            let mut sum = vec![3.0; np];
            bargain_utils(&a, &x, &s.r, StatusQuo { own_t: &own_t, total: &total }, &b, &mut Vec::new(), &mut sum);
            prop_assert_eq!(&want, &bits(&sum), "widest");
            let mut sum = vec![-5.0; np];
            bargain_utils_lanes(&a, &x, &s.r, StatusQuo { own_t: &own_t, total: &total }, &b, &mut vec![7.0; 3], &mut sum);
            prop_assert_eq!(&want, &bits(&sum), "baseline");
        }

        /// The third parties' votes summed as net and total give KTAB's
        /// probability and gain to rounding: KTAB's one-pass loop is written
        /// out here (each third party's vote, its positive and negative
        /// parts added in actor order, the principals skipped).
        /// Probabilities lie in [0, 1] and gains within a few units, so a
        /// wrong term is off by far more (swapping net and total's signs
        /// fails at once).
        #[test]
        fn net_and_total_sums_give_ktabs_one_pass_loop(
            (n, k) in (3usize..16, 1usize..3),
            seed in any::<u64>(),
            tpc in prop::sample::select(vec![ThirdPartyCommit::NoCommit, ThirdPartyCommit::SemiCommit, ThirdPartyCommit::FullCommit]),
            rule in prop::sample::select(vec![VotingRule::Proportional, VotingRule::Binary, VotingRule::Cubic]),
        ) {
            // Some zero capabilities, so that abstaining third parties occur.
            let (a, x) = random_state(n, k, seed, |u| if u < 0.15 { 0.0 } else { 100.0 * u });
            let o = SmpOptions { third_party_commit: tpc, voting_rule: rule, ..SmpOptions::default() };
            let s = assess(&a, &x, &o);
            let mut buf = Vec::new();
            for h in 0..n {
                let uh = perspective(&s, h);
                for i in 0..n {
                    for j in (0..n).filter(|&j| j != i) {
                        let got = prob_edu_cols(&a, cols_of(&uh, n, i, j), &o, (h, i, j), &mut buf);
                        let want = one_pass(&a, &uh, &o, (h, i, j));
                        prop_assert!((got.0 - want.0).abs() <= 1e-13 && (got.1 - want.1).abs() <= 1e-13, "h {} i {} j {}: {:?} vs {:?}", h, i, j, got, want);
                    }
                }
            }
        }
    }

    /// The split utility is `bs_util` bit for bit, on distances inside and
    /// outside [0, 1], at 1 and just past it, ±0, infinities and NaN.
    #[test]
    fn split_utility_is_bs_util_bit_for_bit() {
        let mut next = crate::simd::uniforms(20261204);
        let mut ds = vec![
            0.0,
            -0.0,
            1.0,
            1.0 + f64::EPSILON,
            1.0 - f64::EPSILON / 2.0,
            2.0,
            f64::INFINITY,
            f64::NAN,
        ];
        ds.extend((0..20_000).map(|_| 1.5 * next()));
        let mut rs = vec![-1.0, 0.0, -0.0, 1.0, f64::NAN];
        rs.extend((0..50).map(|_| 2.0 * next() - 1.0));
        for &d in &ds {
            for &r in &rs {
                let (omd, dcap) = split_distance(d);
                assert_eq!(
                    bs_util_split(omd, dcap, r).to_bits(),
                    bs_util(d, r).to_bits(),
                    "d {d} r {r}"
                );
            }
        }
    }

    /// KTAB's utility sums of the four outcomes of a challenge, as KTAB
    /// writes them: `(ik beats j, j beats ik, i beats jk, jk beats i)`.
    fn ktab_sums(tpc: ThirdPartyCommit, uni: f64, unj: f64, unn: f64) -> [f64; 4] {
        match tpc {
            ThirdPartyCommit::FullCommit => [3.0 * uni, 3.0 * unj, 3.0 * uni, 3.0 * unj],
            ThirdPartyCommit::SemiCommit => {
                [2.0 * uni + unn, 3.0 * unj, 3.0 * uni, 2.0 * unj + unn]
            }
            ThirdPartyCommit::NoCommit => [
                2.0 * uni + unn,
                2.0 * unj + unn,
                2.0 * uni + unn,
                2.0 * unj + unn,
            ],
        }
    }

    /// The closed-form gaps give the difference of KTAB's expected
    /// utilities of joining i and joining j, `pin·(ik_def_j + …)` minus
    /// `pin·(i_def_jk + …)`, to within rounding (a few ulps of the sums);
    /// with full or no commitment both are exactly zero.
    #[test]
    fn commit_gaps_are_the_difference_of_ktabs_sums() {
        let mut next = crate::simd::uniforms(20261203);
        let mut worst: f64 = 0.0;
        for _ in 0..200_000 {
            // Utilities in [−3, 1] (distances up to 2 with any risk
            // attitude), probabilities in [0, 1] with the ends included.
            let (uni, unj, unn) = (4.0 * next() - 3.0, 4.0 * next() - 3.0, 4.0 * next() - 3.0);
            let pin = match (1000.0 * next()) as u32 {
                0 => 0.0,
                1 => 1.0,
                _ => next(),
            };
            for tpc in [
                ThirdPartyCommit::FullCommit,
                ThirdPartyCommit::SemiCommit,
                ThirdPartyCommit::NoCommit,
            ] {
                let [ik_def_j, j_def_ik, i_def_jk, jk_def_i] = ktab_sums(tpc, uni, unj, unn);
                let pjn = 1.0 - pin;
                let want = (pin * ik_def_j + pjn * j_def_ik) - (pin * i_def_jk + pjn * jk_def_i);
                let (gi, gj) = commit_gaps(tpc, uni, unj, unn);
                let got = (gi - gj) * pin + gj;
                if tpc == ThirdPartyCommit::SemiCommit {
                    let scale = uni.abs().max(unj.abs()).max(unn.abs());
                    worst = worst.max((got - want).abs() / scale);
                } else {
                    assert_eq!((got, want), (0.0, 0.0), "{tpc:?}");
                }
            }
        }
        // Rounding only: a slip in a gap (a sign, a swapped term) is off by
        // a utility's size, not by 1e-14 of it.
        assert!(worst < 1e-14, "worst relative gap {worst:e}");
        assert!(
            worst > 0.0,
            "the two forms should differ in the last bits somewhere"
        );
    }

    fn cols_of(uh: &Perspective, n: usize, i: usize, j: usize) -> Cols<'_> {
        Cols {
            i: &uh.m[i * n..(i + 1) * n],
            j: &uh.m[j * n..(j + 1) * n],
            diag: &uh.diag,
        }
    }

    /// h's estimate of P(i beats j) and of h's expected gain, one pass over
    /// the third parties (the loop before the two-pass form).
    fn one_pass(
        a: &Actors,
        uh: &Perspective,
        o: &SmpOptions,
        (k, i, j): (usize, usize, usize),
    ) -> (f64, f64) {
        let n = a.n;
        let u = |p: usize, q: usize| uh.m[q * n + p];
        let v = |w: f64, x: f64, y: f64| vote(o.voting_rule, w, x, y);
        let eu_sq = u(k, i) + u(k, j);
        let u_vict = u(k, i) + u(k, i);
        let u_loss = u(k, j) + u(k, j);
        let sj = a.sal_tot[j];
        let mut cij = MIN_CHALLENGE_COALITION * a.unit;
        let mut cji = MIN_CHALLENGE_COALITION * a.unit;
        for w in [
            v(a.weight[i], u(i, i), u(i, j)),
            v(a.weight[j], u(j, i), u(j, j)),
        ] {
            let (plus, minus) = parts(w);
            cij += plus;
            cji += minus;
        }
        let (c0ij, c0ji) = (cij, cji);
        for m in 0..n {
            if m == i || m == j {
                continue;
            }
            let (uni, unj, unn) = (u(m, i), u(m, j), uh.diag[m]);
            let (plus, minus) = parts(v(a.weight[m], uni, unj));
            let (cni, cnj) = (c0ij + plus, c0ji + minus);
            let pin = cni / (cni + cnj);
            let (gi, gj) = commit_gaps(o.third_party_commit, uni, unj, unn);
            let (plus, minus) = parts(v(a.weight[m], (gi - gj) * pin + gj, 0.0));
            cij += plus;
            cji += minus;
        }
        let pij = cij / (cij + cji);
        let pji = cji / (cij + cji);
        let eu_chlg = (1.0 - sj) * u_vict + sj * (pij * u_vict + pji * u_loss);
        (pij, eu_chlg - eu_sq)
    }

    /// The mini report fixture's third turn (A at 25.03, B and C at
    /// 40.61; capabilities 2, 1, 1, which the model scales to 64, 32, 32):
    /// A's queue holds the status quo and a bargain with C at 25.26 that A
    /// prefers by exactly as much as B and C prefer the status quo, so the
    /// PCE gives each one half. These are the utilities (status quo's row,
    /// then the bargain's) that summing the bargain's terms position by
    /// position (KTAB's order) and starting from the status quo's total
    /// give: equal but for the last bits of the bargain's, which put its
    /// probability 1e-15 above or exactly at one half. Either way the
    /// status quo stays; a real preference of 1e-9 is not a tie.
    #[test]
    fn a_tie_up_to_rounding_keeps_the_status_quo() {
        let o = SmpOptions::default();
        let cap = [64.0, 32.0, 32.0];
        let unit = 64.0 / 100.0;
        let sq = [0.8961333333333332, 0.9480666666666666, 0.9480666666666666];
        let by_position = [0.9465333333333333, 0.8976666666666667, 0.8976666666666667];
        let from_total = [0.9465333333333333, 0.8976666666666665, 0.8976666666666665];
        let mut rng = <ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0);
        for bargain in [by_position, from_total] {
            let ut = [sq, bargain].concat();
            assert_eq!(
                choose(&o, &cap, unit, &ut, 2, &mut rng, &mut PceWork::default()),
                0,
                "{bargain:?}"
            );
        }
        let mut keen = [sq, by_position].concat();
        keen[3] += 1e-9;
        assert_eq!(
            choose(&o, &cap, unit, &keen, 2, &mut rng, &mut PceWork::default()),
            1
        );
        let mut cool = [sq, from_total].concat();
        cool[3] -= 1e-9;
        assert_eq!(
            choose(&o, &cap, unit, &cool, 2, &mut rng, &mut PceWork::default()),
            0
        );
    }
}
