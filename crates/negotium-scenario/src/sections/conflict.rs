//! The `[conflict]` section: a Graph Model for Conflict Resolution description
//! (decision makers, options, infeasible states, preferences).

use serde::{Deserialize, Serialize};

use crate::validate::{Path, Problems, Refs};

/// `[conflict]` — owned by the conflict lens; fields are defined with the engine.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ConflictSection {}

impl ConflictSection {
    /// Semantic checks; `at` is the path of the section (`conflict`).
    pub fn validate(&self, _at: &Path, _refs: &Refs, _problems: &mut Problems) {}
}
