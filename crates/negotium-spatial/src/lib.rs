//! negotium-spatial: forecasting models over actors' positions on issue
//! scales. Pure: typed inputs in, serialisable trajectories out; no files,
//! no terminal. Same inputs (and seed) → same result, bit for bit.
//!
//! A [`Problem`] holds actors (capability) and dimensions (issue scales) with
//! each actor's position and salience per dimension. [`run`] applies one
//! [`ModelSpec`] and returns a [`Forecast`]: the predicted outcome per
//! dimension, the initial statistics, and for dynamic models every round.

mod types;
pub use types::*;

pub mod compromise;
pub mod eum;
pub mod median;
pub mod nash;
pub mod smp;
pub mod stats;

/// Runs one model on a problem.
pub fn run(problem: &Problem, spec: &ModelSpec) -> Result<Forecast, SpatialError> {
    match spec {
        ModelSpec::Median => median::run(problem),
        ModelSpec::Compromise => compromise::run(problem),
        ModelSpec::Nash(o) => nash::run(problem, o),
        ModelSpec::Eum(o) => eum::run(problem, o),
        ModelSpec::Smp(o) => smp::run(problem, o),
    }
}
