//! The runtime through its public API, as generated code and users call it: signing against
//! known answers, wire styles, endpoints, credentials, and the client end to end over an
//! in-memory transport or tiny servers on 127.0.0.1 (retries, timeouts, errors, paging).
//!
//! One test binary, a module per subject; `support` holds the hand-written product the client
//! tests send through.

mod client;
mod credentials;
mod endpoint;
mod errors;
mod header_params;
// The workspace's shared log buffer, compiled from its source: this crate's manifest does not
// depend on `acs-test-support`, and a second copy of the buffer would drift from the first.
#[path = "../../../test-support/src/log_buffer.rs"]
mod log_buffer;
mod paginate;
mod retry;
mod signing;
mod support;
mod token_paging;
mod transport;
mod wire;
