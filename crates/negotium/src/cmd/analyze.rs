//! `negotium analyze`: every lens a scenario supports, as one readable report.

use clap::Args;
use serde_json::{json, Value};

use super::forecast::{ForecastArgs, ALL_MODELS};

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// Built-in scenario id or scenario file (default: kosovo-status).
    pub scenario: Option<String>,
    /// Seed for any random choice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Print every lens's result as one JSON object (each lens in its own
    /// `--json` contract: `forecast`, `conflict`, `power`, `negotiate`,
    /// `pareto`, `history`).
    #[arg(long)]
    pub json: bool,
}

/// Every lens the scenario supports, as one JSON object.
fn json_report(loaded: &negotium_scenario::Loaded, seed: u64) -> anyhow::Result<Value> {
    use super::lenses::lens_json;
    let s = &loaded.scenario;
    let seeded = json!({ "seed": seed });
    let mut v = json!({
        "scenario": s.scenario.id,
        "title": s.scenario.title,
        "as_of": s.scenario.as_of,
        "source": loaded.source_name,
        "seed": seed,
    });
    if !s.inputs.stances.is_empty() {
        v["forecast"] = lens_json("forecast", loaded, &seeded)?;
    }
    if s.inputs.conflict.is_some() {
        v["conflict"] = lens_json("conflict", loaded, &Value::Null)?;
    }
    if !s.inputs.institutions.is_empty() {
        v["power"] = lens_json("power", loaded, &seeded)?;
    }
    if s.inputs.bargaining.is_some() {
        let mut runs = Vec::new();
        for protocol in ["sao", "single-text"] {
            let p = json!({ "seed": seed, "protocol": protocol });
            runs.push(lens_json("negotiate", loaded, &p)?);
        }
        v["negotiate"] = json!({ "runs": runs });
        v["pareto"] = lens_json("pareto", loaded, &Value::Null)?;
    }
    if !s.events.is_empty() {
        v["history"] = lens_json("history", loaded, &Value::Null)?;
    }
    Ok(v)
}

pub fn run(a: AnalyzeArgs) -> anyhow::Result<()> {
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json_report(&loaded, a.seed)?)?
        );
        return Ok(());
    }
    let s = &loaded.scenario;
    let mut out = String::new();
    let rule = "═".repeat(78);
    out.push_str(&format!("{rule}\n{}\n", s.scenario.title));
    out.push_str(&format!(
        "scenario `{}` from {}{} — {} actors, {} issues, {} stances, {} dated events\n",
        s.scenario.id,
        loaded.source_name,
        s.scenario
            .as_of
            .as_ref()
            .map(|d| format!(", as of {d}"))
            .unwrap_or_default(),
        s.inputs.actors.len(),
        s.inputs.issues.len(),
        s.inputs.stances.len(),
        s.events.len()
    ));
    out.push_str(&format!("{rule}\n\n"));

    out.push_str("SPATIAL FORECASTS\n\n");
    let fa = ForecastArgs {
        scenario: a.scenario.clone(),
        issue: Vec::new(),
        model: ALL_MODELS.split(',').map(String::from).collect(),
        rounds: None,
        seed: a.seed,
        joint: false,
        json: false,
    };
    let report = negotium_scenario::spatial::forecast(
        s,
        &negotium_scenario::spatial::ForecastRequest {
            issues: Vec::new(),
            models: super::forecast::specs(&fa)?,
            joint: false,
        },
    )?;
    if report.issues.is_empty() {
        out.push_str("  (the scenario has no issues with stances: nothing to forecast)\n");
    }
    out.push_str(&negotium_report::forecast::render(&report));
    if report.issues.iter().any(|i| i.outcome.is_some()) {
        out.push_str(&mean_errors(&report));
    }

    for (title, f) in [
        (
            "STRATEGIC CONFLICT (GMCR)",
            super::conflict::analyze_section as Section,
        ),
        (
            "INSTITUTIONS AND VOTING POWER",
            super::power::analyze_section,
        ),
        ("NEGOTIATION PROTOCOLS", super::negotiate::analyze_section),
    ] {
        let mut part = String::new();
        f(s, &mut part)?;
        if !part.trim().is_empty() {
            out.push_str(&format!("\n{title}\n\n{part}"));
        }
    }

    if !s.events.is_empty() {
        out.push_str(&format!("\nHISTORY ({} dated events)\n\n", s.events.len()));
        out.push_str(&negotium_report::history::render(&s.events));
    }
    print!("{out}");
    Ok(())
}

type Section = fn(&negotium_scenario::Scenario, &mut String) -> anyhow::Result<()>;

/// Mean absolute error of each model over the issues with a recorded outcome.
fn mean_errors(r: &negotium_scenario::spatial::ForecastReport) -> String {
    let mut names: Vec<&str> = Vec::new();
    for i in &r.issues {
        for m in &i.models {
            if !names.contains(&m.model.as_str()) {
                names.push(&m.model);
            }
        }
    }
    let mut t = negotium_report::Table::new(["model", "issues scored", "mean absolute error"])
        .align(&[
            negotium_report::Align::Left,
            negotium_report::Align::Right,
            negotium_report::Align::Right,
        ]);
    for n in names {
        let errs: Vec<f64> = r
            .issues
            .iter()
            .flat_map(|i| i.models.iter().filter(|m| m.model == n))
            .filter_map(|m| m.error)
            .collect();
        if !errs.is_empty() {
            t.row([
                n.to_string(),
                errs.len().to_string(),
                negotium_report::num(errs.iter().sum::<f64>() / errs.len() as f64, 2),
            ]);
        }
    }
    format!(
        "Error against the recorded outcome, all issues:\n{}\n",
        t.render(2)
    )
}
