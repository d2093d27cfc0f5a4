//! Errors with locations: every diagnostic names the file, the line and
//! column (TOML, CSV) or the JSON path, and what was expected.

use std::fmt;

/// One located problem in an input file.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// Path of the offending value (`stance[3].position`), when known.
    pub path: Option<String>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        if let Some(p) = &self.path {
            write!(f, ": {p}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("cannot read {file}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Syntax(Diagnostic),
    #[error("{} problem(s) in {}:\n{}", .0.len(), .0.first().map(|d| d.file.as_str()).unwrap_or("?"), render(.0))]
    Invalid(Vec<Diagnostic>),
    #[error(
        "unknown scenario `{name}`{suggestion}: not a built-in id ({builtins}) and no such file"
    )]
    Unknown {
        name: String,
        builtins: String,
        /// ` (did you mean `ID`?)` for a near miss of a built-in id, else empty.
        suggestion: String,
    },
}

fn render(ds: &[Diagnostic]) -> String {
    ds.iter()
        .map(|d| format!("  {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl ScenarioError {
    /// All diagnostics carried by this error (empty for I/O and unknown names).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            ScenarioError::Syntax(d) => vec![d.clone()],
            ScenarioError::Invalid(ds) => ds.clone(),
            _ => Vec::new(),
        }
    }
}
