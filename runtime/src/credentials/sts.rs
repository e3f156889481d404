//! The two STS calls the providers make themselves (the runtime never depends on the generated
//! crate): `AssumeRole`, signed with the source credentials, and `AssumeRoleWithOIDC`, which the
//! OIDC token authenticates instead of a signature.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::client::Clock;
use crate::endpoint::Endpoint;
use crate::http::HttpRequest;
use crate::redact::ShownUrl;
use crate::sign::{self, SignatureVersion, SigningContext, SigningRequest};

use super::error::{CredentialsError, ServiceFailure};
use super::exchange::{
    CredentialServices, CredentialsDocument, Route, ServiceLink, parse_json, status_failure,
};
use super::{Credentials, ENV_STS_REGION, ENV_VPC_ENDPOINT_ENABLED, Environment};

/// The lifetime asked for an assumed role's credentials unless configured otherwise: one hour,
/// the official default (STS accepts 900 s up to the role's maximum session duration).
pub const DEFAULT_SESSION_DURATION: Duration = Duration::from_secs(3600);

/// The shortest session STS grants. A provider-side rule: the official credentials library
/// (`alibabacloud-credentials` 1.0.12, its RAM role, OIDC and RSA key pair providers) refuses a
/// shorter session before calling STS, and so do ours. The generated `acs_sts` requests
/// leave `DurationSeconds` to the service, since Alibaba's metadata gives it no minimum.
pub(crate) const MIN_SESSION_DURATION: Duration = Duration::from_secs(900);

const STS_VERSION: &str = "2015-04-01";
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
/// The official libraries' STS timeouts.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Which STS endpoint a provider calls: `sts.aliyuncs.com` by default,
/// `sts.<region>.aliyuncs.com` for a region, `sts-vpc.<region>.aliyuncs.com` for a region through
/// the VPC network, or a URL of one's own.
///
/// `Debug` shows a URL of one's own without a user name, password or query values.
#[derive(Clone, PartialEq, Eq)]
pub enum StsEndpoint {
    /// `sts.aliyuncs.com`.
    Central,
    /// `sts.<region>.aliyuncs.com`.
    Regional(String),
    /// `sts-vpc.<region>.aliyuncs.com`, reachable from the region's VPCs without internet access.
    Vpc(String),
    /// A URL (`https://host`, `http://127.0.0.1:PORT`) or bare host.
    Custom(String),
}

