//! Behaviour of the typed API and the registry: reference values computed
//! independently (published equilibria, exact power fractions), parameter
//! parsing and its errors, error kinds and exit codes, tidy tables.

use std::path::PathBuf;

use negotium_analysis::conflict::{self, ConflictModel, ConflictParams};
use negotium_analysis::forecast::{self, ForecastParams, ALL_MODELS};
use negotium_analysis::power::{self, PowerParams};
use negotium_analysis::registry::{self, ParamKind};
use negotium_analysis::vote::{self, VoteParams};
use negotium_analysis::AnalysisError;
use negotium_scenario::Loaded;
use serde_json::{json, Value};

fn kosovo() -> Loaded {
    negotium_scenario::resolve("kosovo-status").unwrap()
}

fn gmcr(name: &str) -> Result<ConflictModel, AnalysisError> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../negotium-conflict/fixtures")
        .join(name);
    ConflictModel::from_gmcr(&std::fs::read_to_string(&path).unwrap(), name)
}

/// `--partition` on Kosovo gives all six concepts, and their equilibria
/// keep the relations that hold bloc by bloc: a state Nash-stable for a
/// bloc (no improvement) is stable under every concept; SMR and SEQ
/// stability imply GMR stability; a bloc both SEQ- and SIM-stable is
/// SEQ&SIM-stable.
#[test]
fn kosovo_partition_has_every_concept_and_their_relations_hold() {
    let p = ConflictParams {
        partition: Some("USA+EU,SRB,KOS,RUS".into()),
        ..ConflictParams::default()
    };
    let r = conflict::run(&kosovo(), &p).unwrap();
    let eq = &r.partition.as_ref().unwrap().equilibria;
    let keys: Vec<&str> = eq.keys().map(String::as_str).collect();
    assert_eq!(keys, ["gmr", "nash", "seq", "seq_sim", "sim", "smr"]);
    let set = |k: &str| {
        eq[k]
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<usize>>()
    };
    let (nash, gmr) = (set("nash"), set("gmr"));
    for k in ["gmr", "smr", "seq", "sim", "seq_sim"] {
        assert!(nash.is_subset(&set(k)), "nash ⊄ {k}");
    }
    assert!(set("smr").is_subset(&gmr) && set("seq").is_subset(&gmr));
    let both = set("seq_sim");
    assert!(set("seq")
        .intersection(&set("sim"))
        .all(|s| both.contains(s)));
    assert!(!set("sim").is_empty());
    // The historical end state (101) stays an equilibrium with the West as one bloc.
    assert!(both.contains(&101), "{both:?}");
}

#[test]
fn syria_iraq_equilibria_match_the_gmcr_plus_handout() {
    let r = conflict::run_model(
        &gmcr("syria_iraq.gmcr").unwrap(),
        &ConflictParams::default(),
    )
    .unwrap();
    let js = serde_json::to_value(&r).unwrap();
    assert_eq!(js["dms"][0]["name"], "Syria");
    assert_eq!(js["options"].as_array().unwrap().len(), 3);
    assert_eq!(
        js["states"][1],
        json!({"number": 2, "decimal": 1, "pattern": "YNN"})
    );
    // Reference equilibria (GMCR+ handout, research notes §3.3).
    assert_eq!(js["equilibria"]["nash"], json!([6]));
    assert_eq!(js["equilibria"]["gmr"], json!([1, 6]));
    assert_eq!(js["equilibria"]["smr"], json!([6]));
    assert_eq!(js["equilibria"]["seq"], json!([6]));
    assert_eq!(js["equilibria"]["sim"], json!([6]));
    assert_eq!(js["stability"]["gmr"]["Iraq"], json!([1, 2, 4, 5, 6]));
    assert_eq!(js["stability"]["nash"]["Syria"], json!([1, 6]));
}

#[test]
fn states_are_given_as_numbers_or_formulas() {
    let m = gmcr("syria_iraq.gmcr").unwrap();
    let at = |t: &str| {
        let p = ConflictParams {
            status_quo: Some(t.into()),
            ..Default::default()
        };
        conflict::run_model(&m, &p).map(|r| r.status_quo.unwrap().start)
    };
    assert_eq!(at("6").unwrap(), 6);
    assert_eq!(at("!o1 & o2 & o3").unwrap(), 6);
    assert_eq!(at("NYY").unwrap(), 6);
    let e = at("o3").unwrap_err();
    assert_eq!(e.param_name(), Some("status_quo"));
    assert!(e.to_string().contains("names 3 feasible states"), "{e}");
    let e = at("9").unwrap_err().to_string();
    assert!(e.contains("state 9 does not exist"), "{e}");
}

