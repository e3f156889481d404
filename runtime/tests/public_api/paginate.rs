//! The paginator over an in-memory service that pages like Alibaba's list APIs.

use std::sync::Arc;

use crate::support::*;
use acs_runtime::http::{HttpRequest, HttpResponse, InMemoryTransport, TransportError};
use acs_runtime::paginate::{Paginator, PagingError};
use acs_runtime::retry::RetryPolicy;
use acs_runtime::validate::BuildError;
use acs_runtime::{Client, SdkError};
use futures_util::StreamExt as _;

type ListPaginator = Paginator<ListRequest, ListResponse, ListError>;

/// The page number a request asked for (1 when it named none).
fn page_of(request: &HttpRequest) -> i64 {
    query_param(request, "PageNumber")
        .and_then(|page| page.parse().ok())
        .unwrap_or(1)
}

/// A service holding `total` items named `item-N`, paged by the request's `PageSize` (10 by
/// default), answering with `TotalCount` when `send_total`.
fn catalogue(total: usize, send_total: bool) -> Arc<InMemoryTransport> {
    Arc::new(InMemoryTransport::from_fn(move |request| {
        let size: usize = query_param(request, "PageSize")
            .and_then(|size| size.parse().ok())
            .unwrap_or(10);
        let page = usize::try_from(page_of(request)).unwrap_or(1);
        let names: Vec<String> = ((page - 1) * size..(page * size).min(total))
            .map(|n| format!("item-{n}"))
            .collect();
        let count = send_total.then(|| i64::try_from(total).unwrap_or(i64::MAX));
        ok(page_body(&format!("REQ-{page}"), count, &as_strs(&names)))
    }))
}

fn client_over(transport: &Arc<InMemoryTransport>) -> Client {
    Client::new(&SERVICE, builder(transport).build().unwrap())
}

fn paged_request(page_size: Option<i64>) -> ListRequest {
    let mut request = ListRequest::new();
    request.page_size = page_size;
    request
}

/// A paginator over `transport` from the first page, `page_size` items a page.
fn paginator_over(transport: &Arc<InMemoryTransport>, page_size: Option<i64>) -> ListPaginator {
    ListPaginator::new(client_over(transport), &LIST, Ok(paged_request(page_size)))
}

/// A paginator over `transport` from page 2, 10 items a page.
fn paginator_from_page_two(transport: &Arc<InMemoryTransport>) -> ListPaginator {
    let mut request = paged_request(Some(10));
    request.page_number = Some(2);
    ListPaginator::new(client_over(transport), &LIST, Ok(request))
}

/// Every page of the walk; each must arrive.
async fn pages_of(paginator: ListPaginator) -> Vec<ListResponse> {
    paginator.pages().map(Result::unwrap).collect().await
}

/// Every item of the walk; each page must arrive.
async fn items_of(paginator: ListPaginator) -> Vec<String> {
    paginator.items().map(Result::unwrap).collect().await
}

fn as_strs(names: &[String]) -> Vec<&str> {
    names.iter().map(String::as_str).collect()
}

#[tokio::test]
async fn three_pages_are_fetched_in_order() {
    let transport = catalogue(25, true);
    let pages: Vec<ListResponse> = pages_of(paginator_over(&transport, Some(10))).await;
    let lengths: Vec<usize> = pages.iter().map(|page| page.items.len()).collect();
    assert_eq!(lengths, [10, 10, 5]);
    let request_ids: Vec<_> = pages
        .iter()
        .map(|page| page.meta.request_id.clone().unwrap_or_default())
        .collect();
    assert_eq!(request_ids, ["REQ-1", "REQ-2", "REQ-3"]);
    let asked: Vec<i64> = transport.requests().iter().map(page_of).collect();
    assert_eq!(asked, [1, 2, 3]);
    // The first request is sent as the caller wrote it: no PageNumber added.
    assert_eq!(query_param(&transport.requests()[0], "PageNumber"), None);
}

#[tokio::test]
async fn items_flatten_the_pages() {
    let transport = catalogue(25, true);
    let items: Vec<String> = items_of(paginator_over(&transport, Some(10))).await;
    assert_eq!(items.len(), 25);
    assert_eq!(items[0], "item-0");
    assert_eq!(items[24], "item-24");
}

#[tokio::test]
async fn the_total_count_stops_before_an_empty_page() {
    // 20 items in pages of 10: both pages are full, the total says there is no third.
    let transport = catalogue(20, true);
    let items: Vec<_> = paginator_over(&transport, Some(10)).items().collect().await;
    assert_eq!(items.len(), 20);
    assert_eq!(transport.request_count(), 2);
}

