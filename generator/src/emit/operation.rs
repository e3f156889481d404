//! One operation's file: request, builder, response, error and paginator.
//!
//! Every function emitted here is generic or `#[inline]`. Either way rustc compiles its machine
//! code only in a crate that calls it. A program then pays code generation for the operations it
//! uses, not for the hundreds its product has: a library's other functions are compiled
//! whether anyone calls them or not. The shapes, open enums and error types follow the same rule.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use super::fields::{
    FieldOf, empty_is_sent, ident, object_impl, request_deserialize_impl, serialize_impl,
    struct_fields, type_tokens,
};
use super::request::{check_field, setters, write_field};
use crate::model::{ErrorVariant, Location, Operation, Type};

/// The name of an operation's `acs_runtime::Operation` static (`DESCRIBE_IMAGES`).
pub fn static_ident(op: &Operation) -> Ident {
    format_ident!(
        "{}",
        crate::naming::generated::operation_static(&op.method_name)
    )
}

/// An operation's file: its imports, then [`operation`]'s items.
pub fn file(op: &Operation) -> TokenStream {
    let doc = match &op.title {
        Some(title) => format!(
            " The `{}` operation: {}",
            op.action,
            docs::text(title).replace('\n', " ")
        ),
        None => format!(" The `{}` operation.", op.action),
    };
    let location = (!op.request.is_empty()).then(|| {
        quote!(
            use acs_runtime::wire::Location;
        )
    });
    let imported = imported_types(op);
    let types = (!imported.is_empty()).then(|| {
        quote!(
            use super::types::{#(#imported),*};
        )
    });
    let items = operation(op);
    quote! {
        #![doc = #doc]
        use acs_runtime::codegen;
        use acs_runtime::validate::BuildError;
        #location
        use acs_runtime::wire::Params;
        #types
        #items
    }
}

/// What the operation's file takes from the product's `types.rs`, sorted and once each: the
/// shapes and enums its fields name, and `wrappers` when a response list is wrapped. Named one
/// by one rather than by a glob, so that the file says what it uses (and rustc holds a little
/// less: 2 % of peak memory at 800 synthetic operations).
fn imported_types(op: &Operation) -> Vec<Ident> {
    fn named<'t>(t: &'t Type, into: &mut BTreeSet<&'t str>) {
        match t {
            Type::Enum(name) | Type::Shape(name) => {
                into.insert(name);
            }
            Type::List(item) | Type::Map(item) => named(item, into),
            Type::Scalar(_) | Type::Json => {}
        }
    }
    let mut names = BTreeSet::new();
    for f in op.request.iter().chain(op.response.iter()) {
        named(&f.ty, &mut names);
    }
    // Only a response re-encodes its wrapped lists under their keys.
    if op.response.iter().any(|f| f.wrapper.is_some()) {
        names.insert("wrappers");
    }
    names.into_iter().map(ident).collect()
}

/// The names of the types generated for one operation.
pub(super) struct TypeNames {
    pub(super) request: Ident,
    pub(super) builder: Ident,
    /// The builder's parameters, required ones still optional.
    pub(super) builder_state: Ident,
    pub(super) response: Ident,
    pub(super) error: Ident,
    /// The builder with a client, as `Client`'s methods give it.
    pub(super) fluent: Ident,
}

impl TypeNames {
    fn of(op: &Operation) -> Self {
        let prefix = &op.type_prefix;
        TypeNames {
            request: format_ident!("{prefix}Request"),
            builder: format_ident!("{prefix}RequestBuilder"),
            builder_state: format_ident!(
                "{prefix}{}",
                crate::naming::generated::REQUEST_FIELDS_SUFFIX
            ),
            response: format_ident!("{prefix}Response"),
            error: format_ident!("{prefix}Error"),
            fluent: format_ident!("{prefix}FluentBuilder"),
        }
    }

    /// `#[allow(deprecated)]` for the impls on the request and on the response, where they read
    /// deprecated fields for the caller, who was warned at the setter or the field.
    pub(super) fn allow_deprecated(&self, op: &Operation) -> (TokenStream, TokenStream) {
        (
            super::allow_deprecated(super::any_deprecated(&op.request)),
            super::allow_deprecated(super::any_deprecated(&op.response)),
        )
    }
}

/// One operation's items: its descriptor, request, builder, response, error, the binding of
/// request to response and error, and its paginator.
fn operation(op: &Operation) -> TokenStream {
    let names = TypeNames::of(op);
    let descriptor = descriptor(op);
    let request = request(op, &names);
    let builder = builder(op, &names);
    let response = response(op, &names);
    let error = error_type(op, &names.error);
    let binding = binding(op, &names);
    let by_page_number = super::paging::by_page_number(op, &names);
    let by_token = super::paging::by_token(op, &names);
    quote! {
        #descriptor
        #request
        #builder
        #response
        #error
        #binding
        #by_page_number
        #by_token
    }
}

/// The operation as data: its action, method, idempotency token and how it is signed.
fn descriptor(op: &Operation) -> TokenStream {
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
    quote! {
        #[doc = #op_doc]
        pub static #op_static: acs_runtime::Operation = acs_runtime::Operation {
            action: #action,
            method: #method,
            idempotency_token: #token,
            read_only: #read_only,
            anonymous: #anonymous,
        };
    }
}

