//! Stage 3: the validated model to token streams, one list of parts per generated Rust file, plus
//! the crates' manifests: a crate per product (`generated/<module>/`, package `acs-<module>`),
//! and the catalog crate that lists every product's operations.
//!
//! A file is a list of [`Part`]s (a product module's header, then one part per operation) that
//! are emitted when the formatter asks for them: token streams cannot cross threads, so the
//! formatter emits, parses and prints each part on whichever thread takes it.

mod catalog;
mod crate_tests;
mod debug;
mod docs;
mod examples;
mod fields;
mod operation;
mod paging;
mod product;
mod request;
mod shapes;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Operation, Product};

/// One part of a file: a closure that emits some of its items. The parts of a file, printed one
/// after the other, are the file; the first holds the file's inner attributes.
pub type Part<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// A generated Rust file, before formatting.
pub struct RustFile<'a> {
    /// Path relative to `generated/` (`ecs/src/lib.rs`).
    pub path: String,
    /// Its parts, in order.
    pub parts: Vec<Part<'a>>,
}

impl<'a> RustFile<'a> {
    fn whole(path: String, part: impl Fn() -> TokenStream + Send + Sync + 'a) -> Self {
        RustFile {
            path,
            parts: vec![Box::new(part)],
        }
    }
}

/// Name of the marker type of a wrapper key (`Image` -> `ImageKey`).
fn wrapper_ident(key: &str) -> String {
    crate::naming::generated::wrapper_type(key)
}

/// `#[deprecated]`, with the spec's reason as its note when it gives one.
fn deprecated_attr(d: Option<&crate::model::Deprecation>) -> TokenStream {
    match d {
        None => quote!(),
        Some(crate::model::Deprecation { reason: Some(r) }) => quote!(#[deprecated(note = #r)]),
        Some(crate::model::Deprecation { reason: None }) => quote!(#[deprecated]),
    }
}

/// `#[allow(deprecated)]` for generated code that reads or writes deprecated fields, or calls a
/// deprecated method, on the caller's behalf: the warning is for callers who choose to.
fn allow_deprecated(uses: bool) -> TokenStream {
    if uses {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    }
}

/// Whether any of `fields` is deprecated.
fn any_deprecated(fields: &[crate::model::Field]) -> bool {
    fields.iter().any(|f| f.deprecated.is_some())
}

/// Whether generated code around `op` (its tests and example) touches anything deprecated: the
/// operation itself, its fields, or a field of a shape of the product.
fn uses_deprecated(p: &Product, op: &Operation) -> bool {
    op.deprecated.is_some()
        || any_deprecated(&op.request)
        || any_deprecated(&op.response)
        || p.shapes.iter().any(|s| any_deprecated(&s.fields))
}

/// The operations of a product that get a runnable example, in file order.
fn examples_of(p: &Product) -> impl Iterator<Item = &Operation> {
    p.operations
        .iter()
        .filter(|op| p.examples.contains(&op.action))
}

/// The package of a product's crate (`acs-ecs`); its library is [`crate_name`].
pub fn package_name(p: &Product) -> String {
    format!("acs-{}", p.module.replace('_', "-"))
}

/// The library name of a product's crate (`acs_ecs`), as code that uses it names it.
pub fn crate_name(p: &Product) -> String {
    format!("acs_{}", p.module)
}

/// The folder of a product's crate under `generated/`: its module (`ecs`), which no other
/// generated crate can have (see [`RESERVED_MODULES`]).
fn crate_dir(p: &Product) -> &str {
    &p.module
}

/// The path of `file` inside `p`'s crate, relative to `generated/`.
fn in_crate(p: &Product, file: &str) -> String {
    format!("{}/{file}", crate_dir(p))
}

/// Modules no product can have (validation refuses them): their folder or package would be
/// another crate's of the workspace (the catalog's, or a hand-written crate's `acs-<name>`).
pub use crate::naming::generated::RESERVED_MODULES;

/// Every Rust file of the generated crates, in a stable order: a crate per product
/// (`<module>/`), and the catalog crate that lists them all.
pub fn rust_files(products: &[Product]) -> Vec<RustFile<'_>> {
    let mut files = Vec::new();
    for p in products {
        files.push(RustFile::whole(in_crate(p, "src/lib.rs"), move || {
            product::module(p)
        }));
        if shapes::has_types(p) {
            files.push(RustFile::whole(in_crate(p, "src/types.rs"), move || {
                shapes::types_file(p)
            }));
        }
        for op in &p.operations {
            files.push(RustFile::whole(
                in_crate(p, &format!("src/{}.rs", op.method_name)),
                move || operation::file(op),
            ));
        }
        files.push(RustFile::whole(in_crate(p, "src/catalog.rs"), move || {
            catalog::catalog(p)
        }));
        for op in examples_of(p) {
            files.push(RustFile::whole(
                in_crate(p, &format!("examples/{}.rs", op.method_name)),
                move || examples::example(p, op),
            ));
        }
        if let Some(op) = examples_of(p).next() {
            files.push(RustFile::whole(
                in_crate(p, &format!("examples/{}.rs", examples::BLOCKING)),
                move || examples::blocking_example(p, op),
            ));
        }
        let per_operation =
            |header: fn() -> TokenStream, tests: fn(&Product, &Operation) -> TokenStream| {
                let mut parts: Vec<Part<'_>> = vec![Box::new(header)];
                for op in &p.operations {
                    parts.push(Box::new(move || tests(p, op)));
                }
                parts
            };
        files.push(RustFile {
            path: in_crate(p, "tests/samples.rs"),
            parts: per_operation(crate_tests::samples_header, crate_tests::samples),
        });
        files.push(RustFile {
            path: in_crate(p, "tests/limits.rs"),
            parts: per_operation(crate_tests::limits_header, crate_tests::limits),
        });
    }
    files.push(RustFile::whole(
        format!("{}/src/lib.rs", catalog::CRATE_DIR),
        move || catalog::catalog_crate(products),
    ));
    files
}

/// Every file of the generated crates that is not Rust, by path relative to `generated/`: each
/// crate's `Cargo.toml`, and its `rustfmt.toml`, which keeps `cargo fmt` off generated text (it
/// is formatted by the generator, and a formatter pass over hundreds of thousands of lines
/// would only cost time).
pub fn manifests(products: &[Product]) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for p in products {
        files.push((in_crate(p, "Cargo.toml"), cargo_toml(p)));
        files.push((in_crate(p, "rustfmt.toml"), RUSTFMT_TOML.to_owned()));
    }
    files.push((
        format!("{}/Cargo.toml", catalog::CRATE_DIR),
        catalog::cargo_toml(products, crate_dir),
    ));
    files.push((
        format!("{}/rustfmt.toml", catalog::CRATE_DIR),
        RUSTFMT_TOML.to_owned(),
    ));
    files.push(("README.md".to_owned(), readme(products)));
    files
}

