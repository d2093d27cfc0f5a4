//! `negotium forecast`: the spatial forecasting models.

use clap::Args;
use negotium_analysis::forecast::{self, ForecastParams};

#[derive(Args, Debug, Clone)]
pub struct ForecastArgs {
    /// Built-in scenario id, a scenario file (.toml/.json), or a KTAB SMP CSV (default: kosovo-status).
    pub scenario: Option<String>,
    /// Only these issues (comma-separated ids; default: all).
    #[arg(long, value_delimiter = ',')]
    pub issue: Vec<String>,
    /// Models to run, comma-separated: median, compromise, nash, eum, smp,
    /// exchange (Stokman's exchange model, jointly over the selected issues).
    /// Default: the first five; a default model above its size limit (the
    /// SMP's 250 actors per issue) is left out with a note, one named here
    /// is refused (exit 3) before any work.
    #[arg(long, value_delimiter = ',')]
    pub model: Vec<String>,
    /// Rounds of the expected-utility model, and the upper bound on SMP rounds
    /// (at most 10,000; above exits 3).
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
    /// Read the stances and capabilities in force on this date (YYYY-MM-DD;
    /// default: the scenario's as_of); the text lists the dated inputs applied.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Exchange model: random-rate variant with this p in [0, 1] (seeded).
    #[arg(long, value_name = "P")]
    pub exchange_random: Option<f64>,
    /// Print the forecast as JSON.
    #[arg(long)]
    pub json: bool,
}

impl ForecastArgs {
    pub fn params(&self) -> ForecastParams {
        ForecastParams {
            model: self.model.clone(),
            issue: self.issue.clone(),
            rounds: self.rounds,
            joint: self.joint,
            seed: self.seed,
            as_of: self.as_of.clone(),
            exchange_random: self.exchange_random,
        }
    }
}

pub fn run(a: ForecastArgs) -> anyhow::Result<()> {
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    let report = forecast::run(&loaded, &a.params()).map_err(super::lens)?;
    super::print(a.json, &report, || {
        negotium_report::forecast::render(&report)
    })
}
