//! The analyze lens: every lens the scenario supports, each with its
//! defaults and one seed, gathered in one result; the proposals on record
//! put to the scenario's voting bodies, split at the date the analysis
//! describes (what was known then, what followed, with the later stance
//! changes); and a verdict in plain sentences derived from all of it
//! ([`crate::verdict`]).

use std::collections::BTreeMap;

use negotium_scenario::validate::parse_date;
use negotium_scenario::{Change, Event, EventKind, Loaded};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::conflict::{ConflictParams, ConflictResult};
use crate::forecast::{ForecastParams, ForecastResult};
use crate::history::date_key;
use crate::history::{HistoryParams, HistoryResult};
use crate::negotiate::{NegotiateParams, NegotiateResult};
use crate::params::{comma_list, comma_list_schema, opt_text, LenientInt};
use crate::pareto::{ParetoParams, ParetoResult};
use crate::power::{PowerParams, PowerResult};
use crate::replay::{ReplayParams, ReplayResult};
use crate::sweep::{SweepParams, SweepResult};
use crate::verdict::Verdict;
use crate::vote::{VoteParams, VoteResult};
use crate::AnalysisError;

/// The strategies every protocol runs with in `analyze` (for all parties).
pub const STRATEGIES: [&str; 2] = ["boulware", "conceder"];

/// Proposals this many months before `as_of` count as known then.
pub const PROPOSAL_WINDOW_MONTHS: i32 = 12;

/// Parameters of `negotium analyze`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AnalyzeParams {
    /// Seed for any random choice.
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt")]
    pub seed: u64,
    /// Read the stances and capabilities in force on this date
    /// (`YYYY-MM-DD`; default: the scenario's `as_of`); events and proposals
    /// are split at it into what was known and what followed.
    #[serde(deserialize_with = "opt_text")]
    pub as_of: Option<String>,
    /// Forecast models (as `forecast --model`; empty: the default five).
    #[serde(alias = "models", deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub model: Vec<String>,
    /// Every lens's full tables (round-by-round trajectories, the option
    /// form, every coalition and event) after the verdict (text output only).
    pub detail: bool,
    /// Monte Carlo draws of a small uncertainty sweep of the spatial
    /// forecasts over the scenario's declared ranges, seeded with `seed`
    /// (0: none, the default; at most 100,000).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(min = 0, max = 100_000))]
    pub draws: u64,
}

/// Most draws of `analyze`'s uncertainty sweep.
pub const MAX_DRAWS: u64 = 100_000;

/// Both protocols' runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NegotiateRuns {
    /// SAO, then single text, each with every strategy of
    /// [`STRATEGIES`] for all parties.
    pub runs: Vec<NegotiateResult>,
}

/// How big the scenario is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScenarioSize {
    pub actors: usize,
    pub issues: usize,
    pub stances: usize,
    pub events: usize,
}

/// An issue's scale as the reports show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueScale {
    pub id: String,
    pub name: String,
    pub min: f64,
    pub max: f64,
    /// What the scale measures, e.g. "years of delay".
    pub unit: Option<String>,
}

/// The proposals on record put to the voting bodies, split at `as_of`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Proposals {
    /// The scenario's `as_of` (None: every proposal counts as known).
    pub as_of: Option<String>,
    /// The first date counted as known (`as_of` less
    /// [`PROPOSAL_WINDOW_MONTHS`]), if any.
    pub from: Option<String>,
    /// Proposals made in the window up to `as_of`.
    pub known: Vec<ProposalVote>,
    /// Proposals made after `as_of`, put to the same stances.
    pub followed: Vec<ProposalVote>,
}

/// The dated events split at `as_of`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HistorySplit {
    pub as_of: String,
    /// Events dated on or before `as_of` (a month or year counts from its
    /// first day).
    pub known: usize,
    /// Events after it.
    pub followed: usize,
}

