//! The default transport: hyper's HTTP/1.1 client, TLS by rustls.
//!
//! Built from hyper's own parts rather than a higher-level client: the SDK sends one signed
//! request to one known host and reads one bounded answer, so it needs no redirects, cookies,
//! decompression, URL parsing with international domain names or HTTP/2 (which the `http2`
//! feature turns on), and a higher-level client compiles all of them into every program.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::Uri;
use http::uri::Scheme;
use http_body_util::{BodyExt, Full};
use hyper::body::Body;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder, MaybeHttpsStream};
use hyper_util::client::legacy::Client as PooledClient;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::TcpStream;

use super::{
    BoxError, HttpRequest, HttpResponse, HttpTransport, TransportError, TransportErrorKind,
    TransportFuture, TransportSetupError,
};

/// The default transport: hyper's HTTP/1.1 client on tokio, TLS by rustls (with *ring*, and
/// Mozilla's root certificates from `webpki-roots`; no OpenSSL), proxies from the environment.
///
/// - Redirects are never followed and no `Referer` is sent: a signed request must reach only the
///   host it was signed for, and with signature V2 its URL holds the security token.
/// - Proxies: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (or their lower-case
///   forms), read once when the transport is built, as curl reads them. An `https` request goes
///   through a `CONNECT` tunnel; an `http` one is sent to the proxy whole. A proxy URL may hold a
///   user name and password (`http://user:pass@proxy:3128`); SOCKS proxies are not supported.
/// - The body is read chunk by chunk against the limit the client passes
///   ([`HttpTransport::send_limited`]): a `Content-Length` above it fails before any of the body
///   is read. An empty `POST` goes out with `Content-Length: 0`, as some proxies require.
/// - The connect limit covers the TCP connection, any proxy tunnel and the TLS handshake; the
///   read limit bounds the wait for the response head from the start of the request, then the
///   wait for each piece of the body.
/// - HTTP/2 is offered (by ALPN, over TLS) only with the `http2` feature of acs-runtime.
/// - A host name must be ASCII: give an international domain name in its `xn--` form.
#[derive(Clone)]
pub struct HyperTransport {
    client: PooledClient<TimedConnector, Full<Bytes>>,
    proxies: Option<Arc<Matcher>>,
    read_timeout: Duration,
}

impl fmt::Debug for HyperTransport {
    // A proxy URL from the environment may hold a password: only whether there are proxies shows.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport")
            .field("read_timeout", &self.read_timeout)
            .field("proxies", &self.proxies.is_some())
            .finish_non_exhaustive()
    }
}

/// Where a [`HyperTransport`] finds its proxies.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ProxySource {
    Environment,
    Direct,
    /// Every request through this proxy URL.
    Every(String),
}

/// Settings of a [`HyperTransport`]: limits, proxies and TLS.
#[derive(Clone)]
pub struct HyperTransportBuilder {
    connect_timeout: Duration,
    read_timeout: Duration,
    proxies: ProxySource,
    tls: Option<rustls::ClientConfig>,
}

impl fmt::Debug for HyperTransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let proxies = match &self.proxies {
            ProxySource::Environment => "from the environment",
            ProxySource::Direct => "none",
            ProxySource::Every(_) => "one for every request",
        };
        f.debug_struct("HyperTransportBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("proxies", &proxies)
            .field("custom_tls", &self.tls.is_some())
            .finish()
    }
}

impl HyperTransport {
    /// A transport that gives up connecting after `connect_timeout` and waiting for data
    /// after `read_timeout` without any arriving; proxies from the environment.
    pub fn new(
        connect_timeout: Duration,
        read_timeout: Duration,
    ) -> Result<Self, TransportSetupError> {
        Self::builder()
            .connect_timeout(connect_timeout)
            .read_timeout(read_timeout)
            .build()
    }

    /// Settings to start from: the default limits of [`crate::Config`], proxies from the
    /// environment, the Mozilla root certificates.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder {
            connect_timeout: crate::config::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: crate::config::DEFAULT_READ_TIMEOUT,
            proxies: ProxySource::Environment,
            tls: None,
        }
    }
}

impl HyperTransportBuilder {
    /// How long to wait for a connection (TCP, proxy tunnel and TLS handshake together).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long to wait for the response head, and then for each piece of the body.
    #[must_use]
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Connects to every host directly, whatever the environment's proxy variables say.
    #[must_use]
    pub fn no_proxy(mut self) -> Self {
        self.proxies = ProxySource::Direct;
        self
    }

