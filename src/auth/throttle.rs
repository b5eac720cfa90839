//! Sign-in throttling rules, as pure functions: when an account or a client address is locked,
//! for how long, and how a lock grows. The counting is in `db::sign_in_attempts`.
//!
//! Security decisions:
//! - an attempt is counted *before* its password is checked, under a row lock, so any number of
//!   concurrent guesses at one account check at most [`ThrottlePolicy::per_account`] passwords;
//! - a lock applies to the account from every address, the correct password too, and grows with
//!   each lock (1, 5, then 15 minutes), so guessing slows down without shutting a person out for
//!   long; a successful sign-in clears the account's record only, never the address's failures;
//! - failures from one client address are counted apart, with a higher limit: an NHS site puts
//!   many people behind one address.

use chrono::{DateTime, Duration, Utc};

/// Limits on failed sign-ins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Attempts at one account (since its last lock or success) that lock it.
    pub per_account: i64,
    /// Attempts from one client address within [`Self::window`] that lock the address.
    pub per_address: i64,
    /// How long failures are remembered.
    pub window: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            per_account: 5,
            per_address: 20,
            window: Duration::minutes(15),
        }
    }
}

/// After a day without an attempt, earlier locks no longer make the next one longer.
const LOCKOUTS_FORGOTTEN_AFTER: Duration = Duration::hours(24);

/// The kept record of one account's sign-in attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountAttempts {
    /// Attempts admitted since the last lock or success, including ones still being checked.
    pub attempts: i32,
    /// Locks since the last success.
    pub lockouts: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_attempt_at: DateTime<Utc>,
}

impl AccountAttempts {
    /// The record of an account nobody has tried yet.
    pub fn fresh(now: DateTime<Utc>) -> Self {
        Self {
            attempts: 0,
            lockouts: 0,
            locked_until: None,
            last_attempt_at: now,
        }
    }
}

/// Recent attempts from one client address: how many, and the oldest still counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: i64,
    pub oldest: Option<DateTime<Utc>>,
}

/// A refused attempt: seconds until trying again makes sense (the `Retry-After`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locked {
    pub retry_after_secs: u64,
}

fn seconds_until(until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
    u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1)
}

impl ThrottlePolicy {
    /// How long the lock after `earlier_lockouts` earlier locks lasts: 1, 5, then 15 minutes.
    pub fn lock_duration(&self, earlier_lockouts: i32) -> Duration {
        match earlier_lockouts {
            i32::MIN..=0 => Duration::minutes(1),
            1 => Duration::minutes(5),
            _ => Duration::minutes(15),
        }
    }

    /// Admits one more attempt at the account (the returned record counts it), or refuses it.
    pub fn admit(
        &self,
        record: AccountAttempts,
        now: DateTime<Utc>,
    ) -> Result<AccountAttempts, Locked> {
        if let Some(until) = record.locked_until.filter(|until| *until > now) {
            return Err(Locked {
                retry_after_secs: seconds_until(until, now),
            });
        }
        let idle = now - record.last_attempt_at;
        let mut next = record;
        next.locked_until = None;
        if idle > LOCKOUTS_FORGOTTEN_AFTER {
            next.lockouts = 0;
        }
        if idle > self.window {
            next.attempts = 0;
        }
        if i64::from(next.attempts) >= self.per_account {
            // The budget is taken by attempts still being checked: they end in a success (which
            // clears the record) or a lock of this length.
            return Err(Locked {
                retry_after_secs: seconds_until(now + self.lock_duration(next.lockouts), now),
            });
        }
        next.attempts += 1;
        next.last_attempt_at = now;
        Ok(next)
    }

    /// The record after an admitted attempt failed: the attempt that reaches the limit locks the
    /// account, each lock longer than the one before.
    pub fn after_failure(&self, record: AccountAttempts, now: DateTime<Utc>) -> AccountAttempts {
        if i64::from(record.attempts) < self.per_account {
            return record;
        }
        AccountAttempts {
            attempts: 0,
            lockouts: record.lockouts.saturating_add(1),
            locked_until: Some(now + self.lock_duration(record.lockouts)),
            last_attempt_at: now,
        }
    }

