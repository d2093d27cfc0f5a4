//! Stability analysis: Nash, GMR, SMR, SEQ, SIM and SEQ&SIM per DM and as
//! equilibria. Sanctions by groups of opponents use the textbook R_{N−i}
//! (no DM moves twice in a row, but may move again later), or gmcr-py's
//! stricter "each opponent at most once" as a compatibility option.
//!
//! For every focal DM i the engine computes, for each state s1, the least
//! value i gives to any state the opponents can reach from s1
//! ([`sanction_floor`]); a UI s → s1 is sanctioned iff that floor is ≤ P_i(s).
//! Because min is idempotent the floor is found by one reverse breadth-first
//! sweep over (state, last mover) pairs in increasing order of value, linear
//! in the number of moves.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::bitset::BitSet;
use crate::error::ConflictError;
use crate::space::Conflict;

/// A stability concept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Concept {
    Nash,
    Gmr,
    Smr,
    Seq,
    Sim,
    SeqSim,
}

impl Concept {
    pub const ALL: [Concept; 6] = [
        Concept::Nash,
        Concept::Gmr,
        Concept::Smr,
        Concept::Seq,
        Concept::Sim,
        Concept::SeqSim,
    ];
    /// Short key used in JSON and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Concept::Nash => "nash",
            Concept::Gmr => "gmr",
            Concept::Smr => "smr",
            Concept::Seq => "seq",
            Concept::Sim => "sim",
            Concept::SeqSim => "seq_sim",
        }
    }
    /// Display label.
    pub fn label(self) -> &'static str {
        match self {
            Concept::Nash => "Nash",
            Concept::Gmr => "GMR",
            Concept::Smr => "SMR",
            Concept::Seq => "SEQ",
            Concept::Sim => "SIM",
            Concept::SeqSim => "SEQ&SIM",
        }
    }
    /// Parses `nash`, `r`, `gmr`, `smr`, `seq`, `sim`, `seq_sim`/`seqsim`/`seq&sim`.
    pub fn parse(s: &str) -> Option<Concept> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nash" | "r" => Some(Concept::Nash),
            "gmr" => Some(Concept::Gmr),
            "smr" => Some(Concept::Smr),
            "seq" => Some(Concept::Seq),
            "sim" => Some(Concept::Sim),
            "seq_sim" | "seqsim" | "seq&sim" | "seq+sim" => Some(Concept::SeqSim),
            _ => None,
        }
    }
}

/// Which sanction sequences opponents may use when there are 3+ DMs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Semantics {
    /// R_{N−i}: any legal sequence in which no DM moves twice in a row.
    #[default]
    Textbook,
    /// gmcr-py (GMCR+) `data_02`: each opponent moves at most once per chain.
    GmcrPy,
}

/// Stable states of one concept: per DM and for all DMs (equilibria).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConceptResult {
    pub concept: Concept,
    /// `per_dm[i]` = states stable for DM i.
    pub per_dm: Vec<BitSet>,
    /// States stable for every DM.
    pub equilibria: BitSet,
}

/// Limit on the gmcr-py compatibility table (states × 2^opponents).
const MAX_COMPAT_NODES: u128 = 1 << 27;

