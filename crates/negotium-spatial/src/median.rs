//! Weighted median model: the capability×salience-weighted median of the
//! positions on each dimension, which is the Condorcet winner in one dimension.

use crate::stats::stats;
use crate::{Forecast, Problem, SpatialError};

/// Forecasts the c·s-weighted median of the initial positions, per dimension.
pub fn run(problem: &Problem) -> Result<Forecast, SpatialError> {
    let initial = stats(problem, problem.position());
    Ok(Forecast {
        model: "median".into(),
        forecast: initial.median.clone(),
        initial,
        rounds: Vec::new(),
        converged: true,
        assumptions: vec![
            "Each dimension is decided separately; the outcome is the weighted median of \
             the actors' positions, each actor weighted by capability × salience."
                .into(),
            "With single-peaked, symmetric preferences on one dimension and weighted \
             majority voting (weights capability × salience), the weighted median beats or \
             ties every other position in pairwise votes: it is the Condorcet winner."
                .into(),
            "Tie rule: the lower weighted median — the smallest position at which the \
             cumulative weight reaches half the total (when it reaches exactly half, every \
             point up to the next position ties, and the lower one is reported)."
                .into(),
            "A dimension on which every actor has zero salience weights the actors equally.".into(),
        ],
    })
}
