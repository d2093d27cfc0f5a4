//! The strategic conflict lens (Graph Model for Conflict Resolution): the
//! option form, equilibria per stability concept, per-DM stability, reasons,
//! and the status-quo, coalition, inverse and limited-move analyses, for a
//! scenario's `[conflict]` section or a gmcr-py `.gmcr` model.

use std::collections::BTreeMap;

use negotium_conflict::coalition::{
    coalition_counts, coalition_improvements, coalition_improvements_first, partition_stability,
};
use negotium_conflict::explain::{explain, Verdict};
use negotium_conflict::formula::{parse, OptionNames};
use negotium_conflict::inverse::{inverse, InverseMode};
use negotium_conflict::limited::limited_move;
use negotium_conflict::stability::analysis_bytes;
use negotium_conflict::status_quo::reach;
use negotium_conflict::{
    analyze, BitSet, ConceptResult, Conflict, ConflictSpec, Formula, Reversibility, Semantics, Step,
};
use negotium_scenario::Loaded;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::cap;
use crate::params::{
    comma_list, comma_list_schema, opt_int, opt_text, repeated, repeated_schema, LenientInt,
};
use crate::AnalysisError;

pub use negotium_conflict::Concept;

mod describe;
mod states;

pub use describe::{change_description, state_description};
pub use states::{StateSet, States};

/// A concept's display label (`SEQ&SIM`) from its key (`seq_sim`); the key
/// itself when unknown.
pub fn concept_label(key: &str) -> &str {
    match Concept::parse(key) {
        Some(c) => c.label(),
        None => key,
    }
}

/// Concept keys in GMCR's order (Nash, GMR, SMR, SEQ, SIM, SEQ&SIM);
/// unknown keys last, in their order.
pub fn in_concept_order<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut v: Vec<&str> = keys.into_iter().collect();
    v.sort_by_key(|k| {
        Concept::ALL
            .iter()
            .position(|c| c.key() == *k)
            .unwrap_or(Concept::ALL.len())
    });
    v.dedup();
    v
}

/// Coalition analysis lists every improvement with its path from every
/// equilibrium on models of at most this many states (above, see
/// [`COALITION_LISTED_EQUILIBRIA`]); the counts are always complete.
pub const COALITION_COMPLETE_STATES: usize = 4_096;

/// On larger models, improvements with paths are listed for this many
/// equilibria (the first in state order)…
pub const COALITION_LISTED_EQUILIBRIA: usize = 20;

/// …at most this many each (the first found by a breadth-first search).
pub const COALITION_LISTED_IMPROVEMENTS: usize = 5;

/// The most horizons a limited-move analysis may ask for.
pub const MAX_HORIZON: usize = 1_000;

/// The states the text lists per table or list unless `states` says otherwise.
pub const SHOWN_STATES: usize = 40;

/// How many states the text lists per table or list (`usize::MAX`: all).
pub fn states_shown(p: &ConflictParams) -> Result<usize, AnalysisError> {
    match p.states.as_deref().map(str::trim) {
        None => Ok(SHOWN_STATES),
        Some(t) if t.eq_ignore_ascii_case("all") => Ok(usize::MAX),
        Some(t) => t.parse::<usize>().map_err(|_| {
            AnalysisError::param(
                "states",
                format!("`{t}` is not `all` or a number of states to list"),
            )
        }),
    }
}

/// The memory limit in bytes: `512MiB`, `2GiB`, `1.5GB`, `300MB`, `64KiB`
/// or a plain number of bytes (default 4 GiB).
pub fn max_memory(p: &ConflictParams) -> Result<u64, AnalysisError> {
    let Some(t) = p.max_memory.as_deref().map(str::trim) else {
        return Ok(negotium_conflict::Limits::default().max_bytes);
    };
    let bad = || {
        AnalysisError::param(
            "max_memory",
            format!("`{t}` is not a size; expected e.g. 512MiB, 2GiB, 300MB or a number of bytes"),
        )
    };
    let split = t
        .find(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let x: f64 = num.parse().map_err(|_| bad())?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kib" => 1024.0,
        "kb" => 1e3,
        "m" | "mib" => 1024.0 * 1024.0,
        "mb" => 1e6,
        "g" | "gib" => 1024.0 * 1024.0 * 1024.0,
        "gb" => 1e9,
        _ => return Err(bad()),
    };
    let bytes = x * mult;
    if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
        return Err(bad());
    }
    Ok(bytes as u64)
}

