//! The negotiation lens: one protocol run (stacked alternating offers or a
//! mediated single text) between the bargaining parties with the given
//! strategies, on the whole package and, when the parties have per-issue
//! reservations, issue by issue; with the outcome space's analysis. Any
//! size and utility kind: enumerated problems run exactly, larger or
//! non-linear ones through the general engine (SAO), labelled as such.

use std::collections::BTreeMap;

use negotium_bargain::engine::{negotiate_general, GeneralPrepared, GeneralReport, Held};
use negotium_bargain::sao::{Action, End, TraceEntry};
use negotium_bargain::session::{negotiate, negotiate_by_issue, IssueReport, Report, Settings};
use negotium_bargain::StrategySpec;
use negotium_scenario::Loaded;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::bargaining::{
    by_name, check_real_points, method_name, parse_strategies, values, AnalysisOut,
    BargainingProblem, ProtocolName, Values,
};
use crate::error::cap;
use crate::params::{comma_list, comma_list_schema, opt_int, LenientInt};
use crate::AnalysisError;

/// The most steps a negotiation may run (the engine's cap).
pub const MAX_STEPS: u32 = negotium_bargain::error::MAX_STEPS;

/// Steps when neither the parameters nor the scenario give a budget.
pub const DEFAULT_STEPS: u32 = 100;

/// Parameters of `negotium negotiate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct NegotiateParams {
    /// Protocol: `sao` or `single-text` (default: sao; the text output
    /// without a protocol or strategies compares protocols × strategy pairs).
    pub protocol: Option<ProtocolName>,
    /// Mediator of the single-text protocol: random, hill-climb or nash.
    pub mediator: String,
    /// Strategies, one per party in party order (or one for all): boulware,
    /// linear, conceder, hardheaded, aspiration:E, tft, micro, random
    /// (empty: boulware for all).
    #[serde(deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub strategies: Vec<String>,
    /// Step budget (default: the scenario's `steps`, else 100; at most 1000000).
    #[serde(deserialize_with = "opt_int")]
    #[schemars(with = "Option<LenientInt>", range(min = 1, max = 1_000_000))]
    pub steps: Option<u32>,
    /// Seed of every random choice (also of the search of non-linear
    /// utilities on spaces too large to enumerate).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt")]
    pub seed: u64,
    /// Record (and report) every offer.
    pub trace: bool,
    /// Points into which GENIUS `real` issues are discretised.
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(min = 2, max = 100_000))]
    pub real_points: usize,
}

impl Default for NegotiateParams {
    fn default() -> Self {
        NegotiateParams {
            protocol: None,
            mediator: "nash".into(),
            strategies: Vec::new(),
            steps: None,
            seed: 0,
            trace: false,
            real_points: 11,
        }
    }
}

/// How far an agreement lies from the frontier and each solution point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DistancesOut {
    pub pareto: f64,
    pub nash: Option<f64>,
    pub kalai_smorodinsky: Option<f64>,
    pub egalitarian: Option<f64>,
    pub max_welfare: Option<f64>,
}

/// One recorded action of a negotiation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TraceEvent {
    pub step: u32,
    /// Relative time, (step + 1) / (steps + 1).
    pub time: f64,
    /// The party's name, or `mediator`.
    pub party: String,
    /// `offer`, `accept`, `reject` or `end`.
    pub action: String,
    pub outcome: Option<Values>,
    /// Per party: its utility of `outcome`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilities: Option<BTreeMap<String, f64>>,
}

/// One issue negotiated on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueRun {
    pub issue: String,
    /// Values every party strictly prefers to its alternative on this issue.
    pub zopa: Vec<String>,
    /// The agreed value, or null.
    pub agreement: Option<String>,
    /// `agreement`, `timeout` or `broken`.
    pub end: String,
    pub step: u32,
    pub offers: u32,
    /// Per party: utility of the agreement, or the reservation value without one.
    pub utilities: BTreeMap<String, f64>,
}

