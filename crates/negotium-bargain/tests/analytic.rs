//! Analytic cases with known answers, and property tests checked against
//! brute force (frontier, rationality, determinism).

use negotium_bargain::analysis::{analyze, pareto_brute_force, pareto_frontier, solutions};
use negotium_bargain::prefs::Reservation;
use negotium_bargain::sao::{run_sao, Request, Sao};
use negotium_bargain::session::{negotiate, negotiate_by_issue, Prepared, Protocol, Settings};
use negotium_bargain::single_text::MediatorKind;
use negotium_bargain::strategy::aspiration;
use negotium_bargain::tournament::{run_all, schedule, summarize, TournamentSpec};
use negotium_bargain::{
    Domain, Issue, Normalisation, Party, Problem, Response, Space, StrategySpec, Utility,
    ValueFunction,
};
use proptest::prelude::*;

fn spec(s: &str) -> StrategySpec {
    s.parse().unwrap()
}

/// Split a pie of 10 units: A gets k, B gets 10 − k (utilities k/10 and 1 − k/10).
fn pie(ra: f64, rb: f64) -> Problem {
    let d = Domain::new(vec![Issue::integer("share_a", 0, 10).unwrap()]).unwrap();
    let ua = Utility::new(
        &d,
        &[1.0],
        &[ValueFunction::Linear {
            slope: 0.1,
            offset: 0.0,
        }],
        Normalisation::AsGiven,
        "A",
    )
    .unwrap();
    let ub = Utility::new(
        &d,
        &[1.0],
        &[ValueFunction::Linear {
            slope: -0.1,
            offset: 1.0,
        }],
        Normalisation::AsGiven,
        "B",
    )
    .unwrap();
    Problem::new(
        "pie",
        d,
        vec![
            Party::new("A", ua, Reservation::Value(ra), 1.0).unwrap(),
            Party::new("B", ub, Reservation::Value(rb), 1.0).unwrap(),
        ],
    )
    .unwrap()
}

#[test]
fn pie_split_solutions_are_known() {
    // Symmetric split: Nash = KS = egalitarian = 5.
    let prep = Prepared::new(pie(0.0, 0.0));
    let a = &prep.analysis;
    assert_eq!(a.pareto_size, 11);
    assert_eq!(a.nash.as_ref().unwrap().values[0].1, "5");
    assert_eq!(a.kalai_smorodinsky.as_ref().unwrap().values[0].1, "5");
    assert_eq!(a.egalitarian.as_ref().unwrap().values[0].1, "5");
    // Reservation A 0.4: disagreement (0.4, 0): Nash maximises (k/10 − .4)(1 − k/10) → k = 7.
    let prep = Prepared::new(pie(0.4, 0.0));
    assert_eq!(prep.analysis.nash.as_ref().unwrap().values[0].1, "7");
    // KS: ideal A = 1, B = 0.6; gains (k/10−.4)/.6 = (1−k/10)/.6 → k = 7.
    assert_eq!(
        prep.analysis.kalai_smorodinsky.as_ref().unwrap().values[0].1,
        "7"
    );
    // Rational outcomes: k ≥ 4 (B's reservation 0 is met everywhere); strict: 5..=9.
    assert_eq!(prep.analysis.rational_outcomes, 7);
    assert_eq!(prep.analysis.zopa_outcomes, 5);
}

#[test]
fn empty_zopa_means_no_solution_and_no_rational_agreement() {
    let prep = Prepared::new(pie(0.7, 0.5));
    assert_eq!(prep.analysis.zopa_outcomes, 0);
    assert!(prep.analysis.nash.is_none());
    for pair in [
        ("boulware", "conceder"),
        ("conceder", "conceder"),
        ("micro", "tft"),
    ] {
        let r = negotiate(
            &prep,
            &Settings {
                protocol: Protocol::Sao,
                strategies: vec![spec(pair.0), spec(pair.1)],
                n_steps: 50,
                seed: 1,
                trace: false,
            },
        )
        .unwrap();
        assert!(
            r.agreement.is_none(),
            "{pair:?} agreed on {:?}",
            r.agreement
        );
    }
}

