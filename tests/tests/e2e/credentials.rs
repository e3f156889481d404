//! Credentials providers against the fakes of `acs-test-gateway` on 127.0.0.1: the default chain on an
//! ECS instance, in a pod with RRSA and with a CLI profile of each mode; refresh under load;
//! hardened-mode tokens; a metadata service that is slow, down or answers garbage; and errors
//! that name where they come from without showing a secret.
//!
//! Nothing here reaches the internet or 100.100.100.200: every default chain has its metadata
//! endpoint on loopback or `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use acs_runtime::credentials::{
    CredentialServices, Credentials, CredentialsError, EcsRamRoleProvider, Environment,
    ProvideCredentials, RamRoleArnProvider,
};
use acs_runtime::retry::RetryPolicy;
use acs_runtime::{Config, TimeoutConfig};
use acs_sdk::ecs;
use acs_test_gateway::metadata::{Behaviour, metadata_credential, refusing_endpoint};
use acs_test_gateway::sts::issued_credential;
use acs_test_gateway::{FakeMetadata, FakeMetadataBuilder, FakeSts, TestServer};
use serde_json::json;

const SOURCE_ID: &str = "LTAI5tSourceKey";
const SOURCE_SECRET: &str = "source-secret-never-shown-7Qx";
const OIDC_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.oidc-token-never-shown.sig";
const ROLE_ARN: &str = "acs:ram::1234567890:role/app";

/// A clock the test moves by hand, shared by the client, the providers and the fakes.
#[derive(Clone)]
struct HandClock {
    start: SystemTime,
    offset: Arc<AtomicU64>,
}

impl HandClock {
    fn new() -> Self {
        HandClock {
            start: SystemTime::now(),
            offset: Arc::new(AtomicU64::new(0)),
        }
    }

    fn now(&self) -> SystemTime {
        self.start + Duration::from_secs(self.offset.load(Ordering::SeqCst))
    }

    fn advance(&self, by: Duration) {
        self.offset.fetch_add(by.as_secs(), Ordering::SeqCst);
    }

    fn for_runtime(&self) -> Arc<dyn acs_runtime::client::Clock> {
        let clock = self.clone();
        Arc::new(move || clock.now())
    }

    fn for_fakes(&self) -> acs_test_gateway::Clock {
        let clock = self.clone();
        acs_test_gateway::Clock::from_fn(move || clock.now())
    }
}

/// Every secret the fakes hand out or the tests hold: none may show in an error or `Debug`.
fn assert_no_secret(text: &str) {
    let mut secrets = vec![
        SOURCE_SECRET.to_owned(),
        OIDC_TOKEN.to_owned(),
        "oidc-token-never-shown".to_owned(),
    ];
    for n in 1..=8 {
        secrets.push(format!("issued-secret-{n}"));
        secrets.push(format!("issued-token-{n}"));
        secrets.push(format!("ecs-secret-{n}"));
        secrets.push(format!("ecs-token-{n}"));
    }
    for secret in secrets {
        assert!(!text.contains(&secret), "`{secret}` leaked: {text}");
    }
}

/// A product gateway accepting the source key and whatever the fakes hand out.
async fn gateway(clock: &HandClock) -> TestServer {
    let mut builder = TestServer::builder()
        .clock(clock.for_fakes())
        .credential(SOURCE_ID, SOURCE_SECRET);
    for n in 1..=8 {
        builder = builder
            .accept(issued_credential(n))
            .accept(metadata_credential(n));
    }
    let server = builder.start().await.expect("the gateway starts");
    server.respond(
        "DescribeImages",
        200,
        json!({"TotalCount": 0, "Images": {"Image": []}}),
    );
    server
}

