//! The HTTP exchange as plain data, and the transports that carry it.
//!
//! The client signs and retries; a transport only sends one request and returns one response.
//! Keeping that seam small lets a user plug in another HTTP client, or answer from memory in
//! tests, without touching signing or retries.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};

use bytes::Bytes;

use crate::redact::excerpt::cut_for_error;
use crate::redact::{REDACTED, is_secret_header, url_target};

pub use crate::redact::redact_url;

/// The boxed error a transport keeps as the cause of a [`TransportError`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The future a transport returns: boxed so that [`HttpTransport`] stays object-safe.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// One signed request, ready to send as it is.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// HTTP method (`POST`, `GET`).
    pub method: String,
    /// Full URL, query included, already percent-encoded exactly as it was signed.
    pub url: String,
    /// Header names (lower case) and values, in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// Request body (a form body, or empty).
    pub body: Bytes,
}

impl HttpRequest {
    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The query string of the URL, without the `?`; empty when there is none.
    pub fn query(&self) -> &str {
        let without_fragment = self.url.split('#').next().unwrap_or_default();
        without_fragment
            .split_once('?')
            .map(|(_, query)| query)
            .unwrap_or_default()
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &redact_url(&self.url))
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

/// One response as it arrived.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Header names (lower case) and values, in the order they arrived.
    pub headers: Vec<(String, String)>,
    /// The whole response body.
    pub body: Bytes,
}

impl HttpResponse {
    /// A response with a status and a body and no headers.
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header (the name is stored in lower case), for building canned responses.
    #[must_use]
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .finish()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

struct RedactedHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0 {
            if is_secret_header(name) {
                list.entry(&(name, REDACTED));
            } else {
                list.entry(&(name, value));
            }
        }
        list.finish()
    }
}

/// The messages of an error and its sources, joined by `: `, skipping a message its
/// predecessor already contains.
fn cause_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        let message = cause.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        next = cause.source();
    }
    text
}

/// Which step of the exchange failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (DNS, refused, TLS handshake, connect timeout).
    Connect,
    /// The server did not answer within the read timeout.
    Timeout,
    /// The connection broke during the exchange (reset, closed before the response).
    Io,
    /// The response head arrived but its body could not be read to the end.
    Body,
    /// The transport could not express the request (an invalid header, say); sending it again
    /// cannot help.
    InvalidRequest,
    /// The server answered with a redirect (3xx). It is not followed: a signed request goes only
    /// to the host it was signed for, since following would hand its security token to another.
    Redirect,
    /// The response body is larger than the configured limit
    /// ([`ConfigBuilder::max_response_body`](crate::ConfigBuilder::max_response_body)); it was not
    /// read past the limit.
    BodyTooLarge,
}

impl TransportErrorKind {
    fn describe(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "could not connect to",
            TransportErrorKind::Timeout => "timed out waiting for",
            TransportErrorKind::Io => "the connection broke while talking to",
            TransportErrorKind::Body => "could not read the response body from",
            TransportErrorKind::InvalidRequest => "could not send the request to",
            TransportErrorKind::Redirect => "the server answered with a redirect to",
            TransportErrorKind::BodyTooLarge => "the response body is too large from",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => {
                "check the endpoint, the network, DNS and any proxy settings"
            }
            TransportErrorKind::Timeout => {
                "the service or the network is slow; raise the timeout or retry later"
            }
            TransportErrorKind::Io | TransportErrorKind::Body => {
                "the server or a proxy closed the connection; retrying usually helps"
            }
            TransportErrorKind::InvalidRequest => {
                "the request cannot be sent as it is, so retrying will not help"
            }
            TransportErrorKind::Redirect => {
                "a signed request is only sent to the host it was signed for; check the endpoint and any proxy"
            }
            TransportErrorKind::BodyTooLarge => {
                "raise the limit with `ConfigBuilder::max_response_body` if answers this large are expected, or ask for smaller pages"
            }
        }
    }
}

/// A request that got no complete HTTP response.
#[derive(Debug, thiserror::Error)]
#[error("{} {target}: {detail}; {}", kind.describe(), kind.hint())]
pub struct TransportError {
    kind: TransportErrorKind,
    target: String,
    /// The messages of the whole cause chain: the root cause (`Connection refused`) is what a
    /// reader needs, and it sits several levels down in HTTP clients' errors.
    detail: String,
    #[source]
    source: BoxError,
}

