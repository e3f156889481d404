//! Failures the server can be told to produce, one request at a time.

use std::time::Duration;

use crate::response::{JSON_CONTENT_TYPE, Response};

/// A failure to produce instead of (or around) an action's normal answer.
///
/// Faults wait in a queue; each request that passes the gateway's checks takes the first fault
/// queued for its action or for any action. A rejected request (bad signature, stale date...)
/// takes none, so a fault never hides a rejection.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// `Throttling.User` with `status` (Alibaba sends 400; some gateways 429), and when
    /// `retry_after` is set, an `x-acs-retry-after` header in whole milliseconds (the unit
    /// Alibaba's SDKs read it in).
    Throttling {
        /// HTTP status to answer with.
        status: u16,
        /// Sent as `x-acs-retry-after: <milliseconds>` when set.
        retry_after: Option<Duration>,
    },
    /// `ServiceUnavailable` with a 5xx `status`.
    ServiceUnavailable {
        /// HTTP status to answer with, e.g. 503.
        status: u16,
    },
    /// `InternalError` with 500, as a service answers when it failed on its side, perhaps after
    /// doing the work.
    InternalError,
    /// Waits `delay` before sending the response headers, then answers normally: for client
    /// timeouts.
    Slow {
        /// How long to wait before the headers.
        delay: Duration,
    },
    /// Sends the normal answer's headers with its full `Content-Length`, then only the first half
    /// of the body, then closes the connection.
    TruncatedBody,
    /// Closes the connection without any response.
    DroppedConnection,
    /// A 502 HTML page, as a load balancer in front of the service sends.
    HtmlErrorPage,
    /// A 200 whose body is not JSON, though its `Content-Type` claims it is.
    NonJson,
}

impl Fault {
    /// `Throttling.User` as Alibaba usually sends it: 400, no `x-acs-retry-after`.
    pub fn throttling() -> Self {
        Self::Throttling {
            status: 400,
            retry_after: None,
        }
    }

    /// `ServiceUnavailable` with 503.
    pub fn service_unavailable() -> Self {
        Self::ServiceUnavailable { status: 503 }
    }

    /// [`Fault::Slow`] with `delay`.
    pub fn slow(delay: Duration) -> Self {
        Self::Slow { delay }
    }

    /// What to answer with in place of the action's response; `None` for faults that delay,
    /// cut or drop the normal answer instead.
    pub(crate) fn replacement(&self) -> Option<Response> {
        match self {
            Self::Throttling {
                status,
                retry_after,
            } => {
                let response = Response::error(
                    *status,
                    "Throttling.User",
                    "Request was denied due to user flow control.",
                );
                Some(match retry_after {
                    Some(wait) => {
                        response.header("x-acs-retry-after", wait.as_millis().to_string())
                    }
                    None => response,
                })
            }
            Self::ServiceUnavailable { status } => Some(Response::error(
                *status,
                "ServiceUnavailable",
                "The request has failed due to a temporary failure of the server.",
            )),
            Self::InternalError => Some(Response::error(
                500,
                "InternalError",
                "The request processing has failed due to some unknown error, exception or failure.",
            )),
            Self::HtmlErrorPage => Some(Response::raw(
                502,
                "text/html; charset=utf-8",
                "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n",
            )),
            Self::NonJson => Some(Response::raw(
                200,
                JSON_CONTENT_TYPE,
                "upstream answered, but not with JSON",
            )),
            Self::Slow { .. } | Self::TruncatedBody | Self::DroppedConnection => None,
        }
    }
}

/// A fault waiting for a request of `action` (or any action when `None`).
#[derive(Debug, Clone)]
pub(crate) struct QueuedFault {
    pub(crate) action: Option<String>,
    pub(crate) fault: Fault,
}