/// A service that caps the page size (as ENS does at 50) and says so in `PageSize`: its pages
/// are shorter than asked for without being the last.
fn capped_catalogue(total: usize, cap: usize, send_total: bool) -> Arc<InMemoryTransport> {
    Arc::new(InMemoryTransport::from_fn(move |request| {
        let asked: usize = query_param(request, "PageSize")
            .and_then(|size| size.parse().ok())
            .unwrap_or(10);
        let size = asked.min(cap);
        let page = usize::try_from(page_of(request)).unwrap_or(1);
        let items: Vec<String> = ((page - 1) * size..(page * size).min(total))
            .map(|n| format!("item-{n}"))
            .collect();
        let mut body = serde_json::json!({ "RequestId": format!("REQ-{page}"), "Items": items, "PageSize": size });
        if send_total {
            body["TotalCount"] = total.into();
        }
        ok(body.to_string())
    }))
}

#[tokio::test]
async fn a_page_size_the_service_capped_is_not_mistaken_for_the_end() {
    for send_total in [true, false] {
        let transport = capped_catalogue(120, 50, send_total);
        let items: Vec<String> = items_of(paginator_over(&transport, Some(100))).await;
        assert_eq!(items.len(), 120, "TotalCount sent: {send_total}");
        assert_eq!(items[119], "item-119");
        assert_eq!(transport.request_count(), 3, "pages of 50, 50 and 20");
    }
}

#[tokio::test]
async fn a_walk_from_a_later_page_counts_the_pages_it_skipped() {
    // 25 items from page 2 in pages of 10: items 10..25, and the total is reached on page 3.
    let transport = catalogue(25, true);
    let items: Vec<String> = items_of(paginator_from_page_two(&transport)).await;
    assert_eq!(items.first().map(String::as_str), Some("item-10"));
    assert_eq!(items.len(), 15);
    assert_eq!(transport.request_count(), 2);
}

#[tokio::test]
async fn without_a_total_count_a_short_page_ends_the_walk() {
    let transport = catalogue(23, false);
    let items: Vec<_> = items_of(paginator_over(&transport, None)).await;
    assert_eq!(items.len(), 23);
    assert_eq!(transport.request_count(), 3, "page size 10 by default");
}

#[tokio::test]
async fn without_a_total_count_an_empty_page_ends_the_walk() {
    let transport = catalogue(20, false);
    let pages: Vec<_> = pages_of(paginator_over(&transport, Some(10))).await;
    let lengths: Vec<usize> = pages.iter().map(|page| page.items.len()).collect();
    assert_eq!(lengths, [10, 10, 0]);
    assert_eq!(transport.request_count(), 3);
}

#[tokio::test]
async fn the_walk_starts_at_the_requested_page() {
    let transport = catalogue(25, true);
    let items: Vec<String> = items_of(paginator_from_page_two(&transport)).await;
    assert_eq!(items.len(), 15);
    assert_eq!(items[0], "item-10");
    let asked: Vec<i64> = transport.requests().iter().map(page_of).collect();
    assert_eq!(asked, [2, 3]);
}

#[tokio::test]
async fn a_service_that_repeats_its_last_page_is_caught() {
    // Always the same full page, with a new request id and no total: only the repeat stops it.
    let transport = Arc::new(InMemoryTransport::from_fn(|request| {
        let names: Vec<String> = (0..10).map(|n| format!("same-{n}")).collect();
        ok(page_body(
            &format!("REQ-{}", page_of(request)),
            None,
            &as_strs(&names),
        ))
    }));
    let pages: Vec<_> = paginator_over(&transport, Some(10)).pages().collect().await;
    assert_eq!(pages.len(), 1);
    assert_eq!(transport.request_count(), 2);
}

#[tokio::test]
async fn a_wrong_total_cannot_make_it_loop_forever() {
    // Distinct full pages forever, and a total that claims there are more: the cap stops it.
    let transport = Arc::new(InMemoryTransport::from_fn(|request| {
        let page = page_of(request);
        let names: Vec<String> = (0..10).map(|n| format!("p{page}-{n}")).collect();
        ok(page_body("R", Some(i64::MAX), &as_strs(&names)))
    }));
    let pages: Vec<_> = paginator_over(&transport, Some(10))
        .max_pages(7)
        .pages()
        .collect()
        .await;
    assert_eq!(
        pages.len(),
        8,
        "seven pages, then the error that says why the walk stopped"
    );
    assert!(pages[..7].iter().all(Result::is_ok));
    match &pages[7] {
        Err(SdkError::Paging(PagingError::PageCapReached {
            pages: 7,
            next_page: 8,
        })) => {}
        other => panic!("expected the page cap's error, got {other:?}"),
    }
    let shown = pages[7].as_ref().unwrap_err().to_string();
    assert!(shown.contains("max_pages"), "{shown}");
    assert_eq!(transport.request_count(), 7);
}

