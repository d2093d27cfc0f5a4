//! Weighted median and compromise models against hand-computed values.

mod common;

use negotium_spatial::stats::{weighted_mean, weighted_median};
use negotium_spatial::{run, Dimension, ModelSpec, Problem};

#[test]
fn emission_round_zero() {
    // Σ c·s = 0.677, Σ c·s·x = 0.248·4 + 0.093·7 + 0.336·10 = 5.003, so the
    // mean is 7.3900; the c·s weight at 4 years is 0.248 < 0.3385 (half), at
    // ≤ 7 years 0.341 ≥ half: median 7.
    let p = common::emission();
    let m = run(&p, &ModelSpec::Compromise).unwrap();
    assert!(
        (m.forecast[0] - 5.003 / 0.677).abs() < 1e-12,
        "{:?}",
        m.forecast
    );
    assert!((m.forecast[0] - 7.39).abs() < 0.005);
    let d = run(&p, &ModelSpec::Median).unwrap();
    assert_eq!(d.forecast, vec![7.0]);
    assert_eq!(d.model, "median");
    assert!(d.rounds.is_empty() && d.converged);
    assert!(d.assumptions.iter().any(|a| a.contains("Condorcet")));
}

#[test]
fn ktab_soe_policy() {
    // Notes §7: c·s mean 35.0, median 30. By hand: Σ c·s = 39675,
    // Σ c·s·x = 1388875 → 35.0063; cumulative weight reaches 21225 ≥ 19837.5
    // at position 30.
    let p = common::soe_policy();
    assert_eq!(p.n_actors(), 26);
    let m = run(&p, &ModelSpec::Compromise).unwrap();
    assert!(
        (m.forecast[0] - 1_388_875.0 / 39_675.0).abs() < 1e-9,
        "{:?}",
        m.forecast
    );
    assert!((m.forecast[0] - 35.0).abs() < 0.05);
    let d = run(&p, &ModelSpec::Median).unwrap();
    assert_eq!(d.forecast, vec![30.0]);
}

#[test]
fn median_is_the_condorcet_winner() {
    // Check against pairwise weighted-majority votes among the positions.
    for p in [common::emission(), common::soe_policy()] {
        let xs: Vec<f64> = p.position().iter().map(|v| v[0]).collect();
        let ws: Vec<f64> = (0..p.n_actors())
            .map(|i| p.capability()[i] * p.salience()[i][0])
            .collect();
        let med = run(&p, &ModelSpec::Median).unwrap().forecast[0];
        for &y in &xs {
            let mut margin = 0.0;
            for (x, w) in xs.iter().zip(&ws) {
                margin += w * ((x - y).abs() - (x - med).abs()).signum();
            }
            assert!(margin >= 0.0, "position {y} beats the median {med}");
        }
    }
}

#[test]
fn tie_rule_is_lower_median_and_multi_dim_is_separate() {
    let p = Problem::new(
        vec!["a".into(), "b".into(), "c".into()],
        vec![1.0, 1.0, 2.0],
        vec![
            Dimension {
                name: "d1".into(),
                min: 0.0,
                max: 10.0,
            },
            Dimension {
                name: "d2".into(),
                min: 0.0,
                max: 10.0,
            },
        ],
        vec![vec![2.0, 0.0], vec![4.0, 10.0], vec![8.0, 5.0]],
        vec![vec![1.0, 1.0], vec![1.0, 0.0], vec![1.0, 0.5]],
    )
    .unwrap();
    let d = run(&p, &ModelSpec::Median).unwrap();
    // d1: weights 1,1,2 — cumulative 2 at x=4 equals half of 4: lower median 4.
    // d2: weights 1,0,1 — cumulative 1 at x=0 is half of 2: lower median 0.
    assert_eq!(d.forecast, vec![4.0, 0.0]);
    let m = run(&p, &ModelSpec::Compromise).unwrap();
    assert!((m.forecast[0] - (2.0 + 4.0 + 16.0) / 4.0).abs() < 1e-12);
    assert!((m.forecast[1] - 2.5).abs() < 1e-12);
    assert_eq!(weighted_median(&[8.0, 2.0, 4.0], &[2.0, 1.0, 1.0]), 4.0);
    assert_eq!(weighted_mean(&[8.0, 2.0, 4.0], &[2.0, 1.0, 1.0]), 5.5);
}
