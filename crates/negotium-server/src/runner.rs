//! The one seam between the workbench and the lenses: the binary supplies an
//! `Arc<dyn Runner>`; the server itself knows no lens.

use std::collections::BTreeMap;

use negotium_scenario::Loaded;
use serde::Serialize;
use serde_json::Value;

/// The kind of a lens parameter (drives the HTML form and JSON coercion).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParamKind {
    Text,
    Integer,
    Bool,
    Choice { options: Vec<String> },
}

/// One parameter of a lens.
#[derive(Debug, Clone, Serialize)]
pub struct ParamInfo {
    pub name: String,
    #[serde(flatten)]
    pub kind: ParamKind,
    /// Default value (`null`: none).
    pub default: Value,
    pub help: String,
}

/// What a lens is and which parameters it takes.
#[derive(Debug, Clone, Serialize)]
pub struct LensInfo {
    pub id: String,
    pub title: String,
    pub description: String,
    pub params: Vec<ParamInfo>,
    /// Scenario sections the lens needs (e.g. `conflict`); for display only.
    pub needs: Vec<String>,
}

/// A lens's result: its `--json` contract, the seed it used (if any), and a
/// few key numbers (`issue.model.forecast` → value) used to compare runs.
#[derive(Debug, Clone, Serialize)]
pub struct RunOutput {
    pub result: Value,
    pub seed: Option<u64>,
    pub key_numbers: BTreeMap<String, f64>,
}

/// Why a run did not produce a result.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum RunError {
    /// The lens id is not one the runner knows.
    #[error("unknown lens `{0}`")]
    UnknownLens(String),
    /// The parameters or the scenario do not suit the lens (HTTP 422).
    #[error("{0}")]
    BadInput(String),
    /// The lens exists but is not wired in this build.
    #[error("lens `{0}` not available yet")]
    NotAvailable(String),
    /// The lens failed on valid input (HTTP 500).
    #[error("{0}")]
    Failed(String),
}

/// Runs lenses on loaded scenarios. Implementations must be pure functions of
/// (lens, scenario, params): every random choice takes its seed from params.
pub trait Runner: Send + Sync {
    /// The lenses offered, in menu order.
    fn lenses(&self) -> Vec<LensInfo>;
    /// Runs one lens. Called on a blocking thread, under a time limit.
    fn run(&self, lens: &str, scenario: &Loaded, params: &Value) -> Result<RunOutput, RunError>;
    /// Program name and version stored with every run, e.g. `negotium 0.1.0`.
    fn version(&self) -> String;
    /// A lens result as one tidy table for the CSV download (one row per
    /// observation, one column per variable). `None`: the download lists
    /// every leaf of the JSON as `path,value` instead.
    fn table(&self, _lens: &str, _result: &Value) -> Option<Table> {
        None
    }
}

/// A tidy table: column names and rows of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Coerces HTML form strings into typed JSON parameters by the lens's
/// declared kinds; unknown names are kept as strings, blanks are dropped.
pub fn params_from_form(info: &LensInfo, form: &BTreeMap<String, String>) -> Result<Value, String> {
    let mut out = serde_json::Map::new();
    for p in &info.params {
        let key = format!("p_{}", p.name);
        let raw = form.get(&key).map(|s| s.trim()).unwrap_or("");
        let v = match &p.kind {
            ParamKind::Bool => Value::Bool(matches!(raw, "on" | "true" | "1" | "yes")),
            _ if raw.is_empty() => continue,
            ParamKind::Integer => Value::from(raw.parse::<i64>().map_err(|_| {
                format!(
                    "parameter `{}`: expected a whole number, got `{raw}`",
                    p.name
                )
            })?),
            ParamKind::Choice { options } => {
                if !options.iter().any(|o| o == raw) {
                    return Err(format!(
                        "parameter `{}`: expected one of {}, got `{raw}`",
                        p.name,
                        options.join(", ")
                    ));
                }
                Value::from(raw)
            }
            ParamKind::Text => Value::from(raw),
        };
        out.insert(p.name.clone(), v);
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> LensInfo {
        LensInfo {
            id: "x".into(),
            title: "X".into(),
            description: String::new(),
            needs: vec![],
            params: vec![
                ParamInfo {
                    name: "seed".into(),
                    kind: ParamKind::Integer,
                    default: Value::from(0),
                    help: String::new(),
                },
                ParamInfo {
                    name: "joint".into(),
                    kind: ParamKind::Bool,
                    default: Value::from(false),
                    help: String::new(),
                },
                ParamInfo {
                    name: "model".into(),
                    kind: ParamKind::Text,
                    default: Value::Null,
                    help: String::new(),
                },
                ParamInfo {
                    name: "mode".into(),
                    kind: ParamKind::Choice {
                        options: vec!["a".into(), "b".into()],
                    },
                    default: Value::Null,
                    help: String::new(),
                },
            ],
        }
    }

    #[test]
    fn coerces_form_fields() {
        let form: BTreeMap<String, String> = [
            ("p_seed", "7"),
            ("p_joint", "on"),
            ("p_model", " "),
            ("p_mode", "b"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let v = params_from_form(&info(), &form).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"seed": 7, "joint": true, "mode": "b"})
        );
    }

    #[test]
    fn rejects_bad_numbers_and_choices() {
        let mut form = BTreeMap::new();
        form.insert("p_seed".to_string(), "x".to_string());
        assert!(params_from_form(&info(), &form)
            .unwrap_err()
            .contains("whole number"));
        let mut form = BTreeMap::new();
        form.insert("p_mode".to_string(), "c".to_string());
        assert!(params_from_form(&info(), &form)
            .unwrap_err()
            .contains("one of a, b"));
    }
}
