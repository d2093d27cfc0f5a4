//! Per-row work on one DM's moves. The options are grouped by DM, so DM k's
//! options are the contiguous bits `lo .. lo + kk` of a state code; a *row*
//! is the set of states that agree outside them. All of k's moves stay in a
//! row, so passes over k's moves work row by row on a small local copy:
//!
//! * [`fold_subcubes`]: a max or min over "s and R_k(s)" for every state at
//!   once. R_k(s) ∪ {s} is the feasible part of a sub-cube of the row (k's
//!   reversible options free, taken take-only and untaken drop-only ones
//!   fixed), so one sweep per option does it: kk·2^kk steps per row instead
//!   of one per move (4^kk).
//! * [`Classes`] / [`fold_improvements`]: minima over k's *improvements*, by
//!   sub-cube classes sorted by k's payoff (prefix minima).
//! * [`Rows`]: when k's options are all reversible and k misperceives
//!   nothing ([`Conflict::row_complete`]), k moves between any two members of
//!   a row; rows sorted by payoff let the flood fills of 3+ DMs sweep a row
//!   once instead of enumerating predecessors.
//! * [`block_min`]: minima over a DM's options whatever their reversibility
//!   (SIM's pruning tables).

use rayon::prelude::*;

use crate::space::Conflict;

const NONE: u32 = u32::MAX;
const BLIND: u32 = u32::MAX - 1;

/// The rows of one row-complete DM.
pub(crate) struct Rows {
    lo: u32,
    kk: u32,
    width: usize,
    /// `width` slots per row: its members by ascending payoff of the DM
    /// (ties by state index), then `NONE` padding for infeasible codes.
    slots: Vec<u32>,
    /// Number of members per row.
    len: Vec<u32>,
}

/// Bytes [`Rows::new`] allocates for a DM with `kk` of the `options` options:
/// 4 per option combination (slots) and 4 per row.
pub(crate) fn rows_bytes(options: usize, kk: u32) -> u64 {
    (4u64 << options) + (4u64 << (options as u32 - kk.min(options as u32)))
}

/// Writes into disjoint indices of a slice from several threads.
pub(crate) struct Scatter<T>(*mut T, usize);
unsafe impl<T: Send> Send for Scatter<T> {}
unsafe impl<T: Send> Sync for Scatter<T> {}
impl<T> Scatter<T> {
    pub(crate) fn new(v: &mut [T]) -> Self {
        Scatter(v.as_mut_ptr(), v.len())
    }
    /// # Safety
    /// No two calls during the scatter's life may use the same index, and
    /// the slice it was made from must outlive it unborrowed.
    #[inline]
    pub(crate) unsafe fn write(&self, i: usize, v: T) {
        assert!(i < self.1);
        *self.0.add(i) = v;
    }
}

impl Rows {
    /// The rows of DM `k` (which must be row-complete), sorted by its payoff.
    pub(crate) fn new(c: &Conflict, k: usize) -> Rows {
        debug_assert!(c.row_complete(k));
        let own = c.own_mask(k);
        let m = c.options().len() as u32;
        let (lo, kk) = if own == 0 {
            (0, 0)
        } else {
            (own.trailing_zeros(), own.count_ones())
        };
        let width = 1usize << kk;
        let n_rows = 1usize << (m - kk);
        let pay = c.payoffs(k);
        let mut slots = vec![NONE; n_rows * width];
        let mut len = vec![0u32; n_rows];
        slots
            .par_chunks_mut(width)
            .zip(len.par_iter_mut())
            .enumerate()
            .for_each(|(r, (row, l))| {
                let base = Self::base_code(lo, kk, r);
                let mut n = 0;
                for e in 0..width as u64 {
                    if let Some(q) = c.index_of(base | e << lo) {
                        row[n] = q as u32;
                        n += 1;
                    }
                }
                row[..n].sort_unstable_by_key(|&q| (pay[q as usize], q));
                *l = n as u32;
            });
        Rows {
            lo,
            kk,
            width,
            slots,
            len,
        }
    }

    fn base_code(lo: u32, kk: u32, r: usize) -> u64 {
        base_code(lo, kk, r)
    }

    /// The row of a code.
    #[inline]
    pub(crate) fn row_of(&self, code: u64) -> usize {
        let low = code & ((1u64 << self.lo) - 1);
        let high = code >> (self.lo + self.kk);
        (low | high << self.lo) as usize
    }

