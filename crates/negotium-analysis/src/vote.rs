//! The vote lens: would a proposal on an issue pass an institution? Each
//! member's ballot follows from its stance (nearer the proposal or the status
//! quo), then the rule decides; vetoes, pivotal members and reasons are
//! computed.

use std::collections::BTreeMap;

use negotium_scenario::sections::institution::InstitutionSection;
use negotium_scenario::Loaded;
use negotium_voting::{decide, Ballot, Failure};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::params::{opt_number, opt_text};
use crate::AnalysisError;

fn default_issue() -> String {
    "status".into()
}

/// Parameters of `negotium vote`. `proposal` is required; the rest default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteParams {
    /// The institution voting (its id; default: the first with a weighted rule).
    #[serde(default, deserialize_with = "opt_text")]
    pub institution: Option<String>,
    /// The issue the proposal concerns.
    #[serde(default = "default_issue")]
    pub issue: String,
    /// The proposal: a point of the issue's scale.
    pub proposal: f64,
    /// Status quo to compare against (default: the issue's `status_quo`).
    #[serde(default, deserialize_with = "opt_number")]
    pub status_quo: Option<f64>,
    /// Ballots from the stances in force on this date (`YYYY-MM-DD`;
    /// default: the scenario's `as_of`).
    #[serde(default, deserialize_with = "opt_text")]
    pub as_of: Option<String>,
}

impl VoteParams {
    /// A proposal on the default issue (`status`) in the default institution.
    pub fn new(proposal: f64) -> VoteParams {
        VoteParams {
            institution: None,
            issue: default_issue(),
            proposal,
            status_quo: None,
            as_of: None,
        }
    }
}

/// The vote lens's result (the `vote --json` contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VoteResult {
    /// The institution's id.
    pub institution: String,
    /// The institution's name.
    pub name: String,
    pub issue: String,
    pub proposal: f64,
    /// The labelled point of the issue's scale at the proposal, if any.
    pub proposal_label: Option<String>,
    pub status_quo: f64,
    /// The labelled point at the status quo, if any.
    pub status_quo_label: Option<String>,
    pub passes: bool,
    /// Members in the institution's order.
    pub members: Vec<String>,
    /// Members holding a veto.
    pub veto_holders: Vec<String>,
    /// Per member: `yes`, `no` or `abstain`.
    pub votes: BTreeMap<String, String>,
    /// Per member: why it votes so.
    pub why: BTreeMap<String, String>,
    pub yes: usize,
    pub no: usize,
    pub abstain: usize,
    /// Veto holders whose no blocked the proposal.
    pub vetoed_by: Vec<String>,
    /// Members whose switch alone would change the result.
    pub pivotal: Vec<String>,
    /// Why it passes or fails, computed.
    pub reasons: Vec<String>,
    /// Members without a stance or position (they cast their default).
    pub without_position: Vec<String>,
    /// The date the ballots' stances were read at, when not the scenario's
    /// own `as_of` (the `as_of` parameter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
}

