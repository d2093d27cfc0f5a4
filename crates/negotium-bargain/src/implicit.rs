//! Searching a party's preferences without listing the outcome space.
//!
//! * [`AdditiveIndex`] — linear additive utilities, by per-issue search.
//!   Each issue's contribution `wᵢ·vᵢ(x)` is rounded to an integer number of
//!   units δ = (max − min)/R (R = 2¹⁶ by default, lowered to keep the index
//!   under 32 MiB); for every issue suffix and every reachable rounded sum
//!   the index keeps the largest *true* sum with that rounded sum. Two
//!   outcomes with the same rounded total differ by at most n·δ (n issues),
//!   so the inverse utility ("the worst outcome with utility ≥ L") — the
//!   smallest of these per-total maxima that is ≥ L — is ≥ L and at most
//!   n·δ above the true worst outcome at or above L
//!   ([`AdditiveIndex::inverse_error`]). Best, worst and the k-th best
//!   outcome (best-first enumeration over per-issue value rankings, exact up
//!   to floating-point rounding of the sums) are exact.
//! * [`SearchIndex`] — any other utility (non-linear): a seeded local search
//!   (random samples, hill climbing with restarts and perturbations) keeps
//!   an archive of the outcomes it visits; inverse utility, ranking and
//!   random draws use that archive. This is a heuristic, and labelled so:
//!   the maximum is the best *found*, the inverse utility is the worst
//!   *archived* outcome at or above the level.
//!
//! [`ImplicitView`] puts either index behind the strategies'
//! [`PartyView`] for [`Bid`] outcomes.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::outcome::Bid;
use crate::prefs::Utility;
use crate::strategy::PartyView;
use crate::ufun::UtilityFn;

/// Default resolution R of the rounded per-issue sums.
pub const DEFAULT_RESOLUTION: usize = 1 << 16;
/// Memory cap of one index's tables, in `f64` entries (32 MiB).
const MAX_ENTRIES: usize = 4 << 20;

/// Per-issue search structures of one linear additive utility.
#[derive(Debug, Clone)]
pub struct AdditiveIndex {
    /// `contrib[k][v] = w_k · t_k[v]`.
    contrib: Vec<Vec<f64>>,
    /// Rounded contributions above each issue's minimum, in units of `delta`.
    q: Vec<Vec<u32>>,
    /// `top[k][r]`: the largest true sum of issues k.. whose rounded sum is
    /// r (−∞ when r is unreachable).
    top: Vec<Vec<f64>>,
    delta: f64,
    base: f64,
    min: f64,
    max: f64,
    argmin: Bid,
    argmax: Bid,
    /// Per issue, value indices by decreasing contribution (ties: lower index first).
    ranked: Vec<Vec<u32>>,
}

impl AdditiveIndex {
    /// Builds the index with the default resolution.
    pub fn new(u: &Utility) -> AdditiveIndex {
        Self::with_resolution(u, DEFAULT_RESOLUTION)
    }

