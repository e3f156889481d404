//! The default transport and the client's guards around any transport, against tiny servers on
//! 127.0.0.1: redirects, the `Content-Length` of an empty POST, the response body limit, attempt
//! and operation timeouts, and which failures a call that is not safe to repeat is retried after.
#![cfg(feature = "hyper")]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::*;
use acs_runtime::credentials::Credentials;
use acs_runtime::http::TransportErrorKind;
use acs_runtime::{Client, Config, ConfigBuilder, SdkError, TimeoutConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What a test server does with one request it has read.
#[derive(Clone)]
enum Answer {
    /// Writes these bytes, then closes.
    Bytes(Vec<u8>),
    /// Closes the connection without a word.
    Drop,
    /// Writes `head`, then `body` one byte every `every`.
    Trickle {
        head: String,
        body: Vec<u8>,
        every: Duration,
    },
}

/// One request as it arrived: the head as sent (request line and headers) and the body.
#[derive(Debug, Clone)]
struct Received {
    head: String,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }
}

/// A server on 127.0.0.1 that answers the `n`th request with `answer(n)` and records them all.
struct Server {
    url: String,
    authority: String,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    async fn start(answer: impl Fn(usize) -> Answer + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let authority = listener.local_addr().unwrap().to_string();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        let answer = Arc::new(answer);
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let log = log.clone();
                let answer = answer.clone();
                tokio::spawn(async move { serve(socket, log, answer).await });
            }
        });
        Server {
            url: format!("http://{authority}"),
            authority,
            received,
            task,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut socket: TcpStream,
    log: Arc<Mutex<Vec<Received>>>,
    answer: Arc<dyn Fn(usize) -> Answer + Send + Sync>,
) {
    // Every answer closes the connection: one request per connection.
    let Some(request) = read_request(&mut socket).await else {
        return;
    };
    let index = {
        let mut log = log.lock().unwrap();
        log.push(request);
        log.len() - 1
    };
    match answer(index) {
        Answer::Bytes(bytes) => {
            let _ = socket.write_all(&bytes).await;
            let _ = socket.shutdown().await;
        }
        Answer::Drop => {}
        Answer::Trickle { head, body, every } => {
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for byte in body {
                tokio::time::sleep(every).await;
                if socket.write_all(&[byte]).await.is_err() {
                    return;
                }
            }
            let _ = socket.shutdown().await;
        }
    }
}

async fn read_request(socket: &mut TcpStream) -> Option<Received> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut request = Received {
        head,
        body: Vec::new(),
    };
    let length: usize = request
        .header("content-length")
        .and_then(|value| value.parse().ok())
        .unwrap_or(0);
    let mut body = data[head_end + 4..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    request.body = body;
    Some(request)
}

