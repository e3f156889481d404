//! `cargo xtask import`: Alibaba's API metadata (the OpenAPI portal's `api-docs` format, with or
//! without its prose) to a spec in this project's YAML format.
//!
//! One road, a file per job: `metadata` reads the file and its top level, `endpoints`
//! computes the endpoint rule, `parameter` and `schema` map request parameters and the
//! schemas under them, `responses` the response fields (from the metadata or from the
//! checked-in response facts), error codes and samples, `secrets` tells the fields that hold a
//! secret by their names, `operation` puts an operation together, `yaml` writes the text. What
//! a machine cannot decide becomes a `Review:` note ([`notes`]), which the generator reports as
//! a warning. Nothing touches the file system.

mod deprecation;
mod endpoints;
pub mod error;
mod metadata;
mod names;
pub mod notes;
mod operation;
mod overlaps;
mod parameter;
pub mod responses;
mod schema;
mod secrets;
mod sharing;
mod yaml;

use std::collections::BTreeSet;

pub use error::ImportError;
pub use notes::{Notes, REVIEW_PREFIX, ReviewKind};
pub use responses::ResponseSource;
pub use secrets::names_a_secret;
pub use yaml::HEADER as IMPORT_HEADER;

use error::At;

/// A file handed to the import: a name for messages and provenance, and its text.
#[derive(Debug, Clone)]
pub struct ImportSource {
    /// The file's name as messages and the provenance header show it.
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The operations to import; empty for all of them.
    pub operations: Vec<String>,
    /// The response facts of the product (`specs/responses/<module>.json`), if any.
    pub facts: Option<ImportSource>,
}

/// What an import wrote, and what it found.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The spec's text.
    pub yaml: String,
    /// The counts of the import.
    pub summary: Summary,
}

/// The counts of one import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The product code.
    pub product: String,
    /// The spec's module.
    pub module: String,
    /// Operations written.
    pub operations: usize,
    /// Request parameters written (top level).
    pub parameters: usize,
    /// Operations whose response fields came from the metadata.
    pub responses_from_metadata: usize,
    /// Operations whose response fields came from the response facts.
    pub responses_from_facts: usize,
    /// Operations with no response schema in either source.
    pub responses_untyped: usize,
    /// Operations with paging.
    pub paged: usize,
    /// The review notes written, by kind.
    pub notes: Notes,
    /// The fields marked `secret: true` by their names, each as `<Action> request|response
    /// <wire path>` (`RunInstances request Password`), in the order of the operations.
    pub secrets: Vec<String>,
}

/// Whether `action` can be an operation's action: ASCII letters and digits, a letter first, as
/// validation requires.
fn is_action_name(action: &str) -> bool {
    action.starts_with(|c: char| c.is_ascii_alphabetic())
        && action.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Imports `source` into spec YAML. Every problem is an [`ImportError`] naming the file, the
/// operation and the path inside the file; no text is returned then.
pub fn import(source: &ImportSource, options: &ImportOptions) -> Result<Imported, ImportError> {
    let value = metadata::json(source)?;
    let doc = metadata::parse(source, &value)?;
    let facts_value = match &options.facts {
        Some(f) => Some((f, metadata::json(f)?)),
        None => None,
    };
    let facts = match &facts_value {
        Some((f, v)) => Some((f.name.as_str(), metadata::parse_facts(f, v)?)),
        None => None,
    };
    let root = At::root(&source.name);
    let wanted: BTreeSet<&str> = options.operations.iter().map(String::as_str).collect();
    for name in &wanted {
        if !doc.apis.contains_key(*name) {
            let mut near: Vec<&str> = doc
                .apis
                .keys()
                .map(String::as_str)
                .filter(|a| a.eq_ignore_ascii_case(name) || a.contains(*name) || name.contains(*a))
                .take(5)
                .collect();
            if near.is_empty() {
                near = doc.apis.keys().map(String::as_str).take(5).collect();
            }
            return Err(root.key("apis").error(
                format!("the metadata has no operation `{name}`"),
                format!(
                    "operation names are case-sensitive; some it has: {}",
                    near.join(", ")
                ),
            ));
        }
    }
    let mut summary = Summary {
        product: doc.product.clone(),
        module: crate::naming::field_name(&doc.product).replace("r#", ""),
        ..Summary::default()
    };
    let mut names = names::TypeNames::default();
    let (endpoint, endpoint_notes) =
        endpoints::endpoint_rule(doc.endpoints, &root.key("endpoints"), &doc.product)?;
    if !endpoint_notes.is_empty() {
        *summary
            .notes
            .by_kind
            .entry(ReviewKind::Endpoint)
            .or_default() += endpoint_notes.len();
    }
    let mut operations = Vec::new();
    let mut product_notes = Vec::new();
    // The Rust names each kept action takes, and the action that took them first.
    let mut rust_names: std::collections::BTreeMap<String, &str> =
        std::collections::BTreeMap::new();
    for (action, api) in &doc.apis {
        if !wanted.is_empty() && !wanted.contains(action.as_str()) {
            continue;
        }
        // An action is sent as written but names a method and types in Rust: one that cannot,
        // or that names the same ones as another, is left out rather than failing the product.
        if !is_action_name(action) {
            product_notes.push(summary.notes.review(
                ReviewKind::BadName,
                &format!(
                    "the metadata's action `{action}` is not an action name (ASCII letters and digits, a letter first); it was left out: add it to the written spec under the name the service documents"
                ),
            ));
            continue;
        }
        let rust = [
            crate::naming::method_name(action),
            crate::naming::type_name(action),
        ];
        if let Some(first) = rust.iter().find_map(|n| rust_names.get(n)) {
            product_notes.push(summary.notes.review(
                ReviewKind::BadName,
                &format!(
                    "the metadata's action `{action}` makes the same Rust name as `{first}`; it was left out: a client cannot hold both"
                ),
            ));
            continue;
        }
        for n in rust {
            rust_names.insert(n, action);
        }
        let at = root.key("apis").key(action).in_operation(action);
        let facts_schema = facts.as_ref().and_then(|(name, f)| {
            f.get(action.as_str()).map(|s| {
                (
                    s,
                    At::root(name)
                        .key("operations")
                        .key(action)
                        .in_operation(action),
                )
            })
        });
        let op = operation::operation(
            &mut names,
            doc.components,
            &mut summary,
            action,
            api,
            &at,
            facts_schema,
            yaml::base_name(&source.name),
        )?;
        operations.push(op);
    }
    sharing::share_identical_shapes(&mut names, &mut operations);
    let yaml = yaml::write(
        &doc,
        source,
        options.facts.as_ref(),
        endpoint,
        names.shapes,
        operations,
        &summary.module,
        product_notes,
        &mut summary.notes,
    );
    let endpoint_reviews = summary.notes.by_kind.remove(&ReviewKind::Endpoint);
    summary.notes.recount(&yaml);
    if let Some(n) = endpoint_reviews {
        summary.notes.by_kind.insert(ReviewKind::Endpoint, n);
    }
    Ok(Imported { yaml, summary })
}