/// Bytes of a result beyond the engine's own: the state table (8 per
/// state), every DM's ranking (8 per state and DM), the stable-state sets
/// (a bit per state, per concept and DM plus the equilibria) and the
/// status quo's reachable set.
pub fn result_bytes(states: u64, dms: usize, concepts: usize) -> u64 {
    let sets = (concepts as u64 * (dms as u64 + 1) + 1) * states.div_ceil(8);
    8 * states + 8 * states * dms as u64 + sets
}

/// The status-quo paths the text report shows (the JSON has them all).
pub const SHOWN_PATHS: usize = 25;

/// Parameters of `negotium conflict`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ConflictParams {
    /// Stability concepts: nash, gmr, smr, seq, sim, seq_sim (empty: all six).
    #[serde(deserialize_with = "comma_list")]
    #[schemars(schema_with = "comma_list_schema")]
    pub concepts: Vec<String>,
    /// Coalition analysis for these DMs joined by `+` (ids or names, e.g.
    /// `USA+EU`), one item per coalition: the coalitional improvements from
    /// each equilibrium.
    #[serde(deserialize_with = "repeated")]
    #[schemars(schema_with = "repeated_schema")]
    pub coalition: Vec<String>,
    /// gmcr-py's coalition semantics: a partition of all DMs into blocs that
    /// act as one DM, e.g. `USA+EU,SRB,KOS,RUS`; stability is recomputed for
    /// the blocs.
    #[serde(deserialize_with = "opt_text")]
    pub partition: Option<String>,
    /// Status quo: a state number or a formula over option ids (default: the
    /// scenario's `status_quo`). Reports reachable states and legal paths.
    #[serde(deserialize_with = "opt_text")]
    pub status_quo: Option<String>,
    /// Status-quo analysis by unilateral improvements only.
    pub improvements_only: bool,
    /// Inverse analysis: the desired state (number or formula).
    #[serde(deserialize_with = "opt_text")]
    pub inverse: Option<String>,
    /// Window of tie-group positions to permute, `A..B` (1-based, inclusive)
    /// for every DM, or `DM=A..B` for one DM; one item per window.
    #[serde(deserialize_with = "repeated")]
    #[schemars(schema_with = "repeated_schema")]
    pub vary: Vec<String>,
    /// Count profiles as GMCR+ (gmcr-py) does (its inverse decides
    /// GMR/SEQ/SMR by the last improvement).
    pub inverse_gmcr_py: bool,
    /// gmcr-py's stricter sanctions for 3+ DMs (each opponent moves at most once).
    pub gmcr_py: bool,
    /// Explain these states (numbers or formulas): why each is or is not
    /// stable for every DM.
    #[serde(deserialize_with = "repeated")]
    #[schemars(schema_with = "repeated_schema")]
    pub explain: Vec<String>,
    /// Limited-move stability L_1..L_H (two DMs only; H from 1 to 1000).
    #[serde(deserialize_with = "opt_int")]
    #[schemars(with = "Option<LenientInt>", range(min = 1, max = 1000))]
    pub limited: Option<usize>,
    /// Show every feasible state in the option-form table, not only
    /// equilibria (text output only).
    pub all_states: bool,
    /// How many states the text lists in each table or list: `all` or a
    /// number (default 40); counts are always complete, and the JSON always
    /// has every state.
    #[serde(deserialize_with = "opt_text")]
    pub states: Option<String>,
    /// Memory limit for the analysis and its results, e.g. `512MiB`, `2GiB`
    /// or a number of bytes (default 4 GiB): a model whose estimate is
    /// above it is refused before any work.
    #[serde(deserialize_with = "opt_text")]
    pub max_memory: Option<String>,
}

impl Default for ConflictParams {
    fn default() -> Self {
        ConflictParams {
            concepts: Concept::ALL.iter().map(|c| c.key().to_string()).collect(),
            coalition: Vec::new(),
            partition: None,
            status_quo: None,
            improvements_only: false,
            inverse: None,
            vary: Vec::new(),
            inverse_gmcr_py: false,
            gmcr_py: false,
            explain: Vec::new(),
            limited: None,
            all_states: false,
            states: None,
            max_memory: None,
        }
    }
}

/// A decision maker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DmOut {
    pub id: String,
    pub name: String,
    /// Its options' numbers (1-based, DM-grouped order).
    pub options: Vec<usize>,
    /// Its preference ranking: state numbers, most preferred group first;
    /// states in one group are tied.
    pub ranking: Vec<Vec<usize>>,
}

/// An option, numbered in DM-grouped order (bit `number − 1` of a state's
/// decimal code).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OptionOut {
    pub number: usize,
    pub id: String,
    pub name: String,
    /// The name of the DM who controls it.
    pub dm: String,
    /// `both`, `take-only` or `drop-only`.
    #[schemars(with = "String")]
    pub reversibility: Reversibility,
}

