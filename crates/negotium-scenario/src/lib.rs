//! negotium-scenario: the one crate that knows file formats.
//!
//! It parses scenario files (TOML, or the same structure in JSON), validates
//! them with located errors, imports peers' formats (KTAB's SMP CSV), embeds
//! the built-in scenarios, and maps a scenario onto each lens's input types.

pub mod builtin;
pub mod dated;
pub mod deu;
pub mod domains;
pub mod error;
pub mod genius;
pub mod geniusweb;
pub mod gmcr;
pub mod ktab;
pub mod load;
pub mod model;
pub mod overrides;
mod recover;
pub mod sections;
pub mod spatial;
pub mod uncertain;
pub mod validate;
pub mod votes;

pub use dated::{Change, ChangeKind, DateError, Shift, Timeline};
pub use error::{Diagnostic, ScenarioError};
pub use load::{load_path, load_str, resolve, Format, Loaded};
pub use model::*;
