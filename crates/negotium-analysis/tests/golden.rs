//! Golden JSON contracts: each lens's result on built-in scenarios and on
//! the repository's fixtures (gmcr-py `.gmcr` models, GENIUS domains, a KTAB
//! CSV), as insta snapshots. The snapshots were checked against the output
//! of the `negotium … --json` commands before the lenses moved into this
//! crate (identical but for the fields added since, listed in docs/api.md),
//! so a change to any contract shows up here as a diff to review.

use std::path::PathBuf;

use negotium_analysis::advise;
use negotium_analysis::bargaining::{BargainingProblem, ProtocolName};
use negotium_analysis::conflict::{self, ConflictModel, ConflictParams};
use negotium_analysis::forecast::{self, ForecastParams};
use negotium_analysis::history::{self, HistoryParams};
use negotium_analysis::negotiate::{self, NegotiateParams};
use negotium_analysis::pareto::{self, ParetoParams};
use negotium_analysis::power::{self, PowerParams, QuickGame};
use negotium_analysis::sweep;
use negotium_analysis::tournament::{self, TournamentParams};
use negotium_analysis::vote::{self, VoteParams};
use negotium_analysis::{analyze, registry};
use negotium_scenario::Loaded;
use serde_json::{json, Value};

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

fn builtin(id: &str) -> Loaded {
    negotium_scenario::resolve(id).unwrap()
}

fn gmcr(name: &str) -> ConflictModel {
    let path = repo(&format!("crates/negotium-conflict/fixtures/{name}"));
    let text = std::fs::read_to_string(&path).unwrap();
    ConflictModel::from_gmcr(&text, name).unwrap()
}

fn genius(name: &str) -> BargainingProblem {
    let dir = repo(&format!(
        "crates/negotium-scenario/tests/fixtures/genius/{name}"
    ));
    BargainingProblem::from_genius_dir(&dir, 11).unwrap()
}

/// The JSON as the commands print it (through `serde_json::Value`).
fn v<T: serde::Serialize>(x: T) -> Value {
    serde_json::to_value(x).unwrap()
}

#[test]
fn forecast_emission_standards_every_model() {
    let r = forecast::run(&builtin("emission-standards"), &ForecastParams::default()).unwrap();
    insta::assert_json_snapshot!(v(r));
}

#[test]
fn forecast_ktab_csv() {
    let s = negotium_scenario::load_path(&repo(
        "crates/negotium-spatial/tests/fixtures/ktab/SOE-Policy.csv",
    ))
    .unwrap();
    let p = ForecastParams {
        model: ["median", "compromise", "nash", "eum"]
            .map(String::from)
            .to_vec(),
        ..Default::default()
    };
    insta::assert_json_snapshot!(v(forecast::run(&s, &p).unwrap()));
}

#[test]
fn history_votes_and_proposals_of_kosovo() {
    let p = HistoryParams {
        kind: vec!["vote".into(), "proposal".into()],
        ..Default::default()
    };
    insta::assert_json_snapshot!(v(history::run(&builtin("kosovo-status"), &p).unwrap()));
}

#[test]
fn conflict_kosovo_defaults() {
    let r = conflict::run(&builtin("kosovo-status"), &ConflictParams::default()).unwrap();
    insta::assert_json_snapshot!(v(r));
}

#[test]
fn conflict_syria_iraq_status_quo_explanations_inverse_limited() {
    let p = ConflictParams {
        status_quo: Some("1".into()),
        improvements_only: true,
        explain: vec!["6".into(), "!o1 & o2 & o3".into()],
        inverse: Some("6".into()),
        vary: vec!["1..4".into()],
        limited: Some(4),
        ..Default::default()
    };
    insta::assert_json_snapshot!(v(conflict::run_model(&gmcr("syria_iraq.gmcr"), &p).unwrap()));
}

#[test]
fn conflict_three_party_gmcr_py_semantics() {
    let p = ConflictParams {
        gmcr_py: true,
        inverse: Some("1".into()),
        vary: vec!["1..3".into()],
        inverse_gmcr_py: true,
        ..Default::default()
    };
    insta::assert_json_snapshot!(v(
        conflict::run_model(&gmcr("three_party_or.gmcr"), &p).unwrap()
    ));
}

#[test]
fn power_kosovo_and_eu_council() {
    let k = power::run(&builtin("kosovo-status"), &PowerParams::default()).unwrap();
    insta::assert_json_snapshot!("power_kosovo", v(k));
    let eu = power::run(&builtin("eu-council-2025"), &PowerParams::default()).unwrap();
    insta::assert_json_snapshot!("power_eu_council", v(eu));
}

#[test]
fn power_quick_game_with_veto_and_two_quotas() {
    let g = QuickGame {
        quota: vec![51.0, 3.0],
        weights: vec!["30,25,20,15,10".into(), "1,1,1,1,1".into()],
        veto: vec![1],
        min_complement: Some(2),
    };
    insta::assert_json_snapshot!(v(power::run_game(&g, &PowerParams::default()).unwrap()));
}

#[test]
fn vote_on_the_ahtisaari_draft() {
    let p = VoteParams {
        institution: Some("unsc".into()),
        ..VoteParams::new(75.0)
    };
    insta::assert_json_snapshot!(v(vote::run(&builtin("kosovo-status"), &p).unwrap()));
}

