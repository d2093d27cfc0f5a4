//! Monte Carlo estimates for bodies too large for the exact methods: random
//! orderings (Shapley–Shubik) and uniformly random coalitions (the other
//! indices), seeded ChaCha8, with 95% confidence intervals from 20 batch means.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::VotingError;
use crate::game::Game;
use crate::Index;

/// Batches used for the confidence intervals.
pub const BATCHES: u64 = 20;
/// Most samples (orderings, and coalitions) one estimate may draw: 50 times
/// the default, a few seconds for a 27-member body. Checked before any work.
pub const MAX_SAMPLES: u64 = 10_000_000;
/// Student t quantile, 97.5%, 19 degrees of freedom.
const T_19: f64 = 2.093;

/// A point estimate and its 95% interval.
pub(crate) type Estimate = (f64, [f64; 2]);

/// An estimate per member and index.
#[derive(Debug, Clone)]
pub(crate) struct Estimates {
    pub values: Vec<(Index, Vec<Estimate>)>,
    pub power_to_act: (f64, [f64; 2]),
    /// Samples drawn (each an ordering and a coalition).
    pub drawn: u64,
}

struct Rule<'a> {
    game: &'a Game,
    n: usize,
    nveto: usize,
}

impl Rule<'_> {
    fn wins(&self, size: usize, vetoes_in: usize, w: &[u64]) -> bool {
        if vetoes_in < self.nveto {
            return false;
        }
        if let Some(k) = self.game.min_complement() {
            if self.n - size < k as usize {
                return true;
            }
        }
        self.game.quotas().iter().zip(w).all(|(q, &x)| x >= q.quota)
    }
}

#[derive(Clone, Default)]
struct Batch {
    ss: Vec<f64>,
    crit: Vec<f64>,
    holler: Vec<f64>,
    dp: Vec<f64>,
    john: Vec<f64>,
    wins: f64,
    mwc: f64,
    samples: f64,
}

