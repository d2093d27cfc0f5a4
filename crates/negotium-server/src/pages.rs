//! Server-rendered HTML pages of the workbench, written as maud templates:
//! every interpolated value is HTML-escaped by the template engine; the
//! only markup taken as it is comes from `negotium-report`, which escapes
//! every user string itself. Every form carries the session's CSRF token;
//! the only script is `/static/workbench.js` (no inline script: the CSP
//! forbids it).

// Handlers answer errors with a whole HTML page (`Err(Response)`), axum's idiom.
#![allow(clippy::result_large_err)]

use axum::extract::{Extension, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{html, Markup, PreEscaped};
use negotium_report::html::{actors_section, history_body, lens_section, page};
use negotium_report::num;
use negotium_scenario::{Diagnostic, Scenario};
use serde::Deserialize;

use crate::core::{self, AppError, ScenarioArg, ScenarioDoc};
use crate::db::Run;
use crate::forms::{self, Field, Input};
use crate::guard::{check_csrf, Session};
use crate::{flatten, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/scenarios/new", get(new_scenario))
        .route("/scenarios", post(create_scenario))
        .route("/scenarios/{id}", get(show_scenario).post(update_scenario))
        .route("/scenarios/{id}/edit", get(edit_scenario))
        .route("/scenarios/{id}/delete", post(delete_scenario))
        .route("/runs", get(runs_page).post(create_run))
        .route("/runs/{id}", get(show_run))
        .route("/runs/{id}/delete", post(delete_run))
        .route("/compare", get(compare_page))
}

/// The workbench's one script (editor helpers, what-if panel).
pub const SCRIPT: &str = include_str!("../static/workbench.js");

/// `GET /static/workbench.js`.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        SCRIPT,
    )
        .into_response()
}

