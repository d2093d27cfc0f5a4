//! Shared by the SMP tests: a reader for KTAB's CSV input format (research
//! notes §1.5) producing a [`Problem`] on 0–100 scales.

#![allow(dead_code)]

use negotium_spatial::{Dimension, Problem};

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/ktab/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Parses a KTAB SMP CSV: `name,desc,nActors,nDims,` then a header
/// `Actor,Description,Power,Dim1,Sal1,...`, then one row per actor. Numbers
/// are read from the right so descriptions may hold commas.
pub fn ktab_csv(text: &str) -> Problem {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let fields = |l: &str| -> Vec<String> {
        let mut f: Vec<String> = l
            .split(',')
            .map(|s| s.trim().trim_matches('"').to_string())
            .collect();
        while f.last().is_some_and(|s| s.is_empty()) {
            f.pop();
        }
        f
    };
    let first = fields(lines.next().expect("scenario line"));
    let n_dims: usize = first[first.len() - 1].parse().expect("numDims");
    let n_act: usize = first[first.len() - 2].parse().expect("numActors");
    let header = fields(lines.next().expect("header"));
    let dims: Vec<Dimension> = (0..n_dims)
        .map(|d| Dimension {
            name: header[3 + 2 * d].clone(),
            min: 0.0,
            max: 100.0,
        })
        .collect();
    let (mut names, mut cap, mut pos, mut sal) = (vec![], vec![], vec![], vec![]);
    for l in lines.take(n_act) {
        let f = fields(l);
        let nums: Vec<f64> = f[f.len() - (1 + 2 * n_dims)..]
            .iter()
            .map(|s| s.parse().expect("number"))
            .collect();
        names.push(f[0].clone());
        cap.push(nums[0]);
        pos.push((0..n_dims).map(|d| nums[1 + 2 * d]).collect::<Vec<_>>());
        sal.push(
            (0..n_dims)
                .map(|d| nums[2 + 2 * d] / 100.0)
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(names.len(), n_act, "actor rows");
    Problem::new(names, cap, dims, pos, sal).expect("valid KTAB problem")
}
