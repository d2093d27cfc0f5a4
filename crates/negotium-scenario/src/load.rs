//! Loading: placeholder.
use crate::{Scenario, ScenarioError};
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format { Toml, Json, KtabCsv }
#[derive(Debug, Clone)]
pub struct Loaded { pub scenario: Scenario, pub source_name: String }
pub fn load_str(_src: &str, _file: &str, _format: Format) -> Result<Loaded, ScenarioError> { todo!() }
pub fn load_path(_path: &std::path::Path) -> Result<Loaded, ScenarioError> { todo!() }
pub fn resolve(_arg: &str) -> Result<Loaded, ScenarioError> { todo!() }
