//! The voting-power lens: exact (or, when out of reach, Monte Carlo) power
//! indices of each institution's members, minimal winning and blocking
//! coalitions, and the scenario's recorded votes checked against their
//! body's rule. Also a quick weighted game given by quotas and weights.

use std::collections::BTreeMap;

use negotium_scenario::votes::check_recorded_votes;
use negotium_scenario::Loaded;
use negotium_voting::{
    minimal_coalitions, power, BigCount, Game, Index, Method, PowerOptions, PowerReport,
    PowerValue, WeightedQuota,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::cap;
use crate::params::{comma_list, comma_list_schema, opt_text, LenientInt};
use crate::AnalysisError;

/// The most Monte Carlo samples a run may ask for.
pub const MAX_SAMPLES: u64 = 100_000_000;

/// The most coalitions of each family a run may ask to list.
pub const MAX_LIST_LIMIT: usize = 100_000;

/// Parameters of `negotium power`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PowerParams {
    /// Only this institution (its id; default: every institution).
    #[serde(deserialize_with = "opt_text")]
    pub institution: Option<String>,
    /// Indices: shapley_shubik (ss), banzhaf (bz), banzhaf_absolute (pbi),
    /// holler (pgi), deegan_packel (dp), johnston (j), coleman_prevent (cp),
    /// coleman_initiate (ci) (empty: all).
    #[serde(alias = "indices", deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub index: Vec<String>,
    /// Print exact fractions (e.g. 421/2145) instead of decimals (text output only).
    pub exact_fractions: bool,
    /// auto (exact where feasible, else Monte Carlo, said so), exact,
    /// enumerate, monte-carlo.
    pub method: String,
    /// Monte Carlo samples (orderings and coalitions each; at most 100000000).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(max = 100_000_000))]
    pub samples: u64,
    /// Monte Carlo seed.
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt")]
    pub seed: u64,
    /// List minimal winning / blocking coalitions when there are at most
    /// this many (at most 100000).
    #[serde(deserialize_with = "crate::params::int")]
    #[schemars(with = "LenientInt", range(max = 100_000))]
    pub list_limit: usize,
}

impl Default for PowerParams {
    fn default() -> Self {
        PowerParams {
            institution: None,
            index: Vec::new(),
            exact_fractions: false,
            method: "auto".into(),
            samples: 200_000,
            seed: 0,
            list_limit: 12,
        }
    }
}

/// A weighted game given directly (`negotium power --quota … --weights …`):
/// members are named `m1`, `m2`, ….
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct QuickGame {
    /// The quota, one per weight list (a coalition wins when it reaches every quota).
    pub quota: Vec<f64>,
    /// The members' weights, comma-separated, one list per quota.
    pub weights: Vec<String>,
    /// Members (1-based positions) holding a veto.
    pub veto: Vec<usize>,
    /// A coalition also wins when fewer than this many members are outside it.
    pub min_complement: Option<u32>,
}

/// A coalition count: a number, or its decimal digits when above 2^64 − 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Count {
    Small(u64),
    Big(String),
}

impl Count {
    fn of(c: &BigCount) -> Count {
        match u64::try_from(&c.0) {
            Ok(v) => Count::Small(v),
            Err(_) => Count::Big(c.0.to_string()),
        }
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Count::Small(v) => write!(f, "{v}"),
            Count::Big(s) => f.write_str(s),
        }
    }
}

