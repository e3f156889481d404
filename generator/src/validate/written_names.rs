//! No two parameters of a request write the same wire name: a flat `DataDisk.2.Size` beside a
//! list `DataDisk` whose items have a `Size` would send `DataDisk.2.Size` twice when both are
//! set, and the service would check the signature against another request than the one signed.

use crate::location::NodePath;
use crate::model::{Field, Location, Operation, Shape, Type, WireStyle};
use crate::spec::FieldSpec;
use crate::wire_names::{Written, shared_name};

use super::Validator;

/// What `field` writes under its name; `within` holds the shapes it sits in, so that a shape
/// inside itself writes [`Written::Anything`] instead of recursing for ever.
pub(crate) fn written(field: &Field, shapes: &[Shape], within: &mut Vec<String>) -> Written {
    let object = |name: &str, within: &mut Vec<String>| -> Written {
        if within.iter().any(|s| s == name) {
            return Written::Anything;
        }
        let Some(shape) = shapes.iter().find(|s| s.rust_name == name) else {
            return Written::Anything;
        };
        within.push(name.to_owned());
        let fields = shape
            .fields
            .iter()
            .map(|f| (f.wire_name.clone(), written(f, shapes, within)))
            .collect();
        within.pop();
        Written::Object(fields)
    };
    match (field.style, &field.ty) {
        (WireStyle::Plain | WireStyle::Json | WireStyle::Comma, _) => Written::Exact,
        (WireStyle::RepeatList, _) => Written::Listed(Box::new(Written::Exact)),
        (WireStyle::Flat, Type::List(item)) => Written::Listed(Box::new(match &**item {
            Type::Shape(name) => object(name, within),
            _ => Written::Exact,
        })),
        (WireStyle::Flat, Type::Shape(name)) => object(name, within),
        (WireStyle::Flat, Type::Map(value)) => Written::Keyed(Box::new(match &**value {
            Type::Shape(name) => object(name, within),
            _ => Written::Exact,
        })),
        (WireStyle::Flat, _) => Written::Exact,
    }
}

impl Validator<'_> {
    /// Every pair of the operation's parameters (headers apart: they are not parameters of the
    /// query or the body) that may write one name, each reported at the one to remove: the
    /// longer name (the flat `DataDisk.2.Size`, beside the list `DataDisk`), else the later.
    pub(super) fn check_written_names(
        &mut self,
        path: &NodePath,
        op: &Operation,
        declared: &[FieldSpec],
        shapes: &[Shape],
    ) {
        let params: Vec<(&Field, Written)> = op
            .request
            .iter()
            .filter(|f| f.location != Location::Header)
            .map(|f| (f, written(f, shapes, &mut Vec::new())))
            .collect();
        for (i, (later, later_writes)) in params.iter().enumerate() {
            for (earlier, earlier_writes) in &params[..i] {
                let Some(name) = shared_name(
                    &earlier.wire_name,
                    earlier_writes,
                    &later.wire_name,
                    later_writes,
                ) else {
                    continue;
                };
                let (flat, whole) = if later.wire_name.len() >= earlier.wire_name.len() {
                    (&later.wire_name, &earlier.wire_name)
                } else {
                    (&earlier.wire_name, &later.wire_name)
                };
                let at = declared
                    .iter()
                    .position(|d| d.name.as_deref() == Some(flat.as_str()))
                    .map_or_else(
                        || path.key("request"),
                        |j| path.key("request").index(j).key("name"),
                    );
                self.error(
                    &at,
                    format!(
                        "`{flat}` and `{whole}` both write `{name}`: set together, the request would send it twice"
                    ),
                    format!(
                        "remove `{flat}` and set it through `{whole}`, or give one of them another wire name"
                    ),
                );
            }
        }
    }
}
