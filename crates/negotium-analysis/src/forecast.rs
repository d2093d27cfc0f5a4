//! The spatial forecast lens: median voter, compromise, Nash bargaining,
//! expected utility and SMP models, per issue (or the SMP over several issues
//! at once), and the exchange model over all the issues jointly, scored
//! against the recorded outcome when there is one; at the scenario's `as_of`
//! or at another date.

use negotium_scenario::spatial::{ForecastError, ForecastRequest, MapError};
use negotium_scenario::Loaded;
use negotium_spatial::exchange::ExchangeRate;
use negotium_spatial::{
    EumOptions, ExchangeOptions, ModelSpec, NashOptions, SmpOptions, SpatialError,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::cap;
use crate::params::{comma_list, comma_list_schema, opt_int, opt_number, opt_text, LenientInt};
use crate::AnalysisError;

/// The default models, in report order: every model but the exchange model,
/// which trades between issues and is asked for by name.
pub const ALL_MODELS: [&str; 5] = ["median", "compromise", "nash", "eum", "smp"];

/// Every model a lens may name: the defaults and `exchange`.
pub const MODELS: [&str; 6] = ["median", "compromise", "nash", "eum", "smp", "exchange"];

/// The most rounds a forecast may ask for (the SMP's own cap).
pub const MAX_ROUNDS: usize = 10_000;

/// Parameters of `negotium forecast`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ForecastParams {
    /// Models to run, in report order: median, compromise, nash, eum, smp,
    /// exchange (empty: the first five; the exchange model runs jointly over
    /// the selected issues and lists its exchanges in `exchange`).
    #[serde(alias = "models", deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub model: Vec<String>,
    /// Only these issues (ids; empty: every issue).
    #[serde(alias = "issues", deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub issue: Vec<String>,
    /// Rounds of the expected-utility model, and the upper bound on SMP
    /// rounds (default: each model's own; 1 to 10000).
    #[serde(deserialize_with = "opt_int")]
    #[schemars(with = "Option<LenientInt>", range(min = 1, max = 10_000))]
    pub rounds: Option<usize>,
    /// Run the SMP over the selected issues as one multi-dimensional space
    /// (it then bargains over all of them at once, as KTAB does with several
    /// dimensions); the other models are separable and run issue by issue.
    pub joint: bool,
    /// Seed for any random choice (reported in the assumptions).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt")]
    pub seed: u64,
    /// Read the stances and capabilities in force on this date
    /// (`YYYY-MM-DD`; default: the scenario's `as_of`).
    #[serde(deserialize_with = "opt_text")]
    pub as_of: Option<String>,
    /// The exchange model's random-rate variant: p in [0, 1] scales the
    /// random variation of each exchange rate (seeded by `seed`; default:
    /// equal gain).
    #[serde(deserialize_with = "opt_number")]
    pub exchange_random: Option<f64>,
}

impl Default for ForecastParams {
    fn default() -> Self {
        ForecastParams {
            model: ALL_MODELS.iter().map(|m| m.to_string()).collect(),
            issue: Vec::new(),
            rounds: None,
            joint: false,
            seed: 0,
            as_of: None,
            exchange_random: None,
        }
    }
}

/// The forecast of every requested model on every requested issue (the
/// `forecast --json` contract).
pub type ForecastResult = negotium_scenario::spatial::ForecastReport;

/// Turns model names into specs with options from the parameters.
pub fn specs(p: &ForecastParams) -> Result<Vec<ModelSpec>, AnalysisError> {
    let names: Vec<&str> = if p.model.is_empty() {
        ALL_MODELS.to_vec()
    } else {
        p.model.iter().map(|m| m.trim()).collect()
    };
    let mut out = Vec::new();
    for m in names {
        let spec = match m {
            "median" => ModelSpec::Median,
            "compromise" => ModelSpec::Compromise,
            "nash" => ModelSpec::Nash(NashOptions::default()),
            "eum" => {
                let mut o = EumOptions::default();
                if let Some(r) = p.rounds {
                    o.rounds = r;
                }
                ModelSpec::Eum(o)
            }
            "smp" => {
                let mut o = SmpOptions {
                    seed: p.seed,
                    ..SmpOptions::default()
                };
                if let Some(r) = p.rounds {
                    o.max_rounds = r;
                }
                ModelSpec::Smp(o)
            }
            "exchange" => {
                let rate = match p.exchange_random {
                    None => ExchangeRate::EqualGain,
                    Some(x) if x.is_finite() && (0.0..=1.0).contains(&x) => {
                        ExchangeRate::Random { p: x }
                    }
                    Some(x) => {
                        return Err(AnalysisError::param(
                            "exchange_random",
                            format!("expected a number in [0, 1], got {x}"),
                        ))
                    }
                };
                ModelSpec::Exchange(ExchangeOptions {
                    rate,
                    seed: p.seed,
                    ..ExchangeOptions::default()
                })
            }
            other => {
                return Err(AnalysisError::param(
                    "model",
                    format!(
                        "unknown model `{other}`{}; expected one or more of {}",
                        negotium_suggest::did_you_mean(other, MODELS),
                        MODELS.join(",")
                    ),
                ))
            }
        };
        out.push(spec);
    }
    if p.rounds == Some(0) {
        return Err(AnalysisError::param("rounds", "expected at least 1"));
    }
    cap("rounds", p.rounds.unwrap_or(0) as u64, MAX_ROUNDS as u64)?;
    Ok(out)
}

