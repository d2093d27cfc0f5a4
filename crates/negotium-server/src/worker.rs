//! Where lens runs execute, isolated from the server: a job (lens, scenario
//! text, params, overrides) goes to a worker process over a pipe, one JSON
//! line each way. A run past its time limit, or whose client went away, has
//! its worker killed (the work really stops and its slot is free at once); a
//! panic, stack overflow or abort kills only that worker, which is replaced.
//! [`Isolation::InProcess`] runs jobs on a thread of this process instead
//! (panics caught, a stack budget; a timed-out run keeps its slot until it
//! ends): for embedding and for tests.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::Mutex;

use negotium_scenario::overrides::{self, Overrides};
use negotium_scenario::{Diagnostic, Format};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use crate::core::LoadedCache;
use crate::lenses::{self, RunError, RunOutput};

/// Stack of the thread a lens runs on. Parsers and formula readers bound
/// their nesting, so this is a budget with a wide margin, not a need.
pub const LENS_STACK_BYTES: usize = 64 * 1024 * 1024;

/// How lens runs are isolated from the server.
#[derive(Debug, Clone, Default)]
pub enum Isolation {
    /// On a thread of the server process (panics are caught; a stack
    /// overflow or an abort still ends the process, and a timed-out run
    /// keeps its slot until it ends).
    #[default]
    InProcess,
    /// In worker processes started with this command (see [`worker_main`]).
    Workers(WorkerCommand),
}

/// The program (and arguments) that runs [`worker_main`].
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<String>,
    /// `RAYON_NUM_THREADS` for each worker (results do not depend on it).
    pub threads: usize,
}

/// One lens run to do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub lens: String,
    pub source: String,
    pub format: String,
    /// File name used in diagnostics.
    pub name: String,
    pub params: Value,
    #[serde(default)]
    pub overrides: Overrides,
}

/// What became of a job.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Reply {
    /// The lens ran (or failed on valid input): the scenario's title and
    /// the outcome.
    Ran {
        title: String,
        outcome: Result<RunOutput, RunError>,
    },
    /// The scenario (or the overrides) did not validate.
    Invalid(Vec<Diagnostic>),
}

/// Test instrumentation, called on the lens thread before the lens runs
/// (see [`crate::RunHook`]).
pub type Hook<'a> = Option<&'a (dyn Fn(&str, &Value) -> Result<(), String> + Sync)>;

fn format_of(s: &str) -> Format {
    match s {
        "json" => Format::Json,
        "csv" => Format::KtabCsv,
        _ => Format::Toml,
    }
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Validates, applies the overrides and runs the lens, catching panics.
/// Runs on the calling thread.
pub fn execute(job: &Job, cache: &LoadedCache, hook: Hook) -> Reply {
    let run = || -> Reply {
        let loaded = match cache.validate(&job.source, &job.name, format_of(&job.format)) {
            Ok(l) => l,
            Err(d) => return Reply::Invalid(d),
        };
        let title = loaded.scenario.scenario.title.clone();
        let changed;
        let scenario = if job.overrides.is_empty() {
            &*loaded
        } else {
            match overrides::apply(&loaded, &job.overrides) {
                Ok(l) => {
                    changed = l;
                    &changed
                }
                Err(d) => return Reply::Invalid(d),
            }
        };
        let outcome = match hook.map_or(Ok(()), |h| h(&job.lens, &job.params)) {
            Ok(()) => lenses::run(&job.lens, scenario, &job.params),
            Err(e) => Err(RunError::Failed(e)),
        };
        Reply::Ran { title, outcome }
    };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(r) => r,
        Err(p) => Reply::Ran {
            title: String::new(),
            outcome: Err(RunError::Crashed(format!(
                "the lens panicked: {}",
                panic_text(&*p)
            ))),
        },
    }
}

/// [`execute`] on a fresh thread with a [`LENS_STACK_BYTES`] stack.
pub fn execute_on_thread(
    job: Job,
    cache: std::sync::Arc<LoadedCache>,
    hook: Option<crate::RunHook>,
) -> Reply {
    let t = std::thread::Builder::new()
        .name("negotium-lens".into())
        .stack_size(LENS_STACK_BYTES)
        .spawn(move || {
            let h = hook
                .as_deref()
                .map(|h| h as &(dyn Fn(&str, &Value) -> Result<(), String> + Sync));
            execute(&job, &cache, h)
        });
    match t.map(|t| t.join()) {
        Ok(Ok(r)) => r,
        Ok(Err(p)) => Reply::Ran {
            title: String::new(),
            outcome: Err(RunError::Crashed(panic_text(&*p))),
        },
        Err(e) => Reply::Ran {
            title: String::new(),
            outcome: Err(RunError::Failed(format!("cannot start a lens thread: {e}"))),
        },
    }
}

