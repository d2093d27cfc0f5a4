//! negotium-server: the web workbench. Scenarios (built-in and saved), lens
//! runs stored in SQLite with their inputs' hash, charts from
//! `negotium-report`, and a JSON API mirroring the CLI. It knows no lens:
//! the binary supplies an `Arc<dyn Runner>`.

pub mod api;
pub mod core;
pub mod db;
pub mod flatten;
pub mod pages;
pub mod runner;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::Router;

pub use db::Db;
pub use runner::{LensInfo, ParamInfo, ParamKind, RunError, RunOutput, Runner, Table};

/// Server settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen (loopback by default).
    pub addr: SocketAddr,
    /// The SQLite database file.
    pub db_path: PathBuf,
    /// Lens runs allowed at once (the rest wait, up to `run_timeout`).
    pub max_concurrent_runs: usize,
    /// Longest a lens run may take before the request gets 504.
    pub run_timeout: Duration,
    /// Largest request body accepted (bytes).
    pub max_body_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db_path: PathBuf::from("negotium.db"),
            max_concurrent_runs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            run_timeout: Duration::from_secs(60),
            max_body_bytes: 2 * 1024 * 1024,
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub db: Arc<Db>,
    pub runner: Arc<dyn Runner>,
    pub runs: Arc<tokio::sync::Semaphore>,
    pub config: Arc<Config>,
    pub cache: Arc<core::LoadedCache>,
}

impl AppState {
    /// Opens the database and wraps the runner.
    pub fn new(config: Config, runner: Arc<dyn Runner>) -> Result<AppState, ServerError> {
        let db = Db::open(&config.db_path)?;
        Ok(AppState {
            db: Arc::new(db),
            runner,
            runs: Arc::new(tokio::sync::Semaphore::new(
                config.max_concurrent_runs.max(1),
            )),
            config: Arc::new(config),
            cache: Arc::default(),
        })
    }
}

/// Every route: HTML pages and `/api/…`.
pub fn router(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    pages::routes()
        .merge(api::routes())
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

/// Binds `config.addr` and serves until `shutdown` resolves; in-flight
/// requests finish first. `on_ready` gets the bound address.
pub async fn serve(
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let addr = state.config.addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })?;
    on_ready(listener.local_addr()?);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
