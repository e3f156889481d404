//! The faults the gateway injects: throttling, 5xx, slow answers, truncated bodies, dropped
//! connections, HTML pages and non-JSON bodies, each as a client would meet it.

use super::*;

#[tokio::test]
async fn throttling_fault_with_and_without_retry_after() -> TestResult {
    let server = faulty_server().await?;
    server.inject(Fault::Throttling {
        status: 429,
        retry_after: Some(Duration::from_millis(1500)),
    });
    server.inject(Fault::throttling());
    assert_eq!(server.pending_faults(), 2);

    let first = send(server.addr(), &describe_images(&server)).await?;
    assert_alibaba_error(&first, 429, "Throttling.User");
    assert_eq!(
        first
            .headers
            .get("x-acs-retry-after")
            .and_then(|value| value.to_str().ok()),
        Some("1500")
    );
    let second = send(server.addr(), &describe_images(&server)).await?;
    assert_alibaba_error(&second, 400, "Throttling.User");
    assert!(second.headers.get("x-acs-retry-after").is_none());
    // The queue is empty again: the next request is answered normally.
    assert_eq!(
        send(server.addr(), &describe_images(&server)).await?.status,
        200
    );
    assert_eq!(server.pending_faults(), 0);
    let seen = server.requests();
    assert_eq!(
        seen.iter()
            .map(|request| request.fault.clone())
            .collect::<Vec<_>>(),
        vec![
            Some(Fault::Throttling {
                status: 429,
                retry_after: Some(Duration::from_millis(1500))
            }),
            Some(Fault::throttling()),
            None
        ]
    );
    Ok(())
}

#[tokio::test]
async fn service_unavailable_fault() -> TestResult {
    let server = faulty_server().await?;
    server.inject(Fault::service_unavailable());
    server.inject(Fault::ServiceUnavailable { status: 500 });
    assert_alibaba_error(
        &send(server.addr(), &describe_images(&server)).await?,
        503,
        "ServiceUnavailable",
    );
    assert_alibaba_error(
        &send(server.addr(), &describe_images(&server)).await?,
        500,
        "ServiceUnavailable",
    );
    Ok(())
}

#[tokio::test]
async fn internal_error_fault() -> TestResult {
    let server = faulty_server().await?;
    server.inject(Fault::InternalError);
    assert_alibaba_error(
        &send(server.addr(), &describe_images(&server)).await?,
        500,
        "InternalError",
    );
    Ok(())
}

#[tokio::test]
async fn slow_fault_delays_the_headers() -> TestResult {
    let server = faulty_server().await?;
    let delay = Duration::from_millis(400);
    server.inject(Fault::slow(delay));
    let started = Instant::now();
    let head = send_raw(server.addr(), &describe_images(&server)).await?;
    let waited = started.elapsed();
    assert!(waited >= delay, "headers came after {waited:?}");
    assert_eq!(head.status(), 200);

    // A client with a shorter timeout gives up.
    server.inject(Fault::slow(delay));
    let request = describe_images(&server);
    let timed = tokio::time::timeout(
        Duration::from_millis(100),
        send_raw(server.addr(), &request),
    )
    .await;
    assert!(timed.is_err(), "the slow answer arrived within 100 ms");
    Ok(())
}

#[tokio::test]
async fn truncated_body_fault_declares_more_than_it_sends() -> TestResult {
    let server = faulty_server().await?;
    server.inject(Fault::TruncatedBody);
    let head = send_raw(server.addr(), &describe_images(&server)).await?;
    assert_eq!(head.status(), 200);
    let declared: usize = head
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
        .unwrap_or(0);
    assert!(declared > 0);
    let body = head.into_body().collect().await;
    assert!(body.is_err(), "a truncated body was read whole");

    // The same fault seen on a raw socket: every byte that arrived, then the close.
    server.inject(Fault::TruncatedBody);
    let (received, read) = raw_exchange(&server, &describe_images(&server)).await?;
    read?;
    let text = String::from_utf8_lossy(&received);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let declared: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length: "))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    assert!(!body.is_empty(), "no part of the body arrived");
    assert!(body.len() < declared, "sent {} of {declared}", body.len());
    Ok(())
}

#[tokio::test]
async fn dropped_connection_fault_sends_nothing() -> TestResult {
    let server = faulty_server().await?;
    server.inject(Fault::DroppedConnection);
    let result = send_raw(server.addr(), &describe_images(&server)).await;
    assert!(
        result.is_err(),
        "a response arrived on a dropped connection"
    );

    server.inject(Fault::DroppedConnection);
    // A reset is as good as a close here; either way no byte of a response arrives.
    let (received, _) = raw_exchange(&server, &describe_images(&server)).await?;
    assert!(received.is_empty(), "received {received:?}");
    assert_eq!(server.requests().len(), 2);
    assert!(server.requests().iter().all(|request| request.verified()));
    Ok(())
}

#[tokio::test]
async fn html_error_page_fault() -> TestResult {
    let server = faulty_server().await?;
    server.inject(Fault::HtmlErrorPage);
    let answer = send(server.addr(), &describe_images(&server)).await?;
    assert_eq!(answer.status, 502);
    let content_type = answer
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(String::from_utf8_lossy(&answer.body).contains("502 Bad Gateway"));
    Ok(())
}

#[tokio::test]
async fn non_json_fault_is_a_200_that_does_not_parse() -> TestResult {
    let server = faulty_server().await?;
    server.inject(Fault::NonJson);
    let answer = send(server.addr(), &describe_images(&server)).await?;
    assert_eq!(answer.status, 200);
    assert!(serde_json::from_slice::<Value>(&answer.body).is_err());
    assert!(answer.headers.get("x-acs-request-id").is_some());
    Ok(())
}

#[tokio::test]
async fn faults_for_an_action_wait_for_that_action_and_skip_rejected_requests() -> TestResult {
    let server = faulty_server().await?;
    server.inject_for("ListImage", Fault::service_unavailable());
    // Another action passes untouched.
    assert_eq!(
        send(server.addr(), &describe_images(&server)).await?.status,
        200
    );
    assert_eq!(server.pending_faults(), 1);
    // A rejected request of the action does not take the fault.
    let bad = HandBuilt::v3(&server, "ListImage", &[], NOW).sign_v3(ACCESS_KEY_ID, "wrong");
    assert_alibaba_error(
        &send(server.addr(), &bad).await?,
        400,
        "SignatureDoesNotMatch",
    );
    assert_eq!(server.pending_faults(), 1);
    let good = HandBuilt::v3(&server, "ListImage", &[], NOW).sign_v3(ACCESS_KEY_ID, SECRET);
    assert_alibaba_error(
        &send(server.addr(), &good).await?,
        503,
        "ServiceUnavailable",
    );
    assert_eq!(server.pending_faults(), 0);
    Ok(())
}
