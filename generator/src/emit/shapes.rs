//! A product's `types.rs`: the open enums, object shapes and wrapper keys its operations share.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use super::fields::{FieldOf, ident, object_impl, serialize_impl, struct_fields, type_tokens};
use super::request::{check_field, write_field};
use crate::model::{EnumDef, Product, Shape, Type};

/// Whether a product has a `types.rs` at all.
pub fn has_types(p: &Product) -> bool {
    !p.enums.is_empty() || !p.shapes.is_empty() || !wrapper_key_names(p).is_empty()
}

/// The whole of a product's `types.rs`.
pub fn types_file(p: &Product) -> TokenStream {
    let doc = format!(
        " Types shared by the operations of {} ({}): open enums, objects and wrapper keys.",
        p.name, p.code
    );
    let enums = p.enums.iter().map(open_enum);
    let shapes = p.shapes.iter().map(shape);
    let lenient_shapes: Vec<Ident> = p.shapes.iter().map(|s| ident(&s.rust_name)).collect();
    let lenient = if lenient_shapes.is_empty() {
        quote!()
    } else {
        quote!(codegen::object_serde!(#(#lenient_shapes),*);)
    };
    let wrappers = wrapper_keys(p);
    // A shape sent in a request validates itself and writes its fields under a prefix; only
    // then does the file name the runtime's request types, so no spec leaves an unused import.
    let imports = p.shapes.iter().any(|s| s.in_request).then(|| {
        quote! {
            use acs_runtime::validate::BuildError;
            use acs_runtime::wire::{Location, Params};
        }
    });
    // Open enums and shapes are written through the runtime's `codegen` module; wrapper keys,
    // in a module of their own, name it in full.
    let codegen = (!p.enums.is_empty() || !p.shapes.is_empty()).then(|| {
        quote! {
            use acs_runtime::codegen;
        }
    });
    quote! {
        #![doc = #doc]
        #codegen
        #imports
        #(#enums)*
        #(#shapes)*
        #lenient
        #wrappers
    }
}

fn open_enum(e: &EnumDef) -> TokenStream {
    let name = ident(&e.rust_name);
    let doc = docs::attrs(&format!(
        "{}\n\nAn open enum: a value the service adds later arrives as `Unknown` and is sent back unchanged.",
        docs::text(e.description.as_deref().unwrap_or(&e.rust_name))
    ));
    let variants = e.values.iter().map(|v| {
        let vname = ident(&v.variant);
        let wire = &v.wire;
        let d = docs::attrs(&match &v.description {
            Some(d) => format!("`{wire}`: {}", docs::text(d)),
            None => format!("`{wire}`"),
        });
        quote! { #d #vname, }
    });
    let pairs = e.values.iter().map(|v| {
        let vname = ident(&v.variant);
        let wire = &v.wire;
        quote!(#vname = #wire)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value not documented when this SDK was generated, kept as it arrived.
            Unknown(String),
        }

        codegen::open_enum!(#name { #(#pairs),* });
    }
}

fn shape(s: &Shape) -> TokenStream {
    let name = ident(&s.rust_name);
    let doc = docs::attrs(&docs::text(
        s.description.as_deref().unwrap_or(&s.rust_name),
    ));
    let fields = struct_fields(&s.fields, FieldOf::Object);
    let serialize = serialize_impl(&name, &s.fields, FieldOf::Object);
    let decode = object_impl(&name, &s.fields);
    let request_support = if s.in_request {
        let setters = s.fields.iter().map(|f| {
            let n = ident(&f.rust_name);
            let doc = format!(" Sets `{}`.", f.wire_name);
            let dep = super::deprecated_attr(f.deprecated.as_ref());
            match &f.ty {
                Type::List(item) => {
                    let it = type_tokens(item);
                    quote! {
                        #[doc = #doc]
                        #dep
                        pub fn #n(mut self, item: impl Into<#it>) -> Self {
                            self.#n.push(item.into());
                            self
                        }
                    }
                }
                Type::Map(value) => {
                    let vt = type_tokens(value);
                    quote! {
                        #[doc = #doc]
                        #dep
                        pub fn #n(mut self, key: impl Into<String>, value: impl Into<#vt>) -> Self {
                            self.#n.insert(key.into(), value.into());
                            self
                        }
                    }
                }
                t => {
                    let tt = type_tokens(t);
                    let tt = if f.boxed { quote!(Box<#tt>) } else { tt };
                    quote! {
                        #[doc = #doc]
                        #dep
                        pub fn #n(mut self, value: impl Into<#tt>) -> Self {
                            self.#n = Some(value.into());
                            self
                        }
                    }
                }
            }
        });
        let writes = s
            .fields
            .iter()
            .map(|f| write_field(f, quote!(loc), FieldOf::Object));
        let checks: Vec<TokenStream> = s
            .fields
            .iter()
            .map(|f| check_field(f, FieldOf::Object))
            .filter(|t| !t.is_empty())
            .collect();
        let prefix_arg = if checks.is_empty() {
            quote!(_prefix)
        } else {
            quote!(prefix)
        };
        let allow = super::allow_deprecated(super::any_deprecated(&s.fields));
        quote! {
            #allow
            impl #name {
                /// An empty value, to fill with the setters below.
                #[inline]
                pub fn new() -> Self {
                    Default::default()
                }
                #(#setters)*
            }

            #allow
            impl acs_runtime::wire::FlatObject for #name {
                #[inline]
                fn write_flat(&self, params: &mut Params, loc: Location, prefix: &str) {
                    #(#writes)*
                }
            }

            #allow
            impl codegen::checks::Validate for #name {
                #[inline]
                fn validate(&self, #prefix_arg: &codegen::checks::ParamName<'_>) -> Result<(), BuildError> {
                    #(#checks)*
                    Ok(())
                }
            }
        }
    } else {
        quote!()
    };
    let derive_debug = super::debug::derive(&s.fields);
    let debug = super::debug::for_shape(&name, &s.fields);
    quote! {
        #doc
        #[derive(#derive_debug Clone, Default, PartialEq)]
        pub struct #name {
            #fields
        }
        #debug
        #serialize
        #decode
        #request_support
    }
}

/// The wrapper keys (`Image` of `{"Images": {"Image": [...]}}`) a product's fields declare,
/// sorted and once each.
fn wrapper_key_names(p: &Product) -> Vec<&str> {
    let mut keys: Vec<&str> = p
        .operations
        .iter()
        .flat_map(|o| o.response.iter())
        .chain(p.shapes.iter().flat_map(|s| s.fields.iter()))
        .filter_map(|f| f.wrapper.as_deref())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn wrapper_keys(p: &Product) -> TokenStream {
    let keys = wrapper_key_names(p);
    if keys.is_empty() {
        return quote!();
    }
    let items = keys.iter().map(|k| {
        let id = format_ident!("{}", super::wrapper_ident(k));
        quote! {
            pub struct #id;
            impl acs_runtime::codegen::lenient::WrapperKey for #id {
                const KEY: &'static str = #k;
            }
        }
    });
    quote! {
        /// Keys of wrapper objects (`{"Images": {"Image": [...]}}`), for re-encoding lists.
        #[doc(hidden)]
        pub mod wrappers {
            #(#items)*
        }
    }
}
