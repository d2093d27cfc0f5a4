//! `negotium scenarios`: the built-in scenarios.

use clap::Args;

#[derive(Args, Debug)]
pub struct ScenariosArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: ScenariosArgs) -> anyhow::Result<()> {
    let rows = negotium_analysis::catalog::builtins().map_err(super::lens)?;
    super::print(a.json, &rows, || {
        let mut t =
            negotium_report::Table::new(["id", "actors", "issues", "events", "lenses", "summary"]);
        for r in &rows {
            t.row([
                r.id.clone(),
                r.actors.to_string(),
                r.issues.to_string(),
                r.events.to_string(),
                r.sections.join(","),
                r.summary.clone(),
            ]);
        }
        format!(
            "{}\nUse an id wherever a command takes SCENARIO; paths to .toml/.json files work too.\n",
            t.render(0)
        )
    })
}
