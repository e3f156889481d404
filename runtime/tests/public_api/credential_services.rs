//! The providers that call a service (STS, the ECS metadata service, a credentials URI) over an
//! in-memory transport: what they refuse from the service or the caller, and what they never
//! show in `Debug` or in an error.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use acs_runtime::credentials::{
    CredentialServices, Credentials, CredentialsCache, CredentialsError, CredentialsUriProvider,
    EcsRamRoleProvider, Environment, OidcProvider, ProvideCredentials, RamRoleArnProvider,
    StsEndpoint,
};
use acs_runtime::http::{HttpRequest, HttpResponse, InMemoryTransport, TransportError};

use crate::support::fixed_time;

const SECRET: &str = "s3cr3t-VALUE-never-shown";
const TOKEN: &str = "CAIS-token-VALUE-never-shown";
const SESSION_TOKEN: &str = "metadata-session-VALUE-never-shown";
const ROLE_ARN: &str = "acs:ram::1234567890:role/reader";

/// `9999-12-31T23:59:59-23:59`: valid RFC 3339, but 10000-01-01T23:58:59Z in UTC.
const PAST_9999: &str = "9999-12-31T23:59:59-23:59";

/// An instant in the year 10000, which no `x-acs-date` can carry.
fn year_10000() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_387_139)
}

/// 30 s after [`fixed_time`]: inside the cache's 60 s expiry margin.
const EXPIRES_SOON: &str = "2023-11-14T22:13:50Z";
/// A day after [`fixed_time`].
const EXPIRES_TOMORROW: &str = "2023-11-15T22:13:20Z";

fn document(expiration: &str) -> String {
    serde_json::json!({
        "Code": "Success",
        "AccessKeyId": "STS.served",
        "AccessKeySecret": SECRET,
        "SecurityToken": TOKEN,
        "Expiration": expiration,
    })
    .to_string()
}

fn sts_answer(expiration: &str) -> String {
    serde_json::json!({
        "RequestId": "REQ-STS",
        "Credentials": {
            "AccessKeyId": "STS.assumed",
            "AccessKeySecret": SECRET,
            "SecurityToken": TOKEN,
            "Expiration": expiration,
        },
    })
    .to_string()
}

fn ok(body: String) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse::new(200, body).with_header("content-type", "application/json"))
}

fn services(transport: &Arc<InMemoryTransport>) -> CredentialServices {
    CredentialServices::new()
        .transport(transport.clone())
        .clock(Arc::new(fixed_time))
}

/// The path of a request's URL (after the authority), without its query.
fn path_of(request: &HttpRequest) -> String {
    let rest = request
        .url
        .split_once("://")
        .map_or(request.url.as_str(), |(_, rest)| rest);
    let path = rest.find('/').map_or("/", |at| &rest[at..]);
    path.split(['?', '#']).next().unwrap_or_default().to_owned()
}

/// A metadata service: a session token, the role listing `roles`, and `document` for any role.
fn metadata_service(roles: &'static str, document: String) -> Arc<InMemoryTransport> {
    Arc::new(InMemoryTransport::from_fn(move |request| {
        let path = path_of(request);
        if request.method == "PUT" && path == "/latest/api/token" {
            return Ok(HttpResponse::new(200, SESSION_TOKEN));
        }
        if path == "/latest/meta-data/ram/security-credentials/" {
            return Ok(HttpResponse::new(200, roles));
        }
        if path.starts_with("/latest/meta-data/ram/security-credentials/") {
            return ok(document.clone());
        }
        Ok(HttpResponse::new(404, "not here"))
    }))
}

fn assert_hidden(text: &str, hidden: &[&str]) {
    for value in [SECRET, TOKEN, SESSION_TOKEN].iter().chain(hidden) {
        assert!(!text.contains(value), "`{value}` shown: {text}");
    }
}

// --- Secrets in `Debug` and in errors that quote a provider's `Debug` ---