fn client(
    gateway: &TestServer,
    provider: Arc<dyn ProvideCredentials>,
    clock: &HandClock,
) -> ecs::Client {
    let config = Config::builder()
        .credentials_provider(provider)
        .region("cn-hangzhou")
        .endpoint(gateway.endpoint())
        .clock({
            let clock = clock.clone();
            move || clock.now()
        })
        .retry_policy(RetryPolicy::disabled())
        .timeouts(TimeoutConfig::default().with_attempt_timeout(Some(Duration::from_secs(600))))
        .build()
        .expect("the configuration builds");
    ecs::Client::new(config)
}

async fn call(client: &ecs::Client) {
    client
        .describe_images()
        .region_id("cn-hangzhou")
        .send()
        .await
        .unwrap_or_else(|err| panic!("the call failed: {err}"));
}

/// The AccessKey ids the gateway saw, oldest first, each with the date it was signed at.
fn signed_with(gateway: &TestServer) -> Vec<(String, SystemTime)> {
    gateway
        .requests()
        .iter()
        .map(|request| {
            assert!(request.verified(), "{request:?}");
            let authorization = request.header("authorization").unwrap_or_default();
            let id = authorization
                .split("Credential=")
                .nth(1)
                .and_then(|rest| rest.split(',').next())
                .unwrap_or_default()
                .to_owned();
            let date = request.header("x-acs-date").unwrap_or_default();
            let date =
                time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339)
                    .expect("x-acs-date is RFC 3339");
            (id, SystemTime::from(date))
        })
        .collect()
}

/// A home with no profile file, and nothing reaching the real metadata service.
fn bare_env(home: &std::path::Path, vars: &[(&str, String)]) -> Environment {
    let mut all: Vec<(String, String)> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.clone()))
        .collect();
    all.push(("HOME".to_owned(), home.display().to_string()));
    Environment::from_vars(all)
}

/// A metadata service reading `clock`, handing out credentials that last an hour.
fn hour_long_metadata(clock: &HandClock) -> FakeMetadataBuilder {
    FakeMetadata::builder()
        .clock(clock.for_fakes())
        .lifetime(Duration::from_secs(3600))
}

/// [`hour_long_metadata`] in hardened mode only, started.
async fn hardened_hour_long_metadata(clock: &HandClock) -> FakeMetadata {
    hour_long_metadata(clock)
        .hardened_only()
        .start()
        .await
        .expect("the metadata service starts on 127.0.0.1")
}

/// The services of a provider asking `metadata`, on `clock`.
fn metadata_services(metadata: &FakeMetadata, clock: &HandClock) -> CredentialServices {
    CredentialServices::new()
        .metadata_endpoint(metadata.endpoint())
        .clock(clock.for_runtime())
}

#[tokio::test]
async fn a_thousand_calls_while_credentials_expire_refresh_once_per_expiry_and_never_sign_expired()
{
    let clock = HandClock::new();
    let sts = FakeSts::builder()
        .source(SOURCE_ID, SOURCE_SECRET)
        .clock(clock.for_fakes())
        .lifetime(Duration::from_secs(3600))
        .start()
        .await
        .unwrap();
    let gateway = gateway(&clock).await;
    let services = CredentialServices::new()
        .sts_endpoint(sts.endpoint())
        .clock(clock.for_runtime());
    let provider = RamRoleArnProvider::builder(
        Arc::new(Credentials::new(SOURCE_ID, SOURCE_SECRET)),
        ROLE_ARN,
    )
    .session_name("load")
    .services(services)
    .build()
    .unwrap();
    let client = client(&gateway, Arc::new(provider), &clock);

    const ROUNDS: usize = 3;
    for round in 1..=ROUNDS {
        // STS answers slowly, so that the calls pile up behind the one refresh.
        sts.inject(acs_test_gateway::Fault::slow(Duration::from_millis(300)));
        let calls = (0..1000).map(|_| {
            let client = client.clone();
            tokio::spawn(async move { call(&client).await })
        });
        for outcome in futures_util::future::join_all(calls).await {
            outcome.expect("no call panicked");
        }
        assert_eq!(
            sts.issued(),
            round,
            "one refresh reached STS in round {round}"
        );
        assert_eq!(sts.requests().len(), round, "and no other request did");
        // Past the expiry of what was issued this round.
        clock.advance(Duration::from_secs(3600));
    }

    let signed = signed_with(&gateway);
    assert_eq!(signed.len(), 1000 * ROUNDS);
    for (at, (id, date)) in signed.iter().enumerate() {
        let n: usize = id.trim_start_matches("STS.issued.").parse().unwrap();
        let expiry = sts.expiration_of(n).unwrap();
        assert!(
            *date < expiry,
            "call {at} signed with {id} after it expired"
        );
        assert_eq!(
            n,
            at / 1000 + 1,
            "call {at} signed with the round's credentials"
        );
    }
    // Every AssumeRole was signed with the source key and asked for the role.
    for request in sts.requests() {
        assert!(request.verified(), "{request:?}");
        assert_eq!(request.param("RoleArn"), Some(ROLE_ARN));
        assert_eq!(request.param("RoleSessionName"), Some("load"));
    }
}

