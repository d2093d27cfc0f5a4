//! The built-in scenarios and a loaded scenario's size, as typed results
//! (`negotium scenarios --json`, the valid case of `negotium validate
//! --json`), and the lenses a scenario supports.

use negotium_scenario::{builtin, Loaded, Scenario};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AnalysisError;

/// The lenses a scenario supports, in this order: `spatial` (with stances),
/// `conflict`, `voting`, `bargaining`, `history`.
pub fn lenses(s: &Scenario) -> Vec<String> {
    [
        ("spatial", !s.inputs.stances.is_empty()),
        ("conflict", s.inputs.conflict.is_some()),
        ("voting", !s.inputs.institutions.is_empty()),
        ("bargaining", s.inputs.bargaining.is_some()),
        ("history", !s.events.is_empty()),
    ]
    .into_iter()
    .filter(|&(_, has)| has)
    .map(|(name, _)| name.to_string())
    .collect()
}

/// One built-in scenario (a row of `negotium scenarios`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BuiltinScenario {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub actors: usize,
    pub issues: usize,
    pub events: usize,
    /// The lenses it supports ([`lenses`]).
    pub sections: Vec<String>,
}

/// Every built-in scenario, loaded to count what it holds.
pub fn builtins() -> Result<Vec<BuiltinScenario>, AnalysisError> {
    builtin::list()
        .iter()
        .map(|b| {
            let l = negotium_scenario::resolve(b.id)
                .map_err(|e| AnalysisError::failed(format!("built-in `{}`: {e}", b.id)))?;
            let s = &l.scenario;
            Ok(BuiltinScenario {
                id: b.id.to_string(),
                title: s.scenario.title.clone(),
                summary: b.summary.to_string(),
                actors: s.inputs.actors.len(),
                issues: s.inputs.issues.len(),
                events: s.events.len(),
                sections: lenses(s),
            })
        })
        .collect()
}

/// A scenario that validated (`negotium validate --json`; an invalid one is
/// reported as an error object with its diagnostics).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Valid {
    /// Always true here.
    pub valid: bool,
    /// Where it was read from.
    pub file: String,
    /// Its id.
    pub scenario: String,
    pub actors: usize,
    pub issues: usize,
    pub stances: usize,
    pub events: usize,
    /// The lenses it supports ([`lenses`]).
    pub lenses: Vec<String>,
    /// Always empty here (kept so that both cases have the key).
    pub diagnostics: Vec<String>,
}

/// The summary of a scenario that loaded.
pub fn valid(l: &Loaded) -> Valid {
    let s = &l.scenario;
    Valid {
        valid: true,
        file: l.source_name.clone(),
        scenario: s.scenario.id.clone(),
        actors: s.inputs.actors.len(),
        issues: s.inputs.issues.len(),
        stances: s.inputs.stances.len(),
        events: s.events.len(),
        lenses: lenses(s),
        diagnostics: Vec::new(),
    }
}
