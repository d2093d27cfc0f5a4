//! Random small option-form conflicts (3–4 DMs) shared by the brute-force
//! cross-check and the property tests. Deterministic: every model comes from a seed.
#![allow(dead_code)]

use negotium_conflict::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A random spec: `dms` DMs with 1–3 options each (at most `max_opts` in all),
/// some irreversible options, up to two infeasible cubes, payoffs with ties.
pub fn random_spec(seed: u64, dms: usize, max_opts: usize) -> ConflictSpec {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut options = Vec::new();
    for i in 0..dms {
        // leave at least one option for each later DM
        let room = max_opts - options.len() - (dms - 1 - i);
        let k = rng.random_range(1..=3usize).min(room.max(1));
        for _ in 0..k {
            let r = match rng.random_range(0..6) {
                0 => Reversibility::TakeOnly,
                1 => Reversibility::DropOnly,
                _ => Reversibility::Both,
            };
            options.push(OptionSpec {
                id: format!("o{}", options.len()),
                name: format!("option {}", options.len()),
                dm: i,
                reversibility: r,
            });
        }
    }
    // Shuffle the declaration order so regrouping is exercised.
    for k in (1..options.len()).rev() {
        let j = rng.random_range(0..=k);
        options.swap(k, j);
    }
    let m = options.len();
    let mut infeasible = Vec::new();
    for _ in 0..rng.random_range(0..=2) {
        let a = rng.random_range(0..m);
        let b = rng.random_range(0..m);
        if a != b {
            infeasible.push(Formula::And(vec![
                Formula::Lit {
                    opt: a,
                    taken: rng.random_bool(0.5),
                },
                Formula::Lit {
                    opt: b,
                    taken: rng.random_bool(0.5),
                },
            ]));
        }
    }
    let mut spec = ConflictSpec {
        dms: Vec::new(),
        options,
        infeasible,
    };
    // Count feasible states to size the payoff vectors.
    let n = Conflict::build(&ConflictSpec {
        dms: (0..dms)
            .map(|i| DmSpec {
                id: format!("d{i}"),
                name: format!("d{i}"),
                preferences: Preferences::Statements(vec![]),
                misperceived: vec![],
            })
            .collect(),
        ..spec.clone()
    })
    .map(|c| c.len())
    .unwrap_or(0);
    spec.dms = (0..dms)
        .map(|i| DmSpec {
            id: format!("d{i}"),
            name: format!("DM{i}"),
            preferences: Preferences::Payoffs((0..n).map(|_| rng.random_range(0..6)).collect()),
            misperceived: vec![],
        })
        .collect();
    spec
}

fn random_cube(rng: &mut ChaCha8Rng, m: usize, lits: usize) -> Formula {
    let mut opts: Vec<usize> = Vec::new();
    while opts.len() < lits.min(m) {
        let o = rng.random_range(0..m);
        if !opts.contains(&o) {
            opts.push(o);
        }
    }
    Formula::And(
        opts.into_iter()
            .map(|opt| Formula::Lit {
                opt,
                taken: rng.random_bool(0.5),
            })
            .collect(),
    )
}

/// A random spec of exactly `options` options shared among `dms` DMs (each at
/// least one), for cross-checks at scale. Half the models have irreversible
/// options (about one in five), most have 1–3 infeasible cubes of 2–3
/// literals, a quarter give DM 0 a misperception; preferences are payoff
/// vectors with many ties (3 levels), some ties (20) or almost none
/// (10^6 levels), or 3–5 prioritised statements of 1–2 literals.
pub fn random_large_spec(seed: u64, dms: usize, options: usize) -> ConflictSpec {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let irreversible = rng.random_bool(0.5);
    let mut owner: Vec<usize> = (0..options).map(|k| k % dms).collect();
    for o in owner.iter_mut().skip(dms) {
        *o = rng.random_range(0..dms);
    }
    let mut opts: Vec<OptionSpec> = owner
        .iter()
        .enumerate()
        .map(|(k, &dm)| OptionSpec {
            id: format!("o{k}"),
            name: format!("option {k}"),
            dm,
            reversibility: if irreversible && rng.random_range(0..5) == 0 {
                if rng.random_bool(0.5) {
                    Reversibility::TakeOnly
                } else {
                    Reversibility::DropOnly
                }
            } else {
                Reversibility::Both
            },
        })
        .collect();
    for k in (1..opts.len()).rev() {
        let j = rng.random_range(0..=k);
        opts.swap(k, j);
    }
    let m = opts.len();
    let infeasible: Vec<Formula> = (0..rng.random_range(0..=3))
        .map(|_| {
            let lits = rng.random_range(2..=3);
            random_cube(&mut rng, m, lits)
        })
        .collect();
    let mut spec = ConflictSpec {
        dms: Vec::new(),
        options: opts,
        infeasible,
    };
    let n = Conflict::build(&ConflictSpec {
        dms: (0..dms)
            .map(|i| DmSpec {
                id: format!("d{i}"),
                name: format!("d{i}"),
                preferences: Preferences::Statements(vec![]),
                misperceived: vec![],
            })
            .collect(),
        ..spec.clone()
    })
    .map(|c| c.len())
    .unwrap_or(0);
    let misperceive = rng.random_range(0..4) == 0;
    spec.dms = (0..dms)
        .map(|i| {
            let preferences = match rng.random_range(0..4) {
                0 => Preferences::Statements(
                    (0..rng.random_range(3..=5))
                        .map(|_| {
                            let lits = rng.random_range(1..=2);
                            random_cube(&mut rng, m, lits)
                        })
                        .collect(),
                ),
                k => {
                    let levels = [3u32, 20, 1_000_000][k - 1];
                    Preferences::Payoffs(
                        (0..n).map(|_| rng.random_range(0..levels) as i64).collect(),
                    )
                }
            };
            DmSpec {
                id: format!("d{i}"),
                name: format!("DM{i}"),
                preferences,
                misperceived: if misperceive && i == 0 {
                    vec![random_cube(&mut rng, m, 2)]
                } else {
                    vec![]
                },
            }
        })
        .collect();
    spec
}
