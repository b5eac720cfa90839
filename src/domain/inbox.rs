//! What waits for whom: the kinds of inbox item, which party holds each, and how long an item
//! has waited. The items themselves are read in one statement (`db::inbox`); these rules say
//! what that statement's rows mean.

use chrono::{DateTime, Utc};

use super::identity::Role;
use super::labels::labelled_enum;
use super::review::ReviewParty;

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
