//! `negotium replay`: the forecasts at every dated stance or capability change.

use std::path::PathBuf;

use clap::Args;
use negotium_analysis::replay::{self, ReplayParams};

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// Built-in scenario id or scenario file (default: kosovo-status).
    pub scenario: Option<String>,
    /// Models, comma-separated (default: median,compromise,nash,eum,smp; also exchange).
    #[arg(long, value_delimiter = ',')]
    pub model: Vec<String>,
    /// Only these issues (comma-separated ids; default: all).
    #[arg(long, value_delimiter = ',')]
    pub issue: Vec<String>,
    /// Only dates on or after this one (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only dates on or before this one (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Seed for any random choice (the same at every date).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Also write an SVG line chart of the forecasts by date (one file per
    /// issue: FILE itself for one issue, FILE's stem + `-<issue>.svg` for several).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<PathBuf>,
    /// Print the replay as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: ReplayArgs) -> anyhow::Result<()> {
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    let params = ReplayParams {
        model: a.model,
        issue: a.issue,
        seed: a.seed,
        from: a.from,
        to: a.to,
    };
    let r = replay::run(&loaded, &params).map_err(super::lens)?;
    if let Some(path) = &a.svg {
        let one = r.issues.len() == 1;
        for is in &r.issues {
            let file = if one {
                path.clone()
            } else {
                let stem = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("replay");
                path.with_file_name(format!("{stem}-{}.svg", is.issue))
            };
            let svg = negotium_report::replay::chart(&r, &is.issue).unwrap_or_default();
            std::fs::write(&file, svg)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
            eprintln!("wrote {}", file.display());
        }
    }
    super::print(a.json, &r, || negotium_report::replay::render(&r))
}
