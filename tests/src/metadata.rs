//! A fake ECS instance metadata service on 127.0.0.1, for the RAM role provider: session tokens
//! (`PUT /latest/api/token` with a TTL, refused once expired), the role listing and the role's
//! credentials, and the same document at `/credentials` for a credentials URI. It can be told to
//! be slow, to fail, or to answer garbage.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::StatusCode;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::credential::Credential;
use crate::server::{StartError, bind_loopback};
use crate::sts::format_expiration;

const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const URI_PATH: &str = "/credentials";
const TOKEN_HEADER: &str = "x-aliyun-ecs-metadata-token";
const TOKEN_TTL_HEADER: &str = "x-aliyun-ecs-metadata-token-ttl-seconds";
/// The service's own bounds on a token's TTL.
const MAX_TOKEN_TTL: u64 = 21600;

/// The `n`th credentials a [`FakeMetadata`] hands out (1-based): `STS.ecs.<n>`.
pub fn metadata_credential(n: usize) -> Credential {
    Credential::new(format!("STS.ecs.{n}"), format!("ecs-secret-{n}"))
        .with_token(format!("ecs-token-{n}"))
}

/// How the fake answers reads of credentials (token requests always work unless it is
/// [`Behaviour::Failing`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Behaviour {
    /// Answers as the real service does.
    Normal,
    /// Waits this long before every answer.
    Slow(Duration),
    /// Answers every request with HTTP 500.
    Failing,
    /// Answers credential reads with 200 and a body that is not a credentials document.
    Garbage,
    /// Answers credential reads with `{"Code": "<code>"}` and no credentials.
    NotSuccess(String),
    /// Answers token requests with 404, as a metadata service without hardened mode does;
    /// reads without a token still work.
    NoTokens,
}

/// What the fake has seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetadataCounts {
    /// `PUT /latest/api/token` requests.
    pub token_requests: usize,
    /// Requests for the role's credentials (the document, at the role path or `/credentials`).
    pub credential_requests: usize,
    /// Requests refused for a missing, unknown or expired session token.
    pub refused_tokens: usize,
}

/// Configures a [`FakeMetadata`]; made by [`FakeMetadata::builder`].
#[derive(Debug)]
pub struct FakeMetadataBuilder {
    role: Option<String>,
    clock: Clock,
    lifetime: Duration,
    hardened_only: bool,
}

impl FakeMetadataBuilder {
    /// The RAM role attached to the instance (default `EcsRole`).
    pub fn role(mut self, name: impl Into<String>) -> Self {
        self.role = Some(name.into());
        self
    }

    /// An instance without a RAM role: the listing answers 404.
    pub fn without_role(mut self) -> Self {
        self.role = None;
        self
    }

    /// Reads "now" from `clock`, for token and credential expiries (default: the system clock).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// How long the credentials it hands out last (default six hours).
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// Refuses every read without a valid session token, as an instance in hardened mode does.
    pub fn hardened_only(mut self) -> Self {
        self.hardened_only = true;
        self
    }

    /// Binds 127.0.0.1 on a port the OS picks and starts serving on the current tokio runtime.
    pub async fn start(self) -> Result<FakeMetadata, StartError> {
        let (listener, addr) = bind_loopback().await?;
        let state = Arc::new(Service {
            role: self.role,
            clock: self.clock,
            lifetime: self.lifetime,
            hardened_only: self.hardened_only,
            inner: Mutex::new(Inner {
                behaviour: Behaviour::Normal,
                tokens: HashMap::new(),
                issued: 0,
                counts: MetadataCounts::default(),
            }),
        });
        let task = tokio::spawn(accept_loop(listener, Arc::clone(&state)));
        Ok(FakeMetadata { addr, state, task })
    }
}

/// A fake ECS metadata service on 127.0.0.1; see the module documentation. Stops when dropped.
pub struct FakeMetadata {
    addr: SocketAddr,
    state: Arc<Service>,
    task: JoinHandle<()>,
}

impl fmt::Debug for FakeMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeMetadata")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Drop for FakeMetadata {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Service {
    role: Option<String>,
    clock: Clock,
    lifetime: Duration,
    hardened_only: bool,
    inner: Mutex<Inner>,
}

struct Inner {
    behaviour: Behaviour,
    tokens: HashMap<String, SystemTime>,
    issued: usize,
    counts: MetadataCounts,
}

impl FakeMetadata {
    /// Starts configuring a fake metadata service.
    pub fn builder() -> FakeMetadataBuilder {
        FakeMetadataBuilder {
            role: Some("EcsRole".to_owned()),
            clock: Clock::system(),
            lifetime: Duration::from_secs(6 * 3600),
            hardened_only: false,
        }
    }

    /// The URL to point the provider at: `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL of the same credentials document for a credentials URI provider (no token
    /// needed).
    pub fn credentials_uri(&self) -> String {
        format!("http://{}{URI_PATH}", self.addr)
    }

    /// Answers from now on as `behaviour` says.
    pub fn set_behaviour(&self, behaviour: Behaviour) {
        self.state.inner().behaviour = behaviour;
    }

    /// What it has seen so far.
    pub fn counts(&self) -> MetadataCounts {
        self.state.inner().counts.clone()
    }

    /// How many credentials it handed out so far.
    pub fn issued(&self) -> usize {
        self.state.inner().issued
    }

