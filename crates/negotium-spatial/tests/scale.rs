//! Numerics robust to the unit of capability (issue 14): every model gives
//! the same forecast whatever positive finite factor multiplies all
//! capabilities — bit for bit for powers of two from 2^-996 (≈1.5e-300) to
//! 2^996 (≈6.7e299), within stated tolerances for decimal factors from
//! 1e-300 to 1e300 — and no model ever returns NaN or an infinity.

mod common;

use negotium_spatial::eum::{Capitulation, OfferChoice, Perspective, ProbDenominator};
use negotium_spatial::nash::{NashUtility, NashWeights};
use negotium_spatial::{
    run, Dimension, EumOptions, ModelSpec, NashOptions, Problem, SmpOptions, SpatialError,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

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
        ModelSpec::Smp(SmpOptions::default()),
    ]
}

/// (capability, position per dim, salience per dim)
type Row = (f64, Vec<f64>, Vec<f64>);

fn rows() -> impl Strategy<Value = Vec<Row>> {
    (1usize..=2).prop_flat_map(|k| {
        prop::collection::vec(
            (
                0.05f64..10.0,
                prop::collection::vec(0.0f64..100.0, k),
                prop::collection::vec(prop_oneof![1 => Just(0.0), 6 => 0.05f64..0.5], k),
            ),
            2..8,
        )
    })
}

fn problem(rows: &[Row], mut cap: impl FnMut(f64) -> f64) -> Problem {
    let k = rows[0].1.len();
    Problem::new(
        (0..rows.len()).map(|i| format!("a{i}")).collect(),
        rows.iter().map(|r| cap(r.0)).collect::<Vec<_>>(),
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

fn all_finite(p: &Problem, spec: &ModelSpec) -> Result<Vec<f64>, TestCaseError> {
    let f = run(p, spec).map_err(|e| TestCaseError::fail(format!("{}: {e}", spec.name())))?;
    prop_assert!(f.check_finite().is_ok());
    Ok(f.forecast)
}

fn config(cases: u32, seed: u64) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Decimal factors change the capabilities' ratios by rounding (≤ 1 ulp
/// each): the static models, Nash and the EUM then agree to 1e-9 of the
/// 0–100 scale. The SMP's bargains are rounded to 4 decimals and its choices
/// are argmaxes, so in principle a 1-ulp change can flip a knife-edge; over
/// these cases it never moved by more than this (0–100 scale).
const DECIMAL_TOL: f64 = 1e-9 * 100.0;
const DECIMAL_TOL_SMP: f64 = 1e-6 * 100.0;

proptest! {
    #![proptest_config(config(128, 14))]

    #[test]
    fn power_of_two_scales_are_bit_identical(rows in rows(), e in -996i32..=996) {
        let p = problem(&rows, |c| c);
        let q = problem(&rows, |c| c * 2f64.powi(e));
        for spec in specs() {
            let a = run(&p, &spec).unwrap();
            let b = run(&q, &spec).unwrap();
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&a.forecast), bits(&b.forecast), "{} at 2^{}", spec.name(), e);
            prop_assert_eq!(a.rounds, b.rounds, "{} at 2^{}", spec.name(), e);
            prop_assert_eq!(a.initial, b.initial);
        }
    }

    #[test]
    fn decimal_scales_from_1e_300_to_1e300_agree(rows in rows(), u in -300.0f64..=300.0) {
        let s = 10f64.powf(u);
        let p = problem(&rows, |c| c);
        let q = problem(&rows, |c| c * s);
        for spec in specs() {
            let a = all_finite(&p, &spec)?;
            let b = all_finite(&q, &spec)?;
            let tol = if matches!(spec, ModelSpec::Smp(_)) { DECIMAL_TOL_SMP } else { DECIMAL_TOL };
            for (x, y) in a.iter().zip(&b) {
                prop_assert!((x - y).abs() <= tol, "{} at 1e{u:.1}: {x} vs {y}", spec.name());
            }
        }
    }

    /// Capabilities spread over 600 orders of magnitude in one problem:
    /// every model still answers, with finite numbers inside the positions.
    #[test]
    fn no_model_emits_nan_or_infinity(rows in rows(), exps in prop::collection::vec(-300.0f64..308.0, 8)) {
        let mut i = 0;
        let p = problem(&rows, |c| { i += 1; c.min(1.7) * 10f64.powf(exps[(i - 1) % exps.len()]) });
        for spec in specs() {
            let f = all_finite(&p, &spec)?;
            for (k, x) in f.iter().enumerate() {
                let lo = rows.iter().map(|r| r.1[k]).fold(f64::INFINITY, f64::min);
                let hi = rows.iter().map(|r| r.1[k]).fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(*x >= lo - 5e-3 && *x <= hi + 5e-3, "{}: {x} outside [{lo}, {hi}]", spec.name());
            }
        }
    }
}

