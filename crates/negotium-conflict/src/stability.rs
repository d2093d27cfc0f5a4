//! Stability analysis: Nash, GMR, SMR, SEQ, SIM and SEQ&SIM per DM and as
//! equilibria. Sanctions by groups of opponents use the textbook R_{N−i}
//! (no DM moves twice in a row, but may move again later), or gmcr-py's
//! stricter "each opponent at most once" as a compatibility option.
//!
//! How it scales (every pass runs in parallel over rows or blocks of states
//! with rayon; each state's answer is computed independently, so results do
//! not depend on the thread count):
//!
//! * For focal DM i and each state s1, a *floor*: the least value i gives to
//!   any state the opponents can reach from s1 ([`closure_floor`]). A UI
//!   s → s1 is sanctioned iff the floor is ≤ P_i(s); so s is GMR-stable iff
//!   max over s1 ∈ R_i(s) of min(P_i(s1), floor(s1)) ≤ P_i(s), and likewise
//!   SMR (floor of the escape value [`escape_value`]) and SEQ (floor over
//!   improving moves). Nash and the three concepts come out of one pass over
//!   i's own moves on a packed four-value array.
//! * Every "max/min over s and R_k(s)" is a sub-cube fold done row by row
//!   (module `rows`): |O_k| steps per state rather than 2^|O_k| − 1 moves.
//! * Floors: with one opponent, a fold over its moves (over its improvements
//!   for SEQ: prefix minima in its sub-cubes sorted by its payoff). With
//!   several, each mover's relation being transitive, R_{N−i}(s1) ∪ {s1} is
//!   the plain reachability closure of s1 in the union of the opponents' move
//!   graphs, found by one reverse flood fill in increasing order of value
//!   (each state visited once, each row of a reversible opponent swept once);
//!   the 3·n fills run in parallel.
//! * SIM: with two DMs, a min-rank formulation (prefix minima over each of
//!   the sanctioner's sub-cubes sorted by its preference) costs about two
//!   passes over i's moves. With more, every DM's improvement list is built
//!   once per state and shared by all focal DMs, and the search over the
//!   opponents' combinations is pruned by box minima of P_i. SEQ&SIM is the
//!   union of SEQ and SIM, each computed once.

use std::collections::{HashMap, VecDeque};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::bitset::BitSet;
use crate::error::ConflictError;
use crate::rows::{
    block_min, fold_improvements, fold_moves, fold_subcubes, rows_bytes, Classes, Rows,
};
use crate::search::Search;
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

impl ConceptResult {
    /// Number of equilibria.
    pub fn count(&self) -> usize {
        self.equilibria.count()
    }
    /// Number of stable states per DM.
    pub fn counts_per_dm(&self) -> Vec<usize> {
        self.per_dm.iter().map(|b| b.count()).collect()
    }
    /// The first `n` equilibria (state indices, ascending).
    pub fn first_equilibria(&self, n: usize) -> Vec<usize> {
        self.equilibria.first(n)
    }
}

/// States per parallel block.
const BLOCK: usize = 4096;
const NONE: u32 = u32::MAX;

/// `f(s)` for every state, in parallel blocks.
fn par_map(ns: usize, f: impl Fn(usize) -> u32 + Sync) -> Vec<u32> {
    let mut out = vec![0u32; ns];
    out.par_chunks_mut(BLOCK).enumerate().for_each(|(ci, ch)| {
        for (k, o) in ch.iter_mut().enumerate() {
            *o = f(ci * BLOCK + k);
        }
    });
    out
}

/// SMR's value of a potential sanction s2 for DM i: the best state i can be
/// in at s2 or one own move later. s2 is an inescapable sanction against a UI
/// from s iff this is ≤ P_i(s).
pub fn escape_value(c: &Conflict, i: usize) -> Vec<u32> {
    fold_subcubes(c, i, c.payoffs(i), 0, u32::max)
}

/// The DMs other than `i`.
pub fn others(c: &Conflict, i: usize) -> Vec<usize> {
    (0..c.n_dms()).filter(|&j| j != i).collect()
}

/// The least `val` over the closure of each state s1 under the moves of the
/// DMs in `h` (s1 included; `ui_only`: each move must improve its mover).
/// For a focal DM outside `h`, that closure minus s1 is exactly R_H(s1)
/// (R⁺_H(s1)): every DM's move and improvement relations are transitive, so
/// any walk shortens to a legal sequence. Since a UI target s1 is never a
/// sanction against the UI, including s1 changes no stability result.
pub fn closure_floor(c: &Conflict, h: &[usize], val: &[u32], ui_only: bool) -> Vec<u32> {
    let rows = all_rows(c, h);
    floor_with(c, h, &rows, val, ui_only)
}

