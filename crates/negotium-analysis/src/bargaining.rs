//! What the negotiation lenses (negotiate, pareto, tournament) share: the
//! bargaining problem of a scenario's `[bargaining]` section or of a GENIUS
//! or GeniusWeb domain folder (any size, any utility kind), its preparation
//! by the general engine (enumerated or implicit), the protocol names, and
//! the analysis part of their results (Pareto frontier, solution points,
//! zones of agreement, and how exact each is).

use std::collections::BTreeMap;
use std::path::Path;

use negotium_bargain::analysis::Analysis;
use negotium_bargain::engine::{EngineSettings, GPoint, GeneralAnalysis, GeneralPrepared, Method};
use negotium_bargain::frontier::Quality;
use negotium_bargain::session::Protocol;
use negotium_bargain::single_text::MediatorKind;
use negotium_bargain::{GeneralProblem, Point, StrategySpec};
use negotium_scenario::Loaded;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::AnalysisError;

/// The most points a GENIUS `real` issue may be discretised into.
pub const MAX_REAL_POINTS: usize = 100_000;

/// A bargaining problem (any size, any utility kind) and the step budget
/// its source gives, if any.
#[derive(Debug, Clone)]
pub struct BargainingProblem {
    pub problem: GeneralProblem,
    /// The scenario's `steps` (None for domain folders).
    pub steps: Option<u32>,
}

impl BargainingProblem {
    /// The problem of a scenario's `[bargaining]` section.
    pub fn from_scenario(loaded: &Loaded) -> Result<BargainingProblem, AnalysisError> {
        let s = &loaded.scenario;
        let b = s.inputs.bargaining.as_ref().ok_or_else(|| {
            AnalysisError::input(format!(
                "scenario `{}` has no [bargaining] section; add one (see docs/bargaining.md) or pass a GENIUS or GeniusWeb domain folder",
                s.scenario.id
            ))
        })?;
        let problem = b.to_problem(&s.scenario.id).map_err(|e| {
            let msg = format!("[bargaining] of `{}`: {e}", s.scenario.id);
            match e {
                negotium_bargain::BargainError::TooLarge { .. } => AnalysisError::limit(msg),
                _ => AnalysisError::input(msg),
            }
        })?;
        Ok(BargainingProblem {
            problem: problem.into(),
            steps: b.steps,
        })
    }

    /// The problem of a domain folder, GENIUS (a domain `.xml` and two or
    /// more profiles, linear or non-linear) or GeniusWeb (JSON), of any
    /// size; `real` issues are discretised into `real_points`.
    pub fn from_dir(dir: &Path, real_points: usize) -> Result<BargainingProblem, AnalysisError> {
        check_real_points(real_points)?;
        let problem = negotium_scenario::domains::load(dir, real_points)
            .map_err(|e| AnalysisError::input(e.to_string()))?;
        Ok(BargainingProblem {
            problem,
            steps: None,
        })
    }

    /// The domain folder a command's SCENARIO argument names, if it names
    /// one: the folder itself, or a file of one (a GENIUS `.xml` or a
    /// GeniusWeb `.json` beside its siblings). `None`: a built-in id or a
    /// scenario file.
    pub fn domain_folder(arg: Option<&str>) -> Option<std::path::PathBuf> {
        let p = Path::new(arg?);
        if p.is_dir() {
            return Some(p.to_path_buf());
        }
        let (ext, dir) = (p.extension()?.to_str()?, p.parent()?);
        use negotium_scenario::domains::{detect, DirFormat};
        match (ext, detect(dir)?) {
            ("xml", DirFormat::Genius) | ("json", DirFormat::GeniusWeb) if p.is_file() => {
                Some(dir.to_path_buf())
            }
            _ => None,
        }
    }

    /// The same as [`BargainingProblem::from_dir`] (kept for callers of the
    /// GENIUS-only reader; GeniusWeb folders are read too).
    pub fn from_genius_dir(
        dir: &Path,
        real_points: usize,
    ) -> Result<BargainingProblem, AnalysisError> {
        Self::from_dir(dir, real_points)
    }

    /// Analyses the problem once: enumerated (exact) when it is linear
    /// additive with at most 5,000,000 outcomes or small enough to evaluate,
    /// implicit otherwise (see [`AnalysisOut::method`]); `seed` seeds the
    /// search of non-linear utilities that cannot be enumerated.
    pub fn prepare(&self, seed: u64) -> Result<GeneralPrepared, AnalysisError> {
        let mut settings = EngineSettings::default();
        settings.search.seed = seed;
        Ok(GeneralPrepared::with_settings(
            self.problem.clone(),
            settings,
        )?)
    }
}

pub(crate) fn check_real_points(real_points: usize) -> Result<(), AnalysisError> {
    if real_points < 2 {
        return Err(AnalysisError::param("real_points", "expected at least 2"));
    }
    crate::error::cap("real_points", real_points as u64, MAX_REAL_POINTS as u64)
}

/// A negotiation protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProtocolName {
    /// Stacked alternating offers.
    Sao,
    /// Mediated single negotiating text (each party can veto a change).
    SingleText,
}

