//! Bloc (partition) stability under SIM and SEQ&SIM: with every DM in its own
//! bloc, the bloc algorithm must give the per-DM engine's results (all six
//! concepts); for blocs of several DMs, SIM must agree with a brute force
//! written from the definition; and one case worked by hand.

mod random_models;
use negotium_conflict::coalition::{partition_stability, partition_stability_blocwise};
use negotium_conflict::*;
use proptest::prelude::*;
use random_models::random_spec;

/// SIM for blocs from the definition: for each bloc b and state s, every
/// bloc improvement s → s1 (all members strictly gain) needs a combination of
/// the other blocs, each staying or taking one of its own bloc improvements
/// from s, at least one moving, whose combined state (each bloc's options as
/// in its own move) is feasible and leaves some member of b no better off.
fn brute_sim(c: &Conflict, blocs: &[Vec<usize>]) -> Vec<BitSet> {
    let mask = |b: &Vec<usize>| b.iter().fold(0u64, |m, &k| m | c.own_mask(k));
    let uis = |b: &Vec<usize>, s: usize| -> Vec<usize> {
        let mut v = Vec::new();
        c.for_each_move_of_mask(mask(b), s, |t| {
            if b.iter().all(|&k| c.payoff(k, t) > c.payoff(k, s)) {
                v.push(t);
            }
        });
        v
    };
    blocs
        .iter()
        .enumerate()
        .map(|(bi, b)| {
            let mut st = BitSet::new(c.len());
            for s in 0..c.len() {
                let others: Vec<(u64, Vec<usize>)> = blocs
                    .iter()
                    .enumerate()
                    .filter(|&(o, _)| o != bi)
                    .map(|(_, o)| (mask(o), uis(o, s)))
                    .collect();
                let stable = uis(b, s).into_iter().all(|s1| {
                    // every combination: index 0 = stay, j = the j-th improvement
                    let mut combos: Vec<(u64, bool)> = vec![(c.code(s1), false)];
                    for (m, qs) in &others {
                        let mut next = Vec::new();
                        for &(code, moved) in &combos {
                            next.push((code, moved));
                            for &q in qs {
                                next.push(((code & !m) | (c.code(q) & m), true));
                            }
                        }
                        combos = next;
                    }
                    combos.into_iter().any(|(code, moved)| {
                        moved
                            && c.index_of(code).is_some_and(|t| {
                                b.iter().any(|&k| c.payoff(k, t) <= c.payoff(k, s))
                            })
                    })
                });
                if stable {
                    st.insert(s);
                }
            }
            st
        })
        .collect()
}

