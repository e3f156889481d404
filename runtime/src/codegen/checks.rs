//! The checks a generated `build()` runs, one call per documented limit; each failure is a
//! [`BuildError`] naming the parameter as it goes on the wire (`Tag.3.Key`) and the limit it
//! broke.

use std::cmp::Ordering;
use std::fmt;

use crate::validate::BuildError;

/// The wire name of a parameter under check (`Tag.3.Key`), kept in parts and written out only
/// when a check fails: a request whose values are all valid builds no names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamName<'a> {
    /// A parameter of the request itself (`RegionId`).
    Plain(&'a str),
    /// An item of a list, numbered from 1 on the wire: `index` 0 is `{list}.1`.
    Item(&'a ParamName<'a>, usize),
    /// A field of a shape: `{shape}.{field}`.
    Field(&'a ParamName<'a>, &'a str),
}

impl<'a> ParamName<'a> {
    /// The item at zero-based `index` of this list.
    pub fn item(&'a self, index: usize) -> ParamName<'a> {
        ParamName::Item(self, index)
    }

    /// The field `name` of this shape.
    pub fn field(&'a self, name: &'a str) -> ParamName<'a> {
        ParamName::Field(self, name)
    }
}

impl fmt::Display for ParamName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamName::Plain(name) => f.write_str(name),
            ParamName::Item(list, index) => write!(f, "{list}.{}", index + 1),
            ParamName::Field(shape, name) => write!(f, "{shape}.{name}"),
        }
    }
}

/// Checks of a shape used inside a request; `prefix` is its wire name (`Tag.1`).
pub trait Validate {
    /// Checks every documented limit of the value's fields.
    fn validate(&self, prefix: &ParamName<'_>) -> Result<(), BuildError>;
}

/// A shape that contains itself holds the inner value behind a `Box`; it is checked as the value.
impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, prefix: &ParamName<'_>) -> Result<(), BuildError> {
        (**self).validate(prefix)
    }
}

