//! Page-number paging as a [`Stream`](futures_core::Stream) of pages or of items.
//!
//! Alibaba's list APIs take `PageNumber` (from 1) and `PageSize` and answer with `TotalCount`
//! and a list. Services are not always exact about these: `TotalCount` may be missing or wrong,
//! a service may cap the page size below what was asked (and say so in the response's
//! `PageSize`), and a service may send the last page again when asked past it. So the paginator
//! ends the walk on the first of: the total reached (counting the items received) or, without a
//! total, a page shorter than the page size the service applied, an empty page, or a page that
//! repeats the one before. It never loops forever.
//!
//! A walk never ends early in silence. While `TotalCount` says more items follow, an empty page
//! (or one whose items were all null) or a repeated page where the total says items stand (its
//! page number less one, times the page size, is under the total) ends the stream with
//! [`SdkError::Paging`] ([`PagingError::EmptyPage`], [`PagingError::RepeatedPage`]), naming the
//! page to start a new walk from; and reaching the page cap ([`Paginator::max_pages`], 10,000 by
//! default) before the end ends it with [`PagingError::PageCapReached`]. Every page received
//! before is yielded first.

use std::marker::PhantomData;

use futures_util::StreamExt as _;
use futures_util::stream;
use futures_util::stream::BoxStream;
use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{OperationError, SdkError};
use crate::service::{Operation, OperationOutput};
use crate::validate::BuildError;
use crate::wire::WriteParams;

/// The page size Alibaba's list APIs use when the request does not set one.
pub const DEFAULT_PAGE_SIZE: i64 = 10;

/// The most pages one paginator fetches unless told otherwise: a guard against a service that
/// never sends a short page.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// Why a walk through the pages stopped before the listing's end.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PagingError {
    /// A page came with no items while `TotalCount` said more follow.
    #[error(
        "page {page} came with no items, but TotalCount says {total} and {received} were received; the listing changed during the walk, or the service lost the page's items: start a new walk from page {next_page} to read on"
    )]
    EmptyPage {
        /// The page that came empty.
        page: i64,
        /// The service's `TotalCount`.
        total: i64,
        /// Items received so far (counting any pages before the walk's first).
        received: i64,
        /// The page after the empty one.
        next_page: i64,
    },
    /// A page repeated the one before while `TotalCount` said more follow.
    #[error(
        "page {page} repeated the page before it, but TotalCount says {total} and {received} were received; start a new walk from page {next_page} to read on"
    )]
    RepeatedPage {
        /// The page that came again.
        page: i64,
        /// The service's `TotalCount`.
        total: i64,
        /// Items received so far.
        received: i64,
        /// The page after the repeated one.
        next_page: i64,
    },
    /// The paginator fetched as many pages as its cap allows, and the listing goes on.
    #[error(
        "stopped after {pages} pages, the paginator's cap, with more to come; raise it with `Paginator::max_pages`, or start a new walk from page {next_page}"
    )]
    PageCapReached {
        /// Pages fetched.
        pages: usize,
        /// The page the walk would have asked for next.
        next_page: i64,
    },
}

/// A request of a paged operation: generated for requests with a `paging` section.
pub trait PagedRequest: Clone + Send + Sync {
    /// The page the request asks for, if set (pages count from 1).
    fn page_number(&self) -> Option<i64>;
    /// Asks for another page.
    fn set_page_number(&mut self, page: i64);
    /// The page size, if set.
    fn page_size(&self) -> Option<i64>;
}

/// A response of a paged operation: generated for responses with a `paging` section.
pub trait PagedResponse {
    /// One element of the page's list (serialisable, so that a page repeated by the service can
    /// be told by its items).
    type Item: serde::Serialize;
    /// The service's count of all items, if it sent one.
    fn total_count(&self) -> Option<i64>;
    /// The page size the service applied, when the response says (it may be smaller than the
    /// one asked for); `None` to go by the request's.
    fn page_size(&self) -> Option<i64> {
        None
    }
    /// The page's items.
    fn items(&self) -> &[Self::Item];
    /// How many items this page holds.
    fn page_len(&self) -> usize {
        self.items().len()
    }
    /// The page's items.
    fn into_items(self) -> Vec<Self::Item>;
}

