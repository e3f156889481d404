//! How a request's parameters are written on the wire, checked against their limits, and set
//! on a builder.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::fields::{FieldOf, bare, empty_is_sent, ident, type_tokens};
use crate::model::{Field, Type, WireStyle};

/// The statement that writes one field's parameters; a shape's fields are named under `prefix`.
pub(super) fn write_field(f: &Field, loc: TokenStream, of: FieldOf) -> TokenStream {
    let in_shape = of == FieldOf::Object;
    let wire = &f.wire_name;
    // A shape's field is named under the shape's prefix; the runtime joins the two only when a
    // value is written.
    let name = if in_shape {
        quote!((prefix, #wire))
    } else {
        quote!(#wire)
    };
    let optional = in_shape || !f.required;
    let write = written(f, &loc, &name, optional, in_shape);
    if f.holds_secret && f.style == WireStyle::Json {
        // A secret inside a shape sent as one JSON parameter: the parameter is hidden whole.
        return quote!(params.hiding(#loc, |params| #write););
    }
    quote!(#write;)
}

/// The call that writes one field, without its `;`.
fn written(
    f: &Field,
    loc: &TokenStream,
    name: &TokenStream,
    optional: bool,
    in_shape: bool,
) -> TokenStream {
    let n = ident(&f.rust_name);
    match (f.style, &f.ty) {
        // A secret is written as a plain value that the parameters' `Debug` blanks.
        (WireStyle::Plain, _) if f.secret && optional => {
            quote!(params.secret_opt(#loc, #name, &self.#n))
        }
        (WireStyle::Plain, _) if f.secret => quote!(params.secret(#loc, #name, &self.#n)),
        (WireStyle::Plain, _) if optional => quote!(params.plain_opt(#loc, #name, &self.#n)),
        (WireStyle::Plain, _) => quote!(params.plain(#loc, #name, &self.#n)),
        (WireStyle::RepeatList, _) => quote!(params.repeat_list(#loc, #name, &self.#n)),
        (WireStyle::Comma, Type::List(_)) if !in_shape => {
            quote!(params.comma_list_opt(#loc, #name, &self.#n))
        }
        (WireStyle::Json, Type::List(_)) if !in_shape => {
            quote!(params.json_list_opt(#loc, #name, &self.#n))
        }
        (WireStyle::Flat, Type::Map(value)) if matches!(**value, Type::Shape(_)) => {
            quote!(params.flat_object_map(#loc, #name, &self.#n))
        }
        (WireStyle::Flat, Type::Map(_)) => quote!(params.flat_map(#loc, #name, &self.#n)),
        (WireStyle::Json, Type::Map(_)) => quote!(params.json_map(#loc, #name, &self.#n)),
        (WireStyle::Json, Type::Shape(_)) if optional => {
            quote!(params.json_object_opt(#loc, #name, &self.#n))
        }
        (WireStyle::Json, Type::Shape(_)) => quote!(params.json_object(#loc, #name, &self.#n)),
        // Any JSON value goes as one compact JSON text, as the official SDKs send it.
        (WireStyle::Json, Type::Json) if optional => {
            quote!(params.json_object_opt(#loc, #name, &self.#n))
        }
        (WireStyle::Json, Type::Json) => quote!(params.json_object(#loc, #name, &self.#n)),
        (WireStyle::Comma, _) => quote!(params.comma_list(#loc, #name, &self.#n)),
        (WireStyle::Json, _) => quote!(params.json_list(#loc, #name, &self.#n)),
        (WireStyle::Flat, Type::List(_)) => quote!(params.flat_list(#loc, #name, &self.#n)),
        (WireStyle::Flat, _) if optional => quote!(params.flat_opt(#loc, #name, &self.#n)),
        (WireStyle::Flat, _) => quote!(params.flat(#loc, #name, &self.#n)),
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

/// The checks of one field's limits; `?` on the first broken one.
pub(super) fn check_field(f: &Field, of: FieldOf) -> TokenStream {
    let in_shape = of == FieldOf::Object;
    let n = ident(&f.rust_name);
    let wire = &f.wire_name;
    // Names are `ParamName`s (or a plain `&str` at the top), written out only when a check fails.
    let name = if in_shape {
        quote!(prefix.field(#wire))
    } else {
        quote!(#wire)
    };
    // A secret's checks say which limit it broke, never its length or a character of it.
    let (length, ascii) = if f.secret {
        (quote!(secret_length), quote!(secret_ascii))
    } else {
        (quote!(length), quote!(ascii))
    };
    let scalar_checks = |limits: &crate::model::Limits, value: TokenStream, name: TokenStream| {
        let mut out = Vec::new();
        if limits.min_length.is_some() || limits.max_length.is_some() {
            let (lo, hi) = (opt_len(limits.min_length), opt_len(limits.max_length));
            out.push(quote!(codegen::checks::#length(#name, #value, #lo, #hi)?;));
        }
        if limits.ascii {
            out.push(quote!(codegen::checks::#ascii(#name, #value)?;));
        }
        if limits.min.is_some() || limits.max.is_some() {
            let (lo, hi) = (opt_num(limits.min), opt_num(limits.max));
            out.push(quote!(codegen::checks::range(#name, #value, #lo, #hi)?;));
        }
        out
    };
    let optional = in_shape || !f.required;
    match &f.ty {
        Type::List(item) => {
            let optional_list = empty_is_sent(f, of);
            let list = if optional_list {
                quote!(list)
            } else {
                quote!(self.#n)
            };
            let mut out = Vec::new();
            if f.limits.min_items.is_some() || f.limits.max_items.is_some() {
                let (lo, hi) = (opt_len(f.limits.min_items), opt_len(f.limits.max_items));
                let check = quote!(codegen::checks::items(#name, #list.len(), #lo, #hi)?;);
                // A list that may be left unset is empty when it is: its minimum applies only
                // once it has items (a `Vec` left empty sends nothing).
                if optional && !optional_list && f.limits.min_items.is_some() {
                    out.push(quote!(if !#list.is_empty() { #check }));
                } else {
                    out.push(check);
                }
            }
            let item_name = if in_shape {
                quote!(prefix.field(#wire).item(i))
            } else {
                quote!(codegen::checks::ParamName::Plain(#wire).item(i))
            };
            let per_item = scalar_checks(&f.item_limits, quote!(item), item_name.clone());
            let nested = matches!(**item, Type::Shape(_));
            if !per_item.is_empty() || nested {
                let nested_check = if nested {
                    quote!(codegen::checks::Validate::validate(item, &#item_name)?;)
                } else {
                    quote!()
                };
                out.push(quote! {
                    for (i, item) in #list.iter().enumerate() {
                        #(#per_item)*
                        #nested_check
                    }
                });
            }
            if optional_list && !out.is_empty() {
                quote! {
                    if let Some(list) = &self.#n {
                        #(#out)*
                    }
                }
            } else {
                quote!(#(#out)*)
            }
        }
        Type::Map(value) => {
            if !matches!(**value, Type::Shape(_)) {
                return quote!();
            }
            let map_name = if in_shape {
                quote!(prefix.field(#wire))
            } else {
                quote!(codegen::checks::ParamName::Plain(#wire))
            };
            // Each value is named as the flat style sends it, `{map}.{key}`.
            quote! {
                let map_name = #map_name;
                for (key, value) in &self.#n {
                    codegen::checks::Validate::validate(value, &map_name.field(key))?;
                }
            }
        }
        Type::Shape(_) => {
            let shape_name = if in_shape {
                quote!(&prefix.field(#wire))
            } else {
                quote!(&codegen::checks::ParamName::Plain(#wire))
            };
            if optional {
                quote! {
                    if let Some(value) = &self.#n {
                        codegen::checks::Validate::validate(value, #shape_name)?;
                    }
                }
            } else {
                quote!(codegen::checks::Validate::validate(&self.#n, #shape_name)?;)
            }
        }
        _ => {
            let checks = scalar_checks(&f.limits, quote!(value), name);
            if checks.is_empty() {
                quote!()
            } else if optional {
                quote! {
                    if let Some(value) = &self.#n {
                        #(#checks)*
                    }
                }
            } else {
                quote! {
                    {
                        let value = &self.#n;
                        #(#checks)*
                    }
                }
            }
        }
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
                let (set_doc, push, set_ty) = if empty_is_sent(f, FieldOf::Request) {
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
