//! One metadata schema (a parameter's, a property's, an item's) to the spec's field keys: type
//! and width, items, shapes for objects, maps, limits, valid values, example and default. Where
//! the metadata leaves a choice to a person, a `Review:` note says so.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use serde_yaml::{Mapping, Value as Yaml};

use super::error::{At, ImportError};
use super::names::{Kind, TypeNames};
use super::notes::{Notes, ReviewKind};
use crate::naming;

/// Whether a schema is read for a request parameter or for a response field: a request's
/// objects are sent, a response's are decoded, and only a response has wrapped lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Role {
    /// A request parameter or a field of a request shape.
    Request,
    /// A response field or a field of a response shape.
    Response,
}

/// What reading schemas needs: the type names declared so far, the product's shared schemas,
/// and the notes of the operation being read.
pub(crate) struct SchemaReader<'a, 'n> {
    /// Types declared so far.
    pub names: &'n mut TypeNames,
    /// `components.schemas`, for `$ref`.
    pub components: Option<&'a serde_json::Map<String, Value>>,
    /// The operation being read (prefix of names taken by another type).
    pub action: &'a str,
    /// The notes counted so far.
    pub notes: &'n mut Notes,
    /// The `$ref`s being followed, to refuse a cycle.
    pub following: Vec<String>,
    /// The wire names from the parameter or response field down to the field being read.
    pub trail: Vec<String>,
    /// Where the fields marked secret are (`RunInstances request Password`), in reading order.
    pub secrets: Vec<String>,
    /// What each `$ref` already became, by name and side: a schema reached through many paths
    /// is read once (read again at every use, 16 levels of two references took 46 s).
    pub expanded: BTreeMap<(String, Role), Expanded>,
}

/// A `$ref` read once: what it mapped to and the secrets found under it, relative to it.
#[derive(Clone)]
pub(crate) struct Expanded {
    mapped: Mapped,
    secrets: Vec<String>,
}

/// What a schema became: the keys of a field, ready for a field mapping.
#[derive(Clone)]
pub(crate) struct Mapped {
    /// `type`, `format`, `items`, `limits`, `values`, `enum`, `example`, `default`,
    /// `description`, `wrapper`.
    pub keys: Mapping,
    /// Notes for the field.
    pub notes: Vec<String>,
    /// The JSON type the metadata gave (`string`, `array`, `object`...), for the wire style.
    pub json_type: String,
    /// For arrays: whether the items are objects.
    pub object_items: bool,
    /// An object without properties, typed as a map of strings in a request (where a flat map
    /// is what the official SDKs write for it); a parameter sent as JSON retypes it as `json`.
    pub free_object: bool,
}