#[test]
fn a_bad_gmcr_file_is_bad_input_with_its_json_path() {
    let e = gmcr("bad_option_index.gmcr").unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(
        e.to_string().contains("$.options[1].permittedDirection"),
        "{e}"
    );
}

#[test]
fn unsc_power_is_exact_and_sums_to_one() {
    let r = power::run(&kosovo(), &PowerParams::default()).unwrap();
    let unsc = &r.institutions[0];
    assert_eq!(unsc.institution, "unsc");
    assert_eq!(unsc.total_coalitions.to_string(), "32768");
    assert_eq!(unsc.winning_coalitions.as_ref().unwrap().to_string(), "848");
    // 421/2145: a permanent member's Shapley–Shubik value (Straffin 1993).
    assert_eq!(unsc.exact["shapley_shubik"]["RUS"], "421/2145");
    let total: f64 = unsc.indices["shapley_shubik"].values().sum();
    assert!((total - 1.0).abs() < 1e-12);
    // Power to act = winning / all coalitions, independently: 848/32768 = 53/2048.
    assert_eq!(unsc.power_to_act_exact.as_deref(), Some("53/2048"));
    let unga = r
        .recorded_votes
        .as_ref()
        .unwrap()
        .iter()
        .find(|v| v.body == "unga")
        .unwrap();
    assert_eq!(unga.verdict.as_deref(), Some("passes"));
}

#[test]
fn eu_council_power_is_exact_for_27_members() {
    let s = negotium_scenario::resolve("eu-council-2025").unwrap();
    let r = power::run(&s, &PowerParams::default()).unwrap();
    let inst = &r.institutions[0];
    assert_eq!(inst.members.len(), 27);
    assert_eq!(
        inst.winning_coalitions.as_ref().unwrap().to_string(),
        "17729938"
    );
    let ss = &inst.indices["shapley_shubik"];
    assert!((ss.values().sum::<f64>() - 1.0).abs() < 1e-12);
    assert!(ss["DEU"] > ss["FRA"]);
    assert!(inst.methods["johnston"].starts_with("exact"));
}

#[test]
fn the_ahtisaari_draft_is_blocked_by_computed_vetoes() {
    let p = VoteParams {
        institution: Some("unsc".into()),
        ..VoteParams::new(75.0)
    };
    let r = vote::run(&kosovo(), &p).unwrap();
    assert!(!r.passes);
    assert!(
        r.vetoed_by.contains(&"RUS".to_string()),
        "{:?}",
        r.vetoed_by
    );
    assert_eq!(r.votes["RUS"], "no");
    assert_eq!(r.votes["USA"], "yes");
    assert_eq!(r.votes["Ghana"], "abstain");
    assert!(r.without_position.contains(&"Ghana".to_string()));
    // The reason is computed from the stances: move Russia and China to the
    // proposal and the same draft no longer meets a veto.
    let mut k2 = kosovo();
    for st in k2.scenario.inputs.stances.iter_mut() {
        if (st.actor == "RUS" || st.actor == "CHN") && st.issue == "status" {
            st.position = 75.0;
        }
    }
    assert!(vote::run(&k2, &p).unwrap().vetoed_by.is_empty());
}

