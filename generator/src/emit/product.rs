//! A product crate's `src/lib.rs`: service descriptor, client, and the re-exports of its types
//! and operations.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs;
use super::fields::ident;
use crate::model::{Product, Signature};

/// A product crate's `src/lib.rs`: its documentation, service, client, and the re-exports that
/// put every type of its operations' files and of `types.rs` at `acs_<module>::Name`.
pub fn module(p: &Product) -> TokenStream {
    let mut header = format!("{} ({}), API version {}.", p.name, p.code, p.version);
    if let Some(d) = &p.description {
        header.push_str("\n\n");
        header.push_str(&docs::text(d));
    }
    header.push_str(&format!(
        "\n\nGenerated from `{file}`. Start with [`Client`]:\n\n\
         ```toml\n\
         [dependencies]\n\
         {package} = \"0.1\"\n\
         ```\n\n\
         The `blocking` feature adds a `BlockingClient`, for programs without an async runtime.\n\n\
         Errors are typed per operation: `SdkError::Service` holds the operation's error enum, with a\n\
         variant per documented code and `Unhandled` for the rest. A request value (built ahead,\n\
         stored, or loaded from JSON) is sent with `client.send(request)`, checked as the builder's\n\
         `send` checks it.",
        file = p.file,
        package = super::package_name(p),
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
    let catalog = super::catalog::module_item();
    quote! {
        #(#header_lines)*
        #![forbid(unsafe_code)]

        pub use acs_runtime::{Config, ConfigBuilder, SdkError, ServiceError};

        #service
        #client
        #types
        #(#operations)*

        #catalog
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
        let builder = format_ident!("{}RequestBuilder", op.type_prefix);
        let d = docs::attrs(&docs::operation(p, op));
        let dep = super::deprecated_attr(op.deprecated.as_ref());
        quote! {
            #d
            #dep
            pub fn #m(&self) -> #builder<C> {
                #builder::empty(self.inner.clone())
            }
        }
    });
    let blocking_doc = format!(
        " Blocking client for {} ({}): the same operations, each `send` returning the response\n \
         and each paginator an `Iterator`. It works on any thread that may block (`spawn_blocking`\n \
         included); called on a thread running async code, it sends nothing and answers\n \
         `SdkError::BlockingInAsyncContext`.",
        p.name, p.code
    );
    let blocking_doc = blocking_doc.lines().map(|l| quote!(#[doc = #l]));
    quote! {
        #[doc = #doc]
        ///
        /// `C` sends the requests: the async runtime client by default, the blocking one in
        /// `BlockingClient` (feature `blocking`).
        #[derive(Debug, Clone)]
        pub struct Client<C = acs_runtime::Client> {
            inner: C,
        }

        #(#blocking_doc)*
        #[cfg(feature = "blocking")]
        pub type BlockingClient = Client<acs_runtime::blocking::Client>;

        impl Client {
            /// A client using `config`.
            pub fn new(config: acs_runtime::Config) -> Self {
                Self { inner: acs_runtime::Client::new(&SERVICE, config) }
            }

            /// A client configured from the environment: credentials from the default chain
            /// (environment variables, an OIDC role (RRSA), the CLI profile, the ECS instance's
            /// RAM role, a credentials URI; see [`acs_runtime::credentials`]), region from
            /// `ALIBABA_CLOUD_REGION_ID` or the profile.
            pub async fn from_env() -> Result<Self, acs_runtime::client::ConfigError> {
                Ok(Self::new(acs_runtime::Config::from_env().await?))
            }
        }

        #[cfg(feature = "blocking")]
        impl BlockingClient {
            /// A blocking client using `config`.
            pub fn with_config(config: acs_runtime::Config) -> Result<Self, acs_runtime::blocking::StartError> {
                Ok(Self { inner: acs_runtime::blocking::Client::new(&SERVICE, config)? })
            }

            /// A blocking client configured from the environment, as [`Client::from_env`] is.
            pub fn from_env_blocking() -> Result<Self, acs_runtime::blocking::StartError> {
                Ok(Self { inner: acs_runtime::blocking::Client::from_env(&SERVICE)? })
            }
        }

        impl<C: acs_runtime::Sender> Client<C> {
            /// The configuration this client sends with: credentials, region, endpoint, retries
            /// and timeouts. A client for another product, or with other limits, starts from it
            /// (`ecs::Client::new(client.config().with_timeouts(limits))`).
            pub fn config(&self) -> &acs_runtime::Config {
                self.inner.runtime_client().config()
            }

            /// Sends a request value (built, or loaded from JSON), checking it first exactly as
            /// its builder's `send` does.
            pub fn send<R: acs_runtime::Request<Client = Client>>(&self, request: R) -> C::Sent<R> {
                self.inner.clone().send_request(request)
            }

            #(#methods)*
        }
    }
}
