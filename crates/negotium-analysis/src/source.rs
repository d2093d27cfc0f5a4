//! Where a lens run's input comes from, taken as the command line takes it
//! — a scenario (built-in id, TOML/JSON file, KTAB CSV), a gmcr-py `.gmcr`
//! file (the conflict lens) or a GENIUS domain directory (negotiate, pareto,
//! tournament) — and every lens run on such sources by id, JSON in and JSON
//! out. Front ends that take paths rather than loaded scenarios (the Python
//! package) go through here; scenario-only lenses go on to [`registry::run`].

use std::path::PathBuf;

use negotium_scenario::{Loaded, ScenarioError};
use serde_json::{Map, Value};

use crate::bargaining::BargainingProblem;
use crate::conflict::{self, ConflictModel, ConflictParams};
use crate::negotiate::{self, NegotiateParams};
use crate::pareto::{self, ParetoParams};
use crate::power::{self, PowerParams, QuickGame};
use crate::registry::{self, typed, LensRun};
use crate::tournament::{self, TournamentParams};
use crate::AnalysisError;

/// The scenario every command uses when given none.
pub const DEFAULT_SCENARIO: &str = "kosovo-status";

/// The discretisation of GENIUS `real` issues when the params give none
/// (the `real_points` default of negotiate, pareto and tournament).
pub const DEFAULT_REAL_POINTS: usize = 11;

/// The keys of a quick weighted game in the power lens's params
/// (`negotium power --quota … --weights …`): they make a [`QuickGame`]
/// instead of reading a scenario.
pub const GAME_KEYS: [&str; 4] = ["quota", "weights", "veto", "min_complement"];

/// A loaded input of any kind a command accepts.
#[derive(Debug, Clone)]
pub enum Source {
    /// A validated scenario (built-in, TOML, JSON or KTAB CSV).
    Scenario(Box<Loaded>),
    /// A gmcr-py `.gmcr` model (the conflict lens only).
    Gmcr {
        /// The path as given.
        path: String,
        model: ConflictModel,
    },
    /// A GENIUS domain directory (negotiate, pareto, tournament), loaded with
    /// [`DEFAULT_REAL_POINTS`]; reloaded when a run asks for another value.
    Genius {
        dir: PathBuf,
        problem: BargainingProblem,
    },
}

/// Why a source could not be opened: a scenario problem (with its located
/// diagnostics) or a lens-input problem (a `.gmcr` or GENIUS error).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Lens(#[from] AnalysisError),
}

impl Source {
    /// Opens `arg` as the commands do: a path ending in `.gmcr` is a gmcr-py
    /// model, a GENIUS or GeniusWeb domain folder (or a file of one,
    /// [`BargainingProblem::domain_folder`]) a bargaining problem, anything else a
    /// built-in id or a scenario file ([`negotium_scenario::resolve`]).
    pub fn open(arg: &str) -> Result<Source, SourceError> {
        if arg.to_ascii_lowercase().ends_with(".gmcr") {
            let text = std::fs::read_to_string(arg)
                .map_err(|e| AnalysisError::input(format!("cannot read {arg}: {e}")))?;
            let model = ConflictModel::from_gmcr(&text, arg)?;
            return Ok(Source::Gmcr {
                path: arg.to_string(),
                model,
            });
        }
        if let Some(dir) = BargainingProblem::domain_folder(Some(arg)) {
            let problem = BargainingProblem::from_dir(&dir, DEFAULT_REAL_POINTS)?;
            return Ok(Source::Genius { dir, problem });
        }
        Ok(Source::Scenario(Box::new(negotium_scenario::resolve(arg)?)))
    }

    /// The default scenario ([`DEFAULT_SCENARIO`]).
    pub fn default_scenario() -> Result<Source, SourceError> {
        Source::open(DEFAULT_SCENARIO)
    }

