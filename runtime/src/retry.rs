//! When and how long to wait before sending a failed call again.
//!
//! Exponential backoff with full jitter: before retry `n` the client sleeps a random time in
//! `[0, min(max_backoff, initial_backoff * 2^(n-1))]`, so that many clients throttled at once do
//! not come back at once. A wait the service asks for (`x-acs-retry-after`) replaces the
//! computed one.
//!
//! # What is retried
//!
//! Only a failure the same request may get past is retried: throttling (a `Throttling*` code,
//! HTTP 429, or a wait asked for), `ServiceUnavailable`, any other 5xx, and transport failures
//! (but not a redirect, a body over the limit or a request the transport cannot send). A client
//! error (any other 4xx) never is, since the same request would fail the same way.
//!
//! Which of those a call is retried after depends on its operation:
//!
//! - An operation [safe to repeat](crate::Operation::is_safe_to_repeat) (read-only, or carrying
//!   an idempotency token, the same on every attempt) is retried after any of them.
//! - Any other (ECS `RebootInstance`, a write with no `ClientToken`, say) is retried only when
//!   the failure shows the service did not do the work: the connection could not be made, or
//!   the service turned the request away for its rate
//!   ([`ServiceError::is_refused_unprocessed`](crate::ServiceError::is_refused_unprocessed)).
//!   After an `InternalError`, a `ServiceUnavailable`, a 5xx page from a proxy, a timeout or a
//!   connection dropped once the request was out, the caller gets the failure: the service may
//!   have done the work, and a second request could do it twice. `ServiceUnavailable` is in
//!   that list because Alibaba documents it as "the request has failed due to a temporary
//!   failure of the server", which does not say nothing was done; a 503 that asks for a wait
//!   (`x-acs-retry-after`, the gateway's flow control) is throttling, and is retried.

use std::time::Duration;

/// How the client retries a call. Every attempt is signed anew (fresh date and nonce), and an
/// operation's idempotency token stays the same across attempts.
///
/// The policy says how often and how long; what is retried is fixed (see [the module
/// docs](self)): throttling, 5xx and transport failures, and for an operation that is neither
/// read-only nor carries an idempotency token, only failures that show the service did not do
/// the work (a failed connection, throttling), never an `InternalError`, a
/// `ServiceUnavailable` or a timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    time_budget: Option<Duration>,
    jitter_seed: Option<u64>,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff from 200 ms up to 20 s, at most 60 s in all.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            time_budget: Some(Duration::from_secs(60)),
            jitter_seed: None,
        }
    }
}

impl RetryPolicy {
    /// A policy that sends every call once and never retries.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How many requests a call may send in all, the first included (at least 1).
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The upper bound of the first backoff; each retry doubles it.
    #[must_use]
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest backoff, whatever the number of retries; it also caps a service-requested
    /// wait when there is no time budget.
    #[must_use]
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The time a call may take from its start to the start of its last attempt, backoffs
    /// included; `None` for no limit. A retry whose wait would end past the budget is not sent:
    /// the call fails with [`crate::SdkError::TimeBudgetSpent`] at once instead of sleeping in
    /// vain. Each attempt itself is bounded by the attempt timeout, and the whole call, if
    /// wanted, by the operation timeout ([`crate::TimeoutConfig`]).
    #[must_use]
    pub fn with_time_budget(mut self, budget: Option<Duration>) -> Self {
        self.time_budget = budget;
        self
    }

    /// Makes the jitter repeatable (for tests): every call starts its random sequence from
    /// `seed`.
    #[must_use]
    pub fn with_jitter_seed(mut self, seed: u64) -> Self {
        self.jitter_seed = Some(seed);
        self
    }

    /// How many requests a call may send in all.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The upper bound of the first backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The time budget of a call, if any.
    pub fn time_budget(&self) -> Option<Duration> {
        self.time_budget
    }

