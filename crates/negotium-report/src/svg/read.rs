//! The report's detail charts, drawn for reading (maud, so every string
//! from a scenario is escaped): at most [`MAX_COLOURED`] coloured series
//! with the rest grey, direct labels instead of legends, a broken time axis
//! before [`BREAK_YEAR`], and every label kept inside the viewBox (widths
//! are estimated with [`text_width`], generously).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use maud::{html, Markup};
use negotium_analysis::conflict::ConflictResult;
use negotium_analysis::history::date_key;
use negotium_analysis::negotiate::NegotiateResult;
use negotium_analysis::verdict::state_in_words;
use negotium_scenario::spatial::{IssueForecast, ModelForecast};
use negotium_scenario::Event;

use super::PALETTE;
use crate::num;

/// Coloured series a chart draws at most; the rest are grey.
pub const MAX_COLOURED: usize = 7;
/// The time axis is compressed before this year.
pub const BREAK_YEAR: i32 = 1990;
/// Grey for the series that are not highlighted.
pub const GREY: &str = "#BBBBBB";
/// Share of a broken time axis given to the years before [`BREAK_YEAR`].
pub const EARLY_SHARE: f64 = 0.16;

/// A generous estimate of a text's width in pixels (system sans-serif).
pub fn text_width(s: &str, font_size: f64) -> f64 {
    s.chars().count() as f64 * font_size * 0.62
}

/// Nice tick positions over `lo..=hi` (about `n`).
pub fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let span = (hi - lo).abs().max(f64::EPSILON);
    let raw = span / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= n as f64 + 1.0)
        .unwrap_or(10.0 * mag);
    let mut out = Vec::new();
    let mut t = (lo.min(hi) / step).ceil() * step;
    while t <= lo.max(hi) + step * 1e-9 {
        out.push(t);
        t += step;
    }
    out
}

/// Moves label positions (already sorted by wish) apart by at least `gap`,
/// inside `lo..=hi`; returns the positions in the input order.
pub fn spread(wish: &[f64], gap: f64, lo: f64, hi: f64) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..wish.len()).collect();
    idx.sort_by(|a, b| wish[*a].total_cmp(&wish[*b]).then(a.cmp(b)));
    let mut pos: Vec<f64> = idx.iter().map(|i| wish[*i].clamp(lo, hi)).collect();
    for k in 1..pos.len() {
        pos[k] = pos[k].max(pos[k - 1] + gap);
    }
    if let Some(last) = pos.last_mut() {
        *last = last.min(hi);
    }
    for k in (0..pos.len().saturating_sub(1)).rev() {
        pos[k] = pos[k].min(pos[k + 1] - gap);
    }
    let mut out = vec![0.0; wish.len()];
    for (k, i) in idx.iter().enumerate() {
        out[*i] = pos[k];
    }
    out
}

// ---------- trajectories ----------

