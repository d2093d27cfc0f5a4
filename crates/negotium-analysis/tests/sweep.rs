//! The sweep lens against independent computations on a tiny scenario
//! (three actors whose median and mean are recomputed here from the
//! documented random streams, and compared with their analytic
//! distributions; a vote, a 2×2 conflict and a one-issue bargain recomputed
//! by hand), and its determinism: identical for any thread count, and
//! blocks computed apart (through JSON, out of order) merge into exactly
//! the single run.

use negotium_analysis::sweep::{self, SweepParams, SweepResult};
use negotium_analysis::AnalysisError;
use negotium_scenario::{load_str, Format, Loaded};
use negotium_sweep::draw::{stream, unit, Purpose};

const TINY: &str = r#"
[scenario]
id = "tiny"
title = "Three actors"
as_of = "2020-06-01"

[[actor]]
id = "A"
name = "Alpha"
capability = 10.0
[[actor]]
id = "B"
name = "Beta"
capability = 10.0
[[actor]]
id = "C"
name = "Gamma"
capability = 10.0

[[issue]]
id = "x"
name = "X"
min = 0.0
max = 100.0
status_quo = 30.0
points = [{ at = 100.0, label = "all" }, { at = 0.0, label = "none" }, { at = 50.0, label = "half" }]

[[stance]]
actor = "A"
issue = "x"
position = 40.0
salience = 0.5
position_range = [30.0, 70.0]
[[stance]]
actor = "B"
issue = "x"
position = 50.0
salience = 0.5
position_range = [40.0, 60.0]
distribution = "triangular"
[[stance]]
actor = "C"
issue = "x"
position = 60.0
salience = 0.5
position_range = [45.0, 90.0]

[[institution]]
id = "council"
name = "Council"
quota = [3]
members = [
  { actor = "A", veto = true },
  { actor = "B" },
  { actor = "C" },
  { name = "D", position = 20.0, ballots = [{ weight = 0.4, vote = "yes" }] },
]

[[event]]
date = "2020-03-01"
kind = "proposal"
title = "Move to 70"
issue = "x"
position = 70.0

[conflict]
status_quo = "!a & !b"
[[conflict.dm]]
id = "A"
preferences = ["a", "b"]
alternatives = [{ weight = 0.3, preferences = ["!a", "b"] }]
[[conflict.dm]]
id = "B"
preferences = ["a & b", "!b"]
[[conflict.option]]
id = "a"
dm = "A"
[[conflict.option]]
id = "b"
dm = "B"

[bargaining]
[[bargaining.issue]]
id = "x"
values = ["low", "mid", "high"]
[[bargaining.party]]
actor = "A"
[[bargaining.party.issue]]
issue = "x"
weight = 1.0
values = [1.0, 0.6, 0.0]
reservation = 0.5
reservation_range = [0.3, 0.9]
[[bargaining.party]]
actor = "B"
[[bargaining.party.issue]]
issue = "x"
weight = 1.0
values = [0.0, 0.6, 1.0]
reservation = 0.5
"#;

fn tiny() -> Loaded {
    load_str(TINY, "tiny.toml", Format::Toml).unwrap()
}

fn params(draws: u64, seed: u64) -> SweepParams {
    SweepParams {
        draws,
        seed,
        model: vec!["median".into(), "compromise".into()],
        ..Default::default()
    }
}

/// Inverse CDFs, transcribed from the documentation (docs/sweep.md).
fn uniform(u: f64, lo: f64, hi: f64) -> f64 {
    lo + u * (hi - lo)
}
fn triangular(u: f64, lo: f64, c: f64, hi: f64) -> f64 {
    let w = hi - lo;
    if u < (c - lo) / w {
        lo + (u * w * (c - lo)).sqrt()
    } else {
        hi - ((1.0 - u) * w * (hi - c)).sqrt()
    }
}

/// The three positions of draw k, recomputed from the documented stream.
fn positions(seed: u64, k: u64) -> [f64; 3] {
    let mut rng = stream(seed, Purpose::Draw, k);
    let a = uniform(unit(&mut rng), 30.0, 70.0);
    let b = triangular(unit(&mut rng), 40.0, 50.0, 60.0);
    let c = uniform(unit(&mut rng), 45.0, 90.0);
    [a, b, c]
}