const EXTRA_CSS: &str = "form.inline{display:inline}
label{display:block;margin:4px 0}
label span.help{color:#555;font-size:.85rem;margin-left:6px}
fieldset{border:1px solid #ddd;margin:4px 0;padding:4px 8px}
fieldset label{display:inline-block;margin-right:12px}
input[type=text],input[type=number],select{padding:3px 6px;font-size:.95rem}
textarea{width:100%;min-height:28em;font-size:.85rem;padding:6px}
button{padding:4px 12px;font-size:.95rem;cursor:pointer}
button.danger{color:#a00}
ul.diags{padding-left:1.2em}
li.diag{color:#D55E00;cursor:pointer;margin:3px 0}
tr.changed td{font-weight:bold}
.compare{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.compare>div{min-width:0;overflow:auto}
.lens{border-top:1px solid #ddd;padding-top:6px;margin-top:10px}
#whatif input[type=range]{width:12em;vertical-align:middle}
#whatif output{display:inline-block;min-width:4em;font-variant-numeric:tabular-nums}
#whatif td.delta.up{color:#0072B2}#whatif td.delta.down{color:#D55E00}
#verdict .lens{display:inline-block;border:1px solid #ddd;border-radius:3px;padding:0 4px;margin:0 6px 0 0;font-size:.75rem;color:#555}
#verdict .agree{color:#009E73;font-weight:600}#verdict .disagree{color:#D55E00;font-weight:600}
#verdict ol.findings li{margin:.3em 0}";

const NAV: [(&str, &str); 3] = [
    ("/", "Workbench"),
    ("/scenarios/new", "New scenario"),
    ("/runs", "Run history"),
];

fn html_page(title: &str, body: Markup) -> Html<String> {
    let inner = html! {
        style { (PreEscaped(EXTRA_CSS)) }
        (body)
        script src="/static/workbench.js" defer {}
    };
    Html(page(
        title,
        &NAV,
        &inner.into_string(),
        &format!("{} workbench", crate::lenses::version()),
    ))
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl AppError {
    /// The error as a small HTML page with its status.
    pub fn html(self) -> Response {
        let body = html! {
            section #error {
                h2 { "Error" }
                p.error data-kind=(self.kind()) { (self.to_string()) }
                @if let AppError::Invalid(d) = &self { (diag_list(d)) }
            }
        };
        (self.status(), html_page("Error", body)).into_response()
    }
}

/// Handler result: HTML on both paths.
type PageResult = Result<Response, Response>;

fn located(d: &Diagnostic) -> String {
    match (d.line, d.column) {
        (Some(l), Some(c)) => format!("line {l}, column {c} ({}:{l}:{c})", d.file),
        (Some(l), None) => format!("line {l} ({}:{l})", d.file),
        _ => d.file.clone(),
    }
}

fn diag_list(ds: &[Diagnostic]) -> Markup {
    html! {
        ul.diags {
            @for d in ds {
                li.diag data-line=(d.line.unwrap_or(0)) data-column=(d.column.unwrap_or(0)) {
                    strong { (located(d)) }
                    @if let Some(p) = &d.path { " at " code { (p) } }
                    ": " (d.message)
                }
            }
        }
    }
}

fn csrf_field(s: &Session) -> Markup {
    html! { input type="hidden" name="csrf" value=(s.csrf); }
}

fn scenario_link(id: &str, label: &str) -> Markup {
    html! { a href={ "/scenarios/" (id) } { (label) } }
}

fn runs_table(runs: &[Run], with_compare: bool, session: &Session) -> Markup {
    if runs.is_empty() {
        return html! { p.na { "No runs yet." } };
    }
    let table = html! {
        table.runs {
            thead { tr {
                @if with_compare { th { "A" } th { "B" } }
                th { "run" } th { "lens" } th { "scenario" } th { "params" } th { "seed" }
                th { "status" } th { "started (UTC)" } th { "ms" }
                @if with_compare { th { "" } }
            } }
            tbody {
                @for r in runs {
                    tr {
                        @if with_compare {
                            td { input type="radio" name="a" value=(r.id); }
                            td { input type="radio" name="b" value=(r.id); }
                        }
                        td { a href={ "/runs/" (r.id) } { "#" (r.id) } }
                        td { (r.lens) }
                        td { (scenario_link(&r.scenario, &r.scenario_title)) }
                        td {
                            code { (r.params.to_string()) }
                            @if r.overrides.is_some() { " " span.note { "(what-if)" } }
                        }
                        td { @if let Some(s) = r.seed { (s) } }
                        td { (r.status) }
                        td { (r.started) }
                        td.num { (r.duration_ms) }
                        @if with_compare {
                            td { button.danger type="submit" form={ "delete-run-" (r.id) } title="Delete this run" { "Delete" } }
                        }
                    }
                }
            }
        }
    };
    if !with_compare {
        return table;
    }
    html! {
        form method="get" action="/compare" {
            (table)
            button #compare-ab type="submit" { "Compare A and B" }
        }
        // Deletion forms live outside the compare form (forms do not nest).
        @for r in runs {
            form.inline id={ "delete-run-" (r.id) } method="post" action={ "/runs/" (r.id) "/delete" } {
                (csrf_field(session))
            }
        }
    }
}

async fn home(State(st): State<AppState>, Extension(session): Extension<Session>) -> PageResult {
    let scs = core::list_scenarios(&st).await.map_err(|e| e.html())?;
    let (runs, total) = core::list_runs(&st, None, None, 10)
        .await
        .map_err(|e| e.html())?;
    let body = html! {
        section #scenarios {
            h2 { "Scenarios" }
            table { thead { tr { th { "id" } th { "kind" } th { "name" } th { "sha256" } } }
                tbody { @for d in &scs { tr {
                    td { (scenario_link(&d.id, &d.id)) }
                    td { (d.kind) }
                    td { (d.name) }
                    td { code { (&d.sha256[..12.min(d.sha256.len())]) } }
                } } }
            }
            p { a href="/scenarios/new" { "Create or upload a scenario" } }
        }
        section #lenses {
            h2 { "Lenses" }
            ul { @for l in crate::lenses::lenses() {
                li { strong { (l.title) } " (" code { (l.id) } "): " (l.description) }
            } }
        }
        section #recent {
            h2 { "Recent runs" }
            (runs_table(&runs, false, &session))
            @if total > runs.len() as u64 { p { a href="/runs" { "All " (total) " runs" } } }
        }
    };
    Ok(html_page("negotium workbench", body).into_response())
}

#[derive(Deserialize)]
struct NewQuery {
    from: Option<String>,
}

/// The editor's starting text: a small valid scenario (a test checks it
/// validates and runs).
pub const TEMPLATE: &str = r#"# A scenario: actors, issues on a scale, and each actor's stance.
# See docs/scenario-format.md for every section (conflict, institutions, bargaining, history).
[scenario]
id = "my-scenario"
title = "My scenario"

[[issue]]
id = "budget"
name = "Budget increase"
min = 0.0
max = 100.0
unit = "percent"
points = [{ at = 0.0, label = "no increase" }, { at = 100.0, label = "doubling" }]

[[actor]]
id = "A"
name = "Actor A"
capability = 2.0

[[actor]]
id = "B"
name = "Actor B"
capability = 1.0

[[stance]]
actor = "A"
issue = "budget"
position = 20.0
salience = 0.8

[[stance]]
actor = "B"
issue = "budget"
position = 70.0
salience = 0.5
"#;

fn editor(
    action: &str,
    name: &str,
    format: &str,
    source: &str,
    diags: Option<&[Diagnostic]>,
    note: &str,
    session: &Session,
) -> Markup {
    html! {
        section #editor {
            h2 { "Scenario editor" }
            @if !note.is_empty() { p.note { (note) } }
            @if let Some(ds) = diags {
                @if ds.is_empty() {
                    p.ok #valid { "The scenario is valid." }
                } @else {
                    div #problems {
                        p.error { (ds.len()) " problem(s); click one to jump to its line:" }
                        (diag_list(ds))
                    }
                }
            }
            form #scenario-form method="post" action=(action) {
                (csrf_field(session))
                label { "Name " input type="text" name="name" value=(name) size="50"; }
                label { "Format "
                    select name="format" {
                        @for f in ["toml", "json", "csv"] { option value=(f) selected[f == format] { (f) } }
                    }
                }
                label { "Load a file " input type="file" #file accept=".toml,.json,.csv,text/plain"; }
                textarea name="source" #source spellcheck="false" { (source) }
                p {
                    button type="submit" name="action" value="validate" { "Validate" } " "
                    button type="submit" name="action" value="save" { "Save" }
                }
            }
        }
    }
}

async fn new_scenario(
    State(st): State<AppState>,
    Extension(session): Extension<Session>,
    Query(q): Query<NewQuery>,
) -> PageResult {
    let (name, format, source) = match q.from {
        Some(id) => {
            let d = core::find_scenario(&st, &id).await.map_err(|e| e.html())?;
            (format!("Copy of {}", d.id), d.format, d.source)
        }
        None => (String::new(), "toml", TEMPLATE.to_string()),
    };
    Ok(html_page(
        "New scenario",
        editor(
            "/scenarios",
            &name,
            format,
            &source,
            None,
            "Write or paste a scenario, or load a file; Save validates first.",
            &session,
        ),
    )
    .into_response())
}

#[derive(Deserialize)]
struct ScenarioForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    format: String,
    source: String,
    #[serde(default)]
    action: String,
    csrf: Option<String>,
}

