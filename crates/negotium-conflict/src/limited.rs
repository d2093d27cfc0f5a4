//! Limited-move stability L_h for two DMs (Kilgour 1985; Kilgour, Hipel &
//! Fang 1987). Tie rule: every tie-break is followed, so the anticipated
//! outcome is a *set*; s is L_h-stable for i iff that set is exactly {s}.

use serde::{Deserialize, Serialize};

use crate::bitset::BitSet;
use crate::error::ConflictError;
use crate::space::Conflict;

/// L_h results for one horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LimitedResult {
    pub horizon: usize,
    pub per_dm: Vec<BitSet>,
    pub equilibria: BitSet,
}

/// L_h for h = 1..=max_h (L_1 = Nash). Two DMs only; at most 4096 states.
///
/// Recursion, with j the other DM: G_0(i,s) = {s}; for h ≥ 1 DM i looks at
/// each q ∈ R_i(s) and the anticipated set G_{h−1}(j,q). Under some tie-break
/// i stays (outcome s) iff every q has an anticipated outcome i likes no more
/// than s; outcome x ∈ G_{h−1}(j,q) with x ≻_i s is possible iff every other
/// q′ has an anticipated outcome i likes no more than x.
pub fn limited_move(c: &Conflict, max_h: usize) -> Result<Vec<LimitedResult>, ConflictError> {
    if c.n_dms() != 2 {
        return Err(ConflictError::Unsupported(format!(
            "limited-move stability is defined here for 2 DMs; this conflict has {}",
            c.n_dms()
        )));
    }
    let ns = c.len();
    if ns > 4096 {
        return Err(ConflictError::TooLarge {
            what: "states for limited-move analysis".into(),
            size: ns as u128,
            limit: 4096,
            hint: "L_h keeps an anticipated set per state and horizon".into(),
        });
    }
    let moves: Vec<Vec<Vec<usize>>> = (0..2)
        .map(|i| (0..ns).map(|s| c.moves(i, s)).collect())
        .collect();
    // g[i][s] = G_{h}(i, s)
    let mut g: Vec<Vec<Vec<usize>>> = vec![(0..ns).map(|s| vec![s]).collect(); 2];
    let mut out = Vec::new();
    for h in 1..=max_h {
        let mut next = vec![vec![Vec::new(); ns]; 2];
        for i in 0..2 {
            let j = 1 - i;
            let p = |s: usize| c.payoff(i, s);
            for s in 0..ns {
                let qs = &moves[i][s];
                let lo: Vec<u32> = qs
                    .iter()
                    .map(|&q| g[j][q].iter().map(|&x| p(x)).min().unwrap_or(u32::MAX))
                    .collect();
                let mut res = Vec::new();
                if lo.iter().all(|&l| l <= p(s)) {
                    res.push(s);
                }
                for (a, &q) in qs.iter().enumerate() {
                    for &x in &g[j][q] {
                        if p(x) > p(s) && lo.iter().enumerate().all(|(b, &l)| b == a || l <= p(x)) {
                            res.push(x);
                        }
                    }
                }
                res.sort_unstable();
                res.dedup();
                next[i][s] = res;
            }
        }
        g = next;
        let per_dm: Vec<BitSet> = (0..2)
            .map(|i| {
                let mut b = BitSet::new(ns);
                for (s, set) in g[i].iter().enumerate() {
                    if set[..] == [s] {
                        b.insert(s);
                    }
                }
                b
            })
            .collect();
        let mut eq = per_dm[0].clone();
        eq.and_with(&per_dm[1]);
        out.push(LimitedResult {
            horizon: h,
            per_dm,
            equilibria: eq,
        });
    }
    Ok(out)
}
