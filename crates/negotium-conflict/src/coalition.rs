//! Coalition analysis: coalitional improvements from a state (Kilgour, Hipel,
//! Fang & Peng 2001), and gmcr-py's partition semantics in which each bloc of
//! DMs acts as one decision maker.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::bitset::BitSet;
use crate::error::ConflictError;
use crate::space::Conflict;
use crate::stability::{Concept, Step};

/// R_H(s): states the coalition `h` can reach from `s` by legal sequences of
/// its members' moves (no member twice in a row), with a shortest path each.
pub fn group_reach(c: &Conflict, h: &[usize], s: usize) -> Vec<(usize, Vec<Step>)> {
    let nh = h.len();
    let w = nh + 1;
    let ns = c.len();
    let mut parent = vec![u32::MAX; ns * w];
    let mut seen = vec![false; ns * w];
    let mut first: Vec<Option<usize>> = vec![None; ns];
    let mut q = VecDeque::new();
    seen[s * w] = true;
    q.push_back(s * w);
    let mut order = Vec::new();
    while let Some(node) = q.pop_front() {
        let (st, last) = (node / w, node % w);
        for (kp, &k) in h.iter().enumerate() {
            if last == kp + 1 {
                continue;
            }
            c.for_each_move(k, st, |t| {
                let n2 = t * w + kp + 1;
                if !seen[n2] {
                    seen[n2] = true;
                    parent[n2] = node as u32;
                    if first[t].is_none() {
                        first[t] = Some(n2);
                        order.push(t);
                    }
                    q.push_back(n2);
                }
            });
        }
    }
    order
        .into_iter()
        .map(|t| {
            let mut path = Vec::new();
            let mut node = first[t].unwrap_or(0);
            while parent[node] != u32::MAX {
                path.push(Step {
                    dm: h[node % w - 1],
                    state: node / w,
                });
                node = parent[node] as usize;
            }
            path.reverse();
            (t, path)
        })
        .collect()
}

/// A coalitional improvement: a state every member strictly prefers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoalitionMove {
    pub from: usize,
    pub to: usize,
    pub path: Vec<Step>,
}

/// R_H⁺⁺(s): states in R_H(s) that every member of `h` strictly prefers to s.
pub fn coalition_improvements(c: &Conflict, h: &[usize], s: usize) -> Vec<CoalitionMove> {
    group_reach(c, h, s)
        .into_iter()
        .filter(|(t, _)| h.iter().all(|&k| c.payoff(k, *t) > c.payoff(k, s)))
        .map(|(t, path)| CoalitionMove {
            from: s,
            to: t,
            path,
        })
        .collect()
}

/// Stability with gmcr-py's partition semantics: `blocs` partitions the DMs;
/// each bloc moves as one DM (any subset of its members' options at once),
/// improves only if every member strictly gains, and is sanctioned by any
/// state at which some member is no better off than at the start. Opponent
/// blocs' sanction chains follow `sem`-free textbook rules (no bloc twice in a
/// row). Returns per-bloc stable sets and equilibria. Small models only.
pub fn partition_stability(
    c: &Conflict,
    blocs: &[Vec<usize>],
    concept: Concept,
) -> Result<(Vec<BitSet>, BitSet), ConflictError> {
    check_partition(c, blocs)?;
    let ns = c.len();
    if ns > 4096 {
        return Err(ConflictError::TooLarge {
            what: "states for partition (bloc) analysis".into(),
            size: ns as u128,
            limit: 4096,
            hint: "bloc analysis enumerates sanctions state by state".into(),
        });
    }
    if matches!(concept, Concept::Sim | Concept::SeqSim) {
        return Err(ConflictError::Unsupported(
            "bloc (partition) analysis supports nash, gmr, smr and seq".into(),
        ));
    }
    let nb = blocs.len();
    let masks: Vec<u64> = blocs
        .iter()
        .map(|b| b.iter().fold(0u64, |m, &k| m | c.own_mask(k)))
        .collect();
    // Bloc moves: change any nonempty subset of the bloc's options, each
    // member's part being a legal move (or no change) of that member.
    let bloc_moves = |b: usize, s: usize| -> Vec<usize> {
        let mut v = Vec::new();
        c.for_each_move_of_mask(masks[b], s, |q| v.push(q));
        v
    };
    let gain = |b: usize, from: usize, to: usize| {
        blocs[b]
            .iter()
            .all(|&k| c.payoff(k, to) > c.payoff(k, from))
    };
    let not_better = |b: usize, base: usize, t: usize| {
        blocs[b]
            .iter()
            .any(|&k| c.payoff(k, t) <= c.payoff(k, base))
    };
    let mut per = Vec::new();
    for b in 0..nb {
        let opp: Vec<usize> = (0..nb).filter(|&x| x != b).collect();
        let mut st = BitSet::new(ns);
        for s in 0..ns {
            let uis: Vec<usize> = bloc_moves(b, s)
                .into_iter()
                .filter(|&t| gain(b, s, t))
                .collect();
            let ok = match concept {
                Concept::Nash => uis.is_empty(),
                _ => uis.iter().all(|&s1| {
                    // reachable set of opponent blocs from s1 (pairs state, last bloc)
                    let ui_only = concept == Concept::Seq;
                    let w = nb + 1;
                    let mut seen = vec![false; ns * w];
                    let mut q = VecDeque::new();
                    seen[s1 * w] = true;
                    q.push_back(s1 * w);
                    let mut found = false;
                    while let Some(node) = q.pop_front() {
                        let (x, last) = (node / w, node % w);
                        for &ob in &opp {
                            if last == ob + 1 {
                                continue;
                            }
                            for y in bloc_moves(ob, x) {
                                if ui_only && !gain(ob, x, y) {
                                    continue;
                                }
                                let n2 = y * w + ob + 1;
                                if seen[n2] {
                                    continue;
                                }
                                seen[n2] = true;
                                let sanction = not_better(b, s, y)
                                    && (concept != Concept::Smr
                                        || bloc_moves(b, y).iter().all(|&z| !gain(b, s, z)));
                                if sanction {
                                    found = true;
                                }
                                q.push_back(n2);
                            }
                        }
                        if found {
                            break;
                        }
                    }
                    found
                }),
            };
            if ok {
                st.insert(s);
            }
        }
        per.push(st);
    }
    let mut eq = BitSet::full(ns);
    for p in &per {
        eq.and_with(p);
    }
    Ok((per, eq))
}

fn check_partition(c: &Conflict, blocs: &[Vec<usize>]) -> Result<(), ConflictError> {
    let mut seen = vec![false; c.n_dms()];
    for b in blocs {
        if b.is_empty() {
            return Err(ConflictError::Model("a coalition bloc is empty".into()));
        }
        for &k in b {
            if k >= c.n_dms() || seen[k] {
                return Err(ConflictError::Model(format!(
                    "coalition partition: DM index {k} is out of range or appears twice"
                )));
            }
            seen[k] = true;
        }
    }
    if let Some(k) = seen.iter().position(|x| !x) {
        return Err(ConflictError::Model(format!(
            "coalition partition does not include DM `{}`; every DM must be in exactly one bloc",
            c.dms()[k].name
        )));
    }
    if blocs.len() < 2 {
        return Err(ConflictError::Model(
            "a partition needs at least 2 blocs".into(),
        ));
    }
    Ok(())
}
