//! The exchange model against (1) a trace of the reference implementation
//! decide-exchange-model captured on a small input of our own, and (2) a
//! naive transcription of the published equal-gain equations, plus its
//! invariants and options.

use negotium_spatial::exchange::{simulate, ExchangeRate, ExchangeRun};
use negotium_spatial::{run, Dimension, ExchangeOptions, ModelSpec, Problem};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn fixture() -> (Problem, serde_json::Value) {
    let v: serde_json::Value =
        serde_json::from_str(include_str!("data/exchange_decide_small.json")).unwrap();
    let strs = |k: &str| -> Vec<String> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect()
    };
    let mat = |k: &str| -> Vec<Vec<f64>> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r.as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap())
                    .collect()
            })
            .collect()
    };
    let dims = strs("issues")
        .into_iter()
        .map(|name| Dimension {
            name,
            min: 0.0,
            max: 100.0,
        })
        .collect();
    let cap = v["capability"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let p = Problem::new(strs("actors"), cap, dims, mat("position"), mat("salience")).unwrap();
    (p, v)
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn agrees_with_decide_exchange_by_exchange() {
    let (p, v) = fixture();
    let rounds = v["rounds"].as_array().unwrap();
    let o = ExchangeOptions {
        rounds: rounds.len(),
        ..Default::default()
    };
    let r = simulate(&p, &o).unwrap();
    assert_eq!(r.rounds.len(), rounds.len());
    let mut compared = 0;
    for (mine, theirs) in r.rounds.iter().zip(rounds) {
        let ex = theirs["exchanges"].as_array().unwrap();
        assert_eq!(mine.exchanges.len(), ex.len(), "round {}", mine.round);
        for (e, t) in mine.exchanges.iter().zip(ex) {
            assert!(close(e.gain, t["gain"].as_f64().unwrap(), 1e-9));
            for (s, ts) in e.sides.iter().zip(t["sides"].as_array().unwrap()) {
                assert_eq!(s.actor, ts["actor"].as_str().unwrap());
                assert_eq!(s.gives, ts["gives"].as_str().unwrap());
                assert_eq!(s.takes, ts["takes"].as_str().unwrap());
                assert!(close(s.from, ts["from"].as_f64().unwrap(), 1e-9));
                assert!(close(s.to, ts["to"].as_f64().unwrap(), 1e-9));
            }
            compared += 1;
        }
        for (d, dim) in p.dims().iter().enumerate() {
            let want = theirs["voting_outcome"][&dim.name].as_f64().unwrap();
            assert!(close(mine.voting_outcome[d], want, 1e-9));
        }
    }
    assert!(compared >= 15, "the fixture should exercise many exchanges");
    let last = r.rounds.last().unwrap();
    for (d, dim) in p.dims().iter().enumerate() {
        for (a, name) in p.actors().iter().enumerate() {
            let want = v["final"][&dim.name][name].as_f64().unwrap();
            assert!(close(last.next[a][d], want, 1e-9), "{name} on {}", dim.name);
        }
    }
}

/// The first exchange of a round, from the published equations alone: for
/// each candidate, the equal-gain outcome shifts r_q·(s_Iq + s_Jq) =
/// r_p·(s_Ip + s_Jp), as large as the four limits allow (J at most to I's
/// position on p, I at most to J's on q, neither outcome past the demander's
/// position); the candidate with the highest gain I: r_p·s_Ip − r_q·s_Iq.
struct Naive {
    actor_i: usize,
    actor_j: usize,
    p: usize,
    q: usize,
    to_i: f64,
    to_j: f64,
    gain: f64,
    op1: f64,
    oq1: f64,
}

fn naive_first(x: &[Vec<f64>], s: &[Vec<f64>], c: &[f64]) -> Option<Naive> {
    let n = x.len();
    let m = x[0].len();
    let w = |a: usize, d: usize| c[a] * s[a][d];
    let den: Vec<f64> = (0..m).map(|d| (0..n).map(|a| w(a, d)).sum()).collect();
    let o: Vec<f64> = (0..m)
        .map(|d| (0..n).map(|a| w(a, d) * x[a][d]).sum::<f64>() / den[d])
        .collect();
    let mut best: Option<Naive> = None;
    for p in 0..m {
        for q in p + 1..m {
            let g = |a: usize| (x[a][p] <= o[p]) as usize | (((x[a][q] <= o[q]) as usize) << 1);
            for (g1, g2) in [(0, 3), (1, 2)] {
                for a in (0..n).filter(|&a| g(a) == g1) {
                    for b in (0..n).filter(|&b| g(b) == g2) {
                        let (i, j) = if s[a][p] * s[b][q] < s[b][p] * s[a][q] {
                            (b, a)
                        } else {
                            (a, b)
                        };
                        let rho = (s[i][p] + s[j][p]) / (s[i][q] + s[j][q]);
                        let rp_full = (x[i][p] - x[j][p]).abs() * w(j, p) / den[p];
                        let rq_full = (x[j][q] - x[i][q]).abs() * w(i, q) / den[q];
                        let rp = rp_full
                            .min((x[i][p] - o[p]).abs())
                            .min(rq_full.min((x[j][q] - o[q]).abs()) / rho);
                        let rq = rho * rp;
                        let gain = rp * s[i][p] - rq * s[i][q];
                        let mi = rq * den[q] / w(i, q);
                        let mj = rp * den[p] / w(j, p);
                        if mi <= 1e-10 || mj <= 1e-10 || gain < 1e-10 {
                            continue;
                        }
                        let to_i = x[i][q] + mi * (x[j][q] - x[i][q]).signum();
                        let to_j = x[j][p] + mj * (x[i][p] - x[j][p]).signum();
                        if best.as_ref().is_none_or(|b| gain > b.gain) {
                            best = Some(Naive {
                                actor_i: i,
                                actor_j: j,
                                p,
                                q,
                                to_i,
                                to_j,
                                gain,
                                op1: o[p] + rp * (x[i][p] - o[p]).signum(),
                                oq1: o[q] + rq * (x[j][q] - o[q]).signum(),
                            });
                        }
                    }
                }
            }
        }
    }
    best
}

fn random_problem(seed: u64, n: usize, m: usize) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let dims = (0..m)
        .map(|d| Dimension {
            name: format!("d{d}"),
            min: 0.0,
            max: 100.0,
        })
        .collect();
    let pos = (0..n)
        .map(|_| (0..m).map(|_| rng.random_range(0.0..100.0)).collect())
        .collect();
    let sal = (0..n)
        .map(|_| (0..m).map(|_| rng.random_range(0.05..1.0)).collect())
        .collect();
    let cap = (0..n).map(|_| rng.random_range(0.05..1.0)).collect();
    Problem::new(
        (0..n).map(|a| format!("a{a}")).collect(),
        cap,
        dims,
        pos,
        sal,
    )
    .unwrap()
}

