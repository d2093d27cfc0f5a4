//! Votes on a whole scenario: each member's ballot on a proposal (from the
//! scenario's stances and the issue's status quo), and the scenario's
//! recorded tallies checked against their body's rule. Sits above the model
//! and the `[[institution]]` section it reads, so dependencies point one way
//! (model → sections; votes → model and sections).

use serde::Serialize;

use negotium_voting::{check_tally, check_tally_game, Ballot, Tally, TallyCheck};

use crate::model::{EventKind, Inputs, Scenario};
use crate::sections::institution::{InstitutionError, InstitutionSection};

impl InstitutionSection {
    /// Each member's ballot on moving `issue` from its status quo to
    /// `proposal`: yes when the member's position (its stance, else its
    /// `position` field) is nearer the proposal than the status quo, no when
    /// farther, abstain when equally near; members with neither abstain (or
    /// cast their `default_vote`).
    pub fn ballots(
        &self,
        inputs: &Inputs,
        issue: &str,
        proposal: f64,
        status_quo: Option<f64>,
    ) -> Result<Vec<MemberBallot>, InstitutionError> {
        let is = inputs
            .issue(issue)
            .ok_or_else(|| InstitutionError::UnknownIssue(issue.to_string()))?;
        if !(proposal.is_finite() && proposal >= is.min && proposal <= is.max) {
            return Err(InstitutionError::ProposalOutOfRange {
                issue: issue.into(),
                value: proposal,
                min: is.min,
                max: is.max,
            });
        }
        let sq = status_quo
            .or(is.status_quo)
            .ok_or_else(|| InstitutionError::NoStatusQuo(issue.to_string()))?;
        let default = self.default_vote.unwrap_or(Ballot::Abstain);
        Ok(self
            .members
            .iter()
            .map(|m| {
                let stance = m.actor.as_ref().and_then(|a| {
                    inputs
                        .stances
                        .iter()
                        .find(|s| &s.actor == a && s.issue == issue)
                });
                let (position, source) = match (stance, m.position) {
                    (Some(s), _) => (Some(s.position), PositionSource::Stance),
                    (None, Some(p)) => (Some(p), PositionSource::Member),
                    (None, None) => (None, PositionSource::None),
                };
                let ballot = match position {
                    Some(p) => ballot_at(p, proposal, sq),
                    None => m.default_vote.unwrap_or(default),
                };
                MemberBallot {
                    member: m.label(),
                    ballot,
                    position,
                    source,
                    status_quo: sq,
                    proposal,
                }
            })
            .collect())
    }
}

/// The ballot of a member at position `p` on moving the issue from `sq` to
/// `proposal`: yes when nearer the proposal, no when nearer the status quo,
/// abstain when equally near (within 1e-9).
pub fn ballot_at(p: f64, proposal: f64, sq: f64) -> Ballot {
    let (dp, dq) = ((proposal - p).abs(), (sq - p).abs());
    if dp + 1e-9 < dq {
        Ballot::Yes
    } else if dq + 1e-9 < dp {
        Ballot::No
    } else {
        Ballot::Abstain
    }
}

/// Where a member's position came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PositionSource {
    /// The scenario's `[[stance]]` of the member's actor on the issue.
    Stance,
    /// The member's own `position` field in the institution.
    Member,
    /// Neither: the member casts its default ballot.
    None,
}

/// One member's ballot and the reason for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberBallot {
    pub member: String,
    pub ballot: Ballot,
    pub position: Option<f64>,
    pub source: PositionSource,
    pub status_quo: f64,
    pub proposal: f64,
}

impl MemberBallot {
    /// One line: why this ballot.
    pub fn why(&self) -> String {
        let Some(p) = self.position else {
            return format!(
                "no stance on the issue and no position given: casts the default ({})",
                self.ballot.as_str()
            );
        };
        let from = match self.source {
            PositionSource::Stance => "stance",
            _ => "member's position",
        };
        let (dp, dq) = ((self.proposal - p).abs(), (self.status_quo - p).abs());
        let cmp = match self.ballot {
            Ballot::Yes => "nearer to",
            Ballot::No => "farther from",
            Ballot::Abstain => "as near to",
        };
        format!(
            "{from} {}: {cmp} the proposal {} (distance {}) than to the status quo {} (distance {})",
            trim(p),
            trim(self.proposal),
            trim(dp),
            trim(self.status_quo),
            trim(dq)
        )
        .replace(") than to the status quo", if self.ballot == Ballot::Abstain { ") as to the status quo" } else { ") than to the status quo" })
    }
}

fn trim(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// A recorded vote checked against its body's rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedVote {
    pub date: String,
    pub title: String,
    pub body: String,
    pub tally: Tally,
    /// None when the body is not an institution of the scenario.
    pub check: Option<TallyCheck>,
}

/// Every `[[event]]` with a tally, checked against the institution its
/// `body` names (by a `majority` rule if given, else the weighted rule when
/// every member counts one).
pub fn check_recorded_votes(s: &Scenario) -> Vec<RecordedVote> {
    s.events
        .iter()
        .filter(|e| e.tally.is_some() && (e.kind == EventKind::Vote || e.body.is_some()))
        .filter_map(|e| {
            let t = e.tally?;
            let body = e.body.clone()?;
            let tally = Tally {
                yes: t.yes as u64,
                no: t.no as u64,
                abstain: t.abstain as u64,
                absent: t.absent.map(|a| a as u64),
            };
            let inst = s.inputs.institutions.iter().find(|i| i.id == body);
            let check = inst.and_then(|i| i.model().ok()).and_then(|m| {
                if let Some(r) = &m.majority {
                    Some(check_tally(r, &tally))
                } else {
                    m.game
                        .as_ref()
                        .map(|g| check_tally_game(g, &tally, m.abstention_is_veto))
                }
            });
            Some(RecordedVote {
                date: e.date.clone(),
                title: e.title.clone(),
                body,
                tally,
                check,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_votes_are_checked_against_their_body() {
        let src = r#"
[scenario]
id = "t"
title = "t"

[[actor]]
id = "USA"
name = "United States"
capability = 1.0

[[actor]]
id = "RUS"
name = "Russia"
capability = 1.0

[[institution]]
id = "sc"
name = "Council"
quota = [2]
members = [{ actor = "USA", veto = true }, { actor = "RUS", veto = true }, { name = "X" }]

[[institution]]
id = "ga"
name = "Assembly"
seats = 10
majority = { basis = "votes-cast", at_least = [2, 3] }

[[event]]
date = "2000"
kind = "vote"
title = "a"
body = "ga"
tally = { yes = 4, no = 3, abstain = 3 }

[[event]]
date = "2001"
kind = "vote"
title = "b"
body = "sc"
tally = { yes = 3, no = 0, abstain = 0 }

[[event]]
date = "2002"
kind = "vote"
title = "c"
body = "elsewhere"
tally = { yes = 3, no = 0 }
"#;
        let sc: Scenario = toml::from_str(src).unwrap();
        let v = check_recorded_votes(&sc);
        assert_eq!(v.len(), 3);
        let c0 = v[0].check.as_ref().unwrap();
        assert_eq!(c0.verdict, negotium_voting::TallyVerdict::Fails);
        assert_eq!(c0.required_yes, Some(5));
        assert_eq!(
            v[1].check.as_ref().unwrap().verdict,
            negotium_voting::TallyVerdict::Passes
        );
        assert!(v[2].check.is_none());
    }
}
