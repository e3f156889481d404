//! What can go wrong with a call, from a parameter that fails its checks to a service error,
//! with the evidence kept: code, message, request id, HTTP status and, when decoding fails,
//! the raw body.
//!
//! [`SdkError`] is what every call returns; `service.rs` reads a [`ServiceError`] out of an
//! error response. What an error may quote of a body, and the secrets it must not, are the
//! rules of `crate::redact`.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

use crate::credentials::CredentialsError;
use crate::decode::DecodeError;
use crate::endpoint::EndpointError;
use crate::http::TransportError;
use crate::validate::BuildError;

mod service;

pub use service::{RETRY_AFTER_HEADER, ServiceError, code_matches};

/// Implements `Display`, `Error` and [`OperationError`] for a generated operation error enum
/// whose variants each hold a [`ServiceError`], sorting codes in the order given (exact codes
/// first, then patterns with `%s`) and everything else into `Unhandled`.
///
/// ```
/// #[derive(Debug)]
/// pub enum ListError {
///     NotFound(acs_runtime::ServiceError),
///     InvalidParameter(acs_runtime::ServiceError),
///     Unhandled(acs_runtime::ServiceError),
/// }
/// acs_runtime::codegen::operation_error!(ListError {
///     NotFound = "NotFound",
///     InvalidParameter = "InvalidParameter.%s",
/// });
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! operation_error {
    ($name:ident { $( $variant:ident = $code:literal ),* $(,)? }) => {
        impl ::core::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Display::fmt($crate::OperationError::service_error(self), f)
            }
        }

        impl ::std::error::Error for $name {}

        impl $crate::OperationError for $name {
            #[inline]
            fn from_service(err: $crate::ServiceError) -> Self {
                $(
                    if $crate::error::code_matches($code, err.code()) {
                        return Self::$variant(err);
                    }
                )*
                Self::Unhandled(err)
            }

            #[inline]

            fn service_error(&self) -> &$crate::ServiceError {
                match self {
                    $( Self::$variant(err) )|* | Self::Unhandled(err) => err,
                }
            }
        }
    };
}

/// The error type of one operation, generated per operation: a variant per documented code
/// and one for everything else, each keeping the [`ServiceError`].
pub trait OperationError: std::error::Error + Send + Sync + 'static {
    /// Sorts a service error into the operation's variants by its code.
    fn from_service(err: ServiceError) -> Self;
    /// The service error behind the variant.
    fn service_error(&self) -> &ServiceError;
}

/// Everything a call can fail with. `E` is the operation's error type, for errors the service
/// returned.
#[non_exhaustive]
pub enum SdkError<E> {
    /// A parameter failed its checks; nothing was sent.
    Build(BuildError),
    /// No credentials could be had; nothing was sent.
    Credentials(CredentialsError),
    /// No host could be chosen for the region; nothing was sent.
    Endpoint(EndpointError),
    /// The clock (`ConfigBuilder::clock`) reads a time a signature cannot carry (past the year
    /// 9999); nothing was sent.
    Clock(crate::sign::ClockOutOfRange),
    /// The request got no complete HTTP response (connect, timeout, dropped connection, body).
    Transport(TransportError),
    /// The service answered with an error.
    Service(E),
    /// The service answered 2xx, but the body is not the JSON the operation returns.
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// The body as it arrived.
        body: Bytes,
        /// Why it could not be decoded.
        source: DecodeError,
    },
    /// Every attempt the retry policy allows failed; the last failure is kept.
    RetriesExhausted {
        /// How many requests were sent.
        attempts: u32,
        /// The failure of the last attempt.
        last: Box<SdkError<E>>,
    },
    /// A walk through a listing's pages stopped before its end (see [`crate::paginate`]).
    Paging(crate::paginate::PagingError),
    /// A blocking client was called on a thread running an async runtime's tasks (in a task, or
    /// in the future given to `block_on`), where waiting would stall (or deadlock) the runtime's
    /// other tasks; nothing was sent. Use the async client there, or call from
    /// `tokio::task::spawn_blocking`, where the blocking client works.
    BlockingInAsyncContext,
    /// The call took longer than its operation timeout
    /// ([`TimeoutConfig::with_operation_timeout`](crate::TimeoutConfig::with_operation_timeout)),
    /// and was stopped in whatever attempt or backoff sleep it was in.
    OperationTimeout {
        /// The limit that ran out.
        limit: Duration,
        /// How many requests were sent (the last perhaps without its answer).
        attempts: u32,
    },
    /// The retry policy's time budget ran out before a retry could be sent; the last failure
    /// is kept.
    TimeBudgetSpent {
        /// How many requests were sent.
        attempts: u32,
        /// Time since the call began.
        elapsed: Duration,
        /// The failure of the last attempt.
        last: Box<SdkError<E>>,
    },
}

