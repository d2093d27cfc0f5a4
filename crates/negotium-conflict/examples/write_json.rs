//! Writes the `negotium conflict FILE --json` base result (dms, equilibria,
//! options, semantics, stability, states, title) of a generated benchmark
//! conflict through the streaming views of `negotium_conflict::views`,
//! timing each phase on stderr. Its output is byte-identical to that of the
//! CLI at this commit, which builds a JSON tree (keys sorted) first; it shows
//! what writing a million-state result costs without one.
//!
//! Usage: `cargo run --release -p negotium-conflict --example write_json -- OPTIONS DMS SEED TITLE > out.json`
//! (the model of `gen_conflict OPTIONS DMS SEED`; TITLE = the file name the CLI would show).

#[path = "../benches/gen/mod.rs"]
mod gen;

use std::io::Write;
use std::time::Instant;

use negotium_conflict::views::{EquilibriaView, StabilityView, StatesView};
use negotium_conflict::*;
use serde::Serialize;

#[derive(Serialize)]
struct Dm {
    id: String,
    name: String,
    options: Vec<usize>,
    ranking: Vec<Vec<usize>>,
}

#[derive(Serialize)]
struct Opt {
    dm: String,
    id: String,
    name: String,
    number: usize,
    reversibility: Reversibility,
}

#[derive(Serialize)]
struct Out<'a> {
    dms: Vec<Dm>,
    equilibria: EquilibriaView<'a>,
    options: Vec<Opt>,
    semantics: &'a str,
    stability: StabilityView<'a>,
    states: StatesView<'a>,
    title: &'a str,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() != 4 {
        eprintln!("usage: write_json OPTIONS DMS SEED TITLE");
        std::process::exit(2);
    }
    let num = |k: usize| args[k].parse::<usize>().unwrap_or(0);
    let spec = gen::spec(num(0), num(1), num(2) as u64);
    let t = Instant::now();
    let c = match Conflict::build(&spec) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("write_json: {e}");
            std::process::exit(2);
        }
    };
    eprintln!("build {:.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let results = match analyze(&c, &Concept::ALL, Semantics::Textbook) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("write_json: {e}");
            std::process::exit(2);
        }
    };
    eprintln!("analyse (all concepts) {:.3} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let out = Out {
        dms: c
            .dms()
            .iter()
            .enumerate()
            .map(|(i, d)| Dm {
                id: d.id.clone(),
                name: d.name.clone(),
                options: d.options.iter().map(|b| b + 1).collect(),
                ranking: c.ranking(i),
            })
            .collect(),
        equilibria: EquilibriaView(&results),
        options: c
            .options()
            .iter()
            .enumerate()
            .map(|(k, o)| Opt {
                dm: c.dms()[o.dm].name.clone(),
                id: o.id.clone(),
                name: o.name.clone(),
                number: k + 1,
                reversibility: o.reversibility,
            })
            .collect(),
        semantics: "textbook",
        stability: StabilityView {
            conflict: &c,
            results: &results,
        },
        states: StatesView(&c),
        title: &args[3],
    };
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    if serde_json::to_writer_pretty(&mut w, &out).is_err()
        || writeln!(w).is_err()
        || w.flush().is_err()
    {
        eprintln!("write_json: cannot write to stdout");
        std::process::exit(1);
    }
    eprintln!("write JSON {:.3} s", t.elapsed().as_secs_f64());
}
