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
    let short = stdout(&o);
    assert!(short.contains("scenario `kosovo-status`"), "{short}");
    // The verdict comes first; the full tables only with --detail.
    assert!(short.find("VERDICT").unwrap() < short.find("SPATIAL FORECASTS").unwrap());
    assert!(short.contains("vetoed by CHN and RUS") || short.contains("Vetoed by CHN and RUS"));
    assert!(!short.contains("Trajectories"));
    let o = negotium(&["analyze", "--detail"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.len() > short.len());
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
    // Both protocols × boulware and conceder.
    assert_eq!(v["negotiate"]["runs"].as_array().unwrap().len(), 4);
    assert!(!v["verdict"]["lenses"].as_array().unwrap().is_empty());
    assert!(v["pareto"]["frontier"].is_array());
    assert_eq!(v["history"]["events"].as_array().unwrap().len(), 142);

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

#[test]
fn schema_prints_the_committed_schemas() {
    for (lens, params) in [("conflict", false), ("forecast", true)] {
        let mut args = vec!["schema", lens];
        if params {
            args.push("--params");
        }
        let o = negotium(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let file = format!(
            "{}/../../docs/schema/{lens}{}.json",
            env!("CARGO_MANIFEST_DIR"),
            if params { ".params" } else { "" }
        );
        assert_eq!(stdout(&o), std::fs::read_to_string(file).unwrap());
    }
    let o = negotium(&["schema", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown lens `nope`"));
}

/// A job above a size limit exits with 3 and says the size and the limit;
/// bad input exits with 2 naming the flag.
#[test]
fn size_limits_exit_3_and_bad_flags_name_the_flag() {
    let o = negotium(&["forecast", "emission-standards", "--rounds", "20000"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("--rounds: 20000 is above the limit of 10000"));
    let weights = vec!["1"; 300].join(",");
    let o = negotium(&[
        "power",
        "--quota",
        "200",
        "--weights",
        &weights,
        "--method",
        "enumerate",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let o = negotium(&["conflict", "--status-quo", "99999"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--status-quo: state 99999 does not exist"));
}

/// A generated `.gmcr` model (the bench recipe's layout): `options` options
/// split between two DMs, all reversible, no infeasible states, three
/// one-literal statements per DM; written to a fresh temp file.
fn generated_gmcr(options: usize) -> std::path::PathBuf {
    let opts: Vec<String> = (0..options)
        .map(|k| format!(r#"{{"name": "option {k}", "permittedDirection": "both"}}"#))
        .collect();
    let half = options / 2;
    let list = |r: std::ops::Range<usize>| r.map(|k| k.to_string()).collect::<Vec<_>>().join(", ");
    let text = format!(
        r#"{{"options": [{}],
 "decisionMakers": [{{"name": "A", "options": [{}], "preferences": [[[2, "Y"]], [[{}, "N"]], [[1, "N"]]]}},
   {{"name": "B", "options": [{}], "preferences": [[[{}, "N"]], [[0, "Y"]], [[{}, "Y"]]]}}],
 "infeasibles": [], "useManualPreferenceRanking": false}}"#,
        opts.join(", "),
        list(0..half),
        half + 1,
        list(half..options),
        half,
        options - 1
    );
    let dir = std::env::temp_dir().join(format!("negotium-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("gen_{options}.gmcr"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn conflict_refuses_a_model_above_the_memory_limit_before_work() {
    let f = generated_gmcr(20);
    let f = f.to_str().unwrap();
    // 2^20 states under a 16 MiB limit: the build itself is refused.
    let o = negotium(&["conflict", f, "--max-memory", "16MiB"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("for 1048576 states would need about"), "{e}");
    assert!(
        e.contains("above the limit of 16.0 MiB (16777216 bytes)"),
        "{e}"
    );
    assert!(stdout(&o).is_empty(), "nothing half-written");
    // A limit above the build but below the analysis and its results.
    let o = negotium(&["conflict", f, "--max-memory", "64MiB", "--json"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // With --json the refusal is the JSON error object, never a partial result.
    let out = stdout(&o);
    assert!(
        out.contains("analysing 6 concepts for 2 DMs and keeping the results"),
        "{out}"
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_object().unwrap().keys().collect::<Vec<_>>(), ["error"]);
    let o = negotium(&["conflict", f, "--max-memory", "a lot"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--max-memory: `a lot` is not a size"));
}

#[test]
fn conflict_at_scale_lists_first_states_and_counts_coalitions() {
    let f = generated_gmcr(14);
    let f = f.to_str().unwrap();
    let o = negotium(&["conflict", f, "--states", "5", "--coalition", "A+B"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o);
    assert!(t.contains("16384 feasible states"), "{t}");
    assert!(t.contains("(first 5 of "), "{t}");
    assert!(t.contains("Concept order"), "{t}");
    let co = &t[t.find("Coalition A+B").unwrap()..];
    assert!(co.contains("coalition-stable"), "{co}");
    assert!(co.contains("(first 5 equilibria shown"), "{co}");
    // The JSON is complete: every state, every equilibrium, every count.
    let o = negotium(&["conflict", f, "--json", "--coalition", "A+B"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["states"].as_array().unwrap().len(), 16384);
    let nash = v["equilibria"]["nash"].as_array().unwrap().len();
    let from = v["coalitions"]["A+B"]["from_equilibria"]
        .as_array()
        .unwrap();
    assert_eq!(from.len(), nash);
    // The text's coalition summary agrees with the JSON's counts.
    let stable = from.iter().filter(|e| e["count"] == 0).count();
    assert!(
        co.contains(&format!("{nash} equilibria: {stable} coalition-stable")),
        "{co}"
    );
}

#[test]
fn conflict_explains_a_state_in_option_names() {
    let o = negotium(&["conflict", "--explain", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o);
    let why = &t[t.find("Why state 1 ").unwrap()..];
    assert!(why.contains("no option taken"), "{why}");
    // Kosovo's only improvement from state 1, by name, under every concept.
    assert!(
        why.contains("Nash     unstable: → 5 (declare independence)"),
        "{why}"
    );
    let o = negotium(&["conflict", "--states", "x"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--states: `x` is not `all` or a number"));
}

/// `sweep` on the default scenario's declared ranges: the seed is reported,
/// `--out` writes every draw as CSV and Parquet plus the summary (the same
/// JSON as `--json`) and the charts; no uncertainty gives a clear message
/// offering `--perturb`; a bad `--out` leaves nothing behind.
#[test]
fn sweep_writes_draws_summary_and_charts_and_says_when_nothing_varies() {
    let dir = std::env::temp_dir().join(format!("negotium-sweep-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.to_str().unwrap();
    let args = [
        "sweep", "--draws", "30", "--seed", "11", "--issue", "status", "--json", "--out", out,
    ];
    let o = negotium(&args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        (v["seed"].as_u64(), v["draws"].as_u64()),
        (Some(11), Some(30))
    );
    let summary = std::fs::read_to_string(dir.join("summary.json")).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&summary).unwrap(),
        v
    );
    let csv = std::fs::read_to_string(dir.join("forecasts.csv")).unwrap();
    assert!(
        csv.starts_with("draw,issue,model,forecast,nearest_label\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1 + 30 * 5);
    let pq = std::fs::read(dir.join("forecasts.parquet")).unwrap();
    assert!(pq.starts_with(b"PAR1") && pq.ends_with(b"PAR1"));
    let fan = std::fs::read_to_string(dir.join("fan-status.svg")).unwrap();
    assert!(fan.starts_with("<svg") && fan.contains("data-model=\"smp\""));
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        names.iter().all(|n| !n.to_string_lossy().starts_with('.')),
        "{names:?}"
    );
    // Into a path that is a file: an error, and no staging left behind.
    let file = dir.join("summary.json");
    let o = negotium(&[
        "sweep",
        "--draws",
        "5",
        "--issue",
        "status",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("summary.json"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
    let o = negotium(&["sweep", "emission-standards", "--draws", "5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("declares no uncertainty"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--perturb position=10,salience=0.2,capability=0.2"));
    let o = negotium(&[
        "sweep",
        "emission-standards",
        "--draws",
        "5",
        "--perturb",
        "position=10",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("seed 0, stated perturbation position=10"),
        "{}",
        stdout(&o)
    );
}

/// `advise` names the actor's best own move and whom to persuade, in
/// sentences, and refuses an unknown actor with exit 2 naming the flag.
/// Belgrade can pull the compromise toward 20 by advocating 0 and should
/// persuade Washington; Pristina already stands at the scale's end with the
/// most salience, so only persuasion (of Belgrade) helps it.
#[test]
fn advise_explains_moves_and_targets_for_belgrade_and_pristina() {
    for (actor, own, target) in [
        (
            "SRB",
            "compromise: advocating 0 (instead of 20)",
            "persuading USA",
        ),
        (
            "KOS",
            "compromise: no position in [0, 100]",
            "persuading SRB",
        ),
    ] {
        let args = [
            "advise",
            "--actor",
            actor,
            "--issue",
            "status",
            "--model",
            "compromise",
        ];
        let o = negotium(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let t = stdout(&o);
        assert!(t.contains(own) && t.contains(target), "{t}");
        let o = negotium(&[&args[..], &["--json"]].concat());
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert!(
            v["issues"][0]["models"][0]["persuade"][0]["gain"]
                .as_f64()
                .unwrap()
                > 0.0
        );
    }
    let o = negotium(&["advise", "--actor", "NOPE"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--actor: unknown actor `NOPE`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn analyze_html_writes_the_verdict_page_and_refuses_a_bad_path() {
    let dir = std::env::temp_dir().join(format!("negotium-analyze-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kosovo.html");
    // A small sweep (the default, 1000 draws, is slow in a debug build).
    let o = negotium(&["analyze", "--html", path.to_str().unwrap(), "--draws", "40"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The text still goes to stdout, the page to the file.
    assert!(stdout(&o).starts_with("═"));
    assert!(stderr(&o).contains("wrote"));
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    let verdict = html.find("id=\"verdict\"").unwrap();
    assert!(verdict < html.find("id=\"forecast\"").unwrap());
    assert!(html.contains("id=\"glossary\""));
    assert!(html.contains("by CHN and RUS"));
    // `report` writes the same page (one code path), with the SAO offers traced.
    let rpath = dir.join("report.html");
    let o = negotium(&["report", "-o", rpath.to_str().unwrap(), "--draws", "40"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = std::fs::read_to_string(&rpath).unwrap();
    assert!(report == html, "report and analyze --html differ");
    // The uncertainty sweep's section, a fan chart per issue.
    assert!(
        html.contains("<section id=\"uncertainty\""),
        "no uncertainty section"
    );
    assert_eq!(html.matches("class=\"chart fan-chart\"").count(), 6);
    assert_eq!(html.matches("class=\"chart trace\"").count(), 2);
    // A directory that does not exist: exit 1, a message naming it, no file.
    let bad = dir.join("no-such-dir").join("x.html");
    let o = negotium(&["analyze", "--html", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no-such-dir"), "{}", stderr(&o));
    assert!(!bad.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn readme_analyze_excerpt_is_true() {
    let readme =
        std::fs::read_to_string(format!("{}/../../README.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let start = readme.find("<!-- analyze-excerpt -->").unwrap();
    let end = readme.find("<!-- /analyze-excerpt -->").unwrap();
    let o = negotium(&["analyze"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = readme[start..end]
        .lines()
        .filter(|l| !l.starts_with("<!--") && !l.starts_with("```") && *l != "...")
        .collect();
    assert!(lines.len() > 10);
    for l in lines {
        assert!(
            out.lines().any(|o| o == l),
            "README line not in the output: {l:?}"
        );
    }
}

/// A scenario of `n` actors with stances on one issue (positions and
/// capabilities spread evenly), written to a temp file.
fn many_actors(n: usize) -> std::path::PathBuf {
    let mut s = String::from(
        "[scenario]\nid = \"many\"\ntitle = \"many\"\n\n[[issue]]\nid = \"x\"\nname = \"x\"\nmin = 0.0\nmax = 100.0\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "\n[[actor]]\nid = \"a{i}\"\nname = \"a{i}\"\ncapability = {}\n",
            1 + i % 7
        ));
    }
    for i in 0..n {
        s.push_str(&format!(
            "\n[[stance]]\nactor = \"a{i}\"\nissue = \"x\"\nposition = {}\nsalience = 0.5\n",
            (i * 37) % 101
        ));
    }
    let path = std::env::temp_dir().join(format!("negotium-many-{n}-{}.toml", std::process::id()));
    std::fs::write(&path, s).unwrap();
    path
}

/// Issue 14: a model's own size limit is said up front. Named, the SMP on
/// 251 actors is refused before any work (exit 3, nothing printed); by
/// default it is left out with a note and the other models still print.
#[test]
fn forecast_states_model_limits_up_front_and_prints_what_ran() {
    let f = many_actors(251);
    let f = f.to_str().unwrap();
    let o = negotium(&["forecast", f, "--model", "median,smp"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("the SMP accepts at most 250 actors per issue"));
    assert!(stdout(&o).is_empty());
    let o = negotium(&["forecast", f, "--model", "median,compromise"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = negotium(&["forecast", f, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["skipped"][0]
        .as_str()
        .unwrap()
        .starts_with("smp left out"));
    let models: Vec<&str> = v["issues"][0]["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["median", "compromise", "nash", "eum"]);
}