/// One dynamic model's round-by-round positions on one issue: the actors
/// that move most in colour (at most [`MAX_COLOURED`], named at their line's
/// end), the others thin and grey, the model's median in black.
pub fn trajectory(is: &IssueForecast, m: &ModelForecast) -> Markup {
    // Per actor, its position in each round it appears in.
    let mut paths: BTreeMap<&str, Vec<(usize, f64)>> = BTreeMap::new();
    for (k, r) in m.rounds.iter().enumerate() {
        for (a, p) in &r.positions {
            if p.is_finite() {
                paths.entry(a.as_str()).or_default().push((k, *p));
            }
        }
    }
    let moved = |p: &[(usize, f64)]| match (p.first(), p.last()) {
        (Some(a), Some(b)) => (b.1 - a.1).abs(),
        _ => 0.0,
    };
    let mut order: Vec<(&str, f64)> = paths.iter().map(|(a, p)| (*a, moved(p))).collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    let coloured: Vec<&str> = order
        .iter()
        .filter(|x| x.1 > 1e-9)
        .take(MAX_COLOURED)
        .map(|x| x.0)
        .collect();
    let grey = paths.len() - coloured.len();
    let rounds = m.rounds.len().max(2) - 1;
    let label_w = coloured
        .iter()
        .map(|a| text_width(a, 12.0))
        .chain([text_width("median", 12.0)])
        .fold(0.0, f64::max);
    const LEFT: f64 = 56.0;
    const TOP: f64 = 14.0;
    const PLOT_H: f64 = 230.0;
    let plot_w = 460.0;
    let w = LEFT + plot_w + 22.0 + label_w + 8.0;
    let h = TOP + PLOT_H + 52.0;
    let (lo, hi) = (is.min.min(is.max), is.max.max(is.min));
    let x = |k: usize| LEFT + k as f64 / rounds as f64 * plot_w;
    let y = |v: f64| TOP + PLOT_H - (v - lo) / (hi - lo).max(f64::EPSILON) * PLOT_H;
    let d = |pts: &[(usize, f64)]| {
        let mut s = String::new();
        for (i, (k, v)) in pts.iter().enumerate() {
            s.push_str(if i == 0 { "M" } else { " L" });
            s.push_str(&format!("{:.1},{:.1}", x(*k), y(*v)));
        }
        s
    };
    let median: Vec<(usize, f64)> = m
        .rounds
        .iter()
        .enumerate()
        .filter(|(_, r)| r.median.is_finite())
        .map(|(k, r)| (k, r.median))
        .collect();
    // Direct labels at the line ends, spread apart.
    let mut ends: Vec<(String, f64, f64, &str)> = coloured
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let last = paths.get(a)?.last()?;
            Some((
                a.to_string(),
                y(last.1),
                x(last.0),
                PALETTE[i % PALETTE.len()],
            ))
        })
        .collect();
    if let Some(last) = median.last() {
        ends.push(("median".into(), y(last.1), x(last.0), "#000000"));
    }
    let wish: Vec<f64> = ends.iter().map(|e| e.1).collect();
    let at = spread(&wish, 14.0, TOP + 4.0, TOP + PLOT_H + 4.0);
    let tick_x: Vec<usize> = ticks(0.0, rounds as f64, 6)
        .into_iter()
        .map(|t| t.round() as usize)
        .collect();
    html! {
        svg.chart.trajectory viewBox={ "0 0 " (w.ceil()) " " (h) } width=(w.ceil()) height=(h) role="img"
            aria-label={ (m.model) " round by round on " (is.name) } {
            @for t in ticks(lo, hi, 5) {
                line x1=(LEFT) x2=(LEFT + plot_w) y1=(y(t)) y2=(y(t)) stroke="#eee" {}
                text x=(LEFT - 6.0) y=(y(t) + 4.0) text-anchor="end" font-size="12" { (num(t, 2)) }
            }
            @for k in &tick_x {
                text x=(x(*k)) y=(TOP + PLOT_H + 16.0) text-anchor="middle" font-size="12" { (k) }
            }
            line x1=(LEFT) x2=(LEFT + plot_w) y1=(TOP + PLOT_H) y2=(TOP + PLOT_H) stroke="#000" {}
            line x1=(LEFT) x2=(LEFT) y1=(TOP) y2=(TOP + PLOT_H) stroke="#000" {}
            text x=(LEFT + plot_w / 2.0) y=(h - 8.0) text-anchor="middle" font-size="12" {
                "round (0 = the stances as recorded)"
            }
            text transform={ "translate(14," (TOP + PLOT_H / 2.0) ") rotate(-90)" } text-anchor="middle" font-size="12" {
                "position (" (num(lo, 2)) "–" (num(hi, 2)) " scale points)"
            }
            @for (a, p) in &paths {
                @if !coloured.contains(a) {
                    g.series.grey data-name=(a) {
                        path d=(d(p)) fill="none" stroke=(GREY) stroke-width="1" { title { (a) } }
                    }
                }
            }
            @for (i, a) in coloured.iter().enumerate() {
                g.series.coloured data-name=(a) data-colour=(PALETTE[i % PALETTE.len()]) {
                    path d=(d(&paths[a])) fill="none" stroke=(PALETTE[i % PALETTE.len()]) stroke-width="2.2" { title { (a) } }
                }
            }
            @if !median.is_empty() {
                g.series.median data-name="median" {
                    path d=(d(&median)) fill="none" stroke="#000" stroke-width="2.5" stroke-dasharray="6 3" {}
                }
            }
            @for ((name, wy, wx, col), ly) in ends.iter().zip(&at) {
                g.label {
                    @if (ly - wy).abs() > 2.0 {
                        line x1=(wx + 2.0) y1=(wy) x2=(LEFT + plot_w + 18.0) y2=(ly - 4.0) stroke=(col) stroke-width="0.8" {}
                    }
                    text x=(LEFT + plot_w + 22.0) y=(ly) font-size="12" fill=(col) font-weight="600" { (name) }
                }
            }
            @if grey > 0 {
                text x=(LEFT + 4.0) y=(TOP + 10.0) font-size="11" fill="#666" {
                    (grey) " other actors in grey (they move less)"
                }
            }
        }
    }
}

