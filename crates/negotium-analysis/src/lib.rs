//! negotium-analysis: the application API. Every lens runs here, on a loaded
//! scenario (`negotium_scenario::Loaded`) with typed parameters, and returns
//! a typed result that serialises to the lens's JSON contract (the CLI's
//! `--json` output) and describes itself as a JSON Schema.
//!
//! Each lens module has the same shape:
//!
//! - `XParams`: `Serialize + Deserialize + JsonSchema`, unknown keys refused,
//!   every field defaulting to the command-line default (`vote`'s `proposal`
//!   is the one required field); field names are the CLI flags in snake_case.
//! - `XResult`: `Serialize + Deserialize + JsonSchema`.
//! - `run(&Loaded, &XParams) -> Result<XResult, AnalysisError>`, plus entry
//!   points for sources that are not scenarios (`.gmcr` models, GENIUS
//!   domains, quick weighted games, several problems in a tournament).
//!
//! [`registry`] runs any lens by id from JSON params and gives metadata,
//! key numbers, tidy tables and schemas. Nothing here prints, reads the
//! terminal or knows about HTTP.
//!
//! ```
//! use negotium_analysis::forecast::{self, ForecastParams};
//!
//! let scenario = negotium_scenario::resolve("emission-standards").unwrap();
//! let params = ForecastParams { model: vec!["median".into()], ..Default::default() };
//! let result = forecast::run(&scenario, &params).unwrap();
//! assert_eq!(result.issues[0].models[0].forecast, 7.0);
//! ```

pub mod advise;
pub mod advise_conflict;
pub mod analyze;
pub mod backtest;
pub mod bargaining;
pub mod catalog;
pub mod conflict;
pub mod dated;
pub mod error;
pub mod forecast;
pub mod history;
pub mod negotiate;
pub mod params;
pub mod pareto;
pub mod power;
pub mod registry;
pub mod replay;
pub mod source;
pub mod sweep;
pub mod tournament;
pub mod verdict;
pub mod vote;

pub use error::AnalysisError;

/// This library's version (the workspace's), stored with every workbench run.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