#[tokio::test]
async fn a_thousand_calls_while_the_ecs_role_expires_read_the_metadata_service_once_per_expiry() {
    const LIFETIME: Duration = Duration::from_secs(6 * 3600);
    let clock = HandClock::new();
    let metadata = FakeMetadata::builder()
        .clock(clock.for_fakes())
        .lifetime(LIFETIME)
        .hardened_only()
        .start()
        .await
        .unwrap();
    // Slow, so that the calls pile up behind the one refresh.
    metadata.set_behaviour(Behaviour::Slow(Duration::from_millis(100)));
    let gateway = gateway(&clock).await;
    let provider = EcsRamRoleProvider::builder()
        .services(metadata_services(&metadata, &clock))
        .build();
    let client = client(&gateway, Arc::new(provider), &clock);

    const ROUNDS: usize = 3;
    let mut issued_at = Vec::new();
    for round in 1..=ROUNDS {
        issued_at.push(clock.now());
        let calls = (0..1000).map(|_| {
            let client = client.clone();
            tokio::spawn(async move { call(&client).await })
        });
        for outcome in futures_util::future::join_all(calls).await {
            outcome.expect("no call panicked");
        }
        let counts = metadata.counts();
        assert_eq!(
            counts.credential_requests, round,
            "round {round}: {counts:?}"
        );
        assert_eq!(counts.refused_tokens, 0, "{counts:?}");
        // One session token per round too: each lasts six hours, like the credentials.
        assert_eq!(counts.token_requests, round, "{counts:?}");
        clock.advance(LIFETIME);
    }
    let signed = signed_with(&gateway);
    assert_eq!(signed.len(), 1000 * ROUNDS);
    for (at, (id, date)) in signed.iter().enumerate() {
        let n: usize = id.trim_start_matches("STS.ecs.").parse().unwrap();
        assert_eq!(
            n,
            at / 1000 + 1,
            "call {at} signed with the round's credentials"
        );
        assert!(
            *date < issued_at[n - 1] + LIFETIME,
            "call {at} signed with {id} after it expired"
        );
    }
}

