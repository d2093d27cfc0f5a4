//! SMP on KTAB's published inputs: the first turn checked against an
//! independent, naive computation written here from the published formulas
//! (research notes §1.3), and against KTAB's own reference run logs
//! (`examples/smp/doc/20170530_ref-*.txt`, extracted to JSON).

mod smp_support;

use negotium_spatial::smp::{simulate, SmpRun};
use negotium_spatial::{run, ModelSpec, Problem, SmpOptions};
use smp_support::{fixture, ktab_csv};

fn defaults() -> SmpOptions {
    SmpOptions::default()
}

// ---------------------------------------------------------------------
// Naive first-turn computation (KTAB defaults: Proportional votes, Linear
// victory odds, Conditional PCE, BigRRange Mid, BigRAdjust OneThird,
// SemiCommit, S2P2), deliberately written with plain nested vectors and no
// sharing with the crate.
// ---------------------------------------------------------------------

struct Naive {
    risk: Vec<f64>,
    win_prob: Vec<f64>,
    /// (target, prob, gain) or None.
    challenges: Vec<Option<(usize, f64, f64)>>,
    /// bargain positions (initiator, receiver), 0–100 scale.
    bargains: Vec<Option<(Vec<f64>, Vec<f64>)>>,
}

fn naive_first_turn(p: &Problem) -> Naive {
    let n = p.n_actors();
    let kd = p.n_dims();
    let x: Vec<Vec<f64>> = p
        .position()
        .iter()
        .map(|r| r.iter().map(|v| v / 100.0).collect())
        .collect();
    let s = p.salience();
    let c = p.capability();
    // d[i][j] = sqrt(Σ (s_ik (x_ik − x_jk))² / Σ s_ik²)
    let mut d = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            let mut num = 0.0;
            let mut den = 0.0;
            for k in 0..kd {
                num += (s[i][k] * (x[i][k] - x[j][k])).powi(2);
                den += s[i][k].powi(2);
            }
            d[i][j] = (num / den).sqrt();
        }
    }
    let util = |dd: f64, r: f64| (1.0 - dd) * (1.0 + dd * r);
    // Conditional PCE with capability-weighted proportional votes.
    let pce = |u: &Vec<Vec<f64>>| -> Vec<f64> {
        let m = u[0].len();
        let mut v = vec![vec![0.5; m]; m];
        for a in 0..m {
            for b in 0..m {
                if a == b {
                    continue;
                }
                let mut cab = 1e-8;
                let mut cba = 1e-8;
                for voter in 0..n {
                    let vote = c[voter] * (u[voter][a] - u[voter][b]);
                    if vote > 0.0 {
                        cab += vote;
                    } else {
                        cba -= vote;
                    }
                }
                v[a][b] = cab / (cab + cba);
            }
        }
        let prods: Vec<f64> = v.iter().map(|row| row.iter().product()).collect();
        let tot: f64 = prods.iter().sum();
        prods.iter().map(|q| q / tot).collect()
    };
    let rn: Vec<Vec<f64>> = d
        .iter()
        .map(|row| row.iter().map(|&dd| 1.0 - dd).collect())
        .collect();
    let p0 = pce(&rn);
    let (pmin, pmax) = p0
        .iter()
        .fold((1.0f64, 0.0f64), |(a, b), &q| (a.min(q), b.max(q)));
    let risk: Vec<f64> = p0
        .iter()
        .map(|&q| (3.0 * q - (pmax + 2.0 * pmin)) / (2.0 * (pmax - pmin)))
        .collect();
    // h's utility matrix: U^h[i][j] = u(d_ij, (2 r_h + r_i)/3)
    let uh = |h: usize, i: usize, j: usize| util(d[i][j], (2.0 * risk[h] + risk[i]) / 3.0);

    // Winning probabilities of the distinct positions, own perspectives.
    let mut uniq: Vec<usize> = vec![];
    let mut class = vec![0; n];
    for i in 0..n {
        let same = uniq.iter().position(|&u| {
            (0..kd)
                .map(|k| (x[i][k] - x[u][k]).powi(2))
                .sum::<f64>()
                .sqrt()
                < 1e-3
        });
        class[i] = same.unwrap_or_else(|| {
            uniq.push(i);
            uniq.len() - 1
        });
    }
    let uu: Vec<Vec<f64>> = (0..n)
        .map(|v| uniq.iter().map(|&m| uh(v, v, m)).collect())
        .collect();
    let pu = pce(&uu);
    let win_prob = (0..n).map(|i| pu[class[i]]).collect();

    // Challenges from each initiator's own perspective.
    let stot: Vec<f64> = s.iter().map(|r| r.iter().sum()).collect();
    let mut challenges = vec![None; n];
    let mut bargains = vec![None; n];
    for i in 0..n {
        let mut best: Option<(usize, f64, f64)> = None;
        for j in 0..n {
            if j == i {
                continue;
            }
            let u = |a: usize, b: usize| uh(i, a, b);
            let vi = stot[i] * c[i] * (u(i, i) - u(i, j));
            let vj = stot[j] * c[j] * (u(j, i) - u(j, j));
            let c0ij = 1e-10 + vi.max(0.0) + vj.max(0.0);
            let c0ji = 1e-10 + (-vi).max(0.0) + (-vj).max(0.0);
            let (mut cij, mut cji) = (c0ij, c0ji);
            for t in 0..n {
                if t == i || t == j {
                    continue;
                }
                let w = stot[t] * c[t];
                let vt = w * (u(t, i) - u(t, j));
                let pin = (c0ij + vt.max(0.0)) / (c0ij + vt.max(0.0) + c0ji + (-vt).max(0.0));
                let join_i = pin * (2.0 * u(t, i) + u(t, t)) + (1.0 - pin) * 3.0 * u(t, j);
                let join_j = pin * 3.0 * u(t, i) + (1.0 - pin) * (2.0 * u(t, j) + u(t, t));
                let v = w * (join_i - join_j);
                cij += v.max(0.0);
                cji += (-v).max(0.0);
            }
            let pij = cij / (cij + cji);
            let sq = u(i, i) + u(i, j);
            let contest = pij * 2.0 * u(i, i) + (1.0 - pij) * 2.0 * u(i, j);
            let chlg = (1.0 - stot[j]) * 2.0 * u(i, i) + stot[j] * contest;
            let gain = chlg - sq;
            if gain > 1e-5 && best.is_none_or(|b| gain > b.2) {
                best = Some((j, pij, gain));
            }
        }
        challenges[i] = best;
        if let Some((j, pij, _)) = best {
            let r4 = |v: f64| (v * 1e4 + 0.5).floor() / 1e4;
            let (mut bi, mut bj) = (vec![], vec![]);
            for k in 0..kd {
                let wi = (s[i][k] * pij).powi(2);
                let wj = (s[j][k] * (1.0 - pij)).powi(2);
                let den = wi + 1e-6 + wj;
                bi.push(100.0 * r4(((wi + 1e-6) * x[i][k] + wj * x[j][k]) / den));
                bj.push(100.0 * r4((wi * x[i][k] + (wj + 1e-6) * x[j][k]) / den));
            }
            bargains[i] = Some((bi, bj));
        }
    }
    Naive {
        risk,
        win_prob,
        challenges,
        bargains,
    }
}