impl<'a> SchemaReader<'a, '_> {
    /// Maps the schema of the field `wire`, with `wire` on the trail while it is read.
    pub fn map_field(
        &mut self,
        wire: &str,
        schema: &Value,
        at: &At<'_>,
        role: Role,
    ) -> Result<Mapped, ImportError> {
        self.trail.push(wire.to_owned());
        let mapped = self.map(wire, schema, at, role);
        self.trail.pop();
        mapped
    }

    /// Marks `field` (named `wire`, mapped as `mapped_type`) `secret: true` when its name says it
    /// holds a secret ([`super::secrets`]) and it is a string without valid values, and records
    /// where it is.
    pub fn mark_secret(&mut self, field: &mut Mapping, wire: &str, mapped_type: &str, role: Role) {
        if mapped_type != "string"
            || field.contains_key("enum")
            || field.contains_key("values")
            || !super::secrets::names_a_secret(wire)
        {
            return;
        }
        field.insert("secret".into(), true.into());
        let side = match role {
            Role::Request => "request",
            Role::Response => "response",
        };
        let mut path = self.trail.clone();
        path.push(wire.to_owned());
        self.secrets
            .push(format!("{} {side} {}", self.action, path.join(".")));
    }

    /// Follows a `$ref` (`#/components/schemas/Name`); returns the schema and the name.
    fn resolve<'s>(
        &mut self,
        schema: &'s Value,
        at: &At<'_>,
    ) -> Result<(&'s Value, Option<String>), ImportError>
    where
        'a: 's,
    {
        let Some(reference) = schema.get("$ref") else {
            return Ok((schema, None));
        };
        let Some(reference) = reference.as_str() else {
            return Err(at.key("$ref").error(
                "`$ref` is not text",
                "write `\"$ref\": \"#/components/schemas/Name\"`",
            ));
        };
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            return Err(at.key("$ref").error(
                format!("`$ref` `{reference}` does not point into `components.schemas`"),
                "point it at `#/components/schemas/<Name>`",
            ));
        };
        match self.components.and_then(|c| c.get(name)) {
            Some(target) => Ok((target, Some(name.to_owned()))),
            None => Err(at.key("$ref").error(
                format!(
                    "`$ref` `{reference}` points to nothing: `components.schemas` has no `{name}`"
                ),
                "add the schema under `components.schemas`, or fix the name",
            )),
        }
    }

    /// The text of `schema`'s `$ref` when it names no schema of the metadata (a name
    /// `components.schemas` lacks, or a place outside it).
    pub(crate) fn missing_ref<'s>(&self, schema: &'s Value) -> Option<&'s str> {
        let reference = schema.get("$ref")?.as_str()?;
        let found = reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| self.components?.get(name));
        found.is_none().then_some(reference)
    }

    /// The fallback for a `$ref` to a schema the metadata lacks: a `$ref` names an object, whose
    /// fields are unknown, so it is carried as a map of strings (as an object that contains
    /// itself is where it recurs), with a note.
    fn unresolved(&mut self, reference: &str, schema: &Value) -> Mapped {
        let mut keys = Mapping::new();
        keys.insert("type".into(), "map".into());
        keys.insert("items".into(), "string".into());
        if let Some(d) = text(schema, "description") {
            keys.insert("description".into(), d.into());
        }
        let note = self.notes.review(
            ReviewKind::MissingSchema,
            &format!(
                "the metadata's `$ref` `{reference}` names no schema it has; the value is typed as a map of strings: give its type"
            ),
        );
        Mapped {
            keys,
            notes: vec![note],
            json_type: "object".to_owned(),
            object_items: false,
            // An object whose fields are unknown, as one without properties: a parameter sent as
            // JSON retypes it as `json`.
            free_object: true,
        }
    }

    /// Maps one schema. A `$ref` is read once per side and reused; one that contains itself
    /// (a query holding sub-queries) is cut where it comes round again, with a note.
    pub fn map(
        &mut self,
        wire: &str,
        schema: &Value,
        at: &At<'_>,
        role: Role,
    ) -> Result<Mapped, ImportError> {
        if let Some(reference) = self.missing_ref(schema) {
            return Ok(self.unresolved(reference, schema));
        }
        let (resolved, ref_name) = self.resolve(schema, at)?;
        let Some(name) = ref_name else {
            return self.map_resolved(wire, schema, resolved, None, at, role);
        };
        if self.following.contains(&name) {
            return Ok(self.recursion(&name, schema));
        }
        let key = (name.clone(), role);
        let expanded = match self.expanded.get(&key) {
            Some(done) => done.clone(),
            None => {
                self.following.push(name.clone());
                let secrets_before = self.secrets.len();
                let result = self.map_resolved(wire, schema, resolved, Some(&name), at, role);
                self.following.pop();
                let mapped = result?;
                let depth = self.trail.len();
                let secrets = self.secrets[secrets_before..]
                    .iter()
                    .map(|s| relative_secret(s, depth))
                    .collect();
                let done = Expanded { mapped, secrets };
                self.expanded.insert(key, done.clone());
                // Found here, under this trail; a later use lists them under its own.
                return Ok(done.mapped);
            }
        };
        for secret in &expanded.secrets {
            let mut path = self.trail.clone();
            path.push(secret.clone());
            self.secrets.push(format!(
                "{} {} {}",
                self.action,
                match role {
                    Role::Request => "request",
                    Role::Response => "response",
                },
                path.join(".")
            ));
        }
        let mut mapped = expanded.mapped;
        // The referring schema's own description wins over the referred one's, as on first use.
        if let Some(d) = text(schema, "description") {
            mapped.keys.insert("description".into(), d.into());
        }
        Ok(mapped)
    }

    /// The fallback for a `$ref` met again inside itself: the spec cannot name a shape before its
    /// fields are known, so the inner occurrence is `json`, which carries the rest of the
    /// recursion whole, with a note.
    fn recursion(&mut self, name: &str, schema: &Value) -> Mapped {
        let mut keys = Mapping::new();
        keys.insert("type".into(), "json".into());
        if let Some(d) = text(schema, "description") {
            keys.insert("description".into(), d.into());
        }
        let note = self.notes.review(
            ReviewKind::Recursive,
            &format!(
                "the metadata's schema `{name}` contains itself ({} -> {name}); here, where it comes round again, it is typed as `json` (any JSON value), which keeps the rest of it whole: declare the field with the shape's own name (or a list of it) to have it typed",
                self.following.join(" -> ")
            ),
        );
        Mapped {
            keys,
            notes: vec![note],
            json_type: "json".to_owned(),
            object_items: false,
            free_object: false,
        }
    }

    fn map_resolved(
        &mut self,
        wire: &str,
        original: &Value,
        schema: &Value,
        ref_name: Option<&str>,
        at: &At<'_>,
        role: Role,
    ) -> Result<Mapped, ImportError> {
        if !schema.is_object() {
            return Err(at.error(
                "a schema that is not an object",
                "give the schema as `{\"type\": ...}`",
            ));
        }
        let mut keys = Mapping::new();
        let mut notes = Vec::new();
        let ty = schema
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_else(|| {
                if schema.get("properties").is_some() {
                    "object"
                } else {
                    ""
                }
            });
        let format = schema.get("format").and_then(Value::as_str);
        let mut object_items = false;
        let mut free_object = false;
        match ty {
            "string" | "boolean" => {
                keys.insert("type".into(), ty.into());
                if let (Some(f), "string") = (format, ty) {
                    notes.push(format!("The metadata gives the format `{f}`."));
                }
            }
            "integer" | "number" => {
                keys.insert("type".into(), ty.into());
                match (ty, format) {
                    (_, None) => {}
                    ("integer", Some(f @ ("int32" | "int64")))
                    | ("number", Some(f @ ("float" | "double"))) => {
                        keys.insert("format".into(), f.into());
                    }
                    (_, Some(other)) => {
                        return Err(at.key("format").error(
                            format!("format `{other}` on a `{ty}`"),
                            "an integer takes `int32` or `int64`, a number `float` or `double`",
                        ));
                    }
                }
            }
            "array" => {
                keys.insert("type".into(), "array".into());
                let Some(items) = schema.get("items") else {
                    return Err(at.error(
                        "an array without `items`",
                        "give the items' schema under `items`",
                    ));
                };
                let item_at = at.key("items");
                // Items of a schema the metadata lacks are maps ([`Self::unresolved`]).
                let item_type = if self.missing_ref(items).is_some() {
                    "object"
                } else {
                    let (item_schema, _) = self.resolve(items, &item_at)?;
                    item_schema
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("object")
                };
                if item_type == "array" {
                    return Ok(self.uncarried("a list of lists", schema, original));
                }
                object_items = item_type == "object";
                let item = self.map(&singular(wire), items, &item_at, role)?;
                if item.keys.get("type").and_then(Yaml::as_str) == Some("map") {
                    // The spec's items are a type name or a scalar's mapping, never a map.
                    let mut fallback =
                        self.uncarried("a list of objects without properties", schema, original);
                    fallback.notes.extend(item.notes);
                    return Ok(fallback);
                }
                keys.insert("items".into(), items_value(item.keys));
                notes.extend(item.notes);
            }
            "object" => {
                let properties = schema.get("properties").and_then(Value::as_object);
                let additional = schema.get("additionalProperties").filter(|v| v.is_object());
                match (properties, additional) {
                    (Some(props), _) if !props.is_empty() => {
                        let (fields, object_notes) =
                            self.fields(props, &at.key("properties"), role)?;
                        notes.extend(object_notes);
                        let preferred = ref_name.unwrap_or(wire);
                        let description = text(schema, "description");
                        let name = self.names.shape(
                            preferred,
                            self.action,
                            role == Role::Response,
                            description.as_deref(),
                            fields,
                        );
                        keys.insert("type".into(), name.into());
                    }
                    (_, Some(values)) => {
                        let item_at = at.key("additionalProperties");
                        let item = self.map(&singular(wire), values, &item_at, role)?;
                        let item_ty = item.keys.get("type").and_then(Yaml::as_str).unwrap_or("");
                        if item_ty == "array" || item_ty == "map" {
                            return Ok(self.uncarried("a map of lists or maps", schema, original));
                        }
                        keys.insert("type".into(), "map".into());
                        keys.insert("items".into(), items_value(item.keys));
                        notes.extend(item.notes);
                    }
                    // An object with no declared keys: its values may be of any type. A response
                    // keeps it whole.
                    _ if role == Role::Response => {
                        keys.insert("type".into(), "json".into());
                        notes.push(
                            self.notes
                                .review(ReviewKind::FreeObject, FREE_OBJECT_AS_JSON),
                        );
                    }
                    // A request sends what the caller gives: as a map of strings it is written
                    // flat (`Name.key=value`), as the official SDKs write it.
                    _ => {
                        keys.insert("type".into(), "map".into());
                        keys.insert("items".into(), "string".into());
                        free_object = true;
                        notes.push(self.notes.review(
                            ReviewKind::FreeObject,
                            "the metadata declares an object with no properties; it is typed as a map of strings, sent flat (`Name.key=value`): give its fields or the values' type",
                        ));
                    }
                }
            }
            "" => {
                return Err(at.error(
                    "a schema without `type`",
                    "give `type`: string, integer, number, boolean, array or object",
                ));
            }
            other => {
                // `any` (63 catalogue schemas) and the like: a value of any JSON type.
                return Ok(self.uncarried(&format!("the type `{other}`"), schema, original));
            }
        }
        let description = text(original, "description").or_else(|| text(schema, "description"));
        if let Some(d) = description.as_deref().or(text(schema, "title").as_deref()) {
            if !d.trim().is_empty() {
                keys.insert("description".into(), d.trim().to_owned().into());
            }
        }
        if let Some(e) = scalar_text(schema.get("example")) {
            keys.insert("example".into(), e.into());
        }
        if let Some(d) = scalar_text(schema.get("default")) {
            keys.insert("default".into(), d.into());
        }
        let mut limits = limits(schema, &mut notes, self.notes);
        // A limit the metadata gives on a type it does not fit (item counts on a string) cannot
        // be checked; it is kept as a note.
        let fits: &[&str] = match ty {
            "string" => &["min_length", "max_length"],
            "integer" | "number" => &["min", "max"],
            "array" => &["min_items", "max_items"],
            _ => &[],
        };
        let misfits: Vec<String> = limits
            .keys()
            .filter_map(Yaml::as_str)
            .filter(|k| !fits.contains(k))
            .map(str::to_owned)
            .collect();
        for k in misfits {
            if let Some(v) = limits.remove(k.as_str()) {
                let shown = serde_yaml::to_string(&v).unwrap_or_default();
                notes.push(format!(
                    "The metadata gives `{k}: {}` on a `{ty}`, where it does not apply.",
                    shown.trim()
                ));
            }
        }
        if !limits.is_empty() {
            keys.insert("limits".into(), Yaml::Mapping(limits));
        }
        match schema.get("enum") {
            // Valid values on a list or an object (3 catalogue files) bound nothing the spec can
            // check: they stay documentation.
            Some(values) if matches!(ty, "array" | "object") => {
                notes.push(format!(
                    "The metadata gives the valid values {values} on this {ty}, which the SDK does not check."
                ));
            }
            Some(values) => {
                self.values(wire, ty, values, &at.key("enum"), &mut keys, &mut notes)?;
            }
            None => {}
        }
        if let Some(p) = schema.get("pattern").and_then(Value::as_str) {
            notes.push(format!(
                "The metadata gives the pattern `{p}`, which the SDK does not check."
            ));
        }
        if schema.get("deprecated").and_then(Value::as_bool) == Some(true) {
            keys.insert("deprecated".into(), super::deprecation::UNKNOWN.into());
        }
        if ty == "string" && role == Role::Request && holds_list(wire, description.as_deref()) {
            notes.push(self.notes.review(
                ReviewKind::ListInString,
                "the name or description says this string holds several values: if it is a JSON array or a comma list, make it `type: array` with `style: json` or `style: comma`",
            ));
        }
        let json_type = if keys_are_json(&keys) { "json" } else { ty };
        Ok(Mapped {
            json_type: json_type.to_owned(),
            keys,
            notes,
            object_items,
            free_object,
        })
    }

    /// The fallback for a schema the spec format cannot type: `json`, which holds any JSON value
    /// whole, with a note saying what the metadata gave.
    fn uncarried(&mut self, what: &str, schema: &Value, original: &Value) -> Mapped {
        let mut keys = Mapping::new();
        keys.insert("type".into(), "json".into());
        if let Some(d) = text(original, "description").or_else(|| text(schema, "description")) {
            keys.insert("description".into(), d.into());
        }
        let note = self.notes.review(
            ReviewKind::Uncarried,
            &format!(
                "the metadata gives {what}, which the spec format cannot type; it is typed as `json` (any JSON value), which keeps it whole: give it a type the spec can hold if its shape is known"
            ),
        );
        Mapped {
            keys,
            notes: vec![note],
            json_type: "json".to_owned(),
            object_items: false,
            free_object: false,
        }
    }

    /// Valid values: an open enum for strings (named in the product's namespace), plain values
    /// for numbers and booleans.
    fn values(
        &mut self,
        wire: &str,
        ty: &str,
        values: &Value,
        at: &At<'_>,
        keys: &mut Mapping,
        notes: &mut Vec<String>,
    ) -> Result<(), ImportError> {
        let Some(list) = values.as_array() else {
            return Err(at.error("`enum` is not a list", "give the valid values as a list"));
        };
        let mut out = Vec::new();
        // Each Rust name taken, and the value that took it.
        let mut variants: std::collections::BTreeMap<String, String> =
            std::collections::BTreeMap::new();
        let mut seen = BTreeSet::new();
        for (i, v) in list.iter().enumerate() {
            let Some(text) = scalar_text(Some(v)) else {
                return Err(at.index(i).error(
                    "a valid value that is not a scalar",
                    "give each valid value as text or a number",
                ));
            };
            if !seen.insert(text.clone()) {
                continue;
            }
            let mut entry = Mapping::new();
            entry.insert("value".into(), text.clone().into());
            if ty == "string" {
                let variant = naming::type_name(&text);
                let nameless = !text.is_empty() && !naming::has_identifier_material(&text);
                let why = if nameless {
                    Some("has no letters or digits to make a Rust name of".to_owned())
                } else if let Some(first) = variants.get(&variant) {
                    Some(format!(
                        "makes the same Rust name as `{first}` (`{variant}`)"
                    ))
                } else if variant == "Unknown" || variant == "VALUES" {
                    Some(format!(
                        "makes `{variant}`, a name the generated enum holds itself"
                    ))
                } else {
                    None
                };
                match why {
                    Some(why) => {
                        let name = if naming::has_identifier_material(&text) {
                            format!("{variant}V{}", i + 1)
                        } else {
                            format!("Value{}", i + 1)
                        };
                        variants.insert(name.clone(), text.clone());
                        notes.push(self.notes.review(
                            ReviewKind::NameClash,
                            &format!("the value `{text}` {why}; it is named `{name}` by its position: name it in the written spec if another name says more"),
                        ));
                        entry.insert("name".into(), name.into());
                    }
                    None => {
                        variants.insert(variant, text.clone());
                    }
                }
            }
            out.push(Yaml::Mapping(entry));
        }
        if out.is_empty() {
            return Ok(());
        }
        if ty == "string" {
            let signature = serde_yaml::to_string(&out).unwrap_or_default();
            let name = self
                .names
                .claim(Kind::Enum, wire, self.action, "", &signature);
            keys.insert("values".into(), Yaml::Sequence(out));
            keys.insert("enum".into(), name.into());
        } else {
            keys.insert("values".into(), Yaml::Sequence(out));
        }
        Ok(())
    }

    /// The fields of an object's `properties`, in name order, with Rust names given where two
    /// wire names would make one; and the notes on the object itself (a property left out),
    /// for whatever holds it.
    pub fn fields(
        &mut self,
        props: &serde_json::Map<String, Value>,
        at: &At<'_>,
        role: Role,
    ) -> Result<(Vec<Yaml>, Vec<String>), ImportError> {
        let mut names: Vec<&String> = props.keys().collect();
        names.sort();
        let mut taken = BTreeSet::new();
        let mut out = Vec::new();
        let mut object_notes = Vec::new();
        for name in names {
            // A field is found on the wire by its name: one without is no field a body can hold.
            if name.trim().is_empty() {
                object_notes.push(self.notes.review(
                    ReviewKind::BadName,
                    &format!(
                        "the metadata gives a field without a name ({}); it was left out",
                        at.key(name).path
                    ),
                ));
                continue;
            }
            let schema = &props[name];
            let here = at.key(name);
            let wrapped = if role == Role::Response {
                self.wrapped_list(schema, &here)?
            } else {
                None
            };
            let mut mapped = match &wrapped {
                Some((inner, list, list_at)) => {
                    self.trail.push(name.clone());
                    let mapped = self.map(inner, list, list_at, role);
                    self.trail.pop();
                    let mut mapped = mapped?;
                    // A list the spec cannot carry falls back to a text, which has no wrapper.
                    if mapped.json_type == "array" {
                        mapped.keys.insert("wrapper".into(), inner.clone().into());
                    }
                    mapped
                }
                None => self.map_field(name, schema, &here, role)?,
            };
            if wrapped.is_some() {
                if let Some(d) = text(schema, "description") {
                    mapped.keys.insert("description".into(), d.into());
                }
            }
            let mut field = Mapping::new();
            field.insert("name".into(), name.clone().into());
            let mut notes = mapped.notes;
            if let Some(rust) = rust_name_for(name, &mut taken) {
                field.insert("rust_name".into(), rust.into());
                notes.push(self.notes.review(
                    ReviewKind::NameClash,
                    "another field of this object has the same Rust name (the wire names differ only in case or punctuation); its Rust name was made from how the wire spells it",
                ));
            }
            let required = schema.get("required").and_then(Value::as_bool) == Some(true);
            put_keys(&mut field, mapped.keys);
            self.mark_secret(&mut field, name, &mapped.json_type, role);
            if required && role == Role::Request {
                // A shape's fields carry no `required:`; the SDK checks only top-level ones.
                notes.push("The metadata marks this field required.".to_owned());
            }
            if !notes.is_empty() {
                field.insert(
                    "notes".into(),
                    Yaml::Sequence(notes.into_iter().map(Yaml::from).collect()),
                );
            }
            out.push(Yaml::Mapping(field));
        }
        Ok((out, object_notes))
    }
}

