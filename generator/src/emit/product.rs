//! One product's module: service descriptor, client, enums, shapes and operations.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use crate::model::{
    EnumDef, ErrorVariant, Field, Location, Operation, Product, ScalarType, Shape, Signature, Type,
    WireStyle,
};

/// An identifier, raw when the name says so (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The bare name of an identifier, for derived names (`set_type`, not `set_r#type`).
fn bare(name: &str) -> &str {
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

fn type_tokens(t: &Type) -> TokenStream {
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
    }
}

/// The top of a product's module: its documentation, imports, service, client, enums and
/// shapes. Each operation follows as a part of its own ([`operation`]).
pub fn header(p: &Product) -> TokenStream {
    let mut header = format!("{} ({}), API version {}.", p.name, p.code, p.version);
    if let Some(d) = &p.description {
        header.push_str("\n\n");
        header.push_str(&docs::text(d));
    }
    header.push_str(&format!(
        "\n\nGenerated from `{}`. Start with [`Client`](crate::{}::Client).",
        p.file, p.module
    ));
    let header_lines = header.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #l])
    });
    let service = service(p);
    let client = client(p);
    let enums = p.enums.iter().map(open_enum);
    let shapes = p.shapes.iter().map(shape);
    let lenient_shapes: Vec<Ident> = p.shapes.iter().map(|s| ident(&s.rust_name)).collect();
    let lenient = if lenient_shapes.is_empty() {
        quote!()
    } else {
        quote!(acs_runtime::lenient_via_serde!(#(#lenient_shapes),*);)
    };
    let wrappers = wrapper_keys(p);
    // Import only what the module names, so that no spec leaves an unused import behind: every
    // request validates (`BuildError`) and writes itself (`Params`), as does every shape sent in
    // a request, and any parameter names where it travels (`Location`).
    let request_shapes = p.shapes.iter().any(|s| s.in_request);
    let requests = !p.operations.is_empty() || request_shapes;
    let located = request_shapes || p.operations.iter().any(|op| !op.request.is_empty());
    let build_error = requests.then(|| {
        quote!(
            use acs_runtime::validate::BuildError;
        )
    });
    let location = located.then(|| {
        quote!(
            use acs_runtime::wire::Location;
        )
    });
    let params = requests.then(|| {
        quote!(
            use acs_runtime::wire::Params;
        )
    });
    quote! {
        #(#header_lines)*
        #build_error
        #location
        #params
        #service
        #client
        #(#enums)*
        #(#shapes)*
        #lenient
        #wrappers
    }
}

fn service(p: &Product) -> TokenStream {
    let code = &p.code;
    let version = &p.version;
    let opt = |o: &Option<String>| match o {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    };
    let regional = opt(&p.endpoint.regional);
    let central = opt(&p.endpoint.central);
    let central_regions = &p.endpoint.central_regions;
    let regions = p.endpoint.regions.iter().map(|(r, h)| quote!((#r, #h)));
    let networks = p.endpoint.networks.iter().map(|(n, h)| quote!((#n, #h)));
    let signature = match p.signature {
        Signature::V3 => quote!(acs_runtime::sign::SignatureVersion::V3),
        Signature::V2 => quote!(acs_runtime::sign::SignatureVersion::V2),
    };
    let doc = format!(
        " {} API {}: product code, version, endpoints and signature.",
        p.name, p.version
    );
    quote! {
        #[doc = #doc]
        pub static SERVICE: acs_runtime::Service = acs_runtime::Service {
            product: #code,
            version: #version,
            endpoint: acs_runtime::endpoint::EndpointRule {
                regional: #regional,
                central: #central,
                central_regions: &[#(#central_regions),*],
                regions: &[#(#regions),*],
                networks: &[#(#networks),*],
            },
            signature: #signature,
        };
    }
}

fn client(p: &Product) -> TokenStream {
    let doc = format!(
        " Client for {} ({}). Cheap to clone: clones share the connection pool and configuration.",
        p.name, p.code
    );
    let methods = p.operations.iter().map(|op| {
        let m = ident(&op.method_name);
        let fluent = format_ident!("{}FluentBuilder", op.type_prefix);
        let d = docs::attrs(&docs::operation(op));
        quote! {
            #d
            pub fn #m(&self) -> #fluent {
                #fluent::empty(self.inner.clone())
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: acs_runtime::Client,
        }

        impl Client {
            /// A client using `config`.
            pub fn new(config: acs_runtime::Config) -> Self {
                Self { inner: acs_runtime::Client::new(&SERVICE, config) }
            }

            /// A client configured from the environment: credentials from the default chain
            /// (environment, then `~/.aliyun/config.json`), region from `ALIBABA_CLOUD_REGION_ID`
            /// or the profile.
            pub async fn from_env() -> Result<Self, acs_runtime::client::ConfigError> {
                Ok(Self::new(acs_runtime::Config::from_env().await?))
            }

            /// The runtime client underneath, for its configuration.
            pub fn runtime(&self) -> &acs_runtime::Client {
                &self.inner
            }

            #(#methods)*
        }
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

        acs_runtime::open_enum!(#name { #(#pairs),* });
    }
}

/// Serde attributes of a field.
fn serde_attrs(f: &Field, is_request: bool) -> TokenStream {
    let wire = &f.wire_name;
    match &f.ty {
        Type::List(_) if empty_is_sent(f, is_request) => {
            quote!(#[serde(rename = #wire, default, deserialize_with = "acs_runtime::decode::opt_list", skip_serializing_if = "Option::is_none")])
        }
        Type::List(_) => match &f.wrapper {
            Some(w) => {
                let key = format_ident!("{}", super::wrapper_ident(w));
                let ser = format!("acs_runtime::decode::wrapped::<wrappers::{key}, _, _>");
                let de = format!("acs_runtime::decode::wrapped_list::<wrappers::{key}, _, _>");
                quote!(#[serde(rename = #wire, default, deserialize_with = #de, skip_serializing_if = "Vec::is_empty", serialize_with = #ser)])
            }
            None => {
                quote!(#[serde(rename = #wire, default, deserialize_with = "acs_runtime::decode::list", skip_serializing_if = "Vec::is_empty")])
            }
        },
        _ if is_request && f.required => {
            quote!(#[serde(rename = #wire, deserialize_with = "acs_runtime::decode::required")])
        }
        _ => {
            quote!(#[serde(rename = #wire, default, deserialize_with = "acs_runtime::decode::opt", skip_serializing_if = "Option::is_none")])
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

fn field_type(f: &Field, is_request: bool) -> TokenStream {
    let t = type_tokens(&f.ty);
    if f.boxed {
        return quote!(Option<Box<#t>>);
    }
    if empty_is_sent(f, is_request) {
        return quote!(Option<#t>);
    }
    match (&f.ty, is_request && f.required) {
        (Type::List(_), _) | (_, true) => t,
        _ => quote!(Option<#t>),
    }
}

fn struct_fields(fields: &[Field], is_request: bool) -> TokenStream {
    let fs = fields.iter().map(|f| {
        let d = docs::attrs(&docs::field(f, is_request));
        let s = serde_attrs(f, is_request);
        let n = ident(&f.rust_name);
        let t = field_type(f, is_request);
        quote! { #d #s pub #n: #t, }
    });
    quote!(#(#fs)*)
}

fn shape(s: &Shape) -> TokenStream {
    let name = ident(&s.rust_name);
    let doc = docs::attrs(&docs::text(
        s.description.as_deref().unwrap_or(&s.rust_name),
    ));
    let fields = struct_fields(&s.fields, false);
    let request_support = if s.in_request {
        let setters = s.fields.iter().map(|f| {
            let n = ident(&f.rust_name);
            let doc = format!(" Sets `{}`.", f.wire_name);
            match &f.ty {
                Type::List(item) => {
                    let it = type_tokens(item);
                    quote! {
                        #[doc = #doc]
                        pub fn #n(mut self, item: impl Into<#it>) -> Self {
                            self.#n.push(item.into());
                            self
                        }
                    }
                }
                t => {
                    let tt = type_tokens(t);
                    let tt = if f.boxed { quote!(Box<#tt>) } else { tt };
                    quote! {
                        #[doc = #doc]
                        pub fn #n(mut self, value: impl Into<#tt>) -> Self {
                            self.#n = Some(value.into());
                            self
                        }
                    }
                }
            }
        });
        let writes = s.fields.iter().map(|f| write_field(f, quote!(loc), true));
        let checks: Vec<TokenStream> = s
            .fields
            .iter()
            .map(|f| check_field(f, true))
            .filter(|t| !t.is_empty())
            .collect();
        let prefix_arg = if checks.is_empty() {
            quote!(_prefix)
        } else {
            quote!(prefix)
        };
        quote! {
            impl #name {
                /// An empty value, to fill with the setters below.
                pub fn new() -> Self {
                    Default::default()
                }
                #(#setters)*
            }

            impl acs_runtime::wire::FlatObject for #name {
                fn write_flat(&self, params: &mut Params, loc: Location, prefix: &str) {
                    #(#writes)*
                }
            }

            impl acs_runtime::validate::Validate for #name {
                fn validate(&self, #prefix_arg: &acs_runtime::validate::ParamName<'_>) -> Result<(), BuildError> {
                    #(#checks)*
                    Ok(())
                }
            }
        }
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #fields
        }
        #request_support
    }
}

fn wrapper_keys(p: &Product) -> TokenStream {
    let mut keys: Vec<&str> = p
        .operations
        .iter()
        .flat_map(|o| o.response.iter())
        .chain(p.shapes.iter().flat_map(|s| s.fields.iter()))
        .filter_map(|f| f.wrapper.as_deref())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        return quote!();
    }
    let items = keys.iter().map(|k| {
        let id = format_ident!("{}", super::wrapper_ident(k));
        quote! {
            pub struct #id;
            impl acs_runtime::decode::WrapperKey for #id {
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

/// The statement that writes one field's parameters. `in_shape` fields are named under `prefix`.
fn write_field(f: &Field, loc: TokenStream, in_shape: bool) -> TokenStream {
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

/// The checks of one field's limits; `?` on the first broken one.
fn check_field(f: &Field, in_shape: bool) -> TokenStream {
    let n = ident(&f.rust_name);
    let wire = &f.wire_name;
    // Names are `ParamName`s (or a plain `&str` at the top), written out only when a check fails.
    let name = if in_shape {
        quote!(prefix.field(#wire))
    } else {
        quote!(#wire)
    };
    let scalar_checks = |limits: &crate::model::Limits, value: TokenStream, name: TokenStream| {
        let mut out = Vec::new();
        if limits.min_length.is_some() || limits.max_length.is_some() {
            let (lo, hi) = (opt_len(limits.min_length), opt_len(limits.max_length));
            out.push(quote!(acs_runtime::validate::length(#name, #value, #lo, #hi)?;));
        }
        if limits.ascii {
            out.push(quote!(acs_runtime::validate::ascii(#name, #value)?;));
        }
        if limits.min.is_some() || limits.max.is_some() {
            let (lo, hi) = (opt_num(limits.min), opt_num(limits.max));
            out.push(quote!(acs_runtime::validate::range(#name, #value, #lo, #hi)?;));
        }
        out
    };
    let optional = in_shape || !f.required;
    match &f.ty {
        Type::List(item) => {
            let optional_list = empty_is_sent(f, !in_shape);
            let list = if optional_list {
                quote!(list)
            } else {
                quote!(self.#n)
            };
            let mut out = Vec::new();
            if f.limits.min_items.is_some() || f.limits.max_items.is_some() {
                let (lo, hi) = (opt_len(f.limits.min_items), opt_len(f.limits.max_items));
                out.push(quote!(acs_runtime::validate::items(#name, #list.len(), #lo, #hi)?;));
            }
            let item_name = if in_shape {
                quote!(prefix.field(#wire).item(i))
            } else {
                quote!(acs_runtime::validate::ParamName::Plain(#wire).item(i))
            };
            let per_item = scalar_checks(&f.item_limits, quote!(item), item_name.clone());
            let nested = matches!(**item, Type::Shape(_));
            if !per_item.is_empty() || nested {
                let nested_check = if nested {
                    quote!(acs_runtime::validate::Validate::validate(item, &#item_name)?;)
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
        Type::Shape(_) => {
            let shape_name = if in_shape {
                quote!(&prefix.field(#wire))
            } else {
                quote!(&acs_runtime::validate::ParamName::Plain(#wire))
            };
            if optional {
                quote! {
                    if let Some(value) = &self.#n {
                        acs_runtime::validate::Validate::validate(value, #shape_name)?;
                    }
                }
            } else {
                quote!(acs_runtime::validate::Validate::validate(&self.#n, #shape_name)?;)
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

/// Setters for a builder whose fields are all `Option`/`Vec`; `target` reaches the field.
/// The setters of a request's builder, each with the parameter's whole documentation (the
/// builder is what callers hover over, with or without a client).
fn setters(fields: &[Field]) -> TokenStream {
    let items = fields.iter().map(|f| {
        let n = ident(&f.rust_name);
        let set = format_ident!("set_{}", bare(&f.rust_name));
        let d = docs::attrs(&docs::field(f, true));
        match &f.ty {
            Type::List(item) => {
                let it = type_tokens(item);
                let add_doc = format!(" Appends one item to `{}`.", f.wire_name);
                let (set_doc, push, set_ty) = if empty_is_sent(f, true) {
                    (
                        format!(
                            " Sets or clears `{}`: `None` sends nothing, an empty list sends it empty.",
                            f.wire_name
                        ),
                        quote!(self.#n.get_or_insert_with(Vec::new).push(item.into());),
                        quote!(Option<Vec<#it>>),
                    )
                } else {
                    (
                        format!(
                            " Sets `{}` to these items; an empty list sends nothing.",
                            f.wire_name
                        ),
                        quote!(self.#n.push(item.into());),
                        quote!(Vec<#it>),
                    )
                };
                quote! {
                    #[doc = #add_doc]
                    #[doc = ""]
                    #d
                    pub fn #n(mut self, item: impl Into<#it>) -> Self {
                        #push
                        self
                    }
                    #[doc = #set_doc]
                    pub fn #set(mut self, items: #set_ty) -> Self {
                        self.#n = items;
                        self
                    }
                }
            }
            t => {
                let tt = type_tokens(t);
                let set_doc = format!(" Sets or clears `{}`.", f.wire_name);
                quote! {
                    #d
                    pub fn #n(mut self, value: impl Into<#tt>) -> Self {
                        self.#n = Some(value.into());
                        self
                    }
                    #[doc = #set_doc]
                    pub fn #set(mut self, value: Option<#tt>) -> Self {
                        self.#n = value;
                        self
                    }
                }
            }
        }
    });
    quote!(#(#items)*)
}

/// One operation's items: request, builder (which sends, given a client), response, error and
/// paginator.
pub fn operation(op: &Operation) -> TokenStream {
    let prefix = &op.type_prefix;
    let request = format_ident!("{prefix}Request");
    let builder = format_ident!("{prefix}RequestBuilder");
    let response = format_ident!("{prefix}Response");
    let error = format_ident!("{prefix}Error");
    let fluent = format_ident!("{prefix}FluentBuilder");
    let op_static = format_ident!(
        "{}",
        heck::ToShoutySnakeCase::to_shouty_snake_case(op.method_name.as_str())
    );
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

    // Request.
    let request_doc = docs::attrs(&format!(
        "Input of [`Client::{}`]: {}",
        op.method_name,
        docs::text(&op.title)
    ));
    let request_fields = struct_fields(&op.request, true);
    let builder_fields = op.request.iter().map(|f| {
        let n = ident(&f.rust_name);
        let t = match &f.ty {
            Type::List(_) if !empty_is_sent(f, true) => type_tokens(&f.ty),
            t => {
                let tt = type_tokens(t);
                quote!(Option<#tt>)
            }
        };
        quote!(#n: #t,)
    });
    let builder_setters = setters(&op.request);
    let moved_fields: Vec<TokenStream> = op
        .request
        .iter()
        .map(|f| {
            let n = ident(&f.rust_name);
            quote!(#n: self.#n,)
        })
        .collect();
    let no_fields = op.request.iter().map(|f| {
        let n = ident(&f.rust_name);
        quote!(#n: Default::default(),)
    });
    let build_fields = op.request.iter().map(|f| {
        let n = ident(&f.rust_name);
        let wire = &f.wire_name;
        if f.required && !matches!(f.ty, Type::List(_)) {
            quote!(#n: self.#n.ok_or_else(|| BuildError::missing(#wire))?,)
        } else {
            quote!(#n: self.#n,)
        }
    });
    let required_lists = op
        .request
        .iter()
        .filter(|f| f.required && matches!(f.ty, Type::List(_)))
        .map(|f| {
            let n = ident(&f.rust_name);
            let wire = &f.wire_name;
            let list = if empty_is_sent(f, true) {
                quote!(request.#n.as_deref().unwrap_or_default())
            } else {
                quote!(request.#n)
            };
            quote! {
                if #list.is_empty() {
                    return Err(BuildError::missing(#wire));
                }
            }
        });
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
        };
        write_field(f, loc, false)
    });

    // Response.
    let response_doc = docs::attrs(&format!(
        "Output of [`Client::{}`].{}",
        op.method_name,
        op.response_description
            .as_deref()
            .map(|d| format!("\n\n{}", docs::text(d)))
            .unwrap_or_default()
    ));
    let response_fields = struct_fields(&op.response, false);

    // Errors.
    let error_enum = error_type(op, &error);

    // Paging.
    let paging = op.paging.as_ref().map(|p| {
        let number = ident(&p.page_number);
        let size = ident(&p.page_size);
        let items = ident(&p.items);
        let item_ty = type_tokens(&p.item_type);
        let number_ty = op.request.iter().find(|f| f.rust_name == p.page_number).map(|f| f.ty.clone());
        let size_ty = op.request.iter().find(|f| f.rust_name == p.page_size).map(|f| f.ty.clone());
        let get = |t: Option<Type>, n: &Ident| match t {
            Some(Type::Scalar(ScalarType::Integer)) => quote!(self.#n.map(i64::from)),
            _ => quote!(self.#n),
        };
        let set = match number_ty.clone() {
            Some(Type::Scalar(ScalarType::Integer)) => quote!(self.#number = Some(i32::try_from(page).unwrap_or(i32::MAX));),
            _ => quote!(self.#number = Some(page);),
        };
        let get_number = get(number_ty, &number);
        let get_size = get(size_ty, &size);
        // A count in the response, as an `i64`, whatever type the page gives it.
        let count = |f: &Field| {
            let id = ident(&f.rust_name);
            match f.ty {
                Type::Scalar(ScalarType::String) => quote!(self.#id.as_deref().and_then(|s| s.trim().parse().ok())),
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
        let size_wire = op.request.iter().find(|f| f.rust_name == p.page_size).map(|f| &f.wire_name);
        let applied_size = op
            .response
            .iter()
            .find(|f| Some(&f.wire_name) == size_wire && matches!(f.ty, Type::Scalar(ScalarType::String | ScalarType::Integer | ScalarType::Long)))
            .map(|f| {
                let value = count(f);
                quote! {
                    fn page_size(&self) -> Option<i64> {
                        #value
                    }
                }
            });
        quote! {
            impl acs_runtime::paginate::PagedRequest for #request {
                fn page_number(&self) -> Option<i64> {
                    #get_number
                }
                fn set_page_number(&mut self, page: i64) {
                    #set
                }
                fn page_size(&self) -> Option<i64> {
                    #get_size
                }
            }

            impl acs_runtime::paginate::PagedResponse for #response {
                type Item = #item_ty;
                fn total_count(&self) -> Option<i64> {
                    #total
                }
                #applied_size
                fn items(&self) -> &[Self::Item] {
                    &self.#items
                }
                fn into_items(self) -> Vec<Self::Item> {
                    self.#items
                }
            }

            impl #fluent {
                /// Pages through every result, starting at this request's page number: a
                /// `Stream` of pages (`.pages()`) or of items (`.items()`).
                pub fn into_paginator(self) -> acs_runtime::paginate::Paginator<#request, #response, #error> {
                    let (client, builder) = self.into_parts();
                    acs_runtime::paginate::Paginator::new(client, &#op_static, builder.build())
                }
            }
        }
    });
    let fluent_doc = format!(
        " A [`{builder}`] from [`Client::{}`]: set parameters, then call `send`.",
        op.method_name
    );
    let builder_doc = docs::attrs(&format!(
        "Builder of [`{request}`]: required parameters and limits are checked by `build`.\n\n\
         `C` is the client it sends with: none (`()`) from [`{request}::builder`], or the one\n\
         [`Client::{}`] gives ([`{fluent}`]), which adds `send`.",
        op.method_name
    ));
    quote! {
        #[doc = #op_doc]
        pub static #op_static: acs_runtime::Operation = acs_runtime::Operation {
            action: #action,
            method: #method,
            idempotency_token: #token,
        };

        #request_doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #request {
            #request_fields
        }

        impl #request {
            /// A builder for this request.
            pub fn builder() -> #builder {
                Default::default()
            }

            /// Checks the documented limits; `build` and `send` call this.
            pub fn validate(&self) -> Result<(), BuildError> {
                #(#checks)*
                Ok(())
            }
        }

        impl acs_runtime::wire::WriteParams for #request {
            fn write_params(&self, #params_arg: &mut Params) {
                #(#writes)*
            }
        }

        #builder_doc
        #[derive(Debug, Clone, PartialEq)]
        pub struct #builder<C = ()> {
            client: C,
            #(#builder_fields)*
        }

        // By hand rather than derived: one impl, for the builder without a client, lets
        // `Default::default()` and `::default()` infer it.
        impl Default for #builder {
            fn default() -> Self {
                Self::empty(())
            }
        }

        #[doc = #fluent_doc]
        pub type #fluent = #builder<acs_runtime::Client>;

        impl<C> #builder<C> {
            #builder_setters

            /// The request, once its required parameters are set and every limit holds.
            pub fn build(self) -> Result<#request, BuildError> {
                let request = #request {
                    #(#build_fields)*
                };
                #(#required_lists)*
                request.validate()?;
                Ok(request)
            }

            /// A builder with no parameter set, sending with `client`.
            fn empty(client: C) -> Self {
                #builder {
                    client,
                    #(#no_fields)*
                }
            }

            /// The client, and the parameters in a builder without one.
            fn into_parts(self) -> (C, #builder) {
                (self.client, #builder { client: (), #(#moved_fields)* })
            }
        }

        #response_doc
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #response {
            #response_fields
            #[serde(skip)]
            meta: acs_runtime::ResponseMeta,
        }

        impl #response {
            /// HTTP status, request id, the raw body, and any field that arrived in a form its
            /// declared type could not hold.
            pub fn meta(&self) -> &acs_runtime::ResponseMeta {
                &self.meta
            }
        }

        impl acs_runtime::OperationOutput for #response {
            fn set_meta(&mut self, meta: acs_runtime::ResponseMeta) {
                self.meta = meta;
            }
        }

        #error_enum

        impl #fluent {
            /// Checks the parameters, signs and sends the request, retrying as the client's
            /// retry policy allows.
            pub async fn send(self) -> Result<#response, acs_runtime::SdkError<#error>> {
                let (client, builder) = self.into_parts();
                let request = builder.build().map_err(acs_runtime::SdkError::Build)?;
                client.invoke(&#op_static, &request).await
            }
        }

        #paging
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
