//! The response side of an operation: fields and shapes from the portal's `responses` schema or
//! from the checked-in response facts, the error codes (`errorCodes`) and the sample response
//! (`responseDemo`).

use std::collections::BTreeSet;

use serde_json::Value;
use serde_yaml::{Mapping, Value as Yaml};

use super::error::{At, ImportError};
use super::notes::ReviewKind;
use super::schema::{Role, SchemaReader};
use crate::naming;

/// Where an operation's response schema came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseSource {
    /// The metadata's own `responses."200".schema`.
    Metadata,
    /// The response facts read from the official SDK's models.
    Facts,
    /// Neither: the response keeps `RequestId` and the raw body.
    None,
}

/// The response's fields, the notes on the response object itself (for the operation), and
/// where they came from.
pub(crate) fn response_fields<'a>(
    reader: &mut SchemaReader<'a, '_>,
    api: &'a Value,
    at: &At<'_>,
    facts: Option<(&'a Value, At<'_>)>,
) -> Result<(Vec<Yaml>, Vec<String>, ResponseSource), ImportError> {
    let schema_at = at.key("responses").key("200").key("schema");
    let from_metadata = api
        .get("responses")
        .and_then(|r| r.get("200"))
        .and_then(|r| r.get("schema"));
    let (schema, at, source) = match (from_metadata, facts) {
        (Some(s), _) => (s, schema_at, ResponseSource::Metadata),
        (None, Some((s, fat))) => (s, fat, ResponseSource::Facts),
        (None, None) => return Ok((vec![request_id_only()], Vec::new(), ResponseSource::None)),
    };
    if let Some(reference) = reader.missing_ref(schema) {
        // The response's own schema is missing: the call still goes, its body untyped.
        let note = reader.notes.review(
            ReviewKind::MissingSchema,
            &format!(
                "the metadata's response `$ref` `{reference}` names no schema it has; the response is untyped (its body is in `meta().body`): give its fields"
            ),
        );
        return Ok((vec![request_id_only()], vec![note], ResponseSource::None));
    }
    let props = match reader_props(reader, schema, &at)? {
        Some(p) => p,
        None => return Ok((vec![request_id_only()], Vec::new(), ResponseSource::None)),
    };
    let (fields, notes) = reader.fields(props, &at.key("properties"), Role::Response)?;
    Ok((fields, notes, source))
}

/// The properties of the response's top-level object (after a `$ref`).
fn reader_props<'s>(
    reader: &mut SchemaReader<'s, '_>,
    schema: &'s Value,
    at: &At<'_>,
) -> Result<Option<&'s serde_json::Map<String, Value>>, ImportError> {
    let mut schema = schema;
    let mut hops = 0;
    while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or(reference);
        schema = match reader.components.and_then(|c| c.get(name)) {
            Some(s) => s,
            None => {
                return Err(at.key("$ref").error(
                    format!("`$ref` `{reference}` points to nothing"),
                    "add the schema under `components.schemas`, or fix the name",
                ));
            }
        };
        hops += 1;
        if hops > 64 {
            return Err(at.key("$ref").error(
                format!("`$ref` `{reference}` is a cycle"),
                "break the cycle in the metadata",
            ));
        }
    }
    Ok(schema
        .get("properties")
        .and_then(Value::as_object)
        .filter(|p| !p.is_empty()))
}

/// The one field every response has, where no schema gives more.
fn request_id_only() -> Yaml {
    let mut f = Mapping::new();
    f.insert("name".into(), "RequestId".into());
    f.insert("type".into(), "string".into());
    f.insert(
        "description".into(),
        "The ID of the request. No source gives this operation's other response fields: the whole body is in `meta().body`.".into(),
    );
    Yaml::Mapping(f)
}

/// `errors:` from `errorCodes` (`{"400": [{errorCode, errorMessage}]}`), by status, each code
/// once.
pub(crate) fn errors(api: &Value, at: &At<'_>) -> Result<Vec<Yaml>, ImportError> {
    let Some(codes) = api.get("errorCodes") else {
        return Ok(Vec::new());
    };
    let at = at.key("errorCodes");
    let Some(by_status) = codes.as_object() else {
        return Err(at.error(
            "`errorCodes` is not an object",
            "group the codes by HTTP status: {\"400\": [...]}",
        ));
    };
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut variants = BTreeSet::new();
    for (status, list) in by_status {
        let here = at.key(status);
        let Ok(code_status) = status.parse::<u16>() else {
            return Err(here.error(
                format!("`{status}` is not an HTTP status"),
                "key the codes by status: \"400\", \"403\"",
            ));
        };
        let Some(list) = list.as_array() else {
            return Err(here.error(
                "the codes of a status are not a list",
                "give a list of {errorCode, errorMessage}",
            ));
        };
        for (i, e) in list.iter().enumerate() {
            let Some(code) = e
                .get("errorCode")
                .and_then(Value::as_str)
                .filter(|c| !c.is_empty())
            else {
                return Err(here
                    .index(i)
                    .error("an error without `errorCode`", "give each error its code"));
            };
            if !seen.insert(code.to_owned()) {
                continue;
            }
            let mut entry = Mapping::new();
            entry.insert("status".into(), Yaml::from(code_status));
            entry.insert("code".into(), code.into());
            let message = e
                .get("errorMessage")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim();
            entry.insert("message".into(), message.into());
            let variant = naming::type_name(code);
            if !variants.insert(variant.clone())
                || variant == "Unhandled"
                || !naming::has_identifier_material(code)
            {
                let name = format!("Error{}", out.len() + 1);
                variants.insert(name.clone());
                entry.insert("name".into(), name.into());
            }
            out.push(Yaml::Mapping(entry));
        }
    }
    Ok(out)
}

/// `samples:` from `responseDemo` (a JSON text holding `[{type: "json", example: "..."}]`);
/// an example that is not JSON is left out with a note.
pub(crate) fn samples(
    api: &Value,
    at: &At<'_>,
    notes: &mut Vec<String>,
) -> Result<Vec<Yaml>, ImportError> {
    let Some(demo) = api.get("responseDemo") else {
        return Ok(Vec::new());
    };
    let at = at.key("responseDemo");
    let parsed: Value = match demo {
        Value::String(s) => serde_json::from_str(s).map_err(|e| {
            at.error(
                format!("`responseDemo` is not JSON: {e}"),
                "give a JSON text holding [{\"type\": \"json\", \"example\": \"...\"}]",
            )
        })?,
        other => other.clone(),
    };
    let Some(list) = parsed.as_array() else {
        return Err(at.error(
            "`responseDemo` is not a list",
            "give [{\"type\": \"json\", \"example\": \"...\"}]",
        ));
    };
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        if item.get("type").and_then(Value::as_str) != Some("json") {
            continue;
        }
        let Some(example) = item.get("example").and_then(Value::as_str) else {
            continue;
        };
        if serde_json::from_str::<Value>(example).is_err() {
            notes.push(format!(
                "Sample {} of the metadata is not valid JSON and is left out.",
                i + 1
            ));
            continue;
        }
        let mut s = Mapping::new();
        s.insert(
            "name".into(),
            if out.is_empty() {
                "success".to_owned()
            } else {
                format!("success_{}", out.len() + 1)
            }
            .into(),
        );
        s.insert("status".into(), Yaml::from(200));
        s.insert("body".into(), example.to_owned().into());
        out.push(Yaml::Mapping(s));
    }
    Ok(out)
}
