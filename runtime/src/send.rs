//! Sending a request value: the [`Request`] trait every generated request implements, and the
//! [`Sender`] trait of the clients that send them (the async [`Client`], and with the `blocking`
//! feature `acs_runtime::blocking::Client`).
//!
//! A generated builder's `send` and `into_paginator` are written once per operation against
//! [`Sender`], so the same builder sends through either client, and the blocking client costs
//! nothing per operation.

use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{OperationError, SdkError};
use crate::paginate::{PagedRequest, PagedResponse, Paginator};
use crate::service::{Operation, OperationOutput};
use crate::token_paging::{TokenPagedRequest, TokenPagedResponse, TokenPaginator};
use crate::validate::BuildError;
use crate::wire::WriteParams;

/// A request of one operation, tied to that operation, its output and its error: what lets a
/// request value (built, or loaded from JSON) be sent with `client.send(request)`.
pub trait Request: WriteParams + Clone + Send + Sync + 'static {
    /// The operation the request is sent as.
    fn operation() -> &'static Operation;
    /// The product's client, which alone sends this request.
    type Client;
    /// The operation's response.
    type Output: DeserializeOwned + Default + OperationOutput + Send + 'static;
    /// The operation's error.
    type Error: OperationError;
    /// Checks every documented limit, as the builder's `build` does; a request loaded from
    /// JSON is checked again by every `send`.
    fn validate(&self) -> Result<(), BuildError>;
}

/// What a call through the async client is: a future of the response.
pub type SendFuture<R> = Pin<
    Box<
        dyn Future<Output = Result<<R as Request>::Output, SdkError<<R as Request>::Error>>>
            + Send
            + 'static,
    >,
>;

/// A client that sends requests: [`Client`] answers with futures, the blocking client with
/// results.
pub trait Sender: Clone {
    /// What `send` returns for a request `R`.
    type Sent<R: Request>;
    /// What `into_paginator` returns for a page-numbered request `R`.
    type Paginator<R: Request + PagedRequest>
    where
        R::Output: PagedResponse;
    /// What `into_paginator` returns for a token-paged request `R`.
    type TokenPaginator<R: Request + TokenPagedRequest>
    where
        R::Output: TokenPagedResponse;

    /// The async client underneath, for its configuration.
    fn runtime_client(&self) -> &Client;

    /// Sends a request built by a builder (an error in its checks comes back as
    /// [`SdkError::Build`], and nothing is sent).
    fn send_built<R: Request>(self, request: Result<R, BuildError>) -> Self::Sent<R>;

    /// Checks `request` with [`Request::validate`] and sends it.
    fn send_request<R: Request>(self, request: R) -> Self::Sent<R> {
        let checked = request.validate().map(|()| request);
        self.send_built(checked)
    }

    /// A paginator starting at a built request.
    fn paginator<R: Request + PagedRequest>(
        self,
        request: Result<R, BuildError>,
    ) -> Self::Paginator<R>
    where
        R::Output: PagedResponse;

    /// A token paginator starting at a built request.
    fn token_paginator<R: Request + TokenPagedRequest>(
        self,
        request: Result<R, BuildError>,
    ) -> Self::TokenPaginator<R>
    where
        R::Output: TokenPagedResponse;
}

impl Sender for Client {
    type Sent<R: Request> = SendFuture<R>;
    type Paginator<R: Request + PagedRequest>
        = Paginator<R, R::Output, R::Error>
    where
        R::Output: PagedResponse;
    type TokenPaginator<R: Request + TokenPagedRequest>
        = TokenPaginator<R, R::Output, R::Error>
    where
        R::Output: TokenPagedResponse;

    fn send_built<R: Request>(self, request: Result<R, BuildError>) -> SendFuture<R> {
        Box::pin(async move {
            let request = request.map_err(SdkError::Build)?;
            self.invoke(R::operation(), &request).await
        })
    }

    fn paginator<R: Request + PagedRequest>(
        self,
        request: Result<R, BuildError>,
    ) -> Self::Paginator<R>
    where
        R::Output: PagedResponse,
    {
        Paginator::new(self, R::operation(), request)
    }

    fn token_paginator<R: Request + TokenPagedRequest>(
        self,
        request: Result<R, BuildError>,
    ) -> Self::TokenPaginator<R>
    where
        R::Output: TokenPagedResponse,
    {
        TokenPaginator::new(self, R::operation(), request)
    }

    fn runtime_client(&self) -> &Client {
        self
    }
}
