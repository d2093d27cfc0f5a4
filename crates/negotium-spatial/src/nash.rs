//! Placeholder until the model lands.
use crate::{Forecast, NashOptions, Problem, SpatialError};
pub fn run(_p: &Problem, _o: &NashOptions) -> Result<Forecast, SpatialError> {
    Err(SpatialError::Option { option: "model".into(), message: "not implemented yet".into() })
}
