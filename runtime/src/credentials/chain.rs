//! Providers asked in order, and the default chain in the official libraries' order.

use std::fmt;
use std::sync::{Arc, OnceLock};

use super::error::CredentialsError;
use super::profile::ProfileFile;
use super::{
    CredentialServices, Credentials, CredentialsFuture, CredentialsUriProvider,
    ENV_CLI_PROFILE_DISABLED, ENV_ECS_METADATA_DISABLED, ENV_PROFILE, ENV_REGION_ID,
    EcsRamRoleProvider, Environment, EnvironmentProvider, OidcProvider, ProfileProvider,
    ProvideCredentials,
};

/// Providers asked in order; the first that has credentials wins, and is asked alone from then
/// on (as the official libraries do), so that a later call neither pays for the sources before
/// it nor switches identity.
///
/// A provider that has nothing ([`CredentialsError::NotFound`]) passes to the next; any other
/// error stops the chain. When none has credentials, the error lists every place looked at and
/// why each was passed over.
#[derive(Clone, Default)]
pub struct CredentialsChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
    winner: Arc<OnceLock<usize>>,
}

impl fmt::Debug for CredentialsChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsChain")
            .field("providers", &self.providers)
            .field("winner", &self.winner.get())
            .finish()
    }
}

impl CredentialsChain {
    /// An empty chain (which finds nothing).
    pub fn new() -> Self {
        Self::default()
    }

    /// The default chain, reaching Alibaba's real endpoints; see
    /// [`CredentialsChain::default_chain_with`].
    pub fn default_chain(explicit: Option<Credentials>, env: Environment) -> Self {
        Self::default_chain_with(explicit, env, CredentialServices::default())
    }

    /// The default chain, in the official libraries' order:
    ///
    /// 1. `explicit`, when given;
    /// 2. the environment's keys ([`EnvironmentProvider`]);
    /// 3. OIDC, when `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
    ///    `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set ([`OidcProvider`]);
    /// 4. the CLI profile file, unless `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`
    ///    ([`ProfileProvider`]);
    /// 5. the ECS instance RAM role, unless `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`
    ///    ([`EcsRamRoleProvider`]); a metadata service that cannot be reached means "not on
    ///    ECS" and passes to the next;
    /// 6. `ALIBABA_CLOUD_CREDENTIALS_URI`, when set ([`CredentialsUriProvider`]).
    ///
    /// `services` reaches STS and the metadata service (tests point them at loopback fakes).
    pub fn default_chain_with(
        explicit: Option<Credentials>,
        env: Environment,
        services: CredentialServices,
    ) -> Self {
        let mut chain = CredentialsChain::new();
        if let Some(explicit) = explicit {
            chain = chain.push(explicit);
        }
        chain = chain.push(EnvironmentProvider::new(env.clone()));
        chain = chain.push(Built::new(Deferred::Oidc(env.clone(), services.clone())));
        if env.is_true(ENV_CLI_PROFILE_DISABLED) {
            chain = chain.push(Skipped(format!(
                "CLI profile file ({ENV_CLI_PROFILE_DISABLED}=true)"
            )));
        } else {
            chain = chain.push(ProfileProvider::new(env.clone()).with_services(services.clone()));
        }
        if env.is_true(ENV_ECS_METADATA_DISABLED) {
            chain = chain.push(Skipped(format!(
                "ECS instance RAM role ({ENV_ECS_METADATA_DISABLED}=true)"
            )));
        } else {
            chain = chain.push(AbsentWhenUnreachable(EcsRamRoleProvider::from_env(
                &env, &services,
            )));
        }
        chain.push(Built::new(Deferred::Uri(env, services)))
    }

    /// Appends a provider, asked after those already in the chain.
    #[must_use]
    pub fn push(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers.push(Arc::new(provider));
        self
    }