    /// Builds the index with `resolution` units over the utility range
    /// (lowered if the tables would exceed 32 MiB).
    pub fn with_resolution(u: &Utility, resolution: usize) -> AdditiveIndex {
        let n = u.tables.len();
        let contrib: Vec<Vec<f64>> = u
            .weights
            .iter()
            .zip(&u.tables)
            .map(|(w, t)| t.iter().map(|x| w * x).collect())
            .collect();
        let pick = |better: fn(f64, f64) -> bool| -> Bid {
            Bid::new(contrib.iter().map(|c| {
                let mut b = 0;
                for (v, &x) in c.iter().enumerate() {
                    if better(x, c[b]) {
                        b = v;
                    }
                }
                b
            }))
        };
        let argmin = pick(|a, b| a < b);
        let argmax = pick(|a, b| a > b);
        let eval = |b: &Bid| {
            let mut s = 0.0;
            for (c, &v) in contrib.iter().zip(b.0.iter()) {
                s += c[v as usize];
            }
            s
        };
        let min = eval(&argmin);
        let max = eval(&argmax);
        let cmin: Vec<f64> = contrib
            .iter()
            .map(|c| c.iter().cloned().fold(f64::INFINITY, f64::min))
            .collect();
        let base: f64 = cmin.iter().sum();
        let max_res = (MAX_ENTRIES / (n + 1)).saturating_sub(n + 1).max(16);
        let res = resolution.clamp(16, max_res);
        let range = max - min;
        let delta = if range > 0.0 { range / res as f64 } else { 1.0 };
        let q: Vec<Vec<u32>> = contrib
            .iter()
            .zip(&cmin)
            .map(|(c, m)| {
                c.iter()
                    .map(|x| ((x - m) / delta).round().max(0.0) as u32)
                    .collect()
            })
            .collect();
        let total: usize = q
            .iter()
            .map(|t| t.iter().copied().max().unwrap_or(0) as usize)
            .sum();
        let mut top = vec![vec![f64::NEG_INFINITY; total + 1]; n + 1];
        top[n][0] = 0.0;
        for k in (0..n).rev() {
            let (head, tail) = top.split_at_mut(k + 1);
            let next = &tail[0];
            let cur = &mut head[k];
            // Values that quantise to the same level contribute only through
            // the largest of them (rounding is monotone: max(c) + x is the
            // max of c + x), so an issue with a million values costs no more
            // than one with `res` levels.
            let levels = q[k].iter().copied().max().unwrap_or(0) as usize;
            let mut best = vec![f64::NEG_INFINITY; levels + 1];
            for (&qv, &c) in q[k].iter().zip(&contrib[k]) {
                let b = &mut best[qv as usize];
                *b = b.max(c);
            }
            for (qv, &c) in best.iter().enumerate() {
                if c == f64::NEG_INFINITY {
                    continue;
                }
                // −∞ + c stays −∞, so unreachable sums stay unreachable (branch-free).
                for (dst, &x) in cur[qv..].iter_mut().zip(next.iter()) {
                    *dst = dst.max(c + x);
                }
            }
        }
        let ranked = contrib
            .iter()
            .map(|c| {
                let mut idx: Vec<u32> = (0..c.len() as u32).collect();
                idx.sort_by(|&a, &b| c[b as usize].total_cmp(&c[a as usize]).then(a.cmp(&b)));
                idx
            })
            .collect();
        AdditiveIndex {
            contrib,
            q,
            top,
            delta,
            base,
            min,
            max,
            argmin,
            argmax,
            ranked,
        }
    }

    /// Utility of a bid, summed in issue order exactly as [`Utility::eval_values`].
    pub fn eval(&self, b: &Bid) -> f64 {
        let mut s = 0.0;
        for (c, &v) in self.contrib.iter().zip(b.0.iter()) {
            s += c[v as usize];
        }
        s
    }

    pub fn min(&self) -> f64 {
        self.min
    }
    pub fn max(&self) -> f64 {
        self.max
    }
    /// The best outcome (per issue, the value with the largest contribution).
    pub fn best(&self) -> Bid {
        self.argmax.clone()
    }
    /// The worst outcome.
    pub fn worst(&self) -> Bid {
        self.argmin.clone()
    }
    /// The size of one rounding unit.
    pub fn delta(&self) -> f64 {
        self.delta
    }

    /// The stated bound of [`AdditiveIndex::worst_at_least`]: the returned
    /// outcome's utility exceeds that of the true worst outcome at or above
    /// the level by at most this much (n·δ, plus floating-point rounding).
    pub fn inverse_error(&self) -> f64 {
        self.contrib.len() as f64 * self.delta + 1e-12 * (1.0 + self.max.abs())
    }

    fn reachable(&self, r: usize) -> bool {
        self.top[0].get(r).is_some_and(|x| *x > f64::NEG_INFINITY)
    }

