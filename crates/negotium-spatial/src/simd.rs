//! Run-time choice of vector width for the models' hot loops: a kernel
//! written as lanes with no dependence between them is compiled three
//! times (AVX-512, AVX2, each with FMA; the baseline) and the widest the
//! CPU supports is called. Rust never fuses a multiply and an add on its
//! own (only `mul_add` does, in hardware or in software), so every width
//! computes the same numbers bit for bit.

/// `multiversion!(vis fn name(args) -> Ret = kernel;)` defines `name`,
/// which calls `kernel(args)` compiled for the widest vector unit found at
/// run time. `kernel` must be `#[inline(always)]` so that it is compiled
/// inside each variant.
macro_rules! multiversion {
    ($(#[$m:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty = $kernel:path;) => {
        $(#[$m])*
        $vis fn $name($($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,fma")]
                fn wide512($($arg: $ty),*) -> $ret {
                    $kernel($($arg),*)
                }
                #[target_feature(enable = "avx2,fma")]
                fn wide256($($arg: $ty),*) -> $ret {
                    $kernel($($arg),*)
                }
                if std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("fma")
                {
                    // SAFETY: the CPU has AVX-512F and FMA (checked just above).
                    return unsafe { wide512($($arg),*) };
                }
                if std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
                {
                    // SAFETY: the CPU has AVX2 and FMA (checked just above).
                    return unsafe { wide256($($arg),*) };
                }
            }
            $kernel($($arg),*)
        }
    };
}

pub(crate) use multiversion;

/// Lanes per padded row of the lane-parallel tables: one AVX-512 register
/// of f64 (two AVX2 registers, four SSE2 ones), so no row ends in a
/// partial register.
pub(crate) const LANE_PAD: usize = 8;

/// A deterministic stream of uniforms in [0, 1) for the kernels'
/// bit-for-bit tests: a 64-bit linear congruential generator, the same
/// stream on every platform.
#[cfg(test)]
pub(crate) fn uniforms(seed: u64) -> impl FnMut() -> f64 {
    let mut st = seed;
    move || {
        st = st
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (st >> 11) as f64 / (1u64 << 53) as f64
    }
}
