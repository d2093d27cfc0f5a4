//! Outcome representations shared by protocols and strategies: an index into
//! an enumerated space ([`crate::OutcomeId`]) or, for spaces too large to
//! enumerate, a [`Bid`] — one value index per issue.

use serde::{Deserialize, Serialize};

use crate::domain::OutcomeId;

/// What protocols and strategies need of an outcome: cheap to compare, hash and log.
pub trait Outcome:
    Clone + Eq + Ord + std::hash::Hash + std::fmt::Debug + Send + Sync + 'static
{
}

impl Outcome for OutcomeId {}

/// An outcome of an implicit (not enumerated) space: the value index chosen on
/// every issue, in issue order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Bid(pub Box<[u32]>);

impl Bid {
    /// A bid from value indices.
    pub fn new(values: impl IntoIterator<Item = usize>) -> Bid {
        Bid(values.into_iter().map(|v| v as u32).collect())
    }

    /// The value index on issue `k`.
    pub fn get(&self, k: usize) -> usize {
        self.0[k] as usize
    }

    /// Number of issues.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Never true for a bid of a domain (domains have at least one issue).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value indices as `usize`.
    pub fn values(&self) -> Vec<usize> {
        self.0.iter().map(|&v| v as usize).collect()
    }
}

impl Outcome for Bid {}
