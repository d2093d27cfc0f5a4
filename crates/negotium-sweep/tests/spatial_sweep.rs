//! The spatial sweep: reproducibility across thread counts and block
//! splits, summaries against naive recomputations, label probabilities,
//! input validation, sensitivity and tornado on a case with a known answer.

mod support;

use negotium_spatial::{Dimension, ModelSpec, Problem, SmpOptions};
use negotium_sweep::spatial::MAX_DRAWS;
use negotium_sweep::{
    merge_blocks, Distribution, Issue, Label, Perturb, SpatialSweep, SweepError, Target,
    UncertainInput,
};

fn pool(t: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(t)
        .build()
        .unwrap()
}

fn small() -> SpatialSweep {
    let (actors, issues) = support::synthetic(6, 2, 11);
    SpatialSweep::perturbed(
        actors,
        issues,
        support::five_models(),
        "position=10,salience=0.2,capability=0.2".parse().unwrap(),
    )
    .unwrap()
}

#[test]
fn draws_are_identical_across_thread_counts_and_block_splits() {
    let s = small();
    let one = pool(1).install(|| s.run_block(42, 0..60).unwrap());
    let four = pool(4).install(|| s.run_block(42, 0..60).unwrap());
    assert_eq!(one, four);
    // Shards [0, 7), [7, 31), [31, 60), computed out of order on different
    // pools, merge into exactly the single run.
    let c = pool(2).install(|| s.run_block(42, 31..60).unwrap());
    let a = pool(3).install(|| s.run_block(42, 0..7).unwrap());
    let b = pool(1).install(|| s.run_block(42, 7..31).unwrap());
    let merged = merge_blocks(vec![c, a, b]).unwrap();
    assert_eq!(merged, one);
    // Bits, not just values (the PartialEq above would accept -0.0 == 0.0).
    for (x, y) in merged.iter().zip(&one) {
        let bits = |v: &[f64]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&x.forecasts), bits(&y.forecasts));
        assert_eq!(bits(&x.inputs), bits(&y.inputs));
    }
    let r1 = pool(1).install(|| s.summarise(42, &one).unwrap());
    let r4 = pool(4).install(|| s.summarise(42, &merged).unwrap());
    assert_eq!(
        serde_json::to_string(&r1).unwrap(),
        serde_json::to_string(&r4).unwrap()
    );
    // Another seed gives other draws.
    assert_ne!(s.run_block(43, 0..5).unwrap(), one[..5]);
    // Gaps and overlaps are refused.
    assert!(merge_blocks(vec![
        s.run_block(42, 0..3).unwrap(),
        s.run_block(42, 4..6).unwrap()
    ])
    .is_err());
    assert!(s.summarise(42, &one[1..]).is_err());
}

