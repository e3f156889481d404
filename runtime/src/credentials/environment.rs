//! Keys from the environment: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`
//! and, for temporary credentials, `ALIBABA_CLOUD_SECURITY_TOKEN`.

use std::future::ready;

use super::{
    Credentials, CredentialsError, CredentialsFuture, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET,
    ENV_SECURITY_TOKEN, Environment, ProvideCredentials,
};

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, for
/// temporary credentials, `ALIBABA_CLOUD_SECURITY_TOKEN`.
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: Environment,
}

impl EnvironmentProvider {
    /// Reads the given environment.
    pub fn new(env: Environment) -> Self {
        EnvironmentProvider { env }
    }

    /// The credentials, read now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.var(ENV_ACCESS_KEY_ID);
        let secret = self.env.var(ENV_ACCESS_KEY_SECRET);
        let token = self.env.var(ENV_SECURITY_TOKEN);
        let origin = || "environment".to_owned();
        match (id, secret) {
            (Some(id), Some(secret)) => {
                let credentials = Credentials::new(id, secret);
                Ok(match token {
                    Some(token) => credentials.with_security_token(token),
                    None => credentials,
                })
            }
            (Some(_), None) => Err(CredentialsError::Incomplete {
                origin: origin(),
                problem: format!("{ENV_ACCESS_KEY_ID} is set but {ENV_ACCESS_KEY_SECRET} is not"),
            }),
            (None, Some(_)) => Err(CredentialsError::Incomplete {
                origin: origin(),
                problem: format!("{ENV_ACCESS_KEY_SECRET} is set but {ENV_ACCESS_KEY_ID} is not"),
            }),
            (None, None) if token.is_some() => Err(CredentialsError::Incomplete {
                origin: origin(),
                problem: format!(
                    "{ENV_SECURITY_TOKEN} is set but {ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} are not"
                ),
            }),
            (None, None) => Err(CredentialsError::not_found(format!(
                "environment ({ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} not set)"
            ))),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(ready(self.load()))
    }
}
