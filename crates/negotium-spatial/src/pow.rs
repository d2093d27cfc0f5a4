//! `bʸ` for the expected-utility model, computed as glibc's `pow` computes
//! it on x86-64 with FMA (glibc 2.28 and later: the algorithm of Arm's
//! optimized-routines): the same tables, the same operations and the same
//! fused multiply-adds, so each result is the same double. Written once
//! for one number and once for rows of lanes the compiler vectorises.
//! The fast path's results are the same on every platform (a CPU without
//! FMA gets the fused operations from software); inputs off it (b ≤ 0,
//! subnormal, infinite or NaN; |y| outside [2⁻⁶⁵, 2⁶³); |y·ln b| ≥ 512),
//! which the model never makes, go to the platform's `powf`.

#[rustfmt::skip]
mod tables;

use tables::{EXP_TAB, INV_LN2_N, LN2HI, LN2LO, LOG_TAB, NEG_LN2_HI_N, NEG_LN2_LO_N};

/// The log polynomial's coefficients, scaled as the evaluation expects
/// (published with the algorithm; a minimax fit, not derivable here).
const A: [f64; 7] = [
    f64::from_bits(0xbfe0000000000000), // −0.5
    f64::from_bits(0xbfe5555555555560), // 0x1.555555555556p−2 · −2
    f64::from_bits(0x3fe0000000000006), // −0x1.0000000000006p−2 · −2
    f64::from_bits(0x3fe999999959554e), // 0x1.999999959554ep−3 · 4
    f64::from_bits(0xbfe555555529a47a), // −0x1.555555529a47ap−3 · 4
    f64::from_bits(0xbff2495b9b4845e9), // 0x1.2495b9b4845e9p−3 · −8
    f64::from_bits(0x3ff0002b8b263fc3), // −0x1.0002b8b263fc3p−3 · −8
];
/// The exp polynomial's coefficients C2..C5 (published with the algorithm).
const C: [f64; 4] = [
    f64::from_bits(0x3fdffffffffffdbd),
    f64::from_bits(0x3fc555555555543c),
    f64::from_bits(0x3fa55555cf172b91),
    f64::from_bits(0x3f81111167a4d017),
];
/// 1.5·2⁵²: adding it rounds to an integer held in the low bits.
const SHIFT: f64 = f64::from_bits(0x4338000000000000);
/// The bits of the left end of z's range [0x1.69555p−1, 0x1.69555p0).
const OFF: u64 = 0x3fe6955500000000;

/// What the fast path made of one input.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Path {
    /// The value is the result.
    Fast,
    /// |y·ln b| < 2⁻⁵⁴: the result is 1 + y·ln b.
    NearOne,
    /// Off the fast path: the platform's `powf` answers.
    Slow,
}

/// `(value, ehi, path)`: the fast path's value of bʸ and y·ln b rounded.
/// Branch free, so rows of it vectorise; the value is meaningful only
/// when `path` is `Fast`.
#[inline(always)]
fn core(b: f64, y: f64) -> (f64, f64, Path) {
    let (ix, iy) = (b.to_bits(), y.to_bits());
    let ok_in =
        (ix >> 52).wrapping_sub(1) < 0x7fe && ((iy >> 52) & 0x7ff).wrapping_sub(0x3be) < 0x80;

    // ln b = k·ln2 + ln c + ln(z/c), b = 2ᵏz, z in subinterval i of
    // [OFF, 2·OFF) and c near its centre; z/c − 1 is exact.
    let tmp = ix.wrapping_sub(OFF);
    let i = ((tmp >> 45) & 127) as usize;
    let kd = ((tmp as i64) >> 52) as f64;
    let z = f64::from_bits(ix.wrapping_sub(tmp & (0xfff << 52)));
    let [invc, logc, logctail] = LOG_TAB[i];
    let t1 = kd.mul_add(LN2HI, logc);
    let lo1 = kd.mul_add(LN2LO, logctail);
    let r = z.mul_add(invc, -1.0);
    let ar = r * A[0];
    let p12 = r.mul_add(A[2], A[1]);
    let p34 = r.mul_add(A[4], A[3]);
    let t2 = r + t1;
    let ar2 = r * ar;
    let ar3 = r * ar2;
    let lo3 = ar.mul_add(r, -ar2);
    let lo2 = (t1 - t2) + r;
    let p56 = r.mul_add(A[6], A[5]);
    let hi = t2 + ar2;
    let lo4 = (t2 - hi) + ar2;
    let p = ar2.mul_add(p56.mul_add(ar2, p34), p12);
    let lo = ar3.mul_add(p, ((lo1 + lo2) + lo3) + lo4);
    let log_hi = hi + lo;
    let log_lo = (hi - log_hi) + lo;

    // y·ln b as ehi + elo.
    let ehi = y * log_hi;
    let elo = y.mul_add(log_lo, log_hi.mul_add(y, -ehi));
    let abstop = (ehi.to_bits() >> 52) & 0x7ff;

    // e^(ehi + elo) = 2^(k/128) · e^r, |r| ≤ ln2/256.
    let kd = ehi.mul_add(INV_LN2_N, SHIFT);
    let ki = kd.to_bits();
    let kd = kd - SHIFT;
    let r = elo + kd.mul_add(NEG_LN2_LO_N, kd.mul_add(NEG_LN2_HI_N, ehi));
    let [tail, sbits] = EXP_TAB[(ki & 127) as usize];
    let scale = f64::from_bits(sbits.wrapping_add(ki << 45));
    let c23 = r.mul_add(C[1], C[0]);
    let rt = r + f64::from_bits(tail);
    let r2 = r * r;
    let c45 = r.mul_add(C[3], C[2]);
    let t = c45.mul_add(r2 * r2, c23.mul_add(r2, rt));
    let value = t.mul_add(scale, scale);

    let path = if !ok_in || abstop >= 0x408 {
        Path::Slow
    } else if abstop < 0x3c9 {
        Path::NearOne
    } else {
        Path::Fast
    };
    (value, ehi, path)
}

