//! Criterion benches: all indices of the EU Council (2025 shares), the UN
//! Security Council, and exact Shapley–Shubik + Banzhaf of a 100-member
//! weighted game with integer weights up to 1,000.

use criterion::{criterion_group, criterion_main, Criterion};
use negotium_voting::{power, Game, Index, PowerOptions, WeightedQuota};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Council population shares for 2025 in 0.01 % units (Council figures of
/// 11 Dec 2024, Eurostat population on 1 Jan 2024), DE … MT.
pub const EU27_2025: [u64; 27] = [
    1849, 1517, 1323, 1078, 833, 423, 401, 262, 242, 236, 234, 231, 213, 202, 143, 132, 125, 121,
    119, 86, 64, 47, 42, 30, 21, 15, 12,
];

fn eu27() -> Game {
    Game::new(
        vec![
            WeightedQuota {
                weights: vec![1; 27],
                quota: 15,
            },
            WeightedQuota {
                weights: EU27_2025.to_vec(),
                quota: 6501,
            },
        ],
        vec![false; 27],
        Some(4),
    )
    .unwrap()
}

fn weighted100() -> Game {
    let mut rng = ChaCha8Rng::seed_from_u64(100);
    let w: Vec<u64> = (0..100).map(|_| rng.random_range(1..=1000)).collect();
    let q = w.iter().sum::<u64>() / 2 + 1;
    Game::weighted(q, w).unwrap()
}

fn unsc() -> Game {
    let mut w = vec![7u64; 5];
    w.extend([1u64; 10]);
    Game::weighted(39, w).unwrap()
}

fn benches(c: &mut Criterion) {
    let all = PowerOptions::default();
    let eu = eu27();
    c.bench_function("eu27_all_indices", |b| b.iter(|| power(&eu, &all).unwrap()));
    let sw = PowerOptions {
        indices: vec![Index::ShapleyShubik, Index::Banzhaf],
        ..Default::default()
    };
    c.bench_function("eu27_ss_banzhaf", |b| b.iter(|| power(&eu, &sw).unwrap()));
    let hol = PowerOptions {
        indices: vec![Index::Holler],
        ..Default::default()
    };
    c.bench_function("eu27_holler_dp_johnston", |b| {
        b.iter(|| power(&eu, &hol).unwrap())
    });
    let un = unsc();
    c.bench_function("unsc_all_indices", |b| b.iter(|| power(&un, &all).unwrap()));
    let g = weighted100();
    let ssbz = PowerOptions {
        indices: vec![Index::ShapleyShubik, Index::Banzhaf],
        ..Default::default()
    };
    let mut group = c.benchmark_group("weighted100");
    group.sample_size(10);
    group.bench_function("ss_banzhaf_exact", |b| b.iter(|| power(&g, &ssbz).unwrap()));
    group.finish();
}

criterion_group!(power_benches, benches);
criterion_main!(power_benches);