    /// `scenario`, `gmcr` or `genius`.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Scenario(_) => "scenario",
            Source::Gmcr { .. } => "gmcr",
            Source::Genius { .. } => "genius",
        }
    }

    /// Where it was read from (the scenario's source name, or the path).
    pub fn name(&self) -> String {
        match self {
            Source::Scenario(l) => l.source_name.clone(),
            Source::Gmcr { path, .. } => path.clone(),
            Source::Genius { dir, .. } => dir.display().to_string(),
        }
    }

    fn only(&self, lens: &str, what: &str) -> AnalysisError {
        AnalysisError::input(format!(
            "{} is a {what}; the {lens} lens needs a scenario",
            self.name()
        ))
    }

    /// The bargaining problem: a scenario's `[bargaining]` or the GENIUS
    /// domain discretised into `real_points`.
    pub fn problem(
        &self,
        lens: &str,
        real_points: usize,
    ) -> Result<BargainingProblem, AnalysisError> {
        match self {
            Source::Scenario(l) => BargainingProblem::from_scenario(l),
            Source::Genius { problem, .. } if real_points == DEFAULT_REAL_POINTS => {
                Ok(problem.clone())
            }
            Source::Genius { dir, .. } => BargainingProblem::from_genius_dir(dir, real_points),
            Source::Gmcr { .. } => Err(AnalysisError::input(format!(
                "{} is a gmcr-py conflict model; the {lens} lens needs a scenario with a [bargaining] section or a GENIUS domain directory",
                self.name()
            ))),
        }
    }

    fn conflict_model(&self) -> Result<ConflictModel, AnalysisError> {
        match self {
            Source::Scenario(l) => ConflictModel::from_scenario(l),
            Source::Gmcr { model, .. } => Ok(model.clone()),
            Source::Genius { .. } => Err(self.only("conflict", "GENIUS domain directory")),
        }
    }

    /// Why a scenario-only lens cannot run on this source.
    fn not_for(&self, lens: &str) -> AnalysisError {
        match self {
            Source::Gmcr { .. } => self.only(lens, "gmcr-py conflict model"),
            _ => self.only(lens, "GENIUS domain directory"),
        }
    }
}

/// Splits a quick weighted game's keys ([`GAME_KEYS`]) off power params; a
/// single quota or weights list may be given without its array.
fn split_game(params: &Value) -> (Value, Option<Value>) {
    let Value::Object(map) = params else {
        return (params.clone(), None);
    };
    let mut rest = Map::new();
    let mut game = Map::new();
    for (k, v) in map {
        if GAME_KEYS.contains(&k.as_str()) {
            let v = match (k.as_str(), v) {
                ("quota" | "weights" | "veto", x) if !x.is_array() && !x.is_null() => {
                    Value::Array(vec![x.clone()])
                }
                _ => v.clone(),
            };
            if !v.is_null() {
                game.insert(k.clone(), v);
            }
        } else {
            rest.insert(k.clone(), v.clone());
        }
    }
    let game = (!game.is_empty()).then_some(Value::Object(game));
    (Value::Object(rest), game)
}

/// Runs a lens by id on `sources` (empty: the default scenario; several
/// only for the tournament) with JSON params, exactly as the command line
/// runs it on the same arguments; the result as JSON with its seed.
///
/// Beyond [`registry::run`]: `conflict` takes a `.gmcr` model; `negotiate`,
/// `pareto` and `tournament` a GENIUS directory; `tournament` several
/// sources; `power` a quick weighted game given by the params `quota`,
/// `weights`, `veto` and `min_complement` (with no source).
pub fn run(lens: &str, sources: &[&Source], params: &Value) -> Result<LensRun, SourceError> {
    let power_rest;
    let mut params = params;
    if lens == "power" {
        let (rest, game) = split_game(params);
        power_rest = rest;
        params = &power_rest;
        if let Some(game) = game {
            if !sources.is_empty() {
                return Err(AnalysisError::input(
                    "give either a scenario or quota/weights, not both",
                )
                .into());
            }
            let g: QuickGame = registry::parse_params(&game)?;
            return Ok(typed(
                params,
                |p: &PowerParams| Some(p.seed),
                |p| power::run_game(&g, p),
            )?);
        }
    }
    let default;
    let sources: Vec<&Source> = if sources.is_empty() {
        default = Source::default_scenario()?;
        vec![&default]
    } else {
        sources.to_vec()
    };
    if lens == "tournament" {
        return Ok(typed(
            params,
            |p: &TournamentParams| Some(p.seed),
            |p| {
                let problems = sources
                    .iter()
                    .map(|s| s.problem(lens, p.real_points))
                    .collect::<Result<Vec<_>, _>>()?;
                tournament::run_problems(&problems, p, &|_| {})
            },
        )?);
    }
    let [source] = sources[..] else {
        return Err(AnalysisError::input(format!(
            "the {lens} lens takes one source, got {}",
            sources.len()
        ))
        .into());
    };
    Ok(match (lens, source) {
        (_, Source::Scenario(l)) => registry::run(lens, l, params)?,
        ("conflict", s) => typed(
            params,
            |_: &ConflictParams| None,
            |p| conflict::run_model(&s.conflict_model()?, p),
        )?,
        ("negotiate", s) => typed(
            params,
            |p: &NegotiateParams| Some(p.seed),
            |p| negotiate::run_problem(&s.problem(lens, p.real_points)?, p),
        )?,
        ("pareto", s) => typed(
            params,
            |_: &ParetoParams| None,
            |p| pareto::run_problem(&s.problem(lens, p.real_points)?, p),
        )?,
        (_, s) if registry::LENSES.contains(&lens) => return Err(s.not_for(lens).into()),
        (other, _) => return Err(registry::unknown(other).into()),
    })
}

