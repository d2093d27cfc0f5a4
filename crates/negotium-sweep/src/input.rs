//! Uncertain inputs as typed values: which input (an actor's capability, or
//! its position or salience on one issue), its point value, its range and
//! its distribution; and [`Perturb`], the stated blanket uncertainty used
//! when a scenario declares none.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Which number of the problem is uncertain. `actor` indexes the sweep's
/// actor list, `issue` its issue list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum Target {
    /// The actor's capability (shared by every issue it takes part in).
    Capability { actor: usize },
    /// The actor's position on one issue.
    Position { actor: usize, issue: usize },
    /// The actor's salience on one issue.
    Salience { actor: usize, issue: usize },
}

impl Target {
    pub fn actor(&self) -> usize {
        match *self {
            Target::Capability { actor }
            | Target::Position { actor, .. }
            | Target::Salience { actor, .. } => actor,
        }
    }
    /// The issue, for positions and saliences.
    pub fn issue(&self) -> Option<usize> {
        match *self {
            Target::Capability { .. } => None,
            Target::Position { issue, .. } | Target::Salience { issue, .. } => Some(issue),
        }
    }
    /// `capability`, `position` or `salience`.
    pub fn field(&self) -> &'static str {
        match self {
            Target::Capability { .. } => "capability",
            Target::Position { .. } => "position",
            Target::Salience { .. } => "salience",
        }
    }
}

/// The distribution of an uncertain input over `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    /// Every value in `[lo, hi]` equally likely.
    #[default]
    Uniform,
    /// Triangular on `[lo, hi]` with its mode at the point value.
    Triangular,
}

/// Why an uncertain input or a perturbation was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error("{what}: range [{lo}, {hi}] and point {point} must be finite numbers")]
    NotFinite {
        what: String,
        point: f64,
        lo: f64,
        hi: f64,
    },
    #[error("{what}: range [{lo}, {hi}] is empty (expected lo < hi)")]
    EmptyRange { what: String, lo: f64, hi: f64 },
    #[error("{what}: point value {point} lies outside its range [{lo}, {hi}]")]
    PointOutside {
        what: String,
        point: f64,
        lo: f64,
        hi: f64,
    },
    #[error("{what}: range [{lo}, {hi}] leaves the allowed [{min}, {max}]")]
    OutOfBounds {
        what: String,
        lo: f64,
        hi: f64,
        min: f64,
        max: f64,
    },
    #[error("perturbation `{0}`: expected `position=ABS`, `salience=REL` or `capability=REL` with a finite number ≥ 0, and optionally `distribution=uniform|triangular`, separated by commas (e.g. position=10,salience=0.2,capability=0.2)")]
    Perturb(String),
}

/// One uncertain number: where it is, its point value (what the plain
/// forecast uses), its range and its distribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UncertainInput {
    pub target: Target,
    pub point: f64,
    pub lo: f64,
    pub hi: f64,
    pub distribution: Distribution,
}

impl UncertainInput {
    /// Checks that point and range are finite, `lo < hi` and
    /// `lo ≤ point ≤ hi`. `what` names the input in the error.
    pub fn new(
        what: &str,
        target: Target,
        point: f64,
        (lo, hi): (f64, f64),
        distribution: Distribution,
    ) -> Result<Self, InputError> {
        if !(point.is_finite() && lo.is_finite() && hi.is_finite()) {
            return Err(InputError::NotFinite {
                what: what.into(),
                point,
                lo,
                hi,
            });
        }
        if lo >= hi {
            return Err(InputError::EmptyRange {
                what: what.into(),
                lo,
                hi,
            });
        }
        if point < lo || point > hi {
            return Err(InputError::PointOutside {
                what: what.into(),
                point,
                lo,
                hi,
            });
        }
        Ok(UncertainInput {
            target,
            point,
            lo,
            hi,
            distribution,
        })
    }

    /// The value at cumulative probability `u` ∈ [0, 1] (inverse CDF), in
    /// `[lo, hi]`. Uniform: `lo + u(hi − lo)`. Triangular with mode
    /// `c = point`: `lo + √(u(hi − lo)(c − lo))` for `u < (c − lo)/(hi − lo)`,
    /// else `hi − √((1 − u)(hi − lo)(hi − c))`.
    pub fn quantile(&self, u: f64) -> f64 {
        let (lo, hi) = (self.lo, self.hi);
        let w = hi - lo;
        let x = match self.distribution {
            Distribution::Uniform => lo + u * w,
            Distribution::Triangular => {
                let c = self.point;
                let fc = (c - lo) / w;
                if u < fc {
                    lo + (u * w * (c - lo)).sqrt()
                } else {
                    hi - ((1.0 - u) * w * (hi - c)).sqrt()
                }
            }
        };
        x.clamp(lo, hi)
    }

    /// Mean of the distribution.
    pub fn mean(&self) -> f64 {
        match self.distribution {
            Distribution::Uniform => 0.5 * (self.lo + self.hi),
            Distribution::Triangular => (self.lo + self.hi + self.point) / 3.0,
        }
    }
}

/// Blanket uncertainty for a scenario that declares none, applied to every
/// stance and actor: positions ± `position` scale points, saliences and
/// capabilities ± a fraction of their value (`0.2` = ±20 %), each range
/// clamped to what the field allows (the issue's scale, [0, 1], ≥ 0).
/// Inputs whose range would be empty (a zero salience or capability under a
/// relative perturbation) stay fixed. Written and parsed as
/// `position=10,salience=0.2,capability=0.2` (plus
/// `distribution=triangular` for triangular ranges with the mode at the
/// point value; uniform otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Perturb {
    /// ± absolute scale points on every position.
    pub position: Option<f64>,
    /// ± fraction of every salience.
    pub salience: Option<f64>,
    /// ± fraction of every capability.
    pub capability: Option<f64>,
    /// The distribution of every perturbed input (default uniform).
    #[serde(default)]
    pub distribution: Distribution,
}