/// A feasible state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StateOut {
    /// GMCR state number (1-based, in code order).
    pub number: usize,
    /// Σ 2^k over the options taken.
    pub decimal: u64,
    /// Y/N per option, option 1 first.
    pub pattern: String,
}

/// The recorded historical end state and the concepts under which it is stable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Historical {
    pub state: usize,
    pub pattern: String,
    /// The state in words: each DM's options taken ([`state_description`]).
    pub description: String,
    pub equilibrium_under: Vec<String>,
}

/// Why one state is or is not stable for one DM under one concept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Explanation {
    pub state: usize,
    /// The DM's name.
    pub dm: String,
    pub concept: String,
    pub stable: bool,
    /// The reasons in words, one line per improvement.
    pub reason: String,
    /// Each unilateral improvement of the DM from the state, and what
    /// deters it under this concept (if anything).
    pub improvements: Vec<VerdictOut>,
}

/// What happens to one unilateral improvement under one concept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VerdictOut {
    /// The state the improvement leads to.
    pub to: usize,
    /// A sanction that deters it: the opponents' moves from `to`, ending in
    /// a state the DM likes no more than the explained state (`null`: none,
    /// so the improvement is not deterred; always `null` under Nash).
    pub sanction: Option<Vec<StepOut>>,
    /// The sanction is one simultaneous move of several opponents (SIM): its
    /// single step names them joined by `+`.
    pub simultaneous: bool,
    /// SMR: a sanction that exists but that the DM escapes, and the state it
    /// escapes to (preferred to the explained state).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escape: Option<Escape>,
}

/// An escaped sanction (SMR).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Escape {
    pub sanction: Vec<StepOut>,
    /// Where the DM moves on to.
    pub to: usize,
}

/// An explained state: what it is and every DM's moves from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ExplainedState {
    pub state: usize,
    pub pattern: String,
    /// The state in words ([`state_description`]).
    pub description: String,
    /// The concepts (keys) under which it is an equilibrium.
    pub equilibrium_under: Vec<String>,
    /// Per DM, in DM order.
    pub moves: Vec<DmMoves>,
}

/// One DM's moves from an explained state, by how it likes their targets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DmMoves {
    /// The DM's name.
    pub dm: String,
    /// Moves to states it prefers (its unilateral improvements).
    pub better: Vec<usize>,
    /// Moves to states it likes as much.
    pub equal: Vec<usize>,
    /// Moves to states it likes less.
    pub worse: Vec<usize>,
}

/// One move of a path: the DM (by name) and the state it moves to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StepOut {
    pub dm: String,
    pub state: usize,
}

/// A legal path from the status quo to a target (`steps: null`: unreachable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PathOut {
    pub to: usize,
    pub steps: Option<Vec<StepOut>>,
}

/// One move of some path, as a graph edge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub dm: String,
}

/// Reachability from the status quo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StatusQuo {
    pub start: usize,
    pub pattern: String,
    /// The start in words ([`state_description`]).
    pub description: String,
    pub improvements_only: bool,
    /// Every state reachable by legal move sequences.
    #[schemars(with = "Vec<usize>")]
    pub reachable: StateSet,
    /// Paths to the states that are equilibria under every concept (or, if
    /// none is, under any) and to the historical end state.
    pub paths: Vec<PathOut>,
    /// The moves of those paths.
    pub edges: Vec<Edge>,
}

/// A coalitional improvement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Improvement {
    pub to: usize,
    pub path: Vec<StepOut>,
}

/// The coalitional improvements from one equilibrium.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FromEquilibrium {
    pub equilibrium: usize,
    /// How many coalitional improvements there are from it (0: the
    /// equilibrium is coalition-stable).
    pub count: usize,
    /// Improvements with a shortest legal path: all of them on models of at
    /// most 4,096 states; on larger ones the first 5 (in breadth-first
    /// order) from each of the first 20 equilibria, none from the others.
    pub improvements: Vec<Improvement>,
}

/// One coalition's analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoalitionOut {
    /// The concept whose equilibria are the starting points (Nash if asked).
    pub concept: String,
    pub from_equilibria: Vec<FromEquilibrium>,
}

/// Stability of a partition of the DMs into blocs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PartitionOut {
    /// Each bloc's DM names joined by `+`.
    pub blocs: Vec<String>,
    /// Equilibria per concept (SEQ&SIM: SEQ- or SIM-stable for every bloc).
    pub equilibria: BTreeMap<String, Vec<usize>>,
}

/// The tie-group window varied for one DM (`null`: not varied).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Window {
    pub dm: String,
    /// First position (1-based).
    pub from: Option<usize>,
    /// Last position (inclusive).
    pub to: Option<usize>,
}

