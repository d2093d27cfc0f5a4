//! Placeholder.
use clap::Args;
#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Scenario.
    pub scenario: Option<String>,
}
pub fn run(_a: ValidateArgs) -> anyhow::Result<()> { anyhow::bail!("not implemented yet") }
