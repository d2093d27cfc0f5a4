//! Coalition analysis: coalitional improvements from a state (Kilgour, Hipel,
//! Fang & Peng 2001), and gmcr-py's partition semantics in which each bloc of
//! DMs acts as one decision maker.

use std::collections::VecDeque;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::bitset::BitSet;
use crate::error::ConflictError;
use crate::search::{bfs, bfs_bytes};
use crate::space::Conflict;
use crate::stability::{stable_for, Concept, Semantics, Step};

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

/// R_H⁺⁺(s): states in R_H(s) that every member of `h` strictly prefers to s,
/// in the order a breadth-first search reaches them, each with a shortest
/// legal path.
pub fn coalition_improvements(c: &Conflict, h: &[usize], s: usize) -> Vec<CoalitionMove> {
    coalition_improvements_first(c, h, s, usize::MAX)
}

/// The first `n` coalitional improvements of [`coalition_improvements`]; the
/// search stops as soon as it has them (or has seen everything reachable).
pub fn coalition_improvements_first(
    c: &Conflict,
    h: &[usize],
    s: usize,
    n: usize,
) -> Vec<CoalitionMove> {
    if n == 0 {
        return Vec::new();
    }
    let better = |t: usize| h.iter().all(|&k| c.payoff(k, t) > c.payoff(k, s));
    let mut found = Vec::new();
    let b = bfs(c, h, s, false, |t| {
        if better(t) {
            found.push(t);
        }
        found.len() >= n
    });
    found
        .into_iter()
        .map(|t| CoalitionMove {
            from: s,
            to: t,
            path: b.path(h, t),
        })
        .collect()
}

/// Largest dominance count of [`coalition_counts`] for 3+ members: distinct
/// start payoff vectors × distinct payoff vectors in their components.
pub const MAX_DOMINANCE_WORK: u128 = 1 << 36;

/// Largest job of [`coalition_counts`] when a member's moves do not form
/// rows: one search per start, so starting states × states × Σ_member
/// (2^options − 1) moves (2^36 ≈ 6.9·10^10, about half a minute here; at
/// 2^20 states and 2 × 10 options, 32 starting states).
pub const MAX_SEARCH_WORK: u128 = 1 << 36;

/// Bytes [`coalition_counts`] needs: component labels, row marks, the sorted
/// members and, per start, its count; or one search per thread.
pub fn coalition_counts_bytes(c: &Conflict, starts: usize) -> u64 {
    let ns = c.len() as u64;
    4 * ns + 16 * ns + 8 * starts as u64 + 64 * bfs_bytes(ns)
}

