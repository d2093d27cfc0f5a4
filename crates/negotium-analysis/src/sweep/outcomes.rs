//! Sobol indices of the conflict, vote and bargaining outcomes: each
//! outcome is a 0/1 indicator ("state s is an equilibrium under concept
//! c", "the proposal passes", "agreement is possible") and its inputs are
//! every uncertain input it can depend on.
//!
//! A discrete input (a DM's alternative preferences, a member's ballot)
//! takes one uniform u of the design, like a continuous one, and becomes
//! the alternative whose cumulative weight covers u (the stated value for
//! the weight left over) — exactly as a Monte Carlo draw picks it — so
//! Saltelli's A, B and A_B^i matrices and the estimators of
//! [`negotium_sweep::sobol`] apply unchanged. Continuous inputs (members'
//! drawn positions, bargaining weights and reservations) go through their
//! inverse CDFs.
//!
//! Designs: one for the conflict (over the DMs with alternatives; each
//! distinct preference profile is analysed once), one per proposal (over
//! its members' ballots and drawn positions), one for the bargaining (over
//! every weight and reservation range; an input that cannot move an
//! outcome gets indices of exactly 0 there).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use negotium_conflict::{BitSet, Concept};
use negotium_sweep::sobol::{evaluate, Evaluations, OutputIndices};
use negotium_sweep::SobolOptions;

use super::plan::{pick, Plan, TAG_BARGAIN, TAG_CONFLICT, TAG_VOTE};
use super::{
    AgreementSobolOut, ConflictSobolOut, IndexOut, IndicatorSobolOut, OutcomeSensitivityOut,
    SweepParams, SweepResult, VoteSobolOut,
};
use crate::AnalysisError;

/// Most conflict outcomes (concept × state) analysed.
pub const CONFLICT_CAP: usize = 10;

/// Design and bootstrap keys of the non-spatial lenses, apart from the
/// spatial ones (which are issue and model indices, far below 2⁴⁰).
fn key(tag: u64, index: u64) -> u64 {
    (1 << 40) | (tag << 32) | index
}

/// Where one design column goes.
#[derive(Clone, Copy)]
enum Column {
    /// A member's ballot (index in the vote plan's random ballots).
    Ballot(usize),
    /// A spatial input (a member's position).
    Spatial(usize),
}

fn indicator(oi: OutputIndices, ev: &Evaluations, o: usize, names: &[String]) -> IndicatorSobolOut {
    let n = ev.n;
    let hits: f64 = (0..n)
        .map(|r| ev.ya[r * ev.outputs + o] + ev.yb[r * ev.outputs + o])
        .sum();
    let mut indices: Vec<IndexOut> = names
        .iter()
        .zip(oi.indices)
        .map(|(name, x)| IndexOut {
            input: name.clone(),
            first: x.first,
            first_ci: x.first_ci,
            total: x.total,
            total_ci: x.total_ci,
        })
        .collect();
    indices.sort_by(|a, b| b.total.total_cmp(&a.total));
    IndicatorSobolOut {
        mean: hits / (2 * n) as f64,
        variance: oi.variance,
        constant: oi.constant,
        indices,
    }
}

/// Whether a design of `n` rows is within the bargaining lens's work
/// limit (the only outcome design with a limit of its own); `field` names
/// the parameter that set `n`.
pub(super) fn check_work(plan: &Plan, n: usize, field: &str) -> Result<(), AnalysisError> {
    let Some(b) = plan.bargain.as_ref().filter(|b| !b.inputs.is_empty()) else {
        return Ok(());
    };
    let d = b.inputs.len();
    let work = ((n * (d + 2)) as u64).saturating_mul(b.size());
    if work > super::MAX_BARGAIN_WORK {
        return Err(AnalysisError::param_limit(
            field,
            format!(
                "bargaining sensitivity: {n} rows × ({d} inputs + 2) × {} outcomes × parties = {work} is above the limit of {}",
                b.size(),
                super::MAX_BARGAIN_WORK
            ),
        ));
    }
    Ok(())
}

fn check_options(opts: &SobolOptions) -> Result<(), AnalysisError> {
    if opts.n < 2 || !(opts.level > 0.0 && opts.level < 1.0) {
        return Err(AnalysisError::param(
            "sobol_n",
            format!(
                "expected n ≥ 2 and a level in (0, 1), got n = {} and level {}",
                opts.n, opts.level
            ),
        ));
    }
    Ok(())
}

