//! The RAM role of the ECS instance, read from the instance metadata service in hardened mode:
//! a session token is asked for first (`PUT /latest/api/token`) and sent with every read; it is
//! kept until shortly before its TTL runs out and asked for again when the service refuses it.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use bytes::Bytes;

use crate::http::{HttpRequest, HttpResponse};
use crate::redact::ShownUrl;

use super::error::{CredentialsError, ServiceFailure};
use super::exchange::{Route, ServiceLink, status_failure, target_of};
use super::uri::parse_document;
use super::{
    CredentialServices, CredentialsCache, CredentialsFuture, ENV_ECS_METADATA, ENV_IMDSV1_DISABLED,
    Environment, ProvideCredentials,
};

/// Where the metadata service answers on every ECS instance.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";

/// How long a metadata session token is asked to last unless configured otherwise: six hours,
/// the official libraries' value (and the service's maximum).
pub const DEFAULT_METADATA_TOKEN_TTL: Duration = Duration::from_secs(21600);

/// The shortest and the longest session token the metadata service grants.
const MIN_TOKEN_TTL: Duration = Duration::from_secs(1);
const MAX_TOKEN_TTL: Duration = Duration::from_secs(21600);

const PROVIDER: &str = "ECS RAM role";
const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/ram/security-credentials/";
const TOKEN_HEADER: &str = "x-aliyun-ecs-metadata-token";
const TOKEN_TTL_HEADER: &str = "x-aliyun-ecs-metadata-token-ttl-seconds";
/// The official libraries' metadata timeouts: the service is on the host, so it answers fast or
/// is not there.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
const READ_TIMEOUT: Duration = Duration::from_secs(1);
/// A RAM role name is at most 64 characters.
const MAX_ROLE_NAME: usize = 64;
/// What to do about a role name that is not a RAM role name.
const ROLE_NAME_HINT: &str = "name the instance's RAM role as RAM shows it, with ALIBABA_CLOUD_ECS_METADATA or `EcsRamRoleProviderBuilder::role_name`";

/// Whether the metadata service may be read without a session token when getting one fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenlessReads {
    /// Falls back to plain reads, as the official libraries do by default.
    Allowed,
    /// Hardened mode only (`ALIBABA_CLOUD_IMDSV1_DISABLED=true`).
    Refused,
}

/// The instance's RAM role credentials, cached and refreshed before expiry.
#[derive(Debug)]
pub struct EcsRamRoleProvider {
    cache: CredentialsCache,
}

/// Configures an [`EcsRamRoleProvider`]; made by [`EcsRamRoleProvider::builder`].
#[derive(Debug)]
pub struct EcsRamRoleProviderBuilder {
    role_name: Option<String>,
    token_ttl: Duration,
    tokenless: TokenlessReads,
    services: CredentialServices,
}

struct Metadata {
    endpoint: String,
    role_name: Option<String>,
    token_ttl: Duration,
    tokenless: TokenlessReads,
    link: ServiceLink,
    token: Mutex<Option<SessionToken>>,
}

impl std::fmt::Debug for Metadata {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EcsMetadata")
            .field("endpoint", &ShownUrl(&self.endpoint))
            .field("role_name", &self.role_name)
            .field("token_ttl", &self.token_ttl)
            .field("tokenless", &self.tokenless)
            .finish_non_exhaustive()
    }
}

/// A metadata session token and when to stop using it. Deliberately not `Debug`.
struct SessionToken {
    value: String,
    /// Its life is counted by the metadata service from when it was issued: elapsed time, not
    /// the wall clock, which may be stepped.
    renew_at: Instant,
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionToken").finish_non_exhaustive()
    }
}

impl EcsRamRoleProvider {
    /// Configures the provider; by default the role name is found from the metadata service.
    pub fn builder() -> EcsRamRoleProviderBuilder {
        EcsRamRoleProviderBuilder {
            role_name: None,
            token_ttl: DEFAULT_METADATA_TOKEN_TTL,
            tokenless: TokenlessReads::Allowed,
            services: CredentialServices::default(),
        }
    }

    /// The provider the environment configures: the role of `ALIBABA_CLOUD_ECS_METADATA` (else
    /// found), hardened mode only when `ALIBABA_CLOUD_IMDSV1_DISABLED=true`.
    pub fn from_env(env: &Environment, services: &CredentialServices) -> Self {
        let mut builder = Self::builder().services(services.clone());
        builder.role_name = env.var(ENV_ECS_METADATA);
        if env.is_true(ENV_IMDSV1_DISABLED) {
            builder = builder.hardened_only();
        }
        builder.build()
    }
}