/// `generated/README.md`: the product crates, as the specs declare them.
fn readme(products: &[Product]) -> String {
    let cell = |text: &str| text.replace('|', "\\|").replace(['\n', '\r'], " ");
    let rows: String = products
        .iter()
        .map(|p| {
            let example = examples_of(p).next().map_or_else(
                || "-".to_owned(),
                |op| {
                    format!(
                        "`cargo run -p {} --example {}`",
                        package_name(p),
                        op.method_name
                    )
                },
            );
            format!(
                "| `{}` | `{}` | {} ({}) | {} | {} | {example} |\n",
                package_name(p),
                crate_dir(p),
                cell(&p.name),
                cell(&p.code),
                cell(&p.version),
                p.operations.len(),
            )
        })
        .collect();
    let first = products.first().map_or_else(
        || ("acs-ecs".to_owned(), "ecs".to_owned()),
        |p| (package_name(p), crate_dir(p).to_owned()),
    );
    format!(
        r#"<!-- Code generated by cargo xtask codegen. DO NOT EDIT. -->
# The generated crates

A crate per product, each depending on `acs-runtime` alone, written by `cargo xtask codegen` from
`specs/`. A program depends on the products it calls, and builds nothing else:

```toml
[dependencies]
{package} = {{ path = "generated/{dir}" }}
# with the `blocking` feature for a `BlockingClient`:
# {package} = {{ path = "generated/{dir}", features = ["blocking"] }}
```

| crate | folder | product | API version | operations | example |
|---|---|---|---|---|---|
{rows}
`{catalog_dir}/` (`{catalog_package}`) lists every product's operations for the workspace's tests
and benchmarks; it is not part of the SDK.
"#,
        package = first.0,
        dir = first.1,
        catalog_dir = catalog::CRATE_DIR,
        catalog_package = catalog::PACKAGE,
    )
}

/// The header of every generated manifest.
const TOML_HEADER: &str = "# Code generated by cargo xtask codegen. DO NOT EDIT.";

const RUSTFMT_TOML: &str = "# Code generated by cargo xtask codegen. DO NOT EDIT.\n\
# The generator formats this crate; cargo fmt leaves it as it is.\n\
disable_all_formatting = true\n";

/// A product crate's `Cargo.toml`.
fn cargo_toml(p: &Product) -> String {
    let examples: String = examples_of(p)
        .map(|o| format!("\n[[example]]\nname = \"{}\"\n", o.method_name))
        .chain(examples_of(p).next().map(|_| {
            format!(
                "\n[[example]]\nname = \"{}\"\nrequired-features = [\"blocking\"]\n",
                examples::BLOCKING
            )
        }))
        .collect();
    let description = toml_string(&format!(
        "Typed Rust SDK for Alibaba Cloud {} ({}), API version {}, generated from its YAML spec.",
        p.name, p.code, p.version
    ));
    format!(
        r#"{TOML_HEADER}
[package]
name = "{package}"
version = "0.1.0"
description = {description}
edition.workspace = true
license.workspace = true
rust-version.workspace = true
publish.workspace = true

# The crate holds no unit tests (its tests are under tests/) and no doc tests (its examples are
# under examples/): building it a second time as a test harness would double the cost of
# `cargo test` and `cargo clippy --all-targets`.
[lib]
test = false
doctest = false

[features]
default = []
# A blocking client (`BlockingClient`), for programs without an async runtime.
blocking = ["acs-runtime/blocking"]
{catalog}
[dependencies]
acs-runtime.workspace = true
serde.workspace = true

[dev-dependencies]
serde_json.workspace = true
tokio = {{ workspace = true, features = ["macros", "rt-multi-thread"] }}
{examples}
[package.metadata.docs.rs]
all-features = true
"#,
        package = package_name(p),
        catalog = catalog::cargo_feature(),
    )
}

/// `text` as a TOML basic string, quotes included: a product's name is the spec's text, which
/// may hold quotes, backslashes or control characters.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
