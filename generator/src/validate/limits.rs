//! Limits: lengths, ranges and item counts, each on a type it can bound, and the names of the
//! tests the generated crate gets for them.

use crate::location::NodePath;
use crate::model::{Limits, ScalarType, Type};
use crate::spec::LimitsSpec;

use super::Validator;

impl Validator<'_> {
    pub(super) fn limits(&mut self, l: Option<&LimitsSpec>, path: &NodePath) -> Limits {
        let Some(l) = l else { return Limits::default() };
        let pairs = [
            (
                "min_length",
                "max_length",
                l.min_length.map(i128::from),
                l.max_length.map(i128::from),
            ),
            ("min", "max", l.min.map(i128::from), l.max.map(i128::from)),
            (
                "min_items",
                "max_items",
                l.min_items.map(i128::from),
                l.max_items.map(i128::from),
            ),
        ];
        for (lo_name, hi_name, lo, hi) in pairs {
            if let (Some(lo), Some(hi)) = (lo, hi) {
                if lo > hi {
                    self.error(&path.key(lo_name), format!("`{lo_name}` {lo} is greater than `{hi_name}` {hi}"), format!("a value must fit between `{lo_name}` and `{hi_name}`: correct one of them"));
                }
            }
        }
        let (min, max) = (l.min, l.max);
        if l.max_items == Some(0) {
            self.error(
                &path.key("max_items"),
                "`max_items` is 0: the list could never be sent",
                "remove the parameter, or correct the limit",
            );
        }
        Limits {
            min_length: l.min_length,
            max_length: l.max_length,
            ascii: l.ascii,
            min,
            max,
            min_items: l.min_items,
            max_items: l.max_items,
        }
    }

    pub(super) fn check_limits_fit(&mut self, ty: &Type, l: &Limits, path: &NodePath) {
        let is_list = matches!(ty, Type::List(_));
        let is_text = matches!(ty, Type::Scalar(ScalarType::String) | Type::Enum(_));
        let is_number = matches!(
            ty,
            Type::Scalar(ScalarType::Integer | ScalarType::Long | ScalarType::Double)
        );
        if (l.min_items.is_some() || l.max_items.is_some()) && !is_list {
            self.error(
                path,
                "`min_items`/`max_items` on a field that is not a list",
                "use `max_length` for text, `max` for numbers, or make the field a list",
            );
        }
        if (l.min_length.is_some() || l.max_length.is_some() || l.ascii) && !is_text {
            self.error(
                path,
                "a length limit on a field that is not text",
                if is_list {
                    "put limits of each item under `items: {limits: ...}`"
                } else {
                    "use `min`/`max` for numbers"
                },
            );
        }
        if (l.min.is_some() || l.max.is_some()) && !is_number {
            self.error(
                path,
                "`min`/`max` on a field that is not a number",
                "use `max_length` for text or `max_items` for lists",
            );
        }
    }
}

/// The limits of a value the generated tests break one at a time, by the name each test takes.
pub(super) fn limit_kinds(ty: &Type, limits: &Limits) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    match ty {
        Type::Scalar(ScalarType::String) => {
            if limits.max_length.is_some() {
                kinds.push("max_length");
            }
            if limits.min_length.is_some_and(|m| m >= 1) {
                kinds.push("min_length");
            }
            if limits.ascii {
                kinds.push("ascii");
            }
        }
        Type::Scalar(s @ (ScalarType::Integer | ScalarType::Long)) => {
            // A bound at the edge of the type cannot be broken by a value of it: no test.
            let (lowest, highest) = if *s == ScalarType::Long {
                (i64::MIN, i64::MAX)
            } else {
                (i64::from(i32::MIN), i64::from(i32::MAX))
            };
            if limits.max.is_some_and(|m| m < highest && m >= lowest) {
                kinds.push("max");
            }
            if limits.min.is_some_and(|m| m > lowest && m <= highest) {
                kinds.push("min");
            }
        }
        _ => {}
    }
    kinds
}
