//! One operation's file: request, builder, response, error and paginator.
//!
//! Every function emitted here is generic or `#[inline]`. Either way rustc compiles its machine
//! code only in a crate that calls it. A program then pays code generation for the operations it
//! uses, not for the hundreds its product has: a library's other functions are compiled
//! whether anyone calls them or not. The shapes, open enums and error types follow the same rule.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use super::fields::{
    empty_is_sent, ident, object_impl, request_deserialize_impl, serialize_impl, struct_fields,
    type_tokens,
};
use super::request::{check_field, setters, write_field};
use crate::model::{ErrorVariant, Field, Location, Operation, ScalarType, Type};

/// The name of an operation's `acs_runtime::Operation` static (`DESCRIBE_IMAGES`).
pub fn static_ident(op: &Operation) -> Ident {
    format_ident!(
        "{}",
        crate::naming::generated::operation_static(&op.method_name)
    )
}

/// An operation's file: its imports, then [`operation`]'s items.
pub fn file(op: &Operation) -> TokenStream {
    let doc = format!(
        " The `{}` operation: {}",
        op.action,
        docs::text(&op.title).replace('\n', " ")
    );
    let location = (!op.request.is_empty()).then(|| {
        quote!(
            use acs_runtime::wire::Location;
        )
    });
    let types = uses_types(op).then(|| {
        quote!(
            use super::types::*;
        )
    });
    let items = operation(op);
    quote! {
        #![doc = #doc]
        use acs_runtime::validate::BuildError;
        #location
        use acs_runtime::wire::Params;
        #types
        #items
    }
}

/// Whether any of the operation's types comes from the product's `types.rs`.
fn uses_types(op: &Operation) -> bool {
    fn named(t: &Type) -> bool {
        match t {
            Type::Enum(_) | Type::Shape(_) => true,
            Type::List(item) | Type::Map(item) => named(item),
            Type::Scalar(_) => false,
        }
    }
    op.request
        .iter()
        .chain(op.response.iter())
        .any(|f| named(&f.ty) || f.wrapper.is_some())
}

