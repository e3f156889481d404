//! A whole call through the client to a transport that answers from memory (no sockets): build,
//! validate, write, endpoint, sign, send, decode.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use acs_benches::requests;
use acs_benches::responses;
use acs_benches::transport::CannedTransport;
use acs_runtime::http::HttpResponse;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod support;

fn list_custom_images_call(c: &mut Criterion) {
    let body = match responses::success_samples() {
        Ok(samples) => samples
            .into_iter()
            .find(|sample| sample.action == "ListCustomImages")
            .map(|sample| sample.body),
        Err(error) => {
            eprintln!("skipped: {error}");
            return;
        }
    };
    let Some(body) = body else {
        eprintln!("skipped: the SWAS-OPEN spec has no successful ListCustomImages sample");
        return;
    };
    let response = HttpResponse::new(200, body)
        .with_header("content-type", "application/json;charset=utf-8")
        .with_header("x-acs-request-id", "20758A-585D-4A41-A9B2-28DA8F4F534F");
    let client = match requests::swas_client(Arc::new(CannedTransport::new(response))) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("skipped: {error}");
            return;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("skipped: no tokio runtime: {error}");
            return;
        }
    };
    let input = requests::ListCustomImagesInput::default();
    let mut group = c.benchmark_group("list_custom_images_call");
    group.throughput(Throughput::Elements(1));
    group.bench_function("in_memory_v3", |b| {
        b.iter(|| {
            runtime
                .block_on(requests::call_list_custom_images(
                    black_box(&client),
                    black_box(&input),
                ))
                .map_or(0, |response| response.custom_images.len())
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = support::criterion(Duration::from_secs(2), 40);
    targets = list_custom_images_call
}
criterion_main!(benches);
