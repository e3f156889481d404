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
        // A difference is explained by a note of the parameter that names the metadata and
        // what differs (its type, style...); a note about something else excuses nothing.
        let mut diff = |what: &str, a: String, b: String| {
            if a != b && !noted(w, what) {
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

/// The limits a generated `build()` enforces, as the spec keys them.
const ENFORCED_LIMITS: [&str; 7] = [
    "min_length",
    "max_length",
    "ascii",
    "min",
    "max",
    "min_items",
    "max_items",
];

/// The shape a field refers to, directly or as its items, if the spec declares one.
fn shape_of<'a>(spec: &'a Value, f: &Value) -> Option<(String, &'a Value)> {
    [text(&f["type"]), item_type(f)]
        .into_iter()
        .find_map(|name| spec["shapes"].get(name.as_str()).map(|s| (name, s)))
}

/// Every limit `written` enforces that `imported` (its counterpart in the imported spec, or
/// `Null` where the metadata has none) does not have with the same value, as text; the same for
/// the fields of the shape it refers to, recursively.
fn unsupported_limits(
    place: &str,
    written: &Value,
    imported: &Value,
    specs: (&Value, &Value),
    seen: &mut Vec<(String, String)>,
    out: &mut Vec<String>,
) {
    if written["required"].as_bool() == Some(true) && imported["required"].as_bool() != Some(true) {
        out.push(format!(
            "{place}: required, where the metadata does not require it"
        ));
    }
    let mut compare = |what: &str, w: &Value, i: &Value| {
        for key in ENFORCED_LIMITS {
            let ours = &w["limits"][key];
            if ours.is_null() || ours == &Value::Bool(false) {
                continue;
            }
            let theirs = &i["limits"][key];
            let same = match (ours.as_f64(), theirs.as_f64()) {
                (Some(a), Some(b)) => a == b,
                _ => ours == theirs,
            };
            if !same {
                out.push(format!(
                    "{place}{what}: enforces {key} {} where the metadata has {}",
                    text(ours),
                    if theirs.is_null() {
                        "none".to_owned()
                    } else {
                        text(theirs)
                    }
                ));
            }
        }
    };
    compare("", written, imported);
    compare(" (items)", &written["items"], &imported["items"]);
    let (written_spec, imported_spec) = specs;
    let Some((shape_name, shape)) = shape_of(written_spec, written) else {
        return;
    };
    let counterpart = shape_of(imported_spec, imported);
    let key = (
        shape_name.clone(),
        counterpart
            .as_ref()
            .map(|c| c.0.clone())
            .unwrap_or_default(),
    );
    if seen.contains(&key) {
        return;
    }
    seen.push(key);
    for f in seq(&shape["fields"]) {
        let name = text(&f["name"]);
        let theirs = counterpart
            .as_ref()
            .and_then(|(_, s)| seq(&s["fields"]).iter().find(|i| text(&i["name"]) == name))
            .unwrap_or(&Value::Null);
        unsupported_limits(
            &format!("{place}.{name} (shape {shape_name})"),
            f,
            theirs,
            specs,
            seen,
            out,
        );
    }
}

/// Smithy's rule for clients, "do not enforce constraints the service may relax": a written
/// operation refuses a request before sending it only for what Alibaba's current metadata (as
/// imported into `specs/imported/`) says, a required parameter or a limit with the same value.
/// A limit only an older reference page gives belongs in the field's description, left to the
/// service; a note does not excuse it.
#[test]
fn written_specs_enforce_only_what_the_metadata_says() {
    let imported_dir = workspace_root().join("specs/imported");
    let mut entries: Vec<PathBuf> = fs::read_dir(workspace_root().join("specs"))
        .expect("specs/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    entries.sort();
    let mut problems = Vec::new();
    let mut checked = 0;
    for path in entries {
        let Some(file) = path.file_name() else {
            continue;
        };
        let written = yaml(&path);
        let imported_path = imported_dir.join(file);
        let imported = if imported_path.exists() {
            yaml(&imported_path)
        } else {
            Value::Null
        };
        for w in seq(&written["operations"]) {
            let action = text(&w["action"]);
            let i = seq(&imported["operations"])
                .iter()
                .find(|i| text(&i["action"]) == action)
                .unwrap_or(&Value::Null);
            let mut seen = Vec::new();
            for f in seq(&w["request"]) {
                checked += 1;
                let name = text(&f["name"]);
                let theirs = seq(&i["request"])
                    .iter()
                    .find(|p| text(&p["name"]) == name)
                    .unwrap_or(&Value::Null);
                unsupported_limits(
                    &format!("{}: {action}.{name}", file.to_string_lossy()),
                    f,
                    theirs,
                    (&written, &imported),
                    &mut seen,
                    &mut problems,
                );
            }
        }
    }
    assert!(
        checked >= 40,
        "only {checked} request parameters were held against the metadata"
    );
    assert!(
        problems.is_empty(),
        "{} check(s) the metadata does not make; move each limit into the field's description \
         and leave it to the service:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
