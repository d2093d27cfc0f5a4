//! negotium-backtest: runs spatial models on issues whose outcome is known
//! and scores them. Pure apart from the caller's file reading: cases come
//! from a parsed DEU file ([`cases_from_deu`]) or from loaded scenarios with
//! an `[outcome]` ([`cases_from_scenario`]); [`run`] forecasts every case
//! with every model and returns per-model accuracy ([`BacktestReport`]).
//!
//! A separate crate (not part of negotium-scenario) because it joins three
//! engines — the scenario formats, the spatial models and the voting-power
//! engine that gives Council capabilities — and neither the format crate
//! nor the binary should carry that.
//!
//! Cases are grouped: a DEU proposal (`prnr`) or a scenario file is one
//! group. Separable models run issue by issue; the exchange model, which
//! trades between issues, runs once per group over all its scored issues
//! (an actor without a stance on one of them gets salience 0 there). Errors
//! are |forecast − outcome| rescaled to 0–100 by the issue's scale.

pub mod capability;
pub mod metrics;

use std::collections::BTreeMap;

use negotium_scenario::deu::{DeuFile, DeuIssue, MIN_ACTORS};
use negotium_spatial::{Dimension, ModelSpec, Problem, SpatialError};
use serde::Serialize;

pub use capability::{read_capability_file, Capability, CouncilPower, CouncilWeighting, Regime};
pub use metrics::{
    score_probabilities, summarise, CalibrationBin, ErrorSummary, LabelForecast, ProbabilityScore,
};

/// Why a backtest could not run.
#[derive(Debug, thiserror::Error)]
pub enum BacktestError {
    #[error("{file}:{line}: actor `{actor}`: {message}")]
    Capability {
        file: String,
        line: usize,
        actor: String,
        message: String,
    },
    #[error("{file}:{line}: {message}")]
    CapabilityFile {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{source_name}: issue `{issue}` cannot be modelled")]
    Problem {
        source_name: String,
        issue: String,
        #[source]
        source: Box<SpatialError>,
    },
    #[error("model `{model}` failed on {source_name} issue `{issue}`")]
    Model {
        model: String,
        source_name: String,
        issue: String,
        #[source]
        source: Box<SpatialError>,
    },
    #[error(transparent)]
    Scenario(Box<negotium_scenario::ScenarioError>),
    #[error("cannot read directory {dir}")]
    Dir {
        dir: String,
        #[source]
        source: std::io::Error,
    },
    #[error("voting power: {0}")]
    Voting(String),
    #[error("label probabilities: {0}")]
    Probabilities(String),
    #[error("{0}")]
    Usage(String),
}

/// One scored issue.
#[derive(Debug, Clone)]
pub struct CaseIssue {
    pub id: String,
    /// `file:line` (DEU) or `file#issue` (scenario).
    pub source: String,
    /// The issue alone (one dimension).
    pub problem: Problem,
    pub outcome: f64,
    /// Index of this issue among its group's dimensions.
    pub dim: usize,
    /// The scale's labelled points (scenario issues; none in DEU data):
    /// label probabilities are scored against the label nearest the outcome.
    pub labels: Vec<negotium_scenario::Point>,
    /// The status quo (DEU `rp`, a scenario issue's `status_quo`), for the
    /// naive status-quo baseline.
    pub reference: Option<f64>,
}

/// Issues modelled together by multi-issue models.
#[derive(Debug, Clone)]
pub struct CaseGroup {
    pub id: String,
    /// All the group's scored issues as dimensions.
    pub joint: Problem,
    pub issues: Vec<CaseIssue>,
}

/// A row or issue that is not scored, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unscored {
    pub source: String,
    pub id: String,
    pub reason: String,
}

/// Everything a backtest runs on.
#[derive(Debug, Clone, Default)]
pub struct Cases {
    pub groups: Vec<CaseGroup>,
    pub unscored: Vec<Unscored>,
    /// How capabilities were set, regimes used, simplifications.
    pub notes: Vec<String>,
}

