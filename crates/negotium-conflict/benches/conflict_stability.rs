//! Criterion benches of the conflict engine.
//!
//! * `issue12/*`: the generated models of issue 12 (`benches/gen`: options
//!   split evenly among 2, 3 or 4 DMs, no infeasible states, three random
//!   1–2-literal statements per DM, seed 7): all six concepts for every DM
//!   (`analyze`), 2^14 … 2^20 states.
//! * `conflict/*`: 20 options in 4 DMs of 5 with random payoffs (ChaCha8,
//!   seed 7): building the state space, and Nash, GMR, SEQ for one focal DM.
//!
//! Run: `cargo bench -p negotium-conflict --bench conflict_stability`
//! (a filter such as `-- issue12/all_concepts/2dm` narrows it).

#[path = "gen/mod.rs"]
mod gen;

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

fn issue12(c: &mut Criterion) {
    let mut g = c.benchmark_group("issue12");
    g.sample_size(10);
    for &(opts, dms) in &[
        (14usize, 2usize),
        (16, 2),
        (18, 2),
        (20, 2),
        (20, 3),
        (20, 4),
    ] {
        let conflict = Conflict::build(&gen::spec(opts, dms, 7)).unwrap();
        g.bench_with_input(
            BenchmarkId::new(format!("all_concepts/{dms}dm"), 1usize << opts),
            &conflict,
            |b, c| b.iter(|| analyze(c, &Concept::ALL, Semantics::Textbook).unwrap()),
        );
    }
    g.finish();
}

fn random_payoffs(c: &mut Criterion) {
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
        g.bench_with_input(
            BenchmarkId::new("all_concepts_all_dms", states),
            &conflict,
            |b, c| b.iter(|| analyze(c, &Concept::ALL, Semantics::Textbook).unwrap()),
        );
    }
    g.finish();
}

criterion_group!(conflict_benches, issue12, random_payoffs);
criterion_main!(conflict_benches);
