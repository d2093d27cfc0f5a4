//! The spatial sweep: Monte Carlo over uncertain capabilities, positions
//! and saliences, every spatial model on every issue; sensitivity (Sobol
//! indices, tornado) per issue and model.
//!
//! One [`SpatialSweep`] holds the actors, the issues (each a one-dimensional
//! [`Problem`] over the actors with a stance on it, plus its labelled
//! points), the models and the uncertain inputs. An actor's capability is
//! one input shared by every issue it takes part in, so a draw moves it
//! everywhere at once.
//!
//! **Draws.** Draw k takes its uniforms from its own ChaCha8 stream keyed
//! by (seed, k) ([`crate::draw::stream`]): one uniform per input in input
//! order, mapped through the input's inverse CDF, then one 64-bit seed for
//! stochastic models (the SMP with stochastic transitions; deterministic
//! models ignore it). [`SpatialSweep::run_block`] computes any range of
//! draws; the draws of a range are bit for bit those of the same indices in
//! a full run, whatever the thread count, so a sweep can be sharded (e.g.
//! one Ray task per block `[a, b)`) and merged with [`merge_blocks`] before
//! [`SpatialSweep::summarise`].

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use negotium_spatial::{ModelSpec, Problem, SpatialError};
use rand::RngCore;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::draw::{stream, unit, Purpose};
use crate::input::{Distribution, InputError, Perturb, Target, UncertainInput};
use crate::sobol::{evaluate, SobolIndex, SobolOptions};
use crate::summary::{
    label_probabilities, mean_std, nearest_label, Label, LabelProbabilities, Quantiles, LABEL_RULE,
    QUANTILE_DEFINITION,
};

/// Most draws one sweep accepts (checked before any work).
pub const MAX_DRAWS: u64 = 10_000_000;
/// Most retained forecasts (draws × issues × models) one call may hold.
pub const MAX_CELLS: u64 = 200_000_000;

/// One issue of the sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// The issue's id (used in names and output).
    pub id: String,
    /// A one-dimensional problem over the actors with a stance on the issue.
    pub problem: Problem,
    /// For each actor of `problem` (same order), its index in the sweep's
    /// actor list.
    pub actors: Vec<usize>,
    /// The scale's labelled points (may be empty).
    pub labels: Vec<Label>,
}

/// Why a sweep could not be set up or run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("issue `{issue}`: {message}")]
    Issue { issue: String, message: String },
    #[error("uncertain input {index}: {message}")]
    Target { index: usize, message: String },
    #[error("model `{0}` is listed twice")]
    DuplicateModel(String),
    #[error("no model to run")]
    NoModel,
    #[error("the scenario declares no uncertain input (no position_range, salience_range or capability_range); nothing would vary. Give a stated perturbation instead, e.g. --perturb position=10,salience=0.2,capability=0.2")]
    NoUncertainty,
    #[error("{what} = {got} is too large (at most {max})")]
    TooLarge { what: String, got: u64, max: u64 },
    #[error("draws to summarise: {0}")]
    Draws(String),
    #[error("sensitivity options: {0}")]
    Options(String),
    #[error("{context}: model `{model}` on issue `{issue}`: {source}")]
    Model {
        context: String,
        issue: String,
        model: String,
        #[source]
        source: Box<SpatialError>,
    },
}

/// Which value of an input an issue uses, and where it goes.
#[derive(Debug, Clone, Copy)]
struct Slot {
    input: usize,
    local: usize,
    target: Target,
}

/// A configured sweep (see the module documentation).
#[derive(Debug, Clone)]
pub struct SpatialSweep {
    actors: Vec<String>,
    issues: Vec<Issue>,
    models: Vec<ModelSpec>,
    inputs: Vec<UncertainInput>,
    perturb: Option<Perturb>,
    /// Per issue: the inputs that reach it.
    slots: Vec<Vec<Slot>>,
}

/// One Monte Carlo draw: the sampled inputs and every forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draw {
    /// 0-based draw index.
    pub index: u64,
    /// Sampled value of every uncertain input, in input order.
    pub inputs: Vec<f64>,
    /// `forecasts[issue * n_models + model]`.
    pub forecasts: Vec<f64>,
}

