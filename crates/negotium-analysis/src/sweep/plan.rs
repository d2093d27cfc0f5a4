//! What a sweep draws and how each lens is evaluated on one draw: the plan
//! built from a scenario's declared uncertainty (or a stated perturbation)
//! and the record of one draw.
//!
//! Draw k takes its numbers from streams keyed by (seed, k): the spatial
//! inputs from the spatial sweep's own stream (`negotium_sweep`, purpose
//! `Draw`), then one uniform per member with ballot alternatives (purpose
//! `Lens(1)`), one per decision maker with alternative preferences
//! (`Lens(2)`) and one per bargaining range (`Lens(3)`), each in
//! declaration order. Nothing else is random, so a draw depends only on
//! (seed, k).

use negotium_conflict::{analyze, BitSet, Concept, Conflict, Semantics};
use negotium_scenario::sections::bargaining::BargainingSection;
use negotium_scenario::sections::conflict::ConflictInput;
use negotium_scenario::uncertain::Distribution;
use negotium_scenario::votes::ballot_at;
use negotium_scenario::Loaded;
use negotium_spatial::ModelSpec;
use negotium_sweep::draw::{stream, unit, Purpose};
use negotium_sweep::{
    Distribution as SDist, Issue as SIssue, Label, Perturb, SpatialSweep, SweepError, Target,
    UncertainInput,
};
use negotium_voting::{decide, Ballot, Game};

use super::DrawRecord;
use crate::AnalysisError;

/// Stream tags of the lenses other than the spatial one.
pub(super) const TAG_VOTE: u64 = 1;
pub(super) const TAG_CONFLICT: u64 = 2;
pub(super) const TAG_BARGAIN: u64 = 3;

/// Largest conflict job: feasible states × preference profiles that can
/// be drawn (each profile is analysed once).
pub const MAX_CONFLICT_WORK: u64 = 1 << 28;
/// Largest bargaining job: draws × outcomes × parties.
pub const MAX_BARGAIN_WORK: u64 = 20_000_000_000;

/// A sweep's plan (see the module documentation).
pub(super) struct Plan {
    pub key: String,
    pub perturb: Option<Perturb>,
    pub spatial: Option<SpatialPlan>,
    pub vote: Option<VotePlan>,
    pub conflict: Option<ConflictPlan>,
    pub bargain: Option<BargainPlan>,
    pub notes: Vec<String>,
}

pub(super) struct IssueMeta {
    pub id: String,
    pub name: String,
    pub min: f64,
    pub max: f64,
    pub labels: Vec<Label>,
}

pub(super) struct SpatialPlan {
    pub sweep: SpatialSweep,
    pub issues: Vec<IssueMeta>,
}

/// A voting member whose ballot has declared alternatives (one draw per
/// member and draw, shared by every proposal put to its institution).
pub(super) struct RandomBallot {
    pub name: String,
    pub alternatives: Vec<(f64, Ballot)>,
}

pub(super) struct Member {
    pub label: String,
    /// Its position on the issue (point value) and, when drawn, the index
    /// of that spatial input.
    pub position: Option<(f64, Option<usize>)>,
    /// Its ballot without a position.
    pub default: Ballot,
    /// Index in [`VotePlan::random`].
    pub alternatives: Option<usize>,
}

pub(super) struct ProposalPlan {
    pub institution: String,
    pub name: String,
    pub issue: String,
    pub proposal: f64,
    pub proposal_label: Option<String>,
    pub status_quo: f64,
    pub date: String,
    pub title: String,
    pub game: Game,
    pub abstention_is_veto: bool,
    pub members: Vec<Member>,
}

pub(super) struct VotePlan {
    pub proposals: Vec<ProposalPlan>,
    pub random: Vec<RandomBallot>,
    pub uncertain: bool,
}

pub(super) struct ConflictPlan {
    pub input: ConflictInput,
    pub base: Conflict,
    /// DMs with alternative preferences, in DM order.
    pub random: Vec<usize>,
}

/// One bargaining range: a party's weight or reservation on an issue, or
/// its overall reservation.
pub(super) struct BargainInput {
    pub name: String,
    pub actor: String,
    pub field: &'static str,
    pub issue: Option<String>,
    pub party: usize,
    /// Index of the party's `[[bargaining.party.issue]]` entry.
    pub entry: Option<usize>,
    pub input: UncertainInput,
}

