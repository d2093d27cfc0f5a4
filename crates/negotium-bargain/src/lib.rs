//! negotium-bargain: the negotiation-protocols lens.
//!
//! Multi-issue outcome spaces ([`domain`]), linear additive preferences with
//! reservation values ([`prefs`]), evaluated spaces ([`space`]), exact
//! analysis — Pareto frontier, Nash, Kalai–Smorodinsky, egalitarian and
//! welfare points, zones of agreement ([`analysis`]) — sans-IO protocols
//! (stacked alternating offers [`sao`], mediated single text [`single_text`]),
//! strategies behind a trait ([`strategy`]) and tournaments ([`tournament`]).
//! Pure: no files, terminals or clocks; every random process takes a seed.

pub mod analysis;
pub mod domain;
pub mod error;
pub mod prefs;
pub mod sao;
pub mod session;
pub mod single_text;
pub mod space;
pub mod strategy;
pub mod tournament;

pub use analysis::{Analysis, Point};
pub use domain::{Domain, Issue, IssueKind, OutcomeId};
pub use error::BargainError;
pub use prefs::{Normalisation, Party, Problem, Utility, ValueFunction};
pub use space::Space;
pub use strategy::{Response, Strategy, StrategySpec, View};
