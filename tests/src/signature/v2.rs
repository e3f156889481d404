//! The RPC `HMAC-SHA1` signature (`SignatureVersion=1.0`), which older SDKs still send.
//!
//! Every parameter (query and form body alike, except `Signature` itself) is percent-encoded and
//! sorted into the canonical query; the string to sign is `METHOD&%2F&` + the percent-encoded
//! canonical query; `Signature` is the base64 HMAC-SHA1 of it keyed with `secret&`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::{canonical_query, percent_encode};

/// The only `SignatureMethod` this signature version defines.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The only `SignatureVersion` this signature version defines.
pub const SIGNATURE_VERSION: &str = "1.0";
/// The parameter that carries the signature; left out of what is signed.
pub const SIGNATURE_PARAM: &str = "Signature";

/// Why a request's HMAC-SHA1 signature was not accepted. Never holds the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum V2Error {
    /// No `Signature` parameter.
    #[error("the request has no Signature parameter")]
    MissingSignature,
    /// `Signature` appears more than once, so which one was meant is unknown.
    #[error("the Signature parameter appears {count} times")]
    RepeatedSignature {
        /// How many times it appeared.
        count: usize,
    },
    /// The signature differs from the one computed from what arrived.
    #[error("signature does not match; the server's string to sign is {string_to_sign:?}")]
    SignatureMismatch {
        /// The string to sign the server rebuilt.
        string_to_sign: String,
    },
}

/// `METHOD&%2F&` + percent-encoded canonical query of every parameter except `Signature`.
/// `params` are decoded names and values from the query and the form body together.
pub fn string_to_sign<'a, I>(method: &str, params: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let canonical = canonical_query(
        params
            .into_iter()
            .filter(|(name, _)| *name != SIGNATURE_PARAM),
    );
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode("/"),
        percent_encode(&canonical)
    )
}

/// Base64 HMAC-SHA1 of `string_to_sign`, keyed with `secret` + `&`.
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    STANDARD.encode(keyed_mac(secret, string_to_sign).finalize().into_bytes())
}

/// Checks the `Signature` among `params` (query and form body together) against `secret`.
pub fn verify(method: &str, params: &[(String, String)], secret: &str) -> Result<(), V2Error> {
    let claimed: Vec<&str> = params
        .iter()
        .filter(|(name, _)| name == SIGNATURE_PARAM)
        .map(|(_, value)| value.as_str())
        .collect();
    let claimed = match claimed.as_slice() {
        [] => return Err(V2Error::MissingSignature),
        [one] => *one,
        more => return Err(V2Error::RepeatedSignature { count: more.len() }),
    };
    let string_to_sign = string_to_sign(
        method,
        params
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    );
    let matches = super::claimed_signature_matches(
        keyed_mac(secret, &string_to_sign),
        STANDARD.decode(claimed).ok(),
    );
    if matches {
        Ok(())
    } else {
        Err(V2Error::SignatureMismatch { string_to_sign })
    }
}

fn keyed_mac(secret: &str, message: &str) -> Hmac<Sha1> {
    let key = format!("{secret}&");
    // HMAC takes a key of any length (RFC 2104 hashes a long one), so this cannot fail.
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(key.as_bytes())
        .expect("HMAC-SHA1 accepts keys of every length");
    mac.update(message.as_bytes());
    mac
}