pub(super) struct BargainPlan {
    pub section: BargainingSection,
    pub inputs: Vec<BargainInput>,
    /// Bargaining issue ids (per-issue agreement only when every party
    /// gives per-issue reservations).
    pub issues: Vec<String>,
    pub per_issue: bool,
    /// Package, then per issue, at the point values.
    pub point: Vec<bool>,
}

fn dist(d: Option<Distribution>) -> SDist {
    match d.unwrap_or_default() {
        Distribution::Uniform => SDist::Uniform,
        Distribution::Triangular => SDist::Triangular,
    }
}

/// A sweep-crate error as a lens error: sizes are limits, model failures
/// failures, everything else bad input.
pub(super) fn sweep_error(e: SweepError) -> AnalysisError {
    match e {
        SweepError::TooLarge { .. } => AnalysisError::limit(e.to_string()),
        SweepError::Model { .. } => AnalysisError::failed(e.to_string()),
        other => AnalysisError::input(other.to_string()),
    }
}

/// FNV-1a, to fingerprint the scenario text in a block's key.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Picks alternative 1.. by cumulative weight, 0 (the stated value) for
/// the weight left over.
pub(super) fn pick(weights: impl Iterator<Item = f64>, u: f64) -> u32 {
    let mut acc = 0.0;
    for (k, w) in weights.enumerate() {
        acc += w;
        if u < acc {
            return k as u32 + 1;
        }
    }
    0
}

impl Plan {
    pub fn new(
        loaded: &Loaded,
        issues: &[String],
        models: Vec<ModelSpec>,
        perturb: Option<Perturb>,
        key: String,
    ) -> Result<Plan, AnalysisError> {
        let key = format!("{key};source=fnv:{:016x}", fnv(&loaded.source_text));
        let mut notes = Vec::new();
        let spatial = spatial_plan(loaded, issues, models, perturb)?;
        if spatial.is_none() && !loaded.scenario.inputs.stances.is_empty() {
            notes.push("spatial: no uncertain position, salience or capability is declared, so the forecasts would not vary and are not swept (declare ranges, or use --perturb)".into());
        }
        if let Some(p) = perturb {
            notes.push(format!(
                "spatial: the stated perturbation {p} replaces any declared position, salience and capability ranges"
            ));
        }
        let vote = vote_plan(loaded, issues, spatial.as_ref())?;
        if let Some(v) = &vote {
            if !v.uncertain {
                notes.push("vote: no uncertain input reaches the proposals' ballots; every draw gives the point result".into());
            }
        }
        let conflict = conflict_plan(loaded)?;
        if let Some(c) = &conflict {
            if c.random.is_empty() {
                notes.push("conflict: no decision maker declares alternative preferences; every draw gives the point result".into());
            }
        }
        let bargain = bargain_plan(loaded)?;
        if let Some(b) = &bargain {
            if b.inputs.is_empty() {
                notes.push("bargaining: no weight_range or reservation_range is declared; every draw gives the point result".into());
            }
        }
        let uncertain = spatial.is_some()
            || vote.as_ref().is_some_and(|v| v.uncertain)
            || conflict.as_ref().is_some_and(|c| !c.random.is_empty())
            || bargain.as_ref().is_some_and(|b| !b.inputs.is_empty());
        if !uncertain {
            return Err(AnalysisError::input(format!(
                "{} declares no uncertainty (no position_range, salience_range or capability_range on stances and actors, no `alternatives` in [conflict], no member `ballots` in [[institution]], no weight_range or reservation_range in [bargaining]), so nothing would vary. Declare ranges (docs/scenario-format.md), or for a quick check give a stated perturbation: --perturb position=10,salience=0.2,capability=0.2",
                loaded.source_name
            )));
        }
        Ok(Plan {
            key,
            perturb,
            spatial,
            vote,
            conflict,
            bargain,
            notes,
        })
    }

