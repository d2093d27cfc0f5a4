//! The JSON API (`/api/…`), mirroring the CLI; documented in docs/api.md.

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use negotium_scenario::overrides::Overrides;

use crate::core::{self, AppError, ScenarioArg};
use crate::flatten;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/lenses", get(lenses))
        .route("/api/scenarios", get(list_scenarios).post(create_scenario))
        .route(
            "/api/scenarios/{id}",
            get(get_scenario)
                .put(update_scenario)
                .delete(delete_scenario),
        )
        .route("/api/validate", post(validate))
        .route("/api/runs", get(list_runs).post(create_run))
        .route("/api/runs/{id}", get(get_run).delete(delete_run))
        .route("/api/preview", post(preview))
        .route("/api/compare", get(compare))
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut r = (self.status(), Json(self.body())).into_response();
        if matches!(self, AppError::Busy) {
            r.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from_static("2"));
        }
        r
    }
}

/// A JSON body; every rejection as a JSON error (400 malformed, 415 not
/// JSON, 422 JSON of the wrong shape, 413 too large).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge(usize::MAX),
                StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType(e.body_text()),
                StatusCode::UNPROCESSABLE_ENTITY => AppError::BadParam {
                    location: "body".into(),
                    message: e.body_text(),
                },
                _ => AppError::BadRequest(e.body_text()),
            }),
        }
    }
}

/// A query string; a rejection as a JSON error (400) naming the problem.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S>
    for ApiQuery<T>
{
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, AppError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(AppError::BadRequest(e.body_text())),
        }
    }
}

async fn health() -> Json<Value> {
    Json(json!({"status": "ok", "version": crate::lenses::version()}))
}

async fn lenses() -> Json<Value> {
    Json(json!({"lenses": crate::lenses::lenses()}))
}

async fn list_scenarios(State(st): State<AppState>) -> Result<Json<Value>, AppError> {
    Ok(Json(json!({"scenarios": core::list_scenarios(&st).await?})))
}

async fn get_scenario(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let d = core::find_scenario(&st, &id).await?;
    let mut v = serde_json::to_value(&d).unwrap_or(Value::Null);
    v["source"] = Value::from(d.source.clone());
    match st.cache.validate(&d.source, &d.file_name(), d.format()) {
        Ok(l) => {
            v["valid"] = Value::Bool(true);
            v["summary"] = serde_json::to_value(core::summary(&l)).unwrap_or(Value::Null);
        }
        Err(diags) => {
            v["valid"] = Value::Bool(false);
            v["diagnostics"] = serde_json::to_value(diags).unwrap_or(Value::Null);
        }
    }
    Ok(Json(v))
}

#[derive(Deserialize)]
struct ScenarioBody {
    #[serde(default)]
    name: Option<String>,
    source: String,
    #[serde(default)]
    format: Option<String>,
}

fn check_scenario(b: &ScenarioBody) -> Result<(String, &'static str), AppError> {
    let f = core::parse_format(b.format.as_deref().unwrap_or("toml"))?;
    let name = b.name.clone().unwrap_or_default();
    let l = core::validate(&b.source, &format!("scenario.{}", core::format_name(f)), f)
        .map_err(AppError::Invalid)?;
    let name = if name.trim().is_empty() {
        l.scenario.scenario.title.clone()
    } else {
        name
    };
    Ok((name, core::format_name(f)))
}

async fn create_scenario(
    State(st): State<AppState>,
    ApiJson(b): ApiJson<ScenarioBody>,
) -> Result<Response, AppError> {
    let (name, fmt) = check_scenario(&b)?;
    let db = st.db.clone();
    let id = core::blocking(move || Ok(db.insert_scenario(&name, fmt, &b.source)?)).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/scenarios/{id}"))],
        Json(json!({"id": id.to_string()})),
    )
        .into_response())
}

async fn update_scenario(
    State(st): State<AppState>,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<ScenarioBody>,
) -> Result<Json<Value>, AppError> {
    let n: i64 = id.parse().map_err(|_| {
        AppError::BadRequest(format!(
            "scenario `{id}` is built in and cannot be changed; save a copy"
        ))
    })?;
    let (name, fmt) = check_scenario(&b)?;
    let db = st.db.clone();
    let ok = core::blocking(move || Ok(db.update_scenario(n, &name, fmt, &b.source)?)).await?;
    if !ok {
        return Err(AppError::NotFound(format!("scenario `{id}`")));
    }
    Ok(Json(json!({"id": id})))
}

#[derive(Deserialize)]
struct ValidateBody {
    source: String,
    #[serde(default)]
    format: Option<String>,
}

