//! Operations shared by the HTML pages and the JSON API: find a scenario by
//! id, validate a text, run a lens (bounded, timed, off the async threads)
//! and store the run.

use std::time::Instant;

use negotium_scenario::{builtin, load_str, Diagnostic, Format, Loaded, ScenarioError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use negotium_scenario::overrides::Overrides;

use crate::db::{self, Db, DbError, NewRun, Run};
use crate::lenses::{self, RunError, RunOutput};
use crate::worker::{self, Job, Reply};
use crate::AppState;

/// A request-level failure; pages show it as HTML, the API as JSON
/// `{"error": {"kind", "message", "location"?, "diagnostics"?}}`.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found: {0}")]
    NotFound(String),
    /// Malformed request: bad JSON, query or path syntax (400).
    #[error("{0}")]
    BadRequest(String),
    /// A well-formed value the server refuses (422), e.g. `limit` too large.
    #[error("{location}: {message}")]
    BadParam { location: String, message: String },
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("the scenario has {} problem(s)", .0.len())]
    Invalid(Vec<Diagnostic>),
    #[error(transparent)]
    Run(RunError),
    #[error("the run took longer than the limit of {0} s and was stopped")]
    Timeout(u64),
    #[error("the request body is larger than the server accepts ({0} bytes at most)")]
    TooLarge(usize),
    #[error("the request body did not arrive within {0} s")]
    SlowRequest(u64),
    #[error("the server is busy; try again")]
    Busy,
    /// Refused for where it came from: `bad_host`, `cross_site` or `csrf`.
    #[error("{message}")]
    Forbidden { kind: &'static str, message: String },
    #[error("this workbench needs the access token printed when it started (open the URL it printed, or send `Authorization: Bearer TOKEN`)")]
    Unauthorized,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode as S;
        match self {
            AppError::NotFound(_) | AppError::Run(RunError::UnknownLens(_)) => S::NOT_FOUND,
            AppError::BadRequest(_) => S::BAD_REQUEST,
            AppError::UnsupportedMediaType(_) => S::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid(_)
            | AppError::BadParam { .. }
            | AppError::Run(RunError::BadInput { .. } | RunError::Limit { .. }) => {
                S::UNPROCESSABLE_ENTITY
            }
            AppError::Run(RunError::NotAvailable(_)) => S::NOT_IMPLEMENTED,
            AppError::Timeout(_) => S::GATEWAY_TIMEOUT,
            AppError::SlowRequest(_) => S::REQUEST_TIMEOUT,
            AppError::Busy => S::SERVICE_UNAVAILABLE,
            AppError::TooLarge(_) => S::PAYLOAD_TOO_LARGE,
            AppError::Forbidden { .. } => S::FORBIDDEN,
            AppError::Unauthorized => S::UNAUTHORIZED,
            AppError::MethodNotAllowed => S::METHOD_NOT_ALLOWED,
            AppError::Run(RunError::Failed(_) | RunError::Crashed(_))
            | AppError::Db(_)
            | AppError::Internal(_) => S::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable name of the error (docs/api.md lists them).
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::NotFound(_) | AppError::Run(RunError::UnknownLens(_)) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::BadParam { .. } | AppError::Run(RunError::BadInput { .. }) => "bad_input",
            AppError::Run(RunError::Limit { .. }) => "limit",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::Invalid(_) => "invalid_scenario",
            AppError::Run(RunError::NotAvailable(_)) => "not_available",
            AppError::Run(RunError::Failed(_)) => "failed",
            AppError::Run(RunError::Crashed(_)) => "crashed",
            AppError::Timeout(_) => "timeout",
            AppError::TooLarge(_) => "too_large",
            AppError::SlowRequest(_) => "slow_request",
            AppError::Busy => "busy",
            AppError::Forbidden { kind, .. } => kind,
            AppError::Unauthorized => "unauthorized",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::Db(_) | AppError::Internal(_) => "internal",
        }
    }

    /// Where the problem is: a parameter (`params.rounds`), or the first
    /// diagnostic's `file:line:column` (or its path).
    pub fn location(&self) -> Option<String> {
        match self {
            AppError::BadParam { location, .. } => Some(location.clone()),
            AppError::Run(e) => e.location().map(str::to_string),
            AppError::Invalid(d) => d.first().map(|d| match (d.line, d.column, &d.path) {
                (Some(l), Some(c), _) => format!("{}:{l}:{c}", d.file),
                (Some(l), None, _) => format!("{}:{l}", d.file),
                (None, _, Some(p)) => p.clone(),
                _ => d.file.clone(),
            }),
            _ => None,
        }
    }

    /// The JSON body of the error.
    pub fn body(&self) -> Value {
        let mut e = serde_json::json!({"kind": self.kind(), "message": self.to_string()});
        if let Some(l) = self.location() {
            e["location"] = Value::from(l);
        }
        if let AppError::Invalid(d) = self {
            e["diagnostics"] = serde_json::to_value(d).unwrap_or(Value::Null);
        }
        serde_json::json!({ "error": e })
    }
}

