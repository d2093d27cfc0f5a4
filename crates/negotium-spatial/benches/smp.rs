//! Criterion benchmarks of the SMP on KTAB's own inputs: a full run with
//! KTAB's default parameters (until the 2 % stopping rule fires).

use criterion::{criterion_group, criterion_main, Criterion};
use negotium_spatial::smp::simulate;
use negotium_spatial::SmpOptions;

#[path = "../tests/smp_support/mod.rs"]
mod smp_support;

fn bench_smp(c: &mut Criterion) {
    let mut group = c.benchmark_group("smp");
    group.sample_size(10);
    for name in [
        "SOE-Policy",
        "SOE-Competitive",
        "SOE-Pol-Comp",
        "dummyData_3Dim",
        "dummyData-a080",
        "dummyData-a160",
    ] {
        let p = smp_support::ktab_csv(&smp_support::fixture(&format!("{name}.csv")));
        let o = SmpOptions::default();
        let turns = simulate(&p, &o).unwrap().turns.len();
        group.bench_function(
            format!("{name} ({} actors, {turns} turns)", p.n_actors()),
            |b| b.iter(|| simulate(std::hint::black_box(&p), &o).unwrap()),
        );
    }
    group.finish();
}

criterion_group!(benches, bench_smp);
criterion_main!(benches);
