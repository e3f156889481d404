//! What a client needs besides the product: credentials, region, endpoint, network, timeouts,
//! retries, transport, clock and nonces, and the builder that gathers them.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::credentials::{
    self, CredentialServices, Credentials, CredentialsChain, CredentialsError, Environment,
    ProvideCredentials,
};
use crate::endpoint::{Endpoint, EndpointError};
use crate::http::HttpTransport;
use crate::retry::RetryPolicy;
use crate::sign::{self, SignatureVersion};
use crate::timeout::TimeoutConfig;

/// How long to wait for a connection unless configured otherwise (the official SDKs' default).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long to wait for data on an open connection unless configured otherwise (the official
/// SDKs' default).
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The largest response body a call accepts unless configured otherwise: 64 MiB, some hundred
/// times the largest page Alibaba's list APIs send.
pub const DEFAULT_MAX_RESPONSE_BODY: u64 = 64 * 1024 * 1024;

/// The time a request is signed with. Fix it in tests to get repeatable signatures.
///
/// Any `Fn() -> SystemTime` is a clock.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> SystemTime;
}

impl<F: Fn() -> SystemTime + Send + Sync> Clock for F {
    fn now(&self) -> SystemTime {
        self()
    }
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// Unique values: the signature nonce of every attempt, and the idempotency token of a call
/// that declares one. Fix it in tests to get repeatable requests.
///
/// Any `Fn() -> String` is a nonce source.
pub trait NonceSource: Send + Sync {
    /// A value never returned before.
    fn nonce(&self) -> String;
}

impl<F: Fn() -> String + Send + Sync> NonceSource for F {
    fn nonce(&self) -> String {
        self()
    }
}

/// 32 random hex digits per nonce ([`sign::fresh_nonce`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomNonce;

impl NonceSource for RandomNonce {
    fn nonce(&self) -> String {
        sign::fresh_nonce()
    }
}

/// A configuration could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The endpoint override is not a usable URL.
    #[error("invalid endpoint override: {0}")]
    Endpoint(#[from] EndpointError),
    /// The environment's credentials or profile could not be used.
    #[error("{0}")]
    Credentials(#[from] CredentialsError),
    /// The default HTTP transport could not be set up.
    #[cfg(any(feature = "hyper", feature = "reqwest"))]
    #[error("{0}")]
    Transport(#[from] crate::http::TransportSetupError),
    /// No transport was given and the crate was built without its default one.
    #[error(
        "no HTTP transport: give one with `ConfigBuilder::transport`, or enable the `hyper` (default) or `reqwest` feature of acs-runtime"
    )]
    NoTransport,
}

/// Everything a client needs besides the product: credentials, region, endpoint, network,
/// timeouts, retries, transport, clock and nonces. Cheap to clone (shared parts are `Arc`s).
#[derive(Clone)]
pub struct Config {
    pub(crate) credentials: Arc<dyn ProvideCredentials>,
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<Endpoint>,
    pub(crate) network: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) max_response_body: u64,
    pub(crate) retry: RetryPolicy,
    pub(crate) transport: Arc<dyn HttpTransport>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) nonce: Arc<dyn NonceSource>,
    pub(crate) signature: Option<SignatureVersion>,
}

impl Config {
    /// A builder with the defaults: the default credentials chain, no region, the public
    /// network, 5 s connect and 10 s read timeouts, 30 s per attempt and no limit on the whole
    /// call ([`TimeoutConfig::default`]), response bodies up to 64 MiB
    /// ([`DEFAULT_MAX_RESPONSE_BODY`]), [`RetryPolicy::default`], the [`HyperTransport`](crate::http::HyperTransport) (with the `hyper` feature), the
    /// system clock and random nonces.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A configuration from the process environment: credentials from the default chain
    /// ([`CredentialsChain::default_chain_with`]: the environment's keys, OIDC, the CLI profile,
    /// the ECS instance RAM role, a credentials URI), region from `ALIBABA_CLOUD_REGION_ID` or the
    /// profile.
    ///
    /// The credentials are looked up once here, so that a machine without any fails at start
    /// with the list of places searched, not at its first call.
    pub async fn from_env() -> Result<Config, ConfigError> {
        Self::from_environment(Environment::process()).await
    }