// ---------- timeline ----------

/// A date as a fractional year (`None` when it does not parse).
fn year_frac(d: &str) -> Option<f64> {
    let (y, m, day) = date_key(d);
    (y != i32::MIN)
        .then(|| y as f64 + (m.max(1) - 1) as f64 / 12.0 + (day.max(1) - 1) as f64 / 366.0)
}

/// The x position of a fractional year on a time axis that gives the years
/// before [`BREAK_YEAR`] only [`EARLY_SHARE`] of the width (when the record
/// starts earlier and reaches past it).
pub struct TimeAxis {
    pub first: f64,
    pub last: f64,
    pub broken: bool,
    pub x0: f64,
    pub width: f64,
}

impl TimeAxis {
    pub fn new(first: f64, last: f64, x0: f64, width: f64) -> TimeAxis {
        let broken = first < BREAK_YEAR as f64 && last > BREAK_YEAR as f64 + 5.0;
        TimeAxis {
            first,
            last: last.max(first + 1.0),
            broken,
            x0,
            width,
        }
    }
    /// Gap (pixels) between the two parts of a broken axis.
    const GAP: f64 = 14.0;
    pub fn x(&self, t: f64) -> f64 {
        let b = BREAK_YEAR as f64;
        if !self.broken {
            return self.x0 + (t - self.first) / (self.last - self.first) * self.width;
        }
        let early = self.width * EARLY_SHARE;
        if t < b {
            self.x0 + (t - self.first) / (b - self.first).max(1.0) * (early - Self::GAP)
        } else {
            self.x0 + early + (t - b) / (self.last - b) * (self.width - early)
        }
    }
    /// Year ticks: the first year and mid-century before the break, every
    /// five years after it.
    pub fn ticks(&self) -> Vec<i32> {
        let (f, l) = (self.first.floor() as i32, self.last.ceil() as i32);
        let mut out = Vec::new();
        if self.broken {
            out.push(f);
            let mid = (f + BREAK_YEAR) / 2 / 10 * 10;
            if mid - f >= 25 && BREAK_YEAR - mid >= 25 {
                out.push(mid);
            }
            out.extend((BREAK_YEAR..=l).filter(|y| y % 5 == 0));
        } else {
            let step = if l - f > 40 {
                10
            } else if l - f > 12 {
                5
            } else {
                1
            };
            out.extend((f..=l).filter(|y| y % step == 0));
        }
        out
    }
}

