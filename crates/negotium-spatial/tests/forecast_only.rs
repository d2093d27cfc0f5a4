//! `forecast` (the lean path for sweeps) gives exactly `run(..).forecast`,
//! bit for bit, for every model and a spread of options, on random
//! problems and on KTAB's inputs.

mod smp_support;

use negotium_spatial::eum::{EumOutcome, ProbDenominator, Security};
use negotium_spatial::nash::{Disagreement, NashUtility};
use negotium_spatial::smp::{BargainModel, SmpOutcome, StateTransitions};
use negotium_spatial::{
    forecast, run, Dimension, EumOptions, ModelSpec, NashOptions, Problem, SmpOptions,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

fn specs(k: usize) -> Vec<ModelSpec> {
    let mut v = vec![
        ModelSpec::Median,
        ModelSpec::Compromise,
        ModelSpec::Nash(NashOptions::default()),
        ModelSpec::Nash(NashOptions {
            utility: NashUtility::Quadratic,
            disagreement: Disagreement::StatusQuo(vec![50.0; k]),
            ..Default::default()
        }),
        ModelSpec::Eum(EumOptions::default()),
        ModelSpec::Eum(EumOptions {
            stop_shift: Some(0.5),
            outcome: EumOutcome::Mean,
            probability: ProbDenominator::Pairwise,
            security: Security::TargetPerspective,
            q: 0.5,
            ..Default::default()
        }),
    ];
    for outcome in [
        SmpOutcome::Expected,
        SmpOutcome::MostProbable,
        SmpOutcome::FinalMedian,
        SmpOutcome::FinalMean,
    ] {
        v.push(ModelSpec::Smp(SmpOptions {
            outcome,
            ..Default::default()
        }));
    }
    v.push(ModelSpec::Smp(SmpOptions {
        transitions: StateTransitions::Stochastic,
        bargain_model: BargainModel::InitRcvr,
        seed: 9,
        ..Default::default()
    }));
    v
}

fn problem() -> impl Strategy<Value = Problem> {
    sized_problem(2..=9)
}

fn sized_problem(actors: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Problem> {
    (actors, 1usize..=2).prop_flat_map(|(n, k)| {
        (
            prop::collection::vec(0.5f64..100.0, n),
            prop::collection::vec(prop::collection::vec(0.0f64..100.0, k), n),
            prop::collection::vec(prop::collection::vec(0.0f64..0.5, k), n),
        )
            .prop_map(move |(c, x, s)| {
                Problem::new(
                    (0..n).map(|i| format!("a{i}")).collect(),
                    c,
                    (0..k)
                        .map(|d| Dimension {
                            name: format!("d{d}"),
                            min: 0.0,
                            max: 100.0,
                        })
                        .collect(),
                    x,
                    s,
                )
                .unwrap()
            })
    })
}

fn same(p: &Problem) -> Result<(), TestCaseError> {
    for spec in specs(p.n_dims()) {
        let a = run(p, &spec).unwrap().forecast;
        let b = forecast(p, &spec).unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        prop_assert_eq!(bits(&a), bits(&b), "{:?}", spec);
    }
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 96, rng_seed: RngSeed::Fixed(99), failure_persistence: None, ..Config::default() })]

    #[test]
    fn forecast_is_run_forecast_bit_for_bit(p in problem()) {
        same(&p)?;
    }
}

proptest! {
    #![proptest_config(Config { cases: 12, rng_seed: RngSeed::Fixed(17), failure_persistence: None, ..Config::default() })]

    /// A thread keeps the SMP's buffers from run to run: runs of problems
    /// of every size in turn on one thread (rows of 8, 16 and 24 lanes,
    /// one and two dimensions) give exactly what a fresh thread gives.
    #[test]
    fn runs_on_a_threads_earlier_buffers_are_fresh_runs(
        ps in prop::collection::vec(sized_problem(2..=20), 6)
    ) {
        let smp: Vec<ModelSpec> = specs(2)
            .into_iter()
            .filter(|s| matches!(s, ModelSpec::Smp(_)))
            .collect();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        for p in &ps {
            for spec in &smp {
                let here = bits(&forecast(p, spec).unwrap());
                let (p2, s2) = (p.clone(), spec.clone());
                let fresh = std::thread::spawn(move || bits(&forecast(&p2, &s2).unwrap()))
                    .join()
                    .unwrap();
                prop_assert_eq!(&here, &fresh, "{} actors, {:?}", p.n_actors(), spec);
            }
        }
    }
}

#[test]
fn forecast_is_run_forecast_on_ktab_inputs() {
    for name in ["SOE-Policy.csv", "SOE-Pol-Comp.csv", "dummyData_3Dim.csv"] {
        let p = smp_support::ktab_csv(&smp_support::fixture(name));
        same(&p).unwrap();
    }
}
