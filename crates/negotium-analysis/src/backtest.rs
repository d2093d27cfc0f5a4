//! The backtest lens: spatial models scored on recorded outcomes (a DEU
//! file, a directory of scenario files with an `[outcome]`, or one
//! scenario), with accuracy per model (MAE, RMSE, median error, share within
//! 10 points) and, where issues have labelled points, the Brier score and
//! calibration of label probabilities from a seeded perturbation sweep.
//!
//! Label probabilities: for each scored issue with at least two labelled
//! points and each separable model, a `negotium-sweep` Monte Carlo over the
//! stated perturbation of the issue's stances and capabilities ([`DEFAULT_PERTURB`]
//! unless `perturb` says otherwise; its position part is in points of a
//! 0–100 scale, rescaled by the issue's width), `draws` draws seeded by
//! `seed + i` for the i-th such issue (0-based, report order). The
//! probability of a label is the share of draws whose forecast lies nearest
//! to it; the label that happened is the one nearest the outcome (ties go
//! to the lower point, as in the sweep). The exchange model, which trades
//! between issues, has no one-issue sweep, so it gets no probabilities.

use std::path::Path;

use negotium_backtest::{BacktestError, Capability, Cases, LabelForecast, ModelRun};
use negotium_scenario::Loaded;
use negotium_spatial::{ModelSpec, Problem};
use negotium_sweep::input::Perturb;
use negotium_sweep::summary::{nearest_label, Label};
use negotium_sweep::{Issue as SweepIssue, SpatialSweep};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::forecast::ForecastParams;
use crate::params::{comma_list, comma_list_schema, opt_text, LenientInt};
use crate::AnalysisError;

/// The stated default perturbation of the label-probability sweep.
pub const DEFAULT_PERTURB: &str = "position=10,salience=0.2,capability=0.2";
/// Default draws of the label-probability sweep.
pub const DEFAULT_DRAWS: u64 = 200;
/// Most draws per issue.
pub const MAX_DRAWS: u64 = 100_000;
/// MAE differences at most this small are ties (a model that computes the
/// weighted mean itself differs from the baseline only by rounding).
pub const TIE: f64 = 1e-9;
/// Equal-width bins of the calibration table.
pub const BINS: usize = 10;

/// Parameters of `negotium backtest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct BacktestParams {
    /// Models, as `forecast --model` (empty: the default five; `exchange`
    /// runs once per DEU proposal or scenario over its scored issues).
    #[serde(alias = "models", deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub model: Vec<String>,
    /// Capabilities: `equal`, `shapley-shubik` (DEU data: the Council's
    /// qualified-majority voting power at adoption) or a capability file
    /// (default: equal for DEU data, the scenarios' own for scenario files).
    #[serde(deserialize_with = "opt_text")]
    pub capability: Option<String>,
    /// Draws of the label-probability sweep per issue (0: no Brier score or
    /// calibration; 0 to 100000).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(min = 0, max = 100_000))]
    pub draws: u64,
    /// The stated perturbation of the sweep (`position=10,salience=0.2,capability=0.2`;
    /// position in points of a 0–100 scale).
    pub perturb: String,
    /// Seed of the sweep (issue i uses seed + i) and of random models.
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt")]
    pub seed: u64,
}

impl Default for BacktestParams {
    fn default() -> Self {
        BacktestParams {
            model: Vec::new(),
            capability: None,
            draws: DEFAULT_DRAWS,
            perturb: DEFAULT_PERTURB.into(),
            seed: 0,
        }
    }
}

/// One bin of a calibration table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CalibrationBin {
    /// Bin bounds [lower, upper) (the last includes 1).
    pub lower: f64,
    pub upper: f64,
    /// (issue, label) pairs whose probability fell in the bin.
    pub count: usize,
    pub mean_probability: f64,
    /// Share of those labels that happened.
    pub observed: f64,
}

/// One model's scores (errors on a 0–100 scale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ModelScore {
    pub model: String,
    /// Issues scored.
    pub issues: usize,
    pub mae: f64,
    pub rmse: f64,
    pub median_error: f64,
    /// Share of issues forecast within 10 points.
    pub within_10: f64,
    /// Brier's multi-category score of the label probabilities (0 perfect,
    /// 2 worst), over the issues with labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brier: Option<f64>,
    /// Calibration of the label probabilities (non-empty bins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Vec<CalibrationBin>>,
    /// The naive baselines (`baselines`) scored on the same issues whose
    /// MAE is higher than this model's by more than [`TIE`], i.e. that it
    /// beats (models only; empty for a baseline).
    #[serde(default)]
    pub beats: Vec<String>,
}

