//! Type names to model types: the scalars, the shapes, and the enums that a string's valid values
//! make.

use crate::location::NodePath;
use crate::model::{EnumDef, EnumValue, ScalarType, Type};
use crate::naming::{self, generated};
use crate::spec::{SpecFile, ValueSpec};

use super::Validator;

/// The scalars a `type:` may name.
pub(super) const SCALARS: &[&str] = &["string", "integer", "long", "number", "double", "boolean"];

/// The containers a `type:` may name beside the scalars and shapes, and `json` (any JSON value).
const CONTAINERS: &[&str] = &["array", "map", "json"];

/// The name an enum made of valid values takes.
pub(super) enum EnumName<'s> {
    /// Written in `enum:`, which names nothing without `values:`.
    Written(&'s str),
    /// Made from the field's wire name, when no `enum:` is written.
    FromWireName(String),
}

impl<'s> EnumName<'s> {
    pub(super) fn new(written: Option<&'s str>, wire_name: &str) -> Self {
        match written {
            Some(name) => EnumName::Written(name),
            None => EnumName::FromWireName(naming::type_name(wire_name)),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            EnumName::Written(name) => name,
            EnumName::FromWireName(name) => name,
        }
    }
}

/// A `type:` (or an `items:`) and what is written beside it: all that resolving it needs of the
/// field, so that a field and its items resolve alike.
pub(super) struct TypeSite<'s> {
    /// The type's name, its `format:` already applied.
    pub(super) name: &'s str,
    pub(super) values: &'s [ValueSpec],
    pub(super) enum_name: EnumName<'s>,
    /// The field's description, which an enum made here takes as its own.
    pub(super) description: Option<&'s str>,
    /// Where the type is named: an unknown type is reported there.
    pub(super) path: &'s NodePath,
    /// Where the values are, or would be: problems with them and with the enum are reported there.
    pub(super) values_path: &'s NodePath,
}

