//! Log output kept in memory, for tests that read what a `tracing` subscriber wrote (that a call
//! is traced, that no secret is).
//!
//! It needs nothing outside `std`, so that a crate which cannot depend on this one can still
//! compile this file as a module of its own.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

/// A writer into a buffer that all its clones share: give the subscriber a clone
/// (`.with_writer(move || writer.clone())`) and read what it wrote with [`LogBuffer::text`].
#[derive(Clone, Debug, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    /// Everything written so far, as text (bytes that are not UTF-8 replaced).
    pub fn text(&self) -> String {
        // A test that panicked while writing has failed already; its output is still worth
        // reading.
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
