//! Inverse analysis (Kinsara, Kilgour & Hipel 2015): over all rearrangements
//! of a window of each DM's ranking, count the preference profiles that make a
//! desired state stable for every DM, per concept.

use serde::{Deserialize, Serialize};

use crate::error::ConflictError;
use crate::space::Conflict;
use crate::stability::{is_stable_at, Concept, Semantics};

/// Largest number of profiles enumerated.
pub const MAX_PROFILES: u128 = 2_000_000;

/// How each profile is tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InverseMode {
    /// The stability definitions, exactly as [`crate::stability`] applies them.
    #[default]
    Textbook,
    /// Reproduces GMCR+ (gmcr-py `InverseSolver`) counts: sanctions are single
    /// opponent moves, and for GMR, SEQ and SMR only the *last* improvement
    /// (in state order) decides, because its flag is reset per improvement.
    /// On Syria–Iraq this gives the handout's 420 where the definitions give 384.
    GmcrPy,
}

/// Counts per concept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InverseResult {
    pub state: usize,
    /// Per DM: the half-open window [from, to) of tie-group positions varied.
    pub windows: Vec<Option<(usize, usize)>>,
    pub profiles: u64,
    /// (concept, number of profiles under which `state` is an equilibrium).
    pub counts: Vec<(Concept, u64)>,
}

/// Enumerates every permutation of the tie groups at positions [a, b) of each
/// DM's current ranking (groups move as units) and tests `state`.
pub fn inverse(
    c: &Conflict,
    state: usize,
    windows: &[Option<(usize, usize)>],
    concepts: &[Concept],
    sem: Semantics,
    mode: InverseMode,
) -> Result<InverseResult, ConflictError> {
    if mode == InverseMode::GmcrPy
        && concepts
            .iter()
            .any(|c| matches!(c, Concept::Sim | Concept::SeqSim))
    {
        return Err(ConflictError::Unsupported(
            "the gmcr-py inverse mode covers nash, gmr, seq and smr".into(),
        ));
    }
    let nd = c.n_dms();
    if windows.len() != nd {
        return Err(ConflictError::Model(format!(
            "{} vary windows given for {nd} DMs",
            windows.len()
        )));
    }
    let rankings: Vec<Vec<Vec<usize>>> = (0..nd).map(|i| c.ranking(i)).collect();
    let mut total: u128 = 1;
    for (i, w) in windows.iter().enumerate() {
        if let Some((a, b)) = *w {
            let g = rankings[i].len();
            if a >= b || b > g {
                return Err(ConflictError::Model(format!(
                    "vary window {}..{} for {} is outside its ranking of {g} tie groups",
                    a + 1,
                    b,
                    c.dms()[i].name
                )));
            }
            total = total.saturating_mul((1..=(b - a) as u128).product());
        }
    }
    if total > MAX_PROFILES {
        return Err(ConflictError::TooLarge {
            what: "the number of preference profiles".into(),
            size: total,
            limit: MAX_PROFILES,
            hint: "narrow the vary windows".into(),
        });
    }
    // Per DM: the list of payoff vectors for every permutation of its window.
    let per_dm: Vec<Vec<Vec<u32>>> = (0..nd)
        .map(|i| {
            let groups = &rankings[i];
            let Some((a, b)) = windows[i] else {
                return vec![c.payoffs(i).to_vec()];
            };
            let mut perm: Vec<usize> = (a..b).collect();
            let mut out = Vec::new();
            loop {
                let mut order: Vec<usize> = (0..a).collect();
                order.extend(&perm);
                order.extend(b..groups.len());
                let mut pay = vec![0u32; c.len()];
                let g = groups.len() as u32;
                for (pos, &gi) in order.iter().enumerate() {
                    for &num in &groups[gi] {
                        pay[num - 1] = g - pos as u32;
                    }
                }
                out.push(pay);
                if !next_permutation(&mut perm) {
                    break;
                }
            }
            out
        })
        .collect();
    let mut work = c.clone();
    let mut counts = vec![0u64; concepts.len()];
    let mut idx = vec![0usize; nd];
    let mut profiles = 0u64;
    loop {
        for i in 0..nd {
            work.set_payoffs(i, per_dm[i][idx[i]].clone());
        }
        profiles += 1;
        for (k, &con) in concepts.iter().enumerate() {
            let ok = |i: usize| match mode {
                InverseMode::Textbook => is_stable_at(&work, i, state, con, sem),
                InverseMode::GmcrPy => gmcr_py_stable(&work, i, state, con),
            };
            if (0..nd).all(ok) {
                counts[k] += 1;
            }
        }
        // odometer
        let mut d = 0;
        loop {
            if d == nd {
                return Ok(InverseResult {
                    state,
                    windows: windows.to_vec(),
                    profiles,
                    counts: concepts.iter().copied().zip(counts).collect(),
                });
            }
            idx[d] += 1;
            if idx[d] < per_dm[d].len() {
                break;
            }
            idx[d] = 0;
            d += 1;
        }
    }
}

fn next_permutation(v: &mut [usize]) -> bool {
    if v.len() < 2 {
        return false;
    }
    let mut i = v.len() - 1;
    while i > 0 && v[i - 1] >= v[i] {
        i -= 1;
    }
    if i == 0 {
        return false;
    }
    let mut j = v.len() - 1;
    while v[j] <= v[i - 1] {
        j -= 1;
    }
    v.swap(i - 1, j);
    v[i..].reverse();
    true
}

/// gmcr-py's inverse test of one DM at `s` (see [`InverseMode::GmcrPy`]).
fn gmcr_py_stable(c: &Conflict, i: usize, s: usize, concept: Concept) -> bool {
    let p0 = c.payoff(i, s);
    let reach = c.moves(i, s);
    let nash = reach.iter().all(|&q| c.payoff(i, q) <= p0);
    if nash || concept == Concept::Nash {
        return nash;
    }
    let opp: Vec<usize> = (0..c.n_dms()).filter(|&j| j != i).collect();
    let mut flag = false;
    for &s1 in &reach {
        if c.payoff(i, s1) <= p0 {
            continue;
        }
        let sanctions: Vec<usize> = opp
            .iter()
            .flat_map(|&j| {
                c.moves(j, s1)
                    .into_iter()
                    .filter(move |&s2| concept != Concept::Seq || c.payoff(j, s2) > c.payoff(j, s1))
            })
            .collect();
        flag = false;
        if let Some(&s2) = sanctions.iter().find(|&&s2| p0 > c.payoff(i, s2)) {
            flag = true;
            if concept == Concept::Smr && c.moves(i, s2).iter().any(|&s3| p0 < c.payoff(i, s3)) {
                flag = false;
            }
        }
    }
    flag
}