    /// Draw `k`: every lens's sampled inputs and results.
    pub fn draw(&self, seed: u64, k: u64) -> Result<DrawRecord, AnalysisError> {
        let mut rec = DrawRecord {
            draw: k,
            ..Default::default()
        };
        if let Some(sp) = &self.spatial {
            let d = sp.sweep.draw(seed, k).map_err(sweep_error)?;
            rec.values = d.inputs;
            rec.forecasts = d.forecasts;
        }
        if let Some(v) = &self.vote {
            let mut rng = stream(seed, Purpose::Lens(TAG_VOTE), k);
            let choices: Vec<u32> = v
                .random
                .iter()
                .map(|r| pick(r.alternatives.iter().map(|a| a.0), unit(&mut rng)))
                .collect();
            for p in &v.proposals {
                let (passes, vetoes) = p.decide(Some(&rec.values), &choices, &v.random)?;
                rec.passes.push(passes);
                rec.vetoes.push(vetoes);
            }
            rec.choices.extend(choices);
        }
        if let Some(c) = &self.conflict {
            let mut rng = stream(seed, Purpose::Lens(TAG_CONFLICT), k);
            for &i in &c.random {
                let w = c.input.alternatives[i].iter().map(|a| a.0);
                rec.choices.push(pick(w, unit(&mut rng)));
            }
        }
        if let Some(b) = &self.bargain {
            if b.inputs.is_empty() {
                rec.agreement = b.point.clone();
            } else {
                let mut rng = stream(seed, Purpose::Lens(TAG_BARGAIN), k);
                let vals: Vec<f64> = b
                    .inputs
                    .iter()
                    .map(|i| i.input.quantile(unit(&mut rng)))
                    .collect();
                rec.agreement = b
                    .evaluate(&vals)
                    .map_err(|e| AnalysisError::failed(format!("draw {k}: bargaining: {e}")))?;
                rec.values.extend(vals);
            }
        }
        Ok(rec)
    }

    /// Number of continuous values of a record (spatial, then bargaining).
    pub fn n_values(&self) -> usize {
        self.spatial.as_ref().map_or(0, |s| s.sweep.inputs().len())
            + self.bargain.as_ref().map_or(0, |b| b.inputs.len())
    }

    /// Number of discrete choices of a record (ballots, then DMs).
    pub fn n_choices(&self) -> usize {
        self.vote.as_ref().map_or(0, |v| v.random.len())
            + self.conflict.as_ref().map_or(0, |c| c.random.len())
    }
}

fn spatial_plan(
    loaded: &Loaded,
    issue_ids: &[String],
    models: Vec<ModelSpec>,
    perturb: Option<Perturb>,
) -> Result<Option<SpatialPlan>, AnalysisError> {
    let inputs = &loaded.scenario.inputs;
    if inputs.stances.is_empty() || issue_ids.is_empty() {
        return Ok(None);
    }
    let actors: Vec<String> = inputs.actors.iter().map(|a| a.id.clone()).collect();
    let mut issues = Vec::new();
    let mut metas = Vec::new();
    for id in issue_ids {
        let m = negotium_scenario::spatial::for_issue(inputs, id)
            .map_err(|e| AnalysisError::input(format!("{}: {e}", loaded.source_name)))?;
        let is = inputs
            .issue(id)
            .ok_or_else(|| AnalysisError::param("issue", format!("unknown issue `{id}`")))?;
        let mut labels: Vec<Label> = is
            .points
            .iter()
            .map(|p| Label {
                at: p.at,
                label: p.label.clone(),
            })
            .collect();
        labels.sort_by(|a, b| a.at.total_cmp(&b.at));
        issues.push(SIssue {
            id: id.clone(),
            actors: m
                .actor_ids
                .iter()
                .map(|a| actors.iter().position(|x| x == a).unwrap_or(0))
                .collect(),
            problem: m.problem,
            labels: labels.clone(),
        });
        metas.push(IssueMeta {
            id: id.clone(),
            name: is.name.clone(),
            min: is.min,
            max: is.max,
            labels,
        });
    }
    let sweep = match perturb {
        Some(p) => SpatialSweep::perturbed(actors, issues, models, p),
        None => {
            let declared = declared_inputs(loaded, &actors, &issues)?;
            if declared.is_empty() {
                return Ok(None);
            }
            SpatialSweep::new(actors, issues, models, declared)
        }
    }
    .map_err(|e| sweep_error(e).context(&loaded.source_name))?;
    Ok(Some(SpatialPlan {
        sweep,
        issues: metas,
    }))
}

