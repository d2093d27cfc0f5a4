//! The `[bargaining]` section: a multi-issue outcome space, parties'
//! utilities and reservation values for the negotiation-protocols lens.

use serde::{Deserialize, Serialize};

use crate::validate::{Path, Problems, Refs};

/// `[bargaining]` — owned by the bargaining lens; fields are defined with the engine.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BargainingSection {}

impl BargainingSection {
    /// Semantic checks; `at` is the path of the section (`bargaining`).
    pub fn validate(&self, _at: &Path, _refs: &Refs, _problems: &mut Problems) {}
}
