//! The one place wire names become Rust identifiers.

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

/// A type or variant name: `image-status` -> `ImageStatus`, `self` -> `Self_`, `0` -> `V0`.
pub fn type_name(wire: &str) -> String {
    escape(sanitize(wire, "V").to_upper_camel_case())
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
