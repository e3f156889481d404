//! Retries: what is retried, how long the client waits, and what it gives up with. In-memory
//! transport with paused time, and a tiny server on 127.0.0.1 for real timeouts and drops.

use std::sync::Arc;
#[cfg(feature = "hyper")]
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::support::*;
use acs_runtime::http::{HttpResponse, InMemoryTransport, TransportError, TransportErrorKind};
use acs_runtime::retry::RetryPolicy;
use acs_runtime::{Client, Operation, SdkError};
#[cfg(feature = "hyper")]
use tokio::io::{AsyncReadExt, AsyncWriteExt};
#[cfg(feature = "hyper")]
use tokio::net::TcpListener;

async fn list(client: &Client) -> Result<ListResponse, SdkError<ListError>> {
    client.invoke(&LIST, &ListRequest::new()).await
}

fn client_over(transport: &Arc<InMemoryTransport>) -> Client {
    Client::new(&SERVICE, builder(transport).build().unwrap())
}

fn service_error(status: u16, code: &str) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse::new(status, error_body(code, "REQ")))
}

#[tokio::test(start_paused = true)]
async fn throttling_then_success() {
    let transport = Arc::new(InMemoryTransport::from_responses([
        service_error(400, "Throttling.User"),
        ok(page_body("R2", None, &["m-1"])),
    ]));
    let response = list(&client_over(&transport)).await.unwrap();
    assert_eq!(response.items, ["m-1"]);
    assert_eq!(transport.request_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn service_unavailable_then_success() {
    let transport = Arc::new(InMemoryTransport::from_responses([
        service_error(503, "ServiceUnavailable"),
        service_error(500, "InternalError"),
        ok(page_body("R3", None, &[])),
    ]));
    let response = list(&client_over(&transport)).await.unwrap();
    assert_eq!(response.meta.request_id.as_deref(), Some("R3"));
    assert_eq!(transport.request_count(), 3);
}

#[tokio::test(start_paused = true)]
async fn retries_exhausted_keeps_the_last_error() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        service_error(503, "ServiceUnavailable")
    }));
    let err = list(&client_over(&transport)).await.unwrap_err();
    match &err {
        SdkError::RetriesExhausted { attempts, last } => {
            assert_eq!(*attempts, 3);
            assert!(matches!(**last, SdkError::Service(ListError::Unhandled(_))));
        }
        other => panic!("expected retries exhausted, got {other:?}"),
    }
    let service = err.as_service_error().unwrap();
    assert_eq!(
        acs_runtime::OperationError::service_error(service).code(),
        "ServiceUnavailable"
    );
    assert_eq!(err.request_id(), Some("REQ"));
    let shown = err.to_string();
    assert!(shown.contains("gave up after 3 attempts"), "{shown}");
    assert!(shown.contains("ServiceUnavailable"), "{shown}");
    assert_eq!(transport.request_count(), 3);
}

#[tokio::test(start_paused = true)]
async fn max_attempts_is_configurable() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        service_error(429, "Throttling")
    }));
    let config = builder(&transport)
        .retry_policy(fast_retries().with_max_attempts(5))
        .build()
        .unwrap();
    let err = list(&Client::new(&SERVICE, config)).await.unwrap_err();
    assert!(
        matches!(err, SdkError::RetriesExhausted { attempts: 5, .. }),
        "{err:?}"
    );
    assert_eq!(transport.request_count(), 5);
}

#[tokio::test(start_paused = true)]
async fn a_client_error_is_never_retried() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        service_error(400, "InvalidParameter.PageSize")
    }));
    let err = list(&client_over(&transport)).await.unwrap_err();
    assert!(
        matches!(err, SdkError::Service(ListError::InvalidParameter(_))),
        "{err:?}"
    );
    assert_eq!(transport.request_count(), 1);
}

async fn send(
    client: &Client,
    op: &'static Operation,
) -> Result<ListResponse, SdkError<ListError>> {
    client.invoke(op, &ListRequest::new()).await
}

/// Server errors that do not say the work was not done: the service's own (`InternalError`,
/// `ServiceUnavailable`, with or without a 5xx status), and a proxy's page with no code.
fn server_errors() -> Vec<(&'static str, HttpResponse)> {
    let coded = |status, code| HttpResponse::new(status, error_body(code, "REQ"));
    vec![
        ("InternalError 500", coded(500, "InternalError")),
        ("ServiceUnavailable 503", coded(503, "ServiceUnavailable")),
        ("ServiceUnavailable 500", coded(500, "ServiceUnavailable")),
        ("InternalError.Busy 500", coded(500, "InternalError.Busy")),
        (
            "a 502 page with no code",
            HttpResponse::new(502, "<html>502 Bad Gateway</html>"),
        ),
    ]
}

