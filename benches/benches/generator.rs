//! The generator (load, validate, emit, format) on the project's specs, and on synthetic specs of
//! 100, 200 and 500 operations to show how its time grows.

use std::hint::black_box;
use std::time::Duration;

use acs_benches::specs;
use acs_benches::synthetic;
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

mod support;

fn workspace_specs(c: &mut Criterion) {
    let sources = match specs::workspace_specs() {
        Ok(sources) => sources,
        Err(error) => {
            eprintln!("skipped: {error}");
            return;
        }
    };
    let operations = match acs_codegen::validate_all(&sources) {
        Ok(products) => products.iter().map(|p| p.operations.len()).sum::<usize>(),
        Err(errors) => {
            eprintln!("skipped: the specs do not validate:\n{errors}");
            return;
        }
    };
    eprintln!("{} specs, {operations} operations", sources.len());
    let mut group = c.benchmark_group("generate");
    group.throughput(Throughput::Elements(operations as u64));
    group.bench_function("all_specs", |b| {
        b.iter(|| acs_codegen::generate(black_box(&sources)))
    });
    group.finish();
}

fn synthetic_specs(c: &mut Criterion) {
    let mut group = c.benchmark_group("generate_synthetic");
    // One generation of 500 operations takes seconds: flat sampling runs each sample once
    // instead of criterion's growing 1, 2, ... 10 iterations.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(4));
    for operations in [100_usize, 200, 500] {
        let source = [synthetic::synthetic_spec(operations)];
        if let Err(error) = acs_codegen::generate(&source) {
            eprintln!("skipped {operations} operations: {error}");
            continue;
        }
        group.throughput(Throughput::Elements(operations as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(operations),
            &source,
            |b, source| b.iter(|| acs_codegen::generate(black_box(source))),
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = support::criterion(Duration::from_secs(3), 20);
    targets = workspace_specs, synthetic_specs
}
criterion_main!(benches);
