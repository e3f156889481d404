//! ACS3-HMAC-SHA256, the V3 signature.
//!
//! Canonical request = method `\n` path `\n` canonical query `\n` canonical headers (each
//! `name:value\n`, names lower case and sorted) `\n` signed header names joined by `;` `\n` hex
//! SHA-256 of the body. String to sign = `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical
//! request. Signature = hex HMAC-SHA256(secret, string to sign).
//!
//! [`sign`] hashes the canonical request as it writes it, without building it: the canonical
//! query, which is also sent, is hashed in pieces while it is encoded. The texts are built only
//! by [`canonical_request`] and [`string_to_sign`], for tests and debugging.

use std::fmt;

use hmac::Mac;
use sha2::{Digest, Sha256};

use super::{
    RedactedHeaders, SignedRequest, SigningContext, SigningRequest, format_timestamp, hmac_sha256,
};
use crate::wire::{self, Pairs, Sink};

/// The algorithm name, first line of the string to sign and of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Hex SHA-256 of no bytes: the payload hash of every request without a body, which is most.
const EMPTY_PAYLOAD_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

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
    added: Vec<(&'static str, String)>,
    /// The caller's extra headers, names lower-cased.
    extra: Vec<(String, &'a str)>,
    payload_hash: String,
}

/// The canonical query is handed to the hash in pieces of at least this many bytes: few enough
/// calls that their overhead does not count, small enough that each piece is hashed while it is
/// still in the first-level cache.
const HASH_PIECE: usize = 1024;

/// Sorts and encodes `query`, handing the text to `sink` in pieces as it is produced, and returns
/// it (it is also what is sent).
fn canonical_query_to(query: Pairs<'_>, sink: &mut impl Sink) -> String {
    let sorted = wire::sorted_pairs(query);
    let mut out = Vec::with_capacity(wire::encoded_capacity(&sorted));
    let mut fed = 0;
    wire::encode_sorted(&sorted, &mut out, |text| {
        if text.len() - fed >= HASH_PIECE {
            sink.put(text.get(fed..).unwrap_or_default());
            fed = text.len();
        }
    });
    sink.put(out.get(fed..).unwrap_or_default());
    wire::into_text(out)
}

impl<'a> Prepared<'a> {
    fn new(request: &SigningRequest<'a>, context: &SigningContext<'_>) -> Self {
        let payload_hash = if request.body.is_empty() {
            EMPTY_PAYLOAD_HASH.to_owned()
        } else {
            // `{:x}` on the digest array writes from a stack buffer; `hex::encode` went char by
            // char and was a fifth of the signing time.
            format!("{:x}", Sha256::digest(request.body))
        };
        let mut added = Vec::with_capacity(6);
        added.extend([
            ("x-acs-action", context.action.to_owned()),
            ("x-acs-version", context.version.to_owned()),
            ("x-acs-date", format_timestamp(context.date)),
            ("x-acs-signature-nonce", context.nonce.to_owned()),
            ("x-acs-content-sha256", payload_hash.clone()),
        ]);
        if let Some(token) = context.credentials.security_token() {
            added.push(("x-acs-security-token", token.to_owned()));
        }
        let extra = request
            .headers
            .iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), *value))
            .collect();
        Prepared {
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

    /// Writes the canonical request to `sink` and returns its canonical query.
    fn write_canonical_request(
        &self,
        request: &SigningRequest<'_>,
        sorted: &[(&str, &str)],
        signed_headers: &str,
        sink: &mut impl Sink,
    ) -> String {
        sink.put(request.method.as_bytes());
        sink.put(b"\n");
        sink.put(request.path.as_bytes());
        sink.put(b"\n");
        let query = canonical_query_to(request.query, sink);
        sink.put(b"\n");
        let mut previous: Option<&str> = None;
        for (name, value) in sorted {
            if previous == Some(*name) {
                // A repeated header is signed once, its values joined by `,`.
                sink.put(b",");
            } else {
                if previous.is_some() {
                    sink.put(b"\n");
                }
                sink.put(name.as_bytes());
                sink.put(b":");
            }
            sink.put(value.as_bytes());
            previous = Some(name);
        }
        if previous.is_some() {
            sink.put(b"\n");
        }
        sink.put(b"\n");
        sink.put(signed_headers.as_bytes());
        sink.put(b"\n");
        sink.put(self.payload_hash.as_bytes());
        query
    }
}

/// The canonical request, as text.
pub fn canonical_request(request: &SigningRequest<'_>, context: &SigningContext<'_>) -> String {
    let prepared = Prepared::new(request, context);
    let sorted = prepared.sorted_headers(request.host);
    let signed_headers = Prepared::signed_headers(&sorted);
    let mut text = Vec::new();
    prepared.write_canonical_request(request, &sorted, &signed_headers, &mut text);
    wire::into_text(text)
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
    let query = prepared.write_canonical_request(request, &sorted, &signed_headers, &mut hasher);
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
        query,
        headers: prepared.added,
        signed_headers,
        signature,
        authorization,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_empty_payload_hash_is_the_hash_of_nothing() {
        assert_eq!(EMPTY_PAYLOAD_HASH, format!("{:x}", Sha256::digest(b"")));
    }
}