/// Inverse analysis: how many preference profiles make a state stable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct InverseOut {
    pub state: usize,
    pub profiles: u64,
    /// `textbook` or `gmcr-py`.
    pub mode: String,
    pub windows: Vec<Window>,
    /// Profiles under which the state is an equilibrium, per concept.
    pub counts: BTreeMap<String, u64>,
}

/// Limited-move equilibria at one horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Horizon {
    pub horizon: usize,
    pub equilibria: Vec<usize>,
}

/// The conflict lens's result (the `conflict --json` contract). State
/// numbers are GMCR's (1-based); DMs are named by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConflictResult {
    /// The scenario id or the `.gmcr` file.
    pub title: String,
    /// `textbook` or `gmcr-py` sanction semantics.
    pub semantics: String,
    pub dms: Vec<DmOut>,
    pub options: Vec<OptionOut>,
    /// Every feasible state, in GMCR order.
    #[schemars(with = "Vec<StateOut>")]
    pub states: States,
    /// Per concept, per DM name: the states stable for that DM.
    #[schemars(with = "BTreeMap<String, BTreeMap<String, Vec<usize>>>")]
    pub stability: BTreeMap<String, BTreeMap<String, StateSet>>,
    /// Per concept: the states stable for every DM.
    #[schemars(with = "BTreeMap<String, Vec<usize>>")]
    pub equilibria: BTreeMap<String, StateSet>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub historical: Option<Historical>,
    /// For the status quo, the historical end state and the states asked
    /// for: per state, concept and DM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanations: Option<Vec<Explanation>>,
    /// The same states (status quo, historical end state, asked for): what
    /// each is in words and every DM's moves from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explained: Option<Vec<ExplainedState>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_quo: Option<StatusQuo>,
    /// Per coalition (DM names joined by `+`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coalitions: Option<BTreeMap<String, CoalitionOut>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<PartitionOut>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inverse: Option<InverseOut>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limited_move: Option<Vec<Horizon>>,
}

/// A conflict model and the names that go with it.
#[derive(Debug, Clone)]
pub struct ConflictModel {
    /// The scenario id or the file name.
    pub title: String,
    pub spec: ConflictSpec,
    /// The scenario's status quo, if it names one.
    pub status_quo: Option<Formula>,
    /// The scenario's historical end state, if it names one.
    pub historical: Option<Formula>,
    /// Where the model comes from, to prefix build errors with (e.g.
    /// `kosovo-status.toml (built-in): [conflict]` or the `.gmcr` path).
    pub source: String,
}

impl ConflictModel {
    /// The model of a scenario's `[conflict]` section.
    pub fn from_scenario(loaded: &Loaded) -> Result<ConflictModel, AnalysisError> {
        let sc = &loaded.scenario;
        let Some(sec) = &sc.inputs.conflict else {
            return Err(AnalysisError::input(format!(
                "{} has no [conflict] section; add one (see docs/conflict.md) or pass a .gmcr file",
                loaded.source_name
            )));
        };
        let input = sec
            .to_input()
            .map_err(|e| AnalysisError::input(format!("{}: {e}", loaded.source_name)))?;
        Ok(ConflictModel {
            title: sc.scenario.id.clone(),
            spec: input.spec,
            status_quo: input.status_quo,
            historical: input.historical,
            source: format!("{}: [conflict]", loaded.source_name),
        })
    }

    /// The model of a gmcr-py `.gmcr` file's text; `file` names it in
    /// messages and becomes the title.
    pub fn from_gmcr(text: &str, file: &str) -> Result<ConflictModel, AnalysisError> {
        let m = negotium_scenario::gmcr::parse_gmcr(text, file)
            .map_err(|e| AnalysisError::input(e.to_string()))?;
        Ok(ConflictModel {
            title: file.to_string(),
            spec: m.spec,
            status_quo: None,
            historical: None,
            source: file.to_string(),
        })
    }

    /// Builds the conflict (size limits are checked here, before any work).
    pub fn build(&self) -> Result<Conflict, AnalysisError> {
        Conflict::build(&self.spec).map_err(|e| AnalysisError::from(e).context(&self.source))
    }

    /// Builds the conflict under a memory limit of `max_bytes` (checked
    /// from the sizes alone, before any state is stored).
    /// `concepts` is how many concepts the result will hold: the result's
    /// own per-state bytes ([`result_bytes`]) count too.
    pub fn build_limited(
        &self,
        max_bytes: u64,
        concepts: usize,
    ) -> Result<Conflict, AnalysisError> {
        let per_state = result_bytes(1 << 20, self.spec.dms.len(), concepts).div_ceil(1 << 20);
        let limits = negotium_conflict::Limits {
            max_bytes,
            caller_bytes_per_state: per_state,
            ..Default::default()
        };
        Conflict::build_with(&self.spec, limits)
            .map_err(|e| AnalysisError::from(e).context(&self.source))
    }
}

