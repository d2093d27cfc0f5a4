//! Validation primitives shared by the core format and every section module:
//! a [`Path`] into the document, a list of [`Problems`] found at paths, and
//! [`Refs`], the ids a section may refer to.
//!
//! Semantic checks speak in paths (`stance[3].position`); the loader turns a
//! path into a file line and column (TOML) or keeps it as a JSON path.

use std::collections::BTreeSet;
use std::fmt;

/// One step of a path into the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path from the document root to a value, e.g. `conflict.option[2].dm`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Path(pub Vec<Seg>);

impl Path {
    pub fn root() -> Self {
        Path(Vec::new())
    }
    /// This path extended by a table key.
    pub fn key(&self, k: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(k.to_string()));
        p
    }
    /// This path extended by an array index.
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
    /// JSON-path rendering: `$.stance[3].position`.
    pub fn json_path(&self) -> String {
        let mut s = String::from("$");
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => {
                    s.push('.');
                    s.push_str(k);
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => {
                    if !first {
                        write!(f, ".")?;
                    }
                    write!(f, "{k}")?;
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// A semantic problem at a path: what is wrong and what was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: Path,
    pub message: String,
}

/// Problems collected during validation (all of them, not just the first).
#[derive(Debug, Clone, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, path: Path, message: impl Into<String>) {
        self.0.push(Problem {
            path,
            message: message.into(),
        });
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// The ids declared by the core of a scenario, which sections may reference.
#[derive(Debug, Clone, Default)]
pub struct Refs {
    pub actors: BTreeSet<String>,
    pub issues: BTreeSet<String>,
}

impl Refs {
    /// Checks that `id` names a declared actor; reports at `path` otherwise.
    pub fn check_actor(&self, id: &str, path: Path, problems: &mut Problems) -> bool {
        if self.actors.contains(id) {
            true
        } else {
            problems.push(
                path,
                format!(
                    "unknown actor `{id}`: expected one of the ids declared in [[actor]] ({})",
                    join_ids(&self.actors)
                ),
            );
            false
        }
    }
    /// Checks that `id` names a declared issue; reports at `path` otherwise.
    pub fn check_issue(&self, id: &str, path: Path, problems: &mut Problems) -> bool {
        if self.issues.contains(id) {
            true
        } else {
            problems.push(
                path,
                format!(
                    "unknown issue `{id}`: expected one of the ids declared in [[issue]] ({})",
                    join_ids(&self.issues)
                ),
            );
            false
        }
    }
}

/// `a, b, c` (at most 12 shown).
pub fn join_ids(ids: &BTreeSet<String>) -> String {
    let mut v: Vec<&str> = ids.iter().map(String::as_str).take(12).collect();
    if ids.len() > 12 {
        v.push("…");
    }
    v.join(", ")
}

/// Reports every id that appears more than once in `ids` (paths built by `at`).
pub fn check_unique<'a>(
    ids: impl IntoIterator<Item = &'a str>,
    what: &str,
    at: impl Fn(usize) -> Path,
    problems: &mut Problems,
) {
    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for (i, id) in ids.into_iter().enumerate() {
        if let Some(first) = seen.get(id) {
            problems.push(
                at(i),
                format!("duplicate {what} id `{id}`: already declared at index {first}; ids must be unique"),
            );
        } else {
            seen.insert(id, i);
        }
    }
}
