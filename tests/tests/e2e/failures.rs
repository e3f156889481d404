//! What a caller sees when the service or the network misbehaves: retries that succeed, retries
//! that run out, timeouts, broken connections and bodies, pages from a proxy, and service errors
//! sorted into each operation's documented variants.

use std::time::{Duration, Instant};

use crate::support::*;
use acs_appstream_center as appstream_center;
use acs_ecs as ecs;
use acs_ens as ens;
use acs_runtime::OperationError as _;
use acs_runtime::SdkError;
use acs_runtime::http::{TransportError, TransportErrorKind};
use acs_runtime::retry::RetryPolicy;
use acs_swas_open as swas_open;
use acs_test_gateway::{Fault, RecordedRequest, Response, TestServer};

/// A gateway serving the ECS sample that meets the first requests with `faults`, one each, in
/// order.
async fn ecs_gateway_meeting(faults: impl IntoIterator<Item = Fault>) -> TestServer {
    let server = gateway().await;
    serve_ecs_sample(&server);
    for fault in faults {
        server.inject(fault);
    }
    server
}

/// What a call without retries gets when the gateway meets its only attempt with `fault`.
async fn only_attempt_meeting(
    fault: Fault,
) -> Result<ecs::DescribeImagesResponse, SdkError<ecs::DescribeImagesError>> {
    let server = ecs_gateway_meeting([fault]).await;
    describe(&ecs_client_with(&server, RetryPolicy::disabled())).await
}

/// The kind of transport error a call without retries fails with when the gateway meets its
/// only attempt with `fault` (`what` says why it must fail); such an error is always retryable.
async fn retryable_transport_failure(fault: Fault, what: &str) -> TransportErrorKind {
    let err = only_attempt_meeting(fault).await.expect_err(what);
    assert!(err.is_retryable(), "{err:?}");
    transport_error_of(&err).kind()
}

/// The transport error behind `err`.
fn transport_error_of(err: &SdkError<ecs::DescribeImagesError>) -> &TransportError {
    let SdkError::Transport(transport) = err else {
        panic!("expected a transport error, got {err:?}");
    };
    transport
}

fn ecs_client(server: &TestServer) -> ecs::Client {
    ecs::Client::new(config(server))
}

fn ecs_client_with(server: &TestServer, policy: RetryPolicy) -> ecs::Client {
    ecs::Client::new(
        config_for(server)
            .retry_policy(policy)
            .build()
            .expect("config builds"),
    )
}

async fn describe(
    client: &ecs::Client,
) -> Result<ecs::DescribeImagesResponse, SdkError<ecs::DescribeImagesError>> {
    client
        .describe_images()
        .region_id("cn-hangzhou")
        .send()
        .await
}