/// The stability concepts of the parameters, in their order.
pub fn concepts(p: &ConflictParams) -> Result<Vec<Concept>, AnalysisError> {
    if p.concepts.is_empty() {
        return Ok(Concept::ALL.to_vec());
    }
    p.concepts
        .iter()
        .map(|k| {
            Concept::parse(k).ok_or_else(|| {
                AnalysisError::param(
                    "concepts",
                    format!(
                        "unknown concept `{k}`{}; expected nash, gmr, smr, seq, sim or seq_sim",
                        negotium_suggest::did_you_mean(
                            k,
                            ["nash", "gmr", "smr", "seq", "sim", "seq_sim"]
                        )
                    ),
                )
            })
        })
        .collect()
}

/// The concepts of an inverse analysis, in order: GMCR+ counting has no
/// SIM or SEQ&SIM.
pub fn inverse_concepts(p: &ConflictParams, cs: &[Concept]) -> Vec<Concept> {
    cs.iter()
        .copied()
        .filter(|k| !matches!(k, Concept::Sim | Concept::SeqSim) || !p.inverse_gmcr_py)
        .collect()
}

/// Runs the analyses the parameters ask for on a scenario's `[conflict]`.
pub fn run(scenario: &Loaded, params: &ConflictParams) -> Result<ConflictResult, AnalysisError> {
    run_model(&ConflictModel::from_scenario(scenario)?, params)
}

/// Runs the analyses on any conflict model (e.g. a `.gmcr` file's).
pub fn run_model(
    model: &ConflictModel,
    params: &ConflictParams,
) -> Result<ConflictResult, AnalysisError> {
    states_shown(params)?;
    let cs = concepts(params)?;
    let c = model.build_limited(max_memory(params)?, cs.len())?;
    run_built(model, &c, params)
}

fn numbers(b: &BitSet) -> Vec<usize> {
    b.iter().map(|s| s + 1).collect()
}

fn set(b: &BitSet) -> StateSet {
    StateSet::from_indices(b.iter())
}

fn steps_out(c: &Conflict, p: &[Step]) -> Vec<StepOut> {
    p.iter()
        .map(|s| StepOut {
            dm: c.dms()[s.dm].name.clone(),
            state: s.state + 1,
        })
        .collect()
}

/// A state given as a number or a formula naming exactly one state.
fn state_arg(
    model: &ConflictModel,
    c: &Conflict,
    text: &str,
    param: &str,
) -> Result<usize, AnalysisError> {
    if let Ok(n) = text.trim().parse::<usize>() {
        return c
            .state_by_number(n)
            .map_err(|e| AnalysisError::param(param, e.to_string()));
    }
    let ids = model.spec.option_ids();
    let grouped = model.spec.grouped_order();
    let opt_names = model.spec.option_names();
    let f = parse(
        text,
        &OptionNames {
            ids: &ids,
            names: &opt_names,
            grouped: &grouped,
        },
    )
    .map_err(|e| AnalysisError::param(param, e.to_string()))?;
    single_state(c, &f).map_err(|e| AnalysisError::param(param, e))
}

fn single_state(c: &Conflict, f: &Formula) -> Result<usize, String> {
    let v = c.states_matching(f);
    match v.as_slice() {
        [s] => Ok(*s),
        _ => Err(format!(
            "the formula names {} feasible states; expected exactly one",
            v.len()
        )),
    }
}

