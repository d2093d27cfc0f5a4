//! Runs (or resumes) a tournament over every domain folder under DIR and
//! prints the ranking table — the same as the CLI's `negotium tournament
//! --domains DIR --out OUT` (kept for the timing in docs/perf/bargaining.md).
//!
//! `cargo run --release -p negotium-tournament --example tournament -- DIR OUT
//!  [--resume] [--strategies a,b,…] [--repetitions R] [--steps N] [--seed S] [--threads T]`

use negotium_bargain::engine::EngineSettings;
use negotium_bargain::league::LeagueSpec;
use negotium_bargain::StrategySpec;
use negotium_tournament::{ranking_markdown, run, FolderTournament, Outcome, RunOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: tournament DIR OUT [--resume] [--strategies a,b,…] [--repetitions R] [--steps N] [--seed S] [--threads T]");
        std::process::exit(2);
    }
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let strategies: Vec<StrategySpec> = match flag("--strategies") {
        Some(s) => s
            .split(',')
            .map(|x| {
                x.parse().unwrap_or_else(|e| {
                    eprintln!("{e}");
                    std::process::exit(2)
                })
            })
            .collect(),
        None => StrategySpec::builtins(),
    };
    let num = |name: &str, d: u64| {
        flag(name)
            .map(|s| s.parse().expect("a number"))
            .unwrap_or(d)
    };
    let t = FolderTournament {
        root: args[0].clone().into(),
        spec: LeagueSpec {
            strategies,
            repetitions: num("--repetitions", 1) as u32,
            n_steps: num("--steps", 100) as u32,
            seed: num("--seed", 0),
            self_play: false,
        },
        real_points: 11,
        engine: EngineSettings::default(),
    };
    let opts = RunOptions {
        out: args[1].clone().into(),
        resume: args.iter().any(|a| a == "--resume"),
        stop_after: flag("--stop-after").map(|s| s.parse().expect("a number")),
        threads: flag("--threads").map(|s| s.parse().expect("a number")),
        shard: None,
    };
    let t0 = std::time::Instant::now();
    match run(&t, &opts) {
        Ok(Outcome::Completed(s)) => {
            println!(
                "{} domains ({} skipped), {} negotiations ({} resumed) in {:.1} s\n",
                s.domains.len(),
                s.skipped.len(),
                s.jobs,
                s.resumed,
                t0.elapsed().as_secs_f64()
            );
            for (d, e) in &s.skipped {
                println!("skipped {d}: {e}");
            }
            println!("{}", ranking_markdown(&s.standings));
        }
        Ok(Outcome::Interrupted { done, total }) => {
            println!("stopped after {done} of {total} negotiations")
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
