//! STS through the generated SDK: AssumeRole's temporary credentials, expiration and assumed-role
//! user decode into their types; the key secret and the security token never show in `Debug`;
//! AssumeRoleWithOIDC and AssumeRoleWithSAML go unsigned and need no credentials.

use std::sync::Arc;

use acs_runtime::Config;
use acs_runtime::credentials::{Credentials, CredentialsChain};
use acs_runtime::http::{HttpResponse, InMemoryTransport};
use acs_sts::Client;

const SECRET: &str = "sts-secret-Hq7vL2xN9";
const TOKEN: &str = "sts-token-CAIS4mP8wQ1";

fn answer() -> String {
    serde_json::json!({
        "RequestId": "6894B13B-6D71-4EF5-88FA-F32781734A7F",
        "AssumedRoleUser": {
            "AssumedRoleId": "34458433936495****:alice",
            "Arn": "acs:ram::123456789012****:role/ecsadmin/alice"
        },
        "Credentials": {
            "SecurityToken": TOKEN,
            "AccessKeyId": "STS.L4aBSCSJVMuKg5U1****",
            "AccessKeySecret": SECRET,
            "Expiration": "2015-04-09T11:52:19Z"
        },
        "SourceIdentity": "Alice"
    })
    .to_string()
}

fn client(transport: Arc<InMemoryTransport>, credentials: Option<Credentials>) -> Client {
    let builder = Config::builder().region("cn-hangzhou").transport(transport);
    let builder = match credentials {
        Some(c) => builder.credentials(c),
        // A chain with no provider finds nothing: any call that asks for credentials fails.
        None => builder.credentials_provider(Arc::new(CredentialsChain::new())),
    };
    Client::new(builder.build().expect("config"))
}

