//! A blocking client, for programs without an async runtime of their own (command-line tools,
//! build scripts, synchronous services): the same builders, config, credentials and errors as
//! the async [`Client`](crate::Client), with `send` returning the response and paginators that
//! are [`Iterator`]s.
//!
//! It owns a current-thread tokio runtime and drives the async client on it, one call at a
//! time: clones share the runtime, and calls from several threads take turns on it. Called
//! from inside an async runtime, where blocking the thread would stall that runtime's other
//! tasks, it sends nothing and answers [`SdkError::BlockingInAsyncContext`].

use std::future::Future;
use std::sync::Arc;

use futures_util::StreamExt as _;
use futures_util::stream::BoxStream;

use crate::Config;
use crate::client::ConfigError;
use crate::error::{OperationError, SdkError};
use crate::paginate::{self, PagedRequest, PagedResponse};
use crate::send::{Request, Sender};
use crate::service::Service;
use crate::token_paging::{self, TokenPagedRequest, TokenPagedResponse, TokenPagingError};
use crate::validate::BuildError;

/// A blocking client could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StartError {
    /// The configuration from the environment could not be built.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The client's own runtime could not be started (the system refused its I/O driver).
    #[error("the blocking client's runtime could not be started: {0}")]
    Runtime(#[source] std::io::Error),
    /// Called from inside an async runtime, where the blocking client cannot run: use the
    /// async client there.
    #[error(
        "a blocking client was set up from inside an async runtime; use the async client there, or call it from `tokio::task::spawn_blocking`"
    )]
    InsideAsyncRuntime,
}

/// The runtime a blocking client drives its calls on. It is shut down without waiting, so that
/// dropping the last clone never blocks, and never panics even inside an async runtime.
#[derive(Debug)]
struct OwnedRuntime(Option<tokio::runtime::Runtime>);

impl Drop for OwnedRuntime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// The blocking counterpart of [`crate::Client`]: a generated product's `BlockingClient` sends
/// through it. Cheap to clone: clones share the connection pool, configuration and runtime.
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<OwnedRuntime>,
}

impl Client {
    /// A blocking client for `service` using `config`.
    pub fn new(service: &'static Service, config: Config) -> Result<Self, StartError> {
        Self::from_async(crate::Client::new(service, config))
    }

    /// A blocking client configured from the environment, as [`Config::from_env`] is.
    pub fn from_env(service: &'static Service) -> Result<Self, StartError> {
        let runtime = start()?;
        let config = runtime.block_on(Config::from_env())?;
        Ok(Client {
            inner: crate::Client::new(service, config),
            runtime: Arc::new(OwnedRuntime(Some(runtime))),
        })
    }

    /// A blocking client sending through `client`'s configuration and connection settings.
    pub fn from_async(client: crate::Client) -> Result<Self, StartError> {
        Ok(Client {
            inner: client,
            runtime: Arc::new(OwnedRuntime(Some(start()?))),
        })
    }

    /// The async client underneath, for its configuration.
    pub fn async_client(&self) -> &crate::Client {
        &self.inner
    }

    /// Runs `call` to its end on the client's runtime, unless this thread is inside an async
    /// runtime already.
    fn block_on<T, E>(
        &self,
        call: impl Future<Output = Result<T, SdkError<E>>>,
    ) -> Result<T, SdkError<E>> {
        match &self.runtime.0 {
            Some(runtime) if !inside_async_runtime() => runtime.block_on(call),
            _ => Err(SdkError::BlockingInAsyncContext),
        }
    }

    /// The items of `stream`, each awaited on the client's runtime.
    fn iter<T: 'static>(&self, stream: BoxStream<'static, T>, misuse: fn() -> T) -> Iter<T> {
        Iter {
            stream: Some(stream),
            runtime: Arc::clone(&self.runtime),
            misuse,
        }
    }
}

/// A new current-thread runtime with the I/O and time drivers the transport and retries use.
fn start() -> Result<tokio::runtime::Runtime, StartError> {
    if inside_async_runtime() {
        return Err(StartError::InsideAsyncRuntime);
    }
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(StartError::Runtime)
}

fn inside_async_runtime() -> bool {
    tokio::runtime::Handle::try_current().is_ok()
}

impl Sender for Client {
    type Sent<R: Request> = Result<R::Output, SdkError<R::Error>>;
    type Paginator<R: Request + PagedRequest>
        = Paginator<R, R::Output, R::Error>
    where
        R::Output: PagedResponse;
    type TokenPaginator<R: Request + TokenPagedRequest>
        = TokenPaginator<R, R::Output, R::Error>
    where
        R::Output: TokenPagedResponse;