/// The raw body of a [`SdkError::Decode`] is shown by its length only: it may be a proxy's page
/// echoing the request, secrets and all (the body itself stays in the error, for the caller).
impl<E: fmt::Debug> fmt::Debug for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Build(err) => f.debug_tuple("Build").field(err).finish(),
            SdkError::Credentials(err) => f.debug_tuple("Credentials").field(err).finish(),
            SdkError::Endpoint(err) => f.debug_tuple("Endpoint").field(err).finish(),
            SdkError::Clock(err) => f.debug_tuple("Clock").field(err).finish(),
            SdkError::Transport(err) => f.debug_tuple("Transport").field(err).finish(),
            SdkError::Service(err) => f.debug_tuple("Service").field(err).finish(),
            SdkError::Decode {
                status,
                body,
                source,
            } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("body", &format_args!("<{} bytes>", body.len()))
                .field("source", source)
                .finish(),
            SdkError::RetriesExhausted { attempts, last } => f
                .debug_struct("RetriesExhausted")
                .field("attempts", attempts)
                .field("last", last)
                .finish(),
            SdkError::Paging(err) => f.debug_tuple("Paging").field(err).finish(),
            SdkError::BlockingInAsyncContext => f.write_str("BlockingInAsyncContext"),
            SdkError::OperationTimeout { limit, attempts } => f
                .debug_struct("OperationTimeout")
                .field("limit", limit)
                .field("attempts", attempts)
                .finish(),
            SdkError::TimeBudgetSpent {
                attempts,
                elapsed,
                last,
            } => f
                .debug_struct("TimeBudgetSpent")
                .field("attempts", attempts)
                .field("elapsed", elapsed)
                .field("last", last)
                .finish(),
        }
    }
}

impl SdkError<ServiceError> {
    /// The same failure with the service's error sorted into an operation's error type: the
    /// exchange is the same for every operation, and only this last step knows which one it was.
    pub(crate) fn into_operation_error<E: OperationError>(self) -> SdkError<E> {
        match self {
            SdkError::Build(err) => SdkError::Build(err),
            SdkError::Credentials(err) => SdkError::Credentials(err),
            SdkError::Endpoint(err) => SdkError::Endpoint(err),
            SdkError::Clock(err) => SdkError::Clock(err),
            SdkError::Transport(err) => SdkError::Transport(err),
            SdkError::Service(err) => SdkError::Service(E::from_service(err)),
            SdkError::Decode {
                status,
                body,
                source,
            } => SdkError::Decode {
                status,
                body,
                source,
            },
            SdkError::RetriesExhausted { attempts, last } => SdkError::RetriesExhausted {
                attempts,
                last: Box::new(last.into_operation_error()),
            },
            SdkError::Paging(err) => SdkError::Paging(err),
            SdkError::BlockingInAsyncContext => SdkError::BlockingInAsyncContext,
            SdkError::OperationTimeout { limit, attempts } => {
                SdkError::OperationTimeout { limit, attempts }
            }
            SdkError::TimeBudgetSpent {
                attempts,
                elapsed,
                last,
            } => SdkError::TimeBudgetSpent {
                attempts,
                elapsed,
                last: Box::new(last.into_operation_error()),
            },
        }
    }
}

