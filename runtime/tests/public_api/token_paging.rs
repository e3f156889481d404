//! The token paginator over an in-memory service that pages by `NextToken`, as ECS's newer list
//! APIs do.

use std::sync::Arc;

use crate::support::*;
use acs_runtime::credentials::Credentials;
use acs_runtime::http::{
    HttpRequest, HttpResponse, HttpTransport, InMemoryTransport, TransportFuture,
};
use acs_runtime::token_paging::{
    TokenPagedRequest, TokenPagedResponse, TokenPaginator, TokenPagingError,
};
use acs_runtime::validate::BuildError;
use acs_runtime::wire::{Location, Params, WriteParams};
use acs_runtime::{Client, Config, OperationOutput, ResponseMeta, SdkError};
use acs_test_support::allocation::peak_allocation;
use futures_util::StreamExt as _;

/// A request like a generated token-paged one.
#[derive(Debug, Clone, Default)]
struct TokenRequest {
    next_token: Option<String>,
    max_results: Option<i32>,
}

impl WriteParams for TokenRequest {
    fn write_params(&self, params: &mut Params) {
        params.plain(Location::Query, "RegionId", "cn-hangzhou");
        params.plain_opt(Location::Query, "NextToken", &self.next_token);
        params.plain_opt(Location::Query, "MaxResults", &self.max_results);
    }
}

impl TokenPagedRequest for TokenRequest {
    fn next_token(&self) -> Option<&str> {
        self.next_token.as_deref()
    }
    fn set_next_token(&mut self, token: String) {
        self.next_token = Some(token);
    }
}

#[derive(Debug, Default, serde::Deserialize)]
struct TokenResponse {
    #[serde(rename = "NextToken")]
    next_token: Option<String>,
    #[serde(rename = "Items", default)]
    items: Vec<String>,
    #[serde(skip)]
    meta: ResponseMeta,
}

impl OperationOutput for TokenResponse {
    fn set_meta(&mut self, meta: ResponseMeta) {
        self.meta = meta;
    }
}

impl TokenPagedResponse for TokenResponse {
    type Item = String;
    fn next_token(&self) -> Option<&str> {
        self.next_token.as_deref()
    }
    fn items(&self) -> &[String] {
        &self.items
    }
    fn into_items(self) -> Vec<String> {
        self.items
    }
}

type Paginator = TokenPaginator<TokenRequest, TokenResponse, ListError>;

/// A page of the in-memory service: the token that asks for it, its items, the token it names.
type Page = (
    Option<&'static str>,
    Vec<&'static str>,
    Option<&'static str>,
);

/// The `NextToken` a request sent, if any.
fn token_of(request: &HttpRequest) -> Option<String> {
    query_param(request, "NextToken")
}

/// A service answering each token in `pages` (`None` for the request without one) with its
/// items and the next token it names (`None`: no `NextToken` key at all).
fn service(pages: Vec<Page>) -> Arc<InMemoryTransport> {
    Arc::new(InMemoryTransport::from_fn(move |request| {
        let asked = token_of(request);
        let Some((_, items, next)) = pages.iter().find(|(t, _, _)| t.map(str::to_owned) == asked)
        else {
            return Ok(
                HttpResponse::new(400, error_body("InvalidParameter.NextToken", "REQ-X"))
                    .with_header("content-type", "application/json"),
            );
        };
        let mut body = serde_json::json!({ "RequestId": "REQ", "Items": items });
        if let (Some(next), Some(fields)) = (next, body.as_object_mut()) {
            fields.insert("NextToken".to_owned(), (*next).into());
        }
        ok(body.to_string())
    }))
}

fn client_over(transport: &Arc<InMemoryTransport>) -> Client {
    Client::new(&SERVICE, builder(transport).build().unwrap())
}

fn sent_tokens(transport: &InMemoryTransport) -> Vec<Option<String>> {
    transport.requests().iter().map(token_of).collect()
}

#[tokio::test]
async fn the_paginator_follows_each_token_until_a_page_has_none() {
    let transport = service(vec![
        (None, vec!["a", "b"], Some("t1")),
        (Some("t1"), vec!["c", "d"], Some("t2")),
        (Some("t2"), vec!["e"], None),
    ]);
    let request = TokenRequest {
        max_results: Some(2),
        ..TokenRequest::default()
    };
    let items: Vec<String> = Paginator::new(client_over(&transport), &LIST, Ok(request))
        .items()
        .map(|item| item.unwrap())
        .collect()
        .await;
    assert_eq!(items, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        sent_tokens(&transport),
        [None, Some("t1".to_owned()), Some("t2".to_owned())]
    );
    // MaxResults goes with every page.
    for request in transport.requests() {
        assert_eq!(query_param(&request, "MaxResults").as_deref(), Some("2"));
    }
}