/// An uncertain input as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputInfo {
    /// `actor.capability`, `actor.position.issue` or `actor.salience.issue`.
    pub name: String,
    pub actor: String,
    pub field: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    pub point: f64,
    pub lo: f64,
    pub hi: f64,
    pub distribution: Distribution,
}

/// One model's forecast distribution on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelSummary {
    pub model: String,
    /// The forecast with every input at its point value.
    pub point: f64,
    pub quantiles: Quantiles,
    pub mean: f64,
    /// Sample standard deviation (n − 1).
    pub std: f64,
    pub min: f64,
    pub max: f64,
    /// Probability that the forecast's nearest labelled point is each label
    /// (empty when the scale has no labels).
    pub label_probabilities: LabelProbabilities,
}

/// Every model's forecast distribution on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueSummary {
    pub issue: String,
    pub models: Vec<ModelSummary>,
}

/// The Monte Carlo summary of a sweep: the `sweep --json` contract (with
/// `sensitivity` and `tornado` filled in when asked for).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepReport {
    pub seed: u64,
    pub draws: u64,
    /// The stated blanket perturbation, when the inputs came from one.
    pub perturb: Option<String>,
    pub quantile_definition: &'static str,
    pub label_rule: &'static str,
    /// How draws are generated, in words.
    pub sampling: String,
    pub inputs: Vec<InputInfo>,
    pub issues: Vec<IssueSummary>,
    pub sensitivity: Option<Sensitivity>,
    pub tornado: Option<Vec<TornadoIssue>>,
}

