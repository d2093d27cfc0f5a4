//! Compromise model: the capability×salience-weighted mean of the positions
//! on each dimension (van den Bos 1991; Achen 2006).

use crate::stats::stats;
use crate::{Forecast, Problem, SpatialError};

/// Forecasts the c·s-weighted mean of the initial positions, per dimension.
pub fn run(problem: &Problem) -> Result<Forecast, SpatialError> {
    let initial = stats(problem, problem.position());
    Ok(Forecast {
        model: "compromise".into(),
        forecast: initial.mean.clone(),
        initial,
        rounds: Vec::new(),
        converged: true,
        assumptions: vec![
            "Each dimension is decided separately; the outcome is Σ cᵢ·sᵢ·xᵢ / Σ cᵢ·sᵢ, the \
             mean of the positions weighted by capability × salience."
                .into(),
            "This is the maximiser of Σ cᵢ·sᵢ·(−(x − xᵢ)²), i.e. the outcome that minimises \
             the weighted squared losses: a simple variant of the Nash bargaining solution."
                .into(),
            "A dimension on which every actor has zero salience weights the actors equally.".into(),
        ],
    })
}
