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
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::{
    SignedRequest, SigningContext, SigningRequest, format_timestamp, hmac_sha1, redact_query,
};
use crate::wire::{self, Sink};

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
            .chain(request.form.iter())
            .any(|(existing, _)| existing == name)
    };
    common.retain(|(name, _)| !carried(name));
    common
}

/// The pairs the signature covers (query, form and common parameters), sorted by name.
fn signed_pairs<'a>(
    request: &SigningRequest<'a>,
    common: &'a [(&'static str, String)],
) -> Vec<(&'a str, &'a str)> {
    wire::sorted_pairs(
        request
            .query
            .iter()
            .chain(request.form.iter())
            .chain(common.iter().map(|(name, value)| (*name, value.as_str()))),
    )
}

/// The string to sign up to the canonical query: method `&` encode(path) `&`.
fn write_string_to_sign_head(method: &str, path: &str, sink: &mut impl Sink) {
    let mut encoded_path = Vec::with_capacity(path.len());
    wire::encode_to(path, &mut encoded_path);
    sink.put(method.as_bytes());
    sink.put(b"&");
    sink.put(&encoded_path);
    sink.put(b"&");
}

/// The canonical query is encoded again and handed to the MAC in pieces of at least this many
/// bytes, while they are still in cache (see the V3 signer's `HASH_PIECE`).
const MAC_PIECE: usize = 1024;

/// The canonical query the signature covers (query, form and common parameters), as text.
pub fn canonical_query(request: &SigningRequest<'_>, context: &SigningContext<'_>) -> String {
    let common = common_parameters(request, context);
    let sorted = signed_pairs(request, &common);
    let mut out = Vec::with_capacity(wire::encoded_capacity(&sorted));
    wire::encode_sorted(&sorted, &mut out, |_| {});
    wire::into_text(out)
}

/// The string to sign, as text.
pub fn string_to_sign(request: &SigningRequest<'_>, context: &SigningContext<'_>) -> String {
    let mut text = Vec::new();
    write_string_to_sign_head(request.method, request.path, &mut text);
    wire::encode_to(&canonical_query(request, context), &mut text);
    wire::into_text(text)
}

/// The name the signature goes under in the query.
const SIGNATURE_PARAMETER: &str = "Signature";

/// Signs the request.
///
/// The canonical query is encoded once: each piece is encoded a second time into the MAC as soon
/// as it is written, and when no parameter travels in a form body (so the query sent holds the
/// same parameters) the query sent is the canonical one with `Signature` put in its sorted place.
pub fn sign(request: &SigningRequest<'_>, context: &SigningContext<'_>) -> V2Signature {
    let common = common_parameters(request, context);
    let sorted = signed_pairs(request, &common);

    let mut key = String::with_capacity(context.credentials.access_key_secret().len() + 1);
    key.push_str(context.credentials.access_key_secret());
    key.push('&');
    let mut mac = hmac_sha1(key.as_bytes());
    write_string_to_sign_head(request.method, request.path, &mut mac);

    // `Signature` joins the query after every parameter whose name sorts before it or equals
    // it, as a stable sort of the query with `Signature` last would put it.
    let signature_at = sorted.partition_point(|(name, _)| *name <= SIGNATURE_PARAMETER);
    // Room for `&Signature=` and 28 base64 characters, each of which may grow to three.
    let mut canonical = Vec::with_capacity(wire::encoded_capacity(&sorted) + 96);
    let mut signature_offset = 0;
    let mut written = 0;
    let mut fed = 0;
    let mut again = Vec::new();
    let mut feed = |text: &[u8], mac: &mut Hmac<Sha1>| {
        again.clear();
        wire::encode_bytes_to(text, &mut again);
        mac.update(&again);
    };
    wire::encode_sorted(&sorted, &mut canonical, |text| {
        written += 1;
        if written == signature_at {
            signature_offset = text.len();
        }
        if text.len() - fed >= MAC_PIECE {
            feed(text.get(fed..).unwrap_or_default(), &mut mac);
            fed = text.len();
        }
    });
    feed(canonical.get(fed..).unwrap_or_default(), &mut mac);
    let signature = BASE64.encode(mac.finalize().into_bytes());

    let query = if request.form.is_empty() {
        let mut pair = String::with_capacity(96);
        if signature_at > 0 {
            pair.push('&');
        }
        pair.push_str(SIGNATURE_PARAMETER);
        pair.push('=');
        wire::percent_encode_into(&signature, &mut pair);
        if signature_at == 0 && !canonical.is_empty() {
            pair.push('&');
        }
        let mut canonical = wire::into_text(canonical);
        canonical.insert_str(signature_offset, &pair);
        canonical
    } else {
        // The form's parameters are signed but not sent in the query.
        wire::canonical_query_of(
            request
                .query
                .iter()
                .chain(common.iter().map(|(name, value)| (*name, value.as_str())))
                .chain(std::iter::once((SIGNATURE_PARAMETER, signature.as_str()))),
        )
    };
    V2Signature { query, signature }
}
