//! Fixtures shared by the benchmarks: fully populated requests and the client's signing steps
//! ([`requests`]), the floors signing is read against ([`floor`]), sample and generated responses
//! ([`responses`]) with plain serde mirrors to read decoding against ([`plain`]), the project's
//! specs and synthetic ones for the generator ([`specs`], [`synthetic`]), a transport that answers
//! from memory without recording ([`transport`]), and a counting allocator ([`allocation`]).
//!
//! The benchmarks themselves are in `benches/`; `src/bin/hot_paths.rs` repeats one operation for
//! `scripts/callgrind.sh`, and `src/bin/decode_instances.rs` decodes one large page once, for
//! `/usr/bin/time`.

pub mod allocation;
pub mod floor;
pub mod list_custom_images;
pub mod plain;
pub mod requests;
pub mod responses;
pub mod specs;
pub use acs_codegen::synthetic;
pub mod transport;
