//! What the workspace's tests and benchmarks share, so that no test crate keeps a copy of its
//! own.
//!
//! - [`panics`]: run a case and get its panic back as a message, without the default hook
//!   printing each of thousands of caught panics.
//! - [`allocation`]: a global allocator that measures the peak of bytes one thread had live
//!   while it ran a closure.
//! - [`log_buffer`]: a `tracing` writer whose output the test can read.
//! - [`specs`]: the workspace's `specs/` folder and the spec files in a folder.
//! - [`seed_from_env`]: the seed of a seeded random test, which a variable can replace to replay
//!   a failure.

pub mod allocation;
pub mod log_buffer;
pub mod panics;
pub mod specs;

/// The seed a seeded random test runs with: the number in the environment variable `variable`
/// when it holds one (to replay the seed a failure report named), else `default`.
pub fn seed_from_env(variable: &str, default: u64) -> u64 {
    std::env::var(variable)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(default)
}