#[test]
fn tough_vs_conceder_gets_its_best_outcome() {
    // The tough (e = ∞) party only ever offers and accepts its best (k = 10);
    // the conceder's aspiration falls to its floor, so it accepts k = 10
    // once 1 − t^0.25 ≤ ε, i.e. only at t = 1 — never within the deadline.
    // With conceder first and a linear second the linear side gets more.
    let prep = Prepared::new(pie(0.0, 0.0));
    let r = negotiate(
        &prep,
        &Settings {
            protocol: Protocol::Sao,
            strategies: vec![spec("tough"), spec("conceder")],
            n_steps: 20,
            seed: 0,
            trace: true,
        },
    )
    .unwrap();
    // Every offer by A is its best (share_a = 10).
    for e in &r.run.trace {
        if e.party == 0 {
            if let negotium_bargain::sao::Action::Offer { outcome } = e.action {
                assert_eq!(outcome, 10);
            }
        }
    }
    // The conceder accepts 10 only if its floor reaches 0, which never
    // happens before t = 1: no agreement, a timeout after 20 steps.
    assert!(r.agreement.is_none());
    assert_eq!(r.run.step, 20);
    assert_eq!(r.run.offers, 40);
}

#[test]
fn linear_vs_linear_meets_in_the_middle_at_the_computed_step() {
    // Both linear (e = 1) on the 0..=10 pie. In step s (0-based) of N = 9,
    // t = (s+1)/10 and each side's floor is 1 − t − ε (clamped to [0, 1]).
    // Independent simulation of the protocol: A (if s > 0) judges B's last
    // offer, then offers the smallest k with k/10 ≥ floor; B accepts iff
    // 1 − k/10 ≥ floor, otherwise offers the largest k with 1 − k/10 ≥ floor.
    let prep = Prepared::new(pie(0.0, 0.0));
    let r = negotiate(
        &prep,
        &Settings {
            protocol: Protocol::Sao,
            strategies: vec![spec("linear"), spec("linear")],
            n_steps: 9,
            seed: 0,
            trace: false,
        },
    )
    .unwrap();
    let mut expect = None;
    let mut kb_last: Option<usize> = None;
    for s in 0..9u32 {
        let t = (s as f64 + 1.0) / 10.0;
        let floor = ((1.0 - t) - 1e-4).clamp(0.0, 1.0);
        if let Some(kb) = kb_last {
            if kb as f64 / 10.0 >= floor {
                expect = Some((kb, s + 1));
                break;
            }
        }
        let ka = (0..=10usize).find(|&k| k as f64 / 10.0 >= floor).unwrap();
        if 1.0 - ka as f64 / 10.0 >= floor {
            expect = Some((ka, s + 1));
            break;
        }
        kb_last = Some(
            (0..=10usize)
                .rev()
                .find(|&k| 1.0 - k as f64 / 10.0 >= floor)
                .unwrap(),
        );
    }
    let (k, step) = expect.expect("the linear pair agrees before the deadline");
    assert_eq!(r.run.agreement, Some(k));
    assert_eq!(r.run.step, step);
    assert_eq!(aspiration(0.5, 1.0), 0.5);
}

#[test]
fn sao_state_machine_rejects_out_of_turn_actions() {
    let mut sao = Sao::new(3, 2, true).unwrap();
    assert_eq!(sao.request(), Request::Propose { party: 0 });
    assert!(sao.respond(0, Response::Accept).is_err());
    assert!(sao.propose(1, 0).is_err());
    sao.propose(0, 7).unwrap();
    assert_eq!(
        sao.request(),
        Request::Respond {
            party: 1,
            offer: 7,
            from: 0
        }
    );
    sao.respond(1, Response::Accept).unwrap();
    // Multilateral: party 2 must also accept.
    sao.respond(2, Response::Accept).unwrap();
    assert_eq!(
        sao.end(),
        Some(negotium_bargain::sao::End::Agreement { outcome: 7 })
    );
    assert_eq!(sao.steps(), 1);
    assert_eq!(sao.request(), Request::Done);
}

#[test]
fn sao_counter_offer_resets_acceptances() {
    let mut sao = Sao::new(3, 5, false).unwrap();
    sao.propose(0, 1).unwrap();
    sao.respond(1, Response::Accept).unwrap();
    sao.respond(2, Response::Reject).unwrap();
    assert_eq!(sao.request(), Request::Propose { party: 2 });
    sao.propose(2, 4).unwrap();
    // Step 1: party 0 accepts 4, party 1 must accept too.
    sao.respond(0, Response::Accept).unwrap();
    assert!(sao.end().is_none());
    sao.respond(1, Response::Accept).unwrap();
    assert_eq!(
        sao.end(),
        Some(negotium_bargain::sao::End::Agreement { outcome: 4 })
    );
    assert_eq!(sao.offers(), 2);
}