/// Fetches the pages of a paged operation one after another, from the request's page number
/// (1 when unset).
pub struct Paginator<I, O, E> {
    client: Client,
    op: &'static Operation,
    input: Result<I, BuildError>,
    max_pages: usize,
    _output: PhantomData<fn() -> (O, E)>,
}

impl<I, O, E> std::fmt::Debug for Paginator<I, O, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("action", &self.op.action)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

impl<I, O, E> Paginator<I, O, E>
where
    I: WriteParams + PagedRequest + 'static,
    O: DeserializeOwned + Default + OperationOutput + PagedResponse + Send + 'static,
    E: OperationError,
{
    /// A paginator for `op`; a request that failed its checks yields that error as the only
    /// element of the stream.
    pub fn new(client: Client, op: &'static Operation, input: Result<I, BuildError>) -> Self {
        Paginator {
            client,
            op,
            input,
            max_pages: DEFAULT_MAX_PAGES,
            _output: PhantomData,
        }
    }

    /// Fetches at most `max_pages` pages (at least 1; 10,000 unless set). A listing with more
    /// pages ends the stream with [`PagingError::PageCapReached`] after the last page fetched.
    #[must_use]
    pub fn max_pages(mut self, max_pages: usize) -> Self {
        self.max_pages = max_pages.max(1);
        self
    }

    /// The pages, in order. After an error the stream ends: a call's error, or
    /// [`SdkError::Paging`] when the walk cannot reach the listing's end (see the module docs).
    /// The stream is boxed (and so `Unpin`), so `try_next().await` works on it without pinning.
    pub fn pages(self) -> BoxStream<'static, Result<O, SdkError<E>>> {
        let state = match self.input {
            Ok(request) => Walk::Next(Box::new(Cursor {
                client: self.client,
                op: self.op,
                page_size: request.page_size().unwrap_or(DEFAULT_PAGE_SIZE).max(1),
                page: request.page_number().unwrap_or(1).max(1),
                request,
                received: 0,
                fetched: 0,
                max_pages: self.max_pages,
                previous: None,
            })),
            Err(err) => Walk::Failed(err),
        };
        stream::unfold(state, |state| async move {
            match state {
                Walk::Failed(err) => Some((Err(SdkError::Build(err)), Walk::Done)),
                Walk::Stopped(err) => Some((Err(SdkError::Paging(err)), Walk::Done)),
                Walk::Done => None,
                Walk::Next(cursor) => cursor.fetch::<O, E>().await,
            }
        })
        .boxed()
    }

    /// The items of every page, in order. After an error the stream ends.
    pub fn items(self) -> BoxStream<'static, Result<O::Item, SdkError<E>>>
    where
        O::Item: Send + 'static,
    {
        self.pages()
            .map(|page| {
                let items: Vec<Result<O::Item, SdkError<E>>> = match page {
                    Ok(page) => page.into_items().into_iter().map(Ok).collect(),
                    Err(err) => vec![Err(err)],
                };
                stream::iter(items)
            })
            .flatten()
            .boxed()
    }
}

enum Walk<I> {
    Next(Box<Cursor<I>>),
    Failed(BuildError),
    /// The pages so far were yielded; the walk ends with this error next.
    Stopped(PagingError),
    Done,
}

/// Where the walk through the pages stands.
struct Cursor<I> {
    client: Client,
    op: &'static Operation,
    request: I,
    page: i64,
    page_size: i64,
    /// Items received so far, for the comparison with `TotalCount`.
    received: i64,
    fetched: usize,
    max_pages: usize,
    /// A hash of the previous page's items: a service that answers a page past the end with the
    /// last page's items again (with a fresh `RequestId`, and maybe the page number it was asked
    /// for) is caught by comparing.
    previous: Option<u64>,
}

