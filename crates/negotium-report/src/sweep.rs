//! The sweep lens as text and charts: forecast quantiles and label
//! probabilities per issue and model, equilibrium, pass and agreement
//! frequencies, Sobol indices and the tornado table; and SVG charts of
//! them (a fan chart per issue, a tornado per issue and model, label
//! probability bars per issue).

use std::fmt::Write as _;

use maud::{html, Markup, PreEscaped};

use negotium_analysis::sweep::{
    IssueDistribution, LabelProbability, OutcomeSensitivityOut, SobolGrowthOut, SweepParams,
    SweepResult, TornadoModelOut, MAX_SOBOL_N,
};

use crate::svg::bar::value_axis;
use crate::svg::{colour, esc, BarChart, INK};
use crate::{num, Align, Table};

/// Inputs shown per model in the sensitivity and tornado tables.
pub const TOP_INPUTS: usize = 8;

/// Inputs drawn per tornado chart.
pub const TORNADO_ROWS: usize = 12;

fn pct(x: f64) -> String {
    format!("{}%", num(100.0 * x, 1))
}

/// The whole text report of `negotium sweep`.
pub fn render(r: &SweepResult, _params: &SweepParams) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Sweep of {} — {} draws from draw {}, seed {}{}",
        r.scenario,
        r.draws,
        r.first_draw,
        r.seed,
        r.perturb
            .as_ref()
            .map(|p| format!(", stated perturbation {p}"))
            .unwrap_or_default()
    );
    let _ = writeln!(out, "{}", r.sampling);
    for n in &r.notes {
        let _ = writeln!(out, "  · {n}");
    }
    let _ = writeln!(
        out,
        "Uncertain inputs: {} continuous, {} discrete",
        r.inputs.len(),
        r.choices.len()
    );
    if let Some(sp) = &r.spatial {
        let _ = writeln!(
            out,
            "\nSpatial forecasts ({}; labels: {})",
            sp.quantile_definition, sp.label_rule
        );
        for is in &sp.issues {
            let _ = writeln!(
                out,
                "\n{} [{}] scale {}..{}",
                is.name,
                is.issue,
                num(is.min, 3),
                num(is.max, 3)
            );
            let mut t = Table::new([
                "model",
                "point",
                "mean",
                "p05",
                "p25",
                "p50",
                "p75",
                "p95",
                "likeliest label",
            ])
            .align(&[
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Left,
            ]);
            for m in &is.models {
                let best =
                    m.label_probabilities
                        .iter()
                        .fold(None, |b: Option<&LabelProbability>, l| match b {
                            Some(x) if x.probability >= l.probability => b,
                            _ => Some(l),
                        });
                let q = &m.quantiles;
                t.row([
                    m.model.clone(),
                    num(m.point, 2),
                    num(m.mean, 2),
                    num(q.p05, 2),
                    num(q.p25, 2),
                    num(q.p50, 2),
                    num(q.p75, 2),
                    num(q.p95, 2),
                    best.map(|l| format!("{} ({})", l.label, pct(l.probability)))
                        .unwrap_or_else(|| "—".into()),
                ]);
            }
            out.push_str(&t.render(2));
        }
    }
    if let Some(c) = &r.conflict {
        let _ = writeln!(
            out,
            "\nConflict: how often each state is an equilibrium ({} preference profiles drawn)",
            c.profiles
        );
        let mut head = vec!["state".to_string(), "options taken".into()];
        head.extend(c.concepts.iter().cloned());
        let mut t = Table::new(head);
        for s in &c.states {
            let mut row = vec![
                format!("{} {}", s.number, s.pattern),
                if s.options.is_empty() {
                    "none".into()
                } else {
                    s.options.join(", ")
                },
            ];
            for k in &c.concepts {
                let f = s.frequency.get(k).copied().unwrap_or(0.0);
                let mark = if s.point.contains(k) { "*" } else { "" };
                row.push(format!("{}{mark}", pct(f)));
            }
            t.row(row);
        }
        out.push_str(&t.render(2));
        out.push_str("  (* an equilibrium with the stated preferences)\n");
    }
    if let Some(v) = &r.vote {
        out.push_str("\nVotes: how often each proposal on record passes\n");
        let mut t = Table::new([
            "date",
            "institution",
            "proposal",
            "passes",
            "stated",
            "vetoed by",
        ])
        .align(&[
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Left,
        ]);
        for p in &v.proposals {
            let vetoes: Vec<String> = p
                .vetoes
                .iter()
                .filter(|x| x.frequency > 0.0)
                .map(|x| format!("{} {}", x.member, pct(x.frequency)))
                .collect();
            t.row([
                p.date.clone(),
                p.institution.clone(),
                format!(
                    "{} {} → {}",
                    p.issue,
                    num(p.status_quo, 2),
                    p.proposal_label
                        .clone()
                        .unwrap_or_else(|| num(p.proposal, 2))
                ),
                pct(p.p_pass),
                if p.point_passes { "passes" } else { "fails" }.into(),
                if vetoes.is_empty() {
                    "—".into()
                } else {
                    vetoes.join(", ")
                },
            ]);
        }
        out.push_str(&t.render(2));
    }
    if let Some(b) = &r.bargaining {
        let _ = writeln!(out, "\nBargaining: {}", b.definition);
        let mut t = Table::new(["scope", "stated", "probability"]).align(&[
            Align::Left,
            Align::Left,
            Align::Right,
        ]);
        for a in &b.agreement {
            t.row([
                a.scope.clone(),
                if a.point { "possible" } else { "not possible" }.into(),
                pct(a.probability),
            ]);
        }
        out.push_str(&t.render(2));
    }
    if let Some(g) = &r.sobol_growth {
        out.push_str(&growth_text(g, "--sobol-max-n "));
    }
    if let Some(s) = &r.sensitivity {
        let _ = writeln!(
            out,
            "\nSensitivity: {} (N = {}, {} bootstrap replicates, {}% intervals, {} model runs)",
            s.method,
            s.n,
            s.bootstrap,
            num(100.0 * s.level, 1),
            s.evaluations
        );
        for is in &s.issues {
            for m in &is.models {
                if m.constant {
                    let _ = writeln!(
                        out,
                        "\n{} / {}: the forecast never moved",
                        is.issue, m.model
                    );
                    continue;
                }
                let _ = writeln!(
                    out,
                    "\n{} / {} (variance {}), top {} inputs by total index",
                    is.issue,
                    m.model,
                    num(m.variance, 3),
                    TOP_INPUTS.min(m.indices.len())
                );
                let mut t =
                    Table::new(["input", "first", "first CI", "total", "total CI"]).align(&[
                        Align::Left,
                        Align::Right,
                        Align::Right,
                        Align::Right,
                        Align::Right,
                    ]);
                for x in m.indices.iter().take(TOP_INPUTS) {
                    t.row([
                        x.input.clone(),
                        num(x.first, 3),
                        format!("[{}, {}]", num(x.first_ci[0], 2), num(x.first_ci[1], 2)),
                        num(x.total, 3),
                        format!("[{}, {}]", num(x.total_ci[0], 2), num(x.total_ci[1], 2)),
                    ]);
                }
                out.push_str(&t.render(2));
                let widest = widest_total_ci(m.indices.iter().take(TOP_INPUTS).map(|x| x.total_ci));
                if let Some(note) = precision_note(widest, s.n) {
                    out.push_str(&note);
                }
            }
        }
    }
    if let Some(o) = &r.outcome_sensitivity {
        out.push_str(&outcome_text(o));
    }
    if let Some(tor) = &r.tornado {
        out.push_str("\nTornado: the forecast when one input goes lo → hi, the others at their point values\n");
        for is in tor {
            for m in &is.models {
                let _ = writeln!(
                    out,
                    "\n{} / {} (base {})",
                    is.issue,
                    m.model,
                    num(m.base, 2)
                );
                let mut t = Table::new(["input", "range", "forecast", "swing"]).align(&[
                    Align::Left,
                    Align::Right,
                    Align::Right,
                    Align::Right,
                ]);
                for x in m.rows.iter().take(TOP_INPUTS) {
                    t.row([
                        x.input.clone(),
                        format!("{} .. {}", num(x.lo, 3), num(x.hi, 3)),
                        format!("{} → {}", num(x.forecast_lo, 2), num(x.forecast_hi, 2)),
                        num(x.swing, 2),
                    ]);
                }
                out.push_str(&t.render(2));
            }
        }
    }
    out
}