    /// [`Config::from_env`] reading the given environment (a fixed map in tests).
    pub async fn from_environment(env: Environment) -> Result<Config, ConfigError> {
        Self::from_environment_with(env, CredentialServices::default()).await
    }

    /// [`Config::from_environment`] with the credentials services (STS, the ECS metadata service)
    /// reached through `services`: other endpoints, transport or clock.
    pub async fn from_environment_with(
        env: Environment,
        services: CredentialServices,
    ) -> Result<Config, ConfigError> {
        let region = credentials::default_region(&env).await?;
        let chain = CredentialsChain::default_chain_with(None, env, services);
        chain.provide_credentials().await?;
        let mut builder = Config::builder().credentials_provider(Arc::new(chain));
        builder.region = region;
        builder.build()
    }

    /// The region calls go to, if set.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The endpoint override, if set.
    pub fn endpoint(&self) -> Option<&Endpoint> {
        self.endpoint.as_ref()
    }

    /// The network type (`vpc`, `internal`), if not the public one.
    pub fn network(&self) -> Option<&str> {
        self.network.as_deref()
    }

    /// The connect timeout the default transport was built with.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The read timeout the default transport was built with.
    pub fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// The time limits of each attempt and of each call.
    pub fn timeouts(&self) -> TimeoutConfig {
        self.timeouts
    }

    /// This configuration with other time limits, sharing everything else (the transport and
    /// its connection pool included): how a product client for slow or hasty calls is made from
    /// another, `ecs::Client::new(client.config().with_timeouts(limits))`.
    #[must_use]
    pub fn with_timeouts(&self, timeouts: TimeoutConfig) -> Config {
        let mut config = self.clone();
        config.timeouts = timeouts;
        config
    }