impl StsEndpoint {
    /// The endpoint the environment selects: `ALIBABA_CLOUD_STS_REGION` for the region and
    /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true` for its VPC endpoint, as the official libraries
    /// read them.
    pub fn from_env(env: &Environment) -> Self {
        let region = env.var(ENV_STS_REGION);
        if env.is_true(ENV_VPC_ENDPOINT_ENABLED) {
            Self::vpc(region.as_deref())
        } else {
            Self::regional(region.as_deref())
        }
    }

    /// The public endpoint of `region`; the central one without a region.
    pub fn regional(region: Option<&str>) -> Self {
        match region.filter(|region| !region.is_empty()) {
            None => StsEndpoint::Central,
            Some(region) => StsEndpoint::Regional(region.to_owned()),
        }
    }

    /// The VPC endpoint of `region`; the central one without a region (STS has no central VPC
    /// endpoint).
    pub fn vpc(region: Option<&str>) -> Self {
        match region.filter(|region| !region.is_empty()) {
            None => StsEndpoint::Central,
            Some(region) => StsEndpoint::Vpc(region.to_owned()),
        }
    }

    /// The URL requests go to.
    pub fn url(&self) -> String {
        match self {
            StsEndpoint::Central => "https://sts.aliyuncs.com".to_owned(),
            StsEndpoint::Regional(region) => format!("https://sts.{region}.aliyuncs.com"),
            StsEndpoint::Vpc(region) => format!("https://sts-vpc.{region}.aliyuncs.com"),
            StsEndpoint::Custom(url) => url.clone(),
        }
    }
}

impl fmt::Debug for StsEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StsEndpoint::Central => f.write_str("Central"),
            StsEndpoint::Regional(region) => f.debug_tuple("Regional").field(region).finish(),
            StsEndpoint::Vpc(region) => f.debug_tuple("Vpc").field(region).finish(),
            StsEndpoint::Custom(url) => f.debug_tuple("Custom").field(&ShownUrl(url)).finish(),
        }
    }
}

/// An STS client for one provider.
pub(crate) struct Sts {
    endpoint: StsEndpoint,
    link: ServiceLink,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Sts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sts")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// What an assumed role's session is asked for.
#[derive(Clone)]
pub(crate) struct Session {
    pub(crate) role_arn: String,
    pub(crate) session_name: String,
    pub(crate) duration: Duration,
    pub(crate) policy: Option<String>,
}

/// The policy is shown by its length: it is the caller's to read, and a provider's `Debug` ends up
/// in error messages.
impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field("duration", &self.duration)
            .field("policy", &ShownPolicy(&self.policy))
            .finish()
    }
}

/// A session policy as `Debug` shows it: by its length.
pub(crate) struct ShownPolicy<'a>(pub(crate) &'a Option<String>);

impl fmt::Debug for ShownPolicy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(policy) => write!(f, "Some(<{} bytes>)", policy.len()),
            None => f.write_str("None"),
        }
    }
}

impl Session {
    pub(crate) fn new(role_arn: String, session_name: Option<String>) -> Self {
        Session {
            role_arn,
            session_name: session_name.unwrap_or_else(default_session_name),
            duration: DEFAULT_SESSION_DURATION,
            policy: None,
        }
    }

    fn params(&self) -> Vec<(String, String)> {
        let mut params = vec![
            ("RoleArn".to_owned(), self.role_arn.clone()),
            ("RoleSessionName".to_owned(), self.session_name.clone()),
            (
                "DurationSeconds".to_owned(),
                self.duration.as_secs().to_string(),
            ),
        ];
        if let Some(policy) = &self.policy {
            params.push(("Policy".to_owned(), policy.clone()));
        }
        params
    }
}

/// A session name like the official libraries' (`credentials-rust-<unix seconds>`).
fn default_session_name() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    format!("credentials-rust-{seconds}")
}

/// The answer of both calls: the credentials, beside fields not read.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct AssumedRole {
    #[serde(rename = "Credentials")]
    credentials: Option<CredentialsDocument>,
}

impl Sts {
    pub(crate) fn new(endpoint: StsEndpoint, services: &CredentialServices) -> Self {
        let endpoint = match &services.sts_endpoint {
            Some(url) => StsEndpoint::Custom(url.clone()),
            None => endpoint,
        };
        Sts {
            endpoint,
            link: ServiceLink::new(
                services.transport.clone(),
                CONNECT_TIMEOUT,
                READ_TIMEOUT,
                Route::Proxied,
            ),
            clock: services.clock_or_system(),
        }
    }

    /// `AssumeRole` signed with `source`.
    pub(crate) async fn assume_role(
        &self,
        provider: &'static str,
        source: &Credentials,
        session: &Session,
        external_id: Option<&str>,
    ) -> Result<Credentials, CredentialsError> {
        let mut form = session.params();
        if let Some(external_id) = external_id {
            form.push(("ExternalId".to_owned(), external_id.to_owned()));
        }
        let endpoint = self.parsed_endpoint(provider)?;
        let body = crate::wire::form_body(&form);
        let host = endpoint.authority();
        let date = self.signing_date(provider, &endpoint)?;
        let nonce = sign::fresh_nonce();
        let headers = [("content-type", FORM_CONTENT_TYPE)];
        let signed = sign::sign(
            SignatureVersion::V3,
            &SigningRequest {
                method: "POST",
                host: &host,
                path: "/",
                query: crate::wire::Pairs::EMPTY,
                form: (&form).into(),
                headers: &headers,
                body: body.as_bytes(),
            },
            &SigningContext {
                credentials: source,
                date,
                nonce: &nonce,
                action: "AssumeRole",
                version: STS_VERSION,
            },
        );
        let mut url = endpoint.base_url();
        if !signed.query.is_empty() {
            url.push('?');
            url.push_str(&signed.query);
        }
        let mut request_headers = vec![
            ("host".to_owned(), host),
            ("content-type".to_owned(), FORM_CONTENT_TYPE.to_owned()),
        ];
        request_headers.extend(
            signed
                .headers
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value)),
        );
        let request = HttpRequest {
            method: "POST".to_owned(),
            url,
            headers: request_headers,
            body: Bytes::from(body),
        };
        self.send(provider, request, &source.secrets()).await
    }

    /// `AssumeRoleWithOIDC`, authenticated by `oidc_token`: unsigned, as the official SDKs'
    /// anonymous RPC path sends it (`Action`, `Format`, `Version`, `Timestamp` and
    /// `SignatureNonce` in the query, the action and version also as headers). The token and the
    /// session's parameters go in the form body, which STS reads as it reads the query, so that
    /// the token never sits in a URL that a proxy or a log may keep.
    pub(crate) async fn assume_role_with_oidc(
        &self,
        provider: &'static str,
        oidc_provider_arn: &str,
        oidc_token: &str,
        session: &Session,
    ) -> Result<Credentials, CredentialsError> {
        let endpoint = self.parsed_endpoint(provider)?;
        let date = self.signing_date(provider, &endpoint)?;
        let timestamp = sign::format_timestamp(date);
        let nonce = sign::fresh_nonce();
        let query = crate::wire::canonical_query_of([
            ("Action", "AssumeRoleWithOIDC"),
            ("Format", "json"),
            ("Version", STS_VERSION),
            ("Timestamp", timestamp.as_str()),
            ("SignatureNonce", nonce.as_str()),
        ]);
        let mut form = vec![
            ("OIDCProviderArn".to_owned(), oidc_provider_arn.to_owned()),
            ("OIDCToken".to_owned(), oidc_token.to_owned()),
        ];
        form.extend(session.params());
        let host = endpoint.authority();
        let request = HttpRequest {
            method: "POST".to_owned(),
            url: format!("{}?{query}", endpoint.base_url()),
            headers: vec![
                ("host".to_owned(), host),
                ("content-type".to_owned(), FORM_CONTENT_TYPE.to_owned()),
                ("x-acs-action".to_owned(), "AssumeRoleWithOIDC".to_owned()),
                ("x-acs-version".to_owned(), STS_VERSION.to_owned()),
            ],
            body: Bytes::from(crate::wire::form_body(&form)),
        };
        self.send(provider, request, &[oidc_token]).await
    }

    /// The date to sign or stamp a call with; an error, before anything is sent, for a clock
    /// past the year 9999.
    fn signing_date(
        &self,
        provider: &'static str,
        endpoint: &Endpoint,
    ) -> Result<time::OffsetDateTime, CredentialsError> {
        sign::signing_date(self.clock.now()).map_err(|err| {
            ServiceFailure::new(provider, endpoint.to_string(), err.to_string(), "").into()
        })
    }

    fn parsed_endpoint(&self, provider: &'static str) -> Result<Endpoint, CredentialsError> {
        let url = self.endpoint.url();
        Endpoint::parse(&url).map_err(|err| {
            ServiceFailure::new(
                provider,
                super::exchange::target_of(&url),
                err.to_string(),
                "check the STS endpoint",
            )
            .into()
        })
    }

    async fn send(
        &self,
        provider: &'static str,
        request: HttpRequest,
        secrets: &[&str],
    ) -> Result<Credentials, CredentialsError> {
        let url = request.url.clone();
        let response = self.link.exchange(provider, request).await?;
        if !response.is_success() {
            return Err(status_failure(
                provider,
                &url,
                &response,
                secrets,
                sts_hint(response.status),
            )
            .into());
        }
        let invalid = |detail: String| -> CredentialsError {
            ServiceFailure::new(
                provider,
                super::exchange::target_of(&url),
                detail,
                STS_ANSWER_HINT,
            )
            .into()
        };
        let answer: AssumedRole = parse_json(&response.body).map_err(invalid)?;
        let document = answer
            .credentials
            .ok_or_else(|| invalid("the answer has no `Credentials`".to_owned()))?;
        document.into_credentials(provider, &url, STS_ANSWER_HINT)
    }
}

/// What to do about a 2xx answer that holds no credentials.
const STS_ANSWER_HINT: &str =
    "STS answered 2xx with something that is not its answer: check the endpoint and any proxy";

fn sts_hint(status: u16) -> &'static str {
    match status {
        400 => "check the role ARN, session name, duration and policy",
        401 | 403 | 404 => {
            "check that the role exists, that it trusts the caller, and that the caller may assume it"
        }
        _ => "STS failed on its side; it is asked again later",
    }
}

/// The session length asked for, default one hour; an error under STS's minimum of 900 s.
pub(crate) fn checked_duration(
    provider: &'static str,
    duration: Option<Duration>,
) -> Result<Duration, CredentialsError> {
    let duration = duration.unwrap_or(DEFAULT_SESSION_DURATION);
    if duration < MIN_SESSION_DURATION {
        return Err(CredentialsError::Incomplete {
            origin: provider.to_owned(),
            problem: format!(
                "a session lasts {} s at least, not {} s",
                MIN_SESSION_DURATION.as_secs(),
                duration.as_secs()
            ),
        });
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_follows_region_and_vpc() {
        assert_eq!(StsEndpoint::vpc(None).url(), "https://sts.aliyuncs.com");
        assert_eq!(
            StsEndpoint::regional(Some("cn-shanghai")).url(),
            "https://sts.cn-shanghai.aliyuncs.com"
        );
        assert_eq!(
            StsEndpoint::vpc(Some("cn-shanghai")).url(),
            "https://sts-vpc.cn-shanghai.aliyuncs.com"
        );
        let env = Environment::from_vars([
            ("ALIBABA_CLOUD_STS_REGION", "eu-central-1"),
            ("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED", "TRUE"),
        ]);
        assert_eq!(
            StsEndpoint::from_env(&env).url(),
            "https://sts-vpc.eu-central-1.aliyuncs.com"
        );
    }
}