/// One operation's items: request, builder (which sends, given a client), response, error and
/// paginator.
fn operation(op: &Operation) -> TokenStream {
    let prefix = &op.type_prefix;
    let request = format_ident!("{prefix}Request");
    let builder = format_ident!("{prefix}RequestBuilder");
    let builder_state = format_ident!(
        "{prefix}{}",
        crate::naming::generated::REQUEST_FIELDS_SUFFIX
    );
    let response = format_ident!("{prefix}Response");
    let error = format_ident!("{prefix}Error");
    let fluent = format_ident!("{prefix}FluentBuilder");
    let op_static = static_ident(op);
    let action = &op.action;
    let method = op.methods.first().map(String::as_str).unwrap_or("POST");
    let token = match op.request.iter().find(|f| f.idempotency_token) {
        Some(f) => {
            let w = &f.wire_name;
            quote!(Some(#w))
        }
        None => quote!(None),
    };
    let op_doc = format!(" The `{action}` operation.");
    let read_only = op.read_only;
    let anonymous = op.anonymous;

    // Request.
    let request_doc = docs::attrs(&format!(
        "Input of [`Client::{0}`](super::Client::{0}): {1}",
        op.method_name,
        docs::text(&op.title)
    ));
    let request_fields = struct_fields(&op.request, true);
    let builder_fields = op.request.iter().map(|f| {
        let n = ident(&f.rust_name);
        let t = match &f.ty {
            Type::List(_) if !empty_is_sent(f, true) => type_tokens(&f.ty),
            Type::Map(_) => type_tokens(&f.ty),
            t => {
                let tt = type_tokens(t);
                quote!(Option<#tt>)
            }
        };
        quote!(#n: #t,)
    });
    let builder_setters = setters(&op.request, &request);
    let params_arg = if op.request.is_empty() {
        quote!(_params)
    } else {
        quote!(params)
    };
    let checks = op.request.iter().map(|f| check_field(f, false));
    let writes = op.request.iter().map(|f| {
        let loc = match f.location {
            Location::Query => quote!(Location::Query),
            Location::Body => quote!(Location::Body),
            Location::Header => quote!(Location::Header),
        };
        write_field(f, loc, false)
    });

    // Response.
    let response_doc = docs::attrs(&format!(
        "Output of [`Client::{0}`](super::Client::{0}).{1}",
        op.method_name,
        op.response_description
            .as_deref()
            .map(|d| format!("\n\n{}", docs::text(d)))
            .unwrap_or_default()
    ));
    let response_fields = struct_fields(&op.response, false);
    let response_derive_debug = super::debug::derive(&op.response);
    let response_debug = super::debug::impl_for(&response, &op.response, true);
    let request_serialize = serialize_impl(&request, &op.request, true);
    let request_deserialize = request_deserialize_impl(&request, &builder_state, &op.request);
    let response_serialize = serialize_impl(&response, &op.response, false);
    let response_decode = object_impl(&response, &op.response);

    // Errors.
    let error_enum = error_type(op, &error);
    // `build`, `validate`, `write_params` and paging read the request's deprecated fields for
    // the caller, who was warned at the setter.
    let allow_request = super::allow_deprecated(super::any_deprecated(&op.request));
    let allow_response = super::allow_deprecated(super::any_deprecated(&op.response));

    // Paging.
    let paging = op.paging.as_ref().map(|p| {
        let number = ident(&p.page_number);
        let size = ident(&p.page_size);
        let items = ident(&p.items);
        let item_ty = type_tokens(&p.item_type);
        let number_ty = op
            .request
            .iter()
            .find(|f| f.rust_name == p.page_number)
            .map(|f| f.ty.clone());
        let size_ty = op
            .request
            .iter()
            .find(|f| f.rust_name == p.page_size)
            .map(|f| f.ty.clone());
        let get = |t: Option<Type>, n: &Ident| match t {
            Some(Type::Scalar(ScalarType::Integer)) => quote!(self.#n.map(i64::from)),
            _ => quote!(self.#n),
        };
        let set = match number_ty.clone() {
            Some(Type::Scalar(ScalarType::Integer)) => {
                quote!(self.#number = Some(i32::try_from(page).unwrap_or(i32::MAX));)
            }
            _ => quote!(self.#number = Some(page);),
        };
        let get_number = get(number_ty, &number);
        let get_size = get(size_ty, &size);
        // A count in the response, as an `i64`, whatever type the page gives it.
        let count = |f: &Field| {
            let id = ident(&f.rust_name);
            match f.ty {
                Type::Scalar(ScalarType::String) => {
                    quote!(self.#id.as_deref().and_then(|s| s.trim().parse().ok()))
                }
                Type::Scalar(ScalarType::Integer) => quote!(self.#id.map(i64::from)),
                _ => quote!(self.#id),
            }
        };
        let total = p
            .total_count
            .as_ref()
            .and_then(|t| op.response.iter().find(|f| &f.rust_name == t))
            .map_or_else(|| quote!(None), count);
        // The page size the service applied, when the response echoes the request's parameter:
        // a service that caps the size (ENS at 50) sends shorter pages than asked for, which
        // are not the last.
        let size_wire = op
            .request
            .iter()
            .find(|f| f.rust_name == p.page_size)
            .map(|f| &f.wire_name);
        let applied_size = op
            .response
            .iter()
            .find(|f| {
                Some(&f.wire_name) == size_wire
                    && matches!(
                        f.ty,
                        Type::Scalar(ScalarType::String | ScalarType::Integer | ScalarType::Long)
                    )
            })
            .map(|f| {
                let value = count(f);
                quote! {
                    #[inline]
                    fn page_size(&self) -> Option<i64> {
                        #value
                    }
                }
            });
        quote! {
            #allow_request
            impl acs_runtime::paginate::PagedRequest for #request {
                #[inline]
                fn page_number(&self) -> Option<i64> {
                    #get_number
                }
                #[inline]
                fn set_page_number(&mut self, page: i64) {
                    #set
                }
                #[inline]
                fn page_size(&self) -> Option<i64> {
                    #get_size
                }
            }

            #allow_response
            impl acs_runtime::paginate::PagedResponse for #response {
                type Item = #item_ty;
                #[inline]
                fn total_count(&self) -> Option<i64> {
                    #total
                }
                #applied_size
                #[inline]
                fn items(&self) -> &[Self::Item] {
                    &self.#items
                }
                #[inline]
                fn into_items(self) -> Vec<Self::Item> {
                    self.#items
                }
            }

            impl<C: acs_runtime::Sender> #builder<C> {
                /// Pages through every result, starting at this request's page number: pages
                /// (`.pages()`) or items (`.items()`), a `Stream` from the async client, an
                /// `Iterator` from the blocking one.
                pub fn into_paginator(self) -> C::Paginator<#request> {
                    let (client, builder) = self.into_parts();
                    client.paginator(builder.build())
                }
            }
        }
    });
    let token_paging = op.token_paging.as_ref().map(|p| {
        let request_token = ident(&p.request_token);
        let response_token = ident(&p.response_token);
        let items = ident(&p.items);
        let item_ty = type_tokens(&p.item_type);
        let size_doc = p
            .max_results
            .as_ref()
            .and_then(|m| op.request.iter().find(|f| &f.rust_name == m))
            .map(|f| format!(" `{}` sets how many items a page holds.", f.wire_name))
            .unwrap_or_default();
        let doc = format!(
            " Pages through every result by `NextToken`, from this request's token (the first page\n \
             when unset): pages (`.pages()`) or items (`.items()`), a `Stream` from the async client,\n \
             an `Iterator` from the blocking one.{size_doc}\n\n \
             The stream ends with an error, never silently, if the service answers a token it\n \
             already gave or the page cap (`max_pages`) is reached with pages left."
        );
        let doc = doc.lines().map(|l| quote!(#[doc = #l]));
        quote! {
            #allow_request
            impl acs_runtime::token_paging::TokenPagedRequest for #request {
                #[inline]
                fn next_token(&self) -> Option<&str> {
                    self.#request_token.as_deref()
                }
                #[inline]
                fn set_next_token(&mut self, token: String) {
                    self.#request_token = Some(token);
                }
            }

            #allow_response
            impl acs_runtime::token_paging::TokenPagedResponse for #response {
                type Item = #item_ty;
                #[inline]
                fn next_token(&self) -> Option<&str> {
                    self.#response_token.as_deref()
                }
                #[inline]
                fn items(&self) -> &[Self::Item] {
                    &self.#items
                }
                #[inline]
                fn into_items(self) -> Vec<Self::Item> {
                    self.#items
                }
            }

            impl<C: acs_runtime::Sender> #builder<C> {
                #(#doc)*
                pub fn into_paginator(self) -> C::TokenPaginator<#request> {
                    let (client, builder) = self.into_parts();
                    client.token_paginator(builder.build())
                }
            }
        }
    });
    let fluent_doc = format!(
        " A [`{builder}`] from [`Client::{0}`](super::Client::{0}): set parameters, then call `send`.",
        op.method_name
    );
    let builder_doc = docs::attrs(&format!(
        "Builder of [`{request}`]: required parameters and limits are checked by `build`.\n\n\
         `C` is the client it sends with: none (`()`) from [`{request}::builder`], or the one\n\
         [`Client::{0}`](super::Client::{0}) gives ([`{fluent}`]), which adds `send`.",
        op.method_name
    ));
    quote! {
        #[doc = #op_doc]
        pub static #op_static: acs_runtime::Operation = acs_runtime::Operation {
            action: #action,
            method: #method,
            idempotency_token: #token,
            read_only: #read_only,
            anonymous: #anonymous,
        };

        #request_doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #request {
            #request_fields
        }

        #request_serialize
        #request_deserialize

        #allow_request
        impl #request {
            /// A builder for this request.
            #[inline]
            pub fn builder() -> #builder {
                Default::default()
            }

            /// Checks the documented limits; `build` and `send` call this.
            #[inline]
            pub fn validate(&self) -> Result<(), BuildError> {
                #(#checks)*
                Ok(())
            }
        }

        #allow_request
        impl acs_runtime::wire::WriteParams for #request {
            #[inline]
            fn write_params(&self, #params_arg: &mut Params) {
                #(#writes)*
            }
        }

        #builder_doc
        #[derive(Debug, Clone)]
        pub struct #builder<C = ()> {
            client: C,
            fields: #builder_state,
        }

        /// The parameters a builder holds, required ones still optional.
        #[derive(Debug, Clone, Default)]
        struct #builder_state {
            #(#builder_fields)*
        }

        // By hand rather than derived: one impl, for the builder without a client, lets
        // `Default::default()` and `::default()` infer it.
        impl Default for #builder {
            #[inline]
            fn default() -> Self {
                Self::empty(())
            }
        }

        #[doc = #fluent_doc]
        pub type #fluent = #builder<acs_runtime::Client>;

        #allow_request
        impl<C> #builder<C> {
            #builder_setters

            /// The request, once its required parameters are set and every limit holds.
            pub fn build(self) -> Result<#request, BuildError> {
                let request = acs_runtime::request_fields::RequestFields::assemble(self.fields)?;
                request.validate()?;
                Ok(request)
            }

            /// A builder with no parameter set, sending with `client`.
            pub(super) fn empty(client: C) -> Self {
                #builder {
                    client,
                    fields: Default::default(),
                }
            }

            /// The client, and the parameters in a builder without one.
            fn into_parts(self) -> (C, #builder) {
                (self.client, #builder { client: (), fields: self.fields })
            }
        }

        #response_doc
        #[derive(#response_derive_debug Clone, Default, PartialEq)]
        pub struct #response {
            #response_fields
            meta: acs_runtime::ResponseMeta,
        }
        #response_debug

        #response_serialize

        impl #response {
            /// HTTP status, request id, the raw body, and any field that arrived in a form its
            /// declared type could not hold.
            #[inline]
            pub fn meta(&self) -> &acs_runtime::ResponseMeta {
                &self.meta
            }
        }

        #response_decode
        acs_runtime::object_serde!(#response);

        impl acs_runtime::OperationOutput for #response {
            #[inline]
            fn set_meta(&mut self, meta: acs_runtime::ResponseMeta) {
                self.meta = meta;
            }
        }

        #error_enum

        impl acs_runtime::Request for #request {
            type Client = super::Client;
            type Output = #response;
            type Error = #error;
            #[inline]
            fn operation() -> &'static acs_runtime::Operation {
                &#op_static
            }
            #[inline]
            fn validate(&self) -> Result<(), BuildError> {
                self.validate()
            }
        }

        impl<C: acs_runtime::Sender> #builder<C> {
            /// Checks the parameters, signs and sends the request, retrying as the client's
            /// retry policy allows: a future of the response from the async client, the
            /// response from the blocking one.
            pub fn send(self) -> C::Sent<#request> {
                let (client, builder) = self.into_parts();
                client.send_built(builder.build())
            }
        }

        #paging
        #token_paging
    }
}

