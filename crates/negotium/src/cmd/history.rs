//! `negotium history`: the dated chronology of a scenario, optionally split
//! at the scenario's `as_of` date (what was known then, and what followed).

use clap::Args;
use negotium_scenario::{validate::parse_date, Event};

use super::input_error;

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

/// Dates compare by (year, month, day) with missing parts as 0, so "2007"
/// sorts before "2007-03-26".
fn key(d: &str) -> (i32, u32, u32) {
    parse_date(d).unwrap_or((i32::MIN, 0, 0))
}

pub fn run(a: HistoryArgs) -> anyhow::Result<()> {
    for (flag, d) in [("--from", &a.from), ("--to", &a.to)] {
        if let Some(d) = d {
            if parse_date(d).is_none() {
                return Err(input_error(format!(
                    "{flag}: `{d}` is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD"
                )));
            }
        }
    }
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    let s = &loaded.scenario;
    let kinds: Vec<String> = a.kind.iter().map(|k| k.trim().to_string()).collect();
    let known: Vec<&str> = s.events.iter().map(|e| e.kind.as_str()).collect();
    for k in &kinds {
        if serde_json::from_value::<negotium_scenario::EventKind>(serde_json::json!(k)).is_err() {
            return Err(input_error(format!(
                "--kind: unknown event kind `{k}`; expected one of {} (in this scenario: {})",
                ALL_KINDS,
                if known.is_empty() {
                    "none".to_string()
                } else {
                    dedup(&known).join(", ")
                }
            )));
        }
    }
    let mut evs: Vec<&Event> = s
        .events
        .iter()
        .filter(|e| kinds.is_empty() || kinds.iter().any(|k| k == e.kind.as_str()))
        .filter(|e| a.from.as_ref().is_none_or(|f| key(&e.date) >= key(f)))
        .filter(|e| a.to.as_ref().is_none_or(|t| key(&e.date) <= key(t)))
        .collect();
    evs.sort_by_key(|e| key(&e.date));
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "scenario": s.scenario.id,
                "as_of": s.scenario.as_of,
                "events": evs,
            }))?
        );
        return Ok(());
    }
    if evs.is_empty() {
        println!("{}: no dated events match.", s.scenario.title);
        return Ok(());
    }
    let as_of = s.scenario.as_of.as_deref();
    let (before, after): (Vec<Event>, Vec<Event>) = evs
        .iter()
        .map(|e| (*e).clone())
        .partition(|e| as_of.is_none_or(|d| key(&e.date) <= key(d)));
    println!(
        "{} — {} of {} dated events",
        s.scenario.title,
        evs.len(),
        s.events.len()
    );
    match as_of {
        Some(d) if !after.is_empty() => {
            println!("\nKnown as of {d} (the date the scenario's inputs describe):");
            print!("{}", negotium_report::history::render(&before));
            println!("\nAfter {d}:");
            print!("{}", negotium_report::history::render(&after));
        }
        _ => print!("{}", negotium_report::history::render(&before)),
    }
    Ok(())
}

const ALL_KINDS: &str = "talks-round, expert-meeting, proposal, vote, referendum, declaration, ruling, agreement, resolution, appointment, statement, recognition, election, violence, other";

fn dedup<'a>(v: &[&'a str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for x in v {
        if !out.contains(x) {
            out.push(x);
        }
    }
    out
}