fn response(status: &str, headers: &[(&str, String)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nconnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn ok_page() -> Answer {
    Answer::Bytes(response(
        "200 OK",
        &[("content-type", "application/json".to_owned())],
        page_body("LOCAL", None, &["m-1"]).as_bytes(),
    ))
}

/// A config over the default transport, pointed at `url`, with an STS token. Its connect and read
/// limits are ones no busy machine reaches on loopback: a test about a limit sets that limit
/// itself, and no other test's verdict depends on how fast the local server is scheduled.
fn config(url: &str) -> ConfigBuilder {
    Config::builder()
        .credentials(
            Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET).with_security_token(SECURITY_TOKEN),
        )
        .endpoint(url)
        .connect_timeout(Duration::from_secs(600))
        .read_timeout(Duration::from_secs(600))
        .retry_policy(fast_retries())
}

fn client(builder: ConfigBuilder) -> Client {
    Client::new(&SERVICE, builder.build().unwrap())
}

async fn list(client: &Client) -> Result<ListResponse, SdkError<ListError>> {
    client.invoke(&LIST, &ListRequest::new()).await
}

async fn delete(client: &Client) -> Result<ListResponse, SdkError<ListError>> {
    client.invoke(&DELETE, &ListRequest::new()).await
}

/// The transport error at the end of `err`, looking through retries.
fn transport_error(err: &SdkError<ListError>) -> &acs_runtime::http::TransportError {
    match err.last_error() {
        SdkError::Transport(transport) => transport,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed_with_either_signature() {
    for version in [
        acs_runtime::sign::SignatureVersion::V3,
        acs_runtime::sign::SignatureVersion::V2,
    ] {
        let (elsewhere, signed_for) = redirected_elsewhere(
            "307 Temporary Redirect",
            &format!("/collect?SecurityToken={SECURITY_TOKEN}&next=1"),
        )
        .await;
        let err = list(&client(config(&signed_for.url).signature_version(version)))
            .await
            .unwrap_err();

        assert_nothing_reached(&elsewhere);
        assert_eq!(signed_for.received().len(), 1, "a redirect is not retried");
        let transport = transport_error(&err);
        assert_eq!(transport.kind(), TransportErrorKind::Redirect, "{err}");
        assert!(!transport.is_retryable());
        let shown = format!("{err} {err:?}");
        assert!(shown.contains(&elsewhere.authority), "{shown}");
        assert!(shown.contains(&signed_for.authority), "{shown}");
        assert!(!shown.contains(SECURITY_TOKEN), "{shown}");
    }
}

/// Two servers: one that answers, and one (the host a request is signed for) that redirects
/// everything with `status` (such as `302 Found`) to `path` on the first.
async fn redirected_elsewhere(status: &'static str, path: &str) -> (Server, Server) {
    let elsewhere = Server::start(|_| ok_page()).await;
    let target = format!("{}{path}", elsewhere.url);
    let signed_for = Server::start(move |_| {
        Answer::Bytes(response(status, &[("location", target.clone())], b""))
    })
    .await;
    (elsewhere, signed_for)
}

/// No request reached `server`.
fn assert_nothing_reached(server: &Server) {
    let received = server.received();
    assert!(received.is_empty(), "the other host got {received:?}");
}

#[cfg(feature = "reqwest")]
#[tokio::test]
async fn a_transport_from_a_caller_builder_follows_no_redirect_and_sends_no_referer() {
    let (elsewhere, signed_for) = redirected_elsewhere("302 Found", "/").await;
    // A builder that asks for redirects to be followed, as reqwest's default does.
    let builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::limited(10))
        .referer(true);
    let transport = acs_runtime::http::ReqwestTransport::from_builder(builder).unwrap();
    let err = list(&client(
        config(&signed_for.url)
            .transport(Arc::new(transport))
            .signature_version(acs_runtime::sign::SignatureVersion::V2),
    ))
    .await
    .unwrap_err();
    assert_nothing_reached(&elsewhere);
    assert_eq!(transport_error(&err).kind(), TransportErrorKind::Redirect);
}

#[tokio::test]
async fn an_empty_post_says_content_length_zero() {
    let server = Server::start(|_| ok_page()).await;
    let response = list(&client(config(&server.url))).await.unwrap();
    assert_eq!(response.items, ["m-1"]);
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(
        received[0].head.starts_with("POST /?"),
        "{}",
        received[0].head
    );
    assert!(received[0].body.is_empty());
    assert_eq!(
        received[0].header("content-length").as_deref(),
        Some("0"),
        "{}",
        received[0].head
    );
}

#[tokio::test]
async fn a_post_with_a_body_keeps_its_own_length() {
    let server = Server::start(|_| ok_page()).await;
    let mut request = ListRequest::new();
    request.description = Some("hello".to_owned());
    let _: ListResponse = client(config(&server.url))
        .invoke::<_, _, ListError>(&LIST, &request)
        .await
        .unwrap();
    let received = server.received();
    assert_eq!(received[0].body, b"Description=hello");
    assert_eq!(received[0].header("content-length").as_deref(), Some("17"));
}

#[tokio::test]
async fn a_body_announced_over_the_limit_fails_before_it_is_read_and_is_not_retried() {
    // The head promises 10 MB and sends none of it: a transport that read it would wait.
    let server = Server::start(|_| {
        Answer::Bytes(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10000000\r\n\r\n"
                .as_bytes()
                .to_vec(),
        )
    })
    .await;
    let err = list(&client(config(&server.url).max_response_body(1024 * 1024)))
        .await
        .unwrap_err();
    let transport = transport_error(&err);
    assert_eq!(transport.kind(), TransportErrorKind::BodyTooLarge, "{err}");
    let shown = err.to_string();
    assert!(shown.contains("1048576"), "{shown}");
    assert!(shown.contains("10000000"), "{shown}");
    assert!(shown.contains("max_response_body"), "{shown}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_streamed_body_over_the_limit_stops_at_the_limit() {
    // A 503 whose chunked body (no Content-Length) is four times the limit.
    let server = Server::start(|_| {
        let mut bytes = b"HTTP/1.1 503 Service Unavailable\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n".to_vec();
        for _ in 0..64 {
            let chunk = vec![b'x'; 4096];
            bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            bytes.extend_from_slice(&chunk);
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(b"0\r\n\r\n");
        Answer::Bytes(bytes)
    })
    .await;
    let err = list(&client(config(&server.url).max_response_body(64 * 1024)))
        .await
        .unwrap_err();
    assert_body_too_large(&err);
    assert!(err.to_string().len() < 1024, "{err}");
    assert_eq!(
        server.received().len(),
        1,
        "an oversized 503 is not retried"
    );
}

#[tokio::test]
async fn a_body_over_the_limit_from_another_transport_is_refused_too() {
    let transport = Arc::new(acs_runtime::http::InMemoryTransport::from_fn(|_| {
        Ok(acs_runtime::http::HttpResponse::new(
            200,
            page_body("R", None, &["m-1"]).repeat(100),
        ))
    }));
    let err = client(builder(&transport).max_response_body(1000))
        .invoke::<_, ListResponse, ListError>(&LIST, &ListRequest::new())
        .await
        .unwrap_err();
    assert_body_too_large(&err);
    assert_eq!(transport.request_count(), 1);
}

/// `err` is the refusal of a body over the limit.
fn assert_body_too_large(err: &SdkError<ListError>) {
    assert_eq!(
        transport_error(err).kind(),
        TransportErrorKind::BodyTooLarge,
        "{err}"
    );
}

fn trickle() -> Answer {
    let body = page_body("SLOW", None, &[]).into_bytes();
    Answer::Trickle {
        head: format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        ),
        body,
        every: Duration::from_millis(50),
    }
}

/// The error of a list call to `server` with `timeouts` and up to `attempts` quick attempts.
async fn list_failing_within(
    server: &Server,
    timeouts: TimeoutConfig,
    attempts: u32,
) -> SdkError<ListError> {
    list(&client(
        config(&server.url)
            .timeouts(timeouts)
            .retry_policy(fast_retries().with_max_attempts(attempts)),
    ))
    .await
    .unwrap_err()
}

#[tokio::test]
async fn a_trickling_body_is_cut_off_by_the_attempt_timeout() {
    // Every read is quick (a byte every 50 ms, far under the read limit); the whole body takes
    // seconds, longer than the attempt limit on any machine.
    let server = Server::start(|_| trickle()).await;
    let timeouts = TimeoutConfig::default().with_attempt_timeout(Some(Duration::from_millis(200)));
    let err = list_failing_within(&server, timeouts, 2).await;
    let transport = transport_error(&err);
    assert_eq!(transport.kind(), TransportErrorKind::Timeout, "{err}");
    assert!(err.to_string().contains("200 ms"), "{err}");
    assert!(
        matches!(err, SdkError::RetriesExhausted { attempts: 2, .. }),
        "a read-only call is retried after a timeout: {err:?}"
    );
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn the_operation_timeout_bounds_every_attempt_and_backoff() {
    let server = Server::start(|_| trickle()).await;
    let timeouts =
        TimeoutConfig::disabled().with_operation_timeout(Some(Duration::from_millis(300)));
    let err = list_failing_within(&server, timeouts, 10).await;
    match &err {
        SdkError::OperationTimeout { limit, attempts } => {
            assert_eq!(*limit, Duration::from_millis(300));
            assert_eq!(*attempts, 1);
        }
        other => panic!("expected an operation timeout, got {other:?}"),
    }
    assert!(err.to_string().contains("300 ms"), "{err}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn timeouts_can_be_changed_for_some_calls() {
    let server = Server::start(|_| trickle()).await;
    let patient = client(config(&server.url).retry_policy(fast_retries().with_max_attempts(1)));
    let hasty = patient.with_timeouts(
        TimeoutConfig::default().with_operation_timeout(Some(Duration::from_millis(100))),
    );
    assert_eq!(
        hasty.config().timeouts().operation_timeout(),
        Some(Duration::from_millis(100))
    );
    assert_eq!(patient.config().timeouts(), TimeoutConfig::default());
    assert!(
        Arc::ptr_eq(patient.config().transport(), hasty.config().transport()),
        "the connection pool is shared"
    );
    let from_config = Client::new(
        &SERVICE,
        patient.config().with_timeouts(
            TimeoutConfig::disabled().with_operation_timeout(Some(Duration::from_millis(100))),
        ),
    );
    assert!(matches!(
        list(&from_config).await,
        Err(SdkError::OperationTimeout { .. })
    ));
    let err = list(&hasty).await.unwrap_err();
    assert!(matches!(err, SdkError::OperationTimeout { .. }), "{err:?}");
    // The client it came from still waits for the whole body.
    let response = list(&patient).await.unwrap();
    assert_eq!(response.meta.request_id.as_deref(), Some("SLOW"));
}

#[tokio::test]
async fn a_write_whose_connection_drops_after_the_request_is_sent_once() {
    let server = Server::start(|_| Answer::Drop).await;
    let err = delete(&client(config(&server.url))).await.unwrap_err();
    assert_eq!(server.received().len(), 1, "the service got the write once");
    assert!(
        matches!(err, SdkError::Transport(_)),
        "the caller gets the failure itself: {err:?}"
    );
    assert_eq!(transport_error(&err).kind(), TransportErrorKind::Io);
}

#[tokio::test]
async fn a_read_only_call_whose_connection_drops_is_retried() {
    let server = Server::start(|n| if n < 2 { Answer::Drop } else { ok_page() }).await;
    let response = list(&client(config(&server.url))).await.unwrap();
    assert_eq!(response.items, ["m-1"]);
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn a_write_that_timed_out_is_not_sent_again() {
    let server = Server::start(|_| trickle()).await;
    let timeouts = TimeoutConfig::default().with_attempt_timeout(Some(Duration::from_millis(150)));
    let err = delete(&client(config(&server.url).timeouts(timeouts)))
        .await
        .unwrap_err();
    assert_eq!(transport_error(&err).kind(), TransportErrorKind::Timeout);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_write_is_retried_when_it_cannot_have_arrived_or_the_service_refused_it() {
    // Nothing listens: every attempt fails to connect, so each may be sent again.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = delete(&client(config(&url))).await.unwrap_err();
    assert!(
        matches!(err, SdkError::RetriesExhausted { attempts: 3, .. }),
        "{err:?}"
    );
    assert_eq!(transport_error(&err).kind(), TransportErrorKind::Connect);

    // The service answered with throttling, then with success: it did no work the first time.
    let server = Server::start(|n| {
        if n == 0 {
            Answer::Bytes(response(
                "400 Bad Request",
                &[("content-type", "application/json".to_owned())],
                error_body("Throttling.User", "T1").as_bytes(),
            ))
        } else {
            ok_page()
        }
    })
    .await;
    let response = delete(&client(config(&server.url))).await.unwrap();
    assert_eq!(response.items, ["m-1"]);
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_write_behind_a_gateway_that_failed_is_not_sent_again() {
    // A 502 page with no Alibaba error in it: the gateway may have passed the request on.
    let server = Server::start(|_| {
        Answer::Bytes(response(
            "502 Bad Gateway",
            &[("content-type", "text/html".to_owned())],
            b"<html>502 Bad Gateway</html>",
        ))
    })
    .await;
    let err = delete(&client(config(&server.url))).await.unwrap_err();
    assert!(matches!(err, SdkError::Service(_)), "{err:?}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_write_with_an_idempotency_token_is_retried_with_the_same_token() {
    let server = Server::start(|n| if n < 2 { Answer::Drop } else { ok_page() }).await;
    let _: ListResponse = client(config(&server.url))
        .invoke::<_, _, ListError>(&CREATE, &ListRequest::new())
        .await
        .unwrap();
    let received = server.received();
    assert_eq!(received.len(), 3);
    let token = |request: &Received| {
        let line = request.head.lines().next().unwrap_or_default().to_owned();
        line.split(['?', '&', ' '])
            .find(|pair| pair.starts_with("ClientToken="))
            .map(str::to_owned)
    };
    assert!(token(&received[0]).is_some(), "{}", received[0].head);
    assert!(received.iter().all(|r| token(r) == token(&received[0])));
}

/// A default transport that sends everything through the proxy at `proxy`, with the user
/// `user` and password `pass`.
fn through_proxy(proxy: &Server) -> Arc<acs_runtime::http::HyperTransport> {
    let url = format!("http://user:pass@{}", proxy.authority);
    let transport = acs_runtime::http::HyperTransport::builder()
        .connect_timeout(Duration::from_secs(600))
        .read_timeout(Duration::from_secs(600))
        .proxy(url)
        .build()
        .unwrap();
    Arc::new(transport)
}

#[tokio::test]
async fn an_http_request_goes_to_the_proxy_whole_with_its_credentials() {
    let proxy = Server::start(|_| ok_page()).await;
    // `.invalid` never resolves: only the proxy can have answered.
    let response = list(&client(
        config("http://ecs.example.invalid").transport(through_proxy(&proxy)),
    ))
    .await
    .unwrap();
    assert_eq!(response.items, ["m-1"]);
    let received = proxy.received();
    assert_eq!(received.len(), 1);
    assert!(
        received[0]
            .head
            .starts_with("POST http://ecs.example.invalid/?"),
        "{}",
        received[0].head
    );
    assert_eq!(
        received[0].header("proxy-authorization").as_deref(),
        Some("Basic dXNlcjpwYXNz"),
        "{}",
        received[0].head
    );
    assert_eq!(
        received[0].header("host").as_deref(),
        Some("ecs.example.invalid")
    );
}

#[tokio::test]
async fn an_https_request_asks_the_proxy_for_a_tunnel_and_shows_it_nothing_else() {
    // A proxy that refuses the tunnel: the request never leaves the client.
    let proxy = Server::start(|_| Answer::Bytes(response("403 Forbidden", &[], b""))).await;
    let err = list(&client(
        config("https://ecs.example.invalid").transport(through_proxy(&proxy)),
    ))
    .await
    .unwrap_err();
    assert_eq!(transport_error(&err).kind(), TransportErrorKind::Connect);
    let received = proxy.received();
    assert!(!received.is_empty());
    for request in &received {
        assert!(
            request
                .head
                .starts_with("CONNECT ecs.example.invalid:443 HTTP/1.1"),
            "{}",
            request.head
        );
        assert_eq!(
            request.header("proxy-authorization").as_deref(),
            Some("Basic dXNlcjpwYXNz")
        );
        assert!(!request.head.contains("Signature"), "{}", request.head);
        assert!(!request.head.contains(SECURITY_TOKEN), "{}", request.head);
    }
}

#[tokio::test]
async fn a_transport_without_proxies_connects_straight_to_the_host() {
    let server = Server::start(|_| ok_page()).await;
    let transport = acs_runtime::http::HyperTransport::builder()
        .connect_timeout(Duration::from_secs(600))
        .read_timeout(Duration::from_secs(600))
        .no_proxy()
        .build()
        .unwrap();
    list(&client(config(&server.url).transport(Arc::new(transport))))
        .await
        .unwrap();
    let received = server.received();
    assert!(
        received[0].head.starts_with("POST /?"),
        "{}",
        received[0].head
    );
    let request_line = received[0].head.lines().next().unwrap_or_default();
    assert!(request_line.ends_with(" HTTP/1.1"), "{request_line}");
}

#[tokio::test]
async fn a_body_that_stops_arriving_ends_with_the_read_limit() {
    let body = page_body("LOCAL", None, &["m-1"]).into_bytes();
    let head = format!(
        "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
        body.len() + 1
    );
    // The head and the body arrive, then nothing more of the byte the length promises.
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&body);
    let server = Server::start(move |_| Answer::Trickle {
        head: String::from_utf8_lossy(&bytes).into_owned(),
        body: vec![b' '],
        every: Duration::from_secs(3600),
    })
    .await;
    let err = list(&client(
        config(&server.url)
            .read_timeout(Duration::from_millis(200))
            .retry_policy(fast_retries().with_max_attempts(1)),
    ))
    .await
    .unwrap_err();
    let transport = transport_error(&err);
    assert_eq!(transport.kind(), TransportErrorKind::Timeout, "{transport}");
}