/// How `--sobol-width` grew the design: the sizes run, and whether the
/// widest interval came within the width asked; `setting` names the cap as
/// the reader sets it (`--sobol-max-n ` or `sobol_max_n = `).
fn growth_text(g: &SobolGrowthOut, setting: &str) -> String {
    let sizes: Vec<String> = g.steps.iter().map(|s| s.n.to_string()).collect();
    let spent: u64 = g.steps.iter().map(|s| s.evaluations).sum();
    let Some(last) = g.steps.last() else {
        return String::new();
    };
    let outcome = if g.reached {
        format!(
            "every total-index interval is now at most {} wide (widest {}, {})",
            num(g.target, 2),
            num(last.widest, 2),
            last.widest_output
        )
    } else {
        // The next cap worth suggesting, within the largest one allowed.
        let more = (4 * g.max_n).min(MAX_SOBOL_N);
        let go_on = if more > g.max_n {
            format!("; {setting}{more} would go on")
        } else {
            String::new()
        };
        format!(
            "stopped at the cap of {} rows with intervals up to {} wide ({}), above the {} asked{go_on}",
            g.max_n,
            num(last.widest, 2),
            last.widest_output,
            num(g.target, 2),
        )
    };
    format!(
        "\nSobol design grown until every total-index interval is at most {} wide: N = {} ({} evaluations in all); {outcome}.\n",
        num(g.target, 2),
        sizes.join(" → "),
        spent
    )
}