/// Type-7 quantile, written out again.
fn q7(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[test]
fn median_and_mean_match_a_naive_recomputation_and_their_analytic_law() {
    let (n, seed) = (20_000u64, 11u64);
    let r = sweep::run(&tiny(), &params(n, seed)).unwrap();
    let sp = r.spatial.as_ref().unwrap();
    let is = &sp.issues[0];
    let (med, mean) = (&is.models[0], &is.models[1]);
    assert_eq!(
        (med.model.as_str(), mean.model.as_str()),
        ("median", "compromise")
    );
    let mut medians = Vec::new();
    let mut means = Vec::new();
    for k in 0..n {
        let mut p = positions(seed, k);
        means.push((p[0] + p[1] + p[2]) / 3.0);
        p.sort_by(f64::total_cmp);
        medians.push(p[1]);
    }
    // Label counts (nearest of 0, 50, 100; ties to the lower point).
    let label = |x: f64| {
        if x <= 25.0 {
            0
        } else if x <= 75.0 {
            1
        } else {
            2
        }
    };
    let mut counts = [0usize; 3];
    for &m in &medians {
        counts[label(m)] += 1;
    }
    let probs: Vec<f64> = med
        .label_probabilities
        .iter()
        .map(|l| l.probability)
        .collect();
    let labels: Vec<&str> = med
        .label_probabilities
        .iter()
        .map(|l| l.label.as_str())
        .collect();
    assert_eq!(labels, ["none", "half", "all"], "scale order");
    assert_eq!(probs, counts.map(|c| c as f64 / n as f64).to_vec());
    assert!((probs.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    for (sample, m) in [(&mut medians, med), (&mut means, mean)] {
        sample.sort_by(f64::total_cmp);
        let q = m.quantiles;
        for (got, p) in [
            (q.p05, 0.05),
            (q.p25, 0.25),
            (q.p50, 0.5),
            (q.p75, 0.75),
            (q.p95, 0.95),
        ] {
            assert!(
                (got - q7(sample, p)).abs() < 1e-9,
                "{} p{p}: {got}",
                m.model
            );
        }
        let avg = sample.iter().sum::<f64>() / n as f64;
        assert!((m.mean - avg).abs() < 1e-9);
        assert_eq!(m.min, sample[0]);
    }
    // Point values: median of (40, 50, 60) and their mean.
    assert_eq!(med.point, 50.0);
    assert!((mean.point - 50.0).abs() < 1e-12);
    // The analytic law of the median of three independent inputs:
    // P(M ≤ t) = F1F2 + F1F3 + F2F3 − 2F1F2F3.
    let fa = |t: f64| ((t - 30.0) / 40.0).clamp(0.0, 1.0);
    let fb = |t: f64| {
        if t <= 40.0 {
            0.0
        } else if t <= 50.0 {
            (t - 40.0).powi(2) / 200.0
        } else if t <= 60.0 {
            1.0 - (60.0 - t).powi(2) / 200.0
        } else {
            1.0
        }
    };
    let fc = |t: f64| ((t - 45.0) / 45.0).clamp(0.0, 1.0);
    let cdf = |t: f64| {
        let (a, b, c) = (fa(t), fb(t), fc(t));
        a * b + a * c + b * c - 2.0 * a * b * c
    };
    for (p, got) in [
        (0.25, med.quantiles.p25),
        (0.5, med.quantiles.p50),
        (0.75, med.quantiles.p75),
    ] {
        let (mut lo, mut hi) = (0.0, 100.0);
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if cdf(mid) < p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        assert!((got - lo).abs() < 0.5, "p{p}: sweep {got}, analytic {lo}");
    }
    // The mean's expectation: (50 + 50 + 67.5) / 3.
    assert!((mean.mean - 167.5 / 3.0).abs() < 0.2, "{}", mean.mean);
}

#[test]
fn votes_conflict_and_bargaining_match_naive_recomputations() {
    let (n, seed) = (20_000u64, 5u64);
    let r = sweep::run(&tiny(), &params(n, seed)).unwrap();
    // Vote on moving x from 30 to 70: a member votes yes when nearer 70
    // (position > 50); D's computed ballot is no (at 20), yes with
    // probability 0.4; A holds a veto; 3 yes votes of 4 pass it.
    let mut passes = 0usize;
    let mut a_vetoes = 0usize;
    let mut profile_alt = 0usize;
    let mut agree = 0usize;
    let mut nash = [0usize; 4];
    for k in 0..n {
        let p = positions(seed, k);
        let d_yes = unit(&mut stream(seed, Purpose::Lens(1), k)) < 0.4;
        let yes = p.iter().filter(|&&x| x > 50.0).count() + d_yes as usize;
        let a_no = p[0] < 50.0;
        if yes >= 3 && !a_no {
            passes += 1;
        }
        if a_no {
            a_vetoes += 1;
        }
        // Conflict: A's alternative with probability 0.3. States (a, b):
        // 1 = NN, 2 = YN, 3 = NY, 4 = YY. Payoffs from the statements.
        let alt = unit(&mut stream(seed, Purpose::Lens(2), k)) < 0.3;
        profile_alt += alt as usize;
        let pay_a: [u32; 4] = if alt { [2, 0, 3, 1] } else { [0, 2, 1, 3] };
        let pay_b: [u32; 4] = [1, 1, 0, 2];
        // A moves between 1↔2 and 3↔4; B between 1↔3 and 2↔4.
        for s in 0..4 {
            let a_move = s ^ 1;
            let b_move = s ^ 2;
            if pay_a[a_move] <= pay_a[s] && pay_b[b_move] <= pay_b[s] {
                nash[s] += 1;
            }
        }
        // Bargaining: agreement iff A's reservation < 0.6 (the "mid" value).
        let ra = uniform(unit(&mut stream(seed, Purpose::Lens(3), k)), 0.3, 0.9);
        agree += (ra < 0.6) as usize;
    }
    let f = |c: usize| c as f64 / n as f64;
    let v = &r.vote.as_ref().unwrap().proposals[0];
    assert_eq!((v.proposal, v.status_quo), (70.0, 30.0));
    assert_eq!(v.p_pass, f(passes));
    assert_eq!(v.vetoes.len(), 1);
    assert_eq!(v.vetoes[0].member, "A");
    assert_eq!(v.vetoes[0].frequency, f(a_vetoes));
    // Analytic: A must vote yes (1/2) and two of B (1/2), C (8/9), D (0.4).
    let (pb, pc, pd) = (0.5, 40.0 / 45.0, 0.4);
    let two = pb * pc + pb * pd + pc * pd - 2.0 * pb * pc * pd;
    assert!(
        (v.p_pass - 0.5 * two).abs() < 0.015,
        "{} vs {}",
        v.p_pass,
        0.5 * two
    );
    assert!(!v.point_passes, "A at 40 votes no at the point values");
    let c = r.conflict.as_ref().unwrap();
    assert_eq!(c.profiles, 2);
    for (s, &want) in nash.iter().enumerate() {
        let got = c
            .states
            .iter()
            .find(|x| x.number == s + 1)
            .map_or(0.0, |x| x.frequency["nash"]);
        assert_eq!(got, f(want), "state {}", s + 1);
    }
    assert!((f(profile_alt) - 0.3).abs() < 0.015);
    let yy = c.states.iter().find(|x| x.number == 4).unwrap();
    assert_eq!(yy.options, ["a", "b"]);
    assert_eq!(yy.point, ["nash", "gmr", "smr", "seq", "sim", "seq_sim"]);
    let b = r.bargaining.as_ref().unwrap();
    assert_eq!(b.agreement[0].scope, "package");
    assert_eq!(b.agreement[0].probability, f(agree));
    assert_eq!(
        b.agreement[1].probability,
        f(agree),
        "one issue: as the package"
    );
    assert!((f(agree) - 0.5).abs() < 0.015);
    assert!(
        b.agreement[0].point,
        "0.6 > 0.5 for both at the point values"
    );
    // Inputs and choices are described.
    assert_eq!(r.inputs.len(), 4);
    assert_eq!(r.inputs[3].name, "A.reservation.x");
    assert_eq!(r.choices.len(), 2);
    assert_eq!(r.choices[0].name, "council.D.ballot");
    assert!((r.choices[1].alternatives[0].weight - 0.7).abs() < 1e-12);
}

fn on_threads(t: usize, f: impl FnOnce() -> SweepResult + Send) -> SweepResult {
    rayon::ThreadPoolBuilder::new()
        .num_threads(t)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn identical_for_any_thread_count_and_any_split_into_blocks() {
    let kosovo = negotium_scenario::resolve("kosovo-status").unwrap();
    for (loaded, p) in [
        // Every lens, with the Sobol indices of each (spatial forecasts,
        // equilibria, passes, agreement).
        (
            tiny(),
            SweepParams {
                sensitivity: true,
                sobol_n: 64,
                bootstrap: 30,
                ..params(300, 9)
            },
        ),
        (
            kosovo,
            SweepParams {
                draws: 40,
                seed: 2007,
                issue: vec!["status".into(), "debt".into()],
                perturb: Some("position=10,salience=0.2,capability=0.2".into()),
                ..Default::default()
            },
        ),
    ] {
        let one = on_threads(1, || sweep::run(&loaded, &p).unwrap());
        if p.sensitivity {
            let s = one.outcome_sensitivity.as_ref().unwrap();
            assert!(one.sensitivity.is_some());
            assert!(!s.conflict.is_empty() && !s.vote.is_empty() && !s.bargaining.is_empty());
        }
        let json = serde_json::to_string(&one).unwrap();
        for t in [2, 3, 4] {
            let other = on_threads(t, || sweep::run(&loaded, &p).unwrap());
            assert_eq!(serde_json::to_string(&other).unwrap(), json, "{t} threads");
        }
        // Three shards, computed out of order on different pools, sent
        // through JSON (as a distributed run would), merged.
        let n = p.draws;
        let cuts = [(n * 2 / 3, n), (0, n / 3), (n / 3, n * 2 / 3)];
        let shards: Vec<SweepResult> = cuts
            .iter()
            .enumerate()
            .map(|(i, &(a, b))| {
                let sp = SweepParams {
                    first_draw: a,
                    block_draws: Some(b - a),
                    // Computed once, at the merge.
                    sensitivity: false,
                    ..p.clone()
                };
                let r = on_threads(i + 1, || sweep::run(&loaded, &sp).unwrap());
                assert_eq!((r.first_draw, r.draws), (a, b - a));
                let text = serde_json::to_string(&r).unwrap();
                serde_json::from_str(&text).unwrap()
            })
            .collect();
        let merged = sweep::merge_results(&loaded, &p, &shards).unwrap();
        assert_eq!(merged, one);
        assert_eq!(serde_json::to_string(&merged).unwrap(), json);
        // A missing block, or a block from another seed, is refused.
        let e = sweep::merge_results(&loaded, &p, &shards[..2]).unwrap_err();
        assert!(e.to_string().contains("the blocks hold"), "{e}");
        let other_seed = SweepParams {
            seed: p.seed + 1,
            first_draw: 0,
            block_draws: Some(n / 3),
            sensitivity: false,
            ..p.clone()
        };
        let stray = sweep::run(&loaded, &other_seed).unwrap();
        let mixed = vec![stray, shards[0].clone(), shards[2].clone()];
        let e = sweep::merge_results(&loaded, &p, &mixed).unwrap_err();
        assert!(e.to_string().contains("seed="), "{e}");
    }
}

#[test]
fn no_declared_uncertainty_offers_a_stated_perturbation() {
    let emission = negotium_scenario::resolve("emission-standards").unwrap();
    let e = sweep::run(&emission, &SweepParams::default()).unwrap_err();
    assert!(matches!(e, AnalysisError::BadInput { .. }));
    assert_eq!(e.exit_code(), 2);
    assert!(
        e.to_string()
            .contains("--perturb position=10,salience=0.2,capability=0.2"),
        "{e}"
    );
    assert!(e.to_string().contains("declares no uncertainty"), "{e}");
    let kosovo = negotium_scenario::resolve("kosovo-status").unwrap();
    let p = SweepParams {
        draws: 3,
        issue: vec!["debt".into()],
        model: vec!["median".into()],
        perturb: Some("position=5".into()),
        ..Default::default()
    };
    let r = sweep::run(&kosovo, &p).unwrap();
    assert_eq!(r.perturb.as_deref(), Some("position=5"));
    assert!(r
        .notes
        .iter()
        .any(|n| n.contains("stated perturbation position=5")));
    assert!(r.inputs.iter().all(|i| i.field == "position"));
}

#[test]
fn bad_parameters_name_the_parameter_and_sizes_are_refused_first() {
    let t = tiny();
    let e = sweep::run(
        &t,
        &SweepParams {
            draws: 0,
            ..params(1, 0)
        },
    )
    .unwrap_err();
    assert_eq!(e.param_name(), Some("draws"));
    let e = sweep::run(
        &t,
        &SweepParams {
            draws: 2_000_000,
            ..params(1, 0)
        },
    )
    .unwrap_err();
    assert!(matches!(e, AnalysisError::Limit { .. }));
    let e = sweep::run(
        &t,
        &SweepParams {
            perturb: Some("position=ten".into()),
            ..params(1, 0)
        },
    )
    .unwrap_err();
    assert_eq!(e.param_name(), Some("perturb"));
    let e = sweep::run(
        &t,
        &SweepParams {
            first_draw: 5,
            block_draws: Some(10),
            ..params(10, 0)
        },
    )
    .unwrap_err();
    assert_eq!(e.param_name(), Some("block_draws"));
    let e = sweep::run(
        &t,
        &SweepParams {
            block_draws: Some(5),
            sensitivity: true,
            ..params(10, 0)
        },
    )
    .unwrap_err();
    assert_eq!(e.param_name(), Some("sensitivity"));
    let e = sweep::run(
        &t,
        &SweepParams {
            issue: vec!["nope".into()],
            ..params(1, 0)
        },
    )
    .unwrap_err();
    assert_eq!(e.param_name(), Some("issue"));
}

#[test]
fn sensitivity_names_inputs_and_the_tornado_swings_are_exact() {
    let p = SweepParams {
        sensitivity: true,
        sobol_n: 256,
        bootstrap: 50,
        ..params(10, 3)
    };
    let r = sweep::run(&tiny(), &p).unwrap();
    let s = r.sensitivity.as_ref().unwrap();
    assert_eq!(s.n, 256);
    let mean = &s.issues[0].models[1];
    assert_eq!(mean.model, "compromise");
    // The mean of independent inputs is additive: S_i = S_Ti = Var_i / ΣVar.
    let var = [1600.0 / 12.0, 300.0 / 18.0, 2025.0 / 12.0];
    let total: f64 = var.iter().sum();
    for (name, v) in ["A.position.x", "B.position.x", "C.position.x"]
        .iter()
        .zip(var)
    {
        let ix = mean.indices.iter().find(|i| i.input == *name).unwrap();
        assert!((ix.first - v / total).abs() < 0.1, "{name}: {}", ix.first);
        assert!((ix.total - v / total).abs() < 0.1, "{name}: {}", ix.total);
    }
    // Tornado of the mean: swing = (hi − lo) / 3 for each position.
    let t = &r.tornado.as_ref().unwrap()[0].models[1];
    assert_eq!(t.rows[0].input, "C.position.x");
    assert!((t.rows[0].swing - 15.0).abs() < 1e-9);
    assert!((t.rows[1].swing - 40.0 / 3.0).abs() < 1e-9);
    // `tornado` alone: the same table, no Sobol indices.
    let only = sweep::run(
        &tiny(),
        &SweepParams {
            tornado: true,
            ..params(10, 3)
        },
    )
    .unwrap();
    assert!(only.sensitivity.is_none() && only.outcome_sensitivity.is_none());
    assert_eq!(only.tornado, r.tornado);
}

/// Two voters whose ballots are drawn (P yes with probability 0.6, Q with
/// 0.3; both would vote no from their positions), a unanimity rule; a
/// conflict in which only A's alternative changes the payoffs (B's
/// alternative restates its preferences with the same ranking); a
/// bargain whose agreement depends on A's reservation only (B's
/// reservation range lies below every value B could accept).
const OUTCOMES: &str = r#"
[scenario]
id = "outcomes"
title = "Outcome sensitivity"
as_of = "2020-06-01"

[[actor]]
id = "A"
name = "Alpha"
capability = 10.0
[[actor]]
id = "B"
name = "Beta"
capability = 10.0

[[issue]]
id = "x"
name = "X"
min = 0.0
max = 100.0
status_quo = 30.0

[[stance]]
actor = "A"
issue = "x"
position = 40.0
salience = 0.5
[[stance]]
actor = "B"
issue = "x"
position = 60.0
salience = 0.5

[[institution]]
id = "pair"
name = "Pair"
quota = [2]
members = [
  { name = "P", position = 20.0, ballots = [{ weight = 0.6, vote = "yes" }] },
  { name = "Q", position = 20.0, ballots = [{ weight = 0.3, vote = "yes" }] },
]

[[event]]
date = "2020-03-01"
kind = "proposal"
title = "Move to 70"
issue = "x"
position = 70.0

[conflict]
status_quo = "!a & !b"
[[conflict.dm]]
id = "A"
preferences = ["a", "b"]
alternatives = [{ weight = 0.3, preferences = ["!a", "b"] }]
[[conflict.dm]]
id = "B"
preferences = ["a & b", "!b"]
alternatives = [{ weight = 0.5, preferences = ["b & a", "!b"] }]
[[conflict.option]]
id = "a"
dm = "A"
[[conflict.option]]
id = "b"
dm = "B"

[bargaining]
[[bargaining.issue]]
id = "x"
values = ["low", "mid", "high"]
[[bargaining.party]]
actor = "A"
[[bargaining.party.issue]]
issue = "x"
weight = 1.0
values = [1.0, 0.6, 0.0]
reservation = 0.5
reservation_range = [0.3, 0.9]
[[bargaining.party]]
actor = "B"
[[bargaining.party.issue]]
issue = "x"
weight = 1.0
values = [0.0, 0.6, 1.0]
reservation = 0.3
reservation_range = [0.1, 0.5]
"#;

/// |estimate − truth| within four bootstrap standard errors (the 95 %
/// interval's half-width / 1.96), and the interval narrow enough for the
/// check to mean something.
fn near(what: &str, est: f64, ci: [f64; 2], truth: f64) {
    let se = (ci[1] - ci[0]) / 2.0 / 1.96;
    assert!(se < 0.04, "{what}: interval {ci:?} too wide to test");
    assert!(
        (est - truth).abs() <= 4.0 * se + 1e-9,
        "{what}: {est} vs {truth} (se {se})"
    );
}

#[test]
fn outcome_sobol_indices_match_analytic_values() {
    let loaded = load_str(OUTCOMES, "outcomes.toml", Format::Toml).unwrap();
    let p = SweepParams {
        draws: 2000,
        seed: 4,
        sensitivity: true,
        sobol_n: 4096,
        bootstrap: 200,
        ..Default::default()
    };
    let r = sweep::run(&loaded, &p).unwrap();
    assert!(r.sensitivity.is_none(), "no spatial uncertainty");
    let s = r.outcome_sensitivity.as_ref().unwrap();
    assert_eq!((s.n, s.bootstrap), (4096, 200));
    // Vote: Y = X1·X2 with X1 ~ Bernoulli(p1), X2 ~ Bernoulli(p2).
    // V = p1p2(1 − p1p2); Var E[Y|X1] = p2²p1(1 − p1), so
    // S1 = p2(1 − p1)/(1 − p1p2) and S_T1 = 1 − S2 = (1 − p1)/(1 − p1p2).
    let (p1, p2) = (0.6, 0.3);
    let v = &s.vote[0];
    assert_eq!((v.institution.as_str(), v.proposal), ("pair", 70.0));
    assert!((v.sobol.mean - p1 * p2).abs() < 0.02, "{}", v.sobol.mean);
    assert_eq!(v.sobol.indices.len(), 2);
    for (name, a, b) in [("pair.P.ballot", p1, p2), ("pair.Q.ballot", p2, p1)] {
        let x = v.sobol.indices.iter().find(|i| i.input == name).unwrap();
        near(name, x.first, x.first_ci, b * (1.0 - a) / (1.0 - a * b));
        near(name, x.total, x.total_ci, (1.0 - a) / (1.0 - a * b));
    }
    // Bargaining: agreement iff A's reservation < 0.6 (only "mid" can
    // suit both; B's reservation never exceeds 0.5 < 0.6).
    assert_eq!(s.bargaining.len(), 2, "package and x");
    for a in &s.bargaining {
        assert!((a.sobol.mean - 0.5).abs() < 0.02, "{}", a.sobol.mean);
        let ra = a
            .sobol
            .indices
            .iter()
            .find(|i| i.input == "A.reservation.x")
            .unwrap();
        near("A.reservation.x first", ra.first, ra.first_ci, 1.0);
        near("A.reservation.x total", ra.total, ra.total_ci, 1.0);
        let rb = a
            .sobol
            .indices
            .iter()
            .find(|i| i.input == "B.reservation.x")
            .unwrap();
        // f_A = f_{A_B^i} on every row: exactly 0, intervals included.
        assert_eq!((rb.first, rb.total), (0.0, 0.0));
        assert_eq!((rb.first_ci, rb.total_ci), ([0.0, 0.0], [0.0, 0.0]));
    }
    // Conflict: every varying outcome depends on A's alternative only.
    assert!(!s.conflict.is_empty());
    assert!(s.conflict.len() <= s.conflict_cap);
    for c in &s.conflict {
        let what = format!("{} state {}", c.concept, c.number);
        assert!(!c.sobol.constant, "{what}");
        let a = c
            .sobol
            .indices
            .iter()
            .find(|i| i.input == "A.preferences")
            .unwrap();
        near(&what, a.first, a.first_ci, 1.0);
        near(&what, a.total, a.total_ci, 1.0);
        let b = c
            .sobol
            .indices
            .iter()
            .find(|i| i.input == "B.preferences")
            .unwrap();
        assert_eq!((b.first, b.total), (0.0, 0.0), "{what}");
        // It varies with A's alternative (probability 0.3): its design
        // mean is 0.3 or 0.7.
        let m = c.sobol.mean;
        assert!(
            (m - 0.3).abs() < 0.02 || (m - 0.7).abs() < 0.02,
            "{what}: {m}"
        );
    }
    // Nash by hand (as in votes_conflict_and_bargaining_match_naive_…):
    // stated preferences → {4}; A's alternative → {1}.
    for number in [1, 4] {
        assert!(s
            .conflict
            .iter()
            .any(|c| c.concept == "nash" && c.number == number));
    }
}

/// First-order and total indices of `f` over independent Bernoulli inputs
/// (P(X_i = 1) = p_i), by enumerating all 2^d points: S_i =
/// Var(E[Y|X_i]) / V, S_Ti = E[Var(Y|X_~i)] / V.
fn bernoulli_indices(p: &[f64], f: impl Fn(&[bool]) -> f64) -> Vec<(f64, f64)> {
    let d = p.len();
    let pts: Vec<(Vec<bool>, f64)> = (0..1usize << d)
        .map(|m| {
            let x: Vec<bool> = (0..d).map(|i| m >> i & 1 == 1).collect();
            let w = (0..d)
                .map(|i| if x[i] { p[i] } else { 1.0 - p[i] })
                .product();
            (x, w)
        })
        .collect();
    let mean: f64 = pts.iter().map(|(x, w)| w * f(x)).sum();
    let var: f64 = pts.iter().map(|(x, w)| w * (f(x) - mean).powi(2)).sum();
    (0..d)
        .map(|i| {
            // E[Y | X_i = b], and Var(Y | X_~i) from flipping X_i.
            let cond = |b: bool| -> f64 {
                let q = if b { p[i] } else { 1.0 - p[i] };
                pts.iter()
                    .filter(|(x, _)| x[i] == b)
                    .map(|(x, w)| w / q * f(x))
                    .sum()
            };
            let first =
                p[i] * (cond(true) - mean).powi(2) + (1.0 - p[i]) * (cond(false) - mean).powi(2);
            let total: f64 = pts
                .iter()
                .filter(|(x, _)| !x[i])
                .map(|(x, w)| {
                    let mut y = x.clone();
                    y[i] = true;
                    // weight of X_~i = x_~i, times Var of a two-point law.
                    let w_rest = w / (1.0 - p[i]);
                    w_rest * p[i] * (1.0 - p[i]) * (f(&y) - f(x)).powi(2)
                })
                .sum();
            (first / var, total / var)
        })
        .collect()
}

#[test]
fn vote_indices_over_drawn_positions_and_a_drawn_ballot_match_exact_enumeration() {
    // Tiny's vote (see votes_conflict_and_bargaining_match_naive_…):
    // passes iff A votes yes (a veto) and 3 of A, B, C, D do. Each vote is
    // a Bernoulli event — A: position U(30, 70) > 50, p = 1/2; B:
    // triangular(40, 50, 60) > 50, 1/2; C: U(45, 90) > 50, 8/9; D: its
    // drawn ballot, 0.4 — and the outcome depends on a position only
    // through it, so the indices are those of the Bernoulli function.
    let p = SweepParams {
        sensitivity: true,
        sobol_n: 4096,
        bootstrap: 200,
        ..params(200, 21)
    };
    let r = sweep::run(&tiny(), &p).unwrap();
    let v = &r.outcome_sensitivity.as_ref().unwrap().vote[0];
    let names = [
        "A.position.x",
        "B.position.x",
        "C.position.x",
        "council.D.ballot",
    ];
    let probs = [0.5, 0.5, 8.0 / 9.0, 0.4];
    let exact = bernoulli_indices(&probs, |x| {
        (x[0] && x.iter().filter(|&&b| b).count() >= 3) as u8 as f64
    });
    // The enumeration against the closed form of the two-input product
    // (S1 = p2(1 − p1)/(1 − p1p2), S_T1 = (1 − p1)/(1 − p1p2)).
    let two = bernoulli_indices(&[0.6, 0.3], |x| (x[0] && x[1]) as u8 as f64);
    assert!((two[0].0 - 0.3 * 0.4 / 0.82).abs() < 1e-12);
    assert!((two[0].1 - 0.4 / 0.82).abs() < 1e-12);
    assert_eq!(v.sobol.indices.len(), 4);
    for (name, (first, total)) in names.iter().zip(exact) {
        let x = v.sobol.indices.iter().find(|i| i.input == *name).unwrap();
        near(name, x.first, x.first_ci, first);
        near(name, x.total, x.total_ci, total);
    }
}

/// The widest total-index interval anywhere in a JSON value (every
/// `total_ci` pair, spatial and outcome tables alike).
fn widest_total_ci(v: &serde_json::Value) -> f64 {
    match v {
        serde_json::Value::Object(m) => m
            .iter()
            .map(|(k, x)| match (k.as_str(), x.as_array()) {
                ("total_ci", Some(ci)) => ci[1].as_f64().unwrap() - ci[0].as_f64().unwrap(),
                _ => widest_total_ci(x),
            })
            .fold(0.0, f64::max),
        serde_json::Value::Array(a) => a.iter().map(widest_total_ci).fold(0.0, f64::max),
        _ => 0.0,
    }
}

#[test]
fn a_grown_sobol_design_doubles_until_every_interval_is_narrow_enough() {
    let t = tiny();
    let base = SweepParams {
        sensitivity: true,
        sobol_n: 8,
        bootstrap: 40,
        ..params(50, 3)
    };
    let widest_of = |r: &SweepResult| {
        widest_total_ci(&serde_json::json!([r.sensitivity, r.outcome_sensitivity]))
    };
    let grown = sweep::run(
        &t,
        &SweepParams {
            sobol_width: Some(0.25),
            ..base.clone()
        },
    )
    .unwrap();
    let g = grown.sobol_growth.as_ref().expect("growth recorded");
    assert!(g.reached, "{g:?}");
    assert!(g.steps.len() >= 2, "8 rows should not be enough: {g:?}");
    let last = g.steps.last().unwrap();
    for (k, s) in g.steps.iter().enumerate() {
        assert_eq!(s.n, 8 << k, "doubling");
        // Each size is the plain design of that many rows: its widest
        // interval, recomputed from a run without growth, is the step's.
        let plain = sweep::run(
            &t,
            &SweepParams {
                sobol_n: s.n,
                ..base.clone()
            },
        )
        .unwrap();
        assert_eq!(widest_of(&plain), s.widest, "n = {}", s.n);
        assert!(plain.sobol_growth.is_none());
        if s.n < last.n {
            assert!(s.widest > 0.25, "grew past a narrow enough design: {s:?}");
        } else {
            assert!(s.widest <= 0.25);
            // The reported indices are the last design's.
            assert_eq!(plain.sensitivity, grown.sensitivity);
            assert_eq!(plain.outcome_sensitivity, grown.outcome_sensitivity);
        }
    }
    // A width out of reach stops at the cap, and says so.
    let capped = sweep::run(
        &t,
        &SweepParams {
            sobol_width: Some(0.001),
            sobol_max_n: 32,
            ..base.clone()
        },
    )
    .unwrap();
    let g = capped.sobol_growth.unwrap();
    assert!(!g.reached);
    assert_eq!(g.steps.iter().map(|s| s.n).collect::<Vec<_>>(), [8, 16, 32]);
    assert_eq!(capped.sensitivity.unwrap().n, 32);
    // Bad settings name their parameter before any work.
    for (p, name) in [
        (
            SweepParams {
                sobol_width: Some(0.0),
                ..base.clone()
            },
            "sobol_width",
        ),
        // Without the Sobol analysis a width would be silently ignored.
        (
            SweepParams {
                sobol_width: Some(0.3),
                sensitivity: false,
                ..base.clone()
            },
            "sobol_width",
        ),
        (
            SweepParams {
                sobol_width: Some(f64::NAN),
                ..base.clone()
            },
            "sobol_width",
        ),
        (
            SweepParams {
                sobol_width: Some(0.3),
                sobol_max_n: 4,
                ..base.clone()
            },
            "sobol_max_n",
        ),
        (
            SweepParams {
                sobol_width: Some(0.3),
                sobol_max_n: 1 << 20,
                ..base.clone()
            },
            "sobol_max_n",
        ),
    ] {
        let e = sweep::run(&t, &p).unwrap_err();
        assert_eq!(e.param_name(), Some(name), "{e}");
    }
}