impl EcsRamRoleProviderBuilder {
    /// Reads this role instead of finding the instance's. A name that is not a RAM role name
    /// (letters, digits, `.`, `-`, `_`, at most 64 characters; not `.` or `..`) fails the first
    /// call with an error, before anything is read.
    #[must_use]
    pub fn role_name(mut self, name: impl Into<String>) -> Self {
        self.role_name = Some(name.into());
        self
    }

    /// Asks for session tokens lasting this long (default [`DEFAULT_METADATA_TOKEN_TTL`]), in
    /// whole seconds from 1 to 21600, what the metadata service grants: a longer TTL asks for
    /// 21600 s, a shorter one for 1 s.
    #[must_use]
    pub fn token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// Never reads the metadata service without a session token.
    #[must_use]
    pub fn hardened_only(mut self) -> Self {
        self.tokenless = TokenlessReads::Refused;
        self
    }

    /// Reaches the metadata service through these settings (endpoint, transport, clock).
    #[must_use]
    pub fn services(mut self, services: CredentialServices) -> Self {
        self.services = services;
        self
    }

    /// The provider.
    pub fn build(self) -> EcsRamRoleProvider {
        let endpoint = self
            .services
            .metadata_endpoint
            .clone()
            .unwrap_or_else(|| DEFAULT_METADATA_ENDPOINT.to_owned());
        let metadata = Metadata {
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            role_name: self.role_name.filter(|name| !name.is_empty()),
            token_ttl: self.token_ttl.clamp(MIN_TOKEN_TTL, MAX_TOKEN_TTL),
            tokenless: self.tokenless,
            link: ServiceLink::new(
                self.services.transport.clone(),
                CONNECT_TIMEOUT,
                READ_TIMEOUT,
                Route::Direct,
            ),
            token: Mutex::new(None),
        };
        EcsRamRoleProvider {
            cache: CredentialsCache::new(metadata).with_clock(self.services.clock_or_system()),
        }
    }
}