/// Validates a submitted scenario: Ok(name, format) when it may be saved,
/// or the editor page again with the problems.
fn check_form(
    f: &ScenarioForm,
    action: &str,
    session: &Session,
) -> Result<(String, &'static str), Response> {
    check_csrf(session, f.csrf.as_deref()).map_err(|e| e.html())?;
    let fmt = core::parse_format(&f.format).map_err(|e| e.html())?;
    let file = format!("scenario.{}", core::format_name(fmt));
    let again = |ds: Option<&[Diagnostic]>| {
        html_page(
            "Scenario editor",
            editor(
                action,
                &f.name,
                core::format_name(fmt),
                &f.source,
                ds,
                "",
                session,
            ),
        )
    };
    match core::validate(&f.source, &file, fmt) {
        Ok(l) if f.action != "validate" => {
            let name = if f.name.trim().is_empty() {
                l.scenario.scenario.title.clone()
            } else {
                f.name.clone()
            };
            Ok((name, core::format_name(fmt)))
        }
        Ok(_) => Err(again(Some(&[])).into_response()),
        Err(ds) => Err((StatusCode::UNPROCESSABLE_ENTITY, again(Some(&ds))).into_response()),
    }
}

async fn create_scenario(
    State(st): State<AppState>,
    Extension(session): Extension<Session>,
    Form(f): Form<ScenarioForm>,
) -> PageResult {
    let (name, fmt) = check_form(&f, "/scenarios", &session)?;
    let db = st.db.clone();
    let id = core::blocking(move || Ok(db.insert_scenario(&name, fmt, &f.source)?))
        .await
        .map_err(|e| e.html())?;
    Ok(Redirect::to(&format!("/scenarios/{id}")).into_response())
}

