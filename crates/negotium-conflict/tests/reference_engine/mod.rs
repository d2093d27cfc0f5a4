//! The serial stability engine as it was before the parallel rewrite
//! (negotium commit c015ca5, `src/stability.rs`), kept verbatim apart from
//! imports as a test-only reference: reverse sweeps over (state, last mover)
//! pairs, SIM rebuilding the opponents' improvement lists for every focal
//! improvement, no parallelism; and the searches of `status_quo.rs`,
//! `coalition.rs` (`group_reach`) and `find_sequence` over (state, last
//! mover) pairs; and `partition_stability` (bloc analysis) searching
//! sanctions state by state. The new engine must give identical results and
//! paths.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};

use negotium_conflict::{BitSet, Concept, ConceptResult, Conflict, ConflictError, Semantics, Step};

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

// ---- status_quo.rs (old) ----

/// Reachability from a status quo.
pub struct Reach {
    pub start: usize,
    pub improvements_only: bool,
    /// `dist[s]` = fewest legal moves from the start to s (None: unreachable).
    pub dist: Vec<Option<u32>>,
    /// Parent pointers over (state, last mover) nodes, for paths.
    parent: Vec<u32>,
    first_node: Vec<u32>,
    n_dms: usize,
}

const NIL: u32 = u32::MAX;

/// Breadth-first search over (state, last mover) from `start`.
pub fn reach(c: &Conflict, start: usize, improvements_only: bool) -> Reach {
    let ns = c.len();
    let nd = c.n_dms();
    // node = state * (nd + 1) + (last mover + 1); last mover 0 = none.
    let w = nd + 1;
    let mut parent = vec![NIL; ns * w];
    let mut seen = vec![false; ns * w];
    let mut dist = vec![None; ns];
    let mut first_node = vec![NIL; ns];
    let mut dnode = vec![0u32; ns * w];
    let root = start * w;
    seen[root] = true;
    dist[start] = Some(0);
    first_node[start] = root as u32;
    let mut q = VecDeque::new();
    q.push_back(root);
    while let Some(node) = q.pop_front() {
        let (s, last) = (node / w, node % w);
        for k in 0..nd {
            if last == k + 1 {
                continue;
            }
            c.for_each_move(k, s, |t| {
                if improvements_only && c.payoff(k, t) <= c.payoff(k, s) {
                    return;
                }
                let n2 = t * w + k + 1;
                if seen[n2] {
                    return;
                }
                seen[n2] = true;
                parent[n2] = node as u32;
                dnode[n2] = dnode[node] + 1;
                if dist[t].is_none() {
                    dist[t] = Some(dnode[n2]);
                    first_node[t] = n2 as u32;
                }
                q.push_back(n2);
            });
        }
    }
    Reach {
        start,
        improvements_only,
        dist,
        parent,
        first_node,
        n_dms: nd,
    }
}

impl Reach {
    /// Is `s` reachable (the start counts)?
    pub fn reachable(&self, s: usize) -> bool {
        self.dist[s].is_some()
    }
    /// A shortest legal path from the start to `s` (empty for the start itself).
    pub fn path(&self, s: usize) -> Option<Vec<Step>> {
        let w = self.n_dms + 1;
        let mut node = *self.first_node.get(s)?;
        if node == NIL {
            return None;
        }
        let mut out = Vec::new();
        while self.parent[node as usize] != NIL {
            let n = node as usize;
            out.push(Step {
                dm: n % w - 1,
                state: n / w,
            });
            node = self.parent[n];
        }
        out.reverse();
        Some(out)
    }
    /// States reachable in exactly `t` legal steps are those with a path of
    /// length t; this gives, per distance, the states first reached there.
    pub fn layers(&self) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = Vec::new();
        for (s, d) in self.dist.iter().enumerate() {
            if let Some(d) = d {
                let d = *d as usize;
                if out.len() <= d {
                    out.resize(d + 1, Vec::new());
                }
                out[d].push(s);
            }
        }
        out
    }
}

// ---- coalition.rs group_reach (old) ----

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

// ---- stability.rs find_sequence (old) ----

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

// ---- coalition.rs partition_stability (old, without its 4,096-state cap) ----

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
