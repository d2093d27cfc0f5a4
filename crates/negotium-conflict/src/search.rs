//! Shortest legal move sequences over states, reusable across many searches
//! on one conflict (stamped visit marks instead of fresh tables, and a
//! "dead" set of states from which no goal is reachable).
//!
//! Every DM's move relation is transitive up to returning to the start
//! (research notes §1.2), and so is its improvement relation. Hence a
//! shortest walk in the union of the movers' graphs never has the same DM
//! twice in a row (two such moves could be merged into one, or cancel), so a
//! breadth-first search over plain states finds exactly the shortest legal
//! sequences, in the same order as a search over (state, last mover) pairs.

use crate::space::Conflict;
use crate::stability::Step;

const NIL: u32 = u32::MAX;

/// Reusable breadth-first search state for one conflict.
pub struct Search {
    stamp: Vec<u32>,
    parent: Vec<u32>,
    dead: Vec<bool>,
    gen: u32,
    queue: Vec<u32>,
}

impl Search {
    /// A searcher for a conflict of `states` states.
    pub fn new(states: usize) -> Search {
        Search {
            stamp: vec![0; states],
            parent: vec![NIL; states],
            dead: vec![false; states],
            gen: 0,
            queue: Vec::new(),
        }
    }

    /// Forgets the dead set (call when the goal changes).
    pub fn reset_dead(&mut self) {
        self.dead.iter_mut().for_each(|d| *d = false);
    }

    fn next_gen(&mut self) {
        if self.gen == u32::MAX {
            self.stamp.iter_mut().for_each(|x| *x = 0);
            self.gen = 0;
        }
        self.gen += 1;
    }

    /// Shortest legal sequence of moves by the DMs in `h` (no DM twice in a
    /// row; with `ui_only` each move improves its mover) from `start` to a
    /// state other than `start` satisfying `goal`. When the search fails,
    /// every state it saw is remembered as dead, and later searches with the
    /// same `h`, `ui_only` and goal skip them (pass `prune` = true only then).
    pub fn find(
        &mut self,
        c: &Conflict,
        h: &[usize],
        start: usize,
        ui_only: bool,
        prune: bool,
        goal: impl Fn(usize) -> bool,
    ) -> Option<Vec<Step>> {
        self.next_gen();
        let g = self.gen;
        self.queue.clear();
        self.stamp[start] = g;
        self.parent[start] = NIL;
        self.queue.push(start as u32);
        let mut head = 0;
        let mut found = None;
        'bfs: while head < self.queue.len() {
            let x = self.queue[head] as usize;
            head += 1;
            let last = self.mover(c, h, x);
            for (kp, &k) in h.iter().enumerate() {
                if Some(kp) == last {
                    continue; // its moves from x were all seen from x's parent
                }
                let px = c.payoff(k, x);
                let mut hit = None;
                c.for_each_move_sorted(k, x, |t| {
                    if hit.is_some()
                        || self.stamp[t] == g
                        || (prune && self.dead[t])
                        || (ui_only && c.payoff(k, t) <= px)
                    {
                        return;
                    }
                    self.stamp[t] = g;
                    self.parent[t] = x as u32;
                    if goal(t) {
                        hit = Some(t);
                        return;
                    }
                    self.queue.push(t as u32);
                });
                if let Some(t) = hit {
                    found = Some(t);
                    break 'bfs;
                }
            }
        }
        match found {
            Some(t) => {
                let mut path = Vec::new();
                let mut cur = t;
                while self.parent[cur] != NIL {
                    let p = self.parent[cur] as usize;
                    let dm = h[self.mover_between(c, h, p, cur)];
                    path.push(Step { dm, state: cur });
                    cur = p;
                }
                path.reverse();
                Some(path)
            }
            None => {
                if prune {
                    for &q in &self.queue {
                        self.dead[q as usize] = true;
                    }
                }
                None
            }
        }
    }

    /// Position in `h` of the DM that moved into `x` in the current search.
    fn mover(&self, c: &Conflict, h: &[usize], x: usize) -> Option<usize> {
        let p = self.parent[x];
        (p != NIL).then(|| self.mover_between(c, h, p as usize, x))
    }

    fn mover_between(&self, c: &Conflict, h: &[usize], from: usize, to: usize) -> usize {
        let d = c.code(from) ^ c.code(to);
        h.iter().position(|&k| d & !c.own_mask(k) == 0).unwrap_or(0)
    }
}

