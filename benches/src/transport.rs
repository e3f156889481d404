//! A transport that answers every request with one canned response and keeps nothing, so that a
//! benchmark of whole calls measures the client, not a growing log of requests (the runtime's
//! `InMemoryTransport` records every request, which suits tests).

use acs_runtime::http::{HttpRequest, HttpResponse, HttpTransport, TransportFuture};

/// Answers every request with a clone of the same response (the body is shared, not copied).
#[derive(Debug, Clone)]
pub struct CannedTransport {
    response: HttpResponse,
}

impl CannedTransport {
    /// A transport that always answers `response`.
    pub fn new(response: HttpResponse) -> Self {
        CannedTransport { response }
    }
}

impl HttpTransport for CannedTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        // The request is consumed as a real transport would consume it.
        drop(request);
        Box::pin(std::future::ready(Ok(self.response.clone())))
    }
}
