//! Credentials and where they come from, in the order of Alibaba Cloud's official default chain:
//! keys given in code ([`Credentials`]), the environment ([`EnvironmentProvider`]), an OIDC token
//! exchanged with STS ([`OidcProvider`], RRSA in a Kubernetes pod), the Alibaba Cloud CLI's
//! profile file in every mode ([`ProfileProvider`]), the ECS instance RAM role
//! ([`EcsRamRoleProvider`]), a credentials URI ([`CredentialsUriProvider`]), and a RAM role
//! assumed with any of them ([`RamRoleArnProvider`]).
//!
//! Temporary credentials are held by a [`CredentialsCache`]: refreshed ahead of their expiry, one
//! refresh at a time however many calls wait, and never handed out once expired.
//!
//! The process environment and the home directory are reached only through [`Environment`], so
//! tests pass a map instead of mutating the process; the services providers call (STS, the
//! metadata service) are reached through [`CredentialServices`], whose endpoints tests point at
//! loopback fakes.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;

mod cache;
mod chain;
mod ecs;
mod environment;
mod error;
mod exchange;
mod local_file;
mod oidc;
mod profile;
mod ram_role;
mod static_keys;
mod sts;
mod uri;

pub use cache::{CredentialsCache, DEFAULT_EXPIRY_MARGIN, DEFAULT_REFRESH_MARGIN};
pub use chain::{CredentialsChain, default_region};
pub use ecs::{
    DEFAULT_METADATA_ENDPOINT, DEFAULT_METADATA_TOKEN_TTL, EcsRamRoleProvider,
    EcsRamRoleProviderBuilder,
};
pub use environment::EnvironmentProvider;
pub use error::{CredentialsError, ServiceFailure};
pub use exchange::CredentialServices;
pub use oidc::{OidcProvider, OidcProviderBuilder};
pub use profile::ProfileProvider;
pub use ram_role::{RamRoleArnProvider, RamRoleArnProviderBuilder};
pub use static_keys::Credentials;
pub use sts::{DEFAULT_SESSION_DURATION, StsEndpoint};
pub use uri::CredentialsUriProvider;

/// Environment variable holding the AccessKey ID.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
/// Environment variable holding the AccessKey secret.
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";
/// Environment variable holding an STS security token.
pub const ENV_SECURITY_TOKEN: &str = "ALIBABA_CLOUD_SECURITY_TOKEN";
/// Environment variable naming the CLI profile to use instead of the file's `current`.
pub const ENV_PROFILE: &str = "ALIBABA_CLOUD_PROFILE";
/// Environment variable naming the CLI profile file to read instead of `~/.aliyun/config.json`.
pub const ENV_CONFIG_FILE: &str = "ALIBABA_CLOUD_CONFIG_FILE";
/// Environment variable that, set to `true`, keeps the CLI profile file out of the default chain.
pub const ENV_CLI_PROFILE_DISABLED: &str = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED";
/// Environment variable holding the default region.
pub const ENV_REGION_ID: &str = "ALIBABA_CLOUD_REGION_ID";
/// Environment variable holding the ARN of the RAM role to assume with an OIDC token.
pub const ENV_ROLE_ARN: &str = "ALIBABA_CLOUD_ROLE_ARN";
/// Environment variable holding the ARN of the OIDC identity provider.
pub const ENV_OIDC_PROVIDER_ARN: &str = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN";
/// Environment variable holding the path of the OIDC token file (mounted by RRSA).
pub const ENV_OIDC_TOKEN_FILE: &str = "ALIBABA_CLOUD_OIDC_TOKEN_FILE";
/// Environment variable holding the session name of an assumed role.
pub const ENV_ROLE_SESSION_NAME: &str = "ALIBABA_CLOUD_ROLE_SESSION_NAME";
/// Environment variable holding the lifetime, in seconds, of the credentials an assumed role
/// gets (900 at least).
pub const ENV_ROLE_SESSION_EXPIRATION: &str = "ALIBABA_CLOUD_ROLE_SESSION_EXPIRATION";
/// Environment variable naming the region whose STS endpoint is called (`sts.<region>.aliyuncs.com`).
pub const ENV_STS_REGION: &str = "ALIBABA_CLOUD_STS_REGION";
/// Environment variable that, set to `true`, calls STS through its VPC endpoint
/// (`sts-vpc.<region>.aliyuncs.com`).
pub const ENV_VPC_ENDPOINT_ENABLED: &str = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED";
/// Environment variable naming the ECS instance's RAM role (found from the metadata service when
/// unset).
pub const ENV_ECS_METADATA: &str = "ALIBABA_CLOUD_ECS_METADATA";
/// Environment variable that, set to `true`, keeps the ECS metadata service out of the default
/// chain.
pub const ENV_ECS_METADATA_DISABLED: &str = "ALIBABA_CLOUD_ECS_METADATA_DISABLED";
/// Environment variable that, set to `true`, refuses to read the metadata service without a
/// session token (hardened mode only).
pub const ENV_IMDSV1_DISABLED: &str = "ALIBABA_CLOUD_IMDSV1_DISABLED";
/// Environment variable holding a URL that serves temporary credentials.
pub const ENV_CREDENTIALS_URI: &str = "ALIBABA_CLOUD_CREDENTIALS_URI";

