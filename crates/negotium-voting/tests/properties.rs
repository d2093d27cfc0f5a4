//! Invariants: dummies get nothing, symmetric members get the same, and the
//! exact fractions agree with their floating-point values.

use negotium_voting::{power, Game, Index, PowerOptions, WeightedQuota};
use proptest::prelude::*;

fn game_from(weights: &[Vec<u64>], quotas: &[u64], veto: &[bool], kc: Option<u32>) -> Option<Game> {
    Game::new(
        weights
            .iter()
            .zip(quotas)
            .map(|(w, &q)| WeightedQuota {
                weights: w.clone(),
                quota: q,
            })
            .collect(),
        veto.to_vec(),
        kc,
    )
    .ok()
}

fn arb_game() -> impl Strategy<Value = (Vec<Vec<u64>>, Vec<u64>, Vec<bool>, Option<u32>)> {
    (2usize..10, 1usize..3).prop_flat_map(|(n, d)| {
        (
            prop::collection::vec(prop::collection::vec(0u64..12, n), d),
            prop::collection::vec(1u64..60, d),
            prop::collection::vec(prop::bool::weighted(0.1), n),
            prop::option::weighted(0.2, 1u32..3),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// A member of weight 0 in every quota and without a veto is a dummy: every index gives it 0.
    #[test]
    fn dummies_get_zero((mut w, q, mut veto, kc) in arb_game()) {
        for row in w.iter_mut() { row.push(0); }
        veto.push(false);
        let q: Vec<u64> = q.iter().zip(&w).map(|(q, row)| (*q).min(row.iter().sum::<u64>().max(1))).collect();
        // The minimum-complement clause can make a zero-weight member count; leave it out here.
        let _ = kc;
        if let Some(g) = game_from(&w, &q, &veto, None) {
            let dummy = g.n() - 1;
            let rep = power(&g, &PowerOptions::default()).unwrap();
            for res in &rep.results {
                prop_assert_eq!(res.values[dummy].value, 0.0, "{:?}", res.index);
            }
        }
    }

    /// Two members with the same weights and veto status get the same power under every index.
    #[test]
    fn symmetric_members_are_equal((mut w, q, mut veto, kc) in arb_game()) {
        for row in w.iter_mut() { let x = row[0]; row.push(x); }
        let v0 = veto[0];
        veto.push(v0);
        if let Some(g) = game_from(&w, &q, &veto, kc) {
            let last = g.n() - 1;
            let rep = power(&g, &PowerOptions::default()).unwrap();
            for res in &rep.results {
                prop_assert_eq!(
                    &res.values[0].exact, &res.values[last].exact, "{:?}", res.index
                );
            }
        }
    }

    /// Floating-point values are the exact fractions rounded.
    #[test]
    fn floats_match_fractions((w, q, veto, kc) in arb_game()) {
        if let Some(g) = game_from(&w, &q, &veto, kc) {
            let rep = power(&g, &PowerOptions { indices: vec![Index::ShapleyShubik, Index::Johnston], ..Default::default() }).unwrap();
            for res in &rep.results {
                for v in &res.values {
                    let e = v.exact.as_ref().unwrap();
                    let f = num_traits::ToPrimitive::to_f64(&e.0).unwrap();
                    prop_assert!((f - v.value).abs() < 1e-12);
                }
            }
        }
    }
}