fn two_issue_problem(per_issue: bool) -> Problem {
    // Issue x: A and B both prefer "good" to their alternative ("mid" for
    // both). Issue y: A wants "a", B wants "b"; each side's alternative beats
    // the other's favourite.
    let d = Domain::new(vec![
        Issue::categorical("x", ["bad", "mid", "good"]).unwrap(),
        Issue::categorical("y", ["a", "b"]).unwrap(),
    ])
    .unwrap();
    let ua = Utility::new(
        &d,
        &[0.3, 0.7],
        &[
            ValueFunction::Table(vec![0.0, 0.5, 1.0]),
            ValueFunction::Table(vec![1.0, 0.0]),
        ],
        Normalisation::AsGiven,
        "A",
    )
    .unwrap();
    let ub = Utility::new(
        &d,
        &[0.3, 0.7],
        &[
            ValueFunction::Table(vec![0.0, 0.5, 1.0]),
            ValueFunction::Table(vec![0.0, 1.0]),
        ],
        Normalisation::AsGiven,
        "B",
    )
    .unwrap();
    let r = |v: Vec<f64>| {
        if per_issue {
            Reservation::PerIssue(v)
        } else {
            Reservation::Value(0.3 * v[0] + 0.7 * v[1])
        }
    };
    Problem::new(
        "two",
        d,
        vec![
            Party::new("A", ua, r(vec![0.5, 0.6]), 1.0).unwrap(),
            Party::new("B", ub, r(vec![0.5, 0.6]), 1.0).unwrap(),
        ],
    )
    .unwrap()
}

#[test]
fn per_issue_zones_and_issue_by_issue_talks() {
    let p = two_issue_problem(true);
    let prep = Prepared::new(p.clone());
    let a = &prep.analysis;
    assert_eq!(a.issues[0].zopa, vec!["good".to_string()]);
    assert!(a.issues[1].zopa.is_empty());
    assert_eq!(a.zopa_empty_issues(), vec!["y".to_string()]);
    // Whole package: reservation 0.57 each; best package for B with x=good,
    // y=b gives A 0.3 < 0.57: no overall zone either.
    assert_eq!(a.zopa_outcomes, 0);
    let by_issue = negotiate_by_issue(
        &p,
        &Settings {
            protocol: Protocol::Sao,
            strategies: vec![spec("boulware"), spec("conceder")],
            n_steps: 100,
            seed: 3,
            trace: false,
        },
    )
    .unwrap();
    assert_eq!(
        by_issue[0].report.agreement,
        Some(vec![("x".to_string(), "good".to_string())])
    );
    assert!(by_issue[1].report.agreement.is_none());
    // Same pattern through the mediated single text.
    for med in [
        MediatorKind::Random,
        MediatorKind::HillClimb,
        MediatorKind::Nash,
    ] {
        let by_issue = negotiate_by_issue(
            &p,
            &Settings {
                protocol: Protocol::SingleText { mediator: med },
                strategies: vec![spec("boulware"), spec("conceder")],
                n_steps: 50,
                seed: 3,
                trace: false,
            },
        )
        .unwrap();
        assert_eq!(
            by_issue[0].report.agreement,
            Some(vec![("x".to_string(), "good".to_string())]),
            "{med:?}"
        );
        assert!(by_issue[1].report.agreement.is_none(), "{med:?}");
    }
}

#[test]
fn nash_mediator_drafts_the_nash_point_and_it_is_ratified() {
    // Pie with reservations (0.4, 0): the Nash point is share_a = 7 (see above).
    let prep = Prepared::new(pie(0.4, 0.0));
    let r = negotiate(
        &prep,
        &Settings {
            protocol: Protocol::SingleText {
                mediator: MediatorKind::Nash,
            },
            strategies: vec![spec("linear"), spec("linear")],
            n_steps: 20,
            seed: 9,
            trace: true,
        },
    )
    .unwrap();
    assert_eq!(r.run.agreement, Some(7));
    // On a zero-sum single issue no amendment is a gain for both: every
    // amendment is vetoed, so the first draft stands.
    let adopted = r.run.trace.iter().filter(|e| e.party == 0).count();
    assert!(adopted >= 20);
}

