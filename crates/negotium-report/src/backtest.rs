//! The `backtest` text: one row per model and per naive baseline (errors on
//! a 0–100 scale, Brier score where label probabilities were computed),
//! which baselines each model beats, the calibration tables, the unscored
//! rows and the notes.

use std::fmt::Write as _;

use negotium_analysis::backtest::BacktestResult;

use crate::{num, Align, Table};

/// Unscored rows listed before the rest are counted.
const UNSCORED_SHOWN: usize = 10;

/// The whole backtest.
pub fn render(r: &BacktestResult) -> String {
    let mut out = format!(
        "Backtest of {}: {} issue(s) scored, {} not scored (errors on a 0–100 scale)\n\n",
        r.source,
        r.issues.len(),
        r.unscored.len()
    );
    let brier = r.models.iter().any(|m| m.brier.is_some());
    let mut headers = vec![
        "model",
        "issues",
        "MAE",
        "RMSE",
        "median error",
        "within 10",
    ];
    if brier {
        headers.push("Brier");
    }
    let mut t = Table::new(headers).align(&[
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
    ]);
    for m in &r.models {
        let mut row = vec![
            m.model.clone(),
            m.issues.to_string(),
            num(m.mae, 2),
            num(m.rmse, 2),
            num(m.median_error, 2),
            format!("{}%", num(m.within_10 * 100.0, 1)),
        ];
        if brier {
            row.push(m.brier.map(|b| num(b, 3)).unwrap_or_else(|| "–".into()));
        }
        t.row(row);
    }
    for b in &r.baselines {
        let mut row = vec![
            format!("{} (baseline)", b.model),
            b.issues.to_string(),
            num(b.mae, 2),
            num(b.rmse, 2),
            num(b.median_error, 2),
            format!("{}%", num(b.within_10 * 100.0, 1)),
        ];
        if brier {
            row.push("–".into());
        }
        t.row(row);
    }
    out.push_str(&t.render(2));
    out.push_str(&verdict(r));
    if let Some(p) = &r.probabilities {
        let _ = writeln!(
            out,
            "\nLabel probabilities: {} draws per issue of the perturbation {} (seed {} + issue index), \
             on {} labelled issue(s); Brier's multi-category score (0 perfect, 2 worst).",
            p.draws,
            p.perturb,
            p.seed,
            p.issues.len()
        );
        for m in r.models.iter().filter(|m| m.calibration.is_some()) {
            let _ = writeln!(out, "\n  Calibration of `{}`:", m.model);
            let mut t = Table::new(["probability", "labels", "mean forecast", "happened"])
                .align(&[Align::Left, Align::Right, Align::Right, Align::Right]);
            for b in m.calibration.iter().flatten() {
                t.row([
                    format!("{}–{}", num(b.lower, 2), num(b.upper, 2)),
                    b.count.to_string(),
                    num(b.mean_probability, 3),
                    num(b.observed, 3),
                ]);
            }
            out.push_str(&t.render(4));
        }
    }
    if !r.unscored.is_empty() {
        out.push_str("\nNot scored:\n");
        for u in r.unscored.iter().take(UNSCORED_SHOWN) {
            let _ = writeln!(out, "  {} ({}): {}", u.id, u.source, u.reason);
        }
        if r.unscored.len() > UNSCORED_SHOWN {
            let _ = writeln!(
                out,
                "  … and {} more (`--json` lists them all)",
                r.unscored.len() - UNSCORED_SHOWN
            );
        }
    }
    if !r.notes.is_empty() {
        out.push_str("\nNotes:\n");
        for n in &r.notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
    out
}

/// One line per model: which naive baselines it beats on MAE.
fn verdict(r: &BacktestResult) -> String {
    if r.baselines.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "\n  Against the naive baselines (status quo: the reference point; weighted mean: \
         capability × salience weighted mean of positions), by MAE on the same issues:\n",
    );
    for m in &r.models {
        let comparable: Vec<&str> = r
            .baselines
            .iter()
            .filter(|b| b.issues == m.issues)
            .map(|b| b.model.as_str())
            .collect();
        let missed: Vec<&str> = comparable
            .iter()
            .copied()
            .filter(|b| !m.beats.iter().any(|x| x == b))
            .collect();
        let _ = writeln!(
            out,
            "    {:<12} {}",
            m.model,
            match (m.beats.is_empty(), missed.is_empty()) {
                _ if comparable.is_empty() => "no baseline scored on the same issues".to_string(),
                (false, true) => format!("beats {}", m.beats.join(" and ")),
                (true, _) => format!("does not beat {}", missed.join(" or ")),
                (false, false) => format!(
                    "beats {}, not {}",
                    m.beats.join(" and "),
                    missed.join(" or ")
                ),
            }
        );
    }
    out
}
