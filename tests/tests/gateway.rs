//! Tests of the test server itself: its verifiers against published vectors, and its gateway
//! behaviour end to end over loopback with hand-built requests.

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

// ---------------------------------------------------------------------------------------------
// Published vectors, checked by calling the verifiers directly.
// ---------------------------------------------------------------------------------------------

const V3_VECTOR_SIGNATURE: &str =
    "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn v3_vector_query() -> Vec<(String, String)> {
    pairs(&[
        (
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        ),
        ("RegionId", "cn-shanghai"),
    ])
}

fn v3_vector_headers() -> Vec<(String, String)> {
    pairs(&[
        ("host", "ecs.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "RunInstances"),
        ("x-acs-version", "2014-05-26"),
        ("x-acs-date", "2023-10-26T10:22:32Z"),
        ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
        ("x-acs-content-sha256", EMPTY_SHA256),
    ])
}

/// An empty-bodied `POST /` with `query` and `headers`.
fn post_parts<'a>(
    query: &'a [(String, String)],
    headers: &'a [(String, String)],
) -> RequestParts<'a> {
    RequestParts {
        method: "POST",
        path: "/",
        query,
        headers,
        body: b"",
    }
}

fn v3_vector_signed_headers() -> Vec<String> {
    "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
        .split(';')
        .map(str::to_owned)
        .collect()
}

#[test]
fn v3_vector_canonical_request_and_signature() -> TestResult {
    let query = v3_vector_query();
    let headers = v3_vector_headers();
    let parts = post_parts(&query, &headers);
    let canonical = v3::canonical_request(&parts, &v3_vector_signed_headers())?;
    assert_eq!(
        canonical,
        "POST\n/\n\
         ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n\
         host:ecs.cn-shanghai.aliyuncs.com\n\
         x-acs-action:RunInstances\n\
         x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n\
         x-acs-date:2023-10-26T10:22:32Z\n\
         x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\n\
         x-acs-version:2014-05-26\n\
         \n\
         host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n\
         e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let string_to_sign = v3::string_to_sign(&canonical);
    assert!(string_to_sign.starts_with("ACS3-HMAC-SHA256\n"));
    assert_eq!(
        v3::sign("YourAccessKeySecret", &string_to_sign),
        V3_VECTOR_SIGNATURE
    );
    Ok(())
}

#[test]
fn v3_vector_verifies_and_any_change_breaks_it() -> TestResult {
    let query = v3_vector_query();
    let mut headers = v3_vector_headers();
    headers.push((
        "Authorization".to_owned(),
        format!(
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders={},Signature={V3_VECTOR_SIGNATURE}",
            v3_vector_signed_headers().join(";")
        ),
    ));
    let parts = post_parts(&query, &headers);
    let authorization = v3::verify(&parts, "YourAccessKeySecret")?;
    assert_eq!(authorization.access_key_id, "YourAccessKeyId");
    assert_eq!(authorization.signed_headers, v3_vector_signed_headers());

    // The wrong secret.
    assert!(matches!(
        v3::verify(&parts, "AnotherSecret"),
        Err(V3Error::SignatureMismatch { .. })
    ));
    // A changed query value.
    let tampered_query = pairs(&[
        (
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        ),
        ("RegionId", "cn-hangzhou"),
    ]);
    let tampered = RequestParts {
        query: &tampered_query,
        ..parts
    };
    assert!(matches!(
        v3::verify(&tampered, "YourAccessKeySecret"),
        Err(V3Error::SignatureMismatch { .. })
    ));
    // Another method.
    let tampered = RequestParts {
        method: "GET",
        ..parts
    };
    assert!(matches!(
        v3::verify(&tampered, "YourAccessKeySecret"),
        Err(V3Error::SignatureMismatch { .. })
    ));
    // A body the declared hash does not cover.
    let tampered = RequestParts {
        body: b"RegionId=cn-shanghai",
        ..parts
    };
    assert!(matches!(
        v3::verify(&tampered, "YourAccessKeySecret"),
        Err(V3Error::ContentSha256Mismatch { .. })
    ));
    // A signed header missing from the request.
    let without_date: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| name != "x-acs-date")
        .cloned()
        .collect();
    let tampered = RequestParts {
        headers: &without_date,
        ..parts
    };
    assert_eq!(
        v3::verify(&tampered, "YourAccessKeySecret"),
        Err(V3Error::SignedHeaderAbsent {
            name: "x-acs-date".to_owned()
        })
    );
    Ok(())
}

