//! A request that writes one name twice is refused before anything is sent: the service reads
//! the query and the body as one set of parameters, so it would check the signature against
//! another request than the one signed.

use std::sync::Arc;

use crate::support::*;
use acs_runtime::http::InMemoryTransport;
use acs_runtime::wire::{Location, Params, WriteParams};
use acs_runtime::{Client, SdkError};

/// A flat `DataDisk.2.Size` beside a list writing the same name, in the query and the body.
struct Twice {
    across_query_and_body: bool,
}

impl WriteParams for Twice {
    fn write_params(&self, params: &mut Params) {
        params.plain(Location::Query, "RegionId", "cn-hangzhou");
        params.plain(Location::Query, "DataDisk.2.Size", &40);
        let second = if self.across_query_and_body {
            Location::Body
        } else {
            Location::Query
        };
        params.plain(second, "DataDisk.1.Size", &20);
        params.plain(second, "DataDisk.2.Size", &50);
    }
}

#[tokio::test]
async fn a_name_written_twice_is_refused_by_name_and_nothing_is_sent() {
    for across_query_and_body in [false, true] {
        let transport = Arc::new(InMemoryTransport::from_responses([ok("{}")]));
        let client = Client::new(&SERVICE, builder(&transport).build().unwrap());
        let err = client
            .invoke::<_, ListResponse, ListError>(
                &LIST,
                &Twice {
                    across_query_and_body,
                },
            )
            .await
            .expect_err("a name written twice");
        match err {
            SdkError::Build(e) => {
                assert_eq!(e.parameter, "DataDisk.2.Size");
                assert!(e.problem.contains("twice"), "{e}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(transport.request_count(), 0);
    }
}

#[test]
fn params_name_what_they_write_twice() {
    let mut params = Params::new();
    params.plain(Location::Query, "A", "1");
    params.plain(Location::Body, "B", "2");
    assert_eq!(params.repeated_name(), None);
    // A header is not a parameter of the query or the body.
    params.plain(Location::Header, "A", "3");
    assert_eq!(params.repeated_name(), None);
    params.plain(Location::Body, "A", "4");
    assert_eq!(params.repeated_name(), Some("A"));
}