#[tokio::test]
async fn an_empty_token_ends_the_walk() {
    let transport = service(vec![
        (None, vec!["a"], Some("t1")),
        (Some("t1"), vec!["b"], Some("")),
    ]);
    let pages: Vec<_> = Paginator::new(client_over(&transport), &LIST, Ok(TokenRequest::default()))
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(Result::is_ok), "{pages:?}");
    assert_eq!(transport.request_count(), 2);
}

#[tokio::test]
async fn a_repeated_token_is_an_error_after_its_page() {
    let transport = service(vec![
        (None, vec!["a"], Some("t1")),
        (Some("t1"), vec!["b"], Some("t2")),
        (Some("t2"), vec!["c"], Some("t1")),
    ]);
    let results: Vec<_> =
        Paginator::new(client_over(&transport), &LIST, Ok(TokenRequest::default()))
            .items()
            .collect()
            .await;
    assert_eq!(results.len(), 4, "{results:?}");
    let items: Vec<&String> = results[..3].iter().map(|r| r.as_ref().unwrap()).collect();
    assert_eq!(items, ["a", "b", "c"]);
    match &results[3] {
        Err(TokenPagingError::RepeatedToken { token, page }) => {
            assert_eq!(token, "t1");
            assert_eq!(*page, 3);
        }
        other => panic!("expected a repeated token, got {other:?}"),
    }
    assert_eq!(transport.request_count(), 3, "the loop is not followed");
}

#[tokio::test]
async fn the_token_the_walk_started_from_counts_as_given() {
    let transport = service(vec![(Some("start"), vec!["a"], Some("start"))]);
    let request = TokenRequest {
        next_token: Some("start".to_owned()),
        ..TokenRequest::default()
    };
    let results: Vec<_> = Paginator::new(client_over(&transport), &LIST, Ok(request))
        .pages()
        .collect()
        .await;
    assert!(results[0].is_ok());
    assert!(
        matches!(results[1], Err(TokenPagingError::RepeatedToken { .. })),
        "{results:?}"
    );
    assert_eq!(sent_tokens(&transport), [Some("start".to_owned())]);
}

#[tokio::test]
async fn the_page_cap_is_an_error_when_more_pages_remain() {
    // A service that hands out a fresh token forever.
    let transport = Arc::new(InMemoryTransport::from_fn(|request| {
        let n: u32 = token_of(request).and_then(|t| t.parse().ok()).unwrap_or(0);
        ok(
            serde_json::json!({ "Items": [n.to_string()], "NextToken": (n + 1).to_string() })
                .to_string(),
        )
    }));
    let results: Vec<_> =
        Paginator::new(client_over(&transport), &LIST, Ok(TokenRequest::default()))
            .max_pages(3)
            .pages()
            .collect()
            .await;
    assert_eq!(results.len(), 4, "{results:?}");
    assert!(results[..3].iter().all(Result::is_ok));
    let err = results[3].as_ref().expect_err("the cap is reported");
    assert!(
        matches!(err, TokenPagingError::PageCap { pages: 3 }),
        "{err:?}"
    );
    assert!(err.to_string().contains("max_pages"), "{err}");
    assert_eq!(transport.request_count(), 3);
}

#[tokio::test]
async fn the_cap_is_no_error_when_the_last_page_ends_the_walk() {
    let transport = service(vec![
        (None, vec!["a"], Some("t1")),
        (Some("t1"), vec!["b"], None),
    ]);
    let results: Vec<_> =
        Paginator::new(client_over(&transport), &LIST, Ok(TokenRequest::default()))
            .max_pages(2)
            .pages()
            .collect()
            .await;
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
}

