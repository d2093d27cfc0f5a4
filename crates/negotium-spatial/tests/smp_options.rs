//! Every documented SMP option runs and keeps the model's invariants;
//! stochastic runs are reproducible from the seed; bad input is refused
//! with a clear error.

mod smp_support;

use negotium_spatial::smp::*;
use negotium_spatial::{run, Dimension, ModelSpec, Problem, SmpOptions, SpatialError};
use smp_support::{fixture, ktab_csv};

fn soe() -> Problem {
    ktab_csv(&fixture("SOE-Policy.csv"))
}

fn check(p: &Problem, o: SmpOptions) -> SmpRun {
    let trace = simulate(p, &o).unwrap_or_else(|e| panic!("{o:?}: {e}"));
    let f = run(p, &ModelSpec::Smp(o.clone())).unwrap();
    for t in &trace.turns {
        for &q in &t.position_prob {
            assert!((0.0..=1.0 + 1e-12).contains(&q), "{o:?}");
        }
        for c in t.challenges.iter().flatten() {
            assert!(c.gain > 1e-5 && (0.0..=1.0).contains(&c.prob));
        }
    }
    let total: f64 = trace.final_outcomes.iter().map(|c| c.1).sum();
    assert!((total - 1.0).abs() < 1e-6, "{o:?}: {total}");
    assert!(
        f.forecast[0] >= 10.0 - 1e-9 && f.forecast[0] <= 60.0 + 1e-9,
        "{o:?}"
    );
    assert!(f.assumptions.len() >= 5);
    trace
}

#[test]
fn every_option_value_runs() {
    let p = soe();
    let d = SmpOptions::default;
    for v in [
        VictoryProbModel::Linear,
        VictoryProbModel::Square,
        VictoryProbModel::Quartic,
        VictoryProbModel::Octic,
        VictoryProbModel::Binary,
    ] {
        check(
            &p,
            SmpOptions {
                victory_prob: v,
                ..d()
            },
        );
    }
    for v in [
        PceModel::Conditional,
        PceModel::MarkovIncentive,
        PceModel::MarkovUniform,
    ] {
        check(&p, SmpOptions { pce: v, ..d() });
    }
    for v in [
        VotingRule::Binary,
        VotingRule::PropBin,
        VotingRule::Proportional,
        VotingRule::PropCubic,
        VotingRule::Cubic,
        VotingRule::AsymProspect,
    ] {
        check(
            &p,
            SmpOptions {
                voting_rule: v,
                ..d()
            },
        );
    }
    for v in [
        BigRAdjust::None,
        BigRAdjust::OneThird,
        BigRAdjust::Half,
        BigRAdjust::TwoThirds,
        BigRAdjust::Full,
    ] {
        check(
            &p,
            SmpOptions {
                big_r_adjust: v,
                ..d()
            },
        );
    }
    for v in [BigRRange::Min, BigRRange::Mid, BigRRange::Max] {
        check(
            &p,
            SmpOptions {
                big_r_range: v,
                ..d()
            },
        );
    }
    for v in [
        ThirdPartyCommit::NoCommit,
        ThirdPartyCommit::SemiCommit,
        ThirdPartyCommit::FullCommit,
    ] {
        check(
            &p,
            SmpOptions {
                third_party_commit: v,
                ..d()
            },
        );
    }
    for v in [
        InterVecBargain::S1P1,
        InterVecBargain::S2P2,
        InterVecBargain::S2PMax,
    ] {
        check(
            &p,
            SmpOptions {
                interpolation: v,
                ..d()
            },
        );
    }
    for v in [
        BargainModel::InitOnly,
        BargainModel::InitRcvr,
        BargainModel::PowerWeighted,
    ] {
        let t = check(
            &p,
            SmpOptions {
                bargain_model: v,
                ..d()
            },
        );
        let per_challenge = if v == BargainModel::InitRcvr { 2 } else { 1 };
        let t0 = &t.turns[0];
        let challengers = t0.challenges.iter().flatten().count();
        assert_eq!(t0.bargains.len(), per_challenge * challengers, "{v:?}");
    }
}

#[test]
fn outcome_rules_report_what_they_say() {
    let p = soe();
    let base = simulate(&p, &SmpOptions::default()).unwrap();
    let last = base.states.last().unwrap();
    let f = |outcome| {
        run(
            &p,
            &ModelSpec::Smp(SmpOptions {
                outcome,
                ..SmpOptions::default()
            }),
        )
        .unwrap()
        .forecast[0]
    };
    let expected: f64 = base.final_outcomes.iter().map(|(x, q)| q * x[0]).sum();
    assert!((f(SmpOutcome::Expected) - expected).abs() < 1e-9);
    let best =
        base.final_outcomes.iter().fold(
            &base.final_outcomes[0],
            |b, c| if c.1 > b.1 { c } else { b },
        );
    assert_eq!(f(SmpOutcome::MostProbable), best.0[0]);
    // The final median is one of the final positions.
    let med = f(SmpOutcome::FinalMedian);
    assert!(last.iter().any(|x| x[0] == med));
    let mean = f(SmpOutcome::FinalMean);
    assert!(mean > 10.0 && mean < 60.0);
}

