//! Rustdoc text for generated items, from the model's descriptions, values and limits.

use proc_macro2::TokenStream;
use quote::quote;

use super::fields::FieldOf;
use crate::model::{Field, Limits, Location, Operation, Type, WireStyle};

/// `#[doc = "..."]` attributes, one per line, so rustdoc renders the text as written.
pub fn attrs(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// Rustdoc treats indented text as code and `[x]` as links; page text is neither.
fn prose(text: &str) -> String {
    text.lines()
        .map(|l| {
            l.trim()
                .replace('[', "\\[")
                .replace(']', "\\]")
                .replace('<', "&lt;")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The limits in words; `prefix` names what they bind when it is not the value itself
/// (`Each item: `).
fn limits_text(l: &Limits, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    match (l.min_items, l.max_items) {
        (Some(a), Some(b)) => out.push(format!("{a} to {b} items.")),
        (None, Some(b)) => out.push(format!("At most {b} items.")),
        (Some(a), None) => out.push(format!("At least {a} items.")),
        _ => {}
    }
    match (l.min_length, l.max_length) {
        (Some(a), Some(b)) => out.push(format!("{prefix}{a} to {b} characters.")),
        (None, Some(b)) => out.push(format!("{prefix}at most {b} characters.")),
        (Some(a), None) => out.push(format!("{prefix}at least {a} characters.")),
        _ => {}
    }
    if l.ascii {
        out.push(format!("{prefix}ASCII characters only."));
    }
    match (l.min, l.max) {
        (Some(a), Some(b)) => out.push(format!("{prefix}from {a} to {b}.")),
        (None, Some(b)) => out.push(format!("{prefix}at most {b}.")),
        (Some(a), None) => out.push(format!("{prefix}at least {a}.")),
        _ => {}
    }
    out.into_iter().map(|s| capitalize(&s)).collect()
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The wire form of a request parameter, as a reader of the page knows it.
fn wire_text(f: &Field) -> String {
    let n = &f.wire_name;
    let form = match (f.style, &f.ty) {
        (WireStyle::Plain, _) => format!("`{n}`"),
        (WireStyle::RepeatList, _) => format!("`{n}.1`, `{n}.2`, ..."),
        (WireStyle::Flat, Type::Map(_)) => format!("`{n}.<key>`, one parameter per entry"),
        (WireStyle::Flat, Type::List(_)) => format!("`{n}.N.<field>` (N from 1)"),
        (WireStyle::Flat, _) => format!("`{n}.<field>`"),
        (WireStyle::Json, Type::Shape(_) | Type::Map(_)) => format!("`{n}`, one JSON object"),
        (WireStyle::Json, _) => {
            format!("`{n}`, one JSON array (left unset, nothing is sent; set empty, `[]`)")
        }
        (WireStyle::Comma, _) => {
            format!(
                "`{n}`, items joined by commas (left unset, nothing is sent; set empty, `{n}=`)"
            )
        }
    };
    let place = match f.location {
        Location::Query => "query",
        Location::Body => "form body",
        Location::Header => "HTTP header",
    };
    format!("Sent in the {place} as {form}.")
}

/// Full documentation of a field.
pub fn field(f: &Field, of: FieldOf) -> String {
    let mut out = String::new();
    out.push_str(&prose(f.description.as_deref().unwrap_or(&f.wire_name)));
    if !f.values.is_empty() {
        out.push_str("\n\nValid values:\n");
        for v in &f.values {
            match &v.description {
                Some(d) => out.push_str(&format!(
                    "\n- `{}`: {}",
                    v.value,
                    prose(d).replace('\n', " ")
                )),
                None => out.push_str(&format!("\n- `{}`", v.value)),
            }
        }
    }
    let mut facts = limits_text(&f.limits, "");
    facts.extend(limits_text(&f.item_limits, "Each item: "));
    if let Some(d) = &f.default {
        facts.push(format!("Default: `{d}`."));
    }
    if let Some(e) = &f.example {
        let e = e.replace('\n', " ");
        facts.push(format!("Example: `{}`.", e.replace('`', "'")));
    }
    if f.secret {
        facts.push("A secret: `Debug` shows `<redacted>` in its place.".to_owned());
    }
    if of == FieldOf::Request {
        if f.required {
            facts.push("Required.".to_owned());
        }
        if f.idempotency_token {
            facts.push("Filled by the SDK with a fresh token per call when left empty, and reused by every retry of that call.".to_owned());
        }
        facts.push(wire_text(f));
    }
    if !facts.is_empty() {
        out.push_str("\n\n");
        out.push_str(&facts.join("\n"));
    }
    // A field's `notes` say how the page was transcribed: they stay in the spec for its
    // reviewers, not in every user's rustdoc.
    out
}

/// Documentation of an operation's method.
pub fn operation(op: &Operation) -> String {
    let mut out = prose(&op.title);
    if let Some(d) = &op.description {
        out.push_str("\n\n");
        out.push_str(&prose(d));
    }
    out.push_str(&format!(
        "\n\nAction `{}`, sent as `{}`.",
        op.action,
        op.methods.first().map(String::as_str).unwrap_or("POST")
    ));
    if let Some(ram) = &op.ram {
        out.push_str(&format!("\nRAM action: `{}`", ram.action));
        if let Some(level) = &ram.access_level {
            out.push_str(&format!(" (access level: {level})"));
        }
        out.push('.');
        if !ram.resource_types.is_empty() {
            out.push_str(&format!(
                "\nResource types: {}.",
                ram.resource_types
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    out
}

/// Plain prose, escaped for rustdoc.
pub fn text(s: &str) -> String {
    prose(s)
}