/// The negotiation lens's result (the `negotiate --json` contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NegotiateResult {
    /// The problem's name.
    pub problem: String,
    /// The domain's issues, in order.
    pub issue_names: Vec<String>,
    /// `sao` or `single-text`.
    pub protocol: String,
    /// Party names, in party order.
    pub parties: Vec<String>,
    /// Per party: its strategy.
    pub strategies: BTreeMap<String, String>,
    /// The step budget used.
    pub steps: u32,
    pub seed: u64,
    /// The agreed package, or null.
    pub agreement: Option<Values>,
    /// `agreement`, `timeout` or `broken`.
    pub end: String,
    /// Who ended it without agreement (`broken`): the party that walked away
    /// or rejected the final text.
    pub ended_by: Option<String>,
    /// Steps used.
    pub step: u32,
    /// Offers made (SAO) or texts proposed (single text).
    pub offers: u32,
    /// Per party: utility of the agreement, or the reservation value without one.
    pub utilities: BTreeMap<String, f64>,
    /// The same, discounted by δ^t at the end time.
    pub discounted_utilities: BTreeMap<String, f64>,
    /// Per party: its reservation value.
    pub reservation: BTreeMap<String, f64>,
    /// Null without an agreement.
    pub distances: Option<DistancesOut>,
    /// Every action, when `trace` was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<TraceEvent>>,
    pub analysis: AnalysisOut,
    /// Each issue on its own (when the parties have per-issue reservations
    /// and there are several issues).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_by_issue: Option<Vec<IssueRun>>,
    /// `enumerated` or `implicit` (as `analysis.method`): how the strategies
    /// searched the outcomes.
    pub method: String,
    /// Relative time at the end, steps / (budget + 1) (what discounts use).
    pub time: f64,
}

/// One strategy per party from the names (none: boulware for all; one: for all).
pub fn strategies_for(names: &[String], n: usize) -> Result<Vec<StrategySpec>, AnalysisError> {
    let specs = parse_strategies(names)?;
    match specs.len() {
        0 => Ok(vec!["boulware".parse().expect("built-in"); n]),
        1 => Ok(vec![specs[0].clone(); n]),
        k if k == n => Ok(specs),
        k => Err(AnalysisError::param(
            "strategies",
            format!("{k} strategies for {n} parties; give one per party (in party order) or one for all"),
        )),
    }
}

fn end_kind(e: &End) -> &'static str {
    match e {
        End::Agreement { .. } => "agreement",
        End::Timeout => "timeout",
        End::Broken { .. } => "broken",
    }
}

/// Runs the negotiation on a scenario's `[bargaining]` section.
pub fn run(scenario: &Loaded, params: &NegotiateParams) -> Result<NegotiateResult, AnalysisError> {
    run_problem(&BargainingProblem::from_scenario(scenario)?, params)
}

/// Runs the negotiation on any bargaining problem (a GENIUS or GeniusWeb
/// domain's, of any size). The parameters are checked before the problem
/// is analysed.
pub fn run_problem(
    problem: &BargainingProblem,
    params: &NegotiateParams,
) -> Result<NegotiateResult, AnalysisError> {
    check(problem, params)?;
    let prep = problem.prepare(params.seed)?;
    run_prepared(problem, &prep, params)
}

/// The parameter checks, before any work.
fn check(problem: &BargainingProblem, params: &NegotiateParams) -> Result<Settings, AnalysisError> {
    check_real_points(params.real_points)?;
    let steps = steps(problem, params)?;
    Ok(Settings {
        protocol: params
            .protocol
            .unwrap_or(ProtocolName::Sao)
            .protocol(&params.mediator)?,
        strategies: strategies_for(&params.strategies, problem.problem.parties.len())?,
        n_steps: steps,
        seed: params.seed,
        trace: params.trace,
    })
}

/// The step budget: the parameter, else the problem's, else 100.
pub fn steps(problem: &BargainingProblem, params: &NegotiateParams) -> Result<u32, AnalysisError> {
    let steps = params.steps.or(problem.steps).unwrap_or(DEFAULT_STEPS);
    if steps == 0 {
        return Err(AnalysisError::param("steps", "must be at least 1"));
    }
    cap("steps", steps as u64, MAX_STEPS as u64)?;
    Ok(steps)
}

