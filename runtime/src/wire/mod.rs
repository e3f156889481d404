//! Wire encoding of request parameters: the flattening styles of Alibaba Cloud's RPC APIs and the
//! RFC 3986 percent-encoding used both on the wire and in the signatures.
//!
//! Generated request types write themselves into a [`Params`] through [`WriteParams`]; shapes
//! nest through [`FlatObject`], so `A.1.B.2.C` comes from a list writer calling a shape that
//! calls a list writer with its own prefix. Values are kept un-encoded and in insertion order;
//! encoding and sorting happen once, in [`canonical_query`] and [`form_body`].
//!
//! Every name and value is written into one text buffer that the parameters share, and read back
//! as borrowed pairs ([`Pairs`]): writing the 51 parameters of a large request costs a few
//! growths of that buffer instead of two allocations per parameter.
//!
//! Where each part lives: `params.rs` (the parameters and the writers of each style),
//! `pairs.rs` (reading them back as borrowed pairs), `scalar.rs` (names and scalar values as
//! they are written), `encode.rs` (percent-encoding, the canonical query and the form body) and
//! `json.rs` (JSON lists and objects written straight into the text).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

mod encode;
mod json;
mod pairs;
mod params;
mod scalar;
#[cfg(test)]
mod tests;

pub use encode::{
    ParamPair, canonical_query, canonical_query_of, form_body, percent_encode, percent_encode_into,
};
pub(crate) use encode::{
    Sink, encode_bytes_to, encode_sorted, encode_to, encoded_capacity, into_text, sorted_pairs,
};
pub use pairs::{Pairs, PairsIter};
pub use params::{FlatObject, Params, WriteParams};
pub use scalar::{ParamKey, WireScalar};

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - _ . ~` is escaped, so a space
/// is `%20`, `*` is `%2A`, `+` is `%2B` and `/` is `%2F`: the form both signatures require, and
/// the form sent, so that what the gateway reads is exactly what was signed.
pub const RFC3986_ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Location {
    /// In the query string.
    Query,
    /// In an `application/x-www-form-urlencoded` body.
    Body,
    /// As an HTTP header of that name (signed by V3 with the other headers; V2 signs none).
    Header,
}
