//! The gateway's notion of "now", injectable so tests can sign with fixed dates.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

/// Where the server reads the current time when it checks `x-acs-date` or `Timestamp`.
///
/// Tests that sign with a fixed date (such as a published test vector) give the server a
/// [`Clock::fixed`] clock at the same instant; tests that need time to move give it a
/// [`Clock::from_fn`] reading their own cell.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> SystemTime + Send + Sync>);

impl Clock {
    /// The machine's clock; the default.
    pub fn system() -> Self {
        Self(Arc::new(SystemTime::now))
    }

    /// A clock that always reads `at` (a `SystemTime`, or a `time::OffsetDateTime`).
    pub fn fixed(at: impl Into<SystemTime>) -> Self {
        let at = at.into();
        Self(Arc::new(move || at))
    }

    /// A clock that asks `now` each time.
    pub fn from_fn(now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }

    /// The current time by this clock.
    pub fn now(&self) -> SystemTime {
        (self.0)()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Clock").field(&self.now()).finish()
    }
}