impl Batch {
    fn new(n: usize) -> Batch {
        Batch {
            ss: vec![0.0; n],
            crit: vec![0.0; n],
            holler: vec![0.0; n],
            dp: vec![0.0; n],
            john: vec![0.0; n],
            ..Default::default()
        }
    }
    fn add(&mut self, o: &Batch) {
        for (a, b) in [
            (&mut self.ss, &o.ss),
            (&mut self.crit, &o.crit),
            (&mut self.holler, &o.holler),
            (&mut self.dp, &o.dp),
            (&mut self.john, &o.john),
        ] {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        self.wins += o.wins;
        self.mwc += o.mwc;
        self.samples += o.samples;
    }
    fn index(&self, idx: Index, n: usize) -> Vec<f64> {
        let norm = |v: &[f64]| {
            let s: f64 = v.iter().sum();
            v.iter()
                .map(|x| if s > 0.0 { x / s } else { 0.0 })
                .collect::<Vec<_>>()
        };
        let losing = self.samples - self.wins;
        match idx {
            Index::ShapleyShubik => self.ss.iter().map(|x| x / self.samples).collect(),
            Index::Banzhaf => norm(&self.crit),
            Index::BanzhafAbsolute => self.crit.iter().map(|x| 2.0 * x / self.samples).collect(),
            Index::Holler => norm(&self.holler),
            Index::DeeganPackel => self
                .dp
                .iter()
                .map(|x| if self.mwc > 0.0 { x / self.mwc } else { 0.0 })
                .collect(),
            Index::Johnston => norm(&self.john),
            Index::ColemanPrevent => self
                .crit
                .iter()
                .map(|x| if self.wins > 0.0 { x / self.wins } else { 0.0 })
                .collect(),
            Index::ColemanInitiate => self
                .crit
                .iter()
                .map(|x| if losing > 0.0 { x / losing } else { 0.0 })
                .collect(),
        }
        .into_iter()
        .take(n)
        .collect()
    }
}

/// Checks a sample count against [`BATCHES`]` * 10` and [`MAX_SAMPLES`].
pub(crate) fn check_samples(samples: u64) -> Result<(), VotingError> {
    if samples < BATCHES * 10 {
        return Err(VotingError::TooFewSamples {
            got: samples,
            min: BATCHES * 10,
        });
    }
    if samples > MAX_SAMPLES {
        return Err(VotingError::TooManySamples {
            got: samples,
            max: MAX_SAMPLES,
        });
    }
    Ok(())
}

/// Estimates the requested indices with `samples` orderings and coalitions.
pub(crate) fn estimate(
    game: &Game,
    indices: &[Index],
    samples: u64,
    seed: u64,
) -> Result<Estimates, VotingError> {
    check_samples(samples)?;
    let n = game.n();
    let d = game.quotas().len();
    let rule = Rule {
        game,
        n,
        nveto: game.vetoes().iter().filter(|v| **v).count(),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Every requested sample is drawn: the first `samples % BATCHES`
    // batches take one more than the others.
    let (per, extra) = (samples / BATCHES, samples % BATCHES);
    let mut batches = Vec::new();
    let mut perm: Vec<usize> = (0..n).collect();
    let mut inside = vec![false; n];
    let mut w = vec![0u64; d];
    let mut w2 = vec![0u64; d];
    let mut crit = Vec::with_capacity(n);
    for k in 0..BATCHES {
        let mut b = Batch::new(n);
        for _ in 0..per + u64::from(k < extra) {
            b.samples += 1.0;
            // Random ordering: who turns the growing coalition into a winning one?
            for i in (1..n).rev() {
                let j = rng.random_range(0..=i);
                perm.swap(i, j);
            }
            w.iter_mut().for_each(|x| *x = 0);
            let mut vin = 0;
            for (size, &p) in perm.iter().enumerate() {
                for (k, q) in game.quotas().iter().enumerate() {
                    w[k] += q.weights[p];
                }
                vin += game.vetoes()[p] as usize;
                if rule.wins(size + 1, vin, &w) {
                    b.ss[p] += 1.0;
                    break;
                }
            }
            // Random coalition.
            w.iter_mut().for_each(|x| *x = 0);
            let mut size = 0;
            vin = 0;
            for (i, slot) in inside.iter_mut().enumerate() {
                *slot = rng.random::<bool>();
                if *slot {
                    size += 1;
                    vin += game.vetoes()[i] as usize;
                    for (k, q) in game.quotas().iter().enumerate() {
                        w[k] += q.weights[i];
                    }
                }
            }
            if !rule.wins(size, vin, &w) {
                continue;
            }
            b.wins += 1.0;
            crit.clear();
            for (j, &is_in) in inside.iter().enumerate() {
                if !is_in {
                    continue;
                }
                for (k, q) in game.quotas().iter().enumerate() {
                    w2[k] = w[k] - q.weights[j];
                }
                if !rule.wins(size - 1, vin - game.vetoes()[j] as usize, &w2) {
                    crit.push(j);
                }
            }
            let c = crit.len();
            for &j in &crit {
                b.crit[j] += 1.0;
                b.john[j] += 1.0 / c as f64;
            }
            if c == size {
                b.mwc += 1.0;
                for &j in &crit {
                    b.holler[j] += 1.0;
                    b.dp[j] += 1.0 / size as f64;
                }
            }
        }
        batches.push(b);
    }
    let mut pooled = Batch::new(n);
    for b in &batches {
        pooled.add(b);
    }
    let interval = |point: f64, per_batch: &[f64]| -> (f64, [f64; 2]) {
        let k = per_batch.len() as f64;
        let mean = per_batch.iter().sum::<f64>() / k;
        let var = per_batch.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (k - 1.0);
        let half = T_19 * (var / k).sqrt();
        (point, [point - half, point + half])
    };
    let mut values = Vec::new();
    for &idx in indices {
        let point = pooled.index(idx, n);
        let per_batch: Vec<Vec<f64>> = batches.iter().map(|b| b.index(idx, n)).collect();
        let v = (0..n)
            .map(|i| {
                let col: Vec<f64> = per_batch.iter().map(|r| r[i]).collect();
                interval(point[i], &col)
            })
            .collect();
        values.push((idx, v));
    }
    let act_batches: Vec<f64> = batches.iter().map(|b| b.wins / b.samples).collect();
    let power_to_act: Estimate = interval(pooled.wins / pooled.samples, &act_batches);
    Ok(Estimates {
        values,
        power_to_act,
        drawn: pooled.samples as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WeightedQuota;

    fn majority(n: usize) -> Game {
        let q = WeightedQuota {
            weights: vec![1; n],
            quota: n as u64 / 2 + 1,
        };
        Game::new(vec![q], vec![false; n], None).unwrap()
    }

    #[test]
    fn every_requested_sample_is_drawn_even_when_not_a_multiple_of_the_batches() {
        let g = majority(5);
        for samples in [200, 215, 219, 1_003] {
            let e = estimate(&g, &[Index::ShapleyShubik], samples, 1).unwrap();
            assert_eq!(e.drawn, samples);
        }
    }

    #[test]
    fn sample_counts_outside_the_limits_are_refused() {
        let g = majority(5);
        assert_eq!(
            estimate(&g, &[Index::Banzhaf], 199, 1).unwrap_err(),
            VotingError::TooFewSamples { got: 199, min: 200 }
        );
        let e = estimate(&g, &[Index::Banzhaf], MAX_SAMPLES + 1, 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "10000001 Monte Carlo samples requested; at most 10000000 are allowed"
        );
    }
}