/// The number of coalitional improvements (|R_H⁺⁺(s)|) from each state of
/// `starts`, for any number of starts. When every member's moves form rows
/// (reversible options, no misperceptions) R_H(s) is s's connected component
/// in the members' move graph, shared by all its states: components are
/// labelled once and the improvements counted by dominance counting (two
/// members: a sweep with a Fenwick tree; more: a scan of the states better
/// for the first member). Otherwise one search per start, in parallel, up to
/// [`MAX_SEARCH_WORK`].
pub fn coalition_counts(
    c: &Conflict,
    h: &[usize],
    starts: &[usize],
) -> Result<Vec<usize>, ConflictError> {
    check_coalition(c, h)?;
    c.check_memory(
        "coalition analysis",
        coalition_counts_bytes(c, starts.len()),
        "raise the memory limit or reduce the state space",
    )?;
    let symmetric = h.iter().all(|&k| c.row_complete(k) && c.own_mask(k) != 0);
    if !symmetric {
        // one search per start, each up to every state and its moves
        let moves: u128 = h
            .iter()
            .map(|&k| (1u128 << c.own_mask(k).count_ones()) - 1)
            .sum();
        let work = starts.len() as u128 * c.len() as u128 * moves;
        if work > MAX_SEARCH_WORK {
            return Err(ConflictError::TooLarge {
                what: "the coalition searches (starting states × states × moves per state)".into(),
                size: work,
                limit: MAX_SEARCH_WORK,
                hint: format!(
                    "a member has irreversible options or misperceptions, so each of the {} starting states needs its own search; count from fewer states",
                    starts.len()
                ),
            });
        }
        return Ok(starts
            .par_iter()
            .map(|&s| {
                let better = |t: usize| h.iter().all(|&k| c.payoff(k, t) > c.payoff(k, s));
                let mut n = 0usize;
                bfs(c, h, s, false, |t| {
                    n += better(t) as usize;
                    false
                });
                n
            })
            .collect());
    }
    let ns = c.len();
    let label = components(c, h);
    // members sorted by (component, first member's payoff descending, index)
    let p0 = c.payoffs(h[0]);
    let mut sorted: Vec<u32> = (0..ns as u32).collect();
    sorted.par_sort_unstable_by(|&x, &y| {
        let (x, y) = (x as usize, y as usize);
        label[x]
            .cmp(&label[y])
            .then(p0[y].cmp(&p0[x]))
            .then(x.cmp(&y))
    });
    let n_comp = label.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut comp_start = vec![0usize; n_comp + 1];
    for &x in &sorted {
        comp_start[label[x as usize] as usize + 1] += 1;
    }
    for k in 0..n_comp {
        comp_start[k + 1] += comp_start[k];
    }
    // number of members of s's component with a higher first payoff
    let prefix = |s: usize| -> (usize, usize) {
        let l = label[s] as usize;
        let range = &sorted[comp_start[l]..comp_start[l + 1]];
        (
            comp_start[l],
            range.partition_point(|&x| p0[x as usize] > p0[s]),
        )
    };
    match h.len() {
        1 => Ok(starts.iter().map(|&s| prefix(s).1).collect()),
        2 => {
            // Sweep each component by descending first payoff; a Fenwick
            // tree over the second payoff counts the states already passed.
            let p1 = c.payoffs(h[1]);
            let max1 = p1.iter().copied().max().unwrap_or(0) as usize;
            let mut by_comp: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n_comp];
            for (qi, &s) in starts.iter().enumerate() {
                by_comp[label[s] as usize].push((qi, s));
            }
            let mut out = vec![0usize; starts.len()];
            let mut tree = vec![0u32; max1 + 2];
            for (l, qs) in by_comp.iter_mut().enumerate() {
                if qs.is_empty() {
                    continue;
                }
                qs.sort_unstable_by(|a, b| p0[b.1].cmp(&p0[a.1]).then(a.0.cmp(&b.0)));
                let members = &sorted[comp_start[l]..comp_start[l + 1]];
                let mut next = 0;
                let mut inserted = 0u32;
                for &(qi, s) in qs.iter() {
                    while next < members.len() && p0[members[next] as usize] > p0[s] {
                        let mut i = p1[members[next] as usize] as usize + 1;
                        while i < tree.len() {
                            tree[i] += 1;
                            i += i & i.wrapping_neg();
                        }
                        inserted += 1;
                        next += 1;
                    }
                    // inserted minus those with second payoff ≤ p1[s]
                    let mut le = 0u32;
                    let mut i = p1[s] as usize + 1;
                    while i > 0 {
                        le += tree[i];
                        i -= i & i.wrapping_neg();
                    }
                    out[qi] = (inserted - le) as usize;
                }
                for &x in &members[..next] {
                    let mut i = p1[x as usize] as usize + 1;
                    while i < tree.len() {
                        tree[i] -= 1;
                        i += i & i.wrapping_neg();
                    }
                }
            }
            Ok(out)
        }
        _ => {
            // Distinct payoff vectors (over the members) with their numbers
            // of states, per component, by descending first payoff; each
            // distinct start vector scans the vectors better for h[0].
            let key = |x: usize| -> Vec<u32> { h.iter().map(|&k| c.payoff(k, x)).collect() };
            let mut distinct: Vec<(Vec<u32>, usize)> = Vec::new();
            let mut comp_first = vec![0usize; n_comp + 1];
            for l in 0..n_comp {
                comp_first[l] = distinct.len();
                let mut members: Vec<Vec<u32>> = sorted[comp_start[l]..comp_start[l + 1]]
                    .iter()
                    .map(|&x| key(x as usize))
                    .collect();
                members.sort_unstable_by(|a, b| b[0].cmp(&a[0]).then(a.cmp(b)));
                for v in members {
                    let fresh = distinct.len() == comp_first[l];
                    match distinct.last_mut() {
                        Some((w, n)) if !fresh && *w == v => *n += 1,
                        _ => distinct.push((v, 1)),
                    }
                }
            }
            comp_first[n_comp] = distinct.len();
            let mut queries: Vec<(u32, Vec<u32>)> =
                starts.iter().map(|&s| (label[s], key(s))).collect();
            queries.sort_unstable();
            queries.dedup();
            let work: u128 = queries
                .iter()
                .map(|(l, _)| (comp_first[*l as usize + 1] - comp_first[*l as usize]) as u128)
                .sum();
            if work > MAX_DOMINANCE_WORK {
                return Err(ConflictError::TooLarge {
                    what: "the coalition count (distinct start payoff vectors × distinct payoff vectors of their components)".into(),
                    size: work,
                    limit: MAX_DOMINANCE_WORK,
                    hint: format!("{} members with many distinct payoff levels; use a coalition of two, or coarser preferences", h.len()),
                });
            }
            let answers: Vec<usize> = queries
                .par_iter()
                .map(|(l, q)| {
                    let pts = &distinct[comp_first[*l as usize]..comp_first[*l as usize + 1]];
                    let len = pts.partition_point(|(v, _)| v[0] > q[0]);
                    pts[..len]
                        .iter()
                        .filter(|(v, _)| v[1..].iter().zip(&q[1..]).all(|(a, b)| a > b))
                        .map(|(_, n)| n)
                        .sum()
                })
                .collect();
            Ok(starts
                .iter()
                .map(|&s| {
                    let q = (label[s], key(s));
                    answers[queries.binary_search(&q).unwrap_or(0)]
                })
                .collect())
        }
    }
}

