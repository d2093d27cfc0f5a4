//! Cross-check at scale: the parallel engine against the serial engine it
//! replaced (kept verbatim in `reference_engine/`), on random models of
//! 2^12–2^14 option combinations with 2–4 DMs, infeasible states,
//! irreversible options and misperceptions; and thread-count determinism.

mod random_models;
mod reference_engine;

use negotium_conflict::coalition::coalition_improvements;
use negotium_conflict::stability::{find_sequence, others};
use negotium_conflict::status_quo::reach;
use negotium_conflict::*;
use random_models::random_large_spec;
use reference_engine as old;

/// (seed, DMs, options): every DM count at every size.
fn cases() -> Vec<(u64, usize, usize)> {
    let mut v = Vec::new();
    let mut seed = 1000;
    for options in [12usize, 13, 14] {
        for dms in 2..=4 {
            v.push((seed, dms, options));
            seed += 1;
        }
    }
    // more 2-DM models: both SIM paths (rows and lists) and their cases
    for options in [12usize, 13] {
        for _ in 0..3 {
            v.push((seed, 2, options));
            seed += 1;
        }
    }
    v
}

#[test]
fn stability_matches_the_serial_engine_on_random_large_models() {
    for (seed, dms, options) in cases() {
        let spec = random_large_spec(seed, dms, options);
        let c = Conflict::build(&spec).unwrap();
        let new = analyze(&c, &Concept::ALL, Semantics::Textbook).unwrap();
        let reference = old::analyze(&c, &Concept::ALL, Semantics::Textbook).unwrap();
        for (a, b) in new.iter().zip(&reference) {
            assert_eq!(
                a, b,
                "seed {seed}, {dms} DMs, {options} options, {:?}",
                a.concept
            );
        }
        if dms >= 3 {
            let ks = [Concept::Gmr, Concept::Smr, Concept::Seq];
            let new = analyze(&c, &ks, Semantics::GmcrPy).unwrap();
            let reference = old::analyze(&c, &ks, Semantics::GmcrPy).unwrap();
            assert_eq!(new, reference, "gmcr-py seed {seed}");
        }
        // something is stable and something is not, or the check is weak
        let nash = &new[0];
        assert_eq!(nash.concept, Concept::Nash);
        assert!(
            new.iter().any(|r| r
                .per_dm
                .iter()
                .any(|b| b.count() > 0 && b.count() < c.len())),
            "seed {seed}: degenerate model"
        );
    }
}

/// The spec with forced features: one irreversible option per DM (take-only
/// or drop-only in turn), and a misperception for the last DM.
fn with_features(mut spec: ConflictSpec, irreversible: bool, misperceive: bool) -> ConflictSpec {
    let n = spec.dms.len();
    if irreversible {
        for d in 0..n {
            if let Some(o) = spec.options.iter_mut().find(|o| o.dm == d) {
                o.reversibility = if d % 2 == 0 {
                    Reversibility::TakeOnly
                } else {
                    Reversibility::DropOnly
                };
            }
        }
    }
    if misperceive {
        spec.dms[n - 1].misperceived = vec![Formula::And(vec![
            Formula::Lit {
                opt: 0,
                taken: true,
            },
            Formula::Lit {
                opt: 1,
                taken: false,
            },
        ])];
    }
    spec
}

#[test]
fn every_feature_combination_matches_the_serial_engine() {
    // Forced irreversible options and misperceptions, each alone and together:
    // the row, sub-cube-class and list paths of every pass.
    for (seed, dms, options) in [
        (900u64, 2usize, 12usize),
        (901, 2, 13),
        (902, 3, 12),
        (903, 4, 12),
    ] {
        for (irr, mis) in [(false, false), (true, false), (false, true), (true, true)] {
            let spec = with_features(random_large_spec(seed, dms, options), irr, mis);
            let c = Conflict::build(&spec).unwrap();
            let new = analyze(&c, &Concept::ALL, Semantics::Textbook).unwrap();
            let reference = old::analyze(&c, &Concept::ALL, Semantics::Textbook).unwrap();
            assert_eq!(
                new, reference,
                "seed {seed} irreversible {irr} misperceptions {mis}"
            );
            for start in [0, c.len() / 2] {
                let a = reach(&c, start, false);
                let b = old::reach(&c, start, false);
                assert_eq!(a.dist, b.dist, "seed {seed} reach from {start}");
            }
        }
    }
}

#[test]
fn searches_give_the_same_paths_as_the_pair_searches() {
    for (seed, dms, options) in cases().into_iter().take(9) {
        let spec = random_large_spec(seed, dms, options);
        let c = Conflict::build(&spec).unwrap();
        for start in [0, c.len() / 3, c.len() - 1] {
            for ui in [false, true] {
                let a = reach(&c, start, ui);
                let b = old::reach(&c, start, ui);
                assert_eq!(a.dist, b.dist, "seed {seed} start {start} ui {ui}");
                for s in (0..c.len()).step_by(7) {
                    assert_eq!(a.path(s), b.path(s), "seed {seed} path to {s}");
                }
            }
            // coalition of all but the last DM
            let h: Vec<usize> = (0..dms - 1).collect();
            if h.len() >= 2 {
                let got: Vec<(usize, Vec<Step>)> = coalition_improvements(&c, &h, start)
                    .into_iter()
                    .map(|m| (m.to, m.path))
                    .collect();
                let want: Vec<(usize, Vec<Step>)> = old::group_reach(&c, &h, start)
                    .into_iter()
                    .filter(|(t, _)| h.iter().all(|&k| c.payoff(k, *t) > c.payoff(k, start)))
                    .collect();
                assert_eq!(got, want, "seed {seed} coalition from {start}");
            }
            // sanction searches: shortest sequence to a state DM 0 likes no more
            let h = others(&c, 0);
            let ps = c.payoff(0, start);
            for s1 in c.improvements(0, start).into_iter().take(20) {
                for ui in [false, true] {
                    let goal = |t: usize| c.payoff(0, t) <= ps;
                    assert_eq!(
                        find_sequence(&c, &h, s1, ui, Semantics::Textbook, goal),
                        old::find_sequence(&c, &h, s1, ui, Semantics::Textbook, goal),
                        "seed {seed} sanction of {start} -> {s1}"
                    );
                }
            }
        }
    }
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    for (seed, dms, options) in [(77u64, 2usize, 14usize), (78, 3, 14), (79, 4, 13)] {
        let c = Conflict::build(&random_large_spec(seed, dms, options)).unwrap();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| analyze(&c, &Concept::ALL, Semantics::Textbook).unwrap())
        };
        let one = run(1);
        assert_eq!(one, run(2), "seed {seed}: 1 vs 2 threads");
        assert_eq!(one, run(4), "seed {seed}: 1 vs 4 threads");
    }
}

