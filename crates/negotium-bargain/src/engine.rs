//! Analysing and negotiating a [`GeneralProblem`] of any size: enumerated
//! when it is small enough (linear additive problems go through the exact
//! [`crate::session`] path unchanged; small non-linear ones are evaluated
//! outcome by outcome), implicit otherwise ([`crate::implicit`] for the
//! strategies' searches, [`crate::frontier`] for the Pareto frontier).
//! Every result says which method produced it and, for the frontier and the
//! solution points on it, whether they are exact, approximate (with ε) or
//! heuristic.

use serde::{Deserialize, Serialize};

use crate::analysis::{distance, pareto_frontier, solutions, Distances};
use crate::domain::{OutcomeId, MAX_OUTCOMES};
use crate::error::BargainError;
use crate::frontier::{additive_frontier, search_frontier, Frontier, FrontierPoint, Quality};
use crate::general::GeneralProblem;
use crate::implicit::{ImplicitView, PartyIndex, SearchSettings};
use crate::outcome::Bid;
use crate::sao::{run_sao_with, Action, End, RunResult, TraceEntry};
use crate::session::{negotiate, Prepared, Protocol, Settings};
use crate::space::Space;
use crate::strategy::PartyView;
use crate::ufun::UtilityFn;

/// How outcomes are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Every outcome evaluated once (at most [`MAX_OUTCOMES`]).
    Enumerated,
    /// Nothing enumerated: per-issue search (additive) or seeded search.
    Implicit,
}

/// Settings of the implicit method.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EngineSettings {
    /// Largest space enumerated (default [`MAX_OUTCOMES`]).
    pub enumerate_limit: usize,
    /// Most points kept per stage of the additive frontier before it is
    /// approximated (2 parties; divided by 4 for more parties).
    pub frontier_cap: usize,
    /// Search settings for non-linear utilities (its seed is reported).
    pub search: SearchSettings,
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            enumerate_limit: MAX_OUTCOMES,
            frontier_cap: 20_000,
            search: SearchSettings::default(),
        }
    }
}

/// An outcome with its labels, value indices and every party's utility.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GPoint {
    /// `(issue, value label)` pairs.
    pub values: Vec<(String, String)>,
    /// Value index per issue.
    pub indices: Vec<usize>,
    pub utilities: Vec<f64>,
}

/// Analysis of a general problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneralAnalysis {
    pub parties: Vec<String>,
    /// Number of outcomes in words (exact below 10^30).
    pub n_outcomes: String,
    pub log10_outcomes: f64,
    pub method: Method,
    /// Utility kind per party (`linear-additive`, `hyper-rectangles`, `sum-of-groups`).
    pub utility_kinds: Vec<String>,
    /// How the frontier and the solution points were obtained.
    pub quality: Quality,
    /// Distinct utility vectors on the frontier.
    pub pareto_size: usize,
    /// The frontier, one outcome per distinct vector, by decreasing welfare.
    pub pareto: Vec<GPoint>,
    pub disagreement: Vec<f64>,
    pub reservation: Vec<f64>,
    pub nash: Option<GPoint>,
    pub kalai_smorodinsky: Option<GPoint>,
    pub egalitarian: Option<GPoint>,
    pub max_welfare: Option<GPoint>,
    /// Per party: its best outcome (exact unless `extremes_exact` is false).
    pub best: Vec<GPoint>,
    /// Per party: its worst outcome.
    pub worst: Vec<GPoint>,
    /// Whether per-party best and worst are exact (false for searched utilities).
    pub extremes_exact: bool,
    /// Outcomes every party weakly / strictly prefers to its reservation
    /// value (enumerated method only).
    pub rational_outcomes: Option<usize>,
    pub zopa_outcomes: Option<usize>,
    /// How the files were read, and what was approximated.
    pub notes: Vec<String>,
}

