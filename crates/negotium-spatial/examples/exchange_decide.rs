//! Runs negotium's exchange model on an input file in decide-exchange-model's
//! layout (`#A` actor, `#P` issue, `#M` issue bound, `#D` actor issue
//! position salience power; fields quoted with `'`, separated by tabs,
//! semicolons or commas) and prints the same JSON trace as
//! bench/exchange_decide_driver.py, for bench/exchange_vs_decide.sh.
//!
//! Usage: cargo run --release -p negotium-spatial --example exchange_decide -- FILE [ROUNDS] [RUNS]
//!
//! An actor without a `#D` row on an issue gets salience 0 there (it then
//! neither weighs in the outcome nor trades on that issue). Capability is
//! the actor's `#D` power, which must be the same on every issue.

use std::collections::BTreeMap;
use std::time::Instant;

use negotium_spatial::exchange::simulate;
use negotium_spatial::{Dimension, ExchangeOptions, Problem};

fn fields(line: &str) -> Vec<String> {
    let sep = if line.contains('\t') {
        '\t'
    } else if line.contains(';') {
        ';'
    } else {
        ','
    };
    line.split(sep)
        .map(|f| f.trim().trim_matches('\'').trim_matches('"').to_string())
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 {
        eprintln!("usage: exchange_decide FILE [ROUNDS] [RUNS]");
        std::process::exit(2);
    }
    let rounds: usize = args.get(2).map_or(10, |s| s.parse().expect("ROUNDS"));
    let runs: usize = args.get(3).map_or(100, |s| s.parse().expect("RUNS"));
    let text = std::fs::read_to_string(&args[1]).expect("readable input file");
    let mut actors: Vec<String> = Vec::new();
    let mut issues: Vec<String> = Vec::new();
    let mut bounds: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let mut data: BTreeMap<(String, String), (f64, f64, f64)> = BTreeMap::new();
    for (no, line) in text.lines().enumerate() {
        let f = fields(line);
        let num = |k: usize| -> f64 {
            f.get(k)
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("line {}: field {} is not a number", no + 1, k + 1))
        };
        match f.first().map(String::as_str) {
            Some("#A") if !actors.contains(&f[1]) => actors.push(f[1].clone()),
            Some("#P") if !issues.contains(&f[1]) => issues.push(f[1].clone()),
            Some("#M") => {
                let v = num(2);
                let b = bounds.entry(f[1].clone()).or_insert((v, v));
                b.0 = b.0.min(v);
                b.1 = b.1.max(v);
            }
            Some("#D") => {
                data.insert((f[1].clone(), f[2].clone()), (num(3), num(4), num(5)));
            }
            _ => {}
        }
    }
    let dims: Vec<Dimension> = issues
        .iter()
        .map(|i| {
            let (lo, hi) = bounds.get(i).copied().unwrap_or((0.0, 100.0));
            Dimension {
                name: i.clone(),
                min: lo,
                max: hi,
            }
        })
        .collect();
    let mut cap = Vec::new();
    let mut pos = Vec::new();
    let mut sal = Vec::new();
    for a in &actors {
        let mut c = None;
        let mut xs = Vec::new();
        let mut ss = Vec::new();
        for d in &dims {
            match data.get(&(a.clone(), d.name.clone())) {
                Some(&(x, s, p)) => {
                    if let Some(c0) = c {
                        assert!(c0 == p, "actor {a}: power differs between issues");
                    }
                    c = Some(p);
                    xs.push(x);
                    ss.push(s);
                }
                None => {
                    xs.push(d.min);
                    ss.push(0.0);
                }
            }
        }
        cap.push(c.unwrap_or(0.0));
        pos.push(xs);
        sal.push(ss);
    }
    let problem = Problem::new(actors.clone(), cap, dims.clone(), pos, sal).expect("valid problem");
    let o = ExchangeOptions {
        rounds,
        ..Default::default()
    };
    let run = simulate(&problem, &o).expect("model runs");
    let t0 = Instant::now();
    for _ in 0..runs {
        std::hint::black_box(simulate(&problem, &o).expect("model runs"));
    }
    let per_run = t0.elapsed().as_secs_f64() / runs.max(1) as f64;
    let norm = |d: &str, v: f64| {
        let dim = dims.iter().find(|x| x.name == d).expect("dimension");
        (v - dim.min) / (dim.max - dim.min) * 100.0
    };
    let mut out_rounds = Vec::new();
    for r in &run.rounds {
        let ex: Vec<serde_json::Value> = r
            .exchanges
            .iter()
            .map(|e| {
                let side = |s: &negotium_spatial::exchange::ExchangeSide| {
                    serde_json::json!({
                        "actor": s.actor, "gives": s.gives, "takes": s.takes,
                        "from": norm(&s.gives, s.from), "to": norm(&s.gives, s.to),
                    })
                };
                serde_json::json!({"gain": e.gain, "sides": [side(&e.sides[0]), side(&e.sides[1])]})
            })
            .collect();
        let vo: BTreeMap<String, f64> = dims
            .iter()
            .zip(&r.voting_outcome)
            .map(|(d, &v)| (d.name.clone(), norm(&d.name, v)))
            .collect();
        out_rounds.push(serde_json::json!({"exchanges": ex, "voting_outcome": vo}));
    }
    let last = run.rounds.last().expect("a round");
    let mut final_pos: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for (k, d) in dims.iter().enumerate() {
        let col = final_pos.entry(d.name.clone()).or_default();
        for (a, name) in actors.iter().enumerate() {
            if data.contains_key(&(name.clone(), d.name.clone())) {
                col.insert(name.clone(), norm(&d.name, last.next[a][k]));
            }
        }
    }
    println!(
        "{}",
        serde_json::json!({"rounds": out_rounds, "final": final_pos, "seconds_per_run": per_run})
    );
}
