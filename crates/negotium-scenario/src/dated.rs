//! Dated inputs: stances and capabilities that change over time.
//!
//! A [`Timeline`] keeps what the file says: every `[[stance]]` (an undated
//! one holds from the start; one with `from` supersedes the actor's earlier
//! stance on that issue from that day on), each `[[actor]]`'s capability as
//! written, and the dated `[[capability]]` changes. [`Timeline::effective`]
//! gives the inputs in force at a date: for each actor and issue, the stance
//! with the latest `from` on or before the date; for each actor, the latest
//! capability change on or before it, else its `[[actor]]` value.
//! [`Scenario::at`] is the whole scenario as of a date (the scenario's own
//! `inputs` are its state at `as_of`), and [`Scenario::changes`] lists every
//! dated change with what it replaced.
//!
//! Dates compare as (year, month, day) with a missing part as 0, so a
//! partial `as_of` such as `2007-03` stands for the start of its period.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Actor, CapabilityChange, Scenario, Stance};
use crate::validate::parse_date;

/// A date as (year, month, day), missing parts 0: orders as dates do.
pub type DateKey = (i32, u32, u32);

/// The dated record of a scenario's inputs, as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timeline {
    /// `[[actor]]` as written: the capability that holds from the start.
    pub actors: Vec<Actor>,
    /// Every `[[stance]]`, dated or not, in file order.
    pub stances: Vec<Stance>,
    /// Every `[[capability]]` change, in file order.
    pub capabilities: Vec<CapabilityChange>,
}

/// `YYYY-MM-DD` only (a full date), as `from` and `--as-of` require.
pub fn parse_day(d: &str) -> Option<DateKey> {
    if d.split('-').count() == 3 {
        parse_date(d)
    } else {
        None
    }
}

/// The key of a `from`: `Some(None)` for undated (the start), `Some(Some(k))`
/// for a date, `None` for an unreadable date (never in force; validation
/// reports it).
fn from_key(from: Option<&str>) -> Option<Option<DateKey>> {
    match from {
        None => Some(None),
        Some(d) => parse_day(d).map(Some),
    }
}

/// Whether an entry starting at `key` is in force at `date` (None: the
/// start, where only undated entries are).
fn in_force(key: Option<DateKey>, date: Option<DateKey>) -> bool {
    match (key, date) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(k), Some(d)) => k <= d,
    }
}

impl Timeline {
    /// Whether any stance or capability carries a date.
    pub fn is_dated(&self) -> bool {
        self.stances.iter().any(|s| s.from.is_some()) || !self.capabilities.is_empty()
    }

    /// The actors (with the capability in force) and the stances in force
    /// at `date` (None: the start, undated entries only). Stances keep
    /// their file order; an actor or issue pair with no stance in force yet
    /// has none.
    pub fn effective(&self, date: Option<DateKey>) -> (Vec<Actor>, Vec<Stance>) {
        let mut best: BTreeMap<(&str, &str), (Option<DateKey>, usize)> = BTreeMap::new();
        for (i, st) in self.stances.iter().enumerate() {
            let Some(k) = from_key(st.from.as_deref()) else {
                continue;
            };
            if !in_force(k, date) {
                continue;
            }
            let e = best.entry((st.actor.as_str(), st.issue.as_str()));
            match e {
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert((k, i));
                }
                std::collections::btree_map::Entry::Occupied(mut o) => {
                    if k > o.get().0 {
                        o.insert((k, i));
                    }
                }
            }
        }
        let mut chosen: Vec<usize> = best.values().map(|v| v.1).collect();
        chosen.sort_unstable();
        let stances = chosen.iter().map(|&i| self.stances[i].clone()).collect();
        let actors = self
            .actors
            .iter()
            .map(|a| {
                let mut out = a.clone();
                if let Some(c) = self.capability_at(&a.id, date) {
                    out.capability = c;
                }
                out
            })
            .collect();
        (actors, stances)
    }

    /// The latest capability change of `actor` in force at `date`, if any.
    fn capability_at(&self, actor: &str, date: Option<DateKey>) -> Option<f64> {
        let mut best: Option<(DateKey, f64)> = None;
        for c in self.capabilities.iter().filter(|c| c.actor == actor) {
            let Some(k) = parse_day(&c.from) else {
                continue;
            };
            if in_force(Some(k), date) && best.is_none_or(|b| k > b.0) {
                best = Some((k, c.capability));
            }
        }
        best.map(|b| b.1)
    }
}

/// Why a scenario cannot be read as of a date.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DateError {
    #[error("`{0}` is not a date: expected YYYY-MM-DD")]
    Malformed(String),
    #[error("{date} is before the scenario's earliest data ({earliest}: {what}); expected a date on or after it")]
    BeforeData {
        date: String,
        earliest: String,
        what: String,
    },
}

/// What a dated change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Stance,
    Capability,
}

