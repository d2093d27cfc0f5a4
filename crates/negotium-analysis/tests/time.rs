//! Time and evidence: forecasts as of a date (the dated inputs in force,
//! checked against a weighted mean computed here from the file's stances),
//! the replay (each step equal to a forecast as of its date), the backtest
//! (baselines against a naive transcription of the DEU file), and golden
//! JSON snapshots of replay and backtest.

use std::path::PathBuf;

use negotium_analysis::backtest::{self, BacktestParams};
use negotium_analysis::forecast::{self, ForecastParams};
use negotium_analysis::replay::{self, ReplayParams};
use negotium_analysis::AnalysisError;
use negotium_scenario::Loaded;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn kosovo() -> Loaded {
    negotium_scenario::resolve("kosovo-status").unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// The capability × salience weighted mean of the `[[stance]]` entries of
/// `issue` in force on `date`, read straight from the TOML text: for each
/// actor, the stance with the latest `from` on or before `date` (undated =
/// the start), and the capability likewise from `[[actor]]` and
/// `[[capability]]`.
fn weighted_mean_from_file(issue: &str, date: &str) -> f64 {
    let text = std::fs::read_to_string(repo("scenarios/kosovo-status.toml")).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    let arr = |k: &str| {
        doc.get(k)
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default()
    };
    let from = |t: &toml::Value| {
        t.get("from")
            .and_then(|f| f.as_str())
            .unwrap_or("0000-00-00")
            .to_string()
    };
    let num = |t: &toml::Value, k: &str| {
        t.get(k)
            .and_then(|x| x.as_float().or_else(|| x.as_integer().map(|i| i as f64)))
            .unwrap()
    };
    let mut cap: std::collections::BTreeMap<String, (String, f64)> = Default::default();
    for a in arr("actor") {
        let id = a.get("id").unwrap().as_str().unwrap().to_string();
        cap.insert(id, ("0000-00-00".into(), num(&a, "capability")));
    }
    for c in arr("capability") {
        let f = from(&c);
        let id = c.get("actor").unwrap().as_str().unwrap().to_string();
        if f.as_str() <= date && cap.get(&id).is_none_or(|x| x.0 < f) {
            cap.insert(id, (f, num(&c, "capability")));
        }
    }
    let mut st: std::collections::BTreeMap<String, (String, f64, f64)> = Default::default();
    for s in arr("stance") {
        if s.get("issue").unwrap().as_str().unwrap() != issue {
            continue;
        }
        let f = from(&s);
        let id = s.get("actor").unwrap().as_str().unwrap().to_string();
        if f.as_str() <= date && st.get(&id).is_none_or(|x| x.0 < f) {
            st.insert(id, (f, num(&s, "position"), num(&s, "salience")));
        }
    }
    let (mut n, mut d) = (0.0, 0.0);
    for (id, (_, x, s)) in &st {
        let c = cap[id].1;
        n += c * s * x;
        d += c * s;
    }
    n / d
}

fn compromise(r: &negotium_scenario::spatial::ForecastReport, issue: &str) -> f64 {
    r.issues
        .iter()
        .find(|i| i.issue == issue)
        .unwrap()
        .models
        .iter()
        .find(|m| m.model == "compromise")
        .unwrap()
        .forecast
}

#[test]
fn forecast_as_of_reads_the_inputs_in_force_that_day() {
    for date in [
        "2007-03-26",
        "2007-12-10",
        "2008-02-18",
        "2010-09-09",
        "2013-06-01",
    ] {
        let p = ForecastParams {
            model: vec!["compromise".into()],
            as_of: Some(date.into()),
            ..Default::default()
        };
        let r = forecast::run(&kosovo(), &p).unwrap();
        assert_eq!(r.as_of.as_deref(), Some(date));
        for issue in ["status", "decentralisation"] {
            let want = weighted_mean_from_file(issue, date);
            let got = compromise(&r, issue);
            assert!((got - want).abs() < 1e-9, "{date} {issue}: {got} vs {want}");
        }
    }
    // Belgrade's Hong Kong offer (2007-11-05) moves the status forecast.
    let at = |d: &str| {
        forecast::run(
            &kosovo(),
            &ForecastParams {
                model: vec!["compromise".into()],
                as_of: Some(d.into()),
                ..Default::default()
            },
        )
        .unwrap()
    };
    let (before, after) = (at("2007-11-04"), at("2007-12-10"));
    assert!(compromise(&after, "status") > compromise(&before, "status"));
    let applied: Vec<String> = after
        .dated_inputs
        .iter()
        .map(|c| format!("{} {} {:?}", c.date, c.actor, c.issue))
        .collect();
    assert_eq!(
        applied,
        [
            "2007-07-20 RUS Some(\"status\")",
            "2007-08-01 UNOSEK None",
            "2007-11-05 SRB Some(\"status\")"
        ]
    );
    assert_eq!(after.dated_inputs[2].position.unwrap().before, Some(20.0));
    assert_eq!(after.dated_inputs[2].position.unwrap().after, 35.0);
    // Without a date: the scenario's as_of (before any dated change).
    let plain = forecast::run(&kosovo(), &ForecastParams::default()).unwrap();
    assert!(plain.as_of.is_none() && plain.dated_inputs.is_empty());
}

#[test]
fn as_of_errors_name_the_parameter() {
    for (d, want) in [
        ("2007-13-01", "YYYY-MM-DD"),
        ("yesterday", "YYYY-MM-DD"),
        ("1900-01-01", "before"),
    ] {
        let p = ForecastParams {
            as_of: Some(d.into()),
            ..Default::default()
        };
        match forecast::run(&kosovo(), &p) {
            Err(e @ AnalysisError::BadInput { .. }) => {
                assert_eq!(e.param_name(), Some("as_of"), "{d}");
                assert!(e.message().contains(want), "{d}: {}", e.message());
            }
            other => panic!("{d}: {other:?}"),
        }
    }
}

#[test]
fn exchange_model_in_forecast_lists_its_trades() {
    let p = ForecastParams {
        model: vec!["exchange".into()],
        ..Default::default()
    };
    let r = forecast::run(&kosovo(), &p).unwrap();
    let x = r.exchange.as_ref().unwrap();
    assert!(!x.exchanges.is_empty());
    assert_eq!(x.issues.len(), r.issues.len());
    for e in &x.exchanges {
        assert_eq!(e.sides.len(), 2);
        // Each side moves on the issue the other takes.
        assert_eq!(e.sides[0].gives, e.sides[1].takes);
        assert_eq!(e.sides[1].gives, e.sides[0].takes);
        assert!(e.sides[0].actor != e.sides[1].actor);
    }
    let bad = ForecastParams {
        model: vec!["exchange".into()],
        exchange_random: Some(1.5),
        ..Default::default()
    };
    let e = forecast::run(&kosovo(), &bad).unwrap_err();
    assert_eq!(e.param_name(), Some("exchange_random"));
}

#[test]
fn replay_steps_equal_forecasts_as_of_their_dates() {
    let p = ReplayParams {
        model: vec!["median".into(), "compromise".into(), "nash".into()],
        ..Default::default()
    };
    let r = replay::run(&kosovo(), &p).unwrap();
    assert_eq!(r.steps[0].date, "2007-03-26");
    assert!(r.steps[0].as_of && r.steps[0].changes.is_empty());
    let dates: Vec<&str> = r.steps.iter().map(|s| s.date.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(dates, sorted);
    for st in &r.steps {
        let f = forecast::run(
            &kosovo(),
            &ForecastParams {
                model: p.model.clone(),
                as_of: Some(st.date.clone()),
                ..Default::default()
            },
        )
        .unwrap();
        for is in &st.forecasts {
            let fi = f.issues.iter().find(|i| i.issue == is.issue).unwrap();
            for (a, b) in is.models.iter().zip(&fi.models) {
                assert_eq!(a.model, b.model);
                assert!(close(a.forecast, b.forecast), "{} {}", st.date, is.issue);
            }
        }
    }
    // Every change shows up once, on its own date.
    let n: usize = r.steps.iter().map(|s| s.changes.len()).sum();
    assert_eq!(n, kosovo().scenario.changes().len());
}

#[test]
fn replay_from_to_bounds_the_dates() {
    let p = ReplayParams {
        issue: vec!["status".into()],
        model: vec!["compromise".into()],
        from: Some("2007-11-01".into()),
        to: Some("2008-02-18".into()),
        ..Default::default()
    };
    let r = replay::run(&kosovo(), &p).unwrap();
    let dates: Vec<&str> = r.steps.iter().map(|s| s.date.as_str()).collect();
    assert_eq!(
        dates,
        [
            "2007-11-05",
            "2007-12-14",
            "2008-01-25",
            "2008-02-17",
            "2008-02-18"
        ]
    );
    let bad = ReplayParams {
        from: Some("2009-01-01".into()),
        to: Some("2008-01-01".into()),
        ..Default::default()
    };
    assert_eq!(
        replay::run(&kosovo(), &bad).unwrap_err().param_name(),
        Some("to")
    );
    let none = ReplayParams {
        from: Some("2020-01-01".into()),
        ..Default::default()
    };
    assert_eq!(
        replay::run(&kosovo(), &none).unwrap_err().param_name(),
        Some("from")
    );
}

#[test]
fn replay_golden_kosovo_status() {
    let p = ReplayParams {
        issue: vec!["status".into()],
        model: vec!["median".into(), "compromise".into()],
        ..Default::default()
    };
    insta::assert_json_snapshot!(serde_json::to_value(replay::run(&kosovo(), &p).unwrap()).unwrap());
}

/// A scored DEU row: (rp, out, [(position, salience)]).
type Row = (Option<f64>, f64, Vec<(f64, f64)>);

/// The DEU example's scored rows, parsed here naively (`;`, the p/s
/// columns, 999 or blank = missing).
fn deu_rows() -> Vec<Row> {
    let text = std::fs::read_to_string(repo("examples/deu/example.csv")).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(';').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let actors: Vec<&str> = head
        .iter()
        .filter_map(|h| h.strip_prefix('p'))
        .filter(|a| head.contains(&format!("s{a}").as_str()))
        .collect();
    let val = |s: &str| s.parse::<f64>().ok().filter(|x| (0.0..=100.0).contains(x));
    let mut out = Vec::new();
    for l in lines {
        let f: Vec<&str> = l.split(';').collect();
        let Some(o) = val(f[col("out")]) else {
            continue;
        };
        let st: Vec<(f64, f64)> = actors
            .iter()
            .filter_map(|a| {
                Some((
                    val(f[col(&format!("p{a}"))])?,
                    val(f[col(&format!("s{a}"))])?,
                ))
            })
            .collect();
        if st.len() >= 3 {
            out.push((val(f[col("rp")]), o, st));
        }
    }
    out
}

#[test]
fn backtest_baselines_match_a_naive_transcription() {
    let p = BacktestParams {
        model: vec!["compromise".into(), "median".into()],
        draws: 0,
        ..Default::default()
    };
    let r = backtest::run_path(&repo("examples/deu/example.csv"), &p).unwrap();
    let rows = deu_rows();
    assert_eq!(r.issues.len(), rows.len());
    assert_eq!(r.unscored.len(), 2);
    let sq: Vec<f64> = rows
        .iter()
        .filter_map(|(rp, o, _)| rp.map(|x| (x - o).abs()))
        .collect();
    let wm: Vec<f64> = rows
        .iter()
        .map(|(_, o, st)| {
            let n: f64 = st.iter().map(|(x, s)| x * s).sum();
            let d: f64 = st.iter().map(|(_, s)| s).sum();
            (n / d - o).abs()
        })
        .collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let b = |name: &str| r.baselines.iter().find(|b| b.model == name).unwrap();
    assert!(close(b("status quo").mae, mean(&sq)));
    assert!(close(b("weighted mean").mae, mean(&wm)));
    // The compromise model is the weighted mean: a tie, not a win.
    let c = r.models.iter().find(|m| m.model == "compromise").unwrap();
    assert!(close(c.mae, mean(&wm)));
    assert!(!c.beats.contains(&"weighted mean".to_string()));
    assert!(c.beats.contains(&"status quo".to_string()));
}

#[test]
fn backtest_golden_deu_example() {
    let p = BacktestParams {
        draws: 0,
        ..Default::default()
    };
    let mut r = backtest::run_path(&repo("examples/deu/example.csv"), &p).unwrap();
    // The path as the test sees it is machine-specific.
    r.source = "examples/deu/example.csv".into();
    for i in &mut r.issues {
        i.source = i.source.rsplit('/').next().unwrap().to_string();
    }
    for u in &mut r.unscored {
        u.source = u.source.rsplit('/').next().unwrap().to_string();
    }
    insta::assert_json_snapshot!(serde_json::to_value(r).unwrap());
}

#[test]
fn backtest_golden_kosovo_with_probabilities() {
    let p = BacktestParams {
        model: vec!["median".into(), "compromise".into()],
        draws: 50,
        seed: 7,
        ..Default::default()
    };
    let r = backtest::run(&kosovo(), &p).unwrap();
    assert!(r.models.iter().all(|m| m.brier.is_some()));
    insta::assert_json_snapshot!(serde_json::to_value(r).unwrap());
}
