//! ACS3-HMAC-SHA256, the V3 signature.
//!
//! Canonical request = method `\n` path `\n` canonical query `\n` canonical headers (each
//! `name:value\n`, names lower case and sorted) `\n` signed header names joined by `;` `\n` hex
//! SHA-256 of the body. String to sign = `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical
//! request. Signature = hex HMAC-SHA256(secret, string to sign).
//!
//! [`sign`] hashes the canonical request as it writes it, without building it; the texts are
//! built only by [`canonical_request`] and [`string_to_sign`], for tests and debugging.

use std::fmt;

use hmac::Mac;
use sha2::{Digest, Sha256};

use super::{
    RedactedHeaders, SignedRequest, SigningContext, SigningRequest, TextSink, format_timestamp,
    hmac_sha256,
};
use crate::wire;

/// The algorithm name, first line of the string to sign and of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The V3 signature of one request. Its `Debug` redacts the security token.
#[derive(Clone, PartialEq, Eq)]
pub struct V3Signature {
    /// The canonical query string, also the one to send.
    pub query: String,
    /// The `x-acs-*` headers the signature added (not `host`, not the caller's own).
    pub headers: Vec<(&'static str, String)>,
    /// The signed header names, sorted and joined by `;`.
    pub signed_headers: String,
    /// Hex HMAC-SHA256 of the string to sign.
    pub signature: String,
    /// The `Authorization` header value.
    pub authorization: String,
}

impl fmt::Debug for V3Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("V3Signature")
            .field("query", &self.query)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("signed_headers", &self.signed_headers)
            .field("signature", &self.signature)
            .field("authorization", &self.authorization)
            .finish()
    }
}

impl V3Signature {
    pub(super) fn into_signed_request(self) -> SignedRequest {
        let mut headers = self.headers;
        headers.push(("authorization", self.authorization));
        SignedRequest {
            query: self.query,
            headers,
        }
    }
}

/// The parts of the canonical request that are computed before it is written.
struct Prepared<'a> {
    query: String,
    added: Vec<(&'static str, String)>,
    /// The caller's extra headers, names lower-cased.
    extra: Vec<(String, &'a str)>,
    payload_hash: String,
}

impl<'a> Prepared<'a> {
    fn new(request: &SigningRequest<'a>, context: &SigningContext<'_>) -> Self {
        // `{:x}` on the digest array writes from a stack buffer; `hex::encode` went char by char and
        // was a fifth of the signing time.
        let payload_hash = format!("{:x}", Sha256::digest(request.body));
        let mut added = vec![
            ("x-acs-action", context.action.to_owned()),
            ("x-acs-version", context.version.to_owned()),
            ("x-acs-date", format_timestamp(context.date)),
            ("x-acs-signature-nonce", context.nonce.to_owned()),
            ("x-acs-content-sha256", payload_hash.clone()),
        ];
        if let Some(token) = context.credentials.security_token() {
            added.push(("x-acs-security-token", token.to_owned()));
        }
        let extra = request
            .headers
            .iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), *value))
            .collect();
        Prepared {
            query: wire::canonical_query(request.query),
            added,
            extra,
            payload_hash,
        }
    }

    /// Every signed header as `(lower-case name, trimmed value)`, sorted by name then value (the
    /// order in which repeated names join their values).
    fn sorted_headers<'s>(&'s self, host: &'s str) -> Vec<(&'s str, &'s str)> {
        let mut all: Vec<(&str, &str)> =
            Vec::with_capacity(1 + self.added.len() + self.extra.len());
        all.push(("host", host.trim()));
        all.extend(self.added.iter().map(|(name, value)| (*name, value.trim())));
        all.extend(
            self.extra
                .iter()
                .map(|(name, value)| (name.as_str(), value.trim())),
        );
        all.sort_unstable();
        all
    }

    fn signed_headers(sorted: &[(&str, &str)]) -> String {
        let mut names = String::new();
        let mut previous: Option<&str> = None;
        for (name, _) in sorted {
            if previous == Some(*name) {
                continue;
            }
            if previous.is_some() {
                names.push(';');
            }
            names.push_str(name);
            previous = Some(name);
        }
        names
    }

    fn write_canonical_request(
        &self,
        method: &str,
        path: &str,
        sorted: &[(&str, &str)],
        signed_headers: &str,
        sink: &mut impl TextSink,
    ) {
        sink.put(method);
        sink.put("\n");
        sink.put(path);
        sink.put("\n");
        sink.put(&self.query);
        sink.put("\n");
        let mut previous: Option<&str> = None;
        for (name, value) in sorted {
            if previous == Some(*name) {
                // A repeated header is signed once, its values joined by `,`.
                sink.put(",");
            } else {
                if previous.is_some() {
                    sink.put("\n");
                }
                sink.put(name);
                sink.put(":");
            }
            sink.put(value);
            previous = Some(name);
        }
        if previous.is_some() {
            sink.put("\n");
        }
        sink.put("\n");
        sink.put(signed_headers);
        sink.put("\n");
        sink.put(&self.payload_hash);
    }
}

/// The canonical request, as text.
pub fn canonical_request(request: &SigningRequest<'_>, context: &SigningContext<'_>) -> String {
    let prepared = Prepared::new(request, context);
    let sorted = prepared.sorted_headers(request.host);
    let signed_headers = Prepared::signed_headers(&sorted);
    let mut text = String::new();
    prepared.write_canonical_request(
        request.method,
        request.path,
        &sorted,
        &signed_headers,
        &mut text,
    );
    text
}

/// The string to sign, as text.
pub fn string_to_sign(request: &SigningRequest<'_>, context: &SigningContext<'_>) -> String {
    let hash = Sha256::digest(canonical_request(request, context).as_bytes());
    format!("{ALGORITHM}\n{hash:x}")
}

/// Signs the request.
pub fn sign(request: &SigningRequest<'_>, context: &SigningContext<'_>) -> V3Signature {
    let prepared = Prepared::new(request, context);
    let sorted = prepared.sorted_headers(request.host);
    let signed_headers = Prepared::signed_headers(&sorted);

    let mut hasher = Sha256::new();
    prepared.write_canonical_request(
        request.method,
        request.path,
        &sorted,
        &signed_headers,
        &mut hasher,
    );
    let canonical_hash = format!("{:x}", hasher.finalize());

    let mut mac = hmac_sha256(context.credentials.access_key_secret().as_bytes());
    mac.update(ALGORITHM.as_bytes());
    mac.update(b"\n");
    mac.update(canonical_hash.as_bytes());
    let signature = format!("{:x}", mac.finalize().into_bytes());

    let authorization = format!(
        "{ALGORITHM} Credential={},SignedHeaders={signed_headers},Signature={signature}",
        context.credentials.access_key_id()
    );
    V3Signature {
        query: prepared.query,
        headers: prepared.added,
        signed_headers,
        signature,
        authorization,
    }
}
