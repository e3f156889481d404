//! The blocking client from every kind of thread that may block (a plain one, a
//! `spawn_blocking` thread of either runtime flavour, `block_in_place`), and its refusal on a
//! thread running async code, where it sends nothing.
#![cfg(feature = "blocking")]
// The calls return `SdkError` by value, as every operation does.
#![allow(clippy::result_large_err)]

use std::sync::Arc;

use crate::support::*;
use acs_runtime::http::InMemoryTransport;
use acs_runtime::{SdkError, Sender as _, blocking};

fn answering() -> Arc<InMemoryTransport> {
    Arc::new(InMemoryTransport::from_fn(|_| {
        ok(page_body("R1", Some(1), &["m-1"]))
    }))
}

fn blocking_client(transport: &Arc<InMemoryTransport>) -> blocking::Client {
    blocking::Client::new(&SERVICE, builder(transport).build().unwrap()).unwrap()
}

fn send(client: &blocking::Client) -> Result<ListResponse, SdkError<ListError>> {
    client.clone().send_request(ListRequest::new())
}

fn runtimes() -> [(&'static str, tokio::runtime::Runtime); 2] {
    [
        (
            "current-thread",
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
        ),
        (
            "multi-thread",
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
        ),
    ]
}

#[test]
fn a_call_from_a_plain_thread_is_sent() {
    let transport = answering();
    let out = send(&blocking_client(&transport)).unwrap();
    assert_eq!(out.items, ["m-1"]);
    assert_eq!(transport.request_count(), 1);
}

#[test]
fn a_call_from_spawn_blocking_is_sent_on_either_runtime_flavour() {
    for (flavour, runtime) in runtimes() {
        let transport = answering();
        let client = blocking_client(&transport);
        let sent = runtime
            .block_on(async move { tokio::task::spawn_blocking(move || send(&client)).await })
            .unwrap();
        let out = sent.unwrap_or_else(|err| panic!("{flavour}: {err:?}"));
        assert_eq!(out.items, ["m-1"], "{flavour}");
        assert_eq!(transport.request_count(), 1, "{flavour}");
    }
}

#[test]
fn a_client_set_up_in_async_code_walks_pages_from_spawn_blocking() {
    for (flavour, runtime) in runtimes() {
        let transport = answering();
        let items = runtime.block_on(async {
            let client =
                blocking::Client::new(&SERVICE, builder(&transport).build().unwrap()).unwrap();
            // Dropping a clone in async code neither blocks nor panics.
            drop(client.clone());
            tokio::task::spawn_blocking(move || {
                client
                    .paginator(Ok(ListRequest::new()))
                    .items()
                    .collect::<Result<Vec<_>, _>>()
            })
            .await
            .unwrap()
        });
        let items = items.unwrap_or_else(|err| panic!("{flavour}: {err:?}"));
        assert_eq!(items, ["m-1"], "{flavour}");
    }
}

#[test]
fn a_call_from_block_in_place_is_sent() {
    let [_, (_, runtime)] = runtimes();
    let transport = answering();
    let client = blocking_client(&transport);
    let out = runtime
        .block_on(async move {
            tokio::spawn(async move { tokio::task::block_in_place(|| send(&client)) }).await
        })
        .unwrap()
        .unwrap();
    assert_eq!(out.items, ["m-1"]);
}

#[test]
fn a_call_on_a_thread_running_async_code_is_refused_and_sends_nothing() {
    for (flavour, runtime) in runtimes() {
        let transport = answering();
        let client = blocking_client(&transport);
        let in_the_block_on = runtime.block_on(async { send(&client) });
        let in_a_task = {
            let client = client.clone();
            runtime
                .block_on(async move { tokio::spawn(async move { send(&client) }).await })
                .unwrap()
        };
        for (place, sent) in [("block_on", in_the_block_on), ("a task", in_a_task)] {
            let err = sent.expect_err("blocking in async code is refused");
            assert!(
                matches!(err, SdkError::BlockingInAsyncContext),
                "{flavour}, {place}: {err:?}"
            );
        }
        let mut pages = client.clone().paginator(Ok(ListRequest::new())).pages();
        let first = runtime.block_on(async { pages.next() });
        assert!(
            matches!(first, Some(Err(SdkError::BlockingInAsyncContext))),
            "{flavour}: {first:?}"
        );
        assert!(
            pages.next().is_none(),
            "{flavour}: the walk ends after the error"
        );
        assert_eq!(transport.request_count(), 0, "{flavour}: nothing was sent");
        // Off the async thread the same client sends.
        send(&client).unwrap_or_else(|err| panic!("{flavour}: {err:?}"));
        assert_eq!(transport.request_count(), 1, "{flavour}");
    }
}
