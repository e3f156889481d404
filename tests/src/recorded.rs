//! What the server saw of each request, for tests to inspect afterwards.

use bytes::Bytes;

use crate::fault::Fault;
use crate::signature::v3::RequestParts;

/// One request as it arrived, and what the gateway made of it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The `RequestId` the server gave its answer (also in `x-acs-request-id`).
    pub request_id: String,
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// Path, e.g. `/`.
    pub path: String,
    /// The query string exactly as sent, without the `?`; empty when there was none.
    pub raw_query: String,
    /// Query parameters, percent-decoded (`+` read as a space, as the gateway does), in order.
    pub query: Vec<(String, String)>,
    /// Parameters of an `application/x-www-form-urlencoded` body, decoded, in order; empty for
    /// any other body.
    pub form: Vec<(String, String)>,
    /// Header names (lower-case) and values (lossily decoded as UTF-8), in arrival order.
    pub headers: Vec<(String, String)>,
    /// The body bytes exactly as received.
    pub body: Bytes,
    /// The action: `x-acs-action` for a V3 request, else the `Action` parameter.
    pub action: Option<String>,
    /// The API version: `x-acs-version` for a V3 request, else the `Version` parameter.
    pub version: Option<String>,
    /// Which signature the request carried.
    pub signature: SignatureKind,
    /// Whether the gateway accepted it, and if not, why.
    pub verdict: Verdict,
    /// The injected fault this request consumed, if any.
    pub fault: Option<Fault>,
}

impl RecordedRequest {
    /// Whether the request passed every gateway check (signature, AccessKey, date, nonce).
    pub fn verified(&self) -> bool {
        matches!(self.verdict, Verdict::Verified)
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(candidate, _)| candidate.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The first value of parameter `name` in the query, else in the form body. Names are
    /// case-sensitive, as on the wire.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .chain(self.form.iter())
            .find(|(candidate, _)| candidate == name)
            .map(|(_, value)| value.as_str())
    }

    /// Query and form parameters together, query first: what a V2 signature covers.
    pub fn params(&self) -> Vec<(String, String)> {
        self.query.iter().chain(self.form.iter()).cloned().collect()
    }

    /// The request as the V3 verifier sees it, to re-run [`crate::signature::v3`] by hand.
    pub fn parts(&self) -> RequestParts<'_> {
        RequestParts {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            headers: &self.headers,
            body: &self.body,
        }
    }
}

/// The signature a request carried, judged by its shape before any check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureKind {
    /// `Authorization: ACS3-HMAC-SHA256 ...`.
    V3 {
        /// The AccessKey ID from `Credential=`, when the header could be parsed.
        access_key_id: Option<String>,
        /// The names from `SignedHeaders=`, when the header could be parsed.
        signed_headers: Vec<String>,
    },
    /// RPC `Signature`/`AccessKeyId` parameters (HMAC-SHA1).
    V2 {
        /// The `AccessKeyId` parameter.
        access_key_id: Option<String>,
    },
    /// Neither.
    Unsigned,
}

/// The gateway's judgement of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every check passed; the request reached its action's response (or an injected fault).
    Verified,
    /// A check failed; the server answered with this error.
    Rejected(Rejection),
}

/// An error the gateway answered with instead of the action's response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// HTTP status, e.g. 400.
    pub status: u16,
    /// Alibaba's error code, e.g. `SignatureDoesNotMatch`.
    pub code: String,
    /// The `Message` sent back.
    pub message: String,
}

impl Rejection {
    pub(crate) fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }
}