    /// The upper bound of the jittered wait before retry `retry` (1 for the first retry).
    pub fn backoff_ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.initial_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff)
    }

    /// Starts the bookkeeping of one call.
    pub(crate) fn start(&self) -> RetryState {
        RetryState {
            policy: self.clone(),
            rng: match self.jitter_seed {
                Some(seed) => fastrand::Rng::with_seed(seed),
                None => fastrand::Rng::new(),
            },
            started: tokio::time::Instant::now(),
            attempts: 0,
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryDecision {
    /// Sleep this long, then send again.
    RetryAfter(Duration),
    /// The failure is not one a retry can mend.
    NotRetryable,
    /// Every attempt the policy allows was used.
    AttemptsExhausted,
    /// The next attempt could not start within the time budget.
    BudgetSpent,
}

/// The retry bookkeeping of one call: attempts so far, start time and jitter source.
#[derive(Debug)]
pub(crate) struct RetryState {
    policy: RetryPolicy,
    rng: fastrand::Rng,
    started: tokio::time::Instant,
    attempts: u32,
}

impl RetryState {
    /// Counts an attempt about to be sent; returns its number (1 for the first).
    pub(crate) fn begin_attempt(&mut self) -> u32 {
        self.attempts = self.attempts.saturating_add(1);
        self.attempts
    }

    /// Attempts sent so far.
    pub(crate) fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Time since the call began.
    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Decides after a failed attempt: `retryable` says whether the failure is one a retry can
    /// mend, `retry_after` is the wait the service asked for.
    pub(crate) fn decide(
        &mut self,
        retryable: bool,
        retry_after: Option<Duration>,
    ) -> RetryDecision {
        if !retryable {
            return RetryDecision::NotRetryable;
        }
        if self.attempts >= self.policy.max_attempts {
            return RetryDecision::AttemptsExhausted;
        }
        let wait = match retry_after {
            Some(asked) if self.policy.time_budget.is_some() => asked,
            Some(asked) => asked.min(self.policy.max_backoff),
            None => self.jittered(self.policy.backoff_ceiling(self.attempts)),
        };
        match self.policy.time_budget {
            Some(budget) if self.elapsed().saturating_add(wait) > budget => {
                RetryDecision::BudgetSpent
            }
            _ => RetryDecision::RetryAfter(wait),
        }
    }

    /// Full jitter: uniform in `[0, ceiling]`, to the microsecond.
    fn jittered(&mut self, ceiling: Duration) -> Duration {
        let micros = u64::try_from(ceiling.as_micros()).unwrap_or(u64::MAX);
        Duration::from_micros(self.rng.u64(0..=micros))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceiling_doubles_up_to_the_maximum() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(500));
        assert_eq!(policy.backoff_ceiling(1), Duration::from_millis(100));
        assert_eq!(policy.backoff_ceiling(2), Duration::from_millis(200));
        assert_eq!(policy.backoff_ceiling(3), Duration::from_millis(400));
        assert_eq!(policy.backoff_ceiling(4), Duration::from_millis(500));
        assert_eq!(policy.backoff_ceiling(200), Duration::from_millis(500));
    }

    #[tokio::test(start_paused = true)]
    async fn jitter_stays_under_the_ceiling_and_repeats_with_a_seed() {
        let policy = RetryPolicy::default()
            .with_max_attempts(10)
            .with_time_budget(None)
            .with_jitter_seed(7);
        let waits = |policy: &RetryPolicy| {
            let mut state = policy.start();
            (1..10)
                .map(|_| {
                    let attempt = state.begin_attempt();
                    match state.decide(true, None) {
                        RetryDecision::RetryAfter(wait) => {
                            assert!(wait <= policy.backoff_ceiling(attempt), "{wait:?}");
                            wait
                        }
                        other => panic!("attempt {attempt}: {other:?}"),
                    }
                })
                .collect::<Vec<_>>()
        };
        let first = waits(&policy);
        assert_eq!(first, waits(&policy));
        assert!(first.iter().any(|w| !w.is_zero()));
        let other_seed = waits(&policy.clone().with_jitter_seed(8));
        assert_ne!(first, other_seed);
    }

    #[tokio::test(start_paused = true)]
    async fn stops_on_client_errors_and_after_max_attempts() {
        let mut state = RetryPolicy::default().with_max_attempts(2).start();
        state.begin_attempt();
        assert_eq!(state.decide(false, None), RetryDecision::NotRetryable);
        assert!(matches!(
            state.decide(true, None),
            RetryDecision::RetryAfter(_)
        ));
        state.begin_attempt();
        assert_eq!(state.decide(true, None), RetryDecision::AttemptsExhausted);
        let mut once = RetryPolicy::disabled().start();
        once.begin_attempt();
        assert_eq!(once.decide(true, None), RetryDecision::AttemptsExhausted);
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_is_honoured_within_the_budget() {
        let policy = RetryPolicy::default().with_time_budget(Some(Duration::from_secs(2)));
        let mut state = policy.start();
        state.begin_attempt();
        assert_eq!(
            state.decide(true, Some(Duration::from_millis(1500))),
            RetryDecision::RetryAfter(Duration::from_millis(1500))
        );
        assert_eq!(
            state.decide(true, Some(Duration::from_secs(3))),
            RetryDecision::BudgetSpent
        );
        tokio::time::advance(Duration::from_millis(1900)).await;
        assert_eq!(
            state.decide(true, Some(Duration::from_millis(200))),
            RetryDecision::BudgetSpent
        );
        let unbounded = RetryPolicy::default()
            .with_time_budget(None)
            .with_max_backoff(Duration::from_secs(5));
        let mut state = unbounded.start();
        state.begin_attempt();
        assert_eq!(
            state.decide(true, Some(Duration::from_secs(3600))),
            RetryDecision::RetryAfter(Duration::from_secs(5))
        );
    }
}
