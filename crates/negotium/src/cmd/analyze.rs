//! `negotium analyze`: every lens a scenario supports, as one readable report.

use clap::Args;
use negotium_analysis::analyze::{self, AnalyzeParams};

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Built-in scenario id or scenario file (default: kosovo-status).
    pub scenario: Option<String>,
    /// Seed for any random choice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Read the stances and capabilities in force on this date (YYYY-MM-DD;
    /// default: the scenario's as_of).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Every lens's full tables after the verdict (round-by-round
    /// trajectories, the option form, every member and event).
    #[arg(long)]
    pub detail: bool,
    /// Draws of a small uncertainty sweep of the spatial forecasts over the
    /// scenario's declared ranges, seeded with --seed (0: none); the HTML
    /// report then has an "Uncertainty" section (fan charts, label
    /// probabilities). Default: 1000 with --html (as `negotium report`),
    /// else 0.
    #[arg(long, value_name = "N")]
    pub draws: Option<u64>,
    /// Print every lens's result as one JSON object (the verdict, then each
    /// lens in its own `--json` contract: `forecast`, `conflict`, `power`,
    /// `negotiate`, `pareto`, `history`, `replay`, `uncertainty`).
    #[arg(long)]
    pub json: bool,
    /// Also write the report as one self-contained HTML page (the verdict,
    /// a chart per lens with every lens's detail folded below it, the
    /// glossary) to this file; `negotium report -o FILE` writes the same page.
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,
}

pub fn run(a: AnalyzeArgs) -> anyhow::Result<()> {
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    let params = AnalyzeParams {
        seed: a.seed,
        as_of: a.as_of.clone(),
        detail: a.detail,
        draws: a.draws.unwrap_or(if a.html.is_some() {
            super::report::DRAWS
        } else {
            0
        }),
        ..AnalyzeParams::default()
    };
    let r = analyze::run(&loaded, &params).map_err(super::lens)?;
    if let Some(path) = &a.html {
        let page = super::report::html_page(&loaded, &r, &params)?;
        super::report::write_atomic(path, page.as_bytes())?;
        eprintln!("wrote {} ({} bytes)", path.display(), page.len());
    }
    super::print(a.json, &r, || {
        let mut text = negotium_report::analyze::render(&r, &params);
        text.push_str(&negotium_report::dated::render(r.timeline.as_ref()));
        text
    })
}