/// Every lens's result (the `analyze --json` contract): each lens in its own
/// contract, present only when the scenario has what it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnalyzeResult {
    /// The scenario's id.
    pub scenario: String,
    pub title: String,
    pub as_of: Option<String>,
    /// Where the scenario was read from.
    pub source: String,
    pub seed: u64,
    /// The findings in plain sentences, lens by lens, derived from the
    /// results below.
    pub verdict: Verdict,
    pub size: ScenarioSize,
    /// The issues' scales and units.
    pub issues: Vec<IssueScale>,
    /// With stances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecast: Option<ForecastResult>,
    /// With a `[conflict]` section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<ConflictResult>,
    /// Why the conflict was not analysed (a model above a size limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict_skipped: Option<String>,
    /// With `[[institution]]` sections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<PowerResult>,
    /// With `[[institution]]` sections and proposals with a position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposals: Option<Proposals>,
    /// With a `[bargaining]` section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negotiate: Option<NegotiateRuns>,
    /// With a `[bargaining]` section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pareto: Option<ParetoResult>,
    /// Per bargaining issue, the readable label of each value placed (by
    /// its `at`) on a labelled point of the core issue's scale.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub value_labels: BTreeMap<String, BTreeMap<String, String>>,
    /// Per bargaining issue, each value's position on the core issue's
    /// scale (its `at`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub value_positions: BTreeMap<String, BTreeMap<String, f64>>,
    /// With dated events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<HistoryResult>,
    /// With dated events and an `as_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_split: Option<HistorySplit>,
    /// With a date (the `as_of` parameter or the scenario's): what was
    /// known on it and what followed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<AsOfSplit>,
    /// With dated stance or capability changes: the forecasts of the same
    /// models at every change date (the `replay` lens, whole record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<ReplayResult>,
    /// With `draws` > 0 and declared spatial uncertainty: the sweep of the
    /// spatial forecasts (the `sweep` lens with `draws` draws and `seed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<SweepResult>,
}

/// The dated record split at the date an analysis describes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AsOfSplit {
    /// The date: the `as_of` parameter, else the scenario's `as_of`.
    pub date: String,
    /// Whether the date is the scenario's own `as_of`.
    pub scenario_as_of: bool,
    /// Events dated on or before the date (a partial date counts from the
    /// start of its period), in date order: what was known.
    pub known: Vec<Event>,
    /// Events after the date, in date order: what the inputs did not know.
    pub followed: Vec<Event>,
    // (Proposals known then and after it: `AnalyzeResult::proposals`.)
    /// Dated stance and capability changes after the date.
    pub changes_followed: Vec<Change>,
    /// The recorded outcome's date, if any, and whether it lies after the
    /// analysis date (true: the forecast is scored on what it could not
    /// know; false: the date is on or after the outcome, the score is
    /// hindsight).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_date: Option<String>,
    pub outcome_after_date: bool,
}

/// Runs every lens the scenario supports: [`run_lenses`], then the replay
/// of the whole dated record (with dated changes) and the uncertainty sweep
/// (with `draws` > 0 and declared spatial ranges).
pub fn run(scenario: &Loaded, params: &AnalyzeParams) -> Result<AnalyzeResult, AnalysisError> {
    crate::error::cap("draws", params.draws, MAX_DRAWS)?;
    let mut out = run_lenses(scenario, params)?;
    let s = &scenario.scenario;
    if !s.inputs.stances.is_empty() && !s.changes().is_empty() {
        let p = ReplayParams {
            model: params.model.clone(),
            seed: params.seed,
            ..ReplayParams::default()
        };
        out.replay = Some(crate::replay::run(scenario, &p)?);
    }
    if params.draws > 0 && !s.inputs.stances.is_empty() {
        let dated = crate::dated::at(scenario, params.as_of.as_deref())?;
        // The sweep's models among analyze's (exchange is not swept).
        let model: Vec<String> = if params.model.is_empty() {
            SweepParams::default().model
        } else {
            params
                .model
                .iter()
                .filter(|m| crate::forecast::ALL_MODELS.contains(&m.as_str()))
                .cloned()
                .collect()
        };
        if !model.is_empty() {
            let p = SweepParams {
                draws: params.draws,
                seed: params.seed,
                model,
                // The report's tornado chart: two runs per input.
                tornado: true,
                ..SweepParams::default()
            };
            // No declared spatial range: nothing to sweep, not an error.
            match crate::sweep::run(&dated, &p) {
                Ok(r) if r.spatial.is_some() => out.uncertainty = Some(r),
                Ok(_) | Err(AnalysisError::BadInput { .. }) => {}
                Err(e) => return Err(e.with_param("draws")),
            }
        }
    }
    Ok(out)
}

