//! End-to-end checks of the time-and-evidence commands: `forecast --as-of`,
//! `forecast --model exchange`, `replay` (text, JSON, SVG), `backtest` on the
//! repository's DEU-layout example and on a built-in scenario, and their
//! errors (exit 2 naming the flag).

use std::process::{Command, Output};

fn negotium(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_negotium"))
        .args(args)
        .output()
        .expect("run negotium")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn example() -> String {
    format!(
        "{}/../../examples/deu/example.csv",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap()
}

#[test]
fn forecast_as_of_shows_the_moves_in_force() {
    let o = negotium(&["forecast", "--as-of", "2007-12-10", "--model", "compromise"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o);
    assert!(t.contains("As of 2007-12-10"), "{t}");
    assert!(
        t.contains("from 2007-11-05  SRB status: position 20 → 35"),
        "{t}"
    );
    assert!(
        t.contains("from 2007-07-20  RUS status: salience 0.6 → 0.8"),
        "{t}"
    );
    // Before the Hong Kong offer it is not in force.
    let t = stdout(&negotium(&[
        "forecast",
        "--as-of",
        "2007-11-04",
        "--model",
        "compromise",
    ]));
    assert!(!t.contains("SRB status: position 20 → 35"), "{t}");
    let v = json(&negotium(&[
        "forecast",
        "--as-of",
        "2008-02-18",
        "--model",
        "median",
        "--json",
    ]));
    assert_eq!(v["as_of"], "2008-02-18");
    assert!(v["dated_inputs"].as_array().unwrap().len() >= 5);
}

#[test]
fn forecast_as_of_errors_name_the_flag() {
    let o = negotium(&["forecast", "--as-of", "2007-02-30x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--as-of:"), "{}", stderr(&o));
    let o = negotium(&["forecast", "--as-of", "1800-01-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--as-of:"), "{}", stderr(&o));
}

#[test]
fn forecast_exchange_lists_trades() {
    let o = negotium(&["forecast", "--model", "exchange"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Exchange model (equal gain)"));
    let v = json(&negotium(&[
        "forecast",
        "--model",
        "exchange",
        "--exchange-random",
        "0.5",
        "--seed",
        "4",
        "--json",
    ]));
    assert_eq!(v["exchange"]["seed"], 4);
    assert!(!v["exchange"]["exchanges"].as_array().unwrap().is_empty());
}

#[test]
fn replay_text_json_and_svg() {
    let o = negotium(&[
        "replay",
        "--issue",
        "status",
        "--model",
        "median,compromise",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o);
    assert!(t.contains("2007-11-05"), "{t}");
    assert!(t.contains("SRB status: position 20 → 35"), "{t}");
    let v = json(&negotium(&[
        "replay",
        "--from",
        "2007-11-01",
        "--to",
        "2008-02-18",
        "--json",
    ]));
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.first().unwrap()["date"], "2007-11-05");
    assert_eq!(steps.last().unwrap()["date"], "2008-02-18");
    let dir = std::env::temp_dir().join(format!("negotium-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("r.svg");
    let o = negotium(&["replay", "--svg", svg.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let status = std::fs::read_to_string(dir.join("r-status.svg")).unwrap();
    assert!(status.starts_with("<svg") && status.contains("recorded outcome"));
    std::fs::remove_dir_all(&dir).unwrap();
    let o = negotium(&["replay", "--from", "2010-01-01", "--to", "2009-01-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--to:"), "{}", stderr(&o));
}

#[test]
fn backtest_deu_example_against_baselines() {
    let o = negotium(&["backtest", &example()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o);
    assert!(t.contains("12 issue(s) scored, 2 not scored"), "{t}");
    assert!(t.contains("status quo (baseline)") && t.contains("weighted mean (baseline)"));
    let v = json(&negotium(&[
        "backtest",
        &example(),
        "--capability",
        "shapley-shubik",
        "--json",
    ]));
    let models = v["models"].as_array().unwrap();
    assert_eq!(models.len(), 5);
    assert!(models.iter().all(|m| m["issues"] == 12));
    assert_eq!(v["baselines"].as_array().unwrap().len(), 2);
    assert!(v["notes"][0]
        .as_str()
        .unwrap()
        .starts_with("capabilities: shapley-shubik"));
}

#[test]
fn backtest_html_page_has_the_table_and_the_chart() {
    let dir = std::env::temp_dir().join(format!("negotium-backtest-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("backtest.html");
    let o = negotium(&["backtest", &example(), "--html", page.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&page).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "{}",
        &html[..80.min(html.len())]
    );
    assert!(!html.contains("<script"), "self-contained, no script");
    assert!(html.contains("<svg"), "the MAE chart");
    for m in [
        "median",
        "compromise",
        "nash",
        "eum",
        "smp",
        "status quo",
        "weighted mean",
    ] {
        assert!(html.contains(m), "{m} missing from the page");
    }
}

#[test]
fn backtest_builtin_scenario_has_brier_scores() {
    let v = json(&negotium(&[
        "backtest",
        "kosovo-status",
        "--model",
        "median",
        "--draws",
        "40",
        "--json",
    ]));
    assert!(v["models"][0]["brier"].as_f64().is_some());
    assert_eq!(v["probabilities"]["draws"], 40);
}

#[test]
fn backtest_errors() {
    let o = negotium(&["backtest", "no-such-file.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-file.csv"), "{}", stderr(&o));
    let o = negotium(&["backtest", &example(), "--capability", "banzhaf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--capability:"), "{}", stderr(&o));
    let o = negotium(&["backtest", &example(), "--draws", "1000000"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("--draws"), "{}", stderr(&o));
}

#[test]
fn analyze_mentions_the_dated_history() {
    let o = negotium(&["analyze"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o);
    assert!(t.contains("KNOWN ON 2007-03-26 AND WHAT FOLLOWED"), "{t}");
    let o = negotium(&["analyze", "--as-of", "2008-03-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("KNOWN ON 2008-03-01"));
}

#[test]
fn report_as_of_reads_the_date_and_refuses_a_bad_one() {
    let dir = std::env::temp_dir().join(format!("negotium-report-asof-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("r.html");
    let o = negotium(&[
        "report",
        "--as-of",
        "2008-02-18",
        "--draws",
        "0",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("2008-02-18"));
    let bad = dir.join("bad.html");
    let o = negotium(&["report", "--as-of", "soon", "-o", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--as-of:"), "{}", stderr(&o));
    assert!(!bad.exists(), "nothing half-written");
    std::fs::remove_dir_all(&dir).unwrap();
}
