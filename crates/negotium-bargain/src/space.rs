//! An evaluated outcome space: every party's utility of every outcome, and
//! each party's outcomes sorted by utility (the presort that aspiration
//! strategies search with a binary search).

use crate::domain::OutcomeId;
use crate::prefs::Problem;

/// Utilities of all outcomes for all parties, plus per-party sorted orders.
#[derive(Debug, Clone)]
pub struct Space {
    /// `utils[p][o]`: party p's utility of outcome o.
    pub utils: Vec<Vec<f64>>,
    /// `order[p]`: outcome ids sorted by party p's utility, ascending (ties by id).
    pub order: Vec<Vec<u32>>,
    /// Per party: reservation value.
    pub reservation: Vec<f64>,
    /// Per party: minimum and maximum utility over the space.
    pub min: Vec<f64>,
    pub max: Vec<f64>,
    /// Number of values of each issue (the space's mixed radix).
    pub sizes: Vec<usize>,
    /// Per party: discount factor δ.
    pub discount: Vec<f64>,
}

impl Space {
    /// Evaluates the problem (the domain's size limit was checked when it was built).
    pub fn new(problem: &Problem) -> Space {
        let utils: Vec<Vec<f64>> = problem
            .parties
            .iter()
            .map(|p| p.utility.evaluate_all())
            .collect();
        Space::from_utils(
            utils,
            problem.parties.iter().map(|p| p.reservation).collect(),
            problem.domain.issues.iter().map(|i| i.len()).collect(),
            problem.parties.iter().map(|p| p.discount).collect(),
        )
    }

    /// An evaluated space from utilities already computed (one vector per
    /// party, in enumeration order), e.g. of a non-linear utility function.
    pub fn from_utils(
        utils: Vec<Vec<f64>>,
        reservation: Vec<f64>,
        sizes: Vec<usize>,
        discount: Vec<f64>,
    ) -> Space {
        let order = utils
            .iter()
            .map(|u| {
                let mut o: Vec<u32> = (0..u.len() as u32).collect();
                o.sort_by(|&a, &b| u[a as usize].total_cmp(&u[b as usize]).then(a.cmp(&b)));
                o
            })
            .collect();
        let min = utils
            .iter()
            .map(|u| u.iter().cloned().fold(f64::INFINITY, f64::min))
            .collect();
        let max = utils
            .iter()
            .map(|u| u.iter().cloned().fold(f64::NEG_INFINITY, f64::max))
            .collect();
        Space {
            utils,
            order,
            reservation,
            min,
            max,
            sizes,
            discount,
        }
    }

    pub fn n_parties(&self) -> usize {
        self.utils.len()
    }

    pub fn n_outcomes(&self) -> usize {
        self.utils[0].len()
    }

    /// Utility vector of an outcome.
    pub fn point(&self, o: OutcomeId) -> Vec<f64> {
        self.utils.iter().map(|u| u[o]).collect()
    }

    /// Whether every party weakly prefers `o` to its reservation value.
    pub fn is_rational(&self, o: OutcomeId) -> bool {
        self.utils
            .iter()
            .zip(&self.reservation)
            .all(|(u, r)| u[o] >= *r)
    }

    /// Whether every party strictly prefers `o` to its reservation value.
    pub fn is_strictly_rational(&self, o: OutcomeId) -> bool {
        self.utils
            .iter()
            .zip(&self.reservation)
            .all(|(u, r)| u[o] > *r)
    }

    /// The disagreement point used by Nash and Kalai–Smorodinsky:
    /// per party, max(reservation value, minimum utility).
    pub fn disagreement(&self) -> Vec<f64> {
        self.reservation
            .iter()
            .zip(&self.min)
            .map(|(r, m)| r.max(*m))
            .collect()
    }
}
