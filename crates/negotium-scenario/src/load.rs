//! Loading scenarios: parse (TOML, JSON, KTAB CSV), validate, and turn every
//! problem into a located [`Diagnostic`]. Nothing is returned unless the
//! whole file is valid.

use std::path::Path as FsPath;

use crate::error::{Diagnostic, ScenarioError};
use crate::validate::{Path, Problems, Seg};
use crate::{builtin, ktab, Scenario};

/// The input formats negotium reads as scenarios.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// negotium's own format (TOML).
    Toml,
    /// The same structure in JSON.
    Json,
    /// KTAB's Spatial Model of Politics CSV.
    KtabCsv,
}

impl Format {
    /// The format a file name's extension implies (`.toml`, `.json`, `.csv`).
    pub fn from_path(path: &FsPath) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            "csv" => Some(Format::KtabCsv),
            _ => None,
        }
    }
}

/// A valid scenario and the name of where it came from (a path, or
/// `<id>.toml (built-in)`).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub scenario: Scenario,
    pub source_name: String,
    /// The text it was parsed from (used to hash and to show).
    pub source_text: String,
    pub format: Format,
}

/// Parses and validates `src`; `file` is the name used in diagnostics.
pub fn load_str(src: &str, file: &str, format: Format) -> Result<Loaded, ScenarioError> {
    let scenario = match format {
        Format::Toml => parse_toml(src, file)?,
        Format::Json => parse_json(src, file)?,
        Format::KtabCsv => ktab::parse(src, file)?,
    };
    let problems = crate::validate::validate(&scenario);
    if !problems.is_empty() {
        let diags = locate(src, file, format, &problems);
        return Err(ScenarioError::Invalid(diags));
    }
    Ok(Loaded {
        scenario,
        source_name: file.to_string(),
        source_text: src.to_string(),
        format,
    })
}

/// Reads, parses and validates a file; the format follows its extension.
pub fn load_path(path: &FsPath) -> Result<Loaded, ScenarioError> {
    let file = path.display().to_string();
    let format = Format::from_path(path).ok_or_else(|| {
        ScenarioError::Syntax(Diagnostic {
            file: file.clone(),
            line: None,
            column: None,
            path: None,
            message: "unknown file type: expected a .toml or .json scenario, or a KTAB .csv".into(),
        })
    })?;
    let bytes = std::fs::read(path).map_err(|source| ScenarioError::Io {
        file: file.clone(),
        source,
    })?;
    let src = String::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(
            &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
            e.utf8_error().valid_up_to(),
        );
        ScenarioError::Syntax(Diagnostic {
            file: file.clone(),
            line: Some(line),
            column: Some(column),
            path: None,
            message: "the file is not valid UTF-8 text".into(),
        })
    })?;
    load_str(&src, &file, format)
}

/// A built-in id (see [`builtin::list`]) or a path to a scenario file.
pub fn resolve(arg: &str) -> Result<Loaded, ScenarioError> {
    if let Some(b) = builtin::get(arg) {
        return load_str(b.source, &format!("{}.toml (built-in)", b.id), Format::Toml);
    }
    let path = FsPath::new(arg);
    if path.exists() {
        return load_path(path);
    }
    Err(ScenarioError::Unknown {
        name: arg.to_string(),
        builtins: builtin::list()
            .iter()
            .map(|b| b.id)
            .collect::<Vec<_>>()
            .join(", "),
    })
}

fn parse_toml(src: &str, file: &str) -> Result<Scenario, ScenarioError> {
    toml::from_str::<Scenario>(src).map_err(|e| {
        let (line, column) = match e.span() {
            Some(r) => {
                let (l, c) = line_col(src, r.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        ScenarioError::Syntax(Diagnostic {
            file: file.to_string(),
            line,
            column,
            path: None,
            message: tidy_serde_message(e.message()),
        })
    })
}

fn parse_json(src: &str, file: &str) -> Result<Scenario, ScenarioError> {
    let de = &mut serde_json::Deserializer::from_str(src);
    serde_path_to_error::deserialize::<_, Scenario>(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        ScenarioError::Syntax(Diagnostic {
            file: file.to_string(),
            line: Some(inner.line()),
            column: Some(inner.column()),
            path: if path == "." || path.is_empty() {
                None
            } else {
                Some(format!("$.{path}"))
            },
            message: tidy_serde_message(&strip_json_position(&inner.to_string())),
        })
    })
}

/// serde_json appends " at line L column C"; we report those separately.
fn strip_json_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Makes serde's messages say what was expected in the file's terms.
fn tidy_serde_message(msg: &str) -> String {
    let msg = msg.trim().to_string();
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        return format!("unknown field {rest}");
    }
    msg
}

/// 1-based (line, column) of a byte offset; columns count characters.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..floor_char_boundary(src, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Turns path-addressed problems into diagnostics with locations.
fn locate(src: &str, file: &str, format: Format, problems: &Problems) -> Vec<Diagnostic> {
    let doc = match format {
        Format::Toml => toml_edit::Document::parse(src.to_string()).ok(),
        _ => None,
    };
    problems
        .0
        .iter()
        .map(|p| {
            let (line, column, path) = match format {
                Format::Toml => {
                    let span = doc.as_ref().and_then(|d| toml_span(d.as_item(), &p.path));
                    match span {
                        Some(off) => {
                            let (l, c) = line_col(src, off);
                            (Some(l), Some(c), Some(p.path.to_string()))
                        }
                        None => (None, None, Some(p.path.to_string())),
                    }
                }
                Format::Json => (None, None, Some(p.path.json_path())),
                Format::KtabCsv => ktab::locate(src, &p.path),
            };
            Diagnostic {
                file: file.to_string(),
                line,
                column,
                path,
                message: p.message.clone(),
            }
        })
        .collect()
}

/// Byte offset of the deepest item of `path` found in the document.
fn toml_span(root: &toml_edit::Item, path: &Path) -> Option<usize> {
    let mut item = root;
    let mut best = None;
    for seg in &path.0 {
        let next = match seg {
            Seg::Key(k) => item.get(k.as_str()),
            Seg::Index(i) => item.get(*i),
        };
        match next {
            Some(n) => {
                item = n;
                if let Some(r) = n.span() {
                    best = Some(r.start);
                }
            }
            None => break,
        }
    }
    best
}