#[test]
fn bloc_analysis_matches_the_state_by_state_search() {
    use negotium_conflict::coalition::partition_stability;
    let mut multi = 0;
    for (seed, dms, options) in [
        (500u64, 3usize, 10usize),
        (501, 3, 11),
        (502, 4, 10),
        (503, 4, 12),
        (504, 3, 12),
        (505, 2, 10),
        (506, 4, 11),
    ] {
        let c = Conflict::build(&random_large_spec(seed, dms, options)).unwrap();
        // a bloc of the first two DMs (when there are 3+), and all singletons
        let mut partitions = vec![(0..dms).map(|k| vec![k]).collect::<Vec<_>>()];
        if dms >= 3 {
            let mut p = vec![vec![0, 1]];
            p.extend((2..dms).map(|k| vec![k]));
            partitions.push(p);
        }
        if dms == 4 {
            partitions.push(vec![vec![0, 2], vec![1, 3]]);
        }
        for p in &partitions {
            for k in [Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Seq] {
                let got = partition_stability(&c, p, k).unwrap();
                let want = old::partition_stability(&c, p, k).unwrap();
                assert_eq!(got, want, "seed {seed} partition {p:?} {k:?}");
                if p.iter().any(|b| b.len() > 1) && got.1.count() > 0 {
                    multi += 1;
                }
            }
        }
    }
    assert!(multi > 4, "too few non-trivial bloc results ({multi})");
}

#[test]
fn coalition_counts_match_the_improvement_lists() {
    use negotium_conflict::coalition::{coalition_counts, coalition_improvements_first};
    for (seed, dms, options) in [
        (600u64, 2usize, 12usize),
        (601, 3, 12),
        (602, 4, 12),
        (603, 3, 11),
    ] {
        let c = Conflict::build(&random_large_spec(seed, dms, options)).unwrap();
        let starts: Vec<usize> = (0..c.len()).step_by(37).collect();
        let coalitions: Vec<Vec<usize>> = match dms {
            2 => vec![vec![0, 1], vec![1]],
            3 => vec![vec![0, 1], vec![0, 2], vec![0, 1, 2]],
            _ => vec![vec![1, 3], vec![0, 1, 2], vec![0, 1, 2, 3]],
        };
        for h in &coalitions {
            let counts = coalition_counts(&c, h, &starts).unwrap();
            for (&s, &n) in starts.iter().zip(&counts) {
                let all = coalition_improvements(&c, h, s);
                assert_eq!(n, all.len(), "seed {seed} coalition {h:?} from {s}");
                let first = coalition_improvements_first(&c, h, s, 3);
                assert_eq!(first[..], all[..all.len().min(3)], "seed {seed} first 3");
            }
        }
    }
}

#[test]
fn explanations_give_the_sanctions_of_the_pair_searches() {
    use negotium_conflict::explain::explain;
    use negotium_conflict::stability::escape_value;
    for (seed, dms, options) in [
        (700u64, 2usize, 12usize),
        (701, 3, 12),
        (702, 4, 12),
        (703, 3, 13),
    ] {
        let c = Conflict::build(&random_large_spec(seed, dms, options)).unwrap();
        for s in [0, c.len() / 5, c.len() / 2, c.len() - 1] {
            for i in 0..dms {
                let h = others(&c, i);
                let ps = c.payoff(i, s);
                let esc = escape_value(&c, i);
                for k in [Concept::Gmr, Concept::Smr, Concept::Seq] {
                    let n = explain(&c, i, s, k, Semantics::Textbook).unwrap();
                    for v in &n.improvements {
                        let want = match k {
                            Concept::Gmr => old::find_sequence(
                                &c,
                                &h,
                                v.target,
                                false,
                                Semantics::Textbook,
                                |t| c.payoff(i, t) <= ps,
                            ),
                            Concept::Seq => old::find_sequence(
                                &c,
                                &h,
                                v.target,
                                true,
                                Semantics::Textbook,
                                |t| c.payoff(i, t) <= ps,
                            ),
                            _ => old::find_sequence(
                                &c,
                                &h,
                                v.target,
                                false,
                                Semantics::Textbook,
                                |t| esc[t] <= ps,
                            ),
                        };
                        assert_eq!(
                            v.sanction, want,
                            "seed {seed} DM {i} state {s} {k:?} UI {}",
                            v.target
                        );
                    }
                    assert_eq!(
                        n.stable,
                        old::stable_for(&c, i, k, Semantics::Textbook)
                            .unwrap()
                            .contains(s)
                    );
                }
            }
        }
    }
}