impl<I> Cursor<I>
where
    I: WriteParams + PagedRequest + 'static,
{
    async fn fetch<O, E>(mut self: Box<Self>) -> Option<(Result<O, SdkError<E>>, Walk<I>)>
    where
        O: DeserializeOwned + Default + OperationOutput + PagedResponse + Send + 'static,
        E: OperationError,
    {
        let answer = self.client.invoke::<I, O, E>(self.op, &self.request).await;
        let page = match answer {
            Ok(answer) => answer,
            Err(err) => return Some((Err(err), Walk::Done)),
        };
        self.fetched += 1;
        let fingerprint = fingerprint(page.items(), page.total_count());
        if fingerprint.is_some() && fingerprint == self.previous {
            tracing::warn!(
                action = self.op.action,
                page = self.page,
                "the service sent the previous page again; stopping"
            );
            return match page.total_count() {
                Some(total) if self.received < total && self.positions_before() < total => Some((
                    Err(SdkError::Paging(PagingError::RepeatedPage {
                        page: self.page,
                        total,
                        received: self.received,
                        next_page: self.page.saturating_add(1),
                    })),
                    Walk::Done,
                )),
                _ => None,
            };
        }
        let len = i64::try_from(page.page_len()).unwrap_or(i64::MAX);
        let page_size = page
            .page_size()
            .filter(|applied| *applied > 0)
            .unwrap_or(self.page_size);
        if self.fetched == 1 {
            // The pages before the first one asked for, which were not received.
            self.received = (self.page - 1).saturating_mul(page_size);
        }
        self.received = self.received.saturating_add(len);
        self.page_size = page_size;
        // With a total, the total decides: a page may come short of its size because an item in
        // it was null or left out as malformed, and that page is not the last.
        let last = len == 0
            || match page.total_count() {
                Some(total) => self.received >= total,
                None => len < page_size,
            };
        // An empty page where the total says items stand: a page past them (after a page short
        // of a null item, say) is simply the end.
        if len == 0 {
            let before = self.positions_before();
            if let Some(total) = page
                .total_count()
                .filter(|total| self.received < *total && before < *total)
            {
                return Some((
                    Err(SdkError::Paging(PagingError::EmptyPage {
                        page: self.page,
                        total,
                        received: self.received,
                        next_page: self.page.saturating_add(1),
                    })),
                    Walk::Done,
                ));
            }
        }
        if last {
            return Some((Ok(page), Walk::Done));
        }
        if self.fetched >= self.max_pages {
            tracing::warn!(
                action = self.op.action,
                pages = self.fetched,
                "stopping at the paginator's page cap; raise it with `max_pages` if more are expected"
            );
            let stopped = PagingError::PageCapReached {
                pages: self.fetched,
                next_page: self.page.saturating_add(1),
            };
            return Some((Ok(page), Walk::Stopped(stopped)));
        }
        self.previous = fingerprint;
        self.page = self.page.saturating_add(1);
        self.request.set_page_number(self.page);
        Some((Ok(page), Walk::Next(self)))
    }
}

impl<I> Cursor<I> {
    /// How many items the pages before the current one hold by the numbers: its page number
    /// less one, times the page size.
    fn positions_before(&self) -> i64 {
        (self.page - 1).saturating_mul(self.page_size)
    }
}

/// A hash of a page's items, written as JSON straight into the hasher, and of the total it
/// names (a total that changed means the listing changed, not that a page came again); `None`
/// for an empty page (which ends the walk anyway) or items that do not serialise.
fn fingerprint<T: serde::Serialize>(items: &[T], total: Option<i64>) -> Option<u64> {
    struct HashWriter<'a>(&'a mut std::collections::hash_map::DefaultHasher);

    impl std::io::Write for HashWriter<'_> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            std::hash::Hasher::write(self.0, bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    if items.is_empty() {
        return None;
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::hash::Hash::hash(&total, &mut hasher);
    serde_json::to_writer(HashWriter(&mut hasher), items).ok()?;
    Some(std::hash::Hasher::finish(&hasher))
}
