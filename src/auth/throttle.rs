//! Login throttling rules: how many recent failures lock an account or a client address, and for
//! how long. The counting itself is in `db::login_failures`.

use chrono::{DateTime, Duration, Utc};

/// Limits on failed logins within a sliding window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures for one account (since its last successful login) that lock it.
    pub per_account: i64,
    /// Failures from one client address (since its last successful login) that lock it. Higher
    /// than per account: an NHS site puts many people behind one address.
    pub per_address: i64,
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

/// Recent failures for one key (account or address): how many, and the oldest still counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub count: i64,
    pub oldest: Option<DateTime<Utc>>,
}

impl ThrottlePolicy {
    /// `Some(seconds to wait)` when `failures` reach `limit`, else `None`. The lock lifts when
    /// the oldest counted failure leaves the window.
    pub fn retry_after(&self, failures: Failures, limit: i64, now: DateTime<Utc>) -> Option<u64> {
        if failures.count < limit {
            return None;
        }
        let oldest = failures.oldest.unwrap_or(now);
        let wait = (oldest + self.window - now).num_seconds().max(1);
        Some(u64::try_from(wait).unwrap_or(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_until_the_oldest_leaves_the_window() {
        let policy = ThrottlePolicy::default();
        let now = Utc::now();
        let four = Failures {
            count: 4,
            oldest: Some(now),
        };
        assert_eq!(policy.retry_after(four, policy.per_account, now), None);
        let five = Failures {
            count: 5,
            oldest: Some(now - Duration::minutes(5)),
        };
        assert_eq!(policy.retry_after(five, policy.per_account, now), Some(600));
    }
}
