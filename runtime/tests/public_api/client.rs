//! The client end to end over an in-memory transport: what goes on the wire, what comes back.

use std::sync::Arc;

use crate::support::*;
use acs_runtime::credentials::{Credentials, CredentialsChain};
use acs_runtime::http::{HttpResponse, InMemoryTransport};
use acs_runtime::retry::RetryPolicy;
use acs_runtime::sign::SignatureVersion;
use acs_runtime::{Client, Config, SdkError};
use acs_test_support::log_buffer::LogBuffer;

async fn list(client: &Client, request: &ListRequest) -> Result<ListResponse, SdkError<ListError>> {
    client.invoke(&LIST, request).await
}

#[tokio::test]
async fn a_call_is_signed_with_v3_and_decoded_with_its_meta() {
    let transport = Arc::new(InMemoryTransport::from_responses([ok(page_body(
        "REQ-1",
        Some(2),
        &["m-1", "m-2"],
    ))]));
    let client = Client::new(&SERVICE, builder(&transport).build().unwrap());

    let response = list(&client, &ListRequest::new()).await.unwrap();

    assert_eq!(response.items, ["m-1", "m-2"]);
    assert_eq!(response.meta.status, 200);
    assert_eq!(response.meta.request_id.as_deref(), Some("REQ-1"));
    assert!(response.meta.anomalies.is_empty());
    assert!(!response.meta.body.is_empty());

    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.url,
        "https://ecs.cn-hangzhou.aliyuncs.com/?RegionId=cn-hangzhou"
    );
    assert_eq!(request.header("host"), Some("ecs.cn-hangzhou.aliyuncs.com"));
    assert_eq!(request.header("x-acs-action"), Some("DescribeImages"));
    assert_eq!(request.header("x-acs-version"), Some("2014-05-26"));
    assert_eq!(request.header("x-acs-date"), Some("2023-11-14T22:13:20Z"));
    assert_eq!(request.header("x-acs-signature-nonce"), Some("nonce-0"));
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.starts_with(&format!(
            "ACS3-HMAC-SHA256 Credential={ACCESS_KEY_ID},SignedHeaders="
        )),
        "{authorization}"
    );
    assert!(request.body.is_empty());
    assert_eq!(request.header("content-type"), None);
}

#[tokio::test]
async fn the_signature_matches_the_signer_for_the_same_inputs() {
    // The client must sign exactly what it sends: recompute from the sent request.
    let transport = Arc::new(InMemoryTransport::from_responses([ok(page_body(
        "R",
        None,
        &[],
    ))]));
    let client = Client::new(&SERVICE, builder(&transport).build().unwrap());
    let mut request = ListRequest::new();
    request.description = Some("a b/c*".to_owned());
    list(&client, &request).await.unwrap();

    let sent = &transport.requests()[0];
    let query = vec![("RegionId".to_owned(), "cn-hangzhou".to_owned())];
    let form = vec![("Description".to_owned(), "a b/c*".to_owned())];
    let credentials = Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET);
    let expected = acs_runtime::sign::sign(
        SignatureVersion::V3,
        &acs_runtime::sign::SigningRequest {
            method: "POST",
            host: "ecs.cn-hangzhou.aliyuncs.com",
            path: "/",
            query: (&query).into(),
            form: (&form).into(),
            headers: &[("content-type", "application/x-www-form-urlencoded")],
            body: &sent.body,
        },
        &acs_runtime::sign::SigningContext {
            credentials: &credentials,
            date: time::OffsetDateTime::from(fixed_time()),
            nonce: "nonce-0",
            action: "DescribeImages",
            version: "2014-05-26",
        },
    );
    let authorization = expected
        .headers
        .iter()
        .find(|(name, _)| *name == "authorization")
        .map(|(_, value)| value.as_str());
    assert_eq!(sent.header("authorization"), authorization);
    assert_eq!(&sent.body[..], b"Description=a%20b%2Fc%2A");
    assert_eq!(
        sent.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
}