#[test]
fn v3_requires_the_gateway_headers_to_be_signed() -> TestResult {
    let query = v3_vector_query();
    let headers = v3_vector_headers();
    let parts = post_parts(&query, &headers);
    let signed: Vec<String> = v3_vector_signed_headers()
        .into_iter()
        .filter(|name| name != "x-acs-signature-nonce")
        .collect();
    let header =
        v3::authorization_header(&parts, "YourAccessKeyId", "YourAccessKeySecret", &signed)?;
    let authorization = Authorization::parse(&header)?;
    assert_eq!(
        v3::verify_signature(&parts, &authorization, "YourAccessKeySecret"),
        Err(V3Error::RequiredHeaderNotSigned {
            name: "x-acs-signature-nonce"
        })
    );
    Ok(())
}

#[test]
fn v3_authorization_parse_rejects_malformed_headers() {
    assert!(matches!(
        Authorization::parse("HMAC-SHA1 Credential=a,SignedHeaders=host,Signature=00"),
        Err(V3Error::UnsupportedAlgorithm { .. })
    ));
    assert!(matches!(
        Authorization::parse("ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host"),
        Err(V3Error::MalformedAuthorization { .. })
    ));
    assert!(matches!(
        Authorization::parse(
            "ACS3-HMAC-SHA256 Credential=a,Credential=b,SignedHeaders=host,Signature=00"
        ),
        Err(V3Error::MalformedAuthorization { .. })
    ));
    assert!(matches!(
        Authorization::parse("ACS3-HMAC-SHA256 Credential"),
        Err(V3Error::MalformedAuthorization { .. })
    ));
}

