//! Utility functions beyond linear additive: GENIUS's non-linear
//! hyper-rectangle spaces (ANAC 2014) and GeniusWeb's sum-of-groups spaces,
//! behind one [`UtilityFn`] that also wraps the linear additive [`Utility`].
//!
//! **Hyper-rectangles** ([`RectUtility`]), as GENIUS's `NonlinearUtilitySpace`
//! evaluates them: a tree of functions, each aggregating (sum, min or max)
//! its constraints and its weighted sub-functions. An *inclusive* rectangle
//! scores its `utility · weight` when the outcome lies inside every bound
//! (`min ≤ value ≤ max` on each listed issue), else 0; an *exclusive* one
//! scores when the outcome lies outside some bound; a rectangle with no
//! bounds always scores. The space's utility is the root's value divided by
//! `maxutility`, capped at 1. Bounds are on issue values (integers);
//! [`RectUtility`] stores them as value-index ranges.
//!
//! **Sum of groups** ([`GroupUtility`], GeniusWeb `SumOfGroupsUtilitySpace`):
//! the issues are partitioned into groups; each group lists utilities for
//! some combinations of its issues' values (unlisted combinations score 0);
//! the utility is the sum over groups.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::BargainError;
use crate::prefs::Utility;

/// How a function combines its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregation {
    Sum,
    Min,
    Max,
}

/// One bound of a rectangle: issue `issue` (position in the domain) takes a
/// value index in `lo..=hi`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bound {
    pub issue: usize,
    pub lo: usize,
    pub hi: usize,
}

/// Whether a rectangle scores inside or outside its bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RectKind {
    /// Scores when every bound holds (with no bounds: always).
    Inclusive,
    /// Scores when some bound fails.
    Exclusive,
}

/// A hyper-rectangle constraint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rectangle {
    pub kind: RectKind,
    pub bounds: Vec<Bound>,
    pub utility: f64,
    pub weight: f64,
}

impl Rectangle {
    fn inside(&self, values: &[usize]) -> bool {
        self.bounds
            .iter()
            .all(|b| (b.lo..=b.hi).contains(&values[b.issue]))
    }

    /// This rectangle's contribution to an outcome.
    pub fn score(&self, values: &[usize]) -> f64 {
        let hit = match self.kind {
            RectKind::Inclusive => self.inside(values),
            RectKind::Exclusive => !self.inside(values),
        };
        if hit {
            self.utility * self.weight
        } else {
            0.0
        }
    }
}

/// A node of the function tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RectNode {
    pub aggregation: Aggregation,
    /// Multiplies this node's value when its parent aggregates it.
    pub weight: f64,
    pub rectangles: Vec<Rectangle>,
    pub children: Vec<RectNode>,
}

impl RectNode {
    /// The node's (unweighted) value, as GENIUS computes it: min starts at
    /// `i32::MAX`, max at `-i32::MAX`, sum at 0.
    pub fn value(&self, values: &[usize]) -> f64 {
        let mut acc = match self.aggregation {
            Aggregation::Sum => 0.0,
            Aggregation::Min => i32::MAX as f64,
            Aggregation::Max => -(i32::MAX as f64),
        };
        let parts = self
            .rectangles
            .iter()
            .map(|r| r.score(values))
            .chain(self.children.iter().map(|c| c.value(values) * c.weight));
        for x in parts {
            match self.aggregation {
                Aggregation::Sum => acc += x,
                Aggregation::Min => acc = acc.min(x),
                Aggregation::Max => acc = acc.max(x),
            }
        }
        acc
    }

    fn for_each_rect(&self, f: &mut impl FnMut(&Rectangle)) {
        self.rectangles.iter().for_each(&mut *f);
        for c in &self.children {
            c.for_each_rect(f);
        }
    }

