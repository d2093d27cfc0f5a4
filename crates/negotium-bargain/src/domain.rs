//! Outcome spaces: discrete issues (categorical labels, integer ranges,
//! continuous ranges discretised at explicit points) and the mixed-radix
//! numbering of outcomes (the last issue varies fastest, as in
//! `itertools.product` and NegMAS's enumeration).

use serde::{Deserialize, Serialize};

use crate::error::BargainError;

/// An outcome's index in the enumeration of a [`Domain`].
pub type OutcomeId = usize;

/// The largest outcome space the engine evaluates (outcomes × parties are
/// held as `f64`, so 5 million outcomes × 2 parties is 80 MB).
pub const MAX_OUTCOMES: usize = 5_000_000;

/// What kind of values an issue takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum IssueKind {
    /// Named values without numbers.
    Categorical,
    /// Every integer from `lo` to `hi` inclusive.
    Integer { lo: i64, hi: i64 },
    /// `points` evenly spaced values from `lo` to `hi` inclusive (explicit discretisation).
    Continuous { lo: f64, hi: f64, points: usize },
}

/// One issue: a name, its kind and its values (labels, and numbers where the kind has them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub name: String,
    pub kind: IssueKind,
    /// Display label of each value.
    pub labels: Vec<String>,
    /// Numeric value of each value: the number for integer and continuous
    /// issues, the 0-based index for categorical ones.
    pub numbers: Vec<f64>,
}

impl Issue {
    /// A categorical issue with the given value labels.
    pub fn categorical(
        name: impl Into<String>,
        labels: impl IntoIterator<Item = impl Into<String>>,
    ) -> Result<Issue, BargainError> {
        let name = name.into();
        let labels: Vec<String> = labels.into_iter().map(Into::into).collect();
        if labels.is_empty() {
            return Err(BargainError::EmptyIssue { issue: name });
        }
        let mut seen = std::collections::BTreeSet::new();
        for l in &labels {
            if !seen.insert(l.as_str()) {
                return Err(BargainError::BadIssue {
                    issue: name,
                    what: format!("value `{l}` appears twice; expected distinct values"),
                });
            }
        }
        let numbers = (0..labels.len()).map(|i| i as f64).collect();
        Ok(Issue {
            name,
            kind: IssueKind::Categorical,
            labels,
            numbers,
        })
    }

    /// An integer issue taking every value in `lo..=hi`.
    pub fn integer(name: impl Into<String>, lo: i64, hi: i64) -> Result<Issue, BargainError> {
        let name = name.into();
        if hi < lo {
            return Err(BargainError::BadIssue {
                issue: name,
                what: format!("upper bound {hi} is below lower bound {lo}; expected lo <= hi"),
            });
        }
        let n = (hi as i128 - lo as i128 + 1) as u128;
        if n > MAX_OUTCOMES as u128 {
            return Err(BargainError::BadIssue {
                issue: name,
                what: format!("{n} values; expected at most {MAX_OUTCOMES}"),
            });
        }
        let labels = (lo..=hi).map(|v| v.to_string()).collect();
        let numbers = (lo..=hi).map(|v| v as f64).collect();
        Ok(Issue {
            name,
            kind: IssueKind::Integer { lo, hi },
            labels,
            numbers,
        })
    }

    /// A continuous issue on `[lo, hi]` discretised into `points` evenly spaced values.
    pub fn continuous(
        name: impl Into<String>,
        lo: f64,
        hi: f64,
        points: usize,
    ) -> Result<Issue, BargainError> {
        let name = name.into();
        if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
            return Err(BargainError::BadIssue {
                issue: name,
                what: format!("range [{lo}, {hi}] is not a finite interval with lo <= hi"),
            });
        }
        if !(2..=MAX_OUTCOMES).contains(&points) {
            return Err(BargainError::BadIssue {
                issue: name,
                what: format!(
                    "discretisation into {points} points; expected 2..={MAX_OUTCOMES} points"
                ),
            });
        }
        let numbers: Vec<f64> = (0..points)
            .map(|k| lo + (hi - lo) * k as f64 / (points - 1) as f64)
            .collect();
        let labels = numbers.iter().map(|x| format!("{x}")).collect();
        Ok(Issue {
            name,
            kind: IssueKind::Continuous { lo, hi, points },
            labels,
            numbers,
        })
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Never true for a constructed issue.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Index of the value with this label.
    pub fn value_index(&self, label: &str) -> Option<usize> {
        self.labels.iter().position(|l| l == label)
    }
}