/// The naive baselines every model is set against: `status quo` (the
/// issue's reference point, DEU `rp` or a scenario's `status_quo`; issues
/// without one are left out of its count) and `weighted mean` (the
/// capability × salience weighted mean of the positions, computed here
/// directly from the inputs).
pub const BASELINES: [&str; 2] = ["status quo", "weighted mean"];

/// One model's forecast of one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueForecast {
    pub model: String,
    pub forecast: f64,
    /// |forecast − outcome| on the 0–100 scale.
    pub error: f64,
}

/// One scored issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueResult {
    pub id: String,
    /// `file:line` (DEU) or `file#issue` (scenario).
    pub source: String,
    pub outcome: f64,
    pub forecasts: Vec<IssueForecast>,
}

/// A row or issue that was not scored, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Unscored {
    pub source: String,
    pub id: String,
    pub reason: String,
}

/// How the label probabilities were computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProbabilitySetup {
    pub draws: u64,
    /// Issue i (0-based among `issues`) uses seed + i.
    pub seed: u64,
    pub perturb: String,
    pub bins: usize,
    /// The issues with labels whose probabilities were scored.
    pub issues: Vec<String>,
    /// The models scored (separable models only).
    pub models: Vec<String>,
}

/// The backtest (the `backtest --json` contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BacktestResult {
    /// What was backtested: a DEU file, a directory, a scenario.
    pub source: String,
    pub models: Vec<ModelScore>,
    /// The naive baselines ([`BASELINES`]) scored on the same issues, with
    /// the same metrics: a model is worth its name only if it beats them.
    pub baselines: Vec<ModelScore>,
    pub issues: Vec<IssueResult>,
    pub unscored: Vec<Unscored>,
    /// How capabilities were set, rules used, simplifications.
    pub notes: Vec<String>,
    /// Present when some issue has labelled points and `draws` > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probabilities: Option<ProbabilitySetup>,
}

fn bt_error(e: BacktestError) -> AnalysisError {
    match e {
        BacktestError::Capability { .. } | BacktestError::CapabilityFile { .. } => {
            AnalysisError::param("capability", e.to_string())
        }
        BacktestError::Model { .. } => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(&e);
            while let Some(x) = src {
                s.push_str(&format!(": {x}"));
                src = x.source();
            }
            if s.contains("limit") {
                AnalysisError::limit(s)
            } else {
                AnalysisError::failed(s)
            }
        }
        BacktestError::Voting(_) | BacktestError::Probabilities(_) => {
            AnalysisError::failed(e.to_string())
        }
        BacktestError::Usage(m) if m.contains("Shapley") => AnalysisError::param("capability", m),
        _ => AnalysisError::input(match &e {
            BacktestError::Problem { source, .. } => format!("{e}: {source}"),
            _ => e.to_string(),
        }),
    }
}

/// The capability rule of the parameters (None: the source's default). A
/// capability file is read only when `files` (the caller named the sources:
/// [`run_path`]), never through [`run`], which the registry serves.
fn capability(p: &BacktestParams, files: bool) -> Result<Option<Capability>, AnalysisError> {
    Ok(match p.capability.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("equal") => Some(Capability::Equal),
        Some("shapley-shubik" | "shapley_shubik" | "shapley" | "ss") => {
            Some(Capability::ShapleyShubik(Default::default()))
        }
        Some(path) if !files => {
            return Err(AnalysisError::param(
                "capability",
                format!("expected equal or shapley-shubik, got `{path}` (a capability file is read only by `negotium backtest FILE|DIR`)"),
            ))
        }
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                AnalysisError::param(
                    "capability",
                    format!("expected equal, shapley-shubik or a readable capability file; cannot read {path}: {e}"),
                )
            })?;
            Some(negotium_backtest::read_capability_file(&text, path).map_err(bt_error)?)
        }
    })
}

/// Checks the parameters before any work.
fn check(p: &BacktestParams) -> Result<(Vec<ModelSpec>, Perturb), AnalysisError> {
    crate::error::cap("draws", p.draws, MAX_DRAWS)?;
    let specs = crate::forecast::specs(&ForecastParams {
        model: p.model.clone(),
        seed: p.seed,
        ..ForecastParams::default()
    })?;
    let perturb: Perturb = p.perturb.parse().map_err(|e| {
        AnalysisError::param("perturb", format!("{e}; expected e.g. {DEFAULT_PERTURB}"))
    })?;
    Ok((specs, perturb))
}

