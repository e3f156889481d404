//! Every list parameter of every generated operation, written or imported, left unset and set
//! empty, against what the official SDKs send: unset sends nothing in any style; set empty, a
//! JSON list sends `Name=[]`, a comma list `Name=`, and a repeated (`Name.N`) or flat
//! (`Name.N.Field`) list nothing (`alibabacloud_openapi_util`'s
//! `array_to_string_with_specified_style` gives `[]` for `json` and an empty text for `simple`;
//! its `query` writes no pair for an empty list).

use std::collections::BTreeMap;

use acs_catalog::OPERATIONS;
use acs_runtime::wire::Params;
use acs_test_gateway::specs::{self, Spec};
use serde_json::{Value, json};
use serde_yaml::Value as Yaml;

/// The written specs first: an operation they list is generated from them, not from the import.
fn all_specs() -> Vec<Spec> {
    let mut out = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
    let imported = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/imported");
    out.extend(specs::read_specs(&imported).unwrap_or_else(|e| panic!("{e}")));
    out
}

/// The spec entry `module::action` is generated from.
fn operation<'a>(specs: &'a [Spec], module: &str, action: &str) -> Option<&'a Yaml> {
    specs
        .iter()
        .filter(|spec| spec.module() == module)
        .flat_map(|spec| spec.yaml["operations"].as_sequence().into_iter().flatten())
        .find(|op| op["action"].as_str() == Some(action))
}

fn type_of(yaml: &Yaml) -> &str {
    match yaml {
        Yaml::String(s) => s,
        other => other["type"].as_str().unwrap_or_default(),
    }
}

/// A value of the declared type, for a required parameter the case does not look at.
fn sample(ty: &str, items: &Yaml) -> Value {
    match ty {
        "string" => json!("x"),
        "integer" | "long" => json!(1),
        "number" | "double" => json!(1.5),
        "boolean" => json!(true),
        "array" => json!([sample(type_of(items), &Yaml::Null)]),
        "map" => json!({"k": sample(type_of(items), &Yaml::Null)}),
        // A shape: none of its fields is required.
        _ => json!({}),
    }
}

/// The style a list goes in: the spec's, else `flat` for objects and `repeat_list` for scalars.
fn style_of(param: &Yaml) -> String {
    if let Some(style) = param["style"].as_str() {
        return style.to_owned();
    }
    match type_of(&param["items"]) {
        "string" | "integer" | "long" | "number" | "double" | "boolean" => "repeat_list".to_owned(),
        _ => "flat".to_owned(),
    }
}

/// The pairs `name` wrote: itself, or its flattened `name.…` parameters.
fn written(params: &Params, name: &str) -> Vec<(String, String)> {
    let stem = format!("{name}.");
    params
        .query_pairs()
        .iter()
        .chain(params.body_pairs().iter())
        .filter(|(n, _)| *n == name || n.starts_with(&stem))
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect()
}

#[test]
fn an_empty_list_is_sent_as_the_official_sdks_send_it_and_an_unset_one_not_at_all() {
    let specs = all_specs();
    let written_specs = specs::workspace_specs().unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let mut by_style: BTreeMap<String, usize> = BTreeMap::new();
    let mut imported_checked = 0;
    for entry in OPERATIONS.iter() {
        let Some(op) = operation(&specs, entry.module, entry.action) else {
            failures.push(format!("{}: no spec declares it", entry.name()));
            continue;
        };
        let params = op["request"]
            .as_sequence()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let baseline: serde_json::Map<String, Value> = params
            .iter()
            .filter(|p| p["required"].as_bool() == Some(true))
            .filter_map(|p| {
                let name = p["name"].as_str()?;
                Some((name.to_owned(), sample(type_of(&p["type"]), &p["items"])))
            })
            .collect();
        for param in params.iter().filter(|p| type_of(&p["type"]) == "array") {
            let name = param["name"].as_str().unwrap_or_default();
            let required = param["required"].as_bool() == Some(true);
            let style = style_of(param);
            let case = format!("{} {name} ({style})", entry.name());
            let load = |request: serde_json::Map<String, Value>| {
                (entry.load_request)(&Value::Object(request)).map(|r| r.params())
            };

            let mut empty = baseline.clone();
            empty.insert(name.to_owned(), json!([]));
            let expected: Vec<(String, String)> = match style.as_str() {
                "json" => vec![(name.to_owned(), "[]".to_owned())],
                "comma" => vec![(name.to_owned(), String::new())],
                _ => Vec::new(),
            };
            match load(empty) {
                Ok(sent) => {
                    let got = written(&sent, name);
                    if got != expected {
                        failures.push(format!(
                            "{case} set empty: sent {got:?}, expected {expected:?}"
                        ));
                    }
                }
                // A required list the official SDK would send empty (JSON, comma) must be
                // accepted set empty; a repeated or flat one sends nothing, so it is missing.
                Err(e) if required && expected.is_empty() => {
                    if !e.to_string().contains(name) {
                        failures.push(format!("{case} set empty: refused without its name: {e}"));
                    }
                }
                Err(e) => failures.push(format!("{case} set empty: refused: {e}")),
            }

            if !required {
                let mut unset = baseline.clone();
                unset.remove(name);
                match load(unset) {
                    Ok(sent) if written(&sent, name).is_empty() => {}
                    Ok(sent) => {
                        failures.push(format!("{case} unset: sent {:?}", written(&sent, name)))
                    }
                    Err(e) => failures.push(format!("{case} unset: refused: {e}")),
                }
            }
            *by_style.entry(style).or_default() += 1;
        }
        if operation(&written_specs, entry.module, entry.action).is_none() {
            imported_checked += 1;
        }
    }
    println!("empty lists: checked by style {by_style:?}; {imported_checked} imported operations");
    for style in ["json", "comma", "repeat_list", "flat"] {
        assert!(
            by_style.get(style).is_some_and(|n| *n > 0),
            "no list of style {style} was checked: {by_style:?}"
        );
    }
    // A scratch copy of the workspace without the imported specs (the new-product test) has
    // none to check.
    assert!(
        imported_checked > 100 || !acs_test_gateway::specs::has_imported_specs(),
        "{imported_checked} imported operations"
    );
    assert!(
        failures.is_empty(),
        "{} list parameter(s) sent otherwise than the official SDKs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
