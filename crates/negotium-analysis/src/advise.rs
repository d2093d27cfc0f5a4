//! The advise lens: for one actor, per issue and spatial model, the change
//! of its own position and salience (within its declared range, or the
//! whole scale) that moves the forecast nearest to its stated position, how
//! far and at what cost; and the other actors whose full persuasion (their
//! position moved to its ideal) would move the forecast most toward it. A
//! grid search over the actor's own (position, salience), each point one
//! run of the model: exact for the grid, not a continuous optimum. When the
//! actor is a decision maker of the `[conflict]` section, also which
//! commitments on its options and which coalitions would change the
//! equilibria reachable from the status quo ([`crate::advise_conflict`]).

use negotium_scenario::{Inputs, Loaded};
use negotium_spatial::ModelSpec;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::cap;
use crate::forecast::{specs, ForecastParams};
use crate::params::{comma_list, comma_list_schema, LenientInt};
use crate::AnalysisError;

/// Most grid points per axis.
pub const MAX_GRID: usize = 101;
/// Persuasion targets reported per issue and model.
pub const TARGETS: usize = 3;

fn default_grid() -> usize {
    21
}

/// Parameters of `negotium advise`. `actor` is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviseParams {
    /// The actor advised (its id).
    pub actor: String,
    /// Only these issues (ids; empty: every issue the actor has a stance on).
    #[serde(default, alias = "issues", deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub issue: Vec<String>,
    /// Spatial models: median, compromise, nash, eum, smp (empty: all five).
    #[serde(default, alias = "models", deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub model: Vec<String>,
    /// Search the whole scale (and salience 0–1) even where the actor's
    /// stance declares a position_range or salience_range.
    #[serde(default)]
    pub whole_scale: bool,
    /// Grid points per axis of the search (2 to 101; default 21).
    #[serde(default = "default_grid", deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(min = 2, max = 101))]
    pub grid: usize,
    /// The GMCR stability concept that defines an equilibrium in the
    /// conflict advice: nash, gmr, smr, seq, sim or seq_sim (default seq).
    #[serde(default = "default_concept")]
    pub concept: String,
    /// Read the stances and capabilities in force on this date
    /// (`YYYY-MM-DD`; default: the scenario's `as_of`).
    #[serde(default, deserialize_with = "crate::params::opt_text")]
    pub as_of: Option<String>,
}

fn default_concept() -> String {
    "seq".into()
}

impl AdviseParams {
    /// Advice for `actor` on every issue, every model, default grid.
    pub fn new(actor: impl Into<String>) -> AdviseParams {
        AdviseParams {
            actor: actor.into(),
            issue: Vec::new(),
            model: Vec::new(),
            whole_scale: false,
            grid: default_grid(),
            concept: default_concept(),
            as_of: None,
        }
    }
}

/// The best own move found for one model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OwnMove {
    /// The position to advocate.
    pub position: f64,
    /// The salience to commit.
    pub salience: f64,
    /// The forecast then.
    pub forecast: f64,
    /// |forecast − ideal| then.
    pub distance: f64,
    /// How much nearer the ideal than the stated forecast (scale points).
    pub gain: f64,
    /// Cost: how far the advocated position departs from its ideal (scale points).
    pub position_shift: f64,
    /// Cost: the change of salience (positive: more committed).
    pub salience_change: f64,
}

/// One other actor worth persuading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Target {
    pub actor: String,
    pub name: String,
    /// Its stated position.
    pub position: f64,
    /// The forecast if it took the advised actor's ideal.
    pub forecast: f64,
    /// How much nearer the ideal (scale points).
    pub gain: f64,
}

/// One model's advice on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ModelAdvice {
    pub model: String,
    /// The forecast with the stated inputs.
    pub forecast: f64,
    /// |forecast − ideal|.
    pub distance: f64,
    /// The best own move (none when no grid point moves the forecast nearer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub best: Option<OwnMove>,
    /// Other actors by decreasing gain (only those with a gain).
    pub persuade: Vec<Target>,
    /// The recommendations in plain sentences.
    pub advice: Vec<String>,
}

/// Advice on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueAdvice {
    pub issue: String,
    pub name: String,
    pub min: f64,
    pub max: f64,
    /// The actor's stated position, taken as its ideal.
    pub ideal: f64,
    pub salience: f64,
    /// The positions searched, and whether from the declared range or the whole scale.
    pub position_range: [f64; 2],
    pub salience_range: [f64; 2],
    /// Per axis, whether the declared range or the whole scale was searched.
    pub searched: String,
    pub models: Vec<ModelAdvice>,
}