/// Puts the proposal to the institution.
pub fn run(scenario: &Loaded, a: &VoteParams) -> Result<VoteResult, AnalysisError> {
    let scenario = &*crate::dated::at(scenario, a.as_of.as_deref())?;
    let s = &scenario.scenario;
    let candidates: Vec<&InstitutionSection> = s
        .inputs
        .institutions
        .iter()
        .filter(|i| a.institution.as_deref().is_none_or(|id| i.id == id))
        .collect();
    let sec = match (&a.institution, candidates.first()) {
        (Some(id), None) => {
            return Err(AnalysisError::param(
                "institution",
                format!(
                    "unknown institution `{id}`{}; expected one of {}",
                    negotium_suggest::did_you_mean(
                        id,
                        s.inputs.institutions.iter().map(|i| i.id.as_str())
                    ),
                    s.inputs
                        .institutions
                        .iter()
                        .map(|i| i.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ))
        }
        (Some(_), Some(i)) => *i,
        (None, _) => *candidates.iter().find(|i| !i.quota.is_empty()).ok_or_else(|| {
            AnalysisError::input(
                "the scenario has no institution with a weighted rule (quota and members) to vote in",
            )
        })?,
    };
    let m = sec
        .model()
        .map_err(|e| AnalysisError::input(e.to_string()))?;
    let game = m.game.as_ref().ok_or_else(|| {
        AnalysisError::param(
            "institution",
            format!(
                "institution `{}` has only a majority rule for recorded tallies; a vote needs its members (quota and members)",
                m.id
            ),
        )
    })?;
    let ballots = sec
        .ballots(&s.inputs, &a.issue, a.proposal, a.status_quo)
        .map_err(|e| {
            use negotium_scenario::sections::institution::InstitutionError as E;
            let param = match &e {
                E::UnknownIssue(_) => "issue",
                E::NoStatusQuo(_) => "status_quo",
                _ => "proposal",
            };
            AnalysisError::param(param, e.to_string())
        })?;
    let b: Vec<Ballot> = ballots.iter().map(|x| x.ballot).collect();
    let outcome = decide(game, &b, m.abstention_is_veto)?;
    let issue = s.issue(&a.issue).ok_or_else(|| {
        AnalysisError::param(
            "issue",
            format!(
                "unknown issue `{}`{}",
                a.issue,
                negotium_suggest::did_you_mean(
                    &a.issue,
                    s.inputs.issues.iter().map(|i| i.id.as_str())
                )
            ),
        )
    })?;
    let sq = ballots.first().map(|x| x.status_quo).unwrap_or(0.0);
    let label = |x: f64| {
        issue
            .nearest_label(x)
            .filter(|p| (p.at - x).abs() < 1e-9)
            .map(|p| p.label.clone())
    };
    let mut reasons = Vec::new();
    for f in &outcome.failures {
        match f {
            Failure::Veto { member } => reasons.push(format!(
                "vetoed by {} (a veto holder voting no)",
                m.labels[*member]
            )),
            Failure::Quota { quota, got, need } => {
                let q = &game.quotas()[*quota];
                let equal = q.weights.iter().all(|&w| w == q.weights[0]);
                if equal {
                    let per = q.weights[0].max(1);
                    reasons.push(format!(
                        "{} yes vote(s) of the {} needed",
                        got / per,
                        need.div_ceil(per)
                    ));
                } else {
                    let scale = m.scales.get(*quota).copied().unwrap_or(1) as f64;
                    reasons.push(format!(
                        "yes weight {} of the {} needed (quota {})",
                        *got as f64 / scale,
                        *need as f64 / scale,
                        quota + 1
                    ));
                }
            }
        }
    }
    if outcome.passes {
        reasons.push(if outcome.by_complement {
            "fewer members outside than a blocking minority".to_string()
        } else {
            "every quota reached and no veto cast".to_string()
        });
    }
    let names = |v: &[usize]| v.iter().map(|&i| m.labels[i].clone()).collect::<Vec<_>>();
    Ok(VoteResult {
        institution: m.id.clone(),
        name: m.name.clone(),
        issue: a.issue.clone(),
        proposal: a.proposal,
        proposal_label: label(a.proposal),
        status_quo: sq,
        status_quo_label: label(sq),
        passes: outcome.passes,
        members: ballots.iter().map(|x| x.member.clone()).collect(),
        veto_holders: m
            .labels
            .iter()
            .zip(game.vetoes())
            .filter(|(_, v)| **v)
            .map(|(l, _)| l.clone())
            .collect(),
        votes: ballots
            .iter()
            .map(|x| (x.member.clone(), x.ballot.as_str().to_string()))
            .collect(),
        why: ballots
            .iter()
            .map(|x| (x.member.clone(), x.why()))
            .collect(),
        yes: outcome.yes,
        no: outcome.no,
        abstain: outcome.abstain,
        vetoed_by: names(&outcome.vetoed_by),
        pivotal: names(&outcome.pivotal),
        reasons,
        without_position: ballots
            .iter()
            .filter(|x| x.position.is_none())
            .map(|x| x.member.clone())
            .collect(),
        as_of: a.as_of.clone(),
    })
}