/// Connected components of the members' move graph when every member's
/// moves form rows (the graph is then undirected): each row is expanded once.
fn components(c: &Conflict, h: &[usize]) -> Vec<u32> {
    let ns = c.len();
    let m = c.options().len() as u32;
    let mut label = vec![u32::MAX; ns];
    let mut swept: Vec<Vec<u64>> = h
        .iter()
        .map(|&k| vec![0u64; (1usize << (m - c.own_mask(k).count_ones())).div_ceil(64)])
        .collect();
    let mut stack: Vec<u32> = Vec::new();
    let mut next = 0u32;
    for s in 0..ns {
        if label[s] != u32::MAX {
            continue;
        }
        label[s] = next;
        stack.push(s as u32);
        while let Some(x) = stack.pop() {
            let x = x as usize;
            let code = c.code(x);
            for (kp, &k) in h.iter().enumerate() {
                let own = c.own_mask(k);
                let (lo, kk) = (own.trailing_zeros(), own.count_ones());
                let r = ((code & ((1u64 << lo) - 1)) | (code >> (lo + kk)) << lo) as usize;
                if swept[kp][r / 64] >> (r % 64) & 1 == 1 {
                    continue;
                }
                swept[kp][r / 64] |= 1 << (r % 64);
                c.for_each_move(k, x, |t| {
                    if label[t] == u32::MAX {
                        label[t] = next;
                        stack.push(t as u32);
                    }
                });
            }
        }
        next += 1;
    }
    label
}

fn check_coalition(c: &Conflict, h: &[usize]) -> Result<(), ConflictError> {
    if h.is_empty() {
        return Err(ConflictError::Model(
            "a coalition needs at least one DM".into(),
        ));
    }
    for (a, &k) in h.iter().enumerate() {
        if k >= c.n_dms() || h[..a].contains(&k) {
            return Err(ConflictError::Model(format!(
                "coalition: DM index {k} is out of range or appears twice"
            )));
        }
    }
    Ok(())
}

/// Largest bloc-analysis job: states × Σ over blocs of (2^options of the
/// bloc − 1) bloc moves, each generated from bit masks several times (2^32 ≈
/// 4.3·10^9, about a minute on two cores).
pub const MAX_BLOC_MOVES: u128 = 1 << 32;