    /// Forgets every session token, as a restarted service does: the next read with an old one
    /// is refused.
    pub fn forget_tokens(&self) {
        self.state.inner().tokens.clear();
    }
}

/// A URL on 127.0.0.1 where nothing listens: a metadata service that is down.
pub async fn refusing_endpoint() -> Result<String, StartError> {
    let (listener, addr) = bind_loopback().await?;
    drop(listener);
    Ok(format!("http://{addr}"))
}

impl Service {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Status, content type and body for one request, and how long to wait first.
    fn answer(
        &self,
        method: &str,
        path: &str,
        headers: &http::HeaderMap,
    ) -> (Option<Duration>, StatusCode, &'static str, String) {
        let now = self.clock.now();
        let mut inner = self.inner();
        let delay = match &inner.behaviour {
            Behaviour::Slow(delay) => Some(*delay),
            _ => None,
        };
        if inner.behaviour == Behaviour::Failing {
            return (
                delay,
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain",
                "Internal Server Error".to_owned(),
            );
        }
        if path == TOKEN_PATH {
            if method != "PUT" {
                return (
                    delay,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "text/plain",
                    String::new(),
                );
            }
            inner.counts.token_requests += 1;
            if inner.behaviour == Behaviour::NoTokens {
                return (
                    delay,
                    StatusCode::NOT_FOUND,
                    "text/html",
                    "<html>404 Not Found</html>".to_owned(),
                );
            }
            let ttl = headers
                .get(TOKEN_TTL_HEADER)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.parse::<u64>().ok())
                .filter(|ttl| (1..=MAX_TOKEN_TTL).contains(ttl));
            let Some(ttl) = ttl else {
                return (
                    delay,
                    StatusCode::BAD_REQUEST,
                    "text/plain",
                    "invalid ttl".to_owned(),
                );
            };
            let token = format!("md-token-{}", inner.counts.token_requests);
            inner
                .tokens
                .insert(token.clone(), now + Duration::from_secs(ttl));
            return (delay, StatusCode::OK, "text/plain", token);
        }
        if method != "GET" {
            return (
                delay,
                StatusCode::METHOD_NOT_ALLOWED,
                "text/plain",
                String::new(),
            );
        }
        if path != URI_PATH {
            let token = headers
                .get(TOKEN_HEADER)
                .and_then(|value| value.to_str().ok());
            let token_ok = match token {
                Some(token) => inner.tokens.get(token).is_some_and(|expiry| now < *expiry),
                None => !self.hardened_only,
            };
            if !token_ok {
                inner.counts.refused_tokens += 1;
                return (
                    delay,
                    StatusCode::UNAUTHORIZED,
                    "text/plain",
                    "Unauthorized".to_owned(),
                );
            }
        }
        let role_path = path.strip_prefix(ROLE_PATH);
        match (role_path, &self.role) {
            (Some(""), Some(role)) => return (delay, StatusCode::OK, "text/plain", role.clone()),
            (Some(""), None) | (Some(_), None) => {
                return (
                    delay,
                    StatusCode::NOT_FOUND,
                    "text/html",
                    "<html>404 Not Found</html>".to_owned(),
                );
            }
            (Some(asked), Some(role)) if asked != role => {
                return (
                    delay,
                    StatusCode::NOT_FOUND,
                    "text/html",
                    "<html>404 Not Found</html>".to_owned(),
                );
            }
            (None, _) if path != URI_PATH => {
                return (
                    delay,
                    StatusCode::NOT_FOUND,
                    "text/html",
                    "<html>404 Not Found</html>".to_owned(),
                );
            }
            _ => {}
        }
        inner.counts.credential_requests += 1;
        match inner.behaviour.clone() {
            Behaviour::Garbage => (
                delay,
                StatusCode::OK,
                "application/json",
                "<html>maintenance".to_owned(),
            ),
            Behaviour::NotSuccess(code) => (
                delay,
                StatusCode::OK,
                "application/json",
                json!({"Code": code}).to_string(),
            ),
            _ => {
                inner.issued += 1;
                let credential = metadata_credential(inner.issued);
                let body = json!({
                    "AccessKeyId": credential.access_key_id(),
                    "AccessKeySecret": credential.secret(),
                    "SecurityToken": credential.security_token().unwrap_or_default(),
                    "Expiration": format_expiration(now + self.lifetime),
                    "LastUpdated": format_expiration(now),
                    "Code": "Success",
                });
                (delay, StatusCode::OK, "text/plain", body.to_string())
            }
        }
    }
}

async fn accept_loop(listener: TcpListener, state: Arc<Service>) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let state = Arc::clone(&state);
                    connections.spawn(async move {
                        let service = service_fn(move |request| {
                            let state = Arc::clone(&state);
                            async move { Ok::<_, std::convert::Infallible>(respond(&state, request).await) }
                        });
                        // A client that goes away mid-answer is nothing to report.
                        let _ = http1::Builder::new()
                            .timer(TokioTimer::new())
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn respond(
    state: &Service,
    request: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let (delay, status, content_type, body) = state.answer(
        request.method().as_str(),
        request.uri().path(),
        request.headers(),
    );
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = hyper::Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    if let Ok(value) = http::HeaderValue::from_str(content_type) {
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, value);
    }
    response
}
