//! The blocking client against the local gateway, from plain (non-async) tests and from
//! `spawn_blocking`: a call, a retry after throttling, a documented error, a three-page walk,
//! request values loaded from JSON and sent with `client.send` (through the async client as
//! well), and the refusal on a thread running async code.

use crate::support::*;
use acs_ecs as ecs;
use acs_runtime::SdkError;
use acs_test_gateway::{Fault, TestServer};
use serde_json::json;

fn blocking_client(server: &TestServer) -> ecs::BlockingClient {
    ecs::BlockingClient::with_config(config(server)).expect("the blocking client starts")
}

#[test]
fn a_blocking_call_returns_the_decoded_response() {
    let server = gateway_thread();
    serve_ecs_sample(&server);
    let out = blocking_client(&server)
        .describe_images()
        .region_id("cn-hangzhou")
        .send()
        .expect("the call succeeds");
    assert_eq!(out.total_count, Some(24));
    assert!(!out.images.is_empty());
    let requests = all_v3_verified(&server);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].param("RegionId"), Some("cn-hangzhou"));
}

#[test]
fn a_blocking_call_is_retried_after_throttling() {
    let server = gateway_thread();
    serve_ecs_sample(&server);
    server.inject(Fault::throttling());
    let out = blocking_client(&server)
        .describe_images()
        .region_id("cn-hangzhou")
        .send()
        .expect("the retry succeeds");
    assert_eq!(out.total_count, Some(24));
    retried_once_past(&server, Fault::throttling());
}

#[test]
fn a_documented_code_comes_back_as_its_variant() {
    let server = gateway_thread();
    answer_with_a_documented_error(&server);
    let err = blocking_client(&server)
        .describe_images()
        .region_id("cn-hangzhou")
        .image_owner_alias("nobody")
        .send()
        .expect_err("the service refuses the alias");
    documented_error_of(&err);
    assert_eq!(server.requests().len(), 1, "a client error is not retried");
}

#[test]
fn three_pages_walk_as_an_iterator_of_pages_and_of_items() {
    let server = gateway_thread();
    serve_ecs_listing(&server, 6, true);
    let client = blocking_client(&server);
    let pages: Vec<ecs::DescribeImagesResponse> = two_images_a_page(&client)
        .pages()
        .collect::<Result<_, _>>()
        .expect("every page arrives");
    assert_eq!(page_numbers(&pages), [Some(1), Some(2), Some(3)]);
    assert_eq!(pages_asked(&server), [1, 2, 3]);
    server.clear_requests();
    let images: Vec<ecs::Image> = two_images_a_page(&client)
        .items()
        .collect::<Result<_, _>>()
        .expect("every item arrives");
    let ids: Vec<&str> = images
        .iter()
        .map(|image| image.image_id.as_deref().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["m-1", "m-2", "m-3", "m-4", "m-5", "m-6"]);
    assert_eq!(pages_asked(&server), [1, 2, 3]);
}

#[test]
fn a_request_loaded_from_json_is_sent_by_the_blocking_client() {
    let server = gateway_thread();
    serve_ecs_sample(&server);
    let request: ecs::DescribeImagesRequest = serde_json::from_value(json!({
        "RegionId": "cn-hangzhou",
        "ImageOwnerAlias": "self",
        "PageSize": 5,
    }))
    .expect("the request loads");
    let out = blocking_client(&server)
        .send(request)
        .expect("the call succeeds");
    assert_eq!(out.total_count, Some(24));
    let requests = all_v3_verified(&server);
    assert_eq!(requests[0].param("ImageOwnerAlias"), Some("self"));
    assert_eq!(requests[0].param("PageSize"), Some("5"));
}