#[test]
fn first_exchange_of_each_round_matches_a_naive_transcription() {
    let mut checked = 0;
    for seed in 0..40 {
        let p = random_problem(seed, 3 + (seed as usize % 8), 2 + (seed as usize % 3));
        let r = simulate(&p, &ExchangeOptions::default()).unwrap();
        for round in &r.rounds {
            let x = &round.start;
            let naive = naive_first(x, p.salience(), p.capability());
            match (naive, round.exchanges.first()) {
                (None, None) => {}
                (Some(nv), Some(e)) => {
                    let names = p.actors();
                    let dims = p.dims();
                    assert_eq!(e.sides[0].actor, names[nv.actor_i], "seed {seed}");
                    assert_eq!(e.sides[1].actor, names[nv.actor_j], "seed {seed}");
                    assert_eq!(e.sides[0].gives, dims[nv.q].name);
                    assert_eq!(e.sides[1].gives, dims[nv.p].name);
                    assert!(close(e.gain, nv.gain, 1e-9), "seed {seed}");
                    assert!(close(e.sides[0].to, nv.to_i, 1e-8), "seed {seed}");
                    assert!(close(e.sides[1].to, nv.to_j, 1e-8), "seed {seed}");
                    assert!(close(e.sides[1].outcome_after, nv.op1, 1e-8));
                    assert!(close(e.sides[0].outcome_after, nv.oq1, 1e-8));
                    // Externalities: salience-weighted reduction of the
                    // distance to both outcomes, for every other actor.
                    let (op0, oq0) = (e.sides[1].outcome_before, e.sides[0].outcome_before);
                    for ext in &e.externalities {
                        let k = names.iter().position(|a| a == &ext.actor).unwrap();
                        let want = ((op0 - x[k][nv.p]).abs() - (nv.op1 - x[k][nv.p]).abs())
                            * p.salience()[k][nv.p]
                            + ((oq0 - x[k][nv.q]).abs() - (nv.oq1 - x[k][nv.q]).abs())
                                * p.salience()[k][nv.q];
                        assert!(close(ext.value, want, 1e-8));
                    }
                    assert_eq!(e.externalities.len(), p.n_actors() - 2);
                    checked += 1;
                }
                (a, b) => panic!(
                    "seed {seed} round {}: naive {} vs model {}",
                    round.round,
                    a.is_some(),
                    b.is_some()
                ),
            }
        }
    }
    assert!(checked > 50, "only {checked} rounds had an exchange");
}

