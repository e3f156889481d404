//! `ACS3-HMAC-SHA256`, the signature Alibaba's current SDKs send by default.
//!
//! The request carries `Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,
//! SignedHeaders=<a;b;c>,Signature=<hex>`. The signature is the hex HMAC-SHA256, keyed with the
//! AccessKey secret, of `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request:
//!
//! ```text
//! METHOD\n
//! PATH\n
//! canonical query (see super::canonical_query)\n
//! name:trimmed value\n      one line per signed header, names lower-case and sorted
//! \n
//! signed header names joined by ;\n
//! hex SHA-256 of the body
//! ```

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::canonical_query;

/// The algorithm name that starts the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Headers the gateway insists are signed; a request that leaves one out of `SignedHeaders`
/// could be replayed or redirected with that header changed.
pub const REQUIRED_SIGNED_HEADERS: [&str; 6] = [
    "host",
    "x-acs-action",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-version",
];

/// The parts of an HTTP request the signature covers, borrowed from wherever they were kept.
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    /// HTTP method as sent, e.g. `POST`.
    pub method: &'a str,
    /// Path as sent, e.g. `/`.
    pub path: &'a str,
    /// Query parameters, already percent-decoded, in any order.
    pub query: &'a [(String, String)],
    /// Header names (any case) and values as they arrived.
    pub headers: &'a [(String, String)],
    /// The body bytes exactly as they arrived.
    pub body: &'a [u8],
}

impl RequestParts<'_> {
    /// Every value of header `name` (case-insensitive), each trimmed, joined by `,` as HTTP
    /// folds repeated headers; `None` when the header is absent.
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(candidate, _)| candidate.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim())
            .collect();
        if values.is_empty() {
            None
        } else {
            Some(values.join(","))
        }
    }
}

/// The three fields of a parsed `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The AccessKey ID from `Credential=`.
    pub access_key_id: String,
    /// The header names from `SignedHeaders=`, lower-cased, in the order given.
    pub signed_headers: Vec<String>,
    /// The hex signature from `Signature=`.
    pub signature: String,
}

impl Authorization {
    /// Parses `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`.
    pub fn parse(header: &str) -> Result<Self, V3Error> {
        let header = header.trim();
        let (algorithm, fields) = header.split_once(' ').unwrap_or((header, ""));
        if algorithm != ALGORITHM {
            return Err(V3Error::UnsupportedAlgorithm {
                found: algorithm.to_owned(),
            });
        }
        let mut access_key_id = None;
        let mut signed_headers = None;
        let mut signature = None;
        for field in fields.split(',') {
            let field = field.trim();
            if field.is_empty() {
                continue;
            }
            let Some((name, value)) = field.split_once('=') else {
                return Err(V3Error::MalformedAuthorization {
                    reason: format!("field `{field}` has no `=`"),
                });
            };
            let slot = match name.trim() {
                "Credential" => &mut access_key_id,
                "SignedHeaders" => &mut signed_headers,
                "Signature" => &mut signature,
                other => {
                    return Err(V3Error::MalformedAuthorization {
                        reason: format!(
                            "unknown field `{other}` (expected Credential, SignedHeaders, Signature)"
                        ),
                    });
                }
            };
            if slot.replace(value.trim().to_owned()).is_some() {
                return Err(V3Error::MalformedAuthorization {
                    reason: format!("field `{}` appears twice", name.trim()),
                });
            }
        }
        let missing = |field: &str| V3Error::MalformedAuthorization {
            reason: format!("field `{field}` is missing"),
        };
        let access_key_id = access_key_id.ok_or_else(|| missing("Credential"))?;
        let signed_headers = signed_headers.ok_or_else(|| missing("SignedHeaders"))?;
        let signature = signature.ok_or_else(|| missing("Signature"))?;
        Ok(Self {
            access_key_id,
            signed_headers: signed_headers
                .split(';')
                .filter(|name| !name.is_empty())
                .map(|name| name.trim().to_ascii_lowercase())
                .collect(),
            signature,
        })
    }

    /// Finds and parses the request's `Authorization` header.
    pub fn from_request(parts: &RequestParts<'_>) -> Result<Self, V3Error> {
        let header = parts
            .header("authorization")
            .ok_or(V3Error::MissingAuthorization)?;
        Self::parse(&header)
    }
}

