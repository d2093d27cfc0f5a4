//! Placeholder.
use clap::Args;
#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Scenario.
    pub scenario: Option<String>,
}
pub fn run(_a: AnalyzeArgs) -> anyhow::Result<()> { anyhow::bail!("not implemented yet") }
