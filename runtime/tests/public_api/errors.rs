//! Service errors through the client: parsed from what the service sends, sorted into the
//! operation's variants, and shown with what to check.

use std::error::Error as _;
use std::sync::Arc;

use crate::support::*;
use acs_runtime::http::{HttpResponse, InMemoryTransport};
use acs_runtime::retry::RetryPolicy;
use acs_runtime::{Client, OperationError, SdkError};

/// Sends one list call (no retries) answered by `response`.
async fn call_answered_by(response: HttpResponse) -> SdkError<ListError> {
    request_answered_by(&ListRequest::new(), response).await
}

async fn request_answered_by(request: &ListRequest, response: HttpResponse) -> SdkError<ListError> {
    let transport = Arc::new(InMemoryTransport::from_responses([Ok(response)]));
    let config = builder(&transport)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    Client::new(&SERVICE, config)
        .invoke::<_, ListResponse, ListError>(&LIST, request)
        .await
        .unwrap_err()
}

#[tokio::test]
async fn a_documented_code_maps_to_its_variant() {
    let err = call_answered_by(HttpResponse::new(
        404,
        error_body("InvalidRegionId.NotFound", "REQ-404"),
    ))
    .await;
    let SdkError::Service(ListError::InvalidRegionId(service)) = &err else {
        panic!("expected InvalidRegionId, got {err:?}");
    };
    assert_eq!(service.status(), 404);
    assert_eq!(service.code(), "InvalidRegionId.NotFound");
    assert_eq!(service.message(), Some("InvalidRegionId.NotFound happened"));
    assert_eq!(service.request_id(), Some("REQ-404"));
    assert_eq!(service.host_id(), Some("ecs.cn-hangzhou.aliyuncs.com"));
    assert!(service.recommend().unwrap().contains("troubleshoot"));
    assert!(!service.is_retryable());
    assert_eq!(err.request_id(), Some("REQ-404"));
    let shown = err.to_string();
    assert!(shown.contains("InvalidRegionId.NotFound"), "{shown}");
    assert!(shown.contains("REQ-404"), "{shown}");
    assert!(shown.contains("HTTP 404"), "{shown}");
}

