//! A blocking client, for programs without an async runtime of their own (command-line tools,
//! build scripts, synchronous services): the same builders, config, credentials and errors as
//! the async [`Client`](crate::Client), with `send` returning the response and paginators that
//! are [`Iterator`]s.
//!
//! It owns a current-thread tokio runtime, driven on a thread of its own: a call is handed to
//! that thread and the caller's thread waits for the answer, parked. Clones share the runtime,
//! and calls from several threads run side by side on it. The caller's thread enters no runtime,
//! so the client works wherever a thread may block: a plain thread, `tokio::task::spawn_blocking`
//! (on either runtime flavour) or `tokio::task::block_in_place`. On a thread running async code
//! (a task, or the future of a `block_on`), where waiting would hold up the other tasks of that
//! runtime, it sends nothing and answers [`SdkError::BlockingInAsyncContext`].

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

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
    /// The client's own runtime could not be started (the system refused its I/O driver or its
    /// thread).
    #[error("the blocking client's runtime could not be started: {0}")]
    Runtime(#[source] std::io::Error),
    /// [`Client::from_env`] was called on a thread running async code, where it would have to
    /// wait for the configuration: use the async client there, or set the blocking one up from
    /// `tokio::task::spawn_blocking` (or with [`Client::new`], which waits for nothing).
    #[error(
        "a blocking client was set up from the environment on a thread running async code; use the async client there, or call it from `tokio::task::spawn_blocking`"
    )]
    InsideAsyncRuntime,
}

/// The runtime a blocking client's calls run on, and the thread that drives it. Dropping the
/// last clone lets the thread end, which drops the runtime there: it never blocks, and never
/// panics, wherever the last clone goes.
#[derive(Debug)]
struct Driver {
    runtime: tokio::runtime::Handle,
    /// Held only to be dropped: the driving thread runs until this sender goes.
    _running: tokio::sync::oneshot::Sender<()>,
}

impl Driver {
    /// A current-thread runtime with the I/O and time drivers the transport and retries use,
    /// driven on a thread of its own.
    fn start() -> Result<Self, StartError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(StartError::Runtime)?;
        let handle = runtime.handle().clone();
        let (running, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("acs-blocking-client".to_owned())
            .spawn(move || {
                runtime.block_on(async {
                    let _ = stopped.await;
                });
                // Whatever is left (connections idling in the pool) goes without waiting.
                runtime.shutdown_background();
            })
            .map_err(StartError::Runtime)?;
        Ok(Driver {
            runtime: handle,
            _running: running,
        })
    }

    /// Runs `work` to its end on the driving thread while this thread waits, parked. A panic in
    /// `work` goes on here, as if `work` had run on this thread.
    fn run<T: Send + 'static>(&self, work: impl Future<Output = T> + Send + 'static) -> T {
        match wait_for(self.runtime.spawn(work)) {
            Ok(out) => out,
            Err(err) if err.is_panic() => std::panic::resume_unwind(err.into_panic()),
            // A task is cancelled only when its runtime shuts down, and this one runs until the
            // `Driver` (borrowed here) is dropped.
            Err(err) => unreachable!("the blocking client's runtime stopped under a call: {err}"),
        }
    }
}

/// Wakes the thread parked in [`wait_for`].
struct Unpark(std::thread::Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Polls `future` on this thread, parked between wake-ups. It enters no runtime, so it may run
/// on any thread that may block; only [`inside_async_code`] keeps it off those that may not.
fn wait_for<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        // A wake-up that came before this park makes it return at once; a spurious one only
        // polls again.
        std::thread::park();
    }
}

