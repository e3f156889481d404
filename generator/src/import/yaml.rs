//! Writes the imported spec: a provenance header with the sources' digests, then the product,
//! the shapes and the operations, in a fixed order so that re-running the import on the same
//! sources gives the same bytes.

use serde_yaml::{Mapping, Value as Yaml};
use sha2::{Digest, Sha256};

use super::ImportSource;
use super::metadata::Document;

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
    endpoint_notes: Vec<String>,
    shapes: std::collections::BTreeMap<String, Yaml>,
    operations: Vec<Yaml>,
    module: &str,
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
    if !endpoint_notes.is_empty() {
        // In the spec, not a comment: codegen reports every `Review:` note it holds.
        product.insert(
            "notes".into(),
            Yaml::Sequence(endpoint_notes.into_iter().map(Yaml::from).collect()),
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

/// The file's name without its folders, so the header does not depend on where it was run.
pub(crate) fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Hex SHA-256 of a text.
fn digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}
