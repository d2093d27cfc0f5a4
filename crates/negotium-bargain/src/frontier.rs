//! Pareto frontiers without enumerating the outcome space.
//!
//! **Linear additive utilities** ([`additive_frontier`]): if an outcome is
//! Pareto-optimal, so is its restriction to any subset of the issues (else
//! swapping in a dominating restriction would dominate the whole outcome).
//! The frontier is therefore built issue by issue: the non-dominated sums of
//! the first k issues, extended by every value of issue k + 1 and filtered
//! again. Only the values of issue k + 1 that no other value of it
//! dominates (one per distinct contribution vector) are used: exact, since
//! a dominated value can be swapped for its dominator in any outcome. When
//! a stage would form more than [`MAX_CANDIDATES`] sums, those values are
//! first collapsed onto a grid as below (and ε grows by its δ), so issues
//! with millions of values stay tractable. Sums are formed in issue order exactly as the enumerated
//! evaluation forms them, so the distinct frontier vectors are bit-identical
//! to the enumerated frontier's. When a stage would keep more than `cap`
//! points, its points are collapsed onto a grid of cell size δ (one point per
//! cell, then filtered again): every dropped point has a kept point at most δ
//! worse for every party. The result is then labelled approximate with
//! ε = Σ δ over the collapsed stages: *every Pareto-optimal outcome has a
//! listed outcome at most ε worse for every party*, and every listed
//! outcome is a real one.
//!
//! **Other utilities** ([`search_frontier`]): a seeded search (the parties'
//! search archives plus hill climbs on weighted sums of the utilities) and a
//! Pareto filter of everything it found. Labelled heuristic: no bound.

use std::collections::{BTreeMap, HashMap};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::implicit::{hill_climb, PartyIndex, SearchSettings};
use crate::prefs::Utility;
use crate::ufun::UtilityFn;

/// How a frontier (and the solution points on it) was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Quality {
    /// Every distinct Pareto-optimal utility vector, exactly.
    Exact,
    /// Every Pareto-optimal outcome has a listed outcome at most `epsilon`
    /// worse for every party.
    Approximate { epsilon: f64 },
    /// Non-dominated among what a seeded search found; no error bound.
    Heuristic { seed: u64, evaluations: u64 },
}

impl Quality {
    /// A one-line label for reports.
    pub fn label(&self) -> String {
        match self {
            Quality::Exact => "exact".into(),
            Quality::Approximate { epsilon } => {
                format!("approximate, within ε = {epsilon:.3e} per party")
            }
            Quality::Heuristic { seed, evaluations } => format!(
                "heuristic (seeded search, seed {seed}, {evaluations} evaluations; no error bound)"
            ),
        }
    }
}

/// A frontier point: value indices and every party's utility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrontierPoint {
    pub values: Vec<usize>,
    pub utilities: Vec<f64>,
}

/// A Pareto frontier (one outcome per distinct utility vector), by
/// decreasing welfare, with its quality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frontier {
    pub points: Vec<FrontierPoint>,
    pub quality: Quality,
}

/// Sorts points by decreasing welfare (Σ in party order), then
/// lexicographically decreasing utilities.
fn by_welfare(pts: &mut [(Vec<f64>, usize)]) {
    pts.sort_by(|a, b| {
        let wa = a.0.iter().fold(0.0, |s, x| s + x);
        let wb = b.0.iter().fold(0.0, |s, x| s + x);
        wb.total_cmp(&wa).then_with(|| {
            for (x, y) in a.0.iter().zip(&b.0) {
                let c = y.total_cmp(x);
                if c.is_ne() {
                    return c;
                }
            }
            std::cmp::Ordering::Equal
        })
    });
}

#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Ord64(f64);
impl Eq for Ord64 {}
#[allow(clippy::derive_ord_xor_partial_ord)]
impl Ord for Ord64 {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}

