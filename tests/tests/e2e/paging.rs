//! The generated paginators against the local gateway: pages are asked for by number, the walk
//! stops at the total, at a short page, or when the service repeats itself, and an error ends it.

use crate::support::*;
use acs_appstream_center as appstream_center;
use acs_ecs as ecs;
use acs_ens as ens;
use acs_runtime::retry::RetryPolicy;
use acs_swas_open as swas_open;
use acs_test_gateway::{Response, TestServer};
use futures_util::{TryStream, TryStreamExt as _};
use serde_json::{Value, json};

/// Every image of the ECS listing, walked two at a time from `start` (page 1 when `None`).
async fn ecs_walk(server: &TestServer, start: Option<i32>) -> Vec<ecs::Image> {
    ecs::Client::new(config(server))
        .describe_images()
        .region_id("cn-hangzhou")
        .page_size(2)
        .set_page_number(start)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .expect("every item arrives")
}

/// Every image of the ECS listing, walked two at a time from page 1 with at most `max_pages`
/// pages (the default cap when `None`); a walk that has not ended after 10 minutes (a few dozen
/// pages on loopback take well under a second) fails the test, rather than the paginator looping
/// for ever.
async fn ecs_walk_ending(server: &TestServer, max_pages: Option<usize>) -> Vec<ecs::Image> {
    let mut paginator = two_images_a_page(&ecs::Client::new(config(server)));
    if let Some(max_pages) = max_pages {
        paginator = paginator.max_pages(max_pages);
    }
    let walk = paginator.items().try_collect::<Vec<ecs::Image>>();
    tokio::time::timeout(PATIENT, walk)
        .await
        .expect("the paginator must not loop")
        .expect("every page arrives")
}

/// Answers every page of two images past the second with the second page again, showing the
/// page number `shown(asked)`.
fn serve_page_two_for_ever(server: &TestServer, shown: fn(usize) -> usize) {
    server.respond_with("DescribeImages", move |request| {
        let asked = page_of(request);
        let page = asked.min(2);
        let first = (page - 1) * 2 + 1;
        Response::ok(json!({
            "PageNumber": shown(asked),
            "PageSize": 2,
            "Images": {"Image": ecs_images(first..=first + 1)},
        }))
    });
}

/// The image ids a walk from `start` yields over a listing of `total` images served two at a
/// time (counted in `TotalCount` when `with_total`), and the pages it asked for.
async fn listing_walk(
    total: usize,
    with_total: bool,
    start: Option<i32>,
) -> (Vec<String>, Vec<usize>) {
    let server = gateway().await;
    serve_ecs_listing(&server, total, with_total);
    let items = ecs_walk(&server, start).await;
    (ids(&items), pages_asked(&server))
}

/// The image ids a walk yields (with at most `max_pages` pages when given) over a service that
/// answers every page past the second with the second again (see [`serve_page_two_for_ever`]),
/// and the pages it asked for.
async fn walk_over_page_two_for_ever(
    shown: fn(usize) -> usize,
    max_pages: Option<usize>,
) -> (Vec<String>, Vec<usize>) {
    let server = gateway().await;
    serve_page_two_for_ever(&server, shown);
    let items = ecs_walk_ending(&server, max_pages).await;
    (ids(&items), pages_asked(&server))
}

/// The id of each of `images`, empty where one has none.
fn ids(images: &[ecs::Image]) -> Vec<String> {
    images
        .iter()
        .map(|image| image.image_id.clone().unwrap_or_default())
        .collect()
}

/// The ids [`ecs_images`] gives the images numbered `range`.
fn expected_ids(range: std::ops::RangeInclusive<usize>) -> Vec<String> {
    range.map(|n| format!("m-{n}")).collect()
}

/// The image id of every item a walk yields, in order, leaving out items that have none; an
/// error fails the test.
async fn item_ids<T, E: std::fmt::Debug>(
    items: impl TryStream<Ok = T, Error = E>,
    image_id: impl FnMut(T) -> Option<String>,
) -> Vec<String> {
    let items: Vec<T> = items.try_collect().await.expect("every item arrives");
    items.into_iter().filter_map(image_id).collect()
}

