//! Placeholder until the model lands.
use crate::{Forecast, Problem, SpatialError};
pub fn run(_p: &Problem) -> Result<Forecast, SpatialError> {
    Err(SpatialError::Option { option: "model".into(), message: "not implemented yet".into() })
}