/// Per party, how its preferences are held.
#[derive(Debug, Clone)]
pub enum Held {
    /// The exact enumerated path (linear additive, small).
    Exact(Box<Prepared>),
    /// Small non-linear: every outcome evaluated.
    Evaluated(Space),
    /// Large: one search index per party.
    Implicit(Vec<PartyIndex>),
}

/// A general problem made ready: analysed once, negotiated many times.
#[derive(Debug, Clone)]
pub struct GeneralPrepared {
    pub problem: GeneralProblem,
    pub held: Held,
    pub analysis: GeneralAnalysis,
    pub settings: EngineSettings,
    sizes: Vec<usize>,
}

fn point(problem: &GeneralProblem, values: Vec<usize>, utilities: Vec<f64>) -> GPoint {
    GPoint {
        values: problem.labels(&values),
        indices: values,
        utilities,
    }
}

fn decode(sizes: &[usize], mut id: OutcomeId) -> Vec<usize> {
    let mut out = vec![0; sizes.len()];
    for (k, n) in sizes.iter().enumerate().rev() {
        out[k] = id % n;
        id /= n;
    }
    out
}

/// Solution points over explicit frontier points (ties to the earliest point).
fn solutions_on(points: &[FrontierPoint], d: &[f64]) -> [Option<usize>; 4] {
    if points.is_empty() {
        return [None; 4];
    }
    let p = points[0].utilities.len();
    let utils: Vec<Vec<f64>> = (0..p)
        .map(|q| points.iter().map(|x| x.utilities[q]).collect())
        .collect();
    let ids: Vec<usize> = (0..points.len()).collect();
    solutions(&utils, &ids, d)
}

impl GeneralPrepared {
    /// Prepares with the default [`EngineSettings`].
    pub fn new(problem: GeneralProblem) -> Result<GeneralPrepared, BargainError> {
        Self::with_settings(problem, EngineSettings::default())
    }

