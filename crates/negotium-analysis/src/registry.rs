//! Every lens by id: its metadata (title, description, parameters for
//! forms), a JSON-in/JSON-out runner over the typed API, each result's key
//! numbers and tidy table, and the JSON Schemas of parameters and results.
//! The web workbench, the report and other front ends go through here.

use std::collections::BTreeMap;

use negotium_scenario::Loaded;
use schemars::{schema_for, Schema};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::advise;
use crate::sweep;
use crate::AnalysisError;
use crate::{analyze, conflict, forecast, history, negotiate, pareto, power, tournament, vote};
use crate::{backtest, replay};

/// Every lens id, in menu order.
pub const LENSES: [&str; 13] = [
    "forecast",
    "history",
    "conflict",
    "power",
    "vote",
    "negotiate",
    "pareto",
    "tournament",
    "analyze",
    "replay",
    "backtest",
    "sweep",
    "advise",
];

/// The kind of a lens parameter (drives the HTML form and JSON coercion).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParamKind {
    Text,
    Integer,
    Number,
    Bool,
    Choice { options: Vec<String> },
}

/// One parameter of a lens as a form shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamInfo {
    pub name: String,
    #[serde(flatten)]
    pub kind: ParamKind,
    /// Default value (`null`: none).
    pub default: Value,
    pub help: String,
}

/// What a lens is and which parameters a form offers (a subset of its
/// typed parameters: see [`params_schema`] for all of them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LensInfo {
    pub id: String,
    pub title: String,
    pub description: String,
    pub params: Vec<ParamInfo>,
    /// Scenario sections the lens needs (e.g. `conflict`); for display only.
    pub needs: Vec<String>,
}

/// A tidy table: column names and rows of cells.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A lens's result as JSON and the seed it used (lenses with random choices).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LensRun {
    pub result: Value,
    pub seed: Option<u64>,
}

fn p(name: &str, kind: ParamKind, default: Value, help: &str) -> ParamInfo {
    ParamInfo {
        name: name.into(),
        kind,
        default,
        help: help.into(),
    }
}

fn lens(
    id: &str,
    title: &str,
    description: &str,
    params: Vec<ParamInfo>,
    needs: &[&str],
) -> LensInfo {
    LensInfo {
        id: id.into(),
        title: title.into(),
        description: description.into(),
        params,
        needs: needs.iter().map(|s| s.to_string()).collect(),
    }
}

