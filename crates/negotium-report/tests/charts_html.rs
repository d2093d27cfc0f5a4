//! The HTML sections of the replay, sweep, backtest and advise lenses
//! (shown by the analyze report and the workbench's run page): each chart
//! holds the series the result has, labelled directly, with no NaN; each
//! table one row per item of the result.

use negotium_analysis::advise::{self, AdviseParams};
use negotium_analysis::analyze::{self, AnalyzeParams};
use negotium_analysis::backtest::{self, BacktestParams};
use negotium_analysis::replay::{self, ReplayParams};
use negotium_analysis::sweep::{self, SweepParams};
use negotium_report::report_html::{render, visible_text};
use negotium_scenario::Loaded;

fn kosovo() -> Loaded {
    negotium_scenario::resolve("kosovo-status").unwrap()
}

/// The `<svg …>…</svg>` elements of a page whose class contains `class`.
fn svgs<'a>(html: &'a str, class: &str) -> Vec<&'a str> {
    html.split("<svg")
        .skip(1)
        .map(|s| &s[..s.find("</svg>").unwrap()])
        .filter(|s| s[..s.find('>').unwrap()].contains(class))
        .collect()
}

fn no_bad_numbers(html: &str) {
    for bad in ["NaN", "=\"inf", "=\"-inf", ">inf<", "Infinity"] {
        assert!(!html.contains(bad), "`{bad}` in the markup");
    }
}

fn rows(html: &str, table_class: &str) -> usize {
    let t = &html[html
        .find(&format!("<table class=\"{table_class}\""))
        .unwrap_or_else(|| panic!("no table {table_class}"))..];
    let body = &t[t.find("<tbody>").unwrap()..t.find("</tbody>").unwrap()];
    body.matches("<tr>").count()
}

#[test]
fn replay_section_draws_every_model_per_issue_with_direct_labels() {
    let p = ReplayParams {
        model: vec!["median".into(), "compromise".into()],
        ..ReplayParams::default()
    };
    let r = replay::run(&kosovo(), &p).unwrap();
    let html = negotium_report::replay::section(&r).into_string();
    no_bad_numbers(&html);
    let charts = svgs(&html, "replay-chart");
    assert_eq!(charts.len(), r.issues.len());
    for (c, is) in charts.iter().zip(&r.issues) {
        assert!(c.contains(&is.name), "{}", is.name);
        for m in &r.models {
            assert_eq!(c.matches(&format!("data-name=\"{m}\"")).count(), 1, "{m}");
            // The direct label names the model and its last forecast.
            let last = r
                .steps
                .iter()
                .rev()
                .find_map(|st| {
                    st.forecasts
                        .iter()
                        .find(|f| f.issue == is.issue)?
                        .models
                        .iter()
                        .find(|x| &x.model == m)
                })
                .unwrap();
            let label = format!(">{m} {}</text>", negotium_report::num(last.forecast, 2));
            assert!(c.contains(&label), "{label}");
        }
        // One dot per model and date.
        assert_eq!(c.matches("<circle").count(), r.models.len() * r.steps.len());
        if let Some(o) = is.outcome {
            assert!(c.contains(&format!("recorded outcome {}", negotium_report::num(o, 2))));
        }
        assert!(c.contains("as of 2007-03-26"));
        let events: usize = r.steps.iter().map(|s| s.events.len()).sum();
        let rug = &c[c.find("class=\"events\"").unwrap()..];
        assert_eq!(rug.matches("<line").count(), events);
    }
    let changes: usize = r.steps.iter().map(|s| s.changes.len()).sum();
    assert_eq!(rows(&html, "replay-changes"), changes.min(30));
}

