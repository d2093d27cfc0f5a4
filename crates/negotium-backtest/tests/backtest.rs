//! Backtests on tiny files written for these tests: metrics against
//! hand-computed values, Council capabilities against an independent
//! brute-force Shapley–Shubik computation, scenario cases, probabilities.

use negotium_backtest::{
    cases_from_deu, cases_from_scenario, read_capability_file, run, score_probabilities, summarise,
    Capability, CouncilWeighting, LabelForecast, ModelRun, Regime,
};
use negotium_scenario::deu::read_str;
use negotium_spatial::{ExchangeOptions, ModelSpec};

const DEU: &str = "\
prnr;isnr;finact;pcom;pep;pde;pfr;scom;sep;sde;sfr;rp;out
P1;1;12-06-00;10;60;80;;100;50;50;;0;40
P1;2;12-06-00;0;100;100;;50;50;100;;0;70
P2;1;03-03-03;20;40;90;30;100;100;100;100;;25
P3;1;03-03-03;20;40;90;30;100;100;100;100;;
";

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn models() -> Vec<ModelRun> {
    vec![
        ModelRun::new(ModelSpec::Median),
        ModelRun::new(ModelSpec::Compromise),
        ModelRun::new(ModelSpec::Exchange(ExchangeOptions::default())),
    ]
}

#[test]
fn metrics_match_hand_computed_values_with_equal_capabilities() {
    let f = read_str(DEU, "tiny.csv").unwrap();
    let cases = cases_from_deu(&f, &Capability::Equal).unwrap();
    assert_eq!(cases.issues(), 3);
    assert_eq!(cases.groups.len(), 2, "P1 (two issues) and P2");
    assert_eq!(cases.unscored.len(), 1);
    assert_eq!(cases.unscored[0].source, "tiny.csv:5");
    assert_eq!(cases.unscored[0].reason, "no outcome");
    let r = run(&cases, &models()).unwrap();
    // Compromise (c = 1, s/100): P1/1 (10·1 + 60·.5 + 80·.5)/2 = 40, error 0;
    // P1/2 (0·.5 + 100·.5 + 100·1)/2 = 75, error 5; P2/1 (20+40+90+30)/4 = 45,
    // error 20.
    let c = r.models.iter().find(|m| m.model == "compromise").unwrap();
    assert_eq!(c.issues, 3);
    assert!(close(c.mae, 25.0 / 3.0));
    assert!(close(c.rmse, (425.0f64 / 3.0).sqrt()));
    assert!(close(c.median_error, 5.0));
    assert!(close(c.within_10, 2.0 / 3.0));
    // Weighted (lower) median: 10 (error 30), 100 (error 30), 30 (error 5).
    let m = r.models.iter().find(|m| m.model == "median").unwrap();
    assert!(close(m.mae, 65.0 / 3.0));
    assert!(close(m.rmse, (1825.0f64 / 3.0).sqrt()));
    assert!(close(m.median_error, 30.0));
    assert!(close(m.within_10, 1.0 / 3.0));
    // The exchange model on P2 (one issue) cannot trade: the weighted mean.
    let p2 = r.issues.iter().find(|i| i.id == "P2/1").unwrap();
    let ex = p2.forecasts.iter().find(|f| f.model == "exchange").unwrap();
    assert!(close(ex.forecast, 45.0));
    assert_eq!(r.issues[0].source, "tiny.csv:2");
    let json = serde_json::to_value(&r).unwrap();
    for key in [
        "model",
        "issues",
        "mae",
        "rmse",
        "median_error",
        "within_10",
    ] {
        assert!(json["models"][0].get(key).is_some(), "models[].{key}");
    }
    assert!(json["models"][0].get("brier").is_none());
}

#[test]
fn summary_of_an_even_count_takes_the_middle_pair() {
    let s = summarise(&[1.0, 4.0, 12.0, 3.0]).unwrap();
    assert!(close(s.median_error, 3.5));
    assert!(close(s.mae, 5.0));
    assert!(close(s.within_10, 0.75));
    assert!(summarise(&[]).is_none());
}

