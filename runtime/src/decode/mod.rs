//! Lenient decoding of response bodies.
//!
//! Alibaba's responses do not always match their documents: a count documented as a string
//! arrives as `24`, a boolean as `"False"`, a list wrapped in an object (`{"Image": [...]}`) or
//! not. The generated types decode through the functions here, which accept every such form.
//!
//! A value that no leniency can turn into its declared type (an object where a string was
//! declared, a string that is not UTF-8) must not lose the whole response: [`decode_response`]
//! first tries a plain, fast decode; only when that fails does it decode once more, in one pass
//! through the body, leaving every bad field empty and recording it as an [`Anomaly`] with its
//! path and raw value. That pass builds no tree of the body: it costs about what the fast one
//! does.
//!
//! Where each part lives: `response.rs` (a whole body: the fast path, the recovering pass,
//! numbers beyond `f64`), `repair.rs` (strings that are not text, replaced by markers before the
//! recovering pass), `anomaly.rs` (the recovering pass's state: the path so far and the anomalies
//! found), `catch.rs` (how that pass catches a bad value as it streams), `lenient.rs` (scalars
//! and objects), `list.rs` (lists, plain or wrapped), `map.rs` (objects with free keys) and
//! `open_enum.rs` (enums that keep unknown values).

pub(crate) mod anomaly;
mod catch;
pub(crate) mod lenient;
pub(crate) mod list;
pub(crate) mod map;
pub(crate) mod open_enum;
mod repair;
mod response;
#[cfg(test)]
mod tests;

pub use anomaly::Anomaly;
pub use response::{DecodeError, decode_response, decode_response_hiding};

pub use crate::redact::excerpt::{EXCERPT_CHARS, excerpt};
