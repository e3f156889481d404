//! A RAM role assumed with STS `AssumeRole`, signed with the credentials of any other provider
//! (keys, a profile, the ECS role, another assumed role).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::redact::REDACTED;

use super::error::CredentialsError;
use super::sts::{Session, ShownPolicy, Sts, checked_duration};
use super::{
    CredentialServices, CredentialsCache, CredentialsFuture, ProvideCredentials, StsEndpoint,
};

const PROVIDER: &str = "RAM role (STS AssumeRole)";

/// Credentials of a RAM role assumed with `AssumeRole`, cached and refreshed before expiry.
#[derive(Debug)]
pub struct RamRoleArnProvider {
    cache: CredentialsCache,
}

/// Configures a [`RamRoleArnProvider`]; made by [`RamRoleArnProvider::builder`].
///
/// `Debug` shows neither the external id nor the policy.
pub struct RamRoleArnProviderBuilder {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: Option<String>,
    duration: Option<Duration>,
    policy: Option<String>,
    external_id: Option<String>,
    endpoint: StsEndpoint,
    services: CredentialServices,
}

struct AssumeRole {
    source: Arc<dyn ProvideCredentials>,
    session: Session,
    external_id: Option<String>,
    sts: Sts,
}

/// The external id is a value shared with the role's owner to tell callers apart: a provider's
/// `Debug` ends up in error messages, so it is never shown.
fn shown_external_id(external_id: &Option<String>) -> Option<&'static str> {
    external_id.as_ref().map(|_| REDACTED)
}

impl fmt::Debug for RamRoleArnProviderBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RamRoleArnProviderBuilder")
            .field("source", &self.source)
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration", &self.duration)
            .field("policy", &ShownPolicy(&self.policy))
            .field("external_id", &shown_external_id(&self.external_id))
            .field("endpoint", &self.endpoint)
            .field("services", &self.services)
            .finish()
    }
}

impl fmt::Debug for AssumeRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRole")
            .field("source", &self.source)
            .field("session", &self.session)
            .field("external_id", &shown_external_id(&self.external_id))
            .field("sts", &self.sts)
            .finish()
    }
}

impl RamRoleArnProvider {
    /// Assumes `role_arn` (`acs:ram::<account>:role/<name>`) with credentials from `source`.
    pub fn builder(
        source: Arc<dyn ProvideCredentials>,
        role_arn: impl Into<String>,
    ) -> RamRoleArnProviderBuilder {
        RamRoleArnProviderBuilder {
            source,
            role_arn: role_arn.into(),
            session_name: None,
            duration: None,
            policy: None,
            external_id: None,
            endpoint: StsEndpoint::Central,
            services: CredentialServices::default(),
        }
    }
}

impl RamRoleArnProviderBuilder {
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

    /// The external id the role's trust policy requires (against the confused deputy).
    #[must_use]
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.external_id = Some(external_id.into());
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
    pub fn build(self) -> Result<RamRoleArnProvider, CredentialsError> {
        let mut session = Session::new(self.role_arn, self.session_name);
        session.duration = checked_duration(PROVIDER, self.duration)?;
        session.policy = self.policy;
        let assume = AssumeRole {
            source: self.source,
            session,
            external_id: self.external_id.filter(|id| !id.is_empty()),
            sts: Sts::new(self.endpoint, &self.services),
        };
        Ok(RamRoleArnProvider {
            cache: CredentialsCache::new(assume).with_clock(self.services.clock_or_system()),
        })
    }
}

impl AssumeRole {
    async fn assume(&self) -> Result<super::Credentials, CredentialsError> {
        let source = self.source.provide_credentials().await?;
        self.sts
            .assume_role(
                PROVIDER,
                &source,
                &self.session,
                self.external_id.as_deref(),
            )
            .await
    }
}

impl ProvideCredentials for AssumeRole {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.assume())
    }
}

impl ProvideCredentials for RamRoleArnProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}
