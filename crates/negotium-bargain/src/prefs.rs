//! Preferences: linear additive utilities (a value table or a linear function
//! per issue, and issue weights), reservation values (overall or per issue)
//! and discount factors, with an explicit normalisation convention.
//!
//! Utility of outcome `o`: `u(o) = Σᵢ wᵢ · vᵢ(oᵢ)`. Conventions:
//! * [`Normalisation::AsGiven`] (negotium's default): weights are divided by
//!   their sum; value tables are used exactly as written (write them in
//!   [0, 1] and utilities lie in [0, 1]).
//! * [`Normalisation::GeniusMax`] (GENIUS): as above, and each issue's
//!   evaluations are first divided by that issue's maximum evaluation.
//! * [`Normalisation::MinMax`]: as `AsGiven`, then the whole function is
//!   mapped affinely so its minimum over the space is 0 and its maximum 1.
//!
//! Reservation values are in the units of the normalised utility.

use serde::{Deserialize, Serialize};

use crate::domain::{Domain, OutcomeId};
use crate::error::BargainError;

/// How one issue's values are scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueFunction {
    /// One score per value, in the issue's value order.
    Table(Vec<f64>),
    /// `slope · x + offset`, where x is the value's number (see [`crate::Issue::numbers`]).
    Linear { slope: f64, offset: f64 },
}

/// The largest magnitude a value score may have (except under GENIUS
/// normalisation, which divides by each issue's maximum). Utilities are meant
/// to lie in [0, 1]; the bound keeps squares and products of utilities
/// (distances, Nash products) finite.
pub const MAX_SCORE: f64 = 1e6;

/// Which normalisation convention turns raw scores into utilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Normalisation {
    #[default]
    AsGiven,
    GeniusMax,
    MinMax,
}

/// A normalised linear additive utility function over a domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Utility {
    /// Issue weights, summing to 1.
    pub weights: Vec<f64>,
    /// Per issue, the (normalised) score of each value.
    pub tables: Vec<Vec<f64>>,
}

impl Utility {
    /// Builds and normalises a utility; `who` names the party in errors.
    pub fn new(
        domain: &Domain,
        weights: &[f64],
        functions: &[ValueFunction],
        norm: Normalisation,
        who: &str,
    ) -> Result<Utility, BargainError> {
        Self::for_issues(&domain.issues, weights, functions, norm, who)
    }

    /// As [`Utility::new`] over a list of issues of any size (no domain limit).
    pub fn for_issues(
        issues: &[crate::domain::Issue],
        weights: &[f64],
        functions: &[ValueFunction],
        norm: Normalisation,
        who: &str,
    ) -> Result<Utility, BargainError> {
        let bad = |what: String| BargainError::BadParty {
            party: who.to_string(),
            what,
        };
        let n = issues.len();
        if weights.len() != n || functions.len() != n {
            return Err(bad(format!(
                "{} weights and {} value functions for {n} issues; expected one of each per issue",
                weights.len(),
                functions.len()
            )));
        }
        if let Some((k, w)) = weights
            .iter()
            .enumerate()
            .find(|(_, w)| !w.is_finite() || **w < 0.0)
        {
            return Err(bad(format!(
                "weight {w} of issue `{}` is not a finite non-negative number",
                issues[k].name
            )));
        }
        let total: f64 = weights.iter().sum();
        if total <= 0.0 {
            return Err(bad("the weights sum to 0; expected a positive sum".into()));
        }
        let weights: Vec<f64> = if total.is_finite() {
            weights.iter().map(|w| w / total).collect()
        } else {
            // Huge finite weights overflow the sum: scale by the largest
            // first (only then, so that ordinary inputs keep their exact
            // rounding).
            let largest = weights.iter().cloned().fold(0.0, f64::max);
            let scaled: Vec<f64> = weights.iter().map(|w| w / largest).collect();
            let total: f64 = scaled.iter().sum();
            scaled.iter().map(|w| w / total).collect()
        };
        let mut tables = Vec::with_capacity(n);
        for (issue, f) in issues.iter().zip(functions) {
            let t: Vec<f64> = match f {
                ValueFunction::Table(t) => {
                    if t.len() != issue.len() {
                        return Err(bad(format!(
                            "issue `{}` has {} values but the value table has {} entries",
                            issue.name,
                            issue.len(),
                            t.len()
                        )));
                    }
                    t.clone()
                }
                ValueFunction::Linear { slope, offset } => {
                    issue.numbers.iter().map(|x| slope * x + offset).collect()
                }
            };
            if let Some(x) = t.iter().find(|x| !x.is_finite()) {
                return Err(bad(format!(
                    "issue `{}` has a non-finite value score {x}",
                    issue.name
                )));
            }
            if norm != Normalisation::GeniusMax {
                if let Some(x) = t.iter().find(|x| x.abs() > MAX_SCORE) {
                    return Err(bad(format!(
                        "issue `{}` has a value score {x}; expected scores within ±{MAX_SCORE:e} (write them in [0, 1])",
                        issue.name
                    )));
                }
            }
            tables.push(t);
        }
        if norm == Normalisation::GeniusMax {
            for (issue, t) in issues.iter().zip(tables.iter_mut()) {
                let mx = t.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                if mx <= 0.0 {
                    return Err(bad(format!(
                        "issue `{}`: GENIUS normalisation divides by the maximum evaluation, which is {mx}; expected a positive maximum",
                        issue.name
                    )));
                }
                t.iter_mut().for_each(|x| *x /= mx);
            }
        }
        let mut u = Utility { weights, tables };
        if norm == Normalisation::MinMax {
            let (mn, mx) = u.range();
            if mx - mn <= 0.0 {
                return Err(bad(
                    "the utility is constant over the outcome space; min–max normalisation is undefined".into(),
                ));
            }
            for (t, w) in u.tables.iter_mut().zip(&u.weights) {
                let tmin = t.iter().cloned().fold(f64::INFINITY, f64::min);
                let _ = w;
                t.iter_mut().for_each(|x| *x = (*x - tmin) / (mx - mn));
            }
        }
        Ok(u)
    }