    /// Members of row `r`, ascending by the DM's payoff.
    #[inline]
    pub(crate) fn row(&self, r: usize) -> &[u32] {
        &self.slots[r * self.width..r * self.width + self.len[r] as usize]
    }

    pub(crate) fn n_rows(&self) -> usize {
        self.len.len()
    }

    /// Number of members of row `r` the DM likes strictly less than `p`.
    #[inline]
    pub(crate) fn below(&self, r: usize, pay: &[u32], p: u32) -> usize {
        self.row(r).partition_point(|&q| pay[q as usize] < p)
    }
}

/// The smallest code of row `r` for a block of bits `lo .. lo + kk`.
fn base_code(lo: u32, kk: u32, r: usize) -> u64 {
    let r = r as u64;
    let low = r & ((1u64 << lo) - 1);
    let high = r >> lo;
    low | high << (lo + kk)
}

/// A table over every option combination (index = code) whose entry at x is
/// the minimum of `table` over the codes that agree with x outside the bits
/// `lo .. lo + kk`: a "box" minimum over one DM's options, whatever their
/// reversibility. In parallel over boxes.
pub(crate) fn block_min(table: &[u32], lo: u32, kk: u32) -> Vec<u32> {
    let width = 1usize << kk;
    let n_rows = table.len() >> kk;
    let mut out = vec![NONE; table.len()];
    let sc = Scatter::new(&mut out);
    let per_task = (4096 / width).max(1);
    (0..n_rows.div_ceil(per_task))
        .into_par_iter()
        .for_each(|t| {
            for r in t * per_task..((t + 1) * per_task).min(n_rows) {
                let base = base_code(lo, kk, r);
                let m = (0..width as u64)
                    .map(|e| table[(base | e << lo) as usize])
                    .min()
                    .unwrap_or(NONE);
                for e in 0..width as u64 {
                    // SAFETY: the boxes partition the codes; each code once.
                    unsafe { sc.write((base | e << lo) as usize, m) };
                }
            }
        });
    out
}

/// For any DM k (any reversibility, misperceptions included): per state s,
/// `op` folded over `vals` at s and at every q ∈ R_k(s) (with `ui_only`,
/// only the q that k prefers to s). Works row by row (states that agree
/// outside k's options) on a local copy of the row's values, so the
/// 2^|O_k| − 1 candidate moves of each state are read from a small buffer
/// instead of strided places of the whole array. In parallel over rows.
pub(crate) fn fold_moves<V: Copy + Send + Sync>(
    c: &Conflict,
    k: usize,
    vals: &[V],
    ui_only: bool,
    op: impl Fn(V, V) -> V + Sync,
) -> Vec<V> {
    let own = c.own_mask(k);
    if own == 0 {
        return vals.to_vec();
    }
    let m = c.options().len() as u32;
    let (lo, kk) = (own.trailing_zeros(), own.count_ones());
    let width = 1usize << kk;
    let n_rows = 1usize << (m - kk);
    let pay = c.payoffs(k);
    let mut out: Vec<V> = vals.to_vec();
    let sc = Scatter::new(&mut out);
    let per_task = (4096 / width).max(1);
    (0..n_rows.div_ceil(per_task))
        .into_par_iter()
        .for_each_init(
            || (vec![NONE; width], Vec::<V>::with_capacity(width)),
            |(idx, local), t| {
                for r in t * per_task..((t + 1) * per_task).min(n_rows) {
                    let base = base_code(lo, kk, r);
                    local.clear();
                    for (e, slot) in idx.iter_mut().enumerate() {
                        *slot = match c.index_of(base | (e as u64) << lo) {
                            Some(q) if c.blind(k, q) => BLIND, // no moves in or out
                            Some(q) => q as u32,
                            None => NONE,
                        };
                        // placeholder value where there is no state to move to
                        local.push(vals[if *slot < BLIND { *slot as usize } else { 0 }]);
                    }
                    for e0 in 0..width {
                        let q0 = idx[e0];
                        if q0 >= BLIND {
                            continue; // infeasible, or blind (keeps its own value)
                        }
                        let code = base | (e0 as u64) << lo;
                        let fl = (c.flippable_mask(k, code) >> lo) as usize;
                        let p0 = pay[q0 as usize];
                        let mut acc = local[e0];
                        let mut d = fl;
                        while d != 0 {
                            let e1 = e0 ^ d;
                            let q1 = idx[e1];
                            if q1 < BLIND && (!ui_only || pay[q1 as usize] > p0) {
                                acc = op(acc, local[e1]);
                            }
                            d = (d - 1) & fl;
                        }
                        // SAFETY: each state is in exactly one row of k.
                        unsafe { sc.write(q0 as usize, acc) };
                    }
                }
            },
        );
    out
}