impl<'a> SchemaReader<'a, '_> {
    /// A wrapper object (`{"Images": {"Image": [...]}}`): an object whose one property is a
    /// list. Returns the inner key, the list's schema and where it is.
    fn wrapped_list<'s>(
        &mut self,
        schema: &'s Value,
        at: &At<'s>,
    ) -> Result<Option<(String, &'s Value, At<'s>)>, ImportError>
    where
        'a: 's,
    {
        if self.missing_ref(schema).is_some() {
            return Ok(None);
        }
        let (resolved, _) = self.resolve(schema, at)?;
        let Some(props) = resolved.get("properties").and_then(Value::as_object) else {
            return Ok(None);
        };
        if props.len() != 1 {
            return Ok(None);
        }
        let Some((inner, list)) = props.iter().next() else {
            return Ok(None);
        };
        let list_at = at.key("properties").key(inner);
        if self.missing_ref(list).is_some() {
            return Ok(None);
        }
        let (list_resolved, _) = self.resolve(list, &list_at)?;
        if list_resolved.get("type").and_then(Value::as_str) != Some("array") {
            return Ok(None);
        }
        if !self.names.wrapper(inner) {
            // Another spelling of the key is a wrapper already; this one stays an object.
            return Ok(None);
        }
        Ok(Some((inner.clone(), list, list_at)))
    }
}

