//! One client under load against the local gateway: many calls at once each get their own
//! answer, and a long run of calls does not grow the process.

use crate::support::*;
use acs_ecs as ecs;
use acs_test_gateway::Response;
use serde_json::json;

/// The gateway answers each DescribeImages with the image named in its `ImageName` filter, so a
/// response that reached the wrong caller shows.
fn echo_the_image_name(server: &acs_test_gateway::TestServer) {
    server.respond_with("DescribeImages", |request| {
        let name = request.param("ImageName").unwrap_or_default().to_owned();
        Response::ok(json!({
            "RequestId": format!("req-{name}"),
            "TotalCount": 1,
            "PageNumber": 1,
            "PageSize": 10,
            "Images": {"Image": [{"ImageId": format!("m-{name}"), "ImageName": name}]},
        }))
    });
}

async fn describe(client: &ecs::Client, name: String) -> (String, ecs::DescribeImagesResponse) {
    let response = client
        .describe_images()
        .region_id("cn-hangzhou")
        .image_name(name.clone())
        .send()
        .await
        .unwrap_or_else(|err| panic!("call {name} failed: {err}"));
    (name, response)
}

#[tokio::test]
async fn a_thousand_concurrent_calls_on_one_client_each_get_their_own_answer() {
    let server = gateway().await;
    echo_the_image_name(&server);
    let client = ecs::Client::new(
        config_for(&server)
            // A thousand calls share one thread with the gateway; on a busy machine the last of
            // them waits its turn to connect, to be read and to be answered for longer than any
            // default limit, which is not what this test is about: `config_for`'s limits are ones
            // no machine reaches.
            .retry_policy(quick_retries(1))
            .build()
            .unwrap(),
    );

    let calls = (0..1000).map(|n| {
        let client = client.clone();
        tokio::spawn(async move { describe(&client, format!("image-{n}")).await })
    });
    let answers = futures_util::future::join_all(calls).await;

    assert_eq!(answers.len(), 1000);
    for answer in answers {
        let (name, response) = answer.expect("no call panicked");
        assert_eq!(
            response.request_id.as_deref(),
            Some(format!("req-{name}").as_str())
        );
        assert_eq!(response.images.len(), 1, "{name}");
        assert_eq!(
            response.images[0].image_id.as_deref(),
            Some(format!("m-{name}").as_str())
        );
        assert!(response.meta().anomalies.is_empty(), "{name}");
    }
    let received = server.requests();
    assert_eq!(received.len(), 1000, "every call was sent once");
    assert!(received.iter().all(|request| request.verified()));
    let mut nonces: Vec<String> = received
        .iter()
        .filter_map(|request| request.header("x-acs-signature-nonce").map(str::to_owned))
        .collect();
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 1000, "every call signed on its own");
}

/// The resident set of this process, in KiB, from `/proc/self/status` (Linux only).
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A measurement, not a check: run by hand with
/// `cargo test -p acs-test-gateway --release --test e2e -- load:: --ignored --nocapture`.
#[tokio::test]
#[ignore = "a measurement to read, run by hand"]
async fn ten_thousand_sequential_calls_keep_memory_flat() {
    let server = gateway().await;
    echo_the_image_name(&server);
    let client = ecs::Client::new(
        config_for(&server)
            .retry_policy(quick_retries(1))
            .build()
            .unwrap(),
    );
    for n in 0..10_000 {
        if n % 1000 == 0 {
            // The gateway keeps every request it got; the measurement is of the client.
            server.clear_requests();
            println!("after {n:>5} calls: VmRSS {:?} KiB", resident_kib());
        }
        let (name, response) = describe(&client, format!("image-{n}")).await;
        assert_eq!(
            response.images[0].image_name.as_deref(),
            Some(name.as_str())
        );
    }
    server.clear_requests();
    println!("after 10000 calls: VmRSS {:?} KiB", resident_kib());
}
