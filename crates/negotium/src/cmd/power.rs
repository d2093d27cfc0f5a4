//! `negotium power` and `negotium vote`: the institutions and voting lens.

use clap::Args;
use negotium_scenario::Scenario;

#[derive(Args, Debug)]
pub struct PowerArgs {
    /// Built-in scenario id or scenario file.
    pub scenario: Option<String>,
}

#[derive(Args, Debug)]
pub struct VoteArgs {
    /// Built-in scenario id or scenario file.
    pub scenario: Option<String>,
}

pub fn run_power(_args: PowerArgs) -> anyhow::Result<()> {
    anyhow::bail!("the voting lens is not implemented yet")
}

pub fn run_vote(_args: VoteArgs) -> anyhow::Result<()> {
    anyhow::bail!("the voting lens is not implemented yet")
}

/// Appends this lens's part of the `analyze` report (nothing if the scenario has no institutions).
pub fn analyze_section(_scenario: &Scenario, _out: &mut String) -> anyhow::Result<()> {
    Ok(())
}
