//! The AccessKeys the server accepts.

use std::fmt;

/// An AccessKey the server accepts, with the STS security token it then requires, if any.
///
/// Its `Debug` output never shows the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    access_key_id: String,
    secret: String,
    security_token: Option<String>,
}

impl Credential {
    /// A long-term AccessKey: requests must not carry a security token.
    pub fn new(access_key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret: secret.into(),
            security_token: None,
        }
    }

    /// Makes this an STS credential: requests signed with it must carry `token` (V3:
    /// `x-acs-security-token`, signed; V2: `SecurityToken`).
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(token.into());
        self
    }

    /// The AccessKey ID.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    pub(crate) fn secret(&self) -> &str {
        &self.secret
    }

    pub(crate) fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credential")
            .field("access_key_id", &self.access_key_id)
            .field("secret", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secret_and_token() {
        let shown = format!("{:?}", Credential::new("id", "s3cr3t").with_token("t0k3n"));
        assert!(shown.contains("id"));
        assert!(!shown.contains("s3cr3t"));
        assert!(!shown.contains("t0k3n"));
    }
}
