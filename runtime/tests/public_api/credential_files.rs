//! The files credentials come from (an OIDC token file, the CLI's profile file) are read off the
//! async threads and within a time bound: one that never delivers (here a FIFO nobody writes
//! to; on a real machine also a network file system that stopped answering) ends the call in an
//! error naming the file, and the other tasks of the runtime run meanwhile, even on a
//! current-thread runtime.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use acs_runtime::credentials::{
    CredentialServices, CredentialsError, Environment, OidcProvider, ProfileProvider,
    ProvideCredentials, default_region,
};

/// A FIFO in a directory of its own, which nobody writes to.
struct Fifo {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Fifo {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("never-written");
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("mkfifo runs");
        assert!(made.success(), "mkfifo {}", path.display());
        Fifo { _dir: dir, path }
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

/// How long the test waits, in real time, for a call that has taken the runtime's only thread:
/// only code that blocks its thread on the file ever gets near it, since everything else here
/// runs on a paused clock and ends as soon as the machine gets to it.
const HELD_THREAD_WATCHDOG: Duration = Duration::from_secs(120);

/// Runs `call` on a current-thread runtime whose clock is paused, and beside it another task,
/// which must complete while `call` is still waiting for its file; then moves the clock on until
/// `call` ends, and returns what it returned.
fn beside_another_task<T: Send + 'static>(call: impl Future<Output = T> + Send + 'static) -> T {
    let (sender, outcome) = std::sync::mpsc::channel();
    let runner = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        let returned = runtime.block_on(async move {
            let call = tokio::spawn(call);
            // The call starts, and asks for its file.
            tokio::task::yield_now().await;
            let other = tokio::spawn(async { "the other task ran" });
            assert_eq!(other.await.unwrap(), "the other task ran");
            assert!(
                !call.is_finished(),
                "the call is still waiting for its file while the other task runs"
            );
            // Time moves only here: the call ends once its time bound has passed.
            for _ in 0..600 {
                if call.is_finished() {
                    break;
                }
                tokio::time::advance(Duration::from_secs(1)).await;
            }
            assert!(call.is_finished(), "the call did not end within 10 minutes");
            call.await.unwrap()
        });
        // The thread stuck in the FIFO's `open` stays stuck; it is not waited for.
        runtime.shutdown_background();
        let _ = sender.send(returned);
    });
    match outcome.recv_timeout(HELD_THREAD_WATCHDOG) {
        Ok(returned) => returned,
        // The runtime's thread failed an assertion: its panic is the test's.
        Err(RecvTimeoutError::Disconnected) => match runner.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the runtime's thread ended without an outcome"),
        },
        Err(RecvTimeoutError::Timeout) => panic!(
            "the call held the runtime's only thread for {} s: it blocks on its file",
            HELD_THREAD_WATCHDOG.as_secs()
        ),
    }
}

/// Every provider here has the metadata service and STS out of reach, should it get that far.
fn services() -> CredentialServices {
    CredentialServices::new()
        .sts_endpoint("http://127.0.0.1:9")
        .metadata_endpoint("http://127.0.0.1:9")
}

fn assert_stalled_on(error: &CredentialsError, fifo: &Fifo) {
    let text = error.to_string();
    assert!(text.contains("was not read within 5 s"), "{text}");
    assert!(text.contains(&fifo.path().display().to_string()), "{text}");
}

#[test]
fn an_oidc_token_file_that_never_delivers_ends_the_call_in_an_error() {
    let fifo = Fifo::new();
    let provider = OidcProvider::builder(
        "acs:ram::1234567890:role/app",
        "acs:ram::1234567890:oidc-provider/ack",
        fifo.path(),
    )
    .services(services())
    .build()
    .unwrap();
    let error =
        beside_another_task(async move { provider.provide_credentials().await }).unwrap_err();
    assert_stalled_on(&error, &fifo);
    assert!(error.to_string().contains("OIDC"), "{error}");
}

#[test]
fn a_profile_file_that_never_delivers_ends_the_call_in_an_error() {
    let fifo = Fifo::new();
    let provider = Arc::new(
        ProfileProvider::new(Environment::from_vars([(
            "ALIBABA_CLOUD_CONFIG_FILE",
            fifo.path().display().to_string(),
        )]))
        .with_services(services()),
    );
    let error =
        beside_another_task(async move { provider.provide_credentials().await }).unwrap_err();
    assert_stalled_on(&error, &fifo);
    assert!(
        matches!(error, CredentialsError::ProfileFile { .. }),
        "{error:?}"
    );
}

#[test]
fn a_profile_file_that_never_delivers_ends_the_region_lookup_in_an_error() {
    let fifo = Fifo::new();
    let env = Environment::from_vars([(
        "ALIBABA_CLOUD_CONFIG_FILE",
        fifo.path().display().to_string(),
    )]);
    let error = beside_another_task(async move { default_region(&env).await }).unwrap_err();
    assert_stalled_on(&error, &fifo);
}
