//! Placeholder.
use clap::Args;
#[derive(Args, Debug)]
pub struct ForecastArgs {
    /// Scenario.
    pub scenario: Option<String>,
}
pub fn run(_a: ForecastArgs) -> anyhow::Result<()> { anyhow::bail!("not implemented yet") }