async fn validate(ApiJson(b): ApiJson<ValidateBody>) -> Result<Json<Value>, AppError> {
    let f = core::parse_format(b.format.as_deref().unwrap_or("toml"))?;
    Ok(Json(
        match core::validate(&b.source, &format!("scenario.{}", core::format_name(f)), f) {
            Ok(l) => json!({"valid": true, "diagnostics": [], "summary": core::summary(&l)}),
            Err(d) => json!({"valid": false, "diagnostics": d}),
        },
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunBody {
    lens: String,
    scenario: ScenarioArg,
    #[serde(default)]
    params: Value,
    #[serde(default)]
    overrides: Overrides,
}

async fn create_run(
    State(st): State<AppState>,
    ApiJson(b): ApiJson<RunBody>,
) -> Result<Response, AppError> {
    let run = core::run_lens(&st, &b.lens, b.scenario, b.params, b.overrides).await?;
    let status = if run.status == "ok" {
        StatusCode::CREATED
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    Ok((
        status,
        [(header::LOCATION, format!("/api/runs/{}", run.id))],
        Json(run),
    )
        .into_response())
}

/// A lens run on a scenario with overrides, not stored (the what-if panel).
async fn preview(
    State(st): State<AppState>,
    ApiJson(b): ApiJson<RunBody>,
) -> Result<Json<core::Preview>, AppError> {
    Ok(Json(
        core::preview(&st, &b.lens, b.scenario, b.params, b.overrides).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    scenario: Option<String>,
    limit: Option<usize>,
    before: Option<i64>,
}

async fn list_runs(
    State(st): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Value>, AppError> {
    let limit = q.limit.unwrap_or(100);
    if limit == 0 || limit > core::MAX_PAGE {
        return Err(AppError::BadParam {
            location: "limit".into(),
            message: format!("{limit} is outside 1..={}", core::MAX_PAGE),
        });
    }
    let (runs, total) = core::list_runs(&st, q.scenario.clone(), q.before, limit).await?;
    // The next page: runs older than the last one listed.
    let next = match runs.last() {
        Some(last) if runs.len() == limit => {
            let mut n = format!("/api/runs?limit={limit}&before={}", last.id);
            if let Some(s) = &q.scenario {
                n.push_str("&scenario=");
                n.push_str(&crate::pages::urlencode(s));
            }
            Value::from(n)
        }
        _ => Value::Null,
    };
    Ok(Json(
        json!({"runs": runs, "total": total, "limit": limit, "next": next}),
    ))
}

async fn delete_run(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    let n: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound(format!("run `{id}`")))?;
    core::delete_run(&st, n).await?;
    Ok(Json(json!({"deleted": n})))
}

async fn delete_scenario(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    core::delete_scenario(&st, &id).await?;
    Ok(Json(json!({"deleted": id})))
}

/// `/api/runs/{id}`, `/api/runs/{id}.json` (download) or `/api/runs/{id}.csv`.
async fn get_run(
    State(st): State<AppState>,
    Path(seg): Path<String>,
) -> Result<Response, AppError> {
    let (id, ext) = match seg.rsplit_once('.') {
        Some((id, ext)) => (id, Some(ext)),
        None => (seg.as_str(), None),
    };
    let n: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound(format!("run `{seg}`")))?;
    let run = core::get_run(&st, n).await?;
    match ext {
        None => Ok(Json(run).into_response()),
        Some("json") => Ok((
            [
                (header::CONTENT_TYPE, "application/json".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"negotium-run-{n}.json\""),
                ),
            ],
            serde_json::to_string_pretty(&run).unwrap_or_default(),
        )
            .into_response()),
        Some("csv") => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"negotium-run-{n}.csv\""),
                ),
            ],
            match run
                .result
                .as_ref()
                .and_then(|r| crate::lenses::table(&run.lens, r))
            {
                Some(t) => flatten::csv_table(&core::run_meta(&run), &t),
                None => flatten::csv(&core::run_meta(&run), run.result.as_ref()),
            },
        )
            .into_response()),
        Some(other) => Err(AppError::NotFound(format!(
            "run format `.{other}`; expected .json or .csv"
        ))),
    }
}

#[derive(Deserialize)]
pub struct CompareQuery {
    pub a: i64,
    pub b: i64,
}

async fn compare(
    State(st): State<AppState>,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Result<Json<Value>, AppError> {
    let a = core::get_run(&st, q.a).await?;
    let b = core::get_run(&st, q.b).await?;
    let diff = flatten::diff(&a.key_numbers, &b.key_numbers);
    let strip = |r: &crate::db::Run| {
        json!({"id": r.id, "lens": r.lens, "scenario": r.scenario, "scenario_sha256": r.scenario_sha256,
               "params": r.params, "overrides": r.overrides, "seed": r.seed, "version": r.version, "status": r.status})
    };
    Ok(Json(json!({
        "a": strip(&a),
        "b": strip(&b),
        "same_scenario": a.scenario_sha256 == b.scenario_sha256,
        "diff": diff,
    })))
}
