//! Every index of random games (n ≤ 14, one or two quotas, vetoes, the
//! minimum-complement clause) against an independent naive enumeration
//! written from the definitions, with exact fractions.

use num_bigint::{BigInt, BigUint};
use num_rational::BigRational;
use num_traits::{One, Zero};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use negotium_voting::{power, Game, Index, Method, PowerOptions, VotingError, WeightedQuota};

struct Raw {
    n: usize,
    quotas: Vec<(Vec<u64>, u64)>,
    veto: Vec<bool>,
    kc: Option<usize>,
}

impl Raw {
    fn wins(&self, mask: u32) -> bool {
        let inside = |i: usize| mask >> i & 1 == 1;
        if (0..self.n).any(|i| self.veto[i] && !inside(i)) {
            return false;
        }
        let size = mask.count_ones() as usize;
        if let Some(k) = self.kc {
            if self.n - size < k {
                return true;
            }
        }
        self.quotas.iter().all(|(w, q)| {
            (0..self.n)
                .filter(|&i| inside(i))
                .map(|i| w[i])
                .sum::<u64>()
                >= *q
        })
    }
}

fn r(n: u64, d: u64) -> BigRational {
    BigRational::new(BigInt::from(n), BigInt::from(d))
}

fn big(n: &BigUint) -> BigRational {
    BigRational::from_integer(BigInt::from(n.clone()))
}

fn fact(k: usize) -> BigUint {
    (1..=k).fold(BigUint::one(), |a, b| a * BigUint::from(b))
}

/// Index values from the definitions.
fn naive(g: &Raw) -> Vec<(Index, Vec<BigRational>)> {
    let n = g.n;
    let all = 1u32 << n;
    let win: Vec<bool> = (0..all).map(|m| g.wins(m)).collect();
    let mut ss = vec![BigRational::zero(); n];
    let mut sw = vec![0u64; n];
    let mut mwc_in = vec![0u64; n];
    let mut dp = vec![BigRational::zero(); n];
    let mut jo = vec![BigRational::zero(); n];
    let mut n_win = 0u64;
    let mut n_mwc = 0u64;
    let nf = fact(n);
    for m in 0..all {
        if !win[m as usize] {
            continue;
        }
        n_win += 1;
        let s = m.count_ones() as usize;
        let crit: Vec<usize> = (0..n)
            .filter(|&i| m >> i & 1 == 1 && !win[(m & !(1 << i)) as usize])
            .collect();
        for &i in &crit {
            sw[i] += 1;
            ss[i] += big(&(fact(s - 1) * fact(n - s))) / big(&nf);
            jo[i] += r(1, crit.len() as u64);
        }
        if crit.len() == s {
            n_mwc += 1;
            for &i in &crit {
                mwc_in[i] += 1;
                dp[i] += r(1, s as u64);
            }
        }
    }
    let norm = |v: Vec<BigRational>| {
        let t: BigRational = v.iter().sum();
        v.into_iter()
            .map(|x| if t.is_zero() { x } else { x / &t })
            .collect::<Vec<_>>()
    };
    let swr: Vec<BigRational> = sw.iter().map(|&x| r(x, 1)).collect();
    vec![
        (Index::ShapleyShubik, ss),
        (Index::Banzhaf, norm(swr.clone())),
        (
            Index::BanzhafAbsolute,
            sw.iter().map(|&x| r(x, 1u64 << (n - 1))).collect(),
        ),
        (
            Index::Holler,
            norm(mwc_in.iter().map(|&x| r(x, 1)).collect()),
        ),
        (
            Index::DeeganPackel,
            dp.into_iter().map(|x| x / r(n_mwc, 1)).collect(),
        ),
        (Index::Johnston, norm(jo)),
        (
            Index::ColemanPrevent,
            sw.iter().map(|&x| r(x, n_win)).collect(),
        ),
        (
            Index::ColemanInitiate,
            sw.iter().map(|&x| r(x, all as u64 - n_win)).collect(),
        ),
    ]
}

fn random_game(rng: &mut ChaCha8Rng, n: usize) -> Raw {
    let nq = rng.random_range(1..=2);
    let mut quotas = Vec::new();
    for j in 0..nq {
        let count_like = j == 0 && nq == 2 && rng.random_bool(0.4);
        let w: Vec<u64> = (0..n)
            .map(|_| {
                if count_like {
                    1
                } else {
                    rng.random_range(0..=9)
                }
            })
            .collect();
        let tot: u64 = w.iter().sum();
        let q = rng.random_range(1..=tot.max(1));
        quotas.push((w, q));
    }
    let veto = (0..n).map(|_| rng.random_bool(0.12)).collect();
    let kc = if rng.random_bool(0.25) {
        Some(rng.random_range(1..=n.min(4)))
    } else {
        None
    };
    Raw {
        n,
        quotas,
        veto,
        kc,
    }
}

fn build(g: &Raw) -> Result<Game, VotingError> {
    Game::new(
        g.quotas
            .iter()
            .map(|(w, q)| WeightedQuota {
                weights: w.clone(),
                quota: *q,
            })
            .collect(),
        g.veto.clone(),
        g.kc.map(|k| k as u32),
    )
}

#[test]
fn every_index_matches_naive_enumeration() {
    let mut rng = ChaCha8Rng::seed_from_u64(2025);
    let mut checked = 0;
    let mut by_programme = 0;
    for case in 0..260 {
        let n = if case % 10 == 0 {
            14
        } else {
            rng.random_range(1..=11)
        };
        let g = random_game(&mut rng, n);
        let game = match build(&g) {
            Ok(game) => game,
            Err(e) => {
                // The rejection must be justified.
                let all = (1u32 << n) - 1;
                let ok = match e {
                    VotingError::NobodyWins => !g.wins(all),
                    VotingError::EveryoneWins => g.wins(0),
                    VotingError::QuotaUnreachable { .. }
                    | VotingError::QuotaAlwaysReached { .. } => true,
                    _ => false,
                };
                assert!(ok, "unexpected rejection {e:?}");
                continue;
            }
        };
        let want = naive(&g);
        for method in [Method::Auto, Method::Enumerate] {
            let got = power(
                &game,
                &PowerOptions {
                    method,
                    ..Default::default()
                },
            )
            .unwrap();
            if got.get(Index::Holler).unwrap().method == negotium_voting::MethodUsed::CutProgramme {
                by_programme += 1;
            }
            for (idx, vals) in &want {
                let res = got.get(*idx).unwrap();
                assert!(res.method.is_exact());
                for (i, v) in vals.iter().enumerate() {
                    assert_eq!(
                        &res.values[i].exact.as_ref().unwrap().0,
                        v,
                        "case {case} {idx:?} member {i} via {:?}; game {:?} {:?} {:?}",
                        res.method,
                        g.quotas,
                        g.veto,
                        g.kc
                    );
                }
            }
        }
        checked += 1;
    }
    assert!(checked > 150, "only {checked} games were valid");
    assert!(
        by_programme > 100,
        "the cut programme ran on only {by_programme} games"
    );
}

#[test]
fn indices_that_should_sum_to_one_do() {
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    for _ in 0..40 {
        let n = rng.random_range(2..=12);
        let Ok(game) = build(&random_game(&mut rng, n)) else {
            continue;
        };
        let rep = power(&game, &PowerOptions::default()).unwrap();
        for res in &rep.results {
            if res.index.sums_to_one() {
                let s: BigRational = res.values.iter().map(|v| v.exact.clone().unwrap().0).sum();
                assert_eq!(s, BigRational::one(), "{:?}", res.index);
            }
        }
    }
}
