//! How providers reach the services that hand out credentials: the transport, the endpoints
//! tests override, and the bounds (time and size) every exchange is held to, so that a hostile or
//! broken server can neither hang a call nor fill memory.

use std::fmt;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use crate::client::{Clock, SystemClock};
use crate::http::{HttpRequest, HttpResponse, HttpTransport, TransportErrorKind};
use crate::redact::ShownUrl;

use super::error::{CredentialsError, ServiceFailure};

/// The largest answer a credentials service may send: a credentials document is well under
/// 4 KiB, so 64 KiB leaves room without letting a server fill memory.
pub(crate) const MAX_DOCUMENT_BYTES: u64 = 64 * 1024;

/// What the providers that call a service share: the transport, the clock, and endpoint
/// overrides for STS and the ECS metadata service (tests point them at loopback fakes).
///
/// The default reaches Alibaba's real endpoints with a transport of its own per provider (short
/// timeouts for the metadata service, the official ones for STS) and the system clock.
#[derive(Clone, Default)]
pub struct CredentialServices {
    pub(crate) transport: Option<Arc<dyn HttpTransport>>,
    pub(crate) clock: Option<Arc<dyn Clock>>,
    pub(crate) sts_endpoint: Option<String>,
    pub(crate) metadata_endpoint: Option<String>,
}

impl CredentialServices {
    /// Alibaba's endpoints, the default transports and the system clock.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends every credentials request through this transport (each request is still bounded in
    /// time and size by the provider).
    #[must_use]
    pub fn transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Reads expiry times against this clock.
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Calls STS at this URL (`http://127.0.0.1:PORT`) instead of the endpoint the region and
    /// network select.
    #[must_use]
    pub fn sts_endpoint(mut self, url: impl Into<String>) -> Self {
        self.sts_endpoint = Some(url.into());
        self
    }

    /// Reads the ECS metadata service at this URL instead of `http://100.100.100.200`.
    #[must_use]
    pub fn metadata_endpoint(mut self, url: impl Into<String>) -> Self {
        self.metadata_endpoint = Some(url.into());
        self
    }

    pub(crate) fn clock_or_system(&self) -> Arc<dyn Clock> {
        self.clock.clone().unwrap_or_else(|| Arc::new(SystemClock))
    }
}

impl fmt::Debug for CredentialServices {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialServices")
            .field("transport", &self.transport)
            .field("sts_endpoint", &self.sts_endpoint.as_deref().map(ShownUrl))
            .field(
                "metadata_endpoint",
                &self.metadata_endpoint.as_deref().map(ShownUrl),
            )
            .finish_non_exhaustive()
    }
}

/// Whether requests may go through the proxies the environment configures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// Through any configured proxy, like every other call (STS, a credentials URI).
    Proxied,
    /// Straight to the host: the metadata service is link-local, and a proxy would only see
    /// (and could keep) the instance's credentials.
    Direct,
}

/// One provider's way to a service: its transport (built on first use when none was given) and
/// the limits of each exchange.
pub(crate) struct ServiceLink {
    given: Option<Arc<dyn HttpTransport>>,
    built: OnceLock<Arc<dyn HttpTransport>>,
    connect_timeout: Duration,
    read_timeout: Duration,
    total_timeout: Duration,
    route: Route,
}

impl fmt::Debug for ServiceLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceLink")
            .field("total_timeout", &self.total_timeout)
            .field("route", &self.route)
            .finish_non_exhaustive()
    }
}

impl ServiceLink {
    pub(crate) fn new(
        given: Option<Arc<dyn HttpTransport>>,
        connect_timeout: Duration,
        read_timeout: Duration,
        route: Route,
    ) -> Self {
        ServiceLink {
            given,
            built: OnceLock::new(),
            connect_timeout,
            read_timeout,
            total_timeout: connect_timeout + read_timeout,
            route,
        }
    }

    fn transport(
        &self,
        provider: &'static str,
        url: &str,
    ) -> Result<Arc<dyn HttpTransport>, CredentialsError> {
        if let Some(given) = &self.given {
            return Ok(Arc::clone(given));
        }
        if let Some(built) = self.built.get() {
            return Ok(Arc::clone(built));
        }
        let built = default_transport(self.connect_timeout, self.read_timeout, self.route)
            .map_err(|detail| ServiceFailure::new(provider, target_of(url), detail, ""))?;
        Ok(Arc::clone(self.built.get_or_init(|| built)))
    }