/// Every lens the scenario supports and the verdict, without the replay
/// and the uncertainty sweep (which the verdict does not read): what the
/// workbench's scenario page shows.
pub fn run_lenses(
    scenario: &Loaded,
    params: &AnalyzeParams,
) -> Result<AnalyzeResult, AnalysisError> {
    let dated = crate::dated::at(scenario, params.as_of.as_deref())?;
    let scenario = &*dated;
    let s = &scenario.scenario;
    let seed = params.seed;
    let mut out = AnalyzeResult {
        scenario: s.scenario.id.clone(),
        title: s.scenario.title.clone(),
        as_of: s.scenario.as_of.clone(),
        source: scenario.source_name.clone(),
        seed,
        verdict: Verdict::default(),
        size: ScenarioSize {
            actors: s.inputs.actors.len(),
            issues: s.inputs.issues.len(),
            stances: s.inputs.stances.len(),
            events: s.events.len(),
        },
        issues: s
            .inputs
            .issues
            .iter()
            .map(|i| IssueScale {
                id: i.id.clone(),
                name: i.name.clone(),
                min: i.min,
                max: i.max,
                unit: i.unit.clone(),
            })
            .collect(),
        forecast: None,
        conflict: None,
        conflict_skipped: None,
        power: None,
        proposals: None,
        negotiate: None,
        pareto: None,
        value_labels: BTreeMap::new(),
        value_positions: BTreeMap::new(),
        history: None,
        timeline: split(scenario, params.as_of.is_none()),
        history_split: None,
        replay: None,
        uncertainty: None,
    };
    if !s.inputs.stances.is_empty() {
        let p = ForecastParams {
            seed,
            model: params.model.clone(),
            ..ForecastParams::default()
        };
        let mut f = crate::forecast::run(scenario, &p)?;
        f.as_of = params.as_of.clone();
        out.forecast = Some(f);
    }
    if s.inputs.conflict.is_some() {
        // A model too large to analyse is reported, not fatal to `analyze`.
        match crate::conflict::run(scenario, &ConflictParams::default()) {
            Ok(r) => out.conflict = Some(r),
            Err(e @ AnalysisError::Limit { .. }) => {
                out.conflict_skipped = Some(e.message().to_string())
            }
            Err(e) => return Err(e),
        }
    }
    if !s.inputs.institutions.is_empty() {
        let p = PowerParams {
            seed,
            list_limit: 6,
            ..PowerParams::default()
        };
        out.power = Some(crate::power::run(scenario, &p)?);
        let ps = proposals(scenario);
        if !ps.known.is_empty() || !ps.followed.is_empty() {
            out.proposals = Some(ps);
        }
    }
    if s.inputs.bargaining.is_some() {
        let problem = crate::bargaining::BargainingProblem::from_scenario(scenario)?;
        let p = NegotiateParams {
            seed,
            ..NegotiateParams::default()
        };
        let runs = crate::negotiate::compare(&problem, &p, &STRATEGIES)?;
        out.negotiate = Some(NegotiateRuns { runs });
        for i in s.inputs.bargaining.iter().flat_map(|b| &b.issues) {
            let (Some(vs), Some(core)) = (&i.values, s.inputs.issues.iter().find(|c| c.id == i.id))
            else {
                continue;
            };
            let mut labels = BTreeMap::new();
            let mut at = BTreeMap::new();
            for (v, x) in vs.iter().zip(&i.at) {
                at.insert(v.clone(), *x);
                // The labelled point of the core scale at that position.
                if let Some(pt) = core.points.iter().find(|p| (p.at - x).abs() < 1e-9) {
                    labels.insert(v.clone(), pt.label.clone());
                }
            }
            if !labels.is_empty() {
                out.value_labels.insert(i.id.clone(), labels);
            }
            if !at.is_empty() {
                out.value_positions.insert(i.id.clone(), at);
            }
        }
        out.pareto = Some(crate::pareto::run_problem(
            &problem,
            &ParetoParams::default(),
        )?);
    }
    if !s.events.is_empty() {
        out.history = Some(crate::history::run(scenario, &HistoryParams::default())?);
        if let Some(d) = &s.scenario.as_of {
            let known = s
                .events
                .iter()
                .filter(|e| date_key(&e.date) <= date_key(d))
                .count();
            out.history_split = Some(HistorySplit {
                as_of: d.clone(),
                known,
                followed: s.events.len() - known,
            });
        }
    }
    out.verdict = crate::verdict::verdict(s, &out);
    Ok(out)
}

