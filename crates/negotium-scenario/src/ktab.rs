//! Importer for KTAB's Spatial Model of Politics CSV format:
//!
//! ```text
//! <scenario name>,<description>,<number of actors>,<number of dimensions>,
//! Actor,Description,<power heading>,<dim 1 name>,<salience 1 name>,...
//! <name>,<description>,<capability>,<position 1>,<salience 1>,...
//! ```
//!
//! Positions and saliences are on KTAB's 0–100 scales; saliences become
//! [0, 1] by dividing by 100. KTAB's own limits are enforced: 3–250 actors,
//! capability in [0, 1e8], positions and saliences in [0, 100], an actor's
//! saliences summing to at most 100; and at most [`MAX_DIMENSIONS`]
//! dimensions. The header's counts are checked against these limits and
//! against the column headings before anything is allocated from them.

use crate::error::{Diagnostic, ScenarioError};
use crate::model::{Actor, Inputs, Issue, Meta, Scenario, Stance};
use crate::validate::{Path, Seg};

fn diag(file: &str, line: usize, column: Option<usize>, message: String) -> ScenarioError {
    ScenarioError::Syntax(Diagnostic {
        file: file.to_string(),
        line: Some(line),
        column,
        path: None,
        message,
    })
}

/// Most dimensions a KTAB file may declare (KTAB's own examples have 1–3).
pub const MAX_DIMENSIONS: usize = 100;
/// Fewest and most actors KTAB accepts.
pub const ACTORS: std::ops::RangeInclusive<usize> = 3..=250;

/// Splits one CSV line (KTAB files are simple: no embedded newlines).
fn fields(line: &str) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    match rdr.records().next() {
        Some(Ok(rec)) => rec.iter().map(|s| s.trim().to_string()).collect(),
        _ => Vec::new(),
    }
}

/// The 1-based column (field number) of field `k` in a comma-separated line.
fn field_col(k: usize) -> Option<usize> {
    Some(k + 1)
}

fn number(s: &str, file: &str, line: usize, k: usize, what: &str) -> Result<f64, ScenarioError> {
    s.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| {
            diag(
                file,
                line,
                field_col(k),
                format!("field {} ({what}) is `{s}`: expected a number", k + 1),
            )
        })
}

/// A header count; a whole number too large for the machine saturates, so
/// that the range check reports it as too large rather than as not a number.
fn count(s: &str) -> Option<usize> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        Some(s.parse::<usize>().unwrap_or(usize::MAX))
    } else {
        None
    }
}

