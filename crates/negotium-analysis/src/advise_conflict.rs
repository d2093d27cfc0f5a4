//! The GMCR part of the advise lens: for the advised actor's decision maker,
//! how each commitment on one of its own options, and each coalition it
//! could join (two members up to all DMs but one), would change the
//! equilibria reachable from the status quo — judged by its own preference
//! ranking.
//!
//! A commitment is modelled with GMCR's reversibility: "never take" an
//! option that is not taken at the status quo makes it drop-only, "never
//! drop" one that is taken makes it take-only, and "make taking it
//! irreversible" (a reversible option not taken) makes it take-only. None of
//! these changes the feasible states, so state numbers stay comparable. A
//! coalition is gmcr-py's bloc semantics (its members move as one and
//! improve only when every member gains), the other DMs acting alone; it is
//! assessed under the chosen concept, SIM and SEQ&SIM included. At most
//! [`MAX_COALITIONS`] coalitions are assessed, by size then DM order.

use negotium_conflict::{
    coalition::partition_stability,
    stability::{analyze, Concept, Semantics},
    status_quo::reach,
    BitSet, Conflict, Reversibility,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::conflict::{ConflictModel, ConflictParams, ConflictResult};
use crate::verdict::state_in_words;
use crate::AnalysisError;
use negotium_scenario::Loaded;

/// A state with its place in the advised DM's preference ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RankedState {
    /// GMCR state number (1-based).
    pub state: usize,
    /// The options taken, in words.
    pub words: String,
    /// Its tie group in the DM's ranking (1 = most preferred).
    pub rank: usize,
}

/// How a change affects the DM's best reachable equilibrium.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// A better-ranked equilibrium becomes reachable.
    Better,
    /// The best reachable equilibrium ranks lower.
    Worse,
    /// The set of reachable equilibria changes, the best rank does not.
    Different,
    /// Nothing changes.
    None,
}

/// What a change does to the equilibria reachable from the status quo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Consequence {
    /// Equilibria reachable from the status quo after the change.
    pub reachable: Vec<RankedState>,
    /// State numbers reachable now and not before, and the reverse.
    pub gained: Vec<usize>,
    pub lost: Vec<usize>,
    pub effect: Effect,
    /// The advice in a plain sentence.
    pub sentence: String,
}

/// One commitment on one of the DM's options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OptionAdvice {
    /// The option's id and name.
    pub option: String,
    pub name: String,
    /// `never-take`, `never-drop` or `irreversible-take`.
    pub commitment: String,
    #[serde(flatten)]
    pub consequence: Consequence,
}

/// A DM of a coalition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoalitionMember {
    /// The DM's id and name.
    pub id: String,
    pub name: String,
}

/// One coalition of the DM with one or more other DMs (its equilibria under
/// bloc semantics, the DMs outside it acting alone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoalitionAdvice {
    /// The partners' ids joined by `+` (one id for a pair).
    pub with: String,
    /// The partners' names joined by `, ` (one name for a pair).
    pub name: String,
    /// The partners (the advised DM excluded), in the DMs' order.
    pub members: Vec<CoalitionMember>,
    #[serde(flatten)]
    pub consequence: Consequence,
}

/// Most coalitions assessed per advice (with n DMs there are 2^(n−1) − 2
/// containing the advised one, from pairs up to all DMs but one: 62 for 7).
pub const MAX_COALITIONS: usize = 64;

/// The partner sets of the DM's coalitions, from one partner up to all other
/// DMs but one, by size then in DM order (lexicographic within a size).
fn partner_sets(n: usize, dm: usize) -> Vec<Vec<usize>> {
    let others: Vec<usize> = (0..n).filter(|&k| k != dm).collect();
    let mut out = Vec::new();
    for size in 1..others.len() {
        // lexicographic k-combinations of `others`
        let mut idx: Vec<usize> = (0..size).collect();
        loop {
            out.push(idx.iter().map(|&i| others[i]).collect());
            let Some(i) = (0..size).rev().find(|&i| idx[i] < others.len() - size + i) else {
                break;
            };
            idx[i] += 1;
            for j in i + 1..size {
                idx[j] = idx[j - 1] + 1;
            }
        }
    }
    out
}

