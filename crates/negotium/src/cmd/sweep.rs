//! `negotium sweep`: Monte Carlo over a scenario's declared uncertainty
//! through every lens; `--out DIR` writes every draw (CSV and Parquet) and
//! the summary JSON, `--svg DIR` the charts.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use negotium_analysis::sweep::{self, SweepParams};
use negotium_analysis::tournament::Progress;

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// Built-in scenario id or scenario file (default: kosovo-status).
    pub scenario: Option<String>,
    /// Monte Carlo draws (1 to 1,000,000).
    #[arg(long, default_value_t = 1000)]
    pub draws: u64,
    /// Seed of every draw (reported; same seed, same result on any thread count).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Spatial models (comma-separated; default all five).
    #[arg(long, value_delimiter = ',')]
    pub model: Vec<String>,
    /// Only these issues (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub issue: Vec<String>,
    /// Stated perturbation replacing declared spatial ranges, e.g. position=10,salience=0.2,capability=0.2.
    #[arg(long)]
    pub perturb: Option<String>,
    /// Sobol indices with bootstrap intervals (spatial forecasts, equilibria, passes, agreement), and the tornado table.
    #[arg(long)]
    pub sensitivity: bool,
    /// Only the tornado table of the spatial forecasts (two runs per input; no Sobol indices).
    #[arg(long)]
    pub tornado: bool,
    /// Base rows of the Sobol design.
    #[arg(long, default_value_t = sweep::DEFAULT_SOBOL_N)]
    pub sobol_n: usize,
    /// Grow the Sobol design (doubling from --sobol-n) until every total-index interval is at most this wide, e.g. 0.3.
    #[arg(long, value_name = "WIDTH")]
    pub sobol_width: Option<f64>,
    /// The most rows --sobol-width may grow the design to.
    #[arg(long, default_value_t = sweep::DEFAULT_SOBOL_MAX_N)]
    pub sobol_max_n: usize,
    /// Bootstrap replicates of the Sobol intervals.
    #[arg(long, default_value_t = 200)]
    pub bootstrap: usize,
    /// Sharding: first draw of this block (with --block-draws; the JSON then carries the block).
    #[arg(long, default_value_t = 0)]
    pub first_draw: u64,
    /// Sharding: draws in this block.
    #[arg(long)]
    pub block_draws: Option<u64>,
    /// Write draws (CSV and Parquet per table), summary.json and the charts to this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the charts (fan, label probabilities, tornado) as SVG files to this directory.
    #[arg(long)]
    pub svg: Option<PathBuf>,
    /// Read the stances and capabilities in force on this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: SweepArgs) -> anyhow::Result<()> {
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    let mut params = SweepParams {
        draws: a.draws,
        seed: a.seed,
        issue: a.issue.clone(),
        perturb: a.perturb.clone(),
        sensitivity: a.sensitivity,
        tornado: a.tornado,
        sobol_n: a.sobol_n,
        sobol_width: a.sobol_width,
        sobol_max_n: a.sobol_max_n,
        bootstrap: a.bootstrap,
        first_draw: a.first_draw,
        block_draws: a.block_draws,
        as_of: a.as_of.clone(),
        ..Default::default()
    };
    if !a.model.is_empty() {
        params.model = a.model.clone();
    }
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} draws, {eta} left")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    let progress = |p: Progress| {
        if let Some(b) = &bar {
            if p.done == 0 {
                b.set_length(p.total);
            } else {
                b.inc(1);
            }
        }
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let r = if a.out.is_some() && params.block_draws.is_none() {
        let block = sweep::run_block(&loaded, &params, &progress).map_err(super::lens)?;
        let r =
            sweep::merge(&loaded, &params, std::slice::from_ref(&block)).map_err(super::lens)?;
        for (stem, t) in sweep::tables(&loaded, &params, &block).map_err(super::lens)? {
            let (mut csv, mut pq) = (Vec::new(), Vec::new());
            t.write_csv(&mut csv)?;
            t.write_parquet(&mut pq)?;
            files.push((format!("{stem}.csv"), csv));
            files.push((format!("{stem}.parquet"), pq));
        }
        r
    } else {
        sweep::run_with_progress(&loaded, &params, &progress).map_err(super::lens)?
    };
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let charts = negotium_report::sweep::charts(&r);
    if let Some(dir) = &a.out {
        files.push(("summary.json".into(), serde_json::to_vec_pretty(&r)?));
        files.extend(
            charts
                .iter()
                .map(|(n, s)| (n.clone(), s.clone().into_bytes())),
        );
        write_all(dir, &files)?;
    }
    if let Some(dir) = &a.svg {
        let svgs: Vec<_> = charts
            .into_iter()
            .map(|(n, s)| (n, s.into_bytes()))
            .collect();
        write_all(dir, &svgs)?;
    }
    super::print(a.json, &r, || {
        let mut t = negotium_report::sweep::render(&r, &params);
        for (what, dir) in [("results", &a.out), ("charts", &a.svg)] {
            if let Some(d) = dir {
                t.push_str(&format!("\n{what} written to {}\n", d.display()));
            }
        }
        t
    })
}

/// Writes every file into `dir` (created if missing) through a staging
/// directory inside it: on any error nothing is left behind.
fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let stage = dir.join(format!(".negotium-sweep-{}", std::process::id()));
    let result = (|| -> anyhow::Result<()> {
        std::fs::create_dir(&stage)
            .with_context(|| format!("cannot create {}", stage.display()))?;
        for (name, bytes) in files {
            let p = stage.join(name);
            std::fs::write(&p, bytes).with_context(|| format!("cannot write {}", p.display()))?;
        }
        for (name, _) in files {
            std::fs::rename(stage.join(name), dir.join(name))
                .with_context(|| format!("cannot move {name} into {}", dir.display()))?;
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&stage);
    result
}