    /// Reachable rounded totals in `from..=to`, ascending.
    fn totals(&self, from: usize, to: usize) -> impl Iterator<Item = usize> + '_ {
        let to = to.min(self.top[0].len().saturating_sub(1));
        (from..=to).filter(move |&r| self.reachable(r))
    }

    /// The outcome with rounded total `r` (reachable) whose true utility is
    /// the largest, or — with `rng` — a random outcome with that total.
    fn backtrack(&self, r: usize, mut rng: Option<&mut ChaCha8Rng>) -> Bid {
        let n = self.q.len();
        let mut rem = r;
        let mut out = Vec::with_capacity(n);
        let mut cands = Vec::new();
        for k in 0..n {
            cands.clear();
            let mut best: Option<(f64, usize)> = None;
            for (v, &qv) in self.q[k].iter().enumerate() {
                let qv = qv as usize;
                if qv > rem {
                    continue;
                }
                let x = self.top[k + 1][rem - qv];
                if x == f64::NEG_INFINITY {
                    continue;
                }
                cands.push(v);
                let s = self.contrib[k][v] + x;
                if best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, v));
                }
            }
            let v = match rng.as_deref_mut() {
                Some(g) => cands[g.random_range(0..cands.len())],
                None => best.expect("reachable total").1,
            };
            rem -= self.q[k][v] as usize;
            out.push(v as u32);
        }
        Bid(out.into_boxed_slice())
    }

    fn units(&self, level: f64) -> f64 {
        (level - self.base) / self.delta
    }

    /// An outcome with utility ≥ `level` and at most
    /// [`AdditiveIndex::inverse_error`] above the true worst such outcome;
    /// the best outcome if `level` exceeds the maximum.
    pub fn worst_at_least(&self, level: f64) -> Bid {
        if level <= self.min {
            return self.argmin.clone();
        }
        if level > self.max {
            return self.argmax.clone();
        }
        let half = self.q.len() as f64 / 2.0;
        let start = (self.units(level) - half - 1.0).floor().max(0.0) as usize;
        let mut best: Option<(f64, usize)> = None;
        for r in self.totals(start, usize::MAX) {
            // Totals beyond this cannot hold a smaller maximum ≥ level.
            if let Some((b, _)) = best {
                if self.base + self.delta * (r as f64 - half - 1.0) > b {
                    break;
                }
            }
            let x = self.top[0][r];
            if x >= level && best.is_none_or(|(b, _)| x < b) {
                best = Some((x, r));
            }
        }
        match best {
            Some((_, r)) => {
                let b = self.backtrack(r, None);
                if self.eval(&b) >= level {
                    b
                } else {
                    // Summation order moved the utility by an ulp: take the next.
                    self.totals(r + 1, usize::MAX)
                        .map(|r| self.backtrack(r, None))
                        .find(|b| self.eval(b) >= level)
                        .unwrap_or_else(|| self.argmax.clone())
                }
            }
            None => self.argmax.clone(),
        }
    }

    /// A random outcome with utility ≥ `level` (None above the maximum):
    /// uniform over all outcomes when one of 64 uniform draws qualifies,
    /// otherwise a random outcome at a uniformly chosen reachable utility level
    /// at or above `level`.
    pub fn random_at_least(&self, level: f64, rng: &mut ChaCha8Rng) -> Option<Bid> {
        if level > self.max {
            return None;
        }
        for _ in 0..64 {
            let b = Bid(self
                .contrib
                .iter()
                .map(|c| rng.random_range(0..c.len()) as u32)
                .collect());
            if self.eval(&b) >= level {
                return Some(b);
            }
        }
        let half = self.q.len() as f64 / 2.0;
        let start = (self.units(level) - half - 1.0).floor().max(0.0) as usize;
        let levels: Vec<usize> = self
            .totals(start, usize::MAX)
            .filter(|&r| self.top[0][r] >= level)
            .collect();
        for _ in 0..64 {
            if levels.is_empty() {
                break;
            }
            let r = levels[rng.random_range(0..levels.len())];
            let b = self.backtrack(r, Some(rng));
            if self.eval(&b) >= level {
                return Some(b);
            }
        }
        Some(self.worst_at_least(level))
    }

    /// Up to `max` distinct outcomes with utility in `[lo, hi]`, from
    /// reachable utility levels spread evenly over the band, lowest first.
    pub fn band(&self, lo: f64, hi: f64, max: usize, rng: &mut ChaCha8Rng) -> Vec<Bid> {
        if max == 0 || hi < lo || hi < self.min || lo > self.max {
            return Vec::new();
        }
        let half = self.q.len() as f64 / 2.0 + 1.0;
        let a = (self.units(lo) - half).floor().max(0.0) as usize;
        let b = (self.units(hi) + half).ceil().max(0.0) as usize;
        let levels: Vec<usize> = self.totals(a, b).collect();
        let mut out: Vec<(f64, Bid)> = Vec::new();
        let mut seen = HashSet::new();
        if !levels.is_empty() {
            let tries = max + 4;
            for i in 0..tries {
                let r = levels[i * (levels.len() - 1) / (tries - 1).max(1)];
                let bid = if i % 2 == 0 {
                    self.backtrack(r, None)
                } else {
                    self.backtrack(r, Some(rng))
                };
                let u = self.eval(&bid);
                if u >= lo && u <= hi && seen.insert(bid.clone()) {
                    out.push((u, bid));
                }
            }
        }
        let w = self.worst_at_least(lo);
        let uw = self.eval(&w);
        if uw >= lo && uw <= hi && seen.insert(w.clone()) {
            out.push((uw, w));
        }
        out.sort_by(|x, y| x.0.total_cmp(&y.0).then_with(|| x.1.cmp(&y.1)));
        if out.len() > max {
            let n = out.len();
            out = (0..max)
                .map(|i| out[i * (n - 1) / (max - 1).max(1)].clone())
                .collect();
        }
        out.into_iter().map(|(_, b)| b).collect()
    }
}

