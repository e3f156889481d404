//! How a field of the model is written in Rust: its identifier, type and serde attributes.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use crate::model::{Field, ScalarType, Type, WireStyle};

/// An identifier, raw when the name says so (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The bare name of an identifier, for derived names (`set_type`, not `set_r#type`).
pub(super) fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

fn scalar_tokens(s: ScalarType) -> TokenStream {
    match s {
        ScalarType::String => quote!(String),
        ScalarType::Integer => quote!(i32),
        ScalarType::Long => quote!(i64),
        ScalarType::Double => quote!(f64),
        ScalarType::Boolean => quote!(bool),
    }
}

pub(super) fn type_tokens(t: &Type) -> TokenStream {
    match t {
        Type::Scalar(s) => scalar_tokens(*s),
        Type::Enum(n) | Type::Shape(n) => {
            let id = ident(n);
            quote!(#id)
        }
        Type::List(item) => {
            let inner = type_tokens(item);
            quote!(Vec<#inner>)
        }
        Type::Map(value) => {
            let inner = type_tokens(value);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
    }
}

/// The wire name serde derives from a field's Rust name under `rename_all = "PascalCase"`
/// (capitalise the first letter and each letter after `_`, drop the `_`), so that a field needs
/// its own `rename` only where the documented name differs (`imageId`, `OSType`).
fn pascal_case(rust_name: &str) -> String {
    let mut out = String::with_capacity(rust_name.len());
    let mut capitalize = true;
    for c in bare(rust_name).chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            out.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The struct-level serde attribute: wire names derived from field names (a field says its own
/// only where the documented name differs).
pub(super) fn struct_serde() -> TokenStream {
    quote!(#[serde(rename_all = "PascalCase")])
}

/// A field's own serde attributes: only what the struct-level ones do not already say.
///
/// A request derives both directions, strictly: a request loaded from JSON is one a caller
/// wrote, so a missing optional parameter is `None` and a missing required one an error, with no
/// leniency to pay for. A response or shape derives only `Serialize`; it decodes through
/// [`object_impl`].
fn serde_attrs(f: &Field, is_request: bool) -> TokenStream {
    let wire = &f.wire_name;
    let rename = (pascal_case(&f.rust_name) != *wire).then(|| quote!(rename = #wire,));
    let attrs = match &f.ty {
        Type::List(_) if empty_is_sent(f, is_request) => {
            quote!(skip_serializing_if = "Option::is_none")
        }
        Type::List(_) => match (&f.wrapper, is_request) {
            (Some(w), false) => {
                let key = format_ident!("{}", super::wrapper_ident(w));
                let ser = format!("acs_runtime::decode::wrapped::<wrappers::{key}, _, _>");
                quote!(skip_serializing_if = "Vec::is_empty", serialize_with = #ser)
            }
            (_, true) => quote!(default, skip_serializing_if = "Vec::is_empty"),
            (None, false) => quote!(skip_serializing_if = "Vec::is_empty"),
        },
        Type::Map(_) if is_request => {
            quote!(
                default,
                skip_serializing_if = "std::collections::BTreeMap::is_empty"
            )
        }
        Type::Map(_) => quote!(skip_serializing_if = "std::collections::BTreeMap::is_empty"),
        _ if is_request && f.required => match rename {
            Some(_) => quote!(rename = #wire),
            None => return quote!(),
        },
        _ => quote!(skip_serializing_if = "Option::is_none"),
    };
    quote!(#[serde(#rename #attrs)])
}

/// How a response or shape decodes: one `match` arm per field, each naming the runtime's
/// lenient reading of it (`acs_runtime::object`), and `Deserialize` through the runtime.
pub(super) fn object_impl(name: &Ident, fields: &[Field]) -> TokenStream {
    let type_name = name.to_string();
    let arms = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        let wire = &f.wire_name;
        let read = match (&f.ty, &f.wrapper) {
            (Type::List(_), Some(w)) => {
                let key = format_ident!("{}", super::wrapper_ident(w));
                quote!(acs_runtime::object::wrapped_list::<wrappers::#key, _, _>(map, &mut self.#n))
            }
            (Type::List(_), None) => quote!(acs_runtime::object::list(map, &mut self.#n)),
            (Type::Map(_), _) => quote!(acs_runtime::object::map(map, &mut self.#n)),
            _ => quote!(acs_runtime::object::opt(map, &mut self.#n)),
        };
        quote!(#wire => #read,)
    });
    // Decoding fills every field, deprecated ones too, without warning the crate about itself.
    let allow = fields
        .iter()
        .any(|f| f.deprecated.is_some())
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #allow
        impl acs_runtime::object::Object for #name {
            const NAME: &'static str = #type_name;
            fn decode_field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                match key {
                    #(#arms)*
                    _ => acs_runtime::object::skip(map),
                }
            }
        }
    }
}

/// Whether a request list can say "empty" on the wire (`Name=[]`, or `Name=` for a comma-joined
/// list), as the official SDKs send a list that was set but holds nothing. Such a list is an
/// `Option<Vec<_>>`, so that set-but-empty and unset stay apart; other lists write nothing when
/// empty, and a `Vec` says all there is to say.
pub(super) fn empty_is_sent(f: &Field, is_request: bool) -> bool {
    is_request
        && matches!(f.ty, Type::List(_))
        && matches!(f.style, WireStyle::Json | WireStyle::Comma)
}

pub(super) fn field_type(f: &Field, is_request: bool) -> TokenStream {
    let t = type_tokens(&f.ty);
    if f.boxed {
        return quote!(Option<Box<#t>>);
    }
    if empty_is_sent(f, is_request) {
        return quote!(Option<#t>);
    }
    match (&f.ty, is_request && f.required) {
        (Type::List(_) | Type::Map(_), _) | (_, true) => t,
        _ => quote!(Option<#t>),
    }
}

pub(super) fn struct_fields(fields: &[Field], is_request: bool) -> TokenStream {
    let fs = fields.iter().map(|f| {
        let d = docs::attrs(&docs::field(f, is_request));
        let s = serde_attrs(f, is_request);
        let n = ident(&f.rust_name);
        let t = field_type(f, is_request);
        let dep = super::deprecated_attr(f.deprecated.as_ref());
        quote! { #d #dep #s pub #n: #t, }
    });
    quote!(#(#fs)*)
}
