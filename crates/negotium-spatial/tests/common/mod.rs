//! Shared test data: BDM's emission-standards case and KTAB's SOE policy case.
#![allow(dead_code)]

use negotium_spatial::{Dimension, Problem};

/// BDM (1994) "Political forecasting: an expected utility method", in Bueno
/// de Mesquita & Stokman (eds.) *European Community Decision Making*,
/// pp. 78–98, as tabulated by Scholz, Calbert & Smith (2011), Table 1:
/// years of delay before EU emission standards for medium-sized cars apply.
/// (actor, capability, position in years, salience 0–100)
pub const EMISSION: [(&str, f64, f64, f64); 10] = [
    ("Netherlands", 0.08, 4.0, 80.0),
    ("Belgium", 0.08, 7.0, 40.0),
    ("Luxembourg", 0.03, 4.0, 20.0),
    ("Germany", 0.16, 4.0, 80.0),
    ("France", 0.16, 10.0, 60.0),
    ("Italy", 0.16, 10.0, 60.0),
    ("UK", 0.16, 10.0, 90.0),
    ("Ireland", 0.05, 7.0, 10.0),
    ("Denmark", 0.05, 4.0, 100.0),
    ("Greece", 0.08, 7.0, 70.0),
];

/// The emission-standards case on a 0–10 year scale.
pub fn emission() -> Problem {
    one_dim(
        EMISSION
            .iter()
            .map(|d| (d.0.to_string(), d.1, d.2, d.3 / 100.0)),
        "delay (years)",
        0.0,
        10.0,
    )
}

/// KTAB `examples/smp/doc/SOE-Policy.csv` (MIT, (c) 2015 KAPSARC; see
/// `fixtures/ktab/README.md` and `LICENSE`): 26 actors, one 0–100 dimension.
pub fn soe_policy() -> Problem {
    let text = include_str!("../fixtures/ktab/SOE-Policy.csv");
    let rows = text
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').map(str::trim).collect();
            (
                f[0].to_string(),
                f[2].parse::<f64>().unwrap(),
                f[3].parse::<f64>().unwrap(),
                f[4].parse::<f64>().unwrap() / 100.0,
            )
        });
    one_dim(rows, "policy", 0.0, 100.0)
}

/// Builds a one-dimensional problem from (name, capability, position, salience).
pub fn one_dim(
    rows: impl Iterator<Item = (String, f64, f64, f64)>,
    dim: &str,
    min: f64,
    max: f64,
) -> Problem {
    let rows: Vec<_> = rows.collect();
    Problem::new(
        rows.iter().map(|r| r.0.clone()).collect(),
        rows.iter().map(|r| r.1).collect(),
        vec![Dimension {
            name: dim.into(),
            min,
            max,
        }],
        rows.iter().map(|r| vec![r.2]).collect(),
        rows.iter().map(|r| vec![r.3]).collect(),
    )
    .expect("valid problem")
}