/// `f64` ordered by `total_cmp`, for heaps.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64);
impl Eq for Key {}
impl PartialOrd for Key {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Key {
    fn cmp(&self, o: &Self) -> Ordering {
        self.0.total_cmp(&o.0)
    }
}

/// Best-first enumeration of an additive utility's outcomes, best first.
///
/// A state is a rank per issue (rank r = the issue's r-th best value). Each
/// state other than all-zero has one parent: decrement its last non-zero
/// rank. Children of a state whose last changed issue is p increment one
/// rank at an issue ≥ p. This tree holds every state once, and a child is
/// never better than its parent, so a max-heap pops states in order.
#[derive(Debug, Clone)]
pub struct Ranking {
    heap: BinaryHeap<(Key, std::cmp::Reverse<u64>, u32)>,
    /// Arena: (parent node, issue incremented); the root has parent u32::MAX.
    nodes: Vec<(u32, u32)>,
    popped: Vec<Bid>,
    seq: u64,
}

impl Ranking {
    pub fn new(index: &AdditiveIndex) -> Ranking {
        let mut heap = BinaryHeap::new();
        heap.push((Key(index.max), std::cmp::Reverse(0), 0));
        Ranking {
            heap,
            nodes: vec![(u32::MAX, 0)],
            popped: Vec::new(),
            seq: 1,
        }
    }

    fn ranks(&self, node: u32, n: usize) -> Vec<u32> {
        let mut r = vec![0u32; n];
        let mut cur = node;
        while cur != 0 {
            let (parent, issue) = self.nodes[cur as usize];
            r[issue as usize] += 1;
            cur = parent;
        }
        r
    }

    /// The k-th best outcome (0 = the best), None past the last one.
    #[allow(clippy::needless_range_loop)] // ranks and rankings indexed together
    pub fn kth(&mut self, index: &AdditiveIndex, k: usize) -> Option<Bid> {
        let n = index.ranked.len();
        while self.popped.len() <= k {
            let (Key(sum), _, node) = self.heap.pop()?;
            let r = self.ranks(node, n);
            let pivot = if node == 0 {
                0
            } else {
                self.nodes[node as usize].1 as usize
            };
            for i in pivot..n {
                let ri = r[i] as usize;
                if ri + 1 < index.ranked[i].len() {
                    let cur = index.contrib[i][index.ranked[i][ri] as usize];
                    let nxt = index.contrib[i][index.ranked[i][ri + 1] as usize];
                    let id = self.nodes.len() as u32;
                    self.nodes.push((node, i as u32));
                    self.heap
                        .push((Key(sum - cur + nxt), std::cmp::Reverse(self.seq), id));
                    self.seq += 1;
                }
            }
            self.popped.push(Bid(r
                .iter()
                .enumerate()
                .map(|(i, &ri)| index.ranked[i][ri as usize])
                .collect()));
        }
        self.popped.get(k).cloned()
    }
}

/// Settings of the heuristic search behind [`SearchIndex`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SearchSettings {
    /// Seed of every random choice of the search (reported with results).
    pub seed: u64,
    /// Uniform random samples.
    pub samples: usize,
    /// Hill-climbing restarts from random outcomes.
    pub restarts: usize,
    /// Perturb-and-climb rounds from the best outcome found.
    pub perturbations: usize,
    /// Most outcomes kept in the archive.
    pub archive: usize,
    /// Heuristic frontiers: random starts per weighted sum.
    pub frontier_random_starts: usize,
    /// Heuristic frontiers: perturb-and-climb rounds per weighted sum.
    pub frontier_perturbations: usize,
}

