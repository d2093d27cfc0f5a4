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
            let v = negotium_analysis::catalog::valid(&l);
            super::print(a.json, &v, || {
                format!(
                    "{}: valid scenario `{}` — {} actors, {} issues, {} stances, {} events; lenses: {}\n",
                    v.file,
                    v.scenario,
                    v.actors,
                    v.issues,
                    v.stances,
                    v.events,
                    v.lenses.join(", ")
                )
            })?;
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