    /// Chooses the method, builds the search structures and analyses.
    pub fn with_settings(
        problem: GeneralProblem,
        settings: EngineSettings,
    ) -> Result<GeneralPrepared, BargainError> {
        let sizes = problem.sizes();
        let size = problem.size();
        let mut notes = problem.notes.clone();
        let kinds: Vec<String> = problem
            .parties
            .iter()
            .map(|p| p.utility.kind_name().to_string())
            .collect();
        let base = |method, quality| GeneralAnalysis {
            parties: problem.parties.iter().map(|p| p.name.clone()).collect(),
            n_outcomes: problem.size_text(),
            log10_outcomes: problem.log10_size(),
            method,
            utility_kinds: kinds.clone(),
            quality,
            pareto_size: 0,
            pareto: Vec::new(),
            disagreement: Vec::new(),
            reservation: problem.parties.iter().map(|p| p.reservation).collect(),
            nash: None,
            kalai_smorodinsky: None,
            egalitarian: None,
            max_welfare: None,
            best: Vec::new(),
            worst: Vec::new(),
            extremes_exact: true,
            rational_outcomes: None,
            zopa_outcomes: None,
            notes: Vec::new(),
        };
        if let Some(p) = problem.to_problem(settings.enumerate_limit) {
            let prep = Prepared::new(p?);
            let a = &prep.analysis;
            let sp = &prep.space;
            let pt = |o: OutcomeId| point(&problem, decode(&sizes, o), sp.point(o));
            let mut an = base(Method::Enumerated, Quality::Exact);
            // One outcome per distinct vector (the enumerated list keeps ties).
            let mut seen = std::collections::HashSet::new();
            an.pareto = a
                .pareto
                .iter()
                .filter(|&&o| {
                    seen.insert(sp.point(o).iter().map(|x| x.to_bits()).collect::<Vec<_>>())
                })
                .map(|&o| pt(o))
                .collect();
            an.pareto_size = a.pareto_size;
            an.disagreement = a.disagreement.clone();
            an.nash = a.nash.as_ref().map(|x| pt(x.outcome));
            an.kalai_smorodinsky = a.kalai_smorodinsky.as_ref().map(|x| pt(x.outcome));
            an.egalitarian = a.egalitarian.as_ref().map(|x| pt(x.outcome));
            an.max_welfare = a.max_welfare.as_ref().map(|x| pt(x.outcome));
            for q in 0..sp.n_parties() {
                let order = &sp.order[q];
                an.best.push(pt(*order.last().expect("non-empty") as usize));
                an.worst.push(pt(order[0] as usize));
            }
            an.rational_outcomes = Some(a.rational_outcomes);
            an.zopa_outcomes = Some(a.zopa_outcomes);
            an.notes = notes;
            return Ok(GeneralPrepared {
                problem,
                held: Held::Exact(Box::new(prep)),
                analysis: an,
                settings,
                sizes,
            });
        }
        if size <= settings.enumerate_limit as u128 {
            // Small but not linear additive: evaluate every outcome.
            let n = size as usize;
            let utils: Vec<Vec<f64>> = problem
                .parties
                .iter()
                .map(|p| (0..n).map(|o| p.utility.eval(&decode(&sizes, o))).collect())
                .collect();
            let space = Space::from_utils(
                utils,
                problem.parties.iter().map(|p| p.reservation).collect(),
                sizes.clone(),
                problem.parties.iter().map(|p| p.discount).collect(),
            );
            let front = pareto_frontier(&space.utils, None);
            let d = space.disagreement();
            let [nash, ks, eg, wf] = solutions(&space.utils, &front, &d);
            let pt = |o: OutcomeId| point(&problem, decode(&sizes, o), space.point(o));
            let mut an = base(Method::Enumerated, Quality::Exact);
            let mut seen = std::collections::HashSet::new();
            an.pareto = front
                .iter()
                .filter(|&&o| {
                    seen.insert(
                        space
                            .point(o)
                            .iter()
                            .map(|x| x.to_bits())
                            .collect::<Vec<_>>(),
                    )
                })
                .map(|&o| pt(o))
                .collect();
            an.pareto_size = an.pareto.len();
            an.nash = nash.map(pt);
            an.kalai_smorodinsky = ks.map(pt);
            an.egalitarian = eg.map(pt);
            an.max_welfare = wf.map(pt);
            for q in 0..space.n_parties() {
                an.best
                    .push(pt(*space.order[q].last().expect("non-empty") as usize));
                an.worst.push(pt(space.order[q][0] as usize));
            }
            an.rational_outcomes = Some((0..n).filter(|&o| space.is_rational(o)).count());
            an.zopa_outcomes = Some((0..n).filter(|&o| space.is_strictly_rational(o)).count());
            an.disagreement = d;
            an.notes = notes;
            return Ok(GeneralPrepared {
                problem,
                held: Held::Evaluated(space),
                analysis: an,
                settings,
                sizes,
            });
        }
        // Implicit.
        let indexes: Vec<PartyIndex> = problem
            .parties
            .iter()
            .enumerate()
            .map(|(q, p)| {
                let mut s = settings.search;
                s.seed = crate::strategy::derive_seed(settings.search.seed, q as u64);
                PartyIndex::build(&p.utility, &sizes, s)
            })
            .collect();
        let eval_all = |v: &[usize]| -> Vec<f64> {
            problem.parties.iter().map(|p| p.utility.eval(v)).collect()
        };
        let frontier: Frontier = if problem.is_additive() {
            let us: Vec<&crate::prefs::Utility> = problem
                .parties
                .iter()
                .map(|p| p.utility.as_additive().expect("checked"))
                .collect();
            let cap = if us.len() == 2 {
                settings.frontier_cap
            } else {
                (settings.frontier_cap / 4).max(16)
            };
            additive_frontier(&us, cap)
        } else {
            let fs: Vec<&UtilityFn> = problem.parties.iter().map(|p| &p.utility).collect();
            search_frontier(&fs, &indexes, &sizes, settings.search)
        };
        let extremes_exact = indexes.iter().all(PartyIndex::is_exact);
        let mut an = base(Method::Implicit, frontier.quality);
        an.extremes_exact = extremes_exact;
        an.disagreement = problem
            .parties
            .iter()
            .zip(&indexes)
            .map(|(p, i)| p.reservation.max(i.min()))
            .collect();
        for idx in &indexes {
            let (b, w) = match idx {
                PartyIndex::Additive(a) => (a.best(), a.worst()),
                PartyIndex::Search(s) => (
                    s.worst_at_least(s.max()),
                    s.archive()
                        .first()
                        .map(|x| x.1.clone())
                        .expect("non-empty archive"),
                ),
            };
            an.best
                .push(point(&problem, b.values(), eval_all(&b.values())));
            an.worst
                .push(point(&problem, w.values(), eval_all(&w.values())));
        }
        let [nash, ks, eg, wf] = solutions_on(&frontier.points, &an.disagreement);
        let fp = |i: Option<usize>| {
            i.map(|i| {
                let x = &frontier.points[i];
                point(&problem, x.values.clone(), x.utilities.clone())
            })
        };
        an.nash = fp(nash);
        an.kalai_smorodinsky = fp(ks);
        an.egalitarian = fp(eg);
        an.max_welfare = fp(wf);
        // The unconstrained welfare maximum is exact for additive problems
        // (per-issue argmax of the summed contributions): use it when it
        // clears the disagreement point.
        if problem.is_additive() {
            let us: Vec<&crate::prefs::Utility> = problem
                .parties
                .iter()
                .map(|p| p.utility.as_additive().expect("checked"))
                .collect();
            let values: Vec<usize> = (0..sizes.len())
                .map(|k| {
                    let mut best = 0;
                    let mut bs = f64::NEG_INFINITY;
                    for v in 0..sizes[k] {
                        let s: f64 = us.iter().map(|u| u.weights[k] * u.tables[k][v]).sum();
                        if s > bs {
                            bs = s;
                            best = v;
                        }
                    }
                    best
                })
                .collect();
            let u = eval_all(&values);
            let ws = |x: &[f64]| x.iter().fold(0.0, |s, y| s + y);
            if u.iter().zip(&an.disagreement).all(|(x, d)| x >= d)
                && an
                    .max_welfare
                    .as_ref()
                    .is_none_or(|m| ws(&u) >= ws(&m.utilities))
            {
                an.max_welfare = Some(point(&problem, values, u));
            }
        }
        an.pareto_size = frontier.points.len();
        an.pareto = frontier
            .points
            .iter()
            .map(|x| point(&problem, x.values.clone(), x.utilities.clone()))
            .collect();
        notes.push(format!(
            "{} outcomes: not enumerated; Pareto frontier and solution points {}",
            problem.size_text(),
            frontier.quality.label()
        ));
        for (p, idx) in problem.parties.iter().zip(&indexes) {
            match idx {
                PartyIndex::Additive(a) => notes.push(format!(
                    "{}: offers found by per-issue search, within {:.1e} of the worst outcome at or above the target",
                    p.name,
                    a.inverse_error()
                )),
                PartyIndex::Search(s) => notes.push(format!(
                    "{}: {} utility searched heuristically (seed {}, {} evaluations, {} outcomes archived); best found {:.4}",
                    p.name,
                    p.utility.kind_name(),
                    s.settings.seed,
                    s.evaluations,
                    s.archive().len(),
                    s.max()
                )),
            }
        }
        an.notes = notes;
        Ok(GeneralPrepared {
            problem,
            held: Held::Implicit(indexes),
            analysis: an,
            settings,
            sizes,
        })
    }

