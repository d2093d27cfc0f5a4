//! End-to-end demo of the backtest engine (the CLI's `negotium backtest` is
//! wired by the binary): reads a DEU-layout CSV, or makes a synthetic one,
//! runs the six spatial models and prints the per-model table, or JSON.
//!
//! Usage:
//!   cargo run --release -p negotium-backtest --example deu_backtest -- FILE [CAP] [--json]
//!   cargo run --release -p negotium-backtest --example deu_backtest -- --synthetic ISSUES SEED [CAP]
//! CAP is `equal` (default), `shapley-shubik`, or a capability file.
//! The synthetic file has the DEU III columns (Commission, Parliament, the
//! EU-28 members), random positions/saliences, ~10 % missing cells, four
//! issues per proposal, adoption dates spread over 1999–2019 and an outcome
//! drawn near the c·s-weighted mean: it measures speed, not accuracy.

use std::time::Instant;

use negotium_backtest::{
    cases_from_deu, read_capability_file, run, Capability, CouncilWeighting, ModelRun,
};
use negotium_scenario::deu::{read_path, read_str};
use negotium_spatial::{EumOptions, ExchangeOptions, ModelSpec, NashOptions, SmpOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const ACTORS: [&str; 30] = [
    "com", "ep", "at", "be", "bu", "cr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "el", "hu",
    "ie", "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "si", "sk", "es", "se", "uk",
];

fn synthetic(issues: usize, seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut s = String::from("prnr;isnr;finact");
    for a in ACTORS {
        s.push_str(&format!(";p{a}"));
    }
    for a in ACTORS {
        s.push_str(&format!(";s{a}"));
    }
    s.push_str(";rp;out\n");
    let mut date = (1999, 1);
    for k in 0..issues {
        if k % 4 == 0 {
            date = (rng.random_range(1999..=2019), rng.random_range(1..=12));
        }
        let eu15 = [
            "com", "ep", "at", "be", "dk", "fi", "fr", "de", "el", "ie", "it", "lu", "nl", "pt",
            "es", "se", "uk",
        ];
        let ym = date.0 * 100 + date.1;
        let present = |a: &str| match a {
            _ if ym < 200405 => eu15.contains(&a),
            "ro" | "bu" => ym >= 200701,
            "cr" => ym >= 201307,
            _ => true,
        };
        let mut pos = Vec::new();
        let mut sal = Vec::new();
        for a in ACTORS {
            if present(a) && rng.random::<f64>() > 0.1 {
                pos.push(Some(rng.random_range(0..=100) as f64));
                sal.push(Some(rng.random_range(10..=100) as f64));
            } else {
                pos.push(None);
                sal.push(None);
            }
        }
        let (mut num, mut den) = (0.0, 0.0);
        for (p, q) in pos.iter().zip(&sal) {
            if let (Some(p), Some(q)) = (p, q) {
                num += p * q;
                den += q;
            }
        }
        let out = (num / den.max(1.0) + rng.random_range(-20.0..20.0))
            .clamp(0.0, 100.0)
            .round();
        s.push_str(&format!(
            "P{};{};15-{:02}-{}",
            k / 4,
            k % 4 + 1,
            date.1,
            date.0
        ));
        for v in pos.iter().chain(&sal) {
            match v {
                Some(x) => s.push_str(&format!(";{x}")),
                None => s.push_str(";999"),
            }
        }
        s.push_str(&format!(";50;{out}\n"));
    }
    s
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let args: Vec<&String> = args.iter().filter(|a| *a != "--json").collect();
    let (file, cap_arg) = if args.first().map(|s| s.as_str()) == Some("--synthetic") {
        let n: usize = args.get(1).and_then(|s| s.parse().ok()).expect("ISSUES");
        let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).expect("SEED");
        (
            read_str(&synthetic(n, seed), &format!("synthetic({n}, {seed})")).expect("valid"),
            args.get(3),
        )
    } else {
        let path = args
            .first()
            .expect("usage: deu_backtest FILE [CAP] [--json]");
        match read_path(std::path::Path::new(path.as_str())) {
            Ok(f) => (f, args.get(1)),
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
    };
    let cap = match cap_arg.map(|s| s.as_str()) {
        None | Some("equal") => Capability::Equal,
        Some("shapley-shubik") => Capability::ShapleyShubik(CouncilWeighting::default()),
        Some(p) => {
            let text = std::fs::read_to_string(p).expect("readable capability file");
            read_capability_file(&text, p).unwrap_or_else(|e| {
                eprintln!("error: {e}");
                std::process::exit(1)
            })
        }
    };
    let t0 = Instant::now();
    let cases = cases_from_deu(&file, &cap).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    let models: Vec<ModelRun> = [
        ModelSpec::Median,
        ModelSpec::Compromise,
        ModelSpec::Nash(NashOptions::default()),
        ModelSpec::Eum(EumOptions::default()),
        ModelSpec::Smp(SmpOptions::default()),
        ModelSpec::Exchange(ExchangeOptions::default()),
    ]
    .into_iter()
    .map(ModelRun::new)
    .collect();
    let mut timings = Vec::new();
    for m in &models {
        let t = Instant::now();
        run(&cases, std::slice::from_ref(m)).expect("model runs");
        timings.push(t.elapsed().as_secs_f64());
    }
    let report = run(&cases, &models).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("serialisable")
        );
        return;
    }
    println!(
        "{}: {} issues scored, {} not scored",
        file.file,
        cases.issues(),
        cases.unscored.len()
    );
    println!(
        "{:<12} {:>6} {:>7} {:>7} {:>8} {:>9} {:>9}",
        "model", "issues", "MAE", "RMSE", "median", "within10", "seconds"
    );
    for (m, t) in report.models.iter().zip(&timings) {
        println!(
            "{:<12} {:>6} {:>7.2} {:>7.2} {:>8.2} {:>8.1}% {:>9.3}",
            m.model,
            m.issues,
            m.mae,
            m.rmse,
            m.median_error,
            100.0 * m.within_10,
            t
        );
    }
    for n in &report.notes {
        println!("note: {n}");
    }
    println!("total {:.3} s", t0.elapsed().as_secs_f64());
}
