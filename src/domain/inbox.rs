//! What waits for whom: the kinds of inbox item, which party holds each, and how long an item
//! has waited. The items themselves are read in one statement (`db::inbox`); these rules say
//! what that statement's rows mean.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};

use super::identity::Role;
use super::labels::labelled_enum;
use super::review::{DUE_SOON_DAYS, ReviewParty};

labelled_enum! {
    /// One kind of thing waiting for someone.
    pub enum InboxKind {
        /// A KSB with accepted evidence, waiting for the mentor's sign-off.
        KsbReady => "ksb_ready",
        /// Submitted evidence waiting for the provider's review.
        EvidenceToReview => "evidence_to_review",
        /// Evidence the provider sent back for changes, waiting for the apprentice.
        EvidenceSentBack => "evidence_sent_back",
        /// Off-the-job time waiting for the provider's decision.
        OtjToApprove => "otj_to_approve",
        /// Off-the-job time the provider rejected, waiting for the apprentice.
        OtjRejected => "otj_rejected",
        /// The next progress review is due within 14 days.
        ReviewDue => "review_due",
        /// The next progress review's deadline has passed.
        ReviewOverdue => "review_overdue",
        /// A progress review not yet signed in this party's role.
        ReviewToSign => "review_to_sign",
    }
}

impl InboxKind {
    /// Who acts on an item of this kind (`None`: every party, each in their own role).
    pub fn holder(self) -> Option<ReviewParty> {
        match self {
            Self::KsbReady => Some(ReviewParty::Employer),
            Self::EvidenceToReview | Self::OtjToApprove | Self::ReviewDue | Self::ReviewOverdue => {
                Some(ReviewParty::Provider)
            }
            Self::EvidenceSentBack | Self::OtjRejected => Some(ReviewParty::Apprentice),
            Self::ReviewToSign => None,
        }
    }
}

/// The party whose items a user of this role holds: apprentices as the apprentice, employer
/// users (mentors) as the employer, provider staff (tutors) as the provider. Administrators act
/// for nobody, so nothing waits for them.
pub fn party_of(role: Role) -> Option<ReviewParty> {
    match role {
        Role::Apprentice => Some(ReviewParty::Apprentice),
        Role::Employer => Some(ReviewParty::Employer),
        Role::Provider => Some(ReviewParty::Provider),
        Role::Admin => None,
    }
}

/// Whole days an item has waited by `now` (0 on its first day; never negative, so a deadline
/// still ahead reads as not waiting yet).
pub fn waiting_days(since: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    (now - since).num_days().max(0)
}

/// Since when each party's oldest open item has waited on one apprenticeship, the review
/// deadline left out (it moves with the calendar): kept beside the apprenticeship at every
/// change (`apprenticeship_waiting`, migration `000400_kept_waiting`). `None`: nothing open for that party.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeptWaiting {
    pub apprentice: Option<DateTime<Utc>>,
    pub employer: Option<DateTime<Utc>>,
    pub provider: Option<DateTime<Utc>>,
}

