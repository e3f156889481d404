//! How a request's parameters are written on the wire, checked against their limits, and set
//! on a builder.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::fields::{bare, empty_is_sent, ident, type_tokens};
use crate::model::{Field, ScalarType, Type, WireStyle};

/// The statement that writes one field's parameters. `in_shape` fields are named under `prefix`.
pub(super) fn write_field(f: &Field, loc: TokenStream, in_shape: bool) -> TokenStream {
    let n = ident(&f.rust_name);
    let wire = &f.wire_name;
    // A shape's field is named under the shape's prefix; the runtime joins the two only when a
    // value is written.
    let name = if in_shape {
        quote!((prefix, #wire))
    } else {
        quote!(#wire)
    };
    let optional = in_shape || !f.required;
    match (f.style, &f.ty) {
        (WireStyle::Plain, _) if optional => quote!(params.plain_opt(#loc, #name, &self.#n);),
        (WireStyle::Plain, _) => quote!(params.plain(#loc, #name, &self.#n);),
        (WireStyle::RepeatList, _) => quote!(params.repeat_list(#loc, #name, &self.#n);),
        (WireStyle::Comma, Type::List(_)) if !in_shape => {
            quote!(params.comma_list_opt(#loc, #name, &self.#n);)
        }
        (WireStyle::Json, Type::List(_)) if !in_shape => {
            quote!(params.json_list_opt(#loc, #name, &self.#n);)
        }
        (WireStyle::Flat, Type::Map(value)) if matches!(**value, Type::Shape(_)) => {
            quote!(params.flat_object_map(#loc, #name, &self.#n);)
        }
        (WireStyle::Flat, Type::Map(_)) => quote!(params.flat_map(#loc, #name, &self.#n);),
        (WireStyle::Json, Type::Map(_)) => quote!(params.json_map(#loc, #name, &self.#n);),
        (WireStyle::Json, Type::Shape(_)) if optional => {
            quote!(params.json_object_opt(#loc, #name, &self.#n);)
        }
        (WireStyle::Json, Type::Shape(_)) => quote!(params.json_object(#loc, #name, &self.#n);),
        (WireStyle::Comma, _) => quote!(params.comma_list(#loc, #name, &self.#n);),
        (WireStyle::Json, _) => quote!(params.json_list(#loc, #name, &self.#n);),
        (WireStyle::Flat, Type::List(_)) => quote!(params.flat_list(#loc, #name, &self.#n);),
        (WireStyle::Flat, _) if optional => quote!(params.flat_opt(#loc, #name, &self.#n);),
        (WireStyle::Flat, _) => quote!(params.flat(#loc, #name, &self.#n);),
    }
}

fn opt_num(v: Option<i64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = proc_macro2::Literal::i64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

fn opt_len(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = proc_macro2::Literal::u64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

/// The checks of one field's limits, one call on the `check` (an `acs_runtime::validate::Checks`)
/// per limit; `in_shape` fields are named under `prefix`.
pub(super) fn check_field(f: &Field, in_shape: bool) -> TokenStream {
    let n = ident(&f.rust_name);
    let wire = &f.wire_name;
    // Names are `ParamName`s (or a plain `&str` at the top), written out only when a check fails.
    let name = if in_shape {
        quote!(prefix.field(#wire))
    } else {
        quote!(#wire)
    };
    let scalar_checks = |limits: &crate::model::Limits, each: bool, value: TokenStream| {
        let mut out = Vec::new();
        let call = |single: &str| format_ident!("{}{single}", if each { "each_" } else { "" });
        if limits.min_length.is_some() || limits.max_length.is_some() {
            let (lo, hi) = (opt_len(limits.min_length), opt_len(limits.max_length));
            let length = call("length");
            out.push(quote!(check.#length(#name, #value, #lo, #hi);));
        }
        if limits.ascii {
            let ascii = call("ascii");
            out.push(quote!(check.#ascii(#name, #value);));
        }
        if limits.min.is_some() || limits.max.is_some() {
            let (lo, hi) = (opt_num(limits.min), opt_num(limits.max));
            let range = call("range");
            out.push(quote!(check.#range(#name, #value, #lo, #hi);));
        }
        out
    };
    let optional = in_shape || !f.required;
    let checks = match &f.ty {
        Type::List(item) => {
            let (len, items) = if empty_is_sent(f, !in_shape) {
                (
                    quote!(self.#n.as_ref().map(Vec::len)),
                    quote!(self.#n.as_deref()),
                )
            } else {
                (
                    quote!(Some(self.#n.len())),
                    quote!(Some(self.#n.as_slice())),
                )
            };
            let mut out = Vec::new();
            if f.limits.min_items.is_some() || f.limits.max_items.is_some() {
                let (lo, hi) = (opt_len(f.limits.min_items), opt_len(f.limits.max_items));
                out.push(quote!(check.items(#name, #len, #lo, #hi);));
            }
            out.extend(scalar_checks(&f.item_limits, true, items.clone()));
            if matches!(**item, Type::Shape(_)) {
                out.push(quote!(check.each_shape(#name, #items);));
            }
            out
        }
        Type::Map(value) if matches!(**value, Type::Shape(_)) => {
            vec![quote!(check.each_entry(#name, &self.#n);)]
        }
        Type::Map(_) => Vec::new(),
        Type::Shape(_) if f.boxed => vec![quote!(check.shape(#name, self.#n.as_deref());)],
        Type::Shape(_) if optional => vec![quote!(check.shape(#name, self.#n.as_ref());)],
        Type::Shape(_) => vec![quote!(check.shape(#name, Some(&self.#n));)],
        _ => {
            // Numbers are passed by value, text by reference.
            let copied = matches!(
                f.ty,
                Type::Scalar(
                    ScalarType::Integer
                        | ScalarType::Long
                        | ScalarType::Double
                        | ScalarType::Boolean
                )
            );
            let value = match (optional, copied) {
                (true, true) => quote!(self.#n),
                (true, false) => quote!(self.#n.as_ref()),
                (false, true) => quote!(Some(self.#n)),
                (false, false) => quote!(Some(&self.#n)),
            };
            scalar_checks(&f.limits, false, value)
        }
    };
    quote!(#(#checks)*)
}

/// The body of a `validate` method running `checks`.
pub(super) fn validate_body(checks: &[TokenStream]) -> TokenStream {
    if checks.is_empty() {
        return quote!(Ok(()));
    }
    quote! {
        let mut check = acs_runtime::validate::Checks::default();
        #(#checks)*
        check.finish()
    }
}

/// The setters of a request's builder. Each links to its field's documentation on the request
/// rather than repeating it, so a parameter's text is in the generated code once.
pub(super) fn setters(fields: &[Field], request: &Ident) -> TokenStream {
    let items = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        let set = format_ident!("{}", crate::naming::generated::setter(&f.rust_name));
        let link = format!("[`{}`]({request}::{})", f.wire_name, bare(&f.rust_name));
        let dep = super::deprecated_attr(f.deprecated.as_ref());
        match &f.ty {
            Type::List(item) => {
                let it = type_tokens(item);
                let add_doc = format!(" Appends one item to {link}.");
                let (set_doc, push, set_ty) = if empty_is_sent(f, true) {
                    (
                        format!(" Sets or clears {link}: `None` sends nothing, an empty list sends it empty."),
                        quote!(self.fields.#n.get_or_insert_with(Vec::new).push(item.into());),
                        quote!(Option<Vec<#it>>),
                    )
                } else {
                    (
                        format!(" Sets {link} to these items; an empty list sends nothing."),
                        quote!(self.fields.#n.push(item.into());),
                        quote!(Vec<#it>),
                    )
                };
                quote! {
                    #[doc = #add_doc]
                    #dep
                    pub fn #n(mut self, item: impl Into<#it>) -> Self {
                        #push
                        self
                    }
                    #[doc = #set_doc]
                    #dep
                    pub fn #set(mut self, items: #set_ty) -> Self {
                        self.fields.#n = items;
                        self
                    }
                }
            }
            Type::Map(value) => {
                let vt = type_tokens(value);
                let add_doc = format!(" Adds (or replaces) one entry of {link}.");
                let set_doc = format!(" Sets {link} to these entries; an empty map sends nothing.");
                quote! {
                    #[doc = #add_doc]
                    #dep
                    pub fn #n(mut self, key: impl Into<String>, value: impl Into<#vt>) -> Self {
                        self.fields.#n.insert(key.into(), value.into());
                        self
                    }
                    #[doc = #set_doc]
                    #dep
                    pub fn #set(mut self, entries: std::collections::BTreeMap<String, #vt>) -> Self {
                        self.fields.#n = entries;
                        self
                    }
                }
            }
            t => {
                let tt = type_tokens(t);
                let doc = format!(" Sets {link}.");
                let set_doc = format!(" Sets or clears {link}.");
                quote! {
                    #[doc = #doc]
                    #dep
                    pub fn #n(mut self, value: impl Into<#tt>) -> Self {
                        self.fields.#n = Some(value.into());
                        self
                    }
                    #[doc = #set_doc]
                    #dep
                    pub fn #set(mut self, value: Option<#tt>) -> Self {
                        self.fields.#n = value;
                        self
                    }
                }
            }
        }
    });
    quote!(#(#items)*)
}
