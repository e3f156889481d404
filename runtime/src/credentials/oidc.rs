//! A RAM role assumed with an OIDC token (RRSA in an ACK pod): the token file is read again at
//! each refresh, since the cluster rotates it, and exchanged with STS `AssumeRoleWithOIDC`.

use std::path::PathBuf;
use std::time::Duration;

use super::error::{CredentialsError, ServiceFailure};
use super::local_file::FileReader;
use super::sts::{Session, ShownPolicy, Sts, checked_duration};
use super::{
    CredentialServices, CredentialsCache, CredentialsFuture, ENV_OIDC_PROVIDER_ARN,
    ENV_OIDC_TOKEN_FILE, ENV_ROLE_ARN, ENV_ROLE_SESSION_EXPIRATION, ENV_ROLE_SESSION_NAME,
    Environment, ProvideCredentials, StsEndpoint,
};

const PROVIDER: &str = "OIDC (STS AssumeRoleWithOIDC)";

/// The largest OIDC token file read: service account tokens are a few KiB.
const MAX_TOKEN_BYTES: u64 = 64 * 1024;

/// Credentials of a RAM role assumed with an OIDC token, cached and refreshed before expiry.
///
/// From the environment (RRSA sets these in the pod): `ALIBABA_CLOUD_ROLE_ARN`,
/// `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE`, and optionally
/// `ALIBABA_CLOUD_ROLE_SESSION_NAME`, `ALIBABA_CLOUD_ROLE_SESSION_EXPIRATION` (seconds),
/// `ALIBABA_CLOUD_STS_REGION` and `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`.
#[derive(Debug)]
pub struct OidcProvider {
    cache: CredentialsCache,
}

/// Configures an [`OidcProvider`]; made by [`OidcProvider::builder`].
///
/// `Debug` shows the policy by its length only.
pub struct OidcProviderBuilder {
    role_arn: String,
    oidc_provider_arn: String,
    token_file: PathBuf,
    session_name: Option<String>,
    duration: Option<Duration>,
    policy: Option<String>,
    endpoint: StsEndpoint,
    services: CredentialServices,
}

impl std::fmt::Debug for OidcProviderBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProviderBuilder")
            .field("role_arn", &self.role_arn)
            .field("oidc_provider_arn", &self.oidc_provider_arn)
            .field("token_file", &self.token_file)
            .field("session_name", &self.session_name)
            .field("duration", &self.duration)
            .field("policy", &ShownPolicy(&self.policy))
            .field("endpoint", &self.endpoint)
            .field("services", &self.services)
            .finish()
    }
}

/// The uncached exchange.
#[derive(Debug)]
struct OidcExchange {
    oidc_provider_arn: String,
    token_file: PathBuf,
    token_reader: FileReader,
    session: Session,
    sts: Sts,
}

impl OidcProvider {
    /// Assumes `role_arn` with the token in `token_file`, issued by `oidc_provider_arn`.
    pub fn builder(
        role_arn: impl Into<String>,
        oidc_provider_arn: impl Into<String>,
        token_file: impl Into<PathBuf>,
    ) -> OidcProviderBuilder {
        OidcProviderBuilder {
            role_arn: role_arn.into(),
            oidc_provider_arn: oidc_provider_arn.into(),
            token_file: token_file.into(),
            session_name: None,
            duration: None,
            policy: None,
            endpoint: StsEndpoint::Central,
            services: CredentialServices::default(),
        }
    }

    /// The provider the environment configures; [`CredentialsError::NotFound`] naming the
    /// variables when they are not all set.
    pub fn from_env(
        env: &Environment,
        services: &CredentialServices,
    ) -> Result<Self, CredentialsError> {
        let (Some(role_arn), Some(provider_arn), Some(token_file)) = (
            env.var(ENV_ROLE_ARN),
            env.var(ENV_OIDC_PROVIDER_ARN),
            env.var(ENV_OIDC_TOKEN_FILE),
        ) else {
            return Err(CredentialsError::not_found(format!(
                "OIDC ({ENV_ROLE_ARN}, {ENV_OIDC_PROVIDER_ARN} and {ENV_OIDC_TOKEN_FILE} not all set)"
            )));
        };
        let mut builder = Self::builder(role_arn, provider_arn, token_file)
            .sts_endpoint(StsEndpoint::from_env(env))
            .services(services.clone());
        builder.session_name = env.var(ENV_ROLE_SESSION_NAME);
        if let Some(seconds) = env.var(ENV_ROLE_SESSION_EXPIRATION) {
            let seconds: u64 =
                seconds
                    .trim()
                    .parse()
                    .map_err(|_| CredentialsError::Incomplete {
                        origin: "OIDC".to_owned(),
                        problem: format!(
                            "{ENV_ROLE_SESSION_EXPIRATION} is not a number of seconds"
                        ),
                    })?;
            builder.duration = Some(Duration::from_secs(seconds));
        }
        builder.build()
    }
}

impl OidcProviderBuilder {
    /// The session name STS records (default `credentials-rust-<unix seconds>`).
    #[must_use]
    pub fn session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// How long each session lasts (900 s at least; default one hour).
    #[must_use]
    pub fn duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// A policy (JSON) narrowing the role's permissions for these sessions.
    #[must_use]
    pub fn policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into());
        self
    }

    /// Calls this STS endpoint (default the central one).
    #[must_use]
    pub fn sts_endpoint(mut self, endpoint: StsEndpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Reaches STS through these settings (transport, clock, endpoint override).
    #[must_use]
    pub fn services(mut self, services: CredentialServices) -> Self {
        self.services = services;
        self
    }

    /// The provider; an error when the duration is under 900 s.
    pub fn build(self) -> Result<OidcProvider, CredentialsError> {
        let mut session = Session::new(self.role_arn, self.session_name);
        session.duration = checked_duration(PROVIDER, self.duration)?;
        session.policy = self.policy;
        let exchange = OidcExchange {
            oidc_provider_arn: self.oidc_provider_arn,
            token_file: self.token_file,
            token_reader: FileReader::new(MAX_TOKEN_BYTES),
            session,
            sts: Sts::new(self.endpoint, &self.services),
        };
        Ok(OidcProvider {
            cache: CredentialsCache::new(exchange).with_clock(self.services.clock_or_system()),
        })
    }
}

impl OidcExchange {
    async fn assume(&self) -> Result<super::Credentials, CredentialsError> {
        let token = self.read_token().await?;
        self.sts
            .assume_role_with_oidc(PROVIDER, &self.oidc_provider_arn, &token, &self.session)
            .await
    }

    /// The token in the token file, trimmed; at most [`MAX_TOKEN_BYTES`] read, off the async
    /// threads and within the file read's time bound.
    async fn read_token(&self) -> Result<String, CredentialsError> {
        let unreadable = |detail: String| -> CredentialsError {
            ServiceFailure::new(
                PROVIDER,
                self.token_file.display().to_string(),
                detail,
                "check ALIBABA_CLOUD_OIDC_TOKEN_FILE and that the token volume is mounted",
            )
            .into()
        };
        let bytes = self
            .token_reader
            .read(&self.token_file)
            .await
            .map_err(|err| unreadable(format!("the token file {err}")))?;
        let token = String::from_utf8(bytes)
            .map_err(|_| unreadable("the token file is not UTF-8 text".to_owned()))?;
        let token = token.trim();
        if token.is_empty() {
            return Err(unreadable("the token file is empty".to_owned()));
        }
        Ok(token.to_owned())
    }
}

impl ProvideCredentials for OidcExchange {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.assume())
    }
}

impl ProvideCredentials for OidcProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}
