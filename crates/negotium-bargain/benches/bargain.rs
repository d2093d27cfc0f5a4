//! Criterion benches: the Pareto frontier of a 100,000-outcome two-party
//! domain (5 issues × 10 values, the NegMAS baseline's "opposed" case),
//! 1,000 SAO negotiations Boulware vs Conceder on the 1,000-outcome
//! baseline domain (research notes §3), and SAO runs of 1,000 steps on a
//! 50-issue space (10^50 outcomes, implicit per-issue search; target < 100 ms).

use criterion::{criterion_group, criterion_main, Criterion};
use negotium_bargain::analysis::{analyze, pareto_frontier};
use negotium_bargain::implicit::{ImplicitView, PartyIndex, SearchSettings};
use negotium_bargain::prefs::Reservation;
use negotium_bargain::sao::run_sao;
use negotium_bargain::sao::run_sao_with;
use negotium_bargain::{Bid, PartyView, UtilityFn};
use negotium_bargain::{
    Domain, Issue, Normalisation, Party, Problem, Space, StrategySpec, Utility, ValueFunction,
};
use rand::{Rng, SeedableRng};

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

    // 50 issues × 10 values, opposed value functions, random weights.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(50);
    let d50: Vec<Issue> = (0..50)
        .map(|k| Issue::integer(format!("i{k}"), 0, 9).unwrap())
        .collect();
    let ufuns: Vec<UtilityFn> = (0..2)
        .map(|q| {
            let w: Vec<f64> = (0..50).map(|_| rng.random::<f64>()).collect();
            UtilityFn::Additive(
                Utility::for_issues(
                    &d50,
                    &w,
                    &vec![table(q == 0); 50],
                    Normalisation::AsGiven,
                    "p",
                )
                .unwrap(),
            )
        })
        .collect();
    let sizes = vec![10usize; 50];
    let build = || -> Vec<PartyIndex> {
        ufuns
            .iter()
            .map(|u| PartyIndex::build(u, &sizes, SearchSettings::default()))
            .collect()
    };
    let indexes = build();
    let run50 = |indexes: &[PartyIndex], a: &str, b: &str| {
        let views: Vec<ImplicitView> = (0..2)
            .map(|q| ImplicitView::new(q, 2, 1000, 0.0, 1.0, &ufuns[q], &indexes[q], &sizes))
            .collect();
        let dv: Vec<&dyn PartyView<Bid>> = views.iter().map(|v| v as &dyn PartyView<Bid>).collect();
        let mut st = vec![
            StrategySpec::from_name(a).build(),
            StrategySpec::from_name(b).build(),
        ];
        run_sao_with(&dv, &mut st, 1000, 0, false, |_| true)
            .unwrap()
            .step
    };
    // Both Boulware: an agreement only near the deadline, so close to 1,000 steps.
    eprintln!(
        "boulware vs boulware: {} steps; hardheaded vs nicetft: {} steps",
        run50(&indexes, "boulware", "boulware"),
        run50(&indexes, "hardheaded", "nicetft")
    );
    let mut g = c.benchmark_group("sao_50_issues");
    g.sample_size(10);
    g.bench_function("boulware_vs_boulware_1000_steps_indexes_shared", |b| {
        b.iter(|| run50(&indexes, "boulware", "boulware"))
    });
    g.bench_function("boulware_vs_boulware_1000_steps_incl_index_build", |b| {
        b.iter(|| {
            let idx = build();
            run50(&idx, "boulware", "boulware")
        })
    });
    g.bench_function("hardheaded_vs_nicetft_1000_steps_indexes_shared", |b| {
        b.iter(|| run50(&indexes, "hardheaded", "nicetft"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
