//! A counting global allocator: how many heap allocations an operation makes, how many bytes it
//! asks for, and how far its live heap rises above where it started.
//!
//! A binary opts in with `#[global_allocator] static A: CountingAllocator = CountingAllocator;`
//! and wraps the operation in [`measure`]. Counters are process-wide, so measure on one thread
//! with nothing else running.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static REALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting as it goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct CountingAllocator;

fn grow_live(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrink_live(by: usize) {
    LIVE.fetch_sub(by, Ordering::Relaxed);
}

// SAFETY: every method forwards to `System` with the caller's own arguments, so `System`'s
// guarantees are the caller's; the counters are atomics and never touch the heap.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds `GlobalAlloc::alloc`'s contract.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(layout.size(), Ordering::Relaxed);
            grow_live(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(layout.size(), Ordering::Relaxed);
            grow_live(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator (hence from `System`) with this layout.
        unsafe { System.dealloc(ptr, layout) };
        shrink_live(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from `System` with `layout`; the caller upholds the rest.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            REALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            if new_size > layout.size() {
                BYTES.fetch_add(new_size - layout.size(), Ordering::Relaxed);
                grow_live(new_size - layout.size());
            } else {
                shrink_live(layout.size() - new_size);
            }
        }
        new
    }
}

/// What one operation did to the heap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AllocationStats {
    /// Fresh allocations (`alloc` and `alloc_zeroed`).
    pub allocations: usize,
    /// Reallocations (a `Vec` or `String` growing or shrinking).
    pub reallocations: usize,
    /// Bytes asked for: fresh allocations plus the growth of reallocations.
    pub bytes: usize,
    /// The highest the live heap rose above its level at the start.
    pub peak_bytes: usize,
    /// Live bytes left at the end that were not there at the start (what the result holds).
    pub retained_bytes: usize,
}

/// Runs `operation` and reports its heap use; the result is dropped only after the counters are
/// read, so `retained_bytes` is what the result keeps.
///
/// Counts only mean something when the binary's global allocator is [`CountingAllocator`]; with
/// any other every figure is 0.
pub fn measure<R>(operation: impl FnOnce() -> R) -> (R, AllocationStats) {
    let allocations = ALLOCATIONS.load(Ordering::Relaxed);
    let reallocations = REALLOCATIONS.load(Ordering::Relaxed);
    let bytes = BYTES.load(Ordering::Relaxed);
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    let result = operation();
    let stats = AllocationStats {
        allocations: ALLOCATIONS.load(Ordering::Relaxed) - allocations,
        reallocations: REALLOCATIONS.load(Ordering::Relaxed) - reallocations,
        bytes: BYTES.load(Ordering::Relaxed) - bytes,
        peak_bytes: PEAK.load(Ordering::Relaxed).saturating_sub(live),
        retained_bytes: LIVE.load(Ordering::Relaxed).saturating_sub(live),
    };
    (result, stats)
}
