//! The whole response of every hand-written operation: each field the import knows of it (the
//! official SDK's response model, as `specs/imported/` holds it), nested fields included, is a
//! field of the generated response type. A body with every one of them set decodes without an
//! anomaly, and the response encoded back as JSON keeps every key of it.
//!
//! The bodies are derived from the imported specs, not from a list kept here: a field the
//! hand-written spec lacks and the merge failed to bring in shows as a key the generated type
//! dropped.

use acs_catalog::OPERATIONS;
use acs_runtime::catalog;
use acs_test_gateway::specs::{self, Spec};
use serde_json::{Map, Value, json};
use serde_yaml::Value as Yaml;

/// A value of the imported field `field` of `spec`: every field of a shape set, one item in a
/// list (under its wrapper key, if any), one entry in a map, the first valid value of an enum.
/// `path` holds the shapes being built, so that a shape holding itself stops there.
fn value_of(spec: &Spec, field: &Yaml, path: &mut Vec<String>) -> Option<Value> {
    let ty = field["type"].as_str().unwrap_or_default();
    let name = field["name"].as_str().unwrap_or("field");
    let scalar = |ty: &str, values: &Yaml| -> Option<Value> {
        if let Some(first) = values.as_sequence().and_then(|v| v.first()) {
            return serde_json::to_value(&first["value"]).ok();
        }
        Some(match ty {
            "string" => json!(format!("{name}-value")),
            "integer" | "long" => json!(7),
            "number" | "double" => json!(1.5),
            "boolean" => json!(true),
            _ => return None,
        })
    };
    match ty {
        "array" | "map" => {
            let (item_ty, item_values) = match &field["items"] {
                Yaml::String(item) => (item.as_str(), &Yaml::Null),
                items => (items["type"].as_str().unwrap_or_default(), &items["values"]),
            };
            let item = scalar(item_ty, item_values).or_else(|| object_of(spec, item_ty, path))?;
            if ty == "map" {
                return Some(json!({ "key": item }));
            }
            Some(match field["wrapper"].as_str() {
                Some(wrapper) => json!({ wrapper: [item] }),
                None => json!([item]),
            })
        }
        _ => scalar(ty, &field["values"]).or_else(|| object_of(spec, ty, path)),
    }
}

/// An object of the shape `shape` of `spec` with every field set; `None` for a shape being built
/// already (a shape that holds itself) or one the spec does not declare.
fn object_of(spec: &Spec, shape: &str, path: &mut Vec<String>) -> Option<Value> {
    if path.iter().any(|s| s == shape) || spec.shape(shape).is_null() {
        return None;
    }
    path.push(shape.to_owned());
    let object = fields_of(spec, &spec.shape(shape)["fields"], path);
    path.pop();
    Some(object)
}

fn fields_of(spec: &Spec, fields: &Yaml, path: &mut Vec<String>) -> Value {
    let mut object = Map::new();
    for field in fields.as_sequence().into_iter().flatten() {
        let Some(name) = field["name"].as_str() else {
            continue;
        };
        if let Some(value) = value_of(spec, field, path) {
            object.insert(name.to_owned(), value);
        }
    }
    Value::Object(object)
}

/// The paths of `sent` that `kept` lacks (`Images.Image[0].Tags`).
fn dropped(sent: &Value, kept: &Value, at: &str, out: &mut Vec<String>) {
    match (sent, kept) {
        (Value::Object(sent), Value::Object(kept)) => {
            for (key, value) in sent {
                let here = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                match kept.get(key) {
                    Some(k) => dropped(value, k, &here, out),
                    None => out.push(here),
                }
            }
        }
        (Value::Array(sent), Value::Array(kept)) => {
            for (i, value) in sent.iter().enumerate() {
                match kept.get(i) {
                    Some(k) => dropped(value, k, &format!("{at}[{i}]"), out),
                    None => out.push(format!("{at}[{i}]")),
                }
            }
        }
        (Value::Object(_) | Value::Array(_), _) => out.push(format!("{at} (as {kept})")),
        _ => {}
    }
}