impl Metadata {
    async fn credentials(&self) -> Result<super::Credentials, CredentialsError> {
        let role = match &self.role_name {
            Some(role) => {
                if let Some(problem) = role_name_problem(role) {
                    return Err(ServiceFailure::new(
                        PROVIDER,
                        target_of(&self.endpoint),
                        format!(
                            "the role name given, {}, is not a RAM role name: {problem}",
                            shown_role_name(role, &[])
                        ),
                        ROLE_NAME_HINT,
                    )
                    .into());
                }
                role.clone()
            }
            None => self.discover_role().await?,
        };
        let path = format!("{ROLE_PATH}{role}");
        let answer = self.read(&path).await?;
        let url = self.url(&path);
        if !answer.response.is_success() {
            return Err(status_failure(
                PROVIDER,
                &url,
                &answer.response,
                &answer.secrets(),
                "check that a RAM role is attached to the instance and that its name is right",
            )
            .into());
        }
        parse_document(PROVIDER, &url, &answer.response.body, &answer.secrets())
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.endpoint)
    }

    /// The instance's role: the first line the role listing gives.
    async fn discover_role(&self) -> Result<String, CredentialsError> {
        let answer = self.read(ROLE_PATH).await?;
        let url = self.url(ROLE_PATH);
        if !answer.response.is_success() {
            return Err(status_failure(
                PROVIDER,
                &url,
                &answer.response,
                &answer.secrets(),
                "no RAM role is attached to this instance: attach one, or set ALIBABA_CLOUD_ECS_METADATA_DISABLED=true if this is not meant to use it",
            )
            .into());
        }
        let text = String::from_utf8_lossy(&answer.response.body);
        let role = text.lines().next().unwrap_or_default().trim();
        if let Some(problem) = role_name_problem(role) {
            return Err(ServiceFailure::new(
                PROVIDER,
                url,
                format!(
                    "the role listing does not hold a role name: its first line, {}, is not a RAM role name: {problem}",
                    shown_role_name(role, &answer.secrets())
                ),
                "attach a RAM role to the instance, or name it with ALIBABA_CLOUD_ECS_METADATA",
            )
            .into());
        }
        Ok(role.to_owned())
    }

    /// A `GET` with the session token; once more with a new token if the service refused the
    /// one kept (it may have expired early, or the service restarted).
    async fn read(&self, path: &str) -> Result<MetadataAnswer, CredentialsError> {
        let token = self.session_token().await?;
        let response = self.get(path, token.as_deref()).await?;
        let mut tokens: Vec<String> = token.into_iter().collect();
        if !tokens.is_empty() && matches!(response.status, 401 | 403) {
            self.forget_token();
            let token = self.session_token().await?;
            let response = self.get(path, token.as_deref()).await?;
            tokens.extend(token);
            return Ok(MetadataAnswer { response, tokens });
        }
        Ok(MetadataAnswer { response, tokens })
    }

    async fn get(&self, path: &str, token: Option<&str>) -> Result<HttpResponse, ServiceFailure> {
        let mut headers = Vec::new();
        if let Some(token) = token {
            headers.push((TOKEN_HEADER.to_owned(), token.to_owned()));
        }
        let request = HttpRequest {
            method: "GET".to_owned(),
            url: self.url(path),
            headers,
            body: Bytes::new(),
        };
        self.link.exchange(PROVIDER, request).await
    }

    fn forget_token(&self) {
        *self.token.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The kept token while it is good, else a new one; `None` to read without one when that is
    /// allowed and getting one failed.
    async fn session_token(&self) -> Result<Option<String>, CredentialsError> {
        let now = Instant::now();
        {
            let kept = self.token.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(token) = kept.as_ref().filter(|token| now < token.renew_at) {
                return Ok(Some(token.value.clone()));
            }
        }
        match self.new_token(now).await {
            Ok(token) => Ok(Some(token)),
            Err(failure) if failure.is_unreachable() => Err(failure.into()),
            Err(failure) => match self.tokenless {
                TokenlessReads::Allowed => {
                    tracing::warn!(error = %failure, "no metadata session token; reading without one");
                    Ok(None)
                }
                TokenlessReads::Refused => Err(failure.into()),
            },
        }
    }

    async fn new_token(&self, now: Instant) -> Result<String, ServiceFailure> {
        let url = self.url(TOKEN_PATH);
        let request = HttpRequest {
            method: "PUT".to_owned(),
            url: url.clone(),
            headers: vec![(
                TOKEN_TTL_HEADER.to_owned(),
                self.token_ttl.as_secs().to_string(),
            )],
            body: Bytes::new(),
        };
        let response = self.link.exchange(PROVIDER, request).await?;
        if !response.is_success() {
            return Err(status_failure(
                PROVIDER,
                &url,
                &response,
                &[],
                "the metadata service refused a session token",
            ));
        }
        let token = String::from_utf8_lossy(&response.body).trim().to_owned();
        if token.is_empty() || token.len() > 4096 {
            return Err(ServiceFailure::new(
                PROVIDER,
                url,
                "the session token answer is empty or too long",
                "the metadata service answered something else than a token",
            ));
        }
        // Renewed a tenth of its life early (at most a minute), so a read never carries a token
        // that expires on its way. A clock so far ahead that the sum overflows keeps no token.
        let early = (self.token_ttl / 10).min(Duration::from_secs(60));
        *self.token.lock().unwrap_or_else(PoisonError::into_inner) = Some(SessionToken {
            value: token.clone(),
            renew_at: now.checked_add(self.token_ttl - early).unwrap_or(now),
        });
        Ok(token)
    }
}

/// An answer of the metadata service with the session tokens sent for it: an error text built
/// from the body must blank them, since a refusal may quote the token it refused.
struct MetadataAnswer {
    response: HttpResponse,
    tokens: Vec<String>,
}

impl MetadataAnswer {
    fn secrets(&self) -> Vec<&str> {
        self.tokens.iter().map(String::as_str).collect()
    }
}

/// Why `name` is not a RAM role name, or `None` when it is one. RAM allows ASCII letters,
/// digits, `.`, `-` and `_`, at most 64 characters; `.` and `..` fit those rules but, once in
/// the URL path, would read the listing itself or its parent instead of a role.
fn role_name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("it is empty");
    }
    if name.chars().count() > MAX_ROLE_NAME {
        return Some("it is longer than 64 characters");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Some("only letters, digits, `.`, `-` and `_` may appear in it");
    }
    if matches!(name, "." | "..") {
        return Some("`.` and `..` would read another path of the metadata service than a role's");
    }
    None
}

/// A role name quoted in an error: escaped, cut after 64 characters, with `secrets` blanked.
fn shown_role_name(name: &str, secrets: &[&str]) -> String {
    let cleared = crate::redact::hide_secrets(name, secrets);
    let mut shown: String = cleared.chars().take(MAX_ROLE_NAME).collect();
    if shown.len() < cleared.len() {
        shown.push_str("...");
    }
    format!("{shown:?}")
}

impl ProvideCredentials for Metadata {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }
}

impl ProvideCredentials for EcsRamRoleProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}
