//! The `backtest` text: one row per model and per naive baseline (errors on
//! a 0–100 scale, Brier score where label probabilities were computed),
//! which baselines each model beats, the calibration tables, the unscored
//! rows and the notes.

use std::fmt::Write as _;

use maud::{html, Markup};

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

/// Which naive baselines a model beats on MAE, in words.
fn against(r: &BacktestResult, m: &negotium_analysis::backtest::ModelScore) -> String {
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
        let _ = writeln!(out, "    {:<12} {}", m.model, against(r, m));
    }
    out
}

/// The per-model table as HTML: issues, MAE, RMSE, median error, share
/// within 10 and Brier score where computed; baselines marked.
fn table(r: &BacktestResult) -> Markup {
    let brier = r.models.iter().any(|m| m.brier.is_some());
    let rows = r
        .models
        .iter()
        .map(|m| (m, false))
        .chain(r.baselines.iter().map(|b| (b, true)));
    html! {
        div.scroll {
            table.backtest {
                thead { tr {
                    th { "model" } th { "issues" } th { "MAE" } th { "RMSE" } th { "median error" } th { "within 10" }
                    @if brier { th { "Brier" } }
                    th { "beats" }
                } }
                tbody {
                    @for (m, base) in rows {
                        tr {
                            td { (m.model) @if base { " (baseline)" } }
                            td.num { (m.issues) }
                            td.num { (num(m.mae, 2)) }
                            td.num { (num(m.rmse, 2)) }
                            td.num { (num(m.median_error, 2)) }
                            td.num { (num(100.0 * m.within_10, 1)) "%" }
                            @if brier { td.num { (m.brier.map_or("–".to_string(), |b| num(b, 3))) } }
                            td { @if base { "" } @else if m.beats.is_empty() { "—" } @else { (m.beats.join(", ")) } }
                        }
                    }
                }
            }
        }
    }
}

/// MAE per model as horizontal bars (0–100 scale points), each naive
/// baseline as a labelled dashed vertical line.
pub fn mae_chart(r: &BacktestResult) -> Option<Markup> {
    use crate::svg::ticks;
    let models: Vec<_> = r.models.iter().filter(|m| m.mae.is_finite()).collect();
    let baselines: Vec<_> = r.baselines.iter().filter(|m| m.mae.is_finite()).collect();
    if models.is_empty() {
        return None;
    }
    let max = models
        .iter()
        .chain(&baselines)
        .map(|m| m.mae)
        .fold(0.0_f64, f64::max)
        .max(1e-9);
    let top_tick = ticks(0.0, max, 5).last().copied().unwrap_or(max).max(max);
    const W: f64 = 680.0;
    const LEFT: f64 = 130.0;
    const RIGHT: f64 = 60.0;
    const ROW: f64 = 24.0;
    // Room above the bars for one baseline label per line.
    let top = 10.0 + 14.0 * baselines.len() as f64;
    let plot_h = ROW * models.len() as f64;
    let h = top + plot_h + 50.0;
    let x = |v: f64| LEFT + v.max(0.0) / top_tick * (W - LEFT - RIGHT);
    let title = format!("Mean absolute error per model: {}", r.source);
    Some(html! {
        svg.chart.backtest-chart xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (W) " " (h) } width=(W) height=(h)
            role="img" aria-label=(title) font-family="system-ui, sans-serif" font-size="12" {
            title { (title) }
            @for t in ticks(0.0, top_tick, 5) {
                line x1=(c(x(t))) x2=(c(x(t))) y1=(c(top)) y2=(c(top + plot_h)) stroke="#e4e4e4" {}
                text x=(c(x(t))) y=(c(top + plot_h + 16.0)) text-anchor="middle" font-size="11" { (num(t, 2)) }
            }
            @for (i, m) in models.iter().enumerate() {
                @let y = top + ROW * i as f64;
                g.series data-name=(m.model) {
                    text x=(c(LEFT - 8.0)) y=(c(y + ROW / 2.0 + 4.0)) text-anchor="end" { (m.model) }
                    rect x=(c(LEFT)) y=(c(y + 4.0)) width=(c((x(m.mae) - LEFT).max(0.5))) height=(c(ROW - 8.0)) fill=(crate::svg::colour(0)) {
                        title { (m.model) ": MAE " (num(m.mae, 2)) " on " (m.issues) " issue(s)" }
                    }
                    text x=(c(x(m.mae) + 4.0)) y=(c(y + ROW / 2.0 + 4.0)) font-size="11" { (num(m.mae, 2)) }
                }
            }
            @for (k, b) in baselines.iter().enumerate() {
                g.baseline data-name=(b.model) {
                    line x1=(c(x(b.mae))) x2=(c(x(b.mae))) y1=(c(10.0 + 14.0 * k as f64)) y2=(c(top + plot_h)) stroke="#000" stroke-dasharray="5 3" {}
                    @let right = x(b.mae) > W - RIGHT - 150.0;
                    text x=(c(if right { x(b.mae) - 4.0 } else { x(b.mae) + 4.0 })) y=(c(20.0 + 14.0 * k as f64))
                        text-anchor=(if right { "end" } else { "start" }) font-size="11" {
                        (b.model) " (baseline) " (num(b.mae, 2))
                    }
                }
            }
            line x1=(c(LEFT)) x2=(c(LEFT)) y1=(c(top)) y2=(c(top + plot_h)) stroke="#333" {}
            line x1=(c(LEFT)) x2=(c(W - RIGHT)) y1=(c(top + plot_h)) y2=(c(top + plot_h)) stroke="#333" {}
            text x=(c((LEFT + W - RIGHT) / 2.0)) y=(c(h - 8.0)) text-anchor="middle" {
                "mean absolute error (points of a 0–100 scale; lower is better)"
            }
        }
    })
}

/// The backtest as HTML (no `<section>`): the table, the MAE chart, the
/// verdict against the baselines, the unscored rows and the notes.
pub fn section(r: &BacktestResult) -> Markup {
    html! {
        p.note { (r.issues.len()) " issue(s) of " (r.source) " scored, " (r.unscored.len()) " not scored; errors on a 0–100 scale." }
        (table(r))
        @if let Some(chart) = mae_chart(r) {
            figure {
                div.scroll { (chart) }
                figcaption { "Mean absolute error of each model; dashed lines: the naive baselines." }
            }
        }
        @if !r.baselines.is_empty() {
            p.note {
                "Against the naive baselines (status quo: the reference point; weighted mean: the capability × salience weighted mean of positions), by MAE on the same issues:"
            }
            ul.against { @for m in &r.models { li { strong { (m.model) } " " (against(r, m)) } } }
        }
        @if !r.unscored.is_empty() {
            h3 { "Not scored" }
            ul { @for u in r.unscored.iter().take(UNSCORED_SHOWN) { li { (u.id) " (" (u.source) "): " (u.reason) } } }
            @if r.unscored.len() > UNSCORED_SHOWN { p.note { "… and " (r.unscored.len() - UNSCORED_SHOWN) " more." } }
        }
        @if !r.notes.is_empty() {
            h3 { "Notes" }
            ul { @for n in &r.notes { li { (n) } } }
        }
    }
}

fn c(x: f64) -> String {
    num(x, 2)
}
