//! Results as flat rows: every leaf of a result's JSON as `path,value`
//! (the CSV download), and the key-number diff of two runs.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// Every scalar leaf of `v` with its path (`issues[0].models[1].forecast`).
pub fn leaves(v: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out
}

fn walk(v: &Value, path: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(x, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                walk(x, format!("{path}[{i}]"), out);
            }
        }
        Value::Null => out.push((path, String::new())),
        Value::String(s) => out.push((path, s.clone())),
        other => out.push((path, other.to_string())),
    }
}

/// A CSV field, quoted when it needs to be (RFC 4180). Cells that a
/// spreadsheet would run as a formula are prefixed with `'`.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '@']) || (s.starts_with('-') && s.parse::<f64>().is_err()) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// `path,value` CSV of a run: metadata rows first, then the result's leaves.
pub fn csv(meta: &[(&str, String)], result: Option<&Value>) -> String {
    let mut s = String::from("path,value\r\n");
    for (k, v) in meta {
        s.push_str(&format!("{},{}\r\n", field(&format!("run.{k}")), field(v)));
    }
    if let Some(r) = result {
        for (k, v) in leaves(r) {
            s.push_str(&format!(
                "{},{}\r\n",
                field(&format!("result.{k}")),
                field(&v)
            ));
        }
    }
    s
}

/// A tidy CSV of a run: the run's identifying columns (`run_id`, `lens`,
/// `scenario`, `scenario_sha256`, `seed`, `version`) repeated on every row,
/// then the lens's own columns.
pub fn csv_table(meta: &[(&str, String)], table: &crate::lenses::Table) -> String {
    const KEEP: [&str; 6] = [
        "id",
        "lens",
        "scenario",
        "scenario_sha256",
        "seed",
        "version",
    ];
    let meta: Vec<&(&str, String)> = KEEP
        .iter()
        .filter_map(|k| meta.iter().find(|(m, _)| m == k))
        .collect();
    let mut header: Vec<String> = meta
        .iter()
        .map(|(k, _)| {
            if *k == "id" {
                "run_id".to_string()
            } else {
                k.to_string()
            }
        })
        .collect();
    header.extend(table.header.iter().cloned());
    let mut s = header
        .iter()
        .map(|h| field(h))
        .collect::<Vec<_>>()
        .join(",");
    s.push_str("\r\n");
    for row in &table.rows {
        let cells = meta
            .iter()
            .map(|(_, v)| field(v))
            .chain(row.iter().map(|c| field(c)));
        s.push_str(&cells.collect::<Vec<_>>().join(","));
        s.push_str("\r\n");
    }
    s
}

/// One key number of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffRow {
    pub key: String,
    pub a: Option<f64>,
    pub b: Option<f64>,
    /// b − a, when both are present.
    pub delta: Option<f64>,
}

/// The key numbers of two runs side by side, in key order.
pub fn diff(a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>) -> Vec<DiffRow> {
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|k| {
            let (x, y) = (a.get(k).copied(), b.get(k).copied());
            DiffRow {
                key: k.clone(),
                a: x,
                b: y,
                delta: x.zip(y).map(|(x, y)| y - x),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_csv_repeats_the_run_columns_on_every_row() {
        let meta = [
            ("id", "7".to_string()),
            ("lens", "power".to_string()),
            ("scenario", "s".to_string()),
            ("params", "{}".to_string()),
            ("seed", String::new()),
        ];
        let t = crate::lenses::Table {
            header: vec!["member".into(), "value".into()],
            rows: vec![
                vec!["A, the first".into(), "0.5".into()],
                vec!["=B".into(), "0.5".into()],
            ],
        };
        let csv = csv_table(&meta, &t);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "run_id,lens,scenario,seed,member,value");
        assert_eq!(lines[1], "7,power,s,,\"A, the first\",0.5");
        assert_eq!(lines[2], "7,power,s,,'=B,0.5", "formula cells are defused");
    }

    #[test]
    fn flattens_and_quotes() {
        let v = serde_json::json!({"a": [1, {"b": "x,y"}], "c": null, "d": "=cmd()"});
        let csv = csv(&[("id", "3".into())], Some(&v));
        assert_eq!(
            csv,
            "path,value\r\nrun.id,3\r\nresult.a[0],1\r\nresult.a[1].b,\"x,y\"\r\nresult.c,\r\nresult.d,'=cmd()\r\n"
        );
    }

    #[test]
    fn diff_aligns_keys() {
        let a: BTreeMap<String, f64> = [("x".into(), 1.0), ("y".into(), 2.0)].into();
        let b: BTreeMap<String, f64> = [("y".into(), 5.0), ("z".into(), 1.0)].into();
        let d = diff(&a, &b);
        assert_eq!(d.len(), 3);
        assert_eq!(
            d[1],
            DiffRow {
                key: "y".into(),
                a: Some(2.0),
                b: Some(5.0),
                delta: Some(3.0)
            }
        );
        assert_eq!(d[0].delta, None);
    }
}
