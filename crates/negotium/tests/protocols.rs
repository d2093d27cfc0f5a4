//! End-to-end checks of the negotiation-protocol commands on the domain
//! folders shipped in `examples/domains` (GENIUS linear and non-linear,
//! GeniusWeb, and a 10^30-outcome space that must not be enumerated):
//! labelled frontiers, step caps (exit 3), located loader errors (exit 2),
//! and the folder tournament with its files, resuming and job parts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn negotium(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_negotium"))
        .args(args)
        .output()
        .expect("run negotium")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn domains() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/domains")
}

fn domain(name: &str) -> String {
    domains().join(name).display().to_string()
}

fn json(o: &Output) -> serde_json::Value {
    assert_eq!(o.status.code(), Some(0), "{}", err(o));
    serde_json::from_str(&out(o)).expect("JSON on stdout")
}

/// 10^30 outcomes: nothing enumerated, the frontier labelled approximate
/// with its ε, and the buyer's best outcome the analytic one (its
/// evaluations rise with the level on every issue, so level9 everywhere,
/// utility 1).
#[test]
fn pareto_on_a_huge_additive_domain_is_implicit_and_labelled() {
    let v = json(&negotium(&[
        "pareto",
        &domain("genius-supply-30"),
        "--json",
    ]));
    let a = &v; // the pareto result carries the analysis flattened
    assert_eq!(a["method"], "implicit");
    assert_eq!(a["frontier_quality"]["kind"], "approximate");
    let eps = a["frontier_quality"]["epsilon"].as_f64().unwrap();
    assert!(eps > 0.0 && eps < 1e-2, "{eps}");
    assert!(a["outcomes"].is_null());
    assert!((a["log10_outcomes"].as_f64().unwrap() - 30.0).abs() < 1e-9);
    let best = &a["best"][0];
    assert!((best["utilities"][0].as_f64().unwrap() - 1.0).abs() < 1e-9);
    let vals = best["values"].as_object().unwrap();
    assert_eq!(vals.len(), 30);
    assert!(vals.values().all(|x| x == "level9"), "{vals:?}");
    // The listed frontier is non-dominated up to float rounding (two sums
    // of one value in different orders may differ in the last bit): sorted
    // by the buyer's utility, the seller's does not rise.
    let mut pts: Vec<(f64, f64)> = v["frontier"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["utilities"]["buyer"].as_f64().unwrap(),
                p["utilities"]["seller"].as_f64().unwrap(),
            )
        })
        .collect();
    assert!(pts.len() > 100);
    pts.sort_by(|x, y| x.0.total_cmp(&y.0));
    for w in pts.windows(2) {
        assert!(
            w[1].0 >= w[0].0 && w[1].1 <= w[0].1 + 1e-12,
            "dominated pair {:?}",
            w
        );
    }
    // The text names the method and the kind of frontier.
    let o = negotium(&["pareto", &domain("genius-supply-30"), "--limit", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    assert!(out(&o)
        .contains("analysis: implicit (nothing enumerated); frontier approximate, within ε ="));
}

#[test]
fn negotiate_runs_on_every_shipped_domain() {
    for (d, kind) in [
        ("genius-holiday", "exact"),
        ("genius-nonlinear-small", "exact"),
        ("geniusweb-trip", "exact"),
        ("genius-supply-30", "approximate"),
    ] {
        let v = json(&negotium(&[
            "negotiate",
            &domain(d),
            "--strategies",
            "conceder",
            "--steps",
            "200",
            "--json",
        ]));
        assert_eq!(v["analysis"]["frontier_quality"]["kind"], kind, "{d}");
        // Two conceders agree well before the deadline, above both reservations.
        assert_eq!(v["end"], "agreement", "{d}");
        for (p, u) in v["utilities"].as_object().unwrap() {
            assert!(
                u.as_f64().unwrap() >= v["reservation"][p].as_f64().unwrap(),
                "{d}: {p}"
            );
        }
    }
}

#[test]
fn step_budgets_above_the_cap_exit_3_with_the_size() {
    let o = negotium(&[
        "negotiate",
        &domain("genius-holiday"),
        "--steps",
        "4294967295",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    let e = err(&o);
    assert!(e.contains("4294967295") && e.contains("1000000"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let o = negotium(&[
        "tournament",
        "--domains",
        &domains().display().to_string(),
        "--steps",
        "2000000",
        "--out",
        &dir.path().join("t").display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", err(&o));
    assert!(err(&o).contains("2000000 steps, more than the limit of 1000000"));
    assert!(
        !dir.path().join("t").exists(),
        "nothing written before the check"
    );
}

/// A GENIUS domain cut short names the file, the line and column, and what
/// was expected; exit 2.
#[test]
fn a_truncated_genius_domain_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let src = domains().join("genius-holiday");
    for f in ["alice.xml", "bob.xml"] {
        std::fs::copy(src.join(f), dir.path().join(f)).unwrap();
    }
    let text = std::fs::read_to_string(src.join("holiday_domain.xml")).unwrap();
    let cut = text.find("<issue index=\"2\"").unwrap();
    std::fs::write(dir.path().join("holiday_domain.xml"), &text[..cut]).unwrap();
    let o = negotium(&["pareto", &dir.path().display().to_string()]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let e = err(&o);
    assert!(
        e.contains("holiday_domain.xml:") && e.contains("the file ends inside"),
        "{e}"
    );
    // file:line:column
    let after = &e[e.find("holiday_domain.xml:").unwrap() + "holiday_domain.xml:".len()..];
    let mut parts = after.splitn(3, ':');
    assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{e}");
    assert!(parts.next().unwrap().parse::<u32>().is_ok(), "{e}");
}

/// The tournament from a fresh clone: the shipped folder, both role
/// orders, the files, the leaderboard; `--resume` runs nothing twice; two
/// parts `--jobs 1/2`, `2/2` split the schedule.
#[test]
fn folder_tournament_writes_files_resumes_and_splits() {
    let dir = tempfile::tempdir().unwrap();
    let outdir = dir.path().join("t").display().to_string();
    let root = domains().display().to_string();
    let args = |extra: &[&str]| {
        let mut a = vec![
            "tournament",
            "--domains",
            &root,
            "--agents",
            "boulware,conceder,micro",
            "--repetitions",
            "1",
            "--steps",
            "60",
            "--seed",
            "3",
        ];
        a.extend_from_slice(extra);
        negotium(&a)
    };
    let o = args(&["--out", &outdir]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("4 domains (0 skipped), 36 negotiations"),
        "{text}"
    );
    assert!(
        text.contains("genius-supply-30: 2 parties, ≈ 1.00e30 outcomes, implicit"),
        "{text}"
    );
    for h in [
        "agreement",
        "utility",
        "advantage",
        "welfare",
        "Pareto",
        "Nash",
    ] {
        assert!(text.contains(h), "{h}: {text}");
    }
    for f in [
        "results.csv",
        "results.parquet",
        "ranking.csv",
        "summary.json",
    ] {
        assert!(dir.path().join("t").join(f).exists(), "{f}");
    }
    let csv = std::fs::read_to_string(dir.path().join("t/results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2 * 36);
    // Again without --resume: refused (exit 2), files untouched.
    let o = args(&["--out", &outdir]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    // With --resume: nothing left to run, the same results.
    let v = json(&args(&["--out", &outdir, "--resume", "--json"]));
    assert_eq!(v["resumed"], 36);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("t/results.csv")).unwrap(),
        csv
    );
    // Two parts: disjoint halves of the schedule.
    let mut jobs = 0;
    for part in ["1/2", "2/2"] {
        let p = dir
            .path()
            .join(part.replace('/', "-"))
            .display()
            .to_string();
        let v = json(&args(&["--out", &p, "--jobs", part, "--json"]));
        assert_eq!(v["total_jobs"], 36);
        assert_eq!(v["shard"], part);
        jobs += v["jobs"].as_u64().unwrap();
    }
    assert_eq!(jobs, 36);
    let o = args(&["--out", &outdir, "--jobs", "3/2"]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
}

/// The built-in scenario's tournament tells the strategies apart: the whole
/// package cannot agree, so issues run alone, and agreement rates differ.
#[test]
fn kosovo_tournament_is_informative() {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("k").display().to_string();
    let o = negotium(&[
        "tournament",
        "--strategies",
        "boulware,hardheaded",
        "--out",
        &prefix,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let t = out(&o);
    assert!(t.contains("empty zone of agreement"), "{t}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{prefix}.json")).unwrap()).unwrap();
    let rates: Vec<f64> = v["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["agreement_rate"].as_f64().unwrap())
        .collect();
    assert!(rates.iter().any(|&r| r > 0.0), "{rates:?}");
    assert!(rates[0] != rates[1], "{rates:?}");
}

/// `pareto FILE` on a file of a domain folder reads the whole folder.
#[test]
fn a_domain_file_stands_for_its_folder() {
    for (dir, file) in [
        ("geniusweb-trip", "trip.json"),
        ("genius-holiday", "holiday_domain.xml"),
    ] {
        let whole = json(&negotium(&["pareto", &domain(dir), "--json"]));
        let one = json(&negotium(&[
            "pareto",
            &format!("{}/{file}", domain(dir)),
            "--json",
        ]));
        assert_eq!(whole, one, "{dir}");
    }
}