/// Backtests one loaded scenario (its issues with a recorded outcome).
pub fn run(scenario: &Loaded, p: &BacktestParams) -> Result<BacktestResult, AnalysisError> {
    let (specs, perturb) = check(p)?;
    let cap = capability(p, false)?;
    let cases = negotium_backtest::cases_from_scenario(
        &scenario.scenario,
        &scenario.source_name,
        cap.as_ref(),
    )
    .map_err(bt_error)?;
    finish(&scenario.source_name, cases, &specs, perturb, p)
}

/// Backtests a DEU file (any extension but `.toml`/`.json`), a scenario
/// file, or a directory of scenario files.
pub fn run_path(path: &Path, p: &BacktestParams) -> Result<BacktestResult, AnalysisError> {
    let (specs, perturb) = check(p)?;
    let cap = capability(p, true)?;
    let name = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let cases = if path.is_dir() {
        negotium_backtest::cases_from_dir(path, cap.as_ref()).map_err(bt_error)?
    } else if ext == "toml" || ext == "json" {
        let loaded =
            negotium_scenario::load_path(path).map_err(|e| AnalysisError::input(e.to_string()))?;
        negotium_backtest::cases_from_scenario(&loaded.scenario, &name, cap.as_ref())
            .map_err(bt_error)?
    } else {
        let file = negotium_scenario::deu::read_path(path).map_err(|e| match e {
            negotium_scenario::deu::DeuError::TooLarge { .. } => {
                AnalysisError::limit(e.to_string())
            }
            negotium_scenario::deu::DeuError::Io { ref source, .. } => {
                AnalysisError::input(format!("{e}: {source}"))
            }
            _ => AnalysisError::input(e.to_string()),
        })?;
        negotium_backtest::cases_from_deu(&file, cap.as_ref().unwrap_or(&Capability::Equal))
            .map_err(bt_error)?
    };
    finish(&name, cases, &specs, perturb, p)
}

fn finish(
    source: &str,
    cases: Cases,
    specs: &[ModelSpec],
    perturb: Perturb,
    p: &BacktestParams,
) -> Result<BacktestResult, AnalysisError> {
    if cases.issues() == 0 {
        let why: Vec<String> = cases
            .unscored
            .iter()
            .take(5)
            .map(|u| format!("{} ({}): {}", u.id, u.source, u.reason))
            .collect();
        return Err(AnalysisError::input(format!(
            "{source}: no issue can be scored (an issue needs a recorded outcome and at least {} actors){}",
            negotium_scenario::deu::MIN_ACTORS,
            if why.is_empty() {
                String::new()
            } else {
                format!("; {}", why.join("; "))
            }
        )));
    }
    let runs: Vec<ModelRun> = specs.iter().cloned().map(ModelRun::new).collect();
    let mut report = negotium_backtest::run(&cases, &runs).map_err(bt_error)?;
    let mut setup = None;
    let separable: Vec<ModelSpec> = specs
        .iter()
        .filter(|s| !matches!(s, ModelSpec::Exchange(_)))
        .cloned()
        .collect();
    let labelled: Vec<&negotium_backtest::CaseIssue> = cases
        .groups
        .iter()
        .flat_map(|g| &g.issues)
        .filter(|c| c.labels.len() >= 2)
        .collect();
    if p.draws > 0 && !labelled.is_empty() && !separable.is_empty() {
        let mut per_model: Vec<Vec<LabelForecast>> = vec![Vec::new(); separable.len()];
        for (i, c) in labelled.iter().enumerate() {
            let probs = label_probabilities(
                c,
                &separable,
                perturb,
                p.draws,
                p.seed.wrapping_add(i as u64),
            )?;
            for (m, f) in probs.into_iter().enumerate() {
                per_model[m].push(f);
            }
        }
        for (spec, forecasts) in separable.iter().zip(&per_model) {
            report
                .attach_probabilities(spec.name(), forecasts, BINS)
                .map_err(bt_error)?;
        }
        setup = Some(ProbabilitySetup {
            draws: p.draws,
            seed: p.seed,
            perturb: perturb.to_string(),
            bins: BINS,
            issues: labelled.iter().map(|c| c.id.clone()).collect(),
            models: separable.iter().map(|s| s.name().to_string()).collect(),
        });
        if separable.len() < specs.len() {
            report.notes.push(
                "The exchange model trades between issues and has no one-issue sweep: it gets no label probabilities."
                    .into(),
            );
        }
    }
    let baselines = baselines(&cases);
    let mut models: Vec<ModelScore> = report
        .models
        .into_iter()
        .map(|m| ModelScore {
            model: m.model,
            issues: m.issues,
            mae: m.mae,
            rmse: m.rmse,
            median_error: m.median_error,
            within_10: m.within_10,
            brier: m.brier,
            calibration: m.calibration.map(|bins| {
                bins.into_iter()
                    .map(|b| CalibrationBin {
                        lower: b.lower,
                        upper: b.upper,
                        count: b.count,
                        mean_probability: b.mean_probability,
                        observed: b.observed,
                    })
                    .collect()
            }),
            beats: Vec::new(),
        })
        .collect();
    for m in &mut models {
        m.beats = baselines
            .iter()
            .filter(|b| b.issues == m.issues && m.mae < b.mae - TIE)
            .map(|b| b.model.clone())
            .collect();
    }
    Ok(BacktestResult {
        source: source.to_string(),
        models,
        baselines,
        issues: report
            .issues
            .into_iter()
            .map(|i| IssueResult {
                id: i.id,
                source: i.source,
                outcome: i.outcome,
                forecasts: i
                    .forecasts
                    .into_iter()
                    .map(|f| IssueForecast {
                        model: f.model,
                        forecast: f.forecast,
                        error: f.error,
                    })
                    .collect(),
            })
            .collect(),
        unscored: report
            .unscored
            .into_iter()
            .map(|u| Unscored {
                source: u.source,
                id: u.id,
                reason: u.reason,
            })
            .collect(),
        notes: report.notes,
        probabilities: setup,
    })
}

