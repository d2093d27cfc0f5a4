//! A lens's HTML form, built from its parameter schema (every parameter,
//! the registry's form parameters first), with choices where choices
//! belong: the scenario's issues and institutions, the schema's lists of
//! models and concepts, the indices, methods, protocols and event kinds. The
//! same fields turn the submitted form back into typed JSON params.

use negotium_analysis::registry;
use negotium_scenario::Scenario;
use serde_json::Value;

/// Voting-power indices the `power` lens takes (`index`); a test checks
/// each against the lens.
pub const POWER_INDICES: [&str; 8] = [
    "shapley_shubik",
    "banzhaf",
    "banzhaf_absolute",
    "holler",
    "deegan_packel",
    "johnston",
    "coleman_prevent",
    "coleman_initiate",
];

/// `power`'s `method` values.
pub const POWER_METHODS: [&str; 4] = ["auto", "exact", "enumerate", "monte-carlo"];

/// Negotiation protocols.
pub const PROTOCOLS: [&str; 2] = ["sao", "single-text"];

/// How a parameter is entered.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    Bool,
    Integer {
        min: Option<f64>,
        max: Option<f64>,
    },
    Number,
    Text,
    /// One of these (value, label); a blank value means "the default".
    One(Vec<(String, String)>),
    /// Any of these (a list parameter): checkboxes.
    Many(Vec<(String, String)>),
}

/// One form field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub input: Input,
    pub default: Value,
    pub help: String,
    pub required: bool,
    /// Among the registry's form parameters (shown first; the rest under
    /// "more parameters").
    pub main: bool,
}

impl Field {
    /// The default as a form value (`""` when none).
    pub fn default_text(&self) -> String {
        match &self.default {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Array(a) => a
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string())
                })
                .collect::<Vec<_>>()
                .join(","),
            other => other.to_string(),
        }
    }

    /// Whether a choice starts selected.
    pub fn selected(&self, value: &str) -> bool {
        match (&self.input, &self.default) {
            (Input::Many(opts), Value::Array(a)) if a.is_empty() => {
                // An empty list means "all": show all ticked.
                opts.iter().any(|(v, _)| v == value)
            }
            (Input::Many(_), Value::Null) => true,
            (Input::Many(_), _) => self.default_text().split(',').any(|x| x.trim() == value),
            _ => self.default_text() == value,
        }
    }
}

fn types(prop: &Value) -> Vec<String> {
    match &prop["type"] {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => vec![],
    }
}

fn is_list(prop: &Value) -> bool {
    prop["anyOf"]
        .as_array()
        .is_some_and(|a| a.iter().any(|x| x["type"] == "array"))
        || types(prop).iter().any(|t| t == "array")
}

fn pairs<'a>(it: impl IntoIterator<Item = &'a str>) -> Vec<(String, String)> {
    it.into_iter()
        .map(|s| (s.to_string(), s.to_string()))
        .collect()
}