#[tokio::test]
async fn three_pages_by_number_stop_at_the_total() {
    let server = gateway().await;
    serve_ecs_listing(&server, 6, true);
    let client = ecs::Client::new(config(&server));
    let pages: Vec<ecs::DescribeImagesResponse> = two_images_a_page(&client)
        .pages()
        .try_collect()
        .await
        .expect("every page arrives");
    assert_eq!(pages.len(), 3);
    assert_eq!(page_numbers(&pages), [Some(1), Some(2), Some(3)]);
    assert_eq!(
        pages_asked(&server),
        [1, 2, 3],
        "a fourth page is never asked for: the total is reached"
    );
    for request in server.requests() {
        assert_eq!(request.param("PageSize"), Some("2"));
        assert_eq!(request.param("RegionId"), Some("cn-hangzhou"));
    }
    let all: Vec<ecs::Image> = pages.into_iter().flat_map(|p| p.images).collect();
    assert_eq!(ids(&all), expected_ids(1..=6));
}

#[tokio::test]
async fn items_stream_across_pages_in_order() {
    assert_eq!(
        listing_walk(5, true, None).await,
        (expected_ids(1..=5), [1, 2, 3].to_vec())
    );
}

#[tokio::test]
async fn the_walk_starts_at_the_requested_page() {
    assert_eq!(
        listing_walk(6, true, Some(2)).await,
        (expected_ids(3..=6), [2, 3].to_vec())
    );
}

#[tokio::test]
async fn without_a_total_a_short_page_is_the_last() {
    assert_eq!(
        listing_walk(5, false, None).await,
        (expected_ids(1..=5), [1, 2, 3].to_vec())
    );
}

#[tokio::test]
async fn without_a_total_an_exact_multiple_ends_on_an_empty_page() {
    assert_eq!(
        listing_walk(4, false, None).await,
        (expected_ids(1..=4), [1, 2, 3].to_vec())
    );
}

/// A service that answers every page past the end with the last page again, byte for byte.
#[tokio::test]
async fn a_repeated_page_ends_the_walk() {
    assert_eq!(
        walk_over_page_two_for_ever(|asked| asked.min(2), None).await,
        (expected_ids(1..=4), [1, 2, 3].to_vec()),
        "the repeat is not yielded"
    );
}

/// A service that answers every page past the end with the last page's items again, while
/// echoing the page number it was asked for (and a fresh RequestId each time).
#[tokio::test]
async fn a_repeated_page_with_an_echoed_page_number_ends_the_walk() {
    assert_eq!(
        walk_over_page_two_for_ever(|asked| asked, Some(50)).await,
        (expected_ids(1..=4), [1, 2, 3].to_vec()),
        "the same items again are a repeat, whatever page number the service echoes"
    );
}

#[tokio::test]
async fn an_error_mid_walk_is_yielded_and_ends_the_stream() {
    let server = gateway().await;
    server.respond_with("DescribeImages", |request| {
        if page_of(request) == 2 {
            return Response::error(
                400,
                "InvalidParameter",
                "The specified parameter \"PageNumber\" is not valid.",
            );
        }
        Response::ok(json!({
            "TotalCount": 6,
            "Images": {"Image": ecs_images(1..=2)},
        }))
    });
    let client = ecs::Client::new(
        config_for(&server)
            .retry_policy(RetryPolicy::disabled())
            .build()
            .expect("config builds"),
    );
    let mut pages = two_images_a_page(&client).pages();
    let first = pages.try_next().await.expect("page 1 arrives");
    assert_eq!(first.map(|p| p.images.len()), Some(2));
    let err = pages.try_next().await.expect_err("page 2 fails");
    assert!(
        matches!(
            err.as_service_error(),
            Some(ecs::DescribeImagesError::InvalidParameter(_))
        ),
        "{err:?}"
    );
    assert!(
        matches!(pages.try_next().await, Ok(None)),
        "nothing after the error"
    );
    assert_eq!(pages_asked(&server), [1, 2]);
}

