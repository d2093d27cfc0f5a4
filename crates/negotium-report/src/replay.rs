//! The `replay` text: per issue, every model's forecast at each date a
//! stance or capability changes; then each date's changes and the events
//! that followed until the next date.

use std::fmt::Write as _;

use maud::{html, Markup};
use negotium_analysis::replay::{EventRef, ReplayResult, ReplayStep};
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

/// Series drawn per chart (a chart with more models shows the first ones
/// and says so).
pub const MAX_SERIES: usize = 8;

/// Changes listed in the HTML table before the rest are counted.
const CHANGES_SHOWN: usize = 30;

/// Spreads label baselines (already in the order of their values) so that
/// neighbours are at least `gap` apart, inside `lo..=hi` when there is room.
pub(crate) fn spread(ys: &mut [f64], gap: f64, lo: f64, hi: f64) {
    if ys.is_empty() {
        return;
    }
    let mut order: Vec<usize> = (0..ys.len()).collect();
    order.sort_by(|a, b| ys[*a].total_cmp(&ys[*b]).then(a.cmp(b)));
    // Downwards from the top, then back up from the bottom bound.
    let mut prev = f64::NEG_INFINITY;
    for &i in &order {
        ys[i] = ys[i].max(lo).max(prev + gap);
        prev = ys[i];
    }
    let mut next = f64::INFINITY;
    for &i in order.iter().rev() {
        ys[i] = ys[i].min(hi).min(next - gap);
        next = ys[i];
    }
}