#[tokio::test(start_paused = true)]
async fn a_write_without_a_token_is_sent_once_after_a_server_error() {
    for (label, answer) in server_errors() {
        let transport = Arc::new(InMemoryTransport::from_fn(move |_| Ok(answer.clone())));
        let err = send(&client_over(&transport), &DELETE).await.unwrap_err();
        assert_eq!(
            transport.request_count(),
            1,
            "{label}: the write reached the server more than once"
        );
        assert!(
            matches!(err, SdkError::Service(_)),
            "{label}: the caller gets the answer itself: {err:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn a_write_without_a_token_is_sent_again_after_a_refusal_for_its_rate() {
    let refusals = [
        ("Throttling 400", service_error(400, "Throttling")),
        ("Throttling.User 400", service_error(400, "Throttling.User")),
        ("Throttling.Api 400", service_error(400, "Throttling.Api")),
        ("Throttling.User 429", service_error(429, "Throttling.User")),
        ("a bare 429", Ok(HttpResponse::new(429, ""))),
        (
            "ServiceUnavailable 503 with a wait asked for",
            Ok(
                HttpResponse::new(503, error_body("ServiceUnavailable", "R1"))
                    .with_header("x-acs-retry-after", "100"),
            ),
        ),
    ];
    for (label, refusal) in refusals {
        let transport = Arc::new(InMemoryTransport::from_responses([
            refusal,
            ok(page_body("R2", None, &["m-1"])),
        ]));
        let response = send(&client_over(&transport), &DELETE)
            .await
            .unwrap_or_else(|err| panic!("{label}: {err:?}"));
        assert_eq!(response.items, ["m-1"], "{label}");
        assert_eq!(transport.request_count(), 2, "{label}");
    }
}

#[tokio::test(start_paused = true)]
async fn reads_and_writes_with_a_token_are_sent_again_after_a_server_error() {
    for op in [&LIST, &CREATE] {
        for (label, answer) in server_errors() {
            let transport = Arc::new(InMemoryTransport::from_responses([
                Ok(answer),
                ok(page_body("R2", None, &["m-1"])),
            ]));
            let response = send(&client_over(&transport), op)
                .await
                .unwrap_or_else(|err| panic!("{} after {label}: {err:?}", op.action));
            assert_eq!(response.items, ["m-1"]);
            assert_eq!(transport.request_count(), 2, "{} after {label}", op.action);
        }
    }
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_waited_for() {
    let transport = Arc::new(InMemoryTransport::from_responses([
        Ok(HttpResponse::new(400, error_body("Throttling.Api", "R1"))
            .with_header("x-acs-retry-after", "1500")),
        ok(page_body("R2", None, &[])),
    ]));
    let started = tokio::time::Instant::now();
    list(&client_over(&transport)).await.unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1500) && waited < Duration::from_millis(1600),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn backoff_grows_with_jitter_under_the_ceiling() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        service_error(503, "ServiceUnavailable")
    }));
    let policy = RetryPolicy::default()
        .with_max_attempts(4)
        .with_initial_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_secs(10))
        .with_jitter_seed(3);
    let config = builder(&transport).retry_policy(policy).build().unwrap();
    let started = tokio::time::Instant::now();
    let _ = list(&Client::new(&SERVICE, config)).await.unwrap_err();
    // Three waits, each at most 100, 200 and 400 ms.
    assert!(
        started.elapsed() <= Duration::from_millis(700),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(transport.request_count(), 4);
}