/// Every lens, in menu order.
pub fn lenses() -> Vec<LensInfo> {
    use ParamKind::*;
    vec![
        lens(
            "forecast",
            "Spatial forecast",
            "Median voter, compromise, Nash bargaining, expected utility and SMP models, per issue.",
            vec![
                p("model", Text, Value::from(forecast::ALL_MODELS.join(",")), "comma-separated models"),
                p("issue", Text, Value::Null, "comma-separated issue ids (blank: all)"),
                p("rounds", Integer, Value::Null, "EUM rounds / SMP round limit"),
                p("seed", Integer, Value::from(0), "seed for any random choice"),
                p("joint", Bool, Value::from(false), "SMP over all selected issues as one space"),
                p("as_of", Text, Value::Null, "read stances and capabilities on this date (YYYY-MM-DD; blank: the scenario's as_of)"),
            ],
            &["stances"],
        ),
        lens(
            "history",
            "History",
            "The dated events of the case as a timeline.",
            vec![],
            &["history"],
        ),
        lens(
            "conflict",
            "Strategic conflict (GMCR)",
            "Stability of every state for each decision maker; equilibria; status-quo analysis.",
            vec![
                p("concepts", Text, Value::from("nash,gmr,smr,seq,sim,seq_sim"), "comma-separated stability concepts"),
                p("status_quo", Text, Value::Null, "status-quo state: number or formula (blank: the scenario's)"),
                p("improvements_only", Bool, Value::from(false), "status-quo paths by unilateral improvements only"),
                p("gmcr_py", Bool, Value::from(false), "gmcr-py's stricter sanctions for 3+ DMs"),
            ],
            &["conflict"],
        ),
        lens(
            "power",
            "Voting power",
            "Shapley–Shubik and Banzhaf indices of each institution's members.",
            vec![
                p("institution", Text, Value::Null, "one institution id (blank: all)"),
                p("index", Text, Value::Null, "comma-separated indices (blank: all)"),
                p("seed", Integer, Value::from(0), "seed of Monte Carlo estimates"),
            ],
            &["institutions"],
        ),
        lens(
            "vote",
            "Vote on a proposal",
            "Whether a proposal passes an institution: ballots from stances, vetoes, pivotal members.",
            vec![
                p("institution", Text, Value::Null, "institution id (blank: the first with a weighted rule)"),
                p("issue", Text, Value::from("status"), "the issue the proposal concerns"),
                p("proposal", Number, Value::Null, "a point of the issue's scale"),
                p("status_quo", Number, Value::Null, "blank: the issue's status quo"),
                p("as_of", Text, Value::Null, "ballots from the stances on this date (YYYY-MM-DD; blank: the scenario's as_of)"),
            ],
            &["institutions"],
        ),
        lens(
            "negotiate",
            "Negotiation protocols",
            "Run bargaining protocols between the parties.",
            vec![
                p("protocol", Text, Value::from("sao"), "sao or single-text"),
                p("strategies", Text, Value::Null, "comma-separated strategies, one per party (blank: defaults)"),
                p("steps", Integer, Value::Null, "step limit (blank: the scenario's)"),
                p("seed", Integer, Value::from(0), "seed for any random choice"),
                p("trace", Bool, Value::from(true), "record every offer"),
            ],
            &["bargaining"],
        ),
        lens(
            "pareto",
            "Pareto frontier",
            "Pareto frontier and bargaining solutions of the domain.",
            vec![],
            &["bargaining"],
        ),
        lens(
            "tournament",
            "Strategy tournament",
            "Every strategy pairing over roles and repetitions, summarised per strategy.",
            vec![
                p("strategies", Text, Value::Null, "comma-separated strategies (blank: every built-in)"),
                p("repetitions", Integer, Value::from(1), "repetitions of every pairing"),
                p("steps", Integer, Value::from(100), "steps of each negotiation"),
                p("seed", Integer, Value::from(0), "base seed"),
                p(
                    "protocol",
                    Choice {
                        options: vec!["sao".into(), "single-text".into()],
                    },
                    Value::from("sao"),
                    "protocol",
                ),
            ],
            &["bargaining"],
        ),
        lens(
            "analyze",
            "Every lens",
            "Every lens the scenario supports, with its defaults.",
            vec![
                p("seed", Integer, Value::from(0), "seed for any random choice"),
                p("as_of", Text, Value::Null, "read stances and capabilities on this date (YYYY-MM-DD; blank: the scenario's as_of)"),
                p("draws", Integer, Value::from(0), "draws of an uncertainty sweep of the forecasts over the declared ranges (0: none)"),
            ],
            &[],
        ),
        lens(
            "replay",
            "Replay",
            "The forecasts at every date a stance or capability changes, with the events that followed.",
            vec![
                p("model", Text, Value::Null, "comma-separated models (blank: the default five)"),
                p("issue", Text, Value::Null, "comma-separated issue ids (blank: all)"),
                p("seed", Integer, Value::from(0), "seed for any random choice"),
                p("from", Text, Value::Null, "only dates on or after this one (YYYY-MM-DD)"),
                p("to", Text, Value::Null, "only dates on or before this one (YYYY-MM-DD)"),
            ],
            &["stances"],
        ),
        lens(
            "backtest",
            "Backtest",
            "Each model's error against the recorded outcome; Brier score and calibration of label probabilities.",
            vec![
                p("model", Text, Value::Null, "comma-separated models (blank: the default five)"),
                p("capability", Text, Value::Null, "equal (blank: the scenario's own)"),
                p("draws", Integer, Value::from(backtest::DEFAULT_DRAWS), "sweep draws per issue for label probabilities (0: none)"),
                p("seed", Integer, Value::from(0), "seed of the sweep"),
            ],
            &["stances", "outcome"],
        ),
        lens(
            "sweep",
            "Uncertainty sweep",
            "Monte Carlo over the declared uncertainty through every lens: forecast quantiles and label probabilities, equilibrium, pass and agreement frequencies; Sobol indices and tornado.",
            vec![
                p("draws", Integer, Value::from(1000), "Monte Carlo draws"),
                p("seed", Integer, Value::from(0), "seed of every draw"),
                p("model", Text, Value::from(forecast::ALL_MODELS.join(",")), "comma-separated spatial models"),
                p("issue", Text, Value::Null, "comma-separated issue ids (blank: all)"),
                p("perturb", Text, Value::Null, "stated perturbation, e.g. position=10,salience=0.2,capability=0.2 (blank: the declared ranges)"),
                p("sensitivity", Bool, Value::from(false), "Sobol indices of every lens's outcomes, tornado of the spatial forecasts"),
            ],
            &["uncertainty"],
        ),
        lens(
            "advise",
            "Strategic advice",
            "For one actor: the own position and salience that move each model's forecast nearest its ideal, at what cost, and the actors most worth persuading.",
            vec![
                p("actor", Text, Value::Null, "the actor advised (id)"),
                p("issue", Text, Value::Null, "comma-separated issue ids (blank: all its issues)"),
                p("model", Text, Value::Null, "comma-separated spatial models (blank: all five)"),
                p("whole_scale", Bool, Value::from(false), "search the whole scale even where ranges are declared"),
                p("grid", Integer, Value::from(21), "grid points per axis"),
            ],
            &["stances"],
        ),
    ]
}