/// Indices (into `pts`) of the non-dominated points, one per distinct vector.
pub fn nondominated(pts: &[Vec<f64>]) -> Vec<usize> {
    if pts.is_empty() {
        return Vec::new();
    }
    let p = pts[0].len();
    let mut idx: Vec<usize> = (0..pts.len()).collect();
    // Lexicographically decreasing, ties by index: identical vectors are adjacent.
    idx.sort_by(|&a, &b| {
        for (x, y) in pts[b].iter().zip(&pts[a]) {
            let c = x.total_cmp(y);
            if c.is_ne() {
                return c;
            }
        }
        a.cmp(&b)
    });
    let mut out = Vec::new();
    match p {
        1 => {
            out.push(idx[0]);
        }
        2 => {
            let mut best = f64::NEG_INFINITY;
            let mut prev: Option<usize> = None;
            for &i in &idx {
                if let Some(j) = prev {
                    if pts[j] == pts[i] {
                        continue;
                    }
                }
                prev = Some(i);
                if pts[i][1] > best {
                    best = pts[i][1];
                    out.push(i);
                }
            }
        }
        3 => {
            // Staircase of kept (u1, u2): as u1 increases, u2 strictly decreases.
            let mut stair: BTreeMap<Ord64, f64> = BTreeMap::new();
            let mut prev: Option<usize> = None;
            for &i in &idx {
                if let Some(j) = prev {
                    if pts[j] == pts[i] {
                        continue;
                    }
                }
                prev = Some(i);
                let (a, b) = (pts[i][1], pts[i][2]);
                let dominated = stair.range(Ord64(a)..).next().is_some_and(|(_, &v)| v >= b);
                if dominated {
                    continue;
                }
                out.push(i);
                // Remove stair points dominated by (a, b) in 2D.
                let dead: Vec<Ord64> = stair
                    .range(..=Ord64(a))
                    .rev()
                    .take_while(|(_, &v)| v <= b)
                    .map(|(k, _)| *k)
                    .collect();
                for k in dead {
                    stair.remove(&k);
                }
                stair.insert(Ord64(a), b);
            }
        }
        _ => {
            let mut kept: Vec<usize> = Vec::new();
            let mut prev: Option<usize> = None;
            for &i in &idx {
                if let Some(j) = prev {
                    if pts[j] == pts[i] {
                        continue;
                    }
                }
                prev = Some(i);
                let dom = kept
                    .iter()
                    .any(|&k| pts[k].iter().zip(&pts[i]).all(|(x, y)| x >= y) && pts[k] != pts[i]);
                if !dom {
                    kept.push(i);
                }
            }
            out = kept;
        }
    }
    out
}

/// The most sums one stage of [`additive_frontier`] forms (kept points ×
/// values of the next issue) before the values are approximated.
pub const MAX_CANDIDATES: usize = 2_000_000;

/// Collapses `keep` (indices into `pts`) onto a grid of cell δ·range per
/// party, δ the smallest of 1e-6·2^j leaving at most `limit` cells, one
/// point per cell (the first), then filters again; returns the kept indices
/// and δ·(largest range): how much worse, at most, a dropped point's
/// representative can be for any party.
fn collapse(pts: &[Vec<f64>], keep: &[usize], ranges: &[f64], limit: usize) -> (Vec<usize>, f64) {
    let p = ranges.len();
    let mut delta = 1e-6;
    loop {
        let mut cells: HashMap<Vec<i64>, usize> = HashMap::new();
        let mut reps: Vec<usize> = Vec::new();
        for &i in keep {
            let key: Vec<i64> = (0..p)
                .map(|q| (pts[i][q] / (delta * ranges[q])).floor() as i64)
                .collect();
            cells.entry(key).or_insert_with(|| {
                reps.push(i);
                i
            });
        }
        if reps.len() <= limit.max(1) {
            let sub: Vec<Vec<f64>> = reps.iter().map(|&i| pts[i].clone()).collect();
            let kept = nondominated(&sub).into_iter().map(|j| reps[j]).collect();
            return (kept, delta * ranges.iter().cloned().fold(0.0, f64::max));
        }
        delta *= 2.0;
    }
}