/// Shapley–Shubik by brute force: for each member, every coalition of the
/// others that loses alone and wins with the member, weighted
/// |S|!(n−|S|−1)!/n!.
fn brute_force_ss(weights: &[u64], quota: u64) -> Vec<f64> {
    let n = weights.len();
    let fact: Vec<f64> = (0..=n)
        .scan(1.0, |f, k| {
            if k > 0 {
                *f *= k as f64;
            }
            Some(*f)
        })
        .collect();
    (0..n)
        .map(|i| {
            let others: Vec<usize> = (0..n).filter(|&k| k != i).collect();
            let mut v = 0.0;
            for mask in 0u32..(1 << others.len()) {
                let w: u64 = others
                    .iter()
                    .enumerate()
                    .filter(|(b, _)| mask >> b & 1 == 1)
                    .map(|(_, &k)| weights[k])
                    .sum();
                if w < quota && w + weights[i] >= quota {
                    let s = mask.count_ones() as usize;
                    v += fact[s] * fact[n - s - 1] / fact[n];
                }
            }
            v
        })
        .collect()
}

#[test]
fn eu15_council_power_matches_a_brute_force_shapley_shubik() {
    let regime = Regime::Eu15;
    let w = regime.weights();
    assert_eq!(w.iter().map(|x| x.1).sum::<u64>(), 87);
    let ss = regime.shapley_shubik().unwrap();
    let bf = brute_force_ss(&w.iter().map(|x| x.1).collect::<Vec<_>>(), 62);
    for ((code, _), want) in w.iter().zip(&bf) {
        assert!(
            (ss[code] - want).abs() < 1e-12,
            "{code}: {} vs {want}",
            ss[code]
        );
    }
    assert!(close(ss.values().sum::<f64>(), 1.0));
}

#[test]
fn nice_regimes_have_the_treaty_totals_and_a_sensible_order() {
    let totals: Vec<u64> = [Regime::NiceEu25, Regime::NiceEu27, Regime::NiceEu28]
        .iter()
        .map(|r| r.weights().iter().map(|x| x.1).sum())
        .collect();
    assert_eq!(totals, [321, 345, 352]);
    let ss = Regime::NiceEu27.shapley_shubik().unwrap();
    assert!(close(ss.values().sum::<f64>(), 1.0));
    assert!(ss["de"] > ss["es"] && ss["es"] > ss["ro"] && ss["ro"] > ss["nl"]);
    assert!(ss["nl"] > ss["be"] && ss["lu"] > ss["mt"]);
    assert!(close(ss["de"], ss["uk"]));
    let date = |s| negotium_scenario::deu::Date::parse(s).unwrap();
    assert_eq!(Regime::at(date("30-04-04")), Regime::Eu15);
    assert_eq!(Regime::at(date("01-05-04")), Regime::NiceEu25);
    assert_eq!(Regime::at(date("01-01-07")), Regime::NiceEu27);
    assert_eq!(Regime::at(date("2016-06-01")), Regime::NiceEu28);
}

