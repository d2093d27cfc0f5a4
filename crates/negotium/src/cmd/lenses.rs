//! The lenses as the report and the web workbench see them: one JSON result
//! per lens (the CLI's `--json` contract) from a loaded scenario and JSON
//! parameters, and the workbench's [`Runner`] over them.

use std::collections::BTreeMap;

use anyhow::Context;
use clap::Parser;
use negotium_scenario::spatial::ForecastReport;
use negotium_scenario::Loaded;
use negotium_server::{LensInfo, ParamInfo, ParamKind, RunError, RunOutput, Runner, Table};
use serde_json::{json, Value};

use super::forecast::{ForecastArgs, ALL_MODELS};
use super::input_error;

/// Lenses wired to the report and the workbench. Add an id here when its
/// arm in [`lens_json`] is implemented.
pub const WIRED: &[&str] = &[
    "forecast",
    "history",
    "conflict",
    "power",
    "negotiate",
    "pareto",
];

/// Error text of a lens whose arm is not wired yet.
pub const NOT_AVAILABLE: &str = "lens not available yet";

/// Parses `forecast` flags from JSON params through clap, so defaults and
/// validation stay those of `negotium forecast`.
#[derive(Parser)]
#[command(name = "forecast", no_binary_name = true)]
struct ForecastFlags {
    #[command(flatten)]
    args: ForecastArgs,
}

/// A JSON value as flag text: strings as they are, arrays comma-joined.
fn flag_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => Some(
            a.iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string())
                })
                .collect::<Vec<_>>()
                .join(","),
        ),
        other => Some(other.to_string()),
    }
}

/// JSON params as command-line words for a lens command's clap parser:
/// `{"status_quo": "3", "gmcr_py": true, "concepts": ["nash", "gmr"]}` →
/// `--status-quo=3 --gmcr-py --concepts=nash --concepts=gmr`. Keys in `deny`
/// (e.g. `scenario`, `json`) are refused; unknown keys are refused by clap.
pub fn params_to_argv(params: &Value, deny: &[&str]) -> anyhow::Result<Vec<String>> {
    let obj = match params {
        Value::Null => return Ok(Vec::new()),
        Value::Object(o) => o,
        _ => return Err(input_error("params: expected a JSON object")),
    };
    let mut argv = Vec::new();
    for (k, v) in obj {
        if deny.contains(&k.as_str()) {
            return Err(input_error(format!("params: `{k}` cannot be set here")));
        }
        let flag = format!("--{}", k.replace('_', "-"));
        match v {
            Value::Null | Value::Bool(false) => {}
            Value::Bool(true) => argv.push(flag),
            Value::Array(items) => {
                for x in items {
                    let t = x
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string());
                    argv.push(format!("{flag}={t}"));
                }
            }
            Value::String(t) if t.trim().is_empty() => {}
            other => {
                let t = other
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| other.to_string());
                argv.push(format!("{flag}={t}"));
            }
        }
    }
    Ok(argv)
}

/// Parses JSON params into a command's flags with that command's own clap
/// definitions (`P` flattens the command's `Args`), refusing the keys in
/// `deny`; clap's first error line becomes an input error.
pub fn parse_params<P: clap::Parser>(params: &Value, deny: &[&str]) -> anyhow::Result<P> {
    let argv = params_to_argv(params, deny)?;
    P::try_parse_from(&argv).map_err(|e| {
        input_error(format!(
            "params: {}",
            e.render().to_string().lines().next().unwrap_or("invalid")
        ))
    })
}

/// `forecast` params (`model`, `issue`, `rounds`, `seed`, `joint`) as args.
pub fn forecast_args(params: &Value) -> anyhow::Result<ForecastArgs> {
    let obj = match params {
        Value::Null => serde_json::Map::new(),
        Value::Object(o) => o.clone(),
        _ => return Err(input_error("params: expected a JSON object")),
    };
    let mut argv: Vec<String> = Vec::new();
    for (k, v) in &obj {
        match k.as_str() {
            "joint" => {
                if v.as_bool().ok_or_else(|| input_error("params.joint: expected true or false"))? {
                    argv.push("--joint".into());
                }
            }
            "model" | "models" | "issue" | "issues" | "rounds" | "seed" => {
                if let Some(t) = flag_text(v).filter(|t| !t.trim().is_empty()) {
                    let flag = match k.as_str() {
                        "models" => "model",
                        "issues" => "issue",
                        other => other,
                    };
                    argv.push(format!("--{flag}={t}"));
                }
            }
            other => {
                return Err(input_error(format!(
                    "params: unknown forecast parameter `{other}`; expected model, issue, rounds, seed or joint"
                )))
            }
        }
    }
    ForecastFlags::try_parse_from(&argv)
        .map(|f| f.args)
        .map_err(|e| {
            input_error(format!(
                "params: {}",
                e.render().to_string().lines().next().unwrap_or("invalid")
            ))
        })
}

