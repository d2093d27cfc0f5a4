//! Criterion benchmarks of the spatial sweep (issue 9's target: 10,000
//! draws of kosovo-status, all five spatial models on all six issues, in
//! under 5 s on 2 cores), and of the cost per draw as actors grow.
//!
//! cargo bench -p negotium-sweep --bench sweep

#[path = "../tests/support/mod.rs"]
mod support;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use negotium_sweep::SpatialSweep;

fn perturb() -> negotium_sweep::Perturb {
    "position=10,salience=0.2,capability=0.2".parse().unwrap()
}

fn kosovo(c: &mut Criterion) {
    let (actors, issues) = support::scenario_issues("kosovo-status");
    let sweep = SpatialSweep::perturbed(actors, issues, support::five_models(), perturb()).unwrap();
    let mut g = c.benchmark_group("sweep_kosovo");
    g.sample_size(10);
    g.measurement_time(std::time::Duration::from_secs(60));
    g.bench_function("10000_draws_5_models_6_issues", |b| {
        b.iter(|| sweep.run_block(2007, 0..10_000).unwrap())
    });
    g.finish();
}

/// Cost per draw with n synthetic actors on 6 issues (fewer draws as n
/// grows; criterion reports time per iteration, divide by the draws).
fn actors(c: &mut Criterion) {
    let mut g = c.benchmark_group("sweep_actors");
    g.sample_size(10);
    for (n, draws) in [(10, 100), (20, 20), (40, 4), (80, 1)] {
        let (a, i) = support::synthetic(n, 6, 1);
        let sweep = SpatialSweep::perturbed(a, i, support::five_models(), perturb()).unwrap();
        g.bench_with_input(
            BenchmarkId::new(format!("{draws}_draws"), n),
            &sweep,
            |b, s| b.iter(|| s.run_block(1, 0..draws).unwrap()),
        );
    }
    g.finish();
}

criterion_group!(benches, kosovo, actors);
criterion_main!(benches);
