//! A global allocator that measures, per thread, the peak of bytes live while asked to.
//!
//! A test binary opts in with
//! `#[global_allocator] static ALLOCATOR: ThreadPeakAllocator = ThreadPeakAllocator;` and wraps
//! what it measures in [`peak_allocation`]. Counting is per thread and only inside that call, so
//! the other tests of the binary, running on other threads, neither disturb the measure nor pay
//! for it beyond one thread-local read per allocation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

std::thread_local! {
    static TRACKING: Cell<bool> = const { Cell::new(false) };
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

/// The system allocator, counting the bytes a thread has live while [`peak_allocation`] runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct ThreadPeakAllocator;

fn account(delta: isize) {
    // `try_with`: the allocator also runs while a thread's locals are being torn down.
    let tracking = TRACKING.try_with(Cell::get).unwrap_or(false);
    if !tracking {
        return;
    }
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now);
            }
        });
    });
}

// SAFETY: every call is passed to the system allocator unchanged; the counters only observe.
unsafe impl GlobalAlloc for ThreadPeakAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        account(layout.size() as isize);
        // SAFETY: the caller upholds `alloc`'s contract, which `System` shares.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        account(-(layout.size() as isize));
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        account(layout.size() as isize);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        account(new_size as isize - layout.size() as isize);
        // SAFETY: `ptr` was allocated by `System` with `layout`; the caller upholds the rest.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Runs `f` and returns its result with the peak of bytes it had allocated at once (on this
/// thread, above what was live when it began). Without [`ThreadPeakAllocator`] as the global
/// allocator the peak is always 0.
pub fn peak_allocation<T>(f: impl FnOnce() -> T) -> (T, usize) {
    LIVE.with(|live| live.set(0));
    PEAK.with(|peak| peak.set(0));
    TRACKING.with(|tracking| tracking.set(true));
    let out = f();
    TRACKING.with(|tracking| tracking.set(false));
    (out, PEAK.with(Cell::get).max(0) as usize)
}
