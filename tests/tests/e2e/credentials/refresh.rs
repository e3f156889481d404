//! When credentials are fetched again: once per expiry under load, with a fresh session token
//! in hardened mode, and never a failed refresh in place of credentials that are still valid.

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