/// Why a request's `ACS3-HMAC-SHA256` signature was not accepted. Never holds the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum V3Error {
    /// No `Authorization` header at all.
    #[error("the request has no Authorization header")]
    MissingAuthorization,
    /// The header names another algorithm.
    #[error("Authorization names algorithm `{found}`; only ACS3-HMAC-SHA256 is accepted")]
    UnsupportedAlgorithm {
        /// The algorithm the header named.
        found: String,
    },
    /// The header is not `Credential=..,SignedHeaders=..,Signature=..`.
    #[error("Authorization header is malformed: {reason}")]
    MalformedAuthorization {
        /// What was wrong with it.
        reason: String,
    },
    /// A header from [`REQUIRED_SIGNED_HEADERS`] is not listed in `SignedHeaders`.
    #[error("header `{name}` must be listed in SignedHeaders")]
    RequiredHeaderNotSigned {
        /// The lower-case header name.
        name: &'static str,
    },
    /// `SignedHeaders` lists a header the request does not carry.
    #[error("header `{name}` is listed in SignedHeaders but absent from the request")]
    SignedHeaderAbsent {
        /// The lower-case header name.
        name: String,
    },
    /// `x-acs-content-sha256` does not hash the body that arrived.
    #[error(
        "x-acs-content-sha256 is `{declared}` but the body that arrived hashes to `{computed}`"
    )]
    ContentSha256Mismatch {
        /// The header's value.
        declared: String,
        /// Hex SHA-256 of the body as received.
        computed: String,
    },
    /// The signature differs from the one computed from what arrived.
    #[error(
        "signature does not match; the server's canonical request is {canonical_request:?} and its string to sign is {string_to_sign:?}"
    )]
    SignatureMismatch {
        /// The canonical request the server rebuilt.
        canonical_request: String,
        /// The string to sign the server rebuilt.
        string_to_sign: String,
    },
}

/// Hex SHA-256 of `bytes`, the form used for the body hash and in the string to sign.
pub fn hex_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Rebuilds the canonical request from what arrived, covering `signed_headers` (any case, any
/// order; they are lower-cased, de-duplicated and sorted).
pub fn canonical_request(
    parts: &RequestParts<'_>,
    signed_headers: &[String],
) -> Result<String, V3Error> {
    let names = sorted_names(signed_headers);
    let mut out = String::new();
    out.push_str(parts.method);
    out.push('\n');
    out.push_str(parts.path);
    out.push('\n');
    out.push_str(&canonical_query(
        parts
            .query
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    ));
    out.push('\n');
    for name in &names {
        let value = parts
            .header(name)
            .ok_or_else(|| V3Error::SignedHeaderAbsent { name: name.clone() })?;
        out.push_str(name);
        out.push(':');
        out.push_str(&value);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&names.join(";"));
    out.push('\n');
    out.push_str(&hex_sha256(parts.body));
    Ok(out)
}

/// `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", hex_sha256(canonical_request.as_bytes()))
}

/// Hex HMAC-SHA256 of `string_to_sign`, keyed with the AccessKey secret.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    hex::encode(keyed_mac(secret, string_to_sign).finalize().into_bytes())
}

/// Builds the `Authorization` header value for a request signed with `access_key_id` and
/// `secret` over `signed_headers`; for hand-built requests in tests.
pub fn authorization_header(
    parts: &RequestParts<'_>,
    access_key_id: &str,
    secret: &str,
    signed_headers: &[String],
) -> Result<String, V3Error> {
    let canonical = canonical_request(parts, signed_headers)?;
    let signature = sign(secret, &string_to_sign(&canonical));
    Ok(format!(
        "{ALGORITHM} Credential={access_key_id},SignedHeaders={},Signature={signature}",
        sorted_names(signed_headers).join(";")
    ))
}

/// Checks everything about the signature that needs no state: the required headers are signed,
/// the body hash is right, and the signature matches `secret`. The gateway checks the AccessKey,
/// the date, the token and the nonce around this.
pub fn verify_signature(
    parts: &RequestParts<'_>,
    authorization: &Authorization,
    secret: &str,
) -> Result<(), V3Error> {
    for required in REQUIRED_SIGNED_HEADERS {
        if !authorization
            .signed_headers
            .iter()
            .any(|name| name == required)
        {
            return Err(V3Error::RequiredHeaderNotSigned { name: required });
        }
    }
    let computed = hex_sha256(parts.body);
    let declared =
        parts
            .header("x-acs-content-sha256")
            .ok_or_else(|| V3Error::SignedHeaderAbsent {
                name: "x-acs-content-sha256".to_owned(),
            })?;
    if !declared.eq_ignore_ascii_case(&computed) {
        return Err(V3Error::ContentSha256Mismatch { declared, computed });
    }
    let canonical_request = canonical_request(parts, &authorization.signed_headers)?;
    let string_to_sign = string_to_sign(&canonical_request);
    let matches = super::claimed_signature_matches(
        keyed_mac(secret, &string_to_sign),
        hex::decode(&authorization.signature).ok(),
    );
    if matches {
        Ok(())
    } else {
        Err(V3Error::SignatureMismatch {
            canonical_request,
            string_to_sign,
        })
    }
}

/// Parses the request's `Authorization` header and checks it with [`verify_signature`].
pub fn verify(parts: &RequestParts<'_>, secret: &str) -> Result<Authorization, V3Error> {
    let authorization = Authorization::from_request(parts)?;
    verify_signature(parts, &authorization, secret)?;
    Ok(authorization)
}

fn sorted_names(names: &[String]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|name| name.to_ascii_lowercase()).collect();
    names.sort();
    names.dedup();
    names
}

fn keyed_mac(secret: &str, message: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length (RFC 2104 hashes a long one), so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .expect("HMAC-SHA256 accepts keys of every length");
    mac.update(message.as_bytes());
    mac
}