/// The least value of `val` over the states opponents H can reach from each
/// s1 (u32::MAX when they have no move). `ui_only`: each move must improve
/// its mover (R⁺_H, for SEQ).
pub fn sanction_floor(
    c: &Conflict,
    h: &[usize],
    val: &[u32],
    ui_only: bool,
    sem: Semantics,
) -> Result<Vec<u32>, ConflictError> {
    let ns = c.len();
    let nh = h.len();
    let legal = |k: usize, from: usize, to: usize| !ui_only || c.payoff(k, to) > c.payoff(k, from);
    let mut out = vec![u32::MAX; ns];
    match sem {
        Semantics::Textbook => {
            let mut v = vec![u32::MAX; ns * nh];
            let mut order: Vec<u32> = (0..ns as u32).collect();
            order.sort_by_key(|&q| val[q as usize]);
            let mut queue: VecDeque<u32> = VecDeque::new();
            for &q in &order {
                let q = q as usize;
                let cur = val[q];
                for jp in 0..nh {
                    let node = q * nh + jp;
                    if v[node] != u32::MAX {
                        continue;
                    }
                    v[node] = cur;
                    queue.push_back(node as u32);
                    while let Some(t) = queue.pop_front() {
                        let (ts, kp) = (t as usize / nh, t as usize % nh);
                        let k = h[kp];
                        c.for_each_pred(k, ts, |qp| {
                            if !legal(k, qp, ts) {
                                return;
                            }
                            for jp2 in 0..nh {
                                if jp2 == kp {
                                    continue;
                                }
                                let n2 = qp * nh + jp2;
                                if v[n2] == u32::MAX {
                                    v[n2] = cur;
                                    queue.push_back(n2 as u32);
                                }
                            }
                        });
                    }
                }
            }
            for (s1, o) in out.iter_mut().enumerate() {
                for (kp, &k) in h.iter().enumerate() {
                    c.for_each_move(k, s1, |t| {
                        if legal(k, s1, t) {
                            *o = (*o).min(v[t * nh + kp]);
                        }
                    });
                }
            }
        }
        Semantics::GmcrPy => {
            let nu = 1usize << nh;
            let nodes = ns as u128 * nu as u128;
            if nodes > MAX_COMPAT_NODES {
                return Err(ConflictError::TooLarge {
                    what: "the gmcr-py compatibility table (states × 2^opponents)".into(),
                    size: nodes,
                    limit: MAX_COMPAT_NODES,
                    hint: "use the textbook semantics for large conflicts".into(),
                });
            }
            let mut v = vec![u32::MAX; ns * nu];
            for u in (1..nu).rev() {
                for q in 0..ns {
                    let mut best = val[q];
                    for (kp, &k) in h.iter().enumerate() {
                        if u >> kp & 1 == 1 {
                            continue;
                        }
                        let u2 = u | 1 << kp;
                        c.for_each_move(k, q, |t| {
                            if legal(k, q, t) {
                                best = best.min(v[t * nu + u2]);
                            }
                        });
                    }
                    v[q * nu + u] = best;
                }
            }
            for (s1, o) in out.iter_mut().enumerate() {
                for (kp, &k) in h.iter().enumerate() {
                    c.for_each_move(k, s1, |t| {
                        if legal(k, s1, t) {
                            *o = (*o).min(v[t * nu + (1 << kp)]);
                        }
                    });
                }
            }
        }
    }
    Ok(out)
}

/// SMR's value of a potential sanction s2 for DM i: the best state i can be
/// in at s2 or one own move later. s2 is an inescapable sanction against a UI
/// from s iff this is ≤ P_i(s).
pub fn escape_value(c: &Conflict, i: usize) -> Vec<u32> {
    (0..c.len())
        .map(|s2| {
            let mut best = c.payoff(i, s2);
            c.for_each_move(i, s2, |s3| best = best.max(c.payoff(i, s3)));
            best
        })
        .collect()
}

/// The DMs other than `i`.
pub fn others(c: &Conflict, i: usize) -> Vec<usize> {
    (0..c.n_dms()).filter(|&j| j != i).collect()
}

/// States stable for DM `i` under `concept`.
pub fn stable_for(
    c: &Conflict,
    i: usize,
    concept: Concept,
    sem: Semantics,
) -> Result<BitSet, ConflictError> {
    let ns = c.len();
    let mut st = BitSet::new(ns);
    let pay = c.payoffs(i);
    let h = others(c, i);
    let floor = match concept {
        Concept::Nash | Concept::Sim => None,
        Concept::Gmr => Some(sanction_floor(c, &h, pay, false, sem)?),
        Concept::Seq => Some(sanction_floor(c, &h, pay, true, sem)?),
        Concept::Smr => Some(sanction_floor(c, &h, &escape_value(c, i), false, sem)?),
        Concept::SeqSim => {
            let mut a = stable_for(c, i, Concept::Seq, sem)?;
            a.or_with(&stable_for(c, i, Concept::Sim, sem)?);
            return Ok(a);
        }
    };
    for s in 0..ns {
        let ps = pay[s];
        let mut ok = true;
        c.for_each_move(i, s, |s1| {
            if !ok || pay[s1] <= ps {
                return;
            }
            ok = match (&floor, concept) {
                (Some(f), _) => f[s1] <= ps,
                (None, Concept::Sim) => sim_sanctioned(c, i, s, s1, &h),
                _ => false,
            };
        });
        if ok {
            st.insert(s);
        }
    }
    Ok(st)
}

/// Can the other DMs, each staying or taking one of its own UIs from `s`
/// simultaneously, turn i's UI s → s1 into a feasible state i likes no more than s?
pub fn sim_sanctioned(c: &Conflict, i: usize, s: usize, s1: usize, h: &[usize]) -> bool {
    sim_sanction(c, i, s, s1, h).is_some()
}