/// Choices for a parameter, if it has any.
fn choices(lens: &str, name: &str, prop: &Value, sc: Option<&Scenario>) -> Option<Input> {
    let list = is_list(prop);
    let from_default = || -> Vec<(String, String)> {
        prop["default"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str())
                    .map(|s| (s.to_string(), s.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let opts: Vec<(String, String)> = match (lens, name) {
        (_, "issue") => sc?
            .inputs
            .issues
            .iter()
            .map(|i| (i.id.clone(), format!("{} — {}", i.id, i.name)))
            .collect(),
        (_, "institution") => sc?
            .inputs
            .institutions
            .iter()
            .map(|i| (i.id.clone(), format!("{} — {}", i.id, i.name)))
            .collect(),
        ("forecast", "model") | ("conflict", "concepts") => from_default(),
        ("power", "index") => pairs(POWER_INDICES),
        ("power", "method") => pairs(POWER_METHODS),
        (_, "protocol") => pairs(PROTOCOLS),
        ("history", "kind") => pairs(negotium_analysis::history::ALL_KINDS.split(", ")),
        _ => return None,
    };
    if opts.is_empty() {
        return None;
    }
    Some(if list {
        Input::Many(opts)
    } else {
        Input::One(opts)
    })
}

fn input_of(prop: &Value) -> Input {
    if let Some(e) = prop["enum"].as_array() {
        return Input::One(pairs(e.iter().filter_map(|x| x.as_str())));
    }
    let t = types(prop);
    let has = |x: &str| t.iter().any(|y| y == x);
    if has("boolean") {
        Input::Bool
    } else if has("integer") {
        Input::Integer {
            min: prop["minimum"].as_f64(),
            max: prop["maximum"].as_f64(),
        }
    } else if has("number") {
        Input::Number
    } else {
        Input::Text
    }
}

/// Every parameter of `lens` as a form field, the registry's form
/// parameters first (in its order), then the others by name.
pub fn fields(lens: &str, sc: Option<&Scenario>) -> Vec<Field> {
    let Some(schema) = registry::params_schema(lens) else {
        return vec![];
    };
    let schema = serde_json::to_value(&schema).unwrap_or(Value::Null);
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x.as_str()).collect())
        .unwrap_or_default();
    let main: Vec<String> = registry::info(lens)
        .map(|i| i.params.into_iter().map(|p| p.name).collect())
        .unwrap_or_default();
    let Some(props) = schema["properties"].as_object() else {
        return vec![];
    };
    let mut out: Vec<Field> = props
        .iter()
        .map(|(name, prop)| Field {
            name: name.clone(),
            input: choices(lens, name, prop, sc).unwrap_or_else(|| input_of(prop)),
            default: prop.get("default").cloned().unwrap_or(Value::Null),
            help: prop["description"]
                .as_str()
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            required: required.contains(&name.as_str()),
            main: main.contains(name),
        })
        .collect();
    out.sort_by_key(|f| {
        (
            main.iter().position(|m| *m == f.name).unwrap_or(usize::MAX),
            f.name.clone(),
        )
    });
    out
}

/// The submitted form (`p_NAME` fields; a list parameter may repeat) as
/// JSON params: blanks are left out (the lens's default), numbers parsed,
/// choices checked.
pub fn params_from_form(fields: &[Field], form: &[(String, String)]) -> Result<Value, String> {
    let mut out = serde_json::Map::new();
    for f in fields {
        let key = format!("p_{}", f.name);
        let vals: Vec<&str> = form
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.trim())
            .collect();
        let one = vals.iter().copied().find(|v| !v.is_empty()).unwrap_or("");
        let check = |opts: &[(String, String)], v: &str| -> Result<(), String> {
            if opts.iter().any(|(o, _)| o == v) {
                Ok(())
            } else {
                Err(format!(
                    "parameter `{}`: expected one of {}, got `{v}`",
                    f.name,
                    opts.iter()
                        .map(|(o, _)| o.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        };
        let v = match &f.input {
            Input::Bool => Value::Bool(
                vals.iter()
                    .any(|v| matches!(*v, "on" | "true" | "1" | "yes")),
            ),
            Input::Many(opts) => {
                let picked: Vec<&str> = vals.iter().copied().filter(|v| !v.is_empty()).collect();
                if picked.is_empty() {
                    continue;
                }
                for p in &picked {
                    check(opts, p)?;
                }
                Value::from(picked)
            }
            _ if one.is_empty() => continue,
            Input::One(opts) => {
                check(opts, one)?;
                Value::from(one)
            }
            Input::Integer { .. } => Value::from(one.parse::<i64>().map_err(|_| {
                format!(
                    "parameter `{}`: expected a whole number, got `{one}`",
                    f.name
                )
            })?),
            Input::Number => Value::from(
                one.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| {
                        format!("parameter `{}`: expected a number, got `{one}`", f.name)
                    })?,
            ),
            Input::Text => Value::from(one),
        };
        out.insert(f.name.clone(), v);
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kv: &[(&str, &str)]) -> Vec<(String, String)> {
        kv.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn every_lens_has_every_schema_parameter_as_a_field() {
        let k = negotium_scenario::resolve("kosovo-status").unwrap();
        for lens in registry::LENSES {
            let schema = serde_json::to_value(registry::params_schema(lens).unwrap()).unwrap();
            let want: std::collections::BTreeSet<&str> = schema["properties"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let fs = fields(lens, Some(&k.scenario));
            let got: std::collections::BTreeSet<&str> =
                fs.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(got, want, "{lens}");
            // The registry's form parameters come first.
            let main = registry::info(lens).unwrap().params;
            for (f, p) in fs.iter().zip(&main) {
                assert_eq!(f.name, p.name, "{lens}");
            }
        }
    }

    #[test]
    fn choices_come_from_the_scenario_and_the_schema() {
        let k = negotium_scenario::resolve("kosovo-status").unwrap();
        let fs = fields("forecast", Some(&k.scenario));
        let by = |n: &str| fs.iter().find(|f| f.name == n).unwrap().clone();
        let Input::Many(models) = by("model").input else {
            panic!("model")
        };
        assert_eq!(
            models.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(),
            negotium_analysis::forecast::ALL_MODELS
        );
        let Input::Many(issues) = by("issue").input else {
            panic!("issue")
        };
        assert_eq!(issues.len(), k.scenario.inputs.issues.len());
        assert!(
            by("issue").selected(&issues[0].0),
            "empty default = all ticked"
        );
        assert_eq!(
            by("rounds").input,
            Input::Integer {
                min: Some(1.0),
                max: Some(10000.0)
            }
        );
        let vote = fields("vote", Some(&k.scenario));
        let inst = vote.iter().find(|f| f.name == "institution").unwrap();
        let Input::One(opts) = &inst.input else {
            panic!("institution")
        };
        assert_eq!(opts.len(), k.scenario.inputs.institutions.len());
        assert!(vote.iter().find(|f| f.name == "proposal").unwrap().required);
    }

    #[test]
    fn every_listed_power_index_method_and_protocol_is_accepted() {
        let eu = negotium_scenario::resolve("eu-council-2025").unwrap();
        for i in POWER_INDICES {
            registry::run("power", &eu, &serde_json::json!({"index": i}))
                .unwrap_or_else(|e| panic!("{i}: {e}"));
        }
        for m in POWER_METHODS {
            let r = registry::run(
                "power",
                &eu,
                &serde_json::json!({"method": m, "samples": 1000}),
            );
            // Exact enumeration may refuse 27 members as too large, but never as unknown.
            if let Err(e) = r {
                assert!(
                    !e.to_string().contains("unknown") && !e.to_string().contains("expected"),
                    "{m}: {e}"
                );
            }
        }
        for p in PROTOCOLS {
            let k = negotium_scenario::resolve("kosovo-status").unwrap();
            registry::run(
                "negotiate",
                &k,
                &serde_json::json!({"protocol": p, "steps": 20}),
            )
            .unwrap_or_else(|e| panic!("{p}: {e}"));
        }
    }

    #[test]
    fn coerces_form_fields() {
        let k = negotium_scenario::resolve("kosovo-status").unwrap();
        let fs = fields("forecast", Some(&k.scenario));
        let v = params_from_form(
            &fs,
            &form(&[
                ("p_seed", "7"),
                ("p_joint", "on"),
                ("p_model", "median"),
                ("p_model", "eum"),
                ("p_rounds", " "),
                ("csrf", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"seed": 7, "joint": true, "model": ["median", "eum"]})
        );
        // The params are the lens's: it accepts them.
        registry::run("forecast", &k, &v).unwrap();
        assert!(params_from_form(&fs, &form(&[("p_seed", "x")]))
            .unwrap_err()
            .contains("whole number"));
        assert!(params_from_form(&fs, &form(&[("p_model", "tarot")]))
            .unwrap_err()
            .contains("one of"));
        let vote = fields("vote", Some(&k.scenario));
        assert!(params_from_form(&vote, &form(&[("p_proposal", "inf")]))
            .unwrap_err()
            .contains("a number"));
    }
}