fn dm_list(c: &Conflict, text: &str, param: &str) -> Result<Vec<usize>, AnalysisError> {
    text.split('+')
        .map(|t| {
            c.dm_index(t).map_err(|e| {
                AnalysisError::param(
                    param,
                    format!(
                        "{e}; expected ids or names of: {}",
                        c.dms()
                            .iter()
                            .map(|d| d.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
        })
        .collect()
}

/// The key of a coalition argument (`USA+EU`) in [`ConflictResult::coalitions`]:
/// its DMs' names joined by `+`, resolved like the engine does (id or name,
/// any case, or a 1-based number).
pub fn coalition_key(result: &ConflictResult, arg: &str) -> Option<String> {
    arg.split('+')
        .map(|t| {
            let k = t.trim();
            result
                .dms
                .iter()
                .find(|d| d.id.eq_ignore_ascii_case(k) || d.name.eq_ignore_ascii_case(k))
                .or_else(|| {
                    k.parse::<usize>()
                        .ok()
                        .filter(|&n| n >= 1)
                        .and_then(|n| result.dms.get(n - 1))
                })
                .map(|d| d.name.clone())
        })
        .collect::<Option<Vec<_>>>()
        .map(|v| v.join("+"))
}

fn run_built(
    model: &ConflictModel,
    c: &Conflict,
    a: &ConflictParams,
) -> Result<ConflictResult, AnalysisError> {
    cap("limited", a.limited.unwrap_or(0) as u64, MAX_HORIZON as u64)?;
    let sem = if a.gmcr_py {
        Semantics::GmcrPy
    } else {
        Semantics::Textbook
    };
    let cs = concepts(a)?;
    // The analysis and the result it becomes, against the limit, before work.
    let extra = analysis_bytes(c, &cs, sem).saturating_add(result_bytes(
        c.len() as u64,
        c.n_dms(),
        cs.len(),
    ));
    c.check_memory(
        &format!(
            "analysing {} concepts for {} DMs and keeping the results",
            cs.len(),
            c.n_dms()
        ),
        extra,
        "add infeasibility patterns, use fewer options or concepts, or raise --max-memory",
    )?;
    let results = analyze(c, &cs, sem)?;
    let mut out = base(model, c, &results, a.gmcr_py);

    // Named states: status quo and historical end state.
    let sq = match &a.status_quo {
        Some(t) => Some(state_arg(model, c, t, "status_quo")?),
        None => model
            .status_quo
            .as_ref()
            .and_then(|f| single_state(c, f).ok()),
    };
    let hist = model
        .historical
        .as_ref()
        .and_then(|f| single_state(c, f).ok());
    let mut to_explain: Vec<usize> = Vec::new();
    if let Some(h) = hist {
        to_explain.push(h);
        out.historical = Some(historical(&out, c, &results, h));
    }
    for t in &a.explain {
        let s = state_arg(model, c, t, "explain")?;
        if !to_explain.contains(&s) {
            to_explain.push(s);
        }
    }
    if let Some(s0) = sq {
        if !to_explain.contains(&s0) {
            to_explain.insert(0, s0);
        }
    }
    let mut expl = Vec::new();
    let mut explained = Vec::new();
    for &s in &to_explain {
        for r in &results {
            for i in 0..c.n_dms() {
                let n = explain(c, i, s, r.concept, sem)?;
                expl.push(Explanation {
                    state: s + 1,
                    dm: c.dms()[i].name.clone(),
                    concept: r.concept.key().to_string(),
                    stable: n.stable,
                    reason: n.text(c),
                    improvements: n.improvements.iter().map(|v| verdict(c, i, v)).collect(),
                });
            }
        }
        explained.push(explained_state(&out, c, &results, s));
    }
    if !expl.is_empty() {
        out.explanations = Some(expl);
        out.explained = Some(explained);
    }
    if let Some(s0) = sq {
        out.status_quo = Some(status_quo(&out, c, &results, s0, a.improvements_only, hist));
    }
    for co in &a.coalition {
        let h = dm_list(c, co, "coalition")?;
        let base = results
            .iter()
            .find(|r| r.concept == Concept::Nash)
            .unwrap_or(&results[0]);
        let names: Vec<&str> = h.iter().map(|&k| c.dms()[k].name.as_str()).collect();
        let eq = base.equilibria.to_vec();
        let counts = coalition_counts(c, &h, &eq)
            .map_err(|e| AnalysisError::from(e).with_param("coalition"))?;
        let complete = c.len() <= COALITION_COMPLETE_STATES;
        let improvements = |moves: Vec<negotium_conflict::coalition::CoalitionMove>| {
            moves
                .iter()
                .map(|m| Improvement {
                    to: m.to + 1,
                    path: steps_out(c, &m.path),
                })
                .collect::<Vec<_>>()
        };
        let from_equilibria = eq
            .iter()
            .zip(counts)
            .enumerate()
            .map(|(k, (&s, count))| FromEquilibrium {
                equilibrium: s + 1,
                count,
                improvements: if complete {
                    improvements(coalition_improvements(c, &h, s))
                } else if k < COALITION_LISTED_EQUILIBRIA && count > 0 {
                    improvements(coalition_improvements_first(
                        c,
                        &h,
                        s,
                        COALITION_LISTED_IMPROVEMENTS,
                    ))
                } else {
                    Vec::new()
                },
            })
            .collect();
        out.coalitions.get_or_insert_with(BTreeMap::new).insert(
            names.join("+"),
            CoalitionOut {
                concept: base.concept.key().to_string(),
                from_equilibria,
            },
        );
    }
    if let Some(p) = &a.partition {
        let blocs = p
            .split(',')
            .map(|b| dm_list(c, b, "partition"))
            .collect::<Result<Vec<_>, _>>()?;
        let label = |b: &Vec<usize>| {
            b.iter()
                .map(|&k| c.dms()[k].name.clone())
                .collect::<Vec<_>>()
                .join("+")
        };
        let mut eq = BTreeMap::new();
        for &k in &cs {
            let (_, e) = partition_stability(c, &blocs, k)
                .map_err(|e| AnalysisError::from(e).with_param("partition"))?;
            eq.insert(k.key().to_string(), numbers(&e));
        }
        out.partition = Some(PartitionOut {
            blocs: blocs.iter().map(label).collect(),
            equilibria: eq,
        });
    }
    if let Some(t) = &a.inverse {
        let s = state_arg(model, c, t, "inverse")?;
        let mut windows = vec![None; c.n_dms()];
        if a.vary.is_empty() {
            return Err(AnalysisError::param(
                "inverse",
                "needs `vary` (A..B or DM=A..B) to say which ranking positions to permute",
            ));
        }
        for v in &a.vary {
            let (who, range) = match v.split_once('=') {
                Some((d, r)) => (
                    Some(
                        c.dm_index(d)
                            .map_err(|e| AnalysisError::param("vary", e.to_string()))?,
                    ),
                    r,
                ),
                None => (None, v.as_str()),
            };
            let (x, y) = range
                .split_once("..")
                .and_then(|(x, y)| Some((x.trim().parse::<usize>().ok()?, y.trim().parse::<usize>().ok()?)))
                .filter(|(x, y)| *x >= 1 && y >= x)
                .ok_or_else(|| {
                    AnalysisError::param(
                        "vary",
                        format!("`{v}` is not A..B with 1 ≤ A ≤ B (1-based tie-group positions, inclusive)"),
                    )
                })?;
            for (i, w) in windows.iter_mut().enumerate() {
                if who.is_none_or(|d| d == i) {
                    let g = c.ranking(i).len();
                    *w = Some((x - 1, y.min(g)));
                }
            }
        }
        let mode = if a.inverse_gmcr_py {
            InverseMode::GmcrPy
        } else {
            InverseMode::Textbook
        };
        let r = inverse(c, s, &windows, &inverse_concepts(a, &cs), sem, mode)
            .map_err(|e| AnalysisError::from(e).with_param("inverse"))?;
        out.inverse = Some(InverseOut {
            state: s + 1,
            profiles: r.profiles,
            mode: if a.inverse_gmcr_py {
                "gmcr-py"
            } else {
                "textbook"
            }
            .to_string(),
            windows: r
                .windows
                .iter()
                .enumerate()
                .map(|(i, w)| Window {
                    dm: c.dms()[i].name.clone(),
                    from: w.map(|x| x.0 + 1),
                    to: w.map(|x| x.1),
                })
                .collect(),
            counts: r
                .counts
                .iter()
                .map(|(k, n)| (k.key().to_string(), *n))
                .collect(),
        });
    }
    if let Some(h) = a.limited {
        if h == 0 {
            return Err(AnalysisError::param(
                "limited",
                "expected a horizon of at least 1",
            ));
        }
        let lm = limited_move(c, h).map_err(|e| AnalysisError::from(e).with_param("limited"))?;
        out.limited_move = Some(
            lm.iter()
                .map(|r| Horizon {
                    horizon: r.horizon,
                    equilibria: numbers(&r.equilibria),
                })
                .collect(),
        );
    }
    Ok(out)
}

fn base(
    model: &ConflictModel,
    c: &Conflict,
    results: &[ConceptResult],
    gmcr_py: bool,
) -> ConflictResult {
    let dms = c
        .dms()
        .iter()
        .enumerate()
        .map(|(i, d)| DmOut {
            id: d.id.clone(),
            name: d.name.clone(),
            options: d.options.iter().map(|b| b + 1).collect(),
            ranking: c.ranking(i),
        })
        .collect();
    let options = c
        .options()
        .iter()
        .enumerate()
        .map(|(k, o)| OptionOut {
            number: k + 1,
            id: o.id.clone(),
            name: o.name.clone(),
            dm: c.dms()[o.dm].name.clone(),
            reversibility: o.reversibility,
        })
        .collect();
    let states = States::new(c.options().len(), (0..c.len()).map(|s| c.code(s)).collect());
    let mut stability = BTreeMap::new();
    let mut equilibria = BTreeMap::new();
    for r in results {
        let per = r
            .per_dm
            .iter()
            .enumerate()
            .map(|(i, b)| (c.dms()[i].name.clone(), set(b)))
            .collect();
        stability.insert(r.concept.key().to_string(), per);
        equilibria.insert(r.concept.key().to_string(), set(&r.equilibria));
    }
    ConflictResult {
        title: model.title.clone(),
        semantics: if gmcr_py { "gmcr-py" } else { "textbook" }.to_string(),
        dms,
        options,
        states,
        stability,
        equilibria,
        historical: None,
        explanations: None,
        explained: None,
        status_quo: None,
        coalitions: None,
        partition: None,
        inverse: None,
        limited_move: None,
    }
}

fn equilibrium_under(results: &[ConceptResult], s: usize) -> Vec<String> {
    results
        .iter()
        .filter(|r| r.equilibria.contains(s))
        .map(|r| r.concept.key().to_string())
        .collect()
}

fn historical(
    out: &ConflictResult,
    c: &Conflict,
    results: &[ConceptResult],
    h: usize,
) -> Historical {
    Historical {
        state: h + 1,
        pattern: c.pattern(h),
        description: state_description(out, h + 1),
        equilibrium_under: equilibrium_under(results, h),
    }
}

/// A state's description and every DM's moves from it.
fn explained_state(
    out: &ConflictResult,
    c: &Conflict,
    results: &[ConceptResult],
    s: usize,
) -> ExplainedState {
    let moves = (0..c.n_dms())
        .map(|i| {
            let mut to = c.moves(i, s);
            to.sort_unstable();
            let p = c.payoff(i, s);
            let pick = |f: &dyn Fn(u32) -> bool| -> Vec<usize> {
                to.iter()
                    .filter(|&&t| f(c.payoff(i, t)))
                    .map(|t| t + 1)
                    .collect()
            };
            DmMoves {
                dm: c.dms()[i].name.clone(),
                better: pick(&|q| q > p),
                equal: pick(&|q| q == p),
                worse: pick(&|q| q < p),
            }
        })
        .collect();
    ExplainedState {
        state: s + 1,
        pattern: c.pattern(s),
        description: state_description(out, s + 1),
        equilibrium_under: equilibrium_under(results, s),
        moves,
    }
}

/// An engine verdict in the contract's terms; a simultaneous sanction (SIM)
/// names the focal DM's opponents.
fn verdict(c: &Conflict, dm: usize, v: &Verdict) -> VerdictOut {
    let simultaneous = v
        .sanction
        .as_ref()
        .is_some_and(|p| p.iter().any(|st| st.dm == usize::MAX));
    let opponents = || {
        (0..c.n_dms())
            .filter(|&j| j != dm)
            .map(|j| c.dms()[j].name.as_str())
            .collect::<Vec<_>>()
            .join("+")
    };
    let steps = |p: &[Step]| -> Vec<StepOut> {
        p.iter()
            .map(|st| StepOut {
                dm: if st.dm == usize::MAX {
                    opponents()
                } else {
                    c.dms()[st.dm].name.clone()
                },
                state: st.state + 1,
            })
            .collect()
    };
    VerdictOut {
        to: v.target + 1,
        sanction: v.sanction.as_deref().map(steps),
        simultaneous,
        escape: v.escaped.as_ref().map(|(p, e)| Escape {
            sanction: steps(p),
            to: e + 1,
        }),
    }
}

fn status_quo(
    out: &ConflictResult,
    c: &Conflict,
    results: &[ConceptResult],
    s0: usize,
    ui_only: bool,
    hist: Option<usize>,
) -> StatusQuo {
    let r = reach(c, s0, ui_only);
    // Paths to the states that are equilibria under every concept shown (or,
    // if none is, under any), and to the historical end state.
    let mut targets: Vec<usize> = (0..c.len())
        .filter(|&s| results.iter().all(|x| x.equilibria.contains(s)))
        .collect();
    if targets.is_empty() {
        targets = results.iter().flat_map(|x| x.equilibria.iter()).collect();
    }
    if let Some(h) = hist {
        targets.push(h);
    }
    targets.sort_unstable();
    targets.dedup();
    let mut paths = Vec::new();
    let mut edges = Vec::new();
    for &t in &targets {
        match r.path(t) {
            Some(p) => {
                let mut prev = s0;
                for st in &p {
                    edges.push(Edge {
                        from: prev + 1,
                        to: st.state + 1,
                        dm: c.dms()[st.dm].name.clone(),
                    });
                    prev = st.state;
                }
                paths.push(PathOut {
                    to: t + 1,
                    steps: Some(steps_out(c, &p)),
                });
            }
            None => paths.push(PathOut {
                to: t + 1,
                steps: None,
            }),
        }
    }
    StatusQuo {
        start: s0 + 1,
        pattern: c.pattern(s0),
        description: state_description(out, s0 + 1),
        improvements_only: ui_only,
        reachable: StateSet::from_indices((0..c.len()).filter(|&s| r.reachable(s))),
        paths,
        edges,
    }
}
