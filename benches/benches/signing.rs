//! Building, validating, encoding and signing requests, beside the floor: the hashing and MAC
//! that the signature cannot avoid, on the same bytes, with each crypto crate.

use std::hint::black_box;
use std::time::Duration;

use acs_appstream_center as appstream_center;
use acs_benches::floor;
use acs_benches::requests::{self, SigningSetup};
use acs_ecs as ecs;
use acs_runtime::sign::SignatureVersion;
use acs_swas_open as swas_open;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod support;

fn list_custom_images(c: &mut Criterion) {
    let input = requests::ListCustomImagesInput::default();
    let Ok(setup) = SigningSetup::new(&swas_open::SERVICE) else {
        eprintln!("skipped: no endpoint for SWAS-OPEN in {}", requests::REGION);
        return;
    };
    let request = match requests::list_custom_images(&input) {
        Ok(request) => request,
        Err(error) => {
            eprintln!("skipped: ListCustomImages does not build: {error}");
            return;
        }
    };
    let params = requests::params_of(&request);
    let floor_input =
        setup.v3_floor_input(&swas_open::SERVICE, &swas_open::LIST_CUSTOM_IMAGES, &params);
    let v2_string_to_sign = setup
        .v2_string_to_sign(&swas_open::SERVICE, &swas_open::LIST_CUSTOM_IMAGES, &params)
        .into_bytes();
    let v2_key = format!("{}&", requests::ACCESS_KEY_SECRET).into_bytes();
    eprintln!(
        "ListCustomImages: {} query parameters, V3 canonical request {} bytes, V2 string to sign {} bytes",
        params.query_pairs().len(),
        floor_input.canonical_request.len(),
        v2_string_to_sign.len()
    );

    let mut group = c.benchmark_group("list_custom_images");
    group.throughput(Throughput::Elements(1));
    for (name, version) in [
        ("sign_v3", SignatureVersion::V3),
        ("sign_v2", SignatureVersion::V2),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let request = requests::list_custom_images(black_box(&input));
                request.map(|request| {
                    let params = requests::params_of(&request);
                    setup.sign(
                        version,
                        &swas_open::SERVICE,
                        &swas_open::LIST_CUSTOM_IMAGES,
                        &params,
                    )
                })
            })
        });
    }
    // The steps of `sign_v3` one by one, to show where its time goes.
    group.bench_function("step_build_validate", |b| {
        b.iter(|| requests::list_custom_images(black_box(&input)))
    });
    group.bench_function("step_write_params", |b| {
        b.iter(|| requests::params_of(black_box(&request)))
    });
    // The signer alone, on parameters already written: what the request building costs is the
    // difference from `sign_v3`.
    group.bench_function("sign_v3_prewritten", |b| {
        b.iter(|| {
            setup.sign(
                SignatureVersion::V3,
                &swas_open::SERVICE,
                &swas_open::LIST_CUSTOM_IMAGES,
                black_box(&params),
            )
        })
    });
    group.bench_function("floor_v3_sha2", |b| {
        b.iter(|| floor::sha2_floor(black_box(&floor_input)))
    });
    group.bench_function("floor_v2_sha1", |b| {
        b.iter(|| floor::sha1_v2_floor(black_box(&v2_string_to_sign), black_box(&v2_key)))
    });
    group.finish();

    // The same input through each crypto crate, to choose the fastest.
    let mut group = c.benchmark_group("v3_floor_by_crate");
    group.throughput(Throughput::Bytes(
        (floor_input.canonical_request.len() + floor_input.string_to_sign.len()) as u64,
    ));
    group.bench_function("sha2", |b| {
        b.iter(|| floor::sha2_floor(black_box(&floor_input)))
    });
    group.bench_function("ring", |b| {
        b.iter(|| floor::ring_floor(black_box(&floor_input)))
    });
    #[cfg(acs_bench_aws_lc)]
    group.bench_function("aws_lc_rs", |b| {
        b.iter(|| floor::aws_lc_floor(black_box(&floor_input)))
    });
    group.finish();
}

fn describe_images(c: &mut Criterion) {
    let input = requests::DescribeImagesInput::default();
    let Ok(setup) = SigningSetup::new(&ecs::SERVICE) else {
        eprintln!("skipped: no endpoint for ECS in {}", requests::REGION);
        return;
    };
    let mut group = c.benchmark_group("describe_images");
    group.throughput(Throughput::Elements(1));
    group.bench_function("sign_v3", |b| {
        b.iter(|| {
            requests::describe_images(black_box(&input)).map(|request| {
                let params = requests::params_of(&request);
                setup.sign(
                    SignatureVersion::V3,
                    &ecs::SERVICE,
                    &ecs::DESCRIBE_IMAGES,
                    &params,
                )
            })
        })
    });
    group.finish();
}

fn list_image(c: &mut Criterion) {
    let input = requests::ListImageInput::default();
    let Ok(setup) = SigningSetup::new(&appstream_center::SERVICE) else {
        eprintln!(
            "skipped: no endpoint for appstream-center in {}",
            requests::REGION
        );
        return;
    };
    let mut group = c.benchmark_group("list_image");
    group.throughput(Throughput::Elements(1));
    group.bench_function("sign_v3", |b| {
        b.iter(|| {
            requests::list_image(black_box(&input)).map(|request| {
                let params = requests::params_of(&request);
                setup.sign(
                    SignatureVersion::V3,
                    &appstream_center::SERVICE,
                    &appstream_center::LIST_IMAGE,
                    &params,
                )
            })
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = support::criterion(Duration::from_secs(2), 40);
    targets = list_custom_images, describe_images, list_image
}
criterion_main!(benches);
