//! A fixed-size bitset over state indices (one bit per state).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BitSet {
    words: Vec<u64>,
    len: usize,
}

impl BitSet {
    pub fn new(len: usize) -> Self {
        BitSet {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }
    pub fn full(len: usize) -> Self {
        let mut words = vec![u64::MAX; len.div_ceil(64)];
        if !len.is_multiple_of(64) {
            if let Some(w) = words.last_mut() {
                *w = (1u64 << (len % 64)) - 1;
            }
        }
        BitSet { words, len }
    }
    /// The set of `i < len` with `f(i)`, evaluated in parallel (rayon) in
    /// blocks of 4,096 indices; the result does not depend on the thread count.
    pub fn from_fn_par(len: usize, f: impl Fn(usize) -> bool + Sync) -> Self {
        let mut words = vec![0u64; len.div_ceil(64)];
        words
            .par_chunks_mut(64)
            .enumerate()
            .for_each(|(ci, chunk)| {
                for (wi, w) in chunk.iter_mut().enumerate() {
                    let base = (ci * 64 + wi) * 64;
                    let mut x = 0u64;
                    for b in 0..64.min(len - base) {
                        if f(base + b) {
                            x |= 1 << b;
                        }
                    }
                    *w = x;
                }
            });
        BitSet { words, len }
    }
    /// A bitset from its 64-bit words (bit k of word w = index 64·w + k).
    pub fn from_words(words: Vec<u64>, len: usize) -> Self {
        debug_assert_eq!(words.len(), len.div_ceil(64));
        BitSet { words, len }
    }
    /// The first `n` members, ascending.
    pub fn first(&self, n: usize) -> Vec<usize> {
        self.iter().take(n).collect()
    }
    /// Bytes of a bitset over `len` indices.
    pub fn bytes(len: usize) -> u64 {
        len.div_ceil(64) as u64 * 8
    }
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    #[inline]
    pub fn contains(&self, i: usize) -> bool {
        self.words[i >> 6] >> (i & 63) & 1 == 1
    }
    #[inline]
    pub fn insert(&mut self, i: usize) {
        self.words[i >> 6] |= 1 << (i & 63);
    }
    #[inline]
    pub fn remove(&mut self, i: usize) {
        self.words[i >> 6] &= !(1 << (i & 63));
    }
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }
    /// In-place intersection.
    pub fn and_with(&mut self, o: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&o.words) {
            *a &= b;
        }
    }
    /// In-place union.
    pub fn or_with(&mut self, o: &BitSet) {
        for (a, b) in self.words.iter_mut().zip(&o.words) {
            *a |= b;
        }
    }
    /// Indices of set bits, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    None
                } else {
                    let t = w.trailing_zeros() as usize;
                    w &= w - 1;
                    Some(wi * 64 + t)
                }
            })
        })
    }
    pub fn to_vec(&self) -> Vec<usize> {
        self.iter().collect()
    }
}