/// bʸ with the model's conventions: b¹ = b exactly, 0ʸ = 0.
#[inline(always)]
fn powr_kernel(b: f64, y: f64) -> f64 {
    if y == 1.0 {
        return b;
    }
    if b == 0.0 {
        return 0.0;
    }
    match core(b, y) {
        (v, _, Path::Fast) => v,
        (_, ehi, Path::NearOne) => 1.0 + ehi,
        (_, _, Path::Slow) => b.powf(y),
    }
}

/// bʸ with b¹ = b exactly and 0ʸ = 0 (for y > 0), as glibc's `pow`
/// computes it (see the module's doc).
pub(crate) fn powr(b: f64, y: f64) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") {
        #[target_feature(enable = "fma")]
        fn with_fma(b: f64, y: f64) -> f64 {
            powr_kernel(b, y)
        }
        // SAFETY: the CPU has FMA (checked just above).
        return unsafe { with_fma(b, y) };
    }
    powr_kernel(b, y)
}

/// 0.5ʸ (y > 0) as 2⁻ʸ, the platform's `exp2` (0.5¹ = 0.5 exactly): the
/// form the model has always computed it in, since the compiler rewrites
/// a power of a constant 0.5 into `exp2`, whose last bit can differ from
/// `pow`'s.
pub(crate) fn half_pow(y: f64) -> f64 {
    if y == 1.0 {
        0.5
    } else {
        (-y).exp2()
    }
}

/// Lanes per block of [`powr_in_place`]: one AVX-512 register of f64.
pub(crate) const BLOCK: usize = 8;

/// `v[t] = powr(v[t], y)` for every t, eight lanes at a time; the same
/// doubles as [`powr`]. For use inside a kernel compiled with FMA (a
/// `multiversion!` variant); a length that is a multiple of [`BLOCK`]
/// (a padded row) needs no partial block.
#[inline(always)]
pub(crate) fn powr_in_place(v: &mut [f64], y: f64) {
    if y == 1.0 {
        return;
    }
    let mut blocks = v.chunks_exact_mut(BLOCK);
    for block in &mut blocks {
        powr_block(block.try_into().expect("a block of BLOCK lanes"), y);
    }
    let rest = blocks.into_remainder();
    if !rest.is_empty() {
        // Padding lanes hold 1 (a valid base).
        let mut block = [1.0f64; BLOCK];
        block[..rest.len()].copy_from_slice(rest);
        powr_block(&mut block, y);
        let m = rest.len();
        rest.copy_from_slice(&block[..m]);
    }
}

