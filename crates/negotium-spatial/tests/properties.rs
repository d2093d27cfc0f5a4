//! Invariants of the median, compromise, Nash and expected-utility models:
//! forecasts stay within the actors' positions; relabelling actors and
//! rescaling all capabilities change nothing.

use negotium_spatial::eum::{Capitulation, OfferChoice, Perspective, ProbDenominator};
use negotium_spatial::nash::{NashUtility, NashWeights};
use negotium_spatial::{run, Dimension, EumOptions, ModelSpec, NashOptions, Problem};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

type Row = (f64, Vec<f64>, Vec<f64>);

fn specs() -> Vec<ModelSpec> {
    vec![
        ModelSpec::Median,
        ModelSpec::Compromise,
        ModelSpec::Nash(NashOptions::default()),
        ModelSpec::Nash(NashOptions {
            utility: NashUtility::Quadratic,
            weights: NashWeights::Capability,
            ..Default::default()
        }),
        ModelSpec::Eum(EumOptions {
            rounds: 5,
            ..Default::default()
        }),
        ModelSpec::Eum(EumOptions {
            rounds: 5,
            q: 0.5,
            probability: ProbDenominator::Pairwise,
            perspective: Perspective::Own,
            capitulation: Capitulation::WhenOutweighed,
            offer_choice: OfferChoice::LeastMovement,
            ..Default::default()
        }),
    ]
}

fn problem(rows: &[Row], cap_scale: f64) -> Problem {
    let k = rows[0].1.len();
    Problem::new(
        (0..rows.len()).map(|i| format!("a{i}")).collect(),
        rows.iter().map(|r| r.0 * cap_scale).collect(),
        (0..k)
            .map(|d| Dimension {
                name: format!("d{d}"),
                min: 0.0,
                max: 100.0,
            })
            .collect(),
        rows.iter().map(|r| r.1.clone()).collect(),
        rows.iter().map(|r| r.2.clone()).collect(),
    )
    .expect("valid problem")
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    (1usize..=2).prop_flat_map(|k| {
        prop::collection::vec(
            (
                0.05f64..10.0,
                prop::collection::vec(0.0f64..100.0, k),
                prop::collection::vec(prop_oneof![1 => Just(0.0), 6 => 0.05f64..1.0], k),
            ),
            2..9,
        )
    })
}

fn close(a: &[f64], b: &[f64]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (x - y).abs() <= 1e-9 * (1.0 + x.abs()))
}

proptest! {
    #![proptest_config(Config { cases: 256, rng_seed: RngSeed::Fixed(2011), failure_persistence: None, ..Config::default() })]

    #[test]
    fn forecasts_lie_between_the_positions(rows in rows()) {
        let p = problem(&rows, 1.0);
        for spec in specs() {
            let f = run(&p, &spec).unwrap();
            for (k, x) in f.forecast.iter().enumerate() {
                let lo = rows.iter().map(|r| r.1[k]).fold(f64::INFINITY, f64::min);
                let hi = rows.iter().map(|r| r.1[k]).fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(*x >= lo && *x <= hi, "{}: {x} outside [{lo}, {hi}]", spec.name());
                for r in &f.rounds {
                    for pos in &r.positions {
                        prop_assert!(pos[k] >= lo && pos[k] <= hi);
                    }
                }
            }
        }
    }

    #[test]
    fn permuting_actors_changes_nothing(
        (rows, perm) in rows().prop_flat_map(|r| {
            let n = r.len();
            (Just(r), Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        })
    ) {
        let p = problem(&rows, 1.0);
        let shuffled: Vec<Row> = perm.iter().map(|&i| rows[i].clone()).collect();
        let q = problem(&shuffled, 1.0);
        for spec in specs() {
            let a = run(&p, &spec).unwrap();
            let b = run(&q, &spec).unwrap();
            prop_assert!(close(&a.forecast, &b.forecast), "{}: {:?} vs {:?}", spec.name(), a.forecast, b.forecast);
            for (ra, rb) in a.rounds.iter().zip(&b.rounds) {
                for (j, &i) in perm.iter().enumerate() {
                    prop_assert!(close(&ra.positions[i], &rb.positions[j]));
                }
            }
        }
    }

    #[test]
    fn scaling_capabilities_changes_nothing(rows in rows(), scale in 0.01f64..100.0) {
        let p = problem(&rows, 1.0);
        let q = problem(&rows, scale);
        for spec in specs() {
            let a = run(&p, &spec).unwrap();
            let b = run(&q, &spec).unwrap();
            prop_assert!(close(&a.forecast, &b.forecast), "{}: {:?} vs {:?}", spec.name(), a.forecast, b.forecast);
            prop_assert_eq!(a.rounds.len(), b.rounds.len());
        }
    }
}