fn assert_first_turn_matches_naive(p: &Problem) -> (usize, f64) {
    let trace = simulate(p, &defaults()).unwrap();
    let t0 = &trace.turns[0];
    let nv = naive_first_turn(p);
    let mut worst: f64 = 0.0;
    for i in 0..p.n_actors() {
        worst = worst.max((t0.risk[i] - nv.risk[i]).abs());
        worst = worst.max((t0.position_prob[i] - nv.win_prob[i]).abs());
        match (&t0.challenges[i], nv.challenges[i]) {
            (None, None) => {}
            (Some(a), Some((j, pr, g))) => {
                assert_eq!(a.target, j, "actor {i}: target");
                worst = worst.max((a.prob - pr).abs()).max((a.gain - g).abs());
            }
            (a, b) => panic!("actor {i}: challenge {a:?} vs naive {b:?}"),
        }
    }
    let mut checked = 0;
    for b in &t0.bargains {
        let (bi, bj) = nv.bargains[b.initiator].clone().expect("naive bargain");
        for k in 0..p.n_dims() {
            worst = worst.max((b.initiator_position[k] - bi[k]).abs() / 100.0);
            worst = worst.max((b.receiver_position[k] - bj[k]).abs() / 100.0);
        }
        checked += 1;
    }
    assert!(
        worst < 1e-9,
        "largest difference from the naive computation: {worst:e}"
    );
    (checked, worst)
}

