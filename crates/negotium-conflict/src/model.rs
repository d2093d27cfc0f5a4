//! The option-form input: decision makers, their binary options with
//! reversibility, infeasible-state patterns, preferences and misperceptions.

use serde::{Deserialize, Serialize};

use crate::formula::Formula;

/// Which direction an option may be changed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reversibility {
    /// Taken and dropped freely (gmcr-py `both`).
    #[default]
    Both,
    /// Can only be taken, never undone (gmcr-py `fwd`, N→Y).
    TakeOnly,
    /// Can only be dropped, never resumed (gmcr-py `back`, Y→N).
    DropOnly,
}

/// One binary option, controlled by one decision maker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionSpec {
    /// Short id used in statements (`udi`, `veto`).
    pub id: String,
    /// Readable name.
    pub name: String,
    /// Index of the controlling DM in [`ConflictSpec::dms`].
    pub dm: usize,
    pub reversibility: Reversibility,
}

/// A DM's preferences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preferences {
    /// Prioritised statements, most important first; states compare
    /// lexicographically on which statements they satisfy.
    Statements(Vec<Formula>),
    /// Direct ranking: tie groups of state numbers (1-based, GMCR numbering),
    /// most preferred group first. Every feasible state exactly once.
    Ranking(Vec<Vec<usize>>),
    /// A payoff per feasible state (index = number − 1); higher is better.
    Payoffs(Vec<i64>),
}

/// One decision maker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DmSpec {
    pub id: String,
    pub name: String,
    pub preferences: Preferences,
    /// States this DM does not perceive: it cannot move into or out of them.
    #[serde(default)]
    pub misperceived: Vec<Formula>,
}

/// A whole conflict in option form. Option indices in formulas refer to
/// positions in `options` (spec order); the engine regroups options by DM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictSpec {
    pub dms: Vec<DmSpec>,
    pub options: Vec<OptionSpec>,
    /// Every state satisfying one of these is infeasible.
    pub infeasible: Vec<Formula>,
}

impl ConflictSpec {
    /// Infeasibility helper: at most one of `opts` (every pair removed).
    pub fn mutually_exclusive(opts: &[usize]) -> Vec<Formula> {
        let mut v = Vec::new();
        for (a, &x) in opts.iter().enumerate() {
            for &y in &opts[a + 1..] {
                v.push(Formula::And(vec![Formula::yes(x), Formula::yes(y)]));
            }
        }
        v
    }
    /// Infeasibility helper: at least one of `opts` (the all-N pattern removed).
    pub fn at_least_one(opts: &[usize]) -> Formula {
        Formula::And(opts.iter().map(|&o| Formula::no(o)).collect())
    }
    /// Option spec indices in DM-grouped order (DM order, stable within a DM):
    /// the GMCR II / gmcr-py order that fixes bit positions and state numbers.
    pub fn grouped_order(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.options.len()).collect();
        v.sort_by_key(|&k| self.options[k].dm);
        v
    }
    /// Option names in spec order.
    pub fn option_names(&self) -> Vec<String> {
        self.options.iter().map(|o| o.name.clone()).collect()
    }
    /// Option ids in spec order.
    pub fn option_ids(&self) -> Vec<String> {
        self.options.iter().map(|o| o.id.clone()).collect()
    }
}