/// Largest conflict for SMR with a bloc of two or more DMs: there a sanction
/// must leave *no* bloc move that every member prefers to the start, which is
/// not a property of one payoff, so each candidate sanction is tested by
/// enumerating the bloc's moves, for each bloc improvement of each state
/// (work up to states × bloc moves² × states reachable by the opponents).
pub const MAX_BLOC_SMR_STATES: usize = 1 << 16;

/// Largest SIM job of bloc analysis: Σ over states and blocs of the bloc's
/// improvements × Π over the other blocs of (1 + their improvements), the
/// combined states that may have to be tested (2^30 ≈ 1.1·10^9). Counted
/// exactly, state by state, before the search starts.
pub const MAX_BLOC_SIM_WORK: u128 = 1 << 30;

/// Stability with gmcr-py's partition semantics: `blocs` partitions the DMs;
/// each bloc moves as one DM (any subset of its members' options at once),
/// improves only if every member strictly gains, and is sanctioned by any
/// state at which some member is no better off than at the start. Opponent
/// blocs' sanction chains follow the textbook rule (no bloc twice in a row).
/// Returns per-bloc stable sets and equilibria.
///
/// A sanction of a bloc improvement s → s1 exists iff for some member k the
/// least P_k over the states the opponents reach from s1 is ≤ P_k(s): so, as
/// for single DMs, one floor per member (GMR, SEQ; SMR for one-DM blocs)
/// and one pass over the bloc's moves, in parallel over states. SIM: every
/// bloc improvement s → s1 must be met by the other blocs *simultaneously*,
/// each staying or taking one of its own bloc improvements from s (its part
/// of the options as in that move), giving a feasible state at which some
/// member is no better off than at s; SEQ&SIM is SEQ-stable or SIM-stable,
/// bloc by bloc, as for single DMs. When every bloc is a single DM and
/// nobody misperceives, this is the ordinary analysis (the per-DM engine
/// answers; [`partition_stability_blocwise`] runs the bloc algorithm).
/// Bloc moves ignore misperceptions.
pub fn partition_stability(
    c: &Conflict,
    blocs: &[Vec<usize>],
    concept: Concept,
) -> Result<(Vec<BitSet>, BitSet), ConflictError> {
    check_partition(c, blocs)?;
    check_bloc_limits(c, blocs, concept)?;
    if blocs.iter().all(|b| b.len() == 1) && !c.has_misperceptions() {
        let per: Vec<BitSet> = blocs
            .iter()
            .map(|b| stable_for(c, b[0], concept, Semantics::Textbook))
            .collect::<Result<_, _>>()?;
        return Ok(with_equilibria(c.len(), per));
    }
    bloc_stability(c, blocs, concept)
}

/// [`partition_stability`] by the bloc algorithm even when every bloc is a
/// single DM (no hand-over to the per-DM engine): for cross-checks.
pub fn partition_stability_blocwise(
    c: &Conflict,
    blocs: &[Vec<usize>],
    concept: Concept,
) -> Result<(Vec<BitSet>, BitSet), ConflictError> {
    check_partition(c, blocs)?;
    check_bloc_limits(c, blocs, concept)?;
    bloc_stability(c, blocs, concept)
}

fn with_equilibria(ns: usize, per: Vec<BitSet>) -> (Vec<BitSet>, BitSet) {
    let mut eq = BitSet::full(ns);
    for p in &per {
        eq.and_with(p);
    }
    (per, eq)
}

fn bloc_masks(c: &Conflict, blocs: &[Vec<usize>]) -> Vec<u64> {
    blocs
        .iter()
        .map(|b| b.iter().fold(0u64, |m, &k| m | c.own_mask(k)))
        .collect()
}

