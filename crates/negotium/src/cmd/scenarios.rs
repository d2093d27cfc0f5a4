//! Placeholder.
use clap::Args;
#[derive(Args, Debug)]
pub struct ScenariosArgs {
    /// Scenario.
    pub scenario: Option<String>,
}
pub fn run(_a: ScenariosArgs) -> anyhow::Result<()> { anyhow::bail!("not implemented yet") }