/// A Cartesian outcome space over issues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Domain {
    pub issues: Vec<Issue>,
    size: usize,
}

impl Domain {
    /// Checks names and the size limit ([`MAX_OUTCOMES`]) before any work.
    pub fn new(issues: Vec<Issue>) -> Result<Domain, BargainError> {
        Self::with_limit(issues, MAX_OUTCOMES, 2)
    }

    /// As [`Domain::new`] with an explicit outcome limit; `parties` only sizes the error message.
    pub fn with_limit(
        issues: Vec<Issue>,
        limit: usize,
        parties: usize,
    ) -> Result<Domain, BargainError> {
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
        let size: u128 = issues
            .iter()
            .fold(1u128, |acc, i| acc.saturating_mul(i.len() as u128));
        if size > limit as u128 {
            return Err(BargainError::TooLarge {
                size: size.to_string(),
                limit,
                parties,
                mib: size.saturating_mul(8 * parties as u128) / (1024 * 1024),
            });
        }
        Ok(Domain {
            issues,
            size: size as usize,
        })
    }

    /// Number of outcomes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The value index of every issue in outcome `id`.
    pub fn decode(&self, mut id: OutcomeId) -> Vec<usize> {
        let mut out = vec![0; self.issues.len()];
        for (k, issue) in self.issues.iter().enumerate().rev() {
            out[k] = id % issue.len();
            id /= issue.len();
        }
        out
    }

    /// The outcome with these value indices (None if one is out of range or the length is wrong).
    pub fn encode(&self, values: &[usize]) -> Option<OutcomeId> {
        if values.len() != self.issues.len() {
            return None;
        }
        let mut id = 0usize;
        for (issue, &v) in self.issues.iter().zip(values) {
            if v >= issue.len() {
                return None;
            }
            id = id * issue.len() + v;
        }
        Some(id)
    }

    /// `(issue name, value label)` pairs of an outcome.
    pub fn labels(&self, id: OutcomeId) -> Vec<(String, String)> {
        self.decode(id)
            .into_iter()
            .zip(&self.issues)
            .map(|(v, i)| (i.name.clone(), i.labels[v].clone()))
            .collect()
    }

    /// Index of the issue with this name.
    pub fn issue_index(&self, name: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_radix_last_issue_fastest() {
        let d = Domain::new(vec![
            Issue::integer("a", 0, 1).unwrap(),
            Issue::categorical("b", ["x", "y", "z"]).unwrap(),
        ])
        .unwrap();
        assert_eq!(d.size(), 6);
        assert_eq!(d.decode(0), vec![0, 0]);
        assert_eq!(d.decode(1), vec![0, 1]);
        assert_eq!(d.decode(3), vec![1, 0]);
        for id in 0..6 {
            assert_eq!(d.encode(&d.decode(id)), Some(id));
        }
        assert_eq!(d.encode(&[2, 0]), None);
    }

    #[test]
    fn limits_checked_before_work() {
        let issues: Vec<Issue> = (0..8)
            .map(|k| Issue::integer(format!("i{k}"), 0, 9).unwrap())
            .collect();
        let e = Domain::new(issues).unwrap_err();
        assert!(matches!(e, BargainError::TooLarge { .. }));
        assert!(e.to_string().contains("100000000 outcomes"));
    }

    #[test]
    fn continuous_points_are_explicit() {
        let i = Issue::continuous("price", 10.0, 20.0, 5).unwrap();
        assert_eq!(i.numbers, vec![10.0, 12.5, 15.0, 17.5, 20.0]);
        assert!(Issue::continuous("p", 0.0, 1.0, 1).is_err());
        assert!(Issue::categorical("c", ["a", "a"]).is_err());
    }
}