/// The declared ranges reaching the selected issues: capabilities (actor
/// order), then per issue each actor's position and salience.
fn declared_inputs(
    loaded: &Loaded,
    actors: &[String],
    issues: &[SIssue],
) -> Result<Vec<UncertainInput>, AnalysisError> {
    let inputs = &loaded.scenario.inputs;
    let bad = |e: negotium_sweep::InputError| AnalysisError::input(e.to_string());
    let mut out = Vec::new();
    for (a, actor) in inputs.actors.iter().enumerate() {
        let Some(r) = actor.capability_range else {
            continue;
        };
        if issues.iter().any(|is| is.actors.contains(&a)) {
            out.push(
                UncertainInput::new(
                    &format!("{}.capability", actor.id),
                    Target::Capability { actor: a },
                    actor.capability,
                    (r.lo, r.hi),
                    dist(actor.distribution),
                )
                .map_err(bad)?,
            );
        }
    }
    for (j, is) in issues.iter().enumerate() {
        for &a in &is.actors {
            let Some(st) = inputs
                .stances
                .iter()
                .find(|s| s.actor == actors[a] && s.issue == is.id)
            else {
                continue;
            };
            let d = dist(st.distribution);
            if let Some(r) = st.position_range {
                out.push(
                    UncertainInput::new(
                        &format!("{}.position.{}", st.actor, is.id),
                        Target::Position { actor: a, issue: j },
                        st.position,
                        (r.lo, r.hi),
                        d,
                    )
                    .map_err(bad)?,
                );
            }
            if let Some(r) = st.salience_range {
                out.push(
                    UncertainInput::new(
                        &format!("{}.salience.{}", st.actor, is.id),
                        Target::Salience { actor: a, issue: j },
                        st.salience,
                        (r.lo, r.hi),
                        d,
                    )
                    .map_err(bad)?,
                );
            }
        }
    }
    Ok(out)
}

impl ProposalPlan {
    /// Passes, and the indices of the members vetoing, under the drawn
    /// values (`None`: every position at its point value) and ballot
    /// choices.
    pub fn decide(
        &self,
        values: Option<&[f64]>,
        choices: &[u32],
        random: &[RandomBallot],
    ) -> Result<(bool, Vec<u32>), AnalysisError> {
        let ballots: Vec<Ballot> = self
            .members
            .iter()
            .map(|m| {
                if let Some(r) = m.alternatives {
                    if let Some(k) = (choices[r] as usize).checked_sub(1) {
                        return random[r].alternatives[k].1;
                    }
                }
                match m.position {
                    Some((p, input)) => {
                        let p = match (input, values) {
                            (Some(i), Some(v)) => v[i],
                            _ => p,
                        };
                        ballot_at(p, self.proposal, self.status_quo)
                    }
                    None => m.default,
                }
            })
            .collect();
        let o = decide(&self.game, &ballots, self.abstention_is_veto)?;
        Ok((o.passes, o.vetoed_by.iter().map(|&i| i as u32).collect()))
    }
}

