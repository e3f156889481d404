//! Token paging as a [`Stream`](futures_core::Stream) of pages or of items.
//!
//! Newer Alibaba list APIs (ECS recommends them over page numbers) take `NextToken` and
//! `MaxResults` and answer with the page's items and a `NextToken` for the page after it; the
//! last page has no token, or an empty one. The paginator sends the request, then sends it again
//! with each token the service answers, until a page comes without one.
//!
//! A service that answers a token it already gave would send the paginator round in a circle,
//! and one that never stops sending tokens would keep it going forever: both end the stream with
//! an error ([`TokenPagingError::RepeatedToken`], [`TokenPagingError::PageCap`]) after the page
//! that showed it, never silently, so a caller cannot take a cut-off listing for the whole. To
//! know a token again the paginator keeps a SHA-256 digest of each (32 bytes a page), not the
//! token: a service may send tokens of any length.

use std::collections::HashSet;
use std::marker::PhantomData;

use futures_util::StreamExt as _;
use futures_util::stream;
use futures_util::stream::BoxStream;
use serde::de::DeserializeOwned;
use sha2::{Digest as _, Sha256};

use crate::client::Client;
use crate::error::{OperationError, SdkError};
use crate::redact::excerpt;
use crate::service::{Operation, OperationOutput};
use crate::validate::BuildError;
use crate::wire::WriteParams;

/// The most pages one paginator fetches unless told otherwise.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

/// A request of a token-paged operation: generated for requests with a `paging: {next_token}`
/// section.
pub trait TokenPagedRequest: Clone + Send + Sync {
    /// The token the request sends, if set (`None` asks for the first page).
    fn next_token(&self) -> Option<&str>;
    /// Asks for the page after the one that answered `token`.
    fn set_next_token(&mut self, token: String);
}

/// A response of a token-paged operation.
pub trait TokenPagedResponse {
    /// One element of the page's list.
    type Item;
    /// The token for the next page; `None` or empty on the last page.
    fn next_token(&self) -> Option<&str>;
    /// The page's items.
    fn items(&self) -> &[Self::Item];
    /// The page's items, by value.
    fn into_items(self) -> Vec<Self::Item>;
}

/// Why a token-paged walk ended early.
#[derive(Debug, thiserror::Error)]
pub enum TokenPagingError<E: OperationError> {
    /// A call failed: the request's checks, the transport, or the service.
    #[error(transparent)]
    Call(#[from] SdkError<E>),
    /// The service answered a token it had already given (or the one the walk started from):
    /// following it would fetch pages already received, over and over.
    #[error(
        "the service answered page {page} with next token `{token}`, which it had already given: following it would loop"
    )]
    RepeatedToken {
        /// The repeated token; one over 2,048 characters is cut there, and ends with `…` and
        /// its length in bytes.
        token: String,
        /// The page (from 1) whose answer repeated it.
        page: usize,
    },
    /// The paginator fetched as many pages as it may, and the last still had a next token.
    #[error(
        "stopped after {pages} pages, the paginator's cap, with more to fetch; raise it with `max_pages` if more are expected"
    )]
    PageCap {
        /// Pages fetched.
        pages: usize,
    },
}

impl<E: OperationError> From<BuildError> for TokenPagingError<E> {
    fn from(err: BuildError) -> Self {
        TokenPagingError::Call(SdkError::Build(err))
    }
}

/// Fetches the pages of a token-paged operation one after another, from the request's token
/// (the first page when unset).
pub struct TokenPaginator<I, O, E> {
    client: Client,
    op: &'static Operation,
    input: Result<I, BuildError>,
    max_pages: usize,
    _output: PhantomData<fn() -> (O, E)>,
}

impl<I, O, E> std::fmt::Debug for TokenPaginator<I, O, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenPaginator")
            .field("action", &self.op.action)
            .field("max_pages", &self.max_pages)
            .finish_non_exhaustive()
    }
}

