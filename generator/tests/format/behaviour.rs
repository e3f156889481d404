//! How the constructs of `formats.yaml` behave in the generated crate: copied into the scratch
//! crate's `tests/` by `format_constructs.rs`, and run there.

use acs_runtime::wire::{Params, WriteParams};
use acs_sdk::formats::*;

fn params_of(request: &impl WriteParams) -> Vec<(String, String)> {
    let mut params = Params::new();
    request.write_params(&mut params);
    params.query().to_vec()
}

fn value<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[test]
#[allow(deprecated)]
fn deprecated_parameters_are_still_sent() {
    let request = DescribeThingsRequest::builder()
        .region_id("cn-hangzhou")
        .old_name("before")
        .old_flag(true)
        .old_ids("i-1")
        .filter(Filter::new().key("k").legacy("l"))
        .build()
        .expect("builds");
    let params = params_of(&request);
    assert_eq!(value(&params, "OldName"), Some("before"));
    assert_eq!(value(&params, "OldFlag"), Some("true"));
    assert_eq!(value(&params, "OldIds.1"), Some("i-1"));
    assert_eq!(value(&params, "Filter.1.Legacy"), Some("l"));
}

#[test]
fn an_int64_parameter_holds_values_beyond_32_bits() {
    let request = DescribeThingsRequest::builder()
        .region_id("cn-hangzhou")
        .size(5_000_000_000_i64)
        .ratio(0.5)
        .build()
        .expect("builds");
    let params = params_of(&request);
    assert_eq!(value(&params, "Size"), Some("5000000000"));
    assert_eq!(value(&params, "Ratio"), Some("0.5"));
    let err = DescribeThingsRequest::builder()
        .region_id("cn-hangzhou")
        .size(5_000_000_001_i64)
        .build()
        .expect_err("above the maximum");
    assert_eq!(err.parameter, "Size");
}

#[test]
fn an_int64_response_field_decodes_beyond_32_bits() {
    let (response, anomalies) = acs_runtime::decode::decode_response::<DescribeThingsResponse>(
        br#"{"RequestId": "r", "Bytes": "6000000000"}"#,
    )
    .expect("decodes");
    assert!(anomalies.is_empty(), "{anomalies:?}");
    assert_eq!(response.bytes, Some(6_000_000_000));
}