/// Runs the requested models on the scenario.
pub fn run(scenario: &Loaded, params: &ForecastParams) -> Result<ForecastResult, AnalysisError> {
    let scenario = &*crate::dated::at(scenario, params.as_of.as_deref())?;
    let s = &scenario.scenario;
    for id in &params.issue {
        if s.issue(id).is_none() {
            return Err(AnalysisError::param(
                "issue",
                format!(
                    "unknown issue `{id}`{} in {}; expected one of {}",
                    negotium_suggest::did_you_mean(
                        id,
                        s.inputs.issues.iter().map(|i| i.id.as_str())
                    ),
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
    let mut models = specs(params)?;
    if s.inputs.stances.is_empty() {
        return Err(AnalysisError::input(format!(
            "{} has no stances, so there is nothing to forecast",
            scenario.source_name
        )));
    }
    // Model size limits, checked before any work: a model asked for by
    // name is refused (exit 3); a default one is left out, said in the
    // result, and the others run.
    let actors = s
        .inputs
        .issues
        .iter()
        .filter(|i| params.issue.is_empty() || params.issue.contains(&i.id))
        .map(|i| {
            s.inputs
                .stances
                .iter()
                .filter(|st| st.issue == i.id)
                .count()
        })
        .max()
        .unwrap_or(0);
    let mut skipped = Vec::new();
    if actors > negotium_spatial::smp::MAX_ACTORS
        && models.iter().any(|m| matches!(m, ModelSpec::Smp(_)))
    {
        let why = format!(
            "the SMP accepts at most {} actors per issue (its work per turn grows as N³); this forecast has {actors}",
            negotium_spatial::smp::MAX_ACTORS
        );
        if !params.model.is_empty() {
            return Err(AnalysisError::limit(format!(
                "--model smp: {why}; leave smp out"
            )));
        }
        models.retain(|m| !matches!(m, ModelSpec::Smp(_)));
        skipped.push(format!("smp left out: {why}"));
    }
    let req = ForecastRequest {
        issues: params.issue.clone(),
        models,
        joint: params.joint,
    };
    let when = match &params.as_of {
        Some(d) => format!(" as of {d}"),
        None => String::new(),
    };
    let mut r = negotium_scenario::spatial::forecast(s, &req).map_err(|e| {
        forecast_error(e).context(&format!("forecasting {}{when}", scenario.source_name))
    })?;
    r.as_of = params.as_of.clone();
    r.dated_inputs = crate::dated::in_force(scenario, None);
    r.skipped = skipped;
    Ok(r)
}

/// A forecast failure: a scenario that cannot be modelled is bad input, a
/// model refusing a job for its size is a limit, anything else a failure.
pub(crate) fn forecast_error(e: ForecastError) -> AnalysisError {
    let chain = |e: &dyn std::error::Error| {
        let mut s = e.to_string();
        let mut src = e.source();
        while let Some(x) = src {
            s.push_str(&format!(": {x}"));
            src = x.source();
        }
        s
    };
    match &e {
        ForecastError::Map(MapError::UnknownIssue(_))
        | ForecastError::Map(MapError::Spatial { .. }) => AnalysisError::input(chain(&e)),
        ForecastError::Model {
            source: SpatialError::Option { option, message },
            ..
        } if message.contains("limit") || option == "actors" => AnalysisError::limit(chain(&e)),
        ForecastError::Model { .. } | ForecastError::NonFinite { .. } => {
            AnalysisError::failed(chain(&e))
        }
    }
}
