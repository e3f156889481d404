//! Why no credentials could be had, in words that say what to do. No error here ever carries a
//! secret, a security token or an OIDC token.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::ENV_PROFILE;

/// Why no credentials could be had. Never carries a secret or a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// No provider had credentials; `searched` names every place looked at, in order, with why
    /// it was passed over.
    #[error("no credentials found; looked in: {}", searched.join("; "))]
    NotFound {
        /// Each place looked at, with what was missing there.
        searched: Vec<String>,
    },
    /// A place holds part of a credential but not all of it.
    #[error("{origin}: {problem}")]
    Incomplete {
        /// Where the partial credential was found.
        origin: String,
        /// What is missing.
        problem: String,
    },
    /// The CLI profile file (or another file a provider reads) exists but cannot be used.
    #[error("profile file {}: {problem}", path.display())]
    ProfileFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it (never its content).
        problem: String,
    },
    /// The profile asked for is not in the file.
    #[error("profile `{profile}` is not in {} (profiles there: {}); set {ENV_PROFILE} or `current` to one of them", path.display(), if available.is_empty() { "none".to_owned() } else { available.join(", ") })]
    ProfileNotFound {
        /// The file.
        path: PathBuf,
        /// The profile asked for.
        profile: String,
        /// The profiles the file has.
        available: Vec<String>,
    },
    /// The profile uses an authentication mode this SDK cannot use.
    #[error("profile `{profile}` in {} uses mode `{mode}`, which is not supported; supported modes: AK, StsToken, RamRoleArn, EcsRamRole, ChainableRamRoleArn, OIDC, CredentialsURI", path.display())]
    UnsupportedMode {
        /// The file.
        path: PathBuf,
        /// The profile.
        profile: String,
        /// The profile's mode.
        mode: String,
    },
    /// A service asked for credentials (STS, the ECS metadata service, a credentials URI)
    /// failed or answered with something unusable.
    #[error(transparent)]
    Service(Box<ServiceFailure>),
    /// A custom provider failed.
    #[error("credentials provider failed: {0}")]
    Provider(String),
}

/// A credentials service's failure: which provider, which endpoint or file, the HTTP status and
/// Alibaba's error code when there were any, with every secret blanked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFailure {
    pub(crate) provider: &'static str,
    pub(crate) target: String,
    pub(crate) status: Option<u16>,
    pub(crate) code: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) detail: String,
    pub(crate) hint: &'static str,
    pub(crate) retry_in: Option<Duration>,
    pub(crate) unreachable: bool,
}

impl ServiceFailure {
    pub(crate) fn new(
        provider: &'static str,
        target: impl Into<String>,
        detail: impl Into<String>,
        hint: &'static str,
    ) -> Self {
        ServiceFailure {
            provider,
            target: target.into(),
            status: None,
            code: None,
            request_id: None,
            detail: detail.into(),
            hint,
            retry_in: None,
            unreachable: false,
        }
    }

    /// The provider that failed (`ECS RAM role`, `STS AssumeRole`...).
    pub fn provider(&self) -> &str {
        self.provider
    }

    /// The URL (without its query) or the file the provider was reading.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The HTTP status, when the service answered.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Alibaba's error code (`NoPermission`, `EntityNotExist.Role`), when the answer named one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The request id of the failed answer, to quote to Alibaba's support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Whether the service gave no answer at all (refused, timed out): for the metadata service,
    /// the sign of a machine that is not an ECS instance.
    pub fn is_unreachable(&self) -> bool {
        self.unreachable
    }

    /// How long the cache waits before it asks the service again, when this failure came from a
    /// refresh it will retry.
    pub fn retry_in(&self) -> Option<Duration> {
        self.retry_in
    }
}

impl fmt::Display for ServiceFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} credentials from {}: ", self.provider, self.target)?;
        match (self.status, &self.code) {
            (Some(status), Some(code)) => write!(f, "HTTP {status} {code}: ")?,
            (Some(status), None) => write!(f, "HTTP {status}: ")?,
            (None, Some(code)) => write!(f, "code {code}: ")?,
            (None, None) => {}
        }
        f.write_str(&self.detail)?;
        if let Some(request_id) = &self.request_id {
            write!(f, " (request id {request_id})")?;
        }
        if !self.hint.is_empty() {
            write!(f, "; {}", self.hint)?;
        }
        if let Some(wait) = self.retry_in {
            write!(f, "; asking again in {} ms", wait.as_millis())?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceFailure {}

impl From<ServiceFailure> for CredentialsError {
    fn from(failure: ServiceFailure) -> Self {
        CredentialsError::Service(Box::new(failure))
    }
}

impl CredentialsError {
    /// "Nothing here", naming the one place looked at and why it was passed over.
    pub(crate) fn not_found(place: impl Into<String>) -> Self {
        CredentialsError::NotFound {
            searched: vec![place.into()],
        }
    }

    /// The service failure, when this is one.
    pub fn service_failure(&self) -> Option<&ServiceFailure> {
        match self {
            CredentialsError::Service(failure) => Some(failure),
            _ => None,
        }
    }
}