impl<I, O, E> TokenPaginator<I, O, E>
where
    I: WriteParams + TokenPagedRequest + 'static,
    O: DeserializeOwned + Default + OperationOutput + TokenPagedResponse + Send + 'static,
    E: OperationError,
{
    /// A paginator for `op`; a request that failed its checks yields that error as the only
    /// element of the stream.
    pub fn new(client: Client, op: &'static Operation, input: Result<I, BuildError>) -> Self {
        TokenPaginator {
            client,
            op,
            input,
            max_pages: DEFAULT_MAX_PAGES,
            _output: PhantomData,
        }
    }

    /// Fetches at most `max_pages` pages (at least 1); a last page that still has a next token
    /// is followed by [`TokenPagingError::PageCap`].
    #[must_use]
    pub fn max_pages(mut self, max_pages: usize) -> Self {
        self.max_pages = max_pages.max(1);
        self
    }

    /// The pages, in order. After an error the stream ends. The stream is boxed (and so
    /// `Unpin`), so `try_next().await` works on it without pinning.
    pub fn pages(self) -> BoxStream<'static, Result<O, TokenPagingError<E>>> {
        let state = match self.input {
            Ok(request) => {
                let mut given = GivenTokens::default();
                if let Some(token) = request.next_token().filter(|t| !t.is_empty()) {
                    given.insert(token);
                }
                Walk::Next(Box::new(Cursor {
                    client: self.client,
                    op: self.op,
                    request,
                    given,
                    fetched: 0,
                    max_pages: self.max_pages,
                }))
            }
            Err(err) => Walk::Failed(err.into()),
        };
        stream::unfold(state, |state| async move {
            match state {
                Walk::Failed(err) => Some((Err(err), Walk::Done)),
                Walk::Done => None,
                Walk::Next(cursor) => Some(cursor.fetch::<O, E>().await),
            }
        })
        .boxed()
    }

    /// The items of every page, in order. After an error the stream ends.
    pub fn items(self) -> BoxStream<'static, Result<O::Item, TokenPagingError<E>>>
    where
        O::Item: Send + 'static,
    {
        self.pages()
            .map(|page| {
                let items: Vec<Result<O::Item, TokenPagingError<E>>> = match page {
                    Ok(page) => page.into_items().into_iter().map(Ok).collect(),
                    Err(err) => vec![Err(err)],
                };
                stream::iter(items)
            })
            .flatten()
            .boxed()
    }
}

enum Walk<I, E: OperationError> {
    Next(Box<Cursor<I>>),
    /// An error to yield next (a failed build, or what the last page showed), then the end.
    Failed(TokenPagingError<E>),
    Done,
}

/// Every token a walk was given, and the one it started from, each known by its SHA-256
/// digest: the set grows by 32 bytes a page whatever the tokens' length, and two tokens sharing
/// a digest is not a case to plan for.
#[derive(Debug, Default)]
struct GivenTokens(HashSet<[u8; 32]>);

impl GivenTokens {
    /// Records `token`; `false` when it had been given before.
    fn insert(&mut self, token: &str) -> bool {
        self.0.insert(Sha256::digest(token.as_bytes()).into())
    }
}

/// Where the walk through the pages stands.
struct Cursor<I> {
    client: Client,
    op: &'static Operation,
    request: I,
    /// Every token the service gave so far, and the one the walk started from.
    given: GivenTokens,
    fetched: usize,
    max_pages: usize,
}

impl<I> Cursor<I>
where
    I: WriteParams + TokenPagedRequest + 'static,
{
    async fn fetch<O, E>(mut self: Box<Self>) -> (Result<O, TokenPagingError<E>>, Walk<I, E>)
    where
        O: DeserializeOwned + Default + OperationOutput + TokenPagedResponse + Send + 'static,
        E: OperationError,
    {
        let page = match self.client.invoke::<I, O, E>(self.op, &self.request).await {
            Ok(page) => page,
            Err(err) => return (Err(err.into()), Walk::Done),
        };
        self.fetched += 1;
        let Some(token) = page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
        else {
            return (Ok(page), Walk::Done);
        };
        if !self.given.insert(&token) {
            let err = TokenPagingError::RepeatedToken {
                token: excerpt::cut_for_error(&token),
                page: self.fetched,
            };
            return (Ok(page), Walk::Failed(err));
        }
        if self.fetched >= self.max_pages {
            let err = TokenPagingError::PageCap {
                pages: self.fetched,
            };
            return (Ok(page), Walk::Failed(err));
        }
        self.request.set_next_token(token);
        (Ok(page), Walk::Next(self))
    }
}