#[test]
fn a_loaded_request_over_a_documented_limit_is_refused_before_sending() {
    let server = gateway_thread();
    let request: ecs::DescribeImagesRequest =
        serde_json::from_value(json!({"RegionId": "cn-hangzhou", "PageSize": 500}))
            .expect("serde reads the value; the limits are checked when sending");
    let err = blocking_client(&server)
        .send(request)
        .expect_err("PageSize is at most 100");
    let SdkError::Build(build) = &err else {
        panic!("expected a build error, got {err:?}");
    };
    assert!(build.to_string().contains("PageSize"), "{build}");
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[test]
fn called_inside_an_async_runtime_it_answers_an_error_and_sends_nothing() {
    let server = gateway_thread();
    serve_ecs_sample(&server);
    let client = blocking_client(&server);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime starts");
    let err = runtime.block_on(async {
        client
            .describe_images()
            .region_id("cn-hangzhou")
            .send()
            .expect_err("blocking inside a runtime is refused")
    });
    assert!(
        matches!(err, SdkError::BlockingInAsyncContext),
        "expected BlockingInAsyncContext, got {err:?}"
    );
    assert!(err.to_string().contains("async runtime"), "{err}");
    let started = runtime.block_on(async { ecs::BlockingClient::from_env_blocking() });
    assert!(
        matches!(
            started,
            Err(acs_runtime::blocking::StartError::InsideAsyncRuntime)
        ),
        "from_env_blocking would wait for the environment there: {started:?}"
    );
    let mut pages = client
        .describe_images()
        .region_id("cn-hangzhou")
        .into_paginator()
        .pages();
    let first = runtime.block_on(async { pages.next() });
    assert!(
        matches!(first, Some(Err(SdkError::BlockingInAsyncContext))),
        "expected BlockingInAsyncContext, got {first:?}"
    );
    assert!(pages.next().is_none(), "the walk ends after the error");
    assert!(server.requests().is_empty(), "nothing was sent");
    // Its runtime is let go of without waiting, so the last clone may be dropped anywhere.
    let last_clone = blocking_client(&server);
    runtime.block_on(async move { drop(last_clone) });
    drop(runtime);
    client
        .describe_images()
        .region_id("cn-hangzhou")
        .send()
        .expect("outside the runtime the same client works");
}

/// What the README and the refusal itself recommend: the blocking client from
/// `spawn_blocking`, set up in async code and handed over, on either runtime flavour.
async fn a_call_from_spawn_blocking_is_sent() {
    let server = gateway().await;
    serve_ecs_sample(&server);
    let client = blocking_client(&server);
    let total = tokio::task::spawn_blocking(move || {
        client
            .describe_images()
            .region_id("cn-hangzhou")
            .send()
            .map(|out| out.total_count)
            .map_err(|err| format!("{err:?}"))
    })
    .await
    .expect("the blocking task ends")
    .expect("the call succeeds");
    assert_eq!(total, Some(24));
    assert_eq!(all_v3_verified(&server).len(), 1);
}

#[tokio::test(flavor = "current_thread")]
async fn a_call_from_spawn_blocking_on_a_current_thread_runtime_is_sent() {
    a_call_from_spawn_blocking_is_sent().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_from_spawn_blocking_on_a_multi_thread_runtime_is_sent() {
    a_call_from_spawn_blocking_is_sent().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_on_a_worker_thread_is_still_refused() {
    let server = gateway().await;
    serve_ecs_sample(&server);
    let client = blocking_client(&server);
    let sent =
        tokio::spawn(async move { client.describe_images().region_id("cn-hangzhou").send() })
            .await
            .expect("the task ends");
    assert!(
        matches!(sent, Err(SdkError::BlockingInAsyncContext)),
        "{sent:?}"
    );
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_request_loaded_from_json_is_sent_by_the_async_client() {
    let server = gateway().await;
    serve_ecs_sample(&server);
    let client = ecs::Client::new(config(&server));
    let request: ecs::DescribeImagesRequest =
        serde_json::from_value(json!({"RegionId": "cn-hangzhou", "ImageOwnerAlias": "system"}))
            .expect("the request loads");
    let replayed = request.clone();
    let out = client.send(request).await.expect("the call succeeds");
    assert_eq!(out.total_count, Some(24));
    client
        .send(replayed)
        .await
        .expect("a stored request sends again");
    let requests = all_v3_verified(&server);
    assert_eq!(requests.len(), 2);
    assert!(
        requests
            .iter()
            .all(|r| r.param("ImageOwnerAlias") == Some("system"))
    );
    let over: ecs::DescribeImagesRequest =
        serde_json::from_value(json!({"RegionId": "cn-hangzhou", "PageNumber": 0}))
            .expect("serde reads the value");
    let err = client
        .send(over)
        .await
        .expect_err("PageNumber is at least 1");
    assert!(matches!(err, SdkError::Build(_)), "{err:?}");
    assert_eq!(server.requests().len(), 2, "nothing more was sent");
}
