//! The binary under hostile input: names of any length in every text
//! table (issue 14: a 65,536-character name panicked in `{:<w$}`), exit
//! codes 0/1/2/3 as documented, and the caps stated in `--help`.

use std::process::{Command, Output};

fn negotium(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_negotium"))
        .args(args)
        .output()
        .expect("run negotium")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn regression(name: &str) -> String {
    format!(
        "{}/../negotium-fuzz/regressions/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Writes `src` to a fresh file under the target directory.
fn write_temp(name: &str, src: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, src).unwrap();
    p.display().to_string()
}

fn no_panic(o: &Output, what: &str) {
    let e = text(&o.stderr);
    assert!(!e.contains("panicked"), "{what}: {e}");
    assert_eq!(o.status.code(), Some(0), "{what}: {e}");
}

#[test]
fn huge_names_are_cut_in_every_text_table() {
    // The regression input: decision maker `A` named with 65,536 `N`s.
    let dm = regression("issue14-dm-name-65536.toml");
    // The same scenario with a 70,000-character bargaining issue id (the
    // negotiate/pareto zone table) and actor name (forecast, power tables).
    let long = "q".repeat(70_000);
    let src = std::fs::read_to_string(&dm)
        .unwrap()
        .replace("\"share\"", &format!("\"{long}\""))
        .replace("\"Alpha\"", &format!("\"{long}\""));
    let issue = write_temp("long-issue.toml", &src);
    let mut cut = 0;
    for file in [&dm, &issue] {
        for cmd in [
            "conflict",
            "analyze",
            "negotiate",
            "pareto",
            "power",
            "forecast",
            "history",
        ] {
            let o = negotium(&[cmd, file]);
            no_panic(&o, &format!("{cmd} {file}"));
            let out = text(&o.stdout);
            // A long name leading a table row (a label column) is cut to
            // 60 characters with an ellipsis; prose may quote it whole.
            for line in out.lines() {
                let first = line
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(':');
                if first.starts_with("NNNNNNNNNN") || first.starts_with("qqqqqqqqqq") {
                    assert!(
                        first.chars().count() <= 60 && first.ends_with('…'),
                        "{cmd}: a long label not cut: {}",
                        first.chars().take(80).collect::<String>()
                    );
                    cut += 1;
                }
            }
        }
        let html = write_temp("long.html", "");
        let o = negotium(&["report", file, "-o", &html]);
        no_panic(&o, "report");
    }
    assert!(cut >= 2, "no table showed the long names: {cut}");
}

fn json_of(o: &Output) -> serde_json::Value {
    serde_json::from_str(&text(&o.stdout)).unwrap_or_else(|e| panic!("{e}: {}", text(&o.stdout)))
}

/// Every cap a size-like flag has is stated in its `--help`, with the very
/// limit the lens enforces, and a value one above it exits 3.
#[test]
fn caps_are_in_help_and_exit_3_above() {
    use negotium_analysis::{bargaining, conflict, forecast, negotiate, power, tournament};
    let fmt = |n: u64| {
        let s = n.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    for (cmd, flag, cap) in [
        ("forecast", "--rounds", forecast::MAX_ROUNDS as u64),
        ("conflict", "--limited", conflict::MAX_HORIZON as u64),
        ("power", "--samples", power::MAX_SAMPLES),
        ("power", "--list-limit", power::MAX_LIST_LIMIT as u64),
        ("negotiate", "--steps", negotiate::MAX_STEPS as u64),
        (
            "pareto",
            "--real-points",
            bargaining::MAX_REAL_POINTS as u64,
        ),
        (
            "tournament",
            "--repetitions",
            tournament::MAX_REPETITIONS as u64,
        ),
        ("tournament", "--steps", tournament::MAX_STEPS as u64),
    ] {
        let help = text(&negotium(&[cmd, "--help"]).stdout);
        let said = format!("at most {}", fmt(cap));
        let block = help.split(flag).nth(1).unwrap_or("");
        let block = block.split("\n  -").next().unwrap_or("");
        assert!(
            block.contains(&said),
            "{cmd} {flag}: {said} not in\n{block}"
        );
        let o = negotium(&[cmd, flag, &(cap + 1).to_string(), "--json"]);
        assert_eq!(
            o.status.code(),
            Some(3),
            "{cmd} {flag}: {}",
            text(&o.stderr)
        );
        let v = json_of(&o);
        assert_eq!(v["error"]["kind"], "limit", "{cmd} {flag}: {v}");
        assert_eq!(v["error"]["param"], flag, "{cmd} {flag}: {v}");
    }
}

/// `--json` turns every error into one object on stdout: lens errors, bad
/// scenarios (located), clap usage errors, unknown scenarios.
#[test]
fn json_errors_are_objects_for_every_command() {
    let bad = format!(
        "{}/../negotium-scenario/tests/invalid/unknown-actor.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    for cmd in [
        "analyze",
        "forecast",
        "conflict",
        "power",
        "negotiate",
        "pareto",
        "history",
        "validate",
    ] {
        let o = negotium(&[cmd, &bad, "--json"]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        let v = json_of(&o);
        let e = &v["error"];
        assert_eq!(e["code"], 2, "{cmd}: {v}");
        assert_eq!(e["kind"], "bad_input", "{cmd}: {v}");
        assert!(
            e["file"].as_str().unwrap().ends_with("unknown-actor.toml"),
            "{cmd}: {v}"
        );
        assert_eq!(
            (e["line"].as_u64(), e["column"].as_u64()),
            (Some(17), Some(6)),
            "{cmd}: {v}"
        );
        assert_eq!(e["diagnostics"].as_array().unwrap().len(), 2, "{cmd}: {v}");
    }
    let o = negotium(&["forecast", "--model", "eumm", "--json"]);
    let v = json_of(&o);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(v["error"]["param"], "--model");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("(did you mean `eum`?)"),
        "{v}"
    );
    let o = negotium(&["conflict", "--bogus", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(json_of(&o)["error"]["kind"], "usage");
    let o = negotium(&["history", "kosovo-staus", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let msg = json_of(&o)["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("(did you mean `kosovo-status`?)"), "{msg}");
    // Without --json nothing is printed on stdout.
    let o = negotium(&["forecast", "--model", "eumm"]);
    assert!(o.stdout.is_empty());
}

#[test]
fn validate_defaults_to_kosovo_and_suggests_near_misses() {
    let o = negotium(&["validate"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("valid scenario `kosovo-status`"));
    let typo = write_temp(
        "typo.toml",
        &std::fs::read_to_string(format!(
            "{}/../negotium-scenario/tests/valid-minimal.toml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
        .replace("capability = 10.0", "capabilty = 10.0")
        .replace("actor = \"A\"", "actor = \"a\""),
    );
    let o = negotium(&["validate", &typo]);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.contains(
            ":8:1: actor[0].capabilty: unknown field `capabilty` (did you mean `capability`?)"
        ),
        "{e}"
    );
    assert!(e.contains("unknown actor `a` (did you mean `A`?)"), "{e}");
    let o = negotium(&["schema", "conflct"]);
    assert!(text(&o.stderr).contains("(did you mean `conflict`?)"));
    let o = negotium(&["man", "forcast"]);
    assert!(text(&o.stderr).contains("(did you mean `forecast`?)"));
}

#[test]
fn completions_and_man_pages_list_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let o = negotium(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let s = text(&o.stdout);
        for cmd in ["forecast", "conflict", "validate", "completions"] {
            assert!(s.contains(cmd), "{shell}: {cmd}");
        }
    }
    let o = negotium(&["man"]);
    let s = text(&o.stdout);
    assert!(s.starts_with(".ie") || s.contains(".TH negotium 1"), "{s}");
    assert!(
        s.contains("negotium\\-forecast(1)") || s.contains("forecast"),
        "{s}"
    );
    let o = negotium(&["man", "power"]);
    let s = text(&o.stdout);
    assert!(s.contains(".TH negotium-power 1"), "{s}");
    assert!(s.contains("\\-\\-samples"), "{s}");
}

/// `power --quota` fills the veto column with the veto players in effect
/// (each of the five 7-weight members is in every winning coalition: the
/// others together weigh 45 - 7 = 38 < 39).
#[test]
fn quick_game_shows_the_vetoes_in_effect() {
    let o = negotium(&[
        "power",
        "--quota",
        "39",
        "--weights",
        "7,7,7,7,7,1,1,1,1,1,1,1,1,1,1",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with('m') && t[1..].starts_with(|c: char| c.is_ascii_digit())
        })
        .collect();
    assert_eq!(rows.len(), 15, "{out}");
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r.contains("veto"), i < 5, "{r}");
    }
}
