//! Exact analysis of an evaluated space: the Pareto frontier (sort-and-sweep
//! for two parties, welfare-ordered skyline for more), the Nash,
//! Kalai–Smorodinsky, egalitarian and maximum-welfare points, distances of
//! an agreement to them, and zones of agreement overall and per issue.
//!
//! Definitions. Outcome q *dominates* o if every party weakly prefers q and
//! one strictly. The frontier holds every undominated outcome (outcomes with
//! identical utility vectors are all kept; `pareto_size` counts distinct
//! vectors, as NegMAS does). The disagreement point dᵢ = max(reservation,
//! min utility). Solution points are chosen on the frontier among outcomes
//! with uᵢ ≥ dᵢ for all i: Nash maximises Π(uᵢ − dᵢ); Kalai–Smorodinsky
//! maximises minᵢ (uᵢ − dᵢ)/(Mᵢ − dᵢ), Mᵢ being party i's best utility among
//! those outcomes (the ideal point); egalitarian maximises minᵢ (uᵢ − dᵢ);
//! maximum welfare maximises Σuᵢ. Ties go to the lowest outcome id. The
//! zone of agreement (ZOPA) is the set of outcomes every party strictly
//! prefers to its reservation value.

use serde::{Deserialize, Serialize};

use crate::domain::OutcomeId;
use crate::prefs::Problem;
use crate::space::Space;

/// An outcome with its value labels and utilities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub outcome: OutcomeId,
    /// `(issue, value label)` pairs.
    pub values: Vec<(String, String)>,
    pub utilities: Vec<f64>,
}

impl Point {
    pub fn new(problem: &Problem, space: &Space, o: OutcomeId) -> Point {
        Point {
            outcome: o,
            values: problem.domain.labels(o),
            utilities: space.point(o),
        }
    }
}

/// The zone of agreement on one issue, taken alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueZone {
    pub issue: String,
    /// Values every party scores strictly above its alternative's score on this issue.
    pub zopa: Vec<String>,
    /// Per party, its best value on this issue.
    pub ideal: Vec<String>,
    /// The Nash point of the issue taken alone (None if no value is rational for all).
    pub nash: Option<String>,
}

/// Everything [`analyze`] computes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub parties: Vec<String>,
    pub n_outcomes: usize,
    /// Distinct utility vectors on the frontier.
    pub pareto_size: usize,
    /// The frontier's outcomes, by decreasing welfare (ties by id).
    pub pareto: Vec<OutcomeId>,
    /// Outcomes every party weakly prefers to its reservation value.
    pub rational_outcomes: usize,
    /// Outcomes every party strictly prefers to its reservation value.
    pub zopa_outcomes: usize,
    pub disagreement: Vec<f64>,
    pub reservation: Vec<f64>,
    pub nash: Option<Point>,
    pub kalai_smorodinsky: Option<Point>,
    pub egalitarian: Option<Point>,
    pub max_welfare: Option<Point>,
    /// Per-issue zones (empty when parties lack per-issue reservation scores).
    pub issues: Vec<IssueZone>,
}

impl Analysis {
    /// Issues with an empty per-issue zone of agreement.
    pub fn zopa_empty_issues(&self) -> Vec<String> {
        self.issues
            .iter()
            .filter(|z| z.zopa.is_empty())
            .map(|z| z.issue.clone())
            .collect()
    }
}

/// Weakly-dominates-and-differs test: `a` dominates `b`.
pub fn dominates(a: &[f64], b: &[f64]) -> bool {
    let mut strict = false;
    for (x, y) in a.iter().zip(b) {
        if x < y {
            return false;
        }
        if x > y {
            strict = true;
        }
    }
    strict
}