/// The size limits and the memory estimate, checked before any work.
fn check_bloc_limits(
    c: &Conflict,
    blocs: &[Vec<usize>],
    concept: Concept,
) -> Result<(), ConflictError> {
    let ns = c.len();
    let nb = blocs.len();
    let masks = bloc_masks(c, blocs);
    let moves: u128 = masks
        .iter()
        .map(|m| (1u128 << m.count_ones()) - 1)
        .sum::<u128>()
        * ns as u128;
    if moves > MAX_BLOC_MOVES {
        return Err(ConflictError::TooLarge {
            what: "the bloc moves to generate (states × Σ_bloc (2^options − 1))".into(),
            size: moves,
            limit: MAX_BLOC_MOVES,
            hint: format!(
                "{ns} states; a bloc's moves double with each option it controls: use smaller blocs or fewer options"
            ),
        });
    }
    let multi_smr = concept == Concept::Smr && blocs.iter().any(|b| b.len() > 1);
    if multi_smr && ns > MAX_BLOC_SMR_STATES {
        return Err(ConflictError::TooLarge {
            what: "states for SMR with a bloc of several DMs".into(),
            size: ns as u128,
            limit: MAX_BLOC_SMR_STATES as u128,
            hint: "each candidate sanction is tested against every bloc move (Nash, GMR and SEQ have no such limit)".into(),
        });
    }
    let n = c.n_dms() as u64;
    // SIM: per thread (≤ 64 counted), every bloc's improvement list at one state
    let sim_lists = if matches!(concept, Concept::Sim | Concept::SeqSim) {
        64 * 8 * masks.iter().map(|m| 1u64 << m.count_ones()).sum::<u64>()
    } else {
        0
    };
    // SEQ&SIM keeps both results until their union
    let sets = if concept == Concept::SeqSim { 2 } else { 1 } * (nb as u64 + 1);
    c.check_memory(
        "bloc analysis",
        4 * ns as u64 * n * 2 + 16 * ns as u64 + sets * BitSet::bytes(ns) + sim_lists,
        "raise the memory limit or reduce the state space",
    )
}

fn bloc_stability(
    c: &Conflict,
    blocs: &[Vec<usize>],
    concept: Concept,
) -> Result<(Vec<BitSet>, BitSet), ConflictError> {
    let ns = c.len();
    let per = match concept {
        Concept::Sim => bloc_sim(c, blocs)?,
        Concept::SeqSim => {
            // SIM first: a SIM job too large fails before the SEQ work
            let sim = bloc_sim(c, blocs)?;
            let mut seq = bloc_sequential(c, blocs, Concept::Seq);
            for (a, b) in seq.iter_mut().zip(&sim) {
                a.or_with(b);
            }
            seq
        }
        _ => bloc_sequential(c, blocs, concept),
    };
    Ok(with_equilibria(ns, per))
}

/// Nash, GMR, SMR and SEQ for blocs: per bloc, floors of the opponents'
/// reach, then one pass over the bloc's moves.
fn bloc_sequential(c: &Conflict, blocs: &[Vec<usize>], concept: Concept) -> Vec<BitSet> {
    let ns = c.len();
    let nb = blocs.len();
    let masks = bloc_masks(c, blocs);
    let multi_smr = concept == Concept::Smr && blocs.iter().any(|b| b.len() > 1);
    let gain = |b: usize, from: usize, to: usize| {
        blocs[b]
            .iter()
            .all(|&k| c.payoff(k, to) > c.payoff(k, from))
    };
    let mut per = Vec::new();
    for b in 0..nb {
        let opp: Vec<usize> = (0..nb).filter(|&x| x != b).collect();
        // floors[x][k-position]: least P_k (or escape value) the opponents
        // reach from each state.
        let floors: Vec<Vec<u32>> = match concept {
            Concept::Nash => Vec::new(),
            Concept::Smr if blocs[b].len() > 1 => Vec::new(),
            Concept::Smr => {
                let k = blocs[b][0];
                let esc: Vec<u32> = par_map(ns, |y| {
                    let mut best = c.payoff(k, y);
                    c.for_each_move_of_mask(masks[b], y, |z| best = best.max(c.payoff(k, z)));
                    best
                });
                vec![bloc_floor(c, &masks, &opp, &gain, &esc, false)]
            }
            _ => blocs[b]
                .par_iter()
                .map(|&k| {
                    bloc_floor(
                        c,
                        &masks,
                        &opp,
                        &gain,
                        c.payoffs(k),
                        concept == Concept::Seq,
                    )
                })
                .collect(),
        };
        let st = if multi_smr && blocs[b].len() > 1 {
            bloc_smr_multi(c, blocs, &masks, b, &opp, &gain)
        } else {
            BitSet::from_fn_par(ns, |s| {
                let mut ok = true;
                c.for_each_move_of_mask(masks[b], s, |s1| {
                    if !ok || !gain(b, s, s1) {
                        return;
                    }
                    ok = match concept {
                        Concept::Nash => false,
                        Concept::Smr => floors[0][s1] <= c.payoff(blocs[b][0], s),
                        _ => blocs[b]
                            .iter()
                            .zip(&floors)
                            .any(|(&k, f)| f[s1] <= c.payoff(k, s)),
                    };
                });
                ok
            })
        };
        per.push(st);
    }
    per
}

