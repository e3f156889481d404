//! Each hand-written spec held against Alibaba's current metadata (as imported into
//! `specs/imported/`): for every operation both have, the methods, and for every parameter the
//! placement, wire style, required flag, limits and valid values; the parameters the metadata
//! has that the spec lacks; and the product's endpoint rule. A difference is either mended in the
//! spec or carries a note (on the parameter, or on the operation for a missing parameter or the
//! methods) that names the metadata and says why.

use std::fs;
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use crate::support::workspace_root;

fn yaml(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn seq(v: &Value) -> &[Value] {
    v.as_sequence().map(Vec::as_slice).unwrap_or(&[])
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

/// Whether the notes of `v` explain a difference from the metadata.
fn noted(v: &Value, about: &str) -> bool {
    seq(&v["notes"]).iter().any(|n| {
        let n = text(n).to_ascii_lowercase();
        n.contains("metadata") && (about.is_empty() || n.contains(&about.to_ascii_lowercase()))
    })
}

/// The type of a field as the generated code sees it: `integer` with `format: int64` is a long.
fn ty(f: &Value) -> String {
    let t = text(&f["type"]);
    match (t.as_str(), text(&f["format"]).as_str()) {
        ("integer", "int64") | ("long", _) => "long".to_owned(),
        ("double", _) => "number".to_owned(),
        _ => t,
    }
}

fn is_scalar(t: &str) -> bool {
    matches!(t, "string" | "integer" | "long" | "number" | "boolean")
}

fn item_type(f: &Value) -> String {
    match &f["items"] {
        Value::String(s) => s.clone(),
        Value::Mapping(_) => text(&f["items"]["type"]),
        _ => String::new(),
    }
}

/// The style the generator gives a field with no `style:`.
fn style(f: &Value) -> String {
    if let Some(s) = f["style"].as_str() {
        return s.to_owned();
    }
    let t = ty(f);
    match t.as_str() {
        "array" if is_scalar(&item_type(f)) => "repeat_list".to_owned(),
        "array" | "map" => "flat".to_owned(),
        t if is_scalar(t) => "plain".to_owned(),
        _ => "flat".to_owned(),
    }
}

/// The types of two specs agree when they are the same scalar, or both lists, or both objects
/// (the shapes' names differ between the page and the metadata).
fn same_type(written: &Value, imported: &Value) -> bool {
    let (w, i) = (ty(written), ty(imported));
    w == i
        || (!is_scalar(&w)
            && !is_scalar(&i)
            && w != "array"
            && i != "array"
            && w != "map"
            && i != "map")
}

fn limit(f: &Value, key: &str) -> Option<f64> {
    f["limits"][key].as_f64()
}

/// The host an endpoint rule gives a region.
fn host(rule: &Value, region: &str) -> String {
    if let Some(h) = rule["regions"].get(region) {
        return text(h);
    }
    if seq(&rule["central_regions"])
        .iter()
        .any(|r| text(r) == region)
    {
        return text(&rule["central"]);
    }
    text(&rule["regional"]).replace("{region_id}", region)
}

/// Every difference between a written operation and the imported one, as text.
fn differences(written: &Value, imported: &Value, out: &mut Vec<String>) {
    let action = text(&written["action"]);
    if written["methods"] != imported["methods"] && !noted(written, "methods") {
        out.push(format!(
            "{action}: methods {:?} where the metadata has {:?}",
            text(&written["methods"]),
            text(&imported["methods"])
        ));
    }
    for i in seq(&imported["request"]) {
        let name = text(&i["name"]);
        let Some(w) = seq(&written["request"])
            .iter()
            .find(|w| text(&w["name"]) == name)
        else {
            if !noted(written, &name) {
                out.push(format!("{action}: lacks the metadata's parameter `{name}`"));
            }
            continue;
        };
        if noted(w, "") {
            // The parameter's notes say how it differs from the metadata, and why.
            continue;
        }
        let mut diff = |what: &str, a: String, b: String| {
            if a != b {
                out.push(format!(
                    "{action}.{name}: {what} `{a}` where the metadata has `{b}`"
                ));
            }
        };
        if !same_type(w, i) {
            diff("type", ty(w), ty(i));
        }
        let location = |f: &Value| match text(&f["location"]).as_str() {
            "" => "query".to_owned(),
            other => other.to_owned(),
        };
        diff("location", location(w), location(i));
        diff("style", style(w), style(i));
        diff("required", text(&w["required"]), text(&i["required"]));
        for key in [
            "min_length",
            "max_length",
            "min",
            "max",
            "min_items",
            "max_items",
        ] {
            let (a, b) = (limit(w, key), limit(i, key));
            if b.is_some() && a != b {
                diff(key, format!("{a:?}"), format!("{b:?}"));
            }
        }
        let values = |f: &Value| -> Vec<String> {
            seq(&f["values"])
                .iter()
                .chain(seq(&f["items"]["values"]))
                .map(|v| text(&v["value"]))
                .collect()
        };
        let ours = values(w);
        for v in values(i) {
            if !ours.contains(&v) {
                out.push(format!(
                    "{action}.{name}: lacks the metadata's valid value `{v}`"
                ));
            }
        }
    }
}

#[test]
fn written_specs_agree_with_the_metadata_or_say_why() {
    let imported_dir = workspace_root().join("specs/imported");
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut entries: Vec<PathBuf> = fs::read_dir(workspace_root().join("specs"))
        .expect("specs/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    entries.sort();
    for path in entries {
        let Some(file) = path.file_name() else {
            continue;
        };
        let imported_path = imported_dir.join(file);
        if !imported_path.exists() {
            continue;
        }
        let written = yaml(&path);
        let imported = yaml(&imported_path);
        let product = text(&written["product"]["module"]);
        let (we, ie) = (
            &written["product"]["endpoint"],
            &imported["product"]["endpoint"],
        );
        // The rules agree when every region either names resolves to the same host; a written
        // `central` host for calls without a region is the spec's own addition.
        let mut regions: Vec<String> = vec!["cn-hangzhou".to_owned(), "ap-southeast-1".to_owned()];
        for e in [we, ie] {
            regions.extend(seq(&e["central_regions"]).iter().map(text));
            if let Some(m) = e["regions"].as_mapping() {
                regions.extend(m.keys().map(text));
            }
        }
        for region in regions {
            let (a, b) = (host(we, &region), host(ie, &region));
            if a != b {
                problems.push(format!(
                    "{product}: region {region} goes to `{a}` where the metadata has `{b}`"
                ));
            }
        }
        for w in seq(&written["operations"]) {
            let action = &w["action"];
            if let Some(i) = seq(&imported["operations"])
                .iter()
                .find(|i| &i["action"] == action)
            {
                checked += 1;
                differences(w, i, &mut problems);
            }
        }
    }
    assert!(
        checked >= 5,
        "only {checked} operations were held against the metadata"
    );
    assert!(
        problems.is_empty(),
        "{} difference(s) from the metadata; mend the spec or add a note naming the metadata:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