#[tokio::test]
async fn a_documented_pattern_code_maps_to_its_variant() {
    let err = call_answered_by(HttpResponse::new(
        400,
        error_body("InvalidParameter.PageSize", "REQ"),
    ))
    .await;
    assert!(
        matches!(err, SdkError::Service(ListError::InvalidParameter(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_undocumented_code_is_unhandled_and_keeps_the_evidence() {
    let err = call_answered_by(HttpResponse::new(
        400,
        r#"{"RequestId":"R-9","Code":"SomethingNew","Message":"new failure"}"#,
    ))
    .await;
    let service = err.into_service_error().unwrap();
    let ListError::Unhandled(inner) = &service else {
        panic!("expected Unhandled, got {service:?}");
    };
    assert_eq!(inner.code(), "SomethingNew");
    assert_eq!(inner.message(), Some("new failure"));
    assert_eq!(inner.request_id(), Some("R-9"));
    assert_eq!(inner.status(), 400);
    assert_eq!(service.service_error(), inner);
}

#[tokio::test]
async fn a_numeric_code_is_read_as_text() {
    let err = call_answered_by(HttpResponse::new(
        400,
        r#"{"requestId":"R","code":400,"message":"lower-case fields"}"#,
    ))
    .await;
    let service = err.as_service_error().unwrap().service_error();
    assert_eq!(service.code(), "400");
    assert_eq!(service.request_id(), Some("R"));
    assert_eq!(service.message(), Some("lower-case fields"));
}

#[tokio::test]
async fn an_html_error_page_gives_status_and_excerpt() {
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center>{}</body></html>",
        "<!-- padding -->".repeat(40)
    );
    let err =
        call_answered_by(HttpResponse::new(502, page).with_header("content-type", "text/html"))
            .await;
    let service = err.as_service_error().unwrap().service_error();
    assert_eq!(service.status(), 502);
    assert_eq!(service.code(), "");
    let excerpt = service.body_excerpt().unwrap();
    assert!(excerpt.contains("502 Bad Gateway"), "{excerpt}");
    assert!(
        excerpt.chars().count() <= 201,
        "{}",
        excerpt.chars().count()
    );
    assert!(service.is_retryable());
    let shown = err.to_string();
    assert!(shown.contains("HTTP 502"), "{shown}");
    assert!(shown.contains("proxy"), "{shown}");
}

#[tokio::test]
async fn an_empty_error_body_still_gives_a_service_error() {
    let err = call_answered_by(HttpResponse::new(403, "")).await;
    let service = err.as_service_error().unwrap().service_error();
    assert_eq!(service.status(), 403);
    assert_eq!(service.body_excerpt(), Some(""));
    assert!(err.to_string().contains("empty"), "{err}");
}

#[tokio::test]
async fn a_ram_denial_keeps_its_detail_and_says_what_to_check() {
    let err = call_answered_by(HttpResponse::new(
        403,
        r#"{"RequestId":"R","Code":"Forbidden.RAM","Message":"User not authorized to operate on the specified resource.","AccessDeniedDetail":{"PolicyType":"AccountLevelIdentityBasedPolicy","AuthAction":"ecs:DescribeImages","NoPermissionType":"ImplicitDeny"}}"#,
    ))
    .await;
    let service = err.as_service_error().unwrap().service_error();
    let detail = service.access_denied_detail().unwrap();
    assert_eq!(detail["AuthAction"], "ecs:DescribeImages");
    assert!(err.to_string().contains("RAM policy"), "{err}");
}

#[tokio::test]
async fn a_signature_mismatch_never_shows_the_security_token() {
    let message = format!(
        "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3D{ACCESS_KEY_ID}%26Action%3DDescribeImages%26SecurityToken%3D{SECURITY_TOKEN}%26SignatureMethod%3DHMAC-SHA1"
    );
    let body =
        serde_json::json!({"RequestId": "R", "Code": "SignatureDoesNotMatch", "Message": message});
    let err = call_answered_by(HttpResponse::new(400, body.to_string())).await;
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains(SECURITY_TOKEN), "{shown}");
    assert!(shown.contains("SignatureMethod"), "{shown}");
    assert!(shown.contains("AccessKey id and secret"), "{shown}");
}

/// A request's secret parameter (a password) that the service quotes back, in its string to
/// sign (percent-encoded twice) or as it was sent, is blanked like the keys are.
#[tokio::test]
async fn a_service_error_never_shows_a_secret_parameter_of_the_request() {
    let password = "Pa ss/w0rd+1";
    let request = ListRequest {
        password: Some(password.to_owned()),
        ..ListRequest::new()
    };
    let message = "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3Did%26Password%3DPa%2520ss%252Fw0rd%252B1%26SignatureMethod%3DHMAC-SHA1";
    let body = serde_json::json!({
        "RequestId": "R",
        "Code": "SignatureDoesNotMatch",
        "Message": message,
        "Recommend": format!("the password {password} is weak"),
    });
    let err = request_answered_by(&request, HttpResponse::new(400, body.to_string())).await;
    let shown = format!("{err} {err:?}");
    // Every form of it (as sent, percent-encoded twice) holds `w0rd`.
    assert!(!shown.contains("w0rd"), "{shown}");
    assert!(shown.contains("SignatureMethod"), "{shown}");
}

#[tokio::test]
async fn the_error_chain_reaches_the_service_error() {
    let err = call_answered_by(HttpResponse::new(
        400,
        error_body("InvalidParameter.X", "R"),
    ))
    .await;
    let operation_error = err.source().unwrap();
    assert!(
        operation_error
            .to_string()
            .contains("a parameter is invalid")
    );
}

#[tokio::test]
async fn a_huge_error_message_is_cut_and_still_cleared_of_secrets() {
    // 4 MB of message, with the secret straddling the point where the message is cut.
    let message = format!(
        "{}{ACCESS_KEY_SECRET}{}",
        "m".repeat(2040),
        "x".repeat(4 * 1024 * 1024)
    );
    let body = serde_json::json!({"Code": "InternalError", "Message": message, "RequestId": "BIG"});
    let err = call_answered_by(HttpResponse::new(500, body.to_string())).await;
    let shown = err.to_string();
    assert!(shown.len() < 4096, "{} bytes shown", shown.len());
    assert!(shown.contains("InternalError"), "{}", &shown[..200]);
    assert!(!shown.contains(ACCESS_KEY_SECRET), "{shown}");
    assert!(!shown.contains("test-access-key"), "{shown}");
    let service = err.as_service_error().unwrap().service_error();
    assert!(service.message().unwrap().len() < 4096);
    assert!(service.message().unwrap().contains("bytes in all"));
    assert_eq!(service.request_id(), Some("BIG"));
    assert!(format!("{err:?}").len() < 8192);
}

#[tokio::test]
async fn a_huge_page_that_is_not_json_gives_a_short_excerpt() {
    let page = format!("<html>{}</html>", "<p>gateway</p>\n".repeat(500_000));
    let err = call_answered_by(HttpResponse::new(502, page.clone())).await;
    let shown = err.to_string();
    assert!(shown.len() < 2048, "{} bytes shown", shown.len());
    assert!(shown.contains("<html><p>gateway</p>"), "{shown}");
    let err = call_answered_by(HttpResponse::new(200, page)).await;
    let shown = format!("{err} {err:?}");
    assert!(shown.len() < 4096, "{} bytes shown", shown.len());
}

#[tokio::test]
async fn a_redirect_to_a_huge_location_is_quoted_cut_short() {
    let location = format!("https://elsewhere.example/{}", "p".repeat(60_000));
    let err = call_answered_by(HttpResponse::new(302, "").with_header("location", location)).await;
    let SdkError::Transport(transport) = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    assert!(
        transport
            .target()
            .starts_with("https://elsewhere.example/ppp")
    );
    assert!(
        transport.target().len() < 2_048 + 40,
        "{} bytes",
        transport.target().len()
    );
    let shown = err.to_string();
    assert!(shown.len() < 2_048 + 400, "{} bytes shown", shown.len());
    assert!(shown.contains("bytes in all"), "{:.200}", shown);
    assert!(format!("{err:?}").len() < 2_048 + 800, "Debug is cut too");
}
