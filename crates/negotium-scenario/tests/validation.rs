//! Data-driven checks of located errors: every file in `tests/invalid/`
//! starts with `# expect: LINE:COL: TEXT` (or `// expect:` for JSON/CSV on a
//! sidecar `.expect` file) and must fail with a diagnostic at that line and
//! column whose message contains TEXT.

use std::path::Path;

use negotium_scenario::{load_path, load_str, Format, ScenarioError};

fn expectation(path: &Path, src: &str) -> (usize, usize, String) {
    let side = path.with_extension(format!(
        "{}.expect",
        path.extension().unwrap().to_str().unwrap()
    ));
    let line = if side.exists() {
        std::fs::read_to_string(&side).unwrap()
    } else {
        src.lines().next().unwrap().to_string()
    };
    let rest = line
        .trim()
        .trim_start_matches('#')
        .trim()
        .strip_prefix("expect:")
        .unwrap_or_else(|| panic!("{}: no `expect:` line", path.display()))
        .trim()
        .to_string();
    let mut it = rest.splitn(3, ':');
    let l = it.next().unwrap().trim().parse().unwrap();
    let c = it.next().unwrap().trim().parse().unwrap();
    (l, c, it.next().unwrap().trim().to_string())
}

#[test]
fn every_invalid_fixture_fails_at_its_location() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid");
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.extension().and_then(|e| e.to_str()) == Some("expect") {
            continue;
        }
        n += 1;
        let src = std::fs::read_to_string(&path).unwrap();
        let (line, col, text) = expectation(&path, &src);
        let err = load_path(&path).expect_err(&format!("{} should be rejected", path.display()));
        let diags = err.diagnostics();
        assert!(
            !diags.is_empty(),
            "{}: expected located diagnostics, got {err}",
            path.display()
        );
        let hit = diags
            .iter()
            .any(|d| d.line == Some(line) && d.column == Some(col) && d.message.contains(&text));
        assert!(
            hit,
            "{}: expected a diagnostic at {line}:{col} containing {text:?}, got:\n{}",
            path.display(),
            diags
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
        // Every diagnostic names the file.
        assert!(diags.iter().all(|d| d.file == path.display().to_string()));
    }
    assert!(n >= 15, "expected the full fixture set, found {n}");
}

#[test]
fn the_minimal_valid_file_loads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/valid-minimal.toml");
    let l = load_path(&path).unwrap();
    assert_eq!(l.scenario.inputs.actors.len(), 2);
    assert_eq!(l.scenario.inputs.stances[1].position, 90.0);
}

#[test]
fn all_problems_are_reported_not_just_the_first() {
    let src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/valid-minimal.toml"),
    )
    .unwrap()
    .replace("position = 10", "position = -3")
    .replace("salience = 1.0", "salience = 2.0");
    let err = load_str(&src, "two.toml", Format::Toml).unwrap_err();
    assert!(
        matches!(err, ScenarioError::Invalid(ref d) if d.len() == 2),
        "{err}"
    );
}

/// The same structure in JSON: semantic problems are located by JSON path,
/// syntax problems by line and column.
#[test]
fn json_errors_name_the_json_path() {
    let toml_src = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/valid-minimal.toml"),
    )
    .unwrap();
    let v: toml::Value = toml::from_str(&toml_src).unwrap();
    let mut json = serde_json::to_value(&v).unwrap();
    let ok = load_str(&json.to_string(), "ok.json", Format::Json).unwrap();
    assert_eq!(ok.scenario.inputs.stances.len(), 2);

    json["stance"][1]["salience"] = serde_json::json!(1.5);
    let err = load_str(&json.to_string(), "bad.json", Format::Json).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(d.path.as_deref(), Some("$.stance[1].salience"));
    assert!(d.message.contains("outside [0, 1]"), "{d}");

    json["stance"][1]["salience"] = serde_json::json!(0.5);
    json["actor"][0]["power"] = serde_json::json!(3);
    let err = load_str(&json.to_string(), "unknown.json", Format::Json).unwrap_err();
    let d = &err.diagnostics()[0];
    assert!(d.message.contains("unknown field `power`"), "{d}");
    assert_eq!(d.path.as_deref(), Some("$.actor[0].power"), "{d}");
    assert_eq!(d.line, Some(1));

    let err = load_str(
        "{\n  \"scenario\": {\n    \"id\": \"t\",\n  }",
        "syntax.json",
        Format::Json,
    )
    .unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!((d.line, d.column), (Some(4), Some(3)), "{d}");
}