    /// An upper bound of [`RectNode::value`] over all outcomes (sum of
    /// positive parts for sums; the largest part's bound for min and max).
    pub fn upper_bound(&self) -> f64 {
        let parts: Vec<f64> = self
            .rectangles
            .iter()
            .map(|r| (r.utility * r.weight).max(0.0))
            .chain(self.children.iter().map(|c| {
                let ub = c.upper_bound();
                let lb = c.lower_bound();
                (ub * c.weight).max(lb * c.weight)
            }))
            .collect();
        match self.aggregation {
            Aggregation::Sum => parts.iter().map(|x| x.max(0.0)).sum(),
            Aggregation::Min | Aggregation::Max => {
                if parts.is_empty() {
                    self.value(&[])
                } else {
                    parts.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
                }
            }
        }
    }

    /// A lower bound of [`RectNode::value`] over all outcomes.
    pub fn lower_bound(&self) -> f64 {
        let parts: Vec<f64> = self
            .rectangles
            .iter()
            .map(|r| (r.utility * r.weight).min(0.0))
            .chain(self.children.iter().map(|c| {
                let ub = c.upper_bound();
                let lb = c.lower_bound();
                (ub * c.weight).min(lb * c.weight)
            }))
            .collect();
        match self.aggregation {
            Aggregation::Sum => parts.iter().map(|x| x.min(0.0)).sum(),
            Aggregation::Min | Aggregation::Max => {
                if parts.is_empty() {
                    self.value(&[])
                } else {
                    parts.iter().cloned().fold(f64::INFINITY, f64::min)
                }
            }
        }
    }
}

/// A GENIUS non-linear utility space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RectUtility {
    pub root: RectNode,
    /// GENIUS's `maxutility`: the root's value is divided by it.
    pub max_utility: f64,
}

impl RectUtility {
    /// Checks bounds against the issue sizes and `maxutility` > 0.
    pub fn new(root: RectNode, max_utility: f64, sizes: &[usize]) -> Result<Self, String> {
        if !(max_utility.is_finite() && max_utility > 0.0) {
            return Err(format!(
                "maxutility {max_utility}; expected a positive number"
            ));
        }
        let mut err = None;
        root.for_each_rect(&mut |r| {
            for b in &r.bounds {
                if err.is_none() && (b.issue >= sizes.len() || b.lo > b.hi || b.hi >= sizes[b.issue]) {
                    err = Some(format!(
                        "a rectangle bound on issue {} (value indices {}..={}) lies outside the domain",
                        b.issue + 1,
                        b.lo,
                        b.hi
                    ));
                }
            }
            if err.is_none() && !(r.utility.is_finite() && r.weight.is_finite()) {
                err = Some(format!(
                    "a rectangle has a non-finite utility {} or weight {}",
                    r.utility, r.weight
                ));
            }
        });
        match err {
            Some(e) => Err(e),
            None => Ok(RectUtility { root, max_utility }),
        }
    }

    /// Utility of an outcome (value indices).
    pub fn eval(&self, values: &[usize]) -> f64 {
        (self.root.value(values) / self.max_utility).min(1.0)
    }

    /// Number of rectangles in the whole tree.
    pub fn n_rectangles(&self) -> usize {
        let mut n = 0;
        self.root.for_each_rect(&mut |_| n += 1);
        n
    }

    /// Certified bounds of the utility over all outcomes.
    pub fn bounds(&self) -> (f64, f64) {
        (
            (self.root.lower_bound() / self.max_utility).min(1.0),
            (self.root.upper_bound() / self.max_utility).min(1.0),
        )
    }
}

/// One group of a [`GroupUtility`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    /// Issue positions in this group, in the order of `utilities`' keys.
    pub issues: Vec<usize>,
    /// Utility of each listed combination of value indices (others score 0).
    pub utilities: HashMap<Vec<u32>, f64>,
}

/// A GeniusWeb sum-of-groups utility space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupUtility {
    pub groups: Vec<Group>,
}

