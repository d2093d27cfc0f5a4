//! Status-quo analysis: which states can be reached from a status quo by
//! legal move sequences (no DM moves twice in a row), optionally by
//! unilateral improvements only, with a shortest legal path to each.

use serde::{Deserialize, Serialize};

use crate::search::{bfs, bfs_bytes};
use crate::space::Conflict;
use crate::stability::Step;

/// Reachability from a status quo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reach {
    pub start: usize,
    pub improvements_only: bool,
    /// `dist[s]` = fewest legal moves from the start to s (None: unreachable).
    pub dist: Vec<Option<u32>>,
    /// Parent state on a shortest legal path (u32::MAX: none).
    parent: Vec<u32>,
    /// The DM making the last move of that path.
    mover: Vec<u16>,
}

const NIL: u32 = u32::MAX;

/// Bytes [`reach`] stores: distance (8) and parent (4) and mover (2) per
/// state, and the search's own arrays.
pub fn reach_bytes(c: &Conflict) -> u64 {
    14 * c.len() as u64 + bfs_bytes(c.len() as u64)
}

/// Breadth-first search from `start`. Each DM's move (and improvement)
/// relation being transitive, a shortest walk never lets one DM move twice in
/// a row, so searching plain states (each expanded once, by the DMs other
/// than the one that moved into it) gives exactly the shortest legal
/// sequences, and the same paths as a search over (state, last mover) pairs.
pub fn reach(c: &Conflict, start: usize, improvements_only: bool) -> Reach {
    let all: Vec<usize> = (0..c.n_dms()).collect();
    let b = bfs(c, &all, start, improvements_only, |_| false);
    Reach {
        start,
        improvements_only,
        dist: b.dist.iter().map(|&d| (d != NIL).then_some(d)).collect(),
        parent: b.parent,
        mover: b.mover,
    }
}

impl Reach {
    /// Is `s` reachable (the start counts)?
    pub fn reachable(&self, s: usize) -> bool {
        self.dist[s].is_some()
    }
    /// Number of reachable states (the start included).
    pub fn count(&self) -> usize {
        self.dist.iter().filter(|d| d.is_some()).count()
    }
    /// A shortest legal path from the start to `s` (empty for the start itself).
    pub fn path(&self, s: usize) -> Option<Vec<Step>> {
        self.dist.get(s)?.as_ref()?;
        let mut out = Vec::new();
        let mut cur = s;
        while self.parent[cur] != NIL {
            out.push(Step {
                dm: self.mover[cur] as usize,
                state: cur,
            });
            cur = self.parent[cur] as usize;
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