/// One institution's power indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InstitutionPower {
    pub institution: String,
    pub name: String,
    /// The decision rule in words ("a coalition wins with …").
    pub rule: String,
    /// Member labels, in the institution's order.
    pub members: Vec<String>,
    /// Members holding a veto: declared (`veto`), or in effect (every
    /// winning coalition needs them: all the other members together lose).
    pub vetoes: Vec<String>,
    /// Per index key, per member: the value.
    pub indices: BTreeMap<String, BTreeMap<String, f64>>,
    /// Per index key, per member: the exact fraction (`421/2145`), when exact.
    pub exact: BTreeMap<String, BTreeMap<String, String>>,
    /// Per index key, per member: the 95 % interval of a Monte Carlo estimate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ci95: Option<BTreeMap<String, BTreeMap<String, [f64; 2]>>>,
    /// Per index key: how it was computed.
    pub methods: BTreeMap<String, String>,
    pub total_coalitions: Count,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub winning_coalitions: Option<Count>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimal_winning_coalitions: Option<Count>,
    /// Coleman's power of the collectivity to act: winning / all coalitions.
    pub power_to_act: f64,
    /// `power_to_act` as an exact fraction, when exact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_to_act_exact: Option<String>,
    /// `power_to_act`'s 95 % interval, when estimated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power_to_act_ci95: Option<[f64; 2]>,
    /// What was done and why (method choices, fallbacks).
    pub notes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimal_winning_count: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimal_blocking_count: Option<u64>,
    /// The minimal winning coalitions when at most `list_limit` (else empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimal_winning: Option<Vec<Vec<String>>>,
    /// The minimal blocking coalitions when at most `list_limit` (else empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimal_blocking: Option<Vec<Vec<String>>>,
}

/// A recorded vote's tally.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TallyOut {
    pub yes: u64,
    pub no: u64,
    pub abstain: u64,
    pub absent: Option<u64>,
}

/// A recorded vote checked against its body's rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RecordedVoteOut {
    pub date: String,
    pub title: String,
    /// The voting body (an institution id, or a free name).
    pub body: String,
    pub tally: TallyOut,
    /// `passes`, `fails` or `undetermined`; null when the body is not an
    /// institution of the scenario (not checked).
    pub verdict: Option<String>,
    /// Yes votes needed given the tally's basis, when known.
    pub required_yes: Option<u64>,
    pub explanation: Option<String>,
}

/// An institution with only a majority rule for recorded tallies (no
/// weighted game, so no power indices).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MajorityOnly {
    pub institution: String,
    pub name: String,
    /// The majority rule in words.
    pub rule: String,
}

/// The power lens's result (the `power --json` contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PowerResult {
    /// The scenario's id (absent for a quick game).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    pub institutions: Vec<InstitutionPower>,
    /// Institutions with only a majority rule (recorded votes only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub majority_rule_only: Vec<MajorityOnly>,
    /// Every recorded vote of the scenario (absent for a quick game).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_votes: Option<Vec<RecordedVoteOut>>,
}

/// An index's column label (`Shapley–Shubik`) from its key; the key when unknown.
pub fn index_label(key: &str) -> &str {
    match Index::parse(key) {
        Some(i) => i.label(),
        None => key,
    }
}

/// The indices of the parameters, in their order (empty: all).
pub fn indices(p: &PowerParams) -> Result<Vec<Index>, AnalysisError> {
    if p.index.is_empty() {
        return Ok(Index::ALL.to_vec());
    }
    p.index
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            Index::parse(s).ok_or_else(|| {
                AnalysisError::param(
                    "index",
                    format!(
                        "unknown index `{s}`{}; expected {}",
                        negotium_suggest::did_you_mean(s, Index::ALL.map(Index::key)),
                        Index::ALL.map(Index::key).join(", ")
                    ),
                )
            })
        })
        .collect()
}

fn method(s: &str) -> Result<Method, AnalysisError> {
    Ok(match s.trim() {
        "auto" | "" => Method::Auto,
        "exact" => Method::Exact,
        "enumerate" => Method::Enumerate,
        "monte-carlo" | "montecarlo" | "mc" => Method::MonteCarlo,
        other => {
            return Err(AnalysisError::param(
                "method",
                format!("unknown method `{other}`; expected auto, exact, enumerate or monte-carlo"),
            ))
        }
    })
}

fn options(p: &PowerParams) -> Result<PowerOptions, AnalysisError> {
    let o = PowerOptions {
        indices: indices(p)?,
        method: method(&p.method)?,
        samples: p.samples,
        seed: p.seed,
        ..Default::default()
    };
    cap("samples", p.samples, MAX_SAMPLES)?;
    cap("list_limit", p.list_limit as u64, MAX_LIST_LIMIT as u64)?;
    Ok(o)
}

fn trim_num(x: f64) -> String {
    let r = (x * 1e6).round() / 1e6;
    format!("{r}")
}

