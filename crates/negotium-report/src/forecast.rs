//! Text rendering of spatial forecasts: per issue, each model's forecast
//! with the nearest labelled point, its error against a recorded outcome,
//! and the dynamic models' trajectories as one compact table.

use negotium_scenario::spatial::{ForecastReport, IssueForecast};

use crate::{num, Align, Table};

/// Rounds shown in full before the table elides the middle.
const MAX_ROWS: usize = 16;

/// The whole forecast report.
pub fn render(report: &ForecastReport) -> String {
    let mut s = String::new();
    for is in &report.issues {
        s.push_str(&render_issue(is));
        s.push('\n');
    }
    s
}

/// One issue: the model table, then the trajectories.
pub fn render_issue(is: &IssueForecast) -> String {
    let mut s = format!(
        "Issue `{}` — {} (scale {}–{}, {} actors)\n",
        is.issue,
        is.name,
        num(is.min, 2),
        num(is.max, 2),
        is.actors.len()
    );
    let has_outcome = is.outcome.is_some();
    let mut headers = vec!["model", "forecast", "nearest labelled point", "rounds"];
    if has_outcome {
        headers.push("error");
    }
    let mut t = Table::new(headers).align(&[
        Align::Left,
        Align::Right,
        Align::Left,
        Align::Right,
        Align::Right,
    ]);
    for m in &is.models {
        let rounds = if m.rounds.is_empty() {
            "static".to_string()
        } else if m.converged {
            m.rounds.len().to_string()
        } else {
            format!("{} (no conv.)", m.rounds.len())
        };
        let mut row = vec![
            m.model.clone(),
            num(m.forecast, 2),
            m.nearest_label
                .as_ref()
                .map(|l| format!("≈ {l}"))
                .unwrap_or_default(),
            rounds,
        ];
        if has_outcome {
            row.push(m.error.map(|e| num(e, 2)).unwrap_or_default());
        }
        t.row(row);
    }
    s.push_str(&t.render(2));
    if let Some(o) = is.outcome {
        s.push_str(&format!(
            "  recorded outcome: {} (used only to score; no model reads it)\n",
            num(o, 3)
        ));
    }
    let dynamic: Vec<_> = is.models.iter().filter(|m| !m.rounds.is_empty()).collect();
    if !dynamic.is_empty() {
        s.push_str("\n  Trajectories (capability×salience-weighted median / mean of positions):\n");
        let mut headers = vec!["round".to_string()];
        for m in &dynamic {
            headers.push(format!("{} median", m.model));
            headers.push(format!("{} mean", m.model));
        }
        let mut t = Table::new(headers).align(&vec![Align::Right; 1 + 2 * dynamic.len()]);
        let max_r = dynamic.iter().map(|m| m.rounds.len()).max().unwrap_or(0);
        let mut row0 = vec!["0".to_string()];
        for m in &dynamic {
            row0.push(num(m.initial.median, 2));
            row0.push(num(m.initial.mean, 2));
        }
        t.row(row0);
        let shown: Vec<usize> = if max_r <= MAX_ROWS {
            (1..=max_r).collect()
        } else {
            (1..=MAX_ROWS - 3).chain(max_r - 2..=max_r).collect()
        };
        let mut prev = 0;
        for r in shown {
            if r > prev + 1 {
                t.row(vec!["…".to_string()]);
            }
            prev = r;
            let mut row = vec![r.to_string()];
            for m in &dynamic {
                match m.rounds.get(r - 1) {
                    Some(x) => {
                        row.push(num(x.median, 2));
                        row.push(num(x.mean, 2));
                    }
                    None => {
                        row.push("·".into());
                        row.push("·".into());
                    }
                }
            }
            t.row(row);
        }
        s.push_str(&t.render(4));
    }
    s
}