    /// Utility of an outcome given as value indices.
    pub fn eval_values(&self, values: &[usize]) -> f64 {
        let mut s = 0.0;
        for ((w, t), &v) in self.weights.iter().zip(&self.tables).zip(values) {
            s += w * t[v];
        }
        s
    }

    /// Utility of an outcome of `domain`.
    pub fn eval(&self, domain: &Domain, id: OutcomeId) -> f64 {
        self.eval_values(&domain.decode(id))
    }

    /// Minimum and maximum utility over the whole space (exact for additive functions).
    pub fn range(&self) -> (f64, f64) {
        let mut mn = 0.0;
        let mut mx = 0.0;
        for (w, t) in self.weights.iter().zip(&self.tables) {
            mn += w * t.iter().cloned().fold(f64::INFINITY, f64::min);
            mx += w * t.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        }
        (mn, mx)
    }

    /// Utilities of every outcome, in enumeration order (the last issue fastest).
    /// Each value is summed in issue order, exactly as [`Utility::eval_values`].
    pub fn evaluate_all(&self) -> Vec<f64> {
        let size: usize = self.tables.iter().map(Vec::len).product();
        let mut cur = Vec::with_capacity(size);
        cur.push(0.0f64);
        for (w, t) in self.weights.iter().zip(&self.tables) {
            let mut next = Vec::with_capacity(cur.len() * t.len());
            for &base in &cur {
                for &x in t {
                    next.push(base + w * x);
                }
            }
            cur = next;
        }
        cur
    }
}

/// What a party gets without agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reservation {
    /// One reservation utility for the whole negotiation.
    Value(f64),
    /// Per issue, the score (in the issue's normalised table units) the
    /// party's alternative gives on that issue; the overall reservation value
    /// is their weighted sum. Enables per-issue zones of agreement and
    /// issue-by-issue talks.
    PerIssue(Vec<f64>),
}

/// A negotiating party: a name, a utility, a reservation value and a discount factor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    pub utility: Utility,
    /// Utility of the best alternative to agreement.
    pub reservation: f64,
    /// Per-issue alternative scores, when given.
    pub issue_reservations: Option<Vec<f64>>,
    /// GENIUS-style discount δ in (0, 1]: an agreement at relative time t is
    /// worth `u · δ^t`. Reported alongside; strategies see undiscounted utilities.
    pub discount: f64,
}

impl Party {
    /// Checks the reservation and discount against the utility.
    pub fn new(
        name: impl Into<String>,
        utility: Utility,
        reservation: Reservation,
        discount: f64,
    ) -> Result<Party, BargainError> {
        let name = name.into();
        let bad = |what: String| BargainError::BadParty {
            party: name.clone(),
            what,
        };
        if !(discount > 0.0 && discount <= 1.0) {
            return Err(bad(format!(
                "discount factor {discount}; expected a number in (0, 1]"
            )));
        }
        let (reservation, issue_reservations) = match reservation {
            Reservation::Value(r) => {
                if !r.is_finite() || r.abs() > MAX_SCORE {
                    return Err(bad(format!(
                        "reservation value {r}; expected a finite utility within ±{MAX_SCORE:e}"
                    )));
                }
                (r, None)
            }
            Reservation::PerIssue(rs) => {
                if rs.len() != utility.weights.len() {
                    return Err(bad(format!(
                        "{} per-issue reservation scores for {} issues; expected one per issue",
                        rs.len(),
                        utility.weights.len()
                    )));
                }
                if rs.iter().any(|r| !r.is_finite() || r.abs() > MAX_SCORE) {
                    return Err(bad(format!(
                        "a per-issue reservation score is not a finite number within ±{MAX_SCORE:e}"
                    )));
                }
                let r = utility.weights.iter().zip(&rs).map(|(w, r)| w * r).sum();
                (r, Some(rs))
            }
        };
        Ok(Party {
            name,
            utility,
            reservation,
            issue_reservations,
            discount,
        })
    }
}

/// A negotiation problem: a domain and two or more parties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub name: String,
    pub domain: Domain,
    pub parties: Vec<Party>,
}