/// Total-index intervals wider than this (indices lie in [0, 1]) leave
/// the order of the top inputs unsettled.
const WIDE_INTERVAL: f64 = 0.3;

/// The widest of some total-index intervals (0 for none).
fn widest_total_ci(cis: impl Iterator<Item = [f64; 2]>) -> f64 {
    cis.map(|c| c[1] - c[0]).fold(0.0, f64::max)
}

/// A line saying that the intervals of one table are too wide to rank the
/// inputs, when the widest total-index interval it shows (`widest`)
/// exceeds [`WIDE_INTERVAL`], with what a larger design costs and gains
/// (for the text output).
fn precision_note(widest: f64, n: usize) -> Option<String> {
    precision_sentence(widest, n, "this table", "--sobol-n ").map(|s| format!("  Note: {s}\n"))
}

/// The sentence of [`precision_note`]: `whose` names what the intervals
/// belong to, `setting` the design size as the reader sets it
/// (`--sobol-n ` on the command line, `sobol_n = ` elsewhere).
fn precision_sentence(widest: f64, n: usize, whose: &str, setting: &str) -> Option<String> {
    (widest > WIDE_INTERVAL).then(|| {
        format!(
            "total-index intervals up to {} wide in {whose}: N = {n} rows do not settle the order of the inputs. Intervals narrow as 1/√N: {setting}{} (4× the model runs) about halves them.",
            num(widest, 2),
            4 * n
        )
    })
}

/// [`precision_sentence`] for the outcomes' table: how many outcomes show
/// an interval wider than [`WIDE_INTERVAL`], and the widest.
fn outcome_precision(o: &OutcomeSensitivityOut, setting: &str) -> Option<String> {
    let widths: Vec<f64> = o
        .rows()
        .into_iter()
        .map(|(_, _, _, s)| widest_total_ci(s.indices.iter().take(TOP_INPUTS).map(|x| x.total_ci)))
        .collect();
    let wide = widths.iter().filter(|&&w| w > WIDE_INTERVAL).count();
    let whose = format!("{wide} of these outcomes");
    precision_sentence(
        widths.iter().copied().fold(0.0, f64::max),
        o.n,
        &whose,
        setting,
    )
}

fn ci(c: [f64; 2]) -> String {
    format!("[{}, {}]", num(c[0], 2), num(c[1], 2))
}

