//! Generated benchmark conflicts (shared by the criterion bench and the
//! `gen_conflict` example that writes `.gmcr` files for end-to-end timing).
//!
//! Recipe (issue 12, after the research notes' gmcr-py measurements):
//! `options` options split evenly among `dms` DMs in order (DM k owns a
//! contiguous block), all reversible, no infeasible states, and per DM three
//! random prioritised statements, each a conjunction of 1–2 literals over any
//! options. Seeded (ChaCha8); the same seed gives the same model.
#![allow(dead_code)]

use negotium_conflict::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Statements of one DM: conjunctions of (option, taken) literals.
pub type Statements = Vec<Vec<(usize, bool)>>;

/// The DM owning option `k`.
pub fn owner(k: usize, options: usize, dms: usize) -> usize {
    k * dms / options
}

/// Per DM, three random statements of 1–2 literals.
pub fn statements(options: usize, dms: usize, seed: u64) -> Vec<Statements> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..dms)
        .map(|_| {
            (0..3)
                .map(|_| {
                    let lits = rng.random_range(1..=2usize);
                    let mut v: Vec<(usize, bool)> = Vec::new();
                    while v.len() < lits {
                        let o = rng.random_range(0..options);
                        if v.iter().all(|&(p, _)| p != o) {
                            v.push((o, rng.random_bool(0.5)));
                        }
                    }
                    v
                })
                .collect()
        })
        .collect()
}

/// The model as a spec.
pub fn spec(options: usize, dms: usize, seed: u64) -> ConflictSpec {
    let st = statements(options, dms, seed);
    ConflictSpec {
        options: (0..options)
            .map(|k| OptionSpec {
                id: format!("o{}", k + 1),
                name: format!("option {k}"),
                dm: owner(k, options, dms),
                reversibility: Reversibility::Both,
            })
            .collect(),
        infeasible: vec![],
        dms: st
            .iter()
            .enumerate()
            .map(|(i, s)| DmSpec {
                id: format!("DM{i}"),
                name: format!("DM{i}"),
                preferences: Preferences::Statements(
                    s.iter()
                        .map(|lits| {
                            Formula::And(
                                lits.iter()
                                    .map(|&(opt, taken)| Formula::Lit { opt, taken })
                                    .collect(),
                            )
                        })
                        .collect(),
                ),
                misperceived: vec![],
            })
            .collect(),
    }
}

/// The model as a gmcr-py `.gmcr` file (JSON).
pub fn gmcr_json(options: usize, dms: usize, seed: u64) -> String {
    let st = statements(options, dms, seed);
    let opts: Vec<String> = (0..options)
        .map(|k| format!(r#"{{"name": "option {k}", "permittedDirection": "both"}}"#))
        .collect();
    let dm_json: Vec<String> = st
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let own: Vec<String> = (0..options)
                .filter(|&k| owner(k, options, dms) == i)
                .map(|k| k.to_string())
                .collect();
            let prefs: Vec<String> = s
                .iter()
                .map(|lits| {
                    let l: Vec<String> = lits
                        .iter()
                        .map(|&(o, t)| format!(r#"[{o}, "{}"]"#, if t { "Y" } else { "N" }))
                        .collect();
                    format!("[{}]", l.join(", "))
                })
                .collect();
            format!(
                r#"{{"name": "DM{i}", "options": [{}], "preferences": [{}]}}"#,
                own.join(", "),
                prefs.join(", ")
            )
        })
        .collect();
    format!(
        "{{\"options\": [{}],\n \"decisionMakers\": [{}],\n \"infeasibles\": [], \"useManualPreferenceRanking\": false,\n \"program\": \"negotium gen_conflict (options {options}, dms {dms}, seed {seed})\"}}\n",
        opts.join(", "),
        dm_json.join(",\n   ")
    )
}
