//! The self-contained HTML report: inline CSS and SVG, no scripts, no
//! network. Lens results come in as their CLI `--json` contracts
//! (`serde_json::Value`) and are read leniently: a missing or odd key skips
//! that chart with "not available", never a panic.

use std::collections::BTreeSet;
use std::fmt::Write;

use negotium_scenario::spatial::ForecastReport;
use negotium_scenario::Scenario;
use serde_json::Value;

use crate::num;
use crate::svg::{self, esc};

/// Everything the report shows. Absent lenses get a "not available" note.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    pub scenario: &'a Scenario,
    pub forecast: Option<&'a ForecastReport>,
    /// `conflict --json`.
    pub conflict: Option<&'a Value>,
    /// `power --json`.
    pub power: Option<&'a Value>,
    /// `negotiate --json`: one protocol run, a list of them, or `{"runs": [..]}`.
    pub negotiate: Option<&'a Value>,
    /// `pareto --json`: frontier points, reservation values, solution points.
    pub pareto: Option<&'a Value>,
    /// Shown in the footer, e.g. "negotium 0.1.0".
    pub generator: Option<&'a str>,
}

impl<'a> ReportInput<'a> {
    /// A report of the scenario alone (actors, stances, history).
    pub fn new(scenario: &'a Scenario) -> Self {
        ReportInput {
            scenario,
            forecast: None,
            conflict: None,
            power: None,
            negotiate: None,
            pareto: None,
            generator: None,
        }
    }
}

/// The page's stylesheet (also used by the web workbench).
pub const CSS: &str = r#"
:root{--ink:#111;--muted:#555;--line:#ddd;--accent:#0072B2;--bad:#D55E00}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);margin:0;line-height:1.45;background:#fafafa}
header.page{background:#fff;border-bottom:1px solid var(--line);padding:12px 24px}
header.page h1{margin:0;font-size:1.5rem}
nav{display:flex;flex-wrap:wrap;gap:4px 14px;margin-top:6px}
nav a{color:var(--accent);text-decoration:none;font-size:.95rem}
main{max-width:1100px;margin:0 auto;padding:8px 24px 40px}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 18px;margin:16px 0}
h2{margin:.2em 0 .5em;font-size:1.25rem}
h3{margin:1em 0 .4em;font-size:1.05rem}
table{border-collapse:collapse;margin:8px 0;font-size:.9rem}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
td.Y{background:#e6f2fa;text-align:center;font-weight:bold}
td.N{text-align:center;color:var(--muted)}
td.eq{text-align:center;color:#009E73;font-weight:bold}
.na{color:var(--muted);font-style:italic}
.note{color:var(--muted);font-size:.9rem}
.error{color:var(--bad)}
svg.chart{max-width:100%;height:auto;display:block;margin:8px 0;background:#fff}
figure{margin:8px 0}
figcaption{color:var(--muted);font-size:.85rem}
.scroll{overflow-x:auto;max-width:100%}
details{margin:8px 0}
summary{cursor:pointer;font-weight:600}
footer{color:var(--muted);font-size:.85rem;text-align:center;padding:12px}
code,pre,textarea{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
"#;

/// Wraps body HTML in a complete page with the stylesheet (maud: `title`,
/// the nav entries and `footer` are escaped; `body` is trusted HTML built
/// by this crate).
pub fn page(title: &str, nav: &[(&str, &str)], body: &str, footer: &str) -> String {
    let page = maud::html! {
        (maud::DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (maud::PreEscaped(CSS)) }
            }
            body {
                header.page {
                    h1 { (title) }
                    @if !nav.is_empty() {
                        nav { @for (href, label) in nav { a href=(href) { (label) } } }
                    }
                }
                main { (maud::PreEscaped(body)) }
                footer { (footer) }
            }
        }
    };
    let mut s = page.into_string();
    s.push('\n');
    s
}

/// The whole report page.
pub fn render(input: &ReportInput) -> String {
    let sc = input.scenario;
    let mut body = String::new();
    body.push_str(&scenario_section(sc));
    body.push_str(&actors_section(sc));
    let fv = input.forecast.and_then(|f| serde_json::to_value(f).ok());
    body.push_str(&wrap(
        "forecast",
        "Spatial forecasts",
        fv.as_ref().map(|v| forecast_body(v, Some(sc))),
    ));
    body.push_str(&wrap(
        "conflict",
        "Strategic conflict (GMCR)",
        input.conflict.map(conflict_body),
    ));
    body.push_str(&wrap("power", "Voting power", input.power.map(power_body)));
    body.push_str(&wrap(
        "pareto",
        "Bargaining: Pareto frontier and agreements",
        (input.negotiate.is_some() || input.pareto.is_some())
            .then(|| pareto_body(input.negotiate, input.pareto)),
    ));
    body.push_str(&wrap(
        "trace",
        "Negotiation trace",
        input.negotiate.map(trace_body),
    ));
    let ev = serde_json::to_value(&sc.events).unwrap_or(Value::Null);
    body.push_str(&wrap("history", "History", Some(history_body(&ev))));
    let nav = [
        ("#scenario", "Scenario"),
        ("#actors", "Actors & stances"),
        ("#forecast", "Forecasts"),
        ("#conflict", "Conflict"),
        ("#power", "Voting power"),
        ("#pareto", "Bargaining"),
        ("#trace", "Trace"),
        ("#history", "History"),
    ];
    let footer = format!(
        "Generated by {} — every figure is computed from the scenario's inputs; the recorded outcome is used only to score.",
        input.generator.unwrap_or("negotium")
    );
    page(&sc.scenario.title, &nav, &body, &footer)
}

/// The body of one lens's result, as the workbench shows a stored run.
/// Unknown lenses get a JSON dump.
pub fn lens_section(lens: &str, v: &Value, scenario: Option<&Scenario>) -> String {
    match lens {
        "forecast" => forecast_body(v, scenario),
        "conflict" => conflict_body(v),
        "power" => power_body(v),
        "negotiate" => format!("{}{}", pareto_body(Some(v), None), trace_body(v)),
        "pareto" => pareto_body(None, Some(v)),
        "history" => history_body(v.get("events").unwrap_or(v)),
        "analyze" => {
            let dump =
                maud::html! { details { summary { "The whole result (JSON)" } pre { (serde_json::to_string_pretty(v).unwrap_or_default()) } } }
                    .into_string();
            match serde_json::from_value::<negotium_analysis::analyze::AnalyzeResult>(v.clone()) {
                Ok(r) => format!("{}{dump}", crate::report_html::verdict_section(&r)),
                Err(_) => dump,
            }
        }
        _ => maud::html! { pre { (serde_json::to_string_pretty(v).unwrap_or_default()) } }
            .into_string(),
    }
}

fn wrap(id: &str, title: &str, body: Option<String>) -> String {
    let body = body.unwrap_or_else(|| na("this lens was not run for this report"));
    let mut s = maud::html! {
        section id=(id) { h2 { (title) } (maud::PreEscaped(body)) }
    }
    .into_string();
    s.push('\n');
    s
}

/// "not available" with a reason.
fn na(why: &str) -> String {
    maud::html! { p.na { "Not available: " (why) "." } }.into_string()
}

fn figure(svg: String, caption: &str) -> String {
    maud::html! { figure { (maud::PreEscaped(svg)) figcaption { (caption) } } }.into_string()
}

// ---------- lenient JSON access ----------

fn as_num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A display string for a scalar, or an object's `name`/`id`.
fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(o) => ["name", "id", "option", "label"]
            .iter()
            .find_map(|k| o.get(*k).and_then(as_text)),
        _ => None,
    }
}

fn first<'v>(v: &'v Value, keys: &[&str]) -> Option<&'v Value> {
    keys.iter().find_map(|k| v.get(*k).filter(|x| !x.is_null()))
}

