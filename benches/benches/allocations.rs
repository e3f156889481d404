//! Heap allocations per signed request and per decode of the 1 MB response, counted by a global
//! allocator. Prints a table; asserts nothing. Each operation runs once untimed first, so that
//! one-time set-up (lazy statics, `tracing` call sites) is not counted.

use std::hint::black_box;
use std::sync::Arc;

use acs_benches::allocation::{AllocationStats, CountingAllocator, measure};
use acs_benches::requests::{self, SigningSetup};
use acs_benches::transport::CannedTransport;
use acs_benches::{plain, responses};
use acs_ecs as ecs;
use acs_runtime::decode::decode_response;
use acs_runtime::http::HttpResponse;
use acs_runtime::sign::SignatureVersion;
use acs_swas_open as swas_open;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn report(name: &str, mut operation: impl FnMut() -> usize) -> AllocationStats {
    black_box(operation());
    let (result, stats) = measure(&mut operation);
    black_box(result);
    println!(
        "{name:<44} {:>7} {:>7} {:>10} {:>10} {:>10}",
        stats.allocations, stats.reallocations, stats.bytes, stats.peak_bytes, stats.retained_bytes
    );
    stats
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument (from `cargo bench -- <filter>`) that
    // does not match this binary's name skips it.
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with("--"));
    if filter.is_some_and(|filter| !"allocations".contains(filter.as_str())) {
        return;
    }
    let Ok(setup) = SigningSetup::new(&swas_open::SERVICE) else {
        eprintln!("skipped: no endpoint for SWAS-OPEN");
        return;
    };
    let input = requests::ListCustomImagesInput::default();
    let Ok(request) = requests::list_custom_images(&input) else {
        eprintln!("skipped: ListCustomImages does not build");
        return;
    };
    let params = requests::params_of(&request);

    println!(
        "{:<44} {:>7} {:>7} {:>10} {:>10} {:>10}",
        "operation", "allocs", "reallocs", "bytes", "peak", "retained"
    );
    report("ListCustomImages: build+validate+write+sign V3", || {
        setup.build_and_sign_list_custom_images(SignatureVersion::V3, &input)
    });
    report("ListCustomImages: build+validate+write+sign V2", || {
        setup.build_and_sign_list_custom_images(SignatureVersion::V2, &input)
    });
    report("  of which build+validate", || {
        requests::list_custom_images(&input)
            .map_or(0, |request| request.image_ids.as_ref().map_or(0, Vec::len))
    });
    report("  of which write parameters", || {
        requests::params_of(&request).query_pairs().len()
    });
    report("  of which sign V3 (parameters written)", || {
        setup.sign_list_custom_images(SignatureVersion::V3, &params)
    });

    let sample = responses::success_samples().ok().and_then(|samples| {
        samples
            .into_iter()
            .find(|sample| sample.action == "ListCustomImages")
    });
    match sample {
        Some(sample) => {
            let transport = CannedTransport::new(HttpResponse::new(200, sample.body));
            match (
                requests::swas_client(Arc::new(transport)),
                tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build(),
            ) {
                (Ok(client), Ok(runtime)) => {
                    report("ListCustomImages: whole in-memory call V3", || {
                        runtime
                            .block_on(requests::call_list_custom_images(&client, &input))
                            .map_or(0, |response| response.custom_images.len())
                    });
                }
                _ => eprintln!("skipped the whole call: no client or runtime"),
            }
        }
        None => eprintln!("skipped the whole call: no ListCustomImages sample"),
    }

    let body = responses::describe_images_page(1000);
    let lenient = report("DescribeImages 1,000 images: lenient", || {
        decode_response::<ecs::DescribeImagesResponse>(&body)
            .map_or(0, |(response, _)| response.images.len())
    });
    let plain_stats = report("DescribeImages 1,000 images: plain serde", || {
        serde_json::from_slice::<plain::DescribeImagesResponse>(&body)
            .ok()
            .and_then(|response| response.images)
            .map_or(0, |images| images.image.len())
    });
    let value = report("DescribeImages 1,000 images: serde_json::Value", || {
        serde_json::from_slice::<serde_json::Value>(&body).map_or(0, |value| {
            value.as_object().map_or(0, |object| object.len())
        })
    });
    let size = body.len() as f64;
    println!();
    println!("body: {} bytes", body.len());
    for (name, stats) in [
        ("lenient", lenient),
        ("plain serde", plain_stats),
        ("serde_json::Value", value),
    ] {
        println!(
            "peak heap while decoding, {name}: {:.2}x the body ({:.2}x counting the body itself)",
            stats.peak_bytes as f64 / size,
            (stats.peak_bytes as f64 + size) / size
        );
    }
}