#[tokio::test]
async fn from_env_on_an_ecs_instance_uses_its_ram_role_in_hardened_mode() {
    let clock = HandClock::new();
    let metadata = FakeMetadata::builder()
        .role("AppRole")
        .clock(clock.for_fakes())
        .hardened_only()
        .start()
        .await
        .unwrap();
    let gateway = gateway(&clock).await;
    let home = tempfile::tempdir().unwrap();
    let env = bare_env(
        home.path(),
        &[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true".to_owned())],
    );
    let services = CredentialServices::new()
        .metadata_endpoint(metadata.endpoint())
        .clock(clock.for_runtime());
    let config = Config::from_environment_with(env, services).await.unwrap();
    let client = client(&gateway, Arc::clone(config.credentials_provider()), &clock);
    call(&client).await;
    call(&client).await;

    let counts = metadata.counts();
    assert_eq!(counts.token_requests, 1, "{counts:?}");
    assert_eq!(counts.credential_requests, 1, "cached: {counts:?}");
    assert_eq!(counts.refused_tokens, 0, "{counts:?}");
    let signed = signed_with(&gateway);
    assert!(signed.iter().all(|(id, _)| id == "STS.ecs.1"), "{signed:?}");
    assert_no_secret(&format!("{config:?}"));
}

#[tokio::test]
async fn from_env_in_a_pod_with_rrsa_assumes_the_role_with_the_oidc_token() {
    let clock = HandClock::new();
    let sts = FakeSts::builder()
        .oidc_token(OIDC_TOKEN)
        .clock(clock.for_fakes())
        .start()
        .await
        .unwrap();
    let gateway = gateway(&clock).await;
    let home = tempfile::tempdir().unwrap();
    let token_file = home.path().join("token");
    std::fs::write(&token_file, format!("{OIDC_TOKEN}\n")).unwrap();
    let env = bare_env(
        home.path(),
        &[
            ("ALIBABA_CLOUD_ROLE_ARN", ROLE_ARN.to_owned()),
            (
                "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
                "acs:ram::1234567890:oidc-provider/ack".to_owned(),
            ),
            (
                "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
                token_file.display().to_string(),
            ),
            ("ALIBABA_CLOUD_ROLE_SESSION_NAME", "pod-session".to_owned()),
            ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true".to_owned()),
        ],
    );
    let services = CredentialServices::new()
        .sts_endpoint(sts.endpoint())
        .clock(clock.for_runtime());
    let config = Config::from_environment_with(env, services).await.unwrap();
    let client = client(&gateway, Arc::clone(config.credentials_provider()), &clock);
    call(&client).await;

    assert_eq!(sts.issued(), 1);
    let requests = sts.requests();
    let exchange = &requests[0];
    assert!(exchange.verified(), "{exchange:?}");
    assert_eq!(
        exchange.header("authorization"),
        None,
        "AssumeRoleWithOIDC is not signed"
    );
    assert_eq!(exchange.param("OIDCToken"), Some(OIDC_TOKEN));
    assert!(
        !exchange.raw_query.contains("oidc-token"),
        "the token stays out of the URL"
    );
    assert_eq!(exchange.param("RoleSessionName"), Some("pod-session"));
    assert!(
        signed_with(&gateway)
            .iter()
            .all(|(id, _)| id == "STS.issued.1")
    );

    // The cluster rotates the token; an expired session is renewed with the new one.
    std::fs::write(&token_file, "rotated-token").unwrap();
    clock.advance(Duration::from_secs(3600));
    let err = config
        .credentials_provider()
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("OIDC"), "{text}");
    assert!(text.contains("HTTP 400"), "{text}");
    assert!(
        text.contains("AuthenticationFail.OIDCToken.Invalid"),
        "{text}"
    );
    assert!(text.contains(&sts.endpoint()), "{text}");
    assert!(!text.contains("rotated-token"), "{text}");
    assert_no_secret(&text);
    assert_no_secret(&format!("{err:?}"));
}

/// A CLI profile file with a profile of every mode, against the fakes.
fn profile_file(
    home: &std::path::Path,
    metadata: &FakeMetadata,
    token_file: &std::path::Path,
) -> std::path::PathBuf {
    let config = json!({
        "current": "ak",
        "profiles": [
            {"name": "ak", "mode": "AK", "access_key_id": SOURCE_ID, "access_key_secret": SOURCE_SECRET},
            {"name": "sts", "mode": "StsToken", "access_key_id": "STS.issued.8",
             "access_key_secret": "issued-secret-8", "sts_token": "issued-token-8"},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": SOURCE_ID,
             "access_key_secret": SOURCE_SECRET, "ram_role_arn": ROLE_ARN,
             "ram_session_name": "cli", "expired_seconds": 900, "external_id": "ext-1"},
            {"name": "chained", "mode": "ChainableRamRoleArn", "source_profile": "role",
             "ram_role_arn": "acs:ram::1234567890:role/next"},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "EcsRole"},
            {"name": "oidc", "mode": "OIDC", "ram_role_arn": ROLE_ARN,
             "oidc_provider_arn": "acs:ram::1234567890:oidc-provider/ack",
             "oidc_token_file": token_file.display().to_string()},
            {"name": "uri", "mode": "CredentialsURI", "credentials_uri": metadata.credentials_uri()},
        ]
    });
    let path = home.join("cli-config.json");
    std::fs::write(&path, config.to_string()).unwrap();
    path
}