/// The future a [`ProvideCredentials`] returns.
pub type CredentialsFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials, asked once per request (so a provider may rotate them).
///
/// Return [`CredentialsError::NotFound`] when the source simply has nothing, so that a chain
/// goes on to the next source; any other error stops the chain, because a source that is set up
/// but broken should be mended, not skipped.
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// The current credentials.
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

/// How an [`Environment`] looks a variable up.
type VarLookup = dyn Fn(&str) -> Option<String> + Send + Sync;

/// A way to read environment variables; the process's by default, a map in tests.
#[derive(Clone)]
pub struct Environment {
    lookup: Arc<VarLookup>,
    home: Option<PathBuf>,
}

impl Environment {
    /// The process environment.
    pub fn process() -> Self {
        Environment {
            lookup: Arc::new(|name| std::env::var(name).ok()),
            home: None,
        }
    }

    /// A fixed set of variables, and nothing else.
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let map: HashMap<String, String> = vars
            .into_iter()
            .map(|(name, value)| (name.into(), value.into()))
            .collect();
        Environment {
            lookup: Arc::new(move |name| map.get(name).cloned()),
            home: None,
        }
    }

    /// Variables read through a closure.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Environment {
            lookup: Arc::new(lookup),
            home: None,
        }
    }

    /// The same variables with the home directory set explicitly (instead of `HOME`).
    pub fn with_home_dir(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// The variable's value; `None` when it is unset or empty, since an empty key is never
    /// meant.
    pub fn var(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|value| !value.is_empty())
    }

    /// Whether the variable is set to `true` (in any case), the official libraries' reading of
    /// their switches.
    pub fn is_true(&self, name: &str) -> bool {
        self.var(name)
            .is_some_and(|value| value.eq_ignore_ascii_case("true"))
    }

    /// The home directory: the explicit one, else `HOME`, else `USERPROFILE` (Windows).
    pub fn home_dir(&self) -> Option<PathBuf> {
        self.home
            .clone()
            .or_else(|| self.var("HOME").map(PathBuf::from))
            .or_else(|| self.var("USERPROFILE").map(PathBuf::from))
    }

    /// The CLI profile file: `ALIBABA_CLOUD_CONFIG_FILE` when set, else `~/.aliyun/config.json`
    /// when there is a home directory.
    pub fn cli_profile_path(&self) -> Option<PathBuf> {
        if let Some(path) = self.var(ENV_CONFIG_FILE) {
            return Some(PathBuf::from(path));
        }
        self.home_dir()
            .map(|home| home.join(".aliyun").join("config.json"))
    }
}

impl fmt::Debug for Environment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Environment")
            .field("home", &self.home)
            .finish_non_exhaustive()
    }
}
