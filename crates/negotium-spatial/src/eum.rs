//! Placeholder until the model lands.
use crate::{Forecast, EumOptions, Problem, SpatialError};
pub fn run(_p: &Problem, _o: &EumOptions) -> Result<Forecast, SpatialError> {
    Err(SpatialError::Option { option: "model".into(), message: "not implemented yet".into() })
}