/// Dated events as dots on a lane per kind (the [`MAX_COLOURED`] most
/// frequent kinds in colour, the others and the kind `other` together in one
/// grey lane), over a
/// time axis broken before [`BREAK_YEAR`], `as_of` marked. Titles are on
/// hover; the table below the chart lists them in full.
pub fn timeline(events: &[Event], as_of: Option<&str>) -> Option<Markup> {
    let dated: Vec<(f64, &Event)> = events
        .iter()
        .filter_map(|e| Some((year_frac(&e.date)?, e)))
        .collect();
    let first = dated.iter().map(|d| d.0).reduce(f64::min)?;
    let last = dated.iter().map(|d| d.0).reduce(f64::max)?;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, e) in &dated {
        *counts.entry(e.kind.as_str()).or_default() += 1;
    }
    let mut kinds: Vec<(&str, usize)> = counts.into_iter().collect();
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    // The kind `other` always goes to the grey lane.
    let named: Vec<(&str, usize)> = kinds.iter().copied().filter(|k| k.0 != "other").collect();
    let shown: Vec<(&str, usize)> = if named.len() > MAX_COLOURED {
        named[..MAX_COLOURED].to_vec()
    } else {
        named
    };
    let other_n: usize = kinds
        .iter()
        .filter(|k| !shown.contains(k))
        .map(|k| k.1)
        .sum();
    let other = other_n > 0;
    let lane_of = |k: &str| shown.iter().position(|s| s.0 == k).unwrap_or(shown.len());
    let lanes = shown.len() + usize::from(other);
    let lane_label = |i: usize| {
        if i < shown.len() {
            format!("{} ({})", shown[i].0, shown[i].1)
        } else {
            format!("other kinds ({other_n})")
        }
    };
    let left = (0..lanes)
        .map(|i| text_width(&lane_label(i), 12.0))
        .fold(0.0, f64::max)
        + 16.0;
    const W: f64 = 820.0;
    const LANE: f64 = 26.0;
    const TOP: f64 = 24.0;
    let plot_w = W - left - 24.0;
    let ax = TimeAxis::new(first.floor(), last.floor() + 1.0, left, plot_w);
    let plot_h = LANE * lanes as f64;
    let h = TOP + plot_h + 48.0;
    let ly = |i: usize| TOP + LANE * i as f64 + LANE / 2.0;
    let colour = |i: usize| {
        if i < shown.len() {
            PALETTE[i % PALETTE.len()]
        } else {
            GREY
        }
    };
    let as_of_x = as_of.and_then(year_frac).map(|t| ax.x(t));
    Some(html! {
        svg.chart.timeline viewBox={ "0 0 " (W) " " (h) } width=(W) height=(h) role="img"
            aria-label="Dated events by kind over time" {
            @for t in ax.ticks() {
                line x1=(ax.x(t as f64)) x2=(ax.x(t as f64)) y1=(TOP) y2=(TOP + plot_h) stroke="#eee" {}
                text x=(ax.x(t as f64)) y=(TOP + plot_h + 16.0) text-anchor="middle" font-size="11" { (t) }
            }
            @for i in 0..lanes {
                text x=(left - 8.0) y=(ly(i) + 4.0) text-anchor="end" font-size="12" fill=(if i < shown.len() { "#222" } else { "#666" }) { (lane_label(i)) }
                line x1=(left) x2=(left + plot_w) y1=(ly(i)) y2=(ly(i)) stroke="#f0f0f0" {}
            }
            line x1=(left) x2=(left + plot_w) y1=(TOP + plot_h) y2=(TOP + plot_h) stroke="#000" {}
            @if ax.broken {
                @let bx = ax.x(BREAK_YEAR as f64) - TimeAxis::GAP / 2.0;
                rect.axis-break x=(bx - 4.0) y=(TOP + plot_h - 6.0) width="8" height="12" fill="#fff" {}
                text x=(bx) y=(TOP + plot_h + 4.0) text-anchor="middle" font-size="12" { "//" }
            }
            @for (t, e) in &dated {
                @let i = lane_of(e.kind.as_str());
                circle cx=(ax.x(*t)) cy=(ly(i)) r="4.5" fill=(colour(i)) fill-opacity="0.8" stroke="#fff" stroke-width="0.6" {
                    title { (e.date) " — " (e.kind.as_str()) ": " (e.title) }
                }
            }
            @if let Some(xa) = as_of_x {
                line x1=(xa) x2=(xa) y1=(TOP - 6.0) y2=(TOP + plot_h) stroke="#000" stroke-dasharray="4 3" {}
                @let label = format!("as of {}", as_of.unwrap_or(""));
                @let right = xa + 4.0 + text_width(&label, 11.0) > W;
                text x=(if right { xa - 4.0 } else { xa + 4.0 }) y=(TOP - 8.0) font-size="11" text-anchor=(if right { "end" } else { "start" }) { (label) }
            }
            text x=(left + plot_w / 2.0) y=(h - 8.0) text-anchor="middle" font-size="12" {
                @if ax.broken { "year (before " (BREAK_YEAR) " compressed, after the //)" } @else { "year" }
            }
        }
    })
}

// ---------- status-quo moves ----------