    /// Number of values of each issue.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Every party's utility of an outcome given as value indices.
    pub fn utilities(&self, values: &[usize]) -> Vec<f64> {
        match &self.held {
            Held::Exact(p) => {
                let id = p.problem.domain.encode(values).expect("in range");
                p.space.point(id)
            }
            _ => self
                .problem
                .parties
                .iter()
                .map(|p| p.utility.eval(values))
                .collect(),
        }
    }

    /// Distances of a utility vector to the frontier and the solution points.
    pub fn distances(&self, u: &[f64]) -> Distances {
        let a = &self.analysis;
        let d = |p: &Option<GPoint>| p.as_ref().map(|p| distance(&p.utilities, u));
        Distances {
            pareto: a
                .pareto
                .iter()
                .map(|p| distance(&p.utilities, u))
                .fold(f64::INFINITY, f64::min),
            nash: d(&a.nash),
            kalai_smorodinsky: d(&a.kalai_smorodinsky),
            egalitarian: d(&a.egalitarian),
            max_welfare: d(&a.max_welfare),
        }
    }
}

/// What one negotiation of a general problem produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneralReport {
    pub problem: String,
    pub protocol: String,
    pub method: Method,
    pub party_names: Vec<String>,
    pub strategies: Vec<String>,
    /// `(issue, value)` of the agreement.
    pub agreement: Option<Vec<(String, String)>>,
    /// Value index per issue of the agreement.
    pub agreement_values: Option<Vec<usize>>,
    /// `agreement`, `timeout` or `broken`.
    pub end: String,
    /// The party that broke the negotiation off (`broken`): walked away or
    /// rejected the final text.
    #[serde(default)]
    pub ended_by: Option<usize>,
    pub step: u32,
    pub offers: u32,
    pub time: f64,
    pub seed: u64,
    /// Per party: utility of the agreement, or the reservation value without one.
    pub utilities: Vec<f64>,
    /// Per party: the same discounted by δ^t at the end time.
    pub discounted: Vec<f64>,
    pub distances: Option<Distances>,
    /// Every action, outcomes as value indices (with `trace: true`).
    pub trace: Vec<TraceEntry<Vec<usize>>>,
}