#[test]
fn sweep_section_has_fans_label_bars_tornado_and_frequency_tables() {
    let p = SweepParams {
        draws: 20,
        model: vec!["median".into(), "compromise".into()],
        sensitivity: true,
        sobol_n: 4,
        bootstrap: 0,
        ..SweepParams::default()
    };
    let r = sweep::run(&kosovo(), &p).unwrap();
    let html = negotium_report::sweep::section(&r).into_string();
    no_bad_numbers(&html);
    let sp = r.spatial.as_ref().unwrap();
    let fans = svgs(&html, "fan-chart");
    assert_eq!(fans.len(), sp.issues.len());
    for (f, is) in fans.iter().zip(&sp.issues) {
        for m in &is.models {
            assert!(f.contains(&format!("data-model=\"{}\"", m.model)));
        }
    }
    let bars = svgs(&html, "label-bars");
    assert_eq!(bars.len(), sp.issues.len());
    for (b, is) in bars.iter().zip(&sp.issues) {
        // Every label some draw reaches is a group; each bar is labelled
        // with its model and share.
        let reached = is.models[0]
            .label_probabilities
            .iter()
            .enumerate()
            .filter(|(k, _)| {
                is.models
                    .iter()
                    .any(|m| m.label_probabilities[*k].probability > 0.0)
            })
            .count();
        assert_eq!(b.matches("<g class=\"label\"").count(), reached);
        assert_eq!(b.matches("<rect").count(), reached * is.models.len());
        for m in &is.models {
            let best = m
                .label_probabilities
                .iter()
                .map(|l| l.probability)
                .fold(0.0, f64::max);
            let label = format!(
                ">{} {}%</text>",
                m.model,
                negotium_report::num(100.0 * best, 1)
            );
            assert!(b.contains(&label), "{label}");
        }
    }
    // A tornado chart per issue and model whose largest swing reaches
    // 0.1 % of the scale; the others are named in one sentence per issue.
    let tor = r.tornado.as_ref().unwrap();
    let (mut charted, mut still) = (0, 0);
    for t in tor {
        let is = sp.issues.iter().find(|i| i.issue == t.issue).unwrap();
        for m in &t.models {
            if m.rows[0].swing >= 0.001 * (is.max - is.min) {
                charted += 1;
                assert!(html.contains(&format!("<strong>{}</strong>: forecast", m.model)));
            } else {
                still += 1;
            }
        }
    }
    assert!(charted > 0 && still > 0, "{charted} {still}");
    assert_eq!(svgs(&html, "tornado").len(), charted);
    assert_eq!(
        html.matches("by 0.1 % of the scale or more: no chart.")
            .count(),
        tor.iter()
            .filter(|t| {
                let is = sp.issues.iter().find(|i| i.issue == t.issue).unwrap();
                t.models
                    .iter()
                    .any(|m| m.rows[0].swing < 0.001 * (is.max - is.min))
            })
            .count()
    );
    if let Some(c) = &r.conflict {
        assert_eq!(rows(&html, "sweep-conflict"), c.states.len());
    }
    if let Some(v) = &r.vote {
        assert_eq!(rows(&html, "sweep-votes"), v.proposals.len());
    }
    if let Some(b) = &r.bargaining {
        assert_eq!(rows(&html, "sweep-bargaining"), b.agreement.len());
    }
    // Kosovo's proposals move with the drawn positions of the members:
    // one row per shown input of each outcome (one for a constant one).
    let o = r.outcome_sensitivity.as_ref().unwrap();
    assert!(!o.vote.is_empty());
    let want: usize = o
        .vote
        .iter()
        .map(|v| &v.sobol)
        .chain(o.conflict.iter().map(|c| &c.sobol))
        .chain(o.bargaining.iter().map(|a| &a.sobol))
        .map(|s| {
            if s.constant {
                1
            } else {
                s.indices.len().min(negotium_report::sweep::TOP_INPUTS)
            }
        })
        .sum();
    assert_eq!(rows(&html, "sweep-outcome-sobol"), want);
    for v in o.vote.iter().filter(|v| !v.sobol.constant) {
        for x in v
            .sobol
            .indices
            .iter()
            .take(negotium_report::sweep::TOP_INPUTS)
        {
            assert!(
                html.contains(&format!("<code>{}</code>", x.input)),
                "{}",
                x.input
            );
        }
    }
}

