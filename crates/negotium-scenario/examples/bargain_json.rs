//! JSON helpers for side-by-side scripts (bench/anac_vs_negmas.sh):
//!
//! * `export DIR` — the domain folder as negotium reads it: issues (value
//!   labels), and per party the normalised weights and value tables, the
//!   reservation value and the discount factor, so a peer can be given the
//!   very same preferences;
//! * `analyse DIR` — the analysis: method, frontier quality, frontier utilities;
//! * `negotiate DIR A,B STEPS SEED REPEAT` — one SAO negotiation (prepared
//!   once, run REPEAT times for timing): agreement (value indices), step,
//!   utilities and the mean seconds per run.
//!
//! `cargo run --release -p negotium-scenario --example bargain_json -- export DIR`

use std::path::Path;
use std::time::Instant;

use negotium_bargain::engine::{negotiate_general, GeneralPrepared};
use negotium_bargain::session::{Protocol, Settings};
use negotium_bargain::StrategySpec;
use negotium_scenario::domains;
use serde_json::json;

fn fail(msg: String) -> ! {
    eprintln!("{msg}");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("export") => {
            let p = domains::load(Path::new(&args[1]), 11).unwrap_or_else(|e| fail(e.to_string()));
            let parties: Vec<_> = p
                .parties
                .iter()
                .map(|q| {
                    let u = q
                        .utility
                        .as_additive()
                        .unwrap_or_else(|| fail(format!("{}: not linear additive", q.name)));
                    json!({"name": q.name, "weights": u.weights, "tables": u.tables,
                           "reservation": q.reservation, "discount": q.discount})
                })
                .collect();
            let issues: Vec<_> = p
                .issues
                .iter()
                .map(|i| json!({"name": i.name, "values": i.labels}))
                .collect();
            println!(
                "{}",
                json!({"name": p.name, "issues": issues, "parties": parties, "notes": p.notes})
            );
        }
        Some("analyse") => {
            let p = domains::load(Path::new(&args[1]), 11).unwrap_or_else(|e| fail(e.to_string()));
            let prep = GeneralPrepared::new(p).unwrap_or_else(|e| fail(e.to_string()));
            let a = &prep.analysis;
            let front: Vec<&Vec<f64>> = a.pareto.iter().map(|x| &x.utilities).collect();
            println!(
                "{}",
                json!({"method": a.method, "quality": a.quality, "frontier": front,
                                   "nash": a.nash.as_ref().map(|x| &x.utilities), "notes": a.notes})
            );
        }
        Some("negotiate") => {
            let p = domains::load(Path::new(&args[1]), 11).unwrap_or_else(|e| fail(e.to_string()));
            let strategies: Vec<StrategySpec> = args[2]
                .split(',')
                .map(|s| {
                    s.parse()
                        .unwrap_or_else(|e: negotium_bargain::BargainError| fail(e.to_string()))
                })
                .collect();
            let steps: u32 = args[3].parse().expect("steps");
            let seed: u64 = args[4].parse().expect("seed");
            let repeat: u32 = args[5].parse().expect("repeat");
            // Per run with the evaluation and presort of the outcomes included
            // (what NegMAS does inside each run), when the space is enumerated.
            let with_space = p
                .to_problem(negotium_bargain::domain::MAX_OUTCOMES)
                .and_then(Result::ok)
                .map(|prob| {
                    let t0 = Instant::now();
                    for _ in 0..repeat {
                        let space = negotium_bargain::Space::new(&prob);
                        let mut st: Vec<_> = strategies.iter().map(|x| x.build()).collect();
                        let _ = negotium_bargain::sao::run_sao(&space, &mut st, steps, seed, false)
                            .unwrap();
                    }
                    t0.elapsed().as_secs_f64() / repeat.max(1) as f64
                });
            let t_prep = Instant::now();
            let prep = GeneralPrepared::new(p).unwrap_or_else(|e| fail(e.to_string()));
            let prep_secs = t_prep.elapsed().as_secs_f64();
            let s = Settings {
                protocol: Protocol::Sao,
                strategies,
                n_steps: steps,
                seed,
                trace: false,
            };
            let r = negotiate_general(&prep, &s).unwrap_or_else(|e| fail(e.to_string()));
            let t0 = Instant::now();
            for _ in 0..repeat {
                let _ = negotiate_general(&prep, &s).unwrap();
            }
            let secs = t0.elapsed().as_secs_f64() / repeat.max(1) as f64;
            println!(
                "{}",
                json!({"agreement": r.agreement_values, "step": r.step, "offers": r.offers,
                                   "utilities": r.utilities, "end": r.end, "seconds": secs,
                                   "seconds_with_space": with_space, "prepare_seconds": prep_secs})
            );
        }
        _ => fail(
            "usage: bargain_json export DIR | analyse DIR | negotiate DIR A,B STEPS SEED REPEAT"
                .into(),
        ),
    }
}
