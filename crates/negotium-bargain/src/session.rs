//! One negotiation end to end: a problem, its evaluated space and analysis,
//! a protocol and one strategy per party → a serialisable report with the
//! agreement, utilities and distances to the solution points. Also the
//! issue-by-issue agenda, where every issue is negotiated on its own against
//! per-issue alternatives.

use serde::{Deserialize, Serialize};

use crate::analysis::{analyze, distances, Analysis, Distances};
use crate::error::BargainError;
use crate::prefs::Problem;
use crate::sao::{run_sao, RunResult};
use crate::single_text::{run_single_text, MediatorKind};
use crate::space::Space;
use crate::strategy::StrategySpec;

/// Which protocol to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Protocol {
    /// Stacked alternating offers.
    Sao,
    /// Mediated single negotiating text with vetoes.
    SingleText { mediator: MediatorKind },
}

impl Protocol {
    pub fn name(&self) -> String {
        match self {
            Protocol::Sao => "sao".into(),
            Protocol::SingleText { .. } => "single-text".into(),
        }
    }
}

/// Settings of one negotiation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub protocol: Protocol,
    /// One per party, in party order.
    pub strategies: Vec<StrategySpec>,
    pub n_steps: u32,
    pub seed: u64,
    pub trace: bool,
}

/// A problem made ready: evaluated and analysed once, negotiated many times.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub problem: Problem,
    pub space: Space,
    pub analysis: Analysis,
}

impl Prepared {
    pub fn new(problem: Problem) -> Prepared {
        let space = Space::new(&problem);
        let analysis = analyze(&problem, &space);
        Prepared {
            problem,
            space,
            analysis,
        }
    }
}

/// What one negotiation produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub problem: String,
    pub protocol: String,
    /// Party names, in party order.
    pub party_names: Vec<String>,
    pub strategies: Vec<String>,
    pub run: RunResult,
    /// `(issue, value)` of the agreement.
    pub agreement: Option<Vec<(String, String)>>,
    /// Per party: utility of the agreement, or the reservation value without one.
    pub utilities: Vec<f64>,
    /// Per party: the same discounted by δ^t at the end time.
    pub discounted: Vec<f64>,
    pub distances: Option<Distances>,
}

/// Runs one negotiation.
pub fn negotiate(prep: &Prepared, settings: &Settings) -> Result<Report, BargainError> {
    let n = prep.problem.parties.len();
    if settings.strategies.len() != n {
        return Err(BargainError::Setting(format!(
            "{} strategies for {} parties; expected one per party",
            settings.strategies.len(),
            n
        )));
    }
    let mut strategies: Vec<_> = settings.strategies.iter().map(|s| s.build()).collect();
    let run = match settings.protocol {
        Protocol::Sao => run_sao(
            &prep.space,
            &mut strategies,
            settings.n_steps,
            settings.seed,
            settings.trace,
        )?,
        Protocol::SingleText { mediator } => run_single_text(
            &prep.problem.domain,
            &prep.space,
            &mut strategies,
            mediator,
            settings.n_steps,
            settings.seed,
            settings.trace,
        )?,
    };
    let utilities: Vec<f64> = match run.agreement {
        Some(o) => prep.space.point(o),
        None => prep.space.reservation.clone(),
    };
    let discounted = utilities
        .iter()
        .zip(&prep.problem.parties)
        .map(|(u, p)| {
            if run.agreement.is_some() {
                u * p.discount.powf(run.time)
            } else {
                *u
            }
        })
        .collect();
    Ok(Report {
        problem: prep.problem.name.clone(),
        protocol: settings.protocol.name(),
        party_names: prep
            .problem
            .parties
            .iter()
            .map(|p| p.name.clone())
            .collect(),
        strategies: settings.strategies.iter().map(|s| s.name()).collect(),
        agreement: run.agreement.map(|o| prep.problem.domain.labels(o)),
        distances: run
            .agreement
            .map(|o| distances(&prep.space, &prep.analysis, o)),
        utilities,
        discounted,
        run,
    })
}

/// One issue negotiated on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueReport {
    pub issue: String,
    /// Values every party strictly prefers to its alternative on this issue.
    pub zopa: Vec<String>,
    pub report: Report,
}

/// Negotiates each issue separately (needs per-issue reservation scores).
pub fn negotiate_by_issue(
    problem: &Problem,
    settings: &Settings,
) -> Result<Vec<IssueReport>, BargainError> {
    let mut out = Vec::new();
    for k in 0..problem.domain.issues.len() {
        let sub = problem.restrict_to_issue(k)?;
        let prep = Prepared::new(sub);
        let zopa = prep
            .analysis
            .issues
            .first()
            .map(|z| z.zopa.clone())
            .unwrap_or_default();
        let mut s = settings.clone();
        s.seed = crate::strategy::derive_seed(settings.seed, 1000 + k as u64);
        let report = negotiate(&prep, &s)?;
        out.push(IssueReport {
            issue: problem.domain.issues[k].name.clone(),
            zopa,
            report,
        });
    }
    Ok(out)
}
