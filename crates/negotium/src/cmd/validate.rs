//! `negotium validate [SCENARIO]`: check a scenario and report every
//! problem (default: the built-in kosovo-status).

use clap::Args;

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// A scenario file (.toml, .json) or KTAB CSV (.csv), or a built-in id
    /// (default: kosovo-status).
    pub file: Option<String>,
    /// Print the result as JSON (`{"valid": bool, "diagnostics": [...]}`,
    /// and the `error` object of every command when invalid).
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: ValidateArgs) -> anyhow::Result<()> {
    let file = a.file.as_deref().unwrap_or(super::DEFAULT_SCENARIO);
    match negotium_scenario::resolve(file) {
        Ok(l) => {
            let s = &l.scenario;
            if a.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "valid": true, "file": l.source_name, "scenario": s.scenario.id,
                        "actors": s.inputs.actors.len(), "issues": s.inputs.issues.len(),
                        "stances": s.inputs.stances.len(), "events": s.events.len(),
                        "diagnostics": [],
                    }))?
                );
            } else {
                println!(
                    "{}: valid scenario `{}` — {} actors, {} issues, {} stances, {} events; lenses: {}",
                    l.source_name,
                    s.scenario.id,
                    s.inputs.actors.len(),
                    s.inputs.issues.len(),
                    s.inputs.stances.len(),
                    s.events.len(),
                    super::scenarios::sections(s).join(", ")
                );
            }
            Ok(())
        }
        Err(e) => {
            if a.json {
                let diagnostics = e.diagnostics();
                let e = anyhow::Error::new(e);
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "valid": false, "file": file,
                        "error": super::errors::error_object(&e)["error"],
                        "diagnostics": diagnostics,
                    }))?
                );
                eprintln!("error: {e:#}");
                std::process::exit(2);
            }
            Err(e.into())
        }
    }
}
