//! The HTTP side: a hyper HTTP/1 server on 127.0.0.1 that hands each request to the gateway.

use std::collections::HashSet;
use std::error::Error as StdError;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use http_body::{Body, Frame, SizeHint};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Sleep;

use crate::clock::Clock;
use crate::credential::Credential;
use crate::fault::Fault;
use crate::gateway::{Arrival, Gateway, Reply};
use crate::recorded::{RecordedRequest, Rejection};
use crate::response::Response;

/// The most a request body may hold; larger ones get 413, so a runaway test cannot exhaust memory.
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// How far `x-acs-date`/`Timestamp` may be from the server's clock, as at Alibaba.
pub const DEFAULT_MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// How long a truncated body waits after its partial data before the connection is cut, so the
/// partial data reaches the client before the close does.
const TRUNCATION_PAUSE: Duration = Duration::from_millis(50);

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// `with_token` was called before any `credential`.
    #[error("with_token was called before any credential: call credential(id, secret) first")]
    TokenWithoutCredential,
    /// Binding 127.0.0.1 on an OS-picked port failed.
    #[error("could not listen on 127.0.0.1: {source}")]
    Bind {
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

/// Configures a [`TestServer`]; made by [`TestServer::builder`].
#[derive(Debug)]
pub struct TestServerBuilder {
    credentials: Vec<Credential>,
    unsigned_actions: HashSet<String>,
    token_without_credential: bool,
    clock: Clock,
    max_clock_skew: Duration,
}

impl TestServerBuilder {
    /// Accepts requests signed with this AccessKey. Call again to accept several.
    pub fn credential(
        mut self,
        access_key_id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        self.credentials
            .push(Credential::new(access_key_id, secret));
        self
    }

    /// Accepts requests signed with `credential` (with its token, if it has one): for the
    /// credentials a [`FakeSts`](crate::FakeSts) or [`FakeMetadata`](crate::FakeMetadata) hands
    /// out.
    pub fn accept(mut self, credential: Credential) -> Self {
        self.credentials.push(credential);
        self
    }

    /// Makes the credential added last an STS one: its requests must carry `token`.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        match self.credentials.pop() {
            Some(last) => self.credentials.push(last.with_token(token)),
            None => self.token_without_credential = true,
        }
        self
    }

    /// Accepts `action` without any signature, as STS takes `AssumeRoleWithOIDC` (the OIDC token
    /// in its parameters authenticates it). The call must still carry what the official SDKs
    /// send unsigned: `Action`, `Version`, a fresh `Timestamp` and an unused `SignatureNonce` as
    /// parameters; its other parameters are the handler's to check.
    pub fn accept_unsigned(mut self, action: impl Into<String>) -> Self {
        self.unsigned_actions.insert(action.into());
        self
    }

    /// Reads "now" from `clock` when checking request dates (default: the system clock).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// How far a request's date may be from the clock (default 15 minutes).
    pub fn max_clock_skew(mut self, skew: Duration) -> Self {
        self.max_clock_skew = skew;
        self
    }

    /// Binds 127.0.0.1 on a port the OS picks and starts serving on the current tokio runtime.
    pub async fn start(self) -> Result<TestServer, StartError> {
        if self.token_without_credential {
            return Err(StartError::TokenWithoutCredential);
        }
        let (listener, addr) = bind_loopback().await?;
        let gateway = Arc::new(Gateway::new(
            self.credentials,
            self.unsigned_actions,
            self.clock,
            self.max_clock_skew,
        ));
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&gateway), stopped));
        Ok(TestServer {
            addr,
            gateway,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// A local imitation of Alibaba Cloud's RPC gateway, listening on 127.0.0.1.
///
/// It checks each request's signature, AccessKey, date and nonce as the real gateway does,
/// answers with the responses and faults a test registered, and records everything. It stops
/// when dropped, or with [`TestServer::shutdown`].
pub struct TestServer {
    addr: SocketAddr,
    gateway: Arc<Gateway>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for TestServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl TestServer {
    /// Starts configuring a server.
    pub fn builder() -> TestServerBuilder {
        TestServerBuilder {
            credentials: Vec::new(),
            unsigned_actions: HashSet::new(),
            token_without_credential: false,
            clock: Clock::system(),
            max_clock_skew: DEFAULT_MAX_CLOCK_SKEW,
        }
    }

    /// The base URL to point a client at: `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `127.0.0.1:PORT`, the `host` header a client sends (and signs).
    pub fn host(&self) -> String {
        self.addr.to_string()
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers every request for `action` with `status` and the JSON `body` (a `RequestId` is
    /// added to an object that has none). Replaces any earlier answer for `action`.
    pub fn respond(&self, action: impl Into<String>, status: u16, body: Value) {
        let response = Response::json(status, body);
        self.respond_with(action, move |_| response.clone());
    }

    /// Answers each request for `action` with what `answer` returns for it; for example a page
    /// chosen by the request's `PageNumber`. Replaces any earlier answer for `action`.
    pub fn respond_with<F>(&self, action: impl Into<String>, answer: F)
    where
        F: Fn(&RecordedRequest) -> Response + Send + Sync + 'static,
    {
        self.gateway.set_handler(action.into(), Arc::new(answer));
    }

    /// Queues `fault` for the next verified request of any action.
    pub fn inject(&self, fault: Fault) {
        self.gateway.push_fault(None, fault);
    }

    /// Queues `fault` for the next verified request of `action`.
    pub fn inject_for(&self, action: impl Into<String>, fault: Fault) {
        self.gateway.push_fault(Some(action.into()), fault);
    }

    /// How many injected faults no request has taken yet.
    pub fn pending_faults(&self) -> usize {
        self.gateway.pending_faults()
    }

    /// Every request received so far, oldest first, including rejected ones.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.gateway.requests()
    }

    /// Forgets the recorded requests (not the nonces already used, which stay used).
    pub fn clear_requests(&self) {
        self.gateway.clear_requests();
    }

    /// Stops accepting, closes every open connection and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            // The task may already be gone; then there is nothing to stop.
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            // A join error means the task was cancelled or panicked; either way it has ended.
            let _ = task.await;
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Aborting the accept task drops its JoinSet, which aborts every connection task.
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A listener on 127.0.0.1, on a port the OS picks, and its address.
pub(crate) async fn bind_loopback() -> Result<(TcpListener, SocketAddr), StartError> {
    let bind = |source| StartError::Bind { source };
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .await
        .map_err(bind)?;
    let addr = listener.local_addr().map_err(bind)?;
    Ok((listener, addr))
}

async fn accept_loop(
    listener: TcpListener,
    gateway: Arc<Gateway>,
    mut stopped: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, Arc::clone(&gateway)));
                }
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

async fn serve_connection(stream: TcpStream, gateway: Arc<Gateway>) {
    let service = service_fn(move |request| answer(Arc::clone(&gateway), request));
    // A connection ending in an error is what several faults are for; nothing to report.
    let _ = http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// The service's error: hyper closes the connection without a response.
#[derive(Debug)]
struct ConnectionDropped;

impl fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose by the test server")
    }
}

impl StdError for ConnectionDropped {}

async fn answer(
    gateway: Arc<Gateway>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<ReplyBody>, ConnectionDropped> {
    let (parts, body) = request.into_parts();
    let mut arrival = Arrival {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        raw_query: parts.uri.query().unwrap_or_default().to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: Bytes::new(),
    };
    let reply = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => {
            arrival.body = collected.to_bytes();
            gateway.handle(arrival)
        }
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => gateway.reject_unread(
            arrival,
            Rejection::new(
                413,
                "RequestEntityTooLarge",
                format!("The request body exceeds {MAX_BODY_BYTES} bytes."),
            ),
        ),
        // The client went away mid-body: there is no one to answer.
        Err(_) => return Err(ConnectionDropped),
    };
    let Reply::Send {
        response,
        delay,
        truncate,
    } = reply
    else {
        return Err(ConnectionDropped);
    };
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let full_length = response.body.len();
    let body = if truncate {
        ReplyBody::truncated(response.body)
    } else {
        ReplyBody::full(response.body)
    };
    let mut reply = hyper::Response::new(body);
    *reply.status_mut() =
        StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in response.headers {
        reply.headers_mut().append(name, value);
    }
    if truncate {
        // Declares the whole body; the body then sends half of it and fails, which cuts the
        // connection.
        reply
            .headers_mut()
            .insert(http::header::CONTENT_LENGTH, HeaderValue::from(full_length));
    }
    Ok(reply)
}

/// A response body: whole, or (for [`Fault::TruncatedBody`]) half of it and then an error.
struct ReplyBody {
    data: Option<Bytes>,
    cut: Option<Pin<Box<Sleep>>>,
}

impl ReplyBody {
    fn full(bytes: Bytes) -> Self {
        Self {
            data: Some(bytes).filter(|bytes| !bytes.is_empty()),
            cut: None,
        }
    }

    fn truncated(bytes: Bytes) -> Self {
        let half = bytes.slice(..bytes.len() / 2);
        Self {
            data: Some(half).filter(|bytes| !bytes.is_empty()),
            cut: Some(Box::pin(tokio::time::sleep(TRUNCATION_PAUSE))),
        }
    }
}

/// The body error that makes hyper cut a truncated response's connection.
#[derive(Debug)]
struct BodyCut;

impl fmt::Display for BodyCut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("response body cut short on purpose by the test server")
    }
}

impl StdError for BodyCut {}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = BodyCut;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyCut>>> {
        if let Some(data) = self.data.take() {
            return Poll::Ready(Some(Ok(Frame::data(data))));
        }
        match self.cut.as_mut() {
            None => Poll::Ready(None),
            Some(pause) => match pause.as_mut().poll(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(()) => {
                    self.cut = None;
                    Poll::Ready(Some(Err(BodyCut)))
                }
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.data.is_none() && self.cut.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        match (&self.data, &self.cut) {
            (Some(data), None) => SizeHint::with_exact(data.len() as u64),
            (None, None) => SizeHint::with_exact(0),
            // Unknown, so hyper frames the body by the Content-Length header set above.
            (_, Some(_)) => SizeHint::default(),
        }
    }
}
