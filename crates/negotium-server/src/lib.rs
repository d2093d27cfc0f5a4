//! negotium-server: the web workbench. Scenarios (built-in and saved), lens
//! runs stored in SQLite with their inputs' hash, charts from
//! `negotium-report`, and a JSON API mirroring the CLI. Lenses run through
//! the `negotium-analysis` registry ([`lenses`]) in worker processes
//! ([`worker`]); every request passes [`guard`] first.

pub mod api;
pub mod core;
pub mod db;
pub mod flatten;
pub mod forms;
pub mod guard;
pub mod lenses;
pub mod pages;
pub mod worker;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::Router;

pub use db::Db;
pub use lenses::{LensInfo, ParamInfo, ParamKind, RunError, RunOutput, Table};

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
    /// Longest wait for a request's headers, and for the next request on an
    /// idle keep-alive connection.
    pub header_timeout: Duration,
    /// Longest wait for a request's whole body.
    pub body_timeout: Duration,
    /// Connections served at once (more are closed at once).
    pub max_connections: usize,
    /// When set, every request must carry this token (`Authorization:
    /// Bearer`, the cookie set by `/?token=…`). `negotium serve` sets one
    /// whenever it is bound to anything but loopback.
    pub token: Option<String>,
    /// Host names accepted besides loopback names and the bound address.
    pub allowed_hosts: Vec<String>,
    /// Where lens runs execute.
    pub isolation: worker::Isolation,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db_path: PathBuf::from("negotium.db"),
            max_concurrent_runs: std::thread::available_parallelism().map_or(2, |n| n.get()),
            run_timeout: Duration::from_secs(60),
            max_body_bytes: 2 * 1024 * 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_connections: 1024,
            token: None,
            allowed_hosts: Vec::new(),
            isolation: worker::Isolation::InProcess,
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

/// Instrumentation around lens runs: called on the lens thread just
/// before a lens runs, with the lens id and params; an `Err` is stored as
/// that run's failure (HTTP 500). Tests use it to hold runs open and to
/// observe the concurrency bound (in process), or to inject faults into a
/// test worker; the server itself sets none.
pub type RunHook = Arc<dyn Fn(&str, &serde_json::Value) -> Result<(), String> + Send + Sync>;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub db: Arc<Db>,
    pub runs: Arc<tokio::sync::Semaphore>,
    pub config: Arc<Config>,
    pub cache: Arc<core::LoadedCache>,
    pub run_hook: Option<RunHook>,
    /// Lens worker processes (with [`worker::Isolation::Workers`]).
    pub pool: Option<Arc<worker::Pool>>,
    /// Random per start: keys the forms' CSRF tokens.
    pub secret: Arc<String>,
    /// Allowed `Host` values, known once bound.
    pub hosts: Arc<std::sync::OnceLock<guard::Hosts>>,
}

impl AppState {
    /// Opens the database.
    pub fn new(config: Config) -> Result<AppState, ServerError> {
        let db = Db::open(&config.db_path)?;
        let pool = match &config.isolation {
            worker::Isolation::InProcess => None,
            worker::Isolation::Workers(cmd) => Some(Arc::new(worker::Pool::new(cmd.clone()))),
        };
        Ok(AppState {
            pool,
            secret: Arc::new(guard::random_hex(32)),
            hosts: Arc::default(),
            db: Arc::new(db),
            runs: Arc::new(tokio::sync::Semaphore::new(
                config.max_concurrent_runs.max(1),
            )),
            config: Arc::new(config),
            cache: Arc::default(),
            run_hook: None,
        })
    }

    /// The same state with a [`RunHook`].
    pub fn with_run_hook(mut self, hook: RunHook) -> AppState {
        self.run_hook = Some(hook);
        self
    }
}

/// Every route: HTML pages, `/api/…` and the workbench's script, behind
/// [`guard::guard`].
pub fn router(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    pages::routes()
        .merge(api::routes())
        .route("/static/workbench.js", axum::routing::get(pages::script))
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::guard,
        ))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

async fn fallback(uri: axum::http::Uri) -> axum::response::Response {
    let e = core::AppError::NotFound(format!("no page `{}`", uri.path()));
    guard::error_response(uri.path().starts_with("/api/"), e)
}

/// Binds `config.addr` and serves until `shutdown` resolves; in-flight
/// requests finish first. `on_ready` gets the bound address. HTTP/1.1 with
/// a header (and keep-alive idle) timeout and a bound on connections.
pub async fn serve(
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let addr = state.config.addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })?;
    let local = listener.local_addr()?;
    let _ = state
        .hosts
        .set(guard::Hosts::for_addr(local, &state.config.allowed_hosts));
    on_ready(local);
    let cfg = state.config.clone();
    let app = router(state);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(cfg.max_connections.max(1)));
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            _ = &mut shutdown => break,
            a = listener.accept() => match a {
                Ok(x) => x,
                Err(_) => {
                    // Out of file descriptors and the like: back off a little.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let svc = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut b = hyper::server::conn::http1::Builder::new();
        b.timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(cfg.header_timeout)
            .max_buf_size(64 * 1024);
        let conn = graceful.watch(b.serve_connection(hyper_util::rt::TokioIo::new(stream), svc));
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
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
