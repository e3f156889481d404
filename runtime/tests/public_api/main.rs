//! The runtime through its public API, as generated code and users call it: signing against
//! known answers, wire styles, endpoints, credentials, and the client end to end over an
//! in-memory transport or tiny servers on 127.0.0.1 (retries, timeouts, errors, paging).
//!
//! One test binary, a module per subject; `support` holds the hand-written product the client
//! tests send through.

// Memory held is measured per thread, by the shared meter (see `peak_allocation`).
#[global_allocator]
static ALLOCATOR: acs_test_support::allocation::ThreadPeakAllocator =
    acs_test_support::allocation::ThreadPeakAllocator;

mod anonymous;
mod blocking;
mod client;
#[cfg(unix)]
mod credential_files;
mod credential_services;
mod credentials;
mod decode_memory;
mod endpoint;
mod errors;
mod header_params;
mod paginate;
mod repeated_names;
mod retry;
mod signing;
mod support;
mod token_paging;
mod transport;
mod wire;
