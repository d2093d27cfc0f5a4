//! Reader for gmcr-py / GMCR+ `.gmcr` files (JSON): options with
//! `permittedDirection`, decision makers with prioritised conditions or a
//! manual ranking, infeasible conditions, misperceptions and coalitions.
//! Errors name the JSON path of the offending value.

use negotium_conflict::{
    Conflict, ConflictError, ConflictSpec, DmSpec, Formula, OptionSpec, Preferences, Reversibility,
};
use serde_json::Value;

/// A bad `.gmcr` file: where (JSON path) and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GmcrError {
    #[error("{file}: not valid JSON at line {line}, column {column}: {message}")]
    Json {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}: {path}: {message}")]
    Invalid {
        file: String,
        path: String,
        message: String,
    },
}

/// A model read from a `.gmcr` file.
#[derive(Debug, Clone)]
pub struct GmcrModel {
    /// Options are in gmcr-py's DM-regrouped order, so state numbers match it.
    pub spec: ConflictSpec,
    /// The file's coalition partition (DM indices), if it declares one.
    pub coalitions: Option<Vec<Vec<usize>>>,
    /// JSON path of each DM's preferences (`$.decisionMakers[1].preferenceRanking`).
    pub preference_paths: Vec<String>,
}

impl GmcrModel {
    /// Builds the conflict. What the engine refuses is reported at the JSON
    /// path it concerns: a DM's ranking, the options (sizes), the
    /// infeasible conditions (nothing feasible left), else the root.
    pub fn build(&self, file: &str) -> Result<Conflict, GmcrError> {
        Conflict::build(&self.spec).map_err(|e| {
            let path = match &e {
                ConflictError::Ranking { dm, .. } => self
                    .spec
                    .dms
                    .iter()
                    .position(|d| &d.id == dm)
                    .and_then(|i| self.preference_paths.get(i).cloned())
                    .unwrap_or_else(|| "$.decisionMakers".into()),
                ConflictError::TooLarge { .. } => "$.options".into(),
                ConflictError::Model(m) if m.contains("infeasible") => "$.infeasibles".into(),
                _ => "$".into(),
            };
            GmcrError::Invalid {
                file: file.to_string(),
                path,
                message: e.to_string(),
            }
        })
    }
}

struct Ctx<'a> {
    file: &'a str,
}

impl Ctx<'_> {
    fn err(&self, path: &str, message: impl Into<String>) -> GmcrError {
        GmcrError::Invalid {
            file: self.file.to_string(),
            path: path.to_string(),
            message: message.into(),
        }
    }
}

fn arr<'v>(cx: &Ctx, v: &'v Value, path: &str) -> Result<&'v Vec<Value>, GmcrError> {
    v.as_array()
        .ok_or_else(|| cx.err(path, format!("expected an array, found {}", kind(v))))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn index(cx: &Ctx, v: &Value, path: &str, len: usize, what: &str) -> Result<usize, GmcrError> {
    match v.as_u64() {
        Some(k) if (k as usize) < len => Ok(k as usize),
        Some(k) => Err(cx.err(
            path,
            format!("{what} {k} out of range; the file has {len} (0-based)"),
        )),
        None => Err(cx.err(
            path,
            format!("expected a {what} (integer), found {}", kind(v)),
        )),
    }
}