impl Cases {
    pub fn issues(&self) -> usize {
        self.groups.iter().map(|g| g.issues.len()).sum()
    }
    /// Appends another set of cases (e.g. the next scenario of a directory).
    pub fn extend(&mut self, other: Cases) {
        self.groups.extend(other.groups);
        self.unscored.extend(other.unscored);
        for n in other.notes {
            if !self.notes.contains(&n) {
                self.notes.push(n);
            }
        }
    }
}

fn dim01(name: &str) -> Dimension {
    Dimension {
        name: name.into(),
        min: 0.0,
        max: 100.0,
    }
}

/// Builds the cases of a DEU file: every scored row, grouped by proposal,
/// with capabilities set by `cap`.
pub fn cases_from_deu(file: &DeuFile, cap: &Capability) -> Result<Cases, BacktestError> {
    let mut council = CouncilPower::default();
    let mut regimes = BTreeMap::new();
    let mut cases = Cases {
        notes: vec![format!("capabilities: {}", cap.describe())],
        ..Default::default()
    };
    // Group scored rows by proposal, in file order.
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<(&DeuIssue, Vec<f64>)>> = BTreeMap::new();
    for is in &file.issues {
        let src = format!("{}:{}", file.file, is.line);
        if let Some(u) = &is.unscored {
            cases.unscored.push(Unscored {
                source: src,
                id: is.id.clone(),
                reason: u.to_string(),
            });
            continue;
        }
        let caps = is
            .stances
            .iter()
            .map(|st| -> Result<f64, BacktestError> {
                let err = |message: String| BacktestError::Capability {
                    file: file.file.clone(),
                    line: is.line,
                    actor: st.actor.clone(),
                    message,
                };
                match cap {
                    Capability::Equal => Ok(1.0),
                    Capability::File { source, values } => values
                        .get(&st.actor)
                        .copied()
                        .ok_or_else(|| err(format!("no capability for this actor in {source}"))),
                    Capability::ShapleyShubik(w) => {
                        let date = is.adopted.or(is.introduced).ok_or_else(|| {
                            err("no adoption (`finact`) or proposal (`intro`) date, \
                                 needed to choose the Council's voting rule"
                                .into())
                        })?;
                        let regime = Regime::at(date);
                        *regimes.entry(regime).or_insert(0usize) += 1;
                        council.capability(regime, &st.actor, w)?.ok_or_else(|| {
                            err(format!(
                                "not `com`, `ep` or a member state of {} (in force on {date})",
                                regime.name()
                            ))
                        })
                    }
                }
            })
            .collect::<Result<Vec<f64>, _>>()?;
        let key = is.proposal.clone().unwrap_or_else(|| is.id.clone());
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push((is, caps));
    }
    for key in order {
        let rows = &groups[&key];
        let mut issues = Vec::new();
        for (k, (is, caps)) in rows.iter().enumerate() {
            let src = format!("{}:{}", file.file, is.line);
            let problem = Problem::new(
                is.stances.iter().map(|s| s.actor.clone()).collect(),
                caps.clone(),
                vec![dim01(&is.id)],
                is.stances.iter().map(|s| vec![s.position]).collect(),
                is.stances
                    .iter()
                    .map(|s| vec![s.salience / 100.0])
                    .collect(),
            )
            .map_err(|source| BacktestError::Problem {
                source_name: src.clone(),
                issue: is.id.clone(),
                source: Box::new(source),
            })?;
            issues.push(CaseIssue {
                id: is.id.clone(),
                source: src,
                problem,
                outcome: is.outcome.expect("scored issues have an outcome"),
                dim: k,
                labels: Vec::new(),
                reference: is.reference,
            });
        }
        // Joint problem: actors in header order, salience 0 where absent.
        let present: Vec<&String> = file
            .actors
            .iter()
            .filter(|a| {
                rows.iter()
                    .any(|(is, _)| is.stances.iter().any(|s| &s.actor == *a))
            })
            .collect();
        let mut cap_j = Vec::new();
        let mut pos_j = Vec::new();
        let mut sal_j = Vec::new();
        for a in &present {
            let mut c = None;
            let mut ps = Vec::new();
            let mut ss = Vec::new();
            for (is, caps) in rows {
                match is.stances.iter().position(|s| &s.actor == *a) {
                    Some(i) => {
                        c.get_or_insert(caps[i]);
                        ps.push(is.stances[i].position);
                        ss.push(is.stances[i].salience / 100.0);
                    }
                    None => {
                        ps.push(is.reference.unwrap_or(50.0));
                        ss.push(0.0);
                    }
                }
            }
            cap_j.push(c.unwrap_or(0.0));
            pos_j.push(ps);
            sal_j.push(ss);
        }
        let joint = Problem::new(
            present.iter().map(|a| a.to_string()).collect(),
            cap_j,
            rows.iter().map(|(is, _)| dim01(&is.id)).collect(),
            pos_j,
            sal_j,
        )
        .map_err(|source| BacktestError::Problem {
            source_name: file.file.clone(),
            issue: format!("proposal {key}"),
            source: Box::new(source),
        })?;
        cases.groups.push(CaseGroup {
            id: key,
            joint,
            issues,
        });
    }
    for (r, n) in regimes {
        cases.notes.push(format!(
            "Council rule {}: {n} actor-issue capabilities",
            r.name()
        ));
    }
    Ok(cases)
}

