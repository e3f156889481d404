//! The client: turns a request into signed HTTP exchanges, retries them, and decodes the answer.
//!
//! One [`Config`] serves every product; a generated product client wraps a [`Client`] built
//! from it with the product's [`Service`]. A call writes its parameters once (the idempotency
//! token included), then each attempt gets fresh credentials, a fresh date and nonce, and a
//! fresh signature.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use crate::credentials::{Credentials, ProvideCredentials};
use crate::decode;
use crate::endpoint::{Endpoint, EndpointError};
use crate::error::{OperationError, SdkError, ServiceError};
use crate::http::{HttpRequest, HttpResponse, TransportError, TransportErrorKind};
use crate::redact::excerpt;
use crate::retry::RetryDecision;
use crate::service::{Operation, OperationOutput, ResponseMeta, Service};
use crate::sign::{self, SigningContext, SigningRequest};
use crate::timeout::TimeoutConfig;
use crate::validate::BuildError;
use crate::wire::{self, Location, Params, WriteParams};

pub use crate::config::{
    Clock, Config, ConfigBuilder, ConfigError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BODY,
    DEFAULT_READ_TIMEOUT, NonceSource, RandomNonce, SystemClock,
};

const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
const USER_AGENT: &str = concat!("acs-sdk-rust/", env!("CARGO_PKG_VERSION"));

/// The headers the client, its transport and the signatures set on a request themselves, in
/// lower case. A header parameter may not take one of these names, in any case: the request
/// would carry the header twice and the service would read either. [`Client::invoke`] refuses
/// such a request with [`SdkError::Build`] naming the parameter, before anything is sent; the
/// generator refuses a spec that declares one.
pub const RESERVED_HEADERS: &[&str] = &[
    "host",
    "user-agent",
    "content-type",
    "content-length",
    "authorization",
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
    "x-acs-security-token",
    // Not sent by this SDK, but the gateway reads them as parts of its other signatures.
    "x-acs-accesskey-id",
    "x-acs-signature-method",
    "x-acs-signature-version",
];

/// Sends the operations of one product. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    service: &'static Service,
    config: Config,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("product", &self.inner.service.product)
            .field("version", &self.inner.service.version)
            .field("config", &self.inner.config)
            .finish()
    }
}

/// Why one attempt failed, before the failure is sorted into the operation's error type.
enum AttemptFailure {
    Transport(TransportError),
    Service(ServiceError),
}

impl AttemptFailure {
    fn is_retryable(&self) -> bool {
        match self {
            AttemptFailure::Transport(err) => err.is_retryable(),
            AttemptFailure::Service(err) => err.is_retryable(),
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            AttemptFailure::Transport(_) => None,
            AttemptFailure::Service(err) => err.retry_after(),
        }
    }

    /// Whether the service may have done the call's work despite the failure. Only an answer
    /// that says the request was turned away unprocessed (throttling) rules it out: an
    /// `InternalError` or `ServiceUnavailable` may come after the work was done, and a 5xx with
    /// no code from a proxy that passed the request on.
    fn may_have_reached_service(&self) -> bool {
        match self {
            AttemptFailure::Transport(err) => err.may_have_reached_service(),
            AttemptFailure::Service(err) => !err.is_refused_unprocessed(),
        }
    }

    fn into_sdk_error(self) -> SdkError<ServiceError> {
        match self {
            AttemptFailure::Transport(err) => SdkError::Transport(err),
            AttemptFailure::Service(err) => SdkError::Service(err),
        }
    }
}

// The exchange passes the call's failure on as the `SdkError` every operation returns; boxing
// it here would only add an allocation to the failure path.
#[allow(clippy::result_large_err)]
impl Client {
    /// A client for `service` with `config`.
    pub fn new(service: &'static Service, config: Config) -> Self {
        Client {
            inner: Arc::new(ClientInner { service, config }),
        }
    }

