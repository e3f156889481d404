//! What the criterion benchmarks share.

use std::time::Duration;

use criterion::Criterion;

/// Criterion measuring each benchmark for `measurement` and `samples` samples, after the half
/// second of warm-up every benchmark here gets: each file picks the time its slowest case needs.
pub fn criterion(measurement: Duration, samples: usize) -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(measurement)
        .sample_size(samples)
}
