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
///
/// Every problem is reported, not just the first: syntax errors (all those
/// the TOML parser finds), every unknown, missing or mistyped field (section
/// by section, element by element), and — when the structure is sound once
/// unknown keys are set aside — the non-finite numbers and the semantic
/// problems too, in file order.
pub fn load_str(src: &str, file: &str, format: Format) -> Result<Loaded, ScenarioError> {
    let (scenario, mut diags) = match format {
        Format::Toml => match parse_toml(src, file) {
            Ok(s) => (s, Vec::new()),
            Err(first) => {
                let r = crate::recover::toml(src, file);
                match r.repaired {
                    _ if r.diagnostics.is_empty() => return Err(first),
                    None => return Err(invalid(r.diagnostics)),
                    Some(s) => (s, r.diagnostics),
                }
            }
        },
        Format::Json => match parse_json(src, file) {
            Ok(s) => (s, Vec::new()),
            Err(first) => {
                let Some(r) = crate::recover::json(src, file) else {
                    return Err(first);
                };
                // The streaming parser's error has the line and column; the
                // others only their JSON path.
                let mut ds = first.diagnostics();
                let same_as_first = |d: &Diagnostic| {
                    ds.iter().any(|f| {
                        f.message == d.message
                            && f.path
                                .as_deref()
                                .unwrap_or("$")
                                .starts_with(d.path.as_deref().unwrap_or("$"))
                    })
                };
                let more: Vec<Diagnostic> = r
                    .diagnostics
                    .into_iter()
                    .filter(|d| !same_as_first(d))
                    .collect();
                ds.extend(more);
                match r.repaired {
                    None => return Err(invalid(ds)),
                    Some(s) => (s, ds),
                }
            }
        },
        Format::KtabCsv => (ktab::parse(src, file)?, Vec::new()),
    };
    let bad = match format {
        Format::Toml => non_finite_toml(src, file),
        _ => Vec::new(),
    };
    let problems = crate::validate::validate(&scenario);
    let semantic = locate(src, file, format, &problems);
    // A non-finite number makes the checks of its element meaningless.
    let element = |p: &str| -> String {
        let end = p.find(']').map(|i| i + 1).unwrap_or(p.len());
        p[..end].to_string()
    };
    let spoiled: Vec<String> = bad
        .iter()
        .filter_map(|d| d.path.as_deref().map(element))
        .collect();
    diags.extend(bad);
    diags.extend(semantic.into_iter().filter(|d| {
        let derived = d.message.contains("NaN") || d.message.contains("inf");
        let same = d
            .path
            .as_deref()
            .is_some_and(|p| spoiled.contains(&element(p)));
        spoiled.is_empty() || !(derived || same)
    }));
    if !diags.is_empty() {
        if format == Format::Toml {
            diags.sort_by_key(|d| (d.line, d.column));
        }
        return Err(ScenarioError::Invalid(diags));
    }
    Ok(Loaded {
        scenario,
        source_name: file.to_string(),
        source_text: src.to_string(),
        format,
    })
}

/// One diagnostic as a syntax error (as before), several as a list.
fn invalid(mut diags: Vec<Diagnostic>) -> ScenarioError {
    if diags.len() == 1 {
        ScenarioError::Syntax(diags.remove(0))
    } else {
        ScenarioError::Invalid(diags)
    }
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
        suggestion: negotium_suggest::did_you_mean(arg, builtin::list().iter().map(|b| b.id)),
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
pub(crate) fn tidy_serde_message(msg: &str) -> String {
    let msg = msg.trim().to_string();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        // "unknown field `k`, expected one of `a`, `b`" (or "expected `a`"):
        // name the nearest expected key after the unknown one.
        if let Some((key, expected)) = rest.split_once("`, expected ") {
            let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            let hint = negotium_suggest::did_you_mean(key, names.iter().copied());
            return format!("unknown field `{key}`{hint}, expected {expected}");
        }
        return format!("unknown field `{rest}");
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

/// Every `nan` or `inf` anywhere in a TOML document (JSON has no spelling
/// for them, and serde_json refuses numbers that overflow), located by line
/// and column, whatever the field: no lens is ever handed one. Walks the
/// document with an explicit stack, so nesting costs no recursion.
fn non_finite_toml(src: &str, file: &str) -> Vec<Diagnostic> {
    use toml::de::{DeTable, DeValue};
    let Ok(doc) = DeTable::parse(src) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack: Vec<(&toml::Spanned<DeValue>, Path)> = doc
        .get_ref()
        .iter()
        .map(|(k, v)| (v, Path::root().key(k.get_ref())))
        .collect();
    while let Some((v, at)) = stack.pop() {
        match v.get_ref() {
            DeValue::Table(t) => {
                for (k, x) in t.iter() {
                    stack.push((x, at.key(k.get_ref())));
                }
            }
            DeValue::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    stack.push((x, at.index(i)));
                }
            }
            DeValue::Float(f) => {
                let text = f.as_str().replace('_', "");
                let bad = text.contains("nan") || text.contains("inf");
                if bad {
                    let (line, column) = line_col(src, v.span().start);
                    out.push(Diagnostic {
                        file: file.to_string(),
                        line: Some(line),
                        column: Some(column),
                        path: Some(at.to_string()),
                        message: format!(
                            "`{}` is not a finite number: expected a finite number here",
                            f.as_str()
                        ),
                    });
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|d| (d.line, d.column));
    out
}

/// Turns path-addressed problems into diagnostics with locations.
fn locate(src: &str, file: &str, format: Format, problems: &Problems) -> Vec<Diagnostic> {
    let doc = match format {
        Format::Toml => toml::de::DeTable::parse(src).ok(),
        _ => None,
    };
    problems
        .0
        .iter()
        .map(|p| {
            let (line, column, path) = match format {
                Format::Toml => {
                    let span = doc.as_ref().and_then(|d| toml_span(d.get_ref(), &p.path));
                    // A problem about something absent from the file (no
                    // [[actor]] at all) is placed at its start.
                    let (l, c) = line_col(src, span.unwrap_or(0));
                    (Some(l), Some(c), Some(p.path.to_string()))
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
/// The document is read with toml's own span-keeping parser, which keeps
/// numbers as written: one too large for any integer type (which the
/// loader may still accept, e.g. as a `u64`) does not lose the locations.
fn toml_span(root: &toml::de::DeTable, path: &Path) -> Option<usize> {
    use toml::de::DeValue;
    let mut table = Some(root);
    let mut value: Option<&toml::Spanned<DeValue>> = None;
    let mut best = None;
    for seg in &path.0 {
        let next = match (seg, table, value.map(|v| v.get_ref())) {
            (Seg::Key(k), Some(t), _) => t
                .iter()
                .find(|(key, _)| key.get_ref().as_ref() == k.as_str())
                .map(|(_, v)| v),
            (Seg::Index(i), _, Some(DeValue::Array(a))) => a.get(*i),
            _ => None,
        };
        let Some(n) = next else { break };
        best = Some(n.span().start);
        value = Some(n);
        table = match n.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    best
}