#[test]
fn hill_climbing_single_text_only_adopts_pareto_improvements() {
    // Issue x is common interest: vetoes let only moves that help both pass,
    // so the final text is never worse for anyone than the first draft.
    let p = two_issue_problem(false);
    let prep = Prepared::new(p);
    for seed in 0..20 {
        let r = negotiate(
            &prep,
            &Settings {
                protocol: Protocol::SingleText {
                    mediator: MediatorKind::HillClimb,
                },
                strategies: vec![spec("boulware"), spec("boulware")],
                n_steps: 30,
                seed,
                trace: true,
            },
        )
        .unwrap();
        let texts: Vec<usize> = r
            .run
            .trace
            .iter()
            .filter_map(|e| match e.action {
                negotium_bargain::sao::Action::Offer { outcome } if e.party == usize::MAX => {
                    Some(outcome)
                }
                _ => None,
            })
            .collect();
        let draft = texts[0];
        // The last adopted text: replay the votes.
        let mut current = draft;
        let mut i = 0;
        let trace = &r.run.trace;
        while i < trace.len() {
            if trace[i].party == usize::MAX && i > 0 {
                if let negotium_bargain::sao::Action::Offer { outcome } = trace[i].action {
                    let votes: Vec<bool> = trace[i + 1..]
                        .iter()
                        .take(2)
                        .map(|e| matches!(e.action, negotium_bargain::sao::Action::Accept { .. }))
                        .collect();
                    if votes == [true, true] {
                        assert!(prep.space.utils[0][outcome] > prep.space.utils[0][current]);
                        assert!(prep.space.utils[1][outcome] > prep.space.utils[1][current]);
                        current = outcome;
                    }
                }
            }
            i += 1;
        }
        for u in &prep.space.utils {
            assert!(u[current] >= u[draft]);
        }
        // x = "good" (value 2) is reached whenever the draft's y is kept.
        assert_eq!(prep.problem.domain.decode(current)[0], 2, "seed {seed}");
    }
}

#[test]
fn multilateral_sao_needs_everyone() {
    // Three parties splitting 0..=4 units of a common good they all like,
    // except party 2, whose reservation only the top outcome meets.
    let d = Domain::new(vec![Issue::integer("x", 0, 4).unwrap()]).unwrap();
    let up = ValueFunction::Linear {
        slope: 0.25,
        offset: 0.0,
    };
    let mk = |name: &str, r: f64| {
        let u = Utility::new(
            &d,
            &[1.0],
            std::slice::from_ref(&up),
            Normalisation::AsGiven,
            name,
        )
        .unwrap();
        Party::new(name, u, Reservation::Value(r), 1.0).unwrap()
    };
    let p = Problem::new(
        "three",
        d.clone(),
        vec![mk("A", 0.0), mk("B", 0.0), mk("C", 0.9)],
    )
    .unwrap();
    let prep = Prepared::new(p);
    assert_eq!(prep.analysis.pareto, vec![4]);
    assert_eq!(prep.analysis.zopa_outcomes, 1);
    for s in ["boulware", "conceder", "micro", "tft", "random"] {
        let r = negotiate(
            &prep,
            &Settings {
                protocol: Protocol::Sao,
                strategies: vec![spec(s), spec(s), spec(s)],
                n_steps: 20,
                seed: 1,
                trace: false,
            },
        )
        .unwrap();
        if let Some(o) = r.run.agreement {
            assert_eq!(o, 4, "{s}");
        }
    }
    // Conceders at t = 1/21 have a(t) = 1 − t^0.25 ≈ 0.53: A opens with the
    // worst outcome worth ≥ 0.53 to it (x = 3, worth 0.75); B accepts; C's
    // band is [0.9 + 0.53·0.1, 1], so it rejects and offers x = 4, which A
    // and B accept in step 2.
    let r = negotiate(
        &prep,
        &Settings {
            protocol: Protocol::Sao,
            strategies: vec![spec("conceder"); 3],
            n_steps: 20,
            seed: 1,
            trace: false,
        },
    )
    .unwrap();
    assert_eq!(r.run.agreement, Some(4));
    assert_eq!((r.run.step, r.run.offers), (2, 2));
}

