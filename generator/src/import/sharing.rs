//! One shape per structure. Operations are read one by one, and each declares the objects it
//! meets under the name it asks for, or its own prefixed name when another structure holds that
//! name first: ECS alone asked for `Tag` with the same two fields in 61 operations. Once every
//! operation is read, shapes of the same structure become one, and each name goes to the
//! structure most operations share: `Tag` to the tag of 61 operations, not to the odd one that
//! happened to be read first.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

use super::names::{Origin, TypeNames};

/// Passes over the shapes: a merge can make shapes that held the merged ones the same in turn.
const MAX_PASSES: usize = 16;

/// Makes shapes of one structure one shape, names each after what most of them asked for, and
/// renames every reference in the shapes and in `operations`.
pub(super) fn share_identical_shapes(names: &mut TypeNames, operations: &mut [Value]) {
    for _ in 0..MAX_PASSES {
        let renames = one_pass(names);
        if renames.is_empty() {
            return;
        }
        for shape in names.shapes.values_mut() {
            if let Some(fields) = shape.get_mut("fields") {
                rename_fields(fields, &renames);
            }
        }
        for op in operations.iter_mut() {
            if let Some(request) = op.get_mut("request") {
                rename_fields(request, &renames);
            }
            if let Some(fields) = op.get_mut("response").and_then(|r| r.get_mut("fields")) {
                rename_fields(fields, &renames);
            }
        }
    }
}

/// The structure of a shape: its fields as written.
fn structure(shape: &Value) -> String {
    serde_yaml::to_string(&shape.get("fields")).unwrap_or_default()
}

/// One grouping and naming of the shapes; returns the renames it made (old name to new).
fn one_pass(names: &mut TypeNames) -> BTreeMap<String, String> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, shape) in &names.shapes {
        groups
            .entry(structure(shape))
            .or_default()
            .push(name.clone());
    }
    let origin = |name: &str| -> Origin {
        names.origins.get(name).cloned().unwrap_or_else(|| Origin {
            base: name.to_owned(),
            action: String::new(),
            response: false,
        })
    };
    // Each group's base: the name most of its members asked for.
    let mut groups: Vec<(String, Vec<String>)> = groups
        .into_values()
        .map(|members| {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for m in &members {
                *counts.entry(origin(m).base).or_default() += 1;
            }
            let base = counts
                .iter()
                .max_by(|a, b| {
                    a.1.cmp(b.1)
                        .then_with(|| b.0.len().cmp(&a.0.len()))
                        .then_with(|| b.0.cmp(a.0))
                })
                .map(|(b, _)| b.clone())
                .unwrap_or_default();
            (base, members)
        })
        .collect();
    // The largest group of a base gets the base; of two as large, the one read from more
    // requests (what callers write), then the one holding it now.
    let responses = |members: &[String]| members.iter().filter(|m| origin(m).response).count();
    groups.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| b.1.len().cmp(&a.1.len()))
            .then_with(|| responses(&a.1).cmp(&responses(&b.1)))
            .then_with(|| b.1.contains(&b.0).cmp(&a.1.contains(&a.0)))
            .then_with(|| a.1.cmp(&b.1))
    });
    let mut finals: Vec<Option<String>> = vec![None; groups.len()];
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut seen_bases = BTreeSet::new();
    for (i, (base, _)) in groups.iter().enumerate() {
        if names.may_name_shape(base) && seen_bases.insert(base.clone()) {
            finals[i] = Some(base.clone());
            used.insert(base.clone());
        }
    }
    for (i, (base, members)) in groups.iter().enumerate() {
        if finals[i].is_some() {
            continue;
        }
        let first = origin(&members[0]);
        let all_responses = members.iter().all(|m| origin(m).response);
        let no_responses = members.iter().all(|m| !origin(m).response);
        let role = match (all_responses, no_responses) {
            (true, _) => "Response",
            (_, true) => "Request",
            _ => "",
        };
        let mut candidates: Vec<String> = Vec::new();
        if members.len() > 1 && !role.is_empty() {
            candidates.push(format!("{role}{base}"));
        }
        candidates.extend(
            members
                .iter()
                .filter(|m| *m != base && !m.ends_with(|c: char| c.is_ascii_digit()))
                .cloned(),
        );
        let action = crate::naming::type_name(&first.action);
        candidates.push(format!("{action}{base}"));
        candidates.push(format!("{action}{role}{base}"));
        candidates.extend(members.iter().cloned());
        let chosen = candidates
            .into_iter()
            .find(|c| !used.contains(c) && (members.contains(c) || names.is_free(c)))
            .unwrap_or_else(|| {
                // Every candidate is taken: a number keeps the name unique (no real metadata
                // reaches this).
                (2..)
                    .map(|n| format!("{action}{role}{base}{n}"))
                    .find(|c| !used.contains(c) && names.is_free(c))
                    .unwrap_or_default()
            });
        used.insert(chosen.clone());
        finals[i] = Some(chosen);
    }
    let mut renames = BTreeMap::new();
    let mut shapes = BTreeMap::new();
    let mut origins = BTreeMap::new();
    for ((_, members), name) in groups.iter().zip(finals) {
        let Some(name) = name else { continue };
        let keeper = members.iter().find(|m| **m == name).unwrap_or(&members[0]);
        if let Some(shape) = names.shapes.get(keeper) {
            shapes.insert(name.clone(), shape.clone());
        }
        origins.insert(name.clone(), origin(keeper));
        for m in members {
            if *m != name {
                renames.insert(m.clone(), name.clone());
            }
        }
    }
    names.shapes = shapes;
    names.origins = origins;
    renames
}

