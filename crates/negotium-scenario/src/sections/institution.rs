//! The `[[institution]]` sections: voting bodies (quotas, weights, vetoes).

use serde::{Deserialize, Serialize};

use crate::validate::{Path, Problems, Refs};

/// One `[[institution]]` — owned by the voting lens; fields are defined with the engine.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InstitutionSection {}

impl InstitutionSection {
    /// Semantic checks; `at` is the path of this entry (`institution[i]`).
    pub fn validate(&self, _at: &Path, _refs: &Refs, _problems: &mut Problems) {}
}