/// The Sobol indices of the conflict, vote and bargaining outcomes as text.
fn outcome_text(o: &OutcomeSensitivityOut) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nSensitivity of the conflict, vote and bargaining outcomes (1 when the outcome holds, 0 otherwise): {} (N = {}, {} outcome evaluations); top {} inputs per outcome by total index",
        o.method, o.n, o.evaluations, TOP_INPUTS
    );
    if !o.conflict.is_empty() || o.conflict_omitted > 0 {
        let _ = writeln!(
            out,
            "  conflict: \"state s is an equilibrium under the concept\" for the {} most variable of the states that are an equilibrium in some but not all draws{}",
            o.conflict.len(),
            if o.conflict_omitted > 0 {
                format!(" ({} more left out: at most {} are analysed)", o.conflict_omitted, o.conflict_cap)
            } else {
                String::new()
            }
        );
    }
    let mut t = Table::new([
        "outcome", "in draws", "input", "first", "first CI", "total", "total CI",
    ])
    .align(&[
        Align::Left,
        Align::Right,
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
    ]);
    for (_, label, share, s) in o.rows() {
        if s.constant {
            t.row([
                label,
                pct(share),
                "never changed in the design".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
            continue;
        }
        for (k, x) in s.indices.iter().take(TOP_INPUTS).enumerate() {
            let (l, p) = if k == 0 {
                (label.clone(), pct(share))
            } else {
                (String::new(), String::new())
            };
            t.row([
                l,
                p,
                x.input.clone(),
                num(x.first, 3),
                ci(x.first_ci),
                num(x.total, 3),
                ci(x.total_ci),
            ]);
        }
    }
    out.push_str(&t.render(2));
    if let Some(sentence) = outcome_precision(o, "--sobol-n ") {
        let _ = writeln!(out, "  Note: {sentence}");
    }
    out
}

/// A fan chart of one issue: per model, the 5–95 % band (light), the
/// 25–75 % band (dark), the median (black tick) and the point forecast
/// (white dot), on the issue's scale.
pub fn fan_chart(is: &IssueDistribution) -> String {
    let title = format!("Forecast distribution: {}", is.name);
    let (lo, hi) = (is.min, is.max);
    if is.models.is_empty() || hi <= lo {
        return crate::svg::empty("fan-chart", &title, "no forecast to plot");
    }
    let (left, right, top, bottom, w, row_h) = (110.0, 30.0, 28.0, 40.0, 720.0, 30.0);
    let h = top + bottom + row_h * is.models.len() as f64;
    let plot_w = w - left - right;
    let px = |v: f64| left + (v.clamp(lo, hi) - lo) / (hi - lo) * plot_w;
    let mut s = crate::svg::open_svg(w, h, "fan-chart", &title);
    s.push_str(&value_axis(
        (lo, hi),
        px,
        (top, h - bottom),
        left + plot_w / 2.0,
        h - 6.0,
        &format!(
            "{} (5–95 % and 25–75 % of draws; | median, ○ point)",
            is.issue
        ),
    ));
    for (i, m) in is.models.iter().enumerate() {
        let y = top + row_h * i as f64;
        let q = &m.quantiles;
        let col = colour(i);
        let _ = write!(
            s,
            "<g class=\"fan\" data-model=\"{m}\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{m}</text>\
<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{col}\" fill-opacity=\"0.3\"><title>{m}: 5–95 % {} .. {}</title></rect>\
<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{col}\" fill-opacity=\"0.75\"><title>{m}: 25–75 % {} .. {}</title></rect>\
<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{INK}\" stroke-width=\"2.5\"><title>{m}: median {}</title></line>\
<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"#fff\" stroke=\"{INK}\"><title>{m}: point forecast {}</title></circle></g>",
            f(left - 8.0), f(y + row_h / 2.0 + 4.0),
            f(px(q.p05)), f(y + 6.0), f((px(q.p95) - px(q.p05)).max(1.0)), f(row_h - 12.0), num(q.p05, 2), num(q.p95, 2),
            f(px(q.p25)), f(y + 9.0), f((px(q.p75) - px(q.p25)).max(1.0)), f(row_h - 18.0), num(q.p25, 2), num(q.p75, 2),
            f(px(q.p50)), f(y + 4.0), f(px(q.p50)), f(y + row_h - 4.0), num(q.p50, 2),
            f(px(m.point)), f(y + row_h / 2.0), num(m.point, 2),
            m = esc(&m.model),
        );
    }
    s.push_str("</svg>");
    s
}

/// A tornado chart of one model on one issue: per input (by decreasing
/// swing), a bar from the forecast with the input at its low end to the
/// forecast at its high end, around the base forecast.
pub fn tornado_chart(issue: &str, scale: (f64, f64), m: &TornadoModelOut) -> String {
    let title = format!("Tornado: {issue} / {}", m.model);
    let rows: Vec<_> = m.rows.iter().take(TORNADO_ROWS).collect();
    let (lo, hi) = scale;
    if rows.is_empty() || hi <= lo {
        return crate::svg::empty("tornado", &title, "no uncertain input to plot");
    }
    let (left, right, top, bottom, w, row_h) = (220.0, 30.0, 24.0, 40.0, 720.0, 22.0);
    let h = top + bottom + row_h * rows.len() as f64;
    let plot_w = w - left - right;
    let px = |v: f64| left + (v.clamp(lo, hi) - lo) / (hi - lo) * plot_w;
    let mut s = crate::svg::open_svg(w, h, "tornado", &title);
    s.push_str(&value_axis(
        (lo, hi),
        px,
        (top, h - bottom),
        left + plot_w / 2.0,
        h - 6.0,
        &format!("forecast of {issue} (blue: input at its low end, orange: at its high end)"),
    ));
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        let (a, b) = (px(r.forecast_lo), px(r.forecast_hi));
        let (x0, x1) = (a.min(b), a.max(b));
        let _ = write!(
            s,
            "<g class=\"swing\"><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{n}</text>\
<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{n} = {}: {}</title></rect>\
<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{n} = {}: {}</title></rect></g>",
            f(left - 8.0), f(y + row_h / 2.0 + 4.0),
            f(x0.min(px(m.base))), f(y + 4.0), f((px(m.base) - x0).max(0.0)), f(row_h - 8.0),
            if a <= b { colour(0) } else { colour(1) },
            num(if a <= b { r.lo } else { r.hi }, 3), num(if a <= b { r.forecast_lo } else { r.forecast_hi }, 2),
            f(px(m.base)), f(y + 4.0), f((x1 - px(m.base)).max(0.0)), f(row_h - 8.0),
            if a <= b { colour(1) } else { colour(0) },
            num(if a <= b { r.hi } else { r.lo }, 3), num(if a <= b { r.forecast_hi } else { r.forecast_lo }, 2),
            n = esc(&crate::svg::bar::shorten(&r.input, 32)),
        );
    }
    let xb = px(m.base);
    let _ = write!(
        s,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{INK}\" stroke-width=\"1.5\"><title>base forecast {}</title></line></svg>",
        f(xb), f(top - 4.0), f(xb), f(h - bottom), num(m.base, 2)
    );
    s
}