/// Sobol indices of every input reaching an issue, per model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    pub method: String,
    pub n: usize,
    pub bootstrap: usize,
    pub level: f64,
    pub seed: u64,
    /// Model runs spent (n(d + 2) per issue and model).
    pub evaluations: u64,
    pub issues: Vec<SensitivityIssue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityIssue {
    pub issue: String,
    pub models: Vec<SensitivityModel>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityModel {
    pub model: String,
    pub variance: f64,
    /// V = 0: nothing to apportion; every index 0.
    pub constant: bool,
    pub indices: Vec<NamedIndex>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedIndex {
    pub input: String,
    #[serde(flatten)]
    pub index: SobolIndex,
}

/// One-at-a-time swings on one issue, per model, largest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoIssue {
    pub issue: String,
    pub models: Vec<TornadoModel>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoModel {
    pub model: String,
    /// Forecast with every input at its point value.
    pub base: f64,
    pub rows: Vec<TornadoRow>,
}

/// The forecast with one input at its `lo` and at its `hi`, all others at
/// their point values; `swing = |forecast_hi − forecast_lo|`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoRow {
    pub input: String,
    pub lo: f64,
    pub hi: f64,
    pub forecast_lo: f64,
    pub forecast_hi: f64,
    pub swing: f64,
}

impl SpatialSweep {
    /// A sweep over declared uncertain inputs. Checks: every issue is
    /// one-dimensional with a valid actor map; models have distinct names;
    /// every input names an existing actor (and issue, on which the actor
    /// has a stance), appears once, and its range stays inside what the
    /// field allows (the issue's scale, [0, 1], ≥ 0); at least one input.
    pub fn new(
        actors: Vec<String>,
        issues: Vec<Issue>,
        models: Vec<ModelSpec>,
        inputs: Vec<UncertainInput>,
    ) -> Result<Self, SweepError> {
        if inputs.is_empty() {
            return Err(SweepError::NoUncertainty);
        }
        Self::build(actors, issues, models, inputs, None)
    }

    /// A sweep whose inputs are a stated blanket perturbation of every
    /// capability, position and salience ([`Perturb`]); inputs whose range
    /// would be empty stay fixed.
    pub fn perturbed(
        actors: Vec<String>,
        issues: Vec<Issue>,
        models: Vec<ModelSpec>,
        perturb: Perturb,
    ) -> Result<Self, SweepError> {
        let inputs = perturb_inputs(&actors, &issues, &perturb)?;
        if inputs.is_empty() {
            return Err(SweepError::NoUncertainty);
        }
        Self::build(actors, issues, models, inputs, Some(perturb))
    }

    fn build(
        actors: Vec<String>,
        issues: Vec<Issue>,
        models: Vec<ModelSpec>,
        inputs: Vec<UncertainInput>,
        perturb: Option<Perturb>,
    ) -> Result<Self, SweepError> {
        if models.is_empty() {
            return Err(SweepError::NoModel);
        }
        for (m, spec) in models.iter().enumerate() {
            if models[..m].iter().any(|o| o.name() == spec.name()) {
                return Err(SweepError::DuplicateModel(spec.name().into()));
            }
        }
        for is in &issues {
            let bad = |message: String| SweepError::Issue {
                issue: is.id.clone(),
                message,
            };
            if is.problem.n_dims() != 1 {
                return Err(bad(format!(
                    "expected a one-dimensional problem, got {} dimensions",
                    is.problem.n_dims()
                )));
            }
            if is.actors.len() != is.problem.n_actors() {
                return Err(bad(format!(
                    "{} actor indices for {} actors",
                    is.actors.len(),
                    is.problem.n_actors()
                )));
            }
            if let Some(&a) = is.actors.iter().find(|&&a| a >= actors.len()) {
                return Err(bad(format!("actor index {a} out of range")));
            }
            if issues.iter().filter(|o| o.id == is.id).count() > 1 {
                return Err(bad("listed twice".into()));
            }
        }
        let mut slots: Vec<Vec<Slot>> = vec![Vec::new(); issues.len()];
        for (index, inp) in inputs.iter().enumerate() {
            let bad = |message: String| SweepError::Target { index, message };
            let t = inp.target;
            if t.actor() >= actors.len() {
                return Err(bad(format!("actor index {} out of range", t.actor())));
            }
            if inputs[..index].iter().any(|o| o.target == t) {
                return Err(bad(format!(
                    "{} is given twice",
                    name_of(&actors, &issues, t)
                )));
            }
            let what = name_of(&actors, &issues, t);
            let bounds = |min: f64, max: f64| -> Result<(), SweepError> {
                if inp.lo < min || inp.hi > max {
                    return Err(InputError::OutOfBounds {
                        what: what.clone(),
                        lo: inp.lo,
                        hi: inp.hi,
                        min,
                        max,
                    }
                    .into());
                }
                Ok(())
            };
            match t {
                Target::Capability { actor } => {
                    bounds(0.0, f64::MAX)?;
                    for (j, is) in issues.iter().enumerate() {
                        if let Some(local) = is.actors.iter().position(|&a| a == actor) {
                            slots[j].push(Slot {
                                input: index,
                                local,
                                target: t,
                            });
                        }
                    }
                }
                Target::Position { actor, issue } | Target::Salience { actor, issue } => {
                    let is = issues
                        .get(issue)
                        .ok_or_else(|| bad(format!("issue index {issue} out of range")))?;
                    let local = is.actors.iter().position(|&a| a == actor).ok_or_else(|| {
                        bad(format!(
                            "actor `{}` has no stance on issue `{}`",
                            actors[actor], is.id
                        ))
                    })?;
                    let d = &is.problem.dims()[0];
                    if matches!(t, Target::Position { .. }) {
                        bounds(d.min, d.max)?;
                    } else {
                        bounds(0.0, 1.0)?;
                    }
                    slots[issue].push(Slot {
                        input: index,
                        local,
                        target: t,
                    });
                }
            }
        }
        Ok(SpatialSweep {
            actors,
            issues,
            models,
            inputs,
            perturb,
            slots,
        })
    }

    pub fn inputs(&self) -> &[UncertainInput] {
        &self.inputs
    }
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }
    pub fn models(&self) -> &[ModelSpec] {
        &self.models
    }
    pub fn actors(&self) -> &[String] {
        &self.actors
    }
    pub fn perturb(&self) -> Option<&Perturb> {
        self.perturb.as_ref()
    }

    /// `actor.capability`, `actor.position.issue` or `actor.salience.issue`.
    pub fn input_name(&self, i: usize) -> String {
        name_of(&self.actors, &self.issues, self.inputs[i].target)
    }

    /// Every input as reported.
    pub fn input_info(&self) -> Vec<InputInfo> {
        self.inputs
            .iter()
            .enumerate()
            .map(|(i, inp)| InputInfo {
                name: self.input_name(i),
                actor: self.actors[inp.target.actor()].clone(),
                field: inp.target.field().into(),
                issue: inp.target.issue().map(|j| self.issues[j].id.clone()),
                point: inp.point,
                lo: inp.lo,
                hi: inp.hi,
                distribution: inp.distribution,
            })
            .collect()
    }

    fn point_values(&self) -> Vec<f64> {
        self.inputs.iter().map(|i| i.point).collect()
    }

    /// Every model's forecast on issue `j` with the inputs at `values`
    /// (one value per input, in input order). `smp_seed` replaces the seed
    /// of stochastic SMP runs.
    fn eval_issue(
        &self,
        j: usize,
        values: &[f64],
        smp_seed: Option<u64>,
        context: &dyn Fn() -> String,
        out: &mut Vec<f64>,
    ) -> Result<(), SweepError> {
        let is = &self.issues[j];
        let p = &is.problem;
        let mut cap = p.capability().to_vec();
        let mut pos = p.position().to_vec();
        let mut sal = p.salience().to_vec();
        for s in &self.slots[j] {
            let v = values[s.input];
            match s.target {
                Target::Capability { .. } => cap[s.local] = v,
                Target::Position { .. } => pos[s.local][0] = v,
                Target::Salience { .. } => sal[s.local][0] = v,
            }
        }
        let err = |model: &str, source| SweepError::Model {
            context: context(),
            issue: is.id.clone(),
            model: model.into(),
            source: Box::new(source),
        };
        let q = Problem::new(p.actors().to_vec(), cap, p.dims().to_vec(), pos, sal)
            .map_err(|e| err("(problem)", e))?;
        for spec in &self.models {
            let f = match (spec, smp_seed) {
                (ModelSpec::Smp(o), Some(seed))
                    if o.transitions == negotium_spatial::smp::StateTransitions::Stochastic =>
                {
                    let mut o = o.clone();
                    o.seed = seed;
                    negotium_spatial::forecast(&q, &ModelSpec::Smp(o))
                }
                _ => negotium_spatial::forecast(&q, spec),
            }
            .map_err(|e| err(spec.name(), e))?;
            out.push(f[0]);
        }
        Ok(())
    }

    /// Draw `k` (see the module documentation).
    pub fn draw(&self, seed: u64, k: u64) -> Result<Draw, SweepError> {
        let mut rng = stream(seed, Purpose::Draw, k);
        let inputs: Vec<f64> = self
            .inputs
            .iter()
            .map(|inp| inp.quantile(unit(&mut rng)))
            .collect();
        let smp_seed = rng.next_u64();
        let mut forecasts = Vec::with_capacity(self.issues.len() * self.models.len());
        for j in 0..self.issues.len() {
            self.eval_issue(
                j,
                &inputs,
                Some(smp_seed),
                &|| format!("draw {k}"),
                &mut forecasts,
            )?;
        }
        Ok(Draw {
            index: k,
            inputs,
            forecasts,
        })
    }

    fn check_size(&self, draws: u64) -> Result<(), SweepError> {
        if draws > MAX_DRAWS {
            return Err(SweepError::TooLarge {
                what: "draws".into(),
                got: draws,
                max: MAX_DRAWS,
            });
        }
        let cells = draws * (self.issues.len() * self.models.len() + self.inputs.len()) as u64;
        if cells > MAX_CELLS {
            return Err(SweepError::TooLarge {
                what: "draws × (issues × models + inputs)".into(),
                got: cells,
                max: MAX_CELLS,
            });
        }
        Ok(())
    }

    /// Draws `range` (e.g. `a..b` for one shard), in index order, computed
    /// on the current rayon pool. Bit for bit the same draws as the same
    /// indices of any other block or of a full run, on any pool.
    pub fn run_block(&self, seed: u64, range: Range<u64>) -> Result<Vec<Draw>, SweepError> {
        self.run_block_with(seed, range, &|_| {})
    }

    /// [`run_block`](Self::run_block), calling `progress(done)` after each
    /// draw with the number of draws of the block finished so far (from
    /// several threads; for a progress bar).
    pub fn run_block_with(
        &self,
        seed: u64,
        range: Range<u64>,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Vec<Draw>, SweepError> {
        self.check_size(range.end.saturating_sub(range.start))?;
        let done = AtomicU64::new(0);
        // Collected in full, then the first failing draw in index order is
        // reported: the same error whatever the thread count.
        let all: Vec<Result<Draw, SweepError>> = range
            .into_par_iter()
            .map(|k| {
                let d = self.draw(seed, k);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                d
            })
            .collect();
        all.into_iter().collect()
    }

    /// Forecasts of every model on every issue with all inputs at their
    /// point values (`[issue * n_models + model]`).
    pub fn point_forecasts(&self) -> Result<Vec<f64>, SweepError> {
        let v = self.point_values();
        let mut out = Vec::new();
        for j in 0..self.issues.len() {
            self.eval_issue(j, &v, None, &|| "point values".into(), &mut out)?;
        }
        Ok(out)
    }

    /// Summarises draws `0..n` (in index order, as from
    /// `run_block(seed, 0..n)` or [`merge_blocks`]) into the report
    /// (sensitivity and tornado left empty).
    pub fn summarise(&self, seed: u64, draws: &[Draw]) -> Result<SweepReport, SweepError> {
        if draws.is_empty() {
            return Err(SweepError::Draws("no draws".into()));
        }
        let nf = self.issues.len() * self.models.len();
        for (i, d) in draws.iter().enumerate() {
            if d.index != i as u64 {
                return Err(SweepError::Draws(format!(
                    "expected draws 0..{} in order, found draw {} at position {i}",
                    draws.len(),
                    d.index
                )));
            }
            if d.forecasts.len() != nf || d.inputs.len() != self.inputs.len() {
                return Err(SweepError::Draws(format!(
                    "draw {i} does not belong to this sweep (wrong shape)"
                )));
            }
        }
        let point = self.point_forecasts()?;
        let nm = self.models.len();
        let issues = self
            .issues
            .iter()
            .enumerate()
            .map(|(j, is)| IssueSummary {
                issue: is.id.clone(),
                models: self
                    .models
                    .iter()
                    .enumerate()
                    .map(|(m, spec)| {
                        let sample: Vec<f64> =
                            draws.iter().map(|d| d.forecasts[j * nm + m]).collect();
                        let (mean, std) = mean_std(&sample);
                        ModelSummary {
                            model: spec.name().into(),
                            point: point[j * nm + m],
                            quantiles: Quantiles::of(&sample),
                            mean,
                            std,
                            min: sample.iter().copied().fold(f64::INFINITY, f64::min),
                            max: sample.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                            label_probabilities: label_probabilities(&is.labels, &sample),
                        }
                    })
                    .collect(),
            })
            .collect();
        Ok(SweepReport {
            seed,
            draws: draws.len() as u64,
            perturb: self.perturb.map(|p| p.to_string()),
            quantile_definition: QUANTILE_DEFINITION,
            label_rule: LABEL_RULE,
            sampling: format!(
                "Monte Carlo: draw k takes one uniform per input (in input order) from its own \
                 ChaCha8 stream keyed by (seed {seed}, k), mapped through each input's inverse \
                 CDF; inputs are independent. Results are identical for any thread count or \
                 split of the draws into blocks."
            ),
            inputs: self.input_info(),
            issues,
            sensitivity: None,
            tornado: None,
        })
    }

    /// Draws `0..n` and their summary.
    pub fn run(&self, seed: u64, n: u64) -> Result<(Vec<Draw>, SweepReport), SweepError> {
        let draws = self.run_block(seed, 0..n)?;
        let report = self.summarise(seed, &draws)?;
        Ok((draws, report))
    }

    /// Sobol indices of every input reaching each issue, per model (see
    /// [`crate::sobol`]). Each issue has its own design over just the
    /// inputs that reach it (inputs elsewhere cannot move its forecasts), so
    /// an issue with d such inputs costs n(d + 2) evaluations of every
    /// model. Models keep their own seeds here, so every forecast is a
    /// deterministic function of the inputs.
    pub fn sensitivity(&self, opts: &SobolOptions) -> Result<Sensitivity, SweepError> {
        if !(opts.level > 0.0 && opts.level < 1.0) || opts.n < 2 {
            return Err(SweepError::Options(format!(
                "expected n ≥ 2 and a level in (0, 1), got n = {} and level {}",
                opts.n, opts.level
            )));
        }
        let nm = self.models.len();
        let mut evaluations = 0u64;
        let mut issues = Vec::with_capacity(self.issues.len());
        for (j, is) in self.issues.iter().enumerate() {
            let slots = &self.slots[j];
            let d = slots.len();
            let work = (opts.n as u64) * (d as u64 + 2);
            self.check_size(work)?;
            let base = self.point_values();
            let f = |u: &[f64]| -> Result<Vec<f64>, SweepError> {
                let mut v = base.clone();
                for (t, s) in slots.iter().enumerate() {
                    v[s.input] = self.inputs[s.input].quantile(u[t]);
                }
                let mut out = Vec::with_capacity(nm);
                self.eval_issue(j, &v, None, &|| "sensitivity".into(), &mut out)?;
                Ok(out)
            };
            let models = if d == 0 {
                Vec::new()
            } else {
                evaluations += work * nm as u64;
                let ev = evaluate(d, nm, opts.n, opts.seed, j as u64, &f)?;
                (0..nm)
                    .map(|m| {
                        let oi = ev.indices(m, opts, (j * nm + m) as u64);
                        SensitivityModel {
                            model: self.models[m].name().into(),
                            variance: oi.variance,
                            constant: oi.constant,
                            indices: slots
                                .iter()
                                .zip(oi.indices)
                                .map(|(s, index)| NamedIndex {
                                    input: self.input_name(s.input),
                                    index,
                                })
                                .collect(),
                        }
                    })
                    .collect()
            };
            issues.push(SensitivityIssue {
                issue: is.id.clone(),
                models,
            });
        }
        Ok(Sensitivity {
            method: format!(
                "Saltelli sampling with pseudo-random rows (ChaCha8, seed {}); first order by \
                 Saltelli et al. (2010), total effect by Jansen (1999), V over f_A ∪ f_B; \
                 {}% percentile bootstrap intervals from {} resamples of the {} rows",
                opts.seed,
                opts.level * 100.0,
                opts.bootstrap,
                opts.n
            ),
            n: opts.n,
            bootstrap: opts.bootstrap,
            level: opts.level,
            seed: opts.seed,
            evaluations,
            issues,
        })
    }

    /// One-at-a-time swings: for every input reaching an issue, every
    /// model's forecast with that input at `lo` and at `hi` and all others
    /// at their point values; rows sorted by swing, largest first (ties in
    /// input order).
    pub fn tornado(&self) -> Result<Vec<TornadoIssue>, SweepError> {
        let nm = self.models.len();
        let base_v = self.point_values();
        let mut out = Vec::with_capacity(self.issues.len());
        for (j, is) in self.issues.iter().enumerate() {
            let mut base = Vec::with_capacity(nm);
            self.eval_issue(j, &base_v, None, &|| "tornado".into(), &mut base)?;
            let ends: Vec<(Vec<f64>, Vec<f64>)> = self.slots[j]
                .par_iter()
                .map(|s| {
                    let inp = &self.inputs[s.input];
                    let at = |x: f64| -> Result<Vec<f64>, SweepError> {
                        let mut v = base_v.clone();
                        v[s.input] = x;
                        let mut o = Vec::with_capacity(nm);
                        self.eval_issue(j, &v, None, &|| "tornado".into(), &mut o)?;
                        Ok(o)
                    };
                    Ok((at(inp.lo)?, at(inp.hi)?))
                })
                .collect::<Result<_, SweepError>>()?;
            let models = (0..nm)
                .map(|m| {
                    let mut rows: Vec<TornadoRow> = self.slots[j]
                        .iter()
                        .zip(&ends)
                        .map(|(s, (lo, hi))| TornadoRow {
                            input: self.input_name(s.input),
                            lo: self.inputs[s.input].lo,
                            hi: self.inputs[s.input].hi,
                            forecast_lo: lo[m],
                            forecast_hi: hi[m],
                            swing: (hi[m] - lo[m]).abs(),
                        })
                        .collect();
                    rows.sort_by(|a, b| b.swing.total_cmp(&a.swing));
                    TornadoModel {
                        model: self.models[m].name().into(),
                        base: base[m],
                        rows,
                    }
                })
                .collect();
            out.push(TornadoIssue {
                issue: is.id.clone(),
                models,
            });
        }
        Ok(out)
    }

    /// The labelled point nearest to a forecast of issue `j` (tie rule
    /// [`LABEL_RULE`]).
    pub fn nearest_label(&self, j: usize, x: f64) -> Option<&str> {
        let l = &self.issues[j].labels;
        nearest_label(l, x).map(|i| l[i].label.as_str())
    }
}

fn name_of(actors: &[String], issues: &[Issue], t: Target) -> String {
    let a = actors.get(t.actor()).map_or("?", |s| s.as_str());
    match t.issue() {
        None => format!("{a}.{}", t.field()),
        Some(j) => format!(
            "{a}.{}.{}",
            t.field(),
            issues.get(j).map_or("?", |i| i.id.as_str())
        ),
    }
}

/// The inputs of a blanket perturbation: every actor's capability (taken
/// from the first issue it appears in; an actor's capability must be the
/// same in every issue), then per issue every actor's position and salience.
fn perturb_inputs(
    actors: &[String],
    issues: &[Issue],
    p: &Perturb,
) -> Result<Vec<UncertainInput>, SweepError> {
    let mut out = Vec::new();
    for (a, name) in actors.iter().enumerate() {
        let mut cap: Option<f64> = None;
        for is in issues {
            if let Some(l) = is.actors.iter().position(|&x| x == a) {
                let c = is.problem.capability()[l];
                match cap {
                    None => cap = Some(c),
                    Some(c0) if c0 != c => {
                        return Err(SweepError::Issue {
                            issue: is.id.clone(),
                            message: format!(
                                "actor `{name}` has capability {c} here but {c0} elsewhere"
                            ),
                        })
                    }
                    _ => {}
                }
            }
        }
        if let Some((c, (lo, hi))) = cap.and_then(|c| p.capability_range(c).map(|r| (c, r))) {
            out.push(UncertainInput::new(
                &format!("{name}.capability"),
                Target::Capability { actor: a },
                c,
                (lo, hi),
                p.distribution,
            )?);
        }
    }
    for (j, is) in issues.iter().enumerate() {
        let d = &is.problem.dims()[0];
        for (l, &a) in is.actors.iter().enumerate() {
            let x = is.problem.position()[l][0];
            if let Some(r) = p.position_range(x, d.min, d.max) {
                out.push(UncertainInput::new(
                    &format!("{}.position.{}", actors[a], is.id),
                    Target::Position { actor: a, issue: j },
                    x,
                    r,
                    p.distribution,
                )?);
            }
            let s = is.problem.salience()[l][0];
            if let Some(r) = p.salience_range(s) {
                out.push(UncertainInput::new(
                    &format!("{}.salience.{}", actors[a], is.id),
                    Target::Salience { actor: a, issue: j },
                    s,
                    r,
                    p.distribution,
                )?);
            }
        }
    }
    Ok(out)
}

/// Concatenates blocks of draws (e.g. from shards) into index order,
/// checking that together they are exactly draws `0..n`, each once.
pub fn merge_blocks(blocks: Vec<Vec<Draw>>) -> Result<Vec<Draw>, SweepError> {
    let mut all: Vec<Draw> = blocks.into_iter().flatten().collect();
    all.sort_by_key(|d| d.index);
    for (i, d) in all.iter().enumerate() {
        if d.index != i as u64 {
            return Err(SweepError::Draws(format!(
                "blocks do not cover draws 0..{} exactly once: draw {} where {i} was expected",
                all.len(),
                d.index
            )));
        }
    }
    Ok(all)
}
