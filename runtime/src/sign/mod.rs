//! Request signing: ACS3-HMAC-SHA256 ([`v3`], the official default) and the RPC HMAC-SHA1
//! signature ([`v2`]).
//!
//! The client describes the request in a [`SigningRequest`] and the call in a
//! [`SigningContext`]; [`sign`] returns what to put on the wire: the encoded query string and the
//! headers to add. Each version's module also exposes its intermediate texts (canonical request,
//! string to sign) for tests and debugging.

use std::borrow::Cow;
use std::fmt;
use std::time::SystemTime;

use hmac::digest::Key;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, UtcOffset};

use crate::credentials::Credentials;
use crate::redact::REDACTED;
use crate::wire::{Pairs, Sink};

pub mod v2;
pub mod v3;

/// Which signature a product takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureVersion {
    /// `ACS3-HMAC-SHA256`: signed headers and an `Authorization` header (the official default).
    V3,
    /// RPC signature `HMAC-SHA1`: common parameters and `Signature` in the query.
    V2,
}

/// The HTTP request to sign, as it will be sent.
#[derive(Debug, Clone, Copy)]
pub struct SigningRequest<'a> {
    /// HTTP method, upper case (`POST`).
    pub method: &'a str,
    /// The `Host` header exactly as the transport sends it: `host`, or `host:port` for a port that
    /// is not the scheme's default ([`crate::endpoint::Endpoint::authority`]).
    pub host: &'a str,
    /// The path, already percent-encoded (`/` for every RPC API).
    pub path: &'a str,
    /// Query parameters, un-encoded, in any order ([`crate::wire::Params::query_pairs`], or
    /// owned pairs through `.into()`).
    pub query: Pairs<'a>,
    /// The parameters the body carries when it is a form (V2 signs them with the query; V3 signs
    /// the body's hash instead). Empty when the body is not a form.
    pub form: Pairs<'a>,
    /// Further headers to sign, which the caller also sends (`content-type` with a body). Names
    /// are compared case-insensitively; values are signed trimmed; a name given twice is signed
    /// once with its values joined by `,`, as HTTP joins them. V2 ignores them. They must not
    /// repeat `host` or the `x-acs-*` headers the signature adds.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body bytes exactly as sent.
    pub body: &'a [u8],
}

/// What the client knows about the call: who signs, when, and what.
#[derive(Clone, Copy)]
pub struct SigningContext<'a> {
    /// The credentials to sign with.
    pub credentials: &'a Credentials,
    /// The signing time; sent in UTC as `YYYY-MM-DDThh:mm:ssZ`.
    pub date: OffsetDateTime,
    /// A value unique to this request (see [`fresh_nonce`]): the gateway refuses a replay.
    pub nonce: &'a str,
    /// The `Action` (`DescribeImages`).
    pub action: &'a str,
    /// The API version (`2014-05-26`).
    pub version: &'a str,
}