/// The proposals on record (as `analyze` puts them: the as-of year, every
/// weighted institution where at least half the members have a position)
/// on the selected issues.
fn vote_plan(
    loaded: &Loaded,
    issues: &[String],
    spatial: Option<&SpatialPlan>,
) -> Result<Option<VotePlan>, AnalysisError> {
    let s = &loaded.scenario;
    // The proposals known at `as_of` (those after it are not swept).
    let proposals: Vec<_> = crate::analyze::proposals(loaded)
        .known
        .into_iter()
        .filter(|p| issues.contains(&p.vote.issue))
        .collect();
    if proposals.is_empty() {
        return Ok(None);
    }
    let actor_index = |id: &str| s.inputs.actors.iter().position(|a| a.id == id);
    let input_of = |actor: &str, issue: &str| -> Option<usize> {
        let sp = spatial?;
        let a = actor_index(actor)?;
        let j = sp.issues.iter().position(|m| m.id == issue)?;
        sp.sweep
            .inputs()
            .iter()
            .position(|i| i.target == Target::Position { actor: a, issue: j })
    };
    let mut random: Vec<RandomBallot> = Vec::new();
    let mut random_keys: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    let mut uncertain = false;
    for pv in proposals {
        let v = &pv.vote;
        let Some(sec) = s.inputs.institutions.iter().find(|i| i.id == v.institution) else {
            continue;
        };
        let model = sec
            .model()
            .map_err(|e| AnalysisError::input(e.to_string()))?;
        let Some(game) = model.game else { continue };
        let default = sec.default_vote.unwrap_or(Ballot::Abstain);
        let mut members = Vec::with_capacity(sec.members.len());
        for m in &sec.members {
            let label = m.label();
            let stance = m.actor.as_ref().and_then(|a| {
                s.inputs
                    .stances
                    .iter()
                    .find(|st| &st.actor == a && st.issue == v.issue)
            });
            let position = match (stance, m.position) {
                (Some(st), _) => Some((st.position, input_of(&st.actor, &v.issue))),
                (None, Some(p)) => Some((p, None)),
                (None, None) => None,
            };
            let alternatives = (!m.ballots.is_empty()).then(|| {
                let key = (sec.id.clone(), label.clone());
                match random_keys.iter().position(|k| *k == key) {
                    Some(r) => r,
                    None => {
                        random_keys.push(key);
                        random.push(RandomBallot {
                            name: format!("{}.{}.ballot", sec.id, label),
                            alternatives: m.ballots.iter().map(|b| (b.weight, b.vote)).collect(),
                        });
                        random.len() - 1
                    }
                }
            });
            uncertain |= alternatives.is_some() || position.is_some_and(|p| p.1.is_some());
            members.push(Member {
                label,
                position,
                default: m.default_vote.unwrap_or(default),
                alternatives,
            });
        }
        out.push(ProposalPlan {
            institution: sec.id.clone(),
            name: sec.name.clone(),
            issue: v.issue.clone(),
            proposal: v.proposal,
            proposal_label: v.proposal_label.clone(),
            status_quo: v.status_quo,
            date: pv.date.clone(),
            title: pv.title.clone(),
            game,
            abstention_is_veto: model.abstention_is_veto,
            members,
        });
    }
    if out.is_empty() {
        return Ok(None);
    }
    Ok(Some(VotePlan {
        proposals: out,
        random,
        uncertain,
    }))
}

fn conflict_plan(loaded: &Loaded) -> Result<Option<ConflictPlan>, AnalysisError> {
    let Some(sec) = &loaded.scenario.inputs.conflict else {
        return Ok(None);
    };
    let input = sec
        .to_input()
        .map_err(|e| AnalysisError::input(format!("{}: {e}", loaded.source_name)))?;
    let base = Conflict::build(&input.spec)
        .map_err(|e| AnalysisError::from(e).context(&loaded.source_name))?;
    let random: Vec<usize> = (0..input.alternatives.len())
        .filter(|&i| !input.alternatives[i].is_empty())
        .collect();
    let profiles: u64 = random
        .iter()
        .map(|&i| input.alternatives[i].len() as u64 + 1)
        .fold(1u64, |a, b| a.saturating_mul(b));
    let work = profiles.saturating_mul(base.len() as u64);
    if work > MAX_CONFLICT_WORK {
        return Err(AnalysisError::limit(format!(
            "conflict: {profiles} preference profiles × {} feasible states = {work} is above the limit of {MAX_CONFLICT_WORK}; declare fewer alternatives",
            base.len()
        )));
    }
    Ok(Some(ConflictPlan {
        input,
        base,
        random,
    }))
}

impl ConflictPlan {
    /// The full profile (alternative per DM, 0 = stated) of a record's
    /// conflict choices.
    pub fn profile(&self, choices: &[u32]) -> Vec<usize> {
        let mut p = vec![0; self.input.alternatives.len()];
        for (&i, &c) in self.random.iter().zip(choices) {
            p[i] = c as usize;
        }
        p
    }

    /// Equilibria per concept (in `Concept::ALL` order) under a profile.
    pub fn equilibria(&self, profile: &[usize]) -> Result<Vec<BitSet>, AnalysisError> {
        let built;
        let c = if profile.iter().all(|&k| k == 0) {
            &self.base
        } else {
            built = Conflict::build(&self.input.with_choices(profile))?;
            &built
        };
        Ok(analyze(c, &Concept::ALL, Semantics::Textbook)?
            .into_iter()
            .map(|r| r.equilibria)
            .collect())
    }
}