#[test]
fn summaries_match_naive_recomputation() {
    let s = small();
    let (draws, report) = s.run(5, 400).unwrap();
    let nm = s.models().len();
    for (j, is) in report.issues.iter().enumerate() {
        for (m, ms) in is.models.iter().enumerate() {
            let mut x: Vec<f64> = draws.iter().map(|d| d.forecasts[j * nm + m]).collect();
            // Naive type 7: sort, then interpolate between order statistics.
            x.sort_by(|a, b| a.partial_cmp(b).unwrap());
            let naive = |p: f64| {
                let h = (x.len() as f64 - 1.0) * p;
                let (f, c) = (h.floor(), h.ceil());
                x[f as usize] + (h - f) * (x[c as usize] - x[f as usize])
            };
            let q = ms.quantiles;
            for (got, p) in [
                (q.p05, 0.05),
                (q.p25, 0.25),
                (q.p50, 0.5),
                (q.p75, 0.75),
                (q.p95, 0.95),
            ] {
                assert!(
                    (got - naive(p)).abs() <= 1e-12 * (1.0 + got.abs()),
                    "{} p{p}",
                    ms.model
                );
            }
            let mean = x.iter().sum::<f64>() / x.len() as f64;
            assert!((ms.mean - mean).abs() < 1e-9);
            let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (x.len() as f64 - 1.0);
            assert!((ms.std - var.sqrt()).abs() < 1e-9);
            assert_eq!((ms.min, ms.max), (x[0], x[x.len() - 1]));
            // Label probabilities: every label listed, sum 1, and each equal
            // to a direct count of the draws nearest to it.
            let labels = &s.issues()[j].labels;
            assert_eq!(ms.label_probabilities.0.len(), labels.len());
            let total: f64 = ms.label_probabilities.0.iter().map(|p| p.1).sum();
            assert!((total - 1.0).abs() < 1e-12, "Σ = {total}");
            for (l, (name, p)) in labels.iter().zip(&ms.label_probabilities.0) {
                assert_eq!(&l.label, name);
                let count = x
                    .iter()
                    .filter(|&&v| {
                        labels.iter().all(|o| {
                            let (d, e) = ((v - l.at).abs(), (v - o.at).abs());
                            d < e || (d == e && l.at <= o.at)
                        })
                    })
                    .count();
                assert_eq!(
                    *p,
                    count as f64 / x.len() as f64,
                    "{} {}",
                    ms.model,
                    l.label
                );
            }
            // The point forecast is the plain model run.
            let f = negotium_spatial::run(&s.issues()[j].problem, &s.models()[m]).unwrap();
            assert_eq!(ms.point, f.forecast[0]);
        }
    }
    // Every sampled input stays inside its range.
    for d in &draws {
        for (v, inp) in d.inputs.iter().zip(s.inputs()) {
            assert!(*v >= inp.lo && *v <= inp.hi);
        }
    }
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["perturb"], "position=10,salience=0.2,capability=0.2");
    assert_eq!(json["draws"], 400);
    assert!(json["issues"][0]["models"][0]["quantiles"]["p95"].is_number());
    assert!(json["issues"][0]["models"][0]["label_probabilities"]["half"].is_number());
}

/// A capability is one input shared by every issue: one draw moves it in
/// all of them at once (checked by re-running the models by hand).
#[test]
fn a_capability_draw_reaches_every_issue() {
    let (actors, issues) = support::synthetic(4, 2, 3);
    let cap0 = issues[0].problem.capability()[0];
    let s = SpatialSweep::new(
        actors,
        issues.clone(),
        vec![ModelSpec::Compromise],
        vec![UncertainInput::new(
            "a0",
            Target::Capability { actor: 0 },
            cap0,
            (0.0, 500.0),
            Distribution::Uniform,
        )
        .unwrap()],
    )
    .unwrap();
    let d = s.draw(9, 3).unwrap();
    for (j, is) in issues.iter().enumerate() {
        let p = &is.problem;
        let mut c = p.capability().to_vec();
        c[0] = d.inputs[0];
        let q = Problem::new(
            p.actors().to_vec(),
            c,
            p.dims().to_vec(),
            p.position().to_vec(),
            p.salience().to_vec(),
        )
        .unwrap();
        let f = negotium_spatial::run(&q, &ModelSpec::Compromise).unwrap();
        assert_eq!(d.forecasts[j], f.forecast[0]);
    }
}