/// One lens's metadata.
pub fn info(id: &str) -> Option<LensInfo> {
    lenses().into_iter().find(|l| l.id == id)
}

/// Reads JSON params into a lens's typed parameters: `null` is every
/// default; anything but an object is refused; a bad key or value is a
/// [`AnalysisError::BadInput`] naming it (`params.rounds: …`).
pub fn parse_params<P: DeserializeOwned>(params: &Value) -> Result<P, AnalysisError> {
    let v = match params {
        Value::Null => Value::Object(Default::default()),
        Value::Object(_) => params.clone(),
        _ => return Err(AnalysisError::input("params: expected a JSON object")),
    };
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        if path.is_empty() || path == "." {
            AnalysisError::input(format!("params: {inner}"))
        } else {
            AnalysisError::BadInput {
                param: Some(format!("params.{path}")),
                message: inner,
            }
        }
    })
}

pub(crate) fn typed<P, R>(
    params: &Value,
    seed: impl Fn(&P) -> Option<u64>,
    f: impl FnOnce(&P) -> Result<R, AnalysisError>,
) -> Result<LensRun, AnalysisError>
where
    P: DeserializeOwned,
    R: Serialize,
{
    let p: P = parse_params(params)?;
    // Errors name the parameter as a JSON path, like the parse errors.
    let r = f(&p).map_err(|e| match e {
        AnalysisError::BadInput {
            param: Some(x),
            message,
        } => AnalysisError::BadInput {
            param: Some(format!("params.{x}")),
            message,
        },
        AnalysisError::Limit {
            param: Some(x),
            message,
        } => AnalysisError::Limit {
            param: Some(format!("params.{x}")),
            message,
        },
        other => other,
    })?;
    let result = serde_json::to_value(&r)
        .map_err(|e| AnalysisError::failed(format!("cannot serialise the result: {e}")))?;
    Ok(LensRun {
        result,
        seed: seed(&p),
    })
}

