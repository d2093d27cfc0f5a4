//! Criterion benches: the Pareto frontier of a 100,000-outcome two-party
//! domain (5 issues × 10 values, the NegMAS baseline's "opposed" case) and
//! 1,000 SAO negotiations Boulware vs Conceder on the 1,000-outcome
//! baseline domain (research notes §3).

use criterion::{criterion_group, criterion_main, Criterion};
use negotium_bargain::analysis::{analyze, pareto_frontier};
use negotium_bargain::prefs::Reservation;
use negotium_bargain::sao::run_sao;
use negotium_bargain::{
    Domain, Issue, Normalisation, Party, Problem, Space, StrategySpec, Utility, ValueFunction,
};

fn table(up: bool) -> ValueFunction {
    ValueFunction::Table(
        (0..10)
            .map(|k| {
                if up {
                    k as f64 / 9.0
                } else {
                    1.0 - k as f64 / 9.0
                }
            })
            .collect(),
    )
}

fn problem(n_issues: usize, wa: &[f64], wb: &[f64]) -> Problem {
    let d = Domain::new(
        (0..n_issues)
            .map(|k| Issue::integer(format!("i{k}"), 0, 9).unwrap())
            .collect(),
    )
    .unwrap();
    let ua = Utility::new(
        &d,
        wa,
        &vec![table(true); n_issues],
        Normalisation::AsGiven,
        "A",
    )
    .unwrap();
    let ub = Utility::new(
        &d,
        wb,
        &vec![table(false); n_issues],
        Normalisation::AsGiven,
        "B",
    )
    .unwrap();
    Problem::new(
        "bench",
        d,
        vec![
            Party::new("A", ua, Reservation::Value(0.0), 1.0).unwrap(),
            Party::new("B", ub, Reservation::Value(0.0), 1.0).unwrap(),
        ],
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let big = problem(
        5,
        &[0.30, 0.25, 0.20, 0.15, 0.10],
        &[0.10, 0.15, 0.20, 0.25, 0.30],
    );
    c.bench_function("pareto_100k_eval_and_frontier", |b| {
        b.iter(|| {
            let s = Space::new(&big);
            pareto_frontier(&s.utils, None).len()
        })
    });
    let s = Space::new(&big);
    c.bench_function("pareto_100k_frontier_only", |b| {
        b.iter(|| pareto_frontier(&s.utils, None).len())
    });
    c.bench_function("analyze_100k", |b| b.iter(|| analyze(&big, &s).pareto_size));

    let small = problem(3, &[0.5, 0.3, 0.2], &[0.2, 0.3, 0.5]);
    let specs: Vec<StrategySpec> = vec!["boulware".parse().unwrap(), "conceder".parse().unwrap()];
    let mut g = c.benchmark_group("sao");
    g.sample_size(10);
    g.bench_function("sao_1000_negotiations_incl_presort", |b| {
        b.iter(|| {
            let mut agreed = 0;
            for i in 0..1000u64 {
                let space = Space::new(&small);
                let mut st: Vec<_> = specs.iter().map(|s| s.build()).collect();
                let r = run_sao(&space, &mut st, 100, i, false).unwrap();
                agreed += r.agreement.is_some() as usize;
            }
            agreed
        })
    });
    let space = Space::new(&small);
    g.bench_function("sao_1000_negotiations_shared_space", |b| {
        b.iter(|| {
            let mut agreed = 0;
            for i in 0..1000u64 {
                let mut st: Vec<_> = specs.iter().map(|s| s.build()).collect();
                let r = run_sao(&space, &mut st, 100, i, false).unwrap();
                agreed += r.agreement.is_some() as usize;
            }
            agreed
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