/// The decision rule in words.
fn describe_rule(game: &Game, labels: &[String], quota_text: &[String], scales: &[u64]) -> String {
    let mut parts = Vec::new();
    for (k, q) in game.quotas().iter().enumerate() {
        let total: u64 = q.weights.iter().sum();
        let equal = q.weights.iter().all(|&w| w == q.weights[0]);
        let shown = quota_text
            .get(k)
            .cloned()
            .unwrap_or_else(|| q.quota.to_string());
        if equal {
            parts.push(format!(
                "{} of {} members",
                q.quota.div_ceil(q.weights[0].max(1)),
                labels.len()
            ));
        } else {
            let scale = scales.get(k).copied().unwrap_or(1).max(1) as f64;
            parts.push(format!(
                "weight ≥ {shown} (of {})",
                trim_num(total as f64 / scale)
            ));
        }
    }
    let mut s = parts.join(" and ");
    let vetoes: Vec<&str> = labels
        .iter()
        .zip(game.vetoes())
        .filter(|(_, v)| **v)
        .map(|(l, _)| l.as_str())
        .collect();
    if !vetoes.is_empty() {
        s.push_str(&format!(
            ", including every veto holder ({})",
            vetoes.join(", ")
        ));
    }
    if let Some(k) = game.min_complement() {
        s.push_str(&format!(
            "; or fewer than {k} members against (blocking minority of {k})"
        ));
    }
    s
}

/// One game's power: indices, counts and (for small games) coalition lists.
#[allow(clippy::too_many_arguments)]
fn institution_power(
    id: &str,
    name: &str,
    game: &Game,
    labels: Vec<String>,
    quota_text: &[String],
    scales: &[u64],
    p: &PowerParams,
) -> Result<InstitutionPower, AnalysisError> {
    let opts = options(p)?;
    let report = power(game, &opts)
        .map_err(|e| AnalysisError::from(e).context(&format!("institution `{id}`")))?;
    let listing = if game.n() <= negotium_voting::coalitions::MAX_LISTED_MEMBERS {
        minimal_coalitions(game, p.list_limit).ok()
    } else {
        None
    };
    Ok(power_out(
        id, name, game, labels, quota_text, scales, &report, listing,
    ))
}

#[allow(clippy::too_many_arguments)]
fn power_out(
    id: &str,
    name: &str,
    game: &Game,
    labels: Vec<String>,
    quota_text: &[String],
    scales: &[u64],
    report: &PowerReport,
    listing: Option<negotium_voting::Listing>,
) -> InstitutionPower {
    let mut indices = BTreeMap::new();
    let mut exact = BTreeMap::new();
    let mut ci = BTreeMap::new();
    let mut methods = BTreeMap::new();
    for r in &report.results {
        let key = r.index.key().to_string();
        let mut vals = BTreeMap::new();
        let mut fr = BTreeMap::new();
        let mut cis = BTreeMap::new();
        for (l, v) in labels.iter().zip(&r.values) {
            vals.insert(l.clone(), v.value);
            if let Some(e) = &v.exact {
                fr.insert(l.clone(), e.to_string());
            }
            if let Some(c) = v.ci95 {
                cis.insert(l.clone(), c);
            }
        }
        indices.insert(key.clone(), vals);
        if !fr.is_empty() {
            exact.insert(key.clone(), fr);
        }
        if !cis.is_empty() {
            ci.insert(key.clone(), cis);
        }
        methods.insert(key, r.method.describe());
    }
    let names = |v: &[Vec<usize>]| -> Vec<Vec<String>> {
        v.iter()
            .map(|c| c.iter().map(|&i| labels[i].clone()).collect())
            .collect()
    };
    let pta: &PowerValue = &report.power_to_act;
    InstitutionPower {
        institution: id.into(),
        name: name.into(),
        rule: describe_rule(game, &labels, quota_text, scales),
        vetoes: veto_players(game)
            .into_iter()
            .map(|i| labels[i].clone())
            .collect(),
        indices,
        exact,
        ci95: (!ci.is_empty()).then_some(ci),
        methods,
        total_coalitions: Count::of(&report.total_coalitions),
        winning_coalitions: report.winning_coalitions.as_ref().map(Count::of),
        minimal_winning_coalitions: report.minimal_winning_coalitions.as_ref().map(Count::of),
        power_to_act: pta.value,
        power_to_act_exact: pta.exact.as_ref().map(|e| e.to_string()),
        power_to_act_ci95: pta.ci95,
        notes: report.notes.clone(),
        minimal_winning_count: listing.as_ref().map(|l| l.minimal_winning_count),
        minimal_blocking_count: listing.as_ref().map(|l| l.minimal_blocking_count),
        minimal_winning: listing.as_ref().map(|l| names(&l.minimal_winning)),
        minimal_blocking: listing.as_ref().map(|l| names(&l.minimal_blocking)),
        members: labels,
    }
}