#[test]
fn soe_policy_first_turn_matches_naive_computation() {
    let p = ktab_csv(&fixture("SOE-Policy.csv"));
    assert_eq!(p.n_actors(), 26);
    let (bargains, _) = assert_first_turn_matches_naive(&p);
    assert!(bargains > 0);
}

#[test]
fn soe_pol_comp_first_turn_matches_naive_computation() {
    let p = ktab_csv(&fixture("SOE-Pol-Comp.csv"));
    assert_eq!((p.n_actors(), p.n_dims()), (13, 2));
    assert_first_turn_matches_naive(&p);
}

#[test]
fn soe_policy_converges() {
    let p = ktab_csv(&fixture("SOE-Policy.csv"));
    let trace = simulate(&p, &defaults()).unwrap();
    assert!(trace.converged, "turns: {}", trace.turns.len());
    assert!(trace.turns.len() >= 2 && trace.turns.len() < 100);
    let last = trace.turns.last().unwrap();
    assert!(last.ratio < 0.02);
    let f = run(&p, &ModelSpec::Smp(defaults())).unwrap();
    assert_eq!(f.rounds.len(), trace.turns.len());
    assert!(f.converged);
    // Inside the range of the inputs.
    assert!(
        f.forecast[0] >= 10.0 && f.forecast[0] <= 60.0,
        "{:?}",
        f.forecast
    );
}

#[test]
fn soe_pol_comp_converges_in_two_dimensions() {
    let p = ktab_csv(&fixture("SOE-Pol-Comp.csv"));
    let f = run(&p, &ModelSpec::Smp(defaults())).unwrap();
    assert!(f.converged);
    assert_eq!(f.forecast.len(), 2);
    assert!(f
        .rounds
        .iter()
        .all(|r| r.positions.len() == 13 && r.positions[0].len() == 2));
}

// ---------------------------------------------------------------------
// KTAB reference logs.
// ---------------------------------------------------------------------

fn reference(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap()
}

/// Compares turn 0 with the log: risk (3 decimals), challenge target,
/// probability and gain (4 decimals), bargains (3 decimals, 0–100) and the
/// initial winning probabilities (4 decimals).
fn compare_first_turn(trace: &SmpRun, r: &serde_json::Value) {
    let t0 = &trace.turns[0];
    let rt = &r["turns"][0];
    let n = t0.risk.len();
    for i in 0..n {
        let want = f(&rt["risk"][i]);
        assert!(
            (t0.risk[i] - want).abs() <= 0.0005 + 1e-9,
            "risk {i}: {} vs {want}",
            t0.risk[i]
        );
        let wp = f(&r["win_prob"][i][0]);
        assert!(
            (t0.position_prob[i] - wp).abs() <= 0.00005 + 1e-9,
            "initial win prob {i}: {} vs {wp}",
            t0.position_prob[i]
        );
        let rc = &rt["challenges"][i.to_string()];
        match &t0.challenges[i] {
            None => assert!(rc.is_null(), "actor {i} should challenge"),
            Some(c) => {
                assert_eq!(
                    c.target as u64,
                    rc["target"].as_u64().unwrap(),
                    "target of {i}"
                );
                assert!(
                    (c.prob - f(&rc["prob"])).abs() <= 0.00005 + 1e-9,
                    "prob {i}"
                );
                assert!(
                    (c.gain - f(&rc["gain"])).abs() <= 0.00005 + 1e-9,
                    "gain {i}"
                );
            }
        }
    }
    for b in &t0.bargains {
        let rb = &rt["bargains"][b.initiator.to_string()];
        for k in 0..b.initiator_position.len() {
            assert!((b.initiator_position[k] - f(&rb["initiator"][k])).abs() <= 0.0005 + 1e-9);
            assert!((b.receiver_position[k] - f(&rb["receiver"][k])).abs() <= 0.0005 + 1e-9);
        }
    }
}