/// The GMCR advice for one DM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConflictAdvice {
    /// The DM's id and name.
    pub dm: String,
    pub name: String,
    /// The stability concept that defines an equilibrium here.
    pub concept: String,
    /// The status quo (state number) and its options in words.
    pub status_quo: usize,
    pub status_quo_words: String,
    /// How many tie groups the DM's ranking has (rank 1 is its best).
    pub ranks: usize,
    /// Equilibria reachable from the status quo as the model stands.
    pub reachable: Vec<RankedState>,
    pub options: Vec<OptionAdvice>,
    pub coalitions: Vec<CoalitionAdvice>,
    /// The main findings in plain sentences.
    pub advice: Vec<String>,
    /// Method and limits.
    pub notes: Vec<String>,
}

/// The equilibria (0-based state indices) that are the status quo `s0` or
/// `reachable` from it, best-ranked first.
fn reachable_equilibria(
    equilibria: impl Iterator<Item = usize>,
    reachable: impl Fn(usize) -> bool,
    s0: usize,
    rank: &[usize],
    words: &dyn Fn(usize) -> String,
) -> Vec<RankedState> {
    let mut v: Vec<RankedState> = equilibria
        .filter(|&s| s == s0 || reachable(s))
        .map(|s| RankedState {
            state: s + 1,
            words: words(s + 1),
            rank: rank[s],
        })
        .collect();
    v.sort_by_key(|x| (x.rank, x.state));
    v
}

