//! What the default chain finds in each place: an ECS instance's RAM role, RRSA in a pod, a CLI
//! profile of each mode, a credentials URI past an absent metadata service.

use super::*;

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
    // What the official SDKs send unsigned goes in the query, and nothing of a signature.
    for common in [
        "Action=AssumeRoleWithOIDC",
        "Format=json",
        "Version=2015-04-01",
        "Timestamp=",
        "SignatureNonce=",
    ] {
        assert!(
            exchange.raw_query.contains(common),
            "{common}: {}",
            exchange.raw_query
        );
    }
    assert_eq!(exchange.method, "POST");
    assert_eq!(exchange.header("x-acs-action"), Some("AssumeRoleWithOIDC"));
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