/// SIM for blocs (see [`partition_stability`]), state by state: every bloc's
/// improvement list at s is built, the number of combined states to test
/// counted over all states and checked against [`MAX_BLOC_SIM_WORK`], then
/// each bloc improvement is searched for a simultaneous sanction (the first
/// found ends the search).
fn bloc_sim(c: &Conflict, blocs: &[Vec<usize>]) -> Result<Vec<BitSet>, ConflictError> {
    let ns = c.len();
    let nb = blocs.len();
    let masks = bloc_masks(c, blocs);
    // each bloc's improvements from s, as option codes
    let lists_at = |s: usize| -> Vec<Vec<u64>> {
        (0..nb)
            .map(|b| {
                let mut v = Vec::new();
                c.for_each_move_of_mask(masks[b], s, |t| {
                    if blocs[b].iter().all(|&k| c.payoff(k, t) > c.payoff(k, s)) {
                        v.push(c.code(t));
                    }
                });
                v
            })
            .collect()
    };
    let work: u128 = (0..ns)
        .into_par_iter()
        .map(|s| {
            let l = lists_at(s);
            (0..nb)
                .map(|b| {
                    (0..nb)
                        .filter(|&o| o != b)
                        .fold(l[b].len() as u128, |w, o| {
                            w.saturating_mul(1 + l[o].len() as u128)
                        })
                })
                .fold(0u128, u128::saturating_add)
        })
        .reduce(|| 0, u128::saturating_add);
    if work > MAX_BLOC_SIM_WORK {
        return Err(ConflictError::TooLarge {
            what: "the SIM sanctions to test for the blocs (Σ over states and blocs of improvements × Π over the other blocs of (1 + improvements))".into(),
            size: work,
            limit: MAX_BLOC_SIM_WORK,
            hint: "every bloc improvement is tested against each combination of the other blocs' simultaneous improvements: use fewer blocs, smaller blocs or fewer options".into(),
        });
    }
    // Is some combination (each other bloc staying or taking one of its
    // improvements, at least one moving) applied to `code` a feasible state
    // where some member of the focal bloc is no better off than at s?
    fn hit(
        c: &Conflict,
        members: &[usize],
        s: usize,
        opp: &[(u64, &[u64])],
        code: u64,
        moved: bool,
    ) -> bool {
        let Some(((mask, qs), rest)) = opp.split_first() else {
            return moved
                && c.index_of(code)
                    .is_some_and(|t| members.iter().any(|&k| c.payoff(k, t) <= c.payoff(k, s)));
        };
        hit(c, members, s, rest, code, moved)
            || qs
                .iter()
                .any(|&qc| hit(c, members, s, rest, (code & !mask) | (qc & mask), true))
    }
    Ok((0..nb)
        .map(|b| {
            BitSet::from_fn_par(ns, |s| {
                let mut uis = Vec::new();
                c.for_each_move_of_mask(masks[b], s, |t| {
                    if blocs[b].iter().all(|&k| c.payoff(k, t) > c.payoff(k, s)) {
                        uis.push(t);
                    }
                });
                if uis.is_empty() {
                    return true;
                }
                let lists = lists_at(s);
                let opp: Vec<(u64, &[u64])> = (0..nb)
                    .filter(|&o| o != b)
                    .map(|o| (masks[o], lists[o].as_slice()))
                    .collect();
                uis.iter()
                    .all(|&s1| hit(c, &blocs[b], s, &opp, c.code(s1), false))
            })
        })
        .collect())
}

