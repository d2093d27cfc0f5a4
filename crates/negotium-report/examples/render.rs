//! Renders the HTML report from lens JSON files, to check a lens's `--json`
//! output against the charts while developing:
//! `cargo run -p negotium-report --example render -- SCENARIO OUT.html [conflict=F] [power=F] [negotiate=F] [pareto=F]`

use negotium_report::html::{self, ReportInput};
use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: render SCENARIO OUT.html [conflict=FILE] [power=FILE] [negotiate=FILE] [pareto=FILE]");
        std::process::exit(2);
    }
    let loaded = negotium_scenario::resolve(&args[0]).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let mut lens: std::collections::HashMap<String, Value> = Default::default();
    for a in &args[2..] {
        let (k, f) = a.split_once('=').expect("LENS=FILE");
        let text = std::fs::read_to_string(f).expect("readable file");
        lens.insert(k.to_string(), serde_json::from_str(&text).expect("JSON"));
    }
    let page = html::render(&ReportInput {
        conflict: lens.get("conflict"),
        power: lens.get("power"),
        negotiate: lens.get("negotiate"),
        pareto: lens.get("pareto"),
        generator: Some("negotium-report example"),
        ..ReportInput::new(&loaded.scenario)
    });
    std::fs::write(&args[1], page).expect("writable output");
}
