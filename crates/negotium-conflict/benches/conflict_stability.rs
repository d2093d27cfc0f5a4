//! Criterion benches on generated conflicts of up to 2^20 = 1,048,576 states:
//! building the state space, Nash, GMR and SEQ for one focal DM and for all.
//! Model: 20 options in 4 DMs of 5, no infeasible states, random payoffs
//! (ChaCha8, seed 7). Run: `cargo bench -p negotium-conflict`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use negotium_conflict::stability::stable_for;
use negotium_conflict::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `options` options split evenly among `dms` DMs, all feasible, random payoffs.
pub fn generated(options: usize, dms: usize, seed: u64) -> ConflictSpec {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = 1usize << options;
    ConflictSpec {
        options: (0..options)
            .map(|k| OptionSpec {
                id: format!("o{k}"),
                name: format!("option {k}"),
                dm: k * dms / options,
                reversibility: Reversibility::Both,
            })
            .collect(),
        infeasible: vec![],
        dms: (0..dms)
            .map(|i| DmSpec {
                id: format!("d{i}"),
                name: format!("DM {i}"),
                preferences: Preferences::Payoffs(
                    (0..n).map(|_| rng.random_range(0..1_000_000)).collect(),
                ),
                misperceived: vec![],
            })
            .collect(),
    }
}

fn benches(c: &mut Criterion) {
    let mut g = c.benchmark_group("conflict");
    g.sample_size(10);
    for &(opts, dms) in &[(16usize, 4usize), (20, 4)] {
        let spec = generated(opts, dms, 7);
        let states = 1usize << opts;
        g.bench_with_input(BenchmarkId::new("build", states), &spec, |b, s| {
            b.iter(|| Conflict::build(s).unwrap())
        });
        let conflict = Conflict::build(&spec).unwrap();
        for k in [Concept::Nash, Concept::Gmr, Concept::Seq] {
            g.bench_with_input(
                BenchmarkId::new(format!("{}_one_dm", k.key()), states),
                &conflict,
                |b, c| b.iter(|| stable_for(c, 0, k, Semantics::Textbook).unwrap()),
            );
        }
        if opts <= 16 {
            g.bench_with_input(
                BenchmarkId::new("all_concepts_all_dms", states),
                &conflict,
                |b, c| {
                    b.iter(|| {
                        analyze(
                            c,
                            &[Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Seq],
                            Semantics::Textbook,
                        )
                        .unwrap()
                    })
                },
            );
        }
    }
    g.finish();
}

criterion_group!(conflict_benches, benches);
criterion_main!(conflict_benches);