pub(crate) fn unknown(lens: &str) -> AnalysisError {
    AnalysisError::BadInput {
        param: Some("lens".into()),
        message: format!(
            "unknown lens `{lens}`{}; expected one of {}",
            negotium_suggest::did_you_mean(lens, LENSES),
            LENSES.join(", ")
        ),
    }
}

/// Runs a lens by id with JSON params; the result as JSON, with the seed.
pub fn run(lens: &str, scenario: &Loaded, params: &Value) -> Result<LensRun, AnalysisError> {
    let s = scenario;
    match lens {
        "forecast" => typed(
            params,
            |p: &forecast::ForecastParams| Some(p.seed),
            |p| forecast::run(s, p),
        ),
        "history" => typed(
            params,
            |_: &history::HistoryParams| None,
            |p| history::run(s, p),
        ),
        "conflict" => typed(
            params,
            |_: &conflict::ConflictParams| None,
            |p| conflict::run(s, p),
        ),
        "power" => typed(
            params,
            |p: &power::PowerParams| Some(p.seed),
            |p| power::run(s, p),
        ),
        "vote" => typed(params, |_: &vote::VoteParams| None, |p| vote::run(s, p)),
        "negotiate" => typed(
            params,
            |p: &negotiate::NegotiateParams| Some(p.seed),
            |p| negotiate::run(s, p),
        ),
        "pareto" => typed(
            params,
            |_: &pareto::ParetoParams| None,
            |p| pareto::run(s, p),
        ),
        "tournament" => typed(
            params,
            |p: &tournament::TournamentParams| Some(p.seed),
            |p| tournament::run(s, p),
        ),
        "analyze" => typed(
            params,
            |p: &analyze::AnalyzeParams| Some(p.seed),
            |p| analyze::run(s, p),
        ),
        "replay" => typed(
            params,
            |p: &replay::ReplayParams| Some(p.seed),
            |p| replay::run(s, p),
        ),
        "backtest" => typed(
            params,
            |p: &backtest::BacktestParams| Some(p.seed),
            |p| backtest::run(s, p),
        ),
        "sweep" => typed(
            params,
            |p: &sweep::SweepParams| Some(p.seed),
            |p| sweep::run(s, p),
        ),
        "advise" => typed(
            params,
            |_: &advise::AdviseParams| None,
            |p| advise::run(s, p),
        ),
        other => Err(unknown(other)),
    }
}

/// Runs a lens by id with JSON params and returns its result as JSON (the
/// lens's `--json` contract).
pub fn run_json(lens: &str, scenario: &Loaded, params: &Value) -> Result<Value, AnalysisError> {
    run(lens, scenario, params).map(|r| r.result)
}

/// Which of a lens's two schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaOf {
    /// Its parameters (`XParams`).
    Params,
    /// Its result (`XResult`, the `--json` contract).
    Result,
}

/// A lens's parameter or result JSON Schema (`None`: unknown lens).
pub fn schema(lens: &str, of: SchemaOf) -> Option<Schema> {
    match of {
        SchemaOf::Params => params_schema(lens),
        SchemaOf::Result => result_schema(lens),
    }
}

/// The JSON Schema of a lens's parameters.
pub fn params_schema(lens: &str) -> Option<Schema> {
    Some(match lens {
        "forecast" => schema_for!(forecast::ForecastParams),
        "history" => schema_for!(history::HistoryParams),
        "conflict" => schema_for!(conflict::ConflictParams),
        "power" => schema_for!(power::PowerParams),
        "vote" => schema_for!(vote::VoteParams),
        "negotiate" => schema_for!(negotiate::NegotiateParams),
        "pareto" => schema_for!(pareto::ParetoParams),
        "tournament" => schema_for!(tournament::TournamentParams),
        "analyze" => schema_for!(analyze::AnalyzeParams),
        "replay" => schema_for!(replay::ReplayParams),
        "backtest" => schema_for!(backtest::BacktestParams),
        "sweep" => schema_for!(sweep::SweepParams),
        "advise" => schema_for!(advise::AdviseParams),
        _ => return None,
    })
}

