//! The spec constructs no seed spec uses (deprecation, integer widths, token paging, objects sent
//! as JSON, maps, header parameters), from `tests/format/formats.yaml`: what the generator writes
//! for each, and that the generated crate compiles without a warning and behaves as the spec
//! says (`tests/format/behaviour.rs`, run inside a scratch workspace).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use acs_codegen::{GeneratedFile, SpecSource, generate};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the workspace root")
}

fn spec() -> SpecSource {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/format/formats.yaml");
    SpecSource {
        name: "generator/tests/format/formats.yaml".to_owned(),
        text: fs::read_to_string(path).expect("the test spec"),
    }
}

fn generated() -> Vec<GeneratedFile> {
    generate(&[spec()]).unwrap_or_else(|e| panic!("{e}"))
}

fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.as_str())
        .unwrap_or_else(|| panic!("{path} is not generated"))
}

/// The attributes, as text, of each public field or method named `name` in `text`, and of each impl
/// block whose type (and trait, if any) prints as `name` (`impl<C> Builder<C>` is `Builder < C >`,
/// `impl Trait for Type` is `Trait for Type`).
fn attributes(text: &str, name: &str) -> Vec<String> {
    let file = syn::parse_file(text).expect("generated code parses");
    let show = |attrs: &[syn::Attribute]| {
        attrs
            .iter()
            .filter(|a| !a.path().is_ident("doc"))
            .map(|a| quote::ToTokens::to_token_stream(a).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => {
                for f in &s.fields {
                    // A builder's private fields are no part of its interface.
                    let public = matches!(f.vis, syn::Visibility::Public(_));
                    if public && f.ident.as_ref().is_some_and(|i| i == name) {
                        out.push(show(&f.attrs));
                    }
                }
            }
            syn::Item::Impl(i) => {
                let ty = quote::ToTokens::to_token_stream(&i.self_ty).to_string();
                let whole = match &i.trait_ {
                    Some((_, path, _)) => {
                        format!("{} for {ty}", quote::ToTokens::to_token_stream(path))
                    }
                    None => ty,
                };
                if whole == name {
                    out.push(show(&i.attrs));
                }
                for it in &i.items {
                    if let syn::ImplItem::Fn(m) = it {
                        if m.sig.ident == name {
                            out.push(show(&m.attrs));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    assert!(!out.is_empty(), "`{name}` is not in the file");
    out
}

fn deprecated_with(text: &str, name: &str, attribute: &str) -> bool {
    attributes(text, name).iter().all(|a| a.contains(attribute))
}

#[test]
fn deprecated_fields_setters_and_operations_carry_the_reason() {
    let files = generated();
    let op = file(&files, "formats/src/describe_things.rs");
    let because = |reason: &str| format!("# [deprecated (note = \"{reason}\")]");
    assert!(
        deprecated_with(op, "old_name", &because("Use ThingName.")),
        "{op}"
    );
    assert!(deprecated_with(
        op,
        "set_old_name",
        &because("Use ThingName.")
    ));
    for name in ["old_flag", "set_old_flag", "old_ids", "set_old_ids"] {
        assert!(deprecated_with(op, name, "# [deprecated]"), "{name}");
    }
    assert!(deprecated_with(op, "old_total", &because("Use Bytes.")));
    assert!(!deprecated_with(op, "region_id", "deprecated"));
    // Generated code that reads the fields for the caller does not warn.
    for item in [
        "DescribeThingsRequest",
        "acs_runtime :: wire :: WriteParams for DescribeThingsRequest",
    ] {
        assert!(
            deprecated_with(op, item, "# [allow (deprecated)]"),
            "{item}"
        );
    }
    // The builder's setters and `build` read them; its `send` and `into_paginator` (impls of
    // their own, over any sender) only call `build`.
    assert!(
        attributes(op, "DescribeThingsRequestBuilder < C >")
            .iter()
            .any(|a| a.contains("# [allow (deprecated)]")),
        "{op}"
    );
    let types = file(&files, "formats/src/types.rs");
    assert!(deprecated_with(types, "legacy", &because("Use Value.")));
    assert!(deprecated_with(types, "Filter", "# [allow (deprecated)]"));
    let module = file(&files, "formats/src/lib.rs");
    assert!(deprecated_with(
        module,
        "retire_thing",
        &because("Use DescribeThings.")
    ));
    assert!(!deprecated_with(module, "describe_things", "deprecated"));
    // An operation with nothing deprecated says nothing of it.
    assert!(!file(&files, "formats/src/retire_thing.rs").contains("deprecated"));
}

#[test]
fn integer_and_number_formats_choose_the_rust_width() {
    let files = generated();
    let op = file(&files, "formats/src/describe_things.rs");
    assert!(op.contains("pub size: Option<i64>"), "{op}");
    assert!(op.contains("pub count: Option<i32>"));
    assert!(op.contains("pub ratio: Option<f64>"));
    assert!(op.contains("pub bytes: Option<i64>"));
    // The limit beyond 32 bits is checked as written.
    assert!(op.contains("5000000000"));
}

#[test]
fn a_token_paged_operation_gets_a_token_paginator() {
    let files = generated();
    let op = file(&files, "formats/src/list_widgets.rs");
    // rustfmt breaks long lines where it likes: compare without whitespace.
    let compact: String = op.split_whitespace().collect();
    assert!(
        compact.contains("->C::TokenPaginator<ListWidgetsRequest>"),
        "{op}"
    );
    assert!(
        op.contains("impl acs_runtime::token_paging::TokenPagedRequest for ListWidgetsRequest")
    );
    assert!(
        op.contains("impl acs_runtime::token_paging::TokenPagedResponse for ListWidgetsResponse")
    );
    assert!(op.contains("type Item = String;"));
    assert!(
        !op.contains("acs_runtime::paginate::"),
        "no page-number paging: {op}"
    );
}

/// Writes the generated crates for the test spec (the product's and the catalog's) into
/// `target/scratch-format/`, under a workspace of its own whose dependencies are the real
/// workspace's (paths made absolute), with `tests/format/behaviour.rs` as one of the product's
/// tests, and runs their tests.
#[test]
fn the_generated_crate_compiles_without_warnings_and_behaves() {
    let root = workspace();
    let scratch = root.join("target/scratch-format");
    if scratch.exists() {
        fs::remove_dir_all(&scratch).expect("clear the scratch workspace");
    }
    let mut members = Vec::new();
    for f in generated() {
        let path = scratch.join(&f.path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("scratch dirs");
        let contents = match f.path.strip_suffix("/Cargo.toml") {
            Some(member) => {
                members.push(format!("{member:?}"));
                // The behaviour tests walk pages as streams.
                f.contents.replace(
                    "[dev-dependencies]\n",
                    "[dev-dependencies]\nfutures-util.workspace = true\n",
                )
            }
            None => f.contents,
        };
        fs::write(&path, contents).expect("write a generated file");
    }
    let behaviour = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/format/behaviour.rs");
    fs::copy(&behaviour, scratch.join("formats/tests/behaviour.rs"))
        .expect("copy the behaviour tests");

    let manifest = fs::read_to_string(root.join("Cargo.toml")).expect("the root manifest");
    let mut dependencies = String::new();
    let mut package = String::new();
    let mut section = "";
    for line in manifest.lines() {
        if line.starts_with('[') {
            section = line.trim();
            continue;
        }
        match section {
            "[workspace.package]" => package.push_str(&format!("{line}\n")),
            "[workspace.dependencies]" => {
                let line = match line.split_once("path = \"") {
                    Some((head, tail)) => {
                        format!("{head}path = \"{}/{tail}", root.display())
                    }
                    None => line.to_owned(),
                };
                dependencies.push_str(&format!("{line}\n"));
            }
            _ => {}
        }
    }
    fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[workspace.package]\n{package}\n[workspace.dependencies]\n{dependencies}",
            members.join(", ")
        ),
    )
    .expect("the scratch manifest");
    fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).expect("the lock file");

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "test",
            "--offline",
            "--all-features",
            "--tests",
            "--manifest-path",
        ])
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/scratch-build"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the scratch crate's tests failed:\n{stderr}\n{stdout}"
    );
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(warnings.is_empty(), "warnings:\n{stderr}");
    assert!(stdout.contains("test result: ok"), "no test ran:\n{stdout}");
}

/// A written spec's texts end in doc comments, where rustc refuses the bidirectional formatting
/// characters (which make text read other than it is) and a lone carriage return, and where a
/// terminal's escape or a bell has no business: none reaches a generated file, and the text
/// around them stays.
#[test]
fn control_and_bidirectional_characters_never_reach_a_doc_comment() {
    let text = crate::support::demo_spec!(
        "\"Demo \\u202Eevil\"",
        "  description: \"Holds \\u2066things\\u2069 \\x1B[31mred\\x07.\"\n",
        crate::support::list_things_request!(),
        "      - name: Note\n        type: string\n        description: \"A note.\\r Kept.\\u200F\"\n",
        "    response:\n      fields:\n        - name: RequestId\n          type: string\n",
        "          description: \"The \\u202Drequest\\u202C ID.\\t\"\n",
    );
    let files = generate(&[crate::support::demo_source(text)]).unwrap_or_else(|e| panic!("{e}"));
    let all: String = files.iter().map(|f| f.contents.as_str()).collect();
    let bad: Vec<(String, char)> = files
        .iter()
        .flat_map(|f| {
            f.contents
                .chars()
                .filter(|c| {
                    (c.is_control() && *c != '\n' && *c != '\t')
                        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
                })
                .map(|c| (f.path.clone(), c))
        })
        .collect();
    assert!(
        bad.is_empty(),
        "characters rustc or a terminal would act on: {bad:?}"
    );
    for kept in [
        "Demo evil",
        "Holds things ",
        "31mred.",
        "A note. Kept.",
        "The request ID.",
    ] {
        assert!(all.contains(kept), "the text `{kept}` did not survive");
    }
}