/// Runs the negotiation on a problem already prepared (the analysis is
/// reused, e.g. across many runs of one problem).
pub fn run_prepared(
    problem: &BargainingProblem,
    prep: &GeneralPrepared,
    params: &NegotiateParams,
) -> Result<NegotiateResult, AnalysisError> {
    let settings = check(problem, params)?;
    let analysis = AnalysisOut::of_prepared(prep);
    let Held::Exact(exact) = &prep.held else {
        let r = negotiate_general(prep, &settings)?;
        return Ok(general_result(
            prep,
            &r,
            analysis,
            settings.n_steps,
            params.trace,
        ));
    };
    let report = negotiate(exact, &settings)?;
    let p = &exact.problem;
    let by_issue = p.has_issue_reservations() && p.domain.issues.len() > 1;
    let issue_reports = if by_issue {
        Some(negotiate_by_issue(p, &settings)?)
    } else {
        None
    };
    Ok(result(
        exact,
        &report,
        issue_reports.as_deref(),
        settings.n_steps,
        params.trace,
        analysis,
    ))
}

fn trace_event<O>(
    e: &TraceEntry<O>,
    who: &dyn Fn(usize) -> String,
    labels: &dyn Fn(&O) -> Values,
) -> TraceEvent {
    let (kind, o) = match &e.action {
        Action::Offer { outcome } => ("offer", Some(outcome)),
        Action::Accept { outcome } => ("accept", Some(outcome)),
        Action::Reject { outcome } => ("reject", Some(outcome)),
        Action::End => ("end", None),
    };
    TraceEvent {
        step: e.step,
        time: e.time,
        party: who(e.party),
        action: kind.to_string(),
        outcome: o.map(labels),
        utilities: None,
    }
}

/// The result of a run of the general engine (implicit, or enumerated
/// non-linear): no per-issue runs.
fn general_result(
    prep: &GeneralPrepared,
    r: &GeneralReport,
    analysis: AnalysisOut,
    steps: u32,
    trace: bool,
) -> NegotiateResult {
    let parties = r.party_names.clone();
    let who = |p: usize| parties.get(p).cloned().unwrap_or_else(|| "mediator".into());
    let labels = |v: &Vec<usize>| values(&prep.problem.labels(v));
    NegotiateResult {
        problem: r.problem.clone(),
        issue_names: prep.problem.issues.iter().map(|i| i.name.clone()).collect(),
        protocol: r.protocol.clone(),
        strategies: parties
            .iter()
            .cloned()
            .zip(r.strategies.iter().cloned())
            .collect(),
        steps,
        seed: r.seed,
        agreement: r.agreement.as_ref().map(|a| values(a)),
        end: r.end.clone(),
        ended_by: r.ended_by.map(|by| {
            parties
                .get(by)
                .cloned()
                .unwrap_or_else(|| format!("party {by}"))
        }),
        step: r.step,
        offers: r.offers,
        utilities: by_name(&parties, &r.utilities),
        discounted_utilities: by_name(&parties, &r.discounted),
        reservation: by_name(&parties, &prep.analysis.reservation),
        distances: r.distances.as_ref().map(|d| DistancesOut {
            pareto: d.pareto,
            nash: d.nash,
            kalai_smorodinsky: d.kalai_smorodinsky,
            egalitarian: d.egalitarian,
            max_welfare: d.max_welfare,
        }),
        trace: trace.then(|| {
            r.trace
                .iter()
                .map(|e| trace_event(e, &who, &labels))
                .collect()
        }),
        analysis,
        issue_by_issue: None,
        method: method_name(r.method).into(),
        time: r.time,
        parties,
    }
}