/// A value before and after a change.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Shift {
    /// The value in force the day before (None: the actor had no stance on
    /// the issue before).
    pub before: Option<f64>,
    pub after: f64,
}

/// One dated change of a stance or a capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    /// The first day the new value holds (`YYYY-MM-DD`).
    pub date: String,
    pub kind: ChangeKind,
    /// The actor's id.
    pub actor: String,
    /// The issue (stance changes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// Position on the issue (stance changes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Shift>,
    /// Salience on the issue (stance changes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salience: Option<Shift>,
    /// Capability (capability changes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability: Option<Shift>,
    /// The event the change follows (its id) and its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_title: Option<String>,
}

impl Scenario {
    /// The earliest date in the file (events, `as_of`, dated stances and
    /// capabilities) and what carries it; None when nothing is dated.
    pub fn earliest_date(&self) -> Option<(DateKey, String, String)> {
        let mut all: Vec<(DateKey, String, String)> = Vec::new();
        let mut add = |d: &str, what: String| {
            if let Some(k) = parse_date(d) {
                all.push((k, d.to_string(), what));
            }
        };
        for (i, e) in self.events.iter().enumerate() {
            add(&e.date, format!("event[{i}] `{}`", e.title));
        }
        if let Some(d) = &self.scenario.as_of {
            add(d, "the scenario's as_of".into());
        }
        for (i, s) in self.timeline.stances.iter().enumerate() {
            if let Some(d) = &s.from {
                add(d, format!("stance[{i}] of `{}` on `{}`", s.actor, s.issue));
            }
        }
        for (i, c) in self.timeline.capabilities.iter().enumerate() {
            add(&c.from, format!("capability[{i}] of `{}`", c.actor));
        }
        all.into_iter().min_by(|a, b| a.0.cmp(&b.0))
    }

    /// The scenario as of `date` (`YYYY-MM-DD`): the stances and
    /// capabilities in force that day, and `as_of` set to it. A date before
    /// the file's earliest date ([`Scenario::earliest_date`]) is refused.
    pub fn at(&self, date: &str) -> Result<Scenario, DateError> {
        let key = parse_day(date.trim()).ok_or_else(|| DateError::Malformed(date.to_string()))?;
        if let Some((k, earliest, what)) = self.earliest_date() {
            if key < k {
                return Err(DateError::BeforeData {
                    date: date.trim().to_string(),
                    earliest,
                    what,
                });
            }
        }
        let mut s = self.clone();
        let (actors, stances) = self.timeline.effective(Some(key));
        s.inputs.actors = actors;
        s.inputs.stances = stances;
        s.scenario.as_of = Some(date.trim().to_string());
        Ok(s)
    }

