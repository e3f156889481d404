//! The floors that signing is read against: the hashing and MAC a signature cannot avoid, done on
//! precomputed input by each crypto crate.
//!
//! The V3 signer must hash its canonical request with SHA-256 and MAC its string to sign with
//! HMAC-SHA256; everything else it does (sorting, percent-encoding, hex, headers) is overhead
//! above this floor. The runtime uses `sha2` and `hmac`; `ring` (and `aws-lc-rs` when built
//! with `--cfg acs_bench_aws_lc`) are measured on the same bytes to see which crate is fastest here.

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// The exact bytes one V3 signature hashes and MACs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloorInput {
    /// The canonical request.
    pub canonical_request: Vec<u8>,
    /// The string to sign (`ACS3-HMAC-SHA256\n` and the hex hash of the canonical request).
    pub string_to_sign: Vec<u8>,
    /// The HMAC key: the AccessKey secret.
    pub secret: Vec<u8>,
}

/// The two digests of a V3 signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FloorOutput {
    /// SHA-256 of the canonical request.
    pub canonical_hash: [u8; 32],
    /// HMAC-SHA256 of the string to sign.
    pub signature: [u8; 32],
}

fn to_array32(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0_u8; 32];
    out.iter_mut().zip(bytes).for_each(|(to, from)| *to = *from);
    out
}

/// The floor with `sha2` and `hmac`, the crates the runtime signs with.
pub fn sha2_floor(input: &FloorInput) -> FloorOutput {
    let canonical_hash = Sha256::digest(&input.canonical_request);
    // HMAC takes a key of any length; `new_from_slice` only fails for fixed-key MACs.
    let signature = match <Hmac<Sha256> as KeyInit>::new_from_slice(&input.secret) {
        Ok(mut mac) => {
            mac.update(&input.string_to_sign);
            to_array32(&mac.finalize().into_bytes())
        }
        Err(_) => [0; 32],
    };
    FloorOutput {
        canonical_hash: to_array32(&canonical_hash),
        signature,
    }
}

/// The floor with `ring`.
pub fn ring_floor(input: &FloorInput) -> FloorOutput {
    let canonical_hash = ring::digest::digest(&ring::digest::SHA256, &input.canonical_request);
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &input.secret);
    let signature = ring::hmac::sign(&key, &input.string_to_sign);
    FloorOutput {
        canonical_hash: to_array32(canonical_hash.as_ref()),
        signature: to_array32(signature.as_ref()),
    }
}

/// The floor with `aws-lc-rs`.
#[cfg(acs_bench_aws_lc)]
pub fn aws_lc_floor(input: &FloorInput) -> FloorOutput {
    let canonical_hash =
        aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &input.canonical_request);
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &input.secret);
    let signature = aws_lc_rs::hmac::sign(&key, &input.string_to_sign);
    FloorOutput {
        canonical_hash: to_array32(canonical_hash.as_ref()),
        signature: to_array32(signature.as_ref()),
    }
}

/// The V2 floor: HMAC-SHA1 of the string to sign, keyed with the secret and `&`, with the crates
/// the runtime signs with.
pub fn sha1_v2_floor(string_to_sign: &[u8], key: &[u8]) -> [u8; 20] {
    let mut out = [0_u8; 20];
    if let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(key) {
        mac.update(string_to_sign);
        out.iter_mut()
            .zip(mac.finalize().into_bytes())
            .for_each(|(to, from)| *to = from);
    }
    out
}
