//! How long one attempt, and one whole call, may take.
//!
//! The transport's connect and read timeouts bound each step of an exchange, but a server that
//! trickles a byte at a time keeps every read short while the attempt goes on for ever. The client
//! therefore bounds each attempt as a whole (sending the request and reading the whole body), and
//! optionally the whole call (every attempt and every backoff sleep between them).

use std::time::Duration;

/// How long one attempt may take unless configured otherwise: sending the request and reading the
/// whole response body.
pub const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(30);

/// The time limits the client enforces on a call.
///
/// Set them for a client with [`ConfigBuilder::timeouts`](crate::ConfigBuilder::timeouts), and for
/// some calls only with [`Client::with_timeouts`](crate::Client::with_timeouts):
///
/// ```
/// use std::time::Duration;
/// use acs_runtime::TimeoutConfig;
///
/// let patient = TimeoutConfig::default()
///     .with_attempt_timeout(Some(Duration::from_secs(120)))
///     .with_operation_timeout(Some(Duration::from_secs(300)));
/// assert_eq!(patient.attempt_timeout(), Some(Duration::from_secs(120)));
/// ```
///
/// An attempt that runs out of time fails with a
/// [`TransportErrorKind::Timeout`](crate::http::TransportErrorKind::Timeout) error, which the
/// retry policy judges like any other timeout; a call that runs out of time fails with
/// [`SdkError::OperationTimeout`](crate::SdkError::OperationTimeout) at once, whatever attempt or
/// backoff sleep it was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeoutConfig {
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    /// Each attempt at most [`DEFAULT_ATTEMPT_TIMEOUT`] (30 s); the call as a whole as long as
    /// the retry policy's attempts and time budget allow.
    fn default() -> Self {
        TimeoutConfig {
            attempt: Some(DEFAULT_ATTEMPT_TIMEOUT),
            operation: None,
        }
    }
}

impl TimeoutConfig {
    /// No limit beyond the transport's own connect and read timeouts.
    pub fn disabled() -> Self {
        TimeoutConfig {
            attempt: None,
            operation: None,
        }
    }

    /// How long one attempt may take, from sending the request to the last byte of the body;
    /// `None` for no limit.
    #[must_use]
    pub fn with_attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt = timeout;
        self
    }

    /// How long the whole call may take, every attempt and backoff sleep included; `None` for
    /// no limit.
    #[must_use]
    pub fn with_operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation = timeout;
        self
    }

    /// The limit of one attempt, if any.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt
    }

    /// The limit of the whole call, if any.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation
    }
}
