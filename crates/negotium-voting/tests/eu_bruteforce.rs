//! The EU Council game (2025 shares) against all 2^27 coalitions, counted
//! independently of the engine. Slow (about a minute in release):
//! `cargo test -p negotium-voting --release --test eu_bruteforce -- --ignored`.

use num_bigint::{BigInt, BigUint};
use num_rational::BigRational;
use num_traits::Zero;

use negotium_voting::{power, Game, Index, PowerOptions, WeightedQuota};

const EU: [u64; 27] = [
    1849, 1517, 1323, 1078, 833, 423, 401, 262, 242, 236, 234, 231, 213, 202, 143, 132, 125, 121,
    119, 86, 64, 47, 42, 30, 21, 15, 12,
];

fn wins(size: u32, pop: u64) -> bool {
    (size >= 15 && pop >= 6501) || size >= 24
}

#[test]
#[ignore]
fn eu_council_all_indices_match_brute_force() {
    let n = 27usize;
    let mut swing_by_size = vec![vec![0u64; n]; n];
    let mut mwc_by_size = vec![vec![0u64; n + 1]; n];
    let mut crit_by_c = vec![vec![0u64; n + 1]; n];
    let mut n_mwc = 0u64;
    let mut n_win = 0u64;
    // population of each mask half
    let h = 14;
    let lo: Vec<u64> = (0u32..1 << h)
        .map(|m| (0..h).filter(|i| m >> i & 1 == 1).map(|i| EU[i]).sum())
        .collect();
    let hi: Vec<u64> = (0u32..1 << (n - h))
        .map(|m| {
            (0..n - h)
                .filter(|i| m >> i & 1 == 1)
                .map(|i| EU[h + i])
                .sum()
        })
        .collect();
    let mut crit = Vec::with_capacity(n);
    for m in 0u32..(1 << n) {
        let pop = lo[(m & ((1 << h) - 1)) as usize] + hi[(m >> h) as usize];
        let size = m.count_ones();
        if !wins(size, pop) {
            continue;
        }
        n_win += 1;
        crit.clear();
        for (i, &w) in EU.iter().enumerate() {
            if m >> i & 1 == 1 && !wins(size - 1, pop - w) {
                crit.push(i);
            }
        }
        for &i in &crit {
            swing_by_size[i][size as usize - 1] += 1;
            crit_by_c[i][crit.len()] += 1;
        }
        if crit.len() == size as usize {
            n_mwc += 1;
            for &i in &crit {
                mwc_by_size[i][size as usize] += 1;
            }
        }
    }
    let game = Game::new(
        vec![
            WeightedQuota {
                weights: vec![1; 27],
                quota: 15,
            },
            WeightedQuota {
                weights: EU.to_vec(),
                quota: 6501,
            },
        ],
        vec![false; 27],
        Some(4),
    )
    .unwrap();
    let rep = power(&game, &PowerOptions::default()).unwrap();
    assert_eq!(
        rep.winning_coalitions.clone().unwrap().0,
        BigUint::from(n_win)
    );
    assert_eq!(
        rep.minimal_winning_coalitions.clone().unwrap().0,
        BigUint::from(n_mwc)
    );
    let fact = |k: usize| (1..=k).fold(BigUint::from(1u32), |a, b| a * BigUint::from(b));
    let r = |a: BigUint, b: BigUint| BigRational::new(BigInt::from(a), BigInt::from(b));
    let sw: Vec<u64> = swing_by_size.iter().map(|v| v.iter().sum()).collect();
    let sw_tot: u64 = sw.iter().sum();
    let jo: Vec<BigRational> = crit_by_c
        .iter()
        .map(|v| {
            v.iter()
                .enumerate()
                .filter(|(_, &x)| x > 0)
                .map(|(c, &x)| r(BigUint::from(x), BigUint::from(c)))
                .fold(BigRational::zero(), |a, b| a + b)
        })
        .collect();
    let jo_tot: BigRational = jo.iter().sum();
    let mwc_in: Vec<u64> = mwc_by_size.iter().map(|v| v.iter().sum()).collect();
    let mwc_tot: u64 = mwc_in.iter().sum();
    for i in 0..n {
        let mut ss = BigUint::zero();
        for (t, &k) in swing_by_size[i].iter().enumerate() {
            ss += BigUint::from(k) * fact(t) * fact(n - 1 - t);
        }
        let want = [
            (Index::ShapleyShubik, r(ss, fact(n))),
            (Index::Banzhaf, r(sw[i].into(), sw_tot.into())),
            (Index::Holler, r(mwc_in[i].into(), mwc_tot.into())),
            (Index::Johnston, &jo[i] / &jo_tot),
            (
                Index::DeeganPackel,
                mwc_by_size[i]
                    .iter()
                    .enumerate()
                    .filter(|(_, &x)| x > 0)
                    .map(|(s, &x)| r(x.into(), BigUint::from(s)))
                    .fold(BigRational::zero(), |a, b| a + b)
                    / BigRational::from_integer(BigInt::from(n_mwc)),
            ),
        ];
        for (idx, v) in want {
            let got = &rep.get(idx).unwrap().values[i];
            assert_eq!(got.exact.as_ref().unwrap().0, v, "{idx:?} member {i}");
        }
    }
}