#[test]
fn written_operations_keep_every_field_of_the_imported_response() {
    let written = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
    let mut problems = Vec::new();
    let mut checked = Vec::new();
    for spec in &written {
        let Some(file) = spec.path.file_name() else {
            continue;
        };
        let imported_path = specs::specs_dir().join("imported").join(file);
        if !imported_path.exists() {
            continue;
        }
        let imported = specs::read_spec(&imported_path).unwrap_or_else(|e| panic!("{e}"));
        for op in spec.operations() {
            let Some(theirs) = imported.operations().find(|i| i.action() == op.action()) else {
                continue;
            };
            let body = fields_of(
                &imported,
                &theirs.yaml["response"]["fields"],
                &mut Vec::new(),
            );
            let entry = catalog::find(&OPERATIONS, op.module(), op.action())
                .unwrap_or_else(|e| panic!("{e}"));
            let decoded = (entry.decode_to_json)(body.to_string().as_bytes())
                .unwrap_or_else(|e| panic!("{}: {e}", op.name()));
            for anomaly in &decoded.anomalies {
                problems.push(format!("{}: {anomaly:?}", op.name()));
            }
            let mut lost = Vec::new();
            dropped(&body, &decoded.response, "", &mut lost);
            for path in lost {
                problems.push(format!(
                    "{}: the generated response drops `{path}`",
                    op.name()
                ));
            }
            checked.push(op.name());
        }
    }
    // The four seed operations and STS's four, at least, where the imported specs are there to
    // hold them to (a scratch copy of the workspace may leave them out).
    assert!(
        checked.len() >= 8 || !specs::has_imported_specs(),
        "only {checked:?} were checked"
    );
    assert!(
        problems.is_empty(),
        "{} field(s) of the imported responses are not in the generated types:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A body of the official response model `schema` (the JSON schema `scripts/response_facts.py`
/// read from the pinned Python SDK into `specs/responses/`) with every field set: one item in
/// each list, one entry in each free-keyed object.
fn body_of_model(schema: &Value) -> Value {
    match schema["type"].as_str().unwrap_or_default() {
        "object" => match (
            schema["properties"].as_object(),
            schema.get("additionalProperties"),
        ) {
            (Some(properties), _) => Value::Object(
                properties
                    .iter()
                    .map(|(name, field)| (name.clone(), body_of_model(field)))
                    .collect(),
            ),
            (None, Some(values)) => json!({ "key": body_of_model(values) }),
            (None, None) => json!({ "key": "value" }),
        },
        "array" => json!([body_of_model(&schema["items"])]),
        "integer" => json!(7),
        "number" => json!(1.5),
        "boolean" => json!(true),
        _ => json!("value"),
    }
}

/// Every field of every official response model (`specs/responses/*.json`, recorded from the
/// pinned official Python SDKs) is a field of the generated response type, nested fields
/// included: a body with all of them set decodes without an anomaly, and the response encoded
/// back as JSON keeps every key of it. Operations the pinned SDK lacks have no model to check.
#[test]
fn every_operation_keeps_every_field_of_the_official_response_model() {
    // The facts cover imported operations: a copy without the imported specs (the new-product
    // test's) has nothing to hold them to.
    if !specs::has_imported_specs() {
        return;
    }
    let written = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
    let facts_dir = specs::specs_dir().join("responses");
    let mut problems = Vec::new();
    let mut checked = 0;
    for spec in &written {
        let Some(stem) = spec.path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let path = facts_dir.join(format!("{stem}.json"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let facts: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (action, model) in facts["operations"].as_object().into_iter().flatten() {
            let name = format!("{}::{action}", spec.module());
            let Ok(entry) = catalog::find(&OPERATIONS, spec.module(), action) else {
                // The scratch copy without imported specs generates the written operations only.
                if specs::has_imported_specs() {
                    problems.push(format!("{name}: no generated operation"));
                }
                continue;
            };
            let body = body_of_model(model);
            let decoded = (entry.decode_to_json)(body.to_string().as_bytes())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            for anomaly in &decoded.anomalies {
                problems.push(format!("{name}: {anomaly:?}"));
            }
            let mut lost = Vec::new();
            dropped(&body, &decoded.response, "", &mut lost);
            for path in lost {
                problems.push(format!("{name}: the generated response drops `{path}`"));
            }
            checked += 1;
        }
    }
    println!("whole responses: {checked} operations' official response models checked");
    assert!(
        checked >= 790 || !specs::has_imported_specs(),
        "only {checked} operations checked"
    );
    assert!(
        problems.is_empty(),
        "{} field(s) of the official response models are not in the generated types:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
