//! Actor capabilities for a backtest: equal, the Shapley–Shubik index of the
//! Council's qualified-majority game in force when the act was adopted (the
//! DEU literature's choice), or read from a file.
//!
//! Council regimes (weights per member state; a qualified majority needs the
//! quota of weighted votes and, from Nice on, a majority of the members):
//!
//! | adopted | members | weights | quota |
//! |---|---|---|---|
//! | before 1 May 2004 | EU-15 | DE FR IT UK 10, ES 8, BE EL NL PT 5, AT SE 4, DK FI IE 3, LU 2 (total 87) | 62 |
//! | 1 May 2004 – 31 Dec 2006 | EU-25 | Nice: DE FR IT UK 29, ES PL 27, NL 13, BE CZ EL HU PT 12, AT SE 10, DK FI IE LT SK 7, CY EE LU LV SI 4, MT 3 (321) | 232, and 13 members |
//! | 1 Jan 2007 – 30 Jun 2013 | EU-27 | Nice + RO 14, BG 10 (345) | 255, and 14 members |
//! | from 1 Jul 2013 | EU-28 | Nice + HR 7 (352) | 260, and 15 members |
//!
//! Two simplifications, stated in every report that uses them: the
//! transitional weighting of 1 May – 31 Oct 2004 is replaced by Nice EU-25,
//! and acts adopted after 31 Oct 2014 (Lisbon's double majority of 55 % of
//! the members and 65 % of the population) keep the Nice EU-28 weights,
//! which members could still invoke until 31 March 2017. Nice's optional
//! 62 %-of-population check is not modelled.
//!
//! The Commission and the European Parliament are not Council members: each
//! gets a multiple (default 1) of the largest member state's index, the
//! convention of the open DEU III replication cited in docs/backtest.md.
//! Capabilities are then used as relative weights (the models are invariant
//! to their scale).

use std::collections::BTreeMap;

use negotium_scenario::deu::Date;
use negotium_voting::{power, Game, Index, Method, PowerOptions, WeightedQuota};
use serde::Serialize;

use crate::BacktestError;

/// How capabilities are set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Capability {
    /// Every actor 1.
    Equal,
    /// Council Shapley–Shubik by the regime in force at adoption.
    ShapleyShubik(CouncilWeighting),
    /// Per actor code, as read by [`read_capability_file`]; `source` names
    /// the file.
    File {
        source: String,
        values: BTreeMap<String, f64>,
    },
}

/// Weights of the two non-Council actors, as multiples of the largest
/// member state's Shapley–Shubik index.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CouncilWeighting {
    pub commission: f64,
    pub parliament: f64,
}

impl Default for CouncilWeighting {
    fn default() -> Self {
        CouncilWeighting {
            commission: 1.0,
            parliament: 1.0,
        }
    }
}

impl Capability {
    /// One line saying how capabilities were set.
    pub fn describe(&self) -> String {
        match self {
            Capability::Equal => "equal: every actor capability 1".into(),
            Capability::ShapleyShubik(w) => format!(
                "shapley-shubik: member states' Shapley–Shubik index in the Council's \
                 qualified-majority game in force at adoption (EU-15 pre-May 2004; Nice \
                 EU-25/27/28 after, also standing in for the May–Oct 2004 transition and \
                 for Lisbon from Nov 2014); Commission {}× and Parliament {}× the largest \
                 member state's index",
                w.commission, w.parliament
            ),
            Capability::File { source, values } => {
                format!("file {source}: {} actor capabilities", values.len())
            }
        }
    }
}

/// A Council qualified-majority regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Regime {
    Eu15,
    NiceEu25,
    NiceEu27,
    NiceEu28,
}

const EU15: [(&str, u64); 15] = [
    ("de", 10),
    ("fr", 10),
    ("it", 10),
    ("uk", 10),
    ("es", 8),
    ("be", 5),
    ("el", 5),
    ("nl", 5),
    ("pt", 5),
    ("at", 4),
    ("se", 4),
    ("dk", 3),
    ("fi", 3),
    ("ie", 3),
    ("lu", 2),
];

const NICE25: [(&str, u64); 25] = [
    ("de", 29),
    ("fr", 29),
    ("it", 29),
    ("uk", 29),
    ("es", 27),
    ("pl", 27),
    ("nl", 13),
    ("be", 12),
    ("cz", 12),
    ("el", 12),
    ("hu", 12),
    ("pt", 12),
    ("at", 10),
    ("se", 10),
    ("dk", 7),
    ("fi", 7),
    ("ie", 7),
    ("lt", 7),
    ("sk", 7),
    ("cy", 4),
    ("ee", 4),
    ("lu", 4),
    ("lv", 4),
    ("si", 4),
    ("mt", 3),
];

impl Regime {
    /// The regime in force on `date` (see the module table).
    pub fn at(date: Date) -> Regime {
        let d = (date.year, date.month, date.day);
        if d < (2004, 5, 1) {
            Regime::Eu15
        } else if d < (2007, 1, 1) {
            Regime::NiceEu25
        } else if d < (2013, 7, 1) {
            Regime::NiceEu27
        } else {
            Regime::NiceEu28
        }
    }