/// For any DM k: per state s, `op` folded over `vals` at s and at every
/// q ∈ R_k(s). R_k(s) ∪ {s} is the feasible part of a sub-cube of s's row:
/// k's reversible options free, a taken take-only option stays taken
/// (targets are supersets there), an untaken drop-only one stays untaken
/// (subsets). So one sweep per option over a local copy of the row computes
/// every member's fold at once (|O_k| · 2^|O_k| steps per row instead of
/// 4^|O_k|). `neutral` fills option combinations that are infeasible or
/// misperceived by k (no moves into them); a misperceived state keeps its
/// own value (no moves out). `op` must be associative, commutative and
/// idempotent (max, min).
pub(crate) fn fold_subcubes<V: Copy + Send + Sync>(
    c: &Conflict,
    k: usize,
    vals: &[V],
    neutral: V,
    op: impl Fn(V, V) -> V + Sync,
) -> Vec<V> {
    let own = c.own_mask(k);
    if own == 0 {
        return vals.to_vec();
    }
    let m = c.options().len() as u32;
    let (lo, kk) = (own.trailing_zeros(), own.count_ones());
    let width = 1usize << kk;
    let n_rows = 1usize << (m - kk);
    // per option of k: 0 both, 1 take-only, 2 drop-only
    let kinds: Vec<u8> = (0..kk)
        .map(|b| {
            let bit = 1u64 << (lo + b);
            let probe_taken = c.flippable_mask(k, bit) & bit != 0;
            let probe_free = c.flippable_mask(k, 0) & bit != 0;
            match (probe_free, probe_taken) {
                (true, true) => 0,
                (true, false) => 1,
                _ => 2,
            }
        })
        .collect();
    let mut out: Vec<V> = vals.to_vec();
    let sc = Scatter::new(&mut out);
    let per_task = (4096 / width).max(1);
    (0..n_rows.div_ceil(per_task))
        .into_par_iter()
        .for_each_init(
            || (vec![NONE; width], Vec::<V>::with_capacity(width)),
            |(idx, g), t| {
                for r in t * per_task..((t + 1) * per_task).min(n_rows) {
                    let base = base_code(lo, kk, r);
                    g.clear();
                    for (e, slot) in idx.iter_mut().enumerate() {
                        *slot = match c.index_of(base | (e as u64) << lo) {
                            Some(q) if c.blind(k, q) => BLIND,
                            Some(q) => q as u32,
                            None => NONE,
                        };
                        g.push(if *slot < BLIND {
                            vals[*slot as usize]
                        } else {
                            neutral
                        });
                    }
                    for (b, &kind) in kinds.iter().enumerate() {
                        let bit = 1usize << b;
                        for e in 0..width {
                            if e & bit != 0 {
                                continue;
                            }
                            let (x, y) = (g[e], g[e | bit]);
                            match kind {
                                0 => {
                                    let v = op(x, y);
                                    g[e] = v;
                                    g[e | bit] = v;
                                }
                                1 => g[e] = op(x, y), // untaken: may take it
                                _ => g[e | bit] = op(x, y), // taken: may drop it
                            }
                        }
                    }
                    for (e, &q) in idx.iter().enumerate() {
                        if q < BLIND {
                            // SAFETY: each state is in exactly one row of k.
                            unsafe { sc.write(q as usize, g[e]) };
                        }
                    }
                }
            },
        );
    out
}

/// The sub-cube classes of DM k's rows. R_k(s) ∪ {s} is the sub-cube of s's
/// row in which k's taken take-only options stay taken and untaken drop-only
/// ones stay untaken; states of a row with the same values on k's
/// irreversible options (a *class*) share that sub-cube. Within it k's
/// improvements from s are the members k prefers to s: a prefix of the
/// members sorted by k's payoff, so minima over improvements become prefix
/// minima. A row with t irreversible options of k has 2^t classes whose
/// sub-cubes hold (3/2)^t times the row's states in all.
pub(crate) struct Classes {
    pub lo: u32,
    pub kk: u32,
    take: usize,
    drop: usize,
}