    /// Sends `request` and reads the answer, bounded in time and in size; any status comes back,
    /// only a failed exchange is an error.
    pub(crate) async fn exchange(
        &self,
        provider: &'static str,
        request: HttpRequest,
    ) -> Result<HttpResponse, ServiceFailure> {
        let url = request.url.clone();
        let transport = self.transport(provider, &url).map_err(|err| match err {
            CredentialsError::Service(failure) => *failure,
            other => ServiceFailure::new(provider, target_of(&url), other.to_string(), ""),
        })?;
        let sent = transport.send_limited(request, MAX_DOCUMENT_BYTES);
        let outcome = tokio::time::timeout(self.total_timeout, sent).await;
        let response = match outcome {
            Err(_) => {
                return Err(ServiceFailure::new(
                    provider,
                    target_of(&url),
                    format!(
                        "no complete answer within {} ms",
                        self.total_timeout.as_millis()
                    ),
                    "the service is slow or unreachable",
                )
                .unreachable());
            }
            Ok(Err(err)) => {
                let failure = ServiceFailure::new(provider, target_of(&url), err.to_string(), "");
                return Err(match err.kind() {
                    TransportErrorKind::Connect | TransportErrorKind::Timeout => {
                        failure.unreachable()
                    }
                    _ => failure,
                });
            }
            Ok(Ok(response)) => response,
        };
        let length = u64::try_from(response.body.len()).unwrap_or(u64::MAX);
        if length > MAX_DOCUMENT_BYTES {
            return Err(ServiceFailure::new(
                provider,
                target_of(&url),
                format!("the answer is over {MAX_DOCUMENT_BYTES} bytes"),
                "a credentials document is small: check the endpoint",
            ));
        }
        Ok(response)
    }
}

impl ServiceFailure {
    /// Marks the failure as "no answer at all", which for the metadata service means "not on
    /// ECS".
    fn unreachable(mut self) -> Self {
        self.hint = if self.hint.is_empty() {
            "the service could not be reached"
        } else {
            self.hint
        };
        self.unreachable = true;
        self
    }
}

#[cfg(feature = "hyper")]
fn default_transport(
    connect_timeout: Duration,
    read_timeout: Duration,
    route: Route,
) -> Result<Arc<dyn HttpTransport>, String> {
    let builder = crate::http::HyperTransport::builder()
        .connect_timeout(connect_timeout)
        .read_timeout(read_timeout);
    let builder = match route {
        Route::Proxied => builder,
        Route::Direct => builder.no_proxy(),
    };
    builder
        .build()
        .map(|transport| Arc::new(transport) as Arc<dyn HttpTransport>)
        .map_err(|err| err.to_string())
}

#[cfg(all(feature = "reqwest", not(feature = "hyper")))]
fn default_transport(
    connect_timeout: Duration,
    read_timeout: Duration,
    route: Route,
) -> Result<Arc<dyn HttpTransport>, String> {
    let builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .read_timeout(read_timeout);
    let builder = match route {
        Route::Proxied => builder,
        Route::Direct => builder.no_proxy(),
    };
    crate::http::ReqwestTransport::from_builder(builder)
        .map(|transport| Arc::new(transport) as Arc<dyn HttpTransport>)
        .map_err(|err| err.to_string())
}

#[cfg(not(any(feature = "hyper", feature = "reqwest")))]
fn default_transport(
    _connect_timeout: Duration,
    _read_timeout: Duration,
    _route: Route,
) -> Result<Arc<dyn HttpTransport>, String> {
    Err("no HTTP transport: give one with `CredentialServices::transport`, or enable the `hyper` (default) or `reqwest` feature of acs-runtime".to_owned())
}

pub(crate) use crate::redact::url_target as target_of;