impl ProtocolName {
    /// The engine's protocol with the named mediator (single text only).
    pub fn protocol(self, mediator: &str) -> Result<Protocol, AnalysisError> {
        Ok(match self {
            ProtocolName::Sao => Protocol::Sao,
            ProtocolName::SingleText => Protocol::SingleText {
                mediator: parse_mediator(mediator)?,
            },
        })
    }
}

pub(crate) fn parse_mediator(s: &str) -> Result<MediatorKind, AnalysisError> {
    s.parse().map_err(|e: negotium_bargain::BargainError| {
        AnalysisError::param("mediator", e.to_string())
    })
}

/// Parses strategy names (`boulware`, `aspiration:2`, …).
pub(crate) fn parse_strategies(names: &[String]) -> Result<Vec<StrategySpec>, AnalysisError> {
    names
        .iter()
        .map(|s| {
            s.parse().map_err(|e: negotium_bargain::BargainError| {
                AnalysisError::param("strategies", e.to_string())
            })
        })
        .collect()
}

/// An outcome as `{issue: value}`.
pub type Values = BTreeMap<String, String>;

pub(crate) fn values(v: &[(String, String)]) -> Values {
    v.iter().cloned().collect()
}

pub(crate) fn by_name(parties: &[String], xs: &[f64]) -> BTreeMap<String, f64> {
    parties.iter().cloned().zip(xs.iter().copied()).collect()
}

/// A solution point: its outcome and each party's utility (party order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PointOut {
    pub values: Values,
    pub utilities: Vec<f64>,
}

/// The four solution points with their utilities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Points {
    pub nash: Option<PointOut>,
    pub kalai_smorodinsky: Option<PointOut>,
    pub egalitarian: Option<PointOut>,
    pub max_welfare: Option<PointOut>,
}

/// The zone of agreement of one issue taken alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueZoneOut {
    pub issue: String,
    /// Values every party scores strictly above its alternative's score.
    pub zopa: Vec<String>,
    /// Per party (party order), its best value.
    pub ideal: Vec<String>,
    /// The Nash point of the issue alone (null: no value is rational for all).
    pub nash: Option<String>,
}

/// How exact a frontier and the solution points on it are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QualityOut {
    /// `exact`, `approximate` (every Pareto-optimal outcome has a listed one
    /// at most `epsilon` worse for every party) or `heuristic` (non-dominated
    /// among what a seeded search found; no error bound).
    pub kind: String,
    /// Approximate: the bound, in utility units per party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epsilon: Option<f64>,
    /// Heuristic: the search's seed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Heuristic: utility evaluations the search made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluations: Option<u64>,
    /// In words: "exact", "approximate, within ε = … per party", "heuristic
    /// (seeded search, seed …, … evaluations; no error bound)".
    pub label: String,
}

impl QualityOut {
    pub(crate) fn of(q: &Quality) -> QualityOut {
        let (kind, epsilon, seed, evaluations) = match *q {
            Quality::Exact => ("exact", None, None, None),
            Quality::Approximate { epsilon } => ("approximate", Some(epsilon), None, None),
            Quality::Heuristic { seed, evaluations } => {
                ("heuristic", None, Some(seed), Some(evaluations))
            }
        };
        QualityOut {
            kind: kind.into(),
            epsilon,
            seed,
            evaluations,
            label: q.label(),
        }
    }
}

/// The analysis of an outcome space: frontier size, zones of agreement and
/// solution points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnalysisOut {
    /// Outcomes in the space (null when it is too large to count in an
    /// integer: see `outcomes_text`).
    pub outcomes: Option<usize>,
    /// Distinct utility vectors on the Pareto frontier (listed points when
    /// the frontier is approximate or heuristic).
    pub pareto_size: usize,
    /// Outcomes on the frontier (null unless the space is enumerated and
    /// linear additive).
    pub pareto_outcomes: Option<usize>,
    /// Outcomes every party weakly prefers to its reservation value (null
    /// when the space is not enumerated).
    pub rational_outcomes: Option<usize>,
    /// Outcomes every party strictly prefers to its reservation value (null
    /// when the space is not enumerated).
    pub zopa_outcomes: Option<usize>,
    /// The disagreement point (party order).
    pub disagreement: Vec<f64>,
    pub nash: Option<Values>,
    pub kalai_smorodinsky: Option<Values>,
    pub egalitarian: Option<Values>,
    pub max_welfare: Option<Values>,
    pub points: Points,
    /// Issues whose own zone of agreement is empty.
    pub zopa_empty_issues: Vec<String>,
    /// Per-issue zones (empty when parties lack per-issue reservations).
    pub issues: Vec<IssueZoneOut>,
    /// `enumerated` (every outcome evaluated once) or `implicit` (nothing
    /// enumerated: per-issue search for linear additive utilities, a seeded
    /// search for others).
    pub method: String,
    /// How exact the frontier and the solution points are.
    pub frontier_quality: QualityOut,
    /// The number of outcomes in words (exact below 10^30, else `≈ m·e±x`).
    pub outcomes_text: String,
    /// log10 of the number of outcomes.
    pub log10_outcomes: f64,
    /// Per party (party order): `linear-additive`, `hyper-rectangles` or `sum-of-groups`.
    pub utility_kinds: Vec<String>,
    /// Per party (party order): its best outcome.
    pub best: Vec<PointOut>,
    /// Per party (party order): its worst outcome.
    pub worst: Vec<PointOut>,
    /// Whether `best` and `worst` are exact (false when a utility is only
    /// searched: they are then the best and worst found).
    pub extremes_exact: bool,
    /// How the sources were read and what was approximated, in words.
    pub notes: Vec<String>,
}