/// Most irreversible options of one DM for which classes are used ((3/2)^5 ≈
/// 7.6 times the work of a reversible DM); beyond, sub-cubes are small and
/// moves are enumerated instead.
pub(crate) const MAX_CLASS_BITS: u32 = 5;

impl Classes {
    /// `None` when k has no options or too many irreversible ones.
    pub(crate) fn new(c: &Conflict, k: usize) -> Option<Classes> {
        let own = c.own_mask(k);
        if own == 0 {
            return None;
        }
        let (lo, kk) = (own.trailing_zeros(), own.count_ones());
        // take-only: cannot change when taken; drop-only: when untaken
        let take = ((own & !c.flippable_mask(k, own)) >> lo) as usize;
        let drop = ((own & !c.flippable_mask(k, 0)) >> lo) as usize;
        ((take | drop).count_ones() <= MAX_CLASS_BITS).then_some(Classes { lo, kk, take, drop })
    }
    /// Local masks of k's irreversible options.
    pub(crate) fn irreversible(&self) -> usize {
        self.take | self.drop
    }
    /// Options locked for the class with irreversible values `cv`.
    pub(crate) fn locked(&self, cv: usize) -> usize {
        (self.take & cv) | (self.drop & !cv)
    }
    /// Calls `f(cv, locked)` for every class value of a row.
    pub(crate) fn for_each_class(&self, mut f: impl FnMut(usize, usize)) {
        let irr = self.irreversible();
        let mut cv = 0usize;
        loop {
            f(cv, self.locked(cv));
            if cv == irr {
                break;
            }
            cv = ((cv | !irr).wrapping_add(1)) & irr;
        }
    }
    pub(crate) fn n_rows(&self, options: usize) -> usize {
        1usize << (options as u32 - self.kk)
    }
    pub(crate) fn base(&self, r: usize) -> u64 {
        base_code(self.lo, self.kk, r)
    }
}

/// Per state s1: the minimum of `vals` over s1 and the q ∈ R_k(s1) that k
/// prefers to s1 (k's improvements), by classes (see [`Classes`]); `None`
/// when k has too many irreversible options for classes.
pub(crate) fn fold_improvements(c: &Conflict, k: usize, vals: &[u32]) -> Option<Vec<u32>> {
    let cl = Classes::new(c, k)?;
    let m = c.options().len();
    let width = 1usize << cl.kk;
    let n_rows = cl.n_rows(m);
    let pay = c.payoffs(k);
    let irr = cl.irreversible();
    let mut out: Vec<u32> = vals.to_vec();
    let sc = Scatter::new(&mut out);
    let per_task = (4096 / width).max(1);
    (0..n_rows.div_ceil(per_task))
        .into_par_iter()
        .for_each_init(
            || (vec![NONE; width], Vec::<usize>::with_capacity(width)),
            |(idx, mem), t| {
                for r in t * per_task..((t + 1) * per_task).min(n_rows) {
                    let base = cl.base(r);
                    for (e, slot) in idx.iter_mut().enumerate() {
                        *slot = match c.index_of(base | (e as u64) << cl.lo) {
                            Some(q) if c.blind(k, q) => BLIND,
                            Some(q) => q as u32,
                            None => NONE,
                        };
                    }
                    cl.for_each_class(|cv, locked| {
                        mem.clear();
                        mem.extend(
                            (0..width).filter(|&e| idx[e] < BLIND && e & locked == cv & locked),
                        );
                        mem.sort_unstable_by(|&x, &y| {
                            pay[idx[y] as usize].cmp(&pay[idx[x] as usize])
                        });
                        // descending payoff: the minimum over strictly
                        // better groups already passed
                        let mut better = NONE;
                        let mut a = 0;
                        while a < mem.len() {
                            let p = pay[idx[mem[a]] as usize];
                            let mut b = a;
                            let mut group = NONE;
                            while b < mem.len() && pay[idx[mem[b]] as usize] == p {
                                let e = mem[b];
                                let q = idx[e] as usize;
                                group = group.min(vals[q]);
                                if e & irr == cv {
                                    // SAFETY: each state owns one class of one row.
                                    unsafe { sc.write(q, vals[q].min(better)) };
                                }
                                b += 1;
                            }
                            better = better.min(group);
                            a = b;
                        }
                    });
                }
            },
        );
    Some(out)
}