/// An RFC 3339 instant (`2015-04-09T11:52:19Z`), as STS and the metadata service write expiries;
/// else why it is not usable.
///
/// An instant past the year 9999 in UTC (`9999-12-31T23:59:59-23:59` is one) is refused: no
/// credentials last that long, and it could not be written back as a date.
pub(crate) fn parse_expiration(text: &str) -> Result<SystemTime, &'static str> {
    let parsed =
        time::OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
            .map_err(|_| "is not an RFC 3339 time")?;
    let expiry = SystemTime::from(parsed);
    match crate::sign::wire_date(expiry) {
        Some(_) => Ok(expiry),
        None => Err("is outside the years 0000 to 9999 in UTC"),
    }
}

/// The fields of a credentials document (STS's `Credentials`, the metadata service's and a
/// credentials URI's answer). Deliberately not `Debug`: it holds the secret.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct CredentialsDocument {
    #[serde(rename = "Code")]
    pub(crate) code: Option<String>,
    #[serde(rename = "AccessKeyId")]
    pub(crate) access_key_id: Option<String>,
    #[serde(rename = "AccessKeySecret")]
    pub(crate) access_key_secret: Option<String>,
    #[serde(rename = "SecurityToken")]
    pub(crate) security_token: Option<String>,
    #[serde(rename = "Expiration")]
    pub(crate) expiration: Option<String>,
}

impl CredentialsDocument {
    /// The credentials the document holds; else the failure of `provider` reading `url`, with
    /// `incomplete_hint` when a field is missing.
    pub(crate) fn into_credentials(
        self,
        provider: &'static str,
        url: &str,
        incomplete_hint: &'static str,
    ) -> Result<super::Credentials, CredentialsError> {
        let present = |value: Option<String>, name: &str| {
            value.filter(|value| !value.is_empty()).ok_or_else(|| {
                CredentialsError::from(ServiceFailure::new(
                    provider,
                    target_of(url),
                    format!("the answer has no `{name}`"),
                    incomplete_hint,
                ))
            })
        };
        let id = present(self.access_key_id, "AccessKeyId")?;
        let secret = present(self.access_key_secret, "AccessKeySecret")?;
        let token = present(self.security_token, "SecurityToken")?;
        let expiration = present(self.expiration, "Expiration")?;
        let expiration = parse_expiration(&expiration).map_err(|problem| {
            // Quoted to say what was wrong, with the credentials blanked should a broken
            // service have put them there.
            let shown: String = crate::redact::hide_secrets(&expiration, &[&secret, &token])
                .chars()
                .take(64)
                .collect();
            CredentialsError::from(ServiceFailure::new(
                provider,
                target_of(url),
                format!("its `Expiration`, {shown:?}, {problem}"),
                "the service answered an expiry no credentials have; they are not used",
            ))
        })?;
        Ok(super::Credentials::new(id, secret)
            .with_security_token(token)
            .with_expiration(expiration))
    }
}

/// Parses a JSON answer without ever quoting it: serde's messages may hold the secret.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|err| {
        let kind = match err.classify() {
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Eof => "JSON that ends too early",
            serde_json::error::Category::Data => "JSON of the wrong shape",
            serde_json::error::Category::Io => "unreadable",
        };
        format!(
            "the answer is {kind} (line {}, column {}; {} bytes)",
            err.line(),
            err.column(),
            body.len()
        )
    })
}

/// The failure of an answer whose status is not 2xx: Alibaba's code and message when the body
/// is an Alibaba error, with `secrets` blanked.
pub(crate) fn status_failure(
    provider: &'static str,
    url: &str,
    response: &HttpResponse,
    secrets: &[&str],
    hint: &'static str,
) -> ServiceFailure {
    let error = crate::error::ServiceError::from_response_hiding(response, secrets);
    let detail = match (error.message(), error.body_excerpt()) {
        (Some(message), _) => message.to_owned(),
        (None, Some(excerpt)) if !excerpt.is_empty() => format!("body: \"{excerpt}\""),
        _ => "no error message".to_owned(),
    };
    let mut failure = ServiceFailure::new(provider, target_of(url), detail, hint);
    failure.status = Some(response.status);
    failure.code = Some(error.code().to_owned()).filter(|code| !code.is_empty());
    failure.request_id = error.request_id().map(str::to_owned);
    failure
}