/// Every partition of `n` DMs into blocs (restricted growth strings).
fn partitions(n: usize) -> Vec<Vec<Vec<usize>>> {
    let mut out = Vec::new();
    let mut a = vec![0usize; n];
    loop {
        let nb = a.iter().max().map_or(0, |m| m + 1);
        let mut p = vec![Vec::new(); nb];
        for (k, &b) in a.iter().enumerate() {
            p[b].push(k);
        }
        out.push(p);
        // next restricted growth string
        let mut i = n;
        loop {
            if i <= 1 {
                return out;
            }
            i -= 1;
            let m = a[..i].iter().max().copied().unwrap_or(0);
            if a[i] <= m {
                a[i] += 1;
                for x in a.iter_mut().skip(i + 1) {
                    *x = 0;
                }
                break;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// The mandatory reference: singleton blocs by the bloc algorithm equal
    /// the per-DM engine (models without misperceptions, which bloc moves
    /// ignore), for every concept.
    #[test]
    fn singleton_blocs_equal_the_per_dm_engine(seed in any::<u64>(), dms in 2usize..5) {
        let c = Conflict::build(&random_spec(seed, dms, 7)).unwrap();
        let singletons: Vec<Vec<usize>> = (0..dms).map(|k| vec![k]).collect();
        let engine = analyze(&c, &Concept::ALL, Semantics::Textbook).unwrap();
        for r in &engine {
            let (per, eq) = partition_stability_blocwise(&c, &singletons, r.concept).unwrap();
            prop_assert_eq!(&per, &r.per_dm, "{:?} per DM", r.concept);
            prop_assert_eq!(&eq, &r.equilibria, "{:?} equilibria", r.concept);
        }
    }

    /// Every partition with at least two blocs: SIM equals the brute force,
    /// SEQ&SIM is SEQ ∪ SIM bloc by bloc, and Nash ⊆ SIM.
    #[test]
    fn bloc_sim_matches_the_definition(seed in any::<u64>(), dms in 3usize..5) {
        let c = Conflict::build(&random_spec(seed, dms, 7)).unwrap();
        for p in partitions(dms).into_iter().filter(|p| p.len() >= 2) {
            let (sim, sim_eq) = partition_stability(&c, &p, Concept::Sim).unwrap();
            prop_assert_eq!(&sim, &brute_sim(&c, &p), "partition {:?}", p);
            let (seq, _) = partition_stability(&c, &p, Concept::Seq).unwrap();
            let (nash, _) = partition_stability(&c, &p, Concept::Nash).unwrap();
            let (both, _) = partition_stability(&c, &p, Concept::SeqSim).unwrap();
            for b in 0..p.len() {
                let mut u = seq[b].clone();
                u.or_with(&sim[b]);
                prop_assert_eq!(&both[b], &u, "SEQ&SIM bloc {} of {:?}", b, p);
                prop_assert!(nash[b].iter().all(|s| sim[b].contains(s)));
            }
            let mut eq = BitSet::full(c.len());
            for x in &sim {
                eq.and_with(x);
            }
            prop_assert_eq!(sim_eq, eq);
        }
    }
}

/// The property tests above are not vacuous: over fixed seeds, singleton
/// blocs meet SIM-unstable states with improvements, SIM-stable states that
/// are not Nash (a simultaneous sanction found), and SIM ≠ SEQ.
#[test]
fn the_random_models_exercise_sim_sanctions() {
    let (mut sanctioned, mut unsanctioned, mut differ) = (0, 0, 0);
    for seed in 0..40u64 {
        let dms = 2 + (seed % 3) as usize;
        let c = Conflict::build(&random_spec(seed, dms, 7)).unwrap();
        let singletons: Vec<Vec<usize>> = (0..dms).map(|k| vec![k]).collect();
        let (sim, _) = partition_stability_blocwise(&c, &singletons, Concept::Sim).unwrap();
        let (nash, _) = partition_stability_blocwise(&c, &singletons, Concept::Nash).unwrap();
        let (seq, _) = partition_stability_blocwise(&c, &singletons, Concept::Seq).unwrap();
        for b in 0..dms {
            sanctioned += sim[b].iter().filter(|&s| !nash[b].contains(s)).count();
            unsanctioned += c.len() - sim[b].count();
            differ += (sim[b] != seq[b]) as usize;
        }
    }
    assert!(sanctioned > 20, "SIM-stable non-Nash states: {sanctioned}");
    assert!(unsanctioned > 20, "SIM-unstable states: {unsanctioned}");
    assert!(differ > 5, "DMs whose SIM and SEQ sets differ: {differ}");
}

/// A prisoner's dilemma between A and B (option `a`: A defects, `b`: B
/// defects) watched by C, whose one option `c` punishes: payoffs (A, B, C)
/// by state number (code = a + 2b + 4c, number = code + 1)
///
/// ```text
///  1 ---  (2, 2, 0)   5 --c  (0, 0, 1)   C likes punishing cooperators only
///  2 a--  (3, 0, 0)   6 a-c  (3, 0, 0)
///  3 -b-  (0, 3, 0)   7 -bc  (0, 3, 0)
///  4 ab-  (1, 1, 0)   8 abc  (1, 1, 0)
/// ```
///
/// A and B as one bloc X = {A, B}, C alone. X's improvements (both strictly
/// gain, changing a and b at once): 4 → 1 ((1,1) → (2,2)) and 5 → 8
/// ((0,0) → (1,1)); none else (from 1, 2, 3, 6, 7 nobody can gain without the
/// other losing). C's only improvement: 1 → 5.
///
/// * SEQ: X at 4 → 1 is sanctioned by C's improvement 1 → 5 ((0,0) ≤ (1,1)):
///   stable; X at 5 → 8: C has no improvement from 8: unstable. C at 1 → 5 is
///   sanctioned by X's 5 → 8 (C gets 0 ≤ 0): stable. Equilibria: all but 5.
/// * SIM: C's simultaneous answer must be an improvement *from the start*:
///   from 4, C has none (4 → 8 leaves C at 0), so X's 4 → 1 goes unsanctioned
///   and 4 is unstable; 5 likewise (C has no improvement from 5). C at 1: X
///   has no improvement from 1, so C's 1 → 5 is unsanctioned. Equilibria
///   {2, 3, 6, 7, 8}: mutual cooperation (1) falls, because C's punishment is
///   no longer deterred, and so does mutual defection without punishment (4),
///   because the bloc can leave it before C reacts.
/// * SEQ&SIM: SEQ-stable or SIM-stable per bloc: X all but 5, C all;
///   equilibria all but 5.
#[test]
fn prisoners_with_a_punisher_worked_by_hand() {
    let opt = |id: &str, dm: usize| OptionSpec {
        id: id.into(),
        name: id.into(),
        dm,
        reversibility: Reversibility::Both,
    };
    let dm = |id: &str, p: [i64; 8]| DmSpec {
        id: id.into(),
        name: id.into(),
        preferences: Preferences::Payoffs(p.to_vec()),
        misperceived: vec![],
    };
    let spec = ConflictSpec {
        dms: vec![
            dm("A", [2, 3, 0, 1, 0, 3, 0, 1]),
            dm("B", [2, 0, 3, 1, 0, 0, 3, 1]),
            dm("C", [0, 0, 0, 0, 1, 0, 0, 0]),
        ],
        options: vec![opt("a", 0), opt("b", 1), opt("c", 2)],
        infeasible: vec![],
    };
    let c = Conflict::build(&spec).unwrap();
    // the numbering assumed above
    assert_eq!(c.pattern(1), "YNN");
    assert_eq!(c.pattern(4), "NNY");
    let blocs = vec![vec![0, 1], vec![2]];
    let numbers = |b: &BitSet| b.iter().map(|s| s + 1).collect::<Vec<_>>();
    let run = |k| partition_stability(&c, &blocs, k).unwrap();

    let (per, eq) = run(Concept::Seq);
    assert_eq!(numbers(&per[0]), vec![1, 2, 3, 4, 6, 7, 8]);
    assert_eq!(numbers(&per[1]), (1..=8).collect::<Vec<_>>());
    assert_eq!(numbers(&eq), vec![1, 2, 3, 4, 6, 7, 8]);

    let (per, eq) = run(Concept::Sim);
    assert_eq!(numbers(&per[0]), vec![1, 2, 3, 6, 7, 8]);
    assert_eq!(numbers(&per[1]), vec![2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(numbers(&eq), vec![2, 3, 6, 7, 8]);

    let (_, eq) = run(Concept::SeqSim);
    assert_eq!(numbers(&eq), vec![1, 2, 3, 4, 6, 7, 8]);
}

#[test]
fn a_sim_job_above_its_cap_is_refused_before_the_search() {
    // 3 DMs × 6 options each, all reversible (2^18 states); each DM gains
    // by dropping any of its own options, so every bloc has many
    // improvements: about 3 × 25 × 26² combined states per state, above 2^30
    // in all.
    let mut options = Vec::new();
    for d in 0..3 {
        for k in 0..6 {
            options.push(OptionSpec {
                id: format!("o{d}{k}"),
                name: format!("o{d}{k}"),
                dm: d,
                reversibility: Reversibility::Both,
            });
        }
    }
    let n = 1usize << 18;
    let dms = (0..3)
        .map(|d| DmSpec {
            id: format!("d{d}"),
            name: format!("d{d}"),
            // each DM's payoff: the number of options taken by the others
            // minus its own, so that every bloc gains by dropping its own
            preferences: Preferences::Payoffs(
                (0..n as u64)
                    .map(|code| {
                        let own = (code >> (6 * d)) & 0x3f;
                        (code.count_ones() as i64) - 2 * own.count_ones() as i64
                    })
                    .collect(),
            ),
            misperceived: vec![],
        })
        .collect();
    let c = Conflict::build(&ConflictSpec {
        dms,
        options,
        infeasible: vec![],
    })
    .unwrap();
    let e = partition_stability_blocwise(&c, &[vec![0], vec![1], vec![2]], Concept::Sim)
        .expect_err("too large");
    assert!(e.to_string().contains("SIM sanctions"), "{e}");
}
