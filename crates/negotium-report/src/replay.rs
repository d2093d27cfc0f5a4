//! The `replay` text: per issue, every model's forecast at each date a
//! stance or capability changes; then each date's changes and the events
//! that followed until the next date.

use std::fmt::Write as _;

use negotium_analysis::replay::{EventRef, ReplayResult};
use negotium_scenario::{Change, ChangeKind, Shift};

use crate::{num, Align, Table};

/// Events listed per date before the rest are counted.
const EVENTS_SHOWN: usize = 4;

/// The whole replay.
pub fn render(r: &ReplayResult) -> String {
    let mut out = format!(
        "Replay of `{}`: forecasts at every date a stance or capability changes{}\n",
        r.scenario,
        r.as_of
            .as_ref()
            .map(|d| format!(" (* = the scenario's as_of, {d})"))
            .unwrap_or_default()
    );
    if let Some(d) = &r.outcome_date {
        let _ = writeln!(
            out,
            "Recorded outcome dated {d} (used only to score; forecasts dated on or after it are hindsight)."
        );
    }
    out.push('\n');
    for is in &r.issues {
        let _ = writeln!(
            out,
            "Issue `{}` — {} (scale {}–{}{})",
            is.issue,
            is.name,
            num(is.min, 2),
            num(is.max, 2),
            is.outcome
                .map(|o| format!("; recorded outcome {}", num(o, 3)))
                .unwrap_or_default()
        );
        let mut headers = vec!["date".to_string()];
        headers.extend(r.models.iter().cloned());
        headers.push("changes that day".into());
        let mut align = vec![Align::Left];
        align.extend(r.models.iter().map(|_| Align::Right));
        let mut t = Table::new(headers).align(&align);
        for st in &r.steps {
            let mut row = vec![format!("{}{}", st.date, if st.as_of { " *" } else { "" })];
            let f = st.forecasts.iter().find(|f| f.issue == is.issue);
            for m in &r.models {
                row.push(
                    f.and_then(|f| f.models.iter().find(|x| &x.model == m))
                        .map(|x| num(x.forecast, 2))
                        .unwrap_or_default(),
                );
            }
            let here: Vec<String> = st
                .changes
                .iter()
                .filter(|c| c.kind == ChangeKind::Capability || c.issue.as_ref() == Some(&is.issue))
                .map(short)
                .collect();
            row.push(here.join("; "));
            t.row(row);
        }
        out.push_str(&t.render(2));
        out.push('\n');
    }
    out.push_str("Changes and what followed:\n");
    for st in &r.steps {
        let _ = writeln!(
            out,
            "  {}{}",
            st.date,
            if st.as_of { " * (as_of)" } else { "" }
        );
        for c in &st.changes {
            let _ = writeln!(
                out,
                "      {}{}",
                short(c),
                match (&c.event, &c.event_title) {
                    (Some(id), Some(t)) => format!(" — after `{id}`: {t}"),
                    (Some(id), None) => format!(" — after `{id}`"),
                    _ => String::new(),
                }
            );
        }
        out.push_str(&followed(&st.events));
    }
    out
}

fn shift(name: &str, s: &Shift, dp: usize) -> Option<String> {
    match s.before {
        Some(b) if b == s.after => None,
        Some(b) => Some(format!("{name} {} → {}", num(b, dp), num(s.after, dp))),
        None => Some(format!("{name} {} (new)", num(s.after, dp))),
    }
}

/// One change in a few words: `SRB status: position 20 → 35`.
pub fn short(c: &Change) -> String {
    let parts: Vec<String> = [
        c.position.as_ref().and_then(|s| shift("position", s, 2)),
        c.salience.as_ref().and_then(|s| shift("salience", s, 3)),
        c.capability
            .as_ref()
            .and_then(|s| shift("capability", s, 2)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let what = if parts.is_empty() {
        "restated".to_string()
    } else {
        parts.join(", ")
    };
    match &c.issue {
        Some(i) => format!("{} {i}: {what}", c.actor),
        None => format!("{}: {what}", c.actor),
    }
}

fn followed(events: &[EventRef]) -> String {
    if events.is_empty() {
        return "      then: no dated event before the next date\n".into();
    }
    let mut s = format!("      then {} event(s):\n", events.len());
    for e in events.iter().take(EVENTS_SHOWN) {
        let _ = writeln!(s, "        {}  {}  {}", e.date, e.kind.as_str(), e.title);
    }
    if events.len() > EVENTS_SHOWN {
        let _ = writeln!(
            s,
            "        … and {} more (`--json` lists them all)",
            events.len() - EVENTS_SHOWN
        );
    }
    s
}

/// The replay of one issue as an SVG line chart: each model's forecast
/// against the date (fractional years; a forecast holds until the next
/// date, drawn as steps), the recorded outcome and the scale's labelled
/// points as horizontal marks. None for an issue the replay does not hold.
pub fn chart(r: &ReplayResult, issue: &str) -> Option<String> {
    use crate::svg::timeline::year_of;
    use crate::svg::{LineChart, Series};
    let is = r.issues.iter().find(|i| i.issue == issue)?;
    let xs: Vec<(f64, &negotium_analysis::replay::ReplayStep)> = r
        .steps
        .iter()
        .filter_map(|st| year_of(&st.date).map(|x| (x, st)))
        .collect();
    let series = r
        .models
        .iter()
        .map(|m| {
            let mut points: Vec<(f64, f64)> = Vec::new();
            for (n, (x, st)) in xs.iter().enumerate() {
                let Some(y) = st
                    .forecasts
                    .iter()
                    .find(|f| f.issue == issue)
                    .and_then(|f| f.models.iter().find(|x| &x.model == m))
                    .map(|x| x.forecast)
                else {
                    continue;
                };
                // A step: the previous value holds until this date.
                if n > 0 {
                    if let Some(&(_, prev)) = points.last() {
                        points.push((*x, prev));
                    }
                }
                points.push((*x, y));
            }
            Series {
                name: m.clone(),
                points,
                emphasis: false,
            }
        })
        .collect();
    let mut marks: Vec<(f64, String)> = is
        .points
        .iter()
        .map(|p| (p.at, format!("{} ({})", p.label, num(p.at, 2))))
        .collect();
    if let Some(o) = is.outcome {
        let label = format!(
            "recorded outcome{}",
            r.outcome_date
                .as_ref()
                .map(|d| format!(", {d}"))
                .unwrap_or_default()
        );
        // On a labelled point: one mark, both labels (no overprinting).
        match marks.iter_mut().find(|m| (m.0 - o).abs() < 1e-9) {
            Some(m) => m.1 = format!("{} = {label}", m.1),
            None => marks.push((o, label)),
        }
    }
    Some(
        LineChart {
            title: format!("Replay of {}: {} — forecast by date", r.scenario, is.name),
            x_label: "date (year)".into(),
            y_label: format!("{} ({}–{})", is.issue, num(is.min, 2), num(is.max, 2)),
            series,
            marks,
            y_range: Some((is.min, is.max)),
            integer_x: false,
        }
        .render(),
    )
}