/// Each model's label probabilities on one issue, from a perturbation sweep
/// (see the module documentation), and the label nearest the outcome.
fn label_probabilities(
    c: &negotium_backtest::CaseIssue,
    models: &[ModelSpec],
    perturb: Perturb,
    draws: u64,
    seed: u64,
) -> Result<Vec<LabelForecast>, AnalysisError> {
    let problem: &Problem = &c.problem;
    let d = &problem.dims()[0];
    let scaled = Perturb {
        position: perturb.position.map(|x| x * (d.max - d.min) / 100.0),
        ..perturb
    };
    let labels: Vec<Label> = c
        .labels
        .iter()
        .map(|p| Label {
            at: p.at,
            label: p.label.clone(),
        })
        .collect();
    let n = problem.n_actors();
    let sweep = SpatialSweep::perturbed(
        problem.actors().to_vec(),
        vec![SweepIssue {
            id: c.id.clone(),
            problem: problem.clone(),
            actors: (0..n).collect(),
            labels: labels.clone(),
        }],
        models.to_vec(),
        scaled,
    )
    .map_err(|e| AnalysisError::failed(format!("label probabilities of `{}`: {e}", c.id)))?;
    let (_, report) = sweep
        .run(seed, draws)
        .map_err(|e| AnalysisError::failed(format!("label probabilities of `{}`: {e}", c.id)))?;
    let actual_name = &labels[nearest_label(&labels, c.outcome).unwrap_or(0)].label;
    Ok(report.issues[0]
        .models
        .iter()
        .map(|m| {
            let probs = &m.label_probabilities.0;
            LabelForecast {
                issue: c.id.clone(),
                probabilities: probs.iter().map(|x| x.1).collect(),
                actual: probs.iter().position(|x| &x.0 == actual_name).unwrap_or(0),
            }
        })
        .collect())
}

/// The naive baselines ([`BASELINES`]) on every scored issue, with errors
/// on the 0–100 scale as for the models.
fn baselines(cases: &Cases) -> Vec<ModelScore> {
    let issues: Vec<&negotium_backtest::CaseIssue> =
        cases.groups.iter().flat_map(|g| &g.issues).collect();
    let error = |c: &negotium_backtest::CaseIssue, x: f64| {
        let d = &c.problem.dims()[0];
        (x - c.outcome).abs() / (d.max - d.min) * 100.0
    };
    let weighted_mean = |c: &negotium_backtest::CaseIssue| {
        let p = &c.problem;
        let (mut num, mut den) = (0.0, 0.0);
        for i in 0..p.n_actors() {
            let w = p.capability()[i] * p.salience()[i][0];
            num += w * p.position()[i][0];
            den += w;
        }
        (den > 0.0).then(|| num / den)
    };
    let mut out = Vec::new();
    for name in BASELINES {
        let errors: Vec<f64> = issues
            .iter()
            .filter_map(|c| {
                let x = match name {
                    "status quo" => c.reference,
                    _ => weighted_mean(c),
                }?;
                Some(error(c, x))
            })
            .collect();
        if let Some(s) = negotium_backtest::metrics::summarise(&errors) {
            out.push(ModelScore {
                model: name.to_string(),
                issues: s.issues,
                mae: s.mae,
                rmse: s.rmse,
                median_error: s.median_error,
                within_10: s.within_10,
                brier: None,
                calibration: None,
                beats: Vec::new(),
            });
        }
    }
    out
}
