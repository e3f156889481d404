//! One request parameter of the metadata (`{name, in, style, schema}`) to a request field of the
//! spec: wire name, placement, wire style, and what the schema maps to.

use std::collections::BTreeSet;

use serde_json::Value;
use serde_yaml::{Mapping, Value as Yaml};

use super::error::{At, ImportError};
use super::schema::{Role, SchemaReader, keys_are_json, put_keys, rust_name_for};

/// The spec's `location:` for the metadata's `in`; `None` for the default, the query.
fn location(at: &At<'_>, placement: Option<&str>) -> Result<Option<&'static str>, ImportError> {
    match placement {
        None | Some("query") => Ok(None),
        Some("formData" | "body") => Ok(Some("body")),
        Some("header") => Ok(Some("header")),
        Some(other) => Err(at.key("in").error(
            format!("placement `in: {other}` is not supported"),
            "the SDK sends parameters in the query, the form body or a header (`query`, `formData`, `body`, `header`)",
        )),
    }
}

/// The wire name of a header parameter that takes the name of a header the client or the
/// signature sets (`Content-Type`), and that header; `None` for every other parameter.
pub(crate) fn reserved_header(param: &Value) -> Option<(&str, &'static str)> {
    if param.get("in").and_then(Value::as_str) != Some("header") {
        return None;
    }
    let name = param.get("name").and_then(Value::as_str)?;
    crate::model::reserved_header(name).map(|reserved| (name, reserved))
}

/// A header parameter's name that HTTP does not take as a header name (a space, a colon, a
/// letter beyond ASCII): the request could not carry it.
pub(crate) fn bad_header_name(param: &Value) -> Option<&str> {
    if param.get("in").and_then(Value::as_str) != Some("header") {
        return None;
    }
    let name = param.get("name").and_then(Value::as_str)?;
    // RFC 9110's token, as validation holds a header name to.
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    (name.is_empty() || !name.chars().all(token)).then_some(name)
}

/// The spec's `style:` for the metadata's `style` on a value of JSON type `json_type`; `None`
/// where the spec's default is the same.
fn style(
    at: &At<'_>,
    given: Option<&str>,
    json_type: &str,
    map: bool,
    object_items: bool,
) -> Result<Option<&'static str>, ImportError> {
    let container = json_type == "array" || json_type == "object";
    Ok(match given {
        None => None,
        Some(_) if !container => None,
        Some("repeatList" | "flat") if json_type == "array" && !object_items => Some("repeat_list"),
        Some("repeatList" | "flat") => Some("flat"),
        Some("json") => Some("json"),
        Some("simple") if json_type == "array" && !object_items && !map => Some("comma"),
        Some("simple") => {
            return Err(at.key("style").error(
                "style `simple` on an object or a list of objects",
                "`simple` joins a list of scalars with commas; give `flat` or `json` for objects",
            ));
        }
        Some(other) => {
            return Err(at.key("style").error(
                format!("unknown style `{other}`"),
                "the metadata's styles are `repeatList`, `flat`, `json` and `simple`",
            ));
        }
    })
}

/// Maps the parameter at `at`; `taken` holds the Rust names of the parameters before it.
pub(crate) fn parameter(
    reader: &mut SchemaReader<'_, '_>,
    param: &Value,
    at: &At<'_>,
    taken: &mut BTreeSet<String>,
) -> Result<Yaml, ImportError> {
    let Some(name) = param
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
    else {
        return Err(at.error(
            "a parameter without a `name`",
            "give each parameter its wire name under `name`",
        ));
    };
    let Some(schema) = param.get("schema") else {
        return Err(at.error(
            format!("parameter `{name}` has no `schema`"),
            "give its type under `schema`",
        ));
    };
    let placement = param.get("in").map(|v| v.as_str().ok_or(()));
    let placement = match placement {
        Some(Err(())) => {
            return Err(at
                .key("in")
                .error("`in` is not text", "write `\"in\": \"query\"`"));
        }
        Some(Ok(p)) => Some(p),
        None => None,
    };
    let location = location(at, placement)?;
    let given_style = match param.get("style") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => {
            return Err(at
                .key("style")
                .error("`style` is not text", "write `\"style\": \"repeatList\"`"));
        }
    };
    let mut mapped = reader.map_field(name, schema, &at.key("schema"), Role::Request)?;
    if mapped.free_object && given_style == Some("json") {
        // Sent as one JSON text, an object of any values is any JSON value.
        mapped.keys.insert("type".into(), "json".into());
        mapped.keys.remove("items");
        mapped.json_type = "json".to_owned();
        mapped
            .notes
            .retain(|n| !n.contains("typed as a map of strings, sent flat"));
        mapped.notes.push(reader.notes.review(
            super::notes::ReviewKind::FreeObject,
            super::schema::FREE_OBJECT_AS_JSON,
        ));
    }
    let mut json_style_note = None;
    if keys_are_json(&mapped.keys) {
        // A `json` value has one form on the wire, its JSON text (the style's default).
        if let Some(other @ ("repeatList" | "flat" | "simple")) = given_style {
            json_style_note = Some(reader.notes.review(
                super::notes::ReviewKind::Uncarried,
                &format!("the metadata sends this value `{other}`, which the SDK cannot write for a `json` value: it is sent as one JSON text; check that the service reads it so, or give it a type the `{other}` style can write"),
            ));
        }
    }
    let given_style = if keys_are_json(&mapped.keys) {
        None
    } else {
        given_style
    };
    let is_map = mapped.keys.get("type").and_then(Yaml::as_str) == Some("map");
    let style = style(
        at,
        given_style,
        &mapped.json_type,
        is_map,
        mapped.object_items,
    )?;
    let required = schema.get("required").and_then(Value::as_bool) == Some(true)
        || param.get("required").and_then(Value::as_bool) == Some(true);

    let mut field = Mapping::new();
    field.insert("name".into(), name.into());
    let mut notes = mapped.notes;
    notes.extend(json_style_note);
    if let Some(rust) = rust_name_for(name, taken) {
        field.insert("rust_name".into(), rust.into());
        notes.push(reader.notes.review(
            super::notes::ReviewKind::NameClash,
            "another parameter has the same Rust name (the wire names differ only in case or punctuation); its Rust name was made from how the wire spells it",
        ));
    }
    put_keys(&mut field, mapped.keys);
    reader.mark_secret(&mut field, name, &mapped.json_type, Role::Request);
    if required {
        field.insert("required".into(), true.into());
    }
    if let Some(l) = location {
        field.insert("location".into(), l.into());
    }
    if let Some(s) = style {
        field.insert("style".into(), s.into());
    }
    // The client fills a missing token in the query, so a token sent as a header is a plain
    // parameter (the generator refuses a header token).
    if name == "ClientToken" && mapped.json_type == "string" && location != Some("header") {
        field.insert("idempotency_token".into(), true.into());
    }
    if !notes.is_empty() {
        field.insert(
            "notes".into(),
            Yaml::Sequence(notes.into_iter().map(Yaml::from).collect()),
        );
    }
    Ok(Yaml::Mapping(field))
}
