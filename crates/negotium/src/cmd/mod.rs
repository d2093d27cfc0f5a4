//! One module per command: each parses its flags (clap), builds the lens's
//! typed parameters, calls `negotium-analysis` and prints JSON or the text
//! of `negotium-report`.

pub mod advise;
pub mod analyze;
pub mod backtest;
pub mod completions;
pub mod conflict;
pub mod errors;
pub mod forecast;
pub mod history;
pub mod negotiate;
pub mod power;
pub mod replay;
pub mod report;
pub mod scenarios;
pub mod schema;
pub mod serve;
pub mod sweep;
pub mod validate;

use negotium_analysis::AnalysisError;
use negotium_scenario::{Loaded, ScenarioError};

/// Exit codes: 2 for bad input (a scenario or argument that does not
/// validate), 3 for a job refused for its size (a model or parameter above
/// a documented limit), 1 for anything else.
pub fn exit_code(e: &anyhow::Error) -> i32 {
    if let Some(l) = e.downcast_ref::<LensError>() {
        return l.0.exit_code();
    }
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

/// A lens error as the command line shows it: the parameter as its flag
/// (`--status-quo: …`), and the exit code of its kind.
#[derive(Debug)]
pub struct LensError(pub AnalysisError);

impl std::fmt::Display for LensError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.param_name() {
            Some(p) => write!(f, "--{}: {}", p.replace('_', "-"), self.0.message()),
            None => f.write_str(self.0.message()),
        }
    }
}
impl std::error::Error for LensError {}

impl From<AnalysisError> for LensError {
    fn from(e: AnalysisError) -> Self {
        LensError(e)
    }
}

/// A lens error as an `anyhow::Error` keeping its exit code.
pub fn lens(e: AnalysisError) -> anyhow::Error {
    anyhow::Error::new(LensError(e))
}

/// The default scenario of every command that takes one.
pub const DEFAULT_SCENARIO: &str = "kosovo-status";

/// Loads a built-in id or a path (default: kosovo-status).
pub fn load_scenario(arg: Option<&str>) -> anyhow::Result<Loaded> {
    Ok(negotium_scenario::resolve(arg.unwrap_or(DEFAULT_SCENARIO))?)
}

/// Writes to stdout; a closed pipe (e.g. `| head`) ends the output quietly.
pub fn emit(s: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|_| out.flush());
}

/// Prints a result as pretty JSON, or the text.
pub fn print<T: serde::Serialize>(
    json: bool,
    result: &T,
    text: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    if json {
        emit(&format!("{}\n", serde_json::to_string_pretty(result)?));
    } else {
        emit(&text());
    }
    Ok(())
}
