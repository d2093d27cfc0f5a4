//! End-to-end checks of the `negotium` binary: exit codes, located errors on
//! stderr, and the `forecast --json` contract.

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

fn fixture(name: &str) -> String {
    format!(
        "{}/../negotium-scenario/tests/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn validate_reports_location_and_exits_2() {
    let path = fixture("invalid/unknown-actor.toml");
    let o = negotium(&["validate", &path]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stdout(&o).is_empty(),
        "nothing on stdout for an invalid file"
    );
    let e = stderr(&o);
    assert!(
        e.contains("unknown-actor.toml:30:9: stance[1].actor: unknown actor `C`"),
        "{e}"
    );
}

#[test]
fn validate_json_lists_diagnostics() {
    let path = fixture("invalid/position-outside.toml");
    let o = negotium(&["validate", "--json", &path]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["diagnostics"][0]["line"], 32);
    assert_eq!(v["diagnostics"][0]["column"], 12);
}

#[test]
fn validate_accepts_every_builtin() {
    for id in ["kosovo-status", "emission-standards", "eu-council-2025"] {
        let o = negotium(&["validate", id]);
        assert_eq!(o.status.code(), Some(0), "{id}: {}", stderr(&o));
        assert!(stdout(&o).contains("valid scenario"), "{id}");
    }
}

#[test]
fn unknown_scenario_and_bad_flags_exit_2() {
    let o = negotium(&["forecast", "no-such-thing"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown scenario `no-such-thing`"));
    let o = negotium(&["forecast", "emission-standards", "--model", "oracle"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown model `oracle`"),
        "{}",
        stderr(&o)
    );
    let o = negotium(&["forecast", "emission-standards", "--issue", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown issue `nope`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn forecast_json_follows_the_contract() {
    let o = negotium(&["forecast", "emission-standards", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["scenario"], "emission-standards");
    let issue = &v["issues"][0];
    assert_eq!(issue["issue"], "delay");
    assert_eq!(issue["outcome"], 8.833);
    let models: Vec<&str> = issue["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["median", "compromise", "nash", "eum", "smp"]);
    for m in issue["models"].as_array().unwrap() {
        let f = m["forecast"].as_f64().unwrap();
        assert!((4.0..=10.0).contains(&f), "{m}");
        // Round-0 statistics of the published table: c·s-weighted mean 7.39, median 7.
        assert!((m["initial"]["mean"].as_f64().unwrap() - 7.39).abs() < 0.01);
        assert_eq!(m["initial"]["median"].as_f64().unwrap(), 7.0);
    }
    let eum = &issue["models"][3];
    let rounds = eum["rounds"].as_array().unwrap();
    assert_eq!(
        rounds[0]["round"], 1,
        "rounds[0] is the state after the first round"
    );
    assert_eq!(rounds[0]["positions"].as_object().unwrap().len(), 10);
    assert!(rounds[0]["median"].is_number() && rounds[0]["mean"].is_number());
}

#[test]
fn forecast_reads_ktab_csv() {
    let dir = std::env::temp_dir().join(format!("negotium-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("three.csv");
    std::fs::write(
        &path,
        "Three,demo,3,1,\nActor,Description,Power,Pos,Sal,\nA,a,10,20,50,\nB,b,30,60,50,\nC,c,20,90,50,\n",
    )
    .unwrap();
    let o = negotium(&[
        "forecast",
        path.to_str().unwrap(),
        "--model",
        "median,compromise",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // Equal saliences: weights 10, 30, 20 → median 60, mean (200+1800+1800)/60 = 63.33…
    assert_eq!(
        v["issues"][0]["models"][0]["forecast"].as_f64().unwrap(),
        60.0
    );
    let mean = v["issues"][0]["models"][1]["forecast"].as_f64().unwrap();
    assert!((mean - 3800.0 / 60.0).abs() < 1e-9, "{mean}");
}

#[test]
fn analyze_defaults_to_kosovo_and_labels_forecasts() {
    let o = negotium(&["analyze"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("scenario `kosovo-status`"), "{out}");
    assert!(out.contains("Issue `status`"));
    assert!(
        out.contains("≈ "),
        "forecasts carry the nearest labelled point"
    );
    assert!(
        out.contains("Trajectories"),
        "dynamic models show their rounds"
    );
    assert!(
        out.contains("error"),
        "models are scored against the recorded outcome"
    );
}

/// The "agree on technical issues, disagree on status" pattern, computed
/// from the Kosovo bargaining domain, for both protocols.
#[test]
fn kosovo_talks_agree_on_technical_issues_but_not_on_status() {
    for protocol in ["sao", "single-text"] {
        let o = negotium(&["negotiate", "--protocol", protocol, "--json"]);
        assert_eq!(o.status.code(), Some(0), "{protocol}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v["protocol"], protocol);
        assert_eq!(v["agreement"], serde_json::Value::Null, "no package deal");
        assert_eq!(
            v["analysis"]["zopa_empty_issues"],
            serde_json::json!(["status"])
        );
        let by_issue = v["issue_by_issue"].as_array().unwrap();
        let agreed: Vec<&str> = by_issue
            .iter()
            .filter(|i| !i["agreement"].is_null())
            .map(|i| i["issue"].as_str().unwrap())
            .collect();
        assert_eq!(agreed.len(), 5, "{protocol}: {agreed:?}");
        assert!(!agreed.contains(&"status"));
    }
}

#[test]
fn ahtisaari_draft_is_blocked_in_the_security_council() {
    let o = negotium(&[
        "vote",
        "kosovo-status",
        "--institution",
        "unsc",
        "--issue",
        "status",
        "--proposal",
        "75",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["passes"], false);
    let mut vetoes: Vec<&str> = v["vetoed_by"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    vetoes.sort();
    assert_eq!(vetoes, ["CHN", "RUS"]);
}

#[test]
fn conflict_finds_the_historical_end_state_stable() {
    let o = negotium(&["conflict", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for concept in ["nash", "gmr", "smr", "seq", "sim"] {
        assert!(v["equilibria"][concept].is_array(), "{concept}");
    }
    assert!(!v["states"].as_array().unwrap().is_empty());
    // The end state is computed from the preferences, not written in: it
    // must appear among the engine's own Nash equilibria.
    let end = v["historical"]["state"].as_u64().unwrap();
    let nash: Vec<u64> = v["equilibria"]["nash"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect();
    assert!(nash.contains(&end), "{end} not in {nash:?}");
    // A legal path from the 2006 status quo reaches it.
    let edges = v["status_quo"]["edges"].as_array().unwrap();
    assert!(edges.iter().any(|e| e["to"].as_u64() == Some(end)));
}

#[test]
fn analyze_json_gathers_every_lens_of_the_scenario() {
    let o = negotium(&["analyze", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["scenario"], "kosovo-status");
    assert_eq!(v["forecast"]["issues"].as_array().unwrap().len(), 6);
    assert!(v["conflict"]["equilibria"]["nash"].is_array());
    assert_eq!(v["power"]["institutions"][0]["institution"], "unsc");
    assert_eq!(v["negotiate"]["runs"].as_array().unwrap().len(), 2);
    assert!(v["pareto"]["frontier"].is_array());
    assert_eq!(v["history"]["events"].as_array().unwrap().len(), 122);

    // A scenario without the optional sections has only what applies.
    let o = negotium(&["analyze", "emission-standards", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["forecast"].is_object());
    for absent in ["conflict", "power", "negotiate", "history"] {
        assert!(v.get(absent).is_none(), "{absent}");
    }
}

/// `--joint` makes one multi-dimensional space; only the SMP couples the
/// dimensions, so every other model must forecast exactly as issue by issue
/// (an actor without a stance on a dimension has salience 0 there).
#[test]
fn joint_forecasts_agree_with_separate_ones_for_separable_models() {
    let run = |joint: bool| {
        let mut args = vec![
            "forecast",
            "--issue",
            "status,property",
            "--model",
            "median,compromise,nash,eum,smp",
            "--json",
        ];
        if joint {
            args.push("--joint");
        }
        let o = negotium(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        serde_json::from_str::<serde_json::Value>(&stdout(&o)).unwrap()
    };
    let (sep, joint) = (run(false), run(true));
    for i in 0..2 {
        let (a, b) = (&sep["issues"][i], &joint["issues"][i]);
        assert_eq!(a["issue"], b["issue"]);
        for m in 0..4 {
            let (x, y) = (
                a["models"][m]["forecast"].as_f64().unwrap(),
                b["models"][m]["forecast"].as_f64().unwrap(),
            );
            assert!(
                (x - y).abs() < 1e-9,
                "{} {}: {x} vs {y}",
                a["issue"],
                a["models"][m]["model"]
            );
        }
        // The joint SMP moves every actor with a stance on either issue.
        assert_eq!(b["models"][4]["model"], "smp");
        let moved = b["models"][4]["rounds"][0]["positions"]
            .as_object()
            .unwrap()
            .len();
        assert!(moved >= a["actors"].as_array().unwrap().len());
    }
    // One SMP run over both dimensions: the same rounds on both issues.
    assert_eq!(
        joint["issues"][0]["models"][4]["rounds"]
            .as_array()
            .unwrap()
            .len(),
        joint["issues"][1]["models"][4]["rounds"]
            .as_array()
            .unwrap()
            .len()
    );
}