/// A Rust name for `wire` when its derived one is already taken by a sibling (or it has no
/// letters to derive one from); `None` when the derived name is free.
pub(crate) fn rust_name_for(wire: &str, taken: &mut BTreeSet<String>) -> Option<String> {
    let derived = naming::bare(&naming::field_name(wire)).to_owned();
    if naming::has_identifier_material(wire) && taken.insert(derived.clone()) {
        return None;
    }
    let base = if naming::has_identifier_material(wire) {
        derived
    } else {
        "field".to_owned()
    };
    // Named from how the wire spells it (`key` beside `Key`: `key_lowercase`), so that no name
    // says only where the field came in the list.
    let letters: Vec<char> = wire.chars().filter(|c| c.is_alphabetic()).collect();
    let mut candidates = Vec::new();
    if !letters.is_empty() && letters.iter().all(|c| c.is_lowercase()) {
        candidates.push(format!("{base}_lowercase"));
    }
    if !letters.is_empty() && letters.iter().all(|c| c.is_uppercase()) {
        candidates.push(format!("{base}_uppercase"));
    }
    let spelled: String = wire
        .chars()
        .map(|c| match c {
            '.' => "_dot_".to_owned(),
            '-' => "_dash_".to_owned(),
            ':' => "_colon_".to_owned(),
            '/' => "_slash_".to_owned(),
            c if c.is_ascii_alphanumeric() || c == '_' => c.to_ascii_lowercase().to_string(),
            _ => "_".to_owned(),
        })
        .collect();
    candidates.push(format!("{base}_as_{}", spelled.trim_matches('_')));
    candidates
        .into_iter()
        .filter(|c| naming::is_valid_ident(c))
        .find(|candidate| taken.insert(candidate.clone()))
        // Only a wire name spelled the same way twice gets here, and the import keeps just one
        // of those.
        .or_else(|| {
            (2..)
                .map(|n| format!("{base}_{n}"))
                .find(|candidate| taken.insert(candidate.clone()))
        })
}