/// Two actors at 0 and 100, only the first one's position uncertain,
/// uniform on [0, 40], median with equal weight → the lower median is the
/// first actor's position: the forecast is exactly that input, so its
/// quantiles are the uniform's (up to sampling error) and the tornado swing
/// is 40; for the compromise (equal weights: the midpoint) the swing is 20.
/// Sobol: the one input explains everything (S = ST = 1; the estimators
/// are not exact for one input, their standard error at n = 4096 is about
/// 0.015, so the tolerance 0.05 is over 3 standard errors).
#[test]
fn known_answer_case() {
    let p = Problem::new(
        vec!["a".into(), "b".into()],
        vec![1.0, 1.0],
        vec![Dimension {
            name: "x".into(),
            min: 0.0,
            max: 100.0,
        }],
        vec![vec![20.0], vec![100.0]],
        vec![vec![0.5], vec![0.5]],
    )
    .unwrap();
    let issue = Issue {
        id: "x".into(),
        problem: p,
        actors: vec![0, 1],
        labels: vec![
            Label {
                at: 0.0,
                label: "low".into(),
            },
            Label {
                at: 100.0,
                label: "high".into(),
            },
        ],
    };
    let s = SpatialSweep::new(
        vec!["a".into(), "b".into()],
        vec![issue],
        vec![ModelSpec::Median, ModelSpec::Compromise],
        vec![UncertainInput::new(
            "a.position",
            Target::Position { actor: 0, issue: 0 },
            20.0,
            (0.0, 40.0),
            Distribution::Uniform,
        )
        .unwrap()],
    )
    .unwrap();
    let (draws, r) = s.run(1, 20_000).unwrap();
    let med = &r.issues[0].models[0];
    // Uniform(0, 40) quantiles; the sampling sd of a quantile here is below
    // 0.2, so 0.6 is 3 sd.
    for (got, want) in [
        (med.quantiles.p05, 2.0),
        (med.quantiles.p50, 20.0),
        (med.quantiles.p95, 38.0),
    ] {
        assert!((got - want).abs() < 0.6, "{got} vs {want}");
    }
    assert!(draws.iter().all(|d| d.forecasts[0] == d.inputs[0]));
    // Every median forecast is ≤ 40 < 50: nearest label always "low".
    assert_eq!(
        med.label_probabilities.0,
        vec![("low".into(), 1.0), ("high".into(), 0.0)]
    );
    let comp = &r.issues[0].models[1];
    // Compromise = (x + 100)/2 ∈ [50, 70]: "high", except exactly 50
    // (x = 0) which ties and goes low.
    assert!(comp.label_probabilities.0[1].1 > 0.999);

    let t = s.tornado().unwrap();
    assert_eq!(t[0].models[0].rows[0].swing, 40.0);
    assert_eq!(t[0].models[1].rows[0].swing, 20.0);
    assert_eq!(t[0].models[0].base, 20.0);

    let sens = s
        .sensitivity(&negotium_sweep::SobolOptions {
            n: 4096,
            bootstrap: 100,
            level: 0.9,
            seed: 3,
        })
        .unwrap();
    for m in &sens.issues[0].models {
        let ix = m.indices[0].index;
        assert!(
            (ix.first - 1.0).abs() < 0.05 && (ix.total - 1.0).abs() < 0.05,
            "{} {ix:?}",
            m.model
        );
    }
    assert_eq!(sens.evaluations, 4096 * 3 * 2);
}

#[test]
fn bad_setups_are_refused() {
    let (actors, issues) = support::synthetic(3, 1, 1);
    let models = vec![ModelSpec::Median];
    // No uncertainty: refused, naming the way out.
    let e = SpatialSweep::new(actors.clone(), issues.clone(), models.clone(), vec![]).unwrap_err();
    assert!(matches!(e, SweepError::NoUncertainty));
    assert!(e
        .to_string()
        .contains("--perturb position=10,salience=0.2,capability=0.2"));
    let x = issues[0].problem.position()[0][0];
    let inp = |t, lo, hi| UncertainInput::new("t", t, x, (lo, hi), Distribution::Uniform);
    // A position range leaving the scale.
    let r = SpatialSweep::new(
        actors.clone(),
        issues.clone(),
        models.clone(),
        vec![inp(Target::Position { actor: 0, issue: 0 }, x - 200.0, x + 1.0).unwrap()],
    );
    assert!(matches!(r, Err(SweepError::Input(_))), "{r:?}");
    // Unknown issue, duplicate target, duplicate model.
    let ok = inp(Target::Position { actor: 0, issue: 0 }, x - 0.5, x + 0.5)
        .unwrap_or_else(|_| inp(Target::Position { actor: 0, issue: 0 }, x, x + 0.5).unwrap());
    let r = SpatialSweep::new(
        actors.clone(),
        issues.clone(),
        models.clone(),
        vec![UncertainInput {
            target: Target::Salience { actor: 0, issue: 5 },
            ..ok.clone()
        }],
    );
    assert!(
        matches!(r, Err(SweepError::Target { index: 0, .. })),
        "{r:?}"
    );
    let r = SpatialSweep::new(
        actors.clone(),
        issues.clone(),
        models.clone(),
        vec![ok.clone(), ok.clone()],
    );
    assert!(
        matches!(r, Err(SweepError::Target { index: 1, .. })),
        "{r:?}"
    );
    let r = SpatialSweep::new(
        actors.clone(),
        issues.clone(),
        vec![ModelSpec::Median, ModelSpec::Median],
        vec![ok.clone()],
    );
    assert!(matches!(r, Err(SweepError::DuplicateModel(_))));
    // Size limit checked before any work.
    let s = SpatialSweep::new(actors, issues, models, vec![ok]).unwrap();
    assert!(matches!(
        s.run_block(0, 0..MAX_DRAWS + 1),
        Err(SweepError::TooLarge { .. })
    ));
}

