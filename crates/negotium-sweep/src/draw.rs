//! Random streams: every draw (and every row of a Sobol design, every
//! bootstrap replicate) gets its own ChaCha8 stream, keyed by the seed, a
//! purpose tag and its index, so any subset of draws can be computed on its
//! own — on any thread, in any order, on any machine — and gives exactly the
//! numbers the full single-machine run gives.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What a stream is for (kept apart so that, e.g., draw 3 and bootstrap
/// replicate 3 never share numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Monte Carlo draw `k`: the inputs, then per-draw model seeds.
    Draw,
    /// Row `r` of the Saltelli design for issue `j` (key = j).
    Sobol(u64),
    /// Bootstrap replicate `b` for issue `j` (key = j).
    Bootstrap(u64),
    /// Draw `k`'s numbers for another lens (key = the lens's tag, e.g. the
    /// voting or conflict inputs of a multi-lens sweep), apart from the
    /// spatial inputs of the same draw.
    Lens(u64),
}

/// SplitMix64 finaliser: a bijective mixing of 64 bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The stream for `index` under `seed` and `purpose`: ChaCha8 keyed by the
/// 256-bit expansion of `mix(seed ⊕ tag)` and positioned on stream `index`
/// (ChaCha's 64-bit stream id), i.e. independent for every index.
pub fn stream(seed: u64, purpose: Purpose, index: u64) -> ChaCha8Rng {
    let tag = match purpose {
        Purpose::Draw => 0x6472_6177_0000_0000,
        Purpose::Sobol(j) => 0x736f_626f_0000_0000 ^ mix(j),
        Purpose::Bootstrap(j) => 0x626f_6f74_0000_0000 ^ mix(j.wrapping_add(1)),
        Purpose::Lens(j) => 0x6c65_6e73_0000_0000 ^ mix(j.wrapping_add(2)),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(mix(seed ^ tag));
    rng.set_stream(index);
    rng
}

/// A uniform number in [0, 1) (53 random bits).
pub fn unit(rng: &mut ChaCha8Rng) -> f64 {
    rng.random::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_distinct_and_repeatable() {
        let a: Vec<f64> = (0..4)
            .map(|k| unit(&mut stream(7, Purpose::Draw, k)))
            .collect();
        let b: Vec<f64> = (0..4)
            .map(|k| unit(&mut stream(7, Purpose::Draw, k)))
            .collect();
        assert_eq!(a, b);
        assert!(a.windows(2).all(|w| w[0] != w[1]));
        let s = unit(&mut stream(7, Purpose::Sobol(0), 0));
        let t = unit(&mut stream(7, Purpose::Bootstrap(0), 0));
        let u = unit(&mut stream(8, Purpose::Draw, 0));
        let l = unit(&mut stream(7, Purpose::Lens(0), 0));
        assert!(s != a[0] && t != a[0] && u != a[0] && s != t);
        assert!(l != a[0] && l != s && l != t);
    }
}
