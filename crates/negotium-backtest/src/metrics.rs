//! Accuracy of point forecasts (errors on a 0–100 scale) and of label
//! probabilities (Brier score, calibration table).

use serde::Serialize;

use crate::BacktestError;

/// Summary of absolute errors, all on the 0–100 scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorSummary {
    pub issues: usize,
    pub mae: f64,
    pub rmse: f64,
    /// Median absolute error (mean of the two middle values for an even count).
    pub median_error: f64,
    /// Share of issues with an absolute error of at most 10 points.
    pub within_10: f64,
}

/// Summarises absolute errors; `None` for no errors.
pub fn summarise(errors: &[f64]) -> Option<ErrorSummary> {
    if errors.is_empty() {
        return None;
    }
    let n = errors.len() as f64;
    let mae = errors.iter().sum::<f64>() / n;
    let rmse = (errors.iter().map(|e| e * e).sum::<f64>() / n).sqrt();
    let mut s = errors.to_vec();
    s.sort_by(f64::total_cmp);
    let k = s.len();
    let median_error = if k % 2 == 1 {
        s[k / 2]
    } else {
        (s[k / 2 - 1] + s[k / 2]) / 2.0
    };
    let within_10 = errors.iter().filter(|&&e| e <= 10.0).count() as f64 / n;
    Some(ErrorSummary {
        issues: k,
        mae,
        rmse,
        median_error,
        within_10,
    })
}

/// One issue's forecast probabilities over its scale's labels and the label
/// that happened (index into `probabilities`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LabelForecast {
    pub issue: String,
    pub probabilities: Vec<f64>,
    pub actual: usize,
}

/// One bin of a calibration table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationBin {
    /// Bin bounds [lower, upper) (the last bin includes 1).
    pub lower: f64,
    pub upper: f64,
    /// (issue, label) pairs whose probability fell in the bin.
    pub count: usize,
    pub mean_probability: f64,
    /// Share of those pairs whose label happened.
    pub observed: f64,
}

/// Brier score and calibration of label probabilities.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProbabilityScore {
    pub issues: usize,
    /// Brier's multi-category score: mean over issues of Σ_k (p_k − o_k)²,
    /// 0 (perfect) to 2.
    pub brier: f64,
    /// Non-empty bins only.
    pub calibration: Vec<CalibrationBin>,
}

/// Scores label probabilities. Each issue's probabilities must be in [0, 1]
/// and sum to 1 (within 1e−6), and `actual` must index one of them.
pub fn score_probabilities(
    forecasts: &[LabelForecast],
    bins: usize,
) -> Result<ProbabilityScore, BacktestError> {
    if forecasts.is_empty() {
        return Err(BacktestError::Probabilities("no label forecast".into()));
    }
    if bins == 0 || bins > 1000 {
        return Err(BacktestError::Probabilities(format!(
            "expected 1..=1000 calibration bins, got {bins}"
        )));
    }
    let mut acc = vec![(0usize, 0.0f64, 0usize); bins];
    let mut brier = 0.0;
    for f in forecasts {
        let sum: f64 = f.probabilities.iter().sum();
        if f.probabilities.is_empty()
            || f.probabilities
                .iter()
                .any(|p| !(p.is_finite() && (0.0..=1.0).contains(p)))
            || (sum - 1.0).abs() > 1e-6
        {
            return Err(BacktestError::Probabilities(format!(
                "issue `{}`: expected probabilities in [0, 1] summing to 1, got {:?}",
                f.issue, f.probabilities
            )));
        }
        if f.actual >= f.probabilities.len() {
            return Err(BacktestError::Probabilities(format!(
                "issue `{}`: actual label {} is not one of the {} labels",
                f.issue,
                f.actual,
                f.probabilities.len()
            )));
        }
        for (k, &p) in f.probabilities.iter().enumerate() {
            let o = if k == f.actual { 1.0 } else { 0.0 };
            brier += (p - o) * (p - o);
            let b = ((p * bins as f64) as usize).min(bins - 1);
            acc[b].0 += 1;
            acc[b].1 += p;
            acc[b].2 += usize::from(k == f.actual);
        }
    }
    let calibration = acc
        .iter()
        .enumerate()
        .filter(|(_, a)| a.0 > 0)
        .map(|(b, &(count, psum, hits))| CalibrationBin {
            lower: b as f64 / bins as f64,
            upper: (b + 1) as f64 / bins as f64,
            count,
            mean_probability: psum / count as f64,
            observed: hits as f64 / count as f64,
        })
        .collect();
    Ok(ProbabilityScore {
        issues: forecasts.len(),
        brier: brier / forecasts.len() as f64,
        calibration,
    })
}
