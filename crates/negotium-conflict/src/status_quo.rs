//! Status-quo analysis: which states can be reached from a status quo by
//! legal move sequences (no DM moves twice in a row), optionally by
//! unilateral improvements only, with a shortest legal path to each.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::space::Conflict;
use crate::stability::Step;

/// Reachability from a status quo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