/// `toml`, `json` or `csv` (KTAB).
pub fn parse_format(s: &str) -> Result<Format, AppError> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "toml" => Ok(Format::Toml),
        "json" => Ok(Format::Json),
        "csv" | "ktab" | "ktab-csv" => Ok(Format::KtabCsv),
        other => Err(AppError::BadRequest(format!(
            "unknown scenario format `{other}`; expected toml, json or csv"
        ))),
    }
}

pub fn format_name(f: Format) -> &'static str {
    match f {
        Format::Toml => "toml",
        Format::Json => "json",
        Format::KtabCsv => "csv",
    }
}

/// A scenario as the workbench lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioDoc {
    /// Built-in id, or the saved scenario's number.
    pub id: String,
    pub kind: &'static str,
    pub name: String,
    pub format: &'static str,
    pub sha256: String,
    #[serde(skip)]
    pub source: String,
}

impl ScenarioDoc {
    pub fn format(&self) -> Format {
        parse_format(self.format).unwrap_or(Format::Toml)
    }
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.id, self.format)
    }
}

fn builtin_doc(b: &builtin::Builtin) -> ScenarioDoc {
    ScenarioDoc {
        id: b.id.to_string(),
        kind: "builtin",
        name: b.summary.to_string(),
        format: "toml",
        sha256: db::sha256_hex(b.source),
        source: b.source.to_string(),
    }
}

fn saved_doc(s: db::SavedScenario) -> ScenarioDoc {
    ScenarioDoc {
        id: s.id.to_string(),
        kind: "saved",
        name: s.name,
        format: match s.format.as_str() {
            "json" => "json",
            "csv" => "csv",
            _ => "toml",
        },
        sha256: s.sha256,
        source: s.source,
    }
}

/// Runs a blocking closure on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("worker failed: {e}")))?
}

/// Built-ins first, then saved scenarios.
pub async fn list_scenarios(st: &AppState) -> Result<Vec<ScenarioDoc>, AppError> {
    let db = st.db.clone();
    let saved = blocking(move || Ok(db.list_scenarios()?)).await?;
    Ok(builtin::list()
        .iter()
        .map(builtin_doc)
        .chain(saved.into_iter().map(saved_doc))
        .collect())
}

/// A built-in id or a saved scenario's number.
pub async fn find_scenario(st: &AppState, id: &str) -> Result<ScenarioDoc, AppError> {
    if let Some(b) = builtin::get(id) {
        return Ok(builtin_doc(b));
    }
    let n: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound(format!("scenario `{id}`")))?;
    let db = st.db.clone();
    blocking(move || Ok(db.get_scenario(n)?))
        .await?
        .map(saved_doc)
        .ok_or_else(|| AppError::NotFound(format!("scenario `{id}`")))
}