impl TransportError {
    /// A transport failure of `kind` while sending to `url` (only scheme, host and path are
    /// kept, so that a signed query never reaches an error message). The target (a redirect's
    /// `Location` is the server's to choose) and the causes' messages are each cut to 2,048
    /// characters.
    pub fn new(kind: TransportErrorKind, url: &str, source: impl Into<BoxError>) -> Self {
        let source = source.into();
        TransportError {
            kind,
            target: cut_for_error(&url_target(url)),
            detail: cut_for_error(&cause_chain(source.as_ref())),
            source,
        }
    }

    /// Which step of the exchange failed.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Scheme, host and path the request was going to.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Whether sending the same request again may succeed: everything but a request the
    /// transport cannot express, a redirect and a body over the limit (each would come again).
    pub fn is_retryable(&self) -> bool {
        !matches!(
            self.kind,
            TransportErrorKind::InvalidRequest
                | TransportErrorKind::Redirect
                | TransportErrorKind::BodyTooLarge
        )
    }

    /// Whether the service may have received the request, and so may have done its work: `false`
    /// only when no connection was made or nothing could be sent. A call that is not safe to
    /// repeat is retried only when this is `false`.
    pub fn may_have_reached_service(&self) -> bool {
        !matches!(
            self.kind,
            TransportErrorKind::Connect | TransportErrorKind::InvalidRequest
        )
    }
}

/// Sends one request and returns one complete response.
///
/// Implement it to use another HTTP client, or use [`InMemoryTransport`] to answer from memory.
/// A transport does not retry: the client does, with a fresh signature per attempt.
///
/// A transport must not follow redirects: a signed request carries its security token (in a
/// header, or with signature V2 in the query), and following a redirect would send it to a host
/// it was not signed for. The client turns a 3xx answer into a [`TransportErrorKind::Redirect`]
/// error. It also bounds each attempt in time ([`crate::TimeoutConfig`]), so a transport
/// need not.
pub trait HttpTransport: Send + Sync + fmt::Debug {
    /// Sends `request` and reads the whole response.
    fn send(&self, request: HttpRequest) -> TransportFuture<'_>;

    /// Sends `request` and reads the whole response, failing with
    /// [`TransportErrorKind::BodyTooLarge`] rather than reading a body longer than
    /// `max_body_bytes`. The client calls this one. The default sends with [`send`](Self::send)
    /// and lets the client check the length afterwards; a transport that streams the body
    /// should override it to stop at the limit.
    fn send_limited(&self, request: HttpRequest, max_body_bytes: u64) -> TransportFuture<'_> {
        let _ = max_body_bytes;
        self.send(request)
    }
}

type Responder = dyn Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync;

/// A transport that answers from memory and records every request it got.
///
/// For tests, with no sockets: answer with a closure ([`InMemoryTransport::from_fn`]) or with a
/// queue of canned responses ([`InMemoryTransport::from_responses`]).
pub struct InMemoryTransport {
    responder: Box<Responder>,
    requests: Mutex<Vec<HttpRequest>>,
}

impl InMemoryTransport {
    /// Answers every request with what `responder` returns for it.
    pub fn from_fn(
        responder: impl Fn(&HttpRequest) -> Result<HttpResponse, TransportError> + Send + Sync + 'static,
    ) -> Self {
        InMemoryTransport {
            responder: Box::new(responder),
            requests: Mutex::new(Vec::new()),
        }
    }

    /// Answers the requests in turn with `responses`; once they run out, every further request
    /// fails with a non-retryable error that says so.
    pub fn from_responses(
        responses: impl IntoIterator<Item = Result<HttpResponse, TransportError>>,
    ) -> Self {
        let queue = Mutex::new(responses.into_iter().collect::<VecDeque<_>>());
        Self::from_fn(move |request| {
            lock(&queue).pop_front().unwrap_or_else(|| {
                Err(TransportError::new(
                    TransportErrorKind::InvalidRequest,
                    &request.url,
                    "the in-memory transport has no canned response left",
                ))
            })
        })
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        lock(&self.requests).clone()
    }

    /// How many requests were received so far.
    pub fn request_count(&self) -> usize {
        lock(&self.requests).len()
    }
}

impl fmt::Debug for InMemoryTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InMemoryTransport")
            .field("requests", &self.request_count())
            .finish_non_exhaustive()
    }
}

impl HttpTransport for InMemoryTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        let answer = (self.responder)(&request);
        lock(&self.requests).push(request);
        Box::pin(std::future::ready(answer))
    }
}

/// The error for a body over `limit` bytes; `announced` is the `Content-Length`, when the
/// server sent one.
pub(crate) fn body_too_large(url: &str, limit: u64, announced: Option<u64>) -> TransportError {
    let detail = match announced {
        Some(length) => format!(
            "its Content-Length of {length} bytes is over the limit of {limit} bytes, so none of it was read"
        ),
        None => format!("more than the limit of {limit} bytes arrived; reading stopped there"),
    };
    TransportError::new(TransportErrorKind::BodyTooLarge, url, detail)
}

