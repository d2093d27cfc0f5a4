//! The `[bargaining]` section: a multi-issue outcome space, parties'
//! utilities and reservation values for the negotiation-protocols lens, its
//! validation at document paths, and its mapping onto
//! [`negotium_bargain::Problem`].
//!
//! Shape (TOML):
//! ```toml
//! [bargaining]
//! normalisation = "as-given"          # or "genius-max", "min-max"
//! [[bargaining.issue]]
//! id = "status"                       # a declared [[issue]] id
//! values = ["autonomy", "independence"]   # or integer = { lo, hi } / continuous = { lo, hi, points }
//! [[bargaining.party]]
//! actor = "KOS"
//! alternative = "what happens without agreement"
//! [[bargaining.party.issue]]
//! issue = "status"
//! weight = 0.75
//! values = [0.0, 1.0]                 # or linear = { slope, offset }
//! reservation = 0.8                   # this issue's score under the alternative
//! ```
//! A party gives either `reservation` on the party (one value) or a
//! `reservation` on every one of its issues (the weighted sum is its
//! reservation value, and per-issue zones of agreement become available).

use negotium_bargain::domain::Issue as BIssue;
use negotium_bargain::prefs::Reservation;
use negotium_bargain::{
    BargainError, Domain, Normalisation, Party, Problem, Utility, ValueFunction,
};
use serde::{Deserialize, Serialize};

use crate::uncertain::{check_distribution, check_range, Distribution, Range};
use crate::validate::{check_unique, Path, Problems, Refs};

/// The largest score, utility or reservation magnitude a bargaining section
/// may hold (the engine's bound, so that no lens overflows on what loaded).
use negotium_bargain::prefs::MAX_SCORE;

/// `[bargaining]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BargainingSection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How value scores become utilities (default `as-given`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normalisation: Option<Normalisation>,
    /// Default step budget for `negotiate` (1 to 1,000,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<u32>,
    #[serde(default, rename = "issue")]
    pub issues: Vec<BargainIssue>,
    #[serde(default, rename = "party")]
    pub parties: Vec<BargainParty>,
}

/// `[[bargaining.issue]]`: one issue and its discrete values.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BargainIssue {
    pub id: String,
    /// Categorical values (short ids; `at` places them on the core issue's
    /// scale, whose labelled points name them in reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// Integer range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integer: Option<IntRange>,
    /// Continuous range with its explicit discretisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuous: Option<ContRange>,
    /// The position of each categorical value on the scale of the core
    /// `[[issue]]` with the same id, one per value, in the same order:
    /// reports name an agreement by the labelled point there and compare it
    /// with the forecasts and the votes on that scale.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub at: Vec<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IntRange {
    pub lo: i64,
    pub hi: i64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ContRange {
    pub lo: f64,
    pub hi: f64,
    pub points: usize,
}

/// `[[bargaining.party]]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BargainParty {
    pub actor: String,
    /// The party's best alternative to agreement, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<String>,
    /// Reservation utility (omit when every issue has a `reservation`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation: Option<f64>,
    /// Discount factor in (0, 1] (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<f64>,
    /// Uncertainty: the range the party's `reservation` may take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_range: Option<Range>,
    /// How `reservation_range` is drawn (default uniform).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, rename = "issue")]
    pub issues: Vec<PartyIssue>,
}

/// `[[bargaining.party.issue]]`: the party's weight and scores on one issue.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PartyIssue {
    pub issue: String,
    pub weight: f64,
    /// One score per value, in the issue's value order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<f64>>,
    /// Or a linear score of the value's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linear: Option<Linear>,
    /// This issue's score under the party's alternative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation: Option<f64>,
    /// Uncertainty: the range the `weight` may take (≥ 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_range: Option<Range>,
    /// Uncertainty: the range this issue's `reservation` may take.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_range: Option<Range>,
    /// How the ranges are drawn (default uniform).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Linear {
    pub slope: f64,
    pub offset: f64,
}

impl BargainIssue {
    /// The position on the core issue's scale of one of its categorical
    /// values (None without `at`).
    pub fn position_of(&self, value: &str) -> Option<f64> {
        self.values
            .as_ref()
            .and_then(|vs| vs.iter().position(|v| v == value))
            .and_then(|i| self.at.get(i).copied())
    }