/// Rows of every DM in `ks` that has them (others `None`), indexed by DM.
fn all_rows(c: &Conflict, ks: &[usize]) -> Vec<Option<Rows>> {
    (0..c.n_dms())
        .map(|k| {
            (ks.contains(&k) && c.row_complete(k) && c.own_mask(k) != 0).then(|| Rows::new(c, k))
        })
        .collect()
}

fn floor_with(
    c: &Conflict,
    h: &[usize],
    rows: &[Option<Rows>],
    val: &[u32],
    ui_only: bool,
) -> Vec<u32> {
    let ns = c.len();
    if let [k] = *h {
        // One mover: the closure is s1 and its one-move targets.
        return if ui_only {
            fold_improvements(c, k, val).unwrap_or_else(|| fold_moves(c, k, val, true, u32::min))
        } else {
            fold_subcubes(c, k, val, NONE, u32::min)
        };
    }
    // Reverse flood fill in increasing value (counting sort, ties by index):
    // the first seed to reach a state backwards is the least value it reaches.
    // A mover with rows reaches a state from every row member (or, for
    // improvements, from every member it likes less): each row is swept once
    // (or its swept prefix only grows).
    let order = order_by_value(val);
    let mut label = vec![NONE; ns];
    let mut stack: Vec<u32> = Vec::new();
    let mut swept: Vec<Vec<u32>> = h
        .iter()
        .map(|&k| {
            rows[k]
                .as_ref()
                .map_or(Vec::new(), |r| vec![0u32; r.n_rows()])
        })
        .collect();
    for &q in &order {
        let q = q as usize;
        if label[q] != NONE {
            continue;
        }
        let v = val[q];
        label[q] = v;
        stack.push(q as u32);
        while let Some(t) = stack.pop() {
            let t = t as usize;
            for (kp, &k) in h.iter().enumerate() {
                let pk = c.payoffs(k);
                let pt = pk[t];
                if let Some(r) = &rows[k] {
                    let row = r.row_of(c.code(t));
                    let members = r.row(row);
                    let upto = if ui_only {
                        r.below(row, pk, pt)
                    } else {
                        members.len()
                    };
                    let from = swept[kp][row] as usize;
                    if upto > from {
                        for &p in &members[from..upto] {
                            if label[p as usize] == NONE {
                                label[p as usize] = v;
                                stack.push(p);
                            }
                        }
                        swept[kp][row] = upto as u32;
                    }
                } else {
                    c.for_each_pred(k, t, |p| {
                        if label[p] == NONE && (!ui_only || pt > pk[p]) {
                            label[p] = v;
                            stack.push(p as u32);
                        }
                    });
                }
            }
        }
    }
    label
}