#[test]
fn toml_and_json_give_the_same_scenario() {
    for b in negotium_scenario::builtin::list() {
        let from_toml = negotium_scenario::resolve(b.id).unwrap().scenario;
        let json = serde_json::to_string(&from_toml).unwrap();
        let from_json = load_str(&json, "x.json", Format::Json).unwrap().scenario;
        assert_eq!(from_toml, from_json, "{}", b.id);
        let toml_again = toml::to_string(&from_toml).unwrap();
        let back = load_str(&toml_again, "x.toml", Format::Toml)
            .unwrap()
            .scenario;
        assert_eq!(from_toml, back, "{}", b.id);
    }
}

#[test]
fn unknown_scenario_names_the_builtins() {
    let err = negotium_scenario::resolve("no-such-scenario").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("kosovo-status") && msg.contains("emission-standards"),
        "{msg}"
    );
}

/// JSON has no spelling for NaN or infinity, and a number that overflows
/// `f64` is a syntax error at its line and column: no non-finite number gets
/// through the JSON route either.
#[test]
fn json_numbers_that_overflow_are_located_syntax_errors() {
    let src = "{\n  \"scenario\": {\"id\": \"t\", \"title\": \"T\"},\n  \"actor\": [{\"id\": \"A\", \"name\": \"A\", \"capability\": 1e999}]\n}";
    let err = load_str(src, "big.json", Format::Json).unwrap_err();
    let d = &err.diagnostics()[0];
    // serde_json points at the number's last digit, and names its path.
    assert_eq!((d.line, d.column), (Some(3), Some(56)), "{d}");
    assert_eq!(d.path.as_deref(), Some("$.actor[0].capability"), "{d}");
    assert!(d.message.contains("number out of range"), "{d}");
    for bad in ["NaN", "Infinity", "-Infinity"] {
        let src = src.replace("1e999", bad);
        let err = load_str(&src, "nan.json", Format::Json).unwrap_err();
        assert_eq!(err.diagnostics()[0].line, Some(3), "{bad}: {err}");
    }
}

fn minimal() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/valid-minimal.toml"))
        .unwrap()
}

fn lines_of(err: &ScenarioError) -> Vec<String> {
    err.diagnostics()
        .iter()
        .map(|d| {
            format!(
                "{}:{} {} {}",
                d.line.unwrap_or(0),
                d.column.unwrap_or(0),
                d.path.as_deref().unwrap_or("-"),
                d.message
            )
        })
        .collect()
}

/// serde stops at the first unknown or mistyped field; the loader reads
/// every section and element on its own, so one run lists them all.
#[test]
fn every_structural_problem_is_reported_in_one_run() {
    let src = minimal()
        .replace("capability = 10.0", "capability = 10.0\npower = 3")
        .replace("name = \"Beta\"", "name = 5\nrank = 1")
        .replace("salience = 0.5", "salience = \"high\"")
        .replace("[[issue]]", "[[issues]]");
    let err = load_str(&src, "s.toml", Format::Toml).unwrap_err();
    let got = lines_of(&err);
    assert_eq!(got.len(), 5, "{got:#?}");
    for want in [
        "9:1 actor[0].power unknown field `power`",
        "13:8 actor[1].name invalid type: integer `5`, expected a string",
        "14:1 actor[1].rank unknown field `rank`",
        "17:3 issues unknown field `issues` (did you mean `issue`?), expected one of `scenario`, `actor`, `issue`",
        "salience invalid type: string \"high\", expected f64",
    ] {
        assert!(got.iter().any(|g| g.contains(want)), "{want}\n{got:#?}");
    }
    // In file order.
    let lines: Vec<usize> = err.diagnostics().iter().map(|d| d.line.unwrap()).collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
}