fn compare(before: &[RankedState], after: &[RankedState]) -> (Vec<usize>, Vec<usize>, Effect) {
    let b: Vec<usize> = before.iter().map(|x| x.state).collect();
    let a: Vec<usize> = after.iter().map(|x| x.state).collect();
    let mut gained: Vec<usize> = a.iter().copied().filter(|s| !b.contains(s)).collect();
    let mut lost: Vec<usize> = b.iter().copied().filter(|s| !a.contains(s)).collect();
    gained.sort_unstable();
    lost.sort_unstable();
    let best = |v: &[RankedState]| v.iter().map(|x| x.rank).min();
    let effect = match (best(before), best(after)) {
        _ if gained.is_empty() && lost.is_empty() => Effect::None,
        (Some(x), Some(y)) if y < x => Effect::Better,
        (Some(x), Some(y)) if y > x => Effect::Worse,
        (None, Some(_)) => Effect::Better,
        (Some(_), None) => Effect::Worse,
        _ => Effect::Different,
    };
    (gained, lost, effect)
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "its 3rd-ranked state (…)" for the best of a list, or "no equilibrium".
fn best_words(v: &[RankedState]) -> String {
    match v.first() {
        Some(x) => format!(
            "state {} ({}), its {}-ranked",
            x.state,
            x.words,
            ordinal(x.rank)
        ),
        None => "no equilibrium at all".into(),
    }
}

fn effect_sentence(
    who: &str,
    change: &str,
    before: &[RankedState],
    after: &[RankedState],
    effect: Effect,
) -> String {
    match effect {
        Effect::None => format!(
            "{change} changes none of the equilibria {who} can reach from the status quo."
        ),
        Effect::Better => format!(
            "{change} helps {who}: the best equilibrium reachable from the status quo becomes {} instead of {}.",
            best_words(after),
            best_words(before)
        ),
        Effect::Worse => format!(
            "{change} hurts {who}: the best equilibrium reachable from the status quo becomes {} instead of {}.",
            best_words(after),
            best_words(before)
        ),
        Effect::Different => format!(
            "{change} changes which equilibria are reachable from the status quo ({} now, {} before) but not the best one for {who}, {}.",
            after.len(),
            before.len(),
            best_words(after)
        ),
    }
}

/// What the change from `before` to `after` does, in a sentence.
fn consequence(
    who: &str,
    change: &str,
    before: &[RankedState],
    after: Vec<RankedState>,
) -> Consequence {
    let (gained, lost, effect) = compare(before, &after);
    let sentence = effect_sentence(who, change, before, &after, effect);
    Consequence {
        reachable: after,
        gained,
        lost,
        effect,
        sentence,
    }
}

/// The DM's rank (tie group, 1 = best) of every state (by 0-based index).
fn ranks(c: &Conflict, dm: usize) -> (Vec<usize>, usize) {
    let groups = c.ranking(dm);
    let mut rank = vec![0; c.len()];
    for (g, states) in groups.iter().enumerate() {
        for &number in states {
            if let Some(r) = number.checked_sub(1).and_then(|s| rank.get_mut(s)) {
                *r = g + 1;
            }
        }
    }
    (rank, groups.len())
}

/// GMCR advice for the DM that stands for `actor`, or `Ok(None)` with the
/// reason when the scenario has no conflict, no status quo, or the actor is
/// no DM in it.
pub fn advise(
    scenario: &Loaded,
    actor: &str,
    concept_key: &str,
) -> Result<Result<ConflictAdvice, String>, AnalysisError> {
    let Some(sec) = &scenario.scenario.inputs.conflict else {
        return Ok(Err("the scenario has no [conflict] section".into()));
    };
    let Some(dm_id) = sec
        .dms
        .iter()
        .find(|d| d.actor.as_deref() == Some(actor) || d.id == actor)
        .map(|d| d.id.clone())
    else {
        return Ok(Err(format!(
            "`{actor}` is no decision maker of the [conflict] section"
        )));
    };
    let concept = Concept::parse(concept_key).ok_or_else(|| {
        AnalysisError::param(
            "concept",
            format!(
                "unknown concept `{concept_key}`; expected nash, gmr, smr, seq, sim or seq_sim"
            ),
        )
    })?;
    let base: ConflictResult = crate::conflict::run(
        scenario,
        &ConflictParams {
            concepts: vec![concept.key().to_string()],
            ..Default::default()
        },
    )?;
    let Some(sq) = &base.status_quo else {
        return Ok(Err("the [conflict] section names no status_quo".into()));
    };
    let s0 = sq.start - 1;
    let model = ConflictModel::from_scenario(scenario)?;
    let c = model.build()?;
    let dm = c.dm_index(&dm_id)?;
    let (rank, nranks) = ranks(&c, dm);
    let words = |n: usize| state_in_words(&base, n);
    let eq_of = |c: &Conflict| -> Result<BitSet, AnalysisError> {
        let r = analyze(c, &[concept], Semantics::Textbook)?;
        Ok(r.into_iter()
            .next()
            .map(|x| x.equilibria)
            .unwrap_or_else(|| BitSet::new(c.len())))
    };
    // The model as it stands: its equilibria and the states reachable from
    // the status quo are those of the conflict lens's run above.
    let base_eq = base.equilibria.get(concept.key()).ok_or_else(|| {
        AnalysisError::failed(format!(
            "the conflict run holds no {} result",
            concept.label()
        ))
    })?;
    let reachable0 = |s: usize| sq.reachable.contains(s + 1);
    let baseline =
        reachable_equilibria(base_eq.iter().map(|n| n - 1), reachable0, s0, &rank, &words);
    let who = c.dms()[dm].name.clone();
    let code0 = c.code(s0);

    let mut options = Vec::new();
    for &bit in &c.dms()[dm].options {
        let o = &c.options()[bit];
        let taken = code0 >> bit & 1 == 1;
        let mut variants: Vec<(&str, Reversibility, String)> = Vec::new();
        if taken {
            if o.reversibility != Reversibility::TakeOnly {
                variants.push((
                    "never-drop",
                    Reversibility::TakeOnly,
                    format!("Committing never to withdraw `{}` ({})", o.id, o.name),
                ));
            }
        } else {
            if o.reversibility != Reversibility::DropOnly {
                variants.push((
                    "never-take",
                    Reversibility::DropOnly,
                    format!("Committing never to `{}` ({})", o.id, o.name),
                ));
            }
            if o.reversibility == Reversibility::Both {
                variants.push((
                    "irreversible-take",
                    Reversibility::TakeOnly,
                    format!("Making `{}` ({}) irreversible once taken", o.id, o.name),
                ));
            }
        }
        for (commitment, rev, change) in variants {
            let mut spec = model.spec.clone();
            spec.options[o.spec_index].reversibility = rev;
            let c2 = Conflict::build(&spec).map_err(AnalysisError::from)?;
            let r = reach(&c2, s0, false);
            let after =
                reachable_equilibria(eq_of(&c2)?.iter(), |s| r.reachable(s), s0, &rank, &words);
            options.push(OptionAdvice {
                option: o.id.clone(),
                name: o.name.clone(),
                commitment: commitment.into(),
                consequence: consequence(&who, &change, &baseline, after),
            });
        }
    }

    let mut coalitions = Vec::new();
    let mut notes = vec![
        format!(
            "Equilibria are the states stable for every DM under {}; reachable means by legal unilateral moves from the status quo (or the status quo itself). Ranks are {}'s tie groups, 1 = its most preferred.",
            concept.label(),
            who
        ),
        "Commitments are modelled as reversibility (never take: drop-only; never withdraw or irreversible once taken: take-only); the feasible states, and so the state numbers, are unchanged.".into(),
    ];
    if c.n_dms() < 3 {
        notes.push("Coalitions are not assessed: with two decision makers a coalition would be the whole conflict.".into());
    } else {
        let sets = partner_sets(c.n_dms(), dm);
        notes.push(format!(
            "Coalitions: every coalition containing {who}, from pairs up to all decision makers but one ({} in all), each under {} with bloc semantics (its members move as one, changing any of their options at once, and improve only when every member gains; a state at which some member is no better off sanctions it); the other decision makers act alone.",
            sets.len(),
            concept.label()
        ));
        if sets.len() > MAX_COALITIONS {
            notes.push(format!(
                "Only the first {MAX_COALITIONS} of the {} coalitions containing {who} were assessed (by size, then in the DMs' order); the larger ones were not.",
                sets.len()
            ));
        }
        for partners in sets.into_iter().take(MAX_COALITIONS) {
            let mut bloc: Vec<usize> = partners.iter().copied().chain([dm]).collect();
            bloc.sort_unstable();
            let mut blocs = vec![bloc];
            blocs.extend(
                (0..c.n_dms())
                    .filter(|&k| k != dm && !partners.contains(&k))
                    .map(|k| vec![k]),
            );
            let members: Vec<CoalitionMember> = partners
                .iter()
                .map(|&k| CoalitionMember {
                    id: c.dms()[k].id.clone(),
                    name: c.dms()[k].name.clone(),
                })
                .collect();
            let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
            let name = names.join(", ");
            let (_, eq) = match partition_stability(&c, &blocs, concept) {
                Ok(x) => x,
                Err(e) => {
                    notes.push(format!("Coalition with {name}: not assessed ({e})."));
                    continue;
                }
            };
            // Blocs move by sequences of their members' moves: the states
            // reachable from the status quo are the model's own.
            let after = reachable_equilibria(eq.iter(), reachable0, s0, &rank, &words);
            let change = match names.as_slice() {
                [one] => format!("A coalition with {one} (moving as one, each move gaining both)"),
                _ => format!(
                    "A coalition with {} and {} (moving as one, each move gaining all {} members)",
                    names[..names.len() - 1].join(", "),
                    names[names.len() - 1],
                    names.len() + 1
                ),
            };
            coalitions.push(CoalitionAdvice {
                with: members
                    .iter()
                    .map(|m| m.id.as_str())
                    .collect::<Vec<_>>()
                    .join("+"),
                name,
                members,
                consequence: consequence(&who, &change, &baseline, after),
            });
        }
    }

    let mut advice = vec![format!(
        "As the model stands, {} equilibri{} reachable from the status quo; the best for {who} is {}.",
        baseline.len(),
        if baseline.len() == 1 { "um is" } else { "a are" },
        best_words(&baseline)
    )];
    // The headline among the coalitions: the best-ranked equilibrium any of
    // them makes reachable, by the fewest partners (then the first listed).
    let top = coalitions
        .iter()
        .filter(|k| k.consequence.effect == Effect::Better)
        .filter_map(|k| {
            k.consequence
                .reachable
                .first()
                .map(|b| (b.rank, k.members.len(), k))
        })
        .min_by_key(|&(rank, size, _)| (rank, size));
    if let Some((_, _, k)) = top {
        let names: Vec<&str> = k.members.iter().map(|m| m.name.as_str()).collect();
        let with = match names.as_slice() {
            [one] => one.to_string(),
            _ => format!(
                "{} and {}",
                names[..names.len() - 1].join(", "),
                names[names.len() - 1]
            ),
        };
        advice.push(format!(
            "Of the coalitions assessed, the smallest that gives {who} the best equilibrium any of them makes reachable is with {with}: {}.",
            best_words(&k.consequence.reachable)
        ));
    }
    let helpful: Vec<&String> = options
        .iter()
        .map(|o| &o.consequence)
        .chain(coalitions.iter().map(|k| &k.consequence))
        .filter(|c| c.effect == Effect::Better)
        .map(|c| &c.sentence)
        .collect();
    if helpful.is_empty() {
        advice.push(format!(
            "No commitment on {who}'s own options and no coalition assessed makes a better equilibrium reachable."
        ));
    } else {
        advice.extend(helpful.into_iter().cloned());
    }
    Ok(Ok(ConflictAdvice {
        dm: dm_id,
        name: who,
        concept: concept.key().to_string(),
        status_quo: s0 + 1,
        status_quo_words: words(s0 + 1),
        ranks: nranks,
        reachable: baseline,
        options,
        coalitions,
        advice,
        notes,
    }))
}