/// A service whose second page holds only nulls, though its total says more items follow.
fn catalogue_with_a_page_of_nulls() -> Arc<InMemoryTransport> {
    Arc::new(InMemoryTransport::from_fn(|request| {
        let page = page_of(request);
        let items = if page == 2 {
            serde_json::json!([null, null])
        } else {
            serde_json::json!([format!("p{page}-a"), format!("p{page}-b")])
        };
        ok(serde_json::json!({"RequestId": "R", "TotalCount": 6, "Items": items}).to_string())
    }))
}

#[tokio::test]
async fn a_page_of_nulls_before_the_total_ends_the_walk_with_an_error() {
    let transport = catalogue_with_a_page_of_nulls();
    let pages: Vec<Result<NullableResponse, _>> =
        Paginator::<ListRequest, NullableResponse, ListError>::new(
            client_over(&transport),
            &LIST,
            Ok(paged_request(Some(2))),
        )
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].as_ref().unwrap().items.len(), 2);
    match &pages[1] {
        Err(SdkError::Paging(PagingError::EmptyPage {
            page: 2,
            total: 6,
            received: 2,
            next_page: 3,
        })) => {}
        other => panic!("expected an empty page error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_repeated_page_before_the_total_ends_the_walk_with_an_error() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        ok(page_body("R", Some(100), &["same-1", "same-2"]))
    }));
    let pages: Vec<_> = paginator_over(&transport, Some(2)).pages().collect().await;
    assert_eq!(pages.len(), 2);
    assert!(
        matches!(
            &pages[1],
            Err(SdkError::Paging(PagingError::RepeatedPage { page: 2, .. }))
        ),
        "{:?}",
        pages[1]
    );
}

/// A page whose list decodes leniently, skipping null items as the generated types do.
#[derive(Debug, Default, serde::Deserialize)]
struct NullableResponse {
    #[serde(
        rename = "TotalCount",
        default,
        deserialize_with = "acs_runtime::codegen::lenient::opt"
    )]
    total_count: Option<i64>,
    #[serde(
        rename = "Items",
        default,
        deserialize_with = "acs_runtime::codegen::lenient::list"
    )]
    items: Vec<String>,
}

impl acs_runtime::OperationOutput for NullableResponse {
    fn set_meta(&mut self, _meta: acs_runtime::ResponseMeta) {}
}

impl acs_runtime::paginate::PagedResponse for NullableResponse {
    type Item = String;
    fn total_count(&self) -> Option<i64> {
        self.total_count
    }
    fn items(&self) -> &[String] {
        &self.items
    }
    fn into_items(self) -> Vec<String> {
        self.items
    }
}

#[tokio::test]
async fn an_error_ends_the_stream_after_it_is_yielded() {
    let mut responses: Vec<Result<HttpResponse, TransportError>> =
        vec![ok(page_body("R1", Some(30), &["a"; 10]))];
    responses.push(Ok(HttpResponse::new(
        400,
        error_body("InvalidParameter.PageNumber", "R2"),
    )));
    let transport = Arc::new(InMemoryTransport::from_responses(responses));
    let config = builder(&transport)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let results: Vec<_> = ListPaginator::new(
        Client::new(&SERVICE, config),
        &LIST,
        Ok(paged_request(Some(10))),
    )
    .items()
    .collect()
    .await;
    assert_eq!(results.len(), 11);
    assert!(results[..10].iter().all(Result::is_ok));
    assert!(matches!(
        results[10],
        Err(SdkError::Service(ListError::InvalidParameter(_)))
    ));
    assert_eq!(transport.request_count(), 2);
}

#[tokio::test]
async fn a_request_that_failed_its_checks_yields_that_error_only() {
    let transport = catalogue(5, true);
    let build_error = BuildError {
        parameter: "PageSize".to_owned(),
        problem: "must be at most 100, got 500".to_owned(),
    };
    let results: Vec<_> = ListPaginator::new(client_over(&transport), &LIST, Err(build_error))
        .pages()
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert!(matches!(&results[0], Err(SdkError::Build(err)) if err.parameter == "PageSize"));
    assert_eq!(transport.request_count(), 0);
}
