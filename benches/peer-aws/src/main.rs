//! aws-sdk-ec2's whole in-memory call, the peer of our `ListCustomImages` call: `DescribeImages`
//! with 20 filters of 5 values each (100 values, as many caller strings as our 100 image IDs),
//! built through the fluent builder from borrowed text, serialised as the EC2 query protocol
//! (`Filter.N.Name`, `Filter.N.Value.M`, a form body), signed with SigV4, sent through
//! aws-smithy's in-memory client and decoded from a one-image XML response (about the size of
//! the sample our call decodes).
//!
//! It depends on nothing of ours, so that adding to the workspace never rebuilds aws-sdk-ec2;
//! `scripts/bench_peer.sh` alternates its batches with our call's (`hot_paths time-call`) in
//! one run.
//!
//! Usage: `acs-peer-aws <calls>`: runs `calls` calls after a warm-up and prints the nanoseconds
//! per call.

use std::process::ExitCode;
use std::time::Instant;

use aws_sdk_ec2::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ec2::types::Filter;
use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_types::body::SdkBody;

/// A `DescribeImages` answer with one image.
const AWS_RESPONSE: &str = include_str!("../describe_images_response.xml");

/// What an aws-sdk-ec2 caller holds: 20 filters of 5 values, as borrowed text.
struct AwsInput {
    filters: Vec<(String, Vec<String>)>,
}

impl AwsInput {
    fn new() -> Self {
        AwsInput {
            filters: (0..20)
                .map(|f| {
                    (
                        format!("tag:TestKey{f:02}"),
                        (0..5)
                            .map(|v| format!("TestValue {f:02}-{v}/env"))
                            .collect(),
                    )
                })
                .collect(),
        }
    }
}

fn aws_client() -> aws_sdk_ec2::Client {
    let http_client =
        infallible_client_fn(|_request| http::Response::new(SdkBody::from(AWS_RESPONSE)));
    let config = aws_sdk_ec2::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "bench",
        ))
        .http_client(http_client)
        .build();
    aws_sdk_ec2::Client::from_conf(config)
}

async fn aws_call(client: &aws_sdk_ec2::Client, input: &AwsInput) -> usize {
    let mut request = client.describe_images();
    for (name, values) in &input.filters {
        let mut filter = Filter::builder().name(name.as_str());
        for value in values {
            filter = filter.values(value.as_str());
        }
        request = request.filters(filter.build());
    }
    match request.send().await {
        Ok(output) => output.images().len(),
        Err(error) => {
            eprintln!("aws-sdk-ec2 call failed: {error:?}");
            0
        }
    }
}

fn run() -> Result<(), String> {
    let calls: u32 = std::env::args()
        .nth(1)
        .and_then(|calls| calls.parse().ok())
        .filter(|calls| *calls > 0)
        .ok_or("usage: acs-peer-aws <calls>")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|error| format!("no tokio runtime: {error}"))?;
    let client = aws_client();
    let input = AwsInput::new();
    // The call must do its whole work, or the comparison means nothing.
    if runtime.block_on(aws_call(&client, &input)) != 1 {
        return Err("the aws-sdk-ec2 call did not decode the one image".to_owned());
    }
    // A tenth of the calls warms caches and the allocator, uncounted.
    for _ in 0..calls.div_ceil(10) {
        runtime.block_on(aws_call(&client, std::hint::black_box(&input)));
    }
    let started = Instant::now();
    let mut images = 0;
    for _ in 0..calls {
        images += runtime.block_on(aws_call(&client, std::hint::black_box(&input)));
    }
    let per_call = started.elapsed().as_nanos() as f64 / f64::from(calls);
    std::hint::black_box(images);
    println!("{per_call:.0}");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("acs-peer-aws: {error}");
            ExitCode::FAILURE
        }
    }
}