/// The Pareto frontier among `candidates` (all outcomes if None). Returns
/// outcome ids ordered by decreasing welfare, ties lexicographically by
/// decreasing utilities, then by id.
pub fn pareto_frontier(utils: &[Vec<f64>], candidates: Option<&[OutcomeId]>) -> Vec<OutcomeId> {
    let mut ids: Vec<OutcomeId> = match candidates {
        Some(c) => c.to_vec(),
        None => (0..utils[0].len()).collect(),
    };
    if utils.len() == 2 {
        let (a, b) = (&utils[0], &utils[1]);
        // Sort (u_a desc, u_b desc, id asc) on packed keys for cache locality.
        let mut keyed: Vec<(f64, f64, OutcomeId)> = ids.iter().map(|&o| (a[o], b[o], o)).collect();
        keyed.sort_unstable_by(|x, y| {
            y.0.total_cmp(&x.0)
                .then(y.1.total_cmp(&x.1))
                .then(x.2.cmp(&y.2))
        });
        let mut out = Vec::new();
        let mut best_b = f64::NEG_INFINITY;
        let mut i = 0;
        while i < keyed.len() {
            // A group of equal utility for party a, sorted by b descending.
            let (ga, gb, _) = keyed[i];
            let mut j = i;
            while j < keyed.len() && keyed[j].0 == ga {
                if keyed[j].1 == gb && gb > best_b {
                    out.push(keyed[j].2);
                }
                j += 1;
            }
            if gb > best_b {
                best_b = gb;
            }
            i = j;
        }
        sort_by_welfare(utils, &mut out);
        return out;
    }
    sort_by_welfare(utils, &mut ids);
    let mut front: Vec<OutcomeId> = Vec::new();
    // Distinct frontier vectors found so far (indices into `front`).
    let mut reps: Vec<OutcomeId> = Vec::new();
    let n = utils.len();
    let mut p = vec![0.0; n];
    let mut q = vec![0.0; n];
    for &o in &ids {
        for k in 0..n {
            p[k] = utils[k][o];
        }
        let mut dominated = false;
        for &r in &reps {
            for k in 0..n {
                q[k] = utils[k][r];
            }
            if dominates(&q, &p) {
                dominated = true;
                break;
            }
        }
        if !dominated {
            let dup = reps.iter().any(|&r| (0..n).all(|k| utils[k][r] == p[k]));
            if !dup {
                reps.push(o);
            }
            front.push(o);
        }
    }
    front
}

/// Orders outcomes by decreasing Σu (sums in party order), then
/// lexicographically decreasing utilities, then id. Floating-point addition is
/// monotone, so a dominating outcome always comes before what it dominates.
fn sort_by_welfare(utils: &[Vec<f64>], ids: &mut [OutcomeId]) {
    let welfare = |o: OutcomeId| utils.iter().fold(0.0, |s, u| s + u[o]);
    ids.sort_unstable_by(|&x, &y| {
        welfare(y)
            .total_cmp(&welfare(x))
            .then_with(|| {
                for u in utils {
                    let c = u[y].total_cmp(&u[x]);
                    if c.is_ne() {
                        return c;
                    }
                }
                std::cmp::Ordering::Equal
            })
            .then(x.cmp(&y))
    });
}

/// Number of distinct utility vectors among `ids`.
pub fn distinct_points(utils: &[Vec<f64>], ids: &[OutcomeId]) -> usize {
    let mut v: Vec<Vec<u64>> = ids
        .iter()
        .map(|&o| utils.iter().map(|u| u[o].to_bits()).collect())
        .collect();
    v.sort_unstable();
    v.dedup();
    v.len()
}

fn argbest(ids: &[OutcomeId], score: impl Fn(OutcomeId) -> f64) -> Option<OutcomeId> {
    let mut best: Option<(f64, OutcomeId)> = None;
    for &o in ids {
        let s = score(o);
        match best {
            None => best = Some((s, o)),
            Some((bs, bo)) => {
                if s > bs || (s == bs && o < bo) {
                    best = Some((s, o));
                }
            }
        }
    }
    best.map(|(_, o)| o)
}

