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