async fn update_scenario(
    State(st): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Form(f): Form<ScenarioForm>,
) -> PageResult {
    check_csrf(&session, f.csrf.as_deref()).map_err(|e| e.html())?;
    let n: i64 = id.parse().map_err(|_| {
        AppError::BadRequest("built-in scenarios cannot be changed; save a copy".into()).html()
    })?;
    let (name, fmt) = check_form(&f, &format!("/scenarios/{id}"), &session)?;
    let db = st.db.clone();
    let ok = core::blocking(move || Ok(db.update_scenario(n, &name, fmt, &f.source)?))
        .await
        .map_err(|e| e.html())?;
    if !ok {
        return Err(AppError::NotFound(format!("scenario {id}")).html());
    }
    Ok(Redirect::to(&format!("/scenarios/{id}")).into_response())
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: Option<String>,
}

async fn delete_scenario(
    State(st): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    check_csrf(&session, f.csrf.as_deref()).map_err(|e| e.html())?;
    core::delete_scenario(&st, &id)
        .await
        .map_err(|e| e.html())?;
    Ok(Redirect::to("/").into_response())
}

async fn delete_run(
    State(st): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    check_csrf(&session, f.csrf.as_deref()).map_err(|e| e.html())?;
    let n: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound(format!("run `{id}`")).html())?;
    core::delete_run(&st, n).await.map_err(|e| e.html())?;
    Ok(Redirect::to("/runs").into_response())
}