/// The request: its struct, JSON in and out, its checks and how it writes its parameters.
fn request(op: &Operation, names: &TypeNames) -> TokenStream {
    let TypeNames {
        request,
        builder,
        builder_state,
        ..
    } = names;
    let (allow_request, _) = names.allow_deprecated(op);
    let request_doc = docs::attrs(&format!(
        "Input of [`Client::{0}`](super::Client::{0}){1}",
        op.method_name,
        op.title
            .as_deref()
            .map(|title| format!(": {}", docs::text(title)))
            .unwrap_or_else(|| ".".to_owned())
    ));
    let request_fields = struct_fields(&op.request, FieldOf::Request);
    let request_serialize = serialize_impl(request, &op.request, FieldOf::Request);
    let request_deserialize = request_deserialize_impl(request, builder_state, &op.request);
    let params_arg = if op.request.is_empty() {
        quote!(_params)
    } else {
        quote!(params)
    };
    let checks = op.request.iter().map(|f| check_field(f, FieldOf::Request));
    let writes = op.request.iter().map(|f| {
        let loc = match f.location {
            Location::Query => quote!(Location::Query),
            Location::Body => quote!(Location::Body),
            Location::Header => quote!(Location::Header),
        };
        write_field(f, loc, FieldOf::Request)
    });
    let request_derive_debug = super::debug::derive(&op.request);
    let request_debug = super::debug::for_request(request, &op.request);
    quote! {
        #request_doc
        #[derive(#request_derive_debug Clone, PartialEq)]
        pub struct #request {
            #request_fields
        }

        #request_debug
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
    }
}

/// The builder: the parameters it holds, its setters and `build`.
fn builder(op: &Operation, names: &TypeNames) -> TokenStream {
    let TypeNames {
        request,
        builder,
        builder_state,
        fluent,
        ..
    } = names;
    let (allow_request, _) = names.allow_deprecated(op);
    let builder_fields = op.request.iter().map(|f| {
        let n = ident(&f.rust_name);
        let t = match &f.ty {
            Type::List(_) if !empty_is_sent(f, FieldOf::Request) => type_tokens(&f.ty),
            Type::Map(_) => type_tokens(&f.ty),
            t => {
                let tt = type_tokens(t);
                quote!(Option<#tt>)
            }
        };
        quote!(#n: #t,)
    });
    let builder_setters = setters(&op.request, request);
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
    let fields_derive_debug = super::debug::derive(&op.request);
    let fields_debug = super::debug::for_builder_fields(builder_state, &op.request);
    quote! {
        #builder_doc
        #[derive(Debug, Clone)]
        pub struct #builder<C = ()> {
            client: C,
            // Boxed: each setter takes and returns the builder by value, which for a request
            // of many parameters moved hundreds of bytes a call, more than the call's work.
            fields: Box<#builder_state>,
        }

        /// The parameters a builder holds, required ones still optional.
        #[derive(#fields_derive_debug Clone, Default)]
        struct #builder_state {
            #(#builder_fields)*
        }

        #fields_debug

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
                let request = codegen::request_fields::RequestFields::assemble(*self.fields)?;
                request.validate()?;
                Ok(request)
            }

            /// A builder with no parameter set, sending with `client`.
            pub(super) fn empty(client: C) -> Self {
                #builder {
                    client,
                    fields: Box::default(),
                }
            }

            /// The client, and the parameters in a builder without one.
            fn into_parts(self) -> (C, #builder) {
                (self.client, #builder { client: (), fields: self.fields })
            }
        }
    }
}

/// The response: its struct, `Debug` where a field is secret, JSON out, and its decoding.
fn response(op: &Operation, names: &TypeNames) -> TokenStream {
    let response = &names.response;
    let response_doc = docs::attrs(&format!(
        "Output of [`Client::{0}`](super::Client::{0}).{1}",
        op.method_name,
        op.response_description
            .as_deref()
            .map(|d| format!("\n\n{}", docs::text(d)))
            .unwrap_or_default()
    ));
    let response_fields = struct_fields(&op.response, FieldOf::Object);
    let response_derive_debug = super::debug::derive(&op.response);
    let response_debug = super::debug::for_response(response, &op.response);
    let response_serialize = serialize_impl(response, &op.response, FieldOf::Object);
    let response_decode = object_impl(response, &op.response);
    quote! {
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
        codegen::object_serde!(#response);

        impl acs_runtime::OperationOutput for #response {
            #[inline]
            fn set_meta(&mut self, meta: acs_runtime::ResponseMeta) {
                self.meta = meta;
            }
        }
    }
}

/// What ties the request to its operation, response and error, and the builder's `send`.
fn binding(op: &Operation, names: &TypeNames) -> TokenStream {
    let TypeNames {
        request,
        builder,
        response,
        error,
        ..
    } = names;
    let op_static = static_ident(op);
    quote! {
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

        codegen::operation_error!(#error { #(#pairs),* });
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