/// The note on an object without properties typed `json`.
pub(crate) const FREE_OBJECT_AS_JSON: &str = "the metadata declares an object with no properties; it is typed as `json` (any JSON value), which keeps it whole: give its fields or the values' type if they are known";

/// Whether mapped keys hold `json` values: `type: json`, or a list or map of them. Such a value
/// has one form on the wire, its JSON text.
pub(crate) fn keys_are_json(keys: &Mapping) -> bool {
    let is_json = |v: Option<&Yaml>| v.and_then(Yaml::as_str) == Some("json");
    let items = keys.get("items");
    is_json(keys.get("type")) || is_json(items) || is_json(items.and_then(|i| i.get("type")))
}

/// Writes the mapped keys into a field in the spec's order.
pub(crate) fn put_keys(field: &mut Mapping, keys: Mapping) {
    for (k, v) in keys {
        field.insert(k, v);
    }
}

/// `items:` as a bare type name when nothing else is said of the items, else the mapping.
fn items_value(keys: Mapping) -> Yaml {
    if keys.len() == 1 {
        if let Some(ty) = keys.get("type") {
            return ty.clone();
        }
    }
    let mut out = Mapping::new();
    for (k, v) in keys {
        // The spec's items carry no default or deprecation of their own.
        if matches!(k.as_str(), Some("default" | "deprecated" | "wrapper")) {
            continue;
        }
        out.insert(k, v);
    }
    Yaml::Mapping(out)
}