/// Parses `.gmcr` JSON text; `file` names the source in errors.
pub fn parse_gmcr(text: &str, file: &str) -> Result<GmcrModel, GmcrError> {
    let cx = Ctx { file };
    let root: Value = serde_json::from_str(text).map_err(|e| GmcrError::Json {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    if !root.is_object() {
        return Err(cx.err(
            "$",
            format!("expected a JSON object, found {}", kind(&root)),
        ));
    }
    let opts = arr(
        &cx,
        root.get("options").unwrap_or(&Value::Null),
        "$.options",
    )?;
    let dms = arr(
        &cx,
        root.get("decisionMakers").unwrap_or(&Value::Null),
        "$.decisionMakers",
    )?;
    let m = opts.len();
    if dms.len() < 2 {
        return Err(cx.err(
            "$.decisionMakers",
            format!("{} decision maker(s); expected at least 2", dms.len()),
        ));
    }
    // gmcr-py regroups options by DM, in each DM's listed order.
    let mut new_of = vec![usize::MAX; m];
    let mut order = Vec::new();
    let mut owner = vec![0usize; m];
    for (i, d) in dms.iter().enumerate() {
        let p = format!("$.decisionMakers[{i}].options");
        for (j, o) in arr(&cx, d.get("options").unwrap_or(&Value::Null), &p)?
            .iter()
            .enumerate()
        {
            let k = index(&cx, o, &format!("{p}[{j}]"), m, "option index")?;
            if new_of[k] != usize::MAX {
                return Err(cx.err(
                    &format!("{p}[{j}]"),
                    format!("option {k} is already controlled by another decision maker"),
                ));
            }
            new_of[k] = order.len();
            order.push(k);
            owner[k] = i;
        }
    }
    if let Some(k) = new_of.iter().position(|&x| x == usize::MAX) {
        return Err(cx.err(&format!("$.options[{k}]"), "no decision maker controls this option; expected its index in some decisionMakers[].options"));
    }
    let mut options = Vec::with_capacity(m);
    for &k in &order {
        let o = &opts[k];
        let p = format!("$.options[{k}]");
        let name = o
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| cx.err(&format!("{p}.name"), "expected a string"))?;
        let rev = match o
            .get("permittedDirection")
            .and_then(Value::as_str)
            .unwrap_or("both")
        {
            "both" => Reversibility::Both,
            "fwd" => Reversibility::TakeOnly,
            "back" => Reversibility::DropOnly,
            other => {
                return Err(cx.err(
                    &format!("{p}.permittedDirection"),
                    format!("unknown direction `{other}`; expected \"both\", \"fwd\" or \"back\""),
                ))
            }
        };
        options.push(OptionSpec {
            id: format!("o{}", new_of[k] + 1),
            name: name.to_string(),
            dm: owner[k],
            reversibility: rev,
        });
    }
    let cond = |v: &Value, p: &str| -> Result<Formula, GmcrError> { condition(&cx, v, p, &new_of) };
    let infeasible = arr(
        &cx,
        root.get("infeasibles").unwrap_or(&Value::Array(vec![])),
        "$.infeasibles",
    )?
    .iter()
    .enumerate()
    .map(|(k, v)| cond(v, &format!("$.infeasibles[{k}]")))
    .collect::<Result<Vec<_>, _>>()?;
    let manual = root
        .get("useManualPreferenceRanking")
        .or_else(|| root.get("useManualPreferenceVectors"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let mut dm_specs = Vec::new();
    let mut preference_paths = Vec::new();
    for (i, d) in dms.iter().enumerate() {
        let p = format!("$.decisionMakers[{i}]");
        let name = d
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| cx.err(&format!("{p}.name"), "expected a string"))?
            .to_string();
        let preferences = if manual {
            let key = if d.get("preferenceRanking").is_some() {
                "preferenceRanking"
            } else {
                "preferenceVector"
            };
            let rp = format!("{p}.{key}");
            preference_paths.push(rp.clone());
            let list = arr(&cx, d.get(key).unwrap_or(&Value::Null), &rp)?;
            let mut groups = Vec::new();
            for (g, e) in list.iter().enumerate() {
                let num = |x: &Value, at: &str| {
                    x.as_u64().map(|n| n as usize).ok_or_else(|| {
                        cx.err(at, format!("expected a state number, found {}", kind(x)))
                    })
                };
                let gp = format!("{rp}[{g}]");
                groups.push(match e {
                    Value::Array(v) => v
                        .iter()
                        .enumerate()
                        .map(|(t, x)| num(x, &format!("{gp}[{t}]")))
                        .collect::<Result<Vec<_>, _>>()?,
                    x => vec![num(x, &gp)?],
                });
            }
            Preferences::Ranking(groups)
        } else {
            let pp = format!("{p}.preferences");
            preference_paths.push(pp.clone());
            Preferences::Statements(
                arr(
                    &cx,
                    d.get("preferences").unwrap_or(&Value::Array(vec![])),
                    &pp,
                )?
                .iter()
                .enumerate()
                .map(|(k, v)| cond(v, &format!("{pp}[{k}]")))
                .collect::<Result<Vec<_>, _>>()?,
            )
        };
        let mp = format!("{p}.misperceptions");
        let misperceived = match d.get("misperceptions") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => arr(&cx, v, &mp)?
                .iter()
                .enumerate()
                .map(|(k, v)| cond(v, &format!("{mp}[{k}]")))
                .collect::<Result<Vec<_>, _>>()?,
        };
        dm_specs.push(DmSpec {
            id: name.clone(),
            name,
            preferences,
            misperceived,
        });
    }
    let coalitions = match root.get("coalitions") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let list = arr(&cx, v, "$.coalitions")?;
            if list.is_empty() {
                None
            } else {
                let mut out = Vec::new();
                for (k, e) in list.iter().enumerate() {
                    let p = format!("$.coalitions[{k}]");
                    out.push(match e {
                        Value::Array(v) => v
                            .iter()
                            .enumerate()
                            .map(|(t, x)| {
                                index(&cx, x, &format!("{p}[{t}]"), dms.len(), "DM index")
                            })
                            .collect::<Result<Vec<_>, _>>()?,
                        x => vec![index(&cx, x, &p, dms.len(), "DM index")?],
                    });
                }
                Some(out)
            }
        }
    };
    Ok(GmcrModel {
        spec: ConflictSpec {
            dms: dm_specs,
            options,
            infeasible,
        },
        coalitions,
        preference_paths,
    })
}