/// Builds the cases of one loaded scenario: every issue with a recorded
/// outcome and at least [`MIN_ACTORS`] actors with a stance. Capabilities
/// are the scenario's own unless `cap` overrides them (`Equal`, or a `File`
/// keyed by actor id; Council Shapley–Shubik applies to DEU data only).
pub fn cases_from_scenario(
    scenario: &negotium_scenario::Scenario,
    file: &str,
    cap: Option<&Capability>,
) -> Result<Cases, BacktestError> {
    use negotium_scenario::spatial::{for_issue, joint, MapError};
    let mut cases = Cases::default();
    let map_err = |issue: &str, e: MapError| match e {
        MapError::Spatial { source, .. } => BacktestError::Problem {
            source_name: file.into(),
            issue: issue.into(),
            source: Box::new(source),
        },
        MapError::UnknownIssue(i) => BacktestError::Usage(format!("{file}: unknown issue `{i}`")),
    };
    let recap = |p: &Problem, ids: &[String]| -> Result<Problem, BacktestError> {
        let caps: Vec<f64> = match cap {
            None => return Ok(p.clone()),
            Some(Capability::Equal) => vec![1.0; ids.len()],
            Some(Capability::File { source, values }) => ids
                .iter()
                .map(|a| {
                    values.get(&a.to_ascii_lowercase()).copied().ok_or_else(|| {
                        BacktestError::Capability {
                            file: file.into(),
                            line: 0,
                            actor: a.clone(),
                            message: format!("no capability for this actor in {source}"),
                        }
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(Capability::ShapleyShubik(_)) => {
                return Err(BacktestError::Usage(format!(
                    "{file}: Council Shapley–Shubik capabilities apply to DEU data only; \
                     use equal, a capability file, or the scenario's own"
                )))
            }
        };
        Problem::new(
            p.actors().to_vec(),
            caps,
            p.dims().to_vec(),
            p.position().to_vec(),
            p.salience().to_vec(),
        )
        .map_err(|source| BacktestError::Problem {
            source_name: file.into(),
            issue: p.dims()[0].name.clone(),
            source: Box::new(source),
        })
    };
    let mut scored = Vec::new();
    for is in &scenario.inputs.issues {
        let src = format!("{file}#{}", is.id);
        let Some(outcome) = scenario.outcome_of(&is.id) else {
            cases.unscored.push(Unscored {
                source: src,
                id: is.id.clone(),
                reason: "no outcome".into(),
            });
            continue;
        };
        let n = scenario
            .inputs
            .stances
            .iter()
            .filter(|s| s.issue == is.id)
            .count();
        if n < MIN_ACTORS {
            cases.unscored.push(Unscored {
                source: src,
                id: is.id.clone(),
                reason: format!("{n} actor(s) with a stance, need {MIN_ACTORS}"),
            });
            continue;
        }
        let m = for_issue(&scenario.inputs, &is.id).map_err(|e| map_err(&is.id, e))?;
        let problem = recap(&m.problem, &m.actor_ids)?;
        scored.push(CaseIssue {
            id: is.id.clone(),
            source: src,
            problem,
            outcome,
            dim: scored.len(),
            labels: is.points.clone(),
            reference: is.status_quo,
        });
    }
    if !scored.is_empty() {
        let ids: Vec<&str> = scored.iter().map(|c| c.id.as_str()).collect();
        let m = joint(&scenario.inputs, &ids).map_err(|e| map_err(&ids.join("+"), e))?;
        let jp = recap(&m.problem, &m.actor_ids)?;
        cases.groups.push(CaseGroup {
            id: scenario.scenario.id.clone(),
            joint: jp,
            issues: scored,
        });
    }
    cases.notes.push(format!(
        "capabilities: {}",
        cap.map_or("as given in the scenario files".to_string(), |c| c
            .describe())
    ));
    Ok(cases)
}

/// Largest number of scenario files read from one directory.
pub const MAX_SCENARIO_FILES: usize = 10_000;

/// Builds the cases of every scenario file (`*.toml`, `*.json`) in `dir`,
/// in name order, with the usual loader (any invalid file is an error with
/// its located diagnostics). A file without an `[outcome]` is listed as
/// unscored. Subdirectories are not searched.
pub fn cases_from_dir(
    dir: &std::path::Path,
    cap: Option<&Capability>,
) -> Result<Cases, BacktestError> {
    let d = dir.display().to_string();
    let io = |source| BacktestError::Dir {
        dir: d.clone(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if path.is_file() && (ext.eq_ignore_ascii_case("toml") || ext.eq_ignore_ascii_case("json"))
        {
            files.push(path);
        }
        if files.len() > MAX_SCENARIO_FILES {
            return Err(BacktestError::Usage(format!(
                "{d}: more than {MAX_SCENARIO_FILES} scenario files"
            )));
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(BacktestError::Usage(format!(
            "{d}: no scenario file (*.toml, *.json)"
        )));
    }
    let mut all = Cases::default();
    for path in files {
        let name = path.display().to_string();
        let loaded = negotium_scenario::load_path(&path)
            .map_err(|e| BacktestError::Scenario(Box::new(e)))?;
        if loaded.scenario.outcome.is_none() {
            all.unscored.push(Unscored {
                source: name,
                id: loaded.scenario.scenario.id.clone(),
                reason: "no [outcome]".into(),
            });
            continue;
        }
        all.extend(cases_from_scenario(&loaded.scenario, &name, cap)?);
    }
    Ok(all)
}

/// A model to backtest, under the name it is reported by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelRun {
    pub label: String,
    pub spec: ModelSpec,
}

impl ModelRun {
    pub fn new(spec: ModelSpec) -> ModelRun {
        ModelRun {
            label: spec.name().to_string(),
            spec,
        }
    }
}

/// One model's scores: the `models[]` entries of `backtest --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelScore {
    pub model: String,
    pub issues: usize,
    pub mae: f64,
    pub rmse: f64,
    pub median_error: f64,
    pub within_10: f64,
    /// Brier score of the label probabilities, once attached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brier: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Vec<CalibrationBin>>,
}

/// One model's forecast of one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueForecast {
    pub model: String,
    pub forecast: f64,
    /// |forecast − outcome| on the 0–100 scale.
    pub error: f64,
}

/// One scored issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueResult {
    pub id: String,
    pub source: String,
    pub outcome: f64,
    pub forecasts: Vec<IssueForecast>,
}

/// The `backtest --json` contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BacktestReport {
    pub models: Vec<ModelScore>,
    pub issues: Vec<IssueResult>,
    pub unscored: Vec<Unscored>,
    pub notes: Vec<String>,
}

impl BacktestReport {
    /// Attaches the Brier score and calibration table of `model`'s label
    /// probabilities (computed elsewhere, e.g. by a sweep).
    pub fn attach_probabilities(
        &mut self,
        model: &str,
        forecasts: &[LabelForecast],
        bins: usize,
    ) -> Result<(), BacktestError> {
        let s = score_probabilities(forecasts, bins)?;
        let m = self
            .models
            .iter_mut()
            .find(|m| m.model == model)
            .ok_or_else(|| BacktestError::Usage(format!("no model `{model}` in this backtest")))?;
        m.brier = Some(s.brier);
        m.calibration = Some(s.calibration);
        Ok(())
    }
}

fn multi_issue(spec: &ModelSpec) -> bool {
    matches!(spec, ModelSpec::Exchange(_))
}

/// Forecasts every case with every model and scores them.
pub fn run(cases: &Cases, models: &[ModelRun]) -> Result<BacktestReport, BacktestError> {
    if models.is_empty() {
        return Err(BacktestError::Usage("no model to backtest".into()));
    }
    let mut issues: Vec<IssueResult> = cases
        .groups
        .iter()
        .flat_map(|g| &g.issues)
        .map(|c| IssueResult {
            id: c.id.clone(),
            source: c.source.clone(),
            outcome: c.outcome,
            forecasts: Vec::new(),
        })
        .collect();
    let mut scores = Vec::new();
    for m in models {
        let mut errors = Vec::new();
        let mut k = 0;
        for g in &cases.groups {
            let joint = if multi_issue(&m.spec) {
                Some(negotium_spatial::run(&g.joint, &m.spec).map_err(|source| {
                    BacktestError::Model {
                        model: m.label.clone(),
                        source_name: g.issues[0].source.clone(),
                        issue: format!("group {}", g.id),
                        source: Box::new(source),
                    }
                })?)
            } else {
                None
            };
            for c in &g.issues {
                let forecast = match &joint {
                    Some(f) => f.forecast[c.dim],
                    None => {
                        negotium_spatial::run(&c.problem, &m.spec)
                            .map_err(|source| BacktestError::Model {
                                model: m.label.clone(),
                                source_name: c.source.clone(),
                                issue: c.id.clone(),
                                source: Box::new(source),
                            })?
                            .forecast[0]
                    }
                };
                let d = &c.problem.dims()[0];
                let error = (forecast - c.outcome).abs() / (d.max - d.min) * 100.0;
                errors.push(error);
                issues[k].forecasts.push(IssueForecast {
                    model: m.label.clone(),
                    forecast,
                    error,
                });
                k += 1;
            }
        }
        let s = summarise(&errors).ok_or_else(|| BacktestError::Usage("no scored issue".into()))?;
        scores.push(ModelScore {
            model: m.label.clone(),
            issues: s.issues,
            mae: s.mae,
            rmse: s.rmse,
            median_error: s.median_error,
            within_10: s.within_10,
            brier: None,
            calibration: None,
        });
    }
    let mut notes = cases.notes.clone();
    if models.iter().any(|m| multi_issue(&m.spec)) {
        notes.push(
            "The exchange model runs once per group (a DEU proposal or a scenario) over all \
             its scored issues; a group with one issue allows no exchange."
                .into(),
        );
    }
    Ok(BacktestReport {
        models: scores,
        issues,
        unscored: cases.unscored.clone(),
        notes,
    })
}
