//! Keys given in code: the credentials themselves, which are also their own provider.

use std::fmt;
use std::future::ready;
use std::time::SystemTime;

use super::{CredentialsFuture, ProvideCredentials};
use crate::redact::REDACTED;

/// An AccessKey pair, with a security token and an expiry when it is temporary (STS).
///
/// `Debug` and `Display` never show the secret or the token; the secret is reachable only through
/// [`Credentials::access_key_secret`].
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    expiration: Option<SystemTime>,
}

impl Credentials {
    /// A long-term AccessKey pair.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            access_key_secret: access_key_secret.into(),
            security_token: None,
            expiration: None,
        }
    }

    /// Temporary credentials: the pair with its STS security token.
    #[must_use]
    pub fn with_security_token(mut self, security_token: impl Into<String>) -> Self {
        self.security_token = Some(security_token.into());
        self
    }

    /// The instant after which the service refuses these credentials; a
    /// [`CredentialsCache`](super::CredentialsCache) refreshes them before it.
    #[must_use]
    pub fn with_expiration(mut self, expiration: SystemTime) -> Self {
        self.expiration = Some(expiration);
        self
    }

    /// The AccessKey ID (sent in the clear, in `Authorization` or `AccessKeyId`).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The AccessKey secret, for signing. Never log it.
    pub fn access_key_secret(&self) -> &str {
        &self.access_key_secret
    }

    /// The STS security token, when the credentials are temporary. Never log it.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }

    /// When the credentials stop working; `None` for long-term keys.
    pub fn expiration(&self) -> Option<SystemTime> {
        self.expiration
    }

    /// The values no text the SDK shows may hold: the secret, and the token when there is one.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        let mut secrets = vec![self.access_key_secret.as_str()];
        secrets.extend(self.security_token());
        secrets
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &REDACTED)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| REDACTED),
            )
            .field("expiration", &self.expiration.map(ShownExpiration))
            .finish()
    }
}

/// An expiry in `Debug`: the date in UTC, or seconds from the Unix epoch for an instant whose
/// year has more than four digits (which no date type here can hold).
struct ShownExpiration(SystemTime);

impl fmt::Debug for ShownExpiration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match crate::sign::wire_date(self.0) {
            Some(date) => fmt::Debug::fmt(&date, f),
            None => f.write_str(&crate::sign::seconds_from_epoch(self.0)),
        }
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccessKey {}", self.access_key_id)?;
        if self.security_token.is_some() {
            f.write_str(" with a security token")?;
        }
        Ok(())
    }
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(ready(Ok(self.clone())))
    }
}