/// The replay of one issue as a step chart of every model's forecast
/// against the date, labelled at the line ends, with the recorded outcome
/// (dashed), the scenario's `as_of` and the outcome date (vertical marks)
/// and every dated event that followed a change date as a tick under the
/// axis. None for an issue the replay does not hold or without dates.
pub fn timeline_chart(r: &ReplayResult, issue: &str) -> Option<Markup> {
    use crate::svg::timeline::year_of;
    use crate::svg::{colour, dash, ticks};
    let is = r.issues.iter().find(|i| i.issue == issue)?;
    let steps: Vec<(f64, &ReplayStep)> = r
        .steps
        .iter()
        .filter_map(|st| year_of(&st.date).map(|x| (x, st)))
        .collect();
    let events: Vec<(f64, &EventRef)> = r
        .steps
        .iter()
        .flat_map(|st| &st.events)
        .filter_map(|e| year_of(&e.date).map(|x| (x, e)))
        .collect();
    let outcome_x = r.outcome_date.as_deref().and_then(year_of);
    let (x0, x1) = crate::svg::extent(steps.iter().map(|s| s.0).chain(outcome_x))?;
    // A forecast holds until the next date: the last one is drawn a little
    // further (a twentieth of the span) so that it shows.
    let x1 = x1 + (x1 - x0) / 20.0;
    let (lo, hi) = if is.max > is.min {
        (is.min, is.max)
    } else {
        (is.min - 1.0, is.min + 1.0)
    };
    const W: f64 = 780.0;
    const LEFT: f64 = 60.0;
    const RIGHT: f64 = 170.0;
    const TOP: f64 = 26.0;
    const PLOT_H: f64 = 260.0;
    let h = TOP + PLOT_H + 78.0;
    let px = |x: f64| LEFT + (x - x0) / (x1 - x0) * (W - LEFT - RIGHT);
    let py = |y: f64| TOP + PLOT_H - (y.clamp(lo, hi) - lo) / (hi - lo) * PLOT_H;
    let models: Vec<&String> = r.models.iter().take(MAX_SERIES).collect();
    // Per model, the step path and its last value.
    // Earlier series are drawn wider, so that a later one on the same
    // values leaves them visible at its edges.
    let lines: Vec<(String, Vec<(f64, f64)>)> = models
        .iter()
        .map(|m| {
            let mut pts: Vec<(f64, f64)> = Vec::new();
            for (x, st) in &steps {
                let Some(y) = st
                    .forecasts
                    .iter()
                    .find(|f| f.issue == issue)
                    .and_then(|f| f.models.iter().find(|v| &v.model == *m))
                    .map(|v| v.forecast)
                    .filter(|y| y.is_finite())
                else {
                    continue;
                };
                if let Some(&(_, prev)) = pts.last() {
                    pts.push((*x, prev));
                }
                pts.push((*x, y));
            }
            if let Some(&(_, last)) = pts.last() {
                pts.push((x1, last));
            }
            ((*m).clone(), pts)
        })
        .collect();
    // Direct labels at the line ends, the recorded outcome's last, spread
    // apart together.
    let mut label_y: Vec<f64> = lines
        .iter()
        .map(|(_, p)| p.last().map_or(py(lo), |q| py(q.1)) + 4.0)
        .chain(is.outcome.map(|o| py(o) + 4.0))
        .collect();
    spread(&mut label_y, 13.0, TOP + 4.0, TOP + PLOT_H + 4.0);
    let year_ticks: Vec<f64> = if x1 - x0 >= 2.0 {
        let step = ((x1 - x0) / 8.0).ceil().max(1.0);
        let mut v = Vec::new();
        let mut t = x0.ceil();
        while t <= x1 {
            v.push(t);
            t += step;
        }
        v
    } else {
        ticks(x0, x1, 5)
    };
    let axis_y = TOP + PLOT_H;
    let rug_y = axis_y + 30.0;
    let title = format!("Replay of {}: forecast by date", is.name);
    Some(html! {
        svg.chart.replay-chart xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (W) " " (h) } width=(W) height=(h)
            role="img" aria-label=(title) font-family="system-ui, sans-serif" font-size="12" {
            title { (title) }
            @for t in ticks(lo, hi, 5) {
                line x1=(c(LEFT)) x2=(c(W - RIGHT)) y1=(c(py(t))) y2=(c(py(t))) stroke="#e4e4e4" {}
                text x=(c(LEFT - 6.0)) y=(c(py(t) + 4.0)) text-anchor="end" font-size="11" { (num(t, 2)) }
            }
            @for t in &year_ticks {
                line x1=(c(px(*t))) x2=(c(px(*t))) y1=(c(axis_y)) y2=(c(axis_y + 5.0)) stroke="#333" {}
                text x=(c(px(*t))) y=(c(axis_y + 18.0)) text-anchor="middle" font-size="11" { (num(*t, 2)) }
            }
            line x1=(c(LEFT)) x2=(c(W - RIGHT)) y1=(c(axis_y)) y2=(c(axis_y)) stroke="#333" {}
            line x1=(c(LEFT)) x2=(c(LEFT)) y1=(c(TOP)) y2=(c(axis_y)) stroke="#333" {}
            text x=(c((LEFT + W - RIGHT) / 2.0)) y=(c(h - 6.0)) text-anchor="middle" font-size="12" {
                "date (year); ticks under the axis: the dated events that followed each change"
            }
            text transform={ "translate(14 " (c(TOP + PLOT_H / 2.0)) ") rotate(-90)" } text-anchor="middle" font-size="12" {
                "forecast of " (is.issue) " (scale points, " (num(is.min, 2)) "–" (num(is.max, 2)) ")"
            }
            @if let Some(d) = &r.as_of {
                @if let Some(x) = year_of(d).filter(|x| (x0..=x1).contains(x)) {
                    g.mark data-name="as_of" {
                        line x1=(c(px(x))) x2=(c(px(x))) y1=(c(TOP - 8.0)) y2=(c(axis_y)) stroke="#000" stroke-dasharray="2 3" {}
                        text x=(c(px(x) + 3.0)) y=(c(TOP - 12.0)) font-size="11" { "as of " (d) }
                    }
                }
            }
            @if let (Some(d), Some(x)) = (&r.outcome_date, outcome_x) {
                g.mark data-name="outcome date" {
                    line x1=(c(px(x))) x2=(c(px(x))) y1=(c(TOP - 8.0)) y2=(c(axis_y)) stroke="#000" stroke-dasharray="6 3" {}
                    text x=(c(px(x) + 3.0)) y=(c(TOP - 1.0)) font-size="11" { "outcome " (d) }
                }
            }
            @if let Some(o) = is.outcome {
                g.mark data-name="recorded outcome" {
                    line x1=(c(LEFT)) x2=(c(W - RIGHT)) y1=(c(py(o))) y2=(c(py(o))) stroke="#000" stroke-width="1.5" stroke-dasharray="6 3" {}
                    text.direct x=(c(W - RIGHT + 6.0)) y=(c(label_y[lines.len()])) font-size="11" font-weight="bold" {
                        "recorded outcome " (num(o, 2))
                    }
                }
            }
            @for (i, (m, pts)) in lines.iter().enumerate() {
                @let last = pts.last().map_or(f64::NAN, |p| p.1);
                g.series data-name=(m) {
                    title { (m) }
                    polyline fill="none" stroke=(colour(i)) stroke-width=(c((3.6 - 0.3 * i as f64).max(1.5))) stroke-dasharray=(dash(i))
                        points=(pts.iter().map(|p| format!("{},{}", c(px(p.0)), c(py(p.1)))).collect::<Vec<_>>().join(" ")) {}
                    @for (x, st) in &steps {
                        @if let Some(v) = st.forecasts.iter().find(|f| f.issue == issue).and_then(|f| f.models.iter().find(|v| &v.model == m)).filter(|v| v.forecast.is_finite()) {
                            circle cx=(c(px(*x))) cy=(c(py(v.forecast))) r="2.5" fill=(colour(i)) {
                                title { (m) ", " (st.date) ": " (num(v.forecast, 2)) }
                            }
                        }
                    }
                    @if last.is_finite() {
                        text.direct x=(c(W - RIGHT + 6.0)) y=(c(label_y[i])) font-size="11" style={ "fill:" (colour(i)) } { (m) " " (num(last, 2)) }
                    }
                }
            }
            g.events {
                text x=(c(LEFT - 6.0)) y=(c(rug_y + 4.0)) text-anchor="end" font-size="11" { "events" }
                @for (x, e) in &events {
                    line x1=(c(px(*x))) x2=(c(px(*x))) y1=(c(rug_y - 6.0)) y2=(c(rug_y + 6.0)) stroke="#555" {
                        title { (e.date) " " (e.kind.as_str()) ": " (e.title) }
                    }
                }
            }
        }
    })
}

