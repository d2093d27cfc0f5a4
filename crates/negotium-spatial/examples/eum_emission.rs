//! Runs the expected-utility model (default options = Scholz's Table 2
//! choices) on BDM's (1994) emission-standards case, or on a CSV in the
//! jmckib/bdm-scholz-expected-utility-model format
//! (`Actor,Capability,Position,Salience`, salience in [0, 1]), N times, and
//! prints the medians and means per round and the time per run.
//!
//! Usage: `cargo run --release -p negotium-spatial --example eum_emission -- [N] [ROUNDS] [CSV]`

use std::time::Instant;

use negotium_spatial::{run, Dimension, EumOptions, ModelSpec, Problem};

/// BDM (1994), Scholz, Calbert & Smith (2011) Table 1: actor, capability,
/// position (years of delay), salience (0–1).
const DATA: [(&str, f64, f64, f64); 10] = [
    ("Netherlands", 0.08, 4.0, 0.8),
    ("Belgium", 0.08, 7.0, 0.4),
    ("Luxembourg", 0.03, 4.0, 0.2),
    ("Germany", 0.16, 4.0, 0.8),
    ("France", 0.16, 10.0, 0.6),
    ("Italy", 0.16, 10.0, 0.6),
    ("UK", 0.16, 10.0, 0.9),
    ("Ireland", 0.05, 7.0, 0.1),
    ("Denmark", 0.05, 4.0, 1.0),
    ("Greece", 0.08, 7.0, 0.7),
];

type Row = (String, f64, f64, f64);

fn read_csv(path: &str) -> Result<Vec<Row>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<String> = lines
        .next()
        .ok_or(format!("{path}: empty file"))?
        .split(',')
        .map(|h| h.trim().to_string())
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or(format!("{path}: no column `{name}`"))
    };
    let (a, c, p, s) = (
        col("Actor")?,
        col("Capability")?,
        col("Position")?,
        col("Salience")?,
    );
    lines
        .enumerate()
        .map(|(i, l)| {
            let f: Vec<&str> = l.split(',').map(str::trim).collect();
            let num = |k: usize| {
                f.get(k).and_then(|v| v.parse::<f64>().ok()).ok_or(format!(
                    "{path}: line {}: bad number in column {}",
                    i + 2,
                    k + 1
                ))
            };
            Ok((f[a].to_string(), num(c)?, num(p)?, num(s)?))
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let rounds: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let rows: Vec<Row> = match args.get(2) {
        Some(path) => read_csv(path).unwrap_or_else(|e| {
            eprintln!("error: {e}");
            std::process::exit(2)
        }),
        None => DATA
            .iter()
            .map(|d| (d.0.to_string(), d.1, d.2, d.3))
            .collect(),
    };
    let lo = rows.iter().map(|r| r.2).fold(f64::INFINITY, f64::min);
    let hi = rows.iter().map(|r| r.2).fold(f64::NEG_INFINITY, f64::max);
    let problem = Problem::new(
        rows.iter().map(|r| r.0.clone()).collect(),
        rows.iter().map(|r| r.1).collect(),
        vec![Dimension {
            name: "issue".into(),
            min: lo.min(0.0),
            max: hi.max(lo + 1.0),
        }],
        rows.iter().map(|r| vec![r.2]).collect(),
        rows.iter().map(|r| vec![r.3]).collect(),
    )
    .unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(2)
    });
    let spec = ModelSpec::Eum(EumOptions {
        rounds,
        ..EumOptions::default()
    });
    let f = run(&problem, &spec).expect("model runs");
    println!(
        "round  0: median {:.6}  mean {:.6}",
        f.initial.median[0], f.initial.mean[0]
    );
    for r in &f.rounds {
        println!(
            "round {:2}: median {:.6}  mean {:.6}",
            r.round, r.stats.median[0], r.stats.mean[0]
        );
    }
    let start = Instant::now();
    let mut sink = 0.0;
    for _ in 0..n {
        let f = run(&problem, &spec).expect("model runs");
        sink += f.forecast[0];
    }
    let per = start.elapsed().as_secs_f64() / n as f64;
    println!("runs: {n}  rounds: {rounds}  checksum: {sink:.3}");
    println!("seconds per run: {per:.9}");
}