/// The Pareto frontier of linear additive utilities by issue-wise merging;
/// exact unless a stage exceeds `cap` points or [`MAX_CANDIDATES`] sums
/// (see the module doc).
#[allow(clippy::needless_range_loop)] // parallel indexing of parties, issues and values
pub fn additive_frontier(utils: &[&Utility], cap: usize) -> Frontier {
    let p = utils.len();
    let n = utils[0].tables.len();
    // contrib[party][issue][value]
    let contrib: Vec<Vec<Vec<f64>>> = utils
        .iter()
        .map(|u| {
            u.weights
                .iter()
                .zip(&u.tables)
                .map(|(w, t)| t.iter().map(|x| w * x).collect())
                .collect()
        })
        .collect();
    let ranges: Vec<f64> = utils
        .iter()
        .map(|u| {
            let (a, b) = u.range();
            (b - a).abs().max(1e-12)
        })
        .collect();
    // Stage points: utilities and (parent index in the previous stage, value).
    let mut pts: Vec<Vec<f64>> = vec![vec![0.0; p]];
    let mut back: Vec<Vec<(u32, u32)>> = Vec::with_capacity(n);
    let mut epsilon = 0.0;
    for k in 0..n {
        let nv = contrib[0][k].len();
        // The issue's own non-dominated values, one per distinct vector.
        let own: Vec<Vec<f64>> = (0..nv)
            .map(|v| (0..p).map(|q| contrib[q][k][v]).collect())
            .collect();
        let mut vals = nondominated(&own);
        let budget = (MAX_CANDIDATES / pts.len()).max(1);
        if vals.len() > budget {
            let (kept, e) = collapse(&own, &vals, &ranges, budget);
            vals = kept;
            epsilon += e;
        }
        vals.sort_unstable();
        let mut cand: Vec<Vec<f64>> = Vec::with_capacity(pts.len() * vals.len());
        let mut link: Vec<(u32, u32)> = Vec::with_capacity(pts.len() * vals.len());
        for (i, s) in pts.iter().enumerate() {
            for &v in &vals {
                cand.push((0..p).map(|q| s[q] + contrib[q][k][v]).collect());
                link.push((i as u32, v as u32));
            }
        }
        let mut keep = nondominated(&cand);
        if keep.len() > cap {
            // Collapse onto the coarsest-needed grid from a geometric ladder.
            let (kept, e) = collapse(&cand, &keep, &ranges, cap);
            keep = kept;
            epsilon += e;
        }
        keep.sort_unstable();
        pts = keep.iter().map(|&i| cand[i].clone()).collect();
        back.push(keep.iter().map(|&i| link[i]).collect());
    }
    // Rebuild each final point's values by walking the back links.
    let mut out: Vec<(Vec<f64>, usize)> =
        pts.into_iter().enumerate().map(|(i, u)| (u, i)).collect();
    by_welfare(&mut out);
    let points = out
        .into_iter()
        .map(|(u, i)| {
            let mut values = vec![0usize; n];
            let mut cur = i;
            for k in (0..n).rev() {
                let (parent, v) = back[k][cur];
                values[k] = v as usize;
                cur = parent as usize;
            }
            FrontierPoint {
                values,
                utilities: u,
            }
        })
        .collect();
    Frontier {
        points,
        quality: if epsilon > 0.0 {
            Quality::Approximate { epsilon }
        } else {
            Quality::Exact
        },
    }
}