impl<E: OperationError> SdkError<E> {
    /// The operation's error when the service answered with one, looking through
    /// [`SdkError::RetriesExhausted`] and [`SdkError::TimeBudgetSpent`].
    pub fn as_service_error(&self) -> Option<&E> {
        match self.last_error() {
            SdkError::Service(err) => Some(err),
            _ => None,
        }
    }

    /// The operation's error when the service answered with one, looking through retries.
    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(err) => Some(err),
            SdkError::RetriesExhausted { last, .. } | SdkError::TimeBudgetSpent { last, .. } => {
                last.into_service_error()
            }
            _ => None,
        }
    }

    /// The service's `RequestId`, when the service answered with an error.
    pub fn request_id(&self) -> Option<&str> {
        self.as_service_error()
            .and_then(|err| err.service_error().request_id())
    }

    /// The error of the last attempt: `self`, unless retries were given up.
    pub fn last_error(&self) -> &SdkError<E> {
        match self {
            SdkError::RetriesExhausted { last, .. } | SdkError::TimeBudgetSpent { last, .. } => {
                last.last_error()
            }
            other => other,
        }
    }

    /// Whether sending the same call again may succeed (throttling, 5xx, transport failures).
    pub fn is_retryable(&self) -> bool {
        match self {
            SdkError::Transport(err) => err.is_retryable(),
            SdkError::Service(err) => err.service_error().is_retryable(),
            _ => false,
        }
    }
}

impl<E: OperationError> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Build(err) => write!(f, "the request was not sent: {err}"),
            SdkError::Credentials(err) => {
                write!(f, "the request was not sent: no credentials: {err}")
            }
            SdkError::Endpoint(err) => {
                write!(f, "the request was not sent: no endpoint: {err}")
            }
            SdkError::Clock(err) => write!(f, "the request was not sent: {err}"),
            SdkError::Transport(err) => write!(f, "{err}"),
            SdkError::Service(err) => write!(f, "the service returned an error: {err}"),
            SdkError::Decode {
                status,
                body,
                source,
            } => write!(
                f,
                "the response (HTTP {status}, {} bytes) could not be decoded: {source}; the raw body is kept in the error",
                body.len()
            ),
            SdkError::RetriesExhausted { attempts, last } => {
                write!(
                    f,
                    "gave up after {attempts} attempts; the last failed: {last}"
                )
            }
            SdkError::Paging(err) => write!(f, "the listing was not read to its end: {err}"),
            SdkError::BlockingInAsyncContext => write!(
                f,
                "the request was not sent: a blocking client was called on a thread running an async runtime's tasks; use the async client there, or call it from `tokio::task::spawn_blocking`"
            ),
            SdkError::OperationTimeout { limit, attempts } => write!(
                f,
                "the call took longer than its operation timeout of {} ms ({attempts} attempts sent); raise it with `TimeoutConfig::with_operation_timeout` if the service is expected to be this slow",
                limit.as_millis()
            ),
            SdkError::TimeBudgetSpent {
                attempts,
                elapsed,
                last,
            } => write!(
                f,
                "gave up after {attempts} attempts in {} ms, the retry policy's time budget; the last failed: {last}",
                elapsed.as_millis()
            ),
        }
    }
}

impl<E: OperationError> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Build(err) => Some(err),
            SdkError::Credentials(err) => Some(err),
            SdkError::Endpoint(err) => Some(err),
            SdkError::Clock(err) => Some(err),
            SdkError::Transport(err) => Some(err),
            SdkError::Service(err) => Some(err),
            SdkError::Decode { source, .. } => Some(source),
            SdkError::Paging(err) => Some(err),
            SdkError::BlockingInAsyncContext => None,
            SdkError::OperationTimeout { .. } => None,
            SdkError::RetriesExhausted { last, .. } | SdkError::TimeBudgetSpent { last, .. } => {
                Some(last.as_ref())
            }
        }
    }
}

impl<E> From<BuildError> for SdkError<E> {
    fn from(err: BuildError) -> Self {
        SdkError::Build(err)
    }
}

impl<E> From<TransportError> for SdkError<E> {
    fn from(err: TransportError) -> Self {
        SdkError::Transport(err)
    }
}
