//! The error of a request that failed its checks before anything was sent: a required value
//! missing or a documented limit broken, named by the parameter as it goes on the wire
//! (`Tag.3.Key`). The checks themselves are generated code's plumbing (`crate::codegen::checks`).

use std::fmt;

/// A request that failed its checks before it was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{parameter}`: {problem}")]
pub struct BuildError {
    /// Wire name of the parameter (`Tag.3.Key` for a field of a list item).
    pub parameter: String,
    /// What is wrong, with the limit it broke.
    pub problem: String,
}

impl BuildError {
    /// A required parameter was not set.
    pub fn missing(parameter: &str) -> Self {
        Self {
            parameter: parameter.to_owned(),
            problem: "is required but was not set".to_owned(),
        }
    }

    pub(crate) fn new(parameter: impl fmt::Display, problem: String) -> Self {
        Self {
            parameter: parameter.to_string(),
            problem,
        }
    }
}
