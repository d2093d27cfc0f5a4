//! Placeholder until the model lands.
use crate::{Forecast, SmpOptions, Problem, SpatialError};
pub fn run(_p: &Problem, _o: &SmpOptions) -> Result<Forecast, SpatialError> {
    Err(SpatialError::Option { option: "model".into(), message: "not implemented yet".into() })
}
