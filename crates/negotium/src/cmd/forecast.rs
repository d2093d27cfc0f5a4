//! `negotium forecast`: the spatial forecasting models.

use clap::Args;
use negotium_scenario::spatial::{ForecastReport, ForecastRequest};
use negotium_scenario::Loaded;
use negotium_spatial::{EumOptions, ModelSpec, NashOptions, SmpOptions};

use super::input_error;

/// Every model, in report order.
pub const ALL_MODELS: &str = "median,compromise,nash,eum,smp";

#[derive(Args, Debug, Clone)]
pub struct ForecastArgs {
    /// Built-in scenario id, a scenario file (.toml/.json), or a KTAB SMP CSV (default: kosovo-status).
    pub scenario: Option<String>,
    /// Only these issues (comma-separated ids; default: all).
    #[arg(long, value_delimiter = ',')]
    pub issue: Vec<String>,
    /// Models to run, comma-separated: median, compromise, nash, eum, smp.
    #[arg(long, value_delimiter = ',', default_value = ALL_MODELS)]
    pub model: Vec<String>,
    /// Rounds of the expected-utility model, and the upper bound on SMP rounds.
    #[arg(long)]
    pub rounds: Option<usize>,
    /// Run the SMP over the selected issues as one multi-dimensional space
    /// (it then bargains over all of them at once, as KTAB does with several
    /// dimensions); the other models are separable and run issue by issue.
    #[arg(long)]
    pub joint: bool,
    /// Seed for any random choice (reported in the assumptions).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Print the forecast as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Turns model names into specs with options from the flags.
pub fn specs(a: &ForecastArgs) -> anyhow::Result<Vec<ModelSpec>> {
    let mut out = Vec::new();
    for m in &a.model {
        let spec = match m.trim() {
            "median" => ModelSpec::Median,
            "compromise" => ModelSpec::Compromise,
            "nash" => ModelSpec::Nash(NashOptions::default()),
            "eum" => {
                let mut o = EumOptions::default();
                if let Some(r) = a.rounds {
                    o.rounds = r;
                }
                ModelSpec::Eum(o)
            }
            "smp" => {
                let mut o = SmpOptions {
                    seed: a.seed,
                    ..SmpOptions::default()
                };
                if let Some(r) = a.rounds {
                    o.max_rounds = r;
                }
                ModelSpec::Smp(o)
            }
            other => {
                return Err(input_error(format!(
                    "--model: unknown model `{other}`; expected one or more of {ALL_MODELS}"
                )))
            }
        };
        out.push(spec);
    }
    if a.rounds == Some(0) {
        return Err(input_error("--rounds: expected at least 1"));
    }
    Ok(out)
}

/// Loads the scenario and runs the requested models.
pub fn compute(a: &ForecastArgs) -> anyhow::Result<ForecastReport> {
    compute_loaded(&super::load_scenario(a.scenario.as_deref())?, a)
}

/// Runs the requested models on a loaded scenario.
pub fn compute_loaded(loaded: &Loaded, a: &ForecastArgs) -> anyhow::Result<ForecastReport> {
    let s = &loaded.scenario;
    for id in &a.issue {
        if s.issue(id).is_none() {
            return Err(input_error(format!(
                "--issue: unknown issue `{id}` in {}; expected one of {}",
                loaded.source_name,
                s.inputs
                    .issues
                    .iter()
                    .map(|i| i.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let req = ForecastRequest {
        issues: a.issue.clone(),
        models: specs(a)?,
        joint: a.joint,
    };
    Ok(negotium_scenario::spatial::forecast(s, &req)?)
}

pub fn run(a: ForecastArgs) -> anyhow::Result<()> {
    let report = compute(&a)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", negotium_report::forecast::render(&report));
    }
    Ok(())
}