/// Makes an id from an actor name: KTAB names are 1–25 characters and may
/// contain spaces; those become `_`.
fn actor_id(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Parses a KTAB SMP CSV into a scenario (one issue per dimension, 0–100).
pub fn parse(src: &str, file: &str) -> Result<Scenario, ScenarioError> {
    let mut lines = src
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().trim_matches(',').is_empty());
    let (hl, header) = lines.next().ok_or_else(|| {
        diag(
            file,
            1,
            Some(1),
            "empty file: expected KTAB's header line `<name>,<description>,<actors>,<dimensions>,`"
                .into(),
        )
    })?;
    let h = fields(header);
    if h.len() < 4 {
        return Err(diag(file, hl, field_col(h.len()), format!("header has {} fields: expected `<scenario name>,<description>,<number of actors>,<number of dimensions>,`", h.len())));
    }
    let n_actors = count(&h[2]).ok_or_else(|| {
        diag(
            file,
            hl,
            field_col(2),
            format!("number of actors is `{}`: expected a whole number", h[2]),
        )
    })?;
    let n_dims = count(&h[3]).ok_or_else(|| {
        diag(
            file,
            hl,
            field_col(3),
            format!(
                "number of dimensions is `{}`: expected a whole number",
                h[3]
            ),
        )
    })?;
    if !ACTORS.contains(&n_actors) {
        return Err(diag(
            file,
            hl,
            field_col(2),
            format!(
                "KTAB allows {} to {} actors, the header says {}",
                ACTORS.start(),
                ACTORS.end(),
                h[2]
            ),
        ));
    }
    if !(1..=MAX_DIMENSIONS).contains(&n_dims) {
        return Err(diag(
            file,
            hl,
            field_col(3),
            format!(
                "number of dimensions is {}: expected 1 to {MAX_DIMENSIONS}",
                h[3]
            ),
        ));
    }
    let (cl, cols) = lines.next().ok_or_else(|| {
        diag(
            file,
            hl + 1,
            Some(1),
            "missing column-heading line `Actor,Description,Power,<dim>,<salience>,...`".into(),
        )
    })?;
    let c = fields(cols);
    if c.len() < 3 + 2 * n_dims {
        return Err(diag(file, cl, field_col(c.len()), format!("column headings have {} fields: expected {} (Actor, Description, Power, then a position and a salience heading per dimension)", c.len(), 3 + 2 * n_dims)));
    }
    let issues: Vec<Issue> = (0..n_dims)
        .map(|k| {
            let name = c[3 + 2 * k].clone();
            Issue {
                id: format!("dim{}", k + 1),
                name: if name.is_empty() {
                    format!("Dimension {}", k + 1)
                } else {
                    name
                },
                min: 0.0,
                max: 100.0,
                status_quo: None,
                unit: None,
                points: Vec::new(),
                notes: Some(format!(
                    "KTAB dimension {} (salience column `{}`)",
                    k + 1,
                    c[4 + 2 * k]
                )),
            }
        })
        .collect();

    let mut actors = Vec::new();
    let mut stances = Vec::new();
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    // Problems in actor rows are collected, row after row, so that one run
    // reports them all; a row too short to read is skipped after its report.
    let mut errs: Vec<ScenarioError> = Vec::new();
    for _ in 0..n_actors {
        let (ln, row) = lines.next().ok_or_else(|| {
            diag(
                file,
                src.lines().count() + 1,
                Some(1),
                format!(
                    "the header promises {n_actors} actors but the file has only {}",
                    actors.len() + errs.len()
                ),
            )
        })?;
        let f = fields(row);
        if f.len() < 3 + 2 * n_dims {
            errs.push(diag(file, ln, field_col(f.len()), format!("actor row has {} fields: expected {} (name, description, capability, then position and salience per dimension)", f.len(), 3 + 2 * n_dims)));
            continue;
        }
        let before = errs.len();
        let name = f[0].clone();
        if name.is_empty() || name.chars().count() > 25 {
            errs.push(diag(
                file,
                ln,
                field_col(0),
                format!("actor name `{name}`: KTAB expects 1 to 25 characters"),
            ));
        }
        let id = actor_id(&name);
        if let Some(first) = seen.insert(id.clone(), ln) {
            errs.push(diag(
                file,
                ln,
                field_col(0),
                format!("duplicate actor `{name}`: already on line {first}"),
            ));
        }
        let cap = match number(&f[2], file, ln, 2, "capability") {
            Ok(c) if !(0.0..=1e8).contains(&c) => {
                errs.push(diag(
                    file,
                    ln,
                    field_col(2),
                    format!("capability {c}: KTAB expects a number in [0, 1e8]"),
                ));
                c
            }
            Ok(c) => c,
            Err(e) => {
                errs.push(e);
                0.0
            }
        };
        let mut sal_sum = 0.0;
        for (k, issue) in issues.iter().enumerate() {
            let mut value = |j: usize, what: &str| match number(&f[j], file, ln, j, what) {
                Ok(x) if !(0.0..=100.0).contains(&x) => {
                    errs.push(diag(
                        file,
                        ln,
                        field_col(j),
                        format!("{what} {x}: KTAB expects a number in [0, 100]"),
                    ));
                    x
                }
                Ok(x) => x,
                Err(e) => {
                    errs.push(e);
                    0.0
                }
            };
            let pos = value(3 + 2 * k, "position");
            let sal = value(4 + 2 * k, "salience");
            sal_sum += sal;
            stances.push(Stance {
                actor: id.clone(),
                issue: issue.id.clone(),
                position: pos,
                salience: sal / 100.0,
                from: None,
                event: None,
                position_range: None,
                salience_range: None,
                distribution: None,
                notes: None,
            });
        }
        if errs.len() == before && sal_sum > 100.0 + 1e-9 {
            errs.push(diag(
                file,
                ln,
                field_col(2 + 2 * n_dims),
                format!(
                    "the saliences of actor `{name}` sum to {sal_sum}: KTAB expects at most 100"
                ),
            ));
        }
        actors.push(Actor {
            id,
            name: if f[1].is_empty() {
                name.clone()
            } else {
                f[1].clone()
            },
            capability: cap,
            capability_range: None,
            distribution: None,
            notes: None,
        });
    }
    if let Some((ln, _)) = lines.next() {
        errs.push(diag(
            file,
            ln,
            Some(1),
            format!("unexpected data after the {n_actors} actor rows the header promises"),
        ));
    }
    match errs.len() {
        0 => {}
        1 => return Err(errs.remove(0)),
        _ => {
            return Err(ScenarioError::Invalid(
                errs.iter().flat_map(ScenarioError::diagnostics).collect(),
            ))
        }
    }
    let scen_id: String = actor_id(&h[0]).chars().take(60).collect();
    let timeline = crate::Timeline {
        actors: actors.clone(),
        stances: stances.clone(),
        capabilities: Vec::new(),
    };
    Ok(Scenario {
        timeline,
        scenario: Meta {
            id: if scen_id.is_empty() {
                "ktab-import".into()
            } else {
                scen_id
            },
            title: h[0].clone(),
            description: Some(h[1].clone()),
            as_of: None,
            sources: vec![format!("KTAB SMP CSV: {file}")],
            licence: None,
            capability_scheme: Some("KTAB power column".into()),
        },
        inputs: Inputs {
            actors,
            issues,
            stances,
            ..Inputs::default()
        },
        events: Vec::new(),
        outcome: None,
    })
}

/// Locates a semantic problem found after import: the actor's row.
pub fn locate(src: &str, path: &Path) -> (Option<usize>, Option<usize>, Option<String>) {
    // Rows: the stance/actor index maps onto the data lines after the two headers.
    let data_lines: Vec<usize> = src
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().trim_matches(',').is_empty())
        .map(|(i, _)| i + 1)
        .skip(2)
        .collect();
    let all: Vec<usize> = src
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().trim_matches(',').is_empty())
        .map(|(i, _)| i + 1)
        .collect();
    let dims = src
        .lines()
        .find(|l| !l.trim().trim_matches(',').is_empty())
        .map(fields)
        .and_then(|h| h.get(3).and_then(|d| count(d)))
        .unwrap_or(1)
        .max(1);
    let line = match path.0.as_slice() {
        [Seg::Key(k), Seg::Index(i), ..] if k == "actor" => data_lines.get(*i).copied(),
        // Stances are made row by row, one per dimension.
        [Seg::Key(k), Seg::Index(i), ..] if k == "stance" => data_lines.get(*i / dims).copied(),
        // Issues come from the column headings, the rest from the header.
        [Seg::Key(k), ..] if k == "issue" => all.get(1).copied(),
        _ => all.first().copied(),
    };
    (line.or(Some(1)), None, Some(path.to_string()))
}
