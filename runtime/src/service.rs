//! Static descriptions of products and operations, emitted by the generator as data.

use bytes::Bytes;

use crate::decode::Anomaly;
use crate::endpoint::EndpointRule;
use crate::sign::SignatureVersion;

/// A product and API version: everything the client needs to reach it.
#[derive(Debug)]
pub struct Service {
    /// Product code as in Alibaba's endpoint metadata (`Ecs`, `SWAS-OPEN`).
    pub product: &'static str,
    /// API version sent as `x-acs-version` / `Version` (`2014-05-26`).
    pub version: &'static str,
    /// How a region turns into a host.
    pub endpoint: EndpointRule,
    /// The signature the product takes unless the caller's config overrides it.
    pub signature: SignatureVersion,
}

/// One API operation of a [`Service`].
#[derive(Debug)]
pub struct Operation {
    /// The `Action` (`DescribeImages`).
    pub action: &'static str,
    /// The HTTP method the SDK sends (`POST` or `GET`).
    pub method: &'static str,
    /// The wire name of a client token parameter, filled once per logical call when the caller
    /// left it empty, so that retries never do the work twice.
    pub idempotency_token: Option<&'static str>,
}

/// What every operation's response type offers the client after decoding.
pub trait OperationOutput: Default {
    /// Attaches what the client knows about the HTTP exchange and the decoding.
    fn set_meta(&mut self, meta: ResponseMeta);
}

/// Facts about one response that are not part of its documented body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseMeta {
    /// HTTP status of the response.
    pub status: u16,
    /// `RequestId` of the response body, when there is one.
    pub request_id: Option<String>,
    /// Fields that arrived in a form the declared type cannot hold: left empty in the typed
    /// response, kept here with their path and raw value.
    pub anomalies: Vec<Anomaly>,
    /// The raw response body.
    pub body: Bytes,
}
