//! Text of an analysis's date split: what was known on the date the inputs
//! describe and what followed (events and later stance and capability
//! changes; the proposals are in the verdict's vote section). Appended to the `analyze` text.

use std::fmt::Write as _;

use negotium_analysis::analyze::AsOfSplit;

/// The section, or nothing without a date.
pub fn render(split: Option<&AsOfSplit>) -> String {
    let Some(x) = split else {
        return String::new();
    };
    let mut out = format!(
        "\nKNOWN ON {} AND WHAT FOLLOWED{}\n\n",
        x.date,
        if x.scenario_as_of {
            " (the scenario's as_of)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "  {} dated event(s) up to {}, {} after it; {} stance or capability change(s) after it.",
        x.known.len(),
        x.date,
        x.followed.len(),
        x.changes_followed.len()
    );
    if let Some(d) = &x.outcome_date {
        let _ = writeln!(
            out,
            "  The recorded outcome ({d}) {}",
            if x.outcome_after_date {
                "came after this date: the forecasts are scored on what they could not know."
            } else {
                "is on or before this date: scores against it are hindsight."
            }
        );
    }
    if !x.changes_followed.is_empty() {
        out.push_str(
            "\n  Stance and capability changes after the date (`negotium replay` forecasts at each):\n",
        );
        for c in &x.changes_followed {
            let _ = writeln!(out, "    {}  {}", c.date, crate::replay::short(c));
        }
    }
    out
}