/// The worker process's main loop: reads one [`Job`] per line on stdin,
/// answers one [`Reply`] per line on stdout, until stdin closes. `hook` is
/// for fault-injection tests only.
pub fn worker_main(hook: Option<crate::RunHook>) -> std::io::Result<()> {
    // A panic is reported in the reply; keep stderr for real trouble.
    std::panic::set_hook(Box::new(|_| {}));
    let cache = std::sync::Arc::new(LoadedCache::default());
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let line = line?;
        let reply = match serde_json::from_str::<Job>(&line) {
            Ok(job) => execute_on_thread(job, cache.clone(), hook.clone()),
            Err(e) => Reply::Ran {
                title: String::new(),
                outcome: Err(RunError::Failed(format!("bad job: {e}"))),
            },
        };
        let text = serde_json::to_string(&reply).map_err(std::io::Error::other)?;
        out.write_all(text.as_bytes())?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
    Ok(())
}

/// A live worker process.
struct Worker {
    child: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    stdout: tokio::io::BufReader<tokio::process::ChildStdout>,
}

/// Idle workers, reused; a worker in use belongs to its run, and dies with
/// it if the run is dropped (time limit, client gone).
pub struct Pool {
    cmd: WorkerCommand,
    idle: Mutex<Vec<Worker>>,
}

impl Pool {
    pub fn new(cmd: WorkerCommand) -> Pool {
        Pool {
            cmd,
            idle: Mutex::new(Vec::new()),
        }
    }

    fn spawn(&self) -> Result<Worker, RunError> {
        let mut c = tokio::process::Command::new(&self.cmd.program);
        c.args(&self.cmd.args)
            .env("RAYON_NUM_THREADS", self.cmd.threads.max(1).to_string())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .kill_on_drop(true);
        let mut child = c.spawn().map_err(|e| {
            RunError::Failed(format!(
                "cannot start a lens worker ({}): {e}",
                self.cmd.program.display()
            ))
        })?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            return Err(RunError::Failed("lens worker without pipes".into()));
        };
        Ok(Worker {
            child,
            stdin,
            stdout: tokio::io::BufReader::new(stdout),
        })
    }

    /// Runs `job` on an idle worker (or a new one). Dropping the future
    /// kills the worker.
    pub async fn run(&self, job: &Job) -> Reply {
        let line = match serde_json::to_string(job) {
            Ok(l) => l + "\n",
            Err(e) => return crashed(format!("cannot encode the job: {e}")),
        };
        // An idle worker may have died since its last job: then try a new one.
        for attempt in 0..2 {
            let reused = self.idle.lock().ok().and_then(|mut v| v.pop());
            let fresh = reused.is_none();
            let mut w = match reused {
                Some(w) => w,
                None => match self.spawn() {
                    Ok(w) => w,
                    Err(e) => {
                        return Reply::Ran {
                            title: String::new(),
                            outcome: Err(e),
                        }
                    }
                },
            };
            if w.stdin.write_all(line.as_bytes()).await.is_err() || w.stdin.flush().await.is_err() {
                if fresh || attempt == 1 {
                    return crashed(exit_text(&mut w).await);
                }
                continue;
            }
            let mut answer = String::new();
            match w.stdout.read_line(&mut answer).await {
                Ok(n) if n > 0 => {
                    let reply = serde_json::from_str::<Reply>(&answer)
                        .unwrap_or_else(|e| crashed(format!("unreadable worker reply: {e}")));
                    if let Ok(mut v) = self.idle.lock() {
                        v.push(w);
                    }
                    return reply;
                }
                _ => return crashed(exit_text(&mut w).await),
            }
        }
        crashed("no lens worker could be started".into())
    }
}

fn crashed(msg: String) -> Reply {
    Reply::Ran {
        title: String::new(),
        outcome: Err(RunError::Crashed(msg)),
    }
}

/// Why a worker ended, in words.
async fn exit_text(w: &mut Worker) -> String {
    match w.child.wait().await {
        Ok(st) => {
            #[cfg(unix)]
            {
                use std::os::unix::process::ExitStatusExt;
                if let Some(sig) = st.signal() {
                    let what = match sig {
                        6 => " (abort; a stack overflow ends this way)",
                        9 => " (killed)",
                        11 => " (segmentation fault)",
                        _ => "",
                    };
                    return format!("the lens worker died of signal {sig}{what}");
                }
            }
            format!("the lens worker exited ({st})")
        }
        Err(e) => format!("the lens worker vanished: {e}"),
    }
}
