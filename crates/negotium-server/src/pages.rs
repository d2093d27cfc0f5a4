//! Server-rendered HTML pages of the workbench. Every user string goes
//! through `esc`; the only script is a few lines that load a chosen file
//! into the editor and jump to an error's line.

// Handlers answer errors with a whole HTML page (`Err(Response)`), axum's idiom.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::fmt::Write;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use negotium_report::html::{actors_section, history_body, lens_section, page};
use negotium_report::num;
use negotium_report::svg::esc;
use negotium_scenario::Diagnostic;
use serde::Deserialize;

use crate::core::{self, AppError, ScenarioArg, ScenarioDoc};
use crate::db::Run;
use crate::runner::{params_from_form, LensInfo, ParamKind};
use crate::{flatten, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/scenarios/new", get(new_scenario))
        .route("/scenarios", post(create_scenario))
        .route("/scenarios/{id}", get(show_scenario).post(update_scenario))
        .route("/scenarios/{id}/edit", get(edit_scenario))
        .route("/runs", get(runs_page).post(create_run))
        .route("/runs/{id}", get(show_run))
        .route("/compare", get(compare_page))
}

const EXTRA_CSS: &str = "<style>
form.inline{display:inline}
label{display:block;margin:4px 0}
label span.help{color:#555;font-size:.85rem;margin-left:6px}
input[type=text],input[type=number],select{padding:3px 6px;font-size:.95rem}
textarea{width:100%;min-height:28em;font-size:.85rem;padding:6px}
button{padding:4px 12px;font-size:.95rem;cursor:pointer}
ul.diags{padding-left:1.2em}
li.diag{color:#D55E00;cursor:pointer;margin:3px 0}
tr.changed td{font-weight:bold}
.compare{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.compare>div{min-width:0;overflow:auto}
.lens{border-top:1px solid #ddd;padding-top:6px;margin-top:10px}
</style>";

const NAV: [(&str, &str); 3] = [
    ("/", "Workbench"),
    ("/scenarios/new", "New scenario"),
    ("/runs", "Run history"),
];

fn html_page(title: &str, body: &str, st: &AppState) -> Html<String> {
    Html(page(
        title,
        &NAV,
        &format!("{EXTRA_CSS}{body}"),
        &format!("{} workbench", st.runner.version()),
    ))
}

impl AppError {
    /// The error as a small HTML page with its status.
    pub fn html(self, st: &AppState) -> Response {
        let mut body = format!(
            "<section id=\"error\"><h2>Error</h2><p class=\"error\">{}</p>",
            esc(&self.to_string())
        );
        if let AppError::Invalid(d) = &self {
            body.push_str(&diag_list(d));
        }
        body.push_str("</section>");
        (self.status(), html_page("Error", &body, st)).into_response()
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

fn diag_list(ds: &[Diagnostic]) -> String {
    let mut s = String::from("<ul class=\"diags\">");
    for d in ds {
        let _ =
            write!(
            s,
            "<li class=\"diag\" data-line=\"{}\" data-column=\"{}\"><strong>{}</strong>{}: {}</li>",
            d.line.unwrap_or(0),
            d.column.unwrap_or(0),
            esc(&located(d)),
            d.path.as_ref().map(|p| format!(" at <code>{}</code>", esc(p))).unwrap_or_default(),
            esc(&d.message)
        );
    }
    s.push_str("</ul>");
    s
}

fn scenario_link(id: &str, label: &str) -> String {
    format!("<a href=\"/scenarios/{}\">{}</a>", esc(id), esc(label))
}

fn runs_table(runs: &[Run], with_compare: bool) -> String {
    if runs.is_empty() {
        return "<p class=\"na\">No runs yet.</p>".into();
    }
    let mut s = String::new();
    if with_compare {
        s.push_str("<form method=\"get\" action=\"/compare\">");
    }
    s.push_str("<table class=\"runs\"><thead><tr>");
    if with_compare {
        s.push_str("<th>A</th><th>B</th>");
    }
    s.push_str("<th>run</th><th>lens</th><th>scenario</th><th>params</th><th>seed</th><th>status</th><th>started (UTC)</th><th>ms</th></tr></thead><tbody>");
    for r in runs {
        s.push_str("<tr>");
        if with_compare {
            let _ = write!(s, "<td><input type=\"radio\" name=\"a\" value=\"{0}\"></td><td><input type=\"radio\" name=\"b\" value=\"{0}\"></td>", r.id);
        }
        let _ = write!(
            s,
            "<td><a href=\"/runs/{id}\">#{id}</a></td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            esc(&r.lens),
            scenario_link(&r.scenario, &r.scenario_title),
            esc(&r.params.to_string()),
            r.seed.map(|s| s.to_string()).unwrap_or_default(),
            esc(&r.status),
            esc(&r.started),
            r.duration_ms,
            id = r.id
        );
    }
    s.push_str("</tbody></table>");
    if with_compare {
        s.push_str("<button type=\"submit\">Compare A and B</button></form>");
    }
    s
}

async fn home(State(st): State<AppState>) -> PageResult {
    let scs = core::list_scenarios(&st).await.map_err(|e| e.html(&st))?;
    let runs = core::list_runs(&st, None, 10)
        .await
        .map_err(|e| e.html(&st))?;
    let mut b = String::from("<section id=\"scenarios\"><h2>Scenarios</h2><table><thead><tr><th>id</th><th>kind</th><th>name</th><th>sha256</th></tr></thead><tbody>");
    for d in &scs {
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            scenario_link(&d.id, &d.id),
            d.kind,
            esc(&d.name),
            esc(&d.sha256[..12.min(d.sha256.len())])
        );
    }
    b.push_str("</tbody></table><p><a href=\"/scenarios/new\">Create or upload a scenario</a></p></section>");
    b.push_str("<section id=\"lenses\"><h2>Lenses</h2><ul>");
    for l in st.runner.lenses() {
        let _ = write!(
            b,
            "<li><strong>{}</strong> (<code>{}</code>): {}</li>",
            esc(&l.title),
            esc(&l.id),
            esc(&l.description)
        );
    }
    b.push_str("</ul></section><section id=\"recent\"><h2>Recent runs</h2>");
    b.push_str(&runs_table(&runs, false));
    b.push_str("</section>");
    Ok(html_page("negotium workbench", &b, &st).into_response())
}

#[derive(Deserialize)]
struct NewQuery {
    from: Option<String>,
}

const TEMPLATE: &str = "[scenario]\nid = \"my-scenario\"\ntitle = \"My scenario\"\n\n[[issue]]\nid = \"issue\"\nname = \"The issue\"\nmin = 0.0\nmax = 100.0\n\n[[actor]]\nid = \"A\"\nname = \"Actor A\"\ncapability = 1.0\n\n[[stance]]\nactor = \"A\"\nissue = \"issue\"\nposition = 50.0\nsalience = 0.5\n";

fn editor(
    action: &str,
    name: &str,
    format: &str,
    source: &str,
    diags: Option<&[Diagnostic]>,
    note: &str,
) -> String {
    let mut b = String::from("<section id=\"editor\"><h2>Scenario editor</h2>");
    if !note.is_empty() {
        let _ = write!(b, "<p class=\"note\">{}</p>", esc(note));
    }
    if let Some(ds) = diags {
        if ds.is_empty() {
            b.push_str("<p class=\"ok\" id=\"valid\">The scenario is valid.</p>");
        } else {
            let _ = write!(b, "<div id=\"problems\"><p class=\"error\">{} problem(s); click one to jump to its line:</p>{}</div>", ds.len(), diag_list(ds));
        }
    }
    let _ = write!(
        b,
        "<form method=\"post\" action=\"{}\" id=\"scenario-form\"><label>Name <input type=\"text\" name=\"name\" value=\"{}\" size=\"50\"></label>\
<label>Format <select name=\"format\">{}</select></label>\
<label>Load a file <input type=\"file\" id=\"file\" accept=\".toml,.json,.csv,text/plain\"></label>\
<textarea name=\"source\" id=\"source\" spellcheck=\"false\">{}</textarea>\
<p><button type=\"submit\" name=\"action\" value=\"validate\">Validate</button> <button type=\"submit\" name=\"action\" value=\"save\">Save</button></p></form></section>",
        esc(action),
        esc(name),
        ["toml", "json", "csv"]
            .iter()
            .map(|f| format!("<option value=\"{f}\"{}>{f}</option>", if *f == format { " selected" } else { "" }))
            .collect::<String>(),
        esc(source)
    );
    b.push_str(
        r#"<script>
document.getElementById('file').addEventListener('change', function (e) {
  var f = e.target.files[0]; if (!f) return;
  var r = new FileReader();
  r.onload = function () {
    document.getElementById('source').value = r.result;
    var ext = f.name.split('.').pop().toLowerCase();
    var sel = document.querySelector('select[name=format]');
    if (['toml','json','csv'].indexOf(ext) >= 0) sel.value = ext;
    var n = document.querySelector('input[name=name]'); if (!n.value) n.value = f.name;
  };
  r.readAsText(f);
});
document.querySelectorAll('li.diag').forEach(function (li) {
  li.addEventListener('click', function () {
    var line = +li.dataset.line; if (!line) return;
    var ta = document.getElementById('source'), lines = ta.value.split('\n'), start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
    ta.focus(); ta.setSelectionRange(start, start + (lines[line - 1] || '').length);
  });
});
</script>"#,
    );
    b
}

async fn new_scenario(State(st): State<AppState>, Query(q): Query<NewQuery>) -> PageResult {
    let (name, format, source) = match q.from {
        Some(id) => {
            let d = core::find_scenario(&st, &id)
                .await
                .map_err(|e| e.html(&st))?;
            (format!("Copy of {}", d.id), d.format, d.source)
        }
        None => (String::new(), "toml", TEMPLATE.to_string()),
    };
    Ok(html_page(
        "New scenario",
        &editor(
            "/scenarios",
            &name,
            format,
            &source,
            None,
            "Write or paste a scenario, or load a file; Save validates first.",
        ),
        &st,
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
}

/// Validates a submitted scenario: Ok(name, format) when it may be saved,
/// or the editor page again with the problems.
fn check_form(
    st: &AppState,
    f: &ScenarioForm,
    action: &str,
) -> Result<(String, &'static str), Response> {
    let fmt = core::parse_format(&f.format).map_err(|e| e.html(st))?;
    let file = format!("scenario.{}", core::format_name(fmt));
    let res = core::validate(&f.source, &file, fmt);
    match res {
        Ok(l) if f.action != "validate" => {
            let name = if f.name.trim().is_empty() {
                l.scenario.scenario.title.clone()
            } else {
                f.name.clone()
            };
            Ok((name, core::format_name(fmt)))
        }
        Ok(_) => Err(html_page(
            "Scenario editor",
            &editor(
                action,
                &f.name,
                core::format_name(fmt),
                &f.source,
                Some(&[]),
                "",
            ),
            st,
        )
        .into_response()),
        Err(ds) => Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            html_page(
                "Scenario editor",
                &editor(
                    action,
                    &f.name,
                    core::format_name(fmt),
                    &f.source,
                    Some(&ds),
                    "",
                ),
                st,
            ),
        )
            .into_response()),
    }
}

async fn create_scenario(State(st): State<AppState>, Form(f): Form<ScenarioForm>) -> PageResult {
    let (name, fmt) = check_form(&st, &f, "/scenarios")?;
    let db = st.db.clone();
    let id = core::blocking(move || Ok(db.insert_scenario(&name, fmt, &f.source)?))
        .await
        .map_err(|e| e.html(&st))?;
    Ok(Redirect::to(&format!("/scenarios/{id}")).into_response())
}

async fn update_scenario(
    State(st): State<AppState>,
    Path(id): Path<String>,
    Form(f): Form<ScenarioForm>,
) -> PageResult {
    let n: i64 = id.parse().map_err(|_| {
        AppError::BadRequest("built-in scenarios cannot be changed; save a copy".into()).html(&st)
    })?;
    let (name, fmt) = check_form(&st, &f, &format!("/scenarios/{id}"))?;
    let db = st.db.clone();
    let ok = core::blocking(move || Ok(db.update_scenario(n, &name, fmt, &f.source)?))
        .await
        .map_err(|e| e.html(&st))?;
    if !ok {
        return Err(AppError::NotFound(format!("scenario {id}")).html(&st));
    }
    Ok(Redirect::to(&format!("/scenarios/{id}")).into_response())
}

async fn edit_scenario(State(st): State<AppState>, Path(id): Path<String>) -> PageResult {
    let d = core::find_scenario(&st, &id)
        .await
        .map_err(|e| e.html(&st))?;
    if d.kind == "builtin" {
        return Ok(Redirect::to(&format!("/scenarios/new?from={}", d.id)).into_response());
    }
    let diags = st
        .cache
        .validate(&d.source, &d.file_name(), d.format())
        .err();
    Ok(html_page(
        &format!("Edit {}", d.name),
        &editor(
            &format!("/scenarios/{id}"),
            &d.name,
            d.format,
            &d.source,
            diags.as_deref(),
            "",
        ),
        &st,
    )
    .into_response())
}

fn lens_form(l: &LensInfo, scenario_id: &str) -> String {
    let mut s = format!(
        "<div class=\"lens\" id=\"lens-{id}\"><h3>{}</h3><p class=\"note\">{}</p><form method=\"post\" action=\"/runs\"><input type=\"hidden\" name=\"lens\" value=\"{id}\"><input type=\"hidden\" name=\"scenario\" value=\"{}\">",
        esc(&l.title),
        esc(&l.description),
        esc(scenario_id),
        id = esc(&l.id)
    );
    for p in &l.params {
        let name = format!("p_{}", p.name);
        let def = match &p.default {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let input = match &p.kind {
            ParamKind::Bool => format!(
                "<input type=\"checkbox\" name=\"{}\"{}>",
                esc(&name),
                if p.default == serde_json::Value::Bool(true) {
                    " checked"
                } else {
                    ""
                }
            ),
            ParamKind::Integer => format!(
                "<input type=\"number\" name=\"{}\" value=\"{}\">",
                esc(&name),
                esc(&def)
            ),
            ParamKind::Text => format!(
                "<input type=\"text\" size=\"40\" name=\"{}\" value=\"{}\">",
                esc(&name),
                esc(&def)
            ),
            ParamKind::Choice { options } => format!(
                "<select name=\"{}\">{}</select>",
                esc(&name),
                options
                    .iter()
                    .map(|o| format!(
                        "<option{}>{}</option>",
                        if *o == def { " selected" } else { "" },
                        esc(o)
                    ))
                    .collect::<String>()
            ),
        };
        let _ = write!(
            s,
            "<label>{} {input}<span class=\"help\">{}</span></label>",
            esc(&p.name),
            esc(&p.help)
        );
    }
    let _ = write!(
        s,
        "<button type=\"submit\" id=\"run-{}\">Run {}</button></form></div>",
        esc(&l.id),
        esc(&l.id)
    );
    s
}

async fn show_scenario(State(st): State<AppState>, Path(id): Path<String>) -> PageResult {
    let d: ScenarioDoc = core::find_scenario(&st, &id)
        .await
        .map_err(|e| e.html(&st))?;
    let runs = core::list_runs(&st, Some(d.id.clone()), 50)
        .await
        .map_err(|e| e.html(&st))?;
    let mut b = String::new();
    let title;
    match st.cache.validate(&d.source, &d.file_name(), d.format()) {
        Ok(l) => {
            let sc = &l.scenario;
            title = sc.scenario.title.clone();
            let sm = core::summary(&l);
            let _ = write!(
                b,
                "<section id=\"scenario\"><h2>{}</h2><p>{} <code>{}</code> · {} actors · {} issues · {} events · sections: {}</p><p class=\"note\">sha256 <code>{}</code></p><p><a href=\"/scenarios/{}/edit\">{}</a></p></section>",
                esc(&sc.scenario.title),
                esc(d.kind),
                esc(&d.id),
                sm.actors,
                sm.issues,
                sm.events,
                esc(&sm.sections.join(", ")),
                esc(&d.sha256),
                esc(&d.id),
                if d.kind == "builtin" { "Copy and edit" } else { "Edit" }
            );
            b.push_str(&actors_section(sc));
            b.push_str("<section id=\"run\"><h2>Run a lens</h2>");
            for l in st.runner.lenses() {
                b.push_str(&lens_form(&l, &d.id));
            }
            b.push_str("</section>");
            let ev = serde_json::to_value(&sc.events).unwrap_or_default();
            let _ = write!(
                b,
                "<section id=\"history\"><h2>History</h2>{}</section>",
                history_body(&ev)
            );
        }
        Err(ds) => {
            title = d.name.clone();
            let _ = write!(
                b,
                "<section id=\"scenario\"><h2>{}</h2><p class=\"error\">This scenario does not validate.</p>{}<p><a href=\"/scenarios/{}/edit\">Edit it</a></p></section>",
                esc(&d.name),
                diag_list(&ds),
                esc(&d.id)
            );
        }
    }
    let _ = write!(
        b,
        "<section id=\"runs\"><h2>Runs of this scenario</h2>{}</section>",
        runs_table(&runs, true)
    );
    Ok(html_page(&title, &b, &st).into_response())
}

async fn create_run(
    State(st): State<AppState>,
    Form(form): Form<BTreeMap<String, String>>,
) -> PageResult {
    let lens = form.get("lens").cloned().unwrap_or_default();
    let scenario = form.get("scenario").cloned().unwrap_or_default();
    let info = st
        .runner
        .lenses()
        .into_iter()
        .find(|l| l.id == lens)
        .ok_or_else(|| AppError::Run(crate::RunError::UnknownLens(lens.clone())).html(&st))?;
    let params = params_from_form(&info, &form).map_err(|e| AppError::BadRequest(e).html(&st))?;
    let run = core::run_lens(&st, &lens, ScenarioArg::Id(scenario), params)
        .await
        .map_err(|e| e.html(&st))?;
    Ok(Redirect::to(&format!("/runs/{}", run.id)).into_response())
}

#[derive(Deserialize)]
struct RunsQuery {
    scenario: Option<String>,
}

async fn runs_page(State(st): State<AppState>, Query(q): Query<RunsQuery>) -> PageResult {
    let runs = core::list_runs(&st, q.scenario, 500)
        .await
        .map_err(|e| e.html(&st))?;
    let b = format!(
        "<section id=\"runs\"><h2>Run history</h2>{}</section>",
        runs_table(&runs, true)
    );
    Ok(html_page("Run history", &b, &st).into_response())
}

/// The scenario a run used, parsed again from its stored source.
async fn run_scenario(st: &AppState, r: &Run) -> Option<negotium_scenario::Scenario> {
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

fn run_meta_table(r: &Run) -> String {
    let mut s = String::from("<table class=\"meta\"><tbody>");
    for (k, v) in core::run_meta(r) {
        let v = if k == "scenario" {
            scenario_link(&v, &v)
        } else {
            format!("<code>{}</code>", esc(&v))
        };
        let _ = write!(s, "<tr><th>{}</th><td>{v}</td></tr>", esc(k));
    }
    s.push_str("</tbody></table>");
    s
}

fn run_body(r: &Run, sc: Option<&negotium_scenario::Scenario>) -> String {
    match (&r.result, &r.error) {
        (Some(v), _) => lens_section(&r.lens, v, sc),
        (None, Some(e)) => format!("<p class=\"error\">The run failed: {}</p>", esc(e)),
        _ => "<p class=\"na\">No result stored.</p>".into(),
    }
}

async fn show_run(State(st): State<AppState>, Path(seg): Path<String>) -> PageResult {
    let n: i64 = seg
        .parse()
        .map_err(|_| AppError::NotFound(format!("run `{seg}`")).html(&st))?;
    let r = core::get_run(&st, n).await.map_err(|e| e.html(&st))?;
    let sc = run_scenario(&st, &r).await;
    let mut b = format!(
        "<section id=\"run\"><h2>Run #{} — {} on {}</h2>{}<p><a href=\"/api/runs/{id}.json\" download>Download JSON</a> · <a href=\"/api/runs/{id}.csv\" download>Download CSV</a></p></section>",
        r.id,
        esc(&r.lens),
        esc(&r.scenario_title),
        run_meta_table(&r),
        id = r.id
    );
    let _ = write!(
        b,
        "<section id=\"result\"><h2>Result</h2>{}</section>",
        run_body(&r, sc.as_ref())
    );
    if !r.key_numbers.is_empty() {
        let _ = write!(
            b,
            "<section id=\"key-numbers\"><h2>Key numbers</h2><details><summary>{} numbers used to compare runs</summary><table><tbody>",
            r.key_numbers.len()
        );
        for (k, v) in &r.key_numbers {
            let _ = write!(
                b,
                "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(k),
                num(*v, 4)
            );
        }
        b.push_str("</tbody></table></details></section>");
    }
    Ok(html_page(&format!("Run #{}", r.id), &b, &st).into_response())
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
            .ok_or_else(|| AppError::BadRequest(format!("choose run {which} to compare")).html(&st))
    };
    let (a, b) = (parse(&q.a, "A")?, parse(&q.b, "B")?);
    let ra = core::get_run(&st, a).await.map_err(|e| e.html(&st))?;
    let rb = core::get_run(&st, b).await.map_err(|e| e.html(&st))?;
    let (sa, sb) = (run_scenario(&st, &ra).await, run_scenario(&st, &rb).await);
    let diff = flatten::diff(&ra.key_numbers, &rb.key_numbers);
    let mut h = format!(
        "<section id=\"diff\"><h2>Key numbers: run #{} vs run #{}</h2><p>{}</p>",
        ra.id,
        rb.id,
        if ra.scenario_sha256 == rb.scenario_sha256 {
            "Same scenario text (sha256)."
        } else {
            "Different scenario texts (sha256 differ)."
        }
    );
    if diff.is_empty() {
        h.push_str("<p class=\"na\">Neither run recorded key numbers.</p>");
    } else {
        let _ = write!(h, "<table class=\"diff\"><thead><tr><th>key</th><th>run #{}</th><th>run #{}</th><th>B − A</th></tr></thead><tbody>", ra.id, rb.id);
        let f = |x: Option<f64>| x.map(|x| num(x, 4)).unwrap_or_else(|| "—".into());
        for d in &diff {
            let changed = d.delta.is_none_or(|x| x.abs() > 1e-12);
            let _ = write!(
                h,
                "<tr{}><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                if changed { " class=\"changed\"" } else { "" },
                esc(&d.key),
                f(d.a),
                f(d.b),
                f(d.delta)
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</section>");
    let _ = write!(
        h,
        "<section id=\"side-by-side\"><h2>Side by side</h2><div class=\"compare\"><div><h3>Run #{}</h3>{}{}</div><div><h3>Run #{}</h3>{}{}</div></div></section>",
        ra.id,
        run_meta_table(&ra),
        run_body(&ra, sa.as_ref()),
        rb.id,
        run_meta_table(&rb),
        run_body(&rb, sb.as_ref())
    );
    Ok(html_page(&format!("Compare runs #{} and #{}", ra.id, rb.id), &h, &st).into_response())
}
