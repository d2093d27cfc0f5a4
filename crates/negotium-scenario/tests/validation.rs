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