#[test]
fn shapley_shubik_capabilities_follow_the_adoption_date() {
    let f = read_str(DEU, "tiny.csv").unwrap();
    let cap = Capability::ShapleyShubik(CouncilWeighting {
        commission: 1.0,
        parliament: 0.5,
    });
    let cases = cases_from_deu(&f, &cap).unwrap();
    let eu15 = Regime::Eu15.shapley_shubik().unwrap();
    let p1 = &cases.groups[0].issues[0].problem;
    assert_eq!(p1.actors(), ["com", "ep", "de"]);
    let c = p1.capability();
    assert!(close(c[0], eu15["de"]) && close(c[1], 0.5 * eu15["de"]) && close(c[2], eu15["de"]));
    assert!(cases.notes.iter().any(|n| n.contains("EU-15 (62 of 87)")));
    // Romania in a 2005 act is not a member of Nice EU-25: located error.
    let bad = "prnr;finact;pcom;pro;pde;scom;sro;sde;out\nX;01-06-05;10;20;30;50;50;50;40\n";
    let f = read_str(bad, "ro.csv").unwrap();
    let e = cases_from_deu(&f, &cap).unwrap_err().to_string();
    assert_eq!(
        e,
        "ro.csv:2: actor `ro`: not `com`, `ep` or a member state of Nice EU-25 (232 of 321, \
         13 members) (in force on 2005-06-01)"
    );
    let undated = "prnr;pcom;pep;pde;scom;sep;sde;out\nX;10;20;30;50;50;50;40\n";
    let f = read_str(undated, "u.csv").unwrap();
    let e = cases_from_deu(&f, &cap).unwrap_err().to_string();
    assert!(e.starts_with("u.csv:2: actor `com`: no adoption"), "{e}");
}

#[test]
fn capability_files_are_parsed_with_located_errors() {
    let cap = read_capability_file("# DEU actors\ncom;3\nEP, 1.5\nde 2\n", "caps.txt").unwrap();
    let f = read_str(DEU, "tiny.csv").unwrap();
    let e = cases_from_deu(&f, &cap).unwrap_err().to_string();
    assert_eq!(
        e,
        "tiny.csv:4: actor `fr`: no capability for this actor in caps.txt"
    );
    let cap = read_capability_file("com;3\nep;1.5\nde;2\nfr;1\n", "caps.txt").unwrap();
    let cases = cases_from_deu(&f, &cap).unwrap();
    assert_eq!(
        cases.groups[0].issues[0].problem.capability(),
        [3.0, 1.5, 2.0]
    );
    for (text, want) in [
        ("com;x\n", "caps.txt:1: capability `x` is not a number"),
        (
            "com;1\n\nde;-2\n",
            "caps.txt:3: capability must be finite and ≥ 0, got -2",
        ),
        (
            "com;1;2\n",
            "caps.txt:1: expected `actor capability`, got 3 field(s)",
        ),
        ("de;1\nDE;2\n", "caps.txt:2: actor `de` is listed twice"),
    ] {
        assert_eq!(
            read_capability_file(text, "caps.txt")
                .unwrap_err()
                .to_string(),
            want
        );
    }
}

const SCENARIO: &str = r#"
[scenario]
id = "tiny"
title = "Tiny backtest scenario"

[[issue]]
id = "x"
name = "X"
min = 0.0
max = 10.0

[[issue]]
id = "y"
name = "Y"
min = 0.0
max = 100.0

[[actor]]
id = "a"
name = "A"
capability = 2.0
[[actor]]
id = "b"
name = "B"
capability = 1.0
[[actor]]
id = "c"
name = "C"
capability = 1.0

[[stance]]
actor = "a"
issue = "x"
position = 0.0
salience = 1.0
[[stance]]
actor = "b"
issue = "x"
position = 5.0
salience = 1.0
[[stance]]
actor = "c"
issue = "x"
position = 10.0
salience = 1.0
[[stance]]
actor = "a"
issue = "y"
position = 0.0
salience = 1.0
[[stance]]
actor = "b"
issue = "y"
position = 50.0
salience = 0.5

[outcome]
[[outcome.result]]
issue = "x"
value = 4.0
[[outcome.result]]
issue = "y"
value = 0.0
"#;

