//! `negotium scenarios`: the built-in scenarios.

use clap::Args;
use negotium_scenario::builtin;

#[derive(Args, Debug)]
pub struct ScenariosArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: ScenariosArgs) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for b in builtin::list() {
        let l = negotium_scenario::resolve(b.id)?;
        let s = &l.scenario;
        rows.push(serde_json::json!({
            "id": b.id,
            "title": s.scenario.title,
            "summary": b.summary,
            "actors": s.inputs.actors.len(),
            "issues": s.inputs.issues.len(),
            "events": s.events.len(),
            "sections": sections(s),
        }));
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    let mut t =
        negotium_report::Table::new(["id", "actors", "issues", "events", "lenses", "summary"]);
    for r in &rows {
        t.row([
            r["id"].as_str().unwrap_or("").to_string(),
            r["actors"].to_string(),
            r["issues"].to_string(),
            r["events"].to_string(),
            r["sections"]
                .as_array()
                .map(|v| {
                    v.iter()
                        .filter_map(|x| x.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                })
                .unwrap_or_default(),
            r["summary"].as_str().unwrap_or("").to_string(),
        ]);
    }
    print!("{}", t.render(0));
    println!("\nUse an id wherever a command takes SCENARIO; paths to .toml/.json files work too.");
    Ok(())
}

/// The lenses a scenario supports.
pub fn sections(s: &negotium_scenario::Scenario) -> Vec<&'static str> {
    let mut v = vec!["spatial"];
    if s.inputs.conflict.is_some() {
        v.push("conflict");
    }
    if !s.inputs.institutions.is_empty() {
        v.push("voting");
    }
    if s.inputs.bargaining.is_some() {
        v.push("bargaining");
    }
    if !s.events.is_empty() {
        v.push("history");
    }
    v
}
