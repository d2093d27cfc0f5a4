//! Summaries of a sample of forecasts: quantiles (Hyndman & Fan type 7),
//! mean and standard deviation, and the probability of each labelled point
//! being the nearest to the forecast.

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

/// The probabilities at which [`Quantiles`] are reported.
pub const PROBS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Quantile definition used everywhere, in words (for reports).
pub const QUANTILE_DEFINITION: &str = "Hyndman & Fan type 7 (R's default, NumPy's `linear`): \
    with the n values sorted x(1) ≤ … ≤ x(n) and h = (n − 1)p, the p-quantile is \
    x(⌊h⌋+1) + (h − ⌊h⌋)(x(⌊h⌋+2) − x(⌊h⌋+1))";

/// Tie rule of [`label_probabilities`], in words.
pub const LABEL_RULE: &str = "each draw counts for the labelled point nearest to its \
    forecast (|forecast − point|); at equal distance the lower point counts, and between \
    points at the same place the first listed";

/// The 5th, 25th, 50th, 75th and 95th percentiles.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quantiles {
    pub p05: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// Type-7 quantile of already sorted, non-empty `sorted` at `p` ∈ [0, 1].
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    assert!(!sorted.is_empty(), "quantile of an empty sample");
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let x = sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]);
    // Rounding can step past a neighbour by an ulp; keep it between them.
    x.clamp(sorted[lo], sorted[hi])
}

impl Quantiles {
    /// Type-7 quantiles of a non-empty sample (NaN-free; sorted with
    /// `total_cmp`). Panics on an empty sample.
    pub fn of(sample: &[f64]) -> Self {
        let mut s = sample.to_vec();
        s.sort_by(f64::total_cmp);
        let q = |p| quantile_sorted(&s, p);
        Quantiles {
            p05: q(PROBS[0]),
            p25: q(PROBS[1]),
            p50: q(PROBS[2]),
            p75: q(PROBS[3]),
            p95: q(PROBS[4]),
        }
    }
}

/// Mean and sample standard deviation (n − 1; 0 for one value), summed in
/// the order given (so a sample in draw order gives the same bits however
/// the draws were computed).
pub fn mean_std(sample: &[f64]) -> (f64, f64) {
    let n = sample.len() as f64;
    let mean = sample.iter().sum::<f64>() / n;
    if sample.len() < 2 {
        return (mean, 0.0);
    }
    let ss: f64 = sample.iter().map(|x| (x - mean) * (x - mean)).sum();
    (mean, (ss / (n - 1.0)).sqrt())
}

/// A labelled point of an issue's scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    pub at: f64,
    pub label: String,
}

/// Index of the labelled point nearest to `x` ([`LABEL_RULE`]); None when
/// there are no labels.
pub fn nearest_label(labels: &[Label], x: f64) -> Option<usize> {
    let mut best: Option<(f64, f64, usize)> = None;
    for (i, l) in labels.iter().enumerate() {
        let d = (l.at - x).abs();
        let better = match best {
            None => true,
            Some((bd, bat, _)) => d < bd || (d == bd && l.at < bat),
        };
        if better {
            best = Some((d, l.at, i));
        }
    }
    best.map(|b| b.2)
}

/// Label → probability, in the order of the issue's labels (serialised as a
/// JSON object in that order).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LabelProbabilities(pub Vec<(String, f64)>);

impl Serialize for LabelProbabilities {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// The share of `sample` whose nearest label is each label (every label
/// listed, zero shares included). The shares are counts / n, so they sum to
/// 1 up to rounding. Labels sharing a name are reported under that name
/// once, with their shares added.
pub fn label_probabilities(labels: &[Label], sample: &[f64]) -> LabelProbabilities {
    let mut counts = vec![0u64; labels.len()];
    for &x in sample {
        if let Some(i) = nearest_label(labels, x) {
            counts[i] += 1;
        }
    }
    let n = sample.len() as f64;
    let mut out: Vec<(String, f64)> = Vec::with_capacity(labels.len());
    for (l, c) in labels.iter().zip(counts) {
        let p = c as f64 / n;
        match out.iter_mut().find(|(name, _)| *name == l.label) {
            Some(e) => e.1 += p,
            None => out.push((l.label.clone(), p)),
        }
    }
    LabelProbabilities(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_on_known_values() {
        // R: quantile(1:10, c(.05,.25,.5,.75,.95)) = 1.45 3.25 5.50 7.75 9.55
        let x: Vec<f64> = (1..=10).rev().map(f64::from).collect();
        let q = Quantiles::of(&x);
        for (got, want) in [q.p05, q.p25, q.p50, q.p75, q.p95]
            .iter()
            .zip([1.45, 3.25, 5.5, 7.75, 9.55])
        {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        assert_eq!(Quantiles::of(&[3.0]).p95, 3.0);
    }

    #[test]
    fn nearest_label_ties_go_low() {
        let l = |at: f64, s: &str| Label {
            at,
            label: s.into(),
        };
        let labels = [l(10.0, "b"), l(0.0, "a"), l(20.0, "c")];
        assert_eq!(nearest_label(&labels, 5.0), Some(1));
        assert_eq!(nearest_label(&labels, 15.0), Some(0));
        assert_eq!(nearest_label(&labels, 16.0), Some(2));
        assert_eq!(nearest_label(&[], 1.0), None);
        let p = label_probabilities(&labels, &[5.0, 15.0, 16.0, 100.0]);
        assert_eq!(
            p.0,
            vec![("b".into(), 0.25), ("a".into(), 0.25), ("c".into(), 0.5)]
        );
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"b":0.25,"a":0.25,"c":0.5}"#);
    }
}