#[test]
fn tournament_is_deterministic_and_summarised() {
    let probs = vec![Prepared::new(pie(0.0, 0.0)), Prepared::new(pie(0.2, 0.1))];
    let spec = TournamentSpec {
        strategies: ["boulware", "conceder", "tft", "micro", "random"]
            .iter()
            .map(|s| spec(s))
            .collect(),
        protocol: Protocol::Sao,
        repetitions: 3,
        n_steps: 40,
        seed: 42,
        self_play: true,
    };
    let jobs = schedule(&probs, &spec).unwrap();
    assert_eq!(jobs.len(), 2 * 25 * 3);
    let a = run_all(&probs, &spec).unwrap();
    let b = run_all(&probs, &spec).unwrap();
    assert_eq!(a, b);
    // Bit for bit the same whatever the thread count.
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| run_all(&probs, &spec).unwrap());
    assert_eq!(a, one);
    let s = summarize(&spec, &a);
    assert_eq!(s.len(), 5);
    for row in &s {
        assert_eq!(row.negotiations, 2 * 10 * 3);
        assert!((0.0..=1.0).contains(&row.agreement_rate));
    }
}

fn random_problem(
    n_parties: usize,
    sizes: &[usize],
    tables: &[Vec<f64>],
    weights: &[f64],
    reservations: &[f64],
) -> Problem {
    let d = Domain::new(
        sizes
            .iter()
            .enumerate()
            .map(|(k, &n)| Issue::integer(format!("i{k}"), 0, n as i64 - 1).unwrap())
            .collect(),
    )
    .unwrap();
    let mut parties = Vec::new();
    let mut ti = 0;
    for p in 0..n_parties {
        let mut fs = Vec::new();
        for &n in sizes {
            fs.push(ValueFunction::Table(tables[ti][..n].to_vec()));
            ti += 1;
        }
        let w = &weights[p * sizes.len()..(p + 1) * sizes.len()];
        let u = Utility::new(&d, w, &fs, Normalisation::AsGiven, &format!("P{p}")).unwrap();
        parties.push(
            Party::new(format!("P{p}"), u, Reservation::Value(reservations[p]), 1.0).unwrap(),
        );
    }
    Problem::new("rand", d, parties).unwrap()
}

