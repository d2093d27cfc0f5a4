//! `negotium report`: one self-contained HTML page with every lens the
//! scenario supports, written atomically (temp file, then rename).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use negotium_analysis::analyze::{self, AnalyzeParams, AnalyzeResult, STRATEGIES};
use negotium_analysis::bargaining::ProtocolName;
use negotium_analysis::negotiate::{self, NegotiateParams};
use negotium_scenario::Loaded;

#[derive(Args, Debug, Clone)]
pub struct ReportArgs {
    /// Built-in scenario id or a scenario file (default: kosovo-status).
    pub scenario: Option<String>,
    /// Where to write the HTML page.
    #[arg(short, long, default_value = "report.html")]
    pub output: PathBuf,
    /// Seed for any random choice (reported with the results).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Forecast models, comma-separated (default: all).
    #[arg(long, value_delimiter = ',')]
    pub model: Vec<String>,
    /// Read the stances and capabilities in force on this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Draws of the uncertainty sweep behind the page's "Uncertainty"
    /// section (fan charts, label probabilities) over the scenario's
    /// declared ranges, seeded with --seed; 0 leaves the section out.
    #[arg(long, default_value_t = DRAWS, value_name = "N")]
    pub draws: u64,
}

/// Draws of the report's uncertainty sweep unless told otherwise (about a
/// second for kosovo-status on two cores in a release build).
pub const DRAWS: u64 = 1000;

/// `negotium report` is `negotium analyze --html`: the same analysis, the
/// same page.
pub fn run(a: ReportArgs) -> anyhow::Result<()> {
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    let params = AnalyzeParams {
        seed: a.seed,
        as_of: a.as_of.clone(),
        model: a.model.clone(),
        draws: a.draws,
        ..AnalyzeParams::default()
    };
    let r = analyze::run(&loaded, &params).map_err(super::lens)?;
    let page = html_page(&loaded, &r, &params)?;
    write_atomic(&a.output, page.as_bytes())?;
    eprintln!(
        "wrote {} ({} bytes) for {}",
        a.output.display(),
        page.len(),
        loaded.source_name
    );
    Ok(())
}

/// The report page of an analyze result (the one code path of `report` and
/// `analyze --html`): the alternating-offers runs are run again with their
/// offer trace kept (same seed, strategies and dated inputs, so the same
/// runs) for the page's trace charts, then the page is rendered.
pub fn html_page(
    loaded: &Loaded,
    r: &AnalyzeResult,
    params: &AnalyzeParams,
) -> anyhow::Result<String> {
    let mut r = r.clone();
    if let Some(n) = r.negotiate.as_mut() {
        let dated =
            negotium_analysis::dated::at(loaded, params.as_of.as_deref()).map_err(super::lens)?;
        for s in STRATEGIES {
            let p = NegotiateParams {
                seed: params.seed,
                protocol: Some(ProtocolName::Sao),
                strategies: vec![s.to_string()],
                trace: true,
                ..Default::default()
            };
            let traced = negotiate::run(&dated, &p).map_err(super::lens)?;
            if let Some(run) = n.runs.iter_mut().find(|x| {
                x.protocol == traced.protocol
                    && x.strategies == traced.strategies
                    && x.agreement == traced.agreement
                    && x.step == traced.step
            }) {
                run.trace = traced.trace;
            }
        }
    }
    let generator = format!(
        "negotium {} (seed {})",
        env!("CARGO_PKG_VERSION"),
        params.seed
    );
    Ok(negotium_report::report_html::render(&r, &generator))
}

/// Writes to a temporary file beside `path`, syncs it, then renames it over
/// `path`: readers see the old file or the whole new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .with_context(|| format!("{}: not a file path", path.display()))?
        .to_string_lossy()
        .to_string();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> anyhow::Result<()> {
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        f.write_all(bytes)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
            .with_context(|| format!("cannot rename {} to {}", tmp.display(), path.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_file_and_cleans_up_on_error() {
        let dir = std::env::temp_dir().join(format!("negotium-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("r.html");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        // A directory in the way: the rename fails and no temp file is left.
        let d = dir.join("sub");
        std::fs::create_dir_all(d.join("x")).unwrap();
        assert!(write_atomic(&d, b"x").is_err());
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(left.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
