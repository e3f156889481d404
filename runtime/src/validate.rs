//! Checks of request parameters before anything is sent: required values and documented limits.
//!
//! Generated `build()` methods call these; each failure names the parameter as it goes on the
//! wire (`Tag.3.Key`) and the limit it broke.

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

    fn new(parameter: &str, problem: String) -> Self {
        Self {
            parameter: parameter.to_owned(),
            problem,
        }
    }
}

/// Checks of a shape used inside a request; `prefix` is its wire name (`Tag.1`).
pub trait Validate {
    /// Checks every documented limit of the value's fields.
    fn validate(&self, prefix: &str) -> Result<(), BuildError>;
}

/// Text length in characters (what the pages mean by "length"), within `min..=max`.
pub fn length(
    parameter: &str,
    value: &(impl AsRef<str> + ?Sized),
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), BuildError> {
    let len = value.as_ref().chars().count();
    if let Some(min) = min {
        if len < min {
            return Err(BuildError::new(
                parameter,
                format!("is {len} characters long; the minimum is {min}"),
            ));
        }
    }
    if let Some(max) = max {
        if len > max {
            return Err(BuildError::new(
                parameter,
                format!("is {len} characters long; the maximum is {max}"),
            ));
        }
    }
    Ok(())
}

/// Text of ASCII characters only.
pub fn ascii(parameter: &str, value: &(impl AsRef<str> + ?Sized)) -> Result<(), BuildError> {
    match value.as_ref().char_indices().find(|(_, c)| !c.is_ascii()) {
        None => Ok(()),
        Some((i, c)) => Err(BuildError::new(
            parameter,
            format!("must be ASCII only; found {c:?} at byte {i}"),
        )),
    }
}

/// A number the limits apply to.
pub trait Number: Copy + fmt::Display {
    /// The value for comparison with a limit.
    fn to_f64(self) -> f64;
}

impl Number for i32 {
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl Number for i64 {
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl Number for f64 {
    fn to_f64(self) -> f64 {
        self
    }
}

/// A number within `min..=max`.
pub fn range<N: Number>(
    parameter: &str,
    value: &N,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), BuildError> {
    let v = value.to_f64();
    if let Some(min) = min {
        if v < min as f64 {
            return Err(BuildError::new(
                parameter,
                format!("is {value}; the minimum is {min}"),
            ));
        }
    }
    if let Some(max) = max {
        if v > max as f64 {
            return Err(BuildError::new(
                parameter,
                format!("is {value}; the maximum is {max}"),
            ));
        }
    }
    Ok(())
}

/// A list with `min..=max` items.
pub fn items(
    parameter: &str,
    len: usize,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), BuildError> {
    if let Some(min) = min {
        if len < min {
            return Err(BuildError::new(
                parameter,
                format!("has {len} items; at least {min} are required"),
            ));
        }
    }
    if let Some(max) = max {
        if len > max {
            return Err(BuildError::new(
                parameter,
                format!("has {len} items; at most {max} are allowed"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(length("Name", "镜像", None, Some(2)).is_ok());
        let err = length("Name", "abc", Some(1), Some(2)).unwrap_err();
        assert_eq!(err.parameter, "Name");
        assert_eq!(
            err.to_string(),
            "parameter `Name`: is 3 characters long; the maximum is 2"
        );
        assert!(length("Tag.1.Key", "", Some(1), None).is_err());
    }

    #[test]
    fn ascii_names_the_offending_character() {
        assert!(ascii("ClientToken", "abc-123").is_ok());
        let err = ascii("ClientToken", "ab令").unwrap_err();
        assert!(err.problem.contains("'令'"), "{err}");
    }

    #[test]
    fn range_and_items_report_the_limit() {
        assert!(range("PageSize", &100, Some(1), Some(100)).is_ok());
        let err = range("PageSize", &101, None, Some(100)).unwrap_err();
        assert_eq!(err.problem, "is 101; the maximum is 100");
        let err = items("ImageIds", 101, None, Some(100)).unwrap_err();
        assert_eq!(err.problem, "has 101 items; at most 100 are allowed");
        assert!(items("ImageIds", 0, None, Some(100)).is_ok());
    }
}
