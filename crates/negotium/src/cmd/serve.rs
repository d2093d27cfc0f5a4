//! `negotium serve`: the web workbench on a loopback address. Lens runs go
//! to worker processes (this program with the hidden `--worker` flag), so a
//! crash or a run past its time limit never takes the server down.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use negotium_server::worker::{Isolation, WorkerCommand};
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
    /// Access token every request must carry (Authorization: Bearer, or
    /// open the printed URL once). Default: none on loopback; a random one,
    /// printed at start, on any other address.
    #[arg(long)]
    pub token: Option<String>,
    /// A host name (as typed in the browser) accepted besides localhost and
    /// the bound address; repeatable.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_hosts: Vec<String>,
    /// Run lenses on threads of the server process instead of worker
    /// processes (a crash then ends the server; a timed-out run keeps its slot).
    #[arg(long)]
    pub in_process: bool,
    /// Internal: serve lens jobs on stdin/stdout (a worker process).
    #[arg(long, hide = true)]
    pub worker: bool,
}

pub fn run(a: ServeArgs) -> anyhow::Result<()> {
    if a.worker {
        return negotium_server::worker::worker_main(None).context("lens worker");
    }
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
    cfg.allowed_hosts = a.allow_hosts.clone();
    if !a.in_process {
        cfg.isolation = Isolation::Workers(WorkerCommand {
            program: std::env::current_exe().context("locating this program for lens workers")?,
            args: vec!["serve".into(), "--worker".into()],
            threads: 1,
        });
    }
    cfg.token = match a.token.clone() {
        Some(t) if t.trim().len() < 16 => {
            return Err(input_error("--token must be at least 16 characters"))
        }
        Some(t) => Some(t.trim().to_string()),
        None if !a.addr.ip().is_loopback() => Some(negotium_server::guard::random_hex(24)),
        None => None,
    };
    let token = cfg.token.clone();
    let state = AppState::new(cfg).with_context(|| format!("opening {}", a.db.display()))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let db = a.db.display().to_string();
    rt.block_on(negotium_server::serve(
        state,
        negotium_server::shutdown_signal(),
        move |addr| match &token {
            Some(t) => eprintln!(
                "negotium workbench on http://{addr}/ (database {db}); every request needs the access token: open http://{addr}/?token={t} once, or send `Authorization: Bearer {t}`; Ctrl-C to stop"
            ),
            None => eprintln!("negotium workbench on http://{addr}/ (database {db}); Ctrl-C to stop"),
        },
    ))?;
    eprintln!("stopped");
    Ok(())
}
