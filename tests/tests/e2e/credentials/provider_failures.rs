//! How a failing provider is reported: a metadata service that is slow, down or answers
//! garbage, an STS refusal, and no secret in any error or log line.

use super::*;

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

    // Held for an hour: the provider's own limit ends the wait, however slow the machine.
    metadata.set_behaviour(Behaviour::Slow(Duration::from_secs(3600)));
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

#[tokio::test]
async fn no_secret_reaches_a_log_line_or_an_error_when_providers_fail() {
    crate::support::listen_on_every_thread();
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

    let logged = logs.text();
    assert!(logged.contains("refreshing credentials failed"), "{logged}");
    for text in shown.iter().chain([&logged]) {
        assert_no_secret(text);
    }
}
