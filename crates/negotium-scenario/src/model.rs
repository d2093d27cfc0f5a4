//! The scenario data model (format v1): what a file says, as typed values.
//!
//! The recorded outcome lives in [`Scenario::outcome`], apart from
//! [`Scenario::inputs`]: lens adapters take `&Inputs` only, so no model can
//! read the outcome it is scored against.

use serde::{Deserialize, Serialize};

use crate::dated::Timeline;

use crate::sections::{
    bargaining::BargainingSection, conflict::ConflictSection, institution::InstitutionSection,
};
use crate::uncertain::{Distribution, Range};

/// A whole scenario file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(from = "RawScenario", into = "RawScenario")]
pub struct Scenario {
    /// `[scenario]`: metadata.
    pub scenario: Meta,
    /// Everything a model may read, as of the scenario's default date (its
    /// `as_of`): one stance per actor and issue, capabilities in force then.
    /// Derived from [`Scenario::timeline`]; [`Scenario::at`] gives another date.
    pub inputs: Inputs,
    /// The dated record as written (every `[[stance]]`, dated or not, the
    /// `[[actor]]` capabilities and the `[[capability]]` changes). This, not
    /// `inputs`, is what the scenario serialises back to.
    pub timeline: Timeline,
    /// `[[event]]`: the dated history (never a model input).
    pub events: Vec<Event>,
    /// `[outcome]`: what happened, used only to score forecasts.
    pub outcome: Option<Outcome>,
}

/// The file's flat shape (serde cannot deny unknown fields through `flatten`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    scenario: Meta,
    #[serde(default, rename = "actor")]
    actors: Vec<Actor>,
    #[serde(default, rename = "issue")]
    issues: Vec<Issue>,
    #[serde(default, rename = "stance")]
    stances: Vec<Stance>,
    #[serde(default, rename = "capability", skip_serializing_if = "Vec::is_empty")]
    capabilities: Vec<CapabilityChange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    conflict: Option<ConflictSection>,
    #[serde(default, rename = "institution", skip_serializing_if = "Vec::is_empty")]
    institutions: Vec<InstitutionSection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bargaining: Option<BargainingSection>,
    #[serde(default, rename = "event", skip_serializing_if = "Vec::is_empty")]
    events: Vec<Event>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<Outcome>,
}

impl From<RawScenario> for Scenario {
    fn from(r: RawScenario) -> Self {
        let timeline = Timeline {
            actors: r.actors,
            stances: r.stances,
            capabilities: r.capabilities,
        };
        let date = r
            .scenario
            .as_of
            .as_deref()
            .and_then(crate::validate::parse_date);
        let (actors, stances) = timeline.effective(date);
        Scenario {
            scenario: r.scenario,
            inputs: Inputs {
                actors,
                issues: r.issues,
                stances,
                conflict: r.conflict,
                institutions: r.institutions,
                bargaining: r.bargaining,
            },
            timeline,
            events: r.events,
            outcome: r.outcome,
        }
    }
}

impl From<Scenario> for RawScenario {
    fn from(s: Scenario) -> Self {
        RawScenario {
            scenario: s.scenario,
            actors: s.timeline.actors,
            issues: s.inputs.issues,
            stances: s.timeline.stances,
            capabilities: s.timeline.capabilities,
            conflict: s.inputs.conflict,
            institutions: s.inputs.institutions,
            bargaining: s.inputs.bargaining,
            events: s.events,
            outcome: s.outcome,
        }
    }
}

/// `[scenario]`: identification, provenance and the date the inputs describe.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The date the inputs describe ("what was known when"), `YYYY[-MM[-DD]]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Where the data come from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// Licence of the data, where it comes from a published data set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// How capabilities were assigned (the documented scheme).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability_scheme: Option<String>,
}

/// The model inputs of a scenario: actors, issues, stances and the optional
/// sections of the other lenses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    pub actors: Vec<Actor>,
    pub issues: Vec<Issue>,
    pub stances: Vec<Stance>,
    pub conflict: Option<ConflictSection>,
    pub institutions: Vec<InstitutionSection>,
    pub bargaining: Option<BargainingSection>,
}

/// `[[actor]]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    pub id: String,
    pub name: String,
    /// Non-negative clout; only ratios matter to the models.
    pub capability: f64,
    /// Uncertainty: the range the capability may take, `[lo, hi]` around
    /// `capability` (drawn by `negotium sweep`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability_range: Option<Range>,
    /// How `capability_range` is drawn (default uniform; triangular peaks at
    /// `capability`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    /// Why this capability (rationale and source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// `[[issue]]`: a one-dimensional scale.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    pub id: String,
    pub name: String,
    pub min: f64,
    pub max: f64,
    /// Position of the status quo on the scale, if meaningful.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_quo: Option<f64>,
    /// The scale's unit, e.g. "years".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Labelled points of the scale, in any order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<Point>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A labelled point of an issue scale: `{ at = 75, label = "supervised independence" }`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub at: f64,
    pub label: String,
}

