//! Parameters the metadata lists twice under two forms: ECS `DescribePrice` has a list
//! `DataDisk` (`DataDisk.N.Size`, ...) and also `DataDisk.1.Size` ... `DataDisk.4.Category` as
//! parameters of their own. Set together they would send one name twice, so the import keeps the
//! list (or object, or map) and leaves out every flat parameter it writes, with a note saying so.

use std::collections::BTreeMap;

use serde_yaml::Value as Yaml;

use crate::wire_names::{Written, shared_name};

const SCALARS: &[&str] = &["string", "integer", "long", "number", "double", "boolean"];

fn type_name(v: &Yaml) -> &str {
    match v {
        Yaml::String(s) => s,
        other => other.get("type").and_then(Yaml::as_str).unwrap_or_default(),
    }
}

/// What an imported field writes, read from its YAML (the spec's defaults applied); `within`
/// holds the shapes it sits in.
fn written(field: &Yaml, shapes: &BTreeMap<String, Yaml>, within: &mut Vec<String>) -> Written {
    let object = |name: &str, within: &mut Vec<String>| -> Written {
        if within.iter().any(|s| s == name) {
            return Written::Anything;
        }
        let Some(fields) = shapes
            .get(name)
            .and_then(|s| s.get("fields"))
            .and_then(Yaml::as_sequence)
        else {
            return Written::Anything;
        };
        within.push(name.to_owned());
        let out = fields
            .iter()
            .map(|f| {
                let name = f.get("name").and_then(Yaml::as_str).unwrap_or_default();
                (name.to_owned(), written(f, shapes, within))
            })
            .collect();
        within.pop();
        Written::Object(out)
    };
    let ty = field.get("type").map(type_name).unwrap_or_default();
    let style = field.get("style").and_then(Yaml::as_str);
    if matches!(style, Some("json" | "comma" | "plain")) || SCALARS.contains(&ty) {
        return Written::Exact;
    }
    let items = field.get("items").map(type_name).unwrap_or_default();
    let value = |within: &mut Vec<String>| {
        if SCALARS.contains(&items) {
            Written::Exact
        } else {
            object(items, within)
        }
    };
    match ty {
        "array" => Written::Listed(Box::new(value(within))),
        "map" => Written::Keyed(Box::new(value(within))),
        shape => object(shape, within),
    }
}

fn name_of(field: &Yaml) -> &str {
    field.get("name").and_then(Yaml::as_str).unwrap_or_default()
}

/// Leaves out of `request` every parameter that another one (a list, an object or a map sent
/// flat) also writes, and notes on the one kept which it stands for. Returns the names left out.
pub(crate) fn fold(request: &mut Vec<Yaml>, shapes: &BTreeMap<String, Yaml>) -> Vec<String> {
    let writes: Vec<Option<Written>> = request
        .iter()
        .map(|f| {
            let header = f.get("location").and_then(Yaml::as_str) == Some("header");
            (!header).then(|| written(f, shapes, &mut Vec::new()))
        })
        .collect();
    // Which parameter each left-out one is written by.
    let mut folded: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut dropped = Vec::new();
    for (i, a) in request.iter().enumerate() {
        let Some(a_writes) = &writes[i] else { continue };
        if *a_writes == Written::Exact {
            continue;
        }
        for (j, b) in request.iter().enumerate() {
            let Some(b_writes) = &writes[j] else { continue };
            let longer = name_of(b).len() > name_of(a).len();
            if i == j || !longer || dropped.contains(&j) {
                continue;
            }
            if shared_name(name_of(a), a_writes, name_of(b), b_writes).is_some() {
                folded.entry(i).or_default().push(name_of(b).to_owned());
                dropped.push(j);
            }
        }
    }
    for (i, names) in &folded {
        let note = format!(
            "The metadata also lists {} as parameters of their own; `{}` writes them, so they are left out (set together, a request would send them twice).",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            name_of(&request[*i]),
        );
        if let Some(field) = request[*i].as_mapping_mut() {
            let notes = field
                .entry("notes".into())
                .or_insert_with(|| Yaml::Sequence(Vec::new()));
            if let Some(notes) = notes.as_sequence_mut() {
                notes.push(note.into());
            }
        }
    }
    dropped.sort_unstable();
    let names = dropped
        .iter()
        .map(|&j| name_of(&request[j]).to_owned())
        .collect();
    for j in dropped.into_iter().rev() {
        request.remove(j);
    }
    names
}