/// State indices sorted by `val` ascending, ties by index (counting sort).
fn order_by_value(val: &[u32]) -> Vec<u32> {
    let max = val.iter().copied().max().unwrap_or(0) as usize;
    let mut start = vec![0u32; max + 2];
    for &v in val {
        start[v as usize + 1] += 1;
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let mut order = vec![0u32; val.len()];
    for (s, &v) in val.iter().enumerate() {
        let p = &mut start[v as usize];
        order[*p as usize] = s as u32;
        *p += 1;
    }
    order
}

/// gmcr-py chains (each opponent at most once, any order, any prefix of at
/// least one move): the least `val` over the states they reach from each s1
/// (`u32::MAX` when the opponents have no move). A table of states × subsets
/// of opponents already used, filled from the largest subsets down; each
/// layer is computed in parallel.
pub fn gmcr_py_floor(c: &Conflict, h: &[usize], val: &[u32], ui_only: bool) -> Vec<u32> {
    let ns = c.len();
    let nh = h.len();
    let nu = 1usize << nh;
    let legal = |k: usize, from: usize, to: usize| !ui_only || c.payoff(k, to) > c.payoff(k, from);
    // layers[u][q]: least value from q (included) onward when the opponents
    // in `u` have moved already; layer 0 is not needed.
    let mut layers: Vec<Vec<u32>> = vec![Vec::new(); nu];
    for u in (1..nu).rev() {
        let done = &layers;
        let layer = par_map(ns, |q| {
            let mut best = val[q];
            for (kp, &k) in h.iter().enumerate() {
                if u >> kp & 1 == 1 {
                    continue;
                }
                let next = &done[u | 1 << kp];
                c.for_each_move(k, q, |t| {
                    if legal(k, q, t) {
                        best = best.min(next[t]);
                    }
                });
            }
            best
        });
        layers[u] = layer;
    }
    par_map(ns, |s1| {
        let mut o = u32::MAX;
        for (kp, &k) in h.iter().enumerate() {
            let next = &layers[1 << kp];
            c.for_each_move(k, s1, |t| {
                if legal(k, s1, t) {
                    o = o.min(next[t]);
                }
            });
        }
        o
    })
}

/// Which concepts a run needs computed (SEQ&SIM needs SEQ and SIM).
#[derive(Debug, Clone, Copy, Default)]
struct Needs {
    nash: bool,
    gmr: bool,
    smr: bool,
    seq: bool,
    sim: bool,
}

impl Needs {
    fn of(concepts: &[Concept]) -> Needs {
        let mut n = Needs::default();
        for &k in concepts {
            match k {
                Concept::Nash => n.nash = true,
                Concept::Gmr => n.gmr = true,
                Concept::Smr => n.smr = true,
                Concept::Seq => n.seq = true,
                Concept::Sim => n.sim = true,
                Concept::SeqSim => {
                    n.seq = true;
                    n.sim = true;
                }
            }
        }
        n
    }
    fn floors(&self) -> usize {
        self.gmr as usize + self.smr as usize + self.seq as usize
    }
}

/// Working memory of [`analyze`] for these concepts, in bytes, beyond what
/// the built conflict keeps: the rows of row-complete DMs, the escape values
/// (SMR), one floor per focal DM and concept (GMR, SMR, SEQ; with 3+ DMs all
/// at once, each fill with its sort order, counting table, stack and swept
/// marks), the packed four-value array of the final pass, SIM's tables and
/// improvement lists, gmcr-py's chain table and the result bitsets.
pub fn analysis_bytes(c: &Conflict, concepts: &[Concept], sem: Semantics) -> u64 {
    let ns = c.len() as u64;
    let n = c.n_dms() as u64;
    let m = c.options().len();
    let need = Needs::of(concepts);
    let floors = need.floors() as u64;
    let kk = |k: usize| c.own_mask(k).count_ones();
    let has_rows = |k: usize| c.row_complete(k) && c.own_mask(k) != 0;
    let mut b = 0u64;
    if n >= 3 && floors > 0 && sem == Semantics::Textbook {
        b += (0..c.n_dms())
            .filter(|&k| has_rows(k))
            .map(|k| rows_bytes(m, kk(k)))
            .sum::<u64>();
    }
    if need.smr {
        b += 4 * ns * n; // escape values
    }
    match sem {
        Semantics::Textbook if n >= 3 => {
            // every (DM, concept) fill may be live at once: floor, order,
            // counting table (≤ one entry per state), stack, swept marks.
            let swept: u64 = (0..c.n_dms())
                .filter(|&k| has_rows(k))
                .map(|k| 4u64 << (m as u32 - kk(k)))
                .sum();
            b += floors * n * (16 * ns + swept);
        }
        Semantics::Textbook => b += floors * n * 4 * ns,
        Semantics::GmcrPy => {
            b += floors * n * 4 * ns;
            if floors > 0 {
                // one chain table at a time, plus the value array per layer
                b += 4 * ns * (1u64 << (n - 1)) + 4 * ns;
            }
        }
    }
    if need.nash || floors > 0 {
        // packed values of the final pass and their fold (one DM at a time)
        b += 32 * ns;
    }
    if need.sim {
        // two payoff tables over every option combination (two DMs, rows),
        // or per focal DM its box minima: one table per DM
        b += if n == 2 { 2 } else { n * n } * 4 * (1u64 << m);
        // per-thread improvement lists (≤ 64 threads counted)
        let lists: u64 = (0..c.n_dms())
            .map(|k| 8u64 << c.own_mask(k).count_ones())
            .sum();
        b += 64 * lists;
    }
    // results: one bitset per concept and DM, and the equilibria
    b += concepts.len() as u64 * (n + 1) * BitSet::bytes(c.len());
    b
}

/// Per-DM stable sets of one run.
#[derive(Default)]
struct PerDm {
    nash: Option<BitSet>,
    gmr: Option<BitSet>,
    smr: Option<BitSet>,
    seq: Option<BitSet>,
    sim: Option<BitSet>,
}

/// Computes the needed stable sets for the focal DMs `focal`.
fn run(
    c: &Conflict,
    focal: &[usize],
    need: Needs,
    sem: Semantics,
) -> Result<Vec<PerDm>, ConflictError> {
    let n = c.n_dms();
    // Rows of every row-complete DM (shared by all passes below).
    let everyone: Vec<usize> = (0..n).collect();
    let rows = if n >= 3 && need.floors() > 0 && sem == Semantics::Textbook {
        all_rows(c, &everyone)
    } else {
        (0..n).map(|_| None).collect()
    };
    // Escape values for SMR.
    let esc: Vec<Option<Vec<u32>>> = focal
        .iter()
        .map(|&i| need.smr.then(|| escape_value(c, i)))
        .collect();
    // Floors, one task per (focal DM, concept).
    #[derive(Clone, Copy)]
    enum Kind {
        Gmr,
        Smr,
        Seq,
    }
    let mut tasks: Vec<(usize, Kind)> = Vec::new();
    for (fi, _) in focal.iter().enumerate() {
        if need.gmr {
            tasks.push((fi, Kind::Gmr));
        }
        if need.smr {
            tasks.push((fi, Kind::Smr));
        }
        if need.seq {
            tasks.push((fi, Kind::Seq));
        }
    }
    let task = |&(fi, kind): &(usize, Kind)| -> Vec<u32> {
        let i = focal[fi];
        let h = others(c, i);
        let (val, ui): (&[u32], bool) = match kind {
            Kind::Gmr => (c.payoffs(i), false),
            Kind::Smr => (esc[fi].as_deref().unwrap_or(&[]), false),
            Kind::Seq => (c.payoffs(i), true),
        };
        match sem {
            Semantics::Textbook => floor_with(c, &h, &rows, val, ui),
            Semantics::GmcrPy => gmcr_py_floor(c, &h, val, ui),
        }
    };
    let floors: Vec<Vec<u32>> = if sem == Semantics::Textbook && n >= 3 {
        // each fill is sequential: run them side by side
        tasks.par_iter().map(task).collect()
    } else {
        // each floor is itself parallel over states
        tasks.iter().map(task).collect()
    };
    let mut floor_of: Vec<[Option<&[u32]>; 3]> = vec![[None, None, None]; focal.len()];
    for (t, f) in tasks.iter().zip(&floors) {
        let slot = match t.1 {
            Kind::Gmr => 0,
            Kind::Smr => 1,
            Kind::Seq => 2,
        };
        floor_of[t.0][slot] = Some(f);
    }
    let mut out: Vec<PerDm> = focal.iter().map(|_| PerDm::default()).collect();
    if need.nash || need.floors() > 0 {
        for (fi, &i) in focal.iter().enumerate() {
            let [na, gm, sm, sq] = final_pass(c, i, &floor_of[fi]);
            let o = &mut out[fi];
            o.nash = need.nash.then_some(na);
            o.gmr = need.gmr.then_some(gm);
            o.smr = need.smr.then_some(sm);
            o.seq = need.seq.then_some(sq);
        }
    }
    if need.sim {
        let sims = sim_stable(c, focal);
        for (o, b) in out.iter_mut().zip(sims) {
            o.sim = Some(b);
        }
    }
    Ok(out)
}

/// One pass over DM i's own moves: the Nash, GMR, SMR and SEQ stable sets
/// (the last three from `floors` = [GMR, SMR, SEQ]; a missing floor leaves
/// that set meaningless, callers ignore it). For each state s1 a packed
/// [P(s1), min(P(s1), floor_X(s1)) …]; s is X-stable iff the maximum of
/// component X over s1 ∈ R_i(s) is ≤ P_i(s).
fn final_pass(c: &Conflict, i: usize, floors: &[Option<&[u32]>; 3]) -> [BitSet; 4] {
    let ns = c.len();
    let pay = c.payoffs(i);
    let mut packed = vec![[0u32; 4]; ns];
    packed
        .par_chunks_mut(BLOCK)
        .enumerate()
        .for_each(|(ci, ch)| {
            for (k, o) in ch.iter_mut().enumerate() {
                let s1 = ci * BLOCK + k;
                let p = pay[s1];
                *o = [p, 0, 0, 0];
                for x in 0..3 {
                    o[x + 1] = floors[x].map_or(0, |f| p.min(f[s1]));
                }
            }
        });
    // s itself never breaks a condition (each component at s is ≤ P_i(s)),
    // so the maximum may include it: a sub-cube fold.
    let m = fold_subcubes(c, i, &packed, [0; 4], |a, b| {
        [
            a[0].max(b[0]),
            a[1].max(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    });
    let take = |x: usize| BitSet::from_fn_par(ns, |s| m[s][x] <= pay[s]);
    [take(0), take(1), take(2), take(3)]
}

/// SIM-stable sets for the focal DMs.
fn sim_stable(c: &Conflict, focal: &[usize]) -> Vec<BitSet> {
    if c.n_dms() == 2 {
        return focal
            .iter()
            .map(|&i| {
                let j = 1 - i;
                let cl = (c.own_mask(i) != 0).then(|| Classes::new(c, j)).flatten();
                if let Some(cl) = cl {
                    sim_two(c, i, j, &cl)
                } else {
                    sim_lists(c, &[i])
                        .pop()
                        .unwrap_or_else(|| BitSet::new(c.len()))
                }
            })
            .collect();
    }
    sim_lists(c, focal)
}

/// SIM by per-state improvement lists: at each state every DM's UI list is
/// built once and shared by all focal DMs; for each focal UI the opponents'
/// combinations (each stays or takes one of its UIs from s, not all stay) are
/// searched until a feasible one is found that the focal DM likes no more
/// than s.
fn sim_lists(c: &Conflict, focal: &[usize]) -> Vec<BitSet> {
    let ns = c.len();
    let n = c.n_dms();
    let nf = focal.len();
    let masks: Vec<u64> = (0..n).map(|k| c.own_mask(k)).collect();
    // Per focal DM: its opponents and the box minima that prune the search.
    let opps: Vec<Vec<usize>> = focal.iter().map(|&i| others(c, i)).collect();
    let tabs: Vec<Vec<Vec<u32>>> = focal
        .iter()
        .zip(&opps)
        .map(|(&i, opp)| box_minima(c, i, opp))
        .collect();
    let blocks: Vec<Vec<u64>> = (0..ns.div_ceil(BLOCK))
        .into_par_iter()
        .map_init(
            || vec![Vec::<u64>::new(); n],
            |lists, bi| {
                let base = bi * BLOCK;
                let len = BLOCK.min(ns - base);
                let mut words = vec![0u64; nf * len.div_ceil(64)];
                let wpf = len.div_ceil(64);
                for off in 0..len {
                    let s = base + off;
                    for (k, l) in lists.iter_mut().enumerate() {
                        l.clear();
                        let pk = c.payoffs(k);
                        let p = pk[s];
                        c.for_each_move(k, s, |q| {
                            if pk[q] > p {
                                l.push(c.code(q));
                            }
                        });
                    }
                    for (fi, &i) in focal.iter().enumerate() {
                        let sx = SimSearch {
                            tabs: &tabs[fi],
                            ps: c.payoff(i, s),
                            lists,
                            masks: &masks,
                            opp: &opps[fi],
                        };
                        if lists[i].iter().all(|&a| sx.any(0, a, false)) {
                            words[fi * wpf + off / 64] |= 1 << (off % 64);
                        }
                    }
                }
                words
            },
        )
        .collect();
    (0..nf)
        .map(|fi| {
            let mut all = Vec::with_capacity(ns.div_ceil(64));
            for (bi, w) in blocks.iter().enumerate() {
                let len = BLOCK.min(ns - bi * BLOCK);
                let wpf = len.div_ceil(64);
                all.extend_from_slice(&w[fi * wpf..(fi + 1) * wpf]);
            }
            BitSet::from_words(all, ns)
        })
        .collect()
}

/// Tables over every option combination for focal DM i and its opponents
/// `opp`: level d at code x is the least P_i over the feasible codes that
/// agree with x except in the options of opp[d..] (any values); the last
/// level is P_i itself (`NONE` where infeasible). A combination search that
/// has fixed opp[..d] can stop as soon as level d is above the threshold.
fn box_minima(c: &Conflict, i: usize, opp: &[usize]) -> Vec<Vec<u32>> {
    let m = c.options().len();
    let pay = c.payoffs(i);
    let mut raw = vec![NONE; 1usize << m];
    raw.par_chunks_mut(BLOCK).enumerate().for_each(|(ci, ch)| {
        for (k, x) in ch.iter_mut().enumerate() {
            if let Some(q) = c.index_of((ci * BLOCK + k) as u64) {
                *x = pay[q];
            }
        }
    });
    let mut levels = vec![raw];
    for &k in opp.iter().rev() {
        let own = c.own_mask(k);
        let prev = levels.last().map(|v| v.as_slice()).unwrap_or(&[]);
        let next = if own == 0 {
            prev.to_vec()
        } else {
            block_min(prev, own.trailing_zeros(), own.count_ones())
        };
        levels.push(next);
    }
    levels.reverse();
    levels
}

/// The simultaneous-sanction search for one focal DM at one state.
struct SimSearch<'a> {
    tabs: &'a [Vec<u32>],
    ps: u32,
    lists: &'a [Vec<u64>],
    masks: &'a [u64],
    opp: &'a [usize],
}

impl SimSearch<'_> {
    /// Is there a combination of the opponents `opp[idx..]` (each staying
    /// or taking a code from its list) that, applied to `code`, gives a
    /// feasible state the focal DM likes no more than `ps`? `moved`: some
    /// opponent moved already.
    fn any(&self, idx: usize, code: u64, moved: bool) -> bool {
        if self.tabs[idx][code as usize] > self.ps {
            return false; // nothing below this point can sanction
        }
        if idx == self.opp.len() {
            return moved;
        }
        if self.any(idx + 1, code, moved) {
            return true;
        }
        let m = self.masks[self.opp[idx]];
        self.lists[self.opp[idx]]
            .iter()
            .any(|&qc| self.any(idx + 1, (code & !m) | (qc & m), true))
    }
}

/// SIM for two DMs by prefix minima. For s = (a0, b0) (i's part, j's part)
/// j's UIs are B(s) = the members of R_j(s)'s sub-cube (see
/// [`Classes`]; the whole row when j's options are reversible) that j
/// prefers to s: a prefix of that sub-cube sorted by P_j, the longer the
/// lower s stands, and shared by every state of s's class. So for each other
/// i-part a the least P_i(a, b) over B(s) is a prefix minimum, and i's UI
/// s → (a, b0) is SIM-sanctioned iff it is ≤ P_i(s). Cost: per j-row and
/// class, two passes over the sub-cube per i-part a, i.e. about twice a pass
/// over i's moves ((3/2)^t times that with t irreversible options of j), in
/// parallel over j-rows.
fn sim_two(c: &Conflict, i: usize, j: usize, cl: &Classes) -> BitSet {
    let ns = c.len();
    let m = c.options().len();
    let own_i = c.own_mask(i);
    let own_j = c.own_mask(j);
    let shift_i = own_i.trailing_zeros();
    let shift_j = own_j.trailing_zeros();
    let na = 1usize << own_i.count_ones();
    let nb = 1usize << own_j.count_ones();
    let code_of = |a: usize, b: usize| ((a as u64) << shift_i) | ((b as u64) << shift_j);
    // Payoff tables over every combination: [a][b], NONE when infeasible.
    let table = |k: usize| -> Vec<u32> {
        let pk = c.payoffs(k);
        let mut t = vec![NONE; 1usize << m];
        t.par_chunks_mut(nb).enumerate().for_each(|(a, row)| {
            for (b, x) in row.iter_mut().enumerate() {
                if let Some(q) = c.index_of(code_of(a, b)) {
                    *x = pk[q];
                }
            }
        });
        t
    };
    let ti = table(i);
    let tj = table(j);
    let irr = cl.irreversible();
    let general_i = !c.row_complete(i);
    let rows: Vec<Vec<u64>> = (0..na)
        .into_par_iter()
        .map(|a0| {
            let row_i = &ti[a0 * nb..(a0 + 1) * nb];
            let row_j = &tj[a0 * nb..(a0 + 1) * nb];
            let state = |b: usize| c.index_of(code_of(a0, b));
            let blind_j = |b: usize| state(b).is_some_and(|q| c.blind(j, q));
            let mut unstable = vec![0u64; nb.div_ceil(64)];
            let mut sorted: Vec<u32> = Vec::with_capacity(nb);
            let mut owners: Vec<(u32, u32)> = Vec::with_capacity(nb);
            let mut pm: Vec<u32> = Vec::with_capacity(nb);
            cl.for_each_class(|cv, locked| {
                // the class's sub-cube (j can move between its members), by
                // P_j descending; blind states are no move targets
                sorted.clear();
                sorted.extend((0..nb as u32).filter(|&b| {
                    let b = b as usize;
                    row_j[b] != NONE && b & locked == cv & locked && !blind_j(b)
                }));
                sorted.sort_unstable_by(|&x, &y| {
                    row_j[y as usize].cmp(&row_j[x as usize]).then(x.cmp(&y))
                });
                // owners (states of this class) and how many members j
                // strictly prefers to each: its UIs (none if j is blind there)
                owners.clear();
                for b in 0..nb {
                    if row_j[b] == NONE || b & irr != cv {
                        continue;
                    }
                    let pos = if blind_j(b) {
                        0
                    } else {
                        sorted.partition_point(|&x| row_j[x as usize] > row_j[b])
                    };
                    owners.push((b as u32, pos as u32));
                }
                if owners.is_empty() {
                    return;
                }
                for a in 0..na {
                    if a == a0 {
                        continue;
                    }
                    let row_a = &ti[a * nb..(a + 1) * nb];
                    // is any owner improved by moving to i-part a?
                    if !owners.iter().any(|&(b, _)| {
                        let b = b as usize;
                        row_a[b] != NONE && row_a[b] > row_i[b]
                    }) {
                        continue;
                    }
                    pm.clear();
                    let mut run = NONE;
                    for &b in &sorted {
                        run = run.min(row_a[b as usize]);
                        pm.push(run);
                    }
                    for &(b, pos) in owners.iter() {
                        let b = b as usize;
                        if unstable[b / 64] >> (b % 64) & 1 == 1 {
                            continue;
                        }
                        let (pa, ps) = (row_a[b], row_i[b]);
                        if pa == NONE || pa <= ps {
                            continue;
                        }
                        if general_i {
                            // is (a0, b) → (a, b) a legal move of i?
                            let s = c.index_of(code_of(a0, b));
                            let q = c.index_of(code_of(a, b));
                            let (Some(s), Some(q)) = (s, q) else { continue };
                            if !c.is_move(i, s, q) {
                                continue;
                            }
                        }
                        let best = if pos == 0 { NONE } else { pm[pos as usize - 1] };
                        if best > ps {
                            unstable[b / 64] |= 1 << (b % 64);
                        }
                    }
                }
            });
            unstable
        })
        .collect();
    BitSet::from_fn_par(ns, |s| {
        let code = c.code(s);
        let a = ((code & own_i) >> shift_i) as usize;
        let b = ((code & own_j) >> shift_j) as usize;
        rows[a][b / 64] >> (b % 64) & 1 == 0
    })
}

/// States stable for DM `i` under `concept`.
pub fn stable_for(
    c: &Conflict,
    i: usize,
    concept: Concept,
    sem: Semantics,
) -> Result<BitSet, ConflictError> {
    c.check_memory(
        "stability analysis",
        analysis_bytes(c, &[concept], sem),
        "raise the memory limit or reduce the state space",
    )?;
    let mut r = run(c, &[i], Needs::of(&[concept]), sem)?;
    let mut d = r.pop().unwrap_or_default();
    Ok(pick(&mut d, concept, c.len()))
}

fn pick(d: &mut PerDm, concept: Concept, ns: usize) -> BitSet {
    let empty = || BitSet::new(ns);
    match concept {
        Concept::Nash => d.nash.clone().unwrap_or_else(empty),
        Concept::Gmr => d.gmr.clone().unwrap_or_else(empty),
        Concept::Smr => d.smr.clone().unwrap_or_else(empty),
        Concept::Seq => d.seq.clone().unwrap_or_else(empty),
        Concept::Sim => d.sim.clone().unwrap_or_else(empty),
        Concept::SeqSim => {
            let mut a = d.seq.clone().unwrap_or_else(empty);
            if let Some(b) = &d.sim {
                a.or_with(b);
            }
            a
        }
    }
}

/// Can the other DMs, each staying or taking one of its own UIs from `s`
/// simultaneously, turn i's UI s → s1 into a feasible state i likes no more than s?
pub fn sim_sanctioned(c: &Conflict, i: usize, s: usize, s1: usize, h: &[usize]) -> bool {
    sim_sanction(c, i, s, s1, h).is_some()
}

/// The sanctioning combined state of [`sim_sanctioned`], if any (the first
/// in the order: each opponent in turn stays, then takes its UIs in state order).
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

/// Runs the given concepts for every DM. Each concept is computed once even
/// if listed twice or implied (SEQ&SIM reuses SEQ and SIM); the memory
/// estimate ([`analysis_bytes`]) is checked first.
pub fn analyze(
    c: &Conflict,
    concepts: &[Concept],
    sem: Semantics,
) -> Result<Vec<ConceptResult>, ConflictError> {
    c.check_memory(
        "stability analysis",
        analysis_bytes(c, concepts, sem),
        "raise the memory limit, analyse fewer concepts, or reduce the state space",
    )?;
    let focal: Vec<usize> = (0..c.n_dms()).collect();
    let mut per = run(c, &focal, Needs::of(concepts), sem)?;
    Ok(concepts
        .iter()
        .map(|&concept| {
            let per_dm: Vec<BitSet> = per.iter_mut().map(|d| pick(d, concept, c.len())).collect();
            let mut eq = BitSet::full(c.len());
            for p in &per_dm {
                eq.and_with(p);
            }
            ConceptResult {
                concept,
                per_dm,
                equilibria: eq,
            }
        })
        .collect())
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
    match sem {
        Semantics::Textbook => Search::new(c.len()).find(c, h, start, ui_only, false, goal),
        Semantics::GmcrPy => find_sequence_gmcr_py(c, h, start, ui_only, goal),
    }
}

/// gmcr-py chains: breadth-first over (state, opponents used).
fn find_sequence_gmcr_py(
    c: &Conflict,
    h: &[usize],
    start: usize,
    ui_only: bool,
    goal: impl Fn(usize) -> bool,
) -> Option<Vec<Step>> {
    let mut parent: HashMap<(usize, u64), (usize, u64, usize)> = HashMap::new();
    let mut queue = VecDeque::new();
    queue.push_back((start, 0u64));
    parent.insert((start, 0), (usize::MAX, 0, usize::MAX));
    while let Some((s, tag)) = queue.pop_front() {
        for (kp, &k) in h.iter().enumerate() {
            if tag >> kp & 1 == 1 {
                continue;
            }
            let ntag = tag | 1 << kp;
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

/// Sanction searches for the UIs of one (DM, state, concept), sharing one
/// searcher and its dead set (a state from which one UI's search found no
/// sanction cannot give a sanction to another).
pub(crate) struct Sanctions<'a> {
    c: &'a Conflict,
    search: Search,
    h: Vec<usize>,
    sem: Semantics,
}

impl<'a> Sanctions<'a> {
    pub(crate) fn new(c: &'a Conflict, i: usize, sem: Semantics) -> Self {
        let ns = if sem == Semantics::Textbook {
            c.len()
        } else {
            0
        };
        Sanctions {
            c,
            search: Search::new(ns),
            h: others(c, i),
            sem,
        }
    }
    /// Shortest sanction of the UI to `s1`: a legal sequence (of UIs when
    /// `ui_only`) ending in a state satisfying `goal`. Call with one goal
    /// per value of `self` (the dead set assumes it).
    pub(crate) fn find(
        &mut self,
        s1: usize,
        ui_only: bool,
        goal: impl Fn(usize) -> bool,
    ) -> Option<Vec<Step>> {
        match self.sem {
            Semantics::Textbook => self.search.find(self.c, &self.h, s1, ui_only, true, goal),
            Semantics::GmcrPy => find_sequence_gmcr_py(self.c, &self.h, s1, ui_only, goal),
        }
    }
}

/// Is state `s` stable for DM `i` under `concept`? A single-state test by
/// search (used by inverse analysis and explanations; [`analyze`] is faster
/// for all states).
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
    let seq = |sx: &mut Sanctions| {
        uis.iter()
            .all(|&s1| sx.find(s1, true, |t| c.payoff(i, t) <= ps).is_some())
    };
    let sim = || uis.iter().all(|&s1| sim_sanctioned(c, i, s, s1, &h));
    let mut sx = Sanctions::new(c, i, sem);
    match concept {
        Concept::Nash => false,
        Concept::Gmr => uis
            .iter()
            .all(|&s1| sx.find(s1, false, |t| c.payoff(i, t) <= ps).is_some()),
        Concept::Smr => uis
            .iter()
            .all(|&s1| sx.find(s1, false, |t| esc(t) <= ps).is_some()),
        Concept::Seq => seq(&mut sx),
        Concept::Sim => sim(),
        Concept::SeqSim => seq(&mut sx) || sim(),
    }
}
