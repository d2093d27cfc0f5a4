//! `negotium backtest`: the spatial models scored on recorded outcomes.

use std::path::PathBuf;

use clap::Args;
use negotium_analysis::backtest::{self, BacktestParams};

#[derive(Args, Debug)]
pub struct BacktestArgs {
    /// A DEU-layout CSV file (`;`-separated), a scenario file with an
    /// `[outcome]`, a directory of scenario files, or a built-in scenario id.
    pub path: PathBuf,
    /// Models, comma-separated (default: median,compromise,nash,eum,smp; also exchange).
    #[arg(long, value_delimiter = ',')]
    pub model: Vec<String>,
    /// Capabilities: equal, shapley-shubik (DEU: the Council's QMV power at
    /// adoption) or a capability file (default: equal for DEU, the scenario's own).
    #[arg(long, value_name = "equal|shapley-shubik|FILE")]
    pub capability: Option<String>,
    /// Sweep draws per labelled issue for the Brier score and calibration (0: none).
    #[arg(long, default_value_t = backtest::DEFAULT_DRAWS)]
    pub draws: u64,
    /// Perturbation of that sweep (position in points of a 0–100 scale).
    #[arg(long, default_value = backtest::DEFAULT_PERTURB)]
    pub perturb: String,
    /// Seed of the sweep (issue i uses seed + i) and of random models.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Print the backtest as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also write the table and the chart as a self-contained HTML page.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}

pub fn run(a: BacktestArgs) -> anyhow::Result<()> {
    let params = BacktestParams {
        model: a.model,
        capability: a.capability,
        draws: a.draws,
        perturb: a.perturb,
        seed: a.seed,
    };
    let r = if a.path.exists() {
        backtest::run_path(&a.path, &params)
    } else {
        // Not a path: a built-in scenario id, else a clear error.
        let id = a.path.to_string_lossy();
        match negotium_scenario::builtin::get(&id) {
            Some(_) => backtest::run(&super::load_scenario(Some(&id))?, &params),
            None => {
                return Err(super::input_error(format!(
                    "{id}: no such file or directory, and not a built-in scenario \
                     (expected a DEU CSV, a scenario file, a directory of them or a built-in id)"
                )))
            }
        }
    }
    .map_err(super::lens)?;
    if let Some(path) = &a.html {
        let page = negotium_report::html::lens_page(
            &format!("Backtest: {}", r.source),
            negotium_report::backtest::section(&r),
            &format!("negotium {}", env!("CARGO_PKG_VERSION")),
        );
        super::report::write_atomic(path, page.as_bytes())?;
    }
    super::print(a.json, &r, || negotium_report::backtest::render(&r))
}
