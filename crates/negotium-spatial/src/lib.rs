//! negotium-spatial: forecasting models over actors' positions on issue
//! scales. Pure: typed inputs in, serialisable trajectories out; no files,
//! no terminal. Same inputs (and seed) → same result, bit for bit.
//!
//! A [`Problem`] holds actors (capability) and dimensions (issue scales) with
//! each actor's position and salience per dimension. [`run`] applies one
//! [`ModelSpec`] and returns a [`Forecast`]: the predicted outcome per
//! dimension, the initial statistics, and for dynamic models every round.

mod pow;
mod simd;
mod types;
pub use types::*;

pub mod compromise;
pub mod eum;
pub mod exchange;
pub mod median;
pub mod nash;
pub mod smp;
pub mod stats;

/// Runs one model on a problem. A result with any NaN or infinite number
/// is refused ([`SpatialError::NonFiniteOutput`]), never returned.
pub fn run(problem: &Problem, spec: &ModelSpec) -> Result<Forecast, SpatialError> {
    let f = match spec {
        ModelSpec::Median => median::run(problem),
        ModelSpec::Compromise => compromise::run(problem),
        ModelSpec::Nash(o) => nash::run(problem, o),
        ModelSpec::Eum(o) => eum::run(problem, o),
        ModelSpec::Smp(o) => smp::run(problem, o),
        ModelSpec::Exchange(o) => exchange::run(problem, o),
    }?;
    f.check_finite()?;
    Ok(f)
}

/// Only the forecast of [`run`] — the same numbers, bit for bit — without
/// the trace, the statistics or the assumptions, for sweeps that run a
/// model thousands of times. Non-finite results are refused as by [`run`].
pub fn forecast(problem: &Problem, spec: &ModelSpec) -> Result<Vec<f64>, SpatialError> {
    let f = match spec {
        ModelSpec::Median => stats::medians(problem),
        ModelSpec::Compromise => stats::means(problem),
        ModelSpec::Nash(o) => nash::forecast(problem, o)?,
        ModelSpec::Eum(o) => eum::forecast(problem, o)?,
        ModelSpec::Smp(o) => smp::forecast(problem, o)?,
        ModelSpec::Exchange(o) => exchange::run(problem, o)?.forecast,
    };
    if let Some((k, v)) = f.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(SpatialError::NonFiniteOutput {
            model: spec.name().into(),
            what: format!("forecast on dimension {k}"),
            value: *v,
        });
    }
    Ok(f)
}