impl Default for SearchSettings {
    fn default() -> Self {
        SearchSettings {
            seed: 0,
            samples: 2000,
            restarts: 16,
            perturbations: 16,
            archive: 20_000,
            frontier_random_starts: 4,
            frontier_perturbations: 8,
        }
    }
}

/// An archive of outcomes found by a seeded local search of one utility.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    /// Distinct outcomes by increasing utility (ties by bid).
    archive: Vec<(f64, Bid)>,
    /// Utility evaluations the search made.
    pub evaluations: u64,
    pub settings: SearchSettings,
}

/// Steepest-ascent hill climbing on `score` from `start`, issue by issue;
/// every improving move is passed to `visit`.
pub fn hill_climb(
    sizes: &[usize],
    start: Vec<usize>,
    score: &mut impl FnMut(&[usize]) -> f64,
    rng: &mut ChaCha8Rng,
    visit: &mut impl FnMut(&[usize], f64),
) -> (Vec<usize>, f64) {
    let mut cur = start;
    let mut best = score(&cur);
    visit(&cur, best);
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    loop {
        let mut improved = false;
        // Shuffle the issue order (Fisher–Yates) for variety between climbs.
        for i in (1..order.len()).rev() {
            let j = rng.random_range(0..=i);
            order.swap(i, j);
        }
        for &k in &order {
            let keep = cur[k];
            let mut best_v = keep;
            for v in 0..sizes[k] {
                if v == keep {
                    continue;
                }
                cur[k] = v;
                let s = score(&cur);
                if s > best {
                    best = s;
                    best_v = v;
                }
            }
            cur[k] = best_v;
            if best_v != keep {
                improved = true;
                visit(&cur, best);
            }
        }
        if !improved {
            return (cur, best);
        }
    }
}

fn random_values(sizes: &[usize], rng: &mut ChaCha8Rng) -> Vec<usize> {
    sizes.iter().map(|&n| rng.random_range(0..n)).collect()
}

impl SearchIndex {
    /// Runs the search on `u` over issues of `sizes` values.
    pub fn build(u: &UtilityFn, sizes: &[usize], settings: SearchSettings) -> SearchIndex {
        let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
        let mut found: std::collections::HashMap<Bid, f64> = std::collections::HashMap::new();
        let mut evals = 0u64;
        let mut score = |v: &[usize]| {
            evals += 1;
            u.eval(v)
        };
        let mut visit = |v: &[usize], s: f64| {
            found.insert(Bid::new(v.iter().copied()), s);
        };
        // At least one sample, so the archive is never empty.
        for _ in 0..settings.samples.max(1) {
            let v = random_values(sizes, &mut rng);
            let s = score(&v);
            visit(&v, s);
        }
        let mut best: Option<(Vec<usize>, f64)> = None;
        for _ in 0..settings.restarts {
            let start = random_values(sizes, &mut rng);
            let (v, s) = hill_climb(sizes, start, &mut score, &mut rng, &mut visit);
            if best.as_ref().is_none_or(|(_, b)| s > *b) {
                best = Some((v, s));
            }
        }
        for _ in 0..settings.perturbations {
            let Some((b, _)) = best.clone() else { break };
            let mut start = b;
            let k = (sizes.len() / 5).max(1);
            for _ in 0..k {
                let i = rng.random_range(0..sizes.len());
                start[i] = rng.random_range(0..sizes[i]);
            }
            let (v, s) = hill_climb(sizes, start, &mut score, &mut rng, &mut visit);
            if best.as_ref().is_none_or(|(_, b)| s > *b) {
                best = Some((v, s));
            }
        }
        let mut archive: Vec<(f64, Bid)> = found.into_iter().map(|(b, u)| (u, b)).collect();
        archive.sort_by(|x, y| x.0.total_cmp(&y.0).then_with(|| x.1.cmp(&y.1)));
        if archive.len() > settings.archive {
            // Keep the extremes and an even spread of the rest.
            let n = archive.len();
            let m = settings.archive.max(2);
            archive = (0..m)
                .map(|i| archive[i * (n - 1) / (m - 1)].clone())
                .collect();
            archive.dedup_by(|a, b| a.1 == b.1);
        }
        SearchIndex {
            archive,
            evaluations: evals,
            settings,
        }
    }