/// Label-probability bars of one issue: per labelled point, one bar per
/// model (the share of draws whose forecast lies nearest to it).
pub fn label_chart(is: &IssueDistribution) -> String {
    let categories: Vec<String> = is
        .models
        .first()
        .map(|m| {
            m.label_probabilities
                .iter()
                .map(|l| l.label.clone())
                .collect()
        })
        .unwrap_or_default();
    BarChart {
        title: format!("Label probabilities: {}", is.name),
        value_label: "share of draws whose forecast is nearest the label".into(),
        categories,
        series: is
            .models
            .iter()
            .map(|m| {
                (
                    m.model.clone(),
                    m.label_probabilities
                        .iter()
                        .map(|l| l.probability)
                        .collect(),
                )
            })
            .collect(),
        max: Some(1.0),
    }
    .render()
}

/// Every chart of a sweep, by file name: `fan-<issue>.svg`,
/// `labels-<issue>.svg`, `tornado-<issue>-<model>.svg`.
pub fn charts(r: &SweepResult) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(sp) = &r.spatial else { return out };
    for is in &sp.issues {
        out.push((format!("fan-{}.svg", is.issue), fan_chart(is)));
        if is.models.iter().any(|m| !m.label_probabilities.is_empty()) {
            out.push((format!("labels-{}.svg", is.issue), label_chart(is)));
        }
    }
    for t in r.tornado.iter().flatten() {
        let scale = sp
            .issues
            .iter()
            .find(|i| i.issue == t.issue)
            .map_or((0.0, 1.0), |i| (i.min, i.max));
        for m in &t.models {
            out.push((
                format!("tornado-{}-{}.svg", t.issue, m.model),
                tornado_chart(&t.issue, scale, m),
            ));
        }
    }
    out
}

fn f(x: f64) -> String {
    num(x, 2)
}

/// Swings below this share of the scale count as none in the tornado
/// section (a model whose largest swing is below it gets no chart).
const STILL_SHARE: f64 = 0.001;

/// The models whose largest swing reaches [`STILL_SHARE`] of the scale, and
/// the names of the others.
fn split_by_swing(
    models: &[TornadoModelOut],
    (lo, hi): (f64, f64),
) -> (Vec<&TornadoModelOut>, Vec<&str>) {
    let floor = STILL_SHARE * (hi - lo).abs();
    let (moved, still): (Vec<_>, Vec<_>) = models
        .iter()
        .partition(|m| m.rows.first().is_some_and(|r| r.swing >= floor));
    (moved, still.iter().map(|m| m.model.as_str()).collect())
}