/// Runs the spatial models on a loaded scenario.
pub fn forecast_report(loaded: &Loaded, params: &Value) -> anyhow::Result<(ForecastReport, u64)> {
    let a = forecast_args(params)?;
    if loaded.scenario.inputs.stances.is_empty() {
        return Err(input_error(
            "the scenario has no stances, so there is nothing to forecast",
        ));
    }
    let report = super::forecast::compute_loaded(loaded, &a)
        .with_context(|| format!("forecasting {}", loaded.source_name))?;
    Ok((report, a.seed))
}

/// `power` params (`institution`, `index`, `seed`) over the CLI defaults.
pub fn power_args(params: &Value) -> anyhow::Result<super::power::PowerArgs> {
    let mut a = super::power::default_args();
    let Some(obj) = params.as_object() else {
        return if params.is_null() {
            Ok(a)
        } else {
            Err(input_error("params: expected a JSON object"))
        };
    };
    for (k, v) in obj {
        match k.as_str() {
            "institution" => a.institution = flag_text(v).filter(|t| !t.trim().is_empty()),
            "index" => {
                a.index = flag_text(v)
                    .unwrap_or_default()
                    .split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            }
            "seed" => {
                a.seed = v
                    .as_u64()
                    .ok_or_else(|| input_error("params.seed: expected a whole number ≥ 0"))?
            }
            other => {
                return Err(input_error(format!(
                    "params: unknown power parameter `{other}`; expected institution, index or seed"
                )))
            }
        }
    }
    Ok(a)
}

/// The JSON result of one lens (its CLI `--json` contract).
pub fn lens_json(lens: &str, scenario: &Loaded, params: &Value) -> anyhow::Result<Value> {
    match lens {
        "forecast" => Ok(serde_json::to_value(forecast_report(scenario, params)?.0)?),
        "history" => {
            let mut evs = scenario.scenario.events.clone();
            evs.sort_by(|a, b| a.date.cmp(&b.date));
            Ok(json!({"scenario": scenario.scenario.scenario.id, "events": evs}))
        }
        "conflict" => super::conflict::lens_json(&scenario.scenario, params),
        "power" => super::power::lens_json(&scenario.scenario, &power_args(params)?),
        "negotiate" => super::negotiate::lens_json(&scenario.scenario, params),
        "pareto" => super::negotiate::pareto_lens_json(&scenario.scenario, params),
        other => Err(input_error(format!("unknown lens `{other}`"))),
    }
}