    /// Appends a shared provider.
    #[must_use]
    pub fn push_shared(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.providers.push(provider);
        self
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        if let Some(provider) = self.winner.get().and_then(|at| self.providers.get(*at)) {
            return provider.provide_credentials().await;
        }
        let mut searched = Vec::new();
        for (at, provider) in self.providers.iter().enumerate() {
            match provider.provide_credentials().await {
                Ok(credentials) => {
                    // Another call may have settled first; both found the same source.
                    let _ = self.winner.set(at);
                    return Ok(credentials);
                }
                Err(CredentialsError::NotFound { searched: places }) => searched.extend(places),
                Err(other) => return Err(other),
            }
        }
        if searched.is_empty() {
            searched.push("no credentials providers are configured".to_owned());
        }
        Err(CredentialsError::NotFound { searched })
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.resolve())
    }
}

/// A link of the default chain that is switched off, kept so that the error names it.
#[derive(Debug)]
struct Skipped(String);

impl ProvideCredentials for Skipped {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::ready(Err(CredentialsError::not_found(
            self.0.clone(),
        ))))
    }
}

/// The ECS role in the default chain: a metadata service that does not answer means this is not
/// an ECS instance, which is not an error.
#[derive(Debug)]
struct AbsentWhenUnreachable(EcsRamRoleProvider);

impl ProvideCredentials for AbsentWhenUnreachable {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            match self.0.provide_credentials().await {
                Err(CredentialsError::Service(failure)) if failure.is_unreachable() => {
                    Err(CredentialsError::not_found(format!(
                        "ECS instance RAM role (metadata service at {} did not answer: not an ECS instance? set {ENV_ECS_METADATA_DISABLED}=true to skip it)",
                        failure.target()
                    )))
                }
                other => other,
            }
        })
    }
}

/// A provider the environment configures, built at its first call (so that building the chain
/// reads no file and checks nothing) and kept.
enum Deferred {
    Oidc(Environment, CredentialServices),
    Uri(Environment, CredentialServices),
}

impl fmt::Debug for Deferred {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deferred::Oidc(..) => f.write_str("OidcProvider (from the environment)"),
            Deferred::Uri(..) => f.write_str("CredentialsUriProvider (from the environment)"),
        }
    }
}

/// The built provider of a [`Deferred`] link, shared by every call.
struct Built {
    link: Deferred,
    provider: OnceLock<Result<Arc<dyn ProvideCredentials>, CredentialsError>>,
}

impl fmt::Debug for Built {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.link.fmt(f)
    }
}

impl Built {
    fn new(link: Deferred) -> Self {
        Built {
            link,
            provider: OnceLock::new(),
        }
    }
}

impl Deferred {
    fn build(&self) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        match self {
            Deferred::Oidc(env, services) => OidcProvider::from_env(env, services)
                .map(|p| Arc::new(p) as Arc<dyn ProvideCredentials>),
            Deferred::Uri(env, services) => CredentialsUriProvider::from_env(env, services)
                .map(|p| Arc::new(p) as Arc<dyn ProvideCredentials>),
        }
    }
}

impl ProvideCredentials for Built {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            match self.provider.get_or_init(|| self.link.build()) {
                Ok(provider) => provider.provide_credentials().await,
                Err(error) => Err(error.clone()),
            }
        })
    }
}

/// The default region: `ALIBABA_CLOUD_REGION_ID`, else the CLI profile's `region_id`, else
/// `None`.
///
/// The profile is the one the credentials would come from (`ALIBABA_CLOUD_PROFILE`, else
/// `current`). A missing file, an unnamed or absent profile means no region; a file that cannot
/// be parsed is an error, since the caller would otherwise silently get another region. The file
/// is read off the async threads, within a few seconds (a stuck read is an error).
pub async fn default_region(env: &Environment) -> Result<Option<String>, CredentialsError> {
    if let Some(region) = env.var(ENV_REGION_ID) {
        return Ok(Some(region));
    }
    if env.is_true(ENV_CLI_PROFILE_DISABLED) {
        return Ok(None);
    }
    let Some(path) = env.cli_profile_path() else {
        return Ok(None);
    };
    let Some(file) = ProfileFile::load(&ProfileFile::reader(), &path).await? else {
        return Ok(None);
    };
    let explicit = env.var(ENV_PROFILE);
    Ok(file
        .select(&path, explicit.as_deref())
        .ok()
        .and_then(|profile| profile.region_id().map(str::to_owned)))
}