/// A proposal on record put to a voting body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProposalVote {
    /// The date it was first proposed.
    pub date: String,
    /// The event's title.
    pub title: String,
    pub vote: VoteResult,
}

/// The first date of the window of known proposals: `as_of` less
/// [`PROPOSAL_WINDOW_MONTHS`] months, as `YYYY-MM-DD`.
fn window_start(as_of: &str) -> Option<String> {
    let (y, m, d) = negotium_scenario::validate::parse_date(as_of)?;
    let months = y * 12 + (m.max(1) as i32 - 1) - PROPOSAL_WINDOW_MONTHS;
    Some(format!(
        "{:04}-{:02}-{:02}",
        months.div_euclid(12),
        months.rem_euclid(12) + 1,
        d.max(1)
    ))
}

/// The proposals on record, each put to every institution with a weighted
/// rule where at least half the members have a position: one vote per
/// institution and distinct point of a scale, in each group. With an
/// `as_of`, those made in the [`PROPOSAL_WINDOW_MONTHS`] months up to it
/// are `known` and those after it `followed` (older ones are left out:
/// the stances describe `as_of`); without one, every proposal is known.
pub fn proposals(scenario: &Loaded) -> Proposals {
    let s = &scenario.scenario;
    let as_of = s.scenario.as_of.clone();
    let from = as_of.as_deref().and_then(window_start);
    let mut out = Proposals {
        as_of: as_of.clone(),
        from: from.clone(),
        known: Vec::new(),
        followed: Vec::new(),
    };
    let mut seen: [Vec<(String, String, u64)>; 2] = [Vec::new(), Vec::new()];
    let mut events: Vec<&negotium_scenario::Event> = s
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Proposal)
        .collect();
    events.sort_by_key(|e| date_key(&e.date));
    for ev in events {
        let after = as_of
            .as_deref()
            .is_some_and(|d| date_key(&ev.date) > date_key(d));
        if !after
            && from
                .as_deref()
                .is_some_and(|f| date_key(&ev.date) < date_key(f))
        {
            continue;
        }
        let (Some(issue), Some(x)) = (&ev.issue, ev.position) else {
            continue;
        };
        for inst in s.inputs.institutions.iter().filter(|i| !i.quota.is_empty()) {
            let key = (inst.id.clone(), issue.clone(), x.to_bits());
            if seen[after as usize].contains(&key) {
                continue;
            }
            let Ok(ballots) = inst.ballots(&s.inputs, issue, x, None) else {
                continue;
            };
            let with_position = ballots.iter().filter(|b| b.position.is_some()).count();
            if with_position * 2 < ballots.len() {
                continue;
            }
            let p = VoteParams {
                institution: Some(inst.id.clone()),
                issue: issue.clone(),
                proposal: x,
                status_quo: None,
                as_of: None,
            };
            let Ok(vote) = crate::vote::run(scenario, &p) else {
                continue;
            };
            seen[after as usize].push(key);
            let pv = ProposalVote {
                date: ev.date.clone(),
                title: ev.title.clone(),
                vote,
            };
            if after {
                out.followed.push(pv);
            } else {
                out.known.push(pv);
            }
        }
    }
    out
}

/// The dated record split at the scenario's `as_of` (the date it is read
/// at); None without one. `scenario_as_of` says whether that is the file's
/// own date.
pub fn split(scenario: &Loaded, scenario_as_of: bool) -> Option<AsOfSplit> {
    let s = &scenario.scenario;
    let date = s.scenario.as_of.clone()?;
    let key = parse_date(&date)?;
    let mut events: Vec<&Event> = s.events.iter().collect();
    events.sort_by_key(|e| date_key(&e.date));
    let (known, followed): (Vec<&Event>, Vec<&Event>) = events
        .into_iter()
        .partition(|e| date_key(&e.date) <= date_key(&date));
    let outcome_date = s.outcome.as_ref().and_then(|o| o.date.clone());
    Some(AsOfSplit {
        scenario_as_of,
        known: known.into_iter().cloned().collect(),
        followed: followed.into_iter().cloned().collect(),
        changes_followed: s
            .changes()
            .into_iter()
            .filter(|c| parse_date(&c.date).is_some_and(|k| k > key))
            .collect(),
        outcome_after_date: outcome_date
            .as_deref()
            .and_then(parse_date)
            .is_some_and(|k| k > key),
        outcome_date,
        date,
    })
}