    /// Every dated stance and capability change, in date order (file order
    /// within a day, stances first), with the value each replaced.
    pub fn changes(&self) -> Vec<Change> {
        let tl = &self.timeline;
        let title = |id: &Option<String>| {
            id.as_ref().and_then(|id| {
                self.events
                    .iter()
                    .find(|e| e.id.as_deref() == Some(id))
                    .map(|e| e.title.clone())
            })
        };
        let mut out: Vec<(DateKey, Change)> = Vec::new();
        for st in &tl.stances {
            let Some(k) = st.from.as_deref().and_then(parse_day) else {
                continue;
            };
            // The stance in force the day before: the latest earlier one.
            let before = tl
                .stances
                .iter()
                .filter(|o| o.actor == st.actor && o.issue == st.issue)
                .filter_map(|o| from_key(o.from.as_deref()).map(|ok| (ok, o)))
                .filter(|(ok, _)| ok.is_none_or(|ok| ok < k))
                .max_by(|a, b| a.0.cmp(&b.0))
                .map(|(_, o)| o);
            out.push((
                k,
                Change {
                    date: st.from.clone().unwrap_or_default(),
                    kind: ChangeKind::Stance,
                    actor: st.actor.clone(),
                    issue: Some(st.issue.clone()),
                    position: Some(Shift {
                        before: before.map(|b| b.position),
                        after: st.position,
                    }),
                    salience: Some(Shift {
                        before: before.map(|b| b.salience),
                        after: st.salience,
                    }),
                    capability: None,
                    event: st.event.clone(),
                    event_title: title(&st.event),
                },
            ));
        }
        for c in &tl.capabilities {
            let Some(k) = parse_day(&c.from) else {
                continue;
            };
            let before = tl
                .capabilities
                .iter()
                .filter(|o| o.actor == c.actor)
                .filter_map(|o| parse_day(&o.from).map(|ok| (ok, o.capability)))
                .filter(|(ok, _)| *ok < k)
                .max_by(|a, b| a.0.cmp(&b.0))
                .map(|x| x.1)
                .or_else(|| {
                    tl.actors
                        .iter()
                        .find(|a| a.id == c.actor)
                        .map(|a| a.capability)
                });
            out.push((
                k,
                Change {
                    date: c.from.clone(),
                    kind: ChangeKind::Capability,
                    actor: c.actor.clone(),
                    issue: None,
                    position: None,
                    salience: None,
                    capability: Some(Shift {
                        before,
                        after: c.capability,
                    }),
                    event: c.event.clone(),
                    event_title: title(&c.event),
                },
            ));
        }
        // Stable: file order within a day, stances before capabilities.
        out.sort_by_key(|a| a.0);
        out.into_iter().map(|x| x.1).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stance(actor: &str, issue: &str, x: f64, from: Option<&str>) -> Stance {
        Stance {
            actor: actor.into(),
            issue: issue.into(),
            position: x,
            salience: 0.5,
            from: from.map(String::from),
            event: None,
            position_range: None,
            salience_range: None,
            distribution: None,
            notes: None,
        }
    }

    fn actor(id: &str, c: f64) -> Actor {
        Actor {
            id: id.into(),
            name: id.into(),
            capability: c,
            capability_range: None,
            distribution: None,
            notes: None,
        }
    }

    fn cap(actor: &str, from: &str, c: f64) -> CapabilityChange {
        CapabilityChange {
            actor: actor.into(),
            from: from.into(),
            capability: c,
            event: None,
            notes: None,
        }
    }

    fn day(d: &str) -> Option<DateKey> {
        Some(parse_day(d).unwrap())
    }

    /// A naive transcription of the rule: for every pair, scan all stances
    /// and keep the one whose start is latest but not after the date.
    fn naive(tl: &Timeline, date: DateKey) -> Vec<(String, String, f64)> {
        let mut out = Vec::new();
        for a in ["A", "B"] {
            for i in ["x", "y"] {
                let mut best: Option<(DateKey, f64)> = None;
                for s in &tl.stances {
                    if s.actor != a || s.issue != i {
                        continue;
                    }
                    let start = s
                        .from
                        .as_deref()
                        .map_or((i32::MIN, 0, 0), |f| parse_day(f).unwrap());
                    if start <= date && best.is_none_or(|b| start > b.0) {
                        best = Some((start, s.position));
                    }
                }
                if let Some(b) = best {
                    out.push((a.to_string(), i.to_string(), b.1));
                }
            }
        }
        out
    }

    fn sorted(v: &[Stance]) -> Vec<(String, String, f64)> {
        let mut out: Vec<_> = v
            .iter()
            .map(|s| (s.actor.clone(), s.issue.clone(), s.position))
            .collect();
        out.sort_by(|a, b| a.partial_cmp(b).unwrap());
        out
    }

    #[test]
    fn the_latest_stance_on_or_before_the_date_holds() {
        let tl = Timeline {
            actors: vec![actor("A", 10.0), actor("B", 20.0)],
            stances: vec![
                stance("A", "x", 10.0, None),
                stance("B", "x", 90.0, None),
                stance("A", "x", 30.0, Some("2008-02-18")),
                stance("A", "x", 20.0, Some("2007-11-05")),
                stance("B", "y", 50.0, Some("2008-01-01")),
            ],
            capabilities: vec![cap("B", "2008-01-25", 25.0), cap("B", "2007-08-01", 5.0)],
        };
        let (actors, st) = tl.effective(None);
        assert_eq!(
            sorted(&st),
            [
                ("A".into(), "x".into(), 10.0),
                ("B".into(), "x".into(), 90.0)
            ]
        );
        assert_eq!(actors[1].capability, 20.0);
        for d in [
            "2007-01-01",
            "2007-11-04",
            "2007-11-05",
            "2008-01-01",
            "2008-02-17",
            "2008-02-18",
            "2030-01-01",
        ] {
            let k = parse_day(d).unwrap();
            let (_, st) = tl.effective(Some(k));
            let mut want = naive(&tl, k);
            want.sort_by(|a, b| a.partial_cmp(b).unwrap());
            assert_eq!(sorted(&st), want, "{d}");
        }
        let pos = |d: &str| {
            let (_, st) = tl.effective(day(d));
            st.iter().find(|s| s.actor == "A").unwrap().position
        };
        assert_eq!(pos("2007-11-04"), 10.0);
        assert_eq!(pos("2007-11-05"), 20.0, "in force from its first day");
        assert_eq!(pos("2008-02-18"), 30.0);
        let capb = |d: &str| tl.effective(day(d)).0[1].capability;
        assert_eq!(capb("2007-07-31"), 20.0);
        assert_eq!(capb("2007-08-01"), 5.0);
        assert_eq!(capb("2008-01-25"), 25.0);
        // B has no stance on y before 2008.
        let (_, st) = tl.effective(day("2007-12-31"));
        assert!(!st.iter().any(|s| s.issue == "y"));
    }

    #[test]
    fn partial_dates_stand_for_the_start_of_their_period() {
        assert!(parse_day("2007-03").is_none());
        assert!(parse_day("2007-02-30").is_none());
        assert!(parse_date("2007-03").unwrap() < parse_day("2007-03-01").unwrap());
    }
}