#[test]
fn errors_name_their_parameter_and_kind() {
    let k = kosovo();
    let e = forecast::run(
        &k,
        &ForecastParams {
            model: vec!["oracle".into()],
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.param_name(), Some("model"));
    assert_eq!(e.exit_code(), 2);
    assert!(
        e.to_string().starts_with("model: unknown model `oracle`"),
        "{e}"
    );
    // A size above a cap is a limit (exit code 3), with the value and the cap.
    let e = forecast::run(
        &k,
        &ForecastParams {
            rounds: Some(20_000),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.exit_code(), 3);
    assert_eq!(e.to_string(), "rounds: 20000 is above the limit of 10000");
    let e = power::run(
        &k,
        &PowerParams {
            samples: 1_000_000_000,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(matches!(e, AnalysisError::Limit { .. }), "{e:?}");
    // A model above the engine's size limit is a limit too.
    let g = negotium_analysis::power::QuickGame {
        quota: vec![200.0],
        weights: vec![vec!["1"; 300].join(",")],
        ..Default::default()
    };
    let p = PowerParams {
        method: "enumerate".into(),
        ..Default::default()
    };
    let e = power::run_game(&g, &p).unwrap_err();
    assert_eq!(e.exit_code(), 3, "{e}");
    assert!(e.to_string().contains("300"), "{e}");
}

#[test]
fn json_params_read_like_flags() {
    let p: ForecastParams = registry::parse_params(
        &json!({"model": ["median", "eum"], "rounds": 4, "seed": 9, "joint": true}),
    )
    .unwrap();
    assert_eq!(p.model, ["median", "eum"]);
    assert_eq!(p.rounds, Some(4));
    assert_eq!((p.seed, p.joint), (9, true));
    let p: ForecastParams =
        registry::parse_params(&json!({"models": "median, nash", "rounds": "3"})).unwrap();
    assert_eq!((p.model.len(), p.rounds), (2, Some(3)));
    let d: ForecastParams = registry::parse_params(&Value::Null).unwrap();
    assert_eq!(d.model.join(","), ALL_MODELS.join(","));
    let e = registry::parse_params::<ForecastParams>(&json!({"colour": 1})).unwrap_err();
    assert!(e.to_string().contains("unknown field `colour`"), "{e}");
    let e = registry::parse_params::<ForecastParams>(&json!({"rounds": "x"})).unwrap_err();
    assert_eq!(e.param_name(), Some("params.rounds"));
    let e = registry::parse_params::<ForecastParams>(&json!([1])).unwrap_err();
    assert_eq!(e.to_string(), "params: expected a JSON object");
    let e = registry::parse_params::<VoteParams>(&json!({})).unwrap_err();
    assert!(e.to_string().contains("missing field `proposal`"), "{e}");
    let p: PowerParams =
        registry::parse_params(&json!({"indices": "ss,bz", "institution": ""})).unwrap();
    assert_eq!((p.index.len(), p.institution), (2, None));
}

#[test]
fn registry_runs_every_lens_and_names_bad_params() {
    let k = kosovo();
    let params = |lens: &str| match lens {
        "vote" => json!({"proposal": 75, "institution": "unsc"}),
        "tournament" => json!({"strategies": "boulware,conceder", "steps": 20}),
        "sweep" => json!({"draws": 20, "issue": "status"}),
        "advise" => json!({"actor": "SRB", "issue": "status", "grid": 5}),
        _ => Value::Null,
    };
    for lens in registry::LENSES {
        let r = registry::run(lens, &k, &params(lens)).unwrap_or_else(|e| panic!("{lens}: {e}"));
        assert!(r.result.is_object(), "{lens}");
        assert!(
            !registry::key_numbers(lens, &r.result).is_empty(),
            "{lens}: no key numbers"
        );
        if let Some(t) = registry::table(lens, &r.result) {
            assert!(!t.rows.is_empty(), "{lens}");
            assert!(
                t.rows.iter().all(|r| r.len() == t.header.len()),
                "{lens}: ragged rows"
            );
        }
    }
    let e = registry::run_json("forecast", &k, &json!({"issue": "nope"})).unwrap_err();
    assert_eq!(e.param_name(), Some("params.issue"));
    assert!(registry::run_json("nope", &k, &Value::Null).is_err());
    let f = registry::run("forecast", &k, &json!({"model": "median", "seed": "5"})).unwrap();
    assert_eq!(f.seed, Some(5));
    let t = registry::table("forecast", &f.result).unwrap();
    // One row per issue and model, carrying the forecast.
    assert_eq!(t.rows.len(), k.scenario.inputs.issues.len());
    let status = t.rows.iter().find(|r| r[0] == "status").unwrap();
    let kn = registry::key_numbers("forecast", &f.result);
    assert_eq!(
        status[2].parse::<f64>().unwrap(),
        kn["status.median.forecast"]
    );
    // Independently: the weighted-median forecast is one of the stated positions.
    assert!(k
        .scenario
        .inputs
        .stances
        .iter()
        .any(|s| s.issue == "status" && s.position == kn["status.median.forecast"]));
}

/// The forms' parameters are real parameters of each lens, with the lens's
/// own defaults, so a form can never send what the lens refuses.
#[test]
fn form_parameters_match_the_typed_parameters() {
    for info in registry::lenses() {
        let schema = serde_json::to_value(registry::params_schema(&info.id).unwrap()).unwrap();
        let props = schema["properties"].as_object().unwrap();
        for p in &info.params {
            let prop = props
                .get(&p.name)
                .unwrap_or_else(|| panic!("{}: no parameter `{}`", info.id, p.name));
            let default = &prop["default"];
            let same = match (&p.kind, default) {
                // Lists default to an array; the form shows it comma-joined.
                (_, Value::Array(xs)) => {
                    let joined = xs
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(",");
                    p.default == Value::Null && joined.is_empty() || p.default == json!(joined)
                }
                (ParamKind::Bool, _) => true, // a checkbox's initial state
                // No protocol runs SAO (the text output then compares both).
                _ if (info.id.as_str(), p.name.as_str()) == ("negotiate", "protocol") => {
                    p.default == json!("sao") && default.is_null()
                }
                (_, Value::Null) => p.default.is_null(),
                _ => &p.default == default || default.is_null() && p.default.is_null(),
            };
            assert!(
                same,
                "{}.{}: form default {} vs {}",
                info.id, p.name, p.default, default
            );
        }
    }
}
