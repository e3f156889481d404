//! A parameter whose location is `Header` travels as an HTTP header, signed by V3.

use std::sync::Arc;

use crate::support::*;
use acs_runtime::client::RESERVED_HEADERS;
use acs_runtime::credentials::Credentials;
use acs_runtime::http::InMemoryTransport;
use acs_runtime::sign::SignatureVersion;
use acs_runtime::wire::{Location, Params, WriteParams};
use acs_runtime::{Client, SdkError};

#[derive(Debug, Clone)]
struct HeaderRequest;

impl WriteParams for HeaderRequest {
    fn write_params(&self, params: &mut Params) {
        params.plain(Location::Query, "RegionId", "cn-hangzhou");
        params.plain(Location::Header, "X-Acs-Resource-Group-Id", "rg-1");
    }
}

#[tokio::test]
async fn a_header_parameter_is_sent_lower_cased_and_signed() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        ok(page_body("REQ", None, &[]))
    }));
    let client = Client::new(&SERVICE, builder(&transport).build().unwrap());
    client
        .invoke::<_, ListResponse, ListError>(&LIST, &HeaderRequest)
        .await
        .expect("answered");
    let request = &transport.requests()[0];
    assert!(
        request
            .headers
            .iter()
            .any(|(name, value)| name == "x-acs-resource-group-id" && value == "rg-1"),
        "{:?}",
        request.headers
    );
    assert_eq!(query_param(request, "X-Acs-Resource-Group-Id"), None);
    let authorization = request.header("authorization").expect("signed");
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("SignedHeaders");
    assert!(
        signed.split(';').any(|h| h == "x-acs-resource-group-id"),
        "{authorization}"
    );
}

/// A creating call with a header parameter and an idempotency token the caller may leave out.
#[derive(Debug, Clone)]
struct CreateWithHeader {
    client_token: Option<String>,
}

impl WriteParams for CreateWithHeader {
    fn write_params(&self, params: &mut Params) {
        params.plain(Location::Query, "RegionId", "cn-hangzhou");
        params.plain(Location::Header, "x-acs-resource-group-id", "rg-1");
        params.plain_opt(Location::Query, "ClientToken", &self.client_token);
        params.plain(Location::Body, "Description", "made");
    }
}

/// The headers of `request` named `name` (the client sends them lower-cased).
fn headers_named<'a>(request: &'a acs_runtime::http::HttpRequest, name: &str) -> Vec<&'a str> {
    request
        .headers
        .iter()
        .filter(|(header, _)| header == name)
        .map(|(_, value)| value.as_str())
        .collect()
}

#[tokio::test]
async fn a_filled_idempotency_token_keeps_the_header_parameters() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        ok(page_body("REQ", None, &[]))
    }));
    let client = Client::new(&SERVICE, builder(&transport).build().unwrap());
    for client_token in [None, Some(String::new())] {
        client
            .invoke::<_, ListResponse, ListError>(&CREATE, &CreateWithHeader { client_token })
            .await
            .expect("answered");
    }
    for request in transport.requests() {
        assert_eq!(
            headers_named(&request, "x-acs-resource-group-id"),
            ["rg-1"],
            "{:?}",
            request.headers
        );
        let token = query_param(&request, "ClientToken").unwrap_or_default();
        assert!(token.starts_with("nonce-"), "{}", request.url);
        assert_eq!(request.query().matches("ClientToken=").count(), 1);
        assert_eq!(&request.body[..], b"Description=made");
        let authorization = request.header("authorization").expect("signed");
        assert!(
            authorization.contains("x-acs-resource-group-id"),
            "{authorization}"
        );
    }
}

/// A token the caller sent in a header is the call's token: no second one goes in the query.
#[derive(Debug, Clone)]
struct TokenInHeader;

impl WriteParams for TokenInHeader {
    fn write_params(&self, params: &mut Params) {
        params.plain(Location::Query, "RegionId", "cn-hangzhou");
        params.plain(Location::Header, "ClientToken", "caller-token");
    }
}

#[tokio::test]
async fn a_token_given_in_a_header_is_not_filled_again() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        ok(page_body("REQ", None, &[]))
    }));
    let client = Client::new(&SERVICE, builder(&transport).build().unwrap());
    client
        .invoke::<_, ListResponse, ListError>(&CREATE, &TokenInHeader)
        .await
        .expect("answered");
    let request = &transport.requests()[0];
    assert_eq!(headers_named(request, "clienttoken"), ["caller-token"]);
    assert_eq!(query_param(request, "ClientToken"), None, "{}", request.url);
}

/// A request with one header parameter of the given name.
#[derive(Debug, Clone)]
struct NamedHeader(&'static str);

impl WriteParams for NamedHeader {
    fn write_params(&self, params: &mut Params) {
        params.plain(Location::Query, "RegionId", "cn-hangzhou");
        params.plain(Location::Header, self.0, "from-the-caller");
        params.plain(Location::Body, "Description", "with a body");
    }
}

#[tokio::test]
async fn a_header_parameter_named_like_a_header_the_client_sets_is_refused_before_sending() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        ok(page_body("REQ", None, &[]))
    }));
    let client = Client::new(
        &SERVICE,
        builder(&transport)
            .credentials(
                Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
                    .with_security_token(SECURITY_TOKEN),
            )
            .build()
            .unwrap(),
    );
    for name in [
        "Host",
        "host",
        "Authorization",
        "x-acs-action",
        "X-Acs-Date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "x-acs-security-token",
        "x-acs-version",
        "Content-Type",
        "content-length",
        "User-Agent",
        "x-acs-accesskey-id",
    ] {
        let err = client
            .invoke::<_, ListResponse, ListError>(&LIST, &NamedHeader(name))
            .await
            .expect_err(name);
        let SdkError::Build(err) = &err else {
            panic!("{name}: {err:?}");
        };
        assert_eq!(err.parameter, name);
        assert!(err.problem.contains("sets itself"), "{err}");
    }
    assert!(transport.requests().is_empty(), "nothing is sent");
}

#[tokio::test]
async fn every_header_the_client_sends_on_its_own_is_reserved() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        ok(page_body("REQ", None, &[]))
    }));
    for signature in [SignatureVersion::V3, SignatureVersion::V2] {
        let client = Client::new(
            &SERVICE,
            builder(&transport)
                .credentials(
                    Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET)
                        .with_security_token(SECURITY_TOKEN),
                )
                .signature_version(signature)
                .build()
                .unwrap(),
        );
        client
            .invoke::<_, ListResponse, ListError>(&CREATE, &NamedHeader("x-acs-resource-group-id"))
            .await
            .expect("answered");
    }
    for request in transport.requests() {
        for (name, _) in &request.headers {
            assert!(
                name == "x-acs-resource-group-id" || RESERVED_HEADERS.contains(&name.as_str()),
                "`{name}` is sent by the client but not in RESERVED_HEADERS"
            );
        }
    }
    // Lower case, as the client compares names after lowering them.
    assert!(
        RESERVED_HEADERS
            .iter()
            .all(|name| *name == name.to_ascii_lowercase())
    );
}
