//! negotium-voting: institutions and voting power. Pure: typed games in,
//! serialisable reports out; no files, no terminal.
//!
//! A [`Game`] is a simple voting game: members with one weight per quota,
//! veto members and an optional "fewer than k members outside wins" clause
//! (so the EU Council's double majority with its blocking minority of four is
//! one game). [`power`] computes Shapley–Shubik, Banzhaf (normalised and
//! absolute), Holler, Deegan–Packel, Johnston and Coleman's indices exactly
//! with big-integer counts — generating functions for swings, a sorted-cut
//! programme for minimal winning coalitions, enumeration for small bodies —
//! and falls back to seeded Monte Carlo with confidence intervals, saying so,
//! when exact is out of reach. [`vote::decide`] decides a vote and names the
//! vetoes and pivotal members; [`vote::check_tally`] checks recorded tallies.

mod count;
mod dp;
mod enumerate;
mod montecarlo;
mod mwc;
mod structure;

pub mod coalitions;
pub mod error;
pub mod game;
pub mod power;
pub mod vote;

pub use coalitions::{minimal_coalitions, Listing};
pub use error::VotingError;
pub use game::{scale_to_integers, Game, WeightedQuota, MAX_MEMBERS};
pub use montecarlo::MAX_SAMPLES;
pub use power::{
    power, BigCount, Exact, Index, IndexResult, Method, MethodUsed, PowerOptions, PowerReport,
    PowerValue, MAX_SWING_WORK,
};
pub use vote::{
    check_tally, check_tally_game, decide, Ballot, Basis, Failure, MajorityRule, Tally, TallyCheck,
    TallyVerdict, VoteOutcome,
};