fn emission_with(cap: impl Fn(f64) -> f64) -> Problem {
    let e = common::emission();
    Problem::new(
        e.actors().to_vec(),
        e.capability().iter().map(|&c| cap(c)).collect(),
        e.dims().to_vec(),
        e.position().to_vec(),
        e.salience().to_vec(),
    )
    .unwrap()
}

/// Issue 14's examples on the emission-standards case: with every
/// capability 1e308 the median was 4 (overflowing sums) instead of 7, the
/// compromise and the SMP NaN; the SMP moved with the unit of capability.
#[test]
fn issue_14_examples() {
    let ones = emission_with(|_| 1.0);
    let huge = emission_with(|_| 1e308);
    for spec in specs() {
        let a = run(&ones, &spec).unwrap().forecast[0];
        let b = run(&huge, &spec).unwrap().forecast[0];
        assert!((a - b).abs() <= 1e-9, "{}: {a} vs {b}", spec.name());
    }
    assert_eq!(run(&huge, &ModelSpec::Median).unwrap().forecast, vec![7.0]);
    let smp = ModelSpec::Smp(SmpOptions::default());
    let at = |s: f64| run(&emission_with(|c| c * s), &smp).unwrap().forecast[0];
    let base = at(1.0);
    for s in [1e150, 1e-300, 1e300, 1e-150, 3.0, 0.001] {
        assert!(
            (at(s) - base).abs() <= 1e-6,
            "SMP at scale {s}: {} vs {base}",
            at(s)
        );
    }
}

/// KTAB's absolute guards stay available, and then the unit matters.
#[test]
fn absolute_guards_are_the_ktab_faithful_option() {
    let o = SmpOptions {
        absolute_guards: true,
        ..SmpOptions::default()
    };
    let tiny = emission_with(|c| c * 1e-300);
    let f = run(&tiny, &ModelSpec::Smp(o.clone())).unwrap();
    let g = run(&tiny, &ModelSpec::Smp(SmpOptions::default())).unwrap();
    // With capabilities of 1e-301 the 1e-8 guard swamps every vote: the SMP
    // then sees ties everywhere, unlike the default reading.
    assert_ne!(f.forecast, g.forecast);
    assert!(f
        .assumptions
        .iter()
        .any(|a| a.contains("Capabilities used as given")));
    // On 0–100 capabilities (largest in [64, 128)) both readings agree.
    let p = common::soe_policy();
    let a = run(&p, &ModelSpec::Smp(o)).unwrap();
    let b = run(&p, &ModelSpec::Smp(SmpOptions::default())).unwrap();
    assert_eq!(a.forecast, b.forecast);
    assert_eq!(a.rounds, b.rounds);
}

#[test]
fn non_finite_inputs_are_refused_with_a_typed_error() {
    let e = common::emission();
    let with = |cap: f64, pos: f64, sal: f64, max: f64| {
        let mut c = e.capability().to_vec();
        let mut x = e.position().to_vec();
        let mut s = e.salience().to_vec();
        let mut d = e.dims().to_vec();
        c[1] = cap;
        x[2][0] = pos;
        s[3][0] = sal;
        d[0].max = max;
        Problem::new(e.actors().to_vec(), c, d, x, s)
    };
    for (args, field) in [
        ((f64::NAN, 4.0, 0.5, 10.0), "capability of `Belgium`"),
        ((f64::INFINITY, 4.0, 0.5, 10.0), "capability of `Belgium`"),
        ((0.1, f64::NAN, 0.5, 10.0), "position of `Luxembourg`"),
        ((0.1, 4.0, f64::NEG_INFINITY, 10.0), "salience of `Germany`"),
        (
            (0.1, 4.0, 0.5, f64::INFINITY),
            "dimension `delay (years)` max",
        ),
    ] {
        match with(args.0, args.1, args.2, args.3) {
            Err(SpatialError::NotFinite { field: f, value }) => {
                assert!(f.starts_with(field), "{f}");
                assert!(!value.is_finite());
            }
            other => panic!("{field}: expected NotFinite, got {other:?}"),
        }
    }
    // The largest finite capability is accepted and modelled.
    let big = with(f64::MAX, 4.0, 0.5, 10.0).unwrap();
    for spec in specs() {
        assert!(run(&big, &spec).is_ok(), "{}", spec.name());
    }
}