fn problem_strategy() -> impl Strategy<Value = Problem> {
    (2usize..=3, prop::collection::vec(1usize..=5, 1..=3)).prop_flat_map(|(np, sizes)| {
        let ni = sizes.len();
        (
            Just(np),
            Just(sizes),
            // Coarse values make ties (and duplicate points) likely.
            prop::collection::vec(
                prop::collection::vec((0u8..=4).prop_map(|x| x as f64 / 4.0), 5),
                np * ni,
            ),
            prop::collection::vec(0.1f64..1.0, np * ni),
            prop::collection::vec(0.0f64..0.6, np),
        )
            .prop_map(|(np, sizes, t, w, r)| random_problem(np, &sizes, &t, &w, &r))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn frontier_matches_brute_force(p in problem_strategy()) {
        let s = Space::new(&p);
        let mut fast = pareto_frontier(&s.utils, None);
        let mut slow = pareto_brute_force(&s.utils);
        fast.sort_unstable();
        slow.sort_unstable();
        prop_assert_eq!(&fast, &slow);
        // Mutually non-dominated, and every other outcome is dominated by a frontier point.
        for &a in &fast {
            for &b in &fast {
                prop_assert!(!negotium_bargain::analysis::dominates(&s.point(a), &s.point(b)));
            }
        }
        for o in 0..s.n_outcomes() {
            if !fast.contains(&o) {
                prop_assert!(fast.iter().any(|&f| negotium_bargain::analysis::dominates(&s.point(f), &s.point(o))));
            }
        }
    }

    #[test]
    fn nash_is_the_brute_force_maximum(p in problem_strategy()) {
        let s = Space::new(&p);
        let f = pareto_frontier(&s.utils, None);
        let d = s.disagreement();
        let [nash, ..] = solutions(&s.utils, &f, &d);
        let prod = |o: usize| s.utils.iter().zip(&d).map(|(u, di)| u[o] - di).product::<f64>();
        let best = (0..s.n_outcomes())
            .filter(|&o| s.utils.iter().zip(&d).all(|(u, di)| u[o] >= *di))
            .map(prod)
            .fold(f64::NEG_INFINITY, f64::max);
        match nash {
            Some(n) => prop_assert!((prod(n) - best).abs() < 1e-12),
            None => prop_assert!(best == f64::NEG_INFINITY),
        }
    }

    #[test]
    fn agreements_are_individually_rational_and_runs_deterministic(
        p in problem_strategy(),
        a in 0usize..11, b in 0usize..11, c in 0usize..11,
        seed in any::<u64>(),
    ) {
        let all = StrategySpec::builtins();
        let prep = Prepared::new(p);
        let n = prep.problem.parties.len();
        let strategies: Vec<StrategySpec> = [a, b, c][..n].iter().map(|&i| all[i].clone()).collect();
        for protocol in [Protocol::Sao, Protocol::SingleText { mediator: MediatorKind::HillClimb }] {
            let settings = Settings { protocol, strategies: strategies.clone(), n_steps: 30, seed, trace: true };
            let r1 = negotiate(&prep, &settings).unwrap();
            let r2 = negotiate(&prep, &settings).unwrap();
            prop_assert_eq!(&r1, &r2);
            if let Some(o) = r1.run.agreement {
                prop_assert!(prep.space.is_rational(o), "{:?} agreed on an irrational outcome", strategies);
            }
        }
        let _ = analyze(&prep.problem, &prep.space);
    }
}

#[test]
fn direct_driver_matches_session() {
    let prep = Prepared::new(pie(0.1, 0.1));
    let mut st = vec![spec("boulware").build(), spec("conceder").build()];
    let r = run_sao(&prep.space, &mut st, 100, 5, false).unwrap();
    let s = negotiate(
        &prep,
        &Settings {
            protocol: Protocol::Sao,
            strategies: vec![spec("boulware"), spec("conceder")],
            n_steps: 100,
            seed: 5,
            trace: false,
        },
    )
    .unwrap();
    assert_eq!(r, s.run);
}

/// The research notes' "opposed" 100,000-outcome case (§3.4): NegMAS finds
/// 46 distinct frontier points and the Nash point at utilities
/// (0.6389, 0.6611), outcome (9,9,4,0,0) with one tie.
#[test]
fn opposed_100k_domain_matches_the_negmas_reference() {
    let d = Domain::new(
        (0..5)
            .map(|k| Issue::integer(format!("i{k}"), 0, 9).unwrap())
            .collect(),
    )
    .unwrap();
    let up = ValueFunction::Table((0..10).map(|k| k as f64 / 9.0).collect());
    let down = ValueFunction::Table((0..10).map(|k| 1.0 - k as f64 / 9.0).collect());
    let wa = [0.30, 0.25, 0.20, 0.15, 0.10];
    let wb = [0.10, 0.15, 0.20, 0.25, 0.30];
    let ua = Utility::new(&d, &wa, &vec![up; 5], Normalisation::AsGiven, "A").unwrap();
    let ub = Utility::new(&d, &wb, &vec![down; 5], Normalisation::AsGiven, "B").unwrap();
    let p = Problem::new(
        "opposed",
        d,
        vec![
            Party::new("A", ua, Reservation::Value(0.0), 1.0).unwrap(),
            Party::new("B", ub, Reservation::Value(0.0), 1.0).unwrap(),
        ],
    )
    .unwrap();
    let prep = Prepared::new(p);
    assert_eq!(prep.analysis.n_outcomes, 100_000);
    assert_eq!(prep.analysis.pareto_size, 46);
    let nash = prep.analysis.nash.as_ref().unwrap();
    assert!(
        (nash.utilities[0] - 0.6389).abs() < 5e-5,
        "{:?}",
        nash.utilities
    );
    assert!(
        (nash.utilities[1] - 0.6611).abs() < 5e-5,
        "{:?}",
        nash.utilities
    );
    // Our tie-break (lowest id) picks one of NegMAS's two tied outcomes.
    let (a0, b0) = (nash.utilities[0], nash.utilities[1]);
    let ties: Vec<usize> = (0..prep.space.n_outcomes())
        .filter(|&o| (prep.space.utils[0][o] * prep.space.utils[1][o] - a0 * b0).abs() < 1e-12)
        .collect();
    let negmas = prep.problem.domain.encode(&[9, 9, 4, 0, 0]).unwrap();
    assert!(
        ties.contains(&negmas) && ties.contains(&nash.outcome),
        "{ties:?}"
    );
}
