//! A product's `mod.rs`: service descriptor, client, and the re-exports of its types and
//! operations.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::fields::ident;
use crate::model::{Product, Signature};

/// A product's `mod.rs`: its documentation, service, client, and the re-exports that put every
/// type of its operations' files and of `types.rs` at `acs_sdk::<module>::Name`.
pub fn module(p: &Product) -> TokenStream {
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
    let types = super::shapes::has_types(p).then(|| {
        quote! {
            mod types;
            pub use types::*;
        }
    });
    let operations = p.operations.iter().map(|op| {
        let file = ident(&op.method_name);
        let prefix = &op.type_prefix;
        let names = [
            "Request",
            "RequestBuilder",
            "FluentBuilder",
            "Response",
            "Error",
        ]
        .iter()
        .map(|suffix| format_ident!("{prefix}{suffix}"));
        let op_static = super::operation::static_ident(op);
        quote! {
            mod #file;
            pub use #file::{#op_static, #(#names),*};
        }
    });
    quote! {
        #(#header_lines)*
        #service
        #client
        #types
        #(#operations)*
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
        let dep = super::deprecated_attr(op.deprecated.as_ref());
        quote! {
            #d
            #dep
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
