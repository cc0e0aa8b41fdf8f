//! How long to wait before trying again: exponential, capped, with jitter that the caller passes
//! in (so the schedule is deterministic in tests and many clients do not retry in step).

use std::time::Duration;

use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait before the first retry (attempt 0), before jitter.
    pub initial: Duration,
    /// No wait is ever longer than this.
    pub max: Duration,
}

impl Default for Backoff {
    /// 1 s, doubling, at most 5 minutes: an instance that is away for a while is tried about every
    /// five minutes, and one that blinked is back within seconds.
    fn default() -> Self {
        Backoff { initial: Duration::from_secs(1), max: Duration::from_secs(300) }
    }
}

impl Backoff {
    /// The wait before retry number `attempt` (0 for the first retry). `jitter` in `[0, 1]` picks
    /// a point between half the exponential wait and all of it ("equal jitter"), so a wait never
    /// shrinks to nothing.
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let exponential = self.initial.saturating_mul(1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX));
        let capped = exponential.min(self.max);
        let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
        capped.mul_f64(0.5 + jitter / 2.0)
    }

    /// The wait after `error`: what the homeserver asked for when it rate limited us (never less,
    /// but at most `max`), the usual schedule otherwise.
    pub fn delay_after(&self, error: &Error, attempt: u32, jitter: f64) -> Duration {
        let scheduled = self.delay(attempt, jitter);
        match error.retry_after() {
            Some(asked) => asked.max(scheduled).min(self.max),
            None => scheduled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_until_the_cap() {
        let backoff = Backoff { initial: Duration::from_millis(100), max: Duration::from_secs(1) };
        let waits: Vec<u128> = (0..6).map(|attempt| backoff.delay(attempt, 1.0).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(backoff.delay(u32::MAX, 1.0), Duration::from_secs(1));
    }

    #[test]
    fn jitter_stays_between_half_and_all_of_the_wait() {
        let backoff = Backoff::default();
        for attempt in 0..40 {
            let full = backoff.delay(attempt, 1.0);
            assert_eq!(backoff.delay(attempt, 0.0), full / 2, "attempt {attempt}");
            for jitter in [0.25, 0.5, 0.99, -3.0, 7.0, f64::NAN] {
                let wait = backoff.delay(attempt, jitter);
                assert!(wait >= full / 2 && wait <= full && wait <= backoff.max, "{attempt} {jitter}");
            }
        }
    }

    #[test]
    fn a_rate_limit_waits_as_long_as_the_homeserver_asked() {
        let backoff = Backoff { initial: Duration::from_millis(100), max: Duration::from_secs(10) };
        let limited =
            |milliseconds| Error::RateLimited { endpoint: "GET /sync", retry_after_ms: Some(milliseconds) };
        assert_eq!(backoff.delay_after(&limited(3000), 0, 0.0), Duration::from_secs(3));
        assert_eq!(backoff.delay_after(&limited(60_000), 0, 0.0), Duration::from_secs(10));
        let unreachable = Error::NotLoggedIn { endpoint: "GET /sync" };
        assert_eq!(backoff.delay_after(&unreachable, 2, 1.0), Duration::from_millis(400));
    }
}