/// The documented limits, each a whole number as the spec holds it (integers end to end: a
/// 64-bit bound such as `9223372036854775807` or `"9999999999999999"` read through `f64` would
/// come out another number). A limit that cannot hold (not a whole number, beyond 64 bits, a
/// count of 0 items, a lower bound above the upper) is left out with a note: the service checks
/// it all the same.
fn limits(schema: &Value, notes: &mut Vec<String>, review: &mut Notes) -> Mapping {
    let mut out = Mapping::new();
    let mut bounds: BTreeMap<&str, i128> = BTreeMap::new();
    for (from, to, count) in [
        ("minLength", "min_length", true),
        ("maxLength", "max_length", true),
        ("minimum", "min", false),
        ("maximum", "max", false),
        ("minItems", "min_items", true),
        ("maxItems", "max_items", true),
    ] {
        let Some(v) = schema.get(from) else { continue };
        let shown = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let why = match whole_number(v) {
            Some(n) if count && n < 0 => "a count below 0",
            Some(n) if count && u64::try_from(n).is_err() => "a count beyond 64 bits",
            Some(n) if !count && i64::try_from(n).is_err() => "beyond a 64-bit integer",
            Some(0) if to == "max_items" => "a list that could never be sent",
            Some(n) => {
                bounds.insert(to, n);
                continue;
            }
            None => "not a whole number",
        };
        notes.push(review.review(
            ReviewKind::Limit,
            &format!("the metadata gives `{from}: {shown}`, {why}; the limit is left out"),
        ));
    }
    for (lo, hi) in [
        ("min_length", "max_length"),
        ("min", "max"),
        ("min_items", "max_items"),
    ] {
        if let (Some(l), Some(h)) = (bounds.get(lo), bounds.get(hi)) {
            if l > h {
                notes.push(review.review(
                    ReviewKind::Limit,
                    &format!("the metadata's lower bound {l} is above its upper bound {h}; both are left out"),
                ));
                bounds.remove(lo);
                bounds.remove(hi);
            }
        }
    }
    for key in [
        "min_length",
        "max_length",
        "min",
        "max",
        "min_items",
        "max_items",
    ] {
        let Some(&n) = bounds.get(key) else { continue };
        let value = match (i64::try_from(n), u64::try_from(n)) {
            (Ok(i), _) => Yaml::from(i),
            (_, Ok(u)) => Yaml::from(u),
            _ => continue,
        };
        out.insert(key.into(), value);
    }
    out
}

