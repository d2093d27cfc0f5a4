//! Operations shared by the HTML pages and the JSON API: find a scenario by
//! id, validate a text, run a lens (bounded, timed, off the async threads)
//! and store the run.

use std::time::Instant;

use negotium_scenario::{builtin, load_str, Diagnostic, Format, Loaded, ScenarioError};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::db::{self, Db, DbError, NewRun, Run};
use crate::runner::RunError;
use crate::AppState;

/// A request-level failure; pages show it as HTML, the API as JSON.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found: {0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("the scenario has {} problem(s)", .0.len())]
    Invalid(Vec<Diagnostic>),
    #[error(transparent)]
    Run(RunError),
    #[error("the run took longer than the limit of {0} s")]
    Timeout(u64),
    #[error("the request body is larger than the server accepts")]
    TooLarge,
    #[error("the server is busy; try again")]
    Busy,
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
            AppError::Invalid(_) | AppError::Run(RunError::BadInput(_)) => S::UNPROCESSABLE_ENTITY,
            AppError::Run(RunError::NotAvailable(_)) => S::NOT_IMPLEMENTED,
            AppError::Timeout(_) => S::GATEWAY_TIMEOUT,
            AppError::Busy => S::SERVICE_UNAVAILABLE,
            AppError::TooLarge => S::PAYLOAD_TOO_LARGE,
            AppError::Run(RunError::Failed(_)) | AppError::Db(_) | AppError::Internal(_) => {
                S::INTERNAL_SERVER_ERROR
            }
        }
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
    let mut sections = vec![];
    if !s.inputs.stances.is_empty() {
        sections.push("stances");
    }
    if s.inputs.conflict.is_some() {
        sections.push("conflict");
    }
    if !s.inputs.institutions.is_empty() {
        sections.push("institutions");
    }
    if s.inputs.bargaining.is_some() {
        sections.push("bargaining");
    }
    if !s.events.is_empty() {
        sections.push("history");
    }
    if s.outcome.is_some() {
        sections.push("outcome");
    }
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

/// Validates, runs the lens within the concurrency bound and time limit, and
/// stores the run. Lens failures on valid input are stored as error runs.
pub async fn run_lens(
    st: &AppState,
    lens: &str,
    scenario: ScenarioArg,
    params: Value,
) -> Result<Run, AppError> {
    if !params.is_object() && !params.is_null() {
        return Err(AppError::BadRequest(
            "params: expected a JSON object".into(),
        ));
    }
    let params = if params.is_null() {
        Value::Object(Default::default())
    } else {
        params
    };
    if !st.runner.lenses().iter().any(|l| l.id == lens) {
        return Err(AppError::Run(RunError::UnknownLens(lens.to_string())));
    }
    let (sref, source, format, name) = match scenario {
        ScenarioArg::Number(n) => {
            let d = find_scenario(st, &n.to_string()).await?;
            let f = d.format();
            (d.id.clone(), d.source.clone(), f, d.file_name())
        }
        ScenarioArg::Id(id) => {
            let d = find_scenario(st, &id).await?;
            let f = d.format();
            (d.id.clone(), d.source.clone(), f, d.file_name())
        }
        ScenarioArg::Inline {
            source,
            format,
            name,
        } => {
            let f = parse_format(format.as_deref().unwrap_or("toml"))?;
            (
                "inline".to_string(),
                source,
                f,
                name.unwrap_or_else(|| format!("inline.{}", format_name(f))),
            )
        }
    };
    let timeout = st.config.run_timeout;
    let permit = tokio::time::timeout(timeout, st.runs.clone().acquire_owned())
        .await
        .map_err(|_| AppError::Busy)?
        .map_err(|_| AppError::Busy)?;
    let runner = st.runner.clone();
    let cache = st.cache.clone();
    let lens_s = lens.to_string();
    let params_c = params.clone();
    let src = source.clone();
    let started = Instant::now();
    let job = tokio::task::spawn_blocking(move || {
        // The permit lives as long as the work, even past a timeout.
        let _permit = permit;
        let loaded = cache
            .validate(&src, &name, format)
            .map_err(AppError::Invalid)?;
        let title = loaded.scenario.scenario.title.clone();
        Ok::<_, AppError>((title, runner.run(&lens_s, &loaded, &params_c)))
    });
    let (title, out) = tokio::time::timeout(timeout, job)
        .await
        .map_err(|_| AppError::Timeout(timeout.as_secs()))?
        .map_err(|e| AppError::Internal(format!("run failed: {e}")))??;
    let ms = started.elapsed().as_millis() as u64;
    let out = match out {
        Ok(o) => Ok(o),
        Err(e @ RunError::Failed(_)) => Err(e),
        Err(e) => return Err(AppError::Run(e)),
    };
    let db = st.db.clone();
    let version = st.runner.version();
    let lens_s = lens.to_string();
    let run = blocking(move || {
        let err_text = out
            .as_ref()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        let outcome = match &out {
            Ok(o) => Ok((&o.result, &o.key_numbers)),
            Err(_) => Err(err_text.as_str()),
        };
        let id = db.insert_run(&NewRun {
            lens: &lens_s,
            scenario_ref: &sref,
            scenario_title: &title,
            source: &source,
            format: format_name(format),
            params: &params,
            seed: out.as_ref().ok().and_then(|o| o.seed),
            version: &version,
            outcome,
            duration_ms: ms,
        })?;
        db.get_run(id)?
            .ok_or_else(|| AppError::Internal("stored run vanished".into()))
    })
    .await?;
    Ok(run)
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

/// Runs, newest first.
pub async fn list_runs(
    st: &AppState,
    scenario: Option<String>,
    limit: usize,
) -> Result<Vec<Run>, AppError> {
    let db: std::sync::Arc<Db> = st.db.clone();
    blocking(move || Ok(db.list_runs(scenario.as_deref(), limit)?)).await
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
        ("seed", r.seed.map(|s| s.to_string()).unwrap_or_default()),
        ("version", r.version.clone()),
        ("status", r.status.clone()),
        ("started", r.started.clone()),
        ("duration_ms", r.duration_ms.to_string()),
    ]
}