fn bargain_plan(loaded: &Loaded) -> Result<Option<BargainPlan>, AnalysisError> {
    let Some(sec) = &loaded.scenario.inputs.bargaining else {
        return Ok(None);
    };
    let bad = |e: negotium_sweep::InputError| AnalysisError::input(e.to_string());
    let mut inputs = Vec::new();
    // Any target: the bargaining ranges only use the distribution.
    let t = Target::Capability { actor: 0 };
    for (pi, p) in sec.parties.iter().enumerate() {
        if let (Some(r), Some(x)) = (p.reservation_range, p.reservation) {
            let name = format!("{}.reservation", p.actor);
            inputs.push(BargainInput {
                input: UncertainInput::new(&name, t, x, (r.lo, r.hi), dist(p.distribution))
                    .map_err(bad)?,
                name,
                actor: p.actor.clone(),
                field: "reservation",
                issue: None,
                party: pi,
                entry: None,
            });
        }
        for (k, i) in p.issues.iter().enumerate() {
            let d = dist(i.distribution);
            if let Some(r) = i.weight_range {
                let name = format!("{}.weight.{}", p.actor, i.issue);
                inputs.push(BargainInput {
                    input: UncertainInput::new(&name, t, i.weight, (r.lo, r.hi), d).map_err(bad)?,
                    name,
                    actor: p.actor.clone(),
                    field: "weight",
                    issue: Some(i.issue.clone()),
                    party: pi,
                    entry: Some(k),
                });
            }
            if let (Some(r), Some(x)) = (i.reservation_range, i.reservation) {
                let name = format!("{}.reservation.{}", p.actor, i.issue);
                inputs.push(BargainInput {
                    input: UncertainInput::new(&name, t, x, (r.lo, r.hi), d).map_err(bad)?,
                    name,
                    actor: p.actor.clone(),
                    field: "reservation",
                    issue: Some(i.issue.clone()),
                    party: pi,
                    entry: Some(k),
                });
            }
        }
    }
    let mut plan = BargainPlan {
        section: sec.clone(),
        inputs,
        issues: sec.issues.iter().map(|i| i.id.clone()).collect(),
        per_issue: sec.parties.iter().all(|p| p.reservation.is_none()),
        point: Vec::new(),
    };
    plan.point = plan
        .evaluate(&[])
        .map_err(|e| AnalysisError::input(format!("{}: [bargaining]: {e}", loaded.source_name)))?;
    Ok(Some(plan))
}

impl BargainPlan {
    /// Outcomes × parties of the problem (for the size check).
    pub fn size(&self) -> u64 {
        let outcomes = self
            .section
            .issues
            .iter()
            .map(|i| match (&i.values, &i.integer, &i.continuous) {
                (Some(v), _, _) => v.len() as u64,
                (_, Some(r), _) => (r.hi - r.lo + 1).max(0) as u64,
                (_, _, Some(c)) => c.points as u64,
                _ => 0,
            })
            .fold(1u64, |a, b| a.saturating_mul(b));
        outcomes.saturating_mul(self.section.parties.len() as u64)
    }

    /// Agreement possible (a zone of agreement exists) for the package,
    /// then per issue, with the ranges at `values` (empty: point values).
    pub fn evaluate(&self, values: &[f64]) -> Result<Vec<bool>, negotium_bargain::BargainError> {
        let problem = if values.is_empty() {
            self.section.to_problem("sweep")?
        } else {
            let mut sec = self.section.clone();
            for (inp, &x) in self.inputs.iter().zip(values) {
                let party = &mut sec.parties[inp.party];
                match (inp.entry, inp.field) {
                    (Some(k), "weight") => party.issues[k].weight = x,
                    (Some(k), _) => party.issues[k].reservation = Some(x),
                    (None, _) => party.reservation = Some(x),
                }
            }
            sec.to_problem("sweep")?
        };
        let utils: Vec<Vec<f64>> = problem
            .parties
            .iter()
            .map(|p| p.utility.evaluate_all())
            .collect();
        let n = utils.first().map_or(0, Vec::len);
        let package = (0..n).any(|o| {
            problem
                .parties
                .iter()
                .zip(&utils)
                .all(|(p, u)| u[o] > p.reservation)
        });
        let mut out = vec![package];
        if self.per_issue {
            for (k, issue) in problem.domain.issues.iter().enumerate() {
                out.push((0..issue.len()).any(|v| {
                    problem.parties.iter().all(|p| {
                        p.issue_reservations
                            .as_ref()
                            .is_some_and(|r| p.utility.tables[k][v] > r[k])
                    })
                }));
            }
        }
        Ok(out)
    }
}
