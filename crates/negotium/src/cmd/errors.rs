//! Errors as `--json` prints them: one machine-readable object on stdout
//! (`{"error": {code, kind, message, param, file, line, column,
//! diagnostics}}`) for every command, so a script never parses prose.

use negotium_scenario::{Diagnostic, ScenarioError};
use serde::Serialize;
use serde_json::Value;

use super::{exit_code, InputError, LensError};

/// Whether the command line asks for JSON (`--json` before any `--`).
pub fn wants_json() -> bool {
    std::env::args()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--json")
}

/// `file:line:column: message` at the start of a message (the form every
/// located error of the loaders takes), as a diagnostic.
fn located(message: &str) -> Option<Diagnostic> {
    let mut parts = message.splitn(4, ':');
    let (file, line, column, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let line = line.trim().parse().ok()?;
    let column = column.trim().parse().ok()?;
    (!file.is_empty() && !file.contains(' ')).then(|| Diagnostic {
        file: file.to_string(),
        line: Some(line),
        column: Some(column),
        path: None,
        message: rest.trim().to_string(),
    })
}

/// The body of the error object (see the module doc); `file`, `line` and
/// `column` repeat the first diagnostic's.
#[derive(Serialize)]
struct ErrorBody {
    code: i32,
    kind: &'static str,
    message: String,
    param: Option<String>,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    diagnostics: Vec<Diagnostic>,
}

impl ErrorBody {
    fn new(
        code: i32,
        kind: &'static str,
        message: String,
        param: Option<String>,
        diagnostics: Vec<Diagnostic>,
    ) -> ErrorBody {
        let first = diagnostics.first();
        ErrorBody {
            code,
            kind,
            message,
            param,
            file: first.map(|d| d.file.clone()),
            line: first.and_then(|d| d.line),
            column: first.and_then(|d| d.column),
            diagnostics,
        }
    }

    /// `{"error": body}`.
    fn object(self) -> Value {
        #[derive(Serialize)]
        struct Wrapped {
            error: ErrorBody,
        }
        serde_json::to_value(Wrapped { error: self }).expect("plain data serialises")
    }
}

/// The error object of `e` (see the module doc); `code` is the exit code.
pub fn error_object(e: &anyhow::Error) -> Value {
    let code = exit_code(e);
    let (kind, param, diagnostics) = if let Some(s) = e.downcast_ref::<ScenarioError>() {
        let mut d = s.diagnostics();
        if let (ScenarioError::Io { file, .. }, true) = (s, d.is_empty()) {
            d.push(Diagnostic {
                file: file.clone(),
                line: None,
                column: None,
                path: None,
                message: format!("{e:#}"),
            });
        }
        ("bad_input", None, d)
    } else if let Some(LensError(a)) = e.downcast_ref::<LensError>() {
        let kind = match a.exit_code() {
            2 => "bad_input",
            3 => "limit",
            _ => "failure",
        };
        let param = a.param_name().map(|p| format!("--{}", p.replace('_', "-")));
        (kind, param, located(a.message()).into_iter().collect())
    } else if e.downcast_ref::<InputError>().is_some() {
        (
            "bad_input",
            None,
            located(&e.to_string()).into_iter().collect(),
        )
    } else {
        ("failure", None, Vec::new())
    };
    ErrorBody::new(code, kind, format!("{e:#}"), param, diagnostics).object()
}

/// A command-line parsing error (unknown flag, bad value) as the same
/// object: code 2, kind `usage`, the argument in `param` when clap names it.
pub fn usage_object(e: &clap::Error) -> Value {
    use clap::error::{ContextKind, ContextValue};
    let param = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let message = e.render().to_string();
    let message = message.trim().trim_start_matches("error: ").to_string();
    ErrorBody::new(2, "usage", message, param, Vec::new()).object()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_located_message_gives_file_line_and_column() {
        let d = located("model.gmcr:3:14: unknown option `x`").unwrap();
        assert_eq!(
            (d.file.as_str(), d.line, d.column, d.message.as_str()),
            ("model.gmcr", Some(3), Some(14), "unknown option `x`")
        );
        assert!(located("unknown model `eumm`: expected").is_none());
        assert!(located("a b:1:2: x").is_none());
    }

    #[test]
    fn lens_errors_keep_kind_param_and_code() {
        let e = super::super::lens(negotium_analysis::AnalysisError::param_limit(
            "steps",
            "2000000 above 1000000",
        ));
        let v = error_object(&e);
        assert_eq!(v["error"]["code"], 3);
        assert_eq!(v["error"]["kind"], "limit");
        assert_eq!(v["error"]["param"], "--steps");
    }
}