fn v2_vector_params() -> Vec<(String, String)> {
    pairs(&[
        ("AccessKeyId", "testid"),
        ("Action", "DescribeRegions"),
        ("Format", "XML"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", "2016-02-23T12:46:24Z"),
        ("Version", "2014-05-26"),
    ])
}

#[test]
fn v2_vector_string_to_sign_and_signature() {
    let params = v2_vector_params();
    let string_to_sign = v2::string_to_sign(
        "GET",
        params
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    );
    assert_eq!(
        string_to_sign,
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML\
         %26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf\
         %26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
    );
    assert_eq!(
        v2::sign("testsecret", &string_to_sign),
        "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    );
}

#[test]
fn v2_vector_verifies_and_any_change_breaks_it() {
    let mut params = v2_vector_params();
    params.push((
        "Signature".to_owned(),
        "OLeaidS1JvxuMvnyHOwuJ+uX5qY=".to_owned(),
    ));
    assert_eq!(v2::verify("GET", &params, "testsecret"), Ok(()));
    assert!(matches!(
        v2::verify("POST", &params, "testsecret"),
        Err(v2::V2Error::SignatureMismatch { .. })
    ));
    assert!(matches!(
        v2::verify("GET", &params, "othersecret"),
        Err(v2::V2Error::SignatureMismatch { .. })
    ));
    let mut changed = params.clone();
    changed[2].1 = "JSON".to_owned();
    assert!(matches!(
        v2::verify("GET", &changed, "testsecret"),
        Err(v2::V2Error::SignatureMismatch { .. })
    ));
    assert_eq!(
        v2::verify("GET", &v2_vector_params(), "testsecret"),
        Err(v2::V2Error::MissingSignature)
    );
}

// ---------------------------------------------------------------------------------------------
// End to end over loopback.
// ---------------------------------------------------------------------------------------------

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

#[tokio::test]
async fn good_v3_request_is_verified_answered_and_recorded() -> TestResult {
    let server = server().await?;
    server.respond(
        "DescribeImages",
        200,
        json!({"TotalCount": 1, "Images": {"Image": [{"ImageId": "m-1"}]}}),
    );
    let request = HandBuilt::v3(
        &server,
        "DescribeImages",
        &[("RegionId", "cn-hangzhou"), ("ImageName", "a b*c")],
        NOW,
    )
    .sign_v3(ACCESS_KEY_ID, SECRET);
    let answer = send(server.addr(), &request).await?;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    assert_eq!(body["Images"]["Image"][0]["ImageId"], "m-1");

    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    let recorded = &seen[0];
    assert!(recorded.verified(), "{:?}", recorded.verdict);
    assert_eq!(
        body["RequestId"].as_str(),
        Some(recorded.request_id.as_str())
    );
    assert_eq!(recorded.method, "POST");
    assert_eq!(recorded.path, "/");
    assert_eq!(
        recorded.raw_query,
        "RegionId=cn-hangzhou&ImageName=a%20b%2Ac"
    );
    assert_eq!(
        recorded.query,
        pairs(&[("RegionId", "cn-hangzhou"), ("ImageName", "a b*c")])
    );
    assert_eq!(recorded.action.as_deref(), Some("DescribeImages"));
    assert_eq!(recorded.version.as_deref(), Some("2014-05-26"));
    assert_eq!(
        recorded.signature,
        SignatureKind::V3 {
            access_key_id: Some(ACCESS_KEY_ID.to_owned()),
            signed_headers: vec![
                "host".to_owned(),
                "x-acs-action".to_owned(),
                "x-acs-content-sha256".to_owned(),
                "x-acs-date".to_owned(),
                "x-acs-signature-nonce".to_owned(),
                "x-acs-version".to_owned(),
            ],
        }
    );
    assert_eq!(recorded.header("X-ACS-ACTION"), Some("DescribeImages"));
    // The record carries enough to re-run the verifier by hand.
    assert!(v3::verify(&recorded.parts(), SECRET).is_ok());
    server.shutdown().await;
    Ok(())
}

#[tokio::test]
async fn form_body_parameters_are_decoded_and_covered_by_the_body_hash() -> TestResult {
    let server = server().await?;
    server.respond("ListImage", 200, json!({"Images": []}));
    let request = HandBuilt::v3(&server, "ListImage", &[("Distro", "Windows")], NOW)
        .form_body("BizRegionId=cn-hangzhou&ImageName=my+image%21&PageSize=20")
        .sign_v3(ACCESS_KEY_ID, SECRET);
    let answer = send(server.addr(), &request).await?;
    assert_eq!(answer.status, 200, "{}", answer.json());
    let seen = server.requests();
    assert_eq!(
        seen[0].form,
        pairs(&[
            ("BizRegionId", "cn-hangzhou"),
            ("ImageName", "my image!"),
            ("PageSize", "20")
        ])
    );
    assert_eq!(seen[0].param("Distro"), Some("Windows"));
    assert_eq!(seen[0].param("PageSize"), Some("20"));

    // Same signature, different body: the hash no longer matches.
    let mut tampered = request.clone();
    tampered.body = Bytes::from_static(b"BizRegionId=cn-beijing&ImageName=my+image%21&PageSize=20");
    let tampered = tampered.set_header("x-acs-signature-nonce", "another-nonce");
    let answer = send(server.addr(), &tampered).await?;
    assert_alibaba_error(&answer, 400, "SignatureDoesNotMatch");
    Ok(())
}

#[tokio::test]
async fn good_v2_request_is_verified() -> TestResult {
    let server = server().await?;
    server.respond("DescribeRegions", 200, json!({"Regions": {"Region": []}}));
    let mut params = pairs(&[
        ("AccessKeyId", ACCESS_KEY_ID),
        ("Action", "DescribeRegions"),
        ("Format", "JSON"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", "v2-nonce-1"),
        ("SignatureVersion", "1.0"),
        ("Timestamp", NOW),
        ("Version", "2014-05-26"),
        ("RegionId", "cn-hangzhou"),
    ]);
    let string_to_sign = v2::string_to_sign(
        "GET",
        params
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str())),
    );
    params.push(("Signature".to_owned(), v2::sign(SECRET, &string_to_sign)));
    let request = HandBuilt {
        method: "GET",
        query: params.clone(),
        headers: pairs(&[("host", &server.host())]),
        body: Bytes::new(),
    };
    let answer = send(server.addr(), &request).await?;
    assert_eq!(answer.status, 200, "{}", answer.json());
    let seen = server.requests();
    assert!(seen[0].verified());
    assert_eq!(
        seen[0].signature,
        SignatureKind::V2 {
            access_key_id: Some(ACCESS_KEY_ID.to_owned())
        }
    );
    assert_eq!(seen[0].action.as_deref(), Some("DescribeRegions"));

    // The same parameters with another RegionId keep the old signature: rejected.
    let mut tampered = params;
    for (name, value) in &mut tampered {
        match name.as_str() {
            "RegionId" => *value = "cn-beijing".to_owned(),
            "SignatureNonce" => *value = "v2-nonce-2".to_owned(),
            _ => {}
        }
    }
    let answer = send(
        server.addr(),
        &HandBuilt {
            query: tampered,
            ..request
        },
    )
    .await?;
    assert_alibaba_error(&answer, 400, "SignatureDoesNotMatch");
    Ok(())
}

#[tokio::test]
async fn tampered_signature_is_rejected_with_alibabas_error_body() -> TestResult {
    let server = describe_images_server().await?;
    let signed = describe_images(&server);
    // Changing a signed query value after signing.
    let mut tampered = signed.clone();
    tampered.query[0].1 = "cn-beijing".to_owned();
    let answer = send(server.addr(), &tampered).await?;
    assert_alibaba_error(&answer, 400, "SignatureDoesNotMatch");
    let message = answer.json()["Message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("RegionId=cn-beijing"), "{message}");
    assert!(!message.contains(SECRET));

    let seen = server.requests();
    match &seen[0].verdict {
        Verdict::Rejected(rejection) => {
            assert_eq!(rejection.code, "SignatureDoesNotMatch");
            assert_eq!(rejection.status, 400);
        }
        Verdict::Verified => panic!("a tampered request was verified"),
    }

    // Signed with the wrong secret.
    let wrong = HandBuilt::v3(&server, "DescribeImages", &[], NOW).sign_v3(ACCESS_KEY_ID, "nope");
    assert_alibaba_error(
        &send(server.addr(), &wrong).await?,
        400,
        "SignatureDoesNotMatch",
    );
    // A rejected nonce is not spent: the untampered original still goes through.
    assert_eq!(send(server.addr(), &signed).await?.status, 200);
    Ok(())
}

#[tokio::test]
async fn unknown_access_key_is_not_found() -> TestResult {
    let server = server().await?;
    let request =
        HandBuilt::v3(&server, "DescribeImages", &[], NOW).sign_v3("LTAI-unknown", SECRET);
    let answer = send(server.addr(), &request).await?;
    assert_alibaba_error(&answer, 404, "InvalidAccessKeyId.NotFound");
    Ok(())
}

#[tokio::test]
async fn dates_more_than_fifteen_minutes_off_are_expired() -> TestResult {
    let server = describe_images_server().await?;
    for (date, expected) in [
        ("2024-05-01T07:44:00Z", 400),
        ("2024-05-01T08:16:00Z", 400),
        ("2024-05-01T07:46:00Z", 200),
        ("2024-05-01T08:14:00Z", 200),
    ] {
        let request =
            HandBuilt::v3(&server, "DescribeImages", &[], date).sign_v3(ACCESS_KEY_ID, SECRET);
        let answer = send(server.addr(), &request).await?;
        if expected == 200 {
            assert_eq!(answer.status, 200, "{date}: {}", answer.json());
        } else {
            assert_alibaba_error(&answer, 400, "InvalidTimeStamp.Expired");
        }
    }
    let malformed = HandBuilt::v3(&server, "DescribeImages", &[], "2024-05-01 08:00:00")
        .sign_v3(ACCESS_KEY_ID, SECRET);
    assert_alibaba_error(
        &send(server.addr(), &malformed).await?,
        400,
        "InvalidTimeStamp.Format",
    );
    Ok(())
}

#[tokio::test]
async fn the_clock_can_move() -> TestResult {
    let offset = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let reading = std::sync::Arc::clone(&offset);
    let server = TestServer::builder()
        .credential(ACCESS_KEY_ID, SECRET)
        .clock(Clock::from_fn(move || {
            std::time::SystemTime::from(now())
                + Duration::from_secs(reading.load(std::sync::atomic::Ordering::SeqCst))
        }))
        .start()
        .await?;
    server.respond("DescribeImages", 200, json!({}));
    let first = HandBuilt::v3(&server, "DescribeImages", &[], NOW).sign_v3(ACCESS_KEY_ID, SECRET);
    assert_eq!(send(server.addr(), &first).await?.status, 200);
    offset.store(16 * 60, std::sync::atomic::Ordering::SeqCst);
    let later = HandBuilt::v3(&server, "DescribeImages", &[], NOW).sign_v3(ACCESS_KEY_ID, SECRET);
    assert_alibaba_error(
        &send(server.addr(), &later).await?,
        400,
        "InvalidTimeStamp.Expired",
    );
    Ok(())
}

#[tokio::test]
async fn replayed_nonce_is_rejected() -> TestResult {
    let server = describe_images_server().await?;
    let request = describe_images(&server);
    assert_eq!(send(server.addr(), &request).await?.status, 200);
    let replay = send(server.addr(), &request).await?;
    assert_alibaba_error(&replay, 400, "SignatureNonceUsed");
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert!(seen[0].verified());
    assert!(!seen[1].verified());
    Ok(())
}

#[tokio::test]
async fn missing_action_unsigned_requests_and_unknown_actions() -> TestResult {
    let server = server().await?;
    // V3 without x-acs-action.
    let mut request = HandBuilt::v3(&server, "DescribeImages", &[], NOW);
    request.headers.retain(|(name, _)| name != "x-acs-action");
    let answer = send(server.addr(), &request.sign_v3(ACCESS_KEY_ID, SECRET)).await?;
    assert_alibaba_error(&answer, 400, "MissingParameter");
    assert!(
        answer.json()["Message"]
            .as_str()
            .unwrap_or_default()
            .contains("Action")
    );

    // No signature at all.
    let unsigned = HandBuilt {
        method: "GET",
        query: pairs(&[("Action", "DescribeImages")]),
        headers: pairs(&[("host", &server.host())]),
        body: Bytes::new(),
    };
    let answer = send(server.addr(), &unsigned).await?;
    assert_alibaba_error(&answer, 400, "IncompleteSignature");
    assert_eq!(server.requests()[1].signature, SignatureKind::Unsigned);

    // Verified, but nothing registered for the action.
    let request =
        HandBuilt::v3(&server, "DescribeNothing", &[], NOW).sign_v3(ACCESS_KEY_ID, SECRET);
    let answer = send(server.addr(), &request).await?;
    assert_alibaba_error(&answer, 404, "InvalidAction.NotFound");
    assert!(server.requests()[2].verified());
    Ok(())
}

#[tokio::test]
async fn sts_credentials_require_their_signed_token() -> TestResult {
    let server = TestServer::builder()
        .credential(ACCESS_KEY_ID, SECRET)
        .with_token("sts-token")
        .clock(Clock::fixed(now()))
        .start()
        .await?;
    server.respond("DescribeImages", 200, json!({}));
    let without = HandBuilt::v3(&server, "DescribeImages", &[], NOW).sign_v3(ACCESS_KEY_ID, SECRET);
    assert_alibaba_error(
        &send(server.addr(), &without).await?,
        400,
        "MissingSecurityToken",
    );
    let wrong = HandBuilt::v3(&server, "DescribeImages", &[], NOW)
        .header("x-acs-security-token", "other-token")
        .sign_v3(ACCESS_KEY_ID, SECRET);
    assert_alibaba_error(
        &send(server.addr(), &wrong).await?,
        400,
        "InvalidSecurityToken.MismatchWithAccessKey",
    );
    let right = HandBuilt::v3(&server, "DescribeImages", &[], NOW)
        .header("x-acs-security-token", "sts-token")
        .sign_v3(ACCESS_KEY_ID, SECRET);
    assert_eq!(send(server.addr(), &right).await?.status, 200);

    assert!(matches!(
        TestServer::builder().with_token("t").start().await,
        Err(acs_test_gateway::StartError::TokenWithoutCredential)
    ));
    Ok(())
}

#[tokio::test]
async fn respond_with_pages_by_page_number() -> TestResult {
    let server = server().await?;
    server.respond_with("DescribeImages", |request| {
        let page: i64 = request
            .param("PageNumber")
            .and_then(|number| number.parse().ok())
            .unwrap_or(1);
        let images = if page <= 2 {
            vec![json!({"ImageId": format!("m-{page}")})]
        } else {
            Vec::new()
        };
        Response::ok(json!({"PageNumber": page, "TotalCount": 2, "Images": {"Image": images}}))
    });
    for page in 1..=3 {
        let number = page.to_string();
        let request = HandBuilt::v3(&server, "DescribeImages", &[("PageNumber", &number)], NOW)
            .sign_v3(ACCESS_KEY_ID, SECRET);
        let body = send(server.addr(), &request).await?.json();
        assert_eq!(body["PageNumber"], page);
        let expected = if page <= 2 { 1 } else { 0 };
        assert_eq!(
            body["Images"]["Image"].as_array().map(Vec::len),
            Some(expected)
        );
        assert!(body["RequestId"].is_string());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Faults.
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Lifecycle.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn shutdown_and_drop_stop_listening() -> TestResult {
    let server = server().await?;
    let addr = server.addr();
    assert!(server.endpoint().starts_with("http://127.0.0.1:"));
    assert!(TcpStream::connect(addr).await.is_ok());
    server.shutdown().await;
    assert!(TcpStream::connect(addr).await.is_err());

    let server = self::server().await?;
    let addr = server.addr();
    drop(server);
    // The abort takes effect when the runtime next polls the server's task.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(TcpStream::connect(addr).await.is_err());
    Ok(())
}

#[tokio::test]
async fn slow_answer_does_not_hold_up_shutdown() -> TestResult {
    let server = faulty_server().await?;
    server.inject(Fault::slow(Duration::from_secs(60)));
    let addr = server.addr();
    let request = describe_images(&server);
    let pending = tokio::spawn(async move { send_raw(addr, &request).await.is_err() });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    server.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        pending.await?,
        "the client got an answer from a stopped server"
    );
    Ok(())
}