/// Parses and validates; the diagnostics carry line:column for TOML.
pub fn validate(source: &str, name: &str, format: Format) -> Result<Loaded, Vec<Diagnostic>> {
    load_str(source, name, format).map_err(|e| match e {
        ScenarioError::Syntax(_) | ScenarioError::Invalid(_) => e.diagnostics(),
        other => vec![Diagnostic {
            file: name.to_string(),
            line: None,
            column: None,
            path: None,
            message: other.to_string(),
        }],
    })
}

/// Valid scenarios by (sha256 of text, format, name): pages and runs on the
/// same text skip parsing and validation. Bounded; cleared when full.
#[derive(Default)]
pub struct LoadedCache {
    map: std::sync::Mutex<std::collections::HashMap<CacheKey, std::sync::Arc<Loaded>>>,
}

/// (sha256 of the text, format, file name).
type CacheKey = (String, &'static str, String);

/// Entries kept before the cache is cleared.
const CACHE_CAP: usize = 64;

impl LoadedCache {
    /// [`validate`], remembering valid results (invalid texts are not cached).
    pub fn validate(
        &self,
        source: &str,
        name: &str,
        format: Format,
    ) -> Result<std::sync::Arc<Loaded>, Vec<Diagnostic>> {
        let key = (
            db::sha256_hex(source),
            format_name(format),
            name.to_string(),
        );
        if let Some(l) = self.map.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return Ok(l);
        }
        let l = std::sync::Arc::new(validate(source, name, format)?);
        if let Ok(mut m) = self.map.lock() {
            if m.len() >= CACHE_CAP {
                m.clear();
            }
            m.insert(key, l.clone());
        }
        Ok(l)
    }
}

/// A short description of a valid scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub id: String,
    pub title: String,
    pub actors: usize,
    pub issues: usize,
    pub events: usize,
    pub sections: Vec<&'static str>,
}

pub fn summary(l: &Loaded) -> Summary {
    let s = &l.scenario;
    let sections = s.sections();
    Summary {
        id: s.scenario.id.clone(),
        title: s.scenario.title.clone(),
        actors: s.inputs.actors.len(),
        issues: s.inputs.issues.len(),
        events: s.events.len(),
        sections,
    }
}

/// The scenario of a run request: a stored one by id, or inline text.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ScenarioArg {
    Id(String),
    Number(i64),
    Inline {
        source: String,
        #[serde(default)]
        format: Option<String>,
        #[serde(default)]
        name: Option<String>,
    },
}

/// A resolved scenario argument: (reference, text, format, file name).
pub struct Source {
    pub reference: String,
    pub text: String,
    pub format: Format,
    pub name: String,
}

/// Looks up a scenario argument (inline text is taken as it is).
pub async fn source_of(st: &AppState, scenario: ScenarioArg) -> Result<Source, AppError> {
    let doc = |d: ScenarioDoc| Source {
        reference: d.id.clone(),
        text: d.source.clone(),
        format: d.format(),
        name: d.file_name(),
    };
    Ok(match scenario {
        ScenarioArg::Number(n) => doc(find_scenario(st, &n.to_string()).await?),
        ScenarioArg::Id(id) => doc(find_scenario(st, &id).await?),
        ScenarioArg::Inline {
            source,
            format,
            name,
        } => {
            let f = parse_format(format.as_deref().unwrap_or("toml"))?;
            Source {
                reference: "inline".into(),
                text: source,
                format: f,
                name: name.unwrap_or_else(|| format!("inline.{}", format_name(f))),
            }
        }
    })
}

/// A lens run that happened: the scenario's title, the outcome (failures
/// on valid input included) and how long it took.
pub struct Done {
    pub title: String,
    pub outcome: Result<RunOutput, RunError>,
    pub duration_ms: u64,
}