/// A few numbers per lens result, for comparing runs.
pub fn key_numbers(lens: &str, v: &Value) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    match lens {
        "forecast" => {
            for is in v["issues"].as_array().into_iter().flatten() {
                let issue = is["issue"].as_str().unwrap_or("?");
                for m in is["models"].as_array().into_iter().flatten() {
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
            for inst in v["institutions"].as_array().into_iter().flatten() {
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
        "history" => {
            out.insert(
                "events".into(),
                v["events"].as_array().map_or(0, Vec::len) as f64,
            );
        }
        _ => {}
    }
    out
}

fn p(name: &str, kind: ParamKind, default: Value, help: &str) -> ParamInfo {
    ParamInfo {
        name: name.into(),
        kind,
        default,
        help: help.into(),
    }
}

/// Every lens the workbench can offer (filtered by [`WIRED`]).
fn all_lenses() -> Vec<LensInfo> {
    vec![
        LensInfo {
            id: "forecast".into(),
            title: "Spatial forecast".into(),
            description: "Median voter, compromise, Nash bargaining, expected utility and SMP models, per issue.".into(),
            params: vec![
                p("model", ParamKind::Text, Value::from(ALL_MODELS), "comma-separated models"),
                p("issue", ParamKind::Text, Value::Null, "comma-separated issue ids (blank: all)"),
                p("rounds", ParamKind::Integer, Value::Null, "EUM rounds / SMP round limit"),
                p("seed", ParamKind::Integer, Value::from(0), "seed for any random choice"),
                p("joint", ParamKind::Bool, Value::from(false), "SMP over all selected issues as one space"),
            ],
            needs: vec!["stances".into()],
        },
        LensInfo {
            id: "history".into(),
            title: "History".into(),
            description: "The dated events of the case as a timeline.".into(),
            params: vec![],
            needs: vec!["history".into()],
        },
        LensInfo {
            id: "conflict".into(),
            title: "Strategic conflict (GMCR)".into(),
            description: "Stability of every state for each decision maker; equilibria; status-quo analysis.".into(),
            params: vec![
                p("concepts", ParamKind::Text, Value::from("nash,gmr,smr,seq,sim,seq_sim"), "comma-separated stability concepts"),
                p("status_quo", ParamKind::Text, Value::Null, "status-quo state: number or formula (blank: the scenario's)"),
                p("improvements_only", ParamKind::Bool, Value::from(false), "status-quo paths by unilateral improvements only"),
                p("gmcr_py", ParamKind::Bool, Value::from(false), "gmcr-py's stricter sanctions for 3+ DMs"),
            ],
            needs: vec!["conflict".into()],
        },
        LensInfo {
            id: "power".into(),
            title: "Voting power".into(),
            description: "Shapley–Shubik and Banzhaf indices of each institution's members.".into(),
            params: vec![
                p("institution", ParamKind::Text, Value::Null, "one institution id (blank: all)"),
                p("index", ParamKind::Text, Value::Null, "comma-separated indices (blank: all)"),
                p("seed", ParamKind::Integer, Value::from(0), "seed of Monte Carlo estimates"),
            ],
            needs: vec!["institutions".into()],
        },
        LensInfo {
            id: "negotiate".into(),
            title: "Negotiation protocols".into(),
            description: "Run bargaining protocols between the parties.".into(),
            params: vec![
                p("protocol", ParamKind::Text, Value::from("sao"), "sao or single-text"),
                p("strategies", ParamKind::Text, Value::Null, "comma-separated strategies, one per party (blank: defaults)"),
                p("steps", ParamKind::Integer, Value::Null, "step limit (blank: the scenario's)"),
                p("seed", ParamKind::Integer, Value::from(0), "seed for any random choice"),
                p("trace", ParamKind::Bool, Value::from(true), "record every offer"),
            ],
            needs: vec!["bargaining".into()],
        },
        LensInfo {
            id: "pareto".into(),
            title: "Pareto frontier".into(),
            description: "Pareto frontier and bargaining solutions of the domain.".into(),
            params: vec![],
            needs: vec!["bargaining".into()],
        },
    ]
}

/// The workbench's runner: the lenses of this binary.
pub struct CliRunner;

impl Runner for CliRunner {
    fn lenses(&self) -> Vec<LensInfo> {
        all_lenses()
            .into_iter()
            .filter(|l| WIRED.contains(&l.id.as_str()))
            .collect()
    }

    fn run(&self, lens: &str, scenario: &Loaded, params: &Value) -> Result<RunOutput, RunError> {
        if !WIRED.contains(&lens) {
            return Err(if all_lenses().iter().any(|l| l.id == lens) {
                RunError::NotAvailable(lens.into())
            } else {
                RunError::UnknownLens(lens.into())
            });
        }
        let seed = params
            .get("seed")
            .and_then(Value::as_u64)
            .or(Some(0))
            .filter(|_| matches!(lens, "forecast" | "negotiate" | "power"));
        match lens_json(lens, scenario, params) {
            Ok(result) => Ok(RunOutput {
                key_numbers: key_numbers(lens, &result),
                result,
                seed,
            }),
            Err(e) if e.downcast_ref::<super::InputError>().is_some() => {
                Err(RunError::BadInput(format!("{e:#}")))
            }
            Err(e) => Err(RunError::Failed(format!("{e:#}"))),
        }
    }

    fn version(&self) -> String {
        format!("negotium {}", env!("CARGO_PKG_VERSION"))
    }

    fn table(&self, lens: &str, result: &Value) -> Option<Table> {
        lens_table(lens, result)
    }
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

/// Each lens's result as one tidy table (the workbench's CSV download).
pub fn lens_table(lens: &str, v: &Value) -> Option<Table> {
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
            let package = v["agreement"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, x)| format!("{k}={}", cell(x)))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            let mut first = vec![
                "package".to_string(),
                package,
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
                    let values = f["values"]
                        .as_object()
                        .map(|o| {
                            o.iter()
                                .map(|(k, x)| format!("{k}={}", cell(x)))
                                .collect::<Vec<_>>()
                                .join("; ")
                        })
                        .unwrap_or_else(|| cell(&f["values"]));
                    let mut r = vec![values];
                    r.extend(parties.iter().map(|p| cell(&f["utilities"][p])));
                    r
                })
                .collect();
            Some(Table { header, rows })
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
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forecast_params_follow_cli_flags() {
        let a = forecast_args(
            &json!({"model": ["median", "eum"], "rounds": 4, "seed": 9, "joint": true}),
        )
        .unwrap();
        assert_eq!(a.model, vec!["median", "eum"]);
        assert_eq!(a.rounds, Some(4));
        assert_eq!(a.seed, 9);
        assert!(a.joint);
        let d = forecast_args(&Value::Null).unwrap();
        assert_eq!(d.model.join(","), ALL_MODELS);
        assert!(forecast_args(&json!({"colour": 1})).is_err());
        assert!(forecast_args(&json!({"rounds": "x"})).is_err());
    }

    #[test]
    fn every_lens_result_becomes_a_tidy_table() {
        let loaded = negotium_scenario::resolve("kosovo-status").unwrap();
        for lens in WIRED {
            let out = CliRunner.run(lens, &loaded, &Value::Null).unwrap();
            let t = CliRunner.table(lens, &out.result).unwrap();
            assert!(!t.rows.is_empty(), "{lens}");
            assert!(
                t.rows.iter().all(|r| r.len() == t.header.len()),
                "{lens}: ragged rows"
            );
        }
        let f = CliRunner
            .run("forecast", &loaded, &json!({"model": "median"}))
            .unwrap();
        let t = lens_table("forecast", &f.result).unwrap();
        // One row per issue and model, carrying the forecast and its error.
        assert_eq!(t.rows.len(), loaded.scenario.inputs.issues.len());
        let status = t.rows.iter().find(|r| r[0] == "status").unwrap();
        assert_eq!(
            status[2].parse::<f64>().unwrap(),
            f.key_numbers["status.median.forecast"]
        );
        let p = CliRunner.run("power", &loaded, &Value::Null).unwrap();
        let t = lens_table("power", &p.result).unwrap();
        let rus_ss = t
            .rows
            .iter()
            .find(|r| r[0] == "unsc" && r[1] == "RUS" && r[2] == "shapley_shubik")
            .unwrap();
        // 421/2145, the permanent members' Shapley–Shubik value.
        assert!((rus_ss[3].parse::<f64>().unwrap() - 421.0 / 2145.0).abs() < 1e-12);
    }

    #[test]
    fn kosovo_forecast_runs_through_the_runner() {
        let loaded = negotium_scenario::resolve("kosovo-status").unwrap();
        let out = CliRunner
            .run(
                "forecast",
                &loaded,
                &json!({"model": "median,eum", "issue": "status"}),
            )
            .unwrap();
        assert_eq!(out.seed, Some(0));
        // Independently: the weighted-median forecast is one of the stated positions.
        let f = out.key_numbers["status.median.forecast"];
        assert!(loaded
            .scenario
            .inputs
            .stances
            .iter()
            .any(|s| s.issue == "status" && s.position == f));
        assert!(out.key_numbers.contains_key("status.eum.rounds"));
        let c = CliRunner.run("conflict", &loaded, &Value::Null).unwrap();
        assert!(
            c.key_numbers.contains_key("equilibria.nash"),
            "{:?}",
            c.key_numbers
        );
        let n = CliRunner
            .run(
                "negotiate",
                &loaded,
                &json!({"protocol": "single-text", "seed": 3}),
            )
            .unwrap();
        assert_eq!(n.seed, Some(3));
        assert_eq!(n.result["protocol"], "single-text");
        assert!(matches!(
            CliRunner.run("negotiate", &loaded, &json!({"scenario": "x"})),
            Err(RunError::BadInput(_))
        ));
        let p = CliRunner.run("power", &loaded, &Value::Null).unwrap();
        assert!(!p.key_numbers.is_empty(), "{:?}", p.result);
        assert!(matches!(
            CliRunner.run("nope", &loaded, &Value::Null),
            Err(RunError::UnknownLens(_))
        ));
        assert!(matches!(
            CliRunner.run("forecast", &loaded, &json!({"issue": "nope"})),
            Err(RunError::BadInput(_))
        ));
    }
}
