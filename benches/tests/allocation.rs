//! The counting allocator counts: a known allocation shows up with its size, and what is freed
//! leaves nothing retained.

use acs_benches::allocation::{CountingAllocator, measure};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

#[test]
fn counts_allocations_bytes_and_peak() {
    let (kept, stats) = measure(|| {
        let scratch = vec![7_u8; 10_000];
        let mut kept: Vec<u8> = Vec::with_capacity(1_000);
        kept.extend_from_slice(&scratch[..1_000]);
        drop(scratch);
        kept
    });
    assert_eq!(kept.len(), 1_000);
    assert!(stats.allocations >= 2, "{stats:?}");
    assert!(stats.bytes >= 11_000, "{stats:?}");
    assert!(stats.peak_bytes >= 11_000, "{stats:?}");
    assert!(
        stats.retained_bytes >= 1_000 && stats.retained_bytes < 11_000,
        "{stats:?}"
    );

    let ((), nothing) = measure(|| ());
    assert_eq!(nothing.allocations, 0, "{nothing:?}");
}
