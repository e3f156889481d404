//! The generator of the Alibaba Cloud SDK: YAML specs in, formatted Rust files out.
//!
//! The data takes one road, each step a module of its own: [`load`] (text to spec structs) ->
//! [`validate`] (spec to a checked [`model`], every Rust name chosen by [`naming`]) -> [`emit`]
//! (model to token streams) -> [`format`](mod@format) (tokens to text). Nothing here touches the file system:
//! the caller hands in spec texts and writes out what comes back.

pub mod diagnostic;
pub mod emit;
pub mod format;
pub mod import;
pub mod load;
pub mod location;
pub mod merge;
pub mod model;
pub mod naming;
pub mod spec;
pub mod synthetic;
pub mod validate;
pub mod warning;
pub mod wire_names;

pub use diagnostic::{SpecError, SpecErrors};
pub use load::SpecSource;
pub use warning::SpecWarning;

/// A file of the generated crates: a path relative to `generated/`, and its full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to `generated/`, which holds a crate per product (`ecs/src/lib.rs`) and
    /// the catalog crate (`catalog/src/lib.rs`).
    pub path: String,
    /// The file's text.
    pub contents: String,
}

/// Why nothing was generated.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// One or more specs are wrong; every problem is listed.
    #[error("{0}")]
    Spec(#[from] SpecErrors),
    /// The generator emitted code that does not parse: a bug in the generator.
    #[error(transparent)]
    Format(#[from] format::FormatError),
}

/// Validates every spec, then generates every crate. Nothing is returned unless every spec
/// is valid, so a bad spec never leaves half-written output.
pub fn generate(sources: &[SpecSource]) -> Result<Vec<GeneratedFile>, GenerateError> {
    let workers = std::thread::available_parallelism().unwrap_or(std::num::NonZeroUsize::MIN);
    generate_with_workers(sources, workers)
}

/// [`generate`] on `workers` threads (formatting is shared out among them; the output is the
/// same for any number). One worker does everything on the calling thread, which is what an
/// instruction count needs.
pub fn generate_with_workers(
    sources: &[SpecSource],
    workers: std::num::NonZeroUsize,
) -> Result<Vec<GeneratedFile>, GenerateError> {
    let products = validate_all(sources)?;
    let mut files: Vec<GeneratedFile> = emit::manifests(&products)
        .into_iter()
        .map(|(path, contents)| GeneratedFile { path, contents })
        .collect();
    let rust = emit::rust_files(&products);
    let texts = format::rust_files(&rust, workers)?;
    for (f, contents) in rust.into_iter().zip(texts) {
        files.push(GeneratedFile {
            path: f.path,
            contents,
        });
    }
    for file in &mut files {
        file.contents.retain(|c| !is_unprintable(c));
    }
    Ok(files)
}

/// Characters a spec's text may hold that no generated file keeps: controls but the line feed and
/// the tab (a lone carriage return, which rustc refuses in a doc comment, a bell, a terminal's
/// escape) and the bidirectional formatting characters, which make text read other than it is and
/// which rustc refuses in comments. The formatter escapes them in string literals, so a raw one
/// in the output is in a comment or the README, where it carries nothing.
pub fn is_unprintable(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        )
}

/// What the valid specs among `sources` hold that the generated code drops (an `example: null`,
/// an empty description), in file order; a spec with errors gives none (its errors come first).
pub fn spec_warnings(sources: &[SpecSource]) -> Vec<SpecWarning> {
    merge::load_merged(sources)
        .0
        .iter()
        .filter_map(|loaded| validate::validate(loaded).ok())
        .flat_map(|product| product.warnings)
        .collect()
}

/// Loads and validates every spec (an imported spec merged under the written spec of its
/// module), products sorted by module; every problem of every file is collected.
pub fn validate_all(sources: &[SpecSource]) -> Result<Vec<model::Product>, SpecErrors> {
    let (loaded, mut errors) = merge::load_merged(sources);
    let mut products = Vec::new();
    for spec in &loaded {
        match validate::validate(spec) {
            Ok(p) => products.push(p),
            Err(mut e) => errors.append(&mut e),
        }
    }
    products.sort_by(|a, b| a.module.cmp(&b.module));
    for pair in products.windows(2) {
        if let [a, b] = pair {
            if a.module == b.module {
                errors.push(SpecError {
                    file: b.file.clone(),
                    line: 1,
                    column: 1,
                    message: format!("module `{}` is also declared by {}", b.module, a.file),
                    help: Some("give each product and version its own `module:`".to_owned()),
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(products)
    } else {
        Err(SpecErrors(errors))
    }
}
