//! Decoding responses into the generated, lenient types, beside plain derived serde structs and
//! `serde_json::Value` on the same bytes.

use std::hint::black_box;
use std::time::Duration;

use acs_benches::plain;
use acs_benches::responses;
use acs_ecs as ecs;
use acs_runtime::decode::decode_response;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod support;

fn samples(c: &mut Criterion) {
    let samples = match responses::success_samples() {
        Ok(samples) => samples,
        Err(error) => {
            eprintln!("skipped: {error}");
            return;
        }
    };
    let mut group = c.benchmark_group("decode_sample");
    for sample in &samples {
        let decode = match responses::decoder_for(&sample.module, &sample.action) {
            Ok(decode) => decode,
            Err(error) => {
                eprintln!("skipped: {error}");
                continue;
            }
        };
        group.throughput(Throughput::Bytes(sample.body.len() as u64));
        let name = format!("{}/{}", sample.action, sample.name);
        group.bench_function(name, |b| b.iter(|| decode(black_box(&sample.body))));
    }
    group.finish();
}

fn describe_images_1000(c: &mut Criterion) {
    let body = responses::describe_images_page(1000);
    eprintln!("DescribeImages page of 1,000 images: {} bytes", body.len());
    let mut group = c.benchmark_group("decode_describe_images_1000");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("lenient_generated", |b| {
        b.iter(|| decode_response::<ecs::DescribeImagesResponse>(black_box(&body)))
    });
    group.bench_function("plain_serde", |b| {
        b.iter(|| serde_json::from_slice::<plain::DescribeImagesResponse>(black_box(&body)))
    });
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = support::criterion(Duration::from_secs(2), 30);
    targets = samples, describe_images_1000
}
criterion_main!(benches);
