//! Credentials providers against the fakes of `acs-test-gateway` on 127.0.0.1: the default chain on an
//! ECS instance, in a pod with RRSA and with a CLI profile of each mode; refresh under load;
//! hardened-mode tokens; a metadata service that is slow, down or answers garbage; and errors
//! that name where they come from without showing a secret.
//!
//! Nothing here reaches the internet or 100.100.100.200: every default chain has its metadata
//! endpoint on loopback or `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`.
//!
//! The helpers are here; the tests in `refresh` (when credentials are fetched again),
//! `default_chain` (what `from_env` finds in each place) and `provider_failures` (how a failing
//! provider is reported).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use acs_ecs as ecs;
use acs_runtime::credentials::{
    CredentialServices, Credentials, CredentialsError, EcsRamRoleProvider, Environment,
    ProvideCredentials, RamRoleArnProvider,
};
use acs_runtime::retry::RetryPolicy;
use acs_runtime::{Config, TimeoutConfig};
use acs_test_gateway::metadata::{Behaviour, metadata_credential, refusing_endpoint};
use acs_test_gateway::sts::issued_credential;
use acs_test_gateway::{FakeMetadata, FakeMetadataBuilder, FakeSts, TestServer};
use acs_test_support::log_buffer::LogBuffer;
use serde_json::json;

mod default_chain;
mod provider_failures;
mod refresh;

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

    /// Moves the wall clock on (a clock set forward, or time passing: see [`HandClock::pass`]).
    fn advance(&self, by: Duration) {
        self.offset.fetch_add(by.as_secs(), Ordering::SeqCst);
    }

    /// Time passes: the wall clock moves on, and so does the elapsed time in which the
    /// providers count their backoff and the life of a metadata session token (tokio's clock,
    /// paused for the jump only, so that the fakes' sockets run in real time). Only on a
    /// current-thread runtime.
    async fn pass(&self, by: Duration) {
        self.advance(by);
        tokio::time::pause();
        tokio::time::advance(by).await;
        tokio::time::resume();
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
        // A thousand calls share one thread with the fakes: limits no busy machine reaches, so
        // that only what arrives decides these tests.
        .connect_timeout(crate::support::PATIENT)
        .read_timeout(crate::support::PATIENT)
        .timeouts(TimeoutConfig::default().with_attempt_timeout(Some(crate::support::PATIENT)))
        .build()
        .expect("the configuration builds");
    ecs::Client::new(config)
}

/// One DescribeImages call through `client`; a failure fails the test.
async fn call(client: &ecs::Client) {
    client
        .describe_images()
        .region_id("cn-hangzhou")
        .send()
        .await
        .unwrap_or_else(|err| panic!("the call failed: {err}"));
}

/// A thousand [`call`]s through `client` at once, all waited for: enough that they pile up
/// behind whatever refresh the provider is in. One that fails or panics fails the test.
async fn a_thousand_calls_at_once(client: &ecs::Client) {
    let calls = (0..1000).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { call(&client).await })
    });
    for outcome in futures_util::future::join_all(calls).await {
        outcome.expect("no call panicked");
    }
}

/// The AccessKey id of the credentials `provider` serves now; serving none fails the test.
async fn key_id_served(provider: &impl ProvideCredentials) -> String {
    provider
        .provide_credentials()
        .await
        .unwrap_or_else(|err| panic!("no credentials served: {err}"))
        .access_key_id()
        .to_owned()
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