#[test]
fn backtest_section_has_the_table_and_mae_bars_with_baselines() {
    let p = BacktestParams {
        model: vec!["median".into(), "compromise".into(), "nash".into()],
        draws: 0,
        ..BacktestParams::default()
    };
    let r = backtest::run(&kosovo(), &p).unwrap();
    let html = negotium_report::backtest::section(&r).into_string();
    no_bad_numbers(&html);
    assert_eq!(rows(&html, "backtest"), r.models.len() + r.baselines.len());
    let chart = svgs(&html, "backtest-chart");
    assert_eq!(chart.len(), 1);
    let c = chart[0];
    assert_eq!(c.matches("<rect").count(), r.models.len());
    for m in &r.models {
        assert!(c.contains(&format!(">{}</text>", negotium_report::num(m.mae, 2))));
    }
    assert!(!r.baselines.is_empty());
    for b in &r.baselines {
        assert!(c.contains(&format!(
            ">{} (baseline) {}</text>",
            b.model,
            negotium_report::num(b.mae, 2)
        )));
    }
    assert!(visible_text(c).contains("0–100 scale"));
}

#[test]
fn advise_section_gives_the_sentences_and_one_row_per_model() {
    let mut p = AdviseParams::new("SRB");
    p.model = vec!["median".into(), "compromise".into()];
    p.issue = vec!["status".into()];
    let r = advise::run(&kosovo(), &p).unwrap();
    let html = negotium_report::advise::section(&r).into_string();
    no_bad_numbers(&html);
    let sentences: usize = r
        .issues
        .iter()
        .flat_map(|i| &i.models)
        .map(|m| m.advice.len())
        .sum();
    assert!(sentences > 0);
    assert_eq!(
        html.matches("<ul class=\"advice\">").count(),
        r.issues.len()
    );
    let list = &html[html.find("<ul class=\"advice\">").unwrap()..];
    assert_eq!(
        list[..list.find("</ul>").unwrap()].matches("<li>").count(),
        sentences
    );
    assert_eq!(rows(&html, "advise"), r.issues[0].models.len());
    // Belgrade is a decision maker of the conflict: its commitments and
    // coalitions, one row each after the row of the model as it stands.
    let c = r.conflict.as_ref().expect("SRB is a GMCR decision maker");
    assert!(html.contains("Conflict (GMCR, SEQ): Serbia"));
    assert_eq!(
        rows(&html, "advise-conflict"),
        1 + c.options.len() + c.coalitions.len()
    );
    assert_eq!(html.matches("<ul class=\"advice conflict\">").count(), 1);
    // each coalition's row names every partner (name and id)
    assert!(c.coalitions.iter().any(|k| k.members.len() > 1));
    for k in &c.coalitions {
        let cell: String = k
            .members
            .iter()
            .map(|m| format!("{} (<code>{}</code>)", m.name, m.id))
            .collect::<Vec<_>>()
            .join(", ");
        let last = cell.rfind(", ").map_or(cell.clone(), |i| {
            format!("{} and {}", &cell[..i], &cell[i + 2..])
        });
        assert!(
            html.contains(&format!("<td>coalition with {last}</td>")),
            "{last}"
        );
    }
}

#[test]
fn analyze_report_has_over_time_and_with_draws_an_uncertainty_section() {
    let l = kosovo();
    let plain = analyze::run(&l, &AnalyzeParams::default()).unwrap();
    assert!(plain.replay.is_some());
    assert!(plain.uncertainty.is_none());
    let page = render(&plain, "t");
    assert!(page.contains("<section id=\"over-time\">"));
    assert!(page.contains("href=\"#over-time\""));
    assert!(!page.contains("id=\"uncertainty\""));
    let p = AnalyzeParams {
        draws: 20,
        seed: 7,
        model: vec!["median".into(), "compromise".into()],
        ..AnalyzeParams::default()
    };
    let r = analyze::run(&l, &p).unwrap();
    let u = r.uncertainty.as_ref().unwrap();
    assert_eq!((u.draws, u.seed), (20, 7));
    let page = render(&r, "t");
    no_bad_numbers(&page);
    let sec = &page[page.find("<section id=\"uncertainty\">").unwrap()..];
    let sec = &sec[..sec.find("</section>").unwrap()];
    let text = visible_text(sec);
    assert!(text.contains("20 draws"), "{text}");
    assert!(text.contains("seed (7)"), "{text}");
    assert_eq!(svgs(sec, "fan-chart").len(), r.issues.len());
    // The replay ran the same models.
    assert_eq!(r.replay.as_ref().unwrap().models, ["median", "compromise"]);
}