#[tokio::test]
async fn from_env_with_a_cli_profile_of_each_mode() {
    let clock = HandClock::new();
    let gateway = gateway(&clock).await;
    let home = tempfile::tempdir().unwrap();
    let token_file = home.path().join("oidc-token");
    std::fs::write(&token_file, OIDC_TOKEN).unwrap();
    // (profile, key the call is signed with, STS calls, metadata credential reads)
    let cases = [
        ("ak", SOURCE_ID, 0, 0),
        ("sts", "STS.issued.8", 0, 0),
        ("role", "STS.issued.1", 1, 0),
        ("chained", "STS.issued.2", 2, 0),
        ("ecs", "STS.ecs.1", 0, 1),
        ("oidc", "STS.issued.1", 1, 0),
        ("uri", "STS.ecs.1", 0, 1),
    ];
    for (profile, expected_id, sts_calls, metadata_reads) in cases {
        let sts = FakeSts::builder()
            .source(SOURCE_ID, SOURCE_SECRET)
            .oidc_token(OIDC_TOKEN)
            .clock(clock.for_fakes())
            .start()
            .await
            .unwrap();
        let metadata = FakeMetadata::builder()
            .clock(clock.for_fakes())
            .start()
            .await
            .unwrap();
        let path = profile_file(home.path(), &metadata, &token_file);
        let env = bare_env(
            home.path(),
            &[
                ("ALIBABA_CLOUD_CONFIG_FILE", path.display().to_string()),
                ("ALIBABA_CLOUD_PROFILE", profile.to_owned()),
                ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true".to_owned()),
            ],
        );
        let services = CredentialServices::new()
            .sts_endpoint(sts.endpoint())
            .metadata_endpoint(metadata.endpoint())
            .clock(clock.for_runtime());
        let config = Config::from_environment_with(env, services).await.unwrap();
        gateway.clear_requests();
        let client = client(&gateway, Arc::clone(config.credentials_provider()), &clock);
        call(&client).await;
        call(&client).await;
        let signed = signed_with(&gateway);
        assert!(
            signed.iter().all(|(id, _)| id == expected_id),
            "profile {profile}: {signed:?}"
        );
        assert_eq!(sts.issued(), sts_calls, "profile {profile}");
        assert_eq!(
            metadata.counts().credential_requests,
            metadata_reads,
            "profile {profile}"
        );
        if profile == "role" {
            let assume = &sts.requests()[0];
            assert_eq!(assume.param("ExternalId"), Some("ext-1"));
            assert_eq!(assume.param("DurationSeconds"), Some("900"));
            assert_eq!(assume.param("RoleSessionName"), Some("cli"));
        }
        if profile == "chained" {
            let requests = sts.requests();
            assert_eq!(
                requests[1].param("RoleArn"),
                Some("acs:ram::1234567890:role/next")
            );
            assert_eq!(
                requests[1].header("x-acs-security-token"),
                Some("issued-token-1"),
                "the chained role is assumed with the first role's credentials"
            );
        }
        assert_no_secret(&format!("{config:?}"));
    }
}