#[tokio::test]
async fn v2_override_puts_the_signature_in_the_query() {
    let transport = Arc::new(InMemoryTransport::from_responses([ok(page_body(
        "R",
        None,
        &[],
    ))]));
    let config = builder(&transport)
        .credentials(
            Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET).with_security_token(SECURITY_TOKEN),
        )
        .signature_version(SignatureVersion::V2)
        .build()
        .unwrap();
    let client = Client::new(&SERVICE, config);
    list(&client, &ListRequest::new()).await.unwrap();

    let sent = &transport.requests()[0];
    assert_eq!(
        query_param(sent, "Action").as_deref(),
        Some("DescribeImages")
    );
    assert_eq!(query_param(sent, "Version").as_deref(), Some("2014-05-26"));
    assert_eq!(
        query_param(sent, "AccessKeyId").as_deref(),
        Some(ACCESS_KEY_ID)
    );
    assert_eq!(
        query_param(sent, "SignatureMethod").as_deref(),
        Some("HMAC-SHA1")
    );
    assert_eq!(
        query_param(sent, "SignatureNonce").as_deref(),
        Some("nonce-0")
    );
    assert!(query_param(sent, "Signature").is_some());
    assert_eq!(sent.header("authorization"), None);
    // The token travels in the query, but never shows in Debug.
    assert!(!format!("{sent:?}").contains(SECURITY_TOKEN));
}

#[tokio::test]
async fn endpoint_override_and_network_pick_the_host() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        ok(page_body("R", None, &[]))
    }));
    let client = Client::new(
        &SERVICE,
        builder(&transport)
            .endpoint("http://127.0.0.1:8089")
            .build()
            .unwrap(),
    );
    list(&client, &ListRequest::new()).await.unwrap();
    let client = Client::new(
        &SERVICE,
        builder(&transport).network("vpc").build().unwrap(),
    );
    list(&client, &ListRequest::new()).await.unwrap();

    let sent = transport.requests();
    assert!(
        sent[0].url.starts_with("http://127.0.0.1:8089/?"),
        "{}",
        sent[0].url
    );
    assert_eq!(sent[0].header("host"), Some("127.0.0.1:8089"));
    assert!(
        sent[1]
            .url
            .starts_with("https://ecs-vpc.cn-hangzhou.aliyuncs.com/?"),
        "{}",
        sent[1].url
    );
}

#[tokio::test]
async fn a_bad_endpoint_override_fails_the_build() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| ok("{}")));
    let err = builder(&transport)
        .endpoint("ftp://example.com")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("ftp"), "{err}");
}

#[tokio::test]
async fn no_region_and_no_central_host_is_an_endpoint_error_and_nothing_is_sent() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| ok("{}")));
    let config = Config::builder()
        .credentials(Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .transport(transport.clone())
        .build()
        .unwrap();
    let err = list(&Client::new(&SERVICE, config), &ListRequest::new())
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Endpoint(_)), "{err:?}");
    assert!(err.to_string().contains("region"), "{err}");
    assert_eq!(transport.request_count(), 0);
}

#[tokio::test]
async fn missing_credentials_fail_before_sending() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| ok("{}")));
    let config = builder(&transport)
        .credentials_provider(Arc::new(CredentialsChain::new()))
        .build()
        .unwrap();
    let err = list(&Client::new(&SERVICE, config), &ListRequest::new())
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Credentials(_)), "{err:?}");
    assert!(err.to_string().contains("no credentials"), "{err}");
    assert_eq!(transport.request_count(), 0);
}

