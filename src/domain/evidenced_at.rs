//! Since when a KSB has been `evidenced` (ready to sign off): what the inbox and the caseload's
//! `waiting_on` show for it, kept on its status row (`ksb_statuses.evidenced_at`).
//!
//! A change sets it to its own moment when the KSB becomes evidenced, keeps it while the KSB
//! stays evidenced (a second accepted piece of evidence does not move it) and clears it when the
//! KSB leaves evidenced ([`after_change`]). Recomputed from the raw rows ([`recomputed`]), it is
//! the later of the first acceptance still standing and the latest revoked sign-off: the same
//! moment for every history except one where the first accepted piece was withdrawn while
//! another stayed accepted, which the raw rows cannot tell apart from a later start.

use chrono::{DateTime, Utc};

use super::coverage::KsbStatus;

/// The kept moment after a change moved a KSB from `old` to `new` at `now` (the change's
/// transaction time), given the moment kept before.
pub fn after_change(
    old: KsbStatus,
    new: KsbStatus,
    kept: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    match (old, new) {
        (_, new) if new != KsbStatus::Evidenced => None,
        (KsbStatus::Evidenced, _) => Some(kept.unwrap_or(now)),
        _ => Some(now),
    }
}

/// The moment from the raw rows: for an evidenced KSB, the later of the earliest `updated_at`
/// of its accepted evidence (accepted evidence is frozen: that is when it was accepted) and the
/// latest `revoked_at` of its sign-offs; `None` for any other status.
pub fn recomputed(
    status: KsbStatus,
    first_accepted: Option<DateTime<Utc>>,
    last_revoked: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    // `Option`'s order puts `None` first: the later of the two that exist.
    (status == KsbStatus::Evidenced)
        .then(|| first_accepted.max(last_revoked))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::KsbStatus::*;
    use super::*;

    fn at(minute: u32) -> DateTime<Utc> {
        DateTime::from_timestamp(i64::from(minute) * 60, 0).expect("a moment")
    }

    #[test]
    fn becoming_evidenced_starts_the_wait_now() {
        for old in [NotStarted, InProgress, SignedOff] {
            assert_eq!(after_change(old, Evidenced, None, at(5)), Some(at(5)));
        }
    }

    #[test]
    fn staying_evidenced_keeps_the_moment() {
        assert_eq!(
            after_change(Evidenced, Evidenced, Some(at(1)), at(5)),
            Some(at(1))
        );
    }

    #[test]
    fn leaving_evidenced_clears_the_moment() {
        for new in [NotStarted, InProgress, SignedOff] {
            assert_eq!(after_change(Evidenced, new, Some(at(1)), at(5)), None);
            assert_eq!(after_change(InProgress, new, None, at(5)), None);
        }
    }

    #[test]
    fn a_revocation_after_the_first_acceptance_is_the_start_of_the_wait() {
        assert_eq!(recomputed(Evidenced, Some(at(1)), Some(at(9))), Some(at(9)));
        assert_eq!(recomputed(Evidenced, Some(at(9)), Some(at(1))), Some(at(9)));
        assert_eq!(recomputed(Evidenced, Some(at(1)), None), Some(at(1)));
    }

    #[test]
    fn only_an_evidenced_ksb_has_a_moment() {
        for status in [NotStarted, InProgress, SignedOff] {
            assert_eq!(recomputed(status, Some(at(1)), Some(at(9))), None);
        }
    }
}