/// The veto players of a game: members declared with a veto, and members
/// with a veto in effect — every winning coalition needs them, i.e. all the
/// other members together lose (the game is monotone, so every coalition
/// without such a member loses too). Positions, in member order.
pub fn veto_players(game: &Game) -> Vec<usize> {
    let mut all = vec![true; game.n()];
    (0..game.n())
        .filter(|&i| {
            all[i] = false;
            let needed = game.vetoes()[i] || !game.wins(&all);
            all[i] = true;
            needed
        })
        .collect()
}

/// The scenario's recorded votes, checked.
pub fn recorded_votes(scenario: &negotium_scenario::Scenario) -> Vec<RecordedVoteOut> {
    check_recorded_votes(scenario)
        .into_iter()
        .map(|v| RecordedVoteOut {
            date: v.date,
            title: v.title,
            body: v.body,
            tally: TallyOut {
                yes: v.tally.yes,
                no: v.tally.no,
                abstain: v.tally.abstain,
                absent: v.tally.absent,
            },
            verdict: v.check.as_ref().map(|c| {
                serde_json::to_value(c.verdict)
                    .ok()
                    .and_then(|x| x.as_str().map(str::to_string))
                    .unwrap_or_default()
            }),
            required_yes: v.check.as_ref().and_then(|c| c.required_yes),
            explanation: v.check.as_ref().map(|c| c.explanation.clone()),
        })
        .collect()
}

