//! Simple voting games: members with one weight per quota, vetoes and the
//! "fewer than k outside" clause, with construction-time checks.

use serde::{Deserialize, Serialize};

use crate::error::VotingError;

/// Largest body the engine accepts (coalitions are bit sets of this many bits
/// in enumeration, and exact counts stay bounded).
pub const MAX_MEMBERS: usize = 1024;

/// One weighted majority: a coalition reaches it when its total weight is at
/// least `quota`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeightedQuota {
    pub weights: Vec<u64>,
    pub quota: u64,
}

/// A simple game on `n` members.
///
/// A coalition S **wins** when it contains every veto member and either
/// (a) it reaches every quota, or (b) `min_complement = Some(k)` and fewer
/// than k members are outside S (the EU Council's blocking-minority clause).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Game {
    n: usize,
    quotas: Vec<WeightedQuota>,
    veto: Vec<bool>,
    min_complement: Option<u32>,
}

impl Game {
    /// Checks and builds a game. Errors name the quota or member at fault.
    pub fn new(
        quotas: Vec<WeightedQuota>,
        veto: Vec<bool>,
        min_complement: Option<u32>,
    ) -> Result<Game, VotingError> {
        let n = veto.len();
        if n == 0 {
            return Err(VotingError::NoMembers);
        }
        if n > MAX_MEMBERS {
            return Err(VotingError::TooManyMembers {
                n,
                max: MAX_MEMBERS,
            });
        }
        if quotas.is_empty() && min_complement.is_none() {
            return Err(VotingError::NoRule);
        }
        for (j, q) in quotas.iter().enumerate() {
            if q.weights.len() != n {
                return Err(VotingError::WeightCount {
                    quota: j,
                    expected: n,
                    got: q.weights.len(),
                });
            }
            let total: u128 = q.weights.iter().map(|&w| w as u128).sum();
            if total > u64::MAX as u128 / 4 {
                return Err(VotingError::WeightsTooLarge { quota: j });
            }
            if q.quota == 0 {
                return Err(VotingError::QuotaAlwaysReached { quota: j });
            }
            if q.quota as u128 > total {
                return Err(VotingError::QuotaUnreachable {
                    quota: j,
                    value: q.quota,
                    total: total as u64,
                });
            }
        }
        if let Some(k) = min_complement {
            if k == 0 || k as usize > n {
                return Err(VotingError::BadMinComplement { k, n });
            }
        }
        let g = Game {
            n,
            quotas,
            veto,
            min_complement,
        };
        let all = vec![true; n];
        if !g.wins(&all) {
            return Err(VotingError::NobodyWins);
        }
        if g.wins(&vec![false; n]) {
            return Err(VotingError::EveryoneWins);
        }
        Ok(g)
    }

    /// A single weighted game `[quota; weights]` without vetoes.
    pub fn weighted(quota: u64, weights: Vec<u64>) -> Result<Game, VotingError> {
        let n = weights.len();
        Game::new(vec![WeightedQuota { weights, quota }], vec![false; n], None)
    }

    pub fn n(&self) -> usize {
        self.n
    }
    pub fn quotas(&self) -> &[WeightedQuota] {
        &self.quotas
    }
    pub fn vetoes(&self) -> &[bool] {
        &self.veto
    }
    pub fn min_complement(&self) -> Option<u32> {
        self.min_complement
    }

    /// Does the coalition (membership flags) win?
    pub fn wins(&self, members: &[bool]) -> bool {
        let mut size = 0usize;
        for (i, &m) in members.iter().enumerate() {
            if m {
                size += 1;
            } else if self.veto[i] {
                return false;
            }
        }
        if let Some(k) = self.min_complement {
            if self.n - size < k as usize {
                return true;
            }
        }
        self.quotas.iter().all(|q| {
            let w: u64 = q
                .weights
                .iter()
                .zip(members)
                .filter(|(_, m)| **m)
                .map(|(w, _)| *w)
                .sum();
            w >= q.quota
        })
    }