impl GroupUtility {
    /// Checks that the groups partition the issues.
    pub fn new(groups: Vec<Group>, n_issues: usize) -> Result<Self, String> {
        let mut seen = vec![false; n_issues];
        for g in &groups {
            if g.issues.is_empty() {
                return Err(format!("group `{}` has no issues", g.name));
            }
            for &k in &g.issues {
                if k >= n_issues {
                    return Err(format!(
                        "group `{}` names issue {k}, outside the domain",
                        g.name
                    ));
                }
                if seen[k] {
                    return Err(format!(
                        "issue {} appears in more than one group (`{}` and an earlier one); groups must not overlap",
                        k, g.name
                    ));
                }
                seen[k] = true;
            }
            for (combo, u) in &g.utilities {
                if combo.len() != g.issues.len() || !u.is_finite() {
                    return Err(format!(
                        "group `{}`: a combination of {} values (utility {u}) for {} issues",
                        g.name,
                        combo.len(),
                        g.issues.len()
                    ));
                }
            }
        }
        if let Some(k) = seen.iter().position(|s| !s) {
            return Err(format!(
                "issue {k} is in no group; groups must cover every issue"
            ));
        }
        Ok(GroupUtility { groups })
    }

    /// Utility of an outcome (value indices).
    pub fn eval(&self, values: &[usize]) -> f64 {
        let mut s = 0.0;
        let mut key = Vec::new();
        for g in &self.groups {
            key.clear();
            key.extend(g.issues.iter().map(|&k| values[k] as u32));
            s += g.utilities.get(&key).copied().unwrap_or(0.0);
        }
        s
    }
}

/// Any utility function the engine evaluates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum UtilityFn {
    /// Linear additive (exact analysis and per-issue search).
    Additive(Utility),
    /// GENIUS non-linear hyper-rectangles.
    Rectangles(RectUtility),
    /// GeniusWeb sum of groups.
    Groups(GroupUtility),
}

impl UtilityFn {
    /// Utility of an outcome given as value indices.
    pub fn eval(&self, values: &[usize]) -> f64 {
        match self {
            UtilityFn::Additive(u) => u.eval_values(values),
            UtilityFn::Rectangles(r) => r.eval(values),
            UtilityFn::Groups(g) => g.eval(values),
        }
    }

    /// Utility of an outcome given as `u32` value indices.
    pub fn eval_u32(&self, values: &[u32]) -> f64 {
        match self {
            UtilityFn::Additive(u) => {
                let mut s = 0.0;
                for ((w, t), &v) in u.weights.iter().zip(&u.tables).zip(values) {
                    s += w * t[v as usize];
                }
                s
            }
            _ => {
                let v: Vec<usize> = values.iter().map(|&x| x as usize).collect();
                self.eval(&v)
            }
        }
    }

    /// The linear additive function, if this is one.
    pub fn as_additive(&self) -> Option<&Utility> {
        match self {
            UtilityFn::Additive(u) => Some(u),
            _ => None,
        }
    }

