//! Request parameters that break naive encoders: `&`, `=`, `%`, `+`, `#`, line breaks, emoji,
//! NUL, 64 KiB strings, empty strings, lists of one and of many, lists longer than documented,
//! numbers at and beyond their limits, for every parameter of every operation.
//!
//! Each case is either encoded exactly or rejected before anything is sent with a `BuildError`
//! naming the parameter and the limit it broke. "Exactly" is judged by an oracle written here
//! from the specs and the wire rules (`specs/README.md`): the parameters the request writes
//! (`Params`) must be the pairs the oracle derives, and the canonical query and form body must be
//! what an RFC 3986 encoder written here makes of them. Which cases must be rejected is derived
//! from the specs' `limits` the same way.
//!
//! The bulk of the cases load requests from JSON under their wire names (the serde form every
//! request has) and check them with `validate()`, the same check `build()` runs; typed builder
//! cases confirm `build()` agrees. Whole calls then go through an in-memory transport (the URL
//! and body sent must be the encoder's) and through the local gateway, which checks the V3 and V2
//! signatures of requests full of such values and decodes the parameters back.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use acs_appstream_center as appstream_center;
use acs_catalog::OPERATIONS;
use acs_ecs as ecs;
use acs_ens as ens;
use acs_runtime::SdkError;
use acs_runtime::catalog;
use acs_runtime::credentials::Credentials;
use acs_runtime::http::{HttpResponse, InMemoryTransport, TransportErrorKind};
use acs_runtime::retry::RetryPolicy;
use acs_runtime::sign::SignatureVersion;
use acs_runtime::validate::BuildError;
use acs_runtime::wire::{self, Params, WriteParams};
use acs_swas_open as swas_open;
use acs_test_gateway::specs;
use serde_json::{Value, json};

mod edge_values;
mod encoders;
mod oracle;
mod wire_specs;

use edge_values::*;
use encoders::*;
use wire_specs::*;

// ---------------------------------------------------------------------------------------------
// The generated request types, loaded from JSON and checked with the same `validate()` that
// `build()` runs.
// ---------------------------------------------------------------------------------------------

type Outcome = Result<Params, BuildError>;

fn params_of(request: &impl WriteParams) -> Params {
    let mut params = Params::new();
    request.write_params(&mut params);
    params
}

/// Loads `request` into the generated request type of `module::action`, found in the generated
/// catalog, and runs the checks `build()` runs.
fn through_validate(module: &str, action: &str, request: &Value) -> Outcome {
    let entry = catalog::find(&OPERATIONS, module, action).unwrap_or_else(|e| panic!("{e}"));
    let loaded = (entry.load_request)(request).unwrap_or_else(|e| {
        panic!("{module}::{action}: the request does not load from {request}: {e}")
    });
    loaded.validate().map(|()| loaded.params())
}

// ---------------------------------------------------------------------------------------------
// Judging one case.
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    cases: usize,
    encoded: usize,
    rejected: usize,
    failures: Vec<String>,
}

fn show(v: &Value) -> String {
    let text = v.to_string();
    if text.len() > 100 {
        let mut end = 100;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}… ({} bytes)", &text[..end], text.len())
    } else {
        text
    }
}