#[test]
fn stochastic_transitions_are_reproducible_from_the_seed() {
    let p = soe();
    let o = |seed| SmpOptions {
        transitions: StateTransitions::Stochastic,
        seed,
        ..SmpOptions::default()
    };
    let a = simulate(&p, &o(7)).unwrap();
    let b = simulate(&p, &o(7)).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.seed, 7);
    let runs: Vec<SmpRun> = (0..6).map(|s| simulate(&p, &o(s)).unwrap()).collect();
    assert!(
        runs.iter().any(|r| r.states != runs[0].states),
        "different seeds should give different trajectories"
    );
    let f = run(&p, &ModelSpec::Smp(o(7))).unwrap();
    assert!(f.assumptions.iter().any(|s| s.contains("seed 7")));
}

#[test]
fn deterministic_runs_are_bit_for_bit_repeatable() {
    let p = ktab_csv(&fixture("SOE-Pol-Comp.csv"));
    let a = run(&p, &ModelSpec::Smp(SmpOptions::default())).unwrap();
    let b = run(&p, &ModelSpec::Smp(SmpOptions::default())).unwrap();
    assert_eq!(a, b);
}

fn tiny(sal: Vec<Vec<f64>>, n: usize) -> Problem {
    Problem::new(
        (0..n).map(|i| format!("a{i}")).collect(),
        vec![10.0; n],
        vec![
            Dimension {
                name: "x".into(),
                min: 0.0,
                max: 10.0,
            },
            Dimension {
                name: "y".into(),
                min: -1.0,
                max: 1.0,
            },
        ],
        (0..n)
            .map(|i| vec![i as f64 % 10.0, 0.5 - (i % 3) as f64 * 0.5])
            .collect(),
        sal,
    )
    .unwrap()
}

#[test]
fn saliences_summing_above_one_are_normalised_or_refused() {
    let p = tiny(vec![vec![0.9, 0.9], vec![0.5, 0.2], vec![0.3, 0.3]], 3);
    let f = run(&p, &ModelSpec::Smp(SmpOptions::default())).unwrap();
    assert!(f
        .assumptions
        .iter()
        .any(|s| s.contains("scaled to sum to 1 for: a0")));
    let err = run(
        &p,
        &ModelSpec::Smp(SmpOptions {
            normalise_salience: false,
            ..SmpOptions::default()
        }),
    )
    .unwrap_err();
    assert!(
        matches!(err, SpatialError::Actor { ref actor, .. } if actor == "a0"),
        "{err}"
    );
    assert!(err.to_string().contains("sum to 1.8"), "{err}");
}

#[test]
fn bad_options_and_oversized_problems_are_refused_up_front() {
    let p = tiny(vec![vec![0.5, 0.2]; 3], 3);
    let e = run(
        &p,
        &ModelSpec::Smp(SmpOptions {
            max_rounds: 0,
            ..SmpOptions::default()
        }),
    )
    .unwrap_err();
    assert!(e.to_string().contains("max_rounds"), "{e}");
    let e = run(
        &p,
        &ModelSpec::Smp(SmpOptions {
            stop_ratio: f64::NAN,
            ..SmpOptions::default()
        }),
    )
    .unwrap_err();
    assert!(e.to_string().contains("stop_ratio"), "{e}");
    let big = tiny(vec![vec![0.5, 0.2]; MAX_ACTORS + 1], MAX_ACTORS + 1);
    let e = run(&big, &ModelSpec::Smp(SmpOptions::default())).unwrap_err();
    assert!(e.to_string().contains("at most 250 actors"), "{e}");
}

#[test]
fn degenerate_inputs_do_not_panic() {
    // Everyone at the same point: nothing to gain, risk attitudes neutral.
    let same = Problem::new(
        vec!["a".into(), "b".into(), "c".into()],
        vec![1.0, 0.0, 2.0],
        vec![Dimension {
            name: "x".into(),
            min: 0.0,
            max: 100.0,
        }],
        vec![vec![40.0]; 3],
        vec![vec![0.5], vec![0.0], vec![1.0]],
    )
    .unwrap();
    let t = simulate(&same, &SmpOptions::default()).unwrap();
    assert!(t.converged);
    assert_eq!(t.turns[0].risk, vec![0.0; 3]);
    assert!(t.turns[0].challenges.iter().all(|c| c.is_none()));
    let f = run(&same, &ModelSpec::Smp(SmpOptions::default())).unwrap();
    assert_eq!(f.forecast, vec![40.0]);
    // Two actors, one with zero salience and one with zero capability.
    let two = Problem::new(
        vec!["a".into(), "b".into()],
        vec![5.0, 0.0],
        vec![Dimension {
            name: "x".into(),
            min: 0.0,
            max: 1.0,
        }],
        vec![vec![0.0], vec![1.0]],
        vec![vec![0.0], vec![0.7]],
    )
    .unwrap();
    let f = run(&two, &ModelSpec::Smp(SmpOptions::default())).unwrap();
    assert!(f.forecast[0].is_finite() && (0.0..=1.0).contains(&f.forecast[0]));
}

#[test]
fn options_round_trip_through_json_with_defaults_filled_in() {
    let o: SmpOptions = serde_json::from_str(r#"{"voting_rule":"cubic","seed":3}"#).unwrap();
    assert_eq!(o.voting_rule, VotingRule::Cubic);
    assert_eq!(o.seed, 3);
    assert_eq!(o.max_rounds, 100);
    let back: SmpOptions = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
    assert_eq!(back, o);
}
