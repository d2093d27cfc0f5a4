//! The advise lens against independent computations: the compromise
//! model's forecast is Σ c·s·x / Σ c·s, so the best own move on the grid
//! and each persuasion gain are recomputed here from that formula alone.

use negotium_analysis::advise::{self, AdviseParams};
use negotium_analysis::AnalysisError;

const SCENARIO: &str = r#"
[scenario]
id = "t"
title = "Test"

[[actor]]
id = "A"
name = "Alpha"
capability = 10.0

[[actor]]
id = "B"
name = "Beta"
capability = 30.0

[[actor]]
id = "C"
name = "Gamma"
capability = 20.0

[[issue]]
id = "x"
name = "X"
min = 0.0
max = 100.0

[[stance]]
actor = "A"
issue = "x"
position = 20.0
salience = 0.5
position_range = [10.0, 40.0]

[[stance]]
actor = "B"
issue = "x"
position = 80.0
salience = 1.0

[[stance]]
actor = "C"
issue = "x"
position = 60.0
salience = 0.4
"#;

fn compromise(a: (f64, f64, f64), others: &[(f64, f64, f64)]) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for &(c, s, x) in std::iter::once(&a).chain(others) {
        num += c * s * x;
        den += c * s;
    }
    num / den
}

#[test]
fn compromise_advice_matches_the_formula_on_the_grid() {
    let loaded =
        negotium_scenario::load_str(SCENARIO, "t.toml", negotium_scenario::Format::Toml).unwrap();
    let p = AdviseParams {
        model: vec!["compromise".into()],
        grid: 7,
        ..AdviseParams::new("A")
    };
    let r = advise::run(&loaded, &p).unwrap();
    let is = &r.issues[0];
    assert_eq!(is.position_range, [10.0, 40.0]);
    assert_eq!(is.salience_range, [0.0, 1.0]);
    let m = &is.models[0];
    let others = [(30.0, 1.0, 80.0), (20.0, 0.4, 60.0)];
    let f0 = compromise((10.0, 0.5, 20.0), &others);
    assert!((m.forecast - f0).abs() < 1e-9);
    // Brute force over the same grid: positions 10, 15, …, 40 (+ 20),
    // saliences 0, 0.2, …, 1 (+ 0.5).
    let mut best = (f64::INFINITY, 0.0, 0.0);
    for k in 0..7 {
        let x = 10.0 + 5.0 * k as f64;
        for j in 0..6 {
            let s = 0.2 * j as f64;
            let d = (compromise((10.0, s, x), &others) - 20.0).abs();
            if d < best.0 - 1e-9 {
                best = (d, x, s);
            }
        }
    }
    let b = m.best.as_ref().unwrap();
    assert!((b.distance - best.0).abs() < 1e-9, "{b:?} vs {best:?}");
    assert_eq!((b.position, b.salience), (best.1, best.2));
    assert_eq!(
        (b.position, b.salience),
        (10.0, 1.0),
        "lowest position, most salience"
    );
    assert!((b.gain - ((f0 - 20.0).abs() - best.0)).abs() < 1e-9);
    // Persuasion: B moved to 20 helps more than C (heavier c·s).
    let gb = (f0 - 20.0).abs()
        - (compromise((10.0, 0.5, 20.0), &[(30.0, 1.0, 20.0), (20.0, 0.4, 60.0)]) - 20.0).abs();
    assert_eq!(m.persuade[0].actor, "B");
    assert!((m.persuade[0].gain - gb).abs() < 1e-9);
    assert_eq!(m.persuade.len(), 2);
    assert!(
        m.advice[0].contains("advocating 10 (instead of 20)"),
        "{:?}",
        m.advice
    );
}

#[test]
fn unknown_actor_and_issue_are_named() {
    let loaded =
        negotium_scenario::load_str(SCENARIO, "t.toml", negotium_scenario::Format::Toml).unwrap();
    let e = advise::run(&loaded, &AdviseParams::new("Z")).unwrap_err();
    assert!(matches!(e, AnalysisError::BadInput { .. }));
    assert_eq!(e.param_name(), Some("actor"));
    let p = AdviseParams {
        issue: vec!["y".into()],
        ..AdviseParams::new("A")
    };
    assert_eq!(
        advise::run(&loaded, &p).unwrap_err().param_name(),
        Some("issue")
    );
    let p = AdviseParams {
        grid: 1000,
        ..AdviseParams::new("A")
    };
    assert_eq!(advise::run(&loaded, &p).unwrap_err().exit_code(), 3);
}