    /// The configuration the client was built with.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// A client like this one whose calls have other time limits: for a call known to be slow
    /// (or one that must fail fast) without changing every call. Cheap: everything else is
    /// shared.
    ///
    /// ```no_run
    /// # async fn run(client: acs_runtime::Client) {
    /// use std::time::Duration;
    /// use acs_runtime::TimeoutConfig;
    ///
    /// let impatient = client.with_timeouts(
    ///     TimeoutConfig::default().with_operation_timeout(Some(Duration::from_secs(2))),
    /// );
    /// # let _ = impatient;
    /// # }
    /// ```
    #[must_use]
    pub fn with_timeouts(&self, timeouts: TimeoutConfig) -> Client {
        Client::new(
            self.inner.service,
            self.inner.config.with_timeouts(timeouts),
        )
    }

    /// The product this client calls.
    pub fn service(&self) -> &'static Service {
        self.inner.service
    }

    /// Sends `op` with `input`'s parameters, retrying as the policy allows, and decodes the
    /// response.
    ///
    /// Only writing the parameters, decoding the response and sorting a service error into `E`
    /// depend on the operation; the exchange between them (endpoint, signing, attempts,
    /// timeouts) is one function for every operation, so that each operation of a large
    /// product costs its users little to compile.
    pub async fn invoke<I, O, E>(&self, op: &'static Operation, input: &I) -> Result<O, SdkError<E>>
    where
        I: WriteParams,
        O: DeserializeOwned + Default + OperationOutput,
        E: OperationError,
    {
        let mut params = Params::new();
        input.write_params(&mut params);
        let span = self.call_span(op);
        let exchanged = self.exchange(op, params).instrument(span.clone()).await;
        let decoded = exchanged.and_then(|(response, credentials)| {
            span.in_scope(|| Self::decode(response, &credentials))
        });
        decoded.map_err(SdkError::into_operation_error)
    }

    /// The span a call runs in.
    fn call_span(&self, op: &Operation) -> tracing::Span {
        tracing::info_span!(
            "acs_call",
            product = self.inner.service.product,
            action = op.action,
            attempts = tracing::field::Empty,
            request_id = tracing::field::Empty,
        )
    }

    /// The exchange of a call, within its operation timeout if it has one: its parameters (with
    /// the idempotency token filled), the endpoint, and every attempt, up to the 2xx response
    /// and the credentials it was signed with.
    async fn exchange(
        &self,
        op: &'static Operation,
        params: Params,
    ) -> Result<(HttpResponse, Credentials), SdkError<ServiceError>> {
        let config = &self.inner.config;
        if let Some(err) = reserved_header_parameter(&params) {
            return Err(SdkError::Build(err));
        }
        let params = self.with_idempotency_token(op, params);
        if let Some(name) = params.repeated_name() {
            return Err(SdkError::Build(BuildError::new(
                name,
                "is written twice (two parameters, or a map key, make the same name); the request was not sent".to_owned(),
            )));
        }
        let endpoint = self.endpoint().map_err(SdkError::Endpoint)?;
        let mut retries = config.retry.start();
        let Some(limit) = config.timeouts.operation_timeout() else {
            return self.attempts(op, &params, &endpoint, &mut retries).await;
        };
        let outcome =
            tokio::time::timeout(limit, self.attempts(op, &params, &endpoint, &mut retries)).await;
        outcome.unwrap_or_else(|_| {
            tracing::Span::current().record("attempts", retries.attempts());
            Err(SdkError::OperationTimeout {
                limit,
                attempts: retries.attempts(),
            })
        })
    }

    /// Every attempt the retry policy allows, until one succeeds or a failure ends the call.
    async fn attempts(
        &self,
        op: &'static Operation,
        params: &Params,
        endpoint: &Endpoint,
        retries: &mut crate::retry::RetryState,
    ) -> Result<(HttpResponse, Credentials), SdkError<ServiceError>> {
        loop {
            let attempt = retries.begin_attempt();
            let span = tracing::debug_span!(
                "acs_attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let outcome = self.attempt(op, params, endpoint).instrument(span).await?;
            let failure = match outcome {
                Ok(exchanged) => {
                    tracing::Span::current().record("attempts", attempt);
                    return Ok(exchanged);
                }
                Err(failure) => failure,
            };
            // A call that is not safe to repeat is sent again only when the service cannot
            // have done its work: sending it twice could create two of what was asked for once.
            let repeatable = op.is_safe_to_repeat() || !failure.may_have_reached_service();
            let decision =
                retries.decide(failure.is_retryable() && repeatable, failure.retry_after());
            if failure.is_retryable() && !repeatable {
                tracing::info!(
                    attempt,
                    "not retrying: the request may have reached the service, and the operation is neither read-only nor idempotent"
                );
            }
            let call_span = tracing::Span::current();
            call_span.record("attempts", attempt);
            if let AttemptFailure::Service(err) = &failure {
                if let Some(request_id) = err.request_id() {
                    call_span.record("request_id", request_id);
                }
            }
            match decision {
                RetryDecision::RetryAfter(wait) => {
                    tracing::info!(
                        attempt,
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                }
                RetryDecision::NotRetryable => return Err(failure.into_sdk_error()),
                RetryDecision::AttemptsExhausted if retries.attempts() <= 1 => {
                    return Err(failure.into_sdk_error());
                }
                RetryDecision::AttemptsExhausted => {
                    return Err(SdkError::RetriesExhausted {
                        attempts: retries.attempts(),
                        last: Box::new(failure.into_sdk_error()),
                    });
                }
                RetryDecision::BudgetSpent => {
                    return Err(SdkError::TimeBudgetSpent {
                        attempts: retries.attempts(),
                        elapsed: retries.elapsed(),
                        last: Box::new(failure.into_sdk_error()),
                    });
                }
            }
        }
    }

    /// The call's parameters with the idempotency token filled when the operation declares one
    /// and the caller left it empty, so every retry carries the same.
    fn with_idempotency_token(&self, op: &Operation, mut params: Params) -> Params {
        let Some(token_name) = op.idempotency_token else {
            return params;
        };
        let given = params
            .all_pairs()
            .any(|(name, value)| name == token_name && !value.is_empty());
        if !given {
            // An empty token was written (or none): it goes, and a fresh one takes its place;
            // every other parameter stays where it was, headers included.
            params.remove(token_name);
            params.push(Location::Query, token_name, self.inner.config.nonce.nonce());
        }
        params
    }

    fn endpoint(&self) -> Result<Endpoint, EndpointError> {
        let config = &self.inner.config;
        match &config.endpoint {
            Some(endpoint) => Ok(endpoint.clone()),
            None => self
                .inner
                .service
                .endpoint
                .resolve(config.region.as_deref(), config.network.as_deref()),
        }
    }

    /// One signed exchange. The outer error ends the call at once (no credentials); the inner
    /// one is a failure the retry policy judges.
    async fn attempt(
        &self,
        op: &Operation,
        params: &Params,
        endpoint: &Endpoint,
    ) -> Result<Result<(HttpResponse, Credentials), AttemptFailure>, SdkError<ServiceError>> {
        let config = &self.inner.config;
        // An anonymous operation needs no credentials: none are asked for, and an empty pair
        // leaves nothing to hide in errors.
        let credentials = if op.anonymous {
            Credentials::new("", "")
        } else {
            config
                .credentials
                .provide_credentials()
                .await
                .map_err(SdkError::Credentials)?
        };
        let request = self
            .signed_request(op, params, endpoint, &credentials)
            .map_err(SdkError::Clock)?;
        let started = tokio::time::Instant::now();
        let exchange = config
            .transport
            .send_limited(request, config.max_response_body);
        let result = match config.timeouts.attempt_timeout() {
            Some(limit) => tokio::time::timeout(limit, exchange)
                .await
                .unwrap_or_else(|_| {
                    Err(TransportError::new(
                        TransportErrorKind::Timeout,
                        &endpoint.base_url(),
                        format!(
                            "the attempt took longer than its limit of {} ms (`TimeoutConfig::with_attempt_timeout`)",
                            limit.as_millis()
                        ),
                    ))
                }),
            None => exchange.await,
        };
        // A transport that does not stream against the limit is held to it here.
        let result = result.and_then(|response| {
            let length = u64::try_from(response.body.len()).unwrap_or(u64::MAX);
            if length > config.max_response_body {
                Err(crate::http::body_too_large(
                    &endpoint.base_url(),
                    config.max_response_body,
                    None,
                ))
            } else {
                Ok(response)
            }
        });
        // A redirect is not followed: the request was signed for this host only, and following
        // would send its security token wherever the `Location` points.
        let result = result.and_then(|response| {
            if (300..400).contains(&response.status) {
                let location = response
                    .header("location")
                    .unwrap_or("(no Location header)");
                Err(TransportError::new(
                    TransportErrorKind::Redirect,
                    location,
                    format!(
                        "HTTP {}; it was not followed, since the request was signed for {}",
                        response.status,
                        endpoint.authority()
                    ),
                ))
            } else {
                Ok(response)
            }
        });
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        let span = tracing::Span::current();
        span.record("latency_ms", latency_ms);
        let response = match result {
            Ok(response) => response,
            Err(err) => {
                tracing::debug!(error = %err, "transport failed");
                return Ok(Err(AttemptFailure::Transport(err)));
            }
        };
        span.record("status", response.status);
        if let Some(request_id) = response.header("x-acs-request-id") {
            span.record("request_id", request_id);
        }
        if response.is_success() {
            return Ok(Ok((response, credentials)));
        }
        // A service's error may quote the request (a signature mismatch quotes its string to
        // sign, every parameter in it): the request's own secrets are blanked with the keys'.
        let mut secrets = credentials.secrets();
        secrets.extend(params.secret_values());
        let error = ServiceError::from_response_hiding(&response, &secrets);
        if let Some(request_id) = error.request_id() {
            span.record("request_id", request_id);
        }
        tracing::debug!(
            code = error.code(),
            status = error.status(),
            "service error"
        );
        Ok(Err(AttemptFailure::Service(error)))
    }

    fn signed_request(
        &self,
        op: &Operation,
        params: &Params,
        endpoint: &Endpoint,
        credentials: &Credentials,
    ) -> Result<HttpRequest, sign::ClockOutOfRange> {
        if op.anonymous {
            return self.anonymous_request(op, params, endpoint);
        }
        let config = &self.inner.config;
        let service = self.inner.service;
        let body = wire::form_body(params.body_pairs());
        // Header parameters are signed and sent with the form's content type.
        let mut extra: Vec<(&str, &str)> = params.header_pairs().iter().collect();
        if !body.is_empty() {
            extra.push(("content-type", FORM_CONTENT_TYPE));
        }
        let content_type: &[(&str, &str)] = &extra;
        let host = endpoint.authority();
        let date = sign::signing_date(config.clock.now())?;
        let nonce = config.nonce.nonce();
        let signed = sign::sign(
            config.signature.unwrap_or(service.signature),
            &SigningRequest {
                method: op.method,
                host: &host,
                path: "/",
                query: params.query_pairs(),
                form: params.body_pairs(),
                headers: content_type,
                body: body.as_bytes(),
            },
            &SigningContext {
                credentials,
                date,
                nonce: &nonce,
                action: op.action,
                version: service.version,
            },
        );
        let base_url = endpoint.base_url();
        let mut url = String::with_capacity(base_url.len() + 1 + signed.query.len());
        url.push_str(&base_url);
        if !signed.query.is_empty() {
            url.push('?');
            url.push_str(&signed.query);
        }
        let mut headers = Vec::with_capacity(signed.headers.len() + 2 + content_type.len());
        headers.push(("host".to_owned(), host));
        headers.push(("user-agent".to_owned(), USER_AGENT.to_owned()));
        for (name, value) in content_type {
            headers.push((name.to_ascii_lowercase(), (*value).to_owned()));
        }
        for (name, value) in signed.headers {
            headers.push((name.to_owned(), value));
        }
        Ok(HttpRequest {
            method: op.method.to_owned(),
            url,
            headers,
            body: Bytes::from(body),
        })
    }

    /// An unsigned call (STS `AssumeRoleWithOIDC`, `AssumeRoleWithSAML`), as the official SDKs'
    /// anonymous RPC path sends it: `Action`, `Format`, `Version`, `Timestamp` and
    /// `SignatureNonce` in the query beside the parameters, the action and version also as
    /// `x-acs-action` and `x-acs-version`, and nothing of a signature (no `SignatureMethod`,
    /// no `x-acs-date`, no `Authorization`).
    fn anonymous_request(
        &self,
        op: &Operation,
        params: &Params,
        endpoint: &Endpoint,
    ) -> Result<HttpRequest, sign::ClockOutOfRange> {
        let config = &self.inner.config;
        let service = self.inner.service;
        let timestamp = sign::format_timestamp(sign::signing_date(config.clock.now())?);
        let nonce = config.nonce.nonce();
        let common = [
            ("Action", op.action),
            ("Format", "json"),
            ("Version", service.version),
            ("Timestamp", timestamp.as_str()),
            ("SignatureNonce", nonce.as_str()),
        ];
        let query = wire::canonical_query(common.into_iter().chain(params.query_pairs().iter()));
        let body = wire::form_body(params.body_pairs());
        let mut url = endpoint.base_url();
        url.push('?');
        url.push_str(&query);
        let mut headers = vec![
            ("host".to_owned(), endpoint.authority()),
            ("user-agent".to_owned(), USER_AGENT.to_owned()),
            ("x-acs-action".to_owned(), op.action.to_owned()),
            ("x-acs-version".to_owned(), service.version.to_owned()),
        ];
        if !body.is_empty() {
            headers.push(("content-type".to_owned(), FORM_CONTENT_TYPE.to_owned()));
        }
        headers.extend(
            params
                .header_pairs()
                .iter()
                .map(|(name, value)| (name.to_ascii_lowercase(), value.to_owned())),
        );
        Ok(HttpRequest {
            method: op.method.to_owned(),
            url,
            headers,
            body: Bytes::from(body),
        })
    }

    /// Decodes a 2xx response. A body that is not JSON becomes an error whose excerpt is cleared
    /// of the call's secret and token: a proxy's page may echo the request.
    fn decode<O>(
        response: HttpResponse,
        credentials: &Credentials,
    ) -> Result<O, SdkError<ServiceError>>
    where
        O: DeserializeOwned + Default + OperationOutput,
    {
        let secrets = credentials.secrets();
        match decode::decode_response_hiding::<O>(&response.body, &secrets) {
            Ok((mut output, anomalies)) => {
                output.set_meta(Self::response_meta(response, anomalies));
                Ok(output)
            }
            Err(source) => Err(Self::decode_error(response, &secrets, source)),
        }
    }

    /// A 2xx body that is not the operation's JSON, with its excerpt and message cleared of the
    /// call's secrets (cleared before they are cut short, so that no half of a secret is left
    /// at the end).
    fn decode_error(
        response: HttpResponse,
        secrets: &[&str],
        mut source: decode::DecodeError,
    ) -> SdkError<ServiceError> {
        source.excerpt = excerpt::verbatim_excerpt(&response.body, secrets);
        source.message = excerpt::hidden_and_cut(&source.message, secrets, excerpt::MESSAGE_CHARS);
        SdkError::Decode {
            status: response.status,
            body: response.body,
            source,
        }
    }

    /// What a decoded response keeps of its exchange; its request id is recorded on the call's
    /// span.
    fn response_meta(response: HttpResponse, anomalies: Vec<decode::Anomaly>) -> ResponseMeta {
        let HttpResponse {
            status,
            headers,
            body,
        } = response;
        let request_id = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("x-acs-request-id"))
            .map(|(_, value)| value.clone())
            .or_else(|| request_id_of(&body));
        if let Some(request_id) = &request_id {
            tracing::Span::current().record("request_id", request_id.as_str());
        }
        ResponseMeta {
            status,
            request_id,
            anomalies,
            body,
        }
    }
}

/// The first header parameter named like a header the client or a signature sets, as the error
/// that refuses the request: sent, the header would go out twice.
fn reserved_header_parameter(params: &Params) -> Option<BuildError> {
    let (name, _) = params.header_pairs().iter().find(|(name, _)| {
        RESERVED_HEADERS
            .iter()
            .any(|reserved| reserved.eq_ignore_ascii_case(name))
    })?;
    Some(BuildError::new(
        name,
        format!(
            "is named like `{}`, a header the client sets itself or the gateway reads as part of a signature: the request would carry it twice; send the value under another name",
            name.to_ascii_lowercase()
        ),
    ))
}

/// The `RequestId` of a JSON body, without decoding anything else.
fn request_id_of(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct RequestIdOnly {
        #[serde(rename = "RequestId")]
        request_id: Option<String>,
    }
    serde_json::from_slice::<RequestIdOnly>(body)
        .ok()
        .and_then(|only| only.request_id)
}