    /// Whether a client address with these recent attempts is refused, and for how long: until
    /// the oldest counted attempt leaves the window.
    pub fn address_locked(&self, failures: Failures, now: DateTime<Utc>) -> Option<Locked> {
        if failures.count < self.per_address {
            return None;
        }
        let oldest = failures.oldest.unwrap_or(now);
        Some(Locked {
            retry_after_secs: seconds_until(oldest + self.window, now),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> ThrottlePolicy {
        ThrottlePolicy::default()
    }

    /// `n` attempts admitted and failed one after the other, starting at `now`.
    fn fail_times(mut record: AccountAttempts, n: usize, now: DateTime<Utc>) -> AccountAttempts {
        for _ in 0..n {
            record = policy().admit(record, now).expect("admitted");
            record = policy().after_failure(record, now);
        }
        record
    }

    #[test]
    fn five_failures_lock_the_account_for_one_minute() {
        let now = Utc::now();
        let four = fail_times(AccountAttempts::fresh(now), 4, now);
        assert_eq!(four.attempts, 4);
        assert_eq!(four.locked_until, None);
        let five = fail_times(four, 1, now);
        assert_eq!(five.locked_until, Some(now + Duration::minutes(1)));
        assert_eq!(
            policy().admit(five, now + Duration::seconds(20)),
            Err(Locked {
                retry_after_secs: 40
            })
        );
    }

    #[test]
    fn each_lock_lasts_longer_than_the_one_before() {
        let mut now = Utc::now();
        let mut record = AccountAttempts::fresh(now);
        for minutes in [1, 5, 15, 15] {
            record = fail_times(record, 5, now);
            assert_eq!(record.locked_until, Some(now + Duration::minutes(minutes)));
            now += Duration::minutes(minutes) + Duration::seconds(1);
        }
    }

    #[test]
    fn concurrent_attempts_are_admitted_only_up_to_the_limit() {
        let now = Utc::now();
        let mut record = AccountAttempts::fresh(now);
        let mut admitted = 0;
        for _ in 0..40 {
            if let Ok(next) = policy().admit(record, now) {
                record = next;
                admitted += 1;
            }
        }
        assert_eq!(admitted, 5);
        let refused = policy().admit(record, now).expect_err("refused");
        assert_eq!(refused.retry_after_secs, 60);
        // All five fail: one lock, not five.
        for _ in 0..5 {
            record = policy().after_failure(record, now);
        }
        assert_eq!(record.lockouts, 1);
        assert_eq!(record.locked_until, Some(now + Duration::minutes(1)));
    }

    #[test]
    fn failures_older_than_the_window_are_forgotten_and_locks_after_a_day() {
        let now = Utc::now();
        let four = fail_times(AccountAttempts::fresh(now), 4, now);
        let later = now + Duration::minutes(16);
        let admitted = policy().admit(four, later).expect("admitted");
        assert_eq!(admitted.attempts, 1);
        let locked_twice = fail_times(fail_times(AccountAttempts::fresh(now), 5, now), 0, now);
        let next_day = now + Duration::hours(25);
        let admitted = policy().admit(locked_twice, next_day).expect("admitted");
        assert_eq!(admitted.lockouts, 0);
    }

    #[test]
    fn twenty_attempts_lock_an_address_until_the_oldest_leaves_the_window() {
        let now = Utc::now();
        let nineteen = Failures {
            count: 19,
            oldest: Some(now),
        };
        assert_eq!(policy().address_locked(nineteen, now), None);
        let twenty = Failures {
            count: 20,
            oldest: Some(now - Duration::minutes(5)),
        };
        assert_eq!(
            policy().address_locked(twenty, now),
            Some(Locked {
                retry_after_secs: 600
            })
        );
    }
}
