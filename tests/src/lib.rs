//! A local imitation of Alibaba Cloud's RPC gateway, for end-to-end tests of code that calls
//! Alibaba Cloud APIs (the generated product crates, `acs-ecs` and its siblings, or your own).
//!
//! [`TestServer`] listens on `127.0.0.1` on a port the OS picks. Like the real gateway it
//! checks each request's `ACS3-HMAC-SHA256` (V3) or `HMAC-SHA1` (V2) signature, its AccessKey,
//! its date (at most 15 minutes from the server's clock) and its nonce (never seen before), and
//! answers a failed check with Alibaba's error body (`SignatureDoesNotMatch`,
//! `InvalidAccessKeyId.NotFound`, `InvalidTimeStamp.Expired`, `SignatureNonceUsed`,
//! `MissingParameter`...). A request that passes is answered with the response registered for
//! its action, or with `404 InvalidAction.NotFound`. Injected [`Fault`]s imitate throttling,
//! 5xx, slow answers, truncated bodies, dropped connections, HTML error pages and non-JSON
//! bodies. Every request is recorded ([`RecordedRequest`]) for the test to inspect.
//!
//! Beside it, [`FakeSts`] imitates STS (`AssumeRole`, signed and checked like any call, and
//! `AssumeRoleWithOIDC`), and [`FakeMetadata`] the ECS instance metadata service with its
//! session tokens, so that credentials providers are tested on loopback only.
//!
//! The signature checks in [`signature`] are written from Alibaba's documentation alone and
//! share no code with the SDK's signer, so a signer that is wrong in a consistent way still
//! fails here.
//!
//! # Testing your own code against it
//!
//! 1. Start a server with the AccessKey your client will sign with.
//! 2. Register the answers your test needs with [`TestServer::respond`] or
//!    [`TestServer::respond_with`], and any faults with [`TestServer::inject`].
//! 3. Point your client at [`TestServer::endpoint`] (`http://127.0.0.1:PORT`) with that
//!    AccessKey. With a generated product crate that is the config's endpoint override and
//!    static credentials.
//! 4. Call your code, then check what it did with [`TestServer::requests`]: each request's
//!    parameters, headers, whether it [verified](RecordedRequest::verified) and which fault it
//!    met.
//!
//! If your client signs with a fixed date, give the server the same instant with
//! [`TestServerBuilder::clock`] and [`Clock::fixed`].
//!
//! # Example
//!
//! A hand-signed V3 request over a raw socket, so the example depends on nothing but tokio:
//!
//! ```
//! use acs_test_gateway::signature::v3::{self, RequestParts};
//! use acs_test_gateway::{Clock, TestServer};
//! use serde_json::json;
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let date = time::macros::datetime!(2024-05-01 08:00:00 UTC);
//! let server = TestServer::builder()
//!     .credential("test-id", "test-secret")
//!     .clock(Clock::fixed(date))
//!     .start()
//!     .await?;
//! server.respond("DescribeRegions", 200, json!({"Regions": {"Region": []}}));
//!
//! // What an SDK would send for `DescribeRegions` with signature V3.
//! let query = vec![("RegionId".to_owned(), "cn-hangzhou".to_owned())];
//! let mut headers: Vec<(String, String)> = vec![
//!     ("host".into(), server.host()),
//!     ("x-acs-action".into(), "DescribeRegions".into()),
//!     ("x-acs-version".into(), "2014-05-26".into()),
//!     ("x-acs-date".into(), "2024-05-01T08:00:00Z".into()),
//!     ("x-acs-signature-nonce".into(), "a-fresh-nonce".into()),
//!     ("x-acs-content-sha256".into(), v3::hex_sha256(b"")),
//! ];
//! let signed: Vec<String> = headers.iter().map(|(name, _)| name.clone()).collect();
//! let parts = RequestParts { method: "POST", path: "/", query: &query, headers: &headers, body: b"" };
//! let authorization = v3::authorization_header(&parts, "test-id", "test-secret", &signed)?;
//! headers.push(("authorization".into(), authorization));
//!
//! let mut wire = String::from("POST /?RegionId=cn-hangzhou HTTP/1.1\r\n");
//! for (name, value) in &headers {
//!     wire.push_str(&format!("{name}: {value}\r\n"));
//! }
//! wire.push_str("content-length: 0\r\nconnection: close\r\n\r\n");
//! let mut socket = tokio::net::TcpStream::connect(server.addr()).await?;
//! socket.write_all(wire.as_bytes()).await?;
//! let mut answer = String::new();
//! socket.read_to_string(&mut answer).await?;
//!
//! assert!(answer.starts_with("HTTP/1.1 200"));
//! let seen = server.requests();
//! assert_eq!(seen.len(), 1);
//! assert!(seen[0].verified());
//! assert_eq!(seen[0].param("RegionId"), Some("cn-hangzhou"));
//! server.shutdown().await;
//! # Ok(())
//! # }
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(run()).unwrap();
//! ```
//!
//! Answers can depend on the request, to serve pages:
//!
//! ```
//! # use acs_test_gateway::{Response, TestServer};
//! # use serde_json::json;
//! # async fn run(server: TestServer) {
//! server.respond_with("DescribeImages", |request| {
//!     let page: i64 = request.param("PageNumber").and_then(|n| n.parse().ok()).unwrap_or(1);
//!     let images = if page <= 2 { vec![json!({"ImageId": format!("m-{page}")})] } else { vec![] };
//!     Response::ok(json!({"PageNumber": page, "PageSize": 1, "TotalCount": 2,
//!                         "Images": {"Image": images}}))
//! });
//! # }
//! ```

mod clock;
mod credential;
mod fault;
mod gateway;
pub mod metadata;
mod recorded;
mod response;
mod server;
pub mod signature;
pub mod specs;
pub mod sts;

pub use clock::Clock;
pub use credential::Credential;
pub use fault::Fault;
pub use metadata::{FakeMetadata, FakeMetadataBuilder};
pub use recorded::{RecordedRequest, Rejection, SignatureKind, Verdict};
pub use response::Response;
pub use server::{DEFAULT_MAX_CLOCK_SKEW, StartError, TestServer, TestServerBuilder};
pub use sts::{FakeSts, FakeStsBuilder};
