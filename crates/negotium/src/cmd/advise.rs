//! `negotium advise`: what one actor could change (its own position and
//! salience) and whom it should persuade, per issue and spatial model, and
//! which commitments or coalitions would change its GMCR equilibria.

use clap::Args;
use negotium_analysis::advise::{self, AdviseParams};

#[derive(Args, Debug)]
pub struct AdviseArgs {
    /// Built-in scenario id or scenario file (default: kosovo-status).
    pub scenario: Option<String>,
    /// The actor advised (its id).
    #[arg(long)]
    pub actor: String,
    /// Only these issues (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub issue: Vec<String>,
    /// Spatial models (comma-separated; default all five).
    #[arg(long, value_delimiter = ',')]
    pub model: Vec<String>,
    /// Search the whole scale even where the stance declares ranges.
    #[arg(long)]
    pub whole_scale: bool,
    /// Grid points per axis of the search.
    #[arg(long, default_value_t = 21)]
    pub grid: usize,
    /// GMCR concept defining an equilibrium in the conflict advice
    /// (nash, gmr, smr, seq, sim, seq_sim).
    #[arg(long, default_value = "seq")]
    pub concept: String,
    /// Read the stances and capabilities in force on this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: AdviseArgs) -> anyhow::Result<()> {
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    let params = AdviseParams {
        issue: a.issue.clone(),
        model: a.model.clone(),
        whole_scale: a.whole_scale,
        grid: a.grid,
        concept: a.concept.clone(),
        as_of: a.as_of.clone(),
        ..AdviseParams::new(a.actor.clone())
    };
    let r = advise::run(&loaded, &params).map_err(super::lens)?;
    super::print(a.json, &r, || negotium_report::advise::render(&r, &params))
}