/// `f(s)` for every state, in parallel.
fn par_map(ns: usize, f: impl Fn(usize) -> u32 + Sync) -> Vec<u32> {
    let mut out = vec![0u32; ns];
    out.par_chunks_mut(4096).enumerate().for_each(|(ci, ch)| {
        for (k, o) in ch.iter_mut().enumerate() {
            *o = f(ci * 4096 + k);
        }
    });
    out
}

/// The least `val` over the closure of each state under the moves of the
/// blocs `opp` (each move a bloc improvement when `ui_only`), the state
/// included; as [`crate::stability::closure_floor`] for DMs.
fn bloc_floor(
    c: &Conflict,
    masks: &[u64],
    opp: &[usize],
    gain: &(impl Fn(usize, usize, usize) -> bool + Sync),
    val: &[u32],
    ui_only: bool,
) -> Vec<u32> {
    let ns = c.len();
    if let [ob] = *opp {
        return par_map(ns, |s1| {
            let mut m = val[s1];
            c.for_each_move_of_mask(masks[ob], s1, |t| {
                if !ui_only || gain(ob, s1, t) {
                    m = m.min(val[t]);
                }
            });
            m
        });
    }
    // reverse flood fill in increasing value
    let mut order: Vec<u32> = (0..ns as u32).collect();
    order.par_sort_unstable_by_key(|&q| (val[q as usize], q));
    let mut label = vec![u32::MAX; ns];
    let mut stack: Vec<u32> = Vec::new();
    for &q in &order {
        let q = q as usize;
        if label[q] != u32::MAX {
            continue;
        }
        let v = val[q];
        label[q] = v;
        stack.push(q as u32);
        while let Some(t) = stack.pop() {
            let t = t as usize;
            for &ob in opp {
                c.for_each_pred_of_mask(masks[ob], t, |p| {
                    if label[p] == u32::MAX && (!ui_only || gain(ob, p, t)) {
                        label[p] = v;
                        stack.push(p as u32);
                    }
                });
            }
        }
    }
    label
}

/// SMR for a bloc of several DMs, state by state (see [`MAX_BLOC_SMR_STATES`]):
/// each bloc improvement s → s1 needs a state y the opponent blocs reach from
/// s1 at which some member is no better off than at s and from which no bloc
/// move makes every member better off than at s.
fn bloc_smr_multi(
    c: &Conflict,
    blocs: &[Vec<usize>],
    masks: &[u64],
    b: usize,
    opp: &[usize],
    gain: &(impl Fn(usize, usize, usize) -> bool + Sync),
) -> BitSet {
    let ns = c.len();
    let not_better = |base: usize, t: usize| {
        blocs[b]
            .iter()
            .any(|&k| c.payoff(k, t) <= c.payoff(k, base))
    };
    BitSet::from_fn_par(ns, |s| {
        let uis: Vec<usize> = {
            let mut v = Vec::new();
            c.for_each_move_of_mask(masks[b], s, |z| {
                if gain(b, s, z) {
                    v.push(z)
                }
            });
            v
        };
        if uis.is_empty() {
            return true;
        }
        let sanction = |y: usize| {
            not_better(s, y) && {
                let mut escape = false;
                c.for_each_move_of_mask(masks[b], y, |z| escape = escape || gain(b, s, z));
                !escape
            }
        };
        // states shown to lead to no sanction (the goal depends on s only)
        let mut dead = std::collections::HashSet::new();
        uis.iter().all(|&s1| {
            let mut seen = std::collections::HashMap::new(); // state -> bloc that moved in
            seen.insert(s1, usize::MAX);
            let mut queue = std::collections::VecDeque::from([s1]);
            while let Some(x) = queue.pop_front() {
                let last = seen[&x];
                for &ob in opp {
                    if ob == last {
                        continue;
                    }
                    let mut hit = false;
                    c.for_each_move_of_mask(masks[ob], x, |y| {
                        if hit || seen.contains_key(&y) || dead.contains(&y) {
                            return;
                        }
                        seen.insert(y, ob);
                        if sanction(y) {
                            hit = true;
                        } else {
                            queue.push_back(y);
                        }
                    });
                    if hit {
                        return true;
                    }
                }
            }
            dead.extend(seen.into_keys());
            false
        })
    })
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