impl Tally {
    fn judge(&mut self, op: &Operation, param: &str, request: &Value) {
        self.cases += 1;
        let label = format!("{} {param}={}", op.action, show(&request[param]));
        let expected = op.expect(request);
        let actual = through_validate(&op.module, &op.action, request);
        match (expected, actual) {
            (Ok((query, body)), Ok(params)) => {
                self.encoded += 1;
                if params.query_pairs() != query.as_slice()
                    || params.body_pairs() != body.as_slice()
                {
                    self.failures.push(format!(
                        "{label}: wrote query {:?} body {:?}, expected query {:?} body {:?}",
                        short_pairs(&params.query_pairs().to_vec()),
                        short_pairs(&params.body_pairs().to_vec()),
                        short_pairs(&query),
                        short_pairs(&body)
                    ));
                    return;
                }
                let (q, want_q) = (
                    wire::canonical_query(params.query_pairs()),
                    canonical(&query),
                );
                let (b, want_b) = (wire::form_body(params.body_pairs()), canonical(&body));
                if q != want_q || b != want_b {
                    self.failures.push(format!(
                        "{label}: canonical query {q:.200} / body {b:.200}, expected {want_q:.200} / {want_b:.200}"
                    ));
                }
            }
            (Err(violations), Err(e)) => {
                self.rejected += 1;
                let named = violations
                    .iter()
                    .any(|v| v.parameter == e.parameter && e.problem.contains(&v.mentions));
                if !named {
                    self.failures.push(format!(
                        "{label}: rejected with `{e}`, which names none of the broken limits {violations:?}"
                    ));
                }
                if e.to_string().len() > 1_000 {
                    self.failures.push(format!(
                        "{label}: the error repeats the value ({} bytes)",
                        e.to_string().len()
                    ));
                }
            }
            (Ok(_), Err(e)) => self.failures.push(format!(
                "{label}: rejected with `{e}`, though no documented limit is broken"
            )),
            (Err(violations), Ok(params)) => self.failures.push(format!(
                "{label}: accepted (query {:?}), though it breaks {violations:?}",
                short_pairs(&params.query_pairs().to_vec())
            )),
        }
    }
}