/// A heuristic frontier for any utilities (see the module doc): the
/// parties' search archives plus hill climbs on weighted sums, filtered.
pub fn search_frontier(
    ufuns: &[&UtilityFn],
    indexes: &[PartyIndex],
    sizes: &[usize],
    settings: SearchSettings,
) -> Frontier {
    let p = ufuns.len();
    let mut rng = ChaCha8Rng::seed_from_u64(crate::strategy::derive_seed(settings.seed, 7_777));
    let mut pool: HashMap<Vec<usize>, ()> = HashMap::new();
    let mut starts: Vec<Vec<usize>> = Vec::new();
    let mut evaluations = 0u64;
    for idx in indexes {
        match idx {
            PartyIndex::Search(s) => {
                evaluations += s.evaluations;
                for (_, b) in s.archive() {
                    pool.insert(b.values(), ());
                }
                if let Some((_, b)) = s.archive().last() {
                    starts.push(b.values());
                }
            }
            PartyIndex::Additive(a) => {
                starts.push(a.best().values());
                pool.insert(a.best().values(), ());
                pool.insert(a.worst().values(), ());
            }
        }
    }
    let mut weights: Vec<Vec<f64>> = Vec::new();
    if p == 2 {
        for i in 0..=40 {
            let l = i as f64 / 40.0;
            weights.push(vec![l, 1.0 - l]);
        }
    } else {
        for q in 0..p {
            let mut w = vec![0.0; p];
            w[q] = 1.0;
            weights.push(w);
        }
        weights.push(vec![1.0 / p as f64; p]);
        for _ in 0..(4 * p) {
            use rand::Rng;
            let mut w: Vec<f64> = (0..p)
                .map(|_| -rng.random::<f64>().max(1e-12).ln())
                .collect();
            let s: f64 = w.iter().sum();
            w.iter_mut().for_each(|x| *x /= s);
            weights.push(w);
        }
    }
    for w in &weights {
        let mut score = |v: &[usize]| {
            evaluations += 1;
            ufuns
                .iter()
                .zip(w)
                .map(|(u, wq)| wq * u.eval(v))
                .sum::<f64>()
        };
        let mut visit = |v: &[usize], _s: f64| {
            pool.insert(v.to_vec(), ());
        };
        // Climb from each party's best found, from random outcomes, then
        // perturb the best of these and climb again.
        let mut from: Vec<Vec<usize>> = starts.clone();
        for _ in 0..settings.frontier_random_starts {
            use rand::Rng;
            from.push(sizes.iter().map(|&n| rng.random_range(0..n)).collect());
        }
        let mut best: Option<(Vec<usize>, f64)> = None;
        for st in from {
            let (v, s) = hill_climb(sizes, st, &mut score, &mut rng, &mut visit);
            if best.as_ref().is_none_or(|(_, b)| s > *b) {
                best = Some((v, s));
            }
        }
        for _ in 0..settings.frontier_perturbations {
            use rand::Rng;
            let Some((b, _)) = best.clone() else { break };
            let mut st = b;
            for _ in 0..(sizes.len() / 5).max(1) {
                let i = rng.random_range(0..sizes.len());
                st[i] = rng.random_range(0..sizes[i]);
            }
            let (v, s) = hill_climb(sizes, st, &mut score, &mut rng, &mut visit);
            if best.as_ref().is_none_or(|(_, b)| s > *b) {
                best = Some((v, s));
            }
        }
    }
    let bids: Vec<Vec<usize>> = pool.into_keys().collect();
    let pts: Vec<Vec<f64>> = bids
        .iter()
        .map(|b| ufuns.iter().map(|u| u.eval(b)).collect())
        .collect();
    evaluations += (bids.len() * p) as u64;
    let keep = nondominated(&pts);
    let mut out: Vec<(Vec<f64>, usize)> = keep.into_iter().map(|i| (pts[i].clone(), i)).collect();
    // Deterministic order among equal welfare: by values.
    out.sort_by(|a, b| bids[a.1].cmp(&bids[b.1]));
    by_welfare(&mut out);
    Frontier {
        points: out
            .into_iter()
            .map(|(u, i)| FrontierPoint {
                values: bids[i].clone(),
                utilities: u,
            })
            .collect(),
        quality: Quality::Heuristic {
            seed: settings.seed,
            evaluations,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{distinct_points, pareto_frontier};
    use crate::domain::{Domain, Issue};
    use crate::prefs::{Normalisation, ValueFunction};
    use rand::Rng;

    fn random_utils(seed: u64, n_issues: usize, n_vals: usize, parties: usize) -> Vec<Utility> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let d = Domain::new(
            (0..n_issues)
                .map(|k| Issue::integer(format!("i{k}"), 0, n_vals as i64 - 1).unwrap())
                .collect(),
        )
        .unwrap();
        (0..parties)
            .map(|_| {
                let w: Vec<f64> = (0..n_issues).map(|_| rng.random::<f64>()).collect();
                let f: Vec<ValueFunction> = (0..n_issues)
                    .map(|_| {
                        ValueFunction::Table(
                            (0..n_vals)
                                .map(|_| (rng.random::<f64>() * 4.0).round() / 4.0)
                                .collect(),
                        )
                    })
                    .collect();
                Utility::new(&d, &w, &f, Normalisation::AsGiven, "p").unwrap()
            })
            .collect()
    }

    #[test]
    fn issue_merge_gives_the_enumerated_frontier_vectors() {
        for (seed, parties) in [(1, 2), (2, 2), (3, 3), (4, 3), (5, 4)] {
            let us = random_utils(seed, 4, 4, parties);
            let utils: Vec<Vec<f64>> = us.iter().map(|u| u.evaluate_all()).collect();
            let front = pareto_frontier(&utils, None);
            let mut exact: Vec<Vec<u64>> = front
                .iter()
                .map(|&o| utils.iter().map(|u| u[o].to_bits()).collect())
                .collect();
            exact.sort();
            exact.dedup();
            let refs: Vec<&Utility> = us.iter().collect();
            let f = additive_frontier(&refs, 1_000_000);
            assert_eq!(f.quality, Quality::Exact);
            let mut got: Vec<Vec<u64>> = f
                .points
                .iter()
                .map(|pt| pt.utilities.iter().map(|x| x.to_bits()).collect())
                .collect();
            got.sort();
            assert_eq!(got, exact, "seed {seed}");
            assert_eq!(f.points.len(), distinct_points(&utils, &front));
            for pt in &f.points {
                for (q, u) in us.iter().enumerate() {
                    assert_eq!(u.eval_values(&pt.values), pt.utilities[q]);
                }
            }
        }
    }

    #[test]
    fn collapsed_frontier_is_within_its_stated_epsilon() {
        let us = random_utils(9, 6, 5, 2);
        let utils: Vec<Vec<f64>> = us.iter().map(|u| u.evaluate_all()).collect();
        let refs: Vec<&Utility> = us.iter().collect();
        let exact = additive_frontier(&refs, 1_000_000);
        let approx = additive_frontier(&refs, 8);
        let Quality::Approximate { epsilon } = approx.quality else {
            panic!("expected an approximation, got {:?}", approx.quality)
        };
        assert!(approx.points.len() <= exact.points.len());
        for e in &exact.points {
            let covered = approx.points.iter().any(|a| {
                a.utilities
                    .iter()
                    .zip(&e.utilities)
                    .all(|(x, y)| *x >= y - epsilon - 1e-12)
            });
            assert!(covered, "{:?} not within ε = {epsilon}", e.utilities);
        }
        let _ = utils;
    }

    #[test]
    fn nondominated_agrees_with_brute_force_in_every_dimension() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        for p in 1..=5 {
            for _ in 0..20 {
                let pts: Vec<Vec<f64>> = (0..60)
                    .map(|_| {
                        (0..p)
                            .map(|_| (rng.random::<f64>() * 5.0).floor())
                            .collect()
                    })
                    .collect();
                let mut got: Vec<Vec<f64>> =
                    nondominated(&pts).iter().map(|&i| pts[i].clone()).collect();
                let dom =
                    |a: &Vec<f64>, b: &Vec<f64>| a.iter().zip(b).all(|(x, y)| x >= y) && a != b;
                let mut want: Vec<Vec<f64>> = pts
                    .iter()
                    .filter(|x| !pts.iter().any(|y| dom(y, x)))
                    .cloned()
                    .collect();
                let key = |v: &Vec<f64>| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                got.sort_by_key(key);
                want.sort_by_key(key);
                want.dedup();
                assert_eq!(got, want, "p = {p}");
            }
        }
    }
}