/// Whether this thread is running async code of a tokio runtime (a task, or the future of a
/// `block_on`), where a blocking wait would hold up that runtime's other tasks.
///
/// Tokio has no public question for it: `Handle::try_current` also answers on the threads of
/// `spawn_blocking`, where blocking is the point, and so does `task::try_id`. What tells them
/// apart is the cooperative budget: tokio polls async code with a budget of operations (128)
/// and runs `spawn_blocking` closures and `block_in_place` without one. So the budget is drawn
/// on, at most 256 times (it is a `u8`): one that runs out is an async thread's. What was
/// drawn is given back before returning. Code wrapped in `tokio::task::unconstrained` runs
/// without a budget and is taken for blocking code: the caller asked for that.
fn inside_async_code() -> bool {
    if tokio::runtime::Handle::try_current().is_err() {
        return false;
    }
    let mut cx = Context::from_waker(Waker::noop());
    let mut drawn = Vec::new();
    let mut ran_out = false;
    for _ in 0..=u8::MAX {
        match tokio::task::coop::poll_proceed(&mut cx) {
            Poll::Ready(restore) => drawn.push(restore),
            Poll::Pending => {
                ran_out = true;
                break;
            }
        }
    }
    // Each guard restores the budget it found, so the last drawn goes back first.
    while let Some(restore) = drawn.pop() {
        drop(restore);
    }
    ran_out
}

/// The blocking counterpart of [`crate::Client`]: a generated product's `BlockingClient` sends
/// through it. Cheap to clone: clones share the connection pool, configuration and runtime.
#[derive(Debug, Clone)]
pub struct Client {
    inner: crate::Client,
    driver: Arc<Driver>,
}

impl Client {
    /// A blocking client for `service` using `config`. It waits for nothing, so it may be set up
    /// anywhere, async code included, and handed to a thread that may block.
    pub fn new(service: &'static Service, config: Config) -> Result<Self, StartError> {
        Self::from_async(crate::Client::new(service, config))
    }

    /// A blocking client configured from the environment, as [`Config::from_env`] is. It waits
    /// for the configuration, so it refuses to run on a thread running async code
    /// ([`StartError::InsideAsyncRuntime`]).
    pub fn from_env(service: &'static Service) -> Result<Self, StartError> {
        if inside_async_code() {
            return Err(StartError::InsideAsyncRuntime);
        }
        let driver = Driver::start()?;
        let config = driver.run(Config::from_env())?;
        Ok(Client {
            inner: crate::Client::new(service, config),
            driver: Arc::new(driver),
        })
    }

    /// A blocking client sending through `client`'s configuration and connection settings.
    pub fn from_async(client: crate::Client) -> Result<Self, StartError> {
        Ok(Client {
            inner: client,
            driver: Arc::new(Driver::start()?),
        })
    }

    /// The async client underneath, for its configuration.
    pub fn async_client(&self) -> &crate::Client {
        &self.inner
    }

    /// Runs `call` to its end on the client's runtime, unless this thread is running async
    /// code.
    fn block_on<T: Send + 'static, E: OperationError>(
        &self,
        call: impl Future<Output = Result<T, SdkError<E>>> + Send + 'static,
    ) -> Result<T, SdkError<E>> {
        if inside_async_code() {
            return Err(SdkError::BlockingInAsyncContext);
        }
        self.driver.run(call)
    }

    /// The items of `stream`, each awaited on the client's runtime.
    fn iter<T: Send + 'static>(&self, stream: BoxStream<'static, T>, misuse: fn() -> T) -> Iter<T> {
        Iter {
            stream: Some(stream),
            driver: Arc::clone(&self.driver),
            misuse,
        }
    }
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

/// An iterator over a stream's items, each awaited on a blocking client's runtime. On a thread
/// running async code it yields [`SdkError::BlockingInAsyncContext`] once and ends.
pub struct Iter<T> {
    stream: Option<BoxStream<'static, T>>,
    driver: Arc<Driver>,
    misuse: fn() -> T,
}

impl<T> std::fmt::Debug for Iter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Iter")
            .field("ended", &self.stream.is_none())
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static> Iterator for Iter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let mut stream = self.stream.take()?;
        if inside_async_code() {
            return Some((self.misuse)());
        }
        // The stream goes to the runtime's thread for one item and comes back with it.
        let (stream, next) = self.driver.run(async move {
            let next = stream.next().await;
            (stream, next)
        });
        if next.is_some() {
            self.stream = Some(stream);
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