#[tokio::test]
async fn hardened_mode_asks_for_a_new_session_token_when_the_old_one_expires() {
    let clock = HandClock::new();
    let metadata = hardened_hour_long_metadata(&clock).await;
    let provider = EcsRamRoleProvider::builder()
        .token_ttl(Duration::from_secs(600))
        .hardened_only()
        .services(metadata_services(&metadata, &clock))
        .build();
    let first = provider.provide_credentials().await.unwrap();
    assert_eq!(first.access_key_id(), "STS.ecs.1");
    assert_eq!(metadata.counts().token_requests, 1);

    // 50 minutes on: the credentials are due for refresh and the 10-minute token is long gone.
    clock.advance(Duration::from_secs(50 * 60));
    let second = provider.provide_credentials().await.unwrap();
    assert_eq!(second.access_key_id(), "STS.ecs.2");
    let counts = metadata.counts();
    assert_eq!(counts.token_requests, 2, "{counts:?}");
    assert_eq!(
        counts.refused_tokens, 0,
        "the expired token was never sent: {counts:?}"
    );
}

#[tokio::test]
async fn a_session_token_the_service_no_longer_knows_is_replaced() {
    let clock = HandClock::new();
    let metadata = hardened_hour_long_metadata(&clock).await;
    let provider = EcsRamRoleProvider::builder()
        .services(metadata_services(&metadata, &clock))
        .build();
    provider.provide_credentials().await.unwrap();
    metadata.forget_tokens();
    clock.advance(Duration::from_secs(50 * 60));
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "STS.ecs.2"
    );
    let counts = metadata.counts();
    assert_eq!(counts.refused_tokens, 1, "{counts:?}");
    assert_eq!(counts.token_requests, 2, "{counts:?}");
}

#[tokio::test]
async fn a_failed_refresh_keeps_serving_valid_credentials_then_reports_the_failure() {
    let clock = HandClock::new();
    let metadata = hour_long_metadata(&clock).start().await.unwrap();
    let provider = EcsRamRoleProvider::builder()
        .services(metadata_services(&metadata, &clock))
        .build();
    provider.provide_credentials().await.unwrap();
    metadata.set_behaviour(Behaviour::Failing);
    // Inside the refresh margin, still valid: the failure is not the caller's.
    clock.advance(Duration::from_secs(50 * 60));
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "STS.ecs.1"
    );
    // Expired: never served; the error says what failed where.
    clock.advance(Duration::from_secs(10 * 60));
    let err = provider.provide_credentials().await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("ECS RAM role"), "{text}");
    assert!(text.contains("HTTP 500"), "{text}");
    assert!(text.contains(&metadata.endpoint()), "{text}");
    assert!(text.contains("asking again in"), "{text}");
    // The service recovers; after the backoff the next call gets fresh credentials.
    metadata.set_behaviour(Behaviour::Normal);
    clock.advance(Duration::from_secs(120));
    assert_eq!(
        provider
            .provide_credentials()
            .await
            .unwrap()
            .access_key_id(),
        "STS.ecs.2"
    );
}

async fn ecs_error(metadata_endpoint: String) -> CredentialsError {
    let provider = EcsRamRoleProvider::builder()
        .services(CredentialServices::new().metadata_endpoint(metadata_endpoint))
        .build();
    let err = provider.provide_credentials().await.unwrap_err();
    assert_no_secret(&err.to_string());
    assert_no_secret(&format!("{err:?} {provider:?}"));
    err
}

