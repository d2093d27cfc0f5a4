//! The replay lens: the spatial forecasts at every date a stance or a
//! capability changes (and at the scenario's `as_of`), each with the
//! change(s) made that day and the events that followed until the next
//! date.

use negotium_scenario::validate::parse_date;
use negotium_scenario::{Change, ChangeKind, Event, EventKind, Loaded};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::forecast::ForecastParams;
use crate::history::date_key;
use crate::params::{comma_list, comma_list_schema, opt_text, LenientInt};
use crate::AnalysisError;

/// Most replay dates (each is a full forecast), checked before any work.
pub const MAX_DATES: usize = 1_000;

/// Parameters of `negotium replay`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ReplayParams {
    /// Models, as `forecast --model` (empty: the default five; `exchange`
    /// runs jointly over the selected issues).
    #[serde(alias = "models", deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub model: Vec<String>,
    /// Only these issues (ids; empty: every issue). Stance changes on other
    /// issues are left out; capability changes concern every issue.
    #[serde(alias = "issues", deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub issue: Vec<String>,
    /// Seed for any random choice (the same at every date).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt")]
    pub seed: u64,
    /// Only dates on or after this one (`YYYY-MM-DD`; default: the first).
    #[serde(deserialize_with = "opt_text")]
    pub from: Option<String>,
    /// Only dates on or before this one (`YYYY-MM-DD`; default: the last).
    #[serde(deserialize_with = "opt_text")]
    pub to: Option<String>,
}

/// An issue as the replay shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReplayIssue {
    pub issue: String,
    pub name: String,
    pub min: f64,
    pub max: f64,
    /// The recorded outcome (for scoring only; no model reads it).
    pub outcome: Option<f64>,
    /// The scale's labelled points.
    pub points: Vec<ReplayPoint>,
}

/// A labelled point of a scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReplayPoint {
    pub at: f64,
    pub label: String,
}

/// One model's forecast of one issue at one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StepForecast {
    pub model: String,
    pub forecast: f64,
    pub nearest_label: Option<String>,
}

/// Every model's forecast of one issue at one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StepIssue {
    pub issue: String,
    pub models: Vec<StepForecast>,
}

/// An event as the replay lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EventRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub date: String,
    pub kind: EventKind,
    pub title: String,
}

/// The forecasts at one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReplayStep {
    /// `YYYY-MM-DD` (or the scenario's `as_of` as written).
    pub date: String,
    /// Whether this is the scenario's `as_of`.
    pub as_of: bool,
    /// The stance and capability changes in force from this date (empty at
    /// an `as_of` without one).
    pub changes: Vec<Change>,
    /// Per issue, every model's forecast with the inputs in force that day.
    pub forecasts: Vec<StepIssue>,
    /// Events from this date (inclusive) until the next step's date
    /// (exclusive; for the last step: every later event), in date order.
    pub events: Vec<EventRef>,
}

/// The replay (the `replay --json` contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReplayResult {
    pub scenario: String,
    /// The scenario's own `as_of`.
    pub as_of: Option<String>,
    /// The recorded outcome's date, if any.
    pub outcome_date: Option<String>,
    /// The models, in report order.
    pub models: Vec<String>,
    pub issues: Vec<ReplayIssue>,
    /// Events before the first step (not listed).
    pub earlier_events: usize,
    /// In date order.
    pub steps: Vec<ReplayStep>,
}