    /// The archived outcomes with their utilities, by increasing utility.
    pub fn archive(&self) -> &[(f64, Bid)] {
        &self.archive
    }
    /// The lowest utility found.
    pub fn min(&self) -> f64 {
        self.archive.first().map(|x| x.0).unwrap_or(0.0)
    }
    /// The highest utility found.
    pub fn max(&self) -> f64 {
        self.archive.last().map(|x| x.0).unwrap_or(0.0)
    }
    /// The worst archived outcome with utility ≥ `level` (the best found if none).
    pub fn worst_at_least(&self, level: f64) -> Bid {
        let k = self.archive.partition_point(|x| x.0 < level);
        self.archive[k.min(self.archive.len() - 1)].1.clone()
    }
    /// The k-th best archived outcome.
    pub fn kth_best(&self, k: usize) -> Option<Bid> {
        let n = self.archive.len();
        (k < n).then(|| self.archive[n - 1 - k].1.clone())
    }
    /// A uniformly random archived outcome with utility ≥ `level`.
    pub fn random_at_least(&self, level: f64, rng: &mut ChaCha8Rng) -> Option<Bid> {
        let k = self.archive.partition_point(|x| x.0 < level);
        let n = self.archive.len();
        (k < n).then(|| self.archive[rng.random_range(k..n)].1.clone())
    }
    /// Up to `max` archived outcomes with utility in `[lo, hi]`, evenly spread.
    pub fn band(&self, lo: f64, hi: f64, max: usize) -> Vec<Bid> {
        let a = self.archive.partition_point(|x| x.0 < lo);
        let b = self.archive.partition_point(|x| x.0 <= hi);
        if b <= a || max == 0 {
            return Vec::new();
        }
        let n = b - a;
        if n <= max {
            return self.archive[a..b].iter().map(|x| x.1.clone()).collect();
        }
        (0..max)
            .map(|i| self.archive[a + i * (n - 1) / (max - 1).max(1)].1.clone())
            .collect()
    }
}

/// How one party's preferences are searched.
#[derive(Debug, Clone)]
pub enum PartyIndex {
    /// Exact per-issue search of a linear additive utility.
    Additive(AdditiveIndex),
    /// Heuristic archive of a non-linear utility.
    Search(SearchIndex),
}

impl PartyIndex {
    /// The index suited to `u`: per-issue search when additive, otherwise
    /// a seeded local search.
    pub fn build(u: &UtilityFn, sizes: &[usize], search: SearchSettings) -> PartyIndex {
        match u {
            UtilityFn::Additive(a) => PartyIndex::Additive(AdditiveIndex::new(a)),
            other => PartyIndex::Search(SearchIndex::build(other, sizes, search)),
        }
    }
    pub fn min(&self) -> f64 {
        match self {
            PartyIndex::Additive(a) => a.min(),
            PartyIndex::Search(s) => s.min(),
        }
    }
    pub fn max(&self) -> f64 {
        match self {
            PartyIndex::Additive(a) => a.max(),
            PartyIndex::Search(s) => s.max(),
        }
    }
    /// Whether best/worst/inverse are exact (additive) or found by search.
    pub fn is_exact(&self) -> bool {
        matches!(self, PartyIndex::Additive(_))
    }
}

/// A strategy's view of an implicit space, for [`Bid`] outcomes.
pub struct ImplicitView<'a> {
    pub me: usize,
    pub n_parties: usize,
    pub n_steps: u32,
    pub reservation: f64,
    pub discount: f64,
    pub utility: &'a UtilityFn,
    pub index: &'a PartyIndex,
    pub sizes: &'a [usize],
    ranking: RefCell<Option<Ranking>>,
}

impl<'a> ImplicitView<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        me: usize,
        n_parties: usize,
        n_steps: u32,
        reservation: f64,
        discount: f64,
        utility: &'a UtilityFn,
        index: &'a PartyIndex,
        sizes: &'a [usize],
    ) -> Self {
        ImplicitView {
            me,
            n_parties,
            n_steps,
            reservation,
            discount,
            utility,
            index,
            sizes,
            ranking: RefCell::new(None),
        }
    }
}