impl Problem {
    pub fn new(
        name: impl Into<String>,
        domain: Domain,
        parties: Vec<Party>,
    ) -> Result<Problem, BargainError> {
        if parties.len() < 2 {
            return Err(BargainError::TooFewParties {
                min: 2,
                found: parties.len(),
            });
        }
        for p in &parties {
            if p.utility.tables.len() != domain.issues.len()
                || p.utility
                    .tables
                    .iter()
                    .zip(&domain.issues)
                    .any(|(t, i)| t.len() != i.len())
            {
                return Err(BargainError::BadParty {
                    party: p.name.clone(),
                    what: "its utility does not match the domain's issues".into(),
                });
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for p in &parties {
            if !seen.insert(p.name.as_str()) {
                return Err(BargainError::BadParty {
                    party: p.name.clone(),
                    what: "duplicate party name; expected unique names".into(),
                });
            }
        }
        Ok(Problem {
            name: name.into(),
            domain,
            parties,
        })
    }

    /// Whether every party has per-issue reservation scores.
    pub fn has_issue_reservations(&self) -> bool {
        self.parties.iter().all(|p| p.issue_reservations.is_some())
    }

    /// The single-issue sub-problem for issue `k`: each party's value table
    /// for that issue (weight 1) and its per-issue reservation score.
    pub fn restrict_to_issue(&self, k: usize) -> Result<Problem, BargainError> {
        let issue = self
            .domain
            .issues
            .get(k)
            .ok_or_else(|| BargainError::Setting(format!("no issue number {k}")))?
            .clone();
        let domain = Domain::new(vec![issue.clone()])?;
        let mut parties = Vec::new();
        for p in &self.parties {
            let rs = p
                .issue_reservations
                .as_ref()
                .ok_or_else(|| BargainError::BadParty {
                    party: p.name.clone(),
                    what: "issue-by-issue analysis needs per-issue reservation scores".into(),
                })?;
            let utility = Utility {
                weights: vec![1.0],
                tables: vec![p.utility.tables[k].clone()],
            };
            parties.push(Party {
                name: p.name.clone(),
                utility,
                reservation: rs[k],
                issue_reservations: Some(vec![rs[k]]),
                discount: p.discount,
            });
        }
        Problem::new(format!("{}/{}", self.name, issue.name), domain, parties)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Issue;

    fn dom() -> Domain {
        Domain::new(vec![
            Issue::categorical("a", ["x", "y"]).unwrap(),
            Issue::integer("b", 0, 2).unwrap(),
        ])
        .unwrap()
    }

    #[test]
    fn genius_max_divides_each_issue_by_its_maximum() {
        let d = dom();
        let u = Utility::new(
            &d,
            &[3.0, 1.0],
            &[
                ValueFunction::Table(vec![4.0, 8.0]),
                ValueFunction::Linear {
                    slope: 5.0,
                    offset: 0.0,
                },
            ],
            Normalisation::GeniusMax,
            "p",
        )
        .unwrap();
        // x (4/8 = 0.5) and b=1 (5/10 = 0.5): 0.75·0.5 + 0.25·0.5
        assert!((u.eval_values(&[0, 1]) - 0.5).abs() < 1e-12);
        assert!((u.eval_values(&[1, 2]) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn min_max_maps_to_unit_interval() {
        let d = dom();
        let u = Utility::new(
            &d,
            &[1.0, 1.0],
            &[
                ValueFunction::Table(vec![2.0, 4.0]),
                ValueFunction::Table(vec![1.0, 3.0, 2.0]),
            ],
            Normalisation::MinMax,
            "p",
        )
        .unwrap();
        let all = u.evaluate_all();
        let mn = all.iter().cloned().fold(f64::INFINITY, f64::min);
        let mx = all.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        assert!(mn.abs() < 1e-12 && (mx - 1.0).abs() < 1e-12);
    }

    #[test]
    fn evaluate_all_matches_eval() {
        let d = dom();
        let u = Utility::new(
            &d,
            &[0.3, 0.7],
            &[
                ValueFunction::Table(vec![0.1, 0.9]),
                ValueFunction::Table(vec![0.0, 0.5, 1.0]),
            ],
            Normalisation::AsGiven,
            "p",
        )
        .unwrap();
        let all = u.evaluate_all();
        for (id, x) in all.iter().enumerate() {
            assert_eq!(*x, u.eval(&d, id));
        }
    }

    #[test]
    fn per_issue_reservation_sums_by_weight() {
        let d = dom();
        let u = Utility::new(
            &d,
            &[1.0, 3.0],
            &[
                ValueFunction::Table(vec![0.0, 1.0]),
                ValueFunction::Table(vec![0.0, 0.5, 1.0]),
            ],
            Normalisation::AsGiven,
            "p",
        )
        .unwrap();
        let p = Party::new("p", u, Reservation::PerIssue(vec![0.4, 0.8]), 1.0).unwrap();
        assert!((p.reservation - (0.25 * 0.4 + 0.75 * 0.8)).abs() < 1e-12);
        assert!(Party::new("q", p.utility.clone(), Reservation::Value(0.0), 1.5).is_err());
    }
}
