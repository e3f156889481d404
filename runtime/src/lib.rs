//! Runtime support for the generated Alibaba Cloud SDK: a crate per product (`acs-ecs`, ...).
//!
//! The generated code is thin: it declares its operations as data ([`Service`], [`Operation`]),
//! writes its parameters through [`wire::Params`], decodes responses with [`decode`] and sends
//! everything through [`Client`]. Nothing here knows any one product. What only generated code
//! calls (field-by-field decoding, the checks `build()` runs, the macros) is apart, in a hidden
//! module, `codegen`, that is not part of the API.
//!
//! A call's road through the crate: the builder's checks ([`validate::BuildError`]), the parameters on the
//! wire ([`wire`]), credentials ([`credentials`]) and a signature per attempt ([`sign`]), the
//! host ([`endpoint`]), the exchange with its timeouts and retries ([`Client`], [`http`],
//! [`retry`], [`TimeoutConfig`]), then the answer decoded ([`decode`]) or turned into an error
//! ([`error`]). [`Config`] gathers what a client needs besides the product. Every rule that keeps
//! a secret out of errors, `Debug` output and logs lives in one private module, `redact`.

#[cfg(feature = "blocking")]
pub mod blocking;
pub mod catalog;
pub mod client;
#[doc(hidden)]
pub mod codegen;
mod config;
pub mod credentials;
pub mod decode;
pub mod endpoint;
pub mod error;
pub mod http;
pub mod paginate;
mod redact;
pub mod retry;
pub mod send;
pub mod service;
pub mod sign;
#[doc(hidden)]
pub mod test_oracle;
pub mod timeout;
pub mod token_paging;
pub mod validate;
pub mod wire;

pub use client::{Client, Config, ConfigBuilder};
pub use error::{OperationError, SdkError, ServiceError};
pub use send::{Request, Sender};
pub use service::{Operation, OperationOutput, ResponseMeta, Service};
pub use timeout::TimeoutConfig;

/// Any JSON value: what a field of spec type `json` holds, a value whose shape the API does not
/// fix (a list of free-form objects, a query that holds sub-queries). A response field of this
/// type keeps whatever the service sent, whole; a request parameter of it is sent as one compact
/// JSON text (`Name={"a":1}`). It is `serde_json::Value`: build one with `serde_json::json!`, or
/// from text with `str::parse`.
pub use serde_json::Value as JsonValue;