#[test]
fn negotiate_kosovo_single_text() {
    let p = NegotiateParams {
        protocol: Some(ProtocolName::SingleText),
        seed: 3,
        ..Default::default()
    };
    insta::assert_json_snapshot!(v(negotiate::run(&builtin("kosovo-status"), &p).unwrap()));
}

#[test]
fn negotiate_genius_holiday_with_trace() {
    let p = NegotiateParams {
        protocol: Some(ProtocolName::Sao),
        strategies: vec!["tft".into(), "boulware".into()],
        steps: Some(20),
        trace: true,
        ..Default::default()
    };
    insta::assert_json_snapshot!(v(negotiate::run_problem(&genius("holiday"), &p).unwrap()));
}

#[test]
fn pareto_genius_holiday() {
    let r = pareto::run_problem(&genius("holiday"), &ParetoParams::default()).unwrap();
    insta::assert_json_snapshot!(v(r));
}

#[test]
fn tournament_genius_holiday() {
    let p = TournamentParams {
        strategies: vec!["boulware".into(), "conceder".into(), "tft".into()],
        repetitions: 2,
        steps: 50,
        ..Default::default()
    };
    let r = tournament::run_problems(&[genius("holiday")], &p, &|_| {}).unwrap();
    insta::assert_json_snapshot!(v(r));
}

#[test]
fn analyze_report_fixture() {
    let s = negotium_scenario::load_path(&repo("crates/negotium-report/tests/fixtures/mini.toml"))
        .unwrap();
    let mut r = v(analyze::run(&s, &Default::default()).unwrap());
    // The source names the file by its absolute path.
    r["source"] = json!("mini.toml");
    insta::assert_json_snapshot!(r);
}

/// The registry's JSON runner gives the typed API's result.
#[test]
fn registry_runs_equal_typed_runs() {
    let k = builtin("kosovo-status");
    let typed = v(power::run(
        &k,
        &PowerParams {
            seed: 2,
            ..Default::default()
        },
    )
    .unwrap());
    let run = registry::run("power", &k, &json!({"seed": 2})).unwrap();
    assert_eq!(run.result, typed);
    assert_eq!(run.seed, Some(2));
}

fn domain_dir(path: &str) -> BargainingProblem {
    BargainingProblem::from_dir(&repo(path), 11).unwrap()
}

/// A non-linear (hyper-rectangle) GENIUS domain: enumerated, exact frontier.
#[test]
fn pareto_genius_nonlinear_small() {
    let r = pareto::run_problem(
        &domain_dir("crates/negotium-scenario/tests/fixtures/genius/nonlinear-small"),
        &ParetoParams::default(),
    )
    .unwrap();
    insta::assert_json_snapshot!(v(r));
}

/// A GeniusWeb JSON domain (LinearAdditive and SumOfGroups profiles).
#[test]
fn negotiate_geniusweb_trip() {
    let p = NegotiateParams {
        protocol: Some(ProtocolName::Sao),
        strategies: vec!["micro".into(), "conceder".into()],
        seed: 5,
        ..Default::default()
    };
    let r = negotiate::run_problem(
        &domain_dir("crates/negotium-scenario/tests/fixtures/geniusweb/trip"),
        &p,
    )
    .unwrap();
    insta::assert_json_snapshot!(v(r));
}

/// Kosovo's whole package has no zone of agreement, so the tournament also
/// runs every issue alone (and says so): the standings and the note.
#[test]
fn tournament_kosovo_runs_issues_when_the_package_cannot_agree() {
    let p = TournamentParams {
        strategies: ["boulware", "conceder", "micro", "hardheaded", "agentk"]
            .map(String::from)
            .to_vec(),
        ..Default::default()
    };
    let r = tournament::run(&builtin("kosovo-status"), &p).unwrap();
    insta::assert_json_snapshot!(json!({
        "problems": r.problems,
        "notes": r.notes,
        "summary": r.summary,
        "negotiations": r.records.len(),
    }));
}

#[test]
fn sweep_kosovo_declared_ranges_and_emission_sensitivity() {
    let p = sweep::SweepParams {
        draws: 200,
        seed: 7,
        issue: vec!["status".into(), "heritage".into()],
        ..Default::default()
    };
    insta::assert_json_snapshot!(
        "sweep_kosovo",
        v(sweep::run(&builtin("kosovo-status"), &p).unwrap())
    );
    let p = sweep::SweepParams {
        draws: 100,
        seed: 3,
        model: vec!["median".into(), "compromise".into()],
        perturb: Some("position=10,salience=0.2,capability=0.2".into()),
        sensitivity: true,
        sobol_n: 16,
        bootstrap: 20,
        ..Default::default()
    };
    insta::assert_json_snapshot!(
        "sweep_emission_sensitivity",
        v(sweep::run(&builtin("emission-standards"), &p).unwrap())
    );
}

#[test]
fn advise_belgrade_and_pristina_on_status() {
    for actor in ["SRB", "KOS"] {
        let p = advise::AdviseParams {
            issue: vec!["status".into(), "decentralisation".into()],
            grid: 11,
            ..advise::AdviseParams::new(actor)
        };
        insta::assert_json_snapshot!(
            format!("advise_{actor}"),
            v(advise::run(&builtin("kosovo-status"), &p).unwrap())
        );
    }
}
