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
    /// The operation only reads (a `Describe*` or `List*` call): sending it twice changes nothing.
    pub read_only: bool,
    /// The operation is called without a signature or credentials (STS AssumeRoleWithSAML and
    /// AssumeRoleWithOIDC, whose proof is a parameter): sent with the V3 headers but no
    /// `Authorization`, and no credentials are asked for.
    pub anonymous: bool,
}

impl Operation {
    /// Whether the client may send this operation again after a failure that may have reached
    /// the service (a timeout, a connection dropped after the request went out): it only reads,
    /// or it carries an idempotency token (the same on every attempt), so the service does its
    /// work at most once. Any other operation is retried only when its request cannot have
    /// reached the service, or the service turned it away unprocessed (throttling,
    /// [`ServiceError::is_refused_unprocessed`](crate::ServiceError::is_refused_unprocessed)).
    pub fn is_safe_to_repeat(&self) -> bool {
        self.read_only || self.idempotency_token.is_some()
    }
}

/// What every operation's response type offers the client after decoding.
pub trait OperationOutput: Default {
    /// Attaches what the client knows about the HTTP exchange and the decoding.
    fn set_meta(&mut self, meta: ResponseMeta);
}

/// Facts about one response that are not part of its documented body.
///
/// Its `Debug` shows the raw body by its length: a response printed with `{:?}` shows its fields,
/// not the megabyte it was decoded from.
#[derive(Clone, Default, PartialEq)]
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

impl std::fmt::Debug for ResponseMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseMeta")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("anomalies", &self.anomalies)
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_the_body_by_its_length() {
        let meta = ResponseMeta {
            status: 200,
            request_id: Some("R1".into()),
            anomalies: Vec::new(),
            body: Bytes::from_static(br#"{"RequestId":"R1","Images":{"Image":[]}}"#),
        };
        let shown = format!("{meta:?}");
        assert!(shown.contains("<40 bytes>"), "{shown}");
        assert!(!shown.contains("Images"), "{shown}");
    }
}