/// The four solution points on `front` for disagreement point `d`
/// (Nash, Kalai–Smorodinsky, egalitarian, maximum welfare).
pub fn solutions(utils: &[Vec<f64>], front: &[OutcomeId], d: &[f64]) -> [Option<OutcomeId>; 4] {
    let feasible: Vec<OutcomeId> = front
        .iter()
        .copied()
        .filter(|&o| utils.iter().zip(d).all(|(u, di)| u[o] >= *di))
        .collect();
    if feasible.is_empty() {
        return [None; 4];
    }
    let ideal: Vec<f64> = utils
        .iter()
        .map(|u| {
            feasible
                .iter()
                .map(|&o| u[o])
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    let nash = argbest(&feasible, |o| {
        utils.iter().zip(d).map(|(u, di)| u[o] - di).product()
    });
    let ks = argbest(&feasible, |o| {
        utils
            .iter()
            .zip(d)
            .zip(&ideal)
            .map(|((u, di), m)| {
                if m - di > 0.0 {
                    (u[o] - di) / (m - di)
                } else {
                    1.0
                }
            })
            .fold(f64::INFINITY, f64::min)
    });
    let egal = argbest(&feasible, |o| {
        utils
            .iter()
            .zip(d)
            .map(|(u, di)| u[o] - di)
            .fold(f64::INFINITY, f64::min)
    });
    let welfare = argbest(&feasible, |o| utils.iter().fold(0.0, |s, u| s + u[o]));
    [nash, ks, egal, welfare]
}

/// Full analysis of a problem over its evaluated space.
pub fn analyze(problem: &Problem, space: &Space) -> Analysis {
    let front = pareto_frontier(&space.utils, None);
    let d = space.disagreement();
    let [nash, ks, egal, welfare] = solutions(&space.utils, &front, &d);
    let n = space.n_outcomes();
    let rational_outcomes = (0..n).filter(|&o| space.is_rational(o)).count();
    let zopa_outcomes = (0..n).filter(|&o| space.is_strictly_rational(o)).count();
    let pt = |o: Option<OutcomeId>| o.map(|o| Point::new(problem, space, o));
    Analysis {
        parties: problem.parties.iter().map(|p| p.name.clone()).collect(),
        n_outcomes: n,
        pareto_size: distinct_points(&space.utils, &front),
        pareto: front,
        rational_outcomes,
        zopa_outcomes,
        disagreement: d,
        reservation: space.reservation.clone(),
        nash: pt(nash),
        kalai_smorodinsky: pt(ks),
        egalitarian: pt(egal),
        max_welfare: pt(welfare),
        issues: issue_zones(problem),
    }
}

/// Per-issue zones of agreement (empty unless every party has per-issue reservation scores).
pub fn issue_zones(problem: &Problem) -> Vec<IssueZone> {
    if !problem.has_issue_reservations() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (k, issue) in problem.domain.issues.iter().enumerate() {
        let zopa = (0..issue.len())
            .filter(|&v| {
                problem.parties.iter().all(|p| {
                    p.utility.tables[k][v] > p.issue_reservations.as_ref().expect("checked")[k]
                })
            })
            .map(|v| issue.labels[v].clone())
            .collect();
        let ideal = problem
            .parties
            .iter()
            .map(|p| {
                let t = &p.utility.tables[k];
                let best = argbest(&(0..t.len()).collect::<Vec<_>>(), |v| t[v]).unwrap_or(0);
                issue.labels[best].clone()
            })
            .collect();
        let nash = problem.restrict_to_issue(k).ok().and_then(|sub| {
            let sp = Space::new(&sub);
            let f = pareto_frontier(&sp.utils, None);
            solutions(&sp.utils, &f, &sp.disagreement())[0].map(|v| issue.labels[v].clone())
        });
        out.push(IssueZone {
            issue: issue.name.clone(),
            zopa,
            ideal,
            nash,
        });
    }
    out
}

/// Euclidean distance between two utility vectors.
pub fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// Distance from a utility vector to the nearest frontier point.
pub fn distance_to_frontier(space: &Space, front: &[OutcomeId], u: &[f64]) -> f64 {
    front
        .iter()
        .map(|&o| distance(&space.point(o), u))
        .fold(f64::INFINITY, f64::min)
}

/// Distances of an agreement to the frontier and the solution points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distances {
    pub pareto: f64,
    pub nash: Option<f64>,
    pub kalai_smorodinsky: Option<f64>,
    pub egalitarian: Option<f64>,
    pub max_welfare: Option<f64>,
}

/// How far the agreement `o` lies from the frontier and each solution point.
pub fn distances(space: &Space, analysis: &Analysis, o: OutcomeId) -> Distances {
    let u = space.point(o);
    let d = |p: &Option<Point>| p.as_ref().map(|p| distance(&p.utilities, &u));
    Distances {
        pareto: distance_to_frontier(space, &analysis.pareto, &u),
        nash: d(&analysis.nash),
        kalai_smorodinsky: d(&analysis.kalai_smorodinsky),
        egalitarian: d(&analysis.egalitarian),
        max_welfare: d(&analysis.max_welfare),
    }
}

/// The frontier by brute force, O(n²): the reference for tests.
pub fn pareto_brute_force(utils: &[Vec<f64>]) -> Vec<OutcomeId> {
    let n = utils[0].len();
    let pts: Vec<Vec<f64>> = (0..n)
        .map(|o| utils.iter().map(|u| u[o]).collect())
        .collect();
    (0..n)
        .filter(|&o| !(0..n).any(|q| dominates(&pts[q], &pts[o])))
        .collect()
}