impl PartyView<Bid> for ImplicitView<'_> {
    fn me(&self) -> usize {
        self.me
    }
    fn n_parties(&self) -> usize {
        self.n_parties
    }
    fn n_steps(&self) -> u32 {
        self.n_steps
    }
    fn reservation(&self) -> f64 {
        self.reservation
    }
    fn min(&self) -> f64 {
        self.index.min()
    }
    fn max(&self) -> f64 {
        self.index.max()
    }
    fn discount(&self) -> f64 {
        self.discount
    }
    fn n_outcomes(&self) -> f64 {
        self.sizes.iter().map(|&n| n as f64).product()
    }
    fn issue_sizes(&self) -> &[usize] {
        self.sizes
    }
    fn utility(&self, o: &Bid) -> f64 {
        match self.index {
            PartyIndex::Additive(a) => a.eval(o),
            PartyIndex::Search(_) => self.utility.eval_u32(&o.0),
        }
    }
    fn values(&self, o: &Bid) -> Vec<usize> {
        o.values()
    }
    fn outcome(&self, values: &[usize]) -> Option<Bid> {
        (values.len() == self.sizes.len() && values.iter().zip(self.sizes).all(|(v, n)| v < n))
            .then(|| Bid::new(values.iter().copied()))
    }
    fn worst_at_least(&self, level: f64) -> Bid {
        match self.index {
            PartyIndex::Additive(a) => a.worst_at_least(level),
            PartyIndex::Search(s) => s.worst_at_least(level),
        }
    }
    fn best(&self) -> Bid {
        match self.index {
            PartyIndex::Additive(a) => a.best(),
            PartyIndex::Search(s) => s.worst_at_least(s.max()),
        }
    }
    fn kth_best(&self, k: usize) -> Option<Bid> {
        match self.index {
            PartyIndex::Additive(a) => self
                .ranking
                .borrow_mut()
                .get_or_insert_with(|| Ranking::new(a))
                .kth(a, k),
            PartyIndex::Search(s) => s.kth_best(k),
        }
    }
    fn random_at_least(&self, level: f64, rng: &mut ChaCha8Rng) -> Option<Bid> {
        match self.index {
            PartyIndex::Additive(a) => a.random_at_least(level, rng),
            PartyIndex::Search(s) => s.random_at_least(level, rng),
        }
    }
    fn band(&self, lo: f64, hi: f64, max: usize, rng: &mut ChaCha8Rng) -> Vec<Bid> {
        match self.index {
            PartyIndex::Additive(a) => a.band(lo, hi, max, rng),
            PartyIndex::Search(s) => s.band(lo, hi, max),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Domain, Issue};
    use crate::prefs::{Normalisation, ValueFunction};

    fn utility(tables: Vec<Vec<f64>>, weights: Vec<f64>) -> (Domain, Utility) {
        let d = Domain::new(
            tables
                .iter()
                .enumerate()
                .map(|(k, t)| Issue::integer(format!("i{k}"), 0, t.len() as i64 - 1).unwrap())
                .collect(),
        )
        .unwrap();
        let fns: Vec<ValueFunction> = tables.into_iter().map(ValueFunction::Table).collect();
        let u = Utility::new(&d, &weights, &fns, Normalisation::AsGiven, "p").unwrap();
        (d, u)
    }

    #[test]
    fn ranking_matches_sorted_enumeration() {
        let (d, u) = utility(
            vec![
                vec![0.1, 0.9, 0.5],
                vec![1.0, 0.0],
                vec![0.3, 0.3, 0.8, 0.2],
            ],
            vec![0.5, 0.3, 0.2],
        );
        let idx = AdditiveIndex::new(&u);
        let mut r = Ranking::new(&idx);
        let mut all = u.evaluate_all();
        all.sort_by(|a, b| b.total_cmp(a));
        for (k, expected) in all.iter().enumerate() {
            let b = r.kth(&idx, k).unwrap();
            assert!((idx.eval(&b) - expected).abs() < 1e-12, "k={k}");
        }
        assert!(r.kth(&idx, all.len()).is_none());
        let _ = d;
    }
}
