//! Temporary credentials served at a URL (`ALIBABA_CLOUD_CREDENTIALS_URI`): a sidecar or agent
//! that answers `GET` with `{"Code": "Success", "AccessKeyId": ..., "AccessKeySecret": ...,
//! "SecurityToken": ..., "Expiration": ...}`.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

use crate::http::HttpRequest;
use crate::redact::ShownUrl;

use super::error::{CredentialsError, ServiceFailure};
use super::exchange::{
    CredentialsDocument, Route, ServiceLink, parse_json, status_failure, target_of,
};
use super::{
    CredentialServices, CredentialsCache, CredentialsFuture, ENV_CREDENTIALS_URI, Environment,
    ProvideCredentials,
};

const PROVIDER: &str = "credentials URI";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Credentials from a URL, cached and refreshed before expiry.
#[derive(Debug)]
pub struct CredentialsUriProvider {
    cache: CredentialsCache,
}

struct UriFetch {
    uri: String,
    link: ServiceLink,
}

/// The URI is shown without its user name, password and query values: any of them may be what
/// lets the caller in.
impl fmt::Debug for UriFetch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UriFetch")
            .field("uri", &ShownUrl(&self.uri))
            .field("link", &self.link)
            .finish()
    }
}

impl CredentialsUriProvider {
    /// Reads credentials from `uri` (`http://127.0.0.1:PORT/credentials`).
    pub fn new(uri: impl Into<String>, services: &CredentialServices) -> Self {
        let fetch = UriFetch {
            uri: uri.into(),
            link: ServiceLink::new(
                services.transport.clone(),
                CONNECT_TIMEOUT,
                READ_TIMEOUT,
                Route::Proxied,
            ),
        };
        CredentialsUriProvider {
            cache: CredentialsCache::new(fetch).with_clock(services.clock_or_system()),
        }
    }

    /// The provider `ALIBABA_CLOUD_CREDENTIALS_URI` configures; [`CredentialsError::NotFound`]
    /// when it is unset.
    pub fn from_env(
        env: &Environment,
        services: &CredentialServices,
    ) -> Result<Self, CredentialsError> {
        match env.var(ENV_CREDENTIALS_URI) {
            Some(uri) => Ok(Self::new(uri, services)),
            None => Err(CredentialsError::not_found(format!(
                "credentials URI ({ENV_CREDENTIALS_URI} not set)"
            ))),
        }
    }
}

impl UriFetch {
    async fn fetch(&self) -> Result<super::Credentials, CredentialsError> {
        let request = HttpRequest {
            method: "GET".to_owned(),
            url: self.uri.clone(),
            headers: Vec::new(),
            body: Bytes::new(),
        };
        let response = self.link.exchange(PROVIDER, request).await?;
        if !response.is_success() {
            return Err(status_failure(
                PROVIDER,
                &self.uri,
                &response,
                &[],
                "check the credentials URI and the service behind it",
            )
            .into());
        }
        parse_document(PROVIDER, &self.uri, &response.body, &[])
    }
}

/// The credentials of a metadata-style document (`Code` must be `Success`); `secrets` are
/// blanked in anything quoted from it.
pub(crate) fn parse_document(
    provider: &'static str,
    url: &str,
    body: &[u8],
    secrets: &[&str],
) -> Result<super::Credentials, CredentialsError> {
    let invalid = |detail: String| -> CredentialsError {
        ServiceFailure::new(
            provider,
            target_of(url),
            detail,
            "the answer is not a credentials document: check the endpoint",
        )
        .into()
    };
    let document: CredentialsDocument = parse_json(body).map_err(invalid)?;
    match document.code.as_deref() {
        Some("Success") | None => {}
        Some(code) => {
            let mut failure = ServiceFailure::new(
                provider,
                target_of(url),
                "the answer's `Code` is not `Success`",
                "the service could not issue credentials; it is asked again later",
            );
            failure.code = Some(
                crate::redact::hide_secrets(code, secrets)
                    .chars()
                    .take(64)
                    .collect(),
            );
            return Err(failure.into());
        }
    }
    document.into_credentials(
        provider,
        url,
        "the answer is not a credentials document: check the endpoint",
    )
}

impl ProvideCredentials for UriFetch {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.fetch())
    }
}

impl ProvideCredentials for CredentialsUriProvider {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}
