//! `negotium power` and `negotium vote`: the institutions and voting lens.

use clap::Args;
use negotium_analysis::power::{self, PowerParams, QuickGame};
use negotium_analysis::vote::{self, VoteParams};

use super::input_error;

#[derive(Args, Debug, Clone)]
pub struct PowerArgs {
    /// Built-in scenario id or scenario file (default: kosovo-status).
    pub scenario: Option<String>,
    /// Only this institution (its id).
    #[arg(long)]
    pub institution: Option<String>,
    /// Indices, comma-separated: shapley_shubik (ss), banzhaf (bz), banzhaf_absolute (pbi),
    /// holler (pgi), deegan_packel (dp), johnston (j), coleman_prevent (cp), coleman_initiate (ci).
    #[arg(long, value_delimiter = ',')]
    pub index: Vec<String>,
    /// Print exact fractions (e.g. 421/2145) instead of decimals.
    #[arg(long)]
    pub exact_fractions: bool,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// A quick weighted game without a file: the quota (comma-separated for several quotas).
    #[arg(long, value_delimiter = ',')]
    pub quota: Vec<f64>,
    /// The members' weights, comma-separated; repeat once per quota.
    #[arg(long)]
    pub weights: Vec<String>,
    /// For --quota: members (1-based positions) holding a veto, comma-separated.
    #[arg(long, value_delimiter = ',')]
    pub veto: Vec<usize>,
    /// For --quota: a coalition also wins when fewer than K members are outside it.
    #[arg(long)]
    pub min_complement: Option<u32>,
    /// auto (exact where feasible, else Monte Carlo, said so), exact, enumerate, monte-carlo.
    #[arg(long, default_value = "auto")]
    pub method: String,
    /// Monte Carlo samples (orderings and coalitions each; at most
    /// 100,000,000, above exits 3).
    #[arg(long, default_value_t = 200_000)]
    pub samples: u64,
    /// Monte Carlo seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// List minimal winning / blocking coalitions when there are at most this
    /// many (at most 100,000; above exits 3).
    #[arg(long, default_value_t = 12)]
    pub list_limit: usize,
}

#[derive(Args, Debug, Clone)]
pub struct VoteArgs {
    /// Built-in scenario id or scenario file (default: kosovo-status).
    pub scenario: Option<String>,
    /// The institution voting (its id; default: the first with a weighted rule).
    #[arg(long)]
    pub institution: Option<String>,
    /// The issue the proposal concerns.
    #[arg(long, default_value = "status")]
    pub issue: String,
    /// The proposal: a point of the issue's scale.
    #[arg(long)]
    pub proposal: f64,
    /// Status quo to compare against (default: the issue's `status_quo`).
    #[arg(long)]
    pub status_quo: Option<f64>,
    /// Ballots from the stances in force on this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run_power(a: PowerArgs) -> anyhow::Result<()> {
    let params = PowerParams {
        institution: a.institution.clone(),
        index: a.index.clone(),
        exact_fractions: a.exact_fractions,
        method: a.method.clone(),
        samples: a.samples,
        seed: a.seed,
        list_limit: a.list_limit,
    };
    let r = if !a.quota.is_empty() || !a.weights.is_empty() {
        if a.scenario.is_some() {
            return Err(input_error(
                "give either a scenario or --quota/--weights, not both",
            ));
        }
        let game = QuickGame {
            quota: a.quota.clone(),
            weights: a.weights.clone(),
            veto: a.veto.clone(),
            min_complement: a.min_complement,
        };
        power::run_game(&game, &params)
    } else {
        power::run(&super::load_scenario(a.scenario.as_deref())?, &params)
    }
    .map_err(super::lens)?;
    super::print(a.json, &r, || negotium_report::power::render(&r, &params))
}

pub fn run_vote(a: VoteArgs) -> anyhow::Result<()> {
    let loaded = super::load_scenario(a.scenario.as_deref())?;
    let params = VoteParams {
        institution: a.institution.clone(),
        issue: a.issue.clone(),
        proposal: a.proposal,
        status_quo: a.status_quo,
        as_of: a.as_of.clone(),
    };
    let r = vote::run(&loaded, &params).map_err(super::lens)?;
    super::print(a.json, &r, || negotium_report::power::vote(&r))
}