impl FromStr for Perturb {
    type Err = InputError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut p = Perturb::default();
        let bad = || InputError::Perturb(s.to_string());
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').ok_or_else(bad)?;
            if k.trim() == "distribution" {
                p.distribution = match v.trim() {
                    "uniform" => Distribution::Uniform,
                    "triangular" => Distribution::Triangular,
                    _ => return Err(bad()),
                };
                continue;
            }
            let v: f64 = v.trim().parse().map_err(|_| bad())?;
            if !(v.is_finite() && v >= 0.0) {
                return Err(bad());
            }
            let slot = match k.trim() {
                "position" => &mut p.position,
                "salience" => &mut p.salience,
                "capability" => &mut p.capability,
                _ => return Err(bad()),
            };
            if slot.replace(v).is_some() {
                return Err(bad());
            }
        }
        if p.position.is_none() && p.salience.is_none() && p.capability.is_none() {
            return Err(bad());
        }
        Ok(p)
    }
}

impl fmt::Display for Perturb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(v) = self.position {
            parts.push(format!("position={v}"));
        }
        if let Some(v) = self.salience {
            parts.push(format!("salience={v}"));
        }
        if let Some(v) = self.capability {
            parts.push(format!("capability={v}"));
        }
        if self.distribution == Distribution::Triangular {
            parts.push("distribution=triangular".into());
        }
        write!(f, "{}", parts.join(","))
    }
}

impl Perturb {
    /// The range of a position `x` on a scale `[min, max]`.
    pub fn position_range(&self, x: f64, min: f64, max: f64) -> Option<(f64, f64)> {
        let d = self.position?;
        nonempty((x - d).max(min), (x + d).min(max))
    }
    /// The range of a salience `s`.
    pub fn salience_range(&self, s: f64) -> Option<(f64, f64)> {
        let r = self.salience?;
        nonempty((s * (1.0 - r)).max(0.0), (s * (1.0 + r)).min(1.0))
    }
    /// The range of a capability `c`.
    pub fn capability_range(&self, c: f64) -> Option<(f64, f64)> {
        let r = self.capability?;
        let hi = c * (1.0 + r);
        if !hi.is_finite() {
            return None;
        }
        nonempty((c * (1.0 - r)).max(0.0), hi)
    }
}

fn nonempty(lo: f64, hi: f64) -> Option<(f64, f64)> {
    (lo < hi).then_some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perturb_round_trips_and_refuses_nonsense() {
        let p: Perturb = "position=10,salience=0.2,capability=0.2".parse().unwrap();
        assert_eq!(p.position, Some(10.0));
        assert_eq!(p.to_string(), "position=10,salience=0.2,capability=0.2");
        let t: Perturb = "salience=0.1,distribution=triangular".parse().unwrap();
        assert_eq!(t.distribution, Distribution::Triangular);
        assert_eq!(t.to_string(), "salience=0.1,distribution=triangular");
        assert!("distribution=triangular".parse::<Perturb>().is_err());
        assert!("position=1,distribution=normal".parse::<Perturb>().is_err());
        for bad in [
            "",
            "position",
            "position=x",
            "position=-1",
            "weight=1",
            "position=1,position=2",
            "salience=inf",
        ] {
            assert!(bad.parse::<Perturb>().is_err(), "{bad}");
        }
        assert_eq!(p.position_range(95.0, 0.0, 100.0), Some((85.0, 100.0)));
        assert_eq!(p.salience_range(0.0), None);
        assert_eq!(p.salience_range(0.9), Some((0.9 * 0.8, 1.0)));
        assert_eq!(p.capability_range(10.0), Some((8.0, 12.0)));
    }

    #[test]
    fn validation_and_quantiles() {
        let t = Target::Capability { actor: 0 };
        assert!(matches!(
            UncertainInput::new("a", t, 5.0, (6.0, 7.0), Distribution::Uniform),
            Err(InputError::PointOutside { .. })
        ));
        assert!(matches!(
            UncertainInput::new("a", t, 5.0, (5.0, 5.0), Distribution::Uniform),
            Err(InputError::EmptyRange { .. })
        ));
        assert!(matches!(
            UncertainInput::new("a", t, f64::NAN, (0.0, 1.0), Distribution::Uniform),
            Err(InputError::NotFinite { .. })
        ));
        let tri = UncertainInput::new("a", t, 2.0, (0.0, 10.0), Distribution::Triangular).unwrap();
        assert_eq!(tri.quantile(0.0), 0.0);
        assert_eq!(tri.quantile(1.0), 10.0);
        // F(mode) = 0.2: the quantile at 0.2 is the mode.
        assert!((tri.quantile(0.2) - 2.0).abs() < 1e-12);
        // Triangular CDF below the mode: F(x) = x²/(w·c) → F(1) = 1/20.
        assert!((tri.quantile(0.05) - 1.0).abs() < 1e-12);
        let uni = UncertainInput::new("a", t, 2.0, (0.0, 10.0), Distribution::Uniform).unwrap();
        assert_eq!(uni.quantile(0.25), 2.5);
    }
}
