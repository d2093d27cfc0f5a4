//! `negotium conflict`: the strategic conflict (GMCR) lens.

use clap::Args;
use negotium_scenario::Scenario;

#[derive(Args, Debug)]
pub struct ConflictArgs {
    /// Built-in scenario id, scenario file, or a gmcr-py `.gmcr` file.
    pub scenario: Option<String>,
}

pub fn run(_args: ConflictArgs) -> anyhow::Result<()> {
    anyhow::bail!("the conflict lens is not implemented yet")
}

/// Appends this lens's part of the `analyze` report (nothing if the scenario has no `[conflict]`).
pub fn analyze_section(_scenario: &Scenario, _out: &mut String) -> anyhow::Result<()> {
    Ok(())
}
