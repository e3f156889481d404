//! The HTTP method every operation of every spec sends (the first of its `methods:`) is the one
//! Alibaba's official SDKs send for it: POST whenever the current metadata lists POST, GET only
//! for an operation the metadata lists with GET alone. Written and imported specs alike are held
//! against the metadata itself (`shared/metadata/` beside the workspace), not against an import
//! of it.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use serde_yaml::Value;

use crate::support::workspace_root;

/// The metadata folder: `shared/metadata` beside the checkout or one of its parents (a worktree
/// sits a level deeper than the main checkout).
pub(crate) fn metadata_dir() -> PathBuf {
    let root = workspace_root();
    root.ancestors()
        .map(|dir| dir.join("shared/metadata"))
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| {
            panic!(
                "no shared/metadata beside {} or any folder above it: the methods are held against Alibaba's metadata",
                root.display()
            )
        })
}

/// The method the official SDKs send for an operation the metadata lists with `methods`.
fn official_method(methods: &[String]) -> Option<String> {
    if methods.iter().any(|m| m == "POST") {
        Some("POST".to_owned())
    } else {
        methods.first().cloned()
    }
}

fn metadata_methods(path: &Path) -> std::collections::BTreeMap<String, Vec<String>> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Json =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let Some(apis) = doc["apis"].as_object() else {
        return Default::default();
    };
    apis.iter()
        .map(|(action, api)| {
            let methods = api["methods"]
                .as_array()
                .map(|m| {
                    m.iter()
                        .filter_map(Json::as_str)
                        .map(str::to_ascii_uppercase)
                        .collect()
                })
                .unwrap_or_default();
            (action.clone(), methods)
        })
        .collect()
}

#[test]
fn every_operation_sends_the_method_the_official_sdks_send() {
    let metadata = metadata_dir();
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut get_only = 0;
    for folder in ["specs", "specs/imported"] {
        let mut files: Vec<PathBuf> = fs::read_dir(workspace_root().join(folder))
            .unwrap_or_else(|e| panic!("{folder}: {e}"))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        files.sort();
        for path in files {
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let source = metadata.join(format!("{stem}.json"));
            if !source.exists() {
                continue;
            }
            let official = metadata_methods(&source);
            let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            let spec: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            for op in spec["operations"].as_sequence().into_iter().flatten() {
                let action = op["action"].as_str().unwrap_or_default();
                let Some(listed) = official.get(action) else {
                    continue;
                };
                let sent = op["methods"]
                    .as_sequence()
                    .and_then(|m| m.first())
                    .and_then(Value::as_str);
                let expected = official_method(listed);
                checked += 1;
                if expected.as_deref() == Some("GET") {
                    get_only += 1;
                }
                if sent != expected.as_deref() {
                    problems.push(format!(
                        "{folder}/{stem}.yaml {action}: sends {sent:?}, the official SDKs {expected:?} (metadata: {listed:?})"
                    ));
                }
            }
        }
    }
    // The five products' operations, written and imported: a folder left out would pass alone.
    assert!(checked > 800, "only {checked} operations were checked");
    assert!(get_only > 0, "no GET-only operation was checked");
    assert!(
        problems.is_empty(),
        "{} operation(s) send another method than the official SDKs; put it first in `methods:` \
         (imported specs: re-run `cargo xtask import`):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