/// The replay as HTML (no `<section>`): a chart per issue, then a table
/// of every stance or capability change with the event it follows.
pub fn section(r: &ReplayResult) -> Markup {
    let changes: Vec<(&ReplayStep, &Change)> = r
        .steps
        .iter()
        .flat_map(|st| st.changes.iter().map(move |c| (st, c)))
        .collect();
    html! {
        p.note {
            "Forecasts of " (r.models.join(", ")) " at every date a stance or capability changes"
            @if let Some(d) = &r.as_of { " (the scenario's as-of date is " (d) ")" }
            "; a forecast holds until the next date."
            @if let Some(d) = &r.outcome_date { " The recorded outcome is dated " (d) ": forecasts from that date on are hindsight." }
            @if r.models.len() > MAX_SERIES { " The charts show the first " (MAX_SERIES) " models." }
        }
        @for is in &r.issues {
            @if let Some(chart) = timeline_chart(r, &is.issue) {
                figure {
                    div.scroll { (chart) }
                    figcaption { (is.name) ": each model's forecast by date" @if let Some(o) = is.outcome { "; recorded outcome " (num(o, 2)) } "." }
                }
            }
        }
        @if !changes.is_empty() {
            h3 { "Stance and capability changes" }
            div.scroll {
                table.replay-changes {
                    thead { tr { th { "date" } th { "change" } th { "after the event" } } }
                    tbody {
                        @for (st, ch) in changes.iter().take(CHANGES_SHOWN) {
                            tr {
                                td style="white-space:nowrap" { (st.date) @if st.as_of { " (as of)" } }
                                td { (short(ch)) }
                                td { @if let Some(t) = ch.event_title.as_ref().or(ch.event.as_ref()) { (t) } }
                            }
                        }
                    }
                }
            }
            @if changes.len() > CHANGES_SHOWN {
                p.note { "… and " (changes.len() - CHANGES_SHOWN) " more (" code { "negotium replay" } " lists them all)." }
            }
        }
    }
}

/// The analyze report's "Over time" section.
pub fn report_section(r: &ReplayResult) -> Markup {
    html! {
        section #over-time {
            h2 { "Over time" }
            (section(r))
        }
    }
}

fn c(x: f64) -> String {
    num(x, 2)
}
