//! negotium-bargain: the negotiation-protocols lens.
//!
//! Multi-issue outcome spaces ([`domain`]), linear additive preferences with
//! reservation values ([`prefs`]), evaluated spaces ([`space`]), exact
//! analysis — Pareto frontier, Nash, Kalai–Smorodinsky, egalitarian and
//! welfare points, zones of agreement ([`analysis`]) — sans-IO protocols
//! (stacked alternating offers [`sao`], mediated single text [`single_text`]),
//! strategies behind a trait ([`strategy`]) and tournaments ([`tournament`]).
//! Pure: no files, terminals or clocks; every random process takes a seed.

pub mod agents;
pub mod analysis;
pub mod domain;
pub mod engine;
pub mod error;
pub mod frontier;
pub mod general;
pub mod implicit;
pub mod league;
pub mod outcome;
pub mod prefs;
pub mod sao;
pub mod session;
pub mod single_text;
pub mod space;
pub mod strategy;
pub mod tournament;
pub mod ufun;

pub use analysis::{Analysis, Point};
pub use domain::{Domain, Issue, IssueKind, OutcomeId};
pub use error::BargainError;
pub use general::{GeneralParty, GeneralProblem};
pub use outcome::{Bid, Outcome};
pub use prefs::{Normalisation, Party, Problem, Utility, ValueFunction};
pub use space::Space;
pub use strategy::{PartyView, Response, Strategy, StrategySpec, View};
pub use ufun::UtilityFn;