/// The indices of every non-spatial outcome with uncertain inputs (None
/// when there is none). `r` is the summary of the draws (the conflict
/// outcomes are chosen from its frequencies).
pub(super) fn sensitivity(
    plan: &Plan,
    params: &SweepParams,
    r: &SweepResult,
    opts: &SobolOptions,
) -> Result<Option<OutcomeSensitivityOut>, AnalysisError> {
    check_options(opts)?;
    let mut evaluations = 0u64;
    let mut out = OutcomeSensitivityOut {
        method: format!(
            "the spatial sensitivity's estimators (Saltelli et al. 2010 first order, Jansen 1999 total, {}% percentile bootstrap from {} resamples of the {} rows, seed {}) on 0/1 outcomes; a discrete input takes one uniform u and becomes the alternative whose cumulative weight covers u",
            opts.level * 100.0,
            opts.bootstrap,
            opts.n,
            opts.seed
        ),
        n: opts.n,
        bootstrap: opts.bootstrap,
        level: opts.level,
        seed: opts.seed,
        evaluations: 0,
        conflict_cap: CONFLICT_CAP,
        conflict: Vec::new(),
        conflict_omitted: 0,
        vote: Vec::new(),
        bargaining: Vec::new(),
    };
    let mut any = false;
    if let (Some(c), Some(summary)) = (&plan.conflict, &r.conflict) {
        if !c.random.is_empty() {
            any = true;
            // (variability, state index, concept index) of every outcome
            // that changes across the draws.
            let mut varying: Vec<(f64, usize, usize, f64)> = Vec::new();
            for s in &summary.states {
                for (ci, k) in Concept::ALL.iter().enumerate() {
                    let p = s.frequency.get(k.key()).copied().unwrap_or(0.0);
                    if p > 0.0 && p < 1.0 {
                        varying.push((p * (1.0 - p), s.number - 1, ci, p));
                    }
                }
            }
            // Stable: equal variability keeps state, then concept order.
            varying.sort_by(|a, b| b.0.total_cmp(&a.0));
            out.conflict_omitted = varying.len().saturating_sub(CONFLICT_CAP);
            varying.truncate(CONFLICT_CAP);
            if !varying.is_empty() {
                let d = c.random.len();
                let names: Vec<String> = c
                    .random
                    .iter()
                    .map(|&i| format!("{}.preferences", c.input.spec.dms[i].id))
                    .collect();
                let cache: Mutex<BTreeMap<Vec<usize>, Arc<Vec<BitSet>>>> =
                    Mutex::new(BTreeMap::new());
                let lock = || {
                    cache
                        .lock()
                        .map_err(|_| AnalysisError::failed("conflict cache poisoned"))
                };
                let f = |u: &[f64]| -> Result<Vec<f64>, AnalysisError> {
                    let choices: Vec<u32> = c
                        .random
                        .iter()
                        .zip(u)
                        .map(|(&i, &x)| pick(c.input.alternatives[i].iter().map(|a| a.0), x))
                        .collect();
                    let profile = c.profile(&choices);
                    let known = lock()?.get(&profile).cloned();
                    let eq = match known {
                        Some(e) => e,
                        None => {
                            let e = Arc::new(c.equilibria(&profile)?);
                            lock()?.insert(profile, e.clone());
                            e
                        }
                    };
                    Ok(varying
                        .iter()
                        .map(|&(_, s, ci, _)| eq[ci].contains(s) as u8 as f64)
                        .collect())
                };
                let ev = evaluate(
                    d,
                    varying.len(),
                    opts.n,
                    opts.seed,
                    key(TAG_CONFLICT, 0),
                    &f,
                )?;
                evaluations += (opts.n * (d + 2)) as u64;
                for (o, &(_, s, ci, p)) in varying.iter().enumerate() {
                    let oi = ev.indices(o, opts, key(TAG_CONFLICT, o as u64));
                    out.conflict.push(ConflictSobolOut {
                        concept: Concept::ALL[ci].key().to_string(),
                        number: s + 1,
                        pattern: c.base.pattern(s),
                        frequency: p,
                        sobol: indicator(oi, &ev, o, &names),
                    });
                }
            }
        }
    }
    if let (Some(v), Some(summary)) = (&plan.vote, &r.vote) {
        let spatial = plan.spatial.as_ref().map(|sp| sp.sweep.inputs());
        let base: Vec<f64> = spatial.map_or(Vec::new(), |i| i.iter().map(|x| x.point).collect());
        for (k, (p, ps)) in v.proposals.iter().zip(&summary.proposals).enumerate() {
            let mut cols: Vec<Column> = Vec::new();
            let mut names: Vec<String> = Vec::new();
            for m in &p.members {
                if let Some(b) = m.alternatives {
                    if !cols
                        .iter()
                        .any(|c| matches!(c, Column::Ballot(x) if *x == b))
                    {
                        cols.push(Column::Ballot(b));
                        names.push(v.random[b].name.clone());
                    }
                }
                if let (Some((_, Some(i))), Some(sp)) = (m.position, &plan.spatial) {
                    if !cols
                        .iter()
                        .any(|c| matches!(c, Column::Spatial(x) if *x == i))
                    {
                        cols.push(Column::Spatial(i));
                        names.push(sp.sweep.input_name(i));
                    }
                }
            }
            if cols.is_empty() {
                continue;
            }
            any = true;
            let d = cols.len();
            let f = |u: &[f64]| -> Result<Vec<f64>, AnalysisError> {
                let mut choices = vec![0u32; v.random.len()];
                let mut values = base.clone();
                for (col, &x) in cols.iter().zip(u) {
                    match *col {
                        Column::Ballot(b) => {
                            choices[b] = pick(v.random[b].alternatives.iter().map(|a| a.0), x)
                        }
                        Column::Spatial(i) => {
                            if let Some(inp) = spatial {
                                values[i] = inp[i].quantile(x);
                            }
                        }
                    }
                }
                let (passes, _) = p.decide(Some(&values), &choices, &v.random)?;
                Ok(vec![passes as u8 as f64])
            };
            let ev = evaluate(d, 1, opts.n, opts.seed, key(TAG_VOTE, k as u64), &f)?;
            evaluations += (opts.n * (d + 2)) as u64;
            let oi = ev.indices(0, opts, key(TAG_VOTE, k as u64));
            out.vote.push(VoteSobolOut {
                institution: p.institution.clone(),
                issue: p.issue.clone(),
                proposal: p.proposal,
                proposal_label: p.proposal_label.clone(),
                status_quo: p.status_quo,
                date: p.date.clone(),
                p_pass: ps.p_pass,
                sobol: indicator(oi, &ev, 0, &names),
            });
        }
    }
    if let (Some(b), Some(summary)) = (&plan.bargain, &r.bargaining) {
        if !b.inputs.is_empty() {
            any = true;
            let d = b.inputs.len();
            check_work(plan, opts.n, "sobol_n")?;
            let scopes: Vec<String> = std::iter::once("package".to_string())
                .chain(if b.per_issue {
                    b.issues.clone()
                } else {
                    Vec::new()
                })
                .collect();
            let names: Vec<String> = b.inputs.iter().map(|i| i.name.clone()).collect();
            let f = |u: &[f64]| -> Result<Vec<f64>, AnalysisError> {
                let vals: Vec<f64> = b
                    .inputs
                    .iter()
                    .zip(u)
                    .map(|(i, &x)| i.input.quantile(x))
                    .collect();
                let a = b
                    .evaluate(&vals)
                    .map_err(|e| AnalysisError::failed(format!("bargaining sensitivity: {e}")))?;
                Ok(a.into_iter().map(|x| x as u8 as f64).collect())
            };
            let ev = evaluate(d, scopes.len(), opts.n, opts.seed, key(TAG_BARGAIN, 0), &f)?;
            evaluations += (opts.n * (d + 2)) as u64;
            for (o, scope) in scopes.iter().enumerate() {
                // The scopes the summary reports (the package, and the
                // selected issues).
                let Some(a) = summary.agreement.iter().find(|a| &a.scope == scope) else {
                    continue;
                };
                if o > 0 && !params.issue.is_empty() && !params.issue.contains(scope) {
                    continue;
                }
                let oi = ev.indices(o, opts, key(TAG_BARGAIN, o as u64));
                out.bargaining.push(AgreementSobolOut {
                    scope: scope.clone(),
                    probability: a.probability,
                    sobol: indicator(oi, &ev, o, &names),
                });
            }
        }
    }
    out.evaluations = evaluations;
    Ok(any.then_some(out))
}
