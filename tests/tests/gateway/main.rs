//! Tests of the local gateway itself: its signature verifiers against published vectors
//! (`vectors`), and its behaviour over loopback with requests built and signed by hand: what it
//! verifies and refuses (`requests`), the faults it injects (`faults`), and how it stops
//! (`lifecycle`).
//!
//! One test binary; the hand-built requests and what they are sent with are here, the tests in
//! a module per subject.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use acs_test_gateway::signature::v3::{self, Authorization, RequestParts, V3Error};
use acs_test_gateway::signature::{percent_encode, v2};
use acs_test_gateway::{Clock, Fault, Response, SignatureKind, TestServer, Verdict};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

mod faults;
mod lifecycle;
mod requests;
mod vectors;

const ACCESS_KEY_ID: &str = "LTAI-test-id";
const SECRET: &str = "test-secret-value";
const NOW: &str = "2024-05-01T08:00:00Z";

fn now() -> time::OffsetDateTime {
    time::macros::datetime!(2024-05-01 08:00:00 UTC)
}

async fn server() -> Result<TestServer, acs_test_gateway::StartError> {
    TestServer::builder()
        .credential(ACCESS_KEY_ID, SECRET)
        .clock(Clock::fixed(now()))
        .start()
        .await
}

/// [`server`], answering `DescribeImages` with an empty object.
async fn describe_images_server() -> Result<TestServer, acs_test_gateway::StartError> {
    let server = server().await?;
    server.respond("DescribeImages", 200, json!({}));
    Ok(server)
}

/// A request built and signed by hand, the way an SDK would.
#[derive(Clone)]
struct HandBuilt {
    method: &'static str,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl HandBuilt {
    /// A V3 request for `action` with `query`, dated `date`, with a nonce of its own.
    fn v3(server: &TestServer, action: &str, query: &[(&str, &str)], date: &str) -> Self {
        Self {
            method: "POST",
            query: pairs(query),
            headers: pairs(&[
                ("host", &server.host()),
                ("x-acs-action", action),
                ("x-acs-version", "2014-05-26"),
                ("x-acs-date", date),
                (
                    "x-acs-signature-nonce",
                    &format!("{:032x}", fastrand::u128(..)),
                ),
            ]),
            body: Bytes::new(),
        }
    }

    fn form_body(mut self, form: &str) -> Self {
        self.body = Bytes::from(form.to_owned());
        self.headers.push((
            "content-type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        ));
        self
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds `x-acs-content-sha256` and an `Authorization` signing every header but
    /// `content-type`.
    fn sign_v3(mut self, access_key_id: &str, secret: &str) -> Self {
        self.headers.push((
            "x-acs-content-sha256".to_owned(),
            v3::hex_sha256(&self.body),
        ));
        let signed: Vec<String> = self
            .headers
            .iter()
            .map(|(name, _)| name.clone())
            .filter(|name| name != "content-type")
            .collect();
        let parts = RequestParts {
            method: self.method,
            path: "/",
            query: &self.query,
            headers: &self.headers,
            body: &self.body,
        };
        match v3::authorization_header(&parts, access_key_id, secret, &signed) {
            Ok(value) => self.header("authorization", &value),
            Err(error) => panic!("could not sign the hand-built request: {error}"),
        }
    }

    fn set_header(mut self, name: &str, value: &str) -> Self {
        for (existing, old) in &mut self.headers {
            if existing == name {
                *old = value.to_owned();
            }
        }
        self
    }

    fn uri(&self) -> String {
        let query: Vec<String> = self
            .query
            .iter()
            .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
            .collect();
        if query.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{}", query.join("&"))
        }
    }

    fn to_http(&self) -> http::Request<Full<Bytes>> {
        let mut builder = http::Request::builder().method(self.method).uri(self.uri());
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        match builder.body(Full::new(self.body.clone())) {
            Ok(request) => request,
            Err(error) => panic!("hand-built request is not valid HTTP: {error}"),
        }
    }
}

/// Sends one request on a fresh connection and returns the response head; the body is left to
/// the caller so fault tests can see it fail.
async fn send_raw(
    addr: SocketAddr,
    request: &HandBuilt,
) -> Result<hyper::Response<hyper::body::Incoming>, Box<dyn std::error::Error + Send + Sync>> {
    let stream = TcpStream::connect(addr).await?;
    let (mut sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender.send_request(request.to_http()).await?)
}

struct Answer {
    status: u16,
    headers: http::HeaderMap,
    body: Bytes,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

async fn send(
    addr: SocketAddr,
    request: &HandBuilt,
) -> Result<Answer, Box<dyn std::error::Error + Send + Sync>> {
    let response = send_raw(addr, request).await?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await?.to_bytes();
    Ok(Answer {
        status,
        headers,
        body,
    })
}

fn assert_alibaba_error(answer: &Answer, status: u16, code: &str) {
    let body = answer.json();
    assert_eq!(answer.status, status, "body: {body}");
    assert_eq!(body["Code"], code, "body: {body}");
    for field in ["RequestId", "HostId", "Message", "Recommend"] {
        assert!(body[field].is_string(), "{field} missing from {body}");
    }
    assert_eq!(
        answer
            .headers
            .get("x-acs-request-id")
            .and_then(|value| value.to_str().ok()),
        body["RequestId"].as_str()
    );
}

async fn faulty_server() -> Result<TestServer, acs_test_gateway::StartError> {
    let server = server().await?;
    server.respond(
        "DescribeImages",
        200,
        json!({"TotalCount": 0, "Images": {"Image": []}}),
    );
    server.respond("ListImage", 200, json!({"Images": []}));
    Ok(server)
}

/// `DescribeImages` in `cn-hangzhou` at [`NOW`], signed with V3 by the accepted AccessKey.
fn describe_images(server: &TestServer) -> HandBuilt {
    HandBuilt::v3(
        server,
        "DescribeImages",
        &[("RegionId", "cn-hangzhou")],
        NOW,
    )
    .sign_v3(ACCESS_KEY_ID, SECRET)
}

/// Sends `request` on a raw socket and reads until the server closes it: the bytes that arrived,
/// and how the read ended (a reset is an error).
async fn raw_exchange(
    server: &TestServer,
    request: &HandBuilt,
) -> std::io::Result<(Vec<u8>, std::io::Result<usize>)> {
    let mut wire = format!("POST {} HTTP/1.1\r\n", request.uri());
    for (name, value) in &request.headers {
        wire.push_str(&format!("{name}: {value}\r\n"));
    }
    wire.push_str("content-length: 0\r\n\r\n");
    let mut socket = TcpStream::connect(server.addr()).await?;
    socket.write_all(wire.as_bytes()).await?;
    let mut received = Vec::new();
    let read = socket.read_to_end(&mut received).await;
    Ok((received, read))
}