/// The moves from the status quo as a layered graph: a column per number of
/// moves from the start, the decision maker's id on each arrow, stable
/// states (under at least one concept) in green, the recorded end state
/// ringed. Returns the chart and the states it draws, in column order.
pub fn moves_graph(c: &ConflictResult) -> Option<(Markup, Vec<usize>)> {
    let sq = c.status_quo.as_ref()?;
    if sq.edges.is_empty() {
        return None;
    }
    let mut depth: BTreeMap<usize, usize> = BTreeMap::new();
    depth.insert(sq.start, 0);
    let mut queue = VecDeque::from([sq.start]);
    while let Some(s) = queue.pop_front() {
        let d = depth[&s];
        for e in sq.edges.iter().filter(|e| e.from == s) {
            if let std::collections::btree_map::Entry::Vacant(v) = depth.entry(e.to) {
                v.insert(d + 1);
                queue.push_back(e.to);
            }
        }
    }
    // States only reached from states the start does not reach: last column.
    let max_d = depth.values().copied().max().unwrap_or(0);
    for e in &sq.edges {
        for s in [e.from, e.to] {
            depth.entry(s).or_insert(max_d + 1);
        }
    }
    let cols = depth.values().copied().max().unwrap_or(0) + 1;
    let mut columns: Vec<Vec<usize>> = vec![Vec::new(); cols];
    for (s, d) in &depth {
        columns[*d].push(*s);
    }
    let stable: BTreeSet<usize> = c.equilibria.values().flat_map(|s| s.iter()).collect();
    let historical = c.historical.as_ref().map(|h| h.state);
    let rows = columns.iter().map(Vec::len).max().unwrap_or(1);
    const COL: f64 = 170.0;
    const ROW: f64 = 64.0;
    const R: f64 = 17.0;
    let w = 60.0 + COL * (cols as f64 - 1.0) + 60.0;
    let h = 40.0 + ROW * rows as f64 + 30.0;
    let mut pos: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
    for (k, col) in columns.iter().enumerate() {
        let off = (rows - col.len()) as f64 * ROW / 2.0;
        for (i, s) in col.iter().enumerate() {
            pos.insert(
                *s,
                (
                    60.0 + COL * k as f64,
                    40.0 + off + ROW * i as f64 + ROW / 2.0,
                ),
            );
        }
    }
    let order: Vec<usize> = columns.iter().flatten().copied().collect();
    // One arrow per pair of states, naming every decision maker who can make the move.
    let mut arrows: BTreeMap<(usize, usize), Vec<&str>> = BTreeMap::new();
    for e in &sq.edges {
        let v = arrows.entry((e.from, e.to)).or_default();
        if !v.contains(&e.dm.as_str()) {
            v.push(&e.dm);
        }
    }
    let markup = html! {
        svg.chart.moves viewBox={ "0 0 " (w) " " (h) } width=(w) height=(h) role="img"
            style={ "min-width:" (num((w * 0.8).round(), 0)) "px" }
            aria-label="Moves from the status quo" {
            defs {
                marker #arrow viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse" {
                    path d="M0,0 L10,5 L0,10 z" fill="#555" {}
                }
            }
            @for k in 0..cols {
                text x=(60.0 + COL * k as f64) y="18" text-anchor="middle" font-size="12" fill="#555" {
                    @if k == 0 { "status quo" } @else if k <= max_d { (k) @if k == 1 { " move" } @else { " moves" } } @else { "other" }
                }
            }
            @for ((from, to), dms) in &arrows {
                @if let (Some(&(x1, y1)), Some(&(x2, y2))) = (pos.get(from), pos.get(to)) {
                    @let len = ((x2 - x1).powi(2) + (y2 - y1).powi(2)).sqrt().max(1.0);
                    @let (ux, uy) = ((x2 - x1) / len, (y2 - y1) / len);
                    g.edge data-dm=(dms.join(" / ")) {
                        line x1=(x1 + ux * R) y1=(y1 + uy * R) x2=(x2 - ux * (R + 2.0)) y2=(y2 - uy * (R + 2.0))
                            stroke="#777" stroke-width="1.3" marker-end="url(#arrow)" {}
                        // At 40 % of the way, so that crossing arrows keep apart labels.
                        text x=(x1 + (x2 - x1) * 0.4) y=(y1 + (y2 - y1) * 0.4 - 5.0) text-anchor="middle" font-size="12" font-weight="600"
                            stroke="#fff" stroke-width="4" paint-order="stroke" { (dms.join(" / ")) }
                    }
                }
            }
            @for (s, (x, y)) in &pos {
                g.node data-state=(s) {
                    circle cx=(x) cy=(y) r=(R) fill=(if stable.contains(s) { "#D5F0E6" } else { "#fff" })
                        stroke=(if historical == Some(*s) { "#000" } else { "#555" })
                        stroke-width=(if historical == Some(*s) { "3" } else { "1.2" }) {
                        title { "state " (s) ": " (state_in_words(c, *s)) }
                    }
                    text x=(x) y=(y + 4.0) text-anchor="middle" font-size="12" { (s) }
                }
            }
            text x="8" y=(h - 8.0) font-size="11" fill="#555" {
                "green: stable under at least one concept; thick ring: the recorded end state; arrow label: the decision maker who moves"
            }
        }
    };
    Some((markup, order))
}

// ---------- negotiation trace ----------

