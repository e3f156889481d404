//! Our whole in-memory `ListCustomImages` call beside aws-sdk-ec2's `DescribeImages` call doing
//! the same kind of work, in one process, timed in alternating batches so that both see the same
//! machine.
//!
//! Ours: 100 image IDs (a JSON array), 10 image names, 20 tags and every other documented
//! parameter, built through the fluent builder from borrowed text, validated, written, signed
//! (V3), sent to a transport that answers the page's sample response from memory, and decoded.
//! Theirs: 20 filters of 5 values each (100 values, the same count of caller strings), built
//! through the fluent builder, serialised as the EC2 query protocol (`Filter.N.Value.M`, a form
//! body), signed with SigV4, sent through aws-smithy's in-memory client and decoded from a
//! one-image XML response, the same size of answer as ours.
//!
//! Usage: `acs-peer-aws [--rounds N] [--batch N]`; run through `scripts/bench_peer.sh`.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use acs_runtime::http::HttpResponse;
use aws_sdk_ec2::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ec2::types::Filter;
use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_types::body::SdkBody;

#[path = "../../src/list_custom_images.rs"]
#[allow(dead_code)]
mod list_custom_images;
#[path = "../../src/transport.rs"]
mod transport;

/// The `ListCustomImages` sample response that `benches/benches/client.rs` answers with (the
/// spec's first successful sample; `benches/tests/fixtures.rs` holds the copy to it).
const OUR_RESPONSE: &str = include_str!("../list_custom_images_response.json");

/// A `DescribeImages` answer with one image, about the size of [`OUR_RESPONSE`].
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

async fn our_call(
    client: &acs_sdk::swas_open::Client,
    input: &list_custom_images::ListCustomImagesInput,
) -> usize {
    match list_custom_images::call_list_custom_images(client, input).await {
        Ok(response) => response.custom_images.len(),
        Err(error) => {
            eprintln!("our call failed: {error:?}");
            0
        }
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn argument(args: &[String], name: &str, default: u32) -> Result<u32, String> {
    match args.iter().position(|arg| arg == name) {
        None => Ok(default),
        Some(at) => args
            .get(at + 1)
            .and_then(|value| value.parse().ok())
            .ok_or_else(|| format!("{name} takes a positive number")),
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let rounds = argument(&args, "--rounds", 30)?;
    let batch = argument(&args, "--batch", 2_000)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .map_err(|error| format!("no tokio runtime: {error}"))?;

    let response = HttpResponse::new(200, OUR_RESPONSE.as_bytes().to_vec())
        .with_header("content-type", "application/json;charset=utf-8")
        .with_header("x-acs-request-id", "20758A-585D-4A41-A9B2-28DA8F4F534F");
    let ours = list_custom_images::swas_client(Arc::new(transport::CannedTransport::new(response)))
        .map_err(|error| error.to_string())?;
    let our_input = list_custom_images::ListCustomImagesInput::default();
    let aws = aws_client();
    let aws_input = AwsInput::new();

    // Both must do their whole work, or the comparison means nothing.
    if runtime.block_on(our_call(&ours, &our_input)) != 1 {
        return Err("our call did not decode the one sample image".to_owned());
    }
    if runtime.block_on(aws_call(&aws, &aws_input)) != 1 {
        return Err("the aws-sdk-ec2 call did not decode the one image".to_owned());
    }

    let mut our_ns = Vec::new();
    let mut aws_ns = Vec::new();
    // The first round warms caches and the allocator, and is not counted.
    for round in 0..=rounds {
        let started = Instant::now();
        let mut images = 0;
        for _ in 0..batch {
            images += runtime.block_on(our_call(&ours, std::hint::black_box(&our_input)));
        }
        let ours_per_call = started.elapsed().as_nanos() as f64 / f64::from(batch);
        let started = Instant::now();
        for _ in 0..batch {
            images += runtime.block_on(aws_call(&aws, std::hint::black_box(&aws_input)));
        }
        let aws_per_call = started.elapsed().as_nanos() as f64 / f64::from(batch);
        std::hint::black_box(images);
        if round > 0 {
            our_ns.push(ours_per_call);
            aws_ns.push(aws_per_call);
        }
    }
    let (ours_median, aws_median) = (median(our_ns.clone()), median(aws_ns.clone()));
    let spread = |values: &[f64]| {
        let low = values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = values.iter().copied().fold(0.0, f64::max);
        format!("{:.1}..{:.1}", low / 1000.0, high / 1000.0)
    };
    println!(
        "{rounds} rounds of {batch} calls each, alternating; median µs per call (min..max of the rounds)"
    );
    println!(
        "acs-sdk ListCustomImages (in memory)\t{:.2} µs\t({})",
        ours_median / 1000.0,
        spread(&our_ns)
    );
    println!(
        "aws-sdk-ec2 DescribeImages (in memory)\t{:.2} µs\t({})",
        aws_median / 1000.0,
        spread(&aws_ns)
    );
    println!(
        "ours / aws-sdk-ec2\t{:.3}x\t(aws-sdk-ec2 takes {:.1}x as long)",
        ours_median / aws_median,
        aws_median / ours_median
    );
    // For scripts/bench_peer.sh.
    println!("{{\"ours_ns\": {ours_median:.0}, \"aws_ns\": {aws_median:.0}}}");
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