/// The sweep as HTML (no `<section>`): per issue a fan chart and the label
/// probability bars, the tornado charts when sensitivity was computed, and
/// the equilibrium, pass and agreement frequencies as tables.
pub fn section(r: &SweepResult) -> Markup {
    let pc = |x: f64| pct(x);
    html! {
        p.note {
            (r.draws) " Monte Carlo draws, seed " (r.seed)
            @if r.first_draw > 0 { ", from draw " (r.first_draw) }
            @if let Some(p) = &r.perturb { ", stated perturbation " code { (p) } }
            " — " (r.inputs.len()) " uncertain continuous inputs, " (r.choices.len()) " discrete."
        }
        @if !r.notes.is_empty() {
            ul.note { @for n in &r.notes { li { (n) } } }
        }
        @if let Some(sp) = &r.spatial {
            @for is in &sp.issues {
                h3 { (is.name) }
                figure {
                    div.scroll { (PreEscaped(fan_chart(is))) }
                    figcaption { "Forecast distribution per model: light band 5–95 % of draws, dark band 25–75 %, bar the median, circle the forecast at the stated inputs." }
                }
                @if let Some(bars) = label_bars(is) {
                    figure {
                        div.scroll { (bars) }
                        figcaption { "Share of draws whose forecast lies nearest each labelled point of the scale, per model." }
                    }
                }
            }
        }
        @if let (Some(tor), Some(sp)) = (&r.tornado, &r.spatial) {
            h3 { "Tornado: one input at a time" }
            p.note { "The forecast with one input at the low, then the high end of its range, the others at their stated values; the " (TORNADO_ROWS) " inputs with the largest swing at most." }
            @for t in tor {
                @let is = sp.issues.iter().find(|i| i.issue == t.issue);
                @let scale = is.map_or((0.0, 1.0), |i| (i.min, i.max));
                @let (moved, still) = split_by_swing(&t.models, scale);
                h4 { (is.map_or(t.issue.as_str(), |i| i.name.as_str())) }
                @for m in moved {
                    figure {
                        div.scroll { (PreEscaped(tornado_chart(&t.issue, scale, m))) }
                        figcaption { strong { (m.model) } ": forecast " (num(m.base, 2)) " at the stated inputs; largest swing " (num(m.rows.first().map_or(0.0, |r| r.swing), 2)) " points." }
                    }
                }
                @if !still.is_empty() {
                    p.note { "No single input moves " (still.join(", ")) " by " (num(STILL_SHARE * 100.0, 1)) " % of the scale or more: no chart." }
                }
            }
        }
        @if let Some(g) = &r.sobol_growth {
            p.note.sobol-growth { (growth_text(g, "sobol_max_n = ").trim()) }
        }
        @if let Some(o) = &r.outcome_sensitivity {
            (outcome_table(o))
        }
        @if let Some(cf) = &r.conflict {
            h3 { "Conflict: how often each state is an equilibrium" }
            p.note { (cf.profiles) " preference profiles drawn; * marks an equilibrium with the stated preferences." }
            div.scroll {
                table.sweep-conflict {
                    thead { tr { th { "state" } th { "options taken" } @for k in &cf.concepts { th { (k) } } } }
                    tbody {
                        @for s in &cf.states {
                            tr {
                                td { (s.number) " " (s.pattern) }
                                td { @if s.options.is_empty() { "none" } @else { (s.options.join(", ")) } }
                                @for k in &cf.concepts {
                                    td.num { (pc(s.frequency.get(k).copied().unwrap_or(0.0))) @if s.point.contains(k) { "*" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(v) = &r.vote {
            h3 { "Votes: how often each proposal passes" }
            div.scroll {
                table.sweep-votes {
                    thead { tr { th { "date" } th { "body" } th { "proposal" } th { "passes" } th { "with the stated inputs" } th { "vetoed by" } } }
                    tbody {
                        @for p in &v.proposals {
                            tr {
                                td { (p.date) }
                                td { (p.name) }
                                td { (p.issue) " " (num(p.status_quo, 2)) " → " (p.proposal_label.clone().unwrap_or_else(|| num(p.proposal, 2))) }
                                td.num { (pc(p.p_pass)) }
                                td { @if p.point_passes { "passes" } @else { "fails" } }
                                td {
                                    @let vs: Vec<String> = p.vetoes.iter().filter(|x| x.frequency > 0.0).map(|x| format!("{} {}", x.member, pc(x.frequency))).collect();
                                    @if vs.is_empty() { "—" } @else { (vs.join(", ")) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(b) = &r.bargaining {
            h3 { "Bargaining: how often an agreement is possible" }
            p.note { (b.definition) }
            table.sweep-bargaining {
                thead { tr { th { "scope" } th { "with the stated inputs" } th { "probability" } } }
                tbody {
                    @for a in &b.agreement {
                        tr { td { (a.scope) } td { @if a.point { "possible" } @else { "not possible" } } td.num { (pc(a.probability)) } }
                    }
                }
            }
        }
    }
}

/// The Sobol indices of the conflict, vote and bargaining outcomes as a
/// compact table: per outcome its share of the draws, then its
/// [`TOP_INPUTS`] inputs by total index.
pub fn outcome_table(o: &OutcomeSensitivityOut) -> Markup {
    let rows = o.rows();
    let precision = outcome_precision(o, "sobol_n = ");
    html! {
        h3 { "Sensitivity of the conflict, vote and bargaining outcomes" }
        p.note {
            "Sobol indices of each yes/no outcome (first order and total, " (num(100.0 * o.level, 1)) " % bootstrap intervals, N = " (o.n) "). "
            "A drawn choice (a decision maker's preferences, a member's ballot) counts as one input. "
            @if !o.conflict.is_empty() || o.conflict_omitted > 0 {
                "Conflict: the " (o.conflict.len()) " most variable of the states that are an equilibrium in some but not all draws"
                @if o.conflict_omitted > 0 { " (" (o.conflict_omitted) " more left out; at most " (o.conflict_cap) ")" }
                ". "
            }
        }
        div.scroll {
            table.sweep-outcome-sobol {
                thead { tr { th { "lens" } th { "outcome" } th { "in draws" } th { "input" } th { "first" } th { "first CI" } th { "total" } th { "total CI" } } }
                tbody {
                    @for (lens, label, share, s) in &rows {
                        @if s.constant {
                            tr { td { (lens) } td { (label) } td.num { (pct(*share)) } td colspan="5" { "never changed in the design" } }
                        } @else {
                            @let shown: Vec<_> = s.indices.iter().take(TOP_INPUTS).collect();
                            @for (k, x) in shown.iter().enumerate() {
                                tr {
                                    @if k == 0 {
                                        td rowspan=(shown.len()) { (lens) }
                                        td rowspan=(shown.len()) { (label) }
                                        td.num rowspan=(shown.len()) { (pct(*share)) }
                                    }
                                    td { code { (x.input) } }
                                    td.num { (num(x.first, 3)) }
                                    td.num { (ci(x.first_ci)) }
                                    td.num { (num(x.total, 3)) }
                                    td.num { (ci(x.total_ci)) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if let Some(sentence) = &precision {
            p.note.sobol-precision { "Note: " (sentence) }
        }
    }
}

/// The analyze report's "Uncertainty" section.
pub fn report_section(r: &SweepResult) -> Markup {
    html! {
        section #uncertainty {
            h2 { "Uncertainty" }
            p.note {
                "A small sweep run by the report itself: " (r.draws) " draws over the ranges the scenario declares, seeded with the report's seed (" (r.seed) "). "
                code { "negotium sweep" } " runs more draws and the sensitivity analysis."
            }
            (section(r))
        }
    }
}

/// Characters of a label shown in [`label_bars`] (the whole label is the
/// row's tooltip).
const LABEL_CHARS: usize = 48;

/// Label probabilities of one issue as grouped horizontal bars: per
/// labelled point that at least one model reaches in some draw, one bar per
/// model, each labelled with the model and its share. The labels no draw
/// reaches are named under the chart. None without labels.
pub fn label_bars(is: &IssueDistribution) -> Option<Markup> {
    use crate::svg::bar::shorten;
    let labels: Vec<&LabelProbability> = is.models.first()?.label_probabilities.iter().collect();
    if labels.is_empty() {
        return None;
    }
    let p = |m: usize, l: usize| {
        is.models[m]
            .label_probabilities
            .get(l)
            .map_or(0.0, |x| x.probability)
    };
    let shown: Vec<usize> = (0..labels.len())
        .filter(|l| (0..is.models.len()).any(|m| p(m, *l) > 0.0))
        .collect();
    let n = is.models.len();
    const W: f64 = 760.0;
    const BAR: f64 = 14.0;
    const GAP: f64 = 12.0;
    const RIGHT: f64 = 150.0;
    let left = 16.0
        + 6.5
            * shown
                .iter()
                .map(|l| shorten(&labels[*l].label, LABEL_CHARS).chars().count())
                .max()
                .unwrap_or(0) as f64;
    let top = 8.0;
    let group = BAR * n as f64 + GAP;
    let plot_h = group * shown.len() as f64;
    let h = top + plot_h + 44.0;
    let x = |v: f64| left + v.clamp(0.0, 1.0) * (W - left - RIGHT);
    let hidden: Vec<&str> = (0..labels.len())
        .filter(|l| !shown.contains(l))
        .map(|l| labels[l].label.as_str())
        .collect();
    let title = format!("Label probabilities: {}", is.name);
    Some(html! {
        svg.chart.label-bars xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (W) " " (h) } width=(W) height=(h)
            role="img" aria-label=(title) font-family="system-ui, sans-serif" font-size="12" {
            title { (title) }
            @for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
                line x1=(f(x(t))) x2=(f(x(t))) y1=(f(top)) y2=(f(top + plot_h)) stroke="#e4e4e4" {}
                text x=(f(x(t))) y=(f(top + plot_h + 16.0)) text-anchor="middle" font-size="11" { (num(100.0 * t, 0)) "%" }
            }
            @for (k, l) in shown.iter().enumerate() {
                @let y0 = top + group * k as f64;
                g.label data-name=(labels[*l].label) {
                    title { (labels[*l].label) " (at " (num(labels[*l].at, 2)) ")" }
                    text x=(f(left - 8.0)) y=(f(y0 + BAR * n as f64 / 2.0 + 4.0)) text-anchor="end" { (shorten(&labels[*l].label, LABEL_CHARS)) }
                    @for m in 0..n {
                        @let v = p(m, *l);
                        @let y = y0 + BAR * m as f64;
                        rect x=(f(left)) y=(f(y + 1.0)) width=(f((x(v) - left).max(0.5))) height=(f(BAR - 2.0)) fill=(colour(m)) {
                            title { (is.models[m].model) ": " (pct(v)) }
                        }
                        text x=(f(x(v) + 4.0)) y=(f(y + BAR - 3.0)) font-size="10.5" { (is.models[m].model) " " (pct(v)) }
                    }
                }
            }
            line x1=(f(left)) x2=(f(left)) y1=(f(top)) y2=(f(top + plot_h)) stroke="#333" {}
            text x=(f((left + W - RIGHT) / 2.0)) y=(f(h - 8.0)) text-anchor="middle" {
                "share of draws whose forecast is nearest the label (%)"
            }
        }
        @if !hidden.is_empty() {
            p.note { "No draw came nearest to: " (hidden.join("; ")) "." }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use negotium_analysis::sweep::SobolStepOut;

    #[test]
    fn the_growth_line_says_the_sizes_and_whether_the_width_was_reached() {
        let step = |n: usize, widest: f64| SobolStepOut {
            n,
            evaluations: 10 * n as u64,
            widest,
            widest_output: "status / smp".into(),
        };
        let mut g = SobolGrowthOut {
            target: 0.3,
            max_n: 128,
            reached: true,
            steps: vec![step(32, 0.9), step(64, 0.5), step(128, 0.25)],
        };
        let t = growth_text(&g, "--sobol-max-n ");
        assert!(
            t.contains("N = 32 → 64 → 128 (2240 evaluations in all)"),
            "{t}"
        );
        assert!(
            t.contains("now at most 0.3 wide (widest 0.25, status / smp)"),
            "{t}"
        );
        g.reached = false;
        g.steps[2].widest = 0.4;
        let t = growth_text(&g, "--sobol-max-n ");
        assert!(
            t.contains(
                "stopped at the cap of 128 rows with intervals up to 0.4 wide (status / smp)"
            ),
            "{t}"
        );
        assert!(t.contains("--sobol-max-n 512"), "{t}");
        // Never past the largest cap allowed; at it, no suggestion.
        g.max_n = MAX_SOBOL_N / 2;
        assert!(growth_text(&g, "--sobol-max-n ").contains(&format!("--sobol-max-n {MAX_SOBOL_N}")));
        g.max_n = MAX_SOBOL_N;
        let t = growth_text(&g, "--sobol-max-n ");
        assert!(
            t.contains("above the 0.3 asked.") && !t.contains("would go on"),
            "{t}"
        );
    }

    #[test]
    fn the_precision_note_appears_only_above_the_threshold() {
        assert_eq!(precision_note(WIDE_INTERVAL, 32), None);
        assert_eq!(precision_note(0.0, 32), None);
        let note = precision_note(0.31, 32).expect("0.31 is wide");
        assert!(note.contains("up to 0.31 wide in this table"), "{note}");
        assert!(note.contains("N = 32 rows"), "{note}");
        assert!(note.contains("--sobol-n 128"), "{note}");
        let s = precision_sentence(1.5, 64, "3 of these outcomes", "sobol_n = ").expect("wide");
        assert!(s.contains("in 3 of these outcomes"), "{s}");
        assert!(s.contains("sobol_n = 256"), "{s}");
    }

    #[test]
    fn the_widest_interval_is_the_largest_width() {
        assert_eq!(widest_total_ci(std::iter::empty()), 0.0);
        let cis = [[0.1, 0.2], [-0.5, 0.4], [0.3, 0.35]];
        assert_eq!(widest_total_ci(cis.into_iter()), 0.9);
    }
}