/// A protocol run's offers in the two parties' utility space: each party's
/// offers joined in the order made (its concession path), the first and
/// last labelled, the agreement marked.
pub fn trace(run: &NegotiateResult) -> Option<Markup> {
    let t = run.trace.as_ref()?;
    let [a, b] = run.parties.as_slice() else {
        return None;
    };
    let offers = |p: &str| -> Vec<(u32, f64, f64)> {
        t.iter()
            .filter(|e| e.party == p && e.action == "offer")
            .filter_map(|e| {
                let u = e.utilities.as_ref()?;
                Some((e.step, *u.get(a)?, *u.get(b)?))
            })
            .collect()
    };
    let series = [(a, offers(a), PALETTE[0]), (b, offers(b), PALETTE[1])];
    if series.iter().all(|s| s.1.is_empty()) {
        return None;
    }
    const S: f64 = 440.0;
    const M: f64 = 56.0;
    let x = |u: f64| M + u * (S - M - 20.0);
    let y = |u: f64| S - M - u * (S - M - 20.0);
    let agreed = run
        .agreement
        .as_ref()
        .and_then(|_| Some((*run.utilities.get(a)?, *run.utilities.get(b)?)));
    Some(html! {
        svg.chart.trace viewBox={ "0 0 " (S) " " (S) } width=(S) height=(S) role="img"
            aria-label={ "Offers of " (a) " and " (b) } {
            @for t in ticks(0.0, 1.0, 5) {
                line x1=(x(t)) x2=(x(t)) y1=(y(0.0)) y2=(y(1.0)) stroke="#eee" {}
                line x1=(x(0.0)) x2=(x(1.0)) y1=(y(t)) y2=(y(t)) stroke="#eee" {}
                text x=(x(t)) y=(y(0.0) + 16.0) text-anchor="middle" font-size="12" { (num(t, 2)) }
                text x=(x(0.0) - 6.0) y=(y(t) + 4.0) text-anchor="end" font-size="12" { (num(t, 2)) }
            }
            line x1=(x(0.0)) x2=(x(1.0)) y1=(y(0.0)) y2=(y(0.0)) stroke="#000" {}
            line x1=(x(0.0)) x2=(x(0.0)) y1=(y(0.0)) y2=(y(1.0)) stroke="#000" {}
            text x=((x(0.0) + x(1.0)) / 2.0) y=(S - 14.0) text-anchor="middle" font-size="12" { (a) " utility of the offer (0–1)" }
            text transform={ "translate(14," ((y(0.0) + y(1.0)) / 2.0) ") rotate(-90)" } text-anchor="middle" font-size="12" { (b) " utility of the offer (0–1)" }
            @for (p, pts, col) in &series {
                g.series data-name={ (p) " offers" } data-offers=(pts.len()) {
                    @if pts.len() > 1 {
                        path fill="none" stroke=(col) stroke-width="1.2" stroke-opacity="0.6"
                            d=(pts.iter().enumerate().map(|(i, (_, u, v))| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { " L" }, x(*u), y(*v))).collect::<String>()) {}
                    }
                    @for (step, u, v) in pts {
                        circle cx=(x(*u)) cy=(y(*v)) r="2.6" fill=(col) {
                            title { (p) " offer at step " (step) ": " (a) " " (num(*u, 3)) ", " (b) " " (num(*v, 3)) }
                        }
                    }
                    @if let (Some((step, u, v)), true) = (pts.last(), pts.len() > 1) {
                        @let label = format!("{p}'s last offer (step {step})");
                        @let left = *u > 0.5;
                        @let lx = if left { (x(*u) - 8.0).max(M + 4.0 + text_width(&label, 11.0)) } else { (x(*u) + 8.0).min(S - 4.0 - text_width(&label, 11.0)) };
                        text x=(lx) y=(y(*v) + 4.0) font-size="11" fill=(col) text-anchor=(if left { "end" } else { "start" }) { (label) }
                    }
                    @if let Some((_, u, v)) = pts.first() {
                        @let label = format!("{p}'s first offer");
                        @let lx = (x(*u) + 8.0).min(S - 4.0 - text_width(&label, 11.0));
                        text x=(lx) y=((y(*v) + if *v > 0.9 { 16.0 } else { -8.0 }).max(12.0)) font-size="11" fill=(col) font-weight="600" stroke="#fff" stroke-width="3" paint-order="stroke" { (label) }
                    }
                }
            }
            @if let Some((u, v)) = agreed {
                path d={ "M" (x(u)) "," (y(v) - 8.0) " l8,8 l-8,8 l-8,-8 z" } fill="#000" {}
                @let label = format!("agreement at step {}", run.step);
                @let lx = (x(u) + 10.0).min(S - 4.0 - text_width(&label, 11.0));
                text x=(lx) y=(y(v) + 22.0) font-size="11" font-weight="600" { (label) }
            }
        }
    })
}