    /// The largest response body a call accepts, in bytes.
    pub fn max_response_body(&self) -> u64 {
        self.max_response_body
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The signature version that overrides the product's, if set.
    pub fn signature_version(&self) -> Option<SignatureVersion> {
        self.signature
    }

    /// The HTTP transport.
    pub fn transport(&self) -> &Arc<dyn HttpTransport> {
        &self.transport
    }

    /// The credentials provider.
    pub fn credentials_provider(&self) -> &Arc<dyn ProvideCredentials> {
        &self.credentials
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The providers redact their own secrets.
        f.debug_struct("Config")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("network", &self.network)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("timeouts", &self.timeouts)
            .field("max_response_body", &self.max_response_body)
            .field("retry", &self.retry)
            .field("transport", &self.transport)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Config`]; see [`Config::builder`] for the defaults.
#[derive(Default)]
pub struct ConfigBuilder {
    credentials: Option<Arc<dyn ProvideCredentials>>,
    region: Option<String>,
    endpoint: Option<String>,
    network: Option<String>,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    timeouts: Option<TimeoutConfig>,
    max_response_body: Option<u64>,
    retry: Option<RetryPolicy>,
    transport: Option<Arc<dyn HttpTransport>>,
    clock: Option<Arc<dyn Clock>>,
    nonce: Option<Arc<dyn NonceSource>>,
    signature: Option<SignatureVersion>,
}

impl fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("credentials", &self.credentials)
            .field("region", &self.region)
            .field(
                "endpoint",
                &self.endpoint.as_deref().map(crate::redact::ShownUrl),
            )
            .field("network", &self.network)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// Signs with these credentials (an AccessKey pair, with an STS token or not).
    #[must_use]
    pub fn credentials(self, credentials: Credentials) -> Self {
        self.credentials_provider(Arc::new(credentials))
    }

    /// Asks this provider for credentials before every attempt.
    #[must_use]
    pub fn credentials_provider(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.credentials = Some(provider);
        self
    }

    /// The region calls go to (`cn-hangzhou`).
    #[must_use]
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends every call to this endpoint instead of the product's: a URL (`https://host`,
    /// `http://127.0.0.1:8080`) or a bare host (HTTPS).
    #[must_use]
    pub fn endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// The network type (`vpc`, `internal`) whose endpoint the product declares.
    #[must_use]
    pub fn network(mut self, network: impl Into<String>) -> Self {
        self.network = Some(network.into());
        self
    }

    /// How long the default transport waits for a connection.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long the default transport waits for data on an open connection.
    #[must_use]
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// The time limits of each attempt (sending the request and reading the whole body) and of
    /// each call (every attempt and backoff sleep), enforced by the client whatever the
    /// transport; see [`TimeoutConfig`]. [`Client::with_timeouts`](crate::Client::with_timeouts) changes them for some calls.
    #[must_use]
    pub fn timeouts(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// The largest response body a call accepts, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`], 64 MiB). A larger body fails the call with a
    /// [`TransportErrorKind::BodyTooLarge`](crate::http::TransportErrorKind::BodyTooLarge) error,
    /// which is not retried: the default transport refuses a `Content-Length` above the limit
    /// before reading the body, and stops reading once more than the limit arrived, so an
    /// oversized answer never costs more memory than the limit.
    #[must_use]
    pub fn max_response_body(mut self, bytes: u64) -> Self {
        self.max_response_body = Some(bytes);
        self
    }

    /// The retry policy ([`RetryPolicy::disabled`] to send every call once).
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sends through this transport instead of the default one; the timeouts above then are
    /// the transport's own business.
    #[must_use]
    pub fn transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Signs with this clock's time.
    #[must_use]
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Takes nonces and idempotency tokens from this source.
    #[must_use]
    pub fn nonce_source(mut self, nonce: impl NonceSource + 'static) -> Self {
        self.nonce = Some(Arc::new(nonce));
        self
    }

    /// Signs every product with this version instead of the one its spec declares.
    #[must_use]
    pub fn signature_version(mut self, version: SignatureVersion) -> Self {
        self.signature = Some(version);
        self
    }

    /// Checks the endpoint override and sets up the default transport if none was given.
    pub fn build(self) -> Result<Config, ConfigError> {
        let endpoint = self.endpoint.as_deref().map(Endpoint::parse).transpose()?;
        let connect_timeout = self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT);
        let read_timeout = self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT);
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport(connect_timeout, read_timeout)?,
        };
        let credentials = match self.credentials {
            Some(provider) => provider,
            None => Arc::new(CredentialsChain::default_chain(
                None,
                Environment::process(),
            )),
        };
        Ok(Config {
            credentials,
            region: self.region.filter(|region| !region.is_empty()),
            endpoint,
            network: self.network.filter(|network| !network.is_empty()),
            connect_timeout,
            read_timeout,
            timeouts: self.timeouts.unwrap_or_default(),
            max_response_body: self.max_response_body.unwrap_or(DEFAULT_MAX_RESPONSE_BODY),
            retry: self.retry.unwrap_or_default(),
            transport,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            nonce: self.nonce.unwrap_or_else(|| Arc::new(RandomNonce)),
            signature: self.signature,
        })
    }
}

#[cfg(feature = "hyper")]
fn default_transport(
    connect_timeout: Duration,
    read_timeout: Duration,
) -> Result<Arc<dyn HttpTransport>, ConfigError> {
    let transport = crate::http::HyperTransport::new(connect_timeout, read_timeout)?;
    Ok(Arc::new(transport))
}

#[cfg(all(feature = "reqwest", not(feature = "hyper")))]
fn default_transport(
    connect_timeout: Duration,
    read_timeout: Duration,
) -> Result<Arc<dyn HttpTransport>, ConfigError> {
    let transport = crate::http::ReqwestTransport::new(connect_timeout, read_timeout)?;
    Ok(Arc::new(transport))
}

#[cfg(not(any(feature = "hyper", feature = "reqwest")))]
fn default_transport(
    _connect_timeout: Duration,
    _read_timeout: Duration,
) -> Result<Arc<dyn HttpTransport>, ConfigError> {
    Err(ConfigError::NoTransport)
}