#[tokio::test]
async fn from_environment_reads_credentials_and_region() {
    let env = acs_runtime::credentials::Environment::from_vars([
        ("ALIBABA_CLOUD_ACCESS_KEY_ID", ACCESS_KEY_ID),
        ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", ACCESS_KEY_SECRET),
        ("ALIBABA_CLOUD_REGION_ID", "cn-shanghai"),
        ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
    ]);
    let config = Config::from_environment(env).await.unwrap();
    assert_eq!(config.region(), Some("cn-shanghai"));
    let shown = format!("{config:?}");
    assert!(!shown.contains(ACCESS_KEY_SECRET), "{shown}");

    let empty = acs_runtime::credentials::Environment::from_vars([
        ("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true"),
        ("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
    ]);
    let err = Config::from_environment(empty).await.unwrap_err();
    assert!(
        err.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        "{err}"
    );
}

#[tokio::test]
async fn a_2xx_body_that_is_not_json_is_a_decode_error_keeping_the_body() {
    let transport = Arc::new(InMemoryTransport::from_responses([Ok(HttpResponse::new(
        200,
        "<html>maintenance</html>",
    ))]));
    let client = Client::new(&SERVICE, builder(&transport).build().unwrap());
    let err = list(&client, &ListRequest::new()).await.unwrap_err();
    match &err {
        SdkError::Decode { status, body, .. } => {
            assert_eq!(*status, 200);
            assert_eq!(&body[..], b"<html>maintenance</html>");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    assert_eq!(
        transport.request_count(),
        1,
        "a decode error is not retried"
    );
}

#[tokio::test]
async fn request_id_comes_from_the_header_when_sent() {
    let transport = Arc::new(InMemoryTransport::from_responses([Ok(HttpResponse::new(
        200, "{}",
    )
    .with_header("x-acs-request-id", "HDR-1"))]));
    let client = Client::new(&SERVICE, builder(&transport).build().unwrap());
    let response = list(&client, &ListRequest::new()).await.unwrap();
    assert_eq!(response.meta.request_id.as_deref(), Some("HDR-1"));
}

#[tokio::test]
async fn the_idempotency_token_is_filled_once_and_reused_across_retries() {
    let transport = Arc::new(InMemoryTransport::from_responses([
        Ok(HttpResponse::new(
            503,
            error_body("ServiceUnavailable", "R1"),
        )),
        Ok(HttpResponse::new(400, error_body("Throttling.User", "R2"))),
        ok(page_body("R3", None, &[])),
    ]));
    let client = Client::new(&SERVICE, builder(&transport).build().unwrap());
    let _: ListResponse = client
        .invoke::<_, _, ListError>(&CREATE, &ListRequest::new())
        .await
        .unwrap();

    let sent = transport.requests();
    assert_eq!(sent.len(), 3);
    let tokens: Vec<_> = sent.iter().map(|r| query_param(r, "ClientToken")).collect();
    assert_eq!(tokens[0].as_deref(), Some("nonce-0"));
    assert!(tokens.iter().all(|t| t == &tokens[0]), "{tokens:?}");
    let nonces: Vec<_> = sent
        .iter()
        .map(|r| {
            r.header("x-acs-signature-nonce")
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(nonces, ["nonce-1", "nonce-2", "nonce-3"]);
    let signatures: std::collections::HashSet<_> = sent
        .iter()
        .map(|r| r.header("authorization").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(signatures.len(), 3, "each attempt is signed anew");
}

#[tokio::test]
async fn a_token_the_caller_gave_is_kept_and_an_empty_one_is_replaced() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| ok("{}")));
    let client = Client::new(&SERVICE, builder(&transport).build().unwrap());
    let mut given = ListRequest::new();
    given.client_token = Some("caller-token".to_owned());
    let _: ListResponse = client
        .invoke::<_, _, ListError>(&CREATE, &given)
        .await
        .unwrap();
    let mut empty = ListRequest::new();
    empty.client_token = Some(String::new());
    let _: ListResponse = client
        .invoke::<_, _, ListError>(&CREATE, &empty)
        .await
        .unwrap();
    // An operation without a token declared gets none.
    list(&client, &ListRequest::new()).await.unwrap();

    let sent = transport.requests();
    assert_eq!(
        query_param(&sent[0], "ClientToken").as_deref(),
        Some("caller-token")
    );
    let filled = query_param(&sent[1], "ClientToken").unwrap_or_default();
    assert!(filled.starts_with("nonce-"), "{filled}");
    assert_eq!(sent[1].query().matches("ClientToken=").count(), 1);
    assert_eq!(query_param(&sent[2], "ClientToken"), None);
}

#[tokio::test]
async fn retries_can_be_disabled() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        Ok(HttpResponse::new(
            503,
            error_body("ServiceUnavailable", "R"),
        ))
    }));
    let client = Client::new(
        &SERVICE,
        builder(&transport)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .unwrap(),
    );
    let err = list(&client, &ListRequest::new()).await.unwrap_err();
    assert!(matches!(err, SdkError::Service(_)), "{err:?}");
    assert_eq!(transport.request_count(), 1);
}

