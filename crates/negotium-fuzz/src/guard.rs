//! Runs one case on a thread with a bounded stack, under `catch_unwind` and
//! a watchdog. Panics (with the first negotium frame of their backtrace),
//! non-finite results, unlocated rejections and runaway time become a
//! [`Finding`]. A stack overflow cannot be caught in-process: it aborts the
//! process, which is why the binary runs cases in a worker subprocess.

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex, Once};
use std::time::Duration;

use crate::seeds::Kind;
use crate::target::{self, Defect, Outcome};

/// Name of the threads cases run on (the panic hook keeps their panics quiet).
pub const CASE_THREAD: &str = "fuzz-case";

/// A listener told the name of each stage as it starts.
pub type OnStage = Arc<dyn Fn(&str) + Send + Sync>;

/// Resources one case may use.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Stack of the case's thread. 2 MiB is what the workbench's lens
    /// threads get (tokio's default), so recursion that fits here fits there.
    pub stack: usize,
    /// Wall-clock time before the case counts as a runaway.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            stack: 2 << 20,
            timeout: Duration::from_secs(60),
        }
    }
}

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Panic,
    NonFinite,
    Unlocated,
    Timeout,
    /// The process died (stack overflow, abort): seen only by the supervisor.
    Crash,
}

impl Class {
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Panic => "panic",
            Class::NonFinite => "non-finite",
            Class::Unlocated => "unlocated",
            Class::Timeout => "timeout",
            Class::Crash => "crash",
        }
    }
}

/// A defect with the command path (stage) it was found on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub class: Class,
    pub stage: String,
    pub message: String,
    /// Source location: the panic's, or the first negotium backtrace frame.
    pub location: Option<String>,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} in `{}`: {}",
            self.class.as_str(),
            self.stage,
            self.message
        )?;
        if let Some(l) = &self.location {
            write!(f, " (at {l})")?;
        }
        Ok(())
    }
}

/// The verdict on one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Clean(Outcome),
    Finding(Finding),
}

thread_local! {
    static CAUGHT: RefCell<Option<(String, Option<String>)>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that records the panics of case threads
/// instead of printing them, and leaves every other thread's panics alone.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(CASE_THREAD) {
                return previous(info);
            }
            let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
                s.to_string()
            } else if let Some(s) = info.payload().downcast_ref::<String>() {
                s.clone()
            } else {
                "(non-string panic payload)".to_string()
            };
            let here = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            // Where in negotium's code, when the panic is inside std or a dependency.
            let frame = if here
                .as_deref()
                .is_some_and(|h| h.contains("crates/negotium-"))
            {
                here
            } else {
                let bt = std::backtrace::Backtrace::force_capture().to_string();
                bt.lines()
                    .map(str::trim)
                    .filter_map(|l| l.strip_prefix("at "))
                    .find(|l| l.contains("crates/negotium") && !l.contains("negotium-fuzz"))
                    .map(|l| format!("{l} (panic at {})", here.as_deref().unwrap_or("?")))
                    .or(here)
            };
            CAUGHT.with(|c| *c.borrow_mut() = Some((msg, frame)));
        }));
    });
}

/// Runs `text` as an input of `kind` on a fresh thread; `on_stage` hears
/// every stage as it starts. After a timeout the case's thread is left
/// running (threads cannot be killed): a caller that sees
/// [`Class::Timeout`] should not run many more cases in the same process.
pub fn run_guarded(kind: Kind, text: &str, limits: Limits, on_stage: Option<OnStage>) -> Verdict {
    let text = text.to_string();
    guard(
        move |stage| target::run(kind, &text, stage),
        limits,
        on_stage,
    )
}

/// Runs `work` as [`run_guarded`] runs a case: on a named thread with
/// `limits.stack` of stack, under `catch_unwind`, for at most `limits.timeout`.
pub fn guard<F>(work: F, limits: Limits, on_stage: Option<OnStage>) -> Verdict
where
    F: FnOnce(&mut dyn FnMut(&str)) -> Result<Outcome, Defect> + Send + 'static,
{
    install_hook();
    let stage = Arc::new(Mutex::new(String::from("start")));
    let (tx, rx) = mpsc::channel();
    let st = Arc::clone(&stage);
    let spawned = std::thread::Builder::new()
        .name(CASE_THREAD.into())
        .stack_size(limits.stack)
        .spawn(move || {
            let mut set = |s: &str| {
                if let Ok(mut g) = st.lock() {
                    s.clone_into(&mut g);
                }
                if let Some(f) = &on_stage {
                    f(s);
                }
            };
            let r = panic::catch_unwind(AssertUnwindSafe(|| work(&mut set)));
            let caught = CAUGHT.with(|c| c.borrow_mut().take());
            let _ = tx.send((r.is_ok(), r.ok(), caught));
        });
    if let Err(e) = spawned {
        return Verdict::Finding(Finding {
            class: Class::Crash,
            stage: "spawn".into(),
            message: format!("cannot start a case thread: {e}"),
            location: None,
        });
    }
    let now_stage = || stage.lock().map(|s| s.clone()).unwrap_or_default();
    match rx.recv_timeout(limits.timeout) {
        Ok((true, Some(Ok(outcome)), _)) => Verdict::Clean(outcome),
        Ok((true, Some(Err(defect)), _)) => Verdict::Finding(match defect {
            Defect::NonFinite { stage, path } => Finding {
                class: Class::NonFinite,
                stage,
                message: format!("non-finite number in the result: {path}"),
                location: None,
            },
            Defect::Unlocated { message } => Finding {
                class: Class::Unlocated,
                stage: now_stage(),
                message: format!("rejection without a location: {message}"),
                location: None,
            },
        }),
        Ok((_, _, caught)) => {
            let (message, location) = caught.unwrap_or_else(|| ("panic".into(), None));
            Verdict::Finding(Finding {
                class: Class::Panic,
                stage: now_stage(),
                message,
                location,
            })
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Verdict::Finding(Finding {
            class: Class::Timeout,
            stage: now_stage(),
            message: format!("still running after {} s", limits.timeout.as_secs()),
            location: None,
        }),
        Err(mpsc::RecvTimeoutError::Disconnected) => Verdict::Finding(Finding {
            class: Class::Crash,
            stage: now_stage(),
            message: "the case thread ended without a result".into(),
            location: None,
        }),
    }
}