fn map_trace<O>(
    t: Vec<TraceEntry<O>>,
    f: impl Fn(&O) -> Vec<usize>,
) -> Vec<TraceEntry<Vec<usize>>> {
    t.into_iter()
        .map(|e| TraceEntry {
            step: e.step,
            time: e.time,
            party: e.party,
            action: match e.action {
                Action::Offer { outcome } => Action::Offer {
                    outcome: f(&outcome),
                },
                Action::Accept { outcome } => Action::Accept {
                    outcome: f(&outcome),
                },
                Action::Reject { outcome } => Action::Reject {
                    outcome: f(&outcome),
                },
                Action::End => Action::End,
            },
        })
        .collect()
}

fn end_name<O>(e: &End<O>) -> (String, Option<usize>) {
    match e {
        End::Agreement { .. } => ("agreement".into(), None),
        End::Timeout => ("timeout".into(), None),
        End::Broken { by } => ("broken".into(), Some(*by)),
    }
}

/// Agreement values, end (and who broke it off), step, offers, time, seed
/// and trace of a run.
type RunParts = (
    Option<Vec<usize>>,
    (String, Option<usize>),
    u32,
    u32,
    f64,
    u64,
    Vec<TraceEntry<Vec<usize>>>,
);

/// Runs one negotiation of a prepared general problem. Enumerated problems
/// run exactly as [`crate::session::negotiate`]; implicit ones support the
/// SAO protocol.
pub fn negotiate_general(
    prep: &GeneralPrepared,
    settings: &Settings,
) -> Result<GeneralReport, BargainError> {
    let n = prep.problem.parties.len();
    if settings.strategies.len() != n {
        return Err(BargainError::Setting(format!(
            "{} strategies for {} parties; expected one per party",
            settings.strategies.len(),
            n
        )));
    }
    let (agreement_values, run_end, step, offers, time, seed, trace): RunParts = match &prep.held {
        Held::Exact(p) => {
            let r = negotiate(p, settings)?;
            let sizes = prep.sizes.clone();
            let RunResult {
                agreement,
                end,
                step,
                offers,
                time,
                seed,
                trace,
            } = r.run;
            (
                agreement.map(|o| decode(&sizes, o)),
                end_name(&end),
                step,
                offers,
                time,
                seed,
                map_trace(trace, |o| decode(&sizes, *o)),
            )
        }
        Held::Evaluated(space) => {
            let r = match settings.protocol {
                Protocol::Sao => {
                    let mut st: Vec<_> = settings.strategies.iter().map(|s| s.build()).collect();
                    crate::sao::run_sao(
                        space,
                        &mut st,
                        settings.n_steps,
                        settings.seed,
                        settings.trace,
                    )?
                }
                Protocol::SingleText { mediator } => {
                    let domain = crate::domain::Domain::new(prep.problem.issues.clone())?;
                    let mut st: Vec<_> = settings.strategies.iter().map(|s| s.build()).collect();
                    crate::single_text::run_single_text(
                        &domain,
                        space,
                        &mut st,
                        mediator,
                        settings.n_steps,
                        settings.seed,
                        settings.trace,
                    )?
                }
            };
            let sizes = prep.sizes.clone();
            (
                r.agreement.map(|o| decode(&sizes, o)),
                end_name(&r.end),
                r.step,
                r.offers,
                r.time,
                r.seed,
                map_trace(r.trace, |o| decode(&sizes, *o)),
            )
        }
        Held::Implicit(indexes) => {
            if settings.protocol != Protocol::Sao {
                return Err(BargainError::Setting(format!(
                    "the {} protocol needs an enumerated space; `{}` has {} outcomes — use SAO",
                    settings.protocol.name(),
                    prep.problem.name,
                    prep.problem.size_text()
                )));
            }
            let views: Vec<ImplicitView> = prep
                .problem
                .parties
                .iter()
                .zip(indexes)
                .enumerate()
                .map(|(q, (p, idx))| {
                    ImplicitView::new(
                        q,
                        n,
                        settings.n_steps,
                        p.reservation,
                        p.discount,
                        &p.utility,
                        idx,
                        &prep.sizes,
                    )
                })
                .collect();
            let dyn_views: Vec<&dyn PartyView<Bid>> =
                views.iter().map(|v| v as &dyn PartyView<Bid>).collect();
            let mut st: Vec<_> = settings.strategies.iter().map(|s| s.build()).collect();
            let sizes = &prep.sizes;
            let r = run_sao_with(
                &dyn_views,
                &mut st,
                settings.n_steps,
                settings.seed,
                settings.trace,
                |b: &Bid| {
                    b.len() == sizes.len() && b.0.iter().zip(sizes).all(|(&v, &s)| (v as usize) < s)
                },
            )?;
            (
                r.agreement.map(|b| b.values()),
                end_name(&r.end),
                r.step,
                r.offers,
                r.time,
                r.seed,
                map_trace(r.trace, |b| b.values()),
            )
        }
    };
    let utilities: Vec<f64> = match &agreement_values {
        Some(v) => prep.utilities(v),
        None => prep.problem.parties.iter().map(|p| p.reservation).collect(),
    };
    let discounted = utilities
        .iter()
        .zip(&prep.problem.parties)
        .map(|(u, p)| {
            if agreement_values.is_some() {
                u * p.discount.powf(time)
            } else {
                *u
            }
        })
        .collect();
    Ok(GeneralReport {
        problem: prep.problem.name.clone(),
        protocol: settings.protocol.name(),
        method: prep.analysis.method,
        party_names: prep
            .problem
            .parties
            .iter()
            .map(|p| p.name.clone())
            .collect(),
        strategies: settings.strategies.iter().map(|s| s.name()).collect(),
        agreement: agreement_values.as_ref().map(|v| prep.problem.labels(v)),
        distances: agreement_values
            .as_ref()
            .map(|_| prep.distances(&utilities)),
        agreement_values,
        end: run_end.0,
        ended_by: run_end.1,
        step,
        offers,
        time,
        seed,
        utilities,
        discounted,
        trace,
    })
}
