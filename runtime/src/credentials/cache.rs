//! Temporary credentials held between calls: refreshed ahead of their expiry, one refresh at a
//! time however many calls wait, still-valid credentials served while a failed refresh is
//! retried with backoff, and expired ones never handed out.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use tokio::time::Instant;

use crate::client::{Clock, SystemClock};

use super::{Credentials, CredentialsError, CredentialsFuture, ProvideCredentials};

/// How long before expiry a refresh starts unless configured otherwise: 15 minutes, the official
/// libraries' margin. Credentials that live less than twice as long are refreshed half-way
/// through their life instead, so that short sessions are not refreshed on every call.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(15 * 60);

/// How close to expiry credentials may still be handed out unless configured otherwise: a
/// request signed with them must reach the service before they expire.
pub const DEFAULT_EXPIRY_MARGIN: Duration = Duration::from_secs(60);

/// The first wait after a failed refresh; each further failure doubles it, up to
/// [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Holds the credentials of a provider that hands out temporary ones (STS, the metadata
/// service) and refreshes them before they expire.
///
/// - Credentials are refreshed from `expiry - refresh margin` on (half-way through their life
///   when that comes later); until then every call gets the cached ones without waiting.
/// - Only one refresh runs at a time. While it runs, calls whose credentials are still valid get
///   them at once; calls with nothing valid wait for that one refresh instead of starting their
///   own.
/// - A failed refresh keeps serving still-valid credentials and is tried again after a backoff
///   (1 s, doubling, at most 60 s); once nothing valid is left, calls get the refresh's error.
/// - Credentials closer to expiry than the expiry margin are never handed out.
///
/// Expiry is read against the clock (wall time, which may be set or stepped); the backoff is
/// measured in elapsed time (tokio's monotonic clock), so that a clock stepped back does not
/// stretch it, nor one stepped forward cut it short.
///
/// Credentials without an expiry are kept for good.
pub struct CredentialsCache {
    source: Arc<dyn ProvideCredentials>,
    clock: Arc<dyn Clock>,
    refresh_margin: Duration,
    expiry_margin: Duration,
    state: Mutex<State>,
    refresh: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    current: Option<Held>,
    /// Counts finished refreshes, so that a call which waited for one knows it happened.
    refreshes: u64,
    failures: u32,
    retry_at: Option<Instant>,
    last_error: Option<CredentialsError>,
}

#[derive(Clone)]
struct Held {
    credentials: Credentials,
    refresh_at: Option<SystemTime>,
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("source", &self.source)
            .field("refresh_margin", &self.refresh_margin)
            .field("expiry_margin", &self.expiry_margin)
            .finish_non_exhaustive()
    }
}

impl CredentialsCache {
    /// Caches what `source` provides, with the default margins and the system clock.
    pub fn new(source: impl ProvideCredentials + 'static) -> Self {
        Self::from_shared(Arc::new(source))
    }

    /// Caches what a shared `source` provides.
    pub fn from_shared(source: Arc<dyn ProvideCredentials>) -> Self {
        CredentialsCache {
            source,
            clock: Arc::new(SystemClock),
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            expiry_margin: DEFAULT_EXPIRY_MARGIN,
            state: Mutex::new(State::default()),
            refresh: tokio::sync::Mutex::new(()),
        }
    }

