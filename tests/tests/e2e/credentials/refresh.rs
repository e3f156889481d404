//! When credentials are fetched again: once per expiry under load (the first calls through a CLI
//! profile too), with a fresh session token in hardened mode, and never a failed refresh in
//! place of credentials that are still valid.

use std::sync::atomic::AtomicUsize;

use acs_runtime::credentials::ProfileProvider;

use super::*;

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
        a_thousand_calls_at_once(&client).await;
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
        a_thousand_calls_at_once(&client).await;
        let counts = metadata.counts();
        assert_eq!(
            counts.credential_requests, round,
            "round {round}: {counts:?}"
        );
        assert_eq!(counts.refused_tokens, 0, "{counts:?}");
        // One session token per round too: each lasts six hours, like the credentials.
        assert_eq!(counts.token_requests, round, "{counts:?}");
        clock.pass(LIFETIME).await;
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
async fn hardened_mode_asks_for_a_new_session_token_when_the_old_one_expires() {
    let clock = HandClock::new();
    let metadata = hardened_hour_long_metadata(&clock).await;
    let provider = EcsRamRoleProvider::builder()
        .token_ttl(Duration::from_secs(600))
        .hardened_only()
        .services(metadata_services(&metadata, &clock))
        .build();
    assert_eq!(key_id_served(&provider).await, "STS.ecs.1");
    assert_eq!(metadata.counts().token_requests, 1);

    // 50 minutes on: the credentials are due for refresh and the 10-minute token is long gone.
    clock.pass(Duration::from_secs(50 * 60)).await;
    assert_eq!(key_id_served(&provider).await, "STS.ecs.2");
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
    assert_eq!(key_id_served(&provider).await, "STS.ecs.2");
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
    clock.pass(Duration::from_secs(50 * 60)).await;
    assert_eq!(key_id_served(&provider).await, "STS.ecs.1");
    // Expired: never served; the error says what failed where.
    clock.pass(Duration::from_secs(10 * 60)).await;
    let err = provider.provide_credentials().await.unwrap_err();
    let text = err.to_string();
    assert!(text.contains("ECS RAM role"), "{text}");
    assert!(text.contains("HTTP 500"), "{text}");
    assert!(text.contains(&metadata.endpoint()), "{text}");
    assert!(text.contains("asking again in"), "{text}");
    // The service recovers; after the backoff the next call gets fresh credentials.
    metadata.set_behaviour(Behaviour::Normal);
    clock.pass(Duration::from_secs(120)).await;
    assert_eq!(key_id_served(&provider).await, "STS.ecs.2");
}

/// Holds the first call that looks the profile file's name up until a second call looks it up
/// too, or until [`FirstLookupGate::open`]: so that the first call is still reading the profile
/// while every other call arrives.
#[derive(Default)]
struct FirstLookupGate {
    /// How many lookups came, and whether the gate is open.
    state: std::sync::Mutex<(usize, bool)>,
    opened: std::sync::Condvar,
}

impl FirstLookupGate {
    fn enter(&self) {
        let mut state = self.state.lock().unwrap();
        state.0 += 1;
        if state.0 >= 2 {
            state.1 = true;
            self.opened.notify_all();
        }
        while !state.1 {
            state = self.opened.wait(state).unwrap();
        }
    }

    fn open(&self) {
        self.state.lock().unwrap().1 = true;
        self.opened.notify_all();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_through_a_ram_role_profile_assume_the_role_once() {
    const CALLS: usize = 1000;
    let sts = FakeSts::builder()
        .source(SOURCE_ID, SOURCE_SECRET)
        .start()
        .await
        .unwrap();
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("config.json");
    let profiles = json!({
        "current": "role",
        "profiles": [{"name": "role", "mode": "RamRoleArn", "access_key_id": SOURCE_ID,
                      "access_key_secret": SOURCE_SECRET, "ram_role_arn": ROLE_ARN}]
    });
    std::fs::write(&path, profiles.to_string()).unwrap();
    let gate = Arc::new(FirstLookupGate::default());
    let env = {
        let gate = Arc::clone(&gate);
        let path = path.display().to_string();
        Environment::from_fn(move |name| {
            (name == "ALIBABA_CLOUD_CONFIG_FILE").then(|| {
                gate.enter();
                path.clone()
            })
        })
    };
    let provider = Arc::new(
        ProfileProvider::new(env)
            .with_services(CredentialServices::new().sts_endpoint(sts.endpoint())),
    );

    // Every call counts itself once it has been polled a first time (and, unless it is the
    // call held at the gate, is waiting for something).
    let begun = Arc::new(AtomicUsize::new(0));
    let calls: Vec<_> = (0..CALLS)
        .map(|_| {
            let provider = Arc::clone(&provider);
            let begun = Arc::clone(&begun);
            tokio::spawn(async move {
                let mut call = provider.provide_credentials();
                let mut counted = false;
                std::future::poll_fn(|cx| {
                    let polled = call.as_mut().poll(cx);
                    if !counted {
                        counted = true;
                        begun.fetch_add(1, Ordering::SeqCst);
                    }
                    polled
                })
                .await
            })
        })
        .collect();
    // All calls but the one held have come; then the held one reads the profile on.
    let mut waited = 0;
    while begun.load(Ordering::SeqCst) < CALLS - 1 {
        waited += 1;
        assert!(waited < 120_000, "the calls never all began");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    gate.open();
    for call in futures_util::future::join_all(calls).await {
        let credentials = call.expect("no call panicked").expect("credentials");
        assert_eq!(credentials.access_key_id(), "STS.issued.1");
    }
    assert_eq!(sts.issued(), 1, "one AssumeRole for {CALLS} first calls");
    assert_eq!(sts.requests().len(), 1);
}