/// A limit as a whole number, read without `f64` (`"10"`, `10`, `"9223372036854775807"`,
/// `1.0e3` when whole); `None` for anything else.
fn whole_number(v: &Value) -> Option<i128> {
    let text = match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                return Some(i128::from(i));
            }
            if let Some(u) = n.as_u64() {
                return Some(i128::from(u));
            }
            n.to_string()
        }
        Value::String(s) => s.trim().to_owned(),
        _ => return None,
    };
    if let Ok(n) = text.parse::<i128>() {
        return Some(n);
    }
    // `100.0` or `1e3`: whole, and small enough that `f64` holds it exactly.
    let f = text.parse::<f64>().ok()?;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i128)
}

/// A schema's text key, if it is non-empty text.
pub(crate) fn text(schema: &Value, key: &str) -> Option<String> {
    schema
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A scalar as the text the spec keeps.
fn scalar_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A secret's entry (`Action side A.B.C`) as a path below the field at trail depth `depth`.
fn relative_secret(entry: &str, depth: usize) -> String {
    let path = entry.splitn(3, ' ').nth(2).unwrap_or(entry);
    path.split('.').skip(depth).collect::<Vec<_>>().join(".")
}

/// The item name of a list (`Tags` -> `Tag`), for the shape or enum of its items.
fn singular(wire: &str) -> String {
    wire.strip_suffix("List")
        .filter(|s| !s.is_empty())
        .or_else(|| {
            wire.strip_suffix("ies")
                .filter(|s| !s.is_empty())
                .map(|_| wire)
        })
        .map(str::to_owned)
        .unwrap_or_else(|| match wire.strip_suffix('s') {
            Some(s) if !s.is_empty() && !s.ends_with('s') => s.to_owned(),
            _ => wire.to_owned(),
        })
}

/// Whether a string parameter's name or description says it holds several values.
fn holds_list(wire: &str, description: Option<&str>) -> bool {
    let named = ["Ids", "Names", "IdList", "Ips"]
        .iter()
        .any(|s| wire.ends_with(s));
    let described = description.is_some_and(|d| {
        let d = d.to_ascii_lowercase();
        d.contains("json array")
            || d.contains("json string")
            || d.contains("separated by comma")
            || d.contains("comma-separated")
            || d.contains('\u{9017}')
    });
    named || described
}