    /// Short name of the kind (`linear-additive`, `hyper-rectangles`, `sum-of-groups`).
    pub fn kind_name(&self) -> &'static str {
        match self {
            UtilityFn::Additive(_) => "linear-additive",
            UtilityFn::Rectangles(_) => "hyper-rectangles",
            UtilityFn::Groups(_) => "sum-of-groups",
        }
    }

    /// Checks the function's shape against the issue sizes.
    pub fn check(&self, sizes: &[usize], who: &str) -> Result<(), BargainError> {
        let bad = |what: String| BargainError::BadParty {
            party: who.to_string(),
            what,
        };
        match self {
            UtilityFn::Additive(u) => {
                if u.tables.len() != sizes.len()
                    || u.tables.iter().zip(sizes).any(|(t, n)| t.len() != *n)
                {
                    return Err(bad("its utility does not match the domain's issues".into()));
                }
            }
            UtilityFn::Rectangles(r) => {
                RectUtility::new(r.root.clone(), r.max_utility, sizes).map_err(bad)?;
            }
            UtilityFn::Groups(g) => {
                GroupUtility::new(g.groups.clone(), sizes.len()).map_err(bad)?;
                for grp in &g.groups {
                    for combo in grp.utilities.keys() {
                        for (&k, &v) in grp.issues.iter().zip(combo) {
                            if v as usize >= sizes[k] {
                                return Err(bad(format!(
                                    "group `{}` lists value index {v} for issue {k}, which has {} values",
                                    grp.name, sizes[k]
                                )));
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(kind: RectKind, bounds: &[(usize, usize, usize)], u: f64) -> Rectangle {
        Rectangle {
            kind,
            bounds: bounds
                .iter()
                .map(|&(issue, lo, hi)| Bound { issue, lo, hi })
                .collect(),
            utility: u,
            weight: 1.0,
        }
    }

    #[test]
    fn rectangles_sum_inside_and_outside_as_genius() {
        // Two issues 0..=3. Inclusive 10 on i0∈[1,2]; inclusive 5 on i0∈[2,3] ∧ i1∈[0,0];
        // exclusive 4 outside i1∈[1,3]; maxutility 20.
        let root = RectNode {
            aggregation: Aggregation::Sum,
            weight: 1.0,
            rectangles: vec![
                rect(RectKind::Inclusive, &[(0, 1, 2)], 10.0),
                rect(RectKind::Inclusive, &[(0, 2, 3), (1, 0, 0)], 5.0),
                rect(RectKind::Exclusive, &[(1, 1, 3)], 4.0),
            ],
            children: vec![],
        };
        let u = RectUtility::new(root, 20.0, &[4, 4]).unwrap();
        // (2, 0): 10 + 5 + 4 = 19 → 0.95; (0, 2): 0; (3, 0): 5 + 4 = 9 → 0.45.
        assert_eq!(u.eval(&[2, 0]), 19.0 / 20.0);
        assert_eq!(u.eval(&[0, 2]), 0.0);
        assert_eq!(u.eval(&[3, 0]), 9.0 / 20.0);
        let (lo, hi) = u.bounds();
        assert!(lo <= 0.0 && hi >= 0.95);
        // Capped at 1 when maxutility is below the sum.
        let small = RectUtility::new(u.root.clone(), 10.0, &[4, 4]).unwrap();
        assert_eq!(small.eval(&[2, 0]), 1.0);
        assert!(RectUtility::new(u.root.clone(), 0.0, &[4, 4]).is_err());
        assert!(RectUtility::new(u.root.clone(), 1.0, &[4, 3]).is_err());
    }

    #[test]
    fn min_and_max_aggregation_start_values_follow_genius() {
        let mk = |aggregation| RectNode {
            aggregation,
            weight: 1.0,
            rectangles: vec![
                rect(RectKind::Inclusive, &[(0, 0, 0)], 3.0),
                rect(RectKind::Inclusive, &[(0, 0, 1)], 7.0),
            ],
            children: vec![],
        };
        assert_eq!(mk(Aggregation::Min).value(&[0]), 3.0);
        assert_eq!(mk(Aggregation::Max).value(&[1]), 7.0);
        assert_eq!(mk(Aggregation::Min).value(&[1]), 0.0);
        let empty = RectNode {
            aggregation: Aggregation::Min,
            weight: 1.0,
            rectangles: vec![],
            children: vec![],
        };
        assert_eq!(empty.value(&[0]), i32::MAX as f64);
    }

    #[test]
    fn groups_sum_listed_combinations() {
        let g = GroupUtility::new(
            vec![
                Group {
                    name: "sound".into(),
                    issues: vec![0, 2],
                    utilities: [(vec![1, 1], 0.6), (vec![0, 1], 0.1)].into_iter().collect(),
                },
                Group {
                    name: "colour".into(),
                    issues: vec![1],
                    utilities: [(vec![0], 0.4)].into_iter().collect(),
                },
            ],
            3,
        )
        .unwrap();
        assert!((g.eval(&[1, 0, 1]) - 1.0).abs() < 1e-12);
        assert!((g.eval(&[1, 1, 0]) - 0.0).abs() < 1e-12);
        assert!(GroupUtility::new(vec![], 2).is_err());
    }
}
