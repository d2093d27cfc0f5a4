//! Times a spatial sweep: kosovo-status (default) or synthetic actors, all
//! five spatial models on every issue, with the stated perturbation
//! position=10,salience=0.2,capability=0.2; optionally writes the tidy
//! tables (CSV + Parquet) and the summary JSON.
//!
//! cargo run --release -p negotium-sweep --example sweep_timing -- \
//!     [--draws N] [--seed S] [--threads T] [--actors N] [--issues K] \
//!     [--models median,compromise,nash,eum,smp] [--out DIR] [--tornado] [--sobol N]

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Instant;

// The allocator the `negotium` binary uses, so the figures match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use negotium_sweep::SpatialSweep;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut draws, mut seed, mut threads) = (10_000u64, 2007u64, 0usize);
    let (mut actors, mut issues) = (0usize, 6usize);
    let mut models: Option<String> = None;
    let mut out: Option<String> = None;
    let (mut tornado, mut sobol) = (false, 0usize);
    while let Some(a) = args.next() {
        let mut v = || args.next().expect("missing value");
        match a.as_str() {
            "--draws" => draws = v().parse().expect("--draws N"),
            "--seed" => seed = v().parse().expect("--seed S"),
            "--threads" => threads = v().parse().expect("--threads T"),
            "--actors" => actors = v().parse().expect("--actors N"),
            "--issues" => issues = v().parse().expect("--issues K"),
            "--models" => models = Some(v()),
            "--out" => out = Some(v()),
            "--tornado" => tornado = true,
            "--sobol" => sobol = v().parse().expect("--sobol N"),
            other => panic!("unknown argument {other}"),
        }
    }
    let (names, iss, label) = if actors == 0 {
        let (n, i) = support::scenario_issues("kosovo-status");
        (n, i, "kosovo-status".to_string())
    } else {
        let (n, i) = support::synthetic(actors, issues, 1);
        (n, i, format!("synthetic {actors} actors × {issues} issues"))
    };
    let mut specs = support::five_models();
    if let Some(m) = &models {
        specs.retain(|s| m.split(',').any(|x| x == s.name()));
    }
    let sweep = SpatialSweep::perturbed(
        names,
        iss,
        specs,
        "position=10,salience=0.2,capability=0.2".parse().unwrap(),
    )
    .expect("sweep");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let t0 = Instant::now();
    let d = pool
        .install(|| sweep.run_block(seed, 0..draws))
        .expect("draws");
    let secs = t0.elapsed().as_secs_f64();
    let mut report = sweep.summarise(seed, &d).expect("summary");
    if tornado {
        let t1 = Instant::now();
        report.tornado = Some(pool.install(|| sweep.tornado()).expect("tornado"));
        println!("tornado: {:.2} s", t1.elapsed().as_secs_f64());
    }
    if sobol > 0 {
        let t1 = Instant::now();
        let opts = negotium_sweep::SobolOptions {
            n: sobol,
            seed,
            ..Default::default()
        };
        let s = pool
            .install(|| sweep.sensitivity(&opts))
            .expect("sensitivity");
        println!(
            "sensitivity: n = {sobol}, {} model runs, {:.2} s",
            s.evaluations,
            t1.elapsed().as_secs_f64()
        );
        report.sensitivity = Some(s);
    }
    println!(
        "{label}: {draws} draws, {} inputs, models {:?}, {} threads: {secs:.3} s, {:.1} µs per draw ({:.1} µs of CPU per draw)",
        sweep.inputs().len(),
        sweep.models().iter().map(|m| m.name()).collect::<Vec<_>>(),
        pool.current_num_threads(),
        secs / draws as f64 * 1e6,
        secs * pool.current_num_threads() as f64 / draws as f64 * 1e6,
    );
    if let Some(dir) = out {
        let dir = std::path::Path::new(&dir);
        std::fs::create_dir_all(dir).unwrap();
        let t1 = Instant::now();
        let mut files = negotium_sweep::table::forecasts(&sweep, &d)
            .unwrap()
            .write_files(dir, "forecasts")
            .unwrap();
        files.extend(
            negotium_sweep::table::inputs(&sweep, &d)
                .unwrap()
                .write_files(dir, "inputs")
                .unwrap(),
        );
        let json = dir.join("summary.json");
        std::fs::write(&json, serde_json::to_string_pretty(&report).unwrap()).unwrap();
        files.push(json);
        println!("wrote {files:?} in {:.2} s", t1.elapsed().as_secs_f64());
    }
}
