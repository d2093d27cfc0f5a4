//! Errors of the conflict engine: bad models, bad statements, jobs too big.

/// Why a conflict could not be built or analysed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConflictError {
    #[error("cannot parse `{text}` at column {column}: {message}")]
    Parse {
        text: String,
        column: usize,
        message: String,
    },
    #[error("invalid conflict model: {0}")]
    Model(String),
    #[error("too large: {what} would be {size}, above the limit of {limit}; {hint}")]
    TooLarge {
        what: String,
        size: u128,
        limit: u128,
        hint: String,
    },
    #[error(
        "too large: {what} for {states} states would need about {} ({bytes} bytes) of memory, above the limit of {} ({limit} bytes); {hint}",
        crate::space::format_bytes(*bytes),
        crate::space::format_bytes(*limit)
    )]
    Memory {
        what: String,
        states: u64,
        bytes: u64,
        limit: u64,
        hint: String,
    },
    /// The name given, and a "did you mean" for a near miss (or empty).
    #[error("unknown decision maker `{0}`{1}")]
    UnknownDm(String, String),
    #[error("state {number} does not exist; the conflict has {count} feasible states (numbered 1..={count})")]
    NoSuchState { number: usize, count: usize },
    #[error("invalid preference ranking for {dm}: {message}")]
    Ranking { dm: String, message: String },
    #[error("{0}")]
    Unsupported(String),
}
