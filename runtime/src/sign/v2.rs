//! The RPC signature (V2): HMAC-SHA1 over the sorted parameters.
//!
//! The request's query and form parameters plus the common ones (`Format`, `Version`,
//! `AccessKeyId`, `SignatureMethod`, `Timestamp`, `SignatureVersion`, `SignatureNonce`, `Action`
//! and, with STS credentials, `SecurityToken`) are sorted and encoded into the canonical query.
//! String to sign = method `&` encode(path) `&` encode(canonical query). `Signature` = base64
//! HMAC-SHA1 keyed with the secret followed by `&`. The signature and the common parameters go
//! in the query; form parameters stay in the body.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::Mac;
use percent_encoding::utf8_percent_encode;

use super::{
    SignedRequest, SigningContext, SigningRequest, TextSink, format_timestamp, hmac_sha1,
    redact_query,
};
use crate::wire::{self, RFC3986_ESCAPED};

/// The `SignatureMethod` value.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The `SignatureVersion` value.
pub const SIGNATURE_VERSION: &str = "1.0";
/// The `Format` asked for: the SDK decodes JSON.
pub const FORMAT: &str = "JSON";

/// The V2 signature of one request. Its `Debug` redacts the security token.
#[derive(Clone, PartialEq, Eq)]
pub struct V2Signature {
    /// The query to send: the request's query, the common parameters and `Signature`, encoded
    /// and sorted.
    pub query: String,
    /// Base64 HMAC-SHA1 of the string to sign.
    pub signature: String,
}

impl fmt::Debug for V2Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("V2Signature")
            .field("query", &redact_query(&self.query))
            .field("signature", &self.signature)
            .finish()
    }
}

impl V2Signature {
    pub(super) fn into_signed_request(self) -> SignedRequest {
        SignedRequest {
            query: self.query,
            headers: Vec::new(),
        }
    }
}

/// The common parameters, except those the request already carries: a caller's own `Format`
/// (say `XML`) is kept and signed as given.
fn common_parameters(
    request: &SigningRequest<'_>,
    context: &SigningContext<'_>,
) -> Vec<(&'static str, String)> {
    let mut common = vec![
        ("Format", FORMAT.to_owned()),
        ("Version", context.version.to_owned()),
        (
            "AccessKeyId",
            context.credentials.access_key_id().to_owned(),
        ),
        ("SignatureMethod", SIGNATURE_METHOD.to_owned()),
        ("Timestamp", format_timestamp(context.date)),
        ("SignatureVersion", SIGNATURE_VERSION.to_owned()),
        ("SignatureNonce", context.nonce.to_owned()),
        ("Action", context.action.to_owned()),
    ];
    if let Some(token) = context.credentials.security_token() {
        common.push(("SecurityToken", token.to_owned()));
    }
    let carried = |name: &str| {
        request
            .query
            .iter()
            .chain(request.form)
            .any(|(existing, _)| existing == name)
    };
    common.retain(|(name, _)| !carried(name));
    common
}

fn signed_canonical_query(
    request: &SigningRequest<'_>,
    common: &[(&'static str, String)],
) -> String {
    wire::canonical_query_of(
        request
            .query
            .iter()
            .chain(request.form)
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .chain(common.iter().map(|(name, value)| (*name, value.as_str()))),
    )
}

fn write_string_to_sign(method: &str, path: &str, canonical: &str, sink: &mut impl TextSink) {
    sink.put(method);
    sink.put("&");
    for chunk in utf8_percent_encode(path, RFC3986_ESCAPED) {
        sink.put(chunk);
    }
    sink.put("&");
    for chunk in utf8_percent_encode(canonical, RFC3986_ESCAPED) {
        sink.put(chunk);
    }
}

/// The canonical query the signature covers (query, form and common parameters), as text.
pub fn canonical_query(request: &SigningRequest<'_>, context: &SigningContext<'_>) -> String {
    signed_canonical_query(request, &common_parameters(request, context))
}

/// The string to sign, as text.
pub fn string_to_sign(request: &SigningRequest<'_>, context: &SigningContext<'_>) -> String {
    let mut text = String::new();
    write_string_to_sign(
        request.method,
        request.path,
        &canonical_query(request, context),
        &mut text,
    );
    text
}

/// Signs the request.
pub fn sign(request: &SigningRequest<'_>, context: &SigningContext<'_>) -> V2Signature {
    let common = common_parameters(request, context);
    let canonical = signed_canonical_query(request, &common);

    let mut key = String::with_capacity(context.credentials.access_key_secret().len() + 1);
    key.push_str(context.credentials.access_key_secret());
    key.push('&');
    let mut mac = hmac_sha1(key.as_bytes());
    write_string_to_sign(request.method, request.path, &canonical, &mut mac);
    let signature = BASE64.encode(mac.finalize().into_bytes());

    let query = wire::canonical_query_of(
        request
            .query
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .chain(common.iter().map(|(name, value)| (*name, value.as_str())))
            .chain(std::iter::once(("Signature", signature.as_str()))),
    );
    V2Signature { query, signature }
}