fn check_invariants(p: &Problem, r: &ExchangeRun, equal: bool) {
    for round in &r.rounds {
        for e in &round.exchanges {
            for (k, sd) in e.sides.iter().enumerate() {
                assert!(sd.gain >= -1e-9, "a trader never loses: {sd:?}");
                if equal {
                    assert!(close(sd.gain, e.gain, 1e-9 * e.gain.max(1.0)));
                }
                // Moves towards the partner's round-start position. (Not
                // "never past it": decide's bookkeeping of other actors'
                // moves can let a cut overshoot; see docs/models.md.)
                let partner = &e.sides[1 - k];
                let a = p.actors().iter().position(|x| x == &partner.actor).unwrap();
                let d = p.dims().iter().position(|x| x.name == sd.gives).unwrap();
                let target = round.start[a][d];
                assert!(
                    (sd.to - sd.from) * (target - sd.from) > 0.0,
                    "equal {equal} round {} order {}: {sd:?} target {target}",
                    round.round,
                    e.order
                );
                assert!(sd.to != sd.from);
            }
        }
        for (d, dim) in p.dims().iter().enumerate() {
            let lo = (0..p.n_actors())
                .map(|a| round.start[a][d])
                .fold(f64::MAX, f64::min);
            let hi = (0..p.n_actors())
                .map(|a| round.start[a][d])
                .fold(f64::MIN, f64::max);
            assert!(round.voting_outcome[d] >= lo - 1e-9 && round.voting_outcome[d] <= hi + 1e-9);
            assert!(dim.min <= round.voting_outcome[d] && round.voting_outcome[d] <= dim.max);
        }
    }
}

#[test]
fn invariants_hold_on_random_problems_for_both_rates() {
    for seed in 0..25 {
        let p = random_problem(1000 + seed, 4 + seed as usize % 7, 2 + seed as usize % 3);
        let eg = simulate(&p, &ExchangeOptions::default()).unwrap();
        check_invariants(&p, &eg, true);
        let rr = ExchangeOptions {
            rate: ExchangeRate::Random { p: 0.8 },
            seed,
            ..Default::default()
        };
        let a = simulate(&p, &rr).unwrap();
        check_invariants(&p, &a, false);
        assert_eq!(a, simulate(&p, &rr).unwrap(), "same seed, same run");
        assert_eq!(a.seed, Some(seed));
        assert!(a
            .forecast
            .assumptions
            .iter()
            .any(|s| s.contains(&format!("seed {seed}"))));
    }
}