/// Power of every institution of the scenario with a weighted rule (or
/// only `params.institution`), and its recorded votes.
pub fn run(scenario: &Loaded, params: &PowerParams) -> Result<PowerResult, AnalysisError> {
    let s = &scenario.scenario;
    let insts = &s.inputs.institutions;
    if insts.is_empty() {
        return Err(AnalysisError::input(format!(
            "{} has no [[institution]] section; add one, or use --quota/--weights for a quick game",
            scenario.source_name
        )));
    }
    if let Some(id) = &params.institution {
        if !insts.iter().any(|i| &i.id == id) {
            return Err(AnalysisError::param(
                "institution",
                format!(
                    "unknown institution `{id}`{}; expected one of {}",
                    negotium_suggest::did_you_mean(id, insts.iter().map(|i| i.id.as_str())),
                    insts
                        .iter()
                        .map(|i| i.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    options(params)?;
    let mut out = Vec::new();
    let mut majority_rule_only = Vec::new();
    for sec in insts
        .iter()
        .filter(|i| params.institution.as_ref().is_none_or(|id| &i.id == id))
    {
        let m = sec
            .model()
            .map_err(|e| AnalysisError::input(e.to_string()))?;
        match &m.game {
            Some(g) => {
                let qt: Vec<String> = sec.quota.iter().map(|q| format!("{q}")).collect();
                out.push(institution_power(
                    &m.id,
                    &m.name,
                    g,
                    m.labels.clone(),
                    &qt,
                    &m.scales,
                    params,
                )?)
            }
            None => {
                if let Some(r) = &m.majority {
                    majority_rule_only.push(MajorityOnly {
                        institution: m.id.clone(),
                        name: m.name.clone(),
                        rule: r.describe(),
                    });
                }
            }
        }
    }
    Ok(PowerResult {
        scenario: Some(s.scenario.id.clone()),
        institutions: out,
        majority_rule_only,
        recorded_votes: Some(recorded_votes(s)),
    })
}

/// Power in a weighted game given by quotas and weights (members `m1`, `m2`, …).
pub fn run_game(game: &QuickGame, params: &PowerParams) -> Result<PowerResult, AnalysisError> {
    if game.quota.is_empty() {
        return Err(AnalysisError::param("weights", "needs a quota"));
    }
    if game.weights.len() != game.quota.len() {
        return Err(AnalysisError::param(
            "weights",
            format!(
                "given {} time(s) for {} quota(s); expected one weights list per quota",
                game.weights.len(),
                game.quota.len()
            ),
        ));
    }
    options(params)?;
    let mut quotas = Vec::new();
    let mut scales = Vec::new();
    let mut n = None;
    for (k, (w, &q)) in game.weights.iter().zip(&game.quota).enumerate() {
        let ws: Vec<f64> = w
            .split(',')
            .map(|x| {
                x.trim().parse::<f64>().map_err(|_| {
                    AnalysisError::param(
                        "weights",
                        format!("quota {}: `{x}` is not a number", k + 1),
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        if let Some(n0) = n {
            if n0 != ws.len() {
                return Err(AnalysisError::param(
                    "weights",
                    format!(
                        "quota {} has {} weights but quota 1 has {n0}; expected one weight per member in every list",
                        k + 1,
                        ws.len()
                    ),
                ));
            }
        }
        n = Some(ws.len());
        let (weights, quota, scale) = negotium_voting::scale_to_integers(&ws, q).map_err(|e| {
            AnalysisError::from(e)
                .context(&format!("quota {}", k + 1))
                .with_param("weights")
        })?;
        quotas.push(WeightedQuota { weights, quota });
        scales.push(scale);
    }
    let n = n.unwrap_or(0);
    let mut veto = vec![false; n];
    for &v in &game.veto {
        if v == 0 || v > n {
            return Err(AnalysisError::param(
                "veto",
                format!("member {v} does not exist; expected positions 1..={n}"),
            ));
        }
        veto[v - 1] = true;
    }
    let g = Game::new(quotas, veto, game.min_complement)
        .map_err(|e| AnalysisError::from(e).with_param("quota"))?;
    let labels = (1..=n).map(|i| format!("m{i}")).collect();
    let qt: Vec<String> = game.quota.iter().map(|q| format!("{q}")).collect();
    let p = institution_power("game", "Weighted game", &g, labels, &qt, &scales, params)?;
    Ok(PowerResult {
        scenario: None,
        institutions: vec![p],
        majority_rule_only: Vec::new(),
        recorded_votes: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Veto players by brute force: members in every winning coalition.
    fn brute_vetoes(g: &Game) -> Vec<usize> {
        let n = g.n();
        let winning: Vec<u64> = (0..1u64 << n).filter(|&m| g.wins_mask(m)).collect();
        (0..n)
            .filter(|&i| winning.iter().all(|m| m >> i & 1 == 1))
            .collect()
    }

    #[test]
    fn veto_players_match_a_brute_force_over_random_games() {
        let mut rng = ChaCha8Rng::seed_from_u64(14);
        let mut with_effective = 0;
        for _ in 0..400 {
            let n = rng.random_range(2..=8);
            let weights: Vec<u64> = (0..n).map(|_| rng.random_range(0..=9)).collect();
            let total: u64 = weights.iter().sum();
            if total == 0 {
                continue;
            }
            let quota = rng.random_range(1..=total);
            let veto: Vec<bool> = (0..n).map(|_| rng.random_bool(0.15)).collect();
            let q = negotium_voting::WeightedQuota { weights, quota };
            let Ok(g) = Game::new(vec![q], veto.clone(), None) else {
                continue;
            };
            let got = veto_players(&g);
            assert_eq!(got, brute_vetoes(&g), "{g:?}");
            with_effective += usize::from(got.iter().any(|&i| !veto[i]));
        }
        assert!(
            with_effective > 50,
            "too few games with a veto in effect: {with_effective}"
        );
    }

    #[test]
    fn the_quick_game_of_the_readme_has_five_veto_players_in_effect() {
        let game = QuickGame {
            quota: vec![39.0],
            weights: vec!["7,7,7,7,7,1,1,1,1,1,1,1,1,1,1".into()],
            veto: Vec::new(),
            min_complement: None,
        };
        let r = run_game(&game, &PowerParams::default()).unwrap();
        assert_eq!(r.institutions[0].vetoes, ["m1", "m2", "m3", "m4", "m5"]);
    }
}