/// Forecasts at every change date.
pub fn run(scenario: &Loaded, params: &ReplayParams) -> Result<ReplayResult, AnalysisError> {
    let s = &scenario.scenario;
    let fp = ForecastParams {
        model: params.model.clone(),
        issue: params.issue.clone(),
        seed: params.seed,
        ..ForecastParams::default()
    };
    // Checks models and issues before any work.
    let specs = crate::forecast::specs(&fp)?;
    let issues: Vec<String> = if params.issue.is_empty() {
        s.inputs.issues.iter().map(|i| i.id.clone()).collect()
    } else {
        params.issue.clone()
    };
    for id in &issues {
        if s.issue(id).is_none() {
            return Err(AnalysisError::param(
                "issue",
                format!(
                    "unknown issue `{id}` in {}; expected one of {}",
                    scenario.source_name,
                    s.inputs
                        .issues
                        .iter()
                        .map(|i| i.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    if issues.is_empty() {
        return Err(AnalysisError::input(format!(
            "{} has no issues, so there is nothing to replay",
            scenario.source_name
        )));
    }
    // The dates: every change that concerns the selected issues, and as_of.
    let changes: Vec<Change> = s
        .changes()
        .into_iter()
        .filter(|c| {
            c.kind == ChangeKind::Capability || c.issue.as_ref().is_some_and(|i| issues.contains(i))
        })
        .collect();
    let mut dates: Vec<((i32, u32, u32), String)> = Vec::new();
    let mut add = |d: &str| {
        if let Some(k) = parse_date(d) {
            if !dates.iter().any(|x| x.0 == k) {
                dates.push((k, d.to_string()));
            }
        }
    };
    if let Some(d) = &s.scenario.as_of {
        add(d);
    }
    for c in &changes {
        add(&c.date);
    }
    dates.sort();
    let bound =
        |name: &str, v: &Option<String>| -> Result<Option<(i32, u32, u32)>, AnalysisError> {
            match v.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                None => Ok(None),
                Some(d) => negotium_scenario::dated::parse_day(d)
                    .map(Some)
                    .ok_or_else(|| {
                        AnalysisError::param(name, format!("expected a date YYYY-MM-DD, got `{d}`"))
                    }),
            }
        };
    let (lo, hi) = (bound("from", &params.from)?, bound("to", &params.to)?);
    if let (Some(a), Some(b)) = (lo, hi) {
        if a > b {
            return Err(AnalysisError::param(
                "to",
                format!(
                    "`{}` is before --from `{}`",
                    params.to.as_deref().unwrap_or_default(),
                    params.from.as_deref().unwrap_or_default()
                ),
            ));
        }
    }
    let had_dates = !dates.is_empty();
    dates.retain(|(k, _)| lo.is_none_or(|l| *k >= l) && hi.is_none_or(|h| *k <= h));
    if had_dates && dates.is_empty() {
        return Err(AnalysisError::param(
            "from",
            format!(
                "no stance or capability change and no as_of of {} lies between {} and {}",
                scenario.source_name,
                params.from.as_deref().unwrap_or("the start"),
                params.to.as_deref().unwrap_or("the end")
            ),
        ));
    }
    if dates.is_empty() {
        return Err(AnalysisError::input(format!(
            "{} has no `as_of` and no dated stance or capability, so there is nothing to replay; \
             see docs/scenario-format.md (dated stances)",
            scenario.source_name
        )));
    }
    if dates.len() > MAX_DATES {
        return Err(AnalysisError::limit(format!(
            "{} has {} replay dates (stance or capability changes), above the limit of {MAX_DATES}",
            scenario.source_name,
            dates.len()
        )));
    }
    let mut events: Vec<&Event> = s.events.iter().collect();
    events.sort_by_key(|e| date_key(&e.date));
    let req = negotium_scenario::spatial::ForecastRequest {
        issues: issues.clone(),
        models: specs,
        joint: false,
    };
    let mut steps = Vec::new();
    for (n, (key, date)) in dates.iter().enumerate() {
        let is_as_of = s.scenario.as_of.as_deref() == Some(date.as_str());
        let at = if is_as_of {
            s.clone()
        } else {
            s.at(date)
                .map_err(|e| AnalysisError::input(format!("{}: {e}", scenario.source_name)))?
        };
        let f = negotium_scenario::spatial::forecast(&at, &req).map_err(|e| {
            crate::forecast::forecast_error(e).context(&format!(
                "forecasting {} as of {date}",
                scenario.source_name
            ))
        })?;
        let next = dates.get(n + 1).map(|d| d.0);
        steps.push(ReplayStep {
            date: date.clone(),
            as_of: is_as_of,
            changes: changes
                .iter()
                .filter(|c| parse_date(&c.date) == Some(*key))
                .cloned()
                .collect(),
            forecasts: f
                .issues
                .iter()
                .map(|i| StepIssue {
                    issue: i.issue.clone(),
                    models: i
                        .models
                        .iter()
                        .map(|m| StepForecast {
                            model: m.model.clone(),
                            forecast: m.forecast,
                            nearest_label: m.nearest_label.clone(),
                        })
                        .collect(),
                })
                .collect(),
            events: events
                .iter()
                .filter(|e| {
                    let k = date_key(&e.date);
                    k >= *key && next.is_none_or(|nx| k < nx)
                })
                .map(|e| EventRef {
                    id: e.id.clone(),
                    date: e.date.clone(),
                    kind: e.kind,
                    title: e.title.clone(),
                })
                .collect(),
        });
    }
    let first = dates[0].0;
    Ok(ReplayResult {
        scenario: s.scenario.id.clone(),
        as_of: s.scenario.as_of.clone(),
        outcome_date: s.outcome.as_ref().and_then(|o| o.date.clone()),
        models: req.models.iter().map(|m| m.name().to_string()).collect(),
        issues: issues
            .iter()
            .filter_map(|id| s.issue(id))
            .map(|i| ReplayIssue {
                issue: i.id.clone(),
                name: i.name.clone(),
                min: i.min,
                max: i.max,
                outcome: s.outcome_of(&i.id),
                points: i
                    .points
                    .iter()
                    .map(|p| ReplayPoint {
                        at: p.at,
                        label: p.label.clone(),
                    })
                    .collect(),
            })
            .collect(),
        earlier_events: events.iter().filter(|e| date_key(&e.date) < first).count(),
        steps,
    })
}