#[tokio::test]
async fn a_service_error_ends_the_walk_with_it() {
    let transport = service(vec![(None, vec!["a"], Some("gone"))]);
    let results: Vec<_> =
        Paginator::new(client_over(&transport), &LIST, Ok(TokenRequest::default()))
            .pages()
            .collect()
            .await;
    assert_eq!(results.len(), 2, "{results:?}");
    match &results[1] {
        Err(TokenPagingError::Call(SdkError::Service(ListError::InvalidParameter(e)))) => {
            assert_eq!(e.code(), "InvalidParameter.NextToken");
        }
        other => panic!("expected the service's error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_request_that_fails_its_checks_is_the_only_element() {
    let transport = service(vec![]);
    let results: Vec<_> = Paginator::new(
        client_over(&transport),
        &LIST,
        Err(BuildError::missing("RegionId")),
    )
    .pages()
    .collect()
    .await;
    assert_eq!(results.len(), 1);
    assert!(matches!(
        results[0],
        Err(TokenPagingError::Call(SdkError::Build(_)))
    ));
    assert_eq!(transport.request_count(), 0);
}

/// The length of the tokens below: a long token, as a hostile or broken service may send.
const LONG_TOKEN: usize = 60_000;

/// The token naming page `n` (from 0): its number, then filler up to `len` characters.
fn numbered_token(n: usize, len: usize) -> String {
    let mut token = format!("{n:08}");
    token.push_str(&"x".repeat(len.saturating_sub(token.len())));
    token
}

/// A service of `pages` pages whose tokens are `len` characters long, and which keeps nothing
/// of the requests it answers (the in-memory transport records them all, which would hide what
/// the paginator itself keeps).
#[derive(Debug)]
struct LongTokenService {
    pages: usize,
    len: usize,
}

impl HttpTransport for LongTokenService {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        let page: usize = token_of(&request)
            .and_then(|token| token.get(..8)?.parse().ok())
            .unwrap_or(0);
        let mut body = serde_json::json!({ "RequestId": "REQ", "Items": [page.to_string()] });
        if let (true, Some(fields)) = (page + 1 < self.pages, body.as_object_mut()) {
            fields.insert(
                "NextToken".to_owned(),
                numbered_token(page + 1, self.len).into(),
            );
        }
        Box::pin(async move { ok(body.to_string()) })
    }
}

/// The most memory a walk through `pages` pages with `LONG_TOKEN`-long tokens had at once.
fn peak_of_a_walk(pages: usize) -> usize {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let config = Config::builder()
        .credentials(Credentials::new(ACCESS_KEY_ID, ACCESS_KEY_SECRET))
        .region("cn-hangzhou")
        .transport(Arc::new(LongTokenService {
            pages,
            len: LONG_TOKEN,
        }))
        .build()
        .unwrap();
    let client = Client::new(&SERVICE, config);
    let (walked, peak) = peak_allocation(|| {
        runtime.block_on(async {
            let mut walk =
                Paginator::new(client.clone(), &LIST, Ok(TokenRequest::default())).pages();
            let mut walked = 0;
            while let Some(page) = walk.next().await {
                page.unwrap();
                walked += 1;
            }
            walked
        })
    });
    assert_eq!(walked, pages);
    peak
}

#[test]
fn the_tokens_kept_to_find_a_loop_do_not_grow_with_their_length() {
    let short_walk = peak_of_a_walk(4);
    let long_walk = peak_of_a_walk(40);
    // Keeping each token given would hold 36 more tokens of 60,000 characters at the end of the
    // longer walk; a digest of each holds a few bytes a page.
    assert!(
        long_walk < short_walk + LONG_TOKEN,
        "36 more pages held {} more bytes",
        long_walk.saturating_sub(short_walk)
    );
}

#[tokio::test]
async fn a_long_repeated_token_is_still_found_and_quoted_cut_short() {
    let token = numbered_token(1, LONG_TOKEN);
    let first = token.clone();
    let transport = Arc::new(InMemoryTransport::from_fn(move |_| {
        ok(serde_json::json!({ "Items": ["a"], "NextToken": first }).to_string())
    }));
    let results: Vec<_> =
        Paginator::new(client_over(&transport), &LIST, Ok(TokenRequest::default()))
            .pages()
            .collect()
            .await;
    assert_eq!(
        results.len(),
        3,
        "two pages, then the loop: {}",
        results.len()
    );
    let err = results[2].as_ref().expect_err("the loop is reported");
    let TokenPagingError::RepeatedToken {
        token: quoted,
        page,
    } = err
    else {
        panic!("expected a repeated token");
    };
    assert_eq!(*page, 2);
    let shown = err.to_string();
    assert!(
        shown.chars().count() < 2_048 + 300,
        "the message quotes {} characters",
        shown.chars().count()
    );
    assert!(shown.contains("(60000 bytes in all)"), "{:.300}", shown);
    assert!(quoted.starts_with(&token[..2_048]) && quoted.len() < 2_048 + 40);
    assert!(format!("{err:?}").len() < 2_048 + 300, "Debug is cut too");
    assert_eq!(transport.request_count(), 2, "the loop is not followed");
}