    /// Reads the time from this clock (a test's, to let credentials expire without waiting).
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Starts refreshing this long before expiry (default [`DEFAULT_REFRESH_MARGIN`]).
    #[must_use]
    pub fn with_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Stops handing credentials out this long before expiry (default
    /// [`DEFAULT_EXPIRY_MARGIN`]).
    #[must_use]
    pub fn with_expiry_margin(mut self, margin: Duration) -> Self {
        self.expiry_margin = margin;
        self
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether `held` may still sign a request at `now`.
    fn usable(&self, held: &Held, now: SystemTime) -> bool {
        match held.credentials.expiration() {
            None => true,
            // A margin past the end of time leaves nothing usable.
            Some(expiry) => now
                .checked_add(self.expiry_margin)
                .is_some_and(|limit| limit < expiry),
        }
    }

    fn fresh(&self, held: &Held, now: SystemTime) -> bool {
        held.refresh_at.is_none_or(|at| now < at) && self.usable(held, now)
    }

    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let now = self.clock.now();
        let (current, refreshes, backing_off) = {
            let state = self.state();
            let backing_off = state.retry_at.is_some_and(|at| Instant::now() < at);
            (state.current.clone(), state.refreshes, backing_off)
        };
        if let Some(held) = &current {
            if self.fresh(held, now) {
                return Ok(held.credentials.clone());
            }
            if self.usable(held, now) {
                // Due for a refresh but still valid: the first call to see it refreshes; every
                // other call, and every call while a failed refresh backs off, gets the valid
                // credentials at once rather than waiting.
                if backing_off {
                    return Ok(held.credentials.clone());
                }
                let Ok(guard) = self.refresh.try_lock() else {
                    return Ok(held.credentials.clone());
                };
                let outcome = self.refresh_now().await;
                drop(guard);
                return outcome;
            }
        }
        // Nothing valid: wait for the refresh in flight, or run one.
        let guard = self.refresh.lock().await;
        let now = self.clock.now();
        {
            let state = self.state();
            if let Some(held) = &state.current {
                if self.usable(held, now) && (state.refreshes != refreshes || self.fresh(held, now))
                {
                    return Ok(held.credentials.clone());
                }
            }
            if state.refreshes != refreshes || state.retry_at.is_some_and(|at| Instant::now() < at)
            {
                // The refresh this call waited for (or one just before) failed: its error is
                // this call's, rather than one more request to a failing service.
                if let Some(error) = &state.last_error {
                    return Err(error.clone());
                }
            }
        }
        let outcome = self.refresh_now().await;
        drop(guard);
        outcome
    }

    /// Asks the source once (the caller holds the refresh lock) and records the outcome.
    async fn refresh_now(&self) -> Result<Credentials, CredentialsError> {
        let fetched = self.source.provide_credentials().await;
        let now = self.clock.now();
        let fetched = fetched.and_then(|credentials| {
            let held = self.hold(credentials, now);
            if self.usable(&held, now) {
                Ok(held)
            } else {
                Err(CredentialsError::Provider(format!(
                    "{:?} handed out credentials that expire within {} s: check the clock of this machine",
                    self.source,
                    self.expiry_margin.as_secs()
                )))
            }
        });
        let mut state = self.state();
        state.refreshes = state.refreshes.wrapping_add(1);
        match fetched {
            Ok(held) => {
                state.current = Some(held.clone());
                state.failures = 0;
                state.retry_at = None;
                state.last_error = None;
                Ok(held.credentials)
            }
            Err(error) => {
                state.failures = state.failures.saturating_add(1);
                let wait = backoff(state.failures);
                state.retry_at = Some(Instant::now() + wait);
                let error = with_retry_in(error, wait);
                state.last_error = Some(error.clone());
                match &state.current {
                    Some(held) if self.usable(held, now) => {
                        tracing::warn!(
                            error = %error,
                            "refreshing credentials failed; the current ones are still valid and are used meanwhile"
                        );
                        Ok(held.credentials.clone())
                    }
                    _ => Err(error),
                }
            }
        }
    }

    /// The credentials with the time their refresh is due.
    fn hold(&self, credentials: Credentials, now: SystemTime) -> Held {
        let refresh_at = credentials.expiration().map(|expiry| {
            let life = expiry.duration_since(now).unwrap_or_default();
            let margin = self.refresh_margin.min(life / 2);
            expiry.checked_sub(margin).unwrap_or(expiry)
        });
        Held {
            credentials,
            refresh_at,
        }
    }
}

/// 1 s after the first failure, doubling after each further one, at most 60 s.
fn backoff(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(6);
    FIRST_BACKOFF
        .saturating_mul(1 << doublings)
        .min(MAX_BACKOFF)
}

fn with_retry_in(error: CredentialsError, wait: Duration) -> CredentialsError {
    match error {
        CredentialsError::Service(mut failure) => {
            failure.retry_in = Some(wait);
            CredentialsError::Service(failure)
        }
        other => other,
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(self.credentials())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

    use super::*;

    /// A wall clock a test sets by hand, in whole seconds from a fixed date.
    #[derive(Clone, Default)]
    struct HandClock(Arc<AtomicI64>);

    impl HandClock {
        fn advance(&self, by: Duration) {
            self.0.fetch_add(seconds(by), Ordering::SeqCst);
        }

        fn step_back(&self, by: Duration) {
            self.0.fetch_sub(seconds(by), Ordering::SeqCst);
        }
    }

    fn seconds(duration: Duration) -> i64 {
        i64::try_from(duration.as_secs()).unwrap()
    }

    impl Clock for HandClock {
        fn now(&self) -> SystemTime {
            let offset = self.0.load(Ordering::SeqCst);
            let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
            let by = Duration::from_secs(offset.unsigned_abs());
            if offset < 0 { start - by } else { start + by }
        }
    }

    /// The wall clock and the elapsed time both move on by `by`, as they do when time passes.
    async fn time_passes(clock: &HandClock, by: Duration) {
        clock.advance(by);
        tokio::time::advance(by).await;
    }

    /// Hands out numbered credentials valid for an hour, or fails while told to.
    #[derive(Debug)]
    struct Numbered {
        clock_secs: Arc<AtomicI64>,
        calls: AtomicUsize,
        failing: std::sync::atomic::AtomicBool,
    }

    impl ProvideCredentials for Numbered {
        fn provide_credentials(&self) -> CredentialsFuture<'_> {
            Box::pin(async move {
                tokio::task::yield_now().await;
                let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
                if self.failing.load(Ordering::SeqCst) {
                    return Err(CredentialsError::Provider(format!("failure {n}")));
                }
                let now = HandClock(Arc::clone(&self.clock_secs)).now();
                Ok(Credentials::new(format!("STS.{n}"), "secret")
                    .with_security_token("token")
                    .with_expiration(now + Duration::from_secs(3600)))
            })
        }
    }

    fn cache() -> (Arc<CredentialsCache>, Arc<Numbered>, HandClock) {
        let clock = HandClock::default();
        let source = Arc::new(Numbered {
            clock_secs: Arc::clone(&clock.0),
            calls: AtomicUsize::new(0),
            failing: std::sync::atomic::AtomicBool::new(false),
        });
        let cache = CredentialsCache::from_shared(source.clone() as Arc<dyn ProvideCredentials>)
            .with_clock(Arc::new(clock.clone()));
        (Arc::new(cache), source, clock)
    }

    #[tokio::test]
    async fn serves_cached_credentials_until_the_refresh_margin() {
        let (cache, source, clock) = cache();
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.1"
        );
        clock.advance(Duration::from_secs(30 * 60));
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.1"
        );
        assert_eq!(source.calls.load(Ordering::SeqCst), 1);
        // 14 minutes before expiry: inside the 15-minute margin.
        clock.advance(Duration::from_secs(16 * 60));
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.2"
        );
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_serves_valid_credentials_and_backs_off() {
        let (cache, source, clock) = cache();
        cache.provide_credentials().await.unwrap();
        source.failing.store(true, Ordering::SeqCst);
        time_passes(&clock, Duration::from_secs(50 * 60)).await;
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.1"
        );
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
        // Within the backoff no further request goes out.
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.1"
        );
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
        time_passes(&clock, Duration::from_secs(2)).await;
        cache.provide_credentials().await.unwrap();
        assert_eq!(source.calls.load(Ordering::SeqCst), 3);
        // Expired: the error comes through, never the expired credentials.
        time_passes(&clock, Duration::from_secs(10 * 60)).await;
        let err = cache.provide_credentials().await.unwrap_err();
        assert!(err.to_string().contains("failure"), "{err}");
        source.failing.store(false, Ordering::SeqCst);
        time_passes(&clock, Duration::from_secs(120)).await;
        assert!(
            cache
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id()
                .starts_with("STS.")
        );
    }

    /// A cache whose first fetch failed, its source mended since: the 1 s backoff has begun.
    async fn backing_off_after_a_failure() -> (Arc<CredentialsCache>, Arc<Numbered>, HandClock) {
        let (cache, source, clock) = cache();
        source.failing.store(true, Ordering::SeqCst);
        cache.provide_credentials().await.unwrap_err();
        assert_eq!(source.calls.load(Ordering::SeqCst), 1);
        source.failing.store(false, Ordering::SeqCst);
        (cache, source, clock)
    }

    #[tokio::test(start_paused = true)]
    async fn a_wall_clock_stepped_back_does_not_stretch_the_backoff() {
        let (cache, source, clock) = backing_off_after_a_failure().await;
        clock.step_back(Duration::from_secs(3600));
        tokio::time::advance(Duration::from_secs(2)).await;
        // The backoff has passed: the source is asked again, rather than the error being served
        // for an hour, until the wall clock catches up.
        assert_eq!(
            cache.provide_credentials().await.unwrap().access_key_id(),
            "STS.2"
        );
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_wall_clock_stepped_forward_does_not_cut_the_backoff_short() {
        let (cache, source, clock) = backing_off_after_a_failure().await;
        clock.advance(Duration::from_secs(3600));
        let err = cache.provide_credentials().await.unwrap_err();
        assert!(err.to_string().contains("failure 1"), "{err}");
        assert_eq!(
            source.calls.load(Ordering::SeqCst),
            1,
            "asked within the backoff"
        );
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_refresh() {
        let (cache, source, clock) = cache();
        let mut calls = Vec::new();
        for _ in 0..200 {
            let cache = Arc::clone(&cache);
            calls.push(tokio::spawn(
                async move { cache.provide_credentials().await },
            ));
        }
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap().access_key_id(), "STS.1");
        }
        assert_eq!(source.calls.load(Ordering::SeqCst), 1);
        clock.advance(Duration::from_secs(3600));
        let mut calls = Vec::new();
        for _ in 0..200 {
            let cache = Arc::clone(&cache);
            calls.push(tokio::spawn(
                async move { cache.provide_credentials().await },
            ));
        }
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap().access_key_id(), "STS.2");
        }
        assert_eq!(source.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn short_sessions_refresh_half_way() {
        let cache = CredentialsCache::new(Credentials::new("a", "b"));
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let held = cache.hold(
            Credentials::new("a", "b").with_expiration(now + Duration::from_secs(900)),
            now,
        );
        assert_eq!(held.refresh_at, Some(now + Duration::from_secs(450)));
    }

    #[test]
    fn backoff_doubles_up_to_a_minute() {
        assert_eq!(backoff(1), Duration::from_secs(1));
        assert_eq!(backoff(2), Duration::from_secs(2));
        assert_eq!(backoff(30), Duration::from_secs(60));
    }
}
