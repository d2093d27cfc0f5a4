//! The report page's charts, drawn for reading (issue 15), on Kosovo with
//! the alternating-offers runs traced as `negotium report` traces them:
//! each redesigned property checked on the real output, and the workbench
//! entry point (`html::lens_section`) drawing stored runs from their typed
//! results.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use negotium_analysis::analyze::{self, AnalyzeParams, AnalyzeResult, STRATEGIES};
use negotium_analysis::bargaining::ProtocolName;
use negotium_analysis::negotiate::{self, NegotiateParams};
use negotium_report::html::{actors_section, history_body, lens_section};
use negotium_report::report_html::{body, render, visible_text};
use negotium_report::svg::read::{self, text_width, TimeAxis, BREAK_YEAR, EARLY_SHARE, GREY};

/// Kosovo's analyze result with its SAO runs traced, and the page.
fn kosovo() -> &'static (AnalyzeResult, String) {
    static K: OnceLock<(AnalyzeResult, String)> = OnceLock::new();
    K.get_or_init(|| {
        let l = negotium_scenario::resolve("kosovo-status").unwrap();
        let mut r = analyze::run(&l, &AnalyzeParams::default()).unwrap();
        for s in STRATEGIES {
            let p = NegotiateParams {
                protocol: Some(ProtocolName::Sao),
                strategies: vec![s.to_string()],
                trace: true,
                ..Default::default()
            };
            let t = negotiate::run(&l, &p).unwrap();
            for run in &mut r.negotiate.as_mut().unwrap().runs {
                if run.protocol == t.protocol && run.strategies == t.strategies {
                    run.trace = t.trace.clone();
                }
            }
        }
        let page = render(&r, "negotium test");
        (r, page)
    })
}

/// Every `<svg class="chart KIND">…</svg>` of a page: (kind, body).
fn charts(html: &str) -> Vec<(String, String)> {
    html.split("<svg class=\"chart ")
        .skip(1)
        .map(|p| {
            let kind = p[..p.find('"').unwrap()].to_string();
            (kind, p[..p.find("</svg>").unwrap()].to_string())
        })
        .collect()
}

fn attr(tag: &str, a: &str) -> Option<String> {
    let k = tag.find(&format!(" {a}=\""))?;
    let v = &tag[k + a.len() + 3..];
    Some(v[..v.find('"')?].to_string())
}

fn num_attr(tag: &str, a: &str) -> Option<f64> {
    attr(tag, a)?.parse().ok()
}

/// Every text of a chart whose horizontal extent is known (rotated texts
/// excepted): (x from, x to, baseline y, font size, content).
fn texts(svg: &str) -> Vec<(f64, f64, f64, f64, String)> {
    let mut out = Vec::new();
    for part in svg.split("<text").skip(1) {
        let tag = &part[..part.find('>').unwrap()];
        if tag.contains("transform=") {
            continue;
        }
        let content =
            visible_text(&part[part.find('>').unwrap() + 1..part.find("</text>").unwrap()]);
        let content = content.trim().to_string();
        let (x, y) = (num_attr(tag, "x").unwrap(), num_attr(tag, "y").unwrap());
        let size = num_attr(tag, "font-size").unwrap_or(12.0);
        let w = text_width(&content, size);
        let (from, to) = match attr(tag, "text-anchor").as_deref() {
            Some("end") => (x - w, x),
            Some("middle") => (x - w / 2.0, x + w / 2.0),
            _ => (x, x + w),
        };
        out.push((from, to, y, size, content));
    }
    out
}

fn view_box(svg: &str) -> (f64, f64) {
    let v = attr(&format!(" {}", &svg[..svg.find('>').unwrap()]), "viewBox").unwrap();
    let n: Vec<f64> = v.split(' ').map(|x| x.parse().unwrap()).collect();
    (n[2], n[3])
}

#[test]
fn no_text_is_drawn_beyond_a_charts_view_box() {
    let (_, page) = kosovo();
    let all = charts(page);
    assert!(all.len() > 20, "{} charts", all.len());
    for (kind, svg) in &all {
        let (w, h) = view_box(svg);
        for (from, to, y, size, t) in texts(svg) {
            assert!(
                from >= -0.5 && to <= w + 0.5,
                "{kind}: {t:?} spans {from:.0}–{to:.0} of 0–{w}"
            );
            assert!(
                y - size * 0.8 >= -0.5 && y <= h + 0.5,
                "{kind}: {t:?} at y {y} of {h}"
            );
        }
    }
}

