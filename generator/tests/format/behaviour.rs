//! How the constructs of `formats.yaml` behave in the generated crate: copied into the scratch
//! product crate's `tests/` by `format_constructs.rs`, and run there.

use std::sync::Arc;

use acs_runtime::credentials::Credentials;
use acs_runtime::http::{HttpRequest, HttpResponse, InMemoryTransport};
use acs_runtime::token_paging::TokenPagingError;
use acs_runtime::wire::{Params, WriteParams};
use acs_formats::*;
use futures_util::StreamExt as _;

/// A client whose requests `answer` answers, with fixed credentials.
fn client_over(transport: &Arc<InMemoryTransport>) -> Client {
    let config = acs_runtime::Config::builder()
        .credentials(Credentials::new("test-access-key-id", "test-access-key-secret"))
        .region("cn-hangzhou")
        .transport(transport.clone())
        .build()
        .expect("a config");
    Client::new(config)
}

/// The still percent-encoded value of query parameter `name`.
fn query_param(request: &HttpRequest, name: &str) -> Option<String> {
    request.query().split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.to_owned())
    })
}

fn json(body: serde_json::Value) -> Result<HttpResponse, acs_runtime::http::TransportError> {
    Ok(HttpResponse::new(200, body.to_string()).with_header("content-type", "application/json"))
}

fn params_of(request: &impl WriteParams) -> Vec<(String, String)> {
    let mut params = Params::new();
    request.write_params(&mut params);
    params.query_pairs().to_vec()
}

fn value<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
#[allow(deprecated)]
fn deprecated_parameters_are_still_sent() {
    let request = DescribeThingsRequest::builder()
        .region_id("cn-hangzhou")
        .old_name("before")
        .old_flag(true)
        .old_ids("i-1")
        .filter(Filter::new().key("k").legacy("l"))
        .build()
        .expect("builds");
    let params = params_of(&request);
    assert_eq!(value(&params, "OldName"), Some("before"));
    assert_eq!(value(&params, "OldFlag"), Some("true"));
    assert_eq!(value(&params, "OldIds.1"), Some("i-1"));
    assert_eq!(value(&params, "Filter.1.Legacy"), Some("l"));
}

#[test]
fn an_int64_parameter_holds_values_beyond_32_bits() {
    let request = DescribeThingsRequest::builder()
        .region_id("cn-hangzhou")
        .size(5_000_000_000_i64)
        .ratio(0.5)
        .build()
        .expect("builds");
    let params = params_of(&request);
    assert_eq!(value(&params, "Size"), Some("5000000000"));
    assert_eq!(value(&params, "Ratio"), Some("0.5"));
    let err = DescribeThingsRequest::builder()
        .region_id("cn-hangzhou")
        .size(5_000_000_001_i64)
        .build()
        .expect_err("above the maximum");
    assert_eq!(err.parameter, "Size");
}

#[test]
fn an_int64_response_field_decodes_beyond_32_bits() {
    let (response, anomalies) = acs_runtime::decode::decode_response::<DescribeThingsResponse>(
        br#"{"RequestId": "r", "Bytes": "6000000000"}"#,
    )
    .expect("decodes");
    assert!(anomalies.is_empty(), "{anomalies:?}");
    assert_eq!(response.bytes, Some(6_000_000_000));
}

#[tokio::test]
async fn the_generated_paginator_follows_next_token() {
    let transport = Arc::new(InMemoryTransport::from_fn(|request| {
        match query_param(request, "NextToken").as_deref() {
            None => json(serde_json::json!({"RequestId": "r1", "NextToken": "t1", "Widgets": ["a", "b"]})),
            Some("t1") => json(serde_json::json!({"RequestId": "r2", "NextToken": "", "Widgets": ["c"]})),
            Some(other) => panic!("unexpected token {other}"),
        }
    }));
    let widgets: Vec<String> = client_over(&transport)
        .list_widgets()
        .region_id("cn-hangzhou")
        .max_results(2)
        .into_paginator()
        .items()
        .map(|item| item.expect("an item"))
        .collect()
        .await;
    assert_eq!(widgets, ["a", "b", "c"]);
    let sent: Vec<Option<String>> = transport
        .requests()
        .iter()
        .map(|r| query_param(r, "NextToken"))
        .collect();
    assert_eq!(sent, [None, Some("t1".to_owned())]);
}