fn header<'a>(request: &'a acs_runtime::http::HttpRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn assume_role_gives_typed_credentials_that_debug_hides() {
    let body = answer();
    let transport = Arc::new(InMemoryTransport::from_fn(move |_| {
        Ok(HttpResponse::new(200, body.clone()))
    }));
    let sts = client(
        transport.clone(),
        Some(Credentials::new("LTAI-caller", "caller-secret")),
    );
    let out = sts
        .assume_role()
        .role_arn("acs:ram::123456789012****:role/ecsadmin")
        .role_session_name("alice")
        .duration_seconds(3600)
        .send()
        .await
        .expect("assume role");
    let credentials = out.credentials.as_ref().expect("credentials");
    assert_eq!(
        credentials.access_key_id.as_deref(),
        Some("STS.L4aBSCSJVMuKg5U1****")
    );
    assert_eq!(credentials.access_key_secret.as_deref(), Some(SECRET));
    assert_eq!(credentials.security_token.as_deref(), Some(TOKEN));
    assert_eq!(
        credentials.expiration.as_deref(),
        Some("2015-04-09T11:52:19Z")
    );
    let user = out.assumed_role_user.as_ref().expect("assumed role user");
    assert_eq!(
        user.assumed_role_id.as_deref(),
        Some("34458433936495****:alice")
    );
    assert_eq!(
        user.arn.as_deref(),
        Some("acs:ram::123456789012****:role/ecsadmin/alice")
    );
    assert_eq!(out.source_identity.as_deref(), Some("Alice"));

    for shown in [
        format!("{out:?}"),
        format!("{out:#?}"),
        format!("{credentials:?}"),
    ] {
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(shown.contains("STS.L4aBSCSJVMuKg5U1****"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }
    // A field left out shows as absent, not as redacted.
    let empty = acs_sts::Credentials::default();
    assert!(!format!("{empty:?}").contains("<redacted>"));

    let requests = transport.requests();
    assert_eq!(requests.len(), 1);
    let authorization = header(&requests[0], "authorization").expect("AssumeRole is signed");
    assert!(authorization.starts_with("ACS3-HMAC-SHA256 Credential=LTAI-caller,"));
    assert_eq!(
        requests[0].url.split('/').nth(2),
        Some("sts.cn-hangzhou.aliyuncs.com")
    );
}

#[tokio::test]
async fn oidc_and_saml_go_unsigned_without_credentials() {
    let body = answer();
    let transport = Arc::new(InMemoryTransport::from_fn(move |_| {
        Ok(HttpResponse::new(200, body.clone()))
    }));
    let sts = client(transport.clone(), None);
    let oidc = sts
        .assume_role_with_oidc()
        .oidc_provider_arn("acs:ram::113511544585****:oidc-provider/TestOidcIdp")
        .role_arn("acs:ram::113511544585****:role/testoidc")
        .oidc_token("eyJraWQiOiJKQzl3eDZ")
        .role_session_name("session")
        .send()
        .await
        .expect("no credentials are needed");
    assert!(oidc.credentials.is_some());
    sts.assume_role_with_saml()
        .saml_provider_arn("acs:ram::123456789012****:saml-provider/company1")
        .role_arn("acs:ram::123456789012****:role/adminrole")
        .saml_assertion("PHNhbWw")
        .send()
        .await
        .expect("no credentials are needed");
    for request in transport.requests() {
        assert_eq!(header(&request, "authorization"), None, "{request:?}");
        assert!(header(&request, "x-acs-action").is_some_and(|a| a.starts_with("AssumeRoleWith")));
        assert_eq!(header(&request, "x-acs-version"), Some("2015-04-01"));
    }
    // A signed operation on the same client still asks for credentials, and fails without.
    let err = sts
        .get_caller_identity()
        .send()
        .await
        .expect_err("no credentials");
    assert!(
        matches!(err, acs_runtime::SdkError::Credentials(_)),
        "{err:?}"
    );
}

/// The generated unsigned calls are taken by a fake STS that checks what the official SDKs send
/// unsigned (`Action`, `Version`, a fresh `Timestamp`, an unused `SignatureNonce`), and each
/// call goes with a nonce of its own.
#[tokio::test]
async fn oidc_and_saml_reach_an_sts_that_checks_what_the_official_sdk_sends() {
    use acs_test_gateway::sts::FakeSts;

    let sts = FakeSts::builder()
        .oidc_token("eyJraWQiOiJKQzl3eDZ")
        .saml_assertion("PHNhbWw")
        .start()
        .await
        .expect("fake STS");
    let config = Config::builder()
        .region("cn-hangzhou")
        .endpoint(sts.endpoint())
        .credentials_provider(Arc::new(CredentialsChain::new()))
        .build()
        .expect("config");
    let client = Client::new(config);
    for _ in 0..2 {
        let oidc = client
            .assume_role_with_oidc()
            .oidc_provider_arn("acs:ram::113511544585****:oidc-provider/TestOidcIdp")
            .role_arn("acs:ram::113511544585****:role/testoidc")
            .oidc_token("eyJraWQiOiJKQzl3eDZ")
            .role_session_name("session")
            .send()
            .await
            .expect("AssumeRoleWithOIDC");
        assert!(oidc.credentials.is_some());
    }
    let saml = client
        .assume_role_with_saml()
        .saml_provider_arn("acs:ram::123456789012****:saml-provider/company1")
        .role_arn("acs:ram::123456789012****:role/adminrole")
        .saml_assertion("PHNhbWw")
        .send()
        .await
        .expect("AssumeRoleWithSAML");
    assert!(saml.credentials.is_some());
    let requests = sts.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert!(request.verified(), "{request:?}");
        assert_eq!(request.method, "POST");
        assert_eq!(request.header("authorization"), None);
        assert_eq!(request.header("x-acs-date"), None);
        assert_eq!(request.param("Format"), Some("json"));
        assert!(
            request.raw_query.contains("SignatureNonce="),
            "{}",
            request.raw_query
        );
    }
    sts.shutdown().await;
}
