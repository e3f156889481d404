//! The one place wire names become Rust identifiers, and the one list of the names the generated
//! code defines beside them ([`generated`]).

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that can be raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore.
const RESERVED: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Replaces characters that cannot appear in an identifier and keeps it from starting with a
/// digit.
fn sanitize(name: &str, digit_prefix: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                ' '
            }
        })
        .collect();
    if out.trim().is_empty() {
        out = "empty".to_owned();
    }
    if out.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
        out = format!("{digit_prefix} {out}");
    }
    out
}

fn escape(ident: String) -> String {
    if RESERVED.contains(&ident.as_str()) {
        format!("{ident}_")
    } else if RAW_KEYWORDS.contains(&ident.as_str()) {
        format!("r#{ident}")
    } else {
        ident
    }
}

/// A struct field, method or module name: `ImageOwnerAlias` -> `image_owner_alias`,
/// `Type` -> `r#type`.
pub fn field_name(wire: &str) -> String {
    escape(sanitize(wire, "n").to_snake_case())
}

/// An operation's method name, which also names its module, example and tests: a keyword gets a
/// trailing underscore rather than the raw prefix, which a file or a derived name cannot hold
/// (`Type` -> `type_`).
pub fn method_name(action: &str) -> String {
    let name = field_name(action);
    match name.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => name,
    }
}

/// A type or variant name: `image-status` -> `ImageStatus`, `self` -> `Self_`, `0` -> `V0`.
pub fn type_name(wire: &str) -> String {
    escape(sanitize(wire, "V").to_upper_camel_case())
}

/// Whether a wire name has anything to make an identifier of: an ASCII letter or digit. Names
/// without one (`_`, `-`, `名前`) would all become the same placeholder, so they need a name
/// given in the spec.
pub fn has_identifier_material(wire: &str) -> bool {
    wire.chars().any(|c| c.is_ascii_alphanumeric())
}

/// A name without its raw prefix (`r#type` -> `type`), as derived names use it (`set_type`).
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Whether `ident` is usable as written (a plain or raw identifier).
pub fn is_valid_ident(ident: &str) -> bool {
    let bare = ident.strip_prefix("r#").unwrap_or(ident);
    let mut chars = bare.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    starts_well
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !RESERVED.contains(&bare)
        && (ident.starts_with("r#") || !RAW_KEYWORDS.contains(&bare))
}

/// The names the generated code defines or relies on beside those a spec gives: validation keeps
/// the spec's names off them, and derives the names generated from a spec's names here.
///
/// A product is a crate of its own, `generated/<module>/`: `src/lib.rs` (the `SERVICE` static,
/// the `Client`, and the runtime's `Config`, `ConfigBuilder`, `SdkError` and `ServiceError`
/// re-exported), `types.rs` (shapes, enums and the `wrappers` module), `catalog.rs` and one
/// module per operation, named by the operation's method name. Each operation `{P}` defines `{P}Request`, `{P}RequestBuilder`,
/// `{P}FluentBuilder`, `{P}Response`, `{P}Error` and a static named by its method in shouty
/// snake case.
pub mod generated {
    use heck::ToShoutySnakeCase;

    /// Suffixes of the types each operation defines after its type prefix.
    pub const OPERATION_TYPE_SUFFIXES: [&str; 6] = [
        "Request",
        "RequestBuilder",
        REQUEST_FIELDS_SUFFIX,
        "FluentBuilder",
        "Response",
        "Error",
    ];

    /// Suffix of the (private) type holding a builder's parameters, which a request loaded
    /// from JSON is read into.
    pub const REQUEST_FIELDS_SUFFIX: &str = "RequestFields";

    /// Type names a product module defines, or names unqualified, besides the per-operation
    /// types: a shape or enum of that name would shadow or clash with them.
    pub const PRODUCT_TYPES: &[&str] = &[
        "Client",
        "BlockingClient",
        "Option",
        "Some",
        "None",
        "Result",
        "Ok",
        "Err",
        "String",
        "Vec",
        "Box",
        "Default",
        "Into",
        "From",
        "Error",
        "BuildError",
        "Validate",
        "Location",
        "Params",
        "Config",
        "ConfigBuilder",
        "SdkError",
        "ServiceError",
    ];

    /// The static every product module defines for its service.
    pub const SERVICE_STATIC: &str = "SERVICE";

    /// Names an operation's method cannot have: `Client`'s own methods (with `clone` and `fmt`,
    /// which a method of that name would shadow), the modules beside the operations' own, and
    /// `blocking`, whose example (`examples/blocking.rs`) sits beside the operations' examples.
    pub const CLIENT_MEMBERS: &[&str] = &[
        "new",
        "from_env",
        "config",
        "send",
        "with_config",
        "from_env_blocking",
        "blocking",
        "clone",
        "fmt",
        "mod",
        "lib",
        "catalog",
        "types",
        "wrappers",
    ];

