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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ForecastReport {
    pub scenario: String,
    /// The date the inputs were read at, when not the scenario's own
    /// `as_of` (the `--as-of` parameter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// The dated stance and capability entries in force on the date the
    /// inputs were read at (the latest of each actor's stance on each issue,
    /// and of its capability), with the value each replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dated_inputs: Vec<crate::Change>,
    /// Default models left out before any work because the scenario is
    /// above their size limit (one sentence each: model, limit, size).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
    pub issues: Vec<IssueForecast>,
    /// The exchange model's trades, when it was run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange: Option<ExchangeReport>,
}

/// Every exchange of voting positions the exchange model made (it runs once,
/// jointly, over the forecast's issues).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ExchangeReport {
    /// The issues traded over (ids, in the model's dimension order).
    pub issues: Vec<String>,
    /// Actors taking part (ids; those with a stance on at least one issue).
    pub actors: Vec<String>,
    /// `equal gain`, or `random (p = …)`.
    pub rate: String,
    /// The seed of the random-rate variant (None for equal gain).
    pub seed: Option<u64>,
    /// Rounds run, and whether the last allowed no exchange.
    pub rounds: usize,
    pub converged: bool,
    /// In order of execution, round by round.
    pub exchanges: Vec<ExchangeOut>,
}

/// One exchange: two actors each move their voting position on the issue
/// they care less about towards the other's, gaining on the other issue.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ExchangeOut {
    /// 1-based round, and place in the round's order of execution.
    pub round: usize,
    pub order: usize,
    /// The gain that ranked the exchange (equal for both sides at the
    /// equal-gain rate), in salience × points of a 0–100 scale.
    pub gain: f64,
    /// Outcome shift on the first side's demand issue per unit of shift on
    /// the second side's demand issue.
    pub rate: f64,
    /// The two sides: who gives what on which issue.
    pub sides: Vec<ExchangeSideOut>,
    /// The effect on every other actor.
    pub externalities: Vec<ExternalityOut>,
}

/// One side of an exchange.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ExchangeSideOut {
    /// The actor's id.
    pub actor: String,
    /// The issue on which it moves (gives), and the one on which the
    /// partner moves towards it (takes).
    pub gives: String,
    pub takes: String,
    /// Its voting position on `gives` before and after (scale units).
    pub from: f64,
    pub to: f64,
    /// Its utility gain (salience × points of a 0–100 scale).
    pub gain: f64,
}

/// Whether a third party sits in the traders' pair of groups (same side of
/// both outcomes as one of them) or outside it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ExternalityGroup {
    Inner,
    Outer,
}

/// The effect of an exchange on an actor that did not take part: the
/// salience-weighted reduction of its distance to both outcomes (positive:
/// it gains), in points of a 0–100 scale.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ExternalityOut {
    pub actor: String,
    pub value: f64,
    pub group: ExternalityGroup,
}

/// One issue's forecasts.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
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
#[derive(
    Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct PointStats {
    pub median: f64,
    pub mean: f64,
}

/// One round of a dynamic model.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
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
    /// A model produced NaN or an infinity: refused rather than printed
    /// (JSON would show it as `null`). Valid inputs never cause it; the
    /// check guards the output whatever a model does.
    #[error("model `{model}` produced a non-finite {what} on issue `{issue}`; this is a bug, please report it with the scenario")]
    NonFinite {
        model: String,
        issue: String,
        what: String,
    },
}

/// The first non-finite number of a model's forecast of one dimension.
fn non_finite(m: &ModelForecast) -> Option<String> {
    let bad = |x: f64| !x.is_finite();
    if bad(m.forecast) {
        return Some("forecast".into());
    }
    if bad(m.initial.median) || bad(m.initial.mean) {
        return Some("initial median or mean".into());
    }
    m.rounds.iter().find_map(|r| {
        (bad(r.median) || bad(r.mean) || r.positions.values().any(|&x| bad(x)))
            .then(|| format!("value in round {}", r.round))
    })
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
    // The exchange model trades between issues: it always runs once over
    // all the requested issues (actors as ids, so the trades name them).
    let mut exchange = None;
    let exchange_runs: Vec<Option<(negotium_spatial::Forecast, Mapped)>> =
        req.models
            .iter()
            .map(|spec| match spec {
                negotium_spatial::ModelSpec::Exchange(o) if !ids.is_empty() => {
                    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                    let mapped = by_id(joint(&scenario.inputs, &refs)?)?;
                    let run = negotium_spatial::exchange::simulate(&mapped.problem, o).map_err(
                        |source| ForecastError::Model {
                            model: spec.name().to_string(),
                            issue: ids.join("+"),
                            source,
                        },
                    )?;
                    exchange = Some(exchange_report(&run, &mapped, o));
                    Ok(Some((run.forecast, mapped)))
                }
                _ => Ok(None),
            })
            .collect::<Result<_, ForecastError>>()?;
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
    let joint_runs: Vec<_> = joint_runs
        .into_iter()
        .zip(exchange_runs)
        .map(|(a, b)| a.or(b))
        .collect();
    let mut out = Vec::new();
    for (k, (id, single)) in ids.iter().zip(&singles).enumerate() {
        let is = scenario
            .inputs
            .issue(id)
            .ok_or_else(|| MapError::UnknownIssue(id.clone()))?;
        let outcome = scenario.outcome_of(id);
        let mut models = Vec::new();
        for (spec, joint_run) in req.models.iter().zip(&joint_runs) {
            let m = match joint_run {
                Some((f, mapped)) => model_out(f, k, &mapped.actor_ids, is, outcome),
                None => model_out(&run(single, spec)?, 0, &single.actor_ids, is, outcome),
            };
            if let Some(what) = non_finite(&m) {
                return Err(ForecastError::NonFinite {
                    model: m.model,
                    issue: id.clone(),
                    what,
                });
            }
            models.push(m);
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
        as_of: None,
        dated_inputs: Vec::new(),
        skipped: Vec::new(),
        issues: out,
        exchange,
    })
}

