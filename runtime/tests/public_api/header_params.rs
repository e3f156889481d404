//! A parameter whose location is `Header` travels as an HTTP header, signed by V3.

use std::sync::Arc;

use crate::support::*;
use acs_runtime::Client;
use acs_runtime::http::InMemoryTransport;
use acs_runtime::wire::{Location, Params, WriteParams};

#[derive(Debug, Clone)]
struct HeaderRequest;

impl WriteParams for HeaderRequest {
    fn write_params(&self, params: &mut Params) {
        params.plain(Location::Query, "RegionId", "cn-hangzhou");
        params.plain(Location::Header, "X-Acs-Resource-Group-Id", "rg-1");
    }
}

#[tokio::test]
async fn a_header_parameter_is_sent_lower_cased_and_signed() {
    let transport = Arc::new(InMemoryTransport::from_fn(|_| {
        ok(page_body("REQ", None, &[]))
    }));
    let client = Client::new(&SERVICE, builder(&transport).build().unwrap());
    client
        .invoke::<_, ListResponse, ListError>(&LIST, &HeaderRequest)
        .await
        .expect("answered");
    let request = &transport.requests()[0];
    assert!(
        request
            .headers
            .iter()
            .any(|(name, value)| name == "x-acs-resource-group-id" && value == "rg-1"),
        "{:?}",
        request.headers
    );
    assert_eq!(query_param(request, "X-Acs-Resource-Group-Id"), None);
    let authorization = request.header("authorization").expect("signed");
    let signed = authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("SignedHeaders");
    assert!(
        signed.split(';').any(|h| h == "x-acs-resource-group-id"),
        "{authorization}"
    );
}