/// The advise lens's result (the `advise --json` contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AdviseResult {
    pub scenario: String,
    pub actor: String,
    pub name: String,
    pub grid: usize,
    /// Method and limits, in words.
    pub notes: Vec<String>,
    pub issues: Vec<IssueAdvice>,
    /// The GMCR advice, when the actor is a decision maker of the
    /// scenario's `[conflict]` section with a status quo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<crate::advise_conflict::ConflictAdvice>,
}

fn grid_over(lo: f64, hi: f64, n: usize, stated: f64) -> Vec<f64> {
    let mut v: Vec<f64> = (0..n)
        .map(|k| lo + (hi - lo) * k as f64 / (n - 1) as f64)
        .collect();
    v.push(stated);
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

fn run_issue(inputs: &Inputs, issue: &str, spec: &ModelSpec) -> Result<f64, AnalysisError> {
    let m = negotium_scenario::spatial::for_issue(inputs, issue)
        .map_err(|e| AnalysisError::input(e.to_string()))?;
    let f = negotium_spatial::forecast(&m.problem, spec)
        .map_err(|e| AnalysisError::failed(format!("{issue}: {e}")))?;
    f.first()
        .copied()
        .ok_or_else(|| AnalysisError::failed(format!("{issue}: no forecast")))
}

fn n(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// Runs the advise lens.
pub fn run(scenario: &Loaded, params: &AdviseParams) -> Result<AdviseResult, AnalysisError> {
    cap("grid", params.grid as u64, MAX_GRID as u64)?;
    if params.grid < 2 {
        return Err(AnalysisError::param("grid", "expected at least 2 points"));
    }
    let scenario = &*crate::dated::at(scenario, params.as_of.as_deref())?;
    let s = &scenario.scenario;
    let actor = s
        .inputs
        .actors
        .iter()
        .find(|a| a.id == params.actor)
        .ok_or_else(|| {
            let ids: Vec<&str> = s.inputs.actors.iter().map(|a| a.id.as_str()).collect();
            AnalysisError::param(
                "actor",
                format!(
                    "unknown actor `{}`; expected one of {}",
                    params.actor,
                    ids.join(", ")
                ),
            )
        })?;
    let models = specs(&ForecastParams {
        model: params.model.clone(),
        ..Default::default()
    })?;
    // Only the spatial inputs are cloned and changed.
    let mut inputs = Inputs {
        actors: s.inputs.actors.clone(),
        issues: s.inputs.issues.clone(),
        stances: s.inputs.stances.clone(),
        conflict: None,
        institutions: Vec::new(),
        bargaining: None,
    };
    let own: Vec<usize> = inputs
        .stances
        .iter()
        .enumerate()
        .filter(|(_, st)| st.actor == actor.id)
        .filter(|(_, st)| params.issue.is_empty() || params.issue.contains(&st.issue))
        .map(|(i, _)| i)
        .collect();
    for id in &params.issue {
        if !own.iter().any(|&i| inputs.stances[i].issue == *id) {
            return Err(AnalysisError::param(
                "issue",
                format!("`{}` has no stance on issue `{id}`", actor.id),
            ));
        }
    }
    if own.is_empty() {
        return Err(AnalysisError::param(
            "actor",
            format!("`{}` has no stance on any issue", actor.id),
        ));
    }
    let mut issues = Vec::new();
    for &si in &own {
        let st = inputs.stances[si].clone();
        let is = inputs.issue(&st.issue).cloned().ok_or_else(|| {
            AnalysisError::failed(format!("stance on unknown issue `{}`", st.issue))
        })?;
        let axis = |declared: bool| {
            if declared && !params.whole_scale {
                "declared range"
            } else {
                "whole scale"
            }
        };
        let searched = format!(
            "position: {}, salience: {}",
            axis(st.position_range.is_some()),
            axis(st.salience_range.is_some())
        );
        let (plo, phi) = match (params.whole_scale, st.position_range) {
            (false, Some(r)) => (r.lo, r.hi),
            _ => (is.min, is.max),
        };
        let (slo, shi) = match (params.whole_scale, st.salience_range) {
            (false, Some(r)) => (r.lo, r.hi),
            _ => (0.0, 1.0),
        };
        let positions = grid_over(plo, phi, params.grid, st.position);
        let saliences = grid_over(slo, shi, params.grid.min(6), st.salience);
        let ideal = st.position;
        let mut out_models = Vec::new();
        for spec in &models {
            let f0 = run_issue(&inputs, &is.id, spec)?;
            let d0 = (f0 - ideal).abs();
            let scale = is.max - is.min;
            let mut best: Option<(f64, f64, OwnMove)> = None;
            for &p in &positions {
                for &sal in &saliences {
                    inputs.stances[si].position = p;
                    inputs.stances[si].salience = sal;
                    let f = run_issue(&inputs, &is.id, spec)?;
                    let d = (f - ideal).abs();
                    let cost = (p - ideal).abs() / scale + (sal - st.salience).abs();
                    let better = match &best {
                        None => true,
                        Some((bd, bc, _)) => {
                            d < bd - 1e-9 || ((d - bd).abs() <= 1e-9 && cost < *bc)
                        }
                    };
                    if better {
                        best = Some((
                            d,
                            cost,
                            OwnMove {
                                position: p,
                                salience: sal,
                                forecast: f,
                                distance: d,
                                gain: d0 - d,
                                position_shift: (p - ideal).abs(),
                                salience_change: sal - st.salience,
                            },
                        ));
                    }
                }
            }
            inputs.stances[si].position = st.position;
            inputs.stances[si].salience = st.salience;
            let best = best.map(|b| b.2).filter(|b| b.gain > 1e-9);
            let mut persuade = Vec::new();
            for j in 0..inputs.stances.len() {
                let o = &inputs.stances[j];
                if j == si || o.issue != is.id || o.actor == actor.id {
                    continue;
                }
                let (oa, op) = (o.actor.clone(), o.position);
                inputs.stances[j].position = ideal;
                let f = run_issue(&inputs, &is.id, spec);
                inputs.stances[j].position = op;
                let f = f?;
                let gain = d0 - (f - ideal).abs();
                if gain > 1e-9 {
                    let name = inputs
                        .actors
                        .iter()
                        .find(|a| a.id == oa)
                        .map_or(oa.clone(), |a| a.name.clone());
                    persuade.push(Target {
                        actor: oa,
                        name,
                        position: op,
                        forecast: f,
                        gain,
                    });
                }
            }
            persuade.sort_by(|a, b| b.gain.total_cmp(&a.gain).then(a.actor.cmp(&b.actor)));
            persuade.truncate(TARGETS);
            let model = spec.name().to_string();
            let mut advice = Vec::new();
            match &best {
                Some(b) => advice.push(format!(
                    "{model}: advocating {} (instead of {}){} moves the {} forecast from {} to {}, {} points nearer {}'s ideal {}; the cost is claiming a position {} points from its own{}.",
                    n(b.position), n(ideal),
                    if b.salience_change.abs() > 1e-9 { format!(" with salience {} (instead of {})", n(b.salience), n(st.salience)) } else { String::new() },
                    is.id, n(f0), n(b.forecast), n(b.gain), actor.id, n(ideal), n(b.position_shift),
                    if b.salience_change > 1e-9 { format!(" and committing {} more salience", n(b.salience_change)) } else if b.salience_change < -1e-9 { format!(" and showing {} less salience", n(-b.salience_change)) } else { String::new() }
                )),
                None if d0 <= 1e-9 => advice.push(format!(
                    "{model}: the {} forecast is already at {}'s ideal {}; no change helps.",
                    is.id, actor.id, n(ideal)
                )),
                None => advice.push(format!(
                    "{model}: no position in [{}, {}] or salience in [{}, {}] moves the {} forecast ({}) nearer {}'s ideal {}.",
                    n(plo), n(phi), n(slo), n(shi), is.id, n(f0), actor.id, n(ideal)
                )),
            }
            if let Some(t) = persuade.first() {
                advice.push(format!(
                    "{model}: persuading {} (now at {}) to take {}'s position {} would move the forecast to {}, {} points nearer.",
                    t.actor, n(t.position), actor.id, n(ideal), n(t.forecast), n(t.gain)
                ));
            }
            out_models.push(ModelAdvice {
                model,
                forecast: f0,
                distance: d0,
                best,
                persuade,
                advice,
            });
        }
        issues.push(IssueAdvice {
            issue: is.id.clone(),
            name: is.name.clone(),
            min: is.min,
            max: is.max,
            ideal,
            salience: st.salience,
            position_range: [plo, phi],
            salience_range: [slo, shi],
            searched,
            models: out_models,
        });
    }
    let mut notes_conflict = None;
    let conflict = match crate::advise_conflict::advise(scenario, &actor.id, &params.concept)? {
        Ok(c) => Some(c),
        Err(why) => {
            notes_conflict = Some(format!("Conflict (GMCR): no advice, as {why}."));
            None
        }
    };
    let mut result = AdviseResult {
        scenario: s.scenario.id.clone(),
        actor: actor.id.clone(),
        name: actor.name.clone(),
        grid: params.grid,
        notes: vec![
            format!("The actor's stated position is its ideal. Own moves: every pair of {} positions across the range searched (with the stated one) and up to 6 saliences, each one run of the model with every other input as stated; the nearest forecast wins, ties to the cheaper move (position shift as a share of the scale plus salience change).", params.grid),
            "Persuasion: each other actor with a stance on the issue moved, alone, to the advised actor's ideal; the targets are those whose move brings the forecast nearest.".into(),
        ],
        issues,
        conflict,
    };
    result.notes.extend(notes_conflict);
    Ok(result)
}