/// Stochastic SMP runs get a per-draw seed from the draw's stream (so they
/// differ between draws yet repeat exactly); deterministic ones ignore it.
#[test]
fn stochastic_smp_seeds_come_from_the_draw() {
    let (actors, issues) = support::synthetic(5, 1, 2);
    let o = SmpOptions {
        transitions: negotium_spatial::smp::StateTransitions::Stochastic,
        ..SmpOptions::default()
    };
    let s = SpatialSweep::perturbed(
        actors,
        issues,
        vec![ModelSpec::Smp(o)],
        Perturb {
            position: Some(1.0),
            ..Default::default()
        },
    )
    .unwrap();
    let a = s.run_block(1, 0..8).unwrap();
    let b = pool(3).install(|| s.run_block(1, 0..8).unwrap());
    assert_eq!(a, b);
}

/// kosovo-status through negotium-scenario, as the CLI will build it:
/// 18 actors, 6 issues, every model; the perturbation is stated.
#[test]
fn kosovo_sweep_runs_and_is_reproducible() {
    let (actors, issues) = support::scenario_issues("kosovo-status");
    assert_eq!((actors.len(), issues.len()), (18, 6));
    let s = SpatialSweep::perturbed(
        actors,
        issues,
        support::five_models(),
        "position=10,salience=0.2,capability=0.2".parse().unwrap(),
    )
    .unwrap();
    let a = pool(1).install(|| s.run_block(2007, 0..24).unwrap());
    let b = pool(2).install(|| {
        merge_blocks(vec![
            s.run_block(2007, 12..24).unwrap(),
            s.run_block(2007, 0..12).unwrap(),
        ])
        .unwrap()
    });
    assert_eq!(a, b);
    let r = s.summarise(2007, &a).unwrap();
    assert_eq!(r.issues.len(), 6);
    assert!(r.issues.iter().all(|i| i.models.len() == 5));
    for i in &r.issues {
        for m in &i.models {
            let t: f64 = m.label_probabilities.0.iter().map(|p| p.1).sum();
            assert!((t - 1.0).abs() < 1e-12);
        }
    }
}

/// The tidy tables hold every draw: one forecast row per draw, issue and
/// model, one input row per draw and input, values as drawn.
#[test]
fn tidy_tables_hold_every_draw() {
    use negotium_tabular::Column;
    let s = small();
    let draws = s.run_block(8, 0..10).unwrap();
    let f = negotium_sweep::table::forecasts(&s, &draws).unwrap();
    let (ni, nm) = (s.issues().len(), s.models().len());
    assert_eq!(f.n_rows(), 10 * ni * nm);
    assert_eq!(
        f.names(),
        ["draw", "issue", "model", "forecast", "nearest_label"]
    );
    let Some(Column::F64(x)) = f.column("forecast") else {
        panic!()
    };
    let Some(Column::Str(model)) = f.column("model") else {
        panic!()
    };
    let Some(Column::Str(label)) = f.column("nearest_label") else {
        panic!()
    };
    let row = (3 * ni + 1) * nm + 4; // draw 3, issue 1, model 4
    assert_eq!(x[row], draws[3].forecasts[nm + 4]);
    assert_eq!(model[row], "smp");
    assert_eq!(Some(label[row].as_str()), s.nearest_label(1, x[row]));
    let t = negotium_sweep::table::inputs(&s, &draws).unwrap();
    assert_eq!(t.n_rows(), 10 * s.inputs().len());
    let Some(Column::F64(v)) = t.column("value") else {
        panic!()
    };
    assert_eq!(v[2 * s.inputs().len() + 5], draws[2].inputs[5]);
}
