//! The expected-utility model against a deliberately naive transcription of
//! Scholz, Calbert & Smith's (2011) equations written in this test (triple
//! loops, no caching, median found by pairwise Condorcet votes), for every
//! option, on seeded random problems. It checks the crate's optimised
//! evaluation (sorted all-pairs denominator, shared utilities, lane sums)
//! and every option branch, not only the defaults that the emission case
//! pins down.

use negotium_spatial::eum::{
    Capitulation, OfferChoice, Perspective, ProbDenominator, RangeRule, Security, TRule, VoterRisk,
};
use negotium_spatial::{run, Dimension, EumOptions, ModelSpec, Problem};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

struct Naive<'a> {
    o: &'a EumOptions,
    c: Vec<f64>,
    s: Vec<f64>,
}

impl Naive<'_> {
    /// Condorcet winner among the positions: beats or ties every other in
    /// weighted pairwise votes; the lowest such position.
    fn condorcet(&self, x: &[f64]) -> f64 {
        let mut cands: Vec<f64> = x.to_vec();
        cands.sort_by(f64::total_cmp);
        for &p in &cands {
            let beats_all = cands.iter().all(|&q| {
                let v: f64 = (0..x.len())
                    .map(|k| self.c[k] * self.s[k] * ((x[k] - q).abs() - (x[k] - p).abs()))
                    .sum();
                v >= -1e-12
            });
            if beats_all {
                return p;
            }
        }
        unreachable!("a 1-D weighted majority always has a Condorcet winner")
    }

    fn vote(&self, x: &[f64], k: usize, a: f64, b: f64, rk: f64, big_r: f64) -> f64 {
        // Voter k's support for a over b.
        self.c[k]
            * self.s[k]
            * (((x[k] - b).abs() / big_r).powf(rk) - ((x[k] - a).abs() / big_r).powf(rk))
    }

    fn prob(&self, x: &[f64], i: usize, j: usize, r: &[f64], big_r: f64) -> f64 {
        if (x[i] - x[j]).abs() <= 1e-12 * big_r {
            return 0.0;
        }
        let n = x.len();
        let rk = |k: usize| match self.o.voter_risk {
            VoterRisk::Own => r[k],
            VoterRisk::Neutral => 1.0,
        };
        let mut num = 0.0;
        for k in 0..n {
            num += self.vote(x, k, x[i], x[j], rk(k), big_r).max(0.0);
        }
        let mut den = 0.0;
        match self.o.probability {
            ProbDenominator::AllPairs => {
                for k in 0..n {
                    for a in 0..n {
                        for b in 0..n {
                            den += self.vote(x, k, x[a], x[b], rk(k), big_r).abs();
                        }
                    }
                }
            }
            ProbDenominator::Pairwise => {
                for k in 0..n {
                    den += self.vote(x, k, x[i], x[j], rk(k), big_r).abs();
                }
            }
        }
        if den > 0.0 {
            num / den
        } else {
            0.5
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn eu(&self, x: &[f64], i: usize, j: usize, e: f64, r: &[f64], mu: f64, big_r: f64) -> f64 {
        let q = self.o.q;
        let d = (x[i] - x[j]).abs() / big_r;
        let dm = (x[i] - mu).abs() / big_r;
        let u = |b: f64| 2.0 - 4.0 * b.max(0.0).powf(e);
        let (us, uf, usq) = (u(0.5 - 0.5 * d), u(0.5 + 0.5 * d), u(0.5));
        let (ub, uw) = (u(0.5 - 0.25 * (dm + d)), u(0.5 + 0.25 * (dm + d)));
        let t = match self.o.t_rule {
            TRule::Better => 1.0,
            TRule::Worse => 0.0,
            TRule::Distance => f64::from((x[i] - mu).abs() < (x[i] - x[j]).abs()),
        };
        let p = self.prob(x, i, j, r, big_r);
        self.s[j] * (p * us + (1.0 - p) * uf) + (1.0 - self.s[j]) * us
            - q * usq
            - (1.0 - q) * (t * ub + (1.0 - t) * uw)
    }

    /// One round: returns the new positions and exponents.
    fn round(&self, x: &[f64], r_prev: &[f64], big_r: f64) -> (Vec<f64>, Vec<f64>) {
        let n = x.len();
        let mu = self.condorcet(x);
        let ones = vec![1.0; n];
        let r_sec: &[f64] = match self.o.security {
            Security::ResetRisk => &ones,
            _ => r_prev,
        };
        let sec: Vec<f64> = (0..n)
            .map(|i| {
                (0..n)
                    .filter(|&j| j != i)
                    .map(|j| {
                        let e = match self.o.security {
                            Security::ResetRisk => 1.0,
                            Security::TargetPerspective => r_prev[i],
                            Security::ChallengerPerspective => r_prev[j],
                        };
                        self.eu(x, j, i, e, r_sec, mu, big_r)
                    })
                    .sum()
            })
            .collect();
        let (mx, mn) = sec
            .iter()
            .fold((f64::MIN, f64::MAX), |(a, b), &v| (a.max(v), b.min(v)));
        let r: Vec<f64> = sec
            .iter()
            .map(|&v| {
                let big = if mx > mn {
                    (2.0 * v - mx - mn) / (mx - mn)
                } else {
                    0.0
                };
                (1.0 - big / 3.0) / (1.0 + big / 3.0)
            })
            .collect();
        let mut next = x.to_vec();
        for i in 0..n {
            // (category, key, position)
            let mut offers: Vec<(usize, f64, f64)> = Vec::new();
            for j in 0..n {
                if (x[i] - x[j]).abs() <= 1e-12 * big_r {
                    continue;
                }
                let ej = match self.o.perspective {
                    Perspective::Perceiver => r[i],
                    Perspective::Own => r[j],
                };
                let a = self.eu(x, i, j, r[i], &r, mu, big_r);
                let b = self.eu(x, j, i, ej, &r, mu, big_r);
                if b > a && a > 0.0 {
                    offers.push((0, (x[j] - x[i]).abs(), x[j]));
                } else if b > 0.0 && a < 0.0 && b > -a {
                    let pos = x[i] + (x[j] - x[i]) * (a / b).abs();
                    let key = match self.o.offer_choice {
                        OfferChoice::ScholzCode => {
                            (a.abs() * x[i] + b.abs() * x[j]) / (a.abs() + b.abs())
                        }
                        OfferChoice::LeastMovement => (pos - x[i]).abs(),
                    };
                    offers.push((1, key, pos));
                } else if b > 0.0 && a < 0.0 && self.o.capitulation == Capitulation::WhenOutweighed
                {
                    offers.push((2, (x[j] - x[i]).abs(), x[j]));
                }
            }
            offers.sort_by(|p, q| {
                p.0.cmp(&q.0)
                    .then(p.1.total_cmp(&q.1))
                    .then(p.2.total_cmp(&q.2))
            });
            if let Some(o) = offers.first() {
                next[i] = o.2;
            }
        }
        (next, r)
    }
}

fn random_problem(rng: &mut ChaCha8Rng) -> Problem {
    let n = rng.random_range(3..8);
    Problem::new(
        (0..n).map(|i| format!("a{i}")).collect(),
        (0..n).map(|_| rng.random_range(0.1..5.0)).collect(),
        vec![Dimension {
            name: "d".into(),
            min: 0.0,
            max: 100.0,
        }],
        // Positions on a coarse grid so that several actors share one.
        (0..n)
            .map(|_| vec![f64::from(rng.random_range(0..=20u8)) * 5.0])
            .collect(),
        (0..n).map(|_| vec![rng.random_range(0.05..1.0)]).collect(),
    )
    .unwrap()
}

fn option_sets() -> Vec<EumOptions> {
    let mut v = vec![EumOptions::default()];
    let alt = [
        EumOptions {
            probability: ProbDenominator::Pairwise,
            ..Default::default()
        },
        EumOptions {
            q: 0.5,
            t_rule: TRule::Distance,
            ..Default::default()
        },
        EumOptions {
            q: 0.3,
            t_rule: TRule::Worse,
            voter_risk: VoterRisk::Neutral,
            ..Default::default()
        },
        EumOptions {
            perspective: Perspective::Own,
            capitulation: Capitulation::WhenOutweighed,
            ..Default::default()
        },
        EumOptions {
            security: Security::TargetPerspective,
            offer_choice: OfferChoice::LeastMovement,
            ..Default::default()
        },
        EumOptions {
            security: Security::ChallengerPerspective,
            range: RangeRule::CurrentPositions,
            q: 0.8,
            t_rule: TRule::Better,
            ..Default::default()
        },
        EumOptions {
            range: RangeRule::Scale,
            probability: ProbDenominator::Pairwise,
            perspective: Perspective::Own,
            ..Default::default()
        },
    ];
    v.extend(alt);
    v
}

#[test]
fn matches_naive_transcription_for_every_option() {
    let mut rng = ChaCha8Rng::seed_from_u64(2011);
    let rounds = 4;
    // Moves seen per option set, so that no option set passes vacuously.
    let mut moves = vec![0usize; option_sets().len()];
    for case in 0..25 {
        let p = random_problem(&mut rng);
        let x0: Vec<f64> = p.position().iter().map(|v| v[0]).collect();
        for (set, o) in option_sets().into_iter().enumerate() {
            let o = EumOptions { rounds, ..o };
            let naive = Naive {
                o: &o,
                c: p.capability().to_vec(),
                s: p.salience().iter().map(|v| v[0]).collect(),
            };
            let f = run(&p, &ModelSpec::Eum(o.clone())).unwrap();
            let mut x = x0.clone();
            let mut r = vec![1.0; x.len()];
            let span = |x: &[f64]| {
                x.iter().cloned().fold(f64::MIN, f64::max)
                    - x.iter().cloned().fold(f64::MAX, f64::min)
            };
            for t in 0..rounds {
                let big_r = match o.range {
                    RangeRule::InitialPositions => span(&x0),
                    RangeRule::CurrentPositions => span(&x),
                    RangeRule::Scale => 100.0,
                };
                if span(&x) > 0.0 && big_r > 0.0 {
                    let (nx, nr) = naive.round(&x, &r, big_r);
                    moves[set] += nx.iter().zip(&x).filter(|(a, b)| a != b).count();
                    (x, r) = (nx, nr);
                }
                let got: Vec<f64> = f.rounds[t].positions.iter().map(|v| v[0]).collect();
                for (a, b) in got.iter().zip(&x) {
                    assert!(
                        (a - b).abs() < 1e-9,
                        "case {case}, round {}, {o:?}:\n crate {got:?}\n naive {x:?}",
                        t + 1
                    );
                }
            }
        }
    }
    eprintln!("moves per option set: {moves:?}");
    assert!(moves.iter().all(|&m| m >= 10), "{moves:?}");
}
