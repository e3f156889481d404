//! Panics of test cases caught and returned as messages, not printed.
//!
//! A fuzzing test runs thousands of cases, any of which may panic; the default hook would print
//! every one. [`catch_quietly`] records the message and place of a panic on the thread running
//! the case and hands it back, while a panic anywhere else (a failing assertion of the test
//! itself, another test of the same binary) prints as usual.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

std::thread_local! {
    /// Whether this thread is running a case (its panics are recorded, not printed).
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// The message of the last panic caught on this thread while a case ran.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs the recording hook once per process, in front of whatever hook was there.
fn install_recorder() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
                return;
            }
            let location = info
                .location()
                .map(|place| format!(" at {}:{}", place.file(), place.line()))
                .unwrap_or_default();
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-text payload)".to_owned());
            CAUGHT.with(|caught| *caught.borrow_mut() = Some(format!("{payload}{location}")));
        }));
    });
}

/// Runs `case`, turning a panic into `Err` with its message and place (`message at file:line`).
pub fn catch_quietly<T>(case: impl FnOnce() -> T) -> Result<T, String> {
    install_recorder();
    QUIET.with(|quiet| quiet.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(case));
    QUIET.with(|quiet| quiet.set(false));
    result.map_err(|_| {
        CAUGHT
            .with(|caught| caught.borrow_mut().take())
            .unwrap_or_else(|| "(no message)".to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_comes_back_with_its_message_and_place() {
        let caught = catch_quietly(|| -> () { panic!("case 7 broke") });
        let message = caught.expect_err("the case panicked");
        assert!(message.starts_with("case 7 broke at "), "{message}");
        assert!(message.contains("panics.rs:"), "{message}");
        assert_eq!(catch_quietly(|| 42), Ok(42));
    }
}
