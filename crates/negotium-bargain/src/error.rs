//! Errors of the bargaining lens: bad domains, preferences, strategy names
//! and protocol misuse, each with what was expected.

use thiserror::Error;

/// Everything that can go wrong when building or running a negotiation.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum BargainError {
    #[error("the domain has no issues; expected at least one issue")]
    NoIssues,
    #[error("issue `{issue}` has no values; expected at least one value")]
    EmptyIssue { issue: String },
    #[error("issue `{issue}`: {what}")]
    BadIssue { issue: String, what: String },
    #[error("duplicate issue name `{0}`; issue names must be unique")]
    DuplicateIssue(String),
    #[error(
        "the outcome space has {size} outcomes, more than the limit of {limit}; \
         evaluating it for {parties} parties would need about {mib} MiB — use fewer \
         issues, fewer values, or a coarser discretisation"
    )]
    TooLarge {
        size: String,
        limit: usize,
        parties: usize,
        mib: u128,
    },
    #[error("expected at least {min} parties, found {found}")]
    TooFewParties { min: usize, found: usize },
    #[error("party `{party}`: {what}")]
    BadParty { party: String, what: String },
    /// The name given, and a "did you mean" for a near miss (or empty).
    #[error("unknown strategy `{0}`{1}; expected one of boulware, linear, conceder, tough, aspiration:E (E > 0), tft, micro, random, hardheaded, agentk, nicetft, cuhk")]
    UnknownStrategy(String, String),
    /// The name given, and a "did you mean" for a near miss (or empty).
    #[error("unknown mediator `{0}`{1}; expected one of random, hill-climb, nash")]
    UnknownMediator(String, String),
    #[error("protocol misuse: {0}")]
    Protocol(String),
    #[error("bad setting: {0}")]
    Setting(String),
    #[error("{steps} steps, more than the limit of {limit}; use fewer steps")]
    TooManySteps { steps: u64, limit: u32 },
}

/// The most steps (rounds) a protocol runs: a negotiation's budget is
/// refused above it before any work.
pub const MAX_STEPS: u32 = 1_000_000;

/// The checks every protocol makes when it starts: at least two parties and
/// from one to [`MAX_STEPS`] steps.
pub(crate) fn check_protocol_setup(n_parties: usize, n_steps: u32) -> Result<(), BargainError> {
    if n_parties < 2 {
        return Err(BargainError::TooFewParties {
            min: 2,
            found: n_parties,
        });
    }
    if n_steps == 0 {
        return Err(BargainError::Setting(
            "the number of steps must be at least 1".into(),
        ));
    }
    check_steps(n_steps)
}

/// Refuses a step budget above [`MAX_STEPS`].
pub fn check_steps(n_steps: u32) -> Result<(), BargainError> {
    if n_steps > MAX_STEPS {
        return Err(BargainError::TooManySteps {
            steps: n_steps as u64,
            limit: MAX_STEPS,
        });
    }
    Ok(())
}