#[tokio::test]
async fn a_request_failing_its_checks_is_the_only_element() {
    let server = gateway().await;
    let client = ecs::Client::new(config(&server));
    let mut pages = client
        .describe_images()
        .page_size(2)
        .into_paginator()
        .pages();
    let err = pages.try_next().await.expect_err("RegionId is required");
    assert!(matches!(err, acs_runtime::SdkError::Build(_)), "{err:?}");
    assert!(matches!(pages.try_next().await, Ok(None)));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn swas_total_count_sent_as_a_string_stops_the_walk() {
    let server = gateway().await;
    let template = sample_json(SWAS_SPEC, "ListCustomImages", None)["CustomImages"][0].clone();
    server.respond_with("ListCustomImages", move |request| {
        let page = page_of(request);
        let images: Vec<Value> = (0..2)
            .map(|i| {
                let mut image = template.clone();
                image["ImageId"] = json!(format!("m-{}", (page - 1) * 2 + i + 1));
                image
            })
            .collect();
        Response::ok(json!({
            "CustomImages": images,
            "TotalCount": "4",
            "PageSize": "2",
            "PageNumber": page.to_string(),
        }))
    });
    let client = swas_open::Client::new(config(&server));
    let walk = client
        .list_custom_images()
        .region_id("cn-hangzhou")
        .page_size(2)
        .into_paginator()
        .items();
    let got = item_ids(walk, |image: swas_open::CustomImage| image.image_id).await;
    assert_eq!(got, ["m-1", "m-2", "m-3", "m-4"]);
    assert_eq!(pages_asked(&server), [1, 2]);
}

#[tokio::test]
async fn ens_pages_from_its_sample() {
    let server = gateway().await;
    let template = sample_json(ENS_SPEC, "DescribeSelfImages", None);
    server.respond_with("DescribeSelfImages", move |request| {
        let page = page_of(request);
        let mut body = template.clone();
        let mut image = body["Images"]["Image"][0].clone();
        image["ImageId"] = json!(format!("img-{page}"));
        body["Images"]["Image"] = json!([image]);
        body["PageNumber"] = json!(page.to_string());
        body["PageSize"] = json!("1");
        body["TotalCount"] = json!("3");
        Response::ok(body)
    });
    let client = ens::Client::new(config(&server));
    let walk = client
        .describe_self_images()
        .page_size(1)
        .into_paginator()
        .items();
    let got = item_ids(walk, |image: ens::Image| image.image_id).await;
    assert_eq!(got, ["img-1", "img-2", "img-3"]);
    assert_eq!(pages_asked(&server), [1, 2, 3]);
}

/// ListImage sends PageNumber in the form body; the paginator must move it there, not add one to
/// the query.
#[tokio::test]
async fn appstream_pages_travel_in_the_form_body() {
    let server = gateway().await;
    let template = sample_json(APPSTREAM_SPEC, "ListImage", None);
    server.respond_with("ListImage", move |request| {
        let page = page_of(request);
        let mut body = template.clone();
        let mut image = body["Data"][0].clone();
        image["ImageId"] = json!(format!("imgc-{page}"));
        body["Data"] = if page <= 3 { json!([image]) } else { json!([]) };
        body["PageNumber"] = json!(page);
        body["PageSize"] = json!(1);
        body["Count"] = json!(3);
        Response::ok(body)
    });
    let client = appstream_center::Client::new(config(&server));
    let walk = client
        .list_image()
        .page_size(1)
        .distro("Ubuntu")
        .into_paginator()
        .items();
    let got = item_ids(walk, |image: appstream_center::Image| image.image_id).await;
    assert_eq!(got, ["imgc-1", "imgc-2", "imgc-3"]);
    let requests = all_v3_verified(&server);
    assert_eq!(requests.len(), 3);
    for (index, request) in requests.iter().enumerate() {
        let page = index + 1;
        if page > 1 {
            assert!(
                request
                    .form
                    .contains(&("PageNumber".to_owned(), page.to_string())),
                "page {page} is asked for in the form body: {:?}",
                request.form
            );
        }
        assert!(
            !request.query.iter().any(|(name, _)| name == "PageNumber"),
            "PageNumber never goes in the query: {}",
            request.raw_query
        );
        assert_eq!(request.query, [("Distro".to_owned(), "Ubuntu".to_owned())]);
    }
}

/// A page that comes short only because one of its items is null (or was left out as
/// malformed) is not the last while the total says more are to come.
#[tokio::test]
async fn a_page_short_of_a_null_item_is_not_the_last_while_the_total_says_more() {
    let server = gateway().await;
    server.respond_with("DescribeImages", |request| {
        let page = page_of(request);
        let mut images = ecs_images((page - 1) * 2 + 1..=(page * 2).min(4));
        if page == 1 {
            images[1] = Value::Null;
        }
        Response::ok(json!({
            "PageNumber": page,
            "PageSize": 2,
            "TotalCount": 4,
            "Images": {"Image": images},
        }))
    });
    let items = ecs_walk(&server, None).await;
    assert_eq!(ids(&items), ["m-1", "m-3", "m-4"]);
    // Three items arrived of the four counted, so page 3 is asked for, and its emptiness ends the
    // walk: counting what arrived can cost one request, never an item.
    assert_eq!(pages_asked(&server), [1, 2, 3]);
}
