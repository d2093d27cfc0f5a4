//! The lenses the workbench offers: the `negotium-analysis` registry's,
//! run on a loaded scenario from JSON params, with the key numbers stored for
//! comparing runs.

use std::collections::BTreeMap;

use negotium_analysis::{registry, AnalysisError};
use negotium_scenario::Loaded;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use negotium_analysis::registry::{LensInfo, ParamInfo, ParamKind, Table};

/// The lenses the workbench offers, in menu order: every lens of the
/// registry (a form each, with parameters from the registry and choices
/// from the scenario).
pub fn offered() -> Vec<&'static str> {
    registry::LENSES.to_vec()
}

/// The lenses offered, in menu order.
pub fn lenses() -> Vec<LensInfo> {
    registry::lenses()
        .into_iter()
        .filter(|l| offered().contains(&l.id.as_str()))
        .collect()
}

/// Program name and version stored with every run, e.g. `negotium 0.1.0`.
pub fn version() -> String {
    format!("negotium {}", negotium_analysis::VERSION)
}

/// A lens's result: its `--json` contract, the seed it used (if any), and a
/// few key numbers (`issue.model.forecast` → value) used to compare runs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RunOutput {
    pub result: Value,
    pub seed: Option<u64>,
    pub key_numbers: BTreeMap<String, f64>,
}

/// Why a run did not produce a result.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Serialize, Deserialize)]
pub enum RunError {
    /// The lens id is not one the registry knows.
    #[error("unknown lens `{0}`")]
    UnknownLens(String),
    /// The parameters or the scenario do not suit the lens (HTTP 422).
    /// `location` names the parameter (`params.rounds`) when there is one.
    #[error("{}", at(.location, .message))]
    BadInput {
        location: Option<String>,
        message: String,
    },
    /// The job is above a size limit, refused before any work (HTTP 422).
    #[error("{}", at(.location, .message))]
    Limit {
        location: Option<String>,
        message: String,
    },
    /// The lens exists but the workbench does not offer it (HTTP 501).
    #[error("lens `{0}` not available yet")]
    NotAvailable(String),
    /// The lens failed on valid input (HTTP 500).
    #[error("{0}")]
    Failed(String),
    /// The lens panicked, overflowed its stack or its worker process died
    /// (HTTP 500); the server goes on serving.
    #[error("the run crashed: {0}")]
    Crashed(String),
}

fn at(location: &Option<String>, message: &str) -> String {
    match location {
        Some(l) => format!("{l}: {message}"),
        None => message.to_string(),
    }
}

impl RunError {
    /// The parameter at fault, if any.
    pub fn location(&self) -> Option<&str> {
        match self {
            RunError::BadInput { location, .. } | RunError::Limit { location, .. } => {
                location.as_deref()
            }
            _ => None,
        }
    }
}

/// Checks that the workbench offers `lens`.
pub fn check_offered(lens: &str) -> Result<(), RunError> {
    if offered().contains(&lens) {
        Ok(())
    } else if registry::LENSES.contains(&lens) {
        Err(RunError::NotAvailable(lens.into()))
    } else {
        Err(RunError::UnknownLens(lens.into()))
    }
}

/// Runs an offered lens. A pure function of (lens, scenario, params): every
/// random choice takes its seed from params. Called on a lens thread (see
/// [`crate::worker`]), under a time limit.
pub fn run(lens: &str, scenario: &Loaded, params: &Value) -> Result<RunOutput, RunError> {
    check_offered(lens)?;
    match registry::run(lens, scenario, params) {
        Ok(r) => Ok(RunOutput {
            key_numbers: registry::key_numbers(lens, &r.result),
            result: r.result,
            seed: r.seed,
        }),
        Err(AnalysisError::BadInput { param, message }) => Err(RunError::BadInput {
            location: param,
            message,
        }),
        Err(AnalysisError::Limit { param, message }) => Err(RunError::Limit {
            location: param,
            message,
        }),
        Err(e) => Err(RunError::Failed(e.to_string())),
    }
}

/// A lens result as one tidy table for the CSV download. `None`: the
/// download lists every leaf of the JSON as `path,value` instead.
pub fn table(lens: &str, result: &Value) -> Option<Table> {
    registry::table(lens, result)
}