/// The signature nonce of each of `requests`.
fn nonces(requests: &[RecordedRequest]) -> Vec<String> {
    requests
        .iter()
        .map(|r| {
            r.header("x-acs-signature-nonce")
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// What DescribeImages gets from a gateway serving the ECS sample that meets its first attempt
/// with `fault`, and the two requests it took (checked with [`retried_once_past`]).
async fn answer_after_one_retry_past(
    fault: Fault,
) -> (ecs::DescribeImagesResponse, Vec<RecordedRequest>) {
    let server = ecs_gateway_meeting([fault.clone()]).await;
    let out = describe(&ecs_client(&server))
        .await
        .expect("the retry succeeds");
    (out, retried_once_past(&server, fault))
}

#[tokio::test]
async fn throttling_then_success_is_retried_with_a_fresh_signature() {
    let (out, requests) = answer_after_one_retry_past(Fault::throttling()).await;
    assert_eq!(out.total_count, Some(24));
    let nonces = nonces(&requests);
    assert_ne!(nonces[0], nonces[1], "each attempt is signed anew");
    assert_eq!(
        out.meta().request_id.as_deref(),
        Some(requests[1].request_id.as_str()),
        "the response is the one of the last attempt"
    );
}

#[tokio::test]
async fn a_wait_the_service_asks_for_is_honoured() {
    let server = gateway().await;
    serve_ecs_sample(&server);
    let asked = Duration::from_millis(150);
    server.inject(Fault::Throttling {
        status: 429,
        retry_after: Some(asked),
    });
    let started = Instant::now();
    describe(&ecs_client(&server))
        .await
        .expect("the retry succeeds");
    let elapsed = started.elapsed();
    assert_eq!(server.requests().len(), 2);
    assert!(
        elapsed >= asked,
        "x-acs-retry-after asked for {asked:?}; the retry came after {elapsed:?}"
    );
}

#[tokio::test]
async fn service_unavailable_then_success() {
    let (out, _) = answer_after_one_retry_past(Fault::service_unavailable()).await;
    assert_eq!(out.images.len(), 1);
}

#[tokio::test]
async fn retries_exhausted_says_how_many_attempts_and_keeps_the_last_error() {
    let server = ecs_gateway_meeting([
        Fault::throttling(),
        Fault::service_unavailable(),
        Fault::ServiceUnavailable { status: 502 },
        Fault::service_unavailable(),
    ])
    .await;
    let err = describe(&ecs_client(&server))
        .await
        .expect_err("every attempt fails");
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "three attempts, as the policy allows");
    assert_eq!(server.pending_faults(), 1, "no fourth attempt");
    let SdkError::RetriesExhausted { attempts, last } = &err else {
        panic!("expected RetriesExhausted, got {err:?}");
    };
    assert_eq!(*attempts, 3);
    let SdkError::Service(ecs::DescribeImagesError::Unhandled(service)) = last.as_ref() else {
        panic!("the last failure is the service's 502, got {last:?}");
    };
    assert_eq!(service.status(), 502);
    assert_eq!(service.code(), "ServiceUnavailable");
    assert_eq!(service.request_id(), Some(requests[2].request_id.as_str()));
    assert_eq!(err.request_id(), Some(requests[2].request_id.as_str()));
    let shown = err.to_string();
    assert!(shown.contains("3 attempts"), "{shown}");
    assert!(shown.contains("ServiceUnavailable"), "{shown}");
    assert!(shown.contains("502"), "{shown}");
    assert!(std::error::Error::source(&err).is_some());
}

/// A write with no idempotency token: `RebootInstance` against a gateway that answers it with
/// an empty success.
async fn reboot_meeting(
    fault: Fault,
) -> (TestServer, Result<(), SdkError<ecs::RebootInstanceError>>) {
    let server = gateway().await;
    server.respond_with("RebootInstance", |_| {
        raw_json(r#"{"RequestId":"0F5A1F2E-REBOOT"}"#)
    });
    server.inject(fault);
    let sent = ecs_client(&server)
        .reboot_instance()
        .instance_id("i-bp67acfmxazb4p****")
        .send()
        .await
        .map(|_| ());
    (server, sent)
}

#[tokio::test]
async fn a_write_without_a_token_is_not_sent_again_after_a_server_error() {
    for fault in [
        Fault::InternalError,
        Fault::service_unavailable(),
        Fault::HtmlErrorPage,
    ] {
        let (server, sent) = reboot_meeting(fault.clone()).await;
        let err = sent.expect_err("the caller gets the server error");
        assert!(matches!(err, SdkError::Service(_)), "{fault:?}: {err:?}");
        assert_eq!(
            server.requests().len(),
            1,
            "{fault:?}: the server may have rebooted the instance; it must not get the call again"
        );
    }
}

#[tokio::test]
async fn a_write_without_a_token_is_sent_again_after_throttling() {
    let (server, sent) = reboot_meeting(Fault::throttling()).await;
    sent.expect("throttling says the call was not processed, so the retry is safe");
    retried_once_past(&server, Fault::throttling());
}

/// How long a slow fault holds its answer when the test is about a limit ending the wait.
const AN_HOUR: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn a_slow_answer_times_out_and_says_so() {
    // The answer is held for an hour: a call that ends at all, with a timeout, ended at the read
    // limit, however slow the machine.
    let server = ecs_gateway_meeting([Fault::slow(AN_HOUR)]).await;
    let client = ecs::Client::new(
        config_for(&server)
            .read_timeout(Duration::from_millis(300))
            .retry_policy(RetryPolicy::disabled())
            .build()
            .expect("config builds"),
    );
    let err = describe(&client).await.expect_err("the answer is too slow");
    let transport = transport_error_of(&err);
    assert_eq!(transport.kind(), TransportErrorKind::Timeout);
    assert!(err.is_retryable());
    let shown = err.to_string();
    assert!(shown.contains("timed out"), "{shown}");
    assert!(shown.contains("127.0.0.1"), "names the endpoint: {shown}");
    assert!(!shown.contains("x-acs"), "{shown}");
}

#[tokio::test]
async fn a_slow_answer_then_a_quick_one_succeeds() {
    let server = ecs_gateway_meeting([Fault::slow(AN_HOUR)]).await;
    let client = ecs::Client::new(
        config_for(&server)
            // Long enough for a quick answer on a loaded machine (three attempts, so two quick
            // ones would both have to stall for it), far shorter than the held one.
            .read_timeout(Duration::from_secs(2))
            .build()
            .expect("config builds"),
    );
    let out = describe(&client)
        .await
        .expect("the second attempt is quick");
    assert_eq!(out.total_count, Some(24));
    assert_eq!(all_v3_verified(&server).len(), 2);
}

#[tokio::test]
async fn a_dropped_connection_then_success() {
    let (out, _) = answer_after_one_retry_past(Fault::DroppedConnection).await;
    assert_eq!(out.images.len(), 1);
}

#[tokio::test]
async fn a_dropped_connection_without_retries_is_a_transport_error() {
    let kind =
        retryable_transport_failure(Fault::DroppedConnection, "the connection was dropped").await;
    assert_ne!(kind, TransportErrorKind::InvalidRequest);
}

#[tokio::test]
async fn a_truncated_body_is_a_body_error_not_a_decoded_half() {
    let kind =
        retryable_transport_failure(Fault::TruncatedBody, "half a body is no response").await;
    assert_eq!(kind, TransportErrorKind::Body);
}

#[tokio::test]
async fn a_truncated_body_then_success() {
    let server = ecs_gateway_meeting([Fault::TruncatedBody]).await;
    let out = describe(&ecs_client(&server))
        .await
        .expect("the retry gets the whole body");
    assert_eq!(out.total_count, Some(24));
    assert!(out.meta().anomalies.is_empty());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_html_error_page_gives_status_and_excerpt() {
    let server = ecs_gateway_meeting([Fault::HtmlErrorPage]).await;
    let err = describe(&ecs_client_with(&server, RetryPolicy::disabled()))
        .await
        .expect_err("a proxy answered 502");
    let Some(ecs::DescribeImagesError::Unhandled(service)) = err.as_service_error() else {
        panic!("expected an unhandled service error, got {err:?}");
    };
    assert_eq!(service.status(), 502);
    assert_eq!(service.code(), "");
    let excerpt = service.body_excerpt().expect("the page is quoted");
    assert!(excerpt.contains("502 Bad Gateway"), "{excerpt}");
    let shown = err.to_string();
    assert!(shown.contains("502"), "{shown}");
    assert!(shown.contains("502 Bad Gateway"), "{shown}");
}

#[tokio::test]
async fn an_html_error_page_is_retried() {
    let server = ecs_gateway_meeting([Fault::HtmlErrorPage]).await;
    describe(&ecs_client(&server))
        .await
        .expect("a 502 from a proxy is retried");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_success_that_is_not_json_keeps_the_body() {
    let server = ecs_gateway_meeting([Fault::NonJson]).await;
    let err = describe(&ecs_client(&server))
        .await
        .expect_err("the body is not JSON");
    assert_eq!(server.requests().len(), 1, "a 200 is not retried");
    let SdkError::Decode { status, body, .. } = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(*status, 200);
    assert_eq!(body.as_ref(), b"upstream answered, but not with JSON");
    assert!(err.to_string().contains("200"), "{err}");
}

#[tokio::test]
async fn a_documented_code_maps_to_its_variant_and_is_not_retried() {
    let server = gateway().await;
    answer_with_a_documented_error(&server);
    let err = ecs_client(&server)
        .describe_images()
        .region_id("cn-hangzhou")
        .image_owner_alias("nobody")
        .send()
        .await
        .expect_err("the service refuses the alias");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "a client error is not retried");
    assert_eq!(requests[0].param("ImageOwnerAlias"), Some("nobody"));
    let service = documented_error_of(&err);
    assert_eq!(
        service.message(),
        Some("The specified ImageOwnerAlias value is not supported.")
    );
    assert_eq!(service.request_id(), Some(requests[0].request_id.as_str()));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_documented_code_pattern_matches_the_concrete_code() {
    let server = gateway().await;
    server.respond_with("DescribeSelfImages", |request| {
        if request.param("PageSize") == Some("500") {
            Response::error(
                400,
                "InvalidParameter.PageSize",
                "The specified field PageSize invalid. Please check it again.",
            )
        } else {
            Response::error(400, "InvalidParameter", "Bare code, no field.")
        }
    });
    let client = ens::Client::new(config(&server));
    let err = client
        .describe_self_images()
        .page_size(500)
        .send()
        .await
        .expect_err("the service refuses the page size");
    let Some(ens::DescribeSelfImagesError::InvalidParameter(service)) = err.as_service_error()
    else {
        panic!("`InvalidParameter.%s` covers InvalidParameter.PageSize, got {err:?}");
    };
    assert_eq!(service.code(), "InvalidParameter.PageSize");

    let err = client
        .describe_self_images()
        .send()
        .await
        .expect_err("the service refuses");
    assert!(
        matches!(
            err.as_service_error(),
            Some(ens::DescribeSelfImagesError::Unhandled(service)) if service.code() == "InvalidParameter"
        ),
        "`InvalidParameter.%s` needs a field after the dot: {err:?}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_undocumented_code_lands_in_unhandled_with_all_the_evidence() {
    let server = gateway().await;
    server.respond_with("ListImage", |_| {
        Response::error(
            409,
            "Conflict.ImageLocked",
            "The image is locked by another operation.",
        )
    });
    let client = appstream_center::Client::new(config(&server));
    let err = client
        .list_image()
        .send()
        .await
        .expect_err("the service refuses");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "a 409 is not retried");
    let Some(appstream_center::ListImageError::Unhandled(service)) = err.as_service_error() else {
        panic!("expected Unhandled, got {err:?}");
    };
    assert_eq!(service.code(), "Conflict.ImageLocked");
    assert_eq!(
        service.message(),
        Some("The image is locked by another operation.")
    );
    assert_eq!(service.status(), 409);
    assert_eq!(service.request_id(), Some(requests[0].request_id.as_str()));
    assert_eq!(service.host_id(), Some(server.host().as_str()));
    let shown = err.to_string();
    assert!(shown.contains("Conflict.ImageLocked"), "{shown}");
    assert!(shown.contains(&requests[0].request_id), "{shown}");
    assert!(shown.contains("409"), "{shown}");
    assert_eq!(
        err.into_service_error()
            .map(|e| e.service_error().code().to_owned()),
        Some("Conflict.ImageLocked".to_owned())
    );
}

#[tokio::test]
async fn the_client_token_is_the_same_on_every_retry_and_new_for_each_call() {
    let server = gateway().await;
    let body = sample_text(SWAS_SPEC, "ListCustomImages", None);
    server.respond_with("ListCustomImages", move |_| raw_json(body.clone()));
    let client = swas_open::Client::new(config(&server));
    let call = || client.list_custom_images().region_id("cn-hangzhou").send();

    server.inject(Fault::throttling());
    server.inject(Fault::DroppedConnection);
    call().await.expect("the third attempt succeeds");
    let first: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.param("ClientToken").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(first.len(), 3);
    assert!(!first[0].is_empty(), "a token is sent");
    assert!(
        first.iter().all(|token| *token == first[0]),
        "one call, one token on every attempt: {first:?}"
    );
    let attempt_nonces = nonces(&server.requests());
    assert_ne!(attempt_nonces[0], attempt_nonces[1]);
    assert_ne!(attempt_nonces[1], attempt_nonces[2]);
    all_v3_verified(&server);

    server.clear_requests();
    call().await.expect("the second call succeeds");
    let second = server.requests();
    assert_eq!(second.len(), 1);
    let token = second[0].param("ClientToken").unwrap_or_default();
    assert!(!token.is_empty());
    assert_ne!(token, first[0], "a new call gets a new token");
    all_v3_verified(&server);
}

#[tokio::test]
async fn a_clock_far_off_is_refused_with_a_hint_about_the_clock() {
    let server = gateway().await;
    serve_ecs_sample(&server);
    let skewed = std::time::SystemTime::now() - Duration::from_secs(20 * 60);
    let client = ecs::Client::new(
        config_for(&server)
            .clock(move || skewed)
            .build()
            .expect("config builds"),
    );
    let err = describe(&client).await.expect_err("the date is stale");
    assert_eq!(server.requests().len(), 1, "not retried");
    let service = err
        .as_service_error()
        .expect("the gateway answered")
        .service_error();
    assert!(service.code().starts_with("InvalidTimeStamp"), "{service}");
    assert!(err.to_string().contains("clock"), "{err}");
}

#[tokio::test]
async fn a_missing_required_parameter_is_caught_before_sending() {
    let server = gateway().await;
    serve_ecs_sample(&server);
    let err = ecs_client(&server)
        .describe_images()
        .send()
        .await
        .expect_err("RegionId is required");
    assert!(matches!(err, SdkError::Build(_)), "{err:?}");
    assert!(err.to_string().contains("RegionId"), "{err}");
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn no_error_shows_the_secret_or_the_token() {
    let server = sts_gateway().await;
    server.inject(Fault::HtmlErrorPage);
    server.inject(Fault::DroppedConnection);
    server.respond_with("DescribeImages", |_| {
        Response::error(
            400,
            "SignatureDoesNotMatch",
            format!(
                "string to sign was: POST&%2F&SecurityToken%3D{SECURITY_TOKEN}%26Timestamp%3D1"
            ),
        )
    });
    let client = ecs::Client::new(
        config_for(&server)
            .credentials(
                acs_runtime::credentials::Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
                    .with_security_token(SECURITY_TOKEN),
            )
            .signature_version(acs_runtime::sign::SignatureVersion::V2)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .expect("config builds"),
    );
    // A proxy's page, a transport error (the V2 query holds the token), and a message quoting
    // the token.
    for _ in 0..3 {
        let err = describe(&client).await.expect_err("every call fails");
        assert_no_secrets("an error's Display", &err.to_string());
        assert_no_secrets("an error's Debug", &format!("{err:?}"));
    }
}
