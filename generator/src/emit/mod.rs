//! Stage 3: the validated model to token streams, one list of parts per generated Rust file, plus
//! the crate's manifest.
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
mod readme;
mod request;
mod shapes;

pub use readme::products_table;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Operation, Product};

/// One part of a file: a closure that emits some of its items. The parts of a file, printed one
/// after the other, are the file; the first holds the file's inner attributes.
pub type Part<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;

/// A generated Rust file, before formatting.
pub struct RustFile<'a> {
    /// Path relative to the generated crate's root.
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

/// Every Rust file of the generated crate, in a stable order.
pub fn rust_files(products: &[Product]) -> Vec<RustFile<'_>> {
    let mut files = vec![RustFile::whole("src/lib.rs".to_owned(), move || {
        lib_rs(products)
    })];
    for p in products {
        let dir = format!("src/{}", p.module);
        files.push(RustFile::whole(format!("{dir}/mod.rs"), move || {
            product::module(p)
        }));
        if shapes::has_types(p) {
            files.push(RustFile::whole(format!("{dir}/types.rs"), move || {
                shapes::types_file(p)
            }));
        }
        for op in &p.operations {
            files.push(RustFile::whole(
                format!("{dir}/{}.rs", op.method_name),
                move || operation::file(op),
            ));
        }
        for op in examples_of(p) {
            files.push(RustFile::whole(
                format!("examples/{}_{}.rs", p.module, op.method_name),
                move || examples::example(p, op),
            ));
        }
        if let Some(op) = examples_of(p).next() {
            files.push(RustFile::whole(
                format!("examples/{}_blocking.rs", p.module),
                move || examples::blocking_example(p, op),
            ));
        }
    }
    let per_operation = |header: fn() -> TokenStream,
                         tests: fn(&Product, &Operation) -> TokenStream| {
        let mut parts: Vec<Part<'_>> = vec![Box::new(header)];
        for p in products {
            for op in &p.operations {
                parts.push(Box::new(move || tests(p, op)));
            }
        }
        parts
    };
    files.push(RustFile::whole("src/catalog.rs".to_owned(), move || {
        catalog::catalog(products)
    }));
    files.push(RustFile {
        path: "tests/samples.rs".to_owned(),
        parts: per_operation(crate_tests::samples_header, crate_tests::samples),
    });
    files.push(RustFile {
        path: "tests/limits.rs".to_owned(),
        parts: per_operation(crate_tests::limits_header, crate_tests::limits),
    });
    files
}

fn lib_rs(products: &[Product]) -> TokenStream {
    let modules = products.iter().map(|p| {
        let m = fields::ident(&p.module);
        let feature = &p.module;
        let doc = format!(" {} ({}), API version {}.", p.name, p.code, p.version);
        quote! {
            #[cfg(feature = #feature)]
            #[doc = #doc]
            #[rustfmt::skip]
            pub mod #m;
        }
    });
    let table: String = products
        .iter()
        .map(|p| {
            format!(
                "\n| `{m}` | {} | {} | {} |",
                p.name,
                p.version,
                p.operations.len(),
                m = p.module,
            )
        })
        .collect();
    let doc = format!(
        r#"A typed Rust SDK for Alibaba Cloud RPC APIs, generated from the YAML specs in `specs/`.

Each product is a module behind a cargo feature of the same name (`full` enables all):

| module | product | API version | operations |
|---|---|---|---|{table}

```no_run
# #[cfg(feature = "ecs")]
# async fn run() -> Result<(), Box<dyn std::error::Error>> {{
use acs_sdk::ecs::{{Client, ImageOwnerAlias}};
use futures_util::TryStreamExt;

// Credentials from the default chain (environment, OIDC role, ~/.aliyun/config.json, the ECS
// instance's RAM role, a credentials URI); or build one with acs_sdk::Config::builder().
let client = Client::from_env().await?;
let out = client
    .describe_images()
    .region_id("cn-hangzhou")
    .image_owner_alias(ImageOwnerAlias::Self_)
    .send()
    .await?;
println!("{{}} images in all", out.total_count.unwrap_or_default());

let mut images = client.describe_images().region_id("cn-hangzhou").into_paginator().items();
while let Some(image) = images.try_next().await? {{
    println!("{{}}", image.image_id.as_deref().unwrap_or("-"));
}}
# Ok(())
# }}
```

Errors are typed per operation: `SdkError::Service` holds the operation's error enum, with a
variant per documented code and `Unhandled` for the rest; every variant keeps the HTTP status,
code, message and request id.

A request value (built ahead, stored, or loaded from JSON) is sent with `client.send(request)`,
checked as the builder's `send` checks it. The `blocking` feature adds a `BlockingClient` to each
product: the same builders, `send` returning the response, and paginators that are `Iterator`s."#
    );
    let lines = doc.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #l])
    });
    let catalog = catalog::module_item();
    quote! {
        #(#lines)*
        #![forbid(unsafe_code)]

        pub use acs_runtime::{Config, ConfigBuilder, SdkError, ServiceError};

        #(#modules)*

        #catalog
    }
}

/// The generated crate's `Cargo.toml`: one feature per product.
pub fn cargo_toml(products: &[Product]) -> String {
    let mut features = String::new();
    let all: Vec<String> = products
        .iter()
        .map(|p| format!("\"{}\"", p.module))
        .collect();
    features.push_str(&format!("default = []\nfull = [{}]\n", all.join(", ")));
    for p in products {
        features.push_str(&format!("{} = []\n", p.module));
    }
    features.push_str(&catalog::cargo_feature());
    features.push_str(
        "# A blocking client per product (`BlockingClient`), for programs without an async runtime.\nblocking = [\"acs-runtime/blocking\"]\n",
    );
    let examples: String = products
        .iter()
        .flat_map(|p| {
            examples_of(p).map(move |o| {
                format!(
                    "\n[[example]]\nname = \"{m}_{o}\"\nrequired-features = [\"{m}\"]\n",
                    m = p.module,
                    o = o.method_name
                )
            })
            .chain(examples_of(p).next().map(|_| {
                format!(
                    "\n[[example]]\nname = \"{m}_blocking\"\nrequired-features = [\"{m}\", \"blocking\"]\n",
                    m = p.module
                )
            }))
        })
        .collect();
    format!(
        r#"{header}
[package]
name = "acs-sdk"
version = "0.1.0"
description = "Typed Rust SDK for Alibaba Cloud RPC APIs, generated from YAML specs."
edition.workspace = true
license.workspace = true
rust-version.workspace = true
publish.workspace = true

# The crate holds no unit tests (its tests are under tests/): building it a second time as a test
# harness would double the cost of `cargo test` and `cargo clippy --all-targets`.
[lib]
test = false

[features]
{features}
[dependencies]
acs-runtime.workspace = true
serde.workspace = true

[dev-dependencies]
futures-util.workspace = true
serde_json.workspace = true
tokio = {{ workspace = true, features = ["macros", "rt-multi-thread"] }}
{examples}
[package.metadata.docs.rs]
all-features = true
"#,
        header = "# Code generated by cargo xtask codegen. DO NOT EDIT.",
    )
}
