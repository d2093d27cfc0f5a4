//! The implicit (not enumerated) method checked against enumeration on
//! spaces small enough for both: the frontier and solution points, the
//! inverse utility's stated error bound, and SAO offers.

use negotium_bargain::engine::{negotiate_general, EngineSettings, GeneralPrepared, Method};
use negotium_bargain::frontier::Quality;
use negotium_bargain::implicit::AdditiveIndex;
use negotium_bargain::prefs::Reservation;
use negotium_bargain::sao::Action;
use negotium_bargain::session::{Protocol, Settings};
use negotium_bargain::strategy::aspiration_floor;
use negotium_bargain::{
    Domain, GeneralProblem, Issue, Normalisation, Party, Problem, Space, StrategySpec, Utility,
    UtilityFn, ValueFunction,
};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random_problem(seed: u64, sizes: &[usize], parties: usize, reservation: f64) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let d = Domain::new(
        sizes
            .iter()
            .enumerate()
            .map(|(k, &n)| Issue::integer(format!("i{k}"), 0, n as i64 - 1).unwrap())
            .collect(),
    )
    .unwrap();
    let ps = (0..parties)
        .map(|q| {
            let w: Vec<f64> = sizes.iter().map(|_| rng.random::<f64>() + 0.05).collect();
            let f: Vec<ValueFunction> = sizes
                .iter()
                .map(|&n| ValueFunction::Table((0..n).map(|_| rng.random::<f64>()).collect()))
                .collect();
            let u = Utility::new(&d, &w, &f, Normalisation::AsGiven, "p").unwrap();
            Party::new(format!("p{q}"), u, Reservation::Value(reservation), 1.0).unwrap()
        })
        .collect();
    Problem::new("random", d, ps).unwrap()
}

fn implicit(p: &Problem) -> GeneralPrepared {
    GeneralPrepared::with_settings(
        GeneralProblem::from(p.clone()),
        EngineSettings {
            enumerate_limit: 0,
            ..EngineSettings::default()
        },
    )
    .unwrap()
}