impl Validator<'_> {
    /// The type a `type:` and the metadata's `format:` beside it name together: `integer` with
    /// `int64` is a `long`, `number` with `float` or `double` a `double`.
    pub(super) fn with_format(
        &mut self,
        ty: &str,
        format: Option<&str>,
        path: &NodePath,
    ) -> Option<String> {
        let Some(format) = format else {
            return Some(ty.to_owned());
        };
        let resolved = match (ty, format) {
            ("integer" | "long", "int64") => "long",
            ("integer", "int32") => "integer",
            // An `f32` widens to an `f64` without loss; the runtime reads and writes `f64`.
            ("number" | "double", "double" | "float") => "double",
            ("string", _) => "string",
            ("long", "int32") => {
                self.error(
                    path,
                    "`type: long` with `format: int32`",
                    "write `type: integer` with `format: int32`, or `format: int64`",
                );
                return None;
            }
            (_, other) => {
                let fits = match ty {
                    "integer" | "long" => "`int32` or `int64`",
                    "number" | "double" => "`float` or `double`",
                    _ => "nothing: only integers and numbers have a `format`",
                };
                self.error(
                    path,
                    format!("`format: {other}` does not fit `type: {ty}`"),
                    format!("a `{ty}` takes {fits}; remove `format` or correct it"),
                );
                return None;
            }
        };
        Some(resolved.to_owned())
    }

    pub(super) fn resolve(&mut self, spec: &SpecFile, site: &TypeSite<'_>) -> Option<Type> {
        let TypeSite {
            name,
            values,
            description,
            path,
            values_path,
            ..
        } = *site;
        let enum_name = site.enum_name.as_str();
        let ty = match name {
            "string" => Type::Scalar(ScalarType::String),
            "integer" => Type::Scalar(ScalarType::Integer),
            "long" => Type::Scalar(ScalarType::Long),
            "double" | "number" => Type::Scalar(ScalarType::Double),
            "boolean" => Type::Scalar(ScalarType::Boolean),
            "json" => Type::Json,
            shape if spec.shapes.contains_key(shape) => Type::Shape(shape.to_owned()),
            other => {
                let lower = other.to_ascii_lowercase();
                let hint = if SCALARS.contains(&lower.as_str())
                    || CONTAINERS.contains(&lower.as_str())
                {
                    format!("write it in lower case: `{lower}`")
                } else if lower == "object" {
                    "declare the object under `shapes:` and use its name, `type: map` for free keys, or `type: json` for any JSON value".to_owned()
                } else {
                    let shapes: Vec<&str> = spec.shapes.keys().map(String::as_str).collect();
                    format!(
                        "use one of {}, {}{}",
                        SCALARS.join(", "),
                        CONTAINERS.join(", "),
                        if shapes.is_empty() {
                            String::new()
                        } else {
                            format!(", or a shape: {}", shapes.join(", "))
                        }
                    )
                };
                self.error(path, format!("unknown type `{other}`"), hint);
                return None;
            }
        };
        if values.is_empty() {
            if let EnumName::Written(_) = site.enum_name {
                self.error(
                    values_path,
                    "`enum:` without `values:`",
                    "list the valid values, or remove `enum:`",
                );
            }
            return Some(ty);
        }
        if ty != Type::Scalar(ScalarType::String) {
            // Valid values of numbers and booleans stay documentation: an enum would change the
            // JSON type callers read and write.
            return Some(ty);
        }
        if !naming::is_valid_ident(enum_name) || naming::type_name(enum_name) != enum_name {
            self.error(
                values_path,
                format!("enum name `{enum_name}` is not an UpperCamelCase identifier"),
                "set `enum:` to an UpperCamelCase name",
            );
            return Some(ty);
        }
        let mut variants: Vec<EnumValue> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let wire = v.value.text();
            let vpath = values_path.index(i);
            if v.name.is_none() && !wire.is_empty() && !naming::has_identifier_material(&wire) {
                self.error(
                    &vpath,
                    format!(
                        "value `{wire}` has no ASCII letter or digit to make a variant name of"
                    ),
                    "set `name:` to an UpperCamelCase name for it",
                );
                continue;
            }
            let variant = v.name.clone().unwrap_or_else(|| naming::type_name(&wire));
            if !naming::is_valid_ident(&variant)
                || generated::ENUM_MEMBERS.contains(&variant.as_str())
            {
                self.error(
                    &vpath,
                    format!("variant name `{variant}` is not usable"),
                    format!(
                        "set `name:` to an UpperCamelCase name other than `{}`",
                        generated::ENUM_MEMBERS.join("` and `")
                    ),
                );
                continue;
            }
            if variants.iter().any(|x| x.wire == wire) {
                self.error(
                    &vpath,
                    format!("value `{wire}` is listed twice"),
                    "remove the duplicate",
                );
                continue;
            }
            if let Some(x) = variants.iter().find(|x| x.variant == variant) {
                let other = x.wire.clone();
                self.error(
                    &vpath,
                    format!("values `{other}` and `{wire}` both become variant `{variant}`"),
                    "set `name:` on one of them",
                );
                continue;
            }
            variants.push(EnumValue {
                wire,
                variant,
                description: v.description.clone(),
            });
        }
        match self.enums.get(enum_name) {
            Some((existing, _)) if existing.values == variants => {}
            Some(_) => {
                self.error(
                    values_path,
                    format!("enum `{enum_name}` is declared again with other values"),
                    "set `enum:` on this field to a name of its own",
                );
            }
            None => {
                self.enums.insert(
                    enum_name.to_owned(),
                    (
                        EnumDef {
                            rust_name: enum_name.to_owned(),
                            description: description.map(str::to_owned),
                            values: variants,
                        },
                        values_path.clone(),
                    ),
                );
            }
        }
        Some(Type::Enum(enum_name.to_owned()))
    }
}