#[tokio::test]
async fn the_generated_paginator_reports_a_token_loop() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        json(serde_json::json!({"RequestId": "r", "NextToken": "same", "Widgets": ["a"]}))
    }));
    let pages: Vec<_> = client_over(&transport)
        .list_widgets()
        .region_id("cn-hangzhou")
        .into_paginator()
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(matches!(
        pages[2],
        Err(TokenPagingError::RepeatedToken { page: 2, .. })
    ));
}

#[tokio::test]
async fn the_generated_paginator_checks_the_request_first() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| panic!("nothing is sent")));
    let pages: Vec<_> = client_over(&transport)
        .list_widgets()
        .region_id("cn-hangzhou")
        .max_results(101)
        .into_paginator()
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    assert!(matches!(
        &pages[0],
        Err(TokenPagingError::Call(acs_runtime::SdkError::Build(e))) if e.parameter == "MaxResults"
    ));
}

#[test]
fn an_object_in_json_style_is_one_parameter_under_its_wire_names() {
    let request = DescribeThingsRequest::builder()
        .region_id("cn-hangzhou")
        .options(Filter::new().key("k\"1").value("镜像"))
        .build()
        .expect("builds");
    let params = params_of(&request);
    assert_eq!(value(&params, "Options"), Some(r#"{"Key":"k\"1","Value":"镜像"}"#));
    assert!(!params.iter().any(|(n, _)| n.starts_with("Options.")), "{params:?}");
    let unset = DescribeThingsRequest::builder()
        .region_id("cn-hangzhou")
        .build()
        .expect("builds");
    assert_eq!(value(&params_of(&unset), "Options"), None);
}

#[test]
fn maps_are_sent_flat_by_key_or_as_one_json_object() {
    let request = DescribeThingsRequest::builder()
        .region_id("cn-hangzhou")
        .labels("env", "prod")
        .labels("app", "web")
        .settings("b", 2)
        .settings("a", 1)
        .filters("first", Filter::new().key("k"))
        .build()
        .expect("builds");
    let params = params_of(&request);
    // Flat entries in key order, whatever order they were set in.
    let labels: Vec<&(String, String)> =
        params.iter().filter(|(n, _)| n.starts_with("Labels")).collect();
    assert_eq!(
        labels,
        [
            &("Labels.app".to_owned(), "web".to_owned()),
            &("Labels.env".to_owned(), "prod".to_owned())
        ]
    );
    assert_eq!(value(&params, "Settings"), Some(r#"{"a":1,"b":2}"#));
    assert_eq!(value(&params, "Filters.first.Key"), Some("k"));
    let empty = DescribeThingsRequest::builder()
        .region_id("cn-hangzhou")
        .build()
        .expect("builds");
    let params = params_of(&empty);
    assert!(
        !params.iter().any(|(n, _)| n.starts_with("Labels") || n.starts_with("Settings")),
        "{params:?}"
    );
}

#[test]
fn a_map_in_a_response_keeps_its_good_entries() {
    let (response, anomalies) = acs_runtime::decode::decode_response::<DescribeThingsResponse>(
        br#"{"RequestId": "r", "Quotas": {"cpu": 4, "disk": "20", "gpu": "many", "none": null}}"#,
    )
    .expect("decodes");
    let quotas: Vec<(&str, i32)> = response.quotas.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    assert_eq!(quotas, [("cpu", 4), ("disk", 20)]);
    assert_eq!(anomalies.len(), 1, "{anomalies:?}");
    assert!(format!("{anomalies:?}").contains("gpu"), "{anomalies:?}");
}

#[tokio::test]
async fn a_header_parameter_is_sent_and_signed_as_a_header() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        json(serde_json::json!({"RequestId": "r"}))
    }));
    client_over(&transport)
        .describe_things()
        .region_id("cn-hangzhou")
        .trace_id("trace-1")
        .send()
        .await
        .expect("sent");
    let request = &transport.requests()[0];
    assert_eq!(request.header("x-acs-trace-id"), Some("trace-1"));
    assert_eq!(query_param(request, "x-acs-trace-id"), None);
    let authorization = request.header("authorization").expect("signed");
    assert!(authorization.contains("x-acs-trace-id"), "{authorization}");
}