#[tokio::test]
async fn config_and_client_debug_show_no_secret() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| ok("{}")));
    let config = builder(&transport)
        .credentials(
            Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET).with_security_token(SECURITY_TOKEN),
        )
        .build()
        .unwrap();
    let client = Client::new(&SERVICE, config);
    let shown = format!("{client:?}");
    assert!(shown.contains(ACCESS_KEY_ID), "{shown}");
    assert!(!shown.contains(ACCESS_KEY_SECRET), "{shown}");
    assert!(!shown.contains(SECURITY_TOKEN), "{shown}");
}

#[test]
fn invoke_and_paginator_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let transport = Arc::new(InMemoryTransport::from_fn(|_| ok("{}")));
    let client = Client::new(&SERVICE, builder(&transport).build().unwrap());
    let request = ListRequest::new();
    let call = list(&client, &request);
    assert_send(&call);
    let pages = acs_runtime::paginate::Paginator::<ListRequest, ListResponse, ListError>::new(
        client.clone(),
        &LIST,
        Ok(request.clone()),
    )
    .pages();
    assert_send(&pages);
}

#[tokio::test]
async fn traces_name_the_call_and_never_a_secret() {
    listen_on_every_thread();
    let buffer = LogBuffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let transport = Arc::new(InMemoryTransport::from_responses([
        Ok(HttpResponse::new(
            400,
            error_body("Throttling.User", "REQ-T1"),
        )),
        ok(page_body("REQ-T2", None, &[])),
        Ok(HttpResponse::new(
            400,
            error_body("Throttling.User", "REQ-T3"),
        )),
        ok(page_body("REQ-T4", None, &[])),
    ]));
    for version in [SignatureVersion::V3, SignatureVersion::V2] {
        let config = builder(&transport)
            .credentials(
                Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
                    .with_security_token(SECURITY_TOKEN),
            )
            .signature_version(version)
            .build()
            .unwrap();
        list(&Client::new(&SERVICE, config), &ListRequest::new())
            .await
            .unwrap();
    }

    let output = buffer.text();
    assert!(output.contains("DescribeImages"), "{output}");
    assert!(output.contains("attempt=2"), "{output}");
    assert!(output.contains("REQ-T1"), "{output}");
    assert!(output.contains("REQ-T2"), "{output}");
    assert!(output.contains("REQ-T4"), "{output}");
    assert!(output.contains("latency_ms"), "{output}");
    assert!(!output.contains(ACCESS_KEY_SECRET), "{output}");
    assert!(!output.contains(SECURITY_TOKEN), "{output}");
}

#[tokio::test]
async fn a_token_echoed_into_a_declared_field_is_blanked_in_the_anomaly() {
    let body = serde_json::json!({
        "RequestId": "ECHO",
        "TotalCount": format!("echo of {SECURITY_TOKEN}"),
        "Items": ["m-1"],
    });
    let transport = Arc::new(InMemoryTransport::from_responses([ok(body.to_string())]));
    let config = builder(&transport)
        .credentials(
            Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET).with_security_token(SECURITY_TOKEN),
        )
        .build()
        .unwrap();
    let response = list(&Client::new(&SERVICE, config), &ListRequest::new())
        .await
        .unwrap();
    assert!(!response.meta.anomalies.is_empty());
    let shown = format!("{:?} {:?}", response.meta.anomalies, response.meta);
    assert!(!shown.contains(SECURITY_TOKEN), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[tokio::test]
async fn a_clock_past_the_year_9999_fails_the_call_without_sending_it() {
    let transport = Arc::new(InMemoryTransport::from_responses([ok(page_body(
        "R",
        None,
        &[],
    ))]));
    let year_10000 =
        || std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(253_402_387_139);
    for version in [SignatureVersion::V3, SignatureVersion::V2] {
        let config = builder(&transport)
            .clock(year_10000)
            .signature_version(version)
            .build()
            .unwrap();
        let err = list(&Client::new(&SERVICE, config), &ListRequest::new())
            .await
            .unwrap_err();
        assert!(matches!(err, SdkError::Clock(_)), "{version:?}: {err:?}");
        assert!(err.to_string().contains("clock"), "{version:?}: {err}");
        assert!(!err.is_retryable(), "{err}");
    }
    assert_eq!(transport.request_count(), 0);
}
