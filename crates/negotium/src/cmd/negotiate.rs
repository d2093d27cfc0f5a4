//! `negotium negotiate`, `pareto` and `tournament`: the negotiation-protocols lens.

use clap::Args;
use negotium_scenario::Scenario;

#[derive(Args, Debug)]
pub struct NegotiateArgs {
    /// Built-in scenario id, scenario file, or a GENIUS domain directory.
    pub scenario: Option<String>,
}

#[derive(Args, Debug)]
pub struct ParetoArgs {
    /// Built-in scenario id, scenario file, or a GENIUS domain directory.
    pub scenario: Option<String>,
}

#[derive(Args, Debug)]
pub struct TournamentArgs {
    /// Scenarios or GENIUS domain directories.
    pub scenarios: Vec<String>,
}

pub fn run_negotiate(_args: NegotiateArgs) -> anyhow::Result<()> {
    anyhow::bail!("the negotiation lens is not implemented yet")
}

pub fn run_pareto(_args: ParetoArgs) -> anyhow::Result<()> {
    anyhow::bail!("the negotiation lens is not implemented yet")
}

pub fn run_tournament(_args: TournamentArgs) -> anyhow::Result<()> {
    anyhow::bail!("the negotiation lens is not implemented yet")
}

/// Appends this lens's part of the `analyze` report (nothing if the scenario has no `[bargaining]`).
pub fn analyze_section(_scenario: &Scenario, _out: &mut String) -> anyhow::Result<()> {
    Ok(())
}