/// Text length in characters (what the pages mean by "length"), within `min..=max`.
pub fn length(
    parameter: impl fmt::Display,
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
pub fn ascii(
    parameter: impl fmt::Display,
    value: &(impl AsRef<str> + ?Sized),
) -> Result<(), BuildError> {
    match value.as_ref().char_indices().find(|(_, c)| !c.is_ascii()) {
        None => Ok(()),
        Some((i, c)) => Err(BuildError::new(
            parameter,
            format!("must be ASCII only; found {c:?} at byte {i}"),
        )),
    }
}

/// [`length`] of a secret (a password, a token): the error names the limit it broke, and neither
/// the value nor its length.
pub fn secret_length(
    parameter: impl fmt::Display,
    value: &(impl AsRef<str> + ?Sized),
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), BuildError> {
    let len = value.as_ref().chars().count();
    if let Some(min) = min.filter(|min| len < *min) {
        return Err(BuildError::new(
            parameter,
            format!("is too short; the minimum is {min} characters"),
        ));
    }
    if let Some(max) = max.filter(|max| len > *max) {
        return Err(BuildError::new(
            parameter,
            format!("is too long; the maximum is {max} characters"),
        ));
    }
    Ok(())
}

/// [`ascii`] of a secret: the error says that a character is not ASCII, not which or where.
pub fn secret_ascii(
    parameter: impl fmt::Display,
    value: &(impl AsRef<str> + ?Sized),
) -> Result<(), BuildError> {
    if value.as_ref().is_ascii() {
        Ok(())
    } else {
        Err(BuildError::new(
            parameter,
            "must be ASCII only; it holds a character that is not".to_owned(),
        ))
    }
}

/// A number the limits apply to, compared with a limit exactly: through `f64`, an `i64` above
/// 2^53 would round onto its bound (`10000000000000000` would pass `max 9999999999999999`).
pub trait Number: Copy + fmt::Display {
    /// How the value compares with `limit`; `None` for a value that compares with nothing (NaN).
    fn cmp_limit(self, limit: i64) -> Option<Ordering>;
}

impl Number for i32 {
    fn cmp_limit(self, limit: i64) -> Option<Ordering> {
        Some(i64::from(self).cmp(&limit))
    }
}

impl Number for i64 {
    fn cmp_limit(self, limit: i64) -> Option<Ordering> {
        Some(self.cmp(&limit))
    }
}

impl Number for f64 {
    fn cmp_limit(self, limit: i64) -> Option<Ordering> {
        // 2^63 as f64 is exact; every f64 in [-2^63, 2^63) has a whole part that fits an i64.
        const TWO_63: f64 = 9_223_372_036_854_775_808.0;
        if self.is_nan() {
            return None;
        }
        if self >= TWO_63 {
            return Some(Ordering::Greater);
        }
        if self < -TWO_63 {
            return Some(Ordering::Less);
        }
        let whole = self.trunc();
        // In range by the checks above: the cast is exact.
        let ordering = (whole as i64).cmp(&limit);
        if ordering != Ordering::Equal {
            return Some(ordering);
        }
        Some(if self > whole {
            Ordering::Greater
        } else if self < whole {
            Ordering::Less
        } else {
            Ordering::Equal
        })
    }
}

/// A number within `min..=max`.
pub fn range<N: Number>(
    parameter: impl fmt::Display,
    value: &N,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), BuildError> {
    if let Some(min) = min {
        if value.cmp_limit(min) == Some(Ordering::Less) {
            return Err(BuildError::new(
                parameter,
                format!("is {value}; the minimum is {min}"),
            ));
        }
    }
    if let Some(max) = max {
        if value.cmp_limit(max) == Some(Ordering::Greater) {
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
    parameter: impl fmt::Display,
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
    fn a_64_bit_bound_above_2_pow_53_is_held_exactly() {
        // Through f64 both are 1e16: the value over the bound passed.
        let max = Some(9_999_999_999_999_999);
        assert!(range("AliUid", &10_000_000_000_000_000_i64, None, max).is_err());
        assert!(range("AliUid", &9_999_999_999_999_999_i64, None, max).is_ok());
        assert!(range("Big", &i64::MAX, None, Some(i64::MAX)).is_ok());
        assert!(range("Big", &(i64::MAX - 1), Some(i64::MAX), None).is_err());
        assert!(
            range(
                "Ratio",
                &9_223_372_036_854_775_807.0_f64,
                None,
                Some(i64::MAX)
            )
            .is_err()
        );
        assert!(range("Ratio", &0.5_f64, Some(1), None).is_err());
        assert!(range("Ratio", &1.5_f64, None, Some(1)).is_err());
        assert!(range("Ratio", &1.0_f64, Some(1), Some(1)).is_ok());
        assert!(range("Ratio", &-0.5_f64, Some(0), None).is_err());
    }

    /// A shape that contains itself, as the generator writes one.
    struct Filter {
        key: Option<String>,
        not: Option<Box<Filter>>,
    }

    impl Validate for Filter {
        fn validate(&self, prefix: &ParamName<'_>) -> Result<(), BuildError> {
            if let Some(value) = &self.key {
                length(prefix.field("Key"), value, None, Some(3))?;
            }
            if let Some(value) = &self.not {
                Validate::validate(value, &prefix.field("Not"))?;
            }
            Ok(())
        }
    }

    #[test]
    fn a_boxed_shape_is_checked_as_the_shape() {
        let filter = Filter {
            key: None,
            not: Some(Box::new(Filter {
                key: Some("abcd".to_owned()),
                not: None,
            })),
        };
        let err = Validate::validate(&filter, &ParamName::Plain("Filter")).unwrap_err();
        assert_eq!(err.parameter, "Filter.Not.Key");
    }

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
    fn a_secret_that_breaks_a_limit_is_not_quoted() {
        assert!(secret_length("Password", "hunter2!", Some(8), Some(30)).is_ok());
        assert!(secret_ascii("Password", "hunter2!").is_ok());
        for (err, problem) in [
            (
                secret_length("Password", "hunt令", Some(8), Some(30)),
                "is too short; the minimum is 8 characters",
            ),
            (
                secret_length("Password", "hunt令hunt令hunt令", None, Some(10)),
                "is too long; the maximum is 10 characters",
            ),
            (
                secret_ascii("Password", "hunt令"),
                "must be ASCII only; it holds a character that is not",
            ),
        ] {
            let err = err.unwrap_err();
            let shown = format!("{err} {err:?}");
            assert_eq!(err.parameter, "Password");
            assert_eq!(err.problem, problem);
            assert!(!shown.contains("hunt") && !shown.contains('令'), "{shown}");
            // Neither the length (5, 15) nor where the character sits (byte 4).
            assert!(!shown.chars().any(|c| matches!(c, '4' | '5')), "{shown}");
        }
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

    #[test]
    fn names_are_written_in_wire_form() {
        let tag = ParamName::Plain("Tag");
        let err = length(tag.item(2).field("Key"), "", Some(1), None).unwrap_err();
        assert_eq!(err.parameter, "Tag.3.Key");
        let nested = ParamName::Plain("A");
        assert_eq!(
            nested.item(0).field("B").item(1).field("C").to_string(),
            "A.1.B.2.C"
        );
    }
}
