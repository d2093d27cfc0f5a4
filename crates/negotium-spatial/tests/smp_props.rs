//! Invariants of the SMP on random problems: the forecast stays inside the
//! range of the inputs, and relabelling actors or rescaling capabilities
//! changes nothing beyond floating-point noise.

use negotium_spatial::smp::simulate;
use negotium_spatial::{run, Dimension, ModelSpec, Problem, SmpOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// Random problem: 3–8 actors, 1–3 dimensions with random scales,
/// saliences summing to at most 1 per actor.
fn problem() -> impl Strategy<Value = Problem> {
    (3usize..=8, 1usize..=3).prop_flat_map(|(n, k)| {
        (
            prop::collection::vec(1.0f64..100.0, n),
            prop::collection::vec((-50.0f64..50.0, 1.0f64..200.0), k),
            prop::collection::vec(prop::collection::vec(0.0f64..1.0, k), n),
            prop::collection::vec(prop::collection::vec(0.05f64..1.0, k), n),
        )
            .prop_map(move |(cap, scales, unit_pos, raw_sal)| {
                let dims: Vec<Dimension> = scales
                    .iter()
                    .enumerate()
                    .map(|(d, &(lo, width))| Dimension {
                        name: format!("d{d}"),
                        min: lo,
                        max: lo + width,
                    })
                    .collect();
                let pos = unit_pos
                    .iter()
                    .map(|row| {
                        row.iter()
                            .zip(&dims)
                            .map(|(u, d)| d.min + u * (d.max - d.min))
                            .collect()
                    })
                    .collect();
                let sal = raw_sal
                    .iter()
                    .map(|row| {
                        let tot: f64 = row.iter().sum();
                        let scale = if tot > 1.0 { 1.0 / tot } else { 1.0 };
                        row.iter().map(|s| (s * scale).min(1.0)).collect()
                    })
                    .collect();
                let names = (0..n).map(|i| format!("a{i}")).collect();
                Problem::new(names, cap, dims, pos, sal).expect("valid random problem")
            })
    })
}

fn config() -> Config {
    Config {
        cases: 96,
        rng_seed: RngSeed::Fixed(0x5eed_0005_3b50),
        failure_persistence: None,
        ..Config::default()
    }
}

fn smp() -> ModelSpec {
    ModelSpec::Smp(SmpOptions::default())
}

/// Tolerance for comparing runs of relabelled problems, relative to each
/// dimension's range (only the order of floating-point sums differs).
const TOL: f64 = 1e-7;
/// Tolerance for rescaled capabilities: the guards scale with the largest
/// capability (`SmpOptions::absolute_guards` off), so only the rounding of
/// the scaled capabilities differs.
const SCALE_TOL: f64 = 1e-9;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn forecast_and_every_position_stay_in_the_input_range(p in problem()) {
        let f = run(&p, &smp()).unwrap();
        for (d, dim) in p.dims().iter().enumerate() {
            let lo = p.position().iter().map(|x| x[d]).fold(f64::INFINITY, f64::min);
            let hi = p.position().iter().map(|x| x[d]).fold(f64::NEG_INFINITY, f64::max);
            // Bargains are rounded to 4 decimals on the unit scale.
            let slack = 5e-5 * (dim.max - dim.min) + 1e-9;
            prop_assert!(f.forecast[d] >= lo - slack && f.forecast[d] <= hi + slack,
                "dim {d}: {} outside [{lo}, {hi}]", f.forecast[d]);
            for r in &f.rounds {
                for x in &r.positions {
                    prop_assert!(x[d] >= lo - slack && x[d] <= hi + slack);
                }
            }
        }
        prop_assert!(!f.rounds.is_empty() && f.rounds.len() <= 100);
    }

    #[test]
    fn permuting_actors_changes_nothing(p in problem(), rot in 1usize..8) {
        let n = p.n_actors();
        let perm: Vec<usize> = (0..n).map(|i| (i + rot) % n).rev().collect();
        let q = Problem::new(
            perm.iter().map(|&i| p.actors()[i].clone()).collect(),
            perm.iter().map(|&i| p.capability()[i]).collect(),
            p.dims().to_vec(),
            perm.iter().map(|&i| p.position()[i].clone()).collect(),
            perm.iter().map(|&i| p.salience()[i].clone()).collect(),
        ).unwrap();
        let (a, b) = (simulate(&p, &SmpOptions::default()).unwrap(), simulate(&q, &SmpOptions::default()).unwrap());
        prop_assert_eq!(a.turns.len(), b.turns.len());
        for (ta, tb) in a.states.iter().zip(&b.states) {
            for (new, &old) in perm.iter().enumerate() {
                for (d, dim) in p.dims().iter().enumerate() {
                    let gap = (ta[old][d] - tb[new][d]).abs() / (dim.max - dim.min);
                    prop_assert!(gap <= TOL, "actor {old} dim {d}: {} vs {}", ta[old][d], tb[new][d]);
                }
            }
        }
        let (fa, fb) = (run(&p, &smp()).unwrap(), run(&q, &smp()).unwrap());
        for (d, dim) in p.dims().iter().enumerate() {
            prop_assert!((fa.forecast[d] - fb.forecast[d]).abs() / (dim.max - dim.min) <= TOL);
        }
    }

    #[test]
    fn scaling_capabilities_changes_nothing(p in problem(), factor in prop::sample::select(vec![0.5, 3.0, 1000.0])) {
        let q = Problem::new(
            p.actors().to_vec(),
            p.capability().iter().map(|c| c * factor).collect(),
            p.dims().to_vec(),
            p.position().to_vec(),
            p.salience().to_vec(),
        ).unwrap();
        let (fa, fb) = (run(&p, &smp()).unwrap(), run(&q, &smp()).unwrap());
        prop_assert_eq!(fa.rounds.len(), fb.rounds.len());
        for (d, dim) in p.dims().iter().enumerate() {
            prop_assert!((fa.forecast[d] - fb.forecast[d]).abs() / (dim.max - dim.min) <= SCALE_TOL,
                "dim {d}: {} vs {}", fa.forecast[d], fb.forecast[d]);
        }
    }
}