/// Locks a mutex even if a panicking test thread poisoned it: the data is a plain list.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The HTTP client could not be set up (its TLS backend failed to start, or a proxy URL given
/// to it is not valid).
#[cfg(any(feature = "hyper", feature = "reqwest"))]
#[derive(Debug, thiserror::Error)]
#[error("could not set up the HTTP client: {0}")]
pub struct TransportSetupError(#[source] BoxError);

#[cfg(feature = "hyper")]
mod hyper_transport;
#[cfg(feature = "hyper")]
pub use self::hyper_transport::{HyperTransport, HyperTransportBuilder};

#[cfg(feature = "reqwest")]
pub use self::reqwest_transport::ReqwestTransport;

#[cfg(feature = "reqwest")]
mod reqwest_transport {
    use std::time::Duration;

    use super::{
        BoxError, HttpRequest, HttpResponse, HttpTransport, TransportError, TransportErrorKind,
        TransportFuture, TransportSetupError,
    };

    /// A transport over reqwest on tokio, TLS by rustls (no OpenSSL), with HTTP/2; the
    /// `reqwest` feature of acs-runtime. The default one is [`super::HyperTransport`], which
    /// costs a program far less to compile; this one takes a `reqwest::ClientBuilder` of yours.
    ///
    /// Redirects are never followed and no `Referer` is sent: a signed request must reach only
    /// the host it was signed for, and with signature V2 its URL holds the security token. That
    /// is why there is no way to hand it a ready-built `reqwest::Client` (whose redirect policy
    /// cannot be read or changed): give [`ReqwestTransport::from_builder`] a
    /// `reqwest::ClientBuilder` with your proxies, root certificates and pool settings instead,
    /// and it switches redirects and `Referer` off before building.
    ///
    /// The body is read chunk by chunk against the limit the client passes
    /// ([`HttpTransport::send_limited`]): a `Content-Length` above it fails before any of the body
    /// is read. An empty `POST` goes out with `Content-Length: 0`, as some proxies require.
    #[derive(Debug, Clone)]
    pub struct ReqwestTransport {
        client: reqwest::Client,
    }

    impl ReqwestTransport {
        /// A transport that gives up connecting after `connect_timeout` and waiting for data
        /// after `read_timeout` without any arriving.
        pub fn new(
            connect_timeout: Duration,
            read_timeout: Duration,
        ) -> Result<Self, TransportSetupError> {
            Self::from_builder(
                reqwest::Client::builder()
                    .connect_timeout(connect_timeout)
                    .read_timeout(read_timeout),
            )
        }

        /// Builds the transport from a reqwest client builder the caller configured (proxies,
        /// root certificates, pools, timeouts), with redirects and `Referer` switched off whatever
        /// the builder said.
        pub fn from_builder(builder: reqwest::ClientBuilder) -> Result<Self, TransportSetupError> {
            let client = builder
                .redirect(reqwest::redirect::Policy::none())
                .referer(false)
                .build()
                .map_err(|err| TransportSetupError(Box::new(err.without_url())))?;
            Ok(ReqwestTransport { client })
        }
    }

    impl HttpTransport for ReqwestTransport {
        fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
            self.send_limited(request, crate::client::DEFAULT_MAX_RESPONSE_BODY)
        }

        fn send_limited(&self, request: HttpRequest, max_body_bytes: u64) -> TransportFuture<'_> {
            Box::pin(async move {
                let url = request.url.clone();
                let outgoing = self.to_reqwest(request)?;
                let mut response = self
                    .client
                    .execute(outgoing)
                    .await
                    .map_err(|err| map_error(err, &url, TransportErrorKind::Io))?;
                if let Some(announced) = response.content_length() {
                    if announced > max_body_bytes {
                        return Err(super::body_too_large(&url, max_body_bytes, Some(announced)));
                    }
                }
                let status = response.status().as_u16();
                let headers = response
                    .headers()
                    .iter()
                    .map(|(name, value)| {
                        (
                            name.as_str().to_owned(),
                            String::from_utf8_lossy(value.as_bytes()).into_owned(),
                        )
                    })
                    .collect();
                let mut body = bytes::BytesMut::new();
                while let Some(chunk) = response
                    .chunk()
                    .await
                    .map_err(|err| map_error(err, &url, TransportErrorKind::Body))?
                {
                    let total =
                        u64::try_from(body.len().saturating_add(chunk.len())).unwrap_or(u64::MAX);
                    if total > max_body_bytes {
                        return Err(super::body_too_large(&url, max_body_bytes, None));
                    }
                    body.extend_from_slice(&chunk);
                }
                let body = body.freeze();
                Ok(HttpResponse {
                    status,
                    headers,
                    body,
                })
            })
        }
    }

    impl ReqwestTransport {
        fn to_reqwest(&self, request: HttpRequest) -> Result<reqwest::Request, TransportError> {
            let invalid = |err: BoxError| {
                TransportError::new(TransportErrorKind::InvalidRequest, &request.url, err)
            };
            let method = reqwest::Method::from_bytes(request.method.as_bytes())
                .map_err(|err| invalid(Box::new(err)))?;
            let mut builder = self.client.request(method, &request.url);
            for (name, value) in &request.headers {
                let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                    .map_err(|err| invalid(Box::new(err)))?;
                let value = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
                    invalid(format!("the value of header `{name}` is not valid in HTTP").into())
                })?;
                builder = builder.header(name, value);
            }
            // hyper sends no `Content-Length` for an empty body; proxies may answer a POST
            // without one with 411, and the official SDKs send `content-length: 0`.
            if request.body.is_empty()
                && !matches!(request.method.as_str(), "GET" | "HEAD")
                && request.header("content-length").is_none()
            {
                builder = builder.header(reqwest::header::CONTENT_LENGTH, "0");
            }
            builder
                .body(request.body)
                .build()
                .map_err(|err| invalid(Box::new(err.without_url())))
        }
    }

    /// Sorts a reqwest error into the step that failed; `otherwise` names the step in progress.
    fn map_error(err: reqwest::Error, url: &str, otherwise: TransportErrorKind) -> TransportError {
        let kind = if err.is_connect() {
            TransportErrorKind::Connect
        } else if err.is_timeout() {
            TransportErrorKind::Timeout
        } else if err.is_body() || err.is_decode() {
            TransportErrorKind::Body
        } else if err.is_builder() {
            TransportErrorKind::InvalidRequest
        } else {
            otherwise
        };
        TransportError::new(kind, url, err.without_url())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_security_token() {
        let request = HttpRequest {
            method: "POST".into(),
            url: "https://ecs.aliyuncs.com/?AccessKeyId=AK&SecurityToken=sts-secret&Action=X"
                .into(),
            headers: vec![
                ("x-acs-security-token".into(), "sts-secret".into()),
                ("X-aliyun-ecs-metadata-token".into(), "imds-secret".into()),
                (
                    "x-aliyun-ecs-metadata-token-ttl-seconds".into(),
                    "21600".into(),
                ),
            ],
            body: Bytes::new(),
        };
        let shown = format!("{request:?}");
        assert!(!shown.contains("sts-secret"), "{shown}");
        assert!(!shown.contains("imds-secret"), "{shown}");
        assert!(shown.contains("21600"), "{shown}");
        assert!(shown.contains("Action=X"), "{shown}");
    }

    #[test]
    fn transport_error_names_the_host_but_not_the_query() {
        let err = TransportError::new(
            TransportErrorKind::Connect,
            "https://ecs.aliyuncs.com/?SecurityToken=sts-secret",
            "connection refused",
        );
        let shown = err.to_string();
        assert!(shown.contains("https://ecs.aliyuncs.com/"), "{shown}");
        assert!(!shown.contains("sts-secret"), "{shown}");
        assert!(err.is_retryable());
    }

    #[test]
    fn query_is_the_part_after_the_question_mark() {
        let request = HttpRequest {
            method: "GET".into(),
            url: "http://127.0.0.1:1/?A=1&B=2".into(),
            headers: Vec::new(),
            body: Bytes::new(),
        };
        assert_eq!(request.query(), "A=1&B=2");
    }

    #[test]
    fn in_memory_transport_runs_out_without_retry() {
        let transport = InMemoryTransport::from_responses([Ok(HttpResponse::new(200, "{}"))]);
        let request = HttpRequest {
            method: "POST".into(),
            url: "http://127.0.0.1:1/".into(),
            headers: Vec::new(),
            body: Bytes::new(),
        };
        let first = futures_util::FutureExt::now_or_never(transport.send(request.clone()));
        assert!(matches!(first, Some(Ok(ref r)) if r.status == 200));
        let second = futures_util::FutureExt::now_or_never(transport.send(request));
        match second {
            Some(Err(err)) => assert!(!err.is_retryable()),
            other => panic!("expected an error, got {other:?}"),
        }
        assert_eq!(transport.request_count(), 2);
    }
}