fn result(
    prep: &negotium_bargain::session::Prepared,
    r: &Report,
    issue_reports: Option<&[IssueReport]>,
    steps: u32,
    trace: bool,
    analysis: AnalysisOut,
) -> NegotiateResult {
    let parties: Vec<String> = prep
        .problem
        .parties
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let who = |p: usize| {
        prep.problem
            .parties
            .get(p)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| "mediator".into())
    };
    let labels = |o: &usize| values(&prep.problem.domain.labels(*o));
    let trace_out = trace.then(|| {
        r.run
            .trace
            .iter()
            .map(|e| {
                let mut t = trace_event(e, &who, &labels);
                t.utilities = match &e.action {
                    Action::Offer { outcome }
                    | Action::Accept { outcome }
                    | Action::Reject { outcome } => {
                        Some(by_name(&parties, &prep.space.point(*outcome)))
                    }
                    Action::End => None,
                };
                t
            })
            .collect()
    });
    NegotiateResult {
        problem: prep.problem.name.clone(),
        issue_names: prep
            .problem
            .domain
            .issues
            .iter()
            .map(|i| i.name.clone())
            .collect(),
        protocol: r.protocol.clone(),
        strategies: parties
            .iter()
            .cloned()
            .zip(r.strategies.iter().cloned())
            .collect(),
        steps,
        seed: r.run.seed,
        agreement: r.agreement.as_ref().map(|a| values(a)),
        end: end_kind(&r.run.end).to_string(),
        ended_by: match r.run.end {
            End::Broken { by } => Some(
                r.party_names
                    .get(by)
                    .cloned()
                    .unwrap_or_else(|| format!("party {by}")),
            ),
            _ => None,
        },
        step: r.run.step,
        offers: r.run.offers,
        utilities: by_name(&parties, &r.utilities),
        discounted_utilities: by_name(&parties, &r.discounted),
        reservation: by_name(&parties, &prep.space.reservation),
        distances: r.distances.as_ref().map(|d| DistancesOut {
            pareto: d.pareto,
            nash: d.nash,
            kalai_smorodinsky: d.kalai_smorodinsky,
            egalitarian: d.egalitarian,
            max_welfare: d.max_welfare,
        }),
        trace: trace_out,
        analysis,
        issue_by_issue: issue_reports.map(|rs| {
            rs.iter()
                .map(|x| IssueRun {
                    issue: x.issue.clone(),
                    zopa: x.zopa.clone(),
                    agreement: x.report.agreement.as_ref().map(|a| a[0].1.clone()),
                    end: end_kind(&x.report.run.end).to_string(),
                    step: x.report.run.step,
                    offers: x.report.run.offers,
                    utilities: by_name(&parties, &x.report.utilities),
                })
                .collect()
        }),
        method: "enumerated".into(),
        time: r.run.time,
        parties,
    }
}

/// The strategy pairs the text report compares when no protocol or
/// strategies are given (pairs name one strategy per party for two parties).
pub const DEFAULT_PAIRS: [&str; 6] = [
    "boulware",
    "conceder",
    "boulware,conceder",
    "conceder,boulware",
    "micro",
    "tft",
];

/// Runs every protocol (SAO, then single text with `params.mediator`) with
/// every strategy list of `pairs` that fits the number of parties (a single
/// name is used by every party), on one analysed problem: the comparison
/// table of the text report. Other parameters as in [`run_problem`]. The
/// single text needs an enumerated space, so implicit problems run SAO only.
pub fn compare(
    problem: &BargainingProblem,
    params: &NegotiateParams,
    pairs: &[&str],
) -> Result<Vec<NegotiateResult>, AnalysisError> {
    check(problem, params)?;
    let prep = problem.prepare(params.seed)?;
    let n = problem.problem.parties.len();
    let mut out = Vec::new();
    let protocols: &[ProtocolName] = match prep.analysis.method {
        negotium_bargain::engine::Method::Enumerated => {
            &[ProtocolName::Sao, ProtocolName::SingleText]
        }
        negotium_bargain::engine::Method::Implicit => &[ProtocolName::Sao],
    };
    for &proto in protocols {
        for pair in pairs {
            let names: Vec<String> = pair.split(',').map(String::from).collect();
            if names.len() > 1 && names.len() != n {
                continue;
            }
            let p = NegotiateParams {
                protocol: Some(proto),
                strategies: names,
                trace: false,
                ..params.clone()
            };
            out.push(run_prepared(problem, &prep, &p)?);
        }
    }
    Ok(out)
}