#[tokio::test]
async fn a_credentials_uri_shows_neither_its_password_nor_its_query_values() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| ok(document(EXPIRES_SOON))));
    for uri in [
        "http://agent:pa55-WORD@127.0.0.1:8080/credentials?Signature=sig-VALUE&Expires=1",
        // A `/` in the password ends the authority early, as a URL parser reads it.
        "http://agent:pa55/WORD@127.0.0.1:8080/credentials?Signature=sig-VALUE",
    ] {
        let provider = CredentialsUriProvider::new(uri, &services(&transport));
        // The credentials expire within the cache's margin: the error names the provider.
        let err = provider.provide_credentials().await.unwrap_err();
        let shown = format!("{err} {err:?} {provider:?}");
        assert_hidden(&shown, &["pa55", "WORD", "sig-VALUE"]);
        assert!(shown.contains("127.0.0.1:8080"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
}

#[tokio::test]
async fn a_credentials_uri_that_fails_is_named_without_its_password() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        Ok(HttpResponse::new(500, "agent down"))
    }));
    let uri = "http://agent:pa55/WORD?x#y@127.0.0.1:8080/credentials?Signature=sig-VALUE";
    let provider = CredentialsUriProvider::new(uri, &services(&transport));
    let err = provider.provide_credentials().await.unwrap_err();
    let shown = format!("{err} {err:?} {provider:?}");
    assert_hidden(&shown, &["pa55", "WORD", "sig-VALUE"]);
    assert!(shown.contains("HTTP 500"), "{shown}");
    assert!(shown.contains("127.0.0.1:8080/credentials"), "{shown}");
}

#[tokio::test]
async fn an_assumed_role_shows_neither_its_external_id_nor_its_source_secret() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| ok(sts_answer(EXPIRES_SOON))));
    let builder =
        RamRoleArnProvider::builder(Arc::new(Credentials::new("LTAIsource", SECRET)), ROLE_ARN)
            .external_id("external-ID-shared-value")
            .policy(r#"{"Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}"#)
            .services(services(&transport));
    assert_hidden(&format!("{builder:?}"), &["external-ID-shared-value"]);
    let provider = builder.build().unwrap();
    let err = provider.provide_credentials().await.unwrap_err();
    let shown = format!("{err} {err:?} {provider:?}");
    assert_hidden(&shown, &["external-ID-shared-value", "ecs:Describe*"]);
    assert!(shown.contains(ROLE_ARN), "{shown}");
    assert!(shown.contains("expire within 60 s"), "{shown}");
}

#[tokio::test]
async fn service_endpoints_given_with_a_password_never_show_it() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        Ok(HttpResponse::new(503, "busy"))
    }));
    let with_password = "https://user:pass/WORD@sts.example.com";
    let services = services(&transport)
        .sts_endpoint(with_password)
        .metadata_endpoint("http://user:pass/WORD@100.100.100.200");
    let custom = StsEndpoint::Custom(with_password.to_owned());
    let mut shown = format!("{services:?} {custom:?}");

    let role = RamRoleArnProvider::builder(Arc::new(Credentials::new("id", SECRET)), ROLE_ARN)
        .services(services.clone())
        .build()
        .unwrap();
    let err = role.provide_credentials().await.unwrap_err();
    shown.push_str(&format!("{err} {err:?} {role:?}"));

    let ecs = EcsRamRoleProvider::builder()
        .services(services.clone())
        .build();
    let err = ecs.provide_credentials().await.unwrap_err();
    shown.push_str(&format!("{err} {err:?} {ecs:?}"));

    // An STS endpoint the URL parser refuses is named in the error too.
    let unparsable = services.clone().sts_endpoint("https://user:pass/WORD@[::1");
    let role = RamRoleArnProvider::builder(Arc::new(Credentials::new("id", SECRET)), ROLE_ARN)
        .services(unparsable)
        .build()
        .unwrap();
    let err = role.provide_credentials().await.unwrap_err();
    shown.push_str(&format!("{err} {err:?} {role:?}"));

    assert_hidden(&shown, &["pass", "WORD"]);
    assert!(shown.contains("sts.example.com"), "{shown}");
}

// --- The metadata service's session token in its own error texts ---

