//! `negotium serve`: the web workbench on a loopback address.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use negotium_server::{AppState, Config};

use super::input_error;

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// SQLite database of saved scenarios and runs (created if missing).
    #[arg(long, default_value = "negotium.db")]
    pub db: PathBuf,
    /// Lens runs at once (default: the number of CPUs).
    #[arg(long)]
    pub max_runs: Option<usize>,
    /// Time limit of one lens run, in seconds.
    #[arg(long, default_value_t = 60)]
    pub run_timeout: u64,
    /// Largest request body, in KiB.
    #[arg(long, default_value_t = 2048)]
    pub max_body_kib: usize,
}

pub fn run(a: ServeArgs) -> anyhow::Result<()> {
    if a.run_timeout == 0 || a.max_runs == Some(0) || a.max_body_kib == 0 {
        return Err(input_error(
            "--run-timeout, --max-runs and --max-body-kib must be at least 1",
        ));
    }
    let mut cfg = Config {
        addr: a.addr,
        db_path: a.db.clone(),
        run_timeout: Duration::from_secs(a.run_timeout),
        max_body_bytes: a.max_body_kib * 1024,
        ..Config::default()
    };
    if let Some(n) = a.max_runs {
        cfg.max_concurrent_runs = n;
    }
    if !a.addr.ip().is_loopback() {
        eprintln!("warning: listening on {}, which is not a loopback address; the workbench has no authentication", a.addr);
    }
    let state = AppState::new(cfg, Arc::new(super::lenses::CliRunner))
        .with_context(|| format!("opening {}", a.db.display()))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let db = a.db.display().to_string();
    rt.block_on(negotium_server::serve(
        state,
        negotium_server::shutdown_signal(),
        move |addr| {
            eprintln!("negotium workbench on http://{addr}/ (database {db}); Ctrl-C to stop");
        },
    ))?;
    eprintln!("stopped");
    Ok(())
}
