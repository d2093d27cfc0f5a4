//! Times exact Shapley–Shubik + Banzhaf of one weighted game in-process and
//! prints one JSON line (used by bench/voting_vs_powerindex.sh).
//!
//! `cargo run --release -p negotium-voting --example time_power -- QUOTA W1,W2,… [REPEAT]`

use negotium_voting::{power, Game, Index, PowerOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: time_power QUOTA W1,W2,... [REPEAT]");
        std::process::exit(2);
    }
    let quota: u64 = args[1].parse().expect("quota: an integer");
    let weights: Vec<u64> = args[2]
        .split(',')
        .map(|w| w.trim().parse().expect("weights: integers"))
        .collect();
    let repeat: usize = args.get(3).map(|r| r.parse().expect("repeat")).unwrap_or(5);
    let game = Game::weighted(quota, weights).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let opts = PowerOptions {
        indices: vec![Index::ShapleyShubik, Index::Banzhaf],
        ..Default::default()
    };
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..repeat.max(1) {
        let t = std::time::Instant::now();
        let r = power(&game, &opts).expect("power");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        last = Some(r);
    }
    let r = last.expect("one run");
    let vals =
        |i: Index| -> Vec<f64> { r.get(i).unwrap().values.iter().map(|v| v.value).collect() };
    let best = times.iter().cloned().fold(f64::INFINITY, f64::min);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    println!(
        "{}",
        serde_json::json!({
            "ms_best": best,
            "ms_mean": mean,
            "exact": r.get(Index::ShapleyShubik).unwrap().method.is_exact(),
            "ss": vals(Index::ShapleyShubik),
            "bz": vals(Index::Banzhaf),
        })
    );
}