/// Renames the shapes that the fields in `fields` (a sequence of field mappings) refer to.
fn rename_fields(fields: &mut Value, renames: &BTreeMap<String, String>) {
    let Some(fields) = fields.as_sequence_mut() else {
        return;
    };
    for field in fields {
        let Some(field) = field.as_mapping_mut() else {
            continue;
        };
        rename_key(field, "type", renames);
        match field.get_mut("items") {
            Some(Value::Mapping(items)) => rename_key(items, "type", renames),
            Some(items @ Value::String(_)) => {
                if let Some(new) = items.as_str().and_then(|n| renames.get(n)) {
                    *items = new.clone().into();
                }
            }
            _ => {}
        }
    }
}

fn rename_key(map: &mut serde_yaml::Mapping, key: &str, renames: &BTreeMap<String, String>) {
    if let Some(value) = map.get_mut(key) {
        if let Some(new) = value.as_str().and_then(|n| renames.get(n)) {
            *value = new.clone().into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(names: &[&str]) -> Vec<Value> {
        names
            .iter()
            .map(|n| serde_yaml::from_str(&format!("{{name: {n}, type: string}}")).unwrap())
            .collect()
    }

    fn op(tag_type: &str) -> Value {
        serde_yaml::from_str(&format!(
            "{{request: [{{name: Tag, type: array, items: {tag_type}}}], response: {{fields: [{{name: T, type: {tag_type}}}]}}}}"
        ))
        .unwrap()
    }

    #[test]
    fn the_structure_most_operations_share_gets_the_name_and_no_name_is_numbered() {
        let mut names = TypeNames::default();
        // Read in name order: the odd tag comes first and takes `Tag`.
        let odd = names.shape("Tag", "AddTags", false, None, fields(&["Key", "key"]));
        let mut ops = vec![op(&odd)];
        for action in ["CopyImage", "CreateImage", "RunInstances"] {
            let t = names.shape("Tag", action, false, None, fields(&["Key", "Value"]));
            ops.push(op(&t));
            let r = names.shape("Tag", action, true, None, fields(&["TagKey", "TagValue"]));
            ops.push(op(&r));
        }
        share_identical_shapes(&mut names, &mut ops);
        let declared: Vec<&str> = names.shapes.keys().map(String::as_str).collect();
        assert_eq!(declared, ["AddTagsTag", "ResponseTag", "Tag"]);
        assert_eq!(
            structure(&names.shapes["Tag"]),
            structure(
                &serde_yaml::from_str::<Value>(
                    "{fields: [{name: Key, type: string}, {name: Value, type: string}]}"
                )
                .unwrap()
            )
        );
        let referenced: Vec<&str> = ops
            .iter()
            .map(|o| o["response"]["fields"][0]["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            referenced,
            [
                "AddTagsTag",
                "Tag",
                "ResponseTag",
                "Tag",
                "ResponseTag",
                "Tag",
                "ResponseTag"
            ]
        );
        assert_eq!(ops[1]["request"][0]["items"].as_str(), Some("Tag"));
    }

    #[test]
    fn shapes_holding_shapes_that_became_one_become_one_in_turn() {
        let mut names = TypeNames::default();
        let a = names.shape(
            "Disk",
            "CreateInstance",
            false,
            None,
            fields(&["Size", "Kind"]),
        );
        let b = names.shape("Disk", "RunInstances", false, None, fields(&["Size"]));
        let c = names.shape("Disk", "ResizeDisk", false, None, fields(&["Size"]));
        assert_ne!(b, c, "each operation names its own while `Disk` is taken");
        let outer = |disk: &str| -> Vec<Value> {
            vec![serde_yaml::from_str(&format!("{{name: Disk, type: {disk}}}")).unwrap()]
        };
        let x = names.shape("Settings", "RunInstances", false, None, outer(&b));
        let y = names.shape("Settings", "ResizeDisk", false, None, outer(&c));
        assert_ne!(x, y, "told apart while their disks have different names");
        let mut ops = vec![op(&x), op(&y), op(&a)];
        share_identical_shapes(&mut names, &mut ops);
        assert_eq!(
            names.shapes.keys().map(String::as_str).collect::<Vec<_>>(),
            ["CreateInstanceDisk", "Disk", "Settings"]
        );
        assert_eq!(
            ops[0]["response"]["fields"][0]["type"].as_str(),
            Some("Settings")
        );
        assert_eq!(
            ops[1]["response"]["fields"][0]["type"].as_str(),
            Some("Settings")
        );
        assert_eq!(
            ops[2]["response"]["fields"][0]["type"].as_str(),
            Some("CreateInstanceDisk")
        );
    }
}
