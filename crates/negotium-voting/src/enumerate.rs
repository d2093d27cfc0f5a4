//! Exhaustive enumeration of all 2^n coalitions (n ≤ 26): the cross-check of
//! the dynamic programmes, and the exact method for the minimal-winning
//! indices of games with two or more weight dimensions.

use num_bigint::BigUint;

use crate::error::VotingError;
use crate::game::Game;

/// Largest body enumerated.
pub const MAX_ENUMERATE: usize = 26;

/// Raw exhaustive counts.
#[derive(Debug, Clone)]
pub(crate) struct Enumerated {
    /// `[i][t]`: coalitions of t + 1 members in which i is a swing.
    pub swings_by_size: Vec<Vec<u64>>,
    pub winning_by_size: Vec<u64>,
    /// `[i][s]`: minimal winning coalitions of s members containing i.
    pub mwc_by_size: Vec<Vec<u64>>,
    /// `[i][c]`: winning coalitions with c critical members in which i is critical.
    pub critical_by_count: Vec<Vec<u64>>,
    pub mwc: u64,
}

/// Per-half subset sums for fast coalition weights.
struct Halves {
    h: usize,
    lo: Vec<Vec<u64>>,
    hi: Vec<Vec<u64>>,
}

impl Halves {
    fn new(weights: &[Vec<u64>], n: usize) -> Halves {
        let h = n / 2;
        let build = |from: usize, to: usize| -> Vec<Vec<u64>> {
            weights
                .iter()
                .map(|w| {
                    let k = to - from;
                    let mut t = vec![0u64; 1 << k];
                    for mask in 1usize..(1 << k) {
                        let b = mask.trailing_zeros() as usize;
                        t[mask] = t[mask & (mask - 1)] + w[from + b];
                    }
                    t
                })
                .collect()
        };
        Halves {
            h,
            lo: build(0, h),
            hi: build(h, n),
        }
    }
    fn sum(&self, d: usize, mask: u64) -> u64 {
        let lo_mask = (1u64 << self.h) - 1;
        self.lo[d][(mask & lo_mask) as usize] + self.hi[d][(mask >> self.h) as usize]
    }
}

pub(crate) fn enumerate(game: &Game) -> Result<Enumerated, VotingError> {
    let n = game.n();
    if n > MAX_ENUMERATE {
        return Err(VotingError::TooBig {
            what: format!("enumerating 2^{n} coalitions; at most 2^{MAX_ENUMERATE} are enumerated"),
        });
    }
    let weights: Vec<Vec<u64>> = game.quotas().iter().map(|q| q.weights.clone()).collect();
    let quotas: Vec<u64> = game.quotas().iter().map(|q| q.quota).collect();
    let halves = Halves::new(&weights, n);
    let veto_mask: u64 = (0..n)
        .filter(|&i| game.vetoes()[i])
        .fold(0, |m, i| m | 1 << i);
    let kc = game.min_complement().map(|k| k as usize);
    let d = quotas.len();
    let wins = |mask: u64, size: usize, w: &[u64]| -> bool {
        if mask & veto_mask != veto_mask {
            return false;
        }
        if let Some(k) = kc {
            if n - size < k {
                return true;
            }
        }
        w.iter().zip(&quotas).all(|(a, q)| a >= q)
    };
    let mut out = Enumerated {
        swings_by_size: vec![vec![0; n]; n],
        winning_by_size: vec![0; n + 1],
        mwc_by_size: vec![vec![0; n + 1]; n],
        critical_by_count: vec![vec![0; n + 1]; n],
        mwc: 0,
    };
    let mut w = vec![0u64; d];
    let mut w2 = vec![0u64; d];
    let mut crit = Vec::with_capacity(n);
    for mask in 0u64..(1u64 << n) {
        let size = mask.count_ones() as usize;
        for (j, wj) in w.iter_mut().enumerate() {
            *wj = halves.sum(j, mask);
        }
        if !wins(mask, size, &w) {
            continue;
        }
        out.winning_by_size[size] += 1;
        crit.clear();
        let mut rest = mask;
        while rest != 0 {
            let j = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            for k in 0..d {
                w2[k] = w[k] - weights[k][j];
            }
            if !wins(mask & !(1 << j), size - 1, &w2) {
                crit.push(j);
            }
        }
        let c = crit.len();
        for &j in &crit {
            out.swings_by_size[j][size - 1] += 1;
            out.critical_by_count[j][c] += 1;
        }
        if c == size {
            out.mwc += 1;
            for &j in &crit {
                out.mwc_by_size[j][size] += 1;
            }
        }
    }
    Ok(out)
}

pub(crate) fn big(v: u64) -> BigUint {
    BigUint::from(v)
}
