//! Errors of the voting engine: every one says what is wrong and what was
//! expected. Quota and member numbers in messages count from 1; the fields
//! hold 0-based positions.

/// Why a game, a computation or a vote could not be set up.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum VotingError {
    #[error("the body has no members; expected at least one")]
    NoMembers,
    #[error("the body has {n} members; at most {max} are supported")]
    TooManyMembers { n: usize, max: usize },
    #[error("no decision rule: give at least one quota or a minimum complement")]
    NoRule,
    #[error("quota {}: {got} weights given for {expected} members; expected one weight per member", .quota + 1)]
    WeightCount {
        quota: usize,
        expected: usize,
        got: usize,
    },
    #[error("quota {}: the total weight is too large (expected a total below 4.6e18)", .quota + 1)]
    WeightsTooLarge { quota: usize },
    #[error("quota {} is 0: every coalition, even the empty one, reaches it; expected a positive quota", .quota + 1)]
    QuotaAlwaysReached { quota: usize },
    #[error("quota {} = {value} exceeds the total weight {total}: no coalition can reach it", .quota + 1)]
    QuotaUnreachable {
        quota: usize,
        value: u64,
        total: u64,
    },
    #[error("minimum complement {k} is out of range; expected 1..={n} (the number of members)")]
    BadMinComplement { k: u32, n: usize },
    #[error("not even the coalition of all members wins; expected a rule some coalition can meet")]
    NobodyWins,
    #[error(
        "the empty coalition wins: every coalition wins; expected a rule that some coalition fails"
    )]
    EveryoneWins,
    #[error("weight of member {} is {value}; expected a finite number ≥ 0", .member + 1)]
    BadWeight { member: usize, value: f64 },
    #[error("quota is {value}; expected a finite number > 0")]
    BadQuota { value: f64 },
    #[error("weights need more than 6 decimal places; expected at most 6")]
    TooManyDecimals,
    #[error("{got} ballots given for {expected} members; expected one per member")]
    BallotCount { expected: usize, got: usize },
    #[error("the job is too big: {what}")]
    TooBig { what: String },
    #[error("Monte Carlo needs at least {min} samples; got {got}")]
    TooFewSamples { got: u64, min: u64 },
    #[error("{got} Monte Carlo samples requested; at most {max} are allowed")]
    TooManySamples { got: u64, max: u64 },
    #[error("bad majority rule: {0}")]
    BadMajority(String),
}