#[test]
fn scenario_files_with_an_outcome_become_cases_scaled_to_0_100() {
    let loaded =
        negotium_scenario::load_str(SCENARIO, "tiny.toml", negotium_scenario::Format::Toml)
            .unwrap();
    let cases = cases_from_scenario(&loaded.scenario, "tiny.toml", None).unwrap();
    assert_eq!(cases.issues(), 1);
    assert_eq!(cases.unscored.len(), 1);
    assert_eq!(cases.unscored[0].source, "tiny.toml#y");
    assert_eq!(cases.unscored[0].reason, "2 actor(s) with a stance, need 3");
    let r = run(&cases, &[ModelRun::new(ModelSpec::Compromise)]).unwrap();
    // (2·0 + 5 + 10)/4 = 3.75 on 0–10; error 0.25 → 2.5 on 0–100.
    assert!(close(r.issues[0].forecasts[0].forecast, 3.75));
    assert!(close(r.models[0].mae, 2.5));
    // Equal capabilities override the scenario's: (0 + 5 + 10)/3 = 5, error 10.
    let cases =
        cases_from_scenario(&loaded.scenario, "tiny.toml", Some(&Capability::Equal)).unwrap();
    let r = run(&cases, &[ModelRun::new(ModelSpec::Compromise)]).unwrap();
    assert!(close(r.models[0].mae, 10.0));
    assert!(close(r.models[0].within_10, 1.0));
    let e = cases_from_scenario(
        &loaded.scenario,
        "tiny.toml",
        Some(&Capability::ShapleyShubik(Default::default())),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("DEU data only"), "{e}");
}

#[test]
fn brier_score_and_calibration_by_hand() {
    let f = vec![
        LabelForecast {
            issue: "a".into(),
            probabilities: vec![0.7, 0.3],
            actual: 0,
        },
        LabelForecast {
            issue: "b".into(),
            probabilities: vec![0.2, 0.8],
            actual: 0,
        },
    ];
    // (0.3² + 0.3² + 0.8² + 0.8²) / 2 = (0.18 + 1.28) / 2
    let s = score_probabilities(&f, 10).unwrap();
    assert!(close(s.brier, 0.73));
    let bins: Vec<(usize, f64, f64)> = s
        .calibration
        .iter()
        .map(|b| {
            (
                (b.lower * 10.0).round() as usize,
                b.mean_probability,
                b.observed,
            )
        })
        .collect();
    assert_eq!(
        bins,
        [(2, 0.2, 1.0), (3, 0.3, 0.0), (7, 0.7, 1.0), (8, 0.8, 0.0)]
    );
    let bad = vec![LabelForecast {
        issue: "c".into(),
        probabilities: vec![0.7, 0.7],
        actual: 0,
    }];
    assert!(score_probabilities(&bad, 10)
        .unwrap_err()
        .to_string()
        .contains("summing to 1"));
    let d = read_str(DEU, "tiny.csv").unwrap();
    let mut r = run(
        &cases_from_deu(&d, &Capability::Equal).unwrap(),
        &[ModelRun::new(ModelSpec::Compromise)],
    )
    .unwrap();
    r.attach_probabilities("compromise", &f, 10).unwrap();
    assert!(close(r.models[0].brier.unwrap(), 0.73));
    assert!(r.attach_probabilities("smp", &f, 10).is_err());
}

#[test]
fn a_directory_of_scenarios_is_read_in_name_order() {
    let dir = std::env::temp_dir().join(format!("negotium-backtest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("b.toml"), SCENARIO).unwrap();
    let no_outcome = SCENARIO
        .split("[outcome]")
        .next()
        .unwrap()
        .replace("id = \"tiny\"", "id = \"plain\"");
    std::fs::write(dir.join("a.toml"), no_outcome).unwrap();
    std::fs::write(dir.join("notes.txt"), "not a scenario").unwrap();
    let cases = negotium_backtest::cases_from_dir(&dir, None).unwrap();
    assert_eq!(cases.issues(), 1);
    let reasons: Vec<&str> = cases.unscored.iter().map(|u| u.reason.as_str()).collect();
    assert_eq!(
        reasons,
        ["no [outcome]", "2 actor(s) with a stance, need 3"]
    );
    std::fs::write(dir.join("c.toml"), "[scenario]\nid = 3\n").unwrap();
    let e = negotium_backtest::cases_from_dir(&dir, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("c.toml"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
