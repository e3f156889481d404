//! The two signatures Alibaba Cloud's RPC gateway accepts, checked from first principles.
//!
//! Nothing here is shared with the SDK's signer: the point of this crate is to catch a signer
//! that is consistently wrong, which a verifier built from the same code never would. Each
//! module exposes the intermediate steps (canonical request, string to sign, signature) as well
//! as `verify`, so a failing test can show which step differs.

pub mod v2;
pub mod v3;

use hmac::Mac;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Whether the signature a request claims (`None` when it could not be decoded) is the one
/// `mac`, fed the string to sign, computes; compared in constant time.
fn claimed_signature_matches<M: Mac>(mac: M, claimed: Option<Vec<u8>>) -> bool {
    claimed.is_some_and(|claimed| mac.verify_slice(&claimed).is_ok())
}

/// Every byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - _ . ~`) is encoded; both
/// signatures use this set, and it differs from `application/x-www-form-urlencoded` (which keeps
/// `*` and turns a space into `+`).
const RFC3986_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `text` as both signatures require: UTF-8 bytes, only RFC 3986 unreserved
/// characters kept, upper-case hex (`a b*` becomes `a%20b%2A`).
pub fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, RFC3986_ENCODE).to_string()
}

/// Builds the canonical query both signatures share: each decoded name and value
/// percent-encoded with [`percent_encode`], pairs sorted by encoded name (then value, so that
/// repeated names are stable), joined as `name=value` with `&`.
pub fn canonical_query<'a, I>(params: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut encoded: Vec<(String, String)> = params
        .into_iter()
        .map(|(name, value)| (percent_encode(name), percent_encode(value)))
        .collect();
    encoded.sort();
    let mut out = String::new();
    for (index, (name, value)) in encoded.iter().enumerate() {
        if index > 0 {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encode_keeps_only_unreserved_characters() {
        assert_eq!(
            percent_encode("a b*c~d-e_f.g/h+i"),
            "a%20b%2Ac~d-e_f.g%2Fh%2Bi"
        );
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
    }

    #[test]
    fn canonical_query_sorts_by_encoded_name() {
        let params = [("b", "2"), ("a", "x y"), ("A", "")];
        assert_eq!(canonical_query(params), "A=&a=x%20y&b=2");
    }
}
