//! Sweeps shared by the tests, the benchmark and the example: kosovo-status
//! built through negotium-scenario (as the CLI will), and synthetic
//! problems with any number of actors.
#![allow(dead_code)]

use negotium_spatial::{Dimension, EumOptions, ModelSpec, NashOptions, Problem, SmpOptions};
use negotium_sweep::{Issue, Label};

/// The five spatial models with their default options.
pub fn five_models() -> Vec<ModelSpec> {
    vec![
        ModelSpec::Median,
        ModelSpec::Compromise,
        ModelSpec::Nash(NashOptions::default()),
        ModelSpec::Eum(EumOptions::default()),
        ModelSpec::Smp(SmpOptions::default()),
    ]
}

/// The actors and issues of a built-in scenario, one issue per scenario
/// issue over the actors with a stance on it.
pub fn scenario_issues(id: &str) -> (Vec<String>, Vec<Issue>) {
    let loaded = negotium_scenario::resolve(id).expect("built-in scenario");
    let inputs = &loaded.scenario.inputs;
    let actors: Vec<String> = inputs.actors.iter().map(|a| a.id.clone()).collect();
    let issues = inputs
        .issues
        .iter()
        .map(|is| {
            let m = negotium_scenario::spatial::for_issue(inputs, &is.id).expect("maps");
            Issue {
                id: is.id.clone(),
                actors: m
                    .actor_ids
                    .iter()
                    .map(|a| actors.iter().position(|x| x == a).unwrap())
                    .collect(),
                problem: m.problem,
                labels: is
                    .points
                    .iter()
                    .map(|p| Label {
                        at: p.at,
                        label: p.label.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    (actors, issues)
}

/// SplitMix64, for synthetic data that needs no RNG crate.
fn next(state: &mut u64) -> f64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

/// `n` actors on `k` 0–100 issues, every actor with a stance on every
/// issue, positions in 0–100, saliences in 0.1–0.6 (the SMP's Σ ≤ 1 per
/// issue holds as each issue is its own problem), capabilities 5–100; three
/// labelled points per issue.
pub fn synthetic(n: usize, k: usize, seed: u64) -> (Vec<String>, Vec<Issue>) {
    let mut s = seed;
    let actors: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
    let cap: Vec<f64> = (0..n).map(|_| 5.0 + 95.0 * next(&mut s)).collect();
    let issues = (0..k)
        .map(|j| {
            let pos = (0..n)
                .map(|_| vec![(100.0 * next(&mut s)).round()])
                .collect();
            let sal = (0..n).map(|_| vec![0.1 + 0.5 * next(&mut s)]).collect();
            Issue {
                id: format!("issue{j}"),
                problem: Problem::new(
                    actors.clone(),
                    cap.clone(),
                    vec![Dimension {
                        name: format!("issue {j}"),
                        min: 0.0,
                        max: 100.0,
                    }],
                    pos,
                    sal,
                )
                .unwrap(),
                actors: (0..n).collect(),
                labels: [(0.0, "none"), (50.0, "half"), (100.0, "all")]
                    .iter()
                    .map(|&(at, l)| Label {
                        at,
                        label: l.into(),
                    })
                    .collect(),
            }
        })
        .collect();
    (actors, issues)
}
