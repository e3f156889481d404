//! Fields of requests, responses and shapes: each spec field becomes a model field with its Rust
//! name, type, limits, location and style, and the fields of one list are checked against each
//! other.

use std::collections::{BTreeMap, BTreeSet};

use crate::location::NodePath;
use crate::model::{DocValue, Field, Limits, Location, ScalarType, Type};
use crate::naming::{self, generated};
use crate::spec::{FieldSpec, ItemsSpec, SpecFile, ValueSpec};

use super::Validator;
use super::names::{Role, clear_of};
use super::types::{EnumName, SCALARS, TypeSite};

impl Validator<'_> {
    pub(super) fn fields(
        &mut self,
        spec: &SpecFile,
        fields: &[FieldSpec],
        path: &NodePath,
        role: Role,
    ) -> Vec<Field> {
        let mut built: Vec<(NodePath, bool, Field)> = Vec::new();
        let mut wire_names = BTreeSet::new();
        for (i, f) in fields.iter().enumerate() {
            let fpath = path.index(i);
            let Some(field) = self.field(spec, f, &fpath, role) else {
                continue;
            };
            if !wire_names.insert(field.wire_name.clone()) {
                self.error(
                    &fpath.key("name"),
                    format!("`{}` is declared twice here", field.wire_name),
                    "merge the two entries",
                );
                continue;
            }
            built.push((fpath, f.rust_name.is_none(), field));
        }
        if role == Role::Request {
            // `SetFoo` beside `Foo` would be the setter of `Foo`: it moves aside as a generated
            // name does.
            let names: BTreeSet<String> = built
                .iter()
                .map(|(_, _, f)| naming::bare(&f.rust_name).to_owned())
                .collect();
            for (_, derived, f) in &mut built {
                let shadows_a_setter = naming::bare(&f.rust_name)
                    .strip_prefix("set_")
                    .is_some_and(|rest| names.contains(rest));
                if *derived && shadows_a_setter {
                    f.rust_name = format!("{}_", naming::bare(&f.rust_name));
                }
            }
        }
        let mut out: Vec<Field> = Vec::new();
        let mut rust_names: BTreeMap<String, String> = BTreeMap::new();
        // Every method of the request builder, with what it sets.
        let mut methods: BTreeMap<String, String> = generated::BUILDER_MEMBERS
            .iter()
            .map(|m| ((*m).to_owned(), format!("the builder's own `{m}`")))
            .collect();
        for (fpath, _, field) in built {
            if let Some(other) = rust_names.insert(field.rust_name.clone(), field.wire_name.clone())
            {
                self.error(
                    &fpath.key("name"),
                    format!(
                        "`{}` and `{other}` both become the Rust field `{}`",
                        field.wire_name, field.rust_name
                    ),
                    "set `rust_name:` on one of them",
                );
                continue;
            }
            if role == Role::Request {
                let setter = generated::setter(&field.rust_name);
                let own = [
                    (naming::bare(&field.rust_name).to_owned(), "setter"),
                    (setter, "replacing setter"),
                ];
                let clash = own.iter().find_map(|(m, what)| {
                    methods
                        .get(m)
                        .map(|owner| (m.clone(), *what, owner.clone()))
                });
                if let Some((method, what, owner)) = clash {
                    self.error(
                        &fpath.key("name"),
                        format!(
                            "the builder method `{method}` would be both the {what} of `{}` and {owner}",
                            field.wire_name
                        ),
                        "set `rust_name:` on one of them",
                    );
                    continue;
                }
                for (m, what) in own {
                    methods.insert(m, format!("the {what} of `{}`", field.wire_name));
                }
            }
            out.push(field);
        }
        out
    }

    fn field(
        &mut self,
        spec: &SpecFile,
        f: &FieldSpec,
        path: &NodePath,
        role: Role,
    ) -> Option<Field> {
        self.dropped_values(f, path);
        let Some(wire_name) = f.name.clone().filter(|n| !n.trim().is_empty()) else {
            self.error(
                path,
                "field has no wire name",
                "add `name:` with the name exactly as the page documents it",
            );
            return None;
        };
        let members = role.generated_members();
        let rust_name = match &f.rust_name {
            Some(r) if !naming::is_valid_ident(r) => {
                self.error(
                    &path.key("rust_name"),
                    format!("`{r}` is not a Rust identifier"),
                    "use lower snake case; write a keyword as `r#type`",
                );
                return None;
            }
            Some(r) if members.contains(&naming::bare(r)) => {
                self.error(
                    &path.key("rust_name"),
                    format!("`{r}` is a name {} already has", role.holder()),
                    format!(
                        "choose another `rust_name:` (taken: {})",
                        members.join(", ")
                    ),
                );
                return None;
            }
            Some(r) => r.clone(),
            None if !naming::has_identifier_material(&wire_name) => {
                self.error(
                    &path.key("name"),
                    format!("`{wire_name}` has no ASCII letter or digit to make a Rust name of"),
                    "set `rust_name:` to a lower snake case name for it",
                );
                return None;
            }
            None => clear_of(naming::field_name(&wire_name), members),
        };
        let Some(type_name) = f.ty.as_deref() else {
            self.error(
                path,
                format!("field `{wire_name}` has no type"),
                format!(
                    "add `type:` with one of {} or a shape name",
                    SCALARS.join(", ")
                ),
            );
            return None;
        };
        let limits = self.limits(f.limits.as_ref(), &path.key("limits"));
        let mut item_limits = Limits::default();
        let mut description = f.description.clone();
        let mut values = doc_values(&f.values);
        let mut notes = f.notes.clone();
        let is_map = type_name == "map";
        let ty = if type_name == "array" || is_map {
            let Some(items) = &f.items else {
                let (what, help) = if is_map {
                    (
                        "map",
                        "add `items:` with the type of its values (`items: string`, `items: Tag`)",
                    )
                } else {
                    (
                        "array",
                        "add `items:` with the item type (`items: string`, `items: Tag`)",
                    )
                };
                self.error(path, format!("{what} `{wire_name}` has no `items`"), help);
                return None;
            };
            let ipath = path.key("items");
            let (item_ty_name, item_values, item_enum, ilimits, idesc) = match items {
                ItemsSpec::Name(n) => (n.clone(), &[][..], None, None, None),
                ItemsSpec::Detailed(d) => (
                    self.with_format(&d.ty, d.format.as_deref(), &ipath.key("format"))?,
                    &d.values[..],
                    d.enum_name.as_deref(),
                    d.limits.as_ref(),
                    d.description.as_ref(),
                ),
            };
            let ipath_ty = if matches!(items, ItemsSpec::Detailed(_)) {
                ipath.key("type")
            } else {
                ipath.clone()
            };
            if item_ty_name == "array" || item_ty_name == "map" {
                self.error(
                    &ipath_ty,
                    format!(
                        "{} of lists or maps are not supported",
                        if is_map { "maps" } else { "lists" }
                    ),
                    "wrap the inner list or map in a shape, or write `items: json` (any JSON value)",
                );
                return None;
            }
            item_limits = self.limits(ilimits, &ipath.key("limits"));
            if let Some(d) = idesc {
                description = Some(match description {
                    Some(x) => format!("{x}\n\nEach item: {d}"),
                    None => format!("Each item: {d}"),
                });
            }
            if !item_values.is_empty() {
                values = doc_values(item_values);
            }
            // What the page says of each item goes into the field's docs with the rest.
            if let ItemsSpec::Detailed(d) = items {
                if let Some(Some(example)) = &d.example {
                    notes.push(format!("Example of an item: `{}`.", example.text()));
                }
                notes.extend(d.notes.iter().cloned());
            }
            let item = self.resolve(
                spec,
                &TypeSite {
                    name: &item_ty_name,
                    values: item_values,
                    enum_name: EnumName::new(item_enum, &wire_name),
                    description: description.as_deref(),
                    path: &ipath_ty,
                    values_path: &ipath.key("values"),
                },
            )?;
            if !f.values.is_empty() {
                self.error(
                    &path.key("values"),
                    "valid values on a list",
                    "move `values:` into `items:` (`items: {type: string, values: [...]}`)",
                );
            }
            if is_map {
                Type::Map(Box::new(item))
            } else {
                Type::List(Box::new(item))
            }
        } else {
            if f.items.is_some() {
                self.error(
                    &path.key("items"),
                    format!("`items` on `{wire_name}`, which is not an array"),
                    "set `type: array`, or remove `items`",
                );
            }
            let type_name =
                self.with_format(type_name, f.format.as_deref(), &path.key("format"))?;
            self.resolve(
                spec,
                &TypeSite {
                    name: &type_name,
                    values: &f.values,
                    enum_name: EnumName::new(f.enum_name.as_deref(), &wire_name),
                    description: description.as_deref(),
                    path: &path.key("type"),
                    values_path: &path.key("values"),
                },
            )?
        };
        self.check_limits_fit(&ty, &limits, &path.key("limits"));
        if matches!(ty, Type::List(_)) && *ty.item() == Type::Json && !item_limits.is_empty() {
            self.error(
                &path.key("items").key("limits"),
                "limits on items of type `json`",
                "remove them: any JSON value has no length or range to check (note them under `notes:`)",
            );
        }
        if matches!(ty, Type::Map(_)) && !item_limits.is_empty() {
            self.error(
                &path.key("items").key("limits"),
                "limits on the values of a map",
                "remove them: the SDK checks no limits on map values (note them under `notes:`)",
            );
        }

        let location = self.location(f, &wire_name, &ty, role, path);
        let style = self.style(f, &ty, role, path);
        if f.wrapper.is_some() && (role == Role::Request || !matches!(ty, Type::List(_))) {
            self.error(
                &path.key("wrapper"),
                "`wrapper` is for lists in responses only",
                "remove it, or make the field a response list",
            );
        }
        if f.idempotency_token && (role != Role::Request || ty != Type::Scalar(ScalarType::String))
        {
            self.error(
                &path.key("idempotency_token"),
                "only a string request parameter can be an idempotency token",
                "remove `idempotency_token`",
            );
        }
        if f.idempotency_token && location == Location::Header {
            // The client fills a token the caller left out, and it has only the token's name
            // to go by: it puts it in the query.
            self.error(
                &path.key("idempotency_token"),
                format!("the idempotency token `{wire_name}` cannot be a header"),
                "send it in the query (remove `location: header`), where the client fills it when the caller leaves it out",
            );
        }
        if f.required && role != Role::Request {
            self.error(
                &path.key("required"),
                "`required` is for request parameters only",
                "remove it: response fields are all optional",
            );
        }
        if role == Role::Request {
            if let Type::Shape(s) = ty.item() {
                self.request_shapes.insert(s.clone());
            }
        }
        if let Some(Some(default)) = &f.default {
            if let (Type::Scalar(ScalarType::Integer | ScalarType::Long), Ok(d)) =
                (&ty, default.text().parse::<i64>())
            {
                if limits.min.is_some_and(|m| d < m) || limits.max.is_some_and(|m| d > m) {
                    self.error(
                        &path.key("default"),
                        format!("default {d} is outside the limits"),
                        "correct the default or the limits",
                    );
                }
            }
        }
        if type_name == "array" && f.format.is_some() {
            self.error(
                &path.key("format"),
                "`format` on a list",
                "move it into `items:` (`items: {type: integer, format: int64}`)",
            );
        }
        let deprecated = self.deprecation(f.deprecated.as_ref(), &path.key("deprecated"));
        if f.secret && ty != Type::Scalar(ScalarType::String) {
            self.error(
                &path.key("secret"),
                format!("`secret: true` on `{wire_name}`, which is not of type string"),
                "mark only string fields as secret (a password, a key secret, a token); a list, a number or a value with `values:` cannot be one",
            );
        }
        Some(Field {
            secret: f.secret,
            // Known once every shape is: `shapes::mark_secret_holders`.
            holds_secret: false,
            deprecated,
            wire_name,
            rust_name,
            ty,
            required: f.required,
            description,
            example: f.example.clone().flatten().map(|e| e.text()),
            default: f.default.clone().flatten().map(|e| e.text()),
            location,
            style,
            wrapper: f.wrapper.clone(),
            idempotency_token: f.idempotency_token,
            limits,
            item_limits,
            values,
            notes,
            boxed: false,
        })
    }
}

fn doc_values(values: &[ValueSpec]) -> Vec<DocValue> {
    values
        .iter()
        .map(|v| DocValue {
            value: v.value.text(),
            description: v.description.clone(),
        })
        .collect()
}