    /// Does the coalition given as a bit mask win? (n ≤ 64 only.)
    pub fn wins_mask(&self, mask: u64) -> bool {
        let flags: Vec<bool> = (0..self.n).map(|i| mask >> i & 1 == 1).collect();
        self.wins(&flags)
    }
}

/// Scales decimal weights to integers by the smallest power of ten (at most
/// 10^6) that makes all of them whole, and the quota to the smallest integer
/// at or above it on that scale (a coalition's integer weight reaches the
/// integer quota exactly when its decimal weight reaches the decimal quota).
///
/// Returns the integer weights, the integer quota and the scale.
pub fn scale_to_integers(weights: &[f64], quota: f64) -> Result<(Vec<u64>, u64, u64), VotingError> {
    for (i, &w) in weights.iter().enumerate() {
        if !w.is_finite() || w < 0.0 {
            return Err(VotingError::BadWeight {
                member: i,
                value: w,
            });
        }
    }
    if !quota.is_finite() || quota <= 0.0 {
        return Err(VotingError::BadQuota { value: quota });
    }
    let mut scale = 1u64;
    for _ in 0..=6 {
        let s = scale as f64;
        let whole = |x: f64| {
            let y = x * s;
            (y - y.round()).abs() <= 1e-6 * y.abs().max(1.0) && y.round() < 9.0e15
        };
        if weights.iter().all(|&w| whole(w)) {
            let ws = weights.iter().map(|&w| (w * s).round() as u64).collect();
            let y = quota * s;
            let q = if (y - y.round()).abs() <= 1e-6 * y.abs().max(1.0) {
                y.round()
            } else {
                y.ceil()
            };
            return Ok((ws, q as u64, scale));
        }
        scale *= 10;
    }
    Err(VotingError::TooManyDecimals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_scale_to_integers_with_the_quota_rounded_up() {
        let (w, q, s) = scale_to_integers(&[18.49, 0.12, 81.4], 65.0065).unwrap();
        assert_eq!((w, q, s), (vec![1849, 12, 8140], 6501, 100));
        let (w, q, s) = scale_to_integers(&[7.0, 1.0], 39.0).unwrap();
        assert_eq!((w, q, s), (vec![7, 1], 39, 1));
        assert!(matches!(
            scale_to_integers(&[1.0, -2.0], 1.0),
            Err(VotingError::BadWeight { member: 1, .. })
        ));
        assert!(scale_to_integers(&[0.1234567], 0.1).is_err());
        assert!(scale_to_integers(&[1.0], 0.0).is_err());
    }

    #[test]
    fn bad_games_are_refused_with_the_reason() {
        assert_eq!(
            Game::weighted(50, vec![7, 7]).unwrap_err(),
            VotingError::QuotaUnreachable {
                quota: 0,
                value: 50,
                total: 14
            }
        );
        assert_eq!(
            Game::weighted(0, vec![7, 7]).unwrap_err(),
            VotingError::QuotaAlwaysReached { quota: 0 }
        );
        let e = Game::new(
            vec![WeightedQuota {
                weights: vec![1, 2, 3],
                quota: 2,
            }],
            vec![false; 2],
            None,
        )
        .unwrap_err();
        assert!(matches!(
            e,
            VotingError::WeightCount {
                expected: 2,
                got: 3,
                ..
            }
        ));
        // everyone wins: the clause lets the empty coalition through
        let e = Game::new(
            vec![WeightedQuota {
                weights: vec![1, 1],
                quota: 2,
            }],
            vec![false; 2],
            Some(2),
        );
        assert!(e.is_ok(), "empty coalition has 2 outside: not fewer than 2");
        assert_eq!(
            Game::weighted(1, vec![0, 0]).unwrap_err(),
            VotingError::QuotaUnreachable {
                quota: 0,
                value: 1,
                total: 0
            }
        );
        assert_eq!(
            Game::new(vec![], vec![], None).unwrap_err(),
            VotingError::NoMembers
        );
        let msg = Game::weighted(50, vec![7, 7]).unwrap_err().to_string();
        assert!(
            msg.starts_with("quota 1 = 50 exceeds the total weight 14"),
            "{msg}"
        );
    }
}