async fn edit_scenario(
    State(st): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> PageResult {
    let d = core::find_scenario(&st, &id).await.map_err(|e| e.html())?;
    if d.kind == "builtin" {
        return Ok(
            Redirect::to(&format!("/scenarios/new?from={}", urlencode(&d.id))).into_response(),
        );
    }
    let diags = st
        .cache
        .validate(&d.source, &d.file_name(), d.format())
        .err();
    Ok(html_page(
        &format!("Edit {}", d.name),
        editor(
            &format!("/scenarios/{id}"),
            &d.name,
            d.format,
            &d.source,
            diags.as_deref(),
            "",
            &session,
        ),
    )
    .into_response())
}

fn field_input(f: &Field) -> Markup {
    let name = format!("p_{}", f.name);
    let def = f.default_text();
    html! {
        @match &f.input {
            Input::Bool => { input type="checkbox" name=(name) checked[f.default == serde_json::Value::Bool(true)]; }
            Input::Integer { min, max } => {
                input type="number" step="1" name=(name) value=(def) required[f.required]
                    min=[min.map(|m| m.to_string())] max=[max.map(|m| m.to_string())];
            }
            Input::Number => { input type="number" step="any" name=(name) value=(def) required[f.required]; }
            Input::Text => { input type="text" size="40" name=(name) value=(def) required[f.required]; }
            Input::One(opts) => {
                select name=(name) {
                    @if !f.required && !opts.iter().any(|(v, _)| *v == def) { option value="" selected { "(default)" } }
                    @for (v, label) in opts { option value=(v) selected[*v == def] { (label) } }
                }
            }
            Input::Many(opts) => {
                fieldset {
                    @for (v, label) in opts {
                        label { input type="checkbox" name=(name) value=(v) checked[f.selected(v)]; " " (label) }
                    }
                }
            }
        }
    }
}

fn field_row(f: &Field) -> Markup {
    html! {
        label { (f.name) " " (field_input(f)) span.help { (f.help) } }
    }
}

fn lens_form(l: &crate::LensInfo, scenario_id: &str, sc: &Scenario, session: &Session) -> Markup {
    let fields = forms::fields(&l.id, Some(sc));
    let (main, more): (Vec<&Field>, Vec<&Field>) = fields.iter().partition(|f| f.main);
    html! {
        div.lens id={ "lens-" (l.id) } {
            h3 { (l.title) }
            p.note { (l.description) }
            form method="post" action="/runs" {
                (csrf_field(session))
                input type="hidden" name="lens" value=(l.id);
                input type="hidden" name="scenario" value=(scenario_id);
                @for f in &main { (field_row(f)) }
                @if !more.is_empty() {
                    details { summary { "More parameters (" (more.len()) ")" }
                        @for f in &more { (field_row(f)) }
                    }
                }
                button type="submit" id={ "run-" (l.id) } { "Run " (l.id) }
            }
        }
    }
}

/// The live what-if panel: sliders for every actor's capability and every
/// stance's position and salience; `workbench.js` reruns the ticked lenses
/// through `/api/preview` as they move and shows the change against the
/// baseline.
fn whatif_panel(scenario_id: &str, sc: &Scenario, lenses: &[&crate::LensInfo]) -> Markup {
    let inp = &sc.inputs;
    let cap_max = inp
        .actors
        .iter()
        .map(|a| a.capability)
        .fold(0.0_f64, f64::max)
        .max(1e-9)
        * 2.0;
    // Lenses that read stances or capabilities and answer in well under a
    // second on the built-in scenarios (the others read other sections).
    let reruns = ["forecast", "vote"];
    html! {
        section #whatif data-scenario=(scenario_id) {
            h2 { "What if" }
            p.note { "Move a slider: the ticked lenses rerun on the changed scenario (nothing is stored), with the parameters set in their forms below, and each key number is shown against the baseline. "
                "Store keeps the what-if as runs (with its overrides) in the run history." }
            fieldset #whatif-lenses {
                @for l in lenses.iter().filter(|l| reruns.contains(&l.id.as_str())) {
                    label { input type="checkbox" value=(l.id) checked[l.id == "forecast"]; " " (l.id) }
                }
            }
            p {
                button type="button" #whatif-reset { "Reset" } " "
                button type="button" #whatif-store { "Store as runs" } " "
                span #whatif-status.note { "" }
            }
            div #whatif-results { p.na { "Move a slider to see the change." } }
            details open {
                summary { "Capabilities (" (inp.actors.len()) " actors)" }
                table.sliders { tbody {
                    @for a in &inp.actors {
                        tr {
                            td { (a.id) } td { (a.name) }
                            td { input type="range" data-kind="capability" data-actor=(a.id)
                                min="0" max=(cap_max) step="any" value=(a.capability) data-base=(a.capability); }
                            td { output { (num(a.capability, 3)) } }
                        }
                    }
                } }
            }
            @for is in &inp.issues {
                @let (lo, hi) = (is.min.min(is.max), is.min.max(is.max));
                details {
                    summary { "Stances on " (is.id) " — " (is.name) " (" (num(lo, 2)) "–" (num(hi, 2)) ")" }
                    table.sliders {
                        thead { tr { th { "actor" } th { "position" } th { "" } th { "salience" } th { "" } } }
                        tbody {
                            @for s in inp.stances.iter().filter(|s| s.issue == is.id) {
                                tr {
                                    td { (s.actor) }
                                    td { input type="range" data-kind="position" data-actor=(s.actor) data-issue=(s.issue)
                                        min=(lo) max=(hi) step="any" value=(s.position) data-base=(s.position); }
                                    td { output { (num(s.position, 3)) } }
                                    td { input type="range" data-kind="salience" data-actor=(s.actor) data-issue=(s.issue)
                                        min="0" max="1" step="any" value=(s.salience) data-base=(s.salience); }
                                    td { output { (num(s.salience, 2)) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The verdict of a valid scenario as HTML: from the newest stored
/// `analyze` run of this very text (no overrides, no `as_of`) when there is
/// one, else from the lenses run now (without the replay and the
/// uncertainty sweep, which the verdict does not read). None when neither
/// works (the page then shows no verdict).
async fn scenario_verdict(
    st: &AppState,
    d: &ScenarioDoc,
    runs: &[Run],
    l: std::sync::Arc<negotium_scenario::Loaded>,
) -> Option<String> {
    use negotium_analysis::analyze::{self, AnalyzeParams, AnalyzeResult};
    let stored = runs.iter().find(|r| {
        r.lens == "analyze"
            && r.status == "ok"
            && r.scenario_sha256 == d.sha256
            && r.overrides.is_none()
            && r.params
                .get("as_of")
                .is_none_or(|v| v.is_null() || v.as_str() == Some(""))
    });
    if let Some(r) = stored {
        if let Ok(full) = core::get_run(st, r.id).await {
            if let Some(a) = full
                .result
                .as_ref()
                .and_then(|v| AnalyzeResult::deserialize(v).ok())
            {
                return Some(negotium_report::report_html::verdict_section(&a));
            }
        }
    }
    core::blocking(move || {
        Ok(analyze::run_lenses(&l, &AnalyzeParams::default())
            .ok()
            .map(|a| negotium_report::report_html::verdict_section(&a)))
    })
    .await
    .ok()
    .flatten()
}

async fn show_scenario(
    State(st): State<AppState>,
    Extension(session): Extension<Session>,
    Path(id): Path<String>,
) -> PageResult {
    let d: ScenarioDoc = core::find_scenario(&st, &id).await.map_err(|e| e.html())?;
    let (runs, total) = core::list_runs(&st, Some(d.id.clone()), None, 50)
        .await
        .map_err(|e| e.html())?;
    let runs_section = html! {
        section #runs {
            h2 { "Runs of this scenario" }
            (runs_table(&runs, true, &session))
            @if total > runs.len() as u64 {
                p { a href={ "/runs?scenario=" (urlencode(&d.id)) } { "All " (total) " runs" } }
            }
        }
    };
    let loaded = st.cache.validate(&d.source, &d.file_name(), d.format());
    let verdict = match &loaded {
        Ok(l) => scenario_verdict(&st, &d, &runs, l.clone()).await,
        Err(_) => None,
    };
    let (title, body) = match loaded {
        Ok(l) => {
            let sc = &l.scenario;
            let sm = core::summary(&l);
            let all = crate::lenses::lenses();
            let (usable, unusable): (Vec<_>, Vec<_>) = all
                .iter()
                .partition(|l| l.needs.iter().all(|n| sm.sections.contains(&n.as_str())));
            let ev = serde_json::to_value(&sc.events).unwrap_or_default();
            let body = html! {
                section #scenario {
                    h2 { (sc.scenario.title) }
                    p { (d.kind) " " code { (d.id) } " · " (sm.actors) " actors · " (sm.issues) " issues · "
                        (sm.events) " events · sections: " (sm.sections.join(", ")) }
                    p.note { "sha256 " code { (d.sha256) } }
                    p {
                        a href={ "/scenarios/" (d.id) "/edit" } { @if d.kind == "builtin" { "Copy and edit" } @else { "Edit" } }
                        @if d.kind == "saved" {
                            " "
                            form.inline method="post" action={ "/scenarios/" (d.id) "/delete" } {
                                (csrf_field(&session))
                                button.danger type="submit" { "Delete this scenario" }
                            }
                        }
                    }
                }
                @if let Some(v) = &verdict { (PreEscaped(v)) }
                (PreEscaped(actors_section(sc)))
                (whatif_panel(&d.id, sc, &usable))
                section #run {
                    h2 { "Run a lens" }
                    @for l in &usable { (lens_form(l, &d.id, sc, &session)) }
                    @if !unusable.is_empty() {
                        p.note { "Not applicable to this scenario (a section is missing): "
                            @for (i, l) in unusable.iter().enumerate() {
                                @if i > 0 { ", " }
                                code { (l.id) } " (needs " (l.needs.join(", ")) ")"
                            }
                        }
                    }
                }
                section #history { h2 { "History" } (PreEscaped(history_body(&ev))) }
                (runs_section)
            };
            (sc.scenario.title.clone(), body)
        }
        Err(ds) => {
            let body = html! {
                section #scenario {
                    h2 { (d.name) }
                    p.error { "This scenario does not validate." }
                    (diag_list(&ds))
                    p { a href={ "/scenarios/" (d.id) "/edit" } { "Edit it" } }
                }
                (runs_section)
            };
            (d.name.clone(), body)
        }
    };
    Ok(html_page(&title, body).into_response())
}

async fn create_run(
    State(st): State<AppState>,
    Extension(session): Extension<Session>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| {
        form.iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    check_csrf(&session, Some(&get("csrf"))).map_err(|e| e.html())?;
    let lens = get("lens");
    let scenario = get("scenario");
    crate::lenses::check_offered(&lens).map_err(|e| AppError::Run(e).html())?;
    let doc = core::find_scenario(&st, &scenario)
        .await
        .map_err(|e| e.html())?;
    let sc = st
        .cache
        .validate(&doc.source, &doc.file_name(), doc.format())
        .ok();
    let fields = forms::fields(&lens, sc.as_ref().map(|l| &l.scenario));
    let params =
        forms::params_from_form(&fields, &form).map_err(|e| AppError::BadRequest(e).html())?;
    let run = core::run_lens(
        &st,
        &lens,
        ScenarioArg::Id(scenario),
        params,
        Default::default(),
    )
    .await
    .map_err(|e| e.html())?;
    Ok(Redirect::to(&format!("/runs/{}", run.id)).into_response())
}

#[derive(Deserialize)]
struct RunsQuery {
    scenario: Option<String>,
    before: Option<i64>,
}

/// Runs shown per page of the run history.
const RUNS_PER_PAGE: usize = 100;

async fn runs_page(
    State(st): State<AppState>,
    Extension(session): Extension<Session>,
    Query(q): Query<RunsQuery>,
) -> PageResult {
    let (runs, total) = core::list_runs(&st, q.scenario.clone(), q.before, RUNS_PER_PAGE)
        .await
        .map_err(|e| e.html())?;
    let older = (runs.len() == RUNS_PER_PAGE)
        .then(|| runs.last().map(|r| r.id))
        .flatten();
    let scen = q
        .scenario
        .as_deref()
        .map(|s| format!("&scenario={}", urlencode(s)))
        .unwrap_or_default();
    let body = html! {
        section #runs {
            h2 { "Run history" }
            p.note { (total) " run(s)" @if let Some(s) = &q.scenario { " of scenario " code { (s) } }
                @if q.before.is_some() { " · older than run #" (q.before.unwrap_or(0)) } }
            (runs_table(&runs, true, &session))
            p {
                @if q.before.is_some() { a href={ "/runs?" (scen.trim_start_matches('&')) } { "Newest" } " · " }
                @if let Some(b) = older { a #older href={ "/runs?before=" (b) (scen) } { "Older runs" } }
            }
        }
    };
    Ok(html_page("Run history", body).into_response())
}

/// The scenario a run used, parsed again from its stored source.
async fn run_scenario(st: &AppState, r: &Run) -> Option<Scenario> {
    let db = st.db.clone();
    let sha = r.scenario_sha256.clone();
    let (fmt, text) = core::blocking(move || Ok(db.source(&sha)?))
        .await
        .ok()
        .flatten()?;
    let f = core::parse_format(&fmt).ok()?;
    st.cache
        .validate(&text, "run", f)
        .ok()
        .map(|l| l.scenario.clone())
}

fn run_meta_table(r: &Run) -> Markup {
    html! {
        table.meta { tbody {
            @for (k, v) in core::run_meta(r) {
                @if !(k == "overrides" && v.is_empty()) {
                    tr { th { (k) } td {
                        @if k == "scenario" { (scenario_link(&v, &v)) } @else { code { (v) } }
                    } }
                }
            }
        } }
    }
}

/// A stored result of the replay, sweep, backtest or advise lens as its
/// report section (charts and tables); None for other lenses or a result
/// that does not parse as the lens's current contract.
fn chart_section(lens: &str, v: &serde_json::Value) -> Option<Markup> {
    use negotium_analysis::{advise, backtest, replay, sweep};
    use negotium_report as rep;
    fn parse<T: serde::de::DeserializeOwned>(v: &serde_json::Value) -> Option<T> {
        T::deserialize(v).ok()
    }
    Some(match lens {
        "replay" => rep::replay::section(&parse::<replay::ReplayResult>(v)?),
        "sweep" => rep::sweep::section(&parse::<sweep::SweepResult>(v)?),
        "backtest" => rep::backtest::section(&parse::<backtest::BacktestResult>(v)?),
        "advise" => rep::advise::section(&parse::<advise::AdviseResult>(v)?),
        _ => return None,
    })
}

fn run_body(r: &Run, sc: Option<&Scenario>) -> Markup {
    match (&r.result, &r.error) {
        (Some(v), _) => match chart_section(&r.lens, v) {
            Some(m) => m,
            None => html! { (PreEscaped(lens_section(&r.lens, v, sc))) },
        },
        (None, Some(e)) => html! { p.error { "The run failed: " (e) } },
        _ => html! { p.na { "No result stored." } },
    }
}

async fn show_run(
    State(st): State<AppState>,
    Extension(session): Extension<Session>,
    Path(seg): Path<String>,
) -> PageResult {
    let n: i64 = seg
        .parse()
        .map_err(|_| AppError::NotFound(format!("run `{seg}`")).html())?;
    let r = core::get_run(&st, n).await.map_err(|e| e.html())?;
    let sc = run_scenario(&st, &r).await;
    let body = html! {
        section #run {
            h2 { "Run #" (r.id) " — " (r.lens) " on " (r.scenario_title) }
            @if r.overrides.is_some() { p.note { "A what-if run: the overrides below were applied to the scenario first." } }
            (run_meta_table(&r))
            p {
                a href={ "/api/runs/" (r.id) ".json" } download { "Download JSON" } " · "
                a href={ "/api/runs/" (r.id) ".csv" } download { "Download CSV" } " · "
                form.inline method="post" action={ "/runs/" (r.id) "/delete" } {
                    (csrf_field(&session))
                    button.danger type="submit" { "Delete this run" }
                }
            }
        }
        section #result { h2 { "Result" } (run_body(&r, sc.as_ref())) }
        @if !r.key_numbers.is_empty() {
            section #key-numbers {
                h2 { "Key numbers" }
                details {
                    summary { (r.key_numbers.len()) " numbers used to compare runs" }
                    table { tbody { @for (k, v) in &r.key_numbers {
                        tr { td { (k) } td.num { (num(*v, 4)) } }
                    } } }
                }
            }
        }
    };
    Ok(html_page(&format!("Run #{}", r.id), body).into_response())
}

#[derive(Deserialize)]
struct CompareQ {
    a: Option<String>,
    b: Option<String>,
}

async fn compare_page(State(st): State<AppState>, Query(q): Query<CompareQ>) -> PageResult {
    let parse = |x: &Option<String>, which: &str| -> Result<i64, Response> {
        x.as_deref()
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| AppError::BadRequest(format!("choose run {which} to compare")).html())
    };
    let (a, b) = (parse(&q.a, "A")?, parse(&q.b, "B")?);
    let ra = core::get_run(&st, a).await.map_err(|e| e.html())?;
    let rb = core::get_run(&st, b).await.map_err(|e| e.html())?;
    let (sa, sb) = (run_scenario(&st, &ra).await, run_scenario(&st, &rb).await);
    let diff = flatten::diff(&ra.key_numbers, &rb.key_numbers);
    let f = |x: Option<f64>| x.map(|x| num(x, 4)).unwrap_or_else(|| "—".into());
    let body = html! {
        section #diff {
            h2 { "Key numbers: run #" (ra.id) " vs run #" (rb.id) }
            p { @if ra.scenario_sha256 == rb.scenario_sha256 { "Same scenario text (sha256)." }
                @else { "Different scenario texts (sha256 differ)." } }
            @if diff.is_empty() {
                p.na { "Neither run recorded key numbers." }
            } @else {
                table.diff {
                    thead { tr { th { "key" } th { "run #" (ra.id) } th { "run #" (rb.id) } th { "B − A" } } }
                    tbody { @for d in &diff {
                        tr.changed[d.delta.is_none_or(|x| x.abs() > 1e-12)] {
                            td { (d.key) } td.num { (f(d.a)) } td.num { (f(d.b)) } td.num { (f(d.delta)) }
                        }
                    } }
                }
            }
        }
        section #side-by-side {
            h2 { "Side by side" }
            div.compare {
                div { h3 { "Run #" (ra.id) } (run_meta_table(&ra)) (run_body(&ra, sa.as_ref())) }
                div { h3 { "Run #" (rb.id) } (run_meta_table(&rb)) (run_body(&rb, sb.as_ref())) }
            }
        }
    };
    Ok(html_page(&format!("Compare runs #{} and #{}", ra.id, rb.id), body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editor_template_is_valid_and_runs() {
        let l =
            negotium_scenario::load_str(TEMPLATE, "template.toml", negotium_scenario::Format::Toml)
                .unwrap_or_else(|e| panic!("{:?}", e.diagnostics()));
        let r =
            negotium_analysis::registry::run_json("forecast", &l, &serde_json::json!({})).unwrap();
        // Two actors, capability 2×0.8 at 20 and 1×0.5 at 70: the weighted
        // median is 20 and the compromise (c·s-weighted mean) 1.6·20+0.5·70 / 2.1.
        let models = r["issues"][0]["models"].as_array().unwrap();
        let f = |m: &str| {
            models.iter().find(|x| x["model"] == m).unwrap()["forecast"]
                .as_f64()
                .unwrap()
        };
        assert_eq!(f("median"), 20.0);
        assert!((f("compromise") - (1.6 * 20.0 + 0.5 * 70.0) / 2.1).abs() < 1e-9);
    }

    #[test]
    fn templates_escape_what_they_interpolate() {
        let d = Diagnostic {
            file: "<f>".into(),
            line: Some(1),
            column: None,
            path: Some("\"p\"".into()),
            message: "<script>alert(1)</script>".into(),
        };
        let h = diag_list(&[d]).into_string();
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
        assert!(
            h.contains("&lt;f&gt;") && h.contains("&quot;p&quot;"),
            "{h}"
        );
    }
}
