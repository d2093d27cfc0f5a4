//! `negotium schema LENS [--params]`: the JSON Schema of a lens's result
//! (or of its parameters), as committed under docs/schema/.

use clap::Args;
use negotium_analysis::registry::{self, SchemaOf};

use super::input_error;

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// The lens: forecast, history, conflict, power, vote, negotiate, pareto, tournament or analyze.
    pub lens: String,
    /// The schema of the lens's parameters instead of its result.
    #[arg(long)]
    pub params: bool,
}

pub fn run(a: SchemaArgs) -> anyhow::Result<()> {
    let of = if a.params {
        SchemaOf::Params
    } else {
        SchemaOf::Result
    };
    let schema = registry::schema(&a.lens, of).ok_or_else(|| {
        input_error(format!(
            "unknown lens `{}`{}; expected one of {}",
            a.lens,
            negotium_suggest::did_you_mean(&a.lens, registry::LENSES.iter().copied()),
            registry::LENSES.join(", ")
        ))
    })?;
    super::emit(&format!("{}\n", serde_json::to_string_pretty(&schema)?));
    Ok(())
}