/// The JSON Schema of a lens's result.
pub fn result_schema(lens: &str) -> Option<Schema> {
    Some(match lens {
        "forecast" => schema_for!(forecast::ForecastResult),
        "history" => schema_for!(history::HistoryResult),
        "conflict" => schema_for!(conflict::ConflictResult),
        "power" => schema_for!(power::PowerResult),
        "vote" => schema_for!(vote::VoteResult),
        "negotiate" => schema_for!(negotiate::NegotiateResult),
        "pareto" => schema_for!(pareto::ParetoResult),
        "tournament" => schema_for!(tournament::TournamentResult),
        "analyze" => schema_for!(analyze::AnalyzeResult),
        "replay" => schema_for!(replay::ReplayResult),
        "backtest" => schema_for!(backtest::BacktestResult),
        "sweep" => schema_for!(sweep::SweepResult),
        "advise" => schema_for!(advise::AdviseResult),
        _ => return None,
    })
}

/// A few numbers per lens result, for comparing runs (`issue.model.forecast` → value).
pub fn key_numbers(lens: &str, v: &Value) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let arr = |x: &Value| x.as_array().cloned().unwrap_or_default();
    match lens {
        "forecast" => {
            for is in arr(&v["issues"]) {
                let issue = is["issue"].as_str().unwrap_or("?");
                for m in arr(&is["models"]) {
                    let model = m["model"].as_str().unwrap_or("?");
                    for k in ["forecast", "error"] {
                        if let Some(x) = m[k].as_f64() {
                            out.insert(format!("{issue}.{model}.{k}"), x);
                        }
                    }
                    if let Some(r) = m["rounds"].as_array() {
                        out.insert(format!("{issue}.{model}.rounds"), r.len() as f64);
                    }
                }
            }
        }
        "power" => {
            for inst in arr(&v["institutions"]) {
                let id = inst["institution"].as_str().unwrap_or("?");
                for (index, vals) in inst["indices"].as_object().into_iter().flatten() {
                    for (member, x) in vals.as_object().into_iter().flatten() {
                        if let Some(x) = x.as_f64() {
                            out.insert(format!("{id}.{index}.{member}"), x);
                        }
                    }
                }
            }
        }
        "conflict" => {
            for (concept, states) in v["equilibria"].as_object().into_iter().flatten() {
                let n = states.as_array().map_or(0, Vec::len);
                out.insert(format!("equilibria.{concept}"), n as f64);
            }
            if let Some(h) = v["historical"]["state"].as_f64() {
                out.insert("historical.state".into(), h);
            }
        }
        "vote" => {
            out.insert(
                "passes".into(),
                if v["passes"] == Value::Bool(true) {
                    1.0
                } else {
                    0.0
                },
            );
            for k in ["yes", "no", "abstain"] {
                if let Some(x) = v[k].as_f64() {
                    out.insert(k.into(), x);
                }
            }
        }
        "negotiate" => {
            for (party, u) in v["utilities"].as_object().into_iter().flatten() {
                if let Some(u) = u.as_f64() {
                    out.insert(format!("utility.{party}"), u);
                }
            }
            for k in ["step", "offers"] {
                if let Some(x) = v[k].as_f64() {
                    out.insert(k.into(), x);
                }
            }
            out.insert(
                "agreed".into(),
                if v["agreement"].is_null() { 0.0 } else { 1.0 },
            );
            if let Some(n) = v["analysis"]["pareto_size"].as_f64() {
                out.insert("pareto_size".into(), n);
            }
        }
        "pareto" => {
            if let Some(n) = v["pareto_size"].as_f64() {
                out.insert("pareto_size".into(), n);
            }
        }
        "tournament" => {
            for s in arr(&v["summary"]) {
                let name = s["strategy"].as_str().unwrap_or("?");
                for k in ["mean_utility", "agreement_rate"] {
                    if let Some(x) = s[k].as_f64() {
                        out.insert(format!("{name}.{k}"), x);
                    }
                }
            }
        }
        "history" => {
            out.insert(
                "events".into(),
                v["events"].as_array().map_or(0, Vec::len) as f64,
            );
        }
        "sweep" => {
            for is in arr(&v["spatial"]["issues"]) {
                let issue = is["issue"].as_str().unwrap_or("?");
                for m in arr(&is["models"]) {
                    let model = m["model"].as_str().unwrap_or("?");
                    for (k, x) in [("p50", &m["quantiles"]["p50"]), ("mean", &m["mean"])] {
                        if let Some(x) = x.as_f64() {
                            out.insert(format!("{issue}.{model}.{k}"), x);
                        }
                    }
                }
            }
            for (i, pr) in arr(&v["vote"]["proposals"]).iter().enumerate() {
                if let Some(x) = pr["p_pass"].as_f64() {
                    out.insert(format!("proposal{}.p_pass", i + 1), x);
                }
            }
            for a in arr(&v["bargaining"]["agreement"]) {
                if let (Some(s), Some(x)) = (a["scope"].as_str(), a["probability"].as_f64()) {
                    out.insert(format!("agreement.{s}"), x);
                }
            }
        }
        "advise" => {
            for is in arr(&v["issues"]) {
                let issue = is["issue"].as_str().unwrap_or("?");
                for m in arr(&is["models"]) {
                    let model = m["model"].as_str().unwrap_or("?");
                    let gain = m["best"]["gain"].as_f64().unwrap_or(0.0);
                    out.insert(format!("{issue}.{model}.gain"), gain);
                }
            }
        }
        "analyze" => {
            for l in ["forecast", "conflict", "power", "pareto", "history"] {
                if !v[l].is_null() {
                    for (k, x) in key_numbers(l, &v[l]) {
                        out.insert(format!("{l}.{k}"), x);
                    }
                }
            }
        }
        "replay" => {
            let steps = arr(&v["steps"]);
            out.insert("steps".into(), steps.len() as f64);
            for (which, st) in [("first", steps.first()), ("last", steps.last())] {
                for is in st.map(|s| arr(&s["forecasts"])).unwrap_or_default() {
                    for m in arr(&is["models"]) {
                        if let Some(x) = m["forecast"].as_f64() {
                            let (i, mo) = (cell(&is["issue"]), cell(&m["model"]));
                            out.insert(format!("{which}.{i}.{mo}"), x);
                        }
                    }
                }
            }
        }
        "backtest" => {
            for m in arr(&v["models"]) {
                for k in ["mae", "rmse", "median_error", "within_10", "brier"] {
                    if let Some(x) = m[k].as_f64() {
                        out.insert(format!("{}.{k}", cell(&m["model"])), x);
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// A cell: strings as they are, numbers and booleans as JSON, null empty.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn strs(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

/// `{party: u}` objects in a fixed party order.
fn parties_of<'a>(vs: impl Iterator<Item = &'a Value>) -> Vec<String> {
    let mut ps: Vec<String> = vs
        .flat_map(|v| v.as_object().into_iter().flatten().map(|(k, _)| k.clone()))
        .collect();
    ps.sort();
    ps.dedup();
    ps
}

fn joined(v: &Value) -> Option<String> {
    v.as_object().map(|o| {
        o.iter()
            .map(|(k, x)| format!("{k}={}", cell(x)))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// Each lens's result as one tidy table (the workbench's CSV download): one
/// row per observation, one column per variable. `None`: no table for this lens.
pub fn table(lens: &str, v: &Value) -> Option<Table> {
    let arr = |x: &Value| x.as_array().cloned().unwrap_or_default();
    match lens {
        "forecast" => {
            let mut rows = Vec::new();
            for is in arr(&v["issues"]) {
                for m in arr(&is["models"]) {
                    rows.push(vec![
                        cell(&is["issue"]),
                        cell(&m["model"]),
                        cell(&m["forecast"]),
                        cell(&m["nearest_label"]),
                        cell(&is["outcome"]),
                        cell(&m["error"]),
                        m["rounds"].as_array().map_or(0, Vec::len).to_string(),
                        cell(&m["converged"]),
                        cell(&m["initial"]["median"]),
                        cell(&m["initial"]["mean"]),
                    ]);
                }
            }
            Some(Table {
                header: strs(&[
                    "issue",
                    "model",
                    "forecast",
                    "nearest_label",
                    "outcome",
                    "error",
                    "rounds",
                    "converged",
                    "initial_median",
                    "initial_mean",
                ]),
                rows,
            })
        }
        "power" => {
            let mut rows = Vec::new();
            for inst in arr(&v["institutions"]) {
                for (index, vals) in inst["indices"].as_object().into_iter().flatten() {
                    for (member, x) in vals.as_object().into_iter().flatten() {
                        rows.push(vec![
                            cell(&inst["institution"]),
                            member.clone(),
                            index.clone(),
                            cell(x),
                        ]);
                    }
                }
            }
            Some(Table {
                header: strs(&["institution", "member", "index", "value"]),
                rows,
            })
        }
        "vote" => {
            let vetoed: Vec<Value> = arr(&v["vetoed_by"]);
            let holders: Vec<Value> = arr(&v["veto_holders"]);
            let rows = arr(&v["members"])
                .iter()
                .map(|m| {
                    let name = cell(m);
                    vec![
                        name.clone(),
                        cell(&v["votes"][&name]),
                        if vetoed.contains(m) {
                            "VETO".into()
                        } else if holders.contains(m) {
                            "veto".into()
                        } else {
                            String::new()
                        },
                        cell(&v["why"][&name]),
                    ]
                })
                .collect();
            Some(Table {
                header: strs(&["member", "vote", "veto", "why"]),
                rows,
            })
        }
        "conflict" => {
            let concepts: Vec<String> = v["equilibria"]
                .as_object()
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default();
            let mut header = strs(&["state", "decimal", "pattern"]);
            header.extend(concepts.iter().map(|c| format!("{c}_equilibrium")));
            let rows = arr(&v["states"])
                .iter()
                .map(|st| {
                    let mut r = vec![
                        cell(&st["number"]),
                        cell(&st["decimal"]),
                        cell(&st["pattern"]),
                    ];
                    for c in &concepts {
                        let eq = v["equilibria"][c]
                            .as_array()
                            .is_some_and(|a| a.contains(&st["number"]));
                        r.push(if eq { "yes" } else { "no" }.to_string());
                    }
                    r
                })
                .collect();
            Some(Table { header, rows })
        }
        "negotiate" => {
            let by_issue = arr(&v["issue_by_issue"]);
            let parties = parties_of(
                std::iter::once(&v["utilities"]).chain(by_issue.iter().map(|i| &i["utilities"])),
            );
            let mut header = strs(&["scope", "agreement", "end", "step", "offers"]);
            header.extend(parties.iter().map(|p| format!("utility_{p}")));
            let utils = |u: &Value| parties.iter().map(|p| cell(&u[p])).collect::<Vec<_>>();
            let mut first = vec![
                "package".to_string(),
                joined(&v["agreement"]).unwrap_or_default(),
                cell(&v["end"]),
                cell(&v["step"]),
                cell(&v["offers"]),
            ];
            first.extend(utils(&v["utilities"]));
            let mut rows = vec![first];
            for i in &by_issue {
                let mut r = vec![
                    format!("issue:{}", cell(&i["issue"])),
                    cell(&i["agreement"]),
                    cell(&i["end"]),
                    cell(&i["step"]),
                    cell(&i["offers"]),
                ];
                r.extend(utils(&i["utilities"]));
                rows.push(r);
            }
            Some(Table { header, rows })
        }
        "pareto" => {
            let frontier = arr(&v["frontier"]);
            let parties = parties_of(frontier.iter().map(|f| &f["utilities"]));
            let mut header = strs(&["outcome"]);
            header.extend(parties.iter().map(|p| format!("utility_{p}")));
            let rows = frontier
                .iter()
                .map(|f| {
                    let mut r = vec![joined(&f["values"]).unwrap_or_else(|| cell(&f["values"]))];
                    r.extend(parties.iter().map(|p| cell(&f["utilities"][p])));
                    r
                })
                .collect();
            Some(Table { header, rows })
        }
        "tournament" => {
            let cols = [
                "strategy",
                "negotiations",
                "agreement_rate",
                "mean_utility",
                "mean_advantage",
                "mean_dist_pareto",
                "mean_dist_nash",
            ];
            let rows = arr(&v["summary"])
                .iter()
                .map(|s| cols.iter().map(|c| cell(&s[*c])).collect())
                .collect();
            Some(Table {
                header: strs(&cols),
                rows,
            })
        }
        "history" => {
            let rows = arr(&v["events"])
                .iter()
                .map(|e| {
                    vec![
                        cell(&e["date"]),
                        cell(&e["end"]),
                        cell(&e["kind"]),
                        cell(&e["title"]),
                        cell(&e["body"]),
                        cell(&e["tally"]["yes"]),
                        cell(&e["tally"]["no"]),
                        cell(&e["tally"]["abstain"]),
                        e["actors"]
                            .as_array()
                            .map(|a| a.iter().map(cell).collect::<Vec<_>>().join(" "))
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            Some(Table {
                header: strs(&[
                    "date", "end", "kind", "title", "body", "yes", "no", "abstain", "actors",
                ]),
                rows,
            })
        }
        "replay" => {
            let mut rows = Vec::new();
            for st in arr(&v["steps"]) {
                let changes = arr(&st["changes"]).len().to_string();
                for is in arr(&st["forecasts"]) {
                    for m in arr(&is["models"]) {
                        rows.push(vec![
                            cell(&st["date"]),
                            cell(&is["issue"]),
                            cell(&m["model"]),
                            cell(&m["forecast"]),
                            cell(&m["nearest_label"]),
                            changes.clone(),
                        ]);
                    }
                }
            }
            Some(Table {
                header: strs(&[
                    "date",
                    "issue",
                    "model",
                    "forecast",
                    "nearest_label",
                    "changes",
                ]),
                rows,
            })
        }
        "backtest" => {
            let cols = [
                "model",
                "issues",
                "mae",
                "rmse",
                "median_error",
                "within_10",
                "brier",
            ];
            let rows = arr(&v["models"])
                .iter()
                .map(|m| cols.iter().map(|c| cell(&m[*c])).collect())
                .collect();
            Some(Table {
                header: strs(&cols),
                rows,
            })
        }
        "sweep" => {
            let q = ["p05", "p25", "p50", "p75", "p95"];
            let mut header = strs(&["issue", "model", "point", "mean", "std"]);
            header.extend(q.iter().map(|x| x.to_string()));
            header.extend(strs(&["likeliest_label", "probability"]));
            let mut rows = Vec::new();
            for is in arr(&v["spatial"]["issues"]) {
                for m in arr(&is["models"]) {
                    let mut r = vec![
                        cell(&is["issue"]),
                        cell(&m["model"]),
                        cell(&m["point"]),
                        cell(&m["mean"]),
                        cell(&m["std"]),
                    ];
                    r.extend(q.iter().map(|k| cell(&m["quantiles"][*k])));
                    let best =
                        arr(&m["label_probabilities"])
                            .into_iter()
                            .fold(None::<Value>, |b, l| match &b {
                                Some(x)
                                    if x["probability"].as_f64() >= l["probability"].as_f64() =>
                                {
                                    b
                                }
                                _ => Some(l),
                            });
                    let best = best.unwrap_or(Value::Null);
                    r.push(cell(&best["label"]));
                    r.push(cell(&best["probability"]));
                    rows.push(r);
                }
            }
            Some(Table { header, rows })
        }
        _ => None,
    }
}