/// The same problem with actor ids and issue ids as names (the exchange
/// model reports trades by name).
fn by_id(m: Mapped) -> Result<Mapped, MapError> {
    let p = &m.problem;
    let dims = p
        .dims()
        .iter()
        .zip(&m.issue_ids)
        .map(|(d, id)| Dimension {
            name: id.clone(),
            ..d.clone()
        })
        .collect();
    let problem = Problem::new(
        m.actor_ids.clone(),
        p.capability().to_vec(),
        dims,
        p.position().to_vec(),
        p.salience().to_vec(),
    )
    .map_err(|source| MapError::Spatial {
        issue: m.issue_ids.join("+"),
        source,
    })?;
    Ok(Mapped { problem, ..m })
}

fn exchange_report(
    run: &negotium_spatial::exchange::ExchangeRun,
    m: &Mapped,
    o: &negotium_spatial::ExchangeOptions,
) -> ExchangeReport {
    use negotium_spatial::exchange::ExchangeRate;
    ExchangeReport {
        issues: m.issue_ids.clone(),
        actors: m.actor_ids.clone(),
        rate: match o.rate {
            ExchangeRate::EqualGain => "equal gain".into(),
            ExchangeRate::Random { p } => format!("random (p = {p})"),
        },
        seed: run.seed,
        rounds: run.rounds.len(),
        converged: run.forecast.converged,
        exchanges: run
            .rounds
            .iter()
            .flat_map(|r| &r.exchanges)
            .map(|e| ExchangeOut {
                round: e.round,
                order: e.order,
                gain: e.gain,
                rate: e.rate,
                sides: e
                    .sides
                    .iter()
                    .map(|s| ExchangeSideOut {
                        actor: s.actor.clone(),
                        gives: s.gives.clone(),
                        takes: s.takes.clone(),
                        from: s.from,
                        to: s.to,
                        gain: s.gain,
                    })
                    .collect(),
                externalities: e
                    .externalities
                    .iter()
                    .map(|x| ExternalityOut {
                        actor: x.actor.clone(),
                        value: x.value,
                        group: if x.inner {
                            ExternalityGroup::Inner
                        } else {
                            ExternalityGroup::Outer
                        },
                    })
                    .collect(),
            })
            .collect(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn forecast_of(x: f64, round_value: f64) -> ModelForecast {
        ModelForecast {
            model: "m".into(),
            forecast: x,
            nearest_label: None,
            error: None,
            initial: PointStats {
                median: 1.0,
                mean: 1.0,
            },
            rounds: vec![RoundOut {
                round: 3,
                median: 1.0,
                mean: 1.0,
                positions: [("A".to_string(), round_value)].into(),
            }],
            converged: true,
            assumptions: Vec::new(),
        }
    }

    #[test]
    fn the_output_check_names_the_first_non_finite_value() {
        assert_eq!(non_finite(&forecast_of(2.0, 4.0)), None);
        assert_eq!(
            non_finite(&forecast_of(f64::NAN, 4.0)).as_deref(),
            Some("forecast")
        );
        assert_eq!(
            non_finite(&forecast_of(2.0, f64::NEG_INFINITY)).as_deref(),
            Some("value in round 3")
        );
    }

    #[test]
    fn every_builtin_forecast_passes_the_output_check() {
        use negotium_spatial::{EumOptions, ModelSpec, NashOptions, SmpOptions};
        for b in crate::builtin::list() {
            let s = crate::resolve(b.id).unwrap().scenario;
            let req = ForecastRequest {
                issues: Vec::new(),
                models: vec![
                    ModelSpec::Median,
                    ModelSpec::Compromise,
                    ModelSpec::Nash(NashOptions::default()),
                    ModelSpec::Eum(EumOptions::default()),
                    ModelSpec::Smp(SmpOptions::default()),
                    ModelSpec::Exchange(Default::default()),
                ],
                joint: false,
            };
            let r = forecast(&s, &req).unwrap();
            assert!(r.issues.iter().all(|i| i.models.len() == 6), "{}", b.id);
            if let Some(ex) = &r.exchange {
                assert_eq!(ex.issues.len(), r.issues.len(), "{}", b.id);
            } else {
                assert!(r.issues.is_empty(), "{}", b.id);
            }
        }
    }
}