/// Since when the review deadline has waited for the provider on `today`, as the inbox's item
/// (`review_due` from 14 days before the deadline, `review_overdue` from the day after it):
/// midnight UTC of that day; `None` while the deadline is further off, or there is none.
pub fn deadline_waiting_since(
    next_review_due_by: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<DateTime<Utc>> {
    let due = next_review_due_by?;
    let soon = Days::new(DUE_SOON_DAYS.unsigned_abs());
    let day = if due < today {
        due.checked_add_days(Days::new(1))?
    } else if due <= today.checked_add_days(soon)? {
        due.checked_sub_days(soon)?
    } else {
        return None;
    };
    Some(day.and_time(NaiveTime::MIN).and_utc())
}

/// Who holds the oldest open item of an apprenticeship, and since when: the earliest of the kept
/// per-party items and of the review deadline (the provider's), on `today`. On a tie the party
/// first in the order apprentice, employer, provider (the order `db::inbox::oldest_open` uses).
pub fn oldest_waiting(
    kept: KeptWaiting,
    next_review_due_by: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<(ReviewParty, DateTime<Utc>)> {
    let provider = match (
        kept.provider,
        deadline_waiting_since(next_review_due_by, today),
    ) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    [
        (ReviewParty::Apprentice, kept.apprentice),
        (ReviewParty::Employer, kept.employer),
        (ReviewParty::Provider, provider),
    ]
    .into_iter()
    .filter_map(|(party, since)| Some((party, since?)))
    // `min_by_key` keeps the first of equal keys: the order above breaks ties.
    .min_by_key(|(_, since)| *since)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::labels::assert_labels_are_serde_names;
    use chrono::Duration;

    #[test]
    fn labels_are_the_serde_names() {
        assert_labels_are_serde_names(InboxKind::ALL, |v| v.as_str());
    }

    #[test]
    fn each_kind_waits_for_the_party_that_acts_on_it() {
        assert_eq!(InboxKind::KsbReady.holder(), Some(ReviewParty::Employer));
        assert_eq!(
            InboxKind::EvidenceToReview.holder(),
            Some(ReviewParty::Provider)
        );
        assert_eq!(
            InboxKind::EvidenceSentBack.holder(),
            Some(ReviewParty::Apprentice)
        );
        assert_eq!(
            InboxKind::OtjRejected.holder(),
            Some(ReviewParty::Apprentice)
        );
        assert_eq!(
            InboxKind::ReviewOverdue.holder(),
            Some(ReviewParty::Provider)
        );
        assert_eq!(InboxKind::ReviewToSign.holder(), None);
        assert_eq!(party_of(Role::Employer), Some(ReviewParty::Employer));
        assert_eq!(party_of(Role::Admin), None);
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn the_deadline_waits_from_14_days_before_it_and_from_the_day_after_it_once_missed() {
        let today = day("2026-11-30");
        // Due within 14 days (30 Nov + 14 = 14 Dec): waiting since 14 days before the deadline.
        assert_eq!(
            deadline_waiting_since(Some(day("2026-12-14")), today),
            Some(at("2026-11-30T00:00:00Z"))
        );
        assert_eq!(deadline_waiting_since(Some(day("2026-12-15")), today), None);
        // Due today: still due, not overdue.
        assert_eq!(
            deadline_waiting_since(Some(today), today),
            Some(at("2026-11-16T00:00:00Z"))
        );
        // Missed on 29 November: overdue since 30 November.
        assert_eq!(
            deadline_waiting_since(Some(day("2026-11-29")), today),
            Some(at("2026-11-30T00:00:00Z"))
        );
        assert_eq!(deadline_waiting_since(None, today), None);
    }

    #[test]
    fn the_oldest_item_wins_and_ties_go_to_the_first_party() {
        let today = day("2026-11-30");
        let kept = KeptWaiting {
            apprentice: Some(at("2026-11-20T10:00:00Z")),
            employer: Some(at("2026-11-10T10:00:00Z")),
            provider: Some(at("2026-11-15T10:00:00Z")),
        };
        assert_eq!(
            oldest_waiting(kept, None, today),
            Some((ReviewParty::Employer, at("2026-11-10T10:00:00Z")))
        );
        // An overdue review (missed on 1 November) is older than all of them: the provider's.
        assert_eq!(
            oldest_waiting(kept, Some(day("2026-11-01")), today),
            Some((ReviewParty::Provider, at("2026-11-02T00:00:00Z")))
        );
        let tie = KeptWaiting {
            apprentice: Some(at("2026-11-10T10:00:00Z")),
            ..kept
        };
        assert_eq!(
            oldest_waiting(tie, None, today),
            Some((ReviewParty::Apprentice, at("2026-11-10T10:00:00Z")))
        );
        assert_eq!(oldest_waiting(KeptWaiting::default(), None, today), None);
        assert_eq!(
            oldest_waiting(KeptWaiting::default(), Some(day("2026-12-01")), today),
            Some((ReviewParty::Provider, at("2026-11-17T00:00:00Z")))
        );
    }

    #[test]
    fn waiting_days_count_whole_days_and_never_go_negative() {
        let since = DateTime::parse_from_rfc3339("2026-03-01T09:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(waiting_days(since, since + Duration::hours(23)), 0);
        assert_eq!(waiting_days(since, since + Duration::hours(49)), 2);
        assert_eq!(waiting_days(since, since - Duration::days(3)), 0);
    }
}