    /// Member codes (DEU III column suffixes) and weights.
    pub fn weights(self) -> Vec<(&'static str, u64)> {
        match self {
            Regime::Eu15 => EU15.to_vec(),
            Regime::NiceEu25 => NICE25.to_vec(),
            Regime::NiceEu27 => {
                let mut w = NICE25.to_vec();
                w.extend([("ro", 14), ("bu", 10)]);
                w
            }
            Regime::NiceEu28 => {
                let mut w = NICE25.to_vec();
                w.extend([("ro", 14), ("bu", 10), ("cr", 7)]);
                w
            }
        }
    }

    /// (quota of weighted votes, members needed).
    pub fn quota(self) -> (u64, Option<u64>) {
        match self {
            Regime::Eu15 => (62, None),
            Regime::NiceEu25 => (232, Some(13)),
            Regime::NiceEu27 => (255, Some(14)),
            Regime::NiceEu28 => (260, Some(15)),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Regime::Eu15 => "EU-15 (62 of 87)",
            Regime::NiceEu25 => "Nice EU-25 (232 of 321, 13 members)",
            Regime::NiceEu27 => "Nice EU-27 (255 of 345, 14 members)",
            Regime::NiceEu28 => "Nice EU-28 (260 of 352, 15 members)",
        }
    }

    /// Exact Shapley–Shubik index of each member, by code.
    pub fn shapley_shubik(self) -> Result<BTreeMap<&'static str, f64>, BacktestError> {
        let w = self.weights();
        let (quota, members) = self.quota();
        let mut quotas = vec![WeightedQuota {
            weights: w.iter().map(|x| x.1).collect(),
            quota,
        }];
        if let Some(k) = members {
            quotas.push(WeightedQuota {
                weights: vec![1; w.len()],
                quota: k,
            });
        }
        let game = Game::new(quotas, vec![false; w.len()], None)
            .map_err(|e| BacktestError::Voting(format!("{}: {e}", self.name())))?;
        let rep = power(
            &game,
            &PowerOptions {
                indices: vec![Index::ShapleyShubik],
                method: Method::Exact,
                ..Default::default()
            },
        )
        .map_err(|e| BacktestError::Voting(format!("{}: {e}", self.name())))?;
        let ss = rep
            .get(Index::ShapleyShubik)
            .ok_or_else(|| BacktestError::Voting("no Shapley–Shubik result".into()))?;
        Ok(w.iter()
            .zip(&ss.values)
            .map(|(&(c, _), v)| (c, v.value))
            .collect())
    }
}

/// Capabilities of DEU actors under Council Shapley–Shubik, cached per regime.
#[derive(Debug, Default)]
pub struct CouncilPower {
    cache: BTreeMap<Regime, BTreeMap<&'static str, f64>>,
}

impl CouncilPower {
    /// The capability of DEU actor `code` in `regime`; `None` for a code
    /// that is neither `com`, `ep` nor a member of that regime.
    pub fn capability(
        &mut self,
        regime: Regime,
        code: &str,
        w: &CouncilWeighting,
    ) -> Result<Option<f64>, BacktestError> {
        let ss = match self.cache.entry(regime) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(v) => v.insert(regime.shapley_shubik()?),
        };
        let top = ss.values().copied().fold(0.0, f64::max);
        Ok(match code {
            "com" => Some(w.commission * top),
            "ep" => Some(w.parliament * top),
            c => ss.get(c).copied(),
        })
    }
}

/// Reads a capability file: one `actor capability` pair a line, separated
/// by `;`, `,`, a tab or spaces; blank lines and lines starting with `#`
/// are skipped. Codes are compared lower-cased.
pub fn read_capability_file(text: &str, file: &str) -> Result<Capability, BacktestError> {
    let mut values = BTreeMap::new();
    for (k, raw) in text.lines().enumerate() {
        let line = k + 1;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = t
            .split([';', ',', '\t', ' '])
            .filter(|s| !s.is_empty())
            .collect();
        let bad = |message: String| BacktestError::CapabilityFile {
            file: file.into(),
            line,
            message,
        };
        if parts.len() != 2 {
            return Err(bad(format!(
                "expected `actor capability`, got {} field(s)",
                parts.len()
            )));
        }
        let v: f64 = parts[1]
            .parse()
            .map_err(|_| bad(format!("capability `{}` is not a number", parts[1])))?;
        if !(v.is_finite() && v >= 0.0) {
            return Err(bad(format!("capability must be finite and ≥ 0, got {v}")));
        }
        let code = parts[0].to_ascii_lowercase();
        if values.insert(code.clone(), v).is_some() {
            return Err(bad(format!("actor `{code}` is listed twice")));
        }
    }
    if values.is_empty() {
        return Err(BacktestError::CapabilityFile {
            file: file.into(),
            line: 0,
            message: "no capability listed".into(),
        });
    }
    Ok(Capability::File {
        source: file.into(),
        values,
    })
}
