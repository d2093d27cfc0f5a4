//! Serde helpers shared by every lens's parameters, so JSON params read the
//! way the command-line flags do: a list is a JSON array or one
//! comma-separated string, a blank string means "not given", and a whole
//! number may also be written as a string (`"rounds": "4"`).

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A list flag with a `,` delimiter (`--model median,eum`): a JSON array
/// (each item split on commas too, as the flag does) or one comma-separated
/// string; items are trimmed and blanks dropped; `null` is the empty list.
pub fn comma_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Value::deserialize(d)?;
    let items: Vec<String> = match &v {
        Value::Null => Vec::new(),
        Value::Array(xs) => xs.iter().filter_map(text_of).collect(),
        Value::String(s) => vec![s.clone()],
        Value::Number(_) => vec![v.to_string()],
        other => {
            return Err(D::Error::custom(format!(
                "expected a list (an array, or a comma-separated string), got {other}"
            )))
        }
    };
    Ok(items
        .iter()
        .flat_map(|s| s.split(','))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

/// A repeatable flag without a delimiter (`--coalition A+B --coalition C+D`):
/// a JSON array of items, or one string for a single item; blanks dropped.
pub fn repeated<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let v = Value::deserialize(d)?;
    let items: Vec<String> = match &v {
        Value::Null => Vec::new(),
        Value::Array(xs) => xs.iter().filter_map(text_of).collect(),
        Value::String(_) | Value::Number(_) => text_of(&v).into_iter().collect(),
        other => {
            return Err(D::Error::custom(format!(
                "expected a string or an array of strings, got {other}"
            )))
        }
    };
    Ok(items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect())
}

/// An optional text flag: `null` or a blank string is "not given"; numbers
/// are taken as their text (`"status_quo": 3` is state 3).
pub fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.trim().to_string())),
        Value::Number(_) => Ok(Some(v.to_string())),
        other => Err(D::Error::custom(format!("expected a string, got {other}"))),
    }
}

fn whole<E: serde::de::Error>(v: &Value) -> Result<Option<u64>, E> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| E::custom(format!("expected a whole number ≥ 0, got {n}"))),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| E::custom(format!("expected a whole number ≥ 0, got `{s}`"))),
        other => Err(E::custom(format!(
            "expected a whole number ≥ 0, got {other}"
        ))),
    }
}

/// A whole number that may also be given as a string; `null` or blank is
/// "not given".
pub fn opt_int<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64>,
{
    let v = Value::deserialize(d)?;
    match whole::<D::Error>(&v)? {
        None => Ok(None),
        Some(n) => T::try_from(n)
            .map(Some)
            .map_err(|_| D::Error::custom(format!("{n} is too large"))),
    }
}

/// A whole number that may also be given as a string; `null` or blank keeps
/// the default.
pub fn int<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<u64> + Default,
{
    Ok(opt_int(d)?.unwrap_or_default())
}

/// A number that may also be given as a string; `null` or blank is "not given".
pub fn opt_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(None),
        Value::Number(n) => Ok(n.as_f64()),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map(Some)
            .map_err(|_| D::Error::custom(format!("expected a number, got `{s}`"))),
        other => Err(D::Error::custom(format!("expected a number, got {other}"))),
    }
}

/// Schema of [`comma_list`]: an array of strings or one comma-separated string.
pub fn comma_list_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string", "description": "comma-separated"}
        ]
    })
}

/// Schema of [`repeated`]: an array of strings or one string (one item).
pub fn repeated_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string", "description": "a single item"}
        ]
    })
}

/// A marker type for the schema of a whole number written as a number or a
/// numeric string.
pub struct LenientInt;

impl JsonSchema for LenientInt {
    fn schema_name() -> Cow<'static, str> {
        "WholeNumber".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["integer", "string", "null"],
            "minimum": 0,
            "pattern": "^\\s*[0-9]*\\s*$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize, Debug, Default)]
    #[serde(default)]
    struct P {
        #[serde(deserialize_with = "comma_list")]
        list: Vec<String>,
        #[serde(deserialize_with = "repeated")]
        rep: Vec<String>,
        #[serde(deserialize_with = "opt_text")]
        text: Option<String>,
        #[serde(deserialize_with = "opt_int")]
        n: Option<u32>,
        #[serde(deserialize_with = "int")]
        k: u64,
    }

    fn p(v: Value) -> Result<P, serde_json::Error> {
        serde_json::from_value(v)
    }

    #[test]
    fn lists_read_like_flags() {
        assert_eq!(p(json!({"list": "a, b,,c"})).unwrap().list, ["a", "b", "c"]);
        assert_eq!(
            p(json!({"list": ["a", "b,c"]})).unwrap().list,
            ["a", "b", "c"]
        );
        assert!(p(json!({"list": null})).unwrap().list.is_empty());
        assert!(p(json!({"list": {}})).is_err());
        assert_eq!(p(json!({"rep": "A+B,C"})).unwrap().rep, ["A+B,C"]);
        assert_eq!(p(json!({"rep": ["x", " "]})).unwrap().rep, ["x"]);
    }

    #[test]
    fn blanks_are_not_given_and_numbers_may_be_strings() {
        assert_eq!(p(json!({"text": " "})).unwrap().text, None);
        assert_eq!(p(json!({"text": 3})).unwrap().text.as_deref(), Some("3"));
        assert_eq!(p(json!({"n": "4"})).unwrap().n, Some(4));
        assert_eq!(p(json!({"n": ""})).unwrap().n, None);
        assert_eq!(p(json!({"k": 7})).unwrap().k, 7);
        let e = p(json!({"n": "x"})).unwrap_err().to_string();
        assert!(e.contains("whole number"), "{e}");
        assert!(p(json!({"n": -1})).is_err());
        assert!(p(json!({"n": 5_000_000_000u64})).is_err());
    }
}
