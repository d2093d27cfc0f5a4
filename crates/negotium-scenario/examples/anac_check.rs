//! Loads, analyses and negotiates every GENIUS or GeniusWeb domain folder
//! under a directory (e.g. the ANAC 2010–2016 domains NegMAS ships) and prints one
//! line per domain and a summary: how many load, how many are analysed and
//! how many negotiate (SAO, Boulware vs Conceder — every party after the
//! first plays Conceder — 1,000 steps, seed 0).
//!
//! `cargo run --release -p negotium-scenario --example anac_check -- DIR [STEPS]`

use std::path::Path;
use std::time::Instant;

use negotium_bargain::engine::{negotiate_general, GeneralPrepared};
use negotium_bargain::session::{Protocol, Settings};
use negotium_bargain::StrategySpec;
use negotium_scenario::domains;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(root) = args.get(1) else {
        eprintln!("usage: anac_check DIR [STEPS]");
        std::process::exit(2);
    };
    let steps: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let dirs = domains::find(Path::new(root));
    let (mut loaded, mut analysed, mut negotiated, mut agreed) = (0, 0, 0, 0);
    println!("domain\tparties\toutcomes\tmethod\tfrontier\tpareto\tload_ms\tanalyse_ms\tnegotiate_ms\tresult");
    for d in &dirs {
        let name = d.strip_prefix(root).unwrap_or(d).display().to_string();
        let t0 = Instant::now();
        let problem = match domains::load(d, 11) {
            Ok(p) => p,
            Err(e) => {
                println!("{name}\t-\t-\t-\t-\t-\t-\t-\t-\tLOAD ERROR: {e}");
                continue;
            }
        };
        loaded += 1;
        let t_load = t0.elapsed().as_secs_f64() * 1e3;
        let parties = problem.parties.len();
        let size = problem.size_text();
        let t1 = Instant::now();
        let prep = match GeneralPrepared::new(problem) {
            Ok(p) => p,
            Err(e) => {
                println!(
                    "{name}\t{parties}\t{size}\t-\t-\t-\t{t_load:.1}\t-\t-\tANALYSIS ERROR: {e}"
                );
                continue;
            }
        };
        analysed += 1;
        let t_an = t1.elapsed().as_secs_f64() * 1e3;
        let mut strategies = vec![StrategySpec::from_name("boulware")];
        strategies.extend((1..parties).map(|_| StrategySpec::from_name("conceder")));
        let settings = Settings {
            protocol: Protocol::Sao,
            strategies,
            n_steps: steps,
            seed: 0,
            trace: false,
        };
        let t2 = Instant::now();
        let res = negotiate_general(&prep, &settings);
        let t_neg = t2.elapsed().as_secs_f64() * 1e3;
        let a = &prep.analysis;
        let method = format!("{:?}", a.method).to_lowercase();
        let quality = a.quality.label();
        match res {
            Ok(r) => {
                negotiated += 1;
                agreed += r.agreement.is_some() as usize;
                let u: Vec<String> = r.utilities.iter().map(|x| format!("{x:.3}")).collect();
                println!(
                    "{name}\t{parties}\t{size}\t{method}\t{quality}\t{}\t{t_load:.1}\t{t_an:.1}\t{t_neg:.2}\t{} at step {} (u = {})",
                    a.pareto_size,
                    r.end,
                    r.step,
                    u.join(", ")
                );
            }
            Err(e) => println!(
                "{name}\t{parties}\t{size}\t{method}\t{quality}\t{}\t{t_load:.1}\t{t_an:.1}\t-\tNEGOTIATION ERROR: {e}",
                a.pareto_size
            ),
        }
    }
    println!(
        "\n{} domains: {loaded} load, {analysed} analysed, {negotiated} negotiate ({agreed} reach agreement)",
        dirs.len()
    );
}