fn arr(v: Option<&Value>) -> &[Value] {
    v.and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// Utilities of a point, ordered by `parties`: accepts `[u..]`,
/// `{"utilities": ..}`, or `{PARTY: u}`.
fn utilities(v: &Value, parties: &[String]) -> Option<Vec<f64>> {
    if let Some(u) = v.get("utilities").or_else(|| v.get("utility")) {
        return utilities(u, parties);
    }
    match v {
        Value::Array(a) => {
            let u: Option<Vec<f64>> = a.iter().map(as_num).collect();
            u.filter(|u| u.len() >= 2)
        }
        Value::Object(o) => parties
            .iter()
            .map(|p| o.get(p).and_then(as_num))
            .collect::<Option<Vec<f64>>>()
            .filter(|u| u.len() >= 2),
        _ => None,
    }
}

// ---------- scenario & actors ----------

fn scenario_section(sc: &Scenario) -> String {
    let m = &sc.scenario;
    let mut s = String::from("<section id=\"scenario\"><h2>Scenario</h2>");
    let _ = write!(
        s,
        "<p><strong>{}</strong> (<code>{}</code>)",
        esc(&m.title),
        esc(&m.id)
    );
    if let Some(a) = &m.as_of {
        let _ = write!(s, ", inputs as of {}", esc(a));
    }
    s.push_str("</p>");
    if let Some(d) = &m.description {
        let _ = write!(s, "<p>{}</p>", esc(d));
    }
    if let Some(c) = &m.capability_scheme {
        let _ = write!(s, "<p class=\"note\">Capabilities: {}</p>", esc(c));
    }
    if !m.sources.is_empty() {
        s.push_str("<details><summary>Sources</summary><ul>");
        for src in &m.sources {
            let _ = write!(s, "<li>{}</li>", esc(src));
        }
        s.push_str("</ul></details>");
    }
    s.push_str("</section>\n");
    s
}

/// Actors (capability) by issue (position / salience).
pub fn actors_section(sc: &Scenario) -> String {
    let inp = &sc.inputs;
    let mut s = String::from("<section id=\"actors\"><h2>Actors &amp; stances</h2>");
    if inp.actors.is_empty() {
        s.push_str(&na("the scenario has no actors"));
        s.push_str("</section>\n");
        return s;
    }
    s.push_str("<p class=\"note\">Each cell: position on the issue's scale / salience (0–1).</p>");
    s.push_str("<table class=\"actors\"><thead><tr><th>id</th><th>actor</th><th>capability</th>");
    for is in &inp.issues {
        let _ = write!(
            s,
            "<th title=\"{}\">{}<br><span class=\"note\">{}–{}</span></th>",
            esc(&is.name),
            esc(&is.id),
            num(is.min, 2),
            num(is.max, 2)
        );
    }
    s.push_str("</tr></thead><tbody>");
    for a in &inp.actors {
        let _ = write!(
            s,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td>",
            esc(&a.id),
            esc(&a.name),
            num(a.capability, 3)
        );
        for is in &inp.issues {
            match inp
                .stances
                .iter()
                .find(|st| st.actor == a.id && st.issue == is.id)
            {
                Some(st) => {
                    let _ = write!(
                        s,
                        "<td class=\"num\" title=\"{}\">{} / {}</td>",
                        esc(st.notes.as_deref().unwrap_or("")),
                        num(st.position, 2),
                        num(st.salience, 2)
                    );
                }
                None => s.push_str("<td></td>"),
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></section>\n");
    s
}

// ---------- forecast ----------

/// Per issue: model comparison (dot plot with the recorded outcome), the
/// table, and each dynamic model's trajectory chart.
pub fn forecast_body(v: &Value, sc: Option<&Scenario>) -> String {
    let issues = arr(v.get("issues"));
    if issues.is_empty() {
        return na("the forecast has no issues");
    }
    let mut s = String::new();
    for is in issues {
        let id = is
            .get("issue")
            .and_then(as_text)
            .unwrap_or_else(|| "?".into());
        let name = is
            .get("name")
            .and_then(as_text)
            .unwrap_or_else(|| id.clone());
        let lo = is.get("min").and_then(as_num);
        let hi = is.get("max").and_then(as_num);
        let outcome = is.get("outcome").and_then(as_num);
        let _ = write!(
            s,
            "<div class=\"issue\" id=\"forecast-{}\"><h3>{} <code>{}</code></h3>",
            esc(&id),
            esc(&name),
            esc(&id)
        );
        let models = arr(is.get("models"));
        let rows: Vec<svg::DotRow> = models
            .iter()
            .filter_map(|m| {
                Some(svg::DotRow {
                    label: m.get("model").and_then(as_text)?,
                    value: m.get("forecast").and_then(as_num)?,
                    note: m
                        .get("nearest_label")
                        .and_then(as_text)
                        .map(|l| format!("≈ {l}")),
                })
            })
            .collect();
        let range = match (lo, hi) {
            (Some(a), Some(b)) if b > a => (a, b),
            _ => svg::extent(rows.iter().map(|r| r.value).chain(outcome)).unwrap_or((0.0, 1.0)),
        };
        let plot = svg::DotPlot {
            title: format!("{name}: forecast of each model"),
            value_label: format!("{name} (scale {}–{})", num(range.0, 2), num(range.1, 2)),
            rows,
            range,
            reference: outcome.map(|o| (o, format!("recorded outcome {}", num(o, 2)))),
        };
        s.push_str(&figure(
            plot.render(),
            "Model comparison: each model's forecast; the dashed line marks the recorded outcome (used only to score).",
        ));
        s.push_str("<table class=\"models\"><thead><tr><th>model</th><th>forecast</th><th>nearest labelled point</th><th>rounds</th><th>error</th></tr></thead><tbody>");
        for m in models {
            let rounds = arr(m.get("rounds")).len();
            let conv = m.get("converged").and_then(Value::as_bool).unwrap_or(true);
            let _ = write!(
                s,
                "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&m.get("model").and_then(as_text).unwrap_or_default()),
                m.get("forecast").and_then(as_num).map(|x| num(x, 2)).unwrap_or_default(),
                esc(&m.get("nearest_label").and_then(as_text).unwrap_or_default()),
                if rounds == 0 { "static".to_string() } else if conv { rounds.to_string() } else { format!("{rounds} (no conv.)") },
                m.get("error").and_then(as_num).map(|x| num(x, 2)).unwrap_or_default()
            );
        }
        s.push_str("</tbody></table>");
        for m in models.iter().filter(|m| !arr(m.get("rounds")).is_empty()) {
            s.push_str(&trajectory(&id, &name, m, outcome, (lo, hi), sc));
        }
        s.push_str("</div>");
    }
    s
}

/// Positions by round per actor, with the weighted median in black.
fn trajectory(
    id: &str,
    name: &str,
    m: &Value,
    outcome: Option<f64>,
    range: (Option<f64>, Option<f64>),
    sc: Option<&Scenario>,
) -> String {
    let model = m.get("model").and_then(as_text).unwrap_or_default();
    let rounds = arr(m.get("rounds"));
    let mut actors: Vec<String> = Vec::new();
    for r in rounds {
        if let Some(p) = r.get("positions").and_then(Value::as_object) {
            for k in p.keys() {
                if !actors.contains(k) {
                    actors.push(k.clone());
                }
            }
        }
    }
    let mut series = Vec::new();
    for a in &actors {
        let mut pts = Vec::new();
        if let Some(st) = sc.and_then(|sc| {
            sc.inputs
                .stances
                .iter()
                .find(|st| st.actor == *a && st.issue == id)
        }) {
            pts.push((0.0, st.position));
        }
        for (i, r) in rounds.iter().enumerate() {
            let x = r.get("round").and_then(as_num).unwrap_or((i + 1) as f64);
            if let Some(p) = r.get("positions").and_then(|p| p.get(a)).and_then(as_num) {
                pts.push((x, p));
            }
        }
        series.push(svg::Series {
            name: a.clone(),
            points: pts,
            emphasis: false,
        });
    }
    let mut med = Vec::new();
    if let Some(x) = m
        .get("initial")
        .and_then(|i| i.get("median"))
        .and_then(as_num)
    {
        med.push((0.0, x));
    }
    for (i, r) in rounds.iter().enumerate() {
        let x = r.get("round").and_then(as_num).unwrap_or((i + 1) as f64);
        if let Some(y) = r.get("median").and_then(as_num) {
            med.push((x, y));
        }
    }
    series.push(svg::Series {
        name: "weighted median".into(),
        points: med,
        emphasis: true,
    });
    let chart = svg::LineChart {
        title: format!("{name}: {model} positions by round"),
        x_label: "round".into(),
        y_label: name.to_string(),
        series,
        marks: outcome
            .map(|o| vec![(o, "recorded outcome".to_string())])
            .unwrap_or_default(),
        y_range: match range {
            (Some(a), Some(b)) if b > a => Some((a, b)),
            _ => None,
        },
        integer_x: true,
    };
    format!(
        "<div class=\"trajectory\" data-model=\"{}\">{}</div>",
        esc(&model),
        figure(
            chart.render(),
            &format!("{model}: each actor's position by round (round 0 = stated positions); black = capability×salience-weighted median.")
        )
    )
}

// ---------- conflict ----------

/// Option-form table of the equilibria, stability by DM, status-quo graph.
pub fn conflict_body(v: &Value) -> String {
    let states = arr(v.get("states"));
    let options: Vec<(String, Option<String>)> = arr(v.get("options"))
        .iter()
        .map(|o| {
            (
                as_text(o).unwrap_or_else(|| "?".into()),
                o.get("dm").and_then(as_text),
            )
        })
        .collect();
    let dms: Vec<String> = arr(v.get("dms")).iter().filter_map(as_text).collect();
    let mut s = String::new();
    if !dms.is_empty() {
        let _ = write!(s, "<p>Decision makers: {}.</p>", esc(&dms.join(", ")));
    }
    let eq = v.get("equilibria").and_then(Value::as_object);
    let mut eq_states: BTreeSet<i64> = BTreeSet::new();
    if let Some(eq) = eq {
        for list in eq.values() {
            for n in arr(Some(list)) {
                if let Some(n) = as_num(n) {
                    eq_states.insert(n as i64);
                }
            }
        }
    }
    let pattern_of = |n: i64| -> Option<String> {
        states
            .iter()
            .find(|st| st.get("number").and_then(as_num) == Some(n as f64))
            .and_then(|st| st.get("pattern").and_then(as_text))
    };
    if options.is_empty() || eq.is_none() {
        s.push_str(&na("no options or equilibria in the conflict result"));
    } else if eq_states.is_empty() {
        s.push_str("<p>No state is an equilibrium under any solution concept.</p>");
    } else {
        s.push_str("<h3>Equilibria in option form</h3><div class=\"scroll\"><table class=\"option-form\"><thead><tr><th>decision maker</th><th>option</th>");
        for n in &eq_states {
            let _ = write!(s, "<th>state {n}</th>");
        }
        s.push_str("</tr></thead><tbody>");
        for (i, (opt, dm)) in options.iter().enumerate() {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td>",
                esc(dm.as_deref().unwrap_or("")),
                esc(opt)
            );
            for n in &eq_states {
                let cell = pattern_of(*n).and_then(|p| p.chars().nth(i)).unwrap_or('?');
                let cls = match cell {
                    'Y' | 'y' => "Y",
                    'N' | 'n' => "N",
                    _ => "",
                };
                let _ = write!(s, "<td class=\"{cls}\">{}</td>", esc(&cell.to_string()));
            }
            s.push_str("</tr>");
        }
        if let Some(eq) = eq {
            for (concept, list) in eq {
                let set: BTreeSet<i64> = arr(Some(list))
                    .iter()
                    .filter_map(as_num)
                    .map(|x| x as i64)
                    .collect();
                let _ = write!(
                    s,
                    "<tr class=\"concept\"><th colspan=\"2\">{}</th>",
                    esc(&concept.to_uppercase())
                );
                for n in &eq_states {
                    if set.contains(n) {
                        s.push_str("<td class=\"eq\">✓</td>");
                    } else {
                        s.push_str("<td></td>");
                    }
                }
                s.push_str("</tr>");
            }
        }
        s.push_str("</tbody></table></div>");
    }
    if let Some(st) = v.get("stability").and_then(Value::as_object) {
        let mut dm_names: Vec<String> = Vec::new();
        for per in st.values() {
            if let Some(o) = per.as_object() {
                for k in o.keys() {
                    if !dm_names.contains(k) {
                        dm_names.push(k.clone());
                    }
                }
            }
        }
        if !dm_names.is_empty() {
            let _ = write!(s, "<details class=\"stability\"><summary>Stable states by decision maker ({} concepts × {} decision makers)</summary><table class=\"stability\"><thead><tr><th>concept</th>", st.len(), dm_names.len());
            for d in &dm_names {
                let _ = write!(s, "<th>{}</th>", esc(d));
            }
            s.push_str("</tr></thead><tbody>");
            for (concept, per) in st {
                let _ = write!(s, "<tr><th>{}</th>", esc(&concept.to_uppercase()));
                for d in &dm_names {
                    let list: Vec<String> = arr(per.get(d)).iter().filter_map(as_text).collect();
                    let _ = write!(s, "<td>{}</td>", esc(&list.join(", ")));
                }
                s.push_str("</tr>");
            }
            s.push_str("</tbody></table></details>");
        }
    }
    s.push_str("<h3>Status-quo path</h3>");
    match first(v, &["status_quo", "status_quo_path", "sq_path", "path"]) {
        Some(p) => s.push_str(&status_quo_graph(p, &eq_states)),
        None => s.push_str(&na("the result has no status-quo analysis")),
    }
    s
}

fn state_id(v: &Value) -> Option<String> {
    match v {
        Value::Object(_) => first(v, &["number", "state", "id"]).and_then(as_text),
        _ => as_text(v),
    }
}

fn status_quo_graph(p: &Value, eq_states: &BTreeSet<i64>) -> String {
    let mut node_ids: Vec<String> = Vec::new();
    let mut edges: Vec<svg::Edge> = Vec::new();
    let push = |ids: &mut Vec<String>, id: String| {
        if !ids.contains(&id) {
            ids.push(id);
        }
    };
    let start = first(p, &["initial", "start", "from"]).and_then(state_id);
    if let Some(st) = &start {
        push(&mut node_ids, st.clone());
    }
    if let Value::Array(path) = p {
        // A plain path of states.
        for w in path.windows(2) {
            if let (Some(a), Some(b)) = (state_id(&w[0]), state_id(&w[1])) {
                edges.push(svg::Edge {
                    from: a,
                    to: b,
                    label: None,
                });
            }
        }
        for x in path {
            if let Some(id) = state_id(x) {
                push(&mut node_ids, id);
            }
        }
    }
    for x in arr(first(p, &["states", "nodes"])) {
        if let Some(id) = state_id(x) {
            push(&mut node_ids, id);
        }
    }
    // Reachable states are drawn only when no moves are listed (otherwise
    // the graph shows the moves and the full list is given as text).
    let reachable: Vec<String> = arr(p.get("reachable"))
        .iter()
        .filter_map(state_id)
        .collect();
    let has_edges = !arr(first(p, &["edges", "transitions", "moves"])).is_empty();
    if !has_edges {
        for id in &reachable {
            push(&mut node_ids, id.clone());
        }
    }
    for e in arr(first(p, &["edges", "transitions", "moves"])) {
        let (from, to, label) = match e {
            Value::Array(a) => (
                a.first().and_then(state_id),
                a.get(1).and_then(state_id),
                a.get(2).and_then(as_text),
            ),
            _ => (
                first(e, &["from", "source"]).and_then(state_id),
                first(e, &["to", "target"]).and_then(state_id),
                first(e, &["dm", "by", "mover", "coalition", "label"]).and_then(|l| match l {
                    Value::Array(a) => {
                        Some(a.iter().filter_map(as_text).collect::<Vec<_>>().join("+"))
                    }
                    other => as_text(other),
                }),
            ),
        };
        if let (Some(a), Some(b)) = (from, to) {
            push(&mut node_ids, a.clone());
            push(&mut node_ids, b.clone());
            edges.push(svg::Edge {
                from: a,
                to: b,
                label,
            });
        }
    }
    if node_ids.is_empty() {
        return na("the status-quo analysis lists no states");
    }
    let nodes = node_ids
        .iter()
        .map(|id| svg::Node {
            label: id.clone(),
            highlight: id
                .parse::<i64>()
                .map(|n| eq_states.contains(&n))
                .unwrap_or(false),
            start: Some(id) == start.as_ref(),
            id: id.clone(),
        })
        .collect();
    let g = svg::Graph {
        title: "Status-quo path".into(),
        nodes,
        edges,
    };
    let mut out = figure(
        g.render(),
        "Moves from the status quo (blue) towards the equilibria (yellow), labelled by the mover.",
    );
    if has_edges && !reachable.is_empty() {
        let _ = write!(
            out,
            "<p class=\"note\">States reachable from the status quo: {}.</p>",
            esc(&reachable.join(", "))
        );
    }
    out
}

// ---------- power ----------

/// One bar chart per institution: every index for every member.
pub fn power_body(v: &Value) -> String {
    let insts = arr(v.get("institutions"));
    if insts.is_empty() {
        return na("the power result lists no institutions");
    }
    let mut s = String::new();
    for inst in insts {
        let id = first(inst, &["institution", "id", "name"])
            .and_then(as_text)
            .unwrap_or_else(|| "?".into());
        let _ = write!(s, "<div class=\"institution\"><h3>{}</h3>", esc(&id));
        let Some(indices) = inst.get("indices").and_then(Value::as_object) else {
            s.push_str(&na("no indices for this institution"));
            s.push_str("</div>");
            continue;
        };
        let mut members: Vec<String> = arr(inst.get("members"))
            .iter()
            .filter_map(as_text)
            .collect();
        if members.is_empty() {
            for idx in indices.values() {
                if let Some(o) = idx.as_object() {
                    for k in o.keys() {
                        if !members.contains(k) {
                            members.push(k.clone());
                        }
                    }
                }
            }
        }
        let series: Vec<(String, Vec<f64>)> = indices
            .iter()
            .map(|(name, vals)| {
                (
                    name.replace('_', "-"),
                    members
                        .iter()
                        .map(|m| vals.get(m).and_then(as_num).unwrap_or(f64::NAN))
                        .collect(),
                )
            })
            .collect();
        let (w, t) = (
            inst.get("winning_coalitions").and_then(as_text),
            inst.get("total_coalitions").and_then(as_text),
        );
        if let (Some(w), Some(t)) = (&w, &t) {
            let _ = write!(s, "<p>{} winning coalitions of {}.</p>", esc(w), esc(t));
        }
        // Chart the classic normalised indices when present (every index
        // is in the table); otherwise chart them all.
        let classic: Vec<(String, Vec<f64>)> = series
            .iter()
            .filter(|(n, _)| n == "shapley-shubik" || n == "banzhaf")
            .cloned()
            .collect();
        let charted = if classic.is_empty() {
            series.clone()
        } else {
            classic
        };
        let chart = svg::BarChart {
            title: format!("Voting power in {id}"),
            value_label: "index value (share of power)".into(),
            categories: members.clone(),
            series: charted,
            max: None,
        };
        s.push_str(&figure(
            chart.render(),
            "Each member's power: Shapley–Shubik and normalised Banzhaf where computed; every index in the table.",
        ));
        s.push_str("<table class=\"power\"><thead><tr><th>member</th>");
        for (n, _) in &series {
            let _ = write!(s, "<th>{}</th>", esc(n));
        }
        s.push_str("</tr></thead><tbody>");
        for (i, m) in members.iter().enumerate() {
            let _ = write!(s, "<tr><td>{}</td>", esc(m));
            for (_, vals) in &series {
                let x = vals[i];
                let _ = write!(
                    s,
                    "<td class=\"num\">{}</td>",
                    if x.is_finite() {
                        num(x, 4)
                    } else {
                        String::new()
                    }
                );
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table></div>");
    }
    s
}

// ---------- bargaining ----------

/// The protocol runs of a `negotiate` result.
fn runs(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().filter(|x| x.is_object()).collect(),
        Some(o @ Value::Object(_)) => match o.get("runs").and_then(Value::as_array) {
            Some(a) => a.iter().filter(|x| x.is_object()).collect(),
            None => vec![o],
        },
        _ => Vec::new(),
    }
}

fn parties_of(neg: &[&Value], pareto: Option<&Value>) -> Vec<String> {
    let from_pareto: Vec<String> = arr(pareto.and_then(|p| p.get("parties")))
        .iter()
        .filter_map(as_text)
        .collect();
    if from_pareto.len() >= 2 {
        return from_pareto;
    }
    for r in neg {
        let p: Vec<String> = arr(r.get("parties")).iter().filter_map(as_text).collect();
        if p.len() >= 2 {
            return p;
        }
        if let Some(u) = r.get("utilities").and_then(Value::as_object) {
            if u.len() >= 2 {
                return u.keys().cloned().collect();
            }
        }
    }
    Vec::new()
}

/// Protocol table and the Pareto scatter (first two parties' utilities).
pub fn pareto_body(negotiate: Option<&Value>, pareto: Option<&Value>) -> String {
    let rs = runs(negotiate);
    let parties = parties_of(&rs, pareto);
    let mut s = String::new();
    if !rs.is_empty() {
        s.push_str("<h3>Protocol runs</h3><table class=\"runs\"><thead><tr><th>protocol</th><th>agreement</th><th>step</th><th>offers</th>");
        for p in &parties {
            let _ = write!(s, "<th>u({})</th>", esc(p));
        }
        s.push_str("</tr></thead><tbody>");
        for r in &rs {
            let agreement = match r.get("agreement") {
                Some(Value::Object(o)) => o
                    .iter()
                    .map(|(k, v)| format!("{k} = {}", as_text(v).unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join("; "),
                Some(Value::Null) | None => "no agreement".into(),
                Some(other) => as_text(other).unwrap_or_default(),
            };
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                esc(&r.get("protocol").and_then(as_text).unwrap_or_default()),
                esc(&agreement),
                esc(&r.get("step").and_then(as_text).unwrap_or_default()),
                esc(&r
                    .get("offers")
                    .filter(|o| !o.is_array())
                    .and_then(as_text)
                    .unwrap_or_default()),
            );
            let u = r.get("utilities").and_then(|u| utilities(u, &parties));
            for i in 0..parties.len() {
                let _ = write!(
                    s,
                    "<td class=\"num\">{}</td>",
                    u.as_ref()
                        .and_then(|u| u.get(i))
                        .map(|x| num(*x, 3))
                        .unwrap_or_default()
                );
            }
            s.push_str("</tr>");
        }
        s.push_str("</tbody></table>");
    }
    if parties.len() < 2 {
        s.push_str(&na(
            "the result names fewer than two parties, so there is no utility plane to draw",
        ));
        return s;
    }
    let (pa, pb) = (&parties[0], &parties[1]);
    let mut groups = Vec::new();
    let pick = |u: Vec<f64>| (u[0], u[1]);
    if let Some(p) = pareto {
        let outcomes: Vec<(f64, f64)> = arr(first(p, &["outcomes", "all"]))
            .iter()
            .filter_map(|x| utilities(x, &parties))
            .map(pick)
            .collect();
        if !outcomes.is_empty() {
            groups.push(svg::ScatterGroup {
                name: "outcomes".into(),
                points: outcomes,
                marker: svg::Marker::Dot,
            });
        }
        let mut front: Vec<(f64, f64)> = arr(first(p, &["frontier", "pareto", "points"]))
            .iter()
            .filter_map(|x| utilities(x, &parties))
            .map(pick)
            .collect();
        front.sort_by(|a, b| a.0.total_cmp(&b.0));
        if !front.is_empty() {
            groups.push(svg::ScatterGroup {
                name: "Pareto frontier".into(),
                points: front,
                marker: svg::Marker::Line,
            });
        }
    }
    let analysis = rs.iter().find_map(|r| r.get("analysis"));
    for (key, label, marker) in [
        ("nash", "Nash solution", svg::Marker::Diamond),
        (
            "kalai_smorodinsky",
            "Kalai–Smorodinsky",
            svg::Marker::Square,
        ),
    ] {
        let pt = pareto
            .and_then(|p| p.get(key))
            .or_else(|| analysis.and_then(|a| a.get(key)))
            .and_then(|x| utilities(x, &parties));
        if let Some(u) = pt {
            groups.push(svg::ScatterGroup {
                name: label.into(),
                points: vec![pick(u)],
                marker,
            });
        }
    }
    for r in &rs {
        if r.get("agreement").is_some_and(|a| !a.is_null()) {
            if let Some(u) = r.get("utilities").and_then(|u| utilities(u, &parties)) {
                groups.push(svg::ScatterGroup {
                    name: format!(
                        "agreement: {}",
                        r.get("protocol").and_then(as_text).unwrap_or_default()
                    ),
                    points: vec![pick(u)],
                    marker: svg::Marker::Cross,
                });
            }
        }
    }
    let mut refs = Vec::new();
    // Reservation values, else the disagreement point, from wherever given.
    let reservation = [
        pareto.and_then(|p| first(p, &["reservation", "reservation_values"])),
        rs.iter().find_map(|r| r.get("reservation")),
        analysis.and_then(|a| a.get("reservation")),
    ]
    .into_iter()
    .flatten()
    .find_map(|r| utilities(r, &parties))
    .map(|u| (u, "reservation"));
    let disagreement = || {
        [
            pareto.and_then(|p| p.get("disagreement")),
            analysis.and_then(|a| a.get("disagreement")),
        ]
        .into_iter()
        .flatten()
        .find_map(|r| utilities(r, &parties))
        .map(|u| (u, "disagreement"))
    };
    if let Some((u, what)) = reservation.or_else(disagreement) {
        refs.push(svg::RefLine {
            at: u[0],
            vertical: true,
            label: format!("{pa} {what}"),
        });
        refs.push(svg::RefLine {
            at: u[1],
            vertical: false,
            label: format!("{pb} {what}"),
        });
    }
    if groups.is_empty() {
        s.push_str(&na("no utility points to plot"));
        return s;
    }
    let sc = svg::Scatter {
        title: format!("Utilities of {pa} and {pb}"),
        x_label: format!("utility of {pa}"),
        y_label: format!("utility of {pb}"),
        groups,
        refs,
        x_range: None,
        y_range: None,
    };
    let mut cap = String::from("Pareto frontier, bargaining solutions and each protocol's agreement; dashed lines are reservation values.");
    if parties.len() > 2 {
        cap.push_str(&format!(
            " Showing the first two of {} parties.",
            parties.len()
        ));
    }
    s.push_str(&figure(sc.render(), &cap));
    s
}

/// Utilities of each offer by step, one chart per protocol run with a trace.
pub fn trace_body(v: &Value) -> String {
    let rs = runs(Some(v));
    let parties = parties_of(&rs, None);
    let mut s = String::new();
    for r in &rs {
        let trace =
            arr(first(r, &["trace", "history"])
                .or_else(|| r.get("offers").filter(|o| o.is_array())));
        if trace.is_empty() || parties.len() < 2 {
            continue;
        }
        let proto = r.get("protocol").and_then(as_text).unwrap_or_default();
        let series: Vec<svg::Series> = parties
            .iter()
            .enumerate()
            .map(|(pi, p)| svg::Series {
                name: format!("u({p})"),
                points: trace
                    .iter()
                    .enumerate()
                    .filter_map(|(i, t)| {
                        let x = t.get("step").and_then(as_num).unwrap_or(i as f64);
                        utilities(t, &parties)
                            .and_then(|u| u.get(pi).copied())
                            .map(|y| (x, y))
                    })
                    .collect(),
                emphasis: false,
            })
            .collect();
        let ch = svg::LineChart {
            title: format!("{proto}: utility of each offer by step"),
            x_label: "step".into(),
            y_label: "utility".into(),
            series,
            integer_x: true,
            ..Default::default()
        };
        let _ = write!(s, "<h3>{}</h3>", esc(&proto));
        s.push_str(&figure(
            ch.render(),
            "Each party's utility of the offer on the table at each step.",
        ));
    }
    if s.is_empty() {
        s = na("no protocol run recorded its offers");
    }
    s
}

// ---------- history ----------

/// Timeline of dated events (`[{date, end?, kind, title}]`).
pub fn history_body(events: &Value) -> String {
    let items: Vec<svg::TimelineItem> = arr(Some(events))
        .iter()
        .filter_map(|e| {
            Some(svg::TimelineItem {
                date: e.get("date").and_then(as_text)?,
                end: e.get("end").and_then(as_text),
                label: e.get("title").and_then(as_text).unwrap_or_default(),
                kind: e
                    .get("kind")
                    .and_then(as_text)
                    .unwrap_or_else(|| "other".into()),
            })
        })
        .collect();
    if items.is_empty() {
        return na("the scenario records no dated events");
    }
    figure(
        svg::Timeline {
            title: "Timeline of events".into(),
            items,
        }
        .render(),
        "Dated events of the case (never a model input); bars span periods.",
    )
}
