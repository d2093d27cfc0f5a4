//! Writes a generated benchmark conflict as a gmcr-py `.gmcr` file, for timing
//! `negotium conflict FILE` end to end (see bench/conflict_scale.sh).
//!
//! Usage: `cargo run --release -p negotium-conflict --example gen_conflict -- OPTIONS DMS SEED > f.gmcr`

#[path = "../benches/gen/mod.rs"]
mod gen;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |k: usize, name: &str| -> u64 {
        match args.get(k).map(|a| a.parse::<u64>()) {
            Some(Ok(v)) => v,
            _ => {
                eprintln!("usage: gen_conflict OPTIONS DMS SEED  (missing or bad {name})");
                std::process::exit(2);
            }
        }
    };
    let (options, dms, seed) = (num(0, "OPTIONS"), num(1, "DMS"), num(2, "SEED"));
    if !(2..=26).contains(&options) || dms < 2 || dms > options {
        eprintln!("gen_conflict: need 2 ≤ DMS ≤ OPTIONS ≤ 26, got OPTIONS {options}, DMS {dms}");
        std::process::exit(2);
    }
    print!("{}", gen::gmcr_json(options as usize, dms as usize, seed));
}