/// Largest difference between our position history and KTAB's (printed
/// to 1 decimal), and the number of states in each.
fn history_gap(trace: &SmpRun, r: &serde_json::Value) -> (f64, usize, usize) {
    let rows = r["positions"].as_array().unwrap();
    let n_ref = rows[0].as_array().unwrap().len();
    let kd = trace.states[0][0].len();
    let mut worst: f64 = 0.0;
    for (row, vals) in rows.iter().enumerate() {
        let (i, k) = (row / kd, row % kd);
        for (t, v) in vals.as_array().unwrap().iter().enumerate() {
            if t < trace.states.len() {
                worst = worst.max((trace.states[t][i][k] - f(v)).abs());
            }
        }
    }
    (worst, trace.states.len(), n_ref)
}

/// First turn, full position history, number of states and every turn's
/// challenge targets against a KTAB log.
fn check_against_log(csv: &str, log_json: &str) {
    let p = ktab_csv(&fixture(csv));
    let r = reference(log_json);
    // KTAB groups near-equal positions scanning actors in input order.
    let o = SmpOptions {
        group_in_input_order: true,
        ..defaults()
    };
    let trace = simulate(&p, &o).unwrap();
    compare_first_turn(&trace, &r);
    let (gap, ours, theirs) = history_gap(&trace, &r);
    assert_eq!(ours, theirs, "number of states");
    assert!(
        gap <= 0.05 + 1e-6,
        "position history differs by up to {gap}"
    );
    // Winning probabilities of every state, the final one included.
    for (i, row) in r["win_prob"].as_array().unwrap().iter().enumerate() {
        for (t, want) in row.as_array().unwrap().iter().enumerate() {
            let got = match trace.turns.get(t) {
                Some(turn) => turn.position_prob[i],
                None => trace.final_prob[i],
            };
            assert!(
                (got - f(want)).abs() <= 0.00005 + 1e-9,
                "state {t} actor {i}: win prob {got} vs {want}"
            );
        }
    }
    for (t, rt) in r["turns"].as_array().unwrap().iter().enumerate() {
        for (i, c) in trace.turns[t].challenges.iter().enumerate() {
            let rc = &rt["challenges"][i.to_string()];
            assert_eq!(
                c.as_ref().map(|c| c.target as u64),
                rc["target"].as_u64(),
                "turn {t} actor {i}"
            );
        }
    }
}

/// Published reference log shipped with KTAB (13 actors, 2 dimensions, 27
/// turns of a far-from-smooth trajectory).
#[test]
fn soe_pol_comp_matches_ktab_reference_log() {
    check_against_log("SOE-Pol-Comp.csv", "ref-SOE-Pol-Comp.json");
}

/// Published reference log shipped with KTAB (7 actors, 3 dimensions).
#[test]
fn dummy_3dim_matches_ktab_reference_log() {
    check_against_log("dummyData_3Dim.csv", "ref-dummyData_3Dim.json");
}

/// Logs of KTAB's `smpc` built from source and run on its own inputs
/// (see fixtures/ktab/README.md).
#[test]
fn soe_policy_matches_ktab_run() {
    check_against_log("SOE-Policy.csv", "run-SOE-Policy.json");
}

#[test]
fn soe_competitive_matches_ktab_run() {
    check_against_log("SOE-Competitive.csv", "run-SOE-Competitive.json");
}

#[test]
fn dummy_a080_matches_ktab_run() {
    check_against_log("dummyData-a080.csv", "run-dummyData-a080.json");
}