fn bits(u: &[f64]) -> Vec<u64> {
    u.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn implicit_frontier_and_solution_points_equal_enumeration() {
    for (seed, sizes, parties) in [
        (1, vec![4, 3, 5], 2),
        (2, vec![6, 6, 2, 3], 2),
        (3, vec![3, 4, 5], 3),
        (4, vec![2, 2, 3, 3, 2], 3),
    ] {
        let p = random_problem(seed, &sizes, parties, 0.2);
        let exact = GeneralPrepared::new(GeneralProblem::from(p.clone())).unwrap();
        let imp = implicit(&p);
        assert_eq!(exact.analysis.method, Method::Enumerated);
        assert_eq!(imp.analysis.method, Method::Implicit);
        assert_eq!(imp.analysis.quality, Quality::Exact);
        let mut a: Vec<Vec<u64>> = exact
            .analysis
            .pareto
            .iter()
            .map(|x| bits(&x.utilities))
            .collect();
        let mut b: Vec<Vec<u64>> = imp
            .analysis
            .pareto
            .iter()
            .map(|x| bits(&x.utilities))
            .collect();
        a.sort();
        b.sort();
        assert_eq!(a, b, "seed {seed}");
        assert_eq!(exact.analysis.pareto_size, imp.analysis.pareto_size);
        assert_eq!(exact.analysis.disagreement, imp.analysis.disagreement);
        for (x, y) in [
            (&exact.analysis.nash, &imp.analysis.nash),
            (
                &exact.analysis.kalai_smorodinsky,
                &imp.analysis.kalai_smorodinsky,
            ),
            (&exact.analysis.egalitarian, &imp.analysis.egalitarian),
            (&exact.analysis.max_welfare, &imp.analysis.max_welfare),
        ] {
            assert_eq!(
                x.as_ref().map(|p| bits(&p.utilities)),
                y.as_ref().map(|p| bits(&p.utilities)),
                "seed {seed}"
            );
        }
        for q in 0..parties {
            assert_eq!(
                exact.analysis.best[q].utilities[q],
                imp.analysis.best[q].utilities[q]
            );
            assert_eq!(
                exact.analysis.worst[q].utilities[q],
                imp.analysis.worst[q].utilities[q]
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn inverse_utility_stays_within_its_stated_bound(
        seed in any::<u64>(),
        sizes in proptest::collection::vec(1usize..6, 1..6),
        levels in proptest::collection::vec(0.0f64..1.0, 8),
        resolution in prop_oneof![Just(64usize), Just(1000), Just(1 << 20)],
    ) {
        let p = random_problem(seed, &sizes, 2, 0.0);
        let u = &p.parties[0].utility;
        let idx = AdditiveIndex::with_resolution(u, resolution);
        let space = Space::new(&p);
        let views = negotium_bargain::sao::views(&space, 10);
        let (mn, mx) = (space.min[0], space.max[0]);
        for l in levels {
            let level = mn + l * (mx - mn);
            let exact = views[0].worst_at_least(level);
            let ue = space.utils[0][exact];
            let b = idx.worst_at_least(level);
            let ui = idx.eval(&b);
            prop_assert_eq!(ui, u.eval_values(&b.values()));
            prop_assert!(ui >= level, "{} < level {}", ui, level);
            prop_assert!(ui <= ue + idx.inverse_error() + 1e-12,
                "{} above the exact {} by more than {}", ui, ue, idx.inverse_error());
        }
    }
}

#[test]
fn implicit_offers_follow_the_exact_aspiration_band() {
    let p = random_problem(11, &[5, 6, 4, 7], 2, 0.1);
    let imp = implicit(&p);
    let space = Space::new(&p);
    let exact_views = negotium_bargain::sao::views(&space, 200);
    let settings = Settings {
        protocol: Protocol::Sao,
        strategies: vec![
            StrategySpec::from_name("boulware"),
            StrategySpec::from_name("conceder"),
        ],
        n_steps: 200,
        seed: 3,
        trace: true,
    };
    let r = negotiate_general(&imp, &settings).unwrap();
    let mut checked = 0;
    for e in &r.trace {
        if let Action::Offer { outcome } = &e.action {
            let q = e.party;
            let e_exp = [4.0, 0.25][q];
            let floor = aspiration_floor(&exact_views[q], e.time, e_exp);
            let exact = exact_views[q].worst_at_least(floor);
            let u = p.parties[q].utility.eval_values(outcome);
            assert!(u >= floor, "party {q} offered {u} below its floor {floor}");
            assert!(
                u <= space.utils[q][exact] + 1e-4,
                "party {q}: {u} vs exact {}",
                space.utils[q][exact]
            );
            checked += 1;
        }
    }
    assert!(checked > 2);
    assert!(r.agreement.is_some());
}

#[test]
fn fifty_issue_space_negotiates_without_enumeration() {
    let p = {
        let mut rng = ChaCha8Rng::seed_from_u64(50);
        let issues: Vec<Issue> = (0..50)
            .map(|k| Issue::integer(format!("i{k}"), 0, 9).unwrap())
            .collect();
        let parties = (0..2)
            .map(|q| {
                let w: Vec<f64> = (0..50).map(|_| rng.random::<f64>()).collect();
                let tables: Vec<Vec<f64>> = (0..50)
                    .map(|_| {
                        (0..10)
                            .map(|v| {
                                if q == 0 {
                                    v as f64 / 9.0
                                } else {
                                    1.0 - v as f64 / 9.0
                                }
                            })
                            .collect()
                    })
                    .collect();
                let total: f64 = w.iter().sum();
                let u = Utility {
                    weights: w.iter().map(|x| x / total).collect(),
                    tables,
                };
                negotium_bargain::GeneralParty::new(
                    format!("p{q}"),
                    UtilityFn::Additive(u),
                    0.0,
                    1.0,
                )
                .unwrap()
            })
            .collect();
        GeneralProblem::new("fifty", issues, parties, vec![]).unwrap()
    };
    assert_eq!(p.size_text(), "≈ 1.00e50");
    let prep = GeneralPrepared::new(p).unwrap();
    assert_eq!(prep.analysis.method, Method::Implicit);
    let r = negotiate_general(
        &prep,
        &Settings {
            protocol: Protocol::Sao,
            strategies: vec![
                StrategySpec::from_name("boulware"),
                StrategySpec::from_name("conceder"),
            ],
            n_steps: 1000,
            seed: 0,
            trace: false,
        },
    )
    .unwrap();
    assert_eq!(r.end, "agreement");
    // Against the (possibly approximate) frontier: the agreement is no
    // farther from it than its stated ε allows plus the strategies' slack.
    let d = r.distances.unwrap();
    assert!(d.pareto.is_finite());
}
