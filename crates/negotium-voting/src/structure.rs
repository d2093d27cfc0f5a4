//! The shape of a game as the dynamic programmes see it: veto members forced
//! in, quotas whose weights are all equal folded into a size threshold, and
//! the remaining ("non-uniform") weight dimensions.

use crate::game::Game;

/// A game reduced for counting. Sizes and weights here are totals over the
/// whole coalition, veto members included.
#[derive(Debug, Clone)]
pub(crate) struct Structure {
    pub n: usize,
    pub vetoers: Vec<usize>,
    /// Members without a veto, in member order.
    pub free: Vec<usize>,
    /// A coalition must have at least this many members (folded uniform quotas).
    pub size_min: usize,
    /// Non-uniform quotas still binding once the veto members are in:
    /// per dimension, the weights of all members and the quota.
    pub dims: Vec<(Vec<u64>, u64)>,
    /// Weight of the veto members per dimension.
    pub base_w: Vec<u64>,
    /// `Some(k)`: a coalition with fewer than k members outside wins.
    pub kc: Option<usize>,
}

impl Structure {
    pub fn of(game: &Game) -> Structure {
        let n = game.n();
        let vetoers: Vec<usize> = (0..n).filter(|&i| game.vetoes()[i]).collect();
        let free: Vec<usize> = (0..n).filter(|&i| !game.vetoes()[i]).collect();
        let mut size_min = 0usize;
        let mut dims = Vec::new();
        let mut base_w = Vec::new();
        for q in game.quotas() {
            let first = q.weights[0];
            if q.weights.iter().all(|&w| w == first) {
                // c·|S| ≥ q  ⇔  |S| ≥ ⌈q / c⌉ (c > 0 is guaranteed by Game::new).
                let need = q.quota.div_ceil(first.max(1)) as usize;
                size_min = size_min.max(need);
                continue;
            }
            let base: u64 = vetoers.iter().map(|&v| q.weights[v]).sum();
            if base >= q.quota {
                continue; // reached by the veto members alone
            }
            dims.push((q.weights.clone(), q.quota));
            base_w.push(base);
        }
        Structure {
            n,
            vetoers,
            free,
            size_min,
            dims,
            base_w,
            kc: game.min_complement().map(|k| k as usize),
        }
    }

    /// Does a coalition (containing every veto member) with `s` members and
    /// total weights `w` (one per dimension of `dims`) win?
    pub fn pred(&self, s: usize, w: &[u64]) -> bool {
        if let Some(k) = self.kc {
            if self.n - s < k {
                return true;
            }
        }
        s >= self.size_min && self.dims.iter().zip(w).all(|((_, q), &x)| x >= *q)
    }

    /// For at most one weight dimension: the least total weight with which a
    /// coalition of `s` members (veto members included) wins; `None` if none does.
    pub fn threshold(&self, s: usize) -> Option<u64> {
        debug_assert!(self.dims.len() <= 1);
        if let Some(k) = self.kc {
            if self.n - s < k {
                return Some(0);
            }
        }
        if s >= self.size_min {
            Some(self.dims.first().map(|d| d.1).unwrap_or(0))
        } else {
            None
        }
    }

    /// Weight in dimension 0 of member `i` (0 when no weight dimension is left).
    pub fn weight1(&self, i: usize) -> u64 {
        self.dims.first().map(|d| d.0[i]).unwrap_or(0)
    }
}
