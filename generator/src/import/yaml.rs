//! Writes the imported spec: a provenance header with the sources' digests, then the product,
//! the shapes and the operations, in a fixed order so that re-running the import on the same
//! sources gives the same bytes.

use serde_yaml::{Mapping, Value as Yaml};
use sha2::{Digest, Sha256};

use super::ImportSource;
use super::metadata::Document;
use super::notes::{Notes, ReviewKind};

/// The first line of every imported spec; the loader reads it to tell imported from written.
pub const HEADER: &str =
    "# Imported by `cargo xtask import`. Do not edit: re-running the import rewrites this file.";

/// The spec text.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write(
    doc: &Document<'_>,
    source: &ImportSource,
    facts: Option<&ImportSource>,
    endpoint: Yaml,
    shapes: std::collections::BTreeMap<String, Yaml>,
    operations: Vec<Yaml>,
    module: &str,
    mut product_notes: Vec<String>,
    review: &mut Notes,
) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push('\n');
    out.push_str("# To change an operation, copy it into the product's hand-written spec, which wins at load.\n");
    out.push_str(&format!(
        "# metadata: {} (sha256 {})\n",
        base_name(&source.name),
        digest(&source.text)
    ));
    if let Some(f) = facts {
        out.push_str(&format!(
            "# response facts: {} (sha256 {})\n",
            base_name(&f.name),
            digest(&f.text)
        ));
    }
    let mut product = Mapping::new();
    product.insert("code".into(), doc.product.clone().into());
    product.insert(
        "name".into(),
        doc.title
            .clone()
            .unwrap_or_else(|| doc.product.clone())
            .into(),
    );
    product.insert("module".into(), module.into());
    product.insert("version".into(), doc.version.clone().into());
    product.insert("style".into(), "rpc".into());
    product.insert("endpoint".into(), endpoint);
    let mut shapes = shapes;
    let mut operations = operations;
    let mut cleaned = Vec::new();
    for (name, shape) in &mut shapes {
        scrub(shape, &format!("shapes.{name}"), &mut cleaned);
    }
    for op in &mut operations {
        let action = op
            .get("action")
            .and_then(Yaml::as_str)
            .unwrap_or_default()
            .to_owned();
        scrub(op, &format!("operations.{action}"), &mut cleaned);
    }
    if !cleaned.is_empty() {
        let shown: Vec<&str> = cleaned.iter().take(5).map(String::as_str).collect();
        product_notes.push(review.review(
            ReviewKind::ControlCharacters,
            &format!(
                "{} text(s) of the metadata hold control characters or bidirectional formatting characters (which can make text read other than it is, and which rustc refuses in doc comments); they were removed: {}{}",
                cleaned.len(),
                shown.join(", "),
                if cleaned.len() > shown.len() { ", ..." } else { "" }
            ),
        ));
    }
    if !product_notes.is_empty() {
        product.insert(
            "notes".into(),
            Yaml::Sequence(product_notes.into_iter().map(Yaml::from).collect()),
        );
    }
    let mut root = Mapping::new();
    root.insert("product".into(), Yaml::Mapping(product));
    if !shapes.is_empty() {
        root.insert(
            "shapes".into(),
            Yaml::Mapping(
                shapes
                    .into_iter()
                    .map(|(k, v)| (Yaml::from(k), v))
                    .collect(),
            ),
        );
    }
    root.insert("operations".into(), Yaml::Sequence(operations));
    // Serialising a tree of plain values cannot fail; an empty text would fail to load, loudly.
    out.push_str(&serde_yaml::to_string(&Yaml::Mapping(root)).unwrap_or_default());
    out
}

/// Removes what no text of a spec should hold from every `title` and `description` under
/// `node`, naming each place it cleaned (`operations.ListThings.response.fields[0]`) in `cleaned`.
fn scrub(node: &mut Yaml, path: &str, cleaned: &mut Vec<String>) {
    match node {
        Yaml::Mapping(map) => {
            let name = map.get("name").and_then(Yaml::as_str).map(str::to_owned);
            for (key, value) in map.iter_mut() {
                let key = key.as_str().unwrap_or_default();
                let here = match &name {
                    Some(name) if key == "title" || key == "description" => {
                        format!("{path} ({name})")
                    }
                    _ => format!("{path}.{key}"),
                };
                if let (true, Yaml::String(text)) =
                    (key == "title" || key == "description", &mut *value)
                {
                    if text.chars().any(crate::is_unprintable) {
                        text.retain(|c| !crate::is_unprintable(c));
                        cleaned.push(here);
                    }
                    continue;
                }
                scrub(value, &here, cleaned);
            }
        }
        Yaml::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                scrub(item, &format!("{path}[{i}]"), cleaned);
            }
        }
        _ => {}
    }
}

/// The file's name without its folders, so the header does not depend on where it was run.
pub(crate) fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Hex SHA-256 of a text.
fn digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}
