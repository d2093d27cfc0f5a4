//! negotium-conflict: the Graph Model for Conflict Resolution (GMCR) in
//! option form. Pure: typed inputs ([`ConflictSpec`]) → serialisable results.
//!
//! * [`model`]: DMs, binary options, reversibility, infeasibility, preferences.
//! * [`formula`]: statements and patterns (Y/N/-, `1, -3`, `q if p`, `a & !b`).
//! * [`space`]: the built [`Conflict`] — GMCR II / gmcr-py state numbering,
//!   payoffs, moves generated from bit masks.
//! * [`stability`]: Nash, GMR, SMR, SEQ, SIM, SEQ&SIM; [`explain`]: reasons.
//! * [`coalition`], [`status_quo`], [`inverse`], [`limited`]: further analyses.
//! * [`views`]: results that grow with the state space, serialised without
//!   an intermediate JSON tree.

pub mod bitset;
pub mod coalition;
pub mod error;
pub mod explain;
pub mod formula;
pub mod inverse;
pub mod limited;
pub mod model;
mod rows;
pub mod search;
pub mod space;
pub mod stability;
pub mod status_quo;
pub mod views;

pub use bitset::BitSet;
pub use error::ConflictError;
pub use formula::{Formula, OptionNames};
pub use model::{ConflictSpec, DmSpec, OptionSpec, Preferences, Reversibility};
pub use space::{format_bytes, Conflict, Limits};
pub use stability::{analyze, Concept, ConceptResult, Semantics, Step};