    /// Fields and methods of a request builder besides a parameter's setters (`x` and `set_x`),
    /// with the methods of its derived traits that a setter of that name would shadow.
    pub const BUILDER_MEMBERS: &[&str] = &[
        "client",
        "build",
        "send",
        "into_paginator",
        "empty",
        "into_parts",
        "clone",
        "clone_from",
        "default",
        "eq",
        "ne",
        "fmt",
    ];

    /// Fields and methods of a response besides its fields.
    pub const RESPONSE_MEMBERS: &[&str] = &["meta"];

    /// Methods of a shape besides one setter per field, with those of its derived traits that a
    /// setter would shadow.
    pub const SHAPE_MEMBERS: &[&str] = &[
        "new",
        "clone",
        "clone_from",
        "default",
        "eq",
        "ne",
        "fmt",
        "serialize",
        "deserialize",
    ];

    /// Variant and associated names of an open enum besides one variant per value.
    pub const ENUM_MEMBERS: &[&str] = &["Unknown", "VALUES"];

    /// The variant of an operation's error enum for undocumented codes.
    pub const UNHANDLED_ERROR: &str = "Unhandled";

    /// Modules no product can have: a product's crate is the folder `generated/<module>/` and
    /// the package `acs-<module>`, which would be the catalog crate's (`generated/catalog/`,
    /// `acs-catalog`) or a hand-written crate's (`acs-runtime`, `acs-codegen`, ...).
    pub const RESERVED_MODULES: &[&str] = &[
        "catalog",
        "runtime",
        "codegen",
        "test_gateway",
        "test_support",
        "benches",
        "sdk",
    ];

    /// The types an operation with type prefix `prefix` defines.
    pub fn operation_types(prefix: &str) -> [String; 6] {
        OPERATION_TYPE_SUFFIXES.map(|suffix| format!("{prefix}{suffix}"))
    }

    /// The setter that replaces a request parameter's value (`set_image_ids`).
    pub fn setter(field: &str) -> String {
        format!("set_{}", super::bare(field))
    }

    /// The static that describes an operation (`describe_images` -> `DESCRIBE_IMAGES`).
    pub fn operation_static(method: &str) -> String {
        method.to_shouty_snake_case()
    }

    /// The test in `tests/limits.rs` that an operation builds with its required parameters.
    pub const BUILDS_TEST: &str = "builds_with_its_required_parameters";

    /// The test that a required parameter is required (`region_id_is_required`).
    pub fn required_test(field: &str) -> String {
        format!("{}_is_required", super::bare(field))
    }

    /// The test of a limit of a parameter (`page_size_max`); `kind` names the limit.
    pub fn limit_test(field: &str, kind: &str) -> String {
        format!("{}_{kind}", super::bare(field))
    }

    /// The test of a limit of each item of a list parameter (`image_ids_item_max_length`).
    pub fn item_limit_test(field: &str, kind: &str) -> String {
        format!("{}_item_{kind}", super::bare(field))
    }

    /// The test of a limit of a field of the shapes in a list parameter (`tag_key_max_length`).
    pub fn item_field_limit_test(list: &str, field: &str, kind: &str) -> String {
        format!("{}_{}_{kind}", super::bare(list), super::bare(field))
    }

    /// The marker type of a wrapper key (`Image` -> `ImageKey`), in the `wrappers` module.
    pub fn wrapper_type(key: &str) -> String {
        // `Self_` stays a word of its own: `SelfKey`, not `Self_Key`.
        format!("{}Key", super::type_name(key).trim_end_matches('_'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_follow_rust_conventions() {
        assert_eq!(field_name("ImageOwnerAlias"), "image_owner_alias");
        assert_eq!(field_name("OSName"), "os_name");
        assert_eq!(field_name("imageId"), "image_id");
        assert_eq!(field_name("Type"), "r#type");
        assert_eq!(field_name("Self"), "self_");
        assert_eq!(field_name("Tag.N.Key"), "tag_n_key");
        assert_eq!(field_name("2fa"), "n_2fa");
    }

    #[test]
    fn method_names_never_are_raw() {
        assert_eq!(method_name("DescribeImages"), "describe_images");
        assert_eq!(method_name("Type"), "type_");
        assert_eq!(method_name("Move"), "move_");
    }

    #[test]
    fn type_names_follow_rust_conventions() {
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("0"), "V0");
        assert_eq!(type_name("zh-CN"), "ZhCn");
        assert_eq!(type_name("BUILDER_MANUAL"), "BuilderManual");
        assert_eq!(type_name("InvalidParameter.%s"), "InvalidParameterS");
        assert_eq!(type_name(""), "Empty");
    }

    #[test]
    fn recognises_valid_identifiers() {
        assert!(is_valid_ident("image_id"));
        assert!(is_valid_ident("r#type"));
        assert!(!is_valid_ident("type"));
        assert!(!is_valid_ident("1x"));
        assert!(!is_valid_ident("self"));
    }
}