/// A misspelt key is named with the key it is nearest to, is not also
/// reported as a missing field, and is read under that name so that the
/// semantic checks of the whole file still run.
#[test]
fn misspelt_keys_get_a_did_you_mean_and_the_checks_still_run() {
    let src = minimal()
        .replace("capability = 10.0", "capabilty = 10.0")
        .replace("actor = \"A\"", "actor = \"a\"");
    let err = load_str(&src, "t.toml", Format::Toml).unwrap_err();
    let got = lines_of(&err);
    assert!(
        got.iter().any(|g| g
            .contains("actor[0].capabilty unknown field `capabilty` (did you mean `capability`?)")),
        "{got:#?}"
    );
    assert!(!got.iter().any(|g| g.contains("missing field")), "{got:#?}");
    assert!(
        got.iter()
            .any(|g| g.contains("unknown actor `a` (did you mean `A`?)")),
        "{got:#?}"
    );
    // A word near nothing expected is only reported, not renamed.
    let src = minimal().replace("capability = 10.0", "zzzzzz = 10.0");
    let got = lines_of(&load_str(&src, "t.toml", Format::Toml).unwrap_err());
    assert!(
        got.iter().any(|g| g.contains("missing field `capability`")),
        "{got:#?}"
    );
    assert!(!got.iter().any(|g| g.contains("did you mean")), "{got:#?}");
}

/// When unknown keys are the only structural problems, the file is read
/// without them and the semantic checks run too: nothing waits for a second run.
#[test]
fn unknown_keys_and_semantic_problems_are_reported_together() {
    let src = minimal()
        .replace("capability = 5.0", "capability = 5.0\npower = 3")
        .replace("salience = 1.0", "salience = 2.0")
        .replace("actor = \"A\"", "actor = \"a\"");
    let err = load_str(&src, "m.toml", Format::Toml).unwrap_err();
    let got = lines_of(&err);
    for want in [
        "14:1 actor[1].power unknown field `power`",
        "stance[0].actor unknown actor `a` (did you mean `A`?)",
        "stance[1].salience salience 2 is outside [0, 1]",
    ] {
        assert!(got.iter().any(|g| g.contains(want)), "{want}\n{got:#?}");
    }
    // The same in JSON (paths instead of lines after the first).
    let mut v: serde_json::Value =
        serde_json::to_value(toml::from_str::<toml::Value>(&minimal()).unwrap()).unwrap();
    v["actor"][0]["power"] = serde_json::json!(1);
    v["actor"][1]["rank"] = serde_json::json!(2);
    v["stance"][1]["salience"] = serde_json::json!(3.0);
    let err = load_str(&v.to_string(), "m.json", Format::Json).unwrap_err();
    let paths: Vec<String> = err
        .diagnostics()
        .iter()
        .map(|d| d.path.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        paths,
        [
            "$.actor[0].power",
            "$.actor[1].rank",
            "$.stance[1].salience"
        ],
        "{err}"
    );
}

/// Every syntax error the TOML parser can find, not only the first.
#[test]
fn every_syntax_error_is_reported() {
    let src = "[scenario]\nid = \"x\"\ntitle = = 3\n[[actor]]\nid = \nname = \"a\"\n";
    let err = load_str(src, "syn.toml", Format::Toml).unwrap_err();
    let lines: Vec<usize> = err.diagnostics().iter().filter_map(|d| d.line).collect();
    assert!(lines.contains(&3) && lines.contains(&5), "{err}");
}

/// A non-finite number no longer hides the file's other problems.
#[test]
fn non_finite_numbers_and_other_problems_are_reported_together() {
    let src = minimal()
        .replace("capability = 10.0", "capability = nan")
        .replace("position = 90", "position = 900");
    let err = load_str(&src, "n.toml", Format::Toml).unwrap_err();
    let got = lines_of(&err);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got[0].starts_with("8:14 actor[0].capability `nan` is not a finite number"));
    assert!(got[1].contains("stance[1].position position 900 is outside"));
}

/// KTAB rows: every bad row and field, not just the first.
#[test]
fn every_bad_ktab_row_is_reported() {
    let src = "Test,desc,3,1,\nActor,Description,Power,Pos,Sal\nA,a,-5,50,50\nB,b,10,500,50\nC,c,10,x,50\n";
    let err = load_str(src, "k.csv", Format::KtabCsv).unwrap_err();
    let got: Vec<(Option<usize>, Option<usize>)> = err
        .diagnostics()
        .iter()
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(
        got,
        [(Some(3), Some(3)), (Some(4), Some(4)), (Some(5), Some(4))],
        "{err}"
    );
}

#[test]
fn a_misspelt_builtin_gets_a_suggestion() {
    let msg = negotium_scenario::resolve("kosovo-staus")
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("unknown scenario `kosovo-staus` (did you mean `kosovo-status`?)"),
        "{msg}"
    );
}
