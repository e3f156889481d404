//! What the workspace's robustness tests share, so that no test crate keeps a copy of its own.
//!
//! - [`panics`]: run a case and get its panic back as a message, without the default hook
//!   printing each of thousands of caught panics.
//! - [`allocation`]: a global allocator that measures the peak of bytes one thread had live
//!   while it ran a closure.

pub mod allocation;
pub mod panics;
