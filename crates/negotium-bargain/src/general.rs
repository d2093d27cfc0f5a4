//! Negotiation problems of any size and any utility kind: a list of issues
//! (no size limit) and parties with a [`UtilityFn`]. A [`GeneralProblem`]
//! that is linear additive and small enough becomes an enumerated
//! [`Problem`] (the exact path, unchanged); anything else is negotiated and
//! analysed implicitly ([`crate::implicit`]).

use serde::{Deserialize, Serialize};

use crate::domain::{Domain, Issue, MAX_OUTCOMES};
use crate::error::BargainError;
use crate::prefs::{Party, Problem, Reservation};
use crate::ufun::UtilityFn;

/// A party of a general problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneralParty {
    pub name: String,
    pub utility: UtilityFn,
    /// Utility of the best alternative to agreement.
    pub reservation: f64,
    /// Per-issue alternative scores (linear additive parties only).
    pub issue_reservations: Option<Vec<f64>>,
    /// Discount factor δ in (0, 1].
    pub discount: f64,
}

impl GeneralParty {
    /// Checks the reservation and discount.
    pub fn new(
        name: impl Into<String>,
        utility: UtilityFn,
        reservation: f64,
        discount: f64,
    ) -> Result<GeneralParty, BargainError> {
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
        if !reservation.is_finite() {
            return Err(bad(format!(
                "reservation value {reservation} is not finite"
            )));
        }
        Ok(GeneralParty {
            name,
            utility,
            reservation,
            issue_reservations: None,
            discount,
        })
    }
}

impl From<Party> for GeneralParty {
    fn from(p: Party) -> Self {
        GeneralParty {
            name: p.name,
            utility: UtilityFn::Additive(p.utility),
            reservation: p.reservation,
            issue_reservations: p.issue_reservations,
            discount: p.discount,
        }
    }
}

/// A negotiation problem without a size limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneralProblem {
    pub name: String,
    pub issues: Vec<Issue>,
    pub parties: Vec<GeneralParty>,
    /// How the problem was read where a file format left a choice (e.g. a
    /// GENIUS discount factor of 0 read as "no discount"); shown with results.
    pub notes: Vec<String>,
}

impl GeneralProblem {
    /// Checks issues, parties and every utility's shape.
    pub fn new(
        name: impl Into<String>,
        issues: Vec<Issue>,
        parties: Vec<GeneralParty>,
        notes: Vec<String>,
    ) -> Result<GeneralProblem, BargainError> {
        if issues.is_empty() {
            return Err(BargainError::NoIssues);
        }
        let mut seen = std::collections::BTreeSet::new();
        for i in &issues {
            if i.is_empty() {
                return Err(BargainError::EmptyIssue {
                    issue: i.name.clone(),
                });
            }
            if !seen.insert(i.name.as_str()) {
                return Err(BargainError::DuplicateIssue(i.name.clone()));
            }
        }
        if parties.len() < 2 {
            return Err(BargainError::TooFewParties {
                min: 2,
                found: parties.len(),
            });
        }
        let sizes: Vec<usize> = issues.iter().map(Issue::len).collect();
        let mut names = std::collections::BTreeSet::new();
        for p in &parties {
            p.utility.check(&sizes, &p.name)?;
            if !names.insert(p.name.as_str()) {
                return Err(BargainError::BadParty {
                    party: p.name.clone(),
                    what: "duplicate party name; expected unique names".into(),
                });
            }
        }
        Ok(GeneralProblem {
            name: name.into(),
            issues,
            parties,
            notes,
        })
    }

    /// Number of values of each issue.
    pub fn sizes(&self) -> Vec<usize> {
        self.issues.iter().map(Issue::len).collect()
    }

    /// Number of outcomes, saturating at `u128::MAX`.
    pub fn size(&self) -> u128 {
        self.issues
            .iter()
            .fold(1u128, |a, i| a.saturating_mul(i.len() as u128))
    }

    /// log10 of the number of outcomes (exact beyond `u128`).
    pub fn log10_size(&self) -> f64 {
        self.issues.iter().map(|i| (i.len() as f64).log10()).sum()
    }

    /// The number of outcomes in words: exact below 10^30, else `≈ 1.0e40`.
    pub fn size_text(&self) -> String {
        let l = self.log10_size();
        if l < 30.0 {
            self.size().to_string()
        } else {
            let e = l.floor();
            format!("≈ {:.2}e{}", 10f64.powf(l - e), e as i64)
        }
    }

    /// Whether every party's utility is linear additive.
    pub fn is_additive(&self) -> bool {
        self.parties
            .iter()
            .all(|p| p.utility.as_additive().is_some())
    }

    /// The enumerated problem, when every utility is linear additive and the
    /// space has at most `limit` outcomes (None otherwise).
    pub fn to_problem(&self, limit: usize) -> Option<Result<Problem, BargainError>> {
        if !self.is_additive() || self.size() > limit as u128 {
            return None;
        }
        Some((|| {
            let domain = Domain::with_limit(self.issues.clone(), limit, self.parties.len())?;
            let mut parties = Vec::new();
            for p in &self.parties {
                let u = p.utility.as_additive().expect("checked").clone();
                let r = match &p.issue_reservations {
                    Some(rs) => Reservation::PerIssue(rs.clone()),
                    None => Reservation::Value(p.reservation),
                };
                parties.push(Party::new(p.name.clone(), u, r, p.discount)?);
            }
            Problem::new(self.name.clone(), domain, parties)
        })())
    }

    /// Whether the space is small enough to enumerate ([`MAX_OUTCOMES`]).
    pub fn enumerable(&self) -> bool {
        self.size() <= MAX_OUTCOMES as u128
    }

    /// `(issue name, value label)` pairs of an outcome given as value indices.
    pub fn labels(&self, values: &[usize]) -> Vec<(String, String)> {
        self.issues
            .iter()
            .zip(values)
            .map(|(i, &v)| (i.name.clone(), i.labels[v].clone()))
            .collect()
    }
}

impl From<Problem> for GeneralProblem {
    fn from(p: Problem) -> Self {
        GeneralProblem {
            name: p.name,
            issues: p.domain.issues,
            parties: p.parties.into_iter().map(GeneralParty::from).collect(),
            notes: Vec::new(),
        }
    }
}
