//! The one error type of every lens run, with the exit code it maps to.

/// Why a lens run produced no result.
///
/// Exit codes (used by the `negotium` binary; the workbench maps them to
/// HTTP statuses): 2 for [`AnalysisError::BadInput`], 3 for
/// [`AnalysisError::Limit`], 1 for [`AnalysisError::Failed`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// The parameters or the scenario do not suit the lens: an unknown id,
    /// a value out of range, a missing section. `param` names the offending
    /// parameter (snake_case, as in the JSON params) when there is one.
    #[error("{}", located(.param, .message))]
    BadInput {
        param: Option<String>,
        message: String,
    },
    /// The job is refused because of its size (a model or parameter above a
    /// documented cap), checked before any work starts; the message gives
    /// the size and the limit.
    #[error("{}", located(.param, .message))]
    Limit {
        param: Option<String>,
        message: String,
    },
    /// The lens failed on valid input.
    #[error("{message}")]
    Failed { message: String },
}

fn located(param: &Option<String>, message: &str) -> String {
    match param {
        Some(p) => format!("{p}: {message}"),
        None => message.to_string(),
    }
}

impl AnalysisError {
    /// Bad input not tied to one parameter.
    pub fn input(message: impl Into<String>) -> Self {
        AnalysisError::BadInput {
            param: None,
            message: message.into(),
        }
    }

    /// Bad input in parameter `param`.
    pub fn param(param: &str, message: impl Into<String>) -> Self {
        AnalysisError::BadInput {
            param: Some(param.to_string()),
            message: message.into(),
        }
    }

    /// A size above a limit, not tied to one parameter.
    pub fn limit(message: impl Into<String>) -> Self {
        AnalysisError::Limit {
            param: None,
            message: message.into(),
        }
    }

    /// A parameter above its cap.
    pub fn param_limit(param: &str, message: impl Into<String>) -> Self {
        AnalysisError::Limit {
            param: Some(param.to_string()),
            message: message.into(),
        }
    }

    /// A failure on valid input.
    pub fn failed(message: impl Into<String>) -> Self {
        AnalysisError::Failed {
            message: message.into(),
        }
    }

    /// The same error naming `param`, unless it already names one.
    pub fn with_param(self, param: &str) -> Self {
        match self {
            AnalysisError::BadInput {
                param: None,
                message,
            } => AnalysisError::BadInput {
                param: Some(param.to_string()),
                message,
            },
            AnalysisError::Limit {
                param: None,
                message,
            } => AnalysisError::Limit {
                param: Some(param.to_string()),
                message,
            },
            other => other,
        }
    }

    /// The process exit code for this error: 2 bad input, 3 limit, 1 other.
    pub fn exit_code(&self) -> i32 {
        match self {
            AnalysisError::BadInput { .. } => 2,
            AnalysisError::Limit { .. } => 3,
            AnalysisError::Failed { .. } => 1,
        }
    }

    /// The parameter the error is about, if any.
    pub fn param_name(&self) -> Option<&str> {
        match self {
            AnalysisError::BadInput { param, .. } | AnalysisError::Limit { param, .. } => {
                param.as_deref()
            }
            AnalysisError::Failed { .. } => None,
        }
    }

    /// The message without the parameter name.
    pub fn message(&self) -> &str {
        match self {
            AnalysisError::BadInput { message, .. }
            | AnalysisError::Limit { message, .. }
            | AnalysisError::Failed { message } => message,
        }
    }

    /// The same error with `prefix: ` before its message (e.g. the source
    /// file's name), keeping its kind and parameter.
    pub fn context(self, prefix: &str) -> Self {
        let pre = |m: String| format!("{prefix}: {m}");
        match self {
            AnalysisError::BadInput { param, message } => AnalysisError::BadInput {
                param,
                message: pre(message),
            },
            AnalysisError::Limit { param, message } => AnalysisError::Limit {
                param,
                message: pre(message),
            },
            AnalysisError::Failed { message } => AnalysisError::Failed {
                message: pre(message),
            },
        }
    }
}

impl From<negotium_conflict::ConflictError> for AnalysisError {
    fn from(e: negotium_conflict::ConflictError) -> Self {
        match e {
            negotium_conflict::ConflictError::TooLarge { .. }
            | negotium_conflict::ConflictError::Memory { .. } => {
                AnalysisError::limit(e.to_string())
            }
            other => AnalysisError::input(other.to_string()),
        }
    }
}

impl From<negotium_voting::VotingError> for AnalysisError {
    fn from(e: negotium_voting::VotingError) -> Self {
        use negotium_voting::VotingError as V;
        match e {
            V::TooManyMembers { .. } | V::TooBig { .. } | V::TooManySamples { .. } => {
                AnalysisError::limit(e.to_string())
            }
            other => AnalysisError::input(other.to_string()),
        }
    }
}

impl From<negotium_bargain::BargainError> for AnalysisError {
    fn from(e: negotium_bargain::BargainError) -> Self {
        match e {
            negotium_bargain::BargainError::TooLarge { .. } => AnalysisError::limit(e.to_string()),
            negotium_bargain::BargainError::TooManySteps { .. } => {
                AnalysisError::param_limit("steps", e.to_string())
            }
            other => AnalysisError::input(other.to_string()),
        }
    }
}

/// Checks a size-like parameter against its cap (a [`AnalysisError::Limit`]
/// naming the value and the cap when above it).
pub(crate) fn cap(param: &str, value: u64, max: u64) -> Result<(), AnalysisError> {
    if value > max {
        return Err(AnalysisError::param_limit(
            param,
            format!("{value} is above the limit of {max}"),
        ));
    }
    Ok(())
}
