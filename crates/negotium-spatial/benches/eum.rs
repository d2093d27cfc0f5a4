//! Criterion benches of the expected-utility model: BDM's emission-standards
//! case (10 actors, 10 rounds) and a synthetic 100-actor problem; plus the
//! Nash solver on the synthetic problem.

use criterion::{criterion_group, criterion_main, Criterion};
use negotium_spatial::{run, Dimension, EumOptions, ModelSpec, NashOptions, Problem};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;

/// BDM (1994) via Scholz, Calbert & Smith (2011) Table 1.
const EMISSION: [(&str, f64, f64, f64); 10] = [
    ("Netherlands", 0.08, 4.0, 0.8),
    ("Belgium", 0.08, 7.0, 0.4),
    ("Luxembourg", 0.03, 4.0, 0.2),
    ("Germany", 0.16, 4.0, 0.8),
    ("France", 0.16, 10.0, 0.6),
    ("Italy", 0.16, 10.0, 0.6),
    ("UK", 0.16, 10.0, 0.9),
    ("Ireland", 0.05, 7.0, 0.1),
    ("Denmark", 0.05, 4.0, 1.0),
    ("Greece", 0.08, 7.0, 0.7),
];

fn emission() -> Problem {
    Problem::new(
        EMISSION.iter().map(|d| d.0.to_string()).collect(),
        EMISSION.iter().map(|d| d.1).collect(),
        vec![Dimension {
            name: "delay".into(),
            min: 0.0,
            max: 10.0,
        }],
        EMISSION.iter().map(|d| vec![d.2]).collect(),
        EMISSION.iter().map(|d| vec![d.3]).collect(),
    )
    .unwrap()
}

/// `n` actors with seeded random capability, position (0–100) and salience.
fn synthetic(n: usize, seed: u64) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Problem::new(
        (0..n).map(|i| format!("a{i}")).collect(),
        (0..n).map(|_| rng.random_range(1.0..100.0)).collect(),
        vec![Dimension {
            name: "d".into(),
            min: 0.0,
            max: 100.0,
        }],
        (0..n).map(|_| vec![rng.random_range(0.0..100.0)]).collect(),
        (0..n).map(|_| vec![rng.random_range(0.1..1.0)]).collect(),
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let ten = ModelSpec::Eum(EumOptions::default());
    let p = emission();
    c.bench_function("eum/emission-10-actors/10-rounds", |b| {
        b.iter(|| run(black_box(&p), &ten).unwrap())
    });
    let big = synthetic(100, 42);
    c.bench_function("eum/synthetic-100-actors/10-rounds", |b| {
        b.iter(|| run(black_box(&big), &ten).unwrap())
    });
    let nash = ModelSpec::Nash(NashOptions::default());
    c.bench_function("nash/synthetic-100-actors", |b| {
        b.iter(|| run(black_box(&big), &nash).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