fn check_params(params: Value) -> Result<Value, AppError> {
    match params {
        Value::Null => Ok(Value::Object(Default::default())),
        Value::Object(_) => Ok(params),
        _ => Err(AppError::BadRequest(
            "params: expected a JSON object".into(),
        )),
    }
}

/// Runs a job within the concurrency bound and the time limit: in a worker
/// process (killed past the limit, so its slot is free at once) or on a
/// lens thread. Errors that are the request's fault come back as `Err`;
/// failures on valid input (and crashes) as `Done` with an `Err` outcome.
pub async fn execute(st: &AppState, job: Job) -> Result<Done, AppError> {
    lenses::check_offered(&job.lens).map_err(AppError::Run)?;
    let timeout = st.config.run_timeout;
    let permit = tokio::time::timeout(timeout, st.runs.clone().acquire_owned())
        .await
        .map_err(|_| AppError::Busy)?
        .map_err(|_| AppError::Busy)?;
    let started = Instant::now();
    let reply = match &st.pool {
        Some(pool) => {
            // Dropping this future (time limit, client gone) kills the
            // worker and frees the slot.
            let r = tokio::time::timeout(timeout, pool.run(&job))
                .await
                .map_err(|_| AppError::Timeout(timeout.as_secs()))?;
            drop(permit);
            r
        }
        None => {
            let hook = st.run_hook.clone();
            let cache = st.cache.clone();
            let work = tokio::task::spawn_blocking(move || {
                // In process the work cannot be stopped: it keeps its slot.
                let _permit = permit;
                worker::execute_on_thread(job, cache, hook)
            });
            tokio::time::timeout(timeout, work)
                .await
                .map_err(|_| AppError::Timeout(timeout.as_secs()))?
                .map_err(|e| AppError::Internal(format!("run failed: {e}")))?
        }
    };
    let duration_ms = started.elapsed().as_millis() as u64;
    match reply {
        Reply::Invalid(d) => Err(AppError::Invalid(d)),
        Reply::Ran { title, outcome } => match outcome {
            Ok(_) | Err(RunError::Failed(_) | RunError::Crashed(_)) => Ok(Done {
                title,
                outcome,
                duration_ms,
            }),
            Err(e) => Err(AppError::Run(e)),
        },
    }
}

/// Validates, runs the lens (see [`execute`]) and stores the run. Lens
/// failures on valid input are stored as error runs.
pub async fn run_lens(
    st: &AppState,
    lens: &str,
    scenario: ScenarioArg,
    params: Value,
    overrides: Overrides,
) -> Result<Run, AppError> {
    let params = check_params(params)?;
    lenses::check_offered(lens).map_err(AppError::Run)?;
    let src = source_of(st, scenario).await?;
    let job = Job {
        lens: lens.to_string(),
        source: src.text.clone(),
        format: format_name(src.format).to_string(),
        name: src.name.clone(),
        params: params.clone(),
        overrides: overrides.clone(),
    };
    let done = execute(st, job).await?;
    let db = st.db.clone();
    let version = lenses::version();
    let lens_s = lens.to_string();
    let title = if done.title.is_empty() {
        src.reference.clone()
    } else {
        done.title
    };
    blocking(move || {
        let out = &done.outcome;
        let err_text = out
            .as_ref()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        let outcome = match out {
            Ok(o) => Ok((&o.result, &o.key_numbers)),
            Err(_) => Err(err_text.as_str()),
        };
        let ov = (!overrides.is_empty())
            .then(|| serde_json::to_value(&overrides).unwrap_or(Value::Null));
        let id = db.insert_run(&NewRun {
            lens: &lens_s,
            scenario_ref: &src.reference,
            scenario_title: &title,
            source: &src.text,
            format: format_name(src.format),
            params: &params,
            overrides: ov.as_ref(),
            seed: out.as_ref().ok().and_then(|o| o.seed),
            version: &version,
            outcome,
            duration_ms: done.duration_ms,
        })?;
        db.get_run(id)?
            .ok_or_else(|| AppError::Internal("stored run vanished".into()))
    })
    .await
}