    fn send_built<R: Request>(self, request: Result<R, BuildError>) -> Self::Sent<R> {
        let call = self.inner.clone().send_built(request);
        self.block_on(call)
    }

    fn paginator<R: Request + PagedRequest>(
        self,
        request: Result<R, BuildError>,
    ) -> Self::Paginator<R>
    where
        R::Output: PagedResponse,
    {
        Paginator {
            inner: self.inner.clone().paginator(request),
            client: self,
        }
    }

    fn token_paginator<R: Request + TokenPagedRequest>(
        self,
        request: Result<R, BuildError>,
    ) -> Self::TokenPaginator<R>
    where
        R::Output: TokenPagedResponse,
    {
        TokenPaginator {
            inner: self.inner.clone().token_paginator(request),
            client: self,
        }
    }

    fn runtime_client(&self) -> &crate::Client {
        &self.inner
    }
}

/// An iterator over a stream's items, each awaited on a blocking client's runtime. Inside an
/// async runtime it yields [`SdkError::BlockingInAsyncContext`] once and ends.
pub struct Iter<T> {
    stream: Option<BoxStream<'static, T>>,
    runtime: Arc<OwnedRuntime>,
    misuse: fn() -> T,
}

impl<T> std::fmt::Debug for Iter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Iter")
            .field("ended", &self.stream.is_none())
            .finish_non_exhaustive()
    }
}

impl<T> Iterator for Iter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let stream = self.stream.as_mut()?;
        let next = match &self.runtime.0 {
            Some(runtime) if !inside_async_runtime() => runtime.block_on(stream.next()),
            _ => Some((self.misuse)()),
        };
        if next.is_none() || inside_async_runtime() {
            self.stream = None;
        }
        next
    }
}

fn misuse<O, E>() -> Result<O, SdkError<E>> {
    Err(SdkError::BlockingInAsyncContext)
}

fn token_misuse<O, E: OperationError>() -> Result<O, TokenPagingError<E>> {
    Err(TokenPagingError::Call(SdkError::BlockingInAsyncContext))
}

/// Pages through a page-numbered listing, as [`paginate::Paginator`] does, one blocking call
/// per page.
#[derive(Debug)]
pub struct Paginator<I, O, E> {
    inner: paginate::Paginator<I, O, E>,
    client: Client,
}

impl<I, O, E> Paginator<I, O, E>
where
    I: crate::wire::WriteParams + PagedRequest + 'static,
    O: serde::de::DeserializeOwned
        + Default
        + crate::OperationOutput
        + PagedResponse
        + Send
        + 'static,
    E: OperationError,
{
    /// Fetches at most `max_pages` pages (see [`paginate::Paginator::max_pages`]).
    #[must_use]
    pub fn max_pages(mut self, max_pages: usize) -> Self {
        self.inner = self.inner.max_pages(max_pages);
        self
    }

    /// The pages, in order; after an error the iterator ends.
    pub fn pages(self) -> Iter<Result<O, SdkError<E>>> {
        self.client.iter(self.inner.pages(), misuse)
    }

    /// The items of every page, in order; after an error the iterator ends.
    pub fn items(self) -> Iter<Result<O::Item, SdkError<E>>>
    where
        O::Item: Send + 'static,
    {
        self.client.iter(self.inner.items(), misuse)
    }
}

/// Pages through a token-paged listing, as [`token_paging::TokenPaginator`] does, one blocking
/// call per page.
#[derive(Debug)]
pub struct TokenPaginator<I, O, E> {
    inner: token_paging::TokenPaginator<I, O, E>,
    client: Client,
}

impl<I, O, E> TokenPaginator<I, O, E>
where
    I: crate::wire::WriteParams + TokenPagedRequest + 'static,
    O: serde::de::DeserializeOwned
        + Default
        + crate::OperationOutput
        + TokenPagedResponse
        + Send
        + 'static,
    E: OperationError,
{
    /// Fetches at most `max_pages` pages (see [`token_paging::TokenPaginator::max_pages`]).
    #[must_use]
    pub fn max_pages(mut self, max_pages: usize) -> Self {
        self.inner = self.inner.max_pages(max_pages);
        self
    }

    /// The pages, in order; after an error the iterator ends.
    pub fn pages(self) -> Iter<Result<O, TokenPagingError<E>>> {
        self.client.iter(self.inner.pages(), token_misuse)
    }

    /// The items of every page, in order; after an error the iterator ends.
    pub fn items(self) -> Iter<Result<O::Item, TokenPagingError<E>>>
    where
        O::Item: Send + 'static,
    {
        self.client.iter(self.inner.items(), token_misuse)
    }
}
