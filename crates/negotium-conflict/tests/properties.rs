//! Invariants that hold for every graph model (research notes §1.5):
//! nesting of the concepts, gmcr-py chains ⊆ textbook chains, and
//! invariance under monotone payoff changes and relabelling of DMs/options.

mod random_models;
use negotium_conflict::*;
use proptest::prelude::*;
use random_models::random_spec;

fn stable(c: &Conflict, i: usize, k: Concept, sem: Semantics) -> BitSet {
    stability::stable_for(c, i, k, sem).unwrap()
}

fn subset(a: &BitSet, b: &BitSet) -> bool {
    a.iter().all(|s| b.contains(s))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn concepts_are_nested(seed in any::<u64>(), dms in 2usize..5) {
        let c = Conflict::build(&random_spec(seed, dms, 7)).unwrap();
        for i in 0..c.n_dms() {
            let t = |k| stable(&c, i, k, Semantics::Textbook);
            let (nash, gmr, smr, seq, sim) = (t(Concept::Nash), t(Concept::Gmr), t(Concept::Smr), t(Concept::Seq), t(Concept::Sim));
            prop_assert!(subset(&nash, &smr));
            prop_assert!(subset(&smr, &gmr));
            prop_assert!(subset(&nash, &seq));
            prop_assert!(subset(&seq, &gmr));
            prop_assert!(subset(&nash, &sim));
            for k in [Concept::Gmr, Concept::Smr, Concept::Seq] {
                prop_assert!(subset(&stable(&c, i, k, Semantics::GmcrPy), &t(k)), "gmcr-py {k:?} not within textbook");
            }
            // No UI => stable under everything.
            for s in 0..c.len() {
                if c.improvements(i, s).is_empty() {
                    prop_assert!(gmr.contains(s) && smr.contains(s) && seq.contains(s) && sim.contains(s) && nash.contains(s));
                }
            }
        }
    }

    #[test]
    fn monotone_payoff_changes_change_nothing(seed in any::<u64>(), dms in 2usize..5, a in 1i64..5, b in -20i64..20) {
        let spec = random_spec(seed, dms, 7);
        let mut spec2 = spec.clone();
        for d in &mut spec2.dms {
            if let Preferences::Payoffs(p) = &mut d.preferences {
                for x in p.iter_mut() {
                    *x = a * *x * *x * *x + b; // strictly increasing on integers
                }
            }
        }
        let c1 = Conflict::build(&spec).unwrap();
        let c2 = Conflict::build(&spec2).unwrap();
        let r1 = analyze(&c1, &Concept::ALL, Semantics::Textbook).unwrap();
        let r2 = analyze(&c2, &Concept::ALL, Semantics::Textbook).unwrap();
        prop_assert_eq!(r1, r2);
    }

    #[test]
    fn relabelling_dms_and_options_changes_nothing(seed in any::<u64>(), dms in 2usize..5, rot in 0usize..7) {
        let spec = random_spec(seed, dms, 7);
        let c1 = Conflict::build(&spec).unwrap();
        // Key of a state: the set of taken options, by spec-1 option index.
        let key1 = |c: &Conflict, s: usize| -> u64 {
            (0..c.options().len()).filter(|&b| c.code(s) >> b & 1 == 1).fold(0u64, |k, b| k | 1 << c.options()[b].spec_index)
        };
        // Relabel: DMs in reverse order, options rotated in declaration order.
        let nd = spec.dms.len();
        let m = spec.options.len();
        let perm: Vec<usize> = (0..m).map(|k| (k + rot) % m).collect(); // new position k holds old option perm[k]
        let mut spec2 = spec.clone();
        spec2.options = perm.iter().map(|&o| {
            let mut x = spec.options[o].clone();
            x.dm = nd - 1 - x.dm;
            x
        }).collect();
        let old_to_new: Vec<usize> = (0..m).map(|o| perm.iter().position(|&p| p == o).unwrap()).collect();
        spec2.infeasible = spec.infeasible.iter().map(|f| f.map_options(&|o| old_to_new[o])).collect();
        // Placeholder preferences to learn state numbering, then map payoffs.
        spec2.dms = spec.dms.iter().rev().cloned().collect();
        for d in &mut spec2.dms { d.preferences = Preferences::Statements(vec![]); }
        let c2p = Conflict::build(&spec2).unwrap();
        let key2 = |s: usize| -> u64 {
            (0..m).filter(|&b| c2p.code(s) >> b & 1 == 1).fold(0u64, |k, b| k | 1 << perm[c2p.options()[b].spec_index])
        };
        let idx1: std::collections::HashMap<u64, usize> = (0..c1.len()).map(|s| (key1(&c1, s), s)).collect();
        for (j, d) in spec2.dms.iter_mut().enumerate() {
            let i = nd - 1 - j;
            d.preferences = Preferences::Payoffs((0..c2p.len()).map(|s| c1.payoff(i, idx1[&key2(s)]) as i64).collect());
        }
        let c2 = Conflict::build(&spec2).unwrap();
        prop_assert_eq!(c1.len(), c2.len());
        for k in Concept::ALL {
            let e1: std::collections::BTreeSet<u64> = analyze(&c1, &[k], Semantics::Textbook).unwrap()[0].equilibria.iter().map(|s| key1(&c1, s)).collect();
            let e2: std::collections::BTreeSet<u64> = analyze(&c2, &[k], Semantics::Textbook).unwrap()[0].equilibria.iter().map(key2).collect();
            prop_assert_eq!(e1, e2, "{:?}", k);
        }
    }
}