#[tokio::test]
async fn a_metadata_refusal_never_quotes_the_session_token() {
    for body in [
        format!(
            r#"{{"Code":"Forbidden","Message":"token {SESSION_TOKEN} is not valid for this instance"}}"#
        ),
        format!("403 Forbidden\nX-aliyun-ecs-metadata-token: {SESSION_TOKEN}\n"),
        format!("<html>token={SESSION_TOKEN} refused</html>"),
    ] {
        for role in [None, Some("EcsRole")] {
            let body = body.clone();
            let transport = Arc::new(InMemoryTransport::from_fn(move |request| {
                if request.method == "PUT" {
                    return Ok(HttpResponse::new(200, SESSION_TOKEN));
                }
                Ok(HttpResponse::new(403, body.clone()))
            }));
            let mut builder = EcsRamRoleProvider::builder().services(services(&transport));
            if let Some(role) = role {
                builder = builder.role_name(role);
            }
            let provider = builder.build();
            let err = provider.provide_credentials().await.unwrap_err();
            let shown = format!("{err} {err:?} {provider:?}");
            assert_hidden(&shown, &[]);
            assert!(shown.contains("HTTP 403"), "{shown}");
            assert!(shown.contains("<redacted>"), "{shown}");
        }
    }
}

// --- Expiry times and clocks past the year 9999 ---

async fn far_future_expiration_error(provider: &dyn ProvideCredentials) -> String {
    let err = provider.provide_credentials().await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert_hidden(&shown, &[]);
    assert!(shown.contains(PAST_9999), "{shown}");
    shown
}

#[tokio::test]
async fn an_expiration_past_the_year_9999_is_refused_from_every_service() {
    let transport = metadata_service("EcsRole\n", document(PAST_9999));
    let ecs = EcsRamRoleProvider::builder()
        .services(services(&transport))
        .build();
    let shown = far_future_expiration_error(&ecs).await;
    assert!(shown.contains("ECS RAM role"), "{shown}");

    let transport = Arc::new(InMemoryTransport::from_fn(|_| ok(document(PAST_9999))));
    let uri =
        CredentialsUriProvider::new("http://127.0.0.1:8080/credentials", &services(&transport));
    let shown = far_future_expiration_error(&uri).await;
    assert!(shown.contains("credentials URI"), "{shown}");

    let transport = Arc::new(InMemoryTransport::from_fn(|_| ok(sts_answer(PAST_9999))));
    let role = RamRoleArnProvider::builder(Arc::new(Credentials::new("id", SECRET)), ROLE_ARN)
        .services(services(&transport))
        .build()
        .unwrap();
    let shown = far_future_expiration_error(&role).await;
    assert!(shown.contains("AssumeRole"), "{shown}");

    // A good expiry in another offset is read as the same instant.
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        ok(document("2023-11-16T06:13:20+08:00"))
    }));
    let uri =
        CredentialsUriProvider::new("http://127.0.0.1:8080/credentials", &services(&transport));
    let credentials = uri.provide_credentials().await.unwrap();
    assert_eq!(
        credentials.expiration(),
        Some(fixed_time() + Duration::from_secs(24 * 3600))
    );
}

#[test]
fn credentials_expiring_past_the_year_9999_can_be_shown() {
    for expiration in [
        year_10000(),
        SystemTime::UNIX_EPOCH + Duration::from_secs(u64::from(u32::MAX) * 1000),
    ] {
        let credentials = Credentials::new("LTAIfar", SECRET)
            .with_security_token(TOKEN)
            .with_expiration(expiration);
        let shown = format!("{credentials:?} {credentials:#?} {credentials}");
        assert_hidden(&shown, &[]);
        assert!(shown.contains("LTAIfar"), "{shown}");
    }
    let shown = format!(
        "{:?}",
        Credentials::new("LTAIsoon", SECRET).with_expiration(fixed_time())
    );
    assert!(shown.contains("2023-11-14"), "{shown}");
}

#[tokio::test]
async fn sts_calls_with_a_clock_past_the_year_9999_fail_with_an_error() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        ok(sts_answer(EXPIRES_TOMORROW))
    }));
    let far_clock = CredentialServices::new()
        .transport(transport.clone())
        .clock(Arc::new(year_10000));
    let role = RamRoleArnProvider::builder(Arc::new(Credentials::new("id", SECRET)), ROLE_ARN)
        .services(far_clock.clone())
        .build()
        .unwrap();
    let err = role.provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("clock"), "{err}");
    assert!(err.to_string().contains("AssumeRole"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "oidc-token").unwrap();
    let oidc = OidcProvider::builder(ROLE_ARN, "acs:ram::1:oidc-provider/ack", &token_file)
        .services(far_clock)
        .build()
        .unwrap();
    let err = oidc.provide_credentials().await.unwrap_err();
    assert!(err.to_string().contains("clock"), "{err}");
    assert_eq!(transport.request_count(), 0, "nothing is sent");
}

