//! Declared uncertainty, the same two ideas in every section: a number may
//! carry a range (`position_range = [lo, hi]`, `salience_range`,
//! `capability_range`, `weight_range`, `reservation_range`) with a
//! `distribution` (uniform, or triangular with its mode at the point
//! value); a discrete choice may carry weighted alternatives
//! (`alternatives = [{ weight = 0.3, … }]` for a decision maker's
//! preferences, `ballots = [{ weight = 0.2, vote = "no" }]` for a member's
//! ballot), the stated value taking the weight left over. This module holds
//! the shared types and their located checks; `negotium sweep` draws from
//! them (docs/sweep.md).

use serde::{Deserialize, Serialize};

use crate::validate::{show, Path, Problems};

/// How values in a declared range are drawn.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    /// Every value of the range equally likely.
    #[default]
    Uniform,
    /// Triangular over the range, its mode at the point value.
    Triangular,
}

impl Distribution {
    pub fn as_str(self) -> &'static str {
        match self {
            Distribution::Uniform => "uniform",
            Distribution::Triangular => "triangular",
        }
    }
}

/// A declared range, written `[lo, hi]` (exactly two numbers).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub lo: f64,
    pub hi: f64,
}

impl Serialize for Range {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.lo, self.hi].serialize(s)
    }
}

impl<'de> Deserialize<'de> for Range {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Range;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a range [lo, hi] of two numbers")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Range, A::Error> {
                use serde::de::Error;
                let lo = a
                    .next_element::<f64>()?
                    .ok_or_else(|| A::Error::invalid_length(0, &self))?;
                let hi = a
                    .next_element::<f64>()?
                    .ok_or_else(|| A::Error::invalid_length(1, &self))?;
                let mut n = 2;
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                if n != 2 {
                    return Err(A::Error::invalid_length(n, &self));
                }
                Ok(Range { lo, hi })
            }
        }
        d.deserialize_seq(V)
    }
}

/// Checks a declared range against its point value and the field's bounds:
/// finite numbers, `lo < hi`, inside `bounds` (`what_bounds` names them in
/// the message, e.g. "the scale of issue `status` [0, 100]"), and
/// `lo ≤ point ≤ hi`. `key` is the range's key (`position_range`), `field`
/// the point value's (`position`). Reports at `at` (the range's path).
pub fn check_range(
    range: Range,
    point: f64,
    bounds: (f64, f64),
    what_bounds: &str,
    at: Path,
    (key, field): (&str, &str),
    p: &mut Problems,
) {
    let Range { lo, hi } = range;
    let shown = format!("[{}, {}]", show(lo), show(hi));
    if !(lo.is_finite() && hi.is_finite()) {
        p.push(
            at,
            format!("{key} {shown}: expected two finite numbers [lo, hi]"),
        );
    } else if lo >= hi {
        p.push(
            at,
            format!("{key} {shown} is empty: expected [lo, hi] with lo < hi (omit the range for a number known exactly)"),
        );
    } else if lo < bounds.0 || hi > bounds.1 {
        p.push(
            at,
            format!("{key} {shown} leaves {what_bounds}: expected a range within it"),
        );
    } else if point.is_finite() && !(lo <= point && point <= hi) {
        p.push(
            at,
            format!(
                "{field} {} lies outside its {key} {shown}: expected lo ≤ {field} ≤ hi (the stated {field} is the point value, and the range is the uncertainty around it)",
                show(point)
            ),
        );
    }
}

/// A `distribution` with no range to apply to.
pub fn check_distribution(
    distribution: Option<Distribution>,
    any_range: bool,
    ranges: &str,
    at: Path,
    p: &mut Problems,
) {
    if distribution.is_some() && !any_range {
        p.push(
            at,
            format!("`distribution` is given but there is no {ranges} for it to apply to: add a range or drop `distribution`"),
        );
    }
}

/// Checks the weights of discrete alternatives: each a finite number in
/// (0, 1] (reported at `at[k].weight`), their sum at most 1 (reported at
/// `at`); the stated value takes `1 − Σ weights`.
pub fn check_weights(
    weights: impl IntoIterator<Item = f64>,
    at: &Path,
    what: &str,
    p: &mut Problems,
) {
    let mut sum = 0.0;
    let mut ok = true;
    for (k, w) in weights.into_iter().enumerate() {
        if !(w.is_finite() && w > 0.0 && w <= 1.0) {
            ok = false;
            p.push(
                at.index(k).key("weight"),
                format!(
                    "weight {} of {what} alternative {}: expected a probability in (0, 1]",
                    show(w),
                    k + 1
                ),
            );
        } else {
            sum += w;
        }
    }
    if ok && sum > 1.0 + 1e-9 {
        p.push(
            at.clone(),
            format!(
                "the weights of the {what} alternatives sum to {}: expected at most 1 (the stated {what} takes the weight left over, 1 − the sum)",
                show(sum)
            ),
        );
    }
}