impl fmt::Debug for SigningContext<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Credentials` redacts its own secret and token.
        f.debug_struct("SigningContext")
            .field("credentials", self.credentials)
            .field("date", &self.date)
            .field("nonce", &self.nonce)
            .field("action", &self.action)
            .field("version", &self.version)
            .finish()
    }
}

/// What the signature adds to the request.
///
/// It carries the security token (V3 in `x-acs-security-token`, V2 in the query's
/// `SecurityToken`), so its `Debug` redacts both; log a URL only through [`redact_query`].
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// The query string to send after `?` (empty: send no `?`), encoded exactly as signed.
    pub query: String,
    /// Headers to add besides the caller's own `headers` and `host`: for V3 the `x-acs-*` headers
    /// and `Authorization`; for V2 none.
    pub headers: Vec<(&'static str, String)>,
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedRequest")
            .field("query", &redact_query(&self.query))
            .field("headers", &RedactedHeaders(&self.headers))
            .finish()
    }
}

/// The header that carries the security token in V3.
const SECURITY_TOKEN_HEADER: &str = "x-acs-security-token";
/// The query parameter that carries the security token in V2.
const SECURITY_TOKEN_PARAMETER: &str = "SecurityToken";

/// The encoded query with the value of `SecurityToken` replaced, for logs and errors.
pub fn redact_query(query: &str) -> Cow<'_, str> {
    let is_token = |pair: &str| {
        pair.strip_prefix(SECURITY_TOKEN_PARAMETER)
            .is_some_and(|rest| rest.starts_with('='))
    };
    if !query.split('&').any(is_token) {
        return Cow::Borrowed(query);
    }
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| {
            if is_token(pair) {
                format!("{SECURITY_TOKEN_PARAMETER}={REDACTED}")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    Cow::Owned(pairs.join("&"))
}

/// Headers shown with the security token's value replaced.
struct RedactedHeaders<'a>(&'a [(&'static str, String)]);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, value)| {
                let shown = if name.eq_ignore_ascii_case(SECURITY_TOKEN_HEADER) {
                    REDACTED
                } else {
                    value.as_str()
                };
                (*name, shown)
            }))
            .finish()
    }
}

/// Signs a request with the given signature version.
pub fn sign(
    version: SignatureVersion,
    request: &SigningRequest<'_>,
    context: &SigningContext<'_>,
) -> SignedRequest {
    match version {
        SignatureVersion::V3 => v3::sign(request, context).into_signed_request(),
        SignatureVersion::V2 => v2::sign(request, context).into_signed_request(),
    }
}

/// A fresh nonce: 32 random hex digits. Uniqueness is all the gateway asks of it (it refuses a
/// nonce it has seen within 15 minutes), not unpredictability.
pub fn fresh_nonce() -> String {
    format!("{:032x}", fastrand::u128(..))
}

/// The clock read a time that a signature's date cannot carry: `x-acs-date` and `Timestamp` are
/// `YYYY-MM-DDThh:mm:ssZ` in UTC, so from the year 0000 to 9999.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the clock reads {reading}, outside the years 0000 to 9999 that a signature's date (`YYYY-MM-DDThh:mm:ssZ`) can carry; check the `Clock` given to the client or to `CredentialServices`"
)]
pub struct ClockOutOfRange {
    reading: String,
}

/// The signing date of `now`, or [`ClockOutOfRange`] when `now` cannot be written as
/// `YYYY-MM-DDThh:mm:ssZ`.
pub fn signing_date(now: SystemTime) -> Result<OffsetDateTime, ClockOutOfRange> {
    wire_date(now).ok_or_else(|| ClockOutOfRange {
        reading: seconds_from_epoch(now),
    })
}

/// `time` in UTC when its year has four digits (0000 to 9999), the range of every date on
/// Alibaba's wire (signing dates, STS's `Expiration`); `None` outside it, where converting would
/// overflow.
pub(crate) fn wire_date(time: SystemTime) -> Option<OffsetDateTime> {
    let offset = match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => time::Duration::try_from(after).ok()?,
        Err(before) => time::Duration::try_from(before.duration())
            .ok()?
            .checked_neg()?,
    };
    OffsetDateTime::UNIX_EPOCH
        .checked_add(offset)
        .filter(|date| (0..=9999).contains(&date.year()))
}

/// `time` as seconds from the Unix epoch, for a time that has no four-digit year.
pub(crate) fn seconds_from_epoch(time: SystemTime) -> String {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(after) => format!("{} s after the Unix epoch", after.as_secs()),
        Err(before) => format!("{} s before the Unix epoch", before.duration().as_secs()),
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` in UTC: the form of `x-acs-date` and `Timestamp`.
pub fn format_timestamp(date: OffsetDateTime) -> String {
    let utc = date.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

/// A canonical text is written to a hash to sign without building it, or to a buffer to show
/// it.
impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

impl Sink for Hmac<Sha1> {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

/// HMAC keys of any length are valid (RFC 2104): a key longer than the hash's block is first
/// hashed, a shorter one padded with zeros. Doing that here gives the block-sized key the
/// infallible constructor takes, so signing has no error path for a secret of unusual length.
macro_rules! block_key {
    ($digest:ty, $secret:expr) => {{
        let secret: &[u8] = $secret;
        let mut block = Key::<Hmac<$digest>>::default();
        if secret.len() > block.len() {
            let hashed = <$digest>::digest(secret);
            block
                .iter_mut()
                .zip(hashed.iter())
                .for_each(|(to, from)| *to = *from);
        } else {
            block
                .iter_mut()
                .zip(secret)
                .for_each(|(to, from)| *to = *from);
        }
        block
    }};
}

/// An HMAC-SHA256 keyed with `secret`.
fn hmac_sha256(secret: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as KeyInit>::new(&block_key!(Sha256, secret))
}

/// An HMAC-SHA1 keyed with `secret`.
fn hmac_sha1(secret: &[u8]) -> Hmac<Sha1> {
    <Hmac<Sha1> as KeyInit>::new(&block_key!(Sha1, secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_is_utc_with_z() {
        let date = time::macros::datetime!(2023-10-26 18:22:32 +08:00);
        assert_eq!(format_timestamp(date), "2023-10-26T10:22:32Z");
    }

    #[test]
    fn nonces_are_32_hex_digits_and_differ() {
        let a = fresh_nonce();
        let b = fresh_nonce();
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|byte| byte.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    /// RFC 4231 test case 6: a key longer than the block goes through the hashed-key path.
    #[test]
    fn hmac_sha256_long_key_rfc4231() {
        let key = [0xaa_u8; 131];
        let mut mac = hmac_sha256(&key);
        mac.update(b"Test Using Larger Than Block-Size Key - Hash Key First");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    /// RFC 4231 test case 1: a short key goes through the zero-padded path.
    #[test]
    fn hmac_sha256_short_key_rfc4231() {
        let key = [0x0b_u8; 20];
        let mut mac = hmac_sha256(&key);
        mac.update(b"Hi There");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
    }

    /// RFC 2202 test case 6 for HMAC-SHA1 with an 80-byte key.
    #[test]
    fn hmac_sha1_long_key_rfc2202() {
        let key = [0xaa_u8; 80];
        let mut mac = hmac_sha1(&key);
        mac.update(b"Test Using Larger Than Block-Size Key - Hash Key First");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
    }
}
