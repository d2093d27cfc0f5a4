//! Exact coalition counts: a small arithmetic trait implemented by `u128`
//! (fast, used when every intermediate count provably fits) and `BigUint`.

use num_bigint::BigUint;
use num_traits::Zero;

/// Non-negative exact integers as the dynamic programmes need them.
pub trait Count: Clone + Send + Sync {
    /// Worth testing for zero before adding (true for big integers, where
    /// adding zero still costs; false for machine integers, where branch-free
    /// loops are faster).
    const SKIP_ZEROS: bool;
    fn nil() -> Self;
    fn from_u128(v: u128) -> Self;
    fn add_to(&mut self, o: &Self);
    /// `self -= o`; callers guarantee `o <= self`.
    fn sub_from(&mut self, o: &Self);
    fn mul(&self, o: &Self) -> Self;
    fn is_nil(&self) -> bool;
    fn to_big(&self) -> BigUint;
}

/// Machine integers: wrapping arithmetic is exact whenever the true result
/// fits, even if an alternating sum passes through larger intermediates.
macro_rules! machine_count {
    ($($t:ty),*) => {$(
        impl Count for $t {
            const SKIP_ZEROS: bool = false;
            #[inline]
            fn nil() -> Self {
                0
            }
            #[inline]
            fn from_u128(v: u128) -> Self {
                v as $t
            }
            #[inline]
            fn add_to(&mut self, o: &Self) {
                *self = self.wrapping_add(*o);
            }
            #[inline]
            fn sub_from(&mut self, o: &Self) {
                *self = self.wrapping_sub(*o);
            }
            #[inline]
            fn mul(&self, o: &Self) -> Self {
                self.wrapping_mul(*o)
            }
            #[inline]
            fn is_nil(&self) -> bool {
                *self == 0
            }
            fn to_big(&self) -> BigUint {
                BigUint::from(*self)
            }
        }
    )*};
}

machine_count!(u64, u128);

impl Count for BigUint {
    const SKIP_ZEROS: bool = true;
    fn nil() -> Self {
        Zero::zero()
    }
    fn from_u128(v: u128) -> Self {
        BigUint::from(v)
    }
    fn add_to(&mut self, o: &Self) {
        *self += o;
    }
    fn sub_from(&mut self, o: &Self) {
        *self -= o;
    }
    fn mul(&self, o: &Self) -> Self {
        self * o
    }
    fn is_nil(&self) -> bool {
        Zero::is_zero(self)
    }
    fn to_big(&self) -> BigUint {
        self.clone()
    }
}

/// The machine integer exact for results bounded by `scale · 2^m`.
///
/// Machine integers compute modulo 2^64 or 2^128 (wrapping), and every step
/// of the programmes is a ring operation (add, subtract, multiply), so a
/// result is exact whenever its true value is below the modulus, whatever
/// the intermediates. The programmes' results are sums over coalitions of
/// at most `scale` each, so `scale · 2^m` bounds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    U64,
    U128,
    Big,
}

pub fn width_for(scale: &BigUint, m: usize) -> Width {
    let bits = (scale << m).bits();
    if bits <= 64 {
        Width::U64
    } else if bits <= 128 {
        Width::U128
    } else {
        Width::Big
    }
}

/// lcm(1, …, n) as a big integer.
pub fn lcm_upto(n: usize) -> BigUint {
    let mut l = BigUint::from(1u32);
    for k in 2..=n.max(1) {
        let kb = BigUint::from(k);
        let g = num_integer::Integer::gcd(&l, &kb);
        l = l * kb / g;
    }
    l
}