/// A gmcr-py condition: `[[optIdx, "Y"|"N"], …]` (and) or
/// `{"compound": true, "members": [condition, …]}` (or).
fn condition(cx: &Ctx, v: &Value, path: &str, new_of: &[usize]) -> Result<Formula, GmcrError> {
    match v {
        Value::Object(o) => {
            let members = o
                .get("members")
                .ok_or_else(|| cx.err(path, "expected `members` in a compound condition"))?;
            let list = arr(cx, members, &format!("{path}.members"))?;
            Ok(Formula::Or(
                list.iter()
                    .enumerate()
                    .map(|(k, x)| condition(cx, x, &format!("{path}.members[{k}]"), new_of))
                    .collect::<Result<Vec<_>, _>>()?,
            ))
        }
        Value::Array(lits) => {
            let mut out = Vec::new();
            for (k, l) in lits.iter().enumerate() {
                let p = format!("{path}[{k}]");
                let pair = l
                    .as_array()
                    .filter(|a| a.len() == 2)
                    .ok_or_else(|| cx.err(&p, format!("expected [option index, \"Y\" or \"N\"], found {}", kind(l))))?;
                let opt = index(cx, &pair[0], &format!("{p}[0]"), new_of.len(), "option index")?;
                let taken = match pair[1].as_str() {
                    Some("Y") => true,
                    Some("N") => false,
                    _ => return Err(cx.err(&format!("{p}[1]"), "expected \"Y\" or \"N\"")),
                };
                out.push(Formula::Lit { opt: new_of[opt], taken });
            }
            Ok(Formula::And(out))
        }
        x => Err(cx.err(path, format!("expected a condition (array of [option, \"Y\"/\"N\"] pairs or a compound object), found {}", kind(x)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use negotium_conflict::Conflict;

    #[test]
    fn regroups_options_by_dm_in_each_dms_listed_order() {
        // Iraq's option is listed first in the file; DM 0 lists its options as [2, 1].
        let src = r#"{"options":[{"name":"Attack"},{"name":"Escalate","permittedDirection":"fwd"},{"name":"Release"}],
          "decisionMakers":[{"name":"Syria","options":[2,1],"preferences":[[[2,"N"],[1,"N"],[0,"N"]]]},
                            {"name":"Iraq","options":[0],"preferences":[[[0,"Y"]]]}],
          "infeasibles":[[[1,"Y"],[2,"Y"]]]}"#;
        let m = parse_gmcr(src, "t.gmcr").unwrap();
        let c = Conflict::build(&m.spec).unwrap();
        let names: Vec<&str> = c.options().iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, ["Release", "Escalate", "Attack"]);
        assert_eq!(c.len(), 6);
        assert_eq!(c.pattern(1), "YNN");
    }

    #[test]
    fn errors_name_the_json_path() {
        let e = parse_gmcr(r#"{"options":[{"name":"a"}],"decisionMakers":[{"name":"x","options":[0]},{"name":"y","options":[3]}]}"#, "f.gmcr").unwrap_err();
        assert_eq!(e.to_string(), "f.gmcr: $.decisionMakers[1].options[0]: option index 3 out of range; the file has 1 (0-based)");
        let e = parse_gmcr("{\"options\": [", "f.gmcr").unwrap_err();
        assert!(matches!(e, GmcrError::Json { line: 1, .. }), "{e}");
    }

    #[test]
    fn engine_errors_name_the_json_path_too() {
        // DM y's manual ranking names state 7 of a 2-state conflict.
        let src = r#"{"options":[{"name":"a"},{"name":"b"}],"useManualPreferenceRanking":true,
          "infeasibles":[[[0,"Y"]]],
          "decisionMakers":[{"name":"x","options":[0],"preferenceRanking":[1,2]},
                            {"name":"y","options":[1],"preferenceRanking":[[1],7]}]}"#;
        let e = parse_gmcr(src, "f.gmcr")
            .unwrap()
            .build("f.gmcr")
            .unwrap_err();
        assert_eq!(e.to_string(), "f.gmcr: $.decisionMakers[1].preferenceRanking: invalid preference ranking for y: state 7 does not exist; states are numbered 1..=2");
        // Nothing feasible: the infeasible conditions are named.
        let src = r#"{"options":[{"name":"a"},{"name":"b"}],
          "infeasibles":[[[0,"Y"]],[[0,"N"]]],
          "decisionMakers":[{"name":"x","options":[0]},{"name":"y","options":[1]}]}"#;
        let e = parse_gmcr(src, "f.gmcr")
            .unwrap()
            .build("f.gmcr")
            .unwrap_err();
        assert!(
            e.to_string().starts_with(
                "f.gmcr: $.infeasibles: invalid conflict model: every state is infeasible"
            ),
            "{e}"
        );
        // 63 options: too large, at the options.
        let opts = vec![r#"{"name":"o"}"#; 63].join(",");
        let idx: Vec<String> = (1..63).map(|k| k.to_string()).collect();
        let src = format!(
            r#"{{"options":[{opts}],"decisionMakers":[{{"name":"x","options":[0]}},{{"name":"y","options":[{}]}}]}}"#,
            idx.join(",")
        );
        let e = parse_gmcr(&src, "f.gmcr")
            .unwrap()
            .build("f.gmcr")
            .unwrap_err();
        assert!(
            e.to_string().starts_with("f.gmcr: $.options: too large"),
            "{e}"
        );
    }

    fn fixture(name: &str) -> Conflict {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../negotium-conflict/fixtures/"
        );
        let text = std::fs::read_to_string(format!("{dir}{name}")).unwrap();
        Conflict::build(&parse_gmcr(&text, name).unwrap().spec).unwrap()
    }

    fn eq(c: &Conflict, k: negotium_conflict::Concept) -> Vec<usize> {
        negotium_conflict::analyze(c, &[k], negotium_conflict::Semantics::Textbook).unwrap()[0]
            .equilibria
            .iter()
            .map(|s| s + 1)
            .collect()
    }

    #[test]
    fn syria_iraq_fixture_gives_the_handout_rankings_and_equilibria() {
        use negotium_conflict::Concept::*;
        let c = fixture("syria_iraq.gmcr");
        assert_eq!(c.ranking(0).concat(), [1, 3, 6, 2, 4, 5]);
        assert_eq!(c.ranking(1).concat(), [2, 4, 6, 1, 5, 3]);
        assert_eq!(eq(&c, Nash), [6]);
        assert_eq!(eq(&c, Gmr), [1, 6]);
        assert_eq!(eq(&c, Smr), [6]);
        assert_eq!(eq(&c, Seq), [6]);
    }

    #[test]
    fn manual_ranking_fixture_is_the_prisoners_dilemma() {
        use negotium_conflict::Concept::*;
        // Options listed in the file as [second, first]; DMs list them as
        // First: [1], Second: [0], so the regrouped order swaps them back.
        let c = fixture("prisoners_ranking.gmcr");
        assert_eq!(c.options()[0].name, "First player cooperates");
        assert_eq!(eq(&c, Nash), [1]);
        assert_eq!(eq(&c, Gmr), [1, 4]);
        assert_eq!(eq(&c, Seq), [1, 4]);
    }

    #[test]
    fn compound_conditions_misperceptions_and_directions_are_read() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../negotium-conflict/fixtures/three_party_or.gmcr"
        ))
        .unwrap();
        let m = parse_gmcr(&text, "three_party_or.gmcr").unwrap();
        let c = Conflict::build(&m.spec).unwrap();
        // 16 raw states minus the 4 with Protest = N and Sue = Y.
        assert_eq!(c.len(), 12);
        use negotium_conflict::Reversibility::*;
        let dirs: Vec<_> = c.options().iter().map(|o| o.reversibility).collect();
        assert_eq!(dirs, [TakeOnly, Both, DropOnly, Both]);
        // Firm: Build first, then (no protest OR funding): its best states are
        // Build = Y with Protest = N or Fund = Y.
        let best = &c.ranking(0)[0];
        for &n in best {
            let p = c.pattern(n - 1).into_bytes();
            assert!(
                p[0] == b'Y' && (p[1] == b'N' || p[3] == b'Y'),
                "{}",
                c.pattern(n - 1)
            );
        }
        // Town does not perceive Build & Sue: it has no moves there.
        let blind: Vec<usize> = (0..c.len())
            .filter(|&s| c.pattern(s).as_bytes()[0] == b'Y' && c.pattern(s).as_bytes()[2] == b'Y')
            .collect();
        assert!(!blind.is_empty());
        for &s in &blind {
            assert!(c.moves(1, s).is_empty());
        }
        // Build can never be undone.
        for s in 0..c.len() {
            if c.pattern(s).starts_with('Y') {
                assert!(c.moves(0, s).is_empty());
            }
        }
    }

    #[test]
    fn bad_fixture_is_rejected_with_a_path() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../negotium-conflict/fixtures/bad_option_index.gmcr"
        ))
        .unwrap();
        let e = parse_gmcr(&text, "bad.gmcr").unwrap_err().to_string();
        assert_eq!(e, "bad.gmcr: $.options[1].permittedDirection: unknown direction `sideways`; expected \"both\", \"fwd\" or \"back\"");
    }
}