/// One block of [`powr_in_place`] (y ≠ 1): every lane through the fast
/// path, then, only if some lane is off it, those lanes one by one.
#[inline(always)]
fn powr_block(b: &mut [f64; BLOCK], y: f64) {
    let mut v = [0.0f64; BLOCK];
    let mut slow = false;
    for l in 0..BLOCK {
        let (value, ehi, path) = core(b[l], y);
        let near = if path == Path::NearOne {
            1.0 + ehi
        } else {
            value
        };
        v[l] = if b[l] == 0.0 { 0.0 } else { near };
        slow |= path == Path::Slow && b[l] != 0.0;
    }
    if slow {
        for l in 0..BLOCK {
            v[l] = powr_kernel(b[l], y);
        }
    }
    *b = v;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// glibc's results: `(b, y, bʸ)` as bits, written by Python's
    /// `math.pow` on glibc 2.36 (x86-64, FMA): the reference the fast path
    /// reproduces bit for bit.
    const GLIBC: &str = include_str!("../tests/data/pow_glibc.txt");

    fn cases() -> Vec<(f64, f64, f64)> {
        GLIBC
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let f: Vec<u64> = l
                    .split_whitespace()
                    .map(|h| u64::from_str_radix(h, 16).expect("hex bits"))
                    .collect();
                (
                    f64::from_bits(f[0]),
                    f64::from_bits(f[1]),
                    f64::from_bits(f[2]),
                )
            })
            .collect()
    }

    #[test]
    fn powers_are_glibcs_bit_for_bit() {
        let cases = cases();
        assert!(cases.len() >= 4_000, "{} cases", cases.len());
        let mut fast = 0;
        for &(b, y, want) in &cases {
            if y == 1.0 || b == 0.0 {
                continue;
            }
            let got = powr(b, y);
            assert_eq!(
                got.to_bits(),
                want.to_bits(),
                "{b:e}^{y} = {want:e}, got {got:e}"
            );
            // Count those the fast path answers itself.
            fast += usize::from(core(b, y).2 == Path::Fast);
            // Without FMA instructions (software fused multiply-adds).
            assert_eq!(powr_kernel(b, y).to_bits(), want.to_bits(), "{b:e}^{y}");
        }
        assert!(
            fast >= cases.len() * 9 / 10,
            "fast path for {fast} of {}",
            cases.len()
        );
    }

    #[test]
    fn rows_are_the_scalar_powers() {
        let cases = cases();
        let mut next = crate::simd::uniforms(0x5eed);
        for len in [1, 3, 7, 8, 9, 16, 18, 23, 40] {
            for chunk in cases.chunks(len).take(200) {
                // One exponent per row, as the model's rows have.
                let y = chunk[(next() * chunk.len() as f64) as usize].1;
                let mut row: Vec<f64> = chunk.iter().map(|c| c.0).collect();
                powr_in_place(&mut row, y);
                for (t, &(b, _, _)) in chunk.iter().enumerate() {
                    assert_eq!(
                        row[t].to_bits(),
                        powr(b, y).to_bits(),
                        "{b:e}^{y} (row of {len})"
                    );
                }
            }
        }
    }

    /// The model's conventions, and the inputs off the fast path.
    #[test]
    fn conventions_and_slow_inputs() {
        assert_eq!(powr(0.0, 0.7), 0.0);
        assert_eq!(powr(0.3, 1.0).to_bits(), 0.3f64.to_bits());
        assert_eq!(powr(1.0, 1.7), 1.0);
        let sub = f64::MIN_POSITIVE / 8.0;
        assert_eq!(powr(sub, 0.5).to_bits(), sub.powf(0.5).to_bits());
        assert_eq!(core(sub, 0.5).2, Path::Slow);
        assert_eq!(core(1e-200, 3.0).2, Path::Slow);
        assert_eq!(powr(1e-200, 3.0), 0.0);
        assert_eq!(core(1.0, 1.7).2, Path::NearOne);
        let mut row = [0.0, sub, 1.0, 0.25];
        powr_in_place(&mut row, 0.5);
        assert_eq!(row, [0.0, sub.powf(0.5), 1.0, 0.5]);
        powr_in_place(&mut row, 1.0);
        assert_eq!(row, [0.0, sub.powf(0.5), 1.0, 0.5]);
    }

    /// Where the platform's `powf` is glibc's FMA variant (x86-64 Linux
    /// with FMA), it agrees on many more inputs than the file holds.
    #[cfg(all(target_arch = "x86_64", target_os = "linux", target_env = "gnu"))]
    #[test]
    fn agrees_with_the_platforms_glibc() {
        if !(std::arch::is_x86_feature_detected!("fma")
            && std::arch::is_x86_feature_detected!("avx2"))
        {
            return;
        }
        let mut next = crate::simd::uniforms(0x9e37_79b9);
        for _ in 0..200_000 {
            let b = next() * 2f64.powi(-(next() * 20.0) as i32);
            let y = 0.5 + 1.5 * next();
            assert_eq!(powr(b, y).to_bits(), b.powf(y).to_bits(), "{b:e}^{y}");
        }
    }
}
