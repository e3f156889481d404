//! How a field of the model is written in Rust: its identifier, type and serde attributes.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use crate::model::{Field, ScalarType, Type, WireStyle};

/// Where a field sits, which decides its Rust type, how it goes on the wire, how it is checked
/// and what its docs say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldOf {
    /// A parameter of the request itself: named on the wire as it is, a required one is not an
    /// `Option`, and a JSON or comma-joined list can be sent empty.
    Request,
    /// A field of a response or of a shared shape: always optional; in a request, named under
    /// its shape's prefix (`Tag.1.Key`).
    Object,
}

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
        Type::Json => quote!(acs_runtime::JsonValue),
    }
}

/// `Serialize` for a generated struct: one line per field naming its wire name and how it is
/// left out when it holds nothing, the rest in the runtime (`acs_runtime::codegen::serialize`).
/// Field order is the spec's.
///
/// A request's required parameters are always written; its JSON and comma lists are
/// `Option`s, written when set even if empty. A response's or shape's wrapped list is written
/// back in its wrapper (`{"Images": {"Image": [...]}}`).
pub(super) fn serialize_impl(name: &Ident, fields: &[Field], of: FieldOf) -> TokenStream {
    let type_name = name.to_string();
    let len = proc_macro2::Literal::usize_unsuffixed(fields.len());
    let lines = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        let wire = &f.wire_name;
        match (&f.ty, &f.wrapper) {
            (Type::List(_), _) if empty_is_sent(f, of) => {
                quote!(out.opt(#wire, &self.#n)?;)
            }
            (Type::List(_), Some(w)) if of == FieldOf::Object => {
                let key = format_ident!("{}", super::wrapper_ident(w));
                quote!(out.wrapped::<wrappers::#key, _>(#wire, &self.#n)?;)
            }
            (Type::List(_), _) => quote!(out.list(#wire, &self.#n)?;),
            (Type::Map(_), _) => quote!(out.map(#wire, &self.#n)?;),
            _ if of == FieldOf::Request && f.required => quote!(out.field(#wire, &self.#n)?;),
            _ => quote!(out.opt(#wire, &self.#n)?;),
        }
    });
    let binding = if fields.is_empty() {
        quote!(out)
    } else {
        quote!(mut out)
    };
    let allow = allow_deprecated_fields(fields);
    quote! {
        #allow
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let #binding = codegen::serialize::Fields::begin(s, #type_name, #len)?;
                #(#lines)*
                out.end()
            }
        }
    }
}

/// `#[allow(deprecated)]` for an impl that reads or fills every field, deprecated ones too,
/// without warning the crate about itself.
fn allow_deprecated_fields(fields: &[Field]) -> Option<TokenStream> {
    fields
        .iter()
        .any(|f| f.deprecated.is_some())
        .then(|| quote!(#[allow(deprecated)]))
}

/// How a request loaded from JSON is read: into the builder's fields (`fields`, where required
/// parameters are still optional), one `match` arm per parameter, then assembled as `build`
/// does, so that a missing required parameter is the builder's error. `Deserialize` is the
/// runtime's, through them (`acs_runtime::codegen::request_fields`).
pub(super) fn request_deserialize_impl(
    request: &Ident,
    fields_struct: &Ident,
    fields: &[Field],
) -> TokenStream {
    let type_name = request.to_string();
    let arms = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        let wire = &f.wire_name;
        quote!(#wire => codegen::request_fields::read(map, &mut self.#n),)
    });
    let assembled = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        let wire = &f.wire_name;
        if f.required && !matches!(f.ty, Type::List(_) | Type::Map(_)) {
            quote!(#n: self.#n.ok_or_else(|| BuildError::missing(#wire))?,)
        } else {
            quote!(#n: self.#n,)
        }
    });
    let required_lists = fields
        .iter()
        .filter(|f| f.required && matches!(f.ty, Type::List(_) | Type::Map(_)))
        .map(|f| {
            let n = ident(&f.rust_name);
            let wire = &f.wire_name;
            // A JSON or comma list set empty is set: it is sent (`Name=[]`, `Name=`), as the
            // official SDKs send it, and only one left unset is missing.
            if empty_is_sent(f, FieldOf::Request) {
                quote! {
                    if request.#n.is_none() {
                        return Err(BuildError::missing(#wire));
                    }
                }
            } else {
                quote! {
                    if request.#n.is_empty() {
                        return Err(BuildError::missing(#wire));
                    }
                }
            }
        });
    let decode = decode_by_key(arms.collect());
    let allow = allow_deprecated_fields(fields);
    quote! {
        #allow
        impl codegen::request_fields::RequestFields for #fields_struct {
            type Request = #request;
            const NAME: &'static str = #type_name;
            fn decode_field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                #decode
            }
            #[inline]
            fn assemble(self) -> Result<#request, BuildError> {
                let request = #request {
                    #(#assembled)*
                };
                #(#required_lists)*
                Ok(request)
            }
        }

        impl<'de> serde::Deserialize<'de> for #request {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                codegen::request_fields::deserialize::<D, #fields_struct>(d)
            }
        }
    }
}

/// How a response or shape decodes: one `match` arm per field, each naming the runtime's
/// lenient reading of it (`acs_runtime::codegen::object`), and `Deserialize` through the runtime.
pub(super) fn object_impl(name: &Ident, fields: &[Field]) -> TokenStream {
    let type_name = name.to_string();
    let arms = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        let wire = &f.wire_name;
        let read = match (&f.ty, &f.wrapper) {
            (Type::List(_), Some(w)) => {
                let key = format_ident!("{}", super::wrapper_ident(w));
                quote!(codegen::object::wrapped_list::<wrappers::#key, _, _>(map, &mut self.#n))
            }
            (Type::List(_), None) => quote!(codegen::object::list(map, &mut self.#n)),
            (Type::Map(_), _) => quote!(codegen::object::map(map, &mut self.#n)),
            _ => quote!(codegen::object::opt(map, &mut self.#n)),
        };
        // A value that does not fit is kept in an anomaly, which must not carry a secret.
        let read = if f.secret || f.holds_secret {
            quote!(codegen::object::secret(map, |map| #read))
        } else {
            read
        };
        quote!(#wire => #read,)
    });
    let decode = decode_by_key(arms.collect());
    let allow = allow_deprecated_fields(fields);
    quote! {
        #allow
        impl codegen::object::Object for #name {
            const NAME: &'static str = #type_name;
            fn decode_field<'de, A: serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                #decode
            }
        }
    }
}

/// The body of a `decode_field`: the field `key` names, read by its arm; any other key skipped.
/// A type without fields skips every key (a `match` of one wildcard arm is a lint error).
fn decode_by_key(arms: Vec<TokenStream>) -> TokenStream {
    if arms.is_empty() {
        return quote! {
            let _ = key;
            codegen::object::skip(map)
        };
    }
    quote! {
        match key {
            #(#arms)*
            _ => codegen::object::skip(map),
        }
    }
}

/// Whether a request list can say "empty" on the wire (`Name=[]`, or `Name=` for a comma-joined
/// list), as the official SDKs send a list that was set but holds nothing. Such a list is an
/// `Option<Vec<_>>`, so that set-but-empty and unset stay apart; other lists write nothing when
/// empty, and a `Vec` says all there is to say.
pub(super) fn empty_is_sent(f: &Field, of: FieldOf) -> bool {
    of == FieldOf::Request
        && matches!(f.ty, Type::List(_))
        && matches!(f.style, WireStyle::Json | WireStyle::Comma)
}

/// A field's Rust type: what it holds, and whether unset is a value of its own.
pub(super) fn field_type(f: &Field, of: FieldOf) -> TokenStream {
    let t = type_tokens(&f.ty);
    if f.boxed {
        return quote!(Option<Box<#t>>);
    }
    if empty_is_sent(f, of) {
        return quote!(Option<#t>);
    }
    match (&f.ty, of == FieldOf::Request && f.required) {
        (Type::List(_) | Type::Map(_), _) | (_, true) => t,
        _ => quote!(Option<#t>),
    }
}

/// The fields of a generated struct, each with its docs and deprecation.
pub(super) fn struct_fields(fields: &[Field], of: FieldOf) -> TokenStream {
    let fs = fields.iter().map(|f| {
        let d = docs::attrs(&docs::field(f, of));
        let n = ident(&f.rust_name);
        let t = field_type(f, of);
        let dep = super::deprecated_attr(f.deprecated.as_ref());
        quote! { #d #dep pub #n: #t, }
    });
    quote!(#(#fs)*)
}
