//! A fake STS on 127.0.0.1: `AssumeRole` checked like any signed call by the gateway,
//! `AssumeRoleWithOIDC` and `AssumeRoleWithSAML` taken unsigned, as the official SDKs send them
//! (`Action`, `Version`, `Timestamp`, `SignatureNonce` as parameters, in the query or the form
//! body), and checked against the OIDC token or SAML assertion it expects. Each
//! answer issues the next of a numbered series of credentials, so a test knows which ones a
//! client signed with and when they expired.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use serde_json::json;

use crate::clock::Clock;
use crate::credential::Credential;
use crate::fault::Fault;
use crate::recorded::RecordedRequest;
use crate::response::Response;
use crate::server::{StartError, TestServer};

/// How many issued credentials the fake STS itself accepts as signers (for a role assumed with
/// an assumed role's credentials, `ChainableRamRoleArn`).
const SIGNING_ISSUED: usize = 64;

/// The `n`th credentials a [`FakeSts`] issues (1-based): `STS.issued.<n>`, with a secret and a
/// security token of their own. Register them on a [`TestServer`] to accept calls signed with
/// them.
pub fn issued_credential(n: usize) -> Credential {
    Credential::new(format!("STS.issued.{n}"), format!("issued-secret-{n}"))
        .with_token(format!("issued-token-{n}"))
}

/// Configures a [`FakeSts`]; made by [`FakeSts::builder`].
#[derive(Debug)]
pub struct FakeStsBuilder {
    sources: Vec<Credential>,
    oidc_token: Option<String>,
    saml_assertion: Option<String>,
    clock: Clock,
    lifetime: Option<Duration>,
}

impl FakeStsBuilder {
    /// Accepts `AssumeRole` signed with this AccessKey.
    pub fn source(mut self, access_key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.sources.push(Credential::new(access_key_id, secret));
        self
    }

    /// Accepts `AssumeRole` signed with these (possibly temporary) credentials.
    pub fn source_credential(mut self, credential: Credential) -> Self {
        self.sources.push(credential);
        self
    }

    /// Accepts `AssumeRoleWithOIDC` carrying this OIDC token.
    pub fn oidc_token(mut self, token: impl Into<String>) -> Self {
        self.oidc_token = Some(token.into());
        self
    }

    /// Accepts `AssumeRoleWithSAML` carrying this SAML assertion.
    pub fn saml_assertion(mut self, assertion: impl Into<String>) -> Self {
        self.saml_assertion = Some(assertion.into());
        self
    }

    /// Reads "now" from `clock`, for expiries and request dates (default: the system clock).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Issues credentials that last this long, whatever `DurationSeconds` asks (default: what it
    /// asks, else an hour).
    pub fn lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = Some(lifetime);
        self
    }

    /// Binds 127.0.0.1 on a port the OS picks and starts serving on the current tokio runtime.
    pub async fn start(self) -> Result<FakeSts, StartError> {
        let mut builder = TestServer::builder()
            .clock(self.clock.clone())
            .accept_unsigned("AssumeRoleWithOIDC")
            .accept_unsigned("AssumeRoleWithSAML");
        for source in self
            .sources
            .into_iter()
            .chain((1..=SIGNING_ISSUED).map(issued_credential))
        {
            builder = builder.accept(source);
        }
        let server = builder.start().await?;
        let state = Arc::new(Issuer {
            clock: self.clock,
            lifetime: self.lifetime,
            issued: Mutex::new(Vec::new()),
        });
        let issuer = Arc::clone(&state);
        server.respond_with("AssumeRole", move |request| issuer.assume_role(request));
        let issuer = Arc::clone(&state);
        let expected = self.oidc_token;
        server.respond_with("AssumeRoleWithOIDC", move |request| {
            match (request.param("OIDCToken"), expected.as_deref()) {
                (Some(given), Some(expected)) if given == expected => issuer.assume_role(request),
                _ => Response::error(
                    400,
                    "AuthenticationFail.OIDCToken.Invalid",
                    "The OIDC token is not the one this STS expects.",
                ),
            }
        });
        let issuer = Arc::clone(&state);
        let expected = self.saml_assertion;
        server.respond_with("AssumeRoleWithSAML", move |request| {
            match (request.param("SAMLAssertion"), expected.as_deref()) {
                (Some(given), Some(expected)) if given == expected => issuer.assume_role(request),
                _ => Response::error(
                    400,
                    "AuthenticationFail.SAMLAssertion.Invalid",
                    "The SAML assertion is not the one this STS expects.",
                ),
            }
        });
        Ok(FakeSts {
            server,
            issuer: state,
        })
    }
}

