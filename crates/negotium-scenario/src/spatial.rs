//! Maps a scenario's inputs onto the spatial lens: one [`Problem`] per issue
//! (the actors with a stance on it), or one joint multi-dimensional problem.
//! Takes `&Inputs`, never the recorded outcome.

use negotium_spatial::{Dimension, Problem, SpatialError};

use crate::model::{Inputs, Issue};

/// A spatial problem and the scenario ids of its actors (same order).
#[derive(Debug, Clone)]
pub struct Mapped {
    pub problem: Problem,
    pub actor_ids: Vec<String>,
    pub issue_ids: Vec<String>,
}

/// Why an issue could not be mapped.
#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("unknown issue `{0}`")]
    UnknownIssue(String),
    #[error("issue `{issue}` cannot be modelled")]
    Spatial {
        issue: String,
        #[source]
        source: SpatialError,
    },
}

fn dim(is: &Issue) -> Dimension {
    Dimension {
        name: is.name.clone(),
        min: is.min,
        max: is.max,
    }
}

/// The actors with a stance on `issue`, in the scenario's actor order.
pub fn for_issue(inputs: &Inputs, issue: &str) -> Result<Mapped, MapError> {
    let is = inputs
        .issue(issue)
        .ok_or_else(|| MapError::UnknownIssue(issue.to_string()))?;
    let mut ids = Vec::new();
    let mut cap = Vec::new();
    let mut pos = Vec::new();
    let mut sal = Vec::new();
    for a in &inputs.actors {
        if let Some(st) = inputs
            .stances
            .iter()
            .find(|s| s.actor == a.id && s.issue == issue)
        {
            ids.push(a.id.clone());
            cap.push(a.capability);
            pos.push(vec![st.position]);
            sal.push(vec![st.salience]);
        }
    }
    let names = ids
        .iter()
        .map(|id| inputs.actor(id).map_or(id.clone(), |a| a.name.clone()))
        .collect();
    let problem =
        Problem::new(names, cap, vec![dim(is)], pos, sal).map_err(|source| MapError::Spatial {
            issue: issue.to_string(),
            source,
        })?;
    Ok(Mapped {
        problem,
        actor_ids: ids,
        issue_ids: vec![issue.to_string()],
    })
}

/// One problem over several issues (for multi-dimensional models).
///
/// Every actor with a stance on at least one of the issues takes part. Where
/// an actor has no stance on an issue it gets salience 0 there and, since
/// a position is still needed, the issue's status quo (or its midpoint when
/// the issue has none); with salience 0 that position carries no weight in
/// any model's statistics.
pub fn joint(inputs: &Inputs, issues: &[&str]) -> Result<Mapped, MapError> {
    let iss: Vec<&Issue> = issues
        .iter()
        .map(|id| {
            inputs
                .issue(id)
                .ok_or_else(|| MapError::UnknownIssue(id.to_string()))
        })
        .collect::<Result<_, _>>()?;
    let mut ids = Vec::new();
    let mut cap = Vec::new();
    let mut pos = Vec::new();
    let mut sal = Vec::new();
    for a in &inputs.actors {
        let st: Vec<_> = iss
            .iter()
            .map(|is| {
                inputs
                    .stances
                    .iter()
                    .find(|s| s.actor == a.id && s.issue == is.id)
            })
            .collect();
        if st.iter().all(Option::is_none) {
            continue;
        }
        ids.push(a.id.clone());
        cap.push(a.capability);
        pos.push(
            st.iter()
                .zip(&iss)
                .map(|(s, is)| {
                    s.map_or(is.status_quo.unwrap_or((is.min + is.max) / 2.0), |s| {
                        s.position
                    })
                })
                .collect(),
        );
        sal.push(st.iter().map(|s| s.map_or(0.0, |s| s.salience)).collect());
    }
    let names = ids
        .iter()
        .map(|id| inputs.actor(id).map_or(id.clone(), |a| a.name.clone()))
        .collect();
    let problem = Problem::new(names, cap, iss.iter().map(|i| dim(i)).collect(), pos, sal)
        .map_err(|source| MapError::Spatial {
            issue: issues.join("+"),
            source,
        })?;
    Ok(Mapped {
        problem,
        actor_ids: ids,
        issue_ids: issues.iter().map(|s| s.to_string()).collect(),
    })
}

/// Which models to run and with what options.
#[derive(Debug, Clone)]
pub struct ForecastRequest {
    /// Issues to forecast (empty: every issue).
    pub issues: Vec<String>,
    /// Models with their options, in the order to report them.
    pub models: Vec<negotium_spatial::ModelSpec>,
    /// Run the SMP over the issues as one multi-dimensional space (see
    /// [`joint`]) instead of one issue at a time. The other models are
    /// separable and always run issue by issue on the issue's own actors.
    pub joint: bool,
}

/// The forecast of every requested model on every requested issue: the
/// `forecast --json` contract.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ForecastReport {
    pub scenario: String,
    pub issues: Vec<IssueForecast>,
}

