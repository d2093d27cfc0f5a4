//! `negotium conflict`: the strategic conflict (GMCR) lens, for a scenario's
//! `[conflict]` section or a gmcr-py `.gmcr` file.

use clap::Args;
use negotium_analysis::conflict::{self, ConflictModel, ConflictParams};

use super::input_error;

#[derive(Args, Debug)]
pub struct ConflictArgs {
    /// Built-in scenario id, scenario file, or a gmcr-py `.gmcr` file (default: kosovo-status).
    pub scenario: Option<String>,
    /// Stability concepts, comma-separated: nash, gmr, smr, seq, sim, seq_sim.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "nash,gmr,smr,seq,sim,seq_sim"
    )]
    pub concepts: Vec<String>,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Coalition analysis for these DMs joined by `+` (ids or names, e.g. `USA+EU`); repeatable.
    /// Reports the coalitional improvements from each equilibrium.
    #[arg(long)]
    pub coalition: Vec<String>,
    /// gmcr-py's coalition semantics: a partition of all DMs into blocs that act
    /// as one DM, e.g. `USA+EU,SRB,KOS,RUS`; stability is recomputed for the blocs.
    #[arg(long)]
    pub partition: Option<String>,
    /// Status quo: a state number or a formula over option ids (default: the
    /// scenario's `status_quo`). Reports reachable states and legal paths.
    #[arg(long)]
    pub status_quo: Option<String>,
    /// Status-quo analysis by unilateral improvements only.
    #[arg(long)]
    pub improvements_only: bool,
    /// Inverse analysis: the desired state (number or formula).
    #[arg(long)]
    pub inverse: Option<String>,
    /// Window of tie-group positions to permute, `A..B` (1-based, inclusive) for
    /// every DM, or `DM=A..B` for one DM; repeatable.
    #[arg(long)]
    pub vary: Vec<String>,
    /// Count profiles as GMCR+ (gmcr-py) does (its inverse decides GMR/SEQ/SMR by the last improvement).
    #[arg(long)]
    pub inverse_gmcr_py: bool,
    /// gmcr-py's stricter sanctions for 3+ DMs (each opponent moves at most once).
    #[arg(long)]
    pub gmcr_py: bool,
    /// Explain these states (numbers or formulas): why each is or is not stable for every DM.
    #[arg(long)]
    pub explain: Vec<String>,
    /// Limited-move stability L_1..L_H (two DMs only; H at most 1,000, above exits 3).
    #[arg(long)]
    pub limited: Option<usize>,
    /// Show every feasible state in the option-form table, not only equilibria.
    #[arg(long)]
    pub all_states: bool,
    /// How many states the text lists per table or list: `all` or a number
    /// (default 40). Counts are always complete; --json always has every state.
    #[arg(long, value_name = "all|N")]
    pub states: Option<String>,
    /// Memory limit, e.g. 512MiB or 2GiB (default 4GiB): a model whose
    /// estimate is above it is refused before any work (exit 3).
    #[arg(long, value_name = "SIZE")]
    pub max_memory: Option<String>,
}

impl ConflictArgs {
    fn params(&self) -> ConflictParams {
        ConflictParams {
            concepts: self.concepts.clone(),
            coalition: self.coalition.clone(),
            partition: self.partition.clone(),
            status_quo: self.status_quo.clone(),
            improvements_only: self.improvements_only,
            inverse: self.inverse.clone(),
            vary: self.vary.clone(),
            inverse_gmcr_py: self.inverse_gmcr_py,
            gmcr_py: self.gmcr_py,
            explain: self.explain.clone(),
            limited: self.limited,
            all_states: self.all_states,
            states: self.states.clone(),
            max_memory: self.max_memory.clone(),
        }
    }
}

pub fn run(a: ConflictArgs) -> anyhow::Result<()> {
    let model = match a.scenario.as_deref() {
        Some(path) if path.to_ascii_lowercase().ends_with(".gmcr") => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| input_error(format!("cannot read {path}: {e}")))?;
            ConflictModel::from_gmcr(&text, path).map_err(super::lens)?
        }
        arg => ConflictModel::from_scenario(&super::load_scenario(arg)?).map_err(super::lens)?,
    };
    let params = a.params();
    let r = conflict::run_model(&model, &params).map_err(super::lens)?;
    if a.json {
        // Streamed: a million-state result is hundreds of MB of JSON, never
        // held as one string.
        use std::io::Write;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let done = serde_json::to_writer_pretty(&mut out, &r)
            .map_err(std::io::Error::from)
            .and_then(|_| out.write_all(b"\n"))
            .and_then(|_| out.flush());
        return match done {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
            _ => Ok(()),
        };
    }
    super::emit(&negotium_report::conflict::render(&r, &params));
    Ok(())
}
