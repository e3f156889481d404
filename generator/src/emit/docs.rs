//! Rustdoc text for generated items, from the model's descriptions, values and limits.

use proc_macro2::TokenStream;
use quote::quote;

use super::fields::FieldOf;
use crate::model::{Field, Limits, Location, Operation, Product, ScalarType, Type, WireStyle};

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

/// What a value of `ty` is, in words: `a string`, `a list of 32-bit integers`.
fn type_text(ty: &Type) -> String {
    match ty {
        Type::Scalar(ScalarType::String) => "a string".to_owned(),
        Type::Scalar(ScalarType::Integer) => "a 32-bit integer".to_owned(),
        Type::Scalar(ScalarType::Long) => "a 64-bit integer".to_owned(),
        Type::Scalar(ScalarType::Double) => "a number".to_owned(),
        Type::Scalar(ScalarType::Boolean) => "a boolean".to_owned(),
        Type::Enum(name) => format!("a value of `{name}`"),
        Type::Shape(name) => format!("an object (`{name}`)"),
        Type::List(item) => format!("a list, each item {}", type_text(item)),
        Type::Map(value) => format!("a map of names to values, each {}", type_text(value)),
        Type::Json => "any JSON value (`acs_runtime::JsonValue`), kept whole".to_owned(),
    }
}

/// How a request parameter goes on the wire: `in the query as `RegionId``.
fn wire_text(f: &Field) -> String {
    let n = &f.wire_name;
    let form = match (f.style, &f.ty) {
        (WireStyle::Plain, _) => format!("`{n}`"),
        (WireStyle::RepeatList, _) => format!("`{n}.1`, `{n}.2`, ..."),
        (WireStyle::Flat, Type::Map(_)) => format!("`{n}.<key>`, one parameter per entry"),
        (WireStyle::Flat, Type::List(_)) => format!("`{n}.N.<field>` (N from 1)"),
        (WireStyle::Flat, _) => format!("`{n}.<field>`"),
        (WireStyle::Json, Type::Shape(_) | Type::Map(_)) => format!("`{n}`, one JSON object"),
        (WireStyle::Json, Type::Json) => format!("`{n}`, the value as one compact JSON text"),
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
    format!("in the {place} as {form}")
}

/// Full documentation of a field: what the spec says of it, then the facts (type, required,
/// wire form, valid values, limits, default), each once.
pub fn field(f: &Field, of: FieldOf) -> String {
    let mut paragraphs = Vec::new();
    if let Some(d) = &f.description {
        paragraphs.push(prose(d));
    }
    let what = type_text(&f.ty);
    paragraphs.push(match of {
        FieldOf::Request => format!(
            "{}: {what}, sent {}.",
            if f.required { "Required" } else { "Optional" },
            wire_text(f)
        ),
        FieldOf::Object => capitalize(&format!("{what}, `{}` on the wire.", f.wire_name)),
    });
    if !f.values.is_empty() {
        let mut values = "Valid values:\n".to_owned();
        for v in &f.values {
            match &v.description {
                Some(d) => values.push_str(&format!(
                    "\n- `{}`: {}",
                    v.value,
                    prose(d).replace('\n', " ")
                )),
                None => values.push_str(&format!("\n- `{}`", v.value)),
            }
        }
        paragraphs.push(values);
    }
    let mut facts = limits_text(&f.limits, "");
    facts.extend(limits_text(&f.item_limits, "Each item: "));
    if let Some(d) = &f.default {
        facts.push(format!("The service's default: `{d}`."));
    }
    if let Some(e) = &f.example {
        let e = e.replace('\n', " ");
        facts.push(format!("Example: `{}`.", e.replace('`', "'")));
    }
    if f.secret {
        facts.push("A secret: `Debug` shows `<redacted>` in its place.".to_owned());
    }
    if of == FieldOf::Request && f.idempotency_token {
        facts.push("Filled by the SDK with a fresh token per call when left empty, and reused by every retry of that call.".to_owned());
    }
    if !facts.is_empty() {
        paragraphs.push(facts.join("\n"));
    }
    // A field's `notes` say how the page was transcribed: they stay in the spec for its
    // reviewers, not in every user's rustdoc.
    paragraphs.join("\n\n")
}

/// The one-line summary of an operation: its title, or what it is when the spec has none.
pub fn summary(p: &Product, op: &Operation) -> String {
    match &op.title {
        Some(title) => prose(title).replace('\n', " "),
        None => format!(
            "The `{}` action of {} (API version {}).",
            op.action, p.name, p.version
        ),
    }
}

/// The operation's page in Alibaba Cloud's API explorer.
pub fn reference_url(p: &Product, op: &Operation) -> String {
    format!(
        "https://api.aliyun.com/api/{}/{}/{}",
        p.code, p.version, op.action
    )
}

/// Documentation of an operation's method: what it is, where its reference is, how it is sent,
/// whether a retry is safe, and how it pages.
pub fn operation(p: &Product, op: &Operation) -> String {
    let mut out = summary(p, op);
    if let Some(d) = &op.description {
        out.push_str("\n\n");
        out.push_str(&prose(d));
    }
    out.push_str(&format!(
        "\n\nReference: [`{}` in the API explorer]({}).\n",
        op.action,
        reference_url(p, op)
    ));
    let method = op.methods.first().map(String::as_str).unwrap_or("POST");
    out.push_str(&format!(
        "\n- Sent as an HTTP `{method}`{}.",
        if op.anonymous {
            ", unsigned: no credentials are needed"
        } else {
            ""
        }
    ));
    let token = op.request.iter().find(|f| f.idempotency_token);
    out.push_str(&match (op.read_only, token) {
        (true, _) => "\n- Read-only: safe to repeat, so it is retried after throttling, server errors, timeouts and dropped connections.".to_owned(),
        (false, Some(t)) => format!(
            "\n- Changes state, made safe to retry by its idempotency token `{}`: every attempt of a call sends the same token, so it is retried as a read-only call is.",
            t.wire_name
        ),
        (false, None) => "\n- Changes state and has no idempotency token: it is retried only when the request cannot have reached the service or the service says it did not process it, so it is never done twice.".to_owned(),
    });
    if let Some(paging) = &op.paging {
        out.push_str(&format!(
            "\n- Paged by page number: `into_paginator()` walks the pages (`pages()`) or their items (`items()`, from `{}`).",
            paging.items
        ));
    }
    if let Some(paging) = &op.token_paging {
        out.push_str(&format!(
            "\n- Paged by token: `into_paginator()` walks the pages (`pages()`) or their items (`items()`, from `{}`), passing each page's `{}` on.",
            paging.items, paging.response_token
        ));
    }
    let required: Vec<String> = op
        .request
        .iter()
        .filter(|f| f.required)
        .map(|f| format!("`{}`", f.wire_name))
        .collect();
    if !required.is_empty() {
        out.push_str(&format!(
            "\n- Required parameters: {}.",
            required.join(", ")
        ));
    }
    if let Some(ram) = &op.ram {
        out.push_str(&format!("\n- RAM action: `{}`", ram.action));
        if let Some(level) = &ram.access_level {
            out.push_str(&format!(" (access level: {level})"));
        }
        out.push('.');
        if !ram.resource_types.is_empty() {
            out.push_str(&format!(
                " Resource types: {}.",
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
