//! End-to-end tests of the generated SDK against the local gateway: every request is signed,
//! sent over loopback and checked as Alibaba's gateway checks it, and the answer decodes into
//! the generated types.
//!
//! One test binary, a module per subject; `support` holds what they share.

mod blocking;
mod credentials;
mod failures;
mod lenient;
mod load;
mod operations;
mod paging;
mod secrets;
mod sts;
mod support;