    /// Sends every request through the proxy at `url` (`http://proxy:3128`, with
    /// `user:password@` when it asks for them), instead of the environment's proxies.
    #[must_use]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxies = ProxySource::Every(url.into());
        self
    }

    /// TLS settings of your own (other root certificates, a client certificate), instead of
    /// the Mozilla roots. Its ALPN protocols are replaced by the ones this transport speaks.
    #[must_use]
    pub fn tls_config(mut self, config: rustls::ClientConfig) -> Self {
        self.tls = Some(config);
        self
    }

    /// Builds the transport.
    pub fn build(self) -> Result<HyperTransport, TransportSetupError> {
        let tls = match self.tls {
            Some(config) => config,
            None => default_tls()?,
        };
        let proxies = match self.proxies {
            ProxySource::Environment => Some(Matcher::from_env()),
            ProxySource::Direct => None,
            ProxySource::Every(url) => {
                let proxy: Uri = url.parse().map_err(|err: http::uri::InvalidUri| {
                    TransportSetupError(format!("the proxy URL is not valid: {err}").into())
                })?;
                if proxy.host().is_none() {
                    return Err(TransportSetupError("the proxy URL has no host".into()));
                }
                Some(Matcher::builder().all(url).build())
            }
        }
        .map(Arc::new);
        let mut tcp = HttpConnector::new();
        // `https` URLs reach this connector too: TLS goes on top of what it returns.
        tcp.enforce_http(false);
        tcp.set_nodelay(true);
        let to_proxy = with_tls(tls.clone(), tcp.clone());
        let routed = RoutedConnector {
            tcp,
            to_proxy,
            proxies: proxies.clone(),
        };
        let connector = TimedConnector {
            inner: with_tls(tls, routed),
            limit: self.connect_timeout,
        };
        let client = PooledClient::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(connector);
        Ok(HyperTransport {
            client,
            proxies,
            read_timeout: self.read_timeout,
        })
    }
}

/// rustls with the *ring* provider (the same the rest of the SDK's crypto could share), TLS 1.2
/// and 1.3, and Mozilla's root certificates.
fn default_tls() -> Result<rustls::ClientConfig, TransportSetupError> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|err| TransportSetupError(Box::new(err)))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(config)
}

/// TLS on top of `connector` for `https` URLs, plain for `http` ones; ALPN offers HTTP/2 only
/// with the `http2` feature.
fn with_tls<C>(config: rustls::ClientConfig, connector: C) -> HttpsConnector<C> {
    let builder = HttpsConnectorBuilder::new()
        .with_tls_config(config)
        .https_or_http();
    #[cfg(feature = "http2")]
    let builder = builder.enable_all_versions();
    #[cfg(not(feature = "http2"))]
    let builder = builder.enable_http1();
    builder.wrap_connector(connector)
}

type ConnectFuture<T> = Pin<Box<dyn Future<Output = Result<T, BoxError>> + Send>>;

/// The connector the pool uses: TLS over a [`RoutedConnector`], the whole bounded by the
/// connect limit.
#[derive(Clone)]
struct TimedConnector {
    inner: HttpsConnector<RoutedConnector>,
    limit: Duration,
}

/// The connect limit passed.
#[derive(Debug, thiserror::Error)]
#[error("no connection within {0:?}")]
struct ConnectTimedOut(Duration);

impl tower_service::Service<Uri> for TimedConnector {
    type Response = MaybeHttpsStream<RoutedStream>;
    type Error = BoxError;
    type Future = ConnectFuture<Self::Response>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, target: Uri) -> Self::Future {
        let connecting = self.inner.call(target);
        let limit = self.limit;
        Box::pin(async move {
            match tokio::time::timeout(limit, connecting).await {
                Ok(connected) => connected,
                Err(_) => Err(Box::new(ConnectTimedOut(limit)) as BoxError),
            }
        })
    }
}

/// Opens the stream that carries a request to `target`: a TCP connection to it, a `CONNECT`
/// tunnel to it through a proxy (for `https`), or a connection to the proxy itself (for `http`,
/// whose requests then go to the proxy in absolute form).
#[derive(Clone)]
struct RoutedConnector {
    tcp: HttpConnector,
    to_proxy: HttpsConnector<HttpConnector>,
    proxies: Option<Arc<Matcher>>,
}

/// A SOCKS or otherwise unknown proxy scheme.
#[derive(Debug, thiserror::Error)]
#[error("the proxy scheme `{0}` is not supported; use an `http://` or `https://` proxy")]
struct UnsupportedProxy(String);

impl tower_service::Service<Uri> for RoutedConnector {
    type Response = RoutedStream;
    type Error = BoxError;
    type Future = ConnectFuture<Self::Response>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, target: Uri) -> Self::Future {
        let mut this = self.clone();
        Box::pin(async move {
            let proxy = this
                .proxies
                .as_ref()
                .and_then(|proxies| proxies.intercept(&target));
            let Some(proxy) = proxy else {
                let tcp = this.tcp.call(target).await?;
                return Ok(RoutedStream {
                    io: MaybeHttpsStream::Http(tcp),
                    to_proxy: false,
                });
            };
            let proxy_scheme = proxy.uri().scheme_str().unwrap_or_default();
            if proxy_scheme != "http" && proxy_scheme != "https" {
                return Err(Box::new(UnsupportedProxy(proxy_scheme.to_owned())) as BoxError);
            }
            if target.scheme() == Some(&Scheme::HTTPS) {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), this.to_proxy);
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                let io = tunnel.call(target).await?;
                // Inside the tunnel the request goes as to the host itself.
                Ok(RoutedStream {
                    io,
                    to_proxy: false,
                })
            } else {
                let io = this.to_proxy.call(proxy.uri().clone()).await?;
                Ok(RoutedStream { io, to_proxy: true })
            }
        })
    }
}