/// A lens run that is not stored (the what-if panel): the result, its key
/// numbers and seed, or the error.
#[derive(Debug, Serialize)]
pub struct Preview {
    pub lens: String,
    pub scenario_title: String,
    #[serde(flatten)]
    pub output: RunOutput,
    pub duration_ms: u64,
}

/// Runs a lens on a scenario with overrides without storing it.
pub async fn preview(
    st: &AppState,
    lens: &str,
    scenario: ScenarioArg,
    params: Value,
    overrides: Overrides,
) -> Result<Preview, AppError> {
    let params = check_params(params)?;
    lenses::check_offered(lens).map_err(AppError::Run)?;
    let src = source_of(st, scenario).await?;
    let job = Job {
        lens: lens.to_string(),
        source: src.text,
        format: format_name(src.format).to_string(),
        name: src.name,
        params,
        overrides,
    };
    let done = execute(st, job).await?;
    Ok(Preview {
        lens: lens.to_string(),
        scenario_title: done.title,
        output: done.outcome.map_err(AppError::Run)?,
        duration_ms: done.duration_ms,
    })
}

/// A stored run by id.
pub async fn get_run(st: &AppState, id: i64) -> Result<Run, AppError> {
    let db = st.db.clone();
    blocking(move || {
        db.get_run(id)?
            .ok_or_else(|| AppError::NotFound(format!("run {id}")))
    })
    .await
}

/// Most runs one page of `/api/runs` lists.
pub const MAX_PAGE: usize = 1000;

/// One page of runs, newest first: runs older than `before` (a run id), at
/// most `limit`, and how many runs match in all.
pub async fn list_runs(
    st: &AppState,
    scenario: Option<String>,
    before: Option<i64>,
    limit: usize,
) -> Result<(Vec<Run>, u64), AppError> {
    let db: std::sync::Arc<Db> = st.db.clone();
    blocking(move || {
        let runs = db.list_runs(scenario.as_deref(), before, limit.min(MAX_PAGE))?;
        let total = db.count_runs(scenario.as_deref())?;
        Ok((runs, total))
    })
    .await
}

/// Deletes a run (and the scenario text it used, if no other run uses it).
pub async fn delete_run(st: &AppState, id: i64) -> Result<(), AppError> {
    let db = st.db.clone();
    match blocking(move || Ok(db.delete_run(id)?)).await? {
        true => Ok(()),
        false => Err(AppError::NotFound(format!("run {id}"))),
    }
}

/// Deletes a saved scenario (its runs keep the text they used).
pub async fn delete_scenario(st: &AppState, id: &str) -> Result<(), AppError> {
    if builtin::get(id).is_some() {
        return Err(AppError::BadRequest(format!(
            "scenario `{id}` is built in and cannot be deleted"
        )));
    }
    let n: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound(format!("scenario `{id}`")))?;
    let db = st.db.clone();
    match blocking(move || Ok(db.delete_scenario(n)?)).await? {
        true => Ok(()),
        false => Err(AppError::NotFound(format!("scenario `{id}`"))),
    }
}

/// A run's metadata as CSV rows.
pub fn run_meta(r: &Run) -> Vec<(&'static str, String)> {
    vec![
        ("id", r.id.to_string()),
        ("lens", r.lens.clone()),
        ("scenario", r.scenario.clone()),
        ("scenario_title", r.scenario_title.clone()),
        ("scenario_sha256", r.scenario_sha256.clone()),
        ("params", r.params.to_string()),
        (
            "overrides",
            r.overrides
                .as_ref()
                .map(|o| o.to_string())
                .unwrap_or_default(),
        ),
        ("seed", r.seed.map(|s| s.to_string()).unwrap_or_default()),
        ("version", r.version.clone()),
        ("status", r.status.clone()),
        ("started", r.started.clone()),
        ("duration_ms", r.duration_ms.to_string()),
    ]
}
