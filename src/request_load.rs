//! How busy this process is answering requests: the `count_in_flight` middleware counts each
//! request in and out, and the mail delivery worker slows to its busy pace while the process is
//! busy, so that a burst of e-mail does not take the CPU from the people using the app.
//!
//! Busy means a request is in flight or one ended within the last [`QUIET_AFTER`]: under a
//! steady stream of requests there is always one about to arrive, and a count that touches zero
//! between two of them would otherwise read as quiet.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long after its last request a process counts as quiet.
pub const QUIET_AFTER: Duration = Duration::from_millis(100);

/// Stands for "no request has ended yet" in [`Counts::last_ended_ms`].
const NEVER: u64 = u64::MAX;

/// The requests of this process; clones share one count.
#[derive(Debug, Clone)]
pub struct RequestLoad(Arc<Counts>);

#[derive(Debug)]
struct Counts {
    in_flight: AtomicUsize,
    /// When the last request ended, in milliseconds since `started`.
    last_ended_ms: AtomicU64,
    started: Instant,
}

impl Default for RequestLoad {
    fn default() -> Self {
        Self(Arc::new(Counts {
            in_flight: AtomicUsize::new(0),
            last_ended_ms: AtomicU64::new(NEVER),
            started: Instant::now(),
        }))
    }
}

impl RequestLoad {
    /// Counts a request until the returned guard is dropped.
    pub fn enter(&self) -> InFlight {
        self.0.in_flight.fetch_add(1, Ordering::Relaxed);
        InFlight(self.0.clone())
    }

    /// Requests being answered now.
    pub fn in_flight(&self) -> usize {
        self.0.in_flight.load(Ordering::Relaxed)
    }

    /// Whether a request is being answered, or one ended less than [`QUIET_AFTER`] ago.
    pub fn is_busy(&self) -> bool {
        if self.in_flight() > 0 {
            return true;
        }
        let last = self.0.last_ended_ms.load(Ordering::Relaxed);
        last != NEVER && self.0.now_ms().saturating_sub(last) < millis(QUIET_AFTER)
    }
}

impl Counts {
    fn now_ms(&self) -> u64 {
        millis(self.started.elapsed())
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(NEVER - 1)
}

/// One request in flight; dropping it (the response is ready, or the request was abandoned)
/// counts it out.
#[derive(Debug)]
pub struct InFlight(Arc<Counts>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0
            .last_ended_ms
            .store(self.0.now_ms(), Ordering::Relaxed);
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_counts_until_its_guard_is_dropped_in_every_clone() {
        let load = RequestLoad::default();
        let first = load.enter();
        let second = load.clone().enter();
        assert_eq!(load.in_flight(), 2);
        drop(first);
        assert_eq!(load.clone().in_flight(), 1);
        drop(second);
        assert_eq!(load.in_flight(), 0);
    }

    #[test]
    fn a_process_is_quiet_until_a_request_and_again_a_while_after_the_last() {
        let load = RequestLoad::default();
        assert!(!load.is_busy(), "no request yet");
        let request = load.enter();
        assert!(load.is_busy(), "in flight");
        drop(request);
        assert!(load.is_busy(), "just ended: the next is likely on its way");
        std::thread::sleep(QUIET_AFTER + Duration::from_millis(20));
        assert!(!load.is_busy(), "quiet since {QUIET_AFTER:?}");
    }
}
