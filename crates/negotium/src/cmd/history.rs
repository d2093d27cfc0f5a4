//! `negotium history`: the dated chronology of a scenario, optionally split
//! at the scenario's `as_of` date (what was known then, and what followed).

use clap::Args;
use negotium_analysis::history::{self, date_key, HistoryParams};
use negotium_scenario::Event;

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Built-in scenario id or scenario file (default: kosovo-status).
    pub scenario: Option<String>,
    /// Only events of these kinds (comma-separated, e.g. vote,proposal).
    #[arg(long, value_delimiter = ',')]
    pub kind: Vec<String>,
    /// Only events on or after this date (YYYY[-MM[-DD]]).
    #[arg(long)]
    pub from: Option<String>,
    /// Only events on or before this date (YYYY[-MM[-DD]]).
    #[arg(long)]
    pub to: Option<String>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: HistoryArgs) -> anyhow::Result<()> {
    let params = HistoryParams {
        kind: a.kind.clone(),
        from: a.from.clone(),
        to: a.to.clone(),
    };
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    let r = history::run(&loaded, &params).map_err(super::lens)?;
    super::print(a.json, &r, || {
        let s = &loaded.scenario;
        if r.events.is_empty() {
            return format!("{}: no dated events match.\n", s.scenario.title);
        }
        let as_of = s.scenario.as_of.as_deref();
        let (before, after): (Vec<Event>, Vec<Event>) = r
            .events
            .iter()
            .cloned()
            .partition(|e| as_of.is_none_or(|d| date_key(&e.date) <= date_key(d)));
        let mut out = format!(
            "{} — {} of {} dated events\n",
            s.scenario.title,
            r.events.len(),
            s.events.len()
        );
        match as_of {
            Some(d) if !after.is_empty() => {
                out.push_str(&format!(
                    "\nKnown as of {d} (the date the scenario's inputs describe):\n"
                ));
                out.push_str(&negotium_report::history::render(&before));
                out.push_str(&format!("\nAfter {d}:\n"));
                out.push_str(&negotium_report::history::render(&after));
            }
            _ => out.push_str(&negotium_report::history::render(&before)),
        }
        out
    })
}