/// A connection, and whether it goes to a proxy that wants requests in absolute form.
struct RoutedStream {
    io: MaybeHttpsStream<TokioIo<TcpStream>>,
    to_proxy: bool,
}

impl Connection for RoutedStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.to_proxy)
    }
}

impl Read for RoutedStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl Write for RoutedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }
}

/// The read limit passed.
#[derive(Debug, thiserror::Error)]
#[error("no data arrived within {0:?}")]
struct ReadTimedOut(Duration);

impl HttpTransport for HyperTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        self.send_limited(request, crate::client::DEFAULT_MAX_RESPONSE_BODY)
    }

    fn send_limited(&self, request: HttpRequest, max_body_bytes: u64) -> TransportFuture<'_> {
        Box::pin(async move {
            let url = request.url.clone();
            let outgoing = self.to_http(request)?;
            let timed_out = || {
                TransportError::new(
                    TransportErrorKind::Timeout,
                    &url,
                    ReadTimedOut(self.read_timeout),
                )
            };
            let response = match tokio::time::timeout(
                self.read_timeout,
                self.client.request(outgoing),
            )
            .await
            {
                Ok(Ok(response)) => response,
                Ok(Err(err)) => return Err(request_error(err, &url)),
                Err(_) => return Err(timed_out()),
            };
            let (head, mut body) = response.into_parts();
            if let Some(announced) = Body::size_hint(&body).exact() {
                if announced > max_body_bytes {
                    return Err(super::body_too_large(&url, max_body_bytes, Some(announced)));
                }
            }
            let headers = head
                .headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let mut collected = BytesMut::new();
            loop {
                let frame = match tokio::time::timeout(self.read_timeout, body.frame()).await {
                    Ok(Some(Ok(frame))) => frame,
                    Ok(Some(Err(err))) => {
                        return Err(TransportError::new(TransportErrorKind::Body, &url, err));
                    }
                    Ok(None) => break,
                    Err(_) => return Err(timed_out()),
                };
                let Ok(chunk) = frame.into_data() else {
                    continue; // trailers carry nothing the SDK reads
                };
                let total =
                    u64::try_from(collected.len().saturating_add(chunk.len())).unwrap_or(u64::MAX);
                if total > max_body_bytes {
                    return Err(super::body_too_large(&url, max_body_bytes, None));
                }
                collected.extend_from_slice(&chunk);
            }
            Ok(HttpResponse {
                status: head.status.as_u16(),
                headers,
                body: collected.freeze(),
            })
        })
    }
}

impl HyperTransport {
    fn to_http(&self, request: HttpRequest) -> Result<http::Request<Full<Bytes>>, TransportError> {
        let invalid = |err: BoxError| {
            TransportError::new(TransportErrorKind::InvalidRequest, &request.url, err)
        };
        let method = http::Method::from_bytes(request.method.as_bytes())
            .map_err(|err| invalid(Box::new(err)))?;
        let uri: Uri = request
            .url
            .parse()
            .map_err(|_| invalid(non_ascii_or_invalid(&request.url).into()))?;
        let mut outgoing = http::Request::builder().method(method).uri(uri.clone());
        for (name, value) in &request.headers {
            let name = http::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|err| invalid(Box::new(err)))?;
            let value = http::HeaderValue::from_str(value).map_err(|_| {
                invalid(format!("the value of header `{name}` is not valid in HTTP").into())
            })?;
            outgoing = outgoing.header(name, value);
        }
        // hyper sends no `Content-Length` for an empty body; proxies may answer a POST
        // without one with 411, and the official SDKs send `content-length: 0`.
        if request.body.is_empty()
            && !matches!(request.method.as_str(), "GET" | "HEAD")
            && request.header("content-length").is_none()
        {
            outgoing = outgoing.header(http::header::CONTENT_LENGTH, "0");
        }
        // A proxy that gets an `http` request whole reads its credentials from the request
        // (an `https` one gets them in the tunnel's `CONNECT`).
        if uri.scheme() == Some(&Scheme::HTTP) && request.header("proxy-authorization").is_none() {
            if let Some(auth) = self
                .proxies
                .as_ref()
                .and_then(|proxies| proxies.intercept(&uri))
                .and_then(|proxy| proxy.basic_auth().cloned())
            {
                outgoing = outgoing.header(http::header::PROXY_AUTHORIZATION, auth);
            }
        }
        outgoing
            .body(Full::new(request.body))
            .map_err(|err| invalid(Box::new(err)))
    }
}

/// Why a URL could not be sent: a non-ASCII host names the fix.
fn non_ascii_or_invalid(url: &str) -> String {
    if url.is_ascii() {
        "the URL is not valid in HTTP".to_owned()
    } else {
        "the URL is not ASCII: give an international host name in its `xn--` (punycode) form"
            .to_owned()
    }
}

/// Sorts an error of the pooled client into the step that failed.
fn request_error(err: hyper_util::client::legacy::Error, url: &str) -> TransportError {
    let kind = if err.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, url, err)
}