#[test]
fn random_rate_with_p_zero_is_equal_gain_and_p_positive_varies_the_rates() {
    let (p, _) = fixture();
    let eg = simulate(&p, &ExchangeOptions::default()).unwrap();
    let zero = simulate(
        &p,
        &ExchangeOptions {
            rate: ExchangeRate::Random { p: 0.0 },
            seed: 9,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(eg.rounds, zero.rounds);
    let rr = simulate(
        &p,
        &ExchangeOptions {
            rate: ExchangeRate::Random { p: 1.0 },
            seed: 9,
            ..Default::default()
        },
    )
    .unwrap();
    let first = &rr.rounds[0].exchanges[0];
    assert!(
        !close(first.sides[0].gain, first.sides[1].gain, 1e-6),
        "with p = 1 the two sides' gains differ: {first:?}"
    );
    // The realised rate lies between the two rates at which one side gains nothing.
    let s = p.salience();
    for e in &rr.rounds[0].exchanges {
        let ai = p
            .actors()
            .iter()
            .position(|x| *x == e.sides[0].actor)
            .unwrap();
        let aj = p
            .actors()
            .iter()
            .position(|x| *x == e.sides[1].actor)
            .unwrap();
        let dp = p
            .dims()
            .iter()
            .position(|d| d.name == e.sides[0].takes)
            .unwrap();
        let dq = p
            .dims()
            .iter()
            .position(|d| d.name == e.sides[0].gives)
            .unwrap();
        let lo = s[aj][dp] / s[aj][dq];
        let hi = s[ai][dp] / s[ai][dq];
        assert!(
            e.rate >= lo - 1e-12 && e.rate <= hi + 1e-12,
            "{} in [{lo}, {hi}]",
            e.rate
        );
    }
}

#[test]
fn one_dimension_allows_no_exchange_and_forecasts_the_weighted_mean() {
    let p = Problem::new(
        vec!["a".into(), "b".into(), "c".into()],
        vec![1.0, 2.0, 3.0],
        vec![Dimension {
            name: "x".into(),
            min: 0.0,
            max: 10.0,
        }],
        vec![vec![0.0], vec![5.0], vec![10.0]],
        vec![vec![1.0], vec![0.5], vec![0.2]],
    )
    .unwrap();
    let f = run(&p, &ModelSpec::Exchange(ExchangeOptions::default())).unwrap();
    // (1·1·0 + 2·0.5·5 + 3·0.2·10) / (1 + 1 + 0.6) = 11 / 2.6
    assert!(close(f.forecast[0], 11.0 / 2.6, 1e-12));
    assert!(f.converged);
    assert_eq!(f.rounds.len(), 1);
    assert!(f.assumptions.iter().any(|a| a.contains("One dimension")));
}

#[test]
fn scale_units_are_restored_and_bad_options_are_refused() {
    // The same problem on a 1–8 scale gives the same exchanges, rescaled.
    let (p, _) = fixture();
    let dims: Vec<Dimension> = p
        .dims()
        .iter()
        .map(|d| Dimension {
            name: d.name.clone(),
            min: 1.0,
            max: 8.0,
        })
        .collect();
    let pos = p
        .position()
        .iter()
        .map(|r| r.iter().map(|x| 1.0 + x * 0.07).collect())
        .collect();
    let q = Problem::new(
        p.actors().to_vec(),
        p.capability().to_vec(),
        dims,
        pos,
        p.salience().to_vec(),
    )
    .unwrap();
    let a = simulate(&p, &ExchangeOptions::default()).unwrap();
    let b = simulate(&q, &ExchangeOptions::default()).unwrap();
    for (x, y) in a.forecast.forecast.iter().zip(&b.forecast.forecast) {
        assert!(close(1.0 + x * 0.07, *y, 1e-9));
    }
    for bad in [
        ExchangeOptions {
            rounds: 0,
            ..Default::default()
        },
        ExchangeOptions {
            rate: ExchangeRate::Random { p: 1.5 },
            ..Default::default()
        },
        ExchangeOptions {
            salience_weight: 0.95,
            fixed_weight: 0.1,
            ..Default::default()
        },
    ] {
        let e = simulate(&p, &bad).unwrap_err().to_string();
        assert!(e.contains("expected"), "{e}");
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed};

    fn problem(rows: &[(f64, Vec<f64>, Vec<f64>)], scale: f64) -> Problem {
        let k = rows[0].1.len();
        Problem::new(
            (0..rows.len()).map(|i| format!("a{i}")).collect(),
            rows.iter().map(|r| r.0 * scale).collect(),
            (0..k)
                .map(|d| Dimension {
                    name: format!("d{d}"),
                    min: 0.0,
                    max: 100.0,
                })
                .collect(),
            rows.iter().map(|r| r.1.clone()).collect(),
            rows.iter().map(|r| r.2.clone()).collect(),
        )
        .unwrap()
    }

    proptest! {
        #![proptest_config(Config { cases: 128, rng_seed: RngSeed::Fixed(1994), failure_persistence: None, ..Config::default() })]

        /// Forecasts stay within the positions; scaling every capability by
        /// a power of two (exact in binary) changes nothing.
        #[test]
        fn within_positions_and_capability_scale_free(
            rows in (2usize..=4).prop_flat_map(|k| prop::collection::vec(
                (0.05f64..10.0,
                 prop::collection::vec(0.0f64..100.0, k),
                 prop::collection::vec(prop_oneof![1 => Just(0.0), 6 => 0.05f64..1.0], k)),
                2..9)),
            random in any::<bool>(),
        ) {
            let o = ExchangeOptions {
                rate: if random { ExchangeRate::Random { p: 0.7 } } else { ExchangeRate::EqualGain },
                seed: 5,
                ..Default::default()
            };
            let p = problem(&rows, 1.0);
            let a = simulate(&p, &o).unwrap();
            let b = simulate(&problem(&rows, 4.0), &o).unwrap();
            prop_assert_eq!(&a.forecast.forecast, &b.forecast.forecast);
            for (d, f) in a.forecast.forecast.iter().enumerate() {
                let lo = rows.iter().map(|r| r.1[d]).fold(f64::MAX, f64::min);
                let hi = rows.iter().map(|r| r.1[d]).fold(f64::MIN, f64::max);
                prop_assert!(*f >= lo - 1e-9 && *f <= hi + 1e-9);
            }
        }
    }
}

#[test]
fn oversized_problems_are_refused_before_work_with_the_size() {
    // 1,000 actors × 3 dimensions: ⌊10⁶/4⌋ · 3 = 750,000 candidate pairs.
    let n = 1000;
    let dims = (0..3)
        .map(|d| Dimension {
            name: format!("d{d}"),
            min: 0.0,
            max: 100.0,
        })
        .collect();
    let p = Problem::new(
        (0..n).map(|a| format!("a{a}")).collect(),
        vec![1.0; n],
        dims,
        (0..n).map(|a| vec![(a % 101) as f64; 3]).collect(),
        vec![vec![0.5; 3]; n],
    )
    .unwrap();
    let e = simulate(&p, &ExchangeOptions::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "model option size: 1000 actors × 3 dimensions allow up to 750000 candidate exchanges \
         per round; the limit is 250000"
    );
}

#[test]
fn the_model_spec_reads_from_json_as_documented() {
    let spec: ModelSpec = serde_json::from_str(
        r#"{"model": "exchange", "rounds": 10, "rate": {"kind": "random", "p": 0.5}, "seed": 7}"#,
    )
    .unwrap();
    assert_eq!(
        spec,
        ModelSpec::Exchange(ExchangeOptions {
            rounds: 10,
            rate: ExchangeRate::Random { p: 0.5 },
            seed: 7,
            ..Default::default()
        })
    );
    assert_eq!(spec.name(), "exchange");
    let plain: ModelSpec = serde_json::from_str(r#"{"model": "exchange"}"#).unwrap();
    assert_eq!(plain, ModelSpec::Exchange(ExchangeOptions::default()));
}
