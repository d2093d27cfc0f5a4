//! Nash bargaining solution against hand-computed cases and an independent
//! brute-force grid maximisation of the Nash product.

mod common;

use negotium_spatial::nash::{Disagreement, NashUtility, NashWeights};
use negotium_spatial::{run, Dimension, ModelSpec, NashOptions, Problem, SpatialError};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn nash(p: &Problem, o: NashOptions) -> f64 {
    run(p, &ModelSpec::Nash(o)).expect("model runs").forecast[0]
}

/// The Nash product written out directly (independent of the crate).
fn product(p: &Problem, o: &NashOptions, x: f64) -> f64 {
    let d = &p.dims()[0];
    let rho = d.max - d.min;
    let xs: Vec<f64> = p.position().iter().map(|v| v[0]).collect();
    let lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let u = |i: usize, y: f64| {
        let t = (y - xs[i]).abs() / rho;
        let loss = match o.utility {
            NashUtility::Linear => t,
            NashUtility::Quadratic => t * t,
        };
        1.0 - p.salience()[i][0] * loss
    };
    let mut f = 0.0;
    for i in 0..xs.len() {
        let s = p.salience()[i][0];
        let c = p.capability()[i];
        let w = match o.weights {
            NashWeights::CapabilitySalience => c * s,
            NashWeights::Capability => c,
            NashWeights::Equal => 1.0,
        };
        if w == 0.0 || s == 0.0 {
            continue;
        }
        let di = match &o.disagreement {
            Disagreement::WorstPosition => u(i, lo).min(u(i, hi)),
            Disagreement::StatusQuo(q) => u(i, q[0]),
        };
        let g = u(i, x) - di;
        if g <= 0.0 {
            return f64::NEG_INFINITY;
        }
        f += w * g.ln();
    }
    f
}

/// Grid argmax over [min position, max position].
fn grid(p: &Problem, o: &NashOptions, steps: usize) -> (f64, f64, f64) {
    let xs: Vec<f64> = p.position().iter().map(|v| v[0]).collect();
    let lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let h = (hi - lo) / steps as f64;
    let mut best = (lo, f64::NEG_INFINITY);
    for k in 0..=steps {
        let x = lo + h * k as f64;
        let v = product(p, o, x);
        if v > best.1 {
            best = (x, v);
        }
    }
    (best.0, best.1, h)
}

fn all_options() -> Vec<NashOptions> {
    let mut v = Vec::new();
    for utility in [NashUtility::Linear, NashUtility::Quadratic] {
        for weights in [
            NashWeights::CapabilitySalience,
            NashWeights::Capability,
            NashWeights::Equal,
        ] {
            v.push(NashOptions {
                utility,
                weights,
                disagreement: Disagreement::WorstPosition,
            });
        }
    }
    v
}

fn check_against_grid(p: &Problem, o: &NashOptions) {
    let x = nash(p, o.clone());
    let (gx, gv, h) = grid(p, o, 20_000);
    let v = product(p, o, x);
    assert!(
        v >= gv - 1e-9 * gv.abs().max(1.0),
        "{o:?}: solver {x} (value {v}) worse than grid {gx} (value {gv})"
    );
    assert!(
        (x - gx).abs() <= 2.0 * h,
        "{o:?}: solver {x} vs grid {gx} (step {h})"
    );
}

#[test]
fn two_actors_by_hand() {
    let p = common::one_dim(
        [("a", 3.0, 0.0, 1.0), ("b", 1.0, 10.0, 1.0)]
            .into_iter()
            .map(|r| (r.0.to_string(), r.1, r.2, r.3)),
        "d",
        0.0,
        10.0,
    );
    // Symmetric: max log(1 − x/10) + log(x/10) → x = 5.
    let eq = NashOptions {
        weights: NashWeights::Equal,
        ..Default::default()
    };
    assert!((nash(&p, eq) - 5.0).abs() < 1e-12);
    // Capability weights 3:1: 3/(10 − x) = 1/x → x = 2.5.
    let cap = NashOptions {
        weights: NashWeights::Capability,
        ..Default::default()
    };
    assert!((nash(&p, cap) - 2.5).abs() < 1e-12);
    // Status quo at 0 (a's ideal): a cannot gain, so the outcome is 0.
    let sq = NashOptions {
        disagreement: Disagreement::StatusQuo(vec![0.0]),
        ..Default::default()
    };
    let f = run(&p, &ModelSpec::Nash(sq)).unwrap();
    assert_eq!(f.forecast, vec![0.0]);
    assert!(f
        .assumptions
        .iter()
        .any(|a| a.contains("disagreement point")));
}

#[test]
fn status_quo_between_actors_is_the_outcome() {
    // With actors on both sides of the status quo no move helps everyone.
    let p = common::emission();
    let f = run(
        &p,
        &ModelSpec::Nash(NashOptions {
            disagreement: Disagreement::StatusQuo(vec![7.0]),
            ..Default::default()
        }),
    )
    .unwrap();
    assert_eq!(f.forecast, vec![7.0]);
    // Status quo at 0: everyone prefers moving up; the grid agrees.
    for o in all_options() {
        let o = NashOptions {
            disagreement: Disagreement::StatusQuo(vec![0.0]),
            ..o
        };
        check_against_grid(&p, &o);
    }
}

#[test]
fn matches_grid_on_reference_cases() {
    for p in [common::emission(), common::soe_policy()] {
        for o in all_options() {
            check_against_grid(&p, &o);
        }
    }
}

#[test]
fn matches_grid_on_random_problems() {
    let mut rng = ChaCha8Rng::seed_from_u64(20_111);
    for _ in 0..40 {
        let n = rng.random_range(2..9);
        let rows: Vec<_> = (0..n)
            .map(|i| {
                (
                    format!("a{i}"),
                    rng.random_range(0.1..5.0),
                    rng.random_range(0.0..100.0),
                    if rng.random_bool(0.15) {
                        0.0
                    } else {
                        rng.random_range(0.05..1.0)
                    },
                )
            })
            .collect();
        let p = common::one_dim(rows.into_iter(), "d", 0.0, 100.0);
        for o in all_options() {
            check_against_grid(&p, &o);
        }
    }
}

#[test]
fn bad_status_quo_is_refused() {
    let p = common::emission();
    let e = run(
        &p,
        &ModelSpec::Nash(NashOptions {
            disagreement: Disagreement::StatusQuo(vec![1.0, 2.0]),
            ..Default::default()
        }),
    )
    .unwrap_err();
    assert!(matches!(e, SpatialError::Option { .. }), "{e}");
    let e = run(
        &p,
        &ModelSpec::Nash(NashOptions {
            disagreement: Disagreement::StatusQuo(vec![11.0]),
            ..Default::default()
        }),
    )
    .unwrap_err();
    assert!(e.to_string().contains("outside"), "{e}");
}

#[test]
fn options_round_trip_through_json() {
    let spec = ModelSpec::Nash(NashOptions {
        utility: NashUtility::Quadratic,
        disagreement: Disagreement::StatusQuo(vec![3.0]),
        weights: NashWeights::Equal,
    });
    let json = serde_json::to_string(&spec).unwrap();
    let back: ModelSpec = serde_json::from_str(&json).unwrap();
    assert_eq!(back, spec);
    let short: ModelSpec = serde_json::from_str(r#"{"model":"nash"}"#).unwrap();
    assert_eq!(short, ModelSpec::Nash(NashOptions::default()));
    let _ = Dimension {
        name: String::new(),
        min: 0.0,
        max: 1.0,
    };
}