#[tokio::test]
async fn a_metadata_service_that_is_slow_down_or_answers_garbage_is_reported_as_such() {
    let metadata = FakeMetadata::builder().start().await.unwrap();

    metadata.set_behaviour(Behaviour::Garbage);
    let text = ecs_error(metadata.endpoint()).await.to_string();
    assert!(text.contains("ECS RAM role"), "{text}");
    assert!(
        text.contains("/latest/meta-data/ram/security-credentials/EcsRole"),
        "{text}"
    );
    assert!(text.contains("not valid JSON"), "{text}");

    metadata.set_behaviour(Behaviour::NotSuccess("Failed".to_owned()));
    let text = ecs_error(metadata.endpoint()).await.to_string();
    assert!(text.contains("Failed"), "{text}");

    metadata.set_behaviour(Behaviour::Slow(Duration::from_secs(5)));
    let err = ecs_error(metadata.endpoint()).await;
    assert!(
        err.service_failure()
            .is_some_and(|failure| failure.is_unreachable()),
        "{err}"
    );
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(err.to_string().contains("/latest/api/token"), "{err}");

    let down = refusing_endpoint().await.unwrap();
    let err = ecs_error(down.clone()).await;
    assert!(
        err.service_failure()
            .is_some_and(|failure| failure.is_unreachable()),
        "{err}"
    );
    assert!(err.to_string().contains(&down), "{err}");

    let no_role = FakeMetadata::builder()
        .without_role()
        .start()
        .await
        .unwrap();
    let text = ecs_error(no_role.endpoint()).await.to_string();
    assert!(text.contains("HTTP 404"), "{text}");
    assert!(text.contains("no RAM role is attached"), "{text}");
}

#[tokio::test]
async fn the_default_chain_passes_over_an_absent_metadata_service_to_the_credentials_uri() {
    let metadata = FakeMetadata::builder().start().await.unwrap();
    let home = tempfile::tempdir().unwrap();
    let down = refusing_endpoint().await.unwrap();
    let env = bare_env(
        home.path(),
        &[("ALIBABA_CLOUD_CREDENTIALS_URI", metadata.credentials_uri())],
    );
    let config = Config::from_environment_with(
        env,
        CredentialServices::new().metadata_endpoint(down.clone()),
    )
    .await
    .unwrap();
    let credentials = config
        .credentials_provider()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(credentials.access_key_id(), "STS.ecs.1");

    // With nothing anywhere, the error lists every place and why it was passed over.
    let env = bare_env(home.path(), &[]);
    let err = Config::from_environment_with(
        env,
        CredentialServices::new().metadata_endpoint(down.clone()),
    )
    .await
    .unwrap_err();
    let text = err.to_string();
    for place in [
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
        ".aliyun/config.json (no such file)",
        "ECS instance RAM role (metadata service at",
        "ALIBABA_CLOUD_CREDENTIALS_URI not set",
    ] {
        assert!(text.contains(place), "{place} missing from: {text}");
    }
}

#[tokio::test]
async fn an_sts_refusal_names_the_provider_endpoint_status_and_code_without_secrets() {
    let sts = FakeSts::builder()
        .source(SOURCE_ID, SOURCE_SECRET)
        .start()
        .await
        .unwrap();
    sts.respond(
        "AssumeRole",
        403,
        json!({
            "Code": "NoPermission",
            "Message": format!("You are not authorized to do this action. AccessKeySecret={SOURCE_SECRET}"),
        }),
    );
    let provider = RamRoleArnProvider::builder(
        Arc::new(Credentials::new(SOURCE_ID, SOURCE_SECRET)),
        ROLE_ARN,
    )
    .services(CredentialServices::new().sts_endpoint(sts.endpoint()))
    .build()
    .unwrap();
    let err = provider.provide_credentials().await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("RAM role (STS AssumeRole)"), "{text}");
    assert!(text.contains(&sts.endpoint()), "{text}");
    assert!(text.contains("HTTP 403 NoPermission"), "{text}");
    assert!(text.contains("request id"), "{text}");
    assert_no_secret(&text);
    assert_no_secret(&format!("{err:?} {provider:?}"));
    let failure = err.service_failure().unwrap();
    assert_eq!(failure.status(), Some(403));
    assert_eq!(failure.code(), Some("NoPermission"));

    // A session shorter than STS grants is refused before anything is sent.
    let short = RamRoleArnProvider::builder(
        Arc::new(Credentials::new(SOURCE_ID, SOURCE_SECRET)),
        ROLE_ARN,
    )
    .duration(Duration::from_secs(60))
    .build()
    .unwrap_err();
    assert!(short.to_string().contains("900"), "{short}");
}