#[test]
fn analyze_draws_are_capped_before_any_work() {
    let p = AnalyzeParams {
        draws: analyze::MAX_DRAWS + 1,
        ..AnalyzeParams::default()
    };
    let e = analyze::run(&kosovo(), &p).unwrap_err();
    assert!(
        matches!(e, negotium_analysis::AnalysisError::Limit { .. }),
        "{e:?}"
    );
}

#[test]
fn sweep_text_says_when_sobol_intervals_are_too_wide_to_rank_inputs() {
    let params = |n: usize| SweepParams {
        draws: 10,
        issue: vec!["status".into()],
        model: vec!["compromise".into()],
        sensitivity: true,
        sobol_n: n,
        bootstrap: 100,
        ..SweepParams::default()
    };
    // The widest total-index interval among the inputs a table shows.
    let widest_shown = |cis: &mut dyn Iterator<Item = [f64; 2]>| {
        cis.take(negotium_report::sweep::TOP_INPUTS)
            .map(|c| c[1] - c[0])
            .fold(0.0, f64::max)
    };
    // The note follows a table exactly when one of its total-index
    // intervals is wider than 0.3, and names the design size.
    for n in [4, 512] {
        let p = params(n);
        let r = sweep::run(&kosovo(), &p).unwrap();
        let text = negotium_report::sweep::render(&r, &p);
        let s = r.sensitivity.as_ref().unwrap();
        let m = &s.issues[0].models[0];
        let widest = widest_shown(&mut m.indices.iter().map(|x| x.total_ci));
        let note = format!("N = {n} rows do not settle the order of the inputs");
        assert_eq!(
            text.contains(&note),
            widest > 0.3,
            "N = {n}, widest {widest}:\n{text}"
        );
        if n == 4 {
            assert!(widest > 0.3, "4 rows give wide intervals ({widest})");
        } else {
            assert!(widest <= 0.3, "512 rows settle the compromise ({widest})");
        }
        // The outcomes' table (conflict, ballots, agreement), in the text
        // and in the HTML report: one note for the table as a whole.
        let o = r
            .outcome_sensitivity
            .as_ref()
            .expect("kosovo has drawn choices");
        let widths: Vec<f64> = o
            .conflict
            .iter()
            .map(|c| &c.sobol)
            .chain(o.vote.iter().map(|v| &v.sobol))
            .chain(o.bargaining.iter().map(|a| &a.sobol))
            .map(|s| widest_shown(&mut s.indices.iter().map(|x| x.total_ci)))
            .collect();
        let wide = widths.iter().filter(|&&w| w > 0.3).count();
        let html = negotium_report::sweep::outcome_table(o).into_string();
        assert_eq!(
            html.contains("sobol-precision"),
            wide > 0,
            "N = {n}: {wide} wide"
        );
        let outcome_note = format!("in {wide} of these outcomes: N = {n} rows");
        assert_eq!(
            text.contains(&outcome_note),
            wide > 0,
            "N = {n}: {wide} wide"
        );
        assert_eq!(
            html.contains(&outcome_note),
            wide > 0,
            "N = {n}: {wide} wide"
        );
        if wide > 0 {
            assert!(html.contains(&format!("sobol_n = {}", 4 * n)), "{html}");
            assert!(text.contains(&format!("--sobol-n {}", 4 * n)), "{text}");
        }
        if n == 4 {
            assert!(
                wide > 1,
                "4 rows leave several outcomes' intervals wide ({wide})"
            );
        }
    }
}