#[tokio::test(start_paused = true)]
async fn a_wait_past_the_time_budget_gives_up_at_once() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        Ok(HttpResponse::new(400, error_body("Throttling.User", "R"))
            .with_header("x-acs-retry-after", "5000"))
    }));
    let config = builder(&transport)
        .retry_policy(fast_retries().with_time_budget(Some(Duration::from_secs(1))))
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let err = list(&Client::new(&SERVICE, config)).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(10),
        "no pointless sleep"
    );
    match &err {
        SdkError::TimeBudgetSpent { attempts, last, .. } => {
            assert_eq!(*attempts, 1);
            assert!(matches!(**last, SdkError::Service(_)));
        }
        other => panic!("expected the budget to be spent, got {other:?}"),
    }
    assert!(err.to_string().contains("time budget"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn transport_failures_are_retried() {
    let url = "https://ecs.cn-hangzhou.aliyuncs.com/";
    let transport = Arc::new(InMemoryTransport::from_responses([
        Err(TransportError::new(
            TransportErrorKind::Connect,
            url,
            "connection refused",
        )),
        Err(TransportError::new(
            TransportErrorKind::Timeout,
            url,
            "read timed out",
        )),
        ok(page_body("R", None, &[])),
    ]));
    list(&client_over(&transport)).await.unwrap();
    assert_eq!(transport.request_count(), 3);
}

/// What the local server does with each connection, in order (the last repeats).
#[cfg(feature = "hyper")]
#[derive(Clone, Copy)]
enum Behaviour {
    /// Reads the request and never answers.
    Hang,
    /// Reads the request and closes the connection.
    Drop,
    /// Answers 200 with a small JSON body.
    Answer,
}

/// A server on 127.0.0.1 (OS-picked port) that treats connections as `script` says; returns
/// its URL, a connection counter and the task to abort.
#[cfg(feature = "hyper")]
async fn local_server(
    script: Vec<Behaviour>,
) -> (String, Arc<AtomicUsize>, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = connections.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let index = counter.fetch_add(1, Ordering::SeqCst);
            let behaviour = script[index.min(script.len() - 1)];
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut chunk = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&chunk[..n]),
                    }
                }
                match behaviour {
                    Behaviour::Hang => tokio::time::sleep(Duration::from_secs(30)).await,
                    Behaviour::Drop => drop(socket),
                    Behaviour::Answer => {
                        let body = page_body("LOCAL", None, &["m-1"]);
                        let head = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = socket.write_all(head.as_bytes()).await;
                        let _ = socket.write_all(body.as_bytes()).await;
                        let _ = socket.shutdown().await;
                    }
                }
            });
        }
    });
    (url, connections, task)
}

/// Connect and read limits that no machine, however busy, reaches on loopback.
#[cfg(feature = "hyper")]
const PATIENT: Duration = Duration::from_secs(600);

/// A client over the default transport pointed at `url`, waiting up to `read_timeout`
/// for data. Tests that are not about the read limit give one no busy machine reaches, so that
/// their verdict never depends on how fast the local server is scheduled.
#[cfg(feature = "hyper")]
fn real_client(url: &str, attempts: u32, read_timeout: Duration) -> Client {
    let config = acs_runtime::Config::builder()
        .credentials(acs_runtime::credentials::Credentials::new(
            ACCESS_KEY_ID,
            ACCESS_KEY_SECRET,
        ))
        .endpoint(url)
        .connect_timeout(PATIENT)
        .read_timeout(read_timeout)
        .retry_policy(fast_retries().with_max_attempts(attempts))
        .build()
        .unwrap();
    Client::new(&SERVICE, config)
}

#[cfg(feature = "hyper")]
#[tokio::test]
async fn a_read_timeout_is_retried_then_reported() {
    let (url, connections, server) = local_server(vec![Behaviour::Hang]).await;
    // The server holds the connection open without a byte for 30 s and then drops it: an error
    // of kind `Timeout` (not `Io`) shows the read limit ended the wait, however slow the machine.
    let err = list(&real_client(&url, 2, Duration::from_millis(200)))
        .await
        .unwrap_err();
    server.abort();
    match &err {
        SdkError::RetriesExhausted { attempts: 2, last } => match &**last {
            SdkError::Transport(transport) => {
                assert_eq!(transport.kind(), TransportErrorKind::Timeout, "{transport}");
                assert!(transport.to_string().contains("timed out"), "{transport}");
            }
            other => panic!("expected a transport error, got {other:?}"),
        },
        other => panic!("expected retries exhausted, got {other:?}"),
    }
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[cfg(feature = "hyper")]
#[tokio::test]
async fn a_dropped_connection_is_retried_and_the_retry_succeeds() {
    let (url, connections, server) = local_server(vec![Behaviour::Drop, Behaviour::Answer]).await;
    let response = list(&real_client(&url, 3, PATIENT)).await;
    server.abort();
    let response = response.unwrap();
    assert_eq!(response.items, ["m-1"]);
    assert_eq!(response.meta.request_id.as_deref(), Some("LOCAL"));
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[cfg(feature = "hyper")]
#[tokio::test]
async fn a_dropped_connection_is_an_io_error() {
    let (url, _, server) = local_server(vec![Behaviour::Drop]).await;
    let err = list(&real_client(&url, 1, PATIENT)).await.unwrap_err();
    server.abort();
    match err {
        SdkError::Transport(transport) => {
            assert_eq!(transport.kind(), TransportErrorKind::Io, "{transport}");
            assert!(transport.is_retryable());
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[cfg(feature = "hyper")]
#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = list(&real_client(&url, 1, PATIENT)).await.unwrap_err();
    match err {
        SdkError::Transport(transport) => {
            assert_eq!(transport.kind(), TransportErrorKind::Connect, "{transport}");
            assert!(transport.to_string().contains("127.0.0.1"), "{transport}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}