    fn build(&self) -> Result<BIssue, BargainError> {
        match (&self.values, &self.integer, &self.continuous) {
            (Some(v), None, None) => BIssue::categorical(self.id.clone(), v.iter().cloned()),
            (None, Some(r), None) => BIssue::integer(self.id.clone(), r.lo, r.hi),
            (None, None, Some(c)) => BIssue::continuous(self.id.clone(), c.lo, c.hi, c.points),
            _ => Err(BargainError::BadIssue {
                issue: self.id.clone(),
                what: "give exactly one of `values`, `integer` or `continuous`".into(),
            }),
        }
    }
}

impl BargainingSection {
    /// Semantic checks; `at` is the path of the section (`bargaining`).
    pub fn validate(&self, at: &Path, refs: &Refs, problems: &mut Problems) {
        let ipath = |i: usize| at.key("issue").index(i);
        if let Some(n) = self.steps {
            let max = negotium_bargain::error::MAX_STEPS;
            if n == 0 || n > max {
                problems.push(
                    at.key("steps"),
                    format!("steps {n}; expected a whole number from 1 to {max}"),
                );
            }
        }
        if self.issues.is_empty() {
            problems.push(
                at.clone(),
                "no [[bargaining.issue]]; expected at least one issue",
            );
        }
        check_unique(
            self.issues.iter().map(|i| i.id.as_str()),
            "bargaining issue",
            ipath,
            problems,
        );
        let mut built = Vec::new();
        for (i, issue) in self.issues.iter().enumerate() {
            refs.check_issue(&issue.id, ipath(i).key("id"), problems);
            if !issue.at.is_empty() {
                match &issue.values {
                    Some(v) if v.len() == issue.at.len() => {}
                    Some(v) => problems.push(
                        ipath(i).key("at"),
                        format!(
                            "{} positions for {} values; expected one position per value",
                            issue.at.len(),
                            v.len()
                        ),
                    ),
                    None => problems.push(
                        ipath(i).key("at"),
                        "`at` places categorical `values` on the scale; this issue has none",
                    ),
                }
                for (k, x) in issue.at.iter().enumerate() {
                    if !x.is_finite() {
                        problems.push(
                            ipath(i).key("at").index(k),
                            format!("{x}; expected a finite position"),
                        );
                    }
                }
            }
            match issue.build() {
                Ok(b) => built.push(Some(b)),
                Err(e) => {
                    problems.push(ipath(i), format!("{e}"));
                    built.push(None);
                }
            }
        }
        if built.iter().all(Option::is_some) && !built.is_empty() {
            let issues: Vec<BIssue> = built.iter().flatten().cloned().collect();
            if let Err(e) = Domain::new(issues) {
                problems.push(at.key("issue"), format!("{e}"));
            }
        }
        let ppath = |p: usize| at.key("party").index(p);
        if self.parties.len() < 2 {
            problems.push(
                at.clone(),
                format!(
                    "{} [[bargaining.party]]; expected at least two parties",
                    self.parties.len()
                ),
            );
        }
        check_unique(
            self.parties.iter().map(|p| p.actor.as_str()),
            "bargaining party",
            ppath,
            problems,
        );
        for (pi, party) in self.parties.iter().enumerate() {
            let pp = ppath(pi);
            refs.check_actor(&party.actor, pp.key("actor"), problems);
            if let Some(d) = party.discount {
                if !(d > 0.0 && d <= 1.0) {
                    problems.push(
                        pp.key("discount"),
                        format!("discount {d}; expected a number in (0, 1]"),
                    );
                }
            }
            if let Some(r) = party.reservation {
                if !r.is_finite() {
                    problems.push(
                        pp.key("reservation"),
                        "reservation value must be a finite number",
                    );
                } else if r.abs() > MAX_SCORE {
                    problems.push(
                        pp.key("reservation"),
                        format!("reservation value {r} is out of range; expected a utility within ±{MAX_SCORE:e}"),
                    );
                }
            }
            check_reservation_range(party.reservation, party.reservation_range, &pp, problems);
            check_distribution(
                party.distribution,
                party.reservation_range.is_some(),
                "reservation_range",
                pp.key("distribution"),
                problems,
            );
            let with_res = party
                .issues
                .iter()
                .filter(|i| i.reservation.is_some())
                .count();
            match (party.reservation.is_some(), with_res) {
                (true, 0) => {}
                (false, n) if n == party.issues.len() && n > 0 => {}
                (true, _) => problems.push(
                    pp.key("reservation"),
                    "both a party reservation and per-issue reservations; expected one or the other",
                ),
                (false, _) => problems.push(
                    pp.clone(),
                    format!(
                        "{with_res} of {} issues have a `reservation`; expected a party `reservation` or one on every issue",
                        party.issues.len()
                    ),
                ),
            }
            check_unique(
                party.issues.iter().map(|i| i.issue.as_str()),
                "party issue",
                |k| pp.key("issue").index(k),
                problems,
            );
            for issue in &self.issues {
                if !party.issues.iter().any(|pi| pi.issue == issue.id) {
                    problems.push(
                        pp.key("issue"),
                        format!("no [[bargaining.party.issue]] for issue `{}`; expected weight and scores for every bargaining issue", issue.id),
                    );
                }
            }
            let mut wsum = 0.0;
            for (k, pi_) in party.issues.iter().enumerate() {
                let ip = pp.key("issue").index(k);
                let Some(idx) = self.issues.iter().position(|i| i.id == pi_.issue) else {
                    problems.push(
                        ip.key("issue"),
                        format!(
                            "unknown bargaining issue `{}`{}; expected one of {}",
                            pi_.issue,
                            negotium_suggest::did_you_mean(
                                &pi_.issue,
                                self.issues.iter().map(|i| i.id.as_str())
                            ),
                            self.issues
                                .iter()
                                .map(|i| i.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    continue;
                };
                if !(pi_.weight.is_finite() && pi_.weight >= 0.0) {
                    problems.push(
                        ip.key("weight"),
                        format!("weight {}; expected a finite number >= 0", pi_.weight),
                    );
                } else {
                    wsum += pi_.weight;
                }
                match (&pi_.values, &pi_.linear) {
                    (Some(v), None) => {
                        if let Some(Some(b)) = built.get(idx) {
                            if v.len() != b.len() {
                                problems.push(
                                    ip.key("values"),
                                    format!("{} scores for issue `{}` with {} values; expected one score per value", v.len(), pi_.issue, b.len()),
                                );
                            }
                        }
                        if v.iter().any(|x| !x.is_finite()) {
                            problems.push(ip.key("values"), "scores must be finite numbers");
                        } else if let Some(x) = v.iter().find(|x| x.abs() > MAX_SCORE) {
                            problems.push(
                                ip.key("values"),
                                format!("score {x} is out of range; expected scores within ±{MAX_SCORE:e} (write them in [0, 1])"),
                            );
                        }
                    }
                    (None, Some(l)) => {
                        if !(l.slope.is_finite() && l.offset.is_finite()) {
                            problems
                                .push(ip.key("linear"), "slope and offset must be finite numbers");
                        } else if let Some(Some(b)) = built.get(idx) {
                            let worst = b
                                .numbers
                                .iter()
                                .map(|x| l.slope * x + l.offset)
                                .find(|y| !y.is_finite() || y.abs() > MAX_SCORE);
                            if let Some(y) = worst {
                                problems.push(
                                    ip.key("linear"),
                                    format!("this function scores a value of issue `{}` at {y:e}; expected scores within ±{MAX_SCORE:e} (write them in [0, 1])", pi_.issue),
                                );
                            }
                        }
                    }
                    _ => problems.push(
                        ip.clone(),
                        "give exactly one of `values` (a score per value) or `linear`",
                    ),
                }
                if let Some(r) = pi_.reservation {
                    if !r.is_finite() {
                        problems.push(
                            ip.key("reservation"),
                            "reservation score must be a finite number",
                        );
                    } else if r.abs() > MAX_SCORE {
                        problems.push(
                            ip.key("reservation"),
                            format!("reservation score {r} is out of range; expected a score within ±{MAX_SCORE:e}"),
                        );
                    }
                }
                if let Some(r) = pi_.weight_range {
                    check_range(
                        r,
                        pi_.weight,
                        (0.0, f64::MAX),
                        "the weights allowed (≥ 0)",
                        ip.key("weight_range"),
                        ("weight_range", "weight"),
                        problems,
                    );
                }
                check_reservation_range(pi_.reservation, pi_.reservation_range, &ip, problems);
                check_distribution(
                    pi_.distribution,
                    pi_.weight_range.is_some() || pi_.reservation_range.is_some(),
                    "weight_range or reservation_range",
                    ip.key("distribution"),
                    problems,
                );
            }
            if !party.issues.is_empty() && wsum <= 0.0 {
                problems.push(
                    pp.key("issue"),
                    "the weights sum to 0; expected a positive sum",
                );
            }
        }
    }

    /// Whether any party declares a range.
    pub fn is_uncertain(&self) -> bool {
        self.parties.iter().any(|p| {
            p.reservation_range.is_some()
                || p.issues
                    .iter()
                    .any(|i| i.weight_range.is_some() || i.reservation_range.is_some())
        })
    }

    /// Maps the (validated) section onto the engine's problem; parties are named by actor id.
    pub fn to_problem(&self, name: &str) -> Result<Problem, BargainError> {
        let issues = self
            .issues
            .iter()
            .map(BargainIssue::build)
            .collect::<Result<Vec<_>, _>>()?;
        let domain = Domain::with_limit(
            issues,
            negotium_bargain::domain::MAX_OUTCOMES,
            self.parties.len(),
        )?;
        let norm = self.normalisation.unwrap_or_default();
        let mut parties = Vec::new();
        for p in &self.parties {
            let mut weights = Vec::new();
            let mut fns = Vec::new();
            let mut res = Vec::new();
            for issue in &self.issues {
                let pi = p
                    .issues
                    .iter()
                    .find(|i| i.issue == issue.id)
                    .ok_or_else(|| BargainError::BadParty {
                        party: p.actor.clone(),
                        what: format!("no scores for issue `{}`", issue.id),
                    })?;
                weights.push(pi.weight);
                fns.push(match (&pi.values, &pi.linear) {
                    (Some(v), _) => ValueFunction::Table(v.clone()),
                    (None, Some(l)) => ValueFunction::Linear {
                        slope: l.slope,
                        offset: l.offset,
                    },
                    (None, None) => {
                        return Err(BargainError::BadParty {
                            party: p.actor.clone(),
                            what: format!("no scores for issue `{}`", issue.id),
                        })
                    }
                });
                res.push(pi.reservation);
            }
            let utility = Utility::new(&domain, &weights, &fns, norm, &p.actor)?;
            let reservation = match p.reservation {
                Some(r) => Reservation::Value(r),
                None => Reservation::PerIssue(res.into_iter().map(|r| r.unwrap_or(0.0)).collect()),
            };
            parties.push(Party::new(
                p.actor.clone(),
                utility,
                reservation,
                p.discount.unwrap_or(1.0),
            )?);
        }
        Problem::new(name, domain, parties)
    }
}

/// A `reservation_range` needs the `reservation` it surrounds.
fn check_reservation_range(
    point: Option<f64>,
    range: Option<Range>,
    at: &Path,
    problems: &mut Problems,
) {
    let Some(r) = range else { return };
    match point {
        Some(x) => check_range(
            r,
            x,
            (-MAX_SCORE, MAX_SCORE),
            "the scores allowed (within ±1e6)",
            at.key("reservation_range"),
            ("reservation_range", "reservation"),
            problems,
        ),
        None => problems.push(
            at.key("reservation_range"),
            "a reservation_range needs the `reservation` it surrounds (the point value) here",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"
normalisation = "as-given"
[[issue]]
id = "status"
values = ["autonomy", "independence"]
[[issue]]
id = "debt"
integer = { lo = 0, hi = 2 }
[[party]]
actor = "KOS"
alternative = "declare"
[[party.issue]]
issue = "status"
weight = 3
values = [0.0, 1.0]
reservation = 0.8
[[party.issue]]
issue = "debt"
weight = 1
linear = { slope = -0.5, offset = 1.0 }
reservation = 0.2
[[party]]
actor = "SRB"
reservation = 0.5
[[party.issue]]
issue = "status"
weight = 1
values = [1.0, 0.0]
[[party.issue]]
issue = "debt"
weight = 1
values = [0.0, 0.5, 1.0]
"#;

    fn refs() -> Refs {
        Refs {
            actors: ["KOS", "SRB"].iter().map(|s| s.to_string()).collect(),
            issues: ["status", "debt"].iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn parses_validates_maps_and_round_trips() {
        let s: BargainingSection = toml::from_str(SRC).unwrap();
        let mut p = Problems::default();
        s.validate(&Path::root().key("bargaining"), &refs(), &mut p);
        assert!(p.is_empty(), "{:?}", p.0);
        let prob = s.to_problem("t").unwrap();
        assert_eq!(prob.domain.size(), 6);
        assert!((prob.parties[0].reservation - (0.75 * 0.8 + 0.25 * 0.2)).abs() < 1e-12);
        assert_eq!(prob.parties[1].reservation, 0.5);
        let json = serde_json::to_string(&s).unwrap();
        let back: BargainingSection = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        let t = toml::to_string(&s).unwrap();
        let back: BargainingSection = toml::from_str(&t).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn problems_are_reported_at_paths() {
        let mut s: BargainingSection = toml::from_str(SRC).unwrap();
        s.parties[0].issues[0].values = Some(vec![0.0]);
        s.parties[1].actor = "XXX".into();
        s.parties[1].issues[1].issue = "nope".into();
        s.issues[1].integer = None;
        let mut p = Problems::default();
        s.validate(&Path::root().key("bargaining"), &refs(), &mut p);
        let paths: Vec<String> = p.0.iter().map(|x| x.path.to_string()).collect();
        assert!(
            paths.contains(&"bargaining.party[1].actor".to_string()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"bargaining.party[1].issue[1].issue".to_string()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"bargaining.issue[1]".to_string()),
            "{paths:?}"
        );
        let mut s: BargainingSection = toml::from_str(SRC).unwrap();
        s.parties[0].issues[0].values = Some(vec![0.0]);
        s.parties[1].issues[0].reservation = Some(0.1);
        let mut p = Problems::default();
        s.validate(&Path::root().key("bargaining"), &refs(), &mut p);
        let paths: Vec<String> = p.0.iter().map(|x| x.path.to_string()).collect();
        assert!(
            paths.contains(&"bargaining.party[0].issue[0].values".to_string()),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"bargaining.party[1].reservation".to_string()),
            "{paths:?}"
        );
    }

    /// The Kosovo block: the "agree on technical issues, not on status"
    /// pattern, checked by brute force on the file's raw numbers
    /// (independently of the engine) and then against the engine.
    #[test]
    fn kosovo_pattern_follows_from_the_documented_numbers() {
        let loaded = crate::resolve("kosovo-status").unwrap();
        let b = loaded.scenario.inputs.bargaining.as_ref().unwrap();
        let (kos, srb) = (&b.parties[0], &b.parties[1]);
        assert_eq!((kos.actor.as_str(), srb.actor.as_str()), ("KOS", "SRB"));
        // Per issue: values both parties score strictly above their alternative.
        let mut zones = Vec::new();
        for issue in &b.issues {
            let pk = kos.issues.iter().find(|i| i.issue == issue.id).unwrap();
            let ps = srb.issues.iter().find(|i| i.issue == issue.id).unwrap();
            let (vk, vs) = (pk.values.as_ref().unwrap(), ps.values.as_ref().unwrap());
            let zone: Vec<usize> = (0..vk.len())
                .filter(|&v| vk[v] > pk.reservation.unwrap() && vs[v] > ps.reservation.unwrap())
                .collect();
            zones.push((issue.id.clone(), zone));
        }
        assert!(zones[0].0 == "status" && zones[0].1.is_empty());
        assert!(zones[1..].iter().all(|(_, z)| !z.is_empty()), "{zones:?}");
        // Whole package by brute force: no outcome both strictly prefer.
        let norm = |p: &BargainParty| {
            let w: f64 = p.issues.iter().map(|i| i.weight).sum();
            let r: f64 = p
                .issues
                .iter()
                .map(|i| i.weight * i.reservation.unwrap())
                .sum::<f64>()
                / w;
            (w, r)
        };
        let ((wk, rk), (ws, rs)) = (norm(kos), norm(srb));
        let sizes: Vec<usize> = b
            .issues
            .iter()
            .map(|i| i.values.as_ref().unwrap().len())
            .collect();
        let total: usize = sizes.iter().product();
        let mut idx = vec![0usize; sizes.len()];
        let mut zopa = 0;
        for _ in 0..total {
            let u = |p: &BargainParty, w: f64| {
                p.issues
                    .iter()
                    .enumerate()
                    .map(|(k, i)| i.weight * i.values.as_ref().unwrap()[idx[k]])
                    .sum::<f64>()
                    / w
            };
            if u(kos, wk) > rk && u(srb, ws) > rs {
                zopa += 1;
            }
            for k in (0..idx.len()).rev() {
                idx[k] += 1;
                if idx[k] < sizes[k] {
                    break;
                }
                idx[k] = 0;
            }
        }
        assert_eq!(zopa, 0);
        // The engine agrees.
        let prob = b.to_problem("kosovo-status").unwrap();
        let space = negotium_bargain::Space::new(&prob);
        let a = negotium_bargain::analysis::analyze(&prob, &space);
        assert_eq!(a.n_outcomes, total);
        assert_eq!(a.zopa_outcomes, 0);
        assert!(a.nash.is_none());
        assert_eq!(a.zopa_empty_issues(), vec!["status".to_string()]);
        for (z, (_, mine)) in a.issues.iter().zip(&zones) {
            assert_eq!(z.zopa.len(), mine.len(), "{}", z.issue);
        }
    }
}
