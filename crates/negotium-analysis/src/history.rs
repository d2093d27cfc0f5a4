//! The history lens: the scenario's dated events in date order, optionally
//! filtered by kind and date range.

use negotium_scenario::validate::parse_date;
use negotium_scenario::{Event, EventKind, Loaded};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::params::{comma_list, comma_list_schema, opt_text};
use crate::AnalysisError;

/// Every event kind, as written in scenario files.
pub const ALL_KINDS: &str = "talks-round, expert-meeting, proposal, vote, referendum, declaration, ruling, agreement, resolution, appointment, statement, recognition, election, violence, other";

/// Parameters of `negotium history`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HistoryParams {
    /// Only events of these kinds (e.g. `vote,proposal`; empty: every kind).
    #[serde(deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub kind: Vec<String>,
    /// Only events on or after this date (`YYYY[-MM[-DD]]`).
    #[serde(deserialize_with = "opt_text")]
    pub from: Option<String>,
    /// Only events on or before this date (`YYYY[-MM[-DD]]`).
    #[serde(deserialize_with = "opt_text")]
    pub to: Option<String>,
}

/// The scenario's dated events (the `history --json` contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HistoryResult {
    /// The scenario's id.
    pub scenario: String,
    /// The date the scenario's inputs describe, if stated.
    pub as_of: Option<String>,
    /// The matching events, in date order (a year sorts before its days).
    pub events: Vec<Event>,
}

/// Dates compare by (year, month, day) with missing parts as 0, so "2007"
/// sorts before "2007-03-26".
pub fn date_key(d: &str) -> (i32, u32, u32) {
    parse_date(d).unwrap_or((i32::MIN, 0, 0))
}

/// Filters and sorts the scenario's events.
pub fn run(scenario: &Loaded, params: &HistoryParams) -> Result<HistoryResult, AnalysisError> {
    for (name, d) in [("from", &params.from), ("to", &params.to)] {
        if let Some(d) = d {
            if parse_date(d).is_none() {
                return Err(AnalysisError::param(
                    name,
                    format!("`{d}` is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD"),
                ));
            }
        }
    }
    let s = &scenario.scenario;
    let kinds: Vec<&str> = params.kind.iter().map(|k| k.trim()).collect();
    for k in &kinds {
        if serde_json::from_value::<EventKind>(serde_json::json!(k)).is_err() {
            let mut known: Vec<&str> = Vec::new();
            for e in &s.events {
                if !known.contains(&e.kind.as_str()) {
                    known.push(e.kind.as_str());
                }
            }
            return Err(AnalysisError::param(
                "kind",
                format!(
                    "unknown event kind `{k}`{}; expected one of {ALL_KINDS} (in this scenario: {})",
                    negotium_suggest::did_you_mean(k, ALL_KINDS.split(", ")),
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        }
    }
    let mut events: Vec<Event> = s
        .events
        .iter()
        .filter(|e| kinds.is_empty() || kinds.contains(&e.kind.as_str()))
        .filter(|e| {
            params
                .from
                .as_ref()
                .is_none_or(|f| date_key(&e.date) >= date_key(f))
        })
        .filter(|e| {
            params
                .to
                .as_ref()
                .is_none_or(|t| date_key(&e.date) <= date_key(t))
        })
        .cloned()
        .collect();
    events.sort_by_key(|e| date_key(&e.date));
    Ok(HistoryResult {
        scenario: s.scenario.id.clone(),
        as_of: s.scenario.as_of.clone(),
        events,
    })
}