#[test]
fn trajectories_colour_at_most_seven_actors_plus_the_median_and_label_them_at_the_end() {
    let (r, page) = kosovo();
    let dynamic = r
        .forecast
        .as_ref()
        .unwrap()
        .issues
        .iter()
        .flat_map(|i| &i.models)
        .filter(|m| m.rounds.len() > 1)
        .count();
    let traj: Vec<(String, String)> = charts(page)
        .into_iter()
        .filter(|c| c.0 == "trajectory")
        .collect();
    assert_eq!(traj.len(), dynamic, "a chart per dynamic model and issue");
    let mut any_grey = false;
    for (_, svg) in &traj {
        let coloured = svg.matches("class=\"series coloured\"").count();
        let grey = svg.matches("class=\"series grey\"").count();
        assert!(coloured <= read::MAX_COLOURED, "{coloured} coloured");
        any_grey |= grey > 0;
        // Colours are distinct and none is the grey.
        let colours: BTreeSet<String> = svg
            .split("class=\"series coloured\"")
            .skip(1)
            .map(|p| attr(&p[..p.find('>').unwrap()], "data-colour").unwrap())
            .collect();
        assert_eq!(colours.len(), coloured);
        assert!(!colours.contains(GREY));
        // One direct label per coloured series and the median; no legend.
        assert_eq!(svg.matches("<g class=\"label\"").count(), coloured + 1);
        assert!(!svg.contains("legend"));
    }
    assert!(any_grey, "Kosovo has more actors than colours");
}

#[test]
fn the_timeline_compresses_the_years_before_1990_and_greys_the_rare_kinds() {
    let (r, page) = kosovo();
    let events = &r.history.as_ref().unwrap().events;
    let first = events
        .iter()
        .map(|e| e.date[..4].parse::<f64>().unwrap())
        .fold(f64::MAX, f64::min);
    assert!(first < 1990.0, "Kosovo's record starts in {first}");
    let ax = TimeAxis::new(first, 2013.0, 100.0, 600.0);
    assert!(ax.broken);
    assert!(ax.x(BREAK_YEAR as f64) - ax.x(first) <= 600.0 * EARLY_SHARE);
    // The years after 1990 get the rest of the width, evenly.
    let per_year = (ax.x(2010.0) - ax.x(2000.0)) / 10.0;
    assert!(per_year > (600.0 * (1.0 - EARLY_SHARE) / (2013.0 - 1990.0)) * 0.99);
    let tl: Vec<(String, String)> = charts(page)
        .into_iter()
        .filter(|c| c.0 == "timeline" && c.1.contains("by kind"))
        .collect();
    assert_eq!(tl.len(), 1);
    let svg = &tl[0].1;
    assert!(svg.contains("axis-break"));
    let fills: BTreeSet<String> = svg
        .split("<circle")
        .skip(1)
        .filter_map(|p| attr(&p[..p.find('>').unwrap()], "fill"))
        .collect();
    assert!(fills.len() <= read::MAX_COLOURED + 1, "{fills:?}");
    let kinds: BTreeSet<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    if kinds.iter().filter(|k| **k != "other").count() > read::MAX_COLOURED
        || kinds.contains("other")
    {
        assert!(fills.contains(GREY));
        assert!(svg.contains("other kinds ("));
    }
    // Every event is drawn, and every title is in the table.
    assert_eq!(svg.matches("<circle").count(), events.len());
    for e in events {
        assert!(visible_text(page).contains(&e.title), "{}", e.title);
    }
}

#[test]
fn the_option_form_lists_concepts_in_gmcr_order_and_names_options() {
    let (r, page) = kosovo();
    let c = r.conflict.as_ref().unwrap();
    let form = &page[page.find("<table class=\"option-form\"").unwrap()..];
    let form = visible_text(&form[..form.find("</table>").unwrap()]);
    for o in &c.options {
        assert!(form.contains(&o.name), "{}", o.name);
    }
    let labels: Vec<usize> = ["Nash", "GMR", "SMR", "SEQ", "SIM"]
        .iter()
        .filter_map(|l| form.find(&format!(" {l}")).or_else(|| form.find(l)))
        .collect();
    assert!(labels.len() >= 4);
    assert!(
        labels.windows(2).all(|w| w[0] < w[1]),
        "concept order: {labels:?}"
    );
}

