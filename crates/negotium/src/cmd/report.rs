//! `negotium report`: one self-contained HTML page with every lens the
//! scenario supports, written atomically (temp file, then rename).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use negotium_analysis::bargaining::ProtocolName;
use negotium_analysis::forecast::ForecastParams;
use negotium_analysis::negotiate::NegotiateParams;
use negotium_analysis::{conflict, forecast, negotiate, pareto, power};
use negotium_report::html::{self, ReportInput};
use serde_json::Value;

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
}

/// A lens result as the HTML report reads it.
fn json<T: serde::Serialize>(
    lens: &str,
    r: Result<T, negotium_analysis::AnalysisError>,
) -> anyhow::Result<Value> {
    let r = r.map_err(|e| super::lens(e).context(format!("lens `{lens}`")))?;
    Ok(serde_json::to_value(r)?)
}

pub fn run(a: ReportArgs) -> anyhow::Result<()> {
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    let loaded = negotium_analysis::dated::at(&loaded, a.as_of.as_deref())
        .map_err(super::lens)?
        .into_owned();
    let sc = &loaded.scenario;
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(5);
        b.set_style(
            indicatif::ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_message("forecast");
    let mut fp = ForecastParams {
        seed: a.seed,
        ..Default::default()
    };
    if !a.model.is_empty() {
        fp.model = a.model.clone();
    }
    let forecast = if sc.inputs.stances.is_empty() {
        None
    } else {
        Some(forecast::run(&loaded, &fp).map_err(super::lens)?)
    };
    bar.inc(1);
    bar.set_message("conflict");
    let conflict = match sc.inputs.conflict {
        Some(_) => Some(json(
            "conflict",
            conflict::run(&loaded, &Default::default()),
        )?),
        None => None,
    };
    bar.inc(1);
    bar.set_message("power");
    let power = if sc.inputs.institutions.is_empty() {
        None
    } else {
        Some(json("power", power::run(&loaded, &Default::default()))?)
    };
    bar.inc(1);
    bar.set_message("bargaining");
    let (negotiate, pareto) = if sc.inputs.bargaining.is_some() {
        // Both protocols, with their offers, for the scatter and the trace.
        let mut runs = Vec::new();
        for protocol in [ProtocolName::Sao, ProtocolName::SingleText] {
            let p = NegotiateParams {
                seed: a.seed,
                protocol: Some(protocol),
                trace: true,
                ..Default::default()
            };
            runs.push(json("negotiate", negotiate::run(&loaded, &p))?);
        }
        (
            Some(serde_json::json!({ "runs": runs })),
            Some(json("pareto", pareto::run(&loaded, &Default::default()))?),
        )
    } else {
        (None, None)
    };
    bar.inc(1);
    bar.set_message("rendering");
    let generator = format!("negotium {} (seed {})", env!("CARGO_PKG_VERSION"), a.seed);
    let page = html::render(&ReportInput {
        forecast: forecast.as_ref(),
        conflict: conflict.as_ref(),
        power: power.as_ref(),
        negotiate: negotiate.as_ref(),
        pareto: pareto.as_ref(),
        generator: Some(&generator),
        ..ReportInput::new(sc)
    });
    write_atomic(&a.output, page.as_bytes())?;
    bar.inc(1);
    bar.finish_and_clear();
    eprintln!(
        "wrote {} ({} bytes) for {}",
        a.output.display(),
        page.len(),
        loaded.source_name
    );
    Ok(())
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
