//! One module per command. Lens commands also expose `analyze_section`,
//! which `analyze` calls to add that lens's part of the report.

pub mod analyze;
pub mod conflict;
pub mod forecast;
pub mod history;
pub mod lenses;
pub mod negotiate;
pub mod power;
pub mod report;
pub mod scenarios;
pub mod serve;
pub mod validate;

use negotium_scenario::{Loaded, ScenarioError};

/// Exit codes: 2 for bad input (a scenario or argument that does not
/// validate), 1 for anything else.
pub fn exit_code(e: &anyhow::Error) -> i32 {
    if e.downcast_ref::<ScenarioError>().is_some() || e.downcast_ref::<InputError>().is_some() {
        2
    } else {
        1
    }
}

/// A user-input problem found by a command (bad flag value, unknown id).
#[derive(Debug)]
pub struct InputError(pub String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for InputError {}

/// Bad user input as an `anyhow::Error` that exits with code 2.
pub fn input_error(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(InputError(msg.into()))
}

/// The default scenario of every command that takes one.
pub const DEFAULT_SCENARIO: &str = "kosovo-status";

/// Loads a built-in id or a path (default: kosovo-status).
pub fn load_scenario(arg: Option<&str>) -> anyhow::Result<Loaded> {
    Ok(negotium_scenario::resolve(arg.unwrap_or(DEFAULT_SCENARIO))?)
}
