//! Times every analysis of the conflict engine on a generated benchmark
//! conflict (the model of `gen_conflict OPTIONS DMS SEED`), in process:
//! build, all six concepts (together and one by one), status quo (all moves and improvements only),
//! the explanations of the status quo, coalition counts from every Nash
//! equilibrium (grand coalition) with the first improvements of the first
//! equilibria, and bloc analysis (every DM alone; and, with 3+ DMs, DMs 1
//! and 2 as one bloc). Thread count: RAYON_NUM_THREADS (default: all cores).
//!
//! Usage: `cargo run --release -p negotium-conflict --example scale_phases -- OPTIONS DMS SEED [irreversible]`
//! (`irreversible`: the first option of each DM becomes take-only).

#[path = "../benches/gen/mod.rs"]
mod gen;

use std::time::Instant;

use negotium_conflict::coalition::{
    coalition_counts, coalition_improvements_first, partition_stability,
};
use negotium_conflict::*;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |k: usize| args.get(k).and_then(|a| a.parse::<usize>().ok());
    let (Some(options), Some(dms), Some(seed)) = (num(0), num(1), num(2)) else {
        eprintln!("usage: scale_phases OPTIONS DMS SEED [irreversible]");
        std::process::exit(2);
    };
    let mut spec = gen::spec(options, dms, seed as u64);
    if args.get(3).map(String::as_str) == Some("irreversible") {
        for d in 0..dms {
            if let Some(o) = spec.options.iter_mut().find(|o| o.dm == d) {
                o.reversibility = Reversibility::TakeOnly;
            }
        }
    }
    let clock = Instant::now();
    let t = Instant::now();
    let c = Conflict::build(&spec).unwrap_or_else(|e| fail(e));
    println!(
        "{options} options, {dms} DMs, {} states, {} threads",
        c.len(),
        rayon::current_num_threads()
    );
    println!(
        "build                      {:8.3} s",
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let r = analyze(&c, &Concept::ALL, Semantics::Textbook).unwrap_or_else(|e| fail(e));
    println!(
        "all six concepts           {:8.3} s   equilibria {}",
        t.elapsed().as_secs_f64(),
        r.iter()
            .map(|x| format!("{} {}", x.concept.key(), x.count()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let per: Vec<String> = Concept::ALL
        .iter()
        .map(|&k| {
            let t = Instant::now();
            analyze(&c, &[k], Semantics::Textbook).unwrap_or_else(|e| fail(e));
            format!("{} {:.3}", k.key(), t.elapsed().as_secs_f64())
        })
        .collect();
    println!("each concept alone (s)     {}", per.join(", "));
    for ui in [false, true] {
        let t = Instant::now();
        let q = status_quo::reach(&c, 0, ui);
        println!(
            "status quo 1{}  {:8.3} s   {} reachable",
            if ui { ", UIs only  " } else { ", all moves  " },
            t.elapsed().as_secs_f64(),
            q.count()
        );
    }
    let t = Instant::now();
    let mut unstable = 0;
    for k in Concept::ALL {
        for i in 0..c.n_dms() {
            let n = explain::explain(&c, i, 0, k, Semantics::Textbook).unwrap_or_else(|e| fail(e));
            unstable += !n.stable as usize;
        }
    }
    println!(
        "explain state 1            {:8.3} s   ({unstable} of {} DM × concept unstable)",
        t.elapsed().as_secs_f64(),
        6 * c.n_dms()
    );
    let h: Vec<usize> = (0..c.n_dms()).collect();
    let eqs: Vec<usize> = r[0].equilibria.iter().collect();
    let t = Instant::now();
    let counts = match coalition_counts(&c, &h, &eqs) {
        Ok(v) => v,
        Err(e) => {
            println!("coalition counts refused: {e}");
            let eqs = &eqs[..eqs.len().min(20)];
            let t = Instant::now();
            let v = coalition_counts(&c, &h, eqs).unwrap_or_else(|e| fail(e));
            println!(
                "coalition counts, first {}  {:8.3} s",
                eqs.len(),
                t.elapsed().as_secs_f64()
            );
            v
        }
    };
    println!(
        "coalition counts           {:8.3} s   {} Nash equilibria, {} coalition-stable (grand coalition)",
        t.elapsed().as_secs_f64(),
        eqs.len(),
        counts.iter().filter(|&&n| n == 0).count()
    );
    let t = Instant::now();
    let mut listed = 0;
    for (&s, &n) in eqs.iter().zip(&counts).take(20) {
        if n > 0 {
            listed += coalition_improvements_first(&c, &h, s, 5).len();
        }
    }
    println!(
        "first 5 improvements ×20   {:8.3} s   ({listed} listed)",
        t.elapsed().as_secs_f64()
    );
    let mut partitions = vec![(0..dms).map(|k| vec![k]).collect::<Vec<_>>()];
    if dms >= 3 {
        let mut p = vec![vec![0, 1]];
        p.extend((2..dms).map(|k| vec![k]));
        partitions.push(p);
    }
    for p in partitions {
        for k in [Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Seq] {
            let t = Instant::now();
            match partition_stability(&c, &p, k) {
                Ok((_, eq)) => println!(
                    "blocs {:<18} {:4} {:8.3} s   {} equilibria",
                    format!("{p:?}"),
                    k.key(),
                    t.elapsed().as_secs_f64(),
                    eq.count()
                ),
                Err(e) => println!("blocs {:<18} {:4} refused: {e}", format!("{p:?}"), k.key()),
            }
        }
    }
    println!(
        "total                      {:8.3} s",
        clock.elapsed().as_secs_f64()
    );
}

fn fail(e: ConflictError) -> ! {
    eprintln!("scale_phases: {e}");
    std::process::exit(2)
}