fn error_type(op: &Operation, error: &Ident) -> TokenStream {
    let variants = op.errors.iter().map(|v| {
        let name = ident(&v.variant);
        let d = docs::attrs(&error_doc(v));
        quote! { #d #name(acs_runtime::ServiceError), }
    });
    // Exact codes are tried before patterns, so `InvalidParameter.PageSize` documented on its
    // own wins over `InvalidParameter.%s`.
    let (exact, patterns): (Vec<&ErrorVariant>, Vec<&ErrorVariant>) =
        op.errors.iter().partition(|v| !v.code.contains("%s"));
    let pairs = exact.iter().chain(patterns.iter()).map(|v| {
        let name = ident(&v.variant);
        let code = &v.code;
        quote!(#name = #code)
    });
    let doc = format!(
        " Errors of `{}`: the documented codes, and `Unhandled` for any other.",
        op.action
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #error {
            #(#variants)*
            /// A code this operation does not document.
            Unhandled(acs_runtime::ServiceError),
        }

        acs_runtime::operation_error!(#error { #(#pairs),* });
    }
}

fn error_doc(v: &ErrorVariant) -> String {
    let mut out = format!("`{}`", v.code);
    if v.code.contains("%s") {
        out.push_str(" (`%s` stands for any text)");
    }
    for e in &v.entries {
        out.push_str(&format!("\n\nHTTP {}", e.status));
        if let Some(m) = &e.message {
            out.push_str(&format!(": {}", docs::text(m).replace('\n', " ")));
        }
        if let Some(d) = &e.description {
            out.push_str(&format!(" ({})", docs::text(d).replace('\n', " ")));
        }
    }
    out
}