/// A breadth-first search over states from one start by the DMs `h` (legal
/// sequences; see the module note), in a fixed order: states are expanded in
/// discovery order, DMs in the order of `h`, each DM's moves in the order of
/// [`Conflict::for_each_move`]. The same discoveries and parents as a search
/// over (state, last mover) pairs.
pub(crate) struct Bfs {
    /// Parent state (`u32::MAX` for the start and unreached states).
    pub parent: Vec<u32>,
    /// Position in `h` of the DM that moved into the state.
    pub mover: Vec<u16>,
    /// Fewest legal moves from the start (`u32::MAX`: not reached).
    pub dist: Vec<u32>,
    /// Reached states in discovery order (the start first).
    pub order: Vec<u32>,
}

/// Bytes [`bfs`] stores per state: parent 4, mover 2, distance 4, order 4,
/// plus one bit per row for each row-complete mover.
pub(crate) fn bfs_bytes(states: u64) -> u64 {
    14 * states
}

/// Runs the search; `stop(t)` is called on each newly reached state and ends
/// the search when it returns true. A row-complete DM's moves from any member
/// of a row reach the whole row, so each row is expanded once (later members
/// would find nothing new): the work is one visit per state and mover.
pub(crate) fn bfs(
    c: &Conflict,
    h: &[usize],
    start: usize,
    ui_only: bool,
    mut stop: impl FnMut(usize) -> bool,
) -> Bfs {
    let ns = c.len();
    let m = c.options().len() as u32;
    let mut b = Bfs {
        parent: vec![NIL; ns],
        mover: vec![u16::MAX; ns],
        dist: vec![NIL; ns],
        order: vec![start as u32],
    };
    // Row sweeps (all moves only): per mover, one bit per row.
    let sweep: Vec<Option<(u32, u32, Vec<u64>)>> = h
        .iter()
        .map(|&k| {
            let own = c.own_mask(k);
            (!ui_only && own != 0 && c.row_complete(k)).then(|| {
                let (lo, kk) = (own.trailing_zeros(), own.count_ones());
                (lo, kk, vec![0u64; (1usize << (m - kk)).div_ceil(64)])
            })
        })
        .collect();
    let mut sweep = sweep;
    b.dist[start] = 0;
    let mut head = 0;
    'bfs: while head < b.order.len() {
        let x = b.order[head] as usize;
        head += 1;
        let d = b.dist[x] + 1;
        let code = c.code(x);
        for (kp, &k) in h.iter().enumerate() {
            if b.mover[x] as usize == kp {
                continue; // k's moves from x were all seen from x's parent
            }
            if let Some((lo, kk, bits)) = &mut sweep[kp] {
                let r = ((code & ((1u64 << *lo) - 1)) | (code >> (*lo + *kk)) << *lo) as usize;
                if bits[r / 64] >> (r % 64) & 1 == 1 {
                    continue; // this row was expanded from another member
                }
                bits[r / 64] |= 1 << (r % 64);
            }
            let px = c.payoff(k, x);
            let mut halt = false;
            c.for_each_move(k, x, |t| {
                if halt || b.dist[t] != NIL || (ui_only && c.payoff(k, t) <= px) {
                    return;
                }
                b.dist[t] = d;
                b.parent[t] = x as u32;
                b.mover[t] = kp as u16;
                b.order.push(t as u32);
                halt = stop(t);
            });
            if halt {
                break 'bfs;
            }
        }
    }
    b
}

impl Bfs {
    /// The legal path from the start to a reached state (DM ids from `h`).
    pub(crate) fn path(&self, h: &[usize], s: usize) -> Vec<Step> {
        let mut out = Vec::new();
        let mut cur = s;
        while self.parent[cur] != NIL {
            out.push(Step {
                dm: h[self.mover[cur] as usize],
                state: cur,
            });
            cur = self.parent[cur] as usize;
        }
        out.reverse();
        out
    }
}