/// Log lines, written where the test can read them.
#[derive(Clone, Default)]
struct LogBuffer(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_reaches_a_log_line_or_an_error_when_providers_fail() {
    let logs = LogBuffer::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _logging = tracing::subscriber::set_default(subscriber);
    let clock = HandClock::new();
    let mut shown = Vec::new();

    // STS echoes the OIDC token and the source secret in its refusals.
    let sts = FakeSts::builder()
        .source(SOURCE_ID, SOURCE_SECRET)
        .oidc_token("another-token")
        .clock(clock.for_fakes())
        .start()
        .await
        .unwrap();
    sts.respond(
        "AssumeRoleWithOIDC",
        400,
        json!({
            "Code": "AuthenticationFail.OIDCToken.Invalid",
            "Message": format!("token {OIDC_TOKEN} refused"),
        }),
    );
    sts.respond(
        "AssumeRole",
        403,
        json!({
            "Code": "NoPermission",
            "Message": format!("AccessKeySecret {SOURCE_SECRET} may not"),
        }),
    );
    let home = tempfile::tempdir().unwrap();
    let token_file = home.path().join("token");
    std::fs::write(&token_file, OIDC_TOKEN).unwrap();
    let services = CredentialServices::new()
        .sts_endpoint(sts.endpoint())
        .clock(clock.for_runtime());
    let oidc = acs_runtime::credentials::OidcProvider::builder(
        ROLE_ARN,
        "acs:ram::1:oidc-provider/x",
        &token_file,
    )
    .services(services.clone())
    .build()
    .unwrap();
    let err = oidc.provide_credentials().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("AuthenticationFail.OIDCToken.Invalid"),
        "{err}"
    );
    shown.push(format!("{err} {err:?} {oidc:?}"));
    let role = RamRoleArnProvider::builder(
        Arc::new(Credentials::new(SOURCE_ID, SOURCE_SECRET)),
        ROLE_ARN,
    )
    .services(services)
    .build()
    .unwrap();
    let err = role.provide_credentials().await.unwrap_err();
    shown.push(format!("{err} {err:?} {role:?}"));

    // A refresh that fails while the credentials are valid is logged, not returned.
    let metadata = hour_long_metadata(&clock).start().await.unwrap();
    let ecs = EcsRamRoleProvider::builder()
        .services(metadata_services(&metadata, &clock))
        .build();
    let held = ecs.provide_credentials().await.unwrap();
    shown.push(format!("{held:?} {held} {ecs:?}"));
    metadata.set_behaviour(Behaviour::Garbage);
    clock.advance(Duration::from_secs(50 * 60));
    ecs.provide_credentials().await.unwrap();

    let logged = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(logged.contains("refreshing credentials failed"), "{logged}");
    for text in shown.iter().chain([&logged]) {
        assert_no_secret(text);
    }
}

#[tokio::test]
async fn without_hardened_mode_the_role_is_read_without_a_token_unless_that_is_refused() {
    let metadata = FakeMetadata::builder().start().await.unwrap();
    metadata.set_behaviour(Behaviour::NoTokens);
    let services = CredentialServices::new().metadata_endpoint(metadata.endpoint());
    let lenient = EcsRamRoleProvider::builder()
        .services(services.clone())
        .build();
    assert_eq!(
        lenient.provide_credentials().await.unwrap().access_key_id(),
        "STS.ecs.1"
    );

    let home = tempfile::tempdir().unwrap();
    let env = bare_env(
        home.path(),
        &[("ALIBABA_CLOUD_IMDSV1_DISABLED", "true".to_owned())],
    );
    let strict = EcsRamRoleProvider::from_env(&env, &services);
    let err = strict.provide_credentials().await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("/latest/api/token"), "{text}");
    assert!(text.contains("HTTP 404"), "{text}");
    assert_eq!(
        metadata.issued(),
        1,
        "the strict provider read nothing without a token"
    );
}