/// A fake STS on 127.0.0.1; see the module documentation.
#[derive(Debug)]
pub struct FakeSts {
    server: TestServer,
    issuer: Arc<Issuer>,
}

#[derive(Debug)]
struct Issuer {
    clock: Clock,
    lifetime: Option<Duration>,
    issued: Mutex<Vec<SystemTime>>,
}

impl Issuer {
    fn assume_role(&self, request: &RecordedRequest) -> Response {
        let Some(role_arn) = request.param("RoleArn").filter(|arn| !arn.is_empty()) else {
            return Response::error(
                400,
                "MissingRoleArn",
                "RoleArn is mandatory for this action.",
            );
        };
        let asked = request
            .param("DurationSeconds")
            .and_then(|seconds| seconds.parse().ok())
            .map(Duration::from_secs);
        let lifetime = self.lifetime.or(asked).unwrap_or(Duration::from_secs(3600));
        let expiration = self.clock.now() + lifetime;
        let n = {
            let mut issued = self.issued.lock().unwrap_or_else(PoisonError::into_inner);
            issued.push(expiration);
            issued.len()
        };
        let credential = issued_credential(n);
        Response::ok(json!({
            "AssumedRoleUser": {
                "Arn": format!("{role_arn}/{}", request.param("RoleSessionName").unwrap_or_default()),
                "AssumedRoleId": format!("3{n:017}:session"),
            },
            "Credentials": {
                "AccessKeyId": credential.access_key_id(),
                "AccessKeySecret": credential.secret(),
                "SecurityToken": credential.security_token().unwrap_or_default(),
                "Expiration": format_expiration(expiration),
            }
        }))
    }
}

/// `YYYY-MM-DDThh:mm:ssZ`, the way STS and the metadata service write expiries.
pub(crate) fn format_expiration(at: SystemTime) -> String {
    let at = time::OffsetDateTime::from(at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

impl FakeSts {
    /// Starts configuring a fake STS.
    pub fn builder() -> FakeStsBuilder {
        FakeStsBuilder {
            sources: Vec::new(),
            oidc_token: None,
            saml_assertion: None,
            clock: Clock::system(),
            lifetime: None,
        }
    }

    /// The URL to point a provider at: `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        self.server.endpoint()
    }

    /// How many credentials it issued so far: the refreshes that reached it.
    pub fn issued(&self) -> usize {
        self.issuer
            .issued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// When the `n`th issued credentials (1-based) expire.
    pub fn expiration_of(&self, n: usize) -> Option<SystemTime> {
        let issued = self
            .issuer
            .issued
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        n.checked_sub(1).and_then(|at| issued.get(at).copied())
    }

    /// Every request received, oldest first (rejected ones included).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.requests()
    }

    /// Queues `fault` for the next verified request.
    pub fn inject(&self, fault: Fault) {
        self.server.inject(fault);
    }

    /// Answers every request for `action` with `status` and `body` from now on, instead of
    /// issuing credentials: to imitate a role that does not exist or a denied caller.
    pub fn respond(&self, action: &str, status: u16, body: serde_json::Value) {
        self.server.respond(action, status, body);
    }

    /// Stops the server.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}
