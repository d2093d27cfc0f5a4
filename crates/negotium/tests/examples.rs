//! The shipped examples (examples/) and the README tour: every example is
//! valid and runs through the lens it documents, and every command the
//! README's tour shows exits 0 when run from a fresh checkout.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run_in(dir: &Path, args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_negotium"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run negotium")
}

/// The `negotium …` commands of the README's tour, comments stripped.
fn tour_commands(readme: &str) -> Vec<Vec<String>> {
    let tour = readme
        .split("## A short tour")
        .nth(1)
        .expect("README has a tour");
    let block = tour.split("```sh").nth(1).expect("a sh block");
    let block = block.split("```").next().unwrap();
    block
        .lines()
        .map(|l| l.split(" #").next().unwrap().trim())
        .filter_map(|l| l.strip_prefix("negotium "))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect()
}

#[test]
fn every_example_runs_through_its_lens() {
    let r = root();
    let ex = |p: &str| r.join("examples").join(p).display().to_string();
    let runs: Vec<Vec<String>> = [
        vec!["validate".into(), ex("town-budget.toml")],
        vec!["forecast".into(), ex("town-budget.toml")],
        vec!["power".into(), ex("town-budget.toml")],
        vec![
            "vote".into(),
            ex("town-budget.toml"),
            "--institution".into(),
            "council".into(),
            "--issue".into(),
            "roads".into(),
            "--proposal".into(),
            "60".into(),
        ],
        vec!["validate".into(), ex("ktab/SOE-Policy.csv")],
        vec!["forecast".into(), ex("ktab/SOE-Policy.csv")],
        vec!["conflict".into(), ex("prisoners-dilemma.gmcr")],
        vec!["negotiate".into(), ex("genius/holiday")],
        vec!["pareto".into(), ex("genius/holiday")],
    ]
    .into_iter()
    .collect();
    for args in runs {
        let o = run_in(&r, &args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!o.stdout.is_empty(), "{args:?}");
    }
    // What the examples' README says each one is.
    let o = run_in(&r, &["validate".into(), ex("town-budget.toml")]);
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.contains("4 actors, 1 issues") && s.contains("lenses: spatial, voting"),
        "{s}"
    );
    let o = run_in(&r, &["forecast".into(), ex("ktab/SOE-Policy.csv")]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("26 actors"));
    // Every example file is mentioned in examples/README.md.
    let readme = std::fs::read_to_string(r.join("examples/README.md")).unwrap();
    for f in [
        "town-budget.toml",
        "ktab/SOE-Policy.csv",
        "prisoners-dilemma.gmcr",
        "genius/holiday/",
    ] {
        assert!(readme.contains(f), "{f}");
    }
}

#[test]
fn every_command_of_the_readme_tour_exits_0() {
    let r = root();
    let readme = std::fs::read_to_string(r.join("README.md")).unwrap();
    let cmds = tour_commands(&readme);
    assert!(cmds.len() >= 15, "the tour went missing: {cmds:?}");
    // Run in a scratch directory (report.html, results/ land there); paths
    // into examples/ are the checkout's.
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tour");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    let mut ran = 0;
    for cmd in cmds {
        // The workbench serves until stopped; it has its own tests.
        if cmd[0] == "serve" {
            continue;
        }
        let args: Vec<String> = cmd
            .iter()
            .map(|a| match a.strip_prefix("examples/") {
                Some(rest) => r.join("examples").join(rest).display().to_string(),
                None => a.clone(),
            })
            .collect();
        for a in &args {
            assert!(
                !a.contains("my-") && !a.contains("path/to"),
                "a placeholder in the tour: {cmd:?}"
            );
        }
        let o = run_in(&scratch, &args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "negotium {}: {}",
            cmd.join(" "),
            String::from_utf8_lossy(&o.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 15);
    assert!(scratch.join("report.html").exists());
}