#[test]
fn the_status_quo_graph_labels_every_move_readably() {
    let (r, page) = kosovo();
    let sq = r.conflict.as_ref().unwrap().status_quo.as_ref().unwrap();
    let (_, svg) = charts(page).into_iter().find(|c| c.0 == "moves").unwrap();
    let pairs: BTreeSet<(usize, usize)> = sq.edges.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(svg.matches("<g class=\"edge\"").count(), pairs.len());
    for (_, _, _, size, _) in texts(&svg) {
        assert!(size >= 11.0);
    }
    for e in &sq.edges {
        let tag = svg
            .split("<g class=\"edge\"")
            .skip(1)
            .map(|p| &p[..p.find('>').unwrap()])
            .collect::<Vec<_>>()
            .join(" ");
        assert!(tag.contains(&e.dm), "{} not on an arrow", e.dm);
    }
}

#[test]
fn the_trace_shows_the_kosovo_sao_offers() {
    let (r, page) = kosovo();
    let traces: Vec<(String, String)> = charts(page)
        .into_iter()
        .filter(|c| c.0 == "trace")
        .collect();
    let sao = r
        .negotiate
        .as_ref()
        .unwrap()
        .runs
        .iter()
        .filter(|x| x.trace.is_some())
        .count();
    assert_eq!(sao, STRATEGIES.len());
    assert_eq!(traces.len(), sao);
    for (_, svg) in &traces {
        let offers: Vec<usize> = svg
            .split("data-offers=\"")
            .skip(1)
            .map(|p| p[..p.find('"').unwrap()].parse().unwrap())
            .collect();
        assert_eq!(offers.len(), 2, "one series per party");
        assert!(offers.iter().all(|n| *n > 0), "{offers:?}");
        assert_eq!(svg.matches("<circle").count(), offers.iter().sum::<usize>());
    }
}

#[test]
fn label_spreading_keeps_the_gap_and_the_bounds() {
    let at = read::spread(&[50.0, 50.0, 51.0, 200.0, 10.0], 14.0, 0.0, 100.0);
    let mut sorted = at.clone();
    sorted.sort_by(f64::total_cmp);
    assert!(
        sorted.windows(2).all(|w| w[1] - w[0] >= 14.0 - 1e-9),
        "{at:?}"
    );
    assert!(at.iter().all(|y| (0.0..=100.0).contains(y)), "{at:?}");
}

#[test]
fn chart_structure_snapshot() {
    let (_, page) = kosovo();
    let mut out = String::new();
    for (kind, svg) in charts(page) {
        let (w, h) = view_box(&svg);
        let series: Vec<String> = svg
            .split("<g class=\"series")
            .skip(1)
            .map(|p| {
                let tag = &p[..p.find('>').unwrap()];
                format!(
                    "{}{}",
                    attr(tag, "data-name").unwrap_or_default(),
                    if tag.starts_with(" grey") {
                        "(grey)"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        out.push_str(&format!(
            "{kind} {w}x{h}: {} texts; series [{}]\n",
            svg.matches("<text").count(),
            series.join(", ")
        ));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn the_workbench_draws_stored_runs_from_their_typed_results() {
    let (r, _) = kosovo();
    let l = negotium_scenario::resolve("kosovo-status").unwrap();
    let sc = Some(&l.scenario);
    let cases: Vec<(&str, serde_json::Value, &str)> = vec![
        (
            "forecast",
            v(r.forecast.as_ref().unwrap()),
            "chart trajectory",
        ),
        ("conflict", v(r.conflict.as_ref().unwrap()), "chart moves"),
        ("power", v(r.power.as_ref().unwrap()), "chart power-bars"),
        (
            "negotiate",
            v(&r.negotiate.as_ref().unwrap().runs[0]),
            "chart trace",
        ),
        ("pareto", v(r.pareto.as_ref().unwrap()), "chart pareto"),
        ("history", v(r.history.as_ref().unwrap()), "chart timeline"),
        ("analyze", v(r), "id=\"verdict\""),
    ];
    for (lens, json, mark) in cases {
        let s = lens_section(lens, &json, sc);
        assert!(s.contains(mark), "{lens}: no {mark}");
        assert!(!s.contains("not in a shape the report reads"), "{lens}");
    }
    // A result that does not read is shown as JSON, not dropped.
    let s = lens_section("conflict", &serde_json::json!({"dms": "<b>"}), sc);
    assert!(s.contains("not in a shape") && s.contains("&lt;b&gt;"));
    // The scenario page's pieces.
    assert!(actors_section(&l.scenario).contains("<table class=\"actors\""));
    let ev = serde_json::to_value(&l.scenario.events).unwrap();
    assert!(history_body(&ev).contains("chart timeline"));
    // The analyze lens shows the whole page body.
    assert!(lens_section("analyze", &v(r), sc).contains(&body(r).into_string()[..200]));
}

fn v<T: serde::Serialize>(x: &T) -> serde_json::Value {
    serde_json::to_value(x).unwrap()
}