// --- Durations a caller gives ---

#[tokio::test]
async fn an_endless_metadata_token_ttl_asks_for_the_longest_the_service_grants() {
    for (ttl, asked) in [
        (Duration::MAX, "21600"),
        (Duration::from_secs(u64::MAX), "21600"),
        (Duration::from_secs(21601), "21600"),
        (Duration::ZERO, "1"),
        (Duration::from_secs(600), "600"),
    ] {
        let transport = metadata_service("EcsRole\n", document(EXPIRES_TOMORROW));
        let provider = EcsRamRoleProvider::builder()
            .token_ttl(ttl)
            .services(services(&transport))
            .build();
        let credentials = provider.provide_credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), "STS.served");
        let sent = transport.requests();
        assert_eq!(
            sent[0].header("x-aliyun-ecs-metadata-token-ttl-seconds"),
            Some(asked),
            "{ttl:?}"
        );
    }
}

#[tokio::test]
async fn an_endless_expiry_margin_hands_nothing_out_without_panicking() {
    let source = Credentials::new("STS.x", SECRET)
        .with_security_token(TOKEN)
        .with_expiration(fixed_time() + Duration::from_secs(3600));
    let cache = CredentialsCache::new(source)
        .with_clock(Arc::new(fixed_time))
        .with_expiry_margin(Duration::MAX)
        .with_refresh_margin(Duration::MAX);
    let err = cache.provide_credentials().await.unwrap_err();
    assert!(matches!(err, CredentialsError::Provider(_)), "{err}");
    assert_hidden(&err.to_string(), &[]);
}

// --- RAM role names ---

#[tokio::test]
async fn a_discovered_role_name_that_is_not_a_ram_role_name_is_refused() {
    for listing in [
        "..\n",
        ".\n",
        "../../latest/api/token\n",
        "Role%2F..\n",
        "role name\n",
        "\n",
    ] {
        let transport = metadata_service(listing, document(EXPIRES_TOMORROW));
        let provider = EcsRamRoleProvider::builder()
            .services(services(&transport))
            .build();
        let err = provider.provide_credentials().await.unwrap_err();
        let text = err.to_string();
        assert!(text.contains("role"), "{listing:?}: {text}");
        let reads: Vec<String> = transport
            .requests()
            .iter()
            .filter(|request| request.method == "GET")
            .map(path_of)
            .collect();
        assert_eq!(
            reads,
            ["/latest/meta-data/ram/security-credentials/"],
            "{listing:?}: only the listing is read"
        );
    }
}

#[tokio::test]
async fn a_role_name_given_by_the_caller_must_be_a_ram_role_name() {
    let too_long = "r".repeat(65);
    for name in ["..", ".", "a/b", "a?b", "a b", "%2e%2e", too_long.as_str()] {
        let transport = metadata_service("EcsRole\n", document(EXPIRES_TOMORROW));
        let from_builder = EcsRamRoleProvider::builder()
            .role_name(name)
            .services(services(&transport))
            .build();
        let from_env = EcsRamRoleProvider::from_env(
            &Environment::from_vars([("ALIBABA_CLOUD_ECS_METADATA", name)]),
            &services(&transport),
        );
        for provider in [from_builder, from_env] {
            let err = provider.provide_credentials().await.unwrap_err();
            let text = err.to_string();
            assert!(text.contains("RAM role name"), "{name}: {text}");
        }
        assert_eq!(transport.request_count(), 0, "{name}: nothing is read");
    }
    // The longest and the oddest names RAM allows are read.
    let longest = "R".repeat(64);
    for name in [longest.as_str(), "a.b-c_D9", "...", ".hidden"] {
        let transport = metadata_service("EcsRole\n", document(EXPIRES_TOMORROW));
        let provider = EcsRamRoleProvider::builder()
            .role_name(name)
            .services(services(&transport))
            .build();
        provider.provide_credentials().await.unwrap();
        let read = transport.requests().iter().map(path_of).last().unwrap();
        assert_eq!(
            read,
            format!("/latest/meta-data/ram/security-credentials/{name}")
        );
    }
}
