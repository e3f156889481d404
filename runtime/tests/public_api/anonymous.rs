//! Unsigned calls (STS `AssumeRoleWithOIDC` and `AssumeRoleWithSAML`) go as the official SDKs'
//! anonymous RPC path sends them: `Action`, `Format`, `Version`, `Timestamp` and
//! `SignatureNonce` in the query beside the parameters, the action and version also as headers,
//! and nothing of a signature; and they ask for no credentials.

use std::sync::Arc;

use crate::support::*;
use acs_runtime::credentials::CredentialsChain;
use acs_runtime::http::InMemoryTransport;
use acs_runtime::wire::{Location, Params, WriteParams};
use acs_runtime::{Client, Config, Operation};

static ASSUME_WITH_OIDC: Operation = Operation {
    action: "AssumeRoleWithOIDC",
    method: "POST",
    idempotency_token: None,
    read_only: false,
    anonymous: true,
};

struct OidcRequest;

impl WriteParams for OidcRequest {
    fn write_params(&self, params: &mut Params) {
        params.plain(Location::Query, "OIDCToken", "eyJ a+b");
        params.plain(Location::Query, "RoleSessionName", "pod");
    }
}

fn decoded_query(url: &str) -> Vec<(String, String)> {
    let query = url
        .split_once('?')
        .map(|(_, query)| query)
        .unwrap_or_default();
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    pairs
}

#[tokio::test]
async fn an_unsigned_call_carries_the_common_parameters_in_the_query_and_no_signature() {
    let transport = Arc::new(InMemoryTransport::from_responses([ok("{}")]));
    // A chain with no provider: asking for credentials would fail the call.
    let config = Config::builder()
        .region("cn-hangzhou")
        .transport(transport.clone())
        .clock(fixed_time)
        .nonce_source(counting_nonces())
        .credentials_provider(Arc::new(CredentialsChain::new()))
        .build()
        .unwrap();
    let client = Client::new(&SERVICE, config);
    let _: ListResponse = client
        .invoke::<_, _, ListError>(&ASSUME_WITH_OIDC, &OidcRequest)
        .await
        .unwrap();

    let sent = transport.requests();
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(request.method, "POST");
    let expected: Vec<(String, String)> = [
        ("Action", "AssumeRoleWithOIDC"),
        ("Format", "json"),
        ("OIDCToken", "eyJ a+b"),
        ("RoleSessionName", "pod"),
        ("SignatureNonce", "nonce-0"),
        ("Timestamp", "2023-11-14T22:13:20Z"),
        ("Version", "2014-05-26"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    assert_eq!(decoded_query(&request.url), expected, "{}", request.url);
    assert_eq!(request.header("x-acs-action"), Some("AssumeRoleWithOIDC"));
    assert_eq!(request.header("x-acs-version"), Some("2014-05-26"));
    assert_eq!(request.header("host"), Some("ecs.cn-hangzhou.aliyuncs.com"));
    for absent in [
        "authorization",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-content-sha256",
        "x-acs-security-token",
        "content-type",
    ] {
        assert_eq!(request.header(absent), None, "{absent}: {request:?}");
    }
    for signing in [
        "SignatureMethod",
        "SignatureVersion",
        "Signature",
        "AccessKeyId",
    ] {
        assert!(
            !decoded_query(&request.url)
                .iter()
                .any(|(k, _)| k == signing),
            "{signing}: {}",
            request.url
        );
    }
    assert!(request.body.is_empty());
}