/// The tournament's problems: each source's, discretised into `real_points`
/// (no source: the default scenario's).
fn tournament_problems(
    sources: &[&Source],
    real_points: usize,
) -> Result<Vec<BargainingProblem>, SourceError> {
    if sources.is_empty() {
        let d = Source::default_scenario()?;
        return Ok(vec![d.problem("tournament", real_points)?]);
    }
    Ok(sources
        .iter()
        .map(|s| s.problem("tournament", real_points))
        .collect::<Result<Vec<_>, _>>()?)
}

/// How many negotiations the tournament on `sources` with `params` runs
/// (sharding: [`tournament_block`] takes ranges of `0..count`).
pub fn tournament_jobs(sources: &[&Source], params: &Value) -> Result<usize, SourceError> {
    let p: TournamentParams = registry::parse_params(params)?;
    let problems = tournament_problems(sources, p.real_points)?;
    Ok(tournament::job_count(&problems, &p)?)
}

/// The records (a JSON array, schedule order) of the tournament's
/// negotiations `jobs` ([`tournament::run_block`]).
pub fn tournament_block(
    sources: &[&Source],
    params: &Value,
    jobs: std::ops::Range<usize>,
) -> Result<Value, SourceError> {
    let p: TournamentParams = registry::parse_params(params)?;
    let problems = tournament_problems(sources, p.real_points)?;
    let records = tournament::run_block(&problems, &p, jobs)?;
    serde_json::to_value(records)
        .map_err(|e| AnalysisError::failed(format!("cannot serialise the records: {e}")).into())
}

/// The whole tournament's result (the lens's JSON) from the blocks of
/// [`tournament_block`] (a JSON array of record arrays, any order):
/// equal to [`run_json`]`("tournament", …)` on the same arguments.
pub fn tournament_merge(
    sources: &[&Source],
    params: &Value,
    blocks: Value,
) -> Result<Value, SourceError> {
    let p: TournamentParams = registry::parse_params(params)?;
    let problems = tournament_problems(sources, p.real_points)?;
    let blocks: Vec<Vec<tournament::RecordOut>> = serde_json::from_value(blocks)
        .map_err(|e| AnalysisError::param("blocks", format!("not tournament records: {e}")))?;
    let r = tournament::merge_blocks(&problems, &p, blocks)?;
    serde_json::to_value(r)
        .map_err(|e| AnalysisError::failed(format!("cannot serialise the result: {e}")).into())
}

/// [`run`]'s result alone (the lens's `--json` contract).
pub fn run_json(lens: &str, sources: &[&Source], params: &Value) -> Result<Value, SourceError> {
    run(lens, sources, params).map(|r| r.result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn game_keys_split_off_and_scalars_wrapped() {
        let (rest, game) = split_game(&json!({"quota": 4, "weights": "3,2,1", "seed": 1}));
        assert_eq!(rest, json!({"seed": 1}));
        assert_eq!(game, Some(json!({"quota": [4], "weights": ["3,2,1"]})));
        let (rest, game) = split_game(&json!({"index": "ss"}));
        assert_eq!(rest, json!({"index": "ss"}));
        assert_eq!(game, None);
    }
}
