//! What-if overrides: a loaded scenario with some actors' capabilities and
//! some stances' positions and saliences replaced, checked as strictly as a
//! file. A pure function of (scenario, overrides), shared by the workbench's
//! what-if panel and any other front end.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Diagnostic;
use crate::load::Loaded;
use crate::validate::MAX_CAPABILITY;

/// Changes to apply to a scenario before any lens runs. Empty = no change.
///
/// ```json
/// {"capability": {"RUS": 80},
///  "stances": [{"actor": "RUS", "issue": "status", "position": 40, "salience": 0.6}]}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Overrides {
    /// Actor id → its new capability (≥ 0).
    pub capability: BTreeMap<String, f64>,
    /// Stances to change, each named by actor and issue.
    pub stances: Vec<StanceOverride>,
}

/// A new position and/or salience for one actor's stance on one issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StanceOverride {
    pub actor: String,
    pub issue: String,
    /// On the issue's scale (between its `min` and `max`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<f64>,
    /// In [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salience: Option<f64>,
}

/// Most overrides accepted at once (a what-if panel sends one per slider).
pub const MAX_OVERRIDES: usize = 100_000;

impl Overrides {
    /// True when nothing is changed.
    pub fn is_empty(&self) -> bool {
        self.capability.is_empty() && self.stances.is_empty()
    }
}

fn problem(path: String, message: String) -> Diagnostic {
    Diagnostic {
        file: "overrides".into(),
        line: None,
        column: None,
        path: Some(path),
        message,
    }
}

/// The scenario with `o` applied, or every problem found (an unknown actor
/// or stance, a value out of its range, or anything the scenario's own
/// validation refuses afterwards), each named by its path in `o`
/// (`overrides.capability.RUS`, `overrides.stances[2].position`). The source
/// text and name are kept: a run records the base text and the overrides.
pub fn apply(base: &Loaded, o: &Overrides) -> Result<Loaded, Vec<Diagnostic>> {
    let mut out = base.clone();
    if o.is_empty() {
        return Ok(out);
    }
    let mut bad = Vec::new();
    let n = o.capability.len() + o.stances.len();
    if n > MAX_OVERRIDES {
        return Err(vec![problem(
            "overrides".into(),
            format!("{n} overrides is above the limit of {MAX_OVERRIDES}"),
        )]);
    }
    let inputs = &mut out.scenario.inputs;
    for (id, &c) in &o.capability {
        let path = format!("overrides.capability.{id}");
        match inputs.actors.iter_mut().find(|a| &a.id == id) {
            None => bad.push(problem(path, format!("no actor `{id}` in the scenario"))),
            Some(_) if !c.is_finite() || !(0.0..=MAX_CAPABILITY).contains(&c) => bad.push(problem(
                path,
                format!("capability {c} is outside 0..={MAX_CAPABILITY}"),
            )),
            Some(a) => a.capability = c,
        }
    }
    for (i, s) in o.stances.iter().enumerate() {
        let path = format!("overrides.stances[{i}]");
        let Some(issue) = inputs.issues.iter().find(|x| x.id == s.issue) else {
            bad.push(problem(
                format!("{path}.issue"),
                format!("no issue `{}` in the scenario", s.issue),
            ));
            continue;
        };
        let (lo, hi) = (issue.min.min(issue.max), issue.min.max(issue.max));
        let Some(st) = inputs
            .stances
            .iter_mut()
            .find(|x| x.actor == s.actor && x.issue == s.issue)
        else {
            bad.push(problem(
                path,
                format!("actor `{}` has no stance on issue `{}`", s.actor, s.issue),
            ));
            continue;
        };
        if let Some(p) = s.position {
            if p.is_finite() && (lo..=hi).contains(&p) {
                st.position = p;
            } else {
                bad.push(problem(
                    format!("{path}.position"),
                    format!("position {p} is outside the issue's scale {lo}..={hi}"),
                ));
            }
        }
        if let Some(x) = s.salience {
            if x.is_finite() && (0.0..=1.0).contains(&x) {
                st.salience = x;
            } else {
                bad.push(problem(
                    format!("{path}.salience"),
                    format!("salience {x} is outside 0..=1"),
                ));
            }
        }
    }
    if !bad.is_empty() {
        return Err(bad);
    }
    // Whatever the scenario's own rules refuse (e.g. every capability 0).
    let problems = crate::validate::validate(&out.scenario);
    if !problems.is_empty() {
        return Err(problems
            .0
            .iter()
            .map(|p| {
                problem(
                    p.path.to_string(),
                    format!("after the overrides: {}", p.message),
                )
            })
            .collect());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kosovo() -> Loaded {
        crate::resolve("kosovo-status").unwrap()
    }

    #[test]
    fn empty_overrides_change_nothing() {
        let k = kosovo();
        let o = apply(&k, &Overrides::default()).unwrap();
        assert_eq!(o.scenario.inputs.stances, k.scenario.inputs.stances);
        assert_eq!(o.source_text, k.source_text);
    }

    #[test]
    fn replaces_exactly_the_named_values() {
        let k = kosovo();
        let st = &k.scenario.inputs.stances[0];
        let actor = k.scenario.inputs.actors[1].id.clone();
        let o: Overrides = serde_json::from_value(serde_json::json!({
            "capability": {actor.clone(): 3.5},
            "stances": [{"actor": st.actor, "issue": st.issue, "salience": 0.25}],
        }))
        .unwrap();
        let out = apply(&k, &o).unwrap();
        for (a, b) in k
            .scenario
            .inputs
            .actors
            .iter()
            .zip(&out.scenario.inputs.actors)
        {
            let want = if a.id == actor { 3.5 } else { a.capability };
            assert_eq!(b.capability, want, "{}", a.id);
        }
        for (i, (a, b)) in k
            .scenario
            .inputs
            .stances
            .iter()
            .zip(&out.scenario.inputs.stances)
            .enumerate()
        {
            assert_eq!(b.position, a.position);
            let want = if i == 0 { 0.25 } else { a.salience };
            assert_eq!(b.salience, want);
        }
    }

    #[test]
    fn refuses_unknown_ids_and_out_of_range_values_by_path() {
        let k = kosovo();
        let st = &k.scenario.inputs.stances[0];
        let o: Overrides = serde_json::from_value(serde_json::json!({
            "capability": {"NOPE": 1.0, (k.scenario.inputs.actors[0].id.clone()): -1.0},
            "stances": [
                {"actor": st.actor, "issue": st.issue, "position": 1e9, "salience": 2.0},
                {"actor": st.actor, "issue": "nope"},
            ],
        }))
        .unwrap();
        let e = apply(&k, &o).unwrap_err();
        let paths: Vec<&str> = e.iter().filter_map(|d| d.path.as_deref()).collect();
        assert!(paths.contains(&"overrides.capability.NOPE"), "{paths:?}");
        assert!(
            paths.contains(&"overrides.stances[0].position"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"overrides.stances[0].salience"),
            "{paths:?}"
        );
        assert!(paths.contains(&"overrides.stances[1].issue"), "{paths:?}");
        assert_eq!(e.len(), 5, "{e:?}");
        // Unknown keys are refused when reading.
        assert!(serde_json::from_value::<Overrides>(serde_json::json!({"colour": 1})).is_err());
    }
}
