//! Text rendering of spatial forecasts: per issue, each model's forecast
//! with the nearest labelled point, its error against a recorded outcome,
//! and the dynamic models' trajectories as one compact table; the exchange
//! model's trades as one table.

use negotium_scenario::spatial::{ExchangeReport, ExternalityGroup, ForecastReport, IssueForecast};

use crate::{num, Align, Table};

/// Rounds shown in full before the table elides the middle.
const MAX_ROWS: usize = 16;

/// Exchanges listed in the text before the rest are counted.
const MAX_EXCHANGES: usize = 30;

/// The whole forecast report.
pub fn render(report: &ForecastReport) -> String {
    let mut s = String::new();
    if let Some(d) = &report.as_of {
        s.push_str(&format!(
            "As of {d}: the stances and capabilities in force that day.\n"
        ));
    }
    if !report.dated_inputs.is_empty() {
        s.push_str(&format!(
            "Dated inputs in force ({}; the latest of each):\n",
            report.dated_inputs.len()
        ));
        for c in &report.dated_inputs {
            s.push_str(&format!("  from {}  {}\n", c.date, crate::replay::short(c)));
        }
    }
    for why in &report.skipped {
        s.push_str(&format!("Note: {why}.\n"));
    }
    if report.as_of.is_some() || !report.dated_inputs.is_empty() || !report.skipped.is_empty() {
        s.push('\n');
    }
    for is in &report.issues {
        s.push_str(&render_issue(is));
        s.push('\n');
    }
    if let Some(x) = &report.exchange {
        s.push_str(&exchanges(x));
        s.push('\n');
    }
    s
}

/// The exchange model's trades: who gives what on which issue, the gains,
/// and the externalities on the other actors (sum of gains and of losses).
pub fn exchanges(x: &ExchangeReport) -> String {
    let mut s = format!(
        "Exchange model ({}): {} exchange(s) over {} issue(s) in {} round(s){}\n",
        x.rate,
        x.exchanges.len(),
        x.issues.len(),
        x.rounds,
        if x.converged { ", converged" } else { "" }
    );
    if x.exchanges.is_empty() {
        s.push_str("  no exchange was possible\n");
        return s;
    }
    let mut t = Table::new([
        "round",
        "#",
        "actor",
        "gives on",
        "from → to",
        "actor",
        "gives on",
        "from → to",
        "gain",
        "others +",
        "others −",
    ])
    .align(&[
        Align::Right,
        Align::Right,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
    ]);
    for e in x.exchanges.iter().take(MAX_EXCHANGES) {
        let mut row = vec![e.round.to_string(), e.order.to_string()];
        for side in &e.sides {
            row.push(side.actor.clone());
            row.push(side.gives.clone());
            row.push(format!("{} → {}", num(side.from, 2), num(side.to, 2)));
        }
        row.push(num(e.gain, 3));
        let sum = |pos: bool| {
            e.externalities
                .iter()
                .filter(|x| (x.value > 0.0) == pos && x.value != 0.0)
                .map(|x| x.value)
                .sum::<f64>()
        };
        row.push(num(sum(true), 3));
        row.push(num(sum(false), 3));
        t.row(row);
    }
    s.push_str(&t.render(2));
    if x.exchanges.len() > MAX_EXCHANGES {
        s.push_str(&format!(
            "  … and {} more exchange(s) (`--json` lists every one)\n",
            x.exchanges.len() - MAX_EXCHANGES
        ));
    }
    let (inner, outer): (Vec<f64>, Vec<f64>) = {
        let all = x.exchanges.iter().flat_map(|e| &e.externalities);
        (
            all.clone()
                .filter(|x| x.group == ExternalityGroup::Inner)
                .map(|x| x.value)
                .collect(),
            all.filter(|x| x.group == ExternalityGroup::Outer)
                .map(|x| x.value)
                .collect(),
        )
    };
    s.push_str(&format!(
        "  gain: salience × points of a 0–100 scale, equal for both sides at the equal-gain rate; \
         others +/−: the summed gains and losses of the other actors (externalities; inner group {}, outer group {})\n",
        num(inner.iter().sum::<f64>(), 3),
        num(outer.iter().sum::<f64>(), 3)
    ));
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