fn gpoint(p: &GPoint) -> PointOut {
    PointOut {
        values: values(&p.values),
        utilities: p.utilities.clone(),
    }
}

impl AnalysisOut {
    /// The analysis of a prepared problem: the exact enumerated analysis
    /// (with per-issue zones) when it is linear additive and enumerated,
    /// else the general engine's.
    pub(crate) fn of_prepared(g: &GeneralPrepared) -> AnalysisOut {
        let ga = &g.analysis;
        let mut out = match &g.held {
            negotium_bargain::engine::Held::Exact(p) => AnalysisOut::of(&p.analysis, ga),
            _ => AnalysisOut::of_general(ga),
        };
        out.notes = ga.notes.clone();
        out
    }

    fn of_general(a: &GeneralAnalysis) -> AnalysisOut {
        let v = |p: &Option<GPoint>| p.as_ref().map(|p| values(&p.values));
        let pt = |p: &Option<GPoint>| p.as_ref().map(gpoint);
        let exact_size = (a.method == Method::Enumerated)
            .then(|| a.n_outcomes.parse::<usize>().ok())
            .flatten();
        AnalysisOut {
            outcomes: exact_size,
            pareto_size: a.pareto_size,
            pareto_outcomes: None,
            rational_outcomes: a.rational_outcomes,
            zopa_outcomes: a.zopa_outcomes,
            disagreement: a.disagreement.clone(),
            nash: v(&a.nash),
            kalai_smorodinsky: v(&a.kalai_smorodinsky),
            egalitarian: v(&a.egalitarian),
            max_welfare: v(&a.max_welfare),
            points: Points {
                nash: pt(&a.nash),
                kalai_smorodinsky: pt(&a.kalai_smorodinsky),
                egalitarian: pt(&a.egalitarian),
                max_welfare: pt(&a.max_welfare),
            },
            zopa_empty_issues: Vec::new(),
            issues: Vec::new(),
            method: method_name(a.method).into(),
            frontier_quality: QualityOut::of(&a.quality),
            outcomes_text: a.n_outcomes.clone(),
            log10_outcomes: a.log10_outcomes,
            utility_kinds: a.utility_kinds.clone(),
            best: a.best.iter().map(gpoint).collect(),
            worst: a.worst.iter().map(gpoint).collect(),
            extremes_exact: a.extremes_exact,
            notes: a.notes.clone(),
        }
    }

    fn of(a: &Analysis, ga: &GeneralAnalysis) -> AnalysisOut {
        let v = |p: &Option<Point>| p.as_ref().map(|p| values(&p.values));
        let pt = |p: &Option<Point>| {
            p.as_ref().map(|p| PointOut {
                values: values(&p.values),
                utilities: p.utilities.clone(),
            })
        };
        AnalysisOut {
            outcomes: Some(a.n_outcomes),
            pareto_size: a.pareto_size,
            pareto_outcomes: Some(a.pareto.len()),
            rational_outcomes: Some(a.rational_outcomes),
            zopa_outcomes: Some(a.zopa_outcomes),
            disagreement: a.disagreement.clone(),
            nash: v(&a.nash),
            kalai_smorodinsky: v(&a.kalai_smorodinsky),
            egalitarian: v(&a.egalitarian),
            max_welfare: v(&a.max_welfare),
            points: Points {
                nash: pt(&a.nash),
                kalai_smorodinsky: pt(&a.kalai_smorodinsky),
                egalitarian: pt(&a.egalitarian),
                max_welfare: pt(&a.max_welfare),
            },
            zopa_empty_issues: a.zopa_empty_issues(),
            issues: a
                .issues
                .iter()
                .map(|z| IssueZoneOut {
                    issue: z.issue.clone(),
                    zopa: z.zopa.clone(),
                    ideal: z.ideal.clone(),
                    nash: z.nash.clone(),
                })
                .collect(),
            method: method_name(ga.method).into(),
            frontier_quality: QualityOut::of(&ga.quality),
            outcomes_text: ga.n_outcomes.clone(),
            log10_outcomes: ga.log10_outcomes,
            utility_kinds: ga.utility_kinds.clone(),
            best: ga.best.iter().map(gpoint).collect(),
            worst: ga.worst.iter().map(gpoint).collect(),
            extremes_exact: ga.extremes_exact,
            notes: ga.notes.clone(),
        }
    }
}

/// `enumerated` or `implicit`.
pub fn method_name(m: Method) -> &'static str {
    match m {
        Method::Enumerated => "enumerated",
        Method::Implicit => "implicit",
    }
}