/// `[[stance]]`: one actor's position and salience on one issue.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Stance {
    pub actor: String,
    pub issue: String,
    pub position: f64,
    /// In [0, 1]: how much the issue matters to the actor.
    pub salience: f64,
    /// `YYYY-MM-DD`: the first day the stance holds; it supersedes the
    /// actor's earlier stance on the issue from then on. None: from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The `[[event]]` (its id) the change follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Uncertainty: the range the position may take, `[lo, hi]` around
    /// `position`, within the issue's scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position_range: Option<Range>,
    /// Uncertainty: the range the salience may take, within [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salience_range: Option<Range>,
    /// How the ranges are drawn (default uniform; triangular peaks at the
    /// point value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    /// One-line rationale and source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// `[[capability]]`: an actor's capability from a date on (it supersedes
/// the `[[actor]]` value and any earlier change).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CapabilityChange {
    pub actor: String,
    /// `YYYY-MM-DD`: the first day the capability holds.
    pub from: String,
    pub capability: f64,
    /// The `[[event]]` (its id) the change follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// `[[event]]`: a dated entry of the case's history.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// An id (unique among events) that dated stances and capabilities
    /// may refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: String,
    /// Optional end date for events that span a period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    pub kind: EventKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Actors taking part (ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<String>,
    /// For proposals and votes: the issue and the point of its scale concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<f64>,
    /// For votes: the body (an institution id, or a free name) and the tally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tally: Option<Tally>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The kinds of dated event.
#[derive(
    Debug,
    Clone,
    Copy,
    Serialize,
    Deserialize,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    TalksRound,
    ExpertMeeting,
    Proposal,
    Vote,
    Referendum,
    Declaration,
    Ruling,
    Agreement,
    Resolution,
    Appointment,
    Statement,
    Recognition,
    Election,
    Violence,
    Other,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::TalksRound => "talks-round",
            EventKind::ExpertMeeting => "expert-meeting",
            EventKind::Proposal => "proposal",
            EventKind::Vote => "vote",
            EventKind::Referendum => "referendum",
            EventKind::Declaration => "declaration",
            EventKind::Ruling => "ruling",
            EventKind::Agreement => "agreement",
            EventKind::Resolution => "resolution",
            EventKind::Appointment => "appointment",
            EventKind::Statement => "statement",
            EventKind::Recognition => "recognition",
            EventKind::Election => "election",
            EventKind::Violence => "violence",
            EventKind::Other => "other",
        }
    }
}

/// A recorded vote's tally.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    pub yes: u32,
    pub no: u32,
    #[serde(default)]
    pub abstain: u32,
    /// Members entitled to vote who did not (absent / not voting), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<u32>,
}

/// `[outcome]`: what really happened. Scored against, never read by a model.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Per issue: where the outcome lies on its scale.
    #[serde(default, rename = "result")]
    pub results: Vec<OutcomeResult>,
}

/// `[[outcome.result]]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OutcomeResult {
    pub issue: String,
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl Inputs {
    pub fn actor(&self, id: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.id == id)
    }
    pub fn issue(&self, id: &str) -> Option<&Issue> {
        self.issues.iter().find(|i| i.id == id)
    }
}

impl Scenario {
    pub fn actor(&self, id: &str) -> Option<&Actor> {
        self.inputs.actors.iter().find(|a| a.id == id)
    }
    pub fn issue(&self, id: &str) -> Option<&Issue> {
        self.inputs.issues.iter().find(|i| i.id == id)
    }
    /// The sections the scenario has, in this order: `stances`, `conflict`,
    /// `institutions`, `bargaining`, `history` (dated events), `outcome`.
    pub fn sections(&self) -> Vec<&'static str> {
        [
            ("stances", !self.inputs.stances.is_empty()),
            ("conflict", self.inputs.conflict.is_some()),
            ("institutions", !self.inputs.institutions.is_empty()),
            ("bargaining", self.inputs.bargaining.is_some()),
            ("history", !self.events.is_empty()),
            ("outcome", self.outcome.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect()
    }
    /// The recorded outcome value of an issue, if any.
    pub fn outcome_of(&self, issue: &str) -> Option<f64> {
        self.outcome
            .as_ref()?
            .results
            .iter()
            .find(|r| r.issue == issue)
            .map(|r| r.value)
    }
}

impl Issue {
    /// The labelled point nearest to `x`, if the scale has labels.
    pub fn nearest_label(&self, x: f64) -> Option<&Point> {
        self.points.iter().min_by(|a, b| {
            (a.at - x)
                .abs()
                .partial_cmp(&(b.at - x).abs())
                .unwrap_or(std::cmp::Ordering::Equal)
        })
    }
}