fn short_pairs(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| {
            let shown = if v.len() > 60 {
                format!(
                    "{}… ({} bytes)",
                    v.chars().take(20).collect::<String>(),
                    v.len()
                )
            } else {
                v.clone()
            };
            (k.clone(), shown)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_parameter_of_every_operation_encodes_exactly_or_is_refused_by_name() {
    let strings = edge_strings();
    let ops = operations();
    assert!(ops.len() >= 4, "found only {} operations", ops.len());
    let mut tally = Tally::default();
    for op in &ops {
        let base = baseline(op);
        for p in &op.params {
            for value in values_for(op, p, &strings) {
                let mut request = base.clone();
                request.insert(p.name.clone(), value);
                tally.judge(op, &p.name, &Value::Object(request));
            }
        }
        // Every parameter at once, each with a different edge value.
        let mut all = base.clone();
        for (i, p) in op.params.iter().enumerate() {
            if !p.required {
                all.insert(p.name.clone(), sample_of(op, &p.ty, &strings[..20], i));
            }
        }
        tally.judge(op, "(all)", &Value::Object(all));
    }
    println!(
        "request edges: {} cases, {} encoded exactly, {} refused by name, {} failures",
        tally.cases,
        tally.encoded,
        tally.rejected,
        tally.failures.len()
    );
    assert!(tally.cases >= 500, "only {} cases", tally.cases);
    assert!(tally.rejected > 0 && tally.encoded > 0);
    assert!(
        tally.failures.is_empty(),
        "{} failures, first {}:\n{}",
        tally.failures.len(),
        tally.failures.len().min(15),
        tally.failures[..tally.failures.len().min(15)].join("\n")
    );
}

/// `build()` on the typed builders gives the verdicts the oracle gives, names the parameter and
/// the limit, and writes what the JSON route writes.
#[test]
fn typed_builders_refuse_by_name_and_agree_with_the_oracle() {
    let strings = edge_strings();
    let mut checked = 0;
    let refused = |r: Result<Params, BuildError>, parameter: &str, mentions: &str| match r {
        Err(e) => assert!(
            e.parameter == parameter && e.problem.contains(mentions),
            "expected `{parameter}` and `{mentions}`, got `{e}`"
        ),
        Ok(p) => panic!(
            "accepted {:?}, expected a refusal of `{parameter}`",
            short_pairs(&p.query_pairs().to_vec())
        ),
    };
    let ecs_base = || ecs::DescribeImagesRequest::builder().region_id("cn-hangzhou");
    let swas_base = || swas_open::ListCustomImagesRequest::builder().region_id("cn-hangzhou");
    let built = |r: Result<ecs::DescribeImagesRequest, BuildError>| r.map(|r| params_of(&r));

    refused(
        built(ecs::DescribeImagesRequest::builder().build()),
        "RegionId",
        "required",
    );
    refused(
        built(
            ecs_base()
                .set_tag(vec![ecs::Tag::new().key("k"); 21])
                .build(),
        ),
        "Tag",
        "20",
    );
    refused(built(ecs_base().page_size(101).build()), "PageSize", "100");
    refused(built(ecs_base().page_number(0).build()), "PageNumber", "1");
    let swas = |b: swas_open::ListCustomImagesRequestBuilder| b.build().map(|r| params_of(&r));
    refused(
        swas(swas_base().set_tag(vec![swas_open::Tag::new().key("k").value("v"); 101])),
        "Tag",
        "100",
    );
    checked += 5;

    // Limits only an older reference page gives (not Alibaba's current metadata) are the
    // service's to judge: the value goes on the wire as given.
    let sent = |r: Result<Params, BuildError>, parameter: &str, value: &str| match r {
        Ok(p) => assert!(
            p.query_pairs()
                .iter()
                .chain(p.body_pairs())
                .any(|(k, v)| k == parameter && v == value),
            "`{parameter}={value}` was not sent: {:?}",
            short_pairs(&p.query_pairs().to_vec())
        ),
        Err(e) => panic!("refused with `{e}`; the current metadata sets no such limit"),
    };
    let hundred_and_one = (0..101).map(|i| format!("m-{i}")).collect::<Vec<_>>();
    sent(
        built(
            ecs_base()
                .set_image_id(Some(hundred_and_one.clone()))
                .build(),
        ),
        "ImageId",
        &hundred_and_one.join(","),
    );
    sent(
        built(
            ecs_base()
                .tag(ecs::Tag::new().key("k"))
                .tag(ecs::Tag::new().key(""))
                .build(),
        ),
        "Tag.2.Key",
        "",
    );
    sent(
        swas(swas_base().client_token("t".repeat(65))),
        "ClientToken",
        &"t".repeat(65),
    );
    sent(
        swas(swas_base().client_token("令牌")),
        "ClientToken",
        "令牌",
    );
    sent(
        swas(swas_base().set_image_names(Some(vec!["n".to_owned(); 101]))),
        "ImageNames",
        &serde_json::to_string(&vec!["n"; 101]).unwrap_or_default(),
    );
    sent(
        swas(swas_base().tag(swas_open::Tag::new().key("").value("v".repeat(65)))),
        "Tag.1.Value",
        &"v".repeat(65),
    );
    sent(
        appstream_center::ListImageRequest::builder()
            .page_size(101)
            .build()
            .map(|r| params_of(&r)),
        "PageSize",
        "101",
    );
    sent(
        ens::DescribeSelfImagesRequest::builder()
            .page_number(0)
            .build()
            .map(|r| params_of(&r)),
        "PageNumber",
        "0",
    );
    checked += 8;

    // Every edge string through the typed setters, compared with the JSON route.
    for s in &strings {
        let typed = ecs_base()
            .image_name(s.as_str())
            .image_id(s.as_str())
            .image_id("m-2")
            .tag(ecs::Tag::new().key("k").value(s.as_str()))
            .build()
            .map(|r| params_of(&r));
        let loaded = through_validate(
            "ecs",
            "DescribeImages",
            &json!({"RegionId": "cn-hangzhou", "ImageName": s, "ImageId": [s, "m-2"],
                    "Tag": [{"Key": "k", "Value": s}]}),
        );
        assert_eq!(typed, loaded, "ECS with {}", show(&json!(s)));
        let typed = swas_base()
            .image_ids(s.as_str())
            .instance_id(s.as_str())
            .build()
            .map(|r| params_of(&r));
        let loaded = through_validate(
            "swas_open",
            "ListCustomImages",
            &json!({"RegionId": "cn-hangzhou", "ImageIds": [s], "InstanceId": s}),
        );
        assert_eq!(typed, loaded, "SWAS with {}", show(&json!(s)));
        let typed = ens::DescribeSelfImagesRequest::builder()
            .image_name(s.as_str())
            .build()
            .map(|r| params_of(&r));
        let loaded = through_validate("ens", "DescribeSelfImages", &json!({"ImageName": s}));
        assert_eq!(typed, loaded, "ENS with {}", show(&json!(s)));
        let typed = appstream_center::ListImageRequest::builder()
            .image_name(s.as_str())
            .distro(s.as_str())
            .feature_list(s.as_str())
            .build()
            .map(|r| params_of(&r));
        let loaded = through_validate(
            "appstream_center",
            "ListImage",
            &json!({"ImageName": s, "Distro": s, "FeatureList": [s]}),
        );
        assert_eq!(typed, loaded, "appstream-center with {}", show(&json!(s)));
        checked += 4;
    }
    println!("typed builders: {checked} checks agree with the oracle and the JSON route");
}

fn config(transport: Arc<InMemoryTransport>) -> acs_runtime::Config {
    acs_runtime::Config::builder()
        .credentials(Credentials::new("edge-id", "edge-secret"))
        .region("cn-hangzhou")
        .transport(transport)
        .retry_policy(RetryPolicy::disabled())
        .nonce_source(|| "fixed-nonce".to_owned())
        .build()
        .unwrap_or_else(|e| panic!("config: {e}"))
}

/// What is sent is what the encoder makes of the parameters: the URL's query (V3 adds nothing
/// to it) and the form body.
#[tokio::test]
async fn the_request_sent_carries_exactly_the_encoded_parameters() {
    let strings = edge_strings();
    let mut sent = 0;
    for s in &strings {
        let transport = Arc::new(InMemoryTransport::from_fn(|_| {
            Ok(HttpResponse::new(200, "{\"RequestId\":\"r\"}"))
        }));
        let ecs_client = ecs::Client::new(config(Arc::clone(&transport)));
        ecs_client
            .describe_images()
            .region_id("cn-hangzhou")
            .image_name(s.as_str())
            .image_id(s.as_str())
            .image_id("m,2")
            .tag(ecs::Tag::new().key("k&=").value(s.as_str()))
            .send()
            .await
            .unwrap_or_else(|e| panic!("ECS with {}: {e}", show(&json!(s))));
        let app = appstream_center::Client::new(config(Arc::clone(&transport)));
        app.list_image()
            .image_name(s.as_str())
            .distro(s.as_str())
            .feature_list(s.as_str())
            .feature_list("b")
            .send()
            .await
            .unwrap_or_else(|e| panic!("ListImage with {}: {e}", show(&json!(s))));
        let requests = transport.requests();
        assert_eq!(requests.len(), 2);
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let ecs_query = pairs(&[
            ("RegionId", "cn-hangzhou"),
            ("ImageId", &format!("{s},m,2")),
            ("ImageName", s),
            ("Tag.1.Key", "k&="),
            ("Tag.1.Value", s),
        ]);
        assert_eq!(
            requests[0].query(),
            canonical(&ecs_query),
            "ECS URL with {}",
            show(&json!(s))
        );
        assert!(requests[0].body.is_empty());
        assert_eq!(requests[1].query(), canonical(&pairs(&[("Distro", s)])));
        let body = pairs(&[
            ("ImageName", s),
            ("FeatureList.1", s),
            ("FeatureList.2", "b"),
        ]);
        assert_eq!(
            requests[1].body.as_ref(),
            canonical(&body).as_bytes(),
            "ListImage body with {}",
            show(&json!(s))
        );
        sent += 2;
    }
    println!(
        "requests sent through the in-memory transport: {sent}, every URL and body as encoded"
    );
}

/// The local gateway checks the V3 and V2 signatures of requests full of such values, and reads
/// each value back exactly.
#[tokio::test]
async fn the_gateway_verifies_and_reads_back_every_edge_value() {
    let server = acs_test_gateway::TestServer::builder()
        .credential("edge-id", "edge-secret")
        .start()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    server.respond("DescribeSelfImages", 200, json!({"Images": {"Image": []}}));
    server.respond("ListImage", 200, json!({}));
    let strings = edge_strings();
    let mut round_trips = 0;
    let mut too_long_for_a_url = 0;
    for version in [SignatureVersion::V3, SignatureVersion::V2] {
        let config = acs_runtime::Config::builder()
            .credentials(Credentials::new("edge-id", "edge-secret"))
            .region("cn-hangzhou")
            .endpoint(server.endpoint())
            .signature_version(version)
            .retry_policy(RetryPolicy::disabled())
            // Loopback answers in a moment; a limit no busy machine reaches.
            .connect_timeout(Duration::from_secs(600))
            .read_timeout(Duration::from_secs(600))
            .build()
            .unwrap_or_else(|e| panic!("config: {e}"));
        let ens = ens::Client::new(config.clone());
        let app = appstream_center::Client::new(config);
        for s in &strings {
            server.clear_requests();
            let shown = show(&json!(s));
            // `http::Uri` holds at most 65,534 bytes: a query value longer than that once
            // encoded cannot be sent in the URL. It must fail before sending, as a request the
            // transport cannot express (never retried), not panic or reach the server cut.
            let fits_in_url = rfc3986(s).len() < 65_000;
            let sent = ens
                .describe_self_images()
                .image_name(s.as_str())
                .send()
                .await;
            match (fits_in_url, sent) {
                (true, Ok(_)) => {}
                (false, Err(SdkError::Transport(e))) => {
                    assert_eq!(e.kind(), TransportErrorKind::InvalidRequest, "{e}");
                    too_long_for_a_url += 1;
                }
                (_, other) => panic!("{version:?} ENS with {shown}: {other:?}"),
            }
            // In the form body the same value goes through whatever its length.
            let mut list_image = app.list_image().image_name(s.as_str());
            if fits_in_url {
                list_image = list_image.distro(s.as_str());
            }
            list_image
                .send()
                .await
                .unwrap_or_else(|e| panic!("{version:?} ListImage with {shown}: {e}"));
            let seen = server.requests();
            assert_eq!(
                seen.len(),
                if fits_in_url { 2 } else { 1 },
                "{version:?} {shown}"
            );
            for request in &seen {
                assert!(
                    request.verified(),
                    "{version:?} {shown}: {:?}",
                    request.verdict
                );
                assert_eq!(
                    request.param("ImageName"),
                    Some(s.as_str()),
                    "{version:?} {shown}"
                );
                round_trips += 1;
            }
            if fits_in_url {
                assert_eq!(
                    seen[1].param("Distro"),
                    Some(s.as_str()),
                    "{version:?} {shown}"
                );
            }
        }
    }
    server.shutdown().await;
    println!(
        "gateway round trips (V3 and V2): {round_trips}, every one verified and read back exactly; {too_long_for_a_url} query values too long for a URL refused before sending"
    );
    assert!(round_trips > 0);
}

/// The builder without a client is what `Default` gives, with no annotation; a list that can be
/// sent empty can also be unset again.
#[test]
fn a_default_builder_needs_no_annotation_and_an_optional_list_can_be_cleared() {
    let request = ens::DescribeSelfImagesRequestBuilder::default()
        .image_name("x")
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(request.image_name.as_deref(), Some("x"));

    let cleared = swas_open::ListCustomImagesRequest::builder()
        .region_id("cn-hangzhou")
        .image_ids("m-1")
        .set_image_ids(None)
        .set_image_names(Some(Vec::new()))
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let params = params_of(&cleared);
    assert!(!params.contains("ImageIds"), "{params:?}");
    assert!(
        params
            .query_pairs()
            .iter()
            .any(|(name, value)| name == "ImageNames" && value == "[]"),
        "{params:?}"
    );
}