/// One issue's forecasts.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IssueForecast {
    pub issue: String,
    pub name: String,
    pub min: f64,
    pub max: f64,
    /// The recorded outcome, for scoring only (None when not recorded).
    pub outcome: Option<f64>,
    pub actors: Vec<String>,
    pub models: Vec<ModelForecast>,
}

/// One model's forecast on one issue.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ModelForecast {
    pub model: String,
    pub forecast: f64,
    /// The labelled point of the scale nearest to the forecast.
    pub nearest_label: Option<String>,
    /// |forecast − outcome| when an outcome is recorded.
    pub error: Option<f64>,
    pub initial: PointStats,
    pub rounds: Vec<RoundOut>,
    pub converged: bool,
    pub assumptions: Vec<String>,
}

/// Weighted median and mean of positions.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct PointStats {
    pub median: f64,
    pub mean: f64,
}

/// One round of a dynamic model.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RoundOut {
    pub round: usize,
    pub median: f64,
    pub mean: f64,
    pub positions: std::collections::BTreeMap<String, f64>,
}

/// Why a forecast failed.
#[derive(Debug, thiserror::Error)]
pub enum ForecastError {
    #[error(transparent)]
    Map(#[from] MapError),
    #[error("model `{model}` failed on issue `{issue}`")]
    Model {
        model: String,
        issue: String,
        #[source]
        source: SpatialError,
    },
}

/// Runs every requested model on every requested issue, one issue at a time.
/// The outcome is attached afterwards for scoring; models see only `inputs`.
pub fn forecast(
    scenario: &crate::Scenario,
    req: &ForecastRequest,
) -> Result<ForecastReport, ForecastError> {
    let ids: Vec<String> = if req.issues.is_empty() {
        scenario
            .inputs
            .issues
            .iter()
            .map(|i| i.id.clone())
            .collect()
    } else {
        req.issues.clone()
    };
    let singles: Vec<Mapped> = ids
        .iter()
        .map(|id| for_issue(&scenario.inputs, id))
        .collect::<Result<_, _>>()?;
    let run = |mapped: &Mapped, spec: &negotium_spatial::ModelSpec| {
        negotium_spatial::run(&mapped.problem, spec).map_err(|source| ForecastError::Model {
            model: spec.name().to_string(),
            issue: mapped.issue_ids.join("+"),
            source,
        })
    };
    // With `joint`, the SMP — the one model that couples dimensions — runs
    // once over all the issues; every other model is separable and runs on
    // each issue's own actors, exactly as without `joint`.
    let joint_runs: Vec<Option<(negotium_spatial::Forecast, Mapped)>> =
        if req.joint && ids.len() > 1 {
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            let mapped = joint(&scenario.inputs, &refs)?;
            req.models
                .iter()
                .map(|spec| match spec {
                    negotium_spatial::ModelSpec::Smp(_) => {
                        run(&mapped, spec).map(|f| Some((f, mapped.clone())))
                    }
                    _ => Ok(None),
                })
                .collect::<Result<_, _>>()?
        } else {
            vec![None; req.models.len()]
        };
    let mut out = Vec::new();
    for (k, (id, single)) in ids.iter().zip(&singles).enumerate() {
        let is = scenario
            .inputs
            .issue(id)
            .ok_or_else(|| MapError::UnknownIssue(id.clone()))?;
        let outcome = scenario.outcome_of(id);
        let mut models = Vec::new();
        for (spec, joint_run) in req.models.iter().zip(&joint_runs) {
            models.push(match joint_run {
                Some((f, mapped)) => model_out(f, k, &mapped.actor_ids, is, outcome),
                None => model_out(&run(single, spec)?, 0, &single.actor_ids, is, outcome),
            });
        }
        out.push(IssueForecast {
            issue: id.clone(),
            name: is.name.clone(),
            min: is.min,
            max: is.max,
            outcome,
            actors: single.actor_ids.clone(),
            models,
        });
    }
    Ok(ForecastReport {
        scenario: scenario.scenario.id.clone(),
        issues: out,
    })
}

/// Dimension `k` of a forecast, with actor ids and the issue's labels.
fn model_out(
    f: &negotium_spatial::Forecast,
    k: usize,
    actor_ids: &[String],
    is: &Issue,
    outcome: Option<f64>,
) -> ModelForecast {
    let x = f.forecast[k];
    ModelForecast {
        model: f.model.clone(),
        forecast: x,
        nearest_label: is.nearest_label(x).map(|p| p.label.clone()),
        error: outcome.map(|o| (x - o).abs()),
        initial: PointStats {
            median: f.initial.median[k],
            mean: f.initial.mean[k],
        },
        rounds: f
            .rounds
            .iter()
            .map(|r| RoundOut {
                round: r.round,
                median: r.stats.median[k],
                mean: r.stats.mean[k],
                positions: actor_ids
                    .iter()
                    .zip(&r.positions)
                    .map(|(a, p)| (a.clone(), p[k]))
                    .collect(),
            })
            .collect(),
        converged: f.converged,
        assumptions: f.assumptions.clone(),
    }
}