/// The sanctioning combined state of [`sim_sanctioned`], if any.
pub fn sim_sanction(c: &Conflict, i: usize, s: usize, s1: usize, h: &[usize]) -> Option<usize> {
    let lists: Vec<(u64, Vec<u64>)> = h
        .iter()
        .map(|&j| {
            (
                c.own_mask(j),
                c.improvements(j, s)
                    .into_iter()
                    .map(|q| c.code(q))
                    .collect(),
            )
        })
        .collect();
    let ps = c.payoff(i, s);
    fn rec(
        c: &Conflict,
        i: usize,
        ps: u32,
        lists: &[(u64, Vec<u64>)],
        k: usize,
        code: u64,
        moved: bool,
    ) -> Option<usize> {
        if k == lists.len() {
            if !moved {
                return None;
            }
            return c.index_of(code).filter(|&q| c.payoff(i, q) <= ps);
        }
        if let Some(q) = rec(c, i, ps, lists, k + 1, code, moved) {
            return Some(q);
        }
        let (mask, ref qs) = lists[k];
        for &qc in qs {
            let nc = (code & !mask) | (qc & mask);
            if let Some(q) = rec(c, i, ps, lists, k + 1, nc, true) {
                return Some(q);
            }
        }
        None
    }
    rec(c, i, ps, &lists, 0, c.code(s1), false)
}

/// Runs the given concepts for every DM.
pub fn analyze(
    c: &Conflict,
    concepts: &[Concept],
    sem: Semantics,
) -> Result<Vec<ConceptResult>, ConflictError> {
    concepts
        .iter()
        .map(|&concept| {
            let per_dm = (0..c.n_dms())
                .map(|i| stable_for(c, i, concept, sem))
                .collect::<Result<Vec<_>, _>>()?;
            let mut eq = BitSet::full(c.len());
            for p in &per_dm {
                eq.and_with(p);
            }
            Ok(ConceptResult {
                concept,
                per_dm,
                equilibria: eq,
            })
        })
        .collect()
}

/// One step of a move sequence: `dm` moves the conflict to `state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub dm: usize,
    pub state: usize,
}

/// Shortest legal sequence of moves by the DMs in `h` from `start` to a state
/// satisfying `goal` (not `start` itself), textbook or gmcr-py chains.
pub fn find_sequence(
    c: &Conflict,
    h: &[usize],
    start: usize,
    ui_only: bool,
    sem: Semantics,
    goal: impl Fn(usize) -> bool,
) -> Option<Vec<Step>> {
    // tag: textbook = last mover position + 1; gmcr-py = bitmask of movers used.
    let mut parent: HashMap<(usize, u64), (usize, u64, usize)> = HashMap::new();
    let mut queue = VecDeque::new();
    queue.push_back((start, 0u64));
    parent.insert((start, 0), (usize::MAX, 0, usize::MAX));
    while let Some((s, tag)) = queue.pop_front() {
        for (kp, &k) in h.iter().enumerate() {
            let allowed = match sem {
                Semantics::Textbook => tag != kp as u64 + 1,
                Semantics::GmcrPy => tag >> kp & 1 == 0,
            };
            if !allowed {
                continue;
            }
            let ntag = match sem {
                Semantics::Textbook => kp as u64 + 1,
                Semantics::GmcrPy => tag | 1 << kp,
            };
            for t in c.moves(k, s) {
                if ui_only && c.payoff(k, t) <= c.payoff(k, s) {
                    continue;
                }
                if parent.contains_key(&(t, ntag)) {
                    continue;
                }
                parent.insert((t, ntag), (s, tag, k));
                if goal(t) {
                    let mut path = Vec::new();
                    let mut cur = (t, ntag);
                    while let Some(&(ps, ptag, dm)) = parent.get(&cur) {
                        if dm == usize::MAX {
                            break;
                        }
                        path.push(Step { dm, state: cur.0 });
                        cur = (ps, ptag);
                    }
                    path.reverse();
                    return Some(path);
                }
                queue.push_back((t, ntag));
            }
        }
    }
    None
}

/// Is state `s` stable for DM `i` under `concept`? A single-state test by
/// search (used by inverse analysis; [`stable_for`] is faster for all states).
pub fn is_stable_at(c: &Conflict, i: usize, s: usize, concept: Concept, sem: Semantics) -> bool {
    let ps = c.payoff(i, s);
    let uis = c.improvements(i, s);
    if uis.is_empty() {
        return true;
    }
    let h = others(c, i);
    let esc = |t: usize| {
        let mut best = c.payoff(i, t);
        c.for_each_move(i, t, |u| best = best.max(c.payoff(i, u)));
        best
    };
    uis.iter().all(|&s1| match concept {
        Concept::Nash => false,
        Concept::Gmr => find_sequence(c, &h, s1, false, sem, |t| c.payoff(i, t) <= ps).is_some(),
        Concept::Seq => find_sequence(c, &h, s1, true, sem, |t| c.payoff(i, t) <= ps).is_some(),
        Concept::Smr => find_sequence(c, &h, s1, false, sem, |t| esc(t) <= ps).is_some(),
        Concept::Sim => sim_sanctioned(c, i, s, s1, &h),
        Concept::SeqSim => find_sequence(c, &h, s1, true, sem, |t| c.payoff(i, t) <= ps).is_some(),
    }) || (concept == Concept::SeqSim && uis.iter().all(|&s1| sim_sanctioned(c, i, s, s1, &h)))
}
